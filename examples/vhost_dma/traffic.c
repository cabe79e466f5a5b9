/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Generated frames and their verification. Every byte of a frame is a
 * function of its sequence number, so the receiver rebuilds the frame it
 * expects and compares all of it: a DMA copy that lands short, late, at
 * the wrong offset or from the wrong packet shows up as a mismatch, and
 * one delivered out of order as a step back in the sequence.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "vhost_dma.h"

/* IEEE 802 local experimental EtherType: no stack on the way parses it. */
#define VD_ETHER_TYPE	0x88B5
#define VD_MAGIC	0x414d444eu	/* "NDMA" little-endian */
#define VD_HDR_OFF	RTE_ETHER_HDR_LEN
#define VD_HDR_LEN	16
#define VD_PAT_OFF	(VD_HDR_OFF + VD_HDR_LEN)
#define VD_MAX_LOGGED	8

struct vd_hdr {
	uint32_t magic;
	uint32_t len;
	uint64_t seq;
} __attribute__((__packed__));

static const struct rte_ether_addr vd_dst = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };
static const struct rte_ether_addr vd_src = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };

static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/*
 * Parse "64,512,1518" or "64-1518" or a mix. Sizes cycle with the
 * sequence number; a range picks a pseudo-random size in it, again from
 * the sequence number, so the receiver knows the length to expect.
 */
int
vd_parse_sizes(struct vd_traffic *t, const char *arg)
{
	const char *p = arg;

	t->nb_sizes = 0;
	while (*p != '\0') {
		unsigned long lo, hi;
		char *end;

		if (t->nb_sizes == VD_MAX_SIZES)
			return -E2BIG;
		errno = 0;
		lo = strtoul(p, &end, 10);
		if (errno != 0 || end == p)
			return -EINVAL;
		hi = lo;
		p = end;
		if (*p == '-') {
			p++;
			hi = strtoul(p, &end, 10);
			if (errno != 0 || end == p)
				return -EINVAL;
			p = end;
		}
		if (lo < VD_MIN_FRAME || hi > VD_MAX_FRAME || lo > hi)
			return -ERANGE;
		t->sizes[t->nb_sizes].lo = (uint16_t)lo;
		t->sizes[t->nb_sizes].hi = (uint16_t)hi;
		t->nb_sizes++;
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return -EINVAL;
	}
	return t->nb_sizes == 0 ? -EINVAL : 0;
}

uint16_t
vd_frame_len(const struct vd_traffic *t, uint64_t seq)
{
	const struct vd_size_range *r = &t->sizes[seq % t->nb_sizes];

	if (r->lo == r->hi)
		return r->lo;
	return (uint16_t)(r->lo + mix64(seq) % (uint64_t)(r->hi - r->lo + 1));
}

/* The whole frame for seq, header included, into buf (len rounded up to
 * 8 bytes must fit). */
static void
frame_fill(uint8_t *buf, uint64_t seq, uint16_t len)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct vd_hdr hdr = {
		.magic = VD_MAGIC,
		.len = len,
		.seq = seq,
	};
	uint64_t base = mix64(seq + 1);
	unsigned int k;

	/* Words, not bytes: the pattern costs a multiply per 8 bytes. */
	for (k = 0; k < (len + 7u) / 8u; k++) {
		uint64_t w = (base ^ (k * 0x9e3779b97f4a7c15ULL)) *
			0xd6e8feb86659fd93ULL;

		memcpy(buf + 8 * k, &w, sizeof(w));
	}
	rte_ether_addr_copy(&vd_dst, &eth->dst_addr);
	rte_ether_addr_copy(&vd_src, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(VD_ETHER_TYPE);
	memcpy(buf + VD_HDR_OFF, &hdr, sizeof(hdr));
}

/*
 * Segment lengths for a chained frame: one to four segments cut at
 * pseudo-random points, some as short as one byte, so the header and the
 * copy boundaries of the DMA engine fall anywhere.
 */
static unsigned int
chain_cuts(uint64_t seq, uint16_t len, uint16_t *seg_len)
{
	uint64_t h = mix64(seq ^ 0x5bd1e995u);
	unsigned int nseg = 1 + (unsigned int)(h % 4);
	unsigned int left = len;
	unsigned int i;

	for (i = 0; i + 1 < nseg; i++) {
		unsigned int room = left - (nseg - 1 - i);
		unsigned int l;

		h = mix64(h);
		l = 1 + (unsigned int)(h % RTE_MIN(room, 700u));
		seg_len[i] = (uint16_t)l;
		left -= l;
	}
	seg_len[i] = (uint16_t)left;
	return nseg;
}

int
vd_build(struct vd_traffic *t, struct rte_mempool *mp,
		struct rte_mbuf **pkts, unsigned int n)
{
	uint8_t *frame = t->scratch[0];
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t seq = t->next_seq;
		uint16_t len = vd_frame_len(t, seq);
		uint16_t seg_len[4] = { len };
		struct rte_mbuf *segs[4];
		unsigned int nseg = 1, s, off = 0;

		if (t->chain)
			nseg = chain_cuts(seq, len, seg_len);
		if (rte_pktmbuf_alloc_bulk(mp, segs, nseg) != 0)
			break;
		frame_fill(frame, seq, len);
		for (s = 0; s < nseg; s++) {
			char *d = rte_pktmbuf_append(segs[s], seg_len[s]);

			/* The pool's data room fits a whole frame. */
			RTE_VERIFY(d != NULL);
			memcpy(d, frame + off, seg_len[s]);
			off += seg_len[s];
			if (s > 0)
				segs[s - 1]->next = segs[s];
		}
		segs[0]->nb_segs = (uint16_t)nseg;
		segs[0]->pkt_len = len;
		pkts[i] = segs[0];
		if (nseg > 1)
			t->chains_gen++;
		t->next_seq++;
	}
	return (int)i;
}

void
vd_note_refused(struct vd_traffic *t, uint64_t first, uint64_t count)
{
	struct vd_drop_range *last;

	if (count == 0)
		return;
	if (t->drop_count > 0) {
		last = &t->drops[(t->drop_head + t->drop_count - 1) %
			VD_DROP_FIFO];
		if (last->first + last->count == first) {
			last->count += count;
			return;
		}
	}
	if (t->drop_count == VD_DROP_FIFO) {
		/* Forget the oldest: only the ghost check loses precision,
		 * and the final report says by how much. */
		t->drops_untracked += t->drops[t->drop_head].count;
		t->drop_head = (t->drop_head + 1) % VD_DROP_FIFO;
		t->drop_count--;
	}
	t->drops[(t->drop_head + t->drop_count) % VD_DROP_FIFO] =
		(struct vd_drop_range){ .first = first, .count = count };
	t->drop_count++;
}

/* A frame with sequence number s came back: order and holes. */
static void
seq_seen(struct vd_traffic *t, uint64_t s)
{
	uint64_t refused = 0;

	if (s < t->expect) {
		t->reordered++;
		return;
	}
	while (t->drop_count > 0) {
		struct vd_drop_range *r = &t->drops[t->drop_head];
		uint64_t end = r->first + r->count;
		uint64_t from = RTE_MAX(r->first, t->expect);

		if (r->first > s)
			break;
		if (end <= s) {
			refused += end > from ? end - from : 0;
			t->drop_head = (t->drop_head + 1) % VD_DROP_FIFO;
			t->drop_count--;
			continue;
		}
		/* The vhost library said it did not take s. */
		t->ghosts++;
		refused += s > from ? s - from : 0;
		r->count = end - (s + 1);
		r->first = s + 1;
		if (r->count == 0) {
			t->drop_head = (t->drop_head + 1) % VD_DROP_FIFO;
			t->drop_count--;
		}
		break;
	}
	t->gap_refused += refused;
	t->gap_lost += (s - t->expect) - refused;
	t->expect = s + 1;
}

void
vd_tail(const struct vd_traffic *t, uint64_t *refused, uint64_t *lost)
{
	uint64_t r = 0;
	unsigned int i;

	for (i = 0; i < t->drop_count; i++) {
		const struct vd_drop_range *d =
			&t->drops[(t->drop_head + i) % VD_DROP_FIFO];
		uint64_t end = d->first + d->count;
		uint64_t from = RTE_MAX(d->first, t->expect);

		r += end > from ? end - from : 0;
	}
	*refused = r;
	*lost = t->next_seq - t->expect - r;
}

static int
read_hdr(struct rte_mbuf *m, struct vd_hdr *hdr, uint16_t *ether_type)
{
	uint8_t buf[VD_PAT_OFF];
	const uint8_t *p;

	if (rte_pktmbuf_pkt_len(m) < VD_PAT_OFF)
		return -1;
	p = rte_pktmbuf_read(m, 0, VD_PAT_OFF, buf);
	if (p == NULL)
		return -1;
	memcpy(hdr, p + VD_HDR_OFF, sizeof(*hdr));
	*ether_type = rte_be_to_cpu_16(
		((const struct rte_ether_hdr *)p)->ether_type);
	return 0;
}

uint64_t
vd_first_seq(struct rte_mbuf *m)
{
	struct vd_hdr hdr;
	uint16_t type;

	if (read_hdr(m, &hdr, &type) != 0 || hdr.magic != VD_MAGIC)
		return UINT64_MAX;
	return hdr.seq;
}

static void
log_corrupt(struct vd_traffic *t, const char *what, uint64_t seq,
		uint32_t len, uint32_t off)
{
	if (t->corrupt_logged++ >= VD_MAX_LOGGED)
		return;
	VD_LOG(ERR, "corrupted frame: %s (seq %" PRIu64 ", len %u, offset %u)",
		what, seq, len, off);
}

/* Compare the mbuf chain with the frame expected for seq; the offset of
 * the first bad byte, or -1 if all match. */
static int64_t
compare_frame(struct vd_traffic *t, struct rte_mbuf *m, uint64_t seq,
		uint16_t len)
{
	uint8_t *want = t->scratch[1];
	uint32_t off = 0;

	frame_fill(want, seq, len);
	for (; m != NULL; m = m->next) {
		const uint8_t *got = rte_pktmbuf_mtod(m, const uint8_t *);
		uint32_t l = m->data_len;

		if (off + l > len)
			return off;
		if (memcmp(got, want + off, l) != 0) {
			uint32_t i;

			for (i = 0; i < l && got[i] == want[off + i]; i++)
				;
			return off + i;
		}
		off += l;
	}
	return off == len ? -1 : (int64_t)off;
}

void
vd_check(struct vd_traffic *t, struct rte_mbuf *m)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	uint16_t len16 = len > UINT16_MAX ? UINT16_MAX : (uint16_t)len;
	struct vd_hdr hdr;
	uint16_t type;
	int64_t bad;

	t->received++;
	t->bytes_ret += len;
	if (m->nb_segs > 1)
		t->chains_ret++;
	if (len16 < t->min_len_ret || t->min_len_ret == 0)
		t->min_len_ret = len16;
	if (len16 > t->max_len_ret)
		t->max_len_ret = len16;

	if (read_hdr(m, &hdr, &type) != 0) {
		t->corrupted++;
		log_corrupt(t, "runt", UINT64_MAX, len, 0);
		goto out;
	}
	if (type != VD_ETHER_TYPE || hdr.magic != VD_MAGIC ||
			hdr.seq >= t->next_seq) {
		t->corrupted++;
		log_corrupt(t, "not a generated frame", hdr.seq, len, 0);
		goto out;
	}
	/* The header names a frame we sent: its place in the sequence
	 * counts even if the rest is damaged. */
	seq_seen(t, hdr.seq);
	if (hdr.len != len || vd_frame_len(t, hdr.seq) != len) {
		t->corrupted++;
		log_corrupt(t, "length", hdr.seq, len, hdr.len);
		goto out;
	}
	bad = compare_frame(t, m, hdr.seq, (uint16_t)len);
	if (bad >= 0) {
		t->corrupted++;
		log_corrupt(t, "payload", hdr.seq, len, (uint32_t)bad);
		goto out;
	}
	t->good++;
out:
	rte_pktmbuf_free(m);
}
