/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * How the channel halts and recovers: the descriptor error matrix
 * (err_cases, one test per row), descriptor fetch errors, completion
 * address errors, CHANERR and its mask, and the error interrupt.
 */

#include <stdio.h>
#include <string.h>

#include "harness.h"

#define UNUSED __attribute__((unused))

/* ---------------------------------------------------------------- *
 * Descriptor errors: the matrix
 * ---------------------------------------------------------------- */

/* Which field of the mangled descriptor ERRADDR names, if any. */
enum erraddr_of {
	EA_NONE,	/* no address refused: not checked */
	EA_SRC,
	EA_DST,
};

struct err_case {
	const char *name;
	void (*mangle)(struct fx *f, struct netdma_desc *d);
	uint32_t chanerr;
	uint64_t sts_err;
	enum erraddr_of erraddr;
};

/* Every case runs with src mapped a second time, at FAR_IOVA. */
#define SRC_ALIAS	FAR_IOVA

static void
m_src_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->src = 0;
}

static void
m_src_unmapped(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(f->unmapped);
}

static void
m_src_cross_end(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(f->src) + BUF_LEN - 16;
	d->size = 32;
}

static void
m_src_before_start(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(f->src) - 16;
	d->size = 32;
}

static void
m_src_iova_wraps(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->src = UINT64_MAX - 63;
	d->size = 4096;
}

static void
m_src_huge(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = NETDMA_MAX_XFER;	/* a legal length the map cannot hold */
}

static void
m_dst_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->dst = 0;
}

static void
m_dst_unmapped(struct fx *f, struct netdma_desc *d)
{
	d->dst = iova_of(f->unmapped);
}

static void
m_dst_cross_end(struct fx *f, struct netdma_desc *d)
{
	d->dst = iova_of(f->dst) + BUF_LEN - 16;
	d->size = 32;
}

static void
m_fill_dst_unmapped(struct fx *f, struct netdma_desc *d)
{
	d->ctrl = NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT;
	d->dst = iova_of(f->unmapped);
}

static void
m_len_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = 0;
}

static void
m_len_over(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = NETDMA_MAX_XFER + 1;
}

static void
m_len_u32max(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = UINT32_MAX;
}

static void
m_fill_len_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT;
	d->size = 0;
}

static void
m_op_2(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = 0x7Fu << NETDMA_DESC_OP_SHIFT;
}

static void
m_op_ff(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = 0xFFu << NETDMA_DESC_OP_SHIFT;
}

static void
m_ctrl_bit1(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl |= 1u << 1;
}

static void
m_ctrl_bit2(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl |= 1u << 2;
}

static void
m_ctrl_bit7(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl |= 1u << 7;
}

static void
m_ctrl_bit23(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl |= 1u << 23;
}

static void
m_overlap_partial(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(src_slot(f, 1));
	d->dst = d->src + 8;
	d->size = 64;
}

static void
m_overlap_same(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(src_slot(f, 1));
	d->dst = d->src;
}

/* Two IOVAs for the same memory: overlap is about what is touched. */
static void
m_overlap_alias(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(src_slot(f, 1));
	d->dst = SRC_ALIAS + SLOT_SZ + 32;
	d->size = 64;
}

/* Check order (spec 5.2): ctrl bits, op, NULL, length, src, dst. */
static void
m_null_bad_op(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = NETDMA_DESC_NULL | (0x7Fu << NETDMA_DESC_OP_SHIFT);
}

static void
m_null_rsvd_bit(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = NETDMA_DESC_NULL | (1u << 1);
}

static void
m_op_bad_len_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = 3u << NETDMA_DESC_OP_SHIFT;
	d->size = 0;
	d->src = 0;
}

static void
m_len_zero_src_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = 0;
	d->src = 0;
	d->dst = 0;
}

static void
m_src_and_dst_bad(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(f->unmapped);
	d->dst = 0;
}

static const struct err_case err_cases[] = {
	{ "src_zero", m_src_zero, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, EA_SRC },
	{ "src_unmapped", m_src_unmapped, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, EA_SRC },
	{ "src_cross_end", m_src_cross_end, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, EA_SRC },
	{ "src_before_start", m_src_before_start, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, EA_SRC },
	{ "src_iova_wraps", m_src_iova_wraps, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, EA_SRC },
	{ "src_huge", m_src_huge, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, EA_SRC },
	{ "dst_zero", m_dst_zero, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR, EA_DST },
	{ "dst_unmapped", m_dst_unmapped, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR, EA_DST },
	{ "dst_cross_end", m_dst_cross_end, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR, EA_DST },
	{ "fill_dst_unmapped", m_fill_dst_unmapped, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR, EA_DST },
	{ "len_zero", m_len_zero, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, EA_NONE },
	{ "len_over_max", m_len_over, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, EA_NONE },
	{ "len_u32max", m_len_u32max, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, EA_NONE },
	{ "fill_len_zero", m_fill_len_zero, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, EA_NONE },
	{ "op_2", m_op_2, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "op_ff", m_op_ff, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "ctrl_rsvd_bit1", m_ctrl_bit1, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "ctrl_rsvd_bit2", m_ctrl_bit2, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "ctrl_rsvd_bit7", m_ctrl_bit7, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "ctrl_rsvd_bit23", m_ctrl_bit23, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "overlap_partial", m_overlap_partial, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR, EA_NONE },
	{ "overlap_same", m_overlap_same, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR, EA_NONE },
	{ "overlap_alias", m_overlap_alias, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR, EA_NONE },
	{ "null_bad_op", m_null_bad_op, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "null_rsvd_bit", m_null_rsvd_bit, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "op_bad_len_zero", m_op_bad_len_zero, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, EA_NONE },
	{ "len_zero_src_zero", m_len_zero_src_zero, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, EA_NONE },
	{ "src_and_dst_bad", m_src_and_dst_bad, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, EA_SRC },
};

#define NB_ERR_CASES	(sizeof(err_cases) / sizeof(err_cases[0]))

/*
 * d0 good, d1 mangled, d2 good with STATUS_UPDATE. The channel must halt
 * on d1 having moved d0 only, report d1 everywhere (and in ERRADDR the
 * address refused, if one was, until the next error), refuse RESUME while
 * CHANERR is set, keep a doorbell rung while HALTED (d3) and, once CHANERR
 * is cleared, skip d1 and run d2 and d3.
 */
static int
test_error_case(const void *arg)
{
	const struct err_case *c = arg;
	uint64_t erraddr;
	struct fx f;
	unsigned int s;

	CHECK(fx_open(&f, 32));
	CHECK_EQ(iommu_map(f.e, SRC_ALIAS, f.src, BUF_LEN), 0);
	desc_copy(&f, 0, 0, 128, 0);
	desc_copy(&f, 1, 1, 128, 0);
	desc_copy(&f, 2, 2, 128, NETDMA_DESC_STATUS_UPDATE);
	c->mangle(&f, &f.ring[1]);
	erraddr = c->erraddr == EA_SRC ? f.ring[1].src : f.ring[1].dst;
	doorbell(&f, 3);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), c->chanerr);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), desc_iova(&f, 1));
	if (c->erraddr != EA_NONE)
		CHECK_EQ(netdma_mmio_read(f.regs, erraddr), erraddr);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		c->sts_err);
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		c->sts_err);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);
	CHECK(slot_copied(&f, 0, 128));
	for (s = 1; s < NB_SLOTS; s++)
		CHECK(slot_untouched(&f, s), "slot %u", s);
	CHECK(src_intact(&f));

	/* CHANERR still set: RESUME is acknowledged but the channel stays
	 * HALTED and runs nothing. */
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_seen(&f));
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), c->chanerr);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);
	CHECK(slot_untouched(&f, 2));

	/* SUSPEND does not take a channel out of HALTED either. */
	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND));
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);

	/* A doorbell while HALTED is kept for later. */
	desc_copy(&f, 3, 3, 128, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_seen(&f));
	CHECK(slot_untouched(&f, 3));

	chanerr_clear(&f);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(chansts(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), desc_iova(&f, 1));
	if (c->erraddr != EA_NONE)
		CHECK_EQ(netdma_mmio_read(f.regs, erraddr), erraddr);
	CHECK(slot_copied(&f, 2, 128));
	CHECK(slot_copied(&f, 3, 128));
	CHECK(slot_untouched(&f, 1));
	CHECK(src_intact(&f));
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Descriptor fetch errors
 * ---------------------------------------------------------------- */

/*
 * Halt while fetching d0's successor (slot 1): it is unread and has no
 * next, so RESUME counts it as processed and refetches at CHAINADDR,
 * which software points at the slot after it (spec 9.4).
 */
static int
desc_read_case(uint64_t bad_next, struct fx *f)
{
	f->ring[0].next = bad_next;
	desc_copy(f, 0, 0, 64, 0);
	desc_copy(f, 1, 1, 64, 0);
	desc_copy(f, 2, 2, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(f, 3);
	CHECK(wait_state(f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f->regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(netdma_mmio_read(f->regs, errdesc), bad_next);
	CHECK_EQ(cmp_word(f), (bad_next & NETDMA_STS_ADDR_MASK) |
		NETDMA_STS_HALTED | NETDMA_STS_ERR_DESC);
	CHECK_EQ(chansts(f), (bad_next & NETDMA_STS_ADDR_MASK) |
		NETDMA_STS_HALTED | NETDMA_STS_ERR_DESC);
	CHECK_EQ(netdma_mmio_read(f->regs, completed), 1);
	CHECK(slot_copied(f, 0, 64));
	CHECK(slot_untouched(f, 1));

	chanerr_clear(f);
	netdma_mmio_write(f->regs, chainaddr, desc_iova(f, 2));
	CHECK(chan_cmd(f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(f, 3));
	CHECK_EQ(cmp_word(f), desc_iova(f, 2) | NETDMA_STS_IDLE);
	CHECK_EQ(chansts(f), desc_iova(f, 2) | NETDMA_STS_IDLE);
	CHECK(slot_untouched(f, 1));
	CHECK(slot_copied(f, 2, 64));
	CHECK(slot_untouched(f, 3));
	return 0;
}

static int
test_desc_read_misaligned(void)
{
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	ret = desc_read_case(desc_iova(&f, 1) + 8, &f);
	fx_close(&f);
	return ret;
}

static int
test_desc_read_unmapped(void)
{
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	ret = desc_read_case(iova_of(f.unmapped), &f);
	fx_close(&f);
	return ret;
}

static int
test_desc_read_zero(void)
{
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	ret = desc_read_case(0, &f);
	fx_close(&f);
	return ret;
}

/* A descriptor straddling the end of its mapping is unreadable. */
static int
test_desc_read_cross_end(void)
{
	struct netdma_desc *two = xalloc(2 * sizeof(*two));
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	memset(two, 0, 2 * sizeof(*two));
	CHECK_EQ(iommu_map(f.e, iova_of(two), two, sizeof(*two) + 32), 0);
	ret = desc_read_case(iova_of(&two[1]), &f);
	fx_close(&f);
	xfree(two);
	return ret;
}

/* The very first fetch, at CHAINADDR, fails; so does an unaligned
 * CHAINADDR. Each failed fetch uses up its DMACOUNT slot. */
static int
test_chainaddr_bad(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chainaddr, 0);
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), 0);
	CHECK_EQ(cmp_word(&f), NETDMA_STS_HALTED | NETDMA_STS_ERR_DESC);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 0);

	/* Skipped: counted, nothing left to run. */
	chanerr_clear(&f);
	netdma_mmio_write(f.regs, chainaddr,
		desc_iova(&f, 0) + 32);		/* unaligned */
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);
	CHECK(slot_untouched(&f, 0));

	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), desc_iova(&f, 0) + 32);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);

	chanerr_clear(&f);
	netdma_mmio_write(f.regs, chainaddr, desc_iova(&f, 0));
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 2));
	CHECK(slot_untouched(&f, 0));
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 0, 64));
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Completion address errors
 * ---------------------------------------------------------------- */

/*
 * CHANCMP not writable when a STATUS_UPDATE descriptor completes. The
 * operation itself has run (the status write comes after it), which is
 * why RESUME skips rather than repeats the descriptor.
 */
static int
cmp_addr_case(struct fx *f, uint64_t bad_cmp)
{
	netdma_mmio_write(f->regs, chancmp, bad_cmp);
	desc_copy(f, 0, 0, 64, 0);
	desc_copy(f, 1, 1, 64, NETDMA_DESC_STATUS_UPDATE);
	desc_copy(f, 2, 2, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(f, 3);
	CHECK(wait_state(f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f->regs, chanerr), NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(netdma_mmio_read(f->regs, errdesc), desc_iova(f, 1));
	CHECK_EQ(chansts(f), desc_iova(f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(netdma_mmio_read(f->regs, completed), 1);
	CHECK_EQ(cmp_word(f), CMP_SENTINEL);
	CHECK(slot_copied(f, 0, 64));
	CHECK(slot_untouched(f, 2));

	netdma_mmio_write(f->regs, chancmp, iova_of(f->cmp));
	chanerr_clear(f);
	CHECK(chan_cmd(f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(f, 3));
	CHECK_EQ(cmp_word(f), desc_iova(f, 2) | NETDMA_STS_IDLE);
	CHECK(slot_copied(f, 2, 64));
	return 0;
}

static int
test_cmp_unmapped(void)
{
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	ret = cmp_addr_case(&f, iova_of(f.unmapped));
	fx_close(&f);
	return ret;
}

static int
test_cmp_misaligned(void)
{
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	ret = cmp_addr_case(&f, iova_of(f.cmp) + 4);
	fx_close(&f);
	return ret;
}

static int
test_cmp_zero(void)
{
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	ret = cmp_addr_case(&f, 0);
	fx_close(&f);
	return ret;
}

/* A halt whose own status write fails adds CMP_ADDR to the cause. */
static int
test_halt_cmp_fails_too(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chancmp, iova_of(f.unmapped));
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].size = 0;
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_LENGTH |
		NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_LEN | NETDMA_STS_ERR_ADDR);
	fx_close(&f);
	return 0;
}

/* Without ERR_COMPL_EN a halt writes no status word, CHANSTS only. */
static int
test_halt_no_compl(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chanctrl, 0);
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].src = 0;
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * CHANERR and its mask
 * ---------------------------------------------------------------- */

/* CHANERR is not write-1-to-clear in this engine (plain memory): a
 * driver that writes the bits back would never get out of HALTED. */
static int
test_chanerr_write_back(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].size = 0;
	desc_copy(&f, 1, 1, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_LENGTH);
	netdma_mmio_write(f.regs, chanerr, NETDMA_CHANERR_LENGTH);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_LENGTH);
	netdma_mmio_write(f.regs, chanerr, 0);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK(slot_untouched(&f, 0));
	CHECK(slot_copied(&f, 1, 64));
	fx_close(&f);
	return 0;
}

/* Masked errors do not halt: the descriptor is consumed without effect,
 * its flags act normally, CHANERR records the bit, ERRDESC does not move. */
static int
test_masked_errors(void)
{
	const uint32_t mask = NETDMA_CHANERR_SRC_ADDR | NETDMA_CHANERR_LENGTH;
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chanerr_mask, mask);
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	f.ring[1].src = 0;
	desc_copy(&f, 2, 2, 64, 0);
	f.ring[2].size = 0;
	desc_copy(&f, 3, 3, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 4);
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), mask);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), 0);
	CHECK(slot_copied(&f, 0, 64));
	CHECK(slot_untouched(&f, 1));
	CHECK(slot_untouched(&f, 2));
	CHECK(slot_copied(&f, 3, 64));

	/* The failing descriptor's own STATUS_UPDATE and INT_ON_COMPL: a
	 * clean status word, and the interrupt. */
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 4, 4, 64, NETDMA_DESC_STATUS_UPDATE |
		NETDMA_DESC_INT_ON_COMPL);
	f.ring[4].src = iova_of(f.unmapped);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);
	CHECK_EQ(irq_take(&f), 1);
	CHECK(slot_untouched(&f, 4));
	fx_close(&f);
	return 0;
}

/* An unmasked error after a masked one: the halt's summary is its own
 * cause only, and RESUME needs every CHANERR bit cleared. */
static int
test_masked_then_unmasked(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chanerr_mask, NETDMA_CHANERR_LENGTH);
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].size = 0;			/* masked */
	desc_copy(&f, 1, 1, 64, 0);
	f.ring[1].src = 0;			/* not masked */
	desc_copy(&f, 2, 2, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 3);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), desc_iova(&f, 1));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_SRC_ADDR |
		NETDMA_CHANERR_LENGTH);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);

	/* Clearing only the halt's cause is not enough. */
	netdma_mmio_clear(f.regs, chanerr, NETDMA_CHANERR_SRC_ADDR);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);

	chanerr_clear(&f);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 3));
	CHECK(slot_untouched(&f, 1));
	CHECK(slot_copied(&f, 2, 64));
	fx_close(&f);
	return 0;
}

/* DESC_READ and CMP_ADDR halt whatever CHANERR_MASK says. */
static int
test_mask_cannot_hide(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chanerr_mask, 0xFFFFFFFFu);
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].next = iova_of(f.unmapped);
	doorbell(&f, 2);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), iova_of(f.unmapped));
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);

	CHECK(chan_bringup(&f));
	netdma_mmio_write(f.regs, chanerr_mask, 0xFFFFFFFFu);
	netdma_mmio_write(f.regs, chancmp, iova_of(f.unmapped));
	f.ring[0].next = desc_iova(&f, 1);
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), desc_iova(&f, 0));
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 0);
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Error interrupt
 * ---------------------------------------------------------------- */

/* ERR_INT_EN: a halt interrupts whether or not INT_REARM is set. */
static int
test_err_int(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));

	/* Not enabled: no interrupt, even armed; REARM stays. */
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].src = 0;
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK(wait_seen(&f));
	CHECK_EQ(irq_take(&f), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_REARM);

	/* Enabled, not armed: one interrupt. */
	CHECK(chan_bringup(&f));
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_ERR_INT_EN));
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(irq_wait(&f), 1);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), NETDMA_CHANERR_SRC_ADDR);
	fx_close(&f);
	return 0;
}

static const struct test tests[] = {
	TEST(desc_read_misaligned),
	TEST(desc_read_unmapped),
	TEST(desc_read_zero),
	TEST(desc_read_cross_end),
	TEST(chainaddr_bad),
	TEST(cmp_unmapped),
	TEST(cmp_misaligned),
	TEST(cmp_zero),
	TEST(halt_cmp_fails_too),
	TEST(halt_no_compl),
	TEST(chanerr_write_back),
	TEST(masked_errors),
	TEST(masked_then_unmasked),
	TEST(mask_cannot_hide),
	TEST(err_int),
};

/* The plain tests, then one test per row of the matrix: error_<row>. */
void
errors_tests(void)
{
	char name[64];
	unsigned int i;

	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < NB_ERR_CASES; i++) {
		snprintf(name, sizeof(name), "error_%s", err_cases[i].name);
		test_run_case(name, test_error_case, &err_cases[i]);
	}
}
