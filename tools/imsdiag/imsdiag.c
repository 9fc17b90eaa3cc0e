/*
 * imsdiag: the offline face of the core.  Replays forwarded syslog lines
 * through the same parser chain, knowledge base and diagnosis engine the
 * agent uses, and explains every decision.
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
#include "kb/kb.h"
#include "kb/kbsite.h"
#include "imsdiag.h"
#include "parse/parse.h"
#include "util/cal.h"
#include "util/norm.h"
#include "util/sbuf.h"
#include "util/tz.h"
#include "diag/store.h"
#include "diag/verdict.h"

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

/*
 * Whom a record that names no host is about, when --host does not say:
 * a name no NetBIOS or DNS host can have, so it never merges with one.
 */
#define HOST_PLACEHOLDER	"(no-host)"

enum mode { MODE_REPLAY, MODE_EXPLAIN };

struct cli {
	enum mode	 mode;
	int		 json;
	const char	*kbdir;
	struct diag_conf conf;
	int64_t		 now;
	const char	*host;		/* for records that name none */
	struct tz	*tz;		/* senders' zone */
	struct store_limits lim;	/* --max-servers, --max-faults, ... */
	struct kb	*kb;
	struct store	*st;
	struct diag	*d;
	size_t		 ntrans;	/* transitions printed */
	char		 pending[1024];	/* explain: transitions of this line */
	struct sbuf	 pend;		/* appends to pending */
	uint64_t	 lines;
};

/*
 * The faults in memory grouped by server index, each server's in fault
 * order: the final report lists each server's faults without walking
 * every fault for every server.  pos NULL (out of memory): walk them.
 */
struct byserver {
	size_t		*start;		/* by server index, nservers + 2 */
	size_t		*pos;		/* positions for store_fault_at() */
	size_t		 nsrv;
};

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
static int	 load_kb(struct cli *);
static int	 run_files(struct cli *, int, char **);
static int	 run_fd(struct cli *, int, const char *);
static int	 reader_next(struct reader *, struct span *, int *);
static void	 on_change(void *, const struct store_trans *, const struct fault *,
		    const struct server *);
static void	 byserver_build(const struct cli *, struct byserver *);
static void	 byserver_free(struct byserver *);
static const struct fault *byserver_next(const struct cli *,
		    const struct byserver *, uint32_t, size_t *);
static void	 print_text_final(const struct cli *);
static void	 print_text_origin(const struct cli *, const struct fault *);
static void	 print_json_final(const struct cli *);
static void	 json_time(FILE *, int64_t);
static void	 print_explain(struct cli *, uint64_t,
		    const struct diag_explain *);
static void	 print_json_fault(const struct cli *, const struct fault *);
static int	 parse_now(const char *, int64_t *);
static int	 limit_opt(struct cli *, int, const char *);
static void	 print_text_drops(const struct cli *);

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

/* What a limit dropped, said in the text summary as in --json. */
static void
print_text_drops(const struct cli *c)
{
	const struct diag_stats *ds = diag_stats(c->d);
	const struct store_stats *ss = store_stats(c->st);
	const struct {
		const char	*what;
		uint64_t	 n;
	} d[] = {
		{ "servers (over --max-servers)", ss->dropped[STORE_DROP_SERVERS] },
		{ "faults (over --max-faults)", ss->dropped[STORE_DROP_FAULTS] },
		{ "hosts (correlation state over --max-servers)",
		    ds->dropped[DIAG_DROP_HOSTS] },
		{ "episodes (oldest of a host evicted)",
		    ds->dropped[DIAG_DROP_EPISODES] },
		{ "evidence (over the per-episode cap)",
		    ds->dropped[DIAG_DROP_EVIDENCE] },
		{ "events with no host", ds->dropped[DIAG_DROP_NOHOST] },
	};
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (d[i].n > 0)
			printf("  dropped %llu %s\n", (unsigned long long)d[i].n,
			    d[i].what);
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

int
main(int argc, char **argv)
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
	struct cli c;
	const char *tzspec = "";
	char *end, err[256];
	int ch, rc;

	memset(&c, 0, sizeof(c));
	sbuf_init(&c.pend, c.pending, sizeof(c.pending));
	diag_conf_default(&c.conf);
	c.now = (int64_t)time(NULL);
	c.host = HOST_PLACEHOLDER;
	store_limits_default(&c.lim);
	if (argc >= 2 && strcmp(argv[1], "kb") == 0)
		return cmd_kb(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "state") == 0)
		return cmd_state(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "replay") == 0)
		c.mode = MODE_REPLAY;
	else if (argc >= 2 && strcmp(argv[1], "explain") == 0)
		c.mode = MODE_EXPLAIN;
	else if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return EX_OK;
	} else if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("imsdiag %s\n", IMSMON_VERSION);
		return EX_OK;
	} else {
		usage(stderr);
		return EX_USAGE;
	}
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "hjk:w:l:n:z:H:S:F:C:V", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			c.json = 1;
			break;
		case 'k':
			c.kbdir = optarg;
			break;
		case 'w':
			errno = 0;
			c.conf.window = strtoll(optarg, &end, 10);
			if (errno || *end || c.conf.window < 0 ||
			    c.conf.window > 86400 * 7) {
				fprintf(stderr, "imsdiag: --window: want 0.."
				    "604800 seconds\n");
				return EX_USAGE;
			}
			break;
		case 'l':
			errno = 0;
			c.conf.lead = strtod(optarg, &end);
			if (errno || *end || !(c.conf.lead >= 1.0 &&
			    c.conf.lead <= 1000.0)) {
				fprintf(stderr, "imsdiag: --lead: want a number "
				    "from 1 to 1000\n");
				return EX_USAGE;
			}
			break;
		case 'n':
			if (parse_now(optarg, &c.now) == -1) {
				fprintf(stderr, "imsdiag: --now: want epoch "
				    "seconds or YYYY-MM-DDTHH:MM:SS\n");
				return EX_USAGE;
			}
			break;
		case 'z':
			tzspec = optarg;
			break;
		case 'S':
		case 'F':
		case 'C':
			if (limit_opt(&c, ch, optarg) == -1)
				return EX_USAGE;
			break;
		case 'H':
			if (optarg[0] == '\0' || strlen(optarg) >=
			    NORM_HOST_MAX) {
				fprintf(stderr, "imsdiag: --host: want a name "
				    "of 1 to %d bytes\n", NORM_HOST_MAX - 1);
				return EX_USAGE;
			}
			c.host = optarg;
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
	}
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
		print_json_final(&c);
	else
		print_text_final(&c);
	diag_free(c.d);
	store_free(c.st);
	kb_free(c.kb);
	tz_free(c.tz);
	return rc;
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
			print_explain(c, lineno, ex);
	}
	if (k == -1)
		fprintf(stderr, "imsdiag: %s: %s\n", name, strerror(errno));
	free(ex);
	free(r.buf);
	return k == -1 ? EX_INPUT : EX_OK;
}

static void
print_explain(struct cli *c, uint64_t lineno, const struct diag_explain *ex)
{
	const struct kb_article *a;
	size_t i;

	if (ex->rc != PARSE_OK) {
		printf("line %llu: not parsed: %s\n",
		    (unsigned long long)lineno, parse_why_name(ex->why));
		return;
	}
	if (!ex->mattered)
		return;
	printf("line %llu: %s\n", (unsigned long long)lineno, ex->summary);
	for (i = 0; i < ex->nhits; i++)
		printf("  matched %s\n", ex->hits[i]);
	for (i = 0; i < ex->narts; i++) {
		/* Drafts say so; curated entries are the default. */
		a = kb_find(c->kb, ex->arts[i].article);
		printf("  %-8s score %6.2f %s", ex->arts[i].article,
		    ex->arts[i].score, ex->arts[i].why);
		if (a != NULL && a->origin != KB_ORIGIN_CURATED)
			printf(" [%s]", kb_origin_name(a->origin));
		printf("\n");
	}
	if (ex->outcome[0] != '\0')
		printf("  => %s\n", ex->outcome);
	fputs(c->pending, stdout);
	sbuf_init(&c->pend, c->pending, sizeof(c->pending));
}

static void
on_change(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *s)
{
	struct cli *c = arg;
	const struct kb_article *a;
	enum store_ev ev = t->kind;
	char ts[32];
	const char *what;

	/* A replay tells what an NMS would be told. */
	if (!store_ev_notifies(ev))
		return;
	if (c->mode == MODE_EXPLAIN && !c->json) {
		if (ev == STORE_EV_STATUS)
			sbuf_printf(&c->pend, "  => server %s status %s\n",
			    s->name, ims_status_name(s->status));
		else if (ev == STORE_EV_CLEARED)
			sbuf_printf(&c->pend, "  => fault %u cleared: %s\n",
			    f->index, clear_reason_name(f->reason));
		return;
	}
	if (c->json) {
		printf("%s{\"event\":", c->ntrans++ ? "," : "");
		if (ev == STORE_EV_STATUS) {
			printf("\"status\",\"server\":");
			json_str(stdout, s->name);
			printf(",\"status\":\"%s\",\"time\":",
			    ims_status_name(s->status));
			json_time(stdout, s->status_time);
			printf("}");
			return;
		}
		what = ev == STORE_EV_OPENED ? "opened" :
		    ev == STORE_EV_REFINED ? "refined" : "cleared";
		printf("\"%s\",\"fault\":%u,\"server\":", what, f->index);
		json_str(stdout, f->host);
		printf(",\"article\":");
		if (f->article[0])
			json_str(stdout, f->article);
		else
			printf("null");
		printf(",\"state\":\"%s\"", fault_state_name(f->state));
		if (ev == STORE_EV_CLEARED)
			printf(",\"reason\":\"%s\"", clear_reason_name(f->reason));
		printf(",\"time\":");
		json_time(stdout, ev == STORE_EV_CLEARED ? f->cleared_at :
		    f->last_seen);
		printf("}");
		return;
	}
	if (ev == STORE_EV_STATUS) {
		evt_time_fmt(ts, sizeof(ts), s->status_time);
		printf("status   %s %s at %s\n", s->name,
		    ims_status_name(s->status), ts);
		return;
	}
	evt_time_fmt(ts, sizeof(ts), ev == STORE_EV_CLEARED ? f->cleared_at :
	    f->last_seen);
	what = ev == STORE_EV_OPENED ? "opened " : ev == STORE_EV_REFINED ?
	    "refined" : "cleared";
	a = f->article[0] ? kb_find(c->kb, f->article) : NULL;
	printf("fault %u %s %s %s", f->index, what, f->host,
	    f->article[0] ? f->article : f->state == FAULT_UNKNOWN ?
	    "unknown-cause" : "ambiguous");
	if (ev == STORE_EV_CLEARED)
		printf(" reason %s", clear_reason_name(f->reason));
	else if (a != NULL)
		printf(" \"%s\"", a->title);
	if (a != NULL && a->origin != KB_ORIGIN_CURATED)
		printf(" [%s]", kb_origin_name(a->origin));
	printf(" at %s\n", ts);
}

/*
 * What rests on a draft says so, with the cause and remedy it gives
 * ("not yet reviewed: see KB article Q..." until someone writes them).
 */
static void
print_text_origin(const struct cli *c, const struct fault *f)
{
	const struct kb_article *a = verdict_article(c->kb, f);
	char buf[KB_TEXT_MAX];

	if (f->state == FAULT_UNKNOWN) {
		verdict_remedy(c->kb, f, buf, sizeof(buf));
		printf("    cause not in the knowledge base: %s\n", buf);
	}
	if (a == NULL || a->origin == KB_ORIGIN_CURATED)
		return;
	printf("    origin %s\n    cause %s\n    resolution %s\n",
	    kb_origin_name(a->origin), a->cause, a->resolution);
}

static void
byserver_build(const struct cli *c, struct byserver *bs)
{
	size_t i, n = store_nfaults(c->st);
	uint32_t sv;

	bs->nsrv = store_nservers(c->st);
	bs->start = calloc(bs->nsrv + 2, sizeof(*bs->start));
	bs->pos = malloc((n ? n : 1) * sizeof(*bs->pos));
	if (bs->start == NULL || bs->pos == NULL) {
		byserver_free(bs);
		return;
	}
	/* Counting sort on the server index: stable, so in fault order. */
	for (i = 0; i < n; i++)
		if ((sv = store_fault_at(c->st, i)->server) <= bs->nsrv)
			bs->start[sv + 1]++;
	for (i = 1; i < bs->nsrv + 2; i++)
		bs->start[i] += bs->start[i - 1];
	for (i = 0; i < n; i++)
		if ((sv = store_fault_at(c->st, i)->server) <= bs->nsrv)
			bs->pos[bs->start[sv]++] = i;
	/* Each start moved to the next one's: shift back. */
	for (i = bs->nsrv + 1; i > 0; i--)
		bs->start[i] = bs->start[i - 1];
	bs->start[0] = 0;
}

static void
byserver_free(struct byserver *bs)
{
	free(bs->start);
	free(bs->pos);
	bs->start = NULL;
	bs->pos = NULL;
}

/*
 * The fault of server after the one *j stood for (*j = 0: the first),
 * NULL when there is no more.
 */
static const struct fault *
byserver_next(const struct cli *c, const struct byserver *bs,
    uint32_t server, size_t *j)
{
	const struct fault *f;

	if (bs->pos != NULL) {
		if (server > bs->nsrv || *j >= bs->start[server + 1] -
		    bs->start[server])
			return NULL;
		return store_fault_at(c->st, bs->pos[bs->start[server] +
		    (*j)++]);
	}
	while (*j < store_nfaults(c->st)) {
		f = store_fault_at(c->st, (*j)++);
		if (f->server == server)
			return f;
	}
	return NULL;
}

static void
print_text_final(const struct cli *c)
{
	const struct parse_stats *ps = diag_parse_stats(c->d);
	const struct diag_stats *ds = diag_stats(c->d);
	const struct server *s;
	const struct fault *f;
	const struct kb_article *a;
	struct byserver bs;
	char t0[32], t1[32];
	size_t i, j, k;
	uint64_t bad = 0;

	for (i = 1; i < PARSE_WHY__MAX; i++)
		if (i != PARSE_WHY_UNRECOGNISED)
			bad += ps->bad[i];
	printf("\nrecords %llu parsed %llu matched %llu unrecognised %llu "
	    "malformed %llu\n", (unsigned long long)ps->records,
	    (unsigned long long)ps->parsed, (unsigned long long)ds->matched,
	    (unsigned long long)ps->bad[PARSE_WHY_UNRECOGNISED],
	    (unsigned long long)bad);
	for (i = 1; i < PARSE_WHY__MAX; i++)
		if (i != PARSE_WHY_UNRECOGNISED && ps->bad[i])
			printf("  malformed %s %llu\n", parse_why_name(i),
			    (unsigned long long)ps->bad[i]);
	print_text_drops(c);
	byserver_build(c, &bs);
	for (i = 0; i < store_nservers(c->st); i++) {
		s = store_server_at(c->st, i);
		evt_time_fmt(t0, sizeof(t0), s->status_time);
		printf("server %s status %s since %s open %u\n", s->name,
		    ims_status_name(s->status), t0, s->open_faults);
		for (j = 0; (f = byserver_next(c, &bs, s->index, &j)) != NULL;) {
			a = f->article[0] ? kb_find(c->kb, f->article) : NULL;
			evt_time_fmt(t0, sizeof(t0), f->first_seen);
			evt_time_fmt(t1, sizeof(t1), f->last_seen);
			printf("  fault %u %s %s", f->index,
			    fault_state_name(f->state),
			    f->article[0] ? f->article : "-");
			if (f->state == FAULT_CLEARED)
				printf(" (was %s, %s)",
				    fault_state_name(f->last_state),
				    clear_reason_name(f->reason));
			printf(" confidence %u count %llu first %s last %s "
			    "events", f->confidence,
			    (unsigned long long)f->count, t0, t1);
			for (k = 0; k < f->nevidence; k++)
				printf("%s%u", k ? "," : " ", f->evidence[k]);
			printf("\n");
			if (a != NULL)
				printf("    %s\n", a->title);
			print_text_origin(c, f);
			for (k = 0; f->article[0] == '\0' && k < f->ncands; k++)
				printf("    %s %s score %.2f%s%s\n",
				    f->state == FAULT_UNKNOWN ||
				    f->last_state == FAULT_UNKNOWN ? "nearest" :
				    "candidate", f->cands[k].article,
				    f->cands[k].score,
				    f->cands[k].decide[0] ? " decide: " : "",
				    f->cands[k].decide);
		}
	}
	byserver_free(&bs);
}


static void
json_time(FILE *fp, int64_t t)
{
	char ts[32];

	if (t == EVT_TIME_NONE) {
		fputs("null", fp);
		return;
	}
	evt_time_fmt(ts, sizeof(ts), t);
	json_str(fp, ts);
}

static void
print_json_fault(const struct cli *c, const struct fault *f)
{
	const struct kb_article *a, *cand;
	size_t k;

	a = f->article[0] ? kb_find(c->kb, f->article) : NULL;
	printf("{\"index\":%u,\"article\":", f->index);
	if (a != NULL)
		json_str(stdout, a->id);
	else
		printf("null");
	printf(",\"title\":");
	if (a != NULL)
		json_str(stdout, a->title);
	else
		printf("null");
	printf(",\"state\":\"%s\",\"confidence\":%u,\"count\":%llu,"
	    "\"first_seen\":", fault_state_name(f->state), f->confidence,
	    (unsigned long long)f->count);
	json_time(stdout, f->first_seen);
	printf(",\"last_seen\":");
	json_time(stdout, f->last_seen);
	printf(",\"evidence\":[");
	for (k = 0; k < f->nevidence; k++)
		printf("%s%u", k ? "," : "", f->evidence[k]);
	printf("]");
	/* Present only for what rests on a draft or a reference entry. */
	if (verdict_origin(c->kb, f) != KB_ORIGIN_CURATED)
		printf(",\"origin\":\"%s\"",
		    kb_origin_name(verdict_origin(c->kb, f)));
	if (a != NULL && a->origin != KB_ORIGIN_CURATED) {
		printf(",\"cause\":");
		json_str(stdout, a->cause);
		printf(",\"resolution\":");
		json_str(stdout, a->resolution);
	}
	printf(",\"candidates\":[");
	for (k = 0; k < f->ncands; k++) {
		cand = kb_find(c->kb, f->cands[k].article);
		printf("%s{\"article\":", k ? "," : "");
		json_str(stdout, f->cands[k].article);
		if (cand != NULL && cand->origin != KB_ORIGIN_CURATED)
			printf(",\"origin\":\"%s\"",
			    kb_origin_name(cand->origin));
		printf(",\"rank\":%zu,\"score\":%.4f,\"decide\":", k + 1,
		    f->cands[k].score);
		json_str(stdout, f->cands[k].decide);
		printf("}");
	}
	printf("],\"acked\":%s,\"clear_reason\":", f->acked ? "true" : "false");
	if (f->state == FAULT_CLEARED)
		printf("\"%s\",\"cleared_at\":", clear_reason_name(f->reason));
	else
		printf("null,\"cleared_at\":");
	if (f->state == FAULT_CLEARED)
		json_time(stdout, f->cleared_at);
	else
		printf("null");
	printf("}");
}

static void
print_json_final(const struct cli *c)
{
	const struct parse_stats *ps = diag_parse_stats(c->d);
	const struct diag_stats *ds = diag_stats(c->d);
	const struct server *s;
	const struct fault *f;
	struct byserver bs;
	size_t i, j, nf;

	printf("],\"stats\":{\"lines\":%llu,\"records\":%llu,\"parsed\":%llu,"
	    "\"matched\":%llu,\"malformed\":{", (unsigned long long)c->lines,
	    (unsigned long long)ps->records, (unsigned long long)ps->parsed,
	    (unsigned long long)ds->matched);
	for (nf = 0, i = 1; i < PARSE_WHY__MAX; i++)
		printf("%s\"%s\":%llu", nf++ ? "," : "", parse_why_name(i),
		    (unsigned long long)ps->bad[i]);
	printf("},\"dropped\":{\"hosts\":%llu,\"episodes\":%llu,"
	    "\"evidence\":%llu,\"nohost\":%llu,\"servers\":%llu,"
	    "\"faults\":%llu}},\"servers\":[",
	    (unsigned long long)ds->dropped[DIAG_DROP_HOSTS],
	    (unsigned long long)ds->dropped[DIAG_DROP_EPISODES],
	    (unsigned long long)ds->dropped[DIAG_DROP_EVIDENCE],
	    (unsigned long long)ds->dropped[DIAG_DROP_NOHOST],
	    (unsigned long long)store_stats(c->st)->dropped[STORE_DROP_SERVERS],
	    (unsigned long long)store_stats(c->st)->dropped[STORE_DROP_FAULTS]);
	byserver_build(c, &bs);
	for (i = 0; i < store_nservers(c->st); i++) {
		s = store_server_at(c->st, i);
		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, s->name);
		printf(",\"status\":\"%s\",\"status_time\":",
		    ims_status_name(s->status));
		json_time(stdout, s->status_time);
		printf(",\"last_event_time\":");
		json_time(stdout, s->last_event_time);
		printf(",\"last_event_id\":%d,\"open_faults\":%u,\"faults\":[",
		    s->last_event_id, s->open_faults);
		for (nf = 0, j = 0;
		    (f = byserver_next(c, &bs, s->index, &j)) != NULL;) {
			if (nf++)
				printf(",");
			print_json_fault(c, f);
		}
		printf("]}");
	}
	printf("]}\n");
	byserver_free(&bs);
}
