/*
 * norm: normalisation of the fields the knowledge base matches on
 * (docs/forwarders.md): source names, host names, description text.
 * All write into caller buffers, always NUL-terminated, never allocate.
 */
#ifndef IMSMON_NORM_H
#define IMSMON_NORM_H

#include <stddef.h>

#include "util/span.h"

#define NORM_SOURCE_MAX	64	/* longest event source we keep, with NUL */
#define NORM_HOST_MAX	64	/* NetBIOS names are 15; FQDN labels 63 */

/* "MSExchangeIS_Private" -> "msexchangeis private": lower case, '_' -> ' '. */
size_t	norm_source(char *, size_t, struct span);

/* "MAILGW.corp.example" -> "mailgw"; IP addresses are kept whole. */
size_t	norm_host(char *, size_t, struct span);

/*
 * Description text for matching: lower case; CR, LF, TAB and rsyslog's
 * "#011" / "#012" / "#015" escapes become spaces; runs of spaces fold to
 * one; leading and trailing spaces go; "%%2140" reads as "error 2140"
 * (evtsys prints "(Error 2140)", SCM 7024 "service-specific error 2140").
 * Bytes >= 0x80 pass through untouched, so ASCII parts always match.
 */
size_t	norm_text(char *, size_t, struct span);

#endif /* IMSMON_NORM_H */
