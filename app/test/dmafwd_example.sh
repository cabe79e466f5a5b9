#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# DPDK's own examples/dma (dmafwd), as its user builds it from the example
# sources the DPDK installs, forwarding net_null's packets through copies
# on a 2-channel netdma card: one channel per receive queue, unchanged
# but for the --vdev devargs. The example counts what it sees and never
# checks a copy's status, so the verdict is the driver's own counters as
# the example prints them (rte_dma_stats_get), waited on, not timed:
#   - every channel completes REPS rings' worth of copies, so every ring
#     slot is used again and again; a stall fails after a generous bound;
#   - at exit: no failed op, and no channel with more in flight than its
#     ring holds;
#   - SIGINT stops it cleanly (exit 0, "Bye..."), through rte_dma_stop()
#     on every channel and rte_eal_cleanup(), and the PMD logs nothing at
#     WARNING or above all along.
#
# Usage: dmafwd_example.sh EXAMPLE_DIR PKGCONFIG_DIR PMD
#   EXAMPLE_DIR    the DPDK's examples/dma sources (share/dpdk/examples/dma
#                  of its prefix; Debian's dpdk-doc for the packaged DPDK)
#   PKGCONFIG_DIR  where that DPDK's libdpdk.pc is
#   PMD            librte_dma_netdma.so
# Exit 77 (skipped) when the sources or the net_null driver are missing.
set -u
. "$(dirname "$0")/cpus.sh"

if [ $# -ne 3 ]; then
	sed -n '/^# Usage/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
src=$1
pcdir=$2
pmd=$3
RING=2048	# dmafwd's default -s: the dmadev ring size
REPS=20
STALL_S=120	# no progress in this long is a stall, on any machine

fail() {
	echo "FAIL: $*" >&2
	[ -f "$out" ] && tail -n 40 "$out" >&2
	exit 1
}

if [ ! -f "$src/dmafwd.c" ]; then
	echo "SKIP: no examples/dma sources in $src" >&2
	exit 77
fi
PKG_CONFIG_PATH=$pcdir
export PKG_CONFIG_PATH
libdir=$(pkg-config --variable=libdir libdpdk) ||
	fail "no libdpdk.pc in $pcdir"
# EAL loads the drivers of its plugin directory by itself; net_null must
# be among them.
null=""
for so in "$libdir"/dpdk/pmds-*/librte_net_null.so; do
	[ -e "$so" ] && null=$so
done
if [ -z "$null" ]; then
	echo "SKIP: this DPDK has no net_null driver in $libdir/dpdk/pmds-*" >&2
	exit 77
fi

work=$(mktemp -d)
out=$work/out
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
pid=""
cp -r "$src" "$work/dma"
make -s -C "$work/dma" >"$work/make.log" 2>&1 ||
	{ cat "$work/make.log" >&2; fail "examples/dma does not build"; }

# The forwarding lcore and the engine on the first two allowed CPUs; the
# main lcore, which only prints once a second, beside the engine.
engine=$(cpu_at 0)
: >"$out"
LD_LIBRARY_PATH=$libdir "$work/dma/build/dmafwd" --no-huge -m 1024 \
	--lcores "$(cpus_lcores 2)" --no-pci --no-shconf --no-telemetry \
	--log-level=pmd.dma.netdma:warning -d "$pmd" \
	--vdev net_null0 --vdev "dma_netdma_fwd,channels=2,cpu=$engine" \
	-- -p 0x1 -q 2 -c hw -s $RING -i 1 >"$out" 2>&1 &
pid=$!

# The per-channel counters of the newest statistics block, one line
# each: "channel submitted completed failed". The example paints its
# screen with escape sequences; they go first.
counters() {
	sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$out" | awk '
		/^DMA channel/ { ch = $3 }
		/Total submitted ops:/ && ch != "" { sub_[ch] = $4 }
		/Total completed ops:/ && ch != "" { cpl[ch] = $4 }
		/Total failed ops:/ && ch != "" { bad[ch] = $4; ch = "" }
		END { for (c in cpl) print c, sub_[c], cpl[c], bad[c] }' |
		sort -n
}

want=$((RING * REPS))
last=""
since=$(date +%s)
while :; do
	kill -0 $pid 2>/dev/null || fail "dmafwd exited early"
	now=$(counters)
	done_all=$(echo "$now" | awk -v w=$want '
		NF == 4 { n++; if ($3 >= w) ok++ } END { print (n == 2 && ok == 2) }')
	[ "$done_all" = 1 ] && break
	if [ "$now" != "$last" ]; then
		last=$now
		since=$(date +%s)
	elif [ $(($(date +%s) - since)) -ge $STALL_S ]; then
		fail "no progress in ${STALL_S}s: $(echo "$now" | tr '\n' ';')"
	fi
	sleep 0.2
done

kill -INT $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -0 $pid 2>/dev/null && fail "dmafwd did not stop on SIGINT"
wait $pid
rc=$?
pid=""
[ $rc -eq 0 ] || fail "dmafwd exited $rc"
grep -q '^Bye' "$out" || fail "dmafwd did not finish its cleanup"
if grep -q 'netdma: ' "$out"; then
	fail "the PMD logged at WARNING or above: $(grep 'netdma: ' "$out" | head -n 3)"
fi
[ "$(grep -c '^Stopping dmadev' "$out")" -eq 2 ] ||
	fail "rte_dma_stop() was not called on both channels"
counters | awk -v ring=$RING -v want=$want '
	{
		n++
		if ($4 != 0) { print "channel " $1 ": " $4 " failed ops"; bad = 1 }
		if ($3 < want) { print "channel " $1 ": " $3 " completed"; bad = 1 }
		if ($2 - $3 < 0 || $2 - $3 > ring) {
			print "channel " $1 ": " $2 " submitted, " $3 " completed"
			bad = 1
		}
		printf "channel %s: %s copies submitted, %s completed, %s failed\n",
			$1, $2, $3, $4
	}
	END { exit bad || n != 2 }' || fail "the final counters"
echo "dmafwd: forwarded through 2 netdma channels, stopped cleanly"
