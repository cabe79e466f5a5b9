/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * When the channel's eventfd fires: coalescing through INTRDELAY and the
 * lifetime of its timer, INT_ON_IDLE, and the driver's arm-then-look
 * sleep protocol. INT_ON_COMPL and its one-shot INT_REARM are tested with
 * the other completion flags in test_completion.c, the error interrupt
 * with the errors in test_errors.c.
 */

#include <stdio.h>

#include "harness.h"

/*
 * INTRDELAY: INT completions close together give one interrupt, no
 * earlier than INTRDELAY after the first. Seen any earlier, it came too
 * early; a slow machine can only see it later.
 */
static int
test_intr_coalescing(void)
{
	const uint64_t delay_ns = 40 * NS_PER_MS;
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM;
	uint64_t t0, t_done, v;
	struct fx f;
	unsigned int i;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, intrdelay, (uint16_t)(delay_ns / 1000));
	netdma_mmio_write(f.regs, chanctrl, ctrl);
	t0 = now_ns();
	for (i = 0; i < 3; i++) {
		desc_copy(&f, i, i, 32, NETDMA_DESC_INT_ON_COMPL);
		doorbell(&f, 1);
		CHECK(wait_completed(&f, i + 1));
	}
	t_done = now_ns();	/* no timer can start after this */
	v = irq_wait(&f);
	CHECK(now_ns() - t0 >= delay_ns, "interrupt before INTRDELAY");
	CHECK_EQ(v, 1);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN);
	/* No second, late interrupt, from a timer the later completions
	 * might have started. */
	CHECK(wait_seen_after(&f, t_done + delay_ns));
	CHECK_EQ(irq_take(&f), 0);

	/* Disarmed now: a further INT completion stays silent. */
	desc_copy(&f, 3, 3, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 4));
	CHECK(wait_seen_after(&f, now_ns() + delay_ns));
	CHECK_EQ(irq_take(&f), 0);

	/* Re-armed: the delay applies again, from the new completion. */
	netdma_mmio_write(f.regs, chanctrl, ctrl);
	t0 = now_ns();
	desc_copy(&f, 4, 4, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(irq_wait(&f), 1);
	CHECK(now_ns() - t0 >= delay_ns);
	fx_close(&f);
	return 0;
}

/* The coalescing timer: cancelled by RESET, not by disarming (a re-arm
 * is then consumed by the old timer, spec 8.3). */
static int
test_intr_timer_lifetime(void)
{
	const uint64_t delay_ns = 30 * NS_PER_MS;
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM;
	uint64_t t0;
	struct fx f;

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, intrdelay, (uint16_t)(delay_ns / 1000));
	netdma_mmio_write(f.regs, chanctrl, ctrl);
	t0 = now_ns();
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	netdma_mmio_clear(f.regs, chanctrl, NETDMA_CTRL_INT_REARM);
	netdma_mmio_set(f.regs, chanctrl, NETDMA_CTRL_INT_REARM);
	CHECK_EQ(irq_wait(&f), 1);
	CHECK(now_ns() - t0 >= delay_ns);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN);

	/* Pending timer, then RESET: arming afterwards raises nothing. */
	netdma_mmio_write(f.regs, chanctrl, ctrl);
	desc_copy(&f, 1, 1, 64, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 2));
	t0 = now_ns();		/* the timer is due by t0 + delay_ns */
	CHECK(chan_bringup(&f));
	netdma_mmio_set(f.regs, chanctrl, NETDMA_CTRL_INT_REARM);
	CHECK(wait_seen_after(&f, t0 + delay_ns));
	CHECK_EQ(irq_take(&f), 0);
	CHECK(netdma_mmio_read(f.regs, chanctrl) & NETDMA_CTRL_INT_REARM);
	fx_close(&f);
	return 0;
}

/* INT_ON_IDLE: going idle is an interrupt source, still one-shot
 * through INT_REARM, for descriptors that carry no INT flag. */
static int
test_int_on_idle(void)
{
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_ON_IDLE;
	struct fx f;

	CHECK(fx_open(&f, 32));

	/* Not armed: idle raises nothing. */
	netdma_mmio_write(f.regs, chanctrl, ctrl);
	desc_copy(&f, 0, 0, 64, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK(wait_seen(&f));
	CHECK_EQ(irq_take(&f), 0);

	/* Armed: one interrupt for a whole batch of flagless descriptors. */
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(ctrl | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 1, 1, 64, 0);
	desc_copy(&f, 2, 2, 64, 0);
	desc_copy(&f, 3, 3, 64, 0);
	doorbell(&f, 3);
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(irq_wait(&f), 1);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), ctrl);
	CHECK(slot_copied(&f, 3, 64));
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	/* An INT descriptor fires first and consumes the arm: one in all. */
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(ctrl | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 4, 4, 64, NETDMA_DESC_INT_ON_COMPL);
	desc_copy(&f, 5, 5, 64, 0);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 6));
	CHECK_EQ(irq_wait(&f), 1);
	CHECK(wait_seen(&f));
	CHECK_EQ(irq_take(&f), 0);

	/* Without INT_ON_IDLE, an armed channel going idle stays quiet. */
	netdma_mmio_write(f.regs, chanctrl,
		(uint16_t)(NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 6, 6, 64, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 7));
	CHECK(wait_seen(&f));
	CHECK_EQ(irq_take(&f), 0);
	fx_close(&f);
	return 0;
}

/*
 * The driver's sleep protocol: submit, then arm INT_ON_IDLE, then look
 * at the count. Either the look sees the batch done or an interrupt
 * comes; a lost wake-up shows as a timeout here.
 */
static int
test_int_on_idle_arm_race(void)
{
	const uint16_t armed = NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_ON_IDLE | NETDMA_CTRL_INT_REARM;
	unsigned int round, slept = 0;
	uint64_t total = 0;
	struct fx f;

	CHECK(fx_open(&f, 64));
	for (round = 0; round < 2000; round++) {
		unsigned int k, n = 1 + round % 8;

		for (k = 0; k < n; k++) {
			unsigned int i = (total + k) % 64;

			desc_copy(&f, i, i, 64 + round % 512, 0);
		}
		netdma_mmio_write(f.regs, chanctrl,
			(uint16_t)NETDMA_CTRL_ERR_COMPL_EN);
		doorbell(&f, n);
		total += n;
		/* arm, then re-check: the handshake of spec 8.4 */
		netdma_mmio_write_sc(f.regs, chanctrl, armed);
		if (netdma_mmio_read_sc(f.regs, completed) != total ||
				chan_state(&f) == NETDMA_STS_ACTIVE) {
			slept++;
			CHECK(irq_wait(&f) != 0, "round %u: lost wake-up",
				round);
		}
		CHECK(wait_completed(&f, total), "round %u", round);
		irq_take(&f);	/* both sides may have seen each other */
	}
	CHECK_EQ(netdma_mmio_read(f.regs, completed), total);
	printf("     (%u of %u rounds waited for the interrupt)\n", slept,
		round);
	fx_close(&f);
	return 0;
}

static const struct test tests[] = {
	TEST(intr_coalescing),
	TEST(intr_timer_lifetime),
	TEST(int_on_idle),
	TEST(int_on_idle_arm_race),
};

void
interrupts_tests(void)
{
	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
}
