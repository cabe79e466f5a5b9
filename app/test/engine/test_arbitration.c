/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * How a worker shares itself among its channels: round robin between
 * equals, ARB_WEIGHT, strict ARB_PRIO; a halted or reset channel leaves
 * the others alone; idle channels cost little; and with two workers,
 * which worker serves which channel.
 *
 * Shares are judged from progress, never from time. Every channel has
 * more work than it can finish between two looks of the test, and is
 * given more at each look. A window is a number of the worker's passes,
 * between two moments at which the test stops the channels (SUSPEND, which
 * publishes COMPLETED) and compares their counts. A window is judged only
 * if its premise held, which the test reads from the channels' state:
 * every channel still had work at its end, and the commands that opened
 * and closed it landed together. If the test was held up long enough for
 * that to fail, the window is simply not judged.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_CHANS	16
#define QUANTUM		32	/* descriptors per turn at weight 1 */
#define HOG_SZ		(64u * 1024)
/* Made available at a time: DMACOUNT is 16 bits. Seconds of work for
 * load_hog() descriptors, tens of milliseconds for small copies. */
#define BUSY_COUNT	60000

struct group {
	struct netdma_engine *e;
	unsigned int nb;
	struct fx f[MAX_CHANS];
};

/* nb channels, nb_workers workers, every channel brought up with a ring
 * of nb_desc. */
static bool
group_open(struct group *g, unsigned int nb, unsigned int nb_workers,
		unsigned int nb_desc, const char *name)
{
	struct netdma_engine_params p = {
		.nb_channels = nb,
		.nb_workers = nb_workers,
		.spin_us = SPIN_US,
		.name = name,
	};
	unsigned int c;

	g->nb = 0;
	g->e = engine_create(&p);
	if (g->e == NULL)
		return false;
	for (c = 0; c < nb; c++) {
		if (!fx_attach(&g->f[c], g->e, c, nb_desc))
			return false;
		g->nb++;
	}
	return true;
}

static void
group_close(struct group *g)
{
	unsigned int c;

	for (c = 0; c < g->nb; c++)
		fx_close(&g->f[c]);
	engine_destroy(g->e);
}

/* The bytes of src and dst that copies of size bytes go round. */
static size_t
copies_span(uint32_t size)
{
	return BUF_LEN / size * size;
}

/* Descriptor i copies size bytes at offset i * size (round the span) of
 * src to the same offset of dst, and writes the status word. */
static void
load_copies(struct fx *f, unsigned int n, uint32_t size)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		size_t off = (size_t)i * size % copies_span(size);

		f->ring[i].size = size;
		f->ring[i].ctrl = (NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT) |
			NETDMA_DESC_STATUS_UPDATE;
		f->ring[i].src = iova_of(f->src + off);
		f->ring[i].dst = iova_of(f->dst + off);
	}
}

/* What n descriptors of load_copies() leave in dst: a copy of src. */
static bool
copies_done(struct fx *f, unsigned int n, uint32_t size)
{
	size_t span = copies_span(size);
	size_t len = (size_t)n * size < span ? (size_t)n * size : span;

	return memcmp(f->dst, f->src, len) == 0 &&
		(len == BUF_LEN || f->dst[len] == DST_SENTINEL);
}

/* A ring of big copies, for BUSY_COUNT of them at a time: a turn is
 * four of them at weight 1. No status writes. */
static void
load_hog(struct fx *f)
{
	unsigned int i;

	for (i = 0; i < f->nb_desc; i++) {
		size_t off = (size_t)(i % (BUF_LEN / HOG_SZ)) * HOG_SZ;

		f->ring[i].size = HOG_SZ;
		f->ring[i].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
		f->ring[i].src = iova_of(f->src + off);
		f->ring[i].dst = iova_of(f->dst + off);
	}
}

/* Descriptors done, from the status word of load_copies() descriptors;
 * valid while fewer than nb_desc have been made available. */
static uint64_t
progress(struct fx *f)
{
	uint64_t w = cmp_word(f);

	if (w == CMP_SENTINEL)
		return 0;
	return (netdma_sts_addr(w) - desc_iova(f, 0)) /
		sizeof(struct netdma_desc) + 1;
}

/* Whether a channel whose DMACOUNT has not moved since its run began
 * has had work all along: still ACTIVE, it has never caught up. */
static inline bool
still_running(struct fx *f)
{
	return chan_state(f) == NETDMA_STS_ACTIVE;
}

/*
 * Make BUSY_COUNT more descriptors available to a load_hog() channel and
 * wait until it runs: 1 once it does, 0 if it has run them all before
 * the test could look.
 */
static int
hog_start(struct fx *h)
{
	uint64_t done = netdma_mmio_read(h->regs, completed);

	doorbell(h, BUSY_COUNT);
	CHECK(WAIT_FOR(still_running(h) ||
		netdma_mmio_read(h->regs, completed) != done));
	return still_running(h);
}

/*
 * Post cmd to every channel of a one-worker group, then wait for every
 * ack. 1 if no pass of the worker ended while the commands were being
 * posted: then each took effect in one pass or the next, at most one turn
 * apart. 0 if the test was held up in between (preempted, say), and the
 * commands may be further apart; CHECK_FAILED on a timeout.
 */
static int
group_cmd(struct group *g, uint8_t cmd)
{
	uint64_t passes;
	unsigned int c;
	bool together;

	/* A worker polls the channels it watches. It watches a channel
	 * from its kick until other channels have made NETDMA_QUIET_PASSES
	 * busy passes without it (spec 12.2), asleep or not: kicked and
	 * seen first, every channel then has its post read by the worker's
	 * next pass, whenever its own kick lands. */
	for (c = 0; c < g->nb; c++)
		fx_kick(&g->f[c]);
	CHECK(wait_passes(g->e, 0, 2));
	passes = engine_passes(g->e, 0);
	/* Sequentially consistent stores, each a full barrier on x86: all
	 * are visible before the count is read again. A parked worker makes
	 * no pass until the kicks, and its first one then sees every post. */
	for (c = 0; c < g->nb; c++)
		netdma_mmio_write_sc(g->f[c].regs, chancmd, cmd);
	together = engine_passes(g->e, 0) == passes;
	for (c = 0; c < g->nb; c++)
		fx_kick(&g->f[c]);
	for (c = 0; c < g->nb; c++)
		CHECK(WAIT_FOR(netdma_mmio_read(g->f[c].regs, chancmd) == 0),
			"channel %u", c);
	return together;
}

/* Every channel suspended with n[c] descriptors made available: one
 * RESUME to all of them then starts them together. */
static int
group_load(struct group *g, const unsigned int *n)
{
	unsigned int c;

	CHECK(group_cmd(g, NETDMA_CMD_SUSPEND) >= 0);
	for (c = 0; c < g->nb; c++)
		if (n[c] != 0)
			doorbell_nokick(&g->f[c], n[c]);
	return 0;
}

/* The same, and started. */
static int
group_start(struct group *g, const unsigned int *n)
{
	CHECK(group_load(g, n) == 0);
	CHECK(group_cmd(g, NETDMA_CMD_RESUME) >= 0);
	return 0;
}

/*
 * Stop every channel at one instant and read how far each has got: a
 * worker takes the commands of all its channels at the start of a pass,
 * between turns, and SUSPEND publishes COMPLETED. Each channel is then
 * given BUSY_COUNT descriptors again. 1 if the snapshot can be judged:
 * the SUSPENDs landed together and every channel still had work, that is
 * was busy all along; else 0.
 */
static int
freeze(struct group *g, uint64_t *done)
{
	int together = group_cmd(g, NETDMA_CMD_SUSPEND);
	bool busy = true;
	unsigned int c;

	CHECK(together >= 0);
	for (c = 0; c < g->nb; c++) {
		struct fx *f = &g->f[c];
		uint16_t left;

		CHECK_EQ(chan_state(f), NETDMA_STS_SUSPENDED, "channel %u", c);
		done[c] = netdma_mmio_read(f->regs, completed);
		left = (uint16_t)(f->dmacount - (uint16_t)done[c]);
		busy = busy && left != 0;
		doorbell_nokick(f, BUSY_COUNT - left);
	}
	return together && busy;
}

/*
 * One window: every channel resumed together, passes passes of the
 * worker, every channel frozen; done[] as freeze() reads it, and in *ran
 * the passes that ended between the last RESUME's ack and the first
 * SUSPEND: every one of them had every channel running. 1 if the window
 * can be judged, 0 if not, CHECK_FAILED.
 */
static int
window(struct group *g, uint64_t passes, uint64_t *done, uint64_t *ran)
{
	int together = group_cmd(g, NETDMA_CMD_RESUME), judged;
	uint64_t start;

	CHECK(together >= 0);
	start = engine_passes(g->e, 0);
	CHECK(wait_passes(g->e, 0, passes));
	*ran = engine_passes(g->e, 0) - start;
	judged = freeze(g, done);
	CHECK(judged >= 0);
	return together && judged;
}

/* Drop the endless work, then check what it left in every dst. */
static int
group_stop(struct group *g, uint32_t size)
{
	unsigned int c;

	for (c = 0; c < g->nb; c++) {
		CHECK(chan_cmd(&g->f[c], NETDMA_CMD_ABORT), "channel %u", c);
		CHECK_EQ(netdma_mmio_read(g->f[c].regs, chanerr), 0);
		CHECK(copies_done(&g->f[c], g->f[c].nb_desc, size),
			"channel %u", c);
	}
	return 0;
}

/* ---------------------------------------------------------------- *
 * Round robin, weights, priorities
 * ---------------------------------------------------------------- */

#define WINDOWS		5	/* judged windows a test needs */
#define MAX_WINDOWS	(4 * WINDOWS)	/* the test gives up after */
#define RR_CHANS	4
#define RR_PASSES	8
/* 32 of them are less than a turn's bytes, 88 more: the descriptor
 * budget ends a turn. */
#define RR_SZ		3000

/*
 * Four channels with the same endless work: in a window each gets a turn
 * at every pass, as many turns as the others give or take the one that
 * the opening or the closing commands may add, and each turn is 32
 * descriptors. Guards serving a channel until it runs dry, turns that
 * ignore their budget, a rotation that favours a channel, or a pass that
 * serves only some of the busy channels.
 */
static int
test_arb_round_robin(void)
{
	const unsigned int n[RR_CHANS] = { BUSY_COUNT, BUSY_COUNT, BUSY_COUNT,
		BUSY_COUNT };
	uint64_t done[RR_CHANS], prev[RR_CHANS] = { 0 };
	unsigned int c, k, judged = 0;
	struct group g;

	CHECK(group_open(&g, RR_CHANS, 1, 128, "tarbrr"));
	for (c = 0; c < RR_CHANS; c++)
		load_copies(&g.f[c], 128, RR_SZ);
	CHECK(group_load(&g, n) == 0);
	for (k = 0; judged < WINDOWS && k < MAX_WINDOWS; k++) {
		uint64_t lo = UINT64_MAX, hi = 0, ran;
		int ret = window(&g, RR_PASSES, done, &ran);

		CHECK(ret >= 0);
		for (c = 0; c < RR_CHANS; c++) {
			uint64_t d = done[c] - prev[c];

			/* Stopped between turns, each of 32 descriptors. */
			CHECK_EQ(done[c] % QUANTUM, 0, "channel %u", c);
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
			prev[c] = done[c];
		}
		if (ret == 0)
			continue;
		judged++;
		CHECK(hi - lo <= 2 * QUANTUM, "window %u: %" PRIu64 " to %"
			PRIu64 " descriptors", k, lo, hi);
		CHECK(lo >= ran * QUANTUM, "window %u: %" PRIu64
			" descriptors in %" PRIu64 " passes", k, lo, ran);
	}
	CHECK(judged == WINDOWS, "only %u of %u windows could be judged",
		judged, k);
	CHECK(group_stop(&g, RR_SZ) == 0);
	group_close(&g);
	return 0;
}

struct weight_case {
	const char *name;
	uint32_t size;		/* of each descriptor */
	uint64_t turn;		/* descriptors of a weight-1 turn */
};

/* Passes in a window of a weight test: enough turns that the four a
 * window's ends may add are a small part of them. */
#define WEIGHT_PASSES	24

/*
 * Channel 0 at ARB_WEIGHT 2, channel 1 at 1, the same endless work: in
 * a window channel 0 does twice as much, give or take the turns that the
 * opening or the closing commands may add, and its turns are twice as
 * long. Small descriptors spend a turn's descriptor budget, 64 KiB ones
 * its byte budget: both scale.
 */
static int
test_weight_case(const void *arg)
{
	const struct weight_case *wc = arg;
	const unsigned int n[2] = { BUSY_COUNT, BUSY_COUNT };
	uint64_t done[2], prev[2] = { 0, 0 };
	unsigned int judged = 0, k;
	struct group g;

	CHECK(group_open(&g, 2, 1, 128, "tarbw"));
	netdma_mmio_write(g.f[0].regs, arb_weight, 2);
	load_copies(&g.f[0], 128, wc->size);
	load_copies(&g.f[1], 128, wc->size);
	CHECK(group_load(&g, n) == 0);
	for (k = 0; judged < WINDOWS && k < MAX_WINDOWS; k++) {
		uint64_t d0, d1, ran;
		int ret = window(&g, WEIGHT_PASSES, done, &ran);

		CHECK(ret >= 0);
		CHECK_EQ(done[0] % (2 * wc->turn), 0, "a weight-2 turn");
		CHECK_EQ(done[1] % wc->turn, 0, "a weight-1 turn");
		d0 = done[0] - prev[0];
		d1 = done[1] - prev[1];
		prev[0] = done[0];
		prev[1] = done[1];
		if (ret == 0)
			continue;
		judged++;
		CHECK(d0 + 4 * wc->turn >= 2 * d1 &&
			d0 <= 2 * d1 + 4 * wc->turn,
			"weight 2 vs 1: %" PRIu64 " vs %" PRIu64
			" done in window %u", d0, d1, k);
		CHECK(d1 >= ran * wc->turn, "window %u: %" PRIu64
			" descriptors in %" PRIu64 " passes", k, d1, ran);
	}
	CHECK(judged == WINDOWS, "only %u of %u windows could be judged",
		judged, k);
	CHECK(group_stop(&g, wc->size) == 0);
	group_close(&g);
	return 0;
}

static const struct weight_case weight_cases[] = {
	{ "descs", RR_SZ, QUANTUM },
	{ "bytes", HOG_SZ, 256 * 1024 / HOG_SZ },
};

#define PRIO_PASSES	16
#define PRIO_COUNT	100	/* channel 1's work at a time */

/*
 * Channel 0 at ARB_PRIO 0 with endless work, channel 1 at ARB_PRIO 1:
 * channel 1 gets no turn while channel 0 has work, though its commands
 * are still served; once channel 0 is aborted, channel 1 finishes.
 * Channel 0 runs throughout. A window is channel 1 resumed, a number of
 * passes, channel 1 suspended (which publishes its COMPLETED); it is
 * judged if channel 0 was still running at its end.
 */
static int
test_arb_strict_priority(void)
{
	uint64_t base = 0, done, total = PRIO_COUNT;
	unsigned int k, judged = 0;
	struct fx *hi, *lo;
	struct group g;

	CHECK(group_open(&g, 2, 1, 128, "tarbp"));
	hi = &g.f[0];
	lo = &g.f[1];
	load_hog(hi);
	load_copies(lo, 128, 300);
	netdma_mmio_write(lo->regs, arb_prio, 1);
	CHECK(chan_cmd(lo, NETDMA_CMD_SUSPEND));
	doorbell_nokick(lo, PRIO_COUNT);
	for (k = 0; judged < WINDOWS && k < MAX_WINDOWS; k++) {
		uint16_t left;
		int ret;

		/* Channel 1 only once channel 0 runs: a pass that has not
		 * yet seen channel 0's doorbell would let it have a turn. */
		if (!still_running(hi)) {
			ret = hog_start(hi);
			CHECK(ret >= 0);
			if (ret == 0)
				continue;
		}
		CHECK(chan_cmd(lo, NETDMA_CMD_RESUME));
		CHECK(wait_passes(g.e, 1, PRIO_PASSES));
		CHECK(chan_cmd(lo, NETDMA_CMD_SUSPEND));
		CHECK_EQ(chan_state(lo), NETDMA_STS_SUSPENDED);
		done = netdma_mmio_read(lo->regs, completed);
		if (still_running(hi)) {
			judged++;
			CHECK_EQ(done, base, "window %u: channel 1 ran while "
				"channel 0 had work", k);
		}
		/* If channel 0 ran dry (the test was away for all of it),
		 * channel 1 had turns: its work is topped up here, channel
		 * 0's at the next window. */
		left = (uint16_t)(lo->dmacount - (uint16_t)done);
		doorbell_nokick(lo, PRIO_COUNT - left);
		total += PRIO_COUNT - left;
		base = done;
	}
	CHECK(judged == WINDOWS, "only %u of %u windows could be judged",
		judged, k);

	CHECK(chan_cmd(hi, NETDMA_CMD_ABORT));
	CHECK(chan_cmd(lo, NETDMA_CMD_RESUME));
	CHECK(wait_completed(lo, total));
	CHECK(copies_done(lo, total < lo->nb_desc ? total : lo->nb_desc,
		300));
	group_close(&g);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Isolation
 * ---------------------------------------------------------------- */

#define ISO_CHANS	8
#define ISO_DESCS	128
#define ISO_SZ		(BUF_LEN / ISO_DESCS)
#define ISO_BAD		40

/*
 * Eight channels on one worker, channel 3's 41st copy reading unmapped
 * memory: channel 3 halts there with its ERRDESC, ERRADDR and COMPLETED;
 * every other channel completes every copy byte-exact; recovered, channel
 * 3 finishes too.
 */
static int
test_arb_halt_isolation(void)
{
	unsigned int n[ISO_CHANS], c, i;
	struct fx *bad;
	struct group g;

	CHECK(group_open(&g, ISO_CHANS, 1, ISO_DESCS, "tarbiso"));
	for (c = 0; c < ISO_CHANS; c++) {
		load_copies(&g.f[c], ISO_DESCS, ISO_SZ);
		n[c] = ISO_DESCS;
	}
	bad = &g.f[3];
	bad->ring[ISO_BAD].src = iova_of(bad->unmapped);
	CHECK(group_start(&g, n) == 0);

	CHECK(wait_state(bad, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(bad->regs, chanerr), NETDMA_CHANERR_SRC_ADDR);
	CHECK_EQ(netdma_mmio_read(bad->regs, errdesc), desc_iova(bad, ISO_BAD));
	CHECK_EQ(netdma_mmio_read(bad->regs, erraddr), iova_of(bad->unmapped));
	CHECK_EQ(netdma_mmio_read(bad->regs, completed), ISO_BAD);
	CHECK_EQ(cmp_word(bad), desc_iova(bad, ISO_BAD) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	for (c = 0; c < ISO_CHANS; c++) {
		if (c == 3)
			continue;
		CHECK(wait_completed(&g.f[c], ISO_DESCS), "channel %u", c);
		CHECK_EQ(netdma_mmio_read(g.f[c].regs, chanerr), 0);
		CHECK_EQ(cmp_word(&g.f[c]), desc_iova(&g.f[c], ISO_DESCS - 1) |
			NETDMA_STS_IDLE, "channel %u", c);
		CHECK(copies_done(&g.f[c], ISO_DESCS, ISO_SZ), "channel %u", c);
	}
	CHECK(memcmp(bad->dst, bad->src, ISO_BAD * ISO_SZ) == 0);
	CHECK_EQ(bad->dst[ISO_BAD * ISO_SZ], DST_SENTINEL);

	chanerr_clear(bad);
	CHECK(chan_cmd(bad, NETDMA_CMD_RESUME));
	CHECK(wait_completed(bad, ISO_DESCS));
	for (i = 0; i < ISO_DESCS; i++) {
		size_t off = (size_t)i * ISO_SZ;

		if (i == ISO_BAD)
			CHECK(bad->dst[off] == DST_SENTINEL &&
				bad->dst[off + ISO_SZ - 1] == DST_SENTINEL);
		else
			CHECK(memcmp(bad->dst + off, bad->src + off,
				ISO_SZ) == 0, "copy %u", i);
	}
	group_close(&g);
	return 0;
}

#define RST_CHANS	4
#define RST_DESCS	1024
#define RST_SZ		256

/*
 * Channel 2 reset while all four channels run: it is in its reset state,
 * the other three finish every copy with their registers as they were.
 */
static int
test_arb_reset_isolation(void)
{
	const unsigned int n[RST_CHANS] = { RST_DESCS, RST_DESCS, BUSY_COUNT,
		RST_DESCS };
	struct fx *hog;
	unsigned int c;
	struct group g;

	CHECK(group_open(&g, RST_CHANS, 1, RST_DESCS, "tarbrst"));
	for (c = 0; c < RST_CHANS; c++)
		load_copies(&g.f[c], RST_DESCS, RST_SZ);
	hog = &g.f[2];
	load_hog(hog);
	CHECK(group_start(&g, n) == 0);
	CHECK(SPIN_FOR(progress(&g.f[0]) >= 2 * QUANTUM ||
		progress(&g.f[0]) == RST_DESCS));
	CHECK(chan_cmd(hog, NETDMA_CMD_RESET));
	CHECK_EQ(chansts(hog), NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(hog->regs, completed), 0);
	CHECK_EQ(netdma_mmio_read(hog->regs, doorbell), 0);
	CHECK_EQ(netdma_mmio_read(hog->regs, chanctrl), 0);

	for (c = 0; c < RST_CHANS; c++) {
		if (c == 2)
			continue;
		CHECK(wait_completed(&g.f[c], RST_DESCS), "channel %u", c);
		CHECK_EQ(cmp_word(&g.f[c]), desc_iova(&g.f[c], RST_DESCS - 1) |
			NETDMA_STS_IDLE, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(g.f[c].regs, chanerr), 0);
		CHECK_EQ(netdma_mmio_read(g.f[c].regs, chanctrl),
			NETDMA_CTRL_ERR_COMPL_EN, "channel %u", c);
		CHECK_EQ(netdma_mmio_read(g.f[c].regs, doorbell), RST_DESCS);
		CHECK(copies_done(&g.f[c], RST_DESCS, RST_SZ), "channel %u", c);
	}
	CHECK(wait_seen(hog));
	CHECK_EQ(chansts(hog), NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(hog->regs, completed), 0);

	/* And the reset channel works again once brought up. */
	CHECK(chan_bringup(hog));
	memset(hog->dst, DST_SENTINEL, BUF_LEN);
	load_copies(hog, 10, RST_SZ);
	doorbell(hog, 10);
	CHECK(wait_completed(hog, 10));
	CHECK(copies_done(hog, 10, RST_SZ));
	group_close(&g);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Idle siblings and several workers
 * ---------------------------------------------------------------- */

#define IDLE_RUNS	5
#define IDLE_DESCS	4096

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Worker CPU time for IDLE_DESCS small copies on channel 0. */
static int
busy_run_cpu(struct group *g, pid_t worker, uint64_t *ns)
{
	struct fx *f = &g->f[0];
	uint64_t c = netdma_mmio_read(f->regs, completed), t0;

	CHECK(wait_parked(f));
	t0 = thread_cpu_ns(worker);
	doorbell(f, IDLE_DESCS);
	CHECK(wait_completed(f, c + IDLE_DESCS));
	CHECK(wait_parked(f));
	*ns = thread_cpu_ns(worker) - t0;
	CHECK_EQ(netdma_mmio_read(f->regs, chanerr), 0);
	return 0;
}

/*
 * A busy channel with fifteen idle siblings on its worker costs that
 * worker about what it costs alone: CPU time of the worker thread, not
 * wall time, and a loose bound, for a shared machine. Guards passes
 * that do real work (a system call, a status write) for idle channels.
 */
static int
test_arb_idle_siblings(void)
{
	uint64_t alone[IDLE_RUNS], crowd[IDLE_RUNS];
	struct group a, b;
	pid_t wa, wb;
	unsigned int r;

	CHECK(group_open(&a, 1, 1, 1024, "tidlea"));
	CHECK(group_open(&b, 16, 1, 1024, "tidleb"));
	wa = thread_find("tidlea-w0");
	wb = thread_find("tidleb-w0");
	CHECK(wa > 0 && wb > 0);
	CHECK(thread_cpu_ns(wa) > 0, "no schedstat for worker threads");
	for (r = 0; r < 1024; r++) {
		desc_copy(&a.f[0], r, r % NB_SLOTS, 64, 0);
		desc_copy(&b.f[0], r, r % NB_SLOTS, 64, 0);
	}
	for (r = 0; r < IDLE_RUNS; r++) {
		CHECK(busy_run_cpu(&a, wa, &alone[r]) == 0);
		CHECK(busy_run_cpu(&b, wb, &crowd[r]) == 0);
	}
	qsort(alone, IDLE_RUNS, sizeof(alone[0]), cmp_u64);
	qsort(crowd, IDLE_RUNS, sizeof(crowd[0]), cmp_u64);
	CHECK(crowd[IDLE_RUNS / 2] <= 3 * alone[IDLE_RUNS / 2] + NS_PER_MS,
		"worker CPU per run: %" PRIu64 " us with 15 idle siblings, %"
		PRIu64 " us alone", crowd[IDLE_RUNS / 2] / 1000,
		alone[IDLE_RUNS / 2] / 1000);
	for (r = 0; r < NB_SLOTS; r++) {
		CHECK(slot_copied(&a.f[0], r, 64));
		CHECK(slot_copied(&b.f[0], r, 64));
	}
	for (r = 1; r < 16; r++)
		CHECK_EQ(netdma_mmio_read(b.f[r].regs, completed), 0);
	group_close(&a);
	group_close(&b);
	return 0;
}

#define W2_DESCS	64
#define W2_PASSES	16
#define W2_ROUNDS	4	/* tries, for a hog that runs dry */

/*
 * One round of test_arb_two_workers with an endless ARB_PRIO 0 channel,
 * the hog, on channel hog, and everything else at ARB_PRIO 1: 1 when
 * judged, 0 when the hog ran dry before the end (the test was away for
 * all of it) and the round proves nothing.
 */
static int
two_workers_round(struct group *g, unsigned int hog)
{
	unsigned int other = 1 - hog, c;
	struct fx *h = &g->f[hog], *sib = &g->f[hog + 2];
	uint64_t passes;
	int ret;

	for (c = 0; c < 4; c++) {
		CHECK(chan_bringup(&g->f[c]));
		memset(g->f[c].dst, DST_SENTINEL, BUF_LEN);
		*g->f[c].cmp = CMP_SENTINEL;
		netdma_mmio_write(g->f[c].regs, arb_prio, 1);
		load_copies(&g->f[c], W2_DESCS, 1000);
	}
	netdma_mmio_write(h->regs, arb_prio, 0);
	load_hog(h);
	/* The hog's sibling only once the hog runs: a pass that has not yet
	 * seen the hog's doorbell would let the sibling have a turn. */
	CHECK(chan_cmd(sib, NETDMA_CMD_SUSPEND));
	doorbell_nokick(sib, W2_DESCS);
	ret = hog_start(h);
	CHECK(ret >= 0);
	if (ret == 0)
		return 0;
	CHECK(chan_cmd(sib, NETDMA_CMD_RESUME));

	/* The two channels of the other worker finish... */
	for (c = other; c < 4; c += 2) {
		doorbell(&g->f[c], W2_DESCS);
		CHECK(wait_completed(&g->f[c], W2_DESCS), "channel %u", c);
	}
	/* ...and that worker sleeps, while the hog's passes on. */
	CHECK(wait_parked(&g->f[other]));
	passes = engine_passes(g->e, other);
	CHECK(wait_passes(g->e, hog, W2_PASSES));
	CHECK_EQ(engine_passes(g->e, other), passes,
		"worker %u ran with nothing to do", other);
	CHECK(netdma_engine_parked(g->f[other].e, g->f[other].chan));
	/* All that time, the hog's sibling did not run. */
	CHECK(chan_cmd(sib, NETDMA_CMD_SUSPEND));
	if (!still_running(h))
		return 0;
	CHECK_EQ(netdma_mmio_read(sib->regs, completed), 0);
	CHECK_EQ(progress(sib), 0);

	CHECK(chan_cmd(h, NETDMA_CMD_ABORT));
	CHECK(chan_cmd(sib, NETDMA_CMD_RESUME));
	CHECK(wait_completed(sib, W2_DESCS));
	for (c = 0; c < 4; c++)
		if (c != hog)
			CHECK(copies_done(&g->f[c], W2_DESCS, 1000),
				"channel %u", c);
	return 1;
}

/*
 * Two workers, four channels: channels 0 and 2 on worker 0 (thread
 * tarbw2-w0), 1 and 3 on worker 1. Shown by strict priority, which acts
 * within a worker only: an endless ARB_PRIO 0 channel starves the other
 * channel of its worker and no other; and by passes: its worker passes
 * on, the other one is parked and makes none.
 */
static int
test_arb_two_workers(void)
{
	unsigned int hog, k;
	struct group g;
	int ret = 0;

	CHECK(group_open(&g, 4, 2, W2_DESCS, "tarbw2"));
	CHECK(thread_find("tarbw2-w0") > 0);
	CHECK(thread_find("tarbw2-w1") > 0);
	CHECK(thread_find("tarbw2-w2") < 0);
	for (hog = 0; hog < 2; hog++) {
		for (k = 0; k < W2_ROUNDS; k++) {
			ret = two_workers_round(&g, hog);
			CHECK(ret >= 0, "hog %u", hog);
			if (ret == 1)
				break;
		}
		CHECK(ret == 1, "hog %u ran dry in every round", hog);
	}
	group_close(&g);
	return 0;
}

/* ---------------------------------------------------------------- *
 * The order of turns
 * ---------------------------------------------------------------- */

#define ORD_CHANS	4
#define ORD_TURNS	4
#define ORD_PAIRS	(ORD_TURNS * QUANTUM / 2)	/* per channel */
#define ORD_PAGE	4096u

/* What a channel's descriptor 2k + 1 leaves in the stamp. */
static uint64_t
ord_stamp(unsigned int c, unsigned int k)
{
	return ((uint64_t)(c + 1) << 32) | k;
}

static void
ord_copy(struct fx *f, unsigned int i, const void *src, void *dst,
		uint32_t flags)
{
	struct netdma_desc *d = &f->ring[i];

	d->size = sizeof(uint64_t);
	d->ctrl = flags | (NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT);
	d->src = iova_of(src);
	d->dst = iova_of(dst);
}

/*
 * Four channels with four turns of work each, all busy from the second
 * pass on: every turn starts right after a turn of the channel before it
 * (round robin by channel number, spec 5.6), which ended at its budget.
 * The engine itself keeps the record: each channel's pairs of
 * descriptors copy a shared stamp into the channel's log, then the
 * channel's own stamp (channel, pair) into the shared one, so the log
 * entry of a turn's first pair names the descriptor that ran before it.
 * The worker is held in channel 0's first descriptor (stall.c) while the
 * other doorbells are rung, so which channels the first pass serves does
 * not depend on the machine's speed. Guards a pass that starts one
 * channel further on each time (turns out of order across passes) and
 * turns that end off their budget.
 */
static int
test_arb_turn_order(void)
{
	uint8_t *mem = xmmap((ORD_CHANS + 2) * ORD_PAGE);
	uint64_t *stamp = (uint64_t *)mem;
	uint64_t *own = (uint64_t *)(mem + ORD_PAGE);	/* [c][k] */
	uint64_t *log[ORD_CHANS];
	unsigned int c, k, t;
	struct stall st;
	struct group g;

	if (!stall_open(&st)) {
		xmunmap(mem, (ORD_CHANS + 2) * ORD_PAGE);
		return test_skipped(st.why);
	}
	CHECK(group_open(&g, ORD_CHANS, 1, 2 * ORD_PAIRS + 8, "tarbord"));
	CHECK_EQ(iommu_map(g.e, iova_of(mem), mem,
		(ORD_CHANS + 2) * ORD_PAGE), 0);
	*stamp = 0;
	for (c = 0; c < ORD_CHANS; c++) {
		log[c] = (uint64_t *)(mem + (2 + c) * ORD_PAGE);
		memset(log[c], 0, ORD_PAIRS * sizeof(uint64_t));
		for (k = 0; k < ORD_PAIRS; k++) {
			own[c * ORD_PAIRS + k] = ord_stamp(c, k);
			ord_copy(&g.f[c], 2 * k, stamp, &log[c][k], 0);
			ord_copy(&g.f[c], 2 * k + 1, &own[c * ORD_PAIRS + k],
				stamp, k + 1 == ORD_PAIRS ?
				NETDMA_DESC_STATUS_UPDATE : 0);
		}
	}
	CHECK(stall_arm(&st, log[0]));
	doorbell(&g.f[0], 2 * ORD_PAIRS);
	CHECK(stall_wait(&st));
	for (c = 1; c < ORD_CHANS; c++)
		doorbell(&g.f[c], 2 * ORD_PAIRS);
	CHECK(stall_release(&st));
	stall_close(&st);
	for (c = 0; c < ORD_CHANS; c++)
		CHECK(wait_completed(&g.f[c], 2 * ORD_PAIRS), "channel %u", c);

	for (c = 0; c < ORD_CHANS; c++)
		for (t = 0; t < ORD_TURNS; t++) {
			unsigned int prev = (c + ORD_CHANS - 1) % ORD_CHANS;
			uint64_t before = log[c][t * QUANTUM / 2];

			if (c == 0 && t == 0) {
				CHECK_EQ(before, 0, "the first turn of all");
				continue;
			}
			/* the turn before ended at its budget: its last pair
			 * is the last of a turn */
			CHECK(before >> 32 == prev + 1 &&
				(before & 0xffffffff) % (QUANTUM / 2) ==
				QUANTUM / 2 - 1, "channel %u turn %u came after "
				"channel %d pair %d, not after channel %u's last",
				c, t, (int)(before >> 32) - 1,
				(int)(before & 0xffffffff), prev);
		}
	group_close(&g);
	xmunmap(mem, (ORD_CHANS + 2) * ORD_PAGE);
	return 0;
}

static const struct test tests[] = {
	TEST(arb_round_robin),
	TEST(arb_strict_priority),
	TEST(arb_halt_isolation),
	TEST(arb_reset_isolation),
	TEST(arb_idle_siblings),
	TEST(arb_two_workers),
	TEST(arb_turn_order),
};

void
arbitration_tests(void)
{
	char name[64];
	unsigned int i;

	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < sizeof(weight_cases) / sizeof(weight_cases[0]); i++) {
		snprintf(name, sizeof(name), "arb_weight_%s",
			weight_cases[i].name);
		test_run_case(name, test_weight_case, &weight_cases[i]);
	}
}
