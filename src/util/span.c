#include "util/span.h"

#include <string.h>

static int	lower(int);

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int
span_eq_span_nocase(struct span a, struct span b)
{
	size_t i;

	if (a.n != b.n)
		return 0;
	for (i = 0; i < a.n; i++)
		if (lower(a.p[i]) != lower(b.p[i]))
			return 0;
	return 1;
}

int
span_starts_nocase(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	if (s.n < n)
		return 0;
	return span_eq_span_nocase(span_make(s.p, n), span_make(lit, n));
}

/*
 * Split s at the first delim: field gets what is before it, s what is
 * after it (the delimiter is eaten).  -1 and nothing changed if absent.
 */
int
span_take_until(struct span *s, uint8_t delim, struct span *field)
{
	const uint8_t *q;

	if (s->n == 0 || (q = memchr(s->p, delim, s->n)) == NULL)
		return -1;
	field->p = s->p;
	field->n = (size_t)(q - s->p);
	s->p = q + 1;
	s->n -= field->n + 1;
	return 0;
}

int
span_take_n(struct span *s, size_t n, struct span *field)
{
	if (s->n < n)
		return -1;
	field->p = s->p;
	field->n = n;
	s->p += n;
	s->n -= n;
	return 0;
}

/* Skip blanks; returns how many were skipped. */
int
span_skip_spaces(struct span *s)
{
	int k = 0;

	while (s->n > 0 && (s->p[0] == ' ' || s->p[0] == '\t')) {
		s->p++;
		s->n--;
		k++;
	}
	return k;
}

struct span
span_trim(struct span s)
{
	while (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t' ||
	    s.p[0] == '\r' || s.p[0] == '\n' || s.p[0] == '\0')) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
	    s.p[s.n - 1] == '\r' || s.p[s.n - 1] == '\n' ||
	    s.p[s.n - 1] == '\0'))
		s.n--;
	return s;
}

ssize_t
span_find(struct span s, const char *lit)
{
	size_t n = strlen(lit), i;
	const uint8_t *q;

	if (n == 0)
		return 0;
	if (s.n < n)
		return -1;
	for (i = 0; i + n <= s.n; i = (size_t)(q - s.p) + 1) {
		q = memchr(s.p + i, lit[0], s.n - n + 1 - i);
		if (q == NULL)
			return -1;
		if (memcmp(q, lit, n) == 0)
			return q - s.p;
	}
	return -1;
}

ssize_t
span_find_byte(struct span s, uint8_t c)
{
	const uint8_t *q;

	if (s.n == 0 || (q = memchr(s.p, c, s.n)) == NULL)
		return -1;
	return q - s.p;
}


int
span_all_digits(struct span s)
{
	size_t i;

	if (s.n == 0)
		return 0;
	for (i = 0; i < s.n; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
	return 1;
}

/* Copy at most dstsz-1 bytes; always NUL-terminates; returns bytes copied. */
size_t
span_copy(char *dst, size_t dstsz, struct span s)
{
	size_t n;

	if (dstsz == 0)
		return 0;
	n = s.n < dstsz - 1 ? s.n : dstsz - 1;
	if (n > 0)
		memcpy(dst, s.p, n);
	dst[n] = '\0';
	return n;
}

size_t
span_copy_lower(char *dst, size_t dstsz, struct span s)
{
	size_t n, i;

	n = span_copy(dst, dstsz, s);
	for (i = 0; i < n; i++)
		dst[i] = (char)lower((unsigned char)dst[i]);
	return n;
}
