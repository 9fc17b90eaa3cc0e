/*
 * state_schema: the database itself.  The schema, one step per version,
 * and the migration of an older database; opening it and checking that
 * it can be used (a probe, quick_check, the version, WAL, the write
 * lock); the statements the commits use, prepared once; moving an
 * unusable database aside.
 */
#include "state/state_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <syslog.h>

static int	 db_schema(struct state *, char *, size_t);

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

void
state_log(struct state *s, int prio, const char *fmt, ...)
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

int
state_db_exec(struct state *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 :
	    -1;
}

void
state_db_close(struct state *s)
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
int
state_db_int(struct state *s, const char *sql, int64_t *out, char *why,
    size_t sz)
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

	if (state_db_int(s, "PRAGMA user_version", &v, why, sz) == -1)
		return -1;
	if (v > STATE_SCHEMA || v < 0) {
		snprintf(why, sz, "schema version %lld, this imsmon knows up "
		    "to %d", (long long)v, STATE_SCHEMA);
		return -1;
	}
	if (v == STATE_SCHEMA)
		return 0;
	if (state_db_exec(s, "BEGIN IMMEDIATE") == -1)
		goto fail;
	for (i = (int)v; i < STATE_SCHEMA; i++)
		if (state_db_exec(s, schema_steps[i]) == -1)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STATE_SCHEMA);
	if (state_db_exec(s, sql) == -1 || state_db_exec(s, "COMMIT") == -1)
		goto fail;
	if (v > 0)
		state_log(s, LOG_NOTICE, "state %s: schema version %lld "
		    "upgraded to %d", s->path, (long long)v, STATE_SCHEMA);
	return 0;
fail:
	snprintf(why, sz, "creating the schema: %s", sqlite3_errmsg(s->db));
	(void)state_db_exec(s, "ROLLBACK");
	return -1;
}

/*
 * Open and check: a probe (a file that is not SQLite opens fine and fails
 * at the first statement), quick_check, the schema version, WAL (fails on
 * a read-only file), a write lock (fails when another process holds it).
 */
int
state_db_open(struct state *s, char *why, size_t sz)
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
	if (state_db_int(s, "PRAGMA user_version", &v, why, sz) == -1)
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
	 * power loss, at about ten times the cost of a commit.  No
	 * automatic checkpoint: it would run inside a commit (fsyncs and
	 * all); state_ckpt.c checkpoints from a thread of its own.
	 */
	if (state_db_exec(s, s->conf.fsync ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL") == -1 ||
	    state_db_exec(s, "PRAGMA wal_autocheckpoint = 0") == -1 ||
	    state_db_exec(s, "BEGIN IMMEDIATE") == -1 ||
	    state_db_exec(s, "COMMIT") == -1) {
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
void
state_move_aside(struct state *s, const char *why, int64_t now)
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
			state_log(s, LOG_ERR, "state %s: cannot move it aside "
			    "to %s: %s", from, to, strerror(errno));
			continue;
		}
		moved = 1;
	}
	snprintf(s->aside, sizeof(s->aside), "%s; moved to %s.aside-%s",
	    why, s->path, ts);
	if (moved)
		state_log(s, LOG_ERR, "state %s unusable (%s): moved aside to "
		    "%s.aside-%s, starting with an empty state", s->path, why,
		    s->path, ts);
}

void
state_col_text(sqlite3_stmt *q, int i, char *buf, size_t sz)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	snprintf(buf, sz, "%s", t != NULL ? (const char *)t : "");
}
