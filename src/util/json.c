/*
 * json: RFC 8259 grammar, checked byte by byte against the span's end.
 * Recursion only enters nested values and stops at JSON_DEPTH_MAX, so the
 * stack is bounded whatever the input.
 */
#include "util/json.h"

#include <string.h>

static void	ws_skip(struct span *);
static void	eat(struct span *, size_t);
static int	hexval(uint8_t);
static int	hex4(struct span, size_t, uint32_t *);
static int	scan_string(struct span *, size_t, struct json_val *);
static int	scan_number(struct span *, struct json_val *);
static int	scan_literal(struct span *, const char *, enum json_type,
		    struct json_val *);
static int	scan_value(struct span *, int, struct json_val *);
static int	scan_container(struct span *, int, uint8_t);
static size_t	utf8_put(uint8_t *, uint32_t);

static void
ws_skip(struct span *s)
{
	while (s->n > 0 && (s->p[0] == ' ' || s->p[0] == '\t' ||
	    s->p[0] == '\n' || s->p[0] == '\r'))
		eat(s, 1);
}

static void
eat(struct span *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Four hex digits at s.p[off]. */
static int
hex4(struct span s, size_t off, uint32_t *v)
{
	size_t i;
	int h;

	if (off > s.n || s.n - off < 4)
		return -1;
	*v = 0;
	for (i = 0; i < 4; i++) {
		if ((h = hexval(s.p[off + i])) < 0)
			return -1;
		*v = *v << 4 | (uint32_t)h;
	}
	return 0;
}

/*
 * A string at the front of s (which starts with '"'), at most max bytes
 * between its quotes.  Control bytes must be escaped (RFC 8259 §7); bytes
 * of 0x80 and up are not checked, since NXLog passes ANSI through raw.
 */
static int
scan_string(struct span *s, size_t max, struct json_val *v)
{
	size_t i;
	uint32_t u;
	uint8_t c;

	v->escaped = 0;
	for (i = 1; i < s->n; i++) {
		if (i - 1 > max)
			return -1;
		c = s->p[i];
		if (c == '"') {
			v->type = JSON_STRING;
			v->raw = span_make(s->p + 1, i - 1);
			eat(s, i + 1);
			return 0;
		}
		/*
		 * RFC 8259 wants control bytes escaped.  A multi-line event
		 * description framed by octet counting may carry raw CR, LF
		 * and TAB all the same: they are text, the rest is not.
		 */
		if (c < 0x20 && c != '\r' && c != '\n' && c != '\t')
			return -1;
		if (c != '\\')
			continue;
		v->escaped = 1;
		if (++i >= s->n)
			return -1;
		switch (s->p[i]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			break;
		case 'u':
			if (hex4(*s, i + 1, &u) == -1)
				return -1;
			i += 4;
			break;
		default:
			return -1;
		}
	}
	return -1;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
scan_number(struct span *s, struct json_val *v)
{
	size_t i = 0, k;

	if (i < s->n && s->p[i] == '-')
		i++;
	if (i >= s->n || s->p[i] < '0' || s->p[i] > '9')
		return -1;
	if (s->p[i] == '0')
		i++;
	else
		while (i < s->n && s->p[i] >= '0' && s->p[i] <= '9')
			i++;
	if (i < s->n && s->p[i] == '.') {
		for (k = ++i; i < s->n && s->p[i] >= '0' && s->p[i] <= '9'; i++)
			;
		if (i == k)
			return -1;
	}
	if (i < s->n && (s->p[i] == 'e' || s->p[i] == 'E')) {
		if (++i < s->n && (s->p[i] == '+' || s->p[i] == '-'))
			i++;
		for (k = i; i < s->n && s->p[i] >= '0' && s->p[i] <= '9'; i++)
			;
		if (i == k)
			return -1;
	}
	if (i > JSON_NUM_MAX)
		return -1;
	v->type = JSON_NUMBER;
	v->raw = span_make(s->p, i);
	v->escaped = 0;
	eat(s, i);
	return 0;
}

static int
scan_literal(struct span *s, const char *lit, enum json_type t,
    struct json_val *v)
{
	struct span start = *s;

	if (span_expect(s, lit) == -1)
		return -1;
	v->type = t;
	v->raw = span_make(start.p, start.n - s->n);
	v->escaped = 0;
	return 0;
}

/* Any value at the front of s; depth is that of the value itself. */
static int
scan_value(struct span *s, int depth, struct json_val *v)
{
	struct span start = *s;

	if (s->n == 0)
		return -1;
	switch (s->p[0]) {
	case '"':
		return scan_string(s, JSON_STR_MAX, v);
	case '{':
	case '[':
		if (scan_container(s, depth, s->p[0]) == -1)
			return -1;
		v->type = start.p[0] == '{' ? JSON_OBJECT : JSON_ARRAY;
		v->raw = span_make(start.p, start.n - s->n);
		v->escaped = 0;
		return 0;
	case 't':
		return scan_literal(s, "true", JSON_TRUE, v);
	case 'f':
		return scan_literal(s, "false", JSON_FALSE, v);
	case 'n':
		return scan_literal(s, "null", JSON_NULL, v);
	default:
		return scan_number(s, v);
	}
}

/*
 * A nested object or array, checked and skipped.  depth counts the
 * levels open around it: the top-level object is 1.
 */
static int
scan_container(struct span *s, int depth, uint8_t open)
{
	uint8_t close = open == '{' ? '}' : ']';
	struct json_val k, v;
	size_t n;

	if (depth > JSON_DEPTH_MAX)
		return -1;
	eat(s, 1);
	ws_skip(s);
	if (s->n > 0 && s->p[0] == close) {
		eat(s, 1);
		return 0;
	}
	for (n = 0; n < JSON_MEMBERS_MAX; n++) {
		if (open == '{') {
			if (s->n == 0 || s->p[0] != '"' ||
			    scan_string(s, JSON_KEY_MAX, &k) == -1)
				return -1;
			ws_skip(s);
			if (s->n == 0 || s->p[0] != ':')
				return -1;
			eat(s, 1);
			ws_skip(s);
		}
		if (scan_value(s, depth + 1, &v) == -1)
			return -1;
		ws_skip(s);
		if (s->n > 0 && s->p[0] == close) {
			eat(s, 1);
			return 0;
		}
		if (s->n == 0 || s->p[0] != ',')
			return -1;
		eat(s, 1);
		ws_skip(s);
	}
	return -1;
}

int
json_obj_open(struct json_obj *o, struct span s)
{
	ws_skip(&s);
	if (s.n == 0 || s.p[0] != '{')
		return -1;
	eat(&s, 1);
	o->rest = s;
	o->nmembers = 0;
	o->done = 0;
	return 0;
}

int
json_obj_next(struct json_obj *o, struct span *key, struct json_val *val)
{
	struct span s = o->rest;
	struct json_val k;

	if (o->done)
		return 0;
	ws_skip(&s);
	if (o->nmembers > 0 || (s.n > 0 && s.p[0] == '}')) {
		if (s.n > 0 && s.p[0] == '}') {
			eat(&s, 1);
			o->rest = s;
			o->done = 1;
			return 0;
		}
		if (o->nmembers == 0 || s.n == 0 || s.p[0] != ',')
			return -1;
		eat(&s, 1);
		ws_skip(&s);
	}
	if (o->nmembers >= JSON_MEMBERS_MAX || s.n == 0 || s.p[0] != '"' ||
	    scan_string(&s, JSON_KEY_MAX, &k) == -1)
		return -1;
	ws_skip(&s);
	if (s.n == 0 || s.p[0] != ':')
		return -1;
	eat(&s, 1);
	ws_skip(&s);
	if (scan_value(&s, 2, val) == -1)
		return -1;
	*key = k.raw;
	o->nmembers++;
	o->rest = s;
	return 1;
}

struct span
json_obj_tail(const struct json_obj *o)
{
	return o->rest;
}

static size_t
utf8_put(uint8_t *d, uint32_t u)
{
	if (u < 0x80) {
		d[0] = (uint8_t)u;
		return 1;
	}
	if (u < 0x800) {
		d[0] = (uint8_t)(0xc0 | u >> 6);
		d[1] = (uint8_t)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		d[0] = (uint8_t)(0xe0 | u >> 12);
		d[1] = (uint8_t)(0x80 | (u >> 6 & 0x3f));
		d[2] = (uint8_t)(0x80 | (u & 0x3f));
		return 3;
	}
	d[0] = (uint8_t)(0xf0 | u >> 18);
	d[1] = (uint8_t)(0x80 | (u >> 12 & 0x3f));
	d[2] = (uint8_t)(0x80 | (u >> 6 & 0x3f));
	d[3] = (uint8_t)(0x80 | (u & 0x3f));
	return 4;
}

int
json_unescape(struct span s, uint8_t *dst, size_t dstsz, size_t *len)
{
	uint8_t tmp[4];
	size_t i, n = 0, k;
	uint32_t u, lo;

	for (i = 0; i < s.n; i++) {
		if (s.p[i] != '\\') {
			if (n >= dstsz)
				return -1;
			dst[n++] = s.p[i];
			continue;
		}
		if (++i >= s.n)
			return -1;
		k = 1;
		switch (s.p[i]) {
		case '"': case '\\': case '/':
			tmp[0] = s.p[i];
			break;
		case 'b':
			tmp[0] = '\b';
			break;
		case 'f':
			tmp[0] = '\f';
			break;
		case 'n':
			tmp[0] = '\n';
			break;
		case 'r':
			tmp[0] = '\r';
			break;
		case 't':
			tmp[0] = '\t';
			break;
		case 'u':
			if (hex4(s, i + 1, &u) == -1)
				return -1;
			i += 4;
			/* RFC 8259 §7: two escapes for one astral code point. */
			if (u >= 0xd800 && u <= 0xdbff && i + 2 < s.n &&
			    s.p[i + 1] == '\\' && s.p[i + 2] == 'u' &&
			    hex4(s, i + 3, &lo) == 0 && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 6;
			} else if (u >= 0xd800 && u <= 0xdfff)
				u = 0xfffd;
			else if (u == 0)
				u = ' ';
			k = utf8_put(tmp, u);
			break;
		default:
			return -1;
		}
		if (k > dstsz - n)
			return -1;
		memcpy(dst + n, tmp, k);
		n += k;
	}
	*len = n;
	return 0;
}

/* Integers only: no fraction, no exponent; digits capped by JSON_NUM_MAX. */
int
json_int(const struct json_val *v, int64_t min, int64_t max, int64_t *out)
{
	struct span s = v->raw;
	uint64_t m = 0, lim;
	int64_t r;
	size_t i = 0;
	int neg = 0;

	if (v->type != JSON_NUMBER || s.n == 0)
		return -1;
	if (s.p[0] == '-') {
		neg = 1;
		i++;
	}
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (i == s.n)
		return -1;
	for (; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		if (m > (lim - (uint64_t)(s.p[i] - '0')) / 10)
			return -1;
		m = m * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (neg)
		r = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
	else
		r = (int64_t)m;
	if (r < min || r > max)
		return -1;
	*out = r;
	return 0;
}
