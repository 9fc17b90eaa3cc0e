/*
 * imsmond: the SNMP face of imsmon.  By default an AgentX subagent of the
 * system snmpd; with -M its own master agent.  Receives forwarded Windows
 * event logs over syslog, diagnoses Internet Mail Service faults against
 * the knowledge base and serves IMSMON-MIB.
 *
 * Init order (Net-SNMP needs it so): role and sockets, init_agent(),
 * config handlers, MIB registrations, init_snmp() (which reads the config
 * and connects to the master), then the notification queue, the core and
 * the listeners; privileges are dropped once every privileged port is
 * bound.  main() is the option parsing and these steps in order.
 */
#include "agent.h"

#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* Net-SNMP installs no prototypes for these; in libnetsnmpmibs/-agent. */
void	 init_vacm_conf(void);
void	 init_vacm_vars(void);
void	 init_usmUser(void);
void	 init_system_mib(void);

/*
 * SIGTERM ends the process within this long whatever the master does:
 * the AgentX ping, close and reconnect of Net-SNMP are synchronous and
 * wait up to timeout x (retries + 1) for a master that stopped reading.
 */
#define STOP_DEADLINE_MS	1500

struct opts {
	const char	*xsock, *master, *pidfile, *conffile, *facility;
	const char	*user, *group;
	int		 foreground, noconf, logset;
};

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t hup_flag;
static char	 pidfile_path[4096];	/* for the deadline's handler */
static int	 detach_fd = -1;	/* to the waiting parent (detach_begin) */

static struct imsd imsd;

static void	 usage(FILE *);
static int	 opts_parse(int, char *[], struct opts *);
static void	 on_signal(int);
static void	 on_deadline(int);
static int	 signals_setup(void);
static int	 pidfile_write(const char *);
static int	 detach_begin(void);
static void	 detach_done(void);
static int	 snmp_setup(struct imsd *, const struct opts *);
static int	 privs_drop(struct imsd *, const char *, const char *);
static void	 run(struct imsd *);

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: imsmond [-CfhV] [-c FILE] [-D TOKENS] [-g GROUP] "
	    "[-L OPTS] [-M ADDR]\n"
	    "               [-p PIDFILE] [-u USER] [-x SOCKET]\n"
	    "  -c FILE    read FILE as well as imsmond.conf on the config "
	    "path\n"
	    "             (default: " IMSMON_CONFFILE ", if present)\n"
	    "  -C         do not read the default config files\n"
	    "  -f         stay in the foreground, log to stderr\n"
	    "  -D TOKENS  Net-SNMP debug output for TOKENS (e.g. "
	    "agentx,imsmond)\n"
	    "  -g GROUP   run as GROUP (name or number) once the ports are "
	    "bound\n"
	    "  -L OPTS    logging as in snmpd: e (stderr), o (stdout), "
	    "f FILE,\n"
	    "             s FACILITY (syslog: d, u, 0-7 for local0-7), n "
	    "(none)\n"
	    "  -M ADDR    be a master agent on ADDR (e.g. "
	    "udp:127.0.0.1:1161)\n"
	    "  -p FILE    write the process ID to FILE\n"
	    "  -u USER    run as USER (name or number) once the ports are "
	    "bound\n"
	    "  -x SOCKET  AgentX socket of the master (default "
	    "/var/agentx/master)\n"
	    "  -V, --version  print the version and exit\n"
	    "  -h, --help     this help\n"
	    "Signals: TERM/INT stop (within 2 s), HUP reloads the knowledge "
	    "base and\n"
	    "reopens -Lf log files.\n");
}

/* -1 to go on, else the exit status. */
static int
opts_parse(int argc, char *argv[], struct opts *o)
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt_long(argc, argv, "c:CD:fg:hL:M:p:u:Vx:", lopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->conffile = optarg;
			break;
		case 'C':
			o->noconf = 1;
			break;
		case 'D':
			debug_register_tokens(optarg);
			snmp_set_do_debugging(1);
			break;
		case 'f':
			o->foreground = 1;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'L':
			if (optarg[0] == 's' || optarg[0] == 'S') {
				o->facility = optarg[1] != '\0' ? optarg + 1 :
				    optind < argc ? argv[optind++] : "";
				break;
			}
			if (snmp_log_options(optarg, argc, argv) < 0) {
				usage(stderr);
				return 2;
			}
			o->logset = 1;
			break;
		case 'M':
			o->master = optarg;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'V':
			printf("imsmond %s\n"
			    "config file     %s\n"
			    "knowledge base  %s\n"
			    "site KB entries %s\n"
			    "state directory %s\n", IMSMON_VERSION,
			    IMSMON_CONFFILE, IMSMON_KBDIR, IMSMON_KBSITEDIR,
			    IMSMON_STATEDIR);
			return 0;
		case 'x':
			o->xsock = optarg;
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
	return -1;
}

static void
on_signal(int sig)
{
	struct itimerval it;

	if (sig == SIGHUP) {
		hup_flag = 1;
		return;
	}
	if (stop_flag)
		return;
	stop_flag = 1;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = STOP_DEADLINE_MS / 1000;
	it.it_value.tv_usec = (STOP_DEADLINE_MS % 1000) * 1000;
	(void)setitimer(ITIMER_REAL, &it, NULL);
}

/* The clean stop took too long (a hung master): stop now. */
static void
on_deadline(int sig)
{
	static const char msg[] = "imsmond: stop deadline reached while "
	    "waiting for the master agent; exiting\n";
	ssize_t n;

	(void)sig;
	/* Nothing to do if it fails: the exit below is what matters. */
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;
	if (pidfile_path[0] != '\0')
		(void)unlink(pidfile_path);
	_exit(0);
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
	/*
	 * SIGALRM is ours: the agent library runs its alarms from the
	 * select() loop, not from the signal.
	 */
	sa.sa_handler = on_deadline;
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return -1;
	/* A notification to a master that just died must not kill us. */
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
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
	snprintf(pidfile_path, sizeof(pidfile_path), "%s", path);
	return close(fd);
}

/*
 * Without -f: go to the background before any thread is started or the
 * state database opened (neither a thread nor SQLite's locks survive a
 * fork; daemon(3) after them left a process without its syslog reader).
 * The parent waits until the child says it is up (detach_done()) and
 * then exits 0, so the pid file exists when the command returns (as a
 * Type=forking unit or an init script expects); if the child dies
 * first, the parent exits with the child's status, and what went wrong
 * was written to the terminal still shared.
 */
static int
detach_begin(void)
{
	int p[2], st = 0;
	pid_t pid;
	ssize_t n;
	char c;

	if (pipe(p) != 0)
		return -1;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid > 0) {
		close(p[1]);
		do
			n = read(p[0], &c, 1);
		while (n == -1 && errno == EINTR);
		if (n == 1)
			_exit(0);
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
		_exit(WIFEXITED(st) && WEXITSTATUS(st) != 0 ?
		    WEXITSTATUS(st) : 1);
	}
	close(p[0]);
	(void)fcntl(p[1], F_SETFD, FD_CLOEXEC);
	detach_fd = p[1];
	return setsid() == -1 ? -1 : 0;
}

/* In the background and up: no terminal, and the parent may go. */
static void
detach_done(void)
{
	int fd;

	if (detach_fd == -1)
		return;
	if (chdir("/") != 0)
		imsd_log(LOG_WARNING, "chdir /: %s", strerror(errno));
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (write(detach_fd, "1", 1) != 1)
		imsd_log(LOG_WARNING, "start-up pipe: %s", strerror(errno));
	close(detach_fd);
	detach_fd = -1;
}

/*
 * Everything before init_snmp(): the role, the sockets, the library's
 * defaults, our config directives, the notification callbacks and the
 * MIB registrations.
 */
static int
snmp_setup(struct imsd *im, const struct opts *o)
{
	const char *conffile = o->conffile;
	char smux[] = "-smux";

	if (!im->master)
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_ROLE, 1);
	else {
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_PORTS, o->master);
		/* One log line per SNMP request is noise, not an audit. */
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_DONT_LOG_TCPWRAPPERS_CONNECTS, 1);
	}
	if (o->xsock != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_X_SOCKET, o->xsock);
	if (o->noconf)
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
		    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	/* The installed configuration, unless -c names another file. */
	if (conffile == NULL && access(IMSMON_CONFFILE, F_OK) == 0)
		conffile = IMSMON_CONFFILE;
	if (conffile != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
		    NETSNMP_DS_LIB_OPTIONALCONFIG, conffile);
	/*
	 * The library's synchronous AgentX calls (ping, open, register)
	 * wait timeout x (retries + 1): 1 s and 1 retry unless the config's
	 * [snmp] timeout/retries say otherwise, not 1 s and 5.
	 */
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_TIMEOUT, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_RETRIES, 1);
	/*
	 * The agent needs no MIB files: without this, -C (which also skips
	 * snmp.conf and its "mibs :") loads the compiled-in list, and
	 * Debian's missing IETF modules fill the log.
	 */
	if (getenv("MIBS") == NULL)
		setenv("MIBS", "", 0);
	init_agent(IMSD_APP);
	/* After init_agent(), which resets it to 15 s. */
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
	    mib_kb_init(im) != 0 || mib_notify_init(im) != 0 ||
	    state_glue_init(im) != 0) {
		imsd_log(LOG_ERR, "cannot register IMSMON-MIB");
		return -1;
	}
	return 0;
}

/*
 * -u/-g: become USER and GROUP (names or numbers), for good.  The
 * group defaults to the user's; without -u, only the group changes.
 */
static int
privs_drop(struct imsd *im, const char *user, const char *group)
{
	struct passwd *pw = NULL;
	struct group *gr;
	uid_t uid = getuid();
	gid_t gid = getgid();
	char *end;

	if (user == NULL && group == NULL)
		return 0;
	if (user != NULL) {
		if ((pw = getpwnam(user)) != NULL)
			uid = pw->pw_uid, gid = pw->pw_gid;
		else if (user[0] >= '0' && user[0] <= '9' &&
		    (uid = (uid_t)strtoul(user, &end, 10), *end == '\0'))
			gid = (gid_t)uid;
		else {
			imsd_log(LOG_ERR, "-u %s: no such user", user);
			return -1;
		}
	}
	if (group != NULL) {
		if ((gr = getgrnam(group)) != NULL)
			gid = gr->gr_gid;
		else if (group[0] >= '0' && group[0] <= '9' &&
		    (gid = (gid_t)strtoul(group, &end, 10), *end == '\0'))
			;
		else {
			imsd_log(LOG_ERR, "-g %s: no such group", group);
			return -1;
		}
	}
	/* The state was opened as root: its files become the user's. */
	if (geteuid() == 0 && state_glue_chown(im, uid, gid) != 0)
		return -1;
	if ((geteuid() == 0 && setgroups(1, &gid) != 0) ||
	    setgid(gid) != 0 ||
	    (user != NULL && setuid(uid) != 0)) {
		imsd_log(LOG_ERR, "cannot drop privileges to %s:%s: %s",
		    user != NULL ? user : "-", group != NULL ? group : "-",
		    strerror(errno));
		return -1;
	}
	if (user != NULL && uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		imsd_log(LOG_ERR, "privileges could be regained: stopping");
		return -1;
	}
	imsd_log(LOG_INFO, "running as uid %ld, gid %ld", (long)getuid(),
	    (long)getgid());
	return 0;
}

static void
run(struct imsd *im)
{
	while (!stop_flag) {
		agent_check_and_process(1);
		trap_pump(im);
		if (hup_flag) {
			hup_flag = 0;
			log_reopen();
			imsd_log(LOG_INFO, "SIGHUP: log files reopened, "
			    "reloading the knowledge base");
			(void)ingest_kb_load(im, 1);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct imsd *im = &imsd;
	struct opts o;
	int rc;

	if ((rc = opts_parse(argc, argv, &o)) >= 0)
		return rc;
	rc = 1;
	if (!o.logset && log_setup(o.facility, o.foreground) != 0)
		return 2;
	if (signals_setup() != 0) {
		fprintf(stderr, "imsmond: sigaction: %s\n", strerror(errno));
		return 1;
	}
	if (!o.foreground && detach_begin() != 0) {
		imsd_log(LOG_ERR, "cannot go to the background: %s",
		    strerror(errno));
		return 1;
	}
	im->master = o.master != NULL;
	im->start_time = time(NULL);
	conf_defaults(&im->conf);
	if (snmp_setup(im, &o) != 0)
		goto out;
	conf_watch(1);
	init_snmp(IMSD_APP);
	conf_watch(0);
	if (im->conf.errors > 0) {
		imsd_log(LOG_ERR, "%d configuration error%s: not starting",
		    im->conf.errors, im->conf.errors > 1 ? "s" : "");
		goto out_shutdown;
	}
	if (im->master && init_master_agent() != 0) {
		imsd_log(LOG_ERR, "cannot listen for SNMP on %s", o.master);
		goto out_shutdown;
	}
	/* The state is opened (ingest_start()) as root, then the listeners. */
	if (ingest_start(im) != 0 || trap_start(im) != 0)
		goto out_stop;
	if (o.pidfile != NULL && pidfile_write(o.pidfile) != 0) {
		imsd_log(LOG_ERR, "pidfile %s: %s", o.pidfile, strerror(errno));
		goto out_stop;
	}
	/* Every privileged port is bound and the state is open. */
	if (privs_drop(im, o.user, o.group) != 0)
		goto out_stop;
	imsd_log(LOG_INFO, "imsmond %s started as %s", IMSMON_VERSION,
	    im->master ? "master agent" : "AgentX subagent");
	if (!o.foreground) {
		detach_done();
		if (!o.logset)
			snmp_disable_stderrlog();
	}
	/* KB, listeners and SNMP are up: a Type=notify unit may go on. */
	if (imsd_sd_notify("READY=1\nSTATUS=receiving syslog") < 0)
		imsd_log(LOG_WARNING, "sd_notify: %s", strerror(errno));
	run(im);
	imsd_log(LOG_INFO, "imsmond stopping");
	rc = 0;
	if (o.pidfile != NULL)
		unlink(o.pidfile);
out_stop:
	ingest_stop(im);
	trap_free(im);
out_shutdown:
	snmp_shutdown(IMSD_APP);
out:
	conf_free(&im->conf);
	free(im->srv_sorted);
	free(im->kb_sorted);
	free(im->pending_clear);
	return rc;
}
