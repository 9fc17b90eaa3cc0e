/*
 * parse: the record-level checks, the parser chain, its counters, and the
 * calendar helpers the format parsers share.
 */
#include "parse/parse.h"

#include <string.h>

#include "util/evt.h"
#include "util/span.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define DAY		86400

/*
 * Order matters: the first parser that says PARSE_OK (or PARSE_BAD) wins.
 * It follows docs/forwarders.md: NXLog's SD and JSON first, then the
 * tags that name their forwarder (MSWinEventLog, "NT: <", EvntSLog), the
 * shapes that carry an event ID (evtsys, NXLog raw_event) before the
 * NTsyslog classic "log[type]", and last NXLog's plain "SOURCE: text",
 * which looks like any TAG and so is taken only in NXLog's own form.
 */
static const struct parser parsers[] = {
	{ "nxlog-ietf",	EVT_FMT_NXLOG_IETF,	parse_nxlog_ietf },
	{ "nxlog-json",	EVT_FMT_NXLOG_JSON,	parse_nxlog_json },
	{ "snare",	EVT_FMT_SNARE,		parse_snare },
	{ "ntsyslog",	EVT_FMT_NTSYSLOG,	parse_ntsyslog },
	{ "adiscon",	EVT_FMT_ADISCON,	parse_adiscon },
	{ "evtsys",	EVT_FMT_EVTSYS,		parse_evtsys },
	{ "nxlog-raw",	EVT_FMT_NXLOG_RAW,	parse_nxlog_raw },
	{ "ntsyslog-classic", EVT_FMT_NTSYSLOG_CLASSIC,
	    parse_ntsyslog_classic },
	{ "nxlog-bsd",	EVT_FMT_NXLOG_BSD,	parse_nxlog_bsd },
};

/* Unescaped text (struct parse_in); unescaping never lengthens a record. */
static _Thread_local uint8_t scratch[PARSE_MAXREC];

static const char *const why_names[PARSE_WHY__MAX] = {
	"none", "empty", "too-long", "nul", "bad-pri", "bad-header",
	"bad-fields", "bad-id", "bad-time", "unrecognised"
};

static int	rec_prepare(const uint8_t *, size_t, struct span *,
		    enum parse_why *);
static enum parse_rc chain_run(struct span, struct span, int64_t,
		    struct evt *, enum parse_why *);
static int64_t	days_from_civil(int64_t, int, int);
static int64_t	year_of(int64_t);

/*
 * Framing debris goes (trailing CR, LF, NUL: docs/forwarders.md);
 * an oversized record is dropped whole, never truncated (docs/forwarders.md); a NUL
 * still inside means the record is not text and is dropped too.
 */
static int
rec_prepare(const uint8_t *buf, size_t n, struct span *rec,
    enum parse_why *why)
{
	if (n > PARSE_MAXREC) {
		*why = PARSE_WHY_TOOLONG;
		return -1;
	}
	if (buf == NULL)
		n = 0;
	while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == '\n' ||
	    buf[n - 1] == '\0'))
		n--;
	if (n == 0) {
		*why = PARSE_WHY_EMPTY;
		return -1;
	}
	if (memchr(buf, '\0', n) != NULL) {
		*why = PARSE_WHY_NUL;
		return -1;
	}
	*rec = span_make(buf, n);
	return 0;
}

/*
 * Offer the body to each forwarder parser.  A parser that fails may have
 * written into ev, so the header-only event is put back after it.  When
 * nothing matches, ev keeps the header, app, msg and (as text) msg, for a
 * caller that wants to look at unrecognised lines anyway.
 */
static enum parse_rc
chain_run(struct span rec, struct span body, int64_t now, struct evt *ev,
    enum parse_why *why)
{
	struct parse_in in = { body, now, rec, scratch, sizeof(scratch) };
	struct evt save;
	enum parse_rc rc;
	size_t i;

	ev->computer = ev->hdr_host;
	ev->time = ev->hdr_time;
	ev->text = ev->msg;
	save = *ev;
	for (i = 0; i < NITEMS(parsers); i++) {
		rc = parsers[i].parse(&in, ev, why);
		if (rc == PARSE_OK) {
			/* A parser may name a variant of its format. */
			if (ev->fmt == EVT_FMT_NONE)
				ev->fmt = parsers[i].fmt;
			return PARSE_OK;
		}
		*ev = save;
		if (rc == PARSE_BAD) {
			if (*why == PARSE_WHY_NONE)
				*why = PARSE_WHY_BADFIELDS;
			return PARSE_BAD;
		}
	}
	*why = PARSE_WHY_UNRECOGNISED;
	return PARSE_NOMATCH;
}

enum parse_rc
parse_record(const uint8_t *buf, size_t n, int64_t now, struct evt *ev,
    enum parse_why *whyp, struct parse_stats *stats)
{
	struct span rec, body;
	enum parse_why why = PARSE_WHY_NONE;
	enum parse_rc rc = PARSE_BAD;

	evt_reset(ev);
	if (rec_prepare(buf, n, &rec, &why) == 0 &&
	    parse_header(rec, now, ev, &body, &why) == 0)
		rc = chain_run(rec, body, now, ev, &why);
	if (stats != NULL) {
		stats->records++;
		if (rc == PARSE_OK) {
			stats->parsed++;
			stats->by_fmt[ev->fmt]++;
		} else
			stats->bad[why]++;
	}
	if (whyp != NULL)
		*whyp = why;
	return rc;
}

const char *
parse_why_name(enum parse_why why)
{
	return (unsigned)why < PARSE_WHY__MAX ? why_names[why] : "unknown";
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, 1970-01-01 = 0. */
static int64_t
days_from_civil(int64_t y, int mo, int d)
{
	int64_t era, yoe, doy, doe;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse, year only; clamped so that any now yields a usable year. */
static int64_t
year_of(int64_t t)
{
	int64_t z, era, doe, yoe, doy, mp, y;

	z = t / DAY - (t % DAY < 0) + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	y = yoe + era * 400 + (mp >= 10);
	if (y < 1)
		return 1;
	return y > 9999 ? 9999 : y;
}

int64_t
parse_civil_time(int y, int mo, int d, int h, int mi, int s)
{
	return days_from_civil(y, mo, d) * DAY + (int64_t)h * 3600 +
	    (int64_t)mi * 60 + s;
}

/*
 * A year-less stamp (RFC 3164) belongs to the year of now, unless that
 * puts it more than 31 days ahead of now: then it was written last year
 * (a December line read in January).
 */
int64_t
parse_infer_year(int mo, int d, int h, int mi, int s, int64_t now)
{
	int y = (int)year_of(now);
	int64_t t;

	t = parse_civil_time(y, mo, d, h, mi, s);
	if (now < INT64_MAX - 31 * DAY && t > now + 31 * DAY)
		t = parse_civil_time(y - 1, mo, d, h, mi, s);
	return t;
}

/* Three letters, any case; compared as one word, this runs per record. */
int
parse_month(struct span s)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	int i;
	uint8_t a, b, c;

	if (s.n != 3)
		return -1;
	a = s.p[0] | 0x20;
	b = s.p[1] | 0x20;
	c = s.p[2] | 0x20;
	for (i = 0; i < 12; i++)
		if (a == names[3 * i] && b == names[3 * i + 1] &&
		    c == names[3 * i + 2])
			return i + 1;
	return -1;
}

int
parse_mdays(int y, int mo)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (mo < 1 || mo > 12)
		return 0;
	if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return mdays[mo - 1];
}

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

/* "hh:mm:ss" at s.p[off], in range (a leap second 60 is let through). */
int
parse_hms(struct span s, size_t off, int *h, int *mi, int *sec)
{
	if (off > s.n || s.n - off < 8 || s.p[off + 2] != ':' ||
	    s.p[off + 5] != ':')
		return -1;
	*h = parse_ndigits(s, off, 2);
	*mi = parse_ndigits(s, off + 3, 2);
	*sec = parse_ndigits(s, off + 6, 2);
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
	    (*mo = parse_month(span_make(s.p + off, 3))) < 0)
		return 0;
	if (s.p[i] == ' ')
		i++;
	if ((*d = parse_ndigits(s, i, 2)) >= 0)
		i += 2;
	else if ((*d = parse_ndigits(s, i, 1)) >= 0)
		i += 1;
	else
		return 0;
	if (*d < 1 || *d > parse_mdays(2000, *mo))
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
	    d > parse_mdays(y, mo))
		return 0;
	*t = parse_civil_time(y, mo, d, h, mi, sec);
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
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > parse_mdays(y, mo) ||
	    parse_hms(s, 11, &h, &mi, &sec) == -1)
		return 0;
	*t = parse_civil_time(y, mo, d, h, mi, sec);
	return 19;
}

struct span
parse_scratch(void)
{
	return span_make(scratch, sizeof(scratch));
}

struct span
parse_scratch_put(const struct parse_in *in, size_t *used,
    const struct span *parts, size_t n)
{
	size_t i, len = 0, at = *used;

	if (at > in->scratchsz)
		return SPAN_NULL;
	for (i = 0; i < n; i++) {
		if (parts[i].n > in->scratchsz - at - len)
			return SPAN_NULL;
		len += parts[i].n;
	}
	for (i = 0, len = 0; i < n; i++) {
		if (parts[i].n > 0)
			memmove(in->scratch + at + len, parts[i].p, parts[i].n);
		len += parts[i].n;
	}
	*used = at + len;
	return span_make(in->scratch + at, len);
}
