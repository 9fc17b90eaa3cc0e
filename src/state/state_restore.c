/*
 * state_restore: the store, and diag's open episodes, rebuilt from the
 * database at start; and the read-only reader behind imsdiag state,
 * which shares the row decoding.
 */
#include "state/state_int.h"
#include "util/sbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <syslog.h>

static void	 parse_evidence(struct fault *, const char *);

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
	state_col_text(q, 1, sv->key, sizeof(sv->key));
	state_col_text(q, 2, sv->name, sizeof(sv->name));
	sv->status = (enum ims_status)sqlite3_column_int(q, 3);
	sv->prev_status = (enum ims_status)sqlite3_column_int(q, 4);
	sv->status_time = sqlite3_column_int64(q, 5);
	sv->last_event_time = sqlite3_column_int64(q, 6);
	sv->last_event_id = sqlite3_column_int(q, 7);
	sv->events = (uint64_t)sqlite3_column_int64(q, 8);
	sv->last_seq = sqlite3_column_int64(q, 9);
	sv->seq_gaps = (uint64_t)sqlite3_column_int64(q, 10);
	sv->seq_lost = (uint64_t)sqlite3_column_int64(q, 11);
	state_col_text(q, 12, sv->addr, sizeof(sv->addr));
	sv->status_wall = sqlite3_column_int64(q, 13);
	state_col_text(q, 14, sv->status_why, sizeof(sv->status_why));
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
	state_col_text(q, 2, f->host, sizeof(f->host));
	state_col_text(q, 3, f->article, sizeof(f->article));
	f->state = (enum fault_state)sqlite3_column_int(q, 4);
	f->last_state = (enum fault_state)sqlite3_column_int(q, 5);
	f->confidence = (uint32_t)sqlite3_column_int(q, 6);
	f->count = (uint64_t)sqlite3_column_int64(q, 7);
	f->first_seen = sqlite3_column_int64(q, 8);
	f->last_seen = sqlite3_column_int64(q, 9);
	state_col_text(q, 10, ev, sizeof(ev));
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
			state_log(s, LOG_WARNING, "state: server %u not "
			    "restored (%s)", (unsigned)sv.index,
			    strerror(errno));
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
		state_col_text(q, 0, c->article, sizeof(c->article));
		c->score = sqlite3_column_double(q, 1);
		state_col_text(q, 2, c->decide, sizeof(c->decide));
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
			state_log(s, LOG_WARNING, "state: fault %u not "
			    "restored (%s)", (unsigned)f.index,
			    strerror(errno));
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
int
state_restore(struct state *s)
{
	int64_t seq = 0, next = 1;
	char why[256];

	if (state_db_int(s, "SELECT coalesce((SELECT v FROM meta WHERE"
	    " k = 'seq'), 0)", &seq, why, sizeof(why)) == -1 ||
	    state_db_int(s, "SELECT coalesce((SELECT v FROM meta WHERE"
	    " k = 'next_fault'), 1)", &next, why, sizeof(why)) == -1 ||
	    restore_servers(s) == -1 ||
	    restore_faults(s, s->conf.restore_cleared) == -1 ||
	    restore_episodes(s) == -1)
		return -1;
	/* Never below what any row says. */
	store_restore_done(s->st, (uint64_t)seq, (uint32_t)next);
	return 0;
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
		seterr(err, errsz, "unknown query");
		return -1;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE) >=
	    (int)sizeof(path)) {
		seterr(err, errsz, "%s: path too long", dir);
		return -1;
	}
	if ((rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL)) != SQLITE_OK) {
		seterr(err, errsz, "%s: %s", path, sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(db, BUSY_MS);
	if ((rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL)) != SQLITE_OK) {
		seterr(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
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
			state_col_text(q, 6, n.host, sizeof(n.host));
			state_col_text(q, 7, n.article, sizeof(n.article));
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
		seterr(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return ret;
}
