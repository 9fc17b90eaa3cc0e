/*
 * parse_snare: Snare for Windows "MSWinEventLog" records
 * (docs/forwarders.md), and the same layout from NXLog's
 * to_syslog_snare() and syslog-ng's format-snare.
 *
 *	HOST sep MSWinEventLog sep CRIT sep LOG sep COUNTER sep DATETIME
 *	sep ID sep SOURCE sep USER sep SIDTYPE sep TYPE sep COMPUTER sep
 *	CATEGORY sep DATASTRING sep EXPANDEDSTRING [sep RECORD|MD5 ...]
 *
 * sep is a TAB, or the four bytes "#011" after an rsyslog relay escaped
 * the TABs (then every separator is escaped).  Over syslog the host is
 * the header's and a blank comes before MSWinEventLog.  Fields are split
 * on the separator only, never on blanks: the text keeps its own.
 */
#include "parse/parse.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util/cal.h"
#include "util/evt.h"
#include "util/span.h"

#define SNARE_TAG	"MSWinEventLog"
#define SNARE_ESC	"#011"		/* rsyslog's escaped TAB */
#define SNARE_MINF	14		/* HOST .. DATASTRING */
#define SNARE_NF	16		/* HOST .. RECORD; later ones ignored */
#define SNARE_HOSTMAX	255		/* as RFC 5424 HOSTNAME */
#define SNARE_DIGITS	10		/* counters and IDs are DWORDs */

enum snare_field {
	SF_HOST = 0, SF_TAG, SF_CRIT, SF_LOG, SF_SEQ, SF_TIME, SF_ID,
	SF_SOURCE, SF_USER, SF_SIDTYPE, SF_TYPE, SF_COMPUTER, SF_CATEGORY,
	SF_DATA, SF_TEXT, SF_RECORD
};

static const struct {
	const char	*name;
	enum evt_type	 type;
} snare_types[] = {
	{ "Error",		EVT_TYPE_ERROR },
	{ "Warning",		EVT_TYPE_WARNING },
	{ "Information",	EVT_TYPE_INFORMATION },
	{ "Success Audit",	EVT_TYPE_AUDIT_SUCCESS },
	{ "Failure Audit",	EVT_TYPE_AUDIT_FAILURE },
	/* NXLog writes its EventType names in the Snare field. */
	{ "Info",		EVT_TYPE_INFORMATION },
	{ "Audit_Success",	EVT_TYPE_AUDIT_SUCCESS },
	{ "Audit_Failure",	EVT_TYPE_AUDIT_FAILURE },
	{ "Audit Success",	EVT_TYPE_AUDIT_SUCCESS },
	{ "Audit Failure",	EVT_TYPE_AUDIT_FAILURE },
	/* EVENTLOG_SUCCESS (type 0), rare. */
	{ "Success",		EVT_TYPE_INFORMATION },
};

static int	snare_locate(struct span, struct span *, struct span *,
		    int *);
static int	snare_sep(struct span *, int);
struct snare_scan;
static uint32_t	snare_mask(const uint8_t *, size_t, uint8_t);
static void	snare_scan_init(struct snare_scan *, struct span, uint8_t);
static size_t	snare_scan_next(struct snare_scan *);
static size_t	snare_next_sep(struct snare_scan *, size_t, int);
static size_t	snare_split(struct span, int, struct span *, size_t);
static int	snare_time(struct span, int64_t *);
static int	snare_num(struct span, uint32_t *);
static enum evt_type snare_type(struct span);
static void	snare_fill(const struct span *, size_t, struct evt *);

/*
 * Find MSWinEventLog at the start of the body (the host was in the
 * syslog header) or after a first token (native form: HOST, then a TAB,
 * "#011" or a blank; a TAG such as "msg:" is no host).  Returns 0 with
 * *rest after the separator that follows it, 1 if it ends the body, -1
 * if this is not Snare.  The first-byte test spares the other formats a
 * string compare.
 */
static int
snare_locate(struct span b, struct span *host, struct span *rest, int *esc)
{
	size_t i, lim = b.n < SNARE_HOSTMAX + 1 ? b.n : SNARE_HOSTMAX + 1;

	*host = SPAN_NULL;
	*esc = 0;
	if (b.n == 0 || b.p[0] != 'M' || !span_starts(b, SNARE_TAG)) {
		for (i = 0; i < lim && b.p[i] != ' ' && b.p[i] != '\t' &&
		    b.p[i] != '#'; i++)
			;
		if (i == 0 || i >= lim || b.p[i - 1] == ':')
			return -1;
		*host = span_make(b.p, i);
		b.p += i;
		b.n -= i;
		if (snare_sep(&b, 0) == -1 && snare_sep(&b, 1) == -1) {
			if (b.n == 0 || b.p[0] != ' ')
				return -1;
			b.p++;
			b.n--;
		}
	}
	if (span_expect(&b, SNARE_TAG) == -1)
		return -1;
	if (b.n == 0)
		return 1;
	if (snare_sep(&b, 1) == 0)
		*esc = 1;
	else if (snare_sep(&b, 0) == -1)
		return -1;
	*rest = b;
	return 0;
}

/* Eat one separator: a TAB, or "#011" if esc. */
static int
snare_sep(struct span *s, int esc)
{
	size_t n = esc ? sizeof(SNARE_ESC) - 1 : 1;

	if (s->n < n || (esc ? memcmp(s->p, SNARE_ESC, n) != 0 :
	    s->p[0] != '\t'))
		return -1;
	s->p += n;
	s->n -= n;
	return 0;
}

/*
 * Where the separator byte (TAB, or the '#' of "#011") occurs, 16 bytes
 * at a time: one compare and a bit mask per 16 bytes, then one bit per
 * candidate, so a record is read once however many fields it has (a call
 * to memchr() per field costs more than the fields).  Without SSE2 the
 * mask is built byte by byte; the result is the same.
 */
struct snare_scan {
	const uint8_t	*p;
	size_t		 n;
	size_t		 base;	/* offset of the block the mask describes */
	uint32_t	 m;	/* candidates in it not handed out yet */
	uint8_t		 c;
};

static uint32_t
snare_mask(const uint8_t *p, size_t len, uint8_t c)
{
	uint32_t m = 0;
	size_t j;

#ifdef __SSE2__
	if (len == 16)
		return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)p),
		    _mm_set1_epi8((char)c)));
#endif
	for (j = 0; j < len; j++)
		if (p[j] == c)
			m |= 1u << j;
	return m;
}

static void
snare_scan_init(struct snare_scan *sc, struct span s, uint8_t c)
{
	sc->p = s.p;
	sc->n = s.n;
	sc->base = 0;
	sc->c = c;
	sc->m = snare_mask(s.p, s.n < 16 ? s.n : 16, c);
}

/* The offset of the next candidate, or n. */
static size_t
snare_scan_next(struct snare_scan *sc)
{
	size_t at;

	while (sc->m == 0) {
		sc->base += 16;
		if (sc->base >= sc->n)
			return sc->n;
		sc->m = snare_mask(sc->p + sc->base, sc->n - sc->base < 16 ?
		    sc->n - sc->base : 16, sc->c);
	}
	at = sc->base + (size_t)__builtin_ctz(sc->m);
	sc->m &= sc->m - 1;
	return at;
}

/* The next separator at or after off: a TAB, or with esc "#011"; or n. */
static size_t
snare_next_sep(struct snare_scan *sc, size_t off, int esc)
{
	size_t i;

	while ((i = snare_scan_next(sc)) < sc->n) {
		if (i < off)
			continue;
		if (!esc || (sc->n - i >= 4 && sc->p[i + 1] == '0' &&
		    sc->p[i + 2] == '1' && sc->p[i + 3] == '1'))
			return i;
	}
	return sc->n;
}

/* Split into at most max fields; returns how many (extra ones ignored). */
static size_t
snare_split(struct span s, int esc, struct span *f, size_t max)
{
	struct snare_scan sc;
	size_t k, at, start = 0, seplen = esc ? sizeof(SNARE_ESC) - 1 : 1;

	snare_scan_init(&sc, s, esc ? '#' : '\t');
	for (k = 0; k < max; k++) {
		at = snare_next_sep(&sc, start, esc);
		if (at >= s.n) {
			f[k++] = span_make(s.p + start, s.n - start);
			break;
		}
		f[k] = span_make(s.p + start, at - start);
		start = at + seplen;
	}
	return k;
}

/*
 * DATETIME: "Fri Mar 03 08:12:44 2000" (Snare, zero-padded day) or
 * "Fri Mar  3 08:12:44 2000" (NXLog, space-padded).  The weekday is not
 * checked against the date.
 */
static int
snare_time(struct span f, int64_t *t)
{
	int mo, d, y, h, mi, sec;
	size_t i;

	f = span_trim(f);
	if (f.n < 4 || f.p[3] != ' ' ||
	    (i = parse_mday(f, 4, &mo, &d)) == 0 || i >= f.n ||
	    f.p[i] != ' ' || parse_hms(f, i + 1, &h, &mi, &sec) == -1)
		return -1;
	i += 9;
	if (i + 5 != f.n || f.p[i] != ' ' ||
	    (y = parse_ndigits(f, i + 1, 4)) < 0 || d > cal_mdays(y, mo))
		return -1;
	*t = cal_time(y, mo, d, h, mi, sec);
	return 0;
}

/* A whole field of 1..10 digits, at most 2^32-1; blanks around are let by. */
static int
snare_num(struct span f, uint32_t *v)
{
	f = span_trim(f);
	if (span_u32(&f, SNARE_DIGITS, UINT32_MAX, v) == -1 || f.n != 0)
		return -1;
	return 0;
}

static enum evt_type
snare_type(struct span f)
{
	size_t i;

	/* As Snare writes them first (no two names differ only in case). */
	for (i = 0; i < sizeof(snare_types) / sizeof(snare_types[0]); i++)
		if (span_eq(f, snare_types[i].name))
			return snare_types[i].type;
	for (i = 0; i < sizeof(snare_types) / sizeof(snare_types[0]); i++)
		if (span_eq_nocase(f, snare_types[i].name))
			return snare_types[i].type;
	return EVT_TYPE_UNKNOWN;
}

/*
 * The fields that cannot make the record bad.  The text is
 * EXPANDEDSTRING, or DATASTRING when that is the only one filled in
 * (docs/forwarders.md).  A non-numeric counter or last field (an MD5
 * from older agents) is simply not used.
 */
static void
snare_fill(const struct span *f, size_t nf, struct evt *ev)
{
	uint32_t v;

	ev->log = f[SF_LOG];
	if (snare_num(f[SF_SEQ], &v) == 0)
		ev->seq = v;
	ev->source = f[SF_SOURCE];
	if (!span_eq(f[SF_USER], "N/A") &&
	    !span_eq_nocase(f[SF_USER], "Unknown User"))
		ev->user = f[SF_USER];
	ev->type = snare_type(f[SF_TYPE]);
	if (f[SF_COMPUTER].n > 0)
		ev->computer = f[SF_COMPUTER];
	else if (f[SF_HOST].n > 0)
		ev->computer = f[SF_HOST];
	else
		ev->computer = ev->hdr_host;
	ev->category = f[SF_CATEGORY];
	if (nf > SF_TEXT && f[SF_TEXT].n > 0)
		ev->text = f[SF_TEXT];
	else
		ev->text = f[SF_DATA];
	if (nf > SF_RECORD && snare_num(f[SF_RECORD], &v) == 0)
		ev->record = v;
}

enum parse_rc
parse_snare(const struct parse_in *in, struct evt *ev, enum parse_why *why)
{
	struct span f[SNARE_NF], rest;
	size_t nf = SF_CRIT;
	uint32_t id;
	int esc, rc;

	if ((rc = snare_locate(in->body, &f[SF_HOST], &rest, &esc)) == -1)
		return PARSE_NOMATCH;
	if (rc == 0)
		nf += snare_split(rest, esc, f + SF_CRIT, SNARE_NF - SF_CRIT);
	if (nf < SNARE_MINF) {
		*why = PARSE_WHY_BADFIELDS;
		return PARSE_BAD;
	}
	if (snare_time(f[SF_TIME], &ev->time) == -1) {
		*why = PARSE_WHY_BADTIME;
		return PARSE_BAD;
	}
	ev->time_off = EVT_OFF_LOCAL;	/* the server's wall clock */
	/* Everybody prints EventID & 0xFFFF; keep that much of more. */
	if (snare_num(f[SF_ID], &id) == -1) {
		*why = PARSE_WHY_BADID;
		return PARSE_BAD;
	}
	ev->event_id = (int32_t)(id & 0xffff);
	snare_fill(f, nf, ev);
	return PARSE_OK;
}
