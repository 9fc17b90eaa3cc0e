/*
 * net_dgram: reading datagrams in batches.  Each record of a batch
 * carries its own sender (the listener remembers the last one, never
 * past a change of address, of allowlist or of the sender's row), and
 * the kernel's drops on a full buffer are counted at the tick.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <poll.h>
#include <unistd.h>

#include "ingest/net.h"
#include "ingest/sender.h"
#include "netrig.h"
#include "test.h"

#define MAXREC	64

/* Every record the callback saw, with who sent it. */
struct rec_sink {
	int	 n;
	char	 text[MAXREC][32];
	char	 peer[MAXREC][NET_PEERLEN];
	uint32_t sender[MAXREC];
	uint64_t born[MAXREC];
	size_t	 listener[MAXREC];
};

static void
rec_cb(void *arg, const uint8_t *rec, size_t n, const struct net_from *from)
{
	struct rec_sink *s = arg;

	if (s->n >= MAXREC)
		return;
	snprintf(s->text[s->n], sizeof(s->text[0]), "%.*s", (int)n,
	    (const char *)rec);
	snprintf(s->peer[s->n], sizeof(s->peer[0]), "%s", from->nf_peer);
	s->sender[s->n] = from->nf_sender;
	s->born[s->n] = from->nf_born;
	s->listener[s->n] = from->nf_listener;
	s->n++;
}

/* Run the net until the sink holds want records or about 2 s pass. */
static void
pump(struct net *n, struct rec_sink *s, int want)
{
	netrig_pump(n, 512, rec_cb, s, &s->n, want);
}

static int
listen_port(struct net *n, const char *spec)
{
	return netrig_listen(n, spec);
}

/* One datagram from the loopback address from to 127.0.0.1:port. */
static int
send_from(const char *from, int port, const char *msg)
{
	struct sockaddr_in src, dst;
	ssize_t k;
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	inet_pton(AF_INET, from, &src.sin_addr);
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1) {
		close(fd);
		return -1;
	}
	k = sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&dst,
	    sizeof(dst));
	close(fd);
	return k == (ssize_t)strlen(msg) ? 0 : -1;
}

/*
 * Senders interleaved in one batch: each record names its own sender,
 * the same sender always the same row, and a refused sender between
 * two allowed ones costs only its own datagrams.
 */
TEST(dgram_senders_in_one_batch)
{
	static const char *from[] = {
		"127.0.0.1", "127.0.0.2", "127.0.0.2", "127.0.0.1",
		"127.0.0.3", "127.0.0.1", "127.0.0.3", "127.0.0.2",
	};
	char err[256], msg[32];
	struct rec_sink s;
	struct net_stats st;
	struct net *n;
	size_t i, k;
	int port;

	memset(&s, 0, sizeof(s));
	if ((n = net_new(NULL)) == NULL)
		return;
	port = listen_port(n, "udp:127.0.0.1:0");
	CHECK_INT(net_allow(n, 0, "127.0.0.1", err, sizeof(err)), 0);
	CHECK_INT(net_allow(n, 0, "127.0.0.2", err, sizeof(err)), 0);
	/* All sent before the first read: one recvmmsg(2) takes them. */
	for (i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		snprintf(msg, sizeof(msg), "<13>m%zu", i);
		CHECK_INT(send_from(from[i], port, msg), 0);
	}
	pump(n, &s, 6);
	CHECK_INT(s.n, 6);
	for (i = 0, k = 0; i < sizeof(from) / sizeof(from[0]) &&
	    k < (size_t)s.n; i++) {
		if (strcmp(from[i], "127.0.0.3") == 0)
			continue;
		snprintf(msg, sizeof(msg), "<13>m%zu", i);
		CHECK_STR(s.text[k], msg);
		CHECK_STR(s.peer[k], from[i]);
		/* 127.0.0.1 came first: row 1; 127.0.0.2 row 2. */
		CHECK_INT(s.sender[k], from[i][8] == '1' ? 1 : 2);
		k++;
	}
	net_stats(n, &st);
	CHECK_INT(st.ns_denied_dgrams, 2);
	CHECK_INT(st.ns_records, 6);
	CHECK_INT(st.ns_datagrams, 8);
	net_free(n);
}

/*
 * A row the listener remembered, taken over by another sender through
 * another listener: the next datagram from the first sender gets a row
 * of its own again, not the other sender's.
 */
TEST(dgram_sender_row_taken_over)
{
	struct net_limits lim;
	struct rec_sink s;
	struct net *n;
	int a, b;

	memset(&s, 0, sizeof(s));
	memset(&lim, 0, sizeof(lim));
	lim.nl_senders = 1;
	if ((n = net_new(&lim)) == NULL)
		return;
	a = listen_port(n, "udp:127.0.0.1:0");
	b = listen_port(n, "udp:127.0.0.1:0");
	CHECK_INT(send_from("127.0.0.1", a, "<13>one"), 0);
	pump(n, &s, 1);
	CHECK_INT(send_from("127.0.0.2", b, "<13>two"), 0);
	pump(n, &s, 2);
	CHECK_INT(send_from("127.0.0.1", a, "<13>three"), 0);
	pump(n, &s, 3);
	CHECK_INT(s.n, 3);
	CHECK_STR(s.peer[0], "127.0.0.1");
	CHECK_STR(s.peer[1], "127.0.0.2");
	CHECK_STR(s.peer[2], "127.0.0.1");
	CHECK_INT(s.listener[2], 0);
	/* One row, three occupants in turn. */
	CHECK_INT(s.sender[2], 1);
	CHECK(s.born[0] < s.born[1] && s.born[1] < s.born[2]);
	CHECK(sender_by_index(net_senders(n), 1) != NULL &&
	    strcmp(sender_by_index(net_senders(n), 1)->s_name,
	    "127.0.0.1") == 0);
	net_free(n);
}

/*
 * Datagrams the kernel dropped on a full receive buffer: counted at the
 * tick, per listener and in all, so that what was read and what was
 * dropped add up to what was sent.
 */
TEST(dgram_kernel_drops)
{
	struct net_limits lim;
	struct net_lstats ls;
	struct net_stats st;
	struct rec_sink s;
	struct net *n;
	char msg[200];
	int port, i, sent = 0;

	memset(&s, 0, sizeof(s));
	memset(&lim, 0, sizeof(lim));
	lim.nl_rcvbuf = 4096;		/* a few datagrams only */
	if ((n = net_new(&lim)) == NULL)
		return;
	port = listen_port(n, "udp:127.0.0.1:0");
	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	memcpy(msg, "<13>", 4);
	for (i = 0; i < 200; i++)
		if (send_from("127.0.0.1", port, msg) == 0)
			sent++;
	CHECK_INT(sent, 200);
	net_tick(n, 1);
	net_stats(n, &st);
	CHECK(st.ns_kernel_drops > 0 && st.ns_kernel_drops < 200);
	/* Read what the buffer held; the count does not move. */
	for (i = 0; i < 20; i++)
		(void)net_run(n, 512, rec_cb, &s);
	net_tick(n, 2);
	net_stats(n, &st);
	CHECK_INT((uint64_t)s.n + st.ns_kernel_drops, 200);
	CHECK_INT(st.ns_datagrams, s.n);
	CHECK_INT(net_listener_stats(n, 0, &ls), 0);
	CHECK_INT(ls.nls_kernel_drops, st.ns_kernel_drops);
	/* Counted once: another tick adds nothing. */
	net_tick(n, 3);
	net_stats(n, &st);
	CHECK_INT((uint64_t)s.n + st.ns_kernel_drops, 200);
	net_free(n);
}

TEST_MAIN(
	T(dgram_senders_in_one_batch),
	T(dgram_sender_row_taken_over),
	T(dgram_kernel_drops)
)
