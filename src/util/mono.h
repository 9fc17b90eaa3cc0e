/*
 * mono: the monotonic clock, for intervals (never for event times,
 * which are UTC from the record): one definition for every layer.
 */
#ifndef IMSMON_UTIL_MONO_H
#define IMSMON_UTIL_MONO_H

#include <stdint.h>
#include <time.h>

static inline int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline int64_t
mono_ms(void)
{
	return mono_us() / 1000;
}

#endif
