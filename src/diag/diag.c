/*
 * diag: records and events in (parse, KB match, the host they are about),
 * per-host episodes in event time, the events nothing explains, the
 * engine's life (new, KB reload, tick) and the state restore.  What an
 * episode's evidence means is diag_score.c, diag_text.c and diag_fault.c
 * (diag_int.h says who calls whom).
 */
#include "diag/diag_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	 plain_known(struct diag *, struct evt *);
static struct host *host_get(struct diag *, const struct server *);
static int	 event_host(const struct evt *, const char *, char *, size_t);
static const struct host *host_of(const struct diag *,
		    const struct server *);
static void	 host_reset(struct host *);
static struct episode *episode_grow(struct diag *, struct host *);
static struct episode *episode_find(struct diag *, struct host *, int64_t,
		    int64_t);
static void	 episode_add(struct diag *, struct episode *, int64_t);
static int	 ims_unexplained(const struct evt *, char *, size_t);
static void	 event_unmatched(struct diag *, const struct evt *, const char *,
		    const struct store_key *, int64_t, int64_t,
		    struct diag_explain *);
static void	 unexplained_add(struct diag *, const struct evt *,
		    const char *, int64_t, int64_t, struct diag_explain *);
static const struct kb_item *item_by_text(const struct diag *, const char *);

void
diag_conf_default(struct diag_conf *c)
{
	c->window = 600;
	c->lead = 2.0;
	c->quiet_clear = 0;
	c->max_episodes = 8;
	c->max_hosts = 4096;
	c->tz = NULL;
}

struct diag *
diag_new(const struct kb *kb, struct store *st, const struct diag_conf *conf)
{
	struct diag *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->kb = kb;
	d->st = st;
	if (conf != NULL)
		d->conf = *conf;
	else
		diag_conf_default(&d->conf);
	if (d->conf.max_episodes == 0 || d->conf.max_episodes > DIAG_EP_MAX)
		d->conf.max_episodes = DIAG_EP_MAX;
	if (d->conf.max_hosts == 0)
		d->conf.max_hosts = 1;
	if (d->conf.lead < 1.0)
		d->conf.lead = 1.0;
	d->nhosts = d->conf.max_hosts;
	if ((d->hosts = calloc(d->nhosts, sizeof(*d->hosts))) == NULL ||
	    diag_rank_alloc(&d->rk, kb) == -1) {
		diag_free(d);
		return NULL;
	}
	return d;
}

void
diag_free(struct diag *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; d->hosts != NULL && i < d->nhosts; i++)
		free(d->hosts[i].ep);
	free(d->hosts);
	diag_rank_free(&d->rk);
	free(d);
}

/*
 * A new knowledge base (hot reload).  Episodes hold item indices of the
 * old one: each item is mapped to the new item with the same match (items
 * the new KB no longer has are dropped), then every episode that feeds an
 * open fault is ranked again, so an ambiguous fault the new articles
 * explain is refined and every fault shows the new candidates.  The old
 * KB must stay valid until this returns.
 */
int
diag_set_kb(struct diag *d, const struct kb *kb, int64_t now)
{
	const struct kb *old = d->kb;
	const struct kb_item *it;
	struct episode *ep;
	struct rank rk;
	size_t i, j, k, n;

	/* Out of memory: nothing changed, the old KB stays in use. */
	if (diag_rank_alloc(&rk, kb) == -1)
		return -1;
	diag_rank_free(&d->rk);
	d->rk = rk;
	d->kb = kb;
	for (i = 0; i < d->nhosts; i++) {
		for (j = 0; j < d->hosts[i].nep; j++) {
			ep = &d->hosts[i].ep[j];
			if (!ep->used)
				continue;
			for (n = 0, k = 0; k < ep->nitems; k++) {
				it = kb_item_find(kb,
				    &kb_item(old, ep->items[k].item)->match);
				if (it == NULL)
					continue;
				ep->items[n] = ep->items[k];
				ep->items[n++].item = it->index;
			}
			ep->nitems = n;
			diag_rerank(d, ep, now);
		}
	}
	return 0;
}

const struct diag_stats *
diag_stats(const struct diag *d)
{
	return &d->stats;
}

const struct parse_stats *
diag_parse_stats(const struct diag *d)
{
	return &d->pstats;
}

enum parse_rc
diag_record(struct diag *d, const uint8_t *rec, size_t n, const char *peer,
    int64_t now, struct diag_explain *ex)
{
	return diag_record_tz(d, rec, n, peer, NULL, now, ex);
}

enum parse_rc
diag_record_tz(struct diag *d, const uint8_t *rec, size_t n,
    const char *peer, const struct tz *tz, int64_t now,
    struct diag_explain *ex)
{
	struct evt ev;
	enum parse_why why = PARSE_WHY_NONE;
	enum parse_rc rc;

	rc = parse_record_tz(rec, n, now, tz != NULL ? tz : d->conf.tz, &ev,
	    &why, &d->pstats);
	if (rc == PARSE_NOMATCH && plain_known(d, &ev)) {
		parse_stats_recount(&d->pstats, ev.fmt);
		rc = PARSE_OK;
		why = PARSE_WHY_NONE;
	}
	if (ex != NULL) {
		memset(ex, 0, sizeof(*ex));
		ex->rc = rc;
		ex->why = why;
	}
	if (rc != PARSE_OK)
		return rc;
	diag_event(d, &ev, peer, now, ex);
	return rc;
}

/*
 * A record no forwarder format took, read as plain syslog (source in the
 * TAG, only text): kept if the KB recognises its text, else it stays
 * unrecognised.
 */
static int
plain_known(struct diag *d, struct evt *ev)
{
	struct kb_inferred ki;
	struct evt t = *ev;

	if (parse_plain(&t) == -1)
		return 0;
	if (kb_infer(d->kb, &t, d->scratch, sizeof(d->scratch), &ki) == 0 &&
	    kb_match(d->kb, &t, &d->hits, d->scratch, sizeof(d->scratch)) == 0)
		return 0;
	*ev = t;
	return 1;
}

static struct host *
host_get(struct diag *d, const struct server *s)
{
	size_t i = s->index - 1;

	if (i >= d->nhosts) {
		d->stats.dropped[DIAG_DROP_HOSTS]++;
		return NULL;
	}
	if (!d->hosts[i].live || d->hosts[i].born != s->born) {
		/* A new host, or a new one in an evicted host's slot. */
		host_reset(&d->hosts[i]);
		d->hosts[i].live = 1;
		d->hosts[i].born = s->born;
		d->hosts[i].status_time = INT64_MIN;
		d->hosts[i].recovered = INT64_MIN;
	}
	return &d->hosts[i];
}

/* The host state of a server, NULL when diag has none. */
static const struct host *
host_of(const struct diag *d, const struct server *s)
{
	if (s->index == 0 || s->index > d->nhosts ||
	    !d->hosts[s->index - 1].live ||
	    d->hosts[s->index - 1].born != s->born)
		return NULL;
	return &d->hosts[s->index - 1];
}

/* No episode any more: their memory goes back. */
static void
host_reset(struct host *hs)
{
	free(hs->ep);
	memset(hs, 0, sizeof(*hs));
}

/* The host an event is about: the payload's, the header's, the sender. */
static int
event_host(const struct evt *ev, const char *peer, char *host, size_t sz)
{
	if (ev->computer.n > 0)
		span_copy(host, sz, ev->computer);
	else if (ev->hdr_host.n > 0)
		span_copy(host, sz, ev->hdr_host);
	else if (peer != NULL)
		snprintf(host, sz, "%s", peer);
	else
		host[0] = '\0';
	return host[0] != '\0';
}

/* No event ID: the KB may know which event the text describes. */
static const struct evt *
event_infer(struct diag *d, const struct evt *ev, struct evt *inf)
{
	struct kb_inferred ki;

	if (ev->event_id >= 0 || kb_infer(d->kb, ev, d->scratch,
	    sizeof(d->scratch), &ki) != 1)
		return ev;
	*inf = *ev;
	inf->event_id = ki.id;
	inf->id_inferred = 1;
	if (inf->source.n == 0)
		inf->source = span_cstr(ki.source_name);
	d->stats.inferred++;
	return inf;
}

/*
 * An event no evidence item and no status rule matched: kept if it is an
 * IMS error the KB does not explain, else only a sign of a known server.
 */
static void
event_unmatched(struct diag *d, const struct evt *ev, const char *peer,
    const struct store_key *key, int64_t t, int64_t now,
    struct diag_explain *ex)
{
	if (ims_unexplained(ev, d->scratch, sizeof(d->scratch))) {
		unexplained_add(d, ev, peer, t, now, ex);
		return;
	}
	/* Loss visibility: a known server's forwarder numbering. */
	if (key->sk_key[0] != '\0')
		(void)store_server_seen(d->st, key, ev->seq, now);
}

/* explain: the evidence items and status rules the event matched. */
static void
explain_hits(const struct diag *d, struct diag_explain *ex)
{
	const struct kb_hits *h = &d->hits;
	size_t i;

	ex->mattered = 1;
	ex->nhits = 0;
	for (i = 0; i < h->nitem; i++)
		diag_explain_hit(h->item[i], ex->hits[ex->nhits++],
		    sizeof(ex->hits[0]), d->kb);
	for (i = 0; i < h->nstatus && ex->nhits < KB_HITS_MAX; i++)
		(void)!snprintf(ex->hits[ex->nhits++], sizeof(ex->hits[0]),
		    "status rule %s (%s:%d)",
		    ims_status_name(h->status[i]->status),
		    h->status[i]->file, h->status[i]->line);
}

/*
 * A matched event of server s: a sign of life first (it clears older
 * faults); then the evidence, so that a fault exists before the status
 * change it explains; then the other status rules and what the evidence
 * implies.
 */
static void
event_apply(struct diag *d, const struct evt *ev, const struct server *s,
    struct host *hs, int64_t t, int64_t now, struct diag_explain *ex)
{
	const struct kb_hits *h = &d->hits;
	char why[STORE_WHY_MAX];
	struct episode *ep;
	size_t i;
	int failed;

	for (failed = 0, i = 0; i < h->nstatus; i++) {
		if (h->status[i]->status == IMS_STATUS_RUNNING) {
			diag_status_why(why, sizeof(why), ev, h->status[i]->file,
			    h->status[i]->line);
			diag_apply_status(d, s, hs, IMS_STATUS_RUNNING, t, now, why);
		}
		if (h->status[i]->status == IMS_STATUS_START_FAILED)
			failed = 1;
	}
	if ((h->nitem > 0 || failed) && t < hs->recovered) {
		/* Older than the last sign of life: history, not a fault. */
		if (ex != NULL)
			snprintf(ex->outcome, sizeof(ex->outcome),
			    "ignored: event time is before the IMS was last "
			    "seen running");
	} else if ((h->nitem > 0 || failed) &&
	    (ep = episode_find(d, hs, t, now)) != NULL) {
		ep->touched = now;
		ep->seq = ++d->seq;
		episode_add(d, ep, t);
		ep->failed |= failed;
		if (failed && h->nitem == 0)
			ep->failed_bare = 1;
		diag_reconcile(d, s, hs, ep, ev, t, now, ex);
		for (i = 0; i < h->nitem; i++) {
			if (h->item[i]->implies == IMS_STATUS_UNKNOWN)
				continue;
			diag_status_why(why, sizeof(why), ev, h->item[i]->nrefs ?
			    h->item[i]->refs[0].file : NULL, h->item[i]->nrefs ?
			    h->item[i]->refs[0].line : 0);
			diag_apply_status(d, s, hs, h->item[i]->implies, t, now,
			    why);
		}
	}
	for (i = 0; i < h->nstatus; i++) {
		if (h->status[i]->status == IMS_STATUS_RUNNING)
			continue;
		diag_status_why(why, sizeof(why), ev, h->status[i]->file,
		    h->status[i]->line);
		diag_apply_status(d, s, hs, h->status[i]->status, t, now, why);
	}
}

void
diag_event(struct diag *d, const struct evt *ev, const char *peer,
    int64_t now, struct diag_explain *ex)
{
	char host[NORM_HOST_MAX];
	struct store_key key;
	const struct server *s;
	struct host *hs;
	struct evt inf;
	int64_t t;

	d->stats.events++;
	ev = event_infer(d, ev, &inf);
	t = ev->time != EVT_TIME_NONE ? ev->time : now;
	if (ex != NULL)
		diag_explain_parsed(ev, peer, t, ex);
	/* Its server's slot is fetched while the KB matches the record. */
	if (event_host(ev, peer, host, sizeof(host)))
		store_key_make(d->st, &key, host);
	else
		key.sk_key[0] = '\0';
	if (kb_match(d->kb, ev, &d->hits, d->scratch,
	    sizeof(d->scratch)) == 0) {
		event_unmatched(d, ev, peer, &key, t, now, ex);
		return;
	}
	d->stats.matched++;
	if (ex != NULL)
		explain_hits(d, ex);
	if ((s = store_server_add(d->st, host, now)) == NULL ||
	    (hs = host_get(d, s)) == NULL) {
		if (host[0] == '\0')
			d->stats.dropped[DIAG_DROP_NOHOST]++;
		if (ex != NULL)
			snprintf(ex->outcome, sizeof(ex->outcome),
			    "dropped: %s", host[0] ? "server table full" :
			    "no host name");
		return;
	}
	store_server_heard(d->st, s, t, ev->event_id, ev->seq, peer, now);
	event_apply(d, ev, s, hs, t, now, ex);
	if (d->hits.nitem == 0 && ex != NULL && ex->outcome[0] == '\0')
		snprintf(ex->outcome, sizeof(ex->outcome), "status now %s",
		    ims_status_name(s->status));
}

/*
 * A free episode slot for hs, the array grown (1, 2, 4, ... up to
 * conf.max_episodes); NULL at the cap or when memory ran out.  Pointers
 * into hs->ep are stale afterwards.
 */
static struct episode *
episode_grow(struct diag *d, struct host *hs)
{
	struct episode *ep;
	size_t n = hs->nep == 0 ? 1 : 2 * (size_t)hs->nep;

	if (n > d->conf.max_episodes)
		n = d->conf.max_episodes;
	if (n <= hs->nep ||
	    (ep = realloc(hs->ep, n * sizeof(*hs->ep))) == NULL)
		return NULL;
	memset(ep + hs->nep, 0, (n - hs->nep) * sizeof(*ep));
	hs->ep = ep;
	ep += hs->nep;
	hs->nep = (uint32_t)n;
	return ep;
}

/*
 * The episode whose span, widened by the window, holds t; else a free
 * slot; else the least recently touched one is evicted (counted).  NULL
 * only when hs has no episode and memory ran out (counted).
 */
static struct episode *
episode_find(struct diag *d, struct host *hs, int64_t t, int64_t now)
{
	struct episode *ep, *victim = NULL, *fresh = NULL;
	size_t i;

	for (i = 0; i < hs->nep; i++) {
		ep = &hs->ep[i];
		if (!ep->used) {
			if (fresh == NULL)
				fresh = ep;
			continue;
		}
		if (t >= ep->first - d->conf.window &&
		    t <= ep->last + d->conf.window)
			return ep;
		if (victim == NULL || ep->seq < victim->seq)
			victim = ep;
	}
	if (fresh == NULL && (fresh = episode_grow(d, hs)) == NULL) {
		/* At the cap (or out of memory): the oldest one goes. */
		d->stats.dropped[DIAG_DROP_EPISODES]++;
		if ((fresh = victim) == NULL)
			return NULL;
	}
	memset(fresh, 0, sizeof(*fresh));
	fresh->used = 1;
	fresh->first = fresh->last = t;
	fresh->touched = now;
	return fresh;
}

static void
episode_add(struct diag *d, struct episode *ep, int64_t t)
{
	const struct kb_hits *h = &d->hits;
	struct ep_item *it;
	size_t i, j;

	if (t < ep->first)
		ep->first = t;
	if (t > ep->last)
		ep->last = t;
	for (i = 0; i < h->nitem; i++) {
		for (j = 0; j < ep->nitems; j++)
			if (ep->items[j].item == h->item[i]->index)
				break;
		if (j == ep->nitems) {
			if (ep->nitems >= DIAG_EP_ITEMS) {
				d->stats.dropped[DIAG_DROP_EVIDENCE]++;
				continue;
			}
			it = &ep->items[ep->nitems++];
			it->item = h->item[i]->index;
			it->first = it->last = t;
		}
		it = &ep->items[j];
		it->count++;
		if (t < it->first)
			it->first = t;
		if (t > it->last)
			it->last = t;
	}
}

/*
 * An event the knowledge base should know if it mattered: an error or
 * warning of the IMS's own source, or a Service Control Manager error
 * naming the IMS.  scratch receives the normalised description.
 */
static int
ims_unexplained(const struct evt *ev, char *scratch, size_t sz)
{
	char src[64];

	if (ev->type != EVT_TYPE_ERROR && ev->type != EVT_TYPE_WARNING)
		return 0;
	/* Cheap first: most unmatched errors are of other sources. */
	if (span_eq_nocase(ev->source, "MSExchangeIMC"))
		return 1;
	if (ev->type != EVT_TYPE_ERROR ||
	    !span_starts_nocase(ev->source, "service"))
		return 0;
	norm_source(src, sizeof(src), ev->source);
	if (strcmp(src, "service control manager") != 0)
		return 0;
	norm_text(scratch, sz, ev->text);
	return strstr(scratch, "internet mail service") != NULL ||
	    strstr(scratch, "internet mail connector") != NULL;
}

/*
 * Keep an unexplained event in its host's episode: it stops the episode
 * from being diagnosed, and with a start failure and no discriminating
 * evidence it makes the cause unknown.  It opens no fault by itself.
 */
static void
unexplained_add(struct diag *d, const struct evt *ev, const char *peer,
    int64_t t, int64_t now, struct diag_explain *ex)
{
	char host[NORM_HOST_MAX];
	const struct server *s;
	struct host *hs;
	struct episode *ep;
	struct ep_unx *u;

	if (!event_host(ev, peer, host, sizeof(host)) ||
	    (s = store_server_add(d->st, host, now)) == NULL ||
	    (hs = host_get(d, s)) == NULL)
		return;
	store_server_heard(d->st, s, t, ev->event_id, ev->seq, peer, now);
	if (t < hs->recovered)
		return;
	if (ex != NULL)
		ex->mattered = 1;
	if ((ep = episode_find(d, hs, t, now)) == NULL)
		return;
	ep->touched = now;
	ep->seq = ++d->seq;
	if (t < ep->first)
		ep->first = t;
	if (t > ep->last)
		ep->last = t;
	ep->unx_total++;
	if (ep->nunx < DIAG_EP_UNX) {
		u = &ep->unx[ep->nunx++];
		u->id = ev->event_id;
		u->type = ev->type;
		span_copy(u->source, sizeof(u->source), ev->source);
	}
	if (ep->nitems > 0 || ep->failed)
		diag_reconcile(d, s, hs, ep, ev, t, now, ex);
	else if (ex != NULL)
		snprintf(ex->outcome, sizeof(ex->outcome), "unexplained: "
		    "no evidence item matches this IMS %s; kept with the "
		    "episode", evt_type_name(ev->type));
}

void
diag_tick(struct diag *d, int64_t now)
{
	struct host *hs;
	size_t i, j, used;

	if (d->conf.quiet_clear > 0)
		store_clear_quiet(d->st, now - d->conf.quiet_clear, now);
	/*
	 * Episodes nobody touched for long can take no late event any more;
	 * a host left with none gives their memory back.
	 */
	for (i = 0; i < d->nhosts; i++) {
		hs = &d->hosts[i];
		for (used = 0, j = 0; j < hs->nep; j++) {
			if (hs->ep[j].used &&
			    hs->ep[j].touched < now - 4 * d->conf.window)
				hs->ep[j].used = 0;
			used += hs->ep[j].used != 0;
		}
		if (hs->nep > 0 && used == 0) {
			free(hs->ep);
			hs->ep = NULL;
			hs->nep = 0;
		}
	}
}

int
diag_host_get(const struct diag *d, const struct server *s,
    struct diag_host_state *out)
{
	const struct host *hs;

	if ((hs = host_of(d, s)) == NULL)
		return -1;
	out->status_time = hs->status_time;
	out->recovered = hs->recovered;
	return 0;
}

int
diag_host_episodes(const struct diag *d, const struct server *s,
    int (*fn)(void *, const struct diag_ep *), void *arg)
{
	const struct host *hs;
	const struct episode *ep;
	struct diag_ep x;
	size_t i, k;

	if ((hs = host_of(d, s)) == NULL)
		return 0;
	for (i = 0; i < hs->nep; i++) {
		ep = &hs->ep[i];
		if (!ep->used)
			continue;
		memset(&x, 0, sizeof(x));
		x.first = ep->first;
		x.last = ep->last;
		x.touched = ep->touched;
		x.fault = ep->fault;
		x.owns = ep->owns;
		for (k = 0; k < ep->nitems && k < DIAG_EP_ITEMS_MAX; k++) {
			if (kb_match_format(&kb_item(d->kb,
			    ep->items[k].item)->match, x.items[x.nitems].match,
			    sizeof(x.items[0].match)) == -1)
				continue;
			x.items[x.nitems].count = ep->items[k].count;
			x.items[x.nitems].first = ep->items[k].first;
			x.items[x.nitems].last = ep->items[k].last;
			x.nitems++;
		}
		if (fn(arg, &x) == -1)
			return -1;
	}
	return 0;
}

int
diag_host_restore(struct diag *d, const struct server *s,
    const struct diag_host_state *in)
{
	struct host *hs;

	if ((hs = host_get(d, s)) == NULL)
		return -1;
	hs->status_time = in->status_time;
	hs->recovered = in->recovered;
	return 0;
}

/* The KB item whose match line reads m: linear, restoring only. */
static const struct kb_item *
item_by_text(const struct diag *d, const char *m)
{
	char buf[DIAG_MATCH_MAX];
	const struct kb_item *it;
	size_t i;

	for (i = 0; i < kb_nitems(d->kb); i++) {
		it = kb_item(d->kb, i);
		if (kb_match_format(&it->match, buf, sizeof(buf)) != -1 &&
		    strcmp(buf, m) == 0)
			return it;
	}
	return NULL;
}

int
diag_episode_restore(struct diag *d, const struct server *s,
    const struct diag_ep *in)
{
	const struct kb_item *it;
	struct host *hs;
	struct episode *ep = NULL;
	size_t i;

	if ((hs = host_get(d, s)) == NULL)
		return -1;
	for (i = 0; i < hs->nep; i++)
		if (!hs->ep[i].used) {
			ep = &hs->ep[i];
			break;
		}
	if (ep == NULL && (ep = episode_grow(d, hs)) == NULL) {
		errno = ENOSPC;
		return -1;
	}
	memset(ep, 0, sizeof(*ep));
	ep->used = 1;
	ep->first = in->first;
	ep->last = in->last;
	ep->touched = in->touched;
	ep->seq = ++d->seq;
	ep->fault = in->fault;
	ep->owns = in->owns;
	for (i = 0; i < in->nitems && ep->nitems < DIAG_EP_ITEMS; i++) {
		if ((it = item_by_text(d, in->items[i].match)) == NULL)
			continue;
		ep->items[ep->nitems].item = it->index;
		ep->items[ep->nitems].count = in->items[i].count;
		ep->items[ep->nitems].first = in->items[i].first;
		ep->items[ep->nitems].last = in->items[i].last;
		ep->nitems++;
	}
	return 0;
}
