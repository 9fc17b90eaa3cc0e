#include "util/sbuf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int	cut(struct sbuf *);

/* The buffer holds the empty string; sz 0 (or a NULL buffer) holds nothing. */
void
sbuf_init(struct sbuf *sb, char *buf, size_t sz)
{
	sb->sb_p = buf;
	sb->sb_sz = buf != NULL ? sz : 0;
	sb->sb_len = 0;
	sb->sb_cut = 0;
	if (sb->sb_sz > 0)
		sb->sb_p[0] = '\0';
}

/* The bytes that fitted were written: the buffer is full from now on. */
static int
cut(struct sbuf *sb)
{
	if (!sb->sb_cut && sb->sb_sz > 0) {
		sb->sb_len = sb->sb_sz - 1;
		sb->sb_p[sb->sb_len] = '\0';
	}
	sb->sb_cut = 1;
	errno = EMSGSIZE;
	return -1;
}

/*
 * n bytes (a NUL among them ends the text there for C string readers, as
 * it would with memcpy).  0, or -1 and EMSGSIZE when they were cut.
 */
int
sbuf_add(struct sbuf *sb, const void *p, size_t n)
{
	size_t room;

	if (n == 0)
		return sb->sb_cut ? (errno = EMSGSIZE, -1) : 0;
	if (sb->sb_cut || sb->sb_sz == 0)
		return cut(sb);
	room = sb->sb_sz - 1 - sb->sb_len;
	if (n > room) {
		memcpy(sb->sb_p + sb->sb_len, p, room);
		return cut(sb);
	}
	memcpy(sb->sb_p + sb->sb_len, p, n);
	sb->sb_len += n;
	sb->sb_p[sb->sb_len] = '\0';
	return 0;
}

int
sbuf_str(struct sbuf *sb, const char *s)
{
	return sbuf_add(sb, s, strlen(s));
}

int
sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sbuf_vprintf(sb, fmt, ap);
	va_end(ap);
	return r;
}

int
sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
{
	size_t room;
	int r;

	if (sb->sb_cut || sb->sb_sz == 0) {
		/* Nothing is written; an empty result is not a cut. */
		r = vsnprintf(NULL, 0, fmt, ap);
		if (r == 0 && !sb->sb_cut)
			return 0;
		return cut(sb);
	}
	room = sb->sb_sz - sb->sb_len;
	r = vsnprintf(sb->sb_p + sb->sb_len, room, fmt, ap);
	if (r < 0) {
		/* An output error: what it wrote is not kept. */
		sb->sb_p[sb->sb_len] = '\0';
		sb->sb_cut = 1;
		return -1;
	}
	if ((size_t)r >= room)
		return cut(sb);
	sb->sb_len += (size_t)r;
	return 0;
}

void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	struct sbuf sb;
	va_list ap;
	int saved = errno;

	if (err == NULL || errsz == 0)
		return;
	sbuf_init(&sb, err, errsz);
	va_start(ap, fmt);
	(void)sbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	errno = saved;
}
