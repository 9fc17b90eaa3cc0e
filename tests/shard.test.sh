#!/bin/sh
# Scale-out: one rsyslog relay configured with packaging/rsyslog-shard.conf
# shards 12 Exchange servers by host name over two imsmond instances (each
# its own SNMP agent, on loopback high ports).  Every server's fault must
# be in exactly one instance, both instances must get some, and each must
# be diagnosed (all three of a server's events reached the same instance).
B=${B:-build}
. tests/lib.sh
lib_need snmpbulkwalk snmpget perl rsyslogd
lib_agent_env
[ -e /usr/lib/x86_64-linux-gnu/rsyslog/fmhash.so ] ||
    ls /usr/lib/*/rsyslog/fmhash.so >/dev/null 2>&1 ||
    skip "rsyslog's fmhash module not installed"
lib_tmpdir imss
lib_ports 60
RELAY=$BASE S0=$((BASE + 1)) S1=$((BASE + 2)) A0=$((BASE + 3)) A1=$((BASE + 4))
mkdir -p "$T/rs" "$T/p0" "$T/p1" "$T/p-cli"
export MIBS= SNMP_PERSISTENT_DIR="$T/p-cli"

for i in 0 1; do
	eval "sp=\$S$i ap=\$A$i"
	printf 'rocommunity public 127.0.0.1\nsyslogListen tcp:127.0.0.1:%s\nkbDir %s/kb\nstateDir %s\n' \
	    "$sp" "$ROOT" "$T/state$i" >"$T/imsmond$i.conf"
	SNMP_PERSISTENT_DIR="$T/p$i" "$IMSMOND" -f -C -c "$T/imsmond$i.conf" \
	    -M "udp:127.0.0.1:$ap" -p "$T/imsmond$i.pid" >"$T/imsmond$i.log" 2>&1 &
	PIDS="$PIDS $!"
done
{
	echo "global(workDirectory=\"$T/rs\")"
	sed -e "s|port=\"514\"|address=\"127.0.0.1\" port=\"$RELAY\"|" \
	    -e "s|target=\"192.0.2.21\" port=\"5514\"|target=\"127.0.0.1\" port=\"$S0\"|" \
	    -e "s|target=\"192.0.2.22\" port=\"5514\"|target=\"127.0.0.1\" port=\"$S1\"|" \
	    packaging/rsyslog-shard.conf
} >"$T/rsyslog.conf"
"$RSYSLOGD" -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" >"$T/rsyslog.out" 2>&1 &
PIDS="$PIDS $!"
up() { snmpget -v2c -c public -t 1 -r 0 "udp:127.0.0.1:$1" .1.3.6.1.4.1.32473.1.1.1.0 >/dev/null 2>&1; }
wait_for 10 up "$A0" && wait_for 10 up "$A1" && ok "two imsmond instances up" ||
    ko "two imsmond instances up" "$(cat "$T"/imsmond*.log)"
wait_for 10 in_use "$RELAY" && ok "rsyslog shard relay up" ||
    ko "rsyslog shard relay up" "$(cat "$T/rsyslog.out")"

# 12 servers, each with the Q306308 events, an RFC 3164 header naming it
# (upper case, some as FQDN) as the forwarders write.
sh tests/fixtures/seed-events.sh | grep -P '\tEXCH306\t' >"$T/one"
HOSTS="EXCH01 EXCH02 exch03.corp.example EXCH04 EXCH05 MAILGW EXCH07 \
    exch08 EXCH09 IMS10 EXCH11.corp.example EXCH12"
for h in $HOSTS; do
	n=$(echo "$h" | cut -d. -f1 | tr a-z A-Z)
	sed -e "s/\tEXCH306\t/\t$n\t/g" -e "s/(EXCH306)/($n)/g" \
	    -e "s/^/<14>Mar 14 10:15:01 $h /" "$T/one"
done >"$T/events"
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$ARGV[0]",
	    Proto => "udp") or die "socket: $!";
	open(my $f, "<", $ARGV[1]) or die;
	while (<$f>) { chomp; $s->send($_); select(undef, undef, undef, 0.01) }
' "$RELAY" "$T/events" && ok "sent $(wc -l <"$T/events") records through the relay" ||
    ko "records sent"

faults() {	# AGENT-PORT: servers with a fault, one a line
	snmpbulkwalk -v2c -c public -Oqv "udp:127.0.0.1:$1" \
	    .1.3.6.1.4.1.32473.1.4.1.2 2>/dev/null | tr -d '"' | grep -v 'No Such' | sort
}
total() { [ $(($(faults "$A0" | wc -l) + $(faults "$A1" | wc -l))) -ge 12 ]; }
wait_for 20 total
faults "$A0" >"$T/f0"
faults "$A1" >"$T/f1"
n0=$(wc -l <"$T/f0") n1=$(wc -l <"$T/f1")
[ $((n0 + n1)) -eq 12 ] && ok "12 faults in all ($n0 + $n1)" ||
    ko "12 faults in all ($n0 + $n1)" "$(cat "$T/f0" "$T/f1")"
[ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && ok "both instances have servers" ||
    ko "both instances have servers" "$n0 / $n1"
both=$(comm -12 "$T/f0" "$T/f1")
[ -z "$both" ] && ok "no server in both instances" ||
    ko "no server in both instances" "$both"
for h in $HOSTS; do
	n=$(echo "$h" | cut -d. -f1 | tr A-Z a-z)
	c=$(cat "$T/f0" "$T/f1" | grep -cx "$n")
	[ "$c" -eq 1 ] || ko "$n: fault in exactly one instance ($c)"
done
[ "$fail" -eq 0 ] && ok "every server's fault in exactly one instance"
# Every instance diagnosed what it got: same article everywhere.
a=$(for p in "$A0" "$A1"; do snmpbulkwalk -v2c -c public -Oqv \
    "udp:127.0.0.1:$p" .1.3.6.1.4.1.32473.1.4.1.3; done | tr -d '"' | sort -u)
[ "$a" = Q306308 ] && ok "each instance diagnosed Q306308" ||
    ko "each instance diagnosed Q306308" "$a"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
