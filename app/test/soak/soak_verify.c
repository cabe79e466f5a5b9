/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * What an op must leave behind, checked when it is reported or dropped:
 * its status, every byte of its area (guards, gaps and destination) and
 * the shared memory a bad op aimed at; and what the driver's counters say.
 */

#include <inttypes.h>

#include <rte_common.h>

#include "soak_mem.h"

/* What a byte of the area was meant to hold. */
enum area_part {
	PART_DATA,	/* the destination of an op that succeeded */
	PART_UNWRITTEN,	/* of an op that failed, or never ran */
	PART_PARTIAL,	/* the destination of an op cut off part way */
	PART_OUTSIDE,	/* a guard, or a gap between destination pieces */
};

static const char * const part_name[] = {
	[PART_DATA] = "the op's data",
	[PART_UNWRITTEN] = "nothing written by an op that failed or never ran",
	[PART_PARTIAL] = "old or new bytes of an op that may stop part way",
	[PART_OUTSIDE] = "nothing written outside the destination (guard or gap)",
};

static enum area_part
part_of(enum soak_expect_mem mode)
{
	return mode == MEM_NEW ? PART_DATA : mode == MEM_OLD ?
		PART_UNWRITTEN : PART_PARTIAL;
}

/* Where the op's source stream stands: piece si, offset so in it. */
struct src_cursor {
	unsigned int si;
	uint32_t so;
};

static void
cursor_skip(const struct soak_op *op, struct src_cursor *sc, uint32_t n)
{
	while (n > 0 && sc->si < op->nb_src) {
		uint32_t left = op->src[sc->si].len - sc->so;
		uint32_t step = RTE_MIN(left, n);

		n -= step;
		sc->so += step;
		if (sc->so == op->src[sc->si].len) {
			sc->si++;
			sc->so = 0;
		}
	}
}

/* Bytes of piece si from so on; 0 past the end of the list. */
static uint32_t
cursor_avail(const struct soak_op *op, const struct src_cursor *sc)
{
	return sc->si < op->nb_src ? op->src[sc->si].len - sc->so : 0;
}

static __attribute__((noreturn)) void
byte_mismatch(const struct soak_chan *c, const struct soak_op *op,
		enum area_part part, const uint8_t *at, int new_byte)
{
	size_t off = (size_t)(at - op->area);
	uint8_t old = stream_byte(op->area_seed, off);

	if (new_byte < 0)
		soak_violation(c, op, "expected %s; area byte %zu of %u (%p) is 0x%02x, was 0x%02x",
			part_name[part], off, op->area_len, (const void *)at,
			*at, old);
	soak_violation(c, op, "expected %s; area byte %zu of %u (%p) is 0x%02x, the op's byte is 0x%02x, the old one 0x%02x",
		part_name[part], off, op->area_len, (const void *)at, *at,
		new_byte, old);
}

/*
 * One run of n destination bytes at d, fed from source position pos of
 * the op (a fill's pattern, or src, NULL when unreadable).
 */
static void
check_run(const struct soak_chan *c, const struct soak_op *op,
		enum soak_expect_mem mode, const uint8_t *d, const uint8_t *src,
		uint64_t pos, uint32_t n)
{
	uint32_t i;

	if (mode == MEM_NEW && src != NULL && memcmp(d, src, n) == 0)
		return;
	for (i = 0; i < n; i++) {
		size_t off = (size_t)(d + i - op->area);
		uint8_t old = stream_byte(op->area_seed, off);
		int nb = op->is_fill ?
			(uint8_t)(op->pattern >> (((pos + i) & 7) * 8)) :
			src != NULL ? src[i] : -1;

		if (mode == MEM_NEW ? d[i] == nb :
				d[i] == old || d[i] == nb)
			continue;
		byte_mismatch(c, op, part_of(mode), d + i, nb);
	}
}

/* The destination pieces inside the area, in list order. */
static void
check_pieces(const struct soak_chan *c, const struct soak_op *op,
		enum soak_expect_mem mode)
{
	struct src_cursor sc = { 0, 0 };
	uint64_t pos = 0;
	unsigned int j;

	for (j = 0; j < op->nb_dst; j++) {
		const struct soak_seg *t = &op->dst[j];
		uint32_t done = 0;

		if (t->bad) {
			cursor_skip(op, &sc, t->len);
			pos += t->len;
			continue;
		}
		while (done < t->len) {
			uint32_t n = t->len - done;
			const uint8_t *s = NULL;

			if (!op->is_fill) {
				uint32_t avail = cursor_avail(op, &sc);

				if (avail == 0) {
					/* nothing feeds these: stay old */
					check_run(c, op, MEM_OLD_OR_NEW,
						t->ptr + done, NULL, pos, n);
					break;
				}
				n = RTE_MIN(n, avail);
				if (!op->src[sc.si].bad)
					s = op->src[sc.si].ptr + sc.so;
				cursor_skip(op, &sc, n);
			}
			check_run(c, op, mode, t->ptr + done, s, pos, n);
			done += n;
			pos += n;
		}
	}
}

/* Everything in the area outside the destination pieces is untouched. */
static void
check_gaps(const struct soak_chan *c, const struct soak_op *op)
{
	uint32_t from[SOAK_MAX_SEGS], to[SOAK_MAX_SEGS];
	unsigned int n = 0, i, j;
	uint32_t at = 0;
	size_t bad;

	for (j = 0; j < op->nb_dst; j++) {
		uint32_t f, t;

		if (op->dst[j].bad)
			continue;
		f = (uint32_t)(op->dst[j].ptr - op->area);
		t = f + op->dst[j].len;
		for (i = n; i > 0 && from[i - 1] > f; i--) {
			from[i] = from[i - 1];
			to[i] = to[i - 1];
		}
		from[i] = f;
		to[i] = t;
		n++;
	}
	for (i = 0; i <= n; i++) {
		uint32_t end = i < n ? from[i] : op->area_len;

		if (at < end) {
			bad = stream_mismatch(op->area, at, end,
					op->area_seed);
			if (bad != end)
				byte_mismatch(c, op, PART_OUTSIDE,
					op->area + bad, -1);
		}
		if (i < n)
			at = RTE_MAX(at, to[i]);
	}
}

void
soak_verify_op(const struct soak_chan *c, const struct soak_op *op,
		enum soak_expect_mem mode)
{
	size_t bad;

	if (op->area != NULL) {
		if (mode == MEM_OLD) {
			bad = stream_mismatch(op->area, 0, op->area_len,
					op->area_seed);
			if (bad != op->area_len)
				byte_mismatch(c, op, PART_UNWRITTEN,
					op->area + bad, -1);
		} else {
			check_pieces(c, op, mode);
			check_gaps(c, op);
		}
		soak.n.bytes_verified += op->area_len;
	}
	if (op->shared != NULL) {
		bad = stream_mismatch(op->shared, op->shared_from,
				op->shared_to, op->shared_seed);
		if (bad != op->shared_to)
			soak_violation(c, op, "shared memory at %p changed: byte %zu is 0x%02x, was 0x%02x",
				(const void *)op->shared, bad, op->shared[bad],
				stream_byte(op->shared_seed, bad));
	}
}

static void
count_status(enum rte_dma_status_code st)
{
	if ((unsigned int)st < RTE_DIM(soak.n.status))
		soak.n.status[st]++;
	else
		soak.n.status_other++;
}

/*
 * The driver reported n ops from next_report on, with statuses st (NULL:
 * rte_dma_completed, all successful). Each must be submitted, carry the
 * status its fault calls for, and have left memory as that status says.
 */
void
soak_report_ops(struct soak_chan *c, uint16_t n,
		const enum rte_dma_status_code *st, const char *call)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct soak_op *op = chan_op(c, c->next_report);
		enum rte_dma_status_code got = st != NULL ? st[i] :
			RTE_DMA_STATUS_SUCCESSFUL;

		if (!op->submitted)
			soak_violation(c, op, "%s returned op %u, which was never submitted (%u of %u)",
				call, op->id, i, n);
		if (got != op->expect)
			soak_violation(c, op, "%s: status %s (%d), expected %s (%d) (op %u of %u returned)",
				call, soak_status_name(got), (int)got,
				soak_status_name(op->expect), (int)op->expect,
				i, n);
		count_status(got);
		soak_verify_op(c, op, got == RTE_DMA_STATUS_SUCCESSFUL ?
			MEM_NEW : op->on_failure);
		soak_op_release(c, op);
		c->next_report++;
	}
}

static uint64_t
area_hash(const uint8_t *p, uint32_t len)
{
	uint64_t h = len, w;
	uint32_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

/*
 * A stop or unplug dropped every op not yet reported. One never submitted
 * ran not at all; one in flight may have run, or been cut off part way;
 * one that fails on a strict card writes nothing either way.
 */
void
soak_drop_inflight(struct soak_chan *c, const char *why)
{
	uint16_t n = chan_inflight(c), i;

	for (i = 0; i < n; i++) {
		struct soak_op *op = chan_op(c, c->next_report);
		enum soak_expect_mem mode = !op->submitted ? MEM_OLD :
			op->expect == RTE_DMA_STATUS_SUCCESSFUL ?
			MEM_OLD_OR_NEW : op->on_failure;

		soak_verify_op(c, op, mode);
		if (op->in_arena && c->nb_dropped < SOAK_OPS_CAP) {
			struct soak_dropped *d = &c->dropped[c->nb_dropped++];

			d->area = op->area;
			d->len = op->area_len;
			d->hash = area_hash(op->area, op->area_len);
		}
		soak_op_release(c, op);
		c->next_report++;
		soak.n.dropped++;
		soak.n.dropped_unsubmitted += !op->submitted;
	}
	if (n > 0)
		soak_trace(c, "%s dropped %u ops", why, n);
	c->next_submit = c->next_id;
	c->error_seen = false;
}

void
soak_check_stats(const struct soak_chan *c)
{
	struct rte_dma_stats st;
	int ret = rte_dma_stats_get(c->dev_id, 0, &st);

	soak.n.stats_checks++;
	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_stats_get: %d", ret);
	if (st.submitted != c->st_submitted ||
			st.completed != c->st_completed ||
			st.errors != c->st_errors)
		soak_violation(c, NULL, "stats: submitted %" PRIu64 ", completed %" PRIu64
			", errors %" PRIu64 "; expected %" PRIu64 ", %" PRIu64 ", %" PRIu64,
			st.submitted, st.completed, st.errors,
			c->st_submitted, c->st_completed, c->st_errors);
}

/*
 * Before a channel's arena is used again (its next start): the areas of
 * the ops its last stop or unplug dropped are as they were then. A byte
 * changed since is the engine still at work after the stop returned.
 */
void
soak_check_dropped(struct soak_chan *c)
{
	unsigned int i;

	for (i = 0; i < c->nb_dropped; i++) {
		const struct soak_dropped *d = &c->dropped[i];

		if (area_hash(d->area, d->len) != d->hash)
			soak_violation(c, NULL, "the area %p+%u of an op dropped by the last stop or unplug changed since: the engine wrote after it returned",
				(const void *)d->area, d->len);
	}
	soak.n.dropped_rechecked += c->nb_dropped;
	c->nb_dropped = 0;
}
