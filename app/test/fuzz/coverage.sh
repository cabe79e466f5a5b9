#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# Line coverage of lib/ over a fuzzing corpus:
#   coverage.sh OUTDIR CORPUS_DIR...
# Builds OUTDIR/netdma-fuzz-engine-cov (clang source-based coverage),
# runs every input of the corpora once, and prints llvm-cov's report for
# the engine's files (Debian package llvm). An HTML view goes to
# OUTDIR/coverage/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=${1:?usage: coverage.sh OUTDIR CORPUS_DIR...}
shift
[ $# -gt 0 ] || { echo "coverage.sh: name at least one corpus" >&2; exit 2; }
mkdir -p "$out"

bin=$("$here/build.sh" --coverage "$out")
rm -f "$out"/cov-*.profraw
LLVM_PROFILE_FILE="$out/cov-%p.profraw" "$bin" -runs=0 -timeout=30 "$@" \
	>"$out/coverage-run.log" 2>&1
${LLVM_PROFDATA:-llvm-profdata} merge -sparse "$out"/cov-*.profraw \
	-o "$out/cov.profdata"
${LLVM_COV:-llvm-cov} report "$bin" -instr-profile="$out/cov.profdata" \
	"$top"/lib/*.c "$top"/lib/*.h
${LLVM_COV:-llvm-cov} show "$bin" -instr-profile="$out/cov.profdata" \
	-format=html -output-dir="$out/coverage" "$top"/lib/*.c \
	"$top"/lib/*.h >/dev/null
echo "coverage.sh: HTML in $out/coverage/index.html" >&2
