/*
 * parse_time: fixed-place readers for the stamps forwarders print, shared
 * by the header reader and the format parsers.  The calendar itself is
 * util/cal.c.  Every stamp read here is a wall-clock time; parse_record()
 * turns it into UTC.
 */
#include "parse/parse.h"

#include "util/cal.h"
#include "util/span.h"

static int	two_digits(const uint8_t *);

/* Exactly k (1..9) digits at s.p[off]: their value, or -1. */
int
parse_ndigits(struct span s, size_t off, size_t k)
{
	int v = 0;
	size_t i;

	if (k == 0 || k > 9 || off > s.n || s.n - off < k)
		return -1;
	for (i = off; i < off + k; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (s.p[i] - '0');
	}
	return v;
}

/* Two ASCII digits, or -1; the caller checked the bounds. */
static int
two_digits(const uint8_t *p)
{
	unsigned a = (unsigned)p[0] - '0', b = (unsigned)p[1] - '0';

	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/* "hh:mm:ss" at s.p[off], in range (a leap second 60 is let through). */
int
parse_hms(struct span s, size_t off, int *h, int *mi, int *sec)
{
	if (off > s.n || s.n - off < 8 || s.p[off + 2] != ':' ||
	    s.p[off + 5] != ':')
		return -1;
	*h = two_digits(s.p + off);
	*mi = two_digits(s.p + off + 3);
	*sec = two_digits(s.p + off + 6);
	if (*h < 0 || *h > 23 || *mi < 0 || *mi > 59 || *sec < 0 ||
	    *sec > 60)
		return -1;
	return 0;
}

/*
 * "Mmm dd" at s.p[off], the day zero- or space-padded or bare ("Mar 03",
 * "Mar  3", "Mar 3").  Returns the offset just after it, or 0.  The day
 * is checked against a leap year: callers that know the year check again.
 */
size_t
parse_mday(struct span s, size_t off, int *mo, int *d)
{
	size_t i = off + 4;

	if (off > s.n || s.n - off < 5 || s.p[off + 3] != ' ' ||
	    (*mo = cal_month(span_make(s.p + off, 3))) < 0)
		return 0;
	if (s.p[i] == ' ')
		i++;
	if ((*d = parse_ndigits(s, i, 2)) >= 0)
		i += 2;
	else if ((*d = parse_ndigits(s, i, 1)) >= 0)
		i += 1;
	else
		return 0;
	if (*d < 1 || *d > cal_mdays(2000, *mo))
		return 0;
	return i;
}

/* "Tue Mar 14 10:15:02 2000": weekday, "Mmm dd", time, four-digit year. */
size_t
parse_ctime(struct span s, int64_t *t)
{
	int mo, d, y, h, mi, sec;
	size_t i;

	if (s.n < 4 || s.p[3] != ' ' || (i = parse_mday(s, 4, &mo, &d)) == 0 ||
	    i >= s.n || s.p[i] != ' ' ||
	    parse_hms(s, i + 1, &h, &mi, &sec) == -1)
		return 0;
	i += 9;
	if (i >= s.n || s.p[i] != ' ' || (y = parse_ndigits(s, i + 1, 4)) < 0 ||
	    (i + 5 < s.n && s.p[i + 5] >= '0' && s.p[i + 5] <= '9') ||
	    d > cal_mdays(y, mo))
		return 0;
	*t = cal_time(y, mo, d, h, mi, sec);
	return i + 5;
}

/* "2000-03-14 10:15:02" or "2000-03-14T10:15:02", nothing more. */
size_t
parse_ymdhms(struct span s, int64_t *t)
{
	int y, mo, d, h, mi, sec;

	if (s.n < 19 || s.p[4] != '-' || s.p[7] != '-' ||
	    (s.p[10] != ' ' && s.p[10] != 'T'))
		return 0;
	y = parse_ndigits(s, 0, 4);
	mo = parse_ndigits(s, 5, 2);
	d = parse_ndigits(s, 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > cal_mdays(y, mo) ||
	    parse_hms(s, 11, &h, &mi, &sec) == -1)
		return 0;
	*t = cal_time(y, mo, d, h, mi, sec);
	return 19;
}
