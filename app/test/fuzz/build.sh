#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# Build the engine fuzzer with clang's libFuzzer:
#   build.sh OUTDIR             OUTDIR/netdma-fuzz-engine, with ASan + UBSan
#   build.sh --coverage OUTDIR  OUTDIR/netdma-fuzz-engine-cov, with clang's
#                               source-based coverage instead of sanitizers
# Needs Debian's clang and libclang-rt-dev (libFuzzer's runtime). The
# engine is compiled here from lib/ with the same instrumentation: it is a
# handful of files, and meson's build of it uses gcc.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
cc=${CLANG:-clang}

coverage=0
if [ "${1:-}" = "--coverage" ]; then
	coverage=1
	shift
fi
out=${1:?usage: build.sh [--coverage] OUTDIR}
mkdir -p "$out"

cflags="-std=gnu11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer
	-Wall -Wextra -Werror -pthread -I$top/lib"
if [ "$coverage" = 1 ]; then
	san="-fprofile-instr-generate -fcoverage-mapping"
	bin=$out/netdma-fuzz-engine-cov
else
	# With SVA the engine touches address 0 on purpose, as it touches
	# any address a descriptor names: the fault is the descriptor's
	# error. So the checks for a null access, as distinct from the
	# access itself (which the engine must survive), stay off.
	san="-fsanitize=address,undefined -fno-sanitize-recover=undefined
		-fno-sanitize=null,nonnull-attribute"
	bin=$out/netdma-fuzz-engine
fi

# shellcheck disable=SC2086
$cc $cflags $san -fsanitize=fuzzer -o "$bin" \
	"$top"/lib/netdma_chan.c "$top"/lib/netdma_engine.c \
	"$top"/lib/netdma_iommu.c "$top"/lib/netdma_sva.c \
	"$top"/lib/netdma_worker.c \
	"$here"/fuzz_main.c "$here"/fuzz_program.c "$here"/fuzz_arena.c \
	"$here"/fuzz_iommu.c "$here"/fuzz_chan.c -lnuma
echo "$bin"
