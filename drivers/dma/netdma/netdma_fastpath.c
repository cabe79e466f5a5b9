/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Data path: enqueue writes a pre-chained descriptor (32 bytes of it, or
 * all 64 in one direct store), submit is one doorbell store, completion
 * is one load of the status line. No register is read. The software
 * card adds its backend's kick to a submit; its only system call wakes
 * a parked engine.
 */

#include <assert.h>
#include <inttypes.h>

#include <rte_atomic.h>
#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_dmadev_pmd.h>

#include "netdma_internal.h"

/* The op flags that are descriptor ctrl bits too, and how far up. */
#define OP_FLAGS_AS_CTRL	(RTE_DMA_OP_FLAG_FENCE | RTE_DMA_OP_FLAG_LLC)
#define OP_FLAGS_CTRL_SHIFT	4
static_assert(RTE_DMA_OP_FLAG_FENCE << OP_FLAGS_CTRL_SHIFT ==
	NETDMA_DESC_FENCE, "FENCE op flag and descriptor bit");
static_assert(RTE_DMA_OP_FLAG_LLC << OP_FLAGS_CTRL_SHIFT ==
	NETDMA_DESC_CACHE_HINT, "LLC op flag and CACHE_HINT bit");

/* movdir64b (%rsi), %rdi: one 64-byte direct store of *src to *dst,
 * spelled in bytes for older assemblers. */
static __rte_always_inline void
movdir64b(struct netdma_desc *dst, const struct netdma_desc *src)
{
	__asm__ volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x3e"
		: : "S"(src), "D"(dst) : "memory");
}

/*
 * Add ctrl bits to descriptor id, written but not yet submitted. A
 * descriptor written with MOVDIR64B is rewritten whole from its shadow
 * (it is always the last one written): a plain store into it could land
 * before or after the direct store, which is weakly ordered, so the
 * sfence first makes the earlier direct store land before the new one.
 */
static __rte_always_inline void
desc_add_ctrl(struct netdma_dev *nd, uint16_t id, uint32_t bits, bool direct)
{
	struct netdma_desc *d = &nd->ring[id & nd->mask];

	if (direct) {
		nd->shadow.ctrl |= bits;
		rte_wmb();
		movdir64b(d, &nd->shadow);
	} else {
		d->ctrl |= bits;
	}
}

static __rte_always_inline void
doorbell(struct netdma_dev *nd, bool direct)
{
	uint16_t tail = nd->next_write;

	if (tail == nd->next_submit)
		return;
	/* The engine writes the status line when it catches up (CHANCTRL
	 * STATUS_ON_IDLE), so the tail needs no flag: a full ring keeps
	 * reporting in stride-sized chunks instead of decaying into tiny
	 * batches, each with its own write-back. Armed, the tail also asks
	 * for the status write, so the interrupt never outruns it. */
	if (unlikely(nd->intr_armed))
		desc_add_ctrl(nd, tail - 1, NETDMA_DESC_STATUS_UPDATE |
			NETDMA_DESC_INT_ON_COMPL, direct);

	nd->submitted += (uint16_t)(tail - nd->next_submit);
	nd->next_submit = tail;
	/* Direct stores are weakly ordered: they must land before the
	 * count that hands their descriptors to the engine. */
	if (direct)
		rte_wmb();
	netdma_doorbell_write(nd->regs, tail);
	netdma_kick(nd);
}

/*
 * Write descriptor id. The next link stays what start() put there. With
 * direct stores (MOVDIR64B) the whole descriptor goes out in one 64-byte
 * store that needs no read-for-ownership of the ring line, which the
 * engine's core holds from reading it one lap ago; its shadow keeps a copy
 * for desc_add_ctrl(). Otherwise only the fields that change are stored.
 */
static __rte_always_inline void
desc_write(struct netdma_dev *nd, uint16_t id, uint32_t len, uint32_t ctrl,
		uint64_t src, uint64_t dst, uint32_t sges, bool direct)
{
	struct netdma_desc *d = &nd->ring[id & nd->mask];

	if (direct) {
		struct netdma_desc *sh = &nd->shadow;

		sh->size = len;
		sh->ctrl = ctrl;
		sh->src = src;
		sh->dst = dst;
		sh->next = slot_iova(nd, id + 1);
		sh->src_sges = (uint16_t)sges;
		sh->dst_sges = (uint16_t)(sges >> 16);
		movdir64b(d, sh);
	} else {
		d->size = len;
		d->ctrl = ctrl;
		d->src = src;
		d->dst = dst;
		if (sges != 0) {
			d->src_sges = (uint16_t)sges;
			d->dst_sges = (uint16_t)(sges >> 16);
		}
	}
}

/*
 * Enqueue one op. sges is 0, or a COPY_SG op's list lengths (source in
 * the low 16 bits), whose lists the caller has written into the slot.
 */
static __rte_always_inline int
enqueue(struct netdma_dev *nd, uint32_t op, uint64_t src, uint64_t dst,
		uint32_t len, uint32_t sges, uint64_t flags, bool direct)
{
	uint16_t id = nd->next_write;
	uint32_t ctrl;

	if (unlikely((uint16_t)(id - nd->next_read) >= nd->mask))
		return -ENOSPC;

	/* STATUS_UPDATE every stride ids keeps completions flowing inside
	 * a large batch; the engine's idle write covers the batch tail.
	 * dmadev's fence and LLC hint are the descriptor's own FENCE ("wait
	 * for every earlier descriptor", spec 4.2) and CACHE_HINT bits, the
	 * same bits four places up. */
	ctrl = (op << NETDMA_DESC_OP_SHIFT) |
		(((id & nd->status_stride_mask) == nd->status_stride_match) ?
			NETDMA_DESC_STATUS_UPDATE : 0) |
		(uint32_t)((flags & OP_FLAGS_AS_CTRL) << OP_FLAGS_CTRL_SHIFT);
	desc_write(nd, id, len, ctrl, src, dst, sges, direct);
	nd->next_write = id + 1;
	if (flags & RTE_DMA_OP_FLAG_SUBMIT)
		doorbell(nd, direct);
	return id;
}

static int
netdma_copy(void *dev_private, uint16_t vchan __rte_unused, rte_iova_t src,
		rte_iova_t dst, uint32_t length, uint64_t flags)
{
	return enqueue(dev_private, NETDMA_OP_COPY, src, dst, length, 0,
		flags, false);
}

static int
netdma_fill(void *dev_private, uint16_t vchan __rte_unused, uint64_t pattern,
		rte_iova_t dst, uint32_t length, uint64_t flags)
{
	return enqueue(dev_private, NETDMA_OP_FILL, pattern, dst, length, 0,
		flags, false);
}

/*
 * A COPY_SG descriptor: the segment lists go into the next ring slot's
 * own pair of tables, and the descriptor points at them. At most
 * MAX_SGES entries of each list are written; the counts go to the
 * descriptor as given, so the engine refuses a longer list. The lists'
 * lengths must add up to the same total; the engine checks that, and
 * every address, as for any copy.
 */
static __rte_always_inline int
enqueue_sg_lists(struct netdma_dev *nd, const struct rte_dma_sge *src,
		const struct rte_dma_sge *dst, uint16_t nb_src, uint16_t nb_dst,
		uint64_t flags, bool direct)
{
	uint16_t slot = nd->next_write & nd->mask, i;
	struct netdma_sge *s = sg_table(nd, slot), *t = s + NETDMA_MAX_SGES;
	uint64_t total = 0;

	for (i = 0; i < RTE_MIN(nb_src, NETDMA_MAX_SGES); i++) {
		s[i].addr = src[i].addr;
		s[i].len = src[i].length;
		total += src[i].length;
	}
	for (i = 0; i < RTE_MIN(nb_dst, NETDMA_MAX_SGES); i++) {
		t[i].addr = dst[i].addr;
		t[i].len = dst[i].length;
	}
	/* A total past 32 bits cannot be described: make it one the engine
	 * refuses as a length, as it refuses any over MAX_XFER. */
	if (unlikely(total > UINT32_MAX))
		total = UINT32_MAX;
	return enqueue(nd, NETDMA_OP_COPY_SG, sg_table_iova(nd, slot),
		sg_table_iova(nd, slot) + NETDMA_MAX_SGES * sizeof(*s),
		(uint32_t)total, nb_src | (uint32_t)nb_dst << 16, flags,
		direct);
}

/* rte_dma_copy_sg(): list lengths out of range are the caller's error,
 * and a full ring takes no lists. */
static __rte_always_inline int
enqueue_sg(struct netdma_dev *nd, const struct rte_dma_sge *src,
		const struct rte_dma_sge *dst, uint16_t nb_src, uint16_t nb_dst,
		uint64_t flags, bool direct)
{
	if (unlikely(nb_src == 0 || nb_dst == 0 ||
			nb_src > NETDMA_MAX_SGES || nb_dst > NETDMA_MAX_SGES))
		return -EINVAL;
	if (unlikely((uint16_t)(nd->next_write - nd->next_read) >= nd->mask))
		return -ENOSPC;
	return enqueue_sg_lists(nd, src, dst, nb_src, nb_dst, flags, direct);
}

static int
netdma_copy_sg(void *dev_private, uint16_t vchan __rte_unused,
		const struct rte_dma_sge *src, const struct rte_dma_sge *dst,
		uint16_t nb_src, uint16_t nb_dst, uint64_t flags)
{
	return enqueue_sg(dev_private, src, dst, nb_src, nb_dst, flags, false);
}

static int
netdma_submit(void *dev_private, uint16_t vchan __rte_unused)
{
	doorbell(dev_private, false);
	return 0;
}

/* The same, writing descriptors with direct stores (MOVDIR64B). */
static int
netdma_copy_direct(void *dev_private, uint16_t vchan __rte_unused,
		rte_iova_t src, rte_iova_t dst, uint32_t length, uint64_t flags)
{
	return enqueue(dev_private, NETDMA_OP_COPY, src, dst, length, 0,
		flags, true);
}

static int
netdma_fill_direct(void *dev_private, uint16_t vchan __rte_unused,
		uint64_t pattern, rte_iova_t dst, uint32_t length,
		uint64_t flags)
{
	return enqueue(dev_private, NETDMA_OP_FILL, pattern, dst, length, 0,
		flags, true);
}

static int
netdma_copy_sg_direct(void *dev_private, uint16_t vchan __rte_unused,
		const struct rte_dma_sge *src, const struct rte_dma_sge *dst,
		uint16_t nb_src, uint16_t nb_dst, uint64_t flags)
{
	return enqueue_sg(dev_private, src, dst, nb_src, nb_dst, flags, true);
}

static int
netdma_submit_direct(void *dev_private, uint16_t vchan __rte_unused)
{
	doorbell(dev_private, true);
	return 0;
}

static enum rte_dma_status_code
chanerr_to_status(uint32_t chanerr)
{
	if (chanerr & NETDMA_CHANERR_PAGE_FAULT)
		return RTE_DMA_STATUS_PAGE_FAULT;
	if (chanerr & NETDMA_CHANERR_DESC_READ)
		return RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR;
	if (chanerr & NETDMA_CHANERR_DESC_OPCODE)
		return RTE_DMA_STATUS_INVALID_OPCODE;
	if (chanerr & NETDMA_CHANERR_LENGTH)
		return RTE_DMA_STATUS_INVALID_LENGTH;
	if (chanerr & NETDMA_CHANERR_SRC_ADDR)
		return RTE_DMA_STATUS_INVALID_SRC_ADDR;
	if (chanerr & NETDMA_CHANERR_DST_ADDR)
		return RTE_DMA_STATUS_INVALID_DST_ADDR;
	if (chanerr & NETDMA_CHANERR_OVERLAP)
		return RTE_DMA_STATUS_INVALID_ADDR;
	if (chanerr & NETDMA_CHANERR_CMP_ADDR)
		return RTE_DMA_STATUS_BUS_WRITE_ERROR;
	return RTE_DMA_STATUS_ERROR_UNKNOWN;
}

/*
 * The channel halted with status word sts. If a strict-IOMMU channel
 * refused an address, the usual cause is memory the engine was never
 * given (malloc, the stack): say so, naming the address and the two
 * fixes, once per halt and at most once a second per channel, since a
 * program that makes this mistake makes it on every op.
 */
static __rte_noinline void
log_refused_addr(struct netdma_dev *nd, uint64_t sts)
{
	uint64_t now = rte_get_timer_cycles();
	uint32_t chanerr;

	if (nd->args.sva || sts == nd->halt_seen)
		return;
	nd->halt_seen = sts;
	chanerr = netdma_chanerr(nd->regs);
	if (!(chanerr & (NETDMA_CHANERR_SRC_ADDR | NETDMA_CHANERR_DST_ADDR)))
		return;
	nd->refused_addrs++;
	if (now < nd->refused_log_tsc)
		return;
	nd->refused_log_tsc = now + rte_get_timer_hz();
	NETDMA_LOG(WARNING, "%s: the engine refused %s address 0x%" PRIx64 ": it is not memory the device may use; use rte_malloc()/mempool memory or memory registered with rte_extmem_register() and rte_dev_dma_map(), or create the device with sva=1 (%" PRIu64 " refused so far)",
		nd->name,
		chanerr & NETDMA_CHANERR_SRC_ADDR ? "source" : "destination",
		netdma_erraddr(nd->regs), nd->refused_addrs);
}

/*
 * The channel halted on the descriptor in sts. Report it with the cause
 * from CHANERR, then restart the channel past it. The engine is halted and
 * writes nothing until RESUME, so rewriting the status line here cannot
 * race with it: afterwards the line says "failing descriptor processed".
 */
static __rte_noinline enum rte_dma_status_code
recover_from_halt(struct netdma_dev *nd, uint64_t sts)
{
	netdma_regs_t *regs = nd->regs;
	uint32_t chanerr = netdma_chanerr(regs);
	uint64_t failed = netdma_sts_addr(sts);

	log_refused_addr(nd, sts);
	/* the next halt, even one with the same status word, is new */
	nd->halt_seen = 0;
	if (chanerr & NETDMA_CHANERR_DESC_READ)
		netdma_chainaddr_write(regs,
			slot_iova(nd, desc_slot(nd, failed) + 1));
	netdma_chanerr_clear(regs, chanerr);
	status_line_write(nd, failed | NETDMA_STS_ACTIVE);
	nd->errors++;
	netdma_chancmd_write(regs, NETDMA_CMD_RESUME);
	netdma_kick(nd);
	return chanerr_to_status(chanerr);
}

static uint16_t
netdma_completed(void *dev_private, uint16_t vchan __rte_unused,
		const uint16_t nb_cpls, uint16_t *last_idx, bool *has_error)
{
	struct netdma_dev *nd = dev_private;
	uint64_t sts = status_line_read(nd);
	bool halted;
	uint16_t n = ops_done(nd, sts, &halted);

	/* The failed op is reported only once every success before it is:
	 * a call that returns nb_cpls successes says nothing of it yet. */
	if (unlikely(halted && n < nb_cpls)) {
		*has_error = true;
		log_refused_addr(nd, sts);
	}
	n = RTE_MIN(n, nb_cpls);
	nd->next_read += n;
	nd->completed += n;
	*last_idx = nd->next_read - 1;
	return n;
}

static uint16_t
netdma_completed_status(void *dev_private, uint16_t vchan __rte_unused,
		const uint16_t nb_cpls, uint16_t *last_idx,
		enum rte_dma_status_code *status)
{
	struct netdma_dev *nd = dev_private;
	uint64_t sts = status_line_read(nd);
	bool halted;
	uint16_t n = ops_done(nd, sts, &halted);
	uint16_t i;

	n = RTE_MIN(n, nb_cpls);
	for (i = 0; i < n; i++)
		status[i] = RTE_DMA_STATUS_SUCCESSFUL;
	if (unlikely(halted && n < nb_cpls)) {
		status[n++] = recover_from_halt(nd, sts);
	}
	nd->next_read += n;
	nd->completed += n;
	*last_idx = nd->next_read - 1;
	return n;
}

#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
/*
 * The op-based API (DPDK 25.11): each rte_dma_op becomes one descriptor,
 * a COPY when it has one segment on each side of the same length, a
 * COPY_SG otherwise, and the slot remembers the op. A burst is submitted
 * as a whole. An op with more segments than MAX_SGES still takes a
 * descriptor, one the engine refuses, so that it comes back from dequeue
 * with an error status rather than stalling the enqueue.
 */
static __rte_always_inline int
enqueue_op(struct netdma_dev *nd, struct rte_dma_op *op, bool direct)
{
	const struct rte_dma_sge *src = op->src_dst_seg;
	const struct rte_dma_sge *dst = op->src_dst_seg + op->nb_src;
	uint16_t slot = nd->next_write & nd->mask;
	uint64_t flags = op->flags & ~RTE_DMA_OP_FLAG_SUBMIT;
	int id;

	if (op->nb_src == 1 && op->nb_dst == 1 &&
			src->length == dst->length)
		id = enqueue(nd, NETDMA_OP_COPY, src->addr, dst->addr,
			src->length, 0, flags, direct);
	else
		id = enqueue_sg_lists(nd, src, dst, op->nb_src, op->nb_dst,
			flags, direct);
	if (id >= 0)
		nd->ops[slot] = op;
	return id;
}

static __rte_always_inline uint16_t
enqueue_ops(struct netdma_dev *nd, struct rte_dma_op **ops, uint16_t nb_ops,
		bool direct)
{
	uint16_t n;

	for (n = 0; n < nb_ops; n++)
		if (enqueue_op(nd, ops[n], direct) < 0)
			break;
	doorbell(nd, direct);
	return n;
}

static uint16_t
netdma_enqueue_ops(void *dev_private, uint16_t vchan __rte_unused,
		struct rte_dma_op **ops, uint16_t nb_ops)
{
	return enqueue_ops(dev_private, ops, nb_ops, false);
}

static uint16_t
netdma_enqueue_ops_direct(void *dev_private, uint16_t vchan __rte_unused,
		struct rte_dma_op **ops, uint16_t nb_ops)
{
	return enqueue_ops(dev_private, ops, nb_ops, true);
}

/* Completed ops in order, each with its status; recovers past a failed
 * one as completed_status() does. */
static uint16_t
netdma_dequeue_ops(void *dev_private, uint16_t vchan __rte_unused,
		struct rte_dma_op **ops, uint16_t nb_ops)
{
	struct netdma_dev *nd = dev_private;
	uint64_t sts = status_line_read(nd);
	bool halted;
	uint16_t n = ops_done(nd, sts, &halted), i;

	n = RTE_MIN(n, nb_ops);
	for (i = 0; i < n; i++) {
		ops[i] = nd->ops[(nd->next_read + i) & nd->mask];
		ops[i]->status = RTE_DMA_STATUS_SUCCESSFUL;
	}
	if (unlikely(halted && n < nb_ops)) {
		ops[n] = nd->ops[(nd->next_read + n) & nd->mask];
		ops[n]->status = recover_from_halt(nd, sts);
		n++;
	}
	nd->next_read += n;
	nd->completed += n;
	return n;
}
#endif /* RTE_DMA_CAPA_OPS_ENQ_DEQ */

static uint16_t
netdma_burst_capacity(const void *dev_private, uint16_t vchan __rte_unused)
{
	const struct netdma_dev *nd = dev_private;

	return nd->mask - (uint16_t)(nd->next_write - nd->next_read);
}

void
netdma_fp_install(struct rte_dma_dev *dmadev)
{
	struct rte_dma_fp_object *fp = dmadev->fp_obj;
	struct netdma_dev *nd = dmadev->data->dev_private;

	fp->dev_private = nd;
	if (nd->args.direct_desc) {
		fp->copy = netdma_copy_direct;
		fp->copy_sg = netdma_copy_sg_direct;
		fp->fill = netdma_fill_direct;
		fp->submit = netdma_submit_direct;
	} else {
		fp->copy = netdma_copy;
		fp->copy_sg = netdma_copy_sg;
		fp->fill = netdma_fill;
		fp->submit = netdma_submit;
	}
	fp->completed = netdma_completed;
	fp->completed_status = netdma_completed_status;
	fp->burst_capacity = netdma_burst_capacity;
#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
	if (nd->enq_deq) {
		fp->enqueue = nd->args.direct_desc ?
			netdma_enqueue_ops_direct : netdma_enqueue_ops;
		fp->dequeue = netdma_dequeue_ops;
	} else {
		fp->enqueue = NULL;
		fp->dequeue = NULL;
	}
#endif
}

/*
 * A stopped device has no ring to write: rather than test a flag on every
 * op, stop swaps in these, which fail. The first call after a stop says
 * so at ERR; a polling loop's repeats go to DEBUG instead of flooding.
 * The interrupt API shares the rule (netdma_intr.c).
 */
void
netdma_log_stopped_call(struct netdma_dev *nd, const char *call)
{
	if (!nd->stopped_call_logged) {
		nd->stopped_call_logged = true;
		NETDMA_LOG(ERR, "%s: %s on a stopped device (rte_dma_start() first); further calls are logged at debug level",
			nd->name, call);
	} else {
		NETDMA_LOG(DEBUG, "%s: %s on a stopped device", nd->name,
			call);
	}
}

static void
stopped_call(void *dev_private, const char *call)
{
	netdma_log_stopped_call(dev_private, call);
}

static int
stopped_copy(void *dev_private, uint16_t vchan __rte_unused,
		rte_iova_t src __rte_unused, rte_iova_t dst __rte_unused,
		uint32_t length __rte_unused, uint64_t flags __rte_unused)
{
	stopped_call(dev_private, "copy");
	return -EIO;
}

static int
stopped_copy_sg(void *dev_private, uint16_t vchan __rte_unused,
		const struct rte_dma_sge *src __rte_unused,
		const struct rte_dma_sge *dst __rte_unused,
		uint16_t nb_src __rte_unused, uint16_t nb_dst __rte_unused,
		uint64_t flags __rte_unused)
{
	stopped_call(dev_private, "copy_sg");
	return -EIO;
}

static int
stopped_fill(void *dev_private, uint16_t vchan __rte_unused,
		uint64_t pattern __rte_unused, rte_iova_t dst __rte_unused,
		uint32_t length __rte_unused, uint64_t flags __rte_unused)
{
	stopped_call(dev_private, "fill");
	return -EIO;
}

static int
stopped_submit(void *dev_private, uint16_t vchan __rte_unused)
{
	stopped_call(dev_private, "submit");
	return -EIO;
}

static uint16_t
stopped_completed(void *dev_private, uint16_t vchan __rte_unused,
		const uint16_t nb_cpls __rte_unused, uint16_t *last_idx,
		bool *has_error __rte_unused)
{
	struct netdma_dev *nd = dev_private;

	stopped_call(nd, "completed");
	*last_idx = nd->next_read - 1;
	return 0;
}

static uint16_t
stopped_completed_status(void *dev_private, uint16_t vchan __rte_unused,
		const uint16_t nb_cpls __rte_unused, uint16_t *last_idx,
		enum rte_dma_status_code *status __rte_unused)
{
	struct netdma_dev *nd = dev_private;

	stopped_call(nd, "completed_status");
	*last_idx = nd->next_read - 1;
	return 0;
}

static uint16_t
stopped_burst_capacity(const void *dev_private __rte_unused,
		uint16_t vchan __rte_unused)
{
	return 0;
}

#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
static uint16_t
stopped_enqueue_ops(void *dev_private, uint16_t vchan __rte_unused,
		struct rte_dma_op **ops __rte_unused,
		uint16_t nb_ops __rte_unused)
{
	stopped_call(dev_private, "enqueue_ops");
	return 0;
}

static uint16_t
stopped_dequeue_ops(void *dev_private, uint16_t vchan __rte_unused,
		struct rte_dma_op **ops __rte_unused,
		uint16_t nb_ops __rte_unused)
{
	stopped_call(dev_private, "dequeue_ops");
	return 0;
}
#endif

void
netdma_fp_install_stopped(struct rte_dma_dev *dmadev)
{
	struct rte_dma_fp_object *fp = dmadev->fp_obj;
	struct netdma_dev *nd = dmadev->data->dev_private;

	fp->dev_private = nd;
	nd->stopped_call_logged = false;
	fp->copy = stopped_copy;
	fp->copy_sg = stopped_copy_sg;
	fp->fill = stopped_fill;
	fp->submit = stopped_submit;
	fp->completed = stopped_completed;
	fp->completed_status = stopped_completed_status;
	fp->burst_capacity = stopped_burst_capacity;
#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
	fp->enqueue = stopped_enqueue_ops;
	fp->dequeue = stopped_dequeue_ops;
#endif
}
