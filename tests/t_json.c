/*
 * t_json: the bounded JSON scanner on its own: member iteration, the
 * grammar, every limit at and over, unescaping into a short buffer, and
 * integer reading.
 */
#include "test.h"

#include "util/json.h"
#include "util/span.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static uint8_t *copy;

/* An exact-size heap copy, so that ASan sees any read past the end. */
static struct span
dup_span(const char *s, size_t n)
{
	free(copy);
	if ((copy = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	memcpy(copy, s, n);
	return span_make(copy, n);
}

/* Walk the whole object: members read, or -1 if malformed. */
static int
walk(const char *s)
{
	struct json_obj o;
	struct json_val v;
	struct span k;
	int rc, n = 0;

	if (json_obj_open(&o, dup_span(s, strlen(s))) == -1)
		return -1;
	while ((rc = json_obj_next(&o, &k, &v)) == 1)
		n++;
	return rc == -1 ? -1 : n;
}

TEST(json_members)
{
	struct json_obj o;
	struct json_val v;
	struct span k;

	CHECK_INT(json_obj_open(&o, span_cstr(" {\"a\":\"x\\ty\",\"b\":-12,"
	    "\"c\":[1,{\"d\":null}],\"e\":true,\"f\":false,\"g\":null,"
	    "\"h\":{}} tail")), 0);
	CHECK_INT(json_obj_next(&o, &k, &v), 1);
	CHECK_SPAN(k, "a");
	CHECK_INT(v.type, JSON_STRING);
	CHECK_SPAN(v.raw, "x\\ty");
	CHECK_INT(v.escaped, 1);
	CHECK_INT(json_obj_next(&o, &k, &v), 1);
	CHECK_INT(v.type, JSON_NUMBER);
	CHECK_SPAN(v.raw, "-12");
	CHECK_INT(json_obj_next(&o, &k, &v), 1);
	CHECK_INT(v.type, JSON_ARRAY);
	CHECK_SPAN(v.raw, "[1,{\"d\":null}]");
	CHECK_INT(json_obj_next(&o, &k, &v), 1);
	CHECK_INT(v.type, JSON_TRUE);
	CHECK_INT(json_obj_next(&o, &k, &v), 1);
	CHECK_INT(v.type, JSON_FALSE);
	CHECK_INT(json_obj_next(&o, &k, &v), 1);
	CHECK_INT(v.type, JSON_NULL);
	CHECK_INT(json_obj_next(&o, &k, &v), 1);
	CHECK_INT(v.type, JSON_OBJECT);
	CHECK_SPAN(v.raw, "{}");
	CHECK_INT(json_obj_next(&o, &k, &v), 0);
	CHECK_INT(json_obj_next(&o, &k, &v), 0);
	CHECK_SPAN(json_obj_tail(&o), " tail");
	CHECK_INT(json_obj_open(&o, span_cstr("[1]")), -1);
	CHECK_INT(json_obj_open(&o, span_cstr("")), -1);
	CHECK_INT(walk("{}"), 0);
	CHECK_INT(walk("{ }"), 0);
	CHECK_INT(walk("\t{\r\n\"a\"\t:\n1\r}"), 1);
}

TEST(json_grammar)
{
	static const char *const good[] = {
		"{\"a\":0}", "{\"a\":-0}", "{\"a\":1.5e-3}", "{\"a\":1E+9}",
		"{\"a\":\"\\u00e9\\uD83D\\uDE00\"}", "{\"a\":\"\xff\xfe\"}",
		"{\"a\":[]}", "{\"a\":[[],[{}]]}", "{\"\":1}",
	};
	static const char *const bad[] = {
		"{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}",
		"{\"a\":01}", "{\"a\":1.}", "{\"a\":.1}", "{\"a\":1e}", "{\"a\":-}",
		"{\"a\":+1}", "{\"a\":NaN}", "{\"a\":tru}", "{\"a\":nulls}",
		"{\"a\":\"\\a\"}", "{\"a\":\"\\u00G0\"}", "{\"a\":\"\\u00\"}",
		"{\"a\":\"x\x01\"}", "{\"a\":\"x", "{\"a\":[1,]}", "{\"a\":[,1]}",
		"{\"a\":{\"b\"}}", "{\"a\":{1:2}}", "{'a':1}", "{a:1}",
		"{\"a\":1]", "{\"a\":[1}", "{\"a\":\"\\",
	};
	size_t i;

	for (i = 0; i < NITEMS(good); i++) {
		CHECK_INT(walk(good[i]), 1);
		if (walk(good[i]) != 1)
			fprintf(stderr, "    good \"%s\"\n", good[i]);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		CHECK_INT(walk(bad[i]), -1);
		if (walk(bad[i]) != -1)
			fprintf(stderr, "    bad \"%s\"\n", bad[i]);
	}
}

/* Every prefix of a valid object is malformed, and never over-read. */
TEST(json_prefixes)
{
	static const char obj[] = "{\"a\":\"x\\u00e9\\\"\",\"b\":[1,{\"c\":"
	    "-1.5e3}],\"d\":true}";
	struct json_obj o;
	struct json_val v;
	struct span k;
	size_t n;
	int rc;

	for (n = 0; n < sizeof(obj) - 1; n++) {
		if (json_obj_open(&o, dup_span(obj, n)) == -1)
			continue;
		while ((rc = json_obj_next(&o, &k, &v)) == 1)
			;
		CHECK_INT(rc, -1);
	}
	CHECK_INT(walk(obj), 3);
}

TEST(json_depth_16)
{
	char buf[128];
	int d, i, n;

	/* The object is level 1; "a" opens d - 1 more arrays. */
	for (d = 15; d <= 17; d++) {
		n = snprintf(buf, sizeof(buf), "{\"a\":");
		for (i = 1; i < d; i++)
			buf[n++] = '[';
		for (i = 1; i < d; i++)
			buf[n++] = ']';
		buf[n++] = '}';
		buf[n] = '\0';
		CHECK_INT(walk(buf), d <= JSON_DEPTH_MAX ? 1 : -1);
	}
}

static char *
rep(const char *pre, size_t n, char c, const char *post)
{
	size_t a = strlen(pre), b = strlen(post);
	char *s = malloc(a + n + b + 1);

	if (s == NULL)
		abort();
	memcpy(s, pre, a);
	memset(s + a, c, n);
	memcpy(s + a + n, post, b + 1);
	return s;
}

TEST(json_string_32768)
{
	char *s;

	s = rep("{\"a\":\"", JSON_STR_MAX, 'x', "\"}");
	CHECK_INT(walk(s), 1);
	free(s);
	s = rep("{\"a\":\"", JSON_STR_MAX + 1, 'x', "\"}");
	CHECK_INT(walk(s), -1);
	free(s);
}

TEST(json_key_128)
{
	char *s;

	s = rep("{\"", JSON_KEY_MAX, 'k', "\":1}");
	CHECK_INT(walk(s), 1);
	free(s);
	s = rep("{\"", JSON_KEY_MAX + 1, 'k', "\":1}");
	CHECK_INT(walk(s), -1);
	free(s);
}

TEST(json_number_32)
{
	char *s;

	s = rep("{\"a\":", JSON_NUM_MAX, '9', "}");
	CHECK_INT(walk(s), 1);
	free(s);
	s = rep("{\"a\":", JSON_NUM_MAX + 1, '9', "}");
	CHECK_INT(walk(s), -1);
	free(s);
}

TEST(json_members_256)
{
	char buf[4096];
	size_t n, i;

	for (n = JSON_MEMBERS_MAX; n <= JSON_MEMBERS_MAX + 1; n++) {
		size_t at = 0;

		buf[at++] = '{';
		for (i = 0; i < n; i++)
			at += (size_t)snprintf(buf + at, sizeof(buf) - at,
			    "%s\"k\":0", i ? "," : "");
		buf[at++] = '}';
		buf[at] = '\0';
		CHECK_INT(walk(buf), n <= JSON_MEMBERS_MAX ? (int)n : -1);
	}
}

TEST(json_unescape_bounds)
{
	static const struct {
		const char	*in, *out;
	} tc[] = {
		{ "plain", "plain" }, { "a\\nb", "a\nb" },
		{ "\\u00e9", "\xc3\xa9" }, { "\\u20AC", "\xe2\x82\xac" },
		{ "\\ud83d\\ude00", "\xf0\x9f\x98\x80" },
		{ "\\udbff\\udfff", "\xf4\x8f\xbf\xbf" },
		{ "\\ude00\\ud83d", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\\u0000", " " }, { "\\u007f", "\x7f" }, { "\\u0080", "\xc2\x80" },
		{ "\\u07ff", "\xdf\xbf" }, { "\\u0800", "\xe0\xa0\x80" },
	};
	uint8_t out[16];
	size_t i, len, sz, want;

	for (i = 0; i < NITEMS(tc); i++) {
		want = strlen(tc[i].out);
		CHECK_INT(json_unescape(span_cstr(tc[i].in), out, sizeof(out),
		    &len), 0);
		CHECK_SPAN(span_make(out, len), tc[i].out);
		/* One byte short of the room it needs: refused, not cut. */
		for (sz = 0; sz < want; sz++)
			CHECK_INT(json_unescape(span_cstr(tc[i].in), out, sz,
			    &len), -1);
		CHECK_INT(json_unescape(span_cstr(tc[i].in), out, want, &len), 0);
	}
	CHECK_INT(json_unescape(span_cstr("\\"), out, sizeof(out), &len), -1);
	CHECK_INT(json_unescape(span_cstr("\\q"), out, sizeof(out), &len), -1);
	CHECK_INT(json_unescape(span_cstr("\\u12"), out, sizeof(out), &len),
	    -1);
	CHECK_INT(json_unescape(span_cstr(""), out, 0, &len), 0);
	CHECK_INT(len, 0);
}

TEST(json_int_bounds)
{
	static const struct {
		const char	*num;
		int64_t		 min, max, want;
		int		 rc;
	} tc[] = {
		{ "0", 0, 10, 0, 0 }, { "10", 0, 10, 10, 0 },
		{ "11", 0, 10, 0, -1 }, { "-1", 0, 10, 0, -1 },
		{ "-1", -1, 0, -1, 0 },
		{ "9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX, 0 },
		{ "9223372036854775808", INT64_MIN, INT64_MAX, 0, -1 },
		{ "-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN, 0 },
		{ "-9223372036854775809", INT64_MIN, INT64_MAX, 0, -1 },
		{ "1.0", 0, 10, 0, -1 }, { "1e1", 0, 100, 0, -1 },
		{ "-", INT64_MIN, INT64_MAX, 0, -1 },
	};
	struct json_val v;
	int64_t out;
	size_t i;

	for (i = 0; i < NITEMS(tc); i++) {
		v.type = JSON_NUMBER;
		v.raw = span_cstr(tc[i].num);
		v.escaped = 0;
		out = 42;
		CHECK_INT(json_int(&v, tc[i].min, tc[i].max, &out), tc[i].rc);
		CHECK_INT(out, tc[i].rc == 0 ? tc[i].want : 42);
	}
	v.type = JSON_STRING;
	v.raw = span_cstr("1");
	CHECK_INT(json_int(&v, 0, 10, &out), -1);
}

TEST_MAIN(
	T(json_members), T(json_grammar), T(json_prefixes), T(json_depth_16),
	T(json_string_32768), T(json_key_128), T(json_number_32),
	T(json_members_256), T(json_unescape_bounds), T(json_int_bounds)
)
