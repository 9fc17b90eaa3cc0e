/* frame: RFC 6587 octet counting and non-transparent framing. */
#include <errno.h>

#include "ingest/frame.h"
#include "parse/parse.h"
#include "test.h"

/*
 * What a stream delivered: the records joined with '|', how many, and
 * whether it ended malformed or stuck (need-more on a full buffer).
 */
struct got {
	char		 recs[512];
	size_t		 len;
	int		 nrec;
	int		 malformed;
	int		 stuck;
	uint64_t	 oversize;
};

static void
got_add(struct got *g, struct span rec)
{
	size_t k;

	if (g->nrec > 0 && g->len + 1 < sizeof(g->recs))
		g->recs[g->len++] = '|';
	k = rec.n < sizeof(g->recs) - 1 - g->len ?
	    rec.n : sizeof(g->recs) - 1 - g->len;
	memcpy(g->recs + g->len, rec.p, k);
	g->len += k;
	g->recs[g->len] = '\0';
	g->nrec++;
}

/*
 * Feed data to a frame the way net.c does: chunk bytes per read into a
 * buffer of FRAME_BUFSZ(max) bytes, frame everything, keep the rest at
 * the front.  eof: call frame_eof() on what is left at the end.
 */
static void
feed(struct got *g, enum frame_mode mode, size_t max, const void *data,
    size_t n, size_t chunk, int eof)
{
	const uint8_t *in = data;
	struct frame fr;
	struct span rec;
	uint8_t *buf;
	size_t cap, len = 0, off = 0, k;
	ssize_t r;

	memset(g, 0, sizeof(*g));
	cap = FRAME_BUFSZ(max);
	if ((buf = malloc(cap)) == NULL || frame_init(&fr, mode, max) == -1) {
		g->malformed = 1;
		free(buf);
		return;
	}
	while (off < n || len > 0) {
		k = n - off < chunk ? n - off : chunk;
		if (k > cap - len)
			k = cap - len;
		memcpy(buf + len, in + off, k);
		len += k;
		off += k;
		while ((r = frame_next(&fr, buf, len, &rec)) > 0) {
			CHECK(rec.n <= max);
			if (rec.n > 0)
				got_add(g, rec);
			memmove(buf, buf + r, len - (size_t)r);
			len -= (size_t)r;
		}
		if (r == -1) {
			CHECK_INT(errno, EPROTO);
			g->malformed = 1;
			break;
		}
		if (len == cap) {
			g->stuck = 1;
			break;
		}
		if (off == n)
			break;
	}
	if (eof && !g->malformed && !g->stuck) {
		r = frame_eof(&fr, buf, len, &rec);
		if (r == -1)
			g->malformed = 1;
		else if (rec.n > 0) {
			CHECK(rec.n <= max);
			got_add(g, rec);
		}
	}
	g->oversize = fr.fr_oversize;
	free(buf);
}

static void
feed_str(struct got *g, const char *s, size_t chunk)
{
	feed(g, FRAME_DETECT, PARSE_MAXREC, s, strlen(s), chunk, 0);
}

TEST(frame_init_bad_max)
{
	struct frame fr;

	CHECK_INT(frame_init(&fr, FRAME_DETECT, 0), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(frame_init(&fr, FRAME_DETECT, FRAME_MAXREC_LIMIT + 1), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(frame_init(&fr, (enum frame_mode)99, 100), -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(frame_init(&fr, FRAME_CONCAT, 100), 0);
	CHECK_INT(frame_init(&fr, FRAME_DETECT, FRAME_MAXREC_LIMIT), 0);
}

TEST(frame_octet_one)
{
	struct frame fr;
	struct span rec;
	const char *s = "5 hello";

	frame_init(&fr, FRAME_DETECT, PARSE_MAXREC);
	CHECK_INT(frame_next(&fr, (const uint8_t *)s, 7, &rec), 7);
	CHECK_SPAN(rec, "hello");
	CHECK_INT(fr.fr_mode, FRAME_OCTET);
}

TEST(frame_octet_two_in_one_read)
{
	struct got g;

	feed_str(&g, "11 hello world5 again", 1000);
	CHECK_STR(g.recs, "hello world|again");
	CHECK_INT(g.malformed, 0);
}

TEST(frame_octet_byte_by_byte)
{
	struct got g;

	feed_str(&g, "11 hello world5 again", 1);
	CHECK_STR(g.recs, "hello world|again");
	CHECK_INT(g.nrec, 2);
}

/* MSG may hold LF, CR and NUL: only the count says where it ends. */
TEST(frame_octet_binary_msg)
{
	struct got g;

	feed(&g, FRAME_DETECT, PARSE_MAXREC, "6 a\nb\0c\r2 ok", 12, 3, 1);
	CHECK_INT(g.nrec, 2);
	CHECK_INT(memcmp(g.recs, "a\nb\0c\r|ok", 10), 0);
	CHECK_INT(g.malformed, 0);
}

TEST(frame_octet_need_more)
{
	struct frame fr;
	struct span rec;

	frame_init(&fr, FRAME_DETECT, PARSE_MAXREC);
	CHECK_INT(frame_next(&fr, (const uint8_t *)"5 hel", 5, &rec), 0);
	CHECK_INT(frame_next(&fr, (const uint8_t *)"12345", 5, &rec), 0);
	CHECK_INT(frame_next(&fr, (const uint8_t *)"", 0, &rec), 0);
}

TEST(frame_octet_count_zero)
{
	struct got g;

	feed_str(&g, "0 hello", 100);
	CHECK_INT(g.malformed, 1);
	feed_str(&g, "5 hello0 ", 100);
	CHECK_STR(g.recs, "hello");
	CHECK_INT(g.malformed, 1);
}

TEST(frame_octet_leading_zero)
{
	struct got g;

	feed_str(&g, "5 hello05 hello", 100);
	CHECK_STR(g.recs, "hello");
	CHECK_INT(g.malformed, 1);
}

/* FRAME_OCTET_MAXDIGITS: a 10th digit is malformed at once. */
TEST(frame_octet_10_digits)
{
	struct got g;
	struct frame fr;
	struct span rec;

	feed_str(&g, "1234567890 x", 100);
	CHECK_INT(g.malformed, 1);
	feed_str(&g, "1000000000 x", 1);
	CHECK_INT(g.malformed, 1);
	frame_init(&fr, FRAME_OCTET, PARSE_MAXREC);
	CHECK_INT(frame_next(&fr, (const uint8_t *)"1234567890", 10, &rec),
	    -1);
	/* Nine digits is a count, just a big one. */
	frame_init(&fr, FRAME_OCTET, PARSE_MAXREC);
	CHECK_INT(frame_next(&fr, (const uint8_t *)"999999999 x", 11, &rec),
	    10);
	CHECK_INT(fr.fr_oversize, 1);
	CHECK_INT(fr.fr_skip, 999999999);
}

/* A count over the maximum drops that frame whole; the stream goes on. */
TEST(frame_octet_count_over_max)
{
	struct got g;
	char *s;
	size_t n;

	feed(&g, FRAME_DETECT, 16, "17 aaaaaaaaaaaaaaaaa2 ok", 24, 1, 1);
	CHECK_STR(g.recs, "ok");
	CHECK_INT(g.oversize, 1);
	CHECK_INT(g.malformed, 0);

	n = 6 + PARSE_MAXREC + 1 + 7;
	if ((s = malloc(n + 1)) == NULL)
		return;
	memcpy(s, "65537 ", 6);
	memset(s + 6, 'x', PARSE_MAXREC + 1);
	memcpy(s + 6 + PARSE_MAXREC + 1, "5 after", 7);
	feed(&g, FRAME_DETECT, PARSE_MAXREC, s, n, 4096, 1);
	CHECK_STR(g.recs, "after");
	CHECK_INT(g.oversize, 1);
	CHECK_INT(g.malformed, 0);
	free(s);
}

TEST(frame_octet_count_at_max)
{
	struct got g;

	feed(&g, FRAME_DETECT, 16, "16 abcdefghijklmnop2 ok", 23, 1, 1);
	CHECK_STR(g.recs, "abcdefghijklmnop|ok");
	CHECK_INT(g.oversize, 0);
}

TEST(frame_octet_non_digit)
{
	struct got g;

	feed_str(&g, "5x hello", 100);
	CHECK_INT(g.malformed, 1);
	feed_str(&g, "5\thello", 100);
	CHECK_INT(g.malformed, 1);
	feed_str(&g, "5 hello<13>x\n", 100);
	CHECK_STR(g.recs, "hello");
	CHECK_INT(g.malformed, 1);
}

TEST(frame_octet_negative)
{
	struct got g;
	struct frame fr;
	struct span rec;

	feed_str(&g, "5 hello-3 abc", 1);
	CHECK_STR(g.recs, "hello");
	CHECK_INT(g.malformed, 1);
	frame_init(&fr, FRAME_OCTET, PARSE_MAXREC);
	CHECK_INT(frame_next(&fr, (const uint8_t *)"-3 abc", 6, &rec), -1);
	CHECK_INT(frame_next(&fr, (const uint8_t *)"+3 abc", 6, &rec), -1);
}

/* A stray LF between octet-counted frames is tolerated. */
TEST(frame_octet_stray_trailer)
{
	struct got g;

	feed_str(&g, "5 hello\n\r\n5 world", 2);
	CHECK_STR(g.recs, "hello|world");
	CHECK_INT(g.malformed, 0);
}

TEST(frame_octet_eof_inside_frame)
{
	struct got g;

	feed(&g, FRAME_DETECT, PARSE_MAXREC, "5 hello10 abc", 13, 4, 1);
	CHECK_STR(g.recs, "hello");
	CHECK_INT(g.malformed, 1);
}

TEST(frame_lf_basic)
{
	struct got g;

	feed_str(&g, "<13>one\n<13>two\n", 100);
	CHECK_STR(g.recs, "<13>one|<13>two");
	feed_str(&g, "<13>one\n<13>two\n", 1);
	CHECK_STR(g.recs, "<13>one|<13>two");
}

TEST(frame_lf_crlf)
{
	struct got g;

	feed_str(&g, "<13>one\r\n<13>two\r\n", 3);
	CHECK_STR(g.recs, "<13>one|<13>two");
	CHECK_INT(g.nrec, 2);
}

TEST(frame_lf_nul_trailer)
{
	struct got g;

	feed(&g, FRAME_DETECT, PARSE_MAXREC, "<13>one\0<13>two\r\0", 18, 5, 0);
	CHECK_STR(g.recs, "<13>one|<13>two");
	CHECK_INT(g.nrec, 2);
}

TEST(frame_lf_blank_lines)
{
	struct got g;

	feed_str(&g, "\n\r\n<13>one\n\n\r\n<13>two\n", 100);
	CHECK_STR(g.recs, "<13>one|<13>two");
	CHECK_INT(g.nrec, 2);
}

/* Anything but a digit first means LF framing (syslogd does the same). */
TEST(frame_lf_no_pri)
{
	struct got g;

	feed_str(&g, "Mar  1 10:00:00 host app: x\n-5 y\n", 7);
	CHECK_STR(g.recs, "Mar  1 10:00:00 host app: x|-5 y");
}

/* Blank lines before the first record do not pick the framing. */
TEST(frame_detect_after_blank)
{
	struct got g;

	feed_str(&g, "\r\n\n5 hello", 1);
	CHECK_STR(g.recs, "hello");
	CHECK_INT(g.malformed, 0);
}

TEST(frame_lf_eof_last_line)
{
	struct got g;

	feed(&g, FRAME_DETECT, PARSE_MAXREC, "<13>one\n<13>last\r", 17, 4, 1);
	CHECK_STR(g.recs, "<13>one|<13>last");
	CHECK_INT(g.malformed, 0);
}

/* A record of exactly max bytes passes, CR LF and all, byte by byte. */
TEST(frame_lf_at_max)
{
	struct got g;
	char s[24];

	memcpy(s, "abcdefghijklmnop\r\nok\n", 21);
	feed(&g, FRAME_DETECT, 16, s, 21, 1, 1);
	CHECK_STR(g.recs, "abcdefghijklmnop|ok");
	CHECK_INT(g.oversize, 0);
	CHECK_INT(g.stuck, 0);
}

TEST(frame_lf_max_plus_one)
{
	struct got g;

	feed(&g, FRAME_DETECT, 16, "abcdefghijklmnopq\nok\n", 21, 100, 1);
	CHECK_STR(g.recs, "ok");
	CHECK_INT(g.oversize, 1);
	feed(&g, FRAME_DETECT, 16, "abcdefghijklmnopq\nok\n", 21, 1, 1);
	CHECK_STR(g.recs, "ok");
	CHECK_INT(g.oversize, 1);
}

/* PARSE_MAXREC: a huge line is dropped whole, the next one is fine. */
TEST(frame_lf_oversize_dropped_whole)
{
	struct got g;
	size_t big = 3 * PARSE_MAXREC + 17, n;
	char *s;

	n = big + 1 + 10;
	if ((s = malloc(n)) == NULL)
		return;
	memset(s, 'A', big);
	s[0] = '<';
	memcpy(s + big, "\n<13>next\n", 11 - 1);
	feed(&g, FRAME_DETECT, PARSE_MAXREC, s, n, 4096, 1);
	CHECK_STR(g.recs, "<13>next");
	CHECK_INT(g.nrec, 1);
	CHECK_INT(g.oversize, 1);
	CHECK_INT(g.stuck, 0);
	/* The same when every read fills the buffer. */
	feed(&g, FRAME_DETECT, PARSE_MAXREC, s, n, n, 1);
	CHECK_STR(g.recs, "<13>next");
	CHECK_INT(g.oversize, 1);
	free(s);
}

TEST(frame_lf_oversize_in_one_buffer)
{
	struct frame fr;
	struct span rec;
	const char *s = "<13>toolong\n<13>ok\n";

	frame_init(&fr, FRAME_DETECT, 8);
	CHECK_INT(frame_next(&fr, (const uint8_t *)s, 19, &rec), 12);
	CHECK_INT(rec.n, 0);
	CHECK_INT(fr.fr_oversize, 1);
	CHECK_INT(frame_next(&fr, (const uint8_t *)s + 12, 7, &rec), 7);
	CHECK_SPAN(rec, "<13>ok");
}

TEST(frame_lf_oversize_at_eof)
{
	struct got g;

	feed(&g, FRAME_DETECT, 4, "<1>x\n<13>long", 13, 100, 1);
	CHECK_STR(g.recs, "<1>x");
	CHECK_INT(g.oversize, 1);
	CHECK_INT(g.malformed, 0);
}

/* evtsys TCP mode: two 4.x records back to back, in any read sizes. */
static const char evtsys2[] =
    "<27>Mar 14 10:15:02 EXCH1 Service_Control_Manager: 7024: The "
    "Microsoft Exchange Internet Mail Service service terminated with "
    "service-specific error 2140. "
    "<29>Mar 14 10:15:03 EXCH1 MSExchangeIMC: 4143: x ";

static void
feed_concat(struct got *g, size_t max, const char *s, size_t chunk, int eof)
{
	feed(g, FRAME_CONCAT, max, s, strlen(s), chunk, eof);
}

TEST(frame_concat_two_records)
{
	struct got g;
	size_t chunk;
	const char *second = strstr(evtsys2, "<29>");

	for (chunk = 1; chunk <= sizeof(evtsys2); chunk += chunk < 9 ? 1 : 40) {
		feed_concat(&g, PARSE_MAXREC, evtsys2, chunk, 1);
		CHECK_INT(g.nrec, 2);
		CHECK_INT(g.malformed, 0);
		CHECK(strncmp(g.recs, evtsys2, (size_t)(second - evtsys2)) == 0);
		CHECK_INT(g.recs[second - evtsys2], '|');
		CHECK_STR(g.recs + (second - evtsys2) + 1, second);
	}
}

/* evtsys 4.x's stamp after the PRI: what starts a record. */
#define H	"Mar 14 10:15:02 "

/* Without an end the last record waits: frame_eof() ends it. */
TEST(frame_concat_last_waits)
{
	struct got g;

	feed_concat(&g, PARSE_MAXREC, "<13>" H "one <14>" H "two", 100, 0);
	CHECK_STR(g.recs, "<13>" H "one ");
	feed_concat(&g, PARSE_MAXREC, "<13>" H "one <14>" H "two", 100, 1);
	CHECK_STR(g.recs, "<13>" H "one |<14>" H "two");
}

/*
 * Only "<PRI>" and a header evtsys writes start a record: a "<13>" in a
 * description, whatever follows it, does not split it.
 */
TEST(frame_concat_not_a_pri)
{
	static const char *const keep[] = {
		"<13>" H "a <x>b", "<13>" H "a <1234>b", "<13>" H "a <192>b",
		"<13>" H "a <013>b", "<13>" H "a <13> b", "<13>" H "a <13><b",
		"<13>" H "a <>b", "<13>" H "a <-1>b",
		"<13>" H "a <user@host> said <0x1>", "<13>" H "a <<13>>b",
		"<13>" H "S: 1: a <13>b", "<13>" H "S: 1: level <13>13 units",
		"<13>" H "S: 1: <13>Mar is cold", "<13>" H "S: 1: <27>Foo: bar",
		"<13>" H "S: 1: <27>Foo: bar: baz", "<13>" H "S: 1: <1>1 x",
		"<13>" H "S: 1: <13>Mar 14 1O:15:02 typo",
		"<27>S: 1: a \"<13>Source: text\" quoted",
	};
	struct got g;
	size_t i;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		feed_concat(&g, PARSE_MAXREC, keep[i], 1, 1);
		CHECK_INT(g.nrec, 1);
		CHECK_STR(g.recs, keep[i]);
	}
	/* Each header form, in any read size. */
	for (i = 1; i < 9; i++) {
		feed_concat(&g, PARSE_MAXREC, "<13>" H "a<0>" H "b<191>Src: 7: "
		    "c<9>1 2000-03-14T10:15:02Z d<27>tag: Src: 70: e", i, 1);
		CHECK_STR(g.recs, "<13>" H "a|<0>" H "b|<191>Src: 7: c|<9>1 "
		    "2000-03-14T10:15:02Z d|<27>tag: Src: 70: e");
	}
}

/* A relay that adds LF, CR LF or NUL after each record. */
TEST(frame_concat_trailers)
{
	struct got g;

	feed(&g, FRAME_CONCAT, PARSE_MAXREC, "\n<13>a\r\n\n<13>b\0<13>c", 21,
	    3, 1);
	CHECK_STR(g.recs, "<13>a|<13>b|<13>c");
	CHECK_INT(g.nrec, 3);
}

/* Garbage before the first PRI is a record of its own (the parser's). */
TEST(frame_concat_no_pri_first)
{
	struct got g;

	feed_concat(&g, PARSE_MAXREC, "junk<13>" H "x", 1, 1);
	CHECK_STR(g.recs, "junk|<13>" H "x");
}

/* Over max: dropped whole up to the next PRI, in any read sizes. */
TEST(frame_concat_oversize)
{
	static const char s[] = "<13>" H "short <13>" H "this one is far too "
	    "long for max <14>" H "ok <15>" H "end";
	struct got g;
	size_t chunk;

	for (chunk = 1; chunk < sizeof(s); chunk++) {
		feed_concat(&g, 30, s, chunk, 1);
		CHECK_STR(g.recs, "<13>" H "short |<14>" H "ok |<15>" H "end");
		CHECK_INT(g.oversize, 1);
		CHECK_INT(g.stuck, 0);
	}
	/* An oversize record at the end of the stream. */
	feed_concat(&g, 24, "<13>" H "ok <13>" H "toolong", 3, 1);
	CHECK_STR(g.recs, "<13>" H "ok ");
	CHECK_INT(g.oversize, 1);
}

/* A full PARSE_MAXREC record with no PRI after it still fits the buffer. */
TEST(frame_concat_oversize_huge)
{
	struct got g;
	size_t big = 2 * PARSE_MAXREC + 5, n;
	char *s;

	n = big + 22;
	if ((s = malloc(n + 1)) == NULL)
		return;
	memset(s, 'A', big);
	memcpy(s, "<13>", 4);
	memcpy(s + big, "<14>" H "ok", 22);
	s[n] = '\0';
	feed_concat(&g, PARSE_MAXREC, s, 4096, 1);
	CHECK_STR(g.recs, "<14>" H "ok");
	CHECK_INT(g.oversize, 1);
	CHECK_INT(g.stuck, 0);
	feed_concat(&g, PARSE_MAXREC, s, n, 1);
	CHECK_STR(g.recs, "<14>" H "ok");
	free(s);
}

/* frame_eof() on a quiet stream: the stream goes on after it. */
TEST(frame_concat_eof_then_more)
{
	struct frame fr;
	struct span rec;
	const uint8_t *a = (const uint8_t *)"<13>Mar one", *b =
	    (const uint8_t *)"<14>Mar two<1";

	frame_init(&fr, FRAME_CONCAT, PARSE_MAXREC);
	CHECK_INT(frame_next(&fr, a, 11, &rec), 0);
	CHECK_INT(frame_eof(&fr, a, 11, &rec), 11);
	CHECK_SPAN(rec, "<13>Mar one");
	CHECK_INT(frame_next(&fr, b, 13, &rec), 0);	/* "<1" undecided */
	CHECK_INT(frame_eof(&fr, b, 13, &rec), 13);
	CHECK_SPAN(rec, "<14>Mar two<1");
}

/*
 * FRAME_BUFSZ: whatever the bytes, a full buffer always makes progress
 * and no record exceeds max (run under ASan for the reads).
 */
TEST(frame_bufsz_random_bytes)
{
	static const uint8_t alpha[] = "0123456789 <>\r\n\0ab";
	uint32_t x = 12345;
	uint8_t in[4096];
	struct got g;
	int round, stuck = 0;
	size_t i;

	for (round = 0; round < 300; round++) {
		for (i = 0; i < sizeof(in); i++) {
			x = x * 1103515245u + 12345u;
			in[i] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		if (round % 3 == 0)
			in[0] = '1';
		feed(&g, FRAME_DETECT, 1 + round % 40, in, sizeof(in),
		    1 + round % 7, 1);
		stuck += g.stuck;
		feed(&g, FRAME_CONCAT, 1 + round % 40, in, sizeof(in),
		    1 + round % 7, 1);
		stuck += g.stuck;
	}
	CHECK_INT(stuck, 0);
}

TEST_MAIN(
	T(frame_init_bad_max),
	T(frame_octet_one),
	T(frame_octet_two_in_one_read),
	T(frame_octet_byte_by_byte),
	T(frame_octet_binary_msg),
	T(frame_octet_need_more),
	T(frame_octet_count_zero),
	T(frame_octet_leading_zero),
	T(frame_octet_10_digits),
	T(frame_octet_count_over_max),
	T(frame_octet_count_at_max),
	T(frame_octet_non_digit),
	T(frame_octet_negative),
	T(frame_octet_stray_trailer),
	T(frame_octet_eof_inside_frame),
	T(frame_lf_basic),
	T(frame_lf_crlf),
	T(frame_lf_nul_trailer),
	T(frame_lf_blank_lines),
	T(frame_lf_no_pri),
	T(frame_detect_after_blank),
	T(frame_lf_eof_last_line),
	T(frame_lf_at_max),
	T(frame_lf_max_plus_one),
	T(frame_lf_oversize_dropped_whole),
	T(frame_lf_oversize_in_one_buffer),
	T(frame_lf_oversize_at_eof),
	T(frame_concat_two_records),
	T(frame_concat_last_waits),
	T(frame_concat_not_a_pri),
	T(frame_concat_trailers),
	T(frame_concat_no_pri_first),
	T(frame_concat_oversize),
	T(frame_concat_oversize_huge),
	T(frame_concat_eof_then_more),
	T(frame_bufsz_random_bytes)
)
