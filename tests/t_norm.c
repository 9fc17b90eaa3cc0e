/*
 * t_norm: the normalisations the knowledge base matches on.  Inputs are
 * exact-size heap copies (no NUL after them), so ASan sees any over-read.
 */
#include "test.h"

#include "util/norm.h"
#include "util/span.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static uint8_t *heap;

static struct span
hs(const char *lit, size_t n)
{
	free(heap);
	if ((heap = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	memcpy(heap, lit, n);
	return span_make(heap, n);
}

#define HS(lit)	hs((lit), sizeof(lit) - 1)

TEST(norm_text_cases)
{
	static const struct {
		const char	*in, *out;
	} tc[] = {
		/* The three spellings of the 2140 start failure read alike. */
		{ "%%2140", "error 2140" },
		{ "the error: %n%%2140", "the error: %n error 2140" },
		{ "the error:\r\n%%2140\r\n", "the error: error 2140" },
		{ "error:%%2140", "error: error 2140" },
		{ "(Error 2140)", "(error 2140)" },
		{ "specific error 2140.", "specific error 2140." },
		/* Not an insertion: left alone. */
		{ "100%%", "100%%" },
		{ "%%x", "%%x" },
		{ "%2140", "%2140" },
		{ "%n%s%x", "%n%s%x" },
		/* rsyslog escapes. */
		{ "a#011b", "a b" },
		{ "a#012b#015c", "a b c" },
		{ "a#011#011#011b", "a b" },
		{ "#011a#011", "a" },
		{ "a#013b", "a#013b" },
		{ "a#01", "a#01" },
		{ "#", "#" },
		/* CR/LF/TAB fold, runs collapse, ends are trimmed. */
		{ "Line one\r\nLine two", "line one line two" },
		{ "a\r\n\r\n\tb", "a b" },
		{ "  a    b  ", "a b" },
		{ "\v\fa\v\f", "a" },
		{ " \r\n\t ", "" },
		{ "", "" },
		{ "MSExchangeIMC", "msexchangeimc" },
		/* Bytes >= 0x80 pass untouched, ASCII around them matches. */
		{ "Caf\xc3\xa9 \xc4RGER", "caf\xc3\xa9 \xc4rger" },
		{ "\xff\xfe" "ABC", "\xff\xfe" "abc" },
	};
	char out[128];
	size_t i, n;

	for (i = 0; i < NITEMS(tc); i++) {
		n = norm_text(out, sizeof(out), hs(tc[i].in, strlen(tc[i].in)));
		CHECK_STR(out, tc[i].out);
		CHECK_INT(n, strlen(tc[i].out));
	}
}

TEST(norm_text_nul_inside)
{
	char out[32];

	norm_text(out, sizeof(out), HS("a\0b"));
	CHECK_STR(out, "a b");
}

/* The output is bounded by dstsz and always NUL-terminated. */
TEST(norm_text_dst_bound)
{
	char out[16];
	size_t sz, n;

	memset(out, 'x', sizeof(out));
	CHECK_INT(norm_text(out, 0, HS("abc")), 0);
	CHECK_INT(out[0], 'x');
	for (sz = 1; sz <= sizeof(out); sz++) {
		memset(out, 'x', sizeof(out));
		n = norm_text(out, sz, HS("The  %%2140 error #011 occurred"));
		CHECK(n < sz);
		CHECK_INT(strlen(out), n);
		if (sz < sizeof(out))
			CHECK_INT(out[sz], 'x');
	}
	norm_text(out, 11, HS("%%2140"));
	CHECK_STR(out, "error 2140");
	norm_text(out, 6, HS("%%2140"));
	CHECK_STR(out, "error");
}

TEST(norm_source_cases)
{
	static const struct {
		const char	*in, *out;
	} tc[] = {
		{ "MSExchangeIS_Private", "msexchangeis private" },
		{ "MSExchangeIS Private", "msexchangeis private" },
		{ "MSExchangeIS  Private", "msexchangeis private" },
		{ "MSExchangeIS__Private", "msexchangeis private" },
		{ "Service_Control_Manager", "service control manager" },
		{ "Service Control Manager", "service control manager" },
		{ "  MSExchangeIMC\r\n", "msexchangeimc" },
		{ "MSExchangeIMC", "msexchangeimc" },
		{ "MSExchangeIS\tPrivate", "msexchangeis private" },
		{ "", "" },
	};
	char a[NORM_SOURCE_MAX], b[NORM_SOURCE_MAX];
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		norm_source(a, sizeof(a), hs(tc[i].in, strlen(tc[i].in)));
		CHECK_STR(a, tc[i].out);
	}
	norm_source(a, sizeof(a), HS("MSExchangeIS_Private"));
	norm_source(b, sizeof(b), HS("MSExchangeIS Private"));
	CHECK_STR(a, b);
}

TEST(norm_source_max)
{
	char src[200], out[NORM_SOURCE_MAX];
	size_t n;

	memset(src, 'S', sizeof(src));
	n = norm_source(out, sizeof(out), hs(src, sizeof(src)));
	CHECK_INT(n, NORM_SOURCE_MAX - 1);
	CHECK_INT(strlen(out), NORM_SOURCE_MAX - 1);
	CHECK_INT(out[0], 's');
	CHECK_INT(norm_source(out, 0, HS("x")), 0);
	CHECK_INT(norm_source(out, 1, HS("x")), 0);
	CHECK_STR(out, "");
}

TEST(norm_host_cases)
{
	static const struct {
		const char	*in, *out;
	} tc[] = {
		{ "MAILGW", "mailgw" },
		{ "MAILGW.corp.example", "mailgw" },
		{ "mailgw.corp.example.", "mailgw" },
		{ " MailGW.Corp ", "mailgw" },
		{ "10.0.0.5", "10.0.0.5" },
		{ "192.168.100.200", "192.168.100.200" },
		{ "fe80::1", "fe80::1" },
		{ "2001:DB8::A", "2001:db8::a" },
		{ "::ffff:10.0.0.5", "::ffff:10.0.0.5" },
		{ "10.0.0.5x", "10" },
		{ "", "" },
	};
	char out[NORM_HOST_MAX];
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		norm_host(out, sizeof(out), hs(tc[i].in, strlen(tc[i].in)));
		CHECK_STR(out, tc[i].out);
	}
}

TEST(norm_host_max)
{
	char src[300], out[NORM_HOST_MAX];
	size_t n;

	memset(src, 'H', sizeof(src));
	n = norm_host(out, sizeof(out), hs(src, sizeof(src)));
	CHECK_INT(n, NORM_HOST_MAX - 1);
	CHECK_INT(strlen(out), NORM_HOST_MAX - 1);
	CHECK_INT(norm_host(out, 0, HS("x")), 0);
}

TEST_MAIN(
	T(norm_text_cases), T(norm_text_nul_inside), T(norm_text_dst_bound),
	T(norm_source_cases), T(norm_source_max), T(norm_host_cases),
	T(norm_host_max)
)
