#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# Debian's libdpdk-dev ships no driver-SDK headers. Take the few a dmadev
# vdev PMD needs from Debian's own dpdk source package of exactly the
# installed version, into the build tree. Usage: fetch-sdk-headers.sh OUTDIR
set -eu

out=$1
headers="lib/dmadev/rte_dmadev_pmd.h lib/eal/include/dev_driver.h drivers/bus/vdev/bus_vdev_driver.h"

installed=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null) || {
	echo "fetch-sdk-headers: libdpdk-dev is not installed (apt-get install libdpdk-dev)" >&2
	exit 1
}
upstream=$(pkg-config --modversion libdpdk)
stamp="$out/.version"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$installed" ]; then
	exit 0
fi

mkdir -p "$out/src"
cd "$out/src"

# apt-get source needs a deb-src entry; add one for the suites the binary
# packages come from, once.
srcs=/etc/apt/sources.list.d/netdma-deb-src.sources
if ! apt-get source --download-only --print-uris "dpdk=$installed" >/dev/null 2>&1; then
	if [ ! -f "$srcs" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "fetch-sdk-headers: need root once to add $srcs for apt-get source" >&2
			exit 1
		fi
		cat > "$srcs" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	fi
	apt-get update -qq >/dev/null 2>&1 || true
fi

if ! apt-get source --download-only "dpdk=$installed" >apt-source.log 2>&1; then
	echo "fetch-sdk-headers: Debian source package dpdk=$installed is not available;" \
		"the installed libdpdk-dev ($installed) and the source package disagree" >&2
	tail -n 3 apt-source.log >&2
	exit 1
fi

dsc=$(ls dpdk_*.dsc 2>/dev/null | head -n 1)
srcver=$(sed -n 's/^Version: //p' "$dsc" | head -n 1)
if [ "$srcver" != "$installed" ]; then
	echo "fetch-sdk-headers: source package is dpdk $srcver but libdpdk-dev $installed is installed; refusing to mix them" >&2
	exit 1
fi
orig=$(ls dpdk_*.orig.tar.* | head -n 1)
case "$installed" in
"$upstream"*) ;;
*)
	echo "fetch-sdk-headers: pkg-config says DPDK $upstream but the package is $installed" >&2
	exit 1
	;;
esac

rm -rf extract
mkdir extract
patterns=""
for h in $headers; do
	patterns="$patterns */$h"
done
# shellcheck disable=SC2086
tar -xf "$orig" -C extract --wildcards $patterns
for h in $headers; do
	f=$(find extract -path "*/$h" | head -n 1)
	[ -n "$f" ] || { echo "fetch-sdk-headers: $h missing from $orig" >&2; exit 1; }
	cp "$f" "$out/"
done
rm -rf extract
echo "$installed" > "$stamp"
echo "fetch-sdk-headers: driver-SDK headers of dpdk $installed in $out"
