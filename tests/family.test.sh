#!/bin/sh
# The IMS article family (docs/kb-family.md): replay each fixture written
# from a curated article's symptoms and check what it must mean, whatever
# the exact scores:
#   family-qNNNNNN.*.log    the article ranks first: it is diagnosed, or the
#                           fault is ambiguous with it on top (or tied for
#                           the top score); no fault names another article;
#   family-shared-*.log     evidence several articles share, alone: the
#                           outcome in the table below.
# The golden test (golden.test.sh) pins the exact output of the same files.
B=${B:-build}
IMSDIAG="$B/imsdiag"
KBDIR=${FAMILY_KB:-kb}
DIR=${FAMILY_DIR:-tests/golden}
NOW=2000-03-20T00:00:00
pass=0 fail=0

# One line per fault: "STATE ARTICLE CAND:SCORE CAND:SCORE ..." (ranked).
faults() {
	"$IMSDIAG" replay --json --kb "$KBDIR" --now "$NOW" "$1" 2>/dev/null |
	awk 'BEGIN { RS = "\\{\"index\":" }
	NR > 1 {
		art = "-"; st = "?"; c = ""
		if (match($0, /"article":(null|"Q[0-9]+")/))
			art = substr($0, RSTART + 10, RLENGTH - 10)
		gsub(/"/, "", art); if (art == "null") art = "-"
		if (match($0, /"state":"[a-z]+"/))
			st = substr($0, RSTART + 9, RLENGTH - 10)
		rest = $0
		sub(/.*"candidates":\[/, "", rest); sub(/\].*/, "", rest)
		while (match(rest, /"article":"Q[0-9]+","rank":[0-9]+,"score":-?[0-9.]+/)) {
			m = substr(rest, RSTART, RLENGTH)
			split(m, f, /[:,]/)
			gsub(/"/, "", f[2])
			c = c " " f[2] ":" f[6] + 0
			rest = substr(rest, RSTART + RLENGTH)
		}
		print st, art c
	}'
}

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

for f in "$DIR"/family-q*.log; do
	[ -e "$f" ] || continue
	q=$(basename "$f" | sed -E 's/^family-q([0-9]+)\..*/Q\1/')
	out=$(faults "$f")
	if [ -z "$out" ]; then
		bad "$f" "no fault"
		continue
	fi
	verdict=$(echo "$out" | awk -v q="$q" '
	{
		if (($1 == "diagnosed" || $1 == "cleared") && $2 != "-" &&
		    $2 != q) { wrong = $2 }
		if ($1 == "diagnosed" && $2 == q) good = 1
		if ($1 == "ambiguous" && NF >= 3) {
			split($3, top, ":")
			for (i = 3; i <= NF; i++) {
				split($i, c, ":")
				if (c[1] == q && c[2] + 0 >= top[2] + 0) good = 1
			}
		}
	}
	END {
		if (wrong != "") print "diagnosed " wrong
		else if (!good) print "not first"
		else print "ok"
	}')
	if [ "$verdict" = ok ]; then ok; else bad "$f" "$verdict: $out"; fi
done

# Shared evidence alone: NAME OUTCOME [ARTICLES the candidates must hold].
while read -r name want arts; do
	f=$(ls "$DIR"/family-shared-"$name".*.log 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then
		bad "family-shared-$name" "fixture missing"
		continue
	fi
	out=$(faults "$f")
	case "$want" in
	none)
		if [ -z "$out" ]; then ok; else bad "$f" "want no fault: $out"; fi
		continue ;;
	esac
	state=$(echo "$out" | awk 'NR == 1 { print $1 }')
	if [ "$(echo "$out" | wc -l)" -ne 1 ] || [ "$state" != "$want" ]; then
		bad "$f" "want one $want fault: $out"
		continue
	fi
	miss=""
	for a in $arts; do
		echo "$out" | grep -q " $a:" || miss="$miss $a"
	done
	if [ -z "$miss" ]; then ok; else bad "$f" "candidates lack$miss: $out"; fi
done <<'EOF'
4018 ambiguous Q163243 Q192540 Q262939 Q316616 Q306308
4086 ambiguous Q155814 Q189730
drwatson-msexcimc ambiguous Q149542 Q214407
drwatson-store ambiguous Q166558 Q278320
4020 none
EOF

echo "family: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
