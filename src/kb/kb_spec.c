/*
 * kb_spec: the words of a knowledge-base line (quoted strings with their
 * escapes, the rest of a line, names of roles and statuses) and the match
 * specification of docs/kb-format.md, section 4: source, id, type, log,
 * text groups, ident and the modifiers, put in canonical form.
 */
#include "kb/kb_lex.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/norm.h"

#define MK_SOURCE	0x01
#define MK_ID		0x02
#define MK_TYPE		0x04
#define MK_LOG		0x08
#define MK_ABSENT	0x10
#define MK_REPEAT	0x20
#define MK_REQUIRED	0x40
#define MK_IDENT	0x80
#define MK_GUESSED	0x100

struct kb_mkw {
	const char	*name;
	unsigned	 once;
	int		(*fn)(struct kb_lex *, struct kb_match *, int);
};

static int	m_source(struct kb_lex *, struct kb_match *, int);
static int	m_id(struct kb_lex *, struct kb_match *, int);
static int	id_word(struct kb_lex *, struct kb_match *, const char *, int,
		    int *);
static int	m_type(struct kb_lex *, struct kb_match *, int);
static int	m_log(struct kb_lex *, struct kb_match *, int);
static int	m_text(struct kb_lex *, struct kb_match *, int);
static int	m_absent(struct kb_lex *, struct kb_match *, int);
static int	m_required(struct kb_lex *, struct kb_match *, int);
static int	m_guessed(struct kb_lex *, struct kb_match *, int);
static int	m_repeat(struct kb_lex *, struct kb_match *, int);
static int	m_ident(struct kb_lex *, struct kb_match *, int);
static int	frag_read(struct kb_lex *, char *, int *);
static int	canon(struct kb_lex *, struct kb_match *, int);
static int	canon_group(struct kb_lex *, struct kb_match *, size_t, int);
static int	group_cmp(const struct kb_match *, size_t, size_t);

static const struct kb_mkw mkws[] = {
	{ "source",	MK_SOURCE, m_source },
	{ "id",		MK_ID, m_id },
	{ "type",	MK_TYPE, m_type },
	{ "log",	MK_LOG, m_log },
	{ "text",	0, m_text },
	{ "absent",	MK_ABSENT, m_absent },
	{ "repeat",	MK_REPEAT, m_repeat },
	{ "required",	MK_REQUIRED, m_required },
	{ "guessed",	MK_GUESSED, m_guessed },
	{ "ident",	MK_IDENT, m_ident },
};

static const char *const logs[] = { "application", "system", "security" };

/* The physical line holding byte pos of the logical line. */
int
kb_lx_line(const struct kb_lex *lx, size_t pos)
{
	size_t i = lx->nseg - 1;

	while (i > 0 && lx->segoff[i] > pos)
		i--;
	return lx->segline[i];
}

/*
 * Read the next word: 1 and the word, 0 at the end of the line, -1 after
 * reporting an error.  A word is a run of non-blanks or a quoted string
 * (escapes: \" and \\).
 */
int
kb_lx_word(struct kb_lex *lx, char *w, size_t wsz, int *quoted, int *line)
{
	size_t n = 0;
	char c;

	while (lx->pos < lx->len && (lx->buf[lx->pos] == ' ' ||
	    lx->buf[lx->pos] == '\t'))
		lx->pos++;
	if (lx->pos >= lx->len)
		return 0;
	*line = kb_lx_line(lx, lx->pos);
	if ((*quoted = lx->buf[lx->pos] == '"'))
		return kb_lx_quoted(lx, w, wsz, *line);
	while (lx->pos < lx->len && (c = lx->buf[lx->pos]) != ' ' &&
	    c != '\t') {
		if (c == '"') {
			kb_err(lx->d, lx->file, *line, "unexpected '\"' inside "
			    "a word");
			return -1;
		}
		if (n + 1 >= wsz) {
			kb_err(lx->d, lx->file, *line, "word too long (max %zu "
			    "bytes)", wsz - 1);
			return -1;
		}
		w[n++] = c;
		lx->pos++;
	}
	w[n] = '\0';
	return 1;
}

int
kb_lx_quoted(struct kb_lex *lx, char *w, size_t wsz, int line)
{
	size_t n = 0;
	char c;

	for (lx->pos++; lx->pos < lx->len; lx->pos++) {
		if ((c = lx->buf[lx->pos]) == '"')
			break;
		if (c == '\\') {
			c = lx->pos + 1 < lx->len ? lx->buf[++lx->pos] : ' ';
			if (c != '"' && c != '\\') {
				kb_err(lx->d, lx->file, line, "bad escape in "
				    "quoted string (only \\\" and \\\\)");
				return -1;
			}
		}
		if (n + 1 >= wsz) {
			kb_err(lx->d, lx->file, line, "quoted string too long "
			    "(max %zu bytes)", wsz - 1);
			return -1;
		}
		w[n++] = c;
	}
	if (lx->pos >= lx->len) {
		kb_err(lx->d, lx->file, line, "unterminated quoted string");
		return -1;
	}
	w[n] = '\0';
	if (++lx->pos < lx->len && lx->buf[lx->pos] != ' ' &&
	    lx->buf[lx->pos] != '\t') {
		kb_err(lx->d, lx->file, line, "missing space after closing "
		    "quote");
		return -1;
	}
	return 1;
}

int
kb_lx_peek_quote(struct kb_lex *lx)
{
	while (lx->pos < lx->len && (lx->buf[lx->pos] == ' ' ||
	    lx->buf[lx->pos] == '\t'))
		lx->pos++;
	return lx->pos < lx->len && lx->buf[lx->pos] == '"';
}

struct span
kb_lx_rest(struct kb_lex *lx)
{
	struct span s;

	s = span_trim(span_make(lx->buf + lx->pos, lx->len - lx->pos));
	lx->pos = lx->len;
	return s;
}

/* Nothing may follow the value of kw: 0, or 1 after reporting. */
int
kb_lx_end(struct kb_lex *lx, const char *kw)
{
	char w[KB_WORD_MAX];
	int q, line, r;

	if ((r = kb_lx_word(lx, w, sizeof(w), &q, &line)) == 0)
		return 0;
	if (r > 0)
		kb_err(lx->d, lx->file, line, "unexpected '%.32s' after the "
		    "%s value", w, kw);
	return 1;
}

/* The single value of kw: 0, or 1 after reporting. */
int
kb_lx_one_word(struct kb_lex *lx, const char *kw, int line, char *w, size_t wsz)
{
	int q, wl, r;

	if ((r = kb_lx_word(lx, w, wsz, &q, &wl)) < 0)
		return 1;
	if (r == 0 || w[0] == '\0') {
		kb_err(lx->d, lx->file, line, "'%s' needs a value", kw);
		return 1;
	}
	return kb_lx_end(lx, kw);
}

const char *
kb_role_iname(int i)
{
	return kb_role_name((enum kb_role)i);
}

const char *
kb_sev_iname(int i)
{
	return kb_severity_name((enum kb_severity)i);
}

const char *
kb_status_iname(int i)
{
	return ims_status_name((enum ims_status)i);
}

const char *
kb_type_iname(int i)
{
	return evt_type_name((enum evt_type)i);
}

int
kb_name_index(const char *(*name)(int), int lo, int hi, const char *w)
{
	int i;

	for (i = lo; i < hi; i++)
		if (strcmp(name(i), w) == 0)
			return i;
	return -1;
}

int
kb_parse_match(struct kb_lex *lx, struct kb_match *m, int line)
{
	char w[KB_WORD_MAX];
	const struct kb_mkw *k;
	unsigned seen = 0;
	size_t i;
	int q, wl, r;

	memset(m, 0, sizeof(*m));
	while ((r = kb_lx_word(lx, w, sizeof(w), &q, &wl)) == 1) {
		for (k = NULL, i = 0; !q && i < sizeof(mkws) / sizeof(mkws[0]);
		    i++)
			if (strcmp(mkws[i].name, w) == 0)
				k = &mkws[i];
		if (k == NULL) {
			kb_err(lx->d, lx->file, wl, "unknown match keyword "
			    "'%.32s' (source, id, type, log, text; text "
			    "fragments are quoted)", w);
			return 1;
		}
		if (k->once & seen) {
			kb_err(lx->d, lx->file, wl, "duplicate '%s' in one "
			    "match", k->name);
			return 1;
		}
		seen |= k->once;
		if (k->fn(lx, m, wl) != 0)
			return 1;
	}
	if (r < 0)
		return 1;
	if (m->nids == 0) {
		kb_err(lx->d, lx->file, line, "match needs an event 'id'");
		return 1;
	}
	return canon(lx, m, line);
}

static int
m_source(struct kb_lex *lx, struct kb_match *m, int line)
{
	char w[KB_WORD_MAX];
	int q, wl, r;

	if ((r = kb_lx_word(lx, w, sizeof(w), &q, &wl)) <= 0) {
		if (r == 0)
			kb_err(lx->d, lx->file, line, "'source' needs a "
			    "value");
		return 1;
	}
	if (!q && strcmp(w, "*") == 0)
		return 0;
	if (strlen(w) >= sizeof(m->source)) {
		kb_err(lx->d, lx->file, wl, "source too long (max %zu "
		    "bytes)", sizeof(m->source) - 1);
		return 1;
	}
	if (norm_source(m->source, sizeof(m->source), span_cstr(w)) == 0 ||
	    span_trim(span_cstr(m->source)).n == 0) {
		kb_err(lx->d, lx->file, wl, "empty source (write * for any "
		    "source)");
		return 1;
	}
	span_copy(m->source_name, sizeof(m->source_name), span_cstr(w));
	return 0;
}

/* "id 7000,7023" or "id 7000, 7023, 7024": a comma continues the list. */
static int
m_id(struct kb_lex *lx, struct kb_match *m, int line)
{
	char w[KB_WORD_MAX];
	int q, wl = line, r, more = 1;

	while (more) {
		if ((r = kb_lx_word(lx, w, sizeof(w), &q, &wl)) < 0)
			return 1;
		if (r == 0) {
			kb_err(lx->d, lx->file, wl, m->nids == 0 ? "'id' needs "
			    "a value" : "event ID list ends with a comma");
			return 1;
		}
		if (q || id_word(lx, m, w, wl, &more) != 0) {
			if (q)
				kb_err(lx->d, lx->file, wl, "bad event ID list "
				    "'%.32s' (want N or N,N,...)", w);
			return 1;
		}
	}
	return 0;
}

static int
id_word(struct kb_lex *lx, struct kb_match *m, const char *w, int wl,
    int *more)
{
	struct span s = span_cstr(w), v;
	uint32_t id;

	for (*more = 0; s.n > 0;) {
		if (span_take_until(&s, ',', &v) == -1) {
			v = s;
			s.n = 0;
		} else
			*more = s.n == 0;
		if (!span_all_digits(v)) {
			kb_err(lx->d, lx->file, wl, "bad event ID list "
			    "'%.32s' (want N or N,N,...)", w);
			return 1;
		}
		if (v.n > 5 || span_u32(&v, 5, 65535, &id) == -1) {
			kb_err(lx->d, lx->file, wl, "event ID %.*s out of "
			    "range 0..65535", (int)(v.n > 16 ? 16 : v.n),
			    (const char *)v.p);
			return 1;
		}
		if (m->nids == KB_IDS_MAX) {
			kb_err(lx->d, lx->file, wl, "too many event IDs "
			    "(max %d)", KB_IDS_MAX);
			return 1;
		}
		m->ids[m->nids++] = (uint16_t)id;
	}
	return 0;
}

static int
m_type(struct kb_lex *lx, struct kb_match *m, int line)
{
	char w[KB_WORD_MAX];
	int q, wl, r, i;

	if ((r = kb_lx_word(lx, w, sizeof(w), &q, &wl)) <= 0) {
		if (r == 0)
			kb_err(lx->d, lx->file, line, "'type' needs a value");
		return 1;
	}
	if ((i = kb_name_index(kb_type_iname, 1, EVT_TYPE__MAX, w)) < 0) {
		kb_err(lx->d, lx->file, wl, "unknown type '%.32s' (error, "
		    "warning, information, audit-success, audit-failure)", w);
		return 1;
	}
	m->type = (enum evt_type)i;
	return 0;
}

static int
m_log(struct kb_lex *lx, struct kb_match *m, int line)
{
	char w[KB_WORD_MAX];
	int q, wl, r;
	size_t i;

	if ((r = kb_lx_word(lx, w, sizeof(w), &q, &wl)) <= 0) {
		if (r == 0)
			kb_err(lx->d, lx->file, line, "'log' needs a value");
		return 1;
	}
	for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++)
		if (span_eq_nocase(span_cstr(w), logs[i])) {
			span_copy(m->log, sizeof(m->log), span_cstr(logs[i]));
			return 0;
		}
	kb_err(lx->d, lx->file, wl, "unknown log '%.32s' (application, "
	    "system, security)", w);
	return 1;
}

static int
m_text(struct kb_lex *lx, struct kb_match *m, int line)
{
	char t[KB_FRAG_MAX];
	size_t g = m->ngroups;
	int wl;

	if (g == KB_GROUPS_MAX) {
		kb_err(lx->d, lx->file, line, "too many text groups (max %d)",
		    KB_GROUPS_MAX);
		return 1;
	}
	m->ngroups++;
	while (kb_lx_peek_quote(lx)) {
		if (frag_read(lx, t, &wl) != 0)
			return 1;
		if (m->nalts[g] == KB_ALTS_MAX) {
			kb_err(lx->d, lx->file, wl, "too many alternatives "
			    "in one text group (max %d)", KB_ALTS_MAX);
			return 1;
		}
		memcpy(m->text[g][m->nalts[g]++], t, KB_FRAG_MAX);
	}
	if (m->nalts[g] == 0) {
		kb_err(lx->d, lx->file, line, "'text' needs at least one "
		    "quoted fragment");
		return 1;
	}
	return 0;
}

static int
m_absent(struct kb_lex *lx, struct kb_match *m, int line)
{
	(void)lx;
	(void)line;
	m->absent = 1;
	return 0;
}

static int
m_required(struct kb_lex *lx, struct kb_match *m, int line)
{
	(void)lx;
	(void)line;
	m->required = 1;
	return 0;
}

static int
m_guessed(struct kb_lex *lx, struct kb_match *m, int line)
{
	(void)lx;
	(void)line;
	m->guessed = 1;
	return 0;
}

static int
m_repeat(struct kb_lex *lx, struct kb_match *m, int line)
{
	char w[KB_WORD_MAX];
	struct span s;
	uint32_t n;
	int q, wl;

	if (kb_lx_word(lx, w, sizeof(w), &q, &wl) != 1 || q ||
	    (s = span_cstr(w), span_u32(&s, 4, 1000, &n)) == -1 ||
	    s.n != 0 || n < 2) {
		kb_err(lx->d, lx->file, line, "'repeat' needs a count "
		    "2..1000");
		return 1;
	}
	m->repeat = (uint16_t)n;
	return 0;
}

static int
m_ident(struct kb_lex *lx, struct kb_match *m, int line)
{
	char t[KB_FRAG_MAX];
	int wl;

	while (kb_lx_peek_quote(lx)) {
		if (frag_read(lx, t, &wl) != 0)
			return 1;
		if (m->nident == KB_ALTS_MAX) {
			kb_err(lx->d, lx->file, wl, "too many 'ident' "
			    "fragments (max %d)", KB_ALTS_MAX);
			return 1;
		}
		memcpy(m->ident[m->nident++], t, KB_FRAG_MAX);
	}
	if (m->nident == 0) {
		kb_err(lx->d, lx->file, line, "'ident' needs at least one "
		    "quoted fragment");
		return 1;
	}
	return 0;
}

/* One text group: quoted alternatives, normalised like event text. */
/* One quoted fragment, normalised like event text; 1 on error. */
static int
frag_read(struct kb_lex *lx, char *t, int *wlp)
{
	char w[KB_WORD_MAX], n[KB_WORD_MAX];
	int q;

	if (kb_lx_word(lx, w, sizeof(w), &q, wlp) != 1)
		return 1;
	if (norm_text(n, sizeof(n), span_cstr(w)) == 0) {
		kb_err(lx->d, lx->file, *wlp, "empty text fragment");
		return 1;
	}
	if (strlen(n) >= KB_FRAG_MAX) {
		kb_err(lx->d, lx->file, *wlp, "text fragment too long "
		    "(max %d bytes)", KB_FRAG_MAX - 1);
		return 1;
	}
	span_copy(t, KB_FRAG_MAX, span_cstr(n));
	return 0;
}

/*
 * Canonical form: IDs ascending, fragments sorted within a group, groups
 * sorted; so matches that mean the same are byte-for-byte equal and merge
 * into one evidence item.  Duplicates are reported.
 */
static int
canon(struct kb_lex *lx, struct kb_match *m, int line)
{
	char tmp[KB_ALTS_MAX][KB_FRAG_MAX];
	size_t i, j, g;
	uint16_t id;
	uint8_t na;

	for (i = 1; i < m->nids; i++)
		for (j = i; j > 0 && m->ids[j - 1] > m->ids[j]; j--) {
			id = m->ids[j];
			m->ids[j] = m->ids[j - 1];
			m->ids[j - 1] = id;
		}
	for (i = 1; i < m->nids; i++)
		if (m->ids[i] == m->ids[i - 1]) {
			kb_err(lx->d, lx->file, line, "duplicate event ID %u",
			    m->ids[i]);
			return 1;
		}
	for (g = 0; g < m->ngroups; g++)
		if (canon_group(lx, m, g, line) != 0)
			return 1;
	for (i = 1; i < m->ngroups; i++)
		for (j = i; j > 0 && group_cmp(m, j - 1, j) > 0; j--) {
			memcpy(tmp, m->text[j], sizeof(tmp));
			memcpy(m->text[j], m->text[j - 1], sizeof(tmp));
			memcpy(m->text[j - 1], tmp, sizeof(tmp));
			na = m->nalts[j];
			m->nalts[j] = m->nalts[j - 1];
			m->nalts[j - 1] = na;
		}
	for (i = 1; i < m->ngroups; i++)
		if (group_cmp(m, i - 1, i) == 0) {
			kb_err(lx->d, lx->file, line, "duplicate text group");
			return 1;
		}
	return 0;
}

static int
canon_group(struct kb_lex *lx, struct kb_match *m, size_t g, int line)
{
	char tmp[KB_FRAG_MAX];
	size_t i, j;

	for (i = 1; i < m->nalts[g]; i++)
		for (j = i; j > 0 &&
		    strcmp(m->text[g][j - 1], m->text[g][j]) > 0; j--) {
			memcpy(tmp, m->text[g][j], sizeof(tmp));
			memcpy(m->text[g][j], m->text[g][j - 1], sizeof(tmp));
			memcpy(m->text[g][j - 1], tmp, sizeof(tmp));
		}
	for (i = 1; i < m->nalts[g]; i++)
		if (strcmp(m->text[g][i - 1], m->text[g][i]) == 0) {
			kb_err(lx->d, lx->file, line, "duplicate text fragment "
			    "\"%s\"", m->text[g][i]);
			return 1;
		}
	return 0;
}

static int
group_cmp(const struct kb_match *m, size_t a, size_t b)
{
	size_t i;
	int c;

	if (m->nalts[a] != m->nalts[b])
		return m->nalts[a] < m->nalts[b] ? -1 : 1;
	for (i = 0; i < m->nalts[a]; i++)
		if ((c = strcmp(m->text[a][i], m->text[b][i])) != 0)
			return c;
	return 0;
}
