/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The engine's IOMMU: the map/unmap API and its window table, and that
 * the channel translates exactly what is mapped, across window joins and
 * holes, after unmap and remap, and while another thread rewrites the
 * table.
 */

#include <errno.h>
#include <string.h>

#include "harness.h"

static int
test_iommu_api(void)
{
	struct netdma_engine *e = engine_new(1, "tmmu");
	uint8_t *buf = xalloc(16384);
	const uint64_t b = FAR_IOVA;

	CHECK(e != NULL);
	CHECK_EQ(iommu_map(e, b, buf, 8192), 0);
	CHECK_EQ(iommu_map(e, b, buf, 8192), (uint64_t)-EEXIST);
	CHECK_EQ(iommu_map(e, b + 4096, buf, 8192), (uint64_t)-EEXIST);
	CHECK_EQ(iommu_map(e, b - 4096, buf, 8192), (uint64_t)-EEXIST);
	CHECK_EQ(iommu_map(e, b - 4096, buf, 16384),
		(uint64_t)-EEXIST);
	CHECK_EQ(iommu_map(e, b + 100, buf, 1), (uint64_t)-EEXIST);
	CHECK_EQ(iommu_map(e, b + 8191, buf, 1), (uint64_t)-EEXIST);
	CHECK_EQ(iommu_map(e, b - 1, buf, 2), (uint64_t)-EEXIST);
	/* Touching but not overlapping, on either side (VA elsewhere, so
	 * these stay separate windows). */
	CHECK_EQ(iommu_map(e, b - 4096, buf + 8192, 4096), 0);
	CHECK_EQ(iommu_map(e, b + 8192, buf, 4096), 0);

	CHECK_EQ(iommu_map(e, 0, buf, 64), (uint64_t)-EINVAL);
	CHECK_EQ(iommu_map(e, b + 65536, buf, 0), (uint64_t)-EINVAL);
	CHECK_EQ(iommu_map(e, b + 65536, NULL, 64), (uint64_t)-EINVAL);
	CHECK_EQ(iommu_map(e, UINT64_MAX - 63, buf, 128),
		(uint64_t)-EINVAL);
	CHECK_EQ(iommu_map(e, UINT64_MAX - 64, buf, 64), 0);

	/* Unmap takes a range inside one window, nothing else. */
	CHECK_EQ(iommu_unmap(e, b, 0), (uint64_t)-EINVAL);
	CHECK_EQ(iommu_unmap(e, b + 4096, UINT64_MAX), (uint64_t)-EINVAL);
	CHECK_EQ(iommu_unmap(e, b + 1, 8192), (uint64_t)-ENOENT);
	CHECK_EQ(iommu_unmap(e, b, 8193), (uint64_t)-ENOENT);
	CHECK_EQ(iommu_unmap(e, b - 4096, 8192), (uint64_t)-ENOENT);
	CHECK_EQ(iommu_unmap(e, 0x1000, 4096), (uint64_t)-ENOENT);
	CHECK_EQ(iommu_unmap(e, b + 65536, 64), (uint64_t)-ENOENT);
	/* Head, tail and middle pieces split the window... */
	CHECK_EQ(iommu_unmap(e, b, 1024), 0);
	CHECK_EQ(iommu_unmap(e, b, 1024), (uint64_t)-ENOENT);
	CHECK_EQ(iommu_unmap(e, b + 8192 - 1024, 1024), 0);
	CHECK_EQ(iommu_unmap(e, b + 4096, 1024), 0);
	CHECK_EQ(iommu_unmap(e, b + 2048, 4096), (uint64_t)-ENOENT);
	/* ...and what is left is exactly two windows. */
	CHECK_EQ(iommu_unmap(e, b + 1024, 3072), 0);
	CHECK_EQ(iommu_unmap(e, b + 5120, 2048), 0);
	CHECK_EQ(iommu_map(e, b, buf, 8192), 0);

	/* Maps contiguous in IOVA and VA merge: one unmap takes both. */
	CHECK_EQ(iommu_unmap(e, b, 8192), 0);
	CHECK_EQ(iommu_map(e, b + 4096, buf + 4096, 4096), 0);
	CHECK_EQ(iommu_map(e, b, buf, 4096), 0);
	CHECK_EQ(iommu_unmap(e, b, 8192), 0);
	CHECK_EQ(iommu_unmap(e, b, 4096), (uint64_t)-ENOENT);
	/* Not merged across a VA discontinuity. */
	CHECK_EQ(iommu_map(e, b, buf + 4096, 4096), 0);
	CHECK_EQ(iommu_map(e, b + 4096, buf, 4096), 0);
	CHECK_EQ(iommu_unmap(e, b, 8192), (uint64_t)-ENOENT);
	CHECK_EQ(iommu_unmap(e, b, 4096), 0);
	CHECK_EQ(iommu_unmap(e, b + 4096, 4096), 0);

	CHECK_EQ(iommu_unmap(e, b - 4096, 4096), 0);
	CHECK_EQ(iommu_unmap(e, b + 8192, 4096), 0);
	CHECK_EQ(iommu_unmap(e, UINT64_MAX - 64, 64), 0);
	CHECK_EQ(iommu_unmap(e, b + 8192, 4096), (uint64_t)-ENOENT);
	engine_destroy(e);
	xfree(buf);
	return 0;
}

/* The window table is finite: it reports -ENOSPC and recovers. */
static int
test_iommu_full(void)
{
	struct netdma_engine *e = engine_new(1, "tmmu");
	uint8_t *buf = xalloc(64);
	unsigned int n = 0;
	int ret = 0;

	CHECK(e != NULL);
	/* Descending IOVAs: each insert goes to the front of the table. */
	while (n < 1000000 && (ret = iommu_map(e,
			FAR_IOVA - (uint64_t)n * 64, buf, 64)) == 0)
		n++;
	CHECK_EQ(ret, (uint64_t)-ENOSPC);
	CHECK(n >= 256);
	/* Punching a hole needs one more entry: refused, window intact. */
	CHECK_EQ(iommu_unmap(e, FAR_IOVA - 64ull * (n / 2) + 16, 16),
		(uint64_t)-ENOSPC);
	CHECK_EQ(iommu_unmap(e, FAR_IOVA - 64ull * (n / 2), 64), 0);
	CHECK_EQ(iommu_map(e, FAR_IOVA + 64, buf, 64), 0);
	engine_destroy(e);
	xfree(buf);
	return 0;
}

/* Run one copy of size bytes from src to dst IOVA; returns CHANERR
 * (0 on success), recovering the channel from a halt. */
static uint32_t
copy_iova(struct fx *f, uint64_t src, uint64_t dst, uint32_t size)
{
	unsigned int i = f->dmacount % f->nb_desc;
	uint64_t c = netdma_mmio_read(f->regs, completed);
	uint32_t err;

	f->ring[i].size = size;
	f->ring[i].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
	f->ring[i].src = src;
	f->ring[i].dst = dst;
	doorbell(f, 1);
	if (!WAIT_FOR(chan_state(f) == NETDMA_STS_HALTED ||
			(netdma_mmio_read(f->regs, completed) == c + 1 &&
			chan_state(f) == NETDMA_STS_IDLE)))
		return UINT32_MAX;
	err = netdma_mmio_read(f->regs, chanerr);
	if (chan_state(f) == NETDMA_STS_HALTED) {
		chanerr_clear(f);
		if (!chan_cmd(f, NETDMA_CMD_RESUME) ||
				!wait_completed(f, c + 1))
			return UINT32_MAX;
	}
	return err;
}

/* Windows contiguous in IOVA and VA join; contiguous in IOVA only don't. */
static int
test_iommu_window_span(void)
{
	uint8_t *buf = xalloc(3 * 4096), *other = xalloc(4096);
	const uint64_t b = FAR_IOVA;
	struct fx f;
	unsigned int i;

	CHECK(fx_open(&f, 32));
	for (i = 0; i < 3 * 4096; i++)
		buf[i] = (uint8_t)(i * 11 + 5);
	memset(other, 0x5A, 4096);
	CHECK_EQ(iommu_map(f.e, b, buf, 4096), 0);
	CHECK_EQ(iommu_map(f.e, b + 4096, buf + 4096, 4096), 0);
	CHECK_EQ(iommu_map(f.e, b + 8192, other, 4096), 0);

	/* Read across the VA-contiguous boundary. */
	CHECK_EQ(copy_iova(&f, b + 4096 - 100, iova_of(dst_slot(&f, 0)), 200),
		0);
	CHECK(memcmp(dst_slot(&f, 0), buf + 4096 - 100, 200) == 0);
	/* Write across it. */
	CHECK_EQ(copy_iova(&f, iova_of(src_slot(&f, 1)), b + 4000, 200), 0);
	CHECK(memcmp(buf + 4000, src_slot(&f, 1), 200) == 0);
	/* All three windows' worth, first to last byte of the pair. */
	CHECK_EQ(copy_iova(&f, b, iova_of(dst_slot(&f, 2)), 4096), 0);
	CHECK_EQ(copy_iova(&f, b + 4096, iova_of(dst_slot(&f, 3)), 4096), 0);
	CHECK(memcmp(dst_slot(&f, 3), buf + 4096, 4096) == 0);

	/* IOVA-adjacent, VA elsewhere: refused, nothing moved. */
	memset(dst_slot(&f, 4), DST_SENTINEL, SLOT_SZ);
	CHECK_EQ(copy_iova(&f, b + 8192 - 100, iova_of(dst_slot(&f, 4)), 200),
		NETDMA_CHANERR_SRC_ADDR);
	CHECK(slot_untouched(&f, 4));
	CHECK_EQ(copy_iova(&f, iova_of(src_slot(&f, 5)), b + 8192 - 50, 100),
		NETDMA_CHANERR_DST_ADDR);
	CHECK_EQ(other[0], 0x5A);
	/* Past the last window. */
	CHECK_EQ(copy_iova(&f, b + 3 * 4096 - 10, iova_of(dst_slot(&f, 4)),
		20), NETDMA_CHANERR_SRC_ADDR);
	/* And the channel still works. */
	CHECK_EQ(copy_iova(&f, b + 8192, iova_of(dst_slot(&f, 6)), 64), 0);
	CHECK_EQ(dst_slot(&f, 6)[63], 0x5A);

	/* A hole punched in the middle: both sides keep their VAs, the hole
	 * and anything across it are refused, refilling it joins them. */
	CHECK_EQ(iommu_unmap(f.e, b + 4096, 256), 0);
	CHECK_EQ(copy_iova(&f, b + 4096 - 64, iova_of(dst_slot(&f, 7)), 64),
		0);
	CHECK(memcmp(dst_slot(&f, 7), buf + 4096 - 64, 64) == 0);
	CHECK_EQ(copy_iova(&f, b + 4096 + 256, iova_of(dst_slot(&f, 8)), 64),
		0);
	CHECK(memcmp(dst_slot(&f, 8), buf + 4096 + 256, 64) == 0);
	CHECK_EQ(copy_iova(&f, b + 4096 + 8, iova_of(dst_slot(&f, 9)), 8),
		NETDMA_CHANERR_SRC_ADDR);
	CHECK_EQ(copy_iova(&f, b + 4000, iova_of(dst_slot(&f, 9)), 1000),
		NETDMA_CHANERR_SRC_ADDR);
	CHECK(slot_untouched(&f, 9));
	CHECK_EQ(iommu_map(f.e, b + 4096, buf + 4096, 256), 0);
	CHECK_EQ(copy_iova(&f, b + 4000, iova_of(dst_slot(&f, 9)), 1000), 0);
	CHECK(memcmp(dst_slot(&f, 9), buf + 4000, 1000) == 0);
	CHECK_EQ(iommu_unmap(f.e, b, 8192), 0);
	fx_close(&f);
	xfree(buf);
	xfree(other);
	return 0;
}

/* Many small windows mapped in scrambled order still translate right. */
static int
test_iommu_many_windows(void)
{
	const unsigned int n = 256;
	struct fx f;
	unsigned int i;

	CHECK(fx_open(&f, 32));
	for (i = 0; i < n; i++) {
		unsigned int w = (i * 97) % n;	/* 97 coprime with 256 */

		CHECK_EQ(iommu_map(f.e, FAR_IOVA + (uint64_t)w * 65536,
			f.src + w * 256, 256), 0, "window %u", w);
	}
	for (i = 0; i < n; i++) {
		unsigned int w = (i * 31) % n;
		uint8_t *d = dst_slot(&f, 0) + (i % 16) * 256;

		CHECK_EQ(copy_iova(&f, FAR_IOVA + (uint64_t)w * 65536 + 16,
			iova_of(d), 240), 0, "window %u", w);
		CHECK(memcmp(d, f.src + w * 256 + 16, 240) == 0, "window %u",
			w);
	}
	/* A window's neighbour in IOVA is not its neighbour in VA. */
	CHECK_EQ(copy_iova(&f, FAR_IOVA + 255, iova_of(dst_slot(&f, 1)), 2),
		NETDMA_CHANERR_SRC_ADDR);
	fx_close(&f);
	return 0;
}

/* Unmap and remap must reach the worker's cached translations. */
static int
test_iommu_invalidate(void)
{
	uint8_t *a = xalloc(4096), *b = xalloc(4096);
	struct fx f;

	CHECK(fx_open(&f, 32));
	memset(a, 'A', 4096);
	memset(b, 'B', 4096);
	CHECK_EQ(iommu_map(f.e, FAR_IOVA, a, 4096), 0);
	CHECK_EQ(copy_iova(&f, FAR_IOVA, iova_of(dst_slot(&f, 0)), 64), 0);
	CHECK_EQ(dst_slot(&f, 0)[0], 'A');

	/* Same IOVA, new memory: a stale cache would still read 'A'. */
	CHECK_EQ(iommu_unmap(f.e, FAR_IOVA, 4096), 0);
	CHECK_EQ(iommu_map(f.e, FAR_IOVA, b, 4096), 0);
	CHECK_EQ(copy_iova(&f, FAR_IOVA, iova_of(dst_slot(&f, 1)), 64), 0);
	CHECK_EQ(dst_slot(&f, 1)[0], 'B');

	/* Gone: refused. Same on the destination side. */
	CHECK_EQ(iommu_unmap(f.e, FAR_IOVA, 4096), 0);
	CHECK_EQ(copy_iova(&f, FAR_IOVA, iova_of(dst_slot(&f, 2)), 64),
		NETDMA_CHANERR_SRC_ADDR);
	CHECK(slot_untouched(&f, 2));
	CHECK_EQ(iommu_map(f.e, FAR_IOVA, a, 4096), 0);
	CHECK_EQ(copy_iova(&f, iova_of(src_slot(&f, 3)), FAR_IOVA, 64), 0);
	CHECK_EQ(iommu_unmap(f.e, FAR_IOVA, 4096), 0);
	memset(a, 'A', 4096);
	CHECK_EQ(copy_iova(&f, iova_of(src_slot(&f, 3)), FAR_IOVA, 64),
		NETDMA_CHANERR_DST_ADDR);
	CHECK_EQ(a[0], 'A');

	/* The completion word and the ring are translated too. */
	CHECK_EQ(iommu_unmap(f.e, iova_of(f.cmp), 64), 0);
	desc_copy(&f, f.dmacount % 32, 7, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(iommu_map(f.e, iova_of(f.cmp), f.cmp, 64), 0);
	chanerr_clear(&f);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_state(&f, NETDMA_STS_IDLE));

	CHECK_EQ(iommu_unmap(f.e, iova_of(f.ring), 32 * 64), 0);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(iommu_map(f.e, iova_of(f.ring), f.ring, 32 * 64), 0);
	fx_close(&f);
	xfree(a);
	xfree(b);
	return 0;
}

struct remap_arg {
	struct netdma_engine *e;
	uint8_t *buf;
	int stop;
	unsigned int rounds;
};

/* Map and unmap windows below every real one, so that the table entries
 * the channel uses shift under it. */
static int
remap_thread(void *p)
{
	struct remap_arg *a = p;
	unsigned int k;

	while (!__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE)) {
		for (k = 0; k < 64; k++)
			CHECK_EQ(iommu_map(a->e, 0x10000 + k * 4096ull, a->buf,
				4096), 0, "round %u window %u", a->rounds, k);
		for (k = 0; k < 64; k++)
			CHECK_EQ(iommu_unmap(a->e, 0x10000 + k * 4096ull, 4096),
				0, "round %u window %u", a->rounds, k);
		a->rounds++;
	}
	return 0;
}

/* Translations stay exact while another thread rewrites the table. The
 * loop checks nothing itself: the thread must be joined first. */
static int
test_iommu_concurrent_remap(void)
{
	struct remap_arg a = { .buf = xalloc(4096) };
	unsigned int batch, k, bad = 0;
	struct check_thread th;
	struct fx f;
	int remapped;

	CHECK(fx_open(&f, 64));
	a.e = f.e;
	CHECK_EQ(check_thread_start(&th, remap_thread, &a), 0);
	for (batch = 0; batch < 300 && bad == 0; batch++) {
		for (k = 0; k < 50; k++) {
			unsigned int i = (batch * 50 + k) % 64;

			memset(dst_slot(&f, i), DST_SENTINEL, 512);
			desc_copy(&f, i, i, 256 + batch % 128,
				k == 49 ? NETDMA_DESC_STATUS_UPDATE : 0);
		}
		doorbell(&f, 50);
		if (!wait_completed(&f, (batch + 1) * 50ull) ||
				netdma_mmio_read(f.regs, chanerr) != 0) {
			bad++;
			break;
		}
		for (k = 0; k < 50; k++)
			if (!slot_copied(&f, (batch * 50 + k) % 64,
					256 + batch % 128))
				bad++;
	}
	__atomic_store_n(&a.stop, 1, __ATOMIC_RELEASE);
	remapped = check_thread_join(&th);
	CHECK_EQ(bad, 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(remapped, 0);
	CHECK(a.rounds > 0);
	fx_close(&f);
	xfree(a.buf);
	return 0;
}

static const struct test tests[] = {
	TEST(iommu_api),
	TEST(iommu_full),
	TEST(iommu_window_span),
	TEST(iommu_many_windows),
	TEST(iommu_invalidate),
	TEST(iommu_concurrent_remap),
};

void
iommu_tests(void)
{
	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
}
