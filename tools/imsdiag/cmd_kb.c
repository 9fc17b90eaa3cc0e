/*
 * cmd_kb: imsdiag's knowledge-base commands: kb check (lint a directory),
 * kb import (articles to drafts, docs/kb-import.md) and kb events (the
 * events an article describes, as a forwarder sends them, for kbeval).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb/kb.h"
#include "kb/kbsite.h"
#include "imsdiag.h"
#include "kbevents.h"
#include "kbimport.h"

#ifndef IMSMON_KBDIR
#define IMSMON_KBDIR	"/usr/local/share/imsmon/kb"
#endif
#ifndef IMSMON_KBSITEDIR
#define IMSMON_KBSITEDIR	"/usr/local/etc/imsmon/kb.d"
#endif

static void	 kb_usage(void);
static int	 cmd_kb_check(const char *);
static void	 note_unworded(void *, const struct kb_match *, const char *,
		    int);
static int	 cmd_kb_import(int, char **);
static int	 cmd_kb_events(int, char **);
static int	 import_one(const char *, const char *,
		    const struct kbimport_known *);
static struct kbimport_known *known_load(const char *);

const char *
kb_dir_default(void)
{
	const char *e = getenv("IMSMON_KBDIR");
	struct stat sb;

	if (e != NULL && *e != '\0')
		return e;
	if (stat(IMSMON_KBDIR, &sb) == 0 && S_ISDIR(sb.st_mode))
		return IMSMON_KBDIR;
	return "kb";
}

/* The installed KB comes with the site's entries laid over it. */
const char *
kb_site_for(const char *dir)
{
	return strcmp(dir, IMSMON_KBDIR) == 0 ? IMSMON_KBSITEDIR : NULL;
}

/* The kb commands' part of imsdiag(1)'s usage. */
static void
kb_usage(void)
{
	fprintf(stderr,
"usage: imsdiag kb check [DIR]\n"
"       imsdiag kb import [-k KBDIR] [-o DIR] ARTICLE...\n"
"       imsdiag kb events [-k KBDIR] [-f snare|evtsys] [-H HOST] ARTICLE\n"
"(imsdiag --help says more)\n");
}

int
cmd_kb(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "check") == 0 && argc <= 3)
		return cmd_kb_check(argc == 3 ? argv[2] : kb_dir_default());
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return cmd_kb_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "events") == 0)
		return cmd_kb_events(argc - 1, argv + 1);
	kb_usage();
	return EX_USAGE;
}

static int
cmd_kb_check(const char *dir)
{
	struct kb_errors errs;
	struct kb *kb;
	size_t i;

	memset(&errs, 0, sizeof(errs));
	if ((kb = kb_load_site(dir, kb_site_for(dir), &errs)) == NULL) {
		for (i = 0; i < errs.n; i++)
			printf("%s\n", errs.err[i].msg);
		if (errs.total > errs.n)
			printf("... and %zu more\n", errs.total - errs.n);
		if (errs.total == 0)
			printf("%s: %s\n", dir, strerror(errno));
		printf("%s: knowledge base has errors\n", dir);
		return errs.total == 0 ? EX_INPUT : EX_KBERRORS;
	}
	memset(&errs, 0, sizeof(errs));
	kb_lint(kb, &errs);
	for (i = 0; i < errs.n; i++)
		printf("warning: %s\n", errs.err[i].msg);
	if (errs.total > errs.n)
		printf("... and %zu more warnings\n", errs.total - errs.n);
	(void)kb_infer_unworded(kb, note_unworded, NULL);
	printf("%s: %zu articles, %zu evidence items, %zu status rules: ok\n",
	    dir, kb_narticles(kb), kb_nitems(kb), kb_nstatus_rules(kb));
	kb_free(kb);
	return EX_OK;
}

/* kb check's note on an event no 'ident' wording identifies. */
static void
note_unworded(void *arg, const struct kb_match *m, const char *file,
    int line)
{
	size_t i;

	(void)arg;
	printf("%s:%d: note: %s", file, line, m->source[0] == '\0' ? "*" :
	    m->source_name[0] ? m->source_name : m->source);
	for (i = 0; i < m->nids; i++)
		printf("%c%u", i ? ',' : ' ', m->ids[i]);
	printf(" has no 'ident' wording: without its event ID such a record "
	    "is not recognised\n");
}

/*
 * The source names of the knowledge base in dir, for normalising an
 * article's spelling of them (docs/kb-import.md, "Sources"); NULL, with
 * the reason printed, when it does not load.
 */
static struct kbimport_known *
known_load(const char *dir)
{
	struct kbimport_known *k;
	struct kb_errors errs;
	struct kb *kb;

	memset(&errs, 0, sizeof(errs));
	if ((kb = kb_load_site(dir, kb_site_for(dir), &errs)) == NULL) {
		if (errs.n > 0)
			fprintf(stderr, "imsdiag: %s\n", errs.err[0].msg);
		fprintf(stderr, "imsdiag: %s: knowledge base does not load\n",
		    dir);
		return NULL;
	}
	if ((k = malloc(sizeof(*k))) == NULL)
		fprintf(stderr, "imsdiag: %s\n", strerror(errno));
	else
		kbimport_known_from_kb(k, kb);
	kb_free(kb);
	return k;
}

/* imsdiag kb import [-k KBDIR] [-o DIR] ARTICLE... */
static int
cmd_kb_import(int argc, char **argv)
{
	struct kbimport_known *known = NULL;
	const char *outdir = NULL, *kbdir = NULL;
	int i = 1, rc = EX_OK, r;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-o") == 0)
			outdir = argv[i + 1];
		else if (strcmp(argv[i], "-k") == 0)
			kbdir = argv[i + 1];
		else
			break;
	}
	if (i >= argc || argv[i][0] == '-') {
		kb_usage();
		return EX_USAGE;
	}
	if (kbdir != NULL && (known = known_load(kbdir)) == NULL)
		return EX_INPUT;
	for (; i < argc; i++) {
		r = import_one(argv[i], outdir, known);
		if (r == EX_INPUT || (r == EX_KBERRORS && rc == EX_OK))
			rc = r;
	}
	free(known);
	return rc;
}

static int
import_one(const char *path, const char *outdir,
    const struct kbimport_known *known)
{
	struct kbimport_article *a;
	char err[512], out[4096];
	FILE *fp = stdout;
	int r, fd, rc = EX_OK;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		fprintf(stderr, "imsdiag: %s\n", strerror(errno));
		return EX_INPUT;
	}
	r = kbimport_read_known(path, known, a, err, sizeof(err));
	if (r == KBIMPORT_ERR) {
		fprintf(stderr, "imsdiag: %s\n", err);
		rc = EX_INPUT;
		goto out;
	}
	if (r == KBIMPORT_NOEVIDENCE) {
		fprintf(stderr, "imsdiag: %s\n", err);
		rc = EX_KBERRORS;
		goto out;
	}
	if (outdir != NULL) {
		/* Never over an existing entry: a curated one may be there. */
		snprintf(out, sizeof(out), "%s/%s.kb", outdir, a->id);
		if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1 ||
		    (fp = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "imsdiag: %s: %s\n", out,
			    strerror(errno));
			if (fd != -1) {
				/* Ours, still empty: leave neither the
				   descriptor nor the file behind. */
				close(fd);
				unlink(out);
			}
			rc = EX_INPUT;
			goto out;
		}
	}
	if (kbimport_write(a, fp) == -1 || (fp != stdout && fclose(fp) != 0)) {
		fprintf(stderr, "imsdiag: %s: write failed\n",
		    outdir ? out : "stdout");
		rc = EX_INPUT;
	} else if (outdir != NULL)
		fprintf(stderr, "imsdiag: %s -> %s\n", path, out);
	else
		fputc('\n', stdout);
out:
	free(a);
	return rc;
}

/* imsdiag kb events [-k KBDIR] [-f snare|evtsys] [-H HOST] ARTICLE */
static int
cmd_kb_events(int argc, char **argv)
{
	struct kbimport_article *a;
	struct kbimport_known *known = NULL;
	enum kbevents_fmt fmt = KBEVENTS_SNARE;
	const char *host = "EVAL", *kbdir = NULL;
	char err[512];
	int i = 1, r, rc = EX_OK;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-f") == 0 &&
		    kbevents_fmt_parse(argv[i + 1], &fmt) == 0)
			continue;
		if (strcmp(argv[i], "-H") == 0 && argv[i + 1][0] != '\0')
			host = argv[i + 1];
		else if (strcmp(argv[i], "-k") == 0)
			kbdir = argv[i + 1];
		else
			break;
	}
	if (i + 1 != argc) {
		kb_usage();
		return EX_USAGE;
	}
	if (kbdir != NULL && (known = known_load(kbdir)) == NULL)
		return EX_INPUT;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		fprintf(stderr, "imsdiag: %s\n", strerror(errno));
		free(known);
		return EX_INPUT;
	}
	r = kbimport_read_known(argv[i], known, a, err, sizeof(err));
	if (r == KBIMPORT_ERR) {
		fprintf(stderr, "imsdiag: %s\n", err);
		rc = EX_INPUT;
	} else if (kbevents_write(a, fmt, host, stdout) == -1) {
		fprintf(stderr, "imsdiag: stdout: write failed\n");
		rc = EX_INPUT;
	}
	free(a);
	free(known);
	return rc;
}
