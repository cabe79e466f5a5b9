#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# Build a DPDK LTS with only what netdma's tests use, into a prefix in the
# user's cache: ${XDG_CACHE_HOME:-~/.cache}/netdma/dpdk-SERIES. Built once
# per machine; later runs print the prefix and return at once.
#
# Usage: build-dpdk.sh [--quiet] [--source DIR] SERIES
#   SERIES        24.11 (Debian 13's dpdk source package) or 25.11
#                 (Debian unstable's)
#   --source DIR  build this DPDK source tree of that series instead
# Prints the prefix on its last line. Installs the Debian build
# dependencies it lacks (root needed for that only).
# Exit status: 0 built or cached, 3 the source is not to be had, 1 failed.
set -eu

quiet=0
source_dir=""
while [ $# -gt 1 ]; do
	case "$1" in
	--quiet) quiet=1 ;;
	--source) source_dir=$(cd "$2" && pwd); shift ;;
	*) break ;;
	esac
	shift
done
series=${1:?usage: build-dpdk.sh [--quiet] [--source DIR] 24.11|25.11}

# Where each LTS comes from: the Debian release that carries it.
case "$series" in
24.11)
	archives="http://deb.debian.org/debian trixie main
http://deb.debian.org/debian trixie-updates main
http://deb.debian.org/debian-security trixie-security main"
	;;
25.11)
	archives="http://deb.debian.org/debian sid main"
	;;
*)
	echo "build-dpdk: no source known for DPDK $series (24.11, 25.11)" >&2
	exit 2
	;;
esac

here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/netdma
prefix="$cache/dpdk-$series"
work="$cache/work-dpdk-$series"

# What is built, and how; a cached prefix built otherwise is rebuilt.
# vhost needs cryptodev; test-dma-perf needs cfgfile and argparse;
# net/virtio (virtio-user, testpmd's side of the end-to-end test) needs
# bus/pci. Shared: the programs load their drivers, and netdma, as plugins (DPDK's
# own default links them statically). The run path lets the installed
# programs find their libraries unaided.
libs="dmadev,vhost,cryptodev,cfgfile,argparse"
drivers="bus/pci,bus/vdev,mempool/ring,dma/skeleton,net/virtio"
apps="test,test-pmd,test-dma-perf"
options="--buildtype=release --default-library=shared --libdir=lib
	-Dplatform=generic -Denable_driver_sdk=true -Ddeveloper_mode=disabled
	-Denable_libs=$libs -Denable_drivers=$drivers -Denable_apps=$apps
	-Dtests=true -Dexamples= -Denable_docs=false
	-Dc_link_args=-Wl,-rpath,$prefix/lib"
recipe=$(printf '%s\n' "$options" | md5sum | cut -c1-12)
stamp="$prefix/.netdma-build"

log() {
	[ $quiet -eq 1 ] || echo "build-dpdk: $*" >&2
}

# One build at a time per version; a run that waited finds it cached.
mkdir -p "$cache"
exec 9>"$cache/dpdk-$series.lock"
flock 9

if [ -f "$stamp" ] && grep -qx "recipe=$recipe" "$stamp"; then
	log "DPDK $(sed -n 's/^version=//p' "$stamp")" \
		"($(sed -n 's/^origin=//p' "$stamp")) cached in $prefix"
	echo "$prefix"
	exit 0
fi

# Build dependencies, from Debian packages.
packages="dpkg-dev gcc libc6-dev meson ninja-build pkg-config
	python3-pyelftools libnuma-dev"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "build-dpdk: need root to apt-get install:$missing" >&2
		exit 1
	fi
	log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
fi

# The Debian python3 first: it is the one python3-pyelftools serves, where
# a python3 of another origin may come earlier in PATH.
PATH=/usr/bin:$PATH
export PATH

start=$(date +%s)
rm -rf "$work"
mkdir -p "$work"

if [ -n "$source_dir" ]; then
	src=$source_dir
	version=$(cat "$src/VERSION" 2>/dev/null) ||
		{ echo "build-dpdk: $src has no DPDK VERSION file" >&2; exit 1; }
	origin="source tree $src"
else
	# One archive per line: the helper takes each as one argument.
	rc=0
	(
		IFS='
'
		# shellcheck disable=SC2086
		exec "$here/get-dpdk-source.sh" "$work" "$series.*" $archives
	) >"$work/dsc" || rc=$?
	if [ $rc -ne 0 ]; then
		rm -rf "$work"
		exit $rc
	fi
	dsc=$(tail -n 1 "$work/dsc")
	version=$(sed -n 's/^Version: //p' "$dsc" | head -n 1)
	origin="Debian source package $(basename "$dsc")"
	log "unpacking DPDK $version with Debian's patches"
	src="$work/src"
	# apt-get source checked every file against the archive's signed index.
	dpkg-source --no-check -x "$dsc" "$src" >"$work/unpack.log" 2>&1 || {
		tail -n 5 "$work/unpack.log" >&2
		exit 1
	}
fi
case "$version" in
"$series".*) ;;
*)
	echo "build-dpdk: $origin is DPDK $version, not $series" >&2
	exit 1
	;;
esac

log "configuring DPDK $version ($origin) for $prefix"
rm -rf "$prefix"
# shellcheck disable=SC2086
if ! meson setup "$work/build" "$src" --prefix="$prefix" $options \
		>"$work/setup.log" 2>&1; then
	tail -n 20 "$work/setup.log" >&2
	exit 1
fi
log "building with ninja -j2 (a few minutes)"
if ! ninja -C "$work/build" -j2 >"$work/build.log" 2>&1; then
	grep -B2 -A10 'error' "$work/build.log" | head -n 40 >&2
	exit 1
fi
if ! meson install -C "$work/build" --no-rebuild >"$work/install.log" 2>&1; then
	tail -n 20 "$work/install.log" >&2
	exit 1
fi

# Everything netdma's tests run must be there, and find its libraries.
fail=0
pmds=$(sed -n 's/^#define RTE_EAL_PMD_PATH "\(.*\)"$/\1/p' \
	"$prefix/include/rte_build_config.h" 2>/dev/null)
for f in bin/dpdk-test bin/dpdk-testpmd bin/dpdk-test-dma-perf \
		include/rte_dmadev_pmd.h include/dev_driver.h \
		include/bus_vdev_driver.h lib/pkgconfig/libdpdk.pc; do
	[ -e "$prefix/$f" ] || { echo "build-dpdk: $prefix/$f was not built" >&2; fail=1; }
done
for d in bus_vdev bus_pci mempool_ring dma_skeleton net_virtio; do
	[ -e "$pmds/librte_$d.so" ] ||
		{ echo "build-dpdk: driver $d is not in ${pmds:-the plugin directory}" >&2; fail=1; }
done
for b in dpdk-test dpdk-testpmd dpdk-test-dma-perf; do
	if [ -x "$prefix/bin/$b" ] && ldd "$prefix/bin/$b" | grep -q 'not found'; then
		echo "build-dpdk: $b does not find its libraries" >&2
		fail=1
	fi
done
[ $fail -eq 0 ] || exit 1

elapsed=$(($(date +%s) - start))
printf 'recipe=%s\nversion=%s\norigin=%s\nbuild_seconds=%s\n' \
	"$recipe" "$version" "$origin" "$elapsed" > "$stamp"
rm -rf "$work"
log "DPDK $version built and installed in ${elapsed}s"
echo "$prefix"
