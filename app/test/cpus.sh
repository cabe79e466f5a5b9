# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# The CPUs a test may pin its lcores and engine threads to: those of the
# process's allowed set (a container's cpuset, taskset), lowest first,
# never fixed numbers that may lie outside it. Sourced by the test
# scripts:
#   . "$(dirname "$0")/cpus.sh"
#
# A test that wants two CPUs apart (an application lcore and an engine
# thread, two processes) asks for the first and the second; where only
# one is allowed both are that one: they share it, slower and as correct.

# cpus_allowed: the allowed CPUs, blank-separated, lowest first; nothing
# if the kernel does not say.
cpus_allowed() {
	sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status |
		tr ',' '\n' | awk -F- '
			/^[0-9]/ {
				hi = NF > 1 ? $2 : $1
				for (c = $1 + 0; c <= hi + 0; c++)
					printf "%s%d", n++ ? " " : "", c
			}
			END { print "" }'
}

# cpu_at N: the allowed CPU of rank N (0 the lowest), or the highest when
# fewer are allowed.
cpu_at() {
	_cpus_n=$1
	# shellcheck disable=SC2046
	set -- $(cpus_allowed)
	while [ "$_cpus_n" -gt 0 ] && [ $# -gt 1 ]; do
		shift
		_cpus_n=$((_cpus_n - 1))
	done
	echo "${1:-}"
}

# cpus_lcores N: an EAL --lcores map putting lcores 0 .. N-1 on the
# allowed CPUs of ranks 0 .. N-1 ("0@2,1@3"), so that the lcore numbers a
# test names stay what they were whatever CPUs they land on.
cpus_lcores() {
	_cpus_i=0
	_cpus_map=""
	while [ $_cpus_i -lt "$1" ]; do
		_cpus_map="$_cpus_map${_cpus_map:+,}$_cpus_i@$(cpu_at $_cpus_i)"
		_cpus_i=$((_cpus_i + 1))
	done
	echo "$_cpus_map"
}

# cpus_config IN OUT: the dma-perf config IN, written as if its CPUs
# 0 and 1 were the allowed CPUs of ranks 0 and 1: each "-l LIST" of its
# EAL arguments becomes the --lcores map of those lcores (lcore numbers
# kept), each cpu=N devarg names the allowed CPU of rank N.
cpus_config() {
	awk -v cpus="$(cpus_allowed)" '
		function cpu(n) { return n + 1 <= ncpu ? c[n + 1] : c[ncpu] }
		# "0-1,3" -> "0@C0,1@C1,3@C3"
		function lcores(list,   r, i, a, lo, hi, k, n) {
			n = split(list, r, ",")
			out = ""
			for (i = 1; i <= n; i++) {
				split(r[i], a, "-")
				lo = a[1] + 0
				hi = (r[i] ~ /-/ ? a[2] : a[1]) + 0
				for (k = lo; k <= hi; k++)
					out = out (out == "" ? "" : ",") k "@" cpu(k)
			}
			return out
		}
		BEGIN { ncpu = split(cpus, c, " ") }
		{
			line = ""
			while (match($0, /(^|[ =])-l [0-9][-,0-9]*/)) {
				pre = substr($0, RSTART, RLENGTH)
				sub(/-l [-,0-9]*$/, "", pre)
				list = substr($0, RSTART + length(pre) + 3,
					RLENGTH - length(pre) - 3)
				line = line substr($0, 1, RSTART - 1) pre \
					"--lcores " lcores(list)
				$0 = substr($0, RSTART + RLENGTH)
			}
			$0 = line $0
			line = ""
			while (match($0, /(^|[ ,=])cpu=[0-9]+/)) {
				pre = substr($0, RSTART, RLENGTH)
				sub(/cpu=[0-9]+$/, "", pre)
				n = substr($0, RSTART + length(pre) + 4,
					RLENGTH - length(pre) - 4)
				line = line substr($0, 1, RSTART - 1) pre "cpu=" cpu(n)
				$0 = substr($0, RSTART + RLENGTH)
			}
			print line $0
		}' "$1" >"$2"
}
