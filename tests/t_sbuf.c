/*
 * t_sbuf: the bounded appender and seterr().  Every case writes into a
 * buffer with guard bytes after its declared size: nothing may land there,
 * the text is NUL-terminated after every call, and a cut is reported once
 * and then sticks.
 */
#include "test.h"

#include <errno.h>

#include "util/sbuf.h"

#define GUARD	'#'

static char mem[64];

/* mem all guard bytes: a case uses its first sz bytes as the buffer. */
static char *
guarded(void)
{
	memset(mem, GUARD, sizeof(mem));
	return mem;
}

static int
guard_ok(size_t sz)
{
	size_t i;

	for (i = sz; i < sizeof(mem); i++)
		if (mem[i] != GUARD)
			return 0;
	return 1;
}

TEST(sbuf_fits)
{
	struct sbuf sb;

	sbuf_init(&sb, guarded(), 16);
	CHECK_STR(mem, "");
	CHECK_INT(sbuf_str(&sb, "abc"), 0);
	CHECK_INT(sbuf_printf(&sb, "%s%u", ",", 42u), 0);
	CHECK_INT(sbuf_add(&sb, "xyz", 2), 0);
	CHECK_STR(mem, "abc,42xy");
	CHECK_INT(sb.sb_len, 8);
	CHECK_INT(sb.sb_cut, 0);
	CHECK(guard_ok(16));
}

TEST(sbuf_exact_fit)
{
	struct sbuf sb;

	/* 7 characters and the NUL fill 8 bytes: not a cut. */
	sbuf_init(&sb, guarded(), 8);
	CHECK_INT(sbuf_str(&sb, "abcd"), 0);
	CHECK_INT(sbuf_printf(&sb, "%s", "efg"), 0);
	CHECK_STR(mem, "abcdefg");
	CHECK_INT(sb.sb_cut, 0);
	CHECK(guard_ok(8));
	sbuf_init(&sb, guarded(), 8);
	CHECK_INT(sbuf_add(&sb, "abcdefg", 7), 0);
	CHECK_STR(mem, "abcdefg");
	CHECK_INT(sb.sb_cut, 0);
	/* Nothing more fits; an empty append is still no cut. */
	CHECK_INT(sbuf_str(&sb, ""), 0);
	CHECK_INT(sbuf_printf(&sb, "%s", ""), 0);
	CHECK_INT(sb.sb_cut, 0);
	CHECK(guard_ok(8));
}

TEST(sbuf_one_over)
{
	struct sbuf sb;

	sbuf_init(&sb, guarded(), 8);
	CHECK_INT(sbuf_str(&sb, "abcd"), 0);
	errno = 0;
	CHECK_INT(sbuf_printf(&sb, "%s", "efgh"), -1);
	CHECK_INT(errno, EMSGSIZE);
	CHECK_STR(mem, "abcdefg");	/* as much as fits, as snprintf */
	CHECK_INT(sb.sb_len, 7);
	CHECK_INT(sb.sb_cut, 1);
	CHECK(guard_ok(8));
	sbuf_init(&sb, guarded(), 8);
	CHECK_INT(sbuf_str(&sb, "abcd"), 0);
	CHECK_INT(sbuf_add(&sb, "efgh", 4), -1);
	CHECK_STR(mem, "abcdefg");
	CHECK_INT(sb.sb_cut, 1);
	CHECK(guard_ok(8));
}

TEST(sbuf_cut_sticks)
{
	struct sbuf sb;

	sbuf_init(&sb, guarded(), 4);
	CHECK_INT(sbuf_str(&sb, "abcdef"), -1);
	CHECK_STR(mem, "abc");
	/* Once cut, nothing more is appended, not even what would fit. */
	CHECK_INT(sbuf_str(&sb, ""), -1);
	CHECK_INT(sbuf_printf(&sb, "%s", ""), -1);
	CHECK_INT(sbuf_add(&sb, "x", 1), -1);
	CHECK_STR(mem, "abc");
	CHECK_INT(sb.sb_len, 3);
	CHECK(guard_ok(4));
	/* A fresh init starts over. */
	sbuf_init(&sb, mem, 4);
	CHECK_INT(sb.sb_cut, 0);
	CHECK_INT(sbuf_str(&sb, "x"), 0);
	CHECK_STR(mem, "x");
}

TEST(sbuf_zero_size)
{
	struct sbuf sb;

	sbuf_init(&sb, guarded(), 0);
	CHECK_INT(mem[0], GUARD);	/* not even a NUL */
	CHECK_INT(sbuf_str(&sb, ""), 0);
	CHECK_INT(sbuf_printf(&sb, "%s", ""), 0);
	CHECK_INT(sb.sb_cut, 0);
	CHECK_INT(sbuf_str(&sb, "a"), -1);
	CHECK_INT(sbuf_printf(&sb, "%d", 1), -1);
	CHECK_INT(sb.sb_cut, 1);
	CHECK(guard_ok(0));
	/* A NULL buffer is a buffer of size 0, whatever size is given. */
	sbuf_init(&sb, NULL, 16);
	CHECK_INT(sb.sb_sz, 0);
	CHECK_INT(sbuf_add(&sb, "abc", 3), -1);
	/* Size 1 holds the empty string only. */
	sbuf_init(&sb, guarded(), 1);
	CHECK_STR(mem, "");
	CHECK_INT(sbuf_printf(&sb, "%c", 'x'), -1);
	CHECK_STR(mem, "");
	CHECK(guard_ok(1));
}

TEST(sbuf_long_printf)
{
	struct sbuf sb;
	char big[300];

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sbuf_init(&sb, guarded(), 32);
	CHECK_INT(sbuf_str(&sb, "id="), 0);
	CHECK_INT(sbuf_printf(&sb, "%s|%0200d|%s", big, 7, big), -1);
	CHECK_INT(strlen(mem), 31);
	CHECK(strncmp(mem, "id=zzzz", 7) == 0);
	CHECK_INT(mem[31], '\0');
	CHECK(guard_ok(32));
	/* A wide field alone, into an empty buffer. */
	sbuf_init(&sb, guarded(), 10);
	CHECK_INT(sbuf_printf(&sb, "%*d", 1000, 5), -1);
	CHECK_STR(mem, "         ");
	CHECK(guard_ok(10));
}

TEST(sbuf_embedded_nul)
{
	struct sbuf sb;

	/* sbuf_add copies bytes; the length counts them all. */
	sbuf_init(&sb, guarded(), 8);
	CHECK_INT(sbuf_add(&sb, "a\0b", 3), 0);
	CHECK_INT(sb.sb_len, 3);
	CHECK_INT(mem[2], 'b');
	CHECK_INT(mem[3], '\0');
	CHECK(guard_ok(8));
}

TEST(seterr_cases)
{
	char err[8];

	memset(err, 'x', sizeof(err));
	errno = ENOENT;
	seterr(err, sizeof(err), "%s: %d", "file", 12);
	CHECK_STR(err, "file: 1");	/* cut to fit */
	CHECK_INT(errno, ENOENT);	/* the caller's errno is kept */
	seterr(err, sizeof(err), "ok");
	CHECK_STR(err, "ok");
	/* No buffer, or no room: nothing is written, nothing breaks. */
	seterr(NULL, 16, "ignored %d", 1);
	memset(err, 'x', sizeof(err));
	seterr(err, 0, "ignored");
	CHECK_INT(err[0], 'x');
	seterr(err, 1, "abc");
	CHECK_STR(err, "");
	CHECK_INT(errno, ENOENT);
}

TEST_MAIN(
	T(sbuf_fits), T(sbuf_exact_fit), T(sbuf_one_over), T(sbuf_cut_sticks),
	T(sbuf_zero_size), T(sbuf_long_printf), T(sbuf_embedded_nul),
	T(seterr_cases)
)
