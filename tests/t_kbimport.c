/* Long by design: one case per article form and hostile input, each whole. */
/*
 * t_kbimport: drafting KB entries from article files.  Our own articles
 * under tests/import/ (both forms), hostile input built in memory, and,
 * when ../shared is present, every article of the seeds and the archive:
 * each draft must load beside kb/_symptoms.kb, the two forms of an
 * article must give the same draft, and the curated titles must be the
 * articles' own.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include "kb/kb.h"
#include "kbimport.h"
#include "test.h"

#define IMPORT	"tests/import"
#define SEEDS	"../shared/seeds"
#define ARCHIVE	"../shared/kb-archive"
#define SYMPTOMS "kb/_symptoms.kb"

static char	*draft_text(const char *, int *, char *, size_t);
static char	*draft_buf(const char *, int *);
static void	 tmp_dir(char *, size_t);
static void	 put_file(const char *, const char *, const char *, size_t);
static void	 rm_dir(const char *);
static struct kb *load_draft(const char *, const char *);
static const struct kbimport_ev *ev_find(const struct kbimport_article *,
		    const char *, unsigned);
static const struct kbimport_ev *ev_use(const struct kbimport_article *,
		    const char *);
static int	 parse_str(const char *, struct kbimport_article *, char *,
		    size_t);
static int	 parse_md(const char *, const char *const *,
		    struct kbimport_article *);
static void	 no_prose(const char *, const char *);
static int	 archive_pair(const char *, int *, int *);

/* The draft kbimport_file writes for path, as a string (caller frees). */
static char *
draft_text(const char *path, int *rc, char *err, size_t errsz)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	*rc = KBIMPORT_ERR;
	err[0] = '\0';
	if ((f = open_memstream(&buf, &len)) == NULL)
		return NULL;
	*rc = kbimport_file(path, f, err, errsz);
	fclose(f);
	return buf;
}

static char *
draft_buf(const char *path, int *rc)
{
	char err[512];

	return draft_text(path, rc, err, sizeof(err));
}

static void
tmp_dir(char *buf, size_t sz)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, sz, "%s/t_kbimport.XXXXXX", t ? t : "/tmp");
	if (mkdtemp(buf) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
}

static void
put_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	if (len > 0 && fwrite(data, 1, len, f) != len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

static void
rm_dir(const char *dir)
{
	char path[1024];
	struct dirent *de;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(dir);
}

/*
 * Load one draft as the daemon would: a directory holding it and the
 * shared symptoms.  Errors are printed; NULL if the load failed.
 */
static struct kb *
load_draft(const char *draft, const char *name)
{
	static struct kb_errors e;
	char dir[512], file[64], *sym = NULL;
	size_t len = 0, i;
	struct kb *kb;
	FILE *f;

	tmp_dir(dir, sizeof(dir));
	if ((f = fopen(SYMPTOMS, "rb")) != NULL) {
		char chunk[4096];
		size_t n;
		FILE *m = open_memstream(&sym, &len);

		while (m != NULL && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, m);
		if (m != NULL)
			fclose(m);
		fclose(f);
	}
	put_file(dir, "_symptoms.kb", sym ? sym : "", sym ? len : 0);
	free(sym);
	snprintf(file, sizeof(file), "%s.kb", name);
	put_file(dir, file, draft, strlen(draft));
	kb = kb_load(dir, &e);
	if (kb == NULL) {
		fprintf(stderr, "  draft %s does not load:\n", name);
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "    %s\n", e.err[i].msg);
	}
	rm_dir(dir);
	return kb;
}

static const struct kbimport_ev *
ev_find(const struct kbimport_article *a, const char *source, unsigned id)
{
	size_t k;

	for (k = 0; k < a->nev; k++)
		if (a->ev[k].use[0] == '\0' && a->ev[k].nids == 1 &&
		    a->ev[k].ids[0] == id && strcmp(a->ev[k].source, source) == 0)
			return &a->ev[k];
	return NULL;
}

static const struct kbimport_ev *
ev_use(const struct kbimport_article *a, const char *use)
{
	size_t k;

	for (k = 0; k < a->nev; k++)
		if (strcmp(a->ev[k].use, use) == 0)
			return &a->ev[k];
	return NULL;
}

static int
parse_str(const char *s, struct kbimport_article *a, char *err, size_t errsz)
{
	return kbimport_parse((const uint8_t *)s, strlen(s), a, err, errsz);
}

/*
 * The importer never copies the article's prose: cause and resolution
 * are TODO, and every quoted pattern is a few words at most.
 */
static void
no_prose(const char *draft, const char *name)
{
	const char *p = draft, *q;
	size_t n, words;

	CHECK(strstr(draft, "\ncause TODO\n") != NULL);
	CHECK(strstr(draft, "\nresolution TODO\n") != NULL);
	while ((p = strchr(p, '"')) != NULL) {
		for (q = p + 1; *q != '\0' && *q != '"'; q++)
			if (*q == '\\' && q[1] != '\0')
				q++;
		n = (size_t)(q - p - 1);
		for (words = 1; p < q; p++)
			if (*p == ' ')
				words++;
		if (n > 48 || words > 6) {
			fprintf(stderr, "  %s: long pattern in draft\n", name);
			test_fails++;
		}
		if (*q == '\0')
			break;
		p = q + 1;
	}
}

/* Our own articles. */

TEST(import_md_fields)
{
	struct kbimport_article a;
	const struct kbimport_ev *e;
	char err[256];

	CHECK_INT(kbimport_read(IMPORT "/Q900001.md", &a, err, sizeof(err)),
	    KBIMPORT_OK);
	CHECK_INT(a.form, KBIMPORT_FORM_MARKDOWN);
	CHECK_STR(a.id, "Q900001");
	CHECK_STR(a.title, "XFOR: Widget \"Relay\" Won't Start & Logs Event 4990");
	CHECK_STR(a.versions, "5.0 5.5");
	CHECK_INT(a.implies, IMS_STATUS_START_FAILED);
	CHECK_INT(a.severity, KB_SEV_CRITICAL);
	CHECK((e = ev_find(&a, "MSExchangeIMC", 4990)) != NULL);
	if (e != NULL) {
		CHECK_INT(e->role, KB_ROLE_DISCRIMINATING);
		CHECK_INT(e->sect, KBIMPORT_SECT_SYMPTOMS);
		CHECK_STR(e->type, "error");
		CHECK_STR(e->log, "application");
		CHECK_STR(e->category, "Initialization/Termination");
		CHECK_INT(e->ngroups, 0);
		CHECK_STR(e->ident, "relay table could not be");
	}
	/* Another service's event naming the IMS: narrowed by its name. */
	CHECK((e = ev_find(&a, "MSExchangeIS Private", 1023)) != NULL);
	if (e != NULL) {
		CHECK_INT(e->role, KB_ROLE_DISCRIMINATING);
		CHECK_STR(e->type, "audit-failure");
		CHECK_INT(e->ngroups, 1);
		CHECK_STR(e->text[0][0], "cn=internet mail connector");
		CHECK_STR(e->text[0][1], "cn=internet mail service");
	}
	/* Named in passing; the article names another source: any source. */
	CHECK((e = ev_find(&a, "", 4991)) != NULL);
	if (e != NULL) {
		CHECK_INT(e->role, KB_ROLE_SUPPORTING);
		CHECK(e->mentioned);
	}
	CHECK((e = ev_find(&a, "", 1200)) != NULL);
	if (e != NULL)
		CHECK_INT(e->sect, KBIMPORT_SECT_CAUSE);
	CHECK((e = ev_use(&a, "ims-start-2140")) != NULL);
	if (e != NULL)
		CHECK_INT(e->role, KB_ROLE_SYMPTOM);
	CHECK_INT(a.nev, 5);
	/* RESOLUTION and the cross-reference line give no evidence. */
	CHECK(ev_find(&a, "", 4997) == NULL);
	CHECK(ev_find(&a, "", 4998) == NULL);
	CHECK_INT(a.nmentions, 1);
	CHECK_STR(a.mentions[0], "Q900099");
}

TEST(import_txt_same_as_md)
{
	char *md, *txt;
	int rc1 = -2, rc2 = -2;

	md = draft_buf(IMPORT "/Q900001.md", &rc1);
	txt = draft_buf(IMPORT "/Q900001.txt", &rc2);
	CHECK_INT(rc1, KBIMPORT_OK);
	CHECK_INT(rc2, KBIMPORT_OK);
	CHECK(md != NULL && txt != NULL);
	if (md != NULL && txt != NULL)
		CHECK_STR(md, txt);
	free(md);
	free(txt);
}

TEST(import_draft_loads)
{
	const struct kb_article *art;
	struct kb *kb;
	char *d;
	int rc = -2;

	d = draft_buf(IMPORT "/Q900001.md", &rc);
	CHECK_INT(rc, KBIMPORT_OK);
	if (d == NULL)
		return;
	CHECK(strstr(d, "\norigin generated\n") != NULL);
	no_prose(d, "Q900001");
	CHECK((kb = load_draft(d, "Q900001")) != NULL);
	if (kb != NULL && (art = kb_find(kb, "Q900001")) != NULL) {
		CHECK_INT(art->origin, KB_ORIGIN_GENERATED);
		CHECK_STR(art->cause, "not yet reviewed: see KB article "
		    "Q900001");
		CHECK_STR(art->resolution, "not yet reviewed: see KB article "
		    "Q900001");
		CHECK_STR(art->versions, "5.0,5.5");
		CHECK_INT(art->nitems, 7);	/* 4 + the symptom's 3 matches */
	} else {
		CHECK(0);
	}
	kb_free(kb);
	free(d);
}

TEST(import_event_shapes)
{
	struct kbimport_article a;
	const struct kbimport_ev *e;
	char err[256];

	CHECK_INT(kbimport_read(IMPORT "/Q900002.txt", &a, err, sizeof(err)),
	    KBIMPORT_OK);
	CHECK_INT(a.form, KBIMPORT_FORM_TEXT);
	CHECK_STR(a.versions, "4.0 5.5");
	/* Two columns: "Date: ... Event ID: N", "Time: ... Source: S". */
	CHECK((e = ev_find(&a, "MSExchangeIMC", 4980)) != NULL);
	if (e != NULL) {
		CHECK_STR(e->type, "error");
		CHECK_STR(e->category, "Internal Processing");
		CHECK_INT(e->ngroups, 1);
		CHECK_STR(e->text[0][0], "0x8004dead");
		CHECK(!e->source_assumed);
	}
	/* "Event ID - N", the source alone below; the address is no code. */
	CHECK((e = ev_find(&a, "MSExchangeIMC", 4981)) != NULL);
	if (e != NULL) {
		CHECK(!e->source_assumed);
		CHECK_INT(e->ngroups, 1);
		CHECK_STR(e->text[0][0], "0xc0000005");
	}
	/* "Source: S: EventId: N": another service, supporting. */
	CHECK((e = ev_find(&a, "MSExchangeMTA", 2999)) != NULL);
	if (e != NULL)
		CHECK_INT(e->role, KB_ROLE_SUPPORTING);
	/* "N: SOURCE", a bare code ending the description. */
	CHECK((e = ev_find(&a, "MSExchangeIMC", 4982)) != NULL);
	if (e != NULL) {
		CHECK_INT(e->ngroups, 1);
		CHECK_STR(e->text[0][0], "10077");
	}
	/* "Event: N"; Dr. Watson naming the IMS's program. */
	CHECK((e = ev_find(&a, "DrWatson", 4983)) != NULL);
	if (e != NULL) {
		CHECK_INT(e->role, KB_ROLE_DISCRIMINATING);
		CHECK_STR(e->text[0][0], "msexcimc");
	}
	/* SCM: the IMS's timeout is a shared symptom; 7001 names another
	 * service and is dropped; the message box's 1067 is a symptom. */
	CHECK(ev_use(&a, "ims-start-timeout") != NULL);
	CHECK(ev_use(&a, "ims-start-1067") != NULL);
	CHECK(ev_find(&a, "Service Control Manager", 7001) == NULL);
	CHECK(ev_find(&a, "Service Control Manager", 7000) == NULL);
	CHECK_INT(a.nev, 7);
}

TEST(import_no_evidence)
{
	char err[512], *d;
	int rc = -2;

	d = draft_text(IMPORT "/Q900003.txt", &rc, err, sizeof(err));
	CHECK_INT(rc, KBIMPORT_NOEVIDENCE);
	CHECK(strstr(err, "Q900003") != NULL);
	CHECK(strstr(err, "no usable evidence") != NULL);
	CHECK(d == NULL || d[0] == '\0');	/* nothing written */
	free(d);
}

TEST(import_other_services_only)
{
	struct kbimport_article a;
	char err[512];

	CHECK_INT(kbimport_read(IMPORT "/Q900004.md", &a, err, sizeof(err)),
	    KBIMPORT_NOEVIDENCE);
	CHECK(strstr(err, "other services") != NULL);
	CHECK_STR(a.id, "Q900004");
	CHECK_STR(a.versions, "4.0 5.0");	/* not "2000" */
}

TEST(import_more_information_fallback)
{
	struct kbimport_article a;
	const struct kbimport_ev *e;
	char err[256];
	unsigned id;

	CHECK_INT(kbimport_read(IMPORT "/Q900005.txt", &a, err, sizeof(err)),
	    KBIMPORT_OK);
	CHECK_INT(a.nev, 4);
	for (id = 4970; id <= 4973; id++) {
		CHECK((e = ev_find(&a, "MSExchangeIMC", id)) != NULL);
		if (e == NULL)
			continue;
		CHECK_INT(e->sect, KBIMPORT_SECT_MORE);
		CHECK(e->source_assumed);
		CHECK_INT(e->role, id == 4970 ? KB_ROLE_DISCRIMINATING :
		    KB_ROLE_SUPPORTING);
	}
	CHECK_INT(a.implies, IMS_STATUS_DEGRADED);
	CHECK_INT(a.severity, KB_SEV_MAJOR);
}

/* A markdown article of our own: title, then SYMPTOMS lines. */
static int
parse_md(const char *title, const char *const *sym, struct kbimport_article *a)
{
	char buf[4096], err[256];
	size_t n;

	n = (size_t)snprintf(buf, sizeof(buf), "---\ntitle: \"Q900100: %s\"\n"
	    "---\n\n\tArticle: Q900100\n\tVersion(s): 5.5\n\t\n"
	    "\tSYMPTOMS\n\t========\n\t\n", title);
	for (; *sym != NULL && n < sizeof(buf); sym++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\t%s\n",
		    *sym);
	if (n >= sizeof(buf))
		return -1;
	return kbimport_parse((const uint8_t *)buf, n, a, err, sizeof(err));
}

/*
 * Relevance: wording that says the IMS fails without the usual "does not
 * start" or "stops".  Mail in general not flowing is a failure, one
 * message not delivered is not; another service's events count when the
 * text says the IMS itself fails with it.
 */
TEST(import_relevance_wording)
{
	static const char *const plural[] = {
		"Now and then, outbound messages may not be delivered at all",
		"and the application log shows:", "",
		"  Event ID: 4991", "  Source: MSExchangeIMC",
		"  Description: Something went wrong with a queue.", "", NULL,
	};
	static const char *const single[] = {
		"When a sender uses an odd address, the message is not",
		"delivered and the application log shows:", "",
		"  Event ID: 4991", "  Source: MSExchangeIMC",
		"  Description: Something went wrong with a queue.", "", NULL,
	};
	static const char *const queue[] = {
		"Internet mail is sitting in the MTA queue instead of leaving",
		"through the Internet Mail Service. The log shows:", "",
		"  Event ID: 9990", "  Source: MSExchangeMTA",
		"  Description: A logon was refused.", "", NULL,
	};
	static const char *const hang[] = {
		"The log shows:", "",
		"  Event ID: 1990", "  Source: MSExchangeIS", "  Type: Error",
		"  Description: Writing the log file failed.", "", NULL,
	};
	static const char *const dial[] = {
		"On a small server that dials out, the log shows:", "",
		"  Event ID: 4992", "  Source: MSExchangeIMC",
		"  Description: The dial-up link <name> could not be made.",
		"  The error reported was: [31] Device not ready.", "", NULL,
	};
	struct kbimport_article a;
	const struct kbimport_ev *e;

	CHECK_INT(parse_md("XFOR: Event 4991 from the IMS", plural, &a),
	    KBIMPORT_OK);
	CHECK_INT(a.reference, 0);
	CHECK_INT(parse_md("XFOR: Event 4991 from the IMS", single, &a),
	    KBIMPORT_OK);
	CHECK_INT(a.reference, 1);
	CHECK(strstr(a.reference_why, "no IMS failure") != NULL);
	CHECK_INT(parse_md("XFOR: Mail Waits in a Queue", queue, &a),
	    KBIMPORT_OK);
	CHECK_INT(a.reference, 0);
	CHECK_INT(parse_md("XADM: Store and Internet Mail Service Hang",
	    hang, &a), KBIMPORT_OK);
	CHECK_INT(a.reference, 0);
	CHECK_INT(a.implies, IMS_STATUS_STOPPED);
	/* The same events under a title that names only the store. */
	CHECK_INT(parse_md("XADM: Store Hangs", hang, &a), KBIMPORT_OK);
	CHECK_INT(a.reference, 1);
	CHECK_INT(parse_md("SBS IMC 4992 Event", dial, &a), KBIMPORT_OK);
	CHECK_INT(a.reference, 0);
	/* The system error number in brackets identifies the event. */
	CHECK((e = ev_find(&a, "MSExchangeIMC", 4992)) != NULL);
	if (e != NULL) {
		CHECK_INT(e->ngroups, 1);
		CHECK_STR(e->text[0][0], "[31]");
	}
}

/* Source names normalised against the ones a knowledge base uses. */
TEST(import_known_sources)
{
	static const char *const names[] = {
		"MSExchangeIMC", "MSExchangeMTA", "MSExchangeIS",
		"MSExchangeIS Private", "Service Control Manager", "DrWatson",
		"msexchange imc", "Abcdefghx", "Abcdefghy",
	};
	static const char *const sym[] = {
		"The Internet Mail Service does not start, and the log shows:",
		"",
		"  Event ID: 9991", "  Source: MSExchnageMTA",
		"  Description: The link could not be opened.", "",
		"  Event ID: 4993", "  Source: IMC",
		"  Description: The service could not open its queue.", "",
		"  Event ID: 4994", "  Source: MSExchangeIMS",
		"  Description: The service could not read its settings.", "",
		NULL,
	};
	struct kbimport_known *k;
	struct kbimport_article a;
	const struct kbimport_ev *e;
	char buf[2048], err[256];
	size_t i, n;

	if ((k = calloc(1, sizeof(*k))) == NULL) {
		CHECK(0);
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		kbimport_known_add(k, names[i]);
	CHECK_INT(k->n, 8);	/* "msexchange imc" is MSExchangeIMC */
	CHECK(kbimport_known_match(NULL, "MSExchangeIMC") == NULL);
	CHECK_STR(kbimport_known_match(k, "msexchange_IMC"), "MSExchangeIMC");
	CHECK_STR(kbimport_known_match(k, "MSExchnageIMC"), "MSExchangeIMC");
	CHECK_STR(kbimport_known_match(k, "MSExchangIMC"), "MSExchangeIMC");
	CHECK_STR(kbimport_known_match(k, "MSExchangeIMMC"), "MSExchangeIMC");
	CHECK_STR(kbimport_known_match(k, "MSExchangeMAT"), "MSExchangeMTA");
	CHECK_STR(kbimport_known_match(k, "MTA"), "MSExchangeMTA");
	CHECK_STR(kbimport_known_match(k, "IS"), "MSExchangeIS");
	CHECK_STR(kbimport_known_match(k, "Service_Control_Manager"),
	    "Service Control Manager");
	CHECK_STR(kbimport_known_match(k, "MSExchangeIS_Private"),
	    "MSExchangeIS Private");
	/* A letter replaced is another service, not a typing error. */
	CHECK(kbimport_known_match(k, "MSExchangeDS") == NULL);
	/* Two names one letter away: which one is meant is not known. */
	CHECK(kbimport_known_match(k, "Abcdefgh") == NULL);
	CHECK(kbimport_known_match(k, "") == NULL);
	CHECK(kbimport_known_match(k, "Dr") == NULL);

	/* In an article: written as the KB names it, the spelling kept. */
	n = (size_t)snprintf(buf, sizeof(buf), "---\ntitle: \"Q900101: XFOR: "
	    "IMS Does Not Start\"\n---\n\n\tSYMPTOMS\n\t========\n\t\n");
	for (i = 0; sym[i] != NULL; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\t%s\n",
		    sym[i]);
	CHECK_INT(kbimport_parse_known((const uint8_t *)buf, n, k, &a, err,
	    sizeof(err)), KBIMPORT_OK);
	CHECK((e = ev_find(&a, "MSExchangeMTA", 9991)) != NULL);
	if (e != NULL)
		CHECK_STR(e->source_as, "MSExchnageMTA");
	CHECK((e = ev_find(&a, "MSExchangeIMC", 4993)) != NULL);
	if (e != NULL)
		CHECK_STR(e->source_as, "IMC");
	/* The importer's own spellings first: this is the IMS, though
	 * MSExchangeIS is one letter away. */
	CHECK(ev_find(&a, "MSExchangeIMC", 4994) != NULL);
	CHECK(ev_find(&a, "MSExchangeIS", 4994) == NULL);
	/* Without a KB, only the built-in spellings are mapped. */
	CHECK_INT(kbimport_parse((const uint8_t *)buf, n, &a, err,
	    sizeof(err)), KBIMPORT_OK);
	CHECK(ev_find(&a, "MSExchnageMTA", 9991) != NULL);
	CHECK(ev_find(&a, "MSExchangeIMC", 4993) != NULL);
	/* More names than the table holds are counted, never written. */
	for (i = 0; i < KBIMPORT_KNOWN_MAX + 2; i++) {
		snprintf(buf, sizeof(buf), "Source%zu", i);
		kbimport_known_add(k, buf);
	}
	CHECK_INT(k->n, KBIMPORT_KNOWN_MAX);
	CHECK_INT(k->ndropped, 10);
	free(k);
}

TEST(import_evidence_cap)
{
	struct kbimport_article a;
	struct kb *kb;
	char err[256], *d;
	int rc = -2;

	CHECK_INT(kbimport_read(IMPORT "/Q900006.txt", &a, err, sizeof(err)),
	    KBIMPORT_OK);
	CHECK_INT(a.nev, KBIMPORT_EV_MAX);
	CHECK_INT(a.nev_dropped, 14 - KBIMPORT_EV_MAX);
	d = draft_buf(IMPORT "/Q900006.txt", &rc);
	CHECK(d != NULL && strstr(d, "2 more events not drafted") != NULL);
	if (d != NULL) {
		CHECK((kb = load_draft(d, "Q900006")) != NULL);
		kb_free(kb);
	}
	free(d);
}

/* Hostile and broken input. */

TEST(import_not_an_article)
{
	struct kbimport_article a;
	char err[256];

	errno = 0;
	CHECK_INT(parse_str("hello\nworld\n", &a, err, sizeof(err)),
	    KBIMPORT_ERR);
	CHECK_INT(errno, EINVAL);
	CHECK(strstr(err, "not a KB article") != NULL);
	CHECK_INT(parse_str("", &a, err, sizeof(err)), KBIMPORT_ERR);
	CHECK_INT(kbimport_parse(NULL, 0, &a, NULL, 0), KBIMPORT_ERR);
}

TEST(import_nul_byte)
{
	static const char s[] = "DOCUMENT:Q1  x\nTITLE   :T\0X\n";
	struct kbimport_article a;
	char err[256];

	errno = 0;
	CHECK_INT(kbimport_parse((const uint8_t *)s, sizeof(s) - 1, &a, err,
	    sizeof(err)), KBIMPORT_ERR);
	CHECK_INT(errno, EINVAL);
}

TEST(import_too_big)
{
	struct kbimport_article a;
	uint8_t *buf;
	char err[256];

	if ((buf = malloc(KBIMPORT_FILE_MAX + 1)) == NULL)
		return;
	memset(buf, ' ', KBIMPORT_FILE_MAX + 1);
	errno = 0;
	CHECK_INT(kbimport_parse(buf, KBIMPORT_FILE_MAX + 1, &a, err,
	    sizeof(err)), KBIMPORT_ERR);
	CHECK_INT(errno, EFBIG);
	free(buf);
}

TEST(import_too_many_lines)
{
	struct kbimport_article a;
	char *buf, err[256];
	size_t n = 70000 + 64;
	int k;

	if ((buf = malloc(n)) == NULL)
		return;
	k = snprintf(buf, n, "DOCUMENT:Q1  x\nTITLE   :T\n");
	memset(buf + k, '\n', n - (size_t)k - 1);
	buf[n - 1] = '\0';
	errno = 0;
	CHECK_INT(parse_str(buf, &a, err, sizeof(err)), KBIMPORT_ERR);
	CHECK_INT(errno, EFBIG);
	free(buf);
}

TEST(import_bad_header)
{
	struct kbimport_article a;
	char err[256];

	/* Nine digits is not a KB ID. */
	CHECK_INT(parse_str("DOCUMENT:Q123456789  x\nTITLE   :T\n", &a, err,
	    sizeof(err)), KBIMPORT_ERR);
	CHECK_INT(parse_str("DOCUMENT:QX1  x\nTITLE   :T\n", &a, err,
	    sizeof(err)), KBIMPORT_ERR);
	/* No title. */
	CHECK_INT(parse_str("DOCUMENT:Q1  x\nPROD/VER:5.5\n", &a, err,
	    sizeof(err)), KBIMPORT_ERR);
	/* A control byte in the title. */
	CHECK_INT(parse_str("DOCUMENT:Q1  x\nTITLE   :A\001B\n", &a, err,
	    sizeof(err)), KBIMPORT_ERR);
	/* Front matter whose title has no "Qnnn: ". */
	CHECK_INT(parse_str("---\ntitle: \"No ID here\"\n---\n", &a, err,
	    sizeof(err)), KBIMPORT_ERR);
	CHECK_INT(parse_str("---\ntitle: \"Q12: \"\n---\n", &a, err,
	    sizeof(err)), KBIMPORT_ERR);
}

/* The last line needs no newline; data dumps are not event IDs. */
TEST(import_edges)
{
	static const char s[] =
	    "DOCUMENT:Q42  x\r\nTITLE   :XFOR: Edge\r\n=============\r\n"
	    "SYMPTOMS\r\n========\r\n\r\n"
	    "   Event ID: 4990\r\n   Source: MSExchangeIMC\r\n"
	    "   Data:\r\n   0008: 54 47 34 35\r\n   0010: 00\r\n\r\n"
	    "   Event ID: 100003\r\n\r\n"
	    "   Event ID: 4991\r\n   Source: MSExchange <Protocol> Interface";
	struct kbimport_article a;
	const struct kbimport_ev *e;
	char err[256];

	CHECK_INT(parse_str(s, &a, err, sizeof(err)), KBIMPORT_OK);
	CHECK_STR(a.id, "Q42");
	CHECK(ev_find(&a, "MSExchangeIMC", 4990) != NULL);
	CHECK(ev_find(&a, "MSExchangeIMC", 8) == NULL);
	CHECK(ev_find(&a, "", 8) == NULL);
	/* A placeholder source is no source. */
	CHECK((e = ev_find(&a, "", 4991)) != NULL);
	CHECK_INT(a.nev, 2);
	CHECK_STR(a.versions, "");
}

TEST(import_long_line)
{
	struct kbimport_article a;
	char *buf, err[256];
	size_t n = 20000;
	int k;

	if ((buf = malloc(n)) == NULL)
		return;
	k = snprintf(buf, n, "DOCUMENT:Q7  x\nTITLE   :T\n==========\n"
	    "SYMPTOMS\n========\n\nThe Internet Mail Service ");
	memset(buf + k, 'x', n - (size_t)k - 64);
	snprintf(buf + n - 64, 64, " logs event ID 4990.\n");
	/* The paragraph is cut at its buffer: no evidence, no overflow. */
	CHECK(parse_str(buf, &a, err, sizeof(err)) != KBIMPORT_ERR);
	free(buf);
}

/* A file of exactly the limit is read; one byte more is refused. */
TEST(import_file_size_limit)
{
	static const char head[] = "DOCUMENT:Q5  x\nTITLE   :T\n==========\n"
	    "SYMPTOMS\n========\n\n   Event ID: 4990\n"
	    "   Source: MSExchangeIMC\n\n";
	struct kbimport_article a;
	char dir[512], path[600], err[256], *buf;

	if ((buf = malloc(KBIMPORT_FILE_MAX + 1)) == NULL)
		return;
	memset(buf, ' ', KBIMPORT_FILE_MAX + 1);
	memcpy(buf, head, sizeof(head) - 1);
	tmp_dir(dir, sizeof(dir));
	put_file(dir, "max.txt", buf, KBIMPORT_FILE_MAX);
	put_file(dir, "over.txt", buf, KBIMPORT_FILE_MAX + 1);
	snprintf(path, sizeof(path), "%s/max.txt", dir);
	CHECK_INT(kbimport_read(path, &a, err, sizeof(err)), KBIMPORT_OK);
	CHECK_INT(a.nev, 1);
	snprintf(path, sizeof(path), "%s/over.txt", dir);
	errno = 0;
	CHECK_INT(kbimport_read(path, &a, err, sizeof(err)), KBIMPORT_ERR);
	CHECK_INT(errno, EFBIG);
	rm_dir(dir);
	free(buf);
}

TEST(import_missing_file)
{
	struct kbimport_article a;
	char err[256];

	errno = 0;
	CHECK_INT(kbimport_read(IMPORT "/absent.txt", &a, err, sizeof(err)),
	    KBIMPORT_ERR);
	CHECK_INT(errno, ENOENT);
	CHECK(strstr(err, "absent.txt") != NULL);
}

/* The shared articles, when present. */

/* Draft and load every article of dir; count drafts and no-evidence. */
static int
archive_pair(const char *dir, int *drafts, int *empty)
{
	char path[1024], name[256], err[512], *d;
	struct dirent *de;
	struct kb *kb;
	DIR *dp;
	int rc;

	if ((dp = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		d = draft_text(path, &rc, err, sizeof(err));
		if (rc == KBIMPORT_OK && d != NULL) {
			snprintf(name, sizeof(name), "%.*s",
			    (int)strcspn(de->d_name, "."), de->d_name);
			no_prose(d, path);
			if ((kb = load_draft(d, name)) == NULL) {
				fprintf(stderr, "  %s: draft rejected\n", path);
				test_fails++;
			}
			kb_free(kb);
			(*drafts)++;
		} else if (rc == KBIMPORT_NOEVIDENCE) {
			CHECK(strstr(err, "no usable evidence") != NULL);
			(*empty)++;
		} else {
			fprintf(stderr, "  %s: %s\n", path, err);
			test_fails++;
		}
		free(d);
	}
	closedir(dp);
	return 0;
}

TEST(import_archive_loads)
{
	int drafts = 0, empty = 0;

	if (archive_pair(ARCHIVE "/md", &drafts, &empty) == -1) {
		printf("note: %s absent, archive import skipped\n", ARCHIVE);
		return;
	}
	archive_pair(ARCHIVE "/txt", &drafts, &empty);
	archive_pair(SEEDS, &drafts, &empty);
	/* 73 articles in two forms; a handful have no usable evidence. */
	CHECK(drafts >= 120);
	CHECK(empty <= 20);
}

TEST(import_archive_forms_agree)
{
	char md[1024], txt[1024], *a, *b;
	struct dirent *de;
	DIR *dp;
	int r1, r2, n = 0;

	if ((dp = opendir(ARCHIVE "/md")) == NULL) {
		printf("note: %s absent, form check skipped\n", ARCHIVE);
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		size_t l = strcspn(de->d_name, ".");

		if (de->d_name[0] == '.')
			continue;
		snprintf(md, sizeof(md), ARCHIVE "/md/%s", de->d_name);
		snprintf(txt, sizeof(txt), ARCHIVE "/txt/%.*s.TXT", (int)l,
		    de->d_name);
		a = draft_buf(md, &r1);
		b = draft_buf(txt, &r2);
		if (r1 != r2 || (a != NULL && b != NULL && strcmp(a, b) != 0)) {
			fprintf(stderr, "  %s: the two forms differ\n", md);
			test_fails++;
		}
		free(a);
		free(b);
		n++;
	}
	closedir(dp);
	CHECK(n >= 70);
}

/* The seeds' drafts hold the evidence the curated entries are built on. */
TEST(import_seed_evidence)
{
	static const struct {
		const char	*id;
		const char	*source;
		unsigned	 event;
		int		 with_2140;
	} want[] = {
		{ "Q173496", "MSExchangeIMC", 4143, 1 },
		{ "Q154589", "MSExchangeIMC", 4058, 1 },
		{ "Q183178", "MSExchangeIMC", 4071, 0 },
		{ "Q246115", "MSExchangeIMC", 100, 1 },
		{ "Q306308", "MSExchangeIS Private", 1023, 1 },
	};
	struct kbimport_article a;
	const struct kbimport_ev *e;
	char path[1024], err[256];
	struct dirent *de;
	size_t k;
	DIR *dp;
	int seen = 0;

	if ((dp = opendir(SEEDS)) == NULL) {
		printf("note: %s absent, seed import skipped\n", SEEDS);
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SEEDS "/%s", de->d_name);
		if (kbimport_read(path, &a, err, sizeof(err)) != KBIMPORT_OK)
			continue;
		for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
			if (strcmp(a.id, want[k].id) != 0)
				continue;
			seen++;
			CHECK((e = ev_find(&a, want[k].source,
			    want[k].event)) != NULL);
			if (e != NULL)
				CHECK_INT(e->role, KB_ROLE_DISCRIMINATING);
			CHECK((ev_use(&a, "ims-start-2140") != NULL) ==
			    want[k].with_2140);
			CHECK_INT(a.implies, IMS_STATUS_START_FAILED);
		}
	}
	closedir(dp);
	CHECK_INT(seen, 5);
}

/* Every curated article of kb/ carries its article's exact title. */
TEST(import_curated_titles)
{
	struct kbimport_article a;
	const struct kb_article *art;
	char path[1024], err[256];
	struct kb *kb;
	size_t i;
	int n = 0;

	if (access(ARCHIVE "/txt", R_OK) == -1) {
		printf("note: %s absent, title check skipped\n", ARCHIVE);
		return;
	}
	if ((kb = kb_load("kb", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	for (i = 0; i < kb_narticles(kb); i++) {
		art = kb_article(kb, i);
		if (art->origin != KB_ORIGIN_CURATED)
			continue;
		snprintf(path, sizeof(path), ARCHIVE "/txt/%s.TXT", art->id);
		if (access(path, R_OK) == -1)
			continue;
		if (kbimport_read(path, &a, err, sizeof(err)) == KBIMPORT_ERR) {
			CHECK(0);
			continue;
		}
		CHECK_STR(art->title, a.title);
		snprintf(path, sizeof(path), ARCHIVE "/md/%s.md", art->id);
		if (kbimport_read(path, &a, err, sizeof(err)) != KBIMPORT_ERR)
			CHECK_STR(art->title, a.title);
		n++;
	}
	CHECK(n >= 5);
	kb_free(kb);
}

/*
 * An article with control bytes in an event's category and in the words
 * its ident is made of (both found by fuzz_import): the draft says them
 * as blanks and still loads.
 */
TEST(import_control_bytes_draft_loads)
{
	struct kbimport_article *a;
	char *art = NULL, *d = NULL, *p;
	size_t alen = 0, dlen = 0;
	struct kb *kb;
	FILE *f, *m;
	int c;

	if ((f = fopen(IMPORT "/Q900001.md", "rb")) == NULL ||
	    (m = open_memstream(&art, &alen)) == NULL) {
		CHECK(!"Q900001.md readable");
		if (f != NULL)
			fclose(f);
		return;
	}
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	if ((p = strstr(art, "Initialization/Termination")) != NULL)
		p[4] = '\002';
	/* And in the words that become the event's ident (a second find). */
	if ((p = strstr(art, "relay table")) != NULL)
		p[2] = '\001';
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		free(art);
		return;
	}
	CHECK_INT(kbimport_parse((const uint8_t *)art, alen, a, NULL, 0),
	    KBIMPORT_OK);
	if ((m = open_memstream(&d, &dlen)) != NULL) {
		CHECK_INT(kbimport_write(a, m), 0);
		fclose(m);
		CHECK(memchr(d, '\002', dlen) == NULL);
		CHECK(memchr(d, '\001', dlen) == NULL);
		CHECK((kb = load_draft(d, "Q900001")) != NULL);
		kb_free(kb);
	}
	free(d);
	free(a);
	free(art);
}

/*
 * Import an article given as text, write its draft and load it as the
 * KB would; the draft's text for further checks (freed by the caller),
 * NULL when any step failed (the failing CHECK says which).
 */
static char *
import_loads(const char *art, size_t len, const char *id, size_t nev)
{
	struct kbimport_article *a;
	char *d = NULL;
	size_t dlen = 0;
	struct kb *kb = NULL;
	FILE *m;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	CHECK_INT(kbimport_parse((const uint8_t *)art, len, a, NULL, 0),
	    KBIMPORT_OK);
	if (nev > 0)
		CHECK_INT(a->nev, nev);
	if ((m = open_memstream(&d, &dlen)) != NULL) {
		CHECK_INT(kbimport_write(a, m), 0);
		fclose(m);
		CHECK((kb = load_draft(d, id)) != NULL);
		kb_free(kb);
	}
	free(a);
	if (kb == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

/*
 * Event log sources are compared as the KB compares them (no case, spaces
 * as norm_source() leaves them): an article that names one event with
 * its source spelt in several ways gives one evidence item, not several
 * that the KB rejects as the same evidence (found by fuzz_import).
 */
TEST(import_source_case_merged)
{
	static const char art[] =
	    "DOCUMENT:Q900099  01-JAN-2001  [exchange]\n"
	    "TITLE   :XADM: Widget Service Does Not Start\n"
	    "PRODUCT :Microsoft Exchange\n"
	    "PROD/VER::5.5\n"
	    "\n"
	    "SYMPTOMS\n"
	    "========\n"
	    "\n"
	    "The widget service fails to start and logs:\n"
	    "\n"
	    "   Event ID: 4990\n"
	    "   Source: Widget Service\n"
	    "\n"
	    "and later, again:\n"
	    "\n"
	    "   Event ID: 4990\n"
	    "   Source: Widget SERVICE\n"
	    "\n"
	    "and once more, spaced out:\n"
	    "\n"
	    "   Event ID: 4990\n"
	    "   Source: Widget    Service      \n";

	free(import_loads(art, sizeof(art) - 1, "Q900099", 1));
}

/*
 * A source spelt only with blanks and '_' is no source: the KB reads it
 * as empty and refuses the draft (found by fuzz_import).
 */
TEST(import_blank_source_is_none)
{
	static const char art[] =
	    "DOCUMENT:Q900098  01-JAN-2001  [exchange]\n"
	    "TITLE   :XFOR: Internet Mail Service Does Not Start\n"
	    "PRODUCT :Microsoft Exchange\n"
	    "PROD/VER::5.5\n"
	    "\n"
	    "SYMPTOMS\n"
	    "========\n"
	    "\n"
	    "The Internet Mail Service fails to start and logs:\n"
	    "\n"
	    "   Event ID: 4952\n"
	    "   Source: __\n"
	    "\n"
	    "and also:\n"
	    "\n"
	    "   Event ID: 4953\n"
	    "   Source: _ \t _\n";
	char *d = import_loads(art, sizeof(art) - 1, "Q900098", 0);

	CHECK(d != NULL && strstr(d, "source __") == NULL);
	free(d);
}

TEST_MAIN(
	T(import_md_fields),
	T(import_txt_same_as_md),
	T(import_draft_loads), T(import_control_bytes_draft_loads),
	T(import_source_case_merged), T(import_blank_source_is_none),
	T(import_event_shapes),
	T(import_no_evidence),
	T(import_other_services_only),
	T(import_more_information_fallback),
	T(import_evidence_cap),
	T(import_not_an_article),
	T(import_nul_byte),
	T(import_too_big),
	T(import_too_many_lines),
	T(import_bad_header),
	T(import_edges),
	T(import_relevance_wording),
	T(import_known_sources),
	T(import_long_line),
	T(import_file_size_limit),
	T(import_missing_file),
	T(import_archive_loads),
	T(import_archive_forms_agree),
	T(import_seed_evidence),
	T(import_curated_titles)
)
