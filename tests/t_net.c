/* Long by design: one case per listener bound and failure, each on its own. */
/* net: listeners on loopback, ephemeral ports, bounded waits. */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "ingest/addr.h"
#include "ingest/net.h"
#include "ingest/sender.h"
#include "parse/parse.h"
#include "netrig.h"
#include "test.h"

/* What the callback saw. */
struct sink {
	int	 n;
	char	 all[8192];	/* records joined with '|' */
	size_t	 len;
	size_t	 bytes;		/* all record bytes, even those not kept */
	char	 peer[NET_PEERLEN];
	size_t	 listener;
	int	 family;
	uint32_t sender;	/* the last record's row and occupant */
	uint64_t born;
};

static void
sink_cb(void *arg, const uint8_t *rec, size_t n, const struct net_from *from)
{
	struct sink *s = arg;
	const char *peer = from->nf_peer;

	s->bytes += n;
	if (s->n > 0 && s->len + 1 < sizeof(s->all))
		s->all[s->len++] = '|';
	if (n > sizeof(s->all) - 1 - s->len)
		n = sizeof(s->all) - 1 - s->len;
	memcpy(s->all + s->len, rec, n);
	s->len += n;
	s->all[s->len] = '\0';
	snprintf(s->peer, sizeof(s->peer), "%s", peer);
	s->listener = from->nf_listener;
	s->family = from->nf_addr->family;
	s->sender = from->nf_sender;
	s->born = from->nf_born;
	s->n++;
}

/* Run the net until the sink holds want records or about 2 s pass. */
static void
pump(struct net *n, struct sink *s, int want)
{
	netrig_pump(n, 32, sink_cb, s, &s->n, want);
}

/* Let the net do whatever it has to (accepts, closes) for a moment. */
static void
settle(struct net *n, struct sink *s)
{
	struct pollfd pfd;
	int i;

	for (i = 0; i < 5; i++) {
		pfd.fd = net_fd(n);
		pfd.events = POLLIN;
		poll(&pfd, 1, 10);
		net_run(n, 64, sink_cb, s);
	}
}

/* Listen on spec and return the bound port (or 0 for unix). */
static int
listen_port(struct net *n, const char *spec)
{
	return netrig_listen(n, spec);
}

static int
inet_sock(int family, int type, int port, struct sockaddr_storage *ss,
    socklen_t *sslen)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*sslen = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sin6->sin6_addr = in6addr_loopback;
		*sslen = sizeof(*sin6);
	}
	return socket(family, type, 0);
}

static int
udp_send(int family, int port, const void *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	ssize_t k;
	int fd;

	if ((fd = inet_sock(family, SOCK_DGRAM, port, &ss, &sslen)) == -1)
		return -1;
	k = sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sslen);
	close(fd);
	return k == (ssize_t)len ? 0 : -1;
}

static int
tcp_connect(int family, int port)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int fd, on = 1;

	if ((fd = inet_sock(family, SOCK_STREAM, port, &ss, &sslen)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sslen) == -1) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	return fd;
}

static int
send_str(int fd, const char *s)
{
	size_t len = strlen(s);

	return send(fd, s, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* Send while running the net, so a big write cannot fill both buffers. */
static int
send_all(struct net *n, struct sink *s, int fd, const char *buf, size_t len)
{
	ssize_t k;
	int i;

	for (i = 0; i < 10000 && len > 0; i++) {
		k = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k > 0) {
			buf += k;
			len -= (size_t)k;
		} else if (k == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		net_run(n, 32, sink_cb, s);
	}
	return len == 0 ? 0 : -1;
}

/* Has the server closed fd?  Waits up to about 1 s. */
static int
peer_closed(int fd)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char c;

	if (poll(&pfd, 1, 1000) != 1)
		return 0;
	return recv(fd, &c, 1, MSG_DONTWAIT) <= 0;
}

static struct net *
net_small(size_t maxconn, size_t maxrec)
{
	struct net_limits lim;

	memset(&lim, 0, sizeof(lim));
	lim.nl_maxconn = maxconn;
	lim.nl_maxrec = maxrec;
	lim.nl_idle = 60;
	lim.nl_first = 100000;	/* the idle tests keep silent peers */
	return net_new(&lim);
}

static int
tcp_connect_from(const char *from, int port)
{
	struct sockaddr_in src, dst;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	inet_pton(AF_INET, from, &src.sin_addr);
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1 ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST(net_new_defaults)
{
	struct net *n;
	struct net_stats st;

	CHECK((n = net_new(NULL)) != NULL);
	if (n == NULL)
		return;
	CHECK(net_fd(n) >= 0);
	net_stats(n, &st);
	CHECK_INT(st.ns_records, 0);
	CHECK_INT(net_run(n, 32, sink_cb, NULL), 0);
	net_free(n);
	net_free(NULL);
}

TEST(net_limits_bad)
{
	struct net_limits lim;

	memset(&lim, 0, sizeof(lim));
	lim.nl_batch = 1000000;
	CHECK(net_new(&lim) == NULL);
	CHECK_INT(errno, EINVAL);
	memset(&lim, 0, sizeof(lim));
	lim.nl_idle = -5;
	CHECK(net_new(&lim) == NULL);
	CHECK_INT(errno, EINVAL);
}

TEST(net_bad_specs)
{
	static const char *bad[] = {
		"", "udp", "udp:", "udp:127.0.0.1", "udp:127.0.0.1:",
		"udp:127.0.0.1:65536", "udp:127.0.0.1:-1", "udp:127.0.0.1:5x",
		"udp:127.0.0.1: 5", "udp:127.0.0.1:123456", "udp::514",
		"udp:localhost:514", "udp:::1:514", "udp:[::1:514",
		"udp:[::1]514", "udp:[::1]:", "udp:[]:514", "udp:[127.0.0.1]:5",
		"tcp:1.2.3.4.5:1", "tcp:256.1.1.1:1", "sctp:127.0.0.1:5",
		"UDP:127.0.0.1:5", "unix:", "tcp-evtsys:", "tcp-evtsys:1.2.3.4",
		"udp-evtsys:127.0.0.1:5", "evtsys:127.0.0.1:5",
	};
	struct net *n;
	char err[256];
	size_t i;

	if ((n = net_new(NULL)) == NULL)
		return;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		errno = 0;
		if (net_listen(n, bad[i], err, sizeof(err)) != -1 ||
		    errno != EINVAL || err[0] == '\0') {
			fprintf(stderr, "  spec \"%s\" not rejected with EINVAL"
			    " (errno %d, \"%s\")\n", bad[i], errno, err);
			test_fails++;
		}
	}
	CHECK_INT(net_bound(n, NULL, 0), 0);
	/* NULL err is allowed. */
	CHECK_INT(net_listen(n, "udp:", NULL, 0), -1);
	CHECK_INT(errno, EINVAL);
	net_free(n);
}

/* sun_path: a path that does not fit is refused, not truncated. */
TEST(net_unix_path_too_long)
{
	struct net *n;
	char spec[300], err[256];

	if ((n = net_new(NULL)) == NULL)
		return;
	memset(spec, 'a', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = '\0';
	memcpy(spec, "unix:/", 6);
	CHECK_INT(net_listen(n, spec, err, sizeof(err)), -1);
	CHECK_INT(errno, ENAMETOOLONG);
	net_free(n);
}

/* NET_MAXLISTEN */
TEST(net_listen_cap)
{
	struct net *n;
	char err[256];
	int i, ok = 0;

	if ((n = net_small(0, 1024)) == NULL)
		return;
	for (i = 0; i < NET_MAXLISTEN; i++)
		ok += net_listen(n, "udp:127.0.0.1:0", err, sizeof(err)) == 0;
	CHECK_INT(ok, NET_MAXLISTEN);
	CHECK_INT(net_listen(n, "udp:127.0.0.1:0", err, sizeof(err)), -1);
	CHECK_INT(errno, ENOSPC);
	net_free(n);
}

TEST(net_port_in_use)
{
	struct net *a, *b;
	char spec[64], err[256];
	int port;

	a = net_new(NULL);
	b = net_new(NULL);
	if (a == NULL || b == NULL || (port = listen_port(a,
	    "tcp:127.0.0.1:0")) <= 0)
		goto out;
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", port);
	CHECK_INT(net_listen(b, spec, err, sizeof(err)), -1);
	CHECK_INT(errno, EADDRINUSE);
	CHECK(strstr(err, spec + 4) != NULL);
out:
	net_free(a);
	net_free(b);
}

TEST(net_udp_v4)
{
	struct net *n;
	struct net_stats st;
	struct sink s = { 0 };
	int port;

	if ((n = net_new(NULL)) == NULL)
		return;
	CHECK((port = listen_port(n, "udp:127.0.0.1:0")) > 0);
	CHECK_INT(udp_send(AF_INET, port, "<13>one", 7), 0);
	/* A datagram is one record, LFs and all (RFC 5426 §3.1). */
	CHECK_INT(udp_send(AF_INET, port, "<13>a\nb\n", 8), 0);
	pump(n, &s, 2);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.all, "<13>one|<13>a\nb\n");
	CHECK_STR(s.peer, "127.0.0.1");
	/* Records name their sender's row, as the table has it. */
	CHECK_INT(s.sender, 1);
	CHECK(s.born != 0);
	CHECK(sender_by_index(net_senders(n), 1) != NULL &&
	    sender_by_index(net_senders(n), 1)->s_born == s.born);
	net_stats(n, &st);
	CHECK_INT(st.ns_datagrams, 2);
	CHECK_INT(st.ns_records, 2);
	net_free(n);
}

TEST(net_udp_v6)
{
	struct net *n;
	struct sink s = { 0 };
	char err[256];
	int port;

	if ((n = net_new(NULL)) == NULL)
		return;
	if (net_listen(n, "udp:[::1]:0", err, sizeof(err)) == -1) {
		printf("  skip net_udp_v6: %s\n", err);
		net_free(n);
		return;
	}
	CHECK((port = listen_port(n, "tcp:[::1]:0")) > 0);
	{
		char names[2][NET_NAMELEN];

		CHECK_INT(net_bound(n, names, 2), 2);
		CHECK(strncmp(names[0], "udp:[::1]:", 10) == 0);
		port = (int)strtol(strrchr(names[0], ':') + 1, NULL, 10);
	}
	CHECK_INT(udp_send(AF_INET6, port, "<13>six", 7), 0);
	pump(n, &s, 1);
	CHECK_STR(s.all, "<13>six");
	CHECK_STR(s.peer, "::1");
	net_free(n);
}

/* nl_maxrec: a longer datagram is dropped, not truncated. */
TEST(net_udp_oversize)
{
	struct net *n;
	struct net_stats st;
	struct sink s = { 0 };
	char buf[101];
	int port;

	if ((n = net_small(0, 100)) == NULL)
		return;
	port = listen_port(n, "udp:127.0.0.1:0");
	memset(buf, 'x', sizeof(buf));
	CHECK_INT(udp_send(AF_INET, port, buf, 101), 0);
	CHECK_INT(udp_send(AF_INET, port, buf, 100), 0);
	CHECK_INT(udp_send(AF_INET, port, "", 0), 0);
	CHECK_INT(udp_send(AF_INET, port, "<13>ok", 6), 0);
	pump(n, &s, 2);
	settle(n, &s);
	CHECK_INT(s.n, 2);
	CHECK_INT(s.len, 100 + 1 + 6);
	net_stats(n, &st);
	CHECK_INT(st.ns_datagrams, 4);
	CHECK_INT(st.ns_oversize, 1);
	net_free(n);
}

/* net_run budget: 100 datagrams, 10 per call, and "more" is said. */
TEST(net_run_budget_udp)
{
	struct net *n;
	struct sink s = { 0 };
	struct pollfd pfd;
	char buf[32];
	int port, i, more;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "udp:127.0.0.1:0");
	for (i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "<13>m%d", i);
		udp_send(AF_INET, port, buf, strlen(buf));
	}
	pfd.fd = net_fd(n);
	pfd.events = POLLIN;
	CHECK_INT(poll(&pfd, 1, 1000), 1);
	more = net_run(n, 10, sink_cb, &s);
	CHECK(s.n > 0);
	CHECK(s.n <= 10);
	CHECK_INT(more, 1);
	for (i = 0; i < 100 && s.n < 100; i++) {
		int before = s.n;

		more = net_run(n, 10, sink_cb, &s);
		CHECK(s.n - before <= 10);
		if (!more && s.n < 100)
			poll(&pfd, 1, 10);
	}
	CHECK_INT(s.n, 100);
	CHECK_INT(net_run(n, 10, sink_cb, &s), 0);
	net_free(n);
}

/* The same over TCP: records left in the buffer are "more". */
TEST(net_run_budget_tcp)
{
	struct net *n;
	struct sink s = { 0 };
	char buf[4096];
	size_t len = 0;
	int port, fd, i, more = 0, calls = 0, before;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	if ((fd = tcp_connect(AF_INET, port)) == -1) {
		CHECK(fd != -1);
		net_free(n);
		return;
	}
	for (i = 0; i < 30; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "<13>r%d\n", i);
	CHECK_INT(send_str(fd, buf), 0);
	usleep(20000);
	for (i = 0; i < 200 && s.n < 30; i++) {
		before = s.n;
		more = net_run(n, 7, sink_cb, &s);
		calls++;
		CHECK(s.n - before <= 7);
		if (s.n < 30 && s.n - before == 7)
			CHECK_INT(more, 1);
		if (!more)
			usleep(1000);
	}
	CHECK_INT(s.n, 30);
	CHECK(calls >= 5);
	close(fd);
	net_free(n);
}

TEST(net_tcp_octet)
{
	struct net *n;
	struct sink s = { 0 };
	int port, fd;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	if ((fd = tcp_connect(AF_INET, port)) != -1) {
		CHECK_INT(send_str(fd, "9 <13>hello10 <13>a\nb\r\nc"), 0);
		pump(n, &s, 2);
		CHECK_STR(s.all, "<13>hello|<13>a\nb\r\nc");
		CHECK_STR(s.peer, "127.0.0.1");
		close(fd);
	}
	net_free(n);
}

TEST(net_tcp_lf)
{
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	int port, fd;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	if ((fd = tcp_connect(AF_INET, port)) != -1) {
		CHECK_INT(send_str(fd, "<13>one\r\n<13>two\n"), 0);
		pump(n, &s, 2);
		CHECK_STR(s.all, "<13>one|<13>two");
		/* The last line may lack its LF: EOF ends it. */
		CHECK_INT(send_str(fd, "<13>three"), 0);
		close(fd);
		pump(n, &s, 3);
		CHECK_STR(s.all, "<13>one|<13>two|<13>three");
	}
	settle(n, &s);
	net_stats(n, &st);
	CHECK_INT(st.ns_tcp_accepted, 1);
	CHECK_INT(st.ns_tcp_closed, 1);
	CHECK_INT(st.ns_tcp_open, 0);
	net_free(n);
}

TEST(net_tcp_v6)
{
	struct net *n;
	struct sink s = { 0 };
	char err[256];
	int port, fd;

	if ((n = net_new(NULL)) == NULL)
		return;
	if (net_listen(n, "tcp:[::1]:0", err, sizeof(err)) == -1) {
		printf("  skip net_tcp_v6: %s\n", err);
		net_free(n);
		return;
	}
	{
		char names[1][NET_NAMELEN];

		net_bound(n, names, 1);
		port = (int)strtol(strrchr(names[0], ':') + 1, NULL, 10);
	}
	if ((fd = tcp_connect(AF_INET6, port)) != -1) {
		CHECK_INT(send_str(fd, "6 <13>v6"), 0);
		pump(n, &s, 1);
		CHECK_STR(s.all, "<13>v6");
		CHECK_STR(s.peer, "::1");
		close(fd);
	}
	net_free(n);
}

/* A peer that dribbles one byte per segment, in both framings. */
TEST(net_tcp_one_byte_at_a_time)
{
	static const char *msgs[] = { "9 <13>hello3 <1>", "<13>slow\r\n" };
	struct net *n;
	struct sink s = { 0 };
	size_t i, j;
	int port, fd;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	for (j = 0; j < 2; j++) {
		if ((fd = tcp_connect(AF_INET, port)) == -1)
			continue;
		for (i = 0; msgs[j][i] != '\0'; i++) {
			CHECK_INT(send(fd, msgs[j] + i, 1, MSG_NOSIGNAL), 1);
			net_run(n, 32, sink_cb, &s);
			usleep(500);
		}
		pump(n, &s, (int)j + 2);
		close(fd);
	}
	CHECK_STR(s.all, "<13>hello|<1>|<13>slow");
	net_free(n);
}

/* nl_maxconn: over the cap, accept and close; the others keep working. */
TEST(net_tcp_conn_cap)
{
	enum { CAP = 4, EXTRA = 5 };
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	int port, fd[CAP + EXTRA], i, closed = 0;
	char buf[32];

	if ((n = net_small(CAP, 0)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	for (i = 0; i < CAP + EXTRA; i++) {
		fd[i] = tcp_connect(AF_INET, port);
		CHECK(fd[i] != -1);
		settle(n, &s);		/* accept in connect order */
	}
	net_stats(n, &st);
	CHECK_INT(st.ns_tcp_accepted, CAP);
	CHECK_INT(st.ns_tcp_refused, EXTRA);
	CHECK_INT(st.ns_tcp_open, CAP);
	for (i = CAP; i < CAP + EXTRA; i++)
		closed += fd[i] != -1 && peer_closed(fd[i]);
	CHECK_INT(closed, EXTRA);
	for (i = 0; i < CAP; i++) {
		snprintf(buf, sizeof(buf), "<13>c%d\n", i);
		if (fd[i] != -1)
			CHECK_INT(send_str(fd[i], buf), 0);
	}
	pump(n, &s, CAP);
	CHECK_INT(s.n, CAP);
	for (i = 0; i < CAP + EXTRA; i++)
		if (fd[i] != -1)
			close(fd[i]);
	net_free(n);
}

/* nl_idle: net_tick closes a silent connection, not a talking one. */
TEST(net_tcp_idle_close)
{
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	int port, quiet, talk;

	if ((n = net_small(0, 0)) == NULL)	/* nl_idle = 60 */
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	net_tick(n, 1000);
	quiet = tcp_connect(AF_INET, port);
	talk = tcp_connect(AF_INET, port);
	settle(n, &s);
	CHECK_INT(net_tick(n, 1030), 0);
	CHECK_INT(send_str(talk, "<13>alive\n"), 0);
	pump(n, &s, 1);
	CHECK_INT(net_tick(n, 1059), 0);
	CHECK_INT(net_tick(n, 1060), 1);
	CHECK(peer_closed(quiet));
	CHECK_INT(net_tick(n, 1089), 0);
	CHECK_INT(net_tick(n, 1090), 1);
	net_stats(n, &st);
	CHECK_INT(st.ns_tcp_idle, 2);
	CHECK_INT(st.ns_tcp_open, 0);
	close(quiet);
	close(talk);
	net_free(n);
}

/* A connection accepted before the clock is set is not closed at once. */
TEST(net_tcp_idle_before_first_tick)
{
	struct net *n;
	struct sink s = { 0 };
	int port, fd;

	if ((n = net_small(0, 0)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	fd = tcp_connect(AF_INET, port);
	settle(n, &s);
	CHECK_INT(net_tick(n, 5000), 0);
	CHECK_INT(net_tick(n, 5059), 0);
	CHECK_INT(net_tick(n, 5060), 1);
	close(fd);
	net_free(n);
}

/*
 * Out of fds: the spare fd lets the net accept and close the peer, so
 * the listener does not stay readable forever, and the refusal counts.
 */
TEST(net_tcp_emfile_reserve)
{
	enum { PEERS = 3 };
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	struct rlimit old, low;
	int port, fd[PEERS], i, lowest, closed = 0;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	for (i = 0; i < PEERS; i++)
		fd[i] = tcp_connect(AF_INET, port);
	if (getrlimit(RLIMIT_NOFILE, &old) == -1 ||
	    (lowest = fcntl(0, F_DUPFD, 0)) == -1) {
		CHECK(0);
		goto out;
	}
	close(lowest);
	/* No fd can be opened now but the one the net holds in reserve. */
	low = old;
	low.rlim_cur = (rlim_t)lowest;
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &low), 0);
	for (i = 0; i < 10; i++)
		net_run(n, 32, sink_cb, &s);
	setrlimit(RLIMIT_NOFILE, &old);
	net_stats(n, &st);
	CHECK_INT(st.ns_tcp_refused, PEERS);
	CHECK_INT(st.ns_tcp_accepted, 0);
	for (i = 0; i < PEERS; i++)
		closed += fd[i] != -1 && peer_closed(fd[i]);
	CHECK_INT(closed, PEERS);
	/* The reserve is back: the next peer is served. */
	if ((fd[0] = tcp_connect(AF_INET, port)) != -1) {
		CHECK_INT(send_str(fd[0], "<13>back\n"), 0);
		pump(n, &s, 1);
		CHECK_STR(s.all, "<13>back");
		close(fd[0]);
	}
	for (i = 1; i < PEERS; i++)
		close(fd[i]);
out:
	net_free(n);
}

/* A bad octet count drops that connection only. */
TEST(net_tcp_framing_error)
{
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	int port, bad, good;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	bad = tcp_connect(AF_INET, port);
	good = tcp_connect(AF_INET, port);
	settle(n, &s);
	CHECK_INT(send_str(bad, "5 <13>x05 <13>y"), 0);
	CHECK_INT(send_str(good, "<13>fine\n"), 0);
	pump(n, &s, 2);
	settle(n, &s);
	CHECK_STR(s.all, "<13>x|<13>fine");
	CHECK(peer_closed(bad));
	net_stats(n, &st);
	CHECK_INT(st.ns_framing, 1);
	CHECK_INT(st.ns_tcp_open, 1);
	close(bad);
	close(good);
	net_free(n);
}

/* nl_maxrec over TCP: an oversize line goes, the stream stays. */
TEST(net_tcp_oversize_line)
{
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	char big[1000];
	int port, fd;

	if ((n = net_small(0, 64)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	if ((fd = tcp_connect(AF_INET, port)) != -1) {
		memset(big, 'A', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		CHECK_INT(send_str(fd, "<13>before\n"), 0);
		CHECK_INT(send_str(fd, big), 0);
		CHECK_INT(send_str(fd, big), 0);
		CHECK_INT(send_str(fd, "\n<13>after\n"), 0);
		pump(n, &s, 2);
		CHECK_STR(s.all, "<13>before|<13>after");
		close(fd);
	}
	net_stats(n, &st);
	CHECK_INT(st.ns_oversize, 1);
	net_free(n);
}

/* The full PARSE_MAXREC record passes over TCP, octet-counted. */
TEST(net_tcp_maxrec_record)
{
	struct net *n;
	struct sink s = { 0 };
	char *buf;
	size_t len;
	int port, fd;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	len = 6 + PARSE_MAXREC + 6;
	if ((buf = malloc(len + 1)) != NULL &&
	    (fd = tcp_connect(AF_INET, port)) != -1) {
		memcpy(buf, "65536 ", 6);
		memset(buf + 6, 'z', PARSE_MAXREC);
		memcpy(buf + 6 + PARSE_MAXREC, "3 end", 6);
		CHECK_INT(send_all(n, &s, fd, buf, len - 1), 0);
		pump(n, &s, 2);
		CHECK_INT(s.n, 2);
		CHECK_INT(s.bytes, PARSE_MAXREC + 3);
		close(fd);
	}
	free(buf);
	net_free(n);
}

static int
sun_fill(struct sockaddr_un *sun, const char *path)
{
	size_t len = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (len >= sizeof(sun->sun_path))
		return -1;
	memcpy(sun->sun_path, path, len);
	return 0;
}

static int
unix_send(const char *path, const char *msg)
{
	struct sockaddr_un sun;
	ssize_t k;
	int fd;

	if (sun_fill(&sun, path) == -1 ||
	    (fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return -1;
	k = sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sun,
	    sizeof(sun));
	close(fd);
	return k == (ssize_t)strlen(msg) ? 0 : -1;
}

/* A unix socket left behind by a dead process. */
static int
make_stale(const char *path)
{
	struct sockaddr_un sun;
	int fd, rc;

	if (sun_fill(&sun, path) == -1 ||
	    (fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return -1;
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	return rc;
}

TEST(net_unix_dgram)
{
	struct net *n, *other;
	struct sink s = { 0 };
	struct stat st;
	char tmpl[256], path[300], spec[320], err[256];
	const char *tmp = getenv("TMPDIR");
	FILE *f;

	snprintf(tmpl, sizeof(tmpl), "%s/t_net.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/log.sock", tmpl);
	snprintf(spec, sizeof(spec), "unix:%s", path);
	CHECK_INT(make_stale(path), 0);		/* replaced below */

	if ((n = net_new(NULL)) == NULL)
		return;
	CHECK_INT(listen_port(n, spec), 0);
	CHECK_INT(unix_send(path, "<13>local"), 0);
	pump(n, &s, 1);
	CHECK_STR(s.all, "<13>local");
	CHECK_STR(s.peer, "unix");
	CHECK_INT(s.sender, 0);		/* no address: not tracked */
	CHECK_INT(s.born, 0);

	/* A live socket is not taken over. */
	if ((other = net_new(NULL)) != NULL) {
		CHECK_INT(net_listen(other, spec, err, sizeof(err)), -1);
		CHECK_INT(errno, EADDRINUSE);
		net_free(other);
	}
	net_free(n);
	CHECK_INT(stat(path, &st), -1);		/* removed on free */

	/* Nor is a file that is not a socket. */
	if ((f = fopen(path, "w")) != NULL)
		fclose(f);
	if ((n = net_new(NULL)) != NULL) {
		CHECK_INT(net_listen(n, spec, err, sizeof(err)), -1);
		CHECK_INT(errno, EEXIST);
		net_free(n);
	}
	CHECK_INT(stat(path, &st), 0);
	unlink(path);
	rmdir(tmpl);
}

/* The allowlist for listener i; 0 or -1. */
static int
allow(struct net *n, size_t i, const char *cidr)
{
	char err[256];

	if (net_allow(n, i, cidr, err, sizeof(err)) == -1) {
		fprintf(stderr, "  net_allow %s: %s\n", cidr, err);
		return -1;
	}
	return 0;
}

TEST(net_allow_bad)
{
	static const char *bad[] = {
		"", "/", "/8", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/8/8",
		"1.2.3/8", "1.2.3.4/x", "1.2.3.4/ 8", "::/129", "::1/1280",
		"localhost", "1.2.3.4 ", "[::1]/128", "1.2.3.4/-1",
	};
	struct net *n;
	char err[256];
	size_t i;
	int ok = 0;

	if ((n = net_new(NULL)) == NULL)
		return;
	CHECK(listen_port(n, "udp:127.0.0.1:0") > 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		errno = 0;
		if (net_allow(n, 0, bad[i], err, sizeof(err)) != -1 ||
		    errno != EINVAL || err[0] == '\0') {
			fprintf(stderr, "  range \"%s\" not rejected with EINVAL"
			    " (errno %d, \"%s\")\n", bad[i], errno, err);
			test_fails++;
		}
	}
	CHECK_INT(net_allow(n, 1, "127.0.0.1", err, sizeof(err)), -1);
	CHECK_INT(errno, ENOENT);
	for (i = 0; i < NET_MAXALLOW; i++)
		ok += allow(n, 0, i % 2 ? "10.0.0.0/8" : "::/0") == 0;
	CHECK_INT(ok, NET_MAXALLOW);
	CHECK_INT(net_allow(n, 0, "127.0.0.1", err, sizeof(err)), -1);
	CHECK_INT(errno, ENOSPC);
	net_free(n);
}

/* A unix socket has no sender address to check. */
TEST(net_allow_unix_refused)
{
	struct net *n;
	char tmpl[256], spec[320], err[256];
	const char *tmp = getenv("TMPDIR");

	snprintf(tmpl, sizeof(tmpl), "%s/t_net.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL || (n = net_new(NULL)) == NULL) {
		CHECK(0);
		return;
	}
	snprintf(spec, sizeof(spec), "unix:%s/s", tmpl);
	CHECK_INT(listen_port(n, spec), 0);
	CHECK_INT(net_allow(n, 0, "127.0.0.1", err, sizeof(err)), -1);
	CHECK_INT(errno, EINVAL);
	net_free(n);
	rmdir(tmpl);
}

/* Not on the list: datagrams dropped and counted, the sender remembered. */
TEST(net_allow_udp_denied)
{
	struct net *n;
	struct net_stats st;
	struct net_lstats ls;
	struct sink s = { 0 };
	int port, other;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "udp:127.0.0.1:0");
	other = listen_port(n, "udp:127.0.0.1:0");
	CHECK_INT(allow(n, 0, "192.0.2.0/24"), 0);
	CHECK_INT(allow(n, 0, "::1"), 0);
	CHECK_INT(udp_send(AF_INET, port, "<13>no", 6), 0);
	CHECK_INT(udp_send(AF_INET, port, "<13>no", 6), 0);
	CHECK_INT(udp_send(AF_INET, other, "<13>yes", 7), 0);
	pump(n, &s, 1);
	settle(n, &s);
	CHECK_STR(s.all, "<13>yes");
	net_stats(n, &st);
	CHECK_INT(st.ns_denied_dgrams, 2);
	CHECK_INT(st.ns_records, 1);
	CHECK_INT(net_listener_stats(n, 0, &ls), 0);
	CHECK_INT(ls.nls_denied_dgrams, 2);
	CHECK_INT(ls.nls_records, 0);
	CHECK_STR(ls.nls_last_denied, "127.0.0.1");
	CHECK_INT(net_listener_stats(n, 1, &ls), 0);
	CHECK_INT(ls.nls_denied_dgrams, 0);
	CHECK_INT(ls.nls_records, 1);
	CHECK_STR(ls.nls_last_denied, "");
	CHECK_INT(net_listener_stats(n, 2, &ls), -1);
	CHECK_INT(errno, ENOENT);
	/* Listed now (host bits ignored): taken. */
	CHECK_INT(allow(n, 0, "127.1.2.3/8"), 0);
	CHECK_INT(udp_send(AF_INET, port, "<13>now", 7), 0);
	pump(n, &s, 2);
	CHECK_STR(s.all, "<13>yes|<13>now");
	net_free(n);
}

/* Prefix lengths that do not end on a byte. */
TEST(net_allow_odd_prefix)
{
	struct net *n;
	struct net_stats st;
	struct sink s = { 0 };
	int port;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "udp:127.0.0.1:0");
	CHECK_INT(allow(n, 0, "127.128.0.0/9"), 0);
	CHECK_INT(allow(n, 0, "127.0.0.2/31"), 0);
	CHECK_INT(udp_send(AF_INET, port, "<13>no", 6), 0);
	settle(n, &s);
	CHECK_INT(s.n, 0);
	CHECK_INT(allow(n, 0, "127.0.0.0/9"), 0);
	CHECK_INT(udp_send(AF_INET, port, "<13>yes", 7), 0);
	pump(n, &s, 1);
	CHECK_STR(s.all, "<13>yes");
	net_stats(n, &st);
	CHECK_INT(st.ns_denied_dgrams, 1);
	net_free(n);
}

/* The default is loopback only; 0.0.0.0/0 and ::/0 allow everyone. */
TEST(net_allow_default_and_any)
{
	struct net *n;
	struct sink s = { 0 };
	int port;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "udp:127.0.0.1:0");
	CHECK_INT(udp_send(AF_INET, port, "<13>lo", 6), 0);
	pump(n, &s, 1);
	CHECK_INT(allow(n, 0, "0.0.0.0/0"), 0);
	CHECK_INT(udp_send(AF_INET, port, "<13>any", 7), 0);
	pump(n, &s, 2);
	CHECK_STR(s.all, "<13>lo|<13>any");
	net_free(n);
}

/* A connection from outside the list is closed at once and counted. */
TEST(net_allow_tcp_denied)
{
	struct net *n;
	struct net_stats st;
	struct net_lstats ls;
	struct sink s = { 0 };
	int port, fd;

	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "tcp:127.0.0.1:0");
	CHECK_INT(allow(n, 0, "10.0.0.0/8"), 0);
	if ((fd = tcp_connect(AF_INET, port)) != -1) {
		settle(n, &s);
		CHECK(peer_closed(fd));
		close(fd);
	}
	net_stats(n, &st);
	CHECK_INT(st.ns_denied_conns, 1);
	CHECK_INT(st.ns_tcp_accepted, 0);
	CHECK_INT(st.ns_tcp_open, 0);
	CHECK_INT(net_listener_stats(n, 0, &ls), 0);
	CHECK_INT(ls.nls_denied_conns, 1);
	CHECK_STR(ls.nls_last_denied, "127.0.0.1");
	net_free(n);
}

TEST(net_allow_v6)
{
	struct net *n;
	struct net_stats st;
	struct sink s = { 0 };
	char err[256], names[1][NET_NAMELEN];
	int port;

	if ((n = net_new(NULL)) == NULL)
		return;
	if (net_listen(n, "udp:[::1]:0", err, sizeof(err)) == -1) {
		printf("  skip net_allow_v6: %s\n", err);
		net_free(n);
		return;
	}
	net_bound(n, names, 1);
	port = (int)strtol(strrchr(names[0], ':') + 1, NULL, 10);
	CHECK_INT(allow(n, 0, "2001:db8::/32"), 0);
	CHECK_INT(allow(n, 0, "127.0.0.0/8"), 0);	/* never matches */
	CHECK_INT(udp_send(AF_INET6, port, "<13>no", 6), 0);
	settle(n, &s);
	CHECK_INT(s.n, 0);
	CHECK_INT(allow(n, 0, "::1/128"), 0);
	CHECK_INT(udp_send(AF_INET6, port, "<13>yes", 7), 0);
	pump(n, &s, 1);
	CHECK_STR(s.all, "<13>yes");
	net_stats(n, &st);
	CHECK_INT(st.ns_denied_dgrams, 1);
	net_free(n);
}

/* tcp-evtsys: records back to back; the last one ends when it is quiet. */
TEST(net_evtsys_tcp)
{
	struct net *n;
	struct sink s = { 0 };
	char names[1][NET_NAMELEN];
	int port, fd;

	if ((n = net_new(NULL)) == NULL)
		return;
	net_tick(n, 100);
	port = listen_port(n, "tcp-evtsys:127.0.0.1:0");
	net_bound(n, names, 1);
	CHECK(strncmp(names[0], "tcp-evtsys:127.0.0.1:", 21) == 0);
	if ((fd = tcp_connect(AF_INET, port)) == -1) {
		CHECK(fd != -1);
		net_free(n);
		return;
	}
	/* "9 " would be an octet count on a tcp: listener. */
	CHECK_INT(send_str(fd, "<13>Mar 14 10:15:02 a 9 <14>Mar 14 10:15:02 b "), 0);
	pump(n, &s, 1);
	settle(n, &s);
	CHECK_STR(s.all, "<13>Mar 14 10:15:02 a 9 ");
	net_tick(n, 100);		/* the same second: not quiet yet */
	settle(n, &s);
	CHECK_INT(s.n, 1);
	net_tick(n, 101);
	CHECK_INT(net_run(n, 32, sink_cb, &s), 0);
	CHECK_STR(s.all, "<13>Mar 14 10:15:02 a 9 |<14>Mar 14 10:15:02 b ");
	/* Quiet, but more bytes came first: they belong to the record. */
	CHECK_INT(send_str(fd, "<15>Mar 14 10:15:02 c"), 0);
	settle(n, &s);
	net_tick(n, 102);
	CHECK_INT(send_str(fd, " more<16>Mar 14 10:15:02 d"), 0);
	usleep(20000);
	pump(n, &s, 3);
	CHECK_STR(s.all, "<13>Mar 14 10:15:02 a 9 |<14>Mar 14 10:15:02 b "
	    "|<15>Mar 14 10:15:02 c more");
	/* The peer closes: the last record ends with the stream. */
	close(fd);
	pump(n, &s, 4);
	CHECK_STR(s.all, "<13>Mar 14 10:15:02 a 9 |<14>Mar 14 10:15:02 b "
	    "|<15>Mar 14 10:15:02 c more|<16>Mar 14 10:15:02 d");
	net_free(n);
}

/* A quiet sender's record waits for budget like any other. */
TEST(net_evtsys_flush_budget)
{
	struct net *n;
	struct sink s = { 0 };
	char buf[512];
	size_t len = 0;
	int port, fd, i;

	if ((n = net_new(NULL)) == NULL)
		return;
	net_tick(n, 10);
	port = listen_port(n, "tcp-evtsys:127.0.0.1:0");
	if ((fd = tcp_connect(AF_INET, port)) == -1) {
		CHECK(fd != -1);
		net_free(n);
		return;
	}
	settle(n, &s);			/* accepted */
	for (i = 0; i < 10; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "<13>Mar 14 10:15:02 r%d ", i);
	CHECK_INT(send_str(fd, buf), 0);
	usleep(20000);
	CHECK_INT(net_run(n, 4, sink_cb, &s), 1);
	CHECK_INT(s.n, 4);
	net_tick(n, 11);
	for (i = 0; i < 10 && s.n < 10; i++)
		net_run(n, 4, sink_cb, &s);
	CHECK_INT(s.n, 10);
	CHECK(strstr(s.all, "|<13>Mar 14 10:15:02 r9 ") != NULL);
	CHECK_INT(net_run(n, 4, sink_cb, &s), 0);
	close(fd);
	net_free(n);
}

/* A small buffer, a small budget, a tick in between: nothing is lost. */
TEST(net_evtsys_small_buffer)
{
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	char buf[512];
	size_t len = 0;
	int port, fd, i;

	if ((n = net_small(0, 64)) == NULL)
		return;
	net_tick(n, 10);
	port = listen_port(n, "tcp-evtsys:127.0.0.1:0");
	if ((fd = tcp_connect(AF_INET, port)) == -1) {
		CHECK(fd != -1);
		net_free(n);
		return;
	}
	settle(n, &s);
	for (i = 0; i < 20; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "<13>Mar 14 10:15:02 r%02d ", i);
	CHECK_INT(send_str(fd, buf), 0);
	usleep(20000);
	for (i = 0; i < 200 && s.n < 20; i++) {
		net_run(n, 2, sink_cb, &s);
		if (i == 3)
			net_tick(n, 11);	/* flush flagged mid-stream */
		if (i % 10 == 9)
			net_tick(n, 12 + i);
	}
	CHECK_INT(s.n, 20);
	CHECK(strstr(s.all, "<13>Mar 14 10:15:02 r00 |"
	    "<13>Mar 14 10:15:02 r01 |") == s.all);
	CHECK(strstr(s.all, "|<13>Mar 14 10:15:02 r19 ") != NULL);
	net_stats(n, &st);
	CHECK_INT(st.ns_framing, 0);
	CHECK_INT(st.ns_tcp_open, 1);
	close(fd);
	net_free(n);
}

/*
 * nl_maxconn_src: one sender holds at most that many connections; the
 * next is refused and counted, and another sender still gets in.
 */
TEST(net_tcp_per_sender_limit)
{
	struct net_limits lim;
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	const struct sender *row;
	int port, fd[3], other, i;

	memset(&lim, 0, sizeof(lim));
	lim.nl_maxconn = 8;
	lim.nl_maxconn_src = 2;
	if ((n = net_new(&lim)) == NULL)
		return;
	net_tick(n, 100);
	port = listen_port(n, "tcp:127.0.0.1:0");
	for (i = 0; i < 3; i++) {
		fd[i] = tcp_connect(AF_INET, port);
		settle(n, &s);
	}
	CHECK(peer_closed(fd[2]));
	other = tcp_connect_from("127.0.0.2", port);
	CHECK(other != -1);
	settle(n, &s);
	CHECK_INT(send_str(other, "<13>from .2\n"), 0);
	pump(n, &s, 1);
	CHECK_STR(s.all, "<13>from .2");
	net_stats(n, &st);
	CHECK_INT(st.ns_tcp_refused_src, 1);
	CHECK_INT(st.ns_tcp_open, 3);
	CHECK_STR(st.ns_last_refused, "127.0.0.1");
	row = sender_by_index(net_senders(n), 1);
	CHECK(row != NULL && row->s_open == 2 && row->s_refused == 1 &&
	    row->s_conns == 2);
	row = sender_by_index(net_senders(n), 2);
	CHECK(row != NULL && row->s_records == 1 && row->s_bytes == 11 &&
	    strcmp(row->s_name, "127.0.0.2") == 0);
	for (i = 0; i < 3; i++)
		close(fd[i]);
	close(other);
	net_free(n);
}

/*
 * nl_first: a connection with no whole record by then is closed (it
 * holds a slot for nothing); one that sent a record stays.
 */
TEST(net_tcp_first_record_timeout)
{
	struct net_limits lim;
	struct net *n;
	struct sink s = { 0 };
	struct net_stats st;
	int port, idle, half, talk;

	memset(&lim, 0, sizeof(lim));
	lim.nl_first = 5;
	if ((n = net_new(&lim)) == NULL)
		return;
	net_tick(n, 1000);
	port = listen_port(n, "tcp:127.0.0.1:0");
	idle = tcp_connect(AF_INET, port);
	half = tcp_connect(AF_INET, port);
	talk = tcp_connect(AF_INET, port);
	settle(n, &s);
	CHECK_INT(send_str(half, "<13>no end yet"), 0);
	CHECK_INT(send_str(talk, "<13>whole\n"), 0);
	pump(n, &s, 1);
	CHECK_INT(net_tick(n, 1004), 0);
	CHECK_INT(net_tick(n, 1005), 2);
	CHECK(peer_closed(idle));
	CHECK(peer_closed(half));
	net_stats(n, &st);
	CHECK_INT(st.ns_tcp_first, 2);
	CHECK_INT(st.ns_tcp_open, 1);
	CHECK_STR(st.ns_last_first, "127.0.0.1");
	close(idle);
	close(half);
	close(talk);
	net_free(n);
}

/* The sender table: a full one reuses the row heard from least recently. */
TEST(net_sender_table_evicts)
{
	struct sender_table *t;
	struct sender_stats st;
	struct sender *a, *b;
	struct addr x, y, z;

	CHECK(sender_table_new(0) == NULL);
	if ((t = sender_table_new(2)) == NULL)
		return;
	addr_parse("192.0.2.1", &x);
	addr_parse("192.0.2.2", &y);
	addr_parse("2001:db8::1", &z);
	a = sender_get(t, &x, 10);
	b = sender_get(t, &y, 20);
	CHECK(a != NULL && b != NULL && a != b);
	CHECK(sender_get(t, &x, 30) == a);
	a->s_last = 30;
	b->s_open = 1;			/* holds a connection: kept */
	a->s_open = 1;
	CHECK(sender_get(t, &z, 40) == NULL);
	a->s_open = 0;
	a = sender_get(t, &z, 40);	/* takes x's row */
	CHECK(a != NULL && a->s_index == 1 && strcmp(a->s_name,
	    "2001:db8::1") == 0);
	CHECK(sender_find(t, &x) == NULL);
	CHECK(sender_find(t, &y) == b);
	sender_stats(t, &st);
	CHECK_INT(st.ss_evicted, 1);
	CHECK_INT(st.ss_untracked, 1);
	sender_table_free(t);
}

/*
 * What a consumer works out per sender is kept per row: it holds for the
 * same sender under the same configuration, and not once the row went to
 * another sender or the configuration changed.
 */
TEST(net_sender_memo)
{
	struct sender_table *t;
	struct sender_memo memo[2];
	const struct sender_memo *m;
	struct sender *a, *b;
	struct addr x, y, z;
	const struct tz *zone = (const struct tz *)&x;	/* any address */
	uint64_t born_a;

	memset(memo, 0, sizeof(memo));
	if ((t = sender_table_new(2)) == NULL)
		return;
	addr_parse("192.0.2.1", &x);
	addr_parse("192.0.2.2", &y);
	addr_parse("192.0.2.3", &z);
	a = sender_get(t, &x, 10);
	b = sender_get(t, &y, 20);
	if (a == NULL || b == NULL) {
		CHECK(0);
		sender_table_free(t);
		return;
	}
	CHECK(a->s_born != 0 && b->s_born != 0 && a->s_born != b->s_born);
	born_a = a->s_born;
	CHECK(sender_memo_get(memo, 2, a->s_index, a->s_born, 1) == NULL);
	sender_memo_set(memo, 2, a->s_index, a->s_born, 1, zone, "mail1");
	sender_memo_set(memo, 2, b->s_index, b->s_born, 1, NULL, NULL);
	m = sender_memo_get(memo, 2, a->s_index, a->s_born, 1);
	CHECK(m != NULL && m->sm_tz == zone && m->sm_name != NULL &&
	    strcmp(m->sm_name, "mail1") == 0);
	m = sender_memo_get(memo, 2, b->s_index, b->s_born, 1);
	CHECK(m != NULL && m->sm_tz == NULL && m->sm_name == NULL);
	/* The same sender again: the same row, the same occupant. */
	CHECK(sender_get(t, &x, 30) == a && a->s_born == born_a);
	/* A reload: worked out again. */
	CHECK(sender_memo_get(memo, 2, a->s_index, a->s_born, 2) == NULL);
	/* x's row goes to z (least recently heard): a new occupant. */
	a->s_last = 5;
	b->s_last = 30;
	b = sender_get(t, &z, 40);
	CHECK(b != NULL && b->s_index == 1 && b->s_born != 0 &&
	    b->s_born != born_a);
	if (b != NULL)
		CHECK(sender_memo_get(memo, 2, b->s_index, b->s_born, 1) ==
		    NULL);
	/* Not tracked, or no such row: nothing kept, nothing found. */
	sender_memo_set(memo, 2, 0, 7, 1, zone, "x");
	sender_memo_set(memo, 2, 3, 7, 1, zone, "x");
	CHECK(sender_memo_get(memo, 2, 0, 7, 1) == NULL);
	CHECK(sender_memo_get(memo, 2, 3, 7, 1) == NULL);
	CHECK(sender_memo_get(memo, 2, 1, 0, 1) == NULL);
	sender_table_free(t);
}

TEST_MAIN(
	T(net_tcp_per_sender_limit), T(net_tcp_first_record_timeout),
	T(net_sender_table_evicts), T(net_sender_memo),
	T(net_new_defaults),
	T(net_limits_bad),
	T(net_bad_specs),
	T(net_unix_path_too_long),
	T(net_listen_cap),
	T(net_port_in_use),
	T(net_udp_v4),
	T(net_udp_v6),
	T(net_udp_oversize),
	T(net_run_budget_udp),
	T(net_run_budget_tcp),
	T(net_tcp_octet),
	T(net_tcp_lf),
	T(net_tcp_v6),
	T(net_tcp_one_byte_at_a_time),
	T(net_tcp_conn_cap),
	T(net_tcp_idle_close),
	T(net_tcp_idle_before_first_tick),
	T(net_tcp_emfile_reserve),
	T(net_tcp_framing_error),
	T(net_tcp_oversize_line),
	T(net_tcp_maxrec_record),
	T(net_unix_dgram),
	T(net_allow_bad),
	T(net_allow_unix_refused),
	T(net_allow_udp_denied),
	T(net_allow_odd_prefix),
	T(net_allow_default_and_any),
	T(net_allow_tcp_denied),
	T(net_allow_v6),
	T(net_evtsys_tcp),
	T(net_evtsys_flush_budget),
	T(net_evtsys_small_buffer)
)
