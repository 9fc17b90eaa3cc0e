/*
 * state: opening the state (and rebuilding the store from it) and
 * closing it, the clock that commits and prunes, the accessors, handing
 * the files to the user of -u/-g, and the notification log for the MIB.
 * state_int.h says which file does what.
 */
#include "state/state_int.h"
#include "util/sbuf.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <syslog.h>

void
state_conf_default(struct state_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->sync_interval = 1;
	c->group_ms = STATE_GROUP_MS;
	c->ckpt_frames = STATE_CKPT_FRAMES;
	c->history_age = 90 * 86400;
	c->history_max = 100000;
	c->log_max = 10000;
	c->restore_cleared = 1024;
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
		state_log(s, LOG_ERR, "state directory %s: %s", s->dir,
		    strerror(errno));
		goto fail;
	}
	if (state_db_open(s, why, sizeof(why)) == -1 ||
	    state_restore(s) == -1) {
		if (why[0] == '\0' || s->db == NULL)
			snprintf(why, sizeof(why), "%s", s->db != NULL ?
			    sqlite3_errmsg(s->db) : "cannot open");
		state_db_close(s);
		state_move_aside(s, why, now);
		s->health = STATE_RESET;
		if (state_db_open(s, why, sizeof(why)) == -1) {
			state_log(s, LOG_ERR, "state %s: %s; running without "
			    "saving state", s->path, why);
			state_db_close(s);
			errno = EIO;
			goto fail;
		}
	}
	state_ckpt_init(s);
	s->committed = s->saved = store_seq(st);
	s->next_commit = now + s->conf.sync_interval;
	s->next_prune = now;
	s->stats.last_commit = now;
	if (store_observe(st, state_observer, s) == -1)
		goto fail;
	state_log(s, LOG_INFO, "state %s: %llu servers, %llu faults, %llu "
	    "episodes restored, sequence %llu", s->path,
	    (unsigned long long)s->stats.restored_servers,
	    (unsigned long long)s->stats.restored_faults,
	    (unsigned long long)s->stats.restored_episodes,
	    (unsigned long long)store_seq(st));
	return s;
fail:
	state_ckpt_stop(s);
	state_db_close(s);
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
	/* The thread ends first; the last checkpoint is ours. */
	s->conf.ckpt_frames = 0;
	state_ckpt_stop(s);
	if (s->db != NULL) {
		(void)state_commit(s, now, 0);
		(void)sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)",
		    NULL, NULL, NULL);
	}
	state_db_close(s);
	free(s->ntf);
	free(s->cleared);
	free(s->gone);
	free(s);
}

void
state_tick(struct state *s, int64_t now)
{
	if (s == NULL || s->db == NULL)
		return;
	if (now >= s->next_commit) {
		s->next_commit = now + (s->conf.sync_interval > 0 ?
		    s->conf.sync_interval : 1);
		(void)state_commit(s, now, 0);
	}
	if (now >= s->next_prune) {
		s->next_prune = now + PRUNE_SECS;
		state_prune(s, now);
	}
	state_ckpt_stats(s);
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
		seterr(err, errsz, "%s: %s", s->dir, strerror(e));
		errno = e;
		return -1;
	}
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", STATE_FILE, sfx[i]);
		if (fchownat(fd, name, uid, gid, AT_SYMLINK_NOFOLLOW) == -1 &&
		    errno != ENOENT) {
			e = errno;
			seterr(err, errsz, "%s/%s: %s", s->dir, name,
			    strerror(e));
			close(fd);
			errno = e;
			return -1;
		}
	}
	/* The directory too, when it is the state's own. */
	if ((dfd = dup(fd)) == -1 || (dir = fdopendir(dfd)) == NULL) {
		e = errno;
		seterr(err, errsz, "%s: %s", s->dir, strerror(e));
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
		seterr(err, errsz, "%s: %s", s->dir, strerror(e));
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
			state_col_text(q, 6, out->host, sizeof(out->host));
			state_col_text(q, 7, out->article,
			    sizeof(out->article));
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
