/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The engine as a device: the BAR's identity and power-on state, its
 * workers, DOORBELL and DMACOUNT, parking and the kick, several
 * channels and engines at once, and unplugging a busy engine.
 */

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---------------------------------------------------------------- *
 * Identity and workers
 * ---------------------------------------------------------------- */

static int
test_bar_identity(void)
{
	struct netdma_engine_params bad = { .nb_channels = 0 };
	int bad_cpu = CPU_SETSIZE;
	struct netdma_engine *e = engine_new(3, "tbar");
	volatile void *bar;
	unsigned int c;

	CHECK(e != NULL);
	bar = engine_bar(e);
	CHECK_EQ(bar_read8(bar, NETDMA_REG_CHANCNT), 3);
	CHECK_EQ(bar_read8(bar, NETDMA_REG_VERSION), NETDMA_HW_VERSION);
	CHECK_EQ(bar_read32(bar, NETDMA_REG_CAP),
		NETDMA_CAP_COPY | NETDMA_CAP_FILL | NETDMA_CAP_FENCE |
		NETDMA_CAP_INTR | NETDMA_CAP_INTR_DELAY |
		NETDMA_CAP_ERR_RECOVER | NETDMA_CAP_COPY_SG);
	CHECK_EQ(bar_read32(bar, NETDMA_REG_MAX_XFER), NETDMA_MAX_XFER);
	CHECK_EQ(bar_read8(bar, NETDMA_REG_MAX_SGES), NETDMA_MAX_SGES);
	CHECK_EQ(bar_read8(bar, NETDMA_REG_ARB_PRIOS), NETDMA_ARB_PRIOS);
	CHECK_EQ(bar_read8(bar, NETDMA_REG_RING_LOG2), NETDMA_MIN_RING_LOG2);
	CHECK_EQ(bar_read8(bar, NETDMA_REG_RING_LOG2_MAX),
		NETDMA_MAX_RING_LOG2);

	/* Power-on state of every channel, and one eventfd each. */
	for (c = 0; c < 3; c++) {
		volatile struct netdma_chan_regs *r = netdma_chan_regs(bar, c);

		CHECK_EQ(netdma_mmio_read(r, chansts), NETDMA_STS_IDLE,
			"channel %u", c);
		CHECK_EQ(netdma_mmio_read(r, completed), 0, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(r, doorbell), 0, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(r, chanerr), 0, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(r, chanctrl), 0, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(r, errdesc), 0, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(r, erraddr), 0, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(r, arb_weight), 1, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(r, arb_prio), 0, "channel %u", c);
		CHECK(engine_irq_fd(e, c) >= 0, "channel %u", c);
	}
	CHECK(engine_irq_fd(e, 0) != engine_irq_fd(e, 1));
	CHECK_EQ(engine_irq_fd(e, 3), (uint64_t)-EINVAL);
	engine_destroy(e);

	errno = 0;
	CHECK(engine_create(NULL) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(engine_create(&bad) == NULL && errno == EINVAL);
	bad.nb_channels = NETDMA_MAX_CHANNELS + 1;
	errno = 0;
	CHECK(engine_create(&bad) == NULL && errno == EINVAL);
	bad.nb_channels = 1;
	bad.nb_workers = 2;	/* more workers than channels */
	errno = 0;
	CHECK(engine_create(&bad) == NULL && errno == EINVAL);
	bad.nb_workers = 1;
	bad.cpus = &bad_cpu;
	bad.nb_cpus = 1;
	errno = 0;
	CHECK(engine_create(&bad) == NULL && errno == EINVAL);
	engine_destroy(NULL);
	return 0;
}

/* nb_workers threads, named <name:10>-w<n>, pinned when asked. */
static int
test_workers(void)
{
	struct netdma_engine_params p = {
		.nb_channels = 3, .nb_workers = 2, .spin_us = SPIN_US,
		.name = "tworkerslongname",
	};
	struct netdma_engine *e = engine_create(&p);
	cpu_set_t set;
	pid_t tid;
	int cpu;

	CHECK(e != NULL);
	/* One the process may use: in a cpuset, pinning elsewhere fails. */
	CHECK_EQ(allowed_cpus(&cpu, 1), 1);
	CHECK(thread_find("tworkersl-w0") < 0);
	CHECK(thread_find("tworkerslo-w0") > 0);
	CHECK(thread_find("tworkerslo-w1") > 0);
	CHECK(thread_find("tworkerslo-w2") < 0);
	engine_destroy(e);
	CHECK(thread_find("tworkerslo-w0") < 0);

	p.name = NULL;		/* default name */
	p.nb_channels = 2;
	p.nb_workers = 0;	/* one */
	p.cpus = &cpu;
	p.nb_cpus = 1;
	e = engine_create(&p);
	CHECK(e != NULL);
	CHECK(thread_find("netdma-w1") < 0);
	tid = thread_find("netdma-w0");
	CHECK(tid > 0);
	if (sched_getaffinity(tid, sizeof(set), &set) == 0) {
		CHECK_EQ(CPU_COUNT(&set), 1);
		CHECK(CPU_ISSET(cpu, &set));
	}
	engine_destroy(e);
	return 0;
}

/* ---------------------------------------------------------------- *
 * DOORBELL and DMACOUNT
 * ---------------------------------------------------------------- */

/* DOORBELL bits 31:16 are not part of DMACOUNT. */
static int
test_doorbell_high_bits(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	desc_copy(&f, 2, 2, 64, 0);
	f.dmacount = 2;
	netdma_mmio_write(f.regs, doorbell, 0xA5A50000u | f.dmacount);
	fx_kick(&f);
	CHECK(wait_completed(&f, 2));
	CHECK(wait_seen(&f));
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 2);
	CHECK(slot_copied(&f, 1, 64));
	CHECK(slot_untouched(&f, 2));
	fx_close(&f);
	return 0;
}

static uint8_t
wrap_byte(uint32_t seq, unsigned int i)
{
	return (uint8_t)(seq * 131 + i * 3 + (seq >> 8));
}

/* More than 2^16 descriptors through a 64-entry ring in batches of 50:
 * DMACOUNT wraps; every copy and every status word is checked. */
static int
test_dmacount_wrap(void)
{
	const unsigned int ring = 64, batch = 50, total = 70000;
	unsigned int done = 0;
	struct fx f;

	CHECK(fx_open(&f, ring));
	while (done < total) {
		unsigned int k, n = total - done < batch ? total - done : batch;
		unsigned int last = (done + n - 1) % ring;

		for (k = 0; k < n; k++) {
			uint32_t seq = done + k;
			unsigned int i = seq % ring, b;
			uint32_t size = 16 + seq % 33;

			for (b = 0; b < size; b++)
				src_slot(&f, i)[b] = wrap_byte(seq, b);
			memset(dst_slot(&f, i), DST_SENTINEL, 128);
			desc_copy(&f, i, i, size, k == n - 1 ?
				NETDMA_DESC_STATUS_UPDATE : 0);
		}
		doorbell(&f, n);
		CHECK(wait_completed(&f, done + n), "batch at %u timed out",
			done);
		CHECK_EQ(cmp_word(&f), desc_iova(&f, last) | NETDMA_STS_IDLE,
			"batch at %u", done);
		CHECK_EQ(chansts(&f), desc_iova(&f, last) | NETDMA_STS_IDLE,
			"batch at %u", done);
		for (k = 0; k < n; k++) {
			uint32_t seq = done + k;

			CHECK(slot_copied(&f, seq % ring, 16 + seq % 33),
				"copy %u", seq);
		}
		done += n;
	}
	CHECK_EQ(done, total);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), total);
	CHECK_EQ(netdma_mmio_read(f.regs, doorbell) & NETDMA_DMACOUNT_MASK,
		total & NETDMA_DMACOUNT_MASK);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Parking
 * ---------------------------------------------------------------- */

/*
 * The window in which a parked worker is watched: until a worker that
 * spins has used this much CPU. The spinner is the clock, so the window
 * measures the chance the parked worker had to run, whatever the speed
 * or the load of the machine; and it spans several scheduler ticks, which
 * is how often a running thread's CPU time is brought up to date.
 */
#define PARK_WINDOW_NS	(20 * NS_PER_MS)

/* Through a window of spin's CPU time, f's worker (thread parked) stays
 * parked: it makes no pass and uses next to no CPU. */
static int
parked_through(struct fx *f, pid_t parked, pid_t spin)
{
	uint64_t passes = engine_passes(f->e, f->chan);
	uint64_t cpu = thread_cpu_ns(parked), spun = thread_cpu_ns(spin);

	CHECK(WAIT_FOR(thread_cpu_ns(spin) - spun >= PARK_WINDOW_NS));
	cpu = thread_cpu_ns(parked) - cpu;
	CHECK_EQ(engine_passes(f->e, f->chan), passes,
		"the parked worker made passes");
	CHECK(cpu < PARK_WINDOW_NS / 10, "the parked worker ran for %"
		PRIu64 " us", cpu / 1000);
	CHECK(netdma_engine_parked(f->e, f->chan));
	return 0;
}

/*
 * A worker with nothing to do spins, then parks: it makes no more passes,
 * burns no CPU and no longer snoops the doorbell, until a kick.
 */
static int
test_parking(void)
{
	struct netdma_engine_params p = {
		.nb_channels = 1, .spin_us = 60 * 1000 * 1000, .name = "tspin",
	};
	struct netdma_engine *spinner;
	pid_t spin, parked;
	struct fx f;

	/* Within its spin budget a worker passes on, unparked. */
	spinner = engine_create(&p);
	CHECK(spinner != NULL);
	spin = thread_find("tspin-w0");
	CHECK(spin > 0);
	CHECK(wait_passes(spinner, 0, 1000));
	CHECK(!netdma_engine_parked(spinner, 0));

	CHECK(fx_open(&f, 32));
	parked = thread_find("tst-w0");
	CHECK(parked > 0);
	CHECK(wait_parked(&f));
	CHECK(parked_through(&f, parked, spin) == 0);

	/* Parked, it no longer snoops the doorbell: the kick is needed. */
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_STATUS_UPDATE);
	f.dmacount = 1;
	netdma_mmio_write(f.regs, doorbell, 1u);
	CHECK(parked_through(&f, parked, spin) == 0);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 0);
	engine_destroy(spinner);
	fx_kick(&f);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 0, 64));

	/* Commands wake it the same way. */
	CHECK(wait_parked(&f));
	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND));
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Several channels and engines
 * ---------------------------------------------------------------- */

struct chan_job {
	struct fx *f;
	unsigned int seed;
};

/* 200 batches of copies and fills on one channel, each checked. */
static int
chan_job_run(void *p)
{
	struct chan_job *j = p;
	struct fx *f = j->f;
	unsigned int batch, k, s;

	for (batch = 0; batch < 200; batch++) {
		unsigned int last = (batch * 16 + 15) % f->nb_desc;

		for (k = 0; k < 16; k++) {
			unsigned int i = (batch * 16 + k) % f->nb_desc;

			s = i % NB_SLOTS;
			memset(dst_slot(f, s), DST_SENTINEL, 256);
			if ((k + j->seed) % 3 == 0)
				desc_fill(f, i, s, 0x0101010101010101ull *
					(j->seed + 1), 100, 0);
			else
				desc_copy(f, i, s, 100 + j->seed, 0);
		}
		f->ring[last].ctrl |= NETDMA_DESC_STATUS_UPDATE;
		doorbell(f, 16);
		CHECK(wait_completed(f, (batch + 1) * 16ull),
			"job %u batch %u", j->seed, batch);
		CHECK_EQ(cmp_word(f), desc_iova(f, last) | NETDMA_STS_IDLE,
			"job %u batch %u", j->seed, batch);
		for (k = 0; k < 16; k++) {
			unsigned int i = (batch * 16 + k) % f->nb_desc;
			bool ok;

			s = i % NB_SLOTS;
			if ((k + j->seed) % 3 == 0)
				ok = dst_slot(f, s)[99] == (uint8_t)(j->seed + 1)
					&& dst_slot(f, s)[100] == DST_SENTINEL;
			else
				ok = slot_copied(f, s, 100 + j->seed);
			CHECK(ok, "job %u batch %u op %u", j->seed, batch, k);
		}
	}
	return 0;
}

/* Three engines of two channels, all busy at once, then isolation:
 * one engine's IOMMU does not map another's memory, one channel's halt
 * and interrupts are its own. */
static int
test_multi_engine(void)
{
	struct netdma_engine *e[3];
	struct check_thread th[6];
	struct chan_job job[6];
	unsigned int i, started, failed = 0;
	struct fx f[6];

	for (i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "tme%u", i);
		e[i] = engine_new(2, name);
		CHECK(e[i] != NULL);
	}
	for (i = 0; i < 6; i++) {
		CHECK(fx_attach(&f[i], e[i / 2], i % 2, 32));
		job[i] = (struct chan_job){ .f = &f[i], .seed = i };
	}
	for (started = 0; started < 6; started++)
		if (check_thread_start(&th[started], chan_job_run,
				&job[started]) != 0)
			break;
	for (i = 0; i < started; i++)
		failed += check_thread_join(&th[i]) != 0;
	CHECK_EQ(started, 6);
	CHECK_EQ(failed, 0);

	/* Engine 0 channel 0 pointed at engine 1's ring: not mapped here. */
	CHECK(chan_bringup(&f[0]));
	netdma_mmio_write(f[0].regs, chainaddr, desc_iova(&f[2], 0));
	netdma_mmio_write(f[0].regs, chanctrl,
		(uint16_t)(NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_ERR_INT_EN));
	doorbell(&f[0], 1);
	CHECK(wait_state(&f[0], NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f[0].regs, chanerr),
		NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(irq_wait(&f[0]), 1);

	/* Its sibling channel runs on, and its interrupt is its own. */
	CHECK(chan_bringup(&f[1]));
	memset(f[1].dst, DST_SENTINEL, BUF_LEN);
	netdma_mmio_write(f[1].regs, chanctrl,
		(uint16_t)NETDMA_CTRL_INT_REARM);
	desc_copy(&f[1], 0, 0, 64, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f[1], 1);
	CHECK(wait_completed(&f[1], 1));
	CHECK(slot_copied(&f[1], 0, 64));
	CHECK_EQ(irq_take(&f[1]), 1);
	CHECK_EQ(irq_take(&f[0]), 0);
	CHECK_EQ(chan_state(&f[0]), NETDMA_STS_HALTED);

	for (i = 0; i < 6; i++)
		fx_close(&f[i]);
	for (i = 0; i < 3; i++)
		engine_destroy(e[i]);
	return 0;
}

/* The largest engine: every channel's registers work, the last one
 * ending exactly at the end of the BAR. */
static int
test_max_channels(void)
{
	struct netdma_engine *e = engine_new(NETDMA_MAX_CHANNELS, "tmax");
	struct fx *f = xalloc(NETDMA_MAX_CHANNELS * sizeof(*f));
	unsigned int c;

	CHECK(e != NULL && f != NULL);
	for (c = 0; c < NETDMA_MAX_CHANNELS; c++) {
		CHECK(fx_attach(&f[c], e, c, 32), "channel %u", c);
		desc_copy(&f[c], 0, c, 64 + c, NETDMA_DESC_STATUS_UPDATE);
		doorbell(&f[c], 1);
	}
	for (c = 0; c < NETDMA_MAX_CHANNELS; c++) {
		CHECK(wait_completed(&f[c], 1), "channel %u", c);
		CHECK_EQ(cmp_word(&f[c]), desc_iova(&f[c], 0) |
			NETDMA_STS_IDLE, "channel %u", c);
		CHECK(slot_copied(&f[c], c, 64 + c), "channel %u", c);
	}
	for (c = 0; c < NETDMA_MAX_CHANNELS; c++)
		fx_close(&f[c]);
	engine_destroy(e);
	xfree(f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Unplug
 * ---------------------------------------------------------------- */

/* Unplugging a busy engine, or one parked on an interrupt deadline,
 * neither hangs nor touches memory afterwards (ASan, valgrind). */
static int
test_destroy_busy(void)
{
	const size_t BIG_SZ = 8 << 20;
	uint8_t *big_src, *big_dst;
	unsigned int i;
	struct fx f;

	/* 512 GiB queued, a minute of copying: unplug must not wait. */
	CHECK(fx_open(&f, 64));
	big_src = xalloc(BIG_SZ);
	big_dst = xalloc(BIG_SZ);
	memset(big_src, 0x3C, BIG_SZ);
	CHECK_EQ(iommu_map(f.e, iova_of(big_src), big_src, BIG_SZ), 0);
	CHECK_EQ(iommu_map(f.e, iova_of(big_dst), big_dst, BIG_SZ), 0);
	for (i = 0; i < f.nb_desc; i++) {
		f.ring[i].size = BIG_SZ;
		f.ring[i].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
		f.ring[i].src = iova_of(big_src);
		f.ring[i].dst = iova_of(big_dst);
	}
	doorbell(&f, 65535);
	CHECK(SPIN_FOR(chan_state(&f) == NETDMA_STS_ACTIVE));
	CHECK(engine_destroy_bounded(f.e));
	fx_free(&f);
	xfree(big_src);
	xfree(big_dst);

	CHECK(fx_open(&f, 32));
	netdma_mmio_write(f.regs, intrdelay, 60000);
	netdma_mmio_write(f.regs, chanctrl, (uint16_t)NETDMA_CTRL_INT_REARM);
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK(wait_parked(&f));
	CHECK(engine_destroy_bounded(f.e));
	fx_free(&f);
	return 0;
}

static const struct test tests[] = {
	TEST(bar_identity),
	TEST(workers),
	TEST(doorbell_high_bits),
	TEST(dmacount_wrap),
	TEST(parking),
	TEST(multi_engine),
	TEST(max_channels),
	TEST(destroy_busy),
};

void
registers_tests(void)
{
	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
}
