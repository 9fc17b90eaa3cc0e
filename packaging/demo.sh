#!/bin/sh
# make demo: imsmond as its own master agent on loopback, a demo stream of
# forwarded Windows events covering the five seed KB articles sent over
# real syslog UDP, then the server and fault tables and the notifications
# received.  Everything runs in a temp dir and is stopped by PID.
# Environment: B (build dir, default build), IETF_MIBS (default
# build/ietf-mibs).
B=${B:-build}
IETF=${IETF_MIBS:-build/ietf-mibs}
for t in snmptrapd snmptable snmpget logger; do
	command -v $t >/dev/null 2>&1 || {
		echo "demo: $t not found: run make deps" >&2
		exit 1
	}
done
[ -x "$B/imsmond" ] || { echo "demo: $B/imsmond not built" >&2; exit 1; }
sh mib/fetch-ietf.sh "$IETF" >/dev/null || exit 1

ROOT=$(pwd)
IETF=$(cd "$IETF" && pwd)
T=$(mktemp -d /tmp/imsdemo.XXXXXX)
stop() {
	for f in "$T"/*.pid; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	sleep 0.5
	rm -rf "$T"
}
trap stop EXIT
trap 'exit 1' INT TERM HUP

free() { ! ss -Hlntu 2>/dev/null | awk '{print $5}' | grep -q ":$1\$"; }
base=$((30000 + ($$ % 3000) * 10))
until free $base && free $((base + 1)) && free $((base + 2)); do
	base=$((base + 10))
done
SNMP=$base TRAP=$((base + 1)) SYSLOG=$((base + 2))
mkdir -p "$T/p-ims" "$T/p-trapd" "$T/p-cli/cert_indexes"
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T"
export MIBDIRS="$IETF:$ROOT/mib" MIBS="IMSMON-MIB"

echo "== imsmond: master agent on udp:127.0.0.1:$SNMP, syslog on udp:127.0.0.1:$SYSLOG"
echo "authCommunity log public" >"$T/trapd.conf"
SNMP_PERSISTENT_DIR="$T/p-trapd" MIBS="SNMPv2-MIB:IMSMON-MIB" \
    snmptrapd -f -C -c "$T/trapd.conf" -Lf "$T/traps.log" \
    -F "%v\n" -p "$T/trapd.pid" "udp:127.0.0.1:$TRAP" >/dev/null 2>&1 &
cat >"$T/imsmond.conf" <<EOF
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
trap2sink 127.0.0.1:$TRAP public
syslogListen udp:127.0.0.1:$SYSLOG
kbDir $ROOT/kb
stateDir $T/state
EOF
SNMP_PERSISTENT_DIR="$T/p-ims" "$B/imsmond" -f -C -c "$T/imsmond.conf" \
    -M "udp:127.0.0.1:$SNMP" -p "$T/imsmond.pid" >"$T/imsmond.log" 2>&1 &
n=50
until snmpget -v2c -c public -t 0.3 -r 0 "udp:127.0.0.1:$SNMP" \
    IMSMON-MIB::imsAgentVersion.0 >/dev/null 2>&1; do
	n=$((n - 1))
	if [ $n -le 0 ]; then
		echo "demo: imsmond did not start:" >&2
		cat "$T/imsmond.log" >&2
		exit 1
	fi
	sleep 0.2
done
sleep 0.5	# snmptrapd

echo "== replaying the demo event stream (Snare records over syslog UDP)"
sh tests/fixtures/seed-events.sh | while IFS= read -r line; do
	printf '   %s\n' "$(echo "$line" | cut -f 11,6,7 | tr '\t' ' ')"
	logger --rfc5424 -t MSWinEventLog -d -n 127.0.0.1 -P "$SYSLOG" -- "$line"
	sleep 0.2
done
sleep 1

A="-v2c -c public udp:127.0.0.1:$SNMP"
echo
# snmptable -Cf '|' then a few columns, so the tables fit a terminal.
cols() {	# TABLE FIELD...
	tbl=$1
	shift
	snmptable $A -Cb -Ci -Cf '|' "IMSMON-MIB::$tbl" 2>&1 |
	    awk -F '|' -v f="$*" 'NF < 2 { next }
		{ n = split(f, c, " "); line = ""
		  for (i = 1; i < n; i++)
			line = line sprintf("%-19s ", substr($c[i], 1, 19))
		  print line substr($c[n], 1, 60) }'
}
echo "== servers (snmptable IMSMON-MIB::imsServerTable, some columns)"
cols imsServerTable 1 3 5 11 13 12
echo
echo "== faults (snmptable IMSMON-MIB::imsFaultTable, some columns)"
cols imsFaultTable 1 2 3 5 7 11 4
echo
echo "== what to do: the KB article of fault 1 (IMSMON-MIB::imsKbTable)"
art=$(snmpget $A -Oqv IMSMON-MIB::imsFaultArticle.1 2>/dev/null)
snmpget $A -Oqv "IMSMON-MIB::imsKbTitle.\"$art\"" \
    "IMSMON-MIB::imsKbResolution.\"$art\"" 2>&1 | fold -s -w 100
echo
echo "== notifications received by snmptrapd"
grep -v '^NET-SNMP\|^Created' "$T/traps.log" | grep 'IMSMON-MIB' |
    sed -e 's/SNMPv2-MIB::sysUpTime.0 = [^	]*	//' \
	-e 's/SNMPv2-MIB::snmpTrapOID.0 = OID: IMSMON-MIB:://' \
	-e 's/IMSMON-MIB:://g' | tr '\t' ' ' | cut -c1-220
echo
echo "== done; everything the demo started is stopped"
