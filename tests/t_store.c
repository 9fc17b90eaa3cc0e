#include "diag/store.h"
#include "test.h"

struct seen {
	int	 n;
	int	 ev[64];
	uint32_t idx[64];
};

static void
observe(void *arg, enum store_ev ev, const struct fault *f,
    const struct server *s)
{
	struct seen *w = arg;

	(void)s;
	if (w->n < 64) {
		w->ev[w->n] = ev;
		w->idx[w->n] = f ? f->index : 0;
		w->n++;
	}
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
	struct server *a, *b;

	a = store_server_add(st, "MAILGW.corp.example");
	b = store_server_add(st, "mailgw");
	CHECK(a != NULL && a == b);
	CHECK_STR(a->name, "MAILGW");
	CHECK_STR(a->key, "mailgw");
	CHECK_INT(a->index, 1);
	CHECK(store_server_get(st, "MailGW") == a);
	CHECK(store_server_add(st, "") == NULL);
	CHECK(store_server_add(st, "   ") == NULL);
	store_free(st);
}

TEST(store_max_servers)
{
	struct store *st = small(2, 8, 8);

	CHECK(store_server_add(st, "a") != NULL);
	CHECK(store_server_add(st, "b") != NULL);
	CHECK(store_server_add(st, "c") == NULL);
	CHECK(store_server_add(st, "a") != NULL);	/* known still fine */
	CHECK_INT(store_stats(st)->dropped[STORE_DROP_SERVERS], 1);
	CHECK_INT(store_nservers(st), 2);
	store_free(st);
}

TEST(store_max_open)
{
	struct store *st = small(4, 2, 4);
	struct server *s = store_server_add(st, "h");

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
	struct server *s = store_server_add(st, "h");
	char id[16];
	int i, ok = 0;

	for (i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "Q%d", i);
		if (store_fault_open(st, s, id, FAULT_DIAGNOSED, 1, 1) != NULL)
			ok++;
	}
	CHECK_INT(ok, 64);
	CHECK_INT(store_stats(st)->dropped[STORE_DROP_FAULTS], 36);
	store_free(st);
}

TEST(store_index_stable_and_find)
{
	struct store *st = small(4, 8, 8);
	struct server *s = store_server_add(st, "h");
	struct fault *a, *b;

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
	struct server *s = store_server_add(st, "h");
	struct fault *f;
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
	struct server *s = store_server_add(st, "h");
	struct fault *old, *young;

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
	struct server *s = store_server_add(st, "h");
	struct seen w = { 0 };
	struct fault *f;

	store_observe(st, observe, &w);
	f = store_fault_open(st, s, "", FAULT_AMBIGUOUS, 1, 1);
	CHECK_INT(w.n, 0);	/* not announced until filled in */
	store_fault_changed(st, f, STORE_EV_OPENED, 1);
	store_fault_changed(st, f, STORE_EV_REFINED, 2);
	store_server_status(st, s, IMS_STATUS_START_FAILED, 1);
	store_server_status(st, s, IMS_STATUS_START_FAILED, 2);	/* no change */
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
	struct server *s = store_server_add(st, "h");
	struct fault *a, *b;

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
	struct server *s = store_server_add(st, "EXCH1");
	static const int64_t seqs[] = { -1, 10, 11 };
	size_t i;

	CHECK_INT(s->last_seq, -1);
	for (i = 0; i < 3; i++)
		store_server_seq(s, seqs[i]);
	CHECK_INT(s->last_seq, 11);
	CHECK_INT(s->seq_gaps, 0);
	store_server_seq(s, 11);	/* repeated */
	store_server_seq(s, 14);	/* 12, 13 lost */
	store_server_seq(s, 13);	/* late: counted, stays counted */
	store_server_seq(s, 15);
	CHECK_INT(s->last_seq, 15);
	CHECK_INT(s->seq_gaps, 1);
	CHECK_INT(s->seq_lost, 2);
	store_server_seq(s, 20);	/* 16..19 */
	store_server_seq(s, 1);		/* the forwarder restarted */
	store_server_seq(s, 2);
	CHECK_INT(s->last_seq, 2);
	CHECK_INT(s->seq_gaps, 2);
	CHECK_INT(s->seq_lost, 6);
	store_server_seq(s, 5000);	/* 3..4999 */
	store_server_seq(s, 3000);	/* far behind: restarted again */
	store_server_seq(s, 3001);
	CHECK_INT(s->last_seq, 3001);
	CHECK_INT(s->seq_gaps, 3);
	CHECK_INT(s->seq_lost, 6 + 4997);
	store_free(st);
}

TEST_MAIN(T(store_server_case_insensitive), T(store_max_servers),
    T(store_max_open), T(store_server_open_cap), T(store_index_stable_and_find),
    T(store_max_cleared_evicts_oldest), T(store_clear_server_keeps_newer),
    T(store_observers_in_order), T(store_quiet_timeout),
    T(store_server_seq_gaps))
