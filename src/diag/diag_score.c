/*
 * diag_score: the scores of an episode's candidates and the open-set
 * decision: does the top article explain the whole episode
 * (docs/diagnosis.md, "Scoring" and "What diagnosed promises").
 */
#include "diag/diag_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double	 missing_weight(const struct diag *, uint32_t,
		    const struct episode *);
static void	 rank_sort(struct rank *);
static void	 rank_drafts(struct diag *, const struct episode *);
static uint8_t	 fit_level(const struct diag *, uint32_t,
		    const struct episode *);
static int	 family_seen(const struct diag *, const struct kb_item *,
		    const struct episode *);
static int	 item_refers(const struct diag *, const struct kb_item *,
		    uint32_t);
static int	 item_significant(const struct diag *, const struct kb_item *,
		    uint32_t);
static int	 art_has_symptom(const struct diag *, uint32_t);

int
diag_rank_alloc(struct rank *rk, const struct kb *kb)
{
	size_t n = kb_narticles(kb);

	if (n == 0)
		n = 1;
	rk->n = 0;
	rk->nmtext = kb_nitems(kb);
	rk->mtext = calloc(rk->nmtext > 0 ? rk->nmtext : 1,
	    sizeof(*rk->mtext));
	rk->art = calloc(n, sizeof(*rk->art));
	rk->score = calloc(n, sizeof(*rk->score));
	rk->disc = calloc(n, sizeof(*rk->disc));
	rk->claim = calloc(n, sizeof(*rk->claim));
	rk->fit = calloc(n, sizeof(*rk->fit));
	rk->seen = calloc(n, sizeof(*rk->seen));
	rk->veto = calloc(n, sizeof(*rk->veto));
	if (rk->art == NULL || rk->score == NULL || rk->disc == NULL ||
	    rk->claim == NULL || rk->fit == NULL || rk->seen == NULL || rk->veto == NULL || rk->mtext == NULL) {
		diag_rank_free(rk);
		return -1;
	}
	return 0;
}

void
diag_rank_free(struct rank *rk)
{
	size_t i;

	for (i = 0; rk->mtext != NULL && i < rk->nmtext; i++)
		free(rk->mtext[i]);
	free(rk->mtext);
	free(rk->art);
	free(rk->score);
	free(rk->disc);
	free(rk->claim);
	free(rk->fit);
	free(rk->seen);
	free(rk->veto);
	memset(rk, 0, sizeof(*rk));
}

const struct ep_item *
diag_ep_find(const struct episode *ep, uint32_t item)
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
void
diag_rank_episode(struct diag *d, const struct episode *ep)
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
			seen = diag_ep_find(ep, it->index);
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
 * The score the top article must lead by `lead` times: the runner-up's.
 * A draft is never a rival of a curated article (docs/diagnosis.md): for
 * a curated top, only curated runners-up count.  Returns 0 when there is
 * no rival.
 */
int
diag_runner_up(const struct diag *d, double *score)
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
int
diag_top_diagnosed(const struct diag *d, const struct episode *ep)
{
	const struct rank *rk = &d->rk;
	double second;

	if (rk->nvalid == 0 || !rk->disc[rk->art[0]] ||
	    rk->score[rk->art[0]] <= 0)
		return 0;
	if (diag_runner_up(d, &second) &&
	    rk->score[rk->art[0]] < d->conf.lead * second)
		return 0;
	return ep == NULL || diag_explains(d, rk->art[0], ep, NULL, 0);
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
	if (i >= rk->nvalid || diag_top_diagnosed(d, ep))
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

	if (!d->rk.claim[art] || !diag_explains(d, art, ep, NULL, 0))
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

/* Does any candidate have discriminating evidence in the episode? */
int
diag_any_disc(const struct diag *d)
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
int
diag_explains(const struct diag *d, uint32_t art, const struct episode *ep,
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
