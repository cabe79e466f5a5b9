#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# `meson install` puts the driver where the DPDK it was built against
# looks for it. Each place is derived here from that DPDK itself (its
# libdpdk.pc and rte_build_config.h), not from what meson was told.
#
# Usage:
#   install_test.sh staging BUILD LIBDPDK_PC
#       install into a staging DESTDIR; check the paths, the header, the
#       pkg-config file, the library link; build an application with them
#   install_test.sh real BUILD LIBDPDK_PC DPDK_TEST [dmadev_autotest.sh args]
#       install into that DPDK for real (only one built by
#       buildtools/build-dpdk.sh), build an application with pkg-config
#       and run it with no -d, run dpdk-test's dmadev_autotest with no -d,
#       then uninstall
set -u

if [ $# -lt 3 ] || [ ! -d "$2" ] || [ ! -f "$3" ]; then
	sed -n '/^# Usage/,/^set/p' "$0" | sed '$d;s/^# \{0,1\}//' >&2
	exit 2
fi
mode=$1
build=$(cd "$2" && pwd)
pc=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cpus.sh"
header="$here/../../drivers/dma/netdma/rte_pmd_netdma.h"

# What this DPDK says about itself.
pcdir=$(dirname "$pc")
prefix=$(pkg-config --variable=prefix "$pc")
libdir=$(pkg-config --variable=libdir "$pc")
includedir=$(pkg-config --variable=includedir "$pc")
# shellcheck disable=SC2046
pmd_dir=$(printf '#include <rte_build_config.h>\nRTE_EAL_PMD_PATH\n' |
	cc -E -P $(pkg-config --cflags "$pc") - 2>/dev/null | tail -n 1 | tr -d '"')
case "$pmd_dir" in
/*) ;;
*)
	echo "FAIL: DPDK's rte_build_config.h names no RTE_EAL_PMD_PATH"
	exit 1
	;;
esac
echo "DPDK $(pkg-config --modversion "$pc") at $prefix: plugins in $pmd_dir"

fail=0
check() {
	what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		fail=1
	fi
}

work=$(mktemp -d "$build/install-test.XXXXXX")
installed=no
cleanup() {
	# Uninstall what a real install put in: meson lists it.
	if [ "$installed" = yes ]; then
		grep -v '^#' "$build/meson-logs/install-log.txt" | while read -r f; do
			rm -f "$f"
		done
		echo "uninstalled from $prefix"
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# root: where the files are (a DESTDIR, or "" once really installed)
exports_api() {
	nm -D --defined-only "$1" | grep -q " T rte_pmd_netdma_inflight\(@@EXPERIMENTAL\)\{0,1\}$"
}

header_beside_dpdks() {
	cmp -s "$1$includedir/rte_pmd_netdma.h" "$header" &&
		[ -f "$includedir/rte_dmadev.h" ]
}

library_links_plugin() {
	[ -L "$1$libdir/librte_dma_netdma.so" ] &&
		[ "$(readlink -f "$1$libdir/librte_dma_netdma.so")" = \
		  "$(readlink -f "$1$pmd_dir/librte_dma_netdma.so")" ]
}

# The .pc found through PKG_CONFIG_PATH=$1 gives DPDK's include
# directory, the library and EAL's plugin directory.
pc_names_everything() {
	flags=$(PKG_CONFIG_PATH="$1" pkg-config --cflags --libs libdpdk-netdma) &&
		case " $flags " in *" -I$includedir "*) ;; *) return 1 ;; esac &&
		case " $flags " in *" -lrte_dma_netdma "*) ;; *) return 1 ;; esac &&
		[ "$(PKG_CONFIG_PATH="$1" pkg-config --variable=pmd_dir \
			libdpdk-netdma)" = "$pmd_dir" ]
}

# install_consumer.c, built with the flags of pkg-config libdpdk-netdma
# found through PKG_CONFIG_PATH=$1, and extra flags $2.
build_consumer() {
	# shellcheck disable=SC2046,SC2086
	cc -o "$work/consumer" "$here/install_consumer.c" \
		-DALLOW_EXPERIMENTAL_API $2 \
		$(PKG_CONFIG_PATH="$1" pkg-config --cflags --libs libdpdk-netdma) \
		>"$work/cc.log" 2>&1 || { cat "$work/cc.log"; return 1; }
}

run_consumer() {
	"$work/consumer" --no-huge -m 512 --no-pci --no-shconf --no-telemetry \
		-l "$(cpu_at 0)" --vdev dma_netdma0 >"$work/run.log" 2>&1
	rc=$?
	grep '^install_consumer' "$work/run.log"
	[ $rc -eq 0 ] || { tail -n 5 "$work/run.log"; return 1; }
}

case "$mode" in
staging)
	stage="$work/stage"
	DESTDIR="$stage" meson install -C "$build" --no-rebuild \
		>"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
	check "the plugin is in DPDK's plugin directory ($pmd_dir)" \
		test -f "$stage$pmd_dir/librte_dma_netdma.so"
	check "that directory is where DPDK's own drivers are" \
		test -e "$pmd_dir/librte_bus_vdev.so"
	check "the plugin exports the netdma API" \
		exports_api "$stage$pmd_dir/librte_dma_netdma.so"
	check "rte_pmd_netdma.h is beside rte_dmadev.h ($includedir)" \
		header_beside_dpdks "$stage"
	check "librte_dma_netdma.so in $libdir links to the plugin" \
		library_links_plugin "$stage"
	check "libdpdk-netdma.pc is beside libdpdk.pc ($pcdir)" \
		test -f "$stage$pcdir/libdpdk-netdma.pc"
	check "pkg-config libdpdk-netdma names the header, library and plugin directory" \
		pc_names_everything "$stage$pcdir:$pcdir"
	# Staged files are not where the .pc points: name them as well.
	check "an application builds against the staged header and library" \
		build_consumer "$stage$pcdir:$pcdir" \
		"-I$stage$includedir -L$stage$libdir -Wl,-rpath-link,$libdir"
	;;
real)
	dpdk_test=${1:?DPDK_TEST}
	shift
	if [ ! -f "$prefix/.netdma-build" ]; then
		echo "SKIP: $prefix was not built by buildtools/build-dpdk.sh: not ours to install into"
		exit 77
	fi
	if [ -e "$pmd_dir/librte_dma_netdma.so" ]; then
		echo "FAIL: a netdma plugin is already installed in $pmd_dir"
		exit 1
	fi
	installed=yes
	meson install -C "$build" --no-rebuild >"$work/install.log" 2>&1 ||
		{ cat "$work/install.log"; exit 1; }
	check "the plugin is installed in $pmd_dir" \
		test -f "$pmd_dir/librte_dma_netdma.so"
	check "pkg-config libdpdk-netdma names the header, library and plugin directory" \
		pc_names_everything "$pcdir"
	# A DPDK in a prefix is not on the loader's path: the application
	# carries a run path to its libdir.
	check "an application builds with pkg-config libdpdk-netdma" \
		build_consumer "$pcdir" "-Wl,-rpath,$libdir"
	check "it runs on dma_netdma0 with no -d" run_consumer
	check "dpdk-test dmadev_autotest passes with no -d" \
		"$here/dmadev_autotest.sh" "$dpdk_test" - "$@"
	;;
*)
	echo "install_test.sh: unknown mode $mode" >&2
	exit 2
	;;
esac

[ $fail -eq 0 ] || exit 1
echo "install ($mode) passed"
