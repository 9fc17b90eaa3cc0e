/*
 * sender: what each sender address has cost the listeners, so that an
 * operator sees who floods (imsSenderTable) and a limit can be held per
 * sender (connections open at once).
 *
 * A fixed number of rows, made at start: a new address takes a free row,
 * else the row of the sender heard from least recently that has no
 * connection open (counted as an eviction); if every row has one, the
 * new sender is not tracked (counted) but still served.  Rows keep their
 * index while they live, for the MIB.  Nothing allocates after
 * sender_table_new(); one thread owns a table.
 */
#ifndef IMSMON_SENDER_H
#define IMSMON_SENDER_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/addr.h"

#define SENDER_DEF_ROWS	256

struct sender {
	uint32_t	 s_index;	/* 1.., stable while the row lives */
	int		 s_used;
	struct addr	 s_addr;
	char		 s_name[ADDR_TEXT_MAX];	/* printable address */
	uint64_t	 s_records;	/* handed on */
	uint64_t	 s_bytes;	/* of those records */
	uint64_t	 s_dropped;	/* records dropped: too long, bad
					   framing, refused datagrams */
	uint64_t	 s_conns;	/* TCP connections accepted */
	uint64_t	 s_refused;	/* connections refused or cut by a
					   limit */
	uint32_t	 s_open;	/* connections open now */
	int64_t		 s_first;	/* caller's clock: first heard */
	int64_t		 s_last;	/* last heard */
	uint64_t	 s_born;	/* which sender holds the row: a row
					   taken by another sender gets a new
					   number (from 1, never reused) */
	uint32_t	 s_next;	/* hash chain, row + 1; 0 ends */
};

struct sender_stats {
	uint64_t	 ss_evicted;	/* rows reused for a new sender */
	uint64_t	 ss_untracked;	/* senders no row could take */
};

struct sender_table;

/* NULL with errno (EINVAL for 0 rows, ENOMEM). */
struct sender_table *sender_table_new(size_t);
void		 sender_table_free(struct sender_table *);

/* The row of ad, made if need be; NULL if none could be (untracked). */
struct sender	*sender_get(struct sender_table *, const struct addr *,
		    int64_t);
/* The row of ad if there is one, else NULL. */
struct sender	*sender_find(struct sender_table *, const struct addr *);

/* Rows in use by index order: row i of n (0..), or NULL past the end. */
size_t		 sender_rows(const struct sender_table *);
const struct sender *sender_at(const struct sender_table *, size_t);
/* The row with index idx, or NULL. */
const struct sender *sender_by_index(const struct sender_table *,
		    uint32_t);
void		 sender_stats(const struct sender_table *,
		    struct sender_stats *);

/*
 * What the consumer of the records worked out about a sender from its
 * configuration (the time zone of its clock, the name of the host its
 * host-less records are about), kept so that it is worked out once per
 * sender and not for every record.  The consumer keeps one memo per row
 * (an array as long as the table has rows) and may run in another
 * thread than the table's owner: it knows a sender only by the row index
 * and s_born its records carry (struct net_from).  A memo holds while
 * the row holds the same sender and the consumer's configuration is the
 * one it was made with (gen: the consumer changes it on a reload).
 */
struct tz;
struct sender_memo {
	uint64_t	 sm_born;	/* the row's s_born; 0: empty */
	uint64_t	 sm_gen;
	const struct tz	*sm_tz;
	const char	*sm_name;	/* NULL: the sender's address */
};

/*
 * The memo of row index (1..n) for sender born under gen, or NULL: none
 * yet, stale, or the sender is not tracked (index 0 or past n).
 */
const struct sender_memo *sender_memo_get(const struct sender_memo *,
		    size_t, uint32_t, uint64_t, uint64_t);
/* Remember it; nothing for a sender not tracked. */
void		 sender_memo_set(struct sender_memo *, size_t, uint32_t,
		    uint64_t, uint64_t, const struct tz *, const char *);

#endif /* IMSMON_SENDER_H */
