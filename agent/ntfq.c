/*
 * ntfq: a ring of notification items in queue order (see ntfq.h).  Item
 * ids are contiguous, so the item with id x is at offset x - (front id).
 */
#include "ntfq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ntfq {
	struct ntfq_item *ring;
	size_t		 max;
	size_t		 head;		/* ring index of the front item */
	size_t		 n;		/* items in the ring */
	size_t		 cursor;	/* offset: no WAIT item before it */
	size_t		 nwait, nsent;
	uint64_t	 next_id;
	struct ntfq_stats st;
};

static struct ntfq_item *at(const struct ntfq *, size_t);
static void	 pop_front(struct ntfq *);

struct ntfq *
ntfq_new(size_t max)
{
	struct ntfq *q;

	if (max == 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	if ((q->ring = calloc(max, sizeof(*q->ring))) == NULL) {
		free(q);
		return NULL;
	}
	q->max = max;
	q->next_id = 1;
	return q;
}

void
ntfq_free(struct ntfq *q)
{
	if (q == NULL)
		return;
	while (q->n > 0)
		pop_front(q);
	free(q->ring);
	free(q);
}

static struct ntfq_item *
at(const struct ntfq *q, size_t off)
{
	return &q->ring[(q->head + off) % q->max];
}

/* Remove the front item, whatever its state. */
static void
pop_front(struct ntfq *q)
{
	struct ntfq_item *it = at(q, 0);

	if (it->ni_state == NTFQ_WAIT)
		q->nwait--;
	else if (it->ni_state == NTFQ_SENT)
		q->nsent--;
	free(it->ni_blob);
	memset(it, 0, sizeof(*it));
	q->head = (q->head + 1) % q->max;
	q->n--;
	if (q->cursor > 0)
		q->cursor--;
}

int
ntfq_push(struct ntfq *q, uint64_t seq, int64_t time, int kind,
    const void *blob, size_t len, uint64_t *dropped)
{
	struct ntfq_item *it;
	uint8_t *copy;
	int rc = 0;

	if ((copy = malloc(len > 0 ? len : 1)) == NULL) {
		q->st.nq_nomem++;
		errno = ENOMEM;
		return -1;
	}
	memcpy(copy, blob, len);
	if (q->n == q->max) {
		if (dropped != NULL)
			*dropped = at(q, 0)->ni_seq;
		/* One in flight is the master's now: not known lost. */
		if (at(q, 0)->ni_state == NTFQ_WAIT)
			q->st.nq_overflow++;
		else if (at(q, 0)->ni_state == NTFQ_SENT)
			q->st.nq_unknown++;
		pop_front(q);
		rc = 1;
	}
	it = at(q, q->n);
	it->ni_id = q->next_id++;
	it->ni_seq = seq;
	it->ni_time = time;
	it->ni_kind = kind;
	it->ni_state = NTFQ_WAIT;
	it->ni_blob = copy;
	it->ni_len = len;
	q->n++;
	q->nwait++;
	q->st.nq_queued++;
	return rc;
}

struct ntfq_item *
ntfq_next(struct ntfq *q)
{
	while (q->cursor < q->n && at(q, q->cursor)->ni_state != NTFQ_WAIT)
		q->cursor++;
	return q->cursor < q->n ? at(q, q->cursor) : NULL;
}

void
ntfq_sent(struct ntfq *q, struct ntfq_item *it)
{
	if (it->ni_state != NTFQ_WAIT)
		return;
	it->ni_state = NTFQ_SENT;
	q->nwait--;
	q->nsent++;
}

int
ntfq_done(struct ntfq *q, uint64_t id, int acked)
{
	struct ntfq_item *it;
	uint64_t front;

	if (q->n == 0)
		return -1;
	front = at(q, 0)->ni_id;
	if (id < front || id - front >= q->n)
		return -1;
	it = at(q, (size_t)(id - front));
	/*
	 * An answer for an item sent before a reconnect and queued again:
	 * an acknowledgement still means it arrived; a timeout says nothing.
	 */
	if (it->ni_state == NTFQ_DONE || (it->ni_state == NTFQ_WAIT && !acked))
		return 0;
	if (it->ni_state == NTFQ_WAIT)
		q->nwait--;
	else
		q->nsent--;
	it->ni_state = NTFQ_DONE;
	if (acked)
		q->st.nq_acked++;
	else
		q->st.nq_unknown++;
	while (q->n > 0 && at(q, 0)->ni_state == NTFQ_DONE)
		pop_front(q);
	return 0;
}

size_t
ntfq_requeue(struct ntfq *q)
{
	size_t i, n = 0;

	for (i = 0; i < q->n; i++) {
		if (at(q, i)->ni_state != NTFQ_SENT)
			continue;
		at(q, i)->ni_state = NTFQ_WAIT;
		n++;
	}
	q->nsent -= n;
	q->nwait += n;
	q->st.nq_resent += n;
	q->cursor = 0;
	return n;
}

size_t
ntfq_waiting(const struct ntfq *q)
{
	return q->nwait;
}

size_t
ntfq_outstanding(const struct ntfq *q)
{
	return q->nsent;
}

size_t
ntfq_max(const struct ntfq *q)
{
	return q->max;
}

const struct ntfq_stats *
ntfq_stats(const struct ntfq *q)
{
	return &q->st;
}

void
ntf_rate_init(struct ntf_rate *r, unsigned rate)
{
	r->nr_rate = rate;
	r->nr_next = 0;
}

int
ntf_rate_take(struct ntf_rate *r, int64_t now_us, int64_t *wait_us)
{
	int64_t step;

	if (r->nr_rate == 0)
		return 1;
	if (now_us < r->nr_next) {
		if (wait_us != NULL)
			*wait_us = r->nr_next - now_us;
		return 0;
	}
	step = 1000000 / (int64_t)r->nr_rate;
	r->nr_next = (r->nr_next > now_us - step ? r->nr_next : now_us) +
	    step;
	return 1;
}

struct ntf_log {
	struct ntf_log_entry *ring;
	size_t		 max, head, n;
};

struct ntf_log *
ntf_log_new(size_t max)
{
	struct ntf_log *l;

	if (max == 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->ring = calloc(max, sizeof(*l->ring))) == NULL) {
		free(l);
		return NULL;
	}
	l->max = max;
	return l;
}

void
ntf_log_free(struct ntf_log *l)
{
	if (l == NULL)
		return;
	free(l->ring);
	free(l);
}

static const struct ntf_log_entry *
log_at(const struct ntf_log *l, size_t off)
{
	return &l->ring[(l->head + off) % l->max];
}

void
ntf_log_add(struct ntf_log *l, const struct ntf_log_entry *e)
{
	if (l->n > 0 && e->nl_seq <= log_at(l, l->n - 1)->nl_seq)
		return;
	if (l->n == l->max) {
		l->head = (l->head + 1) % l->max;
		l->n--;
	}
	l->ring[(l->head + l->n) % l->max] = *e;
	l->n++;
}

const struct ntf_log_entry *
ntf_log_find(const struct ntf_log *l, uint64_t seq, int exact)
{
	size_t lo = 0, hi = l->n, mid;

	/* The first entry with nl_seq >= seq (or > seq for the next one). */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (log_at(l, mid)->nl_seq < seq ||
		    (!exact && log_at(l, mid)->nl_seq == seq))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == l->n || (exact && log_at(l, lo)->nl_seq != seq))
		return NULL;
	return log_at(l, lo);
}

size_t
ntf_log_len(const struct ntf_log *l)
{
	return l->n;
}
