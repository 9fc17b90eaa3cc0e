#!/bin/sh
# check: once
# IMSMON-MIB: smilint -l 6 prints nothing (smilint exits 0 even on errors,
# so the check reads its output), and snmptranslate resolves the objects
# the agent serves to the OIDs it serves them at.
# Run from the project root; the IETF base MIBs come from mib/fetch-ietf.sh.
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; [ -z "${2:-}" ] || echo "$2" | sed 's/^/    /'; }

for t in smilint snmptranslate; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "SKIP: $t not installed (make deps)"
		echo "0 passed, 0 failed"
		exit 0
	fi
done
IETF=${IETF_MIBS:-build/ietf-mibs}
if ! sh mib/fetch-ietf.sh "$IETF" >/dev/null 2>&1; then
	echo "SKIP: IETF base MIBs unavailable (npm missing? run make deps)"
	echo "0 passed, 0 failed"
	exit 0
fi
T=$(mktemp -d /tmp/imsmib.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
mkdir -p "$T/p/cert_indexes"
export SNMP_PERSISTENT_DIR="$T/p" SNMPCONFPATH="$T" MIBS=

out=$(SMIPATH="$IETF" smilint -l 6 -s mib/IMSMON-MIB.txt 2>&1)
if [ -z "$out" ]; then ok "smilint -l 6 prints nothing"; else ko "smilint -l 6" "$out"; fi

# The enterprise number appears in exactly one MIB line.
n=$(grep -c 'enterprises 32473' mib/IMSMON-MIB.txt)
[ "$n" -eq 1 ] && ok "root in one MIB line" || ko "root in one MIB line ($n)"
n=$(grep -l '32473' agent/*.c agent/*.h 2>/dev/null | wc -l)
m=$(grep -h '32473' agent/*.c agent/*.h 2>/dev/null | wc -l)
[ "$n" -le 1 ] && [ "$m" -le 1 ] && ok "root in one C line" ||
    ko "root in one C line ($m lines in $n files)"

R=.1.3.6.1.4.1.32473
tr() {
	snmptranslate -M "$IETF:mib" -m IMSMON-MIB -On "$1" 2>&1
}
chk() {
	got=$(tr "$1")
	[ "$got" = "$2" ] && ok "$1 = $2" || ko "$1" "want $2, got: $got"
}
chk IMSMON-MIB::imsAgentVersion.0 $R.1.1.1.0
chk IMSMON-MIB::imsStatRecordsReceived.0 $R.1.2.1.0
chk IMSMON-MIB::imsServerStatus $R.1.3.1.3
chk IMSMON-MIB::imsFaultAcked $R.1.4.1.16
chk IMSMON-MIB::imsFaultAction $R.1.4.1.17
chk IMSMON-MIB::imsCandidateArticle $R.1.5.1.2
chk IMSMON-MIB::imsKbResolution $R.1.6.1.7
chk IMSMON-MIB::imsFaultDiagnosed $R.0.1
chk IMSMON-MIB::imsServerStatusChange $R.0.5
chk IMSMON-MIB::imsServerSilent $R.0.6
chk IMSMON-MIB::imsStateStatus $R.1.7.1
chk IMSMON-MIB::imsStateSilenceTimeout $R.1.7.8
chk IMSMON-MIB::imsStateGroup $R.9.2.8
chk 'IMSMON-MIB::imsServerStatus."mailgw"' $R.1.3.1.3.6.109.97.105.108.103.119

# Enumerations render by name once the MIB is loaded.
got=$(snmptranslate -M "$IETF:mib" -m IMSMON-MIB -Td IMSMON-MIB::imsServerStatus 2>&1)
echo "$got" | grep -q 'startFailed(4)' && echo "$got" | grep -q 'silent(6)' &&
    ok "imsServerStatus enum" ||
    ko "imsServerStatus enum" "$got"
got=$(snmptranslate -M "$IETF:mib" -m IMSMON-MIB -Td IMSMON-MIB::imsFaultClearReason 2>&1)
echo "$got" | grep -q 'operator(2)' && ok "imsFaultClearReason enum" ||
    ko "imsFaultClearReason enum" "$got"
# Six notifications, each naming the server, article, title, severity
# and remedy (the fault index is the instance of every varbind).
ntf=$(SMIPATH="$IETF" smidump -f tree mib/IMSMON-MIB.txt 2>&1 |
    sed -n '/imsMonNotifications(0)/,/imsMonObjects(1)/p' | grep -E '\+--ims(Fault|Server)')
got=$(echo "$ntf" | grep -c .)
[ "$got" -eq 6 ] && ok "six notifications" || ko "six notifications ($got)"
bad=$(echo "$ntf" |
    grep -vE 'Server[A-Za-z]*,.*Article,.*Title,.*Severity,.*Remedy')
[ -z "$bad" ] && ok "notification varbinds" || ko "notification varbinds" "$bad"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
