/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * COPY_SG: every pair of list lengths with uneven segments, checked byte
 * for byte against a model of the copy (which also catches a byte written
 * outside the destination segments); copies of many slices whose segment
 * boundaries fall inside slices; lists read once; and the error matrix of
 * segment lists (counts, sums, zero lengths, unreadable lists, unmapped
 * segments, overlap), each recovered from like any other halt.
 */

#include <stdio.h>
#include <string.h>

#include "harness.h"

#define SLICE_SZ	(64u * 1024)	/* the engine's data slice */

/* ---------------------------------------------------------------- *
 * Model and layout
 * ---------------------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint32_t
rnd(struct rng *r, uint32_t n)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s % n);
}

/*
 * Split size into n parts of at least one byte, unevenly: skewed weights
 * give both tiny and large segments. No running sum is a multiple of a
 * slice, so segment boundaries never line up with slice boundaries.
 */
static void
split_uneven(struct rng *r, uint32_t size, uint16_t n, uint32_t *len)
{
	uint64_t w[NETDMA_MAX_SGES + 1], sum_w = 0, spare = size - n, used = 0;
	uint32_t run = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		uint32_t x = rnd(r, 64);

		w[i] = 1 + (uint64_t)x * x * x;
		sum_w += w[i];
	}
	for (i = 0; i < n; i++) {
		len[i] = 1 + (uint32_t)(spare * w[i] / sum_w);
		used += len[i];
	}
	len[rnd(r, n)] += size - used;
	for (i = 0; i + 1 < n; i++) {
		run += len[i];
		if (run % SLICE_SZ == 0 && len[i] > 1) {
			len[i]--;
			len[i + 1]++;
			run--;
		}
	}
}

/*
 * Lay n segments of the given lengths out in arena from *used on, in a
 * shuffled order with small gaps (sometimes none), and fill list in
 * segment order. The gaps keep their old bytes: the model checks them.
 */
static void
place(struct rng *r, uint8_t *arena, size_t *used, const uint32_t *len,
		uint16_t n, struct netdma_sge *list)
{
	uint16_t order[NETDMA_MAX_SGES + 1], i;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; i > 1; i--) {
		uint16_t j = (uint16_t)rnd(r, i), t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++) {
		uint16_t k = order[i];

		*used += rnd(r, 3) == 0 ? 0 : 1 + rnd(r, 40);
		sge_set(&list[k], arena + *used, len[k]);
		*used += len[k];
	}
}

/*
 * The copy as the engine must do it: the src segments read in list order
 * as one stream, written in list order across the dst segments. expect
 * mirrors the memory at [dst_base, ...), where the dst segments lie.
 */
static void
sg_model(uint8_t *expect, const uint8_t *dst_base,
		const struct netdma_sge *src, uint16_t nb_src,
		const struct netdma_sge *dst, uint16_t nb_dst)
{
	uint16_t si = 0, di = 0;
	uint32_t soff = 0, doff = 0;

	while (si < nb_src && di < nb_dst) {
		const uint8_t *s = (const uint8_t *)(uintptr_t)src[si].addr;
		uint8_t *d = expect + (dst[di].addr - iova_of(dst_base));

		d[doff++] = s[soff++];
		if (soff == src[si].len) {
			si++;
			soff = 0;
		}
		if (doff == dst[di].len) {
			di++;
			doff = 0;
		}
	}
}

/* First offset where a and b differ, or len. */
static size_t
first_diff(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i = 0;

	while (i < len && a[i] == b[i])
		i++;
	return i;
}

/* Memory at IOVA == VA in the fixture's IOMMU, released with the test. */
static uint8_t *
mapped_block(struct fx *f, size_t len)
{
	uint8_t *p = xalloc(len);

	if (iommu_map(f->e, iova_of(p), p, len) != 0)
		return NULL;
	return p;
}

/* One COPY_SG descriptor's lists and size. */
struct sg_job {
	uint32_t size;
	uint16_t nb_src, nb_dst;
	struct netdma_sge *src, *dst;
};

/* Arenas for a batch of jobs, their lists, and the model's image of dst. */
struct sg_batch {
	uint8_t *src, *dst, *expect, *src_copy;
	size_t len;			/* of each arena */
	size_t src_used, dst_used;
	struct netdma_sge *lists;	/* 2 * NETDMA_MAX_SGES per job */
	struct sg_job *job;
	unsigned int nb_job;
};

static bool
batch_init(struct fx *f, struct sg_batch *b, size_t len, unsigned int nb_job)
{
	memset(b, 0, sizeof(*b));
	b->len = len;
	b->nb_job = nb_job;
	b->src = mapped_block(f, len);
	b->dst = mapped_block(f, len);
	b->lists = (struct netdma_sge *)mapped_block(f, (size_t)nb_job * 2 *
		NETDMA_MAX_SGES * sizeof(struct netdma_sge));
	b->expect = xalloc(len);
	b->src_copy = xalloc(len);
	b->job = xalloc(nb_job * sizeof(*b->job));
	if (b->src == NULL || b->dst == NULL || b->lists == NULL)
		return false;
	pattern_fill(b->src, len, 7);
	memcpy(b->src_copy, b->src, len);
	memset(b->dst, DST_SENTINEL, len);
	memset(b->expect, DST_SENTINEL, len);
	return true;
}

static void
batch_free(struct sg_batch *b)
{
	xfree(b->src);
	xfree(b->dst);
	xfree(b->lists);
	xfree(b->expect);
	xfree(b->src_copy);
	xfree(b->job);
}

/* Job j: size bytes from nb_src to nb_dst uneven, shuffled segments. */
static bool
batch_add(struct rng *r, struct sg_batch *b, unsigned int j, uint32_t size,
		uint16_t nb_src, uint16_t nb_dst)
{
	struct sg_job *jb = &b->job[j];
	uint32_t len[NETDMA_MAX_SGES];

	jb->size = size;
	jb->nb_src = nb_src;
	jb->nb_dst = nb_dst;
	jb->src = b->lists + (size_t)j * 2 * NETDMA_MAX_SGES;
	jb->dst = jb->src + NETDMA_MAX_SGES;
	split_uneven(r, size, nb_src, len);
	place(r, b->src, &b->src_used, len, nb_src, jb->src);
	split_uneven(r, size, nb_dst, len);
	place(r, b->dst, &b->dst_used, len, nb_dst, jb->dst);
	if (b->src_used > b->len || b->dst_used > b->len)
		return false;
	sg_model(b->expect, b->dst, jb->src, nb_src, jb->dst, nb_dst);
	return true;
}

/* Run the batch as one doorbell from ring slot 0 on; check every byte. */
static int
batch_run(struct fx *f, struct sg_batch *b)
{
	unsigned int j, last = b->nb_job - 1;
	size_t off;

	for (j = 0; j < b->nb_job; j++)
		desc_copy_sg(f, j, b->job[j].size, b->job[j].src,
			b->job[j].nb_src, b->job[j].dst, b->job[j].nb_dst,
			j == last ? NETDMA_DESC_STATUS_UPDATE : 0);
	doorbell(f, b->nb_job);
	CHECK(wait_completed(f, b->nb_job));
	CHECK_EQ(netdma_mmio_read(f->regs, chanerr), 0);
	CHECK_EQ(cmp_word(f), desc_iova(f, last) | NETDMA_STS_IDLE);
	off = first_diff(b->dst, b->expect, b->len);
	CHECK_EQ(off, b->len, "dst differs from the model at byte %zu: "
		"0x%02x, expected 0x%02x", off, b->dst[off], b->expect[off]);
	CHECK(memcmp(b->src, b->src_copy, b->len) == 0, "src changed");
	return 0;
}

/* ---------------------------------------------------------------- *
 * Copies
 * ---------------------------------------------------------------- */

/*
 * All 16 x 16 pairs of list lengths, one descriptor each, sizes from the
 * smallest possible (every segment of the longer list one byte) to a few
 * KiB. Guards list walking (a segment skipped, an offset not carried into
 * the next segment, the lists' ends), and writes outside the segments.
 */
static int
test_sg_all_counts(void)
{
	const unsigned int nb = NETDMA_MAX_SGES * NETDMA_MAX_SGES;
	struct rng r = { 0x9E3779B97F4A7C15ull };
	struct sg_batch b;
	unsigned int j;
	struct fx f;

	CHECK(fx_open(&f, nb));
	CHECK(batch_init(&f, &b, 2u << 20, nb));
	for (j = 0; j < nb; j++) {
		uint16_t ns = 1 + j / NETDMA_MAX_SGES;
		uint16_t nd = 1 + j % NETDMA_MAX_SGES;
		uint32_t size = ns > nd ? ns : nd;

		if (j % 5 != 0)
			size += rnd(&r, 3000);
		CHECK(batch_add(&r, &b, j, size, ns, nd), "job %u", j);
	}
	CHECK(batch_run(&f, &b) == 0);
	batch_free(&b);
	fx_close(&f);
	return 0;
}

/*
 * Copies of many 64 KiB slices, which the engine moves a slice at a time
 * and over several arbitration turns: where a slice ends inside a segment
 * on both sides, the next one must pick up at the same byte.
 */
static int
test_sg_many_slices(void)
{
	static const struct { uint32_t size; uint16_t ns, nd; } jobs[] = {
		{ (1u << 20) + 4099, 16, 13 },
		{ 640 * 1024 + 3, 1, 16 },
		{ 300 * 1024 + 1, 16, 1 },
		{ (2u << 20) - 1, 5, 7 },
		{ 3 * SLICE_SZ + 17, 2, 2 },
	};
	const unsigned int nb = sizeof(jobs) / sizeof(jobs[0]);
	struct rng r = { 0x2545F4914F6CDD1Dull };
	struct sg_batch b;
	unsigned int j;
	struct fx f;

	CHECK(fx_open(&f, 32));
	CHECK(batch_init(&f, &b, 5u << 20, nb));
	for (j = 0; j < nb; j++)
		CHECK(batch_add(&r, &b, j, jobs[j].size, jobs[j].ns,
			jobs[j].nd), "job %u", j);
	CHECK(batch_run(&f, &b) == 0);
	batch_free(&b);
	fx_close(&f);
	return 0;
}

/*
 * The first dst segment covers both lists, so the first slice overwrites
 * them with source bytes. An engine that reads the lists once, before any
 * data moves, copies as the lists said; one that reads an entry when it
 * reaches that segment writes where the overwritten entry says.
 */
static int
test_sg_lists_read_once(void)
{
	const size_t arena = 512 * 1024;
	struct netdma_sge *sl, *dl, src[3], dst[3];
	uint8_t *s, *d, *expect;
	struct fx f;
	size_t off;

	CHECK(fx_open(&f, 32));
	s = mapped_block(&f, arena);
	d = mapped_block(&f, arena);
	expect = xalloc(arena);
	CHECK(s != NULL && d != NULL);
	pattern_fill(s, arena, 3);
	memset(d, DST_SENTINEL, arena);
	sl = (struct netdma_sge *)d;
	dl = sl + 4;
	sge_set(&src[0], s, 150000);
	sge_set(&src[1], s + 160000, 100000);
	sge_set(&src[2], s + 270000, 50000);
	sge_set(&dst[0], d, 100000);
	sge_set(&dst[1], d + 200000, 150000);
	sge_set(&dst[2], d + 360000, 50000);
	memcpy(sl, src, sizeof(src));
	memcpy(dl, dst, sizeof(dst));
	memcpy(expect, d, arena);
	sg_model(expect, d, src, 3, dst, 3);

	desc_copy_sg(&f, 0, 300000, sl, 3, dl, 3, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	off = first_diff(d, expect, arena);
	CHECK_EQ(off, arena, "dst differs from the model at byte %zu", off);
	fx_close(&f);
	xfree(s);
	xfree(d);
	xfree(expect);
	return 0;
}

/* ---------------------------------------------------------------- *
 * Errors: the matrix
 * ---------------------------------------------------------------- */

/*
 * The descriptor under test copies SG_SIZE bytes of src slot s in four
 * segments to dst slot s in three: uneven, out of order, with gaps.
 */
#define SG_SIZE		337u
#define LISTS_MAPPED	4096u	/* of the lists block, the rest unmapped */

struct sg_case_ctx {
	struct fx *f;
	uint8_t *lists;			/* LISTS_MAPPED mapped, then not */
	struct netdma_sge *src, *dst;	/* the lists of descriptor 1 */
};

static const struct { uint32_t off, len; } base_src[] = {
	{ 1000, 50 }, { 0, 100 }, { 3000, 37 }, { 200, 150 },
};
static const struct { uint32_t off, len; } base_dst[] = {
	{ 100, 250 }, { 10, 7 }, { 2000, 80 },
};

#define NB_BASE_SRC	(sizeof(base_src) / sizeof(base_src[0]))
#define NB_BASE_DST	(sizeof(base_dst) / sizeof(base_dst[0]))

/* Descriptor i: the base copy of slot s, its lists at lists[0], [32]. */
static void
sg_base(struct fx *f, unsigned int i, unsigned int s,
		struct netdma_sge *lists, uint32_t flags)
{
	struct netdma_sge *sl = lists, *dl = lists + 2 * NETDMA_MAX_SGES;
	unsigned int k;

	memset(lists, 0, 4 * NETDMA_MAX_SGES * sizeof(*lists));
	for (k = 0; k < NB_BASE_SRC; k++)
		sge_set(&sl[k], src_slot(f, s) + base_src[k].off,
			base_src[k].len);
	for (k = 0; k < NB_BASE_DST; k++)
		sge_set(&dl[k], dst_slot(f, s) + base_dst[k].off,
			base_dst[k].len);
	desc_copy_sg(f, i, SG_SIZE, sl, NB_BASE_SRC, dl, NB_BASE_DST, flags);
}

/* dst slot s holds the base copy and nothing else. */
static bool
sg_base_done(struct fx *f, unsigned int s, const struct netdma_sge *lists)
{
	uint8_t expect[SLOT_SZ];

	memset(expect, DST_SENTINEL, SLOT_SZ);
	sg_model(expect, dst_slot(f, s), lists, NB_BASE_SRC,
		lists + 2 * NETDMA_MAX_SGES, NB_BASE_DST);
	return memcmp(dst_slot(f, s), expect, SLOT_SZ) == 0;
}

/* Move a list to where (16-byte entries), and point the descriptor at it. */
static uint64_t
move_list(uint64_t *field, struct netdma_sge **list, uint16_t n,
		void *where)
{
	memmove(where, *list, n * sizeof(**list));
	*list = where;
	*field = iova_of(where);
	return *field;
}

/* An error case breaks descriptor 1 and returns the ERRADDR it expects. */
struct sg_err_case {
	const char *name;
	uint64_t (*mangle)(struct sg_case_ctx *c, struct netdma_desc *d);
	uint32_t chanerr;
	uint64_t sts_err;
	bool erraddr;		/* check ERRADDR against mangle's result */
};

#define UNUSED __attribute__((unused))

static uint64_t
m_src_count_0(UNUSED struct sg_case_ctx *c, struct netdma_desc *d)
{
	d->src_sges = 0;
	return 0;
}

static uint64_t
m_dst_count_0(UNUSED struct sg_case_ctx *c, struct netdma_desc *d)
{
	d->dst_sges = 0;
	return 0;
}

/* Seventeen good entries, which would make a good copy: only their
 * number is wrong. */
static void
list_of_17(struct netdma_sge *list, uint8_t *base)
{
	uint32_t k, off = 0;

	for (k = 0; k < NETDMA_MAX_SGES + 1; k++) {
		uint32_t len = k < NETDMA_MAX_SGES ? 20 : SG_SIZE - 20 * k;

		sge_set(&list[k], base + off + 3 * k, len);
		off += len;
	}
}

static uint64_t
m_src_count_17(struct sg_case_ctx *c, struct netdma_desc *d)
{
	list_of_17(c->src, src_slot(c->f, 1));
	d->src_sges = NETDMA_MAX_SGES + 1;
	return 0;
}

static uint64_t
m_dst_count_17(struct sg_case_ctx *c, struct netdma_desc *d)
{
	list_of_17(c->dst, dst_slot(c->f, 1));
	d->dst_sges = NETDMA_MAX_SGES + 1;
	return 0;
}

static uint64_t
m_src_count_ffff(UNUSED struct sg_case_ctx *c, struct netdma_desc *d)
{
	d->src_sges = 0xFFFF;
	return 0;
}

static uint64_t
m_size_zero(UNUSED struct sg_case_ctx *c, struct netdma_desc *d)
{
	d->size = 0;
	return 0;
}

/* Both lists sum to the old size. */
static uint64_t
m_size_plus_1(UNUSED struct sg_case_ctx *c, struct netdma_desc *d)
{
	d->size++;
	return 0;
}

static uint64_t
m_src_sum_short(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->src[2].len--;
	return 0;
}

static uint64_t
m_src_sum_long(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->src[0].len++;
	return 0;
}

static uint64_t
m_dst_sum_short(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->dst[2].len--;
	return 0;
}

static uint64_t
m_dst_sum_long(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->dst[1].len++;
	return 0;
}

/* A zero-length entry in the middle; the sum stays right. */
static uint64_t
insert_empty(struct netdma_sge *list, uint16_t *count)
{
	memmove(&list[3], &list[2], (*count - 2) * sizeof(*list));
	list[2].len = 0;
	(*count)++;
	return 0;
}

static uint64_t
m_src_seg_len_0(struct sg_case_ctx *c, struct netdma_desc *d)
{
	return insert_empty(c->src, &d->src_sges);
}

static uint64_t
m_dst_seg_len_0(struct sg_case_ctx *c, struct netdma_desc *d)
{
	return insert_empty(c->dst, &d->dst_sges);
}

static uint64_t
m_src_list_misaligned(struct sg_case_ctx *c, struct netdma_desc *d)
{
	return move_list(&d->src, &c->src, d->src_sges, c->lists + 2048 + 8);
}

static uint64_t
m_dst_list_misaligned(struct sg_case_ctx *c, struct netdma_desc *d)
{
	return move_list(&d->dst, &c->dst, d->dst_sges, c->lists + 2048 + 4);
}

static uint64_t
m_src_list_unmapped(struct sg_case_ctx *c, struct netdma_desc *d)
{
	return move_list(&d->src, &c->src, d->src_sges, c->f->unmapped);
}

static uint64_t
m_dst_list_unmapped(struct sg_case_ctx *c, struct netdma_desc *d)
{
	return move_list(&d->dst, &c->dst, d->dst_sges, c->f->unmapped);
}

static uint64_t
m_src_list_zero(UNUSED struct sg_case_ctx *c, struct netdma_desc *d)
{
	d->src = 0;
	return 0;
}

/* Two entries mapped, the last two past the end of the mapping. */
static uint64_t
m_src_list_cross_end(struct sg_case_ctx *c, struct netdma_desc *d)
{
	return move_list(&d->src, &c->src, d->src_sges,
		c->lists + LISTS_MAPPED - 2 * sizeof(struct netdma_sge));
}

static uint64_t
m_dst_list_cross_end(struct sg_case_ctx *c, struct netdma_desc *d)
{
	return move_list(&d->dst, &c->dst, d->dst_sges,
		c->lists + LISTS_MAPPED - sizeof(struct netdma_sge));
}

static uint64_t
m_src_seg_unmapped(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->src[1].addr = iova_of(c->f->unmapped + 64);
	return c->src[1].addr;
}

static uint64_t
m_dst_seg_unmapped(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->dst[1].addr = iova_of(c->f->unmapped + 128);
	return c->dst[1].addr;
}

static uint64_t
m_src_seg_cross_end(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->src[2].addr = iova_of(c->f->src + BUF_LEN - 20);
	return c->src[2].addr;
}

static uint64_t
m_dst_seg_cross_end(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->dst[1].addr = iova_of(c->f->dst + BUF_LEN - 3);
	return c->dst[1].addr;
}

static uint64_t
m_dst_seg_zero(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->dst[2].addr = 0;
	return 0;
}

/* The last dst segment inside the second src segment. */
static uint64_t
m_overlap_inside(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->dst[2].addr = c->src[1].addr + 10;
	return 0;
}

/* One common byte: the last of src segment 3, the first of dst 0. */
static uint64_t
m_overlap_one_byte(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->dst[0].addr = c->src[3].addr + c->src[3].len - 1;
	return 0;
}

/* Two IOVAs, one memory: src slot 1 is mapped again at FAR_IOVA. */
static uint64_t
m_overlap_alias(struct sg_case_ctx *c, UNUSED struct netdma_desc *d)
{
	c->dst[1].addr = FAR_IOVA + SLOT_SZ + base_src[0].off + 40;
	return 0;
}

/* Order: the src list is checked before the dst list. */
static uint64_t
m_src_and_dst_bad(struct sg_case_ctx *c, struct netdma_desc *d)
{
	move_list(&d->dst, &c->dst, d->dst_sges, c->f->unmapped);
	c->src[3].addr = 0;
	return 0;
}

/* Order: the length before the lists. */
static uint64_t
m_size_zero_count_zero(UNUSED struct sg_case_ctx *c, struct netdma_desc *d)
{
	d->size = 0;
	d->src_sges = 0;
	d->src = 0;
	return 0;
}

static uint64_t
m_ctrl_rsvd_bit(UNUSED struct sg_case_ctx *c, struct netdma_desc *d)
{
	d->ctrl |= 1u << 2;
	return 0;
}

static const struct sg_err_case sg_err_cases[] = {
	{ "src_count_0", m_src_count_0, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, false },
	{ "dst_count_0", m_dst_count_0, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, false },
	{ "src_count_17", m_src_count_17, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, false },
	{ "dst_count_17", m_dst_count_17, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, false },
	{ "src_count_ffff", m_src_count_ffff, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, false },
	{ "size_zero", m_size_zero, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, false },
	{ "size_plus_1", m_size_plus_1, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, false },
	{ "src_sum_short", m_src_sum_short, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, false },
	{ "src_sum_long", m_src_sum_long, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, false },
	{ "dst_sum_short", m_dst_sum_short, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, false },
	{ "dst_sum_long", m_dst_sum_long, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, false },
	{ "src_seg_len_0", m_src_seg_len_0, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, false },
	{ "dst_seg_len_0", m_dst_seg_len_0, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN, false },
	{ "src_list_misaligned", m_src_list_misaligned,
		NETDMA_CHANERR_SRC_ADDR, NETDMA_STS_ERR_ADDR, true },
	{ "dst_list_misaligned", m_dst_list_misaligned,
		NETDMA_CHANERR_DST_ADDR, NETDMA_STS_ERR_ADDR, true },
	{ "src_list_unmapped", m_src_list_unmapped, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "dst_list_unmapped", m_dst_list_unmapped, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "src_list_zero", m_src_list_zero, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "src_list_cross_end", m_src_list_cross_end,
		NETDMA_CHANERR_SRC_ADDR, NETDMA_STS_ERR_ADDR, true },
	{ "dst_list_cross_end", m_dst_list_cross_end,
		NETDMA_CHANERR_DST_ADDR, NETDMA_STS_ERR_ADDR, true },
	{ "src_seg_unmapped", m_src_seg_unmapped, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "dst_seg_unmapped", m_dst_seg_unmapped, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "src_seg_cross_end", m_src_seg_cross_end, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "dst_seg_cross_end", m_dst_seg_cross_end, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "dst_seg_zero", m_dst_seg_zero, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "overlap_inside", m_overlap_inside, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR, false },
	{ "overlap_one_byte", m_overlap_one_byte, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR, false },
	{ "overlap_alias", m_overlap_alias, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR, false },
	{ "src_and_dst_bad", m_src_and_dst_bad, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR, true },
	{ "size_zero_count_zero", m_size_zero_count_zero,
		NETDMA_CHANERR_LENGTH, NETDMA_STS_ERR_LEN, false },
	{ "ctrl_rsvd_bit", m_ctrl_rsvd_bit, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC, false },
};

#define NB_SG_ERR_CASES	(sizeof(sg_err_cases) / sizeof(sg_err_cases[0]))

/*
 * d0 a plain copy, d1 the broken COPY_SG, d2 a plain copy with
 * STATUS_UPDATE. The channel halts on d1 having moved d0 only (the strict
 * engine checks every list and segment before moving a byte), reports d1,
 * and, once CHANERR is cleared, skips d1 and runs d2, then d3: a good
 * COPY_SG made available while HALTED.
 */
static int
test_sg_error_case(const void *arg)
{
	const struct sg_err_case *ec = arg;
	struct sg_case_ctx c;
	struct netdma_sge *lists3;
	uint64_t erraddr;
	unsigned int s;
	struct fx f;

	CHECK(fx_open(&f, 32));
	c.f = &f;
	c.lists = xalloc(2 * LISTS_MAPPED);
	CHECK_EQ(iommu_map(f.e, iova_of(c.lists), c.lists, LISTS_MAPPED), 0);
	CHECK_EQ(iommu_map(f.e, FAR_IOVA, f.src, BUF_LEN), 0);
	c.src = (struct netdma_sge *)c.lists;
	c.dst = c.src + 2 * NETDMA_MAX_SGES;
	lists3 = c.src + 4 * NETDMA_MAX_SGES;

	desc_copy(&f, 0, 0, 128, 0);
	sg_base(&f, 1, 1, c.src, 0);
	desc_copy(&f, 2, 2, 128, NETDMA_DESC_STATUS_UPDATE);
	erraddr = ec->mangle(&c, &f.ring[1]);
	doorbell(&f, 3);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), ec->chanerr);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), desc_iova(&f, 1));
	if (ec->erraddr)
		CHECK_EQ(netdma_mmio_read(f.regs, erraddr), erraddr);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		ec->sts_err);
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		ec->sts_err);
	CHECK_EQ(netdma_mmio_read(f.regs, completed), 1);
	CHECK(slot_copied(&f, 0, 128));
	for (s = 1; s < NB_SLOTS; s++)
		CHECK(slot_untouched(&f, s), "slot %u", s);
	CHECK(src_intact(&f));

	sg_base(&f, 3, 3, lists3, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	chanerr_clear(&f);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(netdma_mmio_read(f.regs, errdesc), desc_iova(&f, 1));
	CHECK(slot_untouched(&f, 1));
	CHECK(slot_copied(&f, 2, 128));
	CHECK(sg_base_done(&f, 3, lists3));
	CHECK(src_intact(&f));
	fx_close(&f);
	xfree(c.lists);
	return 0;
}

/* The matrix's unbroken descriptor copies what its lists say. */
static int
test_sg_base(void)
{
	struct netdma_sge *lists = xalloc(4 * NETDMA_MAX_SGES *
		sizeof(*lists));
	struct fx f;

	CHECK(fx_open(&f, 32));
	CHECK_EQ(iommu_map(f.e, iova_of(lists), lists,
		4 * NETDMA_MAX_SGES * sizeof(*lists)), 0);
	sg_base(&f, 0, 5, lists, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(netdma_mmio_read(f.regs, chanerr), 0);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(sg_base_done(&f, 5, lists));
	CHECK(src_intact(&f));
	fx_close(&f);
	xfree(lists);
	return 0;
}

static const struct test tests[] = {
	TEST(sg_base),
	TEST(sg_all_counts),
	TEST(sg_many_slices),
	TEST(sg_lists_read_once),
};

/* The plain tests, then one test per row of the matrix: sg_error_<row>. */
void
sg_tests(void)
{
	char name[64];
	unsigned int i;

	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < NB_SG_ERR_CASES; i++) {
		snprintf(name, sizeof(name), "sg_error_%s",
			sg_err_cases[i].name);
		test_run_case(name, test_sg_error_case, &sg_err_cases[i]);
	}
}
