#include "diag/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORE_OBSERVERS_MAX	8
#define STORE_SERVER_OPEN_MAX	64	/* open faults on one server */
#define NONE			UINT32_MAX

/*
 * A server with what only the store needs to see.  Most servers have no
 * open fault: the array of open faults is allocated with the first and
 * freed with the last, so that a tracked server costs little more than
 * its struct server.
 */
struct srv {
	int		 dirty;		/* first: beside pub's first fields */
	int		 in_lru;
	struct server	 pub;
	struct fault	**open;		/* nopen of capopen, NULL when none */
	uint32_t	 nopen;
	uint32_t	 capopen;	/* up to STORE_SERVER_OPEN_MAX */
	size_t		 nref;		/* faults in memory naming it */
	uint32_t	 prev, next;	/* eviction list (slots), NONE */
};

struct store {
	struct store_limits	 lim;
	struct srv		**srv;		/* by index - 1 */
	size_t			 nsrv;
	struct srv		**hash;		/* open addressing on key */
	size_t			 hashsz;	/* power of two */
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

static uint64_t	 hash_key(const char *);
static struct srv **hash_slot(const struct store *, const char *);
static void	 hash_del(struct store *, struct srv *);
static void	 srv_dirty(struct store *, struct srv *);
static void	 srv_wake(struct store *, struct srv *, int64_t);
static void	 emit(struct store *, enum store_ev, int64_t, int64_t,
		    struct fault *, struct srv *);
static struct srv *srv_of(const struct store *, uint32_t);
static struct fault *fault_mut(const struct store *, const struct fault *);
static int	 srv_link_fault(struct srv *, struct fault *);
static void	 srv_unlink(struct srv *, struct fault *);
static void	 srv_explain(struct srv *, struct fault *);
static void	 lru_unlink(struct store *, struct srv *);
static void	 lru_append(struct store *, struct srv *);
static struct srv *srv_evict(struct store *, int64_t);
static void	 evict_cleared(struct store *);
static ssize_t	 fault_pos(const struct store *, uint32_t);

void
store_limits_default(struct store_limits *l)
{
	l->max_servers = 4096;
	l->max_open = 4096;
	l->max_cleared = 1024;
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
	for (st->hashsz = 16; st->hashsz < 2 * st->lim.max_servers;)
		st->hashsz *= 2;
	cap = st->lim.max_open + st->lim.max_cleared + 1;
	if ((st->srv = calloc(st->lim.max_servers, sizeof(*st->srv))) == NULL ||
	    (st->hash = calloc(st->hashsz, sizeof(*st->hash))) == NULL ||
	    (st->faults = calloc(cap, sizeof(*st->faults))) == NULL ||
	    (st->dirty = calloc(st->lim.max_servers,
	    sizeof(*st->dirty))) == NULL ||
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
	for (i = 0; i < st->nsrv; i++) {
		if (st->srv[i] != NULL)
			free(st->srv[i]->open);
		free(st->srv[i]);
	}
	for (i = 0; i < st->nfaults; i++)
		free(st->faults[i]);
	free(st->srv);
	free(st->hash);
	free(st->faults);
	free(st->dirty);
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
static void
emit(struct store *st, enum store_ev ev, int64_t evtime, int64_t now,
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
			srv_dirty(st, sv);
	}
	for (i = 0; i < st->nobs; i++)
		st->obs[i].fn(st->obs[i].arg, &t, f,
		    sv != NULL ? &sv->pub : NULL);
}

/* FNV-1a over the normalised host name. */
static uint64_t
hash_key(const char *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *k != '\0'; k++) {
		h ^= (unsigned char)*k;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct srv **
hash_slot(const struct store *st, const char *key)
{
	size_t i = (size_t)hash_key(key) & (st->hashsz - 1);

	while (st->hash[i] != NULL && strcmp(st->hash[i]->pub.key, key) != 0)
		i = (i + 1) & (st->hashsz - 1);
	return &st->hash[i];
}

/* Linear probing deletion: re-place the rest of the cluster. */
static void
hash_del(struct store *st, struct srv *sv)
{
	struct srv **slot = hash_slot(st, sv->pub.key), *m;
	size_t i, mask = st->hashsz - 1;

	if (*slot != sv)
		return;
	*slot = NULL;
	for (i = ((size_t)(slot - st->hash) + 1) & mask; st->hash[i] != NULL;
	    i = (i + 1) & mask) {
		m = st->hash[i];
		st->hash[i] = NULL;
		*hash_slot(st, m->pub.key) = m;
	}
}

const struct server *
store_server_get(const struct store *st, const char *host)
{
	char key[NORM_HOST_MAX];
	struct srv **slot;

	norm_host(key, sizeof(key), span_cstr(host));
	slot = hash_slot(st, key);
	return *slot != NULL ? &(*slot)->pub : NULL;
}

static void
lru_unlink(struct store *st, struct srv *sv)
{
	if (!sv->in_lru)
		return;
	if (sv->prev != NONE)
		st->srv[sv->prev]->next = sv->next;
	else
		st->lru_head = sv->next;
	if (sv->next != NONE)
		st->srv[sv->next]->prev = sv->prev;
	else
		st->lru_tail = sv->prev;
	sv->prev = sv->next = NONE;
	sv->in_lru = 0;
}

/* Most recently heard last; a server with an open fault is never in it. */
static void
lru_append(struct store *st, struct srv *sv)
{
	uint32_t slot = sv->pub.index - 1;

	lru_unlink(st, sv);
	if (sv->nopen > 0)
		return;
	sv->prev = st->lru_tail;
	sv->next = NONE;
	if (st->lru_tail != NONE)
		st->srv[st->lru_tail]->next = slot;
	else
		st->lru_head = slot;
	st->lru_tail = slot;
	sv->in_lru = 1;
}

static void
srv_dirty(struct store *st, struct srv *sv)
{
	if (sv->dirty)
		return;
	sv->dirty = 1;
	st->dirty[st->ndirty++] = sv->pub.index - 1;
}

/*
 * The least recently heard server without an open fault leaves; its
 * slot is returned for reuse.  Cleared faults kept in memory keep its
 * name (struct fault's host) but no longer its index.
 */
static struct srv *
srv_evict(struct store *st, int64_t now)
{
	struct srv *sv;
	size_t i;

	if (st->lru_head == NONE)
		return NULL;
	sv = st->srv[st->lru_head];
	emit(st, STORE_EV_SERVER_EVICTED, now, now, NULL, sv);
	lru_unlink(st, sv);
	hash_del(st, sv);
	for (i = 0; sv->nref > 0 && i < st->nfaults; i++)
		if (st->faults[i]->server == sv->pub.index) {
			st->faults[i]->server = 0;
			sv->nref--;
		}
	st->stats.servers_evicted++;
	st->gen++;
	return sv;
}

const struct server *
store_server_add(struct store *st, const char *host, int64_t now)
{
	char key[NORM_HOST_MAX];
	struct srv **slot, *s;
	struct span h = span_trim(span_cstr(host));
	uint32_t index;
	int dirty;

	norm_host(key, sizeof(key), h);
	if (key[0] == '\0') {
		errno = EINVAL;
		return NULL;
	}
	slot = hash_slot(st, key);
	if (*slot != NULL)
		return &(*slot)->pub;
	if (st->nsrv >= st->lim.max_servers) {
		if ((s = srv_evict(st, now)) == NULL) {
			st->stats.dropped[STORE_DROP_SERVERS]++;
			errno = ENOSPC;
			return NULL;
		}
		index = s->pub.index;
		dirty = s->dirty;
		free(s->open);		/* NULL: it had no open fault */
		memset(s, 0, sizeof(*s));
		s->dirty = dirty;
		slot = hash_slot(st, key);
	} else {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return NULL;
		index = (uint32_t)st->nsrv + 1;
		st->srv[st->nsrv++] = s;
	}
	s->pub.index = index;
	memcpy(s->pub.key, key, sizeof(key));
	/*
	 * Display name: as first seen, case kept, cut where norm_host() cut
	 * the key (first label of an FQDN).
	 */
	h.n = strlen(key);
	span_copy(s->pub.name, sizeof(s->pub.name), h);
	s->pub.last_event_id = -1;
	s->pub.last_seq = -1;
	s->pub.status_time = INT64_MIN;
	s->pub.last_event_time = INT64_MIN;
	s->pub.heard = now;
	s->prev = s->next = NONE;
	*slot = s;
	lru_append(st, s);
	s->pub.born = st->seq + 1;
	emit(st, STORE_EV_SERVER_ADDED, now, now, NULL, s);
	return &s->pub;
}

const struct server *
store_server_by_index(const struct store *st, uint32_t index)
{
	if (index == 0 || index > st->nsrv)
		return NULL;
	return &st->srv[index - 1]->pub;
}

size_t
store_nservers(const struct store *st)
{
	return st->nsrv;
}

const struct server *
store_server_at(const struct store *st, size_t i)
{
	return i < st->nsrv ? &st->srv[i]->pub : NULL;
}

uint64_t
store_servers_gen(const struct store *st)
{
	return st->gen;
}

static struct srv *
srv_of(const struct store *st, uint32_t index)
{
	return (index == 0 || index > st->nsrv) ? NULL : st->srv[index - 1];
}

void
store_server_heard(struct store *st, const struct server *s, int64_t evtime,
    int32_t event_id, int64_t fwd_seq, const char *addr, int64_t now)
{
	struct srv *sv = srv_of(st, s->index);

	if (sv == NULL)
		return;
	sv->pub.events++;
	if (evtime >= sv->pub.last_event_time) {
		sv->pub.last_event_time = evtime;
		sv->pub.last_event_id = event_id;
	}
	if (addr != NULL && addr[0] != '\0')
		snprintf(sv->pub.addr, sizeof(sv->pub.addr), "%s", addr);
	store_server_seq(st, s, fwd_seq);
	srv_wake(st, sv, now);
	srv_dirty(st, sv);
}

/* Heard from again: out of silence, back to what it was. */
static void
srv_wake(struct store *st, struct srv *sv, int64_t now)
{
	if (now > sv->pub.heard)
		sv->pub.heard = now;
	if (sv->in_lru && st->lru_tail != sv->pub.index - 1)
		lru_append(st, sv);
	if (sv->pub.status != IMS_STATUS_SILENT)
		return;
	store_server_status(st, &sv->pub, sv->pub.prev_status, now, now,
	    "heard from again");
}

void
store_server_alive(struct store *st, const struct server *s, int64_t now)
{
	struct srv *sv = srv_of(st, s->index);

	if (sv == NULL || now <= sv->pub.heard)
		return;
	srv_wake(st, sv, now);
	srv_dirty(st, sv);
}

size_t
store_check_silent(struct store *st, int64_t older_than, int64_t now)
{
	struct srv *sv;
	char why[STORE_WHY_MAX];
	size_t i, n = 0;

	for (i = 0; i < st->nsrv; i++) {
		sv = st->srv[i];
		if (sv->pub.status == IMS_STATUS_SILENT ||
		    sv->pub.heard >= older_than)
			continue;
		snprintf(why, sizeof(why), "nothing heard for %lld s",
		    (long long)(now - sv->pub.heard));
		store_server_status(st, &sv->pub, IMS_STATUS_SILENT, now, now,
		    why);
		n++;
	}
	return n;
}

void
store_server_status(struct store *st, const struct server *s,
    enum ims_status status, int64_t evtime, int64_t now, const char *why)
{
	struct srv *sv = srv_of(st, s->index);

	if (sv == NULL || sv->pub.status == status)
		return;
	sv->pub.prev_status = sv->pub.status;
	sv->pub.status = status;
	sv->pub.status_time = evtime;
	sv->pub.status_wall = now;
	snprintf(sv->pub.status_why, sizeof(sv->pub.status_why), "%s",
	    why != NULL ? why : "");
	emit(st, STORE_EV_STATUS, evtime, now, NULL, sv);
}

void
store_server_seq(struct store *st, const struct server *srv, int64_t seq)
{
	struct srv *sv = srv_of(st, srv->index);
	struct server *s;

	if (sv == NULL || seq < 0)
		return;
	s = &sv->pub;
	if (s->last_seq >= 0 && seq > s->last_seq + 1) {
		s->seq_gaps++;
		s->seq_lost += (uint64_t)(seq - s->last_seq - 1);
	} else if (s->last_seq >= 0 && seq <= s->last_seq && seq > 1 &&
	    s->last_seq - seq <= STORE_SEQ_WINDOW)
		return;		/* late or repeated */
	s->last_seq = seq;
	srv_dirty(st, sv);
}

/* -1 (ENOMEM) when the array could not grow; the caller checked the cap. */
static int
srv_link_fault(struct srv *sv, struct fault *f)
{
	struct fault **o;
	uint32_t n;

	if (sv->nopen == sv->capopen) {
		n = sv->capopen == 0 ? 2 : 2 * sv->capopen;
		if (n > STORE_SERVER_OPEN_MAX)
			n = STORE_SERVER_OPEN_MAX;
		if ((o = realloc(sv->open, n * sizeof(*o))) == NULL)
			return -1;
		sv->open = o;
		sv->capopen = n;
	}
	sv->open[sv->nopen++] = f;
	sv->pub.open_faults++;
	return 0;
}

static void
srv_unlink(struct srv *sv, struct fault *f)
{
	size_t i;

	for (i = 0; i < sv->nopen; i++)
		if (sv->open[i] == f) {
			sv->open[i] = sv->open[--sv->nopen];
			sv->pub.open_faults--;
			break;
		}
	if (sv->nopen == 0) {
		free(sv->open);
		sv->open = NULL;
		sv->capopen = 0;
	}
}

/*
 * The fault that explains the server's status: the one named while it
 * is open; else the fallback (the fault just updated) if open; else the
 * open fault with the highest index.
 */
static void
srv_explain(struct srv *sv, struct fault *fallback)
{
	size_t i;

	for (i = 0; i < sv->nopen; i++)
		if (sv->open[i]->index == sv->pub.explain)
			return;
	sv->pub.explain = 0;
	if (fallback != NULL && fallback->state != FAULT_CLEARED &&
	    fallback->server == sv->pub.index) {
		sv->pub.explain = fallback->index;
		return;
	}
	for (i = 0; i < sv->nopen; i++)
		if (sv->open[i]->index > sv->pub.explain)
			sv->pub.explain = sv->open[i]->index;
}

const struct fault *
store_fault_open(struct store *st, const struct server *s,
    const char *article, enum fault_state state, int64_t evtime, int64_t now)
{
	struct srv *sv = srv_of(st, s->index);
	struct fault *f;

	if (sv == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (st->nopen >= st->lim.max_open ||
	    sv->nopen >= STORE_SERVER_OPEN_MAX) {
		st->stats.dropped[STORE_DROP_FAULTS]++;
		errno = ENOSPC;
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if (srv_link_fault(sv, f) == -1) {
		free(f);
		return NULL;
	}
	f->index = st->next_index++;
	f->server = s->index;
	memcpy(f->host, s->name, sizeof(f->host));
	snprintf(f->article, sizeof(f->article), "%s", article);
	f->state = state;
	f->last_state = state;
	f->first_seen = f->last_seen = evtime;
	f->opened_at = f->touched = now;
	st->faults[st->nfaults++] = f;
	st->nopen++;
	sv->nref++;
	lru_unlink(st, sv);
	st->stats.faults_opened++;
	return f;
}

const struct fault *
store_fault_find(const struct store *st, uint32_t server, const char *article)
{
	struct srv *sv = srv_of(st, server);
	size_t i;

	if (sv == NULL)
		return NULL;
	for (i = 0; i < sv->nopen; i++)
		if (strcmp(sv->open[i]->article, article) == 0)
			return sv->open[i];
	return NULL;
}

static ssize_t
fault_pos(const struct store *st, uint32_t index)
{
	size_t lo = 0, hi = st->nfaults, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->faults[mid]->index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->nfaults && st->faults[lo]->index == index)
		return (ssize_t)lo;
	return -1;
}

const struct fault *
store_fault_by_index(const struct store *st, uint32_t index)
{
	ssize_t i = fault_pos(st, index);

	return i < 0 ? NULL : st->faults[i];
}

/* The store's own, writable copy of a fault it handed out. */
static struct fault *
fault_mut(const struct store *st, const struct fault *f)
{
	ssize_t i;

	if (f == NULL || (i = fault_pos(st, f->index)) < 0)
		return NULL;
	return st->faults[i];
}

size_t
store_nfaults(const struct store *st)
{
	return st->nfaults;
}

const struct fault *
store_fault_at(const struct store *st, size_t i)
{
	return i < st->nfaults ? st->faults[i] : NULL;
}

void
store_fault_seen(struct store *st, const struct fault *cf, int32_t id,
    int64_t t)
{
	struct fault *f = fault_mut(st, cf);
	size_t i;

	if (f == NULL)
		return;
	f->count++;
	if (t < f->first_seen)
		f->first_seen = t;
	if (t > f->last_seen)
		f->last_seen = t;
	if (id >= 0) {
		for (i = 0; i < f->nevidence; i++)
			if (f->evidence[i] == (uint16_t)id)
				break;
		if (i == f->nevidence && f->nevidence < STORE_EVIDENCE_MAX)
			f->evidence[f->nevidence++] = (uint16_t)id;
	}
}

void
store_fault_rank(struct store *st, const struct fault *cf,
    const struct store_cand *c, size_t n, uint32_t confidence)
{
	struct fault *f = fault_mut(st, cf);

	if (f == NULL)
		return;
	if (n > STORE_CANDS_MAX)
		n = STORE_CANDS_MAX;
	if (n > 0)
		memcpy(f->cands, c, n * sizeof(*c));
	f->ncands = n;
	f->confidence = confidence > 100 ? 100 : confidence;
}

void
store_fault_refine(struct store *st, const struct fault *cf,
    const char *article)
{
	struct fault *f = fault_mut(st, cf);

	if (f == NULL || f->state == FAULT_CLEARED)
		return;
	snprintf(f->article, sizeof(f->article), "%s", article);
	f->state = FAULT_DIAGNOSED;
	f->last_state = FAULT_DIAGNOSED;
}

void
store_fault_undiagnose(struct store *st, const struct fault *cf,
    enum fault_state state)
{
	struct fault *f = fault_mut(st, cf);

	if (f == NULL || f->state == FAULT_CLEARED ||
	    (state != FAULT_AMBIGUOUS && state != FAULT_UNKNOWN))
		return;
	f->article[0] = '\0';
	f->state = state;
	f->last_state = state;
}

void
store_fault_changed(struct store *st, const struct fault *cf,
    enum store_ev ev, int64_t now)
{
	struct fault *f = fault_mut(st, cf);
	struct srv *sv;

	if (f == NULL)
		return;
	sv = srv_of(st, f->server);
	f->touched = now;
	if (ev == STORE_EV_REFINED)
		st->stats.faults_refined++;
	if (sv != NULL) {
		if (ev == STORE_EV_OPENED || ev == STORE_EV_REFINED)
			sv->pub.explain = f->index;
		else
			srv_explain(sv, f);
	}
	emit(st, ev, f->last_seen, now, f, sv);
}

/* Keep at most max_cleared cleared faults: the oldest go first. */
static void
evict_cleared(struct store *st)
{
	struct srv *sv;
	size_t i;

	while (st->ncleared > st->lim.max_cleared) {
		for (i = 0; i < st->nfaults; i++)
			if (st->faults[i]->state == FAULT_CLEARED)
				break;
		if (i == st->nfaults)
			return;
		if ((sv = srv_of(st, st->faults[i]->server)) != NULL &&
		    sv->nref > 0)
			sv->nref--;
		free(st->faults[i]);
		memmove(&st->faults[i], &st->faults[i + 1],
		    (st->nfaults - i - 1) * sizeof(*st->faults));
		st->nfaults--;
		st->ncleared--;
		st->stats.cleared_evicted++;
	}
}

int
store_fault_clear(struct store *st, const struct fault *cf,
    enum clear_reason why, int64_t when, int64_t now)
{
	struct fault *f = fault_mut(st, cf);
	struct srv *sv;
	char wbuf[STORE_WHY_MAX];

	if (f == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (f->state == FAULT_CLEARED) {
		errno = EALREADY;
		return -1;
	}
	sv = srv_of(st, f->server);
	f->last_state = f->state;
	f->state = FAULT_CLEARED;
	f->reason = why;
	f->cleared_at = when;
	f->touched = now;
	if (sv != NULL) {
		srv_unlink(sv, f);
		srv_explain(sv, NULL);
		if (sv->nopen == 0)
			lru_append(st, sv);
	}
	st->nopen--;
	st->ncleared++;
	st->stats.faults_cleared++;
	emit(st, STORE_EV_CLEARED, when, now, f, sv);
	/*
	 * An operator's clear or the quiet timeout says nothing of whether
	 * the IMS runs: the status its faults implied becomes unknown until
	 * the next event tells.
	 */
	if (sv != NULL && sv->nopen == 0 && (why == CLEAR_OPERATOR ||
	    why == CLEAR_TIMEOUT) && (sv->pub.status ==
	    IMS_STATUS_START_FAILED || sv->pub.status == IMS_STATUS_DEGRADED)) {
		snprintf(wbuf, sizeof(wbuf), "fault %u cleared (%s): no event "
		    "since tells", (unsigned)f->index, clear_reason_name(why));
		store_server_status(st, &sv->pub, IMS_STATUS_UNKNOWN, when, now,
		    wbuf);
	}
	evict_cleared(st);
	return 0;
}

int
store_fault_ack(struct store *st, const struct fault *cf, int acked,
    int64_t now)
{
	struct fault *f = fault_mut(st, cf);

	if (f == NULL) {
		errno = ENOENT;
		return -1;
	}
	acked = acked != 0;
	if (f->acked == acked)
		return 0;
	f->acked = acked;
	f->acked_at = now;
	emit(st, STORE_EV_ACKED, now, now, f, srv_of(st, f->server));
	return 0;
}

size_t
store_clear_server(struct store *st, const struct server *s,
    enum clear_reason why, int64_t evtime, int64_t now)
{
	struct srv *sv = srv_of(st, s->index);
	size_t n = 0, i;

	if (sv == NULL)
		return 0;
	/*
	 * Faults whose evidence is newer than the clearing event stay.
	 * Clearing moves the last open fault into the slot cleared, one
	 * already looked at: walking down sees each once.
	 */
	for (i = sv->nopen; i > 0; i--) {
		if (i > sv->nopen || sv->open[i - 1]->last_seen > evtime)
			continue;
		if (store_fault_clear(st, sv->open[i - 1], why, evtime,
		    now) == 0)
			n++;
	}
	return n;
}

/*
 * Clearing may evict cleared faults and shift the array: the faults to
 * clear are picked first, by index, then cleared one by one.
 */
size_t
store_clear_quiet(struct store *st, int64_t older_than, int64_t now)
{
	const struct fault *f;
	size_t i, n = 0, k = 0;

	for (i = 0; i < st->nfaults && k < st->lim.max_open; i++) {
		f = st->faults[i];
		if (f->state != FAULT_CLEARED && f->touched < older_than)
			st->scratch[k++] = f->index;
	}
	for (i = 0; i < k; i++)
		if ((f = store_fault_by_index(st, st->scratch[i])) != NULL &&
		    store_fault_clear(st, f, CLEAR_TIMEOUT, now, now) == 0)
			n++;
	return n;
}

int
store_restore_server(struct store *st, const struct server *in)
{
	struct srv **slot, *s;

	if (in->index != st->nsrv + 1 || st->nsrv >= st->lim.max_servers ||
	    in->key[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	slot = hash_slot(st, in->key);
	if (*slot != NULL) {
		errno = EEXIST;
		return -1;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->pub = *in;
	s->pub.open_faults = 0;
	s->pub.explain = 0;
	s->prev = s->next = NONE;
	st->srv[st->nsrv++] = s;
	*slot = s;
	lru_append(st, s);
	return 0;
}

int
store_restore_fault(struct store *st, const struct fault *in)
{
	struct srv *sv = srv_of(st, in->server);
	struct fault *f;
	uint64_t evicted;

	if ((st->nfaults > 0 &&
	    in->index <= st->faults[st->nfaults - 1]->index) ||
	    in->index == 0) {
		errno = EINVAL;
		return -1;
	}
	if (in->state != FAULT_CLEARED && (sv == NULL ||
	    st->nopen >= st->lim.max_open ||
	    sv->nopen >= STORE_SERVER_OPEN_MAX)) {
		errno = ENOSPC;
		return -1;
	}
	if ((f = malloc(sizeof(*f))) == NULL)
		return -1;
	*f = *in;
	if (f->state != FAULT_CLEARED && srv_link_fault(sv, f) == -1) {
		free(f);
		return -1;
	}
	if (sv == NULL)
		f->server = 0;
	st->faults[st->nfaults++] = f;
	if (sv != NULL)
		sv->nref++;
	if (f->state == FAULT_CLEARED) {
		st->ncleared++;
	} else {
		st->nopen++;
		lru_unlink(st, sv);
		if (f->index > sv->pub.explain)
			sv->pub.explain = f->index;
	}
	if (f->index >= st->next_index)
		st->next_index = f->index + 1;
	if (st->ncleared > st->lim.max_cleared) {
		/* Older history than memory keeps: the database has it. */
		evicted = st->stats.cleared_evicted;
		evict_cleared(st);
		st->stats.cleared_evicted = evicted;
	}
	return 0;
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
		st->srv[st->dirty[st->ndirty - n + i]]->dirty = 0;
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
