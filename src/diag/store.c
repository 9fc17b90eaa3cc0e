#include "diag/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORE_OBSERVERS_MAX	8
#define STORE_SERVER_OPEN_MAX	64	/* open faults on one server */

/* A server with what only the store needs to see. */
struct srv {
	struct server	 pub;
	struct fault	*open[STORE_SERVER_OPEN_MAX];
	size_t		 nopen;
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
	struct store_stats	 stats;
	struct {
		store_observer_fn fn;
		void		*arg;
	}			 obs[STORE_OBSERVERS_MAX];
	size_t			 nobs;
};

static uint64_t	 hash_key(const char *);
static struct srv **hash_slot(struct store *, const char *);
static void	 notify(struct store *, enum store_ev, const struct fault *,
		    const struct server *);
static struct srv *srv_of(struct store *, uint32_t);
static void	 srv_unlink(struct srv *, struct fault *);
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
	if (st->lim.max_servers == 0 || st->lim.max_open == 0) {
		errno = EINVAL;
		goto fail;
	}
	for (st->hashsz = 16; st->hashsz < 2 * st->lim.max_servers;)
		st->hashsz *= 2;
	cap = st->lim.max_open + st->lim.max_cleared + 1;
	if ((st->srv = calloc(st->lim.max_servers, sizeof(*st->srv))) == NULL ||
	    (st->hash = calloc(st->hashsz, sizeof(*st->hash))) == NULL ||
	    (st->faults = calloc(cap, sizeof(*st->faults))) == NULL)
		goto fail;
	st->next_index = 1;
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
		free(st->srv[i]);
	for (i = 0; i < st->nfaults; i++)
		free(st->faults[i]);
	free(st->srv);
	free(st->hash);
	free(st->faults);
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

static void
notify(struct store *st, enum store_ev ev, const struct fault *f,
    const struct server *s)
{
	size_t i;

	for (i = 0; i < st->nobs; i++)
		st->obs[i].fn(st->obs[i].arg, ev, f, s);
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
hash_slot(struct store *st, const char *key)
{
	size_t i = (size_t)hash_key(key) & (st->hashsz - 1);

	while (st->hash[i] != NULL && strcmp(st->hash[i]->pub.key, key) != 0)
		i = (i + 1) & (st->hashsz - 1);
	return &st->hash[i];
}

struct server *
store_server_get(struct store *st, const char *host)
{
	char key[NORM_HOST_MAX];
	struct srv **slot;

	norm_host(key, sizeof(key), span_cstr(host));
	slot = hash_slot(st, key);
	return *slot != NULL ? &(*slot)->pub : NULL;
}

struct server *
store_server_add(struct store *st, const char *host)
{
	char key[NORM_HOST_MAX];
	struct srv **slot, *s;
	struct span h = span_trim(span_cstr(host));

	norm_host(key, sizeof(key), h);
	if (key[0] == '\0') {
		errno = EINVAL;
		return NULL;
	}
	slot = hash_slot(st, key);
	if (*slot != NULL)
		return &(*slot)->pub;
	if (st->nsrv >= st->lim.max_servers) {
		st->stats.dropped[STORE_DROP_SERVERS]++;
		errno = ENOSPC;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->pub.index = (uint32_t)st->nsrv + 1;
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
	st->srv[st->nsrv++] = s;
	*slot = s;
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

static struct srv *
srv_of(struct store *st, uint32_t index)
{
	return (index == 0 || index > st->nsrv) ? NULL : st->srv[index - 1];
}

void
store_server_status(struct store *st, struct server *s, enum ims_status status,
    int64_t evtime)
{
	if (s->status == status)
		return;
	s->prev_status = s->status;
	s->status = status;
	s->status_time = evtime;
	notify(st, STORE_EV_STATUS, NULL, s);
}

void
store_server_seq(struct server *s, int64_t seq)
{
	if (seq < 0)
		return;
	if (s->last_seq >= 0 && seq > s->last_seq + 1) {
		s->seq_gaps++;
		s->seq_lost += (uint64_t)(seq - s->last_seq - 1);
	} else if (s->last_seq >= 0 && seq <= s->last_seq && seq > 1 &&
	    s->last_seq - seq <= STORE_SEQ_WINDOW)
		return;		/* late or repeated */
	s->last_seq = seq;
}

struct fault *
store_fault_open(struct store *st, struct server *s, const char *article,
    enum fault_state state, int64_t evtime, int64_t now)
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
	f->index = st->next_index++;
	f->server = s->index;
	memcpy(f->host, s->name, sizeof(f->host));
	snprintf(f->article, sizeof(f->article), "%s", article);
	f->state = state;
	f->last_state = state;
	f->first_seen = f->last_seen = evtime;
	f->touched = now;
	st->faults[st->nfaults++] = f;
	st->nopen++;
	sv->open[sv->nopen++] = f;
	s->open_faults++;
	st->stats.faults_opened++;
	return f;
}

struct fault *
store_fault_find(struct store *st, uint32_t server, const char *article)
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

struct fault *
store_fault_by_index(struct store *st, uint32_t index)
{
	ssize_t i = fault_pos(st, index);

	return i < 0 ? NULL : st->faults[i];
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
store_fault_changed(struct store *st, struct fault *f, enum store_ev ev,
    int64_t now)
{
	struct srv *sv = srv_of(st, f->server);

	f->touched = now;
	if (ev == STORE_EV_REFINED)
		st->stats.faults_refined++;
	notify(st, ev, f, sv != NULL ? &sv->pub : NULL);
}

static void
srv_unlink(struct srv *sv, struct fault *f)
{
	size_t i;

	for (i = 0; i < sv->nopen; i++)
		if (sv->open[i] == f) {
			sv->open[i] = sv->open[--sv->nopen];
			sv->pub.open_faults--;
			return;
		}
}

/* Keep at most max_cleared cleared faults: the oldest go first. */
static void
evict_cleared(struct store *st)
{
	size_t i;

	while (st->ncleared > st->lim.max_cleared) {
		for (i = 0; i < st->nfaults; i++)
			if (st->faults[i]->state == FAULT_CLEARED)
				break;
		if (i == st->nfaults)
			return;
		free(st->faults[i]);
		memmove(&st->faults[i], &st->faults[i + 1],
		    (st->nfaults - i - 1) * sizeof(*st->faults));
		st->nfaults--;
		st->ncleared--;
		st->stats.cleared_evicted++;
	}
}

int
store_fault_clear(struct store *st, struct fault *f, enum clear_reason why,
    int64_t when, int64_t now)
{
	struct srv *sv = srv_of(st, f->server);

	if (f->state == FAULT_CLEARED) {
		errno = EALREADY;
		return -1;
	}
	f->last_state = f->state;
	f->state = FAULT_CLEARED;
	f->reason = why;
	f->cleared_at = when;
	f->touched = now;
	if (sv != NULL)
		srv_unlink(sv, f);
	st->nopen--;
	st->ncleared++;
	st->stats.faults_cleared++;
	notify(st, STORE_EV_CLEARED, f, sv != NULL ? &sv->pub : NULL);
	evict_cleared(st);
	return 0;
}

int
store_fault_ack(struct store *st, struct fault *f, int acked)
{
	(void)st;
	f->acked = acked != 0;
	return 0;
}

size_t
store_clear_server(struct store *st, struct server *s, enum clear_reason why,
    int64_t evtime, int64_t now)
{
	struct srv *sv = srv_of(st, s->index);
	size_t n = 0, i;

	if (sv == NULL)
		return 0;
	/* Faults whose evidence is newer than the clearing event stay. */
	for (i = sv->nopen; i > 0; i--) {
		if (sv->open[i - 1]->last_seen > evtime)
			continue;
		store_fault_clear(st, sv->open[i - 1], why, evtime, now);
		n++;
	}
	return n;
}

size_t
store_clear_quiet(struct store *st, int64_t older_than, int64_t now)
{
	size_t i, n = 0;
	struct fault *f;

	for (i = 0; i < st->nfaults; i++) {
		f = st->faults[i];
		if (f->state == FAULT_CLEARED || f->touched >= older_than)
			continue;
		store_fault_clear(st, f, CLEAR_TIMEOUT, now, now);
		n++;
		/* Clearing may evict and shift the array: rescan from here. */
		if (i > 0)
			i--;
	}
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
