/*
 * span: borrowed byte slices and bounded scanners.
 *
 * A span never owns its bytes and never allocates.  Scanners that fail
 * leave the span untouched, so a parser can try one reading and fall back
 * to another.  Nothing here relies on NUL termination.
 */
#ifndef IMSMON_SPAN_H
#define IMSMON_SPAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

struct span {
	const uint8_t	*p;
	size_t		 n;
};

#define SPAN_NULL	((struct span){ NULL, 0 })

int		span_eq_span_nocase(struct span, struct span);
int		span_starts_nocase(struct span, const char *);
int		span_take_until(struct span *, uint8_t, struct span *);
int		span_take_n(struct span *, size_t, struct span *);
int		span_skip_spaces(struct span *);
struct span	span_trim(struct span);
ssize_t		span_find(struct span, const char *);
ssize_t		span_find_byte(struct span, uint8_t);
int		span_all_digits(struct span);
size_t		span_copy(char *, size_t, struct span);
size_t		span_copy_lower(char *, size_t, struct span);

/*
 * The small ones are inline: parsers call them on every field of every
 * record, mostly with a literal, whose length the compiler then knows.
 */
static inline struct span
span_make(const void *p, size_t n)
{
	struct span s = { p, n };

	return s;
}

static inline struct span
span_cstr(const char *s)
{
	return span_make(s, strlen(s));
}

static inline int
span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

static inline int
span_eq_nocase(struct span s, const char *lit)
{
	return span_eq_span_nocase(s, span_cstr(lit));
}

static inline int
span_starts(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

/* Eat lit from the front of s; 0 on success, -1 (s untouched) if absent. */
static inline int
span_expect(struct span *s, const char *lit)
{
	size_t n = strlen(lit);

	if (!span_starts(*s, lit))
		return -1;
	s->p += n;
	s->n -= n;
	return 0;
}

/*
 * Read a decimal number of 1..maxdigits digits, no sign, value <= max.
 * On success the digits are eaten and 0 is returned; otherwise -1 and
 * s is untouched.  Digits are capped before conversion (syslogd's rule).
 */
static inline int
span_u32(struct span *s, size_t maxdigits, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < s->n && s->p[i] >= '0' && s->p[i] <= '9'; i++) {
		if (i >= maxdigits)
			return -1;
		v = v * 10 + (uint64_t)(s->p[i] - '0');
		/* Stop before v can wrap when maxdigits is 20 or more. */
		if (v > max)
			return -1;
	}
	if (i == 0 || v > max)
		return -1;
	*out = (uint32_t)v;
	s->p += i;
	s->n -= i;
	return 0;
}

#endif /* IMSMON_SPAN_H */
