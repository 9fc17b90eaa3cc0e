#!/bin/sh
# Run every unit-test binary and every tests/*.test.sh script, sum their
# "N passed, N failed" lines, and end with the total on a line of its own.
B=${B:-build}
export B
pass=0 fail=0 bad=""
out=$(mktemp)
for t in "$B"/tests/t_* tests/*.test.sh; do
	[ -e "$t" ] || continue
	case "$t" in *.d) continue ;; esac	# make's dependency files
	# A script that exercises no binary of ours in a way the sanitizers
	# could check (packaging, man pages, the MIB) says "# check: once"
	# and runs in the normal pass only.
	case "$B" in *asan*)
		if grep -q '^# check: once' "$t" 2>/dev/null; then
			echo "$t: runs in the normal pass only"
			continue
		fi ;;
	esac
	case "$t" in *.test.sh) cmd="sh $t" ;; *) cmd="$t" ;; esac
	$cmd >"$out" 2>&1
	rc=$?
	line=$(grep -E '(^|[^0-9])[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	p=$(echo "$line" | awk '{ for (i = 1; i < NF; i++)
	    if ($(i + 1) == "passed,") { print $i; exit } }')
	f=$(echo "$line" | awk '{ for (i = 2; i <= NF; i++)
	    if ($i ~ /^failed/) { print $(i - 1); exit } }')
	[ -n "$line" ] && [ -n "$p" ] && [ -n "$f" ] || { p=0; f=1; }
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		bad="$bad $t"
		cat "$out"
	else
		echo "$line"
	fi
done
rm -f "$out"
[ -z "$bad" ] || echo "failing:$bad"
echo "$pass $fail" >"$B/test-summary"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
