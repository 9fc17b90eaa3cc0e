/*
 * net_tcp: TCP connections: accepting them (allowlist, per-sender and
 * global limits, a spare fd for EMFILE), reading and framing their
 * streams, handing out whole records within the budget, closing them.
 */
/* recvmmsg(2), accept4(2), struct mmsghdr: GNU extensions. */
#define _GNU_SOURCE

#include "ingest/net_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void	conn_deliver(struct net *, struct conn *, struct run *,
		    struct span);
static void	conn_dropped(struct net *, struct conn *, uint64_t, char *);
static int	conn_flush(struct net *, struct conn *, struct run *);
static int	refuse_emfile(struct net *, int);

void
net_conn_pending(struct net *n, struct conn *c, int on)
{
	if (c->c_pending == on)
		return;
	c->c_pending = on;
	if (on)
		n->n_npending++;
	else
		n->n_npending--;
}

/* Removes c from n_conn by moving the last connection into its slot. */
void
net_conn_close(struct net *n, struct conn *c)
{
	struct conn *last;

	net_conn_pending(n, c, 0);
	if (c->c_sender != NULL && c->c_sender->s_open > 0)
		c->c_sender->s_open--;
	epoll_ctl(n->n_ep, EPOLL_CTL_DEL, c->c_src.s_fd, NULL);
	close(c->c_src.s_fd);
	last = n->n_conn[--n->n_nconn];
	n->n_conn[c->c_slot] = last;
	last->c_slot = c->c_slot;
	n->n_conn[n->n_nconn] = NULL;
	free(c);
}

static void
conn_deliver(struct net *n, struct conn *c, struct run *r, struct span rec)
{
	c->c_records++;
	net_deliver(n, c->c_l, r, rec.p, rec.n, &c->c_addr, c->c_peer,
	    c->c_sender);
}

/* k records of c's sender lost to a limit or bad framing; who, in last. */
static void
conn_dropped(struct net *n, struct conn *c, uint64_t k, char *last)
{
	if (k == 0)
		return;
	if (c->c_sender != NULL)
		c->c_sender->s_dropped += k;
	net_last_set(last, c->c_peer);
	(void)n;
}

/*
 * Hand out the complete records buffered on c, within the budget, and
 * keep the rest at the front of the buffer.  Returns -1 if c was closed
 * for bad framing.
 */
int
net_conn_drain(struct net *n, struct conn *c, struct run *r)
{
	struct span rec;
	uint64_t over;
	size_t off = 0;
	ssize_t k = 0;

	while (r->r_left > 0 && off < c->c_len) {
		over = c->c_fr.fr_oversize;
		k = frame_next(&c->c_fr, c->c_buf + off, c->c_len - off, &rec);
		n->n_st.ns_oversize += c->c_fr.fr_oversize - over;
		conn_dropped(n, c, c->c_fr.fr_oversize - over,
		    n->n_st.ns_last_oversize);
		if (k <= 0)
			break;
		off += (size_t)k;
		if (rec.n > 0)
			conn_deliver(n, c, r, rec);
	}
	if (k == -1) {
		n->n_st.ns_framing++;
		conn_dropped(n, c, 1, n->n_st.ns_last_framing);
		n->n_st.ns_tcp_closed++;
		net_conn_close(n, c);
		return -1;
	}
	if (off > 0) {
		memmove(c->c_buf, c->c_buf + off, c->c_len - off);
		c->c_len -= off;
	}
	net_conn_pending(n, c, r->r_left == 0 && c->c_len > 0);
	return 0;
}

/*
 * A tcp-evtsys sender went quiet with a record buffered: nothing will
 * end it but the next record, so end it now (frame_eof() on a live
 * stream; see frame.h), after the whole records before it.  Returns -1
 * if c was closed.
 */
static int
conn_flush(struct net *n, struct conn *c, struct run *r)
{
	struct span rec;
	uint64_t over;

	if (net_conn_drain(n, c, r) == -1)
		return -1;
	if (c->c_pending || r->r_left <= 0) {
		net_conn_pending(n, c, 1);	/* c_flush stays: next run */
		return 0;
	}
	c->c_flush = 0;
	if (c->c_len == 0)
		return 0;
	over = c->c_fr.fr_oversize;
	if (frame_eof(&c->c_fr, c->c_buf, c->c_len, &rec) != -1 && rec.n > 0)
		conn_deliver(n, c, r, rec);
	n->n_st.ns_oversize += c->c_fr.fr_oversize - over;
	conn_dropped(n, c, c->c_fr.fr_oversize - over,
	    n->n_st.ns_last_oversize);
	c->c_len = 0;
	return 0;
}

/* Returns -1 if c was closed. */
int
net_conn_read(struct net *n, struct conn *c, struct run *r)
{
	struct span rec;
	ssize_t k;

	if (c->c_pending) {
		if (net_conn_drain(n, c, r) == -1)
			return -1;
		if (c->c_pending)
			return 0;
	}
	/* FRAME_BUFSZ guarantees a full buffer framed; be safe anyway. */
	if (c->c_len >= n->n_bufsz) {
		n->n_st.ns_framing++;
		conn_dropped(n, c, 1, n->n_st.ns_last_framing);
		goto out_close;
	}
	k = read(c->c_src.s_fd, c->c_buf + c->c_len, n->n_bufsz - c->c_len);
	if (k == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
			/* Nothing more came: a quiet sender's record ends. */
			return c->c_flush ? conn_flush(n, c, r) : 0;
		}
		n->n_st.ns_read_errors++;
		goto out_close;
	}
	if (k == 0) {
		/* EOF: an LF-framed sender may omit the last trailer. */
		if (frame_eof(&c->c_fr, c->c_buf, c->c_len, &rec) == -1) {
			n->n_st.ns_framing++;
			conn_dropped(n, c, 1, n->n_st.ns_last_framing);
		}
		else if (rec.n > 0 && r->r_left > 0)
			conn_deliver(n, c, r, rec);
		goto out_close;
	}
	c->c_len += (size_t)k;
	c->c_last = n->n_now;
	/* It is not quiet after all: wait for the next tick. */
	c->c_flush = 0;
	return net_conn_drain(n, c, r);

out_close:
	n->n_st.ns_tcp_closed++;
	net_conn_close(n, c);
	return -1;
}

/*
 * Out of fds: the pending connection would keep the listener readable
 * forever.  Free the spare fd, accept and close the peer, take the spare
 * back (syslogd keeps a reserve for the same reason).
 */
static int
refuse_emfile(struct net *n, int lfd)
{
	int fd;

	if (n->n_reserve == -1)
		return -1;
	close(n->n_reserve);
	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) != -1) {
		close(fd);
		n->n_st.ns_tcp_refused++;
	}
	n->n_reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return 0;
}

void
net_tcp_accept(struct net *n, struct listener *l, struct run *r)
{
	struct sockaddr_storage ss;
	struct sender *s;
	struct addr ad;
	socklen_t sslen;
	struct conn *c;
	int fd;

	while (r->r_left > 0) {
		r->r_left--;
		sslen = sizeof(ss);
		fd = accept4(l->l_src.s_fd, (struct sockaddr *)&ss, &sslen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if ((errno != EMFILE && errno != ENFILE) ||
			    refuse_emfile(n, l->l_src.s_fd) == -1)
				n->n_st.ns_read_errors++;
			return;
		}
		addr_from_sockaddr((struct sockaddr *)&ss, &ad);
		if (!net_peer_allowed(l, &ad)) {
			net_peer_denied(l, &ad);
			close(fd);
			n->n_st.ns_denied_conns++;
			l->l_st.nls_denied_conns++;
			continue;
		}
		/*
		 * One sender may hold only so many connections, so that a
		 * few idle ones cannot take every slot from the others.
		 */
		s = sender_get(n->n_senders, &ad, n->n_now);
		if (s != NULL && s->s_open >= n->n_lim.nl_maxconn_src) {
			close(fd);
			s->s_refused++;
			n->n_st.ns_tcp_refused_src++;
			net_last_set(n->n_st.ns_last_refused, s->s_name);
			continue;
		}
		if (n->n_nconn >= n->n_lim.nl_maxconn ||
		    (c = malloc(sizeof(*c) + n->n_bufsz)) == NULL) {
			close(fd);
			n->n_st.ns_tcp_refused++;
			if (s != NULL) {
				s->s_refused++;
				net_last_set(n->n_st.ns_last_refused, s->s_name);
			}
			continue;
		}
		memset(c, 0, sizeof(*c));
		c->c_src.s_kind = SRC_CONN;
		c->c_src.s_fd = fd;
		c->c_l = l;
		c->c_last = n->n_now;
		frame_init(&c->c_fr, l->l_mode, n->n_lim.nl_maxrec);
		c->c_addr = ad;
		c->c_start = n->n_now;
		addr_text(&ad, c->c_peer, sizeof(c->c_peer));
		if (net_ep_add(n, &c->c_src) == -1) {
			close(fd);
			free(c);
			n->n_st.ns_tcp_refused++;
			continue;
		}
		c->c_slot = n->n_nconn;
		n->n_conn[n->n_nconn++] = c;
		n->n_st.ns_tcp_accepted++;
		if ((c->c_sender = s) != NULL) {
			s->s_open++;
			s->s_conns++;
			s->s_last = n->n_now;
		}
	}
}
