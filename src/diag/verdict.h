/*
 * verdict: what a fault means to an operator, decided once for every
 * face (the MIB, notifications, imsdiag's text and JSON): whether it is
 * diagnosed, its title, severity, remedy and the origin of its article.
 * Pure functions of a fault and the loaded knowledge base (kb may be
 * NULL: the article is then "not in the loaded knowledge base").
 */
#ifndef IMSMON_VERDICT_H
#define IMSMON_VERDICT_H

#include <stddef.h>

#include "kb/kb.h"
#include "diag/store.h"

#define VERDICT_SEV_NONE	(-1)	/* indeterminate */

/* Diagnosed now, or was when it was cleared. */
int		 verdict_diagnosed(const struct fault *);
/* The fault's article in kb, or NULL (none yet, or not in this KB). */
const struct kb_article *verdict_article(const struct kb *,
		    const struct fault *);
/*
 * Its origin: the article's; an undiagnosed fault's is its top
 * candidate's (curated when it has none).
 */
enum kb_origin	 verdict_origin(const struct kb *, const struct fault *);
/*
 * The article's title; for an ambiguous fault a summary naming the
 * candidates, for an unknown cause one naming the nearest articles.
 */
void		 verdict_title(const struct kb *, const struct fault *, char *,
		    size_t);
/*
 * enum kb_severity, or VERDICT_SEV_NONE; an undiagnosed fault takes its
 * worst candidate's.
 */
int		 verdict_severity(const struct kb *, const struct fault *);
/*
 * The short remedy: the first sentence of the article's resolution, cut
 * at a word with "..." if it does not fit; for an undiagnosed fault,
 * what to look for.
 */
void		 verdict_remedy(const struct kb *, const struct fault *, char *,
		    size_t);
/* The first sentence of a text, as verdict_remedy() cuts it. */
void		 verdict_sentence(char *, size_t, const char *);

#endif /* IMSMON_VERDICT_H */
