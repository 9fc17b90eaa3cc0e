/* Long by design: every field and bound of three parsers, one case each. */
/*
 * t_parse_fmt: the NTsyslog, NXLog and Adiscon parsers behind the chain
 * (docs/forwarders.md).  Each well-formed case asserts
 * every field of the event; each hostile case is named after the bound
 * it checks.  Lines follow the forwarders' layouts; the texts are our
 * own.
 */
#include "test.h"

#include "util/evt.h"
#include "parse/parse.h"
#include "util/span.h"

#define NOW		953510400	/* 2000-03-20 00:00:00 */
#define T_1500		953028900	/* 2000-03-14 10:15:00 */
#define T_1501		953028901
#define T_0303		952071164	/* 2000-03-03 08:12:44 */
#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define NONE		EVT_TIME_NONE

#define TEXT_4143	"The IMS cannot start: SSL needs its service account "	\
			"to hold administrator rights."
#define TEXT_7023	"The Microsoft Exchange Internet Mail Service service "	\
			"terminated with the following error: %%2140"

static struct parse_stats st;
static uint8_t *copy;

/* Parse from an exact-size heap copy, so ASan sees a read past the end. */
static enum parse_rc
runn(const void *buf, size_t n, struct evt *ev, enum parse_why *why)
{
	free(copy);
	if ((copy = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	if (n > 0)
		memcpy(copy, buf, n);
	return parse_record(copy, n, NOW, ev, why, &st);
}

static enum parse_rc
run(const char *line, struct evt *ev, enum parse_why *why)
{
	return runn(line, strlen(line), ev, why);
}

#define CHECK_RC(line, want_rc, want_why) do {				\
	struct evt e_;							\
	enum parse_why w_;						\
	enum parse_rc r_ = run((line), &e_, &w_);			\
	CHECK_INT(r_, (want_rc));					\
	CHECK_STR(parse_why_name(w_), parse_why_name(want_why));	\
	if (r_ != (want_rc) || w_ != (want_why))			\
		fprintf(stderr, "    line \"%.120s\"\n", (line));	\
} while (0)

/* One record and every field of the event it must give. */
struct want {
	const char	*line;
	enum evt_fmt	 fmt;
	int		 pri;
	const char	*hdr_host, *app;
	const char	*computer, *source, *log, *user, *category, *text;
	int32_t		 id;
	enum evt_type	 type;
	int64_t		 time, record;
};

static void
check_want(const struct want *w, size_t idx)
{
	struct evt ev;
	enum parse_why why;
	int before = test_fails;

	CHECK_INT(run(w->line, &ev, &why), PARSE_OK);
	CHECK_STR(parse_why_name(why), "none");
	CHECK_STR(evt_fmt_name(ev.fmt), evt_fmt_name(w->fmt));
	CHECK_INT(ev.pri, w->pri);
	CHECK_SPAN(ev.hdr_host, w->hdr_host);
	CHECK_SPAN(ev.app, w->app);
	CHECK_SPAN(ev.computer, w->computer);
	CHECK_SPAN(ev.source, w->source);
	CHECK_SPAN(ev.log, w->log);
	CHECK_SPAN(ev.user, w->user);
	CHECK_SPAN(ev.category, w->category);
	CHECK_SPAN(ev.text, w->text);
	CHECK_INT(ev.event_id, w->id);
	CHECK_STR(evt_type_name(ev.type), evt_type_name(w->type));
	CHECK_INT(ev.time, w->time);
	CHECK_INT(ev.record, w->record);
	if (w->fmt != EVT_FMT_SNARE)
		CHECK_INT(ev.seq, -1);
	if (test_fails != before)
		fprintf(stderr, "    case %zu: \"%.100s\"\n", idx, w->line);
}

static void
check_wants(const struct want *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_want(&w[i], i);
}

/* A line with a filler of n bytes of c at the first '@' in fmt. */
static char *
fill(const char *fmt, size_t n, char c)
{
	const char *at = strchr(fmt, '@');
	size_t pre = (size_t)(at - fmt), post = strlen(at + 1);
	char *s;

	if ((s = malloc(pre + n + post + 1)) == NULL)
		abort();
	memcpy(s, fmt, pre);
	memset(s + pre, c, n);
	memcpy(s + pre + n, at + 1, post + 1);
	return s;
}

/* --- NTsyslog 1.15 ------------------------------------------------------ */

TEST(ntsyslog_115)
{
	static const struct want w[] = {
		{ "<11>Mar 14 10:15:00 MAILGW NT: <MSExchangeIMC;E4143;> "
		  TEXT_4143, EVT_FMT_NTSYSLOG, 11, "MAILGW", "NT", "MAILGW",
		  "MSExchangeIMC", "", "", "", TEXT_4143, 4143,
		  EVT_TYPE_ERROR, T_1500, -1 },
		/* System log: kern facility; the source keeps its blanks. */
		{ "<3>Mar 14 10:15:01 MAILGW NT: <Service Control Manager;"
		  "E7023;> " TEXT_7023, EVT_FMT_NTSYSLOG, 3, "MAILGW", "NT",
		  "MAILGW", "Service Control Manager", "", "", "", TEXT_7023,
		  7023, EVT_TYPE_ERROR, T_1501, -1 },
		{ "<15>Mar 14 10:15:00 MAILGW NT: <MSExchangeIS Private;F1023;"
		  "CORP\\svc-exch> Logon to the mailbox refused.",
		  EVT_FMT_NTSYSLOG, 15, "MAILGW", "NT", "MAILGW",
		  "MSExchangeIS Private", "", "CORP\\svc-exch", "",
		  "Logon to the mailbox refused.", 1023,
		  EVT_TYPE_AUDIT_FAILURE, T_1500, -1 },
		{ "<39>Mar 14 10:15:00 MAILGW NT: <Security;S528;NT AUTHORITY"
		  "\\SYSTEM> User Name:jdoe", EVT_FMT_NTSYSLOG, 39, "MAILGW",
		  "NT", "MAILGW", "Security", "", "NT AUTHORITY\\SYSTEM", "",
		  "User Name:jdoe", 528, EVT_TYPE_AUDIT_SUCCESS, T_1500, -1 },
		{ "<12>Mar 14 10:15:00 MAILGW NT: <MSExchangeIMC;W4116;> t",
		  EVT_FMT_NTSYSLOG, 12, "MAILGW", "NT", "MAILGW",
		  "MSExchangeIMC", "", "", "", "t", 4116, EVT_TYPE_WARNING,
		  T_1500, -1 },
		{ "<13>Mar 14 10:15:00 MAILGW NT: <MSExchangeIMC;I1001;>",
		  EVT_FMT_NTSYSLOG, 13, "MAILGW", "NT", "MAILGW",
		  "MSExchangeIMC", "", "", "", "", 1001,
		  EVT_TYPE_INFORMATION, T_1500, -1 },
		/* The full 32-bit ID: its low 16 bits (0xC0000FB2). */
		{ "<11>Mar 14 10:15:00 MAILGW NT: <MSExchangeIMC;E3221229490;> "
		  "x", EVT_FMT_NTSYSLOG, 11, "MAILGW", "NT", "MAILGW",
		  "MSExchangeIMC", "", "", "", "x", 4018, EVT_TYPE_ERROR,
		  T_1500, -1 },
		/* No host in the header (a syslogd file without one). */
		{ "<11>NT: <MSExchangeIMC;E4143;> t", EVT_FMT_NTSYSLOG, 11, "",
		  "NT", "", "MSExchangeIMC", "", "", "", "t", 4143,
		  EVT_TYPE_ERROR, NONE, -1 },
		/* A relay in front. */
		{ "<13>Mar 15 11:00:00 relay <11>Mar 14 10:15:00 mailgw.corp "
		  "NT: <MSExchangeIMC;E4143;> t", EVT_FMT_NTSYSLOG, 11,
		  "mailgw.corp", "NT", "mailgw.corp", "MSExchangeIMC", "", "",
		  "", "t", 4143, EVT_TYPE_ERROR, T_1500, -1 },
	};

	check_wants(w, NITEMS(w));
}

/* "NT: <" makes it NTsyslog's: from there on, a broken part is BAD. */
TEST(ntsyslog_bad)
{
	static const struct {
		const char	*rest;
		enum parse_why	 why;
	} tc[] = {
		{ "", PARSE_WHY_BADFIELDS },
		{ "MSExchangeIMC", PARSE_WHY_BADFIELDS },
		{ "MSExchangeIMC;", PARSE_WHY_BADFIELDS },
		{ ";E4143;>", PARSE_WHY_BADFIELDS },
		{ "MSExchangeIMC;X4143;> t", PARSE_WHY_BADFIELDS },
		{ "MSExchangeIMC;e4143;> t", PARSE_WHY_BADFIELDS },
		{ "MSExchangeIMC;E;> t", PARSE_WHY_BADID },
		{ "MSExchangeIMC;E41x3;> t", PARSE_WHY_BADID },
		{ "MSExchangeIMC;E-1;> t", PARSE_WHY_BADID },
		{ "MSExchangeIMC;E4143> t", PARSE_WHY_BADID },
		{ "MSExchangeIMC;E4143", PARSE_WHY_BADID },
		{ "MSExchangeIMC;E4143;", PARSE_WHY_BADFIELDS },
		{ "MSExchangeIMC;E4143;CORP\\svc t", PARSE_WHY_BADFIELDS },
		{ "MSExch>angeIMC;E4143;> t", PARSE_WHY_BADFIELDS },
		{ "MSExch\tIMC;E4143;> t", PARSE_WHY_BADFIELDS },
		{ "MSExchangeIMC;E4143;CO\rRP> t", PARSE_WHY_BADFIELDS },
		{ "%n%s%x;E4143%n;> t", PARSE_WHY_BADID },
	};
	char line[512];
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<11>Mar 14 10:15:00 MAILGW NT: <%s",
		    tc[i].rest);
		CHECK_RC(line, PARSE_BAD, tc[i].why);
	}
	/* Not "NT: <": not NTsyslog at all. */
	CHECK_RC("<29>Mar 14 10:15:00 MAILGW NT:<MSExchangeIMC;E4143;> t",
	    PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
	CHECK_RC("<29>Mar 14 10:15:00 MAILGW NT: MSExchangeIMC;E4143;> t",
	    PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

TEST(ntsyslog_source_255)
{
	char *line;

	line = fill("<11>Mar 14 10:15:00 MAILGW NT: <@;E4143;> t", 255, 's');
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	free(line);
	line = fill("<11>Mar 14 10:15:00 MAILGW NT: <@;E4143;> t", 256, 's');
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
}

TEST(ntsyslog_user_80)
{
	char *line;

	line = fill("<11>Mar 14 10:15:00 MAILGW NT: <S;E1;@> t", 80, 'u');
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	free(line);
	line = fill("<11>Mar 14 10:15:00 MAILGW NT: <S;E1;@> t", 81, 'u');
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
}

TEST(ntsyslog_id_10_digits)
{
	CHECK_RC("<11>Mar 14 10:15:00 MAILGW NT: <S;E4294967295;> t", PARSE_OK,
	    PARSE_WHY_NONE);
	CHECK_RC("<11>Mar 14 10:15:00 MAILGW NT: <S;E0000004143;> t",
	    PARSE_OK, PARSE_WHY_NONE);
	CHECK_RC("<11>Mar 14 10:15:00 MAILGW NT: <S;E4294967296;> t",
	    PARSE_BAD, PARSE_WHY_BADID);
	CHECK_RC("<11>Mar 14 10:15:00 MAILGW NT: <S;E00000041430;> t",
	    PARSE_BAD, PARSE_WHY_BADID);
	CHECK_RC("<11>Mar 14 10:15:00 MAILGW NT: <S;E99999999999999999999;> t",
	    PARSE_BAD, PARSE_WHY_BADID);
}

/* --- NTsyslog classic ---------------------------------------------------- */

TEST(ntsyslog_classic)
{
	static const struct want w[] = {
		{ "<13>Mar 14 10:15:00 MAILGW security[success] Successful "
		  "Logon:  User Name:Administrator", EVT_FMT_NTSYSLOG_CLASSIC,
		  13, "MAILGW", "security", "MAILGW", "", "security", "", "",
		  "Successful Logon:  User Name:Administrator", -1,
		  EVT_TYPE_AUDIT_SUCCESS, T_1500, -1 },
		{ "<11>Mar 14 10:15:00 MAILGW application[error] " TEXT_4143,
		  EVT_FMT_NTSYSLOG_CLASSIC, 11, "MAILGW", "application",
		  "MAILGW", "", "application", "", "", TEXT_4143, -1,
		  EVT_TYPE_ERROR, T_1500, -1 },
		{ "<3>Mar 14 10:15:01 MAILGW system[error] " TEXT_7023,
		  EVT_FMT_NTSYSLOG_CLASSIC, 3, "MAILGW", "system", "MAILGW",
		  "", "system", "", "", TEXT_7023, -1, EVT_TYPE_ERROR, T_1501,
		  -1 },
		{ "<12>Mar 14 10:15:00 MAILGW System[Warning] w",
		  EVT_FMT_NTSYSLOG_CLASSIC, 12, "MAILGW", "System", "MAILGW",
		  "", "System", "", "", "w", -1, EVT_TYPE_WARNING, T_1500,
		  -1 },
		{ "<13>Mar 14 10:15:00 MAILGW Directory Service[info] i",
		  EVT_FMT_NTSYSLOG_CLASSIC, 13, "MAILGW", "Directory",
		  "MAILGW", "", "Directory Service", "", "", "i", -1,
		  EVT_TYPE_INFORMATION, T_1500, -1 },
		{ "<15>Mar 14 10:15:00 MAILGW security[failure]",
		  EVT_FMT_NTSYSLOG_CLASSIC, 15, "MAILGW", "security",
		  "MAILGW", "", "security", "", "", "", -1,
		  EVT_TYPE_AUDIT_FAILURE, T_1500, -1 },
		/* No host: the token with '[' cannot be one. */
		{ "<13>Mar 14 10:15:00 security[success] s",
		  EVT_FMT_NTSYSLOG_CLASSIC, 13, "", "security", "", "",
		  "security", "", "", "s", -1, EVT_TYPE_AUDIT_SUCCESS, T_1500,
		  -1 },
	};

	check_wants(w, NITEMS(w));
}

/* A weak shape: anything off it is somebody else's line, never bad. */
TEST(ntsyslog_classic_not)
{
	static const char *const tc[] = {
		"sshd[1234] x", "app[error]x", "[error] x", "a [error] x",
		"sec-urity[error] x", "security[errors] x", "security[] x",
		"security[error x", "security(error) x", "security [error] x",
		"s\xc3\xa9" "curit\xc3\xa9[error] x", "%n%s[error] x",
	};
	char line[256];
	struct evt ev;
	enum parse_why why;
	enum parse_rc rc;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		/* daemon facility, so that NXLog BSD stays out of it */
		snprintf(line, sizeof(line), "<29>Mar 14 10:15:00 MAILGW %s",
		    tc[i]);
		rc = run(line, &ev, &why);
		CHECK(rc == PARSE_NOMATCH || ev.fmt != EVT_FMT_NTSYSLOG_CLASSIC);
		CHECK(rc != PARSE_BAD);
	}
}

TEST(ntsyslog_classic_log_64)
{
	char *line;

	line = fill("<13>Mar 14 10:15:00 MAILGW @[info] t", 64, 'l');
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	free(line);
	line = fill("<13>Mar 14 10:15:00 MAILGW @[info] t", 65, 'l');
	CHECK_RC(line, PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
	free(line);
}

/* --- NXLog to_syslog_bsd() ------------------------------------------------- */

TEST(nxlog_bsd)
{
	static const struct want w[] = {
		{ "<11>Mar 14 10:15:00 MAILGW MSExchangeIMC: " TEXT_4143,
		  EVT_FMT_NXLOG_BSD, 11, "MAILGW", "MSExchangeIMC", "MAILGW",
		  "MSExchangeIMC", "", "", "", TEXT_4143, -1,
		  EVT_TYPE_UNKNOWN, T_1500, -1 },
		{ "<11>Mar 14 10:15:01 MAILGW Service_Control_Manager: "
		  TEXT_7023, EVT_FMT_NXLOG_BSD, 11, "MAILGW",
		  "Service_Control_Manager", "MAILGW",
		  "Service_Control_Manager", "", "", "", TEXT_7023, -1,
		  EVT_TYPE_UNKNOWN, T_1501, -1 },
		/* Space-padded day; TABs in the message are kept. */
		{ "<12>Mar  3 08:12:44 MAILGW MSExchangeIMC: a\tb",
		  EVT_FMT_NXLOG_BSD, 12, "MAILGW", "MSExchangeIMC", "MAILGW",
		  "MSExchangeIMC", "", "", "", "a\tb", -1, EVT_TYPE_WARNING,
		  T_0303, -1 },
		{ "<14>Mar 14 10:15:00 MAILGW MSExchangeIMC: ",
		  EVT_FMT_NXLOG_BSD, 14, "MAILGW", "MSExchangeIMC", "MAILGW",
		  "MSExchangeIMC", "", "", "", "", -1, EVT_TYPE_UNKNOWN,
		  T_1500, -1 },
	};

	check_wants(w, NITEMS(w));
}

/* Only NXLog's own form: facility user, stamp, host, "TAG: " w/o PID. */
TEST(nxlog_bsd_not)
{
	static const char *const tc[] = {
		"<29>Mar 14 10:15:00 MAILGW MSExchangeIMC: t",
		"<19>Mar 14 10:15:00 MAILGW MSExchangeIMC: t",
		"<11>MSExchangeIMC: t",
		"<11>Mar 14 10:15:00 MSExchangeIMC: t",
		"Mar 14 10:15:00 MAILGW MSExchangeIMC: t",
		"<11>Mar 14 10:15:00 MAILGW sshd[42]: t",
		"<11>Mar 14 10:15:00 MAILGW MSExchangeIMC t",
		"<11>Mar 14 10:15:00 MAILGW MSExchangeIMC#011t",
		"<11>1 2000-03-14T10:15:00Z MAILGW MSExchangeIMC - - - t",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_RC(tc[i], PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

/* --- NXLog to_syslog_ietf() ------------------------------------------------ */

#define IETF_HDR	"<11>1 2000-03-14T10:15:00.000000+01:00 MAILGW "	\
			"MSExchangeIMC - - "
#define IETF_SD		"[NXLOG@14506 EventReceivedTime=\"2000-03-14 "	\
			"10:15:01\" SourceModuleName=\"eventlog\" "		\
			"SourceModuleType=\"im_mseventlog\" EventTimeWritten=" \
			"\"2000-03-14 10:15:00\" EventType=\"ERROR\" "	\
			"FileName=\"Application\" EventID=\"4143\" "		\
			"CategoryNumber=\"1\" Category=\"Initialization/"	\
			"Termination\" RecordNumber=\"18815\"]"

TEST(nxlog_ietf)
{
	static const struct want w[] = {
		{ IETF_HDR IETF_SD " " TEXT_4143, EVT_FMT_NXLOG_IETF, 11,
		  "MAILGW", "MSExchangeIMC", "MAILGW", "MSExchangeIMC",
		  "Application", "", "Initialization/Termination", TEXT_4143,
		  4143, EVT_TYPE_ERROR, T_1500 - 3600, 18815 },	/* +01:00 */
		/* Source and host in the SD too (they win), account split. */
		{ "<11>1 2000-03-14T09:15:01Z mailgw.corp Service_Control_"
		  "Manager - - [NXLOG@14506 EventID=\"7023\" SourceName=\""
		  "Service Control Manager\" FileName=\"System\" EventType=\""
		  "ERROR\" Hostname=\"MAILGW\" Domain=\"NT AUTHORITY\" "
		  "AccountName=\"SYSTEM\"] " TEXT_7023, EVT_FMT_NXLOG_IETF, 11,
		  "mailgw.corp", "Service_Control_Manager", "MAILGW",
		  "Service Control Manager", "System", "NT AUTHORITY\\SYSTEM",
		  "", TEXT_7023, 7023, EVT_TYPE_ERROR, T_1501 - 3600, -1 },
		/* Another element first; no MSG; no EventType. */
		{ "<14>1 2000-03-14T10:15:00Z MAILGW MSExchangeIMC - - "
		  "[origin ip=\"10.0.0.5\"][NXLOG@14506 EventID=\"1001\"]",
		  EVT_FMT_NXLOG_IETF, 14, "MAILGW", "MSExchangeIMC", "MAILGW",
		  "MSExchangeIMC", "", "", "", "", 1001, EVT_TYPE_UNKNOWN,
		  T_1500, -1 },
		/* No EventID, but an event-log record all the same. */
		{ "<14>1 2000-03-14T10:15:00Z MAILGW MSExchangeIMC - - "
		  "[NXLOG@14506 EventType=\"AUDIT_SUCCESS\" AccountName=\"u\"]"
		  " m", EVT_FMT_NXLOG_IETF, 14, "MAILGW", "MSExchangeIMC",
		  "MAILGW", "MSExchangeIMC", "", "u", "", "m", -1,
		  EVT_TYPE_AUDIT_SUCCESS, T_1500, -1 },
	};

	check_wants(w, NITEMS(w));
}

/* PARAM-VALUE escapes (\" \\ \]) come out unescaped, in scratch. */
TEST(nxlog_ietf_escapes)
{
	struct span scr = parse_scratch();
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<11>1 - MAILGW MSExchangeIMC - - [NXLOG@14506 EventID="
	    "\"4143\" Category=\"a \\\"q\\\" \\] \\\\ \\x\" Domain=\"D\\\\\" "
	    "AccountName=\"u\"] m", &ev, &why), PARSE_OK);
	CHECK_SPAN(ev.category, "a \"q\" ] \\ \\x");
	CHECK(ev.category.p >= scr.p && ev.category.p < scr.p + scr.n);
	CHECK_SPAN(ev.user, "D\\\\u");
	CHECK_SPAN(ev.source, "MSExchangeIMC");
	CHECK_INT(ev.time, NONE);
	/* No escape: the span stays in the record. */
	CHECK_INT(run(IETF_HDR IETF_SD " m", &ev, &why), PARSE_OK);
	CHECK(ev.category.p >= copy && ev.category.p < copy + strlen(
	    IETF_HDR IETF_SD " m"));
}

TEST(nxlog_ietf_dup_first_wins)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("<11>1 - MAILGW S - - [NXLOG@14506 EventID=\"4143\" "
	    "EventID=\"7023\" FileName=\"Application\" FileName=\"System\"]"
	    " m", &ev, &why), PARSE_OK);
	CHECK_INT(ev.event_id, 4143);
	CHECK_SPAN(ev.log, "Application");
	/* A bad duplicate after a good first one is not looked at. */
	CHECK_RC("<11>1 - MAILGW S - - [NXLOG@14506 EventID=\"4143\" "
	    "EventID=\"x\"] m", PARSE_OK, PARSE_WHY_NONE);
}

TEST(nxlog_ietf_bad)
{
	static const struct {
		const char	*sd;
		enum parse_why	 why;
	} tc[] = {
		{ "[NXLOG@14506 EventID=\"x\"]", PARSE_WHY_BADID },
		{ "[NXLOG@14506 EventID=\"\"]", PARSE_WHY_BADID },
		{ "[NXLOG@14506 EventID=\"-1\"]", PARSE_WHY_BADID },
		{ "[NXLOG@14506 EventID=\"4294967296\"]", PARSE_WHY_BADID },
		{ "[NXLOG@14506 EventID=\"4143%n\"]", PARSE_WHY_BADID },
		{ "[NXLOG@14506 EventID=\"4143\" EventTime=\"yesterday\"]",
		  PARSE_WHY_BADTIME },
		{ "[NXLOG@14506 EventID=\"4143\" EventTime=\"2000-02-30 "
		  "10:15:00\"]", PARSE_WHY_BADTIME },
	};
	char line[512];
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<11>1 - MAILGW S - - %s m",
		    tc[i].sd);
		CHECK_RC(line, PARSE_BAD, tc[i].why);
	}
	/* The header reader rejects a broken SD before we see it. */
	CHECK_RC("<11>1 - MAILGW S - - [NXLOG@14506 EventID=\"4143] m",
	    PARSE_BAD, PARSE_WHY_BADHEADER);
}

TEST(nxlog_ietf_not)
{
	static const char *const tc[] = {
		"<11>1 - MAILGW S - - [NXLOG@14506 Note=\"x\"] m",
		"<11>1 - MAILGW S - - [NXLOG@14506] m",
		"<11>1 - MAILGW S - - [NXLOG@145067 EventID=\"4143\"] m",
		"<11>1 - MAILGW S - - [NXLOG EventID=\"4143\"] m",
		"<11>1 - MAILGW S - - [x@1 EventID=\"4143\"] m",
		"<11>1 - MAILGW S - - - m",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_RC(tc[i], PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

/* --- NXLog to_json() --------------------------------------------------------- */

#define JSON_4143							\
	"{\"EventTime\":\"2000-03-14 10:15:00\",\"EventTimeWritten\":"	\
	"\"2000-03-14 10:15:00\",\"Hostname\":\"MAILGW\",\"EventType\":"	\
	"\"ERROR\",\"SeverityValue\":4,\"Severity\":\"ERROR\","		\
	"\"SourceName\":\"MSExchangeIMC\",\"FileName\":\"Application\","	\
	"\"EventID\":4143,\"CategoryNumber\":1,\"Category\":"		\
	"\"Initialization/Termination\",\"RecordNumber\":18815,"		\
	"\"Message\":\"" TEXT_4143 "\",\"EventReceivedTime\":"		\
	"\"2000-03-14 10:15:01\",\"SourceModuleName\":\"eventlog\","	\
	"\"SourceModuleType\":\"im_mseventlog\"}"
#define JSON_7023							\
	"{\"EventTime\":\"2000-03-14 10:15:01\",\"Hostname\":\"MAILGW\","	\
	"\"EventType\":\"ERROR\",\"SourceName\":\"Service Control "	\
	"Manager\",\"FileName\":\"System\",\"EventID\":7023,"		\
	"\"CategoryNumber\":0,\"RecordNumber\":9002,\"Message\":\"The "	\
	"Microsoft Exchange Internet Mail Service service terminated "	\
	"with the following error: \\r\\n%%2140\\r\\n\"}"
#define TEXT_7023_CRLF							\
	"The Microsoft Exchange Internet Mail Service service terminated "	\
	"with the following error: \r\n%%2140\r\n"

TEST(nxlog_json)
{
	static const struct want w[] = {
		{ JSON_4143, EVT_FMT_NXLOG_JSON, -1, "", "", "MAILGW",
		  "MSExchangeIMC", "Application", "",
		  "Initialization/Termination", TEXT_4143, 4143,
		  EVT_TYPE_ERROR, T_1500, 18815 },
		{ JSON_7023, EVT_FMT_NXLOG_JSON, -1, "", "", "MAILGW",
		  "Service Control Manager", "System", "", "", TEXT_7023_CRLF,
		  7023, EVT_TYPE_ERROR, T_1501, 9002 },
		/* Wrapped: $Message = to_json(); to_syslog_bsd(); */
		{ "<11>Mar 14 10:15:09 MAILGW MSExchangeIMC: " JSON_4143,
		  EVT_FMT_NXLOG_JSON, 11, "MAILGW", "MSExchangeIMC", "MAILGW",
		  "MSExchangeIMC", "Application", "",
		  "Initialization/Termination", TEXT_4143, 4143,
		  EVT_TYPE_ERROR, T_1500, 18815 },
		/* Wrapped in RFC 5424; the APP-NAME stands in for a source. */
		{ "<11>1 2000-03-14T10:15:09Z relay Service_Control_Manager - - "
		  "- {\"EventID\":7023,\"EventType\":\"ERROR\"}",
		  EVT_FMT_NXLOG_JSON, 11, "relay", "Service_Control_Manager",
		  "relay", "Service_Control_Manager", "", "", "", "", 7023,
		  EVT_TYPE_ERROR, T_1500 + 9, -1 },
		/* Blanks around, an account, im_msvistalog's Channel. */
		{ " { \"SourceName\" : \"Security\" , \"EventID\" : 529 , "
		  "\"Domain\":\"CORP\",\"AccountName\":\"jdoe\",\"Channel\":"
		  "\"Security\",\"EventType\":\"AUDIT_FAILURE\", "
		  "\"EventTime\":\"2000-03-14T10:15:00.000000+01:00\" } ",
		  EVT_FMT_NXLOG_JSON, -1, "", "", "", "Security", "Security",
		  "CORP\\jdoe", "", "", 529, EVT_TYPE_AUDIT_FAILURE, T_1500,
		  -1 },
		/* ID as a string, the full DWORD, and nulls. */
		{ "{\"EventID\":\"3221229490\",\"SourceName\":\"MSExchangeIMC\","
		  "\"Message\":null,\"Hostname\":null,\"Category\":\"None\"}",
		  EVT_FMT_NXLOG_JSON, -1, "", "", "", "MSExchangeIMC", "", "",
		  "None", "", 4018, EVT_TYPE_UNKNOWN, NONE, -1 },
		/* No EventID: still NXLog's, with no ID. */
		{ "{\"SourceName\":\"MSExchangeIMC\",\"EventID\":null,"
		  "\"Message\":\"m\"}", EVT_FMT_NXLOG_JSON, -1, "", "", "",
		  "MSExchangeIMC", "", "", "", "m", -1, EVT_TYPE_UNKNOWN, NONE,
		  -1 },
	};

	check_wants(w, NITEMS(w));
}

/* \r \n \t \" \\ \/ \b \f and \uXXXX; non-ASCII bytes pass raw. */
TEST(nxlog_json_escapes)
{
	static const struct {
		const char	*in, *out;
	} tc[] = {
		{ "a\\r\\nb\\tc", "a\r\nb\tc" },
		{ "\\\"q\\\" \\\\ \\/ \\b\\f", "\"q\" \\ / \b\f" },
		{ "caf\\u00e9 \\u20ac", "caf\xc3\xa9 \xe2\x82\xac" },
		{ "\\ud83d\\ude00", "\xf0\x9f\x98\x80" },
		{ "lone \\ud800 x \\udc00", "lone \xef\xbf\xbd x \xef\xbf\xbd" },
		{ "hi \\ud800\\u0041", "hi \xef\xbf\xbd" "A" },
		{ "nul \\u0000 gone", "nul   gone" },
		{ "\\u001b[31m", "\x1b[31m" },
		{ "caf\xe9 ANSI \xff\xfe", "caf\xe9 ANSI \xff\xfe" },
		{ "\\u0041\\u00410", "AA0" },
		{ "", "" },
	};
	char line[512];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "{\"EventID\":1,\"Message\":\"%s\","
		    "\"SourceName\":\"%s\"}", tc[i].in, tc[i].in);
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_SPAN(ev.text, tc[i].out);
		CHECK_SPAN(ev.source, tc[i].out);
	}
}

/* Duplicate members: the first wins, whatever comes after. */
TEST(nxlog_json_dup_first_wins)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("{\"EventID\":4143,\"EventID\":7023,\"Message\":\"one\","
	    "\"Message\":\"two\",\"SourceName\":\"A\",\"SourceName\":\"B\","
	    "\"EventID\":\"bad\"}", &ev, &why), PARSE_OK);
	CHECK_INT(ev.event_id, 4143);
	CHECK_SPAN(ev.text, "one");
	CHECK_SPAN(ev.source, "A");
	/* Names are compared as sent: an escaped name is another name. */
	CHECK_INT(run("{\"Event\\u0049D\":7023,\"EventID\":4143}", &ev, &why),
	    PARSE_OK);
	CHECK_INT(ev.event_id, 4143);
	/* Case matters, as in NXLog. */
	CHECK_INT(run("{\"eventid\":7023,\"EventID\":4143}", &ev, &why),
	    PARSE_OK);
	CHECK_INT(ev.event_id, 4143);
}

TEST(nxlog_json_event_id)
{
	static const struct {
		const char	*id;
		int32_t		 want;	/* -2: BADID */
	} tc[] = {
		{ "4143", 4143 }, { "0", 0 }, { "65535", 65535 },
		{ "65536", 0 }, { "4294967295", 65535 }, { "\"4143\"", 4143 },
		{ "\" 4143 \"", 4143 }, { "null", -1 }, { "{}", -1 },
		{ "[4143]", -1 }, { "true", -2 },
		{ "4294967296", -2 }, { "-1", -2 }, { "-0", 0 },
		{ "4143.0", -2 }, { "4.143e3", -2 }, { "\"\"", -2 },
		{ "\"x\"", -2 }, { "\"0x1021\"", -2 }, { "\"%n%s%x\"", -2 },
		{ "99999999999999999999", -2 },
	};
	char line[256];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "{\"SourceName\":\"S\",\"EventID\":"
		    "%s}", tc[i].id);
		if (tc[i].want == -2) {
			CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADID);
			continue;
		}
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_INT(ev.event_id, tc[i].want);
	}
}

TEST(nxlog_json_time)
{
	static const struct {
		const char	*t;
		int64_t		 want;	/* -2: BADTIME */
	} tc[] = {
		{ "\"2000-03-14 10:15:00\"", T_1500 },
		{ "\"2000-03-14T10:15:00\"", T_1500 },
		{ "\"2000-03-14 10:15:00.123456+01:00\"", T_1500 },
		{ "null", NONE }, { "1", -2 }, { "{}", NONE },
		{ "\"yesterday\"", -2 }, { "\"2000-03-14\"", -2 },
		{ "\"2000-13-14 10:15:00\"", -2 }, { "\"2000-02-30 10:15:00\"", -2 },
		{ "\"2000-03-14 24:15:00\"", -2 }, { "\"Mar 14 10:15:00\"", -2 },
	};
	char line[256];
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "{\"EventID\":1,\"EventTime\":%s}",
		    tc[i].t);
		if (tc[i].want == -2) {
			CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADTIME);
			continue;
		}
		CHECK_INT(run(line, &ev, &why), PARSE_OK);
		CHECK_INT(ev.time, tc[i].want);
	}
}

/* Well-formed JSON without an event-log member is someone else's. */
TEST(nxlog_json_not_eventlog)
{
	static const char *const tc[] = {
		"{}", "{\"msg\":\"hello\"}", "<29>Mar 14 10:15:00 h app: {}",
		"{\"Hostname\":\"MAILGW\",\"Message\":\"no event fields\"}",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_RC(tc[i], PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

/* Starts like JSON, is not: counted as bad fields. */
TEST(nxlog_json_malformed)
{
	static const char *const tc[] = {
		"{", "{\"EventID\":4143", "{\"EventID\":4143,",
		"{\"EventID\":4143,}", "{\"EventID\" 4143}", "{\"EventID\":}",
		"{EventID:4143}", "{'EventID':4143}", "{\"EventID\":4143]",
		"{\"EventID\":4143} x", "{\"EventID\":4143}{\"EventID\":1}",
		"{\"Message\":\"unterminated}", "{\"Message\":\"bad \\x\"}",
		"{\"Message\":\"bad \\u12G4\"}", "{\"Message\":\"bad \\u12\"}",
		"{\"Message\":\"bad \\", "{\"Message\":\"soh\001inside\"}",
		"{\"Message\":\"esc\033inside\"}", "{\"M\":tru}", "{\"M\":nul}",
		"{\"M\":01}", "{\"M\":1.}", "{\"M\":1e}", "{\"M\":-}",
		"{\"M\":+1}", "{\"M\":.5}", "{\"M\":[1,]}", "{\"M\":[1 2]}",
		"{\"M\":{\"a\"}}", "{\"M\":{\"a\":1,}}", "{\"M\":{1:2}}",
		"{\"EventID\":4143,\"M\":[}",
		"<11>Mar 14 10:15:00 MAILGW MSExchangeIMC: {\"EventID\":4143",
		"{\"EventID\":4143,\"%n%s%x\":\"%n\",}",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_RC(tc[i], PARSE_BAD, PARSE_WHY_BADFIELDS);
}

/* Nested values are skipped to JSON_DEPTH_MAX (16) levels, no deeper. */
TEST(nxlog_json_depth_16)
{
	char line[512];
	size_t n;
	int depth, i;

	for (depth = 15; depth <= 17; depth++) {
		/*
		 * The top-level object is level 1; X holds depth - 1 more,
		 * arrays and objects in turn: [{"k":[{"k":...}]}].
		 */
		n = (size_t)snprintf(line, sizeof(line), "{\"EventID\":1,\"X\":");
		for (i = 1; i < depth; i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s",
			    i % 2 ? "[" : "{\"k\":");
		line[n++] = '0';
		for (i = depth - 1; i >= 1; i--)
			line[n++] = i % 2 ? ']' : '}';
		line[n++] = '}';
		line[n] = '\0';
		if (depth <= 16)
			CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
		else
			CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	}
	/* Very deep: one pass, no recursion past the cap. */
	{
		char *deep = malloc(60000);
		size_t k;

		if (deep == NULL)
			abort();
		memcpy(deep, "{\"EventID\":1,\"X\":", 17);
		for (k = 17; k < 59998; k++)
			deep[k] = '[';
		deep[k] = '\0';
		CHECK_RC(deep, PARSE_BAD, PARSE_WHY_BADFIELDS);
		for (k = 17; k < 59998; k++)
			deep[k] = k % 5 == 2 ? '{' : '[';
		CHECK_RC(deep, PARSE_BAD, PARSE_WHY_BADFIELDS);
		free(deep);
	}
}

TEST(nxlog_json_string_32768)
{
	struct evt ev;
	enum parse_why why;
	char *line;

	line = fill("{\"EventID\":1,\"Message\":\"@\"}", 32768, 'm');
	CHECK_INT(run(line, &ev, &why), PARSE_OK);
	CHECK_INT(ev.text.n, 32768);
	free(line);
	line = fill("{\"EventID\":1,\"Message\":\"@\"}", 32769, 'm');
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
	/* Also in a member we skip. */
	line = fill("{\"EventID\":1,\"Other\":\"@\"}", 32769, 'm');
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
	/* 16384 two-byte escapes: 32768 escaped bytes, 16384 unescaped. */
	{
		char *esc = fill("{\"EventID\":1,\"Message\":\"@\"}", 32768,
		    'n');
		size_t k;

		for (k = 0; k < 32768; k += 2)
			esc[24 + k] = '\\';
		CHECK_INT(run(esc, &ev, &why), PARSE_OK);
		CHECK_INT(ev.text.n, 16384);
		CHECK(ev.text.n > 0 && ev.text.p[0] == '\n');
		free(esc);
	}
}

TEST(nxlog_json_key_128)
{
	char *line;

	line = fill("{\"EventID\":1,\"@\":0}", 128, 'k');
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	free(line);
	line = fill("{\"EventID\":1,\"@\":0}", 129, 'k');
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
}

/* JSON_MEMBERS_MAX: 256 members of one object, or of one array. */
TEST(nxlog_json_members_256)
{
	char *line = malloc(8192);
	size_t n, i;

	if (line == NULL)
		abort();
	/* i members in all: EventID and i - 1 more. */
	for (i = 256; i <= 257; i++) {
		size_t k;

		n = (size_t)snprintf(line, 8192, "{\"EventID\":1");
		for (k = 1; k < i; k++)
			n += (size_t)snprintf(line + n, 8192 - n, ",\"k\":1");
		snprintf(line + n, 8192 - n, "}");
		CHECK_RC(line, i == 256 ? PARSE_OK : PARSE_BAD,
		    i == 256 ? PARSE_WHY_NONE : PARSE_WHY_BADFIELDS);
	}
	n = (size_t)snprintf(line, 8192, "{\"EventID\":1,\"A\":[0");
	for (i = 1; i < 256; i++)
		n += (size_t)snprintf(line + n, 8192 - n, ",0");
	snprintf(line + n, 8192 - n, "]}");
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	n = (size_t)snprintf(line, 8192, "{\"EventID\":1,\"A\":[0");
	for (i = 1; i < 257; i++)
		n += (size_t)snprintf(line + n, 8192 - n, ",0");
	snprintf(line + n, 8192 - n, "]}");
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
}

TEST(nxlog_json_number_32)
{
	char *line;

	line = fill("{\"EventID\":1,\"N\":@}", 32, '7');
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	free(line);
	line = fill("{\"EventID\":1,\"N\":@}", 33, '7');
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
}

/* A whole record over PARSE_MAXREC is dropped before any JSON is read. */
TEST(nxlog_json_over_maxrec)
{
	struct evt ev;
	enum parse_why why;
	char *line;

	line = fill("{\"EventID\":1,\"Message\":\"@\"}", PARSE_MAXREC, 'm');
	CHECK_INT(run(line, &ev, &why), PARSE_BAD);
	CHECK_INT(why, PARSE_WHY_TOOLONG);
	CHECK_INT(ev.event_id, -1);
	free(line);
}

/*
 * Unescaped text lives in the per-thread scratch area until the next
 * parse: a caller that keeps an event across parses must copy it first.
 */
TEST(nxlog_json_scratch_lifetime)
{
	struct span scr = parse_scratch();
	struct evt a, b;
	enum parse_why why;
	char keep[64];

	CHECK_INT(run("{\"EventID\":1,\"Message\":\"one\\tA\"}", &a, &why),
	    PARSE_OK);
	CHECK(a.text.p >= scr.p && a.text.p < scr.p + scr.n);
	span_copy(keep, sizeof(keep), a.text);
	CHECK_INT(run("{\"EventID\":2,\"Message\":\"two\\tB\"}", &b, &why),
	    PARSE_OK);
	CHECK_SPAN(b.text, "two\tB");
	CHECK_STR(keep, "one\tA");
	CHECK_INT(scr.n, PARSE_MAXREC);
}

/*
 * The scratch area holds every unescaped field of a record of up to
 * PARSE_MAXREC bytes; only the joined DOMAIN\user may not fit, and then
 * the account alone stands in for it, the rest of the event intact.
 */
TEST(nxlog_json_scratch_full)
{
	char *line = malloc(PARSE_MAXREC + 1);
	struct evt ev;
	enum parse_why why;
	size_t n, k;

	if (line == NULL)
		abort();
	n = (size_t)snprintf(line, PARSE_MAXREC, "{\"EventID\":4143,"
	    "\"Message\":\"");
	for (k = 0; k < 16000; k++, n += 2)
		memcpy(line + n, "\\n", 2);
	n += (size_t)snprintf(line + n, PARSE_MAXREC - n, "\",\"Domain\":\"\\t");
	memset(line + n, 'd', 15000);
	n += 15000;
	n += (size_t)snprintf(line + n, PARSE_MAXREC - n,
	    "\",\"AccountName\":\"\\t");
	memset(line + n, 'a', 15000);
	n += 15000;
	n += (size_t)snprintf(line + n, PARSE_MAXREC - n, "\"}");
	CHECK(n <= PARSE_MAXREC);
	CHECK_INT(runn(line, n, &ev, &why), PARSE_OK);
	CHECK_INT(ev.event_id, 4143);
	CHECK_INT(ev.text.n, 16000);
	/* 16000 + 15001 + 15001 unescaped; the join would need 30003 more. */
	CHECK_INT(ev.user.n, 15001);
	CHECK(ev.user.n > 0 && ev.user.p[0] == '\t' && ev.user.p[1] == 'a');
	free(line);
}

/* --- NXLog raw_event ------------------------------------------------------ */

TEST(nxlog_raw)
{
	static const struct want w[] = {
		{ "2000-03-14 10:15:00 MAILGW ERROR 4143 " TEXT_4143,
		  EVT_FMT_NXLOG_RAW, -1, "", "", "MAILGW", "", "", "", "",
		  TEXT_4143, 4143, EVT_TYPE_ERROR, T_1500, -1 },
		{ "2000-03-14 10:15:01 MAILGW ERROR 7023 " TEXT_7023 "\r\n",
		  EVT_FMT_NXLOG_RAW, -1, "", "", "MAILGW", "", "", "", "",
		  TEXT_7023, 7023, EVT_TYPE_ERROR, T_1501, -1 },
		{ "2000-03-14 10:15:00 MAILGW AUDIT_FAILURE 1023 CORP\\svc "
		  "Logon refused.", EVT_FMT_NXLOG_RAW, -1, "", "", "MAILGW",
		  "", "", "CORP\\svc", "", "Logon refused.", 1023,
		  EVT_TYPE_AUDIT_FAILURE, T_1500, -1 },
		{ "2000-03-14 10:15:00 MAILGW AUDIT_SUCCESS 528 NT AUTHORITY\\"
		  "SYSTEM Logon.", EVT_FMT_NXLOG_RAW, -1, "", "", "MAILGW",
		  "", "", "NT AUTHORITY\\SYSTEM", "", "Logon.", 528,
		  EVT_TYPE_AUDIT_SUCCESS, T_1500, -1 },
		/* Text with a path is not a user. */
		{ "2000-03-14 10:15:00 MAILGW WARNING 4116 C:\\exchsrvr\\imcdata"
		  " is full", EVT_FMT_NXLOG_RAW, -1, "", "", "MAILGW", "", "",
		  "", "", "C:\\exchsrvr\\imcdata is full", 4116,
		  EVT_TYPE_WARNING, T_1500, -1 },
		/* No ComputerName in the record. */
		{ "2000-03-14 10:15:00 INFO 1001 stopped", EVT_FMT_NXLOG_RAW,
		  -1, "", "", "", "", "", "", "", "stopped", 1001,
		  EVT_TYPE_INFORMATION, T_1500, -1 },
		{ "\xef\xbb\xbf" "2000-03-14 10:15:00 MAILGW INFO 1001",
		  EVT_FMT_NXLOG_RAW, -1, "", "", "MAILGW", "", "", "", "", "",
		  1001, EVT_TYPE_INFORMATION, T_1500, -1 },
		/* After a relay's header. */
		{ "<13>Mar 15 11:00:00 relay 2000-03-14 10:15:00 MAILGW ERROR "
		  "4143 t", EVT_FMT_NXLOG_RAW, 13, "relay", "2000-03-14",
		  "MAILGW", "", "", "", "", "t", 4143, EVT_TYPE_ERROR, T_1500,
		  -1 },
		/* As to_syslog_bsd()'s MSG when there was no Message. */
		{ "<11>Mar 14 10:15:00 MAILGW MSExchangeIMC: 2000-03-14 "
		  "10:15:00 MAILGW ERROR 4143 t", EVT_FMT_NXLOG_RAW, 11,
		  "MAILGW", "MSExchangeIMC", "MAILGW", "MSExchangeIMC", "", "",
		  "", "t", 4143, EVT_TYPE_ERROR, T_1500, -1 },
	};

	check_wants(w, NITEMS(w));
}

TEST(nxlog_raw_bad)
{
	static const char *const tc[] = {
		"2000-03-14 10:15:00 MAILGW ERROR x t",
		"2000-03-14 10:15:00 MAILGW ERROR 4143x t",
		"2000-03-14 10:15:00 MAILGW ERROR 99999999999 t",
		"2000-03-14 10:15:00 MAILGW ERROR -1 t",
		"2000-03-14 10:15:00 MAILGW ERROR %n%s%x t",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_RC(tc[i], PARSE_BAD, PARSE_WHY_BADID);
}

TEST(nxlog_raw_not)
{
	static const char *const tc[] = {
		"2000-03-14 10:15:00 MAILGW",
		"2000-03-14 10:15:00 MAILGW NOTICE 4143 t",
		"2000-03-14 10:15:00 MAILGW error 4143 t",
		"2000-03-14 10:15:00 MAILGW ERROR",
		"2000-03-14 10:15:00  MAILGW ERROR 4143 t",
		"2000-03-14 10:15 MAILGW ERROR 4143 t",
		"<29>2000-03-14 10:15:00 MAILGW ERROR 4143 t",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_RC(tc[i], PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

TEST(nxlog_raw_host_255)
{
	char *line;

	line = fill("2000-03-14 10:15:00 @ ERROR 4143 t", 255, 'h');
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	free(line);
	/* The header reader gives up on it; so do we. */
	line = fill("2000-03-14 10:15:00 @ ERROR 4143 t", 256, 'h');
	CHECK_RC(line, PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
	free(line);
}

/* --- NXLog to_syslog_snare(): parse_snare.c ---------------------------- */

TEST(nxlog_snare)
{
	static const struct want w[] = {
		{ "<11>Mar 14 10:15:00 MAILGW MSWinEventLog\t3\tApplication\t77\t"
		  "Tue Mar 14 10:15:00 2000\t4143\tMSExchangeIMC\tN/A\tN/A\t"
		  "Error\tMAILGW\tInitialization/Termination\t\t" TEXT_4143
		  "\t18815", EVT_FMT_SNARE, 11, "MAILGW", "MSWinEventLog",
		  "MAILGW", "MSExchangeIMC", "Application", "",
		  "Initialization/Termination", TEXT_4143, 4143,
		  EVT_TYPE_ERROR, T_1500, 18815 },
		/* Space-padded day, bare account name, N/A category. */
		{ "<11>Mar  3 08:12:44 MAILGW MSWinEventLog\t3\tSystem\t78\t"
		  "Fri Mar  3 08:12:44 2000\t7023\tService Control Manager\t"
		  "exchsvc\tUser\tError\tMAILGW\tN/A\t\t" TEXT_7023 "\t9002",
		  EVT_FMT_SNARE, 11, "MAILGW", "MSWinEventLog", "MAILGW",
		  "Service Control Manager", "System", "exchsvc", "N/A",
		  TEXT_7023, 7023, EVT_TYPE_ERROR, T_0303, 9002 },
	};
	struct evt ev;
	enum parse_why why;

	check_wants(w, NITEMS(w));
	/* NXLog's module event counter is Snare's sequence. */
	CHECK_INT(run(w[0].line, &ev, &why), PARSE_OK);
	CHECK_INT(ev.seq, 77);
	CHECK_INT(run(w[1].line, &ev, &why), PARSE_OK);
	CHECK_INT(ev.seq, 78);
	/* No EventID: NXLog writes N/A, which is no number. */
	CHECK_RC("<11>Mar 14 10:15:00 MAILGW MSWinEventLog\t1\tSystem\t1\t"
	    "Tue Mar 14 10:15:00 2000\tN/A\tS\tN/A\tN/A\tN/A\tMAILGW\tN/A\t"
	    "\tN/A\tN/A", PARSE_BAD, PARSE_WHY_BADID);
}

/* --- Adiscon EventReporter ---------------------------------------------- */

TEST(adiscon_legacy)
{
	static const struct want w[] = {
		{ "<131>EvntSLog: [ERR] Tue Mar 14 10:15:00 2000: MAILGW/"
		  "MSExchangeIMC (4143) - \"" TEXT_4143 "\"",
		  EVT_FMT_ADISCON_LEGACY, 131, "", "EvntSLog", "MAILGW",
		  "MSExchangeIMC", "", "", "", TEXT_4143, 4143,
		  EVT_TYPE_ERROR, T_1500, -1 },
		{ "<131>Mar 14 10:15:09 mailgw.corp EvntSLog: [ERR] Tue Mar 14 "
		  "10:15:01 2000: MAILGW/Service Control Manager (7023) - \""
		  TEXT_7023 "\"", EVT_FMT_ADISCON_LEGACY, 131, "mailgw.corp",
		  "EvntSLog", "MAILGW", "Service Control Manager", "", "", "",
		  TEXT_7023, 7023, EVT_TYPE_ERROR, T_1501, -1 },
		/* Quotes inside are not escaped; a source with parentheses. */
		{ "<132>EvntSLog: [WRN] Sat Mar  4 10:15:00 2000: MAILGW/Foo "
		  "(x) (12) - \"say \"hi\" - \"now\"\"", EVT_FMT_ADISCON_LEGACY,
		  132, "", "EvntSLog", "MAILGW", "Foo (x)", "", "", "",
		  "say \"hi\" - \"now\"", 12, EVT_TYPE_WARNING,
		  T_1500 - 10 * 86400, -1 },
		/* Cut short: no closing quote. */
		{ "<133>EvntSLog: [INF] Tue Mar 14 10:15:00 2000: MAILGW/S (1)"
		  " - \"cut", EVT_FMT_ADISCON_LEGACY, 133, "", "EvntSLog",
		  "MAILGW", "S", "", "", "", "cut", 1, EVT_TYPE_INFORMATION,
		  T_1500, -1 },
		{ "<133>EvntSLog: [AUS] Tue Mar 14 10:15:00 2000: MAILGW/"
		  "Security (528) - \"\"", EVT_FMT_ADISCON_LEGACY, 133, "",
		  "EvntSLog", "MAILGW", "Security", "", "", "", "", 528,
		  EVT_TYPE_AUDIT_SUCCESS, T_1500, -1 },
		{ "<132>EvntSLog: [AUF] Tue Mar 14 10:15:00 2000: MAILGW/"
		  "Security (529) - \"x\"", EVT_FMT_ADISCON_LEGACY, 132, "",
		  "EvntSLog", "MAILGW", "Security", "", "", "", "x", 529,
		  EVT_TYPE_AUDIT_FAILURE, T_1500, -1 },
		{ "<133>EvntSLog: [NON] Tue Mar 14 10:15:00 2000: MAILGW/S "
		  "(3221229490) - \"x\"", EVT_FMT_ADISCON_LEGACY, 133, "",
		  "EvntSLog", "MAILGW", "S", "", "", "", "x", 4018,
		  EVT_TYPE_UNKNOWN, T_1500, -1 },
	};

	check_wants(w, NITEMS(w));
}

TEST(adiscon_legacy_bad)
{
	static const struct {
		const char	*rest;
		enum parse_why	 why;
	} tc[] = {
		{ "", PARSE_WHY_BADTIME },
		{ "yesterday: MAILGW/S (1) - \"x\"", PARSE_WHY_BADTIME },
		{ "Tue Mar 14 10:15:00: MAILGW/S (1) - \"x\"",
		  PARSE_WHY_BADTIME },
		{ "Tue Mar 14 10:15:00 2000 MAILGW/S (1) - \"x\"",
		  PARSE_WHY_BADTIME },
		{ "Tue Feb 30 10:15:00 2000: MAILGW/S (1) - \"x\"",
		  PARSE_WHY_BADTIME },
		{ "Tue Mar 14 10:15:00 2000:", PARSE_WHY_BADTIME },
		{ "Tue Mar 14 10:15:00 2000: MAILGW S (1) - \"x\"",
		  PARSE_WHY_BADFIELDS },
		{ "Tue Mar 14 10:15:00 2000: /S (1) - \"x\"",
		  PARSE_WHY_BADFIELDS },
		{ "Tue Mar 14 10:15:00 2000: MAIL GW/S (1) - \"x\"",
		  PARSE_WHY_BADFIELDS },
		{ "Tue Mar 14 10:15:00 2000: MAILGW/S (1) \"x\"",
		  PARSE_WHY_BADFIELDS },
		{ "Tue Mar 14 10:15:00 2000: MAILGW/S (x) - \"x\"",
		  PARSE_WHY_BADFIELDS },
		{ "Tue Mar 14 10:15:00 2000: MAILGW/ (1) - \"x\"",
		  PARSE_WHY_BADFIELDS },
		{ "Tue Mar 14 10:15:00 2000: MAILGW/S (99999999999) - \"x\"",
		  PARSE_WHY_BADID },
		{ "Tue Mar 14 10:15:00 2000: MAILGW/S (%n%s%x) - \"x\"",
		  PARSE_WHY_BADFIELDS },
	};
	char line[512];
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		snprintf(line, sizeof(line), "<131>EvntSLog: [ERR] %s",
		    tc[i].rest);
		CHECK_RC(line, PARSE_BAD, tc[i].why);
	}
}

TEST(adiscon_default)
{
	static const struct want w[] = {
		{ "<11>Mar 14 10:15:00 MAILGW EvntSLog: " TEXT_4143,
		  EVT_FMT_ADISCON, 11, "MAILGW", "EvntSLog", "MAILGW", "", "",
		  "", "", TEXT_4143, -1, EVT_TYPE_UNKNOWN, T_1500, -1 },
		{ "<11>Mar 14 10:15:01 MAILGW EvntSLog: " TEXT_7023,
		  EVT_FMT_ADISCON, 11, "MAILGW", "EvntSLog", "MAILGW", "", "",
		  "", "", TEXT_7023, -1, EVT_TYPE_UNKNOWN, T_1501, -1 },
		/* CR/LF kept when "Remove Control Characters" is off. */
		{ "<13>Mar 14 10:15:00 MAILGW EvntSLog: a\r\nb",
		  EVT_FMT_ADISCON, 13, "MAILGW", "EvntSLog", "MAILGW", "", "",
		  "", "", "a\r\nb", -1, EVT_TYPE_UNKNOWN, T_1500, -1 },
		/* UTF-8 BOM before the text. */
		{ "<13>Mar 14 10:15:00 MAILGW EvntSLog: \xef\xbb\xbf" "caf\xc3"
		  "\xa9", EVT_FMT_ADISCON, 13, "MAILGW", "EvntSLog", "MAILGW",
		  "", "", "", "", "caf\xc3\xa9", -1, EVT_TYPE_UNKNOWN, T_1500,
		  -1 },
		/* An unknown "[...]" is text, not a legacy severity. */
		{ "<13>Mar 14 10:15:00 MAILGW EvntSLog: [XYZ] t",
		  EVT_FMT_ADISCON, 13, "MAILGW", "EvntSLog", "MAILGW", "", "",
		  "", "", "[XYZ] t", -1, EVT_TYPE_UNKNOWN, T_1500, -1 },
		{ "<13>Mar 14 10:15:00 MAILGW EvntSLog:", EVT_FMT_ADISCON, 13,
		  "MAILGW", "EvntSLog", "MAILGW", "", "", "", "", "", -1,
		  EVT_TYPE_UNKNOWN, T_1500, -1 },
		/* RFC 5424 header: the TAG is the APP-NAME. */
		{ "<13>1 2000-03-14T10:15:00Z MAILGW EvntSLog - - - t",
		  EVT_FMT_ADISCON, 13, "MAILGW", "EvntSLog", "MAILGW", "", "",
		  "", "", "t", -1, EVT_TYPE_UNKNOWN, T_1500, -1 },
		{ "<13>1 2000-03-14T10:15:00Z MAILGW EvntSLog - - - [ERR] Tue "
		  "Mar 14 10:15:00 2000: MAILGW/S (1) - \"x\"",
		  EVT_FMT_ADISCON_LEGACY, 13, "MAILGW", "EvntSLog", "MAILGW",
		  "S", "", "", "", "x", 1, EVT_TYPE_ERROR, T_1500, -1 },
	};

	check_wants(w, NITEMS(w));
}

TEST(adiscon_not)
{
	static const char *const tc[] = {
		"<29>Mar 14 10:15:00 MAILGW EvntSLog[12]: t",
		"<29>Mar 14 10:15:00 MAILGW EvntSLogX: t",
		"<29>Mar 14 10:15:00 MAILGW evntslog: t",
		"<29>Mar 14 10:15:00 MAILGW EvntSLog t",
		"<29>1 2000-03-14T10:15:00Z MAILGW EvntSLogX - - - t",
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_RC(tc[i], PARSE_NOMATCH, PARSE_WHY_UNRECOGNISED);
}

TEST(adiscon_host_255)
{
	char *line;

	line = fill("<131>EvntSLog: [ERR] Tue Mar 14 10:15:00 2000: @/S (1) - "
	    "\"x\"", 255, 'h');
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	free(line);
	line = fill("<131>EvntSLog: [ERR] Tue Mar 14 10:15:00 2000: @/S (1) - "
	    "\"x\"", 256, 'h');
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
}

TEST(adiscon_source_255)
{
	char *line;

	line = fill("<131>EvntSLog: [ERR] Tue Mar 14 10:15:00 2000: H/@ (1) - "
	    "\"x\"", 255, 's');
	CHECK_RC(line, PARSE_OK, PARSE_WHY_NONE);
	free(line);
	line = fill("<131>EvntSLog: [ERR] Tue Mar 14 10:15:00 2000: H/@ (1) - "
	    "\"x\"", 256, 's');
	CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADFIELDS);
	free(line);
}

/* --- every format ------------------------------------------------------------ */

/* One well-formed record of each new format: before and after its text. */
static const struct {
	const char	*pre, *post;
} fmt_lines[] = {
	{ "<11>Mar 14 10:15:00 MAILGW NT: <MSExchangeIMC;E4143;CORP\\svc> ",
	  "" },
	{ "<13>Mar 14 10:15:00 MAILGW security[failure] ", "" },
	{ "<11>Mar 14 10:15:00 MAILGW MSExchangeIMC: ", "" },
	{ "<11>1 2000-03-14T10:15:00Z MAILGW MSExchangeIMC - - "
	  "[NXLOG@14506 EventID=\"4143\" FileName=\"Application\"] ", "" },
	{ "2000-03-14 10:15:00 MAILGW ERROR 4143 ", "" },
	{ "<131>EvntSLog: [ERR] Tue Mar 14 10:15:00 2000: MAILGW/MSExchangeIMC "
	  "(4143) - \"", "\"" },
	{ "<11>Mar 14 10:15:00 MAILGW EvntSLog: ", "" },
};

static void
fmt_line(char *buf, size_t sz, size_t k, const char *text)
{
	snprintf(buf, sz, "%s%s%s", fmt_lines[k].pre, text,
	    fmt_lines[k].post);
}

static const enum evt_fmt fmt_of[] = {
	EVT_FMT_NTSYSLOG, EVT_FMT_NTSYSLOG_CLASSIC, EVT_FMT_NXLOG_BSD,
	EVT_FMT_NXLOG_IETF, EVT_FMT_NXLOG_RAW, EVT_FMT_ADISCON_LEGACY,
	EVT_FMT_ADISCON,
};

/*
 * Bytes are opaque: printf directives, invalid UTF-8, ANSI, escape
 * sequences and a forged second record after a CR or LF all come through
 * as text, and no second event appears.
 */
TEST(fmt_hostile_text)
{
	static const char *const texts[] = {
		"%n%s%x%p%%%1$s", "\xc3\x28\xff\xfe\xa0\xe2\x82",
		"caf\xe9 \x80\x81", "\x1b[31mred\x1b[0m", "\\\\\"'`$(x)",
		"a\r<11>Mar 14 10:15:00 FORGED NT: <X;E4143;> y",
		"a\n<11>Mar 14 10:15:00 FORGED NT: <X;E4143;> y",
		"a\r\n2000-03-14 10:15:00 FORGED ERROR 4143 y",
	};
	char line[1024];
	struct evt ev;
	enum parse_why why;
	size_t i, k;

	for (k = 0; k < NITEMS(fmt_lines); k++)
		for (i = 0; i < NITEMS(texts); i++) {
			fmt_line(line, sizeof(line), k, texts[i]);
			CHECK_INT(run(line, &ev, &why), PARSE_OK);
			CHECK_INT(ev.fmt, fmt_of[k]);
			CHECK_SPAN(ev.text, texts[i]);
			CHECK(!span_eq(ev.computer, "FORGED"));
		}
}

/* Same in JSON, where the text arrives escaped. */
TEST(fmt_hostile_json_text)
{
	struct evt ev;
	enum parse_why why;

	CHECK_INT(run("{\"EventID\":4143,\"Hostname\":\"MAILGW\",\"Message\":"
	    "\"%n%s%x\\r\\n<11>Mar 14 10:15:00 FORGED NT: <X;E1;> y\\u0000\"}",
	    &ev, &why), PARSE_OK);
	CHECK_SPAN(ev.text, "%n%s%x\r\n<11>Mar 14 10:15:00 FORGED NT: <X;E1;> "
	    "y ");
	CHECK_SPAN(ev.computer, "MAILGW");
}

/* A NUL anywhere in a record of any format: dropped, never cut there. */
TEST(fmt_nul_inside)
{
	char line[1024];
	struct evt ev;
	enum parse_why why;
	size_t k, n;

	for (k = 0; k < NITEMS(fmt_lines); k++) {
		fmt_line(line, sizeof(line), k, "before@after");
		n = strlen(line);
		*strchr(line, '@') = '\0';
		CHECK_INT(runn(line, n, &ev, &why), PARSE_BAD);
		CHECK_INT(why, PARSE_WHY_NUL);
		CHECK_INT(ev.fmt, EVT_FMT_NONE);
	}
}

/*
 * PARSE_MAXREC: a record of every format parses at 65536 bytes and is
 * dropped whole at 65537, its long text never cut to fit.
 */
TEST(fmt_maxrec_65536)
{
	char *text = malloc(PARSE_MAXREC + 1), *line = malloc(2 *
	    PARSE_MAXREC);
	struct evt ev;
	enum parse_why why;
	size_t k, pad, n;

	if (text == NULL || line == NULL)
		abort();
	for (k = 0; k < NITEMS(fmt_lines); k++) {
		pad = PARSE_MAXREC - strlen(fmt_lines[k].pre) -
		    strlen(fmt_lines[k].post);
		memset(text, 't', pad + 1);
		text[pad] = '\0';
		fmt_line(line, 2 * PARSE_MAXREC, k, text);
		n = strlen(line);
		CHECK_INT(n, PARSE_MAXREC);
		CHECK_INT(runn(line, n, &ev, &why), PARSE_OK);
		CHECK_INT(ev.fmt, fmt_of[k]);
		CHECK_INT(ev.text.n, pad);
		text[pad] = 't';
		text[pad + 1] = '\0';
		fmt_line(line, 2 * PARSE_MAXREC, k, text);
		CHECK_INT(runn(line, n + 1, &ev, &why), PARSE_BAD);
		CHECK_INT(why, PARSE_WHY_TOOLONG);
	}
	free(text);
	free(line);
}

/* RFC 5424 §6.2.1: a PRI of 4 digits or over 191 drops any format. */
TEST(fmt_pri_out_of_range)
{
	static const char *const pri[] = {
		"<192>", "<999>", "<0011>", "<1234>", "<-1>", "<>", "<11",
	};
	char line[1024], rec[1024];
	size_t i, k;

	for (k = 0; k < NITEMS(fmt_lines); k++) {
		const char *l = rec;

		/* Swap the line's PRI (or none) for a broken one. */
		fmt_line(rec, sizeof(rec), k, "t");
		if (l[0] == '<')
			l = strchr(l, '>') + 1;
		for (i = 0; i < NITEMS(pri); i++) {
			snprintf(line, sizeof(line), "%s%s", pri[i], l);
			CHECK_RC(line, PARSE_BAD, PARSE_WHY_BADPRI);
		}
	}
}

/* Every prefix of every format's record: no crash, no stray span. */
TEST(fmt_truncated)
{
	char line[1024];
	struct evt ev;
	enum parse_why why;
	enum parse_rc rc;
	struct span scr = parse_scratch();
	size_t i, k, n, s;

	for (k = 0; k <= NITEMS(fmt_lines); k++) {
		if (k < NITEMS(fmt_lines))
			fmt_line(line, sizeof(line), k, TEXT_7023);
		else
			snprintf(line, sizeof(line), "%s", JSON_7023);
		n = strlen(line);
		for (i = 0; i <= n; i++) {
			rc = runn(line, i, &ev, &why);
			CHECK(rc == PARSE_OK || why != PARSE_WHY_NONE);
			CHECK(rc != PARSE_OK || (ev.event_id >= -1 &&
			    ev.event_id <= 65535));
			{
				const struct span sp[] = { ev.text, ev.source,
				    ev.computer, ev.user, ev.log, ev.category };

				for (s = 0; s < NITEMS(sp); s++)
					CHECK(sp[s].n == 0 || (sp[s].p >= copy &&
					    sp[s].p + sp[s].n <= copy + i) ||
					    (sp[s].p >= scr.p && sp[s].p +
					    sp[s].n <= scr.p + scr.n));
			}
		}
	}
}

TEST(fmt_names)
{
	static const char *const want[EVT_FMT__MAX] = {
		"none", "snare", "evtsys", "ntsyslog", "ntsyslog-classic",
		"nxlog-bsd", "nxlog-ietf", "nxlog-json", "nxlog-raw",
		"adiscon", "adiscon-legacy", "syslog"
	};
	int i;

	for (i = 0; i < EVT_FMT__MAX; i++)
		CHECK_STR(evt_fmt_name((enum evt_fmt)i), want[i]);
	CHECK_STR(evt_fmt_name(EVT_FMT__MAX), "none");
}

/* Each format is counted under its own name. */
TEST(fmt_stats)
{
	char line[1024];
	struct evt ev;
	enum parse_why why;
	size_t k;

	memset(&st, 0, sizeof(st));
	for (k = 0; k < NITEMS(fmt_lines); k++) {
		fmt_line(line, sizeof(line), k, "t");
		run(line, &ev, &why);
	}
	run(JSON_4143, &ev, &why);
	run("{\"EventID\":", &ev, &why);
	CHECK_INT(st.records, NITEMS(fmt_lines) + 2);
	CHECK_INT(st.parsed, NITEMS(fmt_lines) + 1);
	for (k = 0; k < NITEMS(fmt_of); k++)
		CHECK_INT(st.by_fmt[fmt_of[k]], 1);
	CHECK_INT(st.by_fmt[EVT_FMT_NXLOG_JSON], 1);
	CHECK_INT(st.bad[PARSE_WHY_BADFIELDS], 1);
}

/*
 * A multi-line description (CR LF kept, as an octet-counted frame may
 * carry it) stays one record in every format and keeps its line breaks.
 */
TEST(fmt_multiline_text)
{
	static const struct {
		const char	*line;
		enum evt_fmt	 fmt;
	} tc[] = {
		{ "<13>Mar 14 10:15:00 MAILGW MSWinEventLog\t1\tApplication\t"
		  "201\tTue Mar 14 10:15:00 2000\t4143\tMSExchangeIMC\tN/A\tN/A"
		  "\tError\tMAILGW\tNone\t\tline one\r\nline two\t4726",
		  EVT_FMT_SNARE },
		{ "<27>Mar 14 10:15:00 MAILGW MSExchangeIMC: 4143: line one\r\n"
		  "line two", EVT_FMT_EVTSYS },
		{ "<11>1 2000-03-14T10:15:00Z MAILGW MSExchangeIMC - - "
		  "[NXLOG@14506 EventID=\"4143\"] line one\r\nline two",
		  EVT_FMT_NXLOG_IETF },
		{ "{\"EventTime\":\"2000-03-14 10:15:02\",\"Hostname\":\"MAILGW\","
		  "\"SourceName\":\"MSExchangeIMC\",\"EventID\":4143,"
		  "\"Message\":\"line one\r\nline two\"}", EVT_FMT_NXLOG_JSON },
		{ "<13>Mar 14 10:15:00 MAILGW NT: <MSExchangeIMC;E4143;> "
		  "line one\r\nline two", EVT_FMT_NTSYSLOG },
		{ "<131>Mar 14 10:15:00 MAILGW EvntSLog: [ERR] Tue Mar 14 "
		  "10:15:00 2000: MAILGW/MSExchangeIMC (4143) - \"line one\r\n"
		  "line two\"", EVT_FMT_ADISCON_LEGACY },
		{ "2000-03-14 10:15:02 MAILGW ERROR 4143 line one\r\nline two",
		  EVT_FMT_NXLOG_RAW },
	};
	struct evt ev;
	enum parse_why why;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		CHECK_INT(run(tc[i].line, &ev, &why), PARSE_OK);
		CHECK_STR(evt_fmt_name(ev.fmt), evt_fmt_name(tc[i].fmt));
		CHECK_INT(ev.event_id, 4143);
		CHECK(span_find(ev.text, "line one\r\nline two") >= 0);
	}
}

TEST_MAIN(
	T(ntsyslog_115), T(ntsyslog_bad), T(ntsyslog_source_255),
	T(ntsyslog_user_80), T(ntsyslog_id_10_digits),
	T(ntsyslog_classic), T(ntsyslog_classic_not),
	T(ntsyslog_classic_log_64),
	T(nxlog_bsd), T(nxlog_bsd_not),
	T(nxlog_ietf), T(nxlog_ietf_escapes), T(nxlog_ietf_dup_first_wins),
	T(nxlog_ietf_bad), T(nxlog_ietf_not),
	T(nxlog_json), T(nxlog_json_escapes), T(nxlog_json_dup_first_wins),
	T(nxlog_json_event_id), T(nxlog_json_time), T(nxlog_json_not_eventlog),
	T(nxlog_json_malformed), T(nxlog_json_depth_16),
	T(nxlog_json_string_32768), T(nxlog_json_key_128),
	T(nxlog_json_members_256), T(nxlog_json_number_32),
	T(nxlog_json_over_maxrec), T(nxlog_json_scratch_lifetime),
	T(nxlog_json_scratch_full),
	T(nxlog_raw), T(nxlog_raw_bad), T(nxlog_raw_not), T(nxlog_raw_host_255),
	T(nxlog_snare),
	T(adiscon_legacy), T(adiscon_legacy_bad), T(adiscon_default),
	T(adiscon_not), T(adiscon_host_255), T(adiscon_source_255),
	T(fmt_hostile_text), T(fmt_hostile_json_text), T(fmt_nul_inside),
	T(fmt_maxrec_65536), T(fmt_pri_out_of_range),
	T(fmt_truncated), T(fmt_names), T(fmt_stats), T(fmt_multiline_text)
)
