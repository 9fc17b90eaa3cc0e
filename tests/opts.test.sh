#!/bin/sh
# imsmond's command line and start-up: --help and --version, a misspelt
# directive refused with its file and line, -Lf log files reopened on
# SIGHUP (logrotate), and -u/-g dropping root after binding a privileged
# port (run as root, as CI does; skipped otherwise).  imsmond runs as its
# own master agent on loopback high ports, in a temp dir, stopped by PID.
# Run from the project root with B set to the build directory.
B=${B:-build}
. tests/lib.sh

lib_need snmpget logger
lib_agent_env
lib_tmpdir imso
lib_ports 700
SNMP=$BASE SYSLOG=$((BASE + 2))
mkdir -p "$T/p-cli/cert_indexes" "$T/p-ims" "$T/state"
export SNMP_PERSISTENT_DIR="$T/p-cli" SNMPCONFPATH="$T/etc" MIBS=
R=.1.3.6.1.4.1.32473

o=$("$IMSMOND" --version 2>&1)
echo "$o" | head -1 | grep -q '^imsmond [0-9]' && ok "--version" || ko "--version" "$o"
o=$("$IMSMOND" --help 2>&1)
rc=$?
[ $rc -eq 0 ] && echo "$o" | grep -q -- '-u USER' && echo "$o" | grep -q -- '--help' &&
    ok "--help" || ko "--help (rc $rc)" "$o"
o=$("$IMSMOND" --no-such-option 2>&1)
[ $? -eq 2 ] && echo "$o" | grep -q usage && ok "an unknown option: usage, status 2" ||
    ko "an unknown option" "$o"

# A misspelt directive is an error naming the file and line.
printf 'kbDir %s\ntrapRatLimit 5\n' "$ROOT/kb" >"$T/typo.conf"
o=$(SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/typo.conf" \
    -M "udp:127.0.0.1:$SNMP" 2>&1)
rc=$?
[ $rc -ne 0 ] && echo "$o" | grep -q "typo.conf: line 2: unknown directive 'trapRatLimit'" &&
    echo "$o" | grep -q "not starting" &&
    ok "a misspelt directive stops start-up with file:line" ||
    ko "a misspelt directive stops start-up (rc $rc)" "$o"

# -Lf: the log file is opened again on SIGHUP, as logrotate needs.
cat >"$T/m.conf" <<EOF
rocommunity public 127.0.0.1
syslogListen udp:127.0.0.1:$SYSLOG
kbDir $ROOT/kb
stateDir $T/state
EOF
SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/m.conf" \
    -M "udp:127.0.0.1:$SNMP" -Lf "$T/ims.log" -p "$T/ims.pid" \
    >"$T/ims.out" 2>&1 &
PIDS="$PIDS $!"
wait_for 10 sh -c "snmpget -v2c -c public -t 1 -r 1 udp:127.0.0.1:$SNMP $R.1.1.1.0 | grep -q imsmond" &&
    ok "master mode with -Lf up" || ko "master mode with -Lf up" "$(cat "$T/ims.out" "$T/ims.log")"
mv "$T/ims.log" "$T/ims.log.1"
kill -HUP "$(cat "$T/ims.pid")"
wait_for 10 grep -q "SIGHUP" "$T/ims.log" &&
    ok "SIGHUP: a new log file where the old one was" ||
    ko "SIGHUP: a new log file" "$(ls -l "$T")"
grep -q "started as master agent" "$T/ims.log.1" &&
    ok "the rotated file kept the earlier lines" || ko "the rotated file kept the earlier lines"
kill "$(cat "$T/ims.pid")"
wait_for 5 sh -c "! kill -0 $(cat "$T/ims.pid" 2>/dev/null || echo 0) 2>/dev/null"

# Without -f: in the background, the command returns once it is up (the
# pid file written), and the process it leaves still reads syslog (its
# reader thread is started after the fork) and saves its state.
mkdir -p "$T/state-bg"
sed "s|^stateDir .*|stateDir $T/state-bg|" "$T/m.conf" >"$T/bg.conf"
SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -C -c "$T/bg.conf" \
    -M "udp:127.0.0.1:$SNMP" -Lf "$T/bg.log" -p "$T/bg.pid" >"$T/bg.out" 2>&1
rc=$?
p=$(cat "$T/bg.pid" 2>/dev/null)
PIDS="$PIDS ${p:-}"
[ $rc -eq 0 ] && [ -n "$p" ] && kill -0 "$p" 2>/dev/null &&
    ok "without -f: status 0 once up, pid file written, process running" ||
    ko "without -f: up in the background (rc $rc, pid ${p:-none})" "$(cat "$T/bg.out" "$T/bg.log")"
logger -d -n 127.0.0.1 -P "$SYSLOG" --rfc3164 -p mail.err -t MSExchangeIMC \
    -- "4143: The Internet Mail Service could not start"
wait_for 10 sh -c "[ \"\$(snmpget -v2c -c public -t 1 -r 1 -Ov -Oq udp:127.0.0.1:$SNMP $R.1.1.6.0 | grep -o '^[0-9]*')\" = 1 ]" &&
    ok "without -f: a syslog line is read and diagnosed" ||
    ko "without -f: a syslog line is read and diagnosed" "$(tail -5 "$T/bg.log")"
[ -n "$p" ] && kill "$p"
wait_for 5 sh -c "! kill -0 ${p:-0} 2>/dev/null" && [ ! -e "$T/bg.pid" ] &&
    ok "without -f: stops on SIGTERM, pid file removed" ||
    ko "without -f: stops on SIGTERM" "$(tail -3 "$T/bg.log")"
[ -s "$T/state-bg/imsmon.db" ] && ok "without -f: the state was saved" ||
    ko "without -f: the state was saved" "$(ls -l "$T/state-bg")"
# A start that fails in the background process: the command says so.
o=$(SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -C -c "$T/typo.conf" \
    -M "udp:127.0.0.1:$SNMP" 2>&1)
[ $? -ne 0 ] && ok "without -f: a failed start is a non-zero status" ||
    ko "without -f: a failed start is a non-zero status" "$o"

# -u/-g: bind a privileged port as root, then run as nobody.
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: -u/-g needs root"
else
	PRIV=$((600 + $$ % 300))
	while in_use $PRIV; do PRIV=$((PRIV + 1)); done
	chmod 755 "$T"
	# The state directory is root's, as imsmond creates it before the
	# drop: its files must become nobody's, or nothing is saved after.
	chown nobody "$T/p-ims"
	cat >"$T/u.conf" <<EOF
rocommunity public 127.0.0.1
syslogListen udp:127.0.0.1:$PRIV
kbDir $ROOT/kb
stateDir $T/state-u
EOF
	SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/u.conf" \
	    -M "udp:127.0.0.1:$SNMP" -u nobody -g nogroup -p "$T/u.pid" \
	    >"$T/u.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 sh -c "snmpget -v2c -c public -t 1 -r 1 udp:127.0.0.1:$SNMP $R.1.1.1.0 | grep -q imsmond" &&
	    ok "-u nobody -g nogroup: up" || ko "-u/-g: up" "$(cat "$T/u.log")"
	p=$(cat "$T/u.pid")
	uid=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$p/status)
	gid=$(awk '/^Gid:/ { print $2, $3, $4, $5 }' /proc/$p/status)
	nu=$(id -u nobody) ng=$(getent group nogroup | cut -d: -f3)
	[ "$uid" = "$nu $nu $nu $nu" ] && [ "$gid" = "$ng $ng $ng $ng" ] &&
	    ok "runs as nobody:nogroup (real, effective, saved)" ||
	    ko "runs as nobody:nogroup" "Uid $uid Gid $gid"
	awk '/^Groups:/' /proc/$p/status | grep -qE '^Groups:[[:space:]]*('"$ng"')?[[:space:]]*$' &&
	    ok "no supplementary groups left" ||
	    ko "no supplementary groups left" "$(grep Groups /proc/$p/status)"
	# The privileged listener, bound before the drop, still receives.
	r0=$(snmpget -v2c -c public -t 1 -r 1 -Ov -Oq udp:127.0.0.1:$SNMP $R.1.2.1.0)
	logger -d -n 127.0.0.1 -P "$PRIV" -- "a line to the privileged port"
	wait_for 5 sh -c "[ \"\$(snmpget -v2c -c public -t 1 -r 1 -Ov -Oq udp:127.0.0.1:$SNMP $R.1.2.1.0)\" -gt $r0 ]" &&
	    ok "the privileged port ($PRIV) still receives after the drop" ||
	    ko "the privileged port still receives" "$(tail -3 "$T/u.log")"
	# A fault after the drop is diagnosed and saved by nobody.
	logger -d -n 127.0.0.1 -P "$PRIV" --rfc3164 -p mail.err -t MSExchangeIMC \
	    -- "4143: The Internet Mail Service could not start"
	open_faults() { snmpget -v2c -c public -t 1 -r 1 -Ov -Oq udp:127.0.0.1:$SNMP $R.1.1.6.0 | grep -o '^[0-9]*'; }
	wait_for 5 sh -c "[ \"\$(snmpget -v2c -c public -t 1 -r 1 -Ov -Oq udp:127.0.0.1:$SNMP $R.1.1.6.0 | grep -o '^[0-9]*')\" = 1 ]" &&
	    ok "a fault after the drop is diagnosed" ||
	    ko "a fault after the drop is diagnosed" "$(open_faults) / $(tail -3 "$T/u.log")"
	sleep 2		# the next periodic commit has run
	v=$(snmpget -v2c -c public -t 1 -r 1 -Ov -Oq udp:127.0.0.1:$SNMP $R.1.7.1.0)
	own=$(stat -c '%U' "$T/state-u" "$T/state-u/imsmon.db" "$T/state-u/imsmon.db-wal" | sort -u | tr '\n' ' ')
	[ "$v" = 1 ] && [ "$own" = "nobody " ] &&
	    ok "the state directory and files are nobody's, saved (imsStateStatus ok)" ||
	    ko "the state is nobody's and saved" "imsStateStatus $v, owners $own, $(tail -3 "$T/u.log")"
	kill "$p"
	wait_for 5 sh -c "! kill -0 $p 2>/dev/null" && ok "stops on SIGTERM" ||
	    ko "stops on SIGTERM"
	# Started again as nobody from the start (as a unit with User= does),
	# on an unprivileged port: the fault is back, the database in use.
	sed "s/^syslogListen .*/syslogListen udp:127.0.0.1:$SYSLOG/" "$T/u.conf" >"$T/u2.conf"
	chmod 644 "$T/u2.conf"
	SNMP_PERSISTENT_DIR="$T/p-ims" setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$IMSMOND" -f -C -c "$T/u2.conf" \
	    -M "udp:127.0.0.1:$SNMP" >"$T/u2.log" 2>&1 &
	p=$!
	PIDS="$PIDS $p"
	wait_for 10 sh -c "snmpget -v2c -c public -t 1 -r 1 udp:127.0.0.1:$SNMP $R.1.1.1.0 | grep -q imsmond" ||
	    ko "started as nobody: up" "$(cat "$T/u2.log")"
	v=$(snmpget -v2c -c public -t 1 -r 1 -Ov -Oq udp:127.0.0.1:$SNMP $R.1.7.1.0)
	[ "$(open_faults)" = 1 ] && [ "$v" = 1 ] && ! ls "$T/state-u" | grep -q aside &&
	    ok "started as nobody later: the fault restored, nothing moved aside" ||
	    ko "started as nobody later: the fault restored" "$(open_faults) faults, imsStateStatus $v, $(ls "$T/state-u"), $(tail -3 "$T/u2.log")"
	kill "$p"
	wait_for 5 sh -c "! kill -0 $p 2>/dev/null" || ko "stops on SIGTERM (again)"
	o=$(SNMP_PERSISTENT_DIR="$T/p-ims" "$IMSMOND" -f -C -c "$T/u.conf" \
	    -M "udp:127.0.0.1:$SNMP" -u no-such-user-here 2>&1)
	[ $? -ne 0 ] && echo "$o" | grep -q "no such user" &&
	    ok "-u of an unknown user: refused" || ko "-u of an unknown user" "$o"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
