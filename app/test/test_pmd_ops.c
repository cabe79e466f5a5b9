/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * How dma_netdma turns op flags into descriptor flags and reports
 * completions: where RTE_DMA_OP_FLAG_FENCE lands, when has_error is set,
 * and the armed batch tail written with MOVDIR64B (direct_desc).
 */

#include <rte_cpuflags.h>

#include "rte_pmd_netdma.h"
#include "test_common.h"

TEST_DEFINE_COUNTERS;

#define DEV0 "dma_netdma0"

static int16_t dev0 = -1;
static uint8_t *buf;

static int
copy_slot(int16_t id, unsigned int slot, uint32_t len, uint64_t flags)
{
	return rte_dma_copy(id, 0, rte_mem_virt2iova(buf + slot * 256),
		rte_mem_virt2iova(buf + 65536 + slot * 256), len, flags);
}

/*
 * The flags rte_dma_dump() shows for descriptor id among the unsubmitted
 * ones: a string such as " FENCE STATUS_UPDATE", or NULL if id is not
 * listed.
 */
static const char *
dumped_flags(const char *dump, int id, char *out, size_t len)
{
	const char *line = strstr(dump, "unsubmitted descriptors");

	while (line != NULL && (line = strstr(line, "    id ")) != NULL) {
		unsigned int got;
		const char *end = strchr(line, '\n');
		const char *bytes = strstr(line, " bytes");

		if (sscanf(line, "    id %u:", &got) == 1 &&
				got == (uint16_t)id && bytes != NULL &&
				(end == NULL || bytes < end)) {
			size_t n = end != NULL ? (size_t)(end - bytes - 6) :
				strlen(bytes + 6);

			snprintf(out, len, "%.*s", (int)n, bytes + 6);
			return out;
		}
		line += 7;
	}
	return NULL;
}

/*
 * dmadev's FENCE on op B means "B waits for the ops before it", and so
 * does the engine's FENCE bit (spec 4.2): the bit goes on B's own
 * descriptor, and only there. Guards the bit going on the descriptor
 * before B (the ordering of an engine whose FENCE means "later ones wait
 * for me"), which can no longer be done once that one is submitted.
 * Descriptors written through the cache and with MOVDIR64B (direct_desc)
 * are built apart, so each way is checked.
 */
static int
fence_on_own_descriptor(int16_t id)
{
	char fa[128], fb[128], fc[128], fd[128], fe[128];
	int a, b, c, d, e;
	uint16_t last;
	char *dump;
	unsigned int i;

	memset(buf, 0x11, 65536);
	memset(buf + 65536, 0, 65536);
	a = copy_slot(id, 0, 64, 0);
	b = copy_slot(id, 1, 64, RTE_DMA_OP_FLAG_FENCE);
	c = copy_slot(id, 2, 64, 0);
	d = copy_slot(id, 3, 64, RTE_DMA_OP_FLAG_FENCE);
	CHECK(a >= 0 && b >= 0 && c >= 0 && d >= 0, "enqueue");
	dump = test_dump(id);
	CHECK(dump != NULL, "dump");
	CHECK(dumped_flags(dump, a, fa, sizeof(fa)) &&
		dumped_flags(dump, b, fb, sizeof(fb)) &&
		dumped_flags(dump, c, fc, sizeof(fc)) &&
		dumped_flags(dump, d, fd, sizeof(fd)),
		"unsubmitted descriptors %d..%d not all in the dump:\n%s",
		a, d, dump);
	free(dump);
	CHECK(strstr(fa, "FENCE") == NULL, "op A (before the fenced B) carries FENCE:%s", fa);
	CHECK(strstr(fb, "FENCE") != NULL, "fenced op B lacks FENCE:%s", fb);
	CHECK(strstr(fc, "FENCE") == NULL, "op C (before the fenced D) carries FENCE:%s", fc);
	CHECK(strstr(fd, "FENCE") != NULL, "fenced op D lacks FENCE:%s", fd);
	CHECK(rte_dma_submit(id, 0) == 0, "submit");
	CHECK(test_collect(id, 4, &last) == 4 && last == (uint16_t)d,
		"the four ops did not all complete");

	/* The first op after a submit, whose earlier ops are all with the
	 * engine, carries its fence as any other. */
	e = copy_slot(id, 4, 64, RTE_DMA_OP_FLAG_FENCE);
	CHECK(e >= 0, "enqueue");
	dump = test_dump(id);
	CHECK(dump != NULL && dumped_flags(dump, e, fe, sizeof(fe)), "dump");
	free(dump);
	CHECK(strstr(fe, "FENCE") != NULL, "fenced first op of a batch lacks FENCE:%s", fe);
	CHECK(rte_dma_submit(id, 0) == 0, "submit");
	CHECK(test_collect(id, 1, &last) == 1 && last == (uint16_t)e, "op E");
	for (i = 0; i < 5; i++)
		CHECK(memcmp(buf + 65536 + i * 256, buf + i * 256, 64) == 0,
			"op %u data", i);
	return 0;
}

static int
fence_on_device(const char *args)
{
	int16_t id;
	int ret;

	id = (int16_t)test_dev_create("dma_netdma2", args, 64);
	CHECK(id >= 0, "create with %s", args);
	ret = fence_on_own_descriptor(id);
	test_dev_destroy("dma_netdma2");
	return ret;
}

static int
test_fence_cached_desc(void)
{
	return fence_on_device("direct_desc=0");
}

static int
test_fence_direct_desc(void)
{
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) <= 0)
		return TEST_SKIP("this CPU has no MOVDIR64B, so direct_desc=1 cannot be probed");
	return fence_on_device("direct_desc=1");
}

/*
 * One status_stride on a 32-descriptor ring: of eight ops enqueued from
 * id 24 on, those with (id & (stride - 1)) == stride - 1 ask for a status
 * write (STATUS_UPDATE), none with stride 0; and every op is reported,
 * by the engine's write when it catches up where no descriptor asks.
 */
static int
stride_on_ring(unsigned int stride)
{
	char args[64], flags[128], *dump;
	unsigned int i;
	uint16_t last;
	int16_t id;
	int tail;

	snprintf(args, sizeof(args), "status_stride=%u", stride);
	id = (int16_t)test_dev_create("dma_netdma3", args, 32);
	CHECK(id >= 0, "create with %s", args);
	for (i = 0; i < 24; i++)
		CHECK(copy_slot(id, i, 64, 0) >= 0, "enqueue");
	CHECK(rte_dma_submit(id, 0) == 0, "submit");
	CHECK(test_collect(id, 24, &last) == 24, "%s: collect", args);
	for (i = 0; i < 8; i++)
		CHECK(copy_slot(id, i, 64, 0) == (int)(24 + i), "enqueue");
	dump = test_dump(id);
	CHECK(dump != NULL, "dump");
	for (i = 24; i < 32; i++) {
		bool want = stride != 0 && (i & (stride - 1)) == stride - 1;

		CHECK(dumped_flags(dump, (int)i, flags, sizeof(flags)) != NULL,
			"id %u not in the dump:\n%s", i, dump);
		CHECK((strstr(flags, "STATUS_UPDATE") != NULL) == want,
			"%s: id %u%s asks for a status write:%s", args, i,
			want ? " never" : "", flags);
	}
	free(dump);
	CHECK(rte_dma_submit(id, 0) == 0, "submit");
	CHECK(test_collect(id, 8, &last) == 8 && last == 31,
		"%s: the last ops were never reported", args);
	/* a full ring at once, collected as it is reported */
	for (i = 0; i < 31; i++)
		CHECK((tail = copy_slot(id, i % 8, 64, i == 30 ?
			RTE_DMA_OP_FLAG_SUBMIT : 0)) >= 0, "enqueue");
	CHECK(test_collect(id, 31, &last) == 31 && last == (uint16_t)tail,
		"%s: a full ring was not all reported", args);
	test_dev_destroy("dma_netdma3");
	return 0;
}

/*
 * status_stride at its edges on the smallest ring: 0 (no descriptor asks
 * for a status write), 1 (every one does), 4, and 32, the ring's size, the
 * largest the ring takes; 64 is refused by rte_dma_vchan_setup() of a
 * 32-descriptor ring, with a line saying why, and taken by a 64-descriptor
 * one. Guards stride bits put on the wrong ids, and a ring refused for a
 * stride it can hold.
 */
static int
test_status_stride_edges(void)
{
	static const unsigned int strides[] = { 0, 1, 4, 32 };
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM, .nb_desc = 32,
	};
	struct test_log log;
	unsigned int i;
	int id, ret;

	for (i = 0; i < RTE_DIM(strides); i++)
		CHECK(stride_on_ring(strides[i]) == 0);
	CHECK(rte_vdev_init("dma_netdma3", "status_stride=64") == 0, "probe");
	id = rte_dma_get_dev_id_by_name("dma_netdma3");
	CHECK(id >= 0 && rte_dma_configure(id, &conf) == 0, "configure");
	test_log_begin(&log);
	ret = rte_dma_vchan_setup(id, 0, &qconf);
	test_log_end(&log);
	CHECK(ret == -EINVAL, "status_stride=64 on 32 descriptors: %d", ret);
	CHECK(test_log_count(&log, RTE_LOG_ERR,
		"dma_netdma3: status_stride 64 exceeds nb_desc 32") == 1,
		"no line says why:\n%s", log.buf);
	qconf.nb_desc = 64;
	CHECK(rte_dma_vchan_setup(id, 0, &qconf) == 0,
		"status_stride=64 on 64 descriptors refused");
	CHECK(rte_vdev_uninit("dma_netdma3") == 0, "remove");
	return 0;
}

/*
 * An error at op k of a batch: completed() asked for exactly k returns the
 * k successes with has_error false, since nothing it returned failed; the
 * next call returns 0 with has_error true; completed_status() then gives
 * the failed op's status, and the op after it completes. Guards the bug
 * where has_error was set already in the call that returned k successes.
 */
static int
test_has_error_after_the_successes(void)
{
	enum {
		K = 5
	};
	enum rte_dma_status_code st;
	bool err;
	uint16_t last, n;
	int first = -1, id;
	unsigned int i;

	for (i = 0; i < K + 2; i++) {
		if (i == K)	/* IOVA 0 is never mapped */
			id = rte_dma_copy(dev0, 0, 0,
				rte_mem_virt2iova(buf + 65536), 64, 0);
		else
			id = copy_slot(dev0, i, 64, 0);
		CHECK(id >= 0, "enqueue %u", i);
		if (first < 0)
			first = id;
	}
	CHECK(rte_dma_submit(dev0, 0) == 0, "submit");
	CHECK(test_await_vchan(dev0) == RTE_DMA_VCHAN_HALTED_ERROR,
		"channel did not halt on op %d", K);

	err = false;
	n = rte_dma_completed(dev0, 0, K, &last, &err);
	CHECK(n == K, "first call returned %u of %u successes", n, K);
	CHECK(!err, "has_error set in a call that returned only successes");
	CHECK_EQ(last, (uint16_t)(first + K - 1));
	err = false;
	n = rte_dma_completed(dev0, 0, 8, &last, &err);
	CHECK(n == 0 && err, "second call: %u ops, has_error %d", n, err);
	CHECK_EQ(last, (uint16_t)(first + K - 1));
	CHECK(rte_dma_completed_status(dev0, 0, 1, &last, &st) == 1,
		"completed_status returned nothing");
	CHECK(st == RTE_DMA_STATUS_INVALID_SRC_ADDR, "status %d", st);
	CHECK_EQ(last, (uint16_t)(first + K));
	CHECK(test_collect(dev0, 1, &last) == 1 && last == (uint16_t)(first + K + 1),
		"the op after the error");

	/* The same with room to spare: the call stops short of the error
	 * and says so. */
	CHECK(copy_slot(dev0, 0, 64, 0) >= 0 && rte_dma_copy(dev0, 0, 0,
		rte_mem_virt2iova(buf + 65536), 64, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
		"enqueue");
	CHECK(test_await_vchan(dev0) == RTE_DMA_VCHAN_HALTED_ERROR, "halt");
	err = false;
	n = rte_dma_completed(dev0, 0, 8, &last, &err);
	CHECK(n == 1 && err, "short call: %u ops, has_error %d", n, err);
	CHECK(rte_dma_completed_status(dev0, 0, 8, &last, &st) == 1 &&
		st == RTE_DMA_STATUS_INVALID_SRC_ADDR, "status %d", st);
	return 0;
}

/*
 * completed_status() asked for exactly the k successes before a failed op
 * returns those k, writes no status past them, and leaves the failure,
 * and the channel halted, for the next call; asked for none, it returns
 * none and recovers nothing, and completed() asked for none says no
 * error. Guards a call that recovers past the failure with no room left
 * to report it: a status written past the caller's array, more ops
 * returned than asked for, a failure no call ever reports.
 */
static int
test_status_limit_at_failure(void)
{
	enum {
		K = 4
	};
	enum rte_dma_status_code st[K + 2];
	uint16_t last, n;
	bool err = true;
	int first = -1, id;
	unsigned int i;

	for (i = 0; i < K + 2; i++) {
		id = i == K ? rte_dma_copy(dev0, 0, 0,
			rte_mem_virt2iova(buf + 65536), 64, 0) :
			copy_slot(dev0, i, 64, 0);
		CHECK(id >= 0, "enqueue %u", i);
		if (first < 0)
			first = id;
	}
	CHECK(rte_dma_submit(dev0, 0) == 0, "submit");
	CHECK(test_await_vchan(dev0) == RTE_DMA_VCHAN_HALTED_ERROR, "halt");
	for (i = 0; i < RTE_DIM(st); i++)
		st[i] = RTE_DMA_STATUS_ERROR_UNKNOWN;
	n = rte_dma_completed_status(dev0, 0, K, &last, st);
	CHECK(n == K, "asked for %u: %u returned", K, n);
	for (i = 0; i < K; i++)
		CHECK(st[i] == RTE_DMA_STATUS_SUCCESSFUL, "op %u: %d", i, st[i]);
	CHECK(st[K] == RTE_DMA_STATUS_ERROR_UNKNOWN,
		"a status written past the %u asked for: %d", K, st[K]);
	CHECK_EQ(last, (uint16_t)(first + K - 1));
	n = rte_dma_completed_status(dev0, 0, 0, &last, st);
	CHECK(n == 0, "asked for none: %u returned", n);
	n = rte_dma_completed(dev0, 0, 0, &last, &err);
	CHECK(n == 0 && !err, "asked for none: %u returned, has_error %d", n,
		err);
	CHECK(test_await_vchan(dev0) == RTE_DMA_VCHAN_HALTED_ERROR,
		"recovered without reporting the failure");
	CHECK(rte_dma_completed_status(dev0, 0, 1, &last, st) == 1 &&
		st[0] == RTE_DMA_STATUS_INVALID_SRC_ADDR, "the failed op: %d",
		st[0]);
	CHECK_EQ(last, (uint16_t)(first + K));
	CHECK(test_collect(dev0, 1, &last) == 1 &&
		last == (uint16_t)(first + K + 1), "the op after it");
	return 0;
}

/*
 * direct_desc with interrupts armed: the batch tail is written with
 * MOVDIR64B, then gets STATUS_UPDATE and INT_ON_COMPL. A plain store into
 * it races with the weakly ordered direct store, so the engine could see
 * the tail without the flags or a mix of old and new; the driver rewrites
 * it whole from a shadow copy instead. Guards that ordering bug: every
 * armed wait must see its batch complete, with the right data and
 * status, fences included.
 */
static int
test_direct_desc_armed(void)
{
	struct rte_pmd_netdma_intr_stats before, after;
	enum rte_dma_status_code st[4];
	unsigned int cycle, i;
	uint16_t last;
	int16_t id;

	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) <= 0)
		return TEST_SKIP("this CPU has no MOVDIR64B, so direct_desc=1 cannot be probed");
	id = test_dev_create("dma_netdma1", "direct_desc=1,spin_us=5", 64);
	CHECK(id >= 0, "create with direct_desc=1");
	rte_pmd_netdma_intr_stats_get(id, 0, &before);
	for (cycle = 0; cycle < 20000; cycle++) {
		unsigned int burst = 1 + cycle % 3;

		memset(buf + 65536, 0, burst * 256);
		for (i = 0; i < burst; i++)
			buf[i * 256] = (uint8_t)(cycle + i + 1);
		CHECK(rte_pmd_netdma_intr_enable(id, 0) == 0, "arm");
		for (i = 0; i < burst; i++)
			CHECK(copy_slot(id, i, 64, cycle % 5 == 0 && i > 0 ?
				RTE_DMA_OP_FLAG_FENCE : 0) >= 0, "enqueue");
		CHECK(rte_dma_submit(id, 0) == 0, "submit");
		CHECK(rte_pmd_netdma_wait(id, 0, TEST_HANG_MS) == 1,
			"cycle %u: armed wait missed the batch", cycle);
		rte_pmd_netdma_intr_disable(id, 0);
		CHECK_EQ(test_collect_status(id, burst, &last, st), burst);
		for (i = 0; i < burst; i++) {
			CHECK(st[i] == RTE_DMA_STATUS_SUCCESSFUL,
				"cycle %u op %u: status %d", cycle, i, st[i]);
			CHECK(memcmp(buf + 65536 + i * 256, buf + i * 256, 64) == 0,
				"cycle %u op %u: data", cycle, i);
		}
	}
	rte_pmd_netdma_intr_stats_get(id, 0, &after);
	CHECK_EQ(after.timeouts, before.timeouts);
	test_dev_destroy("dma_netdma1");
	return 0;
}

int
main(int argc, char **argv)
{
	int ret;

	ret = test_start(argc, argv, "[devargs for " DEV0 "]");
	if (ret != 0)
		return ret;
	buf = rte_zmalloc(NULL, 2 * 65536, 64);
	dev0 = test_dev_create(DEV0, argc > 2 ? argv[2] : NULL, 64);
	if (buf == NULL || dev0 < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	RUN(test_fence_cached_desc);
	RUN(test_fence_direct_desc);
	RUN(test_has_error_after_the_successes);
	RUN(test_status_limit_at_failure);
	RUN(test_status_stride_edges);
	RUN(test_direct_desc_armed);
	test_dev_destroy(DEV0);
	rte_free(buf);
	rte_eal_cleanup();
	TEST_SUMMARY();
	return test_failed == 0 ? 0 : 1;
}
