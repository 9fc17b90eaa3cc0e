#!/bin/sh
# make bench, ingest part (issue 4, item 10): how many syslog lines a
# second imsmond takes in without losing any, against rsyslog, in the same
# run, on loopback:
#
#   UDP: bench/flood.c sends corpus lines (bench/gencorpus.c) at stepped
#     rates (BENCH_INGEST_RATES lines/s, BENCH_INGEST_SECS seconds each),
#     from BENCH_INGEST_SENDERS processes at once (sendmmsg(2) batches
#     each), one line a datagram, to imsmond's syslog listener and to rsyslog's
#     imudp, both with a 4 MiB socket receive buffer.  What arrived is
#     counted: imsmond's imsListenerRecords (snmpget; imsmond runs as its
#     own master agent) and the lines rsyslog wrote to an omfile.  The
#     loss-free rate is the highest step up to which every step lost
#     nothing.  A receiver is stepped up until a step loses lines or the
#     senders fall short of the rate asked; one that never lost a line is
#     reported as "at least" (≥) the highest rate the senders reached.
#     First the senders' own ceiling is measured (flood -s: a socket
#     nobody reads), and the CPU a line of both receivers is compared at
#     the highest step both took without a loss.
#   TCP: BENCH_INGEST_TCP_LINES lines over one connection, LF-framed, as
#     fast as each receiver takes them; lines/s from the first line sent
#     to the last one counted.
#
# The state's cost: a second imsmond with stateDir none takes the same TCP
# runs, interleaved with the first (whose state is saved, the default),
# and the ratio of their rates and CPU a line is reported.
#
# Each receiver gets the machine alone in turn (they alternate, each
# going first in turn).  imsmond does its whole job on every line (parse,
# match the knowledge base, correlate); rsyslog parses the header and
# writes the line to a file.  The figures go to the "Ingest results"
# section of docs/benchmarks.md.
#
# Environment: B (build dir, default build), CC, BENCH_INGEST_RATES
# (default "25000 50000 75000 100000 150000 200000 250000 300000 400000
# 500000 600000"),
# BENCH_INGEST_SENDERS (default 2), BENCH_INGEST_SECS (default
# 3), BENCH_INGEST_REPS (runs of each UDP step, default 2: a step is
# loss-free when every run of it is), BENCH_INGEST_TCP_LINES (default
# 1000000), BENCH_REPS (TCP runs, median reported; default 3), BENCH_DOC
# (the file to write the results into; empty: do not write).
# Exit status: 0, or 2 on an error.  Missing tools skip the benchmark
# (status 0).  Performance targets are reported, never enforced.

set -u

B=${B:-build}
CC=${CC:-cc}
RATES=${BENCH_INGEST_RATES:-25000 50000 75000 100000 150000 200000 250000 300000 400000 500000 600000}
SENDERS=${BENCH_INGEST_SENDERS:-2}
SECS=${BENCH_INGEST_SECS:-3}
UREPS=${BENCH_INGEST_REPS:-2}
TCPN=${BENCH_INGEST_TCP_LINES:-1000000}
REPS=${BENCH_REPS:-3}
DOC=${BENCH_DOC-docs/benchmarks.md}
RCVBUF=4194304
CORPUS_LINES=200000

cd "$(dirname "$0")/.." || exit 2
TOP=$(pwd)

die() { echo "bench-ingest: $*" >&2; exit 2; }
skip() { echo "bench-ingest: skipped: $*" >&2; exit 0; }

for t in snmpget ss; do
	command -v $t >/dev/null 2>&1 || skip "$t not installed (make deps)"
done
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
[ -x "$RSYSLOGD" ] || skip "rsyslogd not installed (make deps)"
[ -x "$B/imsmond" ] || skip "$B/imsmond not built (make)"
case $B in /*) IMSMOND=$B/imsmond ;; *) IMSMOND=$TOP/$B/imsmond ;; esac

W=$(mktemp -d "${TMPDIR:-/tmp}/imsmon-ingest.XXXXXX") || die "mktemp failed"
PIDS=""
cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	sleep 0.3
	for p in $PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM

now_ns() { date +%s%N; }
# 1234567 -> 1,234,567
grp() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cpu_ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
	if (a + 0 > 0 && b + 0 > 0) printf "%.2f ×", a / b; else print "-" }'; }

# --- tools and corpus ------------------------------------------------------

$CC -O2 -std=c17 -D_DEFAULT_SOURCE -o "$W/flood" bench/flood.c ||
    die "cannot build bench/flood.c"
$CC -O2 -std=c17 -D_DEFAULT_SOURCE -o "$W/gencorpus" bench/gencorpus.c ||
    die "cannot build bench/gencorpus.c"
"$W/gencorpus" -n "$CORPUS_LINES" "$W/corpus.log" "$W/expected.txt" \
    2>/dev/null || die "gencorpus failed"
C=$W/corpus.log
CBYTES=$(wc -c <"$C")
MEAN=$((CBYTES / CORPUS_LINES - 1))

# --- ports -------------------------------------------------------------------

in_use() { ss -Hlntu 2>/dev/null | awk '{print $5}' | grep -q ":$1\$"; }
base=$((30000 + ($$ % 3000) * 10))
while :; do
	busy=0
	for i in 0 1 2 3 4 5 6; do
		in_use $((base + i)) && busy=1
	done
	[ $busy -eq 0 ] && break
	base=$((base + 10))
	[ $base -lt 60000 ] || base=30000
done
SNMP=$base IU=$((base + 1)) IT=$((base + 2)) RU=$((base + 3)) RT=$((base + 4))
SNMP0=$((base + 5)) IT0=$((base + 6))

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

# --- imsmond: its own master agent, a UDP and a TCP listener -----------------

mkdir -p "$W/p" "$W/rs"
cat >"$W/imsmond.conf" <<EOF
rocommunity public 127.0.0.1
syslogListen udp:127.0.0.1:$IU
syslogListen tcp:127.0.0.1:$IT
kbDir $TOP/kb
stateDir $W/state
trapHoldDown 60
EOF
SNMP_PERSISTENT_DIR="$W/p" MIBS= "$IMSMOND" -f -C -c "$W/imsmond.conf" \
    -M "udp:127.0.0.1:$SNMP" >"$W/imsmond.log" 2>&1 &
IMS_PID=$!
PIDS="$PIDS $IMS_PID"
R=.1.3.6.1.4.1.32473
ims_count() {	# LISTENER: imsListenerRecords.LISTENER
	MIBS= snmpget -v2c -c public -t 2 -r 2 -Oqv "127.0.0.1:$SNMP" \
	    "$R.1.2.14.1.4.$1" 2>/dev/null
}
wait_for 10 sh -c "[ -n \"\$(MIBS= snmpget -v2c -c public -Oqv 127.0.0.1:$SNMP $R.1.1.1.0 2>/dev/null)\" ]" ||
    die "imsmond did not start: $(cat "$W/imsmond.log")"

# The same without a state (stateDir none), TCP only.
mkdir -p "$W/p0"
cat >"$W/imsmond0.conf" <<EOF
rocommunity public 127.0.0.1
syslogListen tcp:127.0.0.1:$IT0
kbDir $TOP/kb
stateDir none
trapHoldDown 60
EOF
SNMP_PERSISTENT_DIR="$W/p0" MIBS= "$IMSMOND" -f -C -c "$W/imsmond0.conf" \
    -M "udp:127.0.0.1:$SNMP0" >"$W/imsmond0.log" 2>&1 &
IMS0_PID=$!
PIDS="$PIDS $IMS0_PID"
ims0_count() {
	MIBS= snmpget -v2c -c public -t 2 -r 2 -Oqv "127.0.0.1:$SNMP0" \
	    "$R.1.2.14.1.4.1" 2>/dev/null
}
wait_for 10 sh -c "[ -n \"\$(MIBS= snmpget -v2c -c public -Oqv 127.0.0.1:$SNMP0 $R.1.1.1.0 2>/dev/null)\" ]" ||
    die "imsmond (stateDir none) did not start: $(cat "$W/imsmond0.log")"

# --- rsyslog: imudp and imtcp, each into its own omfile ----------------------

cat >"$W/rsyslog.conf" <<EOF
global(workDirectory="$W/rs")
module(load="imudp")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\n")
input(type="imudp" address="127.0.0.1" port="$RU" rcvbufSize="$RCVBUF"
    ruleset="udp")
input(type="imtcp" address="127.0.0.1" port="$RT" ruleset="tcp")
ruleset(name="udp") {
	action(type="omfile" file="$W/udp.log" template="raw")
}
ruleset(name="tcp") {
	action(type="omfile" file="$W/tcp.log" template="raw")
}
EOF
"$RSYSLOGD" -n -f "$W/rsyslog.conf" -i "$W/rsyslog.pid" \
    >"$W/rsyslog.out" 2>&1 &
RS_PID=$!
PIDS="$PIDS $RS_PID"
wait_for 10 in_use "$RT" && wait_for 5 in_use "$RU" ||
    die "rsyslog did not start: $(cat "$W/rsyslog.out")"
: >"$W/udp.log"
: >"$W/tcp.log"
RS_VER=$("$RSYSLOGD" -v 2>/dev/null | sed -n '1s/^rsyslogd *\([^ ]*\).*/\1/p')

# Lines in an omfile; rsyslog opens it O_APPEND, so it can be emptied.
rs_count() { wc -l <"$1" | tr -d ' '; }

# The receive buffers the kernel granted (ss: skmem rb, in bytes).
rb_of() {	# PORT
	ss -Huamn "sport = :$1" 2>/dev/null |
	    sed -n 's/.*skmem:(r[0-9]*,rb\([0-9]*\),.*/\1/p' | head -n 1
}
IMS_RB=$(rb_of "$IU")
RS_RB=$(rb_of "$RU")
echo "bench-ingest: receive buffers: imsmond rb $IMS_RB, rsyslog rb $RS_RB"

# Kernel drops on a UDP socket (/proc/net/udp, last column).
drops_of() {	# PORT
	awk -v p="$(printf '%04X' "$1")" '
	    $2 ~ ":" p "$" && $2 ~ /^0100007F/ { print $NF; exit }' \
	    /proc/net/udp
}

# CPU time of a process and all its threads, in clock ticks.
TICK_US=$((1000000 / $(getconf CLK_TCK 2>/dev/null || echo 100)))
cpu_of() {	# PID
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}
# µs of CPU a line: TICKS LINES
per_line() { awk -v t="$1" -v n="$2" -v u="$TICK_US" \
    'BEGIN { if (n > 0) printf "%.2f", t * u / n; else print "-" }'; }

# settle COUNTER-CMD: wait until the count stops moving (no change for
# 1 s, at most 60 s); sets N (the count) and T_LAST (ns when it last moved).
settle() {
	N=$($1)
	T_LAST=$(now_ns)
	_same=0 _i=0
	while [ $_same -lt 20 ] && [ $_i -lt 1200 ]; do
		sleep 0.05
		_v=$($1)
		if [ "$_v" != "$N" ]; then
			N=$_v
			T_LAST=$(now_ns)
			_same=0
		else
			_same=$((_same + 1))
		fi
		_i=$((_i + 1))
	done
}
ims_udp() { ims_count 1; }
ims_tcp() { ims_count 2; }
rs_udp() { rs_count "$W/udp.log"; }
rs_tcp() { rs_count "$W/tcp.log"; }

# udp_run WHO RATE: one UDP step; sets SENT, GOT, KDROP (kernel drops),
# FLOOD_NS and TICKS (the receiver's CPU).
udp_run() {
	case $1 in
	imsmond) _cnt=ims_udp _port=$IU _pid=$IMS_PID ;;
	rsyslog) _cnt=rs_udp _port=$RU _pid=$RS_PID; : >"$W/udp.log" ;;
	esac
	_b=$($_cnt)
	_d0=$(drops_of "$_port")
	_c0=$(cpu_of "$_pid")
	set -- $("$W/flood" -P "$SENDERS" -r "$2" -d "$SECS" 127.0.0.1 \
	    "$_port" "$C") ||
	    die "flood failed"
	SENT=$2 FLOOD_NS=$4
	settle $_cnt
	TICKS=$(( $(cpu_of "$_pid") - _c0 ))
	GOT=$((N - _b))
	KDROP=$(( $(drops_of "$_port") - _d0 ))
}

LOAD0=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)

# The senders' own ceiling: the same flood, at a rate nobody reaches, into
# a socket with the same buffer that nobody reads (flood -s).
CEIL_PORT=$((base + 7))
"$W/flood" -s $((SECS + 2)) 127.0.0.1 "$CEIL_PORT" &
SINK_PID=$!
PIDS="$PIDS $SINK_PID"
sleep 0.5
set -- $("$W/flood" -P "$SENDERS" -r 100000000 -d "$SECS" 127.0.0.1 \
    "$CEIL_PORT" "$C") || die "flood (ceiling) failed"
CEIL=$(awk -v n="$2" -v t="$4" 'BEGIN { printf "%d", n / (t / 1e9) }')
wait "$SINK_PID" 2>/dev/null
echo "bench-ingest: udp senders' ceiling, nobody reading: $CEIL lines/s"

# Each receiver is stepped up until a step loses lines (its loss-free
# rate is then decided: no later step can change it) or the senders
# cannot reach the rate asked in any run (they cannot outrun it: its
# loss-free rate is at least what they reached).  STOP_x: 0 stepping, 1 lost, 2 the
# senders' limit.
: >"$W/udp.txt"
IMS_LF=0 RS_LF=0 IMS_STOP=0 RS_STOP=0 first=0
for rate in $RATES; do
	active=""
	[ $IMS_STOP -eq 0 ] && active="imsmond"
	[ $RS_STOP -eq 0 ] && active="$active rsyslog"
	[ -n "$active" ] || break
	r=0
	while [ $r -lt "$UREPS" ]; do
		if [ $first -eq 0 ]; then order="imsmond rsyslog"; first=1
		else order="rsyslog imsmond"; first=0; fi
		for who in $order; do
			case " $active " in *" $who "*) ;; *) continue ;; esac
			udp_run "$who" "$rate"
			sr=$(awk -v n="$SENT" -v t="$FLOOD_NS" \
			    'BEGIN { printf "%d", n / (t / 1e9) }')
			cpu=$(per_line "$TICKS" "$GOT")
			echo "$who $rate $r $SENT $GOT $KDROP $sr $cpu $TICKS" \
			    >>"$W/udp.txt"
			printf 'bench-ingest: udp %-7s %7s lines/s: sent %8s (%s/s), got %8s, lost %s (kernel drops %s), %s µs CPU a line\n' \
			    "$who" "$rate" "$SENT" "$sr" "$GOT" \
			    "$((SENT - GOT))" "$KDROP" "$cpu"
		done
		r=$((r + 1))
	done
	# A step counts at the rate the sender reached (its slowest run).
	for who in $active; do
		# lost, slowest and fastest run's rate
		set -- $(awk -v w="$who" -v r="$rate" '
		    $1 == w && $2 == r { l += $4 - $5
			if (m == "" || $7 < m) m = $7
			if ($7 > x) x = $7 }
		    END { print l + 0, m + 0, x + 0 }' "$W/udp.txt")
		if [ "$1" -ne 0 ]; then
			st=1
		elif [ $(($3 * 100)) -lt $((rate * 95)) ]; then
			st=2
		else
			st=0
		fi
		if [ "$who" = imsmond ]; then
			[ "$1" -eq 0 ] && [ "$2" -gt "$IMS_LF" ] && IMS_LF=$2
			IMS_STOP=$st
		else
			[ "$1" -eq 0 ] && [ "$2" -gt "$RS_LF" ] && RS_LF=$2
			RS_STOP=$st
		fi
	done
done

# --- TCP -------------------------------------------------------------------------

# tcp_run WHO: sets TCP_RATE (lines/s), TCP_GOT and TICKS.
tcp_run() {
	case $1 in
	imsmond) _cnt=ims_tcp _port=$IT _pid=$IMS_PID ;;
	nostate) _cnt=ims0_count _port=$IT0 _pid=$IMS0_PID ;;
	rsyslog) _cnt=rs_tcp _port=$RT _pid=$RS_PID; : >"$W/tcp.log" ;;
	esac
	_b=$($_cnt)
	_c0=$(cpu_of "$_pid")
	_t0=$(now_ns)
	"$W/flood" -t -n "$TCPN" 127.0.0.1 "$_port" "$C" >/dev/null ||
	    die "flood -t failed"
	settle $_cnt
	TICKS=$(( $(cpu_of "$_pid") - _c0 ))
	TCP_GOT=$((N - _b))
	TCP_RATE=$(awk -v n="$TCP_GOT" -v t="$((T_LAST - _t0))" \
	    'BEGIN { printf "%d", n / (t / 1e9) }')
}

: >"$W/tcp.txt"
i=0
while [ $i -lt "$REPS" ]; do
	if [ $((i % 2)) -eq 0 ]; then order="imsmond nostate rsyslog"
	else order="rsyslog nostate imsmond"; fi
	for who in $order; do
		tcp_run "$who"
		cpu=$(per_line "$TICKS" "$TCP_GOT")
		echo "$who $TCP_RATE $TCP_GOT $cpu" >>"$W/tcp.txt"
		echo "bench-ingest: tcp $who: $TCP_GOT of $TCPN lines, $TCP_RATE lines/s, $cpu µs CPU a line"
	done
	i=$((i + 1))
done
LOAD1=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)
med() {	# WHO COLUMN
	awk -v w="$1" -v c="$2" '$1 == w { print $c }' "$W/tcp.txt" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
IMS_TCP=$(med imsmond 2) IMS_TCPCPU=$(med imsmond 4)
RS_TCP=$(med rsyslog 2) RS_TCPCPU=$(med rsyslog 4)
IMS0_TCP=$(med nostate 2) IMS0_TCPCPU=$(med nostate 4)
# The highest rate the sender reached against each receiver.
IMS_TOP=$(awk '$1 == "imsmond" && $7 > m { m = $7 } END { print m + 0 }' "$W/udp.txt")
RS_TOP=$(awk '$1 == "rsyslog" && $7 > m { m = $7 } END { print m + 0 }' "$W/udp.txt")
tcp_all() {	# WHO: every run got every line
	awk -v w="$1" -v n="$TCPN" '$1 == w && $3 != n { bad = 1 }
	    END { print bad ? "no" : "yes" }' "$W/tcp.txt"
}

# --- results -----------------------------------------------------------------------

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t && t > 0) ? "met" : "missed" }'; }
# A receiver that lost nothing at any step was never outrun: its
# loss-free rate is at least the one shown ("≥").
IMS_AT=""; [ $IMS_STOP -eq 1 ] || IMS_AT="≥ "
RS_AT=""; [ $RS_STOP -eq 1 ] || RS_AT="≥ "
UDP_R="$(ratio "$IMS_LF" "$((RS_LF > 0 ? RS_LF : 1))") ×"
if [ $RS_STOP -ne 1 ]; then
	UDP_V="not decided: rsyslog lost nothing at any rate reached"
	UDP_R="-"
elif [ "$RS_LF" -eq 0 ]; then
	UDP_V="not decided: rsyslog lost lines at the first step"
	UDP_R="-"
elif [ $IMS_STOP -ne 1 ]; then
	UDP_R="≥ $UDP_R"
	if [ "$(verdict "$IMS_LF" "$((6 * RS_LF))")" = met ]; then
		UDP_V=met
	else
		UDP_V="not decided: the senders could not outrun imsmond"
	fi
else
	UDP_V=$(verdict "$IMS_LF" "$((6 * RS_LF))")
fi
# CPU a line of each at the same offered rate: the highest step both
# ran (rsyslog's last one: it is stepped no further once it loses), all
# its runs together, over the lines each received.
BOTH=$(awk '$1 == "imsmond" { i[$2] = 1 } $1 == "rsyslog" { r[$2] = 1 }
	END { for (k in i) if (k in r && k + 0 > m) m = k + 0; print m + 0 }' \
	"$W/udp.txt")
cpu_at() {	# WHO RATE: µs of CPU a line over the runs of that step
	awk -v w="$1" -v r="$2" -v u="$TICK_US" '$1 == w && $2 == r {
	    t += $9; n += $5 }
	    END { if (n > 0) printf "%.2f", t * u / n; else print "-" }' \
	    "$W/udp.txt"
}
IMS_CPU=$(cpu_at imsmond "$BOTH") RS_CPU=$(cpu_at rsyslog "$BOTH")
# And each at the highest step it ran: the most loaded, where the cost
# of a wakeup and of every second's fixed work is spread widest.
top_step() { awk -v w="$1" '$1 == w && $2 + 0 > m { m = $2 + 0 }
	END { print m + 0 }' "$W/udp.txt"; }
IMS_HI=$(top_step imsmond) RS_HI=$(top_step rsyslog)
IMS_HICPU=$(cpu_at imsmond "$IMS_HI") RS_HICPU=$(cpu_at rsyslog "$RS_HI")
CPUS=$(nproc 2>/dev/null || echo '?')
MODEL=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1 |
    sed 's/ [0-9]*-Core Processor//; s/ *$//')
{
	echo "Measured $(date -u +%Y-%m-%d) by \`bench/ingest.sh\`, one run on one machine:"
	echo "$CPUS CPUs${MODEL:+ ($MODEL)}, rsyslog $RS_VER; load average $LOAD0 before"
	echo "the run and $LOAD1 after (the machine is shared)."
	echo "Corpus: $(grp "$CORPUS_LINES") lines of \`bench/gencorpus\`, mean $MEAN bytes, sent"
	echo "over and over.  UDP: $SECS s a step, $UREPS run(s) of each step per receiver,"
	echo "$SENDERS sender processes at once,"
	echo "receive buffers as the kernel granted them (\`ss\` skmem rb): imsmond"
	echo "$(grp "$IMS_RB") bytes, rsyslog $(grp "$RS_RB") bytes (both asked for 4 MiB; Linux"
	echo "doubles the value asked for)."
	echo
	echo "| UDP rate asked, lines/s | receiver | sent | sent, lines/s | received | lost | kernel drops | receiver CPU, µs a line |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|"
	awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $2, $1, $4, $7, $5, $4 - $5, $6, $8 }' \
	    "$W/udp.txt" | while IFS= read -r l; do
		echo "$l" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[ ,|]\)/\1,\2\3/' -e 'ta'
	done
	echo
	echo "| TCP, $(grp "$TCPN") lines over one connection | median lines/s | median CPU, µs a line | runs | every line arrived |"
	echo "|---|---:|---:|---:|---|"
	echo "| imsmond (tcp: listener, LF framing) | $(grp "$IMS_TCP") | $IMS_TCPCPU | $REPS | $(tcp_all imsmond) |"
	echo "| imsmond, stateDir none | $(grp "$IMS0_TCP") | $IMS0_TCPCPU | $REPS | $(tcp_all nostate) |"
	echo "| rsyslog $RS_VER imtcp | $(grp "$RS_TCP") | $RS_TCPCPU | $REPS | $(tcp_all rsyslog) |"
	echo
	echo "The state's cost (issue 10: within 5%): TCP lines/s with the state"
	echo "saved / stateDir none $(ratio "$IMS_TCP" "$IMS0_TCP"); CPU a line, saved / none"
	echo "$(ratio "$IMS_TCPCPU" "$IMS0_TCPCPU")."
	echo
	echo "| target (issue 4, item 10; issue 12 for UDP) | imsmond | rsyslog | ratio | |"
	echo "|---|---:|---:|---:|---|"
	echo "| UDP loss-free rate ≥ 6 × rsyslog's, lines/s | $IMS_AT$(grp "$IMS_LF") | $RS_AT$(grp "$RS_LF") | $UDP_R | $UDP_V |"
	echo "| TCP lines/s ≥ rsyslog's | $(grp "$IMS_TCP") | $(grp "$RS_TCP") | $(ratio "$IMS_TCP" "$RS_TCP") × | $(verdict "$IMS_TCP" "$RS_TCP") |"
	echo
	echo "Loss-free rate: the rate the senders reached (the slower of the runs)"
	echo "at the highest step up to which no run lost a line; 0 if the first step"
	echo "lost some.  A receiver is stepped up until a step loses lines or the"
	echo "senders fall short of the rate asked; \"≥\" marks a receiver that lost"
	echo "nothing at any step: the senders could not outrun it, and its"
	echo "loss-free rate is at least that.  The senders' ceiling, into a socket"
	echo "nobody reads: $(grp "$CEIL") lines/s; the highest rate they reached:"
	echo "$(grp "$IMS_TOP") against imsmond, $(grp "$RS_TOP") against rsyslog (the"
	echo "senders, the receiver and the kernel's loopback work share the CPUs)."
	echo
	echo "CPU a line at $(grp "$BOTH") lines/s asked (the highest step both ran, all"
	echo "its runs, over the lines received): imsmond $IMS_CPU µs, rsyslog $RS_CPU µs;"
	echo "rsyslog / imsmond $(cpu_ratio "$RS_CPU" "$IMS_CPU").  Each at the highest"
	echo "step it ran: imsmond $IMS_HICPU µs at $(grp "$IMS_HI"), rsyslog $RS_HICPU µs at"
	echo "$(grp "$RS_HI"); rsyslog / imsmond $(cpu_ratio "$RS_HICPU" "$IMS_HICPU")."
} >"$W/results.md"
cat "$W/results.md"

if [ -n "$DOC" ]; then
	if [ -f "$DOC" ] && grep -q '^<!-- ingest-results: begin -->' "$DOC" &&
	    grep -q '^<!-- ingest-results: end -->' "$DOC"; then
		awk -v res="$W/results.md" '
			/^<!-- ingest-results: begin -->/ {
				print; print ""
				while ((getline l < res) > 0) print l
				print ""; skip = 1; next
			}
			/^<!-- ingest-results: end -->/ { skip = 0 }
			!skip { print }' "$DOC" >"$W/doc.new" &&
		    cat "$W/doc.new" >"$DOC"
		echo "bench-ingest: results written to $DOC"
	else
		echo "bench-ingest: $DOC has no ingest-results markers; not written" >&2
	fi
fi
exit 0
