/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef RTE_PMD_NETDMA_H
#define RTE_PMD_NETDMA_H

/**
 * @file
 * netdma driver-specific API: completion interrupts for a dmadev vchan.
 *
 * dmadev itself only polls. These calls let an application put an idle
 * channel to sleep and be woken by the channel's completion interrupt,
 * following the conventions of ethdev's Rx interrupt API
 * (rte_eth_dev_rx_intr_enable/disable/ctl_q).
 *
 * Interrupts are one-shot: enabling arms the channel for one wake-up. While
 * armed, the driver asks for an interrupt on the last descriptor of every
 * submitted batch and when the channel goes idle; while disarmed it asks
 * for none, so the polling path costs nothing extra.
 *
 * All calls must come from the thread that uses the vchan's data path,
 * as for every other dmadev fast-path call.
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice; build with
 * ALLOW_EXPERIMENTAL_API defined.
 */

#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Arm the vchan's completion interrupt. If completions (or an error) are
 * already waiting when this is called, the interrupt is signalled at once,
 * so a caller that sleeps after arming never misses a wake-up.
 *
 * @return 0 on success; -EINVAL for a bad id or a device that is not
 *   netdma; -EIO if the device is stopped.
 */
__rte_experimental
int rte_pmd_netdma_intr_enable(int16_t dev_id, uint16_t vchan);

/**
 * Disarm the interrupt and discard one that is pending but not consumed,
 * so no stale wake-up reaches the next wait.
 *
 * @return 0 on success, -EINVAL for a bad id or a non-netdma device.
 */
__rte_experimental
int rte_pmd_netdma_intr_disable(int16_t dev_id, uint16_t vchan);

/**
 * Add the vchan's interrupt fd to, or delete it from, an rte_epoll set,
 * as rte_eth_dev_rx_intr_ctl_q() does for an Rx queue.
 *
 * @param epfd
 *   An epoll fd, or RTE_EPOLL_PER_THREAD.
 * @param op
 *   RTE_INTR_EVENT_ADD or RTE_INTR_EVENT_DEL.
 * @param data
 *   User data returned in rte_epoll_event.epdata.data by rte_epoll_wait().
 *   rte_epoll_wait() drains the fd itself.
 * @return 0 on success, negative errno otherwise.
 */
__rte_experimental
int rte_pmd_netdma_intr_ctl(int16_t dev_id, uint16_t vchan, int epfd, int op,
		void *data);

/**
 * The vchan's interrupt eventfd, for applications with their own event
 * loop. It becomes readable on an interrupt; read 8 bytes to consume it.
 *
 * @return the fd, or negative errno.
 */
__rte_experimental
int rte_pmd_netdma_intr_fd(int16_t dev_id, uint16_t vchan);

/**
 * Sleep until the vchan has completions, race-free: arm, re-check the
 * completion status line, sleep only if nothing is there, disarm.
 * Ops enqueued but not yet submitted are submitted first, as by
 * rte_dma_submit(): nothing would run them while the caller sleeps.
 *
 * @param timeout_ms
 *   Longest sleep in milliseconds; negative waits for ever.
 * A late interrupt from an earlier, already-collected batch does not end
 * the wait: it sleeps on for the rest of the timeout.
 *
 * @return 1 when completions (or an error) are ready to be collected with
 *   rte_dma_completed*(), 0 on timeout, negative errno on error (-EIO when
 *   the device is stopped, before or during the wait).
 */
__rte_experimental
int rte_pmd_netdma_wait(int16_t dev_id, uint16_t vchan, int timeout_ms);

/** Counters of rte_pmd_netdma_wait(), kept per vchan since probe. */
struct rte_pmd_netdma_intr_stats {
	uint64_t waits;		/**< calls to rte_pmd_netdma_wait() */
	uint64_t sleeps;	/**< times those calls went to sleep */
	uint64_t wakeups;	/**< sleeps ended by the interrupt */
	uint64_t timeouts;	/**< sleeps that ran out their timeout */
	uint64_t spurious;	/**< wake-ups that found nothing ready
				 *   (a late interrupt); the wait slept on */
};

/**
 * Read the wait counters, e.g. to tell wake-ups while idle from while busy.
 *
 * @return 0, or -EINVAL for a bad id or a non-netdma device.
 */
__rte_experimental
int rte_pmd_netdma_intr_stats_get(int16_t dev_id, uint16_t vchan,
		struct rte_pmd_netdma_intr_stats *stats);

/**
 * Ops submitted but not yet returned by rte_dma_completed*(), and whether
 * any of them is ready to be returned. Ops enqueued but not submitted are
 * not counted: they are not in flight until rte_dma_submit() (or an op
 * flagged RTE_DMA_OP_FLAG_SUBMIT) hands them over. Cheap: reads driver
 * state and the completion status line only.
 *
 * @return number of ops in flight, or negative errno; *ready (if not NULL)
 *   is set when at least one of them can be collected now. On a stopped
 *   device, 0: the stop dropped whatever was in flight.
 */
__rte_experimental
int rte_pmd_netdma_inflight(int16_t dev_id, uint16_t vchan, int *ready);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_NETDMA_H */
