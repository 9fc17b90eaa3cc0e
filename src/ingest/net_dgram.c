/*
 * net_dgram: UDP and unix datagram listeners: their recvmmsg(2) slots and
 * receive buffer, reading batches (one datagram, one record), the last
 * sender of each listener remembered, and the kernel's count of
 * datagrams dropped on a full buffer.
 */
/* recvmmsg(2), accept4(2), struct mmsghdr: GNU extensions. */
#define _GNU_SOURCE

#include "ingest/net_int.h"

#include <linux/sock_diag.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct sender *dgram_sender(struct net *, struct listener *,
		    const struct addr *, int *);
static void	dgram_one(struct net *, struct listener *, struct run *,
		    const struct mmsghdr *);

/*
 * Preallocate the recvmmsg(2) slots of a datagram listener.  Each
 * header points at its slot once and for all; a read resets only what
 * the kernel writes back (the address length).
 */
int
net_dgram_bufs(struct net *n, struct listener *l)
{
	size_t b = n->n_lim.nl_batch, i;
	struct msghdr *h;

	l->l_msg = calloc(b, sizeof(*l->l_msg));
	l->l_iov = calloc(b, sizeof(*l->l_iov));
	l->l_from = calloc(b, sizeof(*l->l_from));
	l->l_buf = malloc(b * n->n_lim.nl_maxrec);
	if (l->l_msg == NULL || l->l_iov == NULL || l->l_from == NULL ||
	    l->l_buf == NULL)
		return -1;
	for (i = 0; i < b; i++) {
		l->l_iov[i].iov_base = l->l_buf + i * n->n_lim.nl_maxrec;
		l->l_iov[i].iov_len = n->n_lim.nl_maxrec;
		h = &l->l_msg[i].msg_hdr;
		h->msg_name = &l->l_from[i];
		h->msg_namelen = sizeof(l->l_from[i]);
		h->msg_iov = &l->l_iov[i];
		h->msg_iovlen = 1;
	}
	return 0;
}

/*
 * A large receive buffer rides out bursts and a stalled AgentX master
 * (a few MB hold seconds of a busy site).  SO_RCVBUFFORCE passes rmem_max when we are
 * privileged; otherwise the kernel clamps SO_RCVBUF.  Best effort.
 */
void
net_dgram_rcvbuf(int fd, int bytes)
{
	if (bytes <= 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes,
	    sizeof(bytes)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes,
		    sizeof(bytes));
}

/*
 * The socket's count of datagrams the kernel dropped for want of buffer
 * space (SO_MEMINFO, SK_MEMINFO_DROPS: the counter SO_RXQ_OVFL would
 * attach to every datagram), read once a tick rather than carried by
 * each datagram: the kernel then writes no control message per datagram.
 */
void
net_dgram_drops(struct net *n, struct listener *l)
{
	uint32_t mi[SK_MEMINFO_VARS], v;
	socklen_t len = sizeof(mi);

	memset(mi, 0, sizeof(mi));
	if (getsockopt(l->l_src.s_fd, SOL_SOCKET, SO_MEMINFO, mi, &len) == -1 ||
	    len <= SK_MEMINFO_DROPS * sizeof(mi[0]))
		return;
	v = mi[SK_MEMINFO_DROPS];
	/* Unsigned: right across the counter's wrap too. */
	n->n_st.ns_kernel_drops += (uint32_t)(v - l->l_kdrops);
	l->l_st.nls_kernel_drops += (uint32_t)(v - l->l_kdrops);
	l->l_kdrops = v;
}

/*
 * The sender row of ad if the listener takes it (*ok), NULL if it has no
 * row.  A burst comes from few senders: the last one of the listener is
 * remembered with its verdict and its row, and the row is taken again as
 * long as it still holds that sender (its s_born unchanged).
 */
static struct sender *
dgram_sender(struct net *n, struct listener *l, const struct addr *ad,
    int *ok)
{
	struct sender *s;

	if (l->l_last_set && addr_eq(&l->l_last, ad)) {
		*ok = l->l_last_ok;
		s = l->l_last_s;
		if (!*ok || (s != NULL && s->s_used &&
		    s->s_born == l->l_last_born))
			return s;
	} else {
		*ok = net_peer_allowed(l, ad);
		l->l_last = *ad;
		l->l_last_ok = *ok;
		l->l_last_set = 1;
	}
	s = *ok ? sender_get(n->n_senders, ad, n->n_now) : NULL;
	l->l_last_s = s;
	l->l_last_born = s != NULL ? s->s_born : 0;
	return s;
}

/* One datagram read: refused, dropped or handed on, and counted. */
static void
dgram_one(struct net *n, struct listener *l, struct run *r,
    const struct mmsghdr *m)
{
	const struct msghdr *h = &m->msg_hdr;
	char text[NET_PEERLEN];
	const char *peer = "unix";
	struct sender *s = NULL;
	struct addr ad;
	int ok = 1;

	n->n_st.ns_datagrams++;
	memset(&ad, 0, sizeof(ad));
	ad.family = AF_UNIX;
	if (l->l_src.s_kind != SRC_UNIX) {
		ok = 0;
		if (h->msg_namelen > 0) {
			addr_from_sockaddr(h->msg_name, &ad);
			s = dgram_sender(n, l, &ad, &ok);
		}
	}
	if (h->msg_flags & MSG_TRUNC) {
		n->n_st.ns_oversize++;
		r->r_left--;
		if (s != NULL) {
			s->s_dropped++;
			net_last_set(n->n_st.ns_last_oversize, s->s_name);
		}
		return;
	}
	if (!ok) {
		/* No address (cannot happen on UDP): refused too. */
		if (h->msg_namelen > 0)
			net_peer_denied(l, &ad);
		n->n_st.ns_denied_dgrams++;
		l->l_st.nls_denied_dgrams++;
		r->r_left--;
		return;
	}
	if (l->l_src.s_kind != SRC_UNIX) {
		/* The row's name is addr_text() of the same address. */
		if (s != NULL)
			peer = s->s_name;
		else {
			addr_text(&ad, text, sizeof(text));
			peer = text;
		}
	}
	if (m->msg_len == 0) {
		r->r_left--;
		return;
	}
	net_deliver(n, l, r, h->msg_iov->iov_base, m->msg_len, &ad, peer, s);
}

/*
 * recvmmsg(2) until the socket is empty or the budget spent: each
 * datagram is one record (RFC 5426 §3.1).
 */
void
net_dgram_read(struct net *n, struct listener *l, struct run *r)
{
	unsigned int want, i;
	int got, first = 1;

	do {
		want = (unsigned int)(n->n_lim.nl_batch < (size_t)r->r_left ?
		    n->n_lim.nl_batch : (size_t)r->r_left);
		for (i = 0; i < want; i++)
			l->l_msg[i].msg_hdr.msg_namelen =
			    sizeof(l->l_from[i]);
		got = recvmmsg(l->l_src.s_fd, l->l_msg, want, MSG_DONTWAIT,
		    NULL);
		if (got <= 0) {
			if (first)
				r->r_left--;
			if (got == -1 && errno != EAGAIN &&
			    errno != EWOULDBLOCK && errno != EINTR)
				n->n_st.ns_read_errors++;
			return;
		}
		first = 0;
		for (i = 0; i < (unsigned int)got; i++)
			dgram_one(n, l, r, &l->l_msg[i]);
	} while ((unsigned int)got == want && r->r_left > 0);
}
