/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Completions: rte_dma_completed and rte_dma_completed_status with the
 * limit the caller drew, each result held against the model: how many ops
 * may come back, their ids, their statuses, the has_error flag, the stats;
 * and the driver's own views of a channel (inflight, vchan_status).
 */

#include <rte_cycles.h>
#include <rte_pause.h>

#include "rte_pmd_netdma.h"
#include "soak.h"

/* Generous: the engine may share two cores with much else. */
#define DRAIN_TIMEOUT_S	30

static void
check_count(const struct soak_chan *c, const char *call, uint16_t n,
		uint16_t limit, uint16_t owed)
{
	if (n > limit)
		soak_violation(c, NULL, "%s returned %u ops, more than the limit %u",
			call, n, limit);
	if (n > owed)
		soak_violation(c, n > 0 ? chan_op(c, c->next_report) : NULL,
			"%s returned %u ops, but only %u are submitted and unreported",
			call, n, owed);
}

static void
check_last(const struct soak_chan *c, const char *call, uint16_t n,
		uint16_t limit, uint16_t last)
{
	/* With a limit of 0, a debug build of dmadev returns before the
	 * driver sets last_idx. */
	if (limit > 0 && last != (uint16_t)(c->next_report - 1))
		soak_violation(c, NULL, "%s returned %u ops with last_idx %u, expected %u",
			call, n, last, (uint16_t)(c->next_report - 1));
}

void
soak_completed(struct soak_chan *c, uint16_t limit)
{
	static const char call[] = "rte_dma_completed";
	uint16_t owed = chan_owed(c), last = 0xdead, n;
	bool err = false;

	n = rte_dma_completed(c->dev_id, 0, limit, &last, &err);
	soak.n.completed_calls++;
	soak.n.completed_ops += n;
	check_count(c, call, n, limit, owed);
	/* A failure that was flagged blocks the ops behind it until
	 * rte_dma_completed_status collects it. */
	if (c->error_seen && limit > 0 && (n != 0 || !err))
		soak_violation(c, chan_op(c, c->next_report), "%s after has_error: returned %u ops, has_error %d; expected 0 and has_error until completed_status",
			call, n, err);
	soak_report_ops(c, n, NULL, call);
	check_last(c, call, n, limit, last);
	c->st_completed += n;
	if (err) {
		const struct soak_op *op = chan_op(c, c->next_report);

		soak.n.has_error++;
		if (n >= limit)
			soak_violation(c, NULL, "%s set has_error in a call that returned %u ops of %u asked",
				call, n, limit);
		if (chan_owed(c) == 0)
			soak_violation(c, NULL, "%s set has_error with no op outstanding",
				call);
		if (op->expect == RTE_DMA_STATUS_SUCCESSFUL)
			soak_violation(c, op, "%s set has_error after %u ops, but op %u must succeed",
				call, n, op->id);
		c->error_seen = true;
	}
	soak_check_stats(c);
}

void
soak_completed_status(struct soak_chan *c, uint16_t limit)
{
	static const char call[] = "rte_dma_completed_status";
	enum rte_dma_status_code st[SOAK_OPS_CAP];
	uint16_t owed = chan_owed(c), last = 0xdead, n, i, failed = 0;

	n = rte_dma_completed_status(c->dev_id, 0, limit, &last, st);
	soak.n.status_calls++;
	soak.n.status_ops += n;
	check_count(c, call, n, limit, owed);
	for (i = 0; i < n; i++)
		failed += st[i] != RTE_DMA_STATUS_SUCCESSFUL;
	soak_report_ops(c, n, st, call);
	check_last(c, call, n, limit, last);
	c->st_completed += n;
	c->st_errors += failed;
	if (n > 0)
		c->error_seen = false;
	soak_check_stats(c);
}

/* Submit what is pending, then collect until nothing is in flight. */
void
soak_drain(struct soak_chan *c, struct soak_rng *r)
{
	uint64_t deadline = rte_get_timer_cycles() +
		DRAIN_TIMEOUT_S * rte_get_timer_hz();
	uint16_t start = chan_inflight(c);

	if (c->next_submit != c->next_id)
		soak_submit(c);
	while (chan_inflight(c) > 0) {
		uint16_t limit = (uint16_t)rng_range(r, 1, 64);

		if (rte_get_timer_cycles() > deadline)
			soak_violation(c, chan_op(c, c->next_report), "drain: %u of %u ops still unreported after %d s",
				chan_inflight(c), start, DRAIN_TIMEOUT_S);
		if (c->error_seen || rng_chance(r, 500))
			soak_completed_status(c, limit);
		else
			soak_completed(c, limit);
		rte_pause();
	}
	soak.n.drains++;
	soak_trace(c, "drained %u ops", start);
}

void
soak_check_inflight(struct soak_chan *c)
{
	int ready = -1;
	int n = rte_pmd_netdma_inflight(c->dev_id, 0, &ready);

	soak.n.inflight_checks++;
	/* submitted ops: those enqueued and not submitted are not out */
	if (n != chan_owed(c))
		soak_violation(c, NULL, "rte_pmd_netdma_inflight: %d, expected %u",
			n, chan_owed(c));
	if (ready && chan_owed(c) == 0)
		soak_violation(c, NULL, "rte_pmd_netdma_inflight says ready, with nothing submitted");
}

/* HALTED_ERROR only with a failing op outstanding, and always once
 * completed() flagged it. */
void
soak_check_vchan_status(struct soak_chan *c)
{
	enum rte_dma_vchan_status vs;
	uint16_t id;
	int ret = rte_dma_vchan_status(c->dev_id, 0, &vs);

	soak.n.vchan_status_checks++;
	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_vchan_status: %d", ret);
	if (c->error_seen && vs != RTE_DMA_VCHAN_HALTED_ERROR)
		soak_violation(c, NULL, "vchan status %d after has_error, expected HALTED_ERROR",
			(int)vs);
	if (vs != RTE_DMA_VCHAN_HALTED_ERROR)
		return;
	for (id = c->next_report; id != c->next_submit; id++)
		if (chan_op(c, id)->expect != RTE_DMA_STATUS_SUCCESSFUL)
			return;
	soak_violation(c, NULL, "vchan status HALTED_ERROR with no failing op submitted");
}
