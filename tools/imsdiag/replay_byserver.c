/*
 * replay_byserver: the faults in memory grouped by server, for the final
 * reports of replay_text.c and replay_json.c, so that listing each
 * server's faults does not walk every fault for every server (quadratic
 * with 100,000 hosts).
 */
#include "replay.h"

#include <stdlib.h>

void
replay_byserver_build(const struct cli *c, struct byserver *bs)
{
	size_t i, n = store_nfaults(c->st);
	uint32_t sv;

	bs->nsrv = store_nservers(c->st);
	bs->start = calloc(bs->nsrv + 2, sizeof(*bs->start));
	bs->pos = malloc((n ? n : 1) * sizeof(*bs->pos));
	if (bs->start == NULL || bs->pos == NULL) {
		replay_byserver_free(bs);
		return;
	}
	/* Counting sort on the server index: stable, so in fault order. */
	for (i = 0; i < n; i++)
		if ((sv = store_fault_at(c->st, i)->server) <= bs->nsrv)
			bs->start[sv + 1]++;
	for (i = 1; i < bs->nsrv + 2; i++)
		bs->start[i] += bs->start[i - 1];
	for (i = 0; i < n; i++)
		if ((sv = store_fault_at(c->st, i)->server) <= bs->nsrv)
			bs->pos[bs->start[sv]++] = i;
	/* Each start moved to the next one's: shift back. */
	for (i = bs->nsrv + 1; i > 0; i--)
		bs->start[i] = bs->start[i - 1];
	bs->start[0] = 0;
}

void
replay_byserver_free(struct byserver *bs)
{
	free(bs->start);
	free(bs->pos);
	bs->start = NULL;
	bs->pos = NULL;
}

/*
 * The fault of server after the one *j stood for (*j = 0: the first),
 * NULL when there is no more.  Without the grouping (out of memory) it
 * walks every fault.
 */
const struct fault *
replay_byserver_next(const struct cli *c, const struct byserver *bs,
    uint32_t server, size_t *j)
{
	const struct fault *f;

	if (bs->pos != NULL) {
		if (server > bs->nsrv || *j >= bs->start[server + 1] -
		    bs->start[server])
			return NULL;
		return store_fault_at(c->st, bs->pos[bs->start[server] +
		    (*j)++]);
	}
	while (*j < store_nfaults(c->st)) {
		f = store_fault_at(c->st, (*j)++);
		if (f->server == server)
			return f;
	}
	return NULL;
}
