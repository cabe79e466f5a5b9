#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# A distribution's libdpdk-dev may ship no driver-SDK headers (Debian's
# does not). Take the few a dmadev vdev PMD needs from the distribution's
# own dpdk source package of exactly the installed version, into OUTDIR.
# Usage: fetch-sdk-headers.sh OUTDIR PATH/TO/libdpdk.pc
set -eu

out=$1
pc=$2
here=$(cd "$(dirname "$0")" && pwd)
headers="lib/dmadev/rte_dmadev_pmd.h lib/eal/include/dev_driver.h drivers/bus/vdev/bus_vdev_driver.h"

die() {
	echo "fetch-sdk-headers: $*" >&2
	exit 1
}

upstream=$(pkg-config --modversion "$pc")
# The package that installed this libdpdk.pc names the source package.
owner=$(dpkg-query -S "$(readlink -f "$pc")" 2>/dev/null | cut -d: -f1 | head -n 1) || true
if [ -z "$owner" ]; then
	die "DPDK $upstream ($pc) lacks the driver-SDK headers and comes from no" \
		"distribution package; build it with -Denable_driver_sdk=true"
fi
source=$(dpkg-query -W -f='${source:Package}=${source:Version}' "$owner")
version=${source#*=}
case "$version" in
"$upstream"* | *:"$upstream"*) ;;
*) die "pkg-config says DPDK $upstream but $owner comes from $source" ;;
esac

stamp="$out/.version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$source" ]; then
	echo "fetch-sdk-headers: driver-SDK headers of $source in $out"
	exit 0
fi

# Kept per source version in the user's cache: every build tree of this
# DPDK (the sanitizer builds, each compiler and build type) copies them
# from there instead of downloading the source package again.
kept=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/netdma/sdk-headers/$source
if [ ! -f "$kept/.version" ]; then
	mkdir -p "$(dirname "$kept")"
	new=$(mktemp -d "$kept.XXXXXX")
	mkdir "$new/src"
	"$here/get-dpdk-source.sh" "$new/src" "$version" \
		>"$new/src/dsc" ||
		die "no source package $source to take the driver-SDK headers from"
	orig=$(ls "$new"/src/dpdk_*.orig.tar.* | head -n 1)
	mkdir "$new/extract"
	patterns=""
	for h in $headers; do
		patterns="$patterns */$h"
	done
	# shellcheck disable=SC2086
	tar -xf "$orig" -C "$new/extract" --wildcards $patterns
	for h in $headers; do
		f=$(find "$new/extract" -path "*/$h" | head -n 1)
		[ -n "$f" ] || die "$h missing from $orig"
		cp "$f" "$new/"
	done
	rm -rf "$new/src" "$new/extract"
	echo "$source" >"$new/.version"
	# Another build may have kept them first: then this copy goes.
	mv -T "$new" "$kept" 2>/dev/null || rm -rf "$new"
fi
mkdir -p "$out"
for h in $headers; do
	cp "$kept/$(basename "$h")" "$out/"
done
echo "$source" >"$stamp"
echo "fetch-sdk-headers: driver-SDK headers of $source in $out"
