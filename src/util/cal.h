/*
 * cal: civil-time arithmetic, the one place it is written.
 *
 * Times are seconds since 1970-01-01T00:00:00 on the proleptic Gregorian
 * calendar with no leap seconds, as time_t counts them.  Whether such a
 * count is UTC or a sender's wall clock is the caller's business: these
 * functions only convert between counts and calendar fields (tz.h turns
 * a wall clock into UTC).  Nothing allocates; nothing reads the system
 * clock or the time zone.
 */
#ifndef IMSMON_CAL_H
#define IMSMON_CAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

#define CAL_DAY		86400

/* Calendar fields of a time; year 0 is 1 BC, as ISO 8601 counts. */
struct cal_tm {
	int64_t		 year;
	int		 mon;		/* 1..12 */
	int		 mday;		/* 1..31 */
	int		 hour, min, sec;
	int		 wday;		/* 0 = Sunday */
	int		 yday;		/* 0 = January 1st */
};

/* Days since 1970-01-01 of a date (day may run past the month's end). */
int64_t		 cal_days(int64_t, int, int);
/* Seconds of y-mo-d h:mi:s. */
int64_t		 cal_time(int, int, int, int, int, int);
/* The fields of a time. */
void		 cal_split(int64_t, struct cal_tm *);
/* The year of a time, clamped to 1..9999 so that any input is usable. */
int		 cal_year(int64_t);
/* Days in month mo of year y; 0 for a month out of range. */
int		 cal_mdays(int, int);
/* "Jan".."Dec", any case: 1..12, or -1. */
int		 cal_month(struct span);

/*
 * A year-less stamp (RFC 3164) read against now, both on the same clock:
 * the year of now, or the year before when that would put the stamp more
 * than 31 days after now (a December line read in January).
 */
int64_t		 cal_infer_year(int, int, int, int, int, int64_t);

/* "2000-03-14T10:15:02", or "-" for EVT_TIME_NONE; like snprintf. */
size_t		 cal_fmt(char *, size_t, int64_t);

#endif /* IMSMON_CAL_H */
