/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Interrupt-mode tests of rte_pmd_netdma.h: arming policy, the lost-wakeup
 * race, disarm with an interrupt pending, stop and close while armed,
 * rte_epoll add/remove, errors while armed, the EAL interrupt thread as
 * consumer, and a long arm/submit/wait stress that counts every job id.
 */

#include <poll.h>
#include <unistd.h>

#include <rte_epoll.h>
#include <rte_interrupts.h>

#include "rte_pmd_netdma.h"
#include "test_common.h"

TEST_DEFINE_COUNTERS;

#define DEV0 "dma_netdma0"

static int16_t dev0 = -1;
static uint8_t *buf;
static unsigned long stress_cycles = 200000;

static bool
fd_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) == 1;
}

static int
copy1(int16_t id, uint64_t flags)
{
	return rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 2048), 64, flags);
}

/* Wait until the engine has finished everything submitted. */
static void
await_idle(int16_t id)
{
	enum rte_dma_vchan_status st;
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz();

	do {
		rte_dma_vchan_status(id, 0, &st);
	} while (st == RTE_DMA_VCHAN_ACTIVE && rte_get_timer_cycles() < end);
}

static int
test_bad_ids(void)
{
	CHECK(rte_pmd_netdma_intr_enable(-1, 0) == -EINVAL, "dev -1");
	CHECK(rte_pmd_netdma_intr_enable(dev0, 1) == -EINVAL, "vchan 1");
	CHECK(rte_pmd_netdma_wait(99, 0, 0) == -EINVAL, "dev 99");
	CHECK(rte_pmd_netdma_intr_fd(dev0, 0) >= 0, "fd");
	CHECK(rte_pmd_netdma_intr_ctl(dev0, 0, RTE_EPOLL_PER_THREAD, 42,
		NULL) == -EINVAL, "bad op");
	return 0;
}

/* Not armed: the driver flags nothing, so completions raise no interrupt. */
static int
test_no_interrupt_unarmed(void)
{
	int fd = rte_pmd_netdma_intr_fd(dev0, 0);
	uint16_t last;

	rte_pmd_netdma_intr_disable(dev0, 0);
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(test_collect(dev0, 1, &last) == 1, "completion");
	CHECK(!fd_readable(fd, 20), "interrupt while not armed");
	return 0;
}

/* Armed before submit: the batch tail carries INT_ON_COMPL. */
static int
test_wake_on_completion(void)
{
	int fd = rte_pmd_netdma_intr_fd(dev0, 0);
	uint16_t last;

	CHECK(rte_pmd_netdma_intr_enable(dev0, 0) == 0, "enable");
	CHECK(!fd_readable(fd, 0), "interrupt with nothing done");
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(fd_readable(fd, 1000), "no interrupt for the completion");
	CHECK(rte_pmd_netdma_intr_disable(dev0, 0) == 0, "disable");
	CHECK(test_collect(dev0, 1, &last) == 1, "completion");
	return 0;
}

/*
 * The lost-wakeup race, from both sides: completions that land before the
 * arm (enable must signal at once), and a batch submitted unarmed that
 * completes after the arm (the idle interrupt must fire).
 */
static int
test_lost_wakeup_race(void)
{
	int fd = rte_pmd_netdma_intr_fd(dev0, 0);
	uint16_t last;
	unsigned int i;

	/* completion already there when arming */
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	await_idle(dev0);
	CHECK(rte_pmd_netdma_intr_enable(dev0, 0) == 0, "enable");
	CHECK(fd_readable(fd, 0), "pending completion did not signal");
	rte_pmd_netdma_intr_disable(dev0, 0);
	CHECK(test_collect(dev0, 1, &last) == 1, "collect");

	/* submitted unarmed, big enough to still be running at the arm */
	for (i = 0; i < 50; i++) {
		CHECK(rte_dma_copy(dev0, 0, rte_mem_virt2iova(buf),
			rte_mem_virt2iova(buf + (1 << 20)), 1 << 20,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "big copy");
		CHECK(rte_pmd_netdma_wait(dev0, 0, 1000) == 1,
			"wait missed a batch submitted before arming (%u)", i);
		CHECK(test_collect(dev0, 1, &last) == 1, "collect");
	}
	return 0;
}

/* inflight: what is submitted and not yet collected, and whether some
 * of it can be collected now. */
static int
test_inflight(void)
{
	uint16_t last;
	int ready = -1;

	CHECK(rte_pmd_netdma_inflight(dev0, 0, &ready) == 0 && ready == 0,
		"idle channel: inflight or ready");
	CHECK(copy1(dev0, 0) >= 0 && copy1(dev0, 0) >= 0, "enqueue");
	CHECK(rte_pmd_netdma_inflight(dev0, 0, &ready) == 2 && ready == 0,
		"enqueued, not submitted: 2 in flight, none ready");
	rte_dma_submit(dev0, 0);
	await_idle(dev0);
	CHECK(rte_pmd_netdma_inflight(dev0, 0, &ready) == 2 && ready == 1,
		"done, not collected: ready");
	CHECK(test_collect(dev0, 2, &last) == 2, "collect");
	CHECK(rte_pmd_netdma_inflight(dev0, 0, &ready) == 0 && ready == 0,
		"collected");
	CHECK(rte_pmd_netdma_inflight(dev0, 3, NULL) == -EINVAL, "vchan 3");
	return 0;
}

static int
test_wait_timeout_and_result(void)
{
	uint64_t t0;
	uint16_t last;
	int ret;

	t0 = rte_get_timer_cycles();
	ret = rte_pmd_netdma_wait(dev0, 0, 30);
	CHECK(ret == 0, "idle wait returned %d", ret);
	CHECK(rte_get_timer_cycles() - t0 >= rte_get_timer_hz() / 50,
		"returned before the timeout");
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(rte_pmd_netdma_wait(dev0, 0, 1000) == 1, "wait");
	CHECK(rte_dma_completed(dev0, 0, 4, &last, NULL) == 1,
		"wait said ready but nothing to collect");
	return 0;
}

/* Disarm with an interrupt pending: it is discarded, no stale wake-up. */
static int
test_disarm_with_pending(void)
{
	int fd = rte_pmd_netdma_intr_fd(dev0, 0);
	uint16_t last;

	CHECK(rte_pmd_netdma_intr_enable(dev0, 0) == 0, "enable");
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(fd_readable(fd, 1000), "no interrupt");
	CHECK(rte_pmd_netdma_intr_disable(dev0, 0) == 0, "disable");
	CHECK(!fd_readable(fd, 0), "interrupt still pending after disarm");
	CHECK(test_collect(dev0, 1, &last) == 1, "collect");
	CHECK(rte_pmd_netdma_wait(dev0, 0, 20) == 0,
		"stale interrupt woke an idle wait");
	return 0;
}

/* One-shot: after firing, nothing more until re-armed. */
static int
test_one_shot(void)
{
	int fd = rte_pmd_netdma_intr_fd(dev0, 0);
	uint64_t cnt;
	uint16_t last;

	CHECK(rte_pmd_netdma_intr_enable(dev0, 0) == 0, "enable");
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(fd_readable(fd, 1000), "no interrupt");
	CHECK(read(fd, &cnt, sizeof(cnt)) == sizeof(cnt), "read");
	/* still "armed" in the driver (tail flags), but the engine's
	 * one-shot was used: no second interrupt */
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy 2");
	await_idle(dev0);
	CHECK(!fd_readable(fd, 20), "second interrupt without re-arm");
	rte_pmd_netdma_intr_disable(dev0, 0);
	CHECK(test_collect(dev0, 2, &last) == 2, "collect");
	return 0;
}

static int
test_error_while_armed(void)
{
	enum rte_dma_status_code st;
	uint16_t last;

	CHECK(rte_dma_copy(dev0, 0, 0, rte_mem_virt2iova(buf), 64,
		RTE_DMA_OP_FLAG_SUBMIT) >= 0, "bad copy");
	CHECK(rte_pmd_netdma_wait(dev0, 0, 1000) == 1, "error did not wake");
	CHECK(rte_dma_completed_status(dev0, 0, 1, &last, &st) == 1 &&
		st == RTE_DMA_STATUS_INVALID_SRC_ADDR, "status %d", st);
	/* and the channel goes on working in interrupt mode */
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(rte_pmd_netdma_wait(dev0, 0, 1000) == 1, "wait after error");
	CHECK(test_collect(dev0, 1, &last) == 1, "collect");
	return 0;
}

static int
test_epoll_add_remove(void)
{
	struct rte_epoll_event ev[4];
	static int tag;
	uint16_t last;
	int n;

	CHECK(rte_pmd_netdma_intr_ctl(dev0, 0, RTE_EPOLL_PER_THREAD,
		RTE_INTR_EVENT_ADD, &tag) == 0, "add");
	CHECK(rte_pmd_netdma_intr_ctl(dev0, 0, RTE_EPOLL_PER_THREAD,
		RTE_INTR_EVENT_ADD, &tag) == -EEXIST, "double add");

	CHECK(rte_pmd_netdma_intr_enable(dev0, 0) == 0, "enable");
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), 1000);
	CHECK(n == 1 && ev[0].epdata.data == &tag, "epoll_wait %d", n);
	rte_pmd_netdma_intr_disable(dev0, 0);
	CHECK(test_collect(dev0, 1, &last) == 1, "collect");
	/* rte_epoll's callback drained the fd */
	CHECK(!fd_readable(rte_pmd_netdma_intr_fd(dev0, 0), 0),
		"fd not drained by rte_epoll");

	CHECK(rte_pmd_netdma_intr_ctl(dev0, 0, RTE_EPOLL_PER_THREAD,
		RTE_INTR_EVENT_DEL, &tag) == 0, "del");
	CHECK(rte_pmd_netdma_intr_enable(dev0, 0) == 0, "enable");
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), 50);
	CHECK(n == 0, "event after removal (%d)", n);
	rte_pmd_netdma_intr_disable(dev0, 0);
	CHECK(test_collect(dev0, 1, &last) == 1, "collect");
	return 0;
}

static volatile unsigned int eal_thread_calls;

static void
eal_thread_cb(void *arg)
{
	uint64_t cnt;

	/* EAL's thread does not drain EXT handles: the consumer does. */
	if (read(*(int *)arg, &cnt, sizeof(cnt)) == sizeof(cnt))
		__atomic_fetch_add(&eal_thread_calls, 1, __ATOMIC_RELEASE);
}

static int
test_eal_interrupt_thread(void)
{
	struct rte_intr_handle *h = rte_intr_instance_alloc(0);
	static int fd;
	uint64_t end;
	uint16_t last;

	CHECK(h != NULL, "alloc");
	fd = rte_pmd_netdma_intr_fd(dev0, 0);
	rte_intr_type_set(h, RTE_INTR_HANDLE_EXT);
	rte_intr_fd_set(h, fd);
	CHECK(rte_intr_callback_register(h, eal_thread_cb, &fd) == 0,
		"register");
	CHECK(rte_pmd_netdma_intr_enable(dev0, 0) == 0, "enable");
	CHECK(copy1(dev0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	end = rte_get_timer_cycles() + rte_get_timer_hz();
	while (__atomic_load_n(&eal_thread_calls, __ATOMIC_ACQUIRE) == 0 &&
			rte_get_timer_cycles() < end)
		rte_delay_us_sleep(100);
	CHECK(eal_thread_calls == 1, "EAL thread callback ran %u times",
		eal_thread_calls);
	rte_pmd_netdma_intr_disable(dev0, 0);
	CHECK(test_collect(dev0, 1, &last) == 1, "collect");
	while (rte_intr_callback_unregister(h, eal_thread_cb, &fd) == -EAGAIN)
		rte_delay_us_sleep(100);
	rte_intr_instance_free(h);
	return 0;
}

/* intr_delay_us: the engine holds the interrupt for the coalescing delay,
 * so several completions in that window make one wake-up. */
static int
test_intr_delay_devarg(void)
{
	struct rte_pmd_netdma_intr_stats before, after;
	uint64_t t0, elapsed_us;
	uint16_t last;
	int id, fd, i;

	id = test_dev_create("dma_netdma4", "intr_delay_us=3000,spin_us=5", 64);
	CHECK(id >= 0, "create");
	fd = rte_pmd_netdma_intr_fd(id, 0);
	CHECK(rte_pmd_netdma_intr_enable(id, 0) == 0, "arm");
	t0 = rte_get_timer_cycles();
	for (i = 0; i < 3; i++) {
		CHECK(copy1(id, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
		rte_delay_us_block(300);
	}
	CHECK(fd_readable(fd, 1000), "no interrupt");
	elapsed_us = (rte_get_timer_cycles() - t0) * 1000000 /
		rte_get_timer_hz();
	CHECK(elapsed_us >= 2800, "interrupt after %" PRIu64 " us, before the"
		" 3000 us delay", elapsed_us);
	rte_pmd_netdma_intr_disable(id, 0);
	CHECK(test_collect(id, 3, &last) == 3, "collect");

	/* and wait() sleeps through the delay exactly once */
	rte_pmd_netdma_intr_stats_get(id, 0, &before);
	CHECK(copy1(id, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	await_idle(id);
	CHECK(test_collect(id, 1, &last) == 1, "collect");
	CHECK(copy1(id, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(rte_pmd_netdma_wait(id, 0, 1000) == 1, "wait");
	rte_pmd_netdma_intr_stats_get(id, 0, &after);
	CHECK(after.timeouts == before.timeouts, "wait timed out");
	CHECK(test_collect(id, 1, &last) == 1, "collect");
	test_dev_destroy("dma_netdma4");
	return 0;
}

/* Asleep in wait() on an armed channel until a stop ends it with -EIO. */
static int
sleeper(void *arg)
{
	int ret = rte_pmd_netdma_wait(*(int16_t *)arg, 0, 5000);

	CHECK(ret == -EIO, "sleeper got %d, expected -EIO", ret);
	return 0;
}

/* Stop and close with the channel armed and a thread asleep on it. */
static int
test_stop_close_while_armed(void)
{
	struct check_thread t;
	struct rte_epoll_event ev;
	int stopped, slept;
	uint64_t t0;
	int16_t id;

	id = test_dev_create("dma_netdma3", NULL, 64);
	CHECK(id >= 0, "create");
	CHECK(rte_pmd_netdma_intr_ctl(id, 0, RTE_EPOLL_PER_THREAD,
		RTE_INTR_EVENT_ADD, NULL) == 0, "epoll add");
	t0 = rte_get_timer_cycles();
	CHECK(check_thread_start(&t, sleeper, &id) == 0, "thread");
	rte_delay_ms(50);
	stopped = rte_dma_stop(id);
	slept = check_thread_join(&t);
	CHECK(stopped == 0, "stop while armed");
	CHECK(slept == 0, "sleeper");
	CHECK(rte_get_timer_cycles() - t0 < rte_get_timer_hz(),
		"sleeper was not woken by stop");
	CHECK(rte_pmd_netdma_wait(id, 0, 10) == -EIO, "wait when stopped");
	CHECK(rte_pmd_netdma_intr_enable(id, 0) == -EIO, "enable when stopped");

	/* close with the fd still in this thread's epoll set */
	CHECK(rte_dma_start(id) == 0, "restart");
	CHECK(rte_pmd_netdma_intr_enable(id, 0) == 0, "arm");
	CHECK(rte_dma_stop(id) == 0 && rte_dma_close(id) == 0, "close");
	CHECK(rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, 20) <= 0,
		"event from a closed device");
	rte_vdev_uninit("dma_netdma3");
	return 0;
}

/*
 * The stress: each cycle arms, submits a small burst (before or after
 * the arm), sleeps in rte_pmd_netdma_wait, then collects. No wait may time
 * out, and every job id must come back exactly once, in order.
 */
static int
test_stress_arm_submit_wait(void)
{
	uint16_t expect = 0, last;
	unsigned long cycle, sleeps_timed_out = 0, ids = 0;
	struct rte_pmd_netdma_intr_stats before, after;
	int first = -1;

	rte_pmd_netdma_intr_stats_get(dev0, 0, &before);

	for (cycle = 0; cycle < stress_cycles; cycle++) {
		unsigned int burst = 1 + cycle % 3, i, got = 0;
		bool before = cycle & 1;
		int ret;

		for (i = 0; i < burst; i++) {
			ret = copy1(dev0, 0);
			CHECK(ret >= 0, "enqueue at cycle %lu", cycle);
			if (first < 0)
				first = ret, expect = (uint16_t)ret;
		}
		if (before)
			rte_dma_submit(dev0, 0);
		CHECK(rte_pmd_netdma_intr_enable(dev0, 0) == 0, "arm");
		if (!before)
			rte_dma_submit(dev0, 0);
		ret = rte_pmd_netdma_wait(dev0, 0, 2000);
		if (ret != 1) {
			sleeps_timed_out++;
			rte_dma_dump(dev0, stderr);
		}
		CHECK(ret == 1, "wait returned %d at cycle %lu (%s submit)",
			ret, cycle, before ? "before" : "after");
		rte_pmd_netdma_intr_disable(dev0, 0);
		while (got < burst) {
			bool err = false;
			uint16_t n = rte_dma_completed(dev0, 0, burst - got,
				&last, &err);

			CHECK(!err, "error");
			got += n;
		}
		CHECK(last == (uint16_t)(expect + burst - 1),
			"cycle %lu: last id %u, expected %u", cycle, last,
			(uint16_t)(expect + burst - 1));
		expect += burst;
		ids += burst;
	}
	CHECK(rte_dma_completed(dev0, 0, 8, &last, NULL) == 0,
		"an id came back twice");
	CHECK(rte_pmd_netdma_intr_stats_get(dev0, 0, &after) == 0, "stats");
	printf("    %lu cycles, %lu job ids, %lu lost wake-ups; %" PRIu64
		" sleeps in %" PRIu64 " waits, %" PRIu64 " woken by the interrupt"
		" (%" PRIu64 " late ones slept through)\n",
		stress_cycles, ids, sleeps_timed_out,
		after.sleeps - before.sleeps, after.waits - before.waits,
		after.wakeups - before.wakeups,
		after.spurious - before.spurious);
	CHECK(after.waits - before.waits == stress_cycles, "waits counted");
	CHECK(after.timeouts == before.timeouts, "a sleep timed out");
	/* the race must really be exercised: many cycles slept */
	CHECK(after.sleeps - before.sleeps >= stress_cycles / 10,
		"only %" PRIu64 " sleeps", after.sleeps - before.sleeps);
	CHECK(after.wakeups - before.wakeups == after.sleeps - before.sleeps,
		"a sleep ended without an interrupt");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s <librte_dma_netdma.so> [stress cycles]\n",
			argv[0]);
		return 2;
	}
	if (argc > 2)
		stress_cycles = strtoul(argv[2], NULL, 0);
	if (test_eal_init(argv[0], argv[1], "0") < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	buf = rte_zmalloc(NULL, 2 << 20, 64);
	dev0 = test_dev_create(DEV0, "spin_us=5", 256);
	if (buf == NULL || dev0 < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	RUN(test_bad_ids);
	RUN(test_no_interrupt_unarmed);
	RUN(test_wake_on_completion);
	RUN(test_lost_wakeup_race);
	RUN(test_inflight);
	RUN(test_wait_timeout_and_result);
	RUN(test_disarm_with_pending);
	RUN(test_one_shot);
	RUN(test_error_while_armed);
	RUN(test_epoll_add_remove);
	RUN(test_eal_interrupt_thread);
	RUN(test_stop_close_while_armed);
	RUN(test_intr_delay_devarg);
	RUN(test_stress_arm_submit_wait);
	test_dev_destroy(DEV0);
	rte_free(buf);
	rte_eal_cleanup();
	TEST_SUMMARY();
	return test_failed == 0 ? 0 : 1;
}
