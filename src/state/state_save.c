/*
 * state_save: what reaches the database and when.  The observer notes
 * what each transition of the store touched; a commit writes it in one
 * transaction (all of it on the clock, only what notified for a group
 * commit), updating rows in place and leaving alone what did not change;
 * history and the notification log are pruned by age and count.
 */
#include "state/state_int.h"
#include "util/sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <syslog.h>

static int	 put_server(struct state *, const struct server *, int);
static int	 put_fault(struct state *, const struct fault *);
static int	 put_ntf(struct state *, const struct state_ntf *);
static int	 put_meta(struct state *, const char *, int64_t);
static int	 put_episode(void *, const struct diag_ep *);
static uint64_t	 fnv(uint64_t, const void *, size_t);
static int	 step_done(struct state *, sqlite3_stmt *);

/* Note idx in list, unless it is the last one there; full: write all. */
static void
note_index(struct state *s, uint32_t *list, size_t *n, uint32_t idx)
{
	if (*n > 0 && list[*n - 1] == idx)
		return;
	if (*n < TSRV_MAX)
		list[(*n)++] = idx;
	else
		s->tsrv_lost = 1;
}

/* Every transition: what must reach the database at the next commit. */
void
state_observer(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *sv)
{
	struct state *s = arg;
	struct state_ntf *n;

	if (f != NULL && t->kind != STORE_EV_UPDATED)
		note_index(s, s->tflt, &s->ntflt, f->index);
	if (sv != NULL && t->kind != STORE_EV_SERVER_EVICTED)
		note_index(s, s->tsrv, &s->ntsrv, sv->index);
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
			(void)state_commit(s, t->wall, 0);
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
	struct sbuf sb;
	size_t i;

	(void)s;
	sbuf_init(&sb, ev, sizeof(ev));
	for (i = 0; i < f->nevidence && i < STORE_EVIDENCE_MAX; i++)
		(void)sbuf_printf(&sb, "%s%u", i ? "," : "",
		    (unsigned)f->evidence[i]);
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

/* The servers' rows: all of them (full), or what changed since the last. */
static int
write_servers(struct state *s, int full, int urgent)
{
	const struct server *sv;
	size_t i, n;

	if (full) {
		memset(s->epfp, 0, sizeof(s->epfp));
		if (state_db_exec(s, "DELETE FROM server") == -1 ||
		    state_db_exec(s, "DELETE FROM episode") == -1)
			return -1;
		while (store_dirty_servers(s->st, s->dirty, DIRTY_CHUNK) > 0)
			;
		for (i = 0; i < store_nservers(s->st); i++)
			if (put_server(s, store_server_at(s->st, i), 1) == -1)
				return -1;
	} else {
		for (i = 0; i < s->ngone; i++) {
			bind_text(s->q[Q_SERVER_DEL_KEY], 1, s->gone[i]);
			if (step_done(s, s->q[Q_SERVER_DEL_KEY]) == -1)
				return -1;
		}
		for (i = 0; urgent && i < s->ntsrv; i++)
			if ((sv = store_server_by_index(s->st,
			    s->tsrv[i])) != NULL && put_server(s, sv, 0) == -1)
				return -1;
		while (!urgent && (n = store_dirty_servers(s->st, s->dirty,
		    DIRTY_CHUNK)) > 0)
			for (i = 0; i < n; i++)
				if ((sv = store_server_by_index(s->st,
				    s->dirty[i])) != NULL &&
				    put_server(s, sv, 1) == -1)
					return -1;
	}
	return 0;
}

/* Cleared faults, faults, notifications and the sequence. */
static int
write_faults(struct state *s, int full, int urgent)
{
	const struct fault *f;
	size_t i;

	for (i = 0; i < s->ncleared; i++)
		if (put_fault(s, &s->cleared[i]) == -1)
			return -1;
	for (i = 0; urgent && !full && i < s->ntflt; i++)
		if ((f = store_fault_by_index(s->st, s->tflt[i])) != NULL &&
		    put_fault(s, f) == -1)
			return -1;
	for (i = 0; (!urgent || full) && i < store_nfaults(s->st); i++) {
		f = store_fault_at(s->st, i);
		if ((full || f->seq > s->committed) && put_fault(s, f) == -1)
			return -1;
	}
	for (i = 0; i < s->nntf; i++)
		if (put_ntf(s, &s->ntf[(s->ntf_head + i) %
		    PENDING_NTF_MAX]) == -1)
			return -1;
	if (put_meta(s, "seq", (int64_t)store_seq(s->st)) == -1 ||
	    put_meta(s, "next_fault",
	    (int64_t)store_next_fault_index(s->st)) == -1)
		return -1;
	return 0;
}

/* After COMMIT: what is saved now, and the health told if it came back. */
static void
commit_done(struct state *s, int64_t now, int full, int urgent)
{
	int pages, hi;

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
		state_log(s, LOG_NOTICE, "state %s: saved again after %llu "
		    "failed commits", s->path,
		    (unsigned long long)s->stats.commit_failures);
	}
}

/* A commit that failed: rolled back, the next one full, logged at a rate. */
static void
commit_failed(struct state *s, int64_t now)
{
	(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	memset(s->candfp, 0, sizeof(s->candfp));
	memset(s->epfp, 0, sizeof(s->epfp));
	s->full = 1;
	s->stats.commit_failures++;
	s->unlogged++;
	if (s->health != STATE_UNSAVED || now - s->logged >= STATE_LOG_SECS) {
		state_log(s, LOG_ERR, "state %s: commit failed (%s), %llu "
		    "times since the last line; running from memory, retrying",
		    s->path, sqlite3_errmsg(s->db),
		    (unsigned long long)s->unlogged);
		s->logged = now;
		s->unlogged = 0;
	}
	s->health = STATE_UNSAVED;
	s->retry_at = now + (s->conf.sync_interval > 0 ?
	    s->conf.sync_interval : 1);
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
int
state_commit(struct state *s, int64_t now, int urgent)
{
	int full = s->full || s->gone_lost;

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
	if (tx(s, Q_BEGIN) == -1 || write_servers(s, full, urgent) == -1 ||
	    write_faults(s, full, urgent) == -1 || tx(s, Q_COMMIT) == -1) {
		commit_failed(s, now);
		return -1;
	}
	commit_done(s, now, full, urgent);
	return 0;
}

int
state_sync(struct state *s, int64_t now)
{
	if (s == NULL)
		return -1;
	return state_commit(s, now, 1);
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
	return state_commit(s, now, 1);
}

/* Cleared history by age and by count; notification log by count. */
void
state_prune(struct state *s, int64_t now)
{
	char sql[256];

	if (s->db == NULL || s->health == STATE_UNSAVED)
		return;
	if (state_db_exec(s, "BEGIN IMMEDIATE") == -1)
		return;
	if (s->conf.history_age > 0) {
		snprintf(sql, sizeof(sql), "DELETE FROM fault WHERE state = 3"
		    " AND touched < %lld",
		    (long long)(now - s->conf.history_age));
		(void)state_db_exec(s, sql);
	}
	if (s->conf.history_max > 0) {
		snprintf(sql, sizeof(sql), "DELETE FROM fault WHERE state = 3"
		    " AND idx < (SELECT idx FROM fault WHERE state = 3 ORDER BY"
		    " idx DESC LIMIT 1 OFFSET %zu)", s->conf.history_max - 1);
		(void)state_db_exec(s, sql);
	}
	(void)state_db_exec(s, "DELETE FROM cand WHERE fault NOT IN"
	    " (SELECT idx FROM fault)");
	if (s->conf.log_max > 0) {
		snprintf(sql, sizeof(sql), "DELETE FROM ntf WHERE seq <"
		    " (SELECT seq FROM ntf ORDER BY seq DESC LIMIT 1 OFFSET %zu)",
		    s->conf.log_max - 1);
		(void)state_db_exec(s, sql);
	}
	if (state_db_exec(s, "COMMIT") == -1)
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	/* Cand rows of pruned faults are gone. */
	memset(s->candfp, 0, sizeof(s->candfp));
}
