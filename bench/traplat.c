/*
 * traplat: how long from a syslog line reaching imsmond to the
 * notification it causes being written by snmptrapd (bench/traplat.sh).
 *
 *	traplat HOST PORT TRAPLOG TAG N spaced SPACING_MS
 *	traplat HOST PORT TRAPLOG TAG N burst
 *
 * Each incident is one MSExchangeIMC 4143 record over UDP from a server
 * of its own, TAG followed by its number.  TRAPLOG is snmptrapd's log
 * (one line per notification, -F "TRAP %v\n"); it is watched with
 * inotify, and an incident's time is taken when the first line naming its
 * server ("TAGn", quoted, as imsFaultServer or imsServerDisplayName
 * shows it) is read.  spaced: one incident, wait for its notification
 * (at most 2 s), SPACING_MS of quiet, the next.  burst: all N sent at
 * once, then wait until every one is in or nothing new came for 15 s.
 *
 * prints: "MODE N RECEIVED P50_US P99_US MAX_US" (microseconds)
 */
#include <sys/inotify.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN	65536

static int64_t	*sent, *got;
static size_t	 n, ngot;
static const char *tag;
static int	 ifd, lfd;
static char	 carry[LINE_MAX_LEN];
static size_t	 ncarry;

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
die(const char *what)
{
	fprintf(stderr, "traplat: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Every "TAGn" (quoted) in one line of the log. */
static void
line(const char *l, int64_t t)
{
	size_t tl = strlen(tag);
	const char *p = l;
	char *end;
	unsigned long i;

	while ((p = strchr(p, '"')) != NULL) {
		p++;
		if (strncmp(p, tag, tl) != 0)
			continue;
		i = strtoul(p + tl, &end, 10);
		if (end == p + tl || *end != '"' || i >= n)
			continue;
		if (got[i] == 0) {
			got[i] = t;
			ngot++;
		}
	}
}

/* Read what snmptrapd added to its log; wait at most ms for it. */
static void
drain(int ms)
{
	struct pollfd pfd = { .fd = ifd, .events = POLLIN };
	char ev[4096], buf[LINE_MAX_LEN];
	ssize_t k;
	int64_t t;
	size_t i, start;

	if (poll(&pfd, 1, ms) > 0 && read(ifd, ev, sizeof(ev)) < 0 &&
	    errno != EAGAIN)
		die("inotify");
	t = now_us();
	while ((k = read(lfd, buf, sizeof(buf))) > 0) {
		for (start = 0, i = 0; i < (size_t)k; i++) {
			if (buf[i] != '\n')
				continue;
			if (ncarry + i - start < sizeof(carry)) {
				memcpy(carry + ncarry, buf + start, i - start);
				ncarry += i - start;
			}
			carry[ncarry] = '\0';
			line(carry, t);
			ncarry = 0;
			start = i + 1;
		}
		if (ncarry + (size_t)k - start < sizeof(carry)) {
			memcpy(carry + ncarry, buf + start, (size_t)k - start);
			ncarry += (size_t)k - start;
		}
	}
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct timespec gap;
	char msg[256];
	int64_t *lat, t0, last;
	size_t i, k, before;
	int s, burst, spacing = 0, len;

	if (argc < 7 || (strcmp(argv[6], "burst") != 0 && (argc != 8 ||
	    strcmp(argv[6], "spaced") != 0))) {
		fprintf(stderr, "usage: traplat HOST PORT TRAPLOG TAG N "
		    "spaced SPACING_MS | burst\n");
		return 2;
	}
	burst = strcmp(argv[6], "burst") == 0;
	if (!burst)
		spacing = atoi(argv[7]);
	tag = argv[4];
	n = strtoul(argv[5], NULL, 10);
	if (n == 0 || (sent = calloc(n, sizeof(*sent))) == NULL ||
	    (got = calloc(n, sizeof(*got))) == NULL ||
	    (lat = calloc(n, sizeof(*lat))) == NULL)
		die("memory");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1)
		die(argv[1]);
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		die("socket");
	if ((ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1 ||
	    inotify_add_watch(ifd, argv[3], IN_MODIFY) == -1)
		die(argv[3]);
	if ((lfd = open(argv[3], O_RDONLY | O_CLOEXEC)) == -1 ||
	    lseek(lfd, 0, SEEK_END) == -1)
		die(argv[3]);
	for (i = 0; i < n; i++) {
		len = snprintf(msg, sizeof(msg), "<27>Mar 14 10:00:%02zu %s%zu "
		    "MSExchangeIMC: 4143: The Internet Mail Service could not "
		    "start", i % 60, tag, i);
		sent[i] = now_us();
		if (sendto(s, msg, (size_t)len, 0, (struct sockaddr *)&sa,
		    sizeof(sa)) == -1)
			die("sendto");
		if (burst)
			continue;
		t0 = now_us();
		while (got[i] == 0 && now_us() - t0 < 2000000)
			drain(100);
		gap.tv_sec = spacing / 1000;
		gap.tv_nsec = (long)(spacing % 1000) * 1000000;
		nanosleep(&gap, NULL);
		drain(0);
	}
	last = now_us();
	while (ngot < n && now_us() - last < 15000000) {
		before = ngot;
		drain(200);
		if (ngot != before)
			last = now_us();
	}
	for (i = 0, k = 0; i < n; i++)
		if (got[i] != 0)
			lat[k++] = got[i] - sent[i];
	qsort(lat, k, sizeof(*lat), cmp64);
	printf("%s %zu %zu %lld %lld %lld\n", burst ? "burst" : "spaced", n,
	    k, k ? (long long)lat[(k - 1) / 2] : -1LL,
	    k ? (long long)lat[(k * 99 + 99) / 100 - 1] : -1LL,
	    k ? (long long)lat[k - 1] : -1LL);
	return 0;
}
