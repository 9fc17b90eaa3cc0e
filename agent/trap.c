/*
 * trap: the notifications' lifecycle and delivery.  trap_make.c turns
 * the store's transitions into encoded notifications in the ntfq queue;
 * this file starts and frees the queue, follows the AgentX master coming
 * and going, and sends.
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
#include "util/mono.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

/* The master's session (libnetsnmpagent exports it, no header does). */
extern netsnmp_session *main_session;

#define AGENTX_MSG_NOTIFY	12	/* RFC 2741 6.1; not installed */
#define TRAP_WINDOW		16	/* unanswered Notify PDUs */

/*
 * For the callbacks: snmp_shutdown() frees every callback's client
 * argument, so they get NULL and find the state here.
 */
static struct imsd *trap_im;
static int	 rate_armed;
static int	 hold_armed;

static int	 index_cb(int, int, void *, void *);
static int	 trap_answer(int, netsnmp_session *, int, netsnmp_pdu *,
		    void *);
static void	 rate_cb(unsigned int, void *);
static void	 hold_cb(unsigned int, void *);
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
		if (!ntf_rate_take(&im->rate, mono_us(), &wait)) {
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

	if ((vl = trap_blob_decode(it->ni_blob, it->ni_len)) == NULL)
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
