/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * dma_netdma's life cycle under pressure: stop with gigabytes in flight,
 * stop, close and removal while the engine does not answer (and the retry
 * after it does), what a stopped device logs, and what stop does to the
 * interrupt fd.
 */

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <rte_epoll.h>
#include <rte_interrupts.h>
#include <rte_random.h>

#include "rte_pmd_netdma.h"
#include "test_common.h"

TEST_DEFINE_COUNTERS;

static size_t pg;

static uint64_t
ms_since(uint64_t t0)
{
	return (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
}

/* A copy through DPDK memory, checked; its job id, or -1. */
static int
copy_checked(int16_t id, uint32_t len)
{
	uint8_t *a = rte_malloc(NULL, len, 64), *b = rte_zmalloc(NULL, len, 64);
	enum rte_dma_status_code st;
	uint16_t last;
	uint32_t i;
	int ret;

	if (a == NULL || b == NULL)
		return -1;
	for (i = 0; i < len; i++)
		a[i] = (uint8_t)rte_rand();
	ret = rte_dma_copy(id, 0, rte_mem_virt2iova(a), rte_mem_virt2iova(b),
		len, RTE_DMA_OP_FLAG_SUBMIT);
	if (ret < 0 || test_collect_status(id, 1, &last, &st) != 1 ||
			st != RTE_DMA_STATUS_SUCCESSFUL || last != ret ||
			memcmp(a, b, len) != 0)
		ret = -1;
	rte_free(a);
	rte_free(b);
	return ret;
}

/*
 * A log stream that records, for each line mentioning a stopped device,
 * the level it was logged at.
 */
struct level_log {
	unsigned int at_err_or_above;	/* ERR, CRIT, ALERT, EMERG */
	unsigned int below_err;
};

static ssize_t
level_log_write(void *cookie, const char *buf, size_t size)
{
	struct level_log *l = cookie;

	if (memmem(buf, size, "on a stopped device", 19) != NULL) {
		if (rte_log_cur_msg_loglevel() <= (int)RTE_LOG_ERR)
			l->at_err_or_above++;
		else
			l->below_err++;
	}
	return (ssize_t)size;
}

/* Every data-path and interrupt call a polling loop makes, n times. */
static void
poll_stopped(int16_t id, unsigned int n)
{
	struct rte_dma_sge sge = { .addr = 0x1000, .length = 8 };
	enum rte_dma_status_code st[4];
	uint16_t last;
	unsigned int i;

	for (i = 0; i < n; i++) {
		rte_dma_copy(id, 0, 0x1000, 0x2000, 8, 0);
		rte_dma_copy_sg(id, 0, &sge, &sge, 1, 1, 0);
		rte_dma_fill(id, 0, 0, 0x2000, 8, 0);
		rte_dma_submit(id, 0);
		rte_dma_completed(id, 0, 4, &last, NULL);
		rte_dma_completed_status(id, 0, 4, &last, st);
		rte_pmd_netdma_intr_enable(id, 0);
		rte_pmd_netdma_wait(id, 0, 0);
	}
}

/* poll_stopped() with the driver's log, DEBUG included, going to f. */
static void
capture_stopped_calls(FILE *f, int16_t id, unsigned int n, int level)
{
	rte_log_set_level_pattern("pmd.dma.netdma", RTE_LOG_DEBUG);
	rte_openlog_stream(f);
	poll_stopped(id, n);
	rte_openlog_stream(NULL);
	rte_log_set_level_pattern("pmd.dma.netdma", level);
}

/*
 * A polling application on a stopped device: the first call says so at
 * ERR, the next thousand (of every kind) stay below ERR; after the next
 * start and stop, the first call says so again. The driver logs at DEBUG
 * here so that the quiet lines are seen. Guards the log flood of one ERR
 * line per call.
 */
static int
test_stopped_device_logs_once(void)
{
	struct level_log counts = { 0, 0 };
	cookie_io_functions_t io = { .write = level_log_write };
	FILE *f = fopencookie(&counts, "w", io);
	int level = rte_log_get_level(rte_log_register("pmd.dma.netdma"));
	int16_t id;

	CHECK(f != NULL, "fopencookie");
	setvbuf(f, NULL, _IOLBF, 0);
	id = test_dev_create("dma_netdma0", NULL, 64);
	CHECK(id >= 0, "create");
	CHECK(rte_dma_stop(id) == 0, "stop");

	capture_stopped_calls(f, id, 1000, level);
	CHECK(counts.at_err_or_above == 1,
		"%u lines at ERR for 1000 rounds of calls on a stopped device",
		counts.at_err_or_above);
	CHECK(counts.below_err >= 5000, "only %u quieter lines: the calls did not run",
		counts.below_err);

	CHECK(rte_dma_start(id) == 0 && rte_dma_stop(id) == 0, "restart, stop");
	counts.at_err_or_above = 0;
	capture_stopped_calls(f, id, 10, level);
	CHECK(counts.at_err_or_above == 1,
		"%u lines at ERR after the next stop (expected one again)",
		counts.at_err_or_above);
	fclose(f);
	CHECK(rte_vdev_uninit("dma_netdma0") == 0, "remove");
	return 0;
}

/* Pages of [p, p + len) in memory: the engine's writes fault them in. */
static size_t
resident_pages(const void *p, size_t len)
{
	static unsigned char vec[(1u << 30) / 4096];
	size_t i, n = len / pg, count = 0;

	if (n > sizeof(vec) || mincore((void *)(uintptr_t)p, len, vec) != 0)
		return SIZE_MAX;
	for (i = 0; i < n; i++)
		count += vec[i] & 1;
	return count;
}

/*
 * Eight copies of 1 GiB in flight, stop in the middle of the first:
 * rte_dma_stop() returns 0 with the first copy still unfinished (the
 * engine takes RESET within one 64 KiB slice), and the dropped copy
 * writes nothing more (no page of the destination gets touched) by the
 * time the engine has served a copy after the restart. After start, ids
 * begin at 0 again, only new ops are ever reported (no ghost completion
 * of the dropped ones) and copies are exact. The source is never written,
 * so it stays the zero page: only what the engine writes takes memory.
 * Guards a stop that waits for whole descriptors or times out, and a
 * dropped descriptor that goes on moving data or reports itself after the
 * restart.
 */
static int
stop_under_load(int16_t id, uint8_t *src, uint8_t *dst, size_t len,
		bool sva)
{
	uint64_t t0, stop_ms;
	size_t before, after;
	uint16_t last;
	bool err = false;
	unsigned int i, seen;
	int ret;

	for (i = 0; i < 8; i++)
		CHECK(rte_dma_copy(id, 0,
			sva ? (uintptr_t)src : rte_mem_virt2iova(src),
			sva ? (uintptr_t)dst : rte_mem_virt2iova(dst),
			(uint32_t)len, i == 7 ? RTE_DMA_OP_FLAG_SUBMIT : 0) ==
			(int)i, "enqueue %u", i);
	/* wait until the first copy is well under way */
	t0 = rte_get_timer_cycles();
	while (resident_pages(dst, len) < 1024 && ms_since(t0) < TEST_HANG_MS)
		rte_delay_us_sleep(200);
	CHECK(resident_pages(dst, len) >= 1024, "the copy never started");

	t0 = rte_get_timer_cycles();
	ret = rte_dma_stop(id);
	stop_ms = ms_since(t0);
	before = resident_pages(dst, len);
	printf("    stop with 8 GiB in flight: %d after %" PRIu64 " ms, %zu MiB of the first copy done\n",
		ret, stop_ms, before * pg >> 20);
	CHECK(ret == 0, "stop under load: %d", ret);
	CHECK(before < len / pg, "the first copy finished before the stop: the test did not stop it mid-way");
	{
		int ready = 1;

		/* Guards an inflight count that outlives the stop. */
		CHECK(rte_pmd_netdma_inflight(id, 0, &ready) == 0 && !ready,
			"ops still in flight after the stop dropped them");
	}

	CHECK(rte_dma_start(id) == 0, "restart");
	CHECK(copy_checked(id, 4096) == 0, "first copy after restart is not id 0");
	/* The engine has served a copy after the stop: had it kept the
	 * dropped ones, it would have moved their data or reported them by
	 * now. */
	after = resident_pages(dst, len);
	CHECK(after == before, "the engine wrote %zu pages after the stop",
		after - before);
	seen = rte_dma_completed(id, 0, 16, &last, &err);
	CHECK(seen == 0 && !err, "%u ghost completions after restart (error %d)",
		seen, err);
	for (i = 1; i <= 8; i++)
		CHECK(copy_checked(id, 1000 * i) == (int)i, "copy %u after restart", i);
	CHECK(rte_dma_completed(id, 0, 16, &last, &err) == 0 && !err,
		"a completion nobody asked for");
	return 0;
}

static void *
map_gib(void)
{
	void *p = mmap(NULL, 1u << 30, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* sva=1: plain mmap memory. */
static int
test_stop_under_load_sva(void)
{
	uint8_t *src = map_gib(), *dst = map_gib();
	int16_t id;
	int ret;

	CHECK(src != NULL && dst != NULL, "mmap");
	id = test_dev_create("dma_netdma1", "sva=1", 64);
	CHECK(id >= 0, "create");
	ret = stop_under_load(id, src, dst, 1u << 30, true);
	test_dev_destroy("dma_netdma1");
	munmap(src, 1u << 30);
	munmap(dst, 1u << 30);
	return ret;
}

/* Strict mode: the same memory registered as extmem and DMA-mapped. */
static int
test_stop_under_load_strict(void)
{
	const size_t len = 1u << 30;
	uint8_t *src = map_gib(), *dst = map_gib();
	struct rte_device *rdev;
	int16_t id;
	int ret;

	CHECK(src != NULL && dst != NULL, "mmap");
	id = test_dev_create("dma_netdma2", NULL, 64);
	rdev = test_find_device("dma_netdma2");
	CHECK(id >= 0 && rdev != NULL, "create");
	CHECK(rte_extmem_register(src, len, NULL, 0, pg) == 0 &&
		rte_extmem_register(dst, len, NULL, 0, pg) == 0,
		"extmem register");
	CHECK(rte_dev_dma_map(rdev, src, (uintptr_t)src, len) == 0 &&
		rte_dev_dma_map(rdev, dst, (uintptr_t)dst, len) == 0,
		"dma map");
	ret = stop_under_load(id, src, dst, len, false);
	CHECK(rte_dev_dma_unmap(rdev, src, (uintptr_t)src, len) == 0 &&
		rte_dev_dma_unmap(rdev, dst, (uintptr_t)dst, len) == 0,
		"dma unmap");
	test_dev_destroy("dma_netdma2");
	rte_extmem_unregister(src, len);
	rte_extmem_unregister(dst, len);
	munmap(src, len);
	munmap(dst, len);
	return ret;
}

static int
frozen_engine_body(void)
{
	const char *name = "dma_netdma3";
	int16_t id;
	int first, ret;

	id = test_dev_create(name, NULL, 64);
	CHECK(id >= 0, "create");
	first = copy_checked(id, 512);
	CHECK(first == 0, "copy before the freeze");

	/* stop fails, and the device stays started */
	CHECK(test_worker_freeze("netdma3-w0") == 0);
	ret = rte_dma_stop(id);
	CHECK(ret == -ETIMEDOUT, "stop of a frozen engine: %d", ret);
	CHECK(rte_dma_burst_capacity(id, 0) > 0,
		"a failed stop left the stopped fast path in place");
	CHECK(rte_dma_close(id) < 0, "close of a device whose stop failed");
	test_worker_thaw();
	CHECK(copy_checked(id, 512) == first + 1,
		"after a failed stop and release, copies do not work");
	CHECK(copy_checked(id, 64 * 1024) == first + 2, "second copy");
	CHECK(rte_dma_stop(id) == 0, "retried stop");
	CHECK(rte_dma_burst_capacity(id, 0) == 0, "stopped, but capacity");
	CHECK(rte_dma_start(id) == 0, "start after the retried stop");
	CHECK(copy_checked(id, 512) == 0, "copy after restart");

	/* removal fails, and the device stays as it was */
	CHECK(test_worker_freeze("netdma3-w0") == 0);
	ret = rte_vdev_uninit(name);
	CHECK(ret != 0, "removal with a frozen engine returned 0");
	test_worker_thaw();
	CHECK(rte_dma_get_dev_id_by_name(name) == id &&
		test_find_device(name) != NULL, "failed removal took the device");
	CHECK(copy_checked(id, 512) == 1,
		"after a failed removal and release, copies do not work");
	CHECK(rte_vdev_uninit(name) == 0, "retried removal");
	CHECK(rte_dma_get_dev_id_by_name(name) < 0 &&
		test_find_device(name) == NULL, "device survived removal");
	CHECK(test_thread_find("netdma3-w0") < 0, "worker survived removal");
	return 0;
}

/*
 * Stop, close and removal while the engine does not answer fail, leave a
 * started device that works once the engine answers again, and succeed
 * when retried. Guards a stop that half-stops (stopped fast path on a
 * device dmadev counts as started, or a RESET left posted that the engine
 * acts on later, under the driver's feet), and a removal that reports
 * success, or tears down, while the engine still runs.
 */
static int
test_frozen_engine(void)
{
	int ret;

	ret = frozen_engine_body();
	test_worker_thaw();	/* whatever failed, never leave the worker held */
	if (ret != 0 && rte_dma_get_dev_id_by_name("dma_netdma3") >= 0)
		test_dev_destroy("dma_netdma3");
	return ret;
}

/*
 * Stop takes the interrupt fd out of the rte_epoll set it was added to
 * (rte_epoll_wait on that set sees nothing even when the fd is written)
 * and leaves no count pending from before. Guards the stop that only
 * close cleaned up after.
 */
static int
test_stop_and_epoll(void)
{
	struct rte_epoll_event ev;
	static int tag;
	uint64_t one = 1, cnt;
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	int16_t id;
	int fd;

	CHECK(epfd >= 0, "epoll_create1");
	id = test_dev_create("dma_netdma4", NULL, 64);
	CHECK(id >= 0, "create");
	fd = rte_pmd_netdma_intr_fd(id, 0);
	CHECK(rte_pmd_netdma_intr_ctl(id, 0, epfd, RTE_INTR_EVENT_ADD,
		&tag) == 0, "epoll add");

	/* an interrupt pending at stop */
	CHECK(rte_pmd_netdma_intr_enable(id, 0) == 0, "arm");
	CHECK(rte_dma_copy(id, 0, 0, 0, 8, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
		"copy");	/* fails, and the error interrupts */
	CHECK(test_await_vchan(id) == RTE_DMA_VCHAN_HALTED_ERROR, "halt");
	CHECK(fd_readable(fd, TEST_HANG_MS), "no interrupt before the stop");
	CHECK(rte_dma_stop(id) == 0, "stop");
	CHECK(!fd_readable(fd, 0), "an interrupt count survived the stop");
	CHECK(read(fd, &cnt, sizeof(cnt)) < 0 && errno == EAGAIN,
		"the fd still had a count");

	/* The write puts the event in every epoll set holding the fd
	 * before it returns: no need to wait for it. */
	CHECK(write(fd, &one, sizeof(one)) == sizeof(one), "write");
	CHECK(rte_epoll_wait(epfd, &ev, 1, 0) == 0,
		"the stopped device's fd is still in the epoll set");
	CHECK(read(fd, &cnt, sizeof(cnt)) == sizeof(cnt), "drain");
	CHECK(rte_pmd_netdma_intr_ctl(id, 0, epfd, RTE_INTR_EVENT_DEL,
		&tag) == 0, "deleting it again after the stop is no error");

	/* and it can be added again once started */
	CHECK(rte_dma_start(id) == 0, "start");
	CHECK(rte_pmd_netdma_intr_ctl(id, 0, epfd, RTE_INTR_EVENT_ADD,
		&tag) == 0, "epoll add after restart");
	CHECK(rte_pmd_netdma_intr_enable(id, 0) == 0, "arm");
	CHECK(copy_checked(id, 256) == 0, "copy");
	CHECK(rte_epoll_wait(epfd, &ev, 1, TEST_HANG_MS) == 1 &&
		ev.epdata.data == &tag,
		"no event after restart");
	rte_pmd_netdma_intr_disable(id, 0);
	test_dev_destroy("dma_netdma4");
	close(epfd);
	return 0;
}

/*
 * A thread asleep in rte_pmd_netdma_wait() is woken by stop with -EIO,
 * before its timeout, and the wake-up leaves no count behind in the fd.
 * Guards a sleeper that sleeps out its timeout, and a stop signal that
 * stays pending for the next wait.
 */
static int
test_stop_wakes_sleeper(void)
{
	struct rte_pmd_netdma_intr_stats before, now;
	int16_t id;

	id = test_dev_create("dma_netdma5", NULL, 64);
	CHECK(id >= 0, "create");
	/* The counters belong to the data-path thread, the sleeper: read
	 * them before it starts and once it is gone. */
	rte_pmd_netdma_intr_stats_get(id, 0, &before);
	CHECK(test_stop_sleeper(id) == 0, "stop");
	rte_pmd_netdma_intr_stats_get(id, 0, &now);
	CHECK(now.sleeps == before.sleeps + 1,
		"the sleeper did not sleep before the stop: the test is void");
	CHECK(!fd_readable(rte_pmd_netdma_intr_fd(id, 0), 0),
		"the stop's wake-up is still pending");
	CHECK(rte_dma_start(id) == 0, "start");
	CHECK(rte_pmd_netdma_wait(id, 0, 20) == 0,
		"a wait after restart woke for nothing");
	test_dev_destroy("dma_netdma5");
	return 0;
}

/* Buffers of the full-ring tests: one 64-byte source and destination
 * per op of the largest ring they use. */
#define RESIZE_MAX_RING	1024

struct ring_bufs {
	uint8_t *src, *dst;
};

/*
 * Op k of a ring, to slot k % RESIZE_MAX_RING of the buffers: a copy, or
 * every third op a copy_sg that gathers two halves in swapped order.
 */
static int
ring_op(int16_t id, const struct ring_bufs *b, unsigned int k, uint64_t flags)
{
	unsigned int slot = k % RESIZE_MAX_RING;
	uint8_t *s = b->src + 64 * slot, *d = b->dst + 64 * slot;
	struct rte_dma_sge src[2] = {
		{ rte_mem_virt2iova(s + 32), 32 }, { rte_mem_virt2iova(s), 32 },
	};
	struct rte_dma_sge dst = { rte_mem_virt2iova(d), 64 };

	if (k % 3 == 2)
		return rte_dma_copy_sg(id, 0, src, &dst, 2, 1, flags);
	return rte_dma_copy(id, 0, rte_mem_virt2iova(s), rte_mem_virt2iova(d),
		64, flags);
}

static int
ring_op_check(const struct ring_bufs *b, unsigned int k)
{
	unsigned int slot = k % RESIZE_MAX_RING;
	const uint8_t *s = b->src + 64 * slot, *d = b->dst + 64 * slot;

	if (k % 3 == 2)
		CHECK(memcmp(d, s + 32, 32) == 0 && memcmp(d + 32, s, 32) == 0,
			"copy_sg op %u: data", k);
	else
		CHECK(memcmp(d, s, 64) == 0, "copy op %u: data", k);
	return 0;
}

/*
 * Fill the ring of nb_desc descriptors to nb_desc - 1 ops from id first
 * on (submitting every seventh), and see the next refused.
 */
static int
ring_fill(int16_t id, const struct ring_bufs *b, uint16_t nb_desc,
		uint16_t first)
{
	unsigned int k;

	for (k = 0; k < nb_desc - 1u; k++) {
		CHECK(rte_dma_burst_capacity(id, 0) == nb_desc - 1 - k,
			"%u in flight of %u: capacity %u", k, nb_desc,
			rte_dma_burst_capacity(id, 0));
		CHECK(ring_op(id, b, k, k % 7 == 6 ? RTE_DMA_OP_FLAG_SUBMIT :
			0) == (uint16_t)(first + k), "op %u of a ring of %u", k,
			nb_desc);
	}
	CHECK(rte_dma_burst_capacity(id, 0) == 0, "full ring: capacity");
	/* a copy and a copy_sg among the three */
	CHECK(ring_op(id, b, k, 0) == -ENOSPC &&
		ring_op(id, b, k + 1, 0) == -ENOSPC &&
		ring_op(id, b, k + 2, 0) == -ENOSPC,
		"a full ring of %u took another op", nb_desc);
	return 0;
}

/* Two laps of the ring, each filled, submitted and collected. */
static int
ring_laps(int16_t id, const struct ring_bufs *b, uint16_t nb_desc)
{
	enum rte_dma_status_code st[RESIZE_MAX_RING];
	unsigned int lap, k;
	uint16_t first = 0, last;

	for (lap = 0; lap < 2; lap++) {
		memset(b->dst, 0, 64 * RESIZE_MAX_RING);
		CHECK(ring_fill(id, b, nb_desc, first) == 0);
		CHECK(rte_dma_submit(id, 0) == 0, "submit");
		CHECK(test_collect_status(id, nb_desc - 1, &last, st) ==
			nb_desc - 1u, "ring of %u: lap %u not done", nb_desc,
			lap);
		CHECK(last == (uint16_t)(first + nb_desc - 2), "last %u", last);
		for (k = 0; k < nb_desc - 1u; k++) {
			CHECK(st[k] == RTE_DMA_STATUS_SUCCESSFUL,
				"ring of %u: op %u: status %d", nb_desc, k,
				st[k]);
			CHECK(ring_op_check(b, k) == 0, "ring of %u", nb_desc);
		}
		first += nb_desc - 1;
	}
	return 0;
}

/* A started channel after a start: no ops, no ghosts, a whole ring. */
static int
fresh_after_start(int16_t id, uint16_t nb_desc)
{
	enum rte_dma_vchan_status vs;
	uint16_t last = 0;
	bool err = true;
	int ready = 1;

	CHECK(rte_dma_burst_capacity(id, 0) == nb_desc - 1,
		"ring of %u: capacity %u after start", nb_desc,
		rte_dma_burst_capacity(id, 0));
	CHECK(rte_dma_completed(id, 0, 64, &last, &err) == 0 && !err &&
		last == 0xffff, "ghost completions after start (last_idx %u)",
		last);
	CHECK(rte_pmd_netdma_inflight(id, 0, &ready) == 0 && !ready,
		"in flight after start");
	CHECK(rte_dma_vchan_status(id, 0, &vs) == 0 &&
		vs == RTE_DMA_VCHAN_IDLE, "vchan status %d after start", vs);
	return 0;
}

/*
 * A started channel refuses configure, vchan_setup and close (-EBUSY),
 * and a second start changes nothing: its ids go on.
 */
static int
started_refusals(int16_t id, uint16_t nb_desc, const struct ring_bufs *b)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM, .nb_desc = nb_desc,
	};
	uint16_t last;
	int next;

	CHECK(rte_dma_configure(id, &conf) == -EBUSY, "configure");
	CHECK(rte_dma_vchan_setup(id, 0, &qconf) == -EBUSY, "vchan_setup");
	CHECK(rte_dma_close(id) == -EBUSY, "close");
	CHECK((next = ring_op(id, b, 0, RTE_DMA_OP_FLAG_SUBMIT)) >= 0, "op");
	CHECK(test_collect(id, 1, &last) == 1, "collect");
	CHECK(rte_dma_start(id) == 0, "start while started");
	CHECK(ring_op(id, b, 0, RTE_DMA_OP_FLAG_SUBMIT) == next + 1,
		"a second start restarted the ids");
	CHECK(test_collect(id, 1, &last) == 1, "collect");
	return 0;
}

/*
 * Stop with a full ring (nb_desc - 1 ops, some submitted, some not), then
 * set the ring up again at another size, 64, 32, 1024 and 64 again, and
 * start: a fresh channel (ids from 0, a whole ring of capacity, nothing
 * reported from before), which fills to exactly nb_desc - 1 ops, copies
 * and scatter-gather copies, and moves their bytes, two laps round. A
 * started channel refuses to be set up or closed; a stopped one stops
 * again. Guards a resize that keeps the old ring's size, mask or
 * addresses (its descriptors, its segment lists), and a stop that a full
 * ring holds up.
 */
static int
test_stop_full_ring_and_resize(void)
{
	static const uint16_t rings[] = { 64, 32, RESIZE_MAX_RING, 64 };
	struct ring_bufs b;
	unsigned int i, k;
	int16_t id;

	b.src = rte_malloc(NULL, 64 * RESIZE_MAX_RING, 64);
	b.dst = rte_malloc(NULL, 64 * RESIZE_MAX_RING, 64);
	CHECK(b.src != NULL && b.dst != NULL, "alloc");
	for (k = 0; k < 64 * RESIZE_MAX_RING; k++)
		b.src[k] = (uint8_t)rte_rand();
	id = (int16_t)test_dev_create("dma_netdma6", NULL, rings[0]);
	CHECK(id >= 0, "create");
	for (i = 0; i < RTE_DIM(rings); i++) {
		const struct rte_dma_vchan_conf qconf = {
			.direction = RTE_DMA_DIR_MEM_TO_MEM,
			.nb_desc = rings[i],
		};

		if (i > 0) {
			CHECK(rte_dma_stop(id) == 0,
				"stop with a full ring of %u", rings[i - 1]);
			CHECK(rte_dma_stop(id) == 0, "stop when stopped");
			CHECK(rte_dma_vchan_setup(id, 0, &qconf) == 0,
				"set up a ring of %u", rings[i]);
			CHECK(rte_dma_start(id) == 0, "start");
		}
		CHECK(fresh_after_start(id, rings[i]) == 0);
		CHECK(ring_laps(id, &b, rings[i]) == 0);
		CHECK(started_refusals(id, rings[i], &b) == 0);
		/* leave it full for the stop */
		CHECK(ring_fill(id, &b, rings[i],
			(uint16_t)(2 * (rings[i] - 1) + 2)) == 0);
	}
	test_dev_destroy("dma_netdma6");
	rte_free(b.src);
	rte_free(b.dst);
	return 0;
}

int
main(int argc, char **argv)
{
	int ret;

	ret = test_start(argc, argv, "");
	if (ret != 0)
		return ret;
	pg = (size_t)sysconf(_SC_PAGESIZE);
	RUN(test_stopped_device_logs_once);
	RUN(test_stop_under_load_sva);
	RUN(test_stop_under_load_strict);
	RUN(test_frozen_engine);
	RUN(test_stop_and_epoll);
	RUN(test_stop_wakes_sleeper);
	RUN(test_stop_full_ring_and_resize);
	rte_eal_cleanup();
	TEST_SUMMARY();
	return test_failed == 0 ? 0 : 1;
}
