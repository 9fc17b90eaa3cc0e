#!/bin/sh
# The NMS integrations as shipped, against a real imsmond under a real
# snmpd master, all on loopback high ports in a temp dir, stopped by PID:
#   check_imsmon (packaging/check_imsmon): OK, CRITICAL with server,
#     article and title, WARNING for ambiguous and silent, OK for a server
#     never seen, UNKNOWN for a dead agent, within its -t deadline;
#   the Icinga 2 CheckCommand, validated by icinga2 daemon -C;
#   snmptt (packaging/snmptt/imsmon.conf) behind snmptrapd's traphandle:
#     imsmond -> snmpd -> snmptrapd -> snmptt -> the formatted log line;
#   prometheus-snmp-exporter with packaging/prometheus/snmp.yml: server
#     status, open faults by article, ingest counters.
# Each part skips only when its tool is absent.  Run from the project root
# with B set to the build directory.
B=${B:-build}
. tests/lib.sh

lib_need snmpd snmpbulkwalk snmpget logger
lib_agent_env
lib_tmpdir imsn
lib_ports 40
SNMP=$BASE TRAP=$((BASE + 1)) SYSLOG=$((BASE + 2)) PROM=$((BASE + 3))
DEAD=$((BASE + 4))
mkdir -p "$T/p-snmpd" "$T/p-ims" "$T/p-trapd" "$T/p-cli"
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T/etc" MIBS=
AGENT="udp:127.0.0.1:$SNMP"
PLUGIN=$ROOT/packaging/check_imsmon

# --- snmptrapd handing every trap to snmptt, as docs/deploy.md says -----
SNMPTT=$(command -v snmptt || echo /usr/sbin/snmptt)
if [ -x "$SNMPTT" ] && command -v snmptrapd >/dev/null 2>&1; then
	sed -e "s#^log_file = .*#log_file = $T/snmptt.log#" \
	    -e 's#^syslog_enable = 1#syslog_enable = 0#' \
	    -e 's#^syslog_system_enable = 1#syslog_system_enable = 0#' \
	    -e "s#^unknown_trap_log_file = .*#unknown_trap_log_file = $T/unknown.log#" \
	    -e "s#^/etc/snmptt/snmptt.conf#$ROOT/packaging/snmptt/imsmon.conf#" \
	    /etc/snmp/snmptt.ini >"$T/snmptt.ini"
	printf 'disableAuthorization yes\ntraphandle default %s --ini=%s\n' \
	    "$SNMPTT" "$T/snmptt.ini" >"$T/trapd.conf"
	SNMP_PERSISTENT_DIR="$T/p-trapd" snmptrapd -f -C -c "$T/trapd.conf" \
	    -On -Lf "$T/trapd.log" -p "$T/trapd.pid" "udp:127.0.0.1:$TRAP" \
	    >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	HAVE_SNMPTT=1
fi

# --- snmpd: Debian-like base, the shipped snippet, the one edit ---------
{
	echo "agentaddress udp:127.0.0.1:$SNMP"
	echo "view systemonly included .1.3.6.1.2.1.1"
	echo "rocommunity public default -V systemonly"
	sed -e "s|/var/agentx/master|$T/agentx.sock|" \
	    -e 's|^agentXPerms .*|agentXPerms 0660 0700|' \
	    packaging/snmpd.conf.d/imsmon.conf
	# The one edit: a community of its own, and where traps go.
	echo "rocommunity ims-ro 127.0.0.1 -V imsmon"
	echo 'createUser imsv3 SHA "ims auth phrase" AES "ims priv phrase"'
	echo "rouser imsv3 priv -V imsmon"
	echo "trap2sink 127.0.0.1:$TRAP public"
} >"$T/snmpd.conf"
SNMP_PERSISTENT_DIR="$T/p-snmpd" snmpd -f -I -smux -C -c "$T/snmpd.conf" \
    -Lf "$T/snmpd.log" -p "$T/snmpd.pid" >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_for 10 test -S "$T/agentx.sock" && ok "snmpd master up" ||
    ko "snmpd master up" "$(cat "$T/snmpd.log")"

# --- imsmond: the shipped imsmond.conf, its port moved ------------------
sed -e "s|127.0.0.1:5514|127.0.0.1:$SYSLOG|" "$B/pkg/imsmond.conf" \
    >"$T/imsmond.conf" 2>/dev/null ||
    sed -e "s|127.0.0.1:5514|127.0.0.1:$SYSLOG|" packaging/imsmond.conf \
    >"$T/imsmond.conf"
printf 'kbDir %s/kb\nagentxPingInterval 1\nstateDir %s/state\n' "$ROOT" "$T" \
    >>"$T/imsmond.conf"
LSAN_OPTIONS="suppressions=$ROOT/tests/lsan-netsnmp.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/imsmond.conf" \
    -x "$T/agentx.sock" -p "$T/imsmond.pid" >"$T/imsmond.log" 2>&1 &
PIDS="$PIDS $!"
get() { snmpget -v2c -c ims-ro -t 1 -r 1 -Ov -Oq "$AGENT" "$@" 2>&1; }
wait_for 10 sh -c "snmpget -v2c -c ims-ro $AGENT .1.3.6.1.4.1.32473.1.1.1.0 | grep -q imsmond" &&
    ok "imsmond registered; the ims-ro community sees it" ||
    ko "imsmond registered" "$(cat "$T/imsmond.log")"
o=$(snmpget -v2c -c public -t 1 -r 1 "$AGENT" .1.3.6.1.4.1.32473.1.1.1.0 2>&1)
echo "$o" | grep -q "No Such Object" &&
    ok "Debian's public community still sees only the system view" ||
    ko "public community limited" "$o"

chk() { "$PLUGIN" -H 127.0.0.1 -p "$SNMP" -C ims-ro "$@" 2>&1; }
plugin_is() {	# RC PATTERN DESCRIPTION ARGS...
	want=$1 pat=$2 what=$3
	shift 3
	o=$(chk "$@")
	rc=$?
	if [ $rc -eq "$want" ] && [ "$(echo "$o" | head -n 1 | grep -c -- "$pat")" -eq 1 ]; then
		ok "check_imsmon $what: $(echo "$o" | head -n 1)"
	else
		ko "check_imsmon $what (rc $rc, want $want)" "$o"
	fi
}

# --- events --------------------------------------------------------------
sh tests/fixtures/seed-events.sh >"$T/events"
lg() { logger --rfc5424 -t MSWinEventLog -n 127.0.0.1 -d -P "$SYSLOG" -- "$1"; }
send() {	# HOST [N]: the first N (default all) events of HOST
	grep -P "\t$1\t" "$T/events" | head -n "${2:-100}" |
	while IFS= read -r line; do lg "$line"; sleep 0.2; done
}
running() {	# HOST: the IMS seen running
	lg "$(printf 'MSWinEventLog\t3\tSystem\t5000\tTue Mar 14 10:40:00 2000\t7036\tService Control Manager\tN/A\tN/A\tInformation\t%s\tNone\t\tThe Microsoft Exchange Internet Mail Service service entered the running state.\t5000' "$1")"
}
open_faults() { [ "$(get .1.3.6.1.4.1.32473.1.1.6.0)" = "$1" ]; }

plugin_is 0 '^IMSMON OK - 0 servers, no open faults |' "before any event"
plugin_is 0 '^IMSMON OK - server mailgw: no events yet' "never-seen server" -s mailgw
running EXCHOK
wait_for 5 sh -c "$PLUGIN -H 127.0.0.1 -p $SNMP -C ims-ro | grep -q '1 server,'"
plugin_is 0 '^IMSMON OK - server EXCHOK: no open faults' "running server" -s EXCHOK
plugin_is 1 '^IMSMON WARNING - EXCHOK silent for [0-9]*d' "silent server" -s exchok -S 3600

send EXCH306
send EXCH173 1			# the 2140 alone: ambiguous
wait_for 15 open_faults 2 && ok "two faults open" ||
    ko "two faults open" "$(get .1.3.6.1.4.1.32473.1.1.6.0; tail -3 "$T/imsmond.log")"
title=$(grep '^title ' kb/Q306308.kb | cut -d' ' -f2-)
plugin_is 2 "^IMSMON CRITICAL - 1 diagnosed fault: EXCH306 Q306308 $title; EXCH173 IMS start failure, cause ambiguous |" \
    "all servers"
plugin_is 1 '^IMSMON WARNING - EXCH173 IMS start failure, cause ambiguous' \
    "ambiguous fault" -s EXCH173.example.net
o=$(chk)
echo "$o" | grep -q '| servers=3 faults_diagnosed=1 faults_ambiguous=1 faults_acked=0 servers_silent=0 kb_articles=[1-9][0-9]* records_received=[1-9][0-9]*c$' &&
    ok "check_imsmon perfdata" || ko "check_imsmon perfdata" "$o"
plugin_is 2 "^IMSMON CRITICAL - 1 diagnosed fault: EXCH306 Q306308" \
    "SNMPv2c long options" --hostname=127.0.0.1 --community ims-ro -s exch306
o=$("$PLUGIN" -H 127.0.0.1 -p "$SNMP" -P 3 -L authPriv -U imsv3 -a SHA \
    -A "ims auth phrase" -x AES -X "ims priv phrase" -s exch306 2>&1)
rc=$?
[ $rc -eq 2 ] && echo "$o" | grep -q "^IMSMON CRITICAL - 1 diagnosed fault: EXCH306 Q306308" &&
    ok "check_imsmon over SNMPv3 authPriv" || ko "check_imsmon SNMPv3 (rc $rc)" "$o"
o=$("$PLUGIN" -H 127.0.0.1 -p "$SNMP" -P 3 -L authPriv -U imsv3 -a SHA \
    -A "wrong phrase" -x AES -X "ims priv phrase" -t 3 2>&1)
rc=$?
[ $rc -eq 3 ] && ok "check_imsmon UNKNOWN with a wrong v3 pass phrase: $o" ||
    ko "check_imsmon wrong v3 pass phrase (rc $rc)" "$o"
o=$("$PLUGIN" -H 127.0.0.1 -p "$DEAD" -t 2 2>&1)
rc=$?
[ $rc -eq 3 ] && echo "$o" | grep -q '^IMSMON UNKNOWN - timeout after 2 s' &&
    ok "check_imsmon UNKNOWN on a dead agent within -t: $o" ||
    ko "check_imsmon dead agent (rc $rc)" "$o"
o=$("$PLUGIN" -H 127.0.0.1 -p "$SNMP" -P 3 2>&1)
[ $? -eq 3 ] && ok "check_imsmon UNKNOWN for v3 without -U" ||
    ko "check_imsmon v3 without -U" "$o"

# --- Icinga 2: the CheckCommand loads and a service using it validates ---
# icinga2 drops to its own user (nagios) and refuses to run as anyone else.
if ! command -v icinga2 >/dev/null 2>&1; then
	echo "SKIP: icinga2 not installed (make deps)"
elif [ "$(id -u)" -ne 0 ] && [ "$(id -un)" != nagios ]; then
	echo "SKIP: icinga2 daemon -C runs only as root or nagios"
else
	mkdir -m 755 "$T/ic"
	cat >"$T/ic/icinga2.conf" <<EOF
const PluginDir = "/usr/lib/nagios/plugins"
include <itl>
include <plugins>
include "$ROOT/packaging/icinga2/imsmon-commands.conf"
object Host "collector" { address = "127.0.0.1"; check_command = "hostalive" }
object Service "ims-all" { host_name = "collector"; check_command = "imsmon"
  vars.imsmon_community = "ims-ro"; vars.imsmon_silent = 86400 }
object Service "ims-mailgw" { host_name = "collector"; check_command = "imsmon"
  vars.imsmon_protocol = "3"; vars.imsmon_user = "imsmon"
  vars.imsmon_seclevel = "authPriv"; vars.imsmon_server = "mailgw" }
EOF
	chmod 644 "$T/ic/icinga2.conf"
	chmod 755 "$T"
	o=$(icinga2 daemon -C -c "$T/ic/icinga2.conf" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && echo "$o" | grep -q "Instantiated 2 Services" &&
	    ok "icinga2 daemon -C validates the CheckCommand" ||
	    ko "icinga2 daemon -C (rc $rc)" "$(echo "$o" | grep -v information/)"
	sed 's/"imsmon"/"imsmonx"/' "$T/ic/icinga2.conf" >"$T/ic/bad.conf"
	chmod 644 "$T/ic/bad.conf"
	icinga2 daemon -C -c "$T/ic/bad.conf" >/dev/null 2>&1 &&
	    ko "icinga2 daemon -C rejects a wrong command name" ||
	    ok "icinga2 daemon -C rejects a wrong command name"
fi

# --- snmptt: the formatted lines ----------------------------------------
if [ -n "${HAVE_SNMPTT:-}" ]; then
	wait_for 15 grep -q 'IMS fault on exch306: KB Q306308' "$T/snmptt.log"
	l=$(grep 'IMS fault on exch306: KB Q306308' "$T/snmptt.log" | head -n 1)
	echo "$l" | grep -q "\.1\.3\.6\.1\.4\.1\.32473\.0\.1 Critical \"IMS Faults\" .* - IMS fault on exch306: KB Q306308 \"$title\", severity critical, confidence [0-9]*%. Remedy: [A-Z]" &&
	    ok "snmptt: diagnosed fault line" || ko "snmptt: diagnosed fault line" "$(cat "$T/snmptt.log")"
	grep -q 'IMS start failure on exch173, cause ambiguous: [0-9]* candidate' "$T/snmptt.log" &&
	    ok "snmptt: ambiguous fault line" || ko "snmptt: ambiguous fault line" "$(cat "$T/snmptt.log")"
	grep -q 'IMS on EXCH306 is now startFailed (was unknown); open fault [0-9]*: KB Q306308' "$T/snmptt.log" &&
	    ok "snmptt: status change line" || ko "snmptt: status change line" "$(cat "$T/snmptt.log")"
	[ ! -s "$T/unknown.log" ] && ok "snmptt: no unknown traps" ||
	    ko "snmptt: no unknown traps" "$(cat "$T/unknown.log")"
else
	echo "SKIP: snmptt not installed (make deps)"
fi

# --- prometheus-snmp-exporter --------------------------------------------
EXPORTER=$(command -v prometheus-snmp-exporter || true)
if [ -n "$EXPORTER" ] && command -v curl >/dev/null 2>&1; then
	sed 's/community: public/community: ims-ro/' packaging/prometheus/snmp.yml \
	    >"$T/snmp.yml"
	o=$("$EXPORTER" --config.file="$T/snmp.yml" --dry-run 2>&1) &&
	    ok "exporter accepts snmp.yml" || ko "exporter accepts snmp.yml" "$o"
	"$EXPORTER" --config.file="$T/snmp.yml" \
	    --web.listen-address="127.0.0.1:$PROM" >"$T/exporter.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 in_use "$PROM"
	m=$(curl -s "http://127.0.0.1:$PROM/snmp?module=imsmon&target=127.0.0.1:$SNMP")
	echo "$m" | grep -q '^imsServerStatus{imsServerName="exch173",imsServerStatus="startFailed"} 1$' &&
	    ok "exporter: server status" || ko "exporter: server status" "$(echo "$m" | grep imsServerStatus)"
	echo "$m" | grep -qF "imsFaultState_info{imsFaultArticle=\"Q306308\",imsFaultIndex=\"1\",imsFaultServer=\"exch306\",imsFaultState=\"diagnosed\",imsFaultTitle=\"$title\"} 1" &&
	    ok "exporter: faults by article" || ko "exporter: faults by article" "$(echo "$m" | grep imsFault)"
	echo "$m" | grep -q '^imsStatRecordsReceived [1-9]' &&
	    echo "$m" | grep -q '^imsFormatRecords{imsFormatIndex="1",imsFormatName="snare"} [1-9]' &&
	    ok "exporter: ingest counters" || ko "exporter: ingest counters" "$(echo "$m" | grep -E 'imsStat|imsFormat')"
	echo "$m" | grep -q '^imsAgentOpenFaults [0-9]' &&
	    ok "exporter: open faults" || ko "exporter: open faults" "$m"
	if command -v prometheus-snmp-generator >/dev/null 2>&1; then
		mkdir "$T/gen" && cp packaging/prometheus/generator.yml "$T/gen/"
		(cd "$T/gen" && MIBDIRS="$IETF:$ROOT/mib" \
		    prometheus-snmp-generator generate >/dev/null 2>&1)
		cmp -s "$T/gen/snmp.yml" packaging/prometheus/snmp.yml &&
		    ok "snmp.yml is what the generator makes of generator.yml" ||
		    ko "snmp.yml is generated" "$(diff "$T/gen/snmp.yml" packaging/prometheus/snmp.yml | head)"
	fi
else
	echo "SKIP: prometheus-snmp-exporter not installed (make deps)"
fi

# The IMS of EXCH306 runs again: the fault clears, snmptt says so.
if [ -n "${HAVE_SNMPTT:-}" ]; then
	running EXCH306
	wait_for 10 grep -q 'IMS fault on exch306 cleared (recovered): KB Q306308' "$T/snmptt.log" &&
	    ok "snmptt: cleared line" || ko "snmptt: cleared line" "$(cat "$T/snmptt.log")"
fi

# A clean stop, and nothing from the sanitizers in an ASan build.
kill "$(cat "$T/imsmond.pid")" 2>/dev/null
wait_for 10 sh -c "! kill -0 $(cat "$T/imsmond.pid" 2>/dev/null || echo 0) 2>/dev/null"
bad=$(grep -hE 'Sanitizer|runtime error' "$T/imsmond.log")
[ -z "$bad" ] && ok "no memory errors in the imsmond log" ||
    ko "no memory errors in the imsmond log" "$bad"

sh packaging/snmptt/mkconf.sh | cmp -s - packaging/snmptt/imsmon.conf &&
    ok "snmptt conf is what mkconf.sh makes" || ko "snmptt conf is generated"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
