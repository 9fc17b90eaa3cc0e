/*
 * store_fault: the faults of the store: opened, seen again, ranked,
 * refined, undiagnosed, cleared (recovered, operator, timeout,
 * superseded), acknowledged; the cleared ones kept up to a cap; the
 * state layer's restore.
 */
#include "diag/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	 srv_link_fault(struct srv *, struct fault *);
static void	 srv_unlink(struct srv *, struct fault *);
static void	 srv_explain(struct srv *, struct fault *);
static ssize_t	 fault_pos(const struct store *, uint32_t);
static struct fault *fault_mut(const struct store *, const struct fault *);
static void	 evict_cleared(struct store *);

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
	struct srv *sv = store_srv_of(st, s->index);
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
	store_lru_unlink(st, sv);
	st->stats.faults_opened++;
	return f;
}

const struct fault *
store_fault_find(const struct store *st, uint32_t server, const char *article)
{
	struct srv *sv = store_srv_of(st, server);
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
	sv = store_srv_of(st, f->server);
	f->touched = now;
	if (ev == STORE_EV_REFINED)
		st->stats.faults_refined++;
	if (sv != NULL) {
		if (ev == STORE_EV_OPENED || ev == STORE_EV_REFINED)
			sv->pub.explain = f->index;
		else
			srv_explain(sv, f);
	}
	store_emit(st, ev, f->last_seen, now, f, sv);
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
		if ((sv = store_srv_of(st, st->faults[i]->server)) != NULL &&
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
	sv = store_srv_of(st, f->server);
	f->last_state = f->state;
	f->state = FAULT_CLEARED;
	f->reason = why;
	f->cleared_at = when;
	f->touched = now;
	if (sv != NULL) {
		srv_unlink(sv, f);
		srv_explain(sv, NULL);
		if (sv->nopen == 0)
			store_lru_append(st, sv);
	}
	st->nopen--;
	st->ncleared++;
	st->stats.faults_cleared++;
	store_emit(st, STORE_EV_CLEARED, when, now, f, sv);
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
	store_emit(st, STORE_EV_ACKED, now, now, f, store_srv_of(st, f->server));
	return 0;
}

size_t
store_clear_server(struct store *st, const struct server *s,
    enum clear_reason why, int64_t evtime, int64_t now)
{
	struct srv *sv = store_srv_of(st, s->index);
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
store_restore_fault(struct store *st, const struct fault *in)
{
	struct srv *sv = store_srv_of(st, in->server);
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
		store_lru_unlink(st, sv);
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
