#!/bin/sh
# make bench (state part): what saving the state costs, in one run on one
# machine (bench/statebench.c):
#   - replay throughput of the corpus of bench/run.sh through the engine,
#     with the state saved (commits every second and before every
#     notification, as imsmond) and without: the ratio;
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
: >"$W/off"; : >"$W/on"; : >"$W/full"; : >"$W/commits"
i=0
while [ $i -lt $REPS ]; do
	set -- $("$W/statebench" replay kb "$W/corpus.log") || die "replay"
	echo "$3" >>"$W/off"
	rm -rf "$W/st" && mkdir "$W/st"
	set -- $("$W/statebench" replay kb "$W/corpus.log" "$W/st") || die "replay on"
	echo "$3" >>"$W/on"
	echo "$4" >>"$W/commits"
	rm -rf "$W/st" && mkdir "$W/st"
	set -- $("$W/statebench" replay kb "$W/corpus.log" "$W/st" fsync) ||
	    die "replay fsync"
	echo "$3" >>"$W/full"
	i=$((i + 1))
done
off=$(med <"$W/off") on=$(med <"$W/on") commits=$(med <"$W/commits")
full=$(med <"$W/full")
rate() { awk -v n="$LINES" -v ns="$1" 'BEGIN { printf "%d", n / (ns / 1e9) }'; }
echo "replay, state off: $(rate "$off") lines/s"
echo "replay, state on:  $(rate "$on") lines/s ($commits commits)"
echo "replay, state on, stateFsync yes: $(rate "$full") lines/s"
awk -v a="$on" -v b="$off" -v c="$full" 'BEGIN {
	printf "time on / off: %.2f; with stateFsync yes / off: %.2f\n", a / b, c / b }'

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
