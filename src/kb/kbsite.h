/*
 * kbsite: the shipped knowledge base with the site's own entries laid
 * over it.  A site directory (kb.d) holds *.kb files written by the
 * operator; an article declared there replaces the shipped article of the
 * same ID (the whole shipped file that declared it is left out), and a
 * site file with the same name as a shipped one (_symptoms.kb) replaces
 * it.  Everything else is loaded from both, all or nothing, as kb_load().
 */
#ifndef IMSMON_KBSITE_H
#define IMSMON_KBSITE_H

#include "kb/kb.h"

/* sitedir NULL, "" or missing: the same as kb_load(dir, errs). */
struct kb	*kb_load_site(const char *dir, const char *sitedir,
		    struct kb_errors *errs);

#endif
