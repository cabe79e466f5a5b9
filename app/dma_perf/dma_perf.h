/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_H
#define NETDMA_DMA_PERF_H

/*
 * netdma-dma-perf, file by file:
 *   main.c     command line, one forked child per case, the plot
 *   config.c   config.ini parser and the scenarios of a case (config.h)
 *   bench.c    a case inside the EAL: classic, compare and victim
 *              orchestration
 *   worker.c   the per-lcore dmadev and CPU copy loops (worker.h)
 *   victim.c   a victim round: the lcore polling the TSC, the feeder's
 *              trickle of single copies (victim.h)
 *   irqs.c     one CPU's interrupt counts from /proc/interrupts (irqs.h)
 *   buffers.c  source/destination memory, scatter-gather lists, fill and
 *              verification (buffers.h)
 *   devices.c  dmadev lookup, vdev creation, sets of dmadevs, configuration
 *              (devices.h)
 *   stats.c    rounds reduced to medians, percentiles, fairness, ratios
 *              (stats.h)
 *   output.c   result files and console tables (output.h)
 *   plot.c     the PNG plots, drawn from the plot data (plot.h)
 */

#include <stdbool.h>

#include "config.h"

#define DP_PROG_NAME		"netdma-dma-perf"

/*
 * Run one case inside an initialised EAL; returns 0 if every run
 * completed and verified.
 */
int dp_run_case(struct dp_case *c, bool skip_missing);

#endif /* NETDMA_DMA_PERF_H */
