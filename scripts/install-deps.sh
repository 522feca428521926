#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages whc needs to build, run and test, but only
# those that are missing; safe to run again.  Needs root (or sudo) only
# when something is actually missing.
#
#   scripts/install-deps.sh            build + runtime + test packages
#   scripts/install-deps.sh --check    exit 1 if anything is missing
set -eu

PKGS="build-essential pkg-config
libcurl4-openssl-dev libcjson-dev libpcre2-dev libsqlite3-dev zlib1g-dev
gnuplot-nox fonts-dejavu-core
sqlite3 time libxml2-utils python3 chromium
clang libclang-rt-dev valgrind"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "missing:$missing"
	exit 1
fi

echo "whc: installing missing packages:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "whc: need root to install:$missing" >&2
		exit 3
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
