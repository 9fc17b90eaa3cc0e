#!/bin/sh
# Integration test of imsmond with the real components, all on loopback
# high ports, in a temp dir, stopped by PID:
#   snmpd (private master, configured with packaging/snmpd-imsmon.conf)
#   imsmond as its AgentX subagent, snmptrapd writing traps with the MIB
#   loaded, logger over UDP and TCP, an rsyslog relay configured with
#   packaging/rsyslog-imsmon.conf, snmpget/snmpbulkwalk/snmptable/snmpset
#   and Nagios' check_snmp; then the same scenario with imsmond as its own
#   master agent.
# Run from the project root with B set to the build directory.
B=${B:-build}
. tests/lib.sh

CHECK_SNMP=${CHECK_SNMP:-/usr/lib/nagios/plugins/check_snmp}
lib_need snmpd snmptrapd snmpget snmpbulkwalk snmptable snmpset logger \
    rsyslogd
[ -x "$CHECK_SNMP" ] || skip "check_snmp not installed (make deps)"
lib_agent_env
lib_tmpdir imsa

# Ports: a block of 8 free ones.
lib_ports 0
base=$BASE
SNMP=$base TRAP=$((base + 1)) SYSLOG=$((base + 2)) RELAY=$((base + 3))
MSNMP=$((base + 4)) MSYSLOG=$((base + 5))

mkdir -p "$T/p-snmpd" "$T/p-trapd" "$T/p-cli/cert_indexes" "$T/p-ims" \
    "$T/p-imsm" "$T/rs" "$T/etc"
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T/etc"
export MIBDIRS="$IETF:$ROOT/mib" MIBS="IMSMON-MIB"
CLI="-v2c -t 1 -r 1"
AGENT="udp:127.0.0.1:$SNMP"
R=.1.3.6.1.4.1.32473

get() { snmpget $CLI -c public -Ov -Oq "$AGENT" "$@" 2>&1; }
TOFF=1	# first line of traps.log that belongs to the current scenario
traps() { tail -n +$TOFF "$T/traps.log" 2>/dev/null; }
ntraps() { traps | grep -c "$1"; }

# --- snmptrapd: every notification, names resolved by the MIB ----------
cat >"$T/trapd.conf" <<EOF
authCommunity log public
EOF
SNMP_PERSISTENT_DIR="$T/p-trapd" MIBS="SNMPv2-MIB:IMSMON-MIB" \
    snmptrapd -f -C -c "$T/trapd.conf" -Lf "$T/traps.log" \
    -F "TRAP %v\n" -p "$T/trapd.pid" "udp:127.0.0.1:$TRAP" \
    >"$T/trapd.out" 2>&1 &
PIDS="$PIDS $!"

# --- snmpd: a Debian-like base plus the packaged snippet ---------------
{
	echo "agentaddress udp:127.0.0.1:$SNMP"
	echo "view systemonly included .1.3.6.1.2.1.1"
	echo "view systemonly included .1.3.6.1.2.1.25.1"
	echo "rocommunity public 127.0.0.1 -V systemonly"
	# The snippet as shipped; only paths, ports and the socket owner
	# (not creatable as an ordinary user) differ in a test.
	sed -e "s|/var/agentx/master|$T/agentx.sock|" \
	    -e 's|^agentXPerms .*|agentXPerms 0660 0700|' \
	    -e "s|127.0.0.1:162|127.0.0.1:$TRAP|" \
	    packaging/snmpd-imsmon.conf
} >"$T/snmpd.conf"
start_snmpd() {
	MIBS= SNMP_PERSISTENT_DIR="$T/p-snmpd" snmpd -f -I -smux -C \
	    -c "$T/snmpd.conf" -Lf "$T/snmpd.log" -p "$T/snmpd.pid" \
	    >/dev/null 2>&1 &
	PIDS="$PIDS $!"
}
start_snmpd
wait_for 10 test -S "$T/agentx.sock" && ok "snmpd master up" ||
    ko "snmpd master up" "$(cat "$T/snmpd.log")"

# --- imsmond as subagent ------------------------------------------------
mkdir "$T/kb" && cp "$ROOT"/kb/*.kb "$T/kb/"
cat >"$T/imsmond.conf" <<EOF
syslogListen udp:127.0.0.1:$SYSLOG
syslogListen tcp:127.0.0.1:$SYSLOG
kbDir $T/kb
stateDir $T/state
trapHoldDown 60
agentxPingInterval 1
[snmp] timeout 1
[snmp] retries 1
EOF
LSAN_OPTIONS="suppressions=$ROOT/tests/lsan-netsnmp.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/imsmond.conf" \
    -x "$T/agentx.sock" -p "$T/imsmond.pid" >"$T/imsmond.log" 2>&1 &
PIDS="$PIDS $!"
wait_for 10 sh -c "snmpget $CLI -c public $AGENT IMSMON-MIB::imsAgentVersion.0 | grep -q imsmond" &&
    ok "subagent registered through snmpd" ||
    ko "subagent registered" "$(cat "$T/imsmond.log")"

# --- rsyslog relay, as packaging/rsyslog-imsmon.conf tells operators ----
{
	echo "global(workDirectory=\"$T/rs\")"
	sed -e "s|port=\"514\"|address=\"127.0.0.1\" port=\"$RELAY\"|" \
	    -e "s|port=\"5514\"|port=\"$SYSLOG\"|" packaging/rsyslog-imsmon.conf
} >"$T/rsyslog.conf"
"$RSYSLOGD" -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" >"$T/rsyslog.out" 2>&1 &
PIDS="$PIDS $!"
wait_for 10 in_use "$RELAY" && ok "rsyslog relay up" ||
    ko "rsyslog relay up" "$(cat "$T/rsyslog.out")"

# --- the events ---------------------------------------------------------
sh tests/fixtures/seed-events.sh >"$T/events"
# logger (util-linux) always writes its own header; RFC 5424 keeps the
# Snare record whole after it, as NXLog's Snare output over 5424 does.
lg() { logger --rfc5424 -t MSWinEventLog -n 127.0.0.1 "$@"; }
send() {	# HOW PORT HOST: the events of HOST, in file order
	grep -P "\t$3\t" "$T/events" | while IFS= read -r line; do
		case $1 in
		udp) lg -d -P "$2" -- "$line" ;;
		tcp) lg -T -P "$2" -- "$line" ;;
		octet) lg -T --octet-count -P "$2" -- "$line" ;;
		esac
		sleep 0.3
	done
}

scenario() {	# MODE SYSLOG-PORT RELAY-PORT|-
	mode=$1 sport=$2 rport=$3
	send udp "$sport" EXCH306
	send udp "$sport" EXCH173
	send tcp "$sport" EXCH183
	send octet "$sport" EXCH154
	if [ "$rport" != - ]; then
		send udp "$rport" EXCH246
	else
		send udp "$sport" EXCH246
	fi
	wait_for 15 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsAgentOpenFaults.0)\" = '5 faults' ]" &&
	    ok "$mode: five faults open" ||
	    ko "$mode: five faults open" "$(get IMSMON-MIB::imsAgentOpenFaults.0; tail -5 "$T/imsmond.log")"

	# Fault rows: one per seed article, diagnosed, on the right host.
	tbl=$(snmptable $CLI -c public -Cf '|' -CH -Ci "$AGENT" IMSMON-MIB::imsFaultTable 2>&1)
	for a in EXCH306:Q306308 EXCH173:Q173496 EXCH183:Q183178 \
	    EXCH246:Q246115 EXCH154:Q154589; do
		h=$(echo "$a" | cut -d: -f1 | tr A-Z a-z) q=${a#*:}
		echo "$tbl" | grep -q "|$h|$q|.*|diagnosed|critical|" &&
		    ok "$mode: fault row $h $q" || ko "$mode: fault row $h $q" "$tbl"
		echo "$tbl" | grep "|$h|$q|" | cut -d'|' -f14 | grep -q '[A-Za-z]' &&
		    ok "$mode: $q remedy in the fault row" ||
		    ko "$mode: $q remedy in the fault row" "$tbl"
		t=$(snmpget $CLI -c public -Ov "$AGENT" "IMSMON-MIB::imsKbTitle.\"$q\"" 2>&1)
		echo "$t" | grep -q "STRING: ." && ok "$mode: KB row $q" ||
		    ko "$mode: KB row $q" "$t"
		traps | grep -q "imsFaultArticle\.[0-9]* = STRING: $q" &&
		    ok "$mode: trap names $q" || ko "$mode: trap names $q" "$(traps)"
	done
	# The ambiguous start failure of EXCH173, then its refinement.
	traps | grep 'imsFaultAmbiguous' | grep -q 'imsFaultServer.[0-9]* = STRING: exch173' &&
	    ok "$mode: ambiguous trap" || ko "$mode: ambiguous trap" "$(traps)"
	traps | grep 'imsFaultRefined' | grep -q 'STRING: Q173496' &&
	    ok "$mode: refined trap" || ko "$mode: refined trap" "$(traps)"
	traps | grep 'imsServerStatusChange' | grep 'exch306' |
	    grep 'imsServerStatus\.' | grep -q 'startFailed' &&
	    ok "$mode: status-change trap" || ko "$mode: status-change trap" "$(traps)"
	# Every fault trap carries server, article, title, severity, remedy.
	bad=$(traps | grep -E 'imsFault(Diagnosed|Refined)' | grep -vE \
	    'imsFaultServer.*imsFaultArticle.*imsFaultTitle.*imsFaultSeverity.*imsFaultRemedy')
	[ -z "$bad" ] && ok "$mode: trap varbinds" || ko "$mode: trap varbinds" "$bad"

	# Server table and one server by name.
	v=$(get 'IMSMON-MIB::imsServerStatus."exch306"')
	[ "$v" = startFailed ] && ok "$mode: imsServerStatus.\"exch306\"" ||
	    ko "$mode: imsServerStatus" "$v"
	w=$(snmpbulkwalk $CLI -c public -Cr25 "$AGENT" IMSMON-MIB::imsServerTable 2>&1)
	[ "$(echo "$w" | grep -c 'imsServerDisplayName')" -eq 5 ] &&
	    ok "$mode: bulkwalk server table" || ko "$mode: bulkwalk server table" "$w"
	w=$(snmpbulkwalk $CLI -c public "$AGENT" IMSMON-MIB::imsKbTable 2>&1)
	echo "$w" | grep -q 'imsKbResolution."Q306308" = STRING: .' &&
	    ok "$mode: bulkwalk KB table" || ko "$mode: bulkwalk KB table" "$w"
	# snmpbulkwalk checks that OIDs increase (-Cc would turn that off).
	w=$(snmpbulkwalk $CLI -c public "$AGENT" IMSMON-MIB::imsMonObjects 2>&1)
	rc=$?
	[ $rc -eq 0 ] && ! echo "$w" | grep -qE 'not increasing|Error in packet|Timeout: No Response' &&
	    [ "$(echo "$w" | wc -l)" -gt 100 ] &&
	    ok "$mode: walk the whole MIB ($(echo "$w" | wc -l) values)" ||
	    ko "$mode: walk the whole MIB (rc $rc)" "$(echo "$w" | tail -5)"
	w=$(snmpbulkwalk $CLI -c public "$AGENT" IMSMON-MIB::imsCandidateTable 2>&1)
	rc=$?
	[ $rc -eq 0 ] && echo "$w" | grep -q 'imsCandidateArticle\.2\.1 = STRING: Q173496' &&
	    ok "$mode: candidate table" || ko "$mode: candidate table (rc $rc)" "$w"

	# A repeat updates the fault and sends nothing.
	n0=$(traps | wc -l)
	c0=$(get IMSMON-MIB::imsFaultCount.1)
	send udp "$sport" EXCH306
	wait_for 5 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsFaultCount.1)\" != '$c0' ]" &&
	    ok "$mode: repeat counted ($c0 -> $(get IMSMON-MIB::imsFaultCount.1))" ||
	    ko "$mode: repeat counted" "$c0"
	sleep 0.5
	n1=$(traps | wc -l)
	[ "$n1" -eq "$n0" ] && ok "$mode: repeat sends no trap" ||
	    ko "$mode: repeat sends no trap" "$(traps | tail -n +$((n0 + 1)))"
	v=$(get IMSMON-MIB::imsStatTrapsSuppressed.0)
	[ "${v%% *}" -gt 0 ] 2>/dev/null && ok "$mode: suppressed counted ($v)" ||
	    ko "$mode: suppressed counted" "$v"

	# Bad input: counted, no fault.
	logger -d -n 127.0.0.1 -P "$sport" -- "not a windows event"
	lg -d -P "$sport" -- "$(printf 'MSWinEventLog\t3\tApplication')"
	sleep 0.5
	v=$(get IMSMON-MIB::imsStatRecordsMalformed.0)
	[ "${v%% *}" -ge 2 ] 2>/dev/null && ok "$mode: malformed counted ($v)" ||
	    ko "$mode: malformed counted" "$v"
	v=$(get IMSMON-MIB::imsAgentOpenFaults.0)
	[ "$v" = "5 faults" ] && ok "$mode: bad input opens nothing" ||
	    ko "$mode: bad input opens nothing" "$v"

	# SETs through the master's access control.
	s() { snmpset $CLI -c private "$AGENT" "$@" 2>&1; }
	o=$(s IMSMON-MIB::imsFaultAcked.1 i 1)
	[ "$(get IMSMON-MIB::imsFaultAcked.1)" = true ] &&
	    ok "$mode: acknowledge" || ko "$mode: acknowledge" "$o"
	o=$(s IMSMON-MIB::imsFaultAcked.2 i 7)
	echo "$o" | grep -q wrongValue && ok "$mode: wrongValue" ||
	    ko "$mode: wrongValue" "$o"
	# Without the MIB: with it the client itself refuses the wrong type.
	o=$(MIBS= snmpset $CLI -c private "$AGENT" $R.1.4.1.16.2 s yes 2>&1)
	echo "$o" | grep -q wrongType && ok "$mode: wrongType" ||
	    ko "$mode: wrongType" "$o"
	o=$(s IMSMON-MIB::imsFaultAcked.999 i 1)
	echo "$o" | grep -q noCreation && ok "$mode: noCreation" ||
	    ko "$mode: noCreation" "$o"
	o=$(s IMSMON-MIB::imsFaultServer.2 s x)
	echo "$o" | grep -q notWritable && ok "$mode: notWritable" ||
	    ko "$mode: notWritable" "$o"
	o=$(snmpset $CLI -c public "$AGENT" IMSMON-MIB::imsFaultAcked.2 i 1 2>&1)
	echo "$o" | grep -qE 'noAccess|authorizationError|Timeout' &&
	    [ "$(get IMSMON-MIB::imsFaultAcked.2)" = false ] &&
	    ok "$mode: read-only community refused" ||
	    ko "$mode: read-only community refused" "$o"
	o=$(s IMSMON-MIB::imsFaultAcked.2 i 1 IMSMON-MIB::imsFaultAction.2 i 9)
	[ "$(get IMSMON-MIB::imsFaultAcked.2)" = false ] &&
	    echo "$o" | grep -q wrongValue &&
	    ok "$mode: a bad varbind changes nothing" ||
	    ko "$mode: a bad varbind changes nothing" "$o"
	o=$(s IMSMON-MIB::imsFaultAcked.3 i 1 IMSMON-MIB::imsFaultAction.3 i 2)
	wait_for 5 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsFaultState.3)\" = cleared ]" &&
	    [ "$(get IMSMON-MIB::imsFaultClearReason.3)" = operator ] &&
	    [ "$(get IMSMON-MIB::imsFaultAcked.3)" = true ] &&
	    ok "$mode: clear by SET" || ko "$mode: clear by SET" "$o"
	wait_for 5 sh -c "tail -n +$TOFF '$T/traps.log' | grep imsFaultCleared | grep -q 'imsFaultClearReason.3 = INTEGER: operator'" &&
	    ok "$mode: cleared trap, reason operator" ||
	    ko "$mode: cleared trap, reason operator" "$(traps | tail -3)"
	[ "$(get IMSMON-MIB::imsFaultAction.3)" = noop ] &&
	    ok "$mode: imsFaultAction reads noop" || ko "$mode: imsFaultAction reads noop"

	# Recovery: the IMS of EXCH154 is seen running again.
	lg -d -P "$sport" -- "$(printf 'MSWinEventLog\t3\tSystem\t5000\tTue Mar 14 10:40:00 2000\t7036\tService Control Manager\tN/A\tN/A\tInformation\tEXCH154\tNone\t\tThe Microsoft Exchange Internet Mail Service service entered the running state.\t5000')"
	wait_for 5 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT 'IMSMON-MIB::imsServerStatus.\"exch154\"')\" = running ]" &&
	    ok "$mode: status running after 7036" ||
	    ko "$mode: status running after 7036" "$(get 'IMSMON-MIB::imsServerStatus."exch154"')"
	wait_for 5 sh -c "tail -n +$TOFF '$T/traps.log' | grep imsFaultCleared | grep -q 'INTEGER: recovered'" &&
	    ok "$mode: cleared trap, reason recovered" ||
	    ko "$mode: cleared trap, reason recovered" "$(traps | tail -3)"

	# Nagios polls a server's IMS status: running(2) is OK, else CRITICAL.
	oid_of() { snmptranslate -On "IMSMON-MIB::imsServerStatus.\"$1\""; }
	o=$("$CHECK_SNMP" -H 127.0.0.1 -p "${AGENT##*:}" -P 2c -C public \
	    -o "$(oid_of exch306)" -c 2:2 -l IMS 2>&1)
	rc=$?
	[ $rc -eq 2 ] && ok "$mode: check_snmp CRITICAL for exch306" ||
	    ko "$mode: check_snmp CRITICAL for exch306 (rc $rc)" "$o"
	o=$("$CHECK_SNMP" -H 127.0.0.1 -p "${AGENT##*:}" -P 2c -C public \
	    -o "$(oid_of exch154)" -c 2:2 -l IMS 2>&1)
	rc=$?
	[ $rc -eq 0 ] && ok "$mode: check_snmp OK for exch154" ||
	    ko "$mode: check_snmp OK for exch154 (rc $rc)" "$o"
}

scenario subagent "$SYSLOG" "$RELAY"

# The master restarts: the subagent comes back by itself.
kill "$(cat "$T/snmpd.pid")"
sleep 0.5
start_snmpd
wait_for 15 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsAgentOpenFaults.0)\" = '3 faults' ]" &&
    ok "subagent back after a master restart" ||
    ko "subagent back after a master restart" "$(tail -5 "$T/imsmond.log")"

# SIGHUP reloads the KB: a bad one is refused and visible in the MIB, the
# one in use stays; a good one is taken.
n0=$(get IMSMON-MIB::imsAgentKbArticles.0)
printf 'article Q1\ntitle T\nseverity loud\n' >"$T/kb/Q1.kb"
kill -HUP "$(cat "$T/imsmond.pid")"
wait_for 10 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsAgentKbReloadResult.0)\" = failed ]" &&
    get IMSMON-MIB::imsAgentKbReloadMessage.0 | grep -q "Q1.kb:3:" &&
    [ "$(get IMSMON-MIB::imsAgentKbArticles.0)" = "$n0" ] &&
    [ "$(get IMSMON-MIB::imsAgentOpenFaults.0)" = "3 faults" ] &&
    ok "bad KB on SIGHUP refused, reported in the MIB, old KB kept" ||
    ko "bad KB on SIGHUP" "$(get IMSMON-MIB::imsAgentKbReloadResult.0 IMSMON-MIB::imsAgentKbReloadMessage.0; tail -3 "$T/imsmond.log")"
rm -f "$T/kb/Q1.kb"
kill -HUP "$(cat "$T/imsmond.pid")"
wait_for 10 sh -c "[ \"\$(snmpget $CLI -c public -Ov -Oq $AGENT IMSMON-MIB::imsAgentKbReloadResult.0)\" = ok ]" &&
    [ "$(get IMSMON-MIB::imsAgentOpenFaults.0)" = "3 faults" ] &&
    ok "good KB on SIGHUP taken, open faults kept" ||
    ko "good KB on SIGHUP" "$(get IMSMON-MIB::imsAgentKbReloadResult.0 IMSMON-MIB::imsAgentKbReloadMessage.0)"

# Bad configuration stops startup, naming file, line and problem.
printf 'kbDir %s\ncorrelationWindow soon\n' "$ROOT/kb" >"$T/bad.conf"
o=$(SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/bad.conf" \
    -M "udp:127.0.0.1:$MSNMP" 2>&1)
rc=$?
[ $rc -ne 0 ] && echo "$o" | grep -q "bad.conf: line 2: .*correlationWindow" &&
    ok "bad config refused with file:line" ||
    ko "bad config refused with file:line (rc $rc)" "$o"

# --- master mode: no snmpd at all --------------------------------------
kill $(cat "$T/imsmond.pid") "$(cat "$T/snmpd.pid")" 2>/dev/null
cat >"$T/imsmond-m.conf" <<EOF
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
trap2sink 127.0.0.1:$TRAP public
syslogListen udp:127.0.0.1:$MSYSLOG
syslogListen tcp:127.0.0.1:$MSYSLOG
kbDir $ROOT/kb
stateDir $T/state-m
EOF
TOFF=$(($(wc -l <"$T/traps.log") + 1))
SNMP_PERSISTENT_DIR="$T/p-imsm" "$IMSMOND" -f -C -c "$T/imsmond-m.conf" \
    -M "udp:127.0.0.1:$MSNMP" -p "$T/imsmond-m.pid" >"$T/imsmond-m.log" 2>&1 &
PIDS="$PIDS $!"
AGENT="udp:127.0.0.1:$MSNMP"
wait_for 10 sh -c "snmpget $CLI -c public $AGENT IMSMON-MIB::imsAgentVersion.0 | grep -q imsmond" &&
    ok "master mode up" || ko "master mode up" "$(cat "$T/imsmond-m.log")"
scenario master "$MSYSLOG" -

# Clean shutdown, and nothing from the sanitizers in an ASan build.
kill "$(cat "$T/imsmond-m.pid")" 2>/dev/null
wait_for 10 sh -c "! kill -0 $(cat "$T/imsmond-m.pid" 2>/dev/null || echo 0) 2>/dev/null"
grep -q 'imsmond stopping' "$T/imsmond-m.log" && ok "master mode stops on SIGTERM" ||
    ko "master mode stops on SIGTERM" "$(tail -5 "$T/imsmond-m.log")"
bad=$(grep -hE 'Sanitizer|runtime error|free\(\)|double free' \
    "$T/imsmond.log" "$T/imsmond-m.log")
[ -z "$bad" ] && ok "no memory errors in imsmond logs" ||
    ko "no memory errors in imsmond logs" "$bad"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
