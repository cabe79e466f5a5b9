#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# Build a DPDK LTS with only what netdma's tests use, into a prefix in the
# user's cache: ${XDG_CACHE_HOME:-~/.cache}/netdma/dpdk-SERIES. Built once
# per machine; later runs print the prefix and return at once.
#
# Usage: build-dpdk.sh [--quiet] [--cached] [--source DIR] [--tarballs DIR]
#                      SERIES
#   SERIES         23.11, 24.11 or 25.11
#   --cached       build nothing: exit 0, printing what the cached build
#                  is, when there is one, else 1
#   --source DIR   build this DPDK source tree of that series
#   --tarballs DIR where Debian serves no source package of SERIES, build
#                  DIR/dpdk-SERIES.*.tar.xz, an upstream release archive,
#                  once it matches its line in DIR/SHA256SUMS
# Without --source, Debian's dpdk source package comes first: Debian 13's
# for 24.11, unstable's for 25.11 (Debian carries no 23.11).
# Prints the prefix on its last line; the reason on stderr when it cannot
# build. Installs the Debian build dependencies it lacks (root needed for
# that only).
# Exit status: 0 built or cached, 3 the source is not to be had, 1 failed.
set -eu

quiet=0
cached_only=0
source_dir=""
tarball_dir=""
while [ $# -gt 1 ]; do
	case "$1" in
	--quiet) quiet=1 ;;
	--cached) cached_only=1 ;;
	--source) source_dir=$(cd "$2" && pwd); shift ;;
	--tarballs) tarball_dir=$2; shift ;;
	*) break ;;
	esac
	shift
done
series=${1:?usage: build-dpdk.sh [--quiet] [--cached] [--source DIR] [--tarballs DIR] 23.11|24.11|25.11}

# Where each LTS comes from: the Debian release that carries it.
case "$series" in
23.11)
	archives=""
	;;
24.11)
	archives="http://deb.debian.org/debian trixie main
http://deb.debian.org/debian trixie-updates main
http://deb.debian.org/debian-security trixie-security main"
	;;
25.11)
	archives="http://deb.debian.org/debian sid main"
	;;
*)
	echo "build-dpdk: no source known for DPDK $series (23.11, 24.11, 25.11)" >&2
	exit 2
	;;
esac

here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/netdma
prefix="$cache/dpdk-$series"
work="$cache/work-dpdk-$series"

# What is built, and how; a cached prefix built otherwise is rebuilt.
# vhost needs cryptodev; test-dma-perf needs cfgfile, and argparse from
# 24.03 on; net/virtio (virtio-user, testpmd's side of the end-to-end
# test) needs bus/pci; net/null is the port of DPDK's examples/dma in
# its test. Shared: the programs load their drivers, and netdma, as
# plugins (DPDK's own default links them statically). The run
# path lets the installed programs find their libraries unaided.
libs="dmadev,vhost,cryptodev,cfgfile"
[ "$series" = 23.11 ] || libs="$libs,argparse"
drivers="bus/pci,bus/vdev,mempool/ring,dma/skeleton,net/virtio,net/null"
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

cached() {
	[ -f "$stamp" ] && grep -qx "recipe=$recipe" "$stamp"
}

# --cached: say whether a build is there, and what it is, and build none.
if [ $cached_only -eq 1 ]; then
	cached || exit 1
	echo "DPDK $(sed -n 's/^version=//p' "$stamp")," \
		"$(sed -n 's/^origin=//p' "$stamp")"
	exit 0
fi

# One build at a time per version; a run that waited finds it cached.
mkdir -p "$cache"
exec 9>"$cache/dpdk-$series.lock"
flock 9

if cached; then
	log "DPDK $(sed -n 's/^version=//p' "$stamp")" \
		"($(sed -n 's/^origin=//p' "$stamp")) cached in $prefix"
	echo "$prefix"
	exit 0
fi

# Build dependencies, from Debian packages.
# shellcheck disable=SC2086
"$here/install-debs.sh" build-dpdk dpkg-dev gcc libc6-dev meson \
	ninja-build pkg-config python3-pyelftools libnuma-dev

# The Debian python3 first: it is the one python3-pyelftools serves, where
# a python3 of another origin may come earlier in PATH.
PATH=/usr/bin:$PATH
export PATH

start=$(date +%s)
rm -rf "$work"
mkdir -p "$work"

# from_debian: Debian's source package, unpacked with Debian's patches.
# Exit status 3 when no archive serves it.
from_debian() {
	[ -n "$archives" ] || {
		echo "Debian carries no DPDK $series source package" >"$work/why"
		return 3
	}
	# One archive per line: the helper takes each as one argument.
	rc=0
	(
		IFS='
'
		# shellcheck disable=SC2086
		exec "$here/get-dpdk-source.sh" "$work" "$series.*" $archives
	) >"$work/dsc" 2>"$work/apt.log" || rc=$?
	if [ $rc -ne 0 ]; then
		# apt's own lines say which files the archive did not serve.
		{ printf 'Debian source package: '; grep -m1 -E '^(E:|get-dpdk)' \
			"$work/apt.log" || tail -n 1 "$work/apt.log"; } >"$work/why"
		return $rc
	fi
	dsc=$(tail -n 1 "$work/dsc")
	version=$(sed -n 's/^Version: //p' "$dsc" | head -n 1)
	origin="Debian source package $(basename "$dsc")"
	log "unpacking DPDK $version with Debian's patches"
	src="$work/src"
	# apt-get source checked every file against the archive's signed index.
	dpkg-source --no-check -x "$dsc" "$src" >"$work/unpack.log" 2>&1 || {
		tail -n 5 "$work/unpack.log" >&2
		return 1
	}
}

# from_tarball: DIR/dpdk-SERIES.*.tar.xz, only once it matches its
# checksum in DIR/SHA256SUMS. Exit status 3 when there is none that does.
from_tarball() {
	[ -n "$tarball_dir" ] || return 3
	tarball=$(ls "$tarball_dir"/dpdk-"$series".*.tar.xz 2>/dev/null |
		sort -V | tail -n 1)
	if [ -z "$tarball" ]; then
		echo "no dpdk-$series.*.tar.xz in $tarball_dir" >>"$work/why"
		return 3
	fi
	name=$(basename "$tarball")
	sum=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' \
		"$tarball_dir/SHA256SUMS" 2>/dev/null)
	if [ -z "$sum" ]; then
		echo "$name: no checksum in $tarball_dir/SHA256SUMS" >>"$work/why"
		return 3
	fi
	if [ "$(sha256sum <"$tarball" | cut -d' ' -f1)" != "$sum" ]; then
		echo "$name: does not match its SHA256SUMS checksum" >>"$work/why"
		return 3
	fi
	log "unpacking $name (checksum verified)"
	mkdir -p "$work/src"
	tar -xJf "$tarball" -C "$work/src" --strip-components=1 ||
		return 1
	src="$work/src"
	version=$(cat "$src/VERSION")
	origin="release tarball $name"
}

: >"$work/why"
if [ -n "$source_dir" ]; then
	src=$source_dir
	version=$(cat "$src/VERSION" 2>/dev/null) ||
		{ echo "build-dpdk: $src has no DPDK VERSION file" >&2; exit 1; }
	origin="source tree $src"
else
	rc=0
	from_debian || rc=$?
	if [ $rc -eq 3 ]; then
		rc=0
		from_tarball || rc=$?
	fi
	if [ $rc -ne 0 ]; then
		[ $rc -ne 3 ] || sed 's/^/build-dpdk: /' "$work/why" >&2
		rm -rf "$work"
		exit $rc
	fi
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
