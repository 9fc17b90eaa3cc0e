/*
 * mib_rules: the MIB's column rules that need no Net-SNMP (mib_rules.h):
 * enumerations as IMSMON-MIB numbers them, clamps and scales, and the
 * text columns built from lists.
 */
#include "mib_rules.h"

#include <stdio.h>

#include "diag/verdict.h"
#include "util/sbuf.h"

/* ImsSeverity: critical(1) .. warning(4), indeterminate(5). */
long
mib_severity(enum kb_severity s)
{
	switch (s) {
	case KB_SEV_CRITICAL:
		return 1;
	case KB_SEV_MAJOR:
		return 2;
	case KB_SEV_MINOR:
		return 3;
	case KB_SEV_WARNING:
		return 4;
	default:
		return MIB_SEV_INDETERMINATE;
	}
}

/*
 * ImsStatus: unknown(1) running(2) stopped(3) startFailed(4) degraded(5)
 * silent(6).
 */
long
mib_status(enum ims_status s)
{
	switch (s) {
	case IMS_STATUS_RUNNING:
		return 2;
	case IMS_STATUS_STOPPED:
		return 3;
	case IMS_STATUS_START_FAILED:
		return 4;
	case IMS_STATUS_DEGRADED:
		return 5;
	case IMS_STATUS_SILENT:
		return 6;
	default:
		return 1;
	}
}

/* imsFaultSeverity: the verdict's, indeterminate when it has none. */
long
mib_verdict_severity(const struct kb *kb, const struct fault *f)
{
	int sev = verdict_severity(kb, f);

	return sev == VERDICT_SEV_NONE ? MIB_SEV_INDETERMINATE :
	    mib_severity((enum kb_severity)sev);
}

/* imsFaultConfidence: a percentage, 0..100. */
uint32_t
mib_confidence(const struct fault *f)
{
	return f->confidence > 100 ? 100 : (uint32_t)f->confidence;
}

/* imsFaultClearReason: none(0) while the fault is not cleared. */
long
mib_clear_reason(const struct fault *f)
{
	return f->state == FAULT_CLEARED ? (long)f->reason : CLEAR_NONE;
}

/* imsFaultClearedTime: 0 (the MIB's "never") while not cleared. */
int64_t
mib_cleared_at(const struct fault *f)
{
	return f->state == FAULT_CLEARED ? f->cleared_at : 0;
}

/* imsFaultEvidence: the evidence items' indexes, "3,7,12", cut to fit. */
void
mib_evidence(const struct fault *f, char *buf, size_t bufsz)
{
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb, buf, bufsz);
	for (i = 0; i < f->nevidence && i < STORE_EVIDENCE_MAX; i++)
		sbuf_printf(&sb, "%s%u", i > 0 ? "," : "",
		    (unsigned)f->evidence[i]);
}

/* imsCandScore: the score in hundredths, rounded, within Unsigned32. */
uint32_t
mib_score(double score)
{
	double v = score * 100.0 + 0.5;

	if (!(v > 0))
		return 0;
	return v >= 4294967295.0 ? UINT32_MAX : (uint32_t)v;
}

/* imsKbSeeAlso: the related articles, "Q1,Q2", cut to fit. */
void
mib_see_also(const struct kb_article *a, char *buf, size_t bufsz)
{
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb, buf, bufsz);
	for (i = 0; i < a->nsee_also && i < KB_SEEALSO_MAX; i++)
		sbuf_printf(&sb, "%s%s", i > 0 ? "," : "", a->see_also[i]);
}

/*
 * The fault a server row's imsServerFault... columns show: the one the
 * store says explains its status, while it is not cleared; else NULL.
 */
const struct fault *
mib_explaining(const struct store *st, const struct server *s)
{
	const struct fault *f;

	if (s->explain == 0)
		return NULL;
	f = store_fault_by_index(st, s->explain);
	return f != NULL && f->state != FAULT_CLEARED ? f : NULL;
}
