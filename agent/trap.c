/*
 * trap: store transitions -> SNMPv2 notifications through send_v2trap().
 *
 * opened (diagnosed or ambiguous), refined and cleared each send one
 * notification naming the fault's server, article, title, severity and
 * short remedy, with the fault index as the instance of every varbind.
 * A repeat (STORE_EV_UPDATED) sends nothing: the fault's count and
 * last-seen time say it.  On top of that:
 *   - hold-down: the same notification for the same server and article
 *     within trapHoldDown seconds is not sent again (a flapping service);
 *   - rate limit: at most trapRateLimit per second, so a backlog flushed
 *     by a relay at startup does not become a trap storm;
 *   - a subagent cut off from its master drops notifications silently in
 *     Net-SNMP (send_v2trap() returns nothing); we count them as suppressed instead.
 * The store tells us about a fault as soon as it exists, before the engine
 * has filled in its confidence, evidence and candidates; and a status
 * change comes before the fault that explains it.  So openings,
 * refinements and status changes are queued and sent by trap_flush() once
 * the records at hand are processed: the notifications then carry final
 * values.  A fault opened and refined in one batch sends one
 * notification (diagnosed); one opened and cleared in one batch sends
 * none.  Clearings go out at once, while the fault is sure to exist.
 */
#include "agent.h"
#include "diag/verdict.h"

#include <stdio.h>
#include <string.h>

enum trap_kind {
	TRAP_DIAGNOSED = 1,
	TRAP_AMBIGUOUS = 2,
	TRAP_REFINED = 3,
	TRAP_CLEARED = 4,
	TRAP_STATUS = 5,
	TRAP_SILENT = 6		/* imsServerSilent */
};

static const oid snmptrap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid ntf_base[] = { IMSD_OID_ROOT, 0 };
static const oid fault_entry[] = { IMSD_OID_ROOT, 1, 4, 1 };
static const oid srv_entry[] = { IMSD_OID_ROOT, 1, 3, 1 };

#define STATUS_QUEUE_MAX	256
#define FAULT_QUEUE_MAX		1024

static uint32_t	 status_queue[STATUS_QUEUE_MAX];
static size_t	 nstatus_queue;

struct queued {
	uint32_t	 index;		/* fault */
	enum trap_kind	 kind;
};
static struct queued fault_queue[FAULT_QUEUE_MAX];
static size_t	 nfault_queue;
/*
 * For index_cb(): snmp_shutdown() frees every callback's client argument
 * (clear_callback), so it gets NULL and finds the state here.
 */
static struct imsd *trap_im;

static int	 trap_admit(struct imsd *, enum trap_kind, uint32_t,
		    const char *);
static void	 trap_fault(struct imsd *, enum trap_kind,
		    const struct fault *);
static void	 trap_status(struct imsd *, const struct server *);
static int	 add_col(struct imsd *, netsnmp_variable_list **, const oid *,
		    size_t, unsigned, const oid *, size_t, const void *, int);
static int	 index_cb(int, int, void *, void *);
static void	 queue_fault(struct imsd *, enum trap_kind, const struct fault *);
static int	 unqueue_fault(uint32_t);

void
trap_init(struct imsd *im)
{
	im->connected = im->master;
	trap_im = im;
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
	    SNMPD_CALLBACK_INDEX_START, index_cb, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
	    SNMPD_CALLBACK_INDEX_STOP, index_cb, NULL);
}

/* The AgentX session came up or went down (SNMP_CALLBACK_INDEX_START / _STOP). */
static int
index_cb(int major, int minor, void *server_arg, void *client_arg)
{
	struct imsd *im = trap_im;

	(void)major;
	(void)server_arg;
	(void)client_arg;
	if (im == NULL || im->master)
		return 0;
	im->connected = minor == SNMPD_CALLBACK_INDEX_START;
	imsd_log(im->connected ? LOG_INFO : LOG_WARNING,
	    "AgentX master %s", im->connected ? "connected" :
	    "lost: notifications are counted as suppressed until it is back");
	return 0;
}

void
trap_observer(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *s)
{
	struct imsd *im = arg;
	size_t i;

	switch (t->kind) {
	case STORE_EV_OPENED:
		queue_fault(im, verdict_diagnosed(f) ? TRAP_DIAGNOSED :
		    TRAP_AMBIGUOUS, f);
		break;
	case STORE_EV_REFINED:
		queue_fault(im, TRAP_REFINED, f);
		break;
	case STORE_EV_CLEARED:
		if (unqueue_fault(f->index))
			im->traps_suppressed++;
		else
			trap_fault(im, TRAP_CLEARED, f);
		break;
	case STORE_EV_UPDATED:
		/* The hold-down: a repeat updates the row, nothing is sent. */
		im->traps_suppressed++;
		break;
	case STORE_EV_STATUS:
		if (s == NULL)
			break;
		for (i = 0; i < nstatus_queue; i++)
			if (status_queue[i] == s->index)
				return;
		if (nstatus_queue < STATUS_QUEUE_MAX)
			status_queue[nstatus_queue++] = s->index;
		else
			im->traps_suppressed++;
		break;
	default:
		/* Acks and server bookkeeping notify nobody. */
		break;
	}
}

static void
queue_fault(struct imsd *im, enum trap_kind kind, const struct fault *f)
{
	size_t i;

	for (i = 0; i < nfault_queue; i++) {
		if (fault_queue[i].index != f->index)
			continue;
		/* Opened and refined before anyone heard: diagnosed. */
		if (kind == TRAP_REFINED &&
		    fault_queue[i].kind == TRAP_AMBIGUOUS)
			fault_queue[i].kind = TRAP_DIAGNOSED;
		return;
	}
	if (nfault_queue >= FAULT_QUEUE_MAX) {
		im->traps_suppressed++;
		return;
	}
	fault_queue[nfault_queue].index = f->index;
	fault_queue[nfault_queue].kind = kind;
	nfault_queue++;
}

/* Drop a queued notification for a fault; 1 if there was one. */
static int
unqueue_fault(uint32_t index)
{
	size_t i;

	for (i = 0; i < nfault_queue; i++)
		if (fault_queue[i].index == index) {
			memmove(&fault_queue[i], &fault_queue[i + 1],
			    (nfault_queue - i - 1) * sizeof(fault_queue[0]));
			nfault_queue--;
			return 1;
		}
	return 0;
}

/* Send what was queued while the records at hand were processed. */
void
trap_flush(struct imsd *im)
{
	const struct server *s;
	const struct fault *f;
	size_t i;

	for (i = 0; i < nfault_queue; i++)
		if ((f = store_fault_by_index(im->st,
		    fault_queue[i].index)) != NULL)
			trap_fault(im, fault_queue[i].kind, f);
	nfault_queue = 0;
	for (i = 0; i < nstatus_queue; i++)
		if ((s = store_server_by_index(im->st, status_queue[i])) !=
		    NULL)
			trap_status(im, s);
	nstatus_queue = 0;
}

/* Hold-down, rate limit, connection: may this notification go out? */
static int
trap_admit(struct imsd *im, enum trap_kind kind, uint32_t server,
    const char *article)
{
	int64_t now = imsd_now();
	struct imsd_hold *h;
	size_t i;

	if (im->conf.holddown > 0) {
		for (i = 0; i < im->nhold; i++) {
			h = &im->hold[i];
			if (h->kind == (int)kind && h->server == server &&
			    strcmp(h->article, article) == 0 &&
			    now - h->when < im->conf.holddown) {
				im->traps_suppressed++;
				return 0;
			}
		}
	}
	if (im->conf.trap_rate > 0) {
		if (now != im->rate_sec) {
			if (im->rate_dropped > 0)
				imsd_log(LOG_WARNING, "%llu notifications over "
				    "trapRateLimit %u/s were not sent",
				    (unsigned long long)im->rate_dropped,
				    im->conf.trap_rate);
			im->rate_sec = now;
			im->rate_used = 0;
			im->rate_dropped = 0;
		}
		if (im->rate_used >= im->conf.trap_rate) {
			im->rate_dropped++;
			im->traps_suppressed++;
			return 0;
		}
		im->rate_used++;
	}
	if (!im->connected) {
		im->traps_suppressed++;
		return 0;
	}
	if (im->conf.holddown > 0) {
		h = &im->hold[im->hold_next];
		im->hold_next = (im->hold_next + 1) % IMSD_HOLD_MAX;
		if (im->nhold < IMSD_HOLD_MAX)
			im->nhold++;
		h->kind = (int)kind;
		h->server = server;
		memcpy(h->article, article, sizeof(h->article));
		h->article[sizeof(h->article) - 1] = '\0';
		h->when = now;
	}
	return 1;
}

/* Append entry.col.inst with the value the table would serve. */
static int
add_col(struct imsd *im, netsnmp_variable_list **vl, const oid *entry,
    size_t elen, unsigned col, const oid *inst, size_t ilen, const void *row,
    int is_fault)
{
	oid name[MAX_OID_LEN];
	netsnmp_variable_list *vb;

	if (elen + 1 + ilen > MAX_OID_LEN)
		return -1;
	memcpy(name, entry, elen * sizeof(oid));
	name[elen] = col;
	memcpy(name + elen + 1, inst, ilen * sizeof(oid));
	vb = snmp_varlist_add_variable(vl, name, elen + 1 + ilen, ASN_NULL,
	    NULL, 0);
	if (vb == NULL)
		return -1;
	return is_fault ? mib_fault_value(im, row, col, vb) :
	    mib_server_value(im, row, col, vb);
}

static int
send_start(netsnmp_variable_list **vl, enum trap_kind kind)
{
	oid ntf[MAX_OID_LEN];
	size_t n = OID_LENGTH(ntf_base);

	memcpy(ntf, ntf_base, sizeof(ntf_base));
	ntf[n++] = kind;
	return snmp_varlist_add_variable(vl, snmptrap_oid,
	    OID_LENGTH(snmptrap_oid), ASN_OBJECT_ID, (u_char *)ntf,
	    n * sizeof(oid)) == NULL ? -1 : 0;
}

static void
trap_fault(struct imsd *im, enum trap_kind kind, const struct fault *f)
{
	static const unsigned common[] = { COL_F_SERVER, COL_F_ARTICLE,
	    COL_F_TITLE, COL_F_SEVERITY, COL_F_REMEDY };
	netsnmp_variable_list *vl = NULL;
	char host[NORM_HOST_MAX];
	oid inst[1];
	unsigned extra[3];
	size_t i, nextra = 0;
	int rc;

	if (!trap_admit(im, kind, f->server, f->article))
		return;
	switch (kind) {
	case TRAP_AMBIGUOUS:
		extra[nextra++] = COL_F_STATE;
		extra[nextra++] = COL_F_CANDIDATES;
		break;
	case TRAP_CLEARED:
		extra[nextra++] = COL_F_REASON;
		break;
	default:
		extra[nextra++] = COL_F_STATE;
		extra[nextra++] = COL_F_CONFIDENCE;
		break;
	}
	extra[nextra++] = COL_F_ORIGIN;
	inst[0] = f->index;
	rc = send_start(&vl, kind);
	for (i = 0; rc == 0 && i < sizeof(common) / sizeof(common[0]); i++)
		rc = add_col(im, &vl, fault_entry, OID_LENGTH(fault_entry),
		    common[i], inst, 1, f, 1);
	for (i = 0; rc == 0 && i < nextra; i++)
		rc = add_col(im, &vl, fault_entry, OID_LENGTH(fault_entry),
		    extra[i], inst, 1, f, 1);
	if (rc == 0) {
		state_glue_sync(im);
		send_v2trap(vl);
		im->traps_sent++;
		imsd_log(LOG_NOTICE, "fault %u %s: server %s article %s",
		    (unsigned)f->index, kind == TRAP_DIAGNOSED ? "diagnosed" :
		    kind == TRAP_AMBIGUOUS ? "ambiguous" : kind ==
		    TRAP_REFINED ? "refined" : "cleared",
		    imsd_esc(host, sizeof(host), f->host),
		    f->article[0] != '\0' ? f->article : "(none yet)");
	} else {
		imsd_log(LOG_ERR, "notification for fault %u not built",
		    (unsigned)f->index);
	}
	snmp_free_varbind(vl);
}

static void
trap_status(struct imsd *im, const struct server *s)
{
	static const unsigned cols[] = { COL_SRV_DISPLAY, COL_SRV_STATUS,
	    COL_SRV_PREV, COL_SRV_FAULT, COL_SRV_ARTICLE, COL_SRV_TITLE,
	    COL_SRV_SEVERITY, COL_SRV_REMEDY };
	netsnmp_variable_list *vl = NULL;
	char key[KB_ID_MAX], name[NORM_HOST_MAX];
	oid inst[MAX_OID_LEN];
	size_t i, ilen;
	int rc;

	/* Hold-down key: the server and its new status. */
	snprintf(key, sizeof(key), "status-%d", (int)s->status);
	if (!trap_admit(im, TRAP_STATUS, s->index, key))
		return;
	if ((ilen = mib_server_oid(s, inst, MAX_OID_LEN -
	    OID_LENGTH(srv_entry) - 1)) == 0)
		return;
	rc = send_start(&vl, s->status == IMS_STATUS_SILENT ? TRAP_SILENT :
	    TRAP_STATUS);
	for (i = 0; rc == 0 && i < sizeof(cols) / sizeof(cols[0]); i++)
		rc = add_col(im, &vl, srv_entry, OID_LENGTH(srv_entry),
		    cols[i], inst, ilen, s, 0);
	if (rc == 0) {
		state_glue_sync(im);
		send_v2trap(vl);
		im->traps_sent++;
		imsd_log(LOG_NOTICE, "server %s: IMS status %s (was %s)",
		    imsd_esc(name, sizeof(name), s->name),
		    ims_status_name(s->status),
		    ims_status_name(s->prev_status));
	}
	snmp_free_varbind(vl);
}
