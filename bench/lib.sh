# Helpers shared by the benchmarks that run imsmond (sourced, not run),
# on top of tests/lib.sh (the temp dir whose processes are stopped by PID,
# free ports, wait_for).  The caller sets NAME (for its messages) and runs
# from the top of the tree; B, CC and ROOT are set here.
. tests/lib.sh
B=${B:-build}
CC=${CC:-cc}
ROOT=$(pwd)

die() { echo "bench/$NAME: $*" >&2; exit 2; }

# Skipped (status 0) unless every tool is on PATH; imsmond must be built.
bench_need() {	# TOOL...
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
		    { echo "bench/$NAME: no $c, skipped"; exit 0; }
	done
	[ -x "$B/imsmond" ] || die "$B/imsmond not built (run make)"
}

# W: the temp dir (tests/lib.sh's T), removed with its processes at exit.
bench_tmpdir() {
	lib_tmpdir "imsmon-$NAME"
	W=$T
}

bench_cc() {	# PROGRAM: bench/PROGRAM.c built as $W/PROGRAM
	$CC -O2 -std=c17 -D_DEFAULT_SOURCE -o "$W/$1" "bench/$1.c" ||
	    die "cannot build bench/$1.c"
}

# A private snmpd master agent on udp:127.0.0.1:SNMP-PORT, its AgentX
# socket $W/agentx.sock; with TRAP-PORT it sends informs there (trapsess
# -Ci, acknowledged and retried, as the README recommends).
bench_snmpd() {	# SNMP-PORT [TRAP-PORT]
	mkdir -p "$W/p-snmpd"
	{
		echo "agentaddress udp:127.0.0.1:$1"
		echo "master agentx"
		echo "agentXSocket $W/agentx.sock"
		echo "agentXPerms 0660 0700"
		echo "rocommunity public 127.0.0.1"
		[ -z "${2:-}" ] ||
		    echo "trapsess -Ci -v 2c -c public -r 5 -t 10 udp:127.0.0.1:$2"
	} >"$W/snmpd.conf"
	MIBS= SNMP_PERSISTENT_DIR="$W/p-snmpd" snmpd -f -I -smux -C \
	    -c "$W/snmpd.conf" -Lf "$W/snmpd.log" >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 test -S "$W/agentx.sock" || die "snmpd master not up"
}
