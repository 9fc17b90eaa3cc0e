/*
 * A small table-driven test harness (libuv's test-list, Redis's testhelp).
 * Each tests/t_<module>.c defines TEST(name) bodies and one TEST_LIST;
 * the binary runs them all (or those named on the command line) and
 * prints "N passed, N failed" as its last line.
 */
#ifndef IMSMON_TEST_H
#define IMSMON_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
	const char	*name;
	void		(*fn)(void);
};

static int test_fails;

#define TEST(name)	static void name(void)
#define T(name)		{ #name, name }

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",		\
		    __FILE__, __LINE__, #c);				\
		test_fails++;						\
	}								\
} while (0)

#define CHECK_INT(a, b) do {						\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	if (a_ != b_) {							\
		fprintf(stderr, "  %s:%d: %s == %lld, want %s == %lld\n",\
		    __FILE__, __LINE__, #a, a_, #b, b_);		\
		test_fails++;						\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *a_ = (a), *b_ = (b);				\
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {		\
		fprintf(stderr, "  %s:%d: %s == \"%s\", want \"%s\"\n",	\
		    __FILE__, __LINE__, #a, a_ ? a_ : "(null)",		\
		    b_ ? b_ : "(null)");				\
		test_fails++;						\
	}								\
} while (0)

/* Compare a span with a C string. */
#define CHECK_SPAN(s, lit) do {						\
	struct span s_ = (s);						\
	const char *l_ = (lit);						\
	if (s_.n != strlen(l_) || (s_.n && memcmp(s_.p, l_, s_.n))) {	\
		fprintf(stderr, "  %s:%d: %s == \"%.*s\", want \"%s\"\n",\
		    __FILE__, __LINE__, #s, (int)s_.n,			\
		    s_.p ? (const char *)s_.p : "", l_);		\
		test_fails++;						\
	}								\
} while (0)

static int
test_main(const char *prog, const struct test_case *tc, size_t n,
    int argc, char **argv)
{
	size_t i;
	int passed = 0, failed = 0, j, want, before;

	for (i = 0; i < n; i++) {
		want = argc <= 1;
		for (j = 1; j < argc; j++)
			if (strcmp(argv[j], tc[i].name) == 0)
				want = 1;
		if (!want)
			continue;
		before = test_fails;
		tc[i].fn();
		if (test_fails == before) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAIL %s: %s\n", prog, tc[i].name);
		}
	}
	printf("%s: %d passed, %d failed\n", prog, passed, failed);
	return failed ? 1 : 0;
}

#define TEST_MAIN(...)							\
int									\
main(int argc, char **argv)						\
{									\
	static const struct test_case tc_[] = { __VA_ARGS__ };		\
	return test_main(argv[0], tc_, sizeof(tc_) / sizeof(tc_[0]),	\
	    argc, argv);						\
}

#endif /* IMSMON_TEST_H */
