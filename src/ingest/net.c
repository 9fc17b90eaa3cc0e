/*
 * net: the loop over the listeners' epoll set (net_run), the clock and
 * the connections' timeouts (net_tick), making and freeing a struct net,
 * and its counters.  Listeners are made in net_listen.c, datagrams read
 * in net_dgram.c, TCP connections served in net_tcp.c.
 */
/* recvmmsg(2), accept4(2), struct mmsghdr: GNU extensions. */
#define _GNU_SOURCE

#include "ingest/net_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse/parse.h"

static int	limits_fill(struct net_limits *, const struct net_limits *);
static int	more_pending(struct net *);

static int
limits_fill(struct net_limits *lim, const struct net_limits *want)
{
	memset(lim, 0, sizeof(*lim));
	if (want != NULL)
		*lim = *want;
	if (lim->nl_maxrec == 0)
		lim->nl_maxrec = PARSE_MAXREC;
	if (lim->nl_maxconn == 0)
		lim->nl_maxconn = NET_DEF_MAXCONN;
	if (lim->nl_idle == 0)
		lim->nl_idle = NET_DEF_IDLE;
	if (lim->nl_rcvbuf == 0)
		lim->nl_rcvbuf = NET_DEF_RCVBUF;
	if (lim->nl_batch == 0)
		lim->nl_batch = NET_DEF_BATCH;
	if (lim->nl_maxconn_src == 0)
		lim->nl_maxconn_src = NET_DEF_MAXCONN_SRC;
	if (lim->nl_first == 0)
		lim->nl_first = NET_DEF_FIRST;
	if (lim->nl_senders == 0)
		lim->nl_senders = NET_DEF_SENDERS;
	if (lim->nl_maxrec > FRAME_MAXREC_LIMIT ||
	    lim->nl_maxconn > NET_MAXCONN_LIMIT || lim->nl_idle < 0 ||
	    lim->nl_rcvbuf < -1 || lim->nl_batch > NET_MAXBATCH ||
	    lim->nl_first < 0 || lim->nl_senders > 1000000) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

struct net *
net_new(const struct net_limits *want)
{
	struct net *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->n_ep = n->n_reserve = -1;
	if (limits_fill(&n->n_lim, want) == -1)
		goto out_free;
	n->n_bufsz = FRAME_BUFSZ(n->n_lim.nl_maxrec);
	n->n_now = NET_NOW_UNSET;
	n->n_conn = calloc(n->n_lim.nl_maxconn, sizeof(*n->n_conn));
	if (n->n_conn == NULL ||
	    (n->n_senders = sender_table_new(n->n_lim.nl_senders)) == NULL)
		goto out_free;
	if ((n->n_ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		goto out_free;
	/* Kept open so that EMFILE can still accept and close (below). */
	n->n_reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return n;

out_free:
	net_free(n);
	return NULL;
}

void
net_free(struct net *n)
{
	size_t i;
	int save = errno;

	if (n == NULL)
		return;
	while (n->n_nconn > 0)
		net_conn_close(n, n->n_conn[n->n_nconn - 1]);
	for (i = 0; i < n->n_nl; i++)
		net_listener_free(n->n_l[i]);
	if (n->n_ep != -1)
		close(n->n_ep);
	if (n->n_reserve != -1)
		close(n->n_reserve);
	free(n->n_conn);
	sender_table_free(n->n_senders);
	free(n);
	errno = save;
}

int
net_fd(const struct net *n)
{
	return n->n_ep;
}

void
net_stats(const struct net *n, struct net_stats *st)
{
	*st = n->n_st;
	st->ns_tcp_open = n->n_nconn;
}

const struct sender_table *
net_senders(const struct net *n)
{
	return n->n_senders;
}

int
net_listener_stats(const struct net *n, size_t i, struct net_lstats *st)
{
	if (i >= n->n_nl) {
		errno = ENOENT;
		return -1;
	}
	*st = n->n_l[i]->l_st;
	return 0;
}

static int
more_pending(struct net *n)
{
	struct epoll_event ev;

	if (n->n_npending > 0)
		return 1;
	return epoll_wait(n->n_ep, &ev, 1, 0) > 0;
}

int
net_run(struct net *n, int budget, net_record_fn *cb, void *arg)
{
	struct run r = { cb, arg, budget };
	struct src *s;
	size_t i;
	int nev, k, before;

	/*
	 * Records left buffered by an earlier call's budget go first, then
	 * the records quiet tcp-evtsys senders left unended.
	 */
	for (i = 0; i < n->n_nconn && n->n_npending > 0 && r.r_left > 0;) {
		struct conn *c = n->n_conn[i];

		if (c->c_pending && (c->c_flush ? net_conn_read(n, c, &r) :
		    net_conn_drain(n, c, &r)) == -1)
			continue;	/* closed: another conn is in slot i */
		i++;
	}
	while (r.r_left > 0) {
		k = r.r_left < NET_MAXEVENTS ? r.r_left : NET_MAXEVENTS;
		if ((nev = epoll_wait(n->n_ep, n->n_ev, k, 0)) == -1) {
			if (errno == EINTR)
				break;
			return -1;
		}
		if (nev == 0)
			break;
		for (k = 0; k < nev && r.r_left > 0; k++) {
			s = n->n_ev[k].data.ptr;
			before = r.r_left;
			switch (s->s_kind) {
			case SRC_UDP:
			case SRC_UNIX:
				net_dgram_read(n, (struct listener *)s, &r);
				break;
			case SRC_TCP:
				net_tcp_accept(n, (struct listener *)s, &r);
				break;
			case SRC_CONN:
				(void)net_conn_read(n, (struct conn *)s, &r);
				break;
			}
			/* Every event costs at least one unit. */
			if (r.r_left == before)
				r.r_left--;
		}
	}
	return r.r_left <= 0 ? more_pending(n) : n->n_npending > 0;
}

size_t
net_tick(struct net *n, int64_t now)
{
	struct conn *c;
	size_t i, closed = 0;

	n->n_now = now;
	for (i = 0; i < n->n_nl; i++)
		if (n->n_l[i]->l_src.s_kind != SRC_TCP)
			net_dgram_drops(n, n->n_l[i]);
	for (i = n->n_nconn; i-- > 0;) {
		c = n->n_conn[i];
		if (c->c_last == NET_NOW_UNSET) {
			c->c_last = now;	/* accepted before the first tick */
			c->c_start = now;
			continue;
		}
		/*
		 * A connection that has not sent one whole record soon after
		 * it was opened holds a slot for nothing: a real forwarder
		 * sends at once.
		 */
		if (c->c_records == 0 && c->c_start != NET_NOW_UNSET &&
		    now - c->c_start >= n->n_lim.nl_first) {
			if (c->c_sender != NULL)
				c->c_sender->s_refused++;
			net_last_set(n->n_st.ns_last_first, c->c_peer);
			net_conn_close(n, c);
			n->n_st.ns_tcp_first++;
			closed++;
		} else if (now - c->c_last >= n->n_lim.nl_idle) {
			net_conn_close(n, c);
			n->n_st.ns_tcp_idle++;
			closed++;
		} else if (c->c_fr.fr_mode == FRAME_CONCAT && c->c_len > 0 &&
		    c->c_last < now) {
			c->c_flush = 1;
			net_conn_pending(n, c, 1);
		}
	}
	return closed;
}
