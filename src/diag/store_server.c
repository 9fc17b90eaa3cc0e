/*
 * store_server: the servers of the store: the hash on the normalised
 * host name, the order of eviction at the cap (least recently heard,
 * never one with an open fault), what was heard from each and when, its
 * status, its forwarder's sequence numbers, silence.
 */
#include "diag/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t	 hash_key(const char *);
static struct hent *hash_slot(const struct store *, const char *, uint64_t);
static void	 hash_put(struct store *, const char *, uint32_t);
static int	 hash_grow(struct store *);
static void	 hash_del(struct store *, struct srv *);
static struct srv *srv_evict(struct store *, int64_t);
static void	 srv_wake(struct store *, struct srv *, int64_t);
static int	 key_eq(const struct store *, uint32_t, const char *);
static void	 hot_fill(struct store *, const struct server *);
static void	 seq_note(struct store *, uint32_t, int64_t);

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

/* The slot of key (h is hash_key(key)): its server's, or the free one. */
static struct hent *
hash_slot(const struct store *st, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (st->hashsz - 1);
	uint32_t tag = (uint32_t)(h >> 32);
	struct hent *e;

	for (;; i = (i + 1) & (st->hashsz - 1)) {
		e = &st->hash[i];
		if (e->index == 0 || (e->tag == tag &&
		    key_eq(st, e->index - 1, key)))
			return e;
	}
}

/*
 * Is the key of the server in slot key?  Read in its struct shot; only a
 * key longer than SHOT_KEY - 1 needs the rest of its struct's.
 */
static int
key_eq(const struct store *st, uint32_t slot, const char *key)
{
	const char *k = st->hot[slot].sh_key;
	size_t i;

	for (i = 0; i < SHOT_KEY; i++) {
		if (k[i] != key[i])
			return 0;
		if (k[i] == '\0')
			return 1;
	}
	return strcmp(st->srv[slot].pub.key + SHOT_KEY, key + SHOT_KEY) == 0;
}

/* A server's struct shot from its struct server (new or restored). */
static void
hot_fill(struct store *st, const struct server *s)
{
	struct shot *h = &st->hot[s->index - 1];
	size_t n = strnlen(s->key, SHOT_KEY);

	memset(h->sh_key, 0, SHOT_KEY);
	memcpy(h->sh_key, s->key, n);
	h->sh_last_seq = s->last_seq;
	h->sh_heard = s->heard;
}

/* File the server of that index under key, which is not there yet. */
static void
hash_put(struct store *st, const char *key, uint32_t index)
{
	uint64_t h = hash_key(key);
	struct hent *e = hash_slot(st, key, h);

	e->tag = (uint32_t)(h >> 32);
	e->index = index;
}

/*
 * Keep the table at most half full: double it (and file every server
 * again) before it would pass that.  -1 if it cannot grow.
 */
static int
hash_grow(struct store *st)
{
	struct hent *old = st->hash;
	size_t i, oldsz = st->hashsz, sz = oldsz;

	while (sz < 2 * (st->nsrv + 1))
		sz *= 2;
	if (sz == oldsz)
		return 0;
	if ((st->hash = store_region_new(sz * sizeof(*st->hash))) == NULL) {
		st->hash = old;
		return -1;
	}
	st->hashsz = sz;
	for (i = 0; i < oldsz; i++)
		if (old[i].index != 0)
			hash_put(st, st->srv[old[i].index - 1].pub.key,
			    old[i].index);
	store_region_free(old, oldsz * sizeof(*old));
	return 0;
}

/* Linear probing deletion: re-place the rest of the cluster. */
static void
hash_del(struct store *st, struct srv *sv)
{
	struct hent *slot = hash_slot(st, sv->pub.key, hash_key(sv->pub.key));
	size_t i, mask = st->hashsz - 1;
	struct hent m;

	if (slot->index != sv->pub.index)
		return;
	slot->index = 0;
	for (i = ((size_t)(slot - st->hash) + 1) & mask;
	    st->hash[i].index != 0; i = (i + 1) & mask) {
		m = st->hash[i];
		st->hash[i].index = 0;
		hash_put(st, st->srv[m.index - 1].pub.key, m.index);
	}
}

const struct server *
store_server_get(const struct store *st, const char *host)
{
	char key[NORM_HOST_MAX];
	struct hent *slot;

	norm_host(key, sizeof(key), span_cstr(host));
	slot = hash_slot(st, key, hash_key(key));
	return slot->index != 0 ? &st->srv[slot->index - 1].pub : NULL;
}

void
store_lru_unlink(struct store *st, struct srv *sv)
{
	if (!sv->in_lru)
		return;
	if (sv->prev != NONE)
		st->srv[sv->prev].next = sv->next;
	else
		st->lru_head = sv->next;
	if (sv->next != NONE)
		st->srv[sv->next].prev = sv->prev;
	else
		st->lru_tail = sv->prev;
	sv->prev = sv->next = NONE;
	sv->in_lru = 0;
}

/* Most recently heard last; a server with an open fault is never in it. */
void
store_lru_append(struct store *st, struct srv *sv)
{
	uint32_t slot = sv->pub.index - 1;

	store_lru_unlink(st, sv);
	if (sv->nopen > 0)
		return;
	sv->prev = st->lru_tail;
	sv->next = NONE;
	if (st->lru_tail != NONE)
		st->srv[st->lru_tail].next = slot;
	else
		st->lru_head = slot;
	st->lru_tail = slot;
	sv->in_lru = 1;
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
	sv = &st->srv[st->lru_head];
	store_emit(st, STORE_EV_SERVER_EVICTED, now, now, NULL, sv);
	store_lru_unlink(st, sv);
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
	struct srv *s;
	struct span h = span_trim(span_cstr(host));
	uint32_t index;

	norm_host(key, sizeof(key), h);
	if (key[0] == '\0') {
		errno = EINVAL;
		return NULL;
	}
	if ((index = hash_slot(st, key, hash_key(key))->index) != 0)
		return &st->srv[index - 1].pub;
	if (st->nsrv >= st->lim.max_servers) {
		if ((s = srv_evict(st, now)) == NULL) {
			st->stats.dropped[STORE_DROP_SERVERS]++;
			errno = ENOSPC;
			return NULL;
		}
		index = s->pub.index;
		free(s->open);		/* NULL: it had no open fault */
		memset(s, 0, sizeof(*s));
	} else {
		if (hash_grow(st) == -1)
			return NULL;
		s = &st->srv[st->nsrv++];	/* zero: never used */
		index = (uint32_t)st->nsrv;
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
	hot_fill(st, &s->pub);
	hash_put(st, key, index);
	store_lru_append(st, s);
	s->pub.born = st->seq + 1;
	store_emit(st, STORE_EV_SERVER_ADDED, now, now, NULL, s);
	return &s->pub;
}

const struct server *
store_server_by_index(const struct store *st, uint32_t index)
{
	if (index == 0 || index > st->nsrv)
		return NULL;
	return &st->srv[index - 1].pub;
}

size_t
store_nservers(const struct store *st)
{
	return st->nsrv;
}

const struct server *
store_server_at(const struct store *st, size_t i)
{
	return i < st->nsrv ? &st->srv[i].pub : NULL;
}

uint64_t
store_servers_gen(const struct store *st)
{
	return st->gen;
}

void
store_server_heard(struct store *st, const struct server *s, int64_t evtime,
    int32_t event_id, int64_t fwd_seq, const char *addr, int64_t now)
{
	struct srv *sv = store_srv_of(st, s->index);

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
	store_srv_dirty(st, sv);
}

/* Heard from again: out of silence, back to what it was. */
static void
srv_wake(struct store *st, struct srv *sv, int64_t now)
{
	if (now > sv->pub.heard)
		sv->pub.heard = st->hot[sv->pub.index - 1].sh_heard = now;
	if (sv->in_lru && st->lru_tail != sv->pub.index - 1)
		store_lru_append(st, sv);
	if (sv->pub.status != IMS_STATUS_SILENT)
		return;
	store_server_status(st, &sv->pub, sv->pub.prev_status, now, now,
	    "heard from again");
}

void
store_server_alive(struct store *st, const struct server *s, int64_t now)
{
	struct srv *sv = store_srv_of(st, s->index);

	if (sv == NULL || now <= st->hot[s->index - 1].sh_heard)
		return;
	srv_wake(st, sv, now);
	store_srv_dirty(st, sv);
}

void
store_key_make(const struct store *st, struct store_key *k, const char *host)
{
	norm_host(k->sk_key, sizeof(k->sk_key), span_cstr(host));
	k->sk_hash = hash_key(k->sk_key);
	__builtin_prefetch(&st->hash[(size_t)k->sk_hash & (st->hashsz - 1)]);
}

int
store_server_seen(struct store *st, const struct store_key *k,
    int64_t fwd_seq, int64_t now)
{
	uint32_t index;

	if ((index = hash_slot(st, k->sk_key, k->sk_hash)->index) == 0)
		return 0;
	seq_note(st, index - 1, fwd_seq);
	if (now > st->hot[index - 1].sh_heard) {
		srv_wake(st, &st->srv[index - 1], now);
		store_slot_dirty(st, index - 1);
	}
	return 1;
}

size_t
store_check_silent(struct store *st, int64_t older_than, int64_t now)
{
	struct srv *sv;
	char why[STORE_WHY_MAX];
	size_t i, n = 0;

	for (i = 0; i < st->nsrv; i++) {
		sv = &st->srv[i];
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
	struct srv *sv = store_srv_of(st, s->index);

	if (sv == NULL || sv->pub.status == status)
		return;
	sv->pub.prev_status = sv->pub.status;
	sv->pub.status = status;
	sv->pub.status_time = evtime;
	sv->pub.status_wall = now;
	snprintf(sv->pub.status_why, sizeof(sv->pub.status_why), "%s",
	    why != NULL ? why : "");
	store_emit(st, STORE_EV_STATUS, evtime, now, NULL, sv);
}

void
store_server_seq(struct store *st, const struct server *srv, int64_t seq)
{
	if (store_srv_of(st, srv->index) != NULL)
		seq_note(st, srv->index - 1, seq);
}

/*
 * The sequence check reads the struct shot; the struct server is only
 * written (and read for a gap), so that its line need not be waited for.
 */
static void
seq_note(struct store *st, uint32_t slot, int64_t seq)
{
	struct shot *h = &st->hot[slot];
	struct server *s;

	if (seq < 0)
		return;
	if (h->sh_last_seq >= 0 && seq > h->sh_last_seq + 1) {
		s = &st->srv[slot].pub;
		s->seq_gaps++;
		s->seq_lost += (uint64_t)(seq - h->sh_last_seq - 1);
	} else if (h->sh_last_seq >= 0 && seq <= h->sh_last_seq && seq > 1 &&
	    h->sh_last_seq - seq <= STORE_SEQ_WINDOW)
		return;		/* late or repeated */
	h->sh_last_seq = seq;
	st->srv[slot].pub.last_seq = seq;
	store_slot_dirty(st, slot);
}

int
store_restore_server(struct store *st, const struct server *in)
{
	struct srv *s;

	if (in->index != st->nsrv + 1 || st->nsrv >= st->lim.max_servers ||
	    in->key[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	if (hash_slot(st, in->key, hash_key(in->key))->index != 0) {
		errno = EEXIST;
		return -1;
	}
	if (hash_grow(st) == -1)
		return -1;
	s = &st->srv[st->nsrv];
	s->pub = *in;
	s->pub.open_faults = 0;
	s->pub.explain = 0;
	s->prev = s->next = NONE;
	st->nsrv++;
	hot_fill(st, &s->pub);
	hash_put(st, s->pub.key, s->pub.index);
	store_lru_append(st, s);
	return 0;
}
