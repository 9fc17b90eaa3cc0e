/*
 * diag: the diagnosis engine.  Per host, in event time, matched evidence
 * gathers into episodes (events within the correlation window of each
 * other, whatever order they arrive in); each episode is scored against
 * the knowledge base and reconciled with the store: a fault is opened,
 * refined, updated or cleared, and the server's IMS status follows the
 * status rules.  The clock is always passed in.
 */
#ifndef IMSMON_DIAG_H
#define IMSMON_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "util/evt.h"
#include "kb/kb.h"
#include "parse/parse.h"
#include "diag/store.h"

struct diag_conf {
	int64_t		 window;	/* correlation window, s; default 600 */
	double		 lead;		/* top score / second score needed to
					   diagnose; default 2.0 */
	int64_t		 quiet_clear;	/* clear faults quiet this long (clock
					   s); 0 = never (default) */
	size_t		 max_episodes;	/* per host; default 8 */
	size_t		 max_hosts;	/* hosts with episodes; default 4096 */
	const struct tz	*tz;		/* zone of senders' wall clocks, for
					   stamps without one; NULL: UTC */
};

enum diag_drop {
	DIAG_DROP_HOSTS = 0,		/* episode state for a new host */
	DIAG_DROP_EPISODES,		/* oldest episode of a host evicted */
	DIAG_DROP_EVIDENCE,		/* distinct evidence over the
					   per-episode cap */
	DIAG_DROP_NOHOST,		/* event with no host at all */
	DIAG_DROP__MAX
};

struct diag_stats {
	uint64_t	 events;	/* parsed events seen */
	uint64_t	 matched;	/* events matching evidence or a rule */
	uint64_t	 inferred;	/* events whose ID the text gave */
	uint64_t	 dropped[DIAG_DROP__MAX];
};

/*
 * Explanation of one record, filled in only when asked for.  Strings are
 * copies, so they outlive the record.
 */
#define DIAG_EXPLAIN_MAX	8
struct diag_explain_art {
	char		 article[KB_ID_MAX];
	double		 score;
	int		 discriminated;	/* a discriminating item was seen */
	char		 why[256];
};

struct diag_explain {
	enum parse_rc	 rc;
	enum parse_why	 why;
	char		 summary[512];	/* what was parsed */
	size_t		 nhits;
	char		 hits[KB_HITS_MAX][2048];	/* what it matched */
	char		 outcome[256];	/* decision for the episode */
	struct diag_explain_art arts[DIAG_EXPLAIN_MAX];
	size_t		 narts;
	int		 mattered;	/* matched anything */
};

struct diag;

void		 diag_conf_default(struct diag_conf *);
struct diag	*diag_new(const struct kb *, struct store *,
		    const struct diag_conf *);
void		 diag_free(struct diag *);

/*
 * Swap the knowledge base (hot reload): episodes are carried over to the
 * new KB's items and open faults re-ranked (an ambiguous fault that the
 * new KB explains is refined).  The caller frees the old KB afterwards.
 * -1 (ENOMEM) when memory ran out: nothing changed, the old KB is still
 * in use and must not be freed.
 */
int		 diag_set_kb(struct diag *, const struct kb *, int64_t now);

/*
 * One record, from its raw bytes: parse (counted in the parse stats),
 * match, correlate.  peer names the sender when the record carries no
 * host (may be NULL).  ex may be NULL.
 */
enum parse_rc	 diag_record(struct diag *, const uint8_t *, size_t,
		    const char *peer, int64_t now, struct diag_explain *);
/* The same, for a sender whose wall clock runs in tz (NULL: conf's). */
struct tz;
enum parse_rc	 diag_record_tz(struct diag *, const uint8_t *, size_t,
		    const char *peer, const struct tz *, int64_t now,
		    struct diag_explain *);

/* One already parsed event. */
void		 diag_event(struct diag *, const struct evt *,
		    const char *peer, int64_t now, struct diag_explain *);

/* Time passes: quiet timeout, episode expiry. */
void		 diag_tick(struct diag *, int64_t now);

/*
 * Open episodes, for the state layer: what diag knows of a server that
 * the store does not (the event time of its last status event, when its
 * IMS was last seen running, and the episodes whose evidence is still
 * gathering).  Evidence items are named by their KB match line
 * (kb_match_format), so that they survive a restart with another KB.
 */
#define DIAG_EP_ITEMS_MAX	16
#define DIAG_MATCH_MAX		256
struct diag_ep_item {
	char		 match[DIAG_MATCH_MAX];
	uint32_t	 count;
	int64_t		 first;
	int64_t		 last;
};

struct diag_ep {
	int64_t		 first;
	int64_t		 last;
	int64_t		 touched;	/* clock */
	uint32_t	 fault;
	int		 owns;
	size_t		 nitems;
	struct diag_ep_item items[DIAG_EP_ITEMS_MAX];
};

struct diag_host_state {
	int64_t		 status_time;
	int64_t		 recovered;
};

/* -1 when diag has nothing of the server. */
int		 diag_host_get(const struct diag *, const struct server *,
		    struct diag_host_state *);
/* Each open episode of the server, in slot order; stops on fn's -1. */
int		 diag_host_episodes(const struct diag *, const struct server *,
		    int (*fn)(void *, const struct diag_ep *), void *);
/* Restoring: the host's times, then its episodes (items not in the KB
   are left out). */
int		 diag_host_restore(struct diag *, const struct server *,
		    const struct diag_host_state *);
int		 diag_episode_restore(struct diag *, const struct server *,
		    const struct diag_ep *);

const struct diag_stats	*diag_stats(const struct diag *);
const struct parse_stats *diag_parse_stats(const struct diag *);

#endif /* IMSMON_DIAG_H */
