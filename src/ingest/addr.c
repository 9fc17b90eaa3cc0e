/*
 * addr: sender addresses and ranges (addr.h).
 */
#include "ingest/addr.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/span.h"

int
addr_parse(const char *text, struct addr *ad)
{
	memset(ad, 0, sizeof(*ad));
	if (strlen(text) >= INET6_ADDRSTRLEN) {
		errno = EINVAL;
		return -1;
	}
	if (inet_pton(AF_INET, text, ad->a) == 1)
		ad->family = AF_INET;
	else if (inet_pton(AF_INET6, text, ad->a) == 1)
		ad->family = AF_INET6;
	else {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
addr_range_parse(const char *text, struct addr_range *r)
{
	struct span s = span_cstr(text), a;
	char abuf[INET6_ADDRSTRLEN];
	struct addr ad;
	uint32_t bits;
	unsigned max, i;

	memset(r, 0, sizeof(*r));
	if (span_take_until(&s, '/', &a) == -1) {
		a = s;
		s = span_make(NULL, 0);
	} else if (s.n == 0)
		goto bad;
	if (a.n == 0 || a.n >= sizeof(abuf))
		goto bad;
	span_copy(abuf, sizeof(abuf), a);
	if (addr_parse(abuf, &ad) == -1)
		goto bad;
	max = ad.family == AF_INET ? 32 : 128;
	bits = max;
	if (s.p != NULL && (span_u32(&s, 3, max, &bits) == -1 || s.n != 0))
		goto bad;
	r->family = ad.family;
	r->bits = bits;
	memcpy(r->a, ad.a, sizeof(r->a));
	for (i = bits; i < max; i++)
		r->a[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

int
addr_in_range(const struct addr_range *r, const struct addr *ad)
{
	unsigned full = r->bits / 8, rest = r->bits % 8;
	uint8_t mask;

	if (r->family != ad->family || memcmp(r->a, ad->a, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xffu << (8 - rest));
	return (ad->a[full] & mask) == r->a[full];
}

int
addr_eq(const struct addr *x, const struct addr *y)
{
	size_t n = x->family == AF_INET ? 4 : x->family == AF_INET6 ? 16 : 0;

	return x->family == y->family && memcmp(x->a, y->a, n) == 0;
}

void
addr_from_sockaddr(const struct sockaddr *sa, struct addr *ad)
{
	memset(ad, 0, sizeof(*ad));
	switch (sa->sa_family) {
	case AF_INET:
		ad->family = AF_INET;
		memcpy(ad->a, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
		break;
	case AF_INET6:
		ad->family = AF_INET6;
		memcpy(ad->a, &((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr, 16);
		break;
	default:
		ad->family = AF_UNIX;
		break;
	}
}

size_t
addr_text(const struct addr *ad, char *buf, size_t sz)
{
	int n;

	if (sz == 0)
		return 0;
	if (ad->family != AF_INET && ad->family != AF_INET6)
		n = snprintf(buf, sz, "unix");
	else if (inet_ntop(ad->family, ad->a, buf, (socklen_t)sz) == NULL)
		n = snprintf(buf, sz, "?");
	else
		n = (int)strlen(buf);
	return n < 0 ? 0 : (size_t)n;
}

int
addr_is_loopback(const struct addr *ad)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (ad->family == AF_INET)
		return ad->a[0] == 127;
	return ad->family == AF_INET6 && memcmp(ad->a, v6lo, 16) == 0;
}
