#!/bin/sh
# STYLE H4: no unbounded or unchecked string calls in product code.
hits=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|scanf|sscanf)[[:space:]]*\(' \
    src/*/*.c src/*/*.h agent/*.c agent/*.h tools/*/*.c tools/*/*.h 2>/dev/null)
if [ -n "$hits" ]; then
	echo "unsafe string calls in product code:"
	echo "$hits"
	exit 1
fi
echo "unsafe: no unbounded string calls"
