/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Shared virtual addressing (.sva = true): IOVAs are this process's
 * addresses. CAP_SVA, and IOMMU calls that succeed and change nothing;
 * copies between any memory of the process; every kind of fault turned
 * into CHANERR_PAGE_FAULT on its descriptor, with ERRADDR the first byte
 * that could not be accessed, and recovered from; memory unmapped under
 * queued copies; and the engine's signal handlers, which leave faults
 * that are not the engine's to the handlers the application had.
 */

#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"

#define PAGE_SZ		4096u
#define SLICE_SZ	(64u * 1024)	/* the engine's data slice */
#define UNUSED		__attribute__((unused))

/* A fixture on an SVA engine whose worker spins spin_us before parking. */
static bool
fx_open_sva_spin(struct fx *f, unsigned int nb_desc, unsigned int spin_us)
{
	struct netdma_engine_params p = {
		.nb_channels = 1,
		.spin_us = spin_us,
		.sva = true,
		.name = "tsva",
	};

	return fx_open_params(f, &p, nb_desc);
}

static bool
fx_open_sva(struct fx *f, unsigned int nb_desc)
{
	return fx_open_sva_spin(f, nb_desc, SPIN_US);
}

/*
 * The memory a test faults on: pages carved in order from one xmmap
 * block, made once the test's other memory is allocated and its engine
 * threads started. A hole punched in the block then stays a hole while
 * the test runs, as nothing is mapped after it; a hole left by a lone
 * mmap and munmap is where the next mmap of that size goes.
 */
struct pages {
	uint8_t *base, *next, *end;
};

static void
pages_init(struct pages *pg, size_t len)
{
	pg->base = xmmap(len);
	pg->next = pg->base;
	pg->end = pg->base + len;
}

static void
pages_fini(struct pages *pg)
{
	xmunmap(pg->base, pg->end - pg->base);
}

/* len bytes, rounded up to pages, mapped read-write. */
static uint8_t *
pages_take(struct pages *pg, size_t len)
{
	uint8_t *p = pg->next;

	len = (len + PAGE_SZ - 1) / PAGE_SZ * PAGE_SZ;
	if (len > (size_t)(pg->end - p)) {
		fprintf(stderr, "test_sva: pages block too small\n");
		exit(2);
	}
	pg->next += len;
	return p;
}

/* len bytes, rounded up to pages, with nothing mapped there. */
static uint8_t *
pages_hole(struct pages *pg, size_t len)
{
	uint8_t *p = pages_take(pg, len);

	xmunmap(p, (len + PAGE_SZ - 1) / PAGE_SZ * PAGE_SZ);
	return p;
}

/* A page no access to which is allowed. Unlike a hole, it cannot be
 * handed out by an mmap, such as the ones that start a thread. */
static uint8_t *
pages_none(struct pages *pg)
{
	uint8_t *p = pages_take(pg, PAGE_SZ);

	mprotect(p, PAGE_SZ, PROT_NONE);
	return p;
}

/*
 * Two pages of a file mapped, the file then cut to one: the second page
 * raises SIGBUS, not SIGSEGV. Returns that page.
 */
static uint8_t *
truncated_file_page(struct pages *pg)
{
	uint8_t *p = pages_take(pg, 2 * PAGE_SZ);
	int fd = memfd_create("netdma-sva-test", 0);

	if (fd < 0 || ftruncate(fd, 2 * PAGE_SZ) != 0 ||
			mmap(p, 2 * PAGE_SZ, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
			ftruncate(fd, PAGE_SZ) != 0) {
		perror("truncated_file_page");
		exit(2);
	}
	close(fd);
	return p + PAGE_SZ;
}

/* Descriptor i made available, halted on with a page fault at addr;
 * n descriptors processed before it. */
static int
fault_seen(struct fx *f, unsigned int i, uint64_t addr, uint64_t n)
{
	const uint64_t sts = desc_iova(f, i) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR;

	CHECK(wait_state(f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f->regs, chanerr),
		NETDMA_CHANERR_PAGE_FAULT);
	CHECK_EQ(netdma_mmio_read(f->regs, errdesc), desc_iova(f, i));
	CHECK_EQ(netdma_mmio_read(f->regs, erraddr), addr,
		"ERRADDR, expected %p", (void *)(uintptr_t)addr);
	CHECK_EQ(cmp_word(f), sts);
	CHECK_EQ(chansts(f), sts);
	CHECK_EQ(netdma_mmio_read(f->regs, completed), n);
	return 0;
}

/* Clear CHANERR and RESUME past the failed descriptor: n processed. */
static int
recover(struct fx *f, uint64_t n)
{
	chanerr_clear(f);
	CHECK(chan_cmd(f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(f, n));
	return 0;
}

/* ---------------------------------------------------------------- *
 * No IOMMU: capabilities and memory
 * ---------------------------------------------------------------- */

/*
 * CAP_SVA is set; map and unmap succeed without changing anything: a
 * "mapping" of an unmapped address to real memory does not make the
 * engine use that memory, and memory never mapped is used as it is.
 */
static int
test_sva_caps_iommu(void)
{
	struct pages pg;
	uint8_t *buf, *hole;
	struct fx f;

	CHECK(fx_open_sva(&f, 32));
	pages_init(&pg, 4 * PAGE_SZ);
	buf = pages_take(&pg, 2 * PAGE_SZ);
	hole = pages_hole(&pg, PAGE_SZ);
	CHECK_EQ(bar_read32(engine_bar(f.e), NETDMA_REG_CAP),
		NETDMA_CAP_COPY | NETDMA_CAP_FILL | NETDMA_CAP_FENCE |
		NETDMA_CAP_INTR | NETDMA_CAP_INTR_DELAY |
		NETDMA_CAP_ERR_RECOVER | NETDMA_CAP_COPY_SG | NETDMA_CAP_SVA);
	CHECK_EQ(iommu_map(f.e, iova_of(hole), buf, PAGE_SZ), 0);
	CHECK_EQ(iommu_map(f.e, iova_of(hole), buf, PAGE_SZ), 0);
	CHECK_EQ(iommu_unmap(f.e, iova_of(buf), 2 * PAGE_SZ), 0);
	CHECK_EQ(iommu_unmap(f.e, FAR_IOVA, PAGE_SZ), 0);

	pattern_fill(buf, 2 * PAGE_SZ, 5);
	desc_copy(&f, 0, 0, 100, 0);
	f.ring[0].src = iova_of(hole);
	doorbell(&f, 1);
	CHECK(fault_seen(&f, 0, iova_of(hole), 0) == 0);
	CHECK(recover(&f, 1) == 0);

	desc_copy(&f, 1, 1, 3000, NETDMA_DESC_STATUS_UPDATE);
	f.ring[1].src = iova_of(buf + 1000);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK(memcmp(dst_slot(&f, 1), buf + 1000, 3000) == 0);
	fx_close(&f);
	pages_fini(&pg);
	return 0;
}

/*
 * Copies, fills and a COPY_SG between the stack, the heap and mmap
 * memory, none of it mapped anywhere, the lists on the stack.
 */
static int
test_sva_plain_memory(void)
{
	uint8_t stack[6000], *heap = xalloc(8000), *map = xmmap(8 * PAGE_SZ);
	struct netdma_sge sl[3], dl[3];
	uint8_t expect[400];
	struct fx f;

	CHECK(fx_open_sva(&f, 32));
	pattern_fill(heap, 8000, 1);
	pattern_fill(map, 8 * PAGE_SZ, 2);
	memset(stack, DST_SENTINEL, sizeof(stack));

	desc_copy(&f, 0, 0, 1000, 0);		/* heap -> stack */
	f.ring[0].src = iova_of(heap + 3);
	f.ring[0].dst = iova_of(stack + 1);
	desc_copy(&f, 1, 0, 20001, 0);		/* mmap -> mmap */
	f.ring[1].src = iova_of(map + 5);
	f.ring[1].dst = iova_of(map + 5 * PAGE_SZ - 7);
	f.ring[1].size = 2 * PAGE_SZ + 3;
	desc_copy(&f, 2, 0, 999, 0);		/* stack -> heap */
	f.ring[2].src = iova_of(stack + 1);
	f.ring[2].dst = iova_of(heap + 5001);
	desc_fill(&f, 3, 0, 0x1122334455667788ull, 77, 0);
	f.ring[3].dst = iova_of(stack + 2000);
	sge_set(&sl[0], stack + 1, 100);	/* what heap + 3 held */
	sge_set(&sl[1], heap, 250);
	sge_set(&sl[2], map + 100, 50);
	sge_set(&dl[0], map + 7 * PAGE_SZ + 1, 300);
	sge_set(&dl[1], stack + 3000, 1);
	sge_set(&dl[2], heap + 7000, 99);
	desc_copy_sg(&f, 4, 400, sl, 3, dl, 3, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 5);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);

	CHECK(memcmp(stack + 1, heap + 3, 1000) == 0);
	CHECK_EQ(stack[0], DST_SENTINEL);
	CHECK_EQ(stack[1001], DST_SENTINEL);
	CHECK(memcmp(map + 5 * PAGE_SZ - 7, map + 5, 2 * PAGE_SZ + 3) == 0);
	CHECK(memcmp(heap + 5001, heap + 3, 999) == 0);
	CHECK(memcmp(stack + 2000, "\x88\x77\x66\x55\x44\x33\x22\x11", 8) == 0);
	CHECK_EQ(stack[2076], 0x44);	/* byte 76: pattern byte 4 */
	CHECK_EQ(stack[2077], DST_SENTINEL);
	memcpy(expect, heap + 3, 100);
	memcpy(expect + 100, heap, 250);
	memcpy(expect + 350, map + 100, 50);
	CHECK(memcmp(map + 7 * PAGE_SZ + 1, expect, 300) == 0);
	CHECK_EQ(stack[3000], expect[300]);
	CHECK(memcmp(heap + 7000, expect + 301, 99) == 0);
	fx_close(&f);
	xfree(heap);
	xmunmap(map, 8 * PAGE_SZ);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Faults: the matrix
 * ---------------------------------------------------------------- */

/*
 * A case makes a descriptor fault and returns the ERRADDR it expects: the
 * first byte, in the order the operation moves data, that cannot be
 * accessed. It takes what memory it needs from pg.
 */
struct fault_case {
	const char *name;
	uint64_t (*mangle)(struct pages *pg, struct fx *f,
		struct netdma_desc *d);
};

static void
set_op(struct netdma_desc *d, uint32_t op)
{
	d->ctrl = (d->ctrl & ~NETDMA_DESC_OP_MASK) |
		(op << NETDMA_DESC_OP_SHIFT);
}

static uint64_t
m_src_unmapped(struct pages *pg, UNUSED struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(pages_hole(pg, PAGE_SZ));
	return d->src;
}

static uint64_t
m_dst_unmapped(struct pages *pg, UNUSED struct fx *f, struct netdma_desc *d)
{
	d->dst = iova_of(pages_hole(pg, PAGE_SZ) + 1);
	return d->dst;
}

static uint64_t
m_dst_read_only(struct pages *pg, UNUSED struct fx *f, struct netdma_desc *d)
{
	uint8_t *p = pages_take(pg, PAGE_SZ);

	mprotect(p, PAGE_SZ, PROT_READ);
	d->dst = iova_of(p + 100);
	return d->dst;
}

static uint64_t
m_src_null(UNUSED struct pages *pg, UNUSED struct fx *f,
		struct netdma_desc *d)
{
	d->src = 0;
	return 0;
}

static uint64_t
m_dst_null(UNUSED struct pages *pg, UNUSED struct fx *f,
		struct netdma_desc *d)
{
	d->dst = 0;
	return 0;
}

static uint64_t
m_fill_dst_null(UNUSED struct pages *pg, UNUSED struct fx *f,
		struct netdma_desc *d)
{
	set_op(d, NETDMA_OP_FILL);
	d->src = 0x0102030405060708ull;
	d->dst = 0;
	return 0;
}

/*
 * *field is made to run size bytes from mapped memory into a hole, the
 * first before bytes mapped; the hole covers the rest. Returns where the
 * hole starts.
 */
static uint64_t
into_hole(struct pages *pg, uint64_t *field, uint32_t before, uint32_t size)
{
	size_t head = (before + PAGE_SZ - 1) / PAGE_SZ * PAGE_SZ;
	uint8_t *hole = pages_take(pg, head) + head;

	pages_hole(pg, size - before);
	*field = iova_of(hole - before);
	return iova_of(hole);
}

static uint64_t
m_src_into_hole(struct pages *pg, UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = 1000;
	return into_hole(pg, &d->src, 500, d->size);
}

static uint64_t
m_dst_into_hole(struct pages *pg, UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = 1000;
	return into_hole(pg, &d->dst, 301, d->size);
}

/* Slices in before the hole; the other side big enough for all of it. */
static uint64_t
m_src_into_hole_slices(struct pages *pg, UNUSED struct fx *f,
		struct netdma_desc *d)
{
	d->size = 4 * SLICE_SZ;
	d->dst = iova_of(pages_take(pg, d->size));
	return into_hole(pg, &d->src, 2 * SLICE_SZ + 4097, d->size);
}

static uint64_t
m_dst_into_hole_slices(struct pages *pg, UNUSED struct fx *f,
		struct netdma_desc *d)
{
	uint8_t *src = pages_take(pg, 4 * SLICE_SZ);

	pattern_fill(src, 4 * SLICE_SZ, 9);
	d->size = 4 * SLICE_SZ;
	d->src = iova_of(src);
	return into_hole(pg, &d->dst, 3 * SLICE_SZ - 5, d->size);
}

static uint64_t
m_fill_into_hole(struct pages *pg, UNUSED struct fx *f, struct netdma_desc *d)
{
	set_op(d, NETDMA_OP_FILL);
	d->src = 0x1122334455667788ull;
	d->size = 1000;
	return into_hole(pg, &d->dst, 301, d->size);
}

/* The hole starts exactly at the pattern's partial tail. */
static uint64_t
m_fill_tail_into_hole(struct pages *pg, UNUSED struct fx *f,
		struct netdma_desc *d)
{
	set_op(d, NETDMA_OP_FILL);
	d->src = 0x1122334455667788ull;
	d->size = 11;
	return into_hole(pg, &d->dst, 8, d->size);
}

/*
 * COPY_SG of 128 bytes, three segments a side from the descriptor's own
 * src and dst slots, except the middle one of one side, which is a hole;
 * or the src list is.
 */
static uint64_t
sg_case(struct pages *pg, struct fx *f, struct netdma_desc *d, bool dst_hole,
		bool list_hole)
{
	struct netdma_sge *l = (struct netdma_sge *)pages_take(pg, PAGE_SZ);
	uint8_t *hole = pages_hole(pg, PAGE_SZ);
	uint8_t *s = (uint8_t *)(uintptr_t)d->src;
	uint8_t *t = (uint8_t *)(uintptr_t)d->dst;

	sge_set(&l[0], s, 60);
	sge_set(&l[1], dst_hole ? s + 100 : hole + 8, 40);
	sge_set(&l[2], s + 200, 28);
	sge_set(&l[3], t, 50);
	sge_set(&l[4], dst_hole ? hole + 24 : t + 90, 70);
	sge_set(&l[5], t + 300, 8);
	desc_copy_sg(f, (unsigned int)(d - f->ring), 128,
		list_hole ? (const struct netdma_sge *)hole : l, 3, l + 3, 3,
		d->ctrl & NETDMA_DESC_FLAGS_MASK);
	if (list_hole)
		return iova_of(hole);
	return iova_of(hole) + (dst_hole ? 24 : 8);
}

static uint64_t
m_sg_src_seg(struct pages *pg, struct fx *f, struct netdma_desc *d)
{
	return sg_case(pg, f, d, false, false);
}

static uint64_t
m_sg_dst_seg(struct pages *pg, struct fx *f, struct netdma_desc *d)
{
	return sg_case(pg, f, d, true, false);
}

static uint64_t
m_sg_src_list(struct pages *pg, struct fx *f, struct netdma_desc *d)
{
	return sg_case(pg, f, d, false, true);
}

static uint64_t
m_sg_dst_list_null(struct pages *pg, struct fx *f, struct netdma_desc *d)
{
	sg_case(pg, f, d, false, false);
	d->dst = 0;
	return 0;
}

static uint64_t
m_sigbus_src(struct pages *pg, UNUSED struct fx *f, struct netdma_desc *d)
{
	uint8_t *gone = truncated_file_page(pg);

	d->src = iova_of(gone - 50);
	return iova_of(gone);
}

static uint64_t
m_sigbus_dst(struct pages *pg, UNUSED struct fx *f, struct netdma_desc *d)
{
	uint8_t *gone = truncated_file_page(pg);

	d->dst = iova_of(gone + 10);
	return d->dst;
}

static const struct fault_case fault_cases[] = {
	{ "src_unmapped", m_src_unmapped },
	{ "dst_unmapped", m_dst_unmapped },
	{ "dst_read_only", m_dst_read_only },
	{ "src_null", m_src_null },
	{ "dst_null", m_dst_null },
	{ "fill_dst_null", m_fill_dst_null },
	{ "src_into_hole", m_src_into_hole },
	{ "dst_into_hole", m_dst_into_hole },
	{ "src_into_hole_slices", m_src_into_hole_slices },
	{ "dst_into_hole_slices", m_dst_into_hole_slices },
	{ "fill_into_hole", m_fill_into_hole },
	{ "fill_tail_into_hole", m_fill_tail_into_hole },
	{ "sg_src_seg", m_sg_src_seg },
	{ "sg_dst_seg", m_sg_dst_seg },
	{ "sg_src_list", m_sg_src_list },
	{ "sg_dst_list_null", m_sg_dst_list_null },
	{ "sigbus_src", m_sigbus_src },
	{ "sigbus_dst", m_sigbus_dst },
};

#define NB_FAULT_CASES	(sizeof(fault_cases) / sizeof(fault_cases[0]))

/*
 * d0 good, d1 faulting, d2 good with STATUS_UPDATE: the channel halts on
 * d1 with PAGE_FAULT and the address, the process lives on, RESUME waits
 * for CHANERR to be cleared and then skips d1. Then a fault elsewhere and
 * the same fault again, so that ERRADDR is seen to be written each time
 * (address 0 included), and a last copy that works.
 */
static int
test_fault_case(const void *arg)
{
	const struct fault_case *c = arg;
	struct pages pg;
	uint8_t *other;
	uint64_t addr;
	struct fx f;

	CHECK(fx_open_sva(&f, 32));
	pages_init(&pg, 2u << 20);
	other = pages_hole(&pg, PAGE_SZ);
	desc_copy(&f, 0, 0, 128, 0);
	desc_copy(&f, 1, 1, 128, 0);
	addr = c->mangle(&pg, &f, &f.ring[1]);
	desc_copy(&f, 2, 2, 128, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 3);
	CHECK(fault_seen(&f, 1, addr, 1) == 0);
	CHECK(slot_copied(&f, 0, 128));
	CHECK(slot_untouched(&f, 2));

	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_seen(&f));
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);
	CHECK(slot_untouched(&f, 2));
	CHECK(recover(&f, 3) == 0);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 2) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 2, 128));

	desc_copy(&f, 3, 3, 128, 0);
	f.ring[3].src = iova_of(other);
	doorbell(&f, 1);
	CHECK(fault_seen(&f, 3, iova_of(other), 3) == 0);
	CHECK(recover(&f, 4) == 0);

	desc_copy(&f, 4, 4, 128, NETDMA_DESC_STATUS_UPDATE);
	addr = c->mangle(&pg, &f, &f.ring[4]);
	doorbell(&f, 1);
	CHECK(fault_seen(&f, 4, addr, 4) == 0);
	CHECK(recover(&f, 5) == 0);

	desc_copy(&f, 5, 5, 128, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 6));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 5) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 5, 128));
	fx_close(&f);
	pages_fini(&pg);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Faults outside the data: descriptors and the status word
 * ---------------------------------------------------------------- */

/* d0's next is a hole: DESC_READ at that address, recovered through
 * CHAINADDR as in IOMMU mode (spec 9.4). */
static int
test_sva_desc_fault(void)
{
	struct pages pg;
	uint8_t *hole;
	struct fx f;

	CHECK(fx_open_sva(&f, 32));
	pages_init(&pg, 2 * PAGE_SZ);
	hole = pages_hole(&pg, PAGE_SZ);
	f.ring[0].next = iova_of(hole);
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	desc_copy(&f, 2, 2, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 3);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), iova_of(hole));
	CHECK_EQ(netdma_mmio_read(f.regs, erraddr), iova_of(hole));
	CHECK_EQ(cmp_word(&f), iova_of(hole) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_DESC);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);
	CHECK(slot_copied(&f, 0, 64));

	chanerr_clear(&f);
	netdma_mmio_write(f.regs, chainaddr, desc_iova(&f, 2));
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 2) | NETDMA_STS_IDLE);
	CHECK(slot_untouched(&f, 1));
	CHECK(slot_copied(&f, 2, 64));

	/* CHAINADDR itself: NULL. */
	CHECK(chan_bringup(&f));
	netdma_mmio_write(f.regs, chainaddr, 0);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), 0);
	CHECK_EQ(cmp_word(&f), NETDMA_STS_HALTED | NETDMA_STS_ERR_DESC);
	fx_close(&f);
	pages_fini(&pg);
	return 0;
}

/* CHANCMP read-only, unmapped, then NULL: the STATUS_UPDATE descriptor
 * has moved its data, its status write faults: CMP_ADDR at that address. */
static int
cmp_fault_case(struct fx *f, uint8_t *bad)
{
	uint64_t c = netdma_mmio_read(f->regs, completed);
	unsigned int i = f->dmacount % f->nb_desc;

	netdma_mmio_write(f->regs, chancmp, iova_of(bad));
	desc_copy(f, i, i, 64, 0);
	desc_copy(f, i + 1, i + 1, 64, NETDMA_DESC_STATUS_UPDATE);
	desc_copy(f, i + 2, i + 2, 64, 0);
	doorbell(f, 3);
	CHECK(wait_state(f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f->regs, chanerr), NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(netdma_mmio_read(f->regs, errdesc), desc_iova(f, i + 1));
	CHECK_EQ(netdma_mmio_read(f->regs, erraddr), iova_of(bad));
	CHECK_EQ(chansts(f), desc_iova(f, i + 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(netdma_mmio_read(f->regs, completed), c + 1);
	CHECK(slot_copied(f, i + 1, 64));
	CHECK(slot_untouched(f, i + 2));

	netdma_mmio_write(f->regs, chancmp, iova_of(f->cmp));
	CHECK(recover(f, c + 3) == 0);
	CHECK(slot_copied(f, i + 2, 64));
	return 0;
}

static int
test_sva_cmp_fault(void)
{
	struct pages pg;
	uint8_t *ro;
	struct fx f;

	CHECK(fx_open_sva(&f, 32));
	pages_init(&pg, 2 * PAGE_SZ);
	ro = pages_take(&pg, PAGE_SZ);
	mprotect(ro, PAGE_SZ, PROT_READ);
	CHECK(cmp_fault_case(&f, ro + 64) == 0);
	CHECK_EQ(ro[64], 0);
	CHECK(cmp_fault_case(&f, pages_hole(&pg, PAGE_SZ)) == 0);
	CHECK(cmp_fault_case(&f, NULL) == 0);
	fx_close(&f);
	pages_fini(&pg);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Memory unmapped under queued copies
 * ---------------------------------------------------------------- */

#define Q_NB		32		/* copies queued */
#define Q_CHUNK		(128u * 1024)	/* each: two slices */

/*
 * Pause the channel in the middle of the copies: let the first four run,
 * make the rest available while SUSPENDED, RESUME and SUSPEND again at
 * once, which usually lands inside a copy. Returns the copies completed.
 */
static int
pause_part_way(struct fx *f, uint64_t base, uint64_t *done)
{
	doorbell(f, 4);
	CHECK(wait_completed(f, base + 4));
	CHECK(chan_cmd(f, NETDMA_CMD_SUSPEND));
	doorbell(f, Q_NB - 4);
	CHECK(chan_cmd(f, NETDMA_CMD_RESUME));
	CHECK(chan_cmd(f, NETDMA_CMD_SUSPEND));
	*done = netdma_mmio_read(f->regs, completed) - base;
	return 0;
}

/*
 * One round: Q_NB copies, one after the other, out of a source that is
 * unmapped while they run or, with paused, while the channel is paused
 * part-way. Every copy that completes has its bytes; the first that
 * faults is followed by faults only, each at an address of the source;
 * when paused, exactly the copies done by then complete. Returns the
 * number that completed, or -1 on a failed check.
 */
static int
unmap_round(struct fx *f, uint8_t *dst, uint8_t *expect, bool paused)
{
	const size_t len = (size_t)Q_NB * Q_CHUNK;
	uint8_t *src = xmmap(len);
	uint64_t base = netdma_mmio_read(f->regs, completed), before = 0;
	unsigned int i, ok = Q_NB, next = 0;

	pattern_fill(src, len, base);
	memset(dst, DST_SENTINEL, len);
	for (i = 0; i < Q_NB; i++) {
		f->ring[i].size = Q_CHUNK;
		f->ring[i].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
		f->ring[i].src = iova_of(src + (size_t)i * Q_CHUNK);
		f->ring[i].dst = iova_of(dst + (size_t)i * Q_CHUNK);
	}
	if (paused) {
		CHECK(pause_part_way(f, base, &before) == 0);
	} else {
		doorbell(f, Q_NB);
		CHECK(SPIN_FOR(dst[4 * Q_CHUNK] != DST_SENTINEL));
	}
	/* The copies only read the source, so none can write into memory
	 * that something else maps there later. */
	xmunmap(src, len);
	if (paused)
		CHECK(chan_cmd(f, NETDMA_CMD_RESUME));

	while (next < Q_NB) {
		uint64_t done;

		/* Spinning: each of the many halts then costs microseconds. */
		CHECK(SPIN_FOR(chan_state(f) == NETDMA_STS_HALTED ||
			(netdma_mmio_read(f->regs, completed) == base + Q_NB &&
			chan_state(f) == NETDMA_STS_IDLE)));
		done = netdma_mmio_read(f->regs, completed) - base;
		if (chan_state(f) != NETDMA_STS_HALTED) {
			CHECK(ok == Q_NB, "copies %u..%u completed after "
				"copy %u faulted", next, Q_NB - 1, ok);
			break;
		}
		CHECK(ok == Q_NB || done == next, "copies %u..%" PRIu64
			" completed after copy %u faulted", next, done - 1, ok);
		CHECK_EQ(netdma_mmio_read(f->regs, chanerr),
			NETDMA_CHANERR_PAGE_FAULT, "copy %" PRIu64, done);
		CHECK_EQ(netdma_mmio_read(f->regs, errdesc),
			desc_iova(f, done), "copy %" PRIu64, done);
		CHECK(netdma_mmio_read(f->regs, erraddr) >= iova_of(src) &&
			netdma_mmio_read(f->regs, erraddr) < iova_of(src) + len,
			"copy %" PRIu64 ": ERRADDR outside the source", done);
		if (ok == Q_NB)
			ok = (unsigned int)done;
		next = (unsigned int)done + 1;
		chanerr_clear(f);
		CHECK(cmd_spin(f, NETDMA_CMD_RESUME));
	}
	if (paused)
		CHECK_EQ(ok, before, "copies completed after the unmap");
	/* Chunk i of the source was pattern_fill(.., base) from word
	 * i * Q_CHUNK / 8 on: rebuild it to check the copies that completed. */
	for (i = 0; i < ok; i++) {
		pattern_fill(expect, Q_CHUNK, base + (uint64_t)i * Q_CHUNK / 8);
		CHECK(memcmp(dst + (size_t)i * Q_CHUNK, expect, Q_CHUNK) == 0,
			"copy %u completed with the wrong bytes", i);
	}
	return (int)ok;
}

/*
 * "Catching faults must not depend on luck": wherever the unmap lands,
 * among queued copies or in the middle of one, each copy either completed
 * or failed with PAGE_FAULT, in that order, and the process lives. Two
 * rounds unmap while the channel runs, wherever that lands; then rounds
 * that pause it first, until one paused in the middle of a copy.
 */
static int
test_sva_unmap_under_copies(void)
{
	uint8_t *dst = xmmap((size_t)Q_NB * Q_CHUNK);
	uint8_t *expect = xalloc(Q_CHUNK);
	unsigned int round;
	bool mid_copy = false;
	struct fx f;

	/* A worker that does not park: waking one can take this thread's
	 * CPU until the copies are over. */
	CHECK(fx_open_sva_spin(&f, Q_NB, 1000000));
	for (round = 0; round < 2; round++)
		CHECK(unmap_round(&f, dst, expect, false) >= 0);
	for (round = 0; round < 8 && !mid_copy; round++) {
		int ok = unmap_round(&f, dst, expect, true);

		CHECK(ok >= 0);
		/* The copy that was half done had written a first slice. */
		mid_copy = ok < Q_NB &&
			dst[(size_t)ok * Q_CHUNK] != DST_SENTINEL;
	}
	CHECK(mid_copy, "never paused in the middle of a copy");
	fx_close(&f);
	xfree(expect);
	xmunmap(dst, (size_t)Q_NB * Q_CHUNK);
	return 0;
}

/* ---------------------------------------------------------------- *
 * One channel's fault among busy channels
 * ---------------------------------------------------------------- */

static struct netdma_engine *
engine_new_sva(unsigned int nb_chan, const char *name)
{
	struct netdma_engine_params p = {
		.nb_channels = nb_chan,
		.spin_us = SPIN_US,
		.sva = true,
		.name = name,
	};

	return engine_create(&p);
}

#define ISO_CHANS	4
#define ISO_DESCS	64
#define ISO_BAD		20	/* channel 1's descriptor that faults */

/*
 * Four channels on one worker, channel 1's 21st copy reading a hole. The
 * fault unwinds channel 1's turn only: the other channels complete every
 * copy byte-exact, channel 1 halts on that copy and, recovered, finishes.
 */
static int
test_sva_fault_among_channels(void)
{
	struct netdma_engine *e = engine_new_sva(ISO_CHANS, "tsvaiso");
	struct fx f[ISO_CHANS];
	unsigned int c, i;
	struct pages pg;
	uint8_t *hole;

	CHECK(e != NULL);
	for (c = 0; c < ISO_CHANS; c++) {
		CHECK(fx_attach(&f[c], e, c, ISO_DESCS));
		for (i = 0; i < ISO_DESCS; i++)
			desc_copy(&f[c], i, i, 1000 + 16 * c, 0);
		f[c].ring[ISO_DESCS - 1].ctrl |= NETDMA_DESC_STATUS_UPDATE;
	}
	/* After the allocations: one of them could be placed in the hole. */
	pages_init(&pg, 2 * PAGE_SZ);
	hole = pages_hole(&pg, PAGE_SZ);
	f[1].ring[ISO_BAD].src = iova_of(hole);
	CHECK(wait_parked(&f[0]));
	for (c = 0; c < ISO_CHANS; c++)
		doorbell_nokick(&f[c], ISO_DESCS);
	for (c = 0; c < ISO_CHANS; c++)
		fx_kick(&f[c]);

	CHECK(fault_seen(&f[1], ISO_BAD, iova_of(hole), ISO_BAD) == 0);
	for (c = 0; c < ISO_CHANS; c++) {
		if (c == 1)
			continue;
		CHECK(wait_completed(&f[c], ISO_DESCS), "channel %u", c);
		CHECK_EQ(cmp_word(&f[c]), desc_iova(&f[c], ISO_DESCS - 1) |
			NETDMA_STS_IDLE, "channel %u", c);
		for (i = 0; i < ISO_DESCS; i++)
			CHECK(slot_copied(&f[c], i, 1000 + 16 * c),
				"channel %u copy %u", c, i);
	}
	CHECK(recover(&f[1], ISO_DESCS) == 0);
	CHECK_EQ(cmp_word(&f[1]), desc_iova(&f[1], ISO_DESCS - 1) |
		NETDMA_STS_IDLE);
	for (i = 0; i < ISO_DESCS; i++)
		CHECK(i == ISO_BAD ? slot_untouched(&f[1], i) :
			slot_copied(&f[1], i, 1016), "copy %u", i);
	for (c = 0; c < ISO_CHANS; c++)
		fx_close(&f[c]);
	engine_destroy(e);
	pages_fini(&pg);
	return 0;
}

/* ---------------------------------------------------------------- *
 * The application's own faults
 * ---------------------------------------------------------------- */

/* The test's stand-in for an application handler: it records the fault
 * and jumps back to where its thread armed it. */
static __thread sigjmp_buf *app_env;
static __thread int app_sig;
static __thread void *app_addr;

static void
app_handler(int sig, siginfo_t *info, UNUSED void *uctx)
{
	if (app_env == NULL) {
		/* Not a fault the test made: die of it as usual. */
		signal(sig, SIG_DFL);
		return;
	}
	app_sig = sig;
	app_addr = info->si_addr;
	siglongjmp(*app_env, 1);
}

struct app_fault {
	uint8_t *addr;		/* where to write */
	int sig;		/* what the application's handler saw */
	void *seen;
};

/* Write to f->addr, expecting the application's handler to catch it. */
static int
app_fault_here(void *arg)
{
	struct app_fault *af = arg;
	sigjmp_buf env;

	app_sig = 0;
	app_env = &env;
	if (sigsetjmp(env, 1) == 0)
		*(volatile uint8_t *)af->addr = 1;
	app_env = NULL;
	af->sig = app_sig;
	af->seen = app_addr;
	return 0;
}

/* The same from a thread of its own, which the engine knows nothing of. */
static int
app_fault_in_thread(struct app_fault *af)
{
	struct check_thread th;

	CHECK_EQ(check_thread_start(&th, app_fault_here, af), 0);
	CHECK_EQ(check_thread_join(&th), 0);
	return 0;
}

static bool
handler_is(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction cur;

	return sigaction(sig, NULL, &cur) == 0 &&
		(cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == fn;
}

/* With app_handler installed for SIGSEGV and SIGBUS. This test starts
 * threads, so its faults are on pages mapped with no access. */
static int
foreign_faults(struct pages *pg)
{
	struct netdma_engine *e1 = engine_new_sva(1, "tsvaf1");
	struct netdma_engine *e2 = engine_new_sva(1, "tsvaf2");
	struct app_fault segv = { .addr = pages_none(pg) };
	struct app_fault bus = { .addr = truncated_file_page(pg) };
	struct app_fault here = { .addr = pages_none(pg) + 5 };
	struct fx f;

	CHECK(e1 != NULL && e2 != NULL);
	CHECK(!handler_is(SIGSEGV, app_handler));
	CHECK(!handler_is(SIGBUS, app_handler));

	CHECK(app_fault_in_thread(&segv) == 0);
	CHECK_EQ(segv.sig, SIGSEGV);
	CHECK(segv.seen == segv.addr);
	CHECK(app_fault_in_thread(&bus) == 0);
	CHECK_EQ(bus.sig, SIGBUS);
	CHECK(bus.seen == bus.addr);
	CHECK(app_fault_here(&here) == 0);
	CHECK_EQ(here.sig, SIGSEGV);
	CHECK(here.seen == here.addr);

	/* One SVA card left: its faults are still its own. */
	engine_destroy(e1);
	CHECK(!handler_is(SIGSEGV, app_handler));
	CHECK(fx_attach(&f, e2, 0, 32));
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].src = iova_of(segv.addr);
	doorbell(&f, 1);
	CHECK(fault_seen(&f, 0, iova_of(segv.addr), 0) == 0);
	fx_close(&f);
	CHECK(app_fault_in_thread(&segv) == 0);
	CHECK_EQ(segv.sig, SIGSEGV);

	/* None left: the application's handlers are back in place. */
	engine_destroy(e2);
	CHECK(handler_is(SIGSEGV, app_handler));
	CHECK(handler_is(SIGBUS, app_handler));
	CHECK(app_fault_in_thread(&bus) == 0);
	CHECK_EQ(bus.sig, SIGBUS);
	return 0;
}

/*
 * A fault in a thread that is not the engine's, while SVA cards exist,
 * reaches the handler installed before them (here app_handler, which
 * recovers with siglongjmp); the engine gives the signals back when its
 * last SVA card goes. Under AddressSanitizer this needs ASan to let the
 * program install SIGSEGV/SIGBUS handlers: its default (handle_segv=1,
 * handle_sigbus=1), not 2 or allow_user_segv_handler=0.
 */
static int
test_sva_foreign_fault(void)
{
	struct sigaction app, old_segv, old_bus;
	struct pages pg;
	int ret;

	memset(&app, 0, sizeof(app));
	app.sa_sigaction = app_handler;
	app.sa_flags = SA_SIGINFO;
	sigemptyset(&app.sa_mask);
	CHECK_EQ(sigaction(SIGSEGV, &app, &old_segv), 0);
	CHECK_EQ(sigaction(SIGBUS, &app, &old_bus), 0);
	if (handler_is(SIGSEGV, app_handler) &&
			handler_is(SIGBUS, app_handler)) {
		pages_init(&pg, 8 * PAGE_SZ);
		ret = foreign_faults(&pg);
		pages_fini(&pg);
	} else {
		check_report(__FILE__, __LINE__, "handler_is(SIGSEGV, "
			"app_handler)", ": the program cannot install its own "
			"SIGSEGV/SIGBUS handlers (AddressSanitizer with "
			"handle_segv=2 or allow_user_segv_handler=0?)");
		ret = CHECK_FAILED;
	}
	/* Whatever happened, no handler of this test is left behind. */
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return ret;
}

static const struct test tests[] = {
	TEST(sva_caps_iommu),
	TEST(sva_plain_memory),
};

/* Tests that make the engine fault on purpose. */
static const struct test fault_tests[] = {
	TEST(sva_desc_fault),
	TEST(sva_cmp_fault),
	TEST(sva_unmap_under_copies),
	TEST(sva_fault_among_channels),
	TEST(sva_foreign_fault),
};

/*
 * ThreadSanitizer does an instrumented atomic store inside its own
 * runtime, where a fault cannot be unwound to the engine's guard, and
 * maps memory of its own into the holes these tests punch. It looks for
 * races, which the plain tests and every other suite exercise; the fault
 * tests run in the other builds.
 */
#if defined(__SANITIZE_THREAD__)
#define FAULTS_SKIPPED	"faults are not recoverable under ThreadSanitizer"
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FAULTS_SKIPPED	"faults are not recoverable under ThreadSanitizer"
#endif
#endif
#ifndef FAULTS_SKIPPED
#define FAULTS_SKIPPED	NULL
#endif

/* The plain tests, then the fault tests, then one test per row of the
 * fault matrix: sva_fault_<row>. */
void
sva_tests(void)
{
	char name[64];
	unsigned int i;

	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < sizeof(fault_tests) / sizeof(fault_tests[0]); i++)
		if (FAULTS_SKIPPED != NULL)
			test_skip(fault_tests[i].name, FAULTS_SKIPPED);
	if (FAULTS_SKIPPED == NULL)
		test_run_list(fault_tests,
			sizeof(fault_tests) / sizeof(fault_tests[0]));
	for (i = 0; i < NB_FAULT_CASES; i++) {
		snprintf(name, sizeof(name), "sva_fault_%s",
			fault_cases[i].name);
		if (FAULTS_SKIPPED != NULL)
			test_skip(name, FAULTS_SKIPPED);
		else
			test_run_case(name, test_fault_case, &fault_cases[i]);
	}
}
