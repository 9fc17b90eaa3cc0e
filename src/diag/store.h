/*
 * store: what imsmon knows, in the shape the SNMP face shows it: servers
 * (one per Windows host), faults (open and recently cleared) with stable
 * indices, and counters.  Bounded everywhere: caps are in struct
 * store_limits and what goes over a cap is counted, never grown.
 *
 * Observers get every transition (opened, refined, updated, cleared,
 * server status changed) synchronously, in order: the MIB tables, the
 * trap sender and, later, persistence hang off them.
 */
#ifndef IMSMON_STORE_H
#define IMSMON_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "kb/kb.h"
#include "util/norm.h"

/* Values are the MIB's enumerations. */
enum fault_state {
	FAULT_AMBIGUOUS = 1,
	FAULT_DIAGNOSED = 2,
	FAULT_CLEARED = 3,
	FAULT_UNKNOWN = 4	/* the IMS failed; no article explains the
				   key evidence (docs/diagnosis.md) */
};

enum clear_reason {
	CLEAR_NONE = 0,
	CLEAR_RECOVERED = 1,	/* the IMS was seen running again */
	CLEAR_OPERATOR = 2,	/* SNMP SET or imsdiag */
	CLEAR_TIMEOUT = 3,	/* quiet for the configured time */
	CLEAR_SUPERSEDED = 4	/* an ambiguous fault whose evidence was
				   taken over by an open diagnosed one */
};

/*
 * What a transition records.  Values are stored in the state database:
 * never renumber, only add.
 */
enum store_ev {
	STORE_EV_OPENED = 1,	/* a fault, filled in */
	STORE_EV_REFINED = 2,	/* ambiguous -> article, or article changed */
	STORE_EV_UPDATED = 3,	/* repeat: count / last seen / candidates */
	STORE_EV_CLEARED = 4,
	STORE_EV_STATUS = 5,	/* a server's IMS status changed */
	STORE_EV_ACKED = 6,	/* a fault's acknowledgement set or unset */
	STORE_EV_SERVER_ADDED = 7,	/* a host first heard of */
	STORE_EV_SERVER_EVICTED = 8	/* a quiet host dropped at the cap */
};

/*
 * One state change.  seq counts from 1 and never repeats, across
 * restarts too (the state layer restores it): it is the notification
 * sequence as well, a notification carries the seq of the transition it
 * tells of.  evtime is the event time the change is about (the clock
 * for operator and timeout actions), wall the caller's clock when it was
 * made.  fault and server are indices, 0 when the change has none.
 */
struct store_trans {
	uint64_t	 seq;
	enum store_ev	 kind;
	int64_t		 evtime;
	int64_t		 wall;
	uint32_t	 fault;
	uint32_t	 server;
};

#define STORE_CANDS_MAX		8
#define STORE_EVIDENCE_MAX	16
#define STORE_DECIDE_MAX	160

struct store_cand {
	char		 article[KB_ID_MAX];
	double		 score;
	char		 decide[STORE_DECIDE_MAX];	/* evidence that would
							   tell it apart */
};

/*
 * Outside the store every field is read only: lookups hand out const
 * pointers and every change goes through a store_*() function, so that
 * each one is a transition observers (MIB, traps, persistence) see.
 */
struct fault {
	uint32_t	 index;		/* stable, from 1, never reused, across
					   restarts too */
	uint32_t	 server;	/* struct server index; 0 once the
					   server of a cleared fault is gone */
	char		 host[NORM_HOST_MAX];	/* the server's display name */
	char		 article[KB_ID_MAX];	/* "" while ambiguous */
	enum fault_state state;
	enum fault_state last_state;	/* before clearing */
	uint32_t	 confidence;	/* 0..100 */
	uint64_t	 count;		/* evidence events attributed */
	int64_t		 first_seen;	/* event time */
	int64_t		 last_seen;
	uint16_t	 evidence[STORE_EVIDENCE_MAX];	/* distinct event IDs */
	size_t		 nevidence;
	struct store_cand cands[STORE_CANDS_MAX];	/* ranked */
	size_t		 ncands;
	enum clear_reason reason;
	int64_t		 cleared_at;	/* event time, or clock for
					   operator and timeout */
	int		 acked;
	int64_t		 acked_at;	/* clock of the last ack change */
	int64_t		 opened_at;	/* clock when opened */
	int64_t		 touched;	/* caller clock at last change */
	uint64_t	 seq;		/* transition that last changed it */
};

#define STORE_WHY_MAX		128
#define STORE_ADDR_MAX		64

struct server {
	/*
	 * First what a record of a known server reads and writes (the
	 * lookup compares the key): a NetBIOS name's key and these share a
	 * cache line or two, not four.
	 */
	uint32_t	 index;		/* from 1; a slot: an evicted server's
					   index goes to the next new one */
	enum ims_status	 status;
	int64_t		 heard;		/* clock when last heard from */
	int64_t		 last_seq;	/* forwarder's sequence number
					   (Snare); -1: none seen */
	char		 key[NORM_HOST_MAX];	/* norm_host() */
	uint64_t	 seq_gaps;	/* times numbers were skipped */
	uint64_t	 seq_lost;	/* numbers skipped, all gaps */
	uint64_t	 events;
	int64_t		 last_event_time;
	int32_t		 last_event_id;
	enum ims_status	 prev_status;
	uint32_t	 explain;	/* open fault that explains the status,
					   0 none */
	uint32_t	 open_faults;
	int64_t		 status_time;	/* event time of the last change */
	int64_t		 status_wall;	/* clock of the last change */
	uint64_t	 born;		/* seq of its SERVER_ADDED transition:
					   tells a reused index apart */
	char		 name[NORM_HOST_MAX];	/* as first seen, first label */
	char		 addr[STORE_ADDR_MAX];	/* sender of its last record,
						   "" unknown */
	char		 status_why[STORE_WHY_MAX];	/* what changed it */
};

struct store_limits {
	size_t		 max_servers;	/* default 4096 */
	size_t		 max_open;	/* open faults, default 4096 */
	size_t		 max_cleared;	/* recently cleared kept in memory,
					   default 1024 (the state database
					   keeps its own history) */
};

enum store_drop {
	STORE_DROP_SERVERS = 0,		/* a new host over max_servers, every
					   server having an open fault */
	STORE_DROP_FAULTS,		/* a new fault over max_open */
	STORE_DROP__MAX
};

struct store_stats {
	uint64_t	 faults_opened;
	uint64_t	 faults_refined;
	uint64_t	 faults_cleared;
	uint64_t	 cleared_evicted;
	uint64_t	 servers_evicted;	/* quiet servers dropped at the
						   cap for a new one */
	uint64_t	 dropped[STORE_DROP__MAX];
};

/*
 * Observers get every transition synchronously, in order, with the fault
 * and server it concerns (either may be NULL).  They may read the store
 * but must not change it.
 */
typedef void	(*store_observer_fn)(void *, const struct store_trans *,
		    const struct fault *, const struct server *);

struct store;

struct store	*store_new(const struct store_limits *);
void		 store_free(struct store *);
void		 store_limits_default(struct store_limits *);
int		 store_observe(struct store *, store_observer_fn, void *);
/* Last transition's seq (0: none yet); the next is this + 1. */
uint64_t	 store_seq(const struct store *);
/* Does a transition of this kind make a notification? */
int		 store_ev_notifies(enum store_ev);
const char	*store_ev_name(enum store_ev);

/* Servers. */
const struct server *store_server_get(const struct store *,
		    const char *host);
/*
 * Known, or added (a SERVER_ADDED transition, now is the clock).  At
 * max_servers the least recently heard server without an open fault is
 * evicted for it (SERVER_EVICTED first, counted); when every server has
 * an open fault, NULL with errno ENOSPC (counted as a drop).
 */
const struct server *store_server_add(struct store *, const char *host,
		    int64_t now);
const struct server *store_server_by_index(const struct store *, uint32_t);
size_t		 store_nservers(const struct store *);
const struct server *store_server_at(const struct store *, size_t);
/* Changes whenever a server is evicted (the index-to-name map changed). */
uint64_t	 store_servers_gen(const struct store *);
/*
 * A record of s was seen: its counters, last event (by event time),
 * sender address (may be NULL) and the forwarder's sequence number
 * (below).  Not a transition: persisted in batches.
 */
void		 store_server_heard(struct store *, const struct server *,
		    int64_t evtime, int32_t event_id, int64_t fwd_seq,
		    const char *addr, int64_t now);
/*
 * A record of s that matched nothing: it is alive (the silence clock and
 * eviction order restart; a silent server gets its status back).
 */
void		 store_server_alive(struct store *, const struct server *,
		    int64_t now);
/*
 * A host name as the store looks it up: normalised (norm_host()) and
 * hashed once.  store_key_make() also starts fetching the slot of the
 * store's hash table it will be looked up in, so that a lookup made
 * after other work (matching the record) finds it in cache.
 */
struct store_key {
	char		 sk_key[NORM_HOST_MAX];
	uint64_t	 sk_hash;
};

void		 store_key_make(const struct store *, struct store_key *,
		    const char *host);
/*
 * Both of the above for a record that matched nothing, when its host is
 * known: store_server_seq(fwd_seq), then store_server_alive(now).
 * Returns 1, or 0 (nothing done) when no server has that key.  It reads
 * the server's compact lookup state, not its struct server (which it
 * only writes, when something changed): most records of a replay over
 * many hosts are such records.
 */
int		 store_server_seen(struct store *, const struct store_key *,
		    int64_t fwd_seq, int64_t now);
/*
 * Servers not heard from since before older_than (clock) become
 * IMS_STATUS_SILENT (a STATUS transition each; the status before is kept
 * in prev_status and comes back when the server is heard again).
 * Returns how many.
 */
size_t		 store_check_silent(struct store *, int64_t older_than,
		    int64_t now);
/* Only the forwarder's numbering (an event that matched nothing). */
void		 store_server_seq(struct store *, const struct server *,
		    int64_t fwd_seq);
/* A status change (a STATUS transition); why says what caused it. */
void		 store_server_status(struct store *, const struct server *,
		    enum ims_status, int64_t evtime, int64_t now,
		    const char *why);
/*
 * The forwarder's sequence number of an event (struct evt's seq,
 * Snare's SNARECOUNTER): a number skipped is an event lost on the way.
 * The counters only go up: an event overtaken by a later one was counted
 * lost and stays so.  A number far behind the last (more than
 * STORE_SEQ_WINDOW) or 0 or 1 after a higher one means the forwarder
 * restarted: counting goes on from it.
 */
#define STORE_SEQ_WINDOW	1024

/*
 * Faults: ordered by index for the MIB's GETNEXT.  store_fault_open()
 * creates the fault but tells no observer: the caller fills it in
 * (store_fault_seen, _rank, _refine) and then calls
 * store_fault_changed(..., STORE_EV_OPENED, ...), so observers (traps!)
 * never see a half-made fault.
 */
const struct fault *store_fault_open(struct store *, const struct server *,
		    const char *article, enum fault_state, int64_t evtime,
		    int64_t now);
const struct fault *store_fault_find(const struct store *, uint32_t server,
		    const char *article);	/* open faults only; "" ambiguous */
const struct fault *store_fault_by_index(const struct store *, uint32_t);
size_t		 store_nfaults(const struct store *);
const struct fault *store_fault_at(const struct store *, size_t);
/* An evidence event: count, first/last seen, its event ID (-1: none). */
void		 store_fault_seen(struct store *, const struct fault *,
		    int32_t event_id, int64_t evtime);
/* The ranked candidates and the confidence. */
void		 store_fault_rank(struct store *, const struct fault *,
		    const struct store_cand *, size_t, uint32_t confidence);
/* Diagnosed as article. */
void		 store_fault_refine(struct store *, const struct fault *,
		    const char *article);
/*
 * No article after all: ambiguous or unknown cause (an undiagnosed fault
 * whose evidence changed, or a diagnosis its own episode no longer
 * supports).
 */
void		 store_fault_undiagnose(struct store *, const struct fault *,
		    enum fault_state);
/* Tell the observers: OPENED, REFINED or UPDATED. */
void		 store_fault_changed(struct store *, const struct fault *,
		    enum store_ev, int64_t now);
int		 store_fault_clear(struct store *, const struct fault *,
		    enum clear_reason, int64_t when, int64_t now);
int		 store_fault_ack(struct store *, const struct fault *, int,
		    int64_t now);
size_t		 store_clear_server(struct store *, const struct server *,
		    enum clear_reason, int64_t evtime, int64_t now);
size_t		 store_clear_quiet(struct store *, int64_t older_than,
		    int64_t now);

/*
 * Restoring (the state layer, before anything else runs): no transition,
 * no observer, no counter.  Servers come with their index, faults in
 * index order after their servers; then store_restore_done() sets the
 * sequence and the next fault index (never below what was restored).
 */
int		 store_restore_server(struct store *, const struct server *);
int		 store_restore_fault(struct store *, const struct fault *);
void		 store_restore_done(struct store *, uint64_t seq,
		    uint32_t next_fault);
uint32_t	 store_next_fault_index(const struct store *);

/*
 * Servers changed since the last call (heard from, or a transition
 * concerning them): up to max indices into out, and forgotten.
 */
size_t		 store_dirty_servers(struct store *, uint32_t *out,
		    size_t max);
size_t		 store_ndirty(const struct store *);

const struct store_stats *store_stats(const struct store *);
const char	*fault_state_name(enum fault_state);
const char	*clear_reason_name(enum clear_reason);

#endif /* IMSMON_STORE_H */
