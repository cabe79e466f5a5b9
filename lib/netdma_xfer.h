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
 * With SVA the address is the IOVA itself: NULL only for IOVA 0, and an
 * access that faults is the descriptor's error.
 */
static inline __attribute__((always_inline)) uint8_t *
xfer_addr(struct netdma_chan *ch, uint64_t iova, uint64_t len,
		struct netdma_iotlb *tlb, const bool sva)
{
	if (sva)
		return (uint8_t *)(uintptr_t)iova;
	return netdma_iommu_translate(&ch->engine->mmu, iova, len, tlb);
}

/*
 * SVA data movement, with string instructions: they move bytes in
 * ascending order and fault precisely, so the fault address is the first
 * byte that cannot be accessed (memcpy() may touch the end of a range
 * first), and an address of 0 is a fault like any other rather than
 * undefined behaviour in C.
 */
static inline void
sva_copy(uint8_t *dst, const void *src, uint64_t n)
{
	__asm__ volatile("rep movsb"
		: "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* len bytes of the 8-byte pattern, in phase at dst. */
static inline void
sva_fill(uint8_t *dst, uint64_t pattern, uint64_t len)
{
	uint64_t words = len / 8;

	__asm__ volatile("rep stosq"
		: "+D"(dst), "+c"(words) : "a"(pattern) : "memory");
	sva_copy(dst, &pattern, len % 8);
}

/* Move n bytes: precisely faulting string moves with SVA, memcpy else. */
static inline __attribute__((always_inline)) void
xfer_move(uint8_t *dst, const uint8_t *src, uint64_t n, const bool sva)
{
	if (sva)
		sva_copy(dst, src, n);
	else
		memcpy(dst, src, n);
}

/* An address error: ERRADDR names the address, the caller the cause. */
static inline uint32_t
xfer_bad_addr(struct netdma_chan *ch, uint64_t iova, uint32_t err)
{
	netdma_mmio_write(ch->regs, erraddr, iova);
	return err;
}

/*
 * xfer_addr() gave NULL: the IOMMU refused the range (err), or with SVA
 * the address is 0. Page 0 is never mapped in a process, so touching it
 * is a page fault; it is reported as one up front because handing a null
 * pointer to memcpy() is undefined behaviour, not a fault to catch.
 */
static inline uint32_t
xfer_no_addr(struct netdma_chan *ch, uint64_t iova, uint32_t err,
		const bool sva)
{
	return xfer_bad_addr(ch, iova, sva ? NETDMA_CHANERR_PAGE_FAULT : err);
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

/*
 * Resolve a COPY's two ranges into *s and *t: each must be reachable, and
 * they must not overlap. Returns a CHANERR bit or 0.
 */
static inline __attribute__((always_inline)) uint32_t
xfer_resolve_copy(struct netdma_chan *ch, const struct netdma_desc *d,
		uint8_t **s, uint8_t **t, const bool sva)
{
	*s = xfer_addr(ch, d->src, d->size, &ch->tlb_src, sva);
	if (*s == NULL)
		return xfer_no_addr(ch, d->src, NETDMA_CHANERR_SRC_ADDR, sva);
	*t = xfer_addr(ch, d->dst, d->size, &ch->tlb_dst, sva);
	if (*t == NULL)
		return xfer_no_addr(ch, d->dst, NETDMA_CHANERR_DST_ADDR, sva);
	if (ranges_overlap(*s, d->size, *t, d->size))
		return NETDMA_CHANERR_OVERLAP;
	return 0;
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
	/* Lists have a translation cache entry of their own, so that
	 * translating a list and then its segments does not evict one
	 * with the other on every descriptor. */
	list = (const volatile struct netdma_sge *)xfer_addr(ch, list_iova,
			(uint64_t)n * sizeof(*list), &ch->tlb_list, sva);
	if (list == NULL)
		return xfer_no_addr(ch, list_iova, addr_err, sva);

	*total = 0;
	xfer_phase(ch, NETDMA_PHASE_LISTS, sva);
	if (sva) {
		struct netdma_sge copy[NETDMA_MAX_SGES];

		sva_copy((uint8_t *)copy, (const void *)list,
			n * sizeof(*list));
		for (i = 0; i < n; i++) {
			segs[i].iova = copy[i].addr;
			segs[i].len = copy[i].len;
		}
	} else {
		for (i = 0; i < n; i++) {
			segs[i].iova = list[i].addr;
			segs[i].len = list[i].len;
		}
	}
	xfer_phase(ch, NETDMA_PHASE_NONE, sva);
	for (i = 0; i < n; i++) {
		if (segs[i].len == 0)
			return NETDMA_CHANERR_LENGTH;
		*total += segs[i].len;
		segs[i].va = xfer_addr(ch, segs[i].iova, segs[i].len, tlb, sva);
		if (segs[i].va == NULL)
			return xfer_no_addr(ch, segs[i].iova, addr_err, sva);
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
	uint8_t *t;

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
		return xfer_resolve_copy(ch, d, &x->src[0].va, &x->dst[0].va,
			sva);
	case NETDMA_OP_FILL:
		t = xfer_addr(ch, d->dst, d->size, &ch->tlb_dst, sva);
		if (t == NULL)
			return xfer_no_addr(ch, d->dst,
				NETDMA_CHANERR_DST_ADDR, sva);
		x->pattern = d->src;
		x->dst[0].va = t;
		return 0;
	default:
		return xfer_begin_sg(ch, d, sva);
	}
}

/*
 * The common case, run at once: a COPY of at most one slice, with no
 * other flag than the completion and fence ones. A test of two words
 * picks it; what it skips (transfer state, slicing) it does not need.
 */
static inline __attribute__((always_inline)) bool
xfer_is_small_copy(const struct netdma_desc *d)
{
	return (d->ctrl & ~(NETDMA_DESC_FLAGS_MASK & ~NETDMA_DESC_NULL)) == 0 &&
		d->size - 1 < NETDMA_SLICE_BYTES;
}

static inline __attribute__((always_inline)) uint32_t
xfer_small_copy(struct netdma_chan *ch, const struct netdma_desc *d,
		const bool sva)
{
	uint8_t *s, *t;
	uint32_t err;

	err = xfer_resolve_copy(ch, d, &s, &t, sva);
	if (err != 0)
		return err;
	xfer_phase(ch, NETDMA_PHASE_DATA, sva);
	xfer_move(t, s, d->size, sva);
	xfer_phase(ch, NETDMA_PHASE_NONE, sva);
	return 0;
}

/* Host address of iova through the window tlb holds, 0 outside it. */
static inline __attribute__((always_inline)) uintptr_t
iotlb_window(const struct netdma_iotlb *tlb, uint64_t iova)
{
	return netdma_iotlb_hit(tlb, iova, 1) ? netdma_iotlb_va(tlb, iova) : 0;
}

/*
 * A load for a hint: out of the sanitizers' sight. With SVA the slot read
 * ahead may lie beside the ring, in memory that is mapped (the check
 * makes sure) but is another object, perhaps one another thread writes;
 * that is no bug for a guess that is only ever prefetched from.
 */
static inline __attribute__((always_inline)) uint64_t
hint_load64(const volatile uint64_t *p)
{
	uint64_t v;

	__asm__ volatile("movq %1, %0" : "=r"(v) : "m"(*p));
	return v;
}

/*
 * Read-ahead: start the reads of the descriptor NETDMA_READAHEAD_DESCS
 * further down the ring, and of its data, while this one runs. Silicon
 * keeps many reads in flight; a software engine that waits on each copy's
 * source in turn runs at one memory latency per descriptor whenever the
 * data is not where the CPU's own prefetchers look: packet buffers
 * anywhere in a pool, or many channels each streaming their own buffers.
 *
 * The descriptor there is only guessed to be the one that many after
 * this: a chain need not be a ring. So all of it is a hint. It is read
 * only where reading cannot fault: in the IOMMU window this descriptor
 * was just read through, or with SVA in the same page. Its addresses go
 * only through the windows the channel's translation cache holds, never
 * the walk, and a prefetch of whatever comes out never faults.
 * here is the host address of the descriptor at iova.
 */
static inline __attribute__((always_inline)) void
xfer_read_ahead(const struct netdma_chan *ch, const void *here,
		uint64_t iova, const bool sva)
{
	const uint64_t dist = NETDMA_READAHEAD_DESCS *
		sizeof(struct netdma_desc);
	const volatile struct netdma_desc *ahead;
	uint64_t src, dst;

	/* The window was checked current a moment ago, for this one. */
	if (sva) {
		if ((iova ^ (iova + dist)) >> NETDMA_READAHEAD_PAGE_SHIFT)
			return;
	} else if (!netdma_iotlb_hit(&ch->tlb_desc, iova + dist,
			sizeof(*ahead))) {
		return;
	}
	ahead = (const volatile struct netdma_desc *)((uintptr_t)here + dist);
	src = hint_load64(&ahead->src);
	dst = hint_load64(&ahead->dst);
	if (!sva) {
		src = iotlb_window(&ch->tlb_src, src);
		dst = iotlb_window(&ch->tlb_dst, dst);
	}
	__builtin_prefetch((const void *)(uintptr_t)src, 0, 3);
	__builtin_prefetch((const void *)(uintptr_t)dst, 1, 3);
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

static inline __attribute__((always_inline)) void
xfer_step_sg(struct netdma_xfer *x, uint64_t n, const bool sva)
{
	while (n > 0) {
		struct netdma_seg *s = &x->src[x->si], *d = &x->dst[x->di];
		uint64_t piece = min_u64(min_u64(s->len - x->soff,
				d->len - x->doff), n);

		xfer_move(xfer_at(d->va, x->doff), xfer_at(s->va, x->soff),
			piece, sva);
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
		xfer_move(xfer_at(x->dst[0].va, x->done),
			xfer_at(x->src[0].va, x->done), n, sva);
		break;
	case NETDMA_OP_FILL:
		if (sva)
			sva_fill(xfer_at(x->dst[0].va, x->done), x->pattern,
				n);
		else
			fill_pattern(xfer_at(x->dst[0].va, x->done),
				x->pattern, n);
		break;
	default:
		xfer_step_sg(x, n, sva);
		break;
	}
	xfer_phase(ch, NETDMA_PHASE_NONE, sva);
	x->done += n;
	return n;
}

#endif /* NETDMA_XFER_H */
