/*
 * spec: the listener syntax (spec.h).
 */
#include "ingest/spec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/span.h"

static const struct {
	const char	*prefix;
	enum spec_kind	 kind;
} kinds[] = {
	{ "udp:", SPEC_UDP },
	{ "tcp:", SPEC_TCP },
	{ "tcp-evtsys:", SPEC_TCP_EVTSYS },
	{ "unix:", SPEC_UNIX },
};

int
spec_parse(const char *text, struct spec *sp, char *err, size_t errsz)
{
	struct span s = span_cstr(text), host;
	uint32_t port;
	size_t i;

	memset(sp, 0, sizeof(*sp));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (span_expect(&s, kinds[i].prefix) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		if (err != NULL)
			snprintf(err, errsz, "%s: want udp:, tcp:, tcp-evtsys: "
			    "or unix:", text);
		goto bad;
	}
	sp->kind = kinds[i].kind;
	sp->prefix = kinds[i].prefix;
	if (sp->kind == SPEC_UNIX) {
		if (s.n == 0 || s.p[0] != '/') {
			if (err != NULL)
				snprintf(err, errsz, "%s: want unix:/PATH", text);
			goto bad;
		}
		if (s.n >= sizeof(sp->path)) {
			if (err != NULL)
				snprintf(err, errsz, "%s: path over %zu bytes",
				    text, sizeof(sp->path) - 1);
			errno = ENAMETOOLONG;
			return -1;
		}
		span_copy(sp->path, sizeof(sp->path), s);
		return 0;
	}
	if (span_expect(&s, "[") == 0) {
		sp->v6 = 1;
		if (span_take_until(&s, ']', &host) == -1 ||
		    span_expect(&s, ":") == -1)
			goto bad_inet;
	} else if (span_take_until(&s, ':', &host) == -1)
		goto bad_inet;
	if (host.n == 0 || host.n >= sizeof(sp->host) ||
	    (!sp->v6 && span_find_byte(host, ':') >= 0) ||
	    span_u32(&s, 5, 65535, &port) == -1 || s.n != 0)
		goto bad_inet;
	span_copy(sp->host, sizeof(sp->host), host);
	sp->port = (uint16_t)port;
	return 0;

bad_inet:
	if (err != NULL)
		snprintf(err, errsz, "bad address \"%s\": want 127.0.0.1:514 or "
		    "[::1]:514", text + strlen(sp->prefix));
bad:
	errno = EINVAL;
	return -1;
}
