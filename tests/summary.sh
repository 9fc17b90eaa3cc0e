#!/bin/sh
# The closing line of make check: the normal and the sanitizer runs added.
pass=0 fail=0
for b in build build-asan; do
	if [ -f "$b/test-summary" ]; then
		read -r p f <"$b/test-summary"
	else
		p=0 f=1
		echo "summary: $b/test-summary missing"
	fi
	pass=$((pass + p)); fail=$((fail + f))
done
echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
