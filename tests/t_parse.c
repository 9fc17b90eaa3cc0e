/*
 * t_parse: the record checks, the syslog header reader, the Snare and
 * evtsys parsers, and the chain's counters.  Lines are composed here in
 * the forwarders' layouts (docs/forwarders.md); the texts are
 * our own.  The NTsyslog, NXLog and Adiscon parsers are in t_parse_fmt.c;
 * their samples join the prefix and mutation runs here.
 */
#include "test.h"

#include <dirent.h>

#include "util/evt.h"
#include "parse/parse.h"
#include "util/cal.h"
#include "util/span.h"

#define NOW		953510400	/* 2000-03-20 00:00:00 */
#define T_0314_101502	953028902	/* 2000-03-14 10:15:02 */
#define T_0314_101501	953028901
#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define SNARE_TEXT							\
	"IMS start refused: its service account is no admin on MAILGW."
#define SNARE_FIELDS							\
	"MSWinEventLog\t3\tApplication\t4726\t"			\
	"Tue Mar 14 10:15:02 2000\t4143\tMSExchangeIMC\tN/A\tN/A\t"	\
	"Error\tMAILGW\tInitialization/Termination\t\t" SNARE_TEXT	\
	"\t18815"
#define SNARE_SYSLOG	"<13>Mar 14 10:15:02 MAILGW " SNARE_FIELDS
#define EVTSYS_TEXT							\
	"The Microsoft Exchange Internet Mail Service service "		\
	"terminated with the following error: (Error 2140) "
#define EVTSYS_7023							\
	"<27>Mar 14 10:15:01 MAILGW Service_Control_Manager: 7023: "	\
	EVTSYS_TEXT

static struct parse_stats st;
static uint8_t *copy;

/*
 * Parse from an exact-size heap copy, so that ASan sees any read past
 * the end.  The copy lives until the next call: the spans point into it.
 */
static enum parse_rc
runn(const void *buf, size_t n, struct evt *ev, enum parse_why *why)
{
	free(copy);
	if ((copy = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	if (n > 0)
		memcpy(copy, buf, n);
	return parse_record(buf != NULL ? copy : NULL, n, NOW, ev, why, &st);
}

static enum parse_rc
run(const char *line, struct evt *ev, enum parse_why *why)
{
	return runn(line, strlen(line), ev, why);
}

/* rc and why together, so a failing case says which reason it got. */
#define CHECK_RC(line, want_rc, want_why) do {				\
	struct evt e_;							\
	enum parse_why w_;						\
	enum parse_rc r_ = run((line), &e_, &w_);			\
	CHECK_INT(r_, (want_rc));					\
	CHECK_STR(parse_why_name(w_), parse_why_name(want_why));	\
} while (0)

/*
 * Not read as not_fmt: unrecognised, or another format's (NXLog BSD takes
 * a facility-user "TAG: text").  Never a bad record.
 */
#define CHECK_NOT_FMT(line, not_fmt) do {				\
	struct evt e_;							\
	enum parse_why w_;						\
	enum parse_rc r_ = run((line), &e_, &w_);			\
	CHECK(r_ == PARSE_NOMATCH ||					\
	    (r_ == PARSE_OK && e_.fmt != (not_fmt)));			\
	if (r_ == PARSE_NOMATCH)					\
		CHECK_INT(w_, PARSE_WHY_UNRECOGNISED);			\
} while (0)

/* The Snare example line, every field. */
static void
check_snare_example(const struct evt *ev)
{
	CHECK_INT(ev->fmt, EVT_FMT_SNARE);
	CHECK_SPAN(ev->log, "Application");
	CHECK_INT(ev->seq, 4726);
	CHECK_INT(ev->time, T_0314_101502);
	CHECK_INT(ev->event_id, 4143);
	CHECK_SPAN(ev->source, "MSExchangeIMC");
	CHECK_SPAN(ev->user, "");
	CHECK_INT(ev->type, EVT_TYPE_ERROR);
	CHECK_SPAN(ev->computer, "MAILGW");
	CHECK_SPAN(ev->category, "Initialization/Termination");
	CHECK_SPAN(ev->text, SNARE_TEXT);
	CHECK_INT(ev->record, 18815);
}

/* --- record level -------------------------------------------------- */

TEST(record_over_maxrec)
{
	static uint8_t buf[PARSE_MAXREC + 2];
	struct evt ev;
	enum parse_why why;
	size_t n = strlen(EVTSYS_7023);

	memset(buf, 'x', sizeof(buf));
	memcpy(buf, EVTSYS_7023, n);
	CHECK_INT(runn(buf, PARSE_MAXREC, &ev, &why), PARSE_OK);
	CHECK_INT(ev.text.n, PARSE_MAXREC - (n - strlen(EVTSYS_TEXT)));
	CHECK_INT(runn(buf, PARSE_MAXREC + 1, &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_TOOLONG);
	/* Dropped whole: nothing of it is read. */
	CHECK_INT(ev.pri, -1);
	CHECK_INT(ev.fmt, EVT_FMT_NONE);
	CHECK_INT(runn(buf, sizeof(buf), &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_TOOLONG);
}

TEST(record_nul_inside)
{
	static const char line[] = "<27>Mar 14 10:15:01 MAILGW "
	    "Service_Control_Manager: 7023: before\0after";
	struct evt ev;
	enum parse_why why;

	CHECK_INT(runn(line, sizeof(line) - 1, &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_NUL);
	CHECK_INT(runn("\0<13>", 5, &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_NUL);
}

TEST(record_trailing_debris)
{
	static const char line[] = EVTSYS_7023 "\r\n\0\0";
	struct evt ev;
	enum parse_why why;

	CHECK_INT(runn(line, sizeof(line) - 1, &ev, &why), PARSE_OK);
	CHECK_SPAN(ev.text, EVTSYS_TEXT);
	CHECK_INT(runn(SNARE_SYSLOG "\n", strlen(SNARE_SYSLOG) + 1, &ev,
	    &why), PARSE_OK);
	CHECK_INT(ev.record, 18815);
}

TEST(record_empty)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(runn("", 0, &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_EMPTY);
	CHECK_INT(runn(NULL, 0, &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_EMPTY);
	CHECK_RC("\r\n", PARSE_BAD, PARSE_WHY_EMPTY);
	CHECK_INT(runn("\0\0\r", 3, &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_EMPTY);
}

TEST(record_garbage)
{
	static const char *const lines[] = {
		"x", ">", ":", "hello world", "\x01\x02\x03\xff\xfe", "Mar",
		"Mar 14", "2000-03-14", ": 7023: ",
		"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", "#011#011#011",
		"\xef\xbb\xbf", "1 2 3 4 5 6 7", "[a b=\"c\"]",
	};
	size_t i;

	for (i = 0; i < NITEMS(lines); i++)
		CHECK_RC(lines[i], PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

TEST(record_bom)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("\xef\xbb\xbf" SNARE_SYSLOG, &ev, &why), PARSE_OK);
	check_snare_example(&ev);
	/* After the header, before the body (Adiscon's UTF-8 option). */
	CHECK_INT(run("<13>Mar 14 10:15:02 MAILGW \xef\xbb\xbf" SNARE_FIELDS,
	    &ev, &why), PARSE_OK);
	check_snare_example(&ev);
	/* After the TAG: msg loses it, the body keeps its shape. */
	CHECK_INT(run("<13>Mar 14 10:15:02 MAILGW EvntSLog: \xef\xbb\xbf"
	    "text", &ev, &why), PARSE_OK);
	CHECK_INT(ev.fmt, EVT_FMT_ADISCON);
	CHECK_SPAN(ev.app, "EvntSLog");
	CHECK_SPAN(ev.msg, "text");
	CHECK_SPAN(ev.text, "text");
}

/* Every outcome is counted once, by format or by reason. */
TEST(record_stats)
{
	struct evt ev;
	enum parse_why why;
	uint64_t bad = 0;
	size_t i;

	memset(&st, 0, sizeof(st));
	run(SNARE_SYSLOG, &ev, &why);
	run(EVTSYS_7023, &ev, &why);
	run(EVTSYS_7023, &ev, &why);
	run("<1234>x", &ev, &why);
	run("plain words", &ev, &why);
	run("", &ev, &why);
	CHECK_INT(st.records, 6);
	CHECK_INT(st.parsed, 3);
	CHECK_INT(st.by_fmt[EVT_FMT_SNARE], 1);
	CHECK_INT(st.by_fmt[EVT_FMT_EVTSYS], 2);
	CHECK_INT(st.bad[PARSE_WHY_BADPRI], 1);
	CHECK_INT(st.bad[PARSE_WHY_UNRECOGNISED], 1);
	CHECK_INT(st.bad[PARSE_WHY_EMPTY], 1);
	for (i = 0; i < PARSE_WHY__MAX; i++)
		bad += st.bad[i];
	CHECK_INT(st.records, st.parsed + bad);
	/* A NULL stats or why is allowed. */
	CHECK_INT(parse_record((const uint8_t *)"x", 1, NOW, &ev, NULL, NULL),
	    PARSE_NOMATCH);
}

TEST(why_names)
{
	static const char *const want[PARSE_WHY__MAX] = {
		"none", "empty", "too-long", "nul", "bad-pri", "bad-header",
		"bad-fields", "bad-id", "bad-time", "unrecognised"
	};
	int i;

	for (i = 0; i < PARSE_WHY__MAX; i++)
		CHECK_STR(parse_why_name((enum parse_why)i), want[i]);
	CHECK_STR(parse_why_name(PARSE_WHY__MAX), "unknown");
	CHECK_STR(parse_why_name((enum parse_why)-1), "unknown");
}

static const char *const samples[] = {
	SNARE_SYSLOG,
	"MAILGW\t" SNARE_FIELDS,
	"<13>Mar 14 10:15:02 MAILGW MSWinEventLog#0113#011Application#011"
	    "4726#011Tue Mar 14 10:15:02 2000#0114143#011MSExchangeIMC#011N/A"
	    "#011N/A#011Error#011MAILGW#011None#011#011text#01118815",
	EVTSYS_7023,
	"<27>Mar 14 10:15:01 Service_Control_Manager: 7023: t ",
	"<29>Service_Control_Manager: 7023: CORP\\svc: t AUDIT_SUCCESS ",
	"<13>Mar 15 11:00:00 relay " EVTSYS_7023,
	"<29>1 2000-03-14T10:15:02.003+01:00 mailgw.example MSExchangeIMC "
	    "1234 ID47 [origin ip=\"10.0.0.5\"][x@32473 a=\"q\\\"b\"] "
	    "\xef\xbb\xbfSCM: 7023: t",
	"\xef\xbb\xbf<13>2000-03-14T10:15:02+01:00 MAILGW app[12]: SCM: 1: t",
	"<13>Mar 14 10:15:02 2000 MAILGW MSExchangeIMC: 4058: text",
	"<11>Mar 14 10:15:00 MAILGW NT: <MSExchangeIMC;E4143;CORP\\svc> t",
	"<13>Mar 14 10:15:02 MAILGW security[failure] Logon refused: x",
	"<11>Mar  3 08:12:44 MAILGW MSExchangeIMC: no ID\there",
	"<11>1 2000-03-14T10:15:00.5+01:00 MAILGW MSExchangeIMC - - "
	    "[NXLOG@14506 EventType=\"ERROR\" EventID=\"4143\" "
	    "Category=\"a \\\"b\\] c\" Domain=\"D\" AccountName=\"u\"] t",
	"{\"EventTime\":\"2000-03-14 10:15:00\",\"Hostname\":\"MAILGW\","
	    "\"SourceName\":\"MSExchangeIMC\",\"EventID\":4143,"
	    "\"Domain\":\"D\",\"AccountName\":\"u\",\"X\":[1,{\"y\":null}],"
	    "\"Message\":\"a\\r\\n\\u00e9\\ud83d\\ude00\\\"\"}",
	"<11>Mar 14 10:15:00 MAILGW MSExchangeIMC: {\"EventID\":4143}",
	"2000-03-14 10:15:00 MAILGW AUDIT_FAILURE 1023 CORP\\svc text",
	"<13>Mar 15 11:00:00 relay 2000-03-14 10:15:00 MAILGW ERROR 4143 t",
	"<131>EvntSLog: [ERR] Tue Mar 14 10:15:00 2000: MAILGW/MSExchangeIMC "
	    "(4143) - \"said \"no\"\"",
	"<13>Mar 14 10:15:00 MAILGW EvntSLog: plain text",
};

static int
span_within(struct span s, const uint8_t *buf, size_t n)
{
	return s.p >= buf && s.n <= n && s.p <= buf + n - s.n;
}

/*
 * Is every span of ev empty, inside buf[0..n), or inside the scratch
 * area that unescaped text goes to?
 */
static int
spans_inside(const struct evt *ev, const uint8_t *buf, size_t n)
{
	const struct span s[] = {
		ev->hdr_host, ev->app, ev->msg, ev->sd, ev->log, ev->source,
		ev->category, ev->computer, ev->user, ev->text
	};
	struct span scr = parse_scratch();
	size_t i;

	for (i = 0; i < NITEMS(s); i++)
		if (s[i].n > 0 && !span_within(s[i], buf, n) &&
		    !span_within(s[i], scr.p, scr.n))
			return 0;
	return 1;
}

static void
check_invariants(const struct evt *ev, enum parse_rc rc, enum parse_why why,
    size_t n)
{
	CHECK(spans_inside(ev, copy, n));
	if (rc == PARSE_OK) {
		CHECK_INT(why, PARSE_WHY_NONE);
		CHECK(ev->fmt != EVT_FMT_NONE);
		/* -1: a format that carries no ID, or a record that had none. */
		CHECK(ev->event_id >= -1 && ev->event_id <= 65535);
	} else {
		CHECK(why != PARSE_WHY_NONE);
		CHECK_INT(ev->fmt, EVT_FMT_NONE);
		CHECK_INT(rc, why == PARSE_WHY_UNRECOGNISED ? PARSE_NOMATCH :
		    PARSE_BAD);
	}
	CHECK(ev->pri >= -1 && ev->pri <= 191);
}

/* Every prefix of every sample, each in an exact-size buffer (ASan). */
TEST(record_every_prefix)
{
	struct evt ev;
	enum parse_why why;
	enum parse_rc rc;
	size_t i, k, n;

	for (i = 0; i < NITEMS(samples); i++) {
		n = strlen(samples[i]);
		for (k = 0; k <= n; k++) {
			rc = runn(samples[i], k, &ev, &why);
			check_invariants(&ev, rc, why, k);
		}
		CHECK_INT(runn(samples[i], n, &ev, &why), PARSE_OK);
	}
}

/* Deterministic byte mutations of the samples: no crash, no stray span. */
TEST(record_mutations)
{
	static const uint8_t bytes[] = {
		'\t', ' ', ':', '<', '>', '[', ']', '"', '\\', '#', '0', '1',
		'9', '-', 'T', 'Z', '.', '\0', '\r', '\n', 0xef, 0xff, 'M'
	};
	uint8_t buf[512];
	uint32_t x = 2463534242u;
	struct evt ev;
	enum parse_why why;
	enum parse_rc rc;
	size_t i, n, k, m;

	for (i = 0; i < 40000; i++) {
		n = strlen(samples[i % NITEMS(samples)]);
		memcpy(buf, samples[i % NITEMS(samples)], n);
		for (m = 0; m < 1 + i % 4; m++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			k = x % n;
			buf[k] = (x >> 8) % 3 == 0 ? (uint8_t)(x >> 16) :
			    bytes[(x >> 16) % sizeof(bytes)];
		}
		if ((x >> 24) % 4 == 0)
			n = x % n;
		rc = runn(buf, n, &ev, &why);
		check_invariants(&ev, rc, why, n);
	}
}

/* --- PRI ------------------------------------------------------------ */

TEST(pri_values)
{
	static const struct {
		const char	*pre;
		int		 pri;
	} ok[] = {
		{ "<0>", 0 }, { "<13>", 13 }, { "<191>", 191 },
		{ "<013>", 13 }, { "<007>", 7 }, { "", -1 },
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(ok); i++) {
		snprintf(line, sizeof(line), "%sMar 14 10:15:02 MAILGW %s",
		    ok[i].pre, SNARE_FIELDS);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_INT(ev.pri, ok[i].pri);
	}
}

TEST(pri_4_digits)
{
	CHECK_RC("<0013>Mar 14 10:15:02 MAILGW " SNARE_FIELDS, PARSE_BAD,
	    PARSE_WHY_BADPRI);
	CHECK_RC("<1913>x", PARSE_BAD, PARSE_WHY_BADPRI);
	CHECK_RC("<99999999999999999999>x", PARSE_BAD, PARSE_WHY_BADPRI);
}

TEST(pri_192)
{
	CHECK_RC("<192>Mar 14 10:15:02 MAILGW " SNARE_FIELDS, PARSE_BAD,
	    PARSE_WHY_BADPRI);
	CHECK_RC("<999>x", PARSE_BAD, PARSE_WHY_BADPRI);
}

TEST(pri_unterminated)
{
	CHECK_RC("<13Mar 14 10:15:02 MAILGW " SNARE_FIELDS, PARSE_BAD,
	    PARSE_WHY_BADPRI);
	CHECK_RC("<13", PARSE_BAD, PARSE_WHY_BADPRI);
	CHECK_RC("<1", PARSE_BAD, PARSE_WHY_BADPRI);
	CHECK_RC("<", PARSE_BAD, PARSE_WHY_BADPRI);
}

TEST(pri_not_digits)
{
	static const char *const lines[] = {
		"<>x", "<-1>x", "<+1>x", "< 13>x", "<1 3>x", "<a>x",
		"<13 >x", "<html>", "<\xff>x", "<<13>x",
	};
	size_t i;

	for (i = 0; i < NITEMS(lines); i++)
		CHECK_RC(lines[i], PARSE_BAD, PARSE_WHY_BADPRI);
}

TEST(pri_only)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<13>", &ev, &why), PARSE_NOMATCH);
	CHECK_INT(why, PARSE_WHY_UNRECOGNISED);
	CHECK_INT(ev.pri, 13);
	CHECK_INT(ev.hdr_time, EVT_TIME_NONE);
	CHECK_SPAN(ev.msg, "");
}

/* --- RFC 3164 header -------------------------------------------------- */

TEST(hdr_stamps)
{
	static const struct {
		const char	*stamp;
		int64_t		 t;
	} tc[] = {
		{ "Mar 14 10:15:02", T_0314_101502 },
		{ "Mar 04 10:15:02", T_0314_101502 - 10 * 86400 },
		{ "Mar  4 10:15:02", T_0314_101502 - 10 * 86400 },
		{ "Mar 4 10:15:02", T_0314_101502 - 10 * 86400 },
		{ "mar 14 10:15:02", T_0314_101502 },
		{ "Mar 14 10:15:02.123", T_0314_101502 },
		{ "Mar 14 2000 10:15:02", T_0314_101502 },
		{ "Mar 14 10:15:02 2000", T_0314_101502 },
		{ "Mar 14 1999 10:15:02", T_0314_101502 - 366 * 86400 },
		{ "2000-03-14T10:15:02", T_0314_101502 },
		{ "2000-03-14T10:15:02Z", T_0314_101502 },
		{ "2000-03-14T10:15:02.5", T_0314_101502 },
		/* A stamp with its zone is UTC once read. */
		{ "2000-03-14T10:15:02.123456789+01:00", T_0314_101502 - 3600 },
		{ "2000-03-14T10:15:02-05:00", T_0314_101502 + 5 * 3600 },
		{ "2000-03-14T10:15:02+0100", T_0314_101502 - 3600 },
		{ "2000-03-14 10:15:02", T_0314_101502 },
		{ "2000-02-29T00:00:00", 951782400 },
		{ "1970-01-01T00:00:00", 0 },
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<13>%s MAILGW %s", tc[i].stamp,
		    SNARE_FIELDS);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_INT(ev.hdr_time, tc[i].t);
		CHECK_SPAN(ev.hdr_host, "MAILGW");
		if (ev.hdr_time != tc[i].t)
			fprintf(stderr, "    stamp \"%s\"\n", tc[i].stamp);
	}
}

/* Not stamps: the record then has no header time and no host. */
TEST(hdr_stamps_bad)
{
	static const char *const tc[] = {
		"Mar 32 10:15:02", "Mar 00 10:15:02", "Feb 30 10:15:02",
		"Mar 14 24:00:00", "Mar 14 10:60:00", "Mar 14 10:15:61",
		"Foo 14 10:15:02", "Mar 14 10:15", "Mar 14 10:15:02x",
		"Mar 14 10-15-02", "Mar 114 10:15:02", "Mar 14 10:15:02.",
		"Mar 14 10:15:02.1234567890", "2000-13-14T10:15:02",
		"2000-02-30T10:15:02", "1999-02-29T10:15:02",
		"2000-03-14X10:15:02", "2000-03-14T10:15:02+25:00",
		"2000-03-14T10:15:02+01", "2000-03-14T10:15:02Zx",
		"Mar 14 1999 10:15:02.x",
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<27>%s MAILGW SCM: 7023: x",
		    tc[i]);
		run(line, &ev, &why);
		CHECK_INT(ev.hdr_time, EVT_TIME_NONE);
		CHECK_SPAN(ev.hdr_host, "");
		if (ev.hdr_time != EVT_TIME_NONE)
			fprintf(stderr, "    stamp \"%s\"\n", tc[i]);
	}
}

/* The year of now, or the one before if that is over 31 days ahead. */
TEST(hdr_year_inference)
{
	int64_t jan10 = cal_time(2000, 1, 10, 0, 0, 0);

	CHECK_INT(cal_infer_year(12, 31, 23, 59, 59, jan10),
	    cal_time(1999, 12, 31, 23, 59, 59));
	CHECK_INT(cal_infer_year(2, 10, 0, 0, 0, jan10),
	    cal_time(2000, 2, 10, 0, 0, 0));
	CHECK_INT(cal_infer_year(2, 10, 0, 0, 1, jan10),
	    cal_time(1999, 2, 10, 0, 0, 1));
	CHECK_INT(cal_infer_year(1, 9, 0, 0, 0, jan10),
	    cal_time(2000, 1, 9, 0, 0, 0));
	CHECK_INT(cal_infer_year(3, 14, 10, 15, 2, NOW), T_0314_101502);
	/* Any clock gives some year; nothing overflows. */
	cal_infer_year(3, 14, 10, 15, 2, INT64_MIN);
	cal_infer_year(3, 14, 10, 15, 2, INT64_MAX);
	cal_infer_year(3, 14, 10, 15, 2, -1);
	CHECK_INT(cal_infer_year(1, 1, 0, 0, 0, -1),
	    cal_time(1969, 1, 1, 0, 0, 0));
}

/*
 * The same 15-byte stamp twice in a row is read from the last result:
 * it must give what a first reading gives, with a fraction or a year
 * after it, and against another clock.
 */
TEST(hdr_stamp_repeated)
{
	int64_t jan10 = cal_time(2000, 1, 10, 0, 0, 0);
	static const char plain[] = "<13>Mar 14 10:15:02 MAILGW x: y";
	static const char frac[] = "<13>Mar 14 10:15:02.250 MAILGW x: y";
	static const char year[] = "<13>Mar 14 10:15:02 1998 MAILGW x: y";
	static const char stamp[] = "<13>Mar 14 10:15:02";
	struct evt ev;
	enum parse_why why;
	int i;

	for (i = 0; i < 2; i++) {
		(void)parse_record((const uint8_t *)plain, strlen(plain),
		    NOW, &ev, &why, NULL);
		CHECK_INT(ev.hdr_time, T_0314_101502);
		CHECK_SPAN(ev.hdr_host, "MAILGW");
	}
	(void)parse_record((const uint8_t *)frac, strlen(frac), NOW, &ev,
	    &why, NULL);
	CHECK_INT(ev.hdr_time, T_0314_101502);
	CHECK_SPAN(ev.hdr_host, "MAILGW");
	(void)parse_record((const uint8_t *)plain, strlen(plain), NOW, &ev,
	    &why, NULL);
	(void)parse_record((const uint8_t *)year, strlen(year), NOW, &ev,
	    &why, NULL);
	CHECK_INT(ev.hdr_time, cal_time(1998, 3, 14, 10, 15, 2));
	CHECK_SPAN(ev.hdr_host, "MAILGW");
	/* Another clock: another inferred year for the same bytes. */
	(void)parse_record((const uint8_t *)plain, strlen(plain), NOW, &ev,
	    &why, NULL);
	(void)parse_record((const uint8_t *)plain, strlen(plain), jan10,
	    &ev, &why, NULL);
	CHECK_INT(ev.hdr_time, cal_time(1999, 3, 14, 10, 15, 2));
	/* The stamp alone ends the record. */
	(void)parse_record((const uint8_t *)stamp, strlen(stamp), jan10,
	    &ev, &why, NULL);
	CHECK_INT(ev.hdr_time, cal_time(1999, 3, 14, 10, 15, 2));
}

TEST(hdr_civil_time)
{
	CHECK_INT(cal_time(1970, 1, 1, 0, 0, 0), 0);
	CHECK_INT(cal_time(2000, 3, 14, 10, 15, 2), T_0314_101502);
	CHECK_INT(cal_time(2000, 3, 3, 8, 12, 44), 952071164);
	CHECK_INT(cal_time(1969, 12, 31, 23, 59, 59), -1);
	CHECK_INT(cal_time(2038, 1, 19, 3, 14, 8), 2147483648LL);
	CHECK_INT(cal_time(1600, 3, 1, 0, 0, 0), -11670912000LL);
	CHECK_INT(cal_month(span_cstr("Jan")), 1);
	CHECK_INT(cal_month(span_cstr("DEC")), 12);
	CHECK_INT(cal_month(span_cstr("Dez")), -1);
	CHECK_INT(cal_month(span_cstr("Janu")), -1);
	CHECK_INT(cal_month(span_cstr("")), -1);
	CHECK_INT(cal_mdays(2000, 2), 29);
	CHECK_INT(cal_mdays(1900, 2), 28);
	CHECK_INT(cal_mdays(2004, 2), 29);
	CHECK_INT(cal_mdays(1999, 2), 28);
	CHECK_INT(cal_mdays(1999, 13), 0);
	CHECK_INT(cal_mdays(1999, 0), 0);
}

TEST(hdr_ndigits_bounds)
{
	struct span s = span_cstr("12345");
	int h, mi, sec;
	int d, mo;

	CHECK_INT(parse_ndigits(s, 0, 5), 12345);
	CHECK_INT(parse_ndigits(s, 3, 2), 45);
	CHECK_INT(parse_ndigits(s, 3, 3), -1);
	CHECK_INT(parse_ndigits(s, 6, 1), -1);
	CHECK_INT(parse_ndigits(s, 0, 0), -1);
	CHECK_INT(parse_ndigits(span_cstr("1234567890"), 0, 10), -1);
	CHECK_INT(parse_hms(span_cstr("23:59:60"), 0, &h, &mi, &sec), 0);
	CHECK_INT(parse_hms(span_cstr("23:59:6"), 0, &h, &mi, &sec), -1);
	CHECK_INT(parse_hms(span_cstr("x23:59:59"), 2, &h, &mi, &sec), -1);
	CHECK_INT(parse_hms(span_cstr("23:59"), 9, &h, &mi, &sec), -1);
	CHECK_INT(parse_mday(span_cstr("Mar  3"), 0, &mo, &d), 6);
	CHECK_INT(d, 3);
	CHECK_INT(parse_mday(span_cstr("Mar 3"), 0, &mo, &d), 5);
	CHECK_INT(parse_mday(span_cstr("Mar 03"), 0, &mo, &d), 6);
	CHECK_INT(parse_mday(span_cstr("Mar "), 0, &mo, &d), 0);
	CHECK_INT(parse_mday(span_cstr("Mar  "), 0, &mo, &d), 0);
	CHECK_INT(parse_mday(span_cstr("Feb 29"), 0, &mo, &d), 6);
	CHECK_INT(parse_mday(span_cstr("Feb 30"), 0, &mo, &d), 0);
	CHECK_INT(parse_mday(span_cstr("Mar 3"), 6, &mo, &d), 0);
}

TEST(hdr_tags)
{
	static const struct {
		const char	*body, *app, *msg;
	} tc[] = {
		{ "app[123]: text", "app", "text" },
		{ "app[123] text", "app", " text" },
		{ "app: text", "app", "text" },
		{ "app:text", "app", "text" },
		{ "app text", "app", "text" },
		{ "app\ttext", "app", "text" },
		{ "app#011text", "app", "text" },
		{ "app", "app", "" },
		{ "app:", "app", "" },
		{ "a#b: text", "a#b", "text" },
		{ ": text", "", ": text" },
		{ " text", "", " text" },
		{ "app[123 text", "", "app[123 text" },
		{ "a\x01p: text", "", "a\x01p: text" },
		{ "\x7f: text", "", "\x7f: text" },
		{ "app\xc3\xa9: text", "app\xc3\xa9", "text" },
		/* 48 is the cap, 49 is not a TAG any more. */
		{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv: t",
		  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv", "t" },
		{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw: t",
		  "", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw: t" },
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	/* daemon.notice: facility user would make "app: text" NXLog's. */
	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<29>Mar 14 10:15:02 MAILGW %s",
		    tc[i].body);
		CHECK_INT(run(line, &ev, &why), PARSE_NOMATCH);
		CHECK_SPAN(ev.hdr_host, "MAILGW");
		CHECK_SPAN(ev.app, tc[i].app);
		CHECK_SPAN(ev.msg, tc[i].msg);
		/* An unrecognised line still offers its text. */
		CHECK_SPAN(ev.text, tc[i].msg);
		CHECK_SPAN(ev.computer, "MAILGW");
		CHECK_INT(ev.time, T_0314_101502);
	}
}

/* A token ending in ':' is a TAG, not a host, unless it is IPv6. */
TEST(hdr_hosts)
{
	static const struct {
		const char	*rest, *host;
	} tc[] = {
		{ "MAILGW x", "MAILGW" },
		{ "mailgw.corp.example x", "mailgw.corp.example" },
		{ "10.0.0.5 x", "10.0.0.5" },
		{ "fe80::1 x", "fe80::1" },
		{ "2001:db8:: x", "2001:db8::" },
		{ "MAILGW", "MAILGW" },
		{ "MAILGW\tx", "MAILGW" },
		{ "   MAILGW x", "MAILGW" },
		{ "MSExchangeIMC: x", "" },
		{ "cafe: x", "" },
		{ "app[1]: x", "" },
		{ "MSWinEventLog\t1", "" },
		{ "<13>x", "" },
		{ "MAIL\x01GW x", "" },
		{ "MAIL\x7fGW x", "" },
		{ "", "" },
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<13>Mar 14 10:15:02 %s",
		    tc[i].rest);
		run(line, &ev, &why);
		CHECK_SPAN(ev.hdr_host, tc[i].host);
	}
}

TEST(hdr_host_255)
{
	char line[1024], host[300];

	memset(host, 'h', sizeof(host));
	host[255] = '\0';
	snprintf(line, sizeof(line), "<27>Mar 14 10:15:01 %s SCM: 7023: x",
	    host);
	{
		struct evt ev;
		enum parse_why why;

		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_INT(ev.hdr_host.n, 255);
		host[255] = 'h';
		host[256] = '\0';
		snprintf(line, sizeof(line),
		    "<27>Mar 14 10:15:01 %s SCM: 7023: x", host);
		run(line, &ev, &why);
		CHECK_INT(ev.hdr_host.n, 0);
	}
}

TEST(hdr_only)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<13>Mar 14 10:15:02 MAILGW", &ev, &why),
	    PARSE_NOMATCH);
	CHECK_INT(why, PARSE_WHY_UNRECOGNISED);
	CHECK_INT(ev.pri, 13);
	CHECK_INT(ev.hdr_time, T_0314_101502);
	CHECK_SPAN(ev.hdr_host, "MAILGW");
	CHECK_SPAN(ev.msg, "");
	CHECK_INT(run("<13>Mar 14 10:15:02", &ev, &why), PARSE_NOMATCH);
	CHECK_INT(ev.hdr_time, T_0314_101502);
	CHECK_SPAN(ev.hdr_host, "");
	CHECK_INT(run("<13>Mar 14 10:15:02 ", &ev, &why), PARSE_NOMATCH);
	CHECK_INT(run("<13>Mar 14 10:15:02 MAILGW ", &ev, &why),
	    PARSE_NOMATCH);
	CHECK_SPAN(ev.hdr_host, "MAILGW");
}

/* A relay's header in front of the original: read through. */
TEST(hdr_relay)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<13>Mar 15 11:00:00 relay " SNARE_SYSLOG, &ev, &why),
	    PARSE_OK);
	CHECK_INT(ev.hdr_time, T_0314_101502);
	CHECK_SPAN(ev.hdr_host, "MAILGW");
	check_snare_example(&ev);
	CHECK_INT(run("<14>Mar 15 11:00:00 relay.example " EVTSYS_7023, &ev,
	    &why), PARSE_OK);
	CHECK_INT(ev.pri, 27);
	CHECK_INT(ev.type, EVT_TYPE_ERROR);
	CHECK_INT(ev.hdr_time, T_0314_101501);
	CHECK_SPAN(ev.computer, "MAILGW");
	/* Relay without a host of its own. */
	CHECK_INT(run("<13>Mar 15 11:00:00 " SNARE_SYSLOG, &ev, &why),
	    PARSE_OK);
	CHECK_SPAN(ev.hdr_host, "MAILGW");
	/* Inner evtsys 3.x has no stamp, no host: keep the relay's. */
	CHECK_INT(run("<30>Mar 14 10:15:05 10.1.2.3 <27>Service_Control_"
	    "Manager: 7023: text ", &ev, &why), PARSE_OK);
	CHECK_INT(ev.pri, 27);
	CHECK_INT(ev.hdr_time, T_0314_101502 + 3);
	CHECK_SPAN(ev.computer, "10.1.2.3");
	/* RFC 5424 inside 3164. */
	CHECK_INT(run("<13>Mar 15 11:00:00 relay <27>1 2000-03-14T10:15:01Z "
	    "MAILGW evtsys - - - Service_Control_Manager: 7023: t ", &ev,
	    &why), PARSE_OK);
	CHECK_SPAN(ev.computer, "MAILGW");
	CHECK_SPAN(ev.app, "evtsys");
	CHECK_INT(ev.time, T_0314_101501);
}

/* A broken inner header is not read through: it stays in the body. */
TEST(hdr_relay_inner_broken)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<13>Mar 15 11:00:00 relay <1913>Mar 14 10:15:02 "
	    "MAILGW x", &ev, &why), PARSE_NOMATCH);
	CHECK_SPAN(ev.hdr_host, "relay");
	CHECK_INT(run("<13>Mar 15 11:00:00 relay <13>1 broken", &ev, &why),
	    PARSE_NOMATCH);
	CHECK_SPAN(ev.hdr_host, "relay");
	CHECK_SPAN(ev.app, "<13>1");
	CHECK_SPAN(ev.msg, "broken");
}

TEST(hdr_relay_depth_4)
{
	char line[2048];
	struct evt ev;
	enum parse_why why;
	int i;

	line[0] = '\0';
	for (i = 0; i < 3; i++)
		strncat(line, "<13>Mar 15 11:00:00 relay ", 100);
	strncat(line, EVTSYS_7023, 1000);
	CHECK_INT(run(line, &ev, &why), PARSE_OK);
	CHECK_SPAN(ev.computer, "MAILGW");
	/* One more than HDR_DEPTH: the last header is left as text. */
	line[0] = '\0';
	for (i = 0; i < 4; i++)
		strncat(line, "<13>Mar 15 11:00:00 relay ", 100);
	strncat(line, EVTSYS_7023, 1000);
	CHECK_INT(run(line, &ev, &why), PARSE_NOMATCH);
	CHECK_INT(why, PARSE_WHY_UNRECOGNISED);
}

/* --- RFC 5424 ---------------------------------------------------------- */

TEST(rfc5424_full)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<29>1 2000-03-14T10:15:02.003+01:00 mailgw.example "
	    "MSExchangeIMC 1234 ID47 [origin ip=\"10.0.0.5\"]"
	    "[x@32473 a=\"q\\\"b\\\\c\\]d\" e=\"\"] \xef\xbb\xbf" "Some text",
	    &ev, &why), PARSE_NOMATCH);
	CHECK_INT(why, PARSE_WHY_UNRECOGNISED);
	CHECK_INT(ev.pri, 29);
	CHECK_INT(ev.hdr_time, T_0314_101502 - 3600);	/* +01:00 honoured */
	CHECK_SPAN(ev.hdr_host, "mailgw.example");
	CHECK_SPAN(ev.app, "MSExchangeIMC");
	CHECK_SPAN(ev.sd, "[origin ip=\"10.0.0.5\"]"
	    "[x@32473 a=\"q\\\"b\\\\c\\]d\" e=\"\"]");
	CHECK_SPAN(ev.msg, "Some text");
}

TEST(rfc5424_nil)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<13>1 - - - - - -", &ev, &why), PARSE_NOMATCH);
	CHECK_INT(why, PARSE_WHY_UNRECOGNISED);
	CHECK_INT(ev.pri, 13);
	CHECK_INT(ev.hdr_time, EVT_TIME_NONE);
	CHECK_SPAN(ev.hdr_host, "");
	CHECK_SPAN(ev.app, "");
	CHECK_SPAN(ev.sd, "");
	CHECK_SPAN(ev.msg, "");
	CHECK_INT(run("<13>1 - - - - - - ", &ev, &why), PARSE_NOMATCH);
	CHECK_SPAN(ev.msg, "");
}

TEST(rfc5424_evtsys_msg)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<27>1 2000-03-14T10:15:01Z MAILGW evtsys - - - "
	    "Service_Control_Manager: 7023: " EVTSYS_TEXT, &ev, &why),
	    PARSE_OK);
	CHECK_INT(ev.fmt, EVT_FMT_EVTSYS);
	CHECK_INT(ev.event_id, 7023);
	CHECK_INT(ev.time, T_0314_101501);
	CHECK_SPAN(ev.computer, "MAILGW");
	CHECK_SPAN(ev.text, EVTSYS_TEXT);
}

TEST(rfc5424_broken_sd)
{
	static const char *const sd[] = {
		"[", "[]", "[id", "[id a=\"b\"", "[id a=\"b]",
		"[id a=b]", "[id a]", "[id =\"b\"]", "[id a=\"b\"]x",
		"[id a=\"b\"][id2]x", "[id a=\"b\\\"]", "[id a=\"b\\",
		"[id  a=\"b\"]", "[i]d]", "[id a=\"b\"c=\"d\"]",
		"x", "--", "[id\x01]", "[id a=\"b\"]]",
		"[abcdefghijklmnopqrstuvwxyzabcdefg]",
	};
	char line[512];
	size_t i;

	for (i = 0; i < NITEMS(sd); i++) {
		snprintf(line, sizeof(line), "<13>1 - host app - - %s msg",
		    sd[i]);
		CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADHEADER);
	}
	/* After the SD and its blank, anything is MSG. */
	CHECK_RC("<13>1 - h a - - [id a=\"b\"] [id2]x", PARSE_NOMATCH,
	    PARSE_WHY_UNRECOGNISED);
	/* 32 is the SD-NAME cap. */
	CHECK_RC("<13>1 - h a - - [abcdefghijklmnopqrstuvwxyzabcdef] m",
	    PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

TEST(rfc5424_broken_header)
{
	static const char *const tc[] = {
		"<13>1 ", "<13>1 -", "<13>1 - h a p m", "<13>1 - h a p",
		"<13>1  - h a p m -", "<13>1 - h  a p m -",
		"<13>1 2000-03-14T10:15:02 h a p m -",		/* no zone */
		"<13>1 2000-03-14 10:15:02Z h a p m -",
		"<13>1 2000-03-14T10:15:02.1234567Z h a p m -",
		"<13>1 2000-03-14T10:15:02.Z h a p m -",
		"<13>1 2000-03-14T10:15:02+0100 h a p m -",
		"<13>1 Mar 14 10:15:02 h a p m -",
		"<13>1 - h\x7f a p m -", "<13>1 - h \xc3\xa9 p m -",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_RC(tc[i], PARSE_BAD, PARSE_WHY_BADHEADER);
	CHECK_RC("<13>1 2000-03-14T10:15:02.123456Z h a p m -",
	    PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

/* RFC 5424 §6 field caps, each one at and over. */
TEST(rfc5424_field_caps)
{
	static const size_t cap[] = {
		255,	/* HOSTNAME */
		48,	/* APP-NAME */
		128,	/* PROCID */
		32,	/* MSGID */
	};
	const char *fld[4] = { "h", "a", "p", "m" };
	char line[1024], f[300];
	size_t i;

	for (i = 0; i < NITEMS(cap); i++) {
		memset(f, 'z', sizeof(f));
		f[cap[i]] = '\0';
		fld[i] = f;
		snprintf(line, sizeof(line), "<13>1 - %s %s %s %s - x", fld[0],
		    fld[1], fld[2], fld[3]);
		CHECK_RC(line, PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
		f[cap[i]] = 'z';
		f[cap[i] + 1] = '\0';
		snprintf(line, sizeof(line), "<13>1 - %s %s %s %s - x", fld[0],
		    fld[1], fld[2], fld[3]);
		CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADHEADER);
		fld[i] = "x";
	}
}

/* --- Snare -------------------------------------------------------------- */

TEST(snare_syslog)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run(SNARE_SYSLOG, &ev, &why), PARSE_OK);
	CHECK_INT(why, PARSE_WHY_NONE);
	CHECK_INT(ev.pri, 13);
	CHECK_INT(ev.hdr_time, T_0314_101502);
	CHECK_SPAN(ev.hdr_host, "MAILGW");
	CHECK_SPAN(ev.app, "MSWinEventLog");
	check_snare_example(&ev);
}

TEST(snare_native)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("MAILGW\t" SNARE_FIELDS, &ev, &why), PARSE_OK);
	CHECK_INT(ev.pri, -1);
	CHECK_INT(ev.hdr_time, EVT_TIME_NONE);
	CHECK_SPAN(ev.hdr_host, "");
	check_snare_example(&ev);
	/* PRI but no stamp: the first token is still the host. */
	CHECK_INT(run("<13>MAILGW " SNARE_FIELDS, &ev, &why), PARSE_OK);
	check_snare_example(&ev);
}

/* rsyslog's escaped TABs: the whole record uses "#011". */
TEST(snare_escaped_tabs)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<13>Mar 14 10:15:02 MAILGW MSWinEventLog#0113#011"
	    "Application#0114726#011Tue Mar 14 10:15:02 2000#0114143#011"
	    "MSExchangeIMC#011N/A#011N/A#011Error#011MAILGW#011"
	    "Initialization/Termination#011#011" SNARE_TEXT "#01118815",
	    &ev, &why), PARSE_OK);
	check_snare_example(&ev);
	CHECK_INT(run("MAILGW#011MSWinEventLog#0113#011Application#0114726"
	    "#011Tue Mar 14 10:15:02 2000#0114143#011MSExchangeIMC#011N/A"
	    "#011N/A#011Error#011MAILGW#011Initialization/Termination#011"
	    "#011" SNARE_TEXT "#01118815", &ev, &why), PARSE_OK);
	check_snare_example(&ev);
	/* A TAB is no separator in an escaped record: the fields shift. */
	CHECK_INT(run("<13>Mar 14 10:15:02 MAILGW MSWinEventLog#0113\t"
	    "Application#0114726#011Tue Mar 14 10:15:02 2000#0114143#011"
	    "MSExchangeIMC#011N/A#011N/A#011Error#011MAILGW#011"
	    "Initialization/Termination#011#011" SNARE_TEXT "#01118815",
	    &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_BADTIME);
}

/*
 * The separators are found 16 bytes at a time: a description of every
 * length from 0 to 40 bytes puts them at every place in a block, with
 * '#' and "#01" inside it that are no separator, TABs and "#011" alike.
 */
TEST(snare_split_every_offset)
{
	static const char fill[] = "a#b#01c#0d#01x#0112";
	char line[512], text[64];
	struct evt ev;
	enum parse_why why;
	size_t k, j;
	int esc;

	for (esc = 0; esc < 2; esc++)
		for (k = 0; k <= 40; k++) {
			for (j = 0; j < k; j++)
				text[j] = fill[j % 14];	/* no "#011" in it */
			text[k] = '\0';
			snprintf(line, sizeof(line), esc ?
			    "<13>Mar 14 10:15:02 MAILGW MSWinEventLog#0113#011"
			    "Application#0114726#011Tue Mar 14 10:15:02 2000"
			    "#0114143#011MSExchangeIMC#011N/A#011N/A#011Error"
			    "#011MAILGW#011Init#011%s#011%s#01118815" :
			    "<13>Mar 14 10:15:02 MAILGW MSWinEventLog\t3\t"
			    "Application\t4726\tTue Mar 14 10:15:02 2000\t4143"
			    "\tMSExchangeIMC\tN/A\tN/A\tError\tMAILGW\tInit\t"
			    "%s\t%s\t18815", text, text);
			CHECK_INT(run(line, &ev, &why), PARSE_OK);
			CHECK_INT(ev.event_id, 4143);
			CHECK_INT(ev.seq, 4726);
			CHECK_INT(ev.record, 18815);
			CHECK_SPAN(ev.category, "Init");
			if (k > 0)
				CHECK_SPAN(ev.text, text);
		}
}

/* NXLog's to_syslog_snare(): space-padded day, its own type names. */
TEST(snare_nxlog)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<11>Mar  3 08:12:44 MAILGW MSWinEventLog\t3\t"
	    "Application\t77\tFri Mar  3 08:12:44 2000\t4018\tMSExchangeIMC"
	    "\texchsvc\tUser\tERROR\tMAILGW\tN/A\t\tOur own text.\t1234",
	    &ev, &why), PARSE_OK);
	CHECK_INT(ev.time, 952071164);
	CHECK_INT(ev.hdr_time, 952071164);
	CHECK_INT(ev.event_id, 4018);
	CHECK_SPAN(ev.user, "exchsvc");
	CHECK_INT(ev.type, EVT_TYPE_ERROR);
	CHECK_SPAN(ev.category, "N/A");
	CHECK_SPAN(ev.text, "Our own text.");
	CHECK_INT(ev.record, 1234);
	CHECK_INT(ev.seq, 77);
}

TEST(snare_types)
{
	static const struct {
		const char	*name;
		enum evt_type	 type;
	} tc[] = {
		{ "Error", EVT_TYPE_ERROR },
		{ "Warning", EVT_TYPE_WARNING },
		{ "Information", EVT_TYPE_INFORMATION },
		{ "Success Audit", EVT_TYPE_AUDIT_SUCCESS },
		{ "Failure Audit", EVT_TYPE_AUDIT_FAILURE },
		{ "WARNING", EVT_TYPE_WARNING },
		{ "INFO", EVT_TYPE_INFORMATION },
		{ "AUDIT_SUCCESS", EVT_TYPE_AUDIT_SUCCESS },
		{ "AUDIT_FAILURE", EVT_TYPE_AUDIT_FAILURE },
		{ "Success", EVT_TYPE_INFORMATION },
		{ "Bogus", EVT_TYPE_UNKNOWN },
		{ "", EVT_TYPE_UNKNOWN },
	};
	char line[1024];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<13>Mar 14 10:15:02 MAILGW "
		    "MSWinEventLog\t1\tSecurity\t9\tTue Mar 14 10:15:02 2000\t"
		    "529\tSecurity\tMAILGW\\jdoe\tUser\t%s\tMAILGW\t"
		    "Logon/Logoff\t\tLogon refused.\t10", tc[i].name);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_INT(ev.type, tc[i].type);
		CHECK_SPAN(ev.user, "MAILGW\\jdoe");
		CHECK_SPAN(ev.log, "Security");
	}
}

/* Field 14 to 16: which one is the text, and the record number. */
TEST(snare_field_counts)
{
	static const struct {
		const char	*tail, *text;
		int64_t		 record;
	} tc[] = {
		{ "\t\ttext\t18815", "text", 18815 },
		{ "\t\ttext", "text", -1 },
		{ "\tdata", "data", -1 },
		{ "\t", "", -1 },
		{ "\tdata\t\t7", "data", 7 },
		{ "\tdata\ttext\t7", "text", 7 },
		{ "\t\ttext\t5d41402abc4b2a76b9719d911017c592", "text", -1 },
		{ "\t\ttext\t18815\tk=v\tk2=v2", "text", 18815 },
		{ "\t\ttext\t18815\t", "text", 18815 },
		{ "\t\ttext\t 18815 ", "text", 18815 },
		{ "\t\ttext\t4294967296", "text", -1 },
		{ "\t\ttext\t", "text", -1 },
	};
	char line[1024];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<13>Mar 14 10:15:02 MAILGW "
		    "MSWinEventLog\t3\tApplication\t4726\tTue Mar 14 10:15:02 "
		    "2000\t4143\tMSExchangeIMC\tN/A\tN/A\tError\tMAILGW\tNone"
		    "%s", tc[i].tail);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_SPAN(ev.text, tc[i].text);
		CHECK_INT(ev.record, tc[i].record);
		CHECK_SPAN(ev.category, "None");
	}
}

static const char *const snare_f[] = {
	"MAILGW", "MSWinEventLog", "3", "Application", "4726",
	"Tue Mar 14 10:15:02 2000", "4143", "MSExchangeIMC", "N/A", "N/A",
	"Error", "MAILGW", "Initialization/Termination", "", SNARE_TEXT,
	"18815"
};

/* Join the first k fields, after a header (blank after the host) or not. */
static void
snare_join(char *buf, size_t sz, size_t k, int syslog)
{
	size_t i;

	buf[0] = '\0';
	if (syslog)
		strncat(buf, "<13>Mar 14 10:15:02 ", sz - strlen(buf) - 1);
	for (i = 0; i < k; i++) {
		if (i > 0)
			strncat(buf, i == 1 && syslog ? " " : "\t",
			    sz - strlen(buf) - 1);
		strncat(buf, snare_f[i], sz - strlen(buf) - 1);
	}
}

/* Truncated: 0 to 13 fields.  Once MSWinEventLog is there, BADFIELDS. */
TEST(snare_truncated)
{
	char line[1024];
	struct evt ev;
	enum parse_why why, want;
	size_t k;
	int syslog;

	for (syslog = 0; syslog < 2; syslog++)
		for (k = 0; k < NITEMS(snare_f); k++) {
			snare_join(line, sizeof(line), k, syslog);
			if (k >= 14) {
				CHECK_INT(run(line, &ev, &why), PARSE_OK);
				continue;
			}
			want = k >= 2 ? PARSE_WHY_BADFIELDS :
			    k == 0 && !syslog ? PARSE_WHY_EMPTY :
			    PARSE_WHY_UNRECOGNISED;
			CHECK_INT(run(line, &ev, &why),
			    want == PARSE_WHY_UNRECOGNISED ? PARSE_NOMATCH :
			    PARSE_BAD);
			CHECK_STR(parse_why_name(why), parse_why_name(want));
			if (why != want)
				fprintf(stderr, "    %zu fields%s\n", k,
				    syslog ? " after a header" : "");
		}
}

TEST(snare_field_overflow)
{
	char line[4096];
	struct evt ev;
	enum parse_why why;
	int i;

	snprintf(line, sizeof(line), "%s", SNARE_SYSLOG);
	for (i = 16; i < 200; i++)
		strncat(line, "\tk=v", sizeof(line) - strlen(line) - 1);
	CHECK_INT(run(line, &ev, &why), PARSE_OK);
	check_snare_example(&ev);
	/* 200 empty fields. */
	snprintf(line, sizeof(line), "<13>Mar 14 10:15:02 MAILGW "
	    "MSWinEventLog");
	for (i = 2; i < 200; i++)
		strncat(line, "\t", sizeof(line) - strlen(line) - 1);
	CHECK_INT(run(line, &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_BADTIME);
}

TEST(snare_event_id)
{
	static const struct {
		const char	*id;
		int32_t		 want;	/* -1: BADID */
	} tc[] = {
		{ "4143", 4143 }, { "0", 0 }, { "65535", 65535 },
		{ "65536", 0 }, { "70000", 70000 & 0xffff },
		{ "3221229490", 4018 },		/* 0xC0000FB2 */
		{ "4294967295", 65535 }, { "0004143", 4143 },
		{ " 4143 ", 4143 },
		{ "4294967296", -1 }, { "99999999999", -1 },
		{ "00000000001", -1 }, { "", -1 }, { "41x3", -1 },
		{ "x", -1 }, { "-1", -1 }, { "+4143", -1 }, { "0x1021", -1 },
		{ "4143 4143", -1 }, { "%n%s%x", -1 },
	};
	char line[1024];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<13>Mar 14 10:15:02 MAILGW "
		    "MSWinEventLog\t3\tApplication\t4726\tTue Mar 14 10:15:02 "
		    "2000\t%s\tMSExchangeIMC\tN/A\tN/A\tError\tMAILGW\tNone\t\t"
		    "text\t1", tc[i].id);
		if (tc[i].want < 0) {
			CHECK_INT(run(line, &ev, &why), PARSE_BAD);
			CHECK_INT(why, PARSE_WHY_BADID);
			CHECK_INT(ev.event_id, -1);
		} else {
			CHECK_INT(run(line, &ev, &why), PARSE_OK);
			CHECK_INT(ev.event_id, tc[i].want);
		}
	}
}

TEST(snare_datetime)
{
	static const struct {
		const char	*dt;
		int64_t		 t;	/* -1: BADTIME */
	} tc[] = {
		{ "Fri Mar 03 08:12:44 2000", 952071164 },
		{ "Fri Mar  3 08:12:44 2000", 952071164 },
		{ "Fri Mar 3 08:12:44 2000", 952071164 },
		{ "XYZ Mar 03 08:12:44 2000", 952071164 },
		{ "Tue Feb 29 00:00:00 2000", 951782400 },
		{ "Mon Feb 29 00:00:00 1999", -1 },
		{ "Fri Mar 32 08:12:44 2000", -1 },
		{ "Fri Mar 03 08:12:44", -1 },
		{ "Fri Mar 03 08:12:44 00", -1 },
		{ "Fri Mar 03 08:12:44 20000", -1 },
		{ "Fri Mar 03 8:12:44 2000", -1 },
		{ "Fri Mrz 03 08:12:44 2000", -1 },
		{ "Fri Mar 03 24:12:44 2000", -1 },
		{ "2000-03-03 08:12:44", -1 },
		{ "", -1 }, { "Fri", -1 }, { "Fri ", -1 }, { "Fri Mar", -1 },
		{ "Fri Mar 03", -1 }, { "Fri Mar 03 ", -1 },
	};
	char line[1024];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "MAILGW\tMSWinEventLog\t3\t"
		    "Application\t4726\t%s\t4143\tMSExchangeIMC\tN/A\tN/A\t"
		    "Error\tMAILGW\tNone\t\ttext\t1", tc[i].dt);
		if (tc[i].t < 0) {
			CHECK_INT(run(line, &ev, &why), PARSE_BAD);
			CHECK_INT(why, PARSE_WHY_BADTIME);
		} else {
			CHECK_INT(run(line, &ev, &why), PARSE_OK);
			CHECK_INT(ev.time, tc[i].t);
		}
	}
}

/* Missing values; the computer falls back to the Snare host, the header's. */
TEST(snare_fallbacks)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<13>Mar 14 10:15:02 MAILGW MSWinEventLog\tx\tSystem\t"
	    "\tTue Mar 14 10:15:02 2000\t7023\tService Control Manager\t"
	    "Unknown User\tN/A\tError\t\tNone\t\t\t", &ev, &why), PARSE_OK);
	CHECK_SPAN(ev.computer, "MAILGW");
	CHECK_SPAN(ev.user, "");
	CHECK_INT(ev.seq, -1);
	CHECK_INT(ev.record, -1);
	CHECK_SPAN(ev.text, "");
	CHECK_SPAN(ev.source, "Service Control Manager");
	CHECK_INT(run("OTHER\tMSWinEventLog\t1\tSystem\t1\tTue Mar 14 10:15:02"
	    " 2000\t7023\tService Control Manager\tN/A\tN/A\tError\t\tNone\t"
	    "\tt\t1", &ev, &why), PARSE_OK);
	CHECK_SPAN(ev.computer, "OTHER");
}

/* Near misses that are not Snare at all. */
TEST(snare_not_snare)
{
	static const char *const tc[] = {
		"<13>Mar 14 10:15:02 MAILGW MSWinEventLogX\t3\tApplication",
		"<13>Mar 14 10:15:02 MAILGW MSWinEventLog 3 Application",
		"<13>Mar 14 10:15:02 MAILGW MSWinEventLog[3]: x",
		"<13>Mar 14 10:15:02 MAILGW msg: MSWinEventLog\t3\t",
		"MAILGW",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_NOT_FMT(tc[i], EVT_FMT_SNARE);
	/* Snare's shape, cut short: "app" reads as a native host. */
	CHECK_RC("<13>Mar 14 10:15:02 MAILGW app MSWinEventLog\t3", PARSE_BAD,
	    PARSE_WHY_BADFIELDS);
	CHECK_RC("MSWinEventLog", PARSE_BAD, PARSE_WHY_BADFIELDS);
}

/* Bytes are opaque: invalid UTF-8, printf directives, CR/LF come through. */
TEST(snare_hostile_text)
{
	static const char *const texts[] = {
		"%n%s%x%p%%%1$s", "\xc3\x28\xff\xfe\xa0\xe2\x82", "a\r\nb\rc\n",
		"\x1b[31mred\x1b[0m", "\\\\\"'`$(x)",
	};
	char line[1024];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(texts); i++) {
		snprintf(line, sizeof(line), "<13>Mar 14 10:15:02 MAILGW "
		    "MSWinEventLog\t3\tApplication\t4726\tTue Mar 14 10:15:02 "
		    "2000\t4143\t%s\tN/A\tN/A\tError\tMAILGW\tNone\t\t%s\t1",
		    texts[i], texts[i]);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_SPAN(ev.text, texts[i]);
		CHECK_SPAN(ev.source, texts[i]);
	}
}

/* --- evtsys ------------------------------------------------------------ */

TEST(evtsys_42)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run(EVTSYS_7023, &ev, &why), PARSE_OK);
	CHECK_INT(ev.fmt, EVT_FMT_EVTSYS);
	CHECK_INT(ev.pri, 27);
	CHECK_INT(ev.hdr_time, T_0314_101501);
	CHECK_SPAN(ev.hdr_host, "MAILGW");
	CHECK_SPAN(ev.app, "Service_Control_Manager");
	CHECK_SPAN(ev.source, "Service_Control_Manager");
	CHECK_INT(ev.event_id, 7023);
	CHECK_INT(ev.type, EVT_TYPE_ERROR);
	CHECK_SPAN(ev.computer, "MAILGW");
	CHECK_SPAN(ev.user, "");
	CHECK_SPAN(ev.log, "");
	CHECK_SPAN(ev.category, "");
	CHECK_INT(ev.time, T_0314_101501);
	CHECK_INT(ev.record, -1);
	CHECK_INT(ev.seq, -1);
	CHECK_SPAN(ev.text, EVTSYS_TEXT);
}

TEST(evtsys_40_no_host)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<27>Mar 14 10:15:01 Service_Control_Manager: 7023: "
	    EVTSYS_TEXT, &ev, &why), PARSE_OK);
	CHECK_INT(ev.hdr_time, T_0314_101501);
	CHECK_SPAN(ev.hdr_host, "");
	CHECK_SPAN(ev.computer, "");
	CHECK_SPAN(ev.source, "Service_Control_Manager");
	CHECK_INT(ev.event_id, 7023);
	CHECK_SPAN(ev.text, EVTSYS_TEXT);
	/* Space-padded day, as evtsys writes it. */
	CHECK_INT(run("<27>Mar  4 10:15:01 MSExchangeIMC: 4058: t ", &ev,
	    &why), PARSE_OK);
	CHECK_INT(ev.time, T_0314_101501 - 10 * 86400);
	CHECK_SPAN(ev.source, "MSExchangeIMC");
}

TEST(evtsys_3x_no_stamp)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<27>Service_Control_Manager: 7023: " EVTSYS_TEXT, &ev,
	    &why), PARSE_OK);
	CHECK_INT(ev.hdr_time, EVT_TIME_NONE);
	CHECK_INT(ev.time, EVT_TIME_NONE);
	CHECK_SPAN(ev.computer, "");
	CHECK_INT(ev.event_id, 7023);
	CHECK_SPAN(ev.text, EVTSYS_TEXT);
	CHECK_INT(run("<27>Service_Control_Manager: 7023:", &ev, &why),
	    PARSE_OK);
	CHECK_SPAN(ev.text, "");
}

TEST(evtsys_include_tag)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<27>Mar 14 10:15:01 MAILGW evtsys: Service_Control_"
	    "Manager: 7023: " EVTSYS_TEXT, &ev, &why), PARSE_OK);
	CHECK_SPAN(ev.app, "evtsys");
	CHECK_SPAN(ev.source, "Service_Control_Manager");
	CHECK_INT(ev.event_id, 7023);
	CHECK_SPAN(ev.text, EVTSYS_TEXT);
}

TEST(evtsys_user)
{
	static const struct {
		const char	*rest, *user, *text;
	} tc[] = {
		{ "CORP\\exchsvc: Mailbox logon refused ", "CORP\\exchsvc",
		  "Mailbox logon refused " },
		{ "NT AUTHORITY\\SYSTEM: t ", "NT AUTHORITY\\SYSTEM", "t " },
		{ "CORP\\exchsvc:", "CORP\\exchsvc", "" },
		{ "S-1-5-21-1004: t ", "", "S-1-5-21-1004: t " },
		{ "Note: t ", "", "Note: t " },
		{ "C:\\exchsrvr\\bin: t ", "", "C:\\exchsrvr\\bin: t " },
		{ "A\\B\\C: t ", "", "A\\B\\C: t " },
		{ "\\user: t ", "", "\\user: t " },
		{ "CORP\\: t ", "", "CORP\\: t " },
		{ "CORP\\exchsvc:t ", "", "CORP\\exchsvc:t " },
		{ "ADOMAINOF16CHARS\\x: t ", "", "ADOMAINOF16CHARS\\x: t " },
		{ "ADOMAINOF15CHAR\\x: t ", "ADOMAINOF15CHAR\\x", "t " },
		{ "Cannot map CORP\\x: t ", "", "Cannot map CORP\\x: t " },
		{ "Map CORP\\x: t ", "", "Map CORP\\x: t " },
		{ "NT AUTHORITY\\NETWORK SERVICE: t",
		  "NT AUTHORITY\\NETWORK SERVICE", "t" },
		{ "BUILTIN\\Administrators: t", "BUILTIN\\Administrators",
		  "t" },
		{ "Corp-Dom_1\\svc.exch$: t", "Corp-Dom_1\\svc.exch$", "t" },
		{ "CORP\\exchsvc", "", "CORP\\exchsvc" },
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<29>Mar 14 10:15:03 MAILGW "
		    "MSExchangeIS_Private: 1023: %s", tc[i].rest);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_SPAN(ev.user, tc[i].user);
		CHECK_SPAN(ev.text, tc[i].text);
	}
}

TEST(evtsys_types)
{
	static const struct {
		const char	*pri, *tail;
		enum evt_type	 type;
		const char	*text;
	} tc[] = {
		{ "<27>", "t ", EVT_TYPE_ERROR, "t " },
		{ "<28>", "t ", EVT_TYPE_WARNING, "t " },
		{ "<29>", "t ", EVT_TYPE_INFORMATION, "t " },
		{ "<30>", "t ", EVT_TYPE_INFORMATION, "t " },
		{ "<31>", "t ", EVT_TYPE_UNKNOWN, "t " },
		{ "<24>", "t ", EVT_TYPE_ERROR, "t " },
		{ "<0>", "t ", EVT_TYPE_ERROR, "t " },
		{ "", "t ", EVT_TYPE_UNKNOWN, "t " },
		{ "<29>", "t AUDIT_SUCCESS ", EVT_TYPE_AUDIT_SUCCESS, "t " },
		{ "<27>", "t AUDIT_FAILURE ", EVT_TYPE_AUDIT_FAILURE, "t " },
		{ "<27>", "t AUDIT_FAILURE", EVT_TYPE_AUDIT_FAILURE, "t " },
		{ "<27>", "AUDIT_FAILURE ", EVT_TYPE_AUDIT_FAILURE, "" },
		{ "<27>", "tAUDIT_FAILURE ", EVT_TYPE_ERROR,
		  "tAUDIT_FAILURE " },
		{ "<27>", "AUDIT_FAILURE t ", EVT_TYPE_ERROR,
		  "AUDIT_FAILURE t " },
		{ "<27>", "t AUDIT_FAILUR ", EVT_TYPE_ERROR,
		  "t AUDIT_FAILUR " },
		{ "<27>", "t audit_failure ", EVT_TYPE_ERROR,
		  "t audit_failure " },
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "%sMar 14 10:15:03 MAILGW "
		    "MSExchangeIS_Private: 1023: %s", tc[i].pri, tc[i].tail);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_INT(ev.type, tc[i].type);
		CHECK_SPAN(ev.text, tc[i].text);
	}
}

TEST(evtsys_id_5_digits)
{
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 65535: t", PARSE_OK,
	    PARSE_WHY_NONE);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 0: t", PARSE_OK,
	    PARSE_WHY_NONE);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 07023: t", PARSE_OK,
	    PARSE_WHY_NONE);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 65536: t", PARSE_BAD,
	    PARSE_WHY_BADID);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 123456: t", PARSE_BAD,
	    PARSE_WHY_BADID);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 99999999999: t", PARSE_BAD,
	    PARSE_WHY_BADID);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 000007023: t", PARSE_BAD,
	    PARSE_WHY_BADID);
	/* A number with junk after it, still in the ID's place. */
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 4143%n%n: t", PARSE_BAD,
	    PARSE_WHY_BADID);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 41x3: t", PARSE_BAD,
	    PARSE_WHY_BADID);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 7023:", PARSE_OK,
	    PARSE_WHY_NONE);
	CHECK_RC("<27>Mar 14 10:15:01 MAILGW SCM: 7023x:", PARSE_BAD,
	    PARSE_WHY_BADID);
}

/* Not evtsys's shape: another format's, or plain text. */
TEST(evtsys_not_evtsys)
{
	static const char *const tc[] = {
		"<27>Mar 14 10:15:01 MAILGW SCM: abc: t",
		"<27>Mar 14 10:15:01 MAILGW SCM: 7023 t",
		"<27>Mar 14 10:15:01 MAILGW SCM: 7023",
		"<27>Mar 14 10:15:01 MAILGW SCM: 7023:t",
		"<27>Mar 14 10:15:01 MAILGW SCM: -7023: t",
		"<27>Mar 14 10:15:01 MAILGW SCM: x7023: t",
		"<27>Mar 14 10:15:01 MAILGW SCM: 7023 x: t",
		"<27>Mar 14 10:15:01 MAILGW SCM: 7023\tx: t",
		"<27>Mar 14 10:15:01 MAILGW SCM 7023: t",
		"<27>Mar 14 10:15:01 MAILGW SCM:7023: t",
		"<27>Mar 14 10:15:01 MAILGW : 7023: t",
		"<27>Mar 14 10:15:01 MAILGW S C M: 7023: t",
		"<11>Mar 14 10:15:02 MAILGW MSExchangeIMC: an NXLog BSD line",
		"<11>Mar 14 10:15:02 MAILGW a: b: c: 7023: t",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_NOT_FMT(tc[i], EVT_FMT_EVTSYS);
}

TEST(evtsys_source_255)
{
	char line[1024], src[300];

	memset(src, 's', sizeof(src));
	src[255] = '\0';
	snprintf(line, sizeof(line), "<27>%s: 7023: t", src);
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	src[255] = 's';
	src[256] = '\0';
	snprintf(line, sizeof(line), "<27>%s: 7023: t", src);
	CHECK_RC(line, PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

TEST(evtsys_hostile_text)
{
	static const char *const texts[] = {
		"%n%s%x%p%%%1$s ", "\xc3\x28\xff\xfe\xa0\xe2\x82 ",
		"line one\r\nline two\r\n(Error 2140) ", "\t\v\f\x7f ",
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(texts); i++) {
		snprintf(line, sizeof(line), "<27>Mar 14 10:15:01 MAILGW "
		    "Service_Control_Manager: 7023: %s", texts[i]);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_SPAN(ev.text, texts[i]);
	}
}

/* A failed parser leaves nothing of its own behind. */
TEST(chain_bad_leaves_header_only)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<13>Mar 14 10:15:02 MAILGW MSWinEventLog\t3\t"
	    "Application\t4726\tTue Mar 14 10:15:02 2000\tx\tMSExchangeIMC\t"
	    "N/A\tN/A\tError\tMAILGW\tNone\t\ttext\t1", &ev, &why),
	    PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_BADID);
	CHECK_INT(ev.fmt, EVT_FMT_NONE);
	CHECK_SPAN(ev.source, "");
	CHECK_SPAN(ev.log, "");
	CHECK_INT(ev.event_id, -1);
	CHECK_INT(ev.type, EVT_TYPE_UNKNOWN);
	CHECK_SPAN(ev.hdr_host, "MAILGW");
	CHECK_INT(ev.pri, 13);
}

/* --- corpus: tests/corpus/parse/NAME.in, one record a line -> NAME.out */

#define CORPUS_DIR	"tests/corpus/parse"
#define CORPUS_MAX	(1 << 20)

static void
dump_span(FILE *f, const char *key, struct span s)
{
	size_t i;

	fprintf(f, " %s=\"", key);
	for (i = 0; i < s.n; i++)
		if (s.p[i] < 0x20 || s.p[i] >= 0x7f || s.p[i] == '"' ||
		    s.p[i] == '\\')
			fprintf(f, "\\x%02x", s.p[i]);
		else
			fputc(s.p[i], f);
	fputc('"', f);
}

static void
dump_time(FILE *f, const char *key, int64_t t)
{
	if (t == EVT_TIME_NONE)
		fprintf(f, " %s=-", key);
	else
		fprintf(f, " %s=%lld", key, (long long)t);
}

/* One line per record: outcome, header, then the event if there is one. */
static void
dump_evt(FILE *f, enum parse_rc rc, enum parse_why why, const struct evt *ev)
{
	fprintf(f, "%s", rc == PARSE_OK ? evt_fmt_name(ev->fmt) :
	    parse_why_name(why));
	fprintf(f, " pri=%d", ev->pri);
	dump_time(f, "hdr_time", ev->hdr_time);
	dump_span(f, "hdr_host", ev->hdr_host);
	dump_span(f, "app", ev->app);
	if (ev->sd.n > 0)
		dump_span(f, "sd", ev->sd);
	if (rc != PARSE_OK) {
		dump_span(f, "msg", ev->msg);
		fputc('\n', f);
		return;
	}
	fprintf(f, " id=%d type=%s", (int)ev->event_id,
	    evt_type_name(ev->type));
	dump_time(f, "time", ev->time);
	fprintf(f, " record=%lld seq=%lld", (long long)ev->record,
	    (long long)ev->seq);
	dump_span(f, "log", ev->log);
	dump_span(f, "source", ev->source);
	dump_span(f, "category", ev->category);
	dump_span(f, "computer", ev->computer);
	dump_span(f, "user", ev->user);
	dump_span(f, "text", ev->text);
	fputc('\n', f);
}

static size_t
slurp(const char *path, char *buf, size_t sz)
{
	FILE *f;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		return (size_t)-1;
	n = fread(buf, 1, sz, f);
	fclose(f);
	return n;
}

/* Parse every line of one .in file; compare the dump with its .out. */
static void
corpus_file(const char *dir, const char *name, char *in, char *want,
    char *got)
{
	char path[512];
	size_t n, k, at, len, wn;
	struct evt ev;
	enum parse_why why;
	enum parse_rc rc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK((n = slurp(path, in, CORPUS_MAX)) != (size_t)-1);
	if (n == (size_t)-1)
		return;
	CHECK((f = fmemopen(got, CORPUS_MAX, "w")) != NULL);
	if (f == NULL)
		return;
	for (at = 0; at < n; at += len + 1) {
		for (len = 0; at + len < n && in[at + len] != '\n'; len++)
			;
		rc = runn(in + at, len, &ev, &why);
		dump_evt(f, rc, why, &ev);
	}
	k = (size_t)ftell(f);
	fclose(f);
	snprintf(path + strlen(path) - 3, 5, ".out");
	if (getenv("UPDATE") != NULL && (f = fopen(path, "wb")) != NULL) {
		fwrite(got, 1, k, f);
		fclose(f);
	}
	wn = slurp(path, want, CORPUS_MAX);
	CHECK(wn == k && memcmp(want, got, k) == 0);
	if (wn != k || memcmp(want, got, k) != 0)
		fprintf(stderr, "    %s differs (UPDATE=1 rewrites it)\n",
		    path);
}

TEST(corpus)
{
	const char *dir = getenv("CORPUS") ? getenv("CORPUS") : CORPUS_DIR;
	char *in, *want, *got;
	struct dirent *de;
	size_t len, files = 0;
	DIR *d;

	in = malloc(CORPUS_MAX);
	want = malloc(CORPUS_MAX);
	got = malloc(CORPUS_MAX);
	CHECK((d = opendir(dir)) != NULL);
	while (d != NULL && in != NULL && want != NULL && got != NULL &&
	    (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".in") != 0)
			continue;
		corpus_file(dir, de->d_name, in, want, got);
		files++;
	}
	CHECK(files > 0);
	if (d != NULL)
		closedir(d);
	free(in);
	free(want);
	free(got);
}

TEST_MAIN(
	T(record_over_maxrec), T(record_nul_inside), T(record_trailing_debris),
	T(record_empty), T(record_garbage), T(record_bom), T(record_stats),
	T(record_every_prefix), T(record_mutations),
	T(why_names),
	T(pri_values), T(pri_4_digits), T(pri_192), T(pri_unterminated),
	T(pri_not_digits), T(pri_only),
	T(hdr_stamps), T(hdr_stamps_bad), T(hdr_year_inference),
	T(hdr_stamp_repeated),
	T(hdr_civil_time), T(hdr_ndigits_bounds), T(hdr_tags), T(hdr_hosts),
	T(hdr_host_255), T(hdr_only), T(hdr_relay), T(hdr_relay_inner_broken),
	T(hdr_relay_depth_4),
	T(rfc5424_full), T(rfc5424_nil), T(rfc5424_evtsys_msg),
	T(rfc5424_broken_sd), T(rfc5424_broken_header), T(rfc5424_field_caps),
	T(snare_syslog), T(snare_native), T(snare_escaped_tabs),
	T(snare_split_every_offset), T(snare_nxlog),
	T(snare_types), T(snare_field_counts), T(snare_truncated),
	T(snare_field_overflow), T(snare_event_id), T(snare_datetime),
	T(snare_fallbacks), T(snare_not_snare), T(snare_hostile_text),
	T(evtsys_42), T(evtsys_40_no_host), T(evtsys_3x_no_stamp),
	T(evtsys_include_tag), T(evtsys_user), T(evtsys_types),
	T(evtsys_id_5_digits), T(evtsys_not_evtsys), T(evtsys_source_255),
	T(evtsys_hostile_text), T(chain_bad_leaves_header_only), T(corpus)
)
