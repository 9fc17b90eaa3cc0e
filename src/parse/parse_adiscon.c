/*
 * parse_adiscon: Adiscon EventReporter / MonitorWare Agent records
 * (docs/forwarders.md), TAG "EvntSLog" (the default "SyslogTag Value").
 *
 *	legacy	<PRI>[Mmm dd hh:mm:ss HOST ]EvntSLog: [ERR] Tue Mar 14
 *		10:15:02 2000: HOST/SOURCE (ID) - "TEXT"
 *	default	<PRI>Mmm dd hh:mm:ss HOST EvntSLog: TEXT
 *
 * 2000-era agents sent the legacy form without a 3164 header, so its
 * host and time come from the payload.  TEXT is quoted but its own quotes
 * are not escaped: it runs from `- "` to the last quote.  The default
 * form is the description alone (the docs: ID and source only in the XML
 * variant), so it parses with no event ID and no source, and its type is
 * left unknown: the PRI severity does not tell an error from an audit
 * failure.  Over RFC 5424 the TAG is the APP-NAME.
 */
#include "parse/parse.h"

#include <string.h>

#include "util/evt.h"
#include "util/span.h"

#define AD_TAG		"EvntSLog"
#define AD_HOSTMAX	255
#define AD_SRCMAX	255
#define AD_IDDIGITS	10

static const struct {
	const char	*sev;
	enum evt_type	 type;
} ad_sevs[] = {
	{ "[ERR] ", EVT_TYPE_ERROR },
	{ "[WRN] ", EVT_TYPE_WARNING },
	{ "[INF] ", EVT_TYPE_INFORMATION },
	{ "[AUS] ", EVT_TYPE_AUDIT_SUCCESS },
	{ "[AUF] ", EVT_TYPE_AUDIT_FAILURE },
	{ "[NON] ", EVT_TYPE_UNKNOWN },
};

static int	ad_payload(const struct parse_in *, const struct evt *,
		    struct span *);
static int	ad_source_id(struct span *, struct span *, uint32_t *);
static enum parse_rc ad_legacy(struct span, enum evt_type, struct evt *,
		    enum parse_why *);

/*
 * The MSG of a record tagged EvntSLog: in RFC 3164 the TAG opens the
 * body and ends in ':'; in RFC 5424 it is the APP-NAME, before the body.
 */
static int
ad_payload(const struct parse_in *in, const struct evt *ev, struct span *m)
{
	const struct span b = in->body;
	size_t n = sizeof(AD_TAG) - 1;

	if (!span_eq(ev->app, AD_TAG))
		return -1;
	if (ev->app.p == b.p && (b.n <= n || b.p[n] != ':'))
		return -1;
	*m = ev->msg;
	return 0;
}

/*
 * "SOURCE (ID) - \"": the source runs to the first " (digits) - \"", so a
 * source with parentheses of its own still reads.  -1 if there is no
 * such place (BADFIELDS), -2 if its number is too big (BADID).
 */
static int
ad_source_id(struct span *s, struct span *src, uint32_t *id)
{
	size_t i, lim = s->n < AD_SRCMAX + 1 ? s->n : AD_SRCMAX + 1;
	struct span t;

	for (i = 1; i < lim; i++) {
		if (s->p[i] != ' ' || i + 1 >= s->n || s->p[i + 1] != '(')
			continue;
		t = span_make(s->p + i + 2, s->n - i - 2);
		if (t.n == 0 || t.p[0] < '0' || t.p[0] > '9')
			continue;
		if (span_u32(&t, AD_IDDIGITS, UINT32_MAX, id) == -1)
			return -2;
		if (span_expect(&t, ") - \"") == -1)
			continue;
		*src = span_make(s->p, i);
		*s = t;
		return 0;
	}
	return -1;
}

/* After "[SEV] ": "<ctime>: HOST/SOURCE (ID) - \"TEXT\"". */
static enum parse_rc
ad_legacy(struct span m, enum evt_type type, struct evt *ev,
    enum parse_why *why)
{
	struct span host, src;
	int64_t t;
	uint32_t id;
	size_t k;
	int rc;

	if ((k = parse_ctime(m, &t)) == 0 || m.n - k < 2 ||
	    m.p[k] != ':' || m.p[k + 1] != ' ') {
		*why = PARSE_WHY_BADTIME;
		return PARSE_BAD;
	}
	m.p += k + 2;
	m.n -= k + 2;
	if (span_take_until(&m, '/', &host) == -1 || host.n == 0 ||
	    host.n > AD_HOSTMAX || memchr(host.p, ' ', host.n) != NULL) {
		*why = PARSE_WHY_BADFIELDS;
		return PARSE_BAD;
	}
	if ((rc = ad_source_id(&m, &src, &id)) < 0) {
		*why = rc == -2 ? PARSE_WHY_BADID : PARSE_WHY_BADFIELDS;
		return PARSE_BAD;
	}
	if (m.n > 0 && m.p[m.n - 1] == '"')
		m.n--;
	ev->fmt = EVT_FMT_ADISCON_LEGACY;
	ev->time = t;
	ev->time_off = EVT_OFF_LOCAL;
	ev->computer = host;
	ev->source = src;
	ev->event_id = (int32_t)(id & 0xffff);
	ev->type = type;
	ev->text = m;
	return PARSE_OK;
}

enum parse_rc
parse_adiscon(const struct parse_in *in, struct evt *ev, enum parse_why *why)
{
	struct span m;
	size_t i;

	if (ad_payload(in, ev, &m) == -1)
		return PARSE_NOMATCH;
	for (i = 0; i < sizeof(ad_sevs) / sizeof(ad_sevs[0]); i++)
		if (span_starts(m, ad_sevs[i].sev)) {
			m.p += 6;
			m.n -= 6;
			return ad_legacy(m, ad_sevs[i].type, ev, why);
		}
	ev->fmt = EVT_FMT_ADISCON;
	ev->text = m;
	return PARSE_OK;
}
