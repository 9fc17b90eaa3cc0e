/*
 * net_int.h: what the files of struct net share (net.c, net_listen.c,
 * net_unix.c, net_dgram.c, net_tcp.c, net_peer.c); nothing outside
 * src/ingest/net*.c includes it.  Each .c defines _GNU_SOURCE before it
 * (struct mmsghdr).
 *
 * The calls between them go one way: net.c (the loop, the clock, the
 * table of connections) calls net_listen.c (making listeners),
 * net_dgram.c (reading datagrams) and net_tcp.c (connections);
 * net_listen.c calls net_unix.c; all of them call net_peer.c (the epoll
 * set, the allowlist, handing a record on), which calls none of them.
 */
#ifndef IMSMON_NET_INT_H
#define IMSMON_NET_INT_H

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <stddef.h>
#include <stdint.h>

#include "ingest/addr.h"
#include "ingest/frame.h"
#include "ingest/net.h"
#include "ingest/sender.h"
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
	uint32_t		 l_kdrops;	/* the socket's count so far */
	/* The last datagram sender (net_dgram.c): verdict and row. */
	int			 l_last_set;
	int			 l_last_ok;	/* allowed */
	struct addr		 l_last;
	struct sender		*l_last_s;	/* NULL: no row */
	uint64_t		 l_last_born;	/* l_last_s->s_born then */
};

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

/* net_peer.c */
int	net_ep_add(struct net *, struct src *);
int	net_peer_allowed(const struct listener *, const struct addr *);
void	net_peer_denied(struct listener *, const struct addr *);
void	net_deliver(struct net *, struct listener *, struct run *,
	    const uint8_t *, size_t, const struct addr *, const char *,
	    struct sender *);
void	net_last_set(char *, const char *);

/* net_dgram.c */
int	net_dgram_bufs(struct net *, struct listener *);
void	net_dgram_rcvbuf(int, int);
void	net_dgram_drops(struct net *, struct listener *);
void	net_dgram_read(struct net *, struct listener *, struct run *);

/* net_unix.c */
int	net_unix_listen(struct net *, struct listener *, const char *,
	    char *, size_t);

/* net_listen.c */
void	net_listener_free(struct listener *);

/* net_tcp.c */
void	net_conn_pending(struct net *, struct conn *, int);
void	net_conn_close(struct net *, struct conn *);
int	net_conn_drain(struct net *, struct conn *, struct run *);
int	net_conn_read(struct net *, struct conn *, struct run *);
void	net_tcp_accept(struct net *, struct listener *, struct run *);

#endif /* IMSMON_NET_INT_H */
