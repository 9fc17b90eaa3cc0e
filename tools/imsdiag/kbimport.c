/*
 * kbimport: draft KB entries from Microsoft KB article files.  The
 * heuristics, and what they cannot do, are in docs/kb-import.md; each
 * rule below names the section it implements.
 *
 * An article is split into lines (CRLF or LF); the markdown form's body
 * is the TAB-indented lines, the text form's body follows the header's
 * "=====" line.  Lines are tagged with their section (SYMPTOMS, CAUSE,
 * ...), then the evidence sections are scanned line by line: an event
 * block ("Event ID: 4018", "Source: ...", "Type: ...", "Description: ...")
 * becomes a record, prose paragraphs are searched for event IDs named in
 * passing ("Event ID 4072 may also be logged") and for start-failure
 * errors ("Error 2140").  Records then become evidence items with roles.
 * Nothing of the article's prose reaches the draft: only IDs, sources,
 * types, categories (as a comment) and a few identifying words.
 */
#include "kbimport.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbimport_int.h"
#include "util/norm.h"
#include "util/sbuf.h"
#include "util/span.h"

static int	doc_lines(struct kbi_doc *, const uint8_t *, size_t, int);
static int	title_set(struct kbimport_article *, struct span, int);
static int	head_markdown(struct kbi_doc *, struct kbimport_article *,
		    const uint8_t *, size_t);
static int	head_text(struct kbi_doc *, struct kbimport_article *);
static enum kbimport_sect sect_name(struct span);
static void	sections(struct kbi_doc *);
static void	versions_from(struct span, int *);
static void	versions(struct kbi_doc *, struct kbimport_article *);
static void	mentions(struct kbi_doc *, struct kbimport_article *);
static int	form_of(const uint8_t *, size_t, char *, size_t);
static int	draft(struct kbi_scan *, struct kbi_doc *, char *, size_t);
static int	read_all(FILE *, uint8_t **, size_t *);

/*
 * Split buf into trimmed lines.  In the markdown form only TAB-indented
 * lines are the article's body (the TAB is dropped); the front matter and
 * the page's own heading are read by head_markdown().
 */
static int
doc_lines(struct kbi_doc *d, const uint8_t *buf, size_t len, int markdown)
{
	struct span s = span_make(buf, len), line;
	size_t cap = 0, k;
	struct kbi_line *l;

	d->l = NULL;
	d->n = 0;
	while (s.n > 0) {
		if (span_take_until(&s, '\n', &line) == -1) {
			line = s;
			s.n = 0;
		}
		if (line.n > 0 && line.p[line.n - 1] == '\r')
			line.n--;
		if (markdown) {
			if (line.n == 0 || line.p[0] != '\t')
				continue;
			line.p++;
			line.n--;
		}
		if (d->n >= KBI_LINES_MAX) {
			errno = EFBIG;
			return -1;
		}
		if (d->n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((l = reallocarray(d->l, cap, sizeof(*l))) == NULL)
				return -1;
			d->l = l;
		}
		for (k = 0; k < line.n && (line.p[k] == ' ' ||
		    line.p[k] == '\t'); k++)
			;
		d->l[d->n].indent = (int)k;
		d->l[d->n].s = span_trim(line);
		d->l[d->n].sect = KBIMPORT_SECT_NONE;
		d->n++;
	}
	return 0;
}

/*
 * The title as the KB file will hold it: one line, no control bytes.
 * The markdown page escapes &, " and < > as HTML entities.
 */
static int
title_set(struct kbimport_article *a, struct span t, int entities)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&quot;", '"' }, { "&amp;", '&' }, { "&lt;", '<' },
		{ "&gt;", '>' }, { "&#39;", '\'' }, { "&apos;", '\'' },
	};
	size_t i = 0, n = 0, k;

	t = span_trim(t);
	while (i < t.n && n + 1 < sizeof(a->title)) {
		for (k = 0; entities && k < sizeof(ents) / sizeof(ents[0]);
		    k++)
			if (span_starts_nocase(span_make(t.p + i, t.n - i),
			    ents[k].ent))
				break;
		if (entities && k < sizeof(ents) / sizeof(ents[0])) {
			a->title[n++] = ents[k].c;
			i += strlen(ents[k].ent);
			continue;
		}
		if (t.p[i] < 0x20 || t.p[i] == 0x7f)
			return -1;
		a->title[n++] = (char)t.p[i++];
	}
	a->title[n] = '\0';
	return n > 0 ? 0 : -1;
}

static int
head_markdown(struct kbi_doc *d, struct kbimport_article *a,
    const uint8_t *buf, size_t len)
{
	struct span s = span_make(buf, len), line, v;
	ssize_t k;
	int fm = 0;
	size_t i;

	/* Front matter: from the first "---" line to the next one. */
	while (s.n > 0 && fm < 2) {
		if (span_take_until(&s, '\n', &line) == -1) {
			line = s;
			s.n = 0;
		}
		line = span_trim(line);
		if (span_eq(line, "---")) {
			fm++;
			continue;
		}
		if (fm != 1 || span_expect(&line, "title:") != 0)
			continue;
		line = span_trim(line);
		if (line.n >= 2 && line.p[0] == '"' &&
		    line.p[line.n - 1] == '"')
			line = span_make(line.p + 1, line.n - 2);
		if ((k = span_find(line, ": ")) <= 0 ||
		    kbi_id_take(span_make(line.p, (size_t)k), a->id,
		    sizeof(a->id)) == -1)
			return -1;
		v = span_make(line.p + k + 2, line.n - (size_t)k - 2);
		if (title_set(a, v, 1) == -1)
			return -1;
	}
	if (a->id[0] == '\0')
		return -1;
	for (i = 0; i < d->n; i++)
		if (span_expect(&d->l[i].s, "Version(s):") == 0) {
			d->hdr_versions = span_trim(d->l[i].s);
			d->l[i].s.n = 0;
		}
	return 0;
}

static int
head_text(struct kbi_doc *d, struct kbimport_article *a)
{
	struct span s;
	size_t i, body = 0;

	for (i = 0; i < d->n && body == 0; i++) {
		s = d->l[i].s;
		if (span_expect(&s, "DOCUMENT:") == 0) {
			if (kbi_id_take(s, a->id, sizeof(a->id)) == -1)
				return -1;
		} else if (span_expect(&s, "TITLE") == 0) {
			span_skip_spaces(&s);
			if (span_expect(&s, ":") == 0 &&
			    title_set(a, s, 0) == -1)
				return -1;
		} else if (span_expect(&s, "PROD/VER:") == 0) {
			d->hdr_versions = span_trim(s);
		} else if (kbi_all_eq(s, '=', 10)) {
			body = i + 1;
		}
	}
	/* The header is not body text. */
	for (i = 0; i < body; i++)
		d->l[i].s.n = 0;
	if (a->id[0] == '\0' || a->title[0] == '\0')
		return -1;
	return 0;
}

static enum kbimport_sect
sect_name(struct span s)
{
	if (span_eq(s, "SYMPTOMS"))
		return KBIMPORT_SECT_SYMPTOMS;
	if (span_eq(s, "CAUSE"))
		return KBIMPORT_SECT_CAUSE;
	if (span_eq(s, "SUMMARY"))
		return KBIMPORT_SECT_SUMMARY;
	if (span_eq(s, "MORE INFORMATION"))
		return KBIMPORT_SECT_MORE;
	if (span_eq(s, "RESOLUTION") || span_eq(s, "WORKAROUND") ||
	    span_eq(s, "STATUS"))
		return KBIMPORT_SECT_OTHER;
	return KBIMPORT_SECT_NONE;
}

/*
 * Tag lines with their section.  A heading is a known name underlined
 * with "="; the body ends at "Additional query words", the keyword
 * trailer (a long "=====" line) or the disclaimer.
 */
static void
sections(struct kbi_doc *d)
{
	enum kbimport_sect cur = KBIMPORT_SECT_NONE, h;
	size_t i;
	int started = 0, ended = 0;

	for (i = 0; i < d->n; i++) {
		struct span s = d->l[i].s;

		if (!ended && (span_starts_nocase(s, "additional query words")
		    || span_starts(s, "THE INFORMATION PROVIDED") ||
		    (started && kbi_all_eq(s, '=', 40))))
			ended = 1;
		if (ended) {
			d->l[i].sect = KBIMPORT_SECT_NONE;
			continue;
		}
		if (i + 1 < d->n && kbi_all_eq(d->l[i + 1].s, '=', 3) &&
		    (h = sect_name(s)) != KBIMPORT_SECT_NONE) {
			cur = h;
			started = 1;
			d->l[i].sect = d->l[i + 1].sect = KBIMPORT_SECT_NONE;
			d->l[i].s.n = d->l[i + 1].s.n = 0;
			i++;
			continue;
		}
		d->l[i].sect = cur;
	}
}

/* Exchange versions: N.N words of 4.0, 5.0 and 5.5 ("5.5 SP3" is 5.5). */
static void
versions_from(struct span s, int *seen)
{
	static const char *const known[] = { "4.0", "5.0", "5.5" };
	size_t i, k;

	for (i = 0; i + 3 <= s.n; i++) {
		if (i > 0 && (kbi_is_digit(s.p[i - 1]) || s.p[i - 1] == '.'))
			continue;
		if (i + 3 < s.n && (kbi_is_digit(s.p[i + 3]) ||
		    (s.p[i + 3] == '.' && i + 4 < s.n &&
		    kbi_is_digit(s.p[i + 4]))))
			continue;
		for (k = 0; k < 3; k++)
			if (memcmp(s.p + i, known[k], 3) == 0)
				seen[k] = 1;
	}
}

/*
 * Prefer the "applies to" list (lines naming Exchange Server), else the
 * header's PROD/VER or Version(s) (docs/kb-import.md, "Versions").
 */
static void
versions(struct kbi_doc *d, struct kbimport_article *a)
{
	static const char *const known[] = { "4.0", "5.0", "5.5" };
	int seen[3] = { 0, 0, 0 };
	size_t i, j, n = 0, k;

	for (i = 0; i < d->n; i++) {
		if (kbi_ci_find(d->l[i].s, "applies to") < 0)
			continue;
		for (j = i + 1; j < d->n && j < i + 12; j++) {
			struct span s = d->l[j].s;

			if (kbi_all_eq(s, '-', 10))
				break;
			if (span_starts(s, "-") &&
			    kbi_ci_find(s, "exchange server") >= 0)
				versions_from(s, seen);
		}
		break;
	}
	if (!seen[0] && !seen[1] && !seen[2])
		versions_from(d->hdr_versions, seen);
	for (k = 0; k < 3; k++) {
		if (!seen[k])
			continue;
		if (n > 0)
			a->versions[n++] = ' ';
		memcpy(a->versions + n, known[k], 3);
		n += 3;
	}
	a->versions[n] = '\0';
}

/* Other articles the text names ("Q157042"): see-also candidates. */
static void
mentions(struct kbi_doc *d, struct kbimport_article *a)
{
	char id[KB_ID_MAX];
	size_t i, j, k;

	for (i = 0; i < d->n; i++) {
		struct span s = d->l[i].s;

		if (d->l[i].sect == KBIMPORT_SECT_NONE)
			continue;
		for (j = 0; j + 6 < s.n; j++) {
			if (s.p[j] != 'Q' || (j > 0 && (kbi_is_alpha(s.p[j - 1]) ||
			    kbi_is_digit(s.p[j - 1]))) || !kbi_is_digit(s.p[j + 1]))
				continue;
			if (kbi_id_take(span_make(s.p + j, s.n - j), id,
			    sizeof(id)) == -1 || strlen(id) < 6 ||
			    strcmp(id, a->id) == 0)
				continue;
			for (k = 0; k < a->nmentions; k++)
				if (strcmp(a->mentions[k], id) == 0)
					break;
			if (k == a->nmentions &&
			    a->nmentions < KBIMPORT_MENTIONS_MAX)
				memcpy(a->mentions[a->nmentions++], id,
				    sizeof(id));
		}
	}
}

/* Which form buf holds: 1 markdown, 0 text, -1 not an article. */
static int
form_of(const uint8_t *buf, size_t len, char *err, size_t errsz)
{
	size_t i;

	if (len > KBIMPORT_FILE_MAX) {
		seterr(err, errsz, "article larger than %d bytes",
		    KBIMPORT_FILE_MAX);
		errno = EFBIG;
		return -1;
	}
	if (len > 0 && memchr(buf, '\0', len) != NULL) {
		seterr(err, errsz, "not a text file (NUL byte)");
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < len && (buf[i] == '\n' || buf[i] == '\r' ||
	    buf[i] == ' '); i++)
		;
	if (i < len && span_starts(span_make(buf + i, len - i), "---"))
		return 1;
	if (i < len && span_starts(span_make(buf + i, len - i), "DOCUMENT:"))
		return 0;
	seterr(err, errsz, "not a KB article (no front matter title, no "
	    "DOCUMENT: line)");
	errno = EINVAL;
	return -1;
}

/* Sections, versions, evidence, status: the draft of a parsed article. */
static int
draft(struct kbi_scan *sc, struct kbi_doc *d, char *err, size_t errsz)
{
	struct kbimport_article *a = sc->a;

	sections(d);
	versions(d, a);
	mentions(d, a);
	kbi_scan_doc(sc, d);
	kbi_says(sc, a->title);
	kbi_finalize(sc, 0);
	if (a->nev == 0)
		kbi_finalize(sc, 1);
	a->implies = sc->says_start ? IMS_STATUS_START_FAILED :
	    sc->says_stop ? IMS_STATUS_STOPPED : IMS_STATUS_DEGRADED;
	a->severity = a->implies == IMS_STATUS_DEGRADED ? KB_SEV_MAJOR :
	    KB_SEV_CRITICAL;
	kbi_relevance(sc);
	if (a->nev > 0)
		return KBIMPORT_OK;
	if (sc->other_svc > 0)
		seterr(err, errsz, "%s: no usable evidence (its Service Control "
		    "Manager events name other services than the IMS)", a->id);
	else
		seterr(err, errsz, "%s: no usable evidence (no event ID or "
		    "start-failure error in SYMPTOMS, SUMMARY, CAUSE or MORE "
		    "INFORMATION)", a->id);
	return KBIMPORT_NOEVIDENCE;
}

int
kbimport_parse(const uint8_t *buf, size_t len, struct kbimport_article *a,
    char *err, size_t errsz)
{
	return kbimport_parse_known(buf, len, NULL, a, err, errsz);
}

int
kbimport_parse_known(const uint8_t *buf, size_t len,
    const struct kbimport_known *known, struct kbimport_article *a,
    char *err, size_t errsz)
{
	struct kbi_doc d;
	struct kbi_scan *sc;
	int md, rc = KBIMPORT_ERR;

	memset(a, 0, sizeof(*a));
	memset(&d, 0, sizeof(d));
	if (buf == NULL)
		len = 0;
	if ((md = form_of(buf, len, err, errsz)) == -1)
		return KBIMPORT_ERR;
	a->form = md ? KBIMPORT_FORM_MARKDOWN : KBIMPORT_FORM_TEXT;
	if (doc_lines(&d, buf, len, md) == -1) {
		seterr(err, errsz, "%s", strerror(errno));
		goto out_free_lines;
	}
	if ((md ? head_markdown(&d, a, buf, len) : head_text(&d, a)) == -1) {
		seterr(err, errsz, "no article ID or title in the %s header",
		    md ? "front matter" : "DOCUMENT/TITLE");
		errno = EINVAL;
		goto out_free_lines;
	}
	if ((sc = calloc(1, sizeof(*sc))) == NULL) {
		seterr(err, errsz, "%s", strerror(errno));
		goto out_free_lines;
	}
	sc->a = a;
	sc->known = known;
	rc = draft(sc, &d, err, errsz);
	free(sc);
out_free_lines:
	free(d.l);
	return rc;
}

/* The whole file, at most KBIMPORT_FILE_MAX bytes; -1 with errno. */
static int
read_all(FILE *f, uint8_t **bufp, size_t *lenp)
{
	uint8_t *buf = NULL, *nb;
	size_t len = 0, cap = 0;

	for (;;) {
		if (len == cap) {
			if (cap > KBIMPORT_FILE_MAX) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			cap = cap ? cap * 2 : 65536;
			if (cap > KBIMPORT_FILE_MAX + 1)
				cap = KBIMPORT_FILE_MAX + 1;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return -1;
			}
			buf = nb;
		}
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
	}
	if (ferror(f)) {
		free(buf);
		errno = EIO;
		return -1;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int
kbimport_read(const char *path, struct kbimport_article *a, char *err,
    size_t errsz)
{
	return kbimport_read_known(path, NULL, a, err, errsz);
}

int
kbimport_read_known(const char *path, const struct kbimport_known *known,
    struct kbimport_article *a, char *err, size_t errsz)
{
	char msg[256];
	uint8_t *buf;
	size_t len;
	FILE *f;
	int rc, e;

	memset(a, 0, sizeof(*a));
	if ((f = fopen(path, "rb")) == NULL) {
		seterr(err, errsz, "%s: %s", path, strerror(errno));
		return KBIMPORT_ERR;
	}
	if (read_all(f, &buf, &len) == -1) {
		e = errno;
		seterr(err, errsz, "%s: %s", path, e == EFBIG ?
		    "article larger than 1 MiB" : strerror(e));
		fclose(f);
		errno = e;
		return KBIMPORT_ERR;
	}
	fclose(f);
	rc = kbimport_parse_known(buf, len, known, a, msg, sizeof(msg));
	e = errno;
	if (rc != KBIMPORT_OK)
		seterr(err, errsz, "%s: %s", path, msg);
	free(buf);
	errno = e;
	return rc;
}

int
kbimport_file(const char *path, FILE *out, char *err, size_t errsz)
{
	struct kbimport_article *a;
	int rc;

	if ((a = malloc(sizeof(*a))) == NULL) {
		seterr(err, errsz, "%s: %s", path, strerror(errno));
		return KBIMPORT_ERR;
	}
	rc = kbimport_read(path, a, err, errsz);
	if (rc == KBIMPORT_OK && kbimport_write(a, out) == -1) {
		seterr(err, errsz, "%s: cannot write the draft", path);
		rc = KBIMPORT_ERR;
	}
	free(a);
	return rc;
}
