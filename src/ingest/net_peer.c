/*
 * net_peer: what every kind of listener shares: the epoll set, who may
 * send, and handing a record on with its sender's counters.
 */
/* recvmmsg(2), accept4(2), struct mmsghdr: GNU extensions. */
#define _GNU_SOURCE

#include "ingest/net_int.h"

#include <stdio.h>
#include <string.h>

/* s (a listener or a connection) into the epoll set, readable. */
int
net_ep_add(struct net *n, struct src *s)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = s;
	return epoll_ctl(n->n_ep, EPOLL_CTL_ADD, s->s_fd, &ev);
}

/* The allowlist, or loopback when there is none. */
int
net_peer_allowed(const struct listener *l, const struct addr *ad)
{
	size_t i;

	if (ad->family != AF_INET && ad->family != AF_INET6)
		return 0;
	if (l->l_nallow == 0)
		return addr_is_loopback(ad);
	for (i = 0; i < l->l_nallow; i++)
		if (addr_in_range(&l->l_allow[i], ad))
			return 1;
	return 0;
}

/* Remember who was refused last, for the caller's rate-limited log. */
void
net_peer_denied(struct listener *l, const struct addr *ad)
{
	addr_text(ad, l->l_st.nls_last_denied, sizeof(l->l_st.nls_last_denied));
}

void
net_deliver(struct net *n, struct listener *l, struct run *r, const uint8_t *rec,
    size_t len, const struct addr *ad, const char *peer, struct sender *s)
{
	struct net_from from;

	if (s != NULL) {
		s->s_records++;
		s->s_bytes += len;
		s->s_last = n->n_now;
	}
	n->n_st.ns_records++;
	l->l_st.nls_records++;
	r->r_left--;
	from.nf_peer = peer;
	from.nf_listener = l->l_index;
	from.nf_addr = ad;
	from.nf_sender = s != NULL ? s->s_index : 0;
	from.nf_born = s != NULL ? s->s_born : 0;
	r->r_cb(r->r_arg, rec, len, &from);
}

/* Who caused it, for the caller's rate-limited log line. */
void
net_last_set(char *dst, const char *peer)
{
	snprintf(dst, NET_PEERLEN, "%s", peer);
}
