/*
 * net_dgram: UDP and unix datagram listeners: their recvmmsg(2) slots and
 * receive buffer, reading a batch (one datagram, one record), and the
 * kernel's count of datagrams dropped on a full buffer.
 */
/* recvmmsg(2), accept4(2), struct mmsghdr: GNU extensions. */
#define _GNU_SOURCE

#include "ingest/net_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void	kernel_drops(struct net *, struct listener *, struct msghdr *);

/* Preallocate the recvmmsg(2) slots of a datagram listener. */
int
net_dgram_bufs(struct net *n, struct listener *l)
{
	size_t b = n->n_lim.nl_batch, i;

	l->l_msg = calloc(b, sizeof(*l->l_msg));
	l->l_iov = calloc(b, sizeof(*l->l_iov));
	l->l_from = calloc(b, sizeof(*l->l_from));
	l->l_buf = malloc(b * n->n_lim.nl_maxrec);
	l->l_ctl = calloc(b, NET_CTL_LEN);
	if (l->l_msg == NULL || l->l_iov == NULL || l->l_from == NULL ||
	    l->l_buf == NULL || l->l_ctl == NULL)
		return -1;
	for (i = 0; i < b; i++) {
		l->l_iov[i].iov_base = l->l_buf + i * n->n_lim.nl_maxrec;
		l->l_iov[i].iov_len = n->n_lim.nl_maxrec;
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
	int one = 1;

	/*
	 * Datagrams the kernel drops on a full buffer are counted, and the
	 * count comes with each datagram read (ns_kernel_drops).
	 */
	(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	if (bytes <= 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes,
	    sizeof(bytes)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes,
		    sizeof(bytes));
}

/*
 * The socket's count of datagrams the kernel dropped for want of buffer
 * space, as of this datagram (SO_RXQ_OVFL; absent while it is 0).
 */
static void
kernel_drops(struct net *n, struct listener *l, struct msghdr *h)
{
	struct cmsghdr *c;
	uint32_t v;

	for (c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SO_RXQ_OVFL ||
		    c->cmsg_len < CMSG_LEN(sizeof(v)))
			continue;
		memcpy(&v, CMSG_DATA(c), sizeof(v));
		/* Unsigned: right across the counter's wrap too. */
		n->n_st.ns_kernel_drops += (uint32_t)(v - l->l_kdrops);
		l->l_st.nls_kernel_drops += (uint32_t)(v - l->l_kdrops);
		l->l_kdrops = v;
	}
}

/* One recvmmsg(2): each datagram is one record (RFC 5426 §3.1). */
void
net_dgram_read(struct net *n, struct listener *l, struct run *r)
{
	char peer[NET_PEERLEN];
	struct msghdr *h;
	struct sender *s;
	struct addr ad;
	unsigned int want, i;
	int got;

	want = (unsigned int)(n->n_lim.nl_batch < (size_t)r->r_left ?
	    n->n_lim.nl_batch : (size_t)r->r_left);
	for (i = 0; i < want; i++) {
		h = &l->l_msg[i].msg_hdr;
		memset(h, 0, sizeof(*h));
		h->msg_name = &l->l_from[i];
		h->msg_namelen = sizeof(l->l_from[i]);
		h->msg_iov = &l->l_iov[i];
		h->msg_iovlen = 1;
		h->msg_control = l->l_ctl + i * NET_CTL_LEN;
		h->msg_controllen = NET_CTL_LEN;
	}
	got = recvmmsg(l->l_src.s_fd, l->l_msg, want, MSG_DONTWAIT, NULL);
	if (got <= 0) {
		r->r_left--;
		if (got == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			n->n_st.ns_read_errors++;
		return;
	}
	for (i = 0; i < (unsigned int)got; i++) {
		h = &l->l_msg[i].msg_hdr;
		n->n_st.ns_datagrams++;
		kernel_drops(n, l, h);
		memset(&ad, 0, sizeof(ad));
		ad.family = AF_UNIX;
		if (l->l_src.s_kind != SRC_UNIX && h->msg_namelen > 0)
			addr_from_sockaddr(h->msg_name, &ad);
		if (h->msg_flags & MSG_TRUNC) {
			n->n_st.ns_oversize++;
			r->r_left--;
			if (l->l_src.s_kind != SRC_UNIX &&
			    net_peer_allowed(l, &ad) &&
			    (s = sender_get(n->n_senders, &ad, n->n_now)) !=
			    NULL) {
				s->s_dropped++;
				net_last_set(n->n_st.ns_last_oversize, s->s_name);
			}
			continue;
		}
		if (l->l_src.s_kind == SRC_UNIX)
			snprintf(peer, sizeof(peer), "unix");
		else if (h->msg_namelen == 0 || !net_peer_allowed(l, &ad)) {
			/* No address (cannot happen on UDP): refused too. */
			if (h->msg_namelen > 0)
				net_peer_denied(l, &ad);
			n->n_st.ns_denied_dgrams++;
			l->l_st.nls_denied_dgrams++;
			r->r_left--;
			continue;
		} else
			addr_text(&ad, peer, sizeof(peer));
		if (l->l_msg[i].msg_len == 0) {
			r->r_left--;
			continue;
		}
		s = l->l_src.s_kind == SRC_UNIX ? NULL :
		    sender_get(n->n_senders, &ad, n->n_now);
		net_deliver(n, l, r, l->l_iov[i].iov_base, l->l_msg[i].msg_len,
		    &ad, peer, s);
	}
}
