/*
 * parse_syslog: the syslog header in front of a forwarded event.
 *
 * RFC 5424 when "1 " follows the PRI.  Otherwise RFC 3164 with the
 * deviations of docs/forwarders.md: no PRI, no stamp, no host, ISO-8601
 * or year-bearing stamps in the 3164 position, zero-padded days, a TAG
 * ended by ':', '[' or a blank, a BOM before MSG, and a relay's header in
 * front of the original one (read through, up to HDR_DEPTH deep).
 */
#include "parse/parse.h"

#include <string.h>

#include "util/cal.h"
#include "util/evt.h"
#include "util/span.h"

#define PRI_MAX		191	/* RFC 5424 §6.2.1: facility 23, severity 7 */
#define HDR_DEPTH	4	/* headers read through: relays of relays */
#define HOST_MAX	255	/* RFC 5424 §6: HOSTNAME */
#define APP_MAX		48	/* RFC 5424 §6: APP-NAME */
#define PROCID_MAX	128	/* RFC 5424 §6: PROCID */
#define MSGID_MAX	32	/* RFC 5424 §6: MSGID */
#define SDNAME_MAX	32	/* RFC 5424 §6: SD-NAME */
#define FRAC_5424	6	/* RFC 5424 §6.2.3: TIME-SECFRAC */
#define FRAC_LOOSE	9
#define TAG_MAX		48	/* RFC 3164 §4.1.3: 32; sources run longer */
#define PID_MAX		128	/* as PROCID */

struct hdr {
	int		 pri;
	int		 rfc5424;
	int64_t		 time;
	int32_t		 off;		/* EVT_OFF_LOCAL: no zone */
	struct span	 host;
	struct span	 app;
	struct span	 sd;
	struct span	 body;
};

static void	eat(struct span *, size_t);
static int	eat_byte(struct span *, uint8_t);
static void	bom_skip(struct span *);
static int	pri_read(struct span *, int *);
static int	hdr_read(struct span, int64_t, struct hdr *,
		    enum parse_why *);
static void	hdr_merge(struct hdr *, const struct hdr *);
static int	hdr_5424(struct span *, struct hdr *);
static void	hdr_3164(struct span *, int64_t, struct hdr *);
static int	field_5424(struct span *, size_t, struct span *);
static int	sd_read(struct span *, struct span *);
static int	sd_element(struct span *);
static int	sd_name(struct span *);
static int	sd_value(struct span *);
static int	ts_3164(struct span *, int64_t, int64_t *, int32_t *);
static int	ts_bsd(struct span *, int64_t, int64_t *);
static int	ts_iso(struct span *, int, int64_t *, int32_t *);
static int	year_at(struct span, size_t);
static size_t	frac_skip(struct span, size_t, size_t);
static size_t	zone_read(struct span, size_t, int, int32_t *);
static int	is_ipv6(struct span);
static void	host_read(struct span *, struct span *);
static void	tag_read(struct span, struct span *, struct span *);

/*
 * What a byte means to the host and TAG readers: the blank or TAB that
 * ends a host, the bytes no host has ('[', '<', controls, DEL), the
 * bytes that end a TAG (':', '[', blank, TAB, and '#' of "#011"), the
 * bytes no TAG has (controls, DEL).  One load per byte.
 */
#define C_HOST_END	0x01
#define C_HOST_BAD	0x02
#define C_TAG_END	0x04
#define C_TAG_BAD	0x08
#define C_HASH		0x10
#define C_CTL		(C_HOST_BAD | C_TAG_BAD)

static const uint8_t cclass[256] = {
	[0x00] = C_CTL, [0x01] = C_CTL, [0x02] = C_CTL, [0x03] = C_CTL,
	[0x04] = C_CTL, [0x05] = C_CTL, [0x06] = C_CTL, [0x07] = C_CTL,
	[0x08] = C_CTL, [0x0a] = C_CTL, [0x0b] = C_CTL,
	[0x0c] = C_CTL, [0x0d] = C_CTL, [0x0e] = C_CTL, [0x0f] = C_CTL,
	[0x10] = C_CTL, [0x11] = C_CTL, [0x12] = C_CTL, [0x13] = C_CTL,
	[0x14] = C_CTL, [0x15] = C_CTL, [0x16] = C_CTL, [0x17] = C_CTL,
	[0x18] = C_CTL, [0x19] = C_CTL, [0x1a] = C_CTL, [0x1b] = C_CTL,
	[0x1c] = C_CTL, [0x1d] = C_CTL, [0x1e] = C_CTL, [0x1f] = C_CTL,
	[0x7f] = C_CTL,
	['\t'] = C_HOST_END | C_TAG_END,
	[' '] = C_HOST_END | C_TAG_END,
	[':'] = C_TAG_END,
	['['] = C_HOST_BAD | C_TAG_END,
	['<'] = C_HOST_BAD,
	['#'] = C_HASH,
};

static void
eat(struct span *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

/* span_expect() for one byte, without its strlen and memcmp: hot path. */
static int
eat_byte(struct span *s, uint8_t c)
{
	if (s->n == 0 || s->p[0] != c)
		return -1;
	eat(s, 1);
	return 0;
}

static void
bom_skip(struct span *s)
{
	if (s->n >= 3 && s->p[0] == 0xef && s->p[1] == 0xbb &&
	    s->p[2] == 0xbf)
		eat(s, 3);
}

/*
 * PRI: '<', 1 to 3 digits, at most 191, '>' (RFC 3164 §4.1.1, RFC 5424
 * §6.2.1; leading zeros are let through).  Returns 1 if the record has
 * no PRI, 0 if one was read, -1 if a '<' opens something else.
 *
 * RFC 3164 §4.3.3 (written for relays)
 * would treat a broken PRI as no PRI.  We are the last receiver, not a
 * relay, and no forwarder of docs/forwarders.md sends "<1234>" or "<192>": such a
 * record is garbage that happens to start with '<', and reading on would
 * only invite a false match.  parse_record() counts it as BADPRI.
 */
static int
pri_read(struct span *s, int *pri)
{
	struct span t = *s;
	uint32_t v;

	if (eat_byte(&t, '<') == -1)
		return 1;
	if (span_u32(&t, 3, PRI_MAX, &v) == -1 || eat_byte(&t, '>') == -1)
		return -1;
	*pri = (int)v;
	*s = t;
	return 0;
}

/* One header, from the BOM or PRI up to the body. */
static int
hdr_read(struct span s, int64_t now, struct hdr *h, enum parse_why *why)
{
	/* Field by field: compilers zero a whole struct with a string
	 * store, which costs more than these at this size. */
	h->pri = -1;
	h->rfc5424 = 0;
	h->time = EVT_TIME_NONE;
	h->off = EVT_OFF_LOCAL;
	h->host = SPAN_NULL;	/* not chained: a chain reloads each store */
	h->app = SPAN_NULL;
	h->sd = SPAN_NULL;
	h->body = SPAN_NULL;
	bom_skip(&s);
	if (pri_read(&s, &h->pri) == -1) {
		*why = PARSE_WHY_BADPRI;
		return -1;
	}
	if (h->pri >= 0 && s.n >= 2 && s.p[0] == '1' && s.p[1] == ' ') {
		eat(&s, 2);
		h->rfc5424 = 1;
		if (hdr_5424(&s, h) == -1) {
			*why = PARSE_WHY_BADHEADER;
			return -1;
		}
	} else
		hdr_3164(&s, now, h);
	bom_skip(&s);
	h->body = s;
	return 0;
}

/*
 * A relay's header in front of the original: the inner one describes the
 * event.  What the inner one lacks (evtsys 3.x has no stamp and no host)
 * is kept from the outer one, the best information there is.
 */
static void
hdr_merge(struct hdr *h, const struct hdr *in)
{
	h->pri = in->pri;
	h->rfc5424 = in->rfc5424;
	if (in->time != EVT_TIME_NONE) {
		h->time = in->time;
		h->off = in->off;
	}
	if (in->host.n > 0)
		h->host = in->host;
	h->app = in->app;
	h->sd = in->sd;
	h->body = in->body;
}

/*
 * RFC 5424 §6, after "<PRI>1 ":
 * TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
 */
static int
hdr_5424(struct span *s, struct hdr *h)
{
	struct span procid, msgid;

	if (eat_byte(s, '-') == -1 && ts_iso(s, 1, &h->time, &h->off) == -1)
		return -1;
	if (eat_byte(s, ' ') == -1 ||
	    field_5424(s, HOST_MAX, &h->host) == -1 ||
	    field_5424(s, APP_MAX, &h->app) == -1 ||
	    field_5424(s, PROCID_MAX, &procid) == -1 ||
	    field_5424(s, MSGID_MAX, &msgid) == -1 ||
	    sd_read(s, &h->sd) == -1)
		return -1;
	if (s->n > 0 && eat_byte(s, ' ') == -1)
		return -1;
	return 0;
}

/* 1..max PRINTUSASCII then SP (RFC 5424 §6); NILVALUE reads as empty. */
static int
field_5424(struct span *s, size_t max, struct span *out)
{
	size_t i;

	for (i = 0; i < s->n && s->p[i] != ' '; i++)
		if (i >= max || s->p[i] < 33 || s->p[i] > 126)
			return -1;
	if (i == 0 || i == s->n)
		return -1;
	if (i == 1 && s->p[0] == '-')
		*out = SPAN_NULL;
	else
		*out = span_make(s->p, i);
	eat(s, i + 1);
	return 0;
}

/* STRUCTURED-DATA: NILVALUE or 1*SD-ELEMENT (RFC 5424 §6.3). */
static int
sd_read(struct span *s, struct span *sd)
{
	struct span t = *s;

	if (eat_byte(&t, '-') == 0) {
		*sd = SPAN_NULL;
		*s = t;
		return 0;
	}
	if (t.n == 0 || t.p[0] != '[')
		return -1;
	while (t.n > 0 && t.p[0] == '[')
		if (sd_element(&t) == -1)
			return -1;
	*sd = span_make(s->p, s->n - t.n);
	*s = t;
	return 0;
}

/* "[" SD-ID *(SP SD-NAME "=" '"' PARAM-VALUE '"') "]" */
static int
sd_element(struct span *t)
{
	eat(t, 1);
	if (sd_name(t) == -1)
		return -1;
	while (eat_byte(t, ' ') == 0)
		if (sd_name(t) == -1 || eat_byte(t, '=') == -1 ||
		    eat_byte(t, '"') == -1 || sd_value(t) == -1)
			return -1;
	return eat_byte(t, ']');
}

static int
sd_name(struct span *t)
{
	size_t i;
	uint8_t c;

	for (i = 0; i < t->n && i <= SDNAME_MAX; i++) {
		c = t->p[i];
		if (c < 33 || c > 126 || c == '=' || c == ']' || c == '"')
			break;
	}
	if (i == 0 || i > SDNAME_MAX)
		return -1;
	eat(t, i);
	return 0;
}

/*
 * PARAM-VALUE up to and with its closing quote.  A backslash takes the
 * next byte with it, which covers the three escapes (\" \\ \]) and
 * leaves any other backslash as the literal RFC 5424 §6.3.3 says it is.
 */
static int
sd_value(struct span *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->p[i] == '\\')
			i++;
		else if (t->p[i] == '"') {
			eat(t, i + 1);
			return 0;
		}
	}
	return -1;
}

/* RFC 3164: a stamp, blanks, maybe a host.  No stamp: no host either. */
static void
hdr_3164(struct span *s, int64_t now, struct hdr *h)
{
	if (ts_3164(s, now, &h->time, &h->off) == -1)
		return;
	while (s->n > 0 && s->p[0] == ' ')
		eat(s, 1);
	host_read(s, &h->host);
}

/* Any stamp we know in the 3164 position, ending the record or a field. */
static int
ts_3164(struct span *s, int64_t now, int64_t *t, int32_t *off)
{
	struct span u = *s;
	int64_t v;
	int32_t o = EVT_OFF_LOCAL;

	if (ts_bsd(&u, now, &v) == -1 && ts_iso(&u, 0, &v, &o) == -1)
		return -1;
	if (u.n > 0 && u.p[0] != ' ')
		return -1;
	*s = u;
	*t = v;
	*off = o;
	return 0;
}

/*
 * "Mmm dd hh:mm:ss" (RFC 3164 §4.1.2; day space- or zero-padded), with
 * an optional fraction, and the year-bearing "Mmm dd yyyy hh:mm:ss" and
 * "Mmm dd hh:mm:ss yyyy" that some relays write.  No year: infer it.
 *
 * A stream's consecutive records mostly carry the same second, so the
 * plain 15-byte form is remembered with its result (per thread, with the
 * clock it was inferred against) and the next one that equals it, with
 * no fraction or year after it, costs a compare.
 */
#define TS_BSD_LEN	15

static _Thread_local struct {
	uint8_t	 b[TS_BSD_LEN];
	int64_t	 now;
	int64_t	 t;
	int	 ok;
} ts_last;

static int
ts_bsd(struct span *s, int64_t now, int64_t *t)
{
	int mo, d, y, h, mi, sec;
	size_t i;

	if (ts_last.ok && s->n >= TS_BSD_LEN && now == ts_last.now &&
	    memcmp(s->p, ts_last.b, TS_BSD_LEN) == 0 &&
	    (s->n == TS_BSD_LEN || (s->p[TS_BSD_LEN] != '.' &&
	    !(s->p[TS_BSD_LEN] == ' ' && year_at(*s, TS_BSD_LEN + 1) >= 0)))) {
		*t = ts_last.t;
		eat(s, TS_BSD_LEN);
		return 0;
	}
	if ((i = parse_mday(*s, 0, &mo, &d)) == 0 || i >= s->n ||
	    s->p[i] != ' ')
		return -1;
	if ((y = year_at(*s, ++i)) >= 0)
		i += 5;
	if (parse_hms(*s, i, &h, &mi, &sec) == -1 ||
	    (i = frac_skip(*s, i + 8, FRAC_LOOSE)) == 0)
		return -1;
	if (y < 0 && i < s->n && s->p[i] == ' ' &&
	    (y = year_at(*s, i + 1)) >= 0)
		i += 5;
	if (y >= 0 && d > cal_mdays(y, mo))
		return -1;
	if (y >= 0)
		*t = cal_time(y, mo, d, h, mi, sec);
	else {
		*t = cal_infer_year(mo, d, h, mi, sec, now);
		if (i == TS_BSD_LEN) {
			memcpy(ts_last.b, s->p, TS_BSD_LEN);
			ts_last.now = now;
			ts_last.t = *t;
			ts_last.ok = 1;
		}
	}
	eat(s, i);
	return 0;
}

/* Four digits at off, then a blank or the end: a year. */
static int
year_at(struct span s, size_t off)
{
	int y;

	if ((y = parse_ndigits(s, off, 4)) < 0 ||
	    (off + 4 < s.n && s.p[off + 4] != ' '))
		return -1;
	return y;
}

/*
 * RFC 3339 "yyyy-mm-ddThh:mm:ss[.frac](Z|+hh:mm)" as RFC 5424 §6.2.3
 * wants it (strict), or as relays put it in the 3164 position: 'T' or
 * a blank, any zone optional, "+hhmm" too.  *t is the wall-clock time;
 * *off the zone's offset east of UTC, or EVT_OFF_LOCAL if none was given
 * (parse_record() applies it).
 */
static int
ts_iso(struct span *s, int strict, int64_t *t, int32_t *off)
{
	int y, mo, d, h, mi, sec;
	size_t i;

	if (s->n < 19 || s->p[4] != '-' || s->p[7] != '-' ||
	    !(s->p[10] == 'T' || (!strict && s->p[10] == ' ')))
		return -1;
	y = parse_ndigits(*s, 0, 4);
	mo = parse_ndigits(*s, 5, 2);
	d = parse_ndigits(*s, 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > cal_mdays(y, mo) ||
	    parse_hms(*s, 11, &h, &mi, &sec) == -1)
		return -1;
	if ((i = frac_skip(*s, 19, strict ? FRAC_5424 : FRAC_LOOSE)) == 0 ||
	    (i = zone_read(*s, i, strict, off)) == 0)
		return -1;
	*t = cal_time(y, mo, d, h, mi, sec);
	eat(s, i);
	return 0;
}

/* ".d{1,max}" at off: the offset after it, off if absent, 0 if broken. */
static size_t
frac_skip(struct span s, size_t off, size_t max)
{
	size_t i;

	if (off >= s.n || s.p[off] != '.')
		return off;
	for (i = off + 1; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++)
		if (i - off > max)
			return 0;
	return i > off + 1 ? i : 0;
}

/*
 * "Z" or "+hh:mm" (loose: also "+hhmm" or none) at off: the offset in s
 * after it, or 0; *zone gets seconds east of UTC, left alone if none.
 */
static size_t
zone_read(struct span s, size_t off, int strict, int32_t *zone)
{
	int zh, zm, neg;

	if (off < s.n && (s.p[off] == 'Z' || s.p[off] == 'z')) {
		*zone = 0;
		return off + 1;
	}
	if (off >= s.n || (s.p[off] != '+' && s.p[off] != '-'))
		return strict ? 0 : off;
	neg = s.p[off] == '-';
	zh = parse_ndigits(s, off + 1, 2);
	if (off + 3 < s.n && s.p[off + 3] == ':') {
		zm = parse_ndigits(s, off + 4, 2);
		off += 6;
	} else {
		zm = strict ? -1 : parse_ndigits(s, off + 3, 2);
		off += 5;
	}
	if (zh < 0 || zh > 23 || zm < 0 || zm > 59)
		return 0;
	*zone = (neg ? -1 : 1) * (zh * 3600 + zm * 60);
	return off;
}

/* "fe80::1", "::ffff:10.0.0.1": may end in ':' and still be a host. */
static int
is_ipv6(struct span s)
{
	size_t i, colons = 0;
	uint8_t c;

	for (i = 0; i < s.n; i++) {
		c = s.p[i];
		if (c == ':')
			colons++;
		else if (!(c == '.' || (c >= '0' && c <= '9') ||
		    ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')))
			return 0;
	}
	return colons >= 2;
}

/*
 * HOSTNAME (RFC 3164 §4.1.2), ended by a blank (or a TAB).  A token that
 * cannot be a host means the sender left it out: a TAG ("SOURCE:", as
 * evtsys 4.0/4.1 send it; "app[pid]:"), a nested header ('<'), the
 * Snare tag, or control bytes.  Then nothing is eaten and the token
 * starts the body.
 */
static void
host_read(struct span *s, struct span *host)
{
	size_t i, lim = s->n < HOST_MAX + 1 ? s->n : HOST_MAX + 1;
	struct span tok;

	for (i = 0; i < lim && (cclass[s->p[i]] & C_HOST_END) == 0; i++)
		if (cclass[s->p[i]] & C_HOST_BAD)
			return;
	tok = span_make(s->p, i);
	if (i == 0 || i > HOST_MAX || span_eq(tok, "MSWinEventLog") ||
	    (s->p[i - 1] == ':' && !is_ipv6(tok)))
		return;
	*host = tok;
	eat(s, i < s->n ? i + 1 : i);
}

/*
 * TAG (RFC 3164 §4.1.3): what precedes ':', '[', a blank or an escaped
 * TAB ("#011").  None, one with control bytes, or one longer than
 * TAG_MAX: the body is all MSG.
 */
static void
tag_read(struct span b, struct span *app, struct span *msg)
{
	size_t i, lim = b.n < TAG_MAX + 1 ? b.n : TAG_MAX + 1;
	struct span r, pid;

	*app = SPAN_NULL;
	*msg = b;
	for (i = 0; i < lim; i++) {
		if (cclass[b.p[i]] == 0)
			continue;	/* most bytes: one load, one test */
		if ((cclass[b.p[i]] & C_TAG_END) || (b.p[i] == '#' &&
		    span_starts(span_make(b.p + i, b.n - i), "#011")))
			break;
		if (cclass[b.p[i]] & C_TAG_BAD)
			return;
	}
	if (i == 0 || i > TAG_MAX)
		return;
	r = span_make(b.p + i, b.n - i);
	if (eat_byte(&r, '[') == 0) {
		if (span_take_until(&r, ']', &pid) == -1 || pid.n > PID_MAX)
			return;
		if (eat_byte(&r, ':') == 0)
			(void)eat_byte(&r, ' ');
	} else if (eat_byte(&r, ':') == 0)
		(void)eat_byte(&r, ' ');
	else if (span_expect(&r, "#011") == -1 && r.n > 0)
		eat(&r, 1);
	bom_skip(&r);
	*app = span_make(b.p, i);
	*msg = r;
}

int
parse_header(struct span rec, int64_t now, struct evt *ev,
    struct span *body, enum parse_why *why)
{
	struct hdr h, in;
	enum parse_why ignored;
	struct span t;
	int depth, pri;

	if (hdr_read(rec, now, &h, why) == -1)
		return -1;
	for (depth = 1; depth < HDR_DEPTH; depth++) {
		t = h.body;
		if (pri_read(&t, &pri) != 0 ||
		    hdr_read(h.body, now, &in, &ignored) == -1)
			break;
		hdr_merge(&h, &in);
	}
	ev->pri = h.pri;
	ev->hdr_time = h.time;
	ev->hdr_off = h.off;
	ev->hdr_host = h.host;
	ev->sd = h.sd;
	if (h.rfc5424) {
		ev->app = h.app;
		ev->msg = h.body;
	} else
		tag_read(h.body, &ev->app, &ev->msg);
	*body = h.body;
	return 0;
}
