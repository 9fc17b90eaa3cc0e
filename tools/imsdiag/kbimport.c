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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/norm.h"
#include "util/sbuf.h"
#include "util/span.h"

#define KBI_LINES_MAX	65536	/* lines in one article */
#define KBI_RECS_MAX	64	/* event records before merging */
#define KBI_CODES_MAX	8	/* start-failure errors in the prose */
#define KBI_DESC_MAX	1024	/* one event description, joined */
#define KBI_PARA_MAX	4096	/* one prose paragraph, joined */
#define KBI_WRAP	72	/* column the writer wraps at */

#define SRC_IMC		"MSExchangeIMC"
#define SRC_SCM		"Service Control Manager"

struct kbi_line {
	struct span	 s;		/* trimmed */
	int		 indent;	/* leading blanks, after the form's TAB */
	enum kbimport_sect sect;
};

struct kbi_doc {
	struct kbi_line	*l;
	size_t		 n;
	struct span	 hdr_versions;	/* PROD/VER or Version(s) value */
};

struct kbi_rec {
	enum kbimport_sect sect;
	uint32_t	 id;
	int		 has_id;
	int		 mention;	/* named in prose */
	int		 ctx_ims;	/* introduced by text naming the IMS */
	int		 ctx_other;	/* ... or naming another service */
	int		 has_date;
	char		 source[KBIMPORT_SOURCE_MAX];
	char		 written[KBIMPORT_SOURCE_MAX];	/* the article's
					   spelling, when source was
					   normalised against the KB */
	char		 type[32];
	char		 category[48];
	char		 desc[KBI_DESC_MAX];
	size_t		 ndesc;
};

struct kbi_code {
	uint32_t	 code;		/* 0 for a phrase-only symptom */
	char		 use[KB_NAME_MAX];
	enum kbimport_sect sect;
};

struct kbi_scan {
	struct kbimport_article *a;
	const struct kbimport_known *known;	/* or NULL */
	struct kbi_rec	 recs[KBI_RECS_MAX];
	size_t		 nrecs;
	struct kbi_rec	 cur;
	int		 cur_open;
	int		 cur_desc;	/* collecting description lines */
	int		 cur_blank;	/* the one blank line allowed */
	int		 cur_data;	/* after "Data:": hex dump lines */
	char		 para[KBI_PARA_MAX];
	size_t		 npara;
	int		 para_quoted;
	enum kbimport_sect para_sect;
	int		 last_para_ims;
	int		 last_para_other;
	int		 ims_symptoms;	/* SYMPTOMS/SUMMARY name the IMS */
	int		 says_start;	/* SYMPTOMS/title: does not start */
	int		 says_stop;	/* SYMPTOMS/title: stops, hangs */
	int		 says_refuse;	/* SYMPTOMS: mail in general is not
					   delivered, or an IMS event says it
					   cannot connect */
	int		 says_ims_fails;	/* the title or one SYMPTOMS
					   paragraph names the IMS and says
					   it fails */
	int		 in_ref;	/* lines of a "Qnnn title" reference */
	size_t		 other_svc;	/* SCM events about other services */
	struct kbi_code	 codes[KBI_CODES_MAX];
	size_t		 ncodes;
};

/*
 * Known start-failure phrases (docs/kb-import.md, "Symptoms"): each
 * names a shared symptom of kb/_symptoms.kb.  Keep the two in step; the
 * tests load every draft beside that file.
 */
static const struct {
	const char	*phrase;	/* normalised: lower case, one space */
	uint32_t	 code;
	const char	*use;
} kbi_phrases[] = {
	{ "error 2140", 2140, "ims-start-2140" },
	{ "internal windows nt error", 2140, "ims-start-2140" },
	{ "error 1067", 1067, "ims-start-1067" },
	{ "process terminated unexpectedly", 1067, "ims-start-1067" },
	{ "timely fashion", 1053, "ims-start-timeout" },
	{ "error 1053", 1053, "ims-start-timeout" },
};

/* Sources as articles misspell them, and what forwarders send. */
static const struct {
	const char	*key;		/* lower case, blanks and '_' removed */
	const char	*name;
} kbi_aliases[] = {
	{ "msexchangeimc", SRC_IMC },
	{ "msexchnageimc", SRC_IMC },
	{ "msexchangeims", SRC_IMC },
	{ "imc", SRC_IMC },
	{ "msexchangeisprivate", "MSExchangeIS Private" },
	{ "msexchangeispublic", "MSExchangeIS Public" },
	{ "servicecontrolmanager", SRC_SCM },
	{ "drwatson", "DrWatson" },
};

/* Mail refused, or not flowing: a failure when the title says it. */
static const char *const kbi_refuse[] = {
	"cannot receive", "can't receive", "unable to receive",
	"cannot send", "can't send", "unable to send", "refuses",
	"rejects", "not accepting", "not be delivered",
	"not delivered", "not be sent", "not sent", "sitting in",
	"staying in", "stuck in", "not flowing", "no mail flow",
};

/* Words between a subject and its verb: "mail may not be delivered". */
static const char *const kbi_aux[] = {
	"may", "might", "can", "could", "will", "would", "is", "are", "be",
	"being", "been", "not", "still", "also", "then", "sometimes", "do",
	"does", "often",
};

/* An IMS event saying its connection failed: outbound mail waits. */
static const char *const kbi_noconnect[] = {
	"could not be made", "could not be established", "could not connect",
	"unable to connect", "cannot connect", "can't connect",
};

/* Events the IMS logs for one bad message: never discriminating alone. */
static const uint16_t kbi_per_message[] = { 4116, 4117 };

static void	wr_printable(FILE *, const char *);
static int	lc(int);
static int	is_alpha(int);
static int	is_digit(int);
static ssize_t	ci_find(struct span, const char *);
static int	ci_word(struct span, const char *);
static int	names_ims(struct span);
static int	names_other(struct span);
static int	all_eq(struct span, uint8_t, size_t);
static int	doc_lines(struct kbi_doc *, const uint8_t *, size_t, int);
static int	head_markdown(struct kbi_doc *, struct kbimport_article *,
		    const uint8_t *, size_t);
static int	head_text(struct kbi_doc *, struct kbimport_article *);
static int	title_set(struct kbimport_article *, struct span, int);
static int	id_take(struct span, char *, size_t);
static void	sections(struct kbi_doc *);
static enum kbimport_sect sect_name(struct span);
static void	versions(struct kbi_doc *, struct kbimport_article *);
static void	versions_from(struct span, int *);
static void	mentions(struct kbi_doc *, struct kbimport_article *);
static void	scan(struct kbi_scan *, struct kbi_doc *);
static void	scan_line(struct kbi_scan *, const struct kbi_line *);
static void	scan_blank(struct kbi_scan *);
static void	scan_cue(struct kbi_scan *, enum kbimport_sect, int, uint32_t,
		    struct span);
static int	scan_block(struct kbi_scan *, enum kbimport_sect, struct span,
		    int);
static int	cue_start(struct span, int, uint32_t *, struct span *);
static int	cue_label(struct span *);
static int	cue_alone(struct span);
static int	id_take_num(struct span *, uint32_t *);
static void	rec_open(struct kbi_scan *, enum kbimport_sect);
static void	rec_close(struct kbi_scan *);
static void	rec_rest(struct kbi_scan *, struct span);
static void	rec_desc(struct kbi_scan *, struct span);
static int	field_line(struct kbi_scan *, struct span, int);
static int	label_at(struct span, size_t *);
static void	para_add(struct kbi_scan *, struct span, int,
		    enum kbimport_sect);
static void	para_end(struct kbi_scan *);
static void	para_mentions(struct kbi_scan *, struct span, int, int);
static void	para_codes(struct kbi_scan *, struct span, int);
static void	code_add(struct kbi_scan *, uint32_t, enum kbimport_sect);
static void	says(struct kbi_scan *, const char *);
static int	says_fail(const char *);
static int	refuses_mail(const char *);
static int	no_connect(const char *);
static int	has_phrase(const char *, const char *);
static void	copy_field(char *, size_t, struct span);
static void	source_canon(char *, size_t, const char *);
static int	source_word(const struct kbi_scan *, struct span);
static int	source_aliased(const char *);
static void	rec_known(struct kbi_scan *, struct kbi_rec *);
static size_t	src_key(char *, size_t, const char *);
static int	near_miss(const char *, const char *);
static const char *log_for(const char *);
static const char *type_for(const char *);
static int	code_token(const char *, char *, size_t);
static int	ident_words(const char *, char *, size_t);
static int	paren_pid(const char *, size_t);
static void	finalize(struct kbi_scan *, int);
static void	ev_from_rec(struct kbi_scan *, const struct kbi_rec *, int,
		    int);
static void	ev_add(struct kbimport_article *, const struct kbimport_ev *);
static int	ev_same(const struct kbimport_ev *, const struct kbimport_ev *);
static void	ev_merge(struct kbimport_ev *, const struct kbimport_ev *);
static void	ev_group(struct kbimport_ev *, const char *const *, size_t);
static void	ev_use(struct kbimport_ev *, const char *,
		    enum kbimport_sect);
static void	ev_scm_code(struct kbimport_ev *, uint32_t,
		    enum kbimport_sect);
static void	roles(struct kbimport_article *, int);
static int	in_title(const char *, uint32_t);
static int	sect_primary(enum kbimport_sect, int);
static void	relevance(struct kbi_scan *);
static int	ev_ims(const struct kbimport_ev *);
static int	wr_ev(const struct kbimport_ev *, FILE *);
static void	wr_word(char *, size_t, size_t *, const char *);
static void	wr_quote(char *, size_t, const char *);
static void	wr_pair(char *, size_t, size_t *, const char *, const char *,
		    int);
static const char *sect_label(enum kbimport_sect);
static int	form_of(const uint8_t *, size_t, char *, size_t);
static int	read_all(FILE *, uint8_t **, size_t *);
static int	draft(struct kbi_scan *, struct kbi_doc *, char *, size_t);

static int
lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Case-insensitive search; lit is lower case. */
static ssize_t
ci_find(struct span s, const char *lit)
{
	size_t n = strlen(lit), i, j;

	if (n == 0)
		return 0;
	for (i = 0; i + n <= s.n; i++) {
		for (j = 0; j < n && lc(s.p[i + j]) == lit[j]; j++)
			;
		if (j == n)
			return (ssize_t)i;
	}
	return -1;
}

/* Does the word w (lower case) occur in s, bounded by non-letters? */
static int
ci_word(struct span s, const char *w)
{
	struct span t = s;
	ssize_t k;
	size_t n = strlen(w), at;

	while ((k = ci_find(t, w)) >= 0) {
		at = (size_t)k;
		if ((at == 0 || !is_alpha(t.p[at - 1])) &&
		    (at + n == t.n || !is_alpha(t.p[at + n])))
			return 1;
		t.p += at + 1;
		t.n -= at + 1;
	}
	return 0;
}

static int
names_ims(struct span s)
{
	return ci_find(s, "internet mail") >= 0 || ci_word(s, "imc") ||
	    ci_word(s, "ims") || ci_find(s, "msexcimc") >= 0 ||
	    ci_find(s, "msexchangeimc") >= 0;
}

/* Other Exchange services an introducing sentence may name. */
static int
names_other(struct span s)
{
	return ci_find(s, "system attendant") >= 0 || ci_word(s, "sa") ||
	    ci_find(s, "message transfer agent") >= 0 || ci_word(s, "mta") ||
	    ci_find(s, "information store") >= 0 ||
	    ci_find(s, "key management") >= 0 ||
	    ci_find(s, "directory service") >= 0;
}

static int
all_eq(struct span s, uint8_t c, size_t min)
{
	size_t i;

	if (s.n < min)
		return 0;
	for (i = 0; i < s.n; i++)
		if (s.p[i] != c)
			return 0;
	return 1;
}

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

/* "Qnnn" at the front of s: 1 to 8 digits after the Q. */
static int
id_take(struct span s, char *id, size_t idsz)
{
	size_t i;

	if (s.n < 2 || (s.p[0] != 'Q' && s.p[0] != 'q'))
		return -1;
	for (i = 1; i < s.n && is_digit(s.p[i]); i++)
		;
	if (i < 2 || i > 9 || (i < s.n && (is_alpha(s.p[i]) ||
	    is_digit(s.p[i]))))
		return -1;
	if (idsz < i + 1)
		return -1;
	id[0] = 'Q';
	memcpy(id + 1, s.p + 1, i - 1);
	id[i] = '\0';
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
		    id_take(span_make(line.p, (size_t)k), a->id,
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
			if (id_take(s, a->id, sizeof(a->id)) == -1)
				return -1;
		} else if (span_expect(&s, "TITLE") == 0) {
			span_skip_spaces(&s);
			if (span_expect(&s, ":") == 0 &&
			    title_set(a, s, 0) == -1)
				return -1;
		} else if (span_expect(&s, "PROD/VER:") == 0) {
			d->hdr_versions = span_trim(s);
		} else if (all_eq(s, '=', 10)) {
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
		    (started && all_eq(s, '=', 40))))
			ended = 1;
		if (ended) {
			d->l[i].sect = KBIMPORT_SECT_NONE;
			continue;
		}
		if (i + 1 < d->n && all_eq(d->l[i + 1].s, '=', 3) &&
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
		if (i > 0 && (is_digit(s.p[i - 1]) || s.p[i - 1] == '.'))
			continue;
		if (i + 3 < s.n && (is_digit(s.p[i + 3]) ||
		    (s.p[i + 3] == '.' && i + 4 < s.n &&
		    is_digit(s.p[i + 4]))))
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
		if (ci_find(d->l[i].s, "applies to") < 0)
			continue;
		for (j = i + 1; j < d->n && j < i + 12; j++) {
			struct span s = d->l[j].s;

			if (all_eq(s, '-', 10))
				break;
			if (span_starts(s, "-") &&
			    ci_find(s, "exchange server") >= 0)
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
			if (s.p[j] != 'Q' || (j > 0 && (is_alpha(s.p[j - 1]) ||
			    is_digit(s.p[j - 1]))) || !is_digit(s.p[j + 1]))
				continue;
			if (id_take(span_make(s.p + j, s.n - j), id,
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

/* Is there a label at the front of s?  Its kind, *len its length. */
static int
label_at(struct span s, size_t *len)
{
	size_t k, n;

	for (k = 0; k < sizeof(kbi_labels) / sizeof(kbi_labels[0]); k++) {
		n = strlen(kbi_labels[k].name);
		if (!span_starts_nocase(s, kbi_labels[k].name))
			continue;
		if (n < s.n && (is_alpha(s.p[n]) || s.p[n] == '(' ||
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
		if (t.n > 0 && is_alpha(t.p[0]))
			continue;
		*s = t;
		return 0;
	}
	return -1;
}

/* 1 to 5 digits, 1..65535, not followed by a digit or '.' + digit. */
static int
id_take_num(struct span *s, uint32_t *id)
{
	struct span t = *s;

	if (span_u32(&t, 5, 65535, id) == -1 || *id == 0)
		return -1;
	if (t.n > 0 && (is_digit(t.p[0]) || (t.p[0] == '.' && t.n > 1 &&
	    is_digit(t.p[1])) || t.p[0] == '/'))
		return -1;
	*s = t;
	return 0;
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
		if (id_take_num(&t, id) == 0) {
			*rest = t;
			return 1;
		}
		return 0;
	}
	t = s;
	if (!is_digit(s.p[0]) || id_take_num(&t, id) == -1 ||
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

		says(sc, r->desc);
		source_canon(src, sizeof(src), r->source);
		if (strcmp(src, SRC_IMC) == 0 && no_connect(r->desc))
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

		if (span_find_byte(c1, ' ') == -1 && is_alpha(c1.p[0])) {
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
		if (id_take_num(&v, &id) == 0) {
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
	if (sc->in_ref || (t.p[0] == 'Q' && t.n > 6 && is_digit(t.p[1]) &&
	    is_digit(t.p[5]))) {
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
		if (i > 0 && is_alpha(p.p[i - 1]))
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
			if (id_take_num(&t, &id) == -1 || id < 100)
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
	for (k = 0; k < sizeof(kbi_phrases) / sizeof(kbi_phrases[0]); k++)
		if (span_find(n, kbi_phrases[k].phrase) >= 0)
			code_add(sc, kbi_phrases[k].code, sc->para_sect);
	if (!prose)
		return;
	t = n;
	while ((at = span_find(t, "error ")) >= 0) {
		t = span_make(t.p + at + 6, t.n - (size_t)at - 6);
		if (at > 0 && is_alpha(t.p[-7]))
			continue;
		/* "an event log error 4116" names an event, not an error. */
		if (t.p - 10 >= (const uint8_t *)norm &&
		    memcmp(t.p - 10, "log error ", 10) == 0)
			continue;
		if (span_u32(&t, 5, 65535, &code) == 0 && code >= 100 &&
		    (t.n == 0 || !is_digit(t.p[0])))
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
	for (k = 0; k < sizeof(kbi_phrases) / sizeof(kbi_phrases[0]); k++)
		if (kbi_phrases[k].code == code) {
			snprintf(sc->codes[sc->ncodes].use,
			    sizeof(sc->codes[0].use), "%s", kbi_phrases[k].use);
			break;
		}
	sc->ncodes++;
}

/* Does the text say the service does not start, or stops? */
static void
says(struct kbi_scan *sc, const char *text)
{
	int r = says_fail(text);

	if (r & 1)
		sc->says_start = 1;
	if (r & 2)
		sc->says_stop = 1;
}

/* 1: the text says a service does not start; 2: that it stops; or both. */
static int
says_fail(const char *text)
{
	static const char *const start[] = {
		"not start", "n't start", "fail to start", "fails to start",
		"failed to start", "unable to start", "cannot start",
		"can't start", "could not start", "error 2140", "error 1067",
		"when starting", "when you start", "when restarting",
	};
	static const char *const stop[] = {
		"stops", "stop responding", "stopped", "shut down",
		"shuts down", "shutting down", "terminates", "terminated",
		"hang", "hangs", "access violation", "stop delivering",
		"stop processing",
	};
	char norm[KBI_PARA_MAX];
	size_t k;
	int r = 0;

	norm_text(norm, sizeof(norm), span_cstr(text));
	for (k = 0; k < sizeof(start) / sizeof(start[0]); k++)
		if (has_phrase(norm, start[k]))
			r |= 1;
	for (k = 0; k < sizeof(stop) / sizeof(stop[0]); k++)
		if (has_phrase(norm, stop[k]))
			r |= 2;
	return r;
}

/*
 * Does the text say that mail in general is refused or stuck ("mail is
 * sitting in the queue", "messages may not be delivered")?  The subject
 * before the phrase, past auxiliaries, must be "mail" or "messages": one
 * message not delivered is that message's problem, not the service's.
 */
static int
refuses_mail(const char *text)
{
	char norm[KBI_PARA_MAX];
	const char *q, *w, *e;
	size_t k, a, n;

	norm_text(norm, sizeof(norm), span_cstr(text));
	for (k = 0; k < sizeof(kbi_refuse) / sizeof(kbi_refuse[0]); k++) {
		n = strlen(kbi_refuse[k]);
		for (q = norm; (q = strstr(q, kbi_refuse[k])) != NULL; q++) {
			if ((q > norm && is_alpha((unsigned char)q[-1])) ||
			    is_alpha((unsigned char)q[n]))
				continue;
			/* Walk back over the words before the phrase. */
			for (e = q; ; e = w) {
				while (e > norm && !is_alpha((unsigned char)
				    e[-1]))
					e--;
				for (w = e; w > norm && (is_alpha(
				    (unsigned char)w[-1]) || w[-1] == '-'); w--)
					;
				if (w == e)
					break;
				for (a = 0; a < sizeof(kbi_aux) /
				    sizeof(kbi_aux[0]); a++)
					if ((size_t)(e - w) ==
					    strlen(kbi_aux[a]) && memcmp(w,
					    kbi_aux[a], (size_t)(e - w)) == 0)
						break;
				if (a == sizeof(kbi_aux) / sizeof(kbi_aux[0]))
					break;
			}
			if (((size_t)(e - w) == 4 && memcmp(w, "mail", 4) == 0) ||
			    ((size_t)(e - w) == 6 &&
			    memcmp(w, "e-mail", 6) == 0) ||
			    ((size_t)(e - w) == 8 &&
			    memcmp(w, "messages", 8) == 0))
				return 1;
		}
	}
	return 0;
}

/* Does an IMS event's description say its connection failed? */
static int
no_connect(const char *desc)
{
	char norm[KBI_DESC_MAX];
	size_t k;

	norm_text(norm, sizeof(norm), span_cstr(desc));
	for (k = 0; k < sizeof(kbi_noconnect) / sizeof(kbi_noconnect[0]); k++)
		if (has_phrase(norm, kbi_noconnect[k]))
			return 1;
	return 0;
}

/* Phrase p in normalised text s, starting and ending at word edges. */
static int
has_phrase(const char *s, const char *p)
{
	const char *q = s;
	size_t n = strlen(p);

	while ((q = strstr(q, p)) != NULL) {
		if ((q == s || !is_alpha((unsigned char)q[-1])) &&
		    !is_alpha((unsigned char)q[n]))
			return 1;
		q++;
	}
	return 0;
}

static void
para_end(struct kbi_scan *sc)
{
	struct span p;

	if (sc->npara == 0)
		return;
	sc->para[sc->npara] = '\0';
	p = span_make(sc->para, sc->npara);
	sc->last_para_ims = names_ims(p);
	sc->last_para_other = names_other(p);
	if (sc->para_sect == KBIMPORT_SECT_SYMPTOMS ||
	    sc->para_sect == KBIMPORT_SECT_SUMMARY) {
		if (sc->last_para_ims)
			sc->ims_symptoms = 1;
		says(sc, sc->para);
		if (refuses_mail(sc->para))
			sc->says_refuse = 1;
		if (sc->last_para_ims && (says_fail(sc->para) ||
		    refuses_mail(sc->para)))
			sc->says_ims_fails = 1;
		para_codes(sc, p, !sc->para_quoted);
	}
	para_mentions(sc, p, sc->last_para_ims && !sc->last_para_other,
	    sc->last_para_other);
	sc->npara = 0;
}

static void
scan(struct kbi_scan *sc, struct kbi_doc *d)
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

/* The name a forwarder sends for the source as the article wrote it. */
static void
source_canon(char *dst, size_t dstsz, const char *src)
{
	char key[KBIMPORT_SOURCE_MAX];
	size_t i, n = 0, k;

	dst[0] = '\0';
	if (src[0] == '\0' || strchr(src, '<') != NULL ||
	    strchr(src, '>') != NULL)
		return;
	for (i = 0; src[i] != '\0' && n + 1 < sizeof(key); i++)
		if (src[i] != ' ' && src[i] != '_' && src[i] != '\t')
			key[n++] = (char)lc((unsigned char)src[i]);
	key[n] = '\0';
	for (k = 0; k < sizeof(kbi_aliases) / sizeof(kbi_aliases[0]); k++)
		if (strcmp(key, kbi_aliases[k].key) == 0) {
			snprintf(dst, dstsz, "%s", kbi_aliases[k].name);
			return;
		}
	/* Only names a source can have: letters, digits, blanks, _ . - */
	for (i = 0; src[i] != '\0'; i++)
		if (!is_alpha((unsigned char)src[i]) &&
		    !is_digit((unsigned char)src[i]) && src[i] != ' ' &&
		    src[i] != '_' && src[i] != '.' && src[i] != '-')
			return;
	snprintf(dst, dstsz, "%s", src);
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
	source_canon(c, sizeof(c), w);
	return source_aliased(c);
}

/* Is name one that an alias of the importer's own maps to? */
static int
source_aliased(const char *name)
{
	size_t k;

	for (k = 0; k < sizeof(kbi_aliases) / sizeof(kbi_aliases[0]); k++)
		if (strcmp(name, kbi_aliases[k].name) == 0)
			return 1;
	return 0;
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
	source_canon(alias, sizeof(alias), r->source);
	if (r->source[0] == '\0' || strcmp(alias, r->source) != 0 ||
	    (m = kbimport_known_match(sc->known, r->source)) == NULL ||
	    strcmp(m, r->source) == 0)
		return;
	snprintf(r->written, sizeof(r->written), "%s", r->source);
	snprintf(r->source, sizeof(r->source), "%s", m);
}

/* Lower case, without blanks, '_', '.', '-': "MSExchange IMC" ~ ... */
static size_t
src_key(char *key, size_t sz, const char *s)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < sz; s++)
		if (*s != ' ' && *s != '\t' && *s != '_' && *s != '.' &&
		    *s != '-')
			key[n++] = (char)lc((unsigned char)*s);
	key[n] = '\0';
	return n;
}

/* One letter missing or doubled, or two neighbours swapped. */
static int
near_miss(const char *w, const char *c)
{
	size_t nw = strlen(w), nc = strlen(c), i;

	if (nw < 8 || nc < 8)
		return 0;
	if (nw == nc) {
		for (i = 0; i < nw && w[i] == c[i]; i++)
			;
		return i + 1 < nw && w[i] == c[i + 1] && w[i + 1] == c[i] &&
		    strcmp(w + i + 2, c + i + 2) == 0;
	}
	if (nw + 1 == nc)
		return near_miss(c, w);
	if (nw != nc + 1)
		return 0;
	for (i = 0; i < nc && w[i] == c[i]; i++)
		;
	return strcmp(w + i + 1, c + i) == 0;
}

void
kbimport_known_add(struct kbimport_known *k, const char *name)
{
	char key[KBIMPORT_SOURCE_MAX], o[KBIMPORT_SOURCE_MAX];
	size_t i;

	if (src_key(key, sizeof(key), name) == 0 ||
	    strlen(name) >= KBIMPORT_SOURCE_MAX || strchr(name, '<') != NULL)
		return;
	for (i = 0; i < k->n; i++) {
		src_key(o, sizeof(o), k->name[i]);
		if (strcmp(o, key) == 0)
			return;
	}
	if (k->n >= KBIMPORT_KNOWN_MAX) {
		k->ndropped++;
		return;
	}
	snprintf(k->name[k->n++], sizeof(k->name[0]), "%s", name);
}

void
kbimport_known_from_kb(struct kbimport_known *k, const struct kb *kb)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < kb_nitems(kb); i++)
		kbimport_known_add(k, kb_item(kb, i)->match.source_name);
}

const char *
kbimport_known_match(const struct kbimport_known *k, const char *src)
{
	char w[KBIMPORT_SOURCE_MAX], c[KBIMPORT_SOURCE_MAX];
	const char *best = NULL;
	size_t i, nbest = 0;
	int how, how_best = 3;

	if (k == NULL || src_key(w, sizeof(w), src) == 0)
		return NULL;
	for (i = 0; i < k->n; i++) {
		src_key(c, sizeof(c), k->name[i]);
		if (strcmp(w, c) == 0)
			how = 0;
		else if (near_miss(w, c))
			how = 1;
		else if (strlen(w) >= 2 && strncmp(c, "msexchange", 10) == 0 &&
		    strcmp(c + 10, w) == 0)
			how = 2;
		else
			continue;
		if (how < how_best) {
			how_best = how;
			best = k->name[i];
			nbest = 1;
		} else if (how == how_best)
			nbest++;
	}
	return nbest == 1 ? best : NULL;
}

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
	if (ci_find(s, "audit") >= 0 && ci_find(s, "fail") >= 0)
		return "audit-failure";
	if (ci_find(s, "audit") >= 0 && ci_find(s, "success") >= 0)
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

		if (i > 0 && (is_alpha((unsigned char)norm[i - 1]) ||
		    is_digit((unsigned char)norm[i - 1])))
			continue;
		for (j = b, zero = 1; j < n && j < b + 9 &&
		    (is_digit((unsigned char)norm[j]) ||
		    (norm[j] >= 'a' && norm[j] <= 'f')); j++)
			if (norm[j] != '0')
				zero = 0;
		if (j - b == 8 && (j == n || !is_alpha((unsigned char)norm[j]))
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
		if (!is_digit((unsigned char)norm[i]) || (i > 0 &&
		    (is_digit((unsigned char)norm[i - 1]) ||
		    is_alpha((unsigned char)norm[i - 1]) || norm[i - 1] == '.' ||
		    norm[i - 1] == '/' || norm[i - 1] == ':')))
			continue;
		for (j = i; j < n && is_digit((unsigned char)norm[j]); j++)
			;
		if (j - i < 4 || j - i > 5 || (j < n &&
		    (is_alpha((unsigned char)norm[j]) || norm[j] == '.' ||
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
		for (j = i + 1; j < n && is_digit((unsigned char)norm[j]); j++)
			;
		if (j == i + 1 || j - i > 6 || j >= n || norm[j] != ']')
			continue;
		k = i > 24 ? i - 24 : 0;
		if (ci_find(span_make(norm + k, i - k), "error") < 0)
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

static int
ev_same(const struct kbimport_ev *x, const struct kbimport_ev *y)
{
	size_t g, k;

	if (x->use[0] != '\0' || y->use[0] != '\0')
		return strcmp(x->use, y->use) == 0;
	/* Event log source names are not case sensitive (nor is the KB). */
	if (strcasecmp(x->source, y->source) != 0 || x->nids != y->nids ||
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
	source_canon(e.source, sizeof(e.source), r->source);
	if (e.source[0] != '\0' && r->written[0] != '\0')
		snprintf(e.source_as, sizeof(e.source_as), "%s", r->written);
	else if (e.source[0] != '\0' && strcmp(e.source, r->source) != 0)
		snprintf(e.source_as, sizeof(e.source_as), "%s", r->source);
	if (e.source[0] == '\0' && (names_ims(desc) ||
	    (r->ctx_ims && !r->ctx_other) ||
	    (all_imc && ims_article && !r->ctx_other))) {
		snprintf(e.source, sizeof(e.source), "%s", SRC_IMC);
		e.source_assumed = 1;
	}
	if (strcmp(e.source, SRC_SCM) == 0) {
		/* An SCM event is about the service it names. */
		if (!names_ims(desc)) {
			sc->other_svc++;
			return;
		}
		for (k = 0; k < sizeof(kbi_phrases) / sizeof(kbi_phrases[0]);
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
	if (strcmp(e.source, SRC_IMC) != 0 && names_ims(desc)) {
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
		if (!is_digit((unsigned char)title[i]) || (i > 0 &&
		    is_digit((unsigned char)title[i - 1])))
			continue;
		for (j = i, v = 0; is_digit((unsigned char)title[j]) &&
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
		    ci_find(span_cstr(e->category), "message transfer") >= 0)))
			e->role = KB_ROLE_SUPPORTING;
		else if ((e->sect == KBIMPORT_SECT_SYMPTOMS ||
		    e->sect == KBIMPORT_SECT_SUMMARY ||
		    (fallback && e->sect == KBIMPORT_SECT_MORE)) &&
		    (strcmp(e->source, SRC_IMC) == 0 ||
		    (e->source[0] != '\0' && e->ngroups > 0 &&
		    ci_find(span_cstr(e->text[0][0]), "mail") >= 0) ||
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

static void
finalize(struct kbi_scan *sc, int fallback)
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
		source_canon(src, sizeof(src), sc->recs[k].source);
		if (src[0] != '\0' && strcmp(src, SRC_IMC) != 0)
			all_imc = 0;
	}
	ims_article = sc->ims_symptoms || names_ims(span_cstr(a->title));
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

/*
 * Is the article about the IMS failing (not starting, stopping, refusing
 * mail)?  Judged from its own structure: the title, the SYMPTOMS (or
 * SUMMARY), the events.  A list of fixes or release notes, an article
 * that names the IMS in neither title nor SYMPTOMS, one that describes
 * no failure of it, or one without any event of the IMS is a reference
 * entry: browsable, never a fault by itself.
 */
static void
relevance(struct kbi_scan *sc)
{
	static const char *const lists[] = {
		"list of", "readme", "release notes", "bugs fixed",
		"fixes", "descriptions are missing", "could not be found",
	};
	struct kbimport_article *a = sc->a;
	struct span t = span_cstr(a->title);
	const char *why = NULL;
	size_t k;
	char norm[KB_TITLE_MAX];
	int ims_ev = 0, ims_sym = sc->ims_symptoms, refuse = 0;

	for (k = 0; k < a->nev; k++) {
		ims_ev |= ev_ims(&a->ev[k]);
		/* An IMS event block in SYMPTOMS names the IMS too. */
		if (!a->ev[k].mentioned && !a->ev[k].source_assumed &&
		    strcmp(a->ev[k].source, SRC_IMC) == 0 &&
		    (a->ev[k].sect == KBIMPORT_SECT_SYMPTOMS ||
		    a->ev[k].sect == KBIMPORT_SECT_SUMMARY))
			ims_sym = 1;
	}
	for (k = 0; k < sizeof(lists) / sizeof(lists[0]) && why == NULL; k++)
		if (ci_find(t, lists[k]) >= 0)
			why = "a list, notes or message-file article, not one "
			    "failure";
	if (why == NULL && !names_ims(t) && !ims_sym)
		why = "names the IMS in neither its title nor its SYMPTOMS";
	norm_text(norm, sizeof(norm), t);
	for (k = 0; k < sizeof(kbi_refuse) / sizeof(kbi_refuse[0]); k++)
		refuse |= has_phrase(norm, kbi_refuse[k]);
	if (names_ims(t) && (refuse || says_fail(a->title)))
		sc->says_ims_fails = 1;
	refuse |= sc->says_refuse;
	if (why == NULL && !sc->says_start && !sc->says_stop && !refuse)
		why = "describes no IMS failure (not starting, stopping, "
		    "refusing mail)";
	/* Another service's events count when the text says the IMS
	 * itself fails ("the IMS and the store hang", "mail sits in the
	 * MTA queue instead of leaving through the IMS"). */
	if (why == NULL && a->nev > 0 && !ims_ev && !sc->says_ims_fails)
		why = "names no event of the IMS or of its start failure";
	a->reference = why != NULL;
	snprintf(a->reference_why, sizeof(a->reference_why), "%s",
	    why != NULL ? why : "");
}

/* An event of the IMS itself, or the report of its start failure. */
static int
ev_ims(const struct kbimport_ev *e)
{
	if (e->use[0] != '\0')
		return 1;
	return strcmp(e->source, SRC_IMC) == 0 ||
	    (strcmp(e->source, SRC_SCM) == 0 && e->ngroups > 0);
}

/* Sections, versions, evidence, status: the draft of a parsed article. */
static int
draft(struct kbi_scan *sc, struct kbi_doc *d, char *err, size_t errsz)
{
	struct kbimport_article *a = sc->a;

	sections(d);
	versions(d, a);
	mentions(d, a);
	scan(sc, d);
	says(sc, a->title);
	finalize(sc, 0);
	if (a->nev == 0)
		finalize(sc, 1);
	a->implies = sc->says_start ? IMS_STATUS_START_FAILED :
	    sc->says_stop ? IMS_STATUS_STOPPED : IMS_STATUS_DEGRADED;
	a->severity = a->implies == IMS_STATUS_DEGRADED ? KB_SEV_MAJOR :
	    KB_SEV_CRITICAL;
	relevance(sc);
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

static const char *
sect_label(enum kbimport_sect s)
{
	switch (s) {
	case KBIMPORT_SECT_SUMMARY:
		return "SUMMARY";
	case KBIMPORT_SECT_SYMPTOMS:
		return "SYMPTOMS";
	case KBIMPORT_SECT_CAUSE:
		return "CAUSE";
	case KBIMPORT_SECT_MORE:
		return "MORE INFORMATION";
	default:
		return "text";
	}
}

/* w as a KB quoted string: \" and \\ escaped. */
static void
wr_quote(char *dst, size_t dstsz, const char *w)
{
	size_t n = 0, i;

	if (dstsz < 3) {
		if (dstsz > 0)
			dst[0] = '\0';
		return;
	}
	dst[n++] = '"';
	for (i = 0; w[i] != '\0' && n + 3 < dstsz; i++) {
		if (w[i] == '"' || w[i] == '\\')
			dst[n++] = '\\';
		/* The KB format takes no control byte (found by fuzzing). */
		dst[n++] = (unsigned char)w[i] < 0x20 || w[i] == 0x7f ? ' ' :
		    w[i];
	}
	dst[n++] = '"';
	dst[n] = '\0';
}

/*
 * Append one word to a logical line being wrapped: a continuation line
 * (TAB) starts when the word would pass KBI_WRAP.  The buffers are sized
 * for the longest item a draft can hold.
 */
static void
wr_word(char *buf, size_t bufsz, size_t *col, const char *w)
{
	size_t n = strlen(w), len = strlen(buf);

	if (*col > 8 && *col + 1 + n > KBI_WRAP) {
		if (len + 2 + n >= bufsz)
			return;
		buf[len++] = '\n';
		buf[len++] = '\t';
		*col = 8;
	} else if (len > 0) {
		if (len + 1 + n >= bufsz)
			return;
		buf[len++] = ' ';
		(*col)++;
	} else if (n >= bufsz) {
		return;
	}
	memcpy(buf + len, w, n + 1);
	*col += n;
}

/*
 * Text taken from the article, as written into the draft: a control byte
 * (which the KB format refuses) becomes a blank.
 */
static void
wr_printable(FILE *out, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
}

/* Write "key value..." so that a key stays with its first value. */
static void
wr_pair(char *buf, size_t bufsz, size_t *col, const char *key,
    const char *val, int quote)
{
	char w[2 * KB_FRAG_MAX + 4];

	snprintf(w, sizeof(w), "%s ", key);
	if (quote)
		wr_quote(w + strlen(w), sizeof(w) - strlen(w), val);
	else {
		char *p = w + strlen(w);

		snprintf(p, sizeof(w) - strlen(w), "%s", val);
		for (; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '_';
	}
	wr_word(buf, bufsz, col, w);
}

static int
wr_ev(const struct kbimport_ev *e, FILE *out)
{
	char line[2048], ids[64], q[2 * KB_FRAG_MAX + 4];
	size_t col = 0, k, g, n = 0;

	line[0] = '\0';
	wr_word(line, sizeof(line), &col, "evidence");
	wr_word(line, sizeof(line), &col, kb_role_name(e->role));
	if (e->use[0] != '\0') {
		wr_pair(line, sizeof(line), &col, "use", e->use, 0);
		return fprintf(out, "%s\n", line) < 0 ? -1 : 0;
	}
	if (e->source[0] != '\0')
		wr_pair(line, sizeof(line), &col, "source", e->source,
		    strchr(e->source, ' ') != NULL);
	for (k = 0; k < e->nids; k++)
		n += (size_t)snprintf(ids + n, sizeof(ids) - n, "%s%u",
		    k ? "," : "", (unsigned)e->ids[k]);
	wr_pair(line, sizeof(line), &col, "id", ids, 0);
	if (e->type[0] != '\0')
		wr_pair(line, sizeof(line), &col, "type", e->type, 0);
	if (e->log[0] != '\0')
		wr_pair(line, sizeof(line), &col, "log", e->log, 0);
	for (g = 0; g < e->ngroups; g++) {
		wr_pair(line, sizeof(line), &col, "text", e->text[g][0], 1);
		for (k = 1; k < e->nalts[g]; k++) {
			wr_quote(q, sizeof(q), e->text[g][k]);
			wr_word(line, sizeof(line), &col, q);
		}
	}
	if (e->ident[0] != '\0')
		wr_pair(line, sizeof(line), &col, "ident", e->ident, 1);
	if (e->source_assumed)
		wr_word(line, sizeof(line), &col, "guessed");
	return fprintf(out, "%s\n", line) < 0 ? -1 : 0;
}

int
kbimport_write(const struct kbimport_article *a, FILE *out)
{
	const struct kbimport_ev *e;
	size_t k;

	fprintf(out, "# Draft of %s: check the evidence and its roles, write "
	    "cause and\n# resolution in our own words, then make it "
	    "curated.\n", a->id);
	if (a->reference)
		fprintf(out, "# Reference entry: the article %s.  It is listed "
		    "but opens no\n# fault; make it generated or curated if "
		    "it is an IMS failure after all.\n", a->reference_why);
	fprintf(out, "article %s\ntitle ", a->id);
	wr_printable(out, a->title);
	fprintf(out, "\norigin %s\n", a->reference ? "reference" : "generated");
	if (a->versions[0] != '\0')
		fprintf(out, "versions %s\n", a->versions);
	fprintf(out, "severity %s\nimplies %s\n", kb_severity_name(a->severity),
	    ims_status_name(a->implies));
	for (k = 0; k < a->nev; k++) {
		e = &a->ev[k];
		fprintf(out, "\n# %s:", sect_label(e->sect));
		if (e->use[0] != '\0')
			fprintf(out, " shared symptom");
		else if (e->mentioned)
			fprintf(out, " named in the text");
		else
			fprintf(out, " event block");
		if (e->source_assumed)
			fprintf(out, "; source guessed");
		else if (e->source_as[0] != '\0') {
			fprintf(out, "; source written \"");
			wr_printable(out, e->source_as);
			fputc('"', out);
		} else if (e->use[0] == '\0' && e->source[0] == '\0')
			fprintf(out, "; no source given");
		if (e->category[0] != '\0') {
			fprintf(out, "; category ");
			wr_printable(out, e->category);
		}
		fputc('\n', out);
		if (wr_ev(e, out) == -1)
			return -1;
	}
	if (a->nev_dropped > 0)
		fprintf(out, "\n# %zu more events not drafted (at most %d)\n",
		    a->nev_dropped, KBIMPORT_EV_MAX);
	if (a->nmentions > 0) {
		fprintf(out, "\n# The article names:");
		for (k = 0; k < a->nmentions; k++)
			fprintf(out, " %s", a->mentions[k]);
		fprintf(out, " (see-also candidates)\n");
	}
	fprintf(out, "\ncause TODO\nresolution TODO\n");
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
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
