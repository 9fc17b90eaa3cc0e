/*
 * mib_rules.h: how the MIB's column values follow from the store's rows
 * and the KB, without Net-SNMP (mib_rules.c).  The table files
 * (mib_*.c) encode what these return; what a fault means (diagnosed,
 * title, severity, remedy) is the core's, in diag/verdict.h.  The unit
 * test tests/t_mib_rules.c calls them directly.
 */
#ifndef IMSMON_AGENT_MIB_RULES_H
#define IMSMON_AGENT_MIB_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "diag/store.h"
#include "kb/kb.h"

#define MIB_SEV_INDETERMINATE	5	/* ImsSeverity with no article */

long		 mib_severity(enum kb_severity);
long		 mib_status(enum ims_status);
long		 mib_verdict_severity(const struct kb *, const struct fault *);
uint32_t	 mib_confidence(const struct fault *);
long		 mib_clear_reason(const struct fault *);
int64_t		 mib_cleared_at(const struct fault *);
void		 mib_evidence(const struct fault *, char *, size_t);
uint32_t	 mib_score(double);
void		 mib_see_also(const struct kb_article *, char *, size_t);
const struct fault *mib_explaining(const struct store *,
		    const struct server *);

#endif
