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
	FAULT_CLEARED = 3
};

enum clear_reason {
	CLEAR_NONE = 0,
	CLEAR_RECOVERED = 1,	/* the IMS was seen running again */
	CLEAR_OPERATOR = 2,	/* SNMP SET or imsdiag */
	CLEAR_TIMEOUT = 3,	/* quiet for the configured time */
	CLEAR_SUPERSEDED = 4	/* an ambiguous fault whose evidence was
				   taken over by an open diagnosed one */
};

enum store_ev {
	STORE_EV_OPENED = 1,
	STORE_EV_REFINED,	/* ambiguous -> article, or article changed */
	STORE_EV_UPDATED,	/* repeat: count / last seen / candidates */
	STORE_EV_CLEARED,
	STORE_EV_STATUS		/* a server's IMS status changed */
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

struct fault {
	uint32_t	 index;		/* stable, from 1, never reused */
	uint32_t	 server;	/* struct server index */
	char		 host[NORM_HOST_MAX];
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
	int64_t		 touched;	/* caller clock at last change */
};

struct server {
	uint32_t	 index;		/* stable, from 1 */
	char		 name[NORM_HOST_MAX];	/* as first seen, first label */
	char		 key[NORM_HOST_MAX];	/* norm_host() */
	enum ims_status	 status;
	enum ims_status	 prev_status;
	int64_t		 status_time;	/* event time of the last change */
	int64_t		 last_event_time;
	int32_t		 last_event_id;
	uint32_t	 open_faults;
	uint64_t	 events;
	int64_t		 last_seq;	/* forwarder's sequence number
					   (Snare); -1: none seen */
	uint64_t	 seq_gaps;	/* times numbers were skipped */
	uint64_t	 seq_lost;	/* numbers skipped, all gaps */
};

struct store_limits {
	size_t		 max_servers;	/* default 4096 */
	size_t		 max_open;	/* open faults, default 4096 */
	size_t		 max_cleared;	/* recently cleared kept, default 1024 */
};

enum store_drop {
	STORE_DROP_SERVERS = 0,		/* a new host over max_servers */
	STORE_DROP_FAULTS,		/* a new fault over max_open */
	STORE_DROP__MAX
};

struct store_stats {
	uint64_t	 faults_opened;
	uint64_t	 faults_refined;
	uint64_t	 faults_cleared;
	uint64_t	 cleared_evicted;
	uint64_t	 dropped[STORE_DROP__MAX];
};

typedef void	(*store_observer_fn)(void *, enum store_ev,
		    const struct fault *, const struct server *);

struct store;

struct store	*store_new(const struct store_limits *);
void		 store_free(struct store *);
void		 store_limits_default(struct store_limits *);
int		 store_observe(struct store *, store_observer_fn, void *);

/* Servers. */
struct server	*store_server_get(struct store *, const char *host);
struct server	*store_server_add(struct store *, const char *host);
const struct server *store_server_by_index(const struct store *, uint32_t);
size_t		 store_nservers(const struct store *);
const struct server *store_server_at(const struct store *, size_t);
void		 store_server_status(struct store *, struct server *,
		    enum ims_status, int64_t evtime);
/*
 * The forwarder's sequence number of an event from s (struct evt's seq,
 * Snare's SNARECOUNTER): a number skipped is an event lost on the way.
 * The counters only go up: an event overtaken by a later one was counted
 * lost and stays so.  A number far behind the last (more than
 * STORE_SEQ_WINDOW) or 0 or 1 after a higher one means the forwarder
 * restarted: counting goes on from it.
 */
#define STORE_SEQ_WINDOW	1024
void		 store_server_seq(struct server *, int64_t seq);

/*
 * Faults: ordered by index for the MIB's GETNEXT.  store_fault_open()
 * creates the fault but tells no observer: the caller fills it in and
 * then calls store_fault_changed(..., STORE_EV_OPENED, ...), so observers
 * (traps!) never see a half-made fault.
 */
struct fault	*store_fault_open(struct store *, struct server *,
		    const char *article, enum fault_state, int64_t evtime,
		    int64_t now);
struct fault	*store_fault_find(struct store *, uint32_t server,
		    const char *article);	/* open faults only; "" ambiguous */
struct fault	*store_fault_by_index(struct store *, uint32_t);
size_t		 store_nfaults(const struct store *);
const struct fault *store_fault_at(const struct store *, size_t);
void		 store_fault_changed(struct store *, struct fault *,
		    enum store_ev, int64_t now);
int		 store_fault_clear(struct store *, struct fault *,
		    enum clear_reason, int64_t when, int64_t now);
int		 store_fault_ack(struct store *, struct fault *, int);
size_t		 store_clear_server(struct store *, struct server *,
		    enum clear_reason, int64_t evtime, int64_t now);
size_t		 store_clear_quiet(struct store *, int64_t older_than,
		    int64_t now);

const struct store_stats *store_stats(const struct store *);
const char	*fault_state_name(enum fault_state);
const char	*clear_reason_name(enum clear_reason);

#endif /* IMSMON_STORE_H */
