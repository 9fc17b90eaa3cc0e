/*
 * mib_faults: imsFaultTable (with its writable acknowledge and clear
 * columns) and imsCandidateTable, both served straight from the store's
 * fault array, which is ordered by fault index.
 *
 * SETs follow the agent's phases (RESERVE1, RESERVE2, ACTION, COMMIT,
 * UNDO/FREE).  Everything that can fail is checked in RESERVE1, so a PDU
 * with one bad varbind changes nothing.  No fault pointer is held between
 * phases: every phase looks the fault up again by index.  A clear is not
 * done inside the PDU at all: clearing may evict an old cleared fault that
 * another varbind of the same PDU names, so COMMIT queues it and a 0 s
 * alarm does it right after.
 */
#include "agent.h"
#include "diag/verdict.h"
#include "util/sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACTION_NOOP	1
#define ACTION_CLEAR	2
#define TV_TRUE		1
#define TV_FALSE	2

static const oid fault_table_oid[] = { IMSD_OID_ROOT, 1, 4 };
static const oid cand_table_oid[] = { IMSD_OID_ROOT, 1, 5 };

struct cand_row {
	const struct fault *f;
	size_t		 rank;		/* from 1 */
};

static const void *fault_find(struct imsd *, const oid *, size_t, int,
		    oid *, size_t *);
static int	 fault_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);
static int	 fault_set(struct imsd *, netsnmp_agent_request_info *,
		    netsnmp_request_info *, unsigned, const oid *, size_t);
static void	 fault_key(const void *, size_t, oid *, size_t *);
static const void *cand_find(struct imsd *, const oid *, size_t, int,
		    oid *, size_t *);
static int	 cand_value(struct imsd *, const void *, unsigned,
		    netsnmp_variable_list *);
static void	 clear_pending(unsigned int, void *);
static int	 queue_clear(struct imsd *, uint32_t);

static struct mib_table fault_table = {
	"imsFaultTable", fault_table_oid, OID_LENGTH(fault_table_oid),
	COL_F_SERVER, COL_F_ORIGIN, fault_find, fault_value, fault_set
};

static struct mib_table cand_table = {
	"imsCandidateTable", cand_table_oid, OID_LENGTH(cand_table_oid),
	2, 5, cand_find, cand_value, NULL
};

/* The row cand_find() hands to cand_value(): one thread, one request. */
static struct cand_row cand_cur;

int
mib_faults_init(struct imsd *im)
{
	if (mib_table_register(im, &fault_table) != 0 ||
	    mib_table_register(im, &cand_table) != 0)
		return -1;
	return 0;
}

static void
fault_key(const void *ctx, size_t i, oid *out, size_t *outlen)
{
	const struct imsd *im = ctx;

	out[0] = store_fault_at(im->st, i)->index;
	*outlen = 1;
}

static const void *
fault_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	const struct fault *f;
	size_t i, n;

	if (im->st == NULL)
		return NULL;
	if (exact) {
		if (idxlen != 1 || idx[0] == 0 || idx[0] > UINT32_MAX)
			return NULL;
		f = store_fault_by_index(im->st, (uint32_t)idx[0]);
	} else {
		n = store_nfaults(im->st);
		i = mib_search(n, idx, idxlen, 1, fault_key, im);
		f = i < n ? store_fault_at(im->st, i) : NULL;
	}
	if (f == NULL)
		return NULL;
	out[0] = f->index;
	*outlen = 1;
	return f;
}

/* Title, severity and remedy are the core's (diag/verdict.h). */
void
mib_fault_title(struct imsd *im, const struct fault *f, char *buf,
    size_t bufsz)
{
	verdict_title(im->kb, f, buf, bufsz);
}

long
mib_fault_severity(struct imsd *im, const struct fault *f)
{
	int sev = verdict_severity(im->kb, f);

	return sev == VERDICT_SEV_NONE ? MIB_SEV_INDETERMINATE :
	    mib_severity((enum kb_severity)sev);
}

static void
fault_evidence(const struct fault *f, char *buf, size_t bufsz)
{
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb, buf, bufsz);
	for (i = 0; i < f->nevidence && i < STORE_EVIDENCE_MAX; i++)
		sbuf_printf(&sb, "%s%u", i > 0 ? "," : "",
		    (unsigned)f->evidence[i]);
}

static const char *
fault_server(struct imsd *im, const struct fault *f)
{
	const struct server *s = store_server_by_index(im->st, f->server);

	return s != NULL ? s->key : f->host;
}

int
mib_fault_value(struct imsd *im, const struct fault *f, unsigned col,
    netsnmp_variable_list *vb)
{
	char buf[IMSD_TEXT_MAX];

	switch (col) {
	case COL_F_SERVER:
		mib_set_string(vb, fault_server(im, f));
		break;
	case COL_F_ARTICLE:
		mib_set_string(vb, f->article);
		break;
	case COL_F_TITLE:
		mib_fault_title(im, f, buf, sizeof(buf));
		mib_set_string(vb, buf);
		break;
	case COL_F_STATE:
		mib_set_int(vb, f->state);
		break;
	case COL_F_SEVERITY:
		mib_set_int(vb, mib_fault_severity(im, f));
		break;
	case COL_F_CONFIDENCE:
		mib_set_unsigned(vb, ASN_UNSIGNED,
		    f->confidence > 100 ? 100 : f->confidence);
		break;
	case COL_F_COUNT:
		mib_set_counter64(vb, f->count);
		break;
	case COL_F_FIRST:
		mib_set_datetime(vb, f->first_seen);
		break;
	case COL_F_LAST:
		mib_set_datetime(vb, f->last_seen);
		break;
	case COL_F_EVIDENCE:
		fault_evidence(f, buf, sizeof(buf));
		mib_set_string(vb, buf);
		break;
	case COL_F_CANDIDATES:
		mib_set_unsigned(vb, ASN_UNSIGNED, (uint32_t)f->ncands);
		break;
	case COL_F_REMEDY:
		verdict_remedy(im->kb, f, buf, sizeof(buf));
		mib_set_string(vb, buf);
		break;
	case COL_F_ORIGIN:
		mib_set_int(vb, (long)verdict_origin(im->kb, f) + 1);
		break;
	case COL_F_REASON:
		mib_set_int(vb, f->state == FAULT_CLEARED ? f->reason :
		    CLEAR_NONE);
		break;
	case COL_F_CLEARED:
		mib_set_datetime(vb, f->state == FAULT_CLEARED ?
		    f->cleared_at : 0);
		break;
	case COL_F_ACKED:
		mib_set_int(vb, f->acked ? TV_TRUE : TV_FALSE);
		break;
	case COL_F_ACTION:
		mib_set_int(vb, ACTION_NOOP);
		break;
	default:
		return -1;
	}
	return 0;
}

static int
fault_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	return mib_fault_value(im, row, col, vb);
}

static int
fault_set(struct imsd *im, netsnmp_agent_request_info *ri,
    netsnmp_request_info *r, unsigned col, const oid *idx, size_t idxlen)
{
	netsnmp_variable_list *vb = r->requestvb;
	const struct fault *f = NULL;
	int rc;

	if (im->st != NULL && idxlen == 1 && idx[0] > 0 && idx[0] <= UINT32_MAX)
		f = store_fault_by_index(im->st, (uint32_t)idx[0]);
	switch (ri->mode) {
	case MODE_SET_RESERVE1:
		if (col != COL_F_ACKED && col != COL_F_ACTION)
			rc = f != NULL ? SNMP_ERR_NOTWRITABLE :
			    SNMP_ERR_NOCREATION;
		else if (f == NULL)
			rc = SNMP_ERR_NOCREATION;
		else if (col == COL_F_ACKED)
			rc = netsnmp_check_vb_truthvalue(vb);
		else
			rc = netsnmp_check_vb_int_range(vb, ACTION_NOOP,
			    ACTION_CLEAR);
		if (rc != SNMP_ERR_NOERROR)
			netsnmp_set_request_error(ri, r, rc);
		break;
	case MODE_SET_RESERVE2:
	case MODE_SET_ACTION:
	case MODE_SET_UNDO:
	case MODE_SET_FREE:
		/* Nothing is applied before COMMIT, so nothing to undo. */
		break;
	case MODE_SET_COMMIT:
		/* The fault can only be gone if it was cleared and evicted. */
		if (f == NULL)
			break;
		if (col == COL_F_ACKED) {
			store_fault_ack(im->st, f, *vb->val.integer == TV_TRUE,
			    imsd_now());
			imsd_log(LOG_INFO, "fault %u %sacknowledged over SNMP",
			    (unsigned)f->index,
			    *vb->val.integer == TV_TRUE ? "" : "un");
		} else if (*vb->val.integer == ACTION_CLEAR &&
		    f->state != FAULT_CLEARED && queue_clear(im, f->index) != 0)
			netsnmp_set_request_error(ri, r,
			    SNMP_ERR_COMMITFAILED);
		break;
	default:
		break;
	}
	return 0;
}

static int
queue_clear(struct imsd *im, uint32_t index)
{
	uint32_t *p;
	size_t cap;

	if (im->npending == im->pending_cap) {
		cap = im->pending_cap ? im->pending_cap * 2 : 16;
		if ((p = reallocarray(im->pending_clear, cap,
		    sizeof(*p))) == NULL)
			return -1;
		im->pending_clear = p;
		im->pending_cap = cap;
	}
	im->pending_clear[im->npending++] = index;
	if (!im->pending_alarm) {
		if (snmp_alarm_register(0, 0, clear_pending, im) == 0) {
			im->npending--;
			return -1;
		}
		im->pending_alarm = 1;
	}
	return 0;
}

/* After the SET: clear what it asked for; the observer sends the traps. */
static void
clear_pending(unsigned int reg, void *arg)
{
	struct imsd *im = arg;
	const struct fault *f;
	int64_t now = imsd_now();
	char host[NORM_HOST_MAX];
	size_t i;

	(void)reg;
	im->pending_alarm = 0;
	for (i = 0; i < im->npending; i++) {
		f = store_fault_by_index(im->st, im->pending_clear[i]);
		if (f == NULL || f->state == FAULT_CLEARED)
			continue;
		imsd_log(LOG_NOTICE, "fault %u (%s %s) cleared over SNMP",
		    (unsigned)f->index, imsd_esc(host, sizeof(host), f->host),
		    f->article[0] ? f->article : "ambiguous");
		store_fault_clear(im->st, f, CLEAR_OPERATOR, now, now);
	}
	im->npending = 0;
	/* The main loop sends the notifications (trap_pump()). */
}

/* Candidates: index (fault index, rank). */
static const void *
cand_find(struct imsd *im, const oid *idx, size_t idxlen, int exact,
    oid *out, size_t *outlen)
{
	const struct fault *f;
	size_t i, n, rank = 1;
	oid key[1];

	if (im->st == NULL)
		return NULL;
	if (exact) {
		if (idxlen != 2 || idx[0] == 0 || idx[0] > UINT32_MAX ||
		    (f = store_fault_by_index(im->st, (uint32_t)idx[0])) ==
		    NULL || idx[1] == 0 || idx[1] > f->ncands)
			return NULL;
		rank = idx[1];
	} else {
		n = store_nfaults(im->st);
		i = 0;
		if (idxlen > 0) {
			key[0] = idx[0];
			i = mib_search(n, key, 1, 0, fault_key, im);
			/* Same fault: the next rank after the one asked. */
			if (i < n && store_fault_at(im->st, i)->index == idx[0]) {
				if (idxlen == 1)
					rank = 1;
				else if (idx[1] < STORE_CANDS_MAX)
					rank = idx[1] + 1;
				else
					rank = STORE_CANDS_MAX + 1;
			}
		}
		for (f = NULL; i < n; i++, rank = 1) {
			f = store_fault_at(im->st, i);
			if (rank <= f->ncands)
				break;
		}
		if (i >= n)
			return NULL;
	}
	cand_cur.f = f;
	cand_cur.rank = rank;
	out[0] = f->index;
	out[1] = rank;
	*outlen = 2;
	return &cand_cur;
}

static int
cand_value(struct imsd *im, const void *row, unsigned col,
    netsnmp_variable_list *vb)
{
	const struct cand_row *cr = row;
	const struct store_cand *c = &cr->f->cands[cr->rank - 1];
	const struct kb_article *a = NULL;
	double score;

	switch (col) {
	case 2:
		mib_set_string(vb, c->article);
		break;
	case 3:
		if (im->kb != NULL)
			a = kb_find(im->kb, c->article);
		mib_set_string(vb, a != NULL ? a->title : "");
		break;
	case 4:
		score = c->score * 100.0 + 0.5;
		mib_set_unsigned(vb, ASN_UNSIGNED, score <= 0 ? 0 :
		    score >= 4294967295.0 ? UINT32_MAX : (uint32_t)score);
		break;
	case 5:
		mib_set_string(vb, c->decide);
		break;
	default:
		return -1;
	}
	return 0;
}
