#!/bin/sh
# check: once
# The manual pages: mandoc -Tlint (or man --warnings) finds nothing;
# imsmond.conf(5) documents every directive agent/ registers and
# imsmond(8) every option; imsdiag(1) every subcommand; documents the
# project refers to exist.
. tests/lib.sh
PAGES="docs/imsdiag.1 docs/check_imsmon.1 docs/imsmond.conf.5 docs/imsmond.8"
if command -v mandoc >/dev/null 2>&1; then
	for p in $PAGES; do
		o=$(mandoc -Tlint -W warning "$p" 2>&1)
		[ -z "$o" ] && ok "mandoc -Tlint $p" || ko "mandoc -Tlint $p" "$o"
	done
elif command -v man >/dev/null 2>&1; then
	for p in $PAGES; do
		o=$(MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
		[ -z "$o" ] && ok "man --warnings $p" || ko "man --warnings $p" "$o"
	done
else
	skip "neither mandoc nor man installed (make deps)"
fi

# Every directive: the names register_app_config_handler() and the table
# of numeric directives give.
dirs=$(sed -n -e 's/.*register_app_config_handler("\([A-Za-z]*\)".*/\1/p' \
    -e 's/^[[:space:]]*{ "\([A-Za-z]*\)", [0-9].*/\1/p' agent/*.c
    # and tables of names handed to register_app_config_handler() in a loop
    awk '/names\[\] = \{/ { on = 1 } on { while (match($0, /"[a-z][A-Za-z]*"/)) {
	print substr($0, RSTART + 1, RLENGTH - 2); $0 = substr($0, RSTART + RLENGTH) } }
	/\};/ { on = 0 }' $(grep -l 'register_app_config_handler(names\[' agent/*.c))
[ -n "$dirs" ] || ko "directives found in agent/conf.c"
for d in $dirs; do
	grep -q "^\.It Ic $d\( \|$\)" docs/imsmond.conf.5 &&
	    ok "imsmond.conf(5) documents $d" || ko "imsmond.conf(5) documents $d"
done
opts=$(sed -n 's/.*getopt\(_long\)\{0,1\}(argc, argv, "\([^"]*\)".*/\2/p' agent/main.c |
    tr -d ':' | fold -w1)
[ -n "$opts" ] || ko "options found in agent/main.c"
for o in $opts; do
	grep -q "^\.It Fl $o\( \|$\)" docs/imsmond.8 ||
	    grep -q "^\.Op Fl [A-Za-z]*$o" docs/imsmond.8 &&
	    ok "imsmond(8) documents -$o" || ko "imsmond(8) documents -$o"
done
for o in $(sed -n 's/.*{ "\([a-z]*\)", [a-z_]*argument.*/\1/p' agent/main.c); do
	grep -q "^\.It .*Fl \\\\-$o\( \|$\)" docs/imsmond.8 &&
	    ok "imsmond(8) documents --$o" || ko "imsmond(8) documents --$o"
done
for o in $(sed -n 's/^"  \(--[a-z]*\) .*/\1/p' tools/imsdiag/imsdiag.c); do
	grep -q "^\.It Fl \\\\${o#-}\( \|$\)" docs/imsdiag.1 &&
	    ok "imsdiag(1) documents $o" || ko "imsdiag(1) documents $o"
done
for c in replay explain "kb check" "kb import" "state show | history | log"; do
	grep -q "^\.It Cm $c\$" docs/imsdiag.1 &&
	    ok "imsdiag(1) documents $c" || ko "imsdiag(1) documents $c"
done
# Documents named in the README and docs exist.
for f in $(grep -ho 'docs/[a-z0-9_.-]*\.\(md\|[158]\)' README.md docs/*.md | sort -u); do
	[ -e "$f" ] && ok "$f exists" || ko "$f exists (referenced)"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
