/*
 * imsmond: the SNMP face of imsmon.  By default an AgentX subagent of the
 * system snmpd; with -M its own master agent.  Receives forwarded Windows
 * event logs over syslog, diagnoses Internet Mail Service faults against
 * the knowledge base and serves IMSMON-MIB.
 *
 * Init order follows the recipe (§2): role and sockets, init_agent(),
 * config handlers, MIB registrations, init_snmp() (which reads the config
 * and connects to the master), then the core and the listeners.
 */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <net-snmp/agent/agent_callbacks.h>

/* No installed prototypes (recipe §0); in libnetsnmpmibs/-agent. */
void	 init_vacm_conf(void);
void	 init_vacm_vars(void);
void	 init_usmUser(void);
void	 init_system_mib(void);

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t hup_flag;

static struct imsd imsd;

static void	 usage(FILE *);
static void	 on_signal(int);
static int	 signals_setup(void);
static int	 log_setup(const char *, int);
static int	 facility_parse(const char *);
static int	 pidfile_write(const char *);

void
imsd_log(int pri, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snmp_log(pri, "%s\n", buf);
}

/* Peer text for a log line: printable ASCII kept, anything else '?'. */
const char *
imsd_esc(char *dst, size_t dstsz, const char *src)
{
	size_t i;

	for (i = 0; dstsz > 0 && i < dstsz - 1 && src[i] != '\0'; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	if (dstsz > 0)
		dst[i] = '\0';
	return dst;
}

int64_t
imsd_now(void)
{
	return (int64_t)time(NULL);
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: imsmond [-CfhV] [-c FILE] [-D TOKENS] [-L OPTS] "
	    "[-M ADDR] [-p PIDFILE]\n"
	    "               [-x SOCKET]\n"
	    "  -c FILE    read FILE as well as imsmond.conf on the config "
	    "path\n"
	    "  -C         do not read the default config files\n"
	    "  -f         stay in the foreground, log to stderr\n"
	    "  -D TOKENS  Net-SNMP debug output for TOKENS (e.g. "
	    "agentx,imsmond)\n"
	    "  -L OPTS    logging as in snmpd: e (stderr), o (stdout), "
	    "f FILE,\n"
	    "             s FACILITY (syslog: d, u, 0-7 for local0-7), n "
	    "(none)\n"
	    "  -M ADDR    be a master agent on ADDR (e.g. "
	    "udp:127.0.0.1:1161)\n"
	    "  -p FILE    write the process ID to FILE\n"
	    "  -x SOCKET  AgentX socket of the master (default "
	    "/var/agentx/master)\n"
	    "  -V         print the version and exit\n"
	    "  -h         this help\n"
	    "Signals: TERM/INT stop, HUP reloads the knowledge base.\n");
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		hup_flag = 1;
	else
		stop_flag = 1;
}

static int
signals_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: select() in the agent loop returns on a signal. */
	sa.sa_handler = on_signal;
	if (sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGHUP, &sa, NULL) != 0)
		return -1;
	/* A trap to a master that just died must not kill us (recipe §7). */
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

static int
facility_parse(const char *s)
{
	static const struct {
		const char	*name;
		int		 fac;
	} fac[] = {
		{ "d", LOG_DAEMON }, { "daemon", LOG_DAEMON },
		{ "u", LOG_USER }, { "user", LOG_USER },
		{ "0", LOG_LOCAL0 }, { "local0", LOG_LOCAL0 },
		{ "1", LOG_LOCAL1 }, { "local1", LOG_LOCAL1 },
		{ "2", LOG_LOCAL2 }, { "local2", LOG_LOCAL2 },
		{ "3", LOG_LOCAL3 }, { "local3", LOG_LOCAL3 },
		{ "4", LOG_LOCAL4 }, { "local4", LOG_LOCAL4 },
		{ "5", LOG_LOCAL5 }, { "local5", LOG_LOCAL5 },
		{ "6", LOG_LOCAL6 }, { "local6", LOG_LOCAL6 },
		{ "7", LOG_LOCAL7 }, { "local7", LOG_LOCAL7 },
	};
	size_t i;

	for (i = 0; i < sizeof(fac) / sizeof(fac[0]); i++)
		if (strcmp(s, fac[i].name) == 0)
			return fac[i].fac;
	return -1;
}

/*
 * Logging (recipe §11): our messages and Net-SNMP's go through snmp_log()
 * to one place.  Default: syslog(3) as "imsmond", facility daemon, plus
 * stderr until startup is over; with -f, stderr only.  -Ls keeps our
 * ident (snmp_log_options() would make it "net-snmp").
 */
static int
log_setup(const char *facility, int foreground)
{
	int fac = LOG_DAEMON;

	if (facility != NULL && (fac = facility_parse(facility)) < 0) {
		fprintf(stderr, "imsmond: -Ls: unknown facility '%s'\n",
		    facility);
		return -1;
	}
	if (foreground && facility == NULL) {
		snmp_enable_stderrlog();
		return 0;
	}
	snmp_enable_syslog_ident(IMSD_APP, fac);
	if (!foreground)
		snmp_enable_stderrlog();
	return 0;
}

static int
pidfile_write(const char *path)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int
main(int argc, char *argv[])
{
	struct imsd *im = &imsd;
	const char *xsock = NULL, *master = NULL, *pidfile = NULL;
	const char *conffile = NULL, *facility = NULL;
	int ch, foreground = 0, noconf = 0, logset = 0, rc = 1;
	char smux[] = "-smux";

	while ((ch = getopt(argc, argv, "c:CD:fhL:M:p:Vx:")) != -1) {
		switch (ch) {
		case 'c':
			conffile = optarg;
			break;
		case 'C':
			noconf = 1;
			break;
		case 'D':
			debug_register_tokens(optarg);
			snmp_set_do_debugging(1);
			break;
		case 'f':
			foreground = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'L':
			if (optarg[0] == 's' || optarg[0] == 'S') {
				facility = optarg[1] != '\0' ? optarg + 1 :
				    optind < argc ? argv[optind++] : "";
				break;
			}
			if (snmp_log_options(optarg, argc, argv) < 0) {
				usage(stderr);
				return 2;
			}
			logset = 1;
			break;
		case 'M':
			master = optarg;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'V':
			printf("imsmond %s\n", IMSMON_VERSION);
			return 0;
		case 'x':
			xsock = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!logset && log_setup(facility, foreground) != 0)
		return 2;
	if (signals_setup() != 0) {
		fprintf(stderr, "imsmond: sigaction: %s\n", strerror(errno));
		return 1;
	}

	im->master = master != NULL;
	im->start_time = time(NULL);
	conf_defaults(&im->conf);
	if (!im->master)
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_ROLE, 1);
	else {
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_PORTS, master);
		/* One log line per SNMP request is noise, not an audit. */
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_DONT_LOG_TCPWRAPPERS_CONNECTS, 1);
	}
	if (xsock != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_X_SOCKET, xsock);
	if (noconf)
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
		    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	if (conffile != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
		    NETSNMP_DS_LIB_OPTIONALCONFIG, conffile);

	/*
	 * The agent needs no MIB files: without this, -C (which also skips
	 * snmp.conf and its "mibs :") loads the compiled-in list, and
	 * Debian's missing IETF modules fill the log.
	 */
	if (getenv("MIBS") == NULL)
		setenv("MIBS", "", 0);
	init_agent(IMSD_APP);
	/* After init_agent(), which resets it to 15 s (recipe §2b). */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, 5);
	conf_register(im);
	trap_init(im);
	if (im->master) {
		init_vacm_conf();
		init_vacm_vars();
		init_usmUser();
		init_system_mib();
		add_to_init_list(smux);
	}
	if (mib_scalars_init(im) != 0 || mib_ingest_init(im) != 0 ||
	    mib_servers_init(im) != 0 || mib_faults_init(im) != 0 ||
	    mib_kb_init(im) != 0) {
		imsd_log(LOG_ERR, "cannot register IMSMON-MIB");
		goto out;
	}
	init_snmp(IMSD_APP);
	if (im->conf.errors > 0) {
		imsd_log(LOG_ERR, "%d configuration error%s: not starting",
		    im->conf.errors, im->conf.errors > 1 ? "s" : "");
		goto out_shutdown;
	}
	if (im->master && init_master_agent() != 0) {
		imsd_log(LOG_ERR, "cannot listen for SNMP on %s", master);
		goto out_shutdown;
	}
	if (trap_start(im) != 0 || ingest_start(im) != 0)
		goto out_stop;
	if (!foreground && daemon(0, 0) != 0) {
		imsd_log(LOG_ERR, "daemon: %s", strerror(errno));
		goto out_stop;
	}
	if (!foreground && !logset)
		snmp_disable_stderrlog();
	if (pidfile != NULL && pidfile_write(pidfile) != 0) {
		imsd_log(LOG_ERR, "pidfile %s: %s", pidfile, strerror(errno));
		goto out_stop;
	}
	imsd_log(LOG_INFO, "imsmond %s started as %s", IMSMON_VERSION,
	    im->master ? "master agent" : "AgentX subagent");

	while (!stop_flag) {
		agent_check_and_process(1);
		trap_pump(im);
		if (hup_flag) {
			hup_flag = 0;
			imsd_log(LOG_INFO, "SIGHUP: reloading the knowledge base");
			(void)ingest_kb_load(im, 1);
		}
	}
	imsd_log(LOG_INFO, "imsmond stopping");
	rc = 0;
	if (pidfile != NULL)
		unlink(pidfile);
out_stop:
	ingest_stop(im);
	trap_free(im);
out_shutdown:
	snmp_shutdown(IMSD_APP);
out:
	conf_free(&im->conf);
	free(im->srv_sorted);
	free(im->srv_fault);
	free(im->kb_sorted);
	free(im->pending_clear);
	return rc;
}
