#!/bin/sh
# check: once
# The Debian package, end to end, as root (CI runs the tests as root; as
# anyone else this test skips): build it with dpkg-buildpackage, lintian
# (no error, no warning), apt-get install ./imsmon_*.deb, every installed
# path, then run it: the system snmpd with the shipped snippet and the
# one edit, imsmond from its unit (systemctl where systemd is PID 1,
# otherwise the unit's ExecStart line as the unit's user, with a
# NOTIFY_SOCKET to see READY=1), a fault sent through the installed
# rsyslog example, polled with snmpget and check_imsmon, the snmptt line,
# the exporter's metrics; then apt-get purge and nothing left but the
# _imsmon user, which Debian keeps.
B=${B:-build}
. tests/lib.sh
[ "$(id -u)" -eq 0 ] ||
    skip "not root: this test installs and purges the imsmon package (CI runs it as root)"
lib_need dpkg-buildpackage lintian apt-get snmpd snmpget logger rsyslogd perl git
# One run at a time on a machine: two would install and purge the same
# package and share port 161.  Wait for another run to end.
if command -v flock >/dev/null 2>&1; then
	exec 9>/run/lock/imsmon-deb-test.lock 2>/dev/null ||
	    exec 9>/tmp/imsmon-deb-test.lock
	flock -w 600 9 || skip "another run of this test holds the lock"
fi
if dpkg-query -W -f='${db:Status-Status}' imsmon 2>/dev/null | grep -q installed; then
	skip "imsmon is already installed here; this test does not touch it"
fi
SYSTEMD=0
[ -d /run/systemd/system ] && SYSTEMD=1
if [ $SYSTEMD -eq 0 ] && { in_use 161 || [ -e /var/agentx/master ]; }; then
	skip "an SNMP agent already runs here without systemd"
fi
lib_tmpdir imsd
chmod 711 "$T"
ROOT=$(pwd)
lib_ports 80
TRAP=$BASE RELAY=$((BASE + 1)) PROM=$((BASE + 2))
AGENTX_EXISTED=0
[ -e /var/agentx ] && AGENTX_EXISTED=1
SNMPLIB_BEFORE=$(ls -A /var/lib/snmp 2>/dev/null)
INSTALLED=0
# Net-SNMP clients run as root write to /var/lib/snmp unless told.
mkdir "$T/p-cli"
export SNMP_PERSISTENT_DIR="$T/p-cli"

deb_cleanup() {
	if [ $SYSTEMD -eq 1 ] && [ $INSTALLED -eq 1 ]; then
		systemctl stop imsmond >/dev/null 2>&1
	fi
	for p in $PIDS $(cat "$T"/*.pid 2>/dev/null); do kill "$p" 2>/dev/null; done
	sleep 0.5
	if [ $INSTALLED -eq 1 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq imsmon >/dev/null 2>&1
		[ $SYSTEMD -eq 1 ] && systemctl restart snmpd >/dev/null 2>&1
	fi
	[ $AGENTX_EXISTED -eq 1 ] || rm -rf /var/agentx
	lib_cleanup
}
trap deb_cleanup EXIT

# --- build and lint -------------------------------------------------------
if make -s deb >"$T/build.log" 2>&1; then
	DEB=$(ls "$ROOT"/build/deb/imsmon_*_*.deb | grep -v dbgsym | head -n 1)
	ok "dpkg-buildpackage -us -uc -b: $(basename "$DEB")"
else
	ko "dpkg-buildpackage" "$(tail -n 20 "$T/build.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi
o=$(lintian -I -E --pedantic --fail-on error,warning "$ROOT"/build/deb/imsmon_*.changes 2>&1)
rc=$?
tags=$(echo "$o" | grep -c '^[EWIPX]:')
[ $rc -eq 0 ] && ! echo "$o" | grep -q '^[EW]:' &&
    ok "lintian: no error, no warning ($tags info/pedantic/experimental tags)" ||
    ko "lintian (rc $rc)" "$o"

# --- install ----------------------------------------------------------------
o=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "$DEB" 2>&1)
rc=$?
INSTALLED=1
[ $rc -eq 0 ] && ok "apt-get install ./$(basename "$DEB")" ||
    ko "apt-get install (rc $rc)" "$o"
for f in /usr/sbin/imsmond /usr/bin/imsdiag /usr/lib/nagios/plugins/check_imsmon; do
	[ -x "$f" ] && ok "installed $f" || ko "installed $f"
done
for f in /usr/share/imsmon/kb/Q306308.kb /etc/imsmon/imsmond.conf \
    /usr/share/snmp/mibs/IMSMON-MIB.txt /etc/snmp/snmpd.conf.d/imsmon.conf \
    /usr/share/doc/imsmon/examples/rsyslog-imsmon.conf \
    /usr/share/doc/imsmon/examples/rsyslog-shard.conf \
    /lib/systemd/system/imsmond.service /usr/lib/sysusers.d/imsmon.conf \
    /usr/share/imsmon/snmptt/imsmon.conf /usr/share/imsmon/prometheus/snmp.yml \
    /usr/share/imsmon/prometheus/generator.yml \
    /usr/share/icinga2/include/plugins-contrib.d/imsmon.conf \
    /usr/share/man/man8/imsmond.8.gz /usr/share/man/man5/imsmond.conf.5.gz \
    /usr/share/man/man1/imsdiag.1.gz /usr/share/man/man1/check_imsmon.1.gz \
    /usr/share/doc/imsmon/deploy.md /usr/share/doc/imsmon/copyright; do
	[ -f "$f" ] || [ -f "$f.gz" ] && ok "installed $f" || ko "installed $f"
done
for d in /etc/imsmon/kb.d /var/lib/imsmon; do
	[ -d "$d" ] && ok "installed $d/" || ko "installed $d/"
done
getent passwd _imsmon | grep -q ':/var/lib/imsmon:/usr/sbin/nologin$' &&
    ok "system user _imsmon" || ko "system user _imsmon" "$(getent passwd _imsmon)"
c=$(dpkg-query -W -f='${Conffiles}' imsmon)
echo "$c" | grep -q '/etc/imsmon/imsmond.conf' &&
    echo "$c" | grep -q '/etc/snmp/snmpd.conf.d/imsmon.conf' &&
    ok "conffiles registered" || ko "conffiles registered" "$c"
o=$(cd / && imsdiag kb check 2>&1)
echo "$o" | grep -q '^/usr/share/imsmon/kb: .*: ok$' &&
    ok "imsdiag finds the installed KB: $o" || ko "imsdiag finds the installed KB" "$o"
imsmond -V | grep -q '^config file  */etc/imsmon/imsmond.conf$' &&
    ok "imsmond -V: /etc/imsmon/imsmond.conf" || ko "imsmond -V" "$(imsmond -V)"
o=$(systemd-analyze verify /lib/systemd/system/imsmond.service 2>&1)
[ $? -eq 0 ] && [ -z "$o" ] && ok "systemd-analyze verify (installed unit, man pages)" ||
    ko "systemd-analyze verify" "$o"

# Icinga 2 finds the CheckCommand through the ITL's plugins-contrib.
if command -v icinga2 >/dev/null 2>&1; then
	mkdir -m 755 "$T/ic"
	cat >"$T/ic/icinga2.conf" <<'EOF2'
const PluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
include <itl>
include <plugins>
include <plugins-contrib>
object Host "collector" { address = "127.0.0.1"; check_command = "hostalive" }
object Service "ims" { host_name = "collector"; check_command = "imsmon" }
EOF2
	chmod 644 "$T/ic/icinga2.conf"
	o=$(icinga2 daemon -C -c "$T/ic/icinga2.conf" 2>&1)
	[ $? -eq 0 ] && ok "icinga2: include <plugins-contrib> brings CheckCommand imsmon" ||
	    ko "icinga2 with the installed CheckCommand" "$(echo "$o" | grep -v information/)"
fi

# --- the one edit, and snmpd ---------------------------------------------
cat >>/etc/snmp/snmpd.conf.d/imsmon.conf <<EOF
rocommunity ims-ro 127.0.0.1 -V imsmon
trap2sink 127.0.0.1:$TRAP public
EOF
# snmptrapd -> snmptt with the installed definitions.
SNMPTT=$(command -v snmptt || echo /usr/sbin/snmptt)
if [ -x "$SNMPTT" ]; then
	sed -e "s#^log_file = .*#log_file = $T/snmptt.log#" \
	    -e 's#^syslog_enable = 1#syslog_enable = 0#' \
	    -e 's#^syslog_system_enable = 1#syslog_system_enable = 0#' \
	    -e "s#^/etc/snmptt/snmptt.conf#/usr/share/imsmon/snmptt/imsmon.conf#" \
	    /etc/snmp/snmptt.ini >"$T/snmptt.ini"
	printf 'disableAuthorization yes\ntraphandle default %s --ini=%s\n' \
	    "$SNMPTT" "$T/snmptt.ini" >"$T/trapd.conf"
	mkdir "$T/p-trapd"
	SNMP_PERSISTENT_DIR="$T/p-trapd" MIBS= snmptrapd -f -C -c "$T/trapd.conf" \
	    -On -Lf "$T/trapd.log" -p "$T/trapd.pid" "udp:127.0.0.1:$TRAP" \
	    >/dev/null 2>&1 &
	PIDS="$PIDS $!"
fi
if [ $SYSTEMD -eq 1 ]; then
	systemctl restart snmpd && ok "systemctl restart snmpd" || ko "restart snmpd"
else
	# snmpd.service's command line; its persistent files in the temp dir.
	mkdir "$T/p-snmpd" && chown Debian-snmp:Debian-snmp "$T/p-snmpd"
	SNMP_PERSISTENT_DIR="$T/p-snmpd" MIBS= /usr/sbin/snmpd -LOw -u Debian-snmp \
	    -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -f \
	    -p "$T/snmpd.pid" >"$T/snmpd.out" 2>&1 &
	PIDS="$PIDS $!"
fi
wait_for 10 test -S /var/agentx/master && ok "snmpd: AgentX socket" ||
    ko "snmpd: AgentX socket" "$(cat "$T/snmpd.out" 2>/dev/null)"
s=$(stat -c '%a %U %G' /var/agentx/master 2>/dev/null)
[ "$s" = "660 Debian-snmp _imsmon" ] && ok "AgentX socket 660 Debian-snmp:_imsmon" ||
    ko "AgentX socket permissions" "$s"

# --- imsmond from its unit -------------------------------------------------
if [ $SYSTEMD -eq 1 ]; then
	systemctl restart imsmond
	wait_for 10 systemctl is-active --quiet imsmond &&
	    ok "systemctl: imsmond active (Type=notify: READY=1 arrived)" ||
	    ko "imsmond active" "$(systemctl status imsmond 2>&1 | tail -5)"
else
	exec_line=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/imsmond.service)
	env_line=$(sed -n 's/^Environment=//p' /lib/systemd/system/imsmond.service)
	# What StateDirectory= and User= would do.
	chown _imsmon:_imsmon /var/lib/imsmon
	perl -MIO::Socket::UNIX -e '
		my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => $ARGV[0])
		    or die "notify socket: $!";
		chmod 0777, $ARGV[0];
		$s->recv(my $m, 4096);
		open(my $f, ">", $ARGV[1]) or die; print $f $m; close $f;
	' "$T/notify" "$T/notify.msg" &
	PIDS="$PIDS $!"
	wait_for 5 test -S "$T/notify"
	env NOTIFY_SOCKET="$T/notify" $env_line setpriv --reuid=_imsmon \
	    --regid=_imsmon --init-groups $exec_line >"$T/imsmond.out" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 test -s "$T/notify.msg"
	grep -q '^READY=1$' "$T/notify.msg" 2>/dev/null &&
	    ok "ExecStart as _imsmon: READY=1 on NOTIFY_SOCKET" ||
	    ko "READY=1 on NOTIFY_SOCKET" "$(cat "$T/notify.msg" "$T/imsmond.out" 2>&1)"
fi
get() { snmpget -v2c -c ims-ro -t 1 -r 1 -Ov -Oq 127.0.0.1 "$@" 2>&1; }
wait_for 15 sh -c "snmpget -v2c -c ims-ro -t 1 -r 0 127.0.0.1 .1.3.6.1.4.1.32473.1.1.1.0 | grep -q imsmond" &&
    ok "snmpget through the system snmpd: $(get .1.3.6.1.4.1.32473.1.1.1.0)" ||
    ko "snmpget through the system snmpd" "$(get .1.3.6.1.4.1.32473.1.1.1.0)"
n=$(get .1.3.6.1.4.1.32473.1.1.3.0)
[ "${n:-0}" -gt 20 ] 2>/dev/null && ok "the installed KB is loaded ($n articles)" ||
    ko "the installed KB is loaded" "$n"

# --- a fault through the installed rsyslog example ---------------------------
mkdir "$T/rs"
{
	echo "global(workDirectory=\"$T/rs\")"
	sed -e "s|port=\"514\"|address=\"127.0.0.1\" port=\"$RELAY\"|" \
	    /usr/share/doc/imsmon/examples/rsyslog-imsmon.conf
} >"$T/rsyslog.conf"
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
"$RSYSLOGD" -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" >"$T/rsyslog.out" 2>&1 &
PIDS="$PIDS $!"
wait_for 10 in_use "$RELAY" && ok "rsyslog with the installed example" ||
    ko "rsyslog with the installed example" "$(cat "$T/rsyslog.out")"
sh tests/fixtures/seed-events.sh | grep -P '\tEXCH306\t' |
while IFS= read -r line; do
	logger --rfc5424 -t MSWinEventLog -n 127.0.0.1 -d -P "$RELAY" -- "$line"
	sleep 0.2
done
wait_for 15 sh -c "[ \"\$(snmpget -v2c -c ims-ro -Ov -Oq 127.0.0.1 .1.3.6.1.4.1.32473.1.1.6.0)\" = 1 ]" &&
    ok "the fault arrived: 1 open fault" ||
    ko "the fault arrived" "$(get .1.3.6.1.4.1.32473.1.1.6.0)"
title=$(grep '^title ' /usr/share/imsmon/kb/Q306308.kb | cut -d' ' -f2-)
o=$(/usr/lib/nagios/plugins/check_imsmon -H 127.0.0.1 -C ims-ro 2>&1)
rc=$?
[ $rc -eq 2 ] && echo "$o" | grep -qF "IMSMON CRITICAL - 1 diagnosed fault: EXCH306 Q306308 $title |" &&
    ok "check_imsmon: $o" || ko "check_imsmon (rc $rc)" "$o"
if [ -x "$SNMPTT" ]; then
	wait_for 15 grep -q 'IMS fault on exch306: KB Q306308' "$T/snmptt.log" &&
	    ok "snmptt: $(grep 'IMS fault on exch306' "$T/snmptt.log" | head -n 1 | cut -c1-150)" ||
	    ko "snmptt line" "$(cat "$T/snmptt.log" 2>&1)"
else
	echo "SKIP: snmptt not installed (make deps)"
fi
EXPORTER=$(command -v prometheus-snmp-exporter || true)
if [ -n "$EXPORTER" ] && command -v curl >/dev/null 2>&1; then
	sed 's/community: public/community: ims-ro/' \
	    /usr/share/imsmon/prometheus/snmp.yml >"$T/snmp.yml"
	"$EXPORTER" --config.file="$T/snmp.yml" \
	    --web.listen-address="127.0.0.1:$PROM" >"$T/exporter.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 in_use "$PROM"
	m=$(curl -s "http://127.0.0.1:$PROM/snmp?module=imsmon&target=127.0.0.1")
	echo "$m" | grep -q '^imsServerStatus{imsServerName="exch306",imsServerStatus="startFailed"} 1$' &&
	    echo "$m" | grep -q '^imsFaultState_info{imsFaultArticle="Q306308",.*imsFaultState="diagnosed"' &&
	    ok "exporter scrape: server status and fault by article" ||
	    ko "exporter scrape" "$(echo "$m" | grep -v '^#' | head)"
else
	echo "SKIP: prometheus-snmp-exporter not installed (make deps)"
fi

# --- stop, purge, nothing left ---------------------------------------------
if [ $SYSTEMD -eq 1 ]; then
	systemctl stop imsmond
fi
for p in $PIDS $(cat "$T"/*.pid 2>/dev/null); do kill "$p" 2>/dev/null; done
PIDS=""
rm -f "$T"/*.pid
sleep 1
o=$(DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq imsmon 2>&1)
rc=$?
INSTALLED=0
[ $rc -eq 0 ] && ok "apt-get purge imsmon" || ko "apt-get purge (rc $rc)" "$o"
[ $SYSTEMD -eq 1 ] && systemctl restart snmpd
left=""
for f in /usr/sbin/imsmond /usr/bin/imsdiag /etc/imsmon /var/lib/imsmon \
    /usr/share/imsmon /usr/share/doc/imsmon /etc/snmp/snmpd.conf.d/imsmon.conf \
    /lib/systemd/system/imsmond.service /usr/lib/sysusers.d/imsmon.conf \
    /etc/systemd/system/multi-user.target.wants/imsmond.service \
    /var/lib/systemd/deb-systemd-helper-enabled/imsmond.service.dsh-also \
    /usr/share/snmp/mibs/IMSMON-MIB.txt /usr/lib/nagios/plugins/check_imsmon \
    /usr/share/icinga2/include/plugins-contrib.d/imsmon.conf; do
	[ -e "$f" ] && left="$left $f"
done
dpkg-query -W imsmon >/dev/null 2>&1 && left="$left (dpkg still knows imsmon)"
[ "$(ls -A /var/lib/snmp 2>/dev/null)" = "$SNMPLIB_BEFORE" ] ||
    left="$left /var/lib/snmp changed"
[ -z "$left" ] && ok "purged: nothing left (the _imsmon user stays, as Debian keeps system users)" ||
    ko "purged: left behind:$left"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
