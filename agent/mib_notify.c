/*
 * mib_notify: imsNotify, the notifications' own state: the sequence
 * scalars, the queue's counters and imsNtfLogTable, the last
 * notifications made, indexed by sequence number.  The log is the state
 * database's (it survives a restart); with stateDir none, the one trap.c
 * keeps in memory.
 */
#include "agent.h"

#include <stdio.h>
#include <string.h>

#include "state/state.h"

static const oid notify_oid[] = { IMSD_OID_ROOT, 1, 8 };
static const oid log_oid[] = { IMSD_OID_ROOT, 1, 8, 11 };

#define NOTIFY_SCALARS	10	/* imsNotify 1..10; 11 is the table */

static Netsnmp_Node_Handler notify_handler;
static const void *log_find(struct imsd *, const oid *, size_t, int, oid *,
		    size_t *);
static int	 log_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);

static struct mib_table log_table = {
	"imsNtfLogTable", log_oid, OID_LENGTH(log_oid),
	2, 6, log_find, log_value, NULL
};

int
mib_notify_init(struct imsd *im)
{
	netsnmp_handler_registration *reg;
	oid o[MAX_OID_LEN];
	oid i;

	memcpy(o, notify_oid, sizeof(notify_oid));
	/* One registration per scalar: the table below must not overlap. */
	for (i = 1; i <= NOTIFY_SCALARS; i++) {
		o[OID_LENGTH(notify_oid)] = i;
		reg = netsnmp_create_handler_registration("imsNotify",
		    notify_handler, o, OID_LENGTH(notify_oid) + 1,
		    HANDLER_CAN_RONLY);
		if (reg == NULL)
			return -1;
		reg->my_reg_void = im;
		if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK)
			return -1;
	}
	o[OID_LENGTH(notify_oid)] = 12;		/* imsNtfMade, after the table */
	reg = netsnmp_create_handler_registration("imsNotify", notify_handler,
	    o, OID_LENGTH(notify_oid) + 1, HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -1;
	reg->my_reg_void = im;
	if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK)
		return -1;
	return mib_table_register(im, &log_table);
}

static int
notify_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	struct imsd *im = reg->my_reg_void;
	const struct ntfq_stats *qs;
	struct ntfq_stats zero;
	netsnmp_variable_list *vb;
	size_t waiting = 0, max = im->conf.max_queued;

	(void)h;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	memset(&zero, 0, sizeof(zero));
	qs = &zero;
	if (im->ntfq != NULL) {
		qs = ntfq_stats(im->ntfq);
		waiting = ntfq_waiting(im->ntfq) + ntfq_outstanding(im->ntfq);
		max = ntfq_max(im->ntfq);
	}
	for (; r != NULL; r = r->next) {
		vb = r->requestvb;
		switch (vb->name[OID_LENGTH(notify_oid)]) {
		case 1:
			mib_set_unsigned(vb, ASN_UNSIGNED,
			    (uint32_t)im->ntf_seq);
			break;
		case 2:
			mib_set_datetime(vb, im->last_change);
			break;
		case 3:
			mib_set_unsigned(vb, ASN_GAUGE, (uint32_t)waiting);
			break;
		case 4:
			mib_set_unsigned(vb, ASN_UNSIGNED, (uint32_t)max);
			break;
		case 5:
			mib_set_counter64(vb, qs->nq_acked);
			break;
		case 6:
			mib_set_counter64(vb, qs->nq_overflow + qs->nq_nomem);
			break;
		case 7:
			mib_set_counter64(vb, qs->nq_unknown);
			break;
		case 8:
			mib_set_counter64(vb, qs->nq_resent);
			break;
		case 9:
			mib_set_unsigned(vb, ASN_COUNTER, im->connects);
			break;
		case 10:
			mib_set_counter64(vb, im->traps_deferred);
			break;
		case 12:
			mib_set_counter64(vb, im->ntf_made);
			break;
		default:
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHOBJECT);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/* The row log_find() hands to log_value(): one thread, one request. */
static struct ntf_log_entry log_cur;

/* A state log row as the table shows it. */
static const struct ntf_log_entry *
log_from_state(const struct state_ntf *n)
{
	memset(&log_cur, 0, sizeof(log_cur));
	log_cur.nl_seq = n->seq;
	log_cur.nl_time = n->wall;
	log_cur.nl_fault = n->fault;
	switch (n->kind) {
	case STORE_EV_OPENED:
		log_cur.nl_kind = n->fault_state == FAULT_AMBIGUOUS ?
		    TRAP_AMBIGUOUS : TRAP_DIAGNOSED;
		break;
	case STORE_EV_REFINED:
		log_cur.nl_kind = TRAP_REFINED;
		break;
	case STORE_EV_CLEARED:
		log_cur.nl_kind = TRAP_CLEARED;
		break;
	default:
		log_cur.nl_kind = n->status == IMS_STATUS_SILENT ?
		    TRAP_SILENT : TRAP_STATUS;
		log_cur.nl_fault = 0;
		break;
	}
	snprintf(log_cur.nl_server, sizeof(log_cur.nl_server), "%s",
	    n->host);
	snprintf(log_cur.nl_article, sizeof(log_cur.nl_article), "%s",
	    n->article);
	return &log_cur;
}

static const struct ntf_log_entry *
log_find_state(struct imsd *im, const oid *idx, size_t idxlen, int exact)
{
	struct state_ntf n;
	uint64_t after;

	if (exact) {
		if (idxlen != 1 || idx[0] == 0)
			return NULL;
		after = idx[0] - 1;
	} else
		after = idxlen == 0 ? 0 : idx[0];
	if (state_ntf_next(im->state, after, &n) != 0 ||
	    (exact && n.seq != idx[0]))
		return NULL;
	return log_from_state(&n);
}

static const void *
log_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	const struct ntf_log_entry *e;

	if (im->state != NULL)
		e = log_find_state(im, idx, idxlen, exact);
	else if (im->ntflog == NULL)
		return NULL;
	else if (exact) {
		if (idxlen != 1 || idx[0] == 0)
			return NULL;
		e = ntf_log_find(im->ntflog, idx[0], 1);
	} else if (idxlen == 0) {
		e = ntf_log_find(im->ntflog, 0, 0);
	} else {
		e = ntf_log_find(im->ntflog, idx[0], 0);
	}
	if (e == NULL || e->nl_seq > UINT32_MAX)
		return NULL;
	out[0] = (oid)e->nl_seq;
	*outlen = 1;
	return e;
}

static int
log_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	const struct ntf_log_entry *e = row;

	(void)im;
	switch (col) {
	case 2:
		mib_set_datetime(vb, e->nl_time);
		break;
	case 3:
		mib_set_int(vb, e->nl_kind);
		break;
	case 4:
		mib_set_string(vb, e->nl_server);
		break;
	case 5:
		mib_set_unsigned(vb, ASN_UNSIGNED, e->nl_fault);
		break;
	case 6:
		mib_set_string(vb, e->nl_article);
		break;
	default:
		return -1;
	}
	return 0;
}
