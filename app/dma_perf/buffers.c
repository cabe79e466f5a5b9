/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Source and destination memory of a scenario: allocation, the fill
 * before every run and the verification after it. The destination ends
 * with a guard and every buffer's padding up to the stride is guarded
 * too, so an overrun is caught as well as a wrong or missing copy.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_atomic.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_memzone.h>
#include <rte_random.h>

#include "buffers.h"
#include "dma_perf.h"

#define BUF_ALIGN	64
#define GUARD_BYTE	0x5a
#define GUARD_LEN	64

void
dp_bufset_free(struct dp_bufset *b)
{
	rte_memzone_free(b->src_mz);
	rte_memzone_free(b->dst_mz);
	memset(b, 0, sizeof(*b));
}

int
dp_bufset_alloc(struct dp_bufset *b, const struct dp_case *c,
	const struct dp_scenario *sc, unsigned int nb_slices)
{
	uint64_t nr = ((uint64_t)sc->mem_mb << 20) / ((uint64_t)sc->buf_size * 2);
	uint64_t size;

	memset(b, 0, sizeof(*b));
	nr -= nr % nb_slices;
	b->nr_buf = (uint32_t)nr;
	b->buf_size = sc->buf_size;
	b->stride = RTE_ALIGN_CEIL(sc->buf_size, BUF_ALIGN);
	size = (uint64_t)b->nr_buf * b->stride + GUARD_LEN;

	if ((unsigned int)c->src_numa >= rte_socket_count() ||
			(unsigned int)c->dst_numa >= rte_socket_count()) {
		printf("Error: src_numa_node/dst_numa_node %d/%d but only %u NUMA node(s)\n",
			c->src_numa, c->dst_numa, rte_socket_count());
		return -1;
	}
	b->src_mz = rte_memzone_reserve_aligned("dma_perf_src", size,
		rte_socket_id_by_idx(c->src_numa), RTE_MEMZONE_IOVA_CONTIG,
		RTE_CACHE_LINE_SIZE);
	b->dst_mz = rte_memzone_reserve_aligned("dma_perf_dst", size,
		rte_socket_id_by_idx(c->dst_numa), RTE_MEMZONE_IOVA_CONTIG,
		RTE_CACHE_LINE_SIZE);
	if (b->src_mz == NULL || b->dst_mz == NULL) {
		printf("Error: cannot reserve 2 x %" PRIu64
			" bytes of IOVA-contiguous memory (raise -m?)\n", size);
		dp_bufset_free(b);
		return -1;
	}
	return 0;
}

static void
flush_area(const uint8_t *p, uint64_t len)
{
#ifdef RTE_ARCH_X86
	uint64_t off;

	for (off = 0; off < len; off += RTE_CACHE_LINE_SIZE)
		__builtin_ia32_clflush(p + off);
#else
	RTE_SET_USED(p);
	RTE_SET_USED(len);
#endif
}

/*
 * A fresh random source before every run: a contender that copies
 * nothing (or copies stale data) cannot pass verification on the bytes
 * the previous contender left behind.
 */
void
dp_bufset_prepare(struct dp_bufset *b, bool cache_flush)
{
	uint64_t len = (uint64_t)b->nr_buf * b->stride;
	uint64_t *s = b->src_mz->addr;
	uint64_t x = rte_rand() | 1;
	uint64_t i;

	for (i = 0; i < len / 8; i++) {
		/* xorshift64: cheap and never repeats within the area */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s[i] = x;
	}
	memset(b->dst_mz->addr, GUARD_BYTE, len + GUARD_LEN);
	if (cache_flush) {
		flush_area(b->src_mz->addr, len);
		flush_area(b->dst_mz->addr, len + GUARD_LEN);
	}
	rte_mb();
}

static int
first_diff(const uint8_t *a, const uint8_t *b, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return (int)i;
	return -1;
}

/* Padding up to the stride and, for the last buffer, the tail guard. */
static int
first_overrun(const struct dp_bufset *b, uint32_t i)
{
	const uint8_t *dst = (const uint8_t *)b->dst_mz->addr +
		(uint64_t)i * b->stride;
	uint32_t end = (i == b->nr_buf - 1) ? b->stride + GUARD_LEN : b->stride;
	uint32_t k;

	for (k = b->buf_size; k < end; k++)
		if (dst[k] != GUARD_BYTE)
			return (int)(k - b->buf_size);
	return -1;
}

int
dp_bufset_verify(const struct dp_bufset *b, uint32_t first, uint32_t count,
	const char *who, unsigned int case_id, unsigned int scenario)
{
	const uint8_t *src = b->src_mz->addr;
	const uint8_t *dst = b->dst_mz->addr;
	uint32_t i;
	int d;

	for (i = first; i < first + count; i++) {
		uint64_t off = (uint64_t)i * b->stride;

		d = first_diff(src + off, dst + off, b->buf_size);
		if (d >= 0) {
			fprintf(stderr, "\n*** %s: DATA VERIFICATION FAILED: case %u scenario %u %s: buffer %u/%u (%u B) byte %d: expected 0x%02x, got 0x%02x ***\n\n",
				DP_PROG_NAME, case_id, scenario, who, i,
				b->nr_buf, b->buf_size, d, src[off + d],
				dst[off + d]);
			return -1;
		}
		d = first_overrun(b, i);
		if (d >= 0) {
			fprintf(stderr, "\n*** %s: DATA VERIFICATION FAILED: case %u scenario %u %s: buffer %u/%u (%u B) overrun: byte %d past the end was written ***\n\n",
				DP_PROG_NAME, case_id, scenario, who,
				i, b->nr_buf, b->buf_size, d);
			return -1;
		}
	}
	return 0;
}
