/*
 * netrig: what the ingest tests (t_net, t_dgram) do around a struct net:
 * bind a listener and learn its port, and run the net until a sink has
 * enough records.
 */
#ifndef IMSMON_TESTS_NETRIG_H
#define IMSMON_TESTS_NETRIG_H

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/net.h"

/* Listen on spec; its port (0 for a unix socket), -1 on failure. */
static inline int
netrig_listen(struct net *n, const char *spec)
{
	char names[NET_MAXLISTEN][NET_NAMELEN], err[256];
	const char *p;
	size_t k;

	if (net_listen(n, spec, err, sizeof(err)) == -1) {
		fprintf(stderr, "  net_listen %s: %s\n", spec, err);
		return -1;
	}
	k = net_bound(n, names, NET_MAXLISTEN);
	if (k == 0 || k > NET_MAXLISTEN || (p = strrchr(names[k - 1], ':')) ==
	    NULL)
		return -1;
	if (strncmp(names[k - 1], "unix:", 5) == 0)
		return 0;
	return (int)strtol(p + 1, NULL, 10);
}

/* Run the net until *have reaches want or about 2 s pass. */
static inline void
netrig_pump(struct net *n, int budget, net_record_fn *cb, void *arg,
    const int *have, int want)
{
	struct pollfd pfd;
	int i;

	for (i = 0; i < 200 && *have < want; i++) {
		if (net_run(n, budget, cb, arg) == 1)
			continue;
		pfd.fd = net_fd(n);
		pfd.events = POLLIN;
		poll(&pfd, 1, 10);
	}
}

#endif
