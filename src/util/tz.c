/*
 * tz: zones from a fixed offset, a POSIX TZ rule or a TZif file (tz.h).
 *
 * A TZif file (RFC 8536) lists every UTC offset change of a zone; its
 * version 2+ part has 64-bit times and ends with a POSIX TZ rule for the
 * times after the last listed change.  Only what a lookup needs is kept:
 * the change times, the offset after each, and the rule.
 */
#include "util/tz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cal.h"

#define TZ_FILE_MAX	(256 * 1024)	/* zoneinfo files are < 4 KiB */
#define TZ_PATH_MAX	512
#define TZ_TRANS_MAX	4096		/* changes kept from one file */
#define TZ_TYPES_MAX	256		/* RFC 8536 §3.1: typecnt <= 256 */
#define TZ_OFF_MAX	(25 * 3600)	/* RFC 8536 §3.2: |utoff| < 25 h */
#define TZ_DIR		"/usr/share/zoneinfo"

/* A rule's day: Mm.w.d, Jn (no Feb 29) or n (from 0, with Feb 29). */
struct tz_day {
	char		 kind;		/* 'M', 'J' or 'N' */
	int		 m, w, d;
	int		 n;
	int32_t		 secs;		/* local time of the change */
};

struct tz_rule {
	int32_t		 std_off;	/* east of UTC */
	int32_t		 dst_off;
	int		 has_dst;
	struct tz_day	 start, end;
};

struct tz {
	char		 name[TZ_NAME_MAX];
	uint64_t	 gen;		/* tells a zone from a later one at
					   the same address, for the cache */
	int64_t		*at;		/* UTC times of offset changes */
	int32_t		*off;		/* offset from at[i] on */
	size_t		 nat;
	int32_t		 before;	/* offset before at[0] */
	int		 has_rule;	/* after at[nat - 1], or always */
	struct tz_rule	 rule;
};

/*
 * The last table lookup of this thread: records come in time order, so
 * most land between the same two changes and need no search.
 */
static _Thread_local struct {
	uint64_t	 gen;
	int64_t		 lo, hi;	/* [lo, hi) has offset off */
	int32_t		 off;
} tz_last;
static atomic_uint_fast64_t tz_gen;

static int	fixed_parse(const char *, int32_t *);
static const char *rule_name(const char *);
static const char *rule_hms(const char *, int, int32_t *);
static const char *rule_day(const char *, struct tz_day *);
static int	rule_parse(const char *, struct tz_rule *);
static int64_t	rule_change(int, const struct tz_day *, int32_t);
static int32_t	rule_offset(const struct tz_rule *, int64_t);
static int	file_read(const char *, uint8_t **, size_t *);
static uint32_t	be32(const uint8_t *);
static int64_t	be64(const uint8_t *);
static int	tzif_parse(struct tz *, const uint8_t *, size_t);
static int	tz_load(struct tz *, const char *, char *, size_t);
static int	name_ok(const char *);

/* "+02:00", "-0500", "+2": seconds east of UTC, or -1 if not that form. */
static int
fixed_parse(const char *s, int32_t *off)
{
	int sign, h = 0, m = 0, nd = 0;

	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	for (; *s >= '0' && *s <= '9' && nd < 2; s++, nd++)
		h = h * 10 + (*s - '0');
	if (nd == 0)
		return -1;
	if (*s == ':')
		s++;
	if (*s != '\0') {
		if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
		    s[2] != '\0')
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 24 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

/* A zone abbreviation: 3+ letters, or <...> (POSIX); NULL if none. */
static const char *
rule_name(const char *s)
{
	const char *p = s;

	if (*p == '<') {
		while (*++p != '>')
			if (*p == '\0')
				return NULL;
		return p - s >= 4 ? p + 1 : NULL;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]], hh up to maxh; the seconds, sign applied. */
static const char *
rule_hms(const char *s, int maxh, int32_t *out)
{
	int sign = 1, v[3] = { 0, 0, 0 }, i, nd;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (i > 0) {
			if (*s != ':')
				break;
			s++;
		}
		for (nd = 0; *s >= '0' && *s <= '9' && nd < 3; s++, nd++)
			v[i] = v[i] * 10 + (*s - '0');
		if (nd == 0 || (i > 0 && (nd != 2 || v[i] > 59)))
			return NULL;
	}
	if (v[0] > maxh)
		return NULL;
	*out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	return s;
}

/* Mm.w.d, Jn or n, then an optional /time (default 02:00). */
static const char *
rule_day(const char *s, struct tz_day *d)
{
	int *f[3], lim[3] = { 12, 5, 6 }, i, nd;

	memset(d, 0, sizeof(*d));
	d->secs = 7200;
	if (*s == 'M') {
		d->kind = 'M';
		f[0] = &d->m;
		f[1] = &d->w;
		f[2] = &d->d;
		s++;
		for (i = 0; i < 3; i++) {
			if (i > 0 && *s++ != '.')
				return NULL;
			for (nd = 0; *s >= '0' && *s <= '9' && nd < 2; s++, nd++)
				*f[i] = *f[i] * 10 + (*s - '0');
			if (nd == 0 || *f[i] > lim[i] || (i < 2 && *f[i] < 1))
				return NULL;
		}
	} else {
		d->kind = 'N';
		if (*s == 'J') {
			d->kind = 'J';
			s++;
		}
		for (nd = 0; *s >= '0' && *s <= '9' && nd < 3; s++, nd++)
			d->n = d->n * 10 + (*s - '0');
		if (nd == 0 || d->n > 365 || (d->kind == 'J' && d->n < 1))
			return NULL;
	}
	if (*s == '/')
		s = rule_hms(s + 1, 167, &d->secs);
	return s;
}

/*
 * std offset [dst [offset] [,start[/time],end[/time]]] (POSIX, with the
 * sign west-positive).  Without dates, the US rule of 2007 applies, as
 * glibc does.
 */
static int
rule_parse(const char *s, struct tz_rule *r)
{
	int32_t v;

	memset(r, 0, sizeof(*r));
	if ((s = rule_name(s)) == NULL || (s = rule_hms(s, 24, &v)) == NULL)
		return -1;
	r->std_off = -v;
	if (*s == '\0')
		return 0;
	if ((s = rule_name(s)) == NULL)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if ((s = rule_hms(s, 24, &v)) == NULL)
			return -1;
		r->dst_off = -v;
	}
	if (*s == '\0') {
		(void)rule_day("M3.2.0", &r->start);
		(void)rule_day("M11.1.0", &r->end);
		return 0;
	}
	if (*s++ != ',' || (s = rule_day(s, &r->start)) == NULL ||
	    *s++ != ',' || (s = rule_day(s, &r->end)) == NULL || *s != '\0')
		return -1;
	return 0;
}

/* UTC time of a rule's change in year y; off = the offset before it. */
static int64_t
rule_change(int y, const struct tz_day *d, int32_t off)
{
	int64_t day;
	int wday1, md;
	int leap = cal_mdays(y, 2) == 29;

	if (d->kind == 'M') {
		day = cal_days(y, d->m, 1);
		wday1 = (int)((day % 7 + 11) % 7);
		md = 1 + (d->d - wday1 + 7) % 7 + (d->w - 1) * 7;
		if (md > cal_mdays(y, d->m))
			md -= 7;
		day += md - 1;
	} else if (d->kind == 'J')
		day = cal_days(y, 1, 1) + d->n - 1 + (leap && d->n >= 60);
	else
		day = cal_days(y, 1, 1) + d->n;
	return day * CAL_DAY + d->secs - off;
}

static int32_t
rule_offset(const struct tz_rule *r, int64_t t)
{
	int64_t s, e;
	int y;

	if (!r->has_dst)
		return r->std_off;
	y = cal_year(t + r->std_off);
	s = rule_change(y, &r->start, r->std_off);
	e = rule_change(y, &r->end, r->dst_off);
	if (s < e)
		return t >= s && t < e ? r->dst_off : r->std_off;
	return t >= e && t < s ? r->std_off : r->dst_off;
}

static int
file_read(const char *path, uint8_t **buf, size_t *n)
{
	ssize_t k;
	int fd;

	*n = 0;
	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	if ((*buf = malloc(TZ_FILE_MAX)) == NULL) {
		close(fd);
		return -1;
	}
	while (*n < TZ_FILE_MAX &&
	    (k = read(fd, *buf + *n, TZ_FILE_MAX - *n)) != 0) {
		if (k == -1 && errno == EINTR)
			continue;
		if (k == -1) {
			close(fd);
			free(*buf);
			return -1;
		}
		*n += (size_t)k;
	}
	close(fd);
	return 0;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const uint8_t *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/*
 * RFC 8536 §3: header, then the data block (32-bit times); version 2+
 * repeats header and data with 64-bit times and adds the footer rule.
 * Every count is checked against what is left of the file.
 */
static int
tzif_parse(struct tz *z, const uint8_t *b, size_t n)
{
	uint32_t isut, isstd, leap, timecnt, typecnt, charcnt;
	size_t at = 0, tsz = 4, need, i, lsz = 8;
	const uint8_t *tt, *ix, *ty;
	char rule[128];
	size_t k;

	for (;;) {
		if (n - at < 44 || memcmp(b + at, "TZif", 4) != 0)
			return -1;
		isut = be32(b + at + 20);
		isstd = be32(b + at + 24);
		leap = be32(b + at + 28);
		timecnt = be32(b + at + 32);
		typecnt = be32(b + at + 36);
		charcnt = be32(b + at + 40);
		if (timecnt > TZ_TRANS_MAX || typecnt == 0 ||
		    typecnt > TZ_TYPES_MAX || leap > 100000 ||
		    charcnt > 100000 || isut > typecnt || isstd > typecnt)
			return -1;
		need = timecnt * tsz + timecnt + typecnt * 6 + charcnt +
		    leap * lsz + isstd + isut;
		if (n - at - 44 < need)
			return -1;
		if (tsz == 4 && b[at + 4] >= '2') {
			at += 44 + need;	/* to the 64-bit part */
			tsz = 8;
			lsz = 12;
			continue;
		}
		break;
	}
	tt = b + at + 44;
	ix = tt + timecnt * tsz;
	ty = ix + timecnt;
	if ((z->at = calloc(timecnt + 1, sizeof(*z->at))) == NULL ||
	    (z->off = calloc(timecnt + 1, sizeof(*z->off))) == NULL)
		return -1;
	/* Before the first change: the first standard-time type. */
	z->before = (int32_t)be32(ty);
	for (i = 0; i < typecnt; i++)
		if (ty[i * 6 + 4] == 0) {
			z->before = (int32_t)be32(ty + i * 6);
			break;
		}
	for (i = 0; i < timecnt; i++) {
		if (ix[i] >= typecnt)
			return -1;
		z->at[i] = tsz == 8 ? be64(tt + i * 8) :
		    (int64_t)(int32_t)be32(tt + i * 4);
		z->off[i] = (int32_t)be32(ty + ix[i] * 6);
		if (z->off[i] <= -TZ_OFF_MAX || z->off[i] >= TZ_OFF_MAX ||
		    (i > 0 && z->at[i] <= z->at[i - 1]))
			return -1;
	}
	z->nat = timecnt;
	at += 44 + need;
	/* Footer: "\n" rule "\n"; empty means no rule. */
	if (tsz == 8 && at < n && b[at] == '\n') {
		for (k = 0; at + 1 + k < n && b[at + 1 + k] != '\n' &&
		    k < sizeof(rule) - 1; k++)
			rule[k] = (char)b[at + 1 + k];
		rule[k] = '\0';
		if (k > 0 && rule_parse(rule, &z->rule) == 0)
			z->has_rule = 1;
	}
	return 0;
}

/* A zone name to look up under the zoneinfo directory: no "..". */
static int
name_ok(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '/' || strstr(s, "..") != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		    *p == '-' || *p == '+'))
			return 0;
	return 1;
}

static int
tz_load(struct tz *z, const char *spec, char *err, size_t errsz)
{
	char path[TZ_PATH_MAX];
	const char *dir, *s = spec;
	uint8_t *buf = NULL;
	size_t n;
	int32_t off;

	if (*s == ':')
		s++;
	if (*s == '\0' || strcmp(s, "localtime") == 0) {
		const char *e = getenv("TZ");

		if (e != NULL && *e != '\0' && strcmp(e, spec) != 0)
			return tz_load(z, e, err, errsz);
		if (file_read("/etc/localtime", &buf, &n) == -1)
			return 0;	/* no zone configured: UTC */
		goto tzif;
	}
	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 ||
	    strcmp(s, "GMT") == 0)
		return 0;
	if (fixed_parse(s, &off) == 0) {
		z->rule.std_off = off;
		z->has_rule = 1;
		return 0;
	}
	if (s[0] == '/') {
		if (file_read(s, &buf, &n) == -1) {
			snprintf(err, errsz, "%s: %s", s, strerror(errno));
			return -1;
		}
		goto tzif;
	}
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = TZ_DIR;
	if (name_ok(s) && (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
	    s) < sizeof(path) && file_read(path, &buf, &n) == 0)
		goto tzif;
	if (rule_parse(s, &z->rule) == 0) {
		z->has_rule = 1;
		return 0;
	}
	snprintf(err, errsz, "%s: not a time zone (want UTC, +hh:mm, a zone "
	    "name such as Europe/Berlin, or a POSIX TZ rule)", s);
	errno = ENOENT;
	return -1;

tzif:
	if (tzif_parse(z, buf, n) == -1) {
		snprintf(err, errsz, "%s: not a TZif time zone file", s[0] ?
		    s : "/etc/localtime");
		free(buf);
		errno = EINVAL;
		return -1;
	}
	free(buf);
	return 0;
}

struct tz *
tz_new(const char *spec, char *err, size_t errsz)
{
	struct tz *z;
	char dummy[1];

	if (err == NULL || errsz == 0) {
		err = dummy;
		errsz = sizeof(dummy);
	}
	err[0] = '\0';
	if (spec == NULL)
		spec = "";
	if ((z = calloc(1, sizeof(*z))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	snprintf(z->name, sizeof(z->name), "%s", spec[0] ? spec : "localtime");
	z->gen = atomic_fetch_add(&tz_gen, 1) + 1;
	if (tz_load(z, spec, err, errsz) == -1) {
		tz_free(z);
		if (errno == 0)
			errno = EINVAL;
		return NULL;
	}
	return z;
}

void
tz_free(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->at);
	free(z->off);
	free(z);
}

int32_t
tz_offset(const struct tz *z, int64_t t)
{
	size_t lo, hi, mid;

	if (z == NULL)
		return 0;
	if (z->nat == 0 || t < z->at[0]) {
		if (z->nat == 0 && z->has_rule)
			return rule_offset(&z->rule, t);
		return z->nat == 0 ? 0 : z->before;
	}
	if (t >= z->at[z->nat - 1] && z->has_rule)
		return rule_offset(&z->rule, t);
	if (tz_last.gen == z->gen && t >= tz_last.lo && t < tz_last.hi)
		return tz_last.off;
	/* The last change at or before t. */
	lo = 0;
	hi = z->nat;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	tz_last.gen = z->gen;
	tz_last.lo = z->at[lo];
	tz_last.hi = lo + 1 < z->nat ? z->at[lo + 1] : INT64_MAX;
	tz_last.off = z->off[lo];
	return z->off[lo];
}

/*
 * The offsets a day before and a day after the wall-clock time stand for
 * the two sides of any change near it (zones change at most twice a
 * year).  Both readings valid: the time occurs twice, take the later.
 * Neither: it was skipped, read it with the offset before the change.
 */
int64_t
tz_to_utc(const struct tz *z, int64_t local)
{
	int32_t oa, ob;
	int64_t ta, tb;
	int va, vb;

	if (z == NULL || local < INT64_MIN / 2 || local > INT64_MAX / 2)
		return local;
	/* A fixed offset (UTC among them): nothing to search. */
	if (z->nat == 0 && !z->has_rule)
		return local;
	if (z->nat == 0 && !z->rule.has_dst)
		return local - z->rule.std_off;
	oa = tz_offset(z, local - CAL_DAY);
	ob = tz_offset(z, local + CAL_DAY);
	ta = local - oa;
	if (oa == ob)
		return ta;
	tb = local - ob;
	va = tz_offset(z, ta) == oa;
	vb = tz_offset(z, tb) == ob;
	if (va && vb)
		return ta > tb ? ta : tb;
	if (vb)
		return tb;
	return ta;
}

const char *
tz_name(const struct tz *z)
{
	return z == NULL ? "UTC" : z->name;
}
