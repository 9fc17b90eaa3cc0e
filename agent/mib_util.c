/*
 * mib_util: one GET/GETNEXT walker for every imsmond table, and the value
 * encoders they share.
 *
 * The tables are served from the core's own ordered arrays, not from a
 * copy: each table supplies find() (a binary search by index OID) and
 * value() (one column of one row), so a GETNEXT costs O(log n) whatever
 * the table size and a row can never go stale.  GETBULK reaches us as
 * GETNEXTs through the bulk_to_next helper that netsnmp_register_handler()
 * injects for handlers without HANDLER_CAN_GETBULK.
 */
#include "agent.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int	 table_handler(netsnmp_mib_handler *,
		    netsnmp_handler_registration *,
		    netsnmp_agent_request_info *, netsnmp_request_info *);
static void	 table_get(struct imsd *, const struct mib_table *,
		    netsnmp_agent_request_info *, netsnmp_request_info *);
static void	 table_next(struct imsd *, const struct mib_table *,
		    netsnmp_request_info *);
static int	 table_split(const struct mib_table *, const oid *, size_t,
		    unsigned *, const oid **, size_t *);
static int	 table_emit(struct imsd *, const struct mib_table *,
		    netsnmp_variable_list *, unsigned, const void *,
		    const oid *, size_t);

int
mib_table_register(struct imsd *im, const struct mib_table *t)
{
	netsnmp_handler_registration *reg;
	netsnmp_mib_handler *h;

	h = netsnmp_create_handler(t->name, table_handler);
	if (h == NULL)
		return -1;
	/* myvoid is not const in Net-SNMP; the table is never written. */
	memcpy(&h->myvoid, &t, sizeof(h->myvoid));
	reg = netsnmp_handler_registration_create(t->name, h, t->base,
	    t->baselen, t->set != NULL ? HANDLER_CAN_RWRITE :
	    HANDLER_CAN_RONLY);
	if (reg == NULL) {
		netsnmp_handler_free(h);
		return -1;
	}
	reg->my_reg_void = im;
	if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		imsd_log(LOG_ERR, "cannot register %s", t->name);
		return -1;
	}
	return 0;
}

static int
table_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	const struct mib_table *t = h->myvoid;
	struct imsd *im = reg->my_reg_void;
	netsnmp_request_info *r;
	const oid *idx;
	size_t idxlen;
	unsigned col;

	for (r = requests; r != NULL; r = r->next) {
		if (r->processed)
			continue;
		switch (ri->mode) {
		case MODE_GET:
			table_get(im, t, ri, r);
			break;
		case MODE_GETNEXT:
			table_next(im, t, r);
			break;
		default:
			if (t->set == NULL) {
				netsnmp_set_request_error(ri, r,
				    SNMP_ERR_NOTWRITABLE);
				break;
			}
			if (table_split(t, r->requestvb->name,
			    r->requestvb->name_length, &col, &idx,
			    &idxlen) != 0) {
				if (ri->mode == MODE_SET_RESERVE1)
					netsnmp_set_request_error(ri, r,
					    SNMP_ERR_NOCREATION);
				break;
			}
			t->set(im, ri, r, col, idx, idxlen);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/*
 * An instance OID: base.1.col.index.  0, or -1 if it is not one of ours
 * (wrong entry, column out of range, no index).
 */
static int
table_split(const struct mib_table *t, const oid *name, size_t len,
    unsigned *col, const oid **idx, size_t *idxlen)
{
	size_t l = t->baselen;

	if (len < l + 3 || snmp_oid_compare(name, l, t->base, l) != 0 ||
	    name[l] != 1 || name[l + 1] < t->mincol || name[l + 1] > t->maxcol)
		return -1;
	*col = (unsigned)name[l + 1];
	*idx = name + l + 2;
	*idxlen = len - l - 2;
	return 0;
}

static void
table_get(struct imsd *im, const struct mib_table *t,
    netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	netsnmp_variable_list *vb = r->requestvb;
	oid rowidx[MAX_OID_LEN];
	size_t rowlen, idxlen;
	const oid *idx;
	const void *row;
	unsigned col;

	if (table_split(t, vb->name, vb->name_length, &col, &idx,
	    &idxlen) != 0) {
		netsnmp_set_request_error(ri, r, SNMP_NOSUCHOBJECT);
		return;
	}
	row = t->find(im, idx, idxlen, 1, rowidx, &rowlen);
	if (row == NULL || t->value(im, row, col, vb) != 0)
		netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
}

/* Fill vb with column col of row and name it base.1.col.rowidx. */
static int
table_emit(struct imsd *im, const struct mib_table *t,
    netsnmp_variable_list *vb, unsigned col, const void *row,
    const oid *rowidx, size_t rowlen)
{
	oid out[MAX_OID_LEN];
	size_t l = t->baselen;

	if (l + 2 + rowlen > MAX_OID_LEN)
		return -1;
	memcpy(out, t->base, l * sizeof(oid));
	out[l] = 1;
	out[l + 1] = col;
	memcpy(out + l + 2, rowidx, rowlen * sizeof(oid));
	if (t->value(im, row, col, vb) != 0)
		return -1;
	snmp_set_var_objid(vb, out, l + 2 + rowlen);
	return 0;
}

/*
 * GETNEXT: the first instance after the request's name, column by column.
 * Leaving the varbind untouched tells the agent to carry on past us.
 */
static void
table_next(struct imsd *im, const struct mib_table *t, netsnmp_request_info *r)
{
	netsnmp_variable_list *vb = r->requestvb;
	oid entry[MAX_OID_LEN], from[MAX_OID_LEN], rowidx[MAX_OID_LEN];
	size_t l = t->baselen, len = vb->name_length, fromlen = 0, rowlen;
	const void *row;
	unsigned col = t->mincol;
	int c;

	if (l + 1 > MAX_OID_LEN)
		return;
	memcpy(entry, t->base, l * sizeof(oid));
	entry[l] = 1;
	c = snmp_oid_compare(vb->name, len < l + 1 ? len : l + 1, entry,
	    l + 1);
	if (c > 0)
		return;
	if (c == 0 && len > l + 1) {
		if (vb->name[l + 1] > t->maxcol)
			return;
		if (vb->name[l + 1] >= t->mincol) {
			col = (unsigned)vb->name[l + 1];
			fromlen = len - l - 2;
			memcpy(from, vb->name + l + 2, fromlen * sizeof(oid));
		}
	}
	/* A retried search may include its start instance (RFC 2741 5.2). */
	if (r->inclusive && fromlen > 0 &&
	    (row = t->find(im, from, fromlen, 1, rowidx, &rowlen)) != NULL &&
	    table_emit(im, t, vb, col, row, rowidx, rowlen) == 0)
		return;
	for (; col <= t->maxcol; col++, fromlen = 0) {
		row = t->find(im, from, fromlen, 0, rowidx, &rowlen);
		while (row != NULL) {
			if (table_emit(im, t, vb, col, row, rowidx,
			    rowlen) == 0)
				return;
			memcpy(from, rowidx, rowlen * sizeof(oid));
			fromlen = rowlen;
			row = t->find(im, from, fromlen, 0, rowidx, &rowlen);
		}
	}
}

/*
 * Binary search over n rows sorted by index OID: the first row whose index
 * is >= idx, or > idx when strict.  key() writes row i's index OID.
 */
size_t
mib_search(size_t n, const oid *idx, size_t idxlen, int strict,
    void (*key)(const void *, size_t, oid *, size_t *), const void *ctx)
{
	oid k[MAX_OID_LEN];
	size_t lo = 0, hi = n, mid, klen;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		key(ctx, mid, k, &klen);
		c = snmp_oid_compare(k, klen, idx, idxlen);
		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A non-IMPLIED string index: length, then one sub-id per octet. */
size_t
mib_oid_str(oid *out, size_t max, const char *s, size_t n)
{
	size_t i;

	if (n + 1 > max)
		return 0;
	out[0] = n;
	for (i = 0; i < n; i++)
		out[i + 1] = (unsigned char)s[i];
	return n + 1;
}

/* The order of mib_oid_str() indexes: shorter first, then octet by octet. */
int
mib_oid_str_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return an < bn ? -1 : 1;
	return memcmp(a, b, an);
}

/* An OCTET STRING of at most max octets (DisplayString: 255). */
void
mib_set_text(netsnmp_variable_list *vb, const char *s, size_t max)
{
	snmp_set_var_typed_value(vb, ASN_OCTET_STR, s, strnlen(s, max));
}

void
mib_set_string(netsnmp_variable_list *vb, const char *s)
{
	mib_set_text(vb, s, IMSD_TEXT_MAX - 1);
}

void
mib_set_int(netsnmp_variable_list *vb, long v)
{
	snmp_set_var_typed_integer(vb, ASN_INTEGER, v);
}

void
mib_set_unsigned(netsnmp_variable_list *vb, u_char type, uint32_t v)
{
	snmp_set_var_typed_integer(vb, type, (long)v);
}

void
mib_set_counter64(netsnmp_variable_list *vb, uint64_t v)
{
	struct counter64 c;

	c.high = (u_long)(v >> 32);
	c.low = (u_long)(v & 0xffffffffu);
	snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof(c));
}

/*
 * DateAndTime (RFC 2579): every time imsmon keeps is UTC (event times are
 * converted from the sender's zone as they are read), so 11 octets with
 * the offset "+0:0".  An unknown time is all zeros, as the MIB says.
 */
void
mib_set_datetime(netsnmp_variable_list *vb, int64_t t)
{
	u_char b[11];
	size_t n = 8;
	struct tm tm;
	time_t tt;
	int year;

	memset(b, 0, sizeof(b));
	tt = (time_t)t;
	if (t > 0 && t != INT64_MIN && gmtime_r(&tt, &tm) != NULL &&
	    (year = tm.tm_year + 1900) > 0 && year <= 65535) {
		b[0] = (u_char)(year >> 8);
		b[1] = (u_char)(year & 0xff);
		b[2] = (u_char)(tm.tm_mon + 1);
		b[3] = (u_char)tm.tm_mday;
		b[4] = (u_char)tm.tm_hour;
		b[5] = (u_char)tm.tm_min;
		b[6] = (u_char)tm.tm_sec;
		b[8] = '+';
		n = 11;
	}
	snmp_set_var_typed_value(vb, ASN_OCTET_STR, b, n);
}

/*
 * Tables of rows 1..n indexed by one integer: the row a GET (exact) or a
 * GETNEXT from idx asks for, into *k; -1 when there is none.
 */
int
mib_index_1n(size_t n, const oid *idx, size_t idxlen, int exact, oid *k)
{
	if (exact) {
		if (idxlen != 1 || idx[0] < 1 || idx[0] > n)
			return -1;
		*k = idx[0];
	} else if (idxlen == 0) {
		*k = 1;
	} else {
		if (idx[0] >= n)
			return -1;
		*k = idx[0] + 1;
	}
	return *k <= n ? 0 : -1;
}
