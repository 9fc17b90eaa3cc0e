/*
 * mib_scalars: imsAgent (identity and summary), imsStats (Counter64
 * statistics, read live from the core's counters, never reset on read)
 * and the two small per-reason tables, imsMalformedTable and imsDropTable.
 */
#include "agent.h"

#include <string.h>

static const oid agent_oid[] = { IMSD_OID_ROOT, 1, 1 };
static const oid stats_oid[] = { IMSD_OID_ROOT, 1, 2 };
static const oid malformed_oid[] = { IMSD_OID_ROOT, 1, 2, 11 };
static const oid drop_oid[] = { IMSD_OID_ROOT, 1, 2, 12 };

#define STATS_LAST	10

/* imsMalformedReason -> parse_why (the MIB's order). */
static const enum parse_why malformed_why[] = {
	PARSE_WHY_EMPTY, PARSE_WHY_TOOLONG, PARSE_WHY_NUL, PARSE_WHY_BADPRI,
	PARSE_WHY_BADHEADER, PARSE_WHY_BADFIELDS, PARSE_WHY_BADID,
	PARSE_WHY_BADTIME, PARSE_WHY_UNRECOGNISED
};
#define NMALFORMED	(sizeof(malformed_why) / sizeof(malformed_why[0]))

/* imsDropReason, in the MIB's order. */
static const char *const drop_names[] = {
	"maxServers", "maxFaults", "diagHosts", "diagEpisodes",
	"diagEvidence", "noHost", "netConnections", "netFrameTooLong",
	"netBadFraming", "netReadErrors", "netKernelDrops"
};
#define NDROP		(sizeof(drop_names) / sizeof(drop_names[0]))

/* Row numbers, so a reason row can be handed out as a pointer. */
static const size_t reason_rows[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    11 };

static int	 agent_handler(netsnmp_mib_handler *,
		    netsnmp_handler_registration *,
		    netsnmp_agent_request_info *, netsnmp_request_info *);
static int	 stats_handler(netsnmp_mib_handler *,
		    netsnmp_handler_registration *,
		    netsnmp_agent_request_info *, netsnmp_request_info *);
static uint64_t	 drop_count(struct imsd *, size_t);
static const void *reason_find(size_t, const oid *, size_t, int, oid *,
		    size_t *);
static const void *malformed_find(struct imsd *, const oid *, size_t, int,
		    oid *, size_t *);
static int	 malformed_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);
static const void *drop_find(struct imsd *, const oid *, size_t, int,
		    oid *, size_t *);
static int	 drop_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);

static struct mib_table malformed_table = {
	"imsMalformedTable", malformed_oid, OID_LENGTH(malformed_oid),
	2, 3, malformed_find, malformed_value, NULL
};

static struct mib_table drop_table = {
	"imsDropTable", drop_oid, OID_LENGTH(drop_oid),
	2, 3, drop_find, drop_value, NULL
};

/*
 * One registration per scalar rather than a scalar group: a group would
 * cover all of imsStats, and the tables below it would split it into
 * overlapping AgentX registrations that the master refuses (263,
 * duplicateRegistration).
 */
static int
register_group(struct imsd *im, const char *name, Netsnmp_Node_Handler *fn,
    const oid *base, size_t len, oid last)
{
	netsnmp_handler_registration *reg;
	oid o[MAX_OID_LEN];
	oid i;

	if (len + 1 > MAX_OID_LEN)
		return -1;
	memcpy(o, base, len * sizeof(oid));
	for (i = 1; i <= last; i++) {
		o[len] = i;
		reg = netsnmp_create_handler_registration(name, fn, o, len + 1,
		    HANDLER_CAN_RONLY);
		if (reg == NULL)
			return -1;
		reg->my_reg_void = im;
		if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK)
			return -1;
	}
	return 0;
}

int
mib_scalars_init(struct imsd *im)
{
	if (register_group(im, "imsAgent", agent_handler, agent_oid,
	    OID_LENGTH(agent_oid), 9) != 0 ||
	    register_group(im, "imsStats", stats_handler, stats_oid,
	    OID_LENGTH(stats_oid), STATS_LAST) != 0 ||
	    mib_table_register(im, &malformed_table) != 0 ||
	    mib_table_register(im, &drop_table) != 0)
		return -1;
	return 0;
}

static uint32_t
open_faults(struct imsd *im)
{
	uint64_t n = 0;
	size_t i;

	if (im->st == NULL)
		return 0;
	for (i = 0; i < store_nservers(im->st); i++)
		n += store_server_at(im->st, i)->open_faults;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static int
agent_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	struct imsd *im = reg->my_reg_void;
	netsnmp_variable_list *vb;
	size_t n;

	(void)h;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (; r != NULL; r = r->next) {
		vb = r->requestvb;
		switch (vb->name[OID_LENGTH(agent_oid)]) {
		case 1:
			mib_set_string(vb, IMSD_APP " " IMSMON_VERSION);
			break;
		case 2:
			mib_set_datetime(vb, im->start_time);
			break;
		case 3:
			n = im->kb != NULL ? kb_narticles(im->kb) : 0;
			mib_set_unsigned(vb, ASN_GAUGE, (uint32_t)n);
			break;
		case 4:
			mib_set_datetime(vb, im->kb_time);
			break;
		case 5:
			n = im->st != NULL ? store_nservers(im->st) : 0;
			mib_set_unsigned(vb, ASN_GAUGE, (uint32_t)n);
			break;
		case 6:
			mib_set_unsigned(vb, ASN_GAUGE, open_faults(im));
			break;
		case 7:
			mib_set_datetime(vb, im->reload_time != 0 ?
			    im->reload_time : im->start_time);
			break;
		case 8:
			mib_set_int(vb, im->reload_result != 0 ?
			    im->reload_result : 1);
			break;
		case 9:
			mib_set_string(vb, im->reload_msg);
			break;
		default:
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHOBJECT);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

static uint64_t
drop_count(struct imsd *im, size_t i)
{
	const struct store_stats *ss;
	const struct diag_stats *ds;
	struct net_stats ns;

	switch (i) {
	case 0:
	case 1:
		if (im->st == NULL)
			return 0;
		ss = store_stats(im->st);
		return ss->dropped[i == 0 ? STORE_DROP_SERVERS :
		    STORE_DROP_FAULTS];
	case 2:
	case 3:
	case 4:
	case 5:
		if (im->d == NULL)
			return 0;
		ds = diag_stats(im->d);
		return ds->dropped[i == 2 ? DIAG_DROP_HOSTS : i == 3 ?
		    DIAG_DROP_EPISODES : i == 4 ? DIAG_DROP_EVIDENCE :
		    DIAG_DROP_NOHOST];
	default:
		if (im->net == NULL)
			return 0;
		reader_lock();
		net_stats(im->net, &ns);
		reader_unlock();
		return i == 6 ? mib_conns_refused(im) : i == 7 ?
		    ns.ns_oversize : i == 8 ? ns.ns_framing : i == 9 ?
		    ns.ns_read_errors : ns.ns_kernel_drops;
	}
}

static int
stats_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	struct imsd *im = reg->my_reg_void;
	const struct parse_stats *ps = NULL;
	const struct diag_stats *ds = NULL;
	const struct store_stats *ss = NULL;
	uint64_t v;
	size_t i;

	(void)h;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	if (im->d != NULL) {
		ps = diag_parse_stats(im->d);
		ds = diag_stats(im->d);
	}
	if (im->st != NULL)
		ss = store_stats(im->st);
	for (; r != NULL; r = r->next) {
		v = 0;
		switch (r->requestvb->name[OID_LENGTH(stats_oid)]) {
		case 1:
			v = ps != NULL ? ps->records : 0;
			break;
		case 2:
			v = ps != NULL ? ps->parsed : 0;
			break;
		case 3:
			for (i = 0; ps != NULL && i < NMALFORMED; i++)
				v += ps->bad[malformed_why[i]];
			break;
		case 4:
			/* Records only: not connections, not read errors. */
			for (i = 0; i < NDROP; i++)
				if (i != 6 && i != 9)
					v += drop_count(im, i);
			break;
		case 5:
			v = ds != NULL ? ds->matched : 0;
			break;
		case 6:
			v = ss != NULL ? ss->faults_opened : 0;
			break;
		case 7:
			v = ss != NULL ? ss->faults_refined : 0;
			break;
		case 8:
			v = ss != NULL ? ss->faults_cleared : 0;
			break;
		case 9:
			v = im->traps_sent;
			break;
		case 10:
			v = im->traps_suppressed;
			break;
		default:
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHOBJECT);
			continue;
		}
		mib_set_counter64(r->requestvb, v);
	}
	return SNMP_ERR_NOERROR;
}

/* Rows 1..n indexed by one integer; the row is its position + 1. */
static const void *
reason_find(size_t n, const oid *idx, size_t idxlen, int exact, oid *out,
    size_t *outlen)
{
	oid k;

	if (n >= sizeof(reason_rows) / sizeof(reason_rows[0]))
		return NULL;
	if (mib_index_1n(n, idx, idxlen, exact, &k) == -1)
		return NULL;
	out[0] = k;
	*outlen = 1;
	return &reason_rows[k];
}

static const void *
malformed_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	(void)im;
	return reason_find(NMALFORMED, idx, idxlen, exact, out, outlen);
}

static int
malformed_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	size_t k = *(const size_t *)row;
	enum parse_why why = malformed_why[k - 1];
	const struct parse_stats *ps;

	if (col == 2) {
		mib_set_string(vb, parse_why_name(why));
		return 0;
	}
	ps = im->d != NULL ? diag_parse_stats(im->d) : NULL;
	mib_set_counter64(vb, ps != NULL ? ps->bad[why] : 0);
	return 0;
}

static const void *
drop_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	(void)im;
	return reason_find(NDROP, idx, idxlen, exact, out, outlen);
}

static int
drop_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	size_t k = *(const size_t *)row;

	if (col == 2)
		mib_set_string(vb, drop_names[k - 1]);
	else
		mib_set_counter64(vb, drop_count(im, k - 1));
	return 0;
}
