/*
 * snmprtt: the round trip of one SNMP GET, as an NMS polling one value
 * sees it, without the start-up cost of a new snmpget process for each.
 * One SNMPv2c session; a few GETs to warm up, then N timed GETs, each
 * waited for before the next is sent.  Fails if any GET does not return
 * a value (timeout, error status, noSuchObject/Instance).
 *
 * usage: snmprtt AGENT COMMUNITY OID N
 * prints: "N MEAN_US MEDIAN_US MIN_US" (microseconds per GET)
 *
 * Built by bench/snmp.sh: cc -O2 snmprtt.c $(pkg-config --cflags --libs
 * netsnmp).  Part of `make bench`; not installed.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WARMUP	20

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One GET of name; 0 if it returned a value. */
static int
get_once(netsnmp_session *ss, const oid *name, size_t len)
{
	netsnmp_pdu *pdu, *resp = NULL;
	int st, ok;

	if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL)
		return -1;
	snmp_add_null_var(pdu, name, len);
	st = snmp_synch_response(ss, pdu, &resp);
	ok = st == STAT_SUCCESS && resp != NULL &&
	    resp->errstat == SNMP_ERR_NOERROR && resp->variables != NULL &&
	    resp->variables->type != SNMP_NOSUCHOBJECT &&
	    resp->variables->type != SNMP_NOSUCHINSTANCE &&
	    resp->variables->type != SNMP_ENDOFMIBVIEW;
	if (resp != NULL)
		snmp_free_pdu(resp);
	return ok ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	netsnmp_session sess, *ss;
	oid name[MAX_OID_LEN];
	size_t len = MAX_OID_LEN;
	double *t, t0, sum = 0;
	long n, i;

	if (argc != 5 || (n = strtol(argv[4], NULL, 10)) < 1 || n > 1000000) {
		fprintf(stderr, "usage: snmprtt AGENT COMMUNITY OID N\n");
		return 2;
	}
	init_snmp("snmprtt");
	if (read_objid(argv[3], name, &len) == 0) {
		fprintf(stderr, "snmprtt: bad OID %s\n", argv[3]);
		return 2;
	}
	snmp_sess_init(&sess);
	sess.peername = argv[1];
	sess.version = SNMP_VERSION_2c;
	sess.community = (u_char *)argv[2];
	sess.community_len = strlen(argv[2]);
	sess.timeout = 2000000;
	sess.retries = 0;
	if ((ss = snmp_open(&sess)) == NULL) {
		snmp_sess_perror("snmprtt", &sess);
		return 2;
	}
	if ((t = calloc((size_t)n, sizeof(*t))) == NULL)
		return 2;
	for (i = 0; i < WARMUP; i++)
		if (get_once(ss, name, len) != 0) {
			fprintf(stderr, "snmprtt: GET %s failed\n", argv[3]);
			return 1;
		}
	for (i = 0; i < n; i++) {
		t0 = now_us();
		if (get_once(ss, name, len) != 0) {
			fprintf(stderr, "snmprtt: GET %s failed\n", argv[3]);
			return 1;
		}
		t[i] = now_us() - t0;
		sum += t[i];
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%ld %.1f %.1f %.1f\n", n, sum / n, t[n / 2], t[0]);
	snmp_close(ss);
	free(t);
	snmp_shutdown("snmprtt");
	return 0;
}
