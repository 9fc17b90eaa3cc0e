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
B=${B:-build}
CC=${CC:-cc}
N=${BENCH_TRAP_N:-1000}
SPACING=${BENCH_TRAP_SPACING_MS:-20}
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
die() { echo "bench/traplat: $*" >&2; exit 2; }
for c in snmpd snmptrapd snmpget; do
	command -v $c >/dev/null 2>&1 || { echo "bench/traplat: no $c, skipped"; exit 0; }
done
[ -x "$B/imsmond" ] || die "$B/imsmond not built (run make)"
W=$(mktemp -d "${TMPDIR:-/tmp}/imsmon-tlat.XXXXXX") || die "mktemp failed"
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM
wait_for() {	# SECONDS COMMAND...
	n=$(($1 * 5))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
free_port() {	# a base with three free UDP ports after it
	p=$((30000 + ($$ % 2000) * 10))
	while ss -Hlnu 2>/dev/null | awk '{print $4}' |
	    grep -qE ":($p|$((p + 1))|$((p + 2)))\$"; do
		p=$((p + 10))
	done
	echo $p
}

$CC -O2 -std=c17 -D_DEFAULT_SOURCE -o "$W/traplat" bench/traplat.c ||
    die "cannot build traplat"
BASE=$(free_port)
SNMP=$BASE TRAP=$((BASE + 1)) SYSLOG=$((BASE + 2))
mkdir -p "$W/p-snmpd" "$W/p-trapd" "$W/p-ims" "$W/p-cli"
export SNMP_PERSISTENT_DIR="$W/p-cli" SNMPCONFPATH="$W/etc" MIBS=

echo "disableAuthorization yes" >"$W/trapd.conf"
: >"$W/trapd.log"
SNMP_PERSISTENT_DIR="$W/p-trapd" snmptrapd -f -C -c "$W/trapd.conf" \
    -n -Lf "$W/trapd.log" -On -F "TRAP %v\n" "udp:127.0.0.1:$TRAP" \
    >"$W/trapd.out" 2>&1 &
PIDS="$PIDS $!"
cat >"$W/snmpd.conf" <<EOF
agentaddress udp:127.0.0.1:$SNMP
master agentx
agentXSocket $W/agentx.sock
agentXPerms 0660 0700
rocommunity public 127.0.0.1
trapsess -Ci -v 2c -c public -r 5 -t 10 udp:127.0.0.1:$TRAP
EOF
MIBS= SNMP_PERSISTENT_DIR="$W/p-snmpd" snmpd -f -I -smux -C \
    -c "$W/snmpd.conf" -Lf "$W/snmpd.log" >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_for 10 test -S "$W/agentx.sock" || die "snmpd master not up"

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
