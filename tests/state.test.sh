#!/bin/sh
# Integration test of the saved state (docs/state.md) with the real
# components, on loopback high ports, in a temp dir, stopped by PID:
# imsmond as its own master agent with a trap2sink, snmptrapd logging the
# notifications, bench/flood.c sending fault incidents over UDP, and
# snmpget/snmpset/snmpbulkwalk reading the tables.
#   - kill -9 at a random moment during a flood, STATE_ROUNDS times
#     (default 6): every fault trapped before the kill is in the table
#     after the restart, under the same index and server; nothing is
#     re-announced; the same events again open no second fault;
#   - SIGTERM and restart: acks, statuses, indices and the sequence kept;
#   - a corrupt, truncated, newer-version, locked (another process holds
#     its write lock) and read-only database: moved aside, started empty,
#     imsStateStatus reset(2);
#   - a file size limit (RLIMIT_FSIZE, as a full disk): unsaved(3), the
#     agent keeps answering from memory, saved again once room is back;
#   - serverSilenceTimeout: status silent(6) with imsServerSilent, and
#     back when the server is heard from again.
# Run from the project root with B set to the build directory.
B=${B:-build}
. tests/lib.sh

lib_need snmptrapd snmpget snmpset snmpbulkwalk sqlite3 prlimit cc
lib_agent_env
lib_tmpdir imss
ROUNDS=${STATE_ROUNDS:-6}

lib_ports 40
SNMP=$BASE TRAP=$((BASE + 1)) SYSLOG=$((BASE + 2))
mkdir -p "$T/p-cli" "$T/p-trapd" "$T/p-ims" "$T/state"
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T"
export MIBDIRS="$IETF:$ROOT/mib" MIBS="IMSMON-MIB"
CLI="-v2c -t 1 -r 2"
AGENT="udp:127.0.0.1:$SNMP"
get() { snmpget $CLI -c public -Ov -Oq "$AGENT" "$@" 2>&1; }

cc -O2 -std=c17 -D_DEFAULT_SOURCE -o "$T/flood" bench/flood.c ||
    { ko "bench/flood.c builds"; echo "$pass passed, $fail failed"; exit 1; }

SNMP_PERSISTENT_DIR="$T/p-trapd" MIBS="SNMPv2-MIB:IMSMON-MIB" \
    snmptrapd -f -C -c /dev/null -Lf "$T/traps.log" --authCommunity="log public" \
    -F "TRAP %v\n" -p "$T/trapd.pid" "udp:127.0.0.1:$TRAP" \
    >"$T/trapd.out" 2>&1 &
PIDS="$PIDS $!"

conf() {	# EXTRA-LINES...
	printf '%s\n' "rocommunity public 127.0.0.1" \
	    "rwcommunity private 127.0.0.1" "trap2sink 127.0.0.1:$TRAP public" \
	    "syslogListen udp:127.0.0.1:$SYSLOG" "kbDir $ROOT/kb" \
	    "stateDir $T/state" "trapHoldDown 0" "trapRateLimit 0" \
	    "maxServers 50000" "maxFaults 50000" "$@" \
	    >"$T/imsmond.conf"
}
IMS="" RUN=0 LOGPRI=
start() {	# [PREFIX-COMMAND...]: start imsmond, wait until it answers
	RUN=$((RUN + 1))
	LOG=$T/imsmond.$RUN.log
	: >"$LOG"
	chmod 0666 "$LOG"
	# LOGPRI: only those priorities (-LF), else everything (-Lf).
	if [ -n "$LOGPRI" ]; then set -- "$@" "$IMSMOND" -LF "$LOGPRI"
	else set -- "$@" "$IMSMOND" -Lf; fi
	"$@" "$LOG" -f -C -c "$T/imsmond.conf" -M "$AGENT" \
	    >>"$T/imsmond.out" 2>&1 &
	IMS=$!
	PIDS="$PIDS $IMS"
	wait_for 15 sh -c "kill -0 $IMS && snmpget $CLI -c public $AGENT IMSMON-MIB::imsAgentVersion.0 | grep -q imsmond"
}
stop() {	# SIGNAL: and wait until it is gone (SIGKILL after 20 s)
	kill -"$1" "$IMS" 2>/dev/null
	n=200
	while kill -0 "$IMS" 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	if kill -0 "$IMS" 2>/dev/null; then
		ko "imsmond $IMS gone 20 s after SIG$1"
		kill -9 "$IMS"
		wait "$IMS" 2>/dev/null
	fi
}
touch "$T/traps.log"
# Until snmptrapd has written every notification sent so far (the count
# stops moving), at most 10 s.
settle() {
	_a=-1 _n=50
	while [ $_n -gt 0 ]; do
		_b=$(ntraps)
		[ "$_b" = "$_a" ] && return 0
		_a=$_b
		sleep 0.4
		_n=$((_n - 1))
	done
}
# Lines, not notifications: a varbind may hold a line break, and the
# offsets given to tail are lines.
ntraps() { wc -l <"$T/traps.log"; }
# Notifications from line $1 on other than the resync summary an agent
# sends once after every (re)start, which announces no fault.
announced() { tail -n +"$1" "$T/traps.log" | grep '^TRAP' | grep -vc 'imsMonResync'; }
# "INDEX SERVER" of every imsFaultDiagnosed trap from line $1 on.
diagnosed() {
	tail -n +"$1" "$T/traps.log" | grep 'imsFaultDiagnosed' | tr '\t' '\n' |
	    sed -n 's/^IMSMON-MIB::imsFaultServer\.\([0-9]*\) = STRING: \(.*\)$/\1 \2/p' |
	    tr -d '"'
}
# "INDEX SERVER" of every fault row.
rows() {
	snmpbulkwalk $CLI -c public -Cr50 "$AGENT" IMSMON-MIB::imsFaultServer \
	    2>/dev/null | sed -n 's/.*imsFaultServer\.\([0-9]*\) = STRING: \(.*\)/\1 \2/p' |
	    tr -d '"'
}
# A corpus: COUNT fault incidents (MSExchangeIMC 4143, one per host) with
# two unrelated records after each.
corpus() {	# FILE PREFIX COUNT
	awk -v p="$2" -v n="$3" 'BEGIN {
		for (i = 1; i <= n; i++) {
			printf "<27>Mar 14 10:00:%02d %s%d MSExchangeIMC: 4143: The Internet Mail Service could not start\n", i % 60, p, i
			printf "<30>Mar 14 10:00:%02d %s%d Application: 1000: an unrelated record\n", i % 60, p, i
			printf "<30>Mar 14 10:00:%02d other%d Application: 1001: another one\n", i % 60, i
		}
	}' >"$1"
}

# --- kill -9 during a flood ----------------------------------------------
conf
start || ko "imsmond up" "$(tail -5 "$LOG" "$T/imsmond.out")"
lost=0 refired=0 dup=0 moved=0 total=0
r=1
while [ $r -le $ROUNDS ]; do
	corpus "$T/c$r" "r${r}h" 1000
	t0=$(($(ntraps) + 1))
	"$T/flood" -r 50000 -d 1 127.0.0.1 "$SYSLOG" "$T/c$r" >/dev/null 2>&1 &
	fl=$!
	# A random moment within the flood (awk's srand: the clock and PID).
	sleep "$(awk -v s=$$$r 'BEGIN { srand(s); printf "%.2f", 0.15 + rand() * 0.7 }')"
	stop 9
	wait $fl
	settle	# the last traps in flight reach snmptrapd
	diagnosed "$t0" | sort >"$T/trapped$r"
	total=$((total + $(wc -l <"$T/trapped$r")))
	t1=$(($(ntraps) + 1))
	start || ko "round $r: restart" "$(tail -5 "$LOG")"
	rows | sort >"$T/rows$r"
	# Every trapped fault is a row, with the same index and server.
	n=$(comm -23 "$T/trapped$r" "$T/rows$r" | wc -l)
	lost=$((lost + n))
	[ "$n" -eq 0 ] || comm -23 "$T/trapped$r" "$T/rows$r" | head -3 >>"$T/lost"
	# Nothing re-announced at the restart.
	settle
	refired=$((refired + $(announced "$t1")))
	# The same events again: no second fault for a host already trapped.
	t2=$(($(ntraps) + 1))
	"$T/flood" -r 20000 -n 3000 127.0.0.1 "$SYSLOG" "$T/c$r" >/dev/null 2>&1
	settle
	diagnosed "$t2" | cut -d' ' -f2 | sort >"$T/again$r"
	n=$(cut -d' ' -f2 "$T/trapped$r" | sort | comm -12 - "$T/again$r" | wc -l)
	dup=$((dup + n))
	# Indices never name two faults: a new one is above every old one.
	if [ -s "$T/again$r" ] && [ -s "$T/trapped$r" ]; then
		hi=$(sort -n "$T/trapped$r" | tail -1 | cut -d' ' -f1)
		lo=$(diagnosed "$t2" | sort -n | head -1 | cut -d' ' -f1)
		[ "$lo" -gt "$hi" ] || moved=$((moved + 1))
	fi
	r=$((r + 1))
done
[ $total -gt 0 ] && [ $lost -eq 0 ] &&
    ok "kill -9 x$ROUNDS during a flood: all $total trapped faults back" ||
    ko "kill -9: $lost of $total trapped faults missing" "$(cat "$T/lost" 2>/dev/null)"
[ $refired -eq 0 ] && ok "kill -9: nothing re-announced at restart" ||
    ko "kill -9: $refired notifications at restart"
[ $dup -eq 0 ] && ok "kill -9: the same events open no second fault" ||
    ko "kill -9: $dup hosts with a second fault"
[ $moved -eq 0 ] && ok "kill -9: new fault indices above the old ones" ||
    ko "kill -9: $moved rounds reused an index"
v=$(get IMSMON-MIB::imsStateStatus.0)
[ "$v" = ok ] && ok "imsStateStatus ok" || ko "imsStateStatus ok" "$v"

# --- SIGTERM: acks, status, indices --------------------------------------
idx=$(sort -n "$T/rows1" | head -1 | cut -d' ' -f1)
snmpset $CLI -c private "$AGENT" "IMSMON-MIB::imsFaultAcked.$idx" i 1 >/dev/null 2>&1
open0=$(get IMSMON-MIB::imsAgentOpenFaults.0)
st0=$(get 'IMSMON-MIB::imsServerStatus."r1h1"')
why0=$(get 'IMSMON-MIB::imsServerStatusWhy."r1h1"')
stop TERM
kill -0 "$IMS" 2>/dev/null && ko "SIGTERM stops imsmond" || ok "SIGTERM stops imsmond"
t1=$(($(ntraps) + 1))
start || ko "restart after SIGTERM" "$(tail -5 "$LOG")"
v=$(get "IMSMON-MIB::imsFaultAcked.$idx")
[ "$v" = true ] && ok "SIGTERM: ack kept (fault $idx)" || ko "SIGTERM: ack kept" "$v"
v=$(get IMSMON-MIB::imsAgentOpenFaults.0)
[ "$v" = "$open0" ] && ok "SIGTERM: open faults kept ($v)" || ko "SIGTERM: open faults" "$v, was $open0"
v=$(get 'IMSMON-MIB::imsServerStatus."r1h1"')
w=$(get 'IMSMON-MIB::imsServerStatusWhy."r1h1"')
[ "$v" = "$st0" ] && [ "$v" = startFailed ] && [ "$w" = "$why0" ] &&
    ok "SIGTERM: status and why kept ($v: $w)" || ko "SIGTERM: status" "$v $w, was $st0 $why0"
settle
[ "$(announced "$t1")" -eq 0 ] && ok "SIGTERM: nothing re-announced" ||
    ko "SIGTERM: re-announced" "$(tail -n +$t1 "$T/traps.log" | head -3)"
grep -q "restored" "$LOG" && ok "restore logged" ||
    ko "restore logged" "$(tail -5 "$LOG")"

# --- imsdiag reads the same database offline, beside the running agent --
D="$ROOT/$B/imsdiag"
o=$("$D" state show --dir "$T/state" 2>&1)
echo "$o" | grep -q "^server r1h1 status start-failed since .* why \"fault 1: article Q173496\"" &&
    echo "$o" | grep -q "^fault $idx r1h1 Q173496 diagnosed .* acked" &&
    [ "$(echo "$o" | grep -c '^fault ')" -eq "${open0%% *}" ] &&
    ok "imsdiag state show: servers and open faults, as the MIB" ||
    ko "imsdiag state show" "$(echo "$o" | head -5)"
o=$("$D" state show --json --dir "$T/state" 2>&1)
echo "$o" | node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (!d.servers.length || !d.faults.length) process.exit(1)' 2>/dev/null &&
    ok "imsdiag state show --json: one JSON document" ||
    ko "imsdiag state show --json" "$(echo "$o" | head -c 300)"
o=$("$D" state log --dir "$T/state" 2>&1)
n=$(echo "$o" | grep -c .)
echo "$o" | grep -q "^[0-9]* opened server r[0-9]*h[0-9]* fault [0-9]* Q173496" &&
    [ "$n" -le 10000 ] && [ "$(echo "$o" | cut -d' ' -f1 | sort -n -c 2>&1)" = "" ] &&
    ok "imsdiag state log: the notification log, in order, pruned to stateLogMax ($n rows)" ||
    ko "imsdiag state log" "$(echo "$o" | head -3)"
"$D" state show --dir "$T/nowhere" >/dev/null 2>&1
[ $? -eq 3 ] && ok "imsdiag state: no database, exit 3" ||
    ko "imsdiag state: no database, exit 3"

# --- databases that cannot be used ----------------------------------------
unusable() {	# NAME [PREFIX-COMMAND...]: the caller broke the database
	_name=$1
	shift
	start "$@" || ko "$_name: imsmond up" "$(tail -5 "$LOG")"
	set -- "$_name"
	v=$(get IMSMON-MIB::imsStateStatus.0)
	a=$(get IMSMON-MIB::imsStateMovedAside.0)
	n=$(ls "$T/state" | grep -c 'aside-')
	[ "$v" = reset ] && [ "$n" -ge 1 ] && echo "$a" | grep -q 'moved to' &&
	    grep -q "moved aside" "$LOG" &&
	    ok "$1: moved aside, started empty ($a)" ||
	    ko "$1: moved aside" "$v / $a / $n files / $(tail -3 "$LOG")"
	v=$(get IMSMON-MIB::imsAgentOpenFaults.0)
	[ "$v" = "0 faults" ] && ok "$1: empty state" || ko "$1: empty state" "$v"
	stop TERM
	mkdir -p "$T/aside"
	mv "$T/state"/*aside* "$T/aside/" 2>/dev/null
}
stop TERM
head -c 8192 /dev/urandom >"$T/state/imsmon.db"
rm -f "$T/state/imsmon.db-wal" "$T/state/imsmon.db-shm"
unusable "not a database"
corpus "$T/cx" trunc 2000
start && "$T/flood" -r 20000 -n 6000 127.0.0.1 "$SYSLOG" "$T/cx" >/dev/null 2>&1
sleep 1
stop TERM
sz=$(wc -c <"$T/state/imsmon.db")
truncate -s $((sz / 2)) "$T/state/imsmon.db"
# The truncated file is the only copy: a WAL left beside it (a slow stop
# under the sanitizers) would hold the pages and hide the damage.
rm -f "$T/state/imsmon.db-wal" "$T/state/imsmon.db-shm"
unusable "truncated ($sz -> $((sz / 2)) bytes)"
start && stop TERM
sqlite3 "$T/state/imsmon.db" 'PRAGMA user_version = 99' >/dev/null
unusable "newer schema"
start && stop TERM
# Locked: another process holds the write lock (the sqlite3 shell in a
# transaction, its input a fifo kept open) while imsmond starts.
mkfifo "$T/lock.fifo"
sqlite3 "$T/state/imsmon.db" <"$T/lock.fifo" >"$T/lock.out" 2>&1 &
LOCKER=$!
PIDS="$PIDS $LOCKER"
exec 7>"$T/lock.fifo"
echo "BEGIN EXCLUSIVE; CREATE TABLE held (x);" >&7
if wait_for 5 sh -c "! sqlite3 '$T/state/imsmon.db' 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null"; then
	unusable "locked by another process"
	grep -q "write lock: database is locked" "$T"/imsmond.$RUN.log &&
	    ok "locked: the reason logged" ||
	    ko "locked: the reason logged" "$(grep aside "$T"/imsmond.$RUN.log)"
else
	ko "locked: the sqlite3 shell holds the write lock" "$(cat "$T/lock.out")"
fi
echo "ROLLBACK;" >&7
exec 7>&-
wait $LOCKER
start && stop TERM
if [ "$(id -u)" -eq 0 ]; then
	# Root writes a 0444 file anyway: imsmond as nobody, in a directory
	# nobody may write, with the database root's and read-only.
	chmod 0444 "$T/state/imsmon.db"
	chmod 0777 "$T/state"
	chmod 0755 "$T"
	chmod 0644 "$T/imsmond.conf"
	touch "$LOG" && chmod 0666 "$LOG"
	chmod -R a+rwX "$T/p-ims" 2>/dev/null
	unusable "read-only" setpriv --reuid=65534 --regid=65534 \
	    --clear-groups env SNMP_PERSISTENT_DIR="$T/p-ims"
else
	chmod 0444 "$T/state/imsmon.db"
	unusable "read-only"
fi

# --- a file size limit, as a full disk ------------------------------------
rm -rf "$T/state" && mkdir -p "$T/state"
start && stop TERM
# The log file is under the same limit: warnings and errors only, so
# that the database reaches the limit first, whatever the timing.
LOGPRI=0-4
start prlimit --fsize=65536:unlimited --
LOGPRI=
corpus "$T/cf" full 3000
"$T/flood" -r 5000 -n 9000 127.0.0.1 "$SYSLOG" "$T/cf" >/dev/null 2>&1
wait_for 10 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsStateStatus.0)\" = unsaved ]" &&
    ok "file size limit: imsStateStatus unsaved" ||
    ko "file size limit: unsaved" "$(get IMSMON-MIB::imsStateStatus.0; tail -3 "$LOG")"
v=$(get IMSMON-MIB::imsStateCommitFailures.0)
s=$(get IMSMON-MIB::imsStateNotSavedSince.0)
[ "${v%% *}" -gt 0 ] 2>/dev/null && [ "$s" != '"00 00 00 00 00 00 00 00 "' ] &&
    ok "file size limit: failures counted ($v), not saved since $s" ||
    ko "file size limit: counted" "$v / $s"
wait_for 10 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsAgentOpenFaults.0)\" = '3000 faults' ]" &&
    ok "file size limit: memory goes on (3000 faults)" ||
    ko "file size limit: memory goes on" "$(get IMSMON-MIB::imsAgentOpenFaults.0)"
grep -q "commit failed" "$LOG" && ok "file size limit: logged" ||
    ko "file size limit: logged" "$(tail -3 "$LOG")"
prlimit --pid "$IMS" --fsize=unlimited
wait_for 10 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsStateStatus.0)\" = ok ]" &&
    ok "file size limit lifted: saved again" ||
    ko "saved again" "$(get IMSMON-MIB::imsStateStatus.0)"
stop TERM
start
v=$(get IMSMON-MIB::imsAgentOpenFaults.0)
[ "$v" = "3000 faults" ] && ok "file size limit: all faults on disk after" ||
    ko "file size limit: all on disk" "$v"
stop TERM

# --- serverSilenceTimeout ---------------------------------------------------
rm -rf "$T/state" && mkdir -p "$T/state"
conf "serverSilenceTimeout 2"
start
settle
t1=$(($(ntraps) + 1))
"$T/flood" -n 1 127.0.0.1 "$SYSLOG" "$T/cf" >/dev/null 2>&1	# full1: 4143
wait_for 10 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT 'IMSMON-MIB::imsServerStatus.\"full1\"')\" = silent ]" &&
    ok "silence: status silent" ||
    ko "silence: status silent" "$(get 'IMSMON-MIB::imsServerStatus."full1"')"
wait_for 5 sh -c "tail -n +$t1 $T/traps.log | grep imsServerSilent | grep -q full1" &&
    ok "silence: imsServerSilent sent" || ko "silence: imsServerSilent" "$(tail -n +$t1 "$T/traps.log" | head -3)"
"$T/flood" -n 2 127.0.0.1 "$SYSLOG" "$T/cf" >/dev/null 2>&1
v=$(get 'IMSMON-MIB::imsServerStatus."full1"')
w=$(get 'IMSMON-MIB::imsServerStatusWhy."full1"')
[ "$v" = startFailed ] && ok "silence: heard again, status back ($w)" ||
    ko "silence: status back" "$v $w"
stop TERM

grep -E "ERROR: (Address|Leak)Sanitizer|runtime error" "$T/imsmond.out" "$LOG" >/dev/null 2>&1 &&
    ko "no memory errors in imsmond logs" "$(grep -A5 Sanitizer "$T/imsmond.out")" ||
    ok "no memory errors in imsmond logs"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
