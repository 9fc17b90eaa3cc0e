#!/bin/sh
# The notification path under stress, with the real components on
# loopback high ports, in a temp dir, stopped by PID:
#   1. a burst of 10,000 fault incidents (10,000 servers, 20,000
#      notifications) with trapRateLimit 0, 1000 and 50: snmpd keeps
#      answering sysDescr.0 during and after it, and every notification
#      reaches snmptrapd exactly once, in order, or is counted as dropped
#      at the queue's bound (imsNtfDropped, with a log line);
#   2. snmpd stopped (SIGTERM) for 20 s while faults happen, then
#      started again: every notification arrives once, in order, plus the
#      imsMonResync summary;
#   3. snmpd frozen (SIGSTOP) with notifications queued: imsmond still
#      ends within 2 s of SIGTERM.
# Run from the project root with B set to the build directory.
B=${B:-build}
. tests/lib.sh

lib_need snmpd snmptrapd snmpget snmpwalk cc
lib_agent_env
lib_tmpdir imsn
lib_ports 300
SNMP=$BASE TRAP=$((BASE + 1)) SYSLOG=$((BASE + 2))

mkdir -p "$T/p-snmpd" "$T/p-trapd" "$T/p-cli/cert_indexes" "$T/p-ims"
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T/etc" MIBS=
CLI="-v2c -c public -t 1 -r 1 -On"
AGENT="udp:127.0.0.1:$SNMP"
R=.1.3.6.1.4.1.32473
N=${NOTIFY_INCIDENTS:-10000}	# incidents in the burst
# Under the sanitizers everything is several times slower: a smaller one.
case $B in *asan*) N=2000 ;; esac

cc -O2 -o "$T/flood" bench/flood.c || { ko "bench/flood.c builds"; exit 1; }

get() { snmpget $CLI -Ov -Oq "$AGENT" "$@" 2>&1; }

# --- snmptrapd: one line per notification, numeric OIDs; -n: no reverse
# DNS lookup of every sender, which would make it the bottleneck --------
cat >"$T/trapd.conf" <<EOF
disableAuthorization yes
EOF
SNMP_PERSISTENT_DIR="$T/p-trapd" snmptrapd -f -C -c "$T/trapd.conf" \
    -n -Lf "$T/trapd.log" -On -F "TRAP %v\n" -p "$T/trapd.pid" \
    "udp:127.0.0.1:$TRAP" >"$T/trapd.out" 2>&1 &
PIDS="$PIDS $!"

# --- snmpd: a private master sending informs (acknowledged, retried), as
# the README recommends; a long timeout, so that snmptrapd, slower than
# both, is not sent the same inform again while it catches up.
cat >"$T/snmpd.conf" <<EOF
agentaddress udp:127.0.0.1:$SNMP
master agentx
agentXSocket $T/agentx.sock
agentXPerms 0660 0700
rocommunity public 127.0.0.1
trapsess -Ci -v 2c -c public -r 5 -t 10 udp:127.0.0.1:$TRAP
EOF
start_snmpd() {
	MIBS= SNMP_PERSISTENT_DIR="$T/p-snmpd" snmpd -f -I -smux -C \
	    -c "$T/snmpd.conf" -Lf "$T/snmpd.log" -p "$T/snmpd.pid" \
	    >/dev/null 2>&1 &
	PIDS="$PIDS $!"
}
start_snmpd
wait_for 10 test -S "$T/agentx.sock" && ok "snmpd master up" ||
    ko "snmpd master up" "$(cat "$T/snmpd.log")"

# --- the burst: one Q154589 incident (two events) on each server ------
sh tests/fixtures/seed-events.sh | grep -P "\tEXCH154\t" >"$T/one"
awk -v n=$N '{ l[NR] = $0 } END {
	for (i = 1; i <= n; i++)
		for (j = 1; j <= NR; j++) {
			s = l[j]; gsub(/EXCH154/, sprintf("B%05d", i), s); print s
		}
}' "$T/one" >"$T/burst"

start_ims() {	# STATE-DIR CONF-EXTRA...
	mkdir -p "$T/$1"
	sd=$1
	shift
	{
		echo "stateDir $T/$sd"
		echo "syslogListen tcp:127.0.0.1:$SYSLOG"
		echo "kbDir $ROOT/kb"
		echo "maxServers 20000"
		echo "maxFaults 20000"
		echo "trapHoldDown 0"
		echo "agentxPingInterval 1"
		echo "[snmp] timeout 1"
		echo "[snmp] retries 1"
		for l in "$@"; do echo "$l"; done
	} >"$T/imsmond.conf"
	LSAN_OPTIONS="suppressions=$ROOT/tests/lsan-netsnmp.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
	SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/imsmond.conf" \
	    -x "$T/agentx.sock" -p "$T/imsmond.pid" >>"$T/imsmond.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 sh -c "snmpget $CLI $AGENT $R.1.1.1.0 | grep -q imsmond"
}
stop_ims() {
	p=$(cat "$T/imsmond.pid" 2>/dev/null) || return 0
	kill "$p" 2>/dev/null
	wait_for 5 sh -c "! kill -0 $p 2>/dev/null"
	rm -f "$T/imsmond.pid"
}

# Sequence numbers of our fault and status notifications in the trap log
# from line $TOFF on, in arrival order (from imsNtfLogTime.SEQ).
seqs() {
	tail -n +$TOFF "$T/trapd.log" | grep -o "$R\.1\.8\.11\.1\.2\.[0-9]* " |
	    sed 's/.*\.//; s/ $//'
}
nresync() { tail -n +$TOFF "$T/trapd.log" | grep -c "OID: $R\.0\.7\b"; }

# All made notifications accounted for: the distinct ones received and
# the dropped ones make imsNtfMade; with "once", each arrived once; with
# "order", once and in order.  (snmpd sends an inform again when a busy
# snmptrapd did not answer in time or lost it, so under a burst a
# notification can arrive twice, or late: a receiver drops duplicates by
# sequence number and sorts by it.)  Prints a one-line summary; fails
# until it holds.
accounted() {	# LAST [once|order]
	seqs >"$T/seqs"
	got=$(wc -l <"$T/seqs")
	uniq=$(sort -un "$T/seqs" | wc -l)
	drop=$(get $R.1.8.6.0)
	inorder=$(sort -n "$T/seqs" | cmp -s - "$T/seqs" && echo yes || echo no)
	echo "made $1, received $got ($uniq distinct, in order: $inorder), dropped $drop"
	[ -z "${2:-}" ] || [ "$got" -eq "$uniq" ] || return 1
	[ "${2:-}" != order ] || [ "$inorder" = yes ] || return 1
	[ $((uniq + drop)) -eq "$1" ]
}

stop_snmpd() {
	p=$(cat "$T/snmpd.pid" 2>/dev/null) || return 0
	kill "$p" 2>/dev/null
	# Gone for sure: an snmpd still busy resending a burst's informs can
	# outlive the wait, and its late informs would land in the next round.
	wait_for 10 sh -c "! kill -0 $p 2>/dev/null" || {
		kill -9 "$p" 2>/dev/null
		wait_for 10 sh -c "! kill -0 $p 2>/dev/null"
	}
	rm -f "$T/snmpd.pid" "$T/agentx.sock"
}

burst() {	# RATE QUEUE-MAX
	rate=$1 qmax=$2
	# A fresh snmpd for each round: the informs the last one still
	# retries must not arrive among this round's (sequence numbers start
	# again at 1 with each round's new state).
	if [ -n "${BURST_DONE:-}" ]; then
		stop_snmpd
		start_snmpd
		wait_for 10 test -S "$T/agentx.sock" ||
		    ko "rate $rate: snmpd restarted" "$(tail -5 "$T/snmpd.log")"
		# What the old snmpd had in flight has landed or is gone.
		wait_for 20 sh -c "n=\$(wc -l <'$T/trapd.log'); sleep 1; [ \$(wc -l <'$T/trapd.log') -eq \$n ]"
	fi
	BURST_DONE=1
	TOFF=$(($(wc -l <"$T/trapd.log") + 1))
	start_ims "state-$rate" "trapRateLimit $rate" \
	    "maxQueuedNotifications $qmax" ||
	    { ko "rate $rate: imsmond up" "$(tail -5 "$T/imsmond.log")"; return; }
	"$T/flood" -t -n $((2 * N)) 127.0.0.1 "$SYSLOG" "$T/burst" >/dev/null ||
	    ko "rate $rate: burst sent"
	v=$(snmpget $CLI -Ov "$AGENT" .1.3.6.1.2.1.1.1.0 2>&1)
	echo "$v" | grep -q STRING && ok "rate $rate: snmpd answers sysDescr.0 during the burst" ||
	    ko "rate $rate: snmpd answers during the burst" "$v"
	# Every incident diagnosed: two notifications each.
	wait_for 60 sh -c "[ \"\$(snmpget $CLI -Ov -Oq $AGENT $R.1.8.12.0)\" = $((2 * N)) ]" &&
	    ok "rate $rate: $((2 * N)) notifications made" ||
	    ko "rate $rate: $((2 * N)) notifications made" "$(get $R.1.8.12.0 $R.1.1.6.0)"
	# Drained: 20,000 at 1000/s take 20 s.
	wait_for 90 sh -c "[ \"\$(snmpget $CLI -Ov -Oq $AGENT $R.1.8.3.0)\" = 0 ]" ||
	    ko "rate $rate: queue drained" "$(get $R.1.8.3.0)"
	# Rate 0 (and 1000, at 20,000 in a burst) hands snmpd more than
	# snmptrapd can answer in time: snmpd's own informs then time out, are
	# sent again (duplicates) and now and then given up (measured: 1 of
	# 20,000 at 1000/s); what imsmond owes is that snmpd took every one.
	if [ "$rate" -eq 0 ] || [ "$rate" -ge 1000 ]; then
		a=$(get $R.1.8.5.0)
		[ "$a" -ge $((2 * N)) ] 2>/dev/null &&
		    ok "rate $rate: snmpd acknowledged all $((2 * N)) ($a with the summaries); at snmptrapd: $(accounted $((2 * N)))" ||
		    ko "rate $rate: snmpd acknowledged every notification" "acknowledged $a"
	elif wait_for 30 accounted $((2 * N)); then
		ok "rate $rate: $(accounted $((2 * N)))"
	else
		ko "rate $rate: every notification received or counted" "$(accounted $((2 * N)))"
	fi
	d=$(get $R.1.8.6.0)
	if [ "$d" -gt 0 ] 2>/dev/null; then
		grep -q "notification queue full" "$T/imsmond.log" &&
		    ok "rate $rate: the drops ($d) are logged" ||
		    ko "rate $rate: the drops ($d) are logged"
	fi
	echo "rate $rate: acked $(get $R.1.8.5.0) unconfirmed $(get $R.1.8.7.0) resent $(get $R.1.8.8.0) connects $(get $R.1.8.9.0)"
	v=$(snmpget $CLI -Ov "$AGENT" .1.3.6.1.2.1.1.1.0 2>&1)
	echo "$v" | grep -q STRING && ok "rate $rate: snmpd answers after the burst" ||
	    ko "rate $rate: snmpd answers after the burst" "$v"
	stop_ims
}

for r in ${NOTIFY_RATES:-0 1000 50}; do
	# Room for every notification and the summaries (one a connect).
	case $r in 50) burst 50 500 ;; *) burst "$r" $((2 * N + 100)) ;; esac
done
[ -z "${NOTIFY_BURST_ONLY:-}" ] || { echo "$pass passed, $fail failed"; exit 0; }

# --- 2: the master away for 20 s while faults happen -------------------
TOFF=$(($(wc -l <"$T/trapd.log") + 1))
start_ims state-away "trapRateLimit 0" || ko "imsmond up" "$(tail -5 "$T/imsmond.log")"
head -n 20 "$T/burst" >"$T/before"		# 10 incidents
sed -n '21,60p' "$T/burst" >"$T/during"		# 20 incidents
sed -n '61,80p' "$T/burst" >"$T/after"		# 10 incidents
"$T/flood" -t -n 20 127.0.0.1 "$SYSLOG" "$T/before" >/dev/null
wait_for 10 sh -c "[ \"\$(snmpget $CLI -Ov -Oq $AGENT $R.1.8.3.0)\" = 0 ] && [ \"\$(snmpget $CLI -Ov -Oq $AGENT $R.1.8.12.0)\" = 20 ]"
kill "$(cat "$T/snmpd.pid")"
wait_for 5 sh -c "! test -S $T/agentx.sock"
sleep 1
"$T/flood" -t -n 40 127.0.0.1 "$SYSLOG" "$T/during" >/dev/null
sleep 19
v=$(tail -n +$TOFF "$T/trapd.log" | grep -c "OID: $R\.0\.[15]\b")
[ "$v" -eq 20 ] && ok "master away: only the 20 notifications from before arrived" ||
    ko "master away: 20 before" "$v"
start_snmpd
wait_for 20 sh -c "snmpget $CLI -Ov -Oq $AGENT $R.1.8.9.0 | grep -qx 2" &&
    ok "subagent reconnected ($(get $R.1.8.9.0) connects)" ||
    ko "subagent reconnected" "$(tail -5 "$T/imsmond.log")"
"$T/flood" -t -n 20 127.0.0.1 "$SYSLOG" "$T/after" >/dev/null
if wait_for 20 accounted 80 order; then
	ok "master away 20 s: $(accounted 80)"
else
	ko "master away 20 s: every notification once, in order" "$(accounted 80)"
fi
[ "$(nresync)" -eq 2 ] && ok "one imsMonResync per connect" ||
    ko "one imsMonResync per connect" "$(nresync)"
# The second summary follows the backlog (the 20 before and the 40
# queued): its last sequence number is that of the 60th notification.
s=$(tail -n +$TOFF "$T/trapd.log" | grep "OID: $R\.0\.7\b" | tail -1)
l60=$(sed -n 60p "$T/seqs")
n=$(tail -n +$TOFF "$T/trapd.log" | grep -n "OID: $R\.0\.7\b" | tail -1 | cut -d: -f1)
before=$(tail -n +$TOFF "$T/trapd.log" | head -n "$n" | grep -c "OID: $R\.0\.[156]\b")
echo "$s" | grep -q "$R\.1\.8\.1\.0 = Gauge32: $l60\b" && [ "$before" -eq 60 ] &&
    ok "summary after the backlog (60 before it), last sequence $l60" ||
    ko "summary after the backlog, last sequence $l60 ($before before it)" "$s"
echo "$s" | grep -q "$R\.1\.1\.6\.0 = Gauge32: 30" &&
    ok "summary says 30 open faults" || ko "summary says 30 open faults" "$s"
# The log table: 80 rows, the first with its server and article.
w=$(snmpwalk $CLI -Oq "$AGENT" $R.1.8.11.1.4 2>&1)
[ "$(echo "$w" | grep -c .)" -eq 80 ] && ok "imsNtfLogTable has the 80" ||
    ko "imsNtfLogTable has the 80" "$(echo "$w" | tail -3)"
# B00001's fault: one row of type faultDiagnosed(1) naming its article.
v=$(snmpwalk $CLI -Oq "$AGENT" $R.1.8.11.1 2>&1 | awk '
	{ split($1, o, "."); i = o[length(o)]; c = o[length(o) - 1]
	  v[c, i] = $2; idx[i] = 1 }
	END { for (i in idx) if (v[4, i] == "\"B00001\"" && v[3, i] == 1)
		print v[6, i] }')
[ "$v" = '"Q154589"' ] && ok "log row of B00001's fault: type and article" ||
    ko "log row of B00001's fault: type and article" "$v"

# --- 3: a frozen master never holds imsmond -----------------------------
"$T/flood" -t -n 200 127.0.0.1 "$SYSLOG" "$(sed -n '101,300p' "$T/burst" >"$T/more"; echo "$T/more")" >/dev/null
kill -STOP "$(cat "$T/snmpd.pid")"
"$T/flood" -t -n 200 127.0.0.1 "$SYSLOG" "$(sed -n '301,500p' "$T/burst" >"$T/more2"; echo "$T/more2")" >/dev/null
sleep 2
p=$(cat "$T/imsmond.pid")
kill "$p"
n=0
while kill -0 "$p" 2>/dev/null && [ $n -lt 20 ]; do sleep 0.1; n=$((n + 1)); done
kill -0 "$p" 2>/dev/null && ko "SIGTERM ends imsmond within 2 s with snmpd frozen" ||
    ok "SIGTERM ends imsmond within 2 s with snmpd frozen"
kill -CONT "$(cat "$T/snmpd.pid")"
v=$(snmpget $CLI -Ov "$AGENT" .1.3.6.1.2.1.1.1.0 2>&1)
echo "$v" | grep -q STRING && ok "snmpd answers after it all" ||
    ko "snmpd answers after it all" "$v"

bad=$(grep -hE 'Sanitizer|runtime error|double free' "$T/imsmond.log")
[ -z "$bad" ] && ok "no memory errors in imsmond logs" ||
    ko "no memory errors in imsmond logs" "$bad"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
