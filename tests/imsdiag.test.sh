#!/bin/sh
# imsdiag's command line: exit statuses, kb check, kb import, stdin.
B=${B:-build}
IMSDIAG="$B/imsdiag"
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() {	# description, then the command's status as $?
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL $1"; fi
}
status() {	# want, description, command...
	want=$1; what=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ]; ok "$what (exit $got, want $want)" $?
}

status 0 "help" "$IMSDIAG" --help
status 2 "no command" "$IMSDIAG"
status 2 "unknown command" "$IMSDIAG" frobnicate
status 2 "bad --window" "$IMSDIAG" replay --window soon
status 2 "bad --now" "$IMSDIAG" replay --now yesterday
status 2 "explain needs one file" "$IMSDIAG" explain --kb kb
status 3 "missing input" "$IMSDIAG" replay --kb kb "$tmp/nope.log"
status 3 "missing KB" "$IMSDIAG" replay --kb "$tmp/nokb" /dev/null
status 0 "kb check on the shipped KB" "$IMSDIAG" kb check kb

# A KB with an error: exit 1, and the message names file:line.
mkdir "$tmp/bad"
cp kb/*.kb "$tmp/bad/"
printf 'article Q1\ntitle T\nseverity loud\n' >"$tmp/bad/Q1.kb"
status 1 "kb check on a bad KB" "$IMSDIAG" kb check "$tmp/bad"
grep -q "Q1.kb:3: " "$tmp/out"; ok "error names file:line" $?
# ... and replay refuses it whole.
status 3 "replay refuses a bad KB" "$IMSDIAG" replay --kb "$tmp/bad" /dev/null

# stdin
"$IMSDIAG" replay --kb kb --now 2000-03-20T00:00:00 \
    <tests/golden/q173496.snare.log >"$tmp/out" 2>&1
grep -q "fault 1 opened  MAILGW Q173496" "$tmp/out"; ok "replay from stdin" $?

# kb import: drafts of our own article files load beside the symptoms.
mkdir "$tmp/drafts"
"$IMSDIAG" kb import -o "$tmp/drafts" tests/import/*.txt tests/import/Q900004.md \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
# Q900003 and Q900004 have no usable evidence: reported, exit 1.
[ "$rc" -eq 1 ]; ok "kb import exit 1 when an article has no evidence ($rc)" $?
grep -q "Q900003: no usable evidence" "$tmp/err"; ok "no-evidence reported" $?
n=$(ls "$tmp/drafts" | wc -l)
[ "$n" -ge 3 ]; ok "kb import wrote drafts ($n)" $?
grep -q "^origin generated" "$tmp/drafts"/*.kb; ok "drafts are generated" $?
grep -q "^cause TODO" "$tmp/drafts"/*.kb; ok "cause left to a person" $?
cp kb/_symptoms.kb "$tmp/drafts/"
status 0 "drafts load" "$IMSDIAG" kb check "$tmp/drafts"
# Never over an existing entry.
f=$(ls tests/import/*.md | head -n 1)
status 3 "import refuses to overwrite" "$IMSDIAG" kb import -o "$tmp/drafts" "$f"
# Not an article at all.
printf 'hello\n' >"$tmp/notes.txt"
status 3 "import of a non-article" "$IMSDIAG" kb import "$tmp/notes.txt"

# The limits of imsmond.conf as options; what they drop is said in text.
status 2 "bad --max-servers" "$IMSDIAG" replay --max-servers 0
status 2 "bad --tz" "$IMSDIAG" replay --tz Mars/Olympus
cat tests/golden/q173496.evtsys.log tests/golden/q154589.evtsys.log \
    >"$tmp/two.log"
"$IMSDIAG" replay --kb kb --tz UTC --now 2000-03-20T00:00:00 \
    --max-servers 1 "$tmp/two.log" >"$tmp/out" 2>&1
grep -q "^  dropped [1-9][0-9]* servers (over --max-servers)" "$tmp/out"
ok "--max-servers 1 with two servers: the drop is in the text summary" $?
[ "$(grep -c '^server ' "$tmp/out")" -eq 1 ]
ok "--max-servers 1: one server kept" $?
# A record with no host: --host names it, the placeholder otherwise.
printf '<27>MSExchangeIMC: 4143: SSL support requires an administrator account.\n' \
    >"$tmp/nohost.log"
"$IMSDIAG" replay --kb kb --host EXCH9 "$tmp/nohost.log" 2>&1 |
    grep -q "^server EXCH9 "
ok "--host names the server of a host-less record" $?
"$IMSDIAG" replay --kb kb "$tmp/nohost.log" 2>&1 |
    grep -q "^server (no-host) "
ok "a host-less record is about (no-host) by default" $?

# --json strings: a quote, a backslash and a byte outside printable ASCII
# in a host name are escaped, the bytes around them kept, in order.
printf '<29>Mar 14 00:00:13 EX"Q\\1\351Z Service_Control_Manager: 7036: The Microsoft Exchange Internet Mail Service service entered the running state.\n' |
    "$IMSDIAG" replay --json --kb kb --now 2000-03-20T00:00:00 - \
    >"$tmp/esc.json" 2>/dev/null
grep -q '"name":"EX\\"Q\\\\1\\u00e9Z"' "$tmp/esc.json"
ok "--json escapes a host name's quote, backslash and high byte" $?

echo "imsdiag: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
