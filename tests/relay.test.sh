#!/bin/sh
# imsmond behind real relays and transports, all on loopback high ports,
# in a temp dir, stopped by PID (imsmond as its own master agent):
#   - rsyslog receiving UDP and relaying over the unix datagram socket
#     (omuxsock): the seed events arrive intact and diagnose;
#   - syslogAllow: datagrams and connections from senders not allowed
#     are refused, counted in imsListenerTable and logged once;
#   - evtsys's TCP mode (tcp-evtsys:), records back to back, the last one
#     ended by the sender going quiet;
#   - Snare sequence gaps counted per server (imsServerSeqGaps/Lost);
#   - per-format counters (imsFormatTable);
#   - configuration mistakes in syslogAllow stop startup.
# Run from the project root with B set to the build directory.
B=${B:-build}
. tests/lib.sh

lib_need snmpget snmpwalk snmptable logger perl ss rsyslogd
lib_agent_env
lib_tmpdir imsr

# Ports: a block of 8 free ones.
lib_ports 5
base=$BASE
SNMP=$base UDP=$((base + 1)) DENYU=$((base + 2)) DENYT=$((base + 3))
EVT=$((base + 4)) ALLOWU=$((base + 5)) RELAY=$((base + 6))
SOCK=$T/imsmon.sock

mkdir -p "$T/p-cli/cert_indexes" "$T/p-ims" "$T/rs" "$T/etc"
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T/etc"
export MIBDIRS="$IETF:$ROOT/mib" MIBS="IMSMON-MIB"
CLI="-v2c -t 1 -r 1 -c public"
AGENT="udp:127.0.0.1:$SNMP"

get() { snmpget $CLI -Ov -Oq "$AGENT" "$@" 2>&1; }
num() { v=$(get "$@"); echo "${v%% *}"; }
is() {	# OBJECT VALUE: the object's value (number only) is VALUE
	[ "$(num "$1")" = "$2" ]
}
wait_is() {	# SECONDS OBJECT VALUE
	wait_for "$1" sh -c "v=\$(snmpget $CLI -Ov -Oq $AGENT '$2' 2>&1); [ \"\${v%% *}\" = '$3' ]"
}

# --- imsmond, master mode: one listener of each kind ---------------------
cat >"$T/imsmond.conf" <<EOF
rocommunity public 127.0.0.1
syslogListen unix:$SOCK
syslogListen udp:127.0.0.1:$UDP
syslogListen udp:127.0.0.1:$DENYU
syslogAllow udp:127.0.0.1:$DENYU 192.0.2.0/24
syslogAllow udp:127.0.0.1:$DENYU 2001:db8::/32 ::1
syslogListen tcp:127.0.0.1:$DENYT
syslogAllow tcp:127.0.0.1:$DENYT 10.0.0.0/8
syslogListen tcp-evtsys:127.0.0.1:$EVT
syslogListen udp:127.0.0.1:$ALLOWU
syslogAllow udp:127.0.0.1:$ALLOWU 192.0.2.1 127.0.0.1/32
kbDir $ROOT/kb
stateDir $T/state
EOF
LSAN_OPTIONS="suppressions=$ROOT/tests/lsan-netsnmp.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/imsmond.conf" \
    -M "$AGENT" -p "$T/imsmond.pid" >"$T/imsmond.log" 2>&1 &
PIDS="$PIDS $!"
wait_for 10 sh -c "snmpget $CLI $AGENT IMSMON-MIB::imsAgentVersion.0 | grep -q imsmond" &&
    ok "imsmond up with six listeners" ||
    ko "imsmond up" "$(cat "$T/imsmond.log")"
w=$(snmpwalk $CLI -Oq "$AGENT" IMSMON-MIB::imsListenerAddress 2>&1)
[ "$(echo "$w" | grep -c 'imsListenerAddress')" -eq 6 ] &&
    echo "$w" | grep -q "imsListenerAddress.5 tcp-evtsys:127.0.0.1:$EVT" &&
    echo "$w" | grep -q "imsListenerAddress.1 unix:$SOCK" &&
    ok "imsListenerTable lists the listeners" ||
    ko "imsListenerTable lists the listeners" "$w"
v=$(get IMSMON-MIB::imsListenerAllowed.3)
[ "$v" = "192.0.2.0/24 2001:db8::/32 ::1" ] &&
    ok "imsListenerAllowed: two syslogAllow lines add up" ||
    ko "imsListenerAllowed.3" "$v"
get IMSMON-MIB::imsListenerAllowed.2 | grep -q 'loopback' &&
    ok "imsListenerAllowed: loopback by default" ||
    ko "imsListenerAllowed.2" "$(get IMSMON-MIB::imsListenerAllowed.2)"

# --- rsyslog: UDP in, the unix datagram socket out (omuxsock) ----------
# omuxsock in rsyslog 8.2302 takes only its legacy directives; the record
# goes on as the forwarder wrote it (%rawmsg%), as with omfwd.
cat >"$T/rsyslog.conf" <<EOF
global(workDirectory="$T/rs")
module(load="imudp")
\$ModLoad omuxsock
template(name="imsmonRaw" type="string" string="%rawmsg%")
\$OMUxSockSocket $SOCK
input(type="imudp" address="127.0.0.1" port="$RELAY" ruleset="imsmon")
ruleset(name="imsmon") {
	:omuxsock:;imsmonRaw
}
EOF
"$RSYSLOGD" -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" >"$T/rsyslog.out" 2>&1 &
PIDS="$PIDS $!"
wait_for 10 in_use "$RELAY" && ok "rsyslog relay up (imudp -> omuxsock)" ||
    ko "rsyslog relay up" "$(cat "$T/rsyslog.out")"

sh tests/fixtures/seed-events.sh >"$T/events"
nev=$(wc -l <"$T/events")
lg() { logger --rfc5424 -t MSWinEventLog -n 127.0.0.1 -d "$@"; }
while IFS= read -r line; do
	lg -P "$RELAY" -- "$line"
	sleep 0.05
done <"$T/events"
wait_is 10 IMSMON-MIB::imsAgentOpenFaults.0 5 &&
    ok "relay: five faults open" ||
    ko "relay: five faults open" "$(get IMSMON-MIB::imsAgentOpenFaults.0; tail -5 "$T/imsmond.log"; cat "$T/rsyslog.out")"
tbl=$(snmptable $CLI -Cf '|' -CH -Ci "$AGENT" IMSMON-MIB::imsFaultTable 2>&1)
for a in EXCH306:Q306308:1023,4018,7024 EXCH173:Q173496:7024,4143 \
    EXCH183:Q183178:4071,4072,7024 EXCH246:Q246115:100,7000 \
    EXCH154:Q154589:4058,7023; do
	h=$(echo "$a" | cut -d: -f1 | tr A-Z a-z) q=$(echo "$a" | cut -d: -f2)
	e=$(echo "$a" | cut -d: -f3)
	echo "$tbl" | grep "|$h|$q|" | grep '|diagnosed|critical|' |
	    cut -d'|' -f11 | grep -qx "$e" &&
	    ok "relay: $h diagnosed $q from events $e" ||
	    ko "relay: $h $q events $e" "$tbl"
done
# Intact: every record read, as Snare, none malformed, all by the socket.
is IMSMON-MIB::imsListenerRecords.1 "$nev" &&
    is IMSMON-MIB::imsFormatRecords.snare "$nev" &&
    is IMSMON-MIB::imsStatRecordsMalformed.0 0 &&
    ok "relay: $nev records through the socket, all read as Snare" ||
    ko "relay: records intact" "$(snmpwalk $CLI "$AGENT" IMSMON-MIB::imsStats 2>&1 | grep -v ' 0')"
v=$(get 'IMSMON-MIB::imsServerDisplayName."exch306"')
[ "$v" = EXCH306 ] && ok "relay: host name from the record, not the relay" ||
    ko "relay: host name" "$v"

# --- syslogAllow ----------------------------------------------------------
for i in 1 2 3 4 5; do
	logger -d -n 127.0.0.1 -P "$DENYU" -- "<13>refused $i"
done
logger -T -n 127.0.0.1 -P "$DENYT" -- "<13>refused" >/dev/null 2>&1
logger -T -n 127.0.0.1 -P "$DENYT" -- "<13>refused" >/dev/null 2>&1
wait_is 5 IMSMON-MIB::imsListenerDeniedDatagrams.3 5 &&
    is IMSMON-MIB::imsListenerRecords.3 0 &&
    ok "allow: 5 datagrams from 127.0.0.1 refused and counted" ||
    ko "allow: datagrams refused" "$(snmpwalk $CLI "$AGENT" IMSMON-MIB::imsListenerTable 2>&1)"
wait_is 5 IMSMON-MIB::imsListenerDeniedConnections.4 2 &&
    is IMSMON-MIB::imsListenerRecords.4 0 &&
    ok "allow: 2 connections from 127.0.0.1 refused and counted" ||
    ko "allow: connections refused" "$(snmpwalk $CLI "$AGENT" IMSMON-MIB::imsListenerTable 2>&1)"
logger -d -n 127.0.0.1 -P "$ALLOWU" -- "<13>listed"
wait_is 5 IMSMON-MIB::imsListenerRecords.6 1 &&
    is IMSMON-MIB::imsListenerDeniedDatagrams.6 0 &&
    ok "allow: a listed sender is taken" ||
    ko "allow: listed sender" "$(snmpwalk $CLI "$AGENT" IMSMON-MIB::imsListenerTable 2>&1)"
# Logged at once, then rate-limited: one line for the five datagrams.
wait_for 5 grep -q "udp:127.0.0.1:$DENYU: refused" "$T/imsmond.log"
n=$(grep -c "udp:127.0.0.1:$DENYU: refused" "$T/imsmond.log")
l=$(grep "udp:127.0.0.1:$DENYU: refused" "$T/imsmond.log" | head -1)
[ "$n" -eq 1 ] && echo "$l" | grep -q 'last from 127\.0\.0\.1' &&
    ok "allow: refusals logged once, naming the sender" ||
    ko "allow: refusal log ($n lines)" "$(grep refused "$T/imsmond.log")"
grep -q "tcp:127.0.0.1:$DENYT: refused 0 datagrams and [12] connection" \
    "$T/imsmond.log" && ok "allow: refused connections logged" ||
    ko "allow: refused connections logged" "$(grep refused "$T/imsmond.log")"

# --- evtsys TCP mode: records back to back, no LF, no count -----------
# The sender keeps the connection open: the last record is ended by the
# sender going quiet, not by the end of the stream.
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
	    PeerPort => $ARGV[0], Proto => "tcp") or die "connect: $!\n";
	local $/;
	my $d = <STDIN>;
	$d =~ s/\n//g;
	print $s $d;
	$s->flush;
	sleep 6;
	close $s;' "$EVT" <tests/golden/q306308.evtsys.log >"$T/perl.out" 2>&1 &
PIDS="$PIDS $!"
nevt=$(wc -l <tests/golden/q306308.evtsys.log)
wait_is 4 IMSMON-MIB::imsListenerRecords.5 "$nevt" &&
    ok "evtsys TCP: $nevt records split on <PRI>, the last one ended while the connection stays open" ||
    ko "evtsys TCP: records" "$(get IMSMON-MIB::imsListenerRecords.5; cat "$T/perl.out")"
is IMSMON-MIB::imsFormatRecords.evtsys "$nevt" &&
    ok "evtsys TCP: all read as evtsys" ||
    ko "evtsys TCP: format" "$(get IMSMON-MIB::imsFormatRecords.evtsys)"
tbl=$(snmptable $CLI -Cf '|' -CH -Ci "$AGENT" IMSMON-MIB::imsFaultTable 2>&1)
echo "$tbl" | grep '|exchsrv1|Q306308|' | grep '|diagnosed|' | cut -d'|' -f11 |
    grep -qx '1023,4018,4116,7023' &&
    ok "evtsys TCP: exchsrv1 diagnosed Q306308 from all four events" ||
    ko "evtsys TCP: diagnosis" "$tbl"

# --- Snare sequence gaps ------------------------------------------------
snare() {	# SEQ ID SOURCE TYPE TEXT
	printf 'MSWinEventLog\t1\tSystem\t%s\tTue Mar 14 11:00:%02d 2000\t%s\t%s\tN/A\tN/A\t%s\tGAPHOST\tNone\t\t%s\t%s' \
	    "$1" "$(($1 % 60))" "$2" "$3" "$4" "$5" "$1"
}
running="The Microsoft Exchange Internet Mail Service service entered the running state."
# The server row comes from a record the KB knows (the IMS running);
# the records after it are noise the KB does not know, numbered with
# 4, 5 and 7 missing: two gaps, three records lost.
for s in 1 2 3 6 8 9; do
	if [ "$s" -eq 1 ]; then
		rec=$(snare "$s" 7036 "Service Control Manager" Information "$running")
	else
		rec=$(snare "$s" 7036 "Service Control Manager" Information \
		    "The Print Spooler service entered the running state.")
	fi
	lg -P "$UDP" -- "$rec"
	sleep 0.05
done
wait_is 5 'IMSMON-MIB::imsServerSeqLost."gaphost"' 3 &&
    is 'IMSMON-MIB::imsServerSeqGaps."gaphost"' 2 &&
    ok "Snare: 2 gaps, 3 records lost, counted for gaphost" ||
    ko "Snare: gaps" "$(snmpwalk $CLI "$AGENT" IMSMON-MIB::imsServerTable 2>&1 | grep -i 'gaphost')"
is 'IMSMON-MIB::imsServerSeqGaps."exch306"' 0 &&
    ok "Snare: no gap for exch306 (records in order)" ||
    ko "Snare: exch306 gaps" "$(get 'IMSMON-MIB::imsServerSeqGaps."exch306"')"

# --- configuration mistakes stop startup -------------------------------
bad() {	# NAME WANT-IN-LOG CONFIG-LINES...
	name=$1 want=$2
	shift 2
	printf '%s\n' "kbDir $ROOT/kb" "syslogListen udp:127.0.0.1:0" "$@" \
	    "stateDir $T/state-bad" \
	    >"$T/bad.conf"
	o=$(SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/bad.conf" \
	    -M udp:127.0.0.1:0 2>&1)
	rc=$?
	[ $rc -ne 0 ] && echo "$o" | grep -q -- "$want" &&
	    ok "bad config: $name" || ko "bad config: $name (rc $rc)" "$o"
}
bad "range" "bad.conf: line 3: .*syslogAllow: want an address or range" \
    "syslogAllow udp:127.0.0.1:0 300.1.1.1/8"
bad "prefix" "bad.conf: line 3: .*syslogAllow: want an address or range" \
    "syslogAllow udp:127.0.0.1:0 10.0.0.0/33"
bad "no ranges" "bad.conf: line 3: .*syslogAllow: no addresses" \
    "syslogAllow udp:127.0.0.1:0"
bad "unix socket" "bad.conf: line 3: .*syslogAllow: a unix socket" \
    "syslogAllow unix:/tmp/x 127.0.0.1"
bad "unknown listener" "syslogAllow udp:127.0.0.1:9: no syslogListen" \
    "syslogAllow udp:127.0.0.1:9 127.0.0.1"
bad "listener syntax" "bad.conf: line 3: .*syslogListen: want" \
    "syslogListen evtsys:127.0.0.1:9"
bad "listener address" "syslogListen tcp-evtsys:localhost:9: bad address" \
    "syslogListen tcp-evtsys:localhost:9"

# --- clean shutdown, nothing from the sanitizers -----------------------
kill "$(cat "$T/imsmond.pid")" 2>/dev/null
wait_for 10 sh -c "! kill -0 $(cat "$T/imsmond.pid" 2>/dev/null || echo 0) 2>/dev/null"
grep -q 'imsmond stopping' "$T/imsmond.log" && ok "imsmond stops on SIGTERM" ||
    ko "imsmond stops on SIGTERM" "$(tail -5 "$T/imsmond.log")"
[ ! -e "$SOCK" ] && ok "unix socket removed at exit" ||
    ko "unix socket removed at exit"
bad=$(grep -hE 'Sanitizer|runtime error|free\(\)|double free' "$T/imsmond.log")
[ -z "$bad" ] && ok "no memory errors in the imsmond log" ||
    ko "no memory errors in the imsmond log" "$bad"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
