/*
 * conf.h: the imsmond.conf directives and their values, without Net-SNMP
 * (conf_parse.c; conf.c hands them the lines Net-SNMP's config reader
 * finds, and the unit test tests/t_conf.c calls them directly).
 */
#ifndef IMSMON_AGENT_CONF_H
#define IMSMON_AGENT_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "diag/store.h"
#include "ingest/addr.h"
#include "ingest/net.h"
#include "util/tz.h"

#define IMSD_ALLOW_MAX		64	/* syslogAllow lines */
#define IMSD_NAMES_MAX		1024	/* syslogHostName lines */
#define IMSD_ZONES_MAX		64	/* syslogTimeZone lines */

/* One syslogAllow line: a listener as syslogListen names it, and ranges. */
struct imsd_allow {
	char		*spec;
	char		*ranges;	/* blank-separated, checked */
};

/* One syslogHostName line: records from addr that name no host. */
struct imsd_name {
	struct addr	 addr;
	char		*name;
};

/*
 * One syslogTimeZone line: the zone of the clocks of the senders in a
 * range, or of every sender of a listener (where: its spec), or of every
 * sender (where NULL).
 */
struct imsd_zone {
	char		*where;
	struct addr_range range;
	int		 is_range;
	char		*zone;
	struct tz	*tz;		/* made at startup */
};

/* Configuration, from imsmond.conf (conf.c) and the command line. */
struct imsd_conf {
	char		*listen[NET_MAXLISTEN];
	size_t		 nlisten;
	struct imsd_allow allow[IMSD_ALLOW_MAX];
	size_t		 nallow;
	char		*kbdir;
	char		*kbsitedir;	/* site overrides (kbsite.h) */
	struct imsd_name names[IMSD_NAMES_MAX];
	size_t		 nnames;
	struct imsd_zone zones[IMSD_ZONES_MAX];
	size_t		 nzones;
	struct diag_conf diag;
	struct store_limits limits;
	struct net_limits net;
	int64_t		 holddown;	/* s; 0 = off */
	unsigned	 trap_rate;	/* notifications per second; 0 = no cap */
	size_t		 max_queued;	/* maxQueuedNotifications */
	size_t		 ntf_log_size;	/* notificationLogSize */
	size_t		 ingest_queue;	/* ingestQueueSize, bytes */
	int		 errors;	/* config_perror() calls */
};

/*
 * The directives conf.c registers by name with a fixed syntax help, and
 * the numeric ones (a whole number in [min, max]), registered in a loop.
 */
struct conf_num {
	const char	*name;
	long long	 min, max;
	const char	*help;
};

extern const struct conf_num conf_nums[];
extern const size_t conf_nnums;

void	conf_defaults(struct imsd_conf *);
void	conf_free(struct imsd_conf *);
int	conf_set(struct imsd_conf *, const char *, char *, char *, size_t);
int	conf_unknown(const char *, char *, size_t);

#endif
