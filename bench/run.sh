#!/bin/sh
# make bench: throughput of `imsdiag replay --json` on a deterministic
# corpus of forwarded Windows event-log lines, against, in the same run on
# the same machine:
#   - wc -l and a mawk one-liner that only counts event IDs (floors);
#   - SEC 2.9 with equivalent rules (bench/imsmon.sec, imsmon-evidence.sec,
#     imsmon-sec.pl) that must reach the same diagnoses.
# The answers of both are checked against the generator's expected answer.
# The figures go to the "Results" section of docs/benchmarks.md.
#
# Environment: B (build dir, default build), CC, BENCH_LINES (default
# 1000000), BENCH_REPS (runs of the fast tools, median taken; default 3),
# BENCH_DOC (file to write the results into; empty: do not write),
# BENCH_SEC (0: do not run SEC, ~30 s), BENCH_MORE (0: do not go on with
# bench/snmp.sh and bench/ingest.sh).  The fast tools run in rounds, one
# run of each per round, so that a change in the machine's other load
# falls on all of them alike.
# Exit status: 0 when every answer matched, 1 on a mismatch, 2 on error.
# Performance targets are reported, never enforced.

set -u

B=${B:-build}
CC=${CC:-cc}
LINES=${BENCH_LINES:-1000000}
REPS=${BENCH_REPS:-3}
DOC=${BENCH_DOC-docs/benchmarks.md}
RUN_SEC=${BENCH_SEC:-1}
MORE=${BENCH_MORE:-1}
IMSDIAG=$B/imsdiag
KB=kb		# the five seed articles are copied out of it below
NOW=2000-03-20T00:00:00

cd "$(dirname "$0")/.." || exit 2
TOP=$(pwd)

die() { echo "bench: $*" >&2; exit 2; }

[ -x "$IMSDIAG" ] || die "$IMSDIAG not built (run make)"
command -v perl >/dev/null 2>&1 || die "perl is needed (package perl)"

W=$(mktemp -d "${TMPDIR:-/tmp}/imsmon-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 2' HUP INT TERM

if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$W/t" true 2>/dev/null; then
	HAVE_TIME=1
	CPU_NOTE="CPU = user + system time of the process."
else
	HAVE_TIME=0
	CPU_NOTE="No /usr/bin/time here: CPU figures are wall-clock time, and peak RSS
was sampled from /proc every 10 ms."
	echo "bench: /usr/bin/time (package time) not found:" \
	    "peak RSS sampled from /proc/PID/status instead" >&2
fi

now_ns() { date +%s%N; }

# run OUT CMD...: run once with stdout to OUT; sets RUN_MS (wall),
# RUN_CPU (user + system, ms; the wall time when it cannot be had), RUN_KB
# (peak RSS) and RUN_RC.
run() {
	_out=$1; shift
	if [ "$HAVE_TIME" = 1 ]; then
		_t0=$(now_ns)
		/usr/bin/time -f '%M %U %S' -o "$W/rss" "$@" > "$_out"
		RUN_RC=$?
		_t1=$(now_ns)
		set -- $(tail -n 1 "$W/rss")
		RUN_KB=$1
		RUN_CPU=$(awk -v u="$2" -v s="$3" \
		    'BEGIN { printf "%d", (u + s) * 1000 + 0.5 }')
	else
		_t0=$(now_ns)
		"$@" > "$_out" &
		_pid=$!
		RUN_KB=0
		while kill -0 "$_pid" 2>/dev/null; do
			_v=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' \
			    "/proc/$_pid/status" 2>/dev/null)
			[ -n "$_v" ] && RUN_KB=$_v
			sleep 0.01
		done
		wait "$_pid"
		RUN_RC=$?
		_t1=$(now_ns)
		RUN_CPU=
	fi
	RUN_MS=$(( (_t1 - _t0) / 1000000 ))
	[ "$RUN_MS" -gt 0 ] || RUN_MS=1
	[ -n "$RUN_CPU" ] || RUN_CPU=$RUN_MS
	[ "$RUN_CPU" -gt 0 ] || RUN_CPU=1
}

# measure NAME REPS OUT CMD...: medians of wall and CPU time, largest peak
# RSS; sets <NAME>_MS, <NAME>_CPU and <NAME>_KB.
measure() {
	_name=$1 _reps=$2 _o=$3; shift 3
	_i=0
	while [ "$_i" -lt "$_reps" ]; do
		measure_once "$_name" "$_o" "$@"
		_i=$((_i + 1))
	done
	measure_done "$_name"
}

# measure_once NAME OUT CMD...: one run, its figures kept for measure_done.
measure_once() {
	_name=$1 _o=$2; shift 2
	run "$_o" "$@"
	[ "$RUN_RC" = 0 ] || die "$_name: exit status $RUN_RC"
	echo "$RUN_MS" >> "$W/times.$_name"
	echo "$RUN_CPU" >> "$W/cpus.$_name"
	echo "$RUN_KB" >> "$W/kbs.$_name"
}

# measure_done NAME: the medians of its runs so far.
measure_done() {
	_name=$1
	_reps=$(wc -l < "$W/times.$_name")
	_mid=$(( (_reps + 1) / 2 ))
	_ms=$(sort -n "$W/times.$_name" | sed -n "${_mid}p")
	_cpu=$(sort -n "$W/cpus.$_name" | sed -n "${_mid}p")
	_kb=$(sort -n "$W/kbs.$_name" | tail -n 1)
	eval "${_name}_MS=$_ms ${_name}_CPU=$_cpu ${_name}_KB=$_kb"
	printf '%-8s wall %6s ms  cpu %6s ms  (median of %s)  peak RSS %6s KB  %s lines/s (cpu)\n' \
	    "$_name" "$_ms" "$_cpu" "$_reps" "$_kb" "$(rate "$_cpu")"
}

rate() { echo $(( LINES * 1000 / $1 )); }
# 1234567 -> 1,234,567
grp() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# --- corpus --------------------------------------------------------------

echo "bench: generating $LINES lines"
$CC -O2 -std=c17 -D_DEFAULT_SOURCE -o "$W/gencorpus" bench/gencorpus.c ||
    die "cannot build bench/gencorpus.c"
"$W/gencorpus" -n "$LINES" "$W/corpus.log" "$W/expected.txt" \
    2> "$W/gen.txt" || die "gencorpus failed"
sed 's/^/  /' "$W/gen.txt"
C=$W/corpus.log
cat "$C" > /dev/null	# into the page cache for everyone
LOAD=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)

# --- measure -------------------------------------------------------------

MAWK_PROG='NF > 6 { c[$6]++; next }
/#011/ { split($0, f, "#011"); c[f[6]]++; next }
{ s = substr($0, index($0, ": ") + 2); i = substr(s, 1, index(s, ":") - 1)
  if (i ~ /^[0-9]+$/) c[i]++ }
END { for (k in c) print k, c[k] }'
if command -v mawk >/dev/null 2>&1; then
	HAVE_MAWK=1
	MAWK_VER=$(mawk -W version 2>&1 | sed -n '1{s/ *compiled.*//;s/^mawk *//;p;}')
else
	echo "bench: mawk not installed: floor skipped" >&2
	HAVE_MAWK=0 MAWK_MS= MAWK_KB= MAWK_VER=
fi

# The answers are checked against the five seed articles (the generator's
# model and SEC's rules encode those); the whole shipped family is timed
# beside them to show that the per-record cost does not grow with the KB
# (issue 5, item 7).
mkdir -p "$W/kb5"
for q in Q154589 Q173496 Q183178 Q246115 Q306308; do
	cp "$KB/$q.kb" "$W/kb5/"
done
cp "$KB/_symptoms.kb" "$KB/_status.kb" "$W/kb5/"
sed -i '/^see-also/d' "$W/kb5"/Q*.kb
NART5=$("$IMSDIAG" kb check "$W/kb5" | sed -n 's/.*: \([0-9]*\) articles.*/\1/p')
NARTF=$("$IMSDIAG" kb check "$KB" | sed -n 's/.*: \([0-9]*\) articles.*/\1/p')
[ -n "$NART5" ] && [ -n "$NARTF" ] || die "cannot load the knowledge bases"

# Rounds: wc, mawk, imsdiag with five articles, with the family.
_r=0
while [ "$_r" -lt "$REPS" ]; do
	measure_once WC "$W/wc.out" wc -l "$C"
	[ "$HAVE_MAWK" = 1 ] &&
	    measure_once MAWK "$W/mawk.out" mawk -F '\t' "$MAWK_PROG" "$C"
	measure_once IMSDIAG "$W/imsdiag.json" \
	    "$IMSDIAG" replay --json --kb "$W/kb5" --now "$NOW" "$C"
	measure_once FAMILY "$W/family.json" \
	    "$IMSDIAG" replay --json --kb "$KB" --now "$NOW" "$C"
	_r=$((_r + 1))
done
measure_done WC
[ "$HAVE_MAWK" = 1 ] && measure_done MAWK
measure_done IMSDIAG
measure_done FAMILY

if [ "$RUN_SEC" = 0 ]; then
	echo "bench: BENCH_SEC=0: SEC not run" >&2
	SEC_MS= SEC_KB= SEC_VER=
elif command -v sec >/dev/null 2>&1; then
	SEC_VER=$(sec --version 2>/dev/null | sed -n '1s/^SEC (Simple Event Correlator) //p')
	measure SEC 1 "$W/sec.out" env \
	    IMSMON_SEC_LIB="$TOP/bench/imsmon-sec.pl" \
	    IMSMON_SEC_OUT="$W/sec.txt" IMSMON_SEC_YEAR=2000 \
	    sec --conf=bench/imsmon.sec --conf=bench/imsmon-evidence.sec \
	    --input="$C" --notail --intevents --nochildterm \
	    --log="$W/sec.log" --debug=3
	[ -f "$W/sec.txt" ] || { cat "$W/sec.log" >&2; die "SEC wrote no result"; }
else
	echo "bench: sec not installed: peer skipped" >&2
	SEC_MS= SEC_KB= SEC_VER=
fi

# --- answers -------------------------------------------------------------

# imsdiag's final open faults, one "HOST<TAB>ARTICLE|ambiguous" a line.
perl -MJSON::PP -e '
	local $/; my $j = decode_json(<STDIN>);
	for my $s (@{$j->{servers}}) {
		for my $f (@{$s->{faults}}) {
			next if $f->{state} eq "cleared";
			print uc($s->{name}), "\t",
			    $f->{article} // "ambiguous", "\n";
		}
	}' < "$W/imsdiag.json" > "$W/imsdiag.txt" ||
    die "cannot read imsdiag's JSON"
LC_ALL=C sort "$W/expected.txt" > "$W/expected.sorted"

FAIL=0
check() {	# NAME FILE
	LC_ALL=C sort "$2" > "$2.sorted"
	if cmp -s "$W/expected.sorted" "$2.sorted"; then
		echo "answers: $1 MATCH ($(wc -l < "$2.sorted") open faults)"
		eval "${1}_ANS=MATCH"
	else
		echo "answers: $1 MISMATCH (< expected, > $1):"
		diff "$W/expected.sorted" "$2.sorted" | head -n 40
		eval "${1}_ANS=MISMATCH"
		FAIL=1
	fi
}
check imsdiag "$W/imsdiag.txt"
if [ -n "$SEC_MS" ]; then
	check sec "$W/sec.txt"
	if cmp -s "$W/imsdiag.txt.sorted" "$W/sec.txt.sorted"; then
		echo "answers: SEC and imsdiag agree"
	else
		echo "answers: SEC and imsdiag DISAGREE (< imsdiag, > sec):"
		diff "$W/imsdiag.txt.sorted" "$W/sec.txt.sorted" | head -n 40
	fi
else
	sec_ANS="not run"
fi
NFAULTS=$(wc -l < "$W/expected.sorted")
NHOSTS=$(cut -f 1 "$W/expected.sorted" | sort -u | wc -l)
NAMBIG=$(grep -c 'ambiguous$' "$W/expected.sorted")

# --- figures -------------------------------------------------------------

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "met" : "missed" }'; }

# CPU times come in 10 ms ticks: too coarse under this.
CPU_MIN=50

# Ratios of lines/s, imsdiag over the other, on CPU time (what a shared
# machine's other load disturbs least) and on wall-clock time; the
# verdicts use CPU time when both are measurable, else wall time.
# xratio OTHER: sets XC (CPU, or n/a), XW (wall) and XV (for the verdict).
xratio() {
	eval "_oc=\$${1}_CPU _ow=\$${1}_MS"
	XW=$(ratio "$_ow" "$IMSDIAG_MS")
	if [ "$_oc" -lt "$CPU_MIN" ] || [ "$IMSDIAG_CPU" -lt "$CPU_MIN" ]; then
		XC="n/a" XV=$XW
	else
		XV=$(ratio "$_oc" "$IMSDIAG_CPU") XC="$XV ×"
	fi
}
if [ -n "$SEC_MS" ]; then
	xratio SEC; X_SEC=$XC X_SEC_W=$XW
	V_SEC=$(verdict "$XV" 20)
	V_RSS=$( [ "$IMSDIAG_KB" -le "$SEC_KB" ] && echo met || echo missed)
fi
if [ -n "$MAWK_MS" ]; then
	xratio MAWK; F_MAWK=$XC F_MAWK_W=$XW
	V_MAWK=$(verdict "$XV" 1.0)
fi
xratio WC; F_WC=$XC F_WC_W=$XW
# Family over five: above 1 means the bigger KB costs more per record.
KB_COST=$(ratio "$FAMILY_CPU" "$IMSDIAG_CPU")
KB_COST_W=$(ratio "$FAMILY_MS" "$IMSDIAG_MS")

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
NPROC=$(nproc 2>/dev/null || echo '?')
MEM=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
DATE=$(date -u +%Y-%m-%d)
BYTES=$(wc -c < "$C")

row() {	# TOOL WORK NAME
	eval "_ms=\$${3}_MS _cpu=\$${3}_CPU _kb=\$${3}_KB"
	if [ "$_cpu" -lt "$CPU_MIN" ]; then
		_c="< $CPU_MIN ms" _r="n/a"
	else
		_c="$(grp "$_cpu") ms" _r=$(grp "$(rate "$_cpu")")
	fi
	echo "| $1 | $2 | $(grp "$_ms") ms | $_c | $_r | $(grp "$(rate "$_ms")") | $(mb "$_kb") MB |"
}

{
	echo "Measured $DATE by \`make bench\`, all figures from one run on one machine:"
	echo "$NPROC CPUs ($CPU), $MEM RAM; load average just before the"
	echo "measurements $LOAD (the machine is shared).  Corpus: $(grp "$LINES") lines,"
	echo "$(grp "$BYTES") bytes, read from the page cache.  Fast tools: median of $REPS"
	echo "runs, taken in rounds (one run of each tool a round); SEC: one run."
	echo "$CPU_NOTE"
	echo
	echo "| tool | work | wall | CPU | lines/s (CPU) | lines/s (wall) | peak RSS |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	row '`wc -l`' 'count lines (floor)' WC
	[ -n "$MAWK_MS" ] &&
	row "mawk $MAWK_VER" 'count lines per event ID (floor)' MAWK
	row "\`imsdiag replay --json\`, $NART5 articles" 'parse, match, correlate, diagnose' IMSDIAG
	row "\`imsdiag replay --json\`, $NARTF articles (kb/)" 'the same, whole family loaded' FAMILY
	[ -n "$SEC_MS" ] &&
	row "SEC $SEC_VER, \`bench/imsmon*.sec\`" 'the same diagnoses' SEC
	echo
	echo "| target (issue 2, item 9) | on CPU time | on wall time | |"
	echo "|---|---:|---:|---|"
	[ -n "$SEC_MS" ] &&
	echo "| imsdiag ≥ 20 × SEC's lines/s | ${X_SEC} | ${X_SEC_W} × | $V_SEC |"
	[ -n "$MAWK_MS" ] &&
	echo "| imsdiag ≥ 1.0 × mawk's lines/s (issue 12) | ${F_MAWK} | ${F_MAWK_W} × | $V_MAWK |"
	echo "| imsdiag against \`wc -l\` (no target) | ${F_WC} | ${F_WC_W} × | |"
	[ -n "$SEC_MS" ] &&
	echo "| imsdiag's peak RSS ≤ SEC's | $(mb "$IMSDIAG_KB") MB against $(mb "$SEC_KB") MB | | $V_RSS |"
	echo "| exact answers: imsdiag = expected | $imsdiag_ANS | | |"
	echo "| exact answers: SEC = expected | $sec_ANS | | |"
	echo
	echo "| KB size (issue 5, item 7) | on CPU time | on wall time |"
	echo "|---|---:|---:|"
	echo "| time per record, $NARTF articles over $NART5 | $KB_COST × | $KB_COST_W × |"
	echo
	echo "Expected answer: $NFAULTS open faults on $NHOSTS hosts ($NAMBIG ambiguous)."
	echo "Corpus, as the generator describes it:"
	echo
	sed 's/^/    /' "$W/gen.txt"
} > "$W/results.md"

echo
cat "$W/results.md"

if [ -n "$DOC" ]; then
	if [ -f "$DOC" ] && grep -q '^<!-- results: begin -->' "$DOC" &&
	    grep -q '^<!-- results: end -->' "$DOC"; then
		awk -v res="$W/results.md" '
			/^<!-- results: begin -->/ {
				print; print ""
				while ((getline l < res) > 0) print l
				print ""; skip = 1; next
			}
			/^<!-- results: end -->/ { skip = 0 }
			!skip { print }
		' "$DOC" > "$W/doc.new" && cat "$W/doc.new" > "$DOC"
	else
		{
			echo "# Benchmarks"
			echo
			echo "## Results"
			echo
			echo "<!-- results: begin -->"
			echo
			cat "$W/results.md"
			echo
			echo "<!-- results: end -->"
		} > "$DOC"
	fi
	echo "bench: results written to $DOC"
fi

if [ "$MORE" = 0 ]; then
	echo "bench: BENCH_MORE=0: bench/snmp.sh and bench/ingest.sh not run" >&2
	exit "$FAIL"
fi
sh bench/snmp.sh || { s=$?; [ "$s" -gt "$FAIL" ] && FAIL=$s; }
sh bench/ingest.sh || { s=$?; [ "$s" -gt "$FAIL" ] && FAIL=$s; }
sh bench/hosts.sh || { s=$?; [ "$s" -gt "$FAIL" ] && FAIL=$s; }
exit "$FAIL"
