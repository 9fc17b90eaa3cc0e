/*
 * conf: imsmond.conf directives, read by Net-SNMP's config machinery
 * (so the file sits on the usual config path, takes [snmp] sections, and
 * in master mode also holds rocommunity, trap2sink and friends).
 *
 * Each directive's value is checked and stored by conf_set()
 * (conf_parse.c, no Net-SNMP); a bad one is reported here with
 * config_perror(), which names the file and line; main() refuses to start
 * if any was reported.  A directive nobody knows (a misspelling) is only
 * a warning in Net-SNMP; conf_watch() listens to the library's log while
 * the files are read and makes it an error, with its file and line.
 */
#include "agent.h"

#include <stdio.h>
#include <string.h>

static struct imsd *conf_im;	/* handlers get no argument */
static netsnmp_log_handler *conf_logh;

static void	 conf_line(const char *, char *);

void
conf_register(struct imsd *im)
{
	size_t i;

	conf_im = im;
	register_app_config_handler("syslogListen", conf_line, NULL,
	    "udp:ADDR:PORT | tcp:ADDR:PORT | tcp-evtsys:ADDR:PORT | "
	    "unix:/PATH");
	register_app_config_handler("syslogAllow", conf_line, NULL,
	    "LISTENER ADDR[/BITS] ...");
	register_app_config_handler("kbDir", conf_line, NULL, "DIRECTORY");
	register_app_config_handler("kbSiteDir", conf_line, NULL,
	    "DIRECTORY");
	register_app_config_handler("syslogHostName", conf_line, NULL,
	    "ADDRESS NAME");
	register_app_config_handler("syslogTimeZone", conf_line, NULL,
	    "[LISTENER | ADDR[/BITS]] ZONE");
	for (i = 0; i < conf_nnums; i++)
		register_app_config_handler(conf_nums[i].name, conf_line,
		    NULL, conf_nums[i].help);
}

/* Every directive's handler: the value goes to conf_set(). */
static void
conf_line(const char *token, char *line)
{
	char err[512];

	if (conf_set(&conf_im->conf, token, line, err, sizeof(err)) != 0) {
		config_perror(err);
		conf_im->conf.errors++;
	}
}

/*
 * Unknown directives (conf_unknown() reads the library's warning) count as
 * errors; what to say is kept, since logging from inside the log callback
 * would come back here.
 */
#define CONF_UNKNOWN_MAX	8
static char	 conf_unknowns[CONF_UNKNOWN_MAX][256];
static size_t	 nconf_unknown;

static int
conf_log_cb(int major, int minor, void *server_arg, void *client_arg)
{
	const struct snmp_log_message *m = server_arg;
	char msg[sizeof(conf_unknowns[0])];

	(void)major;
	(void)minor;
	(void)client_arg;
	if (conf_im == NULL || m == NULL ||
	    !conf_unknown(m->msg, msg, sizeof(msg)))
		return 0;
	conf_im->conf.errors++;
	if (nconf_unknown < CONF_UNKNOWN_MAX)
		memcpy(conf_unknowns[nconf_unknown++], msg, sizeof(msg));
	return 0;
}

/* On while init_snmp() reads the config files; off after, and report. */
void
conf_watch(int on)
{
	size_t i;

	if (on && conf_logh == NULL) {
		conf_logh = netsnmp_register_loghandler(
		    NETSNMP_LOGHANDLER_CALLBACK, LOG_WARNING);
		snmp_register_callback(SNMP_CALLBACK_LIBRARY,
		    SNMP_CALLBACK_LOGGING, conf_log_cb, NULL);
	} else if (!on && conf_logh != NULL) {
		snmp_unregister_callback(SNMP_CALLBACK_LIBRARY,
		    SNMP_CALLBACK_LOGGING, conf_log_cb, NULL, 0);
		netsnmp_remove_loghandler(conf_logh);
		conf_logh = NULL;
		for (i = 0; i < nconf_unknown; i++)
			imsd_log(LOG_ERR, "%s", conf_unknowns[i]);
		nconf_unknown = 0;
	}
}
