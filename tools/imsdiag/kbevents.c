#include "kbevents.h"

#include <stdio.h>
#include <string.h>

#include "util/sbuf.h"

#define IMS_SERVICE	"The Microsoft Exchange Internet Mail Service service"

struct kbe_event {
	const char	*source;
	unsigned	 id;
	const char	*type;		/* KB type word */
	const char	*log;		/* KB log name */
	char		 text[512];
};

static int	 ev_build(const struct kbimport_ev *, struct kbe_event *);
static int	 ev_print(const struct kbe_event *, enum kbevents_fmt,
		    const char *, unsigned, FILE *);
static const char *snare_type(const char *);
static int	 evtsys_pri(const char *);

int
kbevents_fmt_parse(const char *s, enum kbevents_fmt *fmt)
{
	if (strcmp(s, "snare") == 0)
		*fmt = KBEVENTS_SNARE;
	else if (strcmp(s, "evtsys") == 0)
		*fmt = KBEVENTS_EVTSYS;
	else
		return -1;
	return 0;
}

int
kbevents_write(const struct kbimport_article *a, enum kbevents_fmt fmt,
    const char *host, FILE *fp)
{
	struct kbe_event e;
	unsigned sec = 0;
	size_t i;

	for (i = 0; i < a->nev; i++) {
		if (ev_build(&a->ev[i], &e) != 0)
			continue;
		if (ev_print(&e, fmt, host, sec++, fp) == -1)
			return -1;
	}
	return fflush(fp) == 0 ? 0 : -1;
}

/*
 * The event of one item: a shared start-failure symptom is the Service
 * Control Manager's report of it; anything else has the item's source,
 * ID, type and log, and a description of its text patterns and ident.
 * 1 when there is no event to write (an unknown symptom).
 */
static int
ev_build(const struct kbimport_ev *v, struct kbe_event *e)
{
	struct sbuf sb;
	size_t g;

	memset(e, 0, sizeof(*e));
	e->source = "Service Control Manager";
	e->type = "error";
	e->log = "system";
	if (v->use[0] != '\0') {
		e->id = 7000;
		if (strcmp(v->use, "ims-start-2140") == 0) {
			e->id = 7024;
			snprintf(e->text, sizeof(e->text), "%s terminated with "
			    "service-specific error 2140.", IMS_SERVICE);
		} else if (strcmp(v->use, "ims-start-1067") == 0)
			snprintf(e->text, sizeof(e->text), "%s failed to "
			    "start due to the following error: The process "
			    "terminated unexpectedly.", IMS_SERVICE);
		else if (strcmp(v->use, "ims-start-timeout") == 0)
			snprintf(e->text, sizeof(e->text), "%s failed to "
			    "start due to the following error: The service did "
			    "not respond to the start or control request in a "
			    "timely fashion.", IMS_SERVICE);
		else
			return 1;
		return 0;
	}
	if (v->nids == 0)
		return 1;
	e->id = v->ids[0];
	e->source = v->source[0] != '\0' ? v->source : "Unknown";
	e->type = v->type[0] != '\0' ? v->type : "error";
	e->log = v->log[0] != '\0' ? v->log : "application";
	sbuf_init(&sb, e->text, sizeof(e->text));
	if (strcmp(e->source, "Service Control Manager") == 0)
		sbuf_printf(&sb, "%s failed to start due to the following "
		    "error:", IMS_SERVICE);
	for (g = 0; g < v->ngroups; g++)
		sbuf_printf(&sb, "%s%s", sb.sb_len ? " " : "", v->text[g][0]);
	if (v->ident[0] != '\0')
		sbuf_printf(&sb, "%sbecause %s.", sb.sb_len ? " " : "",
		    v->ident);
	if (sb.sb_len == 0)
		sbuf_printf(&sb, "Event %u.", e->id);
	return 0;
}

static int
ev_print(const struct kbe_event *e, enum kbevents_fmt fmt, const char *host,
    unsigned sec, FILE *fp)
{
	char src[64], log[16];
	unsigned hh = 10 + sec / 3600, mm = sec / 60 % 60, ss = sec % 60;
	size_t i;

	if (fmt == KBEVENTS_EVTSYS) {
		/* evtsys writes blanks in the source as '_'. */
		snprintf(src, sizeof(src), "%s", e->source);
		for (i = 0; src[i] != '\0'; i++)
			if (src[i] == ' ')
				src[i] = '_';
		return fprintf(fp, "<%d>Mar 14 %02u:%02u:%02u %s %s: %u: %s \n",
		    evtsys_pri(e->type), hh, mm, ss, host, src, e->id,
		    e->text) < 0 ? -1 : 0;
	}
	snprintf(log, sizeof(log), "%s", e->log);
	if (log[0] >= 'a' && log[0] <= 'z')
		log[0] = (char)(log[0] - 'a' + 'A');
	return fprintf(fp, "MSWinEventLog\t1\t%s\t%u\tTue Mar 14 "
	    "%02u:%02u:%02u 2000\t%u\t%s\tN/A\tN/A\t%s\t%s\tNone\t\t%s\t%u\n",
	    log, sec + 1, hh, mm, ss, e->id, e->source, snare_type(e->type),
	    host, e->text, sec + 1) < 0 ? -1 : 0;
}

static const char *
snare_type(const char *t)
{
	if (strcmp(t, "warning") == 0)
		return "Warning";
	if (strcmp(t, "information") == 0)
		return "Information";
	if (strcmp(t, "audit-failure") == 0)
		return "Failure Audit";
	if (strcmp(t, "audit-success") == 0)
		return "Success Audit";
	return "Error";
}

/* daemon facility (3); severity err, warning or info. */
static int
evtsys_pri(const char *t)
{
	if (strcmp(t, "warning") == 0)
		return 3 * 8 + 4;
	if (strcmp(t, "error") == 0)
		return 3 * 8 + 3;
	return 3 * 8 + 6;
}
