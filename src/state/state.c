#include "state/state.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <syslog.h>

#define PENDING_NTF_MAX		8192	/* notification rows not committed */
#define PENDING_CLEARED_MAX	1024	/* cleared faults not committed */
#define PENDING_GONE_MAX	1024	/* evicted servers not committed */
#define PRUNE_SECS		60
#define BUSY_MS			500
#define DIRTY_CHUNK		1024	/* servers written per store call */
#define TSRV_MAX		256	/* servers with a transition, pending */
#define CANDFP_MAX		4096	/* faults whose saved candidates are
					   known (a cache, by index) */
#define EPFP_MAX		4096	/* servers whose saved episodes are
					   known (a cache, by index) */

/*
 * The schema, one step per version: a database at version n runs steps
 * n+1.. in one transaction with the new user_version.  Never edit a step
 * that shipped; add one.
 */
static const char *const schema_steps[STATE_SCHEMA] = {
	/* 1: servers, faults with candidates, the notification log. */
	"CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);"
	"CREATE TABLE server (idx INTEGER PRIMARY KEY, key TEXT NOT NULL"
	" UNIQUE, name TEXT NOT NULL, status INTEGER, prev_status INTEGER,"
	" status_time INTEGER, last_event_time INTEGER,"
	" last_event_id INTEGER, events INTEGER, last_seq INTEGER,"
	" seq_gaps INTEGER, seq_lost INTEGER);"
	"CREATE TABLE fault (idx INTEGER PRIMARY KEY, server INTEGER,"
	" host TEXT, article TEXT, state INTEGER, last_state INTEGER,"
	" confidence INTEGER, count INTEGER, first_seen INTEGER,"
	" last_seen INTEGER, evidence TEXT, reason INTEGER,"
	" cleared_at INTEGER, acked INTEGER, touched INTEGER);"
	"CREATE INDEX fault_state ON fault (state, idx);"
	"CREATE TABLE cand (fault INTEGER, rank INTEGER, article TEXT,"
	" score REAL, decide TEXT, PRIMARY KEY (fault, rank));"
	"CREATE TABLE ntf (seq INTEGER PRIMARY KEY, kind INTEGER,"
	" evtime INTEGER, wall INTEGER, fault INTEGER, server INTEGER,"
	" host TEXT, article TEXT, fault_state INTEGER, status INTEGER,"
	" prev_status INTEGER);",
	/*
	 * 2: status since/why, addresses, eviction order, acks' times,
	 * open correlation episodes.
	 */
	"ALTER TABLE server ADD COLUMN addr TEXT DEFAULT '';"
	"ALTER TABLE server ADD COLUMN status_wall INTEGER DEFAULT 0;"
	"ALTER TABLE server ADD COLUMN status_why TEXT DEFAULT '';"
	"ALTER TABLE server ADD COLUMN heard INTEGER DEFAULT 0;"
	"ALTER TABLE server ADD COLUMN born INTEGER DEFAULT 0;"
	"ALTER TABLE server ADD COLUMN h_status_time INTEGER;"
	"ALTER TABLE server ADD COLUMN h_recovered INTEGER;"
	"ALTER TABLE fault ADD COLUMN acked_at INTEGER DEFAULT 0;"
	"ALTER TABLE fault ADD COLUMN opened_at INTEGER DEFAULT 0;"
	"ALTER TABLE fault ADD COLUMN seq INTEGER DEFAULT 0;"
	"CREATE TABLE episode (server INTEGER, n INTEGER, first INTEGER,"
	" last INTEGER, touched INTEGER, fault INTEGER, owns INTEGER,"
	" items TEXT, PRIMARY KEY (server, n));"
};

enum {
	Q_SERVER, Q_SERVER_DEL_KEY, Q_FAULT, Q_CAND_DEL, Q_CAND, Q_NTF,
	Q_EP_DEL, Q_EP, Q_META, Q_NTF_NEXT, Q_SERVER_UPD, Q_FAULT_UPD,
	Q_BEGIN, Q_COMMIT, Q_META_UPD, Q__MAX
};

static const char *const queries[Q__MAX] = {
	"INSERT OR REPLACE INTO server (idx, key, name, status, prev_status,"
	" status_time, last_event_time, last_event_id, events, last_seq,"
	" seq_gaps, seq_lost, addr, status_wall, status_why, heard, born,"
	" h_status_time, h_recovered) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
	"DELETE FROM server WHERE key = ?1",
	"INSERT OR REPLACE INTO fault (idx, server, host, article, state,"
	" last_state, confidence, count, first_seen, last_seen, evidence,"
	" reason, cleared_at, acked, touched, acked_at, opened_at, seq)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" ?14, ?15, ?16, ?17, ?18)",
	"DELETE FROM cand WHERE fault = ?1",
	"INSERT INTO cand (fault, rank, article, score, decide)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	"INSERT OR REPLACE INTO ntf (seq, kind, evtime, wall, fault, server,"
	" host, article, fault_state, status, prev_status)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	"DELETE FROM episode WHERE server = ?1",
	"INSERT INTO episode (server, n, first, last, touched, fault, owns,"
	" items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	"INSERT OR REPLACE INTO meta (k, v) VALUES (?1, ?2)",
	"SELECT seq, kind, evtime, wall, fault, server, host, article,"
	" fault_state, status, prev_status FROM ntf WHERE seq > ?1"
	" ORDER BY seq LIMIT 1",
	/*
	 * A row that is there is updated in place: REPLACE would delete it
	 * and its index entries and insert them again, pages written for
	 * nothing.  A server's key never changes under its index.
	 */
	"UPDATE server SET name = ?3, status = ?4, prev_status = ?5,"
	" status_time = ?6, last_event_time = ?7, last_event_id = ?8,"
	" events = ?9, last_seq = ?10, seq_gaps = ?11, seq_lost = ?12,"
	" addr = ?13, status_wall = ?14, status_why = ?15, heard = ?16,"
	" born = ?17, h_status_time = ?18, h_recovered = ?19"
	" WHERE idx = ?1 AND key = ?2",
	"UPDATE fault SET server = ?2, host = ?3, article = ?4, state = ?5,"
	" last_state = ?6, confidence = ?7, count = ?8, first_seen = ?9,"
	" last_seen = ?10, evidence = ?11, reason = ?12, cleared_at = ?13,"
	" acked = ?14, touched = ?15, acked_at = ?16, opened_at = ?17,"
	" seq = ?18 WHERE idx = ?1",
	"BEGIN IMMEDIATE",
	"COMMIT",
	"UPDATE meta SET v = ?2 WHERE k = ?1",
};

struct state {
	struct state_conf	 conf;
	char			 dir[PATH_MAX];
	char			 path[PATH_MAX];
	char			 aside[PATH_MAX + 256];
	struct store		*st;
	struct diag		*d;
	sqlite3			*db;
	sqlite3_stmt		*q[Q__MAX];
	enum state_health	 health;
	struct state_stats	 stats;
	uint64_t		 committed;	/* store seq in the database */
	uint64_t		 saved;		/* every notifying transition up
						   to this seq is in it */
	int64_t			 group_at;	/* ms of the last group commit */
	int			 full;		/* next commit writes all */
	int64_t			 next_commit;
	int64_t			 next_prune;
	int64_t			 retry_at;	/* while unsaved */
	int64_t			 logged;	/* last failure line */
	uint64_t		 unlogged;	/* failures since */
	uint32_t		 dirty[DIRTY_CHUNK];
	uint32_t		 tflt[TSRV_MAX];	/* faults that notified */
	size_t			 ntflt;
	uint32_t		 tsrv[TSRV_MAX];	/* servers with transitions */
	size_t			 ntsrv;
	int			 tsrv_lost;	/* more: the next sync drains all */
	/*
	 * What the cand rows of a fault hold, by a hash of them: a fault
	 * written again with the same candidates (a repeat, a clearing)
	 * leaves them alone.  Emptied when a transaction fails or rows are
	 * pruned, so it never claims what the database lacks.
	 */
	struct {
		uint32_t	 fault;
		uint64_t	 fp;
	}			 candfp[CANDFP_MAX];
	/* The same for the episode rows of a server. */
	struct {
		uint32_t	 server;
		uint64_t	 fp;
	}			 epfp[EPFP_MAX];
	uint64_t		 ep_hash;	/* ep_fp()'s */
	uint32_t		 ep_server;	/* put_episode()'s */
	int64_t			 ep_n;
	struct state_ntf	*ntf;		/* ring */
	size_t			 ntf_head, nntf;
	struct fault		*cleared;	/* copies, PENDING_CLEARED_MAX */
	size_t			 ncleared;
	char			(*gone)[NORM_HOST_MAX];	/* evicted keys */
	size_t			 ngone;
	int			 gone_lost;	/* more than fit: full write */
};

static void	 slog(struct state *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	 db_open(struct state *, char *, size_t);
static int	 db_schema(struct state *, char *, size_t);
static void	 db_close(struct state *);
static int	 db_exec(struct state *, const char *);
static void	 move_aside(struct state *, const char *, int64_t);
static int	 restore(struct state *);
static void	 parse_evidence(struct fault *, const char *);
static void	 col_text(sqlite3_stmt *, int, char *, size_t);
static void	 observer(void *, const struct store_trans *,
		    const struct fault *, const struct server *);
static int	 commit(struct state *, int64_t, int);
static int	 put_server(struct state *, const struct server *, int);
static int	 put_fault(struct state *, const struct fault *);
static int	 put_ntf(struct state *, const struct state_ntf *);
static int	 put_meta(struct state *, const char *, int64_t);
static int	 put_episode(void *, const struct diag_ep *);
static uint64_t	 fnv(uint64_t, const void *, size_t);
static int	 step_done(struct state *, sqlite3_stmt *);
static void	 prune(struct state *, int64_t);

void
state_conf_default(struct state_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->sync_interval = 1;
	c->group_ms = STATE_GROUP_MS;
	c->history_age = 90 * 86400;
	c->history_max = 100000;
	c->log_max = 10000;
	c->restore_cleared = 1024;
}

static void
slog(struct state *s, int prio, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (s->conf.log == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->conf.log(s->conf.log_arg, prio, buf);
}

const char *
state_health_name(enum state_health h)
{
	switch (h) {
	case STATE_OK:
		return "ok";
	case STATE_RESET:
		return "reset";
	case STATE_UNSAVED:
		return "unsaved";
	case STATE_OFF:
		return "off";
	}
	return "unknown";
}

static int
db_exec(struct state *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 :
	    -1;
}

static void
db_close(struct state *s)
{
	size_t i;

	for (i = 0; i < Q__MAX; i++) {
		sqlite3_finalize(s->q[i]);
		s->q[i] = NULL;
	}
	if (s->db != NULL)
		sqlite3_close(s->db);
	s->db = NULL;
}

/* One integer from a one-row statement; -1 with why on failure. */
static int
db_int(struct state *s, const char *sql, int64_t *out, char *why, size_t sz)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_step(q)) != SQLITE_ROW) {
		snprintf(why, sz, "%s: %s", sql, sqlite3_errstr(rc));
		sqlite3_finalize(q);
		return -1;
	}
	*out = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return 0;
}

/* Bring an empty or older database to STATE_SCHEMA, in one transaction. */
static int
db_schema(struct state *s, char *why, size_t sz)
{
	int64_t v;
	char sql[64];
	int i;

	if (db_int(s, "PRAGMA user_version", &v, why, sz) == -1)
		return -1;
	if (v > STATE_SCHEMA || v < 0) {
		snprintf(why, sz, "schema version %lld, this imsmon knows up "
		    "to %d", (long long)v, STATE_SCHEMA);
		return -1;
	}
	if (v == STATE_SCHEMA)
		return 0;
	if (db_exec(s, "BEGIN IMMEDIATE") == -1)
		goto fail;
	for (i = (int)v; i < STATE_SCHEMA; i++)
		if (db_exec(s, schema_steps[i]) == -1)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STATE_SCHEMA);
	if (db_exec(s, sql) == -1 || db_exec(s, "COMMIT") == -1)
		goto fail;
	if (v > 0)
		slog(s, LOG_NOTICE, "state %s: schema version %lld upgraded "
		    "to %d", s->path, (long long)v, STATE_SCHEMA);
	return 0;
fail:
	snprintf(why, sz, "creating the schema: %s", sqlite3_errmsg(s->db));
	(void)db_exec(s, "ROLLBACK");
	return -1;
}

/*
 * Open and check: a probe (a file that is not SQLite opens fine and fails
 * at the first statement), quick_check, the schema version, WAL (fails on
 * a read-only file), a write lock (fails when another process holds it).
 */
static int
db_open(struct state *s, char *why, size_t sz)
{
	int64_t v;
	sqlite3_stmt *q = NULL;
	const char *r;
	size_t i;
	int rc;

	rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(why, sz, "open: %s", sqlite3_errstr(rc));
		return -1;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_MS);
	if (db_int(s, "PRAGMA user_version", &v, why, sz) == -1)
		return -1;
	if ((rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &q,
	    NULL)) != SQLITE_OK || (rc = sqlite3_step(q)) != SQLITE_ROW ||
	    (r = (const char *)sqlite3_column_text(q, 0)) == NULL ||
	    strcmp(r, "ok") != 0) {
		snprintf(why, sz, "quick_check: %s", rc == SQLITE_ROW &&
		    sqlite3_column_text(q, 0) != NULL ?
		    (const char *)sqlite3_column_text(q, 0) :
		    sqlite3_errstr(rc));
		sqlite3_finalize(q);
		return -1;
	}
	sqlite3_finalize(q);
	if (sqlite3_db_readonly(s->db, "main") == 1) {
		snprintf(why, sz, "read-only");
		return -1;
	}
	if ((rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1,
	    &q, NULL)) != SQLITE_OK || (rc = sqlite3_step(q)) != SQLITE_ROW ||
	    (r = (const char *)sqlite3_column_text(q, 0)) == NULL ||
	    strcmp(r, "wal") != 0) {
		snprintf(why, sz, "journal_mode WAL: %s",
		    sqlite3_errmsg(s->db));
		sqlite3_finalize(q);
		return -1;
	}
	sqlite3_finalize(q);
	/*
	 * WAL with NORMAL: a commit is in the OS before it returns, so it
	 * survives any crash of imsmond; FULL also fsyncs each commit, for
	 * power loss, at about ten times the cost of a commit.
	 */
	if (db_exec(s, s->conf.fsync ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL") == -1 ||
	    db_exec(s, "PRAGMA wal_autocheckpoint = 4096") == -1 ||
	    db_exec(s, "BEGIN IMMEDIATE") == -1 || db_exec(s, "COMMIT") == -1) {
		snprintf(why, sz, "taking the write lock: %s",
		    sqlite3_errmsg(s->db));
		return -1;
	}
	if (db_schema(s, why, sz) == -1)
		return -1;
	for (i = 0; i < Q__MAX; i++)
		if ((rc = sqlite3_prepare_v3(s->db, queries[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL)) != SQLITE_OK) {
			snprintf(why, sz, "prepare: %s", sqlite3_errmsg(s->db));
			return -1;
		}
	return 0;
}

/* The database and its WAL files go to NAME.aside-TIME; never deleted. */
static void
move_aside(struct state *s, const char *why, int64_t now)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char from[PATH_MAX + 8], to[PATH_MAX + 64], ts[32];
	struct tm tm;
	time_t t = (time_t)now;
	size_t i;
	int moved = 0;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(ts, sizeof(ts), "%lld", (long long)now);
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(from, sizeof(from), "%s%s", s->path, sfx[i]);
		snprintf(to, sizeof(to), "%s.aside-%s%s", s->path, ts, sfx[i]);
		if (access(from, F_OK) != 0)
			continue;
		if (rename(from, to) == -1) {
			slog(s, LOG_ERR, "state %s: cannot move it aside to "
			    "%s: %s", from, to, strerror(errno));
			continue;
		}
		moved = 1;
	}
	snprintf(s->aside, sizeof(s->aside), "%s; moved to %s.aside-%s",
	    why, s->path, ts);
	if (moved)
		slog(s, LOG_ERR, "state %s unusable (%s): moved aside to "
		    "%s.aside-%s, starting with an empty state", s->path, why,
		    s->path, ts);
}

struct state *
state_open(const struct state_conf *conf, struct store *st, struct diag *d,
    int64_t now)
{
	struct state *s;
	char why[512];
	size_t n;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->conf = *conf;
	s->st = st;
	s->d = d;
	s->health = STATE_OK;
	if (conf->dir == NULL || conf->dir[0] == '\0' ||
	    (n = (size_t)snprintf(s->dir, sizeof(s->dir), "%s", conf->dir)) >=
	    sizeof(s->dir) || snprintf(s->path, sizeof(s->path), "%s/%s",
	    s->dir, STATE_FILE) >= (int)sizeof(s->path)) {
		errno = EINVAL;
		goto fail;
	}
	s->conf.dir = s->dir;
	if (s->conf.sync_interval < 0)
		s->conf.sync_interval = 0;
	if ((s->ntf = calloc(PENDING_NTF_MAX, sizeof(*s->ntf))) == NULL ||
	    (s->cleared = calloc(PENDING_CLEARED_MAX,
	    sizeof(*s->cleared))) == NULL ||
	    (s->gone = calloc(PENDING_GONE_MAX, sizeof(*s->gone))) == NULL)
		goto fail;
	if (mkdir(s->dir, 0750) == -1 && errno != EEXIST) {
		slog(s, LOG_ERR, "state directory %s: %s", s->dir,
		    strerror(errno));
		goto fail;
	}
	if (db_open(s, why, sizeof(why)) == -1 || restore(s) == -1) {
		if (why[0] == '\0' || s->db == NULL)
			snprintf(why, sizeof(why), "%s", s->db != NULL ?
			    sqlite3_errmsg(s->db) : "cannot open");
		db_close(s);
		move_aside(s, why, now);
		s->health = STATE_RESET;
		if (db_open(s, why, sizeof(why)) == -1) {
			slog(s, LOG_ERR, "state %s: %s; running without "
			    "saving state", s->path, why);
			db_close(s);
			errno = EIO;
			goto fail;
		}
	}
	s->committed = s->saved = store_seq(st);
	s->next_commit = now + s->conf.sync_interval;
	s->next_prune = now;
	s->stats.last_commit = now;
	if (store_observe(st, observer, s) == -1)
		goto fail;
	slog(s, LOG_INFO, "state %s: %llu servers, %llu faults, %llu "
	    "episodes restored, sequence %llu", s->path,
	    (unsigned long long)s->stats.restored_servers,
	    (unsigned long long)s->stats.restored_faults,
	    (unsigned long long)s->stats.restored_episodes,
	    (unsigned long long)store_seq(st));
	return s;
fail:
	db_close(s);
	free(s->ntf);
	free(s->cleared);
	free(s->gone);
	free(s);
	return NULL;
}

void
state_close(struct state *s, int64_t now)
{
	if (s == NULL)
		return;
	if (s->db != NULL) {
		(void)commit(s, now, 0);
		(void)sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)",
		    NULL, NULL, NULL);
	}
	db_close(s);
	free(s->ntf);
	free(s->cleared);
	free(s->gone);
	free(s);
}

static void
col_text(sqlite3_stmt *q, int i, char *buf, size_t sz)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	snprintf(buf, sz, "%s", t != NULL ? (const char *)t : "");
}

#define SERVER_COLS	"SELECT idx, key, name, status, prev_status," \
	" status_time, last_event_time, last_event_id, events, last_seq," \
	" seq_gaps, seq_lost, addr, status_wall, status_why, heard, born," \
	" h_status_time, h_recovered"
#define FAULT_COLS	"SELECT idx, server, host, article, state," \
	" last_state, confidence, count, first_seen, last_seen, evidence," \
	" reason, cleared_at, acked, touched, acked_at, opened_at, seq"

static void
row_server(sqlite3_stmt *q, struct server *sv)
{
	memset(sv, 0, sizeof(*sv));
	sv->index = (uint32_t)sqlite3_column_int64(q, 0);
	col_text(q, 1, sv->key, sizeof(sv->key));
	col_text(q, 2, sv->name, sizeof(sv->name));
	sv->status = (enum ims_status)sqlite3_column_int(q, 3);
	sv->prev_status = (enum ims_status)sqlite3_column_int(q, 4);
	sv->status_time = sqlite3_column_int64(q, 5);
	sv->last_event_time = sqlite3_column_int64(q, 6);
	sv->last_event_id = sqlite3_column_int(q, 7);
	sv->events = (uint64_t)sqlite3_column_int64(q, 8);
	sv->last_seq = sqlite3_column_int64(q, 9);
	sv->seq_gaps = (uint64_t)sqlite3_column_int64(q, 10);
	sv->seq_lost = (uint64_t)sqlite3_column_int64(q, 11);
	col_text(q, 12, sv->addr, sizeof(sv->addr));
	sv->status_wall = sqlite3_column_int64(q, 13);
	col_text(q, 14, sv->status_why, sizeof(sv->status_why));
	sv->heard = sqlite3_column_int64(q, 15);
	sv->born = (uint64_t)sqlite3_column_int64(q, 16);
	if ((unsigned)sv->status >= IMS_STATUS__MAX)
		sv->status = IMS_STATUS_UNKNOWN;
	if ((unsigned)sv->prev_status >= IMS_STATUS__MAX)
		sv->prev_status = IMS_STATUS_UNKNOWN;
}

static void
row_fault(sqlite3_stmt *q, struct fault *f)
{
	char ev[STORE_EVIDENCE_MAX * 8];

	memset(f, 0, sizeof(*f));
	f->index = (uint32_t)sqlite3_column_int64(q, 0);
	f->server = (uint32_t)sqlite3_column_int64(q, 1);
	col_text(q, 2, f->host, sizeof(f->host));
	col_text(q, 3, f->article, sizeof(f->article));
	f->state = (enum fault_state)sqlite3_column_int(q, 4);
	f->last_state = (enum fault_state)sqlite3_column_int(q, 5);
	f->confidence = (uint32_t)sqlite3_column_int(q, 6);
	f->count = (uint64_t)sqlite3_column_int64(q, 7);
	f->first_seen = sqlite3_column_int64(q, 8);
	f->last_seen = sqlite3_column_int64(q, 9);
	col_text(q, 10, ev, sizeof(ev));
	parse_evidence(f, ev);
	f->reason = (enum clear_reason)sqlite3_column_int(q, 11);
	f->cleared_at = sqlite3_column_int64(q, 12);
	f->acked = sqlite3_column_int(q, 13) != 0;
	f->touched = sqlite3_column_int64(q, 14);
	f->acked_at = sqlite3_column_int64(q, 15);
	f->opened_at = sqlite3_column_int64(q, 16);
	f->seq = (uint64_t)sqlite3_column_int64(q, 17);
}

static int
restore_servers(struct state *s)
{
	sqlite3_stmt *q = NULL;
	struct server sv;
	struct diag_host_state hs;
	int rc;

	if (sqlite3_prepare_v2(s->db, SERVER_COLS " FROM server ORDER BY idx",
	    -1, &q, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_server(q, &sv);
		if (store_restore_server(s->st, &sv) == -1) {
			slog(s, LOG_WARNING, "state: server %u not restored "
			    "(%s)", (unsigned)sv.index, strerror(errno));
			continue;
		}
		s->stats.restored_servers++;
		if (s->d != NULL && sqlite3_column_type(q, 17) != SQLITE_NULL) {
			hs.status_time = sqlite3_column_int64(q, 17);
			hs.recovered = sqlite3_column_int64(q, 18);
			(void)diag_host_restore(s->d, store_server_by_index(
			    s->st, sv.index), &hs);
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
parse_evidence(struct fault *f, const char *t)
{
	char *end;
	unsigned long v;

	while (*t != '\0' && f->nevidence < STORE_EVIDENCE_MAX) {
		v = strtoul(t, &end, 10);
		if (end == t)
			break;
		if (v <= UINT16_MAX)
			f->evidence[f->nevidence++] = (uint16_t)v;
		t = *end == ',' ? end + 1 : end;
	}
}

static int
restore_cands(struct state *s, struct fault *f)
{
	sqlite3_stmt *q = NULL;
	struct store_cand *c;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT article, score, decide FROM cand"
	    " WHERE fault = ?1 ORDER BY rank", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, f->index);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW &&
	    f->ncands < STORE_CANDS_MAX) {
		c = &f->cands[f->ncands++];
		col_text(q, 0, c->article, sizeof(c->article));
		c->score = sqlite3_column_double(q, 1);
		col_text(q, 2, c->decide, sizeof(c->decide));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int
restore_faults(struct state *s, size_t keep)
{
	sqlite3_stmt *q = NULL;
	struct fault f;
	int rc;

	if (sqlite3_prepare_v2(s->db, FAULT_COLS " FROM fault WHERE state != 3"
	    " OR idx IN"
	    " (SELECT idx FROM fault WHERE state = 3 ORDER BY idx DESC"
	    " LIMIT ?1) ORDER BY idx", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)keep);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_fault(q, &f);
		if (f.state < FAULT_AMBIGUOUS || f.state > FAULT_UNKNOWN)
			continue;
		if (restore_cands(s, &f) == -1)
			break;
		/* A fault of a server not restored is history. */
		if (f.state != FAULT_CLEARED &&
		    store_server_by_index(s->st, f.server) == NULL) {
			f.last_state = f.state;
			f.state = FAULT_CLEARED;
			f.reason = CLEAR_NONE;
		}
		if (store_restore_fault(s->st, &f) == -1) {
			slog(s, LOG_WARNING, "state: fault %u not restored "
			    "(%s)", (unsigned)f.index, strerror(errno));
			continue;
		}
		s->stats.restored_faults++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Items: one per line, "count first last match". */
static void
parse_items(struct diag_ep *ep, const char *t)
{
	struct diag_ep_item *it;
	unsigned long c;
	long long a, b;
	const char *nl;
	char *e1, *e2, *e3;
	size_t len, n;

	while (*t != '\0' && ep->nitems < DIAG_EP_ITEMS_MAX) {
		nl = strchr(t, '\n');
		len = nl != NULL ? (size_t)(nl - t) : strlen(t);
		it = &ep->items[ep->nitems];
		c = strtoul(t, &e1, 10);
		a = strtoll(e1, &e2, 10);
		b = strtoll(e2, &e3, 10);
		n = (size_t)(e3 - t);
		if (e1 != t && e2 != e1 && e3 != e2 && *e3 == ' ' &&
		    n + 1 <= len && len - n - 1 < sizeof(it->match)) {
			memcpy(it->match, e3 + 1, len - n - 1);
			it->match[len - n - 1] = '\0';
			it->count = (uint32_t)c;
			it->first = a;
			it->last = b;
			ep->nitems++;
		}
		if (nl == NULL)
			break;
		t = nl + 1;
	}
}

static int
restore_episodes(struct state *s)
{
	sqlite3_stmt *q = NULL;
	const struct server *sv;
	struct diag_ep ep;
	const unsigned char *t;
	int rc;

	if (s->d == NULL)
		return 0;
	if (sqlite3_prepare_v2(s->db, "SELECT server, first, last, touched,"
	    " fault, owns, items FROM episode ORDER BY server, n", -1, &q,
	    NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((sv = store_server_by_index(s->st,
		    (uint32_t)sqlite3_column_int64(q, 0))) == NULL)
			continue;
		memset(&ep, 0, sizeof(ep));
		ep.first = sqlite3_column_int64(q, 1);
		ep.last = sqlite3_column_int64(q, 2);
		ep.touched = sqlite3_column_int64(q, 3);
		ep.fault = (uint32_t)sqlite3_column_int64(q, 4);
		ep.owns = sqlite3_column_int(q, 5);
		if ((t = sqlite3_column_text(q, 6)) != NULL)
			parse_items(&ep, (const char *)t);
		if (diag_episode_restore(s->d, sv, &ep) == 0)
			s->stats.restored_episodes++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The store (and diag's episodes) as the database has them. */
static int
restore(struct state *s)
{
	int64_t seq = 0, next = 1;
	char why[256];

	if (db_int(s, "SELECT coalesce((SELECT v FROM meta WHERE k = 'seq'),"
	    " 0)", &seq, why, sizeof(why)) == -1 ||
	    db_int(s, "SELECT coalesce((SELECT v FROM meta WHERE"
	    " k = 'next_fault'), 1)", &next, why, sizeof(why)) == -1 ||
	    restore_servers(s) == -1 ||
	    restore_faults(s, s->conf.restore_cleared) == -1 ||
	    restore_episodes(s) == -1)
		return -1;
	/* Never below what any row says. */
	store_restore_done(s->st, (uint64_t)seq, (uint32_t)next);
	return 0;
}

/* Every transition: what must reach the database at the next commit. */
static void
observer(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *sv)
{
	struct state *s = arg;
	struct state_ntf *n;

	if (f != NULL && t->kind != STORE_EV_UPDATED &&
	    (s->ntflt == 0 || s->tflt[s->ntflt - 1] != f->index)) {
		if (s->ntflt < TSRV_MAX)
			s->tflt[s->ntflt++] = f->index;
		else
			s->tsrv_lost = 1;
	}
	if (sv != NULL && t->kind != STORE_EV_SERVER_EVICTED &&
	    (s->ntsrv == 0 || s->tsrv[s->ntsrv - 1] != sv->index)) {
		if (s->ntsrv < TSRV_MAX)
			s->tsrv[s->ntsrv++] = sv->index;
		else
			s->tsrv_lost = 1;
	}
	if (t->kind == STORE_EV_SERVER_EVICTED && sv != NULL) {
		if (s->ngone < PENDING_GONE_MAX)
			snprintf(s->gone[s->ngone++], sizeof(s->gone[0]), "%s",
			    sv->key);
		else
			s->gone_lost = 1;
	}
	if (t->kind == STORE_EV_CLEARED && f != NULL) {
		/* Memory may drop it before the commit: keep a copy. */
		if (s->ncleared == PENDING_CLEARED_MAX && s->db != NULL)
			(void)commit(s, t->wall, 0);
		if (s->ncleared < PENDING_CLEARED_MAX)
			s->cleared[s->ncleared++] = *f;
	}
	if (!store_ev_notifies(t->kind))
		return;
	if (s->nntf == PENDING_NTF_MAX) {
		s->ntf_head = (s->ntf_head + 1) % PENDING_NTF_MAX;
		s->nntf--;
		s->stats.log_dropped++;
	}
	n = &s->ntf[(s->ntf_head + s->nntf++) % PENDING_NTF_MAX];
	memset(n, 0, sizeof(*n));
	n->seq = t->seq;
	n->kind = t->kind;
	n->evtime = t->evtime;
	n->wall = t->wall;
	n->fault = t->fault;
	n->server = t->server;
	if (f != NULL) {
		snprintf(n->host, sizeof(n->host), "%s", f->host);
		snprintf(n->article, sizeof(n->article), "%s", f->article);
		n->fault_state = (int)f->state;
	}
	if (sv != NULL) {
		snprintf(n->host, sizeof(n->host), "%s", sv->name);
		n->status = (int)sv->status;
		n->prev_status = (int)sv->prev_status;
	}
}

/* BEGIN or COMMIT, prepared once. */
static int
tx(struct state *s, int which)
{
	int rc = sqlite3_step(s->q[which]);

	sqlite3_reset(s->q[which]);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
step_done(struct state *s, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE)
		return -1;
	s->stats.rows_written++;
	return 0;
}

static void
bind_text(sqlite3_stmt *q, int i, const char *t)
{
	sqlite3_bind_text(q, i, t, -1, SQLITE_TRANSIENT);
}

static void
bind_server(struct state *s, sqlite3_stmt *q, const void *row)
{
	const struct server *sv = row;
	struct diag_host_state hs;

	sqlite3_bind_int64(q, 1, sv->index);
	bind_text(q, 2, sv->key);
	bind_text(q, 3, sv->name);
	sqlite3_bind_int(q, 4, (int)sv->status);
	sqlite3_bind_int(q, 5, (int)sv->prev_status);
	sqlite3_bind_int64(q, 6, sv->status_time);
	sqlite3_bind_int64(q, 7, sv->last_event_time);
	sqlite3_bind_int(q, 8, sv->last_event_id);
	sqlite3_bind_int64(q, 9, (sqlite3_int64)sv->events);
	sqlite3_bind_int64(q, 10, sv->last_seq);
	sqlite3_bind_int64(q, 11, (sqlite3_int64)sv->seq_gaps);
	sqlite3_bind_int64(q, 12, (sqlite3_int64)sv->seq_lost);
	bind_text(q, 13, sv->addr);
	sqlite3_bind_int64(q, 14, sv->status_wall);
	bind_text(q, 15, sv->status_why);
	sqlite3_bind_int64(q, 16, sv->heard);
	sqlite3_bind_int64(q, 17, (sqlite3_int64)sv->born);
	if (s->d != NULL && diag_host_get(s->d, sv, &hs) == 0) {
		sqlite3_bind_int64(q, 18, hs.status_time);
		sqlite3_bind_int64(q, 19, hs.recovered);
	}
}

/* Update the row in place; insert it when there is none. */
static int
put_row(struct state *s, int upd, int ins,
    void (*bind)(struct state *, sqlite3_stmt *, const void *),
    const void *row)
{
	bind(s, s->q[upd], row);
	if (step_done(s, s->q[upd]) == -1)
		return -1;
	if (sqlite3_changes(s->db) > 0)
		return 0;
	bind(s, s->q[ins], row);
	return step_done(s, s->q[ins]);
}

/* A hash of one episode as put_episode() writes it, into ep_hash. */
static int
ep_fp(void *arg, const struct diag_ep *ep)
{
	struct state *s = arg;
	const struct diag_ep_item *it;
	uint64_t h = s->ep_hash;
	size_t i;

	h = fnv(h, &ep->first, sizeof(ep->first));
	h = fnv(h, &ep->last, sizeof(ep->last));
	h = fnv(h, &ep->touched, sizeof(ep->touched));
	h = fnv(h, &ep->fault, sizeof(ep->fault));
	h = fnv(h, &ep->owns, sizeof(ep->owns));
	for (i = 0; i < ep->nitems; i++) {
		it = &ep->items[i];
		h = fnv(h, &it->count, sizeof(it->count));
		h = fnv(h, &it->first, sizeof(it->first));
		h = fnv(h, &it->last, sizeof(it->last));
		h = fnv(h, it->match, strnlen(it->match,
		    sizeof(it->match)) + 1);
	}
	s->ep_hash = fnv(h, &i, sizeof(i));
	return 0;
}

static int
put_server(struct state *s, const struct server *sv, int episodes)
{
	size_t slot = sv->index % EPFP_MAX;

	if (put_row(s, Q_SERVER_UPD, Q_SERVER, bind_server, sv) == -1)
		return -1;
	if (s->d == NULL || !episodes)
		return 0;
	/* Its open episodes, as they are now, unless they are saved so. */
	s->ep_hash = 14695981039346656037ULL;
	if (diag_host_episodes(s->d, sv, ep_fp, s) == -1)
		return -1;
	if (s->epfp[slot].server == sv->index && s->epfp[slot].fp == s->ep_hash)
		return 0;
	s->epfp[slot].server = 0;
	sqlite3_bind_int64(s->q[Q_EP_DEL], 1, sv->index);
	if (step_done(s, s->q[Q_EP_DEL]) == -1)
		return -1;
	s->ep_server = sv->index;
	s->ep_n = 0;
	if (diag_host_episodes(s->d, sv, put_episode, s) == -1)
		return -1;
	s->epfp[slot].server = sv->index;
	s->epfp[slot].fp = s->ep_hash;
	return 0;
}

static int
put_episode(void *arg, const struct diag_ep *ep)
{
	struct state *s = arg;
	sqlite3_stmt *q = s->q[Q_EP];
	char items[DIAG_EP_ITEMS_MAX * (DIAG_MATCH_MAX + 64)];
	size_t i, n = 0;
	int k;

	items[0] = '\0';
	for (i = 0; i < ep->nitems; i++) {
		k = snprintf(items + n, sizeof(items) - n, "%u %lld %lld %s\n",
		    (unsigned)ep->items[i].count,
		    (long long)ep->items[i].first,
		    (long long)ep->items[i].last, ep->items[i].match);
		if (k < 0 || (size_t)k >= sizeof(items) - n)
			break;
		n += (size_t)k;
	}
	sqlite3_bind_int64(q, 1, s->ep_server);
	sqlite3_bind_int64(q, 2, s->ep_n++);
	sqlite3_bind_int64(q, 3, ep->first);
	sqlite3_bind_int64(q, 4, ep->last);
	sqlite3_bind_int64(q, 5, ep->touched);
	sqlite3_bind_int64(q, 6, ep->fault);
	sqlite3_bind_int(q, 7, ep->owns);
	bind_text(q, 8, items);
	return step_done(s, q);
}

static void
bind_fault(struct state *s, sqlite3_stmt *q, const void *row)
{
	const struct fault *f = row;
	char ev[STORE_EVIDENCE_MAX * 8];
	size_t i, n = 0;

	(void)s;
	ev[0] = '\0';
	for (i = 0; i < f->nevidence && i < STORE_EVIDENCE_MAX; i++)
		n += (size_t)snprintf(ev + n, sizeof(ev) - n, "%s%u",
		    i ? "," : "", (unsigned)f->evidence[i]);
	sqlite3_bind_int64(q, 1, f->index);
	sqlite3_bind_int64(q, 2, f->server);
	bind_text(q, 3, f->host);
	bind_text(q, 4, f->article);
	sqlite3_bind_int(q, 5, (int)f->state);
	sqlite3_bind_int(q, 6, (int)f->last_state);
	sqlite3_bind_int(q, 7, (int)f->confidence);
	sqlite3_bind_int64(q, 8, (sqlite3_int64)f->count);
	sqlite3_bind_int64(q, 9, f->first_seen);
	sqlite3_bind_int64(q, 10, f->last_seen);
	bind_text(q, 11, ev);
	sqlite3_bind_int(q, 12, (int)f->reason);
	sqlite3_bind_int64(q, 13, f->cleared_at);
	sqlite3_bind_int(q, 14, f->acked);
	sqlite3_bind_int64(q, 15, f->touched);
	sqlite3_bind_int64(q, 16, f->acked_at);
	sqlite3_bind_int64(q, 17, f->opened_at);
	sqlite3_bind_int64(q, 18, (sqlite3_int64)f->seq);
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t k;

	for (k = 0; k < n; k++)
		h = (h ^ b[k]) * 1099511628211ULL;
	return h;
}

/* FNV-1a over the candidates as they are written. */
static uint64_t
cand_fp(const struct fault *f)
{
	const struct store_cand *c;
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < f->ncands && i < STORE_CANDS_MAX; i++) {
		c = &f->cands[i];
		h = fnv(h, c->article, strnlen(c->article,
		    sizeof(c->article)) + 1);
		h = fnv(h, &c->score, sizeof(c->score));
		h = fnv(h, c->decide, strnlen(c->decide,
		    sizeof(c->decide)) + 1);
	}
	return fnv(h, &i, sizeof(i));
}

static int
put_fault(struct state *s, const struct fault *f)
{
	sqlite3_stmt *q;
	size_t i, slot = f->index % CANDFP_MAX;
	uint64_t fp;

	if (put_row(s, Q_FAULT_UPD, Q_FAULT, bind_fault, f) == -1)
		return -1;
	fp = cand_fp(f);
	if (s->candfp[slot].fault == f->index && s->candfp[slot].fp == fp)
		return 0;
	s->candfp[slot].fault = 0;
	sqlite3_bind_int64(s->q[Q_CAND_DEL], 1, f->index);
	if (step_done(s, s->q[Q_CAND_DEL]) == -1)
		return -1;
	for (i = 0; i < f->ncands && i < STORE_CANDS_MAX; i++) {
		q = s->q[Q_CAND];
		sqlite3_bind_int64(q, 1, f->index);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)i + 1);
		bind_text(q, 3, f->cands[i].article);
		sqlite3_bind_double(q, 4, f->cands[i].score);
		bind_text(q, 5, f->cands[i].decide);
		if (step_done(s, q) == -1)
			return -1;
	}
	s->candfp[slot].fault = f->index;
	s->candfp[slot].fp = fp;
	return 0;
}

static int
put_ntf(struct state *s, const struct state_ntf *n)
{
	sqlite3_stmt *q = s->q[Q_NTF];

	sqlite3_bind_int64(q, 1, (sqlite3_int64)n->seq);
	sqlite3_bind_int(q, 2, (int)n->kind);
	sqlite3_bind_int64(q, 3, n->evtime);
	sqlite3_bind_int64(q, 4, n->wall);
	sqlite3_bind_int64(q, 5, n->fault);
	sqlite3_bind_int64(q, 6, n->server);
	bind_text(q, 7, n->host);
	bind_text(q, 8, n->article);
	sqlite3_bind_int(q, 9, n->fault_state);
	sqlite3_bind_int(q, 10, n->status);
	sqlite3_bind_int(q, 11, n->prev_status);
	return step_done(s, q);
}

struct meta_row {
	const char	*k;
	int64_t		 v;
};

static void
bind_meta(struct state *s, sqlite3_stmt *q, const void *row)
{
	const struct meta_row *m = row;

	(void)s;
	bind_text(q, 1, m->k);
	sqlite3_bind_int64(q, 2, m->v);
}

static int
put_meta(struct state *s, const char *k, int64_t v)
{
	struct meta_row m = { k, v };

	return put_row(s, Q_META_UPD, Q_META, bind_meta, &m);
}

/*
 * One transaction with everything pending.  Dirty servers are taken from
 * the store; faults changed since the last commit are found by their
 * seq; cleared copies, evicted names and notification rows wait in
 * bounded buffers.  On failure nothing pending is forgotten, and the
 * next commit that works writes the whole state again (the dirty lists
 * were drained).
 *
 * An urgent commit (a notification waits for it) writes only what the
 * transitions since the last commit touched: the faults opened, refined,
 * cleared or acked, the servers whose status changed, the log rows.
 * Repeats (a fault's count, last seen, candidates), counters of servers
 * merely heard from and their open episodes wait for the next periodic
 * commit.
 */
static int
commit(struct state *s, int64_t now, int urgent)
{
	const struct server *sv;
	const struct fault *f;
	size_t i, n;
	int full = s->full || s->gone_lost, pages, hi;

	if (s->db == NULL)
		return -1;
	/* Failing: retry once per interval, not for every caller. */
	if (s->health == STATE_UNSAVED && now < s->retry_at)
		return -1;
	if (s->tsrv_lost)
		urgent = 0;
	if (!full && s->nntf == 0 && s->ncleared == 0 && s->ngone == 0 &&
	    (urgent ? s->ntflt == 0 && s->ntsrv == 0 :
	    s->committed == store_seq(s->st) && store_ndirty(s->st) == 0)) {
		/* Nothing a notification tells of is left out. */
		s->saved = store_seq(s->st);
		return 0;
	}
	if (tx(s, Q_BEGIN) == -1)
		goto fail;
	if (full) {
		memset(s->epfp, 0, sizeof(s->epfp));
		if (db_exec(s, "DELETE FROM server") == -1 ||
		    db_exec(s, "DELETE FROM episode") == -1)
			goto fail;
		while (store_dirty_servers(s->st, s->dirty, DIRTY_CHUNK) > 0)
			;
		for (i = 0; i < store_nservers(s->st); i++)
			if (put_server(s, store_server_at(s->st, i), 1) == -1)
				goto fail;
	} else {
		for (i = 0; i < s->ngone; i++) {
			bind_text(s->q[Q_SERVER_DEL_KEY], 1, s->gone[i]);
			if (step_done(s, s->q[Q_SERVER_DEL_KEY]) == -1)
				goto fail;
		}
		for (i = 0; urgent && i < s->ntsrv; i++)
			if ((sv = store_server_by_index(s->st,
			    s->tsrv[i])) != NULL && put_server(s, sv, 0) == -1)
				goto fail;
		while (!urgent && (n = store_dirty_servers(s->st, s->dirty,
		    DIRTY_CHUNK)) > 0)
			for (i = 0; i < n; i++)
				if ((sv = store_server_by_index(s->st,
				    s->dirty[i])) != NULL &&
				    put_server(s, sv, 1) == -1)
					goto fail;
	}
	for (i = 0; i < s->ncleared; i++)
		if (put_fault(s, &s->cleared[i]) == -1)
			goto fail;
	for (i = 0; urgent && !full && i < s->ntflt; i++)
		if ((f = store_fault_by_index(s->st, s->tflt[i])) != NULL &&
		    put_fault(s, f) == -1)
			goto fail;
	for (i = 0; (!urgent || full) && i < store_nfaults(s->st); i++) {
		f = store_fault_at(s->st, i);
		if ((full || f->seq > s->committed) && put_fault(s, f) == -1)
			goto fail;
	}
	for (i = 0; i < s->nntf; i++)
		if (put_ntf(s, &s->ntf[(s->ntf_head + i) %
		    PENDING_NTF_MAX]) == -1)
			goto fail;
	if (put_meta(s, "seq", (int64_t)store_seq(s->st)) == -1 ||
	    put_meta(s, "next_fault",
	    (int64_t)store_next_fault_index(s->st)) == -1)
		goto fail;
	if (tx(s, Q_COMMIT) == -1)
		goto fail;
	if (sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_WRITE, &pages,
	    &hi, 1) == SQLITE_OK && pages > 0)
		s->stats.pages_written += (uint64_t)pages;
	if (!urgent || full)
		s->committed = store_seq(s->st);
	s->saved = store_seq(s->st);
	s->full = 0;
	s->gone_lost = 0;
	s->ntsrv = 0;
	s->ntflt = 0;
	s->tsrv_lost = 0;
	s->ngone = s->ncleared = s->nntf = 0;
	s->ntf_head = 0;
	s->stats.commits++;
	s->stats.last_commit = now;
	if (s->health == STATE_UNSAVED) {
		s->health = STATE_OK;
		slog(s, LOG_NOTICE, "state %s: saved again after %llu failed "
		    "commits", s->path,
		    (unsigned long long)s->stats.commit_failures);
	}
	return 0;
fail:
	(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	memset(s->candfp, 0, sizeof(s->candfp));
	memset(s->epfp, 0, sizeof(s->epfp));
	s->full = 1;
	s->stats.commit_failures++;
	s->unlogged++;
	if (s->health != STATE_UNSAVED || now - s->logged >= STATE_LOG_SECS) {
		slog(s, LOG_ERR, "state %s: commit failed (%s), %llu times "
		    "since the last line; running from memory, retrying",
		    s->path, sqlite3_errmsg(s->db),
		    (unsigned long long)s->unlogged);
		s->logged = now;
		s->unlogged = 0;
	}
	s->health = STATE_UNSAVED;
	s->retry_at = now + (s->conf.sync_interval > 0 ?
	    s->conf.sync_interval : 1);
	return -1;
}

int
state_sync(struct state *s, int64_t now)
{
	if (s == NULL)
		return -1;
	return commit(s, now, 1);
}

int
state_covers(const struct state *s, uint64_t seq)
{
	return s == NULL || s->db == NULL || s->health == STATE_UNSAVED ||
	    seq <= s->saved;
}

int
state_sync_group(struct state *s, uint64_t seq, int64_t now, int64_t ms,
    int64_t *wait_ms)
{
	int64_t gap = s != NULL && s->conf.group_ms > 0 ? s->conf.group_ms :
	    0;

	if (state_covers(s, seq))
		return 0;
	if (s->group_at != 0 && ms - s->group_at < gap && ms >= s->group_at) {
		*wait_ms = gap - (ms - s->group_at);
		return 1;
	}
	s->group_at = ms != 0 ? ms : 1;
	s->stats.group_commits++;
	return commit(s, now, 1);
}

/* Cleared history by age and by count; notification log by count. */
static void
prune(struct state *s, int64_t now)
{
	char sql[256];

	if (s->db == NULL || s->health == STATE_UNSAVED)
		return;
	if (db_exec(s, "BEGIN IMMEDIATE") == -1)
		return;
	if (s->conf.history_age > 0) {
		snprintf(sql, sizeof(sql), "DELETE FROM fault WHERE state = 3"
		    " AND touched < %lld",
		    (long long)(now - s->conf.history_age));
		(void)db_exec(s, sql);
	}
	if (s->conf.history_max > 0) {
		snprintf(sql, sizeof(sql), "DELETE FROM fault WHERE state = 3"
		    " AND idx < (SELECT idx FROM fault WHERE state = 3 ORDER BY"
		    " idx DESC LIMIT 1 OFFSET %zu)", s->conf.history_max - 1);
		(void)db_exec(s, sql);
	}
	(void)db_exec(s, "DELETE FROM cand WHERE fault NOT IN"
	    " (SELECT idx FROM fault)");
	if (s->conf.log_max > 0) {
		snprintf(sql, sizeof(sql), "DELETE FROM ntf WHERE seq <"
		    " (SELECT seq FROM ntf ORDER BY seq DESC LIMIT 1 OFFSET %zu)",
		    s->conf.log_max - 1);
		(void)db_exec(s, sql);
	}
	if (db_exec(s, "COMMIT") == -1)
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	/* Cand rows of pruned faults are gone. */
	memset(s->candfp, 0, sizeof(s->candfp));
}

void
state_tick(struct state *s, int64_t now)
{
	if (s == NULL || s->db == NULL)
		return;
	if (now >= s->next_commit) {
		s->next_commit = now + (s->conf.sync_interval > 0 ?
		    s->conf.sync_interval : 1);
		(void)commit(s, now, 0);
	}
	if (now >= s->next_prune) {
		s->next_prune = now + PRUNE_SECS;
		prune(s, now);
	}
}

int
state_chown(struct state *s, uid_t uid, gid_t gid, char *err, size_t errsz)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char name[NAME_MAX + 1];
	struct dirent *de;
	DIR *dir;
	size_t i, flen = strlen(STATE_FILE);
	int fd, dfd, only = 1, e;

	if (s == NULL || s->db == NULL)
		return 0;
	if ((fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		e = errno;
		snprintf(err, errsz, "%s: %s", s->dir, strerror(e));
		errno = e;
		return -1;
	}
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", STATE_FILE, sfx[i]);
		if (fchownat(fd, name, uid, gid, AT_SYMLINK_NOFOLLOW) == -1 &&
		    errno != ENOENT) {
			e = errno;
			snprintf(err, errsz, "%s/%s: %s", s->dir, name,
			    strerror(e));
			close(fd);
			errno = e;
			return -1;
		}
	}
	/* The directory too, when it is the state's own. */
	if ((dfd = dup(fd)) == -1 || (dir = fdopendir(dfd)) == NULL) {
		e = errno;
		snprintf(err, errsz, "%s: %s", s->dir, strerror(e));
		if (dfd != -1)
			close(dfd);
		close(fd);
		errno = e;
		return -1;
	}
	while ((de = readdir(dir)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0 &&
		    strncmp(de->d_name, STATE_FILE, flen) != 0)
			only = 0;
	closedir(dir);
	if (only && fchown(fd, uid, gid) == -1) {
		e = errno;
		snprintf(err, errsz, "%s: %s", s->dir, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

enum state_health
state_health(const struct state *s)
{
	return s != NULL ? s->health : STATE_OFF;
}

const char *
state_aside(const struct state *s)
{
	return s != NULL ? s->aside : "";
}

const char *
state_path(const struct state *s)
{
	return s != NULL ? s->path : "";
}

const struct state_stats *
state_stats(const struct state *s)
{
	return &s->stats;
}

int
state_ntf_next(struct state *s, uint64_t after, struct state_ntf *out)
{
	sqlite3_stmt *q;
	size_t i;

	if (s->db != NULL) {
		q = s->q[Q_NTF_NEXT];
		sqlite3_bind_int64(q, 1, (sqlite3_int64)after);
		if (sqlite3_step(q) == SQLITE_ROW) {
			memset(out, 0, sizeof(*out));
			out->seq = (uint64_t)sqlite3_column_int64(q, 0);
			out->kind = (enum store_ev)sqlite3_column_int(q, 1);
			out->evtime = sqlite3_column_int64(q, 2);
			out->wall = sqlite3_column_int64(q, 3);
			out->fault = (uint32_t)sqlite3_column_int64(q, 4);
			out->server = (uint32_t)sqlite3_column_int64(q, 5);
			col_text(q, 6, out->host, sizeof(out->host));
			col_text(q, 7, out->article, sizeof(out->article));
			out->fault_state = sqlite3_column_int(q, 8);
			out->status = sqlite3_column_int(q, 9);
			out->prev_status = sqlite3_column_int(q, 10);
			sqlite3_reset(q);
			return 0;
		}
		sqlite3_reset(q);
	}
	/* Not committed yet. */
	for (i = 0; i < s->nntf; i++)
		if (s->ntf[(s->ntf_head + i) % PENDING_NTF_MAX].seq > after) {
			*out = s->ntf[(s->ntf_head + i) % PENDING_NTF_MAX];
			return 0;
		}
	return -1;
}

/*
 * Offline, read only (imsdiag state): the rows of one kind, in a fixed
 * order.  Never writes, never takes the write lock: a running imsmond is
 * not disturbed, and a reader sees its last commit.
 */
int
state_read(const char *dir, enum state_what what,
    int (*fn)(void *, const void *), void *arg, char *err, size_t errsz)
{
	char path[PATH_MAX];
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	struct server sv;
	struct fault f;
	struct state_ntf n;
	const char *sql;
	int rc, ret = -1;

	switch (what) {
	case STATE_SERVERS:
		sql = SERVER_COLS " FROM server ORDER BY key";
		break;
	case STATE_OPEN:
		sql = FAULT_COLS " FROM fault WHERE state != 3 ORDER BY idx";
		break;
	case STATE_HISTORY:
		sql = FAULT_COLS " FROM fault WHERE state = 3 ORDER BY idx DESC";
		break;
	case STATE_LOG:
		sql = "SELECT seq, kind, evtime, wall, fault, server, host,"
		    " article, fault_state, status, prev_status FROM ntf"
		    " ORDER BY seq";
		break;
	default:
		snprintf(err, errsz, "unknown query");
		return -1;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE) >=
	    (int)sizeof(path)) {
		snprintf(err, errsz, "%s: path too long", dir);
		return -1;
	}
	if ((rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL)) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(db, BUSY_MS);
	if ((rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL)) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (what == STATE_SERVERS) {
			row_server(q, &sv);
			rc = fn(arg, &sv);
		} else if (what == STATE_LOG) {
			memset(&n, 0, sizeof(n));
			n.seq = (uint64_t)sqlite3_column_int64(q, 0);
			n.kind = (enum store_ev)sqlite3_column_int(q, 1);
			n.evtime = sqlite3_column_int64(q, 2);
			n.wall = sqlite3_column_int64(q, 3);
			n.fault = (uint32_t)sqlite3_column_int64(q, 4);
			n.server = (uint32_t)sqlite3_column_int64(q, 5);
			col_text(q, 6, n.host, sizeof(n.host));
			col_text(q, 7, n.article, sizeof(n.article));
			n.fault_state = sqlite3_column_int(q, 8);
			n.status = sqlite3_column_int(q, 9);
			n.prev_status = sqlite3_column_int(q, 10);
			rc = fn(arg, &n);
		} else {
			row_fault(q, &f);
			rc = fn(arg, &f);
		}
		if (rc == -1)
			break;
	}
	if (rc != SQLITE_DONE && rc != -1) {
		snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return ret;
}
