/*
 * sender: per-address accounting in a fixed table (sender.h): a hash of
 * chains over the rows, and the rows themselves in index order (row i
 * has index i + 1), so the MIB walks them without sorting.
 */
#include "ingest/sender.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct sender_table {
	struct sender	*rows;
	size_t		 nrows;
	uint32_t	*heads;		/* row + 1; 0 empty */
	size_t		 nheads;	/* a power of two */
	size_t		 used;
	uint64_t	 born;		/* the last s_born given */
	struct sender_stats st;
};

static uint32_t	addr_hash(const struct addr *);
static void	chain_unlink(struct sender_table *, struct sender *);

static uint32_t
addr_hash(const struct addr *ad)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(ad->a); i++) {
		h ^= ad->a[i];
		h *= 16777619u;
	}
	return h ^ (uint32_t)ad->family;
}

struct sender_table *
sender_table_new(size_t nrows)
{
	struct sender_table *t;
	size_t i;

	if (nrows == 0 || nrows > 1000000) {
		errno = EINVAL;
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	for (t->nheads = 16; t->nheads < 2 * nrows; t->nheads *= 2)
		;
	t->nrows = nrows;
	if ((t->rows = calloc(nrows, sizeof(*t->rows))) == NULL ||
	    (t->heads = calloc(t->nheads, sizeof(*t->heads))) == NULL) {
		sender_table_free(t);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < nrows; i++)
		t->rows[i].s_index = (uint32_t)i + 1;
	return t;
}

void
sender_table_free(struct sender_table *t)
{
	if (t == NULL)
		return;
	free(t->rows);
	free(t->heads);
	free(t);
}

struct sender *
sender_find(struct sender_table *t, const struct addr *ad)
{
	uint32_t r;

	for (r = t->heads[addr_hash(ad) & (t->nheads - 1)]; r != 0;
	    r = t->rows[r - 1].s_next)
		if (addr_eq(&t->rows[r - 1].s_addr, ad))
			return &t->rows[r - 1];
	return NULL;
}

static void
chain_unlink(struct sender_table *t, struct sender *s)
{
	uint32_t *p = &t->heads[addr_hash(&s->s_addr) & (t->nheads - 1)];

	while (*p != 0 && *p != s->s_index)
		p = &t->rows[*p - 1].s_next;
	if (*p != 0)
		*p = s->s_next;
	s->s_next = 0;
}

struct sender *
sender_get(struct sender_table *t, const struct addr *ad, int64_t now)
{
	struct sender *s, *victim = NULL;
	uint32_t idx, *head;
	size_t i;

	if ((s = sender_find(t, ad)) != NULL)
		return s;
	if (t->used < t->nrows) {
		for (i = 0; i < t->nrows && t->rows[i].s_used; i++)
			;
		victim = &t->rows[i];
		t->used++;
	} else {
		/* A linear pass, only when a new sender meets a full table. */
		for (i = 0; i < t->nrows; i++) {
			s = &t->rows[i];
			if (s->s_open == 0 && (victim == NULL ||
			    s->s_last < victim->s_last))
				victim = s;
		}
		if (victim == NULL) {
			t->st.ss_untracked++;
			return NULL;
		}
		chain_unlink(t, victim);
		t->st.ss_evicted++;
	}
	idx = victim->s_index;
	memset(victim, 0, sizeof(*victim));
	victim->s_index = idx;
	victim->s_used = 1;
	victim->s_addr = *ad;
	addr_text(ad, victim->s_name, sizeof(victim->s_name));
	victim->s_first = victim->s_last = now;
	victim->s_born = ++t->born;
	head = &t->heads[addr_hash(ad) & (t->nheads - 1)];
	victim->s_next = *head;
	*head = idx;
	return victim;
}

size_t
sender_rows(const struct sender_table *t)
{
	return t->nrows;
}

const struct sender *
sender_at(const struct sender_table *t, size_t i)
{
	return i < t->nrows ? &t->rows[i] : NULL;
}

const struct sender *
sender_by_index(const struct sender_table *t, uint32_t idx)
{
	if (idx == 0 || idx > t->nrows || !t->rows[idx - 1].s_used)
		return NULL;
	return &t->rows[idx - 1];
}

void
sender_stats(const struct sender_table *t, struct sender_stats *st)
{
	*st = t->st;
}

const struct sender_memo *
sender_memo_get(const struct sender_memo *m, size_t n, uint32_t idx,
    uint64_t born, uint64_t gen)
{
	if (idx == 0 || idx > n || born == 0 || m[idx - 1].sm_born != born ||
	    m[idx - 1].sm_gen != gen)
		return NULL;
	return &m[idx - 1];
}

void
sender_memo_set(struct sender_memo *m, size_t n, uint32_t idx, uint64_t born,
    uint64_t gen, const struct tz *tz, const char *name)
{
	if (idx == 0 || idx > n || born == 0)
		return;
	m[idx - 1].sm_born = born;
	m[idx - 1].sm_gen = gen;
	m[idx - 1].sm_tz = tz;
	m[idx - 1].sm_name = name;
}
