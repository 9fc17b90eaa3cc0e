/*
 * reader: the syslog listeners read by a thread of their own, so that
 * ingest never waits for the AgentX master.  Net-SNMP is not thread-safe
 * and its AgentX ping, close and reconnect block the SNMP thread for up
 * to timeout x (retries + 1) each while a master hangs: everything
 * Net-SNMP (and the diagnosis engine, the store, the traps) stays on
 * that one thread, and this thread only moves bytes.
 *
 *   reader thread: poll(net_fd) -> net_run() -> records copied into a
 *       bounded byte ring (ingestQueueSize) -> one write to an eventfd;
 *       net_tick() once a second.  When the ring has no room for a
 *       record of the largest size it stops reading: the sockets' own
 *       buffers fill, and what the kernel drops there is counted
 *       (SO_MEMINFO, imsDropTable netKernelDrops), never lost unseen.
 *   SNMP thread: the eventfd, registered once with register_readfd(),
 *       wakes reader_drain(), which hands at most IMSD_DRAIN_BUDGET
 *       records to the deliver function (ingest's) and comes back
 *       through a 0 s alarm for the rest, so SNMP requests are served
 *       in between.
 *
 * struct net belongs to the thread while it runs; the SNMP thread reads
 * its counters under reader_lock().  Signals go to the SNMP thread: the
 * reader blocks them all.
 */
#include "agent.h"

#include <sys/eventfd.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/addr.h"

#define IMSD_DRAIN_BUDGET	256	/* records per wakeup */
#define READER_POLL_MS		200
#define READER_RUN_MAX		512	/* records per net_run() */
#define READER_NAP_NS		500000	/* after a run that emptied the
					   sockets: let the next ones gather */
#define RQ_WRAP			UINT32_MAX	/* header: go back to 0 */

/* One record in the ring, then its bytes, padded to 8. */
struct rq_hdr {
	uint32_t	 len;
	uint32_t	 listener;
	int64_t		 when;		/* the reader's clock on arrival */
	uint64_t	 born;		/* sender row and its occupant */
	uint32_t	 sender;
	struct addr	 addr;
	char		 peer[NET_PEERLEN];
};

struct reader {
	struct imsd	*im;
	pthread_t	 thread;
	int		 started;
	int		 efd;
	volatile int	 stop;
	pthread_mutex_t	 net_lock;	/* struct net and its counters */
	pthread_mutex_t	 q_lock;	/* the ring's head and tail */
	uint8_t		*ring;
	size_t		 size;
	size_t		 head;		/* next read (SNMP thread) */
	size_t		 tail;		/* next write (reader thread) */
	size_t		 w_used;	/* reader thread: written, not yet */
	uint64_t	 w_queued;	/* published (reader_publish) */
	size_t		 used;		/* bytes, headers and padding in */
	size_t		 max_used;	/* high-water mark */
	uint64_t	 queued, delivered;
	int		 again_armed;
	int64_t		 clock;		/* reader thread: one reading a run */
	reader_deliver_fn *deliver;	/* ingest's, on the SNMP thread */
};

static struct reader rd = {
	.efd = -1,
	.net_lock = PTHREAD_MUTEX_INITIALIZER,
	.q_lock = PTHREAD_MUTEX_INITIALIZER
};

static void	*reader_main(void *);
static void	 reader_push(void *, const uint8_t *, size_t,
		    const struct net_from *);
static void	 reader_publish(struct reader *);
static void	 reader_wake(int, void *);
static void	 reader_again(unsigned int, void *);

static size_t
rq_need(size_t len)
{
	return (sizeof(struct rq_hdr) + len + 7) & ~(size_t)7;
}

/* After ingest_start() made the listeners: the thread takes them over. */
int
reader_start(struct imsd *im, reader_deliver_fn *deliver)
{
	sigset_t all, old;
	int rc;

	rd.im = im;
	rd.deliver = deliver;
	rd.size = im->conf.ingest_queue;
	if ((rd.ring = malloc(rd.size)) == NULL) {
		imsd_log(LOG_ERR, "ingest queue of %zu bytes: out of memory",
		    rd.size);
		return -1;
	}
	if ((rd.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		imsd_log(LOG_ERR, "eventfd: %s", strerror(errno));
		return -1;
	}
	if (register_readfd(rd.efd, reader_wake, im) != FD_REGISTERED_OK) {
		imsd_log(LOG_ERR, "cannot register the ingest queue");
		return -1;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&rd.thread, NULL, reader_main, &rd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		imsd_log(LOG_ERR, "cannot start the syslog reader: %s",
		    strerror(rc));
		return -1;
	}
	rd.started = 1;
	return 0;
}

void
reader_stop(struct imsd *im)
{
	(void)im;
	if (rd.started) {
		rd.stop = 1;
		pthread_join(rd.thread, NULL);
		rd.started = 0;
	}
	if (rd.efd != -1) {
		unregister_readfd(rd.efd);
		close(rd.efd);
		rd.efd = -1;
	}
	free(rd.ring);
	rd.ring = NULL;
}

void
reader_lock(void)
{
	if (rd.started)
		pthread_mutex_lock(&rd.net_lock);
}

void
reader_unlock(void)
{
	if (rd.started)
		pthread_mutex_unlock(&rd.net_lock);
}

/* Bytes in the ring now and at most, records through it. */
void
reader_stats(size_t *used, size_t *max_used, size_t *size,
    uint64_t *queued)
{
	pthread_mutex_lock(&rd.q_lock);
	*used = rd.used;
	*max_used = rd.max_used;
	*size = rd.size;
	*queued = rd.queued;
	pthread_mutex_unlock(&rd.q_lock);
}

/* Room for n more records of the largest size, as a budget. */
static int
reader_budget(void)
{
	size_t free_bytes, one = rq_need(rd.im->conf.net.nl_maxrec > 0 ?
	    rd.im->conf.net.nl_maxrec : PARSE_MAXREC);
	size_t n;

	pthread_mutex_lock(&rd.q_lock);
	free_bytes = rd.size - rd.used;
	pthread_mutex_unlock(&rd.q_lock);
	/* Twice: a record may have to skip the end of the ring. */
	n = free_bytes / one;
	n = n >= 2 ? n - 1 : 0;
	return n > READER_RUN_MAX ? READER_RUN_MAX : (int)n;
}

static void *
reader_main(void *arg)
{
	struct reader *r = arg;
	struct pollfd pfd;
	const struct timespec nap = { 0, READER_NAP_NS };
	uint64_t one = 1;
	int64_t last_tick = 0, now;
	int pending = 0, budget, rc, ticked;

	pfd.fd = net_fd(r->im->net);
	pfd.events = POLLIN;
	while (!r->stop) {
		if ((budget = reader_budget()) == 0) {
			/* Full: the SNMP thread is behind; let it catch up. */
			(void)poll(NULL, 0, 10);
			continue;
		}
		if (!pending)
			(void)poll(&pfd, 1, READER_POLL_MS);
		pthread_mutex_lock(&r->net_lock);
		r->clock = now = imsd_now();
		/*
		 * The tick first: what the run reads is stamped with this
		 * second (a sender heard before the first tick would keep
		 * "never" as its last-heard time).
		 */
		ticked = now != last_tick;
		if (ticked) {
			net_tick(r->im->net, now);
			last_tick = now;
		}
		rc = net_run(r->im->net, budget, reader_push, r);
		if (ticked)
			rc = 1;		/* a quiet evtsys record may be due */
		pthread_mutex_unlock(&r->net_lock);
		pending = rc == 1;
		if (r->w_queued == 0)
			continue;
		reader_publish(r);
		/* A failed write: the counter is full, a wakeup is due. */
		if (write(r->efd, &one, sizeof(one)) < 0)
			continue;
		/*
		 * Records came and the sockets are empty: traffic flows.  A
		 * short nap lets the next batch gather in the socket buffer
		 * (it holds thousands of datagrams), so that each wakeup of
		 * this thread and of the SNMP thread moves many records
		 * rather than the one or two that woke poll().
		 */
		if (!pending)
			(void)nanosleep(&nap, NULL);
	}
	return NULL;
}

/*
 * In the reader thread, under net_lock: one record into the ring.  The
 * budget left room for it, and only this thread writes past tail, so
 * nothing is locked here: the bytes are published with reader_publish()
 * once the run is over.
 */
static void
reader_push(void *arg, const uint8_t *rec, size_t n,
    const struct net_from *from)
{
	struct reader *r = arg;
	struct rq_hdr h;
	size_t need = rq_need(n), tail = r->tail, plen;
	const char *peer = from->nf_peer != NULL ? from->nf_peer : "";
	uint32_t w = RQ_WRAP;

	h.len = (uint32_t)n;
	h.when = r->clock;
	h.listener = (uint32_t)from->nf_listener;
	h.sender = from->nf_sender;
	h.born = from->nf_born;
	if (from->nf_addr != NULL)
		h.addr = *from->nf_addr;
	else
		memset(&h.addr, 0, sizeof(h.addr));
	plen = strnlen(peer, sizeof(h.peer) - 1);
	memcpy(h.peer, peer, plen);
	h.peer[plen] = '\0';
	if (r->size - tail < need) {
		/* Not enough before the end: mark it and start over at 0. */
		if (r->size - tail >= sizeof(w))
			memcpy(r->ring + tail, &w, sizeof(w));
		r->w_used += r->size - tail;
		tail = 0;
	}
	/* The header up to its peer's NUL, then the record. */
	memcpy(r->ring + tail, &h, offsetof(struct rq_hdr, peer) + plen + 1);
	memcpy(r->ring + tail + sizeof(h), rec, n);
	r->tail = tail + need == r->size ? 0 : tail + need;
	r->w_used += need;
	r->w_queued++;
}

/* In the reader thread: what reader_push() wrote, to the SNMP thread. */
static void
reader_publish(struct reader *r)
{
	pthread_mutex_lock(&r->q_lock);
	r->used += r->w_used;
	if (r->used > r->max_used)
		r->max_used = r->used;
	r->queued += r->w_queued;
	pthread_mutex_unlock(&r->q_lock);
	r->w_used = 0;
	r->w_queued = 0;
}

/*
 * In the SNMP thread: hand queued records to the engine.  What was
 * published is read once; the room the records took is given back once,
 * at the end.
 */
void
reader_drain(struct imsd *im)
{
	struct net_from from;
	struct rq_hdr h;
	struct addr ad;
	size_t head, avail, freed = 0, k, need;
	uint64_t done = 0;
	uint32_t w;

	pthread_mutex_lock(&rd.q_lock);
	head = rd.head;
	avail = rd.used;
	pthread_mutex_unlock(&rd.q_lock);
	for (k = 0; k < IMSD_DRAIN_BUDGET && avail > 0; k++) {
		if (rd.size - head < sizeof(uint32_t) ||
		    (memcpy(&w, rd.ring + head, sizeof(w)), w == RQ_WRAP) ||
		    rd.size - head < sizeof(h)) {
			avail -= rd.size - head;
			freed += rd.size - head;
			head = 0;
			continue;
		}
		memcpy(&h, rd.ring + head, sizeof(h));
		ad = h.addr;
		from.nf_peer = h.peer;
		from.nf_addr = &ad;
		from.nf_listener = h.listener;
		from.nf_sender = h.sender;
		from.nf_born = h.born;
		rd.deliver(im, rd.ring + head + sizeof(h), h.len, &from,
		    h.when);
		need = rq_need(h.len);
		head = head + need == rd.size ? 0 : head + need;
		avail -= need;
		freed += need;
		done++;
	}
	trap_flush(im);
	pthread_mutex_lock(&rd.q_lock);
	rd.head = head;
	rd.used -= freed;
	rd.delivered += done;
	avail = rd.used;
	pthread_mutex_unlock(&rd.q_lock);
	if (avail > 0 && !rd.again_armed &&
	    snmp_alarm_register(0, 0, reader_again, im) != 0)
		rd.again_armed = 1;
}

static void
reader_wake(int fd, void *arg)
{
	uint64_t v;

	/* Nothing read: a wakeup with nothing to say; drain all the same. */
	if (read(fd, &v, sizeof(v)) < 0)
		v = 0;
	reader_drain(arg);
}

static void
reader_again(unsigned int reg, void *arg)
{
	(void)reg;
	rd.again_armed = 0;
	reader_drain(arg);
}
