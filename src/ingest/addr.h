/*
 * addr: sender addresses, as the listeners see them and as the operator
 * names them: one address ("192.0.2.7"), or a CIDR range ("192.0.2.0/24",
 * "2001:db8::/32").  Numeric only: nothing here waits on DNS.  Used for
 * the allowlists (net.c) and for whatever the configuration says per
 * sender (its name, its time zone).
 */
#ifndef IMSMON_ADDR_H
#define IMSMON_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define ADDR_TEXT_MAX	64	/* INET6_ADDRSTRLEN and a "/128" */

/* A sender: family AF_INET, AF_INET6 or AF_UNIX (no address). */
struct addr {
	int		 family;
	uint8_t		 a[16];		/* network order; 4 used for v4 */
};

/* A range: the first bits of a, in network order. */
struct addr_range {
	int		 family;
	unsigned	 bits;
	uint8_t		 a[16];
};

struct sockaddr;

/*
 * "192.0.2.0/24", "2001:db8::/32" or one address (all its bits); host
 * bits set are cleared, as routes do.  0, or -1 with errno EINVAL.
 */
int	 addr_range_parse(const char *, struct addr_range *);
/* One address, no range: 0, or -1 (EINVAL). */
int	 addr_parse(const char *, struct addr *);
int	 addr_in_range(const struct addr_range *, const struct addr *);
int	 addr_eq(const struct addr *, const struct addr *);
/* From a socket address (AF_UNIX and others: family AF_UNIX, no bytes). */
void	 addr_from_sockaddr(const struct sockaddr *, struct addr *);
/* Printable ("192.0.2.7", "2001:db8::1", "unix"); like snprintf. */
size_t	 addr_text(const struct addr *, char *, size_t);
int	 addr_is_loopback(const struct addr *);

#endif /* IMSMON_ADDR_H */
