#!/bin/sh
# make bench (state part, the daemon): what saving the state costs imsmond
# itself.  Two imsmond, each its own master agent on loopback, one with a
# state directory (the default behaviour) and one with stateDir none, are
# sent the same corpus over TCP in turn (bench/flood.c), round after
# round, each round with host names of its own so that it opens new
# faults; the CPU time (/proc, utime + stime, all threads) each used for
# its round is compared.  Stopped by PID, in a temp dir.
# Environment: B (build dir), CC, BENCH_LINES (corpus, default 1000000),
# BENCH_REPS (rounds, default 5).  Targets are reported, never enforced.
set -u
LINES=${BENCH_LINES:-1000000}
REPS=${BENCH_REPS:-5}
cd "$(dirname "$0")/.." || exit 2
NAME=stated
. bench/lib.sh
bench_need snmpget
bench_tmpdir
bench_cc flood
bench_cc gencorpus
"$W/gencorpus" -n "$LINES" "$W/corpus.log" "$W/expected.txt" 2>/dev/null ||
    die "gencorpus failed"

lib_ports 0
base=$BASE
R=.1.3.6.1.4.1.32473
start() {	# NAME SNMP-PORT TCP-PORT STATEDIR-LINE: sets PID (no subshell,
		# so that PIDS, which the cleanup stops, keeps it)
	mkdir -p "$W/p-$1"
	printf '%s\n' "rocommunity public 127.0.0.1" \
	    "syslogListen tcp:127.0.0.1:$3" "kbDir $ROOT/kb" "$4" \
	    "trapHoldDown 60" "maxServers 20000" "maxFaults 20000" \
	    >"$W/$1.conf"
	SNMP_PERSISTENT_DIR="$W/p-$1" MIBS= "$ROOT/$B/imsmond" -f -C \
	    -c "$W/$1.conf" -M "udp:127.0.0.1:$2" >"$W/$1.log" 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
}
mkdir -p "$W/state"
start on $base $((base + 1)) "stateDir $W/state"
ON=$PID
start off $((base + 2)) $((base + 3)) "stateDir none"
OFF=$PID
count() {	# SNMP-PORT: records of the first listener
	MIBS= snmpget -v2c -c public -t 2 -r 2 -Oqv "127.0.0.1:$1" \
	    "$R.1.2.14.1.4.1" 2>/dev/null
}
up() { [ -n "$(count "$1")" ]; }
for p in $base $((base + 2)); do
	wait_for 10 up $p ||
	    die "imsmond on $p not up: $(cat "$W"/*.log)"
done
cpu() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
settle() {	# SNMP-PORT EXPECTED: until the listener counted them all
	n=600
	while [ "$(count "$1")" != "$2" ] && [ $n -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	[ "$(count "$1")" = "$2" ] || die "imsmond on $1: $(count "$1") records, not $2"
}
: >"$W/ticks"
i=1
while [ "$i" -le "$REPS" ]; do
	# New host names every round: "EXCH" and "exch" hosts become Rn...
	sed "s/ EXCH/ R${i}X/; s/ exch/ r${i}x/" "$W/corpus.log" >"$W/round.log"
	for who in on off; do
		if [ $who = on ]; then p=$ON port=$((base + 1)) sp=$base
		else p=$OFF port=$((base + 3)) sp=$((base + 2)); fi
		c0=$(cpu "$p")
		"$W/flood" -t -n "$LINES" 127.0.0.1 "$port" "$W/round.log" \
		    >/dev/null || die "flood failed"
		settle "$sp" $((i * LINES))
		echo "$i $who $(( $(cpu "$p") - c0 ))" >>"$W/ticks"
	done
	i=$((i + 1))
done
awk -v reps="$REPS" '
	$2 == "on" { on[$1] = $3 }
	$2 == "off" { off[$1] = $3 }
	END {
		for (i = 1; i <= reps; i++)
			printf "round %d: CPU ticks, state saved %d, stateDir none %d, ratio %.2f\n",
			    i, on[i], off[i], (off[i] > 0 ? on[i] / off[i] : 0)
	}' "$W/ticks" | tee "$W/rounds"
med=$(awk '{ print $NF }' "$W/rounds" | sort -n |
    awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
awk -v m="$med" '$2 == "on" { a += $3 } $2 == "off" { b += $3 } END {
	printf "median ratio %.2f; all rounds %d / %d ticks, %.2f (target: within 5%%)\n", m, a, b, (b > 0 ? a / b : 0) }' "$W/ticks"
