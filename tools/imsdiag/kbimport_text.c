/*
 * kbimport_text: words and source names: the case-blind search, the IMS's
 * names, phrases at word edges, article IDs, and the source spellings
 * (the importer's own aliases, and those a loaded KB knows).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbimport_int.h"
#include "util/norm.h"
#include "util/span.h"

/* The phrases of kbimport_int.h. */
const struct kbi_phrase kbi_phrases[] = {
	{ "error 2140", 2140, "ims-start-2140" },
	{ "internal windows nt error", 2140, "ims-start-2140" },
	{ "error 1067", 1067, "ims-start-1067" },
	{ "process terminated unexpectedly", 1067, "ims-start-1067" },
	{ "timely fashion", 1053, "ims-start-timeout" },
	{ "error 1053", 1053, "ims-start-timeout" },
};
const size_t kbi_nphrases = sizeof(kbi_phrases) / sizeof(kbi_phrases[0]);

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

static int	lc(int);
static int	ci_word(struct span, const char *);
static size_t	src_key(char *, size_t, const char *);
static int	near_miss(const char *, const char *);

static int
lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int
kbi_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
kbi_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Case-insensitive search; lit is lower case. */
ssize_t
kbi_ci_find(struct span s, const char *lit)
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

	while ((k = kbi_ci_find(t, w)) >= 0) {
		at = (size_t)k;
		if ((at == 0 || !kbi_is_alpha(t.p[at - 1])) &&
		    (at + n == t.n || !kbi_is_alpha(t.p[at + n])))
			return 1;
		t.p += at + 1;
		t.n -= at + 1;
	}
	return 0;
}

int
kbi_names_ims(struct span s)
{
	return kbi_ci_find(s, "internet mail") >= 0 || ci_word(s, "imc") ||
	    ci_word(s, "ims") || kbi_ci_find(s, "msexcimc") >= 0 ||
	    kbi_ci_find(s, "msexchangeimc") >= 0;
}

/* Other Exchange services an introducing sentence may name. */
int
kbi_names_other(struct span s)
{
	return kbi_ci_find(s, "system attendant") >= 0 || ci_word(s, "sa") ||
	    kbi_ci_find(s, "message transfer agent") >= 0 || ci_word(s, "mta") ||
	    kbi_ci_find(s, "information store") >= 0 ||
	    kbi_ci_find(s, "key management") >= 0 ||
	    kbi_ci_find(s, "directory service") >= 0;
}

int
kbi_all_eq(struct span s, uint8_t c, size_t min)
{
	size_t i;

	if (s.n < min)
		return 0;
	for (i = 0; i < s.n; i++)
		if (s.p[i] != c)
			return 0;
	return 1;
}

/* "Qnnn" at the front of s: 1 to 8 digits after the Q. */
int
kbi_id_take(struct span s, char *id, size_t idsz)
{
	size_t i;

	if (s.n < 2 || (s.p[0] != 'Q' && s.p[0] != 'q'))
		return -1;
	for (i = 1; i < s.n && kbi_is_digit(s.p[i]); i++)
		;
	if (i < 2 || i > 9 || (i < s.n && (kbi_is_alpha(s.p[i]) ||
	    kbi_is_digit(s.p[i]))))
		return -1;
	if (idsz < i + 1)
		return -1;
	id[0] = 'Q';
	memcpy(id + 1, s.p + 1, i - 1);
	id[i] = '\0';
	return 0;
}

/* 1 to 5 digits, 1..65535, not followed by a digit or '.' + digit. */
int
kbi_id_take_num(struct span *s, uint32_t *id)
{
	struct span t = *s;

	if (span_u32(&t, 5, 65535, id) == -1 || *id == 0)
		return -1;
	if (t.n > 0 && (kbi_is_digit(t.p[0]) || (t.p[0] == '.' && t.n > 1 &&
	    kbi_is_digit(t.p[1])) || t.p[0] == '/'))
		return -1;
	*s = t;
	return 0;
}

/* Phrase p in normalised text s, starting and ending at word edges. */
int
kbi_has_phrase(const char *s, const char *p)
{
	const char *q = s;
	size_t n = strlen(p);

	while ((q = strstr(q, p)) != NULL) {
		if ((q == s || !kbi_is_alpha((unsigned char)q[-1])) &&
		    !kbi_is_alpha((unsigned char)q[n]))
			return 1;
		q++;
	}
	return 0;
}

/* The name a forwarder sends for the source as the article wrote it. */
void
kbi_source_canon(char *dst, size_t dstsz, const char *src)
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
	/* Blanks and '_' only: the KB would read it as no source at all. */
	if (n == 0)
		return;
	for (k = 0; k < sizeof(kbi_aliases) / sizeof(kbi_aliases[0]); k++)
		if (strcmp(key, kbi_aliases[k].key) == 0) {
			snprintf(dst, dstsz, "%s", kbi_aliases[k].name);
			return;
		}
	/* Only names a source can have: letters, digits, blanks, _ . - */
	for (i = 0; src[i] != '\0'; i++)
		if (!kbi_is_alpha((unsigned char)src[i]) &&
		    !kbi_is_digit((unsigned char)src[i]) && src[i] != ' ' &&
		    src[i] != '_' && src[i] != '.' && src[i] != '-')
			return;
	snprintf(dst, dstsz, "%s", src);
}

/* Is name one that an alias of the importer's own maps to? */
int
kbi_source_aliased(const char *name)
{
	size_t k;

	for (k = 0; k < sizeof(kbi_aliases) / sizeof(kbi_aliases[0]); k++)
		if (strcmp(name, kbi_aliases[k].name) == 0)
			return 1;
	return 0;
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
