/*
 * t_ntfq: imsmond's outgoing notification queue and rate limit (agent/
 * ntfq.c): order, the window of sent items, acknowledgement out of order,
 * requeue after the master went away, overflow dropping the oldest.
 */
#include "test.h"

#include "../agent/ntfq.h"

static struct ntfq *
filled(size_t max, int n)
{
	struct ntfq *q = ntfq_new(max);
	char b[16];
	int i;

	if (q == NULL)
		abort();
	for (i = 1; i <= n; i++) {
		snprintf(b, sizeof(b), "n%d", i);
		if (ntfq_push(q, (uint64_t)i * 10, i, 1, b, strlen(b) + 1,
		    NULL) < 0)
			abort();
	}
	return q;
}

TEST(order_and_window)
{
	struct ntfq *q = filled(8, 3);
	struct ntfq_item *it;

	CHECK_INT(ntfq_waiting(q), 3);
	it = ntfq_next(q);
	CHECK(it != NULL);
	CHECK_INT(it->ni_seq, 10);
	CHECK_STR((char *)it->ni_blob, "n1");
	/* Not sent yet: the same one again. */
	CHECK(ntfq_next(q) == it);
	ntfq_sent(q, it);
	it = ntfq_next(q);
	CHECK_INT(it->ni_seq, 20);
	ntfq_sent(q, it);
	CHECK_INT(ntfq_outstanding(q), 2);
	CHECK_INT(ntfq_waiting(q), 1);
	/* The second answered first: the first still holds the front. */
	CHECK_INT(ntfq_done(q, 2, 1), 0);
	CHECK_INT(ntfq_outstanding(q), 1);
	CHECK_INT(ntfq_done(q, 1, 1), 0);
	CHECK_INT(ntfq_outstanding(q), 0);
	CHECK_INT(ntfq_stats(q)->nq_acked, 2);
	it = ntfq_next(q);
	CHECK_INT(it->ni_seq, 30);
	/* Ids gone or never made. */
	CHECK_INT(ntfq_done(q, 1, 1), -1);
	CHECK_INT(ntfq_done(q, 99, 1), -1);
	ntfq_free(q);
}

TEST(requeue_keeps_order)
{
	struct ntfq *q = filled(8, 4);
	struct ntfq_item *it;
	int i;

	for (i = 0; i < 3; i++)
		ntfq_sent(q, ntfq_next(q));
	CHECK_INT(ntfq_done(q, 2, 1), 0);	/* 2 arrived */
	CHECK_INT(ntfq_requeue(q), 2);		/* 1 and 3 did not say */
	CHECK_INT(ntfq_outstanding(q), 0);
	CHECK_INT(ntfq_waiting(q), 3);
	it = ntfq_next(q);
	CHECK_INT(it->ni_seq, 10);
	ntfq_sent(q, it);
	it = ntfq_next(q);
	CHECK_INT(it->ni_seq, 30);		/* 2 is not sent again */
	ntfq_sent(q, it);
	CHECK_INT(ntfq_next(q)->ni_seq, 40);
	/* A late timeout for a requeued item says nothing... */
	ntfq_requeue(q);
	CHECK_INT(ntfq_done(q, 3, 0), 0);
	CHECK_INT(ntfq_waiting(q), 3);
	/* ...a late acknowledgement does. */
	CHECK_INT(ntfq_done(q, 3, 1), 0);
	CHECK_INT(ntfq_waiting(q), 2);
	CHECK_INT(ntfq_stats(q)->nq_resent, 4);
	ntfq_free(q);
}

TEST(overflow_drops_oldest)
{
	struct ntfq *q = filled(3, 3);
	uint64_t dropped = 0;
	int i;

	ntfq_sent(q, ntfq_next(q));
	CHECK_INT(ntfq_push(q, 40, 4, 1, "n4", 3, &dropped), 1);
	CHECK_INT(dropped, 10);
	CHECK_INT(ntfq_outstanding(q), 0);	/* the sent one went */
	CHECK_INT(ntfq_waiting(q), 3);
	CHECK_INT(ntfq_stats(q)->nq_overflow, 0);	/* it was in flight */
	CHECK_INT(ntfq_stats(q)->nq_unknown, 1);
	/* Its late answer is ignored. */
	CHECK_INT(ntfq_done(q, 1, 1), -1);
	for (i = 5; i <= 10; i++)
		CHECK_INT(ntfq_push(q, (uint64_t)i * 10, i, 1, "x", 2, NULL),
		    1);
	CHECK_INT(ntfq_stats(q)->nq_overflow, 6);
	CHECK_INT(ntfq_next(q)->ni_seq, 80);
	/* Drain it all: the ring wraps cleanly. */
	for (i = 0; i < 3; i++) {
		struct ntfq_item *it = ntfq_next(q);

		ntfq_sent(q, it);
		CHECK_INT(ntfq_done(q, it->ni_id, i != 1), 0);
	}
	CHECK(ntfq_next(q) == NULL);
	CHECK_INT(ntfq_stats(q)->nq_unknown, 2);
	CHECK_INT(ntfq_stats(q)->nq_queued, 10);
	ntfq_free(q);
}

TEST(bad_size)
{
	CHECK(ntfq_new(0) == NULL);
	ntfq_free(NULL);
}

TEST(rate_spacing)
{
	struct ntf_rate r;
	int64_t wait = 0, t;
	int n = 0;

	ntf_rate_init(&r, 0);
	for (t = 0; t < 100; t++)
		n += ntf_rate_take(&r, 0, NULL);
	CHECK_INT(n, 100);			/* 0: no limit */

	ntf_rate_init(&r, 50);
	CHECK_INT(ntf_rate_take(&r, 1000000, &wait), 1);
	CHECK_INT(ntf_rate_take(&r, 1000000, &wait), 0);
	CHECK_INT(wait, 20000);
	/* Over one second of a busy caller: 50, not more. */
	n = 0;
	for (t = 1000000; t < 2000000; t += 100)
		n += ntf_rate_take(&r, t, NULL);
	CHECK(n >= 49 && n <= 50);
	/* An idle minute earns no burst. */
	n = 0;
	for (t = 62000000; t < 62100000; t += 100)
		n += ntf_rate_take(&r, t, NULL);
	CHECK(n >= 5 && n <= 6);
}

TEST(log_ring)
{
	struct ntf_log *l = ntf_log_new(4);
	struct ntf_log_entry e;
	uint64_t seq;

	CHECK(l != NULL);
	CHECK(ntf_log_find(l, 0, 0) == NULL);
	memset(&e, 0, sizeof(e));
	for (seq = 1; seq <= 6; seq++) {
		e.nl_seq = seq * 2;		/* 2, 4, ... 12 */
		ntf_log_add(l, &e);
	}
	e.nl_seq = 5;				/* going back: ignored */
	ntf_log_add(l, &e);
	CHECK_INT(ntf_log_len(l), 4);
	CHECK(ntf_log_find(l, 4, 1) == NULL);	/* pushed out */
	CHECK_INT(ntf_log_find(l, 6, 1)->nl_seq, 6);
	CHECK(ntf_log_find(l, 7, 1) == NULL);
	CHECK_INT(ntf_log_find(l, 0, 0)->nl_seq, 6);
	CHECK_INT(ntf_log_find(l, 6, 0)->nl_seq, 8);
	CHECK_INT(ntf_log_find(l, 7, 0)->nl_seq, 8);
	CHECK(ntf_log_find(l, 12, 0) == NULL);
	ntf_log_free(l);
}

TEST_MAIN(T(order_and_window), T(log_ring), T(requeue_keeps_order),
    T(overflow_drops_oldest), T(bad_size), T(rate_spacing))
