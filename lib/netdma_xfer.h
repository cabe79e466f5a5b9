/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * One descriptor, from fetch to data movement: snapshot it, check it,
 * resolve every address once, then move its data in slices. Inline, and
 * compiled twice by the channel code: with an IOMMU (sva false), every
 * address is checked against the windows before any byte moves; with
 * shared virtual addressing (sva true), addresses are used as they are and
 * a fault is caught where it happens (netdma_sva.c).
 */

#ifndef NETDMA_XFER_H
#define NETDMA_XFER_H

#include <string.h>

#include "netdma_engine_priv.h"
#include "netdma_mmio.h"

/*
 * In SVA mode a fault unwinds to the start of the channel's turn, so the
 * channel's state must be in memory, not in registers, whenever an access
 * can fault: the barrier makes it so, and records what was being done.
 */
static inline __attribute__((always_inline)) void
xfer_phase(struct netdma_chan *ch, enum netdma_phase phase, const bool sva)
{
	if (sva) {
		ch->phase = phase;
		__asm__ volatile("" : : : "memory");
	}
}

/*
 * Host address of [iova, iova + len), or NULL when the IOMMU refuses.
 * With SVA the address is the IOVA itself and is never refused here, 0
 * included: an access that faults is the descriptor's error instead.
 */
static inline __attribute__((always_inline)) uint8_t *
xfer_addr(struct netdma_chan *ch, uint64_t iova, uint64_t len,
		struct netdma_iotlb *tlb, const bool sva)
{
	if (sva)
		return (uint8_t *)(uintptr_t)iova;
	return netdma_iommu_translate(&ch->engine->mmu, iova, len, tlb);
}

/* An address error: ERRADDR names the address, the caller the cause. */
static inline uint32_t
xfer_bad_addr(struct netdma_chan *ch, uint64_t iova, uint32_t err)
{
	netdma_mmio_write(ch->regs, erraddr, iova);
	return err;
}

/* Compared as integers: with SVA a range may start at address 0 or in
 * another object, where pointer arithmetic and ordering are undefined. */
static inline bool
ranges_overlap(const uint8_t *a, uint64_t alen, const uint8_t *b,
		uint64_t blen)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

	return x < y + blen && y < x + alen;
}

/* Resolve one COPY_SG list into segs; returns a CHANERR bit or 0. */
static inline uint32_t
xfer_read_list(struct netdma_chan *ch, uint64_t list_iova, uint16_t n,
		struct netdma_seg *segs, struct netdma_iotlb *tlb,
		uint32_t addr_err, uint64_t *total, const bool sva)
{
	const volatile struct netdma_sge *list;
	uint16_t i;

	if (n == 0 || n > NETDMA_MAX_SGES)
		return NETDMA_CHANERR_DESC_OPCODE;
	if (list_iova & (sizeof(struct netdma_sge) - 1))
		return xfer_bad_addr(ch, list_iova, addr_err);
	list = (const volatile struct netdma_sge *)xfer_addr(ch, list_iova,
			(uint64_t)n * sizeof(*list), tlb, sva);
	if (!sva && list == NULL)
		return xfer_bad_addr(ch, list_iova, addr_err);

	*total = 0;
	xfer_phase(ch, NETDMA_PHASE_LISTS, sva);
	for (i = 0; i < n; i++) {
		segs[i].iova = list[i].addr;
		segs[i].len = list[i].len;
	}
	xfer_phase(ch, NETDMA_PHASE_NONE, sva);
	for (i = 0; i < n; i++) {
		if (segs[i].len == 0)
			return NETDMA_CHANERR_LENGTH;
		*total += segs[i].len;
		segs[i].va = xfer_addr(ch, segs[i].iova, segs[i].len, tlb, sva);
		if (!sva && segs[i].va == NULL)
			return xfer_bad_addr(ch, segs[i].iova, addr_err);
	}
	return 0;
}

static inline uint32_t
xfer_begin_sg(struct netdma_chan *ch, const struct netdma_desc *d,
		const bool sva)
{
	struct netdma_xfer *x = &ch->xfer;
	uint64_t src_total, dst_total;
	uint16_t i, j;
	uint32_t err;

	err = xfer_read_list(ch, d->src, d->src_sges, x->src, &ch->tlb_src,
			NETDMA_CHANERR_SRC_ADDR, &src_total, sva);
	if (err == 0)
		err = xfer_read_list(ch, d->dst, d->dst_sges, x->dst,
				&ch->tlb_dst, NETDMA_CHANERR_DST_ADDR,
				&dst_total, sva);
	if (err != 0)
		return err;
	if (src_total != d->size || dst_total != d->size)
		return NETDMA_CHANERR_LENGTH;
	for (i = 0; i < d->src_sges; i++)
		for (j = 0; j < d->dst_sges; j++)
			if (ranges_overlap(x->src[i].va, x->src[i].len,
					x->dst[j].va, x->dst[j].len))
				return NETDMA_CHANERR_OVERLAP;
	x->nb_src = d->src_sges;
	x->nb_dst = d->dst_sges;
	x->si = 0;
	x->di = 0;
	x->soff = 0;
	x->doff = 0;
	return 0;
}

/*
 * Check a snapshot and resolve its addresses into ch->xfer. Returns a
 * CHANERR bit, or 0 with the transfer ready to run (size 0 for NULL).
 */
static inline uint32_t
xfer_begin(struct netdma_chan *ch, const struct netdma_desc *d,
		const bool sva)
{
	struct netdma_xfer *x = &ch->xfer;
	uint32_t op = (d->ctrl & NETDMA_DESC_OP_MASK) >> NETDMA_DESC_OP_SHIFT;
	uint8_t *s, *t;

	if (d->ctrl & ~(NETDMA_DESC_FLAGS_MASK | NETDMA_DESC_OP_MASK))
		return NETDMA_CHANERR_DESC_OPCODE;
	if (op != NETDMA_OP_COPY && op != NETDMA_OP_FILL &&
			op != NETDMA_OP_COPY_SG)
		return NETDMA_CHANERR_DESC_OPCODE;
	x->op = op;
	x->done = 0;
	if (d->ctrl & NETDMA_DESC_NULL) {
		x->size = 0;
		return 0;
	}
	if (d->size == 0 || d->size > NETDMA_MAX_XFER)
		return NETDMA_CHANERR_LENGTH;
	x->size = d->size;

	switch (op) {
	case NETDMA_OP_COPY:
		s = xfer_addr(ch, d->src, d->size, &ch->tlb_src, sva);
		if (!sva && s == NULL)
			return xfer_bad_addr(ch, d->src,
				NETDMA_CHANERR_SRC_ADDR);
		t = xfer_addr(ch, d->dst, d->size, &ch->tlb_dst, sva);
		if (!sva && t == NULL)
			return xfer_bad_addr(ch, d->dst,
				NETDMA_CHANERR_DST_ADDR);
		if (ranges_overlap(s, d->size, t, d->size))
			return NETDMA_CHANERR_OVERLAP;
		x->src[0].va = s;
		x->dst[0].va = t;
		return 0;
	case NETDMA_OP_FILL:
		t = xfer_addr(ch, d->dst, d->size, &ch->tlb_dst, sva);
		if (!sva && t == NULL)
			return xfer_bad_addr(ch, d->dst,
				NETDMA_CHANERR_DST_ADDR);
		x->pattern = d->src;
		x->dst[0].va = t;
		return 0;
	default:
		return xfer_begin_sg(ch, d, sva);
	}
}

/*
 * Byte off of a transfer address. In integers: with SVA the address is
 * whatever the descriptor said, 0 included, and pointer arithmetic on it
 * would be undefined; only the access itself may fault.
 */
static inline uint8_t *
xfer_at(uint8_t *va, uint64_t off)
{
	return (uint8_t *)((uintptr_t)va + off);
}

/* Fill len bytes with the 8-byte pattern, starting in phase at byte 0. */
static inline void
fill_pattern(uint8_t *dst, uint64_t pattern, uint64_t len)
{
	uint64_t i = 0;

	for (; i + 8 <= len; i += 8)
		memcpy(xfer_at(dst, i), &pattern, 8);
	if (i < len)
		memcpy(xfer_at(dst, i), &pattern, len - i);
}

static inline uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline void
xfer_step_sg(struct netdma_xfer *x, uint64_t n)
{
	while (n > 0) {
		struct netdma_seg *s = &x->src[x->si], *d = &x->dst[x->di];
		uint64_t piece = min_u64(min_u64(s->len - x->soff,
				d->len - x->doff), n);

		memcpy(xfer_at(d->va, x->doff), xfer_at(s->va, x->soff),
			piece);
		n -= piece;
		x->soff += piece;
		x->doff += piece;
		if (x->soff == s->len) {
			x->si++;
			x->soff = 0;
		}
		if (x->doff == d->len) {
			x->di++;
			x->doff = 0;
		}
	}
}

/*
 * Move the next slice of the transfer: at most NETDMA_SLICE_BYTES, so
 * slices start at multiples of it and a fill pattern stays in phase.
 * Returns the bytes moved.
 */
static inline __attribute__((always_inline)) uint64_t
xfer_step(struct netdma_chan *ch, const bool sva)
{
	struct netdma_xfer *x = &ch->xfer;
	uint64_t n = x->size - x->done;

	if (n > NETDMA_SLICE_BYTES)
		n = NETDMA_SLICE_BYTES;
	xfer_phase(ch, NETDMA_PHASE_DATA, sva);
	switch (x->op) {
	case NETDMA_OP_COPY:
		memcpy(xfer_at(x->dst[0].va, x->done),
			xfer_at(x->src[0].va, x->done), n);
		break;
	case NETDMA_OP_FILL:
		fill_pattern(xfer_at(x->dst[0].va, x->done), x->pattern, n);
		break;
	default:
		xfer_step_sg(x, n);
		break;
	}
	xfer_phase(ch, NETDMA_PHASE_NONE, sva);
	x->done += n;
	return n;
}

#endif /* NETDMA_XFER_H */
