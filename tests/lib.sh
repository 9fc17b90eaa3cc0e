# Helpers shared by the integration scripts (sourced, not run):
# results, a temp dir whose processes are stopped by PID, free ports.
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/    /' | head -n 20; }
skip() { echo "SKIP: $1"; echo "0 passed, 0 failed"; exit 0; }

# T: a temp dir; PIDS and $T/*.pid are stopped (TERM, then KILL) at exit.
lib_tmpdir() {	# PREFIX
	T=$(mktemp -d "/tmp/$1.XXXXXX") || exit 1
	PIDS=""
	trap lib_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}
lib_cleanup() {
	for p in $PIDS $(cat "$T"/*.pid 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $PIDS $(cat "$T"/*.pid 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}

in_use() { ss -Hlntu 2>/dev/null | awk '{print $5}' | grep -q ":$1\$"; }
# BASE: the first of 8 free ports, starting from one derived from our PID
# (OFFSET keeps two scripts run at once apart).
lib_ports() {	# OFFSET
	base=$((20000 + $1 + ($$ % 4000) * 10))
	while :; do
		busy=0
		for i in 0 1 2 3 4 5 6 7; do
			in_use $((base + i)) && busy=1
		done
		[ $busy -eq 0 ] && break
		base=$((base + 10))
		[ $base -lt 60000 ] || base=$((20000 + $1))
	done
	BASE=$base
}

wait_for() {	# SECONDS COMMAND...: poll every 0.2 s
	n=$(($1 * 5))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# Skip unless every tool named is on PATH; sets RSYSLOGD when asked for.
lib_need() {	# TOOL...
	for t in "$@"; do
		if [ "$t" = rsyslogd ]; then
			RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
			[ -x "$RSYSLOGD" ] || skip "rsyslogd not installed (make deps)"
			continue
		fi
		command -v "$t" >/dev/null 2>&1 || skip "$t not installed (make deps)"
	done
}

# The IETF base MIBs and a built imsmond: sets ROOT, IETF and IMSMOND.
lib_agent_env() {
	IETF=${IETF_MIBS:-build/ietf-mibs}
	sh mib/fetch-ietf.sh "$IETF" >/dev/null 2>&1 ||
	    skip "IETF base MIBs unavailable (npm missing? run make deps)"
	if [ ! -x "$B/imsmond" ]; then
		ko "$B/imsmond is built"
		echo "$pass passed, $fail failed"
		exit 1
	fi
	ROOT=$(pwd)
	IETF=$(cd "$IETF" && pwd)
	IMSMOND=$ROOT/$B/imsmond
}
