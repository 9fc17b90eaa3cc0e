#!/bin/sh
# kbeval: how the knowledge base generalises (docs/kb-eval.md).
#
# Leave-one-out over Microsoft's articles of the IMS family (the archive
# in $KBEVAL_SHARED, default ../shared): for each article, the events its
# text describes (imsdiag kb events) in two forwarder formats (Snare,
# evtsys) are replayed against
#   pass "shipped"  kb/ without the article's curated entry;
#   pass "draft"    the same plus the article's own imported draft;
#   pass "all"      kb/ plus the drafts of every article (an operator
#                   who imports everything; drafts give way to curated
#                   entries of the same ID).
# Each replay is one outcome: right (the article diagnosed; for an
# article that is not an IMS failure: no fault), ambiguous with the
# article among the candidates, ambiguous without it, unknown cause, no
# fault, or confident wrong (another article diagnosed, or any fault for
# an article that is not an IMS failure: a false alarm).  Prints the
# counts per pass, and for the IMS failures whose stream holds a specific
# event (one that is neither the Service Control Manager's report nor a
# per-message 4116/4117) how often the article comes first: diagnosed, or
# the top candidate of an ambiguous or unknown-cause fault.  Exits 1 on
# any confident wrong.  Skips (exit 0)
# when the archive is absent.  KBEVAL_VERBOSE=1 prints every outcome.
B=${B:-build}
IMSDIAG="$B/imsdiag"
SHARED=${KBEVAL_SHARED:-../shared}
NOW=2000-03-20T00:00:00

if [ ! -d "$SHARED/kb-archive/md" ]; then
	echo "kbeval: skipped: no article archive at $SHARED/kb-archive"
	exit 0
fi
top=$(pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# The articles: the archive's markdown pages, then seeds not among them.
mkdir "$tmp/arts" "$tmp/drafts" "$tmp/all"
for f in "$SHARED"/kb-archive/md/Q*.md; do
	[ -e "$f" ] && cp "$f" "$tmp/arts/"
done
for f in "$SHARED"/seeds/*; do
	[ -f "$f" ] || continue
	id=$(sed -n 's/^title: "\(Q[0-9]*\):.*/\1/p' "$f" | head -n 1)
	[ -n "$id" ] && [ ! -e "$tmp/arts/$id.md" ] && cp "$f" "$tmp/arts/$id.md"
done
for f in "$tmp"/arts/*.md; do
	"$IMSDIAG" kb import -k kb -o "$tmp/drafts" "$f" >/dev/null 2>&1
done
cp kb/*.kb "$tmp/all/"
for f in "$tmp"/drafts/*.kb; do
	[ -e "$f" ] || continue
	id=$(basename "$f" .kb)
	# A curated entry of the same ID wins: copy the draft beside it.
	cp "$f" "$tmp/all/zz-draft-$id.kb"
done

# kb/ without the article's curated entry (links to the rest; see-also
# naming it is dropped, or the KB would not load).
kb_without() {	# DIR ID
	mkdir "$1"
	for k in "$top"/kb/*.kb; do
		b=$(basename "$k")
		[ "$b" = "$2.kb" ] && continue
		if grep -q "^see-also.* $2\( \|\$\)" "$k"; then
			sed -e "/^see-also/s/ $2\( \|\$\)/\1/" \
			    -e '/^see-also *$/d' "$k" >"$1/$b"
		else
			ln -s "$k" "$1/$b"
		fi
	done
}

is_failure() {	# ID
	[ -e "kb/$1.kb" ] || grep -qx "$1" tests/kbeval/ims-failures
}

# Does the stream hold an event more specific than the start-failure
# report or a per-message event (4116, 4117)?  Both formats carry the
# source and ID as fields: Snare TAB-separated, evtsys "SOURCE: ID:".
specific() {	# LOG
	awk -F '\t' '
	$1 == "MSWinEventLog" { src = $7; id = $6 }
	$1 != "MSWinEventLog" {
		if (!match($0, /[A-Za-z][A-Za-z0-9 ._-]*: [0-9]+:/)) next
		f = substr($0, RSTART, RLENGTH - 1)
		src = f; sub(/: [0-9]+$/, "", src); sub(/.* /, "", src)
		id = f; sub(/.*: /, "", id); gsub(/_/, " ", src)
	}
	src != "Service Control Manager" && !(src == "MSExchangeIMC" &&
	    (id == 4116 || id == 4117)) { found = 1 }
	END { exit !found }' "$1"
}

# One line per fault: "STATE ARTICLE CAND CAND ..." (as family.test.sh).
faults() {	# KBDIR LOG
	"$IMSDIAG" replay --json --kb "$1" --now "$NOW" "$2" 2>/dev/null |
	awk 'BEGIN { RS = "\\{\"index\":" }
	NR > 1 {
		art = "-"; st = "?"; c = ""
		if (match($0, /"article":(null|"Q[0-9]+")/))
			art = substr($0, RSTART + 10, RLENGTH - 10)
		gsub(/"/, "", art); if (art == "null") art = "-"
		if (match($0, /"state":"[a-z-]+"/))
			st = substr($0, RSTART + 9, RLENGTH - 10)
		rest = $0
		sub(/.*"candidates":\[/, "", rest); sub(/\].*/, "", rest)
		while (match(rest, /"article":"Q[0-9]+"/)) {
			c = c " " substr(rest, RSTART + 11, RLENGTH - 12)
			rest = substr(rest, RSTART + RLENGTH)
		}
		print st, art c
	}'
}

# The outcome of one replay.
outcome() {	# ID FAILURE(0/1) FAULT-LINES
	echo "$3" | awk -v q="$1" -v fail="$2" '
	NF == 0 { next }
	{ n++ }
	$1 == "diagnosed" && $2 != q { wrong = 1 }
	$1 == "diagnosed" && $2 == q { right = 1 }
	$1 == "unknown-cause" { unknown = 1 }
	$1 != "diagnosed" { for (i = 3; i <= NF; i++) if ($i == q) with = 1 }
	$1 != "diagnosed" && n == 1 && $3 == q { first = 1 }
	END {
		if (!fail) print n ? "wrong" : "right"
		else if (wrong) print "wrong"
		else if (right) print "right"
		else if (first) print "ambiguous-first"
		else if (with) print "ambiguous-with"
		else if (unknown) print "unknown"
		else if (n) print "ambiguous-without"
		else print "nofault"
	}'
}

total_wrong=0
for pass in ${KBEVAL_PASSES:-shipped draft all}; do
	right=0 amb_with=0 amb_without=0 unknown=0 nofault=0 wrong=0
	nfail=0 nother=0 events=0 nspec=0 first=0 listed=0
	for f in "$tmp"/arts/*.md; do
		id=$(basename "$f" .md)
		fail=0
		is_failure "$id" && fail=1
		kbdir="$tmp/kb-$pass"
		rm -rf "$kbdir"
		case $pass in
		all)	kbdir="$tmp/all" ;;
		*)	kb_without "$kbdir" "$id"
			if [ $pass = draft ] && [ -e "$tmp/drafts/$id.kb" ]; then
				cp "$tmp/drafts/$id.kb" "$kbdir/"
			fi ;;
		esac
		for fmt in snare evtsys; do
			"$IMSDIAG" kb events -k kb -f "$fmt" -H "EVAL" "$f" \
			    >"$tmp/ev.log" 2>/dev/null
			[ -s "$tmp/ev.log" ] && events=$((events + 1))
			lines=$(faults "$kbdir" "$tmp/ev.log")
			o=$(outcome "$id" "$fail" "$lines")
			if [ $fail = 1 ] && specific "$tmp/ev.log"; then
				nspec=$((nspec + 1))
				case $o in
				right|ambiguous-first) first=$((first + 1)) ;;
				ambiguous-with|unknown-with) listed=$((listed + 1)) ;;
				esac
			fi
			if [ $fail = 1 ]; then nfail=$((nfail + 1)); else nother=$((nother + 1)); fi
			case $o in
			right) right=$((right + 1)) ;;
			ambiguous-with|ambiguous-first) amb_with=$((amb_with + 1)) ;;
			ambiguous-without) amb_without=$((amb_without + 1)) ;;
			unknown) unknown=$((unknown + 1)) ;;
			nofault) nofault=$((nofault + 1)) ;;
			wrong) wrong=$((wrong + 1))
				echo "kbeval: $pass $fmt $id: confident wrong:" \
				    $(echo "$lines" | tr '\n' ';') ;;
			esac
			if [ "${KBEVAL_VERBOSE:-0}" = 1 ]; then
				echo "  $pass $fmt $id $o:" $(echo "$lines" | tr '\n' ';')
			fi
		done
	done
	printf 'kbeval: pass %-7s replays %d (IMS failures %d, others %d): right %d, ambiguous-with %d, ambiguous-without %d, unknown-cause %d, no-fault %d, confident-wrong %d\n' \
	    "$pass" $((nfail + nother)) "$nfail" "$nother" "$right" \
	    "$amb_with" "$amb_without" "$unknown" "$nofault" "$wrong"
	printf 'kbeval: pass %-7s IMS failures with specific events %d: right article first %d, listed behind another %d, missed %d\n' \
	    "$pass" "$nspec" "$first" "$listed" $((nspec - first - listed))
	total_wrong=$((total_wrong + wrong))
done
[ "$total_wrong" -eq 0 ]
