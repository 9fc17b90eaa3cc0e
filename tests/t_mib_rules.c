/*
 * t_mib_rules: how the MIB's column values follow from store rows and the
 * KB (agent/mib_rules.c, no Net-SNMP): the enumerations as IMSMON-MIB
 * numbers them, the severity of a fault with and without an article, the
 * clamps and scales, the list columns cut to fit, and which fault a
 * server row shows.  The KB is the tests' own (tests/kb/diag).
 */
#include "test.h"

#include <math.h>

#include "../agent/mib_rules.h"

#define DIAG_KB	"tests/kb/diag"
#define NOW	953251200

static struct fault
fault_make(const char *article, enum fault_state st)
{
	struct fault f;

	memset(&f, 0, sizeof(f));
	snprintf(f.article, sizeof(f.article), "%s", article);
	f.state = st;
	return f;
}

TEST(mib_enumerations)
{
	CHECK_INT(mib_severity(KB_SEV_CRITICAL), 1);
	CHECK_INT(mib_severity(KB_SEV_MAJOR), 2);
	CHECK_INT(mib_severity(KB_SEV_MINOR), 3);
	CHECK_INT(mib_severity(KB_SEV_WARNING), 4);
	CHECK_INT(mib_severity(KB_SEV__MAX), MIB_SEV_INDETERMINATE);
	CHECK_INT(mib_status(IMS_STATUS_UNKNOWN), 1);
	CHECK_INT(mib_status(IMS_STATUS_RUNNING), 2);
	CHECK_INT(mib_status(IMS_STATUS_STOPPED), 3);
	CHECK_INT(mib_status(IMS_STATUS_START_FAILED), 4);
	CHECK_INT(mib_status(IMS_STATUS_DEGRADED), 5);
	CHECK_INT(mib_status(IMS_STATUS_SILENT), 6);
	CHECK_INT(mib_status((enum ims_status)99), 1);
}

/* imsFaultSeverity: the article's, the worst candidate's, or none. */
TEST(mib_fault_severity_rules)
{
	struct kb_errors errs;
	struct kb *kb;
	struct fault f;

	memset(&errs, 0, sizeof(errs));
	kb = kb_load(DIAG_KB, &errs);
	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	f = fault_make("Q173496", FAULT_DIAGNOSED);
	CHECK_INT(mib_verdict_severity(kb, &f), 1);
	CHECK_INT(mib_verdict_severity(NULL, &f), MIB_SEV_INDETERMINATE);
	/* An article the loaded KB no longer has. */
	f = fault_make("Q999999", FAULT_DIAGNOSED);
	CHECK_INT(mib_verdict_severity(kb, &f), MIB_SEV_INDETERMINATE);
	/* Ambiguous: the worst candidate's; none known: indeterminate. */
	f = fault_make("", FAULT_AMBIGUOUS);
	CHECK_INT(mib_verdict_severity(kb, &f), MIB_SEV_INDETERMINATE);
	snprintf(f.cands[0].article, sizeof(f.cands[0].article), "Q999998");
	snprintf(f.cands[1].article, sizeof(f.cands[1].article), "Q154589");
	f.ncands = 2;
	CHECK_INT(mib_verdict_severity(kb, &f), 1);
	kb_free(kb);
}

TEST(mib_fault_number_rules)
{
	struct fault f = fault_make("Q173496", FAULT_DIAGNOSED);

	f.confidence = 0;
	CHECK_INT(mib_confidence(&f), 0);
	f.confidence = 100;
	CHECK_INT(mib_confidence(&f), 100);
	f.confidence = 101;
	CHECK_INT(mib_confidence(&f), 100);
	f.confidence = UINT32_MAX;
	CHECK_INT(mib_confidence(&f), 100);
	/* Reason and time of clearing only once cleared. */
	f.reason = CLEAR_OPERATOR;
	f.cleared_at = NOW;
	CHECK_INT(mib_clear_reason(&f), CLEAR_NONE);
	CHECK_INT(mib_cleared_at(&f), 0);
	f.state = FAULT_CLEARED;
	CHECK_INT(mib_clear_reason(&f), CLEAR_OPERATOR);
	CHECK_INT(mib_cleared_at(&f), NOW);
}

/* imsCandScore: hundredths, rounded half up, within 0..UINT32_MAX. */
TEST(mib_score_rules)
{
	CHECK_INT(mib_score(0.0), 0);
	CHECK_INT(mib_score(-3.0), 0);
	CHECK_INT(mib_score(0.004), 0);
	CHECK_INT(mib_score(0.005), 1);
	CHECK_INT(mib_score(12.345), 1235);
	CHECK_INT(mib_score(1.0), 100);
	CHECK_INT(mib_score(42949672.95), UINT32_MAX);
	CHECK_INT(mib_score(1e300), UINT32_MAX);
	CHECK_INT(mib_score(HUGE_VAL), UINT32_MAX);
	CHECK_INT(mib_score(-HUGE_VAL), 0);
	CHECK_INT(mib_score(NAN), 0);
}

TEST(mib_evidence_rules)
{
	struct fault f = fault_make("", FAULT_AMBIGUOUS);
	char buf[256], small[8];
	size_t i;

	mib_evidence(&f, buf, sizeof(buf));
	CHECK_STR(buf, "");
	f.evidence[0] = 4143;
	f.evidence[1] = 7023;
	f.evidence[2] = 2140;
	f.nevidence = 3;
	mib_evidence(&f, buf, sizeof(buf));
	CHECK_STR(buf, "4143,7023,2140");
	/* Cut to fit, always terminated. */
	mib_evidence(&f, small, sizeof(small));
	CHECK_STR(small, "4143,70");
	mib_evidence(&f, small, 0);
	/* A count past the array is read no further than the array. */
	for (i = 0; i < STORE_EVIDENCE_MAX; i++)
		f.evidence[i] = (uint16_t)(i + 1);
	f.nevidence = STORE_EVIDENCE_MAX + 5;
	mib_evidence(&f, buf, sizeof(buf));
	CHECK_STR(buf, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16");
}

TEST(mib_see_also_rules)
{
	struct kb_article a;
	char buf[256], small[12];

	memset(&a, 0, sizeof(a));
	mib_see_also(&a, buf, sizeof(buf));
	CHECK_STR(buf, "");
	snprintf(a.see_also[0], sizeof(a.see_also[0]), "Q154589");
	snprintf(a.see_also[1], sizeof(a.see_also[1]), "Q306308");
	a.nsee_also = 2;
	mib_see_also(&a, buf, sizeof(buf));
	CHECK_STR(buf, "Q154589,Q306308");
	mib_see_also(&a, small, sizeof(small));
	CHECK_STR(small, "Q154589,Q30");
	a.nsee_also = KB_SEEALSO_MAX + 3;	/* never past the array */
	mib_see_also(&a, buf, sizeof(buf));
	CHECK(strncmp(buf, "Q154589,Q306308", 15) == 0);
}

/* The fault a server row shows: the one explaining it, while open. */
TEST(mib_explaining_rules)
{
	struct store_limits lim;
	struct store *st;
	const struct server *s;
	const struct fault *f;
	struct server sv;

	store_limits_default(&lim);
	st = store_new(&lim);
	CHECK(st != NULL);
	if (st == NULL)
		return;
	s = store_server_add(st, "mailhub", NOW);
	CHECK(s != NULL);
	if (s == NULL) {
		store_free(st);
		return;
	}
	f = store_fault_open(st, s, "Q173496", FAULT_DIAGNOSED, NOW, NOW);
	CHECK(f != NULL);
	if (f == NULL) {
		store_free(st);
		return;
	}
	sv = *s;
	sv.explain = 0;
	CHECK(mib_explaining(st, &sv) == NULL);
	sv.explain = f->index;
	CHECK(mib_explaining(st, &sv) == f);
	sv.explain = f->index + 1000;		/* no such fault */
	CHECK(mib_explaining(st, &sv) == NULL);
	CHECK_INT(store_fault_clear(st, f, CLEAR_OPERATOR, NOW, NOW), 0);
	sv.explain = f->index;
	CHECK(mib_explaining(st, &sv) == NULL);	/* cleared: not shown */
	store_free(st);
}

TEST_MAIN(
	T(mib_enumerations), T(mib_fault_severity_rules),
	T(mib_fault_number_rules), T(mib_score_rules), T(mib_evidence_rules),
	T(mib_see_also_rules), T(mib_explaining_rules)
)
