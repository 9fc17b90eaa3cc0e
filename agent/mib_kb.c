/*
 * mib_kb: imsKbTable, the loaded knowledge base, indexed by article ID.
 * The KB is immutable once loaded; kb_sorted (article positions in MIB
 * index order) is rebuilt when a new KB is swapped in.
 */
#include "agent.h"
#include "util/sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const oid kb_table_oid[] = { IMSD_OID_ROOT, 1, 6 };

static const void *kbt_find(struct imsd *, const oid *, size_t, int, oid *,
		    size_t *);
static int	 kbt_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);
static void	 kbt_key(const void *, size_t, oid *, size_t *);
static int	 kbt_cmp(const struct kb *, uint32_t, uint32_t);

static struct mib_table kb_table = {
	"imsKbTable", kb_table_oid, OID_LENGTH(kb_table_oid),
	2, 9, kbt_find, kbt_value, NULL
};

int
mib_kb_init(struct imsd *im)
{
	return mib_table_register(im, &kb_table);
}

static int
kbt_cmp(const struct kb *kb, uint32_t a, uint32_t b)
{
	const struct kb_article *x = kb_article(kb, a), *y = kb_article(kb, b);

	return mib_oid_str_cmp(x->id, strlen(x->id), y->id, strlen(y->id));
}

/* Rebuild the MIB order for im->kb; 0, or -1 (ENOMEM: order kept). */
int
mib_kb_sort(struct imsd *im)
{
	uint32_t *a, v;
	size_t i, j, n = im->kb != NULL ? kb_narticles(im->kb) : 0;

	if ((a = calloc(n > 0 ? n : 1, sizeof(*a))) == NULL)
		return -1;
	/* Insertion sort: a KB holds hundreds of articles, not millions. */
	for (i = 0; i < n; i++) {
		v = (uint32_t)i;
		for (j = i; j > 0 && kbt_cmp(im->kb, a[j - 1], v) > 0; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
	free(im->kb_sorted);
	im->kb_sorted = a;
	im->nkb_sorted = n;
	return 0;
}

static void
kbt_key(const void *ctx, size_t i, oid *out, size_t *outlen)
{
	const struct imsd *im = ctx;
	const struct kb_article *a = kb_article(im->kb, im->kb_sorted[i]);

	*outlen = mib_oid_str(out, MAX_OID_LEN, a->id, strlen(a->id));
}

static const void *
kbt_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	size_t i;

	if (im->kb == NULL || im->nkb_sorted == 0)
		return NULL;
	i = mib_search(im->nkb_sorted, idx, idxlen, !exact, kbt_key, im);
	if (i >= im->nkb_sorted)
		return NULL;
	kbt_key(im, i, out, outlen);
	if (exact && snmp_oid_compare(out, *outlen, idx, idxlen) != 0)
		return NULL;
	return kb_article(im->kb, im->kb_sorted[i]);
}

static int
kbt_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	const struct kb_article *a = row;
	char buf[IMSD_TEXT_MAX];
	struct sbuf sb;
	size_t i;

	(void)im;
	switch (col) {
	case 2:
		mib_set_string(vb, a->title);
		break;
	case 3:
		mib_set_string(vb, a->versions);
		break;
	case 4:
		mib_set_int(vb, mib_severity(a->severity));
		break;
	case 5:
		mib_set_int(vb, mib_status(a->implies));
		break;
	case 6:
		mib_set_text(vb, a->cause, KB_TEXT_MAX);
		break;
	case 7:
		mib_set_text(vb, a->resolution, KB_TEXT_MAX);
		break;
	case 8:
		sbuf_init(&sb, buf, sizeof(buf));
		for (i = 0; i < a->nsee_also && i < KB_SEEALSO_MAX; i++)
			sbuf_printf(&sb, "%s%s", i > 0 ? "," : "",
			    a->see_also[i]);
		mib_set_string(vb, buf);
		break;
	case 9:
		mib_set_int(vb, (long)a->origin + 1);	/* ImsEntryOrigin */
		break;
	default:
		return -1;
	}
	return 0;
}
