/*
 * parse_scratch: the per-thread area parsers write unescaped text into
 * (struct parse_in in parse.h).
 */
#include "parse/parse.h"

#include <string.h>

#include "util/span.h"

/* Unescaping never lengthens a record, so one record's worth is enough. */
static _Thread_local uint8_t scratch[PARSE_MAXREC];

uint8_t *
parse_scratch_area(size_t *sz)
{
	*sz = sizeof(scratch);
	return scratch;
}

struct span
parse_scratch(void)
{
	return span_make(scratch, sizeof(scratch));
}

struct span
parse_scratch_put(const struct parse_in *in, size_t *used,
    const struct span *parts, size_t n)
{
	size_t i, len = 0, at = *used;

	if (at > in->scratchsz)
		return SPAN_NULL;
	for (i = 0; i < n; i++) {
		if (parts[i].n > in->scratchsz - at - len)
			return SPAN_NULL;
		len += parts[i].n;
	}
	for (i = 0, len = 0; i < n; i++) {
		if (parts[i].n > 0)
			memmove(in->scratch + at + len, parts[i].p, parts[i].n);
		len += parts[i].n;
	}
	*used = at + len;
	return span_make(in->scratch + at, len);
}
