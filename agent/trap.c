/*
 * trap: the store's transition stream -> notifications, through a queue
 * that never blocks on the master and never loses one silently.  What a
 * notification says comes from the column-value functions the tables use
 * (mib_fault_value(), mib_server_value()), so traps and tables agree.
 *
 * Making.  OPENED (diagnosed or ambiguous), REFINED and CLEARED faults
 * and STATUS changes (silent or not) each make one notification naming
 * the server (imsServerDisplayName, whose instance is the server table's
 * index; snmpTrapAddress.0 when its records come from an IPv4 address),
 * the fault's article, title, severity, remedy and origin, and the
 * transition's sequence number and time (imsNtfLogTime.SEQ).  A repeat
 * (UPDATED) makes nothing: the fault's count and last-seen time say it;
 * nor does the same notification for the same server and article within
 * trapHoldDown seconds.  The store tells of a fault before the engine
 * has filled in its confidence and candidates, and of a status change
 * before the fault that explains it, so transitions wait in one pending
 * list, in transition order, until trap_flush() (once the records at
 * hand are done): notifications then carry final values.  A fault opened
 * and refined in one batch makes one notification (diagnosed, with the
 * opening's sequence number); one opened and cleared in one batch makes
 * none; a clearing flushes what waits before it, so order holds.
 *
 * Queueing.  Each notification is encoded at once (its values as they
 * are now) into the ntfq queue (bounded by maxQueuedNotifications; on
 * overflow the oldest goes, counted and logged).  The notification log
 * (imsNtfLogTable) is the state's (src/state), or ours in memory when
 * the state is off.
 *
 * Sending (trap_pump(), after every turn of the main loop).  A
 * notification waits in the queue until a commit of the state covers the
 * transition it tells of (state_glue_hold()), so a fault an NMS heard of
 * is on disk: the commit is made at once, or, when one was made less
 * than stateGroupCommit ms ago, a timer comes back for it, and everything
 * queued meanwhile shares that commit (group commit).  As an AgentX
 * subagent we build the AgentX Notify PDUs ourselves rather than call
 * send_v2trap(): each gets an answer from the master, and at most
 * TRAP_WINDOW are unanswered at a time.  The AgentX socket is
 * non-blocking, so a master that stops reading costs queue
 * space, never a blocked process; a send the socket refuses stays
 * queued.  (A loop of send_v2trap() calls on a blocking socket is what
 * deadlocks: both sides block in sendto(), each with the other's answers
 * unread.)  The rate limit (trapRateLimit per second, 0 none) spaces
 * sends and defers the rest, in order; a timer comes back for them.
 * While the master is away notifications stay queued; on its return,
 * those sent but unanswered are sent again (delivery is at least once:
 * the sequence number lets a receiver drop a duplicate) and one
 * imsMonResync summary follows the backlog.  A notification sent and not
 * answered in time while the session stays up is not sent again: the
 * master has it in its socket buffer and will deliver it when it reads
 * (the library's own retransmissions are off for the same reason).  As a
 * master agent we hand each notification to send_v2trap(): the sinks are
 * UDP, and informsink/trapsess -Ci give acknowledged delivery.
 */
#include "agent.h"
#include "diag/verdict.h"

#include <arpa/inet.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

/* The master's session (libnetsnmpagent exports it, no header does). */
extern netsnmp_session *main_session;

#define AGENTX_MSG_NOTIFY	12	/* RFC 2741 6.1; not installed */
#define TRAP_WINDOW		16	/* unanswered Notify PDUs */
#define TRAP_BLOB_MAX		8192	/* one encoded notification */
#define PENDING_MAX		1024

static const oid snmptrap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid ntf_base[] = { IMSD_OID_ROOT, 0 };
static const oid fault_entry[] = { IMSD_OID_ROOT, 1, 4, 1 };
static const oid srv_entry[] = { IMSD_OID_ROOT, 1, 3, 1 };
static const oid log_time_col[] = { IMSD_OID_ROOT, 1, 8, 11, 1, 2 };
static const oid open_faults_oid[] = { IMSD_OID_ROOT, 1, 1, 6, 0 };
static const oid last_seq_oid[] = { IMSD_OID_ROOT, 1, 8, 1, 0 };
static const oid last_change_oid[] = { IMSD_OID_ROOT, 1, 8, 2, 0 };

/*
 * Notifications waiting for trap_flush(), in transition order: a fault's
 * (index is the fault's) or a server's status change (index is the
 * server's), with the sequence number and time of the transition.
 */
struct pending {
	uint32_t	 index;
	enum trap_kind	 kind;
	uint64_t	 seq;
	int64_t		 wall;
};
static struct pending pend[PENDING_MAX];
static size_t	 npend;
/*
 * For the callbacks: snmp_shutdown() frees every callback's client
 * argument, so they get NULL and find the state here.
 */
static struct imsd *trap_im;
static int	 rate_armed;
static int	 hold_armed;

static int	 trap_admit(struct imsd *, enum trap_kind, uint32_t,
		    const char *);
static void	 trap_fault(struct imsd *, enum trap_kind,
		    const struct fault *, uint64_t, int64_t);
static void	 trap_status(struct imsd *, const struct server *,
		    uint64_t, int64_t);
static int	 add_col(struct imsd *, netsnmp_variable_list **, const oid *,
		    size_t, unsigned, const oid *, size_t, const void *, int);
static int	 index_cb(int, int, void *, void *);
static void	 pend_add(struct imsd *, enum trap_kind, uint32_t,
		    const struct store_trans *);
static int	 pend_drop_fault(uint32_t);
static int	 trap_answer(int, netsnmp_session *, int, netsnmp_pdu *,
		    void *);
static void	 rate_cb(unsigned int, void *);
static void	 hold_cb(unsigned int, void *);
static int	 trap_enqueue(struct imsd *, enum trap_kind,
		    netsnmp_variable_list *, struct ntf_log_entry *);
static int	 trap_send(struct imsd *, struct ntfq_item *);

/* Before init_snmp(), which connects to the master. */
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

/* After the configuration is read: the queue, the log, the summary. */
int
trap_start(struct imsd *im)
{
	ntf_rate_init(&im->rate, im->conf.trap_rate);
	/* Sequence numbers go on from the restored state's. */
	if (im->st != NULL)
		im->ntf_seq = store_seq(im->st);
	if ((im->ntfq = ntfq_new(im->conf.max_queued)) == NULL ||
	    (im->ntflog = ntf_log_new(im->conf.ntf_log_size)) == NULL) {
		imsd_log(LOG_ERR, "notification queue: out of memory");
		return -1;
	}
	if (im->connected)
		trap_resync(im);
	return 0;
}

void
trap_free(struct imsd *im)
{
	ntfq_free(im->ntfq);
	im->ntfq = NULL;
	ntf_log_free(im->ntflog);
	im->ntflog = NULL;
	trap_im = NULL;
}

/*
 * The AgentX session came up or went down.  Up: a non-blocking socket,
 * no library retransmissions (they would be duplicates; an unanswered
 * Notify is still in the master's socket buffer), and the summary.
 * Down: what was sent and not answered goes out again after the return.
 */
static int
index_cb(int major, int minor, void *server_arg, void *client_arg)
{
	struct imsd *im = trap_im;
	netsnmp_transport *t;
	size_t n;
	int fl;

	(void)major;
	(void)server_arg;
	(void)client_arg;
	if (im == NULL || im->master)
		return 0;
	if (minor == SNMPD_CALLBACK_INDEX_STOP) {
		im->connected = 0;
		if (im->ntfq == NULL)
			return 0;
		n = ntfq_requeue(im->ntfq);
		imsd_log(LOG_WARNING, "AgentX master lost: notifications are "
		    "queued until it is back (%zu waiting, %zu to send again)",
		    ntfq_waiting(im->ntfq) - n, n);
		return 0;
	}
	if (main_session != NULL) {
		t = snmp_sess_transport(snmp_sess_pointer(main_session));
		if (t != NULL && (fl = fcntl(t->sock, F_GETFL)) != -1)
			(void)fcntl(t->sock, F_SETFL, fl | O_NONBLOCK);
		main_session->retries = 0;
	}
	im->connected = 1;
	im->connects++;
	if (im->ntfq == NULL)		/* trap_start() sends the summary */
		return 0;
	imsd_log(LOG_INFO, "AgentX master connected; %zu notification%s "
	    "queued", ntfq_waiting(im->ntfq),
	    ntfq_waiting(im->ntfq) == 1 ? "" : "s");
	trap_resync(im);
	return 0;
}

void
trap_observer(void *arg, const struct store_trans *t, const struct fault *f,
    const struct server *s)
{
	struct imsd *im = arg;

	switch (t->kind) {
	case STORE_EV_OPENED:
		pend_add(im, verdict_diagnosed(f) ? TRAP_DIAGNOSED :
		    TRAP_AMBIGUOUS, f->index, t);
		break;
	case STORE_EV_REFINED:
		pend_add(im, TRAP_REFINED, f->index, t);
		break;
	case STORE_EV_CLEARED:
		if (pend_drop_fault(f->index)) {
			im->traps_suppressed++;
			break;
		}
		/* Now, while the fault is sure to exist; in order. */
		trap_flush(im);
		trap_fault(im, TRAP_CLEARED, f, t->seq, t->wall);
		break;
	case STORE_EV_UPDATED:
		/* The hold-down: a repeat updates the row, nothing is sent. */
		im->traps_suppressed++;
		break;
	case STORE_EV_STATUS:
		if (s != NULL)
			pend_add(im, TRAP_STATUS, s->index, t);
		break;
	default:
		/* Acks and server bookkeeping notify nobody. */
		break;
	}
}

/*
 * Wait for the end of the batch.  A fault or server already waiting keeps
 * its place and sequence number; a fault opened and refined before
 * anyone heard is one notification, diagnosed.
 */
static void
pend_add(struct imsd *im, enum trap_kind kind, uint32_t index,
    const struct store_trans *t)
{
	int is_status = kind == TRAP_STATUS;
	size_t i;

	for (i = 0; i < npend; i++) {
		if (pend[i].index != index ||
		    (pend[i].kind == TRAP_STATUS) != is_status)
			continue;
		if (kind == TRAP_REFINED && pend[i].kind == TRAP_AMBIGUOUS)
			pend[i].kind = TRAP_DIAGNOSED;
		im->traps_suppressed++;
		return;
	}
	if (npend >= PENDING_MAX)
		trap_flush(im);		/* make room, in order */
	pend[npend].index = index;
	pend[npend].kind = kind;
	pend[npend].seq = t->seq;
	pend[npend].wall = t->wall;
	npend++;
}

/* Drop a waiting notification of a fault; 1 if there was one. */
static int
pend_drop_fault(uint32_t index)
{
	size_t i;

	for (i = 0; i < npend; i++)
		if (pend[i].index == index && pend[i].kind != TRAP_STATUS) {
			memmove(&pend[i], &pend[i + 1],
			    (npend - i - 1) * sizeof(pend[0]));
			npend--;
			return 1;
		}
	return 0;
}

/* Make what waited while the records at hand were processed. */
void
trap_flush(struct imsd *im)
{
	struct pending p[PENDING_MAX];
	const struct server *s;
	const struct fault *f;
	size_t i, n;

	/* Making may come back here (a full list): take the list first. */
	n = npend;
	memcpy(p, pend, n * sizeof(p[0]));
	npend = 0;
	for (i = 0; i < n; i++) {
		if (p[i].kind == TRAP_STATUS) {
			if ((s = store_server_by_index(im->st, p[i].index)) !=
			    NULL)
				trap_status(im, s, p[i].seq, p[i].wall);
		} else if ((f = store_fault_by_index(im->st, p[i].index)) !=
		    NULL)
			trap_fault(im, p[i].kind, f, p[i].seq, p[i].wall);
	}
}

/* The hold-down: may this notification be made? */
static int
trap_admit(struct imsd *im, enum trap_kind kind, uint32_t server,
    const char *article)
{
	int64_t now = imsd_now();
	struct imsd_hold *h;
	size_t i;

	if (im->conf.holddown <= 0)
		return 1;
	for (i = 0; i < im->nhold; i++) {
		h = &im->hold[i];
		if (h->kind == (int)kind && h->server == server &&
		    strcmp(h->article, article) == 0 &&
		    now - h->when < im->conf.holddown) {
			im->traps_suppressed++;
			return 0;
		}
	}
	h = &im->hold[im->hold_next];
	im->hold_next = (im->hold_next + 1) % IMSD_HOLD_MAX;
	if (im->nhold < IMSD_HOLD_MAX)
		im->nhold++;
	h->kind = (int)kind;
	h->server = server;
	memcpy(h->article, article, sizeof(h->article));
	h->article[sizeof(h->article) - 1] = '\0';
	h->when = now;
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

/* snmpTrapOID.0 = imsMonNotifications.kind, the first varbind. */
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

/*
 * snmpTrapAddress.0 (RFC 3584): the sender of the server's records, where
 * it is an IPv4 address (the object has no room for another).
 */
static int
add_address(struct imsd *im, netsnmp_variable_list **vl, uint32_t server)
{
	static const oid trap_addr_oid[] = { 1, 3, 6, 1, 6, 3, 18, 1, 3, 0 };
	const struct server *s = store_server_by_index(im->st, server);
	struct in_addr a;

	if (s == NULL || inet_pton(AF_INET, s->addr, &a) != 1)
		return 0;
	return snmp_varlist_add_variable(vl, trap_addr_oid,
	    OID_LENGTH(trap_addr_oid), ASN_IPADDRESS, (u_char *)&a,
	    sizeof(a)) == NULL ? -1 : 0;
}

/* The server's display name, instance its table index: who it is about. */
static int
add_server(struct imsd *im, netsnmp_variable_list **vl, uint32_t server)
{
	const struct server *s = store_server_by_index(im->st, server);
	oid inst[MAX_OID_LEN];
	size_t ilen;

	if (s == NULL)
		return 0;
	if ((ilen = mib_server_oid(s, inst, MAX_OID_LEN -
	    OID_LENGTH(srv_entry) - 1)) == 0)
		return -1;
	return add_col(im, vl, srv_entry, OID_LENGTH(srv_entry),
	    COL_SRV_DISPLAY, inst, ilen, s, 0);
}

static void
trap_fault(struct imsd *im, enum trap_kind kind, const struct fault *f,
    uint64_t seq, int64_t wall)
{
	static const unsigned common[] = { COL_F_SERVER, COL_F_ARTICLE,
	    COL_F_TITLE, COL_F_SEVERITY, COL_F_REMEDY };
	netsnmp_variable_list *vl = NULL;
	const struct server *s;
	struct ntf_log_entry le;
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
	if (rc == 0)
		rc = add_server(im, &vl, f->server);
	if (rc == 0)
		rc = add_address(im, &vl, f->server);
	memset(&le, 0, sizeof(le));
	le.nl_seq = seq;
	le.nl_time = wall;
	le.nl_kind = kind;
	le.nl_fault = f->index;
	s = store_server_by_index(im->st, f->server);
	snprintf(le.nl_server, sizeof(le.nl_server), "%s",
	    s != NULL ? s->name : f->host);
	snprintf(le.nl_article, sizeof(le.nl_article), "%s", f->article);
	if (rc == 0 && trap_enqueue(im, kind, vl, &le) == 0) {
		imsd_log(LOG_NOTICE, "fault %u %s: server %s article %s "
		    "(notification %llu)", (unsigned)f->index,
		    kind == TRAP_DIAGNOSED ? "diagnosed" :
		    kind == TRAP_AMBIGUOUS ? "ambiguous" : kind ==
		    TRAP_REFINED ? "refined" : "cleared",
		    imsd_esc(host, sizeof(host), f->host),
		    f->article[0] != '\0' ? f->article : "(none yet)",
		    (unsigned long long)le.nl_seq);
	} else if (rc != 0) {
		imsd_log(LOG_ERR, "notification for fault %u not built",
		    (unsigned)f->index);
	}
	snmp_free_varbind(vl);
}

static void
trap_status(struct imsd *im, const struct server *s, uint64_t seq,
    int64_t wall)
{
	enum trap_kind kind = s->status == IMS_STATUS_SILENT ? TRAP_SILENT :
	    TRAP_STATUS;
	static const unsigned cols[] = { COL_SRV_DISPLAY, COL_SRV_STATUS,
	    COL_SRV_PREV, COL_SRV_FAULT, COL_SRV_ARTICLE, COL_SRV_TITLE,
	    COL_SRV_SEVERITY, COL_SRV_REMEDY };
	netsnmp_variable_list *vl = NULL;
	struct ntf_log_entry le;
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
	rc = send_start(&vl, kind);
	for (i = 0; rc == 0 && i < sizeof(cols) / sizeof(cols[0]); i++)
		rc = add_col(im, &vl, srv_entry, OID_LENGTH(srv_entry),
		    cols[i], inst, ilen, s, 0);
	if (rc == 0)
		rc = add_address(im, &vl, s->index);
	memset(&le, 0, sizeof(le));
	le.nl_seq = seq;
	le.nl_time = wall;
	le.nl_kind = kind;
	snprintf(le.nl_server, sizeof(le.nl_server), "%s", s->name);
	if (rc == 0 && trap_enqueue(im, kind, vl, &le) == 0)
		imsd_log(LOG_NOTICE, "server %s: IMS status %s (was %s) "
		    "(notification %llu)", imsd_esc(name, sizeof(name),
		    s->name), ims_status_name(s->status),
		    ims_status_name(s->prev_status),
		    (unsigned long long)le.nl_seq);
	snmp_free_varbind(vl);
}

/*
 * The summary after every (re)connect, behind the backlog: how many
 * faults are open and the last notification's sequence number, so a
 * receiver that missed some knows to read imsNtfLogTable.
 */
void
trap_resync(struct imsd *im)
{
	netsnmp_variable_list *vl = NULL, *vb;
	uint64_t open = 0;
	uint32_t last = (uint32_t)im->ntf_seq;
	size_t i;
	int rc;

	if (im->st != NULL)
		for (i = 0; i < store_nservers(im->st); i++)
			open += store_server_at(im->st, i)->open_faults;
	if (open > UINT32_MAX)
		open = UINT32_MAX;
	rc = send_start(&vl, TRAP_RESYNC);
	if (rc == 0 && (vb = snmp_varlist_add_variable(&vl, open_faults_oid,
	    OID_LENGTH(open_faults_oid), ASN_NULL, NULL, 0)) != NULL)
		mib_set_unsigned(vb, ASN_GAUGE, (uint32_t)open);
	else
		rc = -1;
	if (rc == 0 && (vb = snmp_varlist_add_variable(&vl, last_seq_oid,
	    OID_LENGTH(last_seq_oid), ASN_NULL, NULL, 0)) != NULL)
		mib_set_unsigned(vb, ASN_UNSIGNED, last);
	else
		rc = -1;
	if (rc == 0 && (vb = snmp_varlist_add_variable(&vl, last_change_oid,
	    OID_LENGTH(last_change_oid), ASN_NULL, NULL, 0)) != NULL)
		mib_set_datetime(vb, im->last_change);
	else
		rc = -1;
	if (rc != 0 || trap_enqueue(im, TRAP_RESYNC, vl, NULL) != 0)
		imsd_log(LOG_ERR, "resync notification not built");
	snmp_free_varbind(vl);
}

/*
 * One varbind list -> bytes: per varbind, the name's length (one byte),
 * the name, the type (one byte), the value's length (two bytes), the
 * value.  Only this process reads it back, so host order is fine.
 */
static size_t
blob_encode(const netsnmp_variable_list *vl, uint8_t *buf, size_t bufsz)
{
	size_t n = 0, need;
	uint16_t vlen;
	uint8_t nlen;

	for (; vl != NULL; vl = vl->next_variable) {
		if (vl->name_length > 255 || vl->val_len > 65535)
			return 0;
		need = 1 + vl->name_length * sizeof(oid) + 1 + 2 + vl->val_len;
		if (need > bufsz - n)
			return 0;
		nlen = (uint8_t)vl->name_length;
		vlen = (uint16_t)vl->val_len;
		buf[n++] = nlen;
		memcpy(buf + n, vl->name, nlen * sizeof(oid));
		n += nlen * sizeof(oid);
		buf[n++] = vl->type;
		memcpy(buf + n, &vlen, 2);
		n += 2;
		if (vlen > 0)
			memcpy(buf + n, vl->val.string, vlen);
		n += vlen;
	}
	return n;
}

static netsnmp_variable_list *
blob_decode(const uint8_t *buf, size_t len)
{
	netsnmp_variable_list *vl = NULL;
	oid name[255];
	size_t n = 0;
	uint16_t vlen;
	uint8_t nlen, type;

	while (n < len) {
		nlen = buf[n++];
		memcpy(name, buf + n, nlen * sizeof(oid));
		n += nlen * sizeof(oid);
		type = buf[n++];
		memcpy(&vlen, buf + n, 2);
		n += 2;
		if (snmp_varlist_add_variable(&vl, name, nlen, type,
		    vlen > 0 ? buf + n : NULL, vlen) == NULL) {
			snmp_free_varbind(vl);
			return NULL;
		}
		n += vlen;
	}
	return vl;
}

/*
 * Give the notification its sequence number and time, log it, queue it.
 * vl starts with snmpTrapOID.0; imsNtfLogTime.SEQ is added to it.
 */
static int
trap_enqueue(struct imsd *im, enum trap_kind kind, netsnmp_variable_list *vl,
    struct ntf_log_entry *le)
{
	uint8_t *blob;
	oid name[MAX_OID_LEN];
	netsnmp_variable_list *vb;
	uint64_t seq = 0, dropped = 0;
	int64_t now = imsd_now();
	size_t n, len = OID_LENGTH(log_time_col);
	int rc;

	if (le != NULL) {
		seq = le->nl_seq;
		if (le->nl_time == 0)
			le->nl_time = now;
		memcpy(name, log_time_col, sizeof(log_time_col));
		name[len++] = (oid)(uint32_t)seq;
		if ((vb = snmp_varlist_add_variable(&vl, name, len, ASN_NULL,
		    NULL, 0)) == NULL)
			return -1;
		mib_set_datetime(vb, le->nl_time);
		ntf_log_add(im->ntflog, le);
		if (seq > im->ntf_seq)
			im->ntf_seq = seq;
		im->ntf_made++;
		im->last_change = le->nl_time;
	}
	if ((blob = malloc(TRAP_BLOB_MAX)) == NULL)
		return -1;
	if ((n = blob_encode(vl, blob, TRAP_BLOB_MAX)) == 0) {
		free(blob);
		imsd_log(LOG_ERR, "notification %llu too big to queue",
		    (unsigned long long)seq);
		return -1;
	}
	rc = ntfq_push(im->ntfq, seq, now, kind, blob, n, &dropped);
	free(blob);
	if (rc < 0) {
		imsd_log(LOG_ERR, "notification %llu not queued: out of "
		    "memory", (unsigned long long)seq);
		return -1;
	}
	if (rc == 1) {
		/* One line a second at most, with how many went. */
		if (now != im->overflow_logged) {
			imsd_log(LOG_WARNING, "notification queue full "
			    "(maxQueuedNotifications %zu): dropped the oldest, "
			    "%llu so far (the last: sequence %llu); they stay "
			    "in imsNtfLogTable", ntfq_max(im->ntfq),
			    (unsigned long long)
			    ntfq_stats(im->ntfq)->nq_overflow,
			    (unsigned long long)dropped);
			im->overflow_logged = now;
		}
	}
	return 0;
}

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Hand queued notifications to the master while the window, the socket
 * and the rate limit allow.  Never blocks.
 */
void
trap_pump(struct imsd *im)
{
	struct ntfq_item *it;
	struct timeval tv;
	int64_t wait = 0, hold;

	trap_flush(im);
	if (im->ntfq == NULL || !im->connected ||
	    ntfq_next(im->ntfq) == NULL)
		return;
	while ((it = ntfq_next(im->ntfq)) != NULL) {
		if (!im->master && ntfq_outstanding(im->ntfq) >= TRAP_WINDOW)
			break;
		/* What it tells of is on disk before anyone hears. */
		if ((hold = state_glue_hold(im, it->ni_seq)) > 0) {
			if (!hold_armed) {
				tv.tv_sec = hold / 1000;
				tv.tv_usec = (hold % 1000) * 1000;
				if (snmp_alarm_register_hr(tv, 0, hold_cb,
				    NULL) != 0)
					hold_armed = 1;
			}
			break;
		}
		if (!ntf_rate_take(&im->rate, now_us(), &wait)) {
			if (!rate_armed) {
				tv.tv_sec = wait / 1000000;
				tv.tv_usec = wait % 1000000;
				if (snmp_alarm_register_hr(tv, 0, rate_cb,
				    NULL) != 0)
					rate_armed = 1;
			}
			im->traps_deferred++;
			break;
		}
		if (trap_send(im, it) != 0)
			break;
	}
}

static void
hold_cb(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	hold_armed = 0;
	if (trap_im != NULL)
		trap_pump(trap_im);
}

static void
rate_cb(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	rate_armed = 0;
	if (trap_im != NULL)
		trap_pump(trap_im);
}

static int
trap_send(struct imsd *im, struct ntfq_item *it)
{
	netsnmp_variable_list *vl;
	netsnmp_pdu *pdu;

	if ((vl = blob_decode(it->ni_blob, it->ni_len)) == NULL)
		return -1;
	if (im->master) {
		send_v2trap(vl);
		snmp_free_varbind(vl);
		ntfq_sent(im->ntfq, it);
		(void)ntfq_done(im->ntfq, it->ni_id, 1);
		im->traps_sent++;
		return 0;
	}
	if (main_session == NULL ||
	    (pdu = snmp_pdu_create(AGENTX_MSG_NOTIFY)) == NULL) {
		snmp_free_varbind(vl);
		return -1;
	}
	pdu->sessid = main_session->sessid;
	pdu->variables = vl;
	if (snmp_async_send(main_session, pdu, trap_answer,
	    (void *)(uintptr_t)it->ni_id) == 0) {
		/* EAGAIN: the socket is full; it stays queued. */
		snmp_free_pdu(pdu);
		main_session->s_snmp_errno = 0;
		im->traps_blocked++;
		return -1;
	}
	ntfq_sent(im->ntfq, it);
	im->traps_sent++;
	return 0;
}

/* The master's answer to one Notify, or its absence. */
static int
trap_answer(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *rsp,
    void *arg)
{
	struct imsd *im = trap_im;
	uint64_t id = (uint64_t)(uintptr_t)arg;

	(void)sess;
	(void)reqid;
	if (im == NULL || im->ntfq == NULL)
		return 1;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		if (rsp != NULL && rsp->errstat != SNMP_ERR_NOERROR) {
			im->traps_refused++;
			(void)ntfq_done(im->ntfq, id, 0);
		} else
			(void)ntfq_done(im->ntfq, id, 1);
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		(void)ntfq_done(im->ntfq, id, 0);
		break;
	default:
		/* SEND_FAILED: trap_send() saw it; a disconnect requeues. */
		break;
	}
	return 1;
}
