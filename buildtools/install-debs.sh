#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# Install the Debian packages of a list that are not installed yet, quietly:
# one line naming them, apt's own output in a log that is shown only when
# the install fails. Root is needed only when something is missing.
#
# Usage: install-debs.sh WHO PACKAGE...
#   WHO  the name the messages start with (the calling tool's)
set -eu

who=$1
shift
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ]; then
	echo "$who: need root to apt-get install:$missing" >&2
	exit 1
fi
echo "$who: installing Debian packages:$missing" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
# dpkg draws its progress on a terminal only when it has a pty: without
# one (Use-Pty=0) and with apt's -qq, the log holds what matters.
# shellcheck disable=SC2086
if ! { apt-get update -qq &&
	apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Use-Pty=0 $missing; } >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "$who: apt-get install of$missing failed" >&2
	exit 1
fi
