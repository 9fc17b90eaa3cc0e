/*
 * kb_build: cross-file checks and compilation of the parsed draft into
 * the immutable struct kb.  Identical matches become one evidence item
 * with one ref per article using it, so the weight of each ref reflects
 * how specific the item is.
 */
#include "kb/kb_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/span.h"

/* One article's use of one item, before grouping by item. */
struct kb_pair {
	uint32_t	 item;
	uint32_t	 art;
	uint32_t	 seq;
	enum kb_role	 role;
	const char	*file;
	int		 line;
	uint8_t		 absent;
	uint8_t		 required;
	uint16_t	 repeat;
	uint8_t		 guessed;
};

struct kb_bctx {
	struct kb_draft	*d;
	struct kb	*kb;
	struct kb_dart	**arts;		/* articles with a good ID, by ID */
	size_t		 narts;
	struct kb_dsym	**syms;		/* symptoms with a good name, by name */
	size_t		 nsyms;
	uint32_t	*htab;		/* item index + 1; 0: free */
	size_t		 hmask;
	struct kb_pair	*pairs;
	size_t		 npairs;
};

static void	*alloc_n(size_t, size_t);
static int	art_cmp(const void *, const void *);
static int	sym_cmp(const void *, const void *);
static int	sort_decls(struct kb_bctx *);
static void	check_dups(struct kb_bctx *);
static void	check_refs(struct kb_bctx *);
static void	check_art_refs(struct kb_bctx *, const struct kb_dart *);
static struct kb_dsym *sym_find(const struct kb_bctx *, const char *);
static struct kb_dart *art_find(const struct kb_bctx *, const char *);
static int	build_items(struct kb_bctx *);
static int	build_sym_items(struct kb_bctx *, struct kb_dsym *);
static int	intern(struct kb_bctx *, const struct kb_match *, uint32_t *);
static int	build_pairs(struct kb_bctx *);
static void	add_pair(struct kb_bctx *, uint32_t, uint32_t,
		    const struct kb_dart *, const struct kb_dev *);
static int	pair_cmp(const void *, const void *);
static int	build_refs(struct kb_bctx *);
static int	build_arts(struct kb_bctx *);
static int	build_classes(struct kb *);
static int	build_families(struct kb *);
static int	same_family(const struct kb_match *, const struct kb_match *);
static void	family_weigh(struct kb *, const uint32_t *, size_t,
		    uint32_t *);
static int	curated_covers(const struct kb *, const uint32_t *, size_t,
		    const struct kb_item *);
static int	same_text(const struct kb_match *, const struct kb_match *);
static int	ref_weak(const struct kb *, const uint32_t *, size_t,
		    const struct kb_item *, const struct kb_ref *);
static int	refs_cmp(const struct kb_item *, const struct kb_item *);
static int	class_cmp(const void *, const void *);
static double	kb_weight(enum kb_role, size_t);

/*
 * The weight of one article's use of an item: a base per role, divided
 * by the number of articles using the item, so evidence shared by many
 * articles says little about any one of them.  The only place weights
 * are decided (docs/kb-format.md, "Weights").
 */
static double
kb_weight(enum kb_role role, size_t narticles)
{
	static const double base[KB_ROLE__MAX] = {
		[KB_ROLE_DISCRIMINATING] = 10.0,
		[KB_ROLE_SUPPORTING] = 3.0,
		[KB_ROLE_SYMPTOM] = 1.0,
	};

	if ((unsigned)role >= KB_ROLE__MAX)
		return 0.0;
	return base[role] / (double)(narticles > 0 ? narticles : 1);
}

struct kb *
kb_build(struct kb_draft *d)
{
	struct kb_bctx c;
	int rc = -1, saved;

	memset(&c, 0, sizeof(c));
	c.d = d;
	if (sort_decls(&c) == -1)
		goto out;
	check_dups(&c);
	check_refs(&c);
	if (d->nerr > 0)
		goto out_inval;
	if ((c.kb = calloc(1, sizeof(*c.kb))) == NULL)
		goto out;
	if (build_items(&c) == -1 || build_pairs(&c) == -1 ||
	    build_refs(&c) == -1 || build_arts(&c) == -1 ||
	    build_families(c.kb) == -1 || build_classes(c.kb) == -1)
		goto out;
	if (d->nerr > 0)
		goto out_inval;
	c.kb->rules = d->rules;
	c.kb->nrules = d->nrules;
	d->rules = NULL;
	d->nrules = 0;
	c.kb->files = d->files;
	c.kb->nfiles = d->nfiles;
	d->files = NULL;
	d->nfiles = 0;
	if (kb_dispatch_build(c.kb) == 0)
		rc = 0;
	goto out;
out_inval:
	errno = EINVAL;
out:
	saved = errno;
	free(c.arts);
	free(c.syms);
	free(c.htab);
	free(c.pairs);
	if (rc == -1) {
		kb_free(c.kb);
		c.kb = NULL;
	}
	errno = saved;
	return c.kb;
}

void
kb_draft_free(struct kb_draft *d)
{
	size_t i;

	for (i = 0; i < d->narts; i++)
		free(d->arts[i].ev);
	for (i = 0; i < d->nsyms; i++) {
		free(d->syms[i].m);
		free(d->syms[i].mline);
		free(d->syms[i].mitem);
	}
	for (i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	free(d->arts);
	free(d->syms);
	free(d->rules);
	free(d->files);
	d->arts = NULL;
	d->syms = NULL;
	d->rules = NULL;
	d->files = NULL;
	d->narts = d->nsyms = d->nrules = d->nfiles = 0;
}

/* calloc that never returns NULL for n == 0. */
static void *
alloc_n(size_t n, size_t size)
{
	return calloc(n > 0 ? n : 1, size);
}

/* Checks. */

static int
art_cmp(const void *x, const void *y)
{
	const struct kb_dart *a = *(struct kb_dart *const *)x;
	const struct kb_dart *b = *(struct kb_dart *const *)y;
	int c;

	if ((c = kb_id_cmp(a->a.id, b->a.id)) != 0)
		return c;
	return a < b ? -1 : a > b;	/* declaration order */
}

static int
sym_cmp(const void *x, const void *y)
{
	const struct kb_dsym *a = *(struct kb_dsym *const *)x;
	const struct kb_dsym *b = *(struct kb_dsym *const *)y;
	int c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return a < b ? -1 : a > b;
}

static int
sort_decls(struct kb_bctx *c)
{
	struct kb_draft *d = c->d;
	size_t i;

	if ((c->arts = alloc_n(d->narts, sizeof(*c->arts))) == NULL ||
	    (c->syms = alloc_n(d->nsyms, sizeof(*c->syms))) == NULL)
		return -1;
	for (i = 0; i < d->narts; i++)
		if (!d->arts[i].bad)
			c->arts[c->narts++] = &d->arts[i];
	for (i = 0; i < d->nsyms; i++)
		if (!d->syms[i].bad)
			c->syms[c->nsyms++] = &d->syms[i];
	qsort(c->arts, c->narts, sizeof(*c->arts), art_cmp);
	qsort(c->syms, c->nsyms, sizeof(*c->syms), sym_cmp);
	return 0;
}

static void
check_dups(struct kb_bctx *c)
{
	const struct kb_dart *a, *pa;
	const struct kb_dsym *s, *ps;
	size_t i;

	size_t n;

	/*
	 * The same ID twice is an error, except that an entry of a lower
	 * origin (a draft, a reference entry) gives way to a curated one:
	 * importing an article the KB already carries changes nothing.
	 */
	for (n = 0, i = 0; i < c->narts; i++) {
		a = c->arts[i];
		pa = n > 0 ? c->arts[n - 1] : NULL;
		if (pa == NULL || kb_id_cmp(a->a.id, pa->a.id) != 0) {
			c->arts[n++] = c->arts[i];
			continue;
		}
		if (a->a.origin == pa->a.origin)
			kb_err(c->d, a->a.file, a->line, "duplicate article %s "
			    "(first at %s:%d)", a->a.id, pa->a.file, pa->line);
		else if (a->a.origin < pa->a.origin)
			c->arts[n - 1] = c->arts[i];
	}
	c->narts = n;
	for (i = 1; i < c->nsyms; i++) {
		s = c->syms[i];
		ps = c->syms[i - 1];
		if (strcmp(s->name, ps->name) == 0)
			kb_err(c->d, s->file, s->line, "duplicate symptom %s "
			    "(first at %s:%d)", s->name, ps->file, ps->line);
	}
}

static void
check_refs(struct kb_bctx *c)
{
	size_t i;

	for (i = 0; i < c->d->narts; i++)
		if (!c->d->arts[i].bad)
			check_art_refs(c, &c->d->arts[i]);
}

static void
check_art_refs(struct kb_bctx *c, const struct kb_dart *a)
{
	const char *id;
	size_t i;

	for (i = 0; i < a->nev; i++)
		if (a->ev[i].use && sym_find(c, a->ev[i].symptom) == NULL)
			kb_err(c->d, a->a.file, a->ev[i].line, "undefined "
			    "symptom '%s'", a->ev[i].symptom);
	for (i = 0; i < a->a.nsee_also; i++) {
		id = a->a.see_also[i];
		if (kb_id_cmp(id, a->a.id) == 0)
			kb_err(c->d, a->a.file, a->see_line[i], "see-also "
			    "names the article itself");
		else if (art_find(c, id) == NULL)
			kb_err(c->d, a->a.file, a->see_line[i], "see-also %s: "
			    "no such article in the knowledge base", id);
	}
}

static struct kb_dsym *
sym_find(const struct kb_bctx *c, const char *name)
{
	size_t lo = 0, hi = c->nsyms, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(name, c->syms[mid]->name)) == 0)
			return c->syms[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static struct kb_dart *
art_find(const struct kb_bctx *c, const char *id)
{
	size_t lo = 0, hi = c->narts, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = kb_id_cmp(id, c->arts[mid]->a.id)) == 0)
			return c->arts[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Items. */

/* Shared symptoms first, in file order, then articles by ID. */
static int
build_items(struct kb_bctx *c)
{
	struct kb_draft *d = c->d;
	struct kb_dart *a;
	size_t i, j, cap = 0, hsz = 16;

	for (i = 0; i < d->nsyms; i++)
		cap += d->syms[i].nm;
	for (i = 0; i < c->narts; i++)
		for (j = 0; j < c->arts[i]->nev; j++)
			cap += !c->arts[i]->ev[j].use;
	while (hsz < 2 * cap)
		hsz *= 2;
	if ((c->kb->items = alloc_n(cap, sizeof(*c->kb->items))) == NULL ||
	    (c->htab = alloc_n(hsz, sizeof(*c->htab))) == NULL)
		return -1;
	c->hmask = hsz - 1;
	for (i = 0; i < d->nsyms; i++)
		if (build_sym_items(c, &d->syms[i]) == -1)
			return -1;
	for (i = 0; i < c->narts; i++) {
		a = c->arts[i];
		for (j = 0; j < a->nev; j++)
			if (!a->ev[j].use)
				intern(c, &a->ev[j].match, &a->ev[j].item);
	}
	return 0;
}

static int
build_sym_items(struct kb_bctx *c, struct kb_dsym *s)
{
	struct kb_item *it;
	uint32_t idx;
	size_t k;

	if ((s->mitem = alloc_n(s->nm, sizeof(*s->mitem))) == NULL)
		return -1;
	for (k = 0; k < s->nm; k++) {
		if (!intern(c, &s->m[k], &idx)) {
			it = &c->kb->items[idx];
			kb_err(c->d, s->file, s->mline[k], "same match as an "
			    "earlier one of symptom %s", it->symptom);
			continue;
		}
		it = &c->kb->items[idx];
		span_copy(it->symptom, sizeof(it->symptom),
		    span_cstr(s->name));
		it->implies = s->implies;
		s->mitem[k] = idx;
	}
	return 0;
}

/* The item holding m: 1 if new, 0 if it existed.  Never fails: the
 * arrays were sized for every match. */
static int
intern(struct kb_bctx *c, const struct kb_match *m, uint32_t *idx)
{
	struct kb *kb = c->kb;
	struct kb_item *it;
	size_t h = kb_match_hash(m) & c->hmask;

	for (; c->htab[h] != 0; h = (h + 1) & c->hmask)
		if (kb_match_eq(&kb->items[c->htab[h] - 1].match, m)) {
			*idx = c->htab[h] - 1;
			return 0;
		}
	*idx = (uint32_t)kb->nitems;
	it = &kb->items[kb->nitems++];
	it->index = *idx;
	it->match = *m;
	/* Modifiers belong to each article's ref (build_refs), not here. */
	it->match.absent = it->match.required = it->match.guessed = 0;
	it->match.repeat = 0;
	it->implies = IMS_STATUS_UNKNOWN;
	c->htab[h] = *idx + 1;
	return 1;
}

/* Refs. */

static int
build_pairs(struct kb_bctx *c)
{
	const struct kb_dev *ev;
	const struct kb_dsym *s;
	struct kb_dart *a;
	size_t i, j, k, n = 0;

	for (i = 0; i < c->narts; i++)
		for (j = 0; j < c->arts[i]->nev; j++) {
			ev = &c->arts[i]->ev[j];
			n += ev->use ? sym_find(c, ev->symptom)->nm : 1;
		}
	if ((c->pairs = alloc_n(n, sizeof(*c->pairs))) == NULL ||
	    (c->kb->art_items = alloc_n(n, sizeof(uint32_t))) == NULL)
		return -1;
	for (i = 0; i < c->narts; i++) {
		a = c->arts[i];
		a->a.items = c->kb->art_items + c->npairs;
		for (j = 0; j < a->nev; j++) {
			ev = &a->ev[j];
			if (!ev->use) {
				add_pair(c, ev->item, (uint32_t)i, a, ev);
				continue;
			}
			s = sym_find(c, ev->symptom);
			for (k = 0; k < s->nm; k++)
				add_pair(c, s->mitem[k], (uint32_t)i, a, ev);
		}
		a->a.nitems = (size_t)(c->kb->art_items + c->npairs -
		    a->a.items);
	}
	return 0;
}

static void
add_pair(struct kb_bctx *c, uint32_t item, uint32_t art,
    const struct kb_dart *a, const struct kb_dev *ev)
{
	struct kb_pair *p = &c->pairs[c->npairs];

	p->item = item;
	p->art = art;
	p->seq = (uint32_t)c->npairs;
	p->role = ev->role;
	p->absent = ev->use ? 0 : ev->match.absent;
	p->required = ev->use ? 0 : ev->match.required;
	p->repeat = ev->use ? 0 : ev->match.repeat;
	p->guessed = ev->use ? 0 : ev->match.guessed;
	p->file = a->a.file;
	p->line = ev->line;
	c->kb->art_items[c->npairs++] = item;
}

static int
pair_cmp(const void *x, const void *y)
{
	const struct kb_pair *a = x, *b = y;

	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	if (a->art != b->art)
		return a->art < b->art ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
build_refs(struct kb_bctx *c)
{
	struct kb *kb = c->kb;
	struct kb_pair *p;
	struct kb_ref *r;
	size_t i;

	qsort(c->pairs, c->npairs, sizeof(*c->pairs), pair_cmp);
	if ((kb->refs = alloc_n(c->npairs, sizeof(*kb->refs))) == NULL)
		return -1;
	for (i = 0; i < c->npairs; i++) {
		p = &c->pairs[i];
		if (i > 0 && p->item == p[-1].item && p->art == p[-1].art)
			kb_err(c->d, p->file, p->line, "same evidence as line "
			    "%d of this article", p[-1].line);
		r = &kb->refs[i];
		r->article = p->art;
		r->role = p->role;
		r->absent = p->absent;
		r->required = p->required;
		r->repeat = p->repeat;
		r->guessed = p->guessed;
		r->file = p->file;
		r->line = p->line;
		if (kb->items[p->item].nrefs++ == 0)
			kb->items[p->item].refs = r;
	}
	return 0;	/* weights: build_families(), once origins are known */
}

static int
build_arts(struct kb_bctx *c)
{
	struct kb *kb = c->kb;
	size_t i;

	if ((kb->arts = alloc_n(c->narts, sizeof(*kb->arts))) == NULL)
		return -1;
	for (i = 0; i < c->narts; i++) {
		kb->arts[i] = c->arts[i]->a;
		kb->arts[i].index = (uint32_t)i;
	}
	kb->narts = c->narts;
	return 0;
}

/*
 * Items with the same symptom name and the same refs (articles and
 * roles) are alternatives of one piece of evidence: when one event hits
 * several of them, kb_match() reports only the first.
 */
static int
refs_cmp(const struct kb_item *a, const struct kb_item *b)
{
	size_t i;
	int c;

	if ((c = strcmp(a->symptom, b->symptom)) != 0)
		return c;
	if (a->nrefs != b->nrefs)
		return a->nrefs < b->nrefs ? -1 : 1;
	for (i = 0; i < a->nrefs; i++) {
		if (a->refs[i].article != b->refs[i].article)
			return a->refs[i].article < b->refs[i].article ? -1 : 1;
		if (a->refs[i].role != b->refs[i].role)
			return a->refs[i].role < b->refs[i].role ? -1 : 1;
	}
	return 0;
}

static int
class_cmp(const void *x, const void *y)
{
	const struct kb_item *a = *(const struct kb_item *const *)x;
	const struct kb_item *b = *(const struct kb_item *const *)y;
	int c;

	if ((c = refs_cmp(a, b)) != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int
build_classes(struct kb *kb)
{
	const struct kb_item **v;
	size_t i, first = 0;

	if ((kb->item_class = alloc_n(kb->nitems, sizeof(uint32_t))) == NULL ||
	    (v = alloc_n(kb->nitems, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < kb->nitems; i++)
		v[i] = &kb->items[i];
	qsort(v, kb->nitems, sizeof(*v), class_cmp);
	for (i = 0; i < kb->nitems; i++) {
		if (i > 0 && refs_cmp(v[i - 1], v[i]) != 0)
			first = i;
		kb->item_class[v[i]->index] = v[first]->index;
	}
	free(v);
	return 0;
}

/*
 * Evidence families.  An event is identified by its source, event IDs,
 * log and type (an unset log or type fits any); text patterns and idents
 * only refine it.  Items with the same identity form one family, whose
 * first item names it.  Weights are decided per family and origin:
 *
 * - a curated ref weighs base / (curated articles using the item);
 * - a draft's ref on an event a curated article discriminates is
 *   shadowed: it weighs nothing and never discriminates (the draft is a
 *   candidate, never a rival).  The curated claim covers the draft's
 *   when either has no text pattern or both have the same; a curated
 *   pattern that differs from the draft's is another event;
 * - a draft's shared symptom weighs as one more article using it:
 *   base / (curated articles using the item + drafts using the family);
 * - a draft's supporting ref likewise: base / (curated articles using
 *   the family + drafts using it), so a draft never outweighs curated
 *   entries on evidence they share;
 * - otherwise a draft's ref weighs base / (drafts using the family), so
 *   the same event declared with and without a pattern is no rival item,
 *   and an event curated entries only support can discriminate a draft
 *   (diag.c keeps such a draft from displacing a curated diagnosis);
 * - a reference entry's ref weighs nothing;
 * - a guessed source halves the weight.
 */
static int
same_family(const struct kb_match *a, const struct kb_match *b)
{
	return strcmp(a->source, b->source) == 0 && a->nids == b->nids &&
	    memcmp(a->ids, b->ids, a->nids * sizeof(a->ids[0])) == 0 &&
	    (a->type == b->type || a->type == EVT_TYPE_UNKNOWN ||
	    b->type == EVT_TYPE_UNKNOWN) &&
	    (strcmp(a->log, b->log) == 0 || a->log[0] == '\0' ||
	    b->log[0] == '\0');
}

static int
build_families(struct kb *kb)
{
	uint32_t *fam, *mark;
	size_t i, j, n;

	if ((fam = alloc_n(kb->nitems, sizeof(*fam))) == NULL ||
	    (mark = alloc_n(kb->narts, sizeof(*mark))) == NULL) {
		free(fam);
		return -1;
	}
	for (i = 0; i < kb->nitems; i++) {
		kb->items[i].family = (uint32_t)i;
		for (j = 0; j < i; j++)
			if (same_family(&kb->items[j].match,
			    &kb->items[i].match)) {
				kb->items[i].family = kb->items[j].family;
				break;
			}
	}
	for (i = 0; i < kb->nitems; i++) {
		if (kb->items[i].family != i)
			continue;
		for (n = 0, j = i; j < kb->nitems; j++)
			if (kb->items[j].family == i)
				fam[n++] = (uint32_t)j;
		family_weigh(kb, fam, n, mark);
	}
	free(fam);
	free(mark);
	return 0;
}

/* The weights of every ref on the items fam[0..n) of one family. */
static void
family_weigh(struct kb *kb, const uint32_t *fam, size_t n, uint32_t *mark)
{
	const struct kb_article *a;
	struct kb_item *it;
	struct kb_ref *r;
	size_t i, j, ncur, ngen = 0, ncurfam = 0;

	for (i = 0; i < n; i++) {
		it = &kb->items[fam[i]];
		for (j = 0; j < it->nrefs; j++) {
			a = &kb->arts[it->refs[j].article];
			if (mark[a->index] == fam[0] + 1)
				continue;
			mark[a->index] = fam[0] + 1;
			if (a->origin == KB_ORIGIN_GENERATED)
				ngen++;
			else if (a->origin == KB_ORIGIN_CURATED)
				ncurfam++;
		}
	}
	for (i = 0; i < n; i++) {
		it = &kb->items[fam[i]];
		for (ncur = 0, j = 0; j < it->nrefs; j++)
			ncur += kb->arts[it->refs[j].article].origin ==
			    KB_ORIGIN_CURATED;
		for (j = 0; j < it->nrefs; j++) {
			r = &it->refs[j];
			switch (kb->arts[r->article].origin) {
			case KB_ORIGIN_CURATED:
				r->weight = kb_weight(r->role, ncur);
				break;
			case KB_ORIGIN_GENERATED:
				if (r->role == KB_ROLE_SYMPTOM) {
					r->weight = kb_weight(r->role,
					    ncur + ngen);
					break;
				}
				if (r->role == KB_ROLE_SUPPORTING) {
					r->weight = kb_weight(r->role,
					    ncurfam + ngen);
					break;
				}
				r->shadowed = curated_covers(kb, fam, n, it);
				r->weight = r->shadowed ? 0.0 :
				    kb_weight(r->role, ngen);
				break;
			default:
				r->shadowed = 1;
				r->weight = 0.0;
				break;
			}
			if (r->guessed)
				r->weight /= 2;
			r->weak = ref_weak(kb, fam, n, it, r);
		}
	}
}

/*
 * Does a curated article discriminate the event of item it (of the
 * family fam[0..n))?  Its item covers it when either has no text pattern
 * or both have the same patterns.
 */
static int
curated_covers(const struct kb *kb, const uint32_t *fam, size_t n,
    const struct kb_item *it)
{
	const struct kb_item *o;
	const struct kb_ref *c;
	size_t i, j;

	for (i = 0; i < n; i++) {
		o = &kb->items[fam[i]];
		if (o->match.ngroups > 0 && it->match.ngroups > 0 &&
		    !same_text(&o->match, &it->match))
			continue;
		for (j = 0; j < o->nrefs; j++) {
			c = &o->refs[j];
			if (c->role == KB_ROLE_DISCRIMINATING &&
			    kb->arts[c->article].origin == KB_ORIGIN_CURATED)
				return 1;
		}
	}
	return 0;
}

/* The same text groups, each with the same alternatives in order. */
static int
same_text(const struct kb_match *a, const struct kb_match *b)
{
	size_t g, k;

	if (a->ngroups != b->ngroups)
		return 0;
	for (g = 0; g < a->ngroups; g++) {
		if (a->nalts[g] != b->nalts[g])
			return 0;
		for (k = 0; k < a->nalts[g]; k++)
			if (strcmp(a->text[g][k], b->text[g][k]) != 0)
				return 0;
	}
	return 1;
}

/*
 * An item without a text pattern is weak for an article when another
 * article of the same or a higher origin narrows the same event with one:
 * the event ID alone does not tell the two apart.
 */
static int
ref_weak(const struct kb *kb, const uint32_t *fam, size_t n,
    const struct kb_item *it, const struct kb_ref *r)
{
	const struct kb_item *o;
	size_t i, j;

	if (it->match.ngroups > 0)
		return 0;
	for (i = 0; i < n; i++) {
		o = &kb->items[fam[i]];
		if (o == it || o->match.ngroups == 0)
			continue;
		for (j = 0; j < o->nrefs; j++)
			if (o->refs[j].article != r->article &&
			    kb->arts[o->refs[j].article].origin <=
			    kb->arts[r->article].origin)
				return 1;
	}
	return 0;
}
