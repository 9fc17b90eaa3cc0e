/*
 * parse: the record-level checks, the parser chain and its counters.
 * The pieces the format parsers share live below them, in parse_time.c
 * (stamps) and parse_scratch.c (unescaped text), so that the chain calls
 * down into the parsers and nothing calls back up.
 */
#include "parse/parse.h"

#include <string.h>

#include "util/evt.h"
#include "util/span.h"
#include "util/tz.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Order matters: the first parser that says PARSE_OK (or PARSE_BAD) wins.
 * It follows docs/forwarders.md: NXLog's SD and JSON first, then the
 * tags that name their forwarder (MSWinEventLog, "NT: <", EvntSLog), the
 * shapes that carry an event ID (evtsys, NXLog raw_event) before the
 * NTsyslog classic "log[type]", and last NXLog's plain "SOURCE: text",
 * which looks like any TAG and so is taken only in NXLog's own form.
 * Any other syslog record is unrecognised here; the caller may still
 * read it as parse_plain() does, if the KB recognises its text.
 */
static const struct parser parsers[] = {
	{ "nxlog-ietf",	EVT_FMT_NXLOG_IETF,	parse_nxlog_ietf, 1 },
	{ "nxlog-json",	EVT_FMT_NXLOG_JSON,	parse_nxlog_json, 1 },
	{ "snare",	EVT_FMT_SNARE,		parse_snare, 1 },
	{ "ntsyslog",	EVT_FMT_NTSYSLOG,	parse_ntsyslog, 1 },
	{ "adiscon",	EVT_FMT_ADISCON,	parse_adiscon, 1 },
	{ "evtsys",	EVT_FMT_EVTSYS,		parse_evtsys, 0 },
	{ "nxlog-raw",	EVT_FMT_NXLOG_RAW,	parse_nxlog_raw, 0 },
	{ "ntsyslog-classic", EVT_FMT_NTSYSLOG_CLASSIC,
	    parse_ntsyslog_classic, 0 },
	{ "nxlog-bsd",	EVT_FMT_NXLOG_BSD,	parse_nxlog_bsd, 0 },
};

static const char *const why_names[PARSE_WHY__MAX] = {
	"none", "empty", "too-long", "nul", "bad-pri", "bad-header",
	"bad-fields", "bad-id", "bad-time", "unrecognised"
};

static int	rec_prepare(const uint8_t *, size_t, struct span *,
		    enum parse_why *);
static enum parse_rc chain_run(struct span, struct span, int64_t,
		    struct evt *, enum parse_why *);

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
 * written into ev, so the header-only event is put back after it, unless
 * the parser is one that says "not mine" before it writes anything (the
 * first ones, which most records pass through).  When
 * nothing matches, ev keeps the header, app, msg and (as text) msg, for a
 * caller that wants to look at unrecognised lines anyway.
 */
static enum parse_rc
chain_run(struct span rec, struct span body, int64_t now, struct evt *ev,
    enum parse_why *why)
{
	struct parse_in in = { body, now, rec, NULL, 0 };
	struct evt save;
	enum parse_rc rc;
	size_t i;

	in.scratch = parse_scratch_area(&in.scratchsz);
	ev->computer = ev->hdr_host;
	ev->time = ev->hdr_time;
	ev->time_off = ev->hdr_off;
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
		if (rc != PARSE_NOMATCH || !parsers[i].clean)
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

/* A wall-clock stamp to UTC: its own zone if it had one, else tz's. */
static int64_t
time_utc(int64_t t, int32_t off, const struct tz *tz)
{
	if (t == EVT_TIME_NONE)
		return t;
	if (off != EVT_OFF_LOCAL)
		return t - off;
	return tz_to_utc(tz, t);
}

enum parse_rc
parse_record(const uint8_t *buf, size_t n, int64_t now, struct evt *ev,
    enum parse_why *whyp, struct parse_stats *stats)
{
	return parse_record_tz(buf, n, now, NULL, ev, whyp, stats);
}

/*
 * Year-less stamps are wall-clock times of the sender: their year is
 * inferred from now as the sender's clock shows it, so that a line of
 * 31 December read just after midnight UTC, or of 1 January read just
 * before, gets the sender's year, not the collector's.
 */
enum parse_rc
parse_record_tz(const uint8_t *buf, size_t n, int64_t now,
    const struct tz *tz, struct evt *ev, enum parse_why *whyp,
    struct parse_stats *stats)
{
	struct span rec, body;
	enum parse_why why = PARSE_WHY_NONE;
	enum parse_rc rc = PARSE_BAD;
	int64_t wall = now;

	evt_reset(ev);
	if (tz != NULL && now > INT64_MIN / 2 && now < INT64_MAX / 2)
		wall = now + tz_offset(tz, now);
	if (rec_prepare(buf, n, &rec, &why) == 0 &&
	    parse_header(rec, wall, ev, &body, &why) == 0) {
		rc = chain_run(rec, body, wall, ev, &why);
		ev->hdr_time = time_utc(ev->hdr_time, ev->hdr_off, tz);
		ev->time = time_utc(ev->time, ev->time_off, tz);
	}
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
