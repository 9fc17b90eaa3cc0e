/*
 * imsmond internals: the state the agent's files share, and their
 * prototypes grouped per file.  Only agent/ includes Net-SNMP headers;
 * this header needs them for the handler and varbind types.
 */
#ifndef IMSMON_AGENT_H
#define IMSMON_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "diag/diag.h"
#include "kb/kb.h"
#include "ingest/addr.h"
#include "ingest/net.h"
#include "diag/store.h"
#include "util/tz.h"

#include "ntfq.h"

#ifndef IMSMON_VERSION
#define IMSMON_VERSION	"0.1.0"
#endif
#ifndef IMSMON_KBDIR
#define IMSMON_KBDIR	"/usr/local/share/imsmon/kb"
#endif
#ifndef IMSMON_KBSITEDIR
#define IMSMON_KBSITEDIR	"/usr/local/etc/imsmon/kb.d"
#endif
#ifndef IMSMON_CONFFILE
#define IMSMON_CONFFILE	"/usr/local/etc/imsmon/imsmond.conf"
#endif
#ifndef IMSMON_STATEDIR
#define IMSMON_STATEDIR	"/usr/local/var/lib/imsmon"
#endif

#define IMSD_APP	"imsmond"	/* config file name, syslog ident */

/*
 * The MIB root: IMSMON-MIB's MODULE-IDENTITY, under the enterprise
 * number RFC 5612 reserves for documentation.  A deployment with its own
 * enterprise number changes this line and the one in mib/IMSMON-MIB.txt.
 */
#define IMSD_OID_ROOT	1, 3, 6, 1, 4, 1, 32473

#define IMSD_DEFAULT_LISTEN	"udp:127.0.0.1:5514"
#define IMSD_RUN_BUDGET		64	/* records per wakeup (fairness: SNMP requests wait no longer) */
#define IMSD_TEXT_MAX		256	/* DisplayString, with NUL */
#define IMSD_HOLD_MAX		1024	/* hold-down memory, entries */
#define IMSD_ALLOW_MAX		64	/* syslogAllow lines */
#define IMSD_DENY_LOG_SECS	60	/* one refusal line per listener */
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

/* One remembered notification, for the hold-down. */
struct imsd_hold {
	uint32_t	 server;
	int		 kind;
	char		 article[KB_ID_MAX];
	int64_t		 when;
};

struct imsd {
	struct imsd_conf conf;
	int		 master;
	struct kb	*kb;
	struct store	*st;
	struct diag	*d;
	struct state	*state;		/* NULL: memory only (state_glue.c) */
	struct net	*net;
	time_t		 start_time;
	time_t		 kb_time;
	time_t		 reload_time;	/* last SIGHUP reload tried, or 0 */
	int		 reload_result;	/* MIB: none(1), ok(2), failed(3) */
	char		 reload_msg[256];

	/* Servers sorted by their MIB index (name length, then name). */
	uint32_t	*srv_sorted;
	size_t		 nsrv_sorted;
	size_t		 srv_cap;
	uint64_t	 srv_gen;	/* store_servers_gen() when sorted */
	/* KB articles sorted by their MIB index. */
	uint32_t	*kb_sorted;
	size_t		 nkb_sorted;

	/* Syslog listeners, in net_listen() order (imsListenerTable). */
	size_t		 nlis;
	struct tz	*tz_local;	/* the collector's zone */
	struct tz	*lis_tz[NET_MAXLISTEN];	/* NULL: tz_default */
	struct tz	*tz_default;	/* syslogTimeZone ZONE, or tz_local */
	/* Zone and name worked out once per sender (ingest.c). */
	struct sender_memo *memo;	/* one per sender row */
	size_t		 nmemo;
	uint64_t	 memo_gen;	/* changed when what they come from
					   may have */
	char		 lis_allowed[NET_MAXLISTEN][IMSD_TEXT_MAX];
	uint64_t	 lis_logged[NET_MAXLISTEN];	/* refusals logged */
	int64_t		 lis_logtime[NET_MAXLISTEN];

	/* Notifications (trap.c). */
	int		 connected;	/* to the AgentX master, or master */
	uint64_t	 traps_sent;	/* handed to the master */
	uint64_t	 traps_suppressed;
	uint64_t	 traps_deferred;	/* times the rate limit waited */
	uint64_t	 traps_blocked;	/* sends the socket refused (full) */
	uint64_t	 traps_refused;	/* answered with an error */
	uint32_t	 connects;	/* AgentX (re)connections */
	struct imsd_hold hold[IMSD_HOLD_MAX];
	size_t		 nhold, hold_next;
	struct ntfq	*ntfq;
	struct ntf_log	*ntflog;
	struct ntf_rate	 rate;
	uint64_t	 ntf_seq;	/* the last notification's */
	uint64_t	 ntf_made;	/* notifications with a sequence */
	int64_t		 last_change;	/* wall clock of the last one */
	int64_t		 overflow_logged;

	/* Faults to clear once the SET that asked is over. */
	uint32_t	*pending_clear;
	size_t		 npending, pending_cap;
	int		 pending_alarm;
};

/* log.c */
void		 imsd_log(int, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int64_t		 imsd_now(void);
const char	*imsd_esc(char *, size_t, const char *);
int		 log_setup(const char *, int);
void		 log_reopen(void);

/* sdnotify.c: READY=1 and friends for systemd Type=notify */
int		 imsd_sd_notify(const char *);

/* conf.c */
void		 conf_defaults(struct imsd_conf *);
void		 conf_register(struct imsd *);
void		 conf_watch(int);
void		 conf_free(struct imsd_conf *);

/* ingest.c */
int		 ingest_start(struct imsd *);
void		 ingest_stop(struct imsd *);
int		 ingest_kb_load(struct imsd *, int);
void		 ingest_deliver(struct imsd *, const uint8_t *, size_t,
		    const struct net_from *, int64_t);

/* reader.c: the thread that reads the listeners, and its queue. */
typedef void	 reader_deliver_fn(struct imsd *, const uint8_t *, size_t,
		    const struct net_from *, int64_t);
int		 reader_start(struct imsd *, reader_deliver_fn *);
void		 reader_stop(struct imsd *);
void		 reader_drain(struct imsd *);
void		 reader_lock(void);
void		 reader_unlock(void);
void		 reader_stats(size_t *, size_t *, size_t *, uint64_t *);

/* mib_util.c: the table walker shared by every table, and encoders. */
struct mib_table {
	const char	*name;
	const oid	*base;		/* the table's OID */
	size_t		 baselen;
	unsigned	 mincol, maxcol;
	/*
	 * Find a row by its index OID: exact, or the first one strictly
	 * after idx (idxlen 0: the first row).  Writes the row's index OID
	 * to out (room for MAX_OID_LEN sub-ids) and its length to *outlen.
	 */
	const void	*(*find)(struct imsd *, const oid *, size_t, int,
			    oid *, size_t *);
	/* Set vb's value from column col of row; -1 if it has none. */
	int		 (*value)(struct imsd *, const void *, unsigned,
			    netsnmp_variable_list *);
	/* SET phases, or NULL for a read-only table. */
	int		 (*set)(struct imsd *, netsnmp_agent_request_info *,
			    netsnmp_request_info *, unsigned, const oid *,
			    size_t);
};

int		 mib_table_register(struct imsd *, const struct mib_table *);
size_t		 mib_oid_str(oid *, size_t, const char *, size_t);
int		 mib_oid_str_cmp(const char *, size_t, const char *, size_t);
size_t		 mib_search(size_t, const oid *, size_t, int,
		    void (*)(const void *, size_t, oid *, size_t *),
		    const void *);
void		 mib_set_text(netsnmp_variable_list *, const char *, size_t);
void		 mib_set_string(netsnmp_variable_list *, const char *);
void		 mib_set_int(netsnmp_variable_list *, long);
int		 mib_index_1n(size_t, const oid *, size_t, int, oid *);
void		 mib_set_unsigned(netsnmp_variable_list *, u_char, uint32_t);
void		 mib_set_counter64(netsnmp_variable_list *, uint64_t);
void		 mib_set_datetime(netsnmp_variable_list *, int64_t);
long		 mib_severity(enum kb_severity);
long		 mib_status(enum ims_status);

/* mib_scalars.c */
int		 mib_scalars_init(struct imsd *);

/* mib_ingest.c: imsFormatTable, imsListenerTable, imsSenders */
int		 mib_ingest_init(struct imsd *);
uint64_t	 mib_conns_refused(struct imsd *);

/* mib_servers.c */
int		 mib_servers_init(struct imsd *);
void		 mib_servers_sync(struct imsd *);
int		 mib_server_value(struct imsd *, const struct server *,
		    unsigned, netsnmp_variable_list *);
size_t		 mib_server_oid(const struct server *, oid *, size_t);

/* mib_faults.c */
int		 mib_faults_init(struct imsd *);
int		 mib_fault_value(struct imsd *, const struct fault *, unsigned,
		    netsnmp_variable_list *);
void		 mib_fault_title(struct imsd *, const struct fault *, char *,
		    size_t);
long		 mib_fault_severity(struct imsd *, const struct fault *);

/* mib_notify.c: imsNotify, imsNtfLogTable */
int		 mib_notify_init(struct imsd *);

/* mib_kb.c */
int		 mib_kb_init(struct imsd *);
int		 mib_kb_sort(struct imsd *);

/* state_glue.c: the state layer's directives, opening, scalars. */
int		 state_glue_init(struct imsd *);
int		 state_glue_open(struct imsd *);
void		 state_glue_tick(struct imsd *, int64_t);
int64_t		 state_glue_hold(struct imsd *, uint64_t);
int		 state_glue_chown(struct imsd *, uid_t, gid_t);
void		 state_glue_close(struct imsd *);

/* trap.c: the notifications, imsMonNotifications N. */
enum trap_kind {
	TRAP_DIAGNOSED = 1,
	TRAP_AMBIGUOUS = 2,
	TRAP_REFINED = 3,
	TRAP_CLEARED = 4,
	TRAP_STATUS = 5,
	TRAP_SILENT = 6,
	TRAP_RESYNC = 7
};

void		 trap_init(struct imsd *);
int		 trap_start(struct imsd *);
void		 trap_free(struct imsd *);
void		 trap_observer(void *, const struct store_trans *,
		    const struct fault *, const struct server *);
void		 trap_flush(struct imsd *);
void		 trap_pump(struct imsd *);
void		 trap_resync(struct imsd *);

/* Column numbers shared by the tables and the notifications. */
enum {
	COL_SRV_DISPLAY = 2, COL_SRV_STATUS, COL_SRV_PREV, COL_SRV_CHANGED,
	COL_SRV_LASTTIME, COL_SRV_LASTID, COL_SRV_OPEN, COL_SRV_EVENTS,
	COL_SRV_FAULT, COL_SRV_ARTICLE, COL_SRV_TITLE, COL_SRV_SEVERITY,
	COL_SRV_REMEDY, COL_SRV_SEQGAPS, COL_SRV_SEQLOST, COL_SRV_WHY,
	COL_SRV_HEARD
};
enum {
	COL_F_SERVER = 2, COL_F_ARTICLE, COL_F_TITLE, COL_F_STATE,
	COL_F_SEVERITY, COL_F_CONFIDENCE, COL_F_COUNT, COL_F_FIRST,
	COL_F_LAST, COL_F_EVIDENCE, COL_F_CANDIDATES, COL_F_REMEDY,
	COL_F_REASON, COL_F_CLEARED, COL_F_ACKED, COL_F_ACTION,
	COL_F_ORIGIN
};

#define MIB_SEV_INDETERMINATE	5

#endif /* IMSMON_AGENT_H */
