#include "util/evt.h"

#include <stdio.h>
#include <string.h>

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
		"adiscon", "adiscon-legacy"
	};

	return (unsigned)f < EVT_FMT__MAX ? names[f] : "none";
}

/*
 * "2000-03-14T10:15:02": the forwarder's wall clock, no zone.  The
 * inverse of parse_civil_time() (H. Hinnant's civil_from_days).
 */
size_t
evt_time_fmt(char *buf, size_t sz, int64_t t)
{
	int64_t days, secs, y, m, dd, era, doe, yoe, doy, mp;
	int n;

	if (t == EVT_TIME_NONE)
		n = snprintf(buf, sz, "-");
	else {
		days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
		secs = t - days * 86400;
		days += 719468;
		era = (days >= 0 ? days : days - 146096) / 146097;
		doe = days - era * 146097;
		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		y = yoe + era * 400;
		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		mp = (5 * doy + 2) / 153;
		dd = doy - (153 * mp + 2) / 5 + 1;
		m = mp < 10 ? mp + 3 : mp - 9;
		if (m <= 2)
			y++;
		n = snprintf(buf, sz, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld",
		    (long long)y, (long long)m, (long long)dd,
		    (long long)(secs / 3600), (long long)(secs / 60 % 60),
		    (long long)(secs % 60));
	}
	return n < 0 ? 0 : (size_t)n;
}
