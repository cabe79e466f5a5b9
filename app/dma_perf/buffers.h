/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_BUFFERS_H
#define NETDMA_DMA_PERF_BUFFERS_H

/*
 * The memory of one scenario (buffers.c): a source and a destination
 * area of nr_buf buffers each, one every stride bytes, IOVA-contiguous
 * so that a buffer's IOVA is the area's IOVA plus its offset. Workers
 * get disjoint slices of it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_memzone.h>

#include "config.h"

struct dp_bufset {
	const struct rte_memzone *src_mz;
	const struct rte_memzone *dst_mz;
	uint32_t nr_buf;
	uint32_t stride;		/* buf_size rounded up to 64 bytes */
	uint32_t buf_size;
};

/*
 * nr_buf = mem_mb MiB / (2 * buf_size), as dpdk-test-dma-perf, rounded
 * down to a multiple of nb_slices.
 */
int dp_bufset_alloc(struct dp_bufset *b, const struct dp_case *c,
		const struct dp_scenario *sc, unsigned int nb_slices);
void dp_bufset_free(struct dp_bufset *b);

/* Before a run: a fresh random source and a guard-filled destination. */
void dp_bufset_prepare(struct dp_bufset *b, bool cache_flush);

/*
 * After a run: buffers [first, first + count) match their source and
 * nothing was written past them. A mismatch is reported on stderr,
 * naming who copied, the case, the scenario, the buffer and the byte.
 */
int dp_bufset_verify(const struct dp_bufset *b, uint32_t first,
		uint32_t count, const char *who, unsigned int case_id,
		unsigned int scenario);

#endif /* NETDMA_DMA_PERF_BUFFERS_H */
