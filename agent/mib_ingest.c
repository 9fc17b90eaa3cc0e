/*
 * mib_ingest: what arrives, per forwarder format and per listener.
 *
 *   imsFormatTable    records read, per forwarder format (the parser
 *                     chain's counters; imsMalformedTable has the rest)
 *   imsListenerTable  per syslog listener: its address, who may send,
 *                     records received, datagrams and connections refused
 *   imsSenders        connections refused by a limit, and per sender
 *                     address what it sent and what it cost
 *
 * Both are read live from the core's counters, as imsStats is.
 */
#include "agent.h"

#include <string.h>

#include "ingest/sender.h"

static const oid format_oid[] = { IMSD_OID_ROOT, 1, 2, 13 };
static const oid listener_oid[] = { IMSD_OID_ROOT, 1, 2, 14 };
static const oid senders_oid[] = { IMSD_OID_ROOT, 1, 9 };
static const oid sender_oid[] = { IMSD_OID_ROOT, 1, 9, 2 };

/* Rows 1..n as pointers: the row is its number. */
#define ROWS_MAX	(NET_MAXLISTEN > EVT_FMT__MAX ? NET_MAXLISTEN : \
			    EVT_FMT__MAX)
static const size_t rows[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
};
_Static_assert(sizeof(rows) / sizeof(rows[0]) == ROWS_MAX + 1,
    "rows[] must list 0 .. ROWS_MAX");

static const void *row_find(size_t, const oid *, size_t, int, oid *,
		    size_t *);
static const void *format_find(struct imsd *, const oid *, size_t, int,
		    oid *, size_t *);
static int	 format_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);
static const void *listener_find(struct imsd *, const oid *, size_t, int,
		    oid *, size_t *);
static int	 listener_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);
static const void *sender_row_find(struct imsd *, const oid *, size_t, int,
		    oid *, size_t *);
static int	 sender_row_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);
static int	 senders_scalar(struct imsd *, const char *, oid);
static int	 senders_handler(netsnmp_mib_handler *,
		    netsnmp_handler_registration *,
		    netsnmp_agent_request_info *, netsnmp_request_info *);

/* imsFormatIndex n is enum evt_fmt n (EVT_FMT_NONE, 0, is no format). */
static struct mib_table format_table = {
	"imsFormatTable", format_oid, OID_LENGTH(format_oid),
	2, 3, format_find, format_value, NULL
};

static struct mib_table listener_table = {
	"imsListenerTable", listener_oid, OID_LENGTH(listener_oid),
	2, 6, listener_find, listener_value, NULL
};

static struct mib_table sender_table = {
	"imsSenderTable", sender_oid, OID_LENGTH(sender_oid),
	2, 9, sender_row_find, sender_row_value, NULL
};

int
mib_ingest_init(struct imsd *im)
{
	if (mib_table_register(im, &format_table) != 0 ||
	    mib_table_register(im, &listener_table) != 0 ||
	    mib_table_register(im, &sender_table) != 0)
		return -1;
	/* imsSenders.1 and .3: two scalars, one handler. */
	if (senders_scalar(im, "imsSenderConnectionsRefused", 1) != 0 ||
	    senders_scalar(im, "imsSenderRowsReused", 3) != 0)
		return -1;
	return 0;
}

static int
senders_scalar(struct imsd *im, const char *name, oid sub)
{
	netsnmp_handler_registration *reg;
	oid o[OID_LENGTH(senders_oid) + 1];

	memcpy(o, senders_oid, sizeof(senders_oid));
	o[OID_LENGTH(senders_oid)] = sub;
	reg = netsnmp_create_handler_registration(name, senders_handler, o,
	    OID_LENGTH(o), HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -1;
	reg->my_reg_void = im;
	return netsnmp_register_scalar(reg) == MIB_REGISTERED_OK ? 0 : -1;
}

/* Connections refused or cut by any limit (not records). */
uint64_t
mib_conns_refused(struct imsd *im)
{
	struct net_stats ns;

	if (im->net == NULL)
		return 0;
	reader_lock();
	net_stats(im->net, &ns);
	reader_unlock();
	return ns.ns_tcp_refused + ns.ns_tcp_refused_src + ns.ns_tcp_first;
}

static int
senders_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	struct imsd *im = reg->my_reg_void;
	struct sender_stats ss;

	(void)h;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (; r != NULL; r = r->next) {
		switch (r->requestvb->name[OID_LENGTH(senders_oid)]) {
		case 1:
			mib_set_counter64(r->requestvb, mib_conns_refused(im));
			break;
		case 3:
			memset(&ss, 0, sizeof(ss));
			if (im->net != NULL) {
				reader_lock();
				sender_stats(net_senders(im->net), &ss);
				reader_unlock();
			}
			mib_set_counter64(r->requestvb, ss.ss_evicted);
			break;
		default:
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHOBJECT);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/*
 * Rows in use only: a GETNEXT skips the free ones.  The reader thread
 * updates the table as records arrive, so the row is copied under its
 * lock and the value function reads the copy (one row per request, on
 * the SNMP thread).
 */
static const void *
sender_row_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	static struct sender snap;
	const struct sender_table *t;
	const struct sender *s;
	const void *found = NULL;
	size_t n;
	oid k;

	if (im->net == NULL)
		return NULL;
	reader_lock();
	t = net_senders(im->net);
	n = sender_rows(t);
	if (mib_index_1n(n, idx, idxlen, exact, &k) == -1)
		goto out;
	for (; k <= n; k++) {
		if ((s = sender_by_index(t, (uint32_t)k)) != NULL) {
			snap = *s;
			out[0] = k;
			*outlen = 1;
			found = &snap;
			break;
		}
		if (exact)
			break;
	}
out:
	reader_unlock();
	return found;
}

static int
sender_row_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	const struct sender *s = row;

	(void)im;
	switch (col) {
	case 2:
		mib_set_string(vb, s->s_name);
		break;
	case 3:
		mib_set_counter64(vb, s->s_records);
		break;
	case 4:
		mib_set_counter64(vb, s->s_bytes);
		break;
	case 5:
		mib_set_counter64(vb, s->s_dropped);
		break;
	case 6:
		mib_set_counter64(vb, s->s_conns);
		break;
	case 7:
		mib_set_counter64(vb, s->s_refused);
		break;
	case 8:
		mib_set_unsigned(vb, ASN_GAUGE, s->s_open);
		break;
	case 9:
		mib_set_datetime(vb, s->s_last);
		break;
	default:
		return -1;
	}
	return 0;
}

/* Rows 1..n indexed by one integer. */
static const void *
row_find(size_t n, const oid *idx, size_t idxlen, int exact, oid *out,
    size_t *outlen)
{
	oid k;

	if (n == 0 || n > ROWS_MAX)
		return NULL;
	if (mib_index_1n(n, idx, idxlen, exact, &k) == -1)
		return NULL;
	out[0] = k;
	*outlen = 1;
	return &rows[k];
}

static const void *
format_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	(void)im;
	return row_find(EVT_FMT__MAX - 1, idx, idxlen, exact, out, outlen);
}

static int
format_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	enum evt_fmt f = (enum evt_fmt)*(const size_t *)row;
	const struct parse_stats *ps;

	if (col == 2) {
		mib_set_string(vb, evt_fmt_name(f));
		return 0;
	}
	ps = im->d != NULL ? diag_parse_stats(im->d) : NULL;
	mib_set_counter64(vb, ps != NULL ? ps->by_fmt[f] : 0);
	return 0;
}

static const void *
listener_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	if (im->net == NULL)
		return NULL;
	return row_find(im->nlis, idx, idxlen, exact, out, outlen);
}

static int
listener_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	char names[NET_MAXLISTEN][NET_NAMELEN];
	struct net_lstats ls;
	size_t i = *(const size_t *)row - 1;
	size_t nb;
	int rc;

	if (i >= NET_MAXLISTEN)
		return -1;
	/* The reader thread owns the net: read it under its lock. */
	reader_lock();
	rc = net_listener_stats(im->net, i, &ls);
	nb = net_bound(im->net, names, NET_MAXLISTEN);
	reader_unlock();
	if (rc != 0)
		return -1;
	switch (col) {
	case 2:
		if (nb <= i)
			return -1;
		mib_set_string(vb, names[i]);
		break;
	case 3:
		mib_set_string(vb, im->lis_allowed[i]);
		break;
	case 4:
		mib_set_counter64(vb, ls.nls_records);
		break;
	case 5:
		mib_set_counter64(vb, ls.nls_denied_dgrams);
		break;
	case 6:
		mib_set_counter64(vb, ls.nls_denied_conns);
		break;
	default:
		return -1;
	}
	return 0;
}
