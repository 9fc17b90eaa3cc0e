#!/bin/sh
# make bench, scale in hosts (issue 12): peak RSS and CPU time per line of
# `imsdiag replay --json` as the number of tracked hosts grows, on the
# corpus of bench/run.sh with the noise of domain controllers and member
# servers spread over further Exchange servers whose IMS runs
# (bench/gencorpus.c -H; every other line is the same): the default
# corpus (300 servers), then each of BENCH_HOSTS hosts.  Limits are as big
# as each run needs (--max-servers is the number of hosts, the default
# 4096 below that): nothing may be dropped, and the open faults must be
# those of the default corpus (the added servers have none).
#
# RSS per tracked host is the growth of peak RSS over the default corpus,
# divided by the servers added.  Time per line is CPU time (user +
# system) over the lines; its ratio to the first of BENCH_HOSTS shows
# whether it stays flat as hosts are added.  Each figure is the median of
# BENCH_REPS runs on CPU time and the largest peak RSS.  The figures go to
# the "Scale in hosts: results" section of docs/benchmarks.md.
#
# Environment: B (build dir, default build), CC, BENCH_LINES (default
# 1000000), BENCH_HOSTS (default "1000 10000 100000"), BENCH_REPS (default
# 3), BENCH_DOC (file to write the results into; empty: do not write).
# Exit status: 0 when every answer matched and nothing was dropped, 1
# otherwise, 2 on error.  Performance targets are reported, never
# enforced.

set -u

B=${B:-build}
CC=${CC:-cc}
LINES=${BENCH_LINES:-1000000}
HOSTS=${BENCH_HOSTS:-1000 10000 100000}
REPS=${BENCH_REPS:-3}
DOC=${BENCH_DOC-docs/benchmarks.md}
IMSDIAG=$B/imsdiag
KB=kb
NOW=2000-03-20T00:00:00

cd "$(dirname "$0")/.." || exit 2

die() { echo "bench hosts: $*" >&2; exit 2; }

[ -x "$IMSDIAG" ] || die "$IMSDIAG not built (run make)"
[ -x /usr/bin/time ] || { echo "bench hosts: /usr/bin/time (package time)" \
    "not found: skipped" >&2; exit 0; }
command -v perl >/dev/null 2>&1 || die "perl is needed (package perl)"

W=$(mktemp -d "${TMPDIR:-/tmp}/imsmon-hosts.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$W"' EXIT
trap 'exit 2' HUP INT TERM

$CC -O2 -std=c17 -D_DEFAULT_SOURCE -o "$W/gencorpus" bench/gencorpus.c ||
    die "cannot build bench/gencorpus.c"

# The five seed articles, as bench/run.sh checks the answer against.
mkdir -p "$W/kb5"
for q in Q154589 Q173496 Q183178 Q246115 Q306308; do
	cp "$KB/$q.kb" "$W/kb5/"
done
cp "$KB/_symptoms.kb" "$KB/_status.kb" "$W/kb5/"
sed -i '/^see-also/d' "$W/kb5"/Q*.kb

grp() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

FAIL=0
: > "$W/rows"

# one NAME [HOSTS]: generate, replay REPS times, check; appends a row
# "NAME SERVERS CPU_MS KB" to $W/rows.
one() {
	_name=$1 _h=${2-}
	if [ -n "$_h" ]; then
		"$W/gencorpus" -n "$LINES" -H "$_h" "$W/c.log" "$W/exp.txt" \
		    2> /dev/null || die "gencorpus -H $_h failed"
		_lim=$_h
		[ "$_lim" -ge 4096 ] || _lim=4096
	else
		"$W/gencorpus" -n "$LINES" "$W/c.log" "$W/exp.txt" \
		    2> /dev/null || die "gencorpus failed"
		_lim=4096
	fi
	cat "$W/c.log" > /dev/null	# into the page cache
	: > "$W/cpus"
	_kb=0 _i=0
	while [ "$_i" -lt "$REPS" ]; do
		/usr/bin/time -f '%M %U %S' -o "$W/t" "$IMSDIAG" replay --json \
		    --kb "$W/kb5" --now "$NOW" --max-servers "$_lim" \
		    "$W/c.log" > "$W/out.json" || die "$_name: imsdiag failed"
		set -- $(tail -n 1 "$W/t")
		[ "$1" -gt "$_kb" ] && _kb=$1
		awk -v u="$2" -v s="$3" \
		    'BEGIN { printf "%d\n", (u + s) * 1000 + 0.5 }' >> "$W/cpus"
		_i=$((_i + 1))
	done
	_cpu=$(sort -n "$W/cpus" | sed -n "$(( (REPS + 1) / 2 ))p")
	# Servers tracked, anything dropped, and the final open faults.
	perl -MJSON::PP -e '
		local $/; my $j = decode_json(<STDIN>);
		my $d = 0; $d += $_ for values %{$j->{stats}{dropped}};
		$d -= $j->{stats}{dropped}{episodes};	# the corpus has them
		open(my $a, ">", $ARGV[0]) or die;
		for my $s (@{$j->{servers}}) {
			for my $f (@{$s->{faults}}) {
				next if $f->{state} eq "cleared";
				print $a uc($s->{name}), "\t",
				    $f->{article} // "ambiguous", "\n";
			}
		}
		print scalar(@{$j->{servers}}), " $d\n";' "$W/ans.txt" \
	    < "$W/out.json" > "$W/srv" || die "cannot read imsdiag's JSON"
	read -r _srv _drop < "$W/srv"
	LC_ALL=C sort "$W/ans.txt" > "$W/ans.sorted"
	if [ -z "$_h" ]; then
		# The reference for the others; against the generator's
		# expected answer as well (bench/run.sh judges that one).
		cp "$W/ans.sorted" "$W/ans.default"
		LC_ALL=C sort "$W/exp.txt" > "$W/exp.sorted"
		EXP_DIFF=$(diff "$W/exp.sorted" "$W/ans.sorted" | grep -c '^[<>]')
		NFAULTS=$(wc -l < "$W/ans.sorted")
	fi
	if cmp -s "$W/ans.sorted" "$W/ans.default" && [ "$_drop" = 0 ]; then
		_ok=same
	else
		_ok=DIFFERENT FAIL=1
		echo "bench hosts: $_name: answer differs from the default" \
		    "corpus's, or $_drop dropped" >&2
	fi
	printf '%-8s servers %7s  cpu %6s ms  peak RSS %7s KB  answer %s\n' \
	    "$_name" "$_srv" "$_cpu" "$_kb" "$_ok"
	echo "$_name $_srv $_cpu $_kb $_ok" >> "$W/rows"
}

echo "bench hosts: $LINES lines, default corpus and $HOSTS hosts"
LOAD=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)
one default
for h in $HOSTS; do
	one "$h" "$h"
done

set -- $(head -n 1 "$W/rows")
BASE_SRV=$2 BASE_KB=$4
set -- $(sed -n 2p "$W/rows")
REF_NAME=$1 REF_CPU=$3
[ "$REF_CPU" -gt 0 ] || REF_CPU=1

# Targets of issue 12: peak RSS at 10,000 and 100,000 hosts, time per
# line flat (within 10%) as hosts are added.
target_kb() {
	case $1 in
	10000) echo $((20 * 1024)) ;;
	100000) echo $((64 * 1024)) ;;
	*) echo "" ;;
	esac
}

{
	echo "Measured $(date -u +%Y-%m-%d) by \`make bench\` (bench/hosts.sh):"
	echo "$(nproc 2>/dev/null || echo '?') CPUs, load average just before"
	echo "$LOAD (the machine is shared).  $(grp "$LINES") lines each,"
	echo "\`imsdiag replay --json\` with the five seed articles; CPU time is"
	echo "the median of $REPS runs, peak RSS the largest."
	echo
	echo "| corpus | servers tracked | peak RSS | RSS per added server | CPU | µs per line | against $(grp "$REF_NAME") hosts | open faults |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|"
	while read -r name srv cpu kb ok; do
		if [ "$name" = default ]; then
			label="default (bench/run.sh)" per="" rel=""
			ok="$NFAULTS"
		else
			label="\`gencorpus -H $name\`"
			per=$(awk -v a="$kb" -v b="$BASE_KB" -v n="$srv" \
			    -v m="$BASE_SRV" 'BEGIN { printf "%.0f B",
			    (a - b) * 1024 / (n - m) }')
			rel=$(awk -v a="$cpu" -v b="$REF_CPU" \
			    'BEGIN { printf "%.2f ×", a / b }')
			[ "$ok" = same ] && ok="the same"
		fi
		us=$(awk -v c="$cpu" -v l="$LINES" \
		    'BEGIN { printf "%.2f", c * 1000 / l }')
		echo "| $label | $(grp "$srv") | $(mib "$kb") MiB | $per | $(grp "$cpu") ms | $us | $rel | $ok |"
	done < "$W/rows"
	echo
	echo "| target (issue 12) | measured | |"
	echo "|---|---:|---|"
	tail -n +2 "$W/rows" | while read -r name srv cpu kb ok; do
		t=$(target_kb "$name")
		[ -n "$t" ] || continue
		v=$( [ "$kb" -le "$t" ] && echo met || echo missed)
		echo "| peak RSS with $(grp "$name") hosts ≤ $((t / 1024)) MiB | $(mib "$kb") MiB | $v |"
	done
	tail -n +3 "$W/rows" | while read -r name srv cpu kb ok; do
		r=$(awk -v a="$cpu" -v b="$REF_CPU" 'BEGIN { printf "%.2f", a / b }')
		v=$(awk -v r="$r" 'BEGIN { print (r <= 1.10) ? "met" : "missed" }')
		echo "| time per line with $(grp "$name") hosts ≤ 1.10 × with $(grp "$REF_NAME") | $r × | $v |"
	done
	echo
	echo "The default corpus's answer differs from the generator's expected"
	echo "answer in $EXP_DIFF lines (bench/run.sh reports that comparison)."
} > "$W/results.md"

echo
cat "$W/results.md"

if [ -n "$DOC" ]; then
	if [ -f "$DOC" ] && grep -q '^<!-- hosts-results: begin -->' "$DOC" &&
	    grep -q '^<!-- hosts-results: end -->' "$DOC"; then
		awk -v res="$W/results.md" '
			/^<!-- hosts-results: begin -->/ {
				print; print ""
				while ((getline l < res) > 0) print l
				print ""; skip = 1; next
			}
			/^<!-- hosts-results: end -->/ { skip = 0 }
			!skip { print }
		' "$DOC" > "$W/doc.new" && cat "$W/doc.new" > "$DOC"
		echo "bench hosts: results written to $DOC"
	else
		echo "bench hosts: no hosts-results markers in $DOC:" \
		    "results not written" >&2
	fi
fi
exit "$FAIL"
