/*
 * ntfq: the outgoing notification queue of imsmond, and the rate limit
 * that paces it.  No Net-SNMP here: trap_make.c encodes each
 * notification into an opaque blob and pushes it; trap.c hands the
 * queue's items to the master as the AgentX window and the rate limit
 * allow.
 *
 * Items stay in the queue, in order, until the master has acknowledged
 * them (ntfq_done()).  An item goes through WAIT (not handed out yet) ->
 * SENT (handed to the master, no answer yet) -> done, when it leaves the
 * queue from the front.  When the master goes away, every SENT item is
 * WAIT again (ntfq_requeue()) and is sent again after the reconnect:
 * delivery is at least once, and the sequence number each notification
 * carries lets a receiver drop a duplicate.
 *
 * The queue holds at most max items.  A push onto a full queue drops the
 * oldest item (counted in nq_overflow if it was never sent), so a master that never comes back
 * costs a bounded amount of memory and the newest notifications win.
 */
#ifndef IMSMON_NTFQ_H
#define IMSMON_NTFQ_H

#include <stddef.h>
#include <stdint.h>

enum ntfq_state {
	NTFQ_WAIT = 0,
	NTFQ_SENT,
	NTFQ_DONE
};

struct ntfq_item {
	uint64_t	 ni_id;		/* queue's own, from 1, contiguous */
	uint64_t	 ni_seq;	/* the notification's sequence number */
	int64_t		 ni_time;	/* when it was made, wall clock */
	int		 ni_kind;	/* the notification, imsMonNotifications N */
	enum ntfq_state	 ni_state;
	uint8_t		*ni_blob;	/* the encoded varbinds */
	size_t		 ni_len;
};

struct ntfq_stats {
	uint64_t	 nq_queued;	/* pushed */
	uint64_t	 nq_acked;	/* acknowledged by the master */
	uint64_t	 nq_unknown;	/* sent, no answer in time (or pushed
					   out of a full queue while in
					   flight): may have arrived, never
					   sent again */
	uint64_t	 nq_overflow;	/* oldest dropped on a full queue
					   before it was sent */
	uint64_t	 nq_nomem;	/* not queued: out of memory */
	uint64_t	 nq_resent;	/* SENT again after a reconnect */
};

struct ntfq;

/* NULL with errno on ENOMEM or EINVAL (max 0). */
struct ntfq	*ntfq_new(size_t max);
void		 ntfq_free(struct ntfq *);

/*
 * Append a copy of blob[0..len) with seq, time and kind.  Returns 0, 1 if
 * the oldest item was dropped to make room (*dropped, if not NULL, gets
 * its sequence number), or -1 with errno ENOMEM (counted, not queued).
 */
int		 ntfq_push(struct ntfq *, uint64_t seq, int64_t time, int kind,
		    const void *blob, size_t len, uint64_t *dropped);

/* The first WAIT item, or NULL.  Stays WAIT until ntfq_sent(). */
struct ntfq_item *ntfq_next(struct ntfq *);
void		 ntfq_sent(struct ntfq *, struct ntfq_item *);

/*
 * The master answered item id (acked 1) or did not in time (acked 0).
 * An id no longer queued (dropped) is ignored.  Done items leave from the
 * front.  Returns 0, or -1 if id is not in the queue.
 */
int		 ntfq_done(struct ntfq *, uint64_t id, int acked);

/* The master went away: SENT items are WAIT again, in order. */
size_t		 ntfq_requeue(struct ntfq *);

size_t		 ntfq_waiting(const struct ntfq *);	/* WAIT */
size_t		 ntfq_outstanding(const struct ntfq *);	/* SENT */
size_t		 ntfq_max(const struct ntfq *);
const struct ntfq_stats *ntfq_stats(const struct ntfq *);

/*
 * A rate limit of at most rate notifications per second of the caller's
 * microsecond clock (0: none), without bursts: a second's allowance is
 * spread evenly, so 50/s lets one through every 20 ms, and an idle
 * spell earns no credit.
 */
struct ntf_rate {
	unsigned	 nr_rate;
	int64_t		 nr_next;	/* us: the next one may go */
};

void		 ntf_rate_init(struct ntf_rate *, unsigned);
/* 1 and consumed if one may go at now_us; else 0, *wait_us until then. */
int		 ntf_rate_take(struct ntf_rate *, int64_t now_us,
		    int64_t *wait_us);

/*
 * The notification log: the last max notifications made, in sequence
 * order, for an NMS that missed some to catch up from (imsNtfLogTable).
 */
#define NTF_LOG_SERVER	64
#define NTF_LOG_ARTICLE	16

struct ntf_log_entry {
	uint64_t	 nl_seq;
	int64_t		 nl_time;
	int		 nl_kind;
	uint32_t	 nl_fault;	/* 0: none */
	char		 nl_server[NTF_LOG_SERVER];	/* display name */
	char		 nl_article[NTF_LOG_ARTICLE];
};

struct ntf_log;

struct ntf_log	*ntf_log_new(size_t max);
void		 ntf_log_free(struct ntf_log *);
/* Sequence numbers must increase; an entry that does not is ignored. */
void		 ntf_log_add(struct ntf_log *, const struct ntf_log_entry *);
/* The entry with seq (exact), or the first after seq; NULL if none. */
const struct ntf_log_entry *ntf_log_find(const struct ntf_log *,
		    uint64_t seq, int exact);
size_t		 ntf_log_len(const struct ntf_log *);

#endif /* IMSMON_NTFQ_H */
