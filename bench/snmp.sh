#!/bin/sh
# make bench, SNMP part (issue 3, item 9): how fast imsmond serves a fault
# table of BENCH_SNMP_ROWS (default 10,000) open faults, against Net-SNMP's
# own snmpd serving a table of as many rows, in the same run, on loopback:
#
#   AgentX: a private snmpd master (extend module off) with two subagents,
#     imsmond (the fault table) and a second snmpd started with -X whose
#     `extend` prints ROWS lines (nsExtendOutLine rows).  snmpbulkwalk of
#     both through the master, and the GET round trip of one value of each.
#   Master: imsmond -M against a standalone snmpd serving the same extend
#     table natively; the same walks and GETs.
#   Proxy: a third snmpd that forwards the IMSMON-MIB subtree to imsmond -M
#     with its `proxy` directive (the site keeps one SNMP agent on port
#     161, imsmond listens on a loopback port); the same walks and GET of
#     imsmond's table through it.
#   AgentX with larger GETBULK requests (-Cr BENCH_SNMP_REP_BIG, default
#     500): whether asking for more repetitions at once helps a subagent.
#
# The faults are made by sending one MSExchangeIMC 4143 Snare record per
# host, for ROWS distinct hosts, to imsmond's syslog port over UDP with
# logger, then waiting until imsAgentOpenFaults says ROWS.  Walks are
# compared per value (wall time / values walked), since the fault table
# has 16 columns and the extend table one.  The figures go to the "SNMP
# results" section of docs/benchmarks.md.
#
# Environment: B (build dir, default build), CC, BENCH_REPS (runs of each
# measurement, min and median reported; default 3), BENCH_SNMP_ROWS,
# BENCH_SNMP_REP (snmpbulkwalk -Cr, default 50), BENCH_SNMP_REP_BIG (the
# larger one, default 500), BENCH_SNMP_GETS (GETs per
# round-trip run, default 1000), BENCH_SNMP_CPU (the one CPU everything
# runs on, default the last; none: no pinning), BENCH_DOC (file to write
# the results into; empty: do not write).
# Exit status: 0 when every walk returned what it should, 1 if one did not,
# 2 on error.  Missing tools skip the benchmark (status 0).  Performance
# targets are reported, never enforced.

set -u

B=${B:-build}
CC=${CC:-cc}
REPS=${BENCH_REPS:-3}
ROWS=${BENCH_SNMP_ROWS:-10000}
REP=${BENCH_SNMP_REP:-50}
REP_BIG=${BENCH_SNMP_REP_BIG:-500}
GETS=${BENCH_SNMP_GETS:-1000}
DOC=${BENCH_DOC-docs/benchmarks.md}
CHUNK=1000	# events sent before waiting for imsmond to catch up

cd "$(dirname "$0")/.." || exit 2
TOP=$(pwd)

# Everything on one CPU: a walk is a ping-pong between the client, the
# master and the subagent, one of them running at a time, so a second CPU
# only adds cross-CPU wake-ups, whose cost on a virtual machine varies
# from run to run by a factor of two or three.  BENCH_SNMP_CPU picks the
# CPU (default: the last one); "none" does not pin.
CPU_PIN=${BENCH_SNMP_CPU:-$(taskset -pc $$ 2>/dev/null | sed 's/.*[-, ]//')}
if [ "$CPU_PIN" != none ] && [ "${BENCH_SNMP_PINNED:-}" != "$CPU_PIN" ]; then
	if [ -n "$CPU_PIN" ] && taskset -c "$CPU_PIN" true 2>/dev/null; then
		BENCH_SNMP_PINNED=$CPU_PIN exec taskset -c "$CPU_PIN" \
		    sh bench/snmp.sh "$@"
	fi
	echo "bench-snmp: cannot pin to one CPU (taskset," \
	    "BENCH_SNMP_CPU=$CPU_PIN): not pinned" >&2
	CPU_PIN=none
fi

die() { echo "bench-snmp: $*" >&2; exit 2; }
skip() { echo "bench-snmp: SKIPPED: $*" >&2; exit 0; }

for t in snmpd snmpget snmpbulkwalk logger ss pkg-config; do
	command -v $t >/dev/null 2>&1 || skip "$t not installed (make deps)"
done
pkg-config --exists netsnmp || skip "libsnmp-dev not installed (make deps)"
[ -x "$B/imsmond" ] || skip "$B/imsmond not built (run make)"
case $B in /*) IMSMOND=$B/imsmond ;; *) IMSMOND=$TOP/$B/imsmond ;; esac
# 10,000 lines must fit the 100 KB extend reads from its command.
[ "$ROWS" -ge 10 ] && [ "$ROWS" -le 10000 ] ||
    die "BENCH_SNMP_ROWS must be 10..10000"

# Short: the AgentX socket path must fit sun_path.
T=$(mktemp -d /tmp/imsb.XXXXXX) || die "mktemp failed"
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 2' HUP INT PIPE TERM

# stop PID...: TERM, wait up to 5 s, then KILL; only what we started.
stop() {
	for p in "$@"; do kill "$p" 2>/dev/null; done
	for p in "$@"; do
		n=50
		while kill -0 "$p" 2>/dev/null && [ $n -gt 0 ]; do
			sleep 0.1
			n=$((n - 1))
		done
		kill -9 "$p" 2>/dev/null
	done
}

# Ports: a block of 6 free ones, starting from one derived from our PID.
in_use() { ss -Hlntu 2>/dev/null | awk '{print $5}' | grep -q ":$1\$"; }
base=$((20000 + ($$ % 4000) * 10))
while :; do
	busy=0
	for i in 0 1 2 3 4 5; do
		in_use $((base + i)) && busy=1
	done
	[ $busy -eq 0 ] && break
	base=$((base + 10))
	[ $base -lt 60000 ] || base=20000
done
P_MASTER=$base P_SYSLOG=$((base + 1)) P_IMSM=$((base + 2))
P_MSYSLOG=$((base + 3)) P_NATIVE=$((base + 4)) P_PROXY=$((base + 5))

mkdir -p "$T/etc" "$T/p-cli" "$T/p-master" "$T/p-x" "$T/p-native" \
    "$T/p-ims" "$T/p-imsm" "$T/p-proxy" || die "mkdir failed"
# Clients read no snmp.conf and load no MIB: numeric OIDs, same cost for
# both agents.
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T/etc" MIBS=
CLI="-v2c -c public"

R=.1.3.6.1.4.1.32473			# IMSMON-MIB
VERSION=$R.1.1.1.0			# imsAgentVersion
OPEN=$R.1.1.6.0				# imsAgentOpenFaults
FAULTS=$R.1.4				# imsFaultTable
ARTICLE=$R.1.4.1.3			# imsFaultArticle
EXT=.1.3.6.1.4.1.8072.1.3.2		# NET-SNMP-EXTEND-MIB::nsExtendObjects
EXTLINES=$EXT.4				# nsExtendOutput2Table
EXTNAME=bench
EXTIDX=5.98.101.110.99.104		# "bench"

wait_for() {	# SECONDS COMMAND...: poll every 0.1 s
	_n=$(($1 * 10))
	shift
	while [ $_n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}
getv() { snmpget $CLI -t 2 -r 1 -Ov -Oq "$@" 2>/dev/null; }

# --- the tools -----------------------------------------------------------

$CC -O2 -std=c17 -D_DEFAULT_SOURCE -o "$T/snmprtt" bench/snmprtt.c \
    $(pkg-config --cflags --libs netsnmp) || die "cannot build bench/snmprtt.c"

# The extend command: ROWS short lines, printed by cat from a file so the
# command itself costs next to nothing when snmpd's cache reloads it.
awk -v n="$ROWS" 'BEGIN { for (i = 1; i <= n; i++) printf "r%07d\n", i }' \
    > "$T/lines.txt"
printf '#!/bin/sh\nexec cat %s\n' "$T/lines.txt" > "$T/lines.sh"
chmod +x "$T/lines.sh"

# One MSExchangeIMC 4143 (Q173496's discriminating event) per host.
awk -v n="$ROWS" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "MSWinEventLog\t3\tApplication\t%d\tTue Mar 14 10:20:02 2000\t4143\tMSExchangeIMC\tN/A\tN/A\tError\tEXSRV%06d\tInitialization/Termination\t\tThe Internet Mail Service account lacks the administrator rights it needs for SSL.\t%d\n", i, i, i
}' > "$T/events.txt"

# --- measurements --------------------------------------------------------
#
# The walks and GETs of both agents alternate (imsmond, snmpd, imsmond,
# ...), so that the other load of a shared machine falls on both alike.

now_ns() { date +%s%N; }
# CPU time of process PID, ns: from schedstat (time on a CPU, ns), or
# without it (no CONFIG_SCHED_INFO) user + system clock ticks.
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
if [ -r /proc/self/schedstat ]; then
	CPU_SRC="from /proc/PID/schedstat"
	cpu_ns() { [ "$1" = - ] && echo 0 || cut -d ' ' -f 1 "/proc/$1/schedstat"; }
else
	CPU_SRC="user + system, in ${HZ} Hz ticks"
	cpu_ns() {
		[ "$1" = - ] && { echo 0; return; }
		awk -v hz="$HZ" '{ printf "%.0f\n", ($14 + $15) * 1e9 / hz }' \
		    "/proc/$1/stat"
	}
fi
FAIL=0

# walk1 NAME AGENT OID EXPECTED-VALUES MASTER-PID|- AGENT-PID [REPS]: one
# snmpbulkwalk (-Cr REPS, default REP).  Appends "us-per-value seconds" to
# NAME.times and "values master-cpu-ns agent-cpu-ns" to NAME.cpu.
walk1() {
	_name=$1 _agent=$2 _oid=$3 _want=$4 _mpid=$5 _apid=$6 _rep=${7:-$REP}
	[ -e "$T/$_name.bad" ] && return 1
	set -- $(cpu_ns "$_mpid") $(cpu_ns "$_apid")
	_m0=$1 _a0=$2
	_t0=$(now_ns)
	snmpbulkwalk $CLI -t 10 -r 0 -Cr"$_rep" -On "$_agent" "$_oid" \
	    > "$T/w.out" 2> "$T/w.err"
	_rc=$?
	_t1=$(now_ns)
	set -- $(cpu_ns "$_mpid") $(cpu_ns "$_apid")
	_n=$(grep -c '^\.' "$T/w.out")
	if [ $_rc -ne 0 ] || [ -s "$T/w.err" ] ||
	    grep -q 'No Such\|No more variables' "$T/w.out" ||
	    [ "$_n" -ne "$_want" ]; then
		echo "bench-snmp: $_name: walk gave $_n values, not $_want" \
		    "(rc $_rc)" >&2
		head -n 5 "$T/w.err" >&2
		FAIL=1
		: > "$T/$_name.bad"
		return 1
	fi
	awk -v t=$((_t1 - _t0)) -v n="$_n" \
	    'BEGIN { printf "%.2f %.6f\n", t / 1000 / n, t / 1e9 }' \
	    >> "$T/$_name.times"
	echo "$_n $(($1 - _m0)) $(($2 - _a0))" >> "$T/$_name.cpu"
}

# walked NAME [MASTER]: the figures of NAME's walks: NAME_MIN, NAME_MED
# (wall us per value), NAME_SPREAD (slowest over fastest walk, less one,
# in %), NAME_S (seconds, median walk), NAME_N (values a walk), NAME_MCPU,
# NAME_ACPU (CPU us per value of the master snmpd, "-" without MASTER, and
# of the table's agent).
walked() {
	_name=$1
	if [ -e "$T/$_name.bad" ] || [ ! -s "$T/$_name.times" ]; then
		eval "${_name}_MIN=- ${_name}_MED=- ${_name}_S=- ${_name}_N=-" \
		    "${_name}_MCPU=- ${_name}_ACPU=- ${_name}_SPREAD=-"
		return
	fi
	_k=$(wc -l < "$T/$_name.times")
	_mid=$(( (_k + 1) / 2 ))
	eval "${_name}_MIN=$(sort -n "$T/$_name.times" | sed -n '1s/ .*//p')"
	eval "${_name}_MED=$(sort -n "$T/$_name.times" | sed -n "${_mid}s/ .*//p")"
	eval "${_name}_S=$(sort -n "$T/$_name.times" | sed -n "${_mid}s/.* //p")"
	eval "${_name}_SPREAD=$(sort -n "$T/$_name.times" | awk '
		NR == 1 { lo = $1 } { hi = $1 }
		END { printf "%.0f", (hi / lo - 1) * 100 }')"
	eval "$(awk -v p="$_name" -v m="${2:-}" '
		{ n += $1; mc += $2; ac += $3; v = $1 }
		END {
			printf "%s_N=%d %s_ACPU=%.2f ", p, v, p, ac / 1000 / n
			if (m != "") printf "%s_MCPU=%.2f\n", p, mc / 1000 / n
			else printf "%s_MCPU=-\n", p
		}' "$T/$_name.cpu")"
	eval "printf '%-8s %6s values %9s s  us/value: %7s min %7s median  CPU us/value: master %5s agent %5s\n' \
	    $_name \$${_name}_N \$${_name}_S \$${_name}_MIN \$${_name}_MED \
	    \$${_name}_MCPU \$${_name}_ACPU"
}

# rtt1 NAME AGENT OID: one run of GETS GETs; appends the mean round trip
# (us) to NAME.rtt.
rtt1() {
	[ -e "$T/$1.bad" ] && return 1
	if ! "$T/snmprtt" "$2" public "$3" "$GETS" > "$T/r.out"; then
		echo "bench-snmp: $1: GET $3 failed" >&2
		FAIL=1
		: > "$T/$1.bad"
		return 1
	fi
	cut -d ' ' -f 2 "$T/r.out" >> "$T/$1.rtt"
}

# rtted NAME: NAME_MIN and NAME_MED of the runs' mean round trips.
rtted() {
	if [ -e "$T/$1.bad" ] || [ ! -s "$T/$1.rtt" ]; then
		eval "${1}_MIN=- ${1}_MED=-"
		return
	fi
	_k=$(wc -l < "$T/$1.rtt")
	_mid=$(( (_k + 1) / 2 ))
	eval "${1}_MIN=$(sort -n "$T/$1.rtt" | sed -n 1p)"
	eval "${1}_MED=$(sort -n "$T/$1.rtt" | sed -n "${_mid}p")"
	eval "printf '%-10s GET round trip %8s us (min)  %8s (median of %s runs of %s)\n' \
	    $1 \$${1}_MIN \$${1}_MED $_k $GETS"
}

# fill AGENT SYSLOG-PORT: one fault per host, over UDP, ROWS hosts; waits
# until imsAgentOpenFaults is ROWS.  A chunk that does not all arrive
# (datagrams dropped by a full socket buffer) is sent again.
fill() {
	_agent=$1 _port=$2
	_t0=$(now_ns)
	_a=1
	while [ $_a -le "$ROWS" ]; do
		_b=$((_a + CHUNK - 1))
		[ $_b -le "$ROWS" ] || _b=$ROWS
		_try=0
		while :; do
			sed -n "${_a},${_b}p" "$T/events.txt" |
			    logger --rfc5424 -t MSWinEventLog -n 127.0.0.1 -d \
			    -P "$_port" || die "logger failed"
			_last=-1 _idle=0
			while :; do
				_o=$(getv "$_agent" "$OPEN")
				_o=${_o%% *}
				[ "${_o:-0}" -ge "$_b" ] 2>/dev/null && break
				if [ "${_o:-x}" = "$_last" ]; then
					_idle=$((_idle + 1))
					[ $_idle -lt 30 ] || break
				else
					_idle=0 _last=${_o:-x}
				fi
				sleep 0.1
			done
			[ "${_o:-0}" -ge "$_b" ] 2>/dev/null && break
			_try=$((_try + 1))
			[ $_try -lt 3 ] ||
			    die "imsmond has $_o open faults, not $_b, after 3 tries"
			echo "bench-snmp: $_o of $_b faults open: sending" \
			    "events $_a-$_b again" >&2
		done
		_a=$((_b + 1))
	done
	_o=$(getv "$_agent" "$OPEN")
	[ "${_o%% *}" = "$ROWS" ] ||
	    die "imsAgentOpenFaults is '$_o', not $ROWS"
	echo "bench-snmp: $ROWS faults open in" \
	    "$(( ($(now_ns) - _t0) / 1000000 )) ms"
}

# imsmond's configuration: room for ROWS faults on ROWS servers.
ims_conf() {	# SYSLOG-PORT
	cat <<EOF
syslogListen udp:127.0.0.1:$1
kbDir $TOP/kb
stateDir $T/state-$1
maxServers $((ROWS + 100))
maxFaults $((ROWS + 100))
EOF
}

LOAD=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)

# --- AgentX: snmpd master, imsmond and snmpd -X as its subagents ---------

echo "bench-snmp: AgentX: snmpd master, imsmond and snmpd -X subagents"
cat > "$T/master.conf" <<EOF
agentaddress udp:127.0.0.1:$P_MASTER
master agentx
agentXSocket $T/agentx.sock
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
EOF
# -I -extend: the master must leave nsExtendObjects to its subagent.
MIBS= SNMP_PERSISTENT_DIR="$T/p-master" snmpd -f -I -smux,extend -C \
    -c "$T/master.conf" -Lf "$T/master.log" -p "$T/master.pid" \
    > /dev/null 2>&1 &
MASTER=$!
PIDS="$PIDS $MASTER"
wait_for 10 test -S "$T/agentx.sock" ||
    die "snmpd master did not start: $(cat "$T/master.log")"

{ ims_conf "$P_SYSLOG"; echo "agentxPingInterval 5"; } > "$T/imsmond.conf"
SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/imsmond.conf" \
    -x "$T/agentx.sock" > "$T/imsmond.log" 2>&1 &
IMS=$!
PIDS="$PIDS $IMS"

cat > "$T/x.conf" <<EOF
agentXSocket $T/agentx.sock
extend $EXTNAME $T/lines.sh
EOF
# Only the extend module: everything else is the master's already.
MIBS= SNMP_PERSISTENT_DIR="$T/p-x" snmpd -f -X -I extend -C -c "$T/x.conf" \
    -Lf "$T/x.log" -p "$T/x.pid" > /dev/null 2>&1 &
XSUB=$!
PIDS="$PIDS $XSUB"

AGENT=udp:127.0.0.1:$P_MASTER
wait_for 10 sh -c "snmpget $CLI -Ov $AGENT $VERSION | grep -q imsmond" ||
    die "imsmond did not register: $(tail -n 5 "$T/imsmond.log")"
wait_for 10 sh -c "snmpget $CLI -Ov -Oq $AGENT $EXT.1.0 | grep -qx 1" ||
    die "snmpd -X did not register: $(tail -n 5 "$T/x.log")"

fill "$AGENT" "$P_SYSLOG"
# Columns of the fault table, from one row.
NCOLS=$(snmpbulkwalk $CLI -Cr"$REP" -On "$AGENT" "$FAULTS" 2>/dev/null |
    grep -c "^$R\\.1\\.4\\.1\\.[0-9]*\\.1 ")
[ "$NCOLS" -gt 0 ] || die "empty fault table"
MID=$((ROWS / 2))
# Warm up: the extend's first run, the subagents' pages.
snmpbulkwalk $CLI -Cr"$REP" "$AGENT" "$EXTLINES" > /dev/null 2>&1

ax_ims() {
	walk1 AX_IMS "$AGENT" "$FAULTS" $((ROWS * NCOLS)) "$MASTER" "$IMS"
	walk1 AX_IMS1 "$AGENT" "$ARTICLE" "$ROWS" "$MASTER" "$IMS"
	walk1 AX_IMSB "$AGENT" "$FAULTS" $((ROWS * NCOLS)) "$MASTER" "$IMS" \
	    "$REP_BIG"
	rtt1 AX_IMS_GET "$AGENT" "$ARTICLE.$MID"
}
ax_x() {
	walk1 AX_X "$AGENT" "$EXTLINES" "$ROWS" "$MASTER" "$XSUB"
	rtt1 AX_X_GET "$AGENT" "$EXTLINES.1.2.$EXTIDX.$MID"
}
i=0
while [ $i -lt "$REPS" ]; do	# ABBA...: neither always goes first
	if [ $((i % 2)) -eq 0 ]; then ax_ims; ax_x; else ax_x; ax_ims; fi
	i=$((i + 1))
done
walked AX_IMS master
walked AX_IMS1 master
walked AX_IMSB master
walked AX_X master
rtted AX_IMS_GET
rtted AX_X_GET

stop "$IMS" "$XSUB" "$MASTER"

# --- master agents: imsmond -M, snmpd with the extend --------------------

echo "bench-snmp: master agents: imsmond -M, snmpd"
{
	ims_conf "$P_MSYSLOG"
	echo "rocommunity public 127.0.0.1"
} > "$T/imsmond-m.conf"
SNMP_PERSISTENT_DIR="$T/p-imsm" "$IMSMOND" -f -C -c "$T/imsmond-m.conf" \
    -M "udp:127.0.0.1:$P_IMSM" > "$T/imsmond-m.log" 2>&1 &
IMSM=$!
PIDS="$PIDS $IMSM"

cat > "$T/native.conf" <<EOF
agentaddress udp:127.0.0.1:$P_NATIVE
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
extend $EXTNAME $T/lines.sh
EOF
MIBS= SNMP_PERSISTENT_DIR="$T/p-native" snmpd -f -I -smux -C \
    -c "$T/native.conf" -Lf "$T/native.log" -p "$T/native.pid" \
    > /dev/null 2>&1 &
NATIVE=$!
PIDS="$PIDS $NATIVE"

MAGENT=udp:127.0.0.1:$P_IMSM
NAGENT=udp:127.0.0.1:$P_NATIVE
wait_for 10 sh -c "snmpget $CLI -Ov $MAGENT $VERSION | grep -q imsmond" ||
    die "imsmond -M did not start: $(tail -n 5 "$T/imsmond-m.log")"
wait_for 10 sh -c "snmpget $CLI -Ov -Oq $NAGENT $EXT.1.0 | grep -qx 1" ||
    die "snmpd did not start: $(tail -n 5 "$T/native.log")"

fill "$MAGENT" "$P_MSYSLOG"
snmpbulkwalk $CLI -Cr"$REP" "$NAGENT" "$EXTLINES" > /dev/null 2>&1

m_ims() {
	walk1 M_IMS "$MAGENT" "$FAULTS" $((ROWS * NCOLS)) - "$IMSM"
	walk1 M_IMS1 "$MAGENT" "$ARTICLE" "$ROWS" - "$IMSM"
	rtt1 M_IMS_GET "$MAGENT" "$ARTICLE.$MID"
}
m_nat() {
	walk1 M_NAT "$NAGENT" "$EXTLINES" "$ROWS" - "$NATIVE"
	rtt1 M_NAT_GET "$NAGENT" "$EXTLINES.1.2.$EXTIDX.$MID"
}
i=0
while [ $i -lt "$REPS" ]; do
	if [ $((i % 2)) -eq 0 ]; then m_ims; m_nat; else m_nat; m_ims; fi
	i=$((i + 1))
done
walked M_IMS
walked M_IMS1
walked M_NAT
rtted M_IMS_GET
rtted M_NAT_GET
stop "$NATIVE"

# --- proxy: snmpd forwards the IMSMON-MIB subtree to imsmond -M ----------

echo "bench-snmp: proxy: snmpd forwarding $R to imsmond -M"
cat > "$T/proxy.conf" <<PROXYCONF
agentaddress udp:127.0.0.1:$P_PROXY
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
proxy -v 2c -c public -t 5 -r 1 $MAGENT $R
PROXYCONF
MIBS= SNMP_PERSISTENT_DIR="$T/p-proxy" snmpd -f -I -smux -C \
    -c "$T/proxy.conf" -Lf "$T/proxy.log" -p "$T/proxy.pid" \
    > /dev/null 2>&1 &
PROXY=$!
PIDS="$PIDS $PROXY"
PAGENT=udp:127.0.0.1:$P_PROXY
wait_for 10 sh -c "snmpget $CLI -Ov $PAGENT $VERSION | grep -q imsmond" ||
    die "snmpd proxy did not start: $(tail -n 5 "$T/proxy.log")"
i=0
while [ $i -lt "$REPS" ]; do
	walk1 PX_IMS "$PAGENT" "$FAULTS" $((ROWS * NCOLS)) "$PROXY" "$IMSM"
	walk1 PX_IMS1 "$PAGENT" "$ARTICLE" "$ROWS" "$PROXY" "$IMSM"
	rtt1 PX_IMS_GET "$PAGENT" "$ARTICLE.$MID"
	i=$((i + 1))
done
walked PX_IMS master
walked PX_IMS1 master
rtted PX_IMS_GET

stop "$PROXY" "$IMSM"

# --- figures -------------------------------------------------------------

# ratio A B: A / B to two places, or "n/a".
ratio() {
	case "$1$2" in *-*) echo "n/a"; return ;; esac
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}
add() { case "$1$2" in *-*) echo - ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }' ;; esac; }
# verdict RATIO LIMIT [SPREAD]: met if RATIO <= LIMIT; a miss smaller than
# SPREAD (%, how much the walks of one agent differed among themselves)
# is said to be one.
verdict() {
	[ "$1" = "n/a" ] && { echo "not measured"; return; }
	awk -v r="$1" -v l="$2" -v s="${3:--}" 'BEGIN {
		if (r <= l)
			print "met"
		else if (s != "-" && r <= l * (1 + s / 100))
			printf "missed, by less than the spread (%d %%)\n", s
		else
			print "missed"
	}'
}
# spread A B: the larger of two spreads.
spread() {
	case "$1$2" in *-*) echo - ;; *) [ "$1" -ge "$2" ] && echo "$1" || echo "$2" ;; esac
}
for v in AX_IMS AX_IMS1 AX_IMSB AX_X PX_IMS PX_IMS1; do
	eval "${v}_CPU=\$(add \"\$${v}_MCPU\" \"\$${v}_ACPU\")"
done
for v in M_IMS M_IMS1 M_NAT; do eval "${v}_CPU=\$${v}_ACPU"; done

X_AX_MIN=$(ratio "$AX_IMS_MIN" "$AX_X_MIN")
X_AX_MED=$(ratio "$AX_IMS_MED" "$AX_X_MED")
X_AX_CPU=$(ratio "$AX_IMS_CPU" "$AX_X_CPU")
X_AX1_MIN=$(ratio "$AX_IMS1_MIN" "$AX_X_MIN")
X_AX1_MED=$(ratio "$AX_IMS1_MED" "$AX_X_MED")
X_AX1_CPU=$(ratio "$AX_IMS1_CPU" "$AX_X_CPU")
X_M_MIN=$(ratio "$M_IMS_MIN" "$M_NAT_MIN")
X_M_MED=$(ratio "$M_IMS_MED" "$M_NAT_MED")
X_M_CPU=$(ratio "$M_IMS_CPU" "$M_NAT_CPU")
X_M1_MIN=$(ratio "$M_IMS1_MIN" "$M_NAT_MIN")
X_M1_MED=$(ratio "$M_IMS1_MED" "$M_NAT_MED")
X_M1_CPU=$(ratio "$M_IMS1_CPU" "$M_NAT_CPU")
X_GAX_MED=$(ratio "$AX_IMS_GET_MED" "$AX_X_GET_MED")
X_GM_MED=$(ratio "$M_IMS_GET_MED" "$M_NAT_GET_MED")
X_XN_MED=$(ratio "$AX_X_MED" "$M_NAT_MED")
X_IN_MED=$(ratio "$AX_IMS_MED" "$M_IMS_MED")
X_PX_MED=$(ratio "$PX_IMS_MED" "$AX_IMS_MED")
X_PX_CPU=$(ratio "$PX_IMS_ACPU" "$M_IMS_ACPU")
X_PM_MED=$(ratio "$PX_IMS_MED" "$M_IMS_MED")
X_BIG_MED=$(ratio "$AX_IMSB_MED" "$AX_IMS_MED")

LOAD_END=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)
if [ "$CPU_PIN" = none ]; then
	PIN_NOTE="Not pinned: the processes ran on any CPU."
else
	PIN_NOTE="Every process of the benchmark ran on one CPU (taskset)."
fi
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
NPROC=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
DATE=$(date -u +%Y-%m-%d)
SNMPD_VER=$(snmpd -v 2>/dev/null | sed -n 's/^NET-SNMP version:[[:space:]]*//p')
ms() { case "$1" in -) echo "-" ;; *) awk -v s="$1" 'BEGIN { printf "%.0f ms", s * 1000 }' ;; esac; }
grp() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

row() {	# SETUP TABLE NAME
	eval "_n=\$${3}_N _s=\$${3}_S _mi=\$${3}_MIN _me=\$${3}_MED" \
	    "_mc=\$${3}_MCPU _ac=\$${3}_ACPU _sp=\$${3}_SPREAD"
	echo "| $1 | $2 | $(grp "$_n") | $(ms "$_s") | $_mi | $_me | $_sp % | $_mc | $_ac |"
}
tgt() {	# TEXT LIMIT MIN MED CPU SPREAD
	echo "| $1 | $3 × | $4 × | $5 × | $(verdict "$4" "$2" "$6") | $(verdict "$5" "$2") |"
}

{
	echo "Measured $DATE by \`make bench\` (\`bench/snmp.sh\`), one run on one machine:"
	echo "$NPROC CPUs ($CPU), Net-SNMP $SNMPD_VER; load average $LOAD just"
	echo "before the run and $LOAD_END just after (the machine is shared)."
	echo "$PIN_NOTE"
	echo "$(grp "$ROWS") open faults, one per server, and an extend of $(grp "$ROWS") lines;"
	echo "\`snmpbulkwalk -v2c -Cr$REP\` through 127.0.0.1.  Wall: min and median of"
	echo "$REPS walks, divided by the values walked; spread: how much slower the"
	echo "slowest of them was than the fastest.  CPU: the agent processes' CPU"
	echo "time ($CPU_SRC) over the $REPS walks, divided by the values"
	echo "walked.  The runs of both agents alternate, each going first in turn."
	echo
	echo "| setup | table walked | values | wall (median) | wall µs/value, min | wall µs/value, median | spread | CPU µs/value, snmpd master | CPU µs/value, the table's agent |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	row "AgentX" "imsmond: imsFaultTable ($NCOLS columns)" AX_IMS
	row "AgentX" "imsmond: imsFaultArticle (1 column)" AX_IMS1
	row "AgentX" "snmpd -X: nsExtendOutLine" AX_X
	row "master" "imsmond -M: imsFaultTable ($NCOLS columns)" M_IMS
	row "master" "imsmond -M: imsFaultArticle (1 column)" M_IMS1
	row "master" "snmpd: nsExtendOutLine" M_NAT
	row "AgentX, -Cr$REP_BIG" "imsmond: imsFaultTable ($NCOLS columns)" AX_IMSB
	row "snmpd proxy to imsmond -M" "imsFaultTable ($NCOLS columns)" PX_IMS
	row "snmpd proxy to imsmond -M" "imsFaultArticle (1 column)" PX_IMS1
	echo
	echo "| GET round trip of one value, mean of $GETS GETs | min of $REPS | median of $REPS |"
	echo "|---|---:|---:|"
	echo "| AgentX: imsFaultArticle.$MID from imsmond | $AX_IMS_GET_MIN µs | $AX_IMS_GET_MED µs |"
	echo "| AgentX: nsExtendOutLine.\"$EXTNAME\".$MID from snmpd -X | $AX_X_GET_MIN µs | $AX_X_GET_MED µs |"
	echo "| master: imsFaultArticle.$MID from imsmond -M | $M_IMS_GET_MIN µs | $M_IMS_GET_MED µs |"
	echo "| master: nsExtendOutLine.\"$EXTNAME\".$MID from snmpd | $M_NAT_GET_MIN µs | $M_NAT_GET_MED µs |"
	echo "| proxy: imsFaultArticle.$MID through snmpd from imsmond -M | $PX_IMS_GET_MIN µs | $PX_IMS_GET_MED µs |"
	echo
	echo "| per value, imsmond against snmpd | wall, min | wall, median | CPU | target on wall | target on CPU |"
	echo "|---|---:|---:|---:|---|---|"
	tgt "AgentX, fault table: ≤ 1.0 × snmpd -X (issue 3, item 9)" 1.0 \
	    "$X_AX_MIN" "$X_AX_MED" "$X_AX_CPU" "$(spread "$AX_IMS_SPREAD" "$AX_X_SPREAD")"
	tgt "master, fault table: ≤ 1.2 × snmpd (issue 3, item 9)" 1.2 \
	    "$X_M_MIN" "$X_M_MED" "$X_M_CPU" "$(spread "$M_IMS_SPREAD" "$M_NAT_SPREAD")"
	tgt "AgentX, one column: ≤ 1.0 × snmpd -X" 1.0 \
	    "$X_AX1_MIN" "$X_AX1_MED" "$X_AX1_CPU" "$(spread "$AX_IMS1_SPREAD" "$AX_X_SPREAD")"
	tgt "master, one column: ≤ 1.2 × snmpd" 1.2 \
	    "$X_M1_MIN" "$X_M1_MED" "$X_M1_CPU" "$(spread "$M_IMS1_SPREAD" "$M_NAT_SPREAD")"
	echo
	echo "Other ratios, on wall medians: the GET round trip, imsmond against"
	echo "snmpd, $X_GAX_MED × through AgentX and $X_GM_MED × as masters; a walk"
	echo "through AgentX against the same agent as master, $X_XN_MED × for"
	echo "snmpd's extend and $X_IN_MED × for imsmond's fault table."
	echo
	echo "The alternatives to the AgentX subagent for walking the fault table"
	echo "(wall medians per value): through snmpd's \`proxy\` to imsmond -M it"
	echo "costs $X_PX_MED × what it costs through AgentX and $X_PM_MED × what asking"
	echo "imsmond -M directly costs (imsmond's own CPU per value, $X_PX_CPU × that of"
	echo "a direct walk: the proxy too asks for one repetition at a time);"
	echo "AgentX with -Cr$REP_BIG costs $X_BIG_MED × what it costs with -Cr$REP; a walk"
	echo "of one column costs about as much a value as a walk of all of them, so"
	echo "fewer columns cost proportionally less."
} > "$T/results.md"

echo
cat "$T/results.md"

if [ -n "$DOC" ]; then
	if [ -f "$DOC" ] && grep -q '^<!-- snmp-results: begin -->' "$DOC" &&
	    grep -q '^<!-- snmp-results: end -->' "$DOC"; then
		awk -v res="$T/results.md" '
			/^<!-- snmp-results: begin -->/ {
				print; print ""
				while ((getline l < res) > 0) print l
				print ""; skip = 1; next
			}
			/^<!-- snmp-results: end -->/ { skip = 0 }
			!skip { print }
		' "$DOC" > "$T/doc.new" && cat "$T/doc.new" > "$DOC"
	else
		{
			[ -f "$DOC" ] && echo
			echo "## SNMP results"
			echo
			echo "<!-- snmp-results: begin -->"
			echo
			cat "$T/results.md"
			echo
			echo "<!-- snmp-results: end -->"
		} >> "$DOC"
	fi
	echo "bench-snmp: results written to $DOC"
fi

exit "$FAIL"
