#!/bin/sh
# make bench (state part): what saving the state costs, in one run on one
# machine (bench/statebench.c):
#   - replay of the corpus of bench/run.sh through the engine, with the
#     state saved (commits every second, and the group commit that must
#     cover a notification before it goes, as imsmond) and without: the
#     ratio of the CPU times (user + system), medians of runs interleaved
#     so that the machine's other load falls on both alike;
#   - restart: the store rebuilt from a database of 10,000 servers and
#     100,000 cleared faults, and the peak RSS of the process after it.
# Environment: B (build dir), CC, BENCH_LINES (default 1000000),
# BENCH_REPS (default 3; medians).  Targets are reported, never enforced.
set -u
B=${B:-build}
CC=${CC:-cc}
LINES=${BENCH_LINES:-1000000}
REPS=${BENCH_REPS:-3}
cd "$(dirname "$0")/.." || exit 2
die() { echo "bench/state: $*" >&2; exit 2; }
[ -f "$B/libcore.a" ] || die "$B/libcore.a not built (run make)"
W=$(mktemp -d "${TMPDIR:-/tmp}/imsmon-sbench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 2' HUP INT TERM

$CC -O2 -std=c17 -D_DEFAULT_SOURCE -Isrc -o "$W/statebench" \
    bench/statebench.c "$B/libcore.a" -lsqlite3 || die "cannot build statebench"
$CC -O2 -std=c17 -D_DEFAULT_SOURCE -o "$W/gencorpus" bench/gencorpus.c ||
    die "cannot build gencorpus"
"$W/gencorpus" -n "$LINES" "$W/corpus.log" "$W/expected.txt" 2>/dev/null ||
    die "gencorpus failed"

med() { sort -n | sed -n "$(( (REPS + 1) / 2 ))p"; }
: >"$W/off"; : >"$W/on"; : >"$W/full"; : >"$W/commits"; : >"$W/group"
: >"$W/woff"; : >"$W/won"
i=0
while [ $i -lt $REPS ]; do
	# replay LINES WALL_NS COMMITS GROUP_COMMITS CPU_NS
	set -- $("$W/statebench" replay kb "$W/corpus.log") || die "replay"
	echo "$6" >>"$W/off"
	echo "$3" >>"$W/woff"
	rm -rf "$W/st" && mkdir "$W/st"
	set -- $("$W/statebench" replay kb "$W/corpus.log" "$W/st") || die "replay on"
	echo "$6" >>"$W/on"
	echo "$3" >>"$W/won"
	echo "$4" >>"$W/commits"
	echo "$5" >>"$W/group"
	rm -rf "$W/st" && mkdir "$W/st"
	set -- $("$W/statebench" replay kb "$W/corpus.log" "$W/st" fsync) ||
	    die "replay fsync"
	echo "$6" >>"$W/full"
	i=$((i + 1))
done
off=$(med <"$W/off") on=$(med <"$W/on") commits=$(med <"$W/commits")
full=$(med <"$W/full") group=$(med <"$W/group")
woff=$(med <"$W/woff") won=$(med <"$W/won")
rate() { awk -v n="$LINES" -v ns="$1" 'BEGIN { printf "%d", n / (ns / 1e9) }'; }
echo "replay, state off: $(rate "$off") lines per CPU second"
echo "replay, state on:  $(rate "$on") lines per CPU second ($commits commits, $group of them group commits for notifications)"
echo "replay, state on, stateFsync yes: $(rate "$full") lines per CPU second"
awk -v a="$on" -v b="$off" -v c="$full" -v wa="$won" -v wb="$woff" 'BEGIN {
	printf "CPU time on / off: %.2f; with stateFsync yes / off: %.2f; wall time on / off: %.2f\n", a / b, c / b, wa / wb }'

rm -rf "$W/big" && mkdir "$W/big"
t0=$(date +%s%N)
"$W/statebench" fill kb "$W/big" 10000 100000 || die "fill"
t1=$(date +%s%N)
echo "fill (10,000 servers, 100,000 cleared faults): $(( (t1 - t0) / 1000000 )) ms, database $(du -k "$W/big/imsmon.db" | cut -f1) KB"
: >"$W/rs"; : >"$W/kb"
i=0
while [ $i -lt $REPS ]; do
	set -- $("$W/statebench" restart kb "$W/big") || die "restart"
	echo "$2" >>"$W/rs"
	echo "$5" >>"$W/kb"
	srv=$3 flt=$4
	i=$((i + 1))
done
rs=$(med <"$W/rs") kb=$(med <"$W/kb")
awk -v ns="$rs" -v s="$srv" -v f="$flt" -v kb="$kb" 'BEGIN {
	printf "restart: %.0f ms for %d servers, %d faults in memory; peak RSS %.1f MiB\n", ns / 1e6, s, f, kb / 1024 }'
