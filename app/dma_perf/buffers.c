/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Source and destination memory of a scenario: allocation, the
 * scatter-gather lists, the fill before every run and the verification
 * after it. The destination ends with a guard and every buffer's bytes
 * past what copies write into it, up to the stride, are guarded too, so
 * an overrun is caught as well as a wrong or missing copy.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_atomic.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
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
	rte_free(b->src_list);
	rte_free(b->dst_list);
	memset(b, 0, sizeof(*b));
}

/*
 * The segments of the nb buffers from buffer first on, nb_sge per copy,
 * laid out as buffers.h says.
 */
static void
fill_list(struct rte_dma_sge *list, rte_iova_t base, uint32_t stride,
	uint32_t buf_size, uint32_t first, uint32_t nb, uint32_t nb_sge)
{
	uint32_t i;

	for (i = 0; i < nb; i++) {
		list[i].addr = base + (uint64_t)(first + i) * stride;
		list[i].length = dp_sge_len(buf_size, nb_sge, i % nb_sge);
	}
}

/*
 * The segment lists, slice by slice: copy k of the slice that starts at
 * buffer first is copy first / span + k of the lists.
 */
static int
build_lists(struct dp_bufset *b, unsigned int nb_slices)
{
	const uint32_t per = b->nr_buf / nb_slices;
	const uint32_t copies = dp_bufset_copies(b, per);
	unsigned int s;

	b->src_list = rte_malloc(NULL, (size_t)copies * nb_slices *
		b->src_sge * sizeof(*b->src_list), 0);
	b->dst_list = rte_malloc(NULL, (size_t)copies * nb_slices *
		b->dst_sge * sizeof(*b->dst_list), 0);
	if (b->src_list == NULL || b->dst_list == NULL) {
		printf("Error: out of memory for the scatter-gather lists\n");
		return -1;
	}
	for (s = 0; s < nb_slices; s++) {
		fill_list(b->src_list + (size_t)s * copies * b->src_sge,
			b->src_mz->iova, b->stride, b->buf_size, s * per,
			copies * b->src_sge, b->src_sge);
		fill_list(b->dst_list + (size_t)s * copies * b->dst_sge,
			b->dst_mz->iova, b->stride, b->buf_size, s * per,
			copies * b->dst_sge, b->dst_sge);
	}
	return 0;
}

int
dp_bufset_alloc(struct dp_bufset *b, const struct dp_case *c,
	const struct dp_scenario *sc, unsigned int nb_slices)
{
	uint64_t nr = ((uint64_t)sc->mem_mb << 20) / ((uint64_t)sc->buf_size * 2);
	uint64_t per, size;

	memset(b, 0, sizeof(*b));
	b->src_sge = sc->src_sge;
	b->dst_sge = sc->dst_sge;
	per = nr / nb_slices;
	/* as dpdk-test-dma-perf: whole copies in every slice */
	if (b->src_sge > 0)
		per -= per % ((uint64_t)b->src_sge * b->dst_sge);
	b->nr_buf = (uint32_t)(per * nb_slices);
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
	if (b->src_sge > 0 && build_lists(b, nb_slices) < 0) {
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

/*
 * Destination buffer i's bytes from written (what copies write into it)
 * up to the stride and, for the last buffer, the tail guard: the offset
 * past written of the first that is not the guard, or -1.
 */
static int
first_overrun(const struct dp_bufset *b, uint32_t i, uint32_t written)
{
	const uint8_t *dst = (const uint8_t *)b->dst_mz->addr +
		(uint64_t)i * b->stride;
	uint32_t end = (i == b->nr_buf - 1) ? b->stride + GUARD_LEN : b->stride;
	uint32_t k;

	for (k = written; k < end; k++)
		if (dst[k] != GUARD_BYTE)
			return (int)(k - written);
	return -1;
}

/* Where verification of one run reports to. */
struct verify_ctx {
	const char *who;
	unsigned int case_id;
	unsigned int scenario;
};

static int
report_overrun(const struct verify_ctx *v, const struct dp_bufset *b,
	uint32_t i, int d)
{
	fprintf(stderr, "\n*** %s: DATA VERIFICATION FAILED: case %u scenario %u %s: buffer %u/%u (%u B) overrun: byte %d past the end was written ***\n\n",
		DP_PROG_NAME, v->case_id, v->scenario, v->who, i, b->nr_buf,
		b->buf_size, d);
	return -1;
}

static int
verify_plain(const struct dp_bufset *b, uint32_t first, uint32_t count,
	const struct verify_ctx *v)
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
				DP_PROG_NAME, v->case_id, v->scenario, v->who,
				i, b->nr_buf, b->buf_size, d, src[off + d],
				dst[off + d]);
			return -1;
		}
		d = first_overrun(b, i, b->buf_size);
		if (d >= 0)
			return report_overrun(v, b, i, d);
	}
	return 0;
}

/* A position in the segments of one copy: segment j, offset off in it. */
struct seg_pos {
	uint32_t j;
	uint32_t off;
};

/*
 * Copy k of the slice at first: the buf_size bytes gathered from its
 * source segments must be the bytes scattered over its destination
 * segments, compared run by run where both segments go on.
 */
static int
verify_copy(const struct dp_bufset *b, uint32_t first, uint32_t k,
	const struct verify_ctx *v)
{
	const uint8_t *src = b->src_mz->addr;
	const uint8_t *dst = b->dst_mz->addr;
	struct seg_pos s = { 0, 0 }, t = { 0, 0 };
	uint32_t pos = 0;

	while (pos < b->buf_size) {
		uint32_t sbuf = first + k * b->src_sge + s.j;
		uint32_t dbuf = first + k * b->dst_sge + t.j;
		uint32_t slen = dp_sge_len(b->buf_size, b->src_sge, s.j) - s.off;
		uint32_t dlen = dp_sge_len(b->buf_size, b->dst_sge, t.j) - t.off;
		uint32_t n = RTE_MIN(slen, dlen);
		const uint8_t *sp = src + (uint64_t)sbuf * b->stride + s.off;
		const uint8_t *dp = dst + (uint64_t)dbuf * b->stride + t.off;
		int d = first_diff(sp, dp, n);

		if (d >= 0) {
			fprintf(stderr, "\n*** %s: DATA VERIFICATION FAILED: case %u scenario %u %s: scatter-gather copy %u (%u B, %u+%u segments) byte %u: expected 0x%02x (source buffer %u byte %u), got 0x%02x (destination buffer %u byte %u) ***\n\n",
				DP_PROG_NAME, v->case_id, v->scenario, v->who,
				first / dp_bufset_span(b) + k, b->buf_size,
				b->src_sge, b->dst_sge, pos + d, sp[d], sbuf,
				s.off + d, dp[d], dbuf, t.off + d);
			return -1;
		}
		pos += n;
		s.off += n;
		t.off += n;
		if (n == slen) {
			s.j++;
			s.off = 0;
		}
		if (n == dlen) {
			t.j++;
			t.off = 0;
		}
	}
	return 0;
}

static int
verify_sg(const struct dp_bufset *b, uint32_t first, uint32_t count,
	const struct verify_ctx *v)
{
	const uint32_t copies = dp_bufset_copies(b, count);
	uint32_t k, i, written;
	int d;

	for (k = 0; k < copies; k++)
		if (verify_copy(b, first, k, v) < 0)
			return -1;
	/* Buffers past the last copy's segments are written by none. */
	for (i = 0; i < count; i++) {
		written = i < copies * b->dst_sge ?
			dp_sge_len(b->buf_size, b->dst_sge, i % b->dst_sge) : 0;
		d = first_overrun(b, first + i, written);
		if (d >= 0)
			return report_overrun(v, b, first + i, d);
	}
	return 0;
}

int
dp_bufset_verify(const struct dp_bufset *b, uint32_t first, uint32_t count,
	const char *who, unsigned int case_id, unsigned int scenario)
{
	const struct verify_ctx v = {
		.who = who, .case_id = case_id, .scenario = scenario,
	};

	if (b->src_sge > 0)
		return verify_sg(b, first, count, &v);
	return verify_plain(b, first, count, &v);
}
