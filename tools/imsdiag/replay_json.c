/*
 * replay_json: imsdiag replay --json, one JSON document
 * (docs/imsdiag-json.md): the transitions as they happen, then the
 * counts and every server with its faults.
 */
#include <stdio.h>

#include "diag/verdict.h"
#include "imsdiag.h"
#include "parse/parse.h"
#include "replay.h"

static void	 json_time(FILE *, int64_t);
static void	 json_fault(const struct cli *, const struct fault *);
static void	 json_cands(const struct cli *, const struct fault *);

static void
json_time(FILE *fp, int64_t t)
{
	char ts[32];

	if (t == EVT_TIME_NONE) {
		fputs("null", fp);
		return;
	}
	evt_time_fmt(ts, sizeof(ts), t);
	json_str(fp, ts);
}

/* One transition of a replay, as an element of "transitions". */
void
replay_json_change(struct cli *c, enum store_ev ev, const struct fault *f,
    const struct server *s)
{
	const char *what;

	printf("%s{\"event\":", c->ntrans++ ? "," : "");
	if (ev == STORE_EV_STATUS) {
		printf("\"status\",\"server\":");
		json_str(stdout, s->name);
		printf(",\"status\":\"%s\",\"time\":",
		    ims_status_name(s->status));
		json_time(stdout, s->status_time);
		printf("}");
		return;
	}
	what = ev == STORE_EV_OPENED ? "opened" :
	    ev == STORE_EV_REFINED ? "refined" : "cleared";
	printf("\"%s\",\"fault\":%u,\"server\":", what, f->index);
	json_str(stdout, f->host);
	printf(",\"article\":");
	if (f->article[0])
		json_str(stdout, f->article);
	else
		printf("null");
	printf(",\"state\":\"%s\"", fault_state_name(f->state));
	if (ev == STORE_EV_CLEARED)
		printf(",\"reason\":\"%s\"", clear_reason_name(f->reason));
	printf(",\"time\":");
	json_time(stdout, ev == STORE_EV_CLEARED ? f->cleared_at :
	    f->last_seen);
	printf("}");
}

/* The ranked candidates of a fault, with the evidence that would decide. */
static void
json_cands(const struct cli *c, const struct fault *f)
{
	const struct kb_article *cand;
	size_t k;

	for (k = 0; k < f->ncands; k++) {
		cand = kb_find(c->kb, f->cands[k].article);
		printf("%s{\"article\":", k ? "," : "");
		json_str(stdout, f->cands[k].article);
		if (cand != NULL && cand->origin != KB_ORIGIN_CURATED)
			printf(",\"origin\":\"%s\"",
			    kb_origin_name(cand->origin));
		printf(",\"rank\":%zu,\"score\":%.4f,\"decide\":", k + 1,
		    f->cands[k].score);
		json_str(stdout, f->cands[k].decide);
		printf("}");
	}
}

static void
json_fault(const struct cli *c, const struct fault *f)
{
	const struct kb_article *a;
	size_t k;

	a = f->article[0] ? kb_find(c->kb, f->article) : NULL;
	printf("{\"index\":%u,\"article\":", f->index);
	if (a != NULL)
		json_str(stdout, a->id);
	else
		printf("null");
	printf(",\"title\":");
	if (a != NULL)
		json_str(stdout, a->title);
	else
		printf("null");
	printf(",\"state\":\"%s\",\"confidence\":%u,\"count\":%llu,"
	    "\"first_seen\":", fault_state_name(f->state), f->confidence,
	    (unsigned long long)f->count);
	json_time(stdout, f->first_seen);
	printf(",\"last_seen\":");
	json_time(stdout, f->last_seen);
	printf(",\"evidence\":[");
	for (k = 0; k < f->nevidence; k++)
		printf("%s%u", k ? "," : "", f->evidence[k]);
	printf("]");
	/* Present only for what rests on a draft or a reference entry. */
	if (verdict_origin(c->kb, f) != KB_ORIGIN_CURATED)
		printf(",\"origin\":\"%s\"",
		    kb_origin_name(verdict_origin(c->kb, f)));
	if (a != NULL && a->origin != KB_ORIGIN_CURATED) {
		printf(",\"cause\":");
		json_str(stdout, a->cause);
		printf(",\"resolution\":");
		json_str(stdout, a->resolution);
	}
	printf(",\"candidates\":[");
	json_cands(c, f);
	printf("],\"acked\":%s,\"clear_reason\":", f->acked ? "true" : "false");
	if (f->state == FAULT_CLEARED)
		printf("\"%s\",\"cleared_at\":", clear_reason_name(f->reason));
	else
		printf("null,\"cleared_at\":");
	if (f->state == FAULT_CLEARED)
		json_time(stdout, f->cleared_at);
	else
		printf("null");
	printf("}");
}

/* The rest of the document: the counts, then every server's faults. */
void
replay_json_final(const struct cli *c)
{
	const struct parse_stats *ps = diag_parse_stats(c->d);
	const struct diag_stats *ds = diag_stats(c->d);
	const struct server *s;
	const struct fault *f;
	struct byserver bs;
	size_t i, j, nf;

	printf("],\"stats\":{\"lines\":%llu,\"records\":%llu,\"parsed\":%llu,"
	    "\"matched\":%llu,\"malformed\":{", (unsigned long long)c->lines,
	    (unsigned long long)ps->records, (unsigned long long)ps->parsed,
	    (unsigned long long)ds->matched);
	for (nf = 0, i = 1; i < PARSE_WHY__MAX; i++)
		printf("%s\"%s\":%llu", nf++ ? "," : "", parse_why_name(i),
		    (unsigned long long)ps->bad[i]);
	printf("},\"dropped\":{\"hosts\":%llu,\"episodes\":%llu,"
	    "\"evidence\":%llu,\"nohost\":%llu,\"servers\":%llu,"
	    "\"faults\":%llu}},\"servers\":[",
	    (unsigned long long)ds->dropped[DIAG_DROP_HOSTS],
	    (unsigned long long)ds->dropped[DIAG_DROP_EPISODES],
	    (unsigned long long)ds->dropped[DIAG_DROP_EVIDENCE],
	    (unsigned long long)ds->dropped[DIAG_DROP_NOHOST],
	    (unsigned long long)store_stats(c->st)->dropped[STORE_DROP_SERVERS],
	    (unsigned long long)store_stats(c->st)->dropped[STORE_DROP_FAULTS]);
	replay_byserver_build(c, &bs);
	for (i = 0; i < store_nservers(c->st); i++) {
		s = store_server_at(c->st, i);
		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, s->name);
		printf(",\"status\":\"%s\",\"status_time\":",
		    ims_status_name(s->status));
		json_time(stdout, s->status_time);
		printf(",\"last_event_time\":");
		json_time(stdout, s->last_event_time);
		printf(",\"last_event_id\":%d,\"open_faults\":%u,\"faults\":[",
		    s->last_event_id, s->open_faults);
		for (nf = 0, j = 0;
		    (f = replay_byserver_next(c, &bs, s->index, &j)) != NULL;) {
			if (nf++)
				printf(",");
			json_fault(c, f);
		}
		printf("]}");
	}
	printf("]}\n");
	replay_byserver_free(&bs);
}
