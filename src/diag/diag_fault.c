/*
 * diag_fault: from an episode's ranking to the fault in the store
 * (opened, updated, refined, superseded, undiagnosed: docs/diagnosis.md,
 * "Faults"), its candidates, and the server status that follows.
 */
#include "diag/diag_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct fault *open_candidate(struct diag *,
		    const struct server *);
static void	 fault_fill(struct diag *, const struct fault *,
		    const struct episode *, int32_t, int64_t);
static void	 fault_rank(struct diag *, const struct fault *,
		    const struct episode *);

void
diag_rerank(struct diag *d, struct episode *ep, int64_t now)
{
	struct rank *rk = &d->rk;
	const struct fault *f;
	const struct kb_article *top;

	if (ep->fault == 0 || (f = store_fault_by_index(d->st, ep->fault)) ==
	    NULL || f->state == FAULT_CLEARED)
		return;
	diag_rank_episode(d, ep);
	if (rk->nvalid == 0)
		return;
	top = kb_article(d->kb, rk->art[0]);
	if (f->state == FAULT_AMBIGUOUS && diag_top_diagnosed(d, NULL) &&
	    store_fault_find(d->st, f->server, top->id) == NULL) {
		store_fault_refine(d->st, f, top->id);
		fault_rank(d, f, ep);
		store_fault_changed(d->st, f, STORE_EV_REFINED, now);
		return;
	}
	fault_rank(d, f, ep);
	store_fault_changed(d->st, f, STORE_EV_UPDATED, now);
}

/*
 * Status follows event time: an event older than the one that set the
 * current status is history.  At equal times a start failure is not
 * downgraded to degraded (both come out of one failing start).
 */
void
diag_apply_status(struct diag *d, const struct server *s, struct host *hs,
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
		free(hs->ep);
		hs->ep = NULL;
		hs->nep = 0;
	}
	if (st == IMS_STATUS_DEGRADED && s->status == IMS_STATUS_START_FAILED &&
	    s->open_faults > 0)
		return;
	store_server_status(d->st, s, st, t, now, why);
}

/* Why a status changed: the event and the KB line that said so. */
void
diag_status_why(char *buf, size_t sz, const struct evt *ev, const char *file,
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

/*
 * The top article explains the episode: the fault that says so, the
 * episode's own refined, or one opened.
 */
static const struct fault *
reconcile_diagnosed(struct diag *d, const struct server *s,
    const struct episode *ep, const struct kb_article *top,
    const struct fault *f, int64_t t, int64_t now, enum store_ev *what)
{
	const struct fault *g;

	g = store_fault_find(d->st, s->index, top->id);
	if (f != NULL && (f->article[0] == '\0' ||
	    (ep->owns && strcmp(f->article, top->id) != 0))) {
		/*
		 * Ambiguous, or diagnosed from this very episode whose
		 * evidence now points more clearly elsewhere: the same
		 * fault, better explained.
		 */
		if (g != NULL) {
			/* Another open fault already names it. */
			store_fault_clear(d->st, f, CLEAR_SUPERSEDED, t, now);
			return g;
		}
		store_fault_refine(d->st, f, top->id);
		*what = STORE_EV_REFINED;
		return f;
	}
	if (f == NULL || strcmp(f->article, top->id) != 0) {
		/* A fault diagnosed elsewhere keeps its article. */
		if ((f = g) == NULL) {
			f = store_fault_open(d->st, s, top->id,
			    FAULT_DIAGNOSED, t, now);
			*what = STORE_EV_OPENED;
		}
	}
	return f;
}

/*
 * No article explains the episode: an open candidate's fault or the
 * server's undiagnosed one, else one opened as undiag (ambiguous or
 * unknown cause).
 */
static const struct fault *
reconcile_undiagnosed(struct diag *d, const struct server *s,
    const struct episode *ep, const struct fault *f, enum fault_state undiag,
    int64_t t, int64_t now, enum store_ev *what)
{
	if (f == NULL && (f = open_candidate(d, s)) == NULL &&
	    (f = store_fault_find(d->st, s->index, "")) == NULL) {
		*what = STORE_EV_OPENED;
		return store_fault_open(d->st, s, "", undiag, t, now);
	}
	if (f->article[0] == '\0' && f->state != undiag) {
		/* ambiguous <-> unknown cause */
		store_fault_undiagnose(d->st, f, undiag);
	} else if (f->state == FAULT_DIAGNOSED && ep->owns &&
	    store_fault_find(d->st, s->index, "") == NULL) {
		/*
		 * Diagnosed from this very episode, whose evidence no longer
		 * singles the article out: the same fault, no longer sure.
		 */
		store_fault_undiagnose(d->st, f, undiag);
		*what = STORE_EV_REFINED;
	}
	return f;
}

void
diag_reconcile(struct diag *d, const struct server *s, struct host *hs,
    struct episode *ep, const struct evt *ev, int64_t t, int64_t now,
    struct diag_explain *ex)
{
	struct rank *rk = &d->rk;
	const struct kb_article *top;
	const struct fault *f = NULL;
	char why[STORE_WHY_MAX];
	enum store_ev what = STORE_EV_UPDATED;
	enum fault_state undiag;
	int diagnosed;

	diag_rank_episode(d, ep);
	if (ex != NULL)
		diag_explain_ranking(d, ex, ep);
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
	diagnosed = top != NULL && diag_top_diagnosed(d, ep);
	undiag = !diag_any_disc(d) && (rk->nvalid == 0 || ep->nunx > 0) ?
	    FAULT_UNKNOWN : FAULT_AMBIGUOUS;
	if (ep->fault != 0 && (f = store_fault_by_index(d->st, ep->fault)) !=
	    NULL && f->state == FAULT_CLEARED)
		f = NULL;
	if (diagnosed)
		f = reconcile_diagnosed(d, s, ep, top, f, t, now, &what);
	else
		f = reconcile_undiagnosed(d, s, ep, f, undiag, t, now, &what);
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
		diag_apply_status(d, s, hs, top->implies, f->last_seen, now, why);
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
		diag_decide_text(d, rk->art[i], ep, cands[i].decide,
		    sizeof(cands[i].decide));
		n++;
	}
	if (f->state != FAULT_DIAGNOSED)
		diag_twins_text(d, cands, n, ep);
	for (i = 0; i < rk->nvalid; i++)
		if (rk->score[rk->art[i]] > 0)
			total += rk->score[rk->art[i]];
	top = rk->nvalid > 0 ? rk->score[rk->art[0]] : 0;
	if (!diag_runner_up(d, &second))
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
