#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# The driver guide's "Build your application" section, run as printed:
# the ```c block after "<!-- build-app-test: program -->" in
# doc/driver_guide.md is the program, app.c; every ```sh block after a
# "<!-- build-app-test: NAME -->" line is a recipe, run in a scratch
# directory of its own that holds app.c, with SRC, B and PKG_CONFIG_PATH
# set as the guide defines them: PKG_CONFIG_PATH names the pkg-config
# directory of the DPDK this build is for, so that the recipes build
# against that DPDK and not another one the system has. The program must
# then say "app: copied". A recipe that fails, or a guide without the
# program or without a recipe, fails the test.
#
# Usage: build_app_test.sh SRC_DIR BUILD_DIR DPDK_PKGCONFIG_DIR
set -u
. "$(dirname "$0")/cpus.sh"

SRC=$(cd "$1" && pwd)
B=$(cd "$2" && pwd)/drivers/dma/netdma
PKG_CONFIG_PATH=$3
export SRC B PKG_CONFIG_PATH
guide=$SRC/doc/driver_guide.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# NAME<TAB>line of the block, for each marked block: the program's
# ```c block, the recipes' ```sh blocks.
awk '
	/^<!-- build-app-test: [a-z-]+ -->$/ { name = $3; next }
	name == "program" && /^```c$/ { inblock = 1; next }
	name != "" && name != "program" && /^```sh$/ { inblock = 1; next }
	inblock && /^```$/ { inblock = 0; name = ""; next }
	inblock { print name "\t" $0 }
' "$guide" >"$work/blocks"
# block NAME: the lines of the block called NAME
block() {
	awk -F'\t' -v n="$1" '$1 == n { print substr($0, length(n) + 2) }' \
		"$work/blocks"
}
block program >"$work/app.c"
if [ ! -s "$work/app.c" ]; then
	echo "FAIL: no build-app-test program block in $guide"
	exit 1
fi
names=$(cut -f1 "$work/blocks" | grep -vx program | uniq)
if [ -z "$names" ]; then
	echo "FAIL: no build-app-test recipe block in $guide"
	exit 1
fi

# The program's one lcore: a CPU this process may run on.
cpu=$(cpu_at 0)
fail=0
for n in $names; do
	dir=$work/$n
	mkdir -p "$dir"
	cp "$work/app.c" "$dir/app.c"
	# The block as a script; EAL's own options keep test runs apart.
	{
		echo "set -e"
		block "$n" |
			sed "s|^\./app \(.*\)$|./app \1 --no-shconf -l $cpu --log-level=lib.eal:error|"
	} >"$dir/block.sh"
	if (cd "$dir" && sh "$dir/block.sh") >"$dir/log" 2>&1 &&
			grep -q '^app: copied' "$dir/log"; then
		echo "ok: the guide's '$n' recipe builds and runs"
	else
		echo "FAIL: the guide's '$n' recipe:"
		sed 's/^/    /' "$dir/block.sh" "$dir/log" | tail -n 30
		fail=1
	fi
done
exit $fail
