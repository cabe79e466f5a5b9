#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# Builds the netdma PMD of another git revision under another name, so
# that it loads next to this tree's PMD (two -d) and the two drivers are
# contenders of one netdma-dma-perf run, interleaved round by round:
#
#   devtools/pmd-ab.sh [--tag TAG] REV [DIR]
#
# In REV's driver sources, before building (TAG is "ab" by default):
#   dma_netdma        -> dma_TAG_netdma       driver and vdev name
#   rte_pmd_netdma_*  -> rte_pmd_TAG_netdma_* exported symbols
#   pmd.dma.netdma    -> pmd.dma.TAG_netdma   logtype
# so REV's library is librte_dma_TAG_netdma.so and its vdevs are
# dma_TAG_netdma0, dma_TAG_netdma_card,channels=4, ... The vdev bus hands
# a device to the first driver whose name begins the device's name: a
# name such as dma_netdmaab0 would go to this tree's dma_netdma, so the
# tag goes in front.
#
# REV's tree is unpacked with git archive into DIR/src and built in
# DIR/build (DIR: build-ab/<REV's short hash> in this tree by default).
# EAL refuses plugins below a world-writable directory, so DIR must not
# be under one (such as /tmp). A build of the same REV and TAG is reused.
# Only the PMD is built. Prints the path of the library on the last line.
#
# Example: this tree against the commit before the kick that fences,
#   so=$(devtools/pmd-ab.sh 67446f8^ | tail -n 1)
#   build/app/dma_perf/netdma-dma-perf --config app/dma_perf/configs/ab.ini \
#       -- -d $PWD/build/drivers/dma/netdma/librte_dma_netdma.so -d "$so"
set -eu

usage() {
	sed -n 's/^#   devtools/usage: devtools/p' "$0" | head -n 1
	exit 2
}

tag=ab
while [ $# -gt 0 ]; do
	case $1 in
	--tag)
		[ $# -ge 2 ] || usage
		tag=$2
		shift 2
		;;
	-h | --help)
		sed -n '5,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || usage
# dma_netdma must begin no name of REV's devices, nor theirs any of ours.
case $tag in
'' | *[!a-z0-9]* | netdma*)
	echo "pmd-ab: --tag takes lower-case letters and digits, not beginning with netdma, not '$tag'" >&2
	exit 2
	;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
sha=$(git -C "$top" rev-parse --verify --quiet "$1^{commit}") || {
	echo "pmd-ab: '$1' is not a commit of $top" >&2
	exit 2
}
short=$(git -C "$top" rev-parse --short "$sha")
dir=${2:-$top/build-ab/$short}
case $dir in
/*) ;;
*) dir=$PWD/$dir ;;
esac

# The first world-writable directory on the way to $1, if any.
world_writable_ancestor() {
	d=$1
	while [ "$d" != / ]; do
		if [ -n "$(find "$d" -maxdepth 0 -perm -o+w 2>/dev/null)" ]; then
			echo "$d"
			return 0
		fi
		d=$(dirname "$d")
	done
	return 1
}
if ww=$(world_writable_ancestor "$dir"); then
	echo "pmd-ab: $ww is world-writable: EAL would refuse a plugin built in $dir" >&2
	exit 2
fi
mkdir -p "$dir"

name=dma_${tag}_netdma
so=$dir/build/drivers/dma/netdma/librte_$name.so
stamp="$sha $tag"
if [ -f "$so" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "pmd-ab: $short ($name) already built"
	echo "$so"
	exit 0
fi

echo "pmd-ab: $short $(git -C "$top" log -1 --format=%s "$sha")"
echo "pmd-ab: unpacking into $dir/src, renaming dma_netdma to $name"
rm -rf "$dir/src" "$dir/build" "$dir/stamp"
mkdir -p "$dir/src"
git -C "$top" archive "$sha" | tar -x -C "$dir/src"
drv=$dir/src/drivers/dma/netdma
[ -f "$drv/meson.build" ] || {
	echo "pmd-ab: $short has no drivers/dma/netdma" >&2
	exit 1
}
find "$drv" -type f -exec sed -i \
	-e "s/dma_netdma/$name/g" \
	-e "s/rte_pmd_netdma_/rte_pmd_${tag}_netdma_/g" \
	-e "s/pmd\.dma\.netdma/pmd.dma.${tag}_netdma/g" {} +

echo "pmd-ab: building its PMD in $dir/build (log: $dir/build.log)"
if ! { meson setup "$dir/build" "$dir/src" --buildtype=debugoptimized &&
		ninja -C "$dir/build" "drivers/dma/netdma/librte_$name.so"; } \
		>"$dir/build.log" 2>&1; then
	tail -n 20 "$dir/build.log" >&2
	echo "pmd-ab: build of $short failed (log: $dir/build.log)" >&2
	exit 1
fi

# Nothing of the library may clash with this tree's PMD in one process.
clash=$(nm -D --defined-only "$so" | awk '{ print $3 }' |
	grep -E '^rte_pmd_netdma_|netdma' | grep -v "^rte_pmd_${tag}_netdma_" || true)
if [ -n "$clash" ]; then
	echo "pmd-ab: $so still exports: $clash" >&2
	exit 1
fi
grep -q "$name" "$so" || {
	echo "pmd-ab: $so does not register $name" >&2
	exit 1
}
echo "$stamp" >"$dir/stamp"
echo "pmd-ab: $short built as $name; load it with -d next to this tree's PMD"
echo "$so"
