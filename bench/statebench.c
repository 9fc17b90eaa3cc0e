/*
 * statebench: what saving the state costs (bench/state.sh).
 *
 *	statebench replay KBDIR CORPUS [STATEDIR [fsync]]
 *	statebench fill KBDIR STATEDIR SERVERS HISTORY
 *	statebench restart KBDIR STATEDIR
 *
 * replay: every line of CORPUS through the diagnosis engine, as imsmond
 * does, with the state saved under STATEDIR (or not, without it): commits
 * on the clock every second, and, after a batch of records (BATCH, as
 * many as imsmond's reader hands over in one go) that made a
 * notification, the group commit that must cover it before it may go
 * (state_sync_group(): at once, or when the window since the last one
 * has passed; meanwhile the records go on); "fsync": with stateFsync
 * yes.  Prints "replay LINES NANOSECONDS COMMITS GROUP_COMMITS CPU_NS"
 * (CPU: user + system time of the process over the replay).
 * STATE_GROUP_MS in the environment: another group commit window (ms).
 * fill: a state of SERVERS servers and HISTORY cleared faults (plus one
 * open fault on every tenth server), committed as imsmond would.
 * restart: the store and the engine rebuilt from STATEDIR, as imsmond
 * starts.  Prints "restart NANOSECONDS SERVERS FAULTS MAXRSS_KB".
 */
#include <sys/resource.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag/diag.h"
#include "state/state.h"

#define NOW	953510400	/* 2000-03-20, after the corpus */
#define BATCH	256		/* imsmond's IMSD_DRAIN_BUDGET */

static uint64_t	 notified;	/* seq of the newest notification waiting */

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
on_trans(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *s)
{
	(void)arg;
	(void)f;
	(void)s;
	if (store_ev_notifies(t->kind))
		notified = t->seq;
}

static int64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
die(const char *what)
{
	fprintf(stderr, "statebench: %s: %s\n", what, strerror(errno));
	exit(1);
}

struct rig {
	struct kb	*kb;
	struct store	*st;
	struct diag	*d;
	struct state	*state;
};

static int	 want_fsync;

static void
rig_open(struct rig *r, const char *kbdir, const struct store_limits *lim,
    const char *dir)
{
	struct kb_errors errs;
	struct diag_conf dc;
	struct state_conf sc;

	memset(&errs, 0, sizeof(errs));
	if ((r->kb = kb_load(kbdir, &errs)) == NULL)
		die(kbdir);
	diag_conf_default(&dc);
	dc.max_hosts = lim->max_servers;
	if ((r->st = store_new(lim)) == NULL ||
	    (r->d = diag_new(r->kb, r->st, &dc)) == NULL)
		die("store");
	r->state = NULL;
	if (dir == NULL)
		return;
	state_conf_default(&sc);
	sc.dir = dir;
	sc.restore_cleared = lim->max_cleared;
	sc.history_max = 1000000;
	sc.fsync = want_fsync;
	if (getenv("STATE_GROUP_MS") != NULL)
		sc.group_ms = strtoll(getenv("STATE_GROUP_MS"), NULL, 10);
	if ((r->state = state_open(&sc, r->st, r->d, (int64_t)time(NULL))) ==
	    NULL)
		die(dir);
}

static void
rig_close(struct rig *r)
{
	state_close(r->state, (int64_t)time(NULL));
	diag_free(r->d);
	store_free(r->st);
	kb_free(r->kb);
}

static int
replay(const char *kbdir, const char *corpus, const char *dir)
{
	struct store_limits lim;
	struct rig r;
	FILE *fp;
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	int64_t t0, t1, c0, c1, wait;
	uint64_t commits = 0, group = 0;

	store_limits_default(&lim);
	rig_open(&r, kbdir, &lim, dir);
	store_observe(r.st, on_trans, NULL);
	if ((fp = fopen(corpus, "r")) == NULL)
		die(corpus);
	t0 = now_ns();
	c0 = cpu_ns();
	while ((len = getline(&line, &cap, fp)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		(void)diag_record(r.d, (const uint8_t *)line, (size_t)len,
		    NULL, NOW, NULL);
		if (++n % BATCH != 0 || r.state == NULL)
			continue;
		/* The notifications wait for a commit; the records do not. */
		if (notified != 0 && state_sync_group(r.state, notified,
		    (int64_t)time(NULL), now_ns() / 1000000, &wait) != 1)
			notified = 0;
		state_tick(r.state, (int64_t)time(NULL));
	}
	if (r.state != NULL)
		(void)state_sync(r.state, (int64_t)time(NULL));
	t1 = now_ns();
	c1 = cpu_ns();
	if (r.state != NULL) {
		commits = state_stats(r.state)->commits;
		group = state_stats(r.state)->group_commits;
		if (getenv("STATEBENCH_VERBOSE") != NULL)
			fprintf(stderr, "rows %llu pages %llu\n",
			    (unsigned long long)
			    state_stats(r.state)->rows_written,
			    (unsigned long long)
			    state_stats(r.state)->pages_written);
	}
	printf("replay %zu %lld %llu %llu %lld\n", n, (long long)(t1 - t0),
	    (unsigned long long)commits, (unsigned long long)group,
	    (long long)(c1 - c0));
	free(line);
	fclose(fp);
	rig_close(&r);
	return 0;
}

static int
fill(const char *kbdir, const char *dir, size_t nservers, size_t history)
{
	struct store_limits lim;
	struct rig r;
	const struct server *s;
	const struct fault *f;
	char host[32], art[16];
	size_t i;
	int64_t now = (int64_t)time(NULL);

	store_limits_default(&lim);
	lim.max_servers = nservers;
	lim.max_open = nservers;
	rig_open(&r, kbdir, &lim, dir);
	for (i = 0; i < nservers; i++) {
		snprintf(host, sizeof(host), "EXCH%05zu", i);
		if ((s = store_server_add(r.st, host, now)) == NULL)
			die("server");
		store_server_heard(r.st, s, NOW - 3600, 7036, (int64_t)i,
		    "192.0.2.1", now);
		store_server_status(r.st, s, IMS_STATUS_RUNNING, NOW - 3600,
		    now, "event Service_Control_Manager 7036 (_status.kb:10)");
	}
	for (i = 0; i < history + nservers / 10; i++) {
		s = store_server_at(r.st, i % nservers);
		snprintf(art, sizeof(art), "Q%06zu", 100000 + i % 50);
		if ((f = store_fault_find(r.st, s->index, art)) == NULL &&
		    (f = store_fault_open(r.st, s, art, FAULT_DIAGNOSED,
		    NOW - 600, now)) == NULL)
			die("fault");
		store_fault_seen(r.st, f, 4143, NOW - 600);
		store_fault_changed(r.st, f, STORE_EV_OPENED, now);
		if (i < history)
			store_fault_clear(r.st, f, CLEAR_RECOVERED, NOW - 300,
			    now);
		if (i % 1000 == 0)
			state_tick(r.state, now + (int64_t)i);
	}
	rig_close(&r);
	return 0;
}

static int
restart(const char *kbdir, const char *dir)
{
	struct store_limits lim;
	struct rig r;
	struct rusage ru;
	int64_t t0, t1;

	store_limits_default(&lim);
	lim.max_servers = 10000;
	lim.max_open = 10000;
	t0 = now_ns();
	rig_open(&r, kbdir, &lim, dir);
	t1 = now_ns();
	getrusage(RUSAGE_SELF, &ru);
	printf("restart %lld %zu %zu %ld\n", (long long)(t1 - t0),
	    store_nservers(r.st), store_nfaults(r.st), ru.ru_maxrss);
	rig_close(&r);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "replay") == 0) {
		want_fsync = argc > 5 && strcmp(argv[5], "fsync") == 0;
		return replay(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
	}
	if (argc == 6 && strcmp(argv[1], "fill") == 0)
		return fill(argv[2], argv[3], strtoul(argv[4], NULL, 10),
		    strtoul(argv[5], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "restart") == 0)
		return restart(argv[2], argv[3]);
	fprintf(stderr, "usage: statebench replay KBDIR CORPUS [STATEDIR "
	    "[fsync]]\n"
	    "       statebench fill KBDIR STATEDIR SERVERS HISTORY\n"
	    "       statebench restart KBDIR STATEDIR\n");
	return 2;
}
