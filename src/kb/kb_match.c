/*
 * kb_match: the dispatch index and matching one event.
 *
 * Every (normalised source, event ID) named by an item or a status rule
 * is a key of one open-addressing hash table; source-less matches use the
 * key ("", ID).  An event costs two lookups and then only the candidates
 * under those keys, however many articles the KB holds; an event whose
 * ID no key has (most of a stream) costs one bit test.  Nothing here
 * allocates after load.
 */
#include "kb/kb_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/norm.h"
#include "util/sbuf.h"
#include "util/span.h"

/*
 * The key under which every sourced match is filed a second time, for
 * events that carry an ID but no source: no normalised source is empty
 * or starts with a control byte.
 */
#define KB_ANY_SOURCE	"\001"

/* One (source, ID) -> candidate pair, while building. */
struct kb_tuple {
	const char	*source;
	uint32_t	 index;
	uint16_t	 id;
	uint8_t		 is_status;
};

/* An event being matched; its text is normalised at most once. */
struct kb_mctx {
	const struct evt *ev;
	char		*scratch;
	size_t		 scratchsz;
	size_t		 tlen;
	int		 normed;
	int		 nosource;	/* an ID but no source */
};

static uint32_t	fnv(uint32_t, const void *, size_t);
static uint32_t	slot_hash(const char *, uint16_t);
static int	tuple_cmp(const void *, const void *);
static void	add_tuples(struct kb_tuple *, size_t *, const struct kb_match *,
		    uint32_t, uint8_t);
static int	fill_slots(struct kb *, const struct kb_tuple *, size_t);
static int	ident_build(struct kb *);
static void	ident_scan(const struct kb *, const char *, struct kb_mctx *,
		    struct kb_hits *);
static int	ident_ok(const struct kb_match *, const char *,
		    struct kb_mctx *);
static void	text_norm(struct kb_mctx *);
static const struct kb_slot *slot_find(const struct kb *, const char *,
		    uint16_t);
static void	scan_slot(const struct kb *, const struct kb_slot *,
		    struct kb_mctx *, struct kb_hits *);
static void	try_item(const struct kb *, uint32_t, struct kb_mctx *,
		    struct kb_hits *);
static void	try_status(const struct kb *, uint32_t, struct kb_mctx *,
		    struct kb_hits *);
static void	sort_hits(struct kb_hits *);
static int	rest_ok(const struct kb_match *, struct kb_mctx *);
static int	text_ok(const struct kb_match *, struct kb_mctx *);

static uint32_t
fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

uint32_t
kb_match_hash(const struct kb_match *m)
{
	uint32_t h = 2166136261u, t = (uint32_t)m->type;
	size_t g, a;

	h = fnv(h, m->source, strlen(m->source) + 1);
	h = fnv(h, m->ids, m->nids * sizeof(m->ids[0]));
	h = fnv(h, &t, sizeof(t));
	h = fnv(h, m->log, strlen(m->log) + 1);
	for (g = 0; g < m->ngroups; g++)
		for (a = 0; a < m->nalts[g]; a++)
			h = fnv(h, m->text[g][a], strlen(m->text[g][a]) + 1);
	for (a = 0; a < m->nident; a++)
		h = fnv(h, m->ident[a], strlen(m->ident[a]) + 1);
	return h;
}

/* Equal canonical matches (kb_parse.c sorts IDs and fragments). */
int
kb_match_eq(const struct kb_match *a, const struct kb_match *b)
{
	size_t g, i;

	if (strcmp(a->source, b->source) != 0 || a->nids != b->nids ||
	    memcmp(a->ids, b->ids, a->nids * sizeof(a->ids[0])) != 0 ||
	    a->type != b->type || strcmp(a->log, b->log) != 0 ||
	    a->ngroups != b->ngroups)
		return 0;
	for (g = 0; g < a->ngroups; g++) {
		if (a->nalts[g] != b->nalts[g])
			return 0;
		for (i = 0; i < a->nalts[g]; i++)
			if (strcmp(a->text[g][i], b->text[g][i]) != 0)
				return 0;
	}
	if (a->nident != b->nident)
		return 0;
	for (i = 0; i < a->nident; i++)
		if (strcmp(a->ident[i], b->ident[i]) != 0)
			return 0;
	return 1;
}

/* Dispatch index. */

static uint32_t
slot_hash(const char *source, uint16_t id)
{
	uint32_t h = 2166136261u;

	h = fnv(h, source, strlen(source));
	return fnv(h, &id, sizeof(id));
}

static int
tuple_cmp(const void *x, const void *y)
{
	const struct kb_tuple *a = x, *b = y;
	int c;

	if ((c = strcmp(a->source, b->source)) != 0)
		return c;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (a->is_status != b->is_status)
		return a->is_status < b->is_status ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void
add_tuples(struct kb_tuple *t, size_t *n, const struct kb_match *m,
    uint32_t index, uint8_t is_status)
{
	size_t i;

	for (i = 0; i < m->nids; i++) {
		t[*n].source = m->source;
		t[*n].id = m->ids[i];
		t[*n].index = index;
		t[(*n)++].is_status = is_status;
		if (m->source[0] == '\0')
			continue;
		t[*n].source = KB_ANY_SOURCE;
		t[*n].id = m->ids[i];
		t[*n].index = index;
		t[(*n)++].is_status = is_status;
	}
}

int
kb_dispatch_build(struct kb *kb)
{
	struct kb_tuple *t;
	size_t i, n = 0;
	int rc;

	/* Each ID twice: under its source, and under KB_ANY_SOURCE. */
	for (i = 0; i < kb->nitems; i++)
		n += 2 * kb->items[i].match.nids;
	for (i = 0; i < kb->nrules; i++)
		n += 2 * kb->rules[i].match.nids;
	if ((t = calloc(n > 0 ? n : 1, sizeof(*t))) == NULL)
		return -1;
	n = 0;
	for (i = 0; i < kb->nitems; i++)
		add_tuples(t, &n, &kb->items[i].match, (uint32_t)i, 0);
	for (i = 0; i < kb->nrules; i++)
		add_tuples(t, &n, &kb->rules[i].match, (uint32_t)i, 1);
	qsort(t, n, sizeof(*t), tuple_cmp);
	rc = fill_slots(kb, t, n);
	free(t);
	if (rc == 0)
		rc = ident_build(kb);
	return rc;
}

/* The short lists scanned for events that carry no event ID. */
static int
ident_build(struct kb *kb)
{
	size_t i;

	kb->ident_items = calloc(kb->nitems + 1, sizeof(*kb->ident_items));
	kb->ident_rules = calloc(kb->nrules + 1, sizeof(*kb->ident_rules));
	if (kb->ident_items == NULL || kb->ident_rules == NULL)
		return -1;
	for (i = 0; i < kb->nitems; i++)
		if (kb->items[i].match.nident > 0)
			kb->ident_items[kb->nident_items++] = (uint32_t)i;
	for (i = 0; i < kb->nrules; i++)
		if (kb->rules[i].match.nident > 0)
			kb->ident_rules[kb->nident_rules++] = (uint32_t)i;
	return 0;
}

/* Sorted tuples -> candidate array, one slot per run of equal keys. */
static int
fill_slots(struct kb *kb, const struct kb_tuple *t, size_t n)
{
	struct kb_slot *s;
	size_t i, h, nkeys = 0;

	for (i = 0; i < n; i++)
		nkeys += i == 0 || t[i].id != t[i - 1].id ||
		    strcmp(t[i].source, t[i - 1].source) != 0;
	for (kb->nslots = 8; kb->nslots < 2 * nkeys; kb->nslots *= 2)
		;
	if ((kb->slots = calloc(kb->nslots, sizeof(*kb->slots))) == NULL ||
	    (kb->cands = calloc(n > 0 ? n : 1, sizeof(*kb->cands))) == NULL)
		return -1;
	for (i = 0, s = NULL; i < n; i++) {
		kb->cands[i].index = t[i].index;
		kb->cands[i].is_status = t[i].is_status;
		if (s != NULL && s->id == t[i].id &&
		    strcmp(s->source, t[i].source) == 0) {
			s->n++;
			continue;
		}
		h = slot_hash(t[i].source, t[i].id) & (kb->nslots - 1);
		while (kb->slots[h].source != NULL)
			h = (h + 1) & (kb->nslots - 1);
		s = &kb->slots[h];
		s->source = t[i].source;
		s->id = t[i].id;
		s->first = (uint32_t)i;
		s->n = 1;
		kb->id_known[t[i].id >> 3] |= (uint8_t)(1u << (t[i].id & 7));
	}
	kb->ncands = n;
	return 0;
}

/* The table is at most half full, so the probe always ends. */
static const struct kb_slot *
slot_find(const struct kb *kb, const char *source, uint16_t id)
{
	const struct kb_slot *s;
	size_t h = slot_hash(source, id) & (kb->nslots - 1);

	for (;; h = (h + 1) & (kb->nslots - 1)) {
		s = &kb->slots[h];
		if (s->source == NULL)
			return NULL;
		if (s->id == id && strcmp(s->source, source) == 0)
			return s;
	}
}

/* Matching. */

size_t
kb_match(const struct kb *kb, const struct evt *ev, struct kb_hits *h,
    char *scratch, size_t scratchsz)
{
	/* One byte more than any KB source: a longer one matches none. */
	char src[NORM_SOURCE_MAX + 1];
	const struct kb_slot *s;
	struct kb_mctx mc = { ev, scratch, scratchsz, 0, 0, 0 };
	uint16_t id;

	h->nitem = h->nstatus = 0;
	h->dispatched = 0;
	if (kb == NULL || ev == NULL || ev->event_id > 65535)
		return 0;
	if (ev->event_id < 0) {
		/* No event ID: only the 'ident' lists can say what it is. */
		if (kb->nident_items + kb->nident_rules == 0)
			return 0;
		norm_source(src, sizeof(src), ev->source);
		ident_scan(kb, src, &mc, h);
		sort_hits(h);
		return h->nitem + h->nstatus;
	}
	id = (uint16_t)ev->event_id;
	if ((kb->id_known[id >> 3] & (1u << (id & 7))) == 0)
		return 0;	/* no key has this ID: nothing to look up */
	if (norm_source(src, sizeof(src), ev->source) > 0) {
		if ((s = slot_find(kb, src, id)) != NULL)
			scan_slot(kb, s, &mc, h);
	} else if ((s = slot_find(kb, KB_ANY_SOURCE, id)) != NULL) {
		/*
		 * An ID but no source (NXLog raw_event): any source's item
		 * with that ID, but where the item has 'ident', its words
		 * must be there too, since the ID alone is not unique.
		 */
		mc.nosource = 1;
		scan_slot(kb, s, &mc, h);
	}
	if ((s = slot_find(kb, "", id)) != NULL)
		scan_slot(kb, s, &mc, h);
	sort_hits(h);
	return h->nitem + h->nstatus;
}

static void
scan_slot(const struct kb *kb, const struct kb_slot *s, struct kb_mctx *mc,
    struct kb_hits *h)
{
	const struct kb_cand *c;
	size_t i;

	for (i = 0; i < s->n; i++) {
		c = &kb->cands[s->first + i];
		h->dispatched = 1;
		if (c->is_status)
			try_status(kb, c->index, mc, h);
		else
			try_item(kb, c->index, mc, h);
	}
}

/* An item whose alternative already hit this event adds nothing. */
static void
try_item(const struct kb *kb, uint32_t i, struct kb_mctx *mc,
    struct kb_hits *h)
{
	size_t k;

	for (k = 0; k < h->nitem; k++)
		if (kb->item_class[h->item[k]->index] == kb->item_class[i])
			return;
	if (h->nitem < KB_HITS_MAX && rest_ok(&kb->items[i].match, mc))
		h->item[h->nitem++] = &kb->items[i];
}

/* One rule per status is enough to say what the event means. */
static void
try_status(const struct kb *kb, uint32_t i, struct kb_mctx *mc,
    struct kb_hits *h)
{
	size_t k;

	for (k = 0; k < h->nstatus; k++)
		if (h->status[k]->status == kb->rules[i].status)
			return;
	if (h->nstatus < KB_HITS_MAX && rest_ok(&kb->rules[i].match, mc))
		h->status[h->nstatus++] = &kb->rules[i];
}

/* Items by index, so the order of hits does not depend on the source. */
static void
sort_hits(struct kb_hits *h)
{
	const struct kb_item *t;
	size_t i, j;

	for (i = 1; i < h->nitem; i++)
		for (j = i; j > 0 && h->item[j - 1]->index > h->item[j]->index;
		    j--) {
			t = h->item[j];
			h->item[j] = h->item[j - 1];
			h->item[j - 1] = t;
		}
}

/*
 * Type, log and text; source and ID are the dispatcher's.  A type or log
 * the event does not carry (evtsys sends no log name) is not held against
 * it: the source, ID and text still have to match.
 */
static int
rest_ok(const struct kb_match *m, struct kb_mctx *mc)
{
	const struct evt *ev = mc->ev;

	if (m->type != EVT_TYPE_UNKNOWN && ev->type != EVT_TYPE_UNKNOWN &&
	    ev->type != m->type)
		return 0;
	if (m->log[0] != '\0' && span_trim(ev->log).n > 0 &&
	    !span_eq_nocase(span_trim(ev->log), m->log))
		return 0;
	if (mc->nosource && m->source[0] != '\0' && m->nident > 0 &&
	    !ident_ok(m, "", mc))
		return 0;
	return text_ok(m, mc);
}

static void
text_norm(struct kb_mctx *mc)
{
	if (mc->normed)
		return;
	mc->tlen = 0;
	if (mc->scratch != NULL && mc->scratchsz > 0)
		mc->tlen = norm_text(mc->scratch, mc->scratchsz, mc->ev->text);
	mc->normed = 1;
}

/*
 * An event without an ID: each item or rule with 'ident' is a candidate.
 * Its source must agree when both sides name one (Adiscon's default and
 * NTsyslog's classic form send none); one of its ident fragments must
 * occur in the text; type, log and text then as usual.
 */
static void
ident_scan(const struct kb *kb, const char *src, struct kb_mctx *mc,
    struct kb_hits *h)
{
	size_t i;

	for (i = 0; i < kb->nident_items; i++)
		if (ident_ok(&kb->items[kb->ident_items[i]].match, src, mc))
			try_item(kb, kb->ident_items[i], mc, h);
	for (i = 0; i < kb->nident_rules; i++)
		if (ident_ok(&kb->rules[kb->ident_rules[i]].match, src, mc))
			try_status(kb, kb->ident_rules[i], mc, h);
}

static int
ident_ok(const struct kb_match *m, const char *src, struct kb_mctx *mc)
{
	struct span t;
	size_t a;

	if (m->source[0] != '\0' && src[0] != '\0' &&
	    strcmp(m->source, src) != 0)
		return 0;
	text_norm(mc);
	t = span_make(mc->scratch, mc->tlen);
	for (a = 0; a < m->nident; a++)
		if (span_find(t, m->ident[a]) >= 0)
			return 1;
	return 0;
}

static int
text_ok(const struct kb_match *m, struct kb_mctx *mc)
{
	struct span t;
	size_t g, a;

	if (m->ngroups == 0)
		return 1;
	text_norm(mc);
	t = span_make(mc->scratch, mc->tlen);
	for (g = 0; g < m->ngroups; g++) {
		for (a = 0; a < m->nalts[g]; a++)
			if (span_find(t, m->text[g][a]) >= 0)
				break;
		if (a == m->nalts[g])
			return 0;
	}
	return 1;
}

/*
 * *normed, when not NULL, says scratch already holds the event's
 * normalised text; it is set when this call normalises it.
 */
int
kb_match_one(const struct kb_match *m, const struct evt *ev, char *scratch,
    size_t scratchsz, int *normed)
{
	char src[NORM_SOURCE_MAX + 1];
	struct kb_mctx mc = { ev, scratch, scratchsz, 0, 0, 0 };
	size_t i;
	int ok;

	if (ev->event_id > 65535 || (ev->event_id < 0 && m->nident == 0))
		return 0;
	norm_source(src, sizeof(src), ev->source);
	if (normed != NULL && *normed && scratch != NULL && scratchsz > 0) {
		mc.normed = 1;
		mc.tlen = strnlen(scratch, scratchsz);
	}
	if (ev->event_id < 0) {
		ok = ident_ok(m, src, &mc) && rest_ok(m, &mc);
		goto out;
	}
	if (m->source[0] != '\0' && src[0] != '\0' &&
	    strcmp(src, m->source) != 0)
		return 0;
	mc.nosource = src[0] == '\0';
	for (i = 0; i < m->nids; i++)
		if (m->ids[i] == (uint16_t)ev->event_id)
			break;
	if (i == m->nids)
		return 0;
	ok = rest_ok(m, &mc);
out:
	if (normed != NULL && mc.normed)
		*normed = 1;
	return ok;
}

/*
 * One line: `msexchangeimc 4143 type=error log=application
 * text~("a"|"b") text~"c"`; "*" for any source.  0, or -1 and EMSGSIZE
 * when the line was cut to fit.
 */
int
kb_match_format(const struct kb_match *m, char *buf, size_t sz)
{
	struct sbuf o;
	size_t i, g;

	sbuf_init(&o, buf, sz);
	if (m->source[0] == '\0')
		sbuf_str(&o, "*");
	else
		sbuf_printf(&o, strchr(m->source, ' ') ? "\"%s\"" : "%s",
		    m->source_name[0] ? m->source_name : m->source);
	for (i = 0; i < m->nids; i++)
		sbuf_printf(&o, "%c%u", i ? ',' : ' ', m->ids[i]);
	if (m->type != EVT_TYPE_UNKNOWN)
		sbuf_printf(&o, " type=%s", evt_type_name(m->type));
	if (m->log[0] != '\0')
		sbuf_printf(&o, " log=%s", m->log);
	for (g = 0; g < m->ngroups; g++) {
		sbuf_str(&o, m->nalts[g] > 1 ? " text~(" : " text~");
		for (i = 0; i < m->nalts[g]; i++)
			sbuf_printf(&o, "%s\"%s\"", i ? "|" : "",
			    m->text[g][i]);
		if (m->nalts[g] > 1)
			sbuf_str(&o, ")");
	}
	if (o.sb_cut) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/* Linear: used when a new KB replaces an old one, not per event. */
const struct kb_item *
kb_item_find(const struct kb *kb, const struct kb_match *m)
{
	size_t i;

	for (i = 0; i < kb_nitems(kb); i++)
		if (kb_match_eq(&kb_item(kb, i)->match, m))
			return kb_item(kb, i);
	return NULL;
}
