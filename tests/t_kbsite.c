/*
 * t_kbsite: the shipped knowledge base (kb/) with a site directory laid
 * over it: an article of the same ID replaces the shipped one, a new one
 * is added, a file named like a shipped one replaces it, a missing or
 * empty site directory changes nothing, an error in a site file fails the
 * whole load with its file and line.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "kb/kb.h"
#include "kb/kbsite.h"
#include "test.h"

static char site[64];

static void
site_new(void)
{
	snprintf(site, sizeof(site), "/tmp/t_kbsite.XXXXXX");
	if (mkdtemp(site) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
}

static void
site_put(const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", site, name);
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, fp);
	fclose(fp);
}

static void
site_rm(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", site);
	if (system(cmd) != 0)
		fprintf(stderr, "  cannot remove %s\n", site);
}

static const char *const q306308_site =
    "article Q306308\n"
    "title Site: the IS refuses the IMS its logon\n"
    "severity major\n"
    "implies start-failed\n"
    "evidence discriminating source \"MSExchangeIS Private\" id 1023\n"
    "\ttype audit-failure log application\n"
    "\ttext \"cn=internet mail connector\" \"cn=internet mail service\"\n"
    "evidence symptom use ims-start-2140\n"
    "cause Our own words.\n"
    "resolution Call the mail team.\n";

static const char *const q900001 =
    "article Q900001\n"
    "title Site article\n"
    "severity minor\n"
    "implies degraded\n"
    "evidence discriminating source SiteSource id 4242\n"
    "cause C\n"
    "resolution R\n";

TEST(kbsite_no_site_dir)
{
	struct kb_errors errs;
	struct kb *a = kb_load("kb", &errs), *b;

	CHECK(a != NULL);
	b = kb_load_site("kb", "/nonexistent/kb.d", &errs);
	CHECK(b != NULL);
	if (a != NULL && b != NULL)
		CHECK_INT(kb_narticles(b), kb_narticles(a));
	kb_free(b);
	b = kb_load_site("kb", NULL, &errs);
	CHECK(b != NULL);
	kb_free(b);
	kb_free(a);
}

TEST(kbsite_empty_site_dir)
{
	struct kb_errors errs;
	struct kb *a = kb_load("kb", &errs), *b;

	site_new();
	b = kb_load_site("kb", site, &errs);
	CHECK(a != NULL && b != NULL);
	if (a != NULL && b != NULL)
		CHECK_INT(kb_narticles(b), kb_narticles(a));
	kb_free(a);
	kb_free(b);
	site_rm();
}

TEST(kbsite_override_same_id)
{
	struct kb_errors errs;
	struct kb *a = kb_load("kb", &errs), *b;
	const struct kb_article *art;

	site_new();
	site_put("local-logons.kb", q306308_site);
	b = kb_load_site("kb", site, &errs);
	CHECK(a != NULL && b != NULL);
	if (a != NULL && b != NULL) {
		CHECK_INT(kb_narticles(b), kb_narticles(a));
		art = kb_find(b, "Q306308");
		CHECK(art != NULL);
		if (art != NULL)
			CHECK_STR(art->title,
			    "Site: the IS refuses the IMS its logon");
	}
	kb_free(a);
	kb_free(b);
	site_rm();
}

TEST(kbsite_add_new_article)
{
	struct kb_errors errs;
	struct kb *a = kb_load("kb", &errs), *b;

	site_new();
	site_put("Q900001.kb", q900001);
	b = kb_load_site("kb", site, &errs);
	CHECK(a != NULL && b != NULL);
	if (a != NULL && b != NULL) {
		CHECK_INT(kb_narticles(b), kb_narticles(a) + 1);
		CHECK(kb_find(b, "Q900001") != NULL);
		CHECK(kb_find(b, "Q306308") != NULL);
	}
	kb_free(a);
	kb_free(b);
	site_rm();
}

/* A site file named like a shipped one replaces it, whatever it holds. */
TEST(kbsite_same_file_name)
{
	struct kb_errors errs;
	struct kb *b;
	const struct kb_article *art;

	site_new();
	site_put("Q306308.kb", q306308_site);
	b = kb_load_site("kb", site, &errs);
	CHECK(b != NULL);
	if (b != NULL) {
		art = kb_find(b, "Q306308");
		CHECK(art != NULL && art->severity == KB_SEV_MAJOR);
	}
	kb_free(b);
	site_rm();
}

TEST(kbsite_error_names_site_file)
{
	struct kb_errors errs;
	struct kb *b;
	size_t i;
	int seen = 0;

	site_new();
	site_put("bad.kb", "article Q1\ntitle T\nseverity loud\n");
	b = kb_load_site("kb", site, &errs);
	CHECK(b == NULL);
	CHECK_INT(errno, EINVAL);
	for (i = 0; i < errs.n; i++)
		if (strstr(errs.err[i].msg, "/bad.kb:3:") != NULL)
			seen = 1;
	CHECK(seen);
	kb_free(b);
	site_rm();
}

TEST_MAIN(
	T(kbsite_no_site_dir),
	T(kbsite_empty_site_dir),
	T(kbsite_override_same_id),
	T(kbsite_add_new_article),
	T(kbsite_same_file_name),
	T(kbsite_error_names_site_file)
)
