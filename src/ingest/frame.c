#include "ingest/frame.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "util/cal.h"

static int	is_trailer(uint8_t);
static size_t	find_trailer(const uint8_t *, size_t);
static ssize_t	lf_record(struct frame *, const uint8_t *, size_t, size_t,
		    struct span *);
static ssize_t	frame_lf(struct frame *, const uint8_t *, size_t,
		    struct span *);
static ssize_t	frame_octet(struct frame *, const uint8_t *, size_t,
		    struct span *);
static int	shape(const uint8_t *, size_t, size_t, const char *);
static int	token(const uint8_t *, size_t, size_t *);
static int	concat_header(const uint8_t *, size_t, size_t);
static int	concat_pri(const uint8_t *, size_t, size_t);
static ssize_t	frame_concat(struct frame *, const uint8_t *, size_t,
		    struct span *);

int
frame_init(struct frame *fr, enum frame_mode mode, size_t max)
{
	if (max == 0 || max > FRAME_MAXREC_LIMIT) {
		errno = EINVAL;
		return -1;
	}
	switch (mode) {
	case FRAME_DETECT:
	case FRAME_OCTET:
	case FRAME_LF:
	case FRAME_CONCAT:
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	memset(fr, 0, sizeof(*fr));
	fr->fr_mode = mode;
	fr->fr_max = max;
	return 0;
}

/* RFC 6587 §3.4.2: LF is the trailer; some senders use NUL instead. */
static int
is_trailer(uint8_t c)
{
	return c == '\n' || c == '\0';
}

/* Index of the first trailer in buf, or n if there is none. */
static size_t
find_trailer(const uint8_t *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_trailer(buf[i]))
			break;
	return i;
}

/*
 * The len bytes at buf are one LF-framed record without its trailer.
 * Strip one CR (CR LF senders) and deliver it unless it is empty or too
 * long.  Returns used, the bytes to consume.
 */
static ssize_t
lf_record(struct frame *fr, const uint8_t *buf, size_t len, size_t used,
    struct span *out)
{
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len > fr->fr_max) {
		fr->fr_oversize++;
		len = 0;
	}
	*out = span_make(buf, len);
	return (ssize_t)used;
}

static ssize_t
frame_lf(struct frame *fr, const uint8_t *buf, size_t n, struct span *out)
{
	size_t i, seen;

	/* Bytes already scanned on an earlier call hold no trailer. */
	seen = fr->fr_seen <= n ? fr->fr_seen : 0;
	fr->fr_seen = 0;
	i = seen + find_trailer(buf + seen, n - seen);
	if (fr->fr_drop) {
		/* The rest of an oversize record: eat up to its trailer. */
		if (i < n) {
			fr->fr_drop = 0;
			return (ssize_t)(i + 1);
		}
		return (ssize_t)n;
	}
	if (i < n)
		return lf_record(fr, buf, i, i + 1, out);
	/*
	 * No trailer yet.  Even if the last byte is the CR of a CR LF, the
	 * record already holds n - 1 bytes: past the maximum it is dropped
	 * now, so the caller's buffer never has to hold it.
	 */
	if (n - 1 > fr->fr_max) {
		fr->fr_oversize++;
		fr->fr_drop = 1;
		return (ssize_t)n;
	}
	fr->fr_seen = n;
	return 0;
}

static ssize_t
frame_octet(struct frame *fr, const uint8_t *buf, size_t n, struct span *out)
{
	struct span s;
	uint32_t len;
	size_t i;

	if (fr->fr_skip > 0) {
		i = n < fr->fr_skip ? n : fr->fr_skip;
		fr->fr_skip -= i;
		return (ssize_t)i;
	}
	/* Tolerate a trailer after a frame; some senders add one. */
	for (i = 0; i < n && (is_trailer(buf[i]) || buf[i] == '\r'); i++)
		continue;
	if (i > 0)
		return (ssize_t)i;

	/* MSG-LEN = NONZERO-DIGIT *DIGIT (RFC 6587 §3.4.1). */
	for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		if (i >= FRAME_OCTET_MAXDIGITS)
			goto malformed;
	if (i == 0 || buf[0] == '0')
		goto malformed;
	if (i == n)
		return 0;
	if (buf[i] != ' ')
		goto malformed;
	s = span_make(buf, i);
	if (span_u32(&s, FRAME_OCTET_MAXDIGITS, UINT32_MAX, &len) == -1)
		goto malformed;
	i++;
	if (len > fr->fr_max) {
		/* Still in sync: drop the whole frame, keep the stream. */
		fr->fr_oversize++;
		fr->fr_skip = len;
		return (ssize_t)i;
	}
	if (n - i < len)
		return 0;
	*out = span_make(buf + i, len);
	return (ssize_t)(i + len);

malformed:
	errno = EPROTO;
	return -1;
}

/*
 * Do the bytes at buf[i] have the shape pat ('a' a letter, '9' a digit,
 * 'd' a digit or a blank, anything else itself)?  1 yes, 0 no, -1 the
 * bytes end before it can tell.
 */
static int
shape(const uint8_t *buf, size_t n, size_t i, const char *pat)
{
	uint8_t c;

	for (; *pat != '\0'; pat++, i++) {
		if (i >= n)
			return -1;
		c = buf[i];
		switch (*pat) {
		case 'a':
			if (!isalpha(c))
				return 0;
			break;
		case '9':
			if (!isdigit(c))
				return 0;
			break;
		case 'd':
			if (!isdigit(c) && c != ' ')
				return 0;
			break;
		default:
			if (c != (uint8_t)*pat)
				return 0;
		}
	}
	return 1;
}

/*
 * An evtsys source or tag at buf[*i], up to ": ": 1 to 48 bytes with no
 * blank, colon, '<' or control byte (evtsys turns blanks in source names
 * into '_').  1 and *i after the ": ", 0 not one, -1 need more bytes.
 */
static int
token(const uint8_t *buf, size_t n, size_t *i)
{
	size_t j;

	for (j = *i; j < n && j - *i <= 48; j++) {
		if (buf[j] == ':')
			break;
		if (buf[j] <= ' ' || buf[j] == '<' || buf[j] >= 0x7f)
			return 0;
	}
	if (j - *i > 48 || (j < n && j == *i))
		return 0;
	if (j + 1 >= n)
		return -1;
	if (buf[j + 1] != ' ')
		return 0;
	*i = j + 2;
	return 1;
}

/*
 * What evtsys writes after its PRI (docs/forwarders.md): "Mmm dd
 * hh:mm:ss " (4.x), or "SOURCE: ID: " (3.x, no
 * stamp, no host), maybe behind a "TAG: "; an RFC 5424 "1 " too.  A
 * "<13>" in a description is followed by none of these, so it does not
 * split the record.  1 yes, 0 no, -1 need more bytes.
 */
static int
concat_header(const uint8_t *buf, size_t n, size_t i)
{
	size_t j;
	int r, k;

	if ((r = shape(buf, n, i, "1 9")) != 0)
		return r;
	if ((r = shape(buf, n, i, "aaa d9 99:99:99 ")) != 0) {
		if (r == 1 && cal_month(span_make(buf + i, 3)) < 0)
			return 0;
		return r;
	}
	for (j = i, k = 0; k < 2; k++) {
		if ((r = token(buf, n, &j)) != 1)
			return r;
		if ((r = shape(buf, n, j, "9")) != 0) {
			if (r == -1)
				return -1;
			while (j < n && isdigit(buf[j]) && j - i < 80)
				j++;
			if (j >= n)
				return -1;
			return buf[j] == ':' ? 1 : 0;
		}
	}
	return 0;
}

/*
 * Does the next record start at buf[i]: "<PRI>" and an evtsys header?
 * 1 yes, 0 no, -1 cannot tell before more bytes arrive.
 */
static int
concat_pri(const uint8_t *buf, size_t n, size_t i)
{
	unsigned v = 0;
	size_t j, d;

	if (buf[i] != '<')
		return 0;
	for (j = i + 1; j < n && j - i <= 4 && isdigit(buf[j]); j++)
		v = v * 10 + (unsigned)(buf[j] - '0');
	d = j - i - 1;
	if (d > 3)
		return 0;
	if (j == n)
		return -1;
	/* RFC 5424 §6.2.1: PRIVAL 0..191, no leading zero. */
	if (d == 0 || buf[j] != '>' || v > 191 || (d > 1 && buf[i + 1] == '0'))
		return 0;
	return concat_header(buf, n, j + 1);
}

/*
 * evtsys TCP mode (docs/forwarders.md): records are sent back to
 * back, so a record ends where the next "<PRI>" starts, or at a trailer.
 * What has no end yet waits, unless it is already over the maximum:
 * then it is dropped up to the next boundary, like an oversize LF line.
 */
static ssize_t
frame_concat(struct frame *fr, const uint8_t *buf, size_t n, struct span *out)
{
	size_t i, start;
	int b = 0;

	if (!fr->fr_drop) {
		for (i = 0; i < n && (is_trailer(buf[i]) || buf[i] == '\r'); i++)
			continue;
		if (i > 0)
			return (ssize_t)i;
	}
	/* A record's own PRI is at 0; a dropped tail may end right there. */
	start = fr->fr_drop ? 0 : 1;
	if (fr->fr_seen > start && fr->fr_seen <= n)
		start = fr->fr_seen;
	fr->fr_seen = 0;
	for (i = start; i < n; i++) {
		if (is_trailer(buf[i])) {
			b = 2;
			break;
		}
		if ((b = concat_pri(buf, n, i)) != 0)
			break;
	}
	/* b: 2 trailer at i, 1 next PRI at i, -1 undecided at i, 0 none. */
	if (fr->fr_drop) {
		if (b <= 0)
			return (ssize_t)i;	/* 0 only if undecided at 0 */
		fr->fr_drop = 0;
		if (b == 2)
			return (ssize_t)(i + 1);
		return i > 0 ? (ssize_t)i : frame_concat(fr, buf, n, out);
	}
	if (b == 2)
		return lf_record(fr, buf, i, i + 1, out);
	if (b == 1)
		return lf_record(fr, buf, i, i, out);
	if (i > fr->fr_max) {
		fr->fr_oversize++;
		fr->fr_drop = 1;
		return (ssize_t)i;
	}
	fr->fr_seen = i;
	return 0;
}

ssize_t
frame_next(struct frame *fr, const uint8_t *buf, size_t n, struct span *out)
{
	size_t i;

	*out = span_make(buf, 0);
	if (n == 0)
		return 0;
	if (fr->fr_mode == FRAME_DETECT) {
		/* Blank lines before the first record decide nothing. */
		for (i = 0; i < n && (is_trailer(buf[i]) || buf[i] == '\r'); i++)
			continue;
		if (i > 0)
			return (ssize_t)i;
		fr->fr_mode = buf[0] >= '0' && buf[0] <= '9' ?
		    FRAME_OCTET : FRAME_LF;
	}
	switch (fr->fr_mode) {
	case FRAME_OCTET:
		return frame_octet(fr, buf, n, out);
	case FRAME_LF:
		return frame_lf(fr, buf, n, out);
	case FRAME_CONCAT:
		return frame_concat(fr, buf, n, out);
	default:
		errno = EINVAL;
		return -1;
	}
}

ssize_t
frame_eof(struct frame *fr, const uint8_t *buf, size_t n, struct span *out)
{
	*out = span_make(buf, 0);
	if (n == 0)
		return 0;
	switch (fr->fr_mode) {
	case FRAME_OCTET:
		if (fr->fr_skip > 0)	/* already counted as oversize */
			return (ssize_t)n;
		errno = EPROTO;
		return -1;
	case FRAME_DETECT:
	case FRAME_LF:
	case FRAME_CONCAT:
		fr->fr_seen = 0;
		if (fr->fr_drop)
			return (ssize_t)n;
		return lf_record(fr, buf, n, n, out);
	default:
		errno = EINVAL;
		return -1;
	}
}
