/*
 * ingest: the core on the agent's loop.  The knowledge base, store and
 * diagnosis engine are built here, and the syslog listeners (one epoll
 * set, struct net), which the reader thread (reader.c) then reads; the
 * records it queues come back here, on the SNMP thread, through
 * ingest_deliver().  A 1 s alarm drives the clocks.
 */
#include "agent.h"
#include "ingest/sender.h"
#include "kb/kbsite.h"
#include "util/sbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void	 ingest_tick(unsigned int, void *);
static void	 ingest_deliver(struct imsd *, const uint8_t *, size_t,
		    const struct net_from *, int64_t);
static int	 ingest_zones(struct imsd *);
static const struct tz *ingest_zone(const struct imsd *,
		    const struct net_from *);
static const char *ingest_name(const struct imsd *,
		    const struct net_from *);
static int	 ingest_allow(struct imsd *, size_t, const char *);
static void	 ingest_log_denied(struct imsd *, int64_t);
static void	 ingest_log_limits(struct imsd *, int64_t);

/* What the limit log lines last reported, per kind (ingest_log_limits). */
enum { LIM_REFUSED, LIM_FIRST, LIM_OVERSIZE, LIM_FRAMING, LIM__MAX };
static uint64_t	 lim_logged[LIM__MAX];
static int64_t	 lim_logtime[LIM__MAX];
static unsigned int tick_reg;

/*
 * Load the knowledge base.  At startup a failure is fatal (the caller
 * exits); on reload (SIGHUP) the KB in use stays.
 */
int
ingest_kb_load(struct imsd *im, int reload)
{
	const char *dir = im->conf.kbdir != NULL ? im->conf.kbdir :
	    IMSMON_KBDIR;
	const char *site = im->conf.kbsitedir != NULL ? im->conf.kbsitedir :
	    IMSMON_KBSITEDIR;
	struct kb_errors *errs;
	struct kb *kb, *old;
	char esc[sizeof(errs->err[0].msg)];
	size_t i;

	if ((errs = calloc(1, sizeof(*errs))) == NULL) {
		imsd_log(LOG_ERR, "knowledge base: out of memory");
		return -1;
	}
	if (reload) {
		im->reload_time = time(NULL);
		/* Each sender's zone and name are looked up afresh. */
		im->memo_gen++;
	}
	if ((kb = kb_load_site(dir, site, errs)) == NULL) {
		/* A KB file may hold any bytes: its text is escaped. */
		for (i = 0; i < errs->n; i++)
			imsd_log(LOG_ERR, "knowledge base: %s", imsd_esc(esc,
			    sizeof(esc), errs->err[i].msg));
		if (reload) {
			im->reload_result = 3;
			imsd_esc(im->reload_msg, sizeof(im->reload_msg),
			    errs->n > 0 ? errs->err[0].msg : strerror(errno));
		}
		if (errs->total > errs->n)
			imsd_log(LOG_ERR, "knowledge base: %zu more errors",
			    errs->total - errs->n);
		if (errs->total == 0)
			imsd_log(LOG_ERR, "knowledge base %s: %s", dir,
			    strerror(errno));
		imsd_log(LOG_ERR, "knowledge base %s not loaded%s", dir,
		    reload ? "; the one in use stays" : "");
		free(errs);
		return -1;
	}
	free(errs);
	if (im->d != NULL && diag_set_kb(im->d, kb, (int64_t)time(NULL)) != 0) {
		/* The engine still uses the old KB: keep it, drop the new. */
		kb_free(kb);
		if (reload) {
			im->reload_result = 3;
			snprintf(im->reload_msg, sizeof(im->reload_msg),
			    "out of memory taking the new knowledge base");
		}
		imsd_log(LOG_ERR, "knowledge base %s not taken (out of "
		    "memory); the one in use stays", dir);
		return -1;
	}
	old = im->kb;
	im->kb = kb;
	if (mib_kb_sort(im) != 0)
		imsd_log(LOG_ERR, "knowledge base: out of memory for the MIB");
	kb_free(old);
	im->kb_time = time(NULL);
	if (reload) {
		im->reload_result = 2;
		snprintf(im->reload_msg, sizeof(im->reload_msg),
		    "%zu articles loaded", kb_narticles(kb));
	}
	imsd_log(LOG_INFO, "knowledge base %s: %zu articles%s", dir,
	    kb_narticles(kb), reload ? " (reloaded)" : "");
	return 0;
}

int
ingest_start(struct imsd *im)
{
	char err[256];
	const char *spec;
	size_t i, n;

	if (ingest_kb_load(im, 0) != 0)
		return -1;
	if ((im->st = store_new(&im->conf.limits)) == NULL ||
	    (im->d = diag_new(im->kb, im->st, &im->conf.diag)) == NULL) {
		imsd_log(LOG_ERR, "cannot start the engine: %s",
		    strerror(errno));
		return -1;
	}
	/* The state is back before anything is announced or heard. */
	if (state_glue_open(im) != 0 ||
	    store_observe(im->st, trap_observer, im) != 0)
		return -1;
	if ((im->net = net_new(&im->conf.net)) == NULL) {
		imsd_log(LOG_ERR, "syslog listeners: %s", strerror(errno));
		return -1;
	}
	n = im->conf.nlisten > 0 ? im->conf.nlisten : 1;
	for (i = 0; i < n; i++) {
		spec = im->conf.nlisten > 0 ? im->conf.listen[i] :
		    IMSD_DEFAULT_LISTEN;
		err[0] = '\0';
		if (net_listen(im->net, spec, err, sizeof(err)) != 0) {
			imsd_log(LOG_ERR, "syslogListen %s: %s", spec,
			    err[0] != '\0' ? err : strerror(errno));
			return -1;
		}
		if (ingest_allow(im, i, spec) != 0)
			return -1;
		imsd_log(LOG_INFO, "listening for syslog on %s, from %s", spec,
		    im->lis_allowed[i]);
	}
	im->nlis = n;
	if (ingest_zones(im) != 0)
		return -1;
	im->nmemo = sender_rows(net_senders(im->net));
	if ((im->memo = calloc(im->nmemo, sizeof(*im->memo))) == NULL) {
		imsd_log(LOG_ERR, "sender table: out of memory");
		return -1;
	}
	/* A syslogAllow line that names no listener is a mistake. */
	for (i = 0; i < im->conf.nallow; i++) {
		for (n = 0; n < im->nlis; n++) {
			spec = im->conf.nlisten > 0 ? im->conf.listen[n] :
			    IMSD_DEFAULT_LISTEN;
			if (strcmp(im->conf.allow[i].spec, spec) == 0)
				break;
		}
		if (n == im->nlis) {
			imsd_log(LOG_ERR, "syslogAllow %s: no syslogListen "
			    "line names that listener", im->conf.allow[i].spec);
			return -1;
		}
	}
	/* From here on the reader thread owns the listeners. */
	if (reader_start(im, ingest_deliver) != 0)
		return -1;
	tick_reg = snmp_alarm_register(1, SA_REPEAT, ingest_tick, im);
	if (tick_reg == 0) {
		imsd_log(LOG_ERR, "cannot register the 1 s timer");
		return -1;
	}
	return 0;
}

void
ingest_stop(struct imsd *im)
{
	reader_stop(im);
	if (im->net != NULL) {
		net_free(im->net);
		im->net = NULL;
	}
	if (tick_reg != 0) {
		snmp_alarm_unregister(tick_reg);
		tick_reg = 0;
	}
	tz_free(im->tz_local);
	im->tz_local = NULL;
	free(im->memo);
	im->memo = NULL;
	im->nmemo = 0;
	state_glue_close(im);
	diag_free(im->d);
	im->d = NULL;
	store_free(im->st);
	im->st = NULL;
	kb_free(im->kb);
	im->kb = NULL;
}

/*
 * The syslogAllow lines of listener i (spec as configured) go to the net;
 * what it shows in imsListenerAllowed is built on the way.
 */
static int
ingest_allow(struct imsd *im, size_t i, const char *spec)
{
	char *text = im->lis_allowed[i], err[256], range[64];
	struct sbuf sb;
	const char *r;
	size_t a, k;

	sbuf_init(&sb, text, IMSD_TEXT_MAX);
	for (a = 0; a < im->conf.nallow; a++) {
		if (strcmp(im->conf.allow[a].spec, spec) != 0)
			continue;
		for (r = im->conf.allow[a].ranges; *r != '\0'; r += k,
		    r += strspn(r, " ")) {
			k = strcspn(r, " ");
			snprintf(range, sizeof(range), "%.*s", (int)k, r);
			if (net_allow(im->net, i, range, err,
			    sizeof(err)) != 0) {
				imsd_log(LOG_ERR, "syslogAllow %s: %s", spec,
				    err);
				return -1;
			}
			sbuf_printf(&sb, "%s%s", sb.sb_len > 0 ? " " : "",
			    range);
		}
	}
	if (sb.sb_cut)			/* cut: say so */
		memcpy(text + IMSD_TEXT_MAX - 4, "...", 4);
	if (text[0] == '\0')
		snprintf(text, IMSD_TEXT_MAX, "%s",
		    strncmp(spec, "unix:", 5) == 0 ? "local processes" :
		    "127.0.0.0/8 ::1 (loopback, the default)");
	return 0;
}

/*
 * Refused senders, per listener: the first refusal is logged at once,
 * then at most one line every IMSD_DENY_LOG_SECS with how many more.
 * The address is inet_ntop()'s, escaped all the same.
 */
static void
ingest_log_denied(struct imsd *im, int64_t now)
{
	char names[NET_MAXLISTEN][NET_NAMELEN], esc[NET_PEERLEN];
	struct net_lstats ls;
	uint64_t total;
	size_t i, n;

	n = net_bound(im->net, names, NET_MAXLISTEN);
	for (i = 0; i < n && i < NET_MAXLISTEN; i++) {
		if (net_listener_stats(im->net, i, &ls) != 0)
			continue;
		total = ls.nls_denied_dgrams + ls.nls_denied_conns;
		if (total == im->lis_logged[i] || (im->lis_logged[i] > 0 &&
		    now - im->lis_logtime[i] < IMSD_DENY_LOG_SECS))
			continue;
		imsd_log(LOG_WARNING, "syslog %s: refused %llu datagram%s and "
		    "%llu connection%s from senders not in syslogAllow, the "
		    "last from %s (%llu since the last report)", names[i],
		    (unsigned long long)ls.nls_denied_dgrams,
		    ls.nls_denied_dgrams == 1 ? "" : "s",
		    (unsigned long long)ls.nls_denied_conns,
		    ls.nls_denied_conns == 1 ? "" : "s",
		    imsd_esc(esc, sizeof(esc), ls.nls_last_denied),
		    (unsigned long long)(total - im->lis_logged[i]));
		im->lis_logged[i] = total;
		im->lis_logtime[i] = now;
	}
}

/*
 * The zones of the syslogTimeZone lines (made while the configuration was
 * read) to the listeners they name; the collector's own zone for the rest.
 */
static int
ingest_zones(struct imsd *im)
{
	char err[256];
	struct imsd_zone *z;
	const char *spec;
	size_t i, k;
	int found;

	if ((im->tz_local = tz_new("", err, sizeof(err))) == NULL) {
		imsd_log(LOG_ERR, "the collector's time zone: %s", err);
		return -1;
	}
	im->tz_default = im->tz_local;
	for (i = 0; i < im->conf.nzones; i++) {
		z = &im->conf.zones[i];
		if (z->where == NULL) {
			im->tz_default = z->tz;
			continue;
		}
		if (z->is_range)
			continue;
		for (found = 0, k = 0; k < im->nlis; k++) {
			spec = im->conf.nlisten > 0 ? im->conf.listen[k] :
			    IMSD_DEFAULT_LISTEN;
			if (strcmp(spec, z->where) == 0) {
				im->lis_tz[k] = z->tz;
				found = 1;
			}
		}
		if (!found) {
			imsd_log(LOG_ERR, "syslogTimeZone %s: no syslogListen "
			    "line names that listener", z->where);
			return -1;
		}
	}
	imsd_log(LOG_INFO, "senders' clocks read in %s unless configured "
	    "otherwise", tz_name(im->tz_default));
	return 0;
}

/* A range line first, then the listener's, then the default. */
static const struct tz *
ingest_zone(const struct imsd *im, const struct net_from *from)
{
	const struct imsd_zone *z;
	size_t i;

	for (i = 0; i < im->conf.nzones; i++) {
		z = &im->conf.zones[i];
		if (z->is_range && addr_in_range(&z->range, from->nf_addr))
			return z->tz;
	}
	if (from->nf_listener < NET_MAXLISTEN &&
	    im->lis_tz[from->nf_listener] != NULL)
		return im->lis_tz[from->nf_listener];
	return im->tz_default;
}

/* Whom a record that names no host is about: a configured name, else the address. */
static const char *
ingest_name(const struct imsd *im, const struct net_from *from)
{
	size_t i;

	for (i = 0; i < im->conf.nnames; i++)
		if (addr_eq(&im->conf.names[i].addr, from->nf_addr))
			return im->conf.names[i].name;
	return from->nf_peer;
}

/*
 * Connections refused or cut by a limit, records too long, bad framing:
 * each kind logged the first time at once, then at most once every
 * IMSD_DENY_LOG_SECS with how many since and who did it last (escaped).
 */
static void
ingest_log_limits(struct imsd *im, int64_t now)
{
	static const char *const what[LIM__MAX] = {
		"TCP connections refused (maxConnections or "
		    "maxConnectionsPerSender)",
		"TCP connections closed with no whole record within "
		    "tcpFirstRecordTimeout",
		"records dropped for being too long",
		"TCP connections closed for bad framing",
	};
	char esc[NET_PEERLEN];
	struct net_stats ns;
	const char *who[LIM__MAX];
	uint64_t v[LIM__MAX];
	size_t k;

	net_stats(im->net, &ns);
	v[LIM_REFUSED] = ns.ns_tcp_refused + ns.ns_tcp_refused_src;
	v[LIM_FIRST] = ns.ns_tcp_first;
	v[LIM_OVERSIZE] = ns.ns_oversize;
	v[LIM_FRAMING] = ns.ns_framing;
	who[LIM_REFUSED] = ns.ns_last_refused;
	who[LIM_FIRST] = ns.ns_last_first;
	who[LIM_OVERSIZE] = ns.ns_last_oversize;
	who[LIM_FRAMING] = ns.ns_last_framing;
	for (k = 0; k < LIM__MAX; k++) {
		if (v[k] == lim_logged[k] || (lim_logged[k] > 0 &&
		    now - lim_logtime[k] < IMSD_DENY_LOG_SECS))
			continue;
		imsd_log(LOG_WARNING, "syslog: %llu %s, the last from %s "
		    "(%llu in all)", (unsigned long long)(v[k] - lim_logged[k]),
		    what[k], who[k][0] != '\0' ?
		    imsd_esc(esc, sizeof(esc), who[k]) : "unknown",
		    (unsigned long long)v[k]);
		lim_logged[k] = v[k];
		lim_logtime[k] = now;
	}
}

/*
 * One record from the reader's queue, with the clock it arrived at.  The
 * sender's zone and name are looked up in the configuration once per
 * sender (its row in the sender table), not for every record.  The
 * reader calls it through the pointer reader_start() was given, so calls
 * between the two files go one way: ingest.c to reader.c.
 */
static void
ingest_deliver(struct imsd *im, const uint8_t *rec, size_t n,
    const struct net_from *from, int64_t when)
{
	const struct sender_memo *m;
	const struct tz *tz;
	const char *name;

	m = sender_memo_get(im->memo, im->nmemo, from->nf_sender,
	    from->nf_born, im->memo_gen);
	if (m != NULL) {
		tz = m->sm_tz;
		name = m->sm_name != NULL ? m->sm_name : from->nf_peer;
	} else {
		tz = ingest_zone(im, from);
		name = ingest_name(im, from);
		sender_memo_set(im->memo, im->nmemo, from->nf_sender,
		    from->nf_born, im->memo_gen, tz,
		    name != from->nf_peer ? name : NULL);
	}
	diag_record_tz(im->d, rec, n, name, tz, when, NULL);
}

static void
ingest_tick(unsigned int reg, void *arg)
{
	struct imsd *im = arg;
	int64_t now = imsd_now();

	(void)reg;
	/*
	 * What is queued goes first: the periodic commit below writes every
	 * server heard from in the last second, and a notification must not
	 * wait behind it (its own group commit is a fraction of that).
	 */
	trap_pump(im);
	diag_tick(im->d, now);
	state_glue_tick(im, now);
	trap_flush(im);
	reader_lock();
	ingest_log_denied(im, now);
	ingest_log_limits(im, now);
	reader_unlock();
}
