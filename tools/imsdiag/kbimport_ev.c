/*
 * kbimport_ev: records to evidence items: source, log, type, text
 * patterns and idents, merging, and roles.  docs/kb-import.md, "Roles".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbimport_int.h"
#include "util/norm.h"
#include "util/span.h"

/* Events the IMS logs for one bad message: never discriminating alone. */
static const uint16_t kbi_per_message[] = { 4116, 4117 };

static int	paren_pid(const char *, size_t);
static int	code_token(const char *, char *, size_t);
static int	ident_words(const char *, char *, size_t);
static int	sect_primary(enum kbimport_sect, int);
static void	ev_group(struct kbimport_ev *, const char *const *, size_t);
static void	ev_use(struct kbimport_ev *, const char *,
		    enum kbimport_sect);
static void	ev_scm_code(struct kbimport_ev *, uint32_t,
		    enum kbimport_sect);
static int	ev_same(const struct kbimport_ev *, const struct kbimport_ev *);
static void	ev_merge(struct kbimport_ev *, const struct kbimport_ev *);
static void	ev_add(struct kbimport_article *, const struct kbimport_ev *);
static void	ev_from_rec(struct kbi_scan *, const struct kbi_rec *, int,
		    int);
static int	in_title(const char *, uint32_t);
static void	roles(struct kbimport_article *, int);

/* Exchange services log to the Application log, the SCM to System. */
static const char *
log_for(const char *source)
{
	if (strcmp(source, SRC_SCM) == 0 ||
	    strcmp(source, "ClusSvc") == 0)
		return "system";
	if (strncmp(source, "MSExchange", 10) == 0 ||
	    strcmp(source, "DrWatson") == 0 ||
	    strncmp(source, "ESE", 3) == 0)
		return "application";
	return "";
}

static const char *
type_for(const char *t)
{
	struct span s = span_trim(span_cstr(t));

	if (span_starts_nocase(s, "error"))
		return "error";
	if (span_starts_nocase(s, "warning"))
		return "warning";
	if (span_starts_nocase(s, "information") ||
	    span_eq_nocase(s, "info"))
		return "information";
	if (kbi_ci_find(s, "audit") >= 0 && kbi_ci_find(s, "fail") >= 0)
		return "audit-failure";
	if (kbi_ci_find(s, "audit") >= 0 && kbi_ci_find(s, "success") >= 0)
		return "audit-success";
	return "";
}

/* "msexchangekms (2480)": ESE names the process, then its ID. */
static int
paren_pid(const char *norm, size_t open)
{
	size_t e, b;

	if (open < 2 || norm[open - 1] != ' ')
		return 0;
	e = open - 1;
	for (b = e; b > 0 && norm[b - 1] != ' '; b--)
		;
	return e - b >= 3 && (strncmp(norm + b, "msexchange", 10) == 0 ||
	    strncmp(norm + b, "ese", 3) == 0);
}

/*
 * An error code in a description, as a text pattern ("Error codes" in
 * docs/kb-import.md): 0x + 8 hex digits (not an address or flags, not
 * zero), an 8-hex-digit HRESULT starting with 8 or C, or a decimal code
 * of 4 or 5 digits in parentheses, after "error", or on its own.
 */
static int
code_token(const char *desc, char *out, size_t outsz)
{
	char norm[KBI_DESC_MAX];
	size_t n, i, j, k;
	int zero;

	n = norm_text(norm, sizeof(norm), span_cstr(desc));
	for (i = 0; i < n; i++) {
		int hex0x = i + 10 <= n && norm[i] == '0' && norm[i + 1] == 'x';
		size_t b = hex0x ? i + 2 : i;

		if (i > 0 && (kbi_is_alpha((unsigned char)norm[i - 1]) ||
		    kbi_is_digit((unsigned char)norm[i - 1])))
			continue;
		for (j = b, zero = 1; j < n && j < b + 9 &&
		    (kbi_is_digit((unsigned char)norm[j]) ||
		    (norm[j] >= 'a' && norm[j] <= 'f')); j++)
			if (norm[j] != '0')
				zero = 0;
		if (j - b == 8 && (j == n || !kbi_is_alpha((unsigned char)norm[j]))
		    && !zero && (hex0x || norm[b] == '8' || norm[b] == 'c')) {
			const char *before = norm + (i > 12 ? i - 12 : 0);
			char ctx[16];

			k = i - (size_t)(before - norm);
			memcpy(ctx, before, k);
			ctx[k] = '\0';
			if (strstr(ctx, "address") != NULL ||
			    strstr(ctx, "flags") != NULL)
				continue;
			snprintf(out, outsz, "%.*s", (int)(j - i), norm + i);
			return 0;
		}
	}
	for (i = 0; i < n; i++) {
		if (!kbi_is_digit((unsigned char)norm[i]) || (i > 0 &&
		    (kbi_is_digit((unsigned char)norm[i - 1]) ||
		    kbi_is_alpha((unsigned char)norm[i - 1]) || norm[i - 1] == '.' ||
		    norm[i - 1] == '/' || norm[i - 1] == ':')))
			continue;
		for (j = i; j < n && kbi_is_digit((unsigned char)norm[j]); j++)
			;
		if (j - i < 4 || j - i > 5 || (j < n &&
		    (kbi_is_alpha((unsigned char)norm[j]) || norm[j] == '.' ||
		    norm[j] == '/' || norm[j] == ':')))
			continue;
		if (i >= 2 && norm[i - 1] == '(' && paren_pid(norm, i - 1))
			continue;
		if ((i > 0 && norm[i - 1] == '(' && j < n && norm[j] == ')') ||
		    (i >= 6 && memcmp(norm + i - 6, "error ", 6) == 0) ||
		    (i >= 6 && memcmp(norm + i - 6, "error=", 6) == 0) ||
		    (i >= 1 && norm[i - 1] == '=') ||
		    (i >= 2 && memcmp(norm + i - 2, ". ", 2) == 0 && j == n)) {
			snprintf(out, outsz, "%.*s", (int)(j - i), norm + i);
			return 0;
		}
	}
	/* A system error number in brackets after "error": "[87]". */
	for (i = 0; i < n; i++) {
		if (norm[i] != '[')
			continue;
		for (j = i + 1; j < n && kbi_is_digit((unsigned char)norm[j]); j++)
			;
		if (j == i + 1 || j - i > 6 || j >= n || norm[j] != ']')
			continue;
		k = i > 24 ? i - 24 : 0;
		if (kbi_ci_find(span_make(norm + k, i - k), "error") < 0)
			continue;
		snprintf(out, outsz, "%.*s", (int)(j + 1 - i), norm + i);
		return 0;
	}
	return -1;
}

/*
 * A few words to recognise the event by when a forwarder sends no event
 * ID ("Ident" in docs/kb-import.md): the start of the reason the message
 * gives, "... because MAPI could not be initialized" -> "mapi could not
 * be initialized".  Up to five words, to the first punctuation mark.
 */
static int
ident_words(const char *desc, char *out, size_t outsz)
{
	char norm[KBI_DESC_MAX];
	const char *p, *q;
	size_t words = 0, n;

	norm_text(norm, sizeof(norm), span_cstr(desc));
	if ((p = strstr(norm, "because ")) == NULL)
		return -1;
	p += 8;
	if (strncmp(p, "the ", 4) == 0)
		p += 4;
	for (q = p; *q != '\0' && words < 5; q++) {
		if (*q == '.' || *q == ',' || *q == ';' || *q == ':' ||
		    *q == '(' || *q == '<' || *q == '"')
			break;
		if (*q == ' ')
			words++;
	}
	n = (size_t)(q - p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (words < 2 || n < 8 || n >= outsz)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static int
sect_primary(enum kbimport_sect s, int fallback)
{
	return s == KBIMPORT_SECT_SYMPTOMS || s == KBIMPORT_SECT_SUMMARY ||
	    s == KBIMPORT_SECT_CAUSE || (fallback && s == KBIMPORT_SECT_MORE);
}

static void
ev_group(struct kbimport_ev *e, const char *const *alts, size_t n)
{
	size_t k;

	if (e->ngroups >= KBIMPORT_GROUPS_MAX)
		return;
	for (k = 0; k < n && k < KB_ALTS_MAX; k++)
		snprintf(e->text[e->ngroups][k], KB_FRAG_MAX, "%s", alts[k]);
	e->nalts[e->ngroups++] = k;
}

static void
ev_use(struct kbimport_ev *e, const char *use, enum kbimport_sect sect)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->use, sizeof(e->use), "%s", use);
	e->role = KB_ROLE_SYMPTOM;
	e->sect = sect;
}

/* A start failure the SCM reports with a Windows error code. */
static void
ev_scm_code(struct kbimport_ev *e, uint32_t code, enum kbimport_sect sect)
{
	static const char *const ims[] = {
		"internet mail service", "internet mail connector",
	};
	char frag[32];
	const char *f = frag;

	memset(e, 0, sizeof(*e));
	snprintf(e->source, sizeof(e->source), "%s", SRC_SCM);
	e->ids[0] = 7000;
	e->ids[1] = 7023;
	e->ids[2] = 7024;
	e->nids = 3;
	snprintf(e->log, sizeof(e->log), "system");
	ev_group(e, ims, 2);
	snprintf(frag, sizeof(frag), "error %u", (unsigned)code);
	ev_group(e, &f, 1);
	e->role = KB_ROLE_SYMPTOM;
	e->sect = sect;
}

/*
 * The same source as the KB sees it: case, spaces and length as
 * norm_source() makes them, into a buffer the size of the KB's.
 */
static int
source_same(const char *x, const char *y)
{
	char a[sizeof(((struct kb_match *)0)->source)];
	char b[sizeof(a)];

	norm_source(a, sizeof(a), span_cstr(x));
	norm_source(b, sizeof(b), span_cstr(y));
	return strcmp(a, b) == 0;
}

static int
ev_same(const struct kbimport_ev *x, const struct kbimport_ev *y)
{
	size_t g, k;

	if (x->use[0] != '\0' || y->use[0] != '\0')
		return strcmp(x->use, y->use) == 0;
	/* Event log source names are not case sensitive (nor is the KB). */
	if (!source_same(x->source, y->source) || x->nids != y->nids ||
	    memcmp(x->ids, y->ids, x->nids * sizeof(x->ids[0])) != 0)
		return 0;
	if (strcmp(x->source, SRC_SCM) != 0)
		return 1;	/* merged: one item per source and ID */
	if (x->ngroups != y->ngroups)
		return 0;
	for (g = 0; g < x->ngroups; g++)
		for (k = 0; k < x->nalts[g]; k++)
			if (strcmp(x->text[g][k], y->text[g][k]) != 0)
				return 0;
	return 1;
}

/*
 * The same event named twice: a block beats a mention, the earlier
 * section wins, and text patterns that differ are joined into one group
 * (either description will do) or dropped.
 */
static void
ev_merge(struct kbimport_ev *old, const struct kbimport_ev *e)
{
	size_t k, j;

	if (old->mentioned && !e->mentioned) {
		enum kbimport_sect s = old->sect;

		*old = *e;
		if (s == KBIMPORT_SECT_SYMPTOMS || s == KBIMPORT_SECT_SUMMARY)
			old->sect = s;
		return;
	}
	if (old->source[0] == '\0' && e->source[0] != '\0') {
		memcpy(old->source, e->source, sizeof(old->source));
		memcpy(old->log, e->log, sizeof(old->log));
		old->source_assumed = e->source_assumed;
	}
	if (e->mentioned)
		return;
	if (strcmp(old->type, e->type) != 0)
		old->type[0] = '\0';
	if (strcmp(old->ident, e->ident) != 0)
		old->ident[0] = '\0';
	if (old->category[0] == '\0')
		snprintf(old->category, sizeof(old->category), "%s",
		    e->category);
	if (old->ngroups == 1 && e->ngroups == 1) {
		for (k = 0; k < e->nalts[0]; k++) {
			for (j = 0; j < old->nalts[0]; j++)
				if (strcmp(old->text[0][j], e->text[0][k]) == 0)
					break;
			if (j == old->nalts[0] && j < KB_ALTS_MAX) {
				memcpy(old->text[0][j], e->text[0][k],
				    KB_FRAG_MAX);
				old->nalts[0]++;
			}
		}
	} else if (old->ngroups != e->ngroups || e->ngroups == 0) {
		old->ngroups = 0;
	}
}

static void
ev_add(struct kbimport_article *a, const struct kbimport_ev *e)
{
	size_t k;

	for (k = 0; k < a->nev; k++)
		if (ev_same(&a->ev[k], e)) {
			ev_merge(&a->ev[k], e);
			return;
		}
	/* An ID named in passing is the event a block gives in full. */
	for (k = 0; e->use[0] == '\0' && e->nids == 1 && k < a->nev; k++) {
		struct kbimport_ev *o = &a->ev[k];

		if (o->use[0] != '\0' || o->nids != 1 || o->ids[0] != e->ids[0])
			continue;
		if (e->mentioned || o->mentioned) {
			ev_merge(o, e);
			return;
		}
	}
	if (a->nev >= KBIMPORT_EV_MAX) {
		a->nev_dropped++;
		return;
	}
	a->ev[a->nev++] = *e;
}

/*
 * One record as an evidence item ("Sources", "Text patterns" in
 * docs/kb-import.md).  all_imc: every source the article names is the
 * IMS's own, so an event given without one is the IMS's too.
 */
static void
ev_from_rec(struct kbi_scan *sc, const struct kbi_rec *r, int all_imc,
    int ims_article)
{
	static const char *const dn[] = {
		"cn=internet mail connector", "cn=internet mail service",
	};
	static const char *const names[] = {
		"internet mail connector", "internet mail service",
	};
	static const char *const exe[] = { "msexcimc" };
	struct kbimport_ev e;
	struct span desc = span_make(r->desc, r->ndesc);
	char code[32];
	const char *c = code;
	size_t k;

	memset(&e, 0, sizeof(e));
	e.sect = r->sect;
	e.mentioned = r->mention;
	if (r->id == 2140) {
		ev_use(&e, "ims-start-2140", r->sect);
		ev_add(sc->a, &e);
		return;
	}
	kbi_source_canon(e.source, sizeof(e.source), r->source);
	if (e.source[0] != '\0' && r->written[0] != '\0')
		snprintf(e.source_as, sizeof(e.source_as), "%s", r->written);
	else if (e.source[0] != '\0' && strcmp(e.source, r->source) != 0)
		snprintf(e.source_as, sizeof(e.source_as), "%s", r->source);
	if (e.source[0] == '\0' && (kbi_names_ims(desc) ||
	    (r->ctx_ims && !r->ctx_other) ||
	    (all_imc && ims_article && !r->ctx_other))) {
		snprintf(e.source, sizeof(e.source), "%s", SRC_IMC);
		e.source_assumed = 1;
	}
	if (strcmp(e.source, SRC_SCM) == 0) {
		/* An SCM event is about the service it names. */
		if (!kbi_names_ims(desc)) {
			sc->other_svc++;
			return;
		}
		for (k = 0; k < kbi_nphrases;
		    k++) {
			char norm[KBI_DESC_MAX];

			norm_text(norm, sizeof(norm), desc);
			if (strstr(norm, kbi_phrases[k].phrase) != NULL) {
				ev_use(&e, kbi_phrases[k].use, r->sect);
				ev_add(sc->a, &e);
				return;
			}
		}
	}
	e.ids[0] = (uint16_t)r->id;
	e.nids = 1;
	snprintf(e.type, sizeof(e.type), "%s", type_for(r->type));
	snprintf(e.log, sizeof(e.log), "%s", log_for(e.source));
	snprintf(e.category, sizeof(e.category), "%s", r->category);
	if (strcmp(e.source, SRC_IMC) != 0 && kbi_names_ims(desc)) {
		char norm[KBI_DESC_MAX];

		norm_text(norm, sizeof(norm), desc);
		if (strstr(norm, dn[0]) != NULL || strstr(norm, dn[1]) != NULL)
			ev_group(&e, dn, 2);
		else if (strstr(norm, exe[0]) != NULL)
			ev_group(&e, exe, 1);
		else
			ev_group(&e, names, 2);
	}
	if (code_token(r->desc, code, sizeof(code)) == 0)
		ev_group(&e, &c, 1);
	if (e.source[0] != '\0')
		ident_words(r->desc, e.ident, sizeof(e.ident));
	if (strcmp(e.source, SRC_SCM) == 0)
		e.role = KB_ROLE_SYMPTOM;
	ev_add(sc->a, &e);
}

/* Is n one of the title's numbers ("... Event IDs 4182, 12800")? */
static int
in_title(const char *title, uint32_t n)
{
	size_t i, j;
	uint32_t v;

	for (i = 0; title[i] != '\0'; i++) {
		if (!kbi_is_digit((unsigned char)title[i]) || (i > 0 &&
		    kbi_is_digit((unsigned char)title[i - 1])))
			continue;
		for (j = i, v = 0; kbi_is_digit((unsigned char)title[j]) &&
		    j - i < 6; j++)
			v = v * 10 + (uint32_t)(title[j] - '0');
		if (j - i >= 2 && v == n && title[j] != '.' &&
		    (i == 0 || title[i - 1] != '.'))
			return 1;
	}
	return 0;
}

/* Roles ("Roles" in docs/kb-import.md). */
static void
roles(struct kbimport_article *a, int fallback)
{
	struct kbimport_ev *e;
	size_t k, j;
	int disc = 0, permsg;

	for (k = 0; k < a->nev; k++) {
		e = &a->ev[k];
		if (e->use[0] != '\0' || strcmp(e->source, SRC_SCM) == 0) {
			e->role = KB_ROLE_SYMPTOM;
			continue;
		}
		for (j = 0, permsg = 0; j < sizeof(kbi_per_message) /
		    sizeof(kbi_per_message[0]); j++)
			if (e->ids[0] == kbi_per_message[j])
				permsg = 1;
		if (permsg)
			e->role = KB_ROLE_SUPPORTING;
		else if (in_title(a->title, e->ids[0]))
			e->role = KB_ROLE_DISCRIMINATING;
		else if (e->mentioned || (strcmp(e->source, SRC_IMC) == 0 &&
		    (strcmp(e->type, "information") == 0 ||
		    kbi_ci_find(span_cstr(e->category), "message transfer") >= 0)))
			e->role = KB_ROLE_SUPPORTING;
		else if ((e->sect == KBIMPORT_SECT_SYMPTOMS ||
		    e->sect == KBIMPORT_SECT_SUMMARY ||
		    (fallback && e->sect == KBIMPORT_SECT_MORE)) &&
		    (strcmp(e->source, SRC_IMC) == 0 ||
		    (e->source[0] != '\0' && e->ngroups > 0 &&
		    kbi_ci_find(span_cstr(e->text[0][0]), "mail") >= 0) ||
		    (e->source[0] != '\0' && e->ngroups > 0 &&
		    strcmp(e->text[0][0], "msexcimc") == 0)))
			e->role = KB_ROLE_DISCRIMINATING;
		else
			e->role = KB_ROLE_SUPPORTING;
		if (e->role == KB_ROLE_DISCRIMINATING)
			disc = 1;
	}
	/* The first event, unless it is a per-message one, heads the list. */
	for (k = 0; !disc && k < a->nev; k++) {
		e = &a->ev[k];
		if (e->role != KB_ROLE_SUPPORTING)
			continue;
		for (j = 0, permsg = 0; j < sizeof(kbi_per_message) /
		    sizeof(kbi_per_message[0]); j++)
			if (e->ids[0] == kbi_per_message[j])
				permsg = 1;
		if (!permsg) {
			e->role = KB_ROLE_DISCRIMINATING;
			disc = 1;
		}
	}
}

void
kbi_finalize(struct kbi_scan *sc, int fallback)
{
	struct kbimport_article *a = sc->a;
	struct kbimport_ev e;
	char src[KBIMPORT_SOURCE_MAX];
	size_t k;
	int all_imc = 1, ims_article;

	a->nev = a->nev_dropped = 0;
	for (k = 0; k < sc->nrecs; k++) {
		if (!sect_primary(sc->recs[k].sect, fallback))
			continue;
		kbi_source_canon(src, sizeof(src), sc->recs[k].source);
		if (src[0] != '\0' && strcmp(src, SRC_IMC) != 0)
			all_imc = 0;
	}
	ims_article = sc->ims_symptoms || kbi_names_ims(span_cstr(a->title));
	for (k = 0; k < sc->nrecs; k++)
		if (sect_primary(sc->recs[k].sect, fallback))
			ev_from_rec(sc, &sc->recs[k], all_imc, ims_article);
	for (k = 0; k < sc->ncodes; k++) {
		if (!sect_primary(sc->codes[k].sect, fallback))
			continue;
		if (sc->codes[k].use[0] != '\0')
			ev_use(&e, sc->codes[k].use, sc->codes[k].sect);
		else
			ev_scm_code(&e, sc->codes[k].code, sc->codes[k].sect);
		ev_add(a, &e);
	}
	roles(a, fallback);
}
