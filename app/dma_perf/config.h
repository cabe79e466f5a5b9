/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_CONFIG_H
#define NETDMA_DMA_PERF_CONFIG_H

/*
 * The parsed configuration of netdma-dma-perf (config.c): cases, their
 * workers or contenders, and the parameters that make up each scenario.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DP_MAX_CASES		64
#define DP_MAX_WORKERS		16
#define DP_MAX_CONTENDERS	8
#define DP_MAX_CHANNELS		32	/* dmadevs one lcore feeds */
#define DP_MAX_SGES		255	/* per list, as dpdk-test-dma-perf's uint8_t */
#define DP_MAX_VALUES		64	/* values of one variable parameter */
#define DP_NAME_LEN		64	/* same as RTE_DEV_NAME_MAX_LEN */
#define DP_ARGS_LEN		1024
#define DP_CPU_NAME		"cpu"
#define DP_NONE_NAME		"none"	/* a victim case's floor: no copies */
#define DP_LCORE_AUTO		UINT32_MAX /* victim lcore: the first worker */

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

/*
 * One contender of a compare case: a dmadev name, the CPU, or a set of
 * dmadevs made from a vdev template ("<name>.vdev=" in the config), which
 * the lcore feeds round-robin. The template is created anew for every
 * scenario: "{n}" in it is the scenario's channel count, and a template
 * with "{i}" stands for n vdevs, i = 0 .. n-1.
 */
struct dp_contender {
	char name[DP_NAME_LEN];		/* dmadev name, "cpu", "none" or a label */
	bool is_cpu;
	bool is_none;			/* victim case: the feeder only sleeps */
	bool skipped;			/* device missing and --skip-missing */
	int16_t dev_id;			/* a dmadev name's device */
	char vdev[DP_ARGS_LEN];		/* template; empty: name is a dmadev */
	uint32_t busy;			/* dmadevs fed; 0: all. The rest idle */
};

struct dp_case {
	unsigned int id;		/* N of the [caseN] section */
	bool skip;
	enum dp_case_type type;

	/* The scenario parameters: see struct dp_scenario. */
	struct dp_param mem_size;	/* MiB, src + dst together */
	struct dp_param buf_size;	/* bytes per copy */
	struct dp_param ring_size;
	struct dp_param kick_batch;
	struct dp_param channels;	/* n of the vdev templates */
	struct dp_param src_sge;	/* segments per copy; 0: plain copies */
	struct dp_param dst_sge;
	/* Which of the scenario parameters varies (NULL: none). */
	const char *var_name;

	int src_numa;
	int dst_numa;
	bool cache_flush;
	uint32_t test_secs;
	char eal_args[DP_ARGS_LEN];
	char vdevs[DP_ARGS_LEN];	/* "name[,devargs] name..." */

	/* Classic mode. */
	unsigned int nb_workers;
	struct dp_worker_map workers[DP_MAX_WORKERS];

	/* Compare mode (extension): several contenders on one lcore. */
	bool compare;
	unsigned int nb_contenders;
	struct dp_contender contenders[DP_MAX_CONTENDERS];
	unsigned int baseline;		/* index into contenders[] */
	unsigned int compare_lcore;	/* victim: DP_LCORE_AUTO if not given */
	uint32_t rounds;
	uint32_t round_ms;

	/*
	 * Victim mode (extension, on top of compare): the lcore polls the
	 * TSC and never touches a device; the main lcore feeds the
	 * contender single copies, victim_gap_us apart.
	 */
	bool victim;
	uint32_t victim_gap_us;
	uint32_t victim_stall_us;	/* a TSC gap longer than this stalls */

	/* Extras shared by both modes. */
	uint32_t lat_sample;		/* sample latency every Nth op */
};

struct dp_config {
	char path[DP_ARGS_LEN];
	unsigned int nb_cases;
	struct dp_case cases[DP_MAX_CASES];
};

/*
 * One scenario of a case: one value of each scenario parameter. A
 * parameter with fewer values than the case has scenarios keeps its last
 * value.
 */
struct dp_scenario {
	unsigned int num;		/* 1-based, as printed and in the CSV */
	uint32_t mem_mb;
	uint32_t buf_size;
	uint32_t ring_size;
	uint32_t kick_batch;
	uint32_t channels;
	uint32_t src_sge;		/* 0: rte_dma_copy, else rte_dma_copy_sg */
	uint32_t dst_sge;
};

int dp_config_load(const char *path, struct dp_config *cfg,
		char *err, size_t err_len);

unsigned int dp_case_nb_scenarios(const struct dp_case *c);
/* Scenario number num (1 .. dp_case_nb_scenarios()) of a case. */
void dp_case_scenario(const struct dp_case *c, unsigned int num,
		struct dp_scenario *sc);
/* Whether a case copies through a dmadev (not only with the CPU). */
bool dp_case_uses_dmadev(const struct dp_case *c);
/*
 * The x axis of a case's plot: the key of its varying scenario parameter,
 * or buf_size when none varies; and the value of that key in sc.
 */
const char *dp_case_plot_key(const struct dp_case *c);
uint32_t dp_case_plot_x(const struct dp_case *c, const struct dp_scenario *sc);

/* Whether a contender copies through dmadevs (not the CPU, not none). */
static inline bool
dp_contender_has_dev(const struct dp_contender *ct)
{
	return !ct->is_cpu && !ct->is_none;
}

/* Whether the vdev template of a contender stands for one vdev per i. */
bool dp_contender_repeats(const struct dp_contender *ct);

/*
 * The values of a template's placeholders: {n}, the scenario's channel
 * count; {main_lcore} and {main_cpu}, the EAL main lcore and its CPU,
 * where a config keeps the engine threads (and a victim case its
 * feeder). {i} is the index of a repeated template.
 */
struct dp_template_vars {
	uint32_t n;
	unsigned int main_lcore;
	unsigned int main_cpu;
};

/*
 * The vdevs of a contender's template, blank-separated as in vdevs=.
 * Returns -1 if they do not fit in len.
 */
int dp_contender_vdevs(const struct dp_contender *ct,
		const struct dp_template_vars *v, char *out, size_t len);

#endif /* NETDMA_DMA_PERF_CONFIG_H */
