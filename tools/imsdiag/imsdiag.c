/*
 * imsdiag: the offline face of the core.  Replays forwarded syslog lines
 * through the same parser chain, knowledge base and diagnosis engine the
 * agent uses, and explains every decision.  This file is main(), the
 * options and the input; what a replay prints is replay_text.c and
 * replay_json.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag/diag.h"
#include "diag/store.h"
#include "kb/kb.h"
#include "kb/kbsite.h"
#include "parse/parse.h"
#include "util/cal.h"
#include "util/norm.h"
#include "util/sbuf.h"
#include "util/span.h"
#include "util/tz.h"

#include "imsdiag.h"
#include "replay.h"

#ifndef IMSMON_KBDIR
#define IMSMON_KBDIR	"/usr/local/share/imsmon/kb"
#endif
#ifndef IMSMON_STATEDIR
#define IMSMON_STATEDIR		"/usr/local/var/lib/imsmon"
#endif
#ifndef IMSMON_VERSION
#define IMSMON_VERSION	"0.1.0"
#endif

#define RD_BUFSZ	(PARSE_MAXREC * 4)

/* A line reader over a file descriptor with a fixed buffer. */
struct reader {
	int		 fd;
	uint8_t		*buf;
	size_t		 len;	/* bytes held */
	size_t		 off;	/* start of the next line */
	int		 eof;
	int		 skipping;	/* inside an over-long line */
};

static void	 usage(FILE *);
static int	 command(int, char **, struct cli *);
static int	 options(struct cli *, int, char **, const char **);
static int	 option(struct cli *, int, const char *, const char **);
static int	 load_kb(struct cli *);
static int	 run_files(struct cli *, int, char **);
static int	 run_fd(struct cli *, int, const char *);
static int	 reader_next(struct reader *, struct span *, int *);
static void	 on_change(void *, const struct store_trans *, const struct fault *,
		    const struct server *);
static int	 parse_now(const char *, int64_t *);
static int	 limit_opt(struct cli *, int, const char *);

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: imsdiag replay [--json] [options] [FILE...]\n"
"       imsdiag explain [options] FILE\n"
"       imsdiag kb check [DIR]\n"
"       imsdiag kb import [-k KBDIR] [-o DIR] ARTICLE...\n"
"       imsdiag kb events [-k KBDIR] [-f snare|evtsys] [-H HOST] ARTICLE\n"
"       imsdiag state show|history|log [--json] [--dir DIR]\n"
"       imsdiag --help | --version\n"
"\n"
"replay   read forwarded syslog records, one per line (stdin when no FILE),\n"
"         print each fault as it is opened, refined or cleared, then the\n"
"         final state of every server (--json: one JSON document)\n"
"explain  print, for each line that mattered, what was parsed, the evidence\n"
"         it matched and why each article was chosen or rejected; list the\n"
"         lines that failed to parse with the reason\n"
"kb check lint a knowledge-base directory; errors are FILE:LINE: message\n"
"state    read imsmond's saved state offline (default directory\n"
"         " IMSMON_STATEDIR "): show the servers and open faults,\n"
"         history the cleared faults (newest first), log the\n"
"         notification log; never changes it\n"
"kb import turn Microsoft KB article files (markdown or DOCUMENT: text) into\n"
"         draft entries (origin generated, cause/resolution TODO), on\n"
"         stdout or as DIR/Qnnn.kb with -o; articles with no usable\n"
"         evidence are reported; with -k, sources the article\n"
"         misspells are written as the knowledge base KBDIR names them\n"
"kb events print the events an article describes as a forwarder sends\n"
"         them (Snare by default), for evaluating a KB (docs/kb-eval.md)\n"
"\n"
"options:\n"
"  --kb DIR        knowledge base (default: $IMSMON_KBDIR, else %s\n"
"                  with the site's entries in " IMSMON_KBSITEDIR ",\n"
"                  else ./kb)\n"
"  --window SECS   correlation window in event time (default 600)\n"
"  --lead X        score ratio the top article needs to be diagnosed\n"
"                  (default 2.0)\n"
"  --now TIME      reference clock, epoch seconds or YYYY-MM-DDTHH:MM:SS\n"
"                  (UTC); year-less syslog stamps take their year from it\n"
"                  (default: the current time)\n"
"  --tz ZONE       time zone of the senders' clocks, for stamps that carry\n"
"                  none: UTC, +hh:mm, a zone name (Europe/Berlin) or a\n"
"                  POSIX TZ rule (default: this machine's zone); times\n"
"                  are printed in UTC\n"
"  --host NAME     the server a record that names no host is about\n"
"                  (default: " HOST_PLACEHOLDER ")\n"
"  --max-servers N, --max-faults N, --max-cleared N\n"
"                  the limits of imsmond.conf's maxServers, maxFaults and\n"
"                  maxClearedFaults (defaults as there); what they drop is\n"
"                  counted in the summary\n"
"\n"
"exit status:\n"
"  0  success (kb check: the knowledge base is valid)\n"
"  1  kb check: the knowledge base has errors; kb import: an article\n"
"     had no usable evidence\n"
"  2  usage error\n"
"  3  the knowledge base could not be loaded, or an input could not be read\n",
	    IMSMON_KBDIR);
}

static int
load_kb(struct cli *c)
{
	struct kb_errors errs;
	struct store_limits lim;
	size_t i;

	memset(&errs, 0, sizeof(errs));
	if ((c->kb = kb_load_site(c->kbdir, kb_site_for(c->kbdir),
	    &errs)) == NULL) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.err[i].msg);
		if (errs.total == 0)
			fprintf(stderr, "imsdiag: %s: %s\n", c->kbdir,
			    strerror(errno));
		else if (errs.total > errs.n)
			fprintf(stderr, "imsdiag: %zu more errors\n",
			    errs.total - errs.n);
		fprintf(stderr, "imsdiag: knowledge base %s not loaded\n",
		    c->kbdir);
		return -1;
	}
	lim = c->lim;
	lim.max_servers = c->conf.max_hosts;
	if ((c->st = store_new(&lim)) == NULL ||
	    (c->d = diag_new(c->kb, c->st, &c->conf)) == NULL) {
		fprintf(stderr, "imsdiag: %s\n", strerror(errno));
		return -1;
	}
	store_observe(c->st, on_change, c);
	return 0;
}

/*
 * The limits imsmond.conf sets (maxServers, maxFaults, maxClearedFaults),
 * with the same ranges, so that a replay of a site's logs meets the caps
 * the daemon would.
 */
static int
limit_opt(struct cli *c, int ch, const char *arg)
{
	static const struct {
		int		 ch;
		const char	*name;
		long long	 min, max;
	} lims[] = {
		{ 'S', "--max-servers", 1, 1000000 },
		{ 'F', "--max-faults", 1, 1000000 },
		{ 'C', "--max-cleared", 0, 1000000 },
	};
	long long v;
	char *end;
	size_t i;

	for (i = 0; i < sizeof(lims) / sizeof(lims[0]) && lims[i].ch != ch;
	    i++)
		;
	if (i == sizeof(lims) / sizeof(lims[0]))
		return -1;
	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || v < lims[i].min ||
	    v > lims[i].max) {
		fprintf(stderr, "imsdiag: %s: want %lld..%lld\n", lims[i].name,
		    lims[i].min, lims[i].max);
		return -1;
	}
	if (ch == 'S') {
		c->lim.max_servers = (size_t)v;
		c->conf.max_hosts = (size_t)v;
	} else if (ch == 'F')
		c->lim.max_open = (size_t)v;
	else
		c->lim.max_cleared = (size_t)v;
	return 0;
}

/* Epoch seconds, or YYYY-MM-DDTHH:MM:SS in UTC. */
static int
parse_now(const char *arg, int64_t *out)
{
	struct span s = span_cstr(arg);
	uint32_t v[6], max[6] = { 9999, 12, 31, 23, 59, 60 };
	const char sep[6] = { '-', '-', 'T', ':', ':', '\0' };
	size_t i;

	if (span_all_digits(s) && s.n <= 12) {
		for (*out = 0, i = 0; i < s.n; i++)
			*out = *out * 10 + (s.p[i] - '0');
		return 0;
	}
	for (i = 0; i < 6; i++) {
		if (span_u32(&s, i == 0 ? 4 : 2, max[i], &v[i]) == -1)
			return -1;
		if (sep[i] != '\0' && (s.n == 0 || (s.p[0] != sep[i] &&
		    !(i == 2 && s.p[0] == ' '))))
			return -1;
		if (sep[i] != '\0') {
			s.p++;
			s.n--;
		}
	}
	if (s.n != 0 || v[1] == 0 || v[2] == 0)
		return -1;
	*out = cal_time((int)v[0], (int)v[1], (int)v[2], (int)v[3],
	    (int)v[4], (int)v[5]);
	return 0;
}

/* Not an exit status: main() goes on. */
#define GO_ON	(-1)

/*
 * main(): the subcommand, the options, then the replay: the KB and core
 * loaded, every input run through them, the summary printed.
 */
int
main(int argc, char **argv)
{
	struct cli c;
	const char *tzspec = "";
	char err[256];
	int rc;

	if ((rc = command(argc, argv, &c)) != GO_ON)
		return rc;
	argc--;
	argv++;
	if ((rc = options(&c, argc, argv, &tzspec)) != GO_ON)
		return rc;
	argc -= optind;
	argv += optind;
	if (c.mode == MODE_EXPLAIN && argc != 1) {
		usage(stderr);
		return EX_USAGE;
	}
	if ((c.tz = tz_new(tzspec, err, sizeof(err))) == NULL) {
		fprintf(stderr, "imsdiag: --tz: %s\n", err);
		return EX_USAGE;
	}
	c.conf.tz = c.tz;
	if (c.kbdir == NULL)
		c.kbdir = kb_dir_default();
	if (load_kb(&c) == -1) {
		tz_free(c.tz);
		return EX_INPUT;
	}
	if (c.json)
		printf("{\"version\":1,\"transitions\":[");
	rc = run_files(&c, argc, argv);
	if (c.json)
		replay_json_final(&c);
	else
		replay_text_final(&c);
	diag_free(c.d);
	store_free(c.st);
	kb_free(c.kb);
	tz_free(c.tz);
	return rc;
}

/*
 * The first word: kb and state run their own commands, --help and
 * --version answer; replay and explain set the mode and go on (GO_ON).
 */
static int
command(int argc, char **argv, struct cli *c)
{
	memset(c, 0, sizeof(*c));
	sbuf_init(&c->pend, c->pending, sizeof(c->pending));
	diag_conf_default(&c->conf);
	c->now = (int64_t)time(NULL);
	c->host = HOST_PLACEHOLDER;
	store_limits_default(&c->lim);
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "kb") == 0)
		return cmd_kb(argc - 1, argv + 1);
	if (strcmp(argv[1], "state") == 0)
		return cmd_state(argc - 1, argv + 1);
	if (strcmp(argv[1], "replay") == 0)
		c->mode = MODE_REPLAY;
	else if (strcmp(argv[1], "explain") == 0)
		c->mode = MODE_EXPLAIN;
	else if (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EX_OK;
	} else if (strcmp(argv[1], "--version") == 0) {
		printf("imsdiag %s\n", IMSMON_VERSION);
		return EX_OK;
	} else {
		usage(stderr);
		return EX_USAGE;
	}
	return GO_ON;
}

/* The options of replay and explain; optind is left at the first file. */
static int
options(struct cli *c, int argc, char **argv, const char **tzspec)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "kb", required_argument, NULL, 'k' },
		{ "window", required_argument, NULL, 'w' },
		{ "lead", required_argument, NULL, 'l' },
		{ "now", required_argument, NULL, 'n' },
		{ "tz", required_argument, NULL, 'z' },
		{ "host", required_argument, NULL, 'H' },
		{ "max-servers", required_argument, NULL, 'S' },
		{ "max-faults", required_argument, NULL, 'F' },
		{ "max-cleared", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "hjk:w:l:n:z:H:S:F:C:V", opts,
	    NULL)) != -1)
		if ((rc = option(c, ch, optarg, tzspec)) != GO_ON)
			return rc;
	return GO_ON;
}

/* One option: GO_ON, or the exit status (a message said why). */
static int
option(struct cli *c, int ch, const char *arg, const char **tzspec)
{
	char *end;

	switch (ch) {
	case 'j':
		c->json = 1;
		break;
	case 'k':
		c->kbdir = arg;
		break;
	case 'w':
		errno = 0;
		c->conf.window = strtoll(arg, &end, 10);
		if (errno || *end || c->conf.window < 0 ||
		    c->conf.window > 86400 * 7) {
			fprintf(stderr, "imsdiag: --window: want 0..604800 "
			    "seconds\n");
			return EX_USAGE;
		}
		break;
	case 'l':
		errno = 0;
		c->conf.lead = strtod(arg, &end);
		if (errno || *end || !(c->conf.lead >= 1.0 &&
		    c->conf.lead <= 1000.0)) {
			fprintf(stderr, "imsdiag: --lead: want a number from 1 "
			    "to 1000\n");
			return EX_USAGE;
		}
		break;
	case 'n':
		if (parse_now(arg, &c->now) == -1) {
			fprintf(stderr, "imsdiag: --now: want epoch seconds or "
			    "YYYY-MM-DDTHH:MM:SS\n");
			return EX_USAGE;
		}
		break;
	case 'z':
		*tzspec = arg;
		break;
	case 'S':
	case 'F':
	case 'C':
		return limit_opt(c, ch, arg) == -1 ? EX_USAGE : GO_ON;
	case 'H':
		if (arg[0] == '\0' || strlen(arg) >= NORM_HOST_MAX) {
			fprintf(stderr, "imsdiag: --host: want a name of 1 to "
			    "%d bytes\n", NORM_HOST_MAX - 1);
			return EX_USAGE;
		}
		c->host = arg;
		break;
	case 'h':
		usage(stdout);
		return EX_OK;
	case 'V':
		printf("imsdiag %s\n", IMSMON_VERSION);
		return EX_OK;
	default:
		usage(stderr);
		return EX_USAGE;
	}
	return GO_ON;
}

/* A replay tells what an NMS would be told, as the mode prints it. */
static void
on_change(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *s)
{
	struct cli *c = arg;

	if (!store_ev_notifies(t->kind))
		return;
	if (c->json)
		replay_json_change(c, t->kind, f, s);
	else if (c->mode == MODE_EXPLAIN)
		replay_explain_note(c, t->kind, f, s);
	else
		replay_text_change(c, t->kind, f, s);
}

static int
run_files(struct cli *c, int argc, char **argv)
{
	int i, fd, rc = EX_OK;

	if (argc == 0)
		return run_fd(c, STDIN_FILENO, "-");
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(argv[i], O_RDONLY)) == -1) {
			fprintf(stderr, "imsdiag: %s: %s\n", argv[i],
			    strerror(errno));
			rc = EX_INPUT;
			continue;
		}
		if (run_fd(c, fd, argv[i]) != EX_OK)
			rc = EX_INPUT;
		if (fd != STDIN_FILENO)
			close(fd);
	}
	return rc;
}

/*
 * Next line into *line (no LF).  An over-long line is returned once, cut
 * to PARSE_MAXREC + 1 bytes with *cut set, so the parser counts it as too
 * long; its remainder is skipped.  Returns 1, 0 at the end, -1 on error.
 */
static int
reader_next(struct reader *r, struct span *line, int *cut)
{
	uint8_t *nl;
	ssize_t k;

	*cut = 0;
	for (;;) {
		nl = r->len > r->off ? memchr(r->buf + r->off, '\n',
		    r->len - r->off) : NULL;
		if (nl != NULL || (r->eof && r->len > r->off)) {
			size_t end = nl ? (size_t)(nl - r->buf) : r->len;

			*line = span_make(r->buf + r->off, end - r->off);
			r->off = nl ? end + 1 : end;
			if (r->skipping) {
				r->skipping = 0;
				continue;
			}
			return 1;
		}
		if (r->eof)
			return 0;
		if (r->len - r->off > PARSE_MAXREC) {
			/* Over-long: hand out its head once, skip the rest. */
			if (!r->skipping) {
				*line = span_make(r->buf + r->off,
				    PARSE_MAXREC + 1);
				*cut = 1;
				r->skipping = 1;
				r->off = r->len;
				return 1;
			}
			r->off = r->len;
		}
		if (r->off > 0) {
			memmove(r->buf, r->buf + r->off, r->len - r->off);
			r->len -= r->off;
			r->off = 0;
		}
		k = read(r->fd, r->buf + r->len, RD_BUFSZ - r->len);
		if (k == -1 && errno == EINTR)
			continue;
		if (k == -1)
			return -1;
		if (k == 0)
			r->eof = 1;
		r->len += (size_t)k;
	}
}

static int
run_fd(struct cli *c, int fd, const char *name)
{
	struct reader r;
	struct span line;
	struct diag_explain *ex = NULL;
	uint64_t lineno = 0;
	int k, cut;

	memset(&r, 0, sizeof(r));
	r.fd = fd;
	if ((r.buf = malloc(RD_BUFSZ)) == NULL ||
	    (c->mode == MODE_EXPLAIN && (ex = malloc(sizeof(*ex))) == NULL)) {
		fprintf(stderr, "imsdiag: %s\n", strerror(errno));
		free(r.buf);
		return EX_INPUT;
	}
	while ((k = reader_next(&r, &line, &cut)) == 1) {
		lineno++;
		c->lines++;
		diag_record(c->d, line.p, line.n, c->host, c->now, ex);
		if (ex != NULL)
			replay_explain(c, lineno, ex);
	}
	if (k == -1)
		fprintf(stderr, "imsdiag: %s: %s\n", name, strerror(errno));
	free(ex);
	free(r.buf);
	return k == -1 ? EX_INPUT : EX_OK;
}


