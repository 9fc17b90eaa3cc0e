/*
 * net_listen: making listeners (udp:, tcp:, tcp-evtsys:, unix:) from
 * their specs, their allowlists, the addresses they are bound to, and
 * freeing them.
 */
/* recvmmsg(2), accept4(2), struct mmsghdr: GNU extensions. */
#define _GNU_SOURCE

#include "ingest/net_int.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/spec.h"
#include "util/sbuf.h"

static int	parse_inet(const struct spec *, int,
		    struct sockaddr_storage *, socklen_t *, char *, size_t);
static int	listen_inet(struct net *, struct listener *,
		    const struct spec *, int, char *, size_t);

void
net_listener_free(struct listener *l)
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
	free(l);
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
		net_dgram_rcvbuf(fd, n->n_lim.nl_rcvbuf);
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
			rc = net_unix_listen(n, l, sp.path, err, errsz);
			break;
		}
	}
	if (rc == 0 && l->l_src.s_kind != SRC_TCP &&
	    net_dgram_bufs(n, l) == -1) {
		seterr(err, errsz, "%s: out of memory", spec);
		errno = ENOMEM;
		rc = -1;
	}
	if (rc == 0 && net_ep_add(n, &l->l_src) == -1) {
		seterr(err, errsz, "%s: epoll: %s", spec, strerror(errno));
		rc = -1;
	}
	if (rc == -1) {
		save = errno;
		net_listener_free(l);
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
	l->l_last_set = 0;		/* the last sender's verdict may change */
	return 0;
}
