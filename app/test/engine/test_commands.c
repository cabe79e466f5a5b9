/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The channel state machine driven through CHANCMD: SUSPEND and RESUME,
 * ABORT, RESET, which of several command bits wins, leaving HALTED, and
 * commands that land in the middle or at the very end of a run.
 */

#include <inttypes.h>
#include <string.h>

#include "harness.h"

static int
test_suspend_resume(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND));
	CHECK_EQ(chansts(&f), NETDMA_STS_SUSPENDED);	/* address 0 */

	/* Doorbells while suspended run nothing. */
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_seen(&f));
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 0);
	CHECK(slot_untouched(&f, 0));
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 0, 64));
	CHECK(slot_copied(&f, 1, 64));

	/* RESUME on an IDLE channel changes nothing. */
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 2);
	fx_close(&f);
	return 0;
}

#define LONG_SLOTS	4	/* slots per long copy */

/*
 * Every ring entry a LONG_SLOTS-slot copy, together covering all slots:
 * a batch of n takes about n * 1 us, long enough to be caught running.
 * Each writes the status word: COMPLETED says nothing until a run ends,
 * the word shows at once whether the channel still moves.
 */
static void
ring_long_copies(struct fx *f)
{
	unsigned int i;

	for (i = 0; i < f->nb_desc; i++)
		desc_copy(f, i, (i * LONG_SLOTS) % NB_SLOTS,
			LONG_SLOTS * SLOT_SZ, NETDMA_DESC_STATUS_UPDATE);
}

/* The descriptor the worker is held in, and a page it writes. */
#define HOLD_DESC	10
#define HOLD_SLOT	(HOLD_DESC * LONG_SLOTS + 1)

/*
 * Make n long copies available and post cmd while the worker is held in
 * the copy of descriptor HOLD_DESC's first lap: mid-batch, whatever the
 * machine's speed. *c: the running count at which cmd landed; *end: the
 * count the batch would reach.
 */
static int
cmd_midbatch(struct fx *f, uint8_t cmd, unsigned int n, uint64_t *c,
		uint64_t *end)
{
	struct stall st;
	uint64_t base;

	if (!stall_open(&st))
		return test_skipped(st.why);
	ring_long_copies(f);
	base = netdma_mmio_read(f->regs, completed);
	*end = base + n;
	CHECK(stall_arm(&st, dst_slot(f, HOLD_SLOT)));
	doorbell(f, n);
	CHECK(stall_wait(&st));
	CHECK_EQ(chan_state(f), NETDMA_STS_ACTIVE);
	CHECK(stall_cmd(&st, f, cmd));
	stall_close(&st);
	*c = netdma_mmio_read(f->regs, completed);
	/* Taken at the end of the turn (spec 9.1): the held descriptor is
	 * done, the batch is not, and a turn is at most 32 descriptors at
	 * weight 1. */
	CHECK(*c > base + HOLD_DESC && *c <= base + 32, "count %" PRIu64
		" at the command, held at %u", *c - base, HOLD_DESC);
	return 0;
}

/* The engine has had its look, and the batch's status word has not
 * moved: no descriptor ran. */
static int
chan_stays(struct fx *f)
{
	uint64_t w = cmp_word(f);

	CHECK(wait_seen(f));
	CHECK_EQ(cmp_word(f), w, "a descriptor ran after the command");
	return 0;
}

/* SUSPEND lands mid-batch: the count freezes until RESUME. */
static int
test_suspend_midbatch(void)
{
	uint64_t c, end;
	struct fx f;
	unsigned int s;
	int ret;

	CHECK(fx_open(&f, 64));
	ret = cmd_midbatch(&f, NETDMA_CMD_SUSPEND, 1000, &c, &end);
	if (ret != 0) {
		fx_close(&f);
		return ret;
	}
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);
	CHECK(chan_stays(&f) == 0);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), c);
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);

	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, end));
	CHECK_EQ(chansts(&f), desc_iova(&f, (end - 1) % 64) | NETDMA_STS_IDLE);
	for (s = 0; s < NB_SLOTS; s++)
		CHECK(slot_copied(&f, s, SLOT_SZ), "slot %u", s);
	fx_close(&f);
	return 0;
}

/* ABORT drops what was made available, unexecuted; the next descriptor
 * is fetched from CHAINADDR again. */
static int
test_abort(void)
{
	struct fx f;
	unsigned int i;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));

	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND));
	for (i = 1; i <= 5; i++)
		desc_copy(&f, i, i, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 5);
	CHECK(chan_cmd(&f, NETDMA_CMD_ABORT));
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(wait_seen(&f));
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);
	for (i = 1; i <= 5; i++)
		CHECK(slot_untouched(&f, i), "slot %u", i);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	/* The channel goes on from a freshly programmed chain. */
	netdma_mmio_write(f.regs, chainaddr, desc_iova(&f, 6));
	desc_copy(&f, 6, 6, 64, 0);
	desc_copy(&f, 7, 7, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 7) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 6, 64));
	CHECK(slot_copied(&f, 7, 64));
	for (i = 1; i <= 5; i++)
		CHECK(slot_untouched(&f, i), "slot %u", i);
	fx_close(&f);
	return 0;
}

/* ABORT lands mid-batch: the rest is dropped, the count stays put. */
static int
test_abort_midbatch(void)
{
	uint64_t c, end;
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 64));
	ret = cmd_midbatch(&f, NETDMA_CMD_ABORT, 1000, &c, &end);
	if (ret != 0) {
		fx_close(&f);
		return ret;
	}
	CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);
	CHECK(chan_stays(&f) == 0);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), c);
	CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);

	/* DMACOUNT carries on from the aborted value. */
	memset(f.dst, DST_SENTINEL, BUF_LEN);
	netdma_mmio_write(f.regs, chainaddr, desc_iova(&f, 0));
	desc_copy(&f, 0, 0, 100, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, c + 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 0, 100));
	CHECK(slot_untouched(&f, 1));
	fx_close(&f);
	return 0;
}

/* RESET, from HALTED with registers dirty, gives the reset values of
 * spec 9.2 (CHAINADDR and CHANCMP are kept) and writes no status word. */
static int
test_reset(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	f.ring[1].src = 0;
	netdma_mmio_write(f.regs, intrdelay, 100);
	netdma_mmio_write(f.regs, chanerr_mask, NETDMA_CHANERR_LENGTH);
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM));
	doorbell(&f, 3);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);

	CHECK(chan_cmd(&f, NETDMA_CMD_RESET));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);	/* RESET writes no status word */
	CHECK_EQ(chansts(&f), NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, chainaddr), desc_iova(&f, 0));
	CHECK_EQ(netdma_mmio_read(f.regs, chancmp), iova_of(f.cmp));
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, doorbell), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, intrdelay), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr_mask), 0);

	/* Counting restarts at 0 and the chain at CHAINADDR. */
	memset(f.dst, DST_SENTINEL, BUF_LEN);
	f.dmacount = 0;
	netdma_mmio_write(f.regs, chainaddr, desc_iova(&f, 10));
	netdma_mmio_write(f.regs, chancmp, iova_of(f.cmp));
	desc_copy(&f, 10, 10, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 10) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 10, 64));
	CHECK(slot_untouched(&f, 2));
	fx_close(&f);
	return 0;
}

/* Several command bits: only the highest-priority one acts (RESET,
 * ABORT, SUSPEND, RESUME); reserved bits alone are acknowledged. */
static int
test_cmd_priority(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));

	CHECK(chan_cmd(&f, 0x40));
	CHECK(chan_cmd(&f, 0x80));
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND | NETDMA_CMD_RESUME));
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);
	CHECK(chan_cmd(&f, NETDMA_CMD_ABORT | NETDMA_CMD_SUSPEND));
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESET | NETDMA_CMD_ABORT));
	CHECK_EQ(chansts(&f), NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 0);
	fx_close(&f);
	return 0;
}

/* ABORT out of HALTED: pending work dropped, CHANERR cleared, ERRDESC
 * and COMPLETED kept, the failing descriptor still named in CHANSTS. */
static int
test_abort_from_halted(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	f.ring[1].size = 0;
	desc_copy(&f, 2, 2, 64, 0);
	desc_copy(&f, 3, 3, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 4);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK(chan_cmd(&f, NETDMA_CMD_ABORT));
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), desc_iova(&f, 1));
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);
	CHECK(wait_seen(&f));
	CHECK(slot_untouched(&f, 2));
	CHECK(slot_untouched(&f, 3));

	netdma_mmio_write(f.regs, chainaddr, desc_iova(&f, 4));
	desc_copy(&f, 4, 4, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 4, 64));
	CHECK(slot_untouched(&f, 2));
	CHECK(slot_untouched(&f, 3));
	fx_close(&f);
	return 0;
}

/*
 * A command that the run notices at its 32-descriptor check just as it
 * catches up with DMACOUNT. The run is over, so the channel must still go
 * IDLE, publish COMPLETED and raise the idle interrupt; a no-op command
 * (RESUME on a running channel) must not leave it looking ACTIVE.
 */
static int
test_cmd_at_run_end(void)
{
	const uint16_t armed = NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_ON_IDLE | NETDMA_CTRL_INT_REARM;
	const size_t big = 4 << 20;
	uint8_t *big_src = xalloc(big), *big_dst = xalloc(big);
	unsigned int round, i;
	uint64_t total = 0;
	struct fx f;

	CHECK(fx_open(&f, 32));
	memset(big_src, 0x77, big);
	CHECK_EQ(iommu_map(f.e, iova_of(big_src), big_src, big), 0);
	CHECK_EQ(iommu_map(f.e, iova_of(big_dst), big_dst, big), 0);
	/* A slow first descriptor, so the command is surely pending by the
	 * 32nd, which is also the last. */
	f.ring[0].size = big;
	f.ring[0].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
	f.ring[0].src = iova_of(big_src);
	f.ring[0].dst = iova_of(big_dst);
	for (i = 1; i < 32; i++)
		desc_copy(&f, i, i, 64, 0);
	for (round = 0; round < 10; round++) {
		irq_take(&f);
		netdma_mmio_write(f.regs, chanctrl, armed);
		doorbell(&f, 32);	/* one poll interval, exactly */
		total += 32;
		if (SPIN_FOR(chan_state(&f) == NETDMA_STS_ACTIVE ||
				netdma_mmio_read(f.regs, completed) == total) &&
				chan_state(&f) == NETDMA_STS_ACTIVE)
			/* ADDR does not move during a run (spec 6.3). */
			CHECK_EQ(chansts(&f), round == 0 ? NETDMA_STS_ACTIVE :
				desc_iova(&f, 31) | NETDMA_STS_ACTIVE,
				"round %u", round);
		CHECK(chan_cmd(&f, NETDMA_CMD_RESUME), "round %u", round);
		CHECK(wait_completed(&f, total),
			"round %u: COMPLETED %" PRIu64 " of %" PRIu64
			", state %u", round,
			(uint64_t)netdma_mmio_read(f.regs, completed), total,
			chan_state(&f));
		CHECK_EQ(irq_wait(&f), 1, "round %u: idle interrupt", round);
	}
	CHECK_EQ(big_dst[big - 1], 0x77);
	fx_close(&f);
	xfree(big_src);
	xfree(big_dst);
	return 0;
}

static const struct test tests[] = {
	TEST(suspend_resume),
	TEST(suspend_midbatch),
	TEST(abort),
	TEST(abort_midbatch),
	TEST(reset),
	TEST(cmd_priority),
	TEST(abort_from_halted),
	TEST(cmd_at_run_end),
};

void
commands_tests(void)
{
	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
}
