/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Ops: what to enqueue, and what the model expects of it. A good op
 * reads the card's source buffer and writes into an area of its channel's
 * arena, prefilled from a stream and with guard bytes on both sides. A bad
 * op has exactly one fault, so that its status is unambiguous: a length,
 * an overlap, or one address the card cannot use.
 */

#include <rte_common.h>

#include "soak_mem.h"

void
soak_arena_reset(struct soak_arena *a, uint8_t *base, uint32_t cap)
{
	a->base = base;
	a->cap = cap;
	a->head = 0;
	a->tail = 0;
	a->live = 0;
}

/*
 * Ops finish in id order, so the arena is a ring: allocate at head, free
 * at tail. A request that does not fit before the end starts again at 0,
 * and the bytes it skipped come back when the op before it is freed.
 */
static uint8_t *
arena_alloc(struct soak_arena *a, uint32_t len, uint32_t *prev_head,
		uint32_t *end)
{
	uint32_t start;

	if (a->live == 0)
		a->head = a->tail = 0;
	if (a->live == 0 || a->head > a->tail) {
		if (a->cap - a->head >= len)
			start = a->head;
		else if (len < a->tail)
			start = 0;
		else
			return NULL;
	} else if (a->tail - a->head > len) {
		start = a->head;
	} else {
		return NULL;
	}
	*prev_head = a->head;
	a->head = start + len;
	*end = a->head;
	a->live++;
	return a->base + start;
}

static void
cliff_put(struct soak_chan *c, struct soak_op *op)
{
	if (op->cliff >= 0)
		c->card->mem->cliff_busy[op->cliff] = false;
	op->cliff = -1;
}

/* An op's memory after it was reported or dropped (oldest first). */
void
soak_op_release(struct soak_chan *c, struct soak_op *op)
{
	if (op->in_arena) {
		c->arena.tail = op->arena_end;
		c->arena.live--;
		op->in_arena = false;
	}
	cliff_put(c, op);
}

/* An op the driver refused: it was the newest allocation. */
void
soak_op_unwind(struct soak_chan *c, struct soak_op *op)
{
	if (op->in_arena) {
		c->arena.head = op->arena_prev_head;
		c->arena.live--;
		op->in_arena = false;
	}
	cliff_put(c, op);
}

/* Mostly small, now and then large enough to span many engine slices. */
static uint32_t
rand_len(struct soak_rng *r, uint32_t max_len)
{
	uint32_t p = rng_below(r, 100), len;

	if (p < 45)
		len = rng_range(r, 1, 256);
	else if (p < 75)
		len = rng_range(r, 257, 4096);
	else if (p < 93)
		len = rng_range(r, 4097, 64 << 10);
	else if (p < 99)
		len = rng_range(r, (64 << 10) + 1, 512 << 10);
	else
		len = rng_range(r, (512 << 10) + 1, 1536 << 10);
	return RTE_MIN(len, max_len);
}

/* An area for need destination bytes, prefilled; where they start. */
static uint8_t *
area_get(struct soak_chan *c, struct soak_rng *r, struct soak_op *op,
		uint32_t need)
{
	uint32_t pad = rng_below(r, 64);
	uint32_t len = RTE_ALIGN_CEIL(2 * SOAK_GUARD + pad + need, 64);
	uint8_t *p = arena_alloc(&c->arena, len, &op->arena_prev_head,
			&op->arena_end);

	if (p == NULL)
		return NULL;
	op->in_arena = true;
	op->area = p;
	op->area_len = len;
	stream_fill(p, len, op->area_seed);
	return p + SOAK_GUARD + pad;
}

static uint8_t *
src_pick(const struct soak_mem *m, struct soak_rng *r, uint32_t len)
{
	return m->src + rng_below(r, SOAK_SRC_LEN - len + 1);
}

static void
seg_set(struct soak_seg *s, uint8_t *ptr, uint32_t len, bool bad)
{
	s->ptr = ptr;
	s->len = len;
	s->bad = bad;
}

static void
shared_set(struct soak_op *op, const uint8_t *base, uint32_t from,
		uint32_t to, uint64_t seed)
{
	op->shared = base;
	op->shared_from = from;
	op->shared_to = to;
	op->shared_seed = seed;
}

static void
call_single(struct soak_call *call, bool fill, uint64_t src, uint64_t dst,
		uint32_t len)
{
	call->api = fill ? CALL_FILL : CALL_COPY;
	call->src = src;
	call->dst = dst;
	call->len = len;
}

/*
 * An address the card must refuse for len bytes: in a strict card's
 * eyes, a malloc buffer or (extmem) a hole between windows; for an SVA
 * card, a PROT_NONE page. Strict targets are ours to read afterwards.
 */
static uint8_t *
bad_target(struct soak_op *op, const struct soak_mem *m,
		struct soak_rng *r, uint32_t len)
{
	unsigned int k = rng_below(r, SOAK_NB_CLIFFS);
	uint32_t off;

	if (m->dom == DOM_SVA ||
			(m->dom == DOM_EXTMEM && rng_chance(r, 500))) {
		off = rng_below(r, (uint32_t)m->pg - len + 1);
		if (m->dom == DOM_EXTMEM)
			shared_set(op, mem_hole(m, k), 0, (uint32_t)m->pg,
				m->cliff_seed + SOAK_NB_CLIFFS + k);
		return mem_hole(m, k) + off;
	}
	off = rng_below(r, m->heap_len - len + 1);
	shared_set(op, m->heap, off, off + len, m->heap_seed);
	return m->heap + off;
}

static enum rte_dma_status_code
expect_for(enum soak_dom dom, enum soak_kind k)
{
	switch (k) {
	case K_COPY:
	case K_FILL:
	case K_SG:
		return RTE_DMA_STATUS_SUCCESSFUL;
	case K_LEN0_COPY:
	case K_LEN0_FILL:
	case K_HUGE_COPY:
	case K_HUGE_FILL:
	case K_SG_LEN:
	case K_SG_ZERO:
	case K_SG_NB:
		return RTE_DMA_STATUS_INVALID_LENGTH;
	case K_OVERLAP:
		return RTE_DMA_STATUS_INVALID_ADDR;
	case K_SRC_NULL:
	case K_SRC_UNMAPPED:
	case K_SRC_STRADDLE:
	case K_SG_SRC_BAD:
	case K_SRC_NONCANON:
	case K_SRC_SIGBUS:
		return dom == DOM_SVA ? RTE_DMA_STATUS_PAGE_FAULT :
			RTE_DMA_STATUS_INVALID_SRC_ADDR;
	default:
		return dom == DOM_SVA ? RTE_DMA_STATUS_PAGE_FAULT :
			RTE_DMA_STATUS_INVALID_DST_ADDR;
	}
}

static bool
kind_valid(enum soak_dom dom, enum soak_kind k)
{
	switch (k) {
	case K_DST_STRADDLE:
		return dom != DOM_DPDK;
	case K_DST_RDONLY:
	case K_SRC_SIGBUS:
	case K_DST_SIGBUS:
		return dom == DOM_SVA;
	default:
		return true;
	}
}

enum soak_kind
soak_gen_kind(const struct soak_chan *c, struct soak_rng *r,
		unsigned int bad_per_mille)
{
	uint32_t p;
	enum soak_kind k;

	if (rng_chance(r, bad_per_mille)) {
		do {
			k = (enum soak_kind)rng_range(r, K_FIRST_BAD,
					K_MAX - 1);
		} while (!kind_valid(c->card->dom, k));
		return k;
	}
	p = rng_below(r, 100);
	return p < 50 ? K_COPY : p < 72 ? K_FILL : K_SG;
}

/* n positive parts adding up to total (total >= n), in random order. */
static void
split(struct soak_rng *r, uint32_t total, unsigned int n, uint32_t *parts)
{
	uint32_t cut[SOAK_MAX_SEGS];
	unsigned int i, j;

	for (i = 0; i + 1 < n; i++) {
		uint32_t v = rng_below(r, total - n + 1);

		for (j = i; j > 0 && cut[j - 1] > v; j--)
			cut[j] = cut[j - 1];
		cut[j] = v;
	}
	for (i = 0; i < n; i++) {
		uint32_t lo = i == 0 ? 0 : cut[i - 1];
		uint32_t hi = i + 1 == n ? total - n : cut[i];

		parts[i] = hi - lo + 1;
	}
}

/* Piece lengths of both lists; kind may break them on purpose. */
struct sg_shape {
	unsigned int ns, nd;
	uint32_t slen[SOAK_MAX_SEGS], dlen[SOAK_MAX_SEGS];
};

static void
sg_lengths(struct soak_rng *r, enum soak_kind kind, uint32_t max_len,
		struct sg_shape *sh)
{
	uint32_t cap, total, *lens;
	unsigned int j, *n;

	sh->ns = rng_range(r, 1, SOAK_MAX_SEGS);
	sh->nd = rng_range(r, 1, SOAK_MAX_SEGS);
	if (kind == K_SG_ZERO) {
		/* room for the zero-length piece */
		sh->ns = RTE_MIN(sh->ns, SOAK_MAX_SEGS - 1u);
		sh->nd = RTE_MIN(sh->nd, SOAK_MAX_SEGS - 1u);
	}
	cap = RTE_MAX(RTE_MIN(max_len, rng_chance(r, 100) ? 256u << 10 :
			rng_chance(r, 300) ? 32u << 10 : 2048u), 16u);
	total = rng_range(r, RTE_MAX(sh->ns, sh->nd), cap);
	split(r, total, sh->ns, sh->slen);
	split(r, total, sh->nd, sh->dlen);
	if (kind == K_SG_LEN) {
		/* the destination list adds up to more, or to less */
		j = rng_below(r, sh->nd);
		if (sh->dlen[j] > 1 && rng_chance(r, 500))
			sh->dlen[j] -= rng_range(r, 1, sh->dlen[j] - 1);
		else
			sh->dlen[j] += rng_range(r, 1, 64);
	} else if (kind == K_SG_ZERO) {
		bool in_src = rng_chance(r, 500);

		lens = in_src ? sh->slen : sh->dlen;
		n = in_src ? &sh->ns : &sh->nd;
		j = rng_below(r, *n + 1);
		memmove(&lens[j + 1], &lens[j], (*n - j) * sizeof(*lens));
		lens[j] = 0;
		(*n)++;
	}
}

/* Destination pieces in list order, placed in a shuffled order with
 * gaps of 0 to 32 bytes from p on. */
static void
sg_place(struct soak_rng *r, struct soak_op *op, const struct sg_shape *sh,
		uint8_t *p)
{
	unsigned int order[SOAK_MAX_SEGS], i, j, k;

	for (i = 0; i < sh->nd; i++)
		order[i] = i;
	for (i = sh->nd; i > 1; i--) {
		j = rng_below(r, i);
		k = order[i - 1];
		order[i - 1] = order[j];
		order[j] = k;
	}
	for (i = 0; i < sh->nd; i++) {
		p += rng_below(r, 33);
		seg_set(&op->dst[order[i]], p, sh->dlen[order[i]], false);
		p += sh->dlen[order[i]];
	}
}

/* The call's lists; a K_SG_NB call gets none, or one entry too many. */
static void
sg_call(struct soak_rng *r, enum soak_kind kind, const struct soak_op *op,
		struct soak_call *call)
{
	struct rte_dma_sge *l;
	uint16_t *nb;
	unsigned int i;

	call->api = CALL_SG;
	call->nb_src = op->nb_src;
	call->nb_dst = op->nb_dst;
	for (i = 0; i < op->nb_src; i++) {
		call->s[i].addr = (uintptr_t)op->src[i].ptr;
		call->s[i].length = op->src[i].len;
	}
	for (i = 0; i < op->nb_dst; i++) {
		call->d[i].addr = (uintptr_t)op->dst[i].ptr;
		call->d[i].length = op->dst[i].len;
	}
	if (kind != K_SG_NB)
		return;
	nb = rng_chance(r, 500) ? &call->nb_src : &call->nb_dst;
	l = nb == &call->nb_src ? call->s : call->d;
	if (rng_chance(r, 500)) {
		*nb = 0;
		return;
	}
	for (i = *nb; i <= SOAK_MAX_SEGS; i++)
		l[i] = l[0];
	*nb = SOAK_MAX_SEGS + 1;
}

/*
 * A scatter-gather copy: up to 16 source pieces anywhere in the source
 * buffer, up to 16 destination pieces in the area with gaps between them,
 * which must stay as they were. kind picks the one fault, if any; a bad
 * piece longer than a page starts at NULL.
 */
static bool
gen_sg(struct soak_chan *c, struct soak_rng *r, enum soak_kind kind,
		uint32_t max_len, struct soak_op *op, struct soak_call *call)
{
	const struct soak_mem *m = c->card->mem;
	struct sg_shape sh;
	uint32_t need = 0;
	unsigned int i, j;
	uint8_t *p;

	sg_lengths(r, kind, max_len, &sh);
	for (i = 0; i < sh.nd; i++)
		need += sh.dlen[i] + 32;
	p = area_get(c, r, op, need);
	if (p == NULL)
		return false;
	op->nb_src = (uint8_t)sh.ns;
	op->nb_dst = (uint8_t)sh.nd;
	op->len = 0;
	for (i = 0; i < sh.ns; i++) {
		seg_set(&op->src[i], src_pick(m, r, sh.slen[i]), sh.slen[i],
			false);
		op->len += sh.slen[i];
	}
	sg_place(r, op, &sh, p);
	if (kind == K_SG_SRC_BAD) {
		j = rng_below(r, sh.ns);
		seg_set(&op->src[j], sh.slen[j] <= 4096 ? bad_target(op, m, r,
			sh.slen[j]) : NULL, sh.slen[j], true);
	} else if (kind == K_SG_DST_BAD) {
		j = rng_below(r, sh.nd);
		seg_set(&op->dst[j], sh.dlen[j] <= 4096 ? bad_target(op, m, r,
			sh.dlen[j]) : NULL, sh.dlen[j], true);
	}
	sg_call(r, kind, op, call);
	return true;
}

/* A copy or fill whose source or destination straddles into a page the
 * card may not use. */
static bool
gen_straddle(struct soak_chan *c, struct soak_rng *r, bool dst_side,
		struct soak_op *op, struct soak_call *call)
{
	struct soak_mem *m = c->card->mem;
	uint32_t a = rng_range(r, 1, 2048), b = rng_range(r, 1, 2048);
	unsigned int k = rng_below(r, SOAK_NB_CLIFFS);
	bool fill = dst_side && rng_chance(r, 300);
	uint8_t *s, *d;

	op->len = a + b;
	if (!dst_side) {
		/* DPDK: past the end of the mapped run; extmem: into a hole;
		 * SVA: off the read-only page into a PROT_NONE one */
		s = m->dom == DOM_DPDK ? m->run_end - a :
			m->dom == DOM_EXTMEM ? mem_hole(m, k) - a :
			m->ro + m->pg - a;
		d = area_get(c, r, op, a + b);
		if (d == NULL)
			return false;
		op->nb_src = 2;
		seg_set(&op->src[0], s, a, m->dom != DOM_SVA);
		seg_set(&op->src[1], s + a, b, true);
		op->nb_dst = 1;
		seg_set(&op->dst[0], d, a + b, false);
		call_single(call, false, (uintptr_t)s, (uintptr_t)d, a + b);
		return true;
	}
	s = src_pick(m, r, a + b);
	if (m->dom == DOM_EXTMEM) {
		/* refused whole: the cliff page stays as it is */
		d = mem_hole(m, k) - a;
		shared_set(op, m->cliff[k], 0, (uint32_t)m->pg,
			m->cliff_seed + k);
	} else {
		/* SVA: the bytes before the fault may land, so the page is
		 * this op's alone until it is reported */
		for (k = 0; k < SOAK_NB_CLIFFS && m->cliff_busy[k]; k++)
			;
		if (k == SOAK_NB_CLIFFS)
			return false;
		m->cliff_busy[k] = true;
		op->cliff = (int)k;
		op->area = m->cliff[k];
		op->area_len = (uint32_t)m->pg;
		stream_fill(op->area, op->area_len, op->area_seed);
		d = mem_hole(m, k) - a;
	}
	op->is_fill = fill;
	op->nb_src = fill ? 0 : 1;
	seg_set(&op->src[0], s, a + b, false);
	op->nb_dst = 2;
	seg_set(&op->dst[0], d, a, m->dom != DOM_SVA);
	seg_set(&op->dst[1], d + a, b, true);
	call_single(call, fill, fill ? op->pattern : (uintptr_t)s,
		(uintptr_t)d, a + b);
	return true;
}

/*
 * A copy or fill of len bytes, of which nominal are checked. A bad side
 * takes the address given (NULL included) and needs no memory of ours.
 */
static bool
gen_single(struct soak_chan *c, struct soak_rng *r, bool fill, uint32_t len,
		uint32_t nominal, bool src_bad, uint8_t *src_at, bool dst_bad,
		uint8_t *dst_at, struct soak_op *op, struct soak_call *call)
{
	const struct soak_mem *m = c->card->mem;
	uint8_t *s = src_at, *d = dst_at;

	if (!src_bad && !fill)
		s = src_pick(m, r, nominal);
	if (!dst_bad) {
		d = area_get(c, r, op, nominal);
		if (d == NULL)
			return false;
	}
	op->len = len;
	op->is_fill = fill;
	op->nb_src = fill ? 0 : 1;
	seg_set(&op->src[0], s, nominal, src_bad);
	op->nb_dst = 1;
	seg_set(&op->dst[0], d, nominal, dst_bad);
	call_single(call, fill, fill ? op->pattern : (uintptr_t)s,
		(uintptr_t)d, len);
	return true;
}

static uint8_t *
noncanonical(struct soak_rng *r)
{
	return (uint8_t *)(uintptr_t)(0x8000000000000000ull +
		(uint64_t)rng_below(r, 1u << 20) * 64);
}

static bool
gen_bad(struct soak_chan *c, struct soak_rng *r, enum soak_kind kind,
		struct soak_op *op, struct soak_call *call)
{
	struct soak_mem *m = c->card->mem;
	uint32_t len = rng_range(r, 1, 4096);
	uint32_t off = rng_below(r, (uint32_t)m->pg - len + 1);
	bool fill = rng_chance(r, 300);
	uint32_t s_off, d_off;
	uint8_t *d;

	switch (kind) {
	case K_LEN0_COPY:
	case K_LEN0_FILL:
		return gen_single(c, r, kind == K_LEN0_FILL, 0, 64, false,
			NULL, false, NULL, op, call);
	case K_HUGE_COPY:
	case K_HUGE_FILL:
		return gen_single(c, r, kind == K_HUGE_FILL,
			rng_range(r, SOAK_MAX_XFER + 1, UINT32_MAX), 64,
			false, NULL, false, NULL, op, call);
	case K_OVERLAP:
		len = rng_range(r, 2, 8192);
		d = area_get(c, r, op, 2 * len);
		if (d == NULL)
			return false;
		d_off = rng_below(r, len + 1);
		s_off = rng_below(r, len + 1);
		if (s_off + len == d_off || d_off + len == s_off)
			s_off = d_off;
		op->len = len;
		op->nb_src = 1;
		seg_set(&op->src[0], d + s_off, len, false);
		op->nb_dst = 1;
		seg_set(&op->dst[0], d + d_off, len, false);
		call_single(call, false, (uintptr_t)(d + s_off),
			(uintptr_t)(d + d_off), len);
		return true;
	case K_SRC_NULL:
		return gen_single(c, r, false, len, len, true, NULL, false,
			NULL, op, call);
	case K_DST_NULL:
	case K_FILL_NULL:
		return gen_single(c, r, kind == K_FILL_NULL, len, len, false,
			NULL, true, NULL, op, call);
	case K_SRC_UNMAPPED:
		return gen_single(c, r, false, len, len, true,
			bad_target(op, m, r, len), false, NULL, op, call);
	case K_DST_UNMAPPED:
	case K_FILL_UNMAPPED:
		return gen_single(c, r, kind == K_FILL_UNMAPPED, len, len,
			false, NULL, true, bad_target(op, m, r, len), op,
			call);
	case K_SRC_NONCANON:
		return gen_single(c, r, false, len, len, true,
			noncanonical(r), false, NULL, op, call);
	case K_SRC_STRADDLE:
		return gen_straddle(c, r, false, op, call);
	case K_DST_STRADDLE:
		return gen_straddle(c, r, true, op, call);
	case K_DST_RDONLY:
		shared_set(op, m->ro, off, off + len, m->ro_seed);
		return gen_single(c, r, fill, len, len, false, NULL, true,
			m->ro + off, op, call);
	case K_SRC_SIGBUS:
		return gen_single(c, r, false, len, len, true,
			m->sigbus + off, false, NULL, op, call);
	case K_DST_SIGBUS:
		return gen_single(c, r, fill, len, len, false, NULL, true,
			m->sigbus + off, op, call);
	default:
		return gen_sg(c, r, kind, 64 << 10, op, call);
	}
}

/*
 * Make op and the call that enqueues it. false when the channel's arena
 * (or, for an SVA cliff, every cliff page) is busy: collect first.
 */
bool
soak_gen_op(struct soak_chan *c, struct soak_rng *r, enum soak_kind kind,
		uint32_t max_len, struct soak_op *op, struct soak_call *call)
{
	enum soak_dom dom = c->card->dom;
	uint32_t len;
	bool ok;

	memset(op, 0, offsetof(struct soak_op, src));
	op->cliff = -1;
	op->kind = (uint8_t)kind;
	op->area_seed = soak_mix(soak.seed ^ ++soak.op_serial);
	op->pattern = rng_u64(r);
	switch (kind) {
	case K_COPY:
	case K_FILL:
		len = rand_len(r, max_len);
		ok = gen_single(c, r, kind == K_FILL, len, len, false, NULL,
			false, NULL, op, call);
		break;
	case K_SG:
		ok = gen_sg(c, r, kind, max_len, op, call);
		break;
	default:
		ok = gen_bad(c, r, kind, op, call);
		break;
	}
	if (!ok) {
		soak_op_unwind(c, op);
		return false;
	}
	op->expect = expect_for(dom, kind);
	/* A strict card checks every address before any byte moves; a
	 * fault under SVA happens mid-transfer, after what came before it. */
	op->on_failure = op->expect == RTE_DMA_STATUS_PAGE_FAULT ?
		MEM_OLD_OR_NEW : MEM_OLD;
	return true;
}
