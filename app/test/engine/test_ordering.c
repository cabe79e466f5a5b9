/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The ordering guarantees of the completion path (spec 6.2, 6.4, 7, 8.4),
 * which the NetDMA seed states and a driver builds on:
 *
 *  - the status word names a descriptor only once its data is complete;
 *  - the status word is one 64-bit store, never seen half written;
 *  - an interrupt is raised only after the status write of the event
 *    that caused it, and a descriptor raises one only if it asks;
 *  - the engine fences between its status write and its CHANCTRL read,
 *    so a driver that arms and then re-checks never sleeps through a
 *    completion.
 *
 * A wrong order shows only at the instant it happens, so these tests look
 * at that instant: a second core polls the status word or the eventfd and
 * checks what must already be there the moment it changes. The engine's
 * worker and the test thread are pinned to two different CPUs and the
 * worker never parks, so that the two really run at the same time. A
 * process that may use one CPU only still checks every round, but its
 * races cannot claim to have met the window.
 */

#include <stdio.h>
#include <string.h>

#include "harness.h"

/* The worker spins this long before parking: longer than any test here. */
#define RACE_SPIN_US		(10 * 1000 * 1000)

/* The CPUs the races run on: the test thread on [0], the worker on [1];
 * with only one to be had, both share it, and a race cannot race. */
static int race_cpu[2];
static unsigned int race_nb_cpu;

/* Pin this thread to one CPU and the new engine's worker to another, if
 * the process may use two; the worker spins spin_us before it parks, and
 * drops an idle channel after quiet busy passes (0: the default). NULL
 * (reported) on failure. */
static struct netdma_engine *
race_engine_new(const char *name, unsigned int nb_chan, unsigned int spin_us,
		unsigned int quiet)
{
	struct netdma_engine_params p = {
		.nb_channels = nb_chan,
		.spin_us = spin_us,
		.quiet_passes = quiet,
		.name = name,
	};
	struct netdma_engine *e;

	race_nb_cpu = allowed_cpus(race_cpu, 2);
	if (race_nb_cpu == 2) {
		p.cpus = &race_cpu[1];
		p.nb_cpus = 1;
		pin_self(race_cpu[0]);
	} else {
		/* Sharing the CPU, a spinning worker would only stall us. */
		p.spin_us = SPIN_US;
		printf("     (one CPU only: this race cannot race)\n");
	}
	e = engine_create(&p);
	if (e == NULL)
		perror("netdma_engine_create");
	return e;
}

/* Fixtures on every channel of a race engine of their own. */
static bool
race_fxs_open(struct fx *f, unsigned int nb_chan, unsigned int nb_desc,
		const char *name, unsigned int spin_us, unsigned int quiet)
{
	struct netdma_engine *e = race_engine_new(name, nb_chan, spin_us,
		quiet);
	unsigned int c;

	if (e == NULL)
		return false;
	for (c = 0; c < nb_chan; c++) {
		if (!fx_attach(&f[c], e, c, nb_desc)) {
			engine_destroy(e);
			while (c-- > 0)
				fx_free(&f[c]);
			return false;
		}
	}
	f[0].own_engine = true;
	return true;
}

/* A fixture on a race engine of its own, whose worker never parks. */
static bool
race_fx_open(struct fx *f, unsigned int nb_desc, const char *name)
{
	return race_fxs_open(f, 1, nb_desc, name, RACE_SPIN_US, 0);
}

static void
race_fx_close(struct fx *f)
{
	fx_close(f);
	unpin_self();
}

/* The first interrupt within TIMEOUT_NS, spinning on the eventfd. */
static uint64_t
irq_spin(struct fx *f)
{
	uint64_t v = 0;

	SPIN_FOR((v = irq_take(f)) != 0);
	return v;
}

/*
 * A race runs for a number of rounds, but stops early at its time budget:
 * on a machine busy with other work the two threads rarely run at the
 * same time, and in a sanitizer build everything is slower, so a round
 * can take milliseconds instead of microseconds; a race that cannot be
 * won in time is not worth the wait. A starved race still checks every
 * round it ran; it only cannot claim to have covered the window, and
 * says so.
 */
#define RACE_BUDGET_NS		(1500 * NS_PER_MS)

struct race {
	uint64_t end;		/* now_ns() deadline */
	unsigned int rounds;	/* rounds wanted */
};

static struct race
race_start(unsigned int rounds)
{
	struct race r = { now_ns() + RACE_BUDGET_NS, rounds };

	return r;
}

/* Another round, unless the wanted ones are done or time is up. */
static bool
race_more(const struct race *r, unsigned int round)
{
	return round < r->rounds && now_ns() < r->end;
}

/*
 * True, with a note, when the race cannot claim to have covered its
 * window: it ran out of time before its rounds, or its two sides shared
 * one CPU (said when the engine was made).
 */
static bool
race_uncovered(const struct race *r, unsigned int round)
{
	if (race_nb_cpu < 2)
		return true;
	if (round >= r->rounds)
		return false;
	printf("     (time budget spent after %u of %u rounds: the race "
		"window was not fully covered)\n", round, r->rounds);
	return true;
}

/*
 * A race covered its window when its rounds fell on both sides of the
 * instant it races against: between 5% and 95% of them were late. 0, or
 * CHECK_FAILED naming what never met.
 */
static int
race_straddled(const struct race *r, unsigned int round, unsigned int late,
		const char *what)
{
	if (!race_uncovered(r, round))
		CHECK(late > round / 20 && late < round - round / 20,
			"%s: %u of %u rounds late", what, late, round);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Data before status
 * ---------------------------------------------------------------- */

#define BIG_STRIDE		(1u << 20)	/* per descriptor in src, dst */
#define BIG_ROUNDS		16

/*
 * The descriptors of a round. Large ones run in 64 KiB engine slices; a
 * COPY of one slice or less runs whole on the engine's short path.
 */
static const struct big_desc {
	uint32_t op;
	uint32_t size;
} big_descs[] = {
	{ NETDMA_OP_COPY, BIG_STRIDE },
	{ NETDMA_OP_FILL, BIG_STRIDE },
	{ NETDMA_OP_COPY, 64u << 10 },
	{ NETDMA_OP_COPY, BIG_STRIDE },
	{ NETDMA_OP_COPY, 40000 },
	{ NETDMA_OP_FILL, BIG_STRIDE - 8 },
	{ NETDMA_OP_COPY, 64u << 10 },
	{ NETDMA_OP_COPY, BIG_STRIDE },
};

#define BIG_DESCS	(sizeof(big_descs) / sizeof(big_descs[0]))

static uint64_t
big_fill_pattern(unsigned int round, unsigned int i)
{
	return 0x0101010101010101ull * (uint8_t)(round * BIG_DESCS + i + 1) ^
		0x00FF00FF00FF00FFull;
}

/*
 * Bytes [from, to) of descriptor i of a round are written. Copies and
 * fills move their data front to back, so the last line of a descriptor
 * is the last to land: checking it alone takes no time, so the test can
 * do it the instant the status word changes and look again at once.
 */
static bool
big_desc_written(const uint8_t *src, const uint8_t *dst, unsigned int round,
		unsigned int i, size_t from, size_t to)
{
	const uint8_t *d = dst + (size_t)i * BIG_STRIDE;
	uint64_t pat = big_fill_pattern(round, i), w;
	size_t off;

	if (big_descs[i].op == NETDMA_OP_COPY)
		return memcmp(d + from, src + (size_t)i * BIG_STRIDE + from,
			to - from) == 0;
	for (off = from; off < to; off += 8) {	/* sizes are multiples of 8 */
		memcpy(&w, d + off, 8);
		if (w != pat)
			return false;
	}
	return true;
}

static bool
big_desc_tail_written(const uint8_t *src, const uint8_t *dst,
		unsigned int round, unsigned int i)
{
	return big_desc_written(src, dst, round, i, big_descs[i].size - 64,
		big_descs[i].size);
}

/*
 * Every byte the status word names as done is there the instant the word
 * changes: the test spins on the word while the engine copies and fills,
 * each descriptor with STATUS_UPDATE. The moment the word names a
 * descriptor, the last line of it and of every one before it must be
 * written; once the round is over, every byte.
 */
static int
test_status_after_data(void)
{
	const size_t len = BIG_DESCS * BIG_STRIDE;
	struct race r = race_start(BIG_ROUNDS);
	unsigned int round, seen = 0;
	uint8_t *src, *dst;
	struct fx f;

	CHECK(race_fx_open(&f, 32, "ord-data"));
	src = xalloc(len);
	dst = xalloc(len);
	CHECK(iommu_map(f.e, iova_of(src), src, len) == 0);
	CHECK(iommu_map(f.e, iova_of(dst), dst, len) == 0);
	for (round = 0; race_more(&r, round); round++) {
		unsigned int i, first = round * BIG_DESCS, checked = 0;
		uint64_t last = CMP_SENTINEL, dl = now_ns() + TIMEOUT_NS;

		/* New bytes each round: the last round's cannot pass. */
		memset(src, 0x5A + round, len);
		for (i = 0; i < BIG_DESCS; i++)
			src[(size_t)i * BIG_STRIDE + round] = (uint8_t)i;
		memset(dst, DST_SENTINEL, len);
		__atomic_store_n(f.cmp, CMP_SENTINEL, __ATOMIC_RELEASE);
		for (i = 0; i < BIG_DESCS; i++) {
			struct netdma_desc *d =
				&f.ring[(first + i) % f.nb_desc];

			d->size = big_descs[i].size;
			d->ctrl = NETDMA_DESC_STATUS_UPDATE |
				big_descs[i].op << NETDMA_DESC_OP_SHIFT;
			d->src = big_descs[i].op == NETDMA_OP_COPY ?
				iova_of(src + (size_t)i * BIG_STRIDE) :
				big_fill_pattern(round, i);
			d->dst = iova_of(dst + (size_t)i * BIG_STRIDE);
		}
		doorbell(&f, BIG_DESCS);
		while (checked < BIG_DESCS) {
			uint64_t v = cmp_word(&f);
			unsigned int k;

			if (v == last) {
				CHECK(now_ns() < dl, "round %u: stuck at %u",
					round, checked);
				__builtin_ia32_pause();
				continue;
			}
			last = v;
			seen++;
			for (k = checked; k < BIG_DESCS; k++)
				if (netdma_sts_addr(v) == desc_iova(&f,
						(first + k) % f.nb_desc))
					break;
			CHECK(k < BIG_DESCS, "round %u: status 0x%" PRIx64
				" names no descriptor left", round, v);
			for (; checked <= k; checked++)
				CHECK(big_desc_tail_written(src, dst, round,
					checked), "round %u: the status word "
					"names descriptor %u, but the data of "
					"%u is not all there (0x%" PRIx64 ")",
					round, k, checked, v);
		}
		CHECK(wait_completed(&f, (uint64_t)(round + 1) * BIG_DESCS));
		for (i = 0; i < BIG_DESCS; i++)
			CHECK(big_desc_written(src, dst, round, i, 0,
				big_descs[i].size), "round %u: descriptor %u",
				round, i);
	}
	/* Every round ended in a word the test checked. How many it saw
	 * between descriptors depends on how often it had its CPU. */
	CHECK(seen >= round, "saw %u status words in %u rounds", seen, round);
	printf("     (%u status words seen in %u rounds)\n", seen, round);
	race_uncovered(&r, round);
	race_fx_close(&f);
	xfree(src);
	xfree(dst);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Status before interrupt, and only the flag raises one
 * ---------------------------------------------------------------- */

#define IRQ_ROUNDS		10000

/* What raises the interrupt in an irq_case round, and what the status
 * word must say the instant the eventfd fires. */
struct irq_case {
	const char *name;
	uint16_t ctrl;		/* CHANCTRL for the round, arm included */
	uint32_t flags;		/* on the round's descriptor */
	bool halts;		/* the descriptor's source is unmapped */
	uint64_t sts_state;	/* the word: descriptor | this */
};

static const struct irq_case irq_cases[] = {
	{ "int_on_compl", NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM,
		NETDMA_DESC_STATUS_UPDATE | NETDMA_DESC_INT_ON_COMPL, false,
		NETDMA_STS_IDLE },
	{ "int_on_idle", NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM |
		NETDMA_CTRL_INT_ON_IDLE | NETDMA_CTRL_STATUS_ON_IDLE, 0, false,
		NETDMA_STS_IDLE },
	{ "halt", NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_ERR_INT_EN, 0, true,
		NETDMA_STS_HALTED | NETDMA_STS_ERR_ADDR },
};

/*
 * The status word is already written when the eventfd fires: the test
 * spins on the eventfd and reads the word the instant it gets a count.
 * A halt round recovers with RESUME, which skips the failed descriptor.
 */
static int
irq_after_status(const void *arg)
{
	const struct irq_case *c = arg;
	struct race r = race_start(IRQ_ROUNDS);
	unsigned int round;
	struct fx f;

	CHECK(race_fx_open(&f, 64, "ord-irq"));
	for (round = 0; race_more(&r, round); round++) {
		unsigned int i = round % f.nb_desc;
		uint64_t want = desc_iova(&f, i) | c->sts_state, v;

		desc_copy(&f, i, i % NB_SLOTS, 64, c->flags);
		if (c->halts)
			f.ring[i].src = iova_of(f.unmapped);
		netdma_mmio_write(f.regs, chanctrl, c->ctrl);
		doorbell(&f, 1);
		CHECK_EQ(irq_spin(&f), 1, "round %u: interrupts raised",
			round);
		v = cmp_word(&f);
		CHECK_EQ(v, want, "round %u: the interrupt came before the "
			"status write", round);
		if (c->halts) {
			chanerr_clear(&f);
			CHECK(cmd_spin(&f, NETDMA_CMD_RESUME));
		}
		CHECK(SPIN_FOR(chan_state(&f) == NETDMA_STS_IDLE));
	}
	CHECK_EQ(netdma_mmio_read(f.regs, completed), round);
	race_uncovered(&r, round);
	race_fx_close(&f);
	return 0;
}

/*
 * A STATUS_UPDATE descriptor without INT_ON_COMPL raises nothing, even on
 * an armed channel (spec 7): the arm stays for the next INT descriptor,
 * which raises exactly one.
 */
static int
test_status_only_raises_nothing(void)
{
	const uint16_t armed = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM;
	struct fx f;
	unsigned int i;

	CHECK(fx_open(&f, 32));
	for (i = 0; i < 2; i++) {
		/* The second pass with a coalescing delay: no timer either. */
		netdma_mmio_write(f.regs, intrdelay, (uint16_t)(i * 1000));
		netdma_mmio_write(f.regs, chanctrl, armed);
		desc_copy(&f, 3 * i, 3 * i, 64, NETDMA_DESC_STATUS_UPDATE);
		desc_copy(&f, 3 * i + 1, 3 * i + 1, 64,
			NETDMA_DESC_STATUS_UPDATE);
		doorbell(&f, 2);
		CHECK(wait_completed(&f, 3 * i + 2));
		CHECK_EQ(cmp_word(&f), desc_iova(&f, 3 * i + 1) |
			NETDMA_STS_IDLE);
		/* A timer they started would be due INTRDELAY from now. */
		CHECK(wait_seen_after(&f, now_ns() + i * NS_PER_MS));
		CHECK_EQ(irq_take(&f), 0, "pass %u: a STATUS_UPDATE-only "
			"descriptor raised an interrupt", i);
		CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), armed,
			"pass %u: the arm was consumed", i);

		desc_copy(&f, 3 * i + 2, 3 * i + 2, 64,
			NETDMA_DESC_STATUS_UPDATE | NETDMA_DESC_INT_ON_COMPL);
		doorbell(&f, 1);
		CHECK(wait_completed(&f, 3 * i + 3));
		CHECK_EQ(irq_wait(&f), 1);
	}
	fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * One 64-bit store
 * ---------------------------------------------------------------- */

#define TEAR_DESCS		16
#define TEAR_NS			(300 * NS_PER_MS)
#define TEAR_BATCH		16384u	/* descriptors per doorbell */

/*
 * IOVA of descriptor i of the tear ring: i + 1 in the high half, a low
 * half that differs from its neighbours' too, so that any two status
 * words the engine writes in a row differ in both 32-bit halves.
 */
static uint64_t
tear_iova(unsigned int i)
{
	return (uint64_t)(i + 1) << 32 | (uint64_t)(i + 1) << 12;
}

/* A word the engine can write for the tear ring, or the sentinel. */
static bool
tear_word_valid(uint64_t v)
{
	uint64_t hi = v >> 32;
	unsigned int state = netdma_sts_state(v);

	if (v == CMP_SENTINEL)
		return true;
	if (hi < 1 || hi > TEAR_DESCS)
		return false;
	return netdma_sts_addr(v) == tear_iova((unsigned int)hi - 1) &&
		(state == NETDMA_STS_ACTIVE || state == NETDMA_STS_IDLE) &&
		(v & NETDMA_STS_ERR_MASK) == 0;
}

/*
 * The status word is one 64-bit store (spec 6.2): a reader racing the
 * writer never sees the high half of one word with the low half of
 * another. The engine runs a ring of NULL descriptors, each with
 * STATUS_UPDATE, as fast as it can; the test reads the word as fast as it
 * can and checks every value it reads.
 */
static int
test_status_word_not_torn(void)
{
	struct netdma_desc *ring;
	uint64_t reads = 0, changes = 0, last = CMP_SENTINEL, end;
	uint64_t total = 0;
	unsigned int i;
	struct fx f;

	CHECK(race_fx_open(&f, 32, "ord-tear"));
	ring = xalloc(TEAR_DESCS * sizeof(*ring));
	memset(ring, 0, TEAR_DESCS * sizeof(*ring));
	for (i = 0; i < TEAR_DESCS; i++) {
		ring[i].ctrl = NETDMA_DESC_NULL | NETDMA_DESC_STATUS_UPDATE;
		ring[i].next = tear_iova((i + 1) % TEAR_DESCS);
		CHECK(iommu_map(f.e, tear_iova(i), &ring[i],
			sizeof(ring[i])) == 0);
	}
	netdma_mmio_write(f.regs, chainaddr, tear_iova(0));
	end = now_ns() + TEAR_NS;
	while (now_ns() < end) {
		unsigned int n;

		/* The ring never changes: the engine may lap it freely. */
		f.dmacount = (uint16_t)(f.dmacount + TEAR_BATCH);
		netdma_mmio_write(f.regs, doorbell, (uint32_t)f.dmacount);
		fx_kick(&f);
		total += TEAR_BATCH;
		do {
			for (n = 0; n < 1024; n++) {
				uint64_t v = cmp_word(&f);

				CHECK(tear_word_valid(v), "torn status word "
					"0x%016" PRIx64 " after 0x%016" PRIx64,
					v, last);
				changes += v != last;
				last = v;
			}
			reads += n;
		} while (netdma_mmio_read(f.regs, completed) != total ||
				chan_state(&f) != NETDMA_STS_IDLE);
	}
	/* The reader saw the engine write: it was racing a live writer,
	 * when it had a CPU of its own. */
	if (race_nb_cpu == 2)
		CHECK(changes >= 2, "only %" PRIu64 " changes seen", changes);
	printf("     (%" PRIu64 " status writes, %" PRIu64 " reads, %" PRIu64
		" changes seen)\n", total, reads, changes);
	race_fx_close(&f);
	xfree(ring);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Arm, then re-check
 * ---------------------------------------------------------------- */

#define ARM_ROUNDS		20000

/*
 * A driver going to sleep arms with one full-barrier RMW, then re-checks
 * the status word or CHANSTS; the engine writes the status, then reads
 * CHANCTRL, with a full barrier in between (spec 8.4). Then at least one
 * side sees the other: the re-check finds the completion, or the engine
 * raises the interrupt. Without the engine's barrier its CHANCTRL read
 * can pass its own buffered status store (x86 allows exactly this
 * store-load reordering), and both miss: a lost wake-up.
 */
struct arm_case {
	const char *name;
	uint16_t ctrl;		/* CHANCTRL between rounds, disarmed */
	uint16_t arm;		/* what the driver sets to sleep */
	uint32_t flags;		/* on the round's descriptor */
	bool halts;		/* the descriptor's source is unmapped */
	bool chansts;		/* re-check CHANSTS, not the memory word */
	uint64_t sts_state;	/* what the re-check looks for */
};

static const struct arm_case arm_cases[] = {
	/* chan_go_idle: idle status write, CHANCTRL.INT_ON_IDLE */
	{ "idle", NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_STATUS_ON_IDLE,
		NETDMA_CTRL_INT_REARM | NETDMA_CTRL_INT_ON_IDLE, 0, false,
		false, NETDMA_STS_IDLE },
	/* the same with nothing in memory: CHANSTS is the status */
	{ "idle_chansts", NETDMA_CTRL_ERR_COMPL_EN,
		NETDMA_CTRL_INT_REARM | NETDMA_CTRL_INT_ON_IDLE, 0, false,
		true, NETDMA_STS_IDLE },
	/* intr_request: the descriptor's status write, INT_REARM */
	{ "int_on_compl", NETDMA_CTRL_ERR_COMPL_EN, NETDMA_CTRL_INT_REARM,
		NETDMA_DESC_STATUS_UPDATE | NETDMA_DESC_INT_ON_COMPL, false,
		false, NETDMA_STS_IDLE },
	/* chan_halt: the HALTED word, ERR_INT_EN */
	{ "halt", NETDMA_CTRL_ERR_COMPL_EN, NETDMA_CTRL_ERR_INT_EN, 0, true,
		false, NETDMA_STS_HALTED | NETDMA_STS_ERR_ADDR },
	/* the same without ERR_COMPL_EN: CHANSTS is the status */
	{ "halt_chansts", 0, NETDMA_CTRL_ERR_INT_EN, 0, true, true,
		NETDMA_STS_HALTED | NETDMA_STS_ERR_ADDR },
};

static inline uint64_t
tsc(void)
{
	return __builtin_ia32_rdtsc();
}

/*
 * Each round submits one descriptor, waits a while, arms and re-checks.
 * The wait is drawn from 0 to twice the edge, the delay at which half the
 * re-checks see the completion; the edge adapts to the machine. An arm
 * right after the doorbell, while the engine still writes the register
 * line, waits longest in the store buffer; one near the edge meets the
 * status write itself. Both kinds of round are needed.
 */
static int
arm_race(const void *arg)
{
	const struct arm_case *c = arg;
	struct race r = race_start(ARM_ROUNDS);
	unsigned int round, slept = 0;
	uint64_t edge = 64, seed = 0x9E3779B97F4A7C15ull;
	struct fx f;

	CHECK(race_fx_open(&f, 64, "ord-arm"));
	for (round = 0; race_more(&r, round); round++) {
		unsigned int i = round % f.nb_desc;
		uint64_t want = desc_iova(&f, i) | c->sts_state, t, wait;
		bool seen;

		desc_copy(&f, i, i % NB_SLOTS, 64, c->flags);
		if (c->halts)
			f.ring[i].src = iova_of(f.unmapped);
		netdma_mmio_write(f.regs, chanctrl, c->ctrl);
		irq_take(&f);
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		wait = (seed >> 33) % (2 * edge + 1);

		doorbell(&f, 1);
		t = tsc();
		while (tsc() - t < wait)
			;
		netdma_mmio_set(f.regs, chanctrl, c->arm);
		seen = (c->chansts ? chansts(&f) : cmp_word(&f)) == want;

		if (!seen) {
			slept++;
			CHECK(irq_spin(&f) != 0, "round %u: lost wake-up: the "
				"re-check missed the completion and no "
				"interrupt came", round);
		}
		if (seen && edge > 1)
			edge -= edge / 32 + 1;
		else if (!seen)
			edge += edge / 32 + 1;
		if (c->halts) {
			CHECK(SPIN_FOR(chan_state(&f) == NETDMA_STS_HALTED));
			chanerr_clear(&f);
			netdma_mmio_write(f.regs, chanctrl, c->ctrl);
			CHECK(cmd_spin(&f, NETDMA_CMD_RESUME));
		}
		CHECK(SPIN_FOR(netdma_mmio_read(f.regs, completed) ==
			round + 1u && chan_state(&f) == NETDMA_STS_IDLE),
			"round %u", round);
	}
	printf("     (%u of %u re-checks missed the completion and waited;"
		" edge %" PRIu64 " TSC ticks)\n", slept, round, edge);
	CHECK(race_straddled(&r, round, slept,
		"the arm never met the status write") == 0);
	race_fx_close(&f);
	return 0;
}

/* ---------------------------------------------------------------- *
 * The kick: no doorbell lost to a worker that parks or stops watching
 * ---------------------------------------------------------------- */

#define KICK_ROUNDS		20000
#define DROP_ROUNDS		20000
/* The drop race's engine drops an idle channel after this many busy
 * passes, not the default 1024: a round is then a few microseconds, and
 * the race gets many of them. */
#define DROP_QUIET		8

/* The wait of a round, drawn from 0 to twice the edge. */
static uint64_t
race_wait(uint64_t *seed, uint64_t edge)
{
	*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
	return (*seed >> 33) % (2 * edge + 1);
}

/* Move the edge towards the delay at which half the rounds are late. */
static void
race_edge(uint64_t *edge, bool late)
{
	if (late && *edge > 1)
		*edge -= *edge / 32 + 1;
	else if (!late)
		*edge += *edge / 32 + 1;
}

static void
spin_ticks(uint64_t ticks)
{
	uint64_t t = tsc();

	while (tsc() - t < ticks)
		;
}

/*
 * A worker that parks a microsecond after it has nothing to do, and a
 * doorbell that comes as it parks: each round submits one descriptor and
 * kicks, a wait after the last one completed; the wait adapts so that
 * half the rounds find the worker parked before their doorbell. A kick
 * that neither wakes the worker nor is seen by its last look (spec 12.2)
 * leaves the descriptor undone, and the hang bound fails the round.
 */
static int
test_kick_race_park(void)
{
	struct race r = race_start(KICK_ROUNDS);
	uint64_t edge = 64, seed = 0x9E3779B97F4A7C15ull;
	unsigned int round, late = 0;
	struct fx f;

	CHECK(race_fxs_open(&f, 1, 64, "ord-park", 1, 0));
	desc_copy(&f, 0, 0, 64, 0);
	for (round = 0; race_more(&r, round); round++) {
		unsigned int i = (round + 1) % f.nb_desc;
		bool parked;

		spin_ticks(race_wait(&seed, edge));
		parked = netdma_engine_parked(f.e, 0);
		doorbell(&f, 1);
		CHECK(SPIN_FOR(netdma_mmio_read(f.regs, completed) ==
			round + 1u && chan_state(&f) == NETDMA_STS_IDLE),
			"round %u: a doorbell lost: the worker sleeps through "
			"its kick", round);
		/* the next round's, written while nothing is timed */
		desc_copy(&f, i, i % NB_SLOTS, 64, 0);
		late += parked;
		race_edge(&edge, parked);
	}
	printf("     (%u of %u doorbells came after the worker parked;"
		" edge %" PRIu64 " TSC ticks)\n", late, round, edge);
	CHECK(race_straddled(&r, round, late,
		"the doorbells never met the park") == 0);
	race_fx_close(&f);
	return 0;
}

/* Channel 1's endless work: small FILLs, so that a pass is short, each
 * naming itself in the status word, kept HOG_AHEAD ahead of what the
 * engine has done. */
#define HOG_DESCS		256
#define HOG_AHEAD		192
#define HOG_FILL		64

static void
hog_load(struct fx *h)
{
	unsigned int i;

	for (i = 0; i < h->nb_desc; i++)
		desc_fill(h, i, 0, 0x0123456789ABCDEFull, HOG_FILL,
			NETDMA_DESC_STATUS_UPDATE);
}

/* Top the hog up; the status word names the last descriptor it ran. */
static void
hog_feed(struct fx *h)
{
	uint64_t w = cmp_word(h);
	unsigned int last, ahead;

	last = w == CMP_SENTINEL ? h->nb_desc - 1u :
		(unsigned int)((netdma_sts_addr(w) - desc_iova(h, 0)) /
			sizeof(struct netdma_desc));
	ahead = (h->dmacount - 1u - last) % h->nb_desc;
	if (ahead < HOG_AHEAD / 2)
		doorbell(h, HOG_AHEAD - ahead);
}

/* Until channel f has done n descriptors, feeding the hog; false after
 * TIMEOUT_NS. */
static bool
done_feeding(struct fx *f, struct fx *h, uint64_t n)
{
	uint64_t dl = now_ns() + TIMEOUT_NS;

	while (!(netdma_mmio_read(f->regs, completed) == n &&
			chan_state(f) == NETDMA_STS_IDLE)) {
		if (now_ns() >= dl)
			return false;
		hog_feed(h);
	}
	return true;
}

/*
 * A channel that its worker stops watching as its doorbell comes.
 * Channel 1 has endless work, so every pass of the worker is busy, and
 * the worker drops channel 0 early in the pass that ends its
 * DROP_QUIET-th busy pass without work. Each round rings channel
 * 0's doorbell a wait after the end of the pass before (the last one it
 * was sure to see); the wait adapts, in passes and then in TSC ticks, so
 * that half the rounds find channel 0 dropped before their doorbell. A
 * kick that finds the channel still watched while the worker's look
 * after dropping it misses the doorbell leaves the descriptor undone,
 * and the hang bound fails the round.
 */
static int
test_kick_race_drop(void)
{
	struct race r = race_start(DROP_ROUNDS);
	uint64_t at = DROP_QUIET, edge = 64;
	uint64_t seed = 0xD1B54A32D192ED03ull;
	unsigned int round, late = 0, early_run = 0, late_run = 0;
	struct fx f[2];

	CHECK(race_fxs_open(f, 2, HOG_DESCS, "ord-drop", RACE_SPIN_US,
		DROP_QUIET));
	hog_load(&f[1]);
	doorbell(&f[1], HOG_AHEAD);
	for (round = 0; race_more(&r, round); round++) {
		unsigned int i = round % f[0].nb_desc;
		uint64_t from = engine_passes(f[0].e, 0);
		bool watched;

		desc_copy(&f[0], i, i % NB_SLOTS, 64, 0);
		while (engine_passes(f[0].e, 0) - from < at)
			hog_feed(&f[1]);
		spin_ticks(race_wait(&seed, edge));
		watched = netdma_engine_watched(f[0].e, 0);
		doorbell(&f[0], 1);
		CHECK(done_feeding(&f[0], &f[1], round + 1u),
			"round %u: a doorbell lost: the worker stopped "
			"watching the channel and missed it", round);
		late += !watched;
		race_edge(&edge, !watched);
		/* the edge stays within a pass: past it, move the pass */
		early_run = watched ? early_run + 1 : 0;
		late_run = watched ? 0 : late_run + 1;
		if (early_run == 8) {
			at++;
			early_run = 0;
		} else if (late_run == 8 && at > 1) {
			at--;
			late_run = 0;
		}
	}
	printf("     (%u of %u doorbells came after the channel was dropped;"
		" %" PRIu64 " passes and %" PRIu64 " TSC ticks after its last "
		"work)\n", late, round, at, edge);
	CHECK(race_straddled(&r, round, late,
		"the doorbells never met the drop") == 0);
	CHECK(chan_cmd(&f[1], NETDMA_CMD_ABORT));
	fx_close(&f[1]);
	race_fx_close(&f[0]);
	return 0;
}

static const struct test tests[] = {
	TEST(status_after_data),
	TEST(status_only_raises_nothing),
	TEST(status_word_not_torn),
	TEST(kick_race_park),
	TEST(kick_race_drop),
};

void
ordering_tests(void)
{
	char name[64];
	unsigned int i;

	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < sizeof(irq_cases) / sizeof(irq_cases[0]); i++) {
		snprintf(name, sizeof(name), "irq_after_status_%s",
			irq_cases[i].name);
		test_run_case(name, irq_after_status, &irq_cases[i]);
	}
	for (i = 0; i < sizeof(arm_cases) / sizeof(arm_cases[0]); i++) {
		snprintf(name, sizeof(name), "arm_race_%s", arm_cases[i].name);
		test_run_case(name, arm_race, &arm_cases[i]);
	}
}
