#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# netdma-dma-perf running copies through the netdma PMD: scatter-gather
# (configs/sg.ini), a device's segment limit, contenders made of vdev
# templates (channels, idle dmadevs), and a victim case. The tool verifies every byte of
# every run itself: a wrong segment layout, a lost copy or an overrun
# fails the run and the exit status.
#   test_runs.sh <netdma-dma-perf> <librte_dma_netdma.so> <configs dir>

set -u
. "$(dirname "$0")/../test/cpus.sh"
bin=$(readlink -f "$1")
pmd=$(readlink -f "$2")
configs=$3
fails=0
section_fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The worker lcore 1 on the second CPU this process may run on, the engine
# threads on the first with main lcore 0, which only waits; all on one
# CPU where only one is allowed.
engine=$(cpu_at 0)
eal_args="--no-huge -m 512 --lcores $(cpus_lcores 2) --no-shconf --no-pci --no-telemetry --log-level=lib.eal:warning --log-level=pmd.dma.netdma:warning"

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

ok() {
	[ $fails -eq $section_fails ] && echo "ok: $*"
	section_fails=$fails
}

# run <name> <config>: results in $tmp/<name>.csv, console in $tmp/<name>.out
run() {
	"$bin" --config "$2" --result "$tmp/$1.csv" -- -d "$pmd" \
		>"$tmp/$1.out" 2>&1
}

# field <extra.csv> <column> <row filter>: the column of the rows that
# pass the filter, an awk condition on v["<column>"]
field() {
	awk -F, -v col="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
		{ for (i = 1; i <= NF; i++) v[name[i]] = $i }
		'"$3"' { print v[col] }' "$1"
}

# Scatter-gather: sg.ini runs and verifies; rows carry the segment counts,
# and buffer counts follow dpdk-test-dma-perf (whole copies only).
# sg.ini as written puts lcores and engine on CPUs 0 and 1: here they are
# the first two this process may run on.
cpus_config "$configs/sg.ini" "$tmp/sg.ini"
run sg "$tmp/sg.ini" || fail "sg.ini: exit $? ($(grep -m1 -i 'error\|FAILED' "$tmp/sg.out"))"
x=$tmp/sg_extra.csv
n=$(field "$x" verify 'v["case"] == 1 && v["verify"] == "ok" &&
	v["dma_src_sge"] == 4 && v["dma_dst_sge"] == 3' | wc -l)
[ "$n" -eq 6 ] || fail "sg.ini case 1: $n of 6 rows verified with 4 -> 3 segments"
[ "$(field "$x" nr_buf 'v["buf_size"] == 1000' | sort -u)" = 2088 ] ||
	fail "sg.ini: 1000 B x 4 MiB is 2097 buffers, 2088 in whole 4 x 3 copies; got $(field "$x" nr_buf 'v["buf_size"] == 1000')"
[ "$(field "$x" dma_src_sge 'v["case"] == 2 && v["verify"] == "ok"')" = 16 ] ||
	fail "sg.ini case 2: no verified row with 16 source segments"
ok "scatter-gather: sg.ini verified, dpdk-test-dma-perf buffer counts"

# More segments than the device takes: the case fails, naming max_sges.
cat >"$tmp/toomany.ini" <<INI
[case1]
eal_args=$eal_args
type=DMA_MEM_COPY
mem_size=1
buf_size=4096
dma_ring_size=64
kick_batch=8
dma_src_sge=17
dma_dst_sge=1
lcore_dma=lcore1@dma_netdma0
INI
run toomany "$tmp/toomany.ini" && fail "17 segments on dma_netdma0 exit 0"
grep -q "max_sges" "$tmp/toomany.out" ||
	fail "17 segments: no word of max_sges: $(grep -m1 Error "$tmp/toomany.out")"
ok "scatter-gather: a device's max_sges is enforced"

# Template contenders: sets made anew for each scenario (dma_netdma0 in
# both scenarios: the first one's vdevs must be gone), fed round-robin;
# busy= leaves the rest of a set idle.
cat >"$tmp/channels.ini" <<INI
[GLOBAL]
eal_args=$eal_args

[case1]
type=DMA_MEM_COPY
mem_size=2
buf_size=64
dma_ring_size=256
kick_batch=16
lcore=1
channels=1,3
compare=card,vdevs,one
baseline=one
rounds=2
round_ms=250
card.vdev=dma_netdma_card,channels={n},cpu=$engine
vdevs.vdev=dma_netdma{i},cpu=$engine
one.vdev=dma_netdma_one,cpu=$engine

[case2]
type=DMA_MEM_COPY
mem_size=2
buf_size=4096
dma_ring_size=256
kick_batch=16
lcore=1
compare=idle4
rounds=2
round_ms=250
idle4.vdev=dma_netdma_card,channels=4,cpu=$engine
idle4.busy=2
INI
run channels "$tmp/channels.ini" ||
	fail "channels: exit $? ($(grep -m1 -i 'error\|FAILED' "$tmp/channels.out"))"
x=$tmp/channels_extra.csv
for who in card vdevs one; do
	want=3
	[ $who = one ] && want=1
	got=$(field "$x" dmadevs 'v["case"] == 1 && v["scenario"] == 2 &&
		v["contender"] == "'$who'" && v["verify"] == "ok"')
	[ "$got" = "$want" ] || fail "channels=3: $who fed '$got' dmadevs, not $want"
done
grep -q "vdevs: dma_netdma{i},cpu=$engine x 3 -> dma_netdma0 .. dma_netdma2" \
	"$tmp/channels.out" || fail "channels=3: vdevs did not make dma_netdma0 .. 2"
fair=$(field "$x" fairness_max_min 'v["case"] == 1 &&
	v["scenario"] == 2 && v["contender"] == "card"')
echo "$fair" | grep -Eq '^([0-9]+\.[0-9]+|inf)$' || fail "channels=3: card fairness '$fair'"
grep -q '^# x: channels$' "$tmp/channels_plot.dat" ||
	fail "channels: the plot data has no series against channels"
[ "$(field "$x" dmadevs 'v["case"] == 2 && v["verify"] == "ok"')" = 2 ] ||
	fail "busy=2: the row does not say 2 dmadevs fed"
grep -q "(the first 2 fed, 2 idle)" "$tmp/channels.out" ||
	fail "busy=2: the console does not show 2 idle dmadevs"
ok "template contenders: made per scenario, fed round-robin, idle ones"

# The ratio is the median of the rounds' ratios, each against the
# baseline's rate in the same round, as the console's round lines give
# them (case 1, scenario 2: card against one). Those lines round each
# rate to 0.001 Gbps, which moves a round's ratio q by up to
# q * 0.0005 * (1 / card + 1 / one), and the median by no more than the
# largest of those; the CSV rounds the ratio to 0.001. So the two agree
# within that sum, however slow the machine (a slow one's small rates
# lose the most digits).
want=$(awk '
	/^Case [0-9]+ scenario [0-9]+:/ { at = ($2 == "1" && $4 == "2:") }
	at && $1 == "round" && $4 == "ok" { g[$3, $2] = $5; n = $2 }
	END {
		err = 0
		for (r = 1; r <= n; r++) {
			q[r] = g["card", r] / g["one", r]
			e = q[r] * 0.0005 * (1 / g["card", r] + 1 / g["one", r])
			if (e > err)
				err = e
		}
		# the median of n values, sorted by insertion
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && q[j - 1] > q[j]; j--) {
				t = q[j]; q[j] = q[j - 1]; q[j - 1] = t
			}
		m = n % 2 ? q[(n + 1) / 2] : (q[n / 2] + q[n / 2 + 1]) / 2
		printf "%.6f %.6f", m, err + 0.0005
	}' "$tmp/channels.out")
got=$(field "$x" ratio 'v["case"] == 1 && v["scenario"] == 2 &&
	v["contender"] == "card"')
awk -v w="$want" -v b="$got" 'BEGIN {
	split(w, a, " "); d = a[1] - b
	exit !(b != "" && d <= a[2] + 1e-9 && d >= -a[2] - 1e-9) }' ||
	fail "ratio: card against one is '$got', the rounds' median ratio is '${want% *}' (within ${want#* })"
ok "ratios: the median of the rounds' ratios to the baseline"

# The plot data: each series tagged with its case, each point x, median,
# min and max, in that order of size; the plots drawn if gnuplot is here.
d=$tmp/channels_plot.dat
awk '/^[0-9]/ { n++; if (NF != 4 || $3 > $2 || $2 > $4) bad++ }
	END { exit !(n > 0 && bad == 0) }' "$d" ||
	fail "plot data: points are not 'x median min max', min <= median <= max"
grep -q '^# case: 1$' "$d" && grep -q '^# case: 2$' "$d" ||
	fail "plot data: series not tagged with their cases"
if command -v gnuplot >/dev/null; then
	[ -s "$tmp/channels_channels.png" ] && [ -s "$tmp/channels.png" ] ||
		fail "plots: channels_channels.png and channels.png not both drawn"
fi
ok "plot data: median, min and max per point; plots drawn"

# A victim case: for each contender, the victim's interrupts and stalls
# next to the feeder's verified copies. The figures are the benchmark's
# business: here only that each is there. With one lcore a victim case is
# skipped, and says why; with one allowed CPU there is no victim of a CPU
# of its own to measure, and only that skip is checked.
one_lcore=$(echo "$eal_args" | sed -E "s/--lcores [^ ]*/--lcores $(cpus_lcores 1)/")
victim_eal=$eal_args
[ "$(cpus_allowed | wc -w)" -ge 2 ] || victim_eal=$one_lcore
cat >"$tmp/victim.ini" <<INI
[case1]
eal_args=$victim_eal
type=DMA_MEM_COPY
mem_size=1
buf_size=64
victim=1
victim_gap_us=100
compare=netdma,skeleton,cpu,none
baseline=skeleton
rounds=2
round_ms=100
netdma.vdev=dma_netdma_v,cpu={main_cpu}
skeleton.vdev=dma_skeleton_v,lcore={main_lcore}

[case2]
eal_args=$one_lcore
type=DMA_MEM_COPY
mem_size=1
buf_size=64
victim=1
compare=none
INI
run victim "$tmp/victim.ini" ||
	fail "victim: exit $? ($(grep -m1 -i 'error\|FAILED' "$tmp/victim.out"))"
if [ "$(cpus_allowed | wc -w)" -ge 2 ]; then
	x=$tmp/victim_victim.csv
	for who in netdma skeleton cpu none; do
		[ "$(field "$x" verify 'v["contender"] == "'$who'"')" = ok ] ||
			fail "victim: no verified row for $who"
	done
	for who in netdma skeleton cpu; do
		[ "$(field "$x" copies 'v["contender"] == "'$who'"')" -gt 0 ] 2>/dev/null ||
			fail "victim: $who made no copy"
		field "$x" cal_per_copy 'v["contender"] == "'$who'"' |
			grep -Eq '^[0-9]+\.[0-9]+$' || fail "victim: $who has no CAL per copy"
	done
	[ "$(field "$x" copies 'v["contender"] == "none"')" = 0 ] ||
		fail "victim: none made copies"
	[ -z "$(field "$x" cal_per_copy 'v["contender"] == "none"')" ] ||
		fail "victim: none has a figure per copy"
	field "$x" stalls_per_s_median 'v["contender"] == "netdma"' |
		grep -Eq '^[0-9]+\.[0-9]+$' || fail "victim: no stalls per second"
	# (a CPU without a tick may see no stall, and has no ratio then)
	r=$(field "$x" stall_ratio 'v["contender"] == "skeleton"')
	s=$(field "$x" stalls_per_s_median 'v["contender"] == "skeleton"')
	[ "$r" = 1.000 ] || { [ -z "$r" ] && [ "$s" = 0.0 ]; } ||
		fail "victim: the baseline's stall ratio is '$r', not 1.000"
	grep -q "^Victim: lcore [0-9]* on CPU [0-9]* polls the TSC; feeder: main lcore [0-9]* on CPU [0-9]*" \
		"$tmp/victim.out" || fail "victim: the console does not say where it runs"
else
	grep -q "^Case 1 skipped: the victim needs a CPU of its own" \
		"$tmp/victim.out" ||
		fail "victim: one CPU, not skipped: $(grep -m1 'Case 1' "$tmp/victim.out")"
fi
grep -q "^Case 2 skipped: the victim needs a CPU of its own" "$tmp/victim.out" ||
	fail "victim: one lcore, not skipped: $(grep -m1 'Case 2' "$tmp/victim.out")"
grep -q "^Skip the test-case 2" "$tmp/victim.csv" ||
	fail "victim: the skipped case is not in the CSV"
grep -q "^Scenario" "$tmp/victim.csv" &&
	fail "victim: throughput rows in the CSV of a victim case"
ok "victim: interrupts and stalls per contender, verified copies; skipped on one CPU"

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
