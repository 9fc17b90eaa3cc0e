/* Long by design: each case is a whole event sequence and its diagnosis. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag/diag.h"
#include "test.h"

#define NOW	953251200	/* 2000-03-17, after every fixture time */
/* The tests' own small KB (tests/kb/README), never the shipped kb/. */
#define DIAG_KB	"tests/kb/diag"

struct rig {
	struct kb	*kb;
	struct store	*st;
	struct diag	*d;
};

static int
rig_open(struct rig *r, const char *dir, const struct diag_conf *conf,
    size_t max_servers)
{
	struct kb_errors errs;
	struct store_limits lim;

	memset(r, 0, sizeof(*r));
	memset(&errs, 0, sizeof(errs));
	if ((r->kb = kb_load(dir, &errs)) == NULL) {
		fprintf(stderr, "  kb_load %s: %s\n", dir,
		    errs.n ? errs.err[0].msg : strerror(errno));
		return -1;
	}
	store_limits_default(&lim);
	if (max_servers)
		lim.max_servers = max_servers;
	r->st = store_new(&lim);
	r->d = diag_new(r->kb, r->st, conf);
	return r->st && r->d ? 0 : -1;
}

static void
rig_close(struct rig *r)
{
	diag_free(r->d);
	store_free(r->st);
	kb_free(r->kb);
}

static enum parse_rc
feed(struct rig *r, const char *line, const char *peer)
{
	return diag_record(r->d, (const uint8_t *)line, strlen(line), peer,
	    NOW, NULL);
}

/* An evtsys 4.x line: host, source, id, time of day (seconds). */
static void
evtsys(struct rig *r, const char *host, const char *src, int id, int tod,
    const char *text)
{
	char line[512];

	snprintf(line, sizeof(line), "<27>Mar 14 %02d:%02d:%02d %s %s: %d: %s ",
	    tod / 3600 % 24, tod / 60 % 60, tod % 60, host, src, id, text);
	CHECK_INT(feed(r, line, NULL), PARSE_OK);
}

#define SCM	"Service_Control_Manager"
#define T7023	"The Microsoft Exchange Internet Mail Service service " \
		"terminated with the following error: (Error 2140)"

static const struct fault *
only_fault(struct rig *r)
{
	CHECK_INT(store_nfaults(r->st), 1);
	return store_nfaults(r->st) ? store_fault_at(r->st, 0) : NULL;
}

TEST(diag_out_of_order_refines_in_place)
{
	struct rig r;
	const struct fault *f;

	if (rig_open(&r, DIAG_KB, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "MAILGW", SCM, 7023, 36005, T7023);
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_AMBIGUOUS);
	evtsys(&r, "mailgw.corp.example", "MSExchangeIMC", 4143, 36000, "x");
	if ((f = only_fault(&r)) != NULL) {
		CHECK_INT(f->index, 1);
		CHECK_INT(f->state, FAULT_DIAGNOSED);
		CHECK_STR(f->article, "Q173496");
		CHECK_INT(f->count, 2);
		CHECK(f->first_seen < f->last_seen);
	}
	CHECK_INT(store_stats(r.st)->faults_refined, 1);
	CHECK_INT(store_nservers(r.st), 1);
	rig_close(&r);
}

TEST(diag_window_separates_episodes)
{
	struct diag_conf c;
	struct rig r;

	diag_conf_default(&c);
	c.window = 60;
	if (rig_open(&r, DIAG_KB, &c, 0) == -1) {
		CHECK(0);
		return;
	}
	/* The 4143 is 5 minutes before the 7023: outside a 60 s window. */
	evtsys(&r, "MAILGW", SCM, 7023, 36300, T7023);
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36000, "x");
	CHECK_INT(store_nfaults(r.st), 2);
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_AMBIGUOUS);
	CHECK_STR(store_fault_at(r.st, 1)->article, "Q173496");
	rig_close(&r);
}

TEST(diag_lead_threshold)
{
	struct diag_conf c;
	struct rig r;

	diag_conf_default(&c);
	c.lead = 1000;	/* 10.25 against 0.25 is not enough */
	if (rig_open(&r, DIAG_KB, &c, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36000, "x");
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_DIAGNOSED);
	evtsys(&r, "OTHER", SCM, 7023, 36001, T7023);
	evtsys(&r, "OTHER", "MSExchangeIMC", 4143, 36000, "x");
	CHECK_INT(store_nfaults(r.st), 2);
	CHECK_INT(store_fault_at(r.st, 1)->state, FAULT_AMBIGUOUS);
	CHECK_STR(store_fault_at(r.st, 1)->cands[0].article, "Q173496");
	rig_close(&r);
}

TEST(diag_supporting_alone_opens_nothing)
{
	struct rig r;

	if (rig_open(&r, DIAG_KB, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	/* 4116 (a message moved to BAD) is supporting evidence only. */
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4116, 36000, "x");
	CHECK_INT(store_nfaults(r.st), 0);
	evtsys(&r, "MAILGW", SCM, 7023, 36001, T7023);
	CHECK_INT(store_nfaults(r.st), 1);
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_AMBIGUOUS);
	/* It still counts: Q306308 lists both and ranks first. */
	CHECK_STR(store_fault_at(r.st, 0)->cands[0].article, "Q306308");
	rig_close(&r);
}

TEST(diag_nohost_counted)
{
	struct rig r;
	const char *line = "<27>MSExchangeIMC: 4143: no host anywhere ";

	if (rig_open(&r, DIAG_KB, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(feed(&r, line, NULL), PARSE_OK);
	CHECK_INT(diag_stats(r.d)->dropped[DIAG_DROP_NOHOST], 1);
	CHECK_INT(store_nfaults(r.st), 0);
	/* The sender's address stands in for the missing host. */
	CHECK_INT(feed(&r, line, "192.0.2.7"), PARSE_OK);
	CHECK_INT(store_nfaults(r.st), 1);
	CHECK_STR(store_server_at(r.st, 0)->name, "192.0.2.7");
	rig_close(&r);
}

TEST(diag_max_hosts)
{
	struct rig r;
	char host[16];
	int i;

	if (rig_open(&r, DIAG_KB, NULL, 3) == -1) {
		CHECK(0);
		return;
	}
	for (i = 0; i < 10; i++) {
		snprintf(host, sizeof(host), "H%d", i);
		evtsys(&r, host, "MSExchangeIMC", 4143, 36000, "x");
	}
	CHECK_INT(store_nservers(r.st), 3);
	CHECK_INT(store_nfaults(r.st), 3);
	CHECK_INT(store_stats(r.st)->dropped[STORE_DROP_SERVERS], 7);
	rig_close(&r);
}

/*
 * A flood of forged host names at the server cap: quiet servers make
 * room (least recently heard first), a server with an open fault never
 * does, and a real server heard after the flood is still diagnosed.
 */
TEST(diag_forged_flood_evicts)
{
	struct rig r;
	char host[16];
	const struct fault *f;
	int i;

	if (rig_open(&r, "kb", NULL, 3) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "REAL1", "MSExchangeIMC", 4143, 36000, "x");
	for (i = 0; i < 200; i++) {
		snprintf(host, sizeof(host), "FORGED%d", i);
		evtsys(&r, host, "MSExchangeIMC", 4116, 36000, "x");
	}
	CHECK_INT(store_nservers(r.st), 3);
	CHECK(store_server_get(r.st, "real1") != NULL);
	CHECK_INT(store_stats(r.st)->dropped[STORE_DROP_SERVERS], 0);
	CHECK_INT(store_stats(r.st)->servers_evicted, 200 - 2);
	evtsys(&r, "REAL2", "MSExchangeIMC", 4143, 36000, "x");
	f = store_fault_find(r.st, store_server_get(r.st, "real2") ?
	    store_server_get(r.st, "real2")->index : 0, "Q173496");
	CHECK(f != NULL && strcmp(f->host, "REAL2") == 0);
	CHECK_INT(store_nfaults(r.st), 2);
	rig_close(&r);
}

TEST(diag_max_episodes)
{
	struct rig r;
	int i;

	if (rig_open(&r, DIAG_KB, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	/* 12 failures an hour apart: 12 episodes, a host keeps 8. */
	for (i = 0; i < 12; i++)
		evtsys(&r, "MAILGW", SCM, 7023, 3600 * i + 60, T7023);
	CHECK_INT(diag_stats(r.d)->dropped[DIAG_DROP_EPISODES], 4);
	/* All of them are one open ambiguous fault: repeats. */
	if (only_fault(&r) != NULL)
		CHECK_INT(store_fault_at(r.st, 0)->count, 12);
	rig_close(&r);
}

/* Write articles given as "ID|evidence lines" into a fresh KB dir. */
static int
write_articles(char *dir, size_t sz, const char *const *arts, size_t n)
{
	FILE *fp;
	char path[512], id[16];
	const char *bar;
	size_t i;

	snprintf(dir, sz, "%s/imsmon-t_diag-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		bar = strchr(arts[i], '|');
		snprintf(id, sizeof(id), "%.*s", (int)(bar - arts[i]), arts[i]);
		snprintf(path, sizeof(path), "%s/%s.kb", dir, id);
		if ((fp = fopen(path, "w")) == NULL)
			return -1;
		/* "_name|text": a file as it is (status rules, symptoms). */
		if (id[0] == '_')
			fprintf(fp, "%s\n", bar + 1);
		else
			fprintf(fp, "article %s\ntitle Test %s\n%s"
			    "versions 5.5\nseverity major\n"
			    "implies start-failed\n%s\n"
			    "cause Test cause.\nresolution Test resolution.\n",
			    id, id, strncmp(bar + 1, "origin ", 7) == 0 ? "" :
			    "origin curated\n", bar + 1);
		fclose(fp);
	}
	return 0;
}

static void
rm_articles(const char *dir, const char *const *arts, size_t n)
{
	char path[512];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%.*s.kb", dir,
		    (int)(strchr(arts[i], '|') - arts[i]), arts[i]);
		unlink(path);
	}
	rmdir(dir);
}

TEST(diag_max_evidence_per_episode)
{
	/* 20 articles with one discriminator each: Q90000..Q90019. */
	static char text[20][96];
	const char *arts[20];
	struct rig r;
	char dir[256];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(text[i], sizeof(text[i]), "Q9%04d|evidence "
		    "discriminating source MSExchangeIMC id %d", i, 5000 + i);
		arts[i] = text[i];
	}
	if (write_articles(dir, sizeof(dir), arts, 20) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	for (i = 0; i < 20; i++)
		evtsys(&r, "MAILGW", "MSExchangeIMC", 5000 + i, 36000 + i, "x");
	CHECK_INT(diag_stats(r.d)->dropped[DIAG_DROP_EVIDENCE], 4);
	/*
	 * The first discriminator diagnosed the fault; the ties that follow
	 * in the same episode are other articles' discriminators it does
	 * not explain: the same fault, ambiguous again, with the candidates
	 * capped.
	 */
	if (only_fault(&r) != NULL) {
		CHECK_STR(store_fault_at(r.st, 0)->article, "");
		CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_AMBIGUOUS);
		CHECK_INT(store_fault_at(r.st, 0)->ncands, STORE_CANDS_MAX);
		CHECK_INT(store_fault_at(r.st, 0)->count, 20);
	}
	rig_close(&r);
	rm_articles(dir, arts, 20);
}

TEST(diag_absent_rules_out)
{
	static const char *const arts[] = {
		"Q1|evidence discriminating source MSExchangeIMC id 6001\n"
		"evidence supporting source MSExchangeIMC id 6002 absent",
	};
	struct rig r;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 1) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "A", "MSExchangeIMC", 6001, 36000, "x");
	CHECK_INT(store_nfaults(r.st), 1);
	evtsys(&r, "B", "MSExchangeIMC", 6002, 36000, "x");
	evtsys(&r, "B", "MSExchangeIMC", 6001, 36001, "x");
	CHECK_INT(store_nfaults(r.st), 1);	/* B: Q1 ruled out */
	rig_close(&r);
	rm_articles(dir, arts, 1);
}

TEST(diag_repeat_counts_when_reached)
{
	static const char *const arts[] = {
		"Q2|evidence discriminating source MSExchangeIMC id 6010 "
		"repeat 3",
	};
	struct rig r;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 1) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "A", "MSExchangeIMC", 6010, 36000, "x");
	evtsys(&r, "A", "MSExchangeIMC", 6010, 36010, "x");
	CHECK_INT(store_nfaults(r.st), 0);
	evtsys(&r, "A", "MSExchangeIMC", 6010, 36020, "x");
	CHECK_INT(store_nfaults(r.st), 1);
	if (store_nfaults(r.st) == 1) {
		CHECK_STR(store_fault_at(r.st, 0)->article, "Q2");
		CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_DIAGNOSED);
	}
	rig_close(&r);
	rm_articles(dir, arts, 1);
}

TEST(diag_required_missing_counts_against)
{
	static const char *const arts[] = {
		"Q3|evidence discriminating source MSExchangeIMC id 6020\n"
		"evidence supporting source MSExchangeIMC id 6021 required",
		"Q4|evidence discriminating source MSExchangeIMC id 6020",
	};
	struct rig r;
	char dir[256];
	const struct fault *f;

	if (write_articles(dir, sizeof(dir), arts, 2) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	/* Q3 5 - 3 = 2 against Q4 5: Q4 first, and 2.5x leads: diagnosed. */
	evtsys(&r, "A", "MSExchangeIMC", 6020, 36000, "x");
	if ((f = only_fault(&r)) != NULL)
		CHECK_STR(f->article, "Q4");
	/* With the required event, Q3 8 against Q4 5: Q3 ranks first. */
	evtsys(&r, "B", "MSExchangeIMC", 6021, 36000, "x");
	evtsys(&r, "B", "MSExchangeIMC", 6020, 36001, "x");
	CHECK_INT(store_nfaults(r.st), 2);
	if (store_nfaults(r.st) == 2) {
		f = store_fault_at(r.st, 1);
		CHECK_INT(f->state, FAULT_AMBIGUOUS);
		CHECK_STR(f->cands[0].article, "Q3");
		CHECK_STR(f->cands[1].article, "Q4");
	}
	rig_close(&r);
	rm_articles(dir, arts, 2);
}

TEST(diag_reload_refines)
{
	static const char *const kb1[] = {
		"Q6|evidence discriminating source MSExchangeIMC id 6040",
		"Q7|evidence discriminating source MSExchangeIMC id 6040",
	};
	static const char *const kb2[] = {
		"Q6|evidence discriminating source MSExchangeIMC id 6040",
		"Q7|evidence discriminating source MSExchangeIMC id 6041",
	};
	struct kb_errors errs;
	struct kb *k2;
	struct rig r;
	char d1[256], d2[256];

	if (write_articles(d1, sizeof(d1), kb1, 2) == -1 ||
	    write_articles(d2, sizeof(d2), kb2, 2) == -1 ||
	    rig_open(&r, d1, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "A", "MSExchangeIMC", 6040, 36000, "x");
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_AMBIGUOUS);
	memset(&errs, 0, sizeof(errs));
	if ((k2 = kb_load(d2, &errs)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(diag_set_kb(r.d, k2, NOW), 0);
	kb_free(r.kb);
	r.kb = k2;
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_DIAGNOSED);
	CHECK_STR(store_fault_at(r.st, 0)->article, "Q6");
	CHECK_INT(store_stats(r.st)->faults_refined, 1);
	rig_close(&r);
	rm_articles(d1, kb1, 2);
	rm_articles(d2, kb2, 2);
}

TEST(diag_owned_diagnosis_follows_evidence)
{
	static const char *const arts[] = {
		"Q10|evidence discriminating source MSExchangeIMC id 7001",
		"Q11|evidence discriminating source MSExchangeIMC id 7002\n"
		"evidence supporting source MSExchangeIMC id 7001",
	};
	struct rig r;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 2) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	/* 7001: Q10 5 against Q11 1.5, diagnosed Q10. */
	evtsys(&r, "A", "MSExchangeIMC", 7001, 36000, "x");
	CHECK_STR(store_fault_at(r.st, 0)->article, "Q10");
	/* 7002 in the same episode: Q11 11.5 against 5, the same fault. */
	evtsys(&r, "A", "MSExchangeIMC", 7002, 36030, "x");
	CHECK_INT(store_nfaults(r.st), 1);
	CHECK_STR(store_fault_at(r.st, 0)->article, "Q11");
	CHECK_INT(store_stats(r.st)->faults_refined, 1);
	/* On B, 7002 an hour after a Q10 fault: a fault of its own. */
	evtsys(&r, "B", "MSExchangeIMC", 7001, 36000, "x");
	evtsys(&r, "B", "MSExchangeIMC", 7002, 39600, "x");
	CHECK_INT(store_nfaults(r.st), 3);
	CHECK_STR(store_fault_at(r.st, 1)->article, "Q10");
	CHECK_STR(store_fault_at(r.st, 2)->article, "Q11");
	rig_close(&r);
	rm_articles(dir, arts, 2);
}

TEST(diag_garbage_never_diagnoses)
{
	struct rig r;
	uint8_t buf[600];
	uint32_t x = 12345;
	size_t i, n;
	int k;

	if (rig_open(&r, DIAG_KB, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	for (k = 0; k < 20000; k++) {
		n = (x = x * 1103515245 + 12345) % sizeof(buf);
		for (i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			buf[i] = (uint8_t)(x >> 16);
		}
		if (k % 3 == 0 && n > 8)
			memcpy(buf, "<27>Mar 14 10:00:00 H MSExchangeIMC: ", 8);
		diag_record(r.d, buf, n, "192.0.2.1", NOW, NULL);
	}
	CHECK_INT(store_nfaults(r.st), 0);
	CHECK_INT(diag_parse_stats(r.d)->records, 20000);
	rig_close(&r);
}

TEST(diag_set_kb_keeps_faults)
{
	struct rig r;
	struct kb_errors errs;
	struct kb *kb2;

	if (rig_open(&r, DIAG_KB, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "MAILGW", SCM, 7023, 36005, T7023);
	memset(&errs, 0, sizeof(errs));
	kb2 = kb_load(DIAG_KB, &errs);
	CHECK_INT(diag_set_kb(r.d, kb2, NOW), 0);
	kb_free(r.kb);
	r.kb = kb2;
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36000, "x");
	/* The episode survived the reload: the 4143 refines fault 1. */
	if (only_fault(&r) != NULL) {
		CHECK_STR(store_fault_at(r.st, 0)->article, "Q173496");
		CHECK_INT(store_fault_at(r.st, 0)->count, 2);
	}
	rig_close(&r);
}

/*
 * NT 4.0 logs no SCM 7036: the connector's own delivery event (2001,
 * information) shows it running, clears the fault and says why.
 */
TEST(diag_nt4_delivery_means_running)
{
	static const char fail[] = "<27>Mar 14 10:00:00 MAILGW "
	    "MSExchangeIMC: 4143: x ";
	static const char moved[] = "<14>Mar 14 10:05:00 MAILGW "
	    "MSExchangeIMC: 2001: Deliver of message <a@b> was attempted ";
	static const char early[] = "<14>Mar 14 09:55:00 MAILGW "
	    "MSExchangeIMC: 2001: Deliver of message <a@b> was attempted ";
	const struct server *s;
	struct rig r;

	if (rig_open(&r, "kb", NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(feed(&r, fail, NULL), PARSE_OK);
	CHECK_INT(feed(&r, early, NULL), PARSE_OK);	/* older: history */
	s = store_server_get(r.st, "mailgw");
	CHECK(s != NULL && s->status == IMS_STATUS_START_FAILED);
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_DIAGNOSED);
	CHECK_INT(feed(&r, moved, NULL), PARSE_OK);
	CHECK(s != NULL && s->status == IMS_STATUS_RUNNING);
	CHECK(s != NULL && strstr(s->status_why, "MSExchangeIMC 2001") != NULL);
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_CLEARED);
	CHECK_INT(store_fault_at(r.st, 0)->reason, CLEAR_RECOVERED);
	rig_close(&r);
}

/* The status rule the open-set tests share: an SCM start failure. */
#define STATUS_FAILED	"_status|status start-failed\n" \
	"match source \"Service Control Manager\" id 7024 " \
	"text \"internet mail service\""
#define T7024	"The Internet Mail Service service terminated with " \
		"service-specific error 9999."

/* A draft adds a candidate, never displaces a curated diagnosis. */
TEST(diag_draft_never_displaces_curated)
{
	static const char *const arts[] = {
		STATUS_FAILED,
		"Q1|evidence discriminating source MSExchangeIMC id 4058 "
		"text \"name resolver\"",
		"Q2|origin generated\nevidence discriminating source "
		"MSExchangeIMC id 4058 type error",
	};
	struct rig r;
	const struct fault *f;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 3) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "A", "MSExchangeIMC", 4058, 36000,
	    "The name resolver could not be initialized.");
	if ((f = only_fault(&r)) != NULL) {
		CHECK_INT(f->state, FAULT_DIAGNOSED);
		CHECK_STR(f->article, "Q1");
		CHECK_INT(f->confidence, 100);
		CHECK_INT(f->ncands, 2);	/* the draft, listed */
	}
	/*
	 * A 4058 the curated text does not fit: the draft's claim on the
	 * curated event opens nothing by itself ...
	 */
	evtsys(&r, "B", "MSExchangeIMC", 4058, 36000, "Something else.");
	CHECK_INT(store_nfaults(r.st), 1);
	/* ... and with a start failure, it is a candidate, not a verdict. */
	evtsys(&r, "B", SCM, 7024, 36001, T7024);
	CHECK_INT(store_nfaults(r.st), 2);
	if (store_nfaults(r.st) == 2) {
		f = store_fault_at(r.st, 1);
		CHECK(f->state != FAULT_DIAGNOSED);
		CHECK_STR(f->article, "");
	}
	rig_close(&r);
	rm_articles(dir, arts, 3);
}

/*
 * A draft may discriminate an event curated articles only support; it is
 * still no rival of a curated diagnosis, and a different text pattern on
 * a curated discriminator's event is another event.
 */
TEST(diag_draft_on_supported_event)
{
	static const char *const arts[] = {
		STATUS_FAILED,
		"Q1|evidence discriminating source MSExchangeIMC id 4143\n"
		"evidence supporting source MSExchangeIMC id 4020",
		"Q2|origin generated\nevidence discriminating source "
		"MSExchangeIMC id 4020",
		"Q3|evidence discriminating source MSExchangeIMC id 4007 "
		"text \"10050\"",
		"Q4|origin generated\nevidence discriminating source "
		"MSExchangeIMC id 4007 text \"10048\"",
	};
	struct rig r;
	const struct fault *f;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 5) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	/* Q1 13 against the draft's 10: the draft is no rival. */
	evtsys(&r, "A", "MSExchangeIMC", 4020, 36000, "x");
	evtsys(&r, "A", "MSExchangeIMC", 4143, 36001, "x");
	if ((f = only_fault(&r)) != NULL) {
		CHECK_INT(f->state, FAULT_DIAGNOSED);
		CHECK_STR(f->article, "Q1");
	}
	/* Without Q1's own event, the draft's claim decides. */
	evtsys(&r, "B", "MSExchangeIMC", 4020, 36000, "x");
	evtsys(&r, "B", SCM, 7024, 36001, T7024);
	CHECK_INT(store_nfaults(r.st), 2);
	if (store_nfaults(r.st) == 2) {
		f = store_fault_at(r.st, 1);
		CHECK_INT(f->state, FAULT_DIAGNOSED);
		CHECK_STR(f->article, "Q2");
	}
	/* 4007 with 10048: Q3's pattern does not fit, the draft's does. */
	evtsys(&r, "C", "MSExchangeIMC", 4007, 36000, "error 10048");
	CHECK_INT(store_nfaults(r.st), 3);
	if (store_nfaults(r.st) == 3) {
		f = store_fault_at(r.st, 2);
		CHECK_INT(f->state, FAULT_DIAGNOSED);
		CHECK_STR(f->article, "Q4");
	}
	rig_close(&r);
	rm_articles(dir, arts, 5);
}

/*
 * A draft that explains the episode goes before the candidates of an
 * ambiguous fault that do not, even on an event curated articles
 * discriminate, without being diagnosed; never before one that does.
 */
TEST(diag_draft_that_fits_goes_first)
{
	static const char *const arts[] = {
		STATUS_FAILED,
		"Q1|evidence discriminating source MSExchangeIMC id 4086",
		"Q3|evidence discriminating source MSExchangeIMC id 4086",
		"Q2|origin generated\nevidence discriminating source "
		"MSExchangeIMC id 4086\n"
		"evidence supporting source MSExchangeIMC id 4100",
	};
	struct rig r;
	const struct fault *f;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 4) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "A", "MSExchangeIMC", 4086, 36000, "x");
	evtsys(&r, "A", "MSExchangeIMC", 4100, 36001, "x");
	evtsys(&r, "A", SCM, 7024, 36002, T7024);
	if ((f = only_fault(&r)) != NULL) {
		CHECK_INT(f->state, FAULT_AMBIGUOUS);
		CHECK_INT(f->ncands, 3);
		CHECK_STR(f->cands[0].article, "Q2");
	}
	/* Without 4100 the curated articles fit as well: no pass. */
	evtsys(&r, "B", "MSExchangeIMC", 4086, 36000, "x");
	evtsys(&r, "B", SCM, 7024, 36002, T7024);
	CHECK_INT(store_nfaults(r.st), 2);
	if (store_nfaults(r.st) == 2) {
		f = store_fault_at(r.st, 1);
		CHECK_INT(f->state, FAULT_AMBIGUOUS);
		CHECK_STR(f->cands[0].article, "Q1");
		CHECK_STR(f->cands[2].article, "Q2");
	}
	rig_close(&r);
	rm_articles(dir, arts, 4);
}

/*
 * Among candidates that all explain the episode, a draft whose every own
 * event was seen goes before a curated article that still misses one.
 */
TEST(diag_draft_complete_goes_first)
{
	static const char *const arts[] = {
		STATUS_FAILED,
		"Q1|evidence discriminating source MSExchangeIMC id 4037\n"
		"evidence discriminating source MSExchangeIMC id 4106",
		"Q3|evidence discriminating source MSExchangeIMC id 4037\n"
		"evidence discriminating source MSExchangeIMC id 4107",
		"Q2|origin generated\nevidence discriminating source "
		"MSExchangeIMC id 4037",
	};
	struct rig r;
	const struct fault *f;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 4) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "A", "MSExchangeIMC", 4037, 36000, "x");
	evtsys(&r, "A", SCM, 7024, 36001, T7024);
	if ((f = only_fault(&r)) != NULL) {
		CHECK_INT(f->state, FAULT_AMBIGUOUS);	/* Q1 and Q3 tie */
		CHECK_INT(f->ncands, 3);
		CHECK_STR(f->cands[0].article, "Q2");
		CHECK_STR(f->cands[1].article, "Q1");
	}
	rig_close(&r);
	rm_articles(dir, arts, 4);
}

/* An IMS error nothing explains keeps the episode from a diagnosis. */
TEST(diag_unexplained_blocks_diagnosis)
{
	static const char *const arts[] = {
		"Q1|evidence discriminating source MSExchangeIMC id 4143",
	};
	struct rig r;
	const struct fault *f;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 1) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	/* An IMS information event is no evidence of anything. */
	evtsys(&r, "A", "MSExchangeIMC", 1000, 35990, "Starting.");
	evtsys(&r, "A", "MSExchangeIMC", 4999, 35999, "Unknown trouble.");
	CHECK_INT(store_nfaults(r.st), 0);	/* opens nothing alone */
	evtsys(&r, "A", "MSExchangeIMC", 4143, 36000, "x");
	if ((f = only_fault(&r)) != NULL) {
		CHECK_INT(f->state, FAULT_AMBIGUOUS);
		CHECK_INT(f->ncands, 1);
		CHECK_INT(f->nevidence, 1);
	}
	/* The same discriminator alone, on another host: diagnosed. */
	evtsys(&r, "B", "MSExchangeIMC", 4143, 36000, "x");
	CHECK_INT(store_nfaults(r.st), 2);
	if (store_nfaults(r.st) == 2)
		CHECK_INT(store_fault_at(r.st, 1)->state, FAULT_DIAGNOSED);
	rig_close(&r);
	rm_articles(dir, arts, 1);
}

/* A start failure no article explains: unknown cause, still reported. */
TEST(diag_unknown_cause)
{
	static const char *const arts[] = {
		STATUS_FAILED,
		"Q1|evidence discriminating source MSExchangeIMC id 4143",
	};
	struct rig r;
	const struct fault *f;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 2) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "A", SCM, 7024, 36000, T7024);
	if ((f = only_fault(&r)) != NULL) {
		CHECK_INT(f->state, FAULT_UNKNOWN);
		CHECK_STR(f->article, "");
		CHECK_INT(f->confidence, 0);
		CHECK_INT(f->ncands, 0);
	}
	CHECK_INT(store_server_at(r.st, 0)->status, IMS_STATUS_START_FAILED);
	/* The discriminator joins: the same fault, now diagnosed. */
	evtsys(&r, "A", "MSExchangeIMC", 4143, 36001, "x");
	if ((f = only_fault(&r)) != NULL) {
		CHECK_INT(f->state, FAULT_DIAGNOSED);
		CHECK_STR(f->article, "Q1");
	}
	rig_close(&r);
	rm_articles(dir, arts, 2);
}

/* Another article's discriminator in the episode: no confident answer. */
TEST(diag_other_discriminator_contradicts)
{
	static const char *const arts[] = {
		"Q1|evidence discriminating source MSExchangeIMC id 5001\n"
		"evidence discriminating source MSExchangeIMC id 5002",
		"Q2|evidence discriminating source MSExchangeIMC id 5003",
		"Q3|origin reference\nevidence discriminating source "
		"MSExchangeIMC id 5100",
	};
	struct rig r;
	const struct fault *f;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 3) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	/* A reference entry opens nothing. */
	evtsys(&r, "R", "MSExchangeIMC", 5100, 35000, "x");
	CHECK_INT(store_nfaults(r.st), 0);
	/* Q1 leads 20 to 10, but 5003 is Q2's and Q1 does not explain it. */
	evtsys(&r, "A", "MSExchangeIMC", 5003, 36000, "x");
	evtsys(&r, "A", "MSExchangeIMC", 5001, 36001, "x");
	evtsys(&r, "A", "MSExchangeIMC", 5002, 36002, "x");
	if ((f = only_fault(&r)) != NULL) {
		CHECK(f->state == FAULT_DIAGNOSED ? strcmp(f->article, "Q2") ==
		    0 : f->state == FAULT_AMBIGUOUS);
		CHECK(f->ncands == 2 && strcmp(f->cands[0].article, "Q1") == 0);
	}
	rig_close(&r);
	rm_articles(dir, arts, 3);
}

/* An event ID alone that another article tells apart by text. */
TEST(diag_weak_id_alone)
{
	static const char *const arts[] = {
		"Q1|evidence discriminating source MSExchangeIMC id 5200 "
		"text \"alpha\"",
		"Q2|evidence discriminating source MSExchangeIMC id 5200",
	};
	struct rig r;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 2) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "A", "MSExchangeIMC", 5200, 36000, "beta");
	if (only_fault(&r) != NULL)
		CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_AMBIGUOUS);
	rig_close(&r);
	rm_articles(dir, arts, 2);
}

/*
 * A start-failure report an article does not name: consistent with an
 * article that names none, a contradiction for one that names another.
 */
TEST(diag_other_report_of_failure)
{
	static const char *const arts[] = {
		"_symptoms|symptom s-2140\nimplies start-failed\n"
		"match source \"Service Control Manager\" id 7024 "
		"text \"error 2140\"\n"
		"symptom s-1067\nimplies start-failed\n"
		"match source \"Service Control Manager\" id 7024 "
		"text \"error 1067\"",
		"Q1|evidence discriminating source MSExchangeIMC id 4071",
		"Q2|evidence discriminating source MSExchangeIMC id 4086\n"
		"evidence symptom use s-2140",
		"Q3|evidence discriminating source MSExchangeIMC id 4999\n"
		"evidence symptom use s-1067",
	};
	struct rig r;
	char dir[256];

	if (write_articles(dir, sizeof(dir), arts, 4) == -1 ||
	    rig_open(&r, dir, NULL, 0) == -1) {
		CHECK(0);
		return;
	}
	/* Q1 names no report: a 2140 start failure fits it. */
	evtsys(&r, "A", "MSExchangeIMC", 4071, 36000, "x");
	evtsys(&r, "A", SCM, 7024, 36001, "terminated with error 2140");
	/* Q2 names error 2140: a 1067 report is not its failure. */
	evtsys(&r, "B", "MSExchangeIMC", 4086, 36000, "x");
	evtsys(&r, "B", SCM, 7024, 36001, "terminated with error 1067");
	CHECK_INT(store_nfaults(r.st), 2);
	if (store_nfaults(r.st) == 2) {
		CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_DIAGNOSED);
		CHECK_STR(store_fault_at(r.st, 0)->article, "Q1");
		CHECK_INT(store_fault_at(r.st, 1)->state, FAULT_AMBIGUOUS);
	}
	rig_close(&r);
	rm_articles(dir, arts, 4);
}

TEST_MAIN(T(diag_nt4_delivery_means_running), T(diag_forged_flood_evicts),
    T(diag_out_of_order_refines_in_place),
    T(diag_window_separates_episodes), T(diag_lead_threshold),
    T(diag_supporting_alone_opens_nothing), T(diag_nohost_counted),
    T(diag_max_hosts), T(diag_max_episodes), T(diag_max_evidence_per_episode),
    T(diag_garbage_never_diagnoses), T(diag_set_kb_keeps_faults),
    T(diag_absent_rules_out), T(diag_repeat_counts_when_reached),
    T(diag_required_missing_counts_against), T(diag_reload_refines),
    T(diag_owned_diagnosis_follows_evidence),
    T(diag_draft_never_displaces_curated),
    T(diag_draft_on_supported_event), T(diag_draft_that_fits_goes_first),
    T(diag_draft_complete_goes_first),
    T(diag_unexplained_blocks_diagnosis),
    T(diag_unknown_cause), T(diag_other_discriminator_contradicts),
    T(diag_weak_id_alone), T(diag_other_report_of_failure))
