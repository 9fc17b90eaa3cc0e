/*
 * store_int.h: what the files of the fault store share and nothing else
 * includes: struct store, its servers, and the functions one file calls
 * in another.  Calls go one way (make lint fails on a cycle):
 *
 *	store_fault.c    faults: open, update, refine, clear, acknowledge
 *	  store_server.c   servers: the hash, eviction order, heard, status
 *	    store.c          the store's life, transitions and observers
 */
#ifndef IMSMON_STORE_INT_H
#define IMSMON_STORE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag/store.h"

#define STORE_OBSERVERS_MAX	8
#define STORE_SERVER_OPEN_MAX	64	/* open faults on one server */
#define NONE			UINT32_MAX

/*
 * A slot of the server hash: the server's index (0: free) and 32 more
 * bits of its key's hash, so that a probe reads 8 bytes of a table sized
 * to the servers there are, and a server's struct only for its own key.
 */
struct hent {
	uint32_t	 tag;
	uint32_t	 index;
};

/*
 * A server with what only the store needs to see.  Most servers have no
 * open fault: the array of open faults is allocated with the first and
 * freed with the last, so that a tracked server costs little more than
 * its struct server.
 */
struct srv {
	int		 in_lru;
	struct server	 pub;
	struct fault	**open;		/* nopen of capopen, NULL when none */
	uint32_t	 nopen;
	uint32_t	 capopen;	/* up to STORE_SERVER_OPEN_MAX */
	size_t		 nref;		/* faults in memory naming it */
	uint32_t	 prev, next;	/* eviction list (slots), NONE */
};

/*
 * What a record of a known server that matched nothing reads, kept by
 * slot in an array of its own (32 bytes a server) rather than in the
 * server's struct (over 400): the lookup's key comparison and the
 * sequence check then read one compact, cache-resident line instead of
 * a struct spread over the whole heap.  sh_key is the key's first
 * SHOT_KEY bytes, NUL-padded: the whole key for a NetBIOS name (15 at
 * most); a longer key is compared on in pub.key.  sh_last_seq and
 * sh_heard are the values of pub.last_seq and pub.heard: every change
 * writes both, so that the struct a lookup hands out is always current.
 */
#define SHOT_KEY		16

struct shot {
	char		 sh_key[SHOT_KEY];
	int64_t		 sh_last_seq;
	int64_t		 sh_heard;
};

struct store {
	struct store_limits	 lim;
	struct srv		*srv;		/* by index - 1, max_servers
						   (store_region_new) */
	struct shot		*hot;		/* by index - 1, max_servers
						   (store_region_new) */
	uint8_t			*isdirty;	/* by index - 1, max_servers */
	size_t			 nsrv;
	struct hent		*hash;		/* open addressing on key */
	size_t			 hashsz;	/* power of two, > 2 * nsrv */
	struct fault		**faults;	/* sorted by index */
	size_t			 nfaults;
	size_t			 nopen;
	size_t			 ncleared;
	uint32_t		 next_index;
	uint64_t		 seq;		/* last transition */
	uint64_t		 gen;		/* servers evicted */
	/* Servers without an open fault, least recently heard first. */
	uint32_t		 lru_head, lru_tail;
	uint32_t		*dirty;		/* slots, max_servers */
	size_t			 ndirty;
	uint32_t		*scratch;	/* fault indices, max_open */
	struct store_stats	 stats;
	struct {
		store_observer_fn fn;
		void		*arg;
	}			 obs[STORE_OBSERVERS_MAX];
	size_t			 nobs;
};

/* store.c */
void	 store_emit(struct store *, enum store_ev, int64_t, int64_t,
		    struct fault *, struct srv *);
void	 store_srv_dirty(struct store *, struct srv *);
void	 store_slot_dirty(struct store *, uint32_t);
struct srv *store_srv_of(const struct store *, uint32_t);

void	*store_region_new(size_t);
void	 store_region_free(void *, size_t);

/* store_server.c */
void	 store_lru_unlink(struct store *, struct srv *);
void	 store_lru_append(struct store *, struct srv *);

#endif /* IMSMON_STORE_INT_H */
