/*
 * state_glue: imsmond's side of the state layer (src/state/, docs/state.md).
 * The directives (stateDir, stateSyncInterval, stateGroupCommit,
 * stateFsync, stateHistoryAge, stateHistoryMax, stateLogMax,
 * serverSilenceTimeout), opening the database before any listener, the
 * commits on the 1 s tick and the group commits notifications wait for,
 * the state's files handed to the user of -u/-g, and the imsState
 * scalars (imsMonObjects 7).
 * Everything here is called from one line elsewhere, so the rest of the
 * agent does not need to know how the state is kept.
 */
#include "agent.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/state.h"
#include "util/mono.h"

#ifndef IMSMON_STATEDIR
#define IMSMON_STATEDIR	"/var/lib/imsmon"
#endif

static const oid state_oid[] = { IMSD_OID_ROOT, 1, 7 };

enum {
	ST_STATUS = 1, ST_FILE, ST_ASIDE, ST_SAVED, ST_UNSAVED_SINCE,
	ST_FAILURES, ST_EVICTED, ST_SILENCE, ST__LAST = ST_SILENCE
};

static struct state_conf sg_conf;
static char	*sg_dir;
static int	 sg_off;		/* stateDir none */
static int64_t	 sg_silence;		/* serverSilenceTimeout, s; 0 off */
static struct imsd *sg_im;
static uint64_t	 sg_evicted;		/* servers evicted, as last logged */
static int64_t	 sg_evict_logged;

static void	 sg_directive(const char *, char *);
static void	 sg_log(void *, int, const char *);
static int	 sg_handler(netsnmp_mib_handler *,
		    netsnmp_handler_registration *,
		    netsnmp_agent_request_info *, netsnmp_request_info *);

/* Directives and the imsState scalars; before init_snmp(). */
int
state_glue_init(struct imsd *im)
{
	static const char *const names[] = { "stateDir",
	    "stateSyncInterval", "stateHistoryAge", "stateHistoryMax",
	    "stateLogMax", "serverSilenceTimeout", "stateFsync",
	    "stateGroupCommit" };
	static const char *const help[] = { "DIRECTORY | none",
	    "SECONDS (0..3600, default 1)",
	    "SECONDS (0 = no limit, default 7776000: 90 days)",
	    "N (0 = no limit, default 100000)",
	    "N (1..10000000, default 10000)",
	    "SECONDS (0 = off, the default)",
	    "yes | no (default no)",
	    "MILLISECONDS (0..1000, default 10)" };
	netsnmp_handler_registration *reg;
	oid o[MAX_OID_LEN];
	size_t i, len = OID_LENGTH(state_oid);

	sg_im = im;
	state_conf_default(&sg_conf);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		register_app_config_handler(names[i], sg_directive, NULL,
		    help[i]);
	memcpy(o, state_oid, sizeof(state_oid));
	for (i = 1; i <= ST__LAST; i++) {
		o[len] = i;
		reg = netsnmp_create_handler_registration("imsState",
		    sg_handler, o, len + 1, HANDLER_CAN_RONLY);
		if (reg == NULL)
			return -1;
		reg->my_reg_void = im;
		if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK)
			return -1;
	}
	return 0;
}

static void
sg_directive(const char *token, char *line)
{
	char msg[256], *end;
	long long v, max = 10000000LL;

	line += strspn(line, " \t");
	line[strcspn(line, " \t\r\n")] = '\0';
	if (strcmp(token, "stateDir") == 0) {
		if (line[0] != '/' && strcmp(line, "none") != 0) {
			snprintf(msg, sizeof(msg), "%s: an absolute path or "
			    "none, not '%s'", token, line);
			goto bad;
		}
		free(sg_dir);
		sg_dir = NULL;
		sg_off = strcmp(line, "none") == 0;
		if (!sg_off && (sg_dir = strdup(line)) == NULL) {
			snprintf(msg, sizeof(msg), "%s: out of memory", token);
			goto bad;
		}
		return;
	}
	if (strcmp(token, "stateFsync") == 0) {
		if (strcmp(line, "yes") != 0 && strcmp(line, "no") != 0) {
			snprintf(msg, sizeof(msg), "%s: yes or no, not '%s'",
			    token, line);
			goto bad;
		}
		sg_conf.fsync = strcmp(line, "yes") == 0;
		return;
	}
	errno = 0;
	v = strtoll(line, &end, 10);
	if (strcmp(token, "stateSyncInterval") == 0)
		max = 3600;
	else if (strcmp(token, "stateGroupCommit") == 0)
		max = 1000;
	if (line[0] == '\0' || *end != '\0' || errno != 0 || v < 0 ||
	    v > max || (strcmp(token, "stateLogMax") == 0 && v < 1)) {
		snprintf(msg, sizeof(msg), "%s: not a number in range '%s'",
		    token, line);
		goto bad;
	}
	if (strcmp(token, "stateSyncInterval") == 0)
		sg_conf.sync_interval = v;
	else if (strcmp(token, "stateHistoryAge") == 0)
		sg_conf.history_age = v;
	else if (strcmp(token, "stateHistoryMax") == 0)
		sg_conf.history_max = (size_t)v;
	else if (strcmp(token, "stateLogMax") == 0)
		sg_conf.log_max = (size_t)v;
	else if (strcmp(token, "serverSilenceTimeout") == 0)
		sg_silence = v;
	else if (strcmp(token, "stateGroupCommit") == 0)
		sg_conf.group_ms = v;
	return;
bad:
	config_perror(msg);
	sg_im->conf.errors++;
}

static void
sg_log(void *arg, int prio, const char *msg)
{
	(void)arg;
	imsd_log(prio, "%s", msg);
}

/*
 * Open the database and rebuild the store from it: after the store and
 * the engine exist, before any observer that sends notifications and
 * before any listener (restored faults fire nothing).  A database that
 * cannot be used at all leaves the state off: said in the log and in
 * imsStateStatus, never fatal.
 */
int
state_glue_open(struct imsd *im)
{
	/* A file size limit must fail a write, not kill us (SIGXFSZ). */
	signal(SIGXFSZ, SIG_IGN);
	if (sg_off) {
		imsd_log(LOG_NOTICE, "stateDir none: state is kept in memory "
		    "only and lost on restart");
		return 0;
	}
	sg_conf.dir = sg_dir != NULL ? sg_dir : IMSMON_STATEDIR;
	sg_conf.log = sg_log;
	sg_conf.restore_cleared = im->conf.limits.max_cleared;
	if ((im->state = state_open(&sg_conf, im->st, im->d,
	    imsd_now())) == NULL)
		imsd_log(LOG_ERR, "state directory %s: cannot keep state "
		    "there (%s); running from memory only", sg_conf.dir,
		    strerror(errno));
	return 0;
}

/* The 1 s tick: commits when due, silence, evictions (a line a minute). */
void
state_glue_tick(struct imsd *im, int64_t now)
{
	uint64_t ev;

	ev = im->st != NULL ? store_stats(im->st)->servers_evicted : 0;
	if (ev != sg_evicted && now - sg_evict_logged >= 60) {
		imsd_log(LOG_WARNING, "maxServers %zu reached: %llu quiet "
		    "servers dropped to make room since the last report (the "
		    "least recently heard without an open fault)",
		    im->conf.limits.max_servers,
		    (unsigned long long)(ev - sg_evicted));
		sg_evicted = ev;
		sg_evict_logged = now;
	}
	if (sg_silence > 0 && im->st != NULL)
		(void)store_check_silent(im->st, now - sg_silence, now);
	state_tick(im->state, now);
}


/*
 * Before the notification of transition seq is handed to the master:
 * 0 when what it tells of is on disk (after a group commit made now if
 * need be) or cannot be saved; else the ms after which to ask again
 * (a group commit was made less than stateGroupCommit ms ago).
 */
int64_t
state_glue_hold(struct imsd *im, uint64_t seq)
{
	int64_t wait = 0;

	if (im->state == NULL || state_sync_group(im->state, seq, imsd_now(),
	    mono_ms(), &wait) != 1)
		return 0;
	return wait > 0 ? wait : 1;
}

/*
 * -u/-g, before the drop: the files the state opened as root go to the
 * user it becomes, or SQLite could not write them after the drop (nor
 * open them at the next start as that user).
 */
int
state_glue_chown(struct imsd *im, uid_t uid, gid_t gid)
{
	char err[PATH_MAX + 128];

	if (im->state == NULL)
		return 0;
	if (state_chown(im->state, uid, gid, err, sizeof(err)) == -1) {
		imsd_log(LOG_ERR, "state: cannot give its files to uid %ld, "
		    "gid %ld: %s", (long)uid, (long)gid, err);
		return -1;
	}
	return 0;
}

void
state_glue_close(struct imsd *im)
{
	state_close(im->state, imsd_now());
	im->state = NULL;
	free(sg_dir);
	sg_dir = NULL;
}

static int
sg_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	struct imsd *im = reg->my_reg_void;
	const struct state_stats *ss;
	netsnmp_variable_list *vb;
	oid last;

	(void)h;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (; r != NULL; r = r->next) {
		vb = r->requestvb;
		last = vb->name[vb->name_length - 2];
		ss = im->state != NULL ? state_stats(im->state) : NULL;
		switch (last) {
		case ST_STATUS:
			mib_set_int(vb, state_health(im->state));
			break;
		case ST_FILE:
			mib_set_string(vb, state_path(im->state));
			break;
		case ST_ASIDE:
			mib_set_string(vb, state_aside(im->state));
			break;
		case ST_SAVED:
			mib_set_datetime(vb, ss != NULL ? ss->last_commit : 0);
			break;
		case ST_UNSAVED_SINCE:
			mib_set_datetime(vb, ss != NULL && state_health(
			    im->state) == STATE_UNSAVED ? ss->last_commit : 0);
			break;
		case ST_FAILURES:
			mib_set_counter64(vb, ss != NULL ?
			    ss->commit_failures : 0);
			break;
		case ST_EVICTED:
			mib_set_counter64(vb, im->st != NULL ?
			    store_stats(im->st)->servers_evicted : 0);
			break;
		case ST_SILENCE:
			mib_set_unsigned(vb, ASN_UNSIGNED,
			    (uint32_t)sg_silence);
			break;
		default:
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHOBJECT);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}
