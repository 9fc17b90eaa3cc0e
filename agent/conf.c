/*
 * conf: imsmond.conf directives, read by Net-SNMP's config machinery
 * (so the file sits on the usual config path, takes [snmp] sections, and
 * in master mode also holds rocommunity, trap2sink and friends).
 *
 * Each handler checks its value completely and reports a bad one with
 * config_perror(), which names the file and line; main() refuses to start
 * if any was reported.  A directive nobody knows (a misspelling) is only
 * a warning in Net-SNMP; conf_watch() listens to the library's log while
 * the files are read and makes it an error, with its file and line.
 */
#include "agent.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/spec.h"
#include "util/sbuf.h"

static struct imsd *conf_im;	/* handlers get no argument */
static netsnmp_log_handler *conf_logh;

static void	 conf_listen(const char *, char *);
static void	 conf_allow(const char *, char *);
static int	 range_ok(const char *);
static void	 conf_kbdir(const char *, char *);
static void	 conf_hostname(const char *, char *);
static void	 conf_timezone(const char *, char *);
static void	 conf_number(const char *, char *);
static int	 conf_int(const char *, char *, long long, long long,
		    long long *);

/* Numeric directives: name, range, and where the value goes. */
struct conf_num {
	const char	*name;
	long long	 min, max;
	const char	*help;
};

static const struct conf_num conf_nums[] = {
	{ "correlationWindow", 1, 86400, "SECONDS (1..86400, default 600)" },
	{ "quietClear", 0, 31536000, "SECONDS (0 = never, the default)" },
	{ "trapHoldDown", 0, 86400, "SECONDS (0..86400, default 60)" },
	{ "trapRateLimit", 0, 100000, "PER-SECOND (0 = no limit, default 50)" },
	{ "maxServers", 1, 1000000, "N (1..1000000, default 4096)" },
	{ "maxFaults", 1, 1000000, "N (1..1000000, default 4096)" },
	{ "maxClearedFaults", 0, 1000000, "N (0..1000000, default 1024)" },
	{ "maxConnections", 1, 100000, "N (1..100000, default 64)" },
	{ "tcpIdleTimeout", 1, 86400, "SECONDS (1..86400, default 300)" },
	{ "maxConnectionsPerSender", 1, 100000,
	    "N (1..100000, default 8)" },
	{ "tcpFirstRecordTimeout", 1, 86400,
	    "SECONDS (1..86400, default 10)" },
	{ "maxSenders", 1, 1000000, "N (1..1000000, default 256)" },
	{ "maxQueuedNotifications", 1, 1000000,
	    "N (1..1000000, default 10000)" },
	{ "notificationLogSize", 1, 1000000, "N (1..1000000, default 1000)" },
	{ "ingestQueueSize", 1048576, 1073741824,
	    "BYTES (1048576..1073741824, default 33554432)" },
};
#define NCONF_NUMS	(sizeof(conf_nums) / sizeof(conf_nums[0]))

void
conf_defaults(struct imsd_conf *c)
{
	memset(c, 0, sizeof(*c));
	diag_conf_default(&c->diag);
	store_limits_default(&c->limits);
	c->holddown = 60;
	c->trap_rate = 50;
	c->max_queued = 10000;
	c->ntf_log_size = 1000;
	c->ingest_queue = 32 << 20;
}

void
conf_register(struct imsd *im)
{
	size_t i;

	conf_im = im;
	register_app_config_handler("syslogListen", conf_listen, NULL,
	    "udp:ADDR:PORT | tcp:ADDR:PORT | tcp-evtsys:ADDR:PORT | "
	    "unix:/PATH");
	register_app_config_handler("syslogAllow", conf_allow, NULL,
	    "LISTENER ADDR[/BITS] ...");
	register_app_config_handler("kbDir", conf_kbdir, NULL, "DIRECTORY");
	register_app_config_handler("kbSiteDir", conf_kbdir, NULL,
	    "DIRECTORY");
	register_app_config_handler("syslogHostName", conf_hostname, NULL,
	    "ADDRESS NAME");
	register_app_config_handler("syslogTimeZone", conf_timezone, NULL,
	    "[LISTENER | ADDR[/BITS]] ZONE");
	for (i = 0; i < NCONF_NUMS; i++)
		register_app_config_handler(conf_nums[i].name, conf_number,
		    NULL, conf_nums[i].help);
}

/*
 * The library's warning for an unknown directive reads "FILE: line N:
 * Warning: Unknown token: NAME."; count it as an error and keep what to
 * say (logging from inside the log callback would come back here).
 */
#define CONF_UNKNOWN_MAX	8
static char	 conf_unknown[CONF_UNKNOWN_MAX][256];
static size_t	 nconf_unknown;

static int
conf_log_cb(int major, int minor, void *server_arg, void *client_arg)
{
	const struct snmp_log_message *m = server_arg;
	const char *w;
	char tok[128];

	(void)major;
	(void)minor;
	(void)client_arg;
	if (conf_im == NULL || m == NULL || m->msg == NULL ||
	    (w = strstr(m->msg, ": Warning: Unknown token: ")) == NULL)
		return 0;
	conf_im->conf.errors++;
	if (nconf_unknown >= CONF_UNKNOWN_MAX)
		return 0;
	snprintf(tok, sizeof(tok), "%s", w + 26);
	tok[strcspn(tok, ".\n")] = '\0';
	snprintf(conf_unknown[nconf_unknown++], sizeof(conf_unknown[0]),
	    "%.*s: unknown directive '%s' (misspelt?)", (int)(w - m->msg),
	    m->msg, tok);
	return 0;
}

/* On while init_snmp() reads the config files; off after, and report. */
void
conf_watch(int on)
{
	size_t i;

	if (on && conf_logh == NULL) {
		conf_logh = netsnmp_register_loghandler(
		    NETSNMP_LOGHANDLER_CALLBACK, LOG_WARNING);
		snmp_register_callback(SNMP_CALLBACK_LIBRARY,
		    SNMP_CALLBACK_LOGGING, conf_log_cb, NULL);
	} else if (!on && conf_logh != NULL) {
		snmp_unregister_callback(SNMP_CALLBACK_LIBRARY,
		    SNMP_CALLBACK_LOGGING, conf_log_cb, NULL, 0);
		netsnmp_remove_loghandler(conf_logh);
		conf_logh = NULL;
		for (i = 0; i < nconf_unknown; i++)
			imsd_log(LOG_ERR, "%s", conf_unknown[i]);
		nconf_unknown = 0;
	}
}

void
conf_free(struct imsd_conf *c)
{
	size_t i;

	for (i = 0; i < c->nlisten; i++)
		free(c->listen[i]);
	c->nlisten = 0;
	for (i = 0; i < c->nallow; i++) {
		free(c->allow[i].spec);
		free(c->allow[i].ranges);
	}
	c->nallow = 0;
	free(c->kbdir);
	c->kbdir = NULL;
	free(c->kbsitedir);
	c->kbsitedir = NULL;
	for (i = 0; i < c->nnames; i++)
		free(c->names[i].name);
	c->nnames = 0;
	for (i = 0; i < c->nzones; i++) {
		free(c->zones[i].where);
		free(c->zones[i].zone);
		tz_free(c->zones[i].tz);
	}
	c->nzones = 0;
}

/* "token: problem 'value'", with the file and line config_perror() adds. */
static void
conf_error(const char *token, const char *problem, const char *value)
{
	char msg[512];

	if (value != NULL)
		snprintf(msg, sizeof(msg), "%s: %s '%s'", token, problem,
		    value);
	else
		snprintf(msg, sizeof(msg), "%s: %s", token, problem);
	config_perror(msg);
	conf_im->conf.errors++;
}

/* The listener syntax (ingest/spec.c); binding errors come at startup. */
static int
listen_ok(const char *v)
{
	struct spec sp;

	return spec_parse(v, &sp, NULL, 0) == 0;
}

static void
conf_listen(const char *token, char *line)
{
	struct imsd_conf *c = &conf_im->conf;
	char *v = line;

	v[strcspn(v, " \t\r\n")] = '\0';
	if (!listen_ok(v)) {
		conf_error(token, "want udp:ADDR:PORT, tcp:ADDR:PORT, "
		    "tcp-evtsys:ADDR:PORT or unix:/PATH (numeric address, port "
		    "0..65535), not", v);
		return;
	}
	if (c->nlisten >= NET_MAXLISTEN) {
		conf_error(token, "too many listeners, at", v);
		return;
	}
	if ((c->listen[c->nlisten] = strdup(v)) == NULL) {
		conf_error(token, "out of memory", NULL);
		return;
	}
	c->nlisten++;
}

/* "192.0.2.0/24", "2001:db8::/32" or one address (net_allow()'s syntax). */
static int
range_ok(const char *r)
{
	struct addr_range x;

	return addr_range_parse(r, &x) == 0;
}

/*
 * syslogAllow LISTENER RANGE...: who may send to that listener (named
 * exactly as its syslogListen line names it).  Several lines add up.
 * Without any, a listener takes loopback senders only.
 */
static void
conf_allow(const char *token, char *line)
{
	struct imsd_conf *c = &conf_im->conf;
	char *spec, *rest, *r, ranges[1024];
	struct sbuf sb;
	size_t n = 0, k;

	line[strcspn(line, "\r\n")] = '\0';
	spec = line + strspn(line, " \t");
	rest = spec + strcspn(spec, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	if (strncmp(spec, "unix:", 5) == 0) {
		conf_error(token, "a unix socket has no sender addresses (its "
		    "file permissions say who may write):", spec);
		return;
	}
	if (!listen_ok(spec)) {
		conf_error(token, "want a listener as syslogListen names it "
		    "(udp:, tcp: or tcp-evtsys:ADDR:PORT), then addresses or "
		    "ranges, not", spec);
		return;
	}
	sbuf_init(&sb, ranges, sizeof(ranges));
	for (r = rest + strspn(rest, " \t"); *r != '\0';
	    r += k, r += strspn(r, " \t")) {
		k = strcspn(r, " \t");
		if (r[k] != '\0')
			r[k++] = '\0';
		if (!range_ok(r)) {
			conf_error(token, "want an address or range such as "
			    "192.0.2.0/24 or 2001:db8::/32, not", r);
			return;
		}
		if (sbuf_printf(&sb, "%s%s", n++ > 0 ? " " : "", r) != 0) {
			conf_error(token, "too many ranges on one line, at", r);
			return;
		}
	}
	if (n == 0) {
		conf_error(token, "no addresses or ranges for", spec);
		return;
	}
	if (c->nallow >= IMSD_ALLOW_MAX) {
		conf_error(token, "too many lines, at", spec);
		return;
	}
	c->allow[c->nallow].spec = strdup(spec);
	c->allow[c->nallow].ranges = strdup(ranges);
	if (c->allow[c->nallow].spec == NULL ||
	    c->allow[c->nallow].ranges == NULL) {
		free(c->allow[c->nallow].spec);
		free(c->allow[c->nallow].ranges);
		conf_error(token, "out of memory", NULL);
		return;
	}
	c->nallow++;
}

/*
 * syslogHostName ADDRESS NAME: records from ADDRESS that name no host
 * (evtsys 3.x and 4.0, misconfigured senders) are about NAME rather than
 * the address itself.  Names are never looked up in DNS.
 */
static void
conf_hostname(const char *token, char *line)
{
	struct imsd_conf *c = &conf_im->conf;
	char *a, *name;
	struct addr ad;

	line[strcspn(line, "\r\n")] = '\0';
	a = line + strspn(line, " \t");
	name = a + strcspn(a, " \t");
	if (*name != '\0')
		*name++ = '\0';
	name += strspn(name, " \t");
	name[strcspn(name, " \t")] = '\0';
	if (addr_parse(a, &ad) == -1) {
		conf_error(token, "want a numeric address, not", a);
		return;
	}
	if (name[0] == '\0' || strlen(name) >= NORM_HOST_MAX) {
		conf_error(token, "want a host name of 1 to 63 bytes after",
		    a);
		return;
	}
	if (c->nnames >= IMSD_NAMES_MAX) {
		conf_error(token, "too many lines, at", a);
		return;
	}
	c->names[c->nnames].addr = ad;
	if ((c->names[c->nnames].name = strdup(name)) == NULL) {
		conf_error(token, "out of memory", NULL);
		return;
	}
	c->nnames++;
}

/*
 * syslogTimeZone [LISTENER | RANGE] ZONE: the zone the senders' clocks
 * run in, for stamps that carry none (RFC 3164, the forwarders' own date
 * fields).  A range line wins over a listener line, which wins over a
 * line with the zone alone; without any, the collector's zone.
 */
static void
conf_timezone(const char *token, char *line)
{
	struct imsd_conf *c = &conf_im->conf;
	struct imsd_zone *z;
	char *where, *zone, err[256];
	struct tz *tz;

	line[strcspn(line, "\r\n")] = '\0';
	where = line + strspn(line, " \t");
	zone = where + strcspn(where, " \t");
	if (*zone != '\0')
		*zone++ = '\0';
	zone += strspn(zone, " \t");
	zone[strcspn(zone, " \t")] = '\0';
	if (*zone == '\0') {
		zone = where;
		where = NULL;
	}
	if (*zone == '\0') {
		conf_error(token, "a zone is required", NULL);
		return;
	}
	if (c->nzones >= IMSD_ZONES_MAX) {
		conf_error(token, "too many lines, at", zone);
		return;
	}
	z = &c->zones[c->nzones];
	memset(z, 0, sizeof(*z));
	if (where != NULL && addr_range_parse(where, &z->range) == 0)
		z->is_range = 1;
	else if (where != NULL && !listen_ok(where)) {
		conf_error(token, "want a listener as syslogListen names it, "
		    "or an address or range, not", where);
		return;
	}
	if ((tz = tz_new(zone, err, sizeof(err))) == NULL) {
		conf_error(token, err, NULL);
		return;
	}
	z->tz = tz;
	z->where = where != NULL ? strdup(where) : NULL;
	if ((z->zone = strdup(zone)) == NULL ||
	    (where != NULL && z->where == NULL)) {
		free(z->where);
		free(z->zone);
		tz_free(tz);
		conf_error(token, "out of memory", NULL);
		return;
	}
	c->nzones++;
}

static void
conf_kbdir(const char *token, char *line)
{
	struct imsd_conf *c = &conf_im->conf;
	char **dst = strcmp(token, "kbSiteDir") == 0 ? &c->kbsitedir :
	    &c->kbdir;
	char *v = line;

	v[strcspn(v, "\r\n")] = '\0';
	if (v[0] == '\0') {
		conf_error(token, "a directory is required", NULL);
		return;
	}
	free(*dst);
	if ((*dst = strdup(v)) == NULL)
		conf_error(token, "out of memory", NULL);
}

/* A whole decimal number in [min, max]; 0, or -1 after config_perror(). */
static int
conf_int(const char *token, char *line, long long min, long long max,
    long long *out)
{
	char *end, what[96];
	long long v;

	line[strcspn(line, " \t\r\n")] = '\0';
	errno = 0;
	v = strtoll(line, &end, 10);
	if (line[0] == '\0' || *end != '\0' || errno != 0 || v < min ||
	    v > max) {
		snprintf(what, sizeof(what), "want a whole number from %lld to "
		    "%lld, not", min, max);
		conf_error(token, what, line);
		return -1;
	}
	*out = v;
	return 0;
}

static void
conf_number(const char *token, char *line)
{
	struct imsd_conf *c = &conf_im->conf;
	const struct conf_num *n = NULL;
	long long v;
	size_t i;

	for (i = 0; i < NCONF_NUMS; i++)
		if (strcmp(conf_nums[i].name, token) == 0)
			n = &conf_nums[i];
	if (n == NULL || conf_int(token, line, n->min, n->max, &v) != 0)
		return;
	if (strcmp(token, "correlationWindow") == 0)
		c->diag.window = v;
	else if (strcmp(token, "quietClear") == 0)
		c->diag.quiet_clear = v;
	else if (strcmp(token, "trapHoldDown") == 0)
		c->holddown = v;
	else if (strcmp(token, "trapRateLimit") == 0)
		c->trap_rate = (unsigned)v;
	else if (strcmp(token, "maxServers") == 0) {
		c->limits.max_servers = (size_t)v;
		c->diag.max_hosts = (size_t)v;
	} else if (strcmp(token, "maxFaults") == 0)
		c->limits.max_open = (size_t)v;
	else if (strcmp(token, "maxClearedFaults") == 0)
		c->limits.max_cleared = (size_t)v;
	else if (strcmp(token, "maxConnections") == 0)
		c->net.nl_maxconn = (size_t)v;
	else if (strcmp(token, "tcpIdleTimeout") == 0)
		c->net.nl_idle = v;
	else if (strcmp(token, "maxConnectionsPerSender") == 0)
		c->net.nl_maxconn_src = (size_t)v;
	else if (strcmp(token, "tcpFirstRecordTimeout") == 0)
		c->net.nl_first = v;
	else if (strcmp(token, "maxSenders") == 0)
		c->net.nl_senders = (size_t)v;
	else if (strcmp(token, "maxQueuedNotifications") == 0)
		c->max_queued = (size_t)v;
	else if (strcmp(token, "notificationLogSize") == 0)
		c->ntf_log_size = (size_t)v;
	else if (strcmp(token, "ingestQueueSize") == 0)
		c->ingest_queue = (size_t)v;
}
