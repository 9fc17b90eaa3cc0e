/*
 * conf_parse: the values of the imsmond.conf directives, checked and
 * stored in struct imsd_conf.  No Net-SNMP here: conf.c registers the
 * directives with Net-SNMP's config reader and passes each line it finds
 * to conf_set(), whose message config_perror() prints after the file
 * and line.  Each value is checked completely; a bad one changes nothing.
 */
#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/spec.h"
#include "util/norm.h"
#include "util/sbuf.h"

typedef int	 conf_fn(struct imsd_conf *, const char *, char *, char *,
		    size_t);

static conf_fn	 conf_listen, conf_allow, conf_kbdir, conf_hostname,
		 conf_timezone, conf_number;
static int	 conf_error(char *, size_t, const char *, const char *,
		    const char *);
static int	 listen_ok(const char *);
static int	 range_ok(const char *);
static int	 conf_int(const char *, char *, long long, long long,
		    long long *, char *, size_t);
static void	 conf_num_store(struct imsd_conf *, const char *, long long);

const struct conf_num conf_nums[] = {
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
const size_t conf_nnums = sizeof(conf_nums) / sizeof(conf_nums[0]);

/* The directives with a syntax of their own (conf.c registers the same). */
static const struct {
	const char	*name;
	conf_fn		*fn;
} conf_words[] = {
	{ "syslogListen", conf_listen },
	{ "syslogAllow", conf_allow },
	{ "kbDir", conf_kbdir },
	{ "kbSiteDir", conf_kbdir },
	{ "syslogHostName", conf_hostname },
	{ "syslogTimeZone", conf_timezone },
};

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

/*
 * One directive: token is its name, line the rest of the line (changed in
 * place).  0, or -1 with "token: problem 'value'" in err.
 */
int
conf_set(struct imsd_conf *c, const char *token, char *line, char *err,
    size_t errsz)
{
	size_t i;

	for (i = 0; i < sizeof(conf_words) / sizeof(conf_words[0]); i++)
		if (strcmp(conf_words[i].name, token) == 0)
			return conf_words[i].fn(c, token, line, err, errsz);
	for (i = 0; i < conf_nnums; i++)
		if (strcmp(conf_nums[i].name, token) == 0)
			return conf_number(c, token, line, err, errsz);
	return conf_error(err, errsz, token, "not a directive of imsmond",
	    NULL);
}

/*
 * Net-SNMP's warning for a directive nobody registered reads "FILE: line
 * N: Warning: Unknown token: NAME."; as an error: "FILE: line N: unknown
 * directive 'NAME' (misspelt?)".  1 if msg was such a warning, else 0.
 */
int
conf_unknown(const char *msg, char *out, size_t outsz)
{
	static const char tag[] = ": Warning: Unknown token: ";
	const char *w;
	char tok[128];

	if (msg == NULL || (w = strstr(msg, tag)) == NULL)
		return 0;
	snprintf(tok, sizeof(tok), "%s", w + sizeof(tag) - 1);
	tok[strcspn(tok, ".\n")] = '\0';
	seterr(out, outsz, "%.*s: unknown directive '%s' (misspelt?)",
	    (int)(w - msg), msg, tok);
	return 1;
}

/* "token: problem 'value'"; -1. */
static int
conf_error(char *err, size_t errsz, const char *token, const char *problem,
    const char *value)
{
	if (value != NULL)
		seterr(err, errsz, "%s: %s '%s'", token, problem, value);
	else
		seterr(err, errsz, "%s: %s", token, problem);
	return -1;
}

/* The listener syntax (ingest/spec.c); binding errors come at startup. */
static int
listen_ok(const char *v)
{
	struct spec sp;

	return spec_parse(v, &sp, NULL, 0) == 0;
}

static int
conf_listen(struct imsd_conf *c, const char *token, char *line, char *err,
    size_t errsz)
{
	char *v = line;

	v[strcspn(v, " \t\r\n")] = '\0';
	if (!listen_ok(v))
		return conf_error(err, errsz, token, "want udp:ADDR:PORT, "
		    "tcp:ADDR:PORT, tcp-evtsys:ADDR:PORT or unix:/PATH "
		    "(numeric address, port 0..65535), not", v);
	if (c->nlisten >= NET_MAXLISTEN)
		return conf_error(err, errsz, token, "too many listeners, at",
		    v);
	if ((c->listen[c->nlisten] = strdup(v)) == NULL)
		return conf_error(err, errsz, token, "out of memory", NULL);
	c->nlisten++;
	return 0;
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
static int
conf_allow(struct imsd_conf *c, const char *token, char *line, char *err,
    size_t errsz)
{
	char *spec, *rest, *r, ranges[1024];
	struct sbuf sb;
	size_t n = 0, k;

	line[strcspn(line, "\r\n")] = '\0';
	spec = line + strspn(line, " \t");
	rest = spec + strcspn(spec, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	if (strncmp(spec, "unix:", 5) == 0)
		return conf_error(err, errsz, token, "a unix socket has no "
		    "sender addresses (its file permissions say who may "
		    "write):", spec);
	if (!listen_ok(spec))
		return conf_error(err, errsz, token, "want a listener as "
		    "syslogListen names it (udp:, tcp: or "
		    "tcp-evtsys:ADDR:PORT), then addresses or ranges, not",
		    spec);
	sbuf_init(&sb, ranges, sizeof(ranges));
	for (r = rest + strspn(rest, " \t"); *r != '\0';
	    r += k, r += strspn(r, " \t")) {
		k = strcspn(r, " \t");
		if (r[k] != '\0')
			r[k++] = '\0';
		if (!range_ok(r))
			return conf_error(err, errsz, token, "want an address "
			    "or range such as 192.0.2.0/24 or 2001:db8::/32, "
			    "not", r);
		if (sbuf_printf(&sb, "%s%s", n++ > 0 ? " " : "", r) != 0)
			return conf_error(err, errsz, token, "too many ranges "
			    "on one line, at", r);
	}
	if (n == 0)
		return conf_error(err, errsz, token, "no addresses or ranges "
		    "for", spec);
	if (c->nallow >= IMSD_ALLOW_MAX)
		return conf_error(err, errsz, token, "too many lines, at",
		    spec);
	c->allow[c->nallow].spec = strdup(spec);
	c->allow[c->nallow].ranges = strdup(ranges);
	if (c->allow[c->nallow].spec == NULL ||
	    c->allow[c->nallow].ranges == NULL) {
		free(c->allow[c->nallow].spec);
		free(c->allow[c->nallow].ranges);
		return conf_error(err, errsz, token, "out of memory", NULL);
	}
	c->nallow++;
	return 0;
}

/*
 * syslogHostName ADDRESS NAME: records from ADDRESS that name no host
 * (evtsys 3.x and 4.0, misconfigured senders) are about NAME rather than
 * the address itself.  Names are never looked up in DNS.
 */
static int
conf_hostname(struct imsd_conf *c, const char *token, char *line,
    char *err, size_t errsz)
{
	char *a, *name;
	struct addr ad;

	line[strcspn(line, "\r\n")] = '\0';
	a = line + strspn(line, " \t");
	name = a + strcspn(a, " \t");
	if (*name != '\0')
		*name++ = '\0';
	name += strspn(name, " \t");
	name[strcspn(name, " \t")] = '\0';
	if (addr_parse(a, &ad) == -1)
		return conf_error(err, errsz, token, "want a numeric address, "
		    "not", a);
	if (name[0] == '\0' || strlen(name) >= NORM_HOST_MAX)
		return conf_error(err, errsz, token, "want a host name of 1 "
		    "to 63 bytes after", a);
	if (c->nnames >= IMSD_NAMES_MAX)
		return conf_error(err, errsz, token, "too many lines, at", a);
	c->names[c->nnames].addr = ad;
	if ((c->names[c->nnames].name = strdup(name)) == NULL)
		return conf_error(err, errsz, token, "out of memory", NULL);
	c->nnames++;
	return 0;
}

/*
 * syslogTimeZone [LISTENER | RANGE] ZONE: the zone the senders' clocks
 * run in, for stamps that carry none (RFC 3164, the forwarders' own date
 * fields).  A range line wins over a listener line, which wins over a
 * line with the zone alone; without any, the collector's zone.
 */
static int
conf_timezone(struct imsd_conf *c, const char *token, char *line,
    char *err, size_t errsz)
{
	struct imsd_zone *z;
	char *where, *zone, why[256];
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
	if (*zone == '\0')
		return conf_error(err, errsz, token, "a zone is required",
		    NULL);
	if (c->nzones >= IMSD_ZONES_MAX)
		return conf_error(err, errsz, token, "too many lines, at",
		    zone);
	z = &c->zones[c->nzones];
	memset(z, 0, sizeof(*z));
	if (where != NULL && addr_range_parse(where, &z->range) == 0)
		z->is_range = 1;
	else if (where != NULL && !listen_ok(where))
		return conf_error(err, errsz, token, "want a listener as "
		    "syslogListen names it, or an address or range, not",
		    where);
	if ((tz = tz_new(zone, why, sizeof(why))) == NULL)
		return conf_error(err, errsz, token, why, NULL);
	z->tz = tz;
	z->where = where != NULL ? strdup(where) : NULL;
	if ((z->zone = strdup(zone)) == NULL ||
	    (where != NULL && z->where == NULL)) {
		free(z->where);
		free(z->zone);
		tz_free(tz);
		memset(z, 0, sizeof(*z));
		return conf_error(err, errsz, token, "out of memory", NULL);
	}
	c->nzones++;
	return 0;
}

/* kbDir, kbSiteDir DIRECTORY: the last line wins. */
static int
conf_kbdir(struct imsd_conf *c, const char *token, char *line, char *err,
    size_t errsz)
{
	char **dst = strcmp(token, "kbSiteDir") == 0 ? &c->kbsitedir :
	    &c->kbdir;
	char *v = line;

	v[strcspn(v, "\r\n")] = '\0';
	if (v[0] == '\0')
		return conf_error(err, errsz, token, "a directory is required",
		    NULL);
	free(*dst);
	if ((*dst = strdup(v)) == NULL)
		return conf_error(err, errsz, token, "out of memory", NULL);
	return 0;
}

/* A whole decimal number in [min, max]; 0, or -1 with the message. */
static int
conf_int(const char *token, char *line, long long min, long long max,
    long long *out, char *err, size_t errsz)
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
		return conf_error(err, errsz, token, what, line);
	}
	*out = v;
	return 0;
}

static int
conf_number(struct imsd_conf *c, const char *token, char *line, char *err,
    size_t errsz)
{
	const struct conf_num *n = NULL;
	long long v;
	size_t i;

	for (i = 0; i < conf_nnums; i++)
		if (strcmp(conf_nums[i].name, token) == 0)
			n = &conf_nums[i];
	if (n == NULL)
		return conf_error(err, errsz, token, "not a number directive",
		    NULL);
	if (conf_int(token, line, n->min, n->max, &v, err, errsz) != 0)
		return -1;
	conf_num_store(c, token, v);
	return 0;
}

/* Where each numeric directive's value goes (checked against its range). */
static void
conf_num_store(struct imsd_conf *c, const char *token, long long v)
{
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
