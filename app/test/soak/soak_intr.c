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

#define WAKE_TIMEOUT_MS	5000

static double
ms_since(uint64_t t0)
{
	return (double)(rte_get_timer_cycles() - t0) * 1e3 /
		rte_get_timer_hz();
}

static void
check_wait_count(const struct soak_chan *c)
{
	struct rte_pmd_netdma_intr_stats st;

	if (rte_pmd_netdma_intr_stats_get(c->dev_id, 0, &st) != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_stats_get failed");
	if (st.waits != c->waits)
		soak_violation(c, NULL, "intr stats: %" PRIu64 " waits, expected %" PRIu64,
			st.waits, c->waits);
}

void
soak_wait(struct soak_chan *c, struct soak_rng *r)
{
	uint16_t owed = chan_owed(c);
	int timeout = owed > 0 ? WAKE_TIMEOUT_MS : (int)rng_below(r, 3);
	uint64_t t0 = rte_get_timer_cycles();
	int ret = rte_pmd_netdma_wait(c->dev_id, 0, timeout);

	c->waits++;
	soak.n.waits++;
	if (owed > 0 && ret != 1)
		soak_violation(c, chan_op(c, c->next_report), "rte_pmd_netdma_wait returned %d after %.1f ms with %u ops submitted and unreported",
			ret, ms_since(t0), owed);
	if (owed == 0 && ret != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_wait returned %d with nothing submitted",
			ret);
	soak.n.waits_ready += ret == 1;
	soak.n.waits_idle += ret == 0;
	soak_trace(c, "wait: %d after %.2f ms, %u owed", ret, ms_since(t0),
		owed);
	check_wait_count(c);
}

/*
 * Arm, maybe submit a burst while armed (its tail asks for the
 * interrupt), then sleep on the fd or on rte_epoll: with work owed, the
 * interrupt must come.
 */
void
soak_arm_poll(struct soak_chan *c, struct soak_rng *r, bool epoll)
{
	struct rte_epoll_event ev;
	struct pollfd pfd;
	uint64_t t0, count;
	int fd = rte_pmd_netdma_intr_fd(c->dev_id, 0);
	uint16_t owed;
	int ret;

	if (fd < 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_fd: %d", fd);
	if (epoll) {
		ret = rte_pmd_netdma_intr_ctl(c->dev_id, 0,
			RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD, c);
		if (ret != 0)
			soak_violation(c, NULL, "intr_ctl add: %d", ret);
	}
	ret = rte_pmd_netdma_intr_enable(c->dev_id, 0);
	if (ret != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_enable: %d", ret);
	if (rng_chance(r, 600))
		soak_burst(c, r, rng_range(r, 1, 8), 64u << 10, 50, true);
	owed = chan_owed(c);
	t0 = rte_get_timer_cycles();
	if (owed > 0) {
		if (epoll) {
			ret = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1,
				WAKE_TIMEOUT_MS);
			if (ret == 1 && ev.epdata.data != c)
				soak_violation(c, NULL, "rte_epoll_wait: event data %p, expected %p",
					ev.epdata.data, (void *)c);
		} else {
			pfd.fd = fd;
			pfd.events = POLLIN;
			pfd.revents = 0;
			ret = poll(&pfd, 1, WAKE_TIMEOUT_MS);
			if (ret == 1 && read(fd, &count, sizeof(count)) !=
					sizeof(count))
				ret = -errno;
		}
		if (ret != 1)
			soak_violation(c, chan_op(c, c->next_report), "armed with %u ops owed: %s returned %d after %.1f ms",
				owed, epoll ? "rte_epoll_wait" : "poll", ret,
				ms_since(t0));
	}
	ret = rte_pmd_netdma_intr_disable(c->dev_id, 0);
	if (ret != 0)
		soak_violation(c, NULL, "rte_pmd_netdma_intr_disable: %d",
			ret);
	if (epoll) {
		ret = rte_pmd_netdma_intr_ctl(c->dev_id, 0,
			RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, c);
		if (ret != 0)
			soak_violation(c, NULL, "intr_ctl del: %d", ret);
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
