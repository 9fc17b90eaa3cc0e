#include "diag/verdict.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/sbuf.h"

int
verdict_diagnosed(const struct fault *f)
{
	return f->state == FAULT_DIAGNOSED || (f->state == FAULT_CLEARED &&
	    f->last_state == FAULT_DIAGNOSED && f->article[0] != '\0');
}

const struct kb_article *
verdict_article(const struct kb *kb, const struct fault *f)
{
	if (kb == NULL || f->article[0] == '\0')
		return NULL;
	return kb_find(kb, f->article);
}

enum kb_origin
verdict_origin(const struct kb *kb, const struct fault *f)
{
	const struct kb_article *a;

	if ((a = verdict_article(kb, f)) == NULL && f->article[0] == '\0' &&
	    kb != NULL && f->ncands > 0)
		a = kb_find(kb, f->cands[0].article);
	return a != NULL ? a->origin : KB_ORIGIN_CURATED;
}

static int
undiagnosed_unknown(const struct fault *f)
{
	return f->state == FAULT_UNKNOWN || (f->state == FAULT_CLEARED &&
	    f->last_state == FAULT_UNKNOWN);
}

void
verdict_title(const struct kb *kb, const struct fault *f, char *buf,
    size_t bufsz)
{
	const struct kb_article *a = verdict_article(kb, f);
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb, buf, bufsz);
	if (a != NULL) {
		sbuf_str(&sb, a->title);
		return;
	}
	if (f->article[0] != '\0') {
		sbuf_printf(&sb, "%s (not in the loaded knowledge base)",
		    f->article);
		return;
	}
	sbuf_str(&sb, undiagnosed_unknown(f) ?
	    "IMS start failure, cause not in the knowledge base; nearest:" :
	    "IMS start failure, cause not known yet; candidates:");
	for (i = 0; i < f->ncands; i++)
		sbuf_printf(&sb, " %s", f->cands[i].article);
	if (f->ncands == 0)
		sbuf_str(&sb, " none");
}

int
verdict_severity(const struct kb *kb, const struct fault *f)
{
	const struct kb_article *a = verdict_article(kb, f);
	int best = VERDICT_SEV_NONE;
	size_t i;

	if (a != NULL)
		return (int)a->severity;
	if (f->article[0] != '\0' || kb == NULL)
		return VERDICT_SEV_NONE;
	/* The worst candidate's: critical is the lowest value. */
	for (i = 0; i < f->ncands; i++)
		if ((a = kb_find(kb, f->cands[i].article)) != NULL &&
		    (best == VERDICT_SEV_NONE || (int)a->severity < best))
			best = (int)a->severity;
	return best;
}

void
verdict_remedy(const struct kb *kb, const struct fault *f, char *buf,
    size_t bufsz)
{
	const struct kb_article *a = verdict_article(kb, f);

	if (bufsz == 0)
		return;
	if (a != NULL)
		verdict_sentence(buf, bufsz, a->resolution);
	else if (f->article[0] != '\0')
		buf[0] = '\0';
	else if (undiagnosed_unknown(f))
		snprintf(buf, bufsz, "No article of the knowledge base "
		    "explains this failure: read the server's event logs for "
		    "the events listed as evidence, then add an article.");
	else
		snprintf(buf, bufsz, "Look in the server's event logs for "
		    "the events imsCandidateDecide names; they tell the "
		    "candidates apart.");
}

/*
 * A sentence ends at a period followed by the end, or by a blank and a
 * capital ("e.g. the" does not end one).
 */
void
verdict_sentence(char *dst, size_t dstsz, const char *res)
{
	size_t n = 0, cut;

	if (dstsz == 0)
		return;
	for (; res[n] != '\0'; n++)
		if (res[n] == '.' && (res[n + 1] == '\0' ||
		    ((res[n + 1] == ' ' || res[n + 1] == '\n') &&
		    isupper((unsigned char)res[n + 2])))) {
			n++;
			break;
		}
	if (n < dstsz) {
		memcpy(dst, res, n);
		dst[n] = '\0';
	} else if (dstsz <= 4) {
		dst[0] = '\0';
	} else {
		cut = dstsz - 4;
		while (cut > 0 && res[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = dstsz - 4;
		memcpy(dst, res, cut);
		memcpy(dst + cut, "...", 4);
	}
	for (n = 0; dst[n] != '\0'; n++)
		if (dst[n] == '\n' || dst[n] == '\t')
			dst[n] = ' ';
}
