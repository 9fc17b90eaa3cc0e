/*
 * sbuf: the bounded string appender, and seterr() for the
 * `char *err, size_t errsz` convention (docs/hacking.md, "Conventions").
 *
 * An sbuf writes into a buffer its caller owns and never allocates.  The
 * text is NUL-terminated after every call, whatever happened; what does not
 * fit is cut (as much as fits is kept, as snprintf(3) keeps it) and the cut
 * is remembered: once cut, an sbuf appends nothing more, so a line never
 * goes on after a hole.  A buffer of size 0 (or NULL) takes nothing and
 * reports every non-empty append as cut.
 */
#ifndef IMSMON_SBUF_H
#define IMSMON_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char	*sb_p;
	size_t	 sb_sz;		/* size of sb_p, the NUL included */
	size_t	 sb_len;	/* strlen(sb_p) */
	int	 sb_cut;	/* something did not fit */
};

void	sbuf_init(struct sbuf *, char *, size_t);
int	sbuf_add(struct sbuf *, const void *, size_t);
int	sbuf_str(struct sbuf *, const char *);
int	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	sbuf_vprintf(struct sbuf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

/* One line for a person into err (if not NULL and errsz > 0), cut to fit. */
void	seterr(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
