/*
 * state: the fault store made durable, in one SQLite database under the
 * state directory (docs/state.md).  The store stays the owner of the
 * state; this layer is one more observer of its transitions, plus the
 * code that rebuilds the store (and diag's open episodes) at start.
 *
 * Changes are committed in batches: state_tick() commits when the sync
 * interval has passed, state_sync() at once.  A notification waits until
 * a commit covers the transition it tells of (state_covers()), so a
 * fault an NMS heard of is in the database; state_sync_group() makes
 * those commits, at most one per group_ms, so a burst of notifications
 * shares one commit (group commit).  The WAL is checkpointed by a thread
 * of the layer's own, never inside a commit (state_ckpt.c).  A database that cannot be opened (corrupt,
 * truncated, locked, read-only, from a newer imsmon) is moved aside,
 * never deleted, and the state starts empty; a commit that fails (disk
 * full, I/O error) leaves everything in memory, is counted and retried,
 * and the next commit that works writes the whole state again.
 *
 * The library never logs on its own: lines go to conf's log hook.
 */
#ifndef IMSMON_STATE_H
#define IMSMON_STATE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "diag/store.h"

#define STATE_FILE		"imsmon.db"
#define STATE_SCHEMA		2	/* PRAGMA user_version */
#define STATE_LOG_SECS		60	/* one failure line a minute */
#define STATE_GROUP_MS		10	/* group commit window, default */
#define STATE_CKPT_FRAMES	4096	/* WAL frames that start a
					   checkpoint, default */

struct state_conf {
	const char	*dir;		/* the state directory */
	int64_t		 sync_interval;	/* s between commits; default 1 */
	int64_t		 group_ms;	/* ms between commits made for
					   notifications; default
					   STATE_GROUP_MS */
	int64_t		 history_age;	/* s a cleared fault is kept;
					   default 90 days; 0 = no limit */
	size_t		 history_max;	/* cleared faults kept; default
					   100000; 0 = no limit */
	size_t		 log_max;	/* notification log rows; default
					   10000 */
	size_t		 restore_cleared;	/* cleared faults put back in
						   memory; default 1024 */
	int		 ckpt_frames;	/* a checkpoint (in a thread of its
					   own, never in a commit) once the
					   WAL holds this many frames;
					   default STATE_CKPT_FRAMES; 0 only
					   at close */
	int		 fsync;		/* every commit reaches the disk
					   (synchronous FULL: survives a power
					   loss); default 0: NORMAL, every
					   commit survives a crash of the
					   process, an OS crash may lose the
					   last ones */
	/* Log hook (priority as syslog(3)); NULL: silent. */
	void		(*log)(void *, int, const char *);
	void		*log_arg;
};

/* Values are the MIB's imsStateStatus enumeration. */
enum state_health {
	STATE_OK = 1,		/* everything committed or being */
	STATE_RESET = 2,	/* the database was unusable: moved aside,
				   started empty (state_aside() says why) */
	STATE_UNSAVED = 3,	/* commits fail: running from memory */
	STATE_OFF = 4		/* no state directory: memory only */
};

/* One notification log row. */
struct state_ntf {
	uint64_t	 seq;		/* the transition's */
	enum store_ev	 kind;
	int64_t		 evtime;
	int64_t		 wall;
	uint32_t	 fault;
	uint32_t	 server;
	char		 host[NORM_HOST_MAX];
	char		 article[KB_ID_MAX];
	int		 fault_state;	/* enum fault_state, 0 none */
	int		 status;	/* enum ims_status of the server */
	int		 prev_status;
};

struct state_stats {
	uint64_t	 commits;
	uint64_t	 group_commits;	/* made for notifications */
	uint64_t	 commit_failures;
	uint64_t	 rows_written;
	uint64_t	 pages_written;	/* database pages the commits wrote */
	uint64_t	 log_dropped;	/* notification rows lost while the
					   database could not be written and
					   the pending bound was reached */
	uint64_t	 checkpoints;	/* WAL checkpoints the thread made */
	uint64_t	 checkpoint_failures;	/* ... that failed (busy) */
	uint64_t	 checkpoint_frames;	/* frames they copied */
	int64_t		 checkpoint_longest_us;	/* the longest, us */
	uint64_t	 checkpoints_inline;	/* in a commit: no thread */
	int64_t		 last_commit;	/* clock of the last good commit */
	int64_t		 unsaved_since;	/* clock of the oldest change not
					   committed; 0 none */
	uint64_t	 restored_servers;
	uint64_t	 restored_faults;
	uint64_t	 restored_episodes;
};

struct state;

void		 state_conf_default(struct state_conf *);
/*
 * Open (or create) the database and rebuild st and d from it, before
 * anything else touches them; then observe st.  A database that cannot
 * be used is moved aside and the state starts empty (STATE_RESET).
 * NULL only when even an empty database cannot be had (errno set, the
 * reason logged): the caller may go on with state off.
 */
struct state	*state_open(const struct state_conf *, struct store *,
		    struct diag *, int64_t now);
void		 state_close(struct state *, int64_t now);	/* commits */
/* Commit what is pending now; 0, or -1 when it could not be. */
int		 state_sync(struct state *, int64_t now);
/*
 * Group commit, for a notification that tells of transition seq: 0 when
 * it may go (state_covers(), after a commit made now if need be), -1 when
 * that commit failed (it may go all the same: the state runs from
 * memory), or 1 with *wait_ms: a commit for notifications was made less
 * than group_ms ago, ask again then.  ms is a monotonic clock in ms.
 */
int		 state_sync_group(struct state *, uint64_t seq, int64_t now,
		    int64_t ms, int64_t *wait_ms);
/*
 * 1 when a notification of transition seq may be handed out: the
 * transition is in the database, or it cannot be saved (no state, or
 * commits failing: the state is memory's, and notifications go on).
 */
int		 state_covers(const struct state *, uint64_t seq);
/* Time passes: commit when due, retry a failed one, prune history. */
void		 state_tick(struct state *, int64_t now);

/*
 * Before a process that opened the state as root becomes uid:gid (-u/-g):
 * the database and its -wal and -shm files go to that owner, and so does
 * the state directory when it holds nothing but this database's files
 * (a directory shared with anything else keeps its owner).  Symbolic
 * links are never followed.  -1 with errno, and err filled in.
 */
int		 state_chown(struct state *, uid_t, gid_t, char *, size_t);

enum state_health state_health(const struct state *);
/* Why the database was moved aside and where to; "" when it was not. */
const char	*state_aside(const struct state *);
const char	*state_path(const struct state *);
const struct state_stats *state_stats(const struct state *);
/*
 * The notification log, by sequence: the first row with seq > after
 * (after 0: the oldest kept); 0 when found, -1 at the end.
 */
int		 state_ntf_next(struct state *, uint64_t after,
		    struct state_ntf *);
const char	*state_health_name(enum state_health);

/*
 * Reading a state directory offline (imsdiag state), read only: every
 * row of one kind to fn (struct server, struct fault or struct
 * state_ntf), which may stop the walk with -1.  -1 with err filled in
 * when the database cannot be read.
 */
enum state_what {
	STATE_SERVERS = 1,	/* by name */
	STATE_OPEN,		/* open faults, by index */
	STATE_HISTORY,		/* cleared faults, newest first */
	STATE_LOG		/* the notification log, oldest first */
};
int		 state_read(const char *dir, enum state_what,
		    int (*)(void *, const void *), void *, char *, size_t);

#endif /* IMSMON_STATE_H */
