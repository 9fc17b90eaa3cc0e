#include "diag/diag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_EP_ITEMS	16	/* distinct evidence items in one episode */
#define DIAG_EP_MAX	16	/* episodes per host, upper bound of conf */
#define DIAG_EP_UNX	4	/* unexplained events kept per episode */

/* One evidence item as seen in one episode. */
struct ep_item {
	uint32_t	 item;
	uint32_t	 count;
	int64_t		 first;
	int64_t		 last;
};

/*
 * An error or warning of the IMS's own source (or a Service Control
 * Manager error naming it) that no evidence item and no status rule
 * matched: something the knowledge base does not explain.
 */
struct ep_unx {
	int32_t		 id;		/* -1: the forwarder sent none */
	enum evt_type	 type;
	char		 source[32];	/* as sent, cut */
};

/* Evidence of one host within the correlation window, in event time. */
struct episode {
	int		 used;
	int64_t		 first;
	int64_t		 last;
	int64_t		 touched;	/* clock, for expiry */
	uint64_t	 seq;		/* last use, for eviction */
	uint32_t	 fault;		/* fault it feeds, 0 none */
	int		 owns;		/* the fault's article came from this
					   episode's evidence */
	size_t		 nitems;
	struct ep_item	 items[DIAG_EP_ITEMS];
	int		 failed;	/* a start-failed status event */
	int		 failed_bare;	/* one that no evidence item matched:
					   a start-failure report with an
					   error no symptom names */
	size_t		 nunx;		/* unexplained events kept */
	uint32_t	 unx_total;	/* seen, may exceed DIAG_EP_UNX */
	struct ep_unx	 unx[DIAG_EP_UNX];
};

struct host {
	uint64_t	 born;		/* the server's: a reused index is a
					   new host */
	int64_t		 status_time;	/* event time of the last status event */
	int64_t		 recovered;	/* event time the IMS was last seen up */
	struct episode	 ep[DIAG_EP_MAX];
};

/* Scores of one episode, over the articles it touches. */
struct rank {
	size_t		 n;		/* articles touched */
	size_t		 nvalid;	/* of which not ruled out: the first */
	int		 opens;		/* evidence that opens a fault counted */
	uint32_t	*art;		/* ranked article indices */
	double		*score;		/* by article index */
	uint8_t		*disc;		/* by article index */
	uint8_t		*claim;		/* by article index: a discriminating
					   item seen, its own or not */
	uint8_t		*fit;		/* by article index: scratch of
					   rank_drafts() */
	uint8_t		*seen;		/* by article index */
	uint8_t		*veto;		/* by article index: absent item seen */
};

struct diag {
	const struct kb		*kb;
	struct store		*st;
	struct diag_conf	 conf;
	struct host		**hosts;	/* by server index - 1 */
	size_t			 nhosts;
	struct rank		 rk;
	struct diag_stats	 stats;
	struct parse_stats	 pstats;
	struct kb_hits		 hits;
	uint64_t		 seq;		/* events seen, orders episodes */
	char			 scratch[PARSE_MAXREC + 64];
};

static int	 rank_alloc(struct rank *, size_t);
static void	 rank_free(struct rank *);
static void	 rank_episode(struct diag *, const struct episode *);
static struct host *host_get(struct diag *, const struct server *);
static struct episode *episode_find(struct diag *, struct host *, int64_t,
		    int64_t);
static void	 episode_add(struct diag *, struct episode *, int64_t);
static void	 apply_status(struct diag *, const struct server *,
		    struct host *, enum ims_status, int64_t, int64_t,
		    const char *);
static void	 reconcile(struct diag *, const struct server *, struct host *,
		    struct episode *, const struct evt *, int64_t, int64_t,
		    struct diag_explain *);
static void	 fault_fill(struct diag *, const struct fault *,
		    const struct episode *, int32_t, int64_t);
static void	 fault_rank(struct diag *, const struct fault *,
		    const struct episode *);
static void	 rerank(struct diag *, struct episode *, int64_t);
static void	 decide_text(const struct diag *, uint32_t,
		    const struct episode *, char *, size_t);
static void	 twins_text(const struct diag *, struct store_cand *, size_t,
		    const struct episode *);
static void	 apart_text(const struct diag *, uint32_t, uint32_t,
		    const struct episode *, char *, size_t);
static void	 explain_hit(const struct kb_item *, char *, size_t,
		    const struct kb *);
static void	 explain_parsed(const struct evt *, const char *, int64_t,
		    struct diag_explain *);
static void	 explain_ranking(const struct diag *, struct diag_explain *,
		    const struct episode *);
static const struct ep_item *ep_find(const struct episode *, uint32_t);
static double	 missing_weight(const struct diag *, uint32_t,
		    const struct episode *);
static void	 rank_sort(struct rank *);
static void	 rank_drafts(struct diag *, const struct episode *);
static uint8_t	 fit_level(const struct diag *, uint32_t,
		    const struct episode *);
static int	 family_seen(const struct diag *, const struct kb_item *,
		    const struct episode *);
static int	 runner_up(const struct diag *, double *);
static int	 top_diagnosed(const struct diag *, const struct episode *);
static const struct fault *open_candidate(struct diag *,
		    const struct server *);
static int	 event_host(const struct evt *, const char *, char *, size_t);
static const struct kb_item *item_by_text(const struct diag *, const char *);
static void	 status_why(char *, size_t, const struct evt *, const char *,
		    int);
static int	 ims_unexplained(const struct evt *, char *, size_t);
static void	 unexplained_add(struct diag *, const struct evt *,
		    const char *, int64_t, int64_t, struct diag_explain *);
static int	 explains(const struct diag *, uint32_t,
		    const struct episode *, char *, size_t);
static int	 any_disc(const struct diag *);
static int	 item_refers(const struct diag *, const struct kb_item *,
		    uint32_t);
static int	 item_significant(const struct diag *, const struct kb_item *,
		    uint32_t);
static int	 art_has_symptom(const struct diag *, uint32_t);
static int	 plain_known(struct diag *, struct evt *);

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

static int
rank_alloc(struct rank *rk, size_t n)
{
	if (n == 0)
		n = 1;
	rk->n = 0;
	rk->art = calloc(n, sizeof(*rk->art));
	rk->score = calloc(n, sizeof(*rk->score));
	rk->disc = calloc(n, sizeof(*rk->disc));
	rk->claim = calloc(n, sizeof(*rk->claim));
	rk->fit = calloc(n, sizeof(*rk->fit));
	rk->seen = calloc(n, sizeof(*rk->seen));
	rk->veto = calloc(n, sizeof(*rk->veto));
	if (rk->art == NULL || rk->score == NULL || rk->disc == NULL ||
	    rk->claim == NULL || rk->fit == NULL ||
	    rk->seen == NULL || rk->veto == NULL) {
		rank_free(rk);
		return -1;
	}
	return 0;
}

static void
rank_free(struct rank *rk)
{
	free(rk->art);
	free(rk->score);
	free(rk->disc);
	free(rk->claim);
	free(rk->fit);
	free(rk->seen);
	free(rk->veto);
	memset(rk, 0, sizeof(*rk));
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
	    rank_alloc(&d->rk, kb_narticles(kb)) == -1) {
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
		free(d->hosts[i]);
	free(d->hosts);
	rank_free(&d->rk);
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
	if (rank_alloc(&rk, kb_narticles(kb)) == -1)
		return -1;
	rank_free(&d->rk);
	d->rk = rk;
	d->kb = kb;
	for (i = 0; i < d->nhosts; i++) {
		for (j = 0; d->hosts[i] != NULL && j < DIAG_EP_MAX; j++) {
			ep = &d->hosts[i]->ep[j];
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
			rerank(d, ep, now);
		}
	}
	return 0;
}

static void
rerank(struct diag *d, struct episode *ep, int64_t now)
{
	struct rank *rk = &d->rk;
	const struct fault *f;
	const struct kb_article *top;

	if (ep->fault == 0 || (f = store_fault_by_index(d->st, ep->fault)) ==
	    NULL || f->state == FAULT_CLEARED)
		return;
	rank_episode(d, ep);
	if (rk->nvalid == 0)
		return;
	top = kb_article(d->kb, rk->art[0]);
	if (f->state == FAULT_AMBIGUOUS && top_diagnosed(d, NULL) &&
	    store_fault_find(d->st, f->server, top->id) == NULL) {
		store_fault_refine(d->st, f, top->id);
		fault_rank(d, f, ep);
		store_fault_changed(d->st, f, STORE_EV_REFINED, now);
		return;
	}
	fault_rank(d, f, ep);
	store_fault_changed(d->st, f, STORE_EV_UPDATED, now);
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
	if (d->hosts[i] == NULL &&
	    (d->hosts[i] = calloc(1, sizeof(*d->hosts[i]))) == NULL) {
		d->stats.dropped[DIAG_DROP_HOSTS]++;
		return NULL;
	}
	if (d->hosts[i]->born != s->born) {
		/* A new host, or a new one in an evicted host's slot. */
		memset(d->hosts[i], 0, sizeof(*d->hosts[i]));
		d->hosts[i]->born = s->born;
		d->hosts[i]->status_time = INT64_MIN;
		d->hosts[i]->recovered = INT64_MIN;
	}
	return d->hosts[i];
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

void
diag_event(struct diag *d, const struct evt *ev, const char *peer,
    int64_t now, struct diag_explain *ex)
{
	char host[NORM_HOST_MAX], why[STORE_WHY_MAX];
	struct kb_hits *h = &d->hits;
	struct kb_inferred ki;
	const struct server *s;
	struct host *hs;
	struct episode *ep;
	struct evt inf;
	int64_t t;
	size_t i;
	int failed;

	d->stats.events++;
	/* No event ID: the KB may know which event the text describes. */
	if (ev->event_id < 0 && kb_infer(d->kb, ev, d->scratch,
	    sizeof(d->scratch), &ki) == 1) {
		inf = *ev;
		inf.event_id = ki.id;
		inf.id_inferred = 1;
		if (inf.source.n == 0)
			inf.source = span_cstr(ki.source_name);
		ev = &inf;
		d->stats.inferred++;
	}
	t = ev->time != EVT_TIME_NONE ? ev->time : now;
	if (ex != NULL)
		explain_parsed(ev, peer, t, ex);
	if (kb_match(d->kb, ev, h, d->scratch, sizeof(d->scratch)) == 0) {
		if (ims_unexplained(ev, d->scratch, sizeof(d->scratch))) {
			unexplained_add(d, ev, peer, t, now, ex);
			return;
		}
		/* Loss visibility: a known server's forwarder numbering. */
		if (event_host(ev, peer, host, sizeof(host)) &&
		    (s = store_server_get(d->st, host)) != NULL) {
			store_server_seq(d->st, s, ev->seq);
			store_server_alive(d->st, s, now);
		}
		return;
	}
	d->stats.matched++;
	if (ex != NULL) {
		ex->mattered = 1;
		ex->nhits = 0;
		for (i = 0; i < h->nitem; i++)
			explain_hit(h->item[i], ex->hits[ex->nhits++],
			    sizeof(ex->hits[0]), d->kb);
		for (i = 0; i < h->nstatus && ex->nhits < KB_HITS_MAX; i++)
			(void)!snprintf(ex->hits[ex->nhits++], sizeof(ex->hits[0]),
			    "status rule %s (%s:%d)",
			    ims_status_name(h->status[i]->status),
			    h->status[i]->file, h->status[i]->line);
	}
	(void)event_host(ev, peer, host, sizeof(host));
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
	/*
	 * A sign of life first (it clears older faults); then the evidence,
	 * so that a fault exists before the status change it explains; then
	 * the other status rules and what the evidence implies.
	 */
	for (failed = 0, i = 0; i < h->nstatus; i++) {
		if (h->status[i]->status == IMS_STATUS_RUNNING) {
			status_why(why, sizeof(why), ev, h->status[i]->file,
			    h->status[i]->line);
			apply_status(d, s, hs, IMS_STATUS_RUNNING, t, now, why);
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
	} else if (h->nitem > 0 || failed) {
		ep = episode_find(d, hs, t, now);
		ep->touched = now;
		ep->seq = ++d->seq;
		episode_add(d, ep, t);
		ep->failed |= failed;
		if (failed && h->nitem == 0)
			ep->failed_bare = 1;
		reconcile(d, s, hs, ep, ev, t, now, ex);
		for (i = 0; i < h->nitem; i++) {
			if (h->item[i]->implies == IMS_STATUS_UNKNOWN)
				continue;
			status_why(why, sizeof(why), ev, h->item[i]->nrefs ?
			    h->item[i]->refs[0].file : NULL, h->item[i]->nrefs ?
			    h->item[i]->refs[0].line : 0);
			apply_status(d, s, hs, h->item[i]->implies, t, now,
			    why);
		}
	}
	for (i = 0; i < h->nstatus; i++) {
		if (h->status[i]->status == IMS_STATUS_RUNNING)
			continue;
		status_why(why, sizeof(why), ev, h->status[i]->file,
		    h->status[i]->line);
		apply_status(d, s, hs, h->status[i]->status, t, now, why);
	}
	if (h->nitem == 0 && ex != NULL && ex->outcome[0] == '\0')
		snprintf(ex->outcome, sizeof(ex->outcome), "status now %s",
		    ims_status_name(s->status));
}

/*
 * Status follows event time: an event older than the one that set the
 * current status is history.  At equal times a start failure is not
 * downgraded to degraded (both come out of one failing start).
 */
static void
apply_status(struct diag *d, const struct server *s, struct host *hs,
    enum ims_status st, int64_t t, int64_t now, const char *why)
{
	if (t < hs->status_time)
		return;
	if (t == hs->status_time && st == IMS_STATUS_DEGRADED &&
	    s->status == IMS_STATUS_START_FAILED)
		return;
	hs->status_time = t;
	if (st == IMS_STATUS_RUNNING) {
		if (t > hs->recovered)
			hs->recovered = t;
		store_clear_server(d->st, s, CLEAR_RECOVERED, t, now);
		memset(hs->ep, 0, sizeof(hs->ep));
	}
	if (st == IMS_STATUS_DEGRADED && s->status == IMS_STATUS_START_FAILED &&
	    s->open_faults > 0)
		return;
	store_server_status(d->st, s, st, t, now, why);
}

/* Why a status changed: the event and the KB line that said so. */
static void
status_why(char *buf, size_t sz, const struct evt *ev, const char *file,
    int line)
{
	const char *base;

	if (file == NULL)
		file = "?";
	base = strrchr(file, '/');
	(void)!snprintf(buf, sz, "event %.*s %d (%s:%d)",
	    (int)(ev->source.n > 48 ? 48 : ev->source.n),
	    (const char *)ev->source.p, (int)ev->event_id,
	    base != NULL ? base + 1 : file, line);
}

/*
 * The episode whose span, widened by the window, holds t; else a free
 * slot; else the least recently touched one is evicted (counted).
 */
static struct episode *
episode_find(struct diag *d, struct host *hs, int64_t t, int64_t now)
{
	struct episode *ep, *victim = NULL, *fresh = NULL;
	size_t i;

	for (i = 0; i < d->conf.max_episodes; i++) {
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
	if (fresh == NULL) {
		d->stats.dropped[DIAG_DROP_EPISODES]++;
		fresh = victim;
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

static const struct ep_item *
ep_find(const struct episode *ep, uint32_t item)
{
	size_t i;

	for (i = 0; i < ep->nitems; i++)
		if (ep->items[i].item == item)
			return &ep->items[i];
	return NULL;
}

/*
 * Score every article the episode's evidence refers to: the sum of the
 * weights of its refs (computed by the KB from role and specificity),
 * each item counted once however often it repeats.  An item marked
 * "repeat N" counts only once seen N times; a "required" item not seen
 * counts against its article; an "absent" item seen rules its article
 * out.  Ranked by score, then by article ID so that the order is stable;
 * ruled-out articles go last.
 */
static void
rank_episode(struct diag *d, const struct episode *ep)
{
	struct rank *rk = &d->rk;
	const struct kb_item *it;
	const struct kb_ref *r;
	size_t i, j;

	for (i = 0; i < rk->n; i++) {
		rk->score[rk->art[i]] = 0;
		rk->disc[rk->art[i]] = 0;
		rk->claim[rk->art[i]] = 0;
		rk->seen[rk->art[i]] = 0;
		rk->veto[rk->art[i]] = 0;
	}
	rk->n = 0;
	rk->opens = 0;
	for (i = 0; i < ep->nitems; i++) {
		if ((it = kb_item(d->kb, ep->items[i].item)) == NULL)
			continue;
		for (j = 0; j < it->nrefs; j++) {
			r = &it->refs[j];
			/* A reference entry is browsable, never a candidate. */
			if (kb_article(d->kb, r->article)->origin ==
			    KB_ORIGIN_REFERENCE)
				continue;
			if (!rk->seen[r->article]) {
				rk->seen[r->article] = 1;
				rk->art[rk->n++] = r->article;
			}
			if (r->absent) {
				rk->veto[r->article] = 1;
				continue;
			}
			if (r->repeat > ep->items[i].count)
				continue;
			rk->score[r->article] += r->weight;
			/* Weak or shadowed: an ID others tell apart by text,
			 * or a draft's claim on curated evidence. */
			if (r->role == KB_ROLE_DISCRIMINATING && !r->weak &&
			    !r->shadowed)
				rk->disc[r->article] = 1;
			if (r->role == KB_ROLE_DISCRIMINATING)
				rk->claim[r->article] = 1;
			/* A draft's claim on curated evidence opens nothing. */
			if (r->role != KB_ROLE_SUPPORTING && !r->shadowed)
				rk->opens = 1;
		}
	}
	for (i = 0; i < rk->n; i++)
		rk->score[rk->art[i]] -= missing_weight(d, rk->art[i], ep);
	rank_sort(rk);
	rank_drafts(d, ep);
}

/*
 * The score the top article must lead by `lead` times: the runner-up's.
 * A draft is never a rival of a curated article (docs/diagnosis.md): for
 * a curated top, only curated runners-up count.  Returns 0 when there is
 * no rival.
 */
static int
runner_up(const struct diag *d, double *score)
{
	const struct rank *rk = &d->rk;
	size_t i;
	int curated;

	if (rk->nvalid < 2)
		return 0;
	curated = kb_article(d->kb, rk->art[0])->origin == KB_ORIGIN_CURATED;
	for (i = 1; i < rk->nvalid; i++)
		if (!curated || kb_article(d->kb, rk->art[i])->origin ==
		    KB_ORIGIN_CURATED) {
			*score = rk->score[rk->art[i]];
			return 1;
		}
	return 0;
}

/* Is the top article diagnosed (docs/diagnosis.md)? */
static int
top_diagnosed(const struct diag *d, const struct episode *ep)
{
	const struct rank *rk = &d->rk;
	double second;

	if (rk->nvalid == 0 || !rk->disc[rk->art[0]] ||
	    rk->score[rk->art[0]] <= 0)
		return 0;
	if (runner_up(d, &second) &&
	    rk->score[rk->art[0]] < d->conf.lead * second)
		return 0;
	return ep == NULL || explains(d, rk->art[0], ep, NULL, 0);
}

/*
 * When the top article is not diagnosed, a draft that fits the episode
 * (its discriminating evidence was seen, even evidence a curated article
 * also discriminates, and it explains the whole episode) goes before the
 * candidates ranked above it that fit it less (fit_level()): it fits the
 * episode better, though it cannot be diagnosed on a curated article's
 * evidence.  It never passes a candidate that fits as well.  Without
 * drafts the ranking is unchanged.
 */
static void
rank_drafts(struct diag *d, const struct episode *ep)
{
	struct rank *rk = &d->rk;
	uint32_t a;
	size_t i, k;

	for (i = 1; i < rk->nvalid; i++)
		if (kb_article(d->kb, rk->art[i])->origin ==
		    KB_ORIGIN_GENERATED && rk->claim[rk->art[i]])
			break;
	if (i >= rk->nvalid || top_diagnosed(d, ep))
		return;
	for (i = 0; i < rk->nvalid; i++)
		rk->fit[rk->art[i]] = fit_level(d, rk->art[i], ep);
	for (i = 1; i < rk->nvalid; i++) {
		a = rk->art[i];
		if (rk->fit[a] == 0 ||
		    kb_article(d->kb, a)->origin != KB_ORIGIN_GENERATED)
			continue;
		for (k = i; k > 0 && rk->fit[rk->art[k - 1]] < rk->fit[a]; k--)
			rk->art[k] = rk->art[k - 1];
		rk->art[k] = a;
	}
}

/*
 * How well an article fits the episode, for rank_drafts(): 0 not at all
 * (no discriminating evidence seen, or it does not explain the episode);
 * 1 it explains it; 2 it also refers to every item of it (the
 * start-failure report too); 3 and every event it discriminates on was
 * seen (nothing it names as its own is missing).
 */
static uint8_t
fit_level(const struct diag *d, uint32_t art, const struct episode *ep)
{
	const struct kb_article *a = kb_article(d->kb, art);
	const struct kb_item *it;
	size_t i, j;

	if (!d->rk.claim[art] || !explains(d, art, ep, NULL, 0))
		return 0;
	for (i = 0; i < ep->nitems; i++)
		if ((it = kb_item(d->kb, ep->items[i].item)) != NULL &&
		    !item_refers(d, it, art))
			return 1;
	for (i = 0; i < a->nitems; i++) {
		it = kb_item(d->kb, a->items[i]);
		for (j = 0; j < it->nrefs; j++)
			if (it->refs[j].article == art &&
			    it->refs[j].role == KB_ROLE_DISCRIMINATING &&
			    !family_seen(d, it, ep))
				return 2;
	}
	return 3;
}

/* Is an item of it's event family in the episode? */
static int
family_seen(const struct diag *d, const struct kb_item *it,
    const struct episode *ep)
{
	const struct kb_item *o;
	size_t i;

	for (i = 0; i < ep->nitems; i++)
		if ((o = kb_item(d->kb, ep->items[i].item)) != NULL &&
		    o->family == it->family)
			return 1;
	return 0;
}

/* The weight of an article's required evidence the episode lacks. */
static double
missing_weight(const struct diag *d, uint32_t art, const struct episode *ep)
{
	const struct kb_article *a = kb_article(d->kb, art);
	const struct kb_item *it;
	const struct ep_item *seen;
	double w = 0;
	size_t i, j;

	for (i = 0; i < a->nitems; i++) {
		it = kb_item(d->kb, a->items[i]);
		for (j = 0; j < it->nrefs; j++) {
			if (it->refs[j].article != art || !it->refs[j].required)
				continue;
			seen = ep_find(ep, it->index);
			if (seen == NULL || seen->count < it->refs[j].repeat)
				w += it->refs[j].weight;
		}
	}
	return w;
}

/* Insertion sort: a handful of candidates. */
static void
rank_sort(struct rank *rk)
{
	uint32_t a, b;
	size_t i, k;

	for (i = 1; i < rk->n; i++) {
		a = rk->art[i];
		for (k = i; k > 0; k--) {
			b = rk->art[k - 1];
			if (rk->veto[b] < rk->veto[a] ||
			    (rk->veto[b] == rk->veto[a] &&
			    (rk->score[b] > rk->score[a] ||
			    (rk->score[b] == rk->score[a] && b < a))))
				break;
			rk->art[k] = b;
		}
		rk->art[k] = a;
	}
	for (rk->nvalid = 0; rk->nvalid < rk->n &&
	    !rk->veto[rk->art[rk->nvalid]]; rk->nvalid++)
		;
}

/*
 * Evidence that names no article on its own (a lone start failure) on a
 * host that already has an open fault for one of the candidates is taken
 * as a repeat of that fault: the IMS keeps failing for the known reason.
 */
static const struct fault *
open_candidate(struct diag *d, const struct server *s)
{
	const struct fault *f;
	size_t i;

	for (i = 0; i < d->rk.nvalid; i++) {
		f = store_fault_find(d->st, s->index,
		    kb_article(d->kb, d->rk.art[i])->id);
		if (f != NULL)
			return f;
	}
	return NULL;
}

static void
reconcile(struct diag *d, const struct server *s, struct host *hs,
    struct episode *ep, const struct evt *ev, int64_t t, int64_t now,
    struct diag_explain *ex)
{
	struct rank *rk = &d->rk;
	const struct kb_article *top;
	const struct fault *f = NULL, *g;
	char why[STORE_WHY_MAX];
	enum store_ev what = STORE_EV_UPDATED;
	enum fault_state undiag;
	int diagnosed;

	rank_episode(d, ep);
	if (ex != NULL)
		explain_ranking(d, ex, ep);
	if ((rk->nvalid == 0 || !rk->opens) && !ep->failed) {
		if (ex != NULL)
			snprintf(ex->outcome, sizeof(ex->outcome), "%s",
			    rk->nvalid == 0 && rk->n > 0 ?
			    "every candidate ruled out: no fault" :
			    ep->failed || rk->opens ? "no fault yet" :
			    "supporting evidence only: no fault yet");
		return;
	}
	/*
	 * Open-set: the top article is diagnosed only when it explains the
	 * episode (docs/diagnosis.md); a start failure that no candidate
	 * discriminates, with no candidate at all or with events nothing
	 * explains, is of unknown cause.
	 */
	top = rk->nvalid > 0 ? kb_article(d->kb, rk->art[0]) : NULL;
	diagnosed = top != NULL && top_diagnosed(d, ep);
	undiag = !any_disc(d) && (rk->nvalid == 0 || ep->nunx > 0) ?
	    FAULT_UNKNOWN : FAULT_AMBIGUOUS;
	if (ep->fault != 0 && (f = store_fault_by_index(d->st, ep->fault)) !=
	    NULL && f->state == FAULT_CLEARED)
		f = NULL;
	if (diagnosed) {
		g = store_fault_find(d->st, s->index, top->id);
		if (f != NULL && (f->article[0] == '\0' ||
		    (ep->owns && strcmp(f->article, top->id) != 0))) {
			/*
			 * Ambiguous, or diagnosed from this very episode
			 * whose evidence now points more clearly elsewhere:
			 * the same fault, better explained.
			 */
			if (g != NULL) {
				/* Another open fault already names it. */
				store_fault_clear(d->st, f, CLEAR_SUPERSEDED,
				    t, now);
				f = g;
			} else {
				store_fault_refine(d->st, f, top->id);
				what = STORE_EV_REFINED;
			}
		} else if (f == NULL || strcmp(f->article, top->id) != 0) {
			/* A fault diagnosed elsewhere keeps its article. */
			if ((f = g) == NULL) {
				f = store_fault_open(d->st, s, top->id,
				    FAULT_DIAGNOSED, t, now);
				what = STORE_EV_OPENED;
			}
		}

	} else if (f == NULL && (f = open_candidate(d, s)) == NULL &&
	    (f = store_fault_find(d->st, s->index, "")) == NULL) {
		f = store_fault_open(d->st, s, "", undiag, t, now);
		what = STORE_EV_OPENED;
	} else if (f->article[0] == '\0' && f->state != undiag) {
		/* ambiguous <-> unknown cause */
		store_fault_undiagnose(d->st, f, undiag);
	} else if (f->state == FAULT_DIAGNOSED && ep->owns &&
	    store_fault_find(d->st, s->index, "") == NULL) {
		/*
		 * Diagnosed from this very episode, whose evidence no longer
		 * singles the article out: the same fault, no longer sure.
		 */
		store_fault_undiagnose(d->st, f, undiag);
		what = STORE_EV_REFINED;
	}
	if (f == NULL) {
		if (ex != NULL)
			snprintf(ex->outcome, sizeof(ex->outcome),
			    "dropped: fault table full");
		return;
	}
	if (what == STORE_EV_OPENED || what == STORE_EV_REFINED)
		ep->owns = 1;
	else if (f->index != ep->fault)
		ep->owns = 0;	/* a fault diagnosed from other evidence */
	ep->fault = f->index;
	fault_fill(d, f, ep, ev->event_id, t);
	store_fault_changed(d->st, f, what, now);
	/* The article says what state the IMS is in (start-failed, ...). */
	if (f->state == FAULT_DIAGNOSED && (top = kb_find(d->kb, f->article)) !=
	    NULL && top->implies != IMS_STATUS_UNKNOWN) {
		(void)!snprintf(why, sizeof(why), "fault %u: article %s",
		    (unsigned)f->index, top->id);
		apply_status(d, s, hs, top->implies, f->last_seen, now, why);
	}
	if (ex != NULL)
		snprintf(ex->outcome, sizeof(ex->outcome), "fault %u %s: %s %s",
		    f->index, what == STORE_EV_OPENED ? "opened" :
		    what == STORE_EV_REFINED ? "refined" : "updated",
		    fault_state_name(f->state),
		    f->article[0] ? f->article : "(no article yet)");
}

/* Copy the episode's ranking and this event into the fault. */
static void
fault_fill(struct diag *d, const struct fault *f, const struct episode *ep,
    int32_t id, int64_t t)
{
	store_fault_seen(d->st, f, id, t);
	fault_rank(d, f, ep);
}

/* The episode's ranking (rank_episode) into the fault's candidates. */
static void
fault_rank(struct diag *d, const struct fault *f, const struct episode *ep)
{
	struct rank *rk = &d->rk;
	struct store_cand cands[STORE_CANDS_MAX];
	double total = 0, top, second;
	uint32_t confidence;
	size_t i, n;

	/*
	 * A diagnosed fault keeps the ranking that diagnosed it unless this
	 * episode discriminates for its article too (a lone symptom taken as
	 * a repeat says nothing new about it).
	 */
	if (f->state == FAULT_DIAGNOSED && (rk->nvalid == 0 ||
	    !rk->disc[rk->art[0]] ||
	    strcmp(f->article, kb_article(d->kb, rk->art[0])->id) != 0))
		return;
	memset(cands, 0, sizeof(cands));
	for (n = 0, i = 0; i < rk->nvalid && i < STORE_CANDS_MAX; i++) {
		const struct kb_article *a = kb_article(d->kb, rk->art[i]);

		snprintf(cands[i].article, sizeof(cands[i].article),
		    "%s", a->id);
		cands[i].score = rk->score[rk->art[i]];
		decide_text(d, rk->art[i], ep, cands[i].decide,
		    sizeof(cands[i].decide));
		n++;
	}
	if (f->state != FAULT_DIAGNOSED)
		twins_text(d, cands, n, ep);
	for (i = 0; i < rk->nvalid; i++)
		if (rk->score[rk->art[i]] > 0)
			total += rk->score[rk->art[i]];
	top = rk->nvalid > 0 ? rk->score[rk->art[0]] : 0;
	if (!runner_up(d, &second))
		second = 0;
	if (second < 0)
		second = 0;
	if (f->state == FAULT_DIAGNOSED)
		confidence = top > 0 ?
		    (uint32_t)(100.0 * (1.0 - second / top) + 0.5) : 0;
	else if (f->state == FAULT_UNKNOWN)
		confidence = 0;
	else
		confidence = total > 0 ?
		    (uint32_t)(100.0 * top / total + 0.5) : 0;
	store_fault_rank(d->st, f, cands, n, confidence);
}

/* The discriminating evidence of an article not yet seen in the episode. */
static void
decide_text(const struct diag *d, uint32_t art, const struct episode *ep,
    char *buf, size_t sz)
{
	const struct kb_article *a = kb_article(d->kb, art);
	const struct kb_item *it;
	size_t i, j, k, n = 0;
	char m[160];
	int seen, disc;

	buf[0] = '\0';
	for (i = 0; i < a->nitems; i++) {
		it = kb_item(d->kb, a->items[i]);
		for (disc = 0, k = 0; k < it->nrefs; k++)
			if (it->refs[k].article == art &&
			    it->refs[k].role == KB_ROLE_DISCRIMINATING)
				disc = 1;
		for (seen = 0, j = 0; j < ep->nitems; j++)
			if (ep->items[j].item == it->index)
				seen = 1;
		if (!disc || seen)
			continue;
		kb_match_format(&it->match, m, sizeof(m));
		n += (size_t)snprintf(buf + n, n < sz ? sz - n : 0, "%s%s",
		    n ? "; " : "", m);
		if (n >= sz)
			break;
	}
}

/*
 * Candidates tied on the same score with no discriminating evidence left
 * to see (articles sharing it, such as Q316616 and Q192540 on 4018): say
 * what else would tell each from its twin, or that nothing in the KB does.
 */
static void
twins_text(const struct diag *d, struct store_cand *c, size_t n,
    const struct episode *ep)
{
	const struct kb_article *a, *b;
	uint8_t open[STORE_CANDS_MAX];
	size_t i, j;

	for (i = 0; i < n; i++)
		open[i] = c[i].decide[0] == '\0';
	for (i = 0; i < n; i++) {
		if (!open[i])
			continue;
		for (j = 0; j < n; j++)
			if (j != i && open[j] && c[i].score ==
			    c[j].score)
				break;
		if (j == n ||
		    (a = kb_find(d->kb, c[i].article)) == NULL ||
		    (b = kb_find(d->kb, c[j].article)) == NULL)
			continue;
		apart_text(d, a->index, b->index, ep, c[i].decide,
		    sizeof(c[i].decide));
	}
}

/* The article's evidence not yet seen that its twin does not share. */
static void
apart_text(const struct diag *d, uint32_t art, uint32_t twin,
    const struct episode *ep, char *buf, size_t sz)
{
	const struct kb_article *a = kb_article(d->kb, art);
	const struct kb_item *it;
	const char *last = "";
	size_t i, k, n = 0;
	char m[160];
	int w;

	buf[0] = '\0';
	for (i = 0; i < a->nitems && n < sz; i++) {
		it = kb_item(d->kb, a->items[i]);
		if (ep_find(ep, it->index) != NULL)
			continue;
		for (w = 0, k = 0; k < it->nrefs; k++) {
			if (it->refs[k].article == twin)
				w = -1;
			else if (it->refs[k].article == art && w == 0 &&
			    !it->refs[k].absent)
				w = 1;
		}
		if (w != 1)
			continue;
		if (it->symptom[0] != '\0') {
			if (strcmp(it->symptom, last) == 0)
				continue;	/* one symptom, several matches */
			last = it->symptom;
			snprintf(m, sizeof(m), "symptom %s", it->symptom);
		} else
			kb_match_format(&it->match, m, sizeof(m));
		w = snprintf(buf + n, sz - n, "%s%s", n ? "; " : "", m);
		n += w > 0 ? (size_t)w : 0;
	}
	if (n == 0)
		snprintf(buf, sz, "same evidence as %s: nothing in the "
		    "knowledge base tells them apart",
		    kb_article(d->kb, twin)->id);
}

/* "MSExchangeIMC 4143 -> Q173496 discriminating w=10.00 (kb/Q173496.kb:9)" */
static void
explain_hit(const struct kb_item *it, char *buf, size_t sz,
    const struct kb *kb)
{
	size_t j, n;
	int k;

	char ref[KB_ID_MAX + 160], more[48];

	kb_match_format(&it->match, buf, sz);
	n = strlen(buf);
	if (it->symptom[0] != '\0' && n < sz) {
		k = snprintf(buf + n, sz - n, " [symptom %s]", it->symptom);
		n += k > 0 ? (size_t)k : 0;
	}
	/*
	 * Whole references only: one that does not fit, with room left to
	 * say how many more there are, is not cut in the middle.
	 */
	for (j = 0; j < it->nrefs && n < sz; j++) {
		k = snprintf(ref, sizeof(ref), "%s %s %s w=%.2f (%s:%d)",
		    j ? "," : " ->", kb_article(kb, it->refs[j].article)->id,
		    kb_role_name(it->refs[j].role), it->refs[j].weight,
		    it->refs[j].file, it->refs[j].line);
		snprintf(more, sizeof(more), ", and %zu more", it->nrefs - j);
		if (k < 0 || n + (size_t)k + (j + 1 < it->nrefs ?
		    strlen(more) : 0) >= sz) {
			if (n + strlen(more) < sz)
				memcpy(buf + n, more, strlen(more) + 1);
			break;
		}
		memcpy(buf + n, ref, (size_t)k + 1);
		n += (size_t)k;
	}
}

static void
explain_parsed(const struct evt *ev, const char *peer, int64_t t,
    struct diag_explain *ex)
{
	struct span h = ev->computer.n ? ev->computer : ev->hdr_host;
	char ts[32];
	int named = h.n > 0 || peer == NULL;

	/* A record that names no host is about its sender (or --host). */
	if (!named)
		h = span_cstr(peer);
	evt_time_fmt(ts, sizeof(ts), t);
	snprintf(ex->summary, sizeof(ex->summary),
	    "%s host=%.*s%s log=%.*s source=\"%.*s\" id=%d%s type=%s time=%s",
	    evt_fmt_name(ev->fmt), (int)h.n, (const char *)h.p,
	    named ? "" : " (not in the record)",
	    (int)ev->log.n, (const char *)ev->log.p,
	    (int)ev->source.n, (const char *)ev->source.p,
	    (int)ev->event_id, ev->id_inferred ? " (inferred from the text)" :
	    "", evt_type_name(ev->type), ts);
}

static void
explain_ranking(const struct diag *d, struct diag_explain *ex,
    const struct episode *ep)
{
	const struct rank *rk = &d->rk;
	struct diag_explain_art *x;
	char decide[STORE_DECIDE_MAX];
	double top, s, second;
	size_t i;

	ex->narts = 0;
	top = rk->n ? rk->score[rk->art[0]] : 0;
	for (i = 0; i < rk->n && i < DIAG_EXPLAIN_MAX; i++) {
		x = &ex->arts[ex->narts++];
		s = rk->score[rk->art[i]];
		snprintf(x->article, sizeof(x->article), "%s",
		    kb_article(d->kb, rk->art[i])->id);
		x->score = s;
		x->discriminated = rk->disc[rk->art[i]];
		decide_text(d, rk->art[i], ep, decide, sizeof(decide));
		if (rk->veto[rk->art[i]])
			snprintf(x->why, sizeof(x->why), "ruled out: evidence "
			    "it needs absent was seen");
		else if (i == 0 && !x->discriminated)
			snprintf(x->why, sizeof(x->why),
			    "leads, but no discriminating evidence seen "
			    "(would decide: %s)", decide[0] ? decide : "-");
		else if (i == 0 && !explains(d, rk->art[0], ep, x->why,
		    sizeof(x->why)))
			;	/* why says what it leaves unexplained */
		else if (i == 0 && runner_up(d, &second) &&
		    s < d->conf.lead * second)
			snprintf(x->why, sizeof(x->why),
			    "leads by %.2fx, under the %.2fx needed",
			    s / second, d->conf.lead);
		else if (i == 0)
			snprintf(x->why, sizeof(x->why),
			    "chosen: discriminating evidence, leads clearly");
		else
			snprintf(x->why, sizeof(x->why),
			    "%s %.2f against %.2f%s%s",
			    x->discriminated ? "outscored:" :
			    "rejected: no discriminating evidence;", s, top,
			    decide[0] ? "; would decide: " : "", decide);
	}
}

/* Does any candidate have discriminating evidence in the episode? */
static int
any_disc(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->rk.nvalid; i++)
		if (d->rk.disc[d->rk.art[i]])
			return 1;
	return 0;
}

/*
 * Does the article explain the whole episode?  Not when the episode holds
 * an event nothing explains (ims_unexplained), nor evidence the article
 * does not refer to that another candidate declares as its own
 * discriminator.  why (may be NULL) says what is left over.
 */
static int
explains(const struct diag *d, uint32_t art, const struct episode *ep,
    char *why, size_t sz)
{
	const struct rank *rk = &d->rk;
	const struct kb_item *it;
	const struct kb_ref *r, *other;
	char m[160];
	size_t i, j;
	int refers;

	if (ep->nunx > 0) {
		if (why != NULL)
			snprintf(why, sz, "leads, but does not explain %s "
			    "%d (%s)%s", ep->unx[0].source, (int)ep->unx[0].id,
			    evt_type_name(ep->unx[0].type), ep->unx_total > 1 ?
			    " and other events" : "");
		return 0;
	}
	if (missing_weight(d, art, ep) > 0) {
		if (why != NULL)
			snprintf(why, sz, "leads, but evidence it requires was "
			    "not seen");
		return 0;
	}
	if (ep->failed_bare && art_has_symptom(d, art)) {
		if (why != NULL)
			snprintf(why, sz, "leads, but the start failure was "
			    "reported with an error it does not name");
		return 0;
	}
	for (i = 0; i < ep->nitems; i++) {
		if ((it = kb_item(d->kb, ep->items[i].item)) == NULL)
			continue;
		if (!item_refers(d, it, art) && item_significant(d, it, art)) {
			if (why != NULL) {
				kb_match_format(&it->match, m, sizeof(m));
				snprintf(why, sz, "leads, but does not explain "
				    "%s", m);
			}
			return 0;
		}
		for (other = NULL, refers = 0, j = 0; j < it->nrefs; j++) {
			r = &it->refs[j];
			if (r->article == art)
				refers = 1;
			else if (r->role == KB_ROLE_DISCRIMINATING &&
			    !r->weak && !r->shadowed && rk->seen[r->article] &&
			    !rk->veto[r->article] &&
			    r->repeat <= ep->items[i].count)
				other = r;
		}
		if (refers || other == NULL || item_refers(d, it, art))
			continue;
		if (why != NULL) {
			kb_match_format(&it->match, m, sizeof(m));
			snprintf(why, sz, "leads, but does not explain %s, "
			    "which discriminates %s", m,
			    kb_article(d->kb, other->article)->id);
		}
		return 0;
	}
	return 1;
}

/*
 * Does the article refer to the item, or to another of its family (the
 * same event, narrowed by a different text pattern)?  For a shared
 * symptom, to the same symptom.
 */
static int
item_refers(const struct diag *d, const struct kb_item *it, uint32_t art)
{
	const struct kb_article *a = kb_article(d->kb, art);
	size_t i;

	const struct kb_item *o;

	for (i = 0; i < a->nitems; i++) {
		o = kb_item(d->kb, a->items[i]);
		/* A start-failure report is told apart by its error. */
		if (it->symptom[0] != '\0' ? strcmp(o->symptom,
		    it->symptom) == 0 : o->family == it->family)
			return 1;
	}
	return 0;
}

/*
 * Evidence an explanation must account for: an error or warning of the
 * IMS's own source, or a start-failure report (a shared symptom) when the
 * article names its own report and this is another.  An article that
 * names none (Q183178) is consistent with any report of a failed start.
 */
static int
item_significant(const struct diag *d, const struct kb_item *it,
    uint32_t art)
{
	if (it->symptom[0] != '\0')
		return art_has_symptom(d, art);
	/* An item with no type condition is counted: most IMS events
	 * in the KB are errors whose type the article did not give. */
	return strcmp(it->match.source, "msexchangeimc") == 0 &&
	    (it->match.type == EVT_TYPE_ERROR ||
	    it->match.type == EVT_TYPE_WARNING ||
	    it->match.type == EVT_TYPE_UNKNOWN);
}

/* Does the article say which start-failure report goes with it? */
static int
art_has_symptom(const struct diag *d, uint32_t art)
{
	const struct kb_article *a = kb_article(d->kb, art);
	const struct kb_item *it;
	size_t i, j;

	for (i = 0; i < a->nitems; i++) {
		it = kb_item(d->kb, a->items[i]);
		for (j = 0; j < it->nrefs; j++)
			if (it->refs[j].article == art &&
			    it->refs[j].role == KB_ROLE_SYMPTOM)
				return 1;
	}
	return 0;
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
	ep = episode_find(d, hs, t, now);
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
		reconcile(d, s, hs, ep, ev, t, now, ex);
	else if (ex != NULL)
		snprintf(ex->outcome, sizeof(ex->outcome), "unexplained: "
		    "no evidence item matches this IMS %s; kept with the "
		    "episode", evt_type_name(ev->type));
}

void
diag_tick(struct diag *d, int64_t now)
{
	struct host *hs;
	size_t i, j;

	if (d->conf.quiet_clear > 0)
		store_clear_quiet(d->st, now - d->conf.quiet_clear, now);
	/* Episodes nobody touched for long can take no late event any more. */
	for (i = 0; i < d->nhosts; i++) {
		if ((hs = d->hosts[i]) == NULL)
			continue;
		for (j = 0; j < DIAG_EP_MAX; j++)
			if (hs->ep[j].used &&
			    hs->ep[j].touched < now - 4 * d->conf.window)
				hs->ep[j].used = 0;
	}
}

int
diag_host_get(const struct diag *d, const struct server *s,
    struct diag_host_state *out)
{
	const struct host *hs;

	if (s->index == 0 || s->index > d->nhosts ||
	    (hs = d->hosts[s->index - 1]) == NULL || hs->born != s->born)
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

	if (s->index == 0 || s->index > d->nhosts ||
	    (hs = d->hosts[s->index - 1]) == NULL || hs->born != s->born)
		return 0;
	for (i = 0; i < DIAG_EP_MAX; i++) {
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
	for (i = 0; i < d->conf.max_episodes; i++)
		if (!hs->ep[i].used) {
			ep = &hs->ep[i];
			break;
		}
	if (ep == NULL) {
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
