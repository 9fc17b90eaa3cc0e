#include "util/evt.h"

#include <stdio.h>
#include <string.h>

#include "util/cal.h"

void
evt_reset(struct evt *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->pri = -1;
	ev->hdr_time = EVT_TIME_NONE;
	ev->event_id = -1;
	ev->record = -1;
	ev->seq = -1;
	ev->time = EVT_TIME_NONE;
	ev->hdr_off = EVT_OFF_LOCAL;
	ev->time_off = EVT_OFF_LOCAL;
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
