/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_H
#define NETDMA_DMA_PERF_H

/*
 * Shared definitions of netdma-dma-perf: the parsed configuration
 * (config.c), the measurement results (bench.c) and the writers of the
 * result files (output.c).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define DP_PROG_NAME		"netdma-dma-perf"

#define DP_MAX_CASES		64
#define DP_MAX_WORKERS		16
#define DP_MAX_CONTENDERS	8
#define DP_MAX_VALUES		64	/* values of one variable parameter */
#define DP_NAME_LEN		64	/* same as RTE_DEV_NAME_MAX_LEN */
#define DP_ARGS_LEN		1024
#define DP_CPU_NAME		"cpu"

enum dp_case_type {
	DP_TYPE_NONE = 0,
	DP_TYPE_DMA_MEM_COPY,
	DP_TYPE_CPU_MEM_COPY,
};

/*
 * A numeric parameter that is either one value or a list of values.
 * The "first,last,step,ADD|MUL" progression of dpdk-test-dma-perf is
 * expanded into the list at parse time so that the runner only iterates.
 */
struct dp_param {
	uint32_t nb;
	uint32_t val[DP_MAX_VALUES];
};

/* One worker of a classic (non-compare) case: an lcore and its device. */
struct dp_worker_map {
	unsigned int lcore;
	char dev[DP_NAME_LEN];		/* empty for CPU copies */
};

/* One contender of a compare case: a dmadev name, or the CPU. */
struct dp_contender {
	char name[DP_NAME_LEN];
	bool is_cpu;
	bool skipped;			/* device missing and --skip-missing */
	int16_t dev_id;
};

struct dp_case {
	unsigned int id;		/* N of the [caseN] section */
	bool skip;
	enum dp_case_type type;

	struct dp_param mem_size;	/* MiB, src + dst together */
	struct dp_param buf_size;	/* bytes per copy */
	struct dp_param ring_size;
	struct dp_param kick_batch;
	/* Which of the four parameters varies (NULL: none). */
	const char *var_name;

	int src_numa;
	int dst_numa;
	bool cache_flush;
	uint32_t test_secs;
	char eal_args[DP_ARGS_LEN];
	char vdevs[DP_ARGS_LEN];	/* "name[,devargs];name..." */

	/* Classic mode. */
	unsigned int nb_workers;
	struct dp_worker_map workers[DP_MAX_WORKERS];

	/* Compare mode (extension): several contenders on one lcore. */
	bool compare;
	unsigned int nb_contenders;
	struct dp_contender contenders[DP_MAX_CONTENDERS];
	unsigned int baseline;		/* index into contenders[] */
	unsigned int compare_lcore;
	uint32_t rounds;
	uint32_t round_ms;

	/* Extras shared by both modes. */
	uint32_t lat_sample;		/* sample latency every Nth op */
};

struct dp_config {
	char path[DP_ARGS_LEN];
	unsigned int nb_cases;
	struct dp_case cases[DP_MAX_CASES];
};

/* Result of one timed run of one worker or contender. */
struct dp_run {
	uint64_t ops;			/* completions inside the window */
	uint64_t win_cycles;		/* window length, TSC cycles */
	uint64_t app_cycles;		/* worker cycles in the copy path */
	bool ok;			/* run finished and data verified */
};

/* Aggregated figures of one line of output. */
struct dp_stats {
	char name[DP_NAME_LEN];		/* dmadev name or "cpu" */
	bool is_cpu;
	bool ok;
	unsigned int lcore;
	uint32_t buf_size;
	uint32_t ring_size;
	uint32_t kick_batch;
	uint32_t nr_buf;		/* buffers of this worker */
	double memory_mb;		/* footprint of this worker */
	uint32_t rounds;
	double gbps, gbps_min, gbps_max; /* median, min, max over rounds */
	double mops;			/* median */
	double ratio;			/* vs baseline; 0 if not applicable */
	double app_cyc_per_op;		/* median */
	double avg_cycles;		/* median window cycles per op */
	double lat_p50_ns, lat_p99_ns;
	uint64_t lat_samples;
};

/* config.c */
int dp_config_load(const char *path, struct dp_config *cfg,
		char *err, size_t err_len);

/* bench.c: runs one case inside an initialised EAL; returns 0 if all
 * runs completed and verified.
 */
int dp_run_case(struct dp_case *c, bool skip_missing);

/* output.c */
int dp_output_open(const char *csv_path);
void dp_output_env(void);
void dp_output_header(unsigned int case_id, bool is_cpu);
void dp_output_row(unsigned int scenario, const struct dp_stats *s);
void dp_output_summary(unsigned int scenario, uint32_t nr_buf,
		double memory_mb, double avg_cycles, double gbps, double mops);
void dp_output_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dp_output_extra(const struct dp_case *c, unsigned int scenario,
		const char *baseline, const struct dp_stats *s);
void dp_output_plot_series(const char *title, const uint32_t *x,
		const double *y, unsigned int n);
void dp_output_table(const struct dp_case *c, const struct dp_stats *s,
		unsigned int n, const char *baseline);
void dp_output_close(void);
/* Parent side, without EAL. */
int dp_output_truncate(const char *csv_path);
int dp_output_plot(const char *csv_path);

#endif /* NETDMA_DMA_PERF_H */
