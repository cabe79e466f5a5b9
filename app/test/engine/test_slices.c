/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Long descriptors. The engine moves data in 64 KiB slices and looks at
 * CHANCMD between two of them, so RESET and ABORT abandon a large copy
 * part-way, SUSPEND pauses one (COPY, FILL or COPY_SG) and RESUME
 * finishes it byte-exact; a fill keeps its 8-byte pattern in phase across
 * slices and across the turns of two channels sharing a worker.
 */

#include <stdio.h>
#include <string.h>

#include "harness.h"

/* A thousand slices: long enough to catch running, short enough that
 * faulting its pages in stays cheap. */
#define BIG_SZ		(64u << 20)
#define SLICE_SZ	(64u * 1024)	/* the engine's data slice */
#define PAGE_SZ		4096u
/* A fill pattern none of whose bytes is DST_SENTINEL. */
#define FILL_PAT	0x0123456789ABCDEFull

/* ---------------------------------------------------------------- *
 * Big buffers and watching them fill
 * ---------------------------------------------------------------- */

struct big {
	uint8_t *src, *dst;
	size_t len;
	struct netdma_sge *lists;	/* COPY_SG's, mapped */
	size_t changed;		/* src bytes inverted after being copied */
};

/* src holds pattern_fill(), dst the sentinel; both mapped IOVA == VA. */
static bool
big_open(struct fx *f, struct big *b, size_t len)
{
	b->len = len;
	b->lists = NULL;
	b->changed = 0;
	b->src = xmmap(len);
	b->dst = xmmap(len);
	pattern_fill(b->src, len, 11);
	memset(b->dst, DST_SENTINEL, len);
	return iommu_map(f->e, iova_of(b->src), b->src, len) == 0 &&
		iommu_map(f->e, iova_of(b->dst), b->dst, len) == 0;
}

static void
big_close(struct big *b)
{
	xmunmap(b->src, b->len);
	xmunmap(b->dst, b->len);
	if (b->lists != NULL)
		xfree(b->lists);
}

/*
 * How far a front-to-back writer that never writes DST_SENTINEL has got
 * into [p, p + len), to a page: the first page whose first byte is still
 * the sentinel. Cheap enough to poll while the engine runs. It watches
 * the engine write the buffer as one would watch a device's DMA: a race
 * by design, which ThreadSanitizer is told not to instrument.
 */
static __attribute__((no_sanitize_thread)) size_t
progress_of(const uint8_t *p, size_t len)
{
	const volatile uint8_t *v = p;
	size_t lo = 0, hi = (len + PAGE_SZ - 1) / PAGE_SZ;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid * PAGE_SZ] != DST_SENTINEL)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo * PAGE_SZ < len ? lo * PAGE_SZ : len;
}

/* [p, p + len) holds the pattern, starting in phase at p. */
static bool
filled(const uint8_t *p, size_t len, uint64_t pattern)
{
	static uint8_t block[SLICE_SZ];
	size_t off, i;

	for (i = 0; i < SLICE_SZ; i++)
		block[i] = (uint8_t)(pattern >> (8 * (i % 8)));
	for (off = 0; off < len; off += SLICE_SZ) {
		size_t n = len - off < SLICE_SZ ? len - off : SLICE_SZ;

		if (memcmp(p + off, block, n) != 0)
			return false;
	}
	return true;
}

/* [p, p + len) holds only val. */
static bool
mem_is(const uint8_t *p, size_t len, uint8_t val)
{
	return filled(p, len, val * UINT64_C(0x0101010101010101));
}

/* First offset where a and b differ, or len. */
static size_t
first_diff(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t off = 0;

	while (off < len) {
		size_t n = len - off < SLICE_SZ ? len - off : SLICE_SZ;

		if (memcmp(a + off, b + off, n) != 0)
			break;
		off += n;
	}
	while (off < len && a[off] == b[off])
		off++;
	return off;
}

/*
 * The engine has stopped in a copy of src to dst: dst must be a copied
 * prefix followed by untouched bytes. Returns the prefix length, or
 * SIZE_MAX if a byte past it was written.
 */
static size_t
copied_prefix(const struct big *b)
{
	size_t n = first_diff(b->dst, b->src, b->len);

	return mem_is(b->dst + n, b->len - n, DST_SENTINEL) ? n : SIZE_MAX;
}

/* ---------------------------------------------------------------- *
 * RESET and ABORT in the middle of a copy
 * ---------------------------------------------------------------- */

/* Where the worker is held: 4 slices in, well inside the descriptor. */
#define HOLD_AT		(4 * SLICE_SZ)

/*
 * d0 a small copy, d1 copies all of b, d2 a small copy. Post cmd while
 * the worker is held at a page of d1's destination, so that d1 is part-way
 * whatever the machine's speed. Returns, in *copied, how much of d1 was
 * done when the engine took the command.
 */
static int
cmd_mid_copy(struct fx *f, struct big *b, uint8_t cmd, size_t *copied)
{
	struct stall st;

	if (!stall_open(&st))
		return test_skipped(st.why);
	desc_copy(f, 0, 0, 256, NETDMA_DESC_STATUS_UPDATE);
	f->ring[1].size = b->len;
	f->ring[1].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
	f->ring[1].src = iova_of(b->src);
	f->ring[1].dst = iova_of(b->dst);
	desc_copy(f, 2, 2, 256, NETDMA_DESC_STATUS_UPDATE);
	CHECK(stall_arm(&st, b->dst + HOLD_AT));
	doorbell(f, 3);
	CHECK(stall_wait(&st));
	CHECK(stall_cmd(&st, f, cmd));
	stall_close(&st);
	*copied = copied_prefix(b);
	CHECK(*copied != SIZE_MAX, "bytes written past the copied prefix");
	/* Taken between two slices: once posted, the command costs the
	 * slice the worker was in, not the rest of the copy. */
	CHECK(*copied > HOLD_AT, "the held page was not written");
	CHECK(*copied <= HOLD_AT + SLICE_SZ, "%zu bytes copied after the "
		"command", *copied - HOLD_AT);
	return 0;
}

/* Nothing moves once the command is taken: the copy stays where it was. */
static int
copy_stays(struct fx *f, struct big *b, size_t copied)
{
	size_t at = progress_of(b->dst, b->len);

	CHECK(wait_seen(f));
	CHECK_EQ(progress_of(b->dst, b->len), at);
	CHECK_EQ(b->dst[copied], DST_SENTINEL);
	CHECK_EQ(b->dst[b->len - 1], DST_SENTINEL);
	return 0;
}

/*
 * RESET during a 64 MiB copy: taken within a slice or so, the copy
 * abandoned (a copied prefix, nothing after it, ever), the channel in its
 * reset state (spec 9.2), d2 dropped, and the channel usable again.
 * Guards an engine that looks at commands only between descriptors, or
 * that acknowledges a RESET and then carries on copying.
 */
static int
test_slices_reset_mid_copy(void)
{
	struct big b;
	size_t copied;
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	CHECK(big_open(&f, &b, BIG_SZ));
	ret = cmd_mid_copy(&f, &b, NETDMA_CMD_RESET, &copied);
	if (ret != 0) {
		fx_close(&f);
		big_close(&b);
		return ret;
	}
	CHECK_EQ(chansts(&f), NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, doorbell), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, erraddr), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chainaddr), desc_iova(&f, 0));
	CHECK_EQ(netdma_mmio_read(f.regs, chancmp), iova_of(f.cmp));
	/* RESET writes no status word: d0's is the last. */
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_ACTIVE);
	CHECK(slot_copied(&f, 0, 256));
	CHECK(copy_stays(&f, &b, copied) == 0);
	CHECK(slot_untouched(&f, 2));

	/* From CHAINADDR, counting from 0 again. */
	CHECK(chan_bringup(&f));
	desc_copy(&f, 0, 5, 100, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 5, 100));
	CHECK(slot_untouched(&f, 2));
	CHECK_EQ(b.dst[copied], DST_SENTINEL);
	fx_close(&f);
	big_close(&b);
	return 0;
}

/*
 * ABORT during a 64 MiB copy: taken within a slice or so, the copy and d2
 * dropped uncounted, the channel IDLE at d0 with its registers kept (spec
 * 9.5), and the next descriptor fetched from CHAINADDR.
 */
static int
test_slices_abort_mid_copy(void)
{
	struct big b;
	size_t copied;
	struct fx f;
	int ret;

	CHECK(fx_open(&f, 32));
	CHECK(big_open(&f, &b, BIG_SZ));
	ret = cmd_mid_copy(&f, &b, NETDMA_CMD_ABORT, &copied);
	if (ret != 0) {
		fx_close(&f);
		big_close(&b);
		return ret;
	}
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);
	CHECK_EQ(netdma_mmio_read(f.regs, doorbell), f.dmacount);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_ACTIVE);
	CHECK(copy_stays(&f, &b, copied) == 0);
	CHECK(slot_untouched(&f, 2));

	netdma_mmio_write(f.regs, chainaddr, desc_iova(&f, 5));
	desc_copy(&f, 5, 5, 100, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 5) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 5, 100));
	CHECK(slot_untouched(&f, 2));
	CHECK_EQ(b.dst[copied], DST_SENTINEL);
	fx_close(&f);
	big_close(&b);
	return 0;
}

/* ---------------------------------------------------------------- *
 * SUSPEND and RESUME in the middle of a descriptor
 * ---------------------------------------------------------------- */

/* The long descriptor of a suspend test, and where it writes. */
struct long_op {
	const char *name;
	/* Make descriptor 1; return false on a setup failure. */
	bool (*make)(struct fx *f, struct big *b);
	/* Its bytes, all of them, once it has run. */
	bool (*done)(struct big *b);
	/* While paused with len bytes done: change what they came from, so
	 * that done() can tell a descriptor continued from one restarted. */
	void (*change_done)(struct big *b, size_t len);
	size_t dst_off, size;	/* it writes [dst + dst_off, + size) */
};

static bool
copy_make(struct fx *f, struct big *b)
{
	f->ring[1].size = b->len;
	f->ring[1].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
	f->ring[1].src = iova_of(b->src);
	f->ring[1].dst = iova_of(b->dst);
	return true;
}

static void
invert(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)~p[i];
}

static void
copy_change_done(struct big *b, size_t len)
{
	invert(b->src, len);
	b->changed = len;
}

/* The bytes copied before the pause are the old ones: put src back and
 * compare. */
static bool
copy_done(struct big *b)
{
	invert(b->src, b->changed);
	b->changed = 0;
	return first_diff(b->dst, b->src, b->len) == b->len;
}

#define FILL_OFF	3
#define FILL_SZ		(BIG_SZ - 5)

static bool
fill_make(struct fx *f, struct big *b)
{
	f->ring[1].size = FILL_SZ;
	f->ring[1].ctrl = NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT;
	f->ring[1].src = FILL_PAT;
	f->ring[1].dst = iova_of(b->dst + FILL_OFF);
	return true;
}

static bool
fill_done(struct big *b)
{
	return mem_is(b->dst, FILL_OFF, DST_SENTINEL) &&
		filled(b->dst + FILL_OFF, FILL_SZ, FILL_PAT) &&
		mem_is(b->dst + FILL_OFF + FILL_SZ,
			b->len - FILL_OFF - FILL_SZ, DST_SENTINEL);
}

/*
 * COPY_SG of SG_SZ bytes: sixteen src segments spread over src in another
 * order, thirteen dst segments back to back from dst + SG_OFF, so that
 * what is written is one range, front to back.
 */
#define SG_OFF		5
static const uint32_t sg_src_len[] = {
	5000017, 1, 3 << 20, 1777777, 7086419, 65537, 3, 11000000,
	6 << 20, 2234567, 8750001, 99, 4 << 20, 4096, 6999999, 5500000,
};
static const uint32_t sg_dst_len[] = {
	65535, 11000003, 7, 6777777, 2 << 20, 1, 9000000,
	5499999, 131073, 5 << 20, 3388889, 17,
	0,	/* the rest */
};
#define NB_SG_SRC	(sizeof(sg_src_len) / sizeof(sg_src_len[0]))
#define NB_SG_DST	(sizeof(sg_dst_len) / sizeof(sg_dst_len[0]))

static uint32_t
sg_size(void)
{
	uint32_t k, total = 0;

	for (k = 0; k < NB_SG_SRC; k++)
		total += sg_src_len[k];
	return total;
}

static bool
sg_make(struct fx *f, struct big *b)
{
	struct netdma_sge *sl, *dl;
	uint32_t k, total = sg_size(), used = 0;
	size_t at = 0;

	b->lists = xalloc(2 * NETDMA_MAX_SGES * sizeof(*b->lists));
	if (iommu_map(f->e, iova_of(b->lists), b->lists,
			2 * NETDMA_MAX_SGES * sizeof(*b->lists)) != 0)
		return false;
	sl = b->lists;
	dl = b->lists + NETDMA_MAX_SGES;
	/* src segments laid out last to first, 4099 bytes apart. */
	for (k = NB_SG_SRC; k-- > 0;) {
		sge_set(&sl[k], b->src + at, sg_src_len[k]);
		at += sg_src_len[k] + 4099;
	}
	at = SG_OFF;
	for (k = 0; k < NB_SG_DST; k++) {
		uint32_t len = sg_dst_len[k] ? sg_dst_len[k] : total - used;

		sge_set(&dl[k], b->dst + at, len);
		at += len;
		used += len;
	}
	desc_copy_sg(f, 1, total, sl, NB_SG_SRC, dl, NB_SG_DST, 0);
	return true;
}

/* The src segments in order are the dst range, and nothing else moved. */
static bool
sg_done(struct big *b)
{
	const struct netdma_sge *sl = b->lists;
	const uint8_t *d = b->dst + SG_OFF;
	uint32_t k, total = sg_size();

	for (k = 0; k < NB_SG_SRC; k++) {
		if (memcmp(d, (const uint8_t *)(uintptr_t)sl[k].addr,
				sl[k].len) != 0)
			return false;
		d += sl[k].len;
	}
	return mem_is(b->dst, SG_OFF, DST_SENTINEL) &&
		mem_is(b->dst + SG_OFF + total, b->len - SG_OFF - total,
			DST_SENTINEL);
}

static const struct long_op long_ops[] = {
	{ "copy", copy_make, copy_done, copy_change_done, 0, BIG_SZ },
	{ "fill", fill_make, fill_done, NULL, FILL_OFF, FILL_SZ },
	{ "sg", sg_make, sg_done, NULL, SG_OFF, 0 /* sg_size() */ },
};

#define NB_LONG_OPS	(sizeof(long_ops) / sizeof(long_ops[0]))

/*
 * SUSPEND three times while d1 runs, each time with the worker held at a
 * page of d1's destination a little further on: each time the channel is
 * SUSPENDED at d0 with COMPLETED 1 within a slice of that page, and
 * nothing moves until RESUME. The first doorbell is rung here.
 */
static int
suspend_thrice(struct fx *f, const struct long_op *op, struct big *b,
		struct stall *st)
{
	uint8_t *w = b->dst + op->dst_off;
	unsigned int k;
	size_t at, hold;

	for (k = 1; k <= 3; k++) {
		/* A slice past the start of a turn (a turn's 256 KiB covers
		 * slices 4j to 4j + 3 up to the first pause): an engine that
		 * looks at CHANCMD only when the budget runs out goes on. */
		hold = (k * 8 + 1) * SLICE_SZ;
		CHECK(stall_arm(st, w + hold));
		if (k == 1)
			doorbell(f, 3);
		else
			CHECK(chan_cmd(f, NETDMA_CMD_RESUME));
		CHECK(stall_wait(st));
		CHECK(stall_cmd(st, f, NETDMA_CMD_SUSPEND));
		CHECK_EQ(chan_state(f), NETDMA_STS_SUSPENDED);
		CHECK_EQ(netdma_mmio_read(f->regs, completed), 1);
		CHECK_EQ(chansts(f), desc_iova(f, 0) | NETDMA_STS_SUSPENDED);
		/* The held page's slice is finished, no more: the one the
		 * page is in, and the next if the page straddles two. */
		at = progress_of(w, op->size ? op->size : sg_size());
		CHECK(at > hold - PAGE_SZ, "pause %u: %zu bytes done, held at "
			"%zu", k, at, hold);
		CHECK(at <= hold + 2 * SLICE_SZ, "pause %u: %zu bytes done, "
			"held at %zu", k, at, hold);
		if (k == 1 && op->change_done != NULL)
			op->change_done(b, at);
		CHECK(wait_seen(f));
		CHECK_EQ(progress_of(w, op->size ? op->size : sg_size()), at,
			"moved while suspended");
		CHECK_EQ(netdma_mmio_read(f->regs, completed), 1);
		CHECK_EQ(chan_state(f), NETDMA_STS_SUSPENDED);
		CHECK(slot_untouched(f, 2));
	}
	CHECK(chan_cmd(f, NETDMA_CMD_RESUME));
	return 0;
}

/*
 * d0 a small copy, d1 the long operation, d2 a small copy, d1 suspended
 * and resumed part-way. In the end d1's bytes are exact: guards an engine
 * that drops, repeats or misplaces the rest of a paused descriptor (its
 * segment and offset on both sides for COPY_SG, the pattern's phase for
 * FILL), or that finishes it before pausing. For COPY, the source of what
 * was copied before the first pause changes during it: an engine that
 * starts the descriptor over, instead of continuing it, copies the new
 * bytes.
 */
static int
test_suspend_case(const void *arg)
{
	const struct long_op *op = arg;
	struct stall st;
	struct big b;
	struct fx f;

	if (!stall_open(&st))
		return test_skipped(st.why);
	CHECK(fx_open(&f, 32));
	CHECK(big_open(&f, &b, BIG_SZ));
	desc_copy(&f, 0, 0, 256, 0);
	CHECK(op->make(&f, &b));
	desc_copy(&f, 2, 2, 256, NETDMA_DESC_STATUS_UPDATE);
	CHECK(suspend_thrice(&f, op, &b, &st) == 0);
	stall_close(&st);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 2) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK(op->done(&b), "%s: wrong bytes after suspend/resume", op->name);
	CHECK(slot_copied(&f, 0, 256));
	CHECK(slot_copied(&f, 2, 256));
	fx_close(&f);
	big_close(&b);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Fill pattern phase
 * ---------------------------------------------------------------- */

/* Fills of more than a slice at odd sizes and offsets, in one buffer. */
static const uint32_t fill_sizes[] = {
	SLICE_SZ + 1, 3 * SLICE_SZ + 5, (1u << 20) + 7, 5 * SLICE_SZ - 3,
	2 * SLICE_SZ,
};
static const uint32_t fill_offs[] = { 0, 1, 3, 7 };
#define NB_FILL_SIZES	(sizeof(fill_sizes) / sizeof(fill_sizes[0]))
#define NB_FILL_OFFS	(sizeof(fill_offs) / sizeof(fill_offs[0]))
#define NB_FILLS	(NB_FILL_SIZES * NB_FILL_OFFS)

static uint64_t
fill_pat(unsigned int i)
{
	return 0x8877665544332211ull ^ (0x0101010101010101ull * (i + 1));
}

/*
 * Byte j of each fill is byte (j mod 8) of its pattern, wherever the
 * slices end, and the 64 bytes around each are untouched. Guards an
 * engine that restarts the pattern at each slice, or at each turn, with
 * the wrong phase.
 */
static int
test_slices_fill_phase(void)
{
	const size_t len = 8u << 20, gap = 64;
	uint8_t *buf = xalloc(len);
	size_t at[NB_FILLS], pos = gap, j;
	unsigned int i;
	struct fx f;

	CHECK(fx_open(&f, 32));
	CHECK_EQ(iommu_map(f.e, iova_of(buf), buf, len), 0);
	memset(buf, DST_SENTINEL, len);
	for (i = 0; i < NB_FILLS; i++) {
		uint32_t size = fill_sizes[i % NB_FILL_SIZES];

		pos = (pos + 7) / 8 * 8 + fill_offs[i / NB_FILL_SIZES];
		at[i] = pos;
		f.ring[i].size = size;
		f.ring[i].ctrl = NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT;
		f.ring[i].src = fill_pat(i);
		f.ring[i].dst = iova_of(buf + pos);
		pos += size + gap;
	}
	CHECK(pos <= len);
	f.ring[NB_FILLS - 1].ctrl |= NETDMA_DESC_STATUS_UPDATE;
	doorbell(&f, NB_FILLS);
	CHECK(wait_completed(&f, NB_FILLS));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, NB_FILLS - 1) | NETDMA_STS_IDLE);
	for (i = 0; i < NB_FILLS; i++) {
		uint32_t size = fill_sizes[i % NB_FILL_SIZES];
		uint64_t p = fill_pat(i);

		for (j = 0; j < size; j++)
			CHECK_EQ(buf[at[i] + j], (uint8_t)(p >> (8 * (j % 8))),
				"fill %u (size %u at +%u): byte %zu", i, size,
				fill_offs[i / NB_FILL_SIZES], j);
		CHECK(mem_is(buf + at[i] - gap, gap, DST_SENTINEL),
			"fill %u: before", i);
		CHECK_EQ(buf[at[i] + size], DST_SENTINEL, "fill %u: after", i);
	}
	fx_close(&f);
	xfree(buf);
	return 0;
}

/*
 * Two channels on one worker, each one long fill at an odd offset: their
 * turns alternate every few slices, so each fill stops and resumes many
 * times with the other's state in between.
 */
static int
test_slices_fill_two_channels(void)
{
	const size_t len = 5u << 20, size = (4u << 20) + 3;
	static const size_t off[2] = { 1, 6 };
	struct netdma_engine *e = engine_new(2, "tfill2");
	uint8_t *buf[2];
	unsigned int c;
	struct fx f[2];

	CHECK(e != NULL);
	for (c = 0; c < 2; c++) {
		CHECK(fx_attach(&f[c], e, c, 32));
		buf[c] = xalloc(len);
		memset(buf[c], DST_SENTINEL, len);
		CHECK_EQ(iommu_map(e, iova_of(buf[c]), buf[c], len), 0);
		f[c].ring[0].size = size;
		f[c].ring[0].ctrl = (NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT) |
			NETDMA_DESC_STATUS_UPDATE;
		f[c].ring[0].src = fill_pat(c);
		f[c].ring[0].dst = iova_of(buf[c] + off[c]);
	}
	CHECK(wait_parked(&f[0]));
	/* Both doorbells before either kick: the worker, woken by the
	 * first, finds the second channel's kick waiting. */
	doorbell_nokick(&f[0], 1);
	doorbell_nokick(&f[1], 1);
	fx_kick(&f[0]);
	fx_kick(&f[1]);
	for (c = 0; c < 2; c++) {
		CHECK(wait_completed(&f[c], 1), "channel %u", c);
		CHECK_EQ(cmp_word(&f[c]), desc_iova(&f[c], 0) |
			NETDMA_STS_IDLE, "channel %u", c);
		CHECK(mem_is(buf[c], off[c], DST_SENTINEL), "channel %u", c);
		CHECK(filled(buf[c] + off[c], size, fill_pat(c)),
			"channel %u", c);
		CHECK(mem_is(buf[c] + off[c] + size, len - off[c] - size,
			DST_SENTINEL), "channel %u", c);
	}
	for (c = 0; c < 2; c++) {
		fx_close(&f[c]);
		xfree(buf[c]);
	}
	engine_destroy(e);
	return 0;
}

static const struct test tests[] = {
	TEST(slices_reset_mid_copy),
	TEST(slices_abort_mid_copy),
	TEST(slices_fill_phase),
	TEST(slices_fill_two_channels),
};

void
slices_tests(void)
{
	char name[64];
	unsigned int i;

	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < NB_LONG_OPS; i++) {
		snprintf(name, sizeof(name), "slices_suspend_%s",
			long_ops[i].name);
		test_run_case(name, test_suspend_case, &long_ops[i]);
	}
}
