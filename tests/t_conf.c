/*
 * t_conf: imsmond.conf directives as conf_set() checks and stores them
 * (agent/conf_parse.c, no Net-SNMP): every directive's good value and
 * where it lands, bad values with their message and nothing changed, the
 * limits on repeated lines, and a misspelt directive as Net-SNMP's
 * warning names it (file and line kept).  The file and line of a bad
 * value are added by Net-SNMP's config_perror(); tests/agent.test.sh,
 * tests/ingest.test.sh and tests/relay.test.sh check them on imsmond.
 */
#include "test.h"

#include "../agent/conf.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static struct imsd_conf conf;
static char err[512];

/* conf_set() on a copy of value (handlers cut the line in place). */
static int
set(const char *token, const char *value)
{
	char line[2048];

	snprintf(line, sizeof(line), "%s", value);
	err[0] = '\0';
	return conf_set(&conf, token, line, err, sizeof(err));
}

static void
fresh(void)
{
	conf_free(&conf);
	conf_defaults(&conf);
}

/* The field each numeric directive sets. */
static long long
num_field(const char *name)
{
	static const struct {
		const char	*name;
		size_t		 off;
		int		 wide;	/* int64_t, else size_t or unsigned */
	} f[] = {
		{ "correlationWindow", offsetof(struct imsd_conf, diag.window), 1 },
		{ "quietClear", offsetof(struct imsd_conf, diag.quiet_clear), 1 },
		{ "trapHoldDown", offsetof(struct imsd_conf, holddown), 1 },
		{ "tcpIdleTimeout", offsetof(struct imsd_conf, net.nl_idle), 1 },
		{ "tcpFirstRecordTimeout",
		    offsetof(struct imsd_conf, net.nl_first), 1 },
	};
	size_t i;

	for (i = 0; i < NITEMS(f); i++)
		if (strcmp(f[i].name, name) == 0)
			return *(const int64_t *)(const void *)
			    ((const char *)&conf + f[i].off);
	if (strcmp(name, "trapRateLimit") == 0)
		return conf.trap_rate;
	if (strcmp(name, "maxServers") == 0)
		return conf.limits.max_servers == conf.diag.max_hosts ?
		    (long long)conf.limits.max_servers : -1;
	if (strcmp(name, "maxFaults") == 0)
		return (long long)conf.limits.max_open;
	if (strcmp(name, "maxClearedFaults") == 0)
		return (long long)conf.limits.max_cleared;
	if (strcmp(name, "maxConnections") == 0)
		return (long long)conf.net.nl_maxconn;
	if (strcmp(name, "maxConnectionsPerSender") == 0)
		return (long long)conf.net.nl_maxconn_src;
	if (strcmp(name, "maxSenders") == 0)
		return (long long)conf.net.nl_senders;
	if (strcmp(name, "maxQueuedNotifications") == 0)
		return (long long)conf.max_queued;
	if (strcmp(name, "notificationLogSize") == 0)
		return (long long)conf.ntf_log_size;
	if (strcmp(name, "ingestQueueSize") == 0)
		return (long long)conf.ingest_queue;
	return -999;
}

TEST(conf_defaults_values)
{
	fresh();
	CHECK_INT(conf.diag.window, 600);
	CHECK_INT(conf.diag.quiet_clear, 0);
	CHECK_INT(conf.holddown, 60);
	CHECK_INT(conf.trap_rate, 50);
	CHECK_INT(conf.max_queued, 10000);
	CHECK_INT(conf.ntf_log_size, 1000);
	CHECK_INT(conf.ingest_queue, 33554432);
	CHECK_INT(conf.nlisten, 0);
	CHECK(conf.kbdir == NULL);
	CHECK_INT(conf.errors, 0);
}

/* Every numeric directive: both ends of its range land in its field. */
TEST(conf_numbers_good)
{
	char v[32];
	size_t i;

	CHECK_INT(conf_nnums, 15);
	for (i = 0; i < conf_nnums; i++) {
		fresh();
		snprintf(v, sizeof(v), "%lld", conf_nums[i].min);
		CHECK_INT(set(conf_nums[i].name, v), 0);
		CHECK_INT(num_field(conf_nums[i].name), conf_nums[i].min);
		snprintf(v, sizeof(v), "%lld\n", conf_nums[i].max);
		CHECK_INT(set(conf_nums[i].name, v), 0);
		CHECK_INT(num_field(conf_nums[i].name), conf_nums[i].max);
	}
}

/* Just outside the range, not a number, empty: refused, nothing changed. */
TEST(conf_numbers_bad)
{
	static const char *junk[] = { "", "abc", "12x", "0x10", "1.5",
	    "99999999999999999999", "-99999999999999999999", " 5" };
	char v[32], want[160];
	long long before;
	size_t i, j;

	for (i = 0; i < conf_nnums; i++) {
		fresh();
		before = num_field(conf_nums[i].name);
		snprintf(v, sizeof(v), "%lld", conf_nums[i].min - 1);
		CHECK_INT(set(conf_nums[i].name, v), -1);
		snprintf(want, sizeof(want), "%s: want a whole number from "
		    "%lld to %lld, not '%s'", conf_nums[i].name,
		    conf_nums[i].min, conf_nums[i].max, v);
		CHECK_STR(err, want);
		snprintf(v, sizeof(v), "%lld", conf_nums[i].max + 1);
		CHECK_INT(set(conf_nums[i].name, v), -1);
		for (j = 0; j < NITEMS(junk); j++)
			CHECK_INT(set(conf_nums[i].name, junk[j]), -1);
		CHECK_INT(num_field(conf_nums[i].name), before);
	}
	fresh();
	CHECK_INT(set("correlationWindow", "0"), -1);
	CHECK_STR(err, "correlationWindow: want a whole number from 1 to "
	    "86400, not '0'");
	CHECK_INT(set("ingestQueueSize", "1048575"), -1);
	CHECK_INT(set("trapRateLimit", "-1"), -1);
	CHECK_INT(conf.trap_rate, 50);
}

TEST(conf_unknown_token)
{
	fresh();
	CHECK_INT(set("trapRatLimit", "5"), -1);
	CHECK_STR(err, "trapRatLimit: not a directive of imsmond");
	CHECK_INT(set("", "5"), -1);
	CHECK_INT(set("syslogallow", "udp:127.0.0.1:514 ::1"), -1);
	CHECK_INT(conf.nallow, 0);
}

/* Net-SNMP's warning for an unknown token becomes our error line. */
TEST(conf_misspelt_message)
{
	char out[256], tiny[24];

	CHECK_INT(conf_unknown("/etc/imsmon/imsmond.conf: line 7: Warning: "
	    "Unknown token: trapRatLimit.", out, sizeof(out)), 1);
	CHECK_STR(out, "/etc/imsmon/imsmond.conf: line 7: unknown directive "
	    "'trapRatLimit' (misspelt?)");
	CHECK_INT(conf_unknown("typo.conf: line 2: Warning: Unknown token: "
	    "syslogListn.\n", out, sizeof(out)), 1);
	CHECK_STR(out, "typo.conf: line 2: unknown directive 'syslogListn' "
	    "(misspelt?)");
	/* Other log lines are not ours to judge. */
	out[0] = 'x';
	CHECK_INT(conf_unknown("typo.conf: line 2: Error: bad value", out,
	    sizeof(out)), 0);
	CHECK_INT(out[0], 'x');
	CHECK_INT(conf_unknown(NULL, out, sizeof(out)), 0);
	/* A long token or a small buffer is cut, never overrun. */
	CHECK_INT(conf_unknown("f: line 1: Warning: Unknown token: "
	    "aVeryLongDirectiveName.", tiny, sizeof(tiny)), 1);
	CHECK_INT(strlen(tiny), sizeof(tiny) - 1);
	CHECK_INT(conf_unknown("f: line 1: Warning: Unknown token: x.", NULL,
	    0), 1);
}

TEST(conf_listen_cases)
{
	char v[64];
	size_t i;

	fresh();
	CHECK_INT(set("syslogListen", "udp:127.0.0.1:5514"), 0);
	CHECK_INT(set("syslogListen", "tcp:[::1]:514 # trailing words\n"), 0);
	CHECK_INT(set("syslogListen", "tcp-evtsys:0.0.0.0:0"), 0);
	CHECK_INT(set("syslogListen", "unix:/run/imsmon/log.sock"), 0);
	CHECK_INT(conf.nlisten, 4);
	CHECK_STR(conf.listen[1], "tcp:[::1]:514");
	CHECK_INT(set("syslogListen", "udp:127.0.0.1:65536"), -1);
	CHECK_STR(err, "syslogListen: want udp:ADDR:PORT, tcp:ADDR:PORT, "
	    "tcp-evtsys:ADDR:PORT or unix:/PATH (numeric address, port "
	    "0..65535), not 'udp:127.0.0.1:65536'");
	CHECK_INT(set("syslogListen", "sctp:127.0.0.1:514"), -1);
	CHECK_INT(set("syslogListen", ""), -1);
	CHECK_INT(conf.nlisten, 4);
	for (i = conf.nlisten; i < NET_MAXLISTEN; i++) {
		snprintf(v, sizeof(v), "udp:127.0.0.1:%zu", 6000 + i);
		CHECK_INT(set("syslogListen", v), 0);
	}
	CHECK_INT(set("syslogListen", "udp:127.0.0.1:7000"), -1);
	CHECK_STR(err, "syslogListen: too many listeners, at "
	    "'udp:127.0.0.1:7000'");
	CHECK_INT(conf.nlisten, NET_MAXLISTEN);
}

TEST(conf_allow_cases)
{
	char line[1600];
	size_t i;

	fresh();
	CHECK_INT(set("syslogAllow", "udp:127.0.0.1:5514 192.0.2.0/24\t "
	    "2001:db8::/32  192.0.2.77\r\n"), 0);
	CHECK_INT(conf.nallow, 1);
	CHECK_STR(conf.allow[0].spec, "udp:127.0.0.1:5514");
	CHECK_STR(conf.allow[0].ranges, "192.0.2.0/24 2001:db8::/32 "
	    "192.0.2.77");
	CHECK_INT(set("syslogAllow", "unix:/run/x.sock 127.0.0.1"), -1);
	CHECK(strstr(err, "a unix socket has no sender addresses") != NULL);
	CHECK_INT(set("syslogAllow", "mailhub 192.0.2.1"), -1);
	CHECK(strncmp(err, "syslogAllow: want a listener as syslogListen "
	    "names it", 48) == 0);
	CHECK_INT(set("syslogAllow", "udp:127.0.0.1:5514 192.0.2.0/33"), -1);
	CHECK_STR(err, "syslogAllow: want an address or range such as "
	    "192.0.2.0/24 or 2001:db8::/32, not '192.0.2.0/33'");
	CHECK_INT(set("syslogAllow", "udp:127.0.0.1:5514 mailhub"), -1);
	CHECK_INT(set("syslogAllow", "udp:127.0.0.1:5514   "), -1);
	CHECK_STR(err, "syslogAllow: no addresses or ranges for "
	    "'udp:127.0.0.1:5514'");
	CHECK_INT(conf.nallow, 1);
	/* More ranges than a line holds (1023 bytes of them). */
	snprintf(line, sizeof(line), "udp:127.0.0.1:5514");
	for (i = 0; i < 100; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
		    " 192.0.2.%zu", 100 + i);
	CHECK_INT(set("syslogAllow", line), -1);
	CHECK(strncmp(err, "syslogAllow: too many ranges on one line", 40)
	    == 0);
	CHECK_INT(conf.nallow, 1);
	for (i = conf.nallow; i < IMSD_ALLOW_MAX; i++)
		CHECK_INT(set("syslogAllow", "tcp:127.0.0.1:514 10.0.0.0/8"),
		    0);
	CHECK_INT(set("syslogAllow", "tcp:127.0.0.1:514 10.0.0.0/8"), -1);
	CHECK_STR(err, "syslogAllow: too many lines, at 'tcp:127.0.0.1:514'");
	CHECK_INT(conf.nallow, IMSD_ALLOW_MAX);
}

TEST(conf_kbdir_cases)
{
	fresh();
	CHECK_INT(set("kbDir", "/usr/share/imsmon/kb\n"), 0);
	CHECK_STR(conf.kbdir, "/usr/share/imsmon/kb");
	CHECK_INT(set("kbDir", "/srv/kb with space"), 0);
	CHECK_STR(conf.kbdir, "/srv/kb with space");	/* the last wins */
	CHECK_INT(set("kbSiteDir", "/etc/imsmon/kb.d"), 0);
	CHECK_STR(conf.kbsitedir, "/etc/imsmon/kb.d");
	CHECK_INT(set("kbSiteDir", "\r\n"), -1);
	CHECK_STR(err, "kbSiteDir: a directory is required");
	CHECK_STR(conf.kbsitedir, "/etc/imsmon/kb.d");
}

TEST(conf_hostname_cases)
{
	char name[80], line[120];
	size_t i;

	fresh();
	CHECK_INT(set("syslogHostName", "192.0.2.7 MAILHUB extra\n"), 0);
	CHECK_INT(set("syslogHostName", "2001:db8::7\tmailhub2"), 0);
	CHECK_INT(conf.nnames, 2);
	CHECK_STR(conf.names[0].name, "MAILHUB");
	CHECK_STR(conf.names[1].name, "mailhub2");
	CHECK_INT(set("syslogHostName", "mailhub 192.0.2.7"), -1);
	CHECK_STR(err, "syslogHostName: want a numeric address, not "
	    "'mailhub'");
	CHECK_INT(set("syslogHostName", "192.0.2.8"), -1);
	CHECK_STR(err, "syslogHostName: want a host name of 1 to 63 bytes "
	    "after '192.0.2.8'");
	memset(name, 'h', 63);
	name[63] = '\0';
	snprintf(line, sizeof(line), "192.0.2.9 %s", name);
	CHECK_INT(set("syslogHostName", line), 0);
	snprintf(line, sizeof(line), "192.0.2.9 %sh", name);
	CHECK_INT(set("syslogHostName", line), -1);
	CHECK_INT(conf.nnames, 3);
	for (i = conf.nnames; i < IMSD_NAMES_MAX; i++)
		CHECK_INT(set("syslogHostName", "192.0.2.10 n"), 0);
	CHECK_INT(set("syslogHostName", "192.0.2.10 n"), -1);
	CHECK_STR(err, "syslogHostName: too many lines, at '192.0.2.10'");
	CHECK_INT(conf.nnames, IMSD_NAMES_MAX);
}

TEST(conf_timezone_cases)
{
	size_t i;

	fresh();
	CHECK_INT(set("syslogTimeZone", "UTC\n"), 0);
	CHECK_INT(set("syslogTimeZone", "udp:127.0.0.1:5514 +02:00"), 0);
	CHECK_INT(set("syslogTimeZone", "192.0.2.0/24 CET-1CEST,M3.5.0,"
	    "M10.5.0/3"), 0);
	CHECK_INT(conf.nzones, 3);
	CHECK(conf.zones[0].where == NULL);
	CHECK_STR(conf.zones[0].zone, "UTC");
	CHECK_STR(conf.zones[1].where, "udp:127.0.0.1:5514");
	CHECK_INT(conf.zones[1].is_range, 0);
	CHECK_INT(conf.zones[2].is_range, 1);
	CHECK(conf.zones[2].tz != NULL);
	CHECK_INT(set("syslogTimeZone", "Mars/Olympus"), -1);
	CHECK(strncmp(err, "syslogTimeZone: ", 16) == 0 &&
	    strstr(err, "Mars/Olympus") != NULL);
	CHECK_INT(set("syslogTimeZone", "mailhub UTC"), -1);
	CHECK_STR(err, "syslogTimeZone: want a listener as syslogListen names "
	    "it, or an address or range, not 'mailhub'");
	CHECK_INT(set("syslogTimeZone", " \t"), -1);
	CHECK_STR(err, "syslogTimeZone: a zone is required");
	CHECK_INT(set("syslogTimeZone", "../../etc/passwd"), -1);
	CHECK_INT(conf.nzones, 3);
	for (i = conf.nzones; i < IMSD_ZONES_MAX; i++)
		CHECK_INT(set("syslogTimeZone", "10.0.0.0/8 +01:00"), 0);
	CHECK_INT(set("syslogTimeZone", "10.0.0.0/8 +01:00"), -1);
	CHECK_STR(err, "syslogTimeZone: too many lines, at '+01:00'");
	CHECK_INT(conf.nzones, IMSD_ZONES_MAX);
}

/* A message longer than err is cut, never overrun. */
TEST(conf_small_err)
{
	char line[64], small[16];

	fresh();
	snprintf(line, sizeof(line), "not-a-listener");
	memset(small, 'x', sizeof(small));
	CHECK_INT(conf_set(&conf, "syslogListen", line, small, sizeof(small)),
	    -1);
	CHECK_INT(strlen(small), sizeof(small) - 1);
	snprintf(line, sizeof(line), "0");
	CHECK_INT(conf_set(&conf, "maxServers", line, NULL, 0), -1);
	conf_free(&conf);
}

TEST_MAIN(
	T(conf_defaults_values), T(conf_numbers_good), T(conf_numbers_bad),
	T(conf_unknown_token), T(conf_misspelt_message), T(conf_listen_cases),
	T(conf_allow_cases), T(conf_kbdir_cases), T(conf_hostname_cases),
	T(conf_timezone_cases), T(conf_small_err)
)
