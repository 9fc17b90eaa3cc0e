/*
 * diag_text: the text a fault and imsdiag explain show: for each
 * candidate the evidence that would decide, what tells tied candidates
 * apart, and the lines of an explanation.
 */
#include "diag/diag_int.h"

#include <stdio.h>
#include <string.h>

#include "util/sbuf.h"

static const char *match_text(const struct diag *, const struct kb_item *,
		    char *, size_t);
static void	 apart_text(const struct diag *, uint32_t, uint32_t,
		    const struct episode *, char *, size_t);

/*
 * An item's match as kb_match_format() writes it into m (msz bytes),
 * kept for the next time when memory allows.
 */
static const char *
match_text(const struct diag *d, const struct kb_item *it, char *m,
    size_t msz)
{
	char **slot = it->index < d->rk.nmtext ? &d->rk.mtext[it->index] :
	    NULL;

	if (slot != NULL && *slot != NULL)
		return *slot;
	kb_match_format(&it->match, m, msz);
	if (slot != NULL)
		*slot = strdup(m);
	return m;
}

/* The discriminating evidence of an article not yet seen in the episode. */
void
diag_decide_text(const struct diag *d, uint32_t art, const struct episode *ep,
    char *buf, size_t sz)
{
	const struct kb_article *a = kb_article(d->kb, art);
	const struct kb_item *it;
	struct sbuf sb;
	size_t i, j, k;
	char m[160];
	int seen, disc;

	sbuf_init(&sb, buf, sz);
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
		if (sb.sb_len > 0)
			(void)sbuf_str(&sb, "; ");
		if (sbuf_str(&sb, match_text(d, it, m, sizeof(m))) == -1)
			break;
	}
}

/*
 * Candidates tied on the same score with no discriminating evidence left
 * to see (articles sharing it, such as Q316616 and Q192540 on 4018): say
 * what else would tell each from its twin, or that nothing in the KB does.
 */
void
diag_twins_text(const struct diag *d, struct store_cand *c, size_t n,
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
	struct sbuf sb;
	size_t i, k;
	char m[160];
	int w;

	sbuf_init(&sb, buf, sz);
	for (i = 0; i < a->nitems && !sb.sb_cut; i++) {
		it = kb_item(d->kb, a->items[i]);
		if (diag_ep_find(ep, it->index) != NULL)
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
		(void)sbuf_printf(&sb, "%s%s", sb.sb_len ? "; " : "", m);
	}
	if (sb.sb_len == 0)
		snprintf(buf, sz, "same evidence as %s: nothing in the "
		    "knowledge base tells them apart",
		    kb_article(d->kb, twin)->id);
}

/* "MSExchangeIMC 4143 -> Q173496 discriminating w=10.00 (kb/Q173496.kb:9)" */
void
diag_explain_hit(const struct kb_item *it, char *buf, size_t sz,
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

void
diag_explain_parsed(const struct evt *ev, const char *peer, int64_t t,
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

void
diag_explain_ranking(const struct diag *d, struct diag_explain *ex,
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
		diag_decide_text(d, rk->art[i], ep, decide, sizeof(decide));
		if (rk->veto[rk->art[i]])
			snprintf(x->why, sizeof(x->why), "ruled out: evidence "
			    "it needs absent was seen");
		else if (i == 0 && !x->discriminated)
			snprintf(x->why, sizeof(x->why),
			    "leads, but no discriminating evidence seen "
			    "(would decide: %s)", decide[0] ? decide : "-");
		else if (i == 0 && !diag_explains(d, rk->art[0], ep, x->why,
		    sizeof(x->why)))
			;	/* why says what it leaves unexplained */
		else if (i == 0 && diag_runner_up(d, &second) &&
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
