/*
 * The state layer: what survives a restart, what is never re-announced,
 * and what happens to databases that cannot be used.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "state/state.h"
#include "test.h"

#define NOW	953251200	/* 2000-03-17, after every fixture time */

static int	 rig_ckpt = STATE_CKPT_FRAMES;	/* rig_open()'s */

struct rig {
	struct kb	*kb;
	struct store	*st;
	struct diag	*d;
	struct state	*state;
	int		 heard;		/* transitions seen */
	char		 dir[64];
	char		 logs[4096];
};

static void
rig_log(void *arg, int prio, const char *msg)
{
	struct rig *r = arg;
	size_t n = strlen(r->logs);

	(void)prio;
	snprintf(r->logs + n, sizeof(r->logs) - n, "%s\n", msg);
}

static void
rig_heard(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *s)
{
	struct rig *r = arg;

	(void)t;
	(void)f;
	(void)s;
	r->heard++;
}

static int
rig_open(struct rig *r, const char *dir)
{
	struct kb_errors errs;
	struct state_conf sc;

	memset(r, 0, sizeof(*r));
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	memset(&errs, 0, sizeof(errs));
	if ((r->kb = kb_load("kb", &errs)) == NULL)
		return -1;
	r->st = store_new(NULL);
	r->d = diag_new(r->kb, r->st, NULL);
	if (r->st == NULL || r->d == NULL)
		return -1;
	state_conf_default(&sc);
	sc.dir = dir;
	sc.log = rig_log;
	sc.log_arg = r;
	sc.ckpt_frames = rig_ckpt;
	r->state = state_open(&sc, r->st, r->d, NOW);
	store_observe(r->st, rig_heard, r);
	return r->state != NULL ? 0 : -1;
}

static void
rig_close(struct rig *r)
{
	state_close(r->state, NOW);
	diag_free(r->d);
	store_free(r->st);
	kb_free(r->kb);
}

static void
evtsys(struct rig *r, const char *host, const char *src, int id, int tod,
    const char *text)
{
	char line[512];

	snprintf(line, sizeof(line), "<27>Mar 14 %02d:%02d:%02d %s %s: %d: %s ",
	    tod / 3600 % 24, tod / 60 % 60, tod % 60, host, src, id, text);
	CHECK_INT(diag_record(r->d, (const uint8_t *)line, strlen(line), NULL,
	    NOW, NULL), PARSE_OK);
}

#define SCM	"Service_Control_Manager"
#define T7023	"The Microsoft Exchange Internet Mail Service service " \
		"terminated with the following error: (Error 2140)"

static void
tmpdir(char *buf, size_t sz)
{
	snprintf(buf, sz, "/tmp/t_state.XXXXXX");
	if (mkdtemp(buf) == NULL)
		buf[0] = '\0';
}

static void
rmtree(const char *dir)
{
	char p[512];
	struct dirent *e;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* Files in dir whose name holds s. */
static int
count_files(const char *dir, const char *s)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, s) != NULL)
			n++;
	closedir(d);
	return n;
}

static void
db_path(char *buf, size_t sz, const char *dir)
{
	snprintf(buf, sz, "%s/%s", dir, STATE_FILE);
}

static void
write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd == -1 || write(fd, p, n) != (ssize_t)n)
		CHECK(0);
	if (fd != -1)
		close(fd);
}

/* Faults, acks, statuses and indices come back; nothing is announced. */
TEST(state_restart_keeps_everything)
{
	char dir[64];
	struct rig r;
	const struct fault *f;
	const struct server *s;
	uint64_t seq;

	tmpdir(dir, sizeof(dir));
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(state_health(r.state), STATE_OK);
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36000, "x");
	evtsys(&r, "OTHER", SCM, 7023, 36005, T7023);
	CHECK_INT(store_nfaults(r.st), 2);
	store_fault_ack(r.st, store_fault_by_index(r.st, 1), 1, NOW);
	seq = store_seq(r.st);
	rig_close(&r);

	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(r.heard, 0);
	CHECK_INT(store_seq(r.st), seq);
	CHECK_INT(store_nfaults(r.st), 2);
	CHECK_INT(store_nservers(r.st), 2);
	f = store_fault_by_index(r.st, 1);
	CHECK(f != NULL && f->acked && f->state == FAULT_DIAGNOSED);
	CHECK(f != NULL && strcmp(f->article, "Q173496") == 0);
	CHECK(f != NULL && f->ncands > 0 && f->nevidence == 1 &&
	    f->evidence[0] == 4143);
	s = store_server_get(r.st, "mailgw");
	CHECK(s != NULL && s->status == IMS_STATUS_START_FAILED &&
	    s->open_faults == 1 && s->explain == 1);
	CHECK(s != NULL && s->status_why[0] != '\0');
	/* The same events again: a repeat, not a new fault. */
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36010, "x");
	CHECK_INT(store_nfaults(r.st), 2);
	CHECK_INT(store_fault_by_index(r.st, 1)->count, 2);
	/* A new fault takes the next index, never an old one. */
	evtsys(&r, "THIRD", "MSExchangeIMC", 4143, 36000, "x");
	CHECK_INT(store_fault_at(r.st, 2)->index, 3);
	CHECK(store_fault_at(r.st, 2)->seq > seq);
	rig_close(&r);
	rmtree(dir);
}

/* An episode in flight keeps correlating with events after the restart. */
TEST(state_episode_survives)
{
	char dir[64];
	struct rig r;
	const struct fault *f;

	tmpdir(dir, sizeof(dir));
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "MAILGW", SCM, 7023, 36005, T7023);
	CHECK_INT(store_fault_at(r.st, 0)->state, FAULT_AMBIGUOUS);
	rig_close(&r);
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(state_stats(r.state)->restored_episodes, 1);
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36000, "x");
	CHECK_INT(store_nfaults(r.st), 1);
	f = store_fault_at(r.st, 0);
	CHECK(f != NULL && f->index == 1 && f->state == FAULT_DIAGNOSED &&
	    f->count == 2);
	CHECK(f != NULL && strcmp(f->article, "Q173496") == 0);
	rig_close(&r);
	rmtree(dir);
}

/* The notification log: transitions that notify, in order, persisted. */
TEST(state_notification_log)
{
	char dir[64];
	struct rig r;
	struct state_ntf n;
	uint64_t after = 0;
	int rows = 0;

	tmpdir(dir, sizeof(dir));
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36000, "x");
	CHECK(state_ntf_next(r.state, 0, &n) == 0);	/* pending */
	CHECK_INT(state_sync(r.state, NOW), 0);
	rig_close(&r);
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	while (state_ntf_next(r.state, after, &n) == 0 && rows < 10) {
		CHECK(n.seq > after);
		CHECK(store_ev_notifies(n.kind));
		CHECK_STR(n.host, "MAILGW");
		after = n.seq;
		rows++;
	}
	CHECK_INT(rows, 2);	/* opened, status start-failed */
	rig_close(&r);
	rmtree(dir);
}

/*
 * Group commit: a notification may go once a commit covers its
 * transition; the commit is made at once, or group_ms after the last
 * one, and then covers everything made in between.
 */
TEST(state_group_commit)
{
	char dir[64];
	struct rig r;
	struct state_ntf n;
	uint64_t a, b, c, after = 0;
	int64_t wait = 0;
	int rows = 0;

	tmpdir(dir, sizeof(dir));
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK(state_covers(NULL, 1));		/* no state: nothing waits */
	evtsys(&r, "HOSTA", "MSExchangeIMC", 4143, 36000, "x");
	a = store_seq(r.st);
	CHECK(!state_covers(r.state, a));
	CHECK_INT(state_sync_group(r.state, a, NOW, 1000, &wait), 0);
	CHECK(state_covers(r.state, a));
	CHECK_INT(state_stats(r.state)->group_commits, 1);
	/* Covered already: no second commit. */
	CHECK_INT(state_sync_group(r.state, a, NOW, 1001, &wait), 0);
	CHECK_INT(state_stats(r.state)->group_commits, 1);
	evtsys(&r, "HOSTB", "MSExchangeIMC", 4143, 36001, "x");
	b = store_seq(r.st);
	CHECK_INT(state_sync_group(r.state, b, NOW, 1004, &wait), 1);
	CHECK_INT(wait, STATE_GROUP_MS - 4);
	CHECK(!state_covers(r.state, b));
	evtsys(&r, "HOSTC", "MSExchangeIMC", 4143, 36002, "x");
	c = store_seq(r.st);
	CHECK_INT(state_sync_group(r.state, b, NOW, 1000 + STATE_GROUP_MS,
	    &wait), 0);
	CHECK(state_covers(r.state, b));
	CHECK(state_covers(r.state, c));	/* the same commit */
	CHECK_INT(state_stats(r.state)->group_commits, 2);
	/* Two commits in all: each notification did not make one. */
	CHECK_INT(state_stats(r.state)->commits, 2);
	rig_close(&r);
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	while (state_ntf_next(r.state, after, &n) == 0 && rows < 10) {
		after = n.seq;
		rows++;
	}
	CHECK_INT(rows, 6);	/* opened and start-failed, three servers */
	CHECK_INT(store_nfaults(r.st), 3);
	rig_close(&r);
	rmtree(dir);
}

/*
 * -u/-g: the database files go to the user; the directory too, unless
 * it holds anything else.  Needs root to give files away.
 */
TEST(state_chown_files)
{
	char dir[64], path[512], err[256];
	struct stat st;
	struct rig r;
	int k;

	if (geteuid() != 0) {
		fprintf(stderr, "  (not root: chown not tried)\n");
		return;
	}
	for (k = 0; k < 2; k++) {
		tmpdir(dir, sizeof(dir));
		if (k == 1) {	/* a directory shared with another file */
			snprintf(path, sizeof(path), "%s/other", dir);
			write_file(path, "x", 1);
		}
		if (rig_open(&r, dir) == -1) {
			CHECK(0);
			return;
		}
		evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36000, "x");
		CHECK_INT(state_sync(r.state, NOW), 0);
		CHECK_INT(state_chown(r.state, 65534, 65534, err,
		    sizeof(err)), 0);
		db_path(path, sizeof(path), dir);
		CHECK(stat(path, &st) == 0 && st.st_uid == 65534 &&
		    st.st_gid == 65534);
		snprintf(path, sizeof(path), "%s/%s-wal", dir, STATE_FILE);
		CHECK(stat(path, &st) == 0 && st.st_uid == 65534);
		CHECK(stat(dir, &st) == 0);
		CHECK_INT(st.st_uid, k == 0 ? 65534 : 0);
		rig_close(&r);
		snprintf(path, sizeof(path), "%s/other", dir);
		unlink(path);
		rmtree(dir);
	}
}

static void
expect_reset(const char *dir, const char *what)
{
	struct rig r;

	if (rig_open(&r, dir) == -1) {
		fprintf(stderr, "  %s: state_open failed\n", what);
		CHECK(0);
		return;
	}
	if (state_health(r.state) != STATE_RESET)
		fprintf(stderr, "  %s: health %s\n", what,
		    state_health_name(state_health(r.state)));
	CHECK_INT(state_health(r.state), STATE_RESET);
	CHECK(strstr(state_aside(r.state), "moved to") != NULL);
	CHECK(strstr(r.logs, "moved aside") != NULL);
	CHECK_INT(store_nfaults(r.st), 0);
	CHECK(count_files(dir, ".aside-") >= 1);
	/* And it works from then on. */
	evtsys(&r, "MAILGW", "MSExchangeIMC", 4143, 36000, "x");
	CHECK_INT(state_sync(r.state, NOW), 0);
	rig_close(&r);
}

TEST(state_corrupt_moved_aside)
{
	char dir[64], path[128], junk[8192];
	size_t i;

	tmpdir(dir, sizeof(dir));
	db_path(path, sizeof(path), dir);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 3);
	write_file(path, junk, sizeof(junk));
	expect_reset(dir, "not a database");
	rmtree(dir);
}

TEST(state_truncated_moved_aside)
{
	char dir[64], path[128];
	struct rig r;
	struct stat sb;
	int i;

	tmpdir(dir, sizeof(dir));
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	for (i = 0; i < 300; i++) {
		char host[32];

		snprintf(host, sizeof(host), "HOST%d", i);
		evtsys(&r, host, "MSExchangeIMC", 4143, 36000, "x");
	}
	rig_close(&r);
	db_path(path, sizeof(path), dir);
	CHECK(stat(path, &sb) == 0 && sb.st_size > 16384);
	CHECK(truncate(path, sb.st_size / 2) == 0);
	expect_reset(dir, "truncated");
	rmtree(dir);
}

TEST(state_newer_version_moved_aside)
{
	char dir[64], path[128];
	sqlite3 *db;

	tmpdir(dir, sizeof(dir));
	db_path(path, sizeof(path), dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TABLE x (y); PRAGMA user_version = 99",
	    NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	expect_reset(dir, "wrong version");
	rmtree(dir);
}

TEST(state_locked_moved_aside)
{
	char dir[64], path[128];
	struct rig r;
	sqlite3 *db;

	tmpdir(dir, sizeof(dir));
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	rig_close(&r);
	db_path(path, sizeof(path), dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) ==
	    SQLITE_OK);
	expect_reset(dir, "locked");
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	rmtree(dir);
}

/* As an unprivileged user, a file it may not write. */
TEST(state_readonly_moved_aside)
{
	char dir[64], path[128];
	struct rig r;
	pid_t pid;
	int st;

	tmpdir(dir, sizeof(dir));
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	rig_close(&r);
	db_path(path, sizeof(path), dir);
	CHECK(chmod(path, 0444) == 0);
	if (geteuid() == 0) {
		/* Root writes anyway: be nobody, in a directory it may use. */
		CHECK(chmod(dir, 0777) == 0);
		if ((pid = fork()) == 0) {
			if (setgid(65534) == -1 || setuid(65534) == -1)
				_exit(2);
			test_fails = 0;
			expect_reset(dir, "read-only");
			_exit(test_fails ? 1 : 0);
		}
		CHECK(pid > 0 && waitpid(pid, &st, 0) == pid &&
		    WIFEXITED(st) && WEXITSTATUS(st) == 0);
	} else
		expect_reset(dir, "read-only");
	rmtree(dir);
}

/* A database written by schema 1 is upgraded and its rows kept. */
TEST(state_migrates_v1)
{
	/* Schema 1 as it shipped, frozen here. */
	static const char v1[] =
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
	    " prev_status INTEGER);"
	    "INSERT INTO meta VALUES ('seq', 40), ('next_fault', 6);"
	    "INSERT INTO server VALUES (1, 'exch1', 'EXCH1', 3, 1, 100, 100,"
	    " 4143, 7, -1, 0, 0);"
	    "INSERT INTO fault VALUES (5, 1, 'EXCH1', 'Q173496', 2, 2, 90, 3,"
	    " 90, 100, '4143', 0, 0, 1, 100);"
	    "INSERT INTO cand VALUES (5, 1, 'Q173496', 10.0, '');"
	    "PRAGMA user_version = 1;";
	char dir[64], path[128];
	struct rig r;
	const struct fault *f;
	sqlite3 *db;

	tmpdir(dir, sizeof(dir));
	db_path(path, sizeof(path), dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, v1, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(state_health(r.state), STATE_OK);
	CHECK(strstr(r.logs, "upgraded to 2") != NULL);
	CHECK_INT(store_seq(r.st), 40);
	f = store_fault_by_index(r.st, 5);
	CHECK(f != NULL && f->acked && f->count == 3 && f->ncands == 1);
	CHECK_INT(store_next_fault_index(r.st), 6);
	CHECK_INT(store_server_at(r.st, 0)->status, IMS_STATUS_START_FAILED);
	rig_close(&r);
	rmtree(dir);
}

/*
 * A file size limit (RLIMIT_FSIZE, as a full disk does): commits fail,
 * the state keeps running from memory and says so; once room is back
 * the next commit writes everything.
 */
TEST(state_disk_full)
{
	char dir[64], host[32];
	struct rig r;
	struct rlimit old, lim;
	int i;

	tmpdir(dir, sizeof(dir));
	signal(SIGXFSZ, SIG_IGN);
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(state_sync(r.state, NOW), 0);
	CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
	lim = old;
	lim.rlim_cur = 64 * 1024;
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	for (i = 0; i < 400; i++) {
		snprintf(host, sizeof(host), "HOST%d", i);
		evtsys(&r, host, "MSExchangeIMC", 4143, 36000, "x");
		state_tick(r.state, NOW + i);
	}
	CHECK_INT(state_health(r.state), STATE_UNSAVED);
	CHECK(state_stats(r.state)->commit_failures > 0);
	CHECK(strstr(r.logs, "commit failed") != NULL);
	CHECK_INT(store_nfaults(r.st), 400);	/* memory goes on */
	CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
	CHECK_INT(state_sync(r.state, NOW + 500), 0);
	CHECK_INT(state_health(r.state), STATE_OK);
	rig_close(&r);
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(store_nfaults(r.st), 400);
	CHECK_INT(store_nservers(r.st), 400);
	rig_close(&r);
	rmtree(dir);
}

static off_t
file_size(const char *dir, const char *suffix)
{
	char p[512];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/%s%s", dir, STATE_FILE, suffix);
	return stat(p, &sb) == 0 ? sb.st_size : -1;
}

/* n incidents on servers of their own, each with its group commit. */
static void
incidents(struct rig *r, const char *tag, int n)
{
	char host[32];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(host, sizeof(host), "%s%d", tag, i);
		evtsys(r, host, "MSExchangeIMC", 4143, 36000 + i % 600, "x");
		CHECK_INT(state_sync(r->state, NOW), 0);
	}
}

/*
 * No commit checkpoints the WAL (a notification may wait for it): with
 * the thread's threshold out of reach, the WAL grows past SQLite's own
 * automatic thresholds (1000 frames, and the 4096 set before) and the
 * database file is never written.
 */
TEST(state_commits_never_checkpoint)
{
	char dir[64];
	struct rig r;
	off_t db0;

	tmpdir(dir, sizeof(dir));
	rig_ckpt = 1 << 30;
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		rig_ckpt = STATE_CKPT_FRAMES;
		return;
	}
	rig_ckpt = STATE_CKPT_FRAMES;
	CHECK_INT(state_sync(r.state, NOW), 0);
	db0 = file_size(dir, "");
	incidents(&r, "WAL", 1200);
	state_tick(r.state, NOW + 1);
	/* 4096-byte pages, a 24-byte header each: over 4096 frames. */
	CHECK(file_size(dir, "-wal") > 4096LL * (4096 + 24));
	CHECK_INT(file_size(dir, ""), db0);
	CHECK_INT(state_stats(r.state)->checkpoints, 0);
	CHECK_INT(state_stats(r.state)->checkpoints_inline, 0);
	rig_close(&r);
	/* The last checkpoint at close: everything in the database. */
	CHECK(file_size(dir, "") > db0);
	CHECK(file_size(dir, "-wal") <= 0);
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(store_nfaults(r.st), 1200);
	rig_close(&r);
	rmtree(dir);
}

/* Past the threshold, the thread checkpoints; nothing is lost by it. */
TEST(state_checkpoint_thread)
{
	char dir[64];
	struct rig r;
	off_t db0;
	int i;

	tmpdir(dir, sizeof(dir));
	rig_ckpt = 64;
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		rig_ckpt = STATE_CKPT_FRAMES;
		return;
	}
	rig_ckpt = STATE_CKPT_FRAMES;
	CHECK_INT(state_sync(r.state, NOW), 0);
	db0 = file_size(dir, "");
	incidents(&r, "CK", 100);
	for (i = 0; i < 500 && state_stats(r.state)->checkpoints == 0; i++) {
		usleep(10000);
		state_tick(r.state, NOW);
	}
	CHECK(state_stats(r.state)->checkpoints > 0);
	CHECK(state_stats(r.state)->checkpoint_frames > 0);
	CHECK_INT(state_stats(r.state)->checkpoints_inline, 0);
	CHECK(file_size(dir, "") > db0);
	incidents(&r, "CL", 100);
	rig_close(&r);
	if (rig_open(&r, dir) == -1) {
		CHECK(0);
		return;
	}
	CHECK_INT(store_nfaults(r.st), 200);
	rig_close(&r);
	rmtree(dir);
}

TEST_MAIN(T(state_restart_keeps_everything), T(state_episode_survives),
    T(state_notification_log), T(state_group_commit), T(state_chown_files),
    T(state_corrupt_moved_aside), T(state_truncated_moved_aside),
    T(state_newer_version_moved_aside),
    T(state_locked_moved_aside), T(state_readonly_moved_aside),
    T(state_migrates_v1), T(state_disk_full),
    T(state_commits_never_checkpoint), T(state_checkpoint_thread))
