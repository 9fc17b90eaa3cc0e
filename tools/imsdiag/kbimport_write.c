/*
 * kbimport_write: writing the draft in the docs/kb-format.md syntax.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbimport_int.h"
#include "util/norm.h"
#include "util/span.h"

static void	wr_quote(char *, size_t, const char *);
static void	wr_word(char *, size_t, size_t *, const char *);
static void	wr_printable(FILE *, const char *);
static void	wr_pair(char *, size_t, size_t *, const char *, const char *,
		    int);
static int	wr_ev(const struct kbimport_ev *, FILE *);

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
