/*
 * kb_lint: warnings about a knowledge base that loaded: what it cannot do
 * (a draft that can never be diagnosed, an article no ID-less forwarder
 * can name, two articles nothing but their supporting evidence tells
 * apart).  Errors stop a load (kb_parse.c, kb_build.c); warnings do not.
 */
#include "kb/kb.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void	 warn(struct kb_errors *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 lint_draft(const struct kb *, const struct kb_article *,
		    struct kb_errors *);
static void	 lint_ident(const struct kb *, const struct kb_article *,
		    struct kb_errors *);
static void	 lint_twins(const struct kb *, const struct kb_article *,
		    struct kb_errors *);
static const struct kb_ref *art_ref(const struct kb_item *, uint32_t);
static int	 same_disc(const struct kb *, const struct kb_article *,
		    const struct kb_article *);

size_t
kb_lint(const struct kb *kb, struct kb_errors *w)
{
	const struct kb_article *a;
	size_t i;

	for (i = 0; i < kb_narticles(kb); i++) {
		a = kb_article(kb, i);
		if (a->origin == KB_ORIGIN_REFERENCE)
			continue;
		lint_draft(kb, a, w);
		lint_ident(kb, a, w);
		lint_twins(kb, a, w);
	}
	return w->total;
}

static void
warn(struct kb_errors *w, const char *fmt, ...)
{
	va_list ap;

	if (w->n < KB_ERR_MAX) {
		va_start(ap, fmt);
		vsnprintf(w->err[w->n++].msg, sizeof(w->err[0].msg), fmt, ap);
		va_end(ap);
	}
	w->total++;
}

static const struct kb_ref *
art_ref(const struct kb_item *it, uint32_t art)
{
	size_t j;

	for (j = 0; j < it->nrefs; j++)
		if (it->refs[j].article == art)
			return &it->refs[j];
	return NULL;
}

/* A draft whose every discriminating item is shadowed or weak. */
static void
lint_draft(const struct kb *kb, const struct kb_article *a,
    struct kb_errors *w)
{
	const struct kb_ref *r;
	size_t i, ndisc = 0, nshadow = 0, nweak = 0;

	if (a->origin != KB_ORIGIN_GENERATED)
		return;
	for (i = 0; i < a->nitems; i++) {
		r = art_ref(kb_item(kb, a->items[i]), a->index);
		if (r == NULL || r->role != KB_ROLE_DISCRIMINATING)
			continue;
		ndisc++;
		if (r->shadowed)
			nshadow++;
		else if (r->weak)
			nweak++;
		else
			return;
	}
	warn(w, "%s: draft %s can never be diagnosed: %s", a->file, a->id,
	    ndisc == 0 ? "it has only supporting and symptom evidence" :
	    nshadow == ndisc ? "curated articles cover every event it "
	    "discriminates by (it is at most a candidate)" :
	    nweak > 0 && nshadow == 0 ? "other articles tell its events "
	    "apart by text it does not give" : "curated articles cover its "
	    "events, or tell them apart by text it does not give");
}

/* No discriminating item with an ident: ID-less forwarders cannot name it. */
static void
lint_ident(const struct kb *kb, const struct kb_article *a,
    struct kb_errors *w)
{
	const struct kb_item *it;
	const struct kb_ref *r;
	size_t i, ndisc = 0;

	for (i = 0; i < a->nitems; i++) {
		it = kb_item(kb, a->items[i]);
		r = art_ref(it, a->index);
		if (r == NULL || r->role != KB_ROLE_DISCRIMINATING)
			continue;
		if (it->match.nident > 0)
			return;
		ndisc++;
	}
	if (ndisc > 0)
		warn(w, "%s: %s: no discriminating event has an 'ident' (its "
		    "wording): forwarders that send no event ID cannot name "
		    "the article", a->file, a->id);
}

/*
 * Two articles with the very same discriminating evidence: only their
 * supporting evidence (or nothing) tells them apart.  Said once, by the
 * first of the pair.
 */
static void
lint_twins(const struct kb *kb, const struct kb_article *a,
    struct kb_errors *w)
{
	const struct kb_article *b;
	size_t i;

	for (i = a->index + 1; i < kb_narticles(kb); i++) {
		b = kb_article(kb, i);
		if (b->origin == KB_ORIGIN_REFERENCE || !same_disc(kb, a, b))
			continue;
		warn(w, "%s: %s and %s have the same discriminating evidence: "
		    "only their other evidence tells them apart (a fault "
		    "names both as candidates, with what would decide)",
		    a->file, a->id, b->id);
	}
}

static int
same_disc(const struct kb *kb, const struct kb_article *a,
    const struct kb_article *b)
{
	const struct kb_ref *r, *s;
	const struct kb_item *it;
	size_t i, n = 0, m = 0;

	for (i = 0; i < a->nitems; i++) {
		it = kb_item(kb, a->items[i]);
		r = art_ref(it, a->index);
		if (r == NULL || r->role != KB_ROLE_DISCRIMINATING)
			continue;
		n++;
		s = art_ref(it, b->index);
		if (s == NULL || s->role != KB_ROLE_DISCRIMINATING)
			return 0;
	}
	for (i = 0; i < b->nitems; i++) {
		it = kb_item(kb, b->items[i]);
		r = art_ref(it, b->index);
		if (r != NULL && r->role == KB_ROLE_DISCRIMINATING)
			m++;
	}
	return n > 0 && n == m;
}
