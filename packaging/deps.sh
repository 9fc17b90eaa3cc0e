#!/bin/sh
# Install the Debian packages named on the command line that are missing.
# Idempotent and quick when everything is present.
set -eu
missing=""
for p in "$@"; do
	# Node.js from another packager (nodesource) bundles npm and
	# conflicts with Debian's npm package: a working command is enough.
	case $p in
	npm)	command -v npm >/dev/null 2>&1 && continue ;;
	nodejs)	command -v node >/dev/null 2>&1 && continue ;;
	esac
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	    --no-install-recommends $missing
else
	echo "deps: all Debian packages present"
fi
