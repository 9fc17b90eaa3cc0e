#!/bin/sh
# Fetch the IETF base MIB modules (SNMPv2-SMI, -TC, -CONF, -MIB) that
# Debian does not ship, from the npm package net-snmp (MIT licensed), into
# a cache directory that is never committed.  Idempotent: nothing is
# fetched when the files are already there.
#
# usage: sh mib/fetch-ietf.sh [DIR]	(default: build/ietf-mibs)
set -eu
DIR=${1:-build/ietf-mibs}
PKG=net-snmp@3.29.2
MODS="SNMPv2-SMI SNMPv2-TC SNMPv2-CONF SNMPv2-MIB"

have=1
for m in $MODS; do
	[ -s "$DIR/$m.mib" ] || have=0
done
if [ "$have" -eq 1 ]; then
	echo "ietf-mibs: present in $DIR"
	exit 0
fi
command -v npm >/dev/null 2>&1 || {
	echo "ietf-mibs: npm not found (make deps installs it)" >&2
	exit 1
}
mkdir -p "$DIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# npm pack only downloads the tarball: no install scripts run.
(cd "$tmp" && npm pack --silent "$PKG" >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
files=""
for m in $MODS; do
	files="$files package/lib/mibs/$m.mib"
done
tar -xzf "$tgz" -C "$tmp" $files
for m in $MODS; do
	cp "$tmp/package/lib/mibs/$m.mib" "$DIR/$m.mib"
done
echo "ietf-mibs: $MODS from $PKG into $DIR"
