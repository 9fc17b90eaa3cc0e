#!/bin/sh
# make bench (notification part): syslog line -> notification written by
# snmptrapd, with the real components on loopback high ports, in a temp
# dir, stopped by PID (bench/traplat.c measures):
#   - a private snmpd master that sends informs to snmptrapd (trapsess
#     -Ci, as the README recommends), imsmond as its AgentX subagent with
#     trapRateLimit 0 and trapHoldDown 0, a new server for every incident;
#   - spaced: N incidents one at a time, each waited for, then
#     BENCH_TRAP_SPACING_MS of quiet; p50, p99 and the worst;
#   - burst: N incidents sent at once; how many arrived, and the same
#     figures;
#   - both with the state saved (stateDir, the default) and with
#     stateDir none, in the same run.
# Environment: B (build dir), CC, BENCH_TRAP_N (default 1000),
# BENCH_TRAP_SPACING_MS (default 20).  Targets are reported, never
# enforced.  Missing tools skip the benchmark (status 0).
set -u
N=${BENCH_TRAP_N:-1000}
SPACING=${BENCH_TRAP_SPACING_MS:-20}
cd "$(dirname "$0")/.." || exit 2
NAME=traplat
. bench/lib.sh
bench_need snmpd snmptrapd snmpget
bench_tmpdir
bench_cc traplat
lib_ports 0
SNMP=$BASE TRAP=$((BASE + 1)) SYSLOG=$((BASE + 2))
mkdir -p "$W/p-trapd" "$W/p-ims" "$W/p-cli"
export SNMP_PERSISTENT_DIR="$W/p-cli" SNMPCONFPATH="$W/etc" MIBS=

echo "disableAuthorization yes" >"$W/trapd.conf"
: >"$W/trapd.log"
SNMP_PERSISTENT_DIR="$W/p-trapd" snmptrapd -f -C -c "$W/trapd.conf" \
    -n -Lf "$W/trapd.log" -On -F "TRAP %v\n" "udp:127.0.0.1:$TRAP" \
    >"$W/trapd.out" 2>&1 &
PIDS="$PIDS $!"
bench_snmpd "$SNMP" "$TRAP"

run() {	# LABEL STATEDIR-LINE TAG
	cat >"$W/imsmond.conf" <<EOF
$2
syslogListen udp:127.0.0.1:$SYSLOG
kbDir $ROOT/kb
maxServers 20000
maxFaults 20000
trapHoldDown 0
trapRateLimit 0
EOF
	SNMP_PERSISTENT_DIR="$W/p-ims" "$ROOT/$B/imsmond" -f -C \
	    -c "$W/imsmond.conf" -x "$W/agentx.sock" >"$W/imsmond.log" 2>&1 &
	ims=$!
	PIDS="$PIDS $ims"
	wait_for 10 sh -c "snmpget -v2c -c public -t 1 -r 1 udp:127.0.0.1:$SNMP .1.3.6.1.4.1.32473.1.1.1.0 | grep -q imsmond" ||
	    die "imsmond not up: $(tail -3 "$W/imsmond.log")"
	sleep 1		# the resync summary is out of the way
	set -- "$1" "$3"
	s=$("$W/traplat" 127.0.0.1 "$SYSLOG" "$W/trapd.log" "${2}s" "$N" \
	    spaced "$SPACING") || die "traplat spaced"
	b=$("$W/traplat" 127.0.0.1 "$SYSLOG" "$W/trapd.log" "${2}b" "$N" \
	    burst) || die "traplat burst"
	echo "$s" | awk -v l="$1" -v sp="$SPACING" '{ printf "%s, spaced (%s ms apart): %d of %d arrived; p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", l, sp, $3, $2, $4 / 1000, $5 / 1000, $6 / 1000 }'
	echo "$b" | awk -v l="$1" '{ printf "%s, burst: %d of %d arrived (%d lost); p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", l, $3, $2, $2 - $3, $4 / 1000, $5 / 1000, $6 / 1000 }'
	kill "$ims"
	wait_for 5 sh -c "! kill -0 $ims 2>/dev/null"
}
mkdir -p "$W/state"
run "state saved" "stateDir $W/state" lat1
run "stateDir none" "stateDir none" lat2
