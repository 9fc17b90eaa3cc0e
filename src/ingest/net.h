/*
 * net: the syslog listeners (UDP, TCP, unix datagram) in one epoll set.
 *
 * The caller owns the loop: it polls net_fd() for readability
 * (the agent registers it once with register_readfd(), far below Net-SNMP's
 * 32-fd limit), calls net_run() with a work budget, and calls net_tick()
 * with its clock about once a second.  net_run() never blocks.
 *
 * Every record is handed to the callback as bytes, with no framing, and is
 * valid only during the call.  A UDP or unix datagram is one record
 * (RFC 5426 §3.1); a TCP stream is framed per connection by frame.c
 * (RFC 6587).  Buffers are allocated per listener and per connection,
 * never per record.  Bad peers cost their own record or connection and a
 * counter, nothing else.
 *
 * Each UDP and TCP listener has an allowlist of sender addresses; a
 * datagram or connection from anywhere else is refused and counted, per
 * listener.  Without one, only loopback senders are taken.
 *
 * One thread owns a struct net; nothing here locks.
 */
#ifndef IMSMON_NET_H
#define IMSMON_NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_MAXLISTEN	16	/* listeners per struct net */
#define NET_NAMELEN	128	/* "udp:[v6 address]:port", "unix:" + path */
#define NET_PEERLEN	64	/* INET6_ADDRSTRLEN, "unix" */
#define NET_MAXALLOW	32	/* allowlist entries per listener */

/* Defaults for the zero fields of struct net_limits. */
#define NET_DEF_MAXCONN	64
#define NET_DEF_IDLE	300		/* seconds */
#define NET_DEF_RCVBUF	(4 << 20)	/* bytes */
#define NET_DEF_BATCH	64		/* datagrams per recvmmsg(2) */
#define NET_DEF_MAXCONN_SRC 8		/* connections per sender address */
#define NET_DEF_FIRST	10		/* s to send a first whole record */
#define NET_DEF_SENDERS	256		/* sender addresses accounted */

struct net;

/* Zero means the default; net_new(NULL) takes every default. */
struct net_limits {
	size_t	 nl_maxrec;	/* largest record (PARSE_MAXREC) */
	size_t	 nl_maxconn;	/* open TCP connections at once */
	int64_t	 nl_idle;	/* close a TCP peer silent this long, s */
	int	 nl_rcvbuf;	/* UDP/unix SO_RCVBUF; -1: system default */
	size_t	 nl_batch;	/* datagrams read per system call */
	size_t	 nl_maxconn_src;	/* open TCP connections per sender */
	int64_t	 nl_first;	/* close a TCP peer that has sent no whole
				   record this long after connecting, s */
	size_t	 nl_senders;	/* rows of the sender table */
};

struct net_stats {
	uint64_t ns_records;	/* handed to the callback */
	uint64_t ns_datagrams;	/* UDP and unix datagrams received */
	uint64_t ns_tcp_accepted;
	uint64_t ns_tcp_refused;	/* over nl_maxconn, or out of fds/memory */
	uint64_t ns_tcp_refused_src;	/* over nl_maxconn_src */
	uint64_t ns_tcp_first;	/* closed: no whole record in nl_first */
	uint64_t ns_tcp_closed;	/* closed by the peer, an error or framing */
	uint64_t ns_tcp_idle;	/* closed by net_tick() */
	uint64_t ns_tcp_open;	/* gauge: connections open now */
	uint64_t ns_framing;	/* bad octet count or truncated frame */
	uint64_t ns_oversize;	/* records over nl_maxrec, dropped whole */
	uint64_t ns_read_errors;	/* failed recv/read/accept */
	uint64_t ns_denied_dgrams;	/* from an address not allowed */
	uint64_t ns_denied_conns;	/* from an address not allowed */
	/* Who last caused each, printable (NET_PEERLEN), "" if nobody. */
	char	 ns_last_refused[NET_PEERLEN];	/* refused, any limit */
	char	 ns_last_first[NET_PEERLEN];
	char	 ns_last_oversize[NET_PEERLEN];
	char	 ns_last_framing[NET_PEERLEN];
	uint64_t ns_kernel_drops;	/* datagrams the kernel dropped on a
					   full receive buffer (the socket's
					   SO_MEMINFO count), as of the last
					   net_tick() */
};

/* One listener's share, and the last sender it refused. */
struct net_lstats {
	uint64_t nls_records;		/* handed to the callback */
	uint64_t nls_denied_dgrams;
	uint64_t nls_denied_conns;
	uint64_t nls_kernel_drops;	/* as ns_kernel_drops */
	char	 nls_last_denied[NET_PEERLEN];	/* printable address */
};

/* Who sent a record, valid only during the callback. */
struct addr;
struct net_from {
	const char		*nf_peer;	/* printable: "192.0.2.1",
						   "2001:db8::1", "unix" */
	const struct addr	*nf_addr;	/* ingest/addr.h */
	size_t			 nf_listener;	/* net_listen() order */
	uint32_t		 nf_sender;	/* its row in net_senders(),
						   0: not tracked (unix) */
	uint64_t		 nf_born;	/* the row's s_born */
};

/*
 * One record: rec/n are the bytes, valid only during the call, and who
 * sent it.  The callback must not call net_* on the same struct net.
 */
typedef void	 net_record_fn(void *, const uint8_t *, size_t,
		    const struct net_from *);

/* NULL with errno (EINVAL for bad limits, ENOMEM, or from epoll). */
struct net	*net_new(const struct net_limits *);
/* Closes everything and removes the unix sockets it created. */
void		 net_free(struct net *);

/*
 * Add a listener:
 *   udp:127.0.0.1:514   udp:[::1]:514   udp:0.0.0.0:0   (0: any port)
 *   tcp:127.0.0.1:514   tcp:[::]:514
 *   tcp-evtsys:127.0.0.1:514
 *                       TCP from evtsys in TCP mode: records back to back
 *                       with no framing (frame.h, FRAME_CONCAT)
 *   unix:/path/sock     a datagram socket (rsyslog omuxsock); a stale
 *                       socket at path is replaced, a live one is not.
 * Addresses are numeric.  Returns 0, or -1 with errno (EINVAL for a bad
 * spec, ENAMETOOLONG, ENOSPC for too many listeners, EADDRINUSE, ...)
 * and, if err is not NULL, a message in err.
 */
int		 net_listen(struct net *, const char *, char *, size_t);

/*
 * Who may send to listener i (net_listen() order): an address or CIDR
 * range, numeric ("192.0.2.0/24", "2001:db8::/32", "192.0.2.7").  A
 * listener with no entries takes loopback senders only (127.0.0.0/8,
 * ::1); its first entry replaces that default, so loopback must then be
 * listed if wanted.  "0.0.0.0/0" and "::/0" allow everyone.  A range of
 * the other family than the listener's never matches.  Unix sockets take
 * no entries: their file permissions say who may write.  Returns 0, or
 * -1 with errno (EINVAL for a bad range or a unix listener, ENOENT for no
 * listener i, ENOSPC past NET_MAXALLOW) and a message in err.
 */
int		 net_allow(struct net *, size_t, const char *, char *, size_t);

/* The epoll fd: readable when net_run() has work. */
int		 net_fd(const struct net *);

/*
 * Do at most budget units of work without blocking: each record delivered
 * is one unit, and so is each accept(2) call and each read or datagram
 * that yields no record.  At most budget records reach the callback.
 * Returns 1 if work is still pending (call again soon: buffered TCP
 * records do not make net_fd() readable), 0 if not, -1 if epoll failed.
 */
int		 net_run(struct net *, int, net_record_fn *, void *);

/*
 * The caller's clock, in seconds.  Closes TCP connections silent for
 * nl_idle seconds and returns how many it closed.  On a tcp-evtsys
 * connection that has been quiet since the last tick, the record still
 * buffered (the last one sent: it has no end) is handed out by the next
 * net_run().  Reads the kernel's drop count of each datagram listener
 * (ns_kernel_drops).
 */
size_t		 net_tick(struct net *, int64_t);

/*
 * The listeners' actual addresses, in net_listen() order and spec form
 * ("udp:127.0.0.1:40312"), so port 0 can be read back.  Fills at most max
 * and returns how many listeners there are.
 */
size_t		 net_bound(const struct net *, char (*)[NET_NAMELEN], size_t);

void		 net_stats(const struct net *, struct net_stats *);
/*
 * The sender table (ingest/sender.h): what each allowed sender address
 * cost, for the caller to show.  Read-only; valid until net_free().
 */
struct sender_table;
const struct sender_table *net_senders(const struct net *);

/* Listener i's counters: 0, or -1 (ENOENT) if there is no listener i. */
int		 net_listener_stats(const struct net *, size_t,
		    struct net_lstats *);

#endif /* IMSMON_NET_H */
