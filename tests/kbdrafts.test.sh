#!/bin/sh
# check: once
# Drafts never change a curated result: import every article of the
# archive ($KBEVAL_SHARED, default ../shared) as drafts beside kb/ (an
# operator who imports everything), replay every golden fixture with and
# without the drafts, and compare each fault's final state and article.
# The drafts may add candidates; they must not change what is diagnosed,
# nor open or drop a fault.  Also: every draft loads, and kb check passes
# on the combined directory.  Skips when the archive is absent.
. tests/lib.sh
B=${B:-build}
IMSDIAG="$B/imsdiag"
SHARED=${KBEVAL_SHARED:-../shared}
NOW=2000-03-20T00:00:00
pass=0 fail=0

[ -d "$SHARED/kb-archive/md" ] || skip "no article archive at $SHARED/kb-archive"
lib_tmpdir kbdrafts
mkdir "$T/drafts" "$T/kb"
for f in "$SHARED"/kb-archive/md/Q*.md; do
	"$IMSDIAG" kb import -k kb -o "$T/drafts" "$f" >/dev/null 2>&1
done
n=$(ls "$T/drafts" | wc -l)
if [ "$n" -gt 20 ]; then ok "$n drafts imported"; else ko "only $n drafts imported"; fi
cp kb/*.kb "$T/kb/"
for f in "$T"/drafts/*.kb; do
	cp "$f" "$T/kb/draft-$(basename "$f")"
done
out=$("$IMSDIAG" kb check "$T/kb" 2>&1)
if [ $? -eq 0 ]; then ok "kb check: kb/ with every draft loads"; else ko "kb check" "$out"; fi

# "STATE ARTICLE" for each fault, in index order.
results() {	# KBDIR LOG
	"$IMSDIAG" replay --json --kb "$1" --now "$NOW" "$2" 2>/dev/null |
	awk 'BEGIN { RS = "\\{\"index\":" }
	NR > 1 {
		art = "-"; st = "?"
		if (match($0, /"article":(null|"Q[0-9]+")/))
			art = substr($0, RSTART + 10, RLENGTH - 10)
		gsub(/"/, "", art)
		if (match($0, /"state":"[a-z-]+"/))
			st = substr($0, RSTART + 9, RLENGTH - 10)
		print st, art
	}'
}

for f in tests/golden/*.log; do
	want=$(results kb "$f")
	got=$(results "$T/kb" "$f")
	if [ "$want" = "$got" ]; then
		ok "$(basename "$f"): unchanged by drafts"
	else
		ko "$(basename "$f"): changed by drafts" \
		    "$(printf 'without: %s\nwith:    %s' "$want" "$got")"
	fi
done
echo "kbdrafts: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
