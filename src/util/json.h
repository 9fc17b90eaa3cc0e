/*
 * json: a bounded, non-allocating scanner for one JSON object (RFC 8259),
 * enough to read NXLog's to_json() records (docs/forwarders.md).
 *
 * The scanner walks the members of the top-level object one at a time and
 * hands out spans into the input: a string value comes back with its
 * escapes intact, and json_unescape() decodes it into a buffer the caller
 * owns.  Nested objects and arrays are checked and skipped, never
 * descended into by the caller.  Every limit below is a reason to call the
 * input malformed, so a hostile record costs one linear pass at most.
 */
#ifndef IMSMON_JSON_H
#define IMSMON_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

#define JSON_DEPTH_MAX	16	/* levels; NXLog writes 1 (a flat object) */
#define JSON_STR_MAX	32768	/* bytes between the quotes, escaped */
#define JSON_KEY_MAX	128	/* bytes of a member name, escaped */
#define JSON_NUM_MAX	32	/* bytes of a number */
#define JSON_MEMBERS_MAX 256	/* members of one object */

enum json_type {
	JSON_NONE = 0,
	JSON_STRING,
	JSON_NUMBER,
	JSON_TRUE,
	JSON_FALSE,
	JSON_NULL,
	JSON_OBJECT,
	JSON_ARRAY
};

struct json_val {
	enum json_type	 type;
	struct span	 raw;	/* string: inside the quotes; else all */
	int		 escaped;	/* string: holds a backslash */
};

/* The members of one object, read in order. */
struct json_obj {
	struct span	 rest;		/* after the last member read */
	size_t		 nmembers;
	int		 done;
};

/*
 * Start reading the object at the front of s (blanks before it are
 * skipped).  0, or -1 if s does not open with '{'.
 */
int	json_obj_open(struct json_obj *, struct span);

/*
 * The next member: 1 with *key (raw, escapes intact) and *val, 0 after
 * the closing '}', -1 if the object is malformed or over a limit.  After
 * 0, json_obj_tail() is what follows the object.
 */
int	json_obj_next(struct json_obj *, struct span *, struct json_val *);
struct span json_obj_tail(const struct json_obj *);

/*
 * Decode the escapes of a raw string into dst (at most dstsz bytes, no
 * NUL added): \" \\ \/ \b \f \n \r \t, and \uXXXX as UTF-8 (a surrogate
 * pair as one 4-byte sequence, a lone surrogate as U+FFFD, U+0000 as a
 * blank so that no NUL reaches a C string).  Other bytes are copied as
 * they are, invalid UTF-8 included.  0 with *len set to the bytes
 * written, or -1 if dst is too small or an escape is broken.
 */
int	json_unescape(struct span, uint8_t *, size_t, size_t *);

/* A number value that is an integer in [min, max]: 0, or -1. */
int	json_int(const struct json_val *, int64_t, int64_t, int64_t *);

#endif /* IMSMON_JSON_H */
