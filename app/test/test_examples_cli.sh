#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# The command line of every example and tool, and how the examples find
# their dmadev:
#  - --help prints the full usage, says whether the program takes --vdev,
#    and exits 0, without EAL (after --) and through EAL's own --help;
#  - an unknown option exits non-zero and names the option, and the engine
#    bench's every pattern and read-ahead setting runs;
#  - dma_copy and dma_intr run with and without --vdev, and say which
#    device they used; a failed --vdev probe, a vdev whose dmadevs have
#    other names, a missing driver, and vhost_dma without --vdev are each
#    told apart;
#  - when EAL does not start for want of hugepages, each example says
#    what to try, and the command line it suggests runs.
#
#   test_examples_cli.sh BUILD_DIR

set -u
. "$(dirname "$0")/cpus.sh"
build=$(readlink -f "$1")
pmd=$build/drivers/dma/netdma/librte_dma_netdma.so
copy=$build/examples/dma_copy/netdma-copy-demo
intr=$build/examples/dma_intr/netdma-dma-intr
vhost=$build/examples/vhost_dma/netdma-vhost-dma
perf=$build/app/dma_perf/netdma-dma-perf
linecost=$build/app/linecost/netdma-linecost
ebench=$build/app/enginebench/netdma-engine-bench
# The examples' one lcore on the first CPU this process may run on; the
# engine of a device they create goes, by default, on the second (or on
# the first as well, where it is the only one).
cpu=$(cpu_at 0)
engine_cpu=$(cpu_at 1)
eal="--no-huge -m 256 --no-pci --no-shconf --no-telemetry -l $cpu"
fails=0
section_fails=0
tmp=$(mktemp -d)
trap '[ $fails -eq 0 ] && rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# Says ok for a group of checks none of which failed.
ok() {
	[ $fails -eq $section_fails ] && echo "ok: $*"
	section_fails=$fails
}

# run NAME CMD...: stdout in $tmp/NAME.out, stderr in $tmp/NAME.err, $rc
run() {
	out=$1
	shift
	"$@" >"$tmp/$out.out" 2>"$tmp/$out.err"
	rc=$?
}

# expect_rc WANT NAME: WANT is a number, or "nonzero"
expect_rc() {
	if [ "$1" = nonzero ]; then
		[ "$rc" -ne 0 ] || fail "$2: exits 0"
	else
		[ "$rc" -eq "$1" ] || fail "$2: exits $rc, not $1 ($(tail -n 1 "$tmp/$2.err"))"
	fi
}

# expect_in FILE TEXT...: each TEXT is in FILE
expect_in() {
	f=$1
	shift
	for want in "$@"; do
		grep -q -F -e "$want" "$tmp/$f" || fail "$f lacks '$want'"
	done
}

# ---- --help and unknown options ----------------------------------------

# The examples: every option in the usage, and the --vdev statement.
help_example() {
	name=$1
	bin=$2
	vdev=$3
	shift 3
	run "$name-help" "$bin" -- --help
	expect_rc 0 "$name-help"
	expect_in "$name-help.out" "$vdev" --help "$@"
	[ -s "$tmp/$name-help.err" ] && fail "$name -- --help writes to stderr"
	# Before --, --help is EAL's, which ends with the application's.
	run "$name-ealhelp" "$bin" --help
	expect_rc 0 "$name-ealhelp"
	expect_in "$name-ealhelp.out" "Application Usage" "$vdev"
	run "$name-bad" "$bin" -- --no-such-option
	expect_rc nonzero "$name-bad"
	expect_in "$name-bad.err" "unknown option '--no-such-option'"
	ok "$name: --help (exit 0, '$vdev', every option), unknown option (exit $rc)"
}

help_example copy "$copy" "--vdev: optional" --dma MS
help_example intr "$intr" "--vdev: optional" --dma --bench --busy-ms \
	--idle-s --empty-polls --idle-us --wakeups --engine-cpu --spin-us
help_example vhost "$vhost" "--vdev: required" --socket --dma \
	--stock-vhost --cpu-copy --duration --count --sizes --chain --rx-seg \
	--burst --window --drain-idle --stats --bench --yield

# The tools.
run perf-help "$perf" --help
expect_rc 0 perf-help
run perf-bad "$perf" --no-such-option
expect_rc nonzero perf-bad
expect_in perf-bad.err "unknown option '--no-such-option'"
ok "dma-perf: --help, unknown option (exit $rc)"

run linecost-help "$linecost" --help
expect_rc 0 linecost-help
expect_in linecost-help.out "Usage: netdma-linecost" "no --vdev"
run linecost-bad "$linecost" --no-such-option
expect_rc nonzero linecost-bad
expect_in linecost-bad.err "unknown option '--no-such-option'"
ok "linecost: --help, unknown option (exit $rc)"

run ebench-help "$ebench" --help
expect_rc 0 ebench-help
expect_in ebench-help.out --channels --busy --size --batch --depth --ops \
	--mem "--pattern shared|split|random" "--readahead auto|on|off"
for arg in "--pattern spiral" "--readahead sometimes"; do
	run ebench-bad "$ebench" $arg
	expect_rc 2 ebench-bad
	expect_in ebench-bad.err "${arg% *}: unknown value '${arg#* }'"
done
# Each pattern and read-ahead setting runs, and the report says which.
for pattern in shared split random; do
	for ra in auto on off; do
		run ebench-run "$ebench" --channels 3 --busy 2 --mem 1 \
			--ops 20000 --pattern "$pattern" --readahead "$ra"
		expect_rc 0 ebench-run
		expect_in ebench-run.out \
			"channels 3 (2 busy, 1 idle), 64 B copies, batch 32, 1 MiB $pattern, read-ahead $ra: " \
			"Mops/s"
	done
done
ok "engine-bench: --help, unknown values, every pattern and read-ahead"

# A wrong value is named too, before EAL starts.
run intr-val "$intr" -- --busy-ms many
expect_rc 2 intr-val
expect_in intr-val.err "--busy-ms" "'many'"
run copy-val "$copy" -- 0
expect_rc 2 copy-val
run vhost-val "$vhost" -- --socket x --burst 100
expect_rc 2 vhost-val
expect_in vhost-val.err "--burst '100'"
ok "bad values: exit 2, named"

# ---- dma_copy with and without --vdev ----------------------------------

# shellcheck disable=SC2086
run copy-own "$copy" -d "$pmd" $eal -- 10
expect_rc 0 copy-own
expect_in copy-own.out "dma_netdma0: created with devargs \"cpu=$engine_cpu\"" \
	"verified"
grep -q "| NO$" "$tmp/copy-own.out" && fail "copy-own: a copy did not verify"
ok "dma_copy without --vdev: creates dma_netdma0 (engine on CPU $engine_cpu), copies verify"

# shellcheck disable=SC2086
run copy-vdev "$copy" -d "$pmd" $eal --vdev dma_netdma0,spin_us=5 -- 10
expect_rc 0 copy-vdev
expect_in copy-vdev.out "dma_netdma0: using the device given to EAL (--vdev)"
grep -q "created with devargs" "$tmp/copy-vdev.out" &&
	fail "copy-vdev: created a device although --vdev gave one"
ok "dma_copy with --vdev dma_netdma0: uses it"

# shellcheck disable=SC2086
run copy-ch "$copy" -d "$pmd" $eal --vdev dma_netdma0,channels=2 -- --dma dma_netdma0-ch1 10
expect_rc 0 copy-ch
expect_in copy-ch.out "dma_netdma0-ch1: using the device given to EAL"
ok "dma_copy --dma dma_netdma0-ch1 with a two-channel --vdev"

# shellcheck disable=SC2086
run copy-probefail "$copy" -d "$pmd" $eal --vdev dma_netdma0,cpu=9999 -- 10
expect_rc 1 copy-probefail
expect_in copy-probefail.err "--vdev dma_netdma0 was given, but its probe failed: see the log above"
# shellcheck disable=SC2086
run copy-names "$copy" -d "$pmd" $eal --vdev dma_netdma0,channels=2 -- 10
expect_rc 1 copy-names
expect_in copy-names.err "already exists (errno 17: File exists), but its dmadevs are called dma_netdma0-ch0, dma_netdma0-ch1"
# shellcheck disable=SC2086
run copy-nodrv "$copy" $eal -- 10
expect_rc 1 copy-nodrv
expect_in copy-nodrv.err "cannot create dma_netdma0: no driver took it" "-d <path to librte_dma_netdma.so>"
ok "dma_copy: probe failed, other dmadev names, no driver: told apart"

# ---- dma_intr with and without --vdev ----------------------------------

# dma_intr links the PMD: no -d needed.
short="--busy-ms 40 --idle-s 0"
# shellcheck disable=SC2086
run intr-own "$intr" $eal -- $short
expect_rc 0 intr-own
expect_in intr-own.out "dma_netdma0: created with devargs \"cpu=$engine_cpu\"" \
	"trickle:" "submitted" "Every copy submitted completed"
ok "dma_intr without --vdev: creates dma_netdma0 (engine on CPU $engine_cpu), trickle numbers"

# shellcheck disable=SC2086
run intr-vdev "$intr" $eal --vdev dma_netdma0,spin_us=5 -- $short --spin-us 3
expect_rc 0 intr-vdev
expect_in intr-vdev.out "dma_netdma0: using the device given to EAL (--vdev)" \
	"--engine-cpu and --spin-us apply only to a device this program creates"
ok "dma_intr with --vdev dma_netdma0: uses it, says its engine options do not apply"

# shellcheck disable=SC2086
run intr-probefail "$intr" $eal --vdev dma_netdma0,spin_us=-3 -- $short
expect_rc 1 intr-probefail
expect_in intr-probefail.err "probe failed: see the log above"
ok "dma_intr: a failed --vdev probe"

# ---- vhost_dma needs --vdev --------------------------------------------

# shellcheck disable=SC2086
run vhost-novdev "$vhost" -d "$pmd" $eal -- --socket "$tmp/v.sock"
expect_rc 1 vhost-novdev
expect_in vhost-novdev.err "no --vdev dma_netdma0 was given: add --vdev dma_netdma0"
# shellcheck disable=SC2086
run vhost-probefail "$vhost" -d "$pmd" $eal --vdev dma_netdma0,cpu=9999 -- --socket "$tmp/v.sock"
expect_rc 1 vhost-probefail
expect_in vhost-probefail.err "--vdev dma_netdma0 was given, but its probe failed: see the log above"
ok "vhost_dma: no --vdev and a failed probe told apart"

# ---- EAL that does not start: what to try -----------------------------

# No hugetlbfs at --huge-dir stops EAL as a machine without hugepages does.
# nohuge NAME BIN TEXT...: exits non-zero, suggests BIN --no-huge -m 512
# and says each TEXT.
nohuge() {
	name=$1
	bin=$2
	shift 2
	run "$name-nohuge" "$bin" --no-pci --no-shconf --no-telemetry -l "$cpu" \
		--huge-dir "$tmp/no-hugetlbfs"
	expect_rc nonzero "$name-nohuge"
	expect_in "$name-nohuge.err" "$name: EAL could not start: no hugepages" \
		"$name: to run without hugepages: $bin --no-huge -m 512" "$@"
}
nohuge netdma-copy-demo "$copy" "dpdk-hugepages.py --setup"
nohuge netdma-dma-intr "$intr" "/proc/sys/vm/nr_hugepages"
nohuge netdma-vhost-dma "$vhost" "--vdev dma_netdma0 -- --socket"
# The copy demo's suggestion, as printed, for 10 ms per size.
try=$(sed -n 's/^netdma-copy-demo: to run without hugepages: //p' \
	"$tmp/netdma-copy-demo-nohuge.err")
# shellcheck disable=SC2086
run copy-try $try -- 10
expect_rc 0 copy-try
expect_in copy-try.out "verified"
ok "no hugepages: each example says what to try; the copy demo's suggestion runs"

[ $fails -eq 0 ] || { echo "$fails check(s) failed; outputs were in $tmp"; exit 1; }
echo "all checks passed"
