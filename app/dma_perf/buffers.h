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
 *
 * Scatter-gather, as dpdk-test-dma-perf lays it out: copy k of a slice
 * gathers buf_size bytes from src_sge consecutive source buffers
 * (k * src_sge + j, j = 0 .. src_sge-1), buf_size / src_sge bytes from
 * the start of each and the remainder from the last, and scatters them
 * the same way over dst_sge consecutive destination buffers. A slice of
 * n buffers holds n / max(src_sge, dst_sge) copies.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_dmadev.h>
#include <rte_memzone.h>

#include "config.h"

struct dp_bufset {
	const struct rte_memzone *src_mz;
	const struct rte_memzone *dst_mz;
	uint32_t nr_buf;
	uint32_t stride;		/* buf_size rounded up to 64 bytes */
	uint32_t buf_size;
	/* scatter-gather: segments per copy, 0 for plain copies */
	uint32_t src_sge;
	uint32_t dst_sge;
	/* the segment lists of every copy, slice after slice */
	struct rte_dma_sge *src_list;
	struct rte_dma_sge *dst_list;
};

/*
 * nr_buf = mem_mb MiB / (2 * buf_size), as dpdk-test-dma-perf, rounded
 * down so that each of the nb_slices slices has the same number of
 * buffers, for scatter-gather a multiple of src_sge x dst_sge.
 */
int dp_bufset_alloc(struct dp_bufset *b, const struct dp_case *c,
		const struct dp_scenario *sc, unsigned int nb_slices);
void dp_bufset_free(struct dp_bufset *b);

/* Buffers per copy: the source or destination buffers it spans, at most. */
static inline uint32_t
dp_bufset_span(const struct dp_bufset *b)
{
	return b->src_sge == 0 ? 1 : RTE_MAX(b->src_sge, b->dst_sge);
}

/* Copies in one pass over a slice of count buffers. */
static inline uint32_t
dp_bufset_copies(const struct dp_bufset *b, uint32_t count)
{
	return count / dp_bufset_span(b);
}

/* Segment j of the nb segments a copy splits buf_size bytes into. */
static inline uint32_t
dp_sge_len(uint32_t buf_size, uint32_t nb, uint32_t j)
{
	return buf_size / nb + (j == nb - 1 ? buf_size % nb : 0);
}

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
