/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_OUTPUT_H
#define NETDMA_DMA_PERF_OUTPUT_H

/*
 * Everything netdma-dma-perf reports (output.c): where the result files
 * go, the dpdk-test-dma-perf CSV, the extra CSV, the gnuplot data (plot.c
 * draws it), and the tables printed on the console.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "irqs.h"
#include "plot.h"

/* Aggregated figures of one line of output. */
struct dp_stats {
	char name[DP_NAME_LEN];		/* dmadev name or "cpu" */
	bool is_cpu;
	bool ok;
	unsigned int lcore;
	unsigned int nb_devs;		/* dmadevs fed; 0 for the CPU */
	uint32_t buf_size;
	uint32_t ring_size;
	uint32_t kick_batch;
	uint32_t channels;		/* n of the vdev templates */
	uint32_t src_sge;		/* 0: plain copies */
	uint32_t dst_sge;
	uint32_t nr_buf;		/* buffers of this worker */
	double memory_mb;		/* footprint of this worker */
	uint32_t rounds;
	double gbps, gbps_min, gbps_max; /* median, min, max over rounds */
	double mops;			/* median */
	double ratio;			/* vs baseline; 0 if not applicable */
	double app_cyc_per_op;		/* median */
	double avg_cycles;		/* median window cycles per op */
	double fairness;		/* median max/min completions per dmadev */
	double lat_p50_ns, lat_p99_ns;
	uint64_t lat_samples;
};

/* Figures of one contender of a victim case, over its rounds. */
struct dp_victim_stats {
	char name[DP_NAME_LEN];		/* contender */
	bool ok;
	unsigned int victim_lcore, victim_cpu;
	unsigned int feeder_lcore, feeder_cpu;
	uint32_t buf_size;
	uint32_t gap_us;
	uint32_t stall_us;
	uint32_t rounds;
	uint64_t copies;		/* all rounds, each verified */
	struct dp_irqs irqs;		/* taken by the victim's CPU, summed */
	double secs;			/* measured, summed */
	double cal_per_copy;		/* < 0: no copies */
	double ipi_per_copy;		/* CAL + RES + TLB; < 0: no copies */
	double ipi_per_s;
	double stalls_per_s, stalls_min, stalls_max; /* median, min, max */
	double ratio;			/* stalls/s vs baseline; 0: none */
	double stalled_pct;		/* median */
	double max_stall_us;
	double loc_per_s;		/* median: the tick, for scale */
	double lat_p50_us, lat_p99_us;	/* a copy, submit to completion */
};

/*
 * Parent side, without EAL: the path of the result CSV and the
 * truncation of the result files before the first case (plot.h draws
 * the plots after the last).
 *
 * dp_output_check_result(): whether --result can take the files: a
 * directory (existing, or named with a final '/') must exist and take
 * new files; a file must be in such a directory and, if it exists, be a
 * writable regular file. Otherwise one line naming the path and what is
 * wrong, and -1.
 *
 * dp_output_result_path(): result is --result (NULL if not given). A
 * file is taken as is; a directory, or no --result, takes the default
 * name <config basename up to the first dot>_result.csv. Without
 * --result, the directory is the current one, unless that is inside a
 * netdma source tree (app/dma_perf/meson.build in it or in a directory
 * above it): then it is the directory of the binary.
 */
int dp_output_check_result(const char *result);
int dp_output_result_path(const char *config, const char *result,
		char *csv, size_t len);
/* chosen: the place was given with --result (else the message on
 * failure suggests it). */
int dp_output_truncate(const char *csv_path, bool chosen);
/* <dir/name>.csv -> <dir/name><suffix>: the other result files. */
void dp_output_derived_path(const char *csv, const char *suffix,
		char *out, size_t len);

/* Child side: open, append, close; every writer flushes. */
int dp_output_open(const char *csv_path);
void dp_output_env(void);
void dp_output_header(unsigned int case_id, bool is_cpu);
void dp_output_row(unsigned int scenario, const struct dp_stats *s);
void dp_output_summary(unsigned int scenario, uint32_t nr_buf,
		double memory_mb, double avg_cycles, double gbps, double mops);
void dp_output_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dp_output_extra(const struct dp_case *c, unsigned int scenario,
		const char *baseline, const struct dp_stats *s);
/* One series of case case_id on the plot whose x axis is the scenario
 * parameter x_key. */
void dp_output_plot_series(unsigned int case_id, const char *x_key,
		const char *title, const struct dp_plot_point *pt,
		unsigned int n);
/* A row of <name>_victim.csv, which the first row of a run creates. */
void dp_output_victim(const struct dp_case *c, unsigned int scenario,
		const char *baseline, const struct dp_victim_stats *s);
void dp_output_close(void);

/* Console. */
void dp_output_scenario(const struct dp_case *c, const struct dp_scenario *sc);
void dp_output_table(const struct dp_case *c, const struct dp_scenario *sc,
		const struct dp_stats *s, unsigned int n, const char *baseline);
void dp_output_victim_table(const struct dp_victim_stats *s, unsigned int n,
		const char *baseline);

#endif /* NETDMA_DMA_PERF_OUTPUT_H */
