/*
 * frame: cut a syslog byte stream into records (RFC 6587).
 *
 * One struct frame per TCP connection.  The caller owns the bytes: it
 * hands frame_next() what it has buffered and learns how much was used.
 * Records are returned as spans into the caller's buffer, so nothing is
 * copied or allocated.  A UDP or unix datagram is one record and needs no
 * framing (RFC 5426 §3.1).
 *
 * Framing is detected per connection from the first byte (RFC 6587 §3.4):
 * a digit means octet counting, anything else means non-transparent
 * framing with LF (or NUL) as the trailer.  evtsys in TCP mode sends
 * neither: its records simply follow one another, each starting with its
 * PRI (docs/forwarders.md).  Its first byte is '<' as in LF framing,
 * so detection cannot tell; the listener says so (FRAME_CONCAT).
 *
 * Records longer than the maximum are dropped whole and counted, never
 * truncated (docs/forwarders.md): the stream stays in sync.
 */
#ifndef IMSMON_FRAME_H
#define IMSMON_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/span.h"

/* RFC 6587 §3.4.1 puts no bound on MSG-LEN; 9 digits is the common cap. */
#define FRAME_OCTET_MAXDIGITS	9
#define FRAME_MAXREC_LIMIT	(16u * 1024 * 1024)

/*
 * FRAME_CONCAT looks this far past a '<' to tell a record's start from a
 * "<13>" inside a description (frame.c, concat_header()).
 */
#define FRAME_LOOKAHEAD		256

/*
 * The buffer a caller needs so that a full buffer always frames: the
 * largest record, its octet count and space, or its CR LF trailer, or the
 * bytes of the next record's header that decide where it ends.
 */
#define FRAME_BUFSZ(max)	((size_t)(max) + FRAME_OCTET_MAXDIGITS + 7 + \
				    FRAME_LOOKAHEAD)

enum frame_mode {
	FRAME_DETECT = 0,	/* decide from the first byte */
	FRAME_OCTET,		/* MSG-LEN SP MSG (RFC 6587 §3.4.1) */
	FRAME_LF,		/* MSG LF, CR LF or NUL (RFC 6587 §3.4.2) */
	FRAME_CONCAT		/* evtsys TCP: "<PRI>" starts each record */
};

struct frame {
	enum frame_mode	 fr_mode;
	size_t		 fr_max;	/* largest record delivered */
	size_t		 fr_skip;	/* octet: bytes of a big frame to drop */
	int		 fr_drop;	/* LF, concat: dropping an oversize
					   record up to the next boundary */
	size_t		 fr_seen;	/* LF, concat: bytes scanned, no
					   boundary yet */
	uint64_t	 fr_oversize;	/* records dropped for size, ever */
};

/*
 * Start a stream.  max is the largest record delivered (1 ..
 * FRAME_MAXREC_LIMIT).  -1 with EINVAL for a bad max or mode.
 *
 * FRAME_CONCAT: a record ends where the next one's "<PRI>" begins ('<',
 * 1 to 3 digits without a leading zero, at most 191, '>') followed by a
 * header evtsys writes: its "Mmm dd hh:mm:ss " stamp, or (3.x) its
 * "SOURCE: ID: ", maybe behind a "TAG: ", or RFC 5424's "1 "; or at a
 * LF or NUL (a relay may add one).  A "<13>" inside a description is
 * followed by none of these and stays in it.  The last
 * record of a burst has no end until the next one arrives: the caller
 * ends it with frame_eof() once the sender has been quiet for a while.
 */
int	 frame_init(struct frame *, enum frame_mode, size_t);

/*
 * Look at the n buffered bytes at buf.  Returns:
 *   >0  that many bytes were consumed; if out->n > 0, out is a record (a
 *       span into buf, without its framing).  out->n == 0 means the bytes
 *       held no record: a blank line, stray trailers, or part of an
 *       oversize record being dropped (fr_oversize counts those).
 *    0  need more bytes; consume nothing.  Never returned when
 *       n >= FRAME_BUFSZ(max).  Call again with the same bytes
 *       followed by more.
 *   -1  malformed (bad octet count): errno = EPROTO; drop the connection.
 */
ssize_t	 frame_next(struct frame *, const uint8_t *, size_t, struct span *);

/*
 * The peer closed the stream with n bytes still buffered (after
 * frame_next() returned 0).  Returns n and sets *out to the last record if
 * the leftover is one (an LF-framed line without its trailer), n with an
 * empty *out if there is nothing to deliver, or -1 (EPROTO) if the stream
 * ended inside an octet-counted frame.  In FRAME_CONCAT mode it may also
 * be called on a stream that goes on, when the sender has gone quiet: the
 * leftover is a whole record, and the stream continues after it.
 */
ssize_t	 frame_eof(struct frame *, const uint8_t *, size_t, struct span *);

#endif /* IMSMON_FRAME_H */
