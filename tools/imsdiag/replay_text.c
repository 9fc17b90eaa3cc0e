/*
 * replay_text: what imsdiag replay prints without --json (each
 * transition as it happens, then a summary) and what imsdiag explain
 * prints for each line.
 */
#include <stdio.h>
#include <string.h>

#include "diag/verdict.h"
#include "parse/parse.h"
#include "replay.h"

static void	 text_drops(const struct cli *);
static void	 text_fault(const struct cli *, const struct fault *);
static void	 text_origin(const struct cli *, const struct fault *);

/* One transition of a replay, as a line of text. */
void
replay_text_change(const struct cli *c, enum store_ev ev,
    const struct fault *f, const struct server *s)
{
	const struct kb_article *a;
	char ts[32];
	const char *what;

	if (ev == STORE_EV_STATUS) {
		evt_time_fmt(ts, sizeof(ts), s->status_time);
		printf("status   %s %s at %s\n", s->name,
		    ims_status_name(s->status), ts);
		return;
	}
	evt_time_fmt(ts, sizeof(ts), ev == STORE_EV_CLEARED ? f->cleared_at :
	    f->last_seen);
	what = ev == STORE_EV_OPENED ? "opened " : ev == STORE_EV_REFINED ?
	    "refined" : "cleared";
	a = f->article[0] ? kb_find(c->kb, f->article) : NULL;
	printf("fault %u %s %s %s", f->index, what, f->host,
	    f->article[0] ? f->article : f->state == FAULT_UNKNOWN ?
	    "unknown-cause" : "ambiguous");
	if (ev == STORE_EV_CLEARED)
		printf(" reason %s", clear_reason_name(f->reason));
	else if (a != NULL)
		printf(" \"%s\"", a->title);
	if (a != NULL && a->origin != KB_ORIGIN_CURATED)
		printf(" [%s]", kb_origin_name(a->origin));
	printf(" at %s\n", ts);
}

/* explain: a status change or a clearing, said after the line that made it. */
void
replay_explain_note(struct cli *c, enum store_ev ev, const struct fault *f,
    const struct server *s)
{
	if (ev == STORE_EV_STATUS)
		sbuf_printf(&c->pend, "  => server %s status %s\n",
		    s->name, ims_status_name(s->status));
	else if (ev == STORE_EV_CLEARED)
		sbuf_printf(&c->pend, "  => fault %u cleared: %s\n",
		    f->index, clear_reason_name(f->reason));
}

/* explain: what one line was parsed as, matched, and what it decided. */
void
replay_explain(struct cli *c, uint64_t lineno, const struct diag_explain *ex)
{
	const struct kb_article *a;
	size_t i;

	if (ex->rc != PARSE_OK) {
		printf("line %llu: not parsed: %s\n",
		    (unsigned long long)lineno, parse_why_name(ex->why));
		return;
	}
	if (!ex->mattered)
		return;
	printf("line %llu: %s\n", (unsigned long long)lineno, ex->summary);
	for (i = 0; i < ex->nhits; i++)
		printf("  matched %s\n", ex->hits[i]);
	for (i = 0; i < ex->narts; i++) {
		/* Drafts say so; curated entries are the default. */
		a = kb_find(c->kb, ex->arts[i].article);
		printf("  %-8s score %6.2f %s", ex->arts[i].article,
		    ex->arts[i].score, ex->arts[i].why);
		if (a != NULL && a->origin != KB_ORIGIN_CURATED)
			printf(" [%s]", kb_origin_name(a->origin));
		printf("\n");
	}
	if (ex->outcome[0] != '\0')
		printf("  => %s\n", ex->outcome);
	fputs(c->pending, stdout);
	sbuf_init(&c->pend, c->pending, sizeof(c->pending));
}

/* What a limit dropped, said in the text summary as in --json. */
static void
text_drops(const struct cli *c)
{
	const struct diag_stats *ds = diag_stats(c->d);
	const struct store_stats *ss = store_stats(c->st);
	const struct {
		const char	*what;
		uint64_t	 n;
	} d[] = {
		{ "servers (over --max-servers)", ss->dropped[STORE_DROP_SERVERS] },
		{ "faults (over --max-faults)", ss->dropped[STORE_DROP_FAULTS] },
		{ "hosts (correlation state over --max-servers)",
		    ds->dropped[DIAG_DROP_HOSTS] },
		{ "episodes (oldest of a host evicted)",
		    ds->dropped[DIAG_DROP_EPISODES] },
		{ "evidence (over the per-episode cap)",
		    ds->dropped[DIAG_DROP_EVIDENCE] },
		{ "events with no host", ds->dropped[DIAG_DROP_NOHOST] },
	};
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (d[i].n > 0)
			printf("  dropped %llu %s\n", (unsigned long long)d[i].n,
			    d[i].what);
}

/*
 * What rests on a draft says so, with the cause and remedy it gives
 * ("not yet reviewed: see KB article Q..." until someone writes them).
 */
static void
text_origin(const struct cli *c, const struct fault *f)
{
	const struct kb_article *a = verdict_article(c->kb, f);
	char buf[KB_TEXT_MAX];

	if (f->state == FAULT_UNKNOWN) {
		verdict_remedy(c->kb, f, buf, sizeof(buf));
		printf("    cause not in the knowledge base: %s\n", buf);
	}
	if (a == NULL || a->origin == KB_ORIGIN_CURATED)
		return;
	printf("    origin %s\n    cause %s\n    resolution %s\n",
	    kb_origin_name(a->origin), a->cause, a->resolution);
}

/* One fault of the summary, with its article or its candidates. */
static void
text_fault(const struct cli *c, const struct fault *f)
{
	const struct kb_article *a;
	char t0[32], t1[32];
	size_t k;

	a = f->article[0] ? kb_find(c->kb, f->article) : NULL;
	evt_time_fmt(t0, sizeof(t0), f->first_seen);
	evt_time_fmt(t1, sizeof(t1), f->last_seen);
	printf("  fault %u %s %s", f->index, fault_state_name(f->state),
	    f->article[0] ? f->article : "-");
	if (f->state == FAULT_CLEARED)
		printf(" (was %s, %s)", fault_state_name(f->last_state),
		    clear_reason_name(f->reason));
	printf(" confidence %u count %llu first %s last %s events",
	    f->confidence, (unsigned long long)f->count, t0, t1);
	for (k = 0; k < f->nevidence; k++)
		printf("%s%u", k ? "," : " ", f->evidence[k]);
	printf("\n");
	if (a != NULL)
		printf("    %s\n", a->title);
	text_origin(c, f);
	for (k = 0; f->article[0] == '\0' && k < f->ncands; k++)
		printf("    %s %s score %.2f%s%s\n",
		    f->state == FAULT_UNKNOWN ||
		    f->last_state == FAULT_UNKNOWN ? "nearest" : "candidate",
		    f->cands[k].article, f->cands[k].score,
		    f->cands[k].decide[0] ? " decide: " : "",
		    f->cands[k].decide);
}

/* The summary after a replay: the counts, then every server's faults. */
void
replay_text_final(const struct cli *c)
{
	const struct parse_stats *ps = diag_parse_stats(c->d);
	const struct diag_stats *ds = diag_stats(c->d);
	const struct server *s;
	const struct fault *f;
	char t0[32];
	struct byserver bs;
	size_t i, j;
	uint64_t bad = 0;

	for (i = 1; i < PARSE_WHY__MAX; i++)
		if (i != PARSE_WHY_UNRECOGNISED)
			bad += ps->bad[i];
	printf("\nrecords %llu parsed %llu matched %llu unrecognised %llu "
	    "malformed %llu\n", (unsigned long long)ps->records,
	    (unsigned long long)ps->parsed, (unsigned long long)ds->matched,
	    (unsigned long long)ps->bad[PARSE_WHY_UNRECOGNISED],
	    (unsigned long long)bad);
	for (i = 1; i < PARSE_WHY__MAX; i++)
		if (i != PARSE_WHY_UNRECOGNISED && ps->bad[i])
			printf("  malformed %s %llu\n", parse_why_name(i),
			    (unsigned long long)ps->bad[i]);
	text_drops(c);
	replay_byserver_build(c, &bs);
	for (i = 0; i < store_nservers(c->st); i++) {
		s = store_server_at(c->st, i);
		evt_time_fmt(t0, sizeof(t0), s->status_time);
		printf("server %s status %s since %s open %u\n", s->name,
		    ims_status_name(s->status), t0, s->open_faults);
		for (j = 0; (f = replay_byserver_next(c, &bs, s->index,
		    &j)) != NULL;)
			text_fault(c, f);
	}
	replay_byserver_free(&bs);
}
