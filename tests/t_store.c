#include "diag/store.h"
#include "test.h"

struct seen {
	int	 n;
	int	 ev[64];
	uint32_t idx[64];
};

struct trail {
	int		 n;
	struct store_trans t[64];
};

static void
observe(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *s)
{
	struct seen *w = arg;

	(void)s;
	if (t->kind == STORE_EV_SERVER_ADDED || t->kind == STORE_EV_ACKED)
		return;
	if (w->n < 64) {
		w->ev[w->n] = t->kind;
		w->idx[w->n] = f ? f->index : 0;
		w->n++;
	}
}

static void
record(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *s)
{
	struct trail *w = arg;

	(void)f;
	(void)s;
	if (w->n < 64)
		w->t[w->n++] = *t;
}

static struct store *
small(size_t servers, size_t open, size_t cleared)
{
	struct store_limits l;

	l.max_servers = servers;
	l.max_open = open;
	l.max_cleared = cleared;
	return store_new(&l);
}

TEST(store_server_case_insensitive)
{
	struct store *st = small(8, 8, 8);
	const struct server *a, *b;

	a = store_server_add(st, "MAILGW.corp.example", 1);
	b = store_server_add(st, "mailgw", 1);
	CHECK(a != NULL && a == b);
	CHECK_STR(a->name, "MAILGW");
	CHECK_STR(a->key, "mailgw");
	CHECK_INT(a->index, 1);
	CHECK(store_server_get(st, "MailGW") == a);
	CHECK(store_server_add(st, "", 1) == NULL);
	CHECK(store_server_add(st, "   ", 1) == NULL);
	store_free(st);
}

TEST(store_max_servers)
{
	struct store *st = small(2, 8, 8);
	const struct server *a, *b;

	a = store_server_add(st, "a", 1);
	b = store_server_add(st, "b", 1);
	CHECK(a != NULL && b != NULL);
	/* Both have an open fault: neither may go. */
	CHECK(store_fault_open(st, a, "Q1", FAULT_DIAGNOSED, 1, 1) != NULL);
	CHECK(store_fault_open(st, b, "Q1", FAULT_DIAGNOSED, 1, 1) != NULL);
	CHECK(store_server_add(st, "c", 2) == NULL);
	CHECK(store_server_add(st, "a", 2) != NULL);	/* known still fine */
	CHECK_INT(store_stats(st)->dropped[STORE_DROP_SERVERS], 1);
	CHECK_INT(store_stats(st)->servers_evicted, 0);
	CHECK_INT(store_nservers(st), 2);
	store_free(st);
}

/*
 * At the cap the least recently heard server without an open fault makes
 * room; a flood of new names never pushes out a server with a fault, and
 * a real server heard after the flood is still diagnosed.
 */
TEST(store_evicts_quiet_servers)
{
	struct store *st = small(3, 8, 8);
	struct trail w = { 0 };
	const struct server *a, *b, *c, *x;
	const struct fault *f;
	char name[32];
	uint64_t gen;
	int i;

	a = store_server_add(st, "alpha", 1);
	b = store_server_add(st, "bravo", 2);
	c = store_server_add(st, "charlie", 3);
	f = store_fault_open(st, b, "Q1", FAULT_DIAGNOSED, 2, 2);
	store_fault_changed(st, f, STORE_EV_OPENED, 2);
	store_server_heard(st, a, 10, 1, -1, NULL, 10);	/* alpha: recent */
	gen = store_servers_gen(st);
	store_observe(st, record, &w);
	x = store_server_add(st, "delta", 11);
	CHECK(x != NULL);
	/* charlie, least recently heard without a fault, made room. */
	CHECK(store_server_get(st, "charlie") == NULL);
	CHECK(store_server_get(st, "alpha") == a);
	CHECK(store_server_get(st, "bravo") == b);
	CHECK_INT(x->index, 3);
	CHECK(store_servers_gen(st) != gen);
	CHECK_INT(w.n, 2);
	CHECK_INT(w.t[0].kind, STORE_EV_SERVER_EVICTED);
	CHECK_INT(w.t[1].kind, STORE_EV_SERVER_ADDED);
	CHECK_INT(x->born, w.t[1].seq);
	(void)c;
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "forged%d", i);
		CHECK(store_server_add(st, name, 20 + i) != NULL);
	}
	CHECK(store_server_get(st, "bravo") == b);	/* open fault: kept */
	CHECK_INT(b->open_faults, 1);
	CHECK(store_server_add(st, "echo", 200) != NULL);
	CHECK_INT(store_stats(st)->servers_evicted, 1 + 100 + 1);
	CHECK_INT(store_stats(st)->dropped[STORE_DROP_SERVERS], 0);
	/* Its cleared faults lose the slot, keep the name. */
	store_fault_clear(st, f, CLEAR_OPERATOR, 300, 300);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "late%d", i);
		store_server_add(st, name, 400 + i);
	}
	CHECK(store_server_get(st, "bravo") == NULL);
	CHECK_INT(store_fault_by_index(st, f->index)->server, 0);
	CHECK_STR(store_fault_by_index(st, f->index)->host, "bravo");
	store_free(st);
}

TEST(store_max_open)
{
	struct store *st = small(4, 2, 4);
	const struct server *s = store_server_add(st, "h", 1);

	CHECK(store_fault_open(st, s, "Q1", FAULT_DIAGNOSED, 1, 1) != NULL);
	CHECK(store_fault_open(st, s, "Q2", FAULT_DIAGNOSED, 1, 1) != NULL);
	CHECK(store_fault_open(st, s, "Q3", FAULT_DIAGNOSED, 1, 1) == NULL);
	CHECK_INT(store_stats(st)->dropped[STORE_DROP_FAULTS], 1);
	CHECK_INT(s->open_faults, 2);
	store_free(st);
}

TEST(store_server_open_cap)
{
	struct store *st = small(4, 1000, 4);
	const struct server *s = store_server_add(st, "h", 1);
	char id[16];
	int i, ok = 0;

	for (i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "Q%d", i);
		if (store_fault_open(st, s, id, FAULT_DIAGNOSED, 1, 1) != NULL)
			ok++;
	}
	CHECK_INT(ok, 64);
	CHECK_INT(store_stats(st)->dropped[STORE_DROP_FAULTS], 36);
	/* The per-server array goes with the last fault, and comes back. */
	CHECK_INT(store_clear_server(st, s, CLEAR_RECOVERED, 2, 2), 64);
	CHECK_INT(s->open_faults, 0);
	for (ok = 0, i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "R%d", i);
		if (store_fault_open(st, s, id, FAULT_DIAGNOSED, 3, 3) != NULL)
			ok++;
	}
	CHECK_INT(ok, 64);
	CHECK_INT(s->open_faults, 64);
	CHECK(store_fault_find(st, s->index, "R63") != NULL);
	store_free(st);
}

TEST(store_index_stable_and_find)
{
	struct store *st = small(4, 8, 8);
	const struct server *s = store_server_add(st, "h", 1);
	const struct fault *a, *b;

	a = store_fault_open(st, s, "", FAULT_AMBIGUOUS, 10, 1);
	b = store_fault_open(st, s, "Q173496", FAULT_DIAGNOSED, 11, 1);
	CHECK_INT(a->index, 1);
	CHECK_INT(b->index, 2);
	CHECK(store_fault_find(st, s->index, "") == a);
	CHECK(store_fault_find(st, s->index, "Q173496") == b);
	CHECK(store_fault_find(st, s->index, "Q1") == NULL);
	CHECK(store_fault_by_index(st, 2) == b);
	CHECK(store_fault_by_index(st, 3) == NULL);
	store_fault_clear(st, a, CLEAR_OPERATOR, 12, 2);
	CHECK(store_fault_find(st, s->index, "") == NULL);
	CHECK(store_fault_by_index(st, 1) == a);	/* kept as cleared */
	CHECK_INT(a->state, FAULT_CLEARED);
	CHECK_INT(a->last_state, FAULT_AMBIGUOUS);
	CHECK_INT(a->reason, CLEAR_OPERATOR);
	CHECK(store_fault_clear(st, a, CLEAR_OPERATOR, 12, 2) == -1);
	/* indices are never reused */
	CHECK_INT(store_fault_open(st, s, "", FAULT_AMBIGUOUS, 13, 3)->index, 3);
	store_free(st);
}

TEST(store_max_cleared_evicts_oldest)
{
	struct store *st = small(4, 8, 2);
	const struct server *s = store_server_add(st, "h", 1);
	const struct fault *f;
	int i;

	for (i = 0; i < 5; i++) {
		f = store_fault_open(st, s, "Q1", FAULT_DIAGNOSED, i, i);
		store_fault_clear(st, f, CLEAR_RECOVERED, i, i);
	}
	CHECK_INT(store_nfaults(st), 2);
	CHECK_INT(store_fault_at(st, 0)->index, 4);
	CHECK_INT(store_fault_at(st, 1)->index, 5);
	CHECK_INT(store_stats(st)->cleared_evicted, 3);
	store_free(st);
}

TEST(store_clear_server_keeps_newer)
{
	struct store *st = small(4, 8, 8);
	const struct server *s = store_server_add(st, "h", 1);
	const struct fault *old, *young;

	old = store_fault_open(st, s, "Q1", FAULT_DIAGNOSED, 100, 1);
	young = store_fault_open(st, s, "Q2", FAULT_DIAGNOSED, 300, 1);
	CHECK_INT(store_clear_server(st, s, CLEAR_RECOVERED, 200, 2), 1);
	CHECK_INT(old->state, FAULT_CLEARED);
	CHECK_INT(young->state, FAULT_DIAGNOSED);
	CHECK_INT(s->open_faults, 1);
	store_free(st);
}

TEST(store_observers_in_order)
{
	struct store *st = small(4, 8, 8);
	const struct server *s = store_server_add(st, "h", 1);
	struct seen w = { 0 };
	const struct fault *f;

	store_observe(st, observe, &w);
	f = store_fault_open(st, s, "", FAULT_AMBIGUOUS, 1, 1);
	CHECK_INT(w.n, 0);	/* not announced until filled in */
	store_fault_changed(st, f, STORE_EV_OPENED, 1);
	store_fault_changed(st, f, STORE_EV_REFINED, 2);
	store_server_status(st, s, IMS_STATUS_START_FAILED, 1, 1, "test");
	store_server_status(st, s, IMS_STATUS_START_FAILED, 2, 2, "test");	/* no change */
	store_fault_clear(st, f, CLEAR_RECOVERED, 3, 3);
	CHECK_INT(w.n, 4);
	CHECK_INT(w.ev[0], STORE_EV_OPENED);
	CHECK_INT(w.ev[1], STORE_EV_REFINED);
	CHECK_INT(w.ev[2], STORE_EV_STATUS);
	CHECK_INT(w.ev[3], STORE_EV_CLEARED);
	CHECK_INT(store_stats(st)->faults_refined, 1);
	store_free(st);
}

TEST(store_quiet_timeout)
{
	struct store *st = small(4, 8, 8);
	const struct server *s = store_server_add(st, "h", 1);
	const struct fault *a, *b;

	a = store_fault_open(st, s, "Q1", FAULT_DIAGNOSED, 1, 100);
	b = store_fault_open(st, s, "Q2", FAULT_DIAGNOSED, 1, 500);
	CHECK_INT(store_clear_quiet(st, 200, 600), 1);
	CHECK_INT(a->state, FAULT_CLEARED);
	CHECK_INT(a->reason, CLEAR_TIMEOUT);
	CHECK_INT(b->state, FAULT_DIAGNOSED);
	store_free(st);
}

/* Forwarder numbering: gaps counted, late and repeated ignored, restarts. */
TEST(store_server_seq_gaps)
{
	struct store *st = small(8, 8, 8);
	const struct server *s = store_server_add(st, "EXCH1", 1);
	static const int64_t seqs[] = { -1, 10, 11 };
	size_t i;

	CHECK_INT(s->last_seq, -1);
	for (i = 0; i < 3; i++)
		store_server_seq(st, s, seqs[i]);
	CHECK_INT(s->last_seq, 11);
	CHECK_INT(s->seq_gaps, 0);
	store_server_seq(st, s, 11);	/* repeated */
	store_server_seq(st, s, 14);	/* 12, 13 lost */
	store_server_seq(st, s, 13);	/* late: counted, stays counted */
	store_server_seq(st, s, 15);
	CHECK_INT(s->last_seq, 15);
	CHECK_INT(s->seq_gaps, 1);
	CHECK_INT(s->seq_lost, 2);
	store_server_seq(st, s, 20);	/* 16..19 */
	store_server_seq(st, s, 1);		/* the forwarder restarted */
	store_server_seq(st, s, 2);
	CHECK_INT(s->last_seq, 2);
	CHECK_INT(s->seq_gaps, 2);
	CHECK_INT(s->seq_lost, 6);
	store_server_seq(st, s, 5000);	/* 3..4999 */
	store_server_seq(st, s, 3000);	/* far behind: restarted again */
	store_server_seq(st, s, 3001);
	CHECK_INT(s->last_seq, 3001);
	CHECK_INT(s->seq_gaps, 3);
	CHECK_INT(s->seq_lost, 6 + 4997);
	store_free(st);
}

/* Every change is one numbered transition, with its times. */
TEST(store_transitions_numbered)
{
	struct store *st = small(4, 8, 8);
	struct trail w = { 0 };
	const struct server *s;
	const struct fault *f;
	int i;

	store_observe(st, record, &w);
	s = store_server_add(st, "h", 100);
	f = store_fault_open(st, s, "", FAULT_AMBIGUOUS, 50, 101);
	store_fault_changed(st, f, STORE_EV_OPENED, 101);
	store_fault_refine(st, f, "Q1");
	store_fault_changed(st, f, STORE_EV_REFINED, 102);
	CHECK_STR(f->article, "Q1");
	CHECK_INT(f->state, FAULT_DIAGNOSED);
	CHECK_INT(s->explain, f->index);
	store_fault_ack(st, f, 1, 103);
	store_fault_ack(st, f, 1, 104);		/* no change: nothing */
	store_server_status(st, s, IMS_STATUS_START_FAILED, 50, 105, "why");
	CHECK_STR(s->status_why, "why");
	CHECK_INT(s->status_wall, 105);
	store_fault_clear(st, f, CLEAR_OPERATOR, 106, 106);
	CHECK_INT(s->explain, 0);
	CHECK_INT(w.n, 7);	/* the operator's clear: status unknown */
	for (i = 0; i < w.n; i++)
		CHECK_INT(w.t[i].seq, i + 1);
	CHECK_INT(w.t[0].kind, STORE_EV_SERVER_ADDED);
	CHECK_INT(w.t[1].kind, STORE_EV_OPENED);
	CHECK_INT(w.t[1].evtime, 50);
	CHECK_INT(w.t[1].wall, 101);
	CHECK_INT(w.t[1].fault, f->index);
	CHECK_INT(w.t[1].server, s->index);
	CHECK_INT(w.t[2].kind, STORE_EV_REFINED);
	CHECK_INT(w.t[3].kind, STORE_EV_ACKED);
	CHECK_INT(w.t[4].kind, STORE_EV_STATUS);
	CHECK_INT(w.t[4].fault, 0);
	CHECK_INT(w.t[5].kind, STORE_EV_CLEARED);
	CHECK_INT(w.t[6].kind, STORE_EV_STATUS);
	CHECK_INT(f->seq, 6);
	CHECK_INT(store_seq(st), 7);
	CHECK(store_ev_notifies(STORE_EV_OPENED));
	CHECK(!store_ev_notifies(STORE_EV_ACKED));
	store_free(st);
}

/* maxClearedFaults 0: clearing evicts at once; every quiet fault clears. */
TEST(store_quiet_clear_no_history)
{
	struct store *st = small(4, 8, 0);
	const struct server *s = store_server_add(st, "h", 1);
	int i;

	for (i = 0; i < 3; i++)
		store_fault_open(st, s, i == 0 ? "Q1" : i == 1 ? "Q2" : "Q3",
		    FAULT_DIAGNOSED, 1, 100);
	CHECK_INT(store_clear_quiet(st, 200, 600), 3);
	CHECK_INT(store_nfaults(st), 0);
	CHECK_INT(s->open_faults, 0);
	CHECK_INT(store_stats(st)->faults_cleared, 3);
	store_free(st);
}

/* Restored state: no transition, indices and sequence carry on. */
TEST(store_restore)
{
	struct store *st = small(4, 8, 8);
	struct trail w = { 0 };
	struct server sv;
	struct fault f;
	const struct server *s;
	const struct fault *g;
	uint32_t dirty[4];

	store_observe(st, record, &w);
	memset(&sv, 0, sizeof(sv));
	sv.index = 1;
	snprintf(sv.name, sizeof(sv.name), "EXCH1");
	snprintf(sv.key, sizeof(sv.key), "exch1");
	sv.status = IMS_STATUS_START_FAILED;
	sv.last_seq = -1;
	CHECK(store_restore_server(st, &sv) == 0);
	sv.index = 3;			/* not dense */
	CHECK(store_restore_server(st, &sv) == -1);
	memset(&f, 0, sizeof(f));
	f.index = 7;
	f.server = 1;
	f.state = FAULT_DIAGNOSED;
	snprintf(f.article, sizeof(f.article), "Q1");
	CHECK(store_restore_fault(st, &f) == 0);
	f.index = 5;			/* out of order */
	CHECK(store_restore_fault(st, &f) == -1);
	f.index = 9;
	f.state = FAULT_CLEARED;
	CHECK(store_restore_fault(st, &f) == 0);
	store_restore_done(st, 41, 12);
	CHECK_INT(w.n, 0);
	s = store_server_get(st, "exch1");
	CHECK(s != NULL && s->open_faults == 1 && s->explain == 7);
	CHECK(store_fault_find(st, 1, "Q1") != NULL);
	g = store_fault_open(st, s, "Q2", FAULT_DIAGNOSED, 1, 1);
	CHECK_INT(g->index, 12);
	store_fault_changed(st, g, STORE_EV_OPENED, 1);
	CHECK_INT(w.n, 1);
	CHECK_INT(w.t[0].seq, 42);
	store_server_heard(st, s, 5, 1, -1, "192.0.2.1", 5);
	CHECK_STR(s->addr, "192.0.2.1");
	CHECK_INT(store_dirty_servers(st, dirty, 4), 1);
	CHECK_INT(dirty[0], 1);
	CHECK_INT(store_dirty_servers(st, dirty, 4), 0);
	store_free(st);
}

/* An operator's clear leaves the status unknown, saying why. */
TEST(store_operator_clear_status)
{
	struct store *st = small(4, 8, 8);
	const struct server *s = store_server_add(st, "h", 1);
	const struct fault *a, *b;

	a = store_fault_open(st, s, "Q1", FAULT_DIAGNOSED, 1, 1);
	b = store_fault_open(st, s, "Q2", FAULT_DIAGNOSED, 1, 1);
	store_server_status(st, s, IMS_STATUS_START_FAILED, 1, 1, "x");
	store_fault_clear(st, a, CLEAR_OPERATOR, 5, 5);
	CHECK_INT(s->status, IMS_STATUS_START_FAILED);	/* b still open */
	store_fault_clear(st, b, CLEAR_OPERATOR, 6, 6);
	CHECK_INT(s->status, IMS_STATUS_UNKNOWN);
	CHECK_INT(s->prev_status, IMS_STATUS_START_FAILED);
	CHECK(strstr(s->status_why, "cleared (operator)") != NULL);
	store_free(st);
}

/* Silence: status silent, back to what it was when heard again. */
TEST(store_silence)
{
	struct store *st = small(4, 8, 8);
	const struct server *s = store_server_add(st, "h", 100);

	store_server_status(st, s, IMS_STATUS_RUNNING, 100, 100, "7036");
	CHECK_INT(store_check_silent(st, 100, 150), 0);
	CHECK_INT(store_check_silent(st, 101, 150), 1);
	CHECK_INT(s->status, IMS_STATUS_SILENT);
	CHECK(strstr(s->status_why, "nothing heard for 50 s") != NULL);
	CHECK_INT(store_check_silent(st, 101, 160), 0);	/* once */
	store_server_alive(st, s, 170);
	CHECK_INT(s->status, IMS_STATUS_RUNNING);
	CHECK_STR(s->status_why, "heard from again");
	store_free(st);
}

/*
 * A record that matched nothing (store_server_seen): only a known key
 * counts; its numbering and sign of life land in the struct server the
 * lookups hand out, and the server is saved with the next batch.
 */
TEST(store_server_seen_counts)
{
	struct store *st = small(8, 8, 8);
	struct store_key k;
	struct server sv;
	const struct server *s, *r;
	uint32_t dirty[8];

	s = store_server_add(st, "EXCH1", 10);
	CHECK_INT(store_dirty_servers(st, dirty, 8), 1);
	store_key_make(st, &k, "nosuch");
	CHECK_INT(store_server_seen(st, &k, 5, 20), 0);
	CHECK_INT(store_nservers(st), 1);
	store_key_make(st, &k, "exch1.corp.example");
	CHECK_INT(store_server_seen(st, &k, 10, 10), 1);
	CHECK_INT(s->last_seq, 10);
	CHECK_INT(s->heard, 10);
	CHECK_INT(store_dirty_servers(st, dirty, 8), 1);
	CHECK_INT(store_server_seen(st, &k, 10, 10), 1);	/* repeated */
	CHECK_INT(store_dirty_servers(st, dirty, 8), 0);
	CHECK_INT(store_server_seen(st, &k, 14, 30), 1);	/* 11..13 */
	CHECK_INT(s->last_seq, 14);
	CHECK_INT(s->seq_gaps, 1);
	CHECK_INT(s->seq_lost, 3);
	CHECK_INT(s->heard, 30);
	store_server_status(st, s, IMS_STATUS_RUNNING, 30, 30, "7036");
	CHECK_INT(store_check_silent(st, 31, 40), 1);
	CHECK_INT(store_server_seen(st, &k, -1, 40), 1);	/* no number */
	CHECK_INT(s->status, IMS_STATUS_RUNNING);
	CHECK_INT(s->last_seq, 14);
	CHECK_INT(s->heard, 40);
	/* Restored servers are looked up and numbered from where they were. */
	memset(&sv, 0, sizeof(sv));
	sv.index = 2;
	snprintf(sv.name, sizeof(sv.name), "EXCH2");
	snprintf(sv.key, sizeof(sv.key), "exch2");
	sv.last_seq = 100;
	sv.heard = 50;
	CHECK(store_restore_server(st, &sv) == 0);
	r = store_server_get(st, "EXCH2");
	CHECK(r != NULL && r->index == 2);
	store_key_make(st, &k, "EXCH2");
	CHECK_INT(store_server_seen(st, &k, 102, 45), 1);
	CHECK_INT(r->seq_lost, 1);
	CHECK_INT(r->heard, 50);	/* 45 is older */
	store_free(st);
}

/*
 * Keys longer than the part kept beside the hash (NetBIOS names are
 * shorter, FQDN labels need not be): names alike in their first 16 or
 * more characters are still different servers, through growth of the
 * table and eviction (an evicted server's slot and key go to the next).
 */
TEST(store_server_long_keys)
{
	static const char *names[] = {
		"exchange-site-a", "exchange-site-ab", "exchange-site-abc",
		"exchange-site-abcdefghij-1", "exchange-site-abcdefghij-2",
		"exchange-site-abcdefghij-22", "x"
	};
	struct store *st = small(7, 8, 8);
	const struct server *s[7];
	struct store_key k;
	size_t i, j;
	char name[32];

	for (i = 0; i < 7; i++) {
		s[i] = store_server_add(st, names[i], (int64_t)i);
		CHECK(s[i] != NULL);
		CHECK_STR(s[i]->key, names[i]);
	}
	for (i = 0; i < 7; i++) {
		CHECK(store_server_get(st, names[i]) == s[i]);
		store_key_make(st, &k, names[i]);
		CHECK_INT(store_server_seen(st, &k, (int64_t)i + 1, 100), 1);
		for (j = 0; j < 7; j++)
			CHECK_INT(s[j]->last_seq, j <= i ? (int64_t)j + 1 : -1);
	}
	CHECK(store_server_get(st, "exchange-site-abcdefghij-3") == NULL);
	CHECK(store_server_get(st, "exchange-site-abcdefghij-") == NULL);
	CHECK(store_server_get(st, "exchange-site-") == NULL);
	/* Evict them all, least recently heard first, for longer names. */
	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "exchange-site-abcdefghij-%zu0",
		    i);
		CHECK(store_server_add(st, name, 200 + (int64_t)i) != NULL);
		CHECK(store_server_get(st, names[i]) == NULL);
		store_key_make(st, &k, names[i]);
		CHECK_INT(store_server_seen(st, &k, 1, 300), 0);
		CHECK(store_server_get(st, name) != NULL);
	}
	CHECK_INT(store_stats(st)->servers_evicted, 7);
	store_free(st);
}

/*
 * Two long keys whose FNV-1a hashes agree in the 32 bits kept in the
 * table and in the slot bits of a 16-slot table (found by search): the
 * lookup of one meets the other's entry and must compare the keys past
 * the part kept beside the hash.
 */
TEST(store_server_key_collision)
{
	static const char a[] = "exchange-site-ab-1055878";
	static const char b[] = "exchange-site-ab-2210410";
	struct store *st = small(4, 8, 8);
	const struct server *sa, *sb;
	struct store_key k;

	sa = store_server_add(st, a, 1);
	CHECK(sa != NULL);
	CHECK(store_server_get(st, b) == NULL);
	store_key_make(st, &k, b);
	CHECK_INT(store_server_seen(st, &k, 7, 2), 0);
	CHECK_INT(sa->last_seq, -1);
	sb = store_server_add(st, b, 1);
	CHECK(sb != NULL && sb != sa);
	CHECK_INT(store_nservers(st), 2);
	CHECK(store_server_get(st, a) == sa);
	CHECK(store_server_get(st, b) == sb);
	store_free(st);
}

TEST_MAIN(T(store_server_case_insensitive), T(store_max_servers),
    T(store_operator_clear_status), T(store_silence),
    T(store_evicts_quiet_servers), T(store_transitions_numbered),
    T(store_quiet_clear_no_history), T(store_restore),
    T(store_max_open), T(store_server_open_cap), T(store_index_stable_and_find),
    T(store_max_cleared_evicts_oldest), T(store_clear_server_keeps_newer),
    T(store_observers_in_order), T(store_quiet_timeout),
    T(store_server_seq_gaps), T(store_server_seen_counts),
    T(store_server_long_keys), T(store_server_key_collision))
