/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * What a descriptor does and how its completion is reported: COPY, FILL
 * and NULL with exact bytes, the status word (ACTIVE when more is
 * available, IDLE at the tail), STATUS_ON_IDLE, and the four combinations
 * of STATUS_UPDATE and INT_ON_COMPL.
 */

#include <string.h>

#include "harness.h"

/* ---------------------------------------------------------------- *
 * Operations
 * ---------------------------------------------------------------- */

/* Copies of odd sizes; exact bytes, nothing past the end. */
static int
test_copy_basic(void)
{
	static const uint32_t sizes[] = { 1, 7, 64, 4095, SLOT_SZ };
	struct fx f;
	unsigned int i, n = sizeof(sizes) / sizeof(sizes[0]);

	CHECK(fx_open(&f, 32));
	for (i = 0; i < n; i++)
		desc_copy(&f, i, i, sizes[i], i == n - 1 ?
			NETDMA_DESC_STATUS_UPDATE : 0);
	doorbell(&f, n);
	CHECK(wait_completed(&f, n));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, n - 1) | NETDMA_STS_IDLE);
	CHECK_EQ(chansts(&f), desc_iova(&f, n - 1) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	for (i = 0; i < n; i++)
		CHECK(slot_copied(&f, i, sizes[i]), "size %u", sizes[i]);
	CHECK(slot_untouched(&f, n));
	CHECK(src_intact(&f));
	CHECK_EQ(irq_take(&f), 0);
	fx_close(&f);
	return 0;
}

/* FILL: the 8-byte pattern little-endian, repeated, tail partial. */
static int
test_fill(void)
{
	static const uint32_t sizes[] = { 1, 8, 13, 100, SLOT_SZ - 3 };
	const uint64_t pat = 0x0807060504030201ull;
	struct fx f;
	unsigned int i, k, n = sizeof(sizes) / sizeof(sizes[0]);

	CHECK(fx_open(&f, 32));
	for (i = 0; i < n; i++)
		desc_fill(&f, i, i, pat ^ ((uint64_t)i << 56), sizes[i],
			i == n - 1 ? NETDMA_DESC_STATUS_UPDATE : 0);
	/* The spec's example, at an odd destination address. */
	desc_fill(&f, n, n, 0x8877665544332211ull, 11, 0);
	f.ring[n].dst += 3;
	doorbell(&f, n + 1);
	CHECK(wait_completed(&f, n + 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, n - 1) | NETDMA_STS_ACTIVE);
	CHECK(memcmp(dst_slot(&f, n), "\xEE\xEE\xEE\x11\x22\x33\x44\x55"
		"\x66\x77\x88\x11\x22\x33\xEE", 15) == 0);
	for (i = 0; i < n; i++) {
		uint64_t p = pat ^ ((uint64_t)i << 56);
		bool ok = true;

		for (k = 0; k < sizes[i]; k++)
			ok &= dst_slot(&f, i)[k] == (uint8_t)(p >> (8 * (k % 8)));
		for (; k < SLOT_SZ; k++)
			ok &= dst_slot(&f, i)[k] == DST_SENTINEL;
		CHECK(ok, "size %u", sizes[i]);
	}
	fx_close(&f);
	return 0;
}

/* NULL descriptors move nothing and skip every operand check; FENCE,
 * CACHE_HINT and nonzero reserved words are legal. */
static int
test_null_and_flags(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	f.ring[0].ctrl = NETDMA_DESC_NULL;	/* size, src, dst all 0 */
	desc_copy(&f, 1, 1, 100, NETDMA_DESC_FENCE);
	desc_copy(&f, 2, 2, 100, NETDMA_DESC_CACHE_HINT);
	desc_copy(&f, 3, 3, 100, 0);
	memset(f.ring[3].rsvd, 0xFF, sizeof(f.ring[3].rsvd));
	f.ring[4].ctrl = NETDMA_DESC_NULL | NETDMA_DESC_STATUS_UPDATE |
		(NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT);
	f.ring[4].dst = iova_of(f.unmapped);
	doorbell(&f, 5);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);
	CHECK(slot_untouched(&f, 0));
	CHECK(slot_copied(&f, 1, 100));
	CHECK(slot_copied(&f, 2, 100));
	CHECK(slot_copied(&f, 3, 100));
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Completion flags: STATUS_UPDATE x INT_ON_COMPL
 * ---------------------------------------------------------------- */

/* STATUS_UPDATE on a descriptor that is not the last available: ACTIVE. */
static int
test_status_active(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 32, 0);
	desc_copy(&f, 1, 1, 32, NETDMA_DESC_STATUS_UPDATE);
	desc_copy(&f, 2, 2, 32, 0);
	desc_copy(&f, 3, 3, 32, 0);
	doorbell(&f, 4);
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_ACTIVE);
	/* CHANSTS follows every descriptor, the word only flagged ones. */
	CHECK_EQ(chansts(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 3, 32));
	fx_close(&f);
	return 0;
}

/* INT_ON_COMPL alone: no status write; irq iff INT_REARM; one-shot. */
static int
test_int_only(void)
{
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN;
	struct fx f;

	CHECK(fx_open(&f, 32));

	/* Not armed: the descriptor completes silently. */
	desc_copy(&f, 0, 0, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(irq_take(&f), 0);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	CHECK(slot_copied(&f, 0, 32));

	/* Armed: exactly one interrupt, and firing consumes INT_REARM
	 * but leaves the other control bits alone. */
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(ctrl | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 1, 1, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(irq_take(&f), 1);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), ctrl);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	/* Not re-armed: the next one raises nothing. */
	desc_copy(&f, 2, 2, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(irq_take(&f), 0);

	/* Re-armed: two INT descriptors in one batch still give one. */
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(ctrl | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 3, 3, 32, NETDMA_DESC_INT_ON_COMPL);
	desc_copy(&f, 4, 4, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(irq_take(&f), 1);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	CHECK(slot_copied(&f, 4, 32));
	fx_close(&f);
	return 0;
}

static int
test_int_and_status(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 0, 0, 32, 0);
	desc_copy(&f, 1, 1, 32, NETDMA_DESC_INT_ON_COMPL |
		NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK_EQ(irq_take(&f), 1);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN);
	fx_close(&f);
	return 0;
}

/* No flags: no status write, no irq (even armed), but CHANSTS and
 * completed advance; a later STATUS_UPDATE covers the silent ones. */
static int
test_no_flags(void)
{
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM;
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chanctrl, ctrl);
	desc_copy(&f, 0, 0, 48, 0);
	desc_copy(&f, 1, 1, 48, 0);
	desc_copy(&f, 2, 2, 48, 0);
	doorbell(&f, 3);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(chansts(&f), desc_iova(&f, 2) | NETDMA_STS_IDLE);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	CHECK_EQ(irq_take(&f), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), ctrl, "still armed");
	CHECK(slot_copied(&f, 2, 48));

	desc_copy(&f, 3, 3, 48, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(chansts(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 3, 48));
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * STATUS_ON_IDLE
 * ---------------------------------------------------------------- */

/*
 * STATUS_ON_IDLE: a run that catches up writes the status word itself,
 * once, if anything was processed since the last write; without the bit
 * an unflagged batch writes nothing.
 */
static int
test_status_on_idle(void)
{
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_STATUS_ON_IDLE;
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chanctrl, ctrl);
	desc_copy(&f, 0, 0, 40, 0);
	desc_copy(&f, 1, 1, 40, 0);
	desc_copy(&f, 2, 2, 40, 0);
	doorbell(&f, 3);
	CHECK(wait_completed(&f, 3));
	CHECK(WAIT_FOR(cmp_word(&f) == (desc_iova(&f, 2) | NETDMA_STS_IDLE)));
	CHECK(slot_copied(&f, 2, 40));

	/* A batch whose last descriptor already wrote the word gets no
	 * second (idle) write: the sentinel put back after it survives. */
	desc_copy(&f, 3, 3, 40, 0);
	desc_copy(&f, 4, 4, 40, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);
	__atomic_store_n(f.cmp, CMP_SENTINEL, __ATOMIC_RELEASE);
	CHECK(wait_seen(&f));
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	/* Without the bit, an unflagged batch leaves the word alone. */
	netdma_mmio_write(f.regs, chanctrl, (uint16_t)NETDMA_CTRL_ERR_COMPL_EN);
	desc_copy(&f, 5, 5, 40, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 6));
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	CHECK_EQ(chansts(&f), desc_iova(&f, 5) | NETDMA_STS_IDLE);
	fx_close(&f);
	return 0;
}

/*
 * A failed idle write halts between descriptors: CMP_ADDR, HALTED on the
 * last processed one, and RESUME skips nothing: the next op still runs.
 */
static int
test_status_on_idle_cmp_fails(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_STATUS_ON_IDLE));
	netdma_mmio_write(f.regs, chancmp, FAR_IOVA);
	desc_copy(&f, 0, 0, 40, 0);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK(netdma_mmio_read(f.regs, chanerr) & NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(netdma_sts_addr(chansts(&f)), desc_iova(&f, 0));
	CHECK(slot_copied(&f, 0, 40));

	netdma_mmio_write(f.regs, chancmp, iova_of(f.cmp));
	chanerr_clear(&f);
	desc_copy(&f, 1, 1, 40, 0);
	doorbell(&f, 1);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 2));
	CHECK(slot_copied(&f, 1, 40));
	CHECK(WAIT_FOR(cmp_word(&f) == (desc_iova(&f, 1) | NETDMA_STS_IDLE)));
	fx_close(&f);
	return 0;
}

static const struct test tests[] = {
	TEST(copy_basic),
	TEST(fill),
	TEST(null_and_flags),
	TEST(status_active),
	TEST(int_only),
	TEST(int_and_status),
	TEST(no_flags),
	TEST(status_on_idle),
	TEST(status_on_idle_cmp_fails),
};

void
completion_tests(void)
{
	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
}
