/*
 * kb_parse: the knowledge-base file format (docs/kb-format.md).
 *
 * Physical lines gather into logical lines (a keyword line and its
 * indented continuations), each logical line is one keyword with its
 * values, and keywords build blocks: article, symptom, status.  Every
 * problem is reported as "file:line: message" and parsing goes on, so
 * one run of the linter shows as many problems as it can.
 */
#include "kb/kb_lex.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/norm.h"
#include "util/span.h"

struct kb_kw {
	const char	*name;
	unsigned	 blocks;	/* where allowed; 0: starts a block */
	unsigned	 once;		/* KW_* bit, or 0 if repeatable */
	int		(*fn)(struct kb_lex *, int);
};


static int	phys_line(struct kb_lex *, struct span, int);
static int	spoil(struct kb_lex *, struct span);
static void	cont(struct kb_lex *, struct span, int);
static void	start(struct kb_lex *, struct span, int);
static int	flush(struct kb_lex *);
static int	logical(struct kb_lex *);
static unsigned	*cur_seen(struct kb_lex *);
static void	block_end(struct kb_lex *);
static void	article_end(struct kb_lex *);
static int	kw_article(struct kb_lex *, int);
static int	kw_symptom(struct kb_lex *, int);
static int	kw_status(struct kb_lex *, int);
static int	kw_title(struct kb_lex *, int);
static int	kw_origin(struct kb_lex *, int);
static int	kw_versions(struct kb_lex *, int);
static int	add_version(struct kb_lex *, struct kb_article *, struct span,
		    int);
static int	kw_severity(struct kb_lex *, int);
static int	kw_implies(struct kb_lex *, int);
static int	kw_evidence(struct kb_lex *, int);
static int	kw_cause(struct kb_lex *, int);
static int	kw_resolution(struct kb_lex *, int);
static int	text_field(struct kb_lex *, int, int);
static int	kw_seealso(struct kb_lex *, int);
static int	kw_match(struct kb_lex *, int);
static int	symptom_name_ok(const char *);

static const struct kb_kw kws[] = {
	{ "article",	0, 0, kw_article },
	{ "symptom",	0, 0, kw_symptom },
	{ "status",	0, 0, kw_status },
	{ "title",	BLK_ARTICLE | BLK_SYMPTOM, KW_TITLE, kw_title },
	{ "origin",	BLK_ARTICLE, KW_ORIGIN, kw_origin },
	{ "versions",	BLK_ARTICLE, KW_VERSIONS, kw_versions },
	{ "severity",	BLK_ARTICLE, KW_SEVERITY, kw_severity },
	{ "implies",	BLK_ARTICLE | BLK_SYMPTOM, KW_IMPLIES, kw_implies },
	{ "evidence",	BLK_ARTICLE, 0, kw_evidence },
	{ "cause",	BLK_ARTICLE, KW_CAUSE, kw_cause },
	{ "resolution",	BLK_ARTICLE, KW_RESOLUTION, kw_resolution },
	{ "see-also",	BLK_ARTICLE, KW_SEEALSO, kw_seealso },
	{ "match",	BLK_SYMPTOM | BLK_STATUS, 0, kw_match },
};





int
kb_parse_buf(struct kb_draft *d, const char *file, const uint8_t *buf,
    size_t len)
{
	struct kb_lex *lx;
	const uint8_t *p = buf, *end = buf + len, *q;
	int lineno = 0, rc = 0;

	if ((lx = calloc(1, sizeof(*lx))) == NULL)
		return -1;
	lx->d = d;
	lx->file = file;
	while (rc == 0 && p < end) {
		lineno++;
		q = memchr(p, '\n', (size_t)(end - p));
		rc = phys_line(lx, span_make(p, (size_t)((q ? q : end) - p)),
		    lineno);
		p = q ? q + 1 : end;
	}
	if (rc == 0)
		rc = flush(lx);
	if (rc == 0)
		block_end(lx);
	free(lx);
	return rc;
}

/* Lines: physical -> logical. */

static int
phys_line(struct kb_lex *lx, struct span s, int lineno)
{
	struct span t;
	size_t i;

	if (s.n > 0 && s.p[s.n - 1] == '\r')
		s.n--;
	if (s.n > KB_LINE_MAX) {
		kb_err(lx->d, lx->file, lineno, "line too long (max %d bytes)",
		    KB_LINE_MAX);
		return spoil(lx, s);
	}
	for (i = 0; i < s.n; i++)
		if ((s.p[i] < 0x20 && s.p[i] != '\t') || s.p[i] == 0x7f)
			break;
	if (i < s.n) {
		if (s.p[i] == '\0')
			kb_err(lx->d, lx->file, lineno, "NUL byte in line");
		else
			kb_err(lx->d, lx->file, lineno,
			    "control character 0x%02x in line", s.p[i]);
		return spoil(lx, s);
	}
	t = span_trim(s);
	if (t.n == 0 || t.p[0] == '#')
		return flush(lx);
	if (s.p[0] == ' ' || s.p[0] == '\t') {
		if (!lx->open)
			kb_err(lx->d, lx->file, lineno, "continuation line "
			    "with nothing to continue (keywords start in "
			    "column 1)");
		else
			cont(lx, t, lineno);
		return 0;
	}
	if (flush(lx) == -1)
		return -1;
	start(lx, t, lineno);
	return 0;
}

/* A bad line: drop it, and the logical line it belongs to. */
static int
spoil(struct kb_lex *lx, struct span s)
{
	if (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) {
		lx->broken = 1;
		return 0;
	}
	if (flush(lx) == -1)
		return -1;
	lx->open = 1;
	lx->broken = 1;
	return 0;
}

static void
start(struct kb_lex *lx, struct span t, int lineno)
{
	lx->open = 1;
	lx->broken = 0;
	lx->len = span_copy(lx->buf, sizeof(lx->buf), t);
	lx->segoff[0] = 0;
	lx->segline[0] = lineno;
	lx->nseg = 1;
}

static void
cont(struct kb_lex *lx, struct span t, int lineno)
{
	if (lx->broken)
		return;
	if (lx->nseg == KB_SEGS_MAX) {
		kb_err(lx->d, lx->file, lineno, "too many continuation lines "
		    "(max %d)", KB_SEGS_MAX - 1);
		lx->broken = 1;
		return;
	}
	if (lx->len + 1 + t.n >= sizeof(lx->buf)) {
		kb_err(lx->d, lx->file, lineno, "line too long with its "
		    "continuations (max %d bytes)", KB_LOGICAL_MAX - 1);
		lx->broken = 1;
		return;
	}
	lx->buf[lx->len++] = ' ';
	lx->segoff[lx->nseg] = lx->len;
	lx->segline[lx->nseg++] = lineno;
	lx->len += span_copy(lx->buf + lx->len, sizeof(lx->buf) - lx->len, t);
}

static int
flush(struct kb_lex *lx)
{
	int rc = 0;

	if (lx->open && !lx->broken)
		rc = logical(lx);
	lx->open = 0;
	lx->broken = 0;
	return rc;
}


/* Words. */












/* Logical lines: keyword dispatch and blocks. */

static int
logical(struct kb_lex *lx)
{
	char w[KB_WORD_MAX];
	const struct kb_kw *k = NULL;
	unsigned *seen;
	size_t i;
	int q, line, r;

	lx->pos = 0;
	if ((r = kb_lx_word(lx, w, sizeof(w), &q, &line)) <= 0)
		return 0;
	for (i = 0; !q && i < sizeof(kws) / sizeof(kws[0]); i++)
		if (strcmp(kws[i].name, w) == 0)
			k = &kws[i];
	if (k == NULL) {
		kb_err(lx->d, lx->file, line, "unknown keyword '%.32s'", w);
		return 0;
	}
	if (k->blocks != 0 && lx->kind == BLK_NONE) {
		kb_err(lx->d, lx->file, line, "'%s' outside a block (start one "
		    "with article, symptom or status)", k->name);
		return 0;
	}
	if (k->blocks != 0 && (k->blocks & lx->kind) == 0) {
		kb_err(lx->d, lx->file, line, "'%s' is not allowed in %s "
		    "block", k->name, lx->kind == BLK_ARTICLE ? "an article" :
		    lx->kind == BLK_SYMPTOM ? "a symptom" : "a status");
		return 0;
	}
	seen = cur_seen(lx);
	if (*seen & k->once) {
		kb_err(lx->d, lx->file, line, "duplicate '%s'", k->name);
		return 0;
	}
	*seen |= k->once;
	return k->fn(lx, line);
}

static unsigned *
cur_seen(struct kb_lex *lx)
{
	if (lx->kind == BLK_ARTICLE)
		return &lx->d->arts[lx->cur].seen;
	if (lx->kind == BLK_SYMPTOM)
		return &lx->d->syms[lx->cur].seen;
	return &lx->seen;
}

/* A block is over: report what it lacks. */
static void
block_end(struct kb_lex *lx)
{
	struct kb_dsym *s;

	if (lx->kind == BLK_ARTICLE)
		article_end(lx);
	if (lx->kind == BLK_SYMPTOM) {
		s = &lx->d->syms[lx->cur];
		if (!(s->seen & KW_IMPLIES))
			kb_err(lx->d, s->file, s->line, "symptom %s has no "
			    "'implies'", s->name);
		if (!(s->seen & KW_MATCH))
			kb_err(lx->d, s->file, s->line, "symptom %s has no "
			    "'match'", s->name);
	}
	if (lx->kind == BLK_STATUS && !(lx->seen & KW_MATCH))
		kb_err(lx->d, lx->file, lx->blkline, "status %s has no "
		    "'match'", ims_status_name(lx->status));
	lx->kind = BLK_NONE;
}

static void
article_end(struct kb_lex *lx)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} req[] = {
		{ KW_TITLE, "title" }, { KW_SEVERITY, "severity" },
		{ KW_IMPLIES, "implies" }, { KW_EVIDENCE, "evidence" },
		{ KW_CAUSE, "cause" }, { KW_RESOLUTION, "resolution" },
	};
	struct kb_dart *a = &lx->d->arts[lx->cur];
	const char *id = a->a.id[0] ? a->a.id : "(no ID)";
	size_t i;

	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if (!(a->seen & req[i].bit))
			kb_err(lx->d, a->a.file, a->line, "article %s has no "
			    "'%s'", id, req[i].name);
	a->a.reviewed = !a->cause_todo && !a->res_todo;
	if (a->a.origin != KB_ORIGIN_CURATED) {
		/* A draft's unwritten text points at the article. */
		if (a->cause_todo)
			snprintf(a->a.cause, sizeof(a->a.cause), "not yet "
			    "reviewed: see KB article %s", id);
		if (a->res_todo)
			snprintf(a->a.resolution, sizeof(a->a.resolution),
			    "not yet reviewed: see KB article %s", id);
		return;
	}
	if (a->cause_todo)
		kb_err(lx->d, a->a.file, a->cause_todo, "curated article with "
		    "a TODO cause (write it, or mark it 'origin generated')");
	if (a->res_todo)
		kb_err(lx->d, a->a.file, a->res_todo, "curated article with "
		    "a TODO resolution (write it, or mark it 'origin "
		    "generated')");
}

static int
kw_article(struct kb_lex *lx, int line)
{
	struct kb_draft *d = lx->d;
	struct kb_dart *a;
	char w[KB_WORD_MAX];

	block_end(lx);
	if ((a = kb_grow(d->arts, &d->artcap, d->narts + 1,
	    sizeof(*d->arts))) == NULL)
		return -1;
	d->arts = a;
	a = &d->arts[d->narts++];
	memset(a, 0, sizeof(*a));
	a->a.file = lx->file;
	a->a.origin = KB_ORIGIN_CURATED;
	a->line = line;
	lx->kind = BLK_ARTICLE;
	lx->cur = d->narts - 1;
	if (lx->narticles++ > 0)
		kb_err(d, lx->file, line, "second article in one file (one "
		    "file per article)");
	if (kb_lx_one_word(lx, "article", line, w, sizeof(w)) != 0) {
		a->bad = 1;
		return 0;
	}
	if (!kb_id_ok(w)) {
		kb_err(d, lx->file, line, "bad article ID '%.32s' (want Q and "
		    "1 to 8 digits)", w);
		a->bad = 1;
		return 0;
	}
	span_copy(a->a.id, sizeof(a->a.id), span_cstr(w));
	return 0;
}

static int
symptom_name_ok(const char *w)
{
	size_t i, n = strlen(w);

	if (n == 0 || n >= KB_NAME_MAX || w[0] < 'a' || w[0] > 'z')
		return 0;
	for (i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') ||
		    (w[i] >= '0' && w[i] <= '9') || w[i] == '-'))
			return 0;
	return 1;
}

static int
kw_symptom(struct kb_lex *lx, int line)
{
	struct kb_draft *d = lx->d;
	struct kb_dsym *s;
	char w[KB_WORD_MAX];

	block_end(lx);
	if ((s = kb_grow(d->syms, &d->symcap, d->nsyms + 1,
	    sizeof(*d->syms))) == NULL)
		return -1;
	d->syms = s;
	s = &d->syms[d->nsyms++];
	memset(s, 0, sizeof(*s));
	s->file = lx->file;
	s->line = line;
	lx->kind = BLK_SYMPTOM;
	lx->cur = d->nsyms - 1;
	if (kb_lx_one_word(lx, "symptom", line, w, sizeof(w)) != 0) {
		s->bad = 1;
		return 0;
	}
	if (!symptom_name_ok(w)) {
		kb_err(d, lx->file, line, "bad symptom name '%.32s' (want "
		    "a-z, 0-9 and '-', at most %d bytes)", w, KB_NAME_MAX - 1);
		s->bad = 1;
		return 0;
	}
	span_copy(s->name, sizeof(s->name), span_cstr(w));
	return 0;
}

static int
kw_status(struct kb_lex *lx, int line)
{
	char w[KB_WORD_MAX];
	int i;

	block_end(lx);
	lx->kind = BLK_STATUS;
	lx->seen = 0;
	lx->blkline = line;
	lx->status = IMS_STATUS_UNKNOWN;
	if (kb_lx_one_word(lx, "status", line, w, sizeof(w)) != 0)
		return 0;
	if ((i = kb_name_index(kb_status_iname, 1, IMS_STATUS_SILENT, w)) < 0) {
		kb_err(lx->d, lx->file, line, "unknown status '%.32s' "
		    "(running, stopped, start-failed, degraded)", w);
		return 0;
	}
	lx->status = (enum ims_status)i;
	return 0;
}

static int
kw_title(struct kb_lex *lx, int line)
{
	struct span s = kb_lx_rest(lx);

	if (s.n == 0) {
		kb_err(lx->d, lx->file, line, "'title' needs a value");
		return 0;
	}
	if (s.n >= KB_TITLE_MAX) {
		kb_err(lx->d, lx->file, line, "title too long (max %d bytes)",
		    KB_TITLE_MAX - 1);
		return 0;
	}
	/* A symptom's title documents it; only articles keep theirs. */
	if (lx->kind == BLK_ARTICLE)
		span_copy(lx->d->arts[lx->cur].a.title, KB_TITLE_MAX, s);
	return 0;
}

static int
kw_origin(struct kb_lex *lx, int line)
{
	struct kb_dart *a = &lx->d->arts[lx->cur];
	char w[KB_WORD_MAX];

	if (kb_lx_one_word(lx, "origin", line, w, sizeof(w)) != 0)
		return 0;
	if (strcmp(w, "curated") == 0)
		a->a.origin = KB_ORIGIN_CURATED;
	else if (strcmp(w, "generated") == 0)
		a->a.origin = KB_ORIGIN_GENERATED;
	else if (strcmp(w, "reference") == 0)
		a->a.origin = KB_ORIGIN_REFERENCE;
	else
		kb_err(lx->d, lx->file, line, "unknown origin '%.32s' "
		    "(curated, generated, reference)", w);
	return 0;
}

/* "versions 4.0 5.0,5.5" is kept as "4.0,5.0,5.5". */
static int
kw_versions(struct kb_lex *lx, int line)
{
	struct kb_article *a = &lx->d->arts[lx->cur].a;
	char w[KB_WORD_MAX];
	struct span s, v;
	int q, wl, r, n = 0;

	while ((r = kb_lx_word(lx, w, sizeof(w), &q, &wl)) == 1) {
		s = span_cstr(w);
		while (s.n > 0) {
			if (span_take_until(&s, ',', &v) == -1) {
				v = s;
				s.n = 0;
			}
			if (add_version(lx, a, v, wl) != 0)
				return 0;
			n++;
		}
	}
	if (r == 0 && n == 0)
		kb_err(lx->d, lx->file, line, "'versions' needs a value");
	return 0;
}

static int
add_version(struct kb_lex *lx, struct kb_article *a, struct span v,
    int line)
{
	struct span maj, s = v;
	size_t have = strlen(a->versions);

	if (span_take_until(&s, '.', &maj) == -1 || maj.n == 0 ||
	    maj.n > 2 || !span_all_digits(maj) || s.n == 0 || s.n > 2 ||
	    !span_all_digits(s)) {
		kb_err(lx->d, lx->file, line, "bad version '%.*s' (want "
		    "N.N)", (int)(v.n > 32 ? 32 : v.n), (const char *)v.p);
		return 1;
	}
	if (have + (have > 0) + v.n >= sizeof(a->versions)) {
		kb_err(lx->d, lx->file, line, "versions too long (max %zu "
		    "bytes)", sizeof(a->versions) - 1);
		return 1;
	}
	if (have > 0)
		a->versions[have++] = ',';
	span_copy(a->versions + have, sizeof(a->versions) - have, v);
	return 0;
}

static int
kw_severity(struct kb_lex *lx, int line)
{
	char w[KB_WORD_MAX];
	int i;

	if (kb_lx_one_word(lx, "severity", line, w, sizeof(w)) != 0)
		return 0;
	if ((i = kb_name_index(kb_sev_iname, 0, KB_SEV__MAX, w)) < 0)
		kb_err(lx->d, lx->file, line, "unknown severity '%.32s' "
		    "(critical, major, minor, warning)", w);
	else
		lx->d->arts[lx->cur].a.severity = (enum kb_severity)i;
	return 0;
}

static int
kw_implies(struct kb_lex *lx, int line)
{
	char w[KB_WORD_MAX];
	int i;

	if (kb_lx_one_word(lx, "implies", line, w, sizeof(w)) != 0)
		return 0;
	if ((i = kb_name_index(kb_status_iname, 1, IMS_STATUS_SILENT, w)) < 0) {
		kb_err(lx->d, lx->file, line, "unknown status '%.32s' "
		    "(running, stopped, start-failed, degraded)", w);
		return 0;
	}
	if (lx->kind == BLK_ARTICLE)
		lx->d->arts[lx->cur].a.implies = (enum ims_status)i;
	else
		lx->d->syms[lx->cur].implies = (enum ims_status)i;
	return 0;
}

static int
kw_evidence(struct kb_lex *lx, int line)
{
	struct kb_dart *a = &lx->d->arts[lx->cur];
	struct kb_dev ev, *p;
	char w[KB_WORD_MAX];
	size_t mark;
	int q, wl, r, i;

	a->seen |= KW_EVIDENCE;
	memset(&ev, 0, sizeof(ev));
	ev.line = line;
	if ((r = kb_lx_word(lx, w, sizeof(w), &q, &wl)) <= 0) {
		if (r == 0)
			kb_err(lx->d, lx->file, line, "'evidence' needs a role "
			    "(discriminating, supporting, symptom)");
		return 0;
	}
	if (q || (i = kb_name_index(kb_role_iname, 0, KB_ROLE__MAX, w)) < 0) {
		kb_err(lx->d, lx->file, wl, "unknown role '%.32s' "
		    "(discriminating, supporting, symptom)", w);
		return 0;
	}
	ev.role = (enum kb_role)i;
	mark = lx->pos;
	if (kb_lx_word(lx, w, sizeof(w), &q, &wl) == 1 && !q &&
	    strcmp(w, "use") == 0) {
		if (kb_lx_one_word(lx, "use", wl, w, sizeof(w)) != 0)
			return 0;
		if (ev.role != KB_ROLE_SYMPTOM) {
			kb_err(lx->d, lx->file, wl, "'use' names a shared "
			    "symptom: the role must be 'symptom'");
			return 0;
		}
		if (!symptom_name_ok(w)) {
			kb_err(lx->d, lx->file, wl, "bad symptom name '%.32s' "
			    "(want a-z, 0-9 and '-', at most %d bytes)", w,
			    KB_NAME_MAX - 1);
			return 0;
		}
		ev.use = 1;
		span_copy(ev.symptom, sizeof(ev.symptom), span_cstr(w));
	} else {
		lx->pos = mark;
		if (kb_parse_match(lx, &ev.match, line) != 0)
			return 0;
		if (ev.match.absent && (ev.match.required ||
		    ev.match.repeat)) {
			kb_err(lx->d, lx->file, line, "'absent' cannot go "
			    "with 'required' or 'repeat'");
			return 0;
		}
		if (ev.match.absent && ev.role == KB_ROLE_DISCRIMINATING) {
			kb_err(lx->d, lx->file, line, "'absent' evidence "
			    "cannot be discriminating (use supporting)");
			return 0;
		}
	}
	if ((p = kb_grow(a->ev, &a->evcap, a->nev + 1, sizeof(*p))) == NULL)
		return -1;
	a->ev = p;
	a->ev[a->nev++] = ev;
	return 0;
}

static int
kw_cause(struct kb_lex *lx, int line)
{
	return text_field(lx, line, 1);
}

static int
kw_resolution(struct kb_lex *lx, int line)
{
	return text_field(lx, line, 0);
}

/* cause, resolution: free text; the word TODO marks a draft. */
static int
text_field(struct kb_lex *lx, int line, int cause)
{
	struct kb_dart *a = &lx->d->arts[lx->cur];
	const char *kw = cause ? "cause" : "resolution";
	struct span s = kb_lx_rest(lx);

	if (s.n == 0) {
		kb_err(lx->d, lx->file, line, "'%s' needs a value", kw);
		return 0;
	}
	if (s.n >= KB_TEXT_MAX) {
		kb_err(lx->d, lx->file, line, "%s too long (max %d bytes)", kw,
		    KB_TEXT_MAX - 1);
		return 0;
	}
	if (span_eq(s, "TODO")) {
		*(cause ? &a->cause_todo : &a->res_todo) = line;
		return 0;
	}
	span_copy(cause ? a->a.cause : a->a.resolution, KB_TEXT_MAX, s);
	return 0;
}

static int
kw_seealso(struct kb_lex *lx, int line)
{
	struct kb_dart *a = &lx->d->arts[lx->cur];
	char w[KB_WORD_MAX];
	int q, wl, r;

	while ((r = kb_lx_word(lx, w, sizeof(w), &q, &wl)) == 1) {
		if (!kb_id_ok(w)) {
			kb_err(lx->d, lx->file, wl, "bad article ID '%.32s' "
			    "(want Q and 1 to 8 digits)", w);
			return 0;
		}
		if (a->a.nsee_also == KB_SEEALSO_MAX) {
			kb_err(lx->d, lx->file, wl, "too many see-also IDs "
			    "(max %d)", KB_SEEALSO_MAX);
			return 0;
		}
		a->see_line[a->a.nsee_also] = wl;
		span_copy(a->a.see_also[a->a.nsee_also++], KB_ID_MAX,
		    span_cstr(w));
	}
	if (r == 0 && a->a.nsee_also == 0)
		kb_err(lx->d, lx->file, line, "'see-also' needs a value");
	return 0;
}

static int
kw_match(struct kb_lex *lx, int line)
{
	struct kb_draft *d = lx->d;
	struct kb_match m;
	struct kb_dsym *s;
	struct kb_status_rule *r;
	void *p;

	*cur_seen(lx) |= KW_MATCH;
	if (kb_parse_match(lx, &m, line) != 0)
		return 0;
	if (m.absent || m.required || m.repeat || m.guessed) {
		kb_err(d, lx->file, line, "'absent', 'required', 'repeat' and "
		    "'guessed' belong on an article's evidence line, not on a "
		    "match");
		return 0;
	}
	if (lx->kind == BLK_STATUS) {
		if ((r = kb_grow(d->rules, &d->rulecap, d->nrules + 1,
		    sizeof(*r))) == NULL)
			return -1;
		d->rules = r;
		r = &d->rules[d->nrules++];
		r->match = m;
		r->status = lx->status;
		r->file = lx->file;
		r->line = line;
		return 0;
	}
	s = &d->syms[lx->cur];
	if ((p = kb_grow(s->m, &s->mcap, s->nm + 1, sizeof(*s->m))) == NULL)
		return -1;
	s->m = p;
	if ((p = reallocarray(s->mline, s->mcap, sizeof(int))) == NULL)
		return -1;
	s->mline = p;
	s->m[s->nm] = m;
	s->mline[s->nm++] = line;
	return 0;
}

/* Matches. */
















