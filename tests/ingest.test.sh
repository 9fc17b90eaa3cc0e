#!/bin/sh
# Records as real senders make them, through imsmond (its own master
# agent) on loopback high ports, in a temp dir, stopped by PID:
#   - records with no host name (evtsys 3.x and 4.0) over UDP: attributed
#     to the sender's address, or to the name syslogHostName gives it;
#   - a sender's local clock (syslogTimeZone per listener) read into UTC
#     in imsFaultFirstSeen;
#   - evtsys's TCP mode with "<13>" inside a description: not split;
#   - an octet-counted record whose description holds CR LF: one record;
#   - hostile senders: idle connections cannot hold every slot (a limit
#     per sender, and a short wait for the first whole record), too long
#     records and bad framing are dropped; each counted per sender in
#     imsSenderTable and logged once.
# Raw datagrams and streams come from perl, bound to 127.0.0.2 and
# 127.0.0.3 to play two senders.  Run from the project root with B set.
B=${B:-build}
. tests/lib.sh

lib_need snmpget snmpwalk snmptable perl ss
lib_agent_env
lib_tmpdir imsi

lib_ports 7
base=$BASE
SNMP=$base U1=$((base + 1)) U2=$((base + 2)) EVT=$((base + 3))
TCP=$((base + 4))

mkdir -p "$T/p-cli/cert_indexes" "$T/p-ims" "$T/etc"
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T/etc"
export MIBDIRS="$IETF:$ROOT/mib" MIBS="IMSMON-MIB"
CLI="-v2c -t 1 -r 1 -c public"
AGENT="udp:127.0.0.1:$SNMP"

get() { snmpget $CLI -Ov -Oq "$AGENT" "$@" 2>&1; }
faults() { snmptable $CLI -Cf '|' -CH -Ci "$AGENT" IMSMON-MIB::imsFaultTable 2>&1; }
wait_is() {	# SECONDS OBJECT VALUE: its value (number only) is VALUE
	wait_for "$1" sh -c "v=\$(snmpget $CLI -Ov -Oq $AGENT '$2' 2>&1); [ \"\${v%% *}\" = '$3' ]"
}
wait_fault() {	# SECONDS PATTERN: a fault table row matches
	wait_for "$1" sh -c "snmptable $CLI -Cf '|' -CH -Ci $AGENT IMSMON-MIB::imsFaultTable 2>&1 | grep -q '$2'"
}
# send PROTO FROM PORT: stdin's lines, one datagram each (udp), or as
# one stream with nothing between them (tcp), or each ended by LF (lf),
# or as octet-counted frames with "\n" in a line turned into CR LF
# (octet).
send() {
	perl -MIO::Socket::INET -e '
	my ($proto, $from, $port) = @ARGV;
	my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
	    PeerPort => $port, LocalAddr => $from,
	    Proto => $proto eq "udp" ? "udp" : "tcp") or die "socket: $!\n";
	$s->autoflush(1);
	while (my $l = <STDIN>) {
		chomp $l;
		if ($proto eq "udp") { $s->send($l); }
		elsif ($proto eq "tcp") { print $s $l; }
		elsif ($proto eq "lf") { print $s "$l\n"; }
		else { $l =~ s/\\n/\r\n/g; print $s length($l) . " " . $l; }
		$s->flush;
	}
	sleep 3 if $proto eq "tcp";	# quiet: ends the last record
	close $s;' "$@"
}

cat >"$T/imsmond.conf" <<EOF
rocommunity public 127.0.0.1
syslogListen udp:127.0.0.1:$U1
syslogListen udp:127.0.0.1:$U2
syslogListen tcp-evtsys:127.0.0.1:$EVT
syslogListen tcp:127.0.0.1:$TCP
syslogTimeZone UTC
syslogTimeZone udp:127.0.0.1:$U1 Europe/Berlin
syslogHostName 127.0.0.3 EXCH3
maxConnections 6
maxConnectionsPerSender 2
tcpFirstRecordTimeout 3
kbDir $ROOT/kb
stateDir $T/state
EOF
LSAN_OPTIONS="suppressions=$ROOT/tests/lsan-netsnmp.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/imsmond.conf" \
    -M "$AGENT" -p "$T/imsmond.pid" >"$T/imsmond.log" 2>&1 &
PIDS="$PIDS $!"
wait_for 10 sh -c "snmpget $CLI $AGENT IMSMON-MIB::imsAgentVersion.0 | grep -q imsmond" &&
    ok "imsmond up with four listeners" ||
    ko "imsmond up" "$(cat "$T/imsmond.log")"
grep -q "senders' clocks read in UTC" "$T/imsmond.log" &&
    ok "the default zone is logged" ||
    ko "the default zone is logged" "$(cat "$T/imsmond.log")"

# --- records with no host name ------------------------------------------
E4143="The IMS service account has no administrator rights; SSL support requires an administrator account. "
E7023="The Microsoft Exchange Internet Mail Service service terminated with the following error: (Error 2140) "
printf '%s\n' "<27>MSExchangeIMC: 4143: $E4143" \
    "<27>Service_Control_Manager: 7023: $E7023" | send udp 127.0.0.2 "$U2"
wait_fault 5 '|127.0.0.2|Q173496|' &&
    ok "evtsys 3.x, no host: the sender's address is the server" ||
    ko "evtsys 3.x, no host" "$(faults; tail -5 "$T/imsmond.log")"
printf '%s\n' "<27>Mar 14 10:15:00 MSExchangeIMC: 4143: $E4143" \
    "<27>Mar 14 10:15:01 Service_Control_Manager: 7023: $E7023" |
    send udp 127.0.0.3 "$U2"
wait_fault 5 '|exch3|Q173496|' &&
    ok "evtsys 4.0, no host: the name syslogHostName gives the address" ||
    ko "evtsys 4.0, syslogHostName" "$(faults)"
faults | grep -q '|127.0.0.3|' &&
    ko "syslogHostName: no row for the bare address" "$(faults)" ||
    ok "syslogHostName: no row for the bare address"

# --- the sender's clock, per listener -----------------------------------
sn() {	# HOST ID SOURCE LOG TEXT: a Snare record stamped 10:15:0x local
	printf '<13>Mar 14 10:15:00 %s MSWinEventLog\t1\t%s\t201\tTue Mar 14 10:15:0%s 2000\t%s\t%s\tN/A\tN/A\tError\t%s\tNone\t\t%s\t4726\n' \
	    "$1" "$4" "$(($2 % 10))" "$2" "$3" "$1" "$5"
}
{ sn TZHOST 4143 MSExchangeIMC Application "$E4143"
  sn TZHOST 7023 "Service Control Manager" System "$E7023"; } |
    send udp 127.0.0.1 "$U1"
wait_fault 5 '|tzhost|Q173496|' && faults | grep '|tzhost|Q173496|' |
    grep -q '|2000-3-14,9:15:3.0,+0:0|' &&
    ok "Europe/Berlin listener: 10:15 local is 9:15 UTC in imsFaultFirstSeen" ||
    ko "Europe/Berlin listener" "$(faults | grep -i tzhost)"

# --- evtsys TCP: "<13>" inside a description ------------------------------
printf '%s\n' \
    "<27>Mar 14 10:15:00 EVTHOST MSExchangeIMC: 4143: $E4143 See <13>Mar 14 in the log and <14>Sev 3 too. " \
    "<27>Mar 14 10:15:01 EVTHOST Service_Control_Manager: 7023: $E7023" |
    send tcp 127.0.0.1 "$EVT" &
PIDS="$PIDS $!"
wait_is 8 IMSMON-MIB::imsListenerRecords.3 2 &&
    ok "evtsys TCP: '<13>' in a description does not split it (2 records)" ||
    ko "evtsys TCP: records" "$(get IMSMON-MIB::imsListenerRecords.3)"
wait_fault 3 '|evthost|Q173496|' &&
    ok "evtsys TCP: both records diagnose Q173496" ||
    ko "evtsys TCP: diagnosis" "$(faults)"

# --- octet counting, CR LF inside the description -------------------------
{ printf '<13>Mar 14 10:15:00 MLHOST MSWinEventLog\t1\tApplication\t201\tTue Mar 14 10:15:00 2000\t4143\tMSExchangeIMC\tN/A\tN/A\tError\tMLHOST\tNone\t\tThe IMS service account has no administrator rights;\\nSSL support requires an administrator account.\\n\t4726\n'
  sn MLHOST 7023 "Service Control Manager" System "$E7023"; } |
    send octet 127.0.0.1 "$TCP"
wait_is 5 IMSMON-MIB::imsListenerRecords.4 2 &&
    ok "octet counting: a description with CR LF is one record" ||
    ko "octet counting: records" "$(get IMSMON-MIB::imsListenerRecords.4)"
wait_fault 3 '|mlhost|Q173496|' &&
    ok "octet counting: the multi-line record parses and diagnoses" ||
    ko "octet counting: diagnosis" "$(faults)"
v=$(get IMSMON-MIB::imsStatRecordsMalformed.0)
[ "${v%% *}" = 0 ] && ok "nothing counted malformed" ||
    ko "nothing counted malformed" "$v"

# --- hostile senders -------------------------------------------------------
# 127.0.0.5 opens three connections and sends nothing: the third is
# refused at once (two a sender), the other two are closed when they
# have sent no whole record in 3 s; meanwhile 127.0.0.6 gets in and is
# diagnosed.
perl -MIO::Socket::INET -e '
	my @s;
	for (1 .. 3) {
		push @s, IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $ARGV[0], LocalAddr => "127.0.0.5",
		    Proto => "tcp");
	}
	sleep 8;' "$TCP" >/dev/null 2>&1 &
PIDS="$PIDS $!"
sleep 1
{ sn REALHOST 4143 MSExchangeIMC Application "$E4143"
  sn REALHOST 7023 "Service Control Manager" System "$E7023"; } |
    send octet 127.0.0.6 "$TCP"
wait_fault 5 '|realhost|Q173496|' &&
    ok "a real sender gets in while another holds idle connections" ||
    ko "a real sender gets in" "$(faults)"
wait_for 8 grep -q "closed with no whole record within tcpFirstRecordTimeout, the last from 127.0.0.5" "$T/imsmond.log" &&
    ok "idle connections closed after tcpFirstRecordTimeout, logged" ||
    ko "idle connections closed" "$(grep syslog: "$T/imsmond.log")"
grep -q "TCP connections refused (maxConnections or maxConnectionsPerSender), the last from 127.0.0.5" "$T/imsmond.log" &&
    ok "the third connection of one sender refused, logged" ||
    ko "per-sender limit logged" "$(grep syslog: "$T/imsmond.log")"
v=$(get IMSMON-MIB::imsSenderConnectionsRefused.0)
[ "${v%% *}" = 3 ] && ok "imsSenderConnectionsRefused: 1 refused + 2 closed" ||
    ko "imsSenderConnectionsRefused" "$v"
# A record over the 64 KiB limit, then bad framing, from 127.0.0.7.
perl -e 'print "<13>", "A" x 70000, "\n", "<13>Mar 14 10:15:00 H S: 1: ok\n"' |
    send lf 127.0.0.7 "$TCP" >/dev/null 2>&1
printf '12x garbage\n' | send lf 127.0.0.8 "$TCP" >/dev/null 2>&1
wait_for 5 grep -q "records dropped for being too long, the last from 127.0.0.7" "$T/imsmond.log" &&
    ok "a too long record dropped, logged naming its sender" ||
    ko "too long record logged" "$(grep syslog: "$T/imsmond.log")"
wait_for 5 grep -q "closed for bad framing, the last from 127.0.0.8" "$T/imsmond.log" &&
    ok "bad framing logged naming its sender" ||
    ko "bad framing logged" "$(grep syslog: "$T/imsmond.log")"
tbl=$(snmptable $CLI -OU -Cf '|' -CH "$AGENT" IMSMON-MIB::imsSenderTable 2>&1)
echo "$tbl" | grep -q '^127.0.0.5|0|0|0|2|3|0|' &&
    ok "imsSenderTable: the idle sender, 2 accepted, 3 refused or cut" ||
    ko "imsSenderTable: 127.0.0.5" "$tbl"
echo "$tbl" | grep -q '^127.0.0.7|1|[0-9]*|1|1|0|' &&
    ok "imsSenderTable: one record dropped, one handed on for 127.0.0.7" ||
    ko "imsSenderTable: 127.0.0.7" "$tbl"
echo "$tbl" | grep -q '^127.0.0.2|2|263|0|0|0|0|2[0-9]*-' &&
    ok "imsSenderTable: the UDP sender's two records" ||
    ko "imsSenderTable: 127.0.0.2" "$tbl"
v=$(get IMSMON-MIB::imsStatRecordsDropped.0)
[ "${v%% *}" = 2 ] && ok "imsStatRecordsDropped: the 2 records, no connections" ||
    ko "imsStatRecordsDropped" "$v"

# --- configuration mistakes stop startup ---------------------------------
bad() {	# NAME WANT-IN-LOG CONFIG-LINES...
	name=$1 want=$2
	shift 2
	printf '%s\n' "kbDir $ROOT/kb" "syslogListen udp:127.0.0.1:0" "$@" \
	    "stateDir $T/state-bad" >"$T/bad.conf"
	o=$(SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/bad.conf" \
	    -M udp:127.0.0.1:0 2>&1)
	rc=$?
	[ $rc -ne 0 ] && echo "$o" | grep -q -- "$want" &&
	    ok "bad config: $name" || ko "bad config: $name (rc $rc)" "$o"
}
bad "zone name" "bad.conf: line 3: .*syslogTimeZone: Mars/Olympus" \
    "syslogTimeZone Mars/Olympus"
bad "zone listener" "syslogTimeZone udp:127.0.0.1:9: no syslogListen" \
    "syslogTimeZone udp:127.0.0.1:9 UTC"
bad "host name address" "bad.conf: line 3: .*syslogHostName: want a numeric" \
    "syslogHostName exch3 EXCH3"

kill "$(cat "$T/imsmond.pid")" 2>/dev/null
wait_for 10 sh -c "! kill -0 $(cat "$T/imsmond.pid" 2>/dev/null || echo 0) 2>/dev/null"
bad=$(grep -hE 'Sanitizer|runtime error|free\(\)|double free' "$T/imsmond.log")
[ -z "$bad" ] && ok "no memory errors in the imsmond log" ||
    ko "no memory errors in the imsmond log" "$bad"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
