#!/bin/sh
# check: once
# make install / make uninstall, unprivileged, into a temp dir:
#   prefix, sysconfdir and localstatedir are honoured, the programs' default
#   paths follow them (imsmond -V), imsdiag finds the installed KB with no
#   --kb and lays the site's kb.d entries over it, uninstall removes what
#   install put there but the admin's edited configuration;
# and the systemd unit: systemd-analyze verify is clean and
# systemd-analyze security rates it 2.0 or better.
. tests/lib.sh
lib_need make cc
lib_tmpdir imsi
ROOT=$(pwd)
P=$T/opt/imsmon

# A build of its own, so the prefix compiled in is this one.
o=$(make -s B="$T/b" prefix="$P" sysconfdir="$T/etc" \
    localstatedir="$T/var" DESTDIR= install 2>&1)
[ $? -eq 0 ] && ok "make install prefix=... sysconfdir=... localstatedir=..." ||
    ko "make install" "$o"
for f in "$P/sbin/imsmond" "$P/bin/imsdiag" "$P/lib/nagios/plugins/check_imsmon"; do
	[ -x "$f" ] && ok "installed ${f#$T/}" || ko "installed ${f#$T/}"
done
for f in "$P/share/imsmon/kb/Q306308.kb" "$P/share/snmp/mibs/IMSMON-MIB.txt" \
    "$P/share/man/man8/imsmond.8" "$P/share/man/man5/imsmond.conf.5" \
    "$P/share/man/man1/imsdiag.1" "$P/share/man/man1/check_imsmon.1" \
    "$P/share/imsmon/snmptt/imsmon.conf" "$P/share/imsmon/prometheus/snmp.yml" \
    "$P/share/icinga2/include/plugins-contrib.d/imsmon.conf" \
    "$P/share/doc/imsmon/deploy.md" "$P/share/doc/imsmon/examples/rsyslog-imsmon.conf" \
    "$P/lib/systemd/system/imsmond.service" "$T/etc/imsmon/imsmond.conf" \
    "$T/etc/snmp/snmpd.conf.d/imsmon.conf"; do
	[ -f "$f" ] && ok "installed ${f#$T/}" || ko "installed ${f#$T/}"
done
[ -d "$T/etc/imsmon/kb.d" ] && ok "installed etc/imsmon/kb.d/" || ko "installed etc/imsmon/kb.d/"

v=$("$P/sbin/imsmond" -V)
echo "$v" | grep -q "^config file  *$T/etc/imsmon/imsmond.conf$" &&
    echo "$v" | grep -q "^knowledge base  *$P/share/imsmon/kb$" &&
    echo "$v" | grep -q "^site KB entries  *$T/etc/imsmon/kb.d$" &&
    echo "$v" | grep -q "^state directory  *$T/var/lib/imsmon$" &&
    ok "imsmond -V shows the installed paths" || ko "imsmond -V paths" "$v"
grep -q "^ExecStart=$P/sbin/imsmond " "$P/lib/systemd/system/imsmond.service" &&
    ok "the unit runs the installed imsmond" ||
    ko "unit ExecStart" "$(grep ExecStart "$P/lib/systemd/system/imsmond.service")"
grep -q "^#kbDir $P/share/imsmon/kb$" "$T/etc/imsmon/imsmond.conf" &&
    ok "imsmond.conf names the installed KB" || ko "imsmond.conf kbDir"

# imsdiag: the installed KB with no --kb (from another directory).
o=$(cd "$T" && env -u IMSMON_KBDIR "$P/bin/imsdiag" kb check 2>&1)
echo "$o" | grep -q "^$P/share/imsmon/kb: [0-9]* articles.*: ok$" &&
    ok "imsdiag kb check finds the installed KB" || ko "imsdiag finds the KB" "$o"
title() { (cd "$T" && env -u IMSMON_KBDIR "$P/bin/imsdiag" replay \
    "$ROOT/tests/golden/q306308.snare.log" 2>&1 | grep -m1 'Q306308 "'); }
title | grep -q 'XADM: IMS' && ok "replay with the installed KB" ||
    ko "replay with the installed KB" "$(title)"
# A site entry replaces the shipped article of the same ID.
sed 's/^title .*/title Site: logons limited on our IS/' \
    "$P/share/imsmon/kb/Q306308.kb" >"$T/etc/imsmon/kb.d/our-q306308.kb"
title | grep -q 'Q306308 "Site: logons limited on our IS"' &&
    ok "kb.d entry overrides the shipped article" ||
    ko "kb.d entry overrides the shipped article" "$(title)"
o=$(cd "$T" && env -u IMSMON_KBDIR "$P/bin/imsdiag" kb check 2>&1)
echo "$o" | grep -q ': ok$' && ok "kb check with the override: no duplicate" ||
    ko "kb check with the override" "$o"
# A broken site entry is reported with its file and line.
printf 'article Q1\ntitle T\nseverity loud\n' >"$T/etc/imsmon/kb.d/bad.kb"
o=$(cd "$T" && env -u IMSMON_KBDIR "$P/bin/imsdiag" kb check 2>&1)
echo "$o" | grep -q "kb.d/bad.kb:3:" && ok "a bad kb.d entry is reported" ||
    ko "a bad kb.d entry is reported" "$o"
rm -f "$T/etc/imsmon/kb.d/bad.kb" "$T/etc/imsmon/kb.d/our-q306308.kb"

# DESTDIR staging: the same paths under it, nothing outside.
o=$(make -s B="$T/b" prefix="$P" sysconfdir="$T/etc" \
    localstatedir="$T/var" DESTDIR="$T/stage" install 2>&1)
[ -x "$T/stage$P/sbin/imsmond" ] && [ -f "$T/stage$T/etc/imsmon/imsmond.conf" ] &&
    ok "DESTDIR staging" || ko "DESTDIR staging" "$o"

# uninstall: an edited imsmond.conf stays, everything else goes.
echo "quietClear 3600" >>"$T/etc/imsmon/imsmond.conf"
o=$(make -s B="$T/b" prefix="$P" sysconfdir="$T/etc" \
    localstatedir="$T/var" DESTDIR= uninstall 2>&1)
left=$(find "$P" "$T/etc" -type f | sed "s|^$T/||")
[ "$left" = "etc/imsmon/imsmond.conf" ] &&
    ok "make uninstall leaves only the edited imsmond.conf" ||
    ko "make uninstall" "$left$o"

# The systemd unit, offline.
if command -v systemd-analyze >/dev/null 2>&1; then
	sed -e "s|@sbindir@|$P/sbin|" -e "s|@localstatedir@|/var|" \
	    packaging/imsmond.service.in >"$T/imsmond.service"
	cp "$B/imsmond" "$T/" 2>/dev/null
	sed -i "s|^ExecStart=$P/sbin/|ExecStart=$ROOT/${B:-build}/|" "$T/imsmond.service"
	o=$(systemd-analyze verify --man=no "$T/imsmond.service" 2>&1)
	[ $? -eq 0 ] && [ -z "$o" ] && ok "systemd-analyze verify imsmond.service" ||
	    ko "systemd-analyze verify" "$o"
	o=$(systemd-analyze security --offline=true --threshold=20 \
	    "$T/imsmond.service" 2>&1)
	rc=$?
	x=$(echo "$o" | sed -n 's/.*Overall exposure level for imsmond.service: \([0-9.]*\).*/\1/p')
	[ $rc -eq 0 ] && [ -n "$x" ] && ok "systemd-analyze security: exposure $x (<= 2.0)" ||
	    ko "systemd-analyze security (rc $rc, exposure $x)" "$(echo "$o" | grep '✗')"
	for k in 'After=.*snmpd.service' 'Wants=snmpd.service' 'Type=notify' \
	    'ExecReload=.*-HUP' 'Restart=on-failure' 'User=_imsmon' \
	    'AmbientCapabilities=CAP_NET_BIND_SERVICE' 'StateDirectory=imsmon' \
	    'RuntimeDirectory=imsmon' 'ProtectSystem=strict' 'ProtectHome=yes' \
	    'PrivateTmp=yes' 'NoNewPrivileges=yes' \
	    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
	    'SystemCallFilter=@system-service' 'MemoryDenyWriteExecute=yes'; do
		grep -q "^$k" "$T/imsmond.service" || ko "unit has $k"
	done
	ok "unit has the required settings"
else
	echo "SKIP: systemd-analyze not installed"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
