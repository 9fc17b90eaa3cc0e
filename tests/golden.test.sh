#!/bin/sh
# Golden tests: replay every fixture in tests/golden through imsdiag and
# compare with the expected output beside it (FILE.log -> FILE.out for
# replay, FILE.explain for explain, when present).  JSON output must parse.
# UPDATE=1 rewrites the expected files (review the diff before committing).
# FILE.args, when present, holds more imsdiag options for that fixture
# (--tz ZONE, --host NAME).  The collector's own zone is UTC here, so that
# the fixtures read the same on every machine.
B=${B:-build}
TZ=UTC
export TZ
IMSDIAG="$B/imsdiag"
NOW=2000-03-20T00:00:00
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

check() {	# name expected-file actual-file
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$3" "$2"
	fi
	if [ -f "$2" ] && cmp -s "$2" "$3"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1"
		if [ -f "$2" ]; then diff -u "$2" "$3" | head -n 40; else echo "  missing $2"; fi
	fi
}

for f in tests/golden/*.log; do
	base=${f%.log}
	name=$(basename "$base")
	args=
	[ -f "$base.args" ] && args=$(cat "$base.args")
	# shellcheck disable=SC2086 # the options are words
	set -- $args
	"$IMSDIAG" replay --kb kb --now "$NOW" "$@" "$f" >"$tmp/$name.out" 2>&1
	echo "exit $?" >>"$tmp/$name.out"
	check "$name replay" "$base.out" "$tmp/$name.out"
	"$IMSDIAG" explain --kb kb --now "$NOW" "$@" "$f" >"$tmp/$name.explain" 2>&1
	echo "exit $?" >>"$tmp/$name.explain"
	check "$name explain" "$base.explain" "$tmp/$name.explain"
	"$IMSDIAG" replay --json --kb kb --now "$NOW" "$@" "$f" >"$tmp/$name.json" 2>&1
	if command -v node >/dev/null 2>&1; then
		if node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' \
		    "$tmp/$name.json" 2>"$tmp/err"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1)); echo "FAIL $name json does not parse"; cat "$tmp/err"
		fi
	fi
	check "$name json" "$base.json" "$tmp/$name.json"
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
