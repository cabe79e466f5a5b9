#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# DPDK's own dmadev_autotest (Debian's dpdk-test) against dma_netdma0,
# loaded as a -d plugin. Every section must run for the netdma device:
# no "skipping" line for it, and the test must end in "Test OK".
# Usage: dmadev_autotest.sh <path to librte_dma_netdma.so>
set -u

pmd=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

case "$(stat -c %A "$(dirname "$pmd")")" in
????????w?)
	echo "FAIL: $(dirname "$pmd") is world-writable; EAL will refuse to load the plugin"
	exit 1
	;;
esac

echo quit | DPDK_TEST=dmadev_autotest timeout 300 dpdk-test --no-huge -m 512 \
	--no-pci --no-shconf -l 0-1 -d "$pmd" --vdev dma_netdma0 >"$log" 2>&1
rc=$?
# dpdk-test prints progress with carriage returns; make it line-based
out=$(tr '\r' '\n' <"$log" | grep -v '^Ops submitted')

netdma=$(printf '%s\n' "$out" | awk '/^### Test dmadev instance/ { on = /dma_netdma0/ } on')
fail=0
for section in "copy" "burst capacity" "error handling" "fill"; do
	if printf '%s\n' "$netdma" | grep -q "Running $section Tests"; then
		echo "ok: dma_netdma0 ran the $section section"
	else
		echo "FAIL: dma_netdma0 did not run the $section section"
		fail=1
	fi
done
if printf '%s\n' "$netdma" | grep -qi "skipping"; then
	echo "FAIL: a section was skipped for dma_netdma0:"
	printf '%s\n' "$netdma" | grep -i skipping
	fail=1
fi
if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q "^Test OK"; then
	echo "FAIL: dmadev_autotest did not pass (exit $rc)"
	fail=1
fi
if [ $fail -ne 0 ]; then
	printf '%s\n' "$out" | tail -n 40
	exit 1
fi
echo "dmadev_autotest passed with every section run on dma_netdma0"
