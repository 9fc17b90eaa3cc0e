/* recvmmsg(2) and accept4(2) are GNU extensions. */
#define _GNU_SOURCE

#include "ingest/net.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/addr.h"
#include "ingest/frame.h"
#include "ingest/sender.h"
#include "ingest/spec.h"
#include "parse/parse.h"
#include "util/sbuf.h"
#include "util/span.h"

#define NET_MAXEVENTS	64
#define NET_MAXBATCH	1024
#define NET_MAXCONN_LIMIT 65536
#define NET_NOW_UNSET	INT64_MIN

enum src_kind {
	SRC_UDP,
	SRC_TCP,
	SRC_UNIX,
	SRC_CONN
};

/* What an epoll event points at: the first member of both structs below. */
struct src {
	enum src_kind	 s_kind;
	int		 s_fd;
};

struct listener {
	struct src		 l_src;
	size_t			 l_index;	/* net_listen() order */
	enum frame_mode		 l_mode;	/* TCP: how streams are cut */
	int			 l_family;	/* AF_INET, AF_INET6, AF_UNIX */
	struct addr_range	 l_allow[NET_MAXALLOW];
	size_t			 l_nallow;	/* 0: loopback only */
	struct net_lstats	 l_st;
	char			 l_name[NET_NAMELEN];
	char			 l_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t			 l_dev;		/* the socket we bound at l_path */
	ino_t			 l_ino;
	struct mmsghdr		*l_msg;		/* datagram listeners: */
	struct iovec		*l_iov;		/* nl_batch slots of */
	struct sockaddr_storage	*l_from;	/* nl_maxrec bytes each */
	uint8_t			*l_buf;
	uint8_t			*l_ctl;		/* SO_RXQ_OVFL, per slot */
	uint32_t		 l_kdrops;	/* the socket's count so far */
};

/* Room for the SO_RXQ_OVFL control message of one datagram. */
#define NET_CTL_LEN	CMSG_SPACE(sizeof(uint32_t))

struct conn {
	struct src	 c_src;
	struct listener	*c_l;		/* accepted on */
	size_t		 c_slot;	/* index in n_conn */
	struct frame	 c_fr;
	int64_t		 c_last;	/* last read, caller's clock */
	int		 c_pending;	/* records may be left in c_buf */
	int		 c_flush;	/* concat: quiet, end the last record */
	size_t		 c_len;
	struct addr	 c_addr;
	struct sender	*c_sender;	/* NULL: not tracked */
	int64_t		 c_start;	/* accepted, caller's clock */
	uint64_t	 c_records;	/* delivered */
	char		 c_peer[NET_PEERLEN];
	uint8_t		 c_buf[];	/* FRAME_BUFSZ(nl_maxrec) */
};

struct net {
	int			 n_ep;
	int			 n_reserve;	/* spare fd for EMFILE */
	struct net_limits	 n_lim;
	size_t			 n_bufsz;	/* per connection */
	int64_t			 n_now;
	struct listener		*n_l[NET_MAXLISTEN];
	size_t			 n_nl;
	struct conn		**n_conn;	/* dense, n_nconn used */
	size_t			 n_nconn;
	size_t			 n_npending;
	struct sender_table	*n_senders;
	struct net_stats	 n_st;
	struct epoll_event	 n_ev[NET_MAXEVENTS];
};

/* One net_run() call: where records go and how much work is left. */
struct run {
	net_record_fn	*r_cb;
	void		*r_arg;
	int		 r_left;
};

static int	limits_fill(struct net_limits *, const struct net_limits *);
static int	ep_add(struct net *, struct src *);
static void	listener_free(struct listener *);
static int	listener_bufs(struct net *, struct listener *);
static void	set_rcvbuf(int, int);
static int	parse_inet(const struct spec *, int,
		    struct sockaddr_storage *, socklen_t *, char *, size_t);
static int	listen_inet(struct net *, struct listener *,
		    const struct spec *, int, char *, size_t);
static int	peer_allowed(const struct listener *, const struct addr *);
static void	peer_denied(struct listener *, const struct addr *);
static int	unix_stale(const char *, char *, size_t);
static int	listen_unix(struct net *, struct listener *, const char *,
		    char *, size_t);
static void	conn_close(struct net *, struct conn *);
static void	conn_pending(struct net *, struct conn *, int);
static int	conn_drain(struct net *, struct conn *, struct run *);
static int	conn_flush(struct net *, struct conn *, struct run *);
static int	conn_read(struct net *, struct conn *, struct run *);
static int	refuse_emfile(struct net *, int);
static void	tcp_accept(struct net *, struct listener *, struct run *);
static void	kernel_drops(struct net *, struct listener *, struct msghdr *);
static void	dgram_read(struct net *, struct listener *, struct run *);
static void	deliver(struct net *, struct listener *, struct run *,
		    const uint8_t *, size_t, const struct addr *,
		    const char *, struct sender *);
static void	conn_dropped(struct net *, struct conn *, uint64_t, char *);
static void	conn_deliver(struct net *, struct conn *, struct run *,
		    struct span);
static void	last_set(char *, const char *);
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
		conn_close(n, n->n_conn[n->n_nconn - 1]);
	for (i = 0; i < n->n_nl; i++)
		listener_free(n->n_l[i]);
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

static int
ep_add(struct net *n, struct src *s)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = s;
	return epoll_ctl(n->n_ep, EPOLL_CTL_ADD, s->s_fd, &ev);
}

static void
listener_free(struct listener *l)
{
	struct stat st;

	if (l == NULL)
		return;
	if (l->l_src.s_fd != -1)
		close(l->l_src.s_fd);
	/* Remove our socket only: someone may have replaced it since. */
	if (l->l_path[0] != '\0' && lstat(l->l_path, &st) == 0 &&
	    st.st_dev == l->l_dev && st.st_ino == l->l_ino)
		unlink(l->l_path);
	free(l->l_msg);
	free(l->l_iov);
	free(l->l_from);
	free(l->l_buf);
	free(l->l_ctl);
	free(l);
}

/* Preallocate the recvmmsg(2) slots of a datagram listener. */
static int
listener_bufs(struct net *n, struct listener *l)
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
static void
set_rcvbuf(int fd, int bytes)
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
 * A parsed listener (ingest/spec.c) into a socket address.  Numeric only:
 * a listener must not wait on DNS.
 */
static int
parse_inet(const struct spec *sp, int type, struct sockaddr_storage *ss,
    socklen_t *sslen, char *err, size_t errsz)
{
	struct addrinfo hints, *ai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = sp->v6 ? AF_INET6 : AF_INET;
	hints.ai_socktype = type;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if (getaddrinfo(sp->host, "0", &hints, &ai) != 0)
		goto bad;
	if (ai->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(ai);
		goto bad;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sslen = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (sp->v6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = htons(sp->port);
	else
		((struct sockaddr_in *)(void *)ss)->sin_port = htons(sp->port);
	return 0;

bad:
	seterr(err, errsz, "bad address \"%s%s%s:%u\": want 127.0.0.1:514 or "
	    "[::1]:514", sp->v6 ? "[" : "", sp->host, sp->v6 ? "]" : "",
	    sp->port);
	errno = EINVAL;
	return -1;
}

static int
listen_inet(struct net *n, struct listener *l, const struct spec *sp,
    int type, char *err, size_t errsz)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char addr[NET_PEERLEN];
	struct addr bound;
	int fd, on = 1, save;
	uint16_t port;

	if (parse_inet(sp, type, &ss, &sslen, err, errsz) == -1)
		return -1;
	fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if ((l->l_src.s_fd = fd) == -1)
		goto fail;
	/* One socket per family: no v4-mapped surprises on a v6 listener. */
	if (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	if (type == SOCK_STREAM && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR,
	    &on, sizeof(on)) == -1)
		goto fail;
	if (type == SOCK_DGRAM)
		set_rcvbuf(fd, n->n_lim.nl_rcvbuf);
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1)
		goto fail;
	if (type == SOCK_STREAM && listen(fd, SOMAXCONN) == -1)
		goto fail;
	sslen = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == -1)
		goto fail;
	addr_from_sockaddr((struct sockaddr *)&ss, &bound);
	addr_text(&bound, addr, sizeof(addr));
	port = ss.ss_family == AF_INET6 ?
	    ((struct sockaddr_in6 *)(void *)&ss)->sin6_port :
	    ((struct sockaddr_in *)(void *)&ss)->sin_port;
	l->l_family = ss.ss_family;
	snprintf(l->l_name, sizeof(l->l_name), "%s%s%s%s:%u", sp->prefix,
	    ss.ss_family == AF_INET6 ? "[" : "", addr,
	    ss.ss_family == AF_INET6 ? "]" : "", ntohs(port));
	return 0;

fail:
	save = errno;
	seterr(err, errsz, "%s%s%s%s:%u: %s", sp->prefix, sp->v6 ? "[" : "",
	    sp->host, sp->v6 ? "]" : "", sp->port, strerror(save));
	errno = save;
	return -1;
}

/*
 * Is there a stale socket at path (one nobody receives on)?  A datagram
 * connect(2) tells: a live socket accepts it, a dead one is refused.
 * Returns 0 if path is free or stale (and then removed), -1 otherwise.
 */
static int
unix_stale(const char *path, char *err, size_t errsz)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		seterr(err, errsz, "unix:%s: exists and is not a socket", path);
		errno = EEXIST;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (rc == 0) {
		seterr(err, errsz, "unix:%s: in use by another process", path);
		errno = EADDRINUSE;
		return -1;
	}
	if (errno != ECONNREFUSED)
		return -1;
	return unlink(path);
}

static int
listen_unix(struct net *n, struct listener *l, const char *path,
    char *err, size_t errsz)
{
	struct sockaddr_un sun;
	struct stat st;
	size_t len = strlen(path);
	int fd, save;

	if (len == 0) {
		seterr(err, errsz, "unix: wants a path");
		errno = EINVAL;
		return -1;
	}
	if (len >= sizeof(sun.sun_path)) {
		seterr(err, errsz, "unix:%s: path longer than %zu bytes",
		    path, sizeof(sun.sun_path) - 1);
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, len);
	if (unix_stale(path, err, errsz) == -1) {
		if (errno != EEXIST && errno != EADDRINUSE)
			goto fail;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if ((l->l_src.s_fd = fd) == -1)
		goto fail;
	set_rcvbuf(fd, n->n_lim.nl_rcvbuf);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		goto fail;
	if (lstat(path, &st) == -1)
		goto fail;
	memcpy(l->l_path, path, len + 1);
	l->l_family = AF_UNIX;
	l->l_dev = st.st_dev;
	l->l_ino = st.st_ino;
	snprintf(l->l_name, sizeof(l->l_name), "unix:%s", path);
	return 0;

fail:
	save = errno;
	seterr(err, errsz, "unix:%s: %s", path, strerror(save));
	errno = save;
	return -1;
}

int
net_listen(struct net *n, const char *spec, char *err, size_t errsz)
{
	struct listener *l;
	struct spec sp;
	int rc, save;

	if (n->n_nl >= NET_MAXLISTEN) {
		seterr(err, errsz, "%s: more than %d listeners", spec,
		    NET_MAXLISTEN);
		errno = ENOSPC;
		return -1;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		seterr(err, errsz, "%s: out of memory", spec);
		return -1;
	}
	l->l_src.s_fd = -1;
	l->l_mode = FRAME_DETECT;
	if ((rc = spec_parse(spec, &sp, err, errsz)) == 0) {
		switch (sp.kind) {
		case SPEC_UDP:
			l->l_src.s_kind = SRC_UDP;
			rc = listen_inet(n, l, &sp, SOCK_DGRAM, err, errsz);
			break;
		case SPEC_TCP_EVTSYS:
			l->l_mode = FRAME_CONCAT;
			/* FALLTHROUGH */
		case SPEC_TCP:
			l->l_src.s_kind = SRC_TCP;
			rc = listen_inet(n, l, &sp, SOCK_STREAM, err, errsz);
			break;
		case SPEC_UNIX:
			l->l_src.s_kind = SRC_UNIX;
			rc = listen_unix(n, l, sp.path, err, errsz);
			break;
		}
	}
	if (rc == 0 && l->l_src.s_kind != SRC_TCP &&
	    listener_bufs(n, l) == -1) {
		seterr(err, errsz, "%s: out of memory", spec);
		errno = ENOMEM;
		rc = -1;
	}
	if (rc == 0 && ep_add(n, &l->l_src) == -1) {
		seterr(err, errsz, "%s: epoll: %s", spec, strerror(errno));
		rc = -1;
	}
	if (rc == -1) {
		save = errno;
		listener_free(l);
		errno = save;
		return -1;
	}
	l->l_index = n->n_nl;
	n->n_l[n->n_nl++] = l;
	return 0;
}

size_t
net_bound(const struct net *n, char (*names)[NET_NAMELEN], size_t max)
{
	size_t i;

	for (i = 0; i < n->n_nl && i < max; i++)
		memcpy(names[i], n->n_l[i]->l_name, NET_NAMELEN);
	return n->n_nl;
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

int
net_allow(struct net *n, size_t i, const char *text, char *err,
    size_t errsz)
{
	struct listener *l;
	struct addr_range c;

	if (i >= n->n_nl) {
		seterr(err, errsz, "no listener %zu", i);
		errno = ENOENT;
		return -1;
	}
	l = n->n_l[i];
	if (l->l_family == AF_UNIX) {
		seterr(err, errsz, "%s: a unix socket has no sender addresses; "
		    "its file permissions say who may write", l->l_name);
		errno = EINVAL;
		return -1;
	}
	if (addr_range_parse(text, &c) == -1) {
		seterr(err, errsz, "bad address or range \"%s\": want "
		    "192.0.2.0/24, 2001:db8::/32 or one address", text);
		errno = EINVAL;
		return -1;
	}
	if (l->l_nallow >= NET_MAXALLOW) {
		seterr(err, errsz, "%s: more than %d allowed ranges", l->l_name,
		    NET_MAXALLOW);
		errno = ENOSPC;
		return -1;
	}
	l->l_allow[l->l_nallow++] = c;
	return 0;
}

/* The allowlist, or loopback when there is none. */
static int
peer_allowed(const struct listener *l, const struct addr *ad)
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
static void
peer_denied(struct listener *l, const struct addr *ad)
{
	addr_text(ad, l->l_st.nls_last_denied, sizeof(l->l_st.nls_last_denied));
}

static void
conn_pending(struct net *n, struct conn *c, int on)
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
static void
conn_close(struct net *n, struct conn *c)
{
	struct conn *last;

	conn_pending(n, c, 0);
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
deliver(struct net *n, struct listener *l, struct run *r, const uint8_t *rec,
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
	r->r_cb(r->r_arg, rec, len, &from);
}

/* Who caused it, for the caller's rate-limited log line. */
static void
last_set(char *dst, const char *peer)
{
	snprintf(dst, NET_PEERLEN, "%s", peer);
}

static void
conn_deliver(struct net *n, struct conn *c, struct run *r, struct span rec)
{
	c->c_records++;
	deliver(n, c->c_l, r, rec.p, rec.n, &c->c_addr, c->c_peer,
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
	last_set(last, c->c_peer);
	(void)n;
}

/*
 * Hand out the complete records buffered on c, within the budget, and
 * keep the rest at the front of the buffer.  Returns -1 if c was closed
 * for bad framing.
 */
static int
conn_drain(struct net *n, struct conn *c, struct run *r)
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
		conn_close(n, c);
		return -1;
	}
	if (off > 0) {
		memmove(c->c_buf, c->c_buf + off, c->c_len - off);
		c->c_len -= off;
	}
	conn_pending(n, c, r->r_left == 0 && c->c_len > 0);
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

	if (conn_drain(n, c, r) == -1)
		return -1;
	if (c->c_pending || r->r_left <= 0) {
		conn_pending(n, c, 1);	/* c_flush stays: next run */
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
static int
conn_read(struct net *n, struct conn *c, struct run *r)
{
	struct span rec;
	ssize_t k;

	if (c->c_pending) {
		if (conn_drain(n, c, r) == -1)
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
	return conn_drain(n, c, r);

out_close:
	n->n_st.ns_tcp_closed++;
	conn_close(n, c);
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

static void
tcp_accept(struct net *n, struct listener *l, struct run *r)
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
		if (!peer_allowed(l, &ad)) {
			peer_denied(l, &ad);
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
			last_set(n->n_st.ns_last_refused, s->s_name);
			continue;
		}
		if (n->n_nconn >= n->n_lim.nl_maxconn ||
		    (c = malloc(sizeof(*c) + n->n_bufsz)) == NULL) {
			close(fd);
			n->n_st.ns_tcp_refused++;
			if (s != NULL) {
				s->s_refused++;
				last_set(n->n_st.ns_last_refused, s->s_name);
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
		if (ep_add(n, &c->c_src) == -1) {
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
static void
dgram_read(struct net *n, struct listener *l, struct run *r)
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
			    peer_allowed(l, &ad) &&
			    (s = sender_get(n->n_senders, &ad, n->n_now)) !=
			    NULL) {
				s->s_dropped++;
				last_set(n->n_st.ns_last_oversize, s->s_name);
			}
			continue;
		}
		if (l->l_src.s_kind == SRC_UNIX)
			snprintf(peer, sizeof(peer), "unix");
		else if (h->msg_namelen == 0 || !peer_allowed(l, &ad)) {
			/* No address (cannot happen on UDP): refused too. */
			if (h->msg_namelen > 0)
				peer_denied(l, &ad);
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
		deliver(n, l, r, l->l_iov[i].iov_base, l->l_msg[i].msg_len,
		    &ad, peer, s);
	}
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

		if (c->c_pending && (c->c_flush ? conn_read(n, c, &r) :
		    conn_drain(n, c, &r)) == -1)
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
				dgram_read(n, (struct listener *)s, &r);
				break;
			case SRC_TCP:
				tcp_accept(n, (struct listener *)s, &r);
				break;
			case SRC_CONN:
				(void)conn_read(n, (struct conn *)s, &r);
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
			last_set(n->n_st.ns_last_first, c->c_peer);
			conn_close(n, c);
			n->n_st.ns_tcp_first++;
			closed++;
		} else if (now - c->c_last >= n->n_lim.nl_idle) {
			conn_close(n, c);
			n->n_st.ns_tcp_idle++;
			closed++;
		} else if (c->c_fr.fr_mode == FRAME_CONCAT && c->c_len > 0 &&
		    c->c_last < now) {
			c->c_flush = 1;
			conn_pending(n, c, 1);
		}
	}
	return closed;
}
