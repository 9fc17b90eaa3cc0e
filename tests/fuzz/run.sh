#!/bin/sh
# Run one libFuzzer harness for a bounded time from a fresh working corpus
# seeded by the given files and directories.  Usage:
#	run.sh BINARY SECONDS MODE DICT SEED...
# MODE "lines" makes every line of a seed file its own input (records);
# MODE "kb" makes each directory of .kb files one input, the files joined
# by form feeds (fuzz_kb splits them again), and each .kb file one more.
# MODE "files" makes each file (of a directory too) one input.
# Crashes are kept beside the binary as crash-*; the last line says
# "NAME: N passed, N failed" like the unit tests.
bin=$1 secs=$2 mode=$3 dict=$4
shift 4
name=$(basename "$bin")
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/corpus"
n=0
seed_file() {	# file
	if [ "$mode" = lines ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			n=$((n + 1))
			printf '%s' "$line" >"$work/corpus/s$n"
		done <"$1"
	else
		n=$((n + 1))
		cp "$1" "$work/corpus/s$n"
	fi
}
for s in "$@"; do
	if [ -d "$s" ]; then
		if [ "$mode" = kb ]; then
			n=$((n + 1))
			first=1
			for f in "$s"/*.kb; do
				[ -f "$f" ] || continue
				[ $first = 1 ] || printf '\f' >>"$work/corpus/s$n"
				cat "$f" >>"$work/corpus/s$n"
				first=0
			done
		fi
		for f in "$s"/*; do
			[ -f "$f" ] && seed_file "$f"
		done
	elif [ -f "$s" ]; then
		seed_file "$s"
	fi
done
dir=$(dirname "$bin")
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
    -max_len="${FUZZ_MAXLEN:-70000}" -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="$dir/crash-$name-" "$work/corpus" \
    >"$work/log" 2>&1
rc=$?
tail -n 12 "$work/log" | grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|Done|DONE|ERROR|SUMMARY' || true
if [ $rc -eq 0 ]; then
	echo "$name: 1 passed, 0 failed"
else
	grep -E 'ERROR|SUMMARY|Test unit written' "$work/log" | head -n 20
	echo "$name: 0 passed, 1 failed"
	exit 1
fi
