/*
 * t_span: the span scanners.  Each scanner that fails must leave its span
 * untouched; none may read past s.n (the cases parse from exact-size heap
 * copies, so ASan sees any such read).
 */
#include "test.h"

#include "util/span.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static uint8_t *heap;

/* An exact-size heap copy of lit, with no NUL after it. */
static struct span
hs(const char *lit)
{
	size_t n = strlen(lit);

	free(heap);
	if ((heap = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	memcpy(heap, lit, n);
	return span_make(heap, n);
}

#define CHECK_SAME(a, b) do {						\
	CHECK((a).p == (b).p);						\
	CHECK_INT((a).n, (b).n);					\
} while (0)

TEST(span_make_cstr)
{
	struct span s = span_cstr("abc");

	CHECK_INT(s.n, 3);
	CHECK_SPAN(s, "abc");
	CHECK_INT(span_cstr("").n, 0);
	s = span_make("a\0b", 3);
	CHECK_INT(s.n, 3);
	CHECK_INT(SPAN_NULL.n, 0);
	CHECK(SPAN_NULL.p == NULL);
}

TEST(span_eq_cases)
{
	CHECK(span_eq(hs("MAILGW"), "MAILGW"));
	CHECK(!span_eq(hs("MAILGW"), "MAILG"));
	CHECK(!span_eq(hs("MAILG"), "MAILGW"));
	CHECK(!span_eq(hs("mailgw"), "MAILGW"));
	CHECK(span_eq(hs(""), ""));
	CHECK(span_eq(SPAN_NULL, ""));
	CHECK(!span_eq(SPAN_NULL, "x"));
	CHECK(!span_eq(span_make("a\0b", 3), "a"));
	CHECK(span_eq_nocase(hs("MaIlGw"), "mailGW"));
	CHECK(!span_eq_nocase(hs("MAILGW1"), "mailgw"));
	CHECK(span_eq_nocase(SPAN_NULL, ""));
	/* Only ASCII letters fold: 0xC4 and 0xE4 stay different. */
	CHECK(!span_eq_nocase(hs("\xc4"), "\xe4"));
	CHECK(!span_eq_nocase(hs("@"), "`"));
	CHECK(!span_eq_nocase(hs("["), "{"));
	CHECK(span_eq_span_nocase(hs("N/A"), span_cstr("n/a")));
	CHECK(!span_eq_span_nocase(hs("N/A"), span_cstr("n/a ")));
}

TEST(span_starts_cases)
{
	CHECK(span_starts(hs("MSWinEventLog\t3"), "MSWinEventLog"));
	CHECK(span_starts(hs("MSWinEventLog"), "MSWinEventLog"));
	CHECK(!span_starts(hs("MSWinEventLo"), "MSWinEventLog"));
	CHECK(!span_starts(hs("mswineventlog"), "MSWinEventLog"));
	CHECK(span_starts(hs("x"), ""));
	CHECK(span_starts(SPAN_NULL, ""));
	CHECK(!span_starts(SPAN_NULL, "x"));
	CHECK(span_starts_nocase(hs("mswineventlog\t"), "MSWinEventLog"));
	CHECK(!span_starts_nocase(hs("msw"), "MSWinEventLog"));
}

TEST(span_expect_cases)
{
	struct span s = hs("<13>rest"), t;

	t = s;
	CHECK_INT(span_expect(&s, "<13>"), 0);
	CHECK_SPAN(s, "rest");
	t = s;
	CHECK_INT(span_expect(&s, "rest!"), -1);
	CHECK_SAME(s, t);
	CHECK_INT(span_expect(&s, "REST"), -1);
	CHECK_SAME(s, t);
	CHECK_INT(span_expect(&s, "rest"), 0);
	CHECK_INT(s.n, 0);
	CHECK_INT(span_expect(&s, ""), 0);
	CHECK_INT(span_expect(&s, "x"), -1);
}

TEST(span_take_until_cases)
{
	struct span s = hs("a\tbb\t\tc"), f, t;

	CHECK_INT(span_take_until(&s, '\t', &f), 0);
	CHECK_SPAN(f, "a");
	CHECK_INT(span_take_until(&s, '\t', &f), 0);
	CHECK_SPAN(f, "bb");
	CHECK_INT(span_take_until(&s, '\t', &f), 0);
	CHECK_SPAN(f, "");
	CHECK_SPAN(s, "c");
	t = s;
	f = SPAN_NULL;
	CHECK_INT(span_take_until(&s, '\t', &f), -1);
	CHECK_SAME(s, t);
	CHECK(f.p == NULL);
	s = hs("\t");
	CHECK_INT(span_take_until(&s, '\t', &f), 0);
	CHECK_SPAN(f, "");
	CHECK_INT(s.n, 0);
	CHECK_INT(span_take_until(&s, '\t', &f), -1);
	s = SPAN_NULL;
	CHECK_INT(span_take_until(&s, '\t', &f), -1);
	/* NUL is an ordinary byte. */
	s = span_make("a\0b", 3);
	CHECK_INT(span_take_until(&s, '\0', &f), 0);
	CHECK_SPAN(f, "a");
	CHECK_SPAN(s, "b");
}

TEST(span_take_n_cases)
{
	struct span s = hs("abcdef"), f, t;

	CHECK_INT(span_take_n(&s, 2, &f), 0);
	CHECK_SPAN(f, "ab");
	CHECK_SPAN(s, "cdef");
	t = s;
	CHECK_INT(span_take_n(&s, 5, &f), -1);
	CHECK_SAME(s, t);
	CHECK_INT(span_take_n(&s, 4, &f), 0);
	CHECK_SPAN(f, "cdef");
	CHECK_INT(s.n, 0);
	CHECK_INT(span_take_n(&s, 0, &f), 0);
	CHECK_INT(f.n, 0);
	CHECK_INT(span_take_n(&s, 1, &f), -1);
	CHECK_INT(span_take_n(&s, SIZE_MAX, &f), -1);
}

TEST(span_skip_spaces_cases)
{
	struct span s = hs(" \t  x  ");

	CHECK_INT(span_skip_spaces(&s), 4);
	CHECK_SPAN(s, "x  ");
	CHECK_INT(span_skip_spaces(&s), 0);
	s = hs("   ");
	CHECK_INT(span_skip_spaces(&s), 3);
	CHECK_INT(s.n, 0);
	CHECK_INT(span_skip_spaces(&s), 0);
	s = hs("\r x");
	CHECK_INT(span_skip_spaces(&s), 0);
}

TEST(span_trim_cases)
{
	CHECK_SPAN(span_trim(hs(" \t\r\nMAILGW \r\n")), "MAILGW");
	CHECK_SPAN(span_trim(hs("a b")), "a b");
	CHECK_SPAN(span_trim(span_make("\0a\0", 3)), "a");
	CHECK_INT(span_trim(hs(" \t\r\n ")).n, 0);
	CHECK_INT(span_trim(hs("")).n, 0);
	CHECK_INT(span_trim(SPAN_NULL).n, 0);
	CHECK_SPAN(span_trim(hs("\xa0x\xa0")), "\xa0x\xa0");
}

TEST(span_find_cases)
{
	static const struct {
		const char	*hay, *lit;
		ssize_t		 at;
	} tc[] = {
		{ "a#011b", "#011", 1 },
		{ "##01#011", "#011", 4 },
		{ "#01", "#011", -1 },
		{ "#011", "#011", 0 },
		{ "xx#011", "#011", 2 },
		{ "xx#01", "#011", -1 },
		{ "aab", "ab", 1 },
		{ "abc", "", 0 },
		{ "", "", 0 },
		{ "", "a", -1 },
		{ "abc", "abcd", -1 },
		{ "AUDIT_FAILURE ", "AUDIT_FAILURE", 0 },
	};
	size_t i;

	for (i = 0; i < NITEMS(tc); i++)
		CHECK_INT(span_find(hs(tc[i].hay), tc[i].lit), tc[i].at);
	CHECK_INT(span_find(span_make("a\0#011", 6), "#011"), 2);
	CHECK_INT(span_find(SPAN_NULL, "x"), -1);
}

TEST(span_find_byte_cases)
{
	CHECK_INT(span_find_byte(hs("abc"), 'c'), 2);
	CHECK_INT(span_find_byte(hs("abc"), 'a'), 0);
	CHECK_INT(span_find_byte(hs("abc"), 'd'), -1);
	CHECK_INT(span_find_byte(hs(""), 'a'), -1);
	CHECK_INT(span_find_byte(SPAN_NULL, 'a'), -1);
	CHECK_INT(span_find_byte(span_make("ab\0", 3), '\0'), 2);
}

/* Digits are capped before they are converted (syslogd's rule). */
TEST(span_u32_digit_cap)
{
	static const struct {
		const char	*in;
		size_t		 maxd;
		uint32_t	 max;
		int		 rc;
		uint32_t	 v;
		const char	*rest;
	} tc[] = {
		{ "13>", 3, 191, 0, 13, ">" },
		{ "191>", 3, 191, 0, 191, ">" },
		{ "192>", 3, 191, -1, 0, "192>" },
		{ "0013>", 3, 191, -1, 0, "0013>" },
		{ "013>", 3, 191, 0, 13, ">" },
		{ "12345", 5, 65535, 0, 12345, "" },
		{ "123456", 5, UINT32_MAX, -1, 0, "123456" },
		{ "65535:", 5, 65535, 0, 65535, ":" },
		{ "65536:", 5, 65535, -1, 0, "65536:" },
		{ "4294967295", 10, UINT32_MAX, 0, UINT32_MAX, "" },
		{ "4294967296", 10, UINT32_MAX, -1, 0, "4294967296" },
		{ "99999999999", 10, UINT32_MAX, -1, 0, "99999999999" },
		{ "0000000001", 10, UINT32_MAX, 0, 1, "" },
		/* 2^64 and 2^64 + 5 would wrap a 64-bit accumulator. */
		{ "18446744073709551616", 20, UINT32_MAX, -1, 0,
		  "18446744073709551616" },
		{ "18446744073709551621", 30, UINT32_MAX, -1, 0,
		  "18446744073709551621" },
		{ "0", 1, 0, 0, 0, "" },
		{ "1", 1, 0, -1, 0, "1" },
		{ "", 5, 100, -1, 0, "" },
		{ "x1", 5, 100, -1, 0, "x1" },
		{ "-1", 5, 100, -1, 0, "-1" },
		{ "+1", 5, 100, -1, 0, "+1" },
		{ " 1", 5, 100, -1, 0, " 1" },
		{ "7a", 5, 100, 0, 7, "a" },
		{ "1", 0, 100, -1, 0, "1" },
	};
	struct span s;
	uint32_t v;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		s = hs(tc[i].in);
		v = 0;
		CHECK_INT(span_u32(&s, tc[i].maxd, tc[i].max, &v), tc[i].rc);
		if (tc[i].rc == 0)
			CHECK_INT(v, tc[i].v);
		CHECK_SPAN(s, tc[i].rest);
	}
}

TEST(span_all_digits_cases)
{
	CHECK(span_all_digits(hs("0123456789")));
	CHECK(!span_all_digits(hs("")));
	CHECK(!span_all_digits(hs("12a")));
	CHECK(!span_all_digits(hs(" 12")));
	CHECK(!span_all_digits(span_make("1\0", 2)));
}

TEST(span_copy_bounds)
{
	char dst[8];

	memset(dst, 'x', sizeof(dst));
	CHECK_INT(span_copy(dst, 0, hs("abc")), 0);
	CHECK_INT(dst[0], 'x');
	CHECK_INT(span_copy(dst, 1, hs("abc")), 0);
	CHECK_STR(dst, "");
	CHECK_INT(span_copy(dst, sizeof(dst), hs("abc")), 3);
	CHECK_STR(dst, "abc");
	CHECK_INT(span_copy(dst, sizeof(dst), hs("abcdefgh")), 7);
	CHECK_STR(dst, "abcdefg");
	CHECK_INT(span_copy(dst, 4, hs("abcdefgh")), 3);
	CHECK_STR(dst, "abc");
	CHECK_INT(dst[4], 'e');		/* untouched past dstsz */
	CHECK_INT(span_copy(dst, sizeof(dst), SPAN_NULL), 0);
	CHECK_STR(dst, "");
	CHECK_INT(span_copy_lower(dst, sizeof(dst), hs("MaIL\xc4GW")), 7);
	CHECK_STR(dst, "mail\xc4gw");
	CHECK_INT(span_copy_lower(dst, 3, hs("ABC")), 2);
	CHECK_STR(dst, "ab");
}

TEST_MAIN(
	T(span_make_cstr), T(span_eq_cases), T(span_starts_cases),
	T(span_expect_cases), T(span_take_until_cases), T(span_take_n_cases),
	T(span_skip_spaces_cases), T(span_trim_cases), T(span_find_cases),
	T(span_find_byte_cases), T(span_u32_digit_cap),
	T(span_all_digits_cases), T(span_copy_bounds)
)
