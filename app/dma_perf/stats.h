/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_STATS_H
#define NETDMA_DMA_PERF_STATS_H

/*
 * From runs to reported figures (stats.c): a series collects the runs of
 * one worker or contender in one scenario (one per round), and is then
 * reduced to the medians, extremes and latency percentiles of a
 * struct dp_stats.
 */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "output.h"
#include "victim.h"
#include "worker.h"

struct dp_series {
	double gbps[DP_MAX_VALUES];
	double mops[DP_MAX_VALUES];
	double appc[DP_MAX_VALUES];	/* app cycles per op */
	double cyc_op[DP_MAX_VALUES];	/* window cycles per op */
	double fairness[DP_MAX_VALUES];	/* max/min completions per dmadev */
	uint32_t nb;
	uint32_t *lat;			/* samples of all runs, TSC cycles */
	uint64_t lat_nb;
	uint64_t lat_cap;
	bool failed;
};

/* Room for the latency samples of up to rounds runs. */
int dp_series_init(struct dp_series *s, uint32_t rounds);
void dp_series_free(struct dp_series *s);
/* Start a new scenario. */
void dp_series_reset(struct dp_series *s);
/* Add the run w has just finished; a run without ops fails the series. */
void dp_series_add(struct dp_series *s, const struct dp_worker *w);

/*
 * Fill the description of a line of output: who copied, where, feeding
 * how many dmadevs, and with which scenario parameters.
 */
void dp_stats_describe(struct dp_stats *st, const char *name, bool is_cpu,
		unsigned int lcore, unsigned int nb_devs, uint32_t nr_buf,
		const struct dp_scenario *sc);
/* Reduce a series into st: medians, min/max, latency percentiles. */
void dp_stats_reduce(struct dp_stats *st, struct dp_series *s);
/* Ratios against st[baseline]: the median of the rounds' ratios, from
 * the series s of the same contenders (stats.c). */
void dp_stats_ratios(struct dp_stats *st, const struct dp_series *s,
		unsigned int n, unsigned int baseline);

/* The rounds of one contender of a victim case in one scenario. */
struct dp_victim_series {
	double stalls_per_s[DP_MAX_VALUES];
	double stalled_pct[DP_MAX_VALUES]; /* of the window */
	double loc_per_s[DP_MAX_VALUES];
	uint32_t nb;
	uint64_t max_gap;		/* the longest stall of any round */
	double secs;			/* the windows, summed */
	uint64_t copies;		/* summed */
	struct dp_irqs irqs;		/* summed */
	uint32_t *lat;			/* copy latencies of all rounds */
	uint64_t lat_nb;
	uint64_t lat_cap;
	bool failed;
};

int dp_victim_series_init(struct dp_victim_series *s, uint32_t rounds);
void dp_victim_series_free(struct dp_victim_series *s);
void dp_victim_series_reset(struct dp_victim_series *s);
void dp_victim_series_add(struct dp_victim_series *s,
		const struct dp_victim_run *v, const struct dp_feeder *f);
/*
 * Reduce into st: interrupts per copy and per second over all rounds
 * (sums over sums: a count of a few is not lost to rounding), stalls per
 * second as median, min and max; then the stall ratios against
 * st[baseline].
 */
void dp_victim_stats_reduce(struct dp_victim_stats *st,
		struct dp_victim_series *s);
void dp_victim_stats_ratios(struct dp_victim_stats *st, unsigned int n,
		unsigned int baseline);

/* Memory of nr_buf source and destination buffers, in MiB. */
static inline double
dp_footprint_mb(uint32_t buf_size, uint32_t nr_buf)
{
	return (double)buf_size * nr_buf * 2 / (1024 * 1024);
}

#endif /* NETDMA_DMA_PERF_STATS_H */
