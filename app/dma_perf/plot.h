/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_PLOT_H
#define NETDMA_DMA_PERF_PLOT_H

/*
 * The plots (plot.c): the gnuplot data the cases write, and the PNGs the
 * parent draws from it once every case has run.
 *
 * The data file holds one gnuplot block ("index") per series, headed by
 * the tags below, then one line per measured point: x, then the median,
 * min and max throughput in Gbps over the rounds.
 */

#include <stdint.h>

#include "config.h"

#define DP_PLOT_CASE_TAG	"# case: "
#define DP_PLOT_X_TAG		"# x: "		/* a scenario parameter */
#define DP_PLOT_TITLE_TAG	"# title: "

/* A measured point: throughput median, min and max at one x. */
struct dp_plot_point {
	uint32_t x;
	double y, min, max;
};

/*
 * One PNG per x axis, if gnuplot is on PATH: <name>.png against buffer
 * size, <name>_<key>.png against any other scenario parameter that
 * varies in a case. Measured points only, with min..max bars, on a log2
 * x axis marked at the measured values; the title names the config, the
 * parameters of each case on the plot and the machine.
 */
int dp_output_plot(const char *csv_path, const struct dp_config *cfg);

#endif /* NETDMA_DMA_PERF_PLOT_H */
