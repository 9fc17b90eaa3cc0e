/*
 * cal: the calendar (cal.h).  Howard Hinnant's days_from_civil and
 * civil_from_days algorithms: exact over the whole int64 range of days
 * a caller can build from an int year.
 */
#include "util/cal.h"

#include <stdio.h>

/* INT64_MIN stands for "no time" in struct evt. */
#define CAL_NONE	INT64_MIN

int64_t
cal_days(int64_t y, int mo, int d)
{
	int64_t era, yoe, doy, doe;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t
cal_time(int y, int mo, int d, int h, int mi, int s)
{
	return cal_days(y, mo, d) * CAL_DAY + (int64_t)h * 3600 +
	    (int64_t)mi * 60 + s;
}

void
cal_split(int64_t t, struct cal_tm *tm)
{
	int64_t z, secs, era, doe, yoe, doy, mp;

	/* No product of days and seconds: near INT64_MIN it overflows. */
	z = t / CAL_DAY - (t % CAL_DAY < 0);
	secs = t % CAL_DAY;
	if (secs < 0)
		secs += CAL_DAY;
	tm->wday = (int)((z % 7 + 11) % 7);	/* 1970-01-01 was a Thursday */
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	tm->year = yoe + era * 400 + (tm->mon <= 2);
	tm->yday = (int)(cal_days(tm->year, tm->mon, tm->mday) -
	    cal_days(tm->year, 1, 1));
	tm->hour = (int)(secs / 3600);
	tm->min = (int)(secs / 60 % 60);
	tm->sec = (int)(secs % 60);
}

int
cal_year(int64_t t)
{
	struct cal_tm tm;

	cal_split(t, &tm);
	if (tm.year < 1)
		return 1;
	return tm.year > 9999 ? 9999 : (int)tm.year;
}

int
cal_mdays(int y, int mo)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (mo < 1 || mo > 12)
		return 0;
	if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return mdays[mo - 1];
}

/* Three letters, any case; compared as one word, this runs per record. */
int
cal_month(struct span s)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	int i;
	uint8_t a, b, c;

	if (s.n != 3)
		return -1;
	a = s.p[0] | 0x20;
	b = s.p[1] | 0x20;
	c = s.p[2] | 0x20;
	for (i = 0; i < 12; i++)
		if (a == names[3 * i] && b == names[3 * i + 1] &&
		    c == names[3 * i + 2])
			return i + 1;
	return -1;
}

int64_t
cal_infer_year(int mo, int d, int h, int mi, int s, int64_t now)
{
	/* The same clock for every record of a batch: its year once. */
	static _Thread_local int64_t last_now;
	static _Thread_local int last_y;	/* 0: none yet */
	int64_t t;
	int y;

	if (last_y == 0 || now != last_now) {
		last_y = cal_year(now);
		last_now = now;
	}
	y = last_y;

	t = cal_time(y, mo, d, h, mi, s);
	if (now < INT64_MAX - 31 * CAL_DAY && t > now + 31 * CAL_DAY)
		t = cal_time(y - 1, mo, d, h, mi, s);
	return t;
}

size_t
cal_fmt(char *buf, size_t sz, int64_t t)
{
	struct cal_tm tm;
	int n;

	if (t == CAL_NONE)
		n = snprintf(buf, sz, "-");
	else {
		cal_split(t, &tm);
		n = snprintf(buf, sz, "%04lld-%02d-%02dT%02d:%02d:%02d",
		    (long long)tm.year, tm.mon, tm.mday, tm.hour, tm.min,
		    tm.sec);
	}
	return n < 0 ? 0 : (size_t)n;
}
