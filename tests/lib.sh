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
