#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# DPDK's own dmadev_autotest against dma_netdma0, with the dpdk-test of
# the DPDK version under test. Every SECTION named must run and pass on
# dma_netdma0; any other test case dpdk-test runs on it must pass too,
# unless named with --not-applicable. A skipped case is a failure, named
# with what dma_netdma0 would need to run it. The run must end in
# "Test OK".
#
# Usage: dmadev_autotest.sh DPDK_TEST PMD|- [--vdev DEVARGS]
#                           [--not-applicable CASE]... SECTION...
#   PMD    librte_dma_netdma.so, loaded with -d; "-" loads none: the
#          driver must then be installed in the DPDK's plugin directory
#   DEVARGS  dma_netdma0's devargs (default: none)
set -u
. "$(dirname "$0")/cpus.sh"

vdev=dma_netdma0
# Newline-separated lists: a 22.11 section name has blanks.
nl='
'
not_applicable=""
if [ $# -lt 3 ]; then
	sed -n '/^# Usage/,/^set/p' "$0" | sed '$d;s/^# \{0,1\}//' >&2
	exit 2
fi
dpdk_test=$1
pmd=$2
shift 2
while [ $# -gt 0 ]; do
	case "$1" in
	--vdev) vdev="dma_netdma0${2:+,$2}"; shift 2 ;;
	--not-applicable) not_applicable="$not_applicable$2$nl"; shift 2 ;;
	*) break ;;
	esac
done
if [ $# -eq 0 ]; then
	echo "dmadev_autotest.sh: no section named" >&2
	exit 2
fi
sections=""
for s in "$@"; do
	sections="$sections$s$nl"
done

listed() {
	printf '%s' "$2" | grep -Fxq -- "$1"
}

# What a capability-gated case needs, to say why it did not run.
needs() {
	case "$1" in
	sg_copy | test_dma_sg) echo "scatter-gather copies (RTE_DMA_CAPA_OPS_COPY_SG)" ;;
	sva_copy) echo "shared virtual addressing (RTE_DMA_CAPA_SVA)" ;;
	dma_enq_deq | test_dma_ops_enq_deq)
		echo "the enqueue/dequeue ops API (RTE_DMA_CAPA_OPS_ENQ_DEQ)" ;;
	m2d_autofree) echo "mbuf free after mem-to-dev copies (RTE_DMA_CAPA_M2D_AUTO_FREE)" ;;
	test_dma_reconfigure) echo "two or more virtual channels (max_vchans >= 2)" ;;
	fill) echo "fill (RTE_DMA_CAPA_OPS_FILL)" ;;
	"error handling" | error_handling)
		echo "error reporting (RTE_DMA_CAPA_HANDLES_ERRORS) in IOVA-as-VA mode" ;;
	"burst capacity" | burst_capacity) echo "a burst capacity of 64" ;;
	*) echo "a capability dpdk-test looked for" ;;
	esac
}

plugin=""
if [ "$pmd" != "-" ]; then
	case "$(stat -c %A "$(dirname "$pmd")")" in
	????????w?)
		echo "FAIL: $(dirname "$pmd") is world-writable; EAL will refuse to load the plugin"
		exit 1
		;;
	esac
	plugin="-d $pmd"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Lcores 0 and 1 on the first two CPUs this process may run on, or both
# on its one CPU.
# shellcheck disable=SC2086
echo quit | DPDK_TEST=dmadev_autotest timeout 300 "$dpdk_test" --no-huge \
	-m 512 --no-pci --no-shconf --lcores "$(cpus_lcores 2)" $plugin \
	--vdev "$vdev" >"$log" 2>&1
rc=$?
# dpdk-test prints progress with carriage returns; make it line-based
out=$(tr '\r' '\n' <"$log" | grep -v '^Ops submitted')

# Everything dpdk-test printed about dma_netdma0: the infrastructure
# suite (24.11 on) and the instance suite.
netdma=$(printf '%s\n' "$out" |
	awk '/^### Test dmadev / { on = /dma_netdma0/ } on')
if [ -z "$netdma" ]; then
	printf '%s\n' "$out" | tail -n 20
	echo "FAIL: dpdk-test ran nothing on dma_netdma0 (exit $rc)"
	exit 1
fi

# "name status" for each test case that ran on dma_netdma0. 22.11 prints
# "Running <section> Tests" and a "skipping" line instead of a verdict:
# there a section that started passed if the whole test passed.
cases=$(printf '%s\n' "$netdma" | sed -n \
	-e 's/^ *+ TestCase \[ *[0-9]*\] : \(.*\) \([a-z]*\)$/\1 \2/p' \
	-e 's/^DMA Dev [0-9]*: Running \(.*\) Tests.*$/\1 started/p')
status_of() {
	printf '%s\n' "$cases" | awk -v n="$1" '
		{ s = $NF; $NF = ""; sub(/ $/, "") }
		$0 == n { found = s }
		END { print found }'
}

fail=0
for name in "$@"; do
	st=$(status_of "$name")
	case "$st" in
	succeeded | started) echo "ok: dma_netdma0 ran $name" ;;
	skipped | unsupported)
		echo "FAIL: dma_netdma0 skipped $name: it needs $(needs "$name")"
		fail=1
		;;
	"")
		echo "FAIL: dma_netdma0 did not run $name"
		fail=1
		;;
	*)
		echo "FAIL: $name $st on dma_netdma0"
		fail=1
		;;
	esac
done
# 22.11 has no per-case verdicts; it says "skipping" for a section it
# does not start.
if ! printf '%s\n' "$netdma" | grep -q '^ *+ TestCase'; then
	skips=$(printf '%s\n' "$netdma" | grep -i "skipping")
	if [ -n "$skips" ]; then
		printf '%s\n' "$skips" | sed 's/^/FAIL: /'
		fail=1
	fi
fi

# The cases not named as sections: each passes, or is one this version
# has that does not apply to dma_netdma0.
others=$(printf '%s\n' "$cases" | sed 's/ [a-z]*$//' | awk '!seen[$0]++')
rest=$(printf '%s\n' "$others" | while read -r name; do
	[ -n "$name" ] || continue
	listed "$name" "$sections" && continue
	st=$(status_of "$name")
	if listed "$name" "$not_applicable"; then
		echo "n/a: $name $st on dma_netdma0 (it needs $(needs "$name"))"
		continue
	fi
	case "$st" in
	succeeded | started) echo "ok: dma_netdma0 passed $name" ;;
	skipped | unsupported)
		echo "FAIL: dma_netdma0 skipped $name: it needs $(needs "$name")" ;;
	*) echo "FAIL: $name $st on dma_netdma0" ;;
	esac
done)
if [ -n "$rest" ]; then
	printf '%s\n' "$rest"
	printf '%s\n' "$rest" | grep -q '^FAIL' && fail=1
fi

if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q "^Test OK"; then
	echo "FAIL: dmadev_autotest did not pass (exit $rc)"
	fail=1
fi
if [ $fail -ne 0 ]; then
	printf '%s\n' "$out" | grep -v '^$\|^ *+ TestCase\|^DMA Dev [0-9]*: Running' | tail -n 30
	exit 1
fi
echo "dmadev_autotest passed with every section run on dma_netdma0"
