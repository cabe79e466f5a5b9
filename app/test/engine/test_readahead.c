/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Read-ahead (spec 5.8): while a channel runs one descriptor, it may read
 * the one NETDMA_READAHEAD_DESCS slots further on and start the reads of
 * its data. That is a guess about the chain and a hint to the CPU, so it
 * must never fault and never change what the channel does: a ring that
 * ends where the process's memory ends runs cleanly, in both addressing
 * modes, and a chain that is no ring copies what its descriptors say.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"

#define RA_PAGE		4096u	/* the engine reads ahead within 4 KiB */
#define RA_RING		(RA_PAGE / sizeof(struct netdma_desc))
#define RA_ROUNDS	4
#define RA_COPY		64u

struct guarded {
	struct netdma_desc *fixture_ring;	/* given back at close */
	uint8_t *block;				/* ring page, then a hole */
};

/* A one-channel card with read-ahead forced on. */
static struct netdma_engine_params
ra_params(bool sva)
{
	const struct netdma_engine_params p = {
		.nb_channels = 1,
		.spin_us = SPIN_US,
		.sva = sva,
		.readahead = NETDMA_READAHEAD_ON,
		.name = "tra",
	};

	return p;
}

/*
 * Move the fixture onto a ring that fills one page exactly, followed by a
 * page the process cannot read: reading past the ring's end faults. With
 * an IOMMU only the ring's page is mapped for it. The chain is a circle
 * stepping stride slots at a time (1: the usual ring).
 */
static bool
guarded_open(struct fx *f, struct guarded *g, bool sva, unsigned int stride)
{
	const struct netdma_engine_params p = ra_params(sva);
	unsigned int i;

	if (!fx_open_params(f, &p, 8))
		return false;
	g->fixture_ring = f->ring;
	g->block = xmmap(2 * RA_PAGE);
	if (mprotect(g->block + RA_PAGE, RA_PAGE, PROT_NONE) != 0)
		return false;
	f->ring = (struct netdma_desc *)g->block;
	f->nb_desc = RA_RING;
	for (i = 0; i < RA_RING; i++)
		f->ring[i].next = desc_iova(f, (i + stride) % RA_RING);
	if (!sva && iommu_map(f->e, iova_of(f->ring), f->ring, RA_PAGE) != 0)
		return false;
	return chan_bringup(f);
}

static void
guarded_close(struct fx *f, struct guarded *g)
{
	f->ring = g->fixture_ring;
	f->nb_desc = 8;
	fx_close(f);
	if (g->block != NULL)
		xmunmap(g->block, 2 * RA_PAGE);
}

/*
 * Rounds of RA_RING - 1 copies posted at once, each round starting where
 * the last stopped, so that the descriptors near the ring's end have
 * posted ones "ahead" past the end of the page: the read-ahead must not
 * go there. The chain visits slot (k * stride) % RA_RING k-th; copy k of
 * a round goes to data slot k.
 */
static int
run_rounds(struct fx *f, unsigned int stride)
{
	unsigned int r, k, slot = 0;
	uint64_t done = 0;

	for (r = 0; r < RA_ROUNDS; r++) {
		memset(f->dst, DST_SENTINEL, BUF_LEN);
		for (k = 0; k < RA_RING - 1; k++) {
			unsigned int data = k % NB_SLOTS;

			desc_copy(f, slot, data, RA_COPY, k == RA_RING - 2 ?
				NETDMA_DESC_STATUS_UPDATE : 0);
			slot = (slot + stride) % RA_RING;
		}
		doorbell(f, RA_RING - 1);
		done += RA_RING - 1;
		CHECK(wait_completed(f, done), "round %u: %" PRIu64 " done",
			r, (uint64_t)netdma_mmio_read(f->regs, completed));
		CHECK(chan_state(f) == NETDMA_STS_IDLE, "round %u: state %u",
			r, chan_state(f));
		CHECK(netdma_mmio_read(f->regs, chanerr) == 0,
			"round %u: CHANERR %#x", r,
			(unsigned int)netdma_mmio_read(f->regs, chanerr));
		for (k = 0; k < RA_RING - 1 && k < NB_SLOTS; k++)
			CHECK(slot_copied(f, k, RA_COPY), "round %u copy %u",
				r, k);
	}
	return 0;
}

/* run_rounds() on a guarded ring whose chain steps stride slots. */
static int
guarded_rounds(bool sva, unsigned int stride)
{
	struct guarded g = { 0 };
	struct fx f;
	int ret;

	if (!guarded_open(&f, &g, sva, stride)) {
		guarded_close(&f, &g);
		CHECK(0, "guarded ring set-up");
	}
	ret = run_rounds(&f, stride);
	guarded_close(&f, &g);
	return ret;
}

/* With an IOMMU: the window the descriptor was read through ends there. */
static int
test_readahead_iommu_window_end(void)
{
	return guarded_rounds(false, 1);
}

/* With SVA: the page the descriptor was read from ends there. */
static int
test_readahead_sva_page_end(void)
{
	return guarded_rounds(true, 1);
}

/*
 * A chain that is no ring: each descriptor's next is 5 slots on, so the
 * slot read ahead holds a descriptor run long before or after. What runs
 * is what the chain says, in its order.
 */
static int
test_readahead_chain_not_ring(void)
{
	return guarded_rounds(false, 5);
}

/*
 * With SVA, a small ring in the heap: the slots read ahead from its last
 * descriptors lie past its end, in other heap objects. Harmless, and the
 * AddressSanitizer build (which runs this) must not see those reads as
 * the engine's overflows: they are hints, made out of its sight.
 */
static int
test_readahead_sva_heap_ring(void)
{
	const struct netdma_engine_params p = ra_params(true);
	const unsigned int nb = 16;
	unsigned int r, i;
	struct fx f;

	CHECK(fx_open_params(&f, &p, nb));
	/* rounds of nb - 1 start at every slot in turn, so that each of the
	 * last slots runs with 8 more posted: the first read past the end
	 * lands in the allocation's right redzone */
	for (r = 0; r < nb; r++) {
		for (i = 0; i < nb - 1; i++)
			desc_copy(&f, (r * (nb - 1) + i) % nb, i, RA_COPY,
				i == nb - 2 ? NETDMA_DESC_STATUS_UPDATE : 0);
		doorbell(&f, nb - 1);
		if (!wait_completed(&f, (uint64_t)(r + 1) * (nb - 1)) ||
				netdma_mmio_read(f.regs, chanerr) != 0) {
			fx_close(&f);
			CHECK(0, "round %u did not complete cleanly", r);
		}
		for (i = 0; i < nb - 1; i++)
			if (!slot_copied(&f, i, RA_COPY)) {
				fx_close(&f);
				CHECK(0, "round %u copy %u", r, i);
			}
		memset(f.dst, DST_SENTINEL, BUF_LEN);
	}
	fx_close(&f);
	return 0;
}

/* A read-ahead setting the engine does not know is refused. */
static int
test_readahead_bad_param(void)
{
	struct netdma_engine_params p = {
		.nb_channels = 1,
		.spin_us = SPIN_US,
		.readahead = (enum netdma_readahead)(NETDMA_READAHEAD_OFF + 1),
		.name = "tra",
	};
	struct netdma_engine *e;

	errno = 0;
	e = netdma_engine_create(&p);
	if (e != NULL)
		netdma_engine_destroy(e);
	CHECK(e == NULL && errno == EINVAL, "readahead %u: %s",
		(unsigned int)p.readahead, e == NULL ? strerror(errno) :
		"accepted");
	return 0;
}

/* The words of the settings, both ways, and nothing else. */
static int
test_readahead_words(void)
{
	static const char *const words[] = { "auto", "on", "off" };
	enum netdma_readahead ra;
	unsigned int i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		ra = NETDMA_READAHEAD_OFF;
		CHECK_EQ(netdma_readahead_parse(words[i], &ra), 0);
		CHECK_EQ(ra, (enum netdma_readahead)i);
		CHECK(strcmp(netdma_readahead_name(ra), words[i]) == 0,
			"%u: %s", i, netdma_readahead_name(ra));
	}
	ra = NETDMA_READAHEAD_ON;
	CHECK_EQ(netdma_readahead_parse("On", &ra), -EINVAL);
	CHECK_EQ(netdma_readahead_parse("", &ra), -EINVAL);
	CHECK_EQ(ra, NETDMA_READAHEAD_ON);
	CHECK(netdma_readahead_name(NETDMA_READAHEAD_OFF + 1) == NULL);
	return 0;
}

static const struct test tests[] = {
	TEST(readahead_iommu_window_end),
	TEST(readahead_sva_page_end),
	TEST(readahead_chain_not_ring),
	TEST(readahead_sva_heap_ring),
	TEST(readahead_bad_param),
	TEST(readahead_words),
};

void
readahead_tests(void)
{
	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
}
