/*
 * kbimport_scan: event extraction from the text: event blocks and their
 * labelled fields become records, prose paragraphs give events named in
 * passing and start-failure errors.  docs/kb-import.md, "Event blocks".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbimport_int.h"
#include "util/norm.h"
#include "util/span.h"

/* Labels of an event block; longest first. */
static const struct {
	const char	*name;
	int		 what;
} kbi_labels[] = {
	{ "event source", 's' }, { "event type", 't' },
	{ "event category", 'c' }, { "event id", 'i' }, { "eventid", 'i' },
	{ "data (words)", 'x' }, { "description", 'd' }, { "category", 'c' },
	{ "computer", 'z' }, { "source", 's' }, { "type", 't' },
	{ "date", 'z' }, { "time", 'z' }, { "user", 'z' }, { "data", 'x' },
};

static int	label_at(struct span, size_t *);
static int	cue_label(struct span *);
static int	cue_start(struct span, int, uint32_t *, struct span *);
static int	cue_alone(struct span);
static void	rec_open(struct kbi_scan *, enum kbimport_sect);
static void	rec_close(struct kbi_scan *);
static void	rec_desc(struct kbi_scan *, struct span);
static void	copy_field(char *, size_t, struct span);
static void	rec_rest(struct kbi_scan *, struct span);
static int	field_line(struct kbi_scan *, struct span, int);
static void	scan_blank(struct kbi_scan *);
static void	scan_cue(struct kbi_scan *, enum kbimport_sect, int, uint32_t,
		    struct span);
static int	scan_block(struct kbi_scan *, enum kbimport_sect, struct span,
		    int);
static void	scan_line(struct kbi_scan *, const struct kbi_line *);
static void	para_add(struct kbi_scan *, struct span, int,
		    enum kbimport_sect);
static void	para_mentions(struct kbi_scan *, struct span, int, int);
static void	para_codes(struct kbi_scan *, struct span, int);
static void	code_add(struct kbi_scan *, uint32_t, enum kbimport_sect);
static void	para_end(struct kbi_scan *);
static int	source_word(const struct kbi_scan *, struct span);
static void	rec_known(struct kbi_scan *, struct kbi_rec *);

/* Is there a label at the front of s?  Its kind, *len its length. */
static int
label_at(struct span s, size_t *len)
{
	size_t k, n;

	for (k = 0; k < sizeof(kbi_labels) / sizeof(kbi_labels[0]); k++) {
		n = strlen(kbi_labels[k].name);
		if (!span_starts_nocase(s, kbi_labels[k].name))
			continue;
		if (n < s.n && (kbi_is_alpha(s.p[n]) || s.p[n] == '(' ||
		    s.p[n] == '.'))
			continue;
		*len = n;
		return kbi_labels[k].what;
	}
	return 0;
}

/* Eat the "event id" spellings: "Event ID", "EventID", "Event id", ... */
static int
cue_label(struct span *s)
{
	static const char *const cues[] = {
		"event id", "eventid", "event-id", "event #", "event",
	};
	struct span t;
	size_t k;

	for (k = 0; k < sizeof(cues) / sizeof(cues[0]); k++) {
		if (!span_starts_nocase(*s, cues[k]))
			continue;
		t = span_make(s->p + strlen(cues[k]), s->n - strlen(cues[k]));
		if (t.n > 0 && kbi_is_alpha(t.p[0]))
			continue;
		*s = t;
		return 0;
	}
	return -1;
}

/*
 * Does an event block start at the front of s?  "Event ID: 4018",
 * "Event id 4143", "EventID 4058", "Event ID - 4122", "Event ID=4003 ...",
 * "Event: 4182"; and "4007: MSExchangeIMC" (an ID, then the source).
 * With bare set (a block whose source came first), "2026 - text" too.
 */
static int
cue_start(struct span s, int bare, uint32_t *id, struct span *rest)
{
	struct span t = s, w;
	size_t n;

	if (cue_label(&t) == 0) {
		span_skip_spaces(&t);
		if (t.n > 0 && (t.p[0] == ':' || t.p[0] == '=' ||
		    t.p[0] == '-' || t.p[0] == '#')) {
			t.p++;
			t.n--;
			span_skip_spaces(&t);
		}
		if (kbi_id_take_num(&t, id) == 0) {
			*rest = t;
			return 1;
		}
		return 0;
	}
	t = s;
	if (!kbi_is_digit(s.p[0]) || kbi_id_take_num(&t, id) == -1 ||
	    s.n - t.n < 3)
		return 0;
	if (span_expect(&t, ":") == 0) {
		span_skip_spaces(&t);
		w = t;
		for (n = 0; n < w.n && w.p[n] != ' ' && w.p[n] != '\t'; n++)
			;
		w.n = n;
		if (span_starts_nocase(w, "msexchange") ||
		    span_eq_nocase(w, "drwatson") ||
		    span_eq_nocase(w, "ese97") ||
		    span_eq_nocase(w, "clussvc") ||
		    (bare && t.n > 0)) {
			*rest = t;
			return 2;
		}
		return 0;
	}
	if (bare) {
		span_skip_spaces(&t);
		if (span_expect(&t, "-") == 0) {
			*rest = span_trim(t);
			return 3;
		}
	}
	return 0;
}

/* Does an event ID end its line, or is it followed by a label? */
static int
cue_alone(struct span rest)
{
	size_t n;

	rest = span_trim(rest);
	return rest.n == 0 || rest.p[0] == '-' || label_at(rest, &n) != 0;
}

static void
rec_open(struct kbi_scan *sc, enum kbimport_sect sect)
{
	if (sc->cur_open)
		rec_close(sc);
	memset(&sc->cur, 0, sizeof(sc->cur));
	sc->cur.sect = sect;
	sc->cur.ctx_ims = sc->last_para_ims;
	sc->cur.ctx_other = sc->last_para_other;
	sc->cur_open = 1;
	sc->cur_desc = sc->cur_blank = sc->cur_data = 0;
}

static void
rec_close(struct kbi_scan *sc)
{
	struct kbi_rec *r = &sc->cur;

	if (!sc->cur_open)
		return;
	sc->cur_open = 0;
	if (!r->has_id)
		return;
	rec_known(sc, r);
	if (r->sect == KBIMPORT_SECT_SYMPTOMS ||
	    r->sect == KBIMPORT_SECT_SUMMARY) {
		char src[KBIMPORT_SOURCE_MAX];

		kbi_says(sc, r->desc);
		kbi_source_canon(src, sizeof(src), r->source);
		if (strcmp(src, SRC_IMC) == 0 && kbi_no_connect(r->desc))
			sc->says_refuse = 1;
	}
	if (sc->nrecs < KBI_RECS_MAX)
		sc->recs[sc->nrecs++] = *r;
}

static void
rec_desc(struct kbi_scan *sc, struct span s)
{
	struct kbi_rec *r = &sc->cur;

	s = span_trim(s);
	while (s.n > 0 && (s.p[0] == '.' || s.p[0] == '-' ||
	    s.p[0] == ':'))
		s = span_trim(span_make(s.p + 1, s.n - 1));
	if (s.n == 0)
		return;
	if (r->ndesc > 0 && r->ndesc + 1 < sizeof(r->desc))
		r->desc[r->ndesc++] = ' ';
	r->ndesc += span_copy(r->desc + r->ndesc, sizeof(r->desc) - r->ndesc,
	    s);
	sc->cur_desc = 1;
}

/* A field value, trimmed and cut to the field's size. */
static void
copy_field(char *dst, size_t dstsz, struct span v)
{
	span_copy(dst, dstsz, span_trim(v));
}

/*
 * What follows the ID on a block's first line: a label ("- Source:
 * MSExchangeIMC"), "from SOURCE", columns ("MSExchangeIMC   Message
 * Transfer"), or the start of the description.
 */
static void
rec_rest(struct kbi_scan *sc, struct span t)
{
	struct kbi_rec *r = &sc->cur;
	ssize_t k;
	size_t n;

	t = span_trim(t);
	while (t.n > 0 && (t.p[0] == '-' || t.p[0] == ':' || t.p[0] == ','))
		t = span_trim(span_make(t.p + 1, t.n - 1));
	if (t.n == 0)
		return;
	if (label_at(t, &n) != 0) {
		field_line(sc, t, 1);
		return;
	}
	if (span_starts_nocase(t, "from ")) {
		struct span v = span_trim(span_make(t.p + 5, t.n - 5));
		size_t words = 1;

		for (n = 0; n < v.n; n++)
			if (v.p[n] == ' ')
				words++;
		if (words <= 3) {
			copy_field(r->source, sizeof(r->source), v);
			return;
		}
	}
	if ((k = span_find(t, "  ")) > 0) {
		struct span c1 = span_make(t.p, (size_t)k), c2;

		if (span_find_byte(c1, ' ') == -1 && kbi_is_alpha(c1.p[0])) {
			copy_field(r->source, sizeof(r->source), c1);
			c2 = span_trim(span_make(t.p + k, t.n - (size_t)k));
			copy_field(r->category, sizeof(r->category), c2);
			return;
		}
	}
	rec_desc(sc, t);
}

/*
 * A line of labelled fields: "Source: X", "Type Error", "Time: <time>
 * Source: X" (two columns), "Type: Error Category: Field Engineering".
 * Returns 0 if t does not start with a label.
 */
static int
field_line(struct kbi_scan *sc, struct span t, int depth)
{
	struct kbi_rec *r = &sc->cur;
	struct span v, next = SPAN_NULL;
	size_t n, i, ln;
	uint32_t id;
	int what;

	if ((what = label_at(t, &n)) == 0 || depth > 4)
		return 0;
	v = span_make(t.p + n, t.n - n);
	span_skip_spaces(&v);
	if (v.n > 0 && (v.p[0] == ':' || v.p[0] == '=' || v.p[0] == '-')) {
		v.p++;
		v.n--;
	}
	span_skip_spaces(&v);
	/* The value ends where another label starts. */
	for (i = 1; i < v.n; i++) {
		struct span w = span_make(v.p + i, v.n - i);

		if (v.p[i - 1] != ' ' || label_at(w, &ln) == 0)
			continue;
		if ((i >= 2 && v.p[i - 2] == ' ') || (ln < w.n &&
		    w.p[ln] == ':')) {
			next = w;
			v.n = i;
			break;
		}
	}
	switch (what) {
	case 's':
		for (i = 0; i < v.n && v.p[i] != ':'; i++)
			;
		copy_field(r->source, sizeof(r->source), span_make(v.p, i));
		if (i < v.n && next.n == 0) {
			/* "Source: MSExchangeMTA: EventId: 2026" */
			next = span_trim(span_make(v.p + i + 1, v.n - i - 1));
		}
		break;
	case 't':
		copy_field(r->type, sizeof(r->type), v);
		break;
	case 'c':
		copy_field(r->category, sizeof(r->category), v);
		break;
	case 'd':
		sc->cur_data = 0;
		rec_desc(sc, v);
		sc->cur_desc = 1;
		break;
	case 'i':
		v = span_trim(v);
		if (kbi_id_take_num(&v, &id) == 0) {
			if (r->has_id) {
				rec_open(sc, r->sect);
				r = &sc->cur;
			}
			r->id = id;
			r->has_id = 1;
		}
		break;
	case 'x':
		sc->cur_data = 1;
		sc->cur_desc = 0;
		break;
	default:
		r->has_date = 1;
		break;
	}
	if (next.n > 0)
		field_line(sc, next, depth + 1);
	return 1;
}

static void
scan_blank(struct kbi_scan *sc)
{
	if (sc->cur_open) {
		/* One blank line may separate a block from its description. */
		if (sc->cur.has_id && sc->cur.ndesc == 0 && !sc->cur_blank &&
		    !sc->cur_data) {
			sc->cur_blank = 1;
			return;
		}
		rec_close(sc);
	}
	para_end(sc);
}

/* A line that starts an event block (kind k of cue_start()). */
static void
scan_cue(struct kbi_scan *sc, enum kbimport_sect sect, int k, uint32_t id,
    struct span rest)
{
	size_t n;

	para_end(sc);
	if (!sc->cur_open || sc->cur.has_id)
		rec_open(sc, sect);
	sc->cur.id = id;
	sc->cur.has_id = 1;
	if (k == 2) {
		/* "4007: MSExchangeIMC": the source, maybe text after it. */
		for (n = 0; n < rest.n && rest.p[n] != ' '; n++)
			;
		copy_field(sc->cur.source, sizeof(sc->cur.source),
		    span_make(rest.p, n));
		rec_desc(sc, span_make(rest.p + n, rest.n - n));
	} else if (k == 3) {
		rec_desc(sc, rest);
	} else {
		rec_rest(sc, rest);
	}
}

/* A line inside an open block: 1 if it belongs to it, else it is closed. */
static int
scan_block(struct kbi_scan *sc, enum kbimport_sect sect, struct span t,
    int quoted)
{
	size_t n;

	if (sc->cur.has_date && sc->cur.has_id && sc->cur.ndesc > 0 &&
	    label_at(t, &n) == 'z')
		rec_open(sc, sect);	/* the next two-column block */
	if (field_line(sc, t, 0))
		return 1;
	/* "Event ID - 4122" then the source alone on its line. */
	if (sc->cur.has_id && sc->cur.source[0] == '\0' &&
	    sc->cur.ndesc == 0 && source_word(sc, t)) {
		copy_field(sc->cur.source, sizeof(sc->cur.source), t);
		return 1;
	}
	if (sc->cur_data)
		return 1;		/* "0000: 0001037f 80004005" */
	if (quoted || sc->cur_desc) {
		rec_desc(sc, t);
		return 1;
	}
	rec_close(sc);
	return 0;
}

static void
scan_line(struct kbi_scan *sc, const struct kbi_line *ln)
{
	struct span t = ln->s, rest;
	int quoted = ln->indent >= 2, bullet = 0, k;
	uint32_t id;
	size_t n;

	if (t.n == 0) {
		sc->in_ref = 0;
		scan_blank(sc);
		return;
	}
	/*
	 * A reference to another article, with its title's wrapped lines:
	 * "Q157042 Event ID 4018 if IMC Started Without Private IS".
	 */
	if (sc->in_ref || (t.p[0] == 'Q' && t.n > 6 && kbi_is_digit(t.p[1]) &&
	    kbi_is_digit(t.p[5]))) {
		if (sc->cur_open)
			rec_close(sc);
		para_end(sc);
		sc->in_ref = 1;
		return;
	}
	if (span_eq_nocase(t, "-and-") || span_eq_nocase(t, "-or-")) {
		scan_blank(sc);
		return;
	}
	if (t.n > 1 && t.p[0] == '-' && (t.p[1] == ' ' || t.p[1] == '\t')) {
		t = span_trim(span_make(t.p + 1, t.n - 1));
		bullet = 1;
	}
	k = cue_start(t, sc->cur_open && !sc->cur.has_id, &id, &rest);
	/* In running prose, "Event ID 3016 from the ..." is a mention. */
	if (k == 1 && !quoted && !bullet && !cue_alone(rest))
		k = 0;
	if (k != 0) {
		scan_cue(sc, ln->sect, k, id, rest);
		return;
	}
	if (sc->cur_open) {
		if (scan_block(sc, ln->sect, t, quoted))
			return;
	} else if (quoted && ((k = label_at(t, &n)) == 's' || k == 't' ||
	    k == 'z' || k == 'c')) {
		para_end(sc);
		rec_open(sc, ln->sect);
		field_line(sc, t, 0);
		return;
	}
	para_add(sc, t, quoted, ln->sect);
}

static void
para_add(struct kbi_scan *sc, struct span t, int quoted,
    enum kbimport_sect sect)
{
	struct span e = t;
	uint32_t code;

	if (sc->npara == 0) {
		sc->para_quoted = quoted;
		sc->para_sect = sect;
	} else if (sc->npara + 1 < sizeof(sc->para)) {
		sc->para[sc->npara++] = ' ';
	}
	sc->npara += span_copy(sc->para + sc->npara,
	    sizeof(sc->para) - sc->npara, t);
	/* A quoted message box: "Error 2140: An internal ..." */
	if ((sect == KBIMPORT_SECT_SYMPTOMS || sect == KBIMPORT_SECT_SUMMARY)
	    && span_starts_nocase(e, "error ")) {
		e = span_make(e.p + 6, e.n - 6);
		if (span_u32(&e, 5, 65535, &code) == 0 && code >= 100 &&
		    (e.n == 0 || e.p[0] == ':' || e.p[0] == ' '))
			code_add(sc, code, sect);
	}
}

/* Names of events in passing: "Event ID 4072", "Event IDs 2124 and 1097". */
static void
para_mentions(struct kbi_scan *sc, struct span p, int ims, int other)
{
	static const char *const cues[] = {
		"event id", "eventid", "event log error", "event ", "ids ",
	};
	struct span t;
	uint32_t id;
	size_t i, k, c;

	for (i = 0; i < p.n; i++) {
		if (i > 0 && kbi_is_alpha(p.p[i - 1]))
			continue;
		t = span_make(p.p + i, p.n - i);
		for (c = 0; c < sizeof(cues) / sizeof(cues[0]); c++)
			if (span_starts_nocase(t, cues[c]))
				break;
		if (c == sizeof(cues) / sizeof(cues[0]))
			continue;
		t = span_make(t.p + strlen(cues[c]), t.n - strlen(cues[c]));
		if (t.n > 0 && (t.p[0] == 's' || t.p[0] == 'S'))
			t = span_make(t.p + 1, t.n - 1);	/* IDs */
		for (;;) {
			while (t.n > 0 && (t.p[0] == ' ' || t.p[0] == ':' ||
			    t.p[0] == '=' || t.p[0] == ',' || t.p[0] == '&'))
				t = span_make(t.p + 1, t.n - 1);
			if (span_starts_nocase(t, "and "))
				t = span_make(t.p + 4, t.n - 4);
			else if (span_starts_nocase(t, "or "))
				t = span_make(t.p + 3, t.n - 3);
			span_skip_spaces(&t);
			if (kbi_id_take_num(&t, &id) == -1 || id < 100)
				break;
			if (id == 2140) {
				code_add(sc, 2140, sc->para_sect);
			} else if (sc->nrecs < KBI_RECS_MAX) {
				struct kbi_rec *r = &sc->recs[sc->nrecs++];

				memset(r, 0, sizeof(*r));
				r->sect = sc->para_sect;
				r->id = id;
				r->has_id = 1;
				r->mention = 1;
				r->ctx_ims = ims;
				r->ctx_other = other;
			}
			k = 0;
			while (k < t.n && t.p[k] == ' ')
				k++;
			t = span_make(t.p + k, t.n - k);
			if (!(t.n > 0 && (t.p[0] == ',' || t.p[0] == '&' ||
			    span_starts_nocase(t, "and ") ||
			    span_starts_nocase(t, "or "))))
				break;
			if (span_starts_nocase(t, "and "))
				t = span_make(t.p + 4, t.n - 4);
			else if (span_starts_nocase(t, "or "))
				t = span_make(t.p + 3, t.n - 3);
			/* "and Event ID 100": a new cue does it. */
			if (span_starts_nocase(span_trim(t), "event"))
				break;
		}
		i += strlen(cues[c]) - 1;
	}
}

/* "... there may be an error 2140." in the article's own prose. */
static void
para_codes(struct kbi_scan *sc, struct span p, int prose)
{
	char norm[KBI_PARA_MAX];
	struct span n, t;
	uint32_t code;
	size_t k;
	ssize_t at;

	norm_text(norm, sizeof(norm), p);
	n = span_cstr(norm);
	for (k = 0; k < kbi_nphrases; k++)
		if (span_find(n, kbi_phrases[k].phrase) >= 0)
			code_add(sc, kbi_phrases[k].code, sc->para_sect);
	if (!prose)
		return;
	t = n;
	while ((at = span_find(t, "error ")) >= 0) {
		t = span_make(t.p + at + 6, t.n - (size_t)at - 6);
		if (at > 0 && kbi_is_alpha(t.p[-7]))
			continue;
		/* "an event log error 4116" names an event, not an error. */
		if (t.p - 10 >= (const uint8_t *)norm &&
		    memcmp(t.p - 10, "log error ", 10) == 0)
			continue;
		if (span_u32(&t, 5, 65535, &code) == 0 && code >= 100 &&
		    (t.n == 0 || !kbi_is_digit(t.p[0])))
			code_add(sc, code, sc->para_sect);
	}
}

static void
code_add(struct kbi_scan *sc, uint32_t code, enum kbimport_sect sect)
{
	size_t k;

	for (k = 0; k < sc->ncodes; k++)
		if (sc->codes[k].code == code)
			return;
	if (sc->ncodes >= KBI_CODES_MAX)
		return;
	memset(&sc->codes[sc->ncodes], 0, sizeof(sc->codes[0]));
	sc->codes[sc->ncodes].code = code;
	sc->codes[sc->ncodes].sect = sect;
	for (k = 0; k < kbi_nphrases; k++)
		if (kbi_phrases[k].code == code) {
			snprintf(sc->codes[sc->ncodes].use,
			    sizeof(sc->codes[0].use), "%s", kbi_phrases[k].use);
			break;
		}
	sc->ncodes++;
}

static void
para_end(struct kbi_scan *sc)
{
	struct span p;

	if (sc->npara == 0)
		return;
	sc->para[sc->npara] = '\0';
	p = span_make(sc->para, sc->npara);
	sc->last_para_ims = kbi_names_ims(p);
	sc->last_para_other = kbi_names_other(p);
	if (sc->para_sect == KBIMPORT_SECT_SYMPTOMS ||
	    sc->para_sect == KBIMPORT_SECT_SUMMARY) {
		if (sc->last_para_ims)
			sc->ims_symptoms = 1;
		kbi_says(sc, sc->para);
		if (kbi_refuses_mail(sc->para))
			sc->says_refuse = 1;
		if (sc->last_para_ims && (kbi_says_fail(sc->para) ||
		    kbi_refuses_mail(sc->para)))
			sc->says_ims_fails = 1;
		para_codes(sc, p, !sc->para_quoted);
	}
	para_mentions(sc, p, sc->last_para_ims && !sc->last_para_other,
	    sc->last_para_other);
	sc->npara = 0;
}

void
kbi_scan_doc(struct kbi_scan *sc, struct kbi_doc *d)
{
	enum kbimport_sect prev = KBIMPORT_SECT_NONE;
	size_t i;

	for (i = 0; i < d->n; i++) {
		enum kbimport_sect s = d->l[i].sect;

		if (s != prev) {
			if (sc->cur_open)
				rec_close(sc);
			para_end(sc);
			sc->last_para_ims = sc->last_para_other = 0;
			prev = s;
		}
		if (s == KBIMPORT_SECT_NONE || s == KBIMPORT_SECT_OTHER)
			continue;
		scan_line(sc, &d->l[i]);
	}
	if (sc->cur_open)
		rec_close(sc);
	para_end(sc);
}

/* One word that names a known source: "MSExchangeIMC", "DrWatson". */
static int
source_word(const struct kbi_scan *sc, struct span t)
{
	char w[KBIMPORT_SOURCE_MAX], c[KBIMPORT_SOURCE_MAX];

	if (t.n == 0 || t.n >= sizeof(w) || span_find_byte(t, ' ') >= 0)
		return 0;
	span_copy(w, sizeof(w), t);
	if (span_starts_nocase(t, "msexchange") ||
	    kbimport_known_match(sc->known, w) != NULL)
		return 1;
	kbi_source_canon(c, sizeof(c), w);
	return kbi_source_aliased(c);
}

/*
 * A record's source as the KB spells it, when the article's spelling is
 * one of the known names written differently (kbimport_known_match); the
 * article's spelling is kept for the draft's comment.
 */
static void
rec_known(struct kbi_scan *sc, struct kbi_rec *r)
{
	const char *m;

	char alias[KBIMPORT_SOURCE_MAX];

	/* The spellings the importer knows of itself come first: the
	 * article's "MSExchangeIMS" is the IMS, not MSExchangeIS. */
	kbi_source_canon(alias, sizeof(alias), r->source);
	if (r->source[0] == '\0' || strcmp(alias, r->source) != 0 ||
	    (m = kbimport_known_match(sc->known, r->source)) == NULL ||
	    strcmp(m, r->source) == 0)
		return;
	snprintf(r->written, sizeof(r->written), "%s", r->source);
	snprintf(r->source, sizeof(r->source), "%s", m);
}
