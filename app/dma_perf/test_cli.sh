#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# The command line of netdma-dma-perf and where its result files go.
# Needs no EAL: no config here gets as far as running a case.
#   test_cli.sh <path to netdma-dma-perf>

set -u
bin=$(readlink -f "$1")
fails=0
section_fails=0
tmp=$(mktemp -d)
# The default name of a config is <basename>_result.csv; a unique basename
# keeps this test from touching other results next to the binary.
cfg_name=cli-test-$$
bin_dir=$(dirname "$(readlink -f "$bin")")
trap 'rm -rf "$tmp"; rm -f "$bin_dir/${cfg_name}_result.csv" "$bin_dir/${cfg_name}_result_extra.csv" "$bin_dir/${cfg_name}_result_plot.dat"' EXIT

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# Says ok for a group of checks none of which failed.
ok() {
	[ $fails -eq $section_fails ] && echo "ok: $*"
	section_fails=$fails
}

# --help: usage on stdout, naming every option, exit 0
"$bin" --help >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "--help exits $rc"
for opt in --config --result --skip-missing --plugin-if-exists; do
	grep -q -- "$opt" "$tmp/out" || fail "--help does not mention $opt"
done
[ -s "$tmp/err" ] && fail "--help writes to stderr"
ok "--help"

# an unknown option: named on the first line of stderr, usage, non-zero
"$bin" --config "$tmp/none.ini" --no-such-option >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] || fail "an unknown option exits 0"
head -n 1 "$tmp/err" | grep -q -- "error: unknown option '--no-such-option'" ||
	fail "unknown option not named: $(head -n 1 "$tmp/err")"
grep -q -- "--result" "$tmp/err" || fail "no usage after an unknown option"
ok "unknown option (exit $rc)"

# a stray argument before --, and an option without its value
"$bin" --config "$tmp/none.ini" stray >/dev/null 2>"$tmp/err" &&
	fail "a stray argument exits 0"
head -n 1 "$tmp/err" | grep -q "stray" || fail "stray argument not named"
"$bin" --config >/dev/null 2>"$tmp/err" && fail "--config without a value exits 0"
head -n 1 "$tmp/err" | grep -q -- "--config needs a value" ||
	fail "missing value not reported: $(head -n 1 "$tmp/err")"
ok "stray argument, missing value"

# Result files. A config whose only case is skipped still writes them.
printf '[case1]\nskip=1\n' >"$tmp/$cfg_name.ini"
cfg=$tmp/$cfg_name.ini

# outside any source tree: the current directory
mkdir "$tmp/plain"
(cd "$tmp/plain" && "$bin" --config "$cfg" >/dev/null) || fail "run in $tmp/plain"
grep -q "Skip the test-case 1" "$tmp/plain/${cfg_name}_result.csv" 2>/dev/null ||
	fail "no result CSV in the current directory outside a source tree"
[ -f "$tmp/plain/${cfg_name}_result_extra.csv" ] || fail "no _extra.csv next to it"
ok "default outside a source tree: current directory"

# inside a source tree, however deep: the directory of the binary
mkdir -p "$tmp/tree/app/dma_perf" "$tmp/tree/sub/dir"
touch "$tmp/tree/app/dma_perf/meson.build"
(cd "$tmp/tree/sub/dir" && "$bin" --config "$cfg" >/dev/null) ||
	fail "run in $tmp/tree/sub/dir"
left=$(find "$tmp/tree" -name "${cfg_name}_result*")
[ -z "$left" ] || fail "result files written into the source tree: $left"
grep -q "Skip the test-case 1" "$bin_dir/${cfg_name}_result.csv" 2>/dev/null ||
	fail "no result CSV next to the binary ($bin_dir)"
ok "default inside a source tree: $bin_dir, nothing in the tree"

# --result FILE and --result DIR
"$bin" --config "$cfg" --result "$tmp/r.csv" >/dev/null || fail "--result FILE run"
[ -f "$tmp/r.csv" ] && [ -f "$tmp/r_extra.csv" ] && [ -f "$tmp/r_plot.dat" ] ||
	fail "--result FILE: r.csv, r_extra.csv, r_plot.dat not all there"
mkdir "$tmp/outdir"
"$bin" --config "$cfg" --result="$tmp/outdir/" >/dev/null || fail "--result DIR run"
[ -f "$tmp/outdir/${cfg_name}_result.csv" ] ||
	fail "--result DIR: no ${cfg_name}_result.csv in it"
ok "--result FILE and --result=DIR"

# A --result that cannot take the files: exit 2 before anything runs,
# one line naming it and what is wrong.
# bad_result <expected text> <arguments...>
bad_result() {
	want=$1
	shift
	"$bin" --config "$cfg" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] || fail "exit $rc, not 2, for: $*"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "not one line for: $*: $(cat "$tmp/err")"
	grep -q -F -- "$want" "$tmp/err" || fail "no '$want' for: $*: $(cat "$tmp/err")"
	grep -q "Case 1" "$tmp/out" && fail "the config ran despite: $*"
}
touch "$tmp/afile"
bad_result "--result $tmp/no/such/: no such directory" --result "$tmp/no/such/"
bad_result "--result $tmp/no/such/r.csv: directory $tmp/no/such does not exist" \
	--result "$tmp/no/such/r.csv"
bad_result "--result $tmp/afile/r.csv: $tmp/afile is not a directory" \
	--result "$tmp/afile/r.csv"
bad_result "--result /dev/null: exists and is neither a file nor a directory" \
	--result /dev/null
"$bin" --config "$cfg" --result= >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--result= does not exit 2"
head -n 1 "$tmp/err" | grep -q -- "--result needs a value" ||
	fail "--result= not reported: $(head -n 1 "$tmp/err")"
ok "bad --result: no such directory, not a directory, a device, empty"

# A config that is not a file: exit 1, one line.
for c in "$tmp" "$tmp/none.ini"; do
	"$bin" --config "$c" --result "$tmp/r.csv" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || fail "--config $c: exit $rc, not 1"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "--config $c: not one line: $(cat "$tmp/err")"
done
grep -q "none.ini: cannot open: No such file or directory" "$tmp/err" ||
	fail "a missing config not named: $(cat "$tmp/err")"
"$bin" --config "$tmp" >/dev/null 2>"$tmp/err"
grep -q -F "$tmp: is a directory, not a config file" "$tmp/err" ||
	fail "a directory as config not named: $(cat "$tmp/err")"
ok "bad --config: a directory, a missing file"

# Config errors: exit 1 before anything runs, one line naming the problem.
# bad_config <expected text> <case keys...>
bad_config() {
	want=$1
	shift
	printf '[case1]\nmem_size=1\ndma_ring_size=64\nkick_batch=8\n' >"$tmp/bad.ini"
	printf '%s\n' "$@" >>"$tmp/bad.ini"
	"$bin" --config "$tmp/bad.ini" --result "$tmp/bad.csv" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || fail "exit $rc, not 1, for: $*"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "not one line for: $*: $(cat "$tmp/err")"
	grep -q -- "$want" "$tmp/err" || fail "no '$want' for: $*: $(cat "$tmp/err")"
	grep -q "==== Case" "$tmp/out" && fail "a case ran despite: $*"
}
dma='type=DMA_MEM_COPY'
bad_config "dma_src_sge and dma_dst_sge go together" $dma buf_size=64 \
	lcore_dma=lcore1@dma_netdma0 dma_src_sge=2
bad_config "dma_src_sge: 0 out of range" $dma buf_size=64 \
	lcore_dma=lcore1@dma_netdma0 dma_src_sge=0 dma_dst_sge=1
bad_config "are for DMA_MEM_COPY" type=CPU_MEM_COPY buf_size=64 lcore=1 \
	dma_src_sge=2 dma_dst_sge=2
bad_config "buf_size 3 cannot be split into 4 segments" $dma buf_size=3 \
	lcore_dma=lcore1@dma_netdma0 dma_src_sge=4 dma_dst_sge=1
# 1 MiB holds 8 pairs of 64 KiB buffers; 3 x 3 segments need 9
bad_config "it holds 8 source buffers, 9 are needed" $dma buf_size=65536 \
	lcore_dma=lcore1@dma_netdma0 dma_src_sge=3 dma_dst_sge=3
bad_config "only one of .*dma_src_sge" $dma buf_size=64,128 \
	lcore_dma=lcore1@dma_netdma0 dma_src_sge=1,2 dma_dst_sge=1
ok "config errors: scatter-gather keys"

bad_config "unknown key 'card.vdevs'" $dma buf_size=64 compare=card \
	card.vdev=dma_netdma_c card.vdevs=x
bad_config "unknown key 'other.vdev' ('other' is not a DMA contender" $dma \
	buf_size=64 compare=card card.vdev=dma_netdma_c other.vdev=dma_netdma_o
bad_config "unknown key 'cpu.vdev'" $dma buf_size=64 compare=cpu \
	cpu.vdev=dma_netdma_c
bad_config "unknown key 'x.vdev'" $dma buf_size=64 lcore_dma=lcore1@d x.vdev=d
bad_config "card.vdev: unknown placeholder" $dma buf_size=64 compare=card \
	'card.vdev=dma_netdma_c,channels={N}'
bad_config "card.vdev: blank in" $dma buf_size=64 compare=card \
	'card.vdev=dma_netdma_a dma_netdma_b'
bad_config "card.busy: only a contender with a card.vdev" $dma buf_size=64 \
	compare=card card.busy=1
bad_config "channels: no contender's <name>.vdev template uses {n} or {i}" \
	$dma buf_size=64 compare=card card.vdev=dma_netdma_c channels=1,2
bad_config "channels: 33 out of range" $dma buf_size=64 compare=card \
	'card.vdev=dma_netdma_c,channels={n}' channels=33
ok "config errors: contender templates and channels"

bad_config "victim_gap_us and victim_stall_us go with victim=1" $dma \
	buf_size=64 compare=cpu victim_gap_us=100
bad_config "compare: 'none' copies nothing" $dma buf_size=64 compare=cpu,none
bad_config "victim=1 needs compare=" $dma buf_size=64 victim=1 \
	lcore_dma=lcore1@dma_netdma0
bad_config "victim=1: the feeder makes plain copies" $dma buf_size=64 \
	victim=1 compare=cpu dma_src_sge=2 dma_dst_sge=2
bad_config "victim_stall_us: 0 out of range" $dma buf_size=64 victim=1 \
	compare=none victim_stall_us=0
bad_config "unknown key 'none.vdev'" $dma buf_size=64 victim=1 \
	compare=none none.vdev=dma_netdma_n
ok "config errors: victim cases"

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
