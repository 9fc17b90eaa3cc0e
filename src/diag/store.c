/*
 * store: the fault store's life (limits, new, free), its numbered
 * transitions and their observers, the servers changed since the last
 * save, the names of states and reasons.  Servers are store_server.c,
 * faults store_fault.c (store_int.h).
 */
#include "diag/store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define REGION_MAP_MIN	(1024 * 1024)

static size_t	 region_size(size_t);

void
store_limits_default(struct store_limits *l)
{
	l->max_servers = 4096;
	l->max_open = 4096;
	l->max_cleared = 1024;
}

/*
 * The arrays by server slot (struct srv, struct shot) and the hash table
 * are sized for max_servers and hashsz, not for the servers there are:
 * they come zeroed, and their pages are touched only as servers come.
 * A large one is mapped (its pages then come from the kernel zeroed, and
 * where the kernel offers it, as huge pages: one page fault and one TLB
 * entry for 2 MB of servers, not 512), a small one comes from malloc.
 * Sizes are whole cache lines, and so is the alignment.
 */
static size_t
region_size(size_t n)
{
	return (n + 63) / 64 * 64;
}

void *
store_region_new(size_t n)
{
	void *p;

	n = region_size(n);
	if (n >= REGION_MAP_MIN) {
		p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
#ifdef MADV_HUGEPAGE
		(void)madvise(p, n, MADV_HUGEPAGE);
#endif
		return p;
	}
	if ((p = aligned_alloc(64, n)) != NULL)
		memset(p, 0, n);
	return p;
}

/* n is the size it was made with. */
void
store_region_free(void *p, size_t n)
{
	if (p == NULL)
		return;
	n = region_size(n);
	if (n >= REGION_MAP_MIN)
		(void)munmap(p, n);
	else
		free(p);
}

struct store *
store_new(const struct store_limits *lim)
{
	struct store *st;
	size_t cap;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	if (lim != NULL)
		st->lim = *lim;
	else
		store_limits_default(&st->lim);
	if (st->lim.max_servers == 0 || st->lim.max_open == 0 ||
	    st->lim.max_servers >= NONE) {
		errno = EINVAL;
		goto fail;
	}
	st->hashsz = 16;	/* grows with the servers: hash_grow() */
	cap = st->lim.max_open + st->lim.max_cleared + 1;
	if ((st->srv = store_region_new(st->lim.max_servers *
	    sizeof(*st->srv))) == NULL ||
	    (st->hash = store_region_new(st->hashsz *
	    sizeof(*st->hash))) == NULL ||
	    (st->faults = calloc(cap, sizeof(*st->faults))) == NULL ||
	    (st->dirty = calloc(st->lim.max_servers,
	    sizeof(*st->dirty))) == NULL ||
	    (st->hot = store_region_new(st->lim.max_servers *
	    sizeof(*st->hot))) == NULL ||
	    (st->isdirty = calloc(st->lim.max_servers, 1)) == NULL ||
	    (st->scratch = calloc(st->lim.max_open,
	    sizeof(*st->scratch))) == NULL)
		goto fail;
	st->next_index = 1;
	st->lru_head = st->lru_tail = NONE;
	return st;
fail:
	store_free(st);
	return NULL;
}

void
store_free(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nsrv; i++)
		free(st->srv[i].open);
	for (i = 0; i < st->nfaults; i++)
		free(st->faults[i]);
	store_region_free(st->srv, st->lim.max_servers * sizeof(*st->srv));
	store_region_free(st->hash, st->hashsz * sizeof(*st->hash));
	free(st->faults);
	free(st->dirty);
	store_region_free(st->hot, st->lim.max_servers * sizeof(*st->hot));
	free(st->isdirty);
	free(st->scratch);
	free(st);
}

int
store_observe(struct store *st, store_observer_fn fn, void *arg)
{
	if (st->nobs >= STORE_OBSERVERS_MAX) {
		errno = ENOSPC;
		return -1;
	}
	st->obs[st->nobs].fn = fn;
	st->obs[st->nobs].arg = arg;
	st->nobs++;
	return 0;
}

uint64_t
store_seq(const struct store *st)
{
	return st->seq;
}

int
store_ev_notifies(enum store_ev ev)
{
	switch (ev) {
	case STORE_EV_OPENED:
	case STORE_EV_REFINED:
	case STORE_EV_CLEARED:
	case STORE_EV_STATUS:
		return 1;
	default:
		return 0;
	}
}

const char *
store_ev_name(enum store_ev ev)
{
	switch (ev) {
	case STORE_EV_OPENED:
		return "opened";
	case STORE_EV_REFINED:
		return "refined";
	case STORE_EV_UPDATED:
		return "updated";
	case STORE_EV_CLEARED:
		return "cleared";
	case STORE_EV_STATUS:
		return "status";
	case STORE_EV_ACKED:
		return "acked";
	case STORE_EV_SERVER_ADDED:
		return "server-added";
	case STORE_EV_SERVER_EVICTED:
		return "server-evicted";
	}
	return "unknown";
}

/* One transition: numbered, then told to every observer in order. */
void
store_emit(struct store *st, enum store_ev ev, int64_t evtime, int64_t now,
    struct fault *f, struct srv *sv)
{
	struct store_trans t;
	size_t i;

	memset(&t, 0, sizeof(t));
	t.seq = ++st->seq;
	t.kind = ev;
	t.evtime = evtime;
	t.wall = now;
	if (f != NULL) {
		f->seq = t.seq;
		t.fault = f->index;
		t.server = f->server;
	}
	if (sv != NULL) {
		t.server = sv->pub.index;
		if (ev != STORE_EV_SERVER_EVICTED)
			store_srv_dirty(st, sv);
	}
	for (i = 0; i < st->nobs; i++)
		st->obs[i].fn(st->obs[i].arg, &t, f,
		    sv != NULL ? &sv->pub : NULL);
}

void
store_srv_dirty(struct store *st, struct srv *sv)
{
	store_slot_dirty(st, sv->pub.index - 1);
}

void
store_slot_dirty(struct store *st, uint32_t slot)
{
	if (st->isdirty[slot])
		return;
	st->isdirty[slot] = 1;
	st->dirty[st->ndirty++] = slot;
}

struct srv *
store_srv_of(const struct store *st, uint32_t index)
{
	return (index == 0 || index > st->nsrv) ? NULL : &st->srv[index - 1];
}

void
store_restore_done(struct store *st, uint64_t seq, uint32_t next_fault)
{
	if (seq > st->seq)
		st->seq = seq;
	if (next_fault > st->next_index)
		st->next_index = next_fault;
}

uint32_t
store_next_fault_index(const struct store *st)
{
	return st->next_index;
}

size_t
store_ndirty(const struct store *st)
{
	return st->ndirty;
}

size_t
store_dirty_servers(struct store *st, uint32_t *out, size_t max)
{
	size_t n, i;

	n = st->ndirty < max ? st->ndirty : max;
	for (i = 0; i < n; i++) {
		out[i] = st->dirty[st->ndirty - n + i] + 1;
		st->isdirty[st->dirty[st->ndirty - n + i]] = 0;
	}
	st->ndirty -= n;
	return n;
}

const struct store_stats *
store_stats(const struct store *st)
{
	return &st->stats;
}

const char *
fault_state_name(enum fault_state s)
{
	switch (s) {
	case FAULT_AMBIGUOUS:
		return "ambiguous";
	case FAULT_DIAGNOSED:
		return "diagnosed";
	case FAULT_CLEARED:
		return "cleared";
	case FAULT_UNKNOWN:
		return "unknown-cause";
	}
	return "unknown";
}

const char *
clear_reason_name(enum clear_reason r)
{
	switch (r) {
	case CLEAR_NONE:
		return "none";
	case CLEAR_RECOVERED:
		return "recovered";
	case CLEAR_OPERATOR:
		return "operator";
	case CLEAR_TIMEOUT:
		return "timeout";
	case CLEAR_SUPERSEDED:
		return "superseded";
	}
	return "unknown";
}
