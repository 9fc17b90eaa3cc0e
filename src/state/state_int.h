/*
 * The state layer's own header (not for use outside src/state/): struct
 * state and what its files share.
 *
 *   state.c          opening and closing, the clock, the accessors,
 *                    chown for -u/-g, the notification log
 *   state_schema.c   the schema and its migrations, opening and checking
 *                    the database, moving an unusable one aside
 *   state_save.c     the observer of the store, commits (periodic, and
 *                    the group commits notifications wait for), pruning
 *   state_restore.c  the store and diag's episodes rebuilt from the
 *                    database, and the read-only reader of imsdiag state
 *   state_ckpt.c     the WAL checkpoints, in a thread of their own
 *
 * Calls go one way: state.c -> save, restore, schema, ckpt; save,
 * restore and ckpt -> schema.
 */
#ifndef IMSMON_STATE_INT_H
#define IMSMON_STATE_INT_H

#include <sys/types.h>

#include <limits.h>
#include <pthread.h>
#include <stdint.h>

#include <sqlite3.h>

#include "state/state.h"

#define PENDING_NTF_MAX		8192	/* notification rows not committed */
#define PENDING_CLEARED_MAX	1024	/* cleared faults not committed */
#define PENDING_GONE_MAX	1024	/* evicted servers not committed */
#define PRUNE_SECS		60
#define BUSY_MS			500
#define DIRTY_CHUNK		1024	/* servers written per store call */
#define TSRV_MAX		256	/* servers with a transition, pending */
#define CANDFP_MAX		4096	/* faults whose saved candidates are
					   known (a cache, by index) */
#define EPFP_MAX		4096	/* servers whose saved episodes are
					   known (a cache, by index) */
#define STATE_WAL_LIMIT		(64LL << 20)	/* bytes a WAL is cut back
						   to when it is reset */

enum {
	Q_SERVER, Q_SERVER_DEL_KEY, Q_FAULT, Q_CAND_DEL, Q_CAND, Q_NTF,
	Q_EP_DEL, Q_EP, Q_META, Q_NTF_NEXT, Q_SERVER_UPD, Q_FAULT_UPD,
	Q_BEGIN, Q_COMMIT, Q_META_UPD, Q__MAX
};

struct state {
	struct state_conf	 conf;
	char			 dir[PATH_MAX];
	char			 path[PATH_MAX];
	char			 aside[PATH_MAX + 256];
	struct store		*st;
	struct diag		*d;
	sqlite3			*db;
	sqlite3_stmt		*q[Q__MAX];
	enum state_health	 health;
	struct state_stats	 stats;
	uint64_t		 committed;	/* store seq in the database */
	uint64_t		 saved;		/* every notifying transition up
						   to this seq is in it */
	int64_t			 group_at;	/* ms, the last group commit */
	int			 full;		/* next commit writes all */
	int64_t			 next_commit;
	int64_t			 next_prune;
	int64_t			 retry_at;	/* while unsaved */
	int64_t			 logged;	/* last failure line */
	uint64_t		 unlogged;	/* failures since */
	uint32_t		 dirty[DIRTY_CHUNK];
	uint32_t		 tflt[TSRV_MAX];	/* faults that notified */
	size_t			 ntflt;
	uint32_t		 tsrv[TSRV_MAX];	/* servers with transitions */
	size_t			 ntsrv;
	int			 tsrv_lost;	/* more: the next sync drains all */
	/*
	 * What the cand rows of a fault hold, by a hash of them: a fault
	 * written again with the same candidates (a repeat, a clearing)
	 * leaves them alone.  Emptied when a transaction fails or rows are
	 * pruned, so it never claims what the database lacks.
	 */
	struct {
		uint32_t	 fault;
		uint64_t	 fp;
	}			 candfp[CANDFP_MAX];
	/* The same for the episode rows of a server. */
	struct {
		uint32_t	 server;
		uint64_t	 fp;
	}			 epfp[EPFP_MAX];
	uint64_t		 ep_hash;	/* ep_fp()'s */
	uint32_t		 ep_server;	/* put_episode()'s */
	int64_t			 ep_n;
	struct state_ntf	*ntf;		/* ring */
	size_t			 ntf_head, nntf;
	struct fault		*cleared;	/* copies, PENDING_CLEARED_MAX */
	size_t			 ncleared;
	char			(*gone)[NORM_HOST_MAX];	/* evicted keys */
	size_t			 ngone;
	int			 gone_lost;	/* more than fit: full write */
	int			 wal_frames;	/* in the WAL after the last
						   commit */
	/* The checkpoint thread (state_ckpt.c); mu guards the rest. */
	struct {
		int		 init;		/* mu and cv made */
		int		 started;	/* the thread runs */
		int		 failed;	/* could not: inline */
		pthread_t	 th;
		sqlite3		*cdb;		/* the thread's connection */
		pthread_mutex_t	 mu;
		pthread_cond_t	 cv;
		int		 want, stop;
		uint64_t	 runs, fails, frames;
		int64_t		 longest_us;
	}			 ck;
};

/* state_schema.c */
void		 state_log(struct state *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
int		 state_db_open(struct state *, char *, size_t);
void		 state_db_close(struct state *);
int		 state_db_exec(struct state *, const char *);
int		 state_db_int(struct state *, const char *, int64_t *, char *,
		    size_t);
void		 state_move_aside(struct state *, const char *, int64_t);
void		 state_col_text(sqlite3_stmt *, int, char *, size_t);

/* state_restore.c */
int		 state_restore(struct state *);

/* state_ckpt.c */
void		 state_ckpt_init(struct state *);
void		 state_ckpt_stats(struct state *);
void		 state_ckpt_stop(struct state *);

/* state_save.c */
void		 state_observer(void *, const struct store_trans *,
		    const struct fault *, const struct server *);
int		 state_commit(struct state *, int64_t, int);
void		 state_prune(struct state *, int64_t);

#endif /* IMSMON_STATE_INT_H */
