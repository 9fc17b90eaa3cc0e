/*
 * mib_servers: imsServerTable, indexed by server name.
 *
 * The store keeps servers in slots; the MIB orders a string index by
 * length, then octets.  srv_sorted keeps that order as server indices: it
 * grows as the store does and is sorted again from scratch when the
 * store evicted a server (its slot then holds another name).  The fault
 * that explains a server's status is the store's (struct server explain).
 */
#include "agent.h"

#include <stdlib.h>
#include <string.h>

static const oid srv_table_oid[] = { IMSD_OID_ROOT, 1, 3 };

static const void *srv_find(struct imsd *, const oid *, size_t, int, oid *,
		    size_t *);
static int	 srv_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);
static void	 srv_key(const void *, size_t, oid *, size_t *);
static int	 srv_grow(struct imsd *, size_t);
static int	 srv_cmp(const void *, const void *);

static struct mib_table srv_table = {
	"imsServerTable", srv_table_oid, OID_LENGTH(srv_table_oid),
	COL_SRV_DISPLAY, COL_SRV_HEARD, srv_find, srv_value, NULL
};

int
mib_servers_init(struct imsd *im)
{
	return mib_table_register(im, &srv_table);
}

static int
srv_grow(struct imsd *im, size_t n)
{
	uint32_t *a;
	size_t cap;

	if (n <= im->srv_cap)
		return 0;
	cap = im->srv_cap ? im->srv_cap : 64;
	while (cap < n)
		cap *= 2;
	if ((a = reallocarray(im->srv_sorted, cap, sizeof(*a))) == NULL)
		return -1;
	im->srv_sorted = a;
	im->srv_cap = cap;
	return 0;
}

static const struct store *srv_cmp_st;	/* for qsort */

static int
srv_cmp(const void *a, const void *b)
{
	const struct server *x, *y;

	x = store_server_by_index(srv_cmp_st, *(const uint32_t *)a);
	y = store_server_by_index(srv_cmp_st, *(const uint32_t *)b);
	return mib_oid_str_cmp(x->key, strlen(x->key), y->key,
	    strlen(y->key));
}

/* Take in the servers the store added since the last call. */
void
mib_servers_sync(struct imsd *im)
{
	const struct server *s, *o;
	size_t n, lo, hi, mid, kl;

	if (im->st == NULL)
		return;
	n = store_nservers(im->st);
	if (n > im->nsrv_sorted && srv_grow(im, n) != 0) {
		imsd_log(LOG_ERR, "server table: out of memory");
		return;
	}
	if (im->srv_gen != store_servers_gen(im->st)) {
		/* A slot changed hands: sort every server again. */
		for (im->nsrv_sorted = 0; im->nsrv_sorted < n;
		    im->nsrv_sorted++)
			im->srv_sorted[im->nsrv_sorted] =
			    store_server_at(im->st, im->nsrv_sorted)->index;
		srv_cmp_st = im->st;
		qsort(im->srv_sorted, n, sizeof(*im->srv_sorted), srv_cmp);
		im->srv_gen = store_servers_gen(im->st);
		return;
	}
	for (; im->nsrv_sorted < n; im->nsrv_sorted++) {
		s = store_server_at(im->st, im->nsrv_sorted);
		kl = strlen(s->key);
		lo = 0;
		hi = im->nsrv_sorted;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			o = store_server_by_index(im->st, im->srv_sorted[mid]);
			if (mib_oid_str_cmp(o->key, strlen(o->key), s->key,
			    kl) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(im->srv_sorted + lo + 1, im->srv_sorted + lo,
		    (im->nsrv_sorted - lo) * sizeof(*im->srv_sorted));
		im->srv_sorted[lo] = s->index;
	}
}

size_t
mib_server_oid(const struct server *s, oid *out, size_t max)
{
	return mib_oid_str(out, max, s->key, strlen(s->key));
}

static void
srv_key(const void *ctx, size_t i, oid *out, size_t *outlen)
{
	const struct imsd *im = ctx;
	const struct server *s;

	s = store_server_by_index(im->st, im->srv_sorted[i]);
	*outlen = mib_server_oid(s, out, MAX_OID_LEN);
}

static const void *
srv_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	size_t i;

	mib_servers_sync(im);
	if (im->nsrv_sorted == 0)
		return NULL;
	i = mib_search(im->nsrv_sorted, idx, idxlen, !exact, srv_key, im);
	if (i >= im->nsrv_sorted)
		return NULL;
	srv_key(im, i, out, outlen);
	if (exact && snmp_oid_compare(out, *outlen, idx, idxlen) != 0)
		return NULL;
	return store_server_by_index(im->st, im->srv_sorted[i]);
}

int
mib_server_value(struct imsd *im, const struct server *s, unsigned col,
    netsnmp_variable_list *vb)
{
	const struct fault *f = NULL;
	char buf[IMSD_TEXT_MAX];

	if (col >= COL_SRV_FAULT && col <= COL_SRV_REMEDY)
		f = mib_explaining(im->st, s);
	switch (col) {
	case COL_SRV_DISPLAY:
		mib_set_string(vb, s->name);
		break;
	case COL_SRV_STATUS:
		mib_set_int(vb, mib_status(s->status));
		break;
	case COL_SRV_PREV:
		mib_set_int(vb, mib_status(s->prev_status));
		break;
	case COL_SRV_CHANGED:
		mib_set_datetime(vb, s->status_time);
		break;
	case COL_SRV_LASTTIME:
		mib_set_datetime(vb, s->last_event_time);
		break;
	case COL_SRV_LASTID:
		mib_set_int(vb, s->last_event_id);
		break;
	case COL_SRV_OPEN:
		mib_set_unsigned(vb, ASN_GAUGE, s->open_faults);
		break;
	case COL_SRV_EVENTS:
		mib_set_counter64(vb, s->events);
		break;
	case COL_SRV_FAULT:
		mib_set_unsigned(vb, ASN_UNSIGNED, f != NULL ? f->index : 0);
		break;
	case COL_SRV_ARTICLE:
		mib_set_string(vb, f != NULL ? f->article : "");
		break;
	case COL_SRV_TITLE:
		buf[0] = '\0';
		if (f != NULL)
			mib_fault_title(im, f, buf, sizeof(buf));
		mib_set_string(vb, buf);
		break;
	case COL_SRV_SEVERITY:
		mib_set_int(vb, f != NULL ? mib_fault_severity(im, f) :
		    MIB_SEV_INDETERMINATE);
		break;
	case COL_SRV_REMEDY:
		if (f != NULL)
			return mib_fault_value(im, f, COL_F_REMEDY, vb);
		mib_set_string(vb, "");
		break;
	case COL_SRV_SEQGAPS:
		mib_set_counter64(vb, s->seq_gaps);
		break;
	case COL_SRV_SEQLOST:
		mib_set_counter64(vb, s->seq_lost);
		break;
	case COL_SRV_WHY:
		mib_set_string(vb, s->status_why);
		break;
	case COL_SRV_HEARD:
		mib_set_datetime(vb, s->heard);
		break;
	default:
		return -1;
	}
	return 0;
}

static int
srv_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	return mib_server_value(im, row, col, vb);
}
