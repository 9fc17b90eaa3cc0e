/*
 * fuzz_frame: libFuzzer harness for the TCP frame splitter, all three
 * framings (RFC 6587 octet counting, LF / NUL trailers, evtsys's records
 * back to back) and the detection between the first two.  The first
 * input byte picks the mode and the record limit, the second the read
 * size; the rest is the stream, fed as a connection would feed it into a
 * buffer of FRAME_BUFSZ(max) bytes.  It traps when frame.h's promises
 * break: a record outside the buffer or over the limit, more consumed
 * than held, no progress on a full buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/frame.h"
#include "util/span.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const enum frame_mode modes[4] = {
	FRAME_DETECT, FRAME_OCTET, FRAME_LF, FRAME_CONCAT
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *buf;
	static size_t bufsz;
	struct frame fr;
	struct span rec;
	size_t max, cap, len = 0, off = 0, chunk, take;
	ssize_t k;
	int guard;

	if (size < 2)
		return 0;
	max = 1 + (size_t)(data[0] >> 2) * 97;	/* 1 .. 24736 */
	chunk = 1 + data[1];
	if (frame_init(&fr, modes[data[0] & 3], max) == -1)
		__builtin_trap();
	cap = FRAME_BUFSZ(max);
	if (cap > bufsz) {
		free(buf);
		if ((buf = malloc(cap)) == NULL)
			return 0;
		bufsz = cap;
	}
	data += 2;
	size -= 2;
	for (guard = 0; guard < 1000000; guard++) {
		/* Read: as much as fits, at most chunk bytes. */
		take = cap - len < chunk ? cap - len : chunk;
		if (take > size - off)
			take = size - off;
		memcpy(buf + len, data + off, take);
		len += take;
		off += take;
		k = frame_next(&fr, buf, len, &rec);
		if (k == -1)
			return 0;		/* malformed: connection dropped */
		if (k < 0 || (size_t)k > len)
			__builtin_trap();
		if (rec.n > 0 && (rec.n > max || rec.p < buf ||
		    rec.p + rec.n > buf + len))
			__builtin_trap();
		if (k == 0 && len >= cap)
			__builtin_trap();	/* a full buffer must frame */
		if (k > 0) {
			memmove(buf, buf + k, len - (size_t)k);
			len -= (size_t)k;
			continue;
		}
		if (off == size)
			break;
	}
	k = frame_eof(&fr, buf, len, &rec);
	if (k > (ssize_t)len || (k >= 0 && rec.n > 0 && (rec.n > max ||
	    rec.p < buf || rec.p + rec.n > buf + len)))
		__builtin_trap();
	return 0;
}
