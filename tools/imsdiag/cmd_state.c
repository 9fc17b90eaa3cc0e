/*
 * cmd_state: imsdiag state show|history|log, imsmond's saved state read
 * offline, read only (the database may be in use by a running imsmond).
 */
#include <stdio.h>
#include <string.h>
#include "diag/store.h"
#include "state/state.h"

#include "imsdiag.h"

#ifndef IMSMON_STATEDIR
#define IMSMON_STATEDIR		"/usr/local/var/lib/imsmon"
#endif

/* imsdiag state show|history|log [--json] [--dir DIR] */
struct st_out {
	int		 json;
	size_t		 n;
};

/* An unknown time (never set, or before 1970) prints as null / "-". */
static void
st_time(const struct st_out *o, const char *key, int64_t t)
{
	char ts[32];

	if (t <= 0 || t == EVT_TIME_NONE)
		snprintf(ts, sizeof(ts), "-");
	else
		evt_time_fmt(ts, sizeof(ts), t);
	if (!o->json) {
		printf(" %s %s", key, ts);
		return;
	}
	printf(",\"%s\":", key);
	if (t <= 0 || t == EVT_TIME_NONE)
		printf("null");
	else
		json_str(stdout, ts);
}

static int
st_server(void *arg, const void *row)
{
	struct st_out *o = arg;
	const struct server *s = row;

	if (!o->json) {
		printf("server %s status %s", s->name,
		    ims_status_name(s->status));
		st_time(o, "since", s->status_time);
		printf(" why \"%s\" was %s events %llu", s->status_why,
		    ims_status_name(s->prev_status),
		    (unsigned long long)s->events);
		st_time(o, "heard", s->heard);
		printf("%s%s\n", s->addr[0] ? " from " : "", s->addr);
		return 0;
	}
	printf("%s{\"name\":", o->n++ ? "," : "");
	json_str(stdout, s->name);
	printf(",\"status\":\"%s\",\"previous\":\"%s\"",
	    ims_status_name(s->status), ims_status_name(s->prev_status));
	st_time(o, "since", s->status_time);
	printf(",\"why\":");
	json_str(stdout, s->status_why);
	printf(",\"events\":%llu", (unsigned long long)s->events);
	st_time(o, "heard", s->heard);
	printf(",\"address\":");
	json_str(stdout, s->addr);
	printf("}");
	return 0;
}

static int
st_fault(void *arg, const void *row)
{
	struct st_out *o = arg;
	const struct fault *f = row;
	size_t k;

	if (!o->json) {
		printf("fault %u %s %s %s", f->index, f->host,
		    f->article[0] ? f->article : "ambiguous",
		    fault_state_name(f->state));
		if (f->state == FAULT_CLEARED) {
			printf(" reason %s", clear_reason_name(f->reason));
			st_time(o, "cleared", f->cleared_at);
		}
		printf(" confidence %u count %llu%s", f->confidence,
		    (unsigned long long)f->count, f->acked ? " acked" : "");
		st_time(o, "first", f->first_seen);
		st_time(o, "last", f->last_seen);
		printf("\n");
		return 0;
	}
	printf("%s{\"index\":%u,\"server\":", o->n++ ? "," : "", f->index);
	json_str(stdout, f->host);
	printf(",\"article\":");
	if (f->article[0])
		json_str(stdout, f->article);
	else
		printf("null");
	printf(",\"state\":\"%s\",\"confidence\":%u,\"count\":%llu,"
	    "\"acked\":%s", fault_state_name(f->state), f->confidence,
	    (unsigned long long)f->count, f->acked ? "true" : "false");
	st_time(o, "first_seen", f->first_seen);
	st_time(o, "last_seen", f->last_seen);
	printf(",\"evidence\":[");
	for (k = 0; k < f->nevidence; k++)
		printf("%s%u", k ? "," : "", (unsigned)f->evidence[k]);
	printf("],\"clear_reason\":");
	if (f->state == FAULT_CLEARED)
		printf("\"%s\"", clear_reason_name(f->reason));
	else
		printf("null");
	st_time(o, "cleared_at", f->state == FAULT_CLEARED ?
	    f->cleared_at : 0);
	printf("}");
	return 0;
}

static int
st_ntf(void *arg, const void *row)
{
	struct st_out *o = arg;
	const struct state_ntf *n = row;

	if (!o->json) {
		printf("%llu %s server %s", (unsigned long long)n->seq,
		    store_ev_name(n->kind), n->host);
		if (n->fault != 0)
			printf(" fault %u %s", n->fault,
			    n->article[0] ? n->article : "ambiguous");
		if (n->kind == STORE_EV_STATUS)
			printf(" status %s (was %s)",
			    ims_status_name((enum ims_status)n->status),
			    ims_status_name((enum ims_status)n->prev_status));
		st_time(o, "at", n->wall);
		printf("\n");
		return 0;
	}
	printf("%s{\"seq\":%llu,\"kind\":\"%s\",\"server\":",
	    o->n++ ? "," : "", (unsigned long long)n->seq,
	    store_ev_name(n->kind));
	json_str(stdout, n->host);
	printf(",\"fault\":%u,\"article\":", n->fault);
	json_str(stdout, n->article);
	if (n->kind == STORE_EV_STATUS)
		printf(",\"status\":\"%s\",\"previous\":\"%s\"",
		    ims_status_name((enum ims_status)n->status),
		    ims_status_name((enum ims_status)n->prev_status));
	st_time(o, "event_time", n->evtime);
	st_time(o, "time", n->wall);
	printf("}");
	return 0;
}

int
cmd_state(int argc, char **argv)
{
	const char *dir = IMSMON_STATEDIR, *what;
	struct st_out o;
	char err[512];
	int i, rc = 0;

	memset(&o, 0, sizeof(o));
	if (argc < 2) {
		fprintf(stderr, "usage: imsdiag state show|history|log "
		    "[--json] [--dir DIR]\n");
		return EX_USAGE;
	}
	what = argv[1];
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			o.json = 1;
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else {
			fprintf(stderr, "usage: imsdiag state show|history|log "
		    "[--json] [--dir DIR]\n");
			return EX_USAGE;
		}
	}
	if (strcmp(what, "show") == 0) {
		if (o.json)
			printf("{\"servers\":[");
		rc = state_read(dir, STATE_SERVERS, st_server, &o, err,
		    sizeof(err));
		if (o.json)
			printf("],\"faults\":[");
		o.n = 0;
		if (rc == 0)
			rc = state_read(dir, STATE_OPEN, st_fault, &o, err,
			    sizeof(err));
		if (o.json)
			printf("]}\n");
	} else if (strcmp(what, "history") == 0 || strcmp(what, "log") == 0) {
		if (o.json)
			printf("{\"%s\":[", what);
		rc = state_read(dir, what[0] == 'h' ? STATE_HISTORY :
		    STATE_LOG, what[0] == 'h' ? st_fault : st_ntf, &o, err,
		    sizeof(err));
		if (o.json)
			printf("]}\n");
	} else {
		fprintf(stderr, "usage: imsdiag state show|history|log "
		    "[--json] [--dir DIR]\n");
		return EX_USAGE;
	}
	if (rc != 0) {
		fprintf(stderr, "imsdiag: state: %s\n", err);
		return EX_INPUT;
	}
	return EX_OK;
}
