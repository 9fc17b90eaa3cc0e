/*
 * diag_int.h: what the files of the diagnosis engine share and nothing
 * else includes: the per-host episodes, the ranking, struct diag, and the
 * functions one file calls in another.  The files call each other in one
 * direction only (make lint fails on a call cycle between objects):
 *
 *	diag.c        records and events in, episodes, hosts, restore
 *	  diag_fault.c   from a ranking to the fault in the store, status
 *	    diag_text.c    what would decide, explain lines
 *	      diag_score.c   scores and the open-set decision
 */
#ifndef IMSMON_DIAG_INT_H
#define IMSMON_DIAG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"

#define DIAG_EP_ITEMS	16	/* distinct evidence items in one episode */
#define DIAG_EP_MAX	16	/* episodes per host, upper bound of conf */
#define DIAG_EP_UNX	4	/* unexplained events kept per episode */

/* One evidence item as seen in one episode. */
struct ep_item {
	uint32_t	 item;
	uint32_t	 count;
	int64_t		 first;
	int64_t		 last;
};

/*
 * An error or warning of the IMS's own source (or a Service Control
 * Manager error naming it) that no evidence item and no status rule
 * matched: something the knowledge base does not explain.
 */
struct ep_unx {
	int32_t		 id;		/* -1: the forwarder sent none */
	enum evt_type	 type;
	char		 source[32];	/* as sent, cut */
};

/* Evidence of one host within the correlation window, in event time. */
struct episode {
	int		 used;
	int64_t		 first;
	int64_t		 last;
	int64_t		 touched;	/* clock, for expiry */
	uint64_t	 seq;		/* last use, for eviction */
	uint32_t	 fault;		/* fault it feeds, 0 none */
	int		 owns;		/* the fault's article came from this
					   episode's evidence */
	size_t		 nitems;
	struct ep_item	 items[DIAG_EP_ITEMS];
	int		 failed;	/* a start-failed status event */
	int		 failed_bare;	/* one that no evidence item matched:
					   a start-failure report with an
					   error no symptom names */
	size_t		 nunx;		/* unexplained events kept */
	uint32_t	 unx_total;	/* seen, may exceed DIAG_EP_UNX */
	struct ep_unx	 unx[DIAG_EP_UNX];
};

/*
 * Most hosts have no episode open most of the time (an IMS that runs):
 * their episodes are allocated when evidence first comes and freed when
 * the IMS is seen running, so that a tracked host costs a few bytes here.
 */
struct host {
	uint64_t	 born;		/* the server's: a reused index is a
					   new host */
	int64_t		 status_time;	/* event time of the last status event */
	int64_t		 recovered;	/* event time the IMS was last seen up */
	struct episode	*ep;		/* nep of them, NULL when none */
	uint32_t	 nep;		/* up to conf.max_episodes */
	uint32_t	 live;		/* the slot holds a host */
};

/* Scores of one episode, over the articles it touches. */
struct rank {
	size_t		 n;		/* articles touched */
	size_t		 nvalid;	/* of which not ruled out: the first */
	int		 opens;		/* evidence that opens a fault counted */
	uint32_t	*art;		/* ranked article indices */
	double		*score;		/* by article index */
	uint8_t		*disc;		/* by article index */
	uint8_t		*claim;		/* by article index: a discriminating
					   item seen, its own or not */
	uint8_t		*fit;		/* by article index: scratch of
					   rank_drafts() */
	uint8_t		*seen;		/* by article index */
	uint8_t		*veto;		/* by article index: absent item seen */
	/* Each KB item's match as text, by item index, made on first use:
	 * every ranking of a fault names the evidence that would decide. */
	char		**mtext;
	size_t		 nmtext;
};

struct diag {
	const struct kb		*kb;
	struct store		*st;
	struct diag_conf	 conf;
	struct host		*hosts;		/* by server index - 1 */
	size_t			 nhosts;
	struct rank		 rk;
	struct diag_stats	 stats;
	struct parse_stats	 pstats;
	struct kb_hits		 hits;
	uint64_t		 seq;		/* events seen, orders episodes */
	char			 scratch[PARSE_MAXREC + 64];
};

/* diag_score.c */
int	 diag_rank_alloc(struct rank *, const struct kb *);
void	 diag_rank_free(struct rank *);
void	 diag_rank_episode(struct diag *, const struct episode *);
const struct ep_item *diag_ep_find(const struct episode *, uint32_t);
int	 diag_any_disc(const struct diag *);
int	 diag_explains(const struct diag *, uint32_t,
		    const struct episode *, char *, size_t);
int	 diag_runner_up(const struct diag *, double *);
int	 diag_top_diagnosed(const struct diag *, const struct episode *);

/* diag_text.c */
void	 diag_decide_text(const struct diag *, uint32_t,
		    const struct episode *, char *, size_t);
void	 diag_twins_text(const struct diag *, struct store_cand *, size_t,
		    const struct episode *);
void	 diag_explain_hit(const struct kb_item *, char *, size_t,
		    const struct kb *);
void	 diag_explain_parsed(const struct evt *, const char *, int64_t,
		    struct diag_explain *);
void	 diag_explain_ranking(const struct diag *, struct diag_explain *,
		    const struct episode *);

/* diag_fault.c */
void	 diag_reconcile(struct diag *, const struct server *, struct host *,
		    struct episode *, const struct evt *, int64_t, int64_t,
		    struct diag_explain *);
void	 diag_rerank(struct diag *, struct episode *, int64_t);
void	 diag_apply_status(struct diag *, const struct server *,
		    struct host *, enum ims_status, int64_t, int64_t,
		    const char *);
void	 diag_status_why(char *, size_t, const struct evt *, const char *,
		    int);

#endif /* IMSMON_DIAG_INT_H */
