/*
 * fuzz_parse: libFuzzer harness for the record parser chain.  One input
 * is one record, as a datagram or a framed TCP record would hand it to
 * parse_record().  Beyond the sanitizers, it traps when the parser breaks
 * a promise of parse.h / evt.h: a span outside the record (or the scratch
 * area), an event ID out of range, an outcome without its reason.  The
 * text then goes through the normalisers the KB matcher uses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/evt.h"
#include "util/norm.h"
#include "parse/parse.h"
#include "util/span.h"
#include "util/tz.h"

#define NOW	953510400	/* 2000-03-20 00:00:00 */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
inside(struct span s, const uint8_t *buf, size_t n)
{
	struct span scr = parse_scratch();

	if (s.n == 0)
		return 1;
	if (s.p >= buf && s.n <= n && s.p <= buf + n - s.n)
		return 1;
	return s.p >= scr.p && s.n <= scr.n && s.p <= scr.p + scr.n - s.n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct parse_stats st;
	static struct tz *zone;
	char text[8192], src[NORM_SOURCE_MAX], host[NORM_HOST_MAX];
	struct evt ev;
	enum parse_why why;
	enum parse_rc rc;
	uint64_t bad = 0;
	size_t i;

	/*
	 * Half the inputs (by their last byte) are read as from a sender in
	 * a zone with summer time, for the wall-clock conversions.
	 */
	if (zone == NULL)
		zone = tz_new("CET-1CEST,M3.5.0,M10.5.0/3", NULL, 0);
	rc = parse_record_tz(data, size, NOW, size > 0 &&
	    (data[size - 1] & 1) ? zone : NULL, &ev, &why, &st);
	{
		const struct span s[] = {
			ev.hdr_host, ev.app, ev.msg, ev.sd, ev.log, ev.source,
			ev.category, ev.computer, ev.user, ev.text
		};

		for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
			if (!inside(s[i], data, size))
				__builtin_trap();
	}
	if (rc == PARSE_OK && (why != PARSE_WHY_NONE ||
	    ev.fmt <= EVT_FMT_NONE || ev.fmt >= EVT_FMT__MAX ||
	    ev.event_id < -1 || ev.event_id > 65535 ||
	    (unsigned)ev.type >= EVT_TYPE__MAX))
		__builtin_trap();
	if (rc != PARSE_OK && (why == PARSE_WHY_NONE ||
	    why >= PARSE_WHY__MAX || ev.fmt != EVT_FMT_NONE))
		__builtin_trap();
	if (ev.pri < -1 || ev.pri > 191)
		__builtin_trap();
	for (i = 0; i < PARSE_WHY__MAX; i++)
		bad += st.bad[i];
	if (st.records != st.parsed + bad)
		__builtin_trap();
	norm_text(text, sizeof(text), ev.text);
	norm_source(src, sizeof(src), ev.source);
	norm_host(host, sizeof(host), ev.computer);
	/* What the diagnosis makes of an unrecognised record. */
	if (rc == PARSE_NOMATCH && parse_plain(&ev) == 0 &&
	    (ev.fmt != EVT_FMT_SYSLOG || !inside(ev.source, data, size) ||
	    !inside(ev.text, data, size)))
		__builtin_trap();
	return 0;
}
