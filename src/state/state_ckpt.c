/*
 * state_ckpt: the WAL checkpoints, off the commit path.
 *
 * SQLite's automatic checkpoint runs inside the commit that pushes the
 * WAL past its threshold: that commit copies the WAL's pages into the
 * database and, with synchronous NORMAL or FULL, fsyncs both files
 * first.  A commit a notification waits for (a group commit) could so
 * take tens of milliseconds instead of a fraction of one.  Here the
 * automatic checkpoint is off (our WAL hook replaces it), the hook only
 * notes the WAL's size, and when it passes conf.ckpt_frames a thread of
 * our own, with a connection of its own, runs a PASSIVE checkpoint: it
 * copies what no reader still needs and never blocks the writer, which
 * goes on committing into the WAL meanwhile.  The thread is started the
 * first time it is wanted (a fork does not carry threads: imsmond goes
 * to the background before it opens the state).  When it cannot be
 * had, the checkpoint runs in the commit as SQLite's would.
 *
 * The thread touches nothing of struct state but s->ck (under ck.mu) and
 * its own connection; state_ckpt_stats() copies its counters into
 * s->stats on the SNMP thread.
 */
#include "state/state_int.h"
#include "util/mono.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <syslog.h>

static int	 wal_hook(void *, sqlite3 *, const char *, int);
static void	*ckpt_main(void *);
static int	 ckpt_start(struct state *);


/* After the database is open: our hook instead of the automatic one. */
void
state_ckpt_init(struct state *s)
{
	char sql[64];

	if (!s->ck.init) {
		pthread_mutex_init(&s->ck.mu, NULL);
		pthread_cond_init(&s->ck.cv, NULL);
		s->ck.init = 1;
	}
	/* A WAL grown past the limit is cut back when it is reset. */
	snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit = %lld",
	    (long long)STATE_WAL_LIMIT);
	(void)state_db_exec(s, sql);
	sqlite3_wal_hook(s->db, wal_hook, s);
}

/* After every commit, on the committing thread: note, maybe wake. */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct state *s = arg;

	s->wal_frames = frames;
	if (s->conf.ckpt_frames == 0 || frames < s->conf.ckpt_frames)
		return SQLITE_OK;
	if (ckpt_start(s) == -1) {
		/* No thread: as SQLite's own automatic checkpoint would. */
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		s->stats.checkpoints_inline++;
		return SQLITE_OK;
	}
	pthread_mutex_lock(&s->ck.mu);
	s->ck.want = 1;
	pthread_cond_signal(&s->ck.cv);
	pthread_mutex_unlock(&s->ck.mu);
	return SQLITE_OK;
}

/* The thread and its connection, unless this process has them. */
static int
ckpt_start(struct state *s)
{
	int rc;

	if (s->ck.started)
		return 0;
	if (s->ck.failed)
		return -1;
	s->ck.stop = 0;
	if (sqlite3_open_v2(s->path, &s->ck.cdb, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		state_log(s, LOG_WARNING, "state %s: no checkpoint thread "
		    "(%s); checkpoints run in the commits",
		    s->path, s->ck.cdb != NULL ? sqlite3_errmsg(s->ck.cdb) :
		    "out of memory");
		sqlite3_close(s->ck.cdb);
		s->ck.cdb = NULL;
		s->ck.failed = 1;
		return -1;
	}
	sqlite3_busy_timeout(s->ck.cdb, BUSY_MS);
	/* A first read opens the WAL; before it a checkpoint does nothing. */
	(void)sqlite3_exec(s->ck.cdb, "SELECT count(*) FROM sqlite_master",
	    NULL, NULL, NULL);
	if ((rc = pthread_create(&s->ck.th, NULL, ckpt_main, s)) != 0) {
		state_log(s, LOG_WARNING, "state %s: no checkpoint thread "
		    "(%s); checkpoints run in the commits", s->path,
		    strerror(rc));
		sqlite3_close(s->ck.cdb);
		s->ck.cdb = NULL;
		s->ck.failed = 1;
		return -1;
	}
	s->ck.started = 1;
	return 0;
}

static void *
ckpt_main(void *arg)
{
	struct state *s = arg;
	int64_t t0, us;
	int rc, log, done;

	pthread_mutex_lock(&s->ck.mu);
	for (;;) {
		while (!s->ck.want && !s->ck.stop)
			pthread_cond_wait(&s->ck.cv, &s->ck.mu);
		if (s->ck.stop)
			break;
		s->ck.want = 0;
		pthread_mutex_unlock(&s->ck.mu);
		t0 = mono_us();
		log = done = 0;
		rc = sqlite3_wal_checkpoint_v2(s->ck.cdb, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		us = mono_us() - t0;
		pthread_mutex_lock(&s->ck.mu);
		if (rc == SQLITE_OK) {
			s->ck.runs++;
			s->ck.frames += done > 0 ? (uint64_t)done : 0;
		} else
			s->ck.fails++;
		if (us > s->ck.longest_us)
			s->ck.longest_us = us;
	}
	pthread_mutex_unlock(&s->ck.mu);
	return NULL;
}

/* The thread's counters into s->stats (the caller's thread). */
void
state_ckpt_stats(struct state *s)
{
	if (!s->ck.init)
		return;
	pthread_mutex_lock(&s->ck.mu);
	s->stats.checkpoints = s->ck.runs;
	s->stats.checkpoint_failures = s->ck.fails;
	s->stats.checkpoint_frames = s->ck.frames;
	s->stats.checkpoint_longest_us = s->ck.longest_us;
	pthread_mutex_unlock(&s->ck.mu);
}

/* Before the main connection closes: the thread ends, then its own. */
void
state_ckpt_stop(struct state *s)
{
	if (!s->ck.init)
		return;
	if (s->ck.started) {
		pthread_mutex_lock(&s->ck.mu);
		s->ck.stop = 1;
		pthread_cond_signal(&s->ck.cv);
		pthread_mutex_unlock(&s->ck.mu);
		pthread_join(s->ck.th, NULL);
		sqlite3_close(s->ck.cdb);
	}
	s->ck.started = 0;
	s->ck.cdb = NULL;
	state_ckpt_stats(s);
	pthread_cond_destroy(&s->ck.cv);
	pthread_mutex_destroy(&s->ck.mu);
	s->ck.init = 0;
}
