/*
 * struct evt: one forwarded Windows event, as parsed from one syslog record.
 *
 * Every span points into the record buffer handed to parse_record() and is
 * valid only until that buffer is reused: the engine copies
 * what it keeps.  The exception is a field the format escapes (NXLog JSON
 * strings, RFC 5424 PARAM-VALUEs with a backslash): it points, unescaped,
 * into parse.c's per-thread scratch area, valid until the next
 * parse_record() on that thread.  Absent fields are empty spans or -1.
 */
#ifndef IMSMON_EVT_H
#define IMSMON_EVT_H

#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

enum evt_type {
	EVT_TYPE_UNKNOWN = 0,
	EVT_TYPE_ERROR,
	EVT_TYPE_WARNING,
	EVT_TYPE_INFORMATION,
	EVT_TYPE_AUDIT_SUCCESS,
	EVT_TYPE_AUDIT_FAILURE,
	EVT_TYPE__MAX
};

/*
 * Forwarder formats, one parser file per forwarder (parse_<fwd>.c).  The
 * ID-less ones (NTsyslog classic, NXLog BSD, Adiscon default) still give
 * PARSE_OK, with event_id -1 and whatever source, host and text they
 * carry.
 */
enum evt_fmt {
	EVT_FMT_NONE = 0,
	EVT_FMT_SNARE,
	EVT_FMT_EVTSYS,
	EVT_FMT_NTSYSLOG,		/* 1.15: "NT: <SOURCE;E4018;user> " */
	EVT_FMT_NTSYSLOG_CLASSIC,	/* 1.0x-1.13: "log[type] " */
	EVT_FMT_NXLOG_BSD,		/* to_syslog_bsd(): "SOURCE: " */
	EVT_FMT_NXLOG_IETF,		/* to_syslog_ietf(): [NXLOG@14506] */
	EVT_FMT_NXLOG_JSON,		/* to_json(), bare or after a TAG */
	EVT_FMT_NXLOG_RAW,		/* raw_event, no to_*() called */
	EVT_FMT_ADISCON,		/* EventReporter "EvntSLog: TEXT" */
	EVT_FMT_ADISCON_LEGACY,		/* "[ERR] date: HOST/SRC (ID)" */
	EVT_FMT_SYSLOG,			/* plain "Source: text", no ID */
	EVT_FMT__MAX
};

/*
 * Times are seconds since the epoch, UTC, once parse_record() is done.
 * Parsers first read wall-clock stamps; a stamp that carried its zone
 * (RFC 5424 "+02:00" or "Z") has its offset in *_off, one that did not
 * has EVT_OFF_LOCAL there and is read in the sender's configured zone.
 */
#define EVT_TIME_NONE	INT64_MIN
#define EVT_OFF_LOCAL	INT32_MIN

struct evt {
	/* syslog header (RFC 3164 / RFC 5424) */
	int		 pri;		/* -1: no PRI */
	int64_t		 hdr_time;	/* EVT_TIME_NONE: none */
	int32_t		 hdr_off;	/* the stamp's zone, s east of UTC */
	struct span	 hdr_host;
	struct span	 app;		/* 3164 TAG or 5424 APP-NAME */
	struct span	 msg;		/* everything after the header */
	struct span	 sd;		/* RFC 5424 STRUCTURED-DATA, raw */

	/* Windows event, from the forwarder payload */
	enum evt_fmt	 fmt;
	struct span	 log;		/* Application, System, Security */
	struct span	 source;	/* as sent: "MSExchangeIS_Private" */
	int32_t		 event_id;	/* low 16 bits; -1: none */
	enum evt_type	 type;
	struct span	 category;
	struct span	 computer;	/* payload host, else header host */
	struct span	 user;
	int64_t		 record;	/* event-log record number; -1 */
	int64_t		 seq;		/* forwarder sequence (Snare); -1 */
	int64_t		 time;		/* TimeGenerated, else header time */
	int32_t		 time_off;	/* as hdr_off */
	int		 id_inferred;	/* event_id recognised from the text */
	struct span	 text;		/* the description, raw */
};

void		 evt_reset(struct evt *);
const char	*evt_type_name(enum evt_type);
const char	*evt_fmt_name(enum evt_fmt);
size_t		 evt_time_fmt(char *, size_t, int64_t);

#endif /* IMSMON_EVT_H */
