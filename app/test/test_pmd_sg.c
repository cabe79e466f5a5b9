/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * rte_dma_copy_sg() on dma_netdma: uneven segments up to max_sges on
 * either side, checked byte for byte with guard bytes around every
 * destination segment; segment counts the driver must refuse; and errors
 * inside one segment list that fail that op alone.
 */

#include <sys/mman.h>
#include <unistd.h>

#include <rte_random.h>

#include "test_common.h"

TEST_DEFINE_COUNTERS;

#define DEV0 "dma_netdma0"
#define GUARD 0xA5
#define LANES 8			/* ops per batch, each in its own lane */
#define LANE_SIZE (512u * 1024)
#define MAX_SGES 16		/* what the device must report */

static int16_t dev0 = -1;
static uint8_t *src_buf, *dst_buf;

/* One scatter-gather op: its lists and where they live. */
struct sg_op {
	struct rte_dma_sge src[MAX_SGES + 1];
	struct rte_dma_sge dst[MAX_SGES + 1];
	uint16_t nb_src, nb_dst;
	uint32_t total;
	unsigned int lane;
};

static uint8_t *
lane_src(unsigned int lane)
{
	return src_buf + (size_t)lane * LANE_SIZE;
}

static uint8_t *
lane_dst(unsigned int lane)
{
	return dst_buf + (size_t)lane * LANE_SIZE;
}

/* Cut total into n pieces of at least one byte, deliberately uneven:
 * a few pieces get most of the bytes. */
static void
cut_uneven(uint32_t total, uint16_t n, uint32_t *len)
{
	uint64_t w[MAX_SGES], sum = 0, left = total - n;
	uint16_t i;

	for (i = 0; i < n; i++) {
		w[i] = 1 + rte_rand() % 100;
		if (rte_rand() % 4 == 0)
			w[i] *= 40;
		sum += w[i];
	}
	for (i = 0; i < n; i++) {
		uint64_t extra = i + 1 == n ? left : left * w[i] / sum;

		if (extra > left)
			extra = left;
		len[i] = 1 + (uint32_t)extra;
		left -= extra;
	}
}

/*
 * Lay out an op of total bytes from nb_src to nb_dst segments in lane.
 * Source segments go up the lane with small gaps; destination segments go
 * down it (the list order is not the address order), each with at least
 * one guard byte on both sides.
 */
static void
sg_op_make(struct sg_op *op, unsigned int lane, uint16_t nb_src,
		uint16_t nb_dst, uint32_t total)
{
	uint32_t len[MAX_SGES];
	uint64_t off = 0;
	uint16_t i;

	op->nb_src = nb_src;
	op->nb_dst = nb_dst;
	op->total = total;
	op->lane = lane;
	cut_uneven(total, nb_src, len);
	for (i = 0; i < nb_src; i++) {
		off += rte_rand() % 64;
		op->src[i].addr = rte_mem_virt2iova(lane_src(lane) + off);
		op->src[i].length = len[i];
		off += len[i];
	}
	cut_uneven(total, nb_dst, len);
	off = 1 + rte_rand() % 64;
	for (i = nb_dst; i-- > 0;) {
		op->dst[i].addr = rte_mem_virt2iova(lane_dst(lane) + off);
		op->dst[i].length = len[i];
		off += len[i] + 1 + rte_rand() % 64;
	}
}

/* What the op's lane of dst_buf must hold after it succeeded (or, with
 * moved false, after it failed): guard bytes except inside its
 * destination segments, which hold the source stream in list order. */
static void
sg_op_expect(const struct sg_op *op, uint8_t *image, bool moved)
{
	uint8_t *stream = malloc(op->total);
	uint64_t pos = 0;
	uint16_t i;

	memset(image, GUARD, LANE_SIZE);
	if (!moved || stream == NULL) {
		free(stream);
		return;
	}
	for (i = 0; i < op->nb_src; i++) {
		memcpy(stream + pos, (void *)(uintptr_t)op->src[i].addr,
			op->src[i].length);
		pos += op->src[i].length;
	}
	pos = 0;
	for (i = 0; i < op->nb_dst; i++) {
		uint8_t *at = image + ((uint8_t *)(uintptr_t)op->dst[i].addr -
			lane_dst(op->lane));

		memcpy(at, stream + pos, op->dst[i].length);
		pos += op->dst[i].length;
	}
	free(stream);
}

/* Compare the op's lane with what it must hold; first difference. */
static int
sg_op_check(const struct sg_op *op, bool moved, const char *what)
{
	static uint8_t image[LANE_SIZE];
	const uint8_t *got = lane_dst(op->lane);
	size_t i;

	sg_op_expect(op, image, moved);
	if (memcmp(got, image, LANE_SIZE) == 0)
		return 0;
	for (i = 0; i < LANE_SIZE && got[i] == image[i]; i++)
		;
	CHECK(false, "%s: %u->%u segments, %u bytes: lane byte %zu is 0x%02x, expected 0x%02x",
		what, op->nb_src, op->nb_dst, op->total, i, got[i], image[i]);
	return CHECK_FAILED;
}

static int
sg_enqueue(const struct sg_op *op, uint64_t flags)
{
	return rte_dma_copy_sg(dev0, 0,
		(struct rte_dma_sge *)(uintptr_t)op->src,
		(struct rte_dma_sge *)(uintptr_t)op->dst,
		op->nb_src, op->nb_dst, flags);
}

static void
lanes_reset(void)
{
	uint64_t *words = (uint64_t *)src_buf;
	size_t i;

	for (i = 0; i < (size_t)LANES * LANE_SIZE / 8; i++)
		words[i] = rte_rand();
	memset(dst_buf, GUARD, (size_t)LANES * LANE_SIZE);
}

/* COPY_SG is advertised with the engine's 16 entries per list, which the
 * tests below rely on: guards a driver that hides the op or its limit. */
static int
test_sg_capability(void)
{
	struct rte_dma_info info;

	CHECK(rte_dma_info_get(dev0, &info) == 0, "info");
	CHECK(info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG, "no OPS_COPY_SG");
	CHECK_EQ(info.max_sges, MAX_SGES);
	return 0;
}

/*
 * Every pairing of list lengths from 1 to max_sges (a selection of them,
 * and both extremes), small totals and totals that span several of the
 * engine's 64 KiB slices, eight ops to a batch so that the ring wraps and
 * every slot's segment tables are reused. Guards: a wrong segment order,
 * a list entry dropped or repeated, a segment written past its end, the
 * last entry of a full list ignored, an op's tables clobbered by the next.
 */
static int
test_sg_uneven_segments(void)
{
	static const uint16_t counts[] = { 1, 2, 3, 5, 8, 15, 16 };
	struct sg_op ops[LANES];
	unsigned int round, i, cases = 0;
	uint16_t last;

	for (round = 0; round < 40; round++) {
		enum rte_dma_status_code st[LANES];
		int first = -1;

		lanes_reset();
		for (i = 0; i < LANES; i++) {
			unsigned int k = round * LANES + i;
			uint16_t ns = counts[k % RTE_DIM(counts)];
			uint16_t nd = counts[(k / RTE_DIM(counts) + k) %
				RTE_DIM(counts)];
			uint32_t total = RTE_MAX(ns, nd) + rte_rand() % 4096;
			int id;

			if (round % 8 == 7)	/* several slices per op */
				total = 64 * 1024 * (1 + i % 4) + rte_rand() % 9999;
			if (round == 0 && i < 4) {	/* the extremes */
				ns = i & 1 ? MAX_SGES : 1;
				nd = i & 2 ? MAX_SGES : 1;
				total = MAX_SGES + rte_rand() % 300000;
			}
			sg_op_make(&ops[i], i, ns, nd, total);
			id = sg_enqueue(&ops[i], i + 1 == LANES ?
				RTE_DMA_OP_FLAG_SUBMIT : 0);
			CHECK(id >= 0, "round %u op %u: copy_sg %d", round, i, id);
			if (first < 0)
				first = id;
			CHECK_EQ((uint16_t)id, (uint16_t)(first + i));
		}
		CHECK_EQ(test_collect_status(dev0, LANES, &last, st), LANES);
		CHECK_EQ(last, (uint16_t)(first + LANES - 1));
		for (i = 0; i < LANES; i++) {
			CHECK(st[i] == RTE_DMA_STATUS_SUCCESSFUL,
				"round %u op %u (%u->%u, %u bytes): status %d",
				round, i, ops[i].nb_src, ops[i].nb_dst,
				ops[i].total, st[i]);
			CHECK(sg_op_check(&ops[i], true, "copy") == 0);
			cases++;
		}
	}
	CHECK(cases == 40 * LANES, "%u cases", cases);
	return 0;
}

/*
 * nb_src or nb_dst of 0 or above max_sges is refused at enqueue with
 * -EINVAL and uses no ring slot: the next valid op gets the next id and
 * capacity is unchanged. Guards: an empty list handed to the engine, or
 * 17 entries written into a 16-entry table (the next slot's tables).
 */
static int
test_sg_bad_counts(void)
{
	static const uint16_t bad[][2] = {
		{ 0, 1 }, { 1, 0 }, { 0, 0 },
		{ MAX_SGES + 1, 1 }, { 1, MAX_SGES + 1 },
		{ MAX_SGES + 1, MAX_SGES + 1 }, { 0, MAX_SGES + 1 },
	};
	struct sg_op op;
	enum rte_dma_status_code st;
	uint16_t cap, last;
	unsigned int i;
	int id, ret;

	lanes_reset();
	sg_op_make(&op, 0, MAX_SGES, MAX_SGES, 4096);
	/* a 17th entry in each list, so a driver that takes it has one */
	op.src[MAX_SGES] = op.src[0];
	op.dst[MAX_SGES] = op.dst[0];
	id = sg_enqueue(&op, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(id >= 0, "valid op: %d", id);
	CHECK_EQ(test_collect_status(dev0, 1, &last, &st), 1);

	cap = rte_dma_burst_capacity(dev0, 0);
	for (i = 0; i < RTE_DIM(bad); i++) {
		ret = rte_dma_copy_sg(dev0, 0, op.src, op.dst, bad[i][0],
			bad[i][1], RTE_DMA_OP_FLAG_SUBMIT);
		CHECK(ret == -EINVAL, "nb_src %u nb_dst %u: %d, expected -EINVAL",
			bad[i][0], bad[i][1], ret);
		CHECK_EQ(rte_dma_burst_capacity(dev0, 0), cap);
	}
	lanes_reset();
	ret = sg_enqueue(&op, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(ret == (uint16_t)(id + 1), "next valid op got id %d, expected %u",
		ret, (uint16_t)(id + 1));
	CHECK_EQ(test_collect_status(dev0, 1, &last, &st), 1);
	CHECK(st == RTE_DMA_STATUS_SUCCESSFUL, "status %d", st);
	CHECK(sg_op_check(&op, true, "after refused counts") == 0);
	CHECK(rte_dma_completed(dev0, 0, 4, &last, NULL) == 0,
		"a refused op completed");
	return 0;
}

/*
 * One batch where some ops carry a bad segment in the middle of a list:
 * each fails with its own status, moves nothing (the IOMMU checks every
 * segment before a byte moves), and every other op, later ones included,
 * succeeds byte for byte. Guards: an error in segment 2 reported for the
 * whole batch, or not at all; a halted channel that stays halted; a
 * failed op that half-copied.
 */
static int
test_sg_error_in_middle_segment(void)
{
	const size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *outside = mmap(NULL, pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	enum {
		GOOD, BAD_SRC, BAD_DST, BAD_TOTAL, BAD_OVERLAP, BAD_ZERO_LEN,
	};
	static const struct {
		int kind;
		enum rte_dma_status_code status;
	} plan[LANES] = {
		{ GOOD, RTE_DMA_STATUS_SUCCESSFUL },
		{ BAD_SRC, RTE_DMA_STATUS_INVALID_SRC_ADDR },
		{ GOOD, RTE_DMA_STATUS_SUCCESSFUL },
		{ BAD_DST, RTE_DMA_STATUS_INVALID_DST_ADDR },
		{ BAD_TOTAL, RTE_DMA_STATUS_INVALID_LENGTH },
		{ BAD_OVERLAP, RTE_DMA_STATUS_INVALID_ADDR },
		{ BAD_ZERO_LEN, RTE_DMA_STATUS_INVALID_LENGTH },
		{ GOOD, RTE_DMA_STATUS_SUCCESSFUL },
	};
	enum rte_dma_status_code st[LANES];
	struct rte_dma_stats before, after;
	struct sg_op ops[LANES];
	uint16_t last;
	unsigned int i;

	CHECK(outside != MAP_FAILED, "mmap");
	lanes_reset();
	rte_dma_stats_get(dev0, 0, &before);
	for (i = 0; i < LANES; i++) {
		struct sg_op *op = &ops[i];

		sg_op_make(op, i, 5, 4, 3000 + (uint32_t)rte_rand() % 3000);
		switch (plan[i].kind) {
		case BAD_SRC:	/* not DPDK memory, never mapped */
			op->src[2].addr = (uintptr_t)outside;
			break;
		case BAD_DST:
			op->dst[2].addr = (uintptr_t)outside;
			break;
		case BAD_TOTAL:
			op->dst[2].length += 1;
			break;
		case BAD_OVERLAP:	/* dst segment 1 inside src segment 3 */
			op->dst[1].addr = op->src[3].addr;
			op->dst[1].length = RTE_MIN(op->dst[1].length,
				op->src[3].length);
			op->dst[0].length = op->total - op->dst[1].length -
				op->dst[2].length - op->dst[3].length;
			break;
		case BAD_ZERO_LEN:
			op->src[3].length = 0;
			break;
		}
		CHECK(sg_enqueue(op, 0) >= 0, "enqueue op %u", i);
	}
	CHECK(rte_dma_submit(dev0, 0) == 0, "submit");
	CHECK_EQ(test_collect_status(dev0, LANES, &last, st), LANES);
	for (i = 0; i < LANES; i++) {
		CHECK(st[i] == plan[i].status, "op %u: status %d, expected %d",
			i, st[i], plan[i].status);
		if (plan[i].kind != BAD_OVERLAP)
			CHECK(sg_op_check(&ops[i], plan[i].kind == GOOD,
				plan[i].kind == GOOD ? "good op" :
				"failed op") == 0);
	}
	CHECK(outside[0] == 0, "the engine wrote unmapped memory");
	rte_dma_stats_get(dev0, 0, &after);
	CHECK_EQ(after.errors - before.errors, 5);

	/* and the channel goes on */
	lanes_reset();
	for (i = 0; i < LANES; i++) {
		sg_op_make(&ops[i], i, 1 + i, MAX_SGES - i, 9000);
		CHECK(sg_enqueue(&ops[i], RTE_DMA_OP_FLAG_SUBMIT) >= 0,
			"enqueue after errors");
	}
	CHECK_EQ(test_collect_status(dev0, LANES, &last, st), LANES);
	for (i = 0; i < LANES; i++) {
		CHECK(st[i] == RTE_DMA_STATUS_SUCCESSFUL, "op %u after errors: %d",
			i, st[i]);
		CHECK(sg_op_check(&ops[i], true, "after errors") == 0);
	}
	munmap(outside, pg);
	return 0;
}

int
main(int argc, char **argv)
{
	int ret;

	ret = test_start(argc, argv, "[devargs for " DEV0 "]");
	if (ret != 0)
		return ret;
	src_buf = rte_malloc(NULL, (size_t)LANES * LANE_SIZE, 64);
	dst_buf = rte_malloc(NULL, (size_t)LANES * LANE_SIZE, 64);
	dev0 = test_dev_create(DEV0, argc > 2 ? argv[2] : NULL, 256);
	if (src_buf == NULL || dst_buf == NULL || dev0 < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	RUN(test_sg_capability);
	RUN(test_sg_uneven_segments);
	RUN(test_sg_bad_counts);
	RUN(test_sg_error_in_middle_segment);
	test_dev_destroy(DEV0);
	rte_free(src_buf);
	rte_free(dst_buf);
	rte_eal_cleanup();
	TEST_SUMMARY();
	return test_failed == 0 ? 0 : 1;
}
