#!/bin/sh
# The layering check of `make lint` (docs/hacking.md, "Layers").
#
# The core library is src/<layer>/; each layer has a rank, and a file may
# include headers of its own folder or of a lower rank only:
#
#	0 util     spans, buffers, calendar, JSON, normalisation, the event
#	1 parse    syslog headers and one file per forwarder
#	1 kb       knowledge-base format, build and match
#	2 ingest   sockets and framing
#	2 diag     episodes, scoring, the fault store
#	3 state    persistence of the store
#	4 agent/, tools/*/  the programs, which may include any layer
#
# Checked: (1) every quoted include names "layer/file.h" (or a file of the
# includer's own folder) and points down; (2) the include graph has no
# cycle; (3) no Net-SNMP header outside agent/; (4) with B set and the
# objects built, no object of a layer calls a function defined in a higher
# layer, and no two objects call each other in a loop (link-level cycles,
# which includes alone do not show).
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
fail=0 checks=0

rank() {
	case $1 in
	src/util) echo 0 ;;
	src/parse|src/kb) echo 1 ;;
	src/ingest|src/diag) echo 2 ;;
	src/state) echo 3 ;;
	agent|tools/*|tests|tests/*|bench) echo 4 ;;
	*) echo 9 ;;
	esac
}

bad() {
	echo "layering: $*"
	fail=$((fail + 1))
}

files=$(ls src/*/*.[ch] agent/*.[ch] tools/*/*.[ch] 2>/dev/null)
edges=$(mktemp)
trap 'rm -f "$edges" "$edges.sym" "$edges.def" "$edges.obj"' EXIT

for f in $files; do
	dir=${f%/*}
	r=$(rank "$dir")
	checks=$((checks + 1))
	[ "$r" -ne 9 ] || bad "$f: folder $dir has no rank (tests/layering.sh)"
	case $dir in
	agent) ;;
	*)	grep -n '#[[:space:]]*include[[:space:]]*<net-snmp/' "$f" |
		    while IFS= read -r l; do
			echo "layering: $f:${l%%:*}: Net-SNMP outside agent/"
		done | grep . && fail=$((fail + 1)) ;;
	esac
	grep -n '^#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r l; do
		n=${l%%:*}
		inc=$(echo "$l" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
		case $inc in
		*/*)	idir=src/${inc%/*}
			target=src/$inc ;;
		*)	idir=$dir
			target=$dir/$inc ;;
		esac
		if [ ! -f "$target" ]; then
			echo "BAD $f:$n: \"$inc\" is neither layer/file.h nor a file of $dir"
			continue
		fi
		echo "EDGE $f $target"
		[ "$idir" = "$dir" ] && continue
		ir=$(rank "$idir")
		if [ "$ir" -ge "$r" ]; then
			echo "BAD $f:$n: includes $inc: $idir (rank $ir) is not below $dir (rank $r)"
		fi
	done >>"$edges"
done

while IFS= read -r l; do
	case $l in
	BAD*)	bad "${l#BAD }" ;;
	esac
done <"$edges"

# (2) include cycles: tsort names a loop on stderr.
loops=$(awk '$1 == "EDGE" { print $2, $3 }' "$edges" | tsort 2>&1 >/dev/null)
checks=$((checks + 1))
[ -z "$loops" ] || bad "include cycle: $(echo "$loops" | tr '\n' ' ')"

# (4) link level, from the built objects: who calls whom.
objs=$(ls "$B"/src/*/*.o "$B"/agent/*.o "$B"/tools/*/*.o 2>/dev/null)
if [ -n "$objs" ] && command -v nm >/dev/null 2>&1; then
	: >"$edges.def"
	: >"$edges.sym"
	for o in $objs; do
		src=${o#"$B"/}
		src=${src%.o}.c
		nm -g --defined-only "$o" | awk -v s="$src" 'NF == 3 && $2 ~ /[TDBR]/ { print $3, s }' >>"$edges.def"
		nm -u "$o" | awk -v s="$src" '{ print $NF, s }' >>"$edges.sym"
	done
	# caller callee pairs between different files
	awk 'NR == FNR { def[$1] = $2; next }
	     ($1 in def) && def[$1] != $2 { print $2, def[$1] }' \
	    "$edges.def" "$edges.sym" | sort -u >"$edges.obj"
	while read -r from to; do
		checks=$((checks + 1))
		fr=$(rank "${from%/*}")
		tr=$(rank "${to%/*}")
		if [ "${from%/*}" != "${to%/*}" ] && [ "$tr" -ge "$fr" ] &&
		    [ "$fr" -lt 4 ]; then
			bad "$from calls into $to: ${to%/*} is not below ${from%/*}"
		fi
	done <"$edges.obj"
	loops=$(tsort "$edges.obj" 2>&1 >/dev/null |
	    grep -v 'input contains a loop' | sed 's/^tsort: //' | tr '\n' ' ')
	checks=$((checks + 1))
	[ -z "$loops" ] || bad "call cycle between objects: $loops"
else
	echo "layering: no objects in $B/src: link-level check not run (make first)"
fi

echo "layering: $((checks - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
