/*
 * parse_plain: a syslog record with no forwarder's signature, only the
 * event source as its TAG or APP-NAME and the description as its text:
 *
 *	<PRI>Mmm dd hh:mm:ss HOST Source: text		(RFC 3164)
 *	<PRI>Mmm dd hh:mm:ss HOST Source[1234]: text
 *	<PRI>1 STAMP HOST Source - - - [BOM]text	(RFC 5424, NIL SD)
 *	<PRI>1 STAMP HOST Source - - [x@1 a="b"] text	(any other SD)
 *
 * Syslog senders configured by hand, and forwarders whose template drops
 * the event ID, send such records.  There is no event ID to read: the
 * knowledge base may recognise the event from its text (kb/kb_infer.c).
 * Every other syslog record has this shape too, so it is not one of the
 * parser chain's formats: the caller tries it on what the chain left
 * unrecognised, and keeps it only when the KB knows the text.
 */
#include "parse/parse.h"

#include "util/evt.h"
#include "util/span.h"

int
parse_plain(struct evt *ev)
{
	/* A header says it is syslog; without one it is just a line. */
	if ((ev->pri < 0 && ev->hdr_time == EVT_TIME_NONE) || ev->app.n == 0 ||
	    span_trim(ev->msg).n == 0)
		return -1;
	ev->fmt = EVT_FMT_SYSLOG;
	ev->source = ev->app;
	ev->text = ev->msg;
	ev->event_id = -1;
	return 0;
}

void
parse_stats_recount(struct parse_stats *st, enum evt_fmt fmt)
{
	if (st == NULL || st->bad[PARSE_WHY_UNRECOGNISED] == 0 ||
	    (unsigned)fmt >= EVT_FMT__MAX)
		return;
	st->bad[PARSE_WHY_UNRECOGNISED]--;
	st->parsed++;
	st->by_fmt[fmt]++;
}
