#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# DPDK's own dpdk-test-dma-perf on dma_netdma0, with a config that has a
# scatter-gather case. The tool exits 0 whatever its cases did, so each
# case is judged from its output: its process must exit 0 and report a
# bandwidth for every buffer size, with a non-zero operation rate.
#
# Usage: dma_perf_upstream.sh [--dialect VERSION] DPDK_TEST_DMA_PERF PMD|- CONFIG
#   --dialect VERSION  the DPDK version of the tool (default 25.11), whose
#               config it is given: before 25.11 there is no [GLOBAL]
#               section, so every case gets its keys; before 24.03 a
#               worker is "lcore_dma=lcoreN@DEVICE" and there is no
#               scatter-gather, so the scatter-gather cases are left out
#               (and said to be)
#   PMD         librte_dma_netdma.so, or "-" for the installed plugin
set -u
. "$(dirname "$0")/cpus.sh"

dialect=25.11
if [ "${1:-}" = "--dialect" ]; then
	dialect=$2
	shift 2
fi
if [ $# -ne 3 ]; then
	sed -n '/^# Usage/,/^set/p' "$0" | sed '$d;s/^# \{0,1\}//' >&2
	exit 2
fi
tool=$1
pmd=$2
template=$3

# older A B: version A is older than B.
older() {
	[ "$1" != "$2" ] &&
		[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
}
per_case=0
older "$dialect" 25.11 && per_case=1
no_sg=0
older "$dialect" 24.03 && no_sg=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The benchmark's worker on lcore 1, on the second CPU this process may
# run on; the engine thread on the first, beside main lcore 0, which only
# waits for the worker. On one CPU all three share it.
eal="--no-huge -m 512 --lcores $(cpus_lcores 2) --no-pci --no-shconf"
eal="$eal --no-telemetry --log-level=pmd.dma.netdma:warning"
eal="$eal --vdev dma_netdma0,cpu=$(cpu_at 0)"
[ "$pmd" = "-" ] || eal="$eal -d $pmd"

# The config in the tool's dialect; the cases left out, by name, in
# $work/left-out.
awk -v eal="$eal" -v per_case=$per_case -v no_sg=$no_sg \
		-v left_out="$work/left-out" '
	function flush() {
		if (name == "")
			return
		if (no_sg && body ~ /\ndma_src_sge=/) {
			print name >left_out
		} else {
			printf "%s", head
			if (per_case)
				printf "%s", global
			printf "%s", body
		}
		name = ""
	}
	{ sub(/@EAL_ARGS@/, eal) }
	/^\[GLOBAL\]/ {
		flush()
		in_global = 1
		if (!per_case)
			print
		next
	}
	/^\[/ {
		flush()
		in_global = 0
		name = substr($0, 2, length($0) - 2)
		head = $0 "\n"
		body = "\n"
		next
	}
	in_global && per_case && /=/ { global = global $0 "\n"; next }
	in_global { print; next }
	name != "" && no_sg && /^lcore_dma0=/ {
		# lcore_dma0=lcore=N,dev=NAME,dir=mem2mem -> lcore_dma=lcoreN@NAME
		split(substr($0, 12), kv, ",")
		for (i in kv) {
			split(kv[i], p, "=")
			f[p[1]] = p[2]
		}
		body = body "lcore_dma=lcore" f["lcore"] "@" f["dev"] "\n"
		next
	}
	name != "" { body = body $0 "\n"; next }
	{ print }
	END { flush() }
' "$template" >"$work/config.ini"

# Line-buffered: each case runs in a forked child, which would otherwise
# repeat what the parent had buffered, or lose what it had not flushed.
(cd "$work" && timeout 300 stdbuf -oL -eL "$tool" --config config.ini \
	--result result.csv) >"$work/out.log" 2>&1
rc=$?

# Per case: its exit status, its "Average Bandwidth" lines, its errors.
summary=$(awk '
	/^Running case [0-9]+/ { c = $3; n[c] = 0; bad[c] = 0; err[c] = "" }
	/^Average Bandwidth:/ {
		n[c]++
		mops = $NF + 0
		if (mops <= 0)
			bad[c]++
		rate[c] = rate[c] " " $NF
	}
	/[Ee]rror|failed/ && !/^EAL: Error - exiting/ && c != "" && err[c] == "" {
		err[c] = $0
	}
	/^Case process exited\. status/ { st[c] = $NF }
	/^Case process killed/ { st[c] = "killed" }
	END {
		for (k in n)
			printf "%s %s %d %d%s|%s\n", k, (k in st ? st[k] : "none"),
				n[k], bad[k], rate[k], err[k]
	}
' "$work/out.log" | sort -n)

expected=$(grep -c '^\[case' "$work/config.ini")
if [ -s "$work/left-out" ]; then
	echo "not run: $(tr '\n' ' ' <"$work/left-out")(scatter-gather: this dpdk-test-dma-perf predates it)"
fi
fail=0
if [ -z "$summary" ]; then
	echo "FAIL: no case ran (exit $rc)"
	fail=1
fi
ran=0
while IFS='|' read -r head err; do
	[ -n "$head" ] || continue
	ran=$((ran + 1))
	set -- $head
	case_id=$1 status=$2 sizes=$3 zero=$4
	shift 4
	kind="copy"
	sed -n "/^\[case$case_id\]/,/^\[/p" "$work/config.ini" | grep -q '^dma_src_sge' &&
		kind="scatter-gather copy"
	if [ "$status" = 0 ] && [ "$sizes" -gt 0 ] && [ "$zero" -eq 0 ]; then
		echo "ok: case$case_id ($kind): $sizes buffer sizes, MOps: $*"
	else
		echo "FAIL: case$case_id ($kind): exit $status, $sizes results, $zero at 0 MOps${err:+: $err}"
		fail=1
	fi
done <<EOF
$summary
EOF
if [ "$ran" -ne "$expected" ]; then
	echo "FAIL: $ran of the $expected cases ran"
	fail=1
fi
if [ $rc -ne 0 ]; then
	echo "FAIL: $(basename "$tool") exited $rc"
	fail=1
fi
if [ $fail -ne 0 ]; then
	tail -n 25 "$work/out.log"
	exit 1
fi
echo "$(basename "$tool") passed every case on dma_netdma0"
