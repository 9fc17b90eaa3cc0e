/*
 * t_tz: the calendar (util/cal.c) and time zones (util/tz.c): fixed
 * offsets, POSIX rules, TZif files with their history, the hours DST
 * skips and repeats, and hostile zone files.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/cal.h"
#include "util/tz.h"
#include "test.h"

#define H	3600

TEST(cal_split_round_trip)
{
	static const int64_t ts[] = {
		0, -1, 951782400, 951868800 - 1, 978307199, 978307200,
		2147483648LL, -11670912000LL, 253402300799LL
	};
	struct cal_tm tm;
	size_t i;

	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		cal_split(ts[i], &tm);
		CHECK_INT(cal_time((int)tm.year, tm.mon, tm.mday, tm.hour,
		    tm.min, tm.sec), ts[i]);
	}
	cal_split(cal_time(2000, 2, 29, 12, 0, 0), &tm);
	CHECK_INT(tm.mon, 2);
	CHECK_INT(tm.mday, 29);
	CHECK_INT(tm.wday, 2);		/* a Tuesday */
	CHECK_INT(tm.yday, 59);
	cal_split(0, &tm);
	CHECK_INT(tm.wday, 4);		/* 1970-01-01, a Thursday */
	cal_split(-1, &tm);
	CHECK_INT(tm.year, 1969);
	CHECK_INT(tm.wday, 3);
	CHECK_INT(tm.sec, 59);
}

TEST(cal_fmt_none_and_time)
{
	char b[32];

	cal_fmt(b, sizeof(b), INT64_MIN);
	CHECK_STR(b, "-");
	cal_fmt(b, sizeof(b), cal_time(2000, 3, 14, 10, 15, 2));
	CHECK_STR(b, "2000-03-14T10:15:02");
	CHECK_INT(cal_year(INT64_MAX), 9999);
	CHECK_INT(cal_year(INT64_MIN + 1), 1);
}

TEST(tz_utc_and_fixed)
{
	struct tz *z;
	char err[128];
	int64_t t = cal_time(2000, 3, 14, 10, 0, 0);

	CHECK_INT(tz_offset(NULL, t), 0);
	CHECK_INT(tz_to_utc(NULL, t), t);
	CHECK((z = tz_new("UTC", err, sizeof(err))) != NULL);
	CHECK_INT(tz_offset(z, t), 0);
	tz_free(z);
	CHECK((z = tz_new("+02:00", err, sizeof(err))) != NULL);
	CHECK_INT(tz_offset(z, t), 2 * H);
	CHECK_INT(tz_to_utc(z, t), t - 2 * H);
	CHECK_STR(tz_name(z), "+02:00");
	tz_free(z);
	CHECK((z = tz_new("-0530", err, sizeof(err))) != NULL);
	CHECK_INT(tz_offset(z, t), -(5 * H + 1800));
	tz_free(z);
	CHECK(tz_new("+25:00", err, sizeof(err)) == NULL);
	CHECK(tz_new("+02:7", err, sizeof(err)) == NULL);
	CHECK(tz_new("Not/A_Zone", err, sizeof(err)) == NULL);
	CHECK(err[0] != '\0');
	CHECK(tz_new("../../etc/passwd", err, sizeof(err)) == NULL);
	tz_free(NULL);
}

/* POSIX rule: Central Europe, DST from the last Sunday of March 01:00 UTC. */
TEST(tz_posix_rule_dst)
{
	struct tz *z;
	char err[128];

	CHECK((z = tz_new("CET-1CEST,M3.5.0,M10.5.0/3", err,
	    sizeof(err))) != NULL);
	if (z == NULL)
		return;
	/* 2000: DST from 26 March 01:00 UTC to 29 October 01:00 UTC. */
	CHECK_INT(tz_offset(z, cal_time(2000, 3, 26, 0, 59, 59)), H);
	CHECK_INT(tz_offset(z, cal_time(2000, 3, 26, 1, 0, 0)), 2 * H);
	CHECK_INT(tz_offset(z, cal_time(2000, 10, 29, 0, 59, 59)), 2 * H);
	CHECK_INT(tz_offset(z, cal_time(2000, 10, 29, 1, 0, 0)), H);
	CHECK_INT(tz_offset(z, cal_time(2000, 1, 1, 0, 0, 0)), H);
	CHECK_INT(tz_offset(z, cal_time(2000, 7, 1, 0, 0, 0)), 2 * H);
	tz_free(z);
	/* Southern hemisphere: DST across New Year. */
	CHECK((z = tz_new("AEST-10AEDT,M10.1.0,M4.1.0/3", err,
	    sizeof(err))) != NULL);
	if (z == NULL)
		return;
	CHECK_INT(tz_offset(z, cal_time(2000, 1, 15, 0, 0, 0)), 11 * H);
	CHECK_INT(tz_offset(z, cal_time(2000, 7, 15, 0, 0, 0)), 10 * H);
	tz_free(z);
	CHECK(tz_new("CET-1CEST,M3.6.0,M10.5.0", err, sizeof(err)) == NULL);
	CHECK(tz_new("CET-1CEST,M3.5.0", err, sizeof(err)) == NULL);
}

/*
 * The tz database's history: New York in 2000 changed on the first Sunday
 * of April and the last of October, not on the rule of 2007 the file's
 * footer gives for today.
 */
TEST(tz_tzif_history)
{
	struct tz *z;
	char err[128];

	CHECK((z = tz_new("America/New_York", err, sizeof(err))) != NULL);
	if (z == NULL) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	CHECK_INT(tz_offset(z, cal_time(2000, 3, 20, 12, 0, 0)), -5 * H);
	CHECK_INT(tz_offset(z, cal_time(2000, 4, 2, 6, 59, 59)), -5 * H);
	CHECK_INT(tz_offset(z, cal_time(2000, 4, 2, 7, 0, 0)), -4 * H);
	CHECK_INT(tz_offset(z, cal_time(2000, 10, 29, 5, 59, 59)), -4 * H);
	CHECK_INT(tz_offset(z, cal_time(2000, 10, 29, 6, 0, 0)), -5 * H);
	/* Far future: the footer rule (second Sunday of March). */
	CHECK_INT(tz_offset(z, cal_time(2100, 3, 14, 12, 0, 0)), -4 * H);
	CHECK_INT(tz_offset(z, cal_time(2100, 3, 1, 12, 0, 0)), -5 * H);
	tz_free(z);
}

/* Wall-clock time to UTC around the changes, and on New Year's Eve. */
TEST(tz_to_utc_gap_overlap)
{
	struct tz *z;
	char err[128];

	CHECK((z = tz_new("Europe/Berlin", err, sizeof(err))) != NULL);
	if (z == NULL)
		return;
	CHECK_INT(tz_to_utc(z, cal_time(2000, 3, 14, 10, 0, 0)),
	    cal_time(2000, 3, 14, 9, 0, 0));
	CHECK_INT(tz_to_utc(z, cal_time(2000, 7, 14, 10, 0, 0)),
	    cal_time(2000, 7, 14, 8, 0, 0));
	/* 02:30 on 26 March 2000 never happened: read as CET. */
	CHECK_INT(tz_to_utc(z, cal_time(2000, 3, 26, 2, 30, 0)),
	    cal_time(2000, 3, 26, 1, 30, 0));
	/* Just around it. */
	CHECK_INT(tz_to_utc(z, cal_time(2000, 3, 26, 1, 59, 59)),
	    cal_time(2000, 3, 26, 0, 59, 59));
	CHECK_INT(tz_to_utc(z, cal_time(2000, 3, 26, 3, 0, 0)),
	    cal_time(2000, 3, 26, 1, 0, 0));
	/* 02:30 on 29 October 2000 happened twice: the later, CET. */
	CHECK_INT(tz_to_utc(z, cal_time(2000, 10, 29, 2, 30, 0)),
	    cal_time(2000, 10, 29, 1, 30, 0));
	CHECK_INT(tz_to_utc(z, cal_time(2000, 10, 29, 1, 59, 0)),
	    cal_time(2000, 10, 28, 23, 59, 0));
	/* New Year: 00:30 local is still the old year in UTC. */
	CHECK_INT(tz_to_utc(z, cal_time(2001, 1, 1, 0, 30, 0)),
	    cal_time(2000, 12, 31, 23, 30, 0));
	tz_free(z);
	CHECK((z = tz_new("America/New_York", err, sizeof(err))) != NULL);
	if (z == NULL)
		return;
	/* West of UTC the repeated hour is also read as the later one. */
	CHECK_INT(tz_to_utc(z, cal_time(2000, 10, 29, 1, 30, 0)),
	    cal_time(2000, 10, 29, 6, 30, 0));
	CHECK_INT(tz_to_utc(z, cal_time(2000, 4, 2, 2, 30, 0)),
	    cal_time(2000, 4, 2, 7, 30, 0));
	tz_free(z);
}

/* Every prefix of a real zone file, and flipped bytes: never a crash. */
TEST(tz_tzif_hostile)
{
	static const char src[] = "/usr/share/zoneinfo/Europe/Berlin";
	char path[] = "/tmp/t_tz.XXXXXX", err[128];
	uint8_t buf[8192];
	struct tz *z;
	ssize_t n;
	size_t k;
	int fd;

	if ((fd = open(src, O_RDONLY)) == -1) {
		CHECK(!"tzdata installed (make deps)");
		return;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	CHECK(n > 44);
	for (k = 0; n > 0 && k <= (size_t)n; k += k < 64 ? 1 : 37) {
		if ((fd = mkstemp(path)) == -1)
			break;
		if (k > 0 && k % 3 == 0 && k < (size_t)n)
			buf[k] ^= 0xff;
		CHECK(write(fd, buf, k) == (ssize_t)k);
		close(fd);
		if ((z = tz_new(path, err, sizeof(err))) != NULL) {
			(void)tz_offset(z, 0);
			(void)tz_to_utc(z, 0);
			tz_free(z);
		}
		unlink(path);
		memcpy(path, "/tmp/t_tz.XXXXXX", sizeof(path));
	}
}

TEST_MAIN(
	T(cal_split_round_trip),
	T(cal_fmt_none_and_time),
	T(tz_utc_and_fixed),
	T(tz_posix_rule_dst),
	T(tz_tzif_history),
	T(tz_to_utc_gap_overlap),
	T(tz_tzif_hostile)
)
