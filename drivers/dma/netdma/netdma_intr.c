/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Completion interrupts. The engine's per-channel eventfd is wrapped in an
 * rte_intr_handle so it plugs into rte_epoll the way an ethdev Rx queue
 * vector does; arming and disarming are CHANCTRL bits plus the driver's
 * policy of flagging batch tails only while armed.
 */

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dmadev_pmd.h>
#include <rte_epoll.h>
#include <rte_interrupts.h>

#include "netdma_internal.h"
#include "rte_pmd_netdma.h"

#define NETDMA_ARMED_CTRL (NETDMA_CTRL_INT_REARM | NETDMA_CTRL_INT_ON_IDLE | \
		NETDMA_CTRL_ERR_INT_EN)

static int
irq_fd(const struct netdma_dev *nd)
{
	return rte_intr_fd_get(nd->intr);
}

static void
irq_drain(const struct netdma_dev *nd)
{
	uint64_t count;

	/* Non-blocking eventfd: one read empties it. */
	if (read(irq_fd(nd), &count, sizeof(count)) < 0 && errno != EAGAIN)
		NETDMA_LOG(DEBUG, "%s: irq drain: %s", nd->name,
			strerror(errno));
}

static void
irq_signal(const struct netdma_dev *nd)
{
	uint64_t one = 1;

	if (write(irq_fd(nd), &one, sizeof(one)) < 0)
		NETDMA_LOG(DEBUG, "%s: irq signal: %s", nd->name,
			strerror(errno));
}

int
netdma_intr_setup(struct netdma_dev *nd)
{
	int fd = nd->hw.irq_fd;

	nd->intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (nd->intr == NULL)
		return -ENOMEM;
	/* VDEV type: rte_epoll's own callback reads efd_counter_size bytes,
	 * which drains the eventfd for the application. */
	if (rte_intr_type_set(nd->intr, RTE_INTR_HANDLE_VDEV) != 0 ||
			rte_intr_fd_set(nd->intr, fd) != 0 ||
			rte_intr_efd_counter_size_set(nd->intr,
				sizeof(uint64_t)) != 0 ||
			rte_intr_efds_index_set(nd->intr, 0, fd) != 0 ||
			rte_intr_nb_efd_set(nd->intr, 1) != 0 ||
			rte_intr_max_intr_set(nd->intr, 1) != 0) {
		NETDMA_LOG(ERR, "%s: cannot set up interrupt handle", nd->name);
		netdma_intr_teardown(nd);
		return -EINVAL;
	}
	return 0;
}

void
netdma_intr_teardown(struct netdma_dev *nd)
{
	if (nd->intr == NULL)
		return;
	rte_intr_free_epoll_fd(nd->intr);
	rte_intr_instance_free(nd->intr);
	nd->intr = NULL;
}

/*
 * Device stop, after RESET (which disarmed the channel): take the fd out
 * of every rte_epoll set it was added to, then wake a thread asleep in
 * rte_pmd_netdma_wait() so it sees the stop rather than sleep out its
 * timeout; it drains the fd when it leaves. With no sleeper, drain it
 * here: nothing pending survives a stop. running is already false: a
 * store-then-load handshake with wait()'s, both sequentially consistent,
 * so either it sees the stop before sleeping or we see it asleep.
 */
void
netdma_intr_quiesce(struct netdma_dev *nd)
{
	if (nd->intr == NULL)
		return;
	/* intr_armed belongs to the data-path thread, which may be asleep
	 * here: start clears it, before that thread runs again. */
	rte_intr_free_epoll_fd(nd->intr);
	if (__atomic_load_n(&nd->sleeping, __ATOMIC_SEQ_CST))
		irq_signal(nd);
	else
		irq_drain(nd);
}

/* Device start: nothing pending from before, nothing armed. */
void
netdma_intr_reset(struct netdma_dev *nd)
{
	nd->intr_armed = 0;
	irq_drain(nd);
}

static struct netdma_dev *
lookup(int16_t dev_id, uint16_t vchan)
{
	struct netdma_dev *nd = netdma_dev_get(dev_id);

	if (nd == NULL) {
		NETDMA_LOG(ERR, "dmadev %d is not a netdma device", dev_id);
		return NULL;
	}
	if (vchan != 0) {
		NETDMA_LOG(ERR, "%s: no vchan %u", nd->name, vchan);
		return NULL;
	}
	return nd;
}

static bool
started(const struct netdma_dev *nd)
{
	/* not dev_started: dmadev clears that only after dev_stop returns,
	 * too late for a sleeper woken by the stop */
	return __atomic_load_n(&nd->running, __ATOMIC_SEQ_CST);
}

static bool
completions_ready(const struct netdma_dev *nd)
{
	uint64_t sts = status_line_read_sc(nd);
	bool halted;

	return ops_done(nd, sts, &halted) != 0 || halted;
}

/*
 * Arm, then look: the RMW on CHANCTRL and the re-check of the status line
 * are sequentially consistent, and so are the engine's status store and
 * its CHANCTRL load after it (spec 8.4): either we see its completion
 * here or it sees our arm bits.
 */
static bool
arm(struct netdma_dev *nd)
{
	nd->intr_armed = 1;
	netdma_chanctrl_set(nd->regs, NETDMA_ARMED_CTRL);
	return completions_ready(nd);
}

static void
disarm(struct netdma_dev *nd)
{
	nd->intr_armed = 0;
	netdma_chanctrl_clear(nd->regs, NETDMA_ARMED_CTRL);
}

int
rte_pmd_netdma_intr_enable(int16_t dev_id, uint16_t vchan)
{
	struct netdma_dev *nd = lookup(dev_id, vchan);

	if (nd == NULL)
		return -EINVAL;
	if (!started(nd)) {
		netdma_log_stopped_call(nd, "intr_enable");
		return -EIO;
	}
	if (arm(nd))
		irq_signal(nd);
	return 0;
}

int
rte_pmd_netdma_intr_disable(int16_t dev_id, uint16_t vchan)
{
	struct netdma_dev *nd = lookup(dev_id, vchan);

	if (nd == NULL)
		return -EINVAL;
	disarm(nd);
	irq_drain(nd);
	return 0;
}

int
rte_pmd_netdma_intr_ctl(int16_t dev_id, uint16_t vchan, int epfd, int op,
		void *data)
{
	struct netdma_dev *nd = lookup(dev_id, vchan);
	int ret;

	if (nd == NULL)
		return -EINVAL;
	if (op != RTE_INTR_EVENT_ADD && op != RTE_INTR_EVENT_DEL) {
		NETDMA_LOG(ERR, "%s: intr_ctl op %d unknown", nd->name, op);
		return -EINVAL;
	}
	ret = rte_intr_rx_ctl(nd->intr, epfd, op, RTE_INTR_VEC_RXTX_OFFSET,
			data);
	/* Stop already took the fd out of its sets: deleting it again, as
	 * an application tidying up after stop does, is no error. */
	if (ret != 0 && op == RTE_INTR_EVENT_DEL && !started(nd))
		return 0;
	if (ret != 0 && !(op == RTE_INTR_EVENT_ADD && ret == -EEXIST))
		NETDMA_LOG(ERR, "%s: intr_ctl %s on epfd %d failed: %d",
			nd->name, op == RTE_INTR_EVENT_ADD ? "add" : "del",
			epfd, ret);
	return ret;
}

int
rte_pmd_netdma_intr_fd(int16_t dev_id, uint16_t vchan)
{
	struct netdma_dev *nd = lookup(dev_id, vchan);

	return nd == NULL ? -EINVAL : irq_fd(nd);
}

int
rte_pmd_netdma_inflight(int16_t dev_id, uint16_t vchan, int *ready)
{
	struct netdma_dev *nd = lookup(dev_id, vchan);

	if (nd == NULL)
		return -EINVAL;
	/* A stop dropped whatever was in flight: none is owed. */
	if (!started(nd)) {
		if (ready != NULL)
			*ready = 0;
		return 0;
	}
	if (ready != NULL)
		*ready = completions_ready(nd);
	return (uint16_t)(nd->next_submit - nd->next_read);
}

int
rte_pmd_netdma_intr_stats_get(int16_t dev_id, uint16_t vchan,
		struct rte_pmd_netdma_intr_stats *stats)
{
	struct netdma_dev *nd = lookup(dev_id, vchan);

	if (nd == NULL || stats == NULL)
		return -EINVAL;
	stats->waits = nd->waits;
	stats->sleeps = nd->sleeps;
	stats->wakeups = nd->wakeups;
	stats->timeouts = nd->timeouts;
	stats->spurious = nd->spurious;
	return 0;
}

/*
 * An interrupt can arrive late: the engine may have consumed the arm for
 * an earlier batch the caller already collected, and its eventfd write
 * lands during this sleep. Such a wake-up finds nothing ready; it is
 * counted as spurious and the wait goes on for the time that is left.
 */
int
rte_pmd_netdma_wait(int16_t dev_id, uint16_t vchan, int timeout_ms)
{
	struct netdma_dev *nd = lookup(dev_id, vchan);
	uint64_t hz = rte_get_timer_hz(), deadline = 0;
	struct pollfd pfd;
	int ret, left = timeout_ms;

	if (nd == NULL)
		return -EINVAL;
	if (!started(nd)) {
		netdma_log_stopped_call(nd, "wait");
		return -EIO;
	}
	nd->waits++;
	/* Ops enqueued but not submitted would never run, and this sleep
	 * would last its whole timeout: they go to the engine first. */
	if (nd->next_write != nd->next_submit)
		rte_dma_submit(dev_id, vchan);
	if (timeout_ms > 0)
		deadline = rte_get_timer_cycles() + hz * timeout_ms / 1000;
	for (;;) {
		/* A count left from an earlier interrupt must not end this
		 * sleep; anything newer is caught by the check in arm(). */
		irq_drain(nd);
		if (arm(nd)) {
			disarm(nd);
			return 1;
		}
		nd->sleeps++;
		pfd.fd = irq_fd(nd);
		pfd.events = POLLIN;
		pfd.revents = 0;
		__atomic_store_n(&nd->sleeping, true, __ATOMIC_SEQ_CST);
		ret = started(nd) ? poll(&pfd, 1, left < 0 ? -1 : left) : 0;
		__atomic_store_n(&nd->sleeping, false, __ATOMIC_RELAXED);
		if (!started(nd)) {
			irq_drain(nd);	/* stop's wake-up, see quiesce */
			return -EIO;
		}
		disarm(nd);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret == 0) {
			nd->timeouts++;
			return completions_ready(nd) ? 1 : 0;
		}
		if (ret > 0)
			nd->wakeups++;
		if (completions_ready(nd)) {
			irq_drain(nd);
			return 1;
		}
		if (ret > 0)
			nd->spurious++;
		if (timeout_ms >= 0) {
			uint64_t now = rte_get_timer_cycles();

			if (timeout_ms == 0 || now >= deadline)
				return 0;
			left = (int)((deadline - now) * 1000 / hz) + 1;
		}
	}
}
