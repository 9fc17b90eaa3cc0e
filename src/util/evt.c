#include "util/evt.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/cal.h"

/* text is the last field: one added after it must be reset too. */
_Static_assert(offsetof(struct evt, text) + sizeof(struct span) ==
    sizeof(struct evt), "evt_reset() does not reset every field");

void
evt_reset(struct evt *ev)
{
	/*
	 * Once per record, field by field: compilers zero a whole struct
	 * with a string store, which costs more than these.  A new field of
	 * struct evt gets its value here (the assertion below is a reminder).
	 */
	ev->pri = -1;
	ev->hdr_time = EVT_TIME_NONE;
	ev->hdr_off = EVT_OFF_LOCAL;
	ev->hdr_host = SPAN_NULL;	/* not chained: a chain reloads each */
	ev->app = SPAN_NULL;
	ev->msg = SPAN_NULL;
	ev->sd = SPAN_NULL;
	ev->fmt = EVT_FMT_NONE;
	ev->log = SPAN_NULL;
	ev->source = SPAN_NULL;
	ev->event_id = -1;
	ev->type = EVT_TYPE_UNKNOWN;
	ev->category = SPAN_NULL;
	ev->computer = SPAN_NULL;
	ev->user = SPAN_NULL;
	ev->record = -1;
	ev->seq = -1;
	ev->time = EVT_TIME_NONE;
	ev->time_off = EVT_OFF_LOCAL;
	ev->id_inferred = 0;
	ev->text = SPAN_NULL;
}

const char *
evt_type_name(enum evt_type t)
{
	static const char *const names[EVT_TYPE__MAX] = {
		"unknown", "error", "warning", "information",
		"audit-success", "audit-failure"
	};

	return (unsigned)t < EVT_TYPE__MAX ? names[t] : "unknown";
}

const char *
evt_fmt_name(enum evt_fmt f)
{
	static const char *const names[EVT_FMT__MAX] = {
		"none", "snare", "evtsys", "ntsyslog", "ntsyslog-classic",
		"nxlog-bsd", "nxlog-ietf", "nxlog-json", "nxlog-raw",
		"adiscon", "adiscon-legacy", "syslog"
	};

	return (unsigned)f < EVT_FMT__MAX ? names[f] : "none";
}

/* "2000-03-14T10:15:02", UTC (cal.h). */
size_t
evt_time_fmt(char *buf, size_t sz, int64_t t)
{
	return cal_fmt(buf, sz, t);
}
