/*
 * log: where imsmond's messages go, and the helpers every agent file
 * uses to write them.  Ours and Net-SNMP's go through snmp_log() to one
 * place: by default syslog(3) as "imsmond", facility daemon (plus stderr
 * until start-up is over); with -f, stderr; -L chooses as snmpd's -L
 * does.  Text that came from a peer is passed through imsd_esc() first.
 */
#include "agent.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

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

/*
 * Peer or KB text for a log line: printable ASCII kept, a backslash
 * doubled, any other byte (control, high-bit) as \xNN, vis(3)-like, so
 * that the line is one line of ASCII and the bytes can still be told.
 * Cut at a whole escape when dst is full.
 */
const char *
imsd_esc(char *dst, size_t dstsz, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)src;
	size_t o = 0;

	if (dstsz == 0)
		return dst;
	for (; *p != '\0'; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			if (o + 1 >= dstsz)
				break;
			dst[o++] = (char)*p;
		} else if (*p == '\\') {
			if (o + 2 >= dstsz)
				break;
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else {
			if (o + 4 >= dstsz)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[*p >> 4];
			dst[o++] = hex[*p & 15];
		}
	}
	dst[o] = '\0';
	return dst;
}

int64_t
imsd_now(void)
{
	return (int64_t)time(NULL);
}

static int
log_facility(const char *s)
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
 * The default destinations, unless -L chose (the caller then skips
 * this).  -Ls keeps our ident: snmp_log_options() would make it
 * "net-snmp".
 */
int
log_setup(const char *facility, int foreground)
{
	int fac = LOG_DAEMON;

	if (facility != NULL && (fac = log_facility(facility)) < 0) {
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

/* SIGHUP: log files (-Lf) are closed and opened again, for logrotate. */
void
log_reopen(void)
{
	netsnmp_logging_restart();
}
