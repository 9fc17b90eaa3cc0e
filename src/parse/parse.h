/*
 * parse: the parser chain, from one syslog record to a struct evt.
 *
 * parse_record() strips framing debris (trailing CR/LF/NUL, a BOM), reads
 * the syslog header (RFC 5424, RFC 3164 and its deviations, or none; a
 * relay's second header is read through), then offers the payload to each
 * forwarder parser in turn.  A parser answers PARSE_OK, PARSE_NOMATCH (not
 * mine: the next one tries) or PARSE_BAD (mine, but broken: counted and
 * dropped).  Nothing allocates: spans point into the caller's buffer.
 */
#ifndef IMSMON_PARSE_H
#define IMSMON_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "util/evt.h"
#include "util/span.h"

/* RFC 5425 / docs/forwarders.md: drop, never truncate, larger records. */
#define PARSE_MAXREC	65536

enum parse_rc {
	PARSE_OK = 0,
	PARSE_NOMATCH,
	PARSE_BAD
};

/* Why a record was not turned into an event; each is a counter. */
enum parse_why {
	PARSE_WHY_NONE = 0,
	PARSE_WHY_EMPTY,		/* nothing left after trimming */
	PARSE_WHY_TOOLONG,		/* over PARSE_MAXREC */
	PARSE_WHY_NUL,			/* embedded NUL byte */
	PARSE_WHY_BADPRI,		/* '<' with no valid PRI */
	PARSE_WHY_BADHEADER,		/* 5424 header broken */
	PARSE_WHY_BADFIELDS,		/* fields missing, JSON malformed */
	PARSE_WHY_BADID,		/* event ID not a number 0..65535 */
	PARSE_WHY_BADTIME,		/* payload time unreadable */
	PARSE_WHY_UNRECOGNISED,		/* no forwarder format matched */
	PARSE_WHY__MAX
};

/*
 * What a forwarder parser sees: the syslog header already read into evt,
 * and the payload (evt->msg, possibly with the TAG still in front for the
 * formats that use the TAG position).
 *
 * Text a format escapes (NXLog JSON strings, RFC 5424 PARAM-VALUEs) cannot
 * be a span into the record once unescaped.  A parser writes it into
 * scratch instead: an area of PARSE_MAXREC bytes per thread, owned by
 * parse.c.  Unescaping never lengthens a field, so a record's fields fit
 * (a joined DOMAIN\user that does not is left out, never cut).  Spans
 * into it stay valid until the next parse_record() call on the same
 * thread, as spans into the record stay valid until the caller reuses
 * its buffer: callers copy what they keep.
 */
struct parse_in {
	struct span	 body;		/* from just after the header's host */
	int64_t		 now;		/* caller's clock, for year inference */
	struct span	 rec;		/* the whole trimmed record */
	uint8_t		*scratch;	/* room for unescaped text */
	size_t		 scratchsz;
};

struct parser {
	const char	*name;
	enum evt_fmt	 fmt;
	enum parse_rc	(*parse)(const struct parse_in *, struct evt *,
			    enum parse_why *);
	int		 clean;		/* "not mine" leaves ev untouched */
};

struct parse_stats {
	uint64_t	 records;
	uint64_t	 parsed;
	uint64_t	 by_fmt[EVT_FMT__MAX];
	uint64_t	 bad[PARSE_WHY__MAX];
};

/* Per format, in parse_<fmt>.c. */
enum parse_rc	 parse_snare(const struct parse_in *, struct evt *,
		    enum parse_why *);
enum parse_rc	 parse_evtsys(const struct parse_in *, struct evt *,
		    enum parse_why *);
/* parse_nxlog.c: to_syslog_ietf(), to_json(), raw_event, to_syslog_bsd() */
enum parse_rc	 parse_nxlog_ietf(const struct parse_in *, struct evt *,
		    enum parse_why *);
enum parse_rc	 parse_nxlog_json(const struct parse_in *, struct evt *,
		    enum parse_why *);
enum parse_rc	 parse_nxlog_raw(const struct parse_in *, struct evt *,
		    enum parse_why *);
enum parse_rc	 parse_nxlog_bsd(const struct parse_in *, struct evt *,
		    enum parse_why *);
/* parse_ntsyslog.c: 1.15 "NT: <...>" and the classic "log[type]" */
enum parse_rc	 parse_ntsyslog(const struct parse_in *, struct evt *,
		    enum parse_why *);
enum parse_rc	 parse_ntsyslog_classic(const struct parse_in *,
		    struct evt *, enum parse_why *);
/* parse_adiscon.c: EventReporter "EvntSLog:", legacy and default */
enum parse_rc	 parse_adiscon(const struct parse_in *, struct evt *,
		    enum parse_why *);
/*
 * parse_plain.c: a record parse_record() left unrecognised, read as a
 * plain syslog record (source in its TAG or APP-NAME, no event ID): 0
 * and *ev so completed (fmt EVT_FMT_SYSLOG), or -1 if it has no syslog
 * header or no TAG.  The caller keeps it only if the knowledge base
 * recognises it, and then moves it in the stats with
 * parse_stats_recount(): ordinary syslog stays "unrecognised".
 */
int		 parse_plain(struct evt *);
void		 parse_stats_recount(struct parse_stats *, enum evt_fmt);

/*
 * Parse one record.  now is the caller's clock (seconds since the epoch,
 * UTC) used to infer the year of year-less timestamps.  On PARSE_OK *ev holds
 * the event (event_id -1 if the format carries none: NTsyslog classic,
 * NXLog BSD, Adiscon default); otherwise *why says why and stats count
 * it.  PARSE_BAD: dropped (ev has at most the header).  PARSE_NOMATCH
 * (UNRECOGNISED): ev still has the header, app and msg, with computer,
 * time and text set from them, for a caller that matches plain text.
 * why and stats may be NULL.
 */
enum parse_rc	 parse_record(const uint8_t *, size_t, int64_t,
		    struct evt *, enum parse_why *, struct parse_stats *);
/*
 * The same, with the sender's time zone (util/tz.h): wall-clock stamps
 * without a zone of their own are read in tz (NULL: UTC, which is what
 * parse_record() does), and year-less ones get their year from now as
 * tz shows it.  Every time in *ev is UTC afterwards.
 */
struct tz;
enum parse_rc	 parse_record_tz(const uint8_t *, size_t, int64_t,
		    const struct tz *, struct evt *, enum parse_why *,
		    struct parse_stats *);
const char	*parse_why_name(enum parse_why);

/*
 * Read the syslog header(s) of a trimmed record (parse_syslog.c): fills
 * pri, hdr_time, hdr_host, app, msg (and sd); *body gets the bytes after
 * the header's host.  0, or -1 with *why (BADPRI, BADHEADER).
 */
int		 parse_header(struct span, int64_t, struct evt *,
		    struct span *, enum parse_why *);

/*
 * parse_time.c: fixed-place readers, bounds-checked against the span: exactly k digits
 * at off (value or -1); "hh:mm:ss" at off (0 or -1); "Mmm dd" at off,
 * day zero- or space-padded (offset after it, or 0).
 */
int		 parse_ndigits(struct span, size_t, size_t);
int		 parse_hms(struct span, size_t, int *, int *, int *);
size_t		 parse_mday(struct span, size_t, int *, int *);

/*
 * Whole stamps at the front of a span, as forwarders print them in their
 * payloads; the offset just after, or 0.  parse_ctime: ctime(3)'s "Tue
 * Mar 14 10:15:02 2000" (day zero- or space-padded, weekday unchecked).
 * parse_ymdhms: "2000-03-14 10:15:02" (or 'T' between the two).
 */
size_t		 parse_ctime(struct span, int64_t *);
size_t		 parse_ymdhms(struct span, int64_t *);

/*
 * parse_scratch.c: the per-thread area parsers write unescaped text into
 * (struct parse_in); parse_scratch() for tests, to tell a stray span from
 * a legitimate one.
 */
uint8_t		*parse_scratch_area(size_t *);
struct span	 parse_scratch(void);

/*
 * Copy the n spans of parts, one after the other, into the scratch area
 * (*used bytes of it are taken already) and return the copy as one span,
 * or SPAN_NULL if it does not fit.  Joins DOMAIN, a backslash and user
 * for the formats that send the two apart.
 */
struct span	 parse_scratch_put(const struct parse_in *, size_t *,
		    const struct span *, size_t);

#endif /* IMSMON_PARSE_H */
