/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Enqueue: bursts of mixed ops, the ring filled to -ENOSPC, submits, and
 * the calls a stopped channel must refuse. Every return value is checked
 * against the model: the next job id, -ENOSPC exactly when the ring is
 * full, -EINVAL for a list no engine takes.
 */

#include <errno.h>

#include <rte_common.h>

#include "rte_pmd_netdma.h"
#include "soak.h"

static int
issue(const struct soak_chan *c, struct soak_call *call, uint64_t flags)
{
	switch (call->api) {
	case CALL_COPY:
		return rte_dma_copy(c->dev_id, 0, call->src, call->dst,
			call->len, flags);
	case CALL_FILL:
		return rte_dma_fill(c->dev_id, 0, call->src, call->dst,
			call->len, flags);
	default:
		return rte_dma_copy_sg(c->dev_id, 0, call->s, call->d,
			call->nb_src, call->nb_dst, flags);
	}
}

/* The doorbell went: every op enqueued so far is the engine's. */
void
soak_model_submitted(struct soak_chan *c)
{
	uint16_t id;

	for (id = c->next_submit; id != c->next_id; id++)
		chan_op(c, id)->submitted = true;
	c->st_submitted += (uint16_t)(c->next_id - c->next_submit);
	c->next_submit = c->next_id;
}

void
soak_submit(struct soak_chan *c)
{
	int ret = rte_dma_submit(c->dev_id, 0);

	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_submit returned %d", ret);
	soak_model_submitted(c);
	soak.n.submits++;
}

enum enq_result {
	ENQ_DONE,	/* enqueued, or refused as it had to be */
	ENQ_NO_MEMORY,	/* the arena is full: collect first */
	ENQ_FULL,	/* -ENOSPC */
};

static enum enq_result
enqueue_one(struct soak_chan *c, struct soak_rng *r, enum soak_kind kind,
		uint32_t max_len, uint64_t flags)
{
	bool full = chan_inflight(c) >= c->nb_desc - 1;
	struct soak_call call;
	struct soak_op op;
	int ret;

	if (!soak_gen_op(c, r, kind, max_len, &op, &call))
		return ENQ_NO_MEMORY;
	op.id = c->next_id;
	ret = issue(c, &call, flags);
	if (kind == K_SG_NB || full) {
		int want = kind == K_SG_NB ? -EINVAL : -ENOSPC;

		if (ret != want && kind == K_SG_NB)
			soak_violation(c, &op, "copy_sg with %u source and %u destination entries returned %d, expected -EINVAL",
				call.nb_src, call.nb_dst, ret);
		if (ret != want)
			soak_violation(c, &op, "%s with %u ops in flight on a ring of %u returned %d, expected -ENOSPC",
				soak_kind_name(kind), chan_inflight(c),
				c->nb_desc, ret);
		soak_op_unwind(c, &op);
		if (want == -EINVAL) {
			soak.n.ops[kind]++;
			soak.n.einval++;
		} else {
			soak.n.enospc++;
		}
		/* A refused op rings no doorbell: ring it as asked. */
		if (flags & RTE_DMA_OP_FLAG_SUBMIT)
			soak_submit(c);
		return want == -ENOSPC ? ENQ_FULL : ENQ_DONE;
	}
	if (ret != c->next_id)
		soak_violation(c, &op, "%s returned %d, expected job id %u",
			soak_kind_name(kind), ret, c->next_id);
	*chan_op(c, c->next_id) = op;
	c->next_id++;
	soak.n.ops[kind]++;
	if (flags & RTE_DMA_OP_FLAG_SUBMIT)
		soak_model_submitted(c);
	return ENQ_DONE;
}

static uint64_t
rand_flags(struct soak_rng *r, bool submit)
{
	uint64_t flags = 0;

	if (rng_chance(r, 100))
		flags |= RTE_DMA_OP_FLAG_FENCE;
	if (rng_chance(r, 100))
		flags |= RTE_DMA_OP_FLAG_LLC;
	if (submit || rng_chance(r, 60))
		flags |= RTE_DMA_OP_FLAG_SUBMIT;
	return flags;
}

static void
check_capacity(const struct soak_chan *c)
{
	uint16_t cap = rte_dma_burst_capacity(c->dev_id, 0);
	uint16_t want = (uint16_t)(c->nb_desc - 1 - chan_inflight(c));

	if (cap != want)
		soak_violation(c, NULL, "burst capacity %u, expected %u",
			cap, want);
}

/* Up to n ops of random kinds; returns how many the driver took. */
int
soak_burst(struct soak_chan *c, struct soak_rng *r, unsigned int n,
		uint32_t max_len, unsigned int bad_per_mille, bool submit)
{
	uint16_t first = c->next_id;
	enum enq_result res = ENQ_DONE;
	unsigned int i;

	check_capacity(c);
	for (i = 0; i < n && res == ENQ_DONE; i++)
		res = enqueue_one(c, r, soak_gen_kind(c, r, bad_per_mille),
			max_len, rand_flags(r, submit && i + 1 == n));
	soak_trace(c, "burst: %u of %u taken from id %u%s%s",
		(uint16_t)(c->next_id - first), n, first,
		res == ENQ_FULL ? ", ring full" :
		res == ENQ_NO_MEMORY ? ", arena full" : "",
		c->next_submit == c->next_id ? ", all submitted" : "");
	return (uint16_t)(c->next_id - first);
}

/* Small ops until the ring refuses one; then it must say 0 capacity. */
void
soak_pressure(struct soak_chan *c, struct soak_rng *r)
{
	enum enq_result res = ENQ_DONE;
	unsigned int i;

	for (i = 0; i < c->nb_desc + 1u && res != ENQ_FULL; i++) {
		res = enqueue_one(c, r, soak_gen_kind(c, r, 50), 64,
			rand_flags(r, false));
		if (res == ENQ_NO_MEMORY)
			break;
	}
	if (res == ENQ_FULL) {
		if (rte_dma_burst_capacity(c->dev_id, 0) != 0)
			soak_violation(c, NULL, "full ring, burst capacity %u",
				rte_dma_burst_capacity(c->dev_id, 0));
		/* every op type is refused on a full ring */
		enqueue_one(c, r, K_FILL, 64, 0);
		enqueue_one(c, r, K_SG, 64, 0);
	}
	if (rng_chance(r, 700))
		soak_submit(c);
	soak_trace(c, "pressure: %u in flight of %u%s", chan_inflight(c),
		c->nb_desc - 1, res == ENQ_FULL ? ", ring full" : "");
}

/* A stopped channel takes no work and reports none. */
void
soak_stopped_calls(struct soak_chan *c, struct soak_rng *r)
{
	struct rte_dma_sge sge = { .addr = 0, .length = 64 };
	uint8_t *p = c->arena.base;
	enum rte_dma_status_code st;
	uint16_t last, n;
	bool err = false;
	int ret;

	switch (rng_below(r, 6)) {
	case 0:
		ret = rte_dma_copy(c->dev_id, 0, (uintptr_t)p,
			(uintptr_t)(p + 64), 64, RTE_DMA_OP_FLAG_SUBMIT);
		break;
	case 1:
		ret = rte_dma_fill(c->dev_id, 0, 0, (uintptr_t)p, 64, 0);
		break;
	case 2:
		sge.addr = (uintptr_t)p;
		ret = rte_dma_copy_sg(c->dev_id, 0, &sge, &sge, 1, 1, 0);
		break;
	case 3:
		ret = rte_dma_submit(c->dev_id, 0);
		break;
	case 4:
		ret = rte_pmd_netdma_intr_enable(c->dev_id, 0);
		break;
	default:
		ret = rte_pmd_netdma_wait(c->dev_id, 0, 10);
		break;
	}
	if (ret != -EIO)
		soak_violation(c, NULL, "call on a stopped channel returned %d, expected -EIO",
			ret);
	n = rte_dma_completed(c->dev_id, 0, 32, &last, &err);
	if (n != 0 || err)
		soak_violation(c, NULL, "completed on a stopped channel: %u, has_error %d",
			n, err);
	n = rte_dma_completed_status(c->dev_id, 0, 1, &last, &st);
	if (n != 0)
		soak_violation(c, NULL, "completed_status on a stopped channel: %u",
			n);
	if (rte_dma_burst_capacity(c->dev_id, 0) != 0)
		soak_violation(c, NULL, "burst capacity %u on a stopped channel",
			rte_dma_burst_capacity(c->dev_id, 0));
	soak.n.eio++;
	soak_check_stats(c);
}
