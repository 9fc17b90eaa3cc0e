/*
 * kb_infer: an event that arrived without its event ID, recognised from
 * its description.  Which declared event of its source (of any source,
 * when the record names none) does the text match?  The KB's 'ident'
 * wording says (docs/kb-format.md): an item or status rule with ident
 * fragments is a declared event that can be recognised so; one without
 * cannot, and kb check says which those are.
 *
 * Only the short list of matches with ident is looked at, and the text is
 * normalised once, only when the record's source (if it names one) is a
 * source some ident belongs to.
 */
#include "kb/kb_int.h"

#include <string.h>

#include "util/norm.h"
#include "util/span.h"

struct infer_ctx {
	const struct evt *ev;
	const char	*src;		/* normalised; "" if none */
	char		*scratch;
	size_t		 scratchsz;
	struct span	 text;		/* normalised, once needed */
	int		 normed;
	int		 found;		/* 0 none, 1 one event, -1 several */
	struct kb_inferred out;
};

static int	infer_source_ok(const struct kb_match *, const char *);
static void	infer_try(struct infer_ctx *, const struct kb_match *);
static int	infer_worded(const struct kb *, const struct kb_match *);

/* Both name a source: they must agree.  Either names none: any. */
static int
infer_source_ok(const struct kb_match *m, const char *src)
{
	return m->source[0] == '\0' || src[0] == '\0' ||
	    strcmp(m->source, src) == 0;
}

static void
infer_try(struct infer_ctx *c, const struct kb_match *m)
{
	size_t a;

	if (m->nids == 0 || !infer_source_ok(m, c->src))
		return;
	if (!c->normed) {
		c->text = span_make(c->scratch, norm_text(c->scratch,
		    c->scratchsz, c->ev->text));
		c->normed = 1;
	}
	for (a = 0; a < m->nident; a++)
		if (span_find(c->text, m->ident[a]) >= 0)
			break;
	if (a == m->nident)
		return;
	/*
	 * Several IDs under one wording ("failed to start" for 7000, 7023
	 * and 7024), or two events whose wording both occur: the text says
	 * which item, not which ID.  Then nothing is inferred and the
	 * matcher goes by the wording alone.
	 */
	if (m->nids > 1 || (c->found == 1 && (c->out.id != m->ids[0] ||
	    strcmp(c->out.source, m->source) != 0))) {
		c->found = -1;
		return;
	}
	if (c->found == 0) {
		c->found = 1;
		c->out.id = m->ids[0];
		c->out.source = m->source;
		c->out.source_name = m->source_name[0] ? m->source_name :
		    m->source;
		c->out.match = m;
	}
}

int
kb_infer(const struct kb *kb, const struct evt *ev, char *scratch,
    size_t scratchsz, struct kb_inferred *out)
{
	char src[NORM_SOURCE_MAX + 1];
	struct infer_ctx c;
	size_t i;

	if (kb == NULL || ev == NULL || ev->event_id >= 0 || scratch == NULL ||
	    scratchsz == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	norm_source(src, sizeof(src), ev->source);
	c.ev = ev;
	c.src = src;
	c.scratch = scratch;
	c.scratchsz = scratchsz;
	for (i = 0; i < kb->nident_items && c.found >= 0; i++)
		infer_try(&c, &kb->items[kb->ident_items[i]].match);
	for (i = 0; i < kb->nident_rules && c.found >= 0; i++)
		infer_try(&c, &kb->rules[kb->ident_rules[i]].match);
	if (c.found != 1)
		return 0;
	*out = c.out;
	return 1;
}

/*
 * Another match of the same source and ID carries the wording: an ID-less
 * record of that event is recognised through it, and then this one is
 * checked against the inferred ID like any other.
 */
static int
infer_worded(const struct kb *kb, const struct kb_match *m)
{
	const struct kb_match *o;
	size_t i, k;

	if (m->nident > 0)
		return 1;
	for (i = 0; i < kb->nident_items + kb->nident_rules; i++) {
		o = i < kb->nident_items ?
		    &kb->items[kb->ident_items[i]].match :
		    &kb->rules[kb->ident_rules[i - kb->nident_items]].match;
		if (o->nids != 1 || strcmp(o->source, m->source) != 0)
			continue;
		for (k = 0; k < m->nids; k++)
			if (m->ids[k] == o->ids[0])
				return 1;
	}
	return 0;
}

size_t
kb_infer_unworded(const struct kb *kb, kb_unworded_fn *fn, void *arg)
{
	const struct kb_item *it;
	size_t i, n = 0;

	for (i = 0; i < kb->nitems; i++) {
		it = &kb->items[i];
		if (it->match.nids == 0 || infer_worded(kb, &it->match))
			continue;
		n++;
		if (fn != NULL)
			fn(arg, &it->match, it->nrefs > 0 ? it->refs[0].file :
			    "", it->nrefs > 0 ? it->refs[0].line : 0);
	}
	for (i = 0; i < kb->nrules; i++) {
		if (kb->rules[i].match.nids == 0 ||
		    infer_worded(kb, &kb->rules[i].match))
			continue;
		n++;
		if (fn != NULL)
			fn(arg, &kb->rules[i].match, kb->rules[i].file,
			    kb->rules[i].line);
	}
	return n;
}
