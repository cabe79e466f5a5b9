/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Interrupts: rte_pmd_netdma_wait, arm-then-poll on the eventfd, the same
 * through rte_epoll, and arming left in place while the channel works.
 * With ops submitted and unreported, a wake-up must come; with none, a
 * wait must time out.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_epoll.h>
#include <rte_interrupts.h>

#include "rte_pmd_netdma.h"
#include "soak.h"

/*
 * A wake-up owed must come within WAKE_MS. If it does not, the engine may
 * just be starved of CPU (a loaded two-core machine): once ops are done
 * the interrupt must follow within SIGNAL_MS, and some op must be done
 * within STALL_MS. A wait that slept its whole timeout and then found ops
 * done may have missed them in its last instant; more than LATE_MAX of
 * those is a lost wake-up.
 */
#define WAKE_MS		5000
#define SIGNAL_MS	1000
#define STALL_MS	60000
#define LATE_MAX	2

static double
ms_since(uint64_t t0)
{
	return (double)(rte_get_timer_cycles() - t0) * 1e3 /
		rte_get_timer_hz();
}

static void
intr_stats(const struct soak_chan *c, struct rte_pmd_netdma_intr_stats *st)
{
	if (rte_pmd_netdma_intr_stats_get(c->dev_id, 0, st) != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_stats_get failed");
	if (st->waits != c->waits)
		soak_violation(c, NULL, "intr stats: %" PRIu64 " waits, expected %" PRIu64,
			st->waits, c->waits);
}

static bool
ops_ready(const struct soak_chan *c)
{
	int ready = 0;

	rte_pmd_netdma_inflight(c->dev_id, 0, &ready);
	return ready != 0;
}

static int
timed_wait(struct soak_chan *c, int timeout_ms)
{
	int ret = rte_pmd_netdma_wait(c->dev_id, 0, timeout_ms);

	c->waits++;
	soak.n.waits++;
	return ret;
}

void
soak_wait(struct soak_chan *c, struct soak_rng *r)
{
	static unsigned int late;
	struct rte_pmd_netdma_intr_stats before, after;
	uint64_t t0 = rte_get_timer_cycles();
	uint16_t owed;
	int ret;

	/* A wait submits what is enqueued before it sleeps. */
	soak_model_submitted(c);
	owed = chan_owed(c);
	intr_stats(c, &before);
	if (owed == 0) {
		ret = timed_wait(c, (int)rng_below(r, 3));
		if (ret != 0)
			soak_violation(c, NULL, "rte_pmd_netdma_wait returned %d with nothing submitted",
				ret);
		soak.n.waits_idle++;
		intr_stats(c, &after);
		return;
	}
	ret = timed_wait(c, WAKE_MS);
	while (ret == 0 && ms_since(t0) < STALL_MS) {
		soak.n.slow_wakes++;
		intr_stats(c, &before);
		ret = timed_wait(c, SIGNAL_MS);
	}
	if (ret != 1)
		soak_violation(c, chan_op(c, c->next_report), "rte_pmd_netdma_wait returned %d after %.1f ms with %u ops submitted and unreported",
			ret, ms_since(t0), owed);
	intr_stats(c, &after);
	if (after.timeouts != before.timeouts && ++late > LATE_MAX)
		soak_violation(c, NULL, "rte_pmd_netdma_wait slept its whole timeout and then found ops done, %u times: lost wake-ups",
			late);
	soak.n.waits_ready++;
	soak_trace(c, "wait: ready after %.2f ms, %u owed", ms_since(t0),
		owed);
}

/* The fd, or rte_epoll with the fd in its set: 1 when it fired. */
static int
fd_wait(const struct soak_chan *c, bool epoll, int fd, int timeout_ms)
{
	struct rte_epoll_event ev;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t count;
	int ret;

	if (epoll) {
		ret = rte_epoll_wait(c->epfd, &ev, 1, timeout_ms);
		if (ret == 1 && ev.epdata.data != c)
			soak_violation(c, NULL, "rte_epoll_wait: event data %p, expected %p",
				ev.epdata.data, (const void *)c);
		return ret;
	}
	ret = poll(&pfd, 1, timeout_ms);
	if (ret == 1 && read(fd, &count, sizeof(count)) != sizeof(count))
		return -errno;
	return ret;
}

/* With work owed on an armed channel, the interrupt comes. */
static void
expect_interrupt(struct soak_chan *c, bool epoll, int fd, uint16_t owed)
{
	const char *what = epoll ? "rte_epoll_wait" : "poll";
	uint64_t t0 = rte_get_timer_cycles();
	int ret = fd_wait(c, epoll, fd, WAKE_MS);

	while (ret == 0) {
		if (ops_ready(c)) {
			ret = fd_wait(c, epoll, fd, SIGNAL_MS);
			if (ret == 0)
				soak_violation(c, chan_op(c, c->next_report), "armed with %u ops owed: ops done, but %s saw no interrupt after %.1f ms",
					owed, what, ms_since(t0));
			break;
		}
		if (ms_since(t0) > STALL_MS)
			soak_violation(c, chan_op(c, c->next_report), "armed with %u ops owed: none done after %.1f ms",
				owed, ms_since(t0));
		soak.n.slow_wakes++;
		ret = fd_wait(c, epoll, fd, SIGNAL_MS);
	}
	if (ret != 1)
		soak_violation(c, NULL, "%s returned %d", what, ret);
}

/*
 * Arm, maybe submit a burst while armed (its tail asks for the
 * interrupt), then sleep on the fd or on the channel's epoll set. The fd
 * often stays in the set afterwards: a stop or unplug must take it out.
 */
void
soak_arm_poll(struct soak_chan *c, struct soak_rng *r, bool epoll)
{
	int fd = rte_pmd_netdma_intr_fd(c->dev_id, 0);
	uint64_t t0;
	uint16_t owed;
	int ret;

	if (fd < 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_fd: %d", fd);
	if (epoll && !c->epoll_added) {
		ret = rte_pmd_netdma_intr_ctl(c->dev_id, 0, c->epfd,
			RTE_INTR_EVENT_ADD, c);
		if (ret != 0)
			soak_violation(c, NULL, "intr_ctl add: %d", ret);
		c->epoll_added = true;
	}
	ret = rte_pmd_netdma_intr_enable(c->dev_id, 0);
	if (ret != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_enable: %d", ret);
	if (rng_chance(r, 600))
		soak_burst(c, r, rng_range(r, 1, 8), 64u << 10, 50, true);
	owed = chan_owed(c);
	t0 = rte_get_timer_cycles();
	if (owed > 0)
		expect_interrupt(c, epoll, fd, owed);
	ret = rte_pmd_netdma_intr_disable(c->dev_id, 0);
	if (ret != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_disable: %d",
			ret);
	if (epoll) {
		if (rng_chance(r, 600)) {
			ret = rte_pmd_netdma_intr_ctl(c->dev_id, 0, c->epfd,
				RTE_INTR_EVENT_DEL, c);
			if (ret != 0)
				soak_violation(c, NULL, "intr_ctl del: %d",
					ret);
			c->epoll_added = false;
		}
		soak.n.epolls++;
	} else {
		soak.n.arm_polls++;
	}
	soak_trace(c, "armed %s: %u owed, woken after %.2f ms",
		epoll ? "with epoll" : "with poll", owed, ms_since(t0));
}

/* Arm and leave it: later batches carry the interrupt flag until a
 * wait or a stop disarms the channel. */
void
soak_arm(struct soak_chan *c)
{
	int ret = rte_pmd_netdma_intr_enable(c->dev_id, 0);

	if (ret != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_enable: %d", ret);
	soak.n.arms++;
	soak_trace(c, "armed");
}

/*
 * After a stop, an fd left in an epoll set is out of it: an interrupt
 * raised now (by hand; the engine raises none) wakes no rte_epoll_wait.
 */
void
soak_intr_after_stop(struct soak_chan *c)
{
	struct rte_epoll_event ev;
	int fd = rte_pmd_netdma_intr_fd(c->dev_id, 0);
	uint64_t one = 1;
	int ret;

	if (!c->epoll_added)
		return;
	c->epoll_added = false;
	if (fd < 0 || write(fd, &one, sizeof(one)) != sizeof(one))
		soak_violation(c, NULL, "cannot raise the interrupt fd %d by hand",
			fd);
	ret = rte_epoll_wait(c->epfd, &ev, 1, 0);
	if (ret != 0)
		soak_violation(c, NULL, "rte_epoll_wait after stop: %d, expected 0: the stop left the interrupt fd in the epoll set",
			ret);
	/* A stopped channel's disable empties the fd. */
	ret = rte_pmd_netdma_intr_disable(c->dev_id, 0);
	if (ret != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_disable after stop: %d",
			ret);
	soak.n.epoll_stop_checks++;
}
