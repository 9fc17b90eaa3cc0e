/*
 * tz: time zones, to read a sender's wall clock as UTC.
 *
 * Forwarders print the NT event time in the server's local time, and
 * RFC 3164 stamps carry no zone at all; imsmon keeps every event time in
 * UTC, so a local stamp is converted with the zone the operator says the
 * sender is in.  A zone is one of:
 *
 *	""  or "localtime"     the collector's own zone: $TZ if set, else
 *	                       /etc/localtime
 *	"UTC", "Z"             UTC
 *	"+02:00", "-0500"      a fixed offset east of UTC (ISO 8601 sign)
 *	"Europe/Berlin"        a tz database zone (TZif file under $TZDIR or
 *	                       /usr/share/zoneinfo), historical rules included
 *	"CET-1CEST,M3.5.0,M10.5.0/3"
 *	                       a POSIX TZ rule (note its west-positive sign)
 *	"/path/file"           a TZif file
 *
 * A wall-clock time that occurs twice (the hour after DST ends) is read as
 * its later occurrence, in standard time; one that never occurs (the hour
 * skipped when DST starts) with the offset in force before the change.
 * Lookups never allocate; a struct tz is read-only once made and can be
 * shared between threads.  A NULL zone is UTC.
 */
#ifndef IMSMON_TZ_H
#define IMSMON_TZ_H

#include <stddef.h>
#include <stdint.h>

#define TZ_NAME_MAX	64	/* the spec as given, for display */

struct tz;

/* NULL with errno (EINVAL, ENOENT, ENOMEM) and a message in err. */
struct tz	*tz_new(const char *, char *, size_t);
void		 tz_free(struct tz *);

/* Seconds east of UTC in force at the UTC time t. */
int32_t		 tz_offset(const struct tz *, int64_t);
/* The UTC time of wall-clock time local in the zone. */
int64_t		 tz_to_utc(const struct tz *, int64_t);
/* The spec it was made from ("UTC" for NULL). */
const char	*tz_name(const struct tz *);

#endif /* IMSMON_TZ_H */
