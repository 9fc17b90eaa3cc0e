/*
 * spec: the listener syntax, parsed in one place for the configuration
 * (agent/conf.c checks a syslogListen line as it is read) and for the
 * listeners (net.c binds it):
 *
 *	udp:ADDR:PORT  tcp:ADDR:PORT  tcp-evtsys:ADDR:PORT  unix:/PATH
 *
 * ADDR is numeric, an IPv6 one in brackets ("udp:[::1]:514"); PORT is
 * 0..65535 (0: any).  Only the syntax is checked here: whether ADDR is
 * an address the machine has shows when it is bound.
 */
#ifndef IMSMON_SPEC_H
#define IMSMON_SPEC_H

#include <stddef.h>
#include <stdint.h>

#define SPEC_HOST_MAX	64	/* INET6_ADDRSTRLEN and a zone */
#define SPEC_PATH_MAX	108	/* sizeof(sun_path) */

enum spec_kind {
	SPEC_UDP,
	SPEC_TCP,
	SPEC_TCP_EVTSYS,	/* evtsys's records back to back */
	SPEC_UNIX		/* a datagram socket */
};

struct spec {
	enum spec_kind	 kind;
	const char	*prefix;		/* "udp", "tcp", ... */
	char		 host[SPEC_HOST_MAX];	/* brackets removed */
	int		 v6;			/* host was in brackets */
	uint16_t	 port;
	char		 path[SPEC_PATH_MAX];	/* unix: */
};

/* 0, or -1 with errno EINVAL and, if err is not NULL, a message. */
int	 spec_parse(const char *, struct spec *, char *, size_t);

#endif /* IMSMON_SPEC_H */
