/*
 * flood: the sender of bench/ingest.sh.
 *
 *	flood [-r RATE] [-d SECONDS] [-n LINES] [-P PROCS] HOST PORT FILE
 *								(UDP)
 *	flood -t [-n LINES] HOST PORT FILE			(TCP)
 *	flood -s SECONDS HOST PORT				(sink)
 *
 * Reads the lines of FILE (a corpus; its lines are sent over and over
 * when more are wanted) and sends them to HOST:PORT, a numeric loopback
 * address.  UDP: one line per datagram, without its LF, at RATE lines a
 * second (default 50,000) for SECONDS (default 3) or LINES lines, paced
 * on the monotonic clock in slots of at most 100 µs and sent in batches
 * with sendmmsg(2).  With -P, PROCS processes (default 1) send at
 * RATE / PROCS each, from sockets of their own, each starting at another
 * place in the corpus: one process cannot outrun a receiver whose
 * datagrams the kernel delivers in the sender's system call, several can
 * keep more CPUs busy.  TCP: LINES lines (default 1,000,000), each with its
 * LF (RFC 6587 non-transparent framing), as fast as one connection takes
 * them; then it closes.  Sink: a UDP socket bound to HOST:PORT with a
 * 4 MiB receive buffer that nobody reads, for SECONDS: the kernel drops
 * what does not fit, so senders aimed at it show their own ceiling.
 *
 * Prints one line: "sent LINES BYTES NANOSECONDS" (the time from the
 * first line to the last one handed to the kernel; with -P, the lines
 * and bytes of all processes and the longest time).  Exit status 0, or 1
 * with a message on an error.
 */
#define _GNU_SOURCE	/* sendmmsg(2) */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH		64		/* datagrams per sendmmsg(2) */
#define SLOT_NS		100000		/* the pacing's sleep */
#define TCP_BUF		(256 * 1024)
#define MAX_LINE	8192
#define MAX_PROCS	16

struct corpus {
	char		*buf;		/* the file, LFs and all */
	size_t		 len;
	size_t		*off;		/* start of each line */
	size_t		 n;
};

static int	 corpus_load(struct corpus *, const char *);
static int64_t	 now_ns(void);
static int	 open_sock(const char *, const char *, int,
		    struct sockaddr_in *);
static int	 send_udp(int, const struct corpus *, uint64_t, uint64_t,
		    double, uint64_t, uint64_t *, uint64_t *);
static int	 send_udp_procs(const char *, const char *,
		    const struct corpus *, uint64_t, uint64_t, double, int,
		    uint64_t *, uint64_t *, int64_t *);
static int	 write_all(int, const char *, size_t);
static int	 send_tcp(int, const struct corpus *, uint64_t, uint64_t *);
static int	 sink_udp(const char *, const char *, double);
static void	 usage(void);

static void
usage(void)
{
	fprintf(stderr, "usage: flood [-r RATE] [-d SECONDS] [-n LINES] "
	    "[-P PROCS] HOST PORT FILE\n       flood -t [-n LINES] HOST PORT "
	    "FILE\n       flood -s SECONDS HOST PORT\n");
	exit(1);
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The whole file in memory, with the offset of every line. */
static int
corpus_load(struct corpus *c, const char *path)
{
	struct stat st;
	FILE *f;
	size_t i, k;

	memset(c, 0, sizeof(*c));
	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) == -1 ||
	    st.st_size <= 0) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	c->len = (size_t)st.st_size;
	if ((c->buf = malloc(c->len + 1)) == NULL ||
	    fread(c->buf, 1, c->len, f) != c->len) {
		fclose(f);
		return -1;
	}
	fclose(f);
	if (c->buf[c->len - 1] != '\n')
		c->buf[c->len++] = '\n';
	for (i = 0; i < c->len; i++)
		c->n += c->buf[i] == '\n';
	if ((c->off = calloc(c->n + 1, sizeof(*c->off))) == NULL)
		return -1;
	for (i = 0, k = 0; i < c->len; i++)
		if (c->buf[i] == '\n')
			c->off[++k] = i + 1;
	for (k = 0; k < c->n; k++)
		if (c->off[k + 1] - c->off[k] - 1 > MAX_LINE ||
		    c->off[k + 1] - c->off[k] == 1) {
			fprintf(stderr, "flood: %s: line %zu empty or over %d "
			    "bytes\n", path, k + 1, MAX_LINE);
			return -1;
		}
	return 0;
}

static int
open_sock(const char *host, const char *port, int type,
    struct sockaddr_in *sin)
{
	char *end;
	long p;
	int fd;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p < 1 || p > 65535 ||
	    inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		fprintf(stderr, "flood: want a numeric IPv4 address and a "
		    "port\n");
		return -1;
	}
	sin->sin_port = htons((uint16_t)p);
	if ((fd = socket(AF_INET, type, 0)) == -1)
		return -1;
	/* Connected UDP too: no route lookup per datagram. */
	if (connect(fd, (struct sockaddr *)sin, sizeof(*sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Lines are due at rate a second from the start: send what is due, in
 * batches, then sleep a slot.  Stops after want lines or at deadline.
 * The first line sent is line first of the corpus.
 */
static int
send_udp(int fd, const struct corpus *c,
    uint64_t want, uint64_t dur_ns, double rate, uint64_t first,
    uint64_t *sent, uint64_t *bytes)
{
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	struct timespec slot = { 0, SLOT_NS };
	int64_t t0 = now_ns(), el;
	uint64_t due, line = first;
	unsigned i, k;
	int r;

	while (*sent < want) {
		el = now_ns() - t0;
		if ((uint64_t)el >= dur_ns)
			break;
		due = (uint64_t)((double)el * rate / 1e9) + 1;
		if (due > want)
			due = want;
		if (due <= *sent) {
			nanosleep(&slot, NULL);
			continue;
		}
		k = due - *sent > BATCH ? BATCH : (unsigned)(due - *sent);
		for (i = 0; i < k; i++, line++) {
			size_t l = line % c->n;

			iov[i].iov_base = c->buf + c->off[l];
			iov[i].iov_len = c->off[l + 1] - c->off[l] - 1;
			memset(&msg[i], 0, sizeof(msg[i]));
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(fd, msg, k, 0);
		if (r == -1) {
			/* ECONNREFUSED: nobody listened a moment ago. */
			if (errno == EINTR || errno == ENOBUFS ||
			    errno == EAGAIN || errno == ECONNREFUSED) {
				line -= k;
				continue;
			}
			return -1;
		}
		for (i = 0; i < (unsigned)r; i++)
			*bytes += iov[i].iov_len;
		*sent += (unsigned)r;
		line -= k - (unsigned)r;
	}
	return 0;
}

/*
 * procs processes, each with its own socket, at rate / procs and want /
 * procs: the sums of what they sent, and the longest time one took.
 */
static int
send_udp_procs(const char *host, const char *port, const struct corpus *c,
    uint64_t want, uint64_t dur_ns, double rate, int procs, uint64_t *sent,
    uint64_t *bytes, int64_t *ns)
{
	struct sockaddr_in to;
	struct { uint64_t sent, bytes; int64_t ns; int rc; } res;
	pid_t pid[MAX_PROCS];
	int p[2], k, st, rc = 0, fd;
	int64_t t0;

	if (pipe(p) == -1)
		return -1;
	for (k = 0; k < procs; k++) {
		if ((pid[k] = fork()) == -1) {
			procs = k;
			rc = -1;
			break;
		}
		if (pid[k] > 0)
			continue;
		close(p[0]);
		memset(&res, 0, sizeof(res));
		fd = open_sock(host, port, SOCK_DGRAM, &to);
		t0 = now_ns();
		res.rc = fd == -1 ? -1 : send_udp(fd, c, want == UINT64_MAX ?
		    want : want / (uint64_t)procs, dur_ns, rate / procs,
		    (uint64_t)k * c->n / (uint64_t)procs, &res.sent,
		    &res.bytes);
		res.ns = now_ns() - t0;
		if (res.rc == -1)
			fprintf(stderr, "flood: process %d: %s\n", k,
			    strerror(errno));
		/* A pipe write this small is atomic. */
		_exit(write(p[1], &res, sizeof(res)) == (ssize_t)sizeof(res) &&
		    res.rc == 0 ? 0 : 1);
	}
	close(p[1]);
	*ns = 0;
	while (read(p[0], &res, sizeof(res)) == (ssize_t)sizeof(res)) {
		*sent += res.sent;
		*bytes += res.bytes;
		if (res.ns > *ns)
			*ns = res.ns;
	}
	close(p[0]);
	for (k = 0; k < procs; k++)
		if (waitpid(pid[k], &st, 0) == -1 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			rc = -1;
	return rc;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t k;

	while (len > 0) {
		if ((k = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

/* want lines with their LFs, in writes of up to TCP_BUF bytes. */
static int
send_tcp(int fd, const struct corpus *c, uint64_t want, uint64_t *bytes)
{
	static char buf[TCP_BUF];
	uint64_t line;
	size_t used = 0, l, n;

	for (line = 0; line < want; line++) {
		l = line % c->n;
		n = c->off[l + 1] - c->off[l];
		if (used + n > sizeof(buf)) {
			if (write_all(fd, buf, used) == -1)
				return -1;
			*bytes += used;
			used = 0;
		}
		memcpy(buf + used, c->buf + c->off[l], n);
		used += n;
	}
	if (write_all(fd, buf, used) == -1)
		return -1;
	*bytes += used;
	return 0;
}

/* Bind HOST:PORT, read nothing for secs seconds. */
static int
sink_udp(const char *host, const char *port, double secs)
{
	struct sockaddr_in sin;
	struct timespec ts;
	char *end;
	long p = strtol(port, &end, 10);
	int fd, buf = 4 << 20;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)p);
	if (*port == '\0' || *end != '\0' || p < 1 || p > 65535 ||
	    inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf,
	    sizeof(buf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	close(fd);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in to;
	struct corpus c;
	double rate = 50000, secs = 3;
	uint64_t want = 0, sent = 0, bytes = 0;
	int64_t t0, t1, ns;
	int ch, tcp = 0, fd, rc, procs = 1;
	char *end;

	if (argc == 5 && strcmp(argv[1], "-s") == 0) {
		secs = strtod(argv[2], &end);
		if (*end != '\0' || secs <= 0 || secs > 3600)
			usage();
		if (sink_udp(argv[3], argv[4], secs) == -1) {
			fprintf(stderr, "flood: %s:%s: %s\n", argv[3], argv[4],
			    strerror(errno));
			return 1;
		}
		return 0;
	}
	while ((ch = getopt(argc, argv, "d:n:P:r:t")) != -1) {
		switch (ch) {
		case 'P':
			procs = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || procs < 1 || procs > MAX_PROCS)
				usage();
			break;
		case 'd':
			secs = strtod(optarg, &end);
			if (*end != '\0' || secs <= 0 || secs > 3600)
				usage();
			break;
		case 'n':
			want = strtoull(optarg, &end, 10);
			if (*end != '\0' || want == 0)
				usage();
			break;
		case 'r':
			rate = strtod(optarg, &end);
			if (*end != '\0' || rate < 1 || rate > 1e8)
				usage();
			break;
		case 't':
			tcp = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 3)
		usage();
	if (corpus_load(&c, argv[optind + 2]) == -1) {
		fprintf(stderr, "flood: %s: cannot read it\n", argv[optind + 2]);
		return 1;
	}
	if (procs > 1 && !tcp) {
		if (want == 0)
			want = UINT64_MAX;
		fflush(stdout);
		if (send_udp_procs(argv[optind], argv[optind + 1], &c, want,
		    (uint64_t)(secs * 1e9), rate, procs, &sent, &bytes,
		    &ns) == -1) {
			fprintf(stderr, "flood: a sending process failed\n");
			return 1;
		}
		printf("sent %llu %llu %lld\n", (unsigned long long)sent,
		    (unsigned long long)bytes, (long long)ns);
		free(c.buf);
		free(c.off);
		return 0;
	}
	fd = open_sock(argv[optind], argv[optind + 1],
	    tcp ? SOCK_STREAM : SOCK_DGRAM, &to);
	if (fd == -1) {
		fprintf(stderr, "flood: %s:%s: %s\n", argv[optind],
		    argv[optind + 1], strerror(errno));
		return 1;
	}
	t0 = now_ns();
	if (tcp) {
		if (want == 0)
			want = 1000000;
		rc = send_tcp(fd, &c, want, &bytes);
		sent = want;
	} else {
		if (want == 0)
			want = UINT64_MAX;
		rc = send_udp(fd, &c, want, (uint64_t)(secs * 1e9), rate, 0,
		    &sent, &bytes);
	}
	t1 = now_ns();
	if (rc == -1) {
		fprintf(stderr, "flood: send: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("sent %llu %llu %lld\n", (unsigned long long)sent,
	    (unsigned long long)bytes, (long long)(t1 - t0));
	free(c.buf);
	free(c.off);
	return 0;
}
