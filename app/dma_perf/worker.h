/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_WORKER_H
#define NETDMA_DMA_PERF_WORKER_H

/*
 * One timed run on worker lcores (worker.c). A run has a 10 ms warm-up,
 * then the measured window, then a tail that lasts until every buffer
 * of the worker's slice has been copied at least once and everything is
 * drained, so that the whole slice can be verified.
 *
 * A DMA worker feeds one or more dmadevs, round-robin: a burst of up to
 * batch copies to one, its submit and one completion poll of it, then
 * the next. Copies take the slice's buffers in order, whichever device
 * gets them.
 *
 * Workers time themselves with the TSC instead of being stopped by the
 * main lcore: on a 2-core machine the main lcore shares its core with
 * the copy thread of software DMA devices, so it must sleep, not spin.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "buffers.h"

#define DP_LAT_CAP	16384	/* latency samples kept per run */

struct dp_pend_sample;

/* Figures of one run, measured inside the window. */
struct dp_run_result {
	uint64_t ops;			/* completions */
	uint64_t win_cycles;		/* window length, TSC cycles */
	uint64_t app_cycles;		/* worker cycles in the copy path */
	uint64_t dev_ops[DP_MAX_CHANNELS]; /* completions of each dmadev */
	bool ok;			/* run finished and drained */
};

/* Everything one worker lcore needs for one timed run. */
struct dp_worker {
	/* what to copy with: set by the caller before each run */
	bool is_cpu;
	unsigned int nb_devs;		/* dmadevs fed, if !is_cpu */
	int16_t dev_ids[DP_MAX_CHANNELS];
	/* where, when and how: dp_worker_set() */
	uint8_t *src;
	uint8_t *dst;
	rte_iova_t src_iova;
	rte_iova_t dst_iova;
	uint32_t nr_buf;
	uint32_t stride;
	uint32_t buf_size;
	/* scatter-gather: segments per copy (0: plain) and this slice's lists */
	uint16_t src_sge;
	uint16_t dst_sge;
	uint32_t nr_copy;		/* copies per pass over the slice */
	struct rte_dma_sge *src_list;	/* rte_dma_copy_sg takes them non-const */
	struct rte_dma_sge *dst_list;
	uint16_t batch;
	uint64_t t_start;
	uint64_t warm_cyc;
	uint64_t run_cyc;
	uint32_t lat_sample;
	uint64_t lat_mask;
	/* latency samples, in TSC cycles */
	uint32_t *lat;
	uint32_t lat_nb;
	struct dp_pend_sample *pend;	/* per fed dmadev */
	unsigned int pend_devs;		/* dmadevs pend has room for */
	/* outputs */
	struct dp_run_result res;
	char err[192];
};

/* Allocate the latency sample buffers; sample every lat_sample-th op. */
int dp_worker_init(struct dp_worker *w, uint32_t lat_sample);
void dp_worker_free(struct dp_worker *w);

/* Copy with the CPU. */
void dp_worker_use_cpu(struct dp_worker *w);
/* Feed the nb dmadevs of ids, round-robin. */
int dp_worker_use_devs(struct dp_worker *w, const int16_t *ids,
		unsigned int nb);

/*
 * Before each run: the slice [first, first + count) of b, the burst
 * size and the length of the measured window. Clears the outputs.
 */
void dp_worker_set(struct dp_worker *w, const struct dp_bufset *b,
		uint32_t first, uint32_t count, uint32_t batch, uint64_t run_ms);

/* Whether lcore can run a worker: enabled and not the main lcore. */
int dp_worker_check_lcore(unsigned int lcore);

/* The first CPU an lcore may run on (its only one, as EAL -l pins it). */
unsigned int dp_lcore_cpu(unsigned int lcore);

/*
 * Launch w[i] on lcores[i] with a common start time and wait, sleeping,
 * for all of them. Returns 0 if every worker finished its run.
 */
int dp_workers_run(struct dp_worker *w, const unsigned int *lcores,
		unsigned int n);

#endif /* NETDMA_DMA_PERF_WORKER_H */
