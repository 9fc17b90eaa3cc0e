#include "util/norm.h"

#include <string.h>

static int	lower(int);
static int	is_ip(struct span);

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

size_t
norm_source(char *dst, size_t dstsz, struct span s)
{
	size_t i, n = 0;
	int c;

	if (dstsz == 0)
		return 0;
	s = span_trim(s);
	for (i = 0; i < s.n && n + 1 < dstsz; i++) {
		c = s.p[i];
		if (c == '_' || c == '\t')
			c = ' ';
		/* Fold runs of spaces so "MSExchangeIS  Private" still matches. */
		if (c == ' ' && n > 0 && dst[n - 1] == ' ')
			continue;
		dst[n++] = (char)lower(c);
	}
	dst[n] = '\0';
	return n;
}

static int
is_ip(struct span s)
{
	size_t i;
	int colon = 0;

	for (i = 0; i < s.n; i++) {
		if (s.p[i] == ':')
			colon = 1;
		else if (!(s.p[i] == '.' || (s.p[i] >= '0' && s.p[i] <= '9') ||
		    (colon && ((s.p[i] | 0x20) >= 'a' && (s.p[i] | 0x20) <= 'f'))))
			return 0;
	}
	return s.n > 0;
}

/* One pass: the first label (an address whole), lower case, bounded. */
size_t
norm_host(char *dst, size_t dstsz, struct span s)
{
	size_t i, n;
	int ip;

	if (dstsz == 0)
		return 0;
	s = span_trim(s);
	ip = is_ip(s);
	n = s.n < dstsz - 1 ? s.n : dstsz - 1;
	for (i = 0; i < n && (ip || s.p[i] != '.'); i++)
		dst[i] = (char)lower(s.p[i]);
	dst[i] = '\0';
	return i;
}

/*
 * One pass, bounded by dstsz.  "%%NNNN" (an unexpanded SCM insertion,
 * docs/forwarders.mdc) is written as "error NNNN" so that all three
 * spellings of the 2140 start failure read alike.
 */
size_t
norm_text(char *dst, size_t dstsz, struct span s)
{
	size_t i = 0, n = 0;
	int c, space = 1;	/* drop leading spaces */

	if (dstsz == 0)
		return 0;
	while (i < s.n && n + 1 < dstsz) {
		c = s.p[i];
		if (c > ' ' && c != '#' && c != '%') {
			/* Most bytes: no blank, no escape, no insertion. */
			dst[n++] = (char)lower(c);
			space = 0;
			i++;
			continue;
		}
		if (c == '#' && i + 3 < s.n && s.p[i + 1] == '0' &&
		    s.p[i + 2] == '1' && (s.p[i + 3] == '1' ||
		    s.p[i + 3] == '2' || s.p[i + 3] == '5')) {
			c = ' ';
			i += 4;
		} else if (c == '%' && i + 2 < s.n && s.p[i + 1] == '%' &&
		    s.p[i + 2] >= '0' && s.p[i + 2] <= '9') {
			static const char e[] = "error ";
			size_t k;

			if (!space && n + 1 < dstsz)
				dst[n++] = ' ';
			for (k = 0; k < sizeof(e) - 1 && n + 1 < dstsz; k++)
				dst[n++] = e[k];
			i += 2;
			space = 1;
			continue;
		} else {
			i++;
		}
		if (c == '\r' || c == '\n' || c == '\t' || c == '\0' ||
		    c == '\v' || c == '\f')
			c = ' ';
		if (c == ' ') {
			if (space)
				continue;
			space = 1;
		} else
			space = 0;
		dst[n++] = (char)lower(c);
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
	return n;
}
