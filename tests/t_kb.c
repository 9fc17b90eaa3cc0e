/* Long by design: one case per KB bound and lint error, each self-contained. */
/*
 * t_kb: the knowledge base.  The shipped kb/ (articles, merged items,
 * weights, dispatch), the fixtures under tests/kb/ (one lint error per
 * file, all-or-nothing loads), hostile input built in a temporary
 * directory (one test per bound), and the seed articles' titles.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "util/evt.h"
#include "kb/kb.h"
#include "util/span.h"
#include "test.h"

#define SEEDS	"../shared/seeds"

static const char *const base_article =
    "article Q1\n"
    "title T\n"
    "severity major\n"
    "implies degraded\n"
    "evidence discriminating source S id 1\n"
    "cause C\n"
    "resolution R\n";

static struct kb	*load_one(const char *, struct kb_errors *);
static void		 ev_make(struct evt *, const char *, int,
			    enum evt_type, const char *, const char *);
static int		 hit_for(const struct kb *, const struct kb_hits *,
			    const char *, enum kb_role);
static const struct kb_item *item_for(const struct kb *, const char *,
			    enum kb_role);
static int		 has_status(const struct kb_hits *, enum ims_status);
static void		 tmp_dir(char *, size_t);
static void		 tmp_write(const char *, const char *, const void *,
			    size_t);
static void		 tmp_rm(const char *);
static void		 lint_case(const char *, const char *, size_t);
static void		 lint_tmp(const char *, const char *, size_t,
			    const char *);
static int		 seed_parse(const char *, char *, size_t, char *,
			    size_t);
static void		 seed_check(const struct kb *, const char *, int *);

static struct kb *
load_one(const char *path, struct kb_errors *e)
{
	return kb_load_files(&path, 1, e);
}

static void
ev_make(struct evt *ev, const char *source, int id, enum evt_type type,
    const char *log, const char *text)
{
	evt_reset(ev);
	ev->source = span_cstr(source);
	ev->event_id = id;
	ev->type = type;
	ev->log = span_cstr(log);
	ev->text = span_cstr(text);
}

/* Article IDs in numeric order (Q99 before Q100). */
static int
kb_id_cmp_num(const char *a, const char *b)
{
	return strlen(a) < strlen(b) ||
	    (strlen(a) == strlen(b) && strcmp(a, b) < 0);
}

/* Did an item with a ref (article, role) hit? */
static int
hit_for(const struct kb *kb, const struct kb_hits *h, const char *id,
    enum kb_role role)
{
	const struct kb_article *a = kb_find(kb, id);
	size_t i, j;

	for (i = 0; a != NULL && i < h->nitem; i++)
		for (j = 0; j < h->item[i]->nrefs; j++)
			if (h->item[i]->refs[j].article == a->index &&
			    h->item[i]->refs[j].role == role)
				return 1;
	return 0;
}

/* The first item an article refers to with this role. */
static const struct kb_item *
item_for(const struct kb *kb, const char *id, enum kb_role role)
{
	const struct kb_article *a = kb_find(kb, id);
	const struct kb_item *it;
	size_t i, j;

	for (i = 0; a != NULL && i < a->nitems; i++) {
		it = kb_item(kb, a->items[i]);
		for (j = 0; j < it->nrefs; j++)
			if (it->refs[j].article == a->index &&
			    it->refs[j].role == role)
				return it;
	}
	return NULL;
}

static int
has_status(const struct kb_hits *h, enum ims_status s)
{
	size_t i;

	for (i = 0; i < h->nstatus; i++)
		if (h->status[i]->status == s)
			return 1;
	return 0;
}

static void
tmp_dir(char *buf, size_t sz)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, sz, "%s/t_kb.XXXXXX", t != NULL && *t ? t : "/tmp");
	if (mkdtemp(buf) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
}

static void
tmp_write(const char *dir, const char *name, const void *data, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(data, 1, n, f) != n ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* Remove a temporary directory and what is in it (one level deep). */
static void
tmp_rm(const char *dir)
{
	struct dirent *de;
	char path[512];
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) == -1)
			rmdir(path);
	}
	closedir(dp);
	rmdir(dir);
}

/* A fixture must fail with msg first and total errors in all. */
static void
lint_case(const char *file, const char *msg, size_t total)
{
	struct kb_errors e;
	char path[256], want[512];
	struct kb *kb;

	snprintf(path, sizeof(path), "tests/kb/lint/%s", file);
	snprintf(want, sizeof(want), "%s:%s", path, msg);
	errno = 0;
	kb = load_one(path, &e);
	CHECK(kb == NULL);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(e.total, total);
	if (e.n > 0)
		CHECK_STR(e.err[0].msg, want);
	else
		CHECK_STR("(no error)", want);
	kb_free(kb);
}

/* The same, for data written to a temporary file; total 0: it loads. */
static void
lint_tmp(const char *data, const char *msg, size_t total, const char *name)
{
	struct kb_errors e;
	char dir[256], want[512];
	struct kb *kb;

	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, name, data, strlen(data));
	snprintf(want, sizeof(want), "%s/%s:%s", dir, name, msg);
	kb = kb_load(dir, &e);
	CHECK((kb == NULL) == (total > 0));
	CHECK_INT(e.total, total);
	if (total > 0 && e.n > 0)
		CHECK_STR(e.err[0].msg, want);
	kb_free(kb);
	tmp_rm(dir);
}

/* The shipped KB. */

TEST(kb_shipped_loads)
{
	static const char *const ids[] = {
		"Q154589", "Q173496", "Q183178", "Q246115", "Q306308"
	};
	const struct kb_article *a;
	struct kb_errors e;
	struct kb *kb;
	size_t i;

	kb = kb_load("kb", &e);
	CHECK(kb != NULL);
	if (kb == NULL) {
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "  %s\n", e.err[i].msg);
		return;
	}
	/* The seeds among the family: sorted by number, all curated. */
	CHECK(kb_narticles(kb) >= 5);
	for (i = 0; i < kb_narticles(kb); i++) {
		a = kb_article(kb, i);
		CHECK_INT(a->index, i);
		CHECK(i == 0 || kb_id_cmp_num(kb_article(kb, i - 1)->id, a->id));
		CHECK_INT(a->origin, KB_ORIGIN_CURATED);
		CHECK(strlen(a->cause) > 20 && strlen(a->resolution) > 20);
		CHECK(a->nitems > 0);
	}
	for (i = 0; i < 5; i++) {
		a = kb_find(kb, ids[i]);
		CHECK(a != NULL);
		if (a == NULL)
			continue;
		CHECK_INT(a->severity, KB_SEV_CRITICAL);
		CHECK_INT(a->implies, IMS_STATUS_START_FAILED);
	}
	CHECK(kb_article(kb, kb_narticles(kb)) == NULL);
	CHECK_STR(kb_find(kb, "Q173496")->versions, "5.5");
	CHECK_STR(kb_find(kb, "Q306308")->versions, "4.0,5.0,5.5");
	CHECK_STR(kb_find(kb, "Q154589")->versions, "4.0");
	CHECK_INT(kb_find(kb, "Q183178")->nsee_also, 1);
	CHECK_STR(kb_find(kb, "Q183178")->see_also[0], "Q246115");
	CHECK_INT(kb_nstatus_rules(kb), 6);
	kb_free(kb);
}

TEST(kb_shipped_items)
{
	const struct kb_item *it;
	struct kb *kb = kb_load("kb", NULL);
	size_t i, j, nsym = 0;

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	for (i = 0; i < kb_nitems(kb); i++) {
		it = kb_item(kb, i);
		CHECK_INT(it->index, i);
		if (strcmp(it->symptom, "ims-start-2140") != 0)
			continue;
		nsym++;
		CHECK_INT(it->implies, IMS_STATUS_START_FAILED);
		/* Shared by every article that lists it: weight 1/n. */
		CHECK(it->nrefs >= 4);
		for (j = 0; j < it->nrefs; j++) {
			CHECK_INT(it->refs[j].role, KB_ROLE_SYMPTOM);
			CHECK(it->refs[j].weight == 1.0 / (double)it->nrefs);
		}
	}
	CHECK_INT(nsym, 3);
	it = item_for(kb, "Q173496", KB_ROLE_DISCRIMINATING);
	CHECK(it != NULL && it->nrefs == 1 && it->refs[0].weight == 10.0);
	CHECK(it != NULL && it->implies == IMS_STATUS_UNKNOWN);
	it = item_for(kb, "Q183178", KB_ROLE_SUPPORTING);
	CHECK(it != NULL && it->refs[0].weight == 3.0);
	/* Q183178's IMS does not start either: it shares the 2140 report. */
	CHECK(item_for(kb, "Q183178", KB_ROLE_SYMPTOM) != NULL);
	CHECK(kb_item(kb, kb_nitems(kb)) == NULL);
	kb_free(kb);
}

/* Seeds: ID and title exactly as the article gives them. */

static int
seed_parse(const char *buf, char *id, size_t idsz, char *title, size_t tsz)
{
	struct span s = span_cstr(buf), line, v;
	ssize_t k;

	id[0] = title[0] = '\0';
	while (s.n > 0) {
		if (span_take_until(&s, '\n', &line) == -1) {
			line = s;
			s.n = 0;
		}
		line = span_trim(line);
		if (span_expect(&line, "title: \"") == 0 && line.n > 0 &&
		    line.p[line.n - 1] == '"' &&
		    (k = span_find(line, ": ")) > 0) {
			span_copy(id, idsz, span_make(line.p, (size_t)k));
			span_copy(title, tsz, span_make(line.p + k + 2,
			    line.n - (size_t)k - 3));
		} else if (span_expect(&line, "DOCUMENT:") == 0) {
			if (span_take_until(&line, ' ', &v) == -1)
				v = line;
			span_copy(id, idsz, v);
		} else if (span_expect(&line, "TITLE") == 0) {
			span_skip_spaces(&line);
			if (span_expect(&line, ":") == 0)
				span_copy(title, tsz, span_trim(line));
		}
	}
	return id[0] != '\0' && title[0] != '\0' ? 0 : -1;
}

static void
seed_check(const struct kb *kb, const char *path, int *n)
{
	char buf[65536], id[32], title[256];
	const struct kb_article *a;
	size_t len;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	CHECK(seed_parse(buf, id, sizeof(id), title, sizeof(title)) == 0);
	if ((a = kb_find(kb, id)) == NULL) {
		fprintf(stderr, "  %s: article %s not in kb/\n", path, id);
		test_fails++;
		return;
	}
	CHECK_STR(a->title, title);
	(*n)++;
}

TEST(kb_seeds)
{
	struct dirent *de;
	struct kb *kb;
	char path[512];
	DIR *dp;
	int n = 0;

	if ((dp = opendir(SEEDS)) == NULL) {
		printf("note: %s absent, seed title check skipped\n", SEEDS);
		return;
	}
	kb = kb_load("kb", NULL);
	CHECK(kb != NULL);
	while (kb != NULL && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", SEEDS, de->d_name);
		seed_check(kb, path, &n);
	}
	closedir(dp);
	CHECK(n >= 5);
	kb_free(kb);
}

TEST(kb_seed_parse_forms)
{
	char id[32], title[256];

	CHECK(seed_parse("---\nlayout: page\ntitle: \"Q1: XFOR: A: B\"\n---\n",
	    id, sizeof(id), title, sizeof(title)) == 0);
	CHECK_STR(id, "Q1");
	CHECK_STR(title, "XFOR: A: B");
	CHECK(seed_parse("DOCUMENT:Q2  07-JAN-2000  [x]\r\n"
	    "TITLE   :XFOR: C\r\n", id, sizeof(id), title, sizeof(title)) == 0);
	CHECK_STR(id, "Q2");
	CHECK_STR(title, "XFOR: C");
	CHECK(seed_parse("nothing here", id, sizeof(id), title,
	    sizeof(title)) == -1);
}

/* Dispatch on the shipped KB. */

/* Events without an event ID are identified by 'ident' text only. */
TEST(kb_match_ident_without_id)
{
	struct kb *kb = kb_load("kb", NULL);
	struct kb_hits h;
	struct evt ev;
	char scratch[1024];
	int normed = 0;

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	ev_make(&ev, "MSExchangeIMC", -1, EVT_TYPE_ERROR, "",
	    "The service account must be an administrator to provide SSL "
	    "support.");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(hit_for(kb, &h, "Q173496", KB_ROLE_DISCRIMINATING));
	/* No source at all (Adiscon default, NTsyslog classic): still. */
	ev_make(&ev, "", -1, EVT_TYPE_UNKNOWN, "", "... SSL support ...");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	/* Another source with the same words: not ours. */
	ev_make(&ev, "W3SVC", -1, EVT_TYPE_ERROR, "", "no SSL support");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	/* Without the identifying words nothing matches. */
	ev_make(&ev, "MSExchangeIMC", -1, EVT_TYPE_ERROR, "", "hello");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	/* The SCM start failure, source-less: symptom and status rule. */
	ev_make(&ev, "", -1, EVT_TYPE_ERROR, "", "The Microsoft Exchange "
	    "Internet Mail Service service terminated with the following "
	    "error: %%2140");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 2);
	CHECK_INT(h.nstatus, 1);
	/* An ID-bearing event never matches on ident alone. */
	ev_make(&ev, "MSExchangeIMC", 9999, EVT_TYPE_ERROR, "", "SSL support");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	ev_make(&ev, "MSExchangeIMC", -1, EVT_TYPE_ERROR, "", "SSL support");
	if (kb_find(kb, "Q173496") != NULL) {
		const struct kb_item *it;

		it = kb_item(kb, kb_find(kb, "Q173496")->items[0]);
		CHECK_INT(kb_match_one(&it->match, &ev, scratch,
		    sizeof(scratch), &normed), 1);
	}
	kb_free(kb);
}

TEST(kb_match_4143)
{
	struct kb *kb = kb_load("kb", NULL);
	struct kb_hits h;
	struct evt ev;
	char scratch[1024], buf[256];

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	ev_make(&ev, "MSExchangeIMC", 4143, EVT_TYPE_ERROR, "Application",
	    "The Internet Mail Service service account is not an "
	    "administrator account.");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK_INT(h.nitem, 1);
	CHECK(h.dispatched);
	CHECK(hit_for(kb, &h, "Q173496", KB_ROLE_DISCRIMINATING));
	CHECK(h.nitem == 1 && h.item[0]->nrefs == 1);
	CHECK_INT(kb_match_format(&h.item[0]->match, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "MSExchangeIMC 4143 type=error log=application");
	/* evtsys sends no log name and its type may be unknown. */
	ev_make(&ev, "MSExchangeIMC", 4143, EVT_TYPE_UNKNOWN, "", "x");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	ev_make(&ev, "msexchangeimc", 4143, EVT_TYPE_INFORMATION, "", "x");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	ev_make(&ev, "MSExchangeIMC", 4143, EVT_TYPE_ERROR, "System", "x");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	kb_free(kb);
}

TEST(kb_match_1023)
{
	struct kb *kb = kb_load("kb", NULL);
	struct kb_hits h;
	struct evt ev;
	char scratch[1024];

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	/* A user's mailbox: an ordinary failed logon. */
	ev_make(&ev, "MSExchangeIS Private", 1023, EVT_TYPE_AUDIT_FAILURE,
	    "Application", "DOM\\jsmith was validated as /o=Org/ou=Site/"
	    "cn=Recipients/cn=jsmith but was unable to log on to /o=Org/"
	    "ou=Site/cn=Recipients/cn=jsmith");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	CHECK(h.dispatched);
	/* The IMS object, evtsys spelling, the DN wrapped over two lines. */
	ev_make(&ev, "MSExchangeIS_Private", 1023, EVT_TYPE_AUDIT_FAILURE, "",
	    "DOMSTW\\exchservice was validated as /o=MicrosoftCE/"
	    "ou=northitaly/cn=Configuration/cn=Connections/cn=Internet Mail"
	    "\r\n  Connector (NTSTEFANWI1) but was unable to log on");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(hit_for(kb, &h, "Q306308", KB_ROLE_DISCRIMINATING));
	ev.type = EVT_TYPE_AUDIT_SUCCESS;
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	kb_free(kb);
}

TEST(kb_match_scm_2140)
{
	static const char *const texts[] = {
		"The Microsoft Exchange Internet Mail Service service "
		    "terminated with the following error: %%2140",
		"The Microsoft Exchange Internet Mail Service service "
		    "terminated with the following error: (Error 2140)",
		"The Microsoft Exchange Internet Mail Connector service "
		    "terminated with service-specific error 2140.",
		"The Microsoft Exchange Internet Mail Service service "
		    "terminated with the following error:#015#012An internal "
		    "Windows NT error occurred.",
	};
	struct kb *kb = kb_load("kb", NULL);
	const struct kb_item *it;
	struct kb_hits h;
	struct evt ev;
	char scratch[1024];
	size_t i;

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ev_make(&ev, "Service Control Manager", i == 2 ? 7024 : 7023,
		    EVT_TYPE_ERROR, "System", texts[i]);
		CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 2);
		CHECK_INT(h.nitem, 1);
		it = h.nitem > 0 ? h.item[0] : NULL;
		CHECK(it != NULL && strcmp(it->symptom, "ims-start-2140") == 0);
		CHECK(hit_for(kb, &h, "Q154589", KB_ROLE_SYMPTOM));
		CHECK(hit_for(kb, &h, "Q183178", KB_ROLE_SYMPTOM));
		CHECK(has_status(&h, IMS_STATUS_START_FAILED));
	}
	/* Another service failing with 2140 is none of our business. */
	ev_make(&ev, "Service_Control_Manager", 7023, EVT_TYPE_ERROR, "System",
	    "The Spooler service terminated with the following error: %%2140");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	/* Another error: the IMS failed to start, but not the 2140 one. */
	ev_make(&ev, "Service Control Manager", 7000, EVT_TYPE_ERROR, "System",
	    "The Microsoft Exchange Internet Mail Service service failed to "
	    "start due to the following error: %%1067");
	kb_match(kb, &ev, &h, scratch, sizeof(scratch));
	for (i = 0; i < h.nitem; i++)
		CHECK(strcmp(h.item[i]->symptom, "ims-start-2140") != 0);
	CHECK(has_status(&h, IMS_STATUS_START_FAILED));
	kb_free(kb);
}

TEST(kb_match_noise)
{
	struct kb *kb = kb_load("kb", NULL);
	struct kb_hits h;
	struct evt ev;
	char scratch[64];
	size_t i;
	int untouched = 1;

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	memset(scratch, 'Z', sizeof(scratch));
	ev_make(&ev, "Print", 10, EVT_TYPE_INFORMATION, "System",
	    "Document 12 owned by jsmith was printed on HP");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	CHECK(!h.dispatched);
	/* A known ID from an unknown source finds no candidate either. */
	ev_make(&ev, "Foo", 4143, EVT_TYPE_ERROR, "Application", "internet");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	CHECK(!h.dispatched);
	/* Candidates without text conditions do not normalise either. */
	ev_make(&ev, "MSExchangeIMC", 4058, EVT_TYPE_ERROR, "Application",
	    "The Internet Mail Connector cannot start");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	for (i = 0; i < sizeof(scratch); i++)
		untouched &= scratch[i] == 'Z';
	CHECK(untouched);
	ev_make(&ev, "MSExchangeIMC", -1, EVT_TYPE_ERROR, "", "");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	ev_make(&ev, "MSExchangeIMC", 70000 + 4143, EVT_TYPE_ERROR, "", "");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	CHECK_INT(kb_match(NULL, &ev, &h, scratch, sizeof(scratch)), 0);
	kb_free(kb);
}

TEST(kb_match_status)
{
	struct kb *kb = kb_load("kb", NULL);
	struct kb_hits h;
	struct evt ev;
	char scratch[512];

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	ev_make(&ev, "Service Control Manager", 7036, EVT_TYPE_INFORMATION,
	    "System", "The Microsoft Exchange Internet Mail Service service "
	    "entered the running state.");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(h.nstatus == 1 && h.status[0]->status == IMS_STATUS_RUNNING);
	ev.text = span_cstr("The Microsoft Exchange Internet Mail Service "
	    "service entered the stopped state.");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(has_status(&h, IMS_STATUS_STOPPED));
	ev.text = span_cstr("The Telnet service entered the running state.");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	ev_make(&ev, "MSExchangeIMC", 1001, EVT_TYPE_INFORMATION, "Application",
	    "The Microsoft Exchange Internet Mail Service shut down "
	    "successfully.");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(has_status(&h, IMS_STATUS_STOPPED));
	ev_make(&ev, "MSExchangeIMC", 4116, EVT_TYPE_ERROR, "Application",
	    "An error was returned from the messaging software");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 2);
	CHECK(has_status(&h, IMS_STATUS_DEGRADED));
	CHECK(hit_for(kb, &h, "Q306308", KB_ROLE_SUPPORTING));
	kb_free(kb);
}

/* Alternatives of one piece of evidence count once per event. */
TEST(kb_match_alternatives_once)
{
	struct kb *kb = kb_load("kb", NULL);
	struct kb_hits h;
	struct evt ev;
	char scratch[512];

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	ev_make(&ev, "MSExchangeIMC", 2140, EVT_TYPE_ERROR, "Application",
	    "The Internet Mail Service could not start");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(h.nitem == 1 && strcmp(h.item[0]->symptom,
	    "ims-start-2140") == 0);
	ev_make(&ev, "Some Other Source", 2140, EVT_TYPE_ERROR, "Application",
	    "Internet Mail Service: error");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	ev_make(&ev, "MSExchangeIMC", 100, EVT_TYPE_ERROR, "Application",
	    "internet mail service");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(hit_for(kb, &h, "Q246115", KB_ROLE_DISCRIMINATING));
	ev_make(&ev, "Application Popup", 100, EVT_TYPE_ERROR, "Application",
	    "something else entirely");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	kb_free(kb);
}

TEST(kb_match_one_normed)
{
	struct kb *kb = kb_load("kb", NULL);
	const struct kb_item *it;
	struct evt ev;
	char scratch[256];
	int normed = 0;

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	it = item_for(kb, "Q306308", KB_ROLE_DISCRIMINATING);
	ev_make(&ev, "msexchangeis_private", 1023, EVT_TYPE_AUDIT_FAILURE,
	    "application", "x /CN=Internet  Mail Service (S1) y");
	CHECK(kb_match_one(&it->match, &ev, scratch, sizeof(scratch),
	    &normed) == 1);
	CHECK(normed);
	CHECK_STR(scratch, "x /cn=internet mail service (s1) y");
	/* Already normalised: the scratch is trusted, not redone. */
	memcpy(scratch, "nothing", 8);
	CHECK(kb_match_one(&it->match, &ev, scratch, sizeof(scratch),
	    &normed) == 0);
	CHECK(kb_match_one(&it->match, &ev, scratch, sizeof(scratch),
	    NULL) == 1);
	ev.event_id = 1024;
	CHECK(kb_match_one(&it->match, &ev, scratch, sizeof(scratch),
	    NULL) == 0);
	ev.event_id = 1023;
	ev.source = span_cstr("MSExchangeIS Public");
	CHECK(kb_match_one(&it->match, &ev, scratch, sizeof(scratch),
	    NULL) == 0);
	/* No scratch: text conditions cannot hold, nothing breaks. */
	ev.source = span_cstr("MSExchangeIS Private");
	CHECK(kb_match_one(&it->match, &ev, NULL, 0, NULL) == 0);
	kb_free(kb);
}

TEST(kb_match_format_cut)
{
	struct kb *kb = kb_load("kb", NULL);
	const struct kb_item *it;
	char buf[512], small[16];

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	it = item_for(kb, "Q306308", KB_ROLE_DISCRIMINATING);
	CHECK_INT(kb_match_format(&it->match, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "\"MSExchangeIS Private\" 1023 type=audit-failure "
	    "log=application text~(\"cn=internet mail connector\"|"
	    "\"cn=internet mail service\")");
	errno = 0;
	CHECK_INT(kb_match_format(&it->match, small, sizeof(small)), -1);
	CHECK_INT(errno, EMSGSIZE);
	CHECK_INT(strlen(small), sizeof(small) - 1);
	CHECK_INT(kb_match_format(&it->match, small, 0), -1);
	it = item_for(kb, "Q246115", KB_ROLE_DISCRIMINATING);
	CHECK_INT(kb_match_format(&it->match, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "MSExchangeIMC 100 log=application");
	kb_free(kb);
}

/* Small scratch: text is cut, matching stays bounded and safe. */
TEST(kb_scratch_small)
{
	struct kb *kb = kb_load("kb", NULL);
	struct kb_hits h;
	struct evt ev;
	char scratch[8];

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	ev_make(&ev, "Service Control Manager", 7023, EVT_TYPE_ERROR, "System",
	    "The Microsoft Exchange Internet Mail Service service "
	    "terminated with the following error: %%2140");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 0);
	CHECK_INT(strlen(scratch), 7);
	CHECK_INT(kb_match(kb, &ev, &h, NULL, 0), 0);
	kb_free(kb);
}

/* The good fixture: every feature. */

TEST(kb_good_fixture)
{
	struct kb_errors e;
	struct kb *kb = kb_load("tests/kb/good", &e);
	const struct kb_article *a;
	const struct kb_item *it;

	CHECK(kb != NULL);
	if (kb == NULL) {
		fprintf(stderr, "  %s\n", e.n ? e.err[0].msg : "?");
		return;
	}
	CHECK_INT(kb_narticles(kb), 3);
	CHECK_STR(kb_article(kb, 0)->id, "Q99");
	CHECK_STR(kb_article(kb, 1)->id, "Q100");
	CHECK_STR(kb_article(kb, 2)->id, "Q200");
	a = kb_find(kb, "q100");
	CHECK(a != NULL && a == kb_find(kb, "Q100"));
	CHECK(kb_find(kb, "Q101") == NULL && kb_find(kb, "bogus") == NULL);
	CHECK(kb_find(kb, "Q1234567890123456789") == NULL);
	CHECK_STR(a->title, "TEST: Motor Stalls When the \"Gear\" Slips");
	CHECK_STR(a->versions, "4.0,5.0,5.5");
	CHECK_STR(a->cause, "The motor stalls because the gear slips.");
	CHECK_INT(a->severity, KB_SEV_MAJOR);
	CHECK_INT(a->nsee_also, 2);
	CHECK_STR(a->file, "tests/kb/good/Q100.kb");
	CHECK_INT(a->nitems, 4);
	a = kb_find(kb, "Q200");
	CHECK_INT(a->origin, KB_ORIGIN_GENERATED);
	CHECK_INT(a->reviewed, 0);
	CHECK_STR(a->cause, "not yet reviewed: see KB article Q200");
	CHECK_STR(a->resolution, "not yet reviewed: see KB article Q200");
	/* Merged: Q99 and Q100 discriminating, written alike. */
	it = item_for(kb, "Q99", KB_ROLE_DISCRIMINATING);
	CHECK(it != NULL && it->nrefs == 2 && it->refs[0].weight == 5.0);
	CHECK(it != NULL && strcmp(it->match.text[0][0],
	    "say \"hi\"\\there") == 0);
	/*
	 * Merged: Q100 and Q200 supporting, spelt differently.  Q200 is a
	 * draft on evidence the curated Q100 only supports: not shadowed
	 * (no curated article discriminates it); it weighs as one more
	 * article using the event, and does not dilute Q100's weight.
	 */
	it = item_for(kb, "Q200", KB_ROLE_SUPPORTING);
	CHECK(it != NULL && it->nrefs == 2 && it->refs[1].weight == 1.5);
	CHECK(it != NULL && !it->refs[1].shadowed && !it->refs[0].shadowed);
	CHECK(it != NULL && it->refs[0].weight == 3.0);
	CHECK(it != NULL && it == item_for(kb, "Q100", KB_ROLE_SUPPORTING));
	CHECK(it != NULL && it->refs[0].line == 12);
	/* A draft's shared symptom weighs as one more article using it. */
	it = item_for(kb, "Q200", KB_ROLE_SYMPTOM);
	CHECK(it != NULL && it->nrefs == 3 && it->refs[2].weight > 0.33 &&
	    it->refs[2].weight < 0.34 && !it->refs[2].shadowed);
	CHECK(it != NULL && it->refs[0].weight == 0.5);
	/* The unused symptom still loads. */
	it = kb_item(kb, 2);
	CHECK_STR(it->symptom, "lonely");
	CHECK(it->nrefs == 0 && it->implies == IMS_STATUS_DEGRADED);
	CHECK_INT(kb_nitems(kb), 6);
	CHECK_INT(kb_nstatus_rules(kb), 3);
	kb_free(kb);
}

TEST(kb_good_fixture_match)
{
	struct kb *kb = kb_load("tests/kb/good", NULL);
	struct kb_hits h;
	struct evt ev;
	char scratch[256];

	CHECK(kb != NULL);
	if (kb == NULL)
		return;
	ev_make(&ev, "GEAR_BOX", 7036, EVT_TYPE_UNKNOWN, "", "Stopped State");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(has_status(&h, IMS_STATUS_STOPPED));
	ev_make(&ev, "Motor", 43, EVT_TYPE_UNKNOWN, "", "code %%2140 here");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(hit_for(kb, &h, "Q100", KB_ROLE_SUPPORTING));
	CHECK(hit_for(kb, &h, "Q200", KB_ROLE_SUPPORTING));
	ev_make(&ev, "anything", 900, EVT_TYPE_UNKNOWN, "", "a gear");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	ev_make(&ev, "", 900, EVT_TYPE_UNKNOWN, "", "a gear");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	ev_make(&ev, "Lonely", 5, EVT_TYPE_UNKNOWN, "", "");
	CHECK_INT(kb_match(kb, &ev, &h, scratch, sizeof(scratch)), 1);
	CHECK(h.nitem == 1 && h.item[0]->nrefs == 0);
	kb_free(kb);
}

TEST(kb_crlf_and_no_errs)
{
	char dir[256], buf[1024];
	const char *s;
	struct kb *kb;
	size_t n = 0;

	for (s = base_article; *s != '\0' && n + 2 < sizeof(buf); s++) {
		if (*s == '\n')
			buf[n++] = '\r';
		buf[n++] = *s;
	}
	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, "a.kb", buf, n);
	kb = kb_load(dir, NULL);
	CHECK(kb != NULL);
	CHECK(kb != NULL && strcmp(kb_article(kb, 0)->resolution, "R") == 0);
	kb_free(kb);
	tmp_write(dir, "b.kb", "bogus\n", 6);
	CHECK(kb_load(dir, NULL) == NULL);
	tmp_rm(dir);
	kb_free(NULL);
}

/* Lint: one defect per fixture, its message, nothing else. */

/* Long: a table of every lint message, one row per fixture. */
TEST(kb_lint_messages)
{
	static const struct {
		const char	*file;
		const char	*msg;
		size_t		 total;
	} cases[] = {
		{ "unknown-keyword.kb", "3: unknown keyword 'colour'", 1 },
		{ "missing-fields.kb", "1: article Q1 has no 'severity'", 3 },
		{ "bad-id.kb", "1: bad article ID '173496' (want Q and 1 to 8 "
		    "digits)", 1 },
		{ "bad-id-letters.kb", "1: bad article ID 'Q12a' (want Q and 1 "
		    "to 8 digits)", 1 },
		{ "bad-role.kb", "5: unknown role 'decisive' (discriminating, "
		    "supporting, symptom)", 1 },
		{ "bad-severity.kb", "3: unknown severity 'fatal' (critical, "
		    "major, minor, warning)", 1 },
		{ "bad-implies.kb", "4: unknown status 'broken' (running, "
		    "stopped, start-failed, degraded)", 1 },
		{ "bad-type.kb", "5: unknown type 'failure' (error, warning, "
		    "information, audit-success, audit-failure)", 1 },
		{ "bad-log.kb", "5: unknown log 'dns' (application, system, "
		    "security)", 1 },
		{ "bad-origin.kb", "3: unknown origin 'borrowed' (curated, "
		    "generated, reference)", 1 },
		{ "bad-version.kb", "3: bad version 'five' (want N.N)", 1 },
		{ "id-list.kb", "5: bad event ID list '7000,,7001' (want N or "
		    "N,N,...)", 1 },
		{ "id-trailing-comma.kb", "5: event ID list ends with a comma",
		    1 },
		{ "id-no-comma.kb", "5: unknown match keyword '7001' (source, "
		    "id, type, log, text; text fragments are quoted)", 1 },
		{ "id-duplicate.kb", "5: duplicate event ID 7001", 1 },
		{ "frag-empty.kb", "5: empty text fragment", 1 },
		{ "text-unquoted.kb", "5: 'text' needs at least one quoted "
		    "fragment", 1 },
		{ "text-no-fragment.kb", "5: 'text' needs at least one quoted "
		    "fragment", 1 },
		{ "source-empty.kb", "5: empty source (write * for any "
		    "source)", 1 },
		{ "match-no-id.kb", "5: match needs an event 'id'", 1 },
		{ "match-duplicate-key.kb", "5: duplicate 'source' in one "
		    "match", 1 },
		{ "bad-escape.kb", "5: bad escape in quoted string (only \\\" "
		    "and \\\\)", 1 },
		{ "stray-quote.kb", "5: unexpected '\"' inside a word", 1 },
		{ "curated-todo.kb", "6: curated article with a TODO cause "
		    "(write it, or mark it 'origin generated')", 1 },
		{ "curated-todo-resolution.kb", "8: curated article with a "
		    "TODO resolution (write it, or mark it 'origin generated')", 1 },
		{ "see-also-unknown.kb", "8: see-also Q999: no such article in "
		    "the knowledge base", 1 },
		{ "see-also-self.kb", "8: see-also names the article itself",
		    1 },
		{ "see-also-bad.kb", "8: bad article ID '1234' (want Q and 1 "
		    "to 8 digits)", 1 },
		{ "undefined-symptom.kb", "5: undefined symptom "
		    "'no-such-thing'", 1 },
		{ "use-wrong-role.kb", "5: 'use' names a shared symptom: the "
		    "role must be 'symptom'", 1 },
		{ "use-bad-name.kb", "5: bad symptom name 'Gear_Slip' (want "
		    "a-z, 0-9 and '-', at most 47 bytes)", 1 },
		{ "absent-discriminating.kb", "5: 'absent' evidence cannot be "
		    "discriminating (use supporting)", 1 },
		{ "absent-with-repeat.kb", "6: 'absent' cannot go with "
		    "'required' or 'repeat'", 1 },
		{ "modifier-on-match.kb", "2: 'absent', 'required', 'repeat' "
		    "and 'guessed' belong on an article's evidence line, not on "
		    "a match", 1 },
		{ "repeat-count.kb", "5: 'repeat' needs a count 2..1000", 1 },
		{ "orphan-continuation.kb", "1: continuation line with nothing "
		    "to continue (keywords start in column 1)", 1 },
		{ "outside-block.kb", "1: 'title' outside a block (start one "
		    "with article, symptom or status)", 1 },
		{ "match-in-article.kb", "5: 'match' is not allowed in an "
		    "article block", 1 },
		{ "duplicate-keyword.kb", "3: duplicate 'title'", 1 },
		{ "second-article.kb", "8: second article in one file (one "
		    "file per article)", 1 },
		{ "same-evidence.kb", "6: same evidence as line 5 of this "
		    "article", 1 },
		{ "control-char.kb", "2: control character 0x01 in line", 2 },
		{ "extra-value.kb", "3: unexpected 'minor' after the severity "
		    "value", 1 },
		{ "no-value.kb", "3: 'severity' needs a value", 1 },
		{ "symptom-bad-name.kb", "8: bad symptom name 'Gear_Slip' "
		    "(want a-z, 0-9 and '-', at most 47 bytes)", 1 },
		{ "symptom-incomplete.kb", "8: symptom empty has no 'implies'",
		    2 },
		{ "symptom-duplicate.kb", "11: duplicate symptom twice (first "
		    "at tests/kb/lint/symptom-duplicate.kb:8)", 1 },
		{ "symptom-same-match.kb", "13: same match as an earlier one "
		    "of symptom one", 1 },
		{ "status-bad.kb", "8: unknown status 'sleeping' (running, "
		    "stopped, start-failed, degraded)", 1 },
		{ "status-unknown.kb", "8: unknown status 'unknown' (running, "
		    "stopped, start-failed, degraded)", 1 },
		{ "status-no-match.kb", "8: status running has no 'match'", 1 },
		{ "status-title.kb", "9: 'title' is not allowed in a status "
		    "block", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		lint_case(cases[i].file, cases[i].msg, cases[i].total);
}

TEST(kb_missing_fields_all)
{
	struct kb_errors e;

	CHECK(load_one("tests/kb/lint/missing-fields.kb", &e) == NULL);
	CHECK_INT(e.n, 3);
	CHECK_STR(e.err[1].msg, "tests/kb/lint/missing-fields.kb:1: article "
	    "Q1 has no 'implies'");
	CHECK_STR(e.err[2].msg, "tests/kb/lint/missing-fields.kb:1: article "
	    "Q1 has no 'evidence'");
}

/* Every lint fixture must fail; a new one without a case is caught. */
TEST(kb_lint_fixtures_all_fail)
{
	struct dirent *de;
	char path[512];
	DIR *dp;
	int n = 0;

	CHECK((dp = opendir("tests/kb/lint")) != NULL);
	while (dp != NULL && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "tests/kb/lint/%s", de->d_name);
		if (load_one(path, NULL) != NULL) {
			fprintf(stderr, "  %s loaded\n", path);
			test_fails++;
		}
		n++;
	}
	if (dp != NULL)
		closedir(dp);
	CHECK(n >= 50);
}

TEST(kb_all_or_nothing)
{
	struct kb_errors e;

	errno = 0;
	CHECK(kb_load("tests/kb/mixed", &e) == NULL);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(e.total, 1);
	CHECK_STR(e.err[0].msg, "tests/kb/mixed/b.kb:5: unknown match keyword "
	    "'colour' (source, id, type, log, text; text fragments are "
	    "quoted)");
	CHECK(kb_load("tests/kb/mixed/", &e) == NULL);
	CHECK_STR(e.err[0].msg, "tests/kb/mixed/b.kb:5: unknown match keyword "
	    "'colour' (source, id, type, log, text; text fragments are "
	    "quoted)");
}

TEST(kb_duplicate_article)
{
	struct kb_errors e;

	CHECK(kb_load("tests/kb/dup", &e) == NULL);
	CHECK_INT(e.total, 1);
	CHECK_STR(e.err[0].msg, "tests/kb/dup/b.kb:1: duplicate article Q1 "
	    "(first at tests/kb/dup/a.kb:1)");
}

TEST(kb_no_files)
{
	struct kb_errors e;
	char dir[256], want[300];

	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, "README", "not a kb file\n", 14);
	tmp_write(dir, ".hidden.kb", "bogus\n", 6);
	CHECK(kb_load(dir, &e) == NULL);
	snprintf(want, sizeof(want), "%s: no .kb files", dir);
	CHECK_INT(e.total, 1);
	CHECK_STR(e.err[0].msg, want);
	tmp_rm(dir);
	CHECK(kb_load("tests/kb/no-such-dir", &e) == NULL);
	CHECK_STR(e.err[0].msg, "tests/kb/no-such-dir: cannot open directory: "
	    "No such file or directory");
	CHECK(kb_load_files(NULL, 0, &e) == NULL);
	CHECK_INT(e.total, 1);
	CHECK(load_one("tests/kb/no-such.kb", &e) == NULL);
	CHECK_STR(e.err[0].msg, "tests/kb/no-such.kb: cannot open: No such "
	    "file or directory");
}

TEST(kb_names)
{
	CHECK_STR(kb_role_name(KB_ROLE_DISCRIMINATING), "discriminating");
	CHECK_STR(kb_role_name(KB_ROLE_SYMPTOM), "symptom");
	CHECK_STR(kb_role_name(KB_ROLE__MAX), "unknown");
	CHECK_STR(kb_severity_name(KB_SEV_WARNING), "warning");
	CHECK_STR(kb_severity_name((enum kb_severity)-1), "unknown");
	CHECK_STR(ims_status_name(IMS_STATUS_UNKNOWN), "unknown");
	CHECK_STR(ims_status_name(IMS_STATUS_RUNNING), "running");
	CHECK_STR(ims_status_name(IMS_STATUS_STOPPED), "stopped");
	CHECK_STR(ims_status_name(IMS_STATUS_START_FAILED), "start-failed");
	CHECK_STR(ims_status_name(IMS_STATUS_DEGRADED), "degraded");
	CHECK_STR(ims_status_name(IMS_STATUS__MAX), "unknown");
}

/* Bounds: one hostile case each. */

TEST(kb_too_many_ids)
{
	lint_case("too-many-ids.kb", "5: too many event IDs (max 8)", 1);
}

TEST(kb_id_out_of_range)
{
	lint_case("id-out-of-range.kb", "5: event ID 70000 out of range "
	    "0..65535", 1);
}

TEST(kb_too_many_groups)
{
	lint_case("too-many-groups.kb", "5: too many text groups (max 4)", 1);
}

TEST(kb_too_many_alts)
{
	lint_case("too-many-alts.kb", "5: too many alternatives in one text "
	    "group (max 4)", 1);
}

TEST(kb_frag_too_long)
{
	lint_case("frag-too-long.kb", "5: text fragment too long (max 95 "
	    "bytes)", 1);
}

TEST(kb_title_too_long)
{
	lint_case("title-too-long.kb", "2: title too long (max 159 bytes)",
	    1);
}

TEST(kb_cause_too_long)
{
	lint_case("cause-too-long.kb", "6: cause too long (max 1023 bytes)",
	    1);
}

TEST(kb_source_too_long)
{
	lint_case("source-too-long.kb", "5: source too long (max 63 bytes)",
	    1);
}

TEST(kb_too_many_see_also)
{
	lint_case("too-many-see-also.kb", "8: too many see-also IDs (max 8)",
	    1);
}

TEST(kb_unterminated_quote)
{
	lint_case("unterminated-quote.kb", "5: unterminated quoted string", 1);
}

TEST(kb_versions_too_long)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%sversions 4.0 5.0 5.5 6.0 6.5 7.0 7.5 "
	    "8.0 8.5\n", base_article);
	lint_tmp(buf, "8: versions too long (max 31 bytes)", 1, "x.kb");
}

TEST(kb_symptom_name_too_long)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "symptom %048d\nimplies degraded\n"
	    "match id 1\n", 0);
	buf[8] = 'a';
	lint_tmp(buf, "1: bad symptom name 'a0000000000000000000000000000000' "
	    "(want a-z, 0-9 and '-', at most 47 bytes)", 1, "x.kb");
	snprintf(buf, sizeof(buf), "symptom a%046d\nimplies degraded\n"
	    "match id 1\n", 0);
	lint_tmp(buf, "", 0, "x.kb");
}

TEST(kb_word_too_long)
{
	char buf[1024], frag[300];

	memset(frag, 'w', sizeof(frag) - 1);
	frag[sizeof(frag) - 1] = '\0';
	snprintf(buf, sizeof(buf), "symptom s\nimplies degraded\n"
	    "match id 1 text \"%s\"\n", frag);
	lint_tmp(buf, "3: quoted string too long (max 255 bytes)", 1, "x.kb");
	snprintf(buf, sizeof(buf), "symptom s\nimplies degraded\n"
	    "match id 1 source %s\n", frag);
	lint_tmp(buf, "3: word too long (max 255 bytes)", 1, "x.kb");
}

TEST(kb_line_too_long)
{
	char *buf;
	size_t n;

	/* A comment of exactly KB_LINE_MAX bytes is fine... */
	n = strlen(base_article);
	buf = malloc(n + KB_LINE_MAX + 2);
	memcpy(buf, base_article, n);
	buf[n] = '#';
	memset(buf + n + 1, 'x', KB_LINE_MAX - 1);
	memcpy(buf + n + KB_LINE_MAX, "\n", 2);
	lint_tmp(buf, "", 0, "x.kb");
	/* ... one more byte is not. */
	buf[n + KB_LINE_MAX] = 'x';
	lint_tmp(buf, "8: line too long (max 4096 bytes)", 1, "x.kb");
	free(buf);
}

TEST(kb_logical_too_long)
{
	char *buf;
	size_t n, i;

	/* 40 continuations of 250 bytes: under the line count, over 8191. */
	buf = malloc(16384);
	n = (size_t)snprintf(buf, 16384, "%scause C", base_article);
	for (i = 0; i < 40; i++) {
		buf[n++] = '\n';
		buf[n++] = '\t';
		memset(buf + n, 'c', 250);
		n += 250;
	}
	memcpy(buf + n, "\n", 2);
	lint_tmp(buf, "41: line too long with its continuations (max 8191 "
	    "bytes)", 1, "x.kb");
	free(buf);
}

TEST(kb_too_many_continuations)
{
	char buf[4096];
	size_t n, i;

	n = (size_t)snprintf(buf, sizeof(buf), "article Q1\ntitle T\n"
	    "severity major\nimplies degraded\nevidence discriminating "
	    "source S id 1\nresolution R\ncause C");
	for (i = 0; i < 64; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\n c");
	snprintf(buf + n, sizeof(buf) - n, "\n");
	lint_tmp(buf, "71: too many continuation lines (max 63)", 2, "x.kb");
}

TEST(kb_nul_byte)
{
	static const char data[] = "# a comment\0with a NUL\narticle Q1\n";
	struct kb_errors e;
	char dir[256], want[300];

	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, "x.kb", data, sizeof(data) - 1);
	CHECK(kb_load(dir, &e) == NULL);
	snprintf(want, sizeof(want), "%s/x.kb:1: NUL byte in line", dir);
	CHECK(e.n > 0);
	CHECK_STR(e.err[0].msg, want);
	tmp_rm(dir);
}

TEST(kb_file_too_large)
{
	struct kb_errors e;
	char dir[256], want[300];
	struct kb *kb;
	size_t n = strlen(base_article);
	char *buf;

	/* Exactly KB_FILE_MAX bytes: the article, then comment lines. */
	buf = malloc(KB_FILE_MAX + 1);
	memcpy(buf, base_article, n);
	memset(buf + n, '#', KB_FILE_MAX + 1 - n);
	for (; n + 100 < KB_FILE_MAX; n += 100)
		buf[n + 99] = '\n';
	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, "x.kb", buf, KB_FILE_MAX);
	kb = kb_load(dir, &e);
	CHECK(kb != NULL);
	kb_free(kb);
	tmp_write(dir, "x.kb", buf, KB_FILE_MAX + 1);
	CHECK(kb_load(dir, &e) == NULL);
	snprintf(want, sizeof(want), "%s/x.kb: file too large (max 1048576 "
	    "bytes)", dir);
	CHECK_INT(e.total, 1);
	CHECK_STR(e.err[0].msg, want);
	free(buf);
	tmp_rm(dir);
}

TEST(kb_not_regular)
{
	struct kb_errors e;
	char dir[256], path[300], want[300];

	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, "a.kb", base_article, strlen(base_article));
	snprintf(path, sizeof(path), "%s/b.kb", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/c.kb", dir);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK(kb_load(dir, &e) == NULL);
	CHECK_INT(e.total, 2);
	snprintf(want, sizeof(want), "%s/b.kb: not a regular file", dir);
	CHECK_STR(e.err[0].msg, want);
	snprintf(want, sizeof(want), "%s/c.kb: not a regular file", dir);
	CHECK_STR(e.err[1].msg, want);
	tmp_rm(dir);
}

TEST(kb_errors_capped)
{
	char *buf;
	size_t n, i;
	struct kb_errors e;
	char dir[256];

	buf = malloc(4096);
	n = (size_t)snprintf(buf, 4096, "%s", base_article);
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(buf + n, 4096 - n, "bogus%zu\n", i);
	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, "x.kb", buf, n);
	CHECK(kb_load(dir, &e) == NULL);
	CHECK_INT(e.n, KB_ERR_MAX);
	CHECK_INT(e.total, 100);
	CHECK(strstr(e.err[KB_ERR_MAX - 1].msg, ":71: unknown keyword "
	    "'bogus63'") != NULL);
	free(buf);
	tmp_rm(dir);
}

TEST(kb_too_many_files)
{
	struct kb_errors e;
	char dir[256], name[300], want[300];
	int i;

	/* Symbolic links to one file: cheaper to make than 4097 files. */
	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, "f00000.kb", "# empty\n", 8);
	for (i = 1; i <= KB_FILES_MAX; i++) {
		snprintf(name, sizeof(name), "%s/f%05d.kb", dir, i);
		CHECK(symlink("f00000.kb", name) == 0);
	}
	CHECK(kb_load(dir, &e) == NULL);
	snprintf(want, sizeof(want), "%s: more than 4096 .kb files", dir);
	CHECK_INT(e.total, 1);
	CHECK_STR(e.err[0].msg, want);
	tmp_rm(dir);
}

/* One event matching more items than a struct kb_hits holds. */
TEST(kb_hits_capped)
{
	char dir[256], name[32], buf[512], text[512];
	struct kb_hits h;
	struct evt ev;
	struct kb *kb;
	size_t n = 0;
	int i;

	tmp_dir(dir, sizeof(dir));
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "Q%d.kb", i + 1);
		snprintf(buf, sizeof(buf), "article Q%d\ntitle T\nseverity "
		    "minor\nimplies degraded\nevidence discriminating source "
		    "S id 1 text \"<t%d>\"\ncause C\nresolution R\n", i + 1, i);
		tmp_write(dir, name, buf, strlen(buf));
		n += (size_t)snprintf(text + n, sizeof(text) - n, "<t%d>", i);
	}
	kb = kb_load(dir, NULL);
	CHECK(kb != NULL);
	ev_make(&ev, "S", 1, EVT_TYPE_ERROR, "Application", text);
	CHECK_INT(kb_match(kb, &ev, &h, buf, sizeof(buf)), KB_HITS_MAX);
	CHECK_INT(h.nitem, KB_HITS_MAX);
	for (i = 1; i < KB_HITS_MAX; i++)
		CHECK(h.item[i - 1]->index < h.item[i]->index);
	kb_free(kb);
	tmp_rm(dir);
}

/*
 * Mutations of a good file: whatever the bytes, a load either succeeds
 * or fails with at least one message; never a crash (run under ASan).
 */
TEST(kb_mutations)
{
	static const char pick[] = "\"\\\t\n #,*Q0\r\001";
	char dir[256], path[300], buf[4096], mut[4096];
	struct kb_errors e;
	struct kb *kb;
	uint32_t r = 12345;
	size_t n, i, k;
	FILE *f;
	int bad = 0;

	CHECK((f = fopen("tests/kb/good/Q100.kb", "rb")) != NULL);
	if (f == NULL)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	tmp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/m.kb", dir);
	for (i = 0; i < 600; i++) {
		memcpy(mut, buf, n);
		for (k = 0; k < 1 + i % 4; k++) {
			r = r * 1103515245u + 12345u;
			mut[(r >> 8) % n] =
			    pick[(r >> 20) % (sizeof(pick) - 1)];
		}
		r = r * 1103515245u + 12345u;
		tmp_write(dir, "m.kb", mut, i % 7 == 0 ? (r >> 8) % n : n);
		kb = load_one(path, &e);
		bad += kb == NULL && e.total == 0;
		kb_free(kb);
	}
	CHECK_INT(bad, 0);
	tmp_rm(dir);
}

/*
 * kb_infer: which declared event an ID-less description is, from a small
 * KB of its own: one answer, or none when the wording is shared by IDs or
 * absent; kb_infer_unworded lists the events without wording.
 */
static void
count_unworded(void *arg, const struct kb_match *m, const char *file,
    int line)
{
	(void)m;
	(void)file;
	*(int *)arg += line;
}

TEST(kb_infer_from_text)
{
	static const char art[] =
	    "article Q1\ntitle T\nseverity major\nimplies start-failed\n"
	    "evidence discriminating source MSExchangeIMC id 4058\n"
	    "\tident \"name resolver\"\n"
	    "evidence discriminating source MSExchangeIMC id 4143\n"
	    "\tident \"ssl support\"\n"
	    "evidence supporting source MSExchangeIMC id 100\n"
	    "cause C\nresolution R\n"
	    "status stopped\nmatch source SCM id 7000,7023 ident \"failed\"\n";
	char dir[256], scratch[512];
	struct kb_inferred ki;
	struct kb *kb;
	struct evt ev;
	int lines = 0;

	tmp_dir(dir, sizeof(dir));
	tmp_write(dir, "Q1.kb", art, sizeof(art) - 1);
	kb = kb_load(dir, NULL);
	CHECK(kb != NULL);
	if (kb == NULL) {
		tmp_rm(dir);
		return;
	}
	ev_make(&ev, "MSExchangeIMC", -1, EVT_TYPE_UNKNOWN, "",
	    "The DNS   Name\r\nResolver did not start");
	CHECK_INT(kb_infer(kb, &ev, scratch, sizeof(scratch), &ki), 1);
	CHECK_INT(ki.id, 4058);
	CHECK_STR(ki.source_name, "MSExchangeIMC");
	/* No source in the record: the KB's. */
	ev_make(&ev, "", -1, EVT_TYPE_UNKNOWN, "", "no SSL support");
	CHECK_INT(kb_infer(kb, &ev, scratch, sizeof(scratch), &ki), 1);
	CHECK_INT(ki.id, 4143);
	/* Another source, the same words: not this event. */
	ev_make(&ev, "W3SVC", -1, EVT_TYPE_UNKNOWN, "", "no SSL support");
	CHECK_INT(kb_infer(kb, &ev, scratch, sizeof(scratch), &ki), 0);
	/* Both wordings: two events, nothing inferred. */
	ev_make(&ev, "MSExchangeIMC", -1, EVT_TYPE_UNKNOWN, "",
	    "name resolver and ssl support");
	CHECK_INT(kb_infer(kb, &ev, scratch, sizeof(scratch), &ki), 0);
	/* One wording for two IDs: the item is known, not the ID. */
	ev_make(&ev, "SCM", -1, EVT_TYPE_UNKNOWN, "", "it failed");
	CHECK_INT(kb_infer(kb, &ev, scratch, sizeof(scratch), &ki), 0);
	/* A record with its ID needs no inference. */
	ev_make(&ev, "MSExchangeIMC", 4058, EVT_TYPE_UNKNOWN, "",
	    "name resolver");
	CHECK_INT(kb_infer(kb, &ev, scratch, sizeof(scratch), &ki), 0);
	/* Event 100 has no wording: listed, where it is declared (line 9). */
	CHECK_INT(kb_infer_unworded(kb, count_unworded, &lines), 1);
	CHECK_INT(lines, 9);
	kb_free(kb);
	tmp_rm(dir);
}

TEST_MAIN(
	T(kb_shipped_loads),
	T(kb_shipped_items),
	T(kb_seeds),
	T(kb_seed_parse_forms),
	T(kb_match_4143), T(kb_match_ident_without_id), T(kb_infer_from_text),
	T(kb_match_1023),
	T(kb_match_scm_2140),
	T(kb_match_noise),
	T(kb_match_status),
	T(kb_match_alternatives_once),
	T(kb_match_one_normed),
	T(kb_match_format_cut),
	T(kb_scratch_small),
	T(kb_good_fixture),
	T(kb_good_fixture_match),
	T(kb_crlf_and_no_errs),
	T(kb_lint_messages),
	T(kb_missing_fields_all),
	T(kb_lint_fixtures_all_fail),
	T(kb_all_or_nothing),
	T(kb_duplicate_article),
	T(kb_no_files),
	T(kb_names),
	T(kb_too_many_ids),
	T(kb_id_out_of_range),
	T(kb_too_many_groups),
	T(kb_too_many_alts),
	T(kb_frag_too_long),
	T(kb_title_too_long),
	T(kb_cause_too_long),
	T(kb_source_too_long),
	T(kb_too_many_see_also),
	T(kb_unterminated_quote),
	T(kb_versions_too_long),
	T(kb_symptom_name_too_long),
	T(kb_word_too_long),
	T(kb_line_too_long),
	T(kb_logical_too_long),
	T(kb_too_many_continuations),
	T(kb_nul_byte),
	T(kb_file_too_large),
	T(kb_not_regular),
	T(kb_errors_capped),
	T(kb_too_many_files),
	T(kb_hits_capped),
	T(kb_mutations)
)
