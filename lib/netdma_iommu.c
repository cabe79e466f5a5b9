/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The engine's IOMMU: a sorted table of IOVA windows. Workers read it on
 * every translation cache miss, mappings change rarely, so readers take no
 * lock: a sequence counter tells them to retry when a writer got in
 * between. The table's fields are read and written with relaxed atomics,
 * which a reader racing a writer needs to be well defined; the counter's
 * operations order them, without separate fences.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netdma_engine_priv.h"

static inline uint32_t
seq_read_begin(const struct netdma_iommu *mmu)
{
	uint32_t seq;

	while ((seq = __atomic_load_n(&mmu->seq, __ATOMIC_ACQUIRE)) & 1)
		__builtin_ia32_pause();
	return seq;
}

/* A read-don't-modify-write with release order: the table reads before
 * it cannot move after it, which a plain load would allow. */
static inline int
seq_read_retry(struct netdma_iommu *mmu, uint32_t seq)
{
	return __atomic_fetch_add(&mmu->seq, 0, __ATOMIC_RELEASE) != seq;
}

static inline void
win_load(const struct netdma_iommu_window *w,
		struct netdma_iommu_window *out)
{
	out->iova = __atomic_load_n(&w->iova, __ATOMIC_RELAXED);
	out->len = __atomic_load_n(&w->len, __ATOMIC_RELAXED);
	out->va = __atomic_load_n(&w->va, __ATOMIC_RELAXED);
}

static inline void
win_store(struct netdma_iommu_window *w, uint64_t iova, uint64_t len,
		uintptr_t va)
{
	__atomic_store_n(&w->iova, iova, __ATOMIC_RELAXED);
	__atomic_store_n(&w->len, len, __ATOMIC_RELAXED);
	__atomic_store_n(&w->va, va, __ATOMIC_RELAXED);
}

static inline unsigned int
win_count(const struct netdma_iommu *mmu)
{
	return __atomic_load_n(&mmu->nb_win, __ATOMIC_RELAXED);
}

void
netdma_iommu_init(struct netdma_iommu *mmu, struct netdma_iommu_window *win)
{
	memset(mmu, 0, sizeof(*mmu));
	pthread_mutex_init(&mmu->lock, NULL);
	mmu->win = win;
}

void
netdma_iommu_fini(struct netdma_iommu *mmu)
{
	mmu->win = NULL;
	pthread_mutex_destroy(&mmu->lock);
}

/* First window whose end lies above iova. */
static unsigned int
window_search(const struct netdma_iommu_window *win, unsigned int n,
		uint64_t iova)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		struct netdma_iommu_window w;

		win_load(&win[mid], &w);
		if (w.iova + w.len <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Odd while the table changes. Acquire: none of the table writes that
 * follow can become visible before the counter is odd. */
static void
writer_begin(struct netdma_iommu *mmu)
{
	__atomic_fetch_add(&mmu->seq, 1, __ATOMIC_ACQ_REL);
}

static void
writer_end(struct netdma_iommu *mmu)
{
	__atomic_fetch_add(&mmu->seq, 1, __ATOMIC_RELEASE);
}

/* Move n windows from src to dst, one field at a time, in the order
 * that overlapping ranges need. */
static void
windows_move(struct netdma_iommu_window *dst,
		const struct netdma_iommu_window *src, unsigned int n)
{
	struct netdma_iommu_window w;
	unsigned int i;

	if (dst < src) {
		for (i = 0; i < n; i++) {
			win_load(&src[i], &w);
			win_store(&dst[i], w.iova, w.len, w.va);
		}
	} else {
		for (i = n; i-- > 0; ) {
			win_load(&src[i], &w);
			win_store(&dst[i], w.iova, w.len, w.va);
		}
	}
}

static void
window_insert(struct netdma_iommu *mmu, unsigned int pos, uint64_t iova,
		uint64_t len, uintptr_t va)
{
	windows_move(&mmu->win[pos + 1], &mmu->win[pos], mmu->nb_win - pos);
	win_store(&mmu->win[pos], iova, len, va);
	__atomic_store_n(&mmu->nb_win, mmu->nb_win + 1, __ATOMIC_RELAXED);
}

static void
window_remove(struct netdma_iommu *mmu, unsigned int pos)
{
	windows_move(&mmu->win[pos], &mmu->win[pos + 1],
		mmu->nb_win - pos - 1);
	__atomic_store_n(&mmu->nb_win, mmu->nb_win - 1, __ATOMIC_RELAXED);
}

/* Grow or shrink window pos to len. */
static void
window_resize(struct netdma_iommu *mmu, unsigned int pos, uint64_t len)
{
	__atomic_store_n(&mmu->win[pos].len, len, __ATOMIC_RELAXED);
}

/* Neighbours contiguous in both IOVA and VA become one window, so page-
 * by-page maps (as memory events deliver them) cost one table entry. */
static bool
windows_join(const struct netdma_iommu_window *a,
		const struct netdma_iommu_window *b)
{
	return a->iova + a->len == b->iova && a->va + a->len == b->va;
}

int
netdma_iommu_map(struct netdma_engine *e, uint64_t iova, void *va,
		uint64_t len)
{
	struct netdma_iommu *mmu = &e->mmu;
	unsigned int pos;
	int ret = 0;

	if (len == 0 || iova == 0 || iova + len < iova || va == NULL)
		return -EINVAL;
	if (e->sva)
		return 0;

	pthread_mutex_lock(&mmu->lock);
	pos = window_search(mmu->win, mmu->nb_win, iova);
	if (pos < mmu->nb_win && mmu->win[pos].iova < iova + len) {
		ret = -EEXIST;
	} else if (mmu->nb_win == NETDMA_IOMMU_MAX_WINDOWS) {
		ret = -ENOSPC;
	} else {
		writer_begin(mmu);
		window_insert(mmu, pos, iova, len, (uintptr_t)va);
		if (pos + 1 < mmu->nb_win &&
				windows_join(&mmu->win[pos], &mmu->win[pos + 1])) {
			window_resize(mmu, pos, mmu->win[pos].len +
				mmu->win[pos + 1].len);
			window_remove(mmu, pos + 1);
		}
		if (pos > 0 && windows_join(&mmu->win[pos - 1], &mmu->win[pos])) {
			window_resize(mmu, pos - 1, mmu->win[pos - 1].len +
				mmu->win[pos].len);
			window_remove(mmu, pos);
		}
		writer_end(mmu);
	}
	pthread_mutex_unlock(&mmu->lock);
	return ret;
}

/* Unmap any range inside one window, splitting it if needed. */
int
netdma_iommu_unmap(struct netdma_engine *e, uint64_t iova, uint64_t len)
{
	struct netdma_iommu *mmu = &e->mmu;
	struct netdma_iommu_window *w;
	uint64_t end = iova + len;
	unsigned int pos;
	int ret = 0;

	if (len == 0 || end < iova)
		return -EINVAL;
	if (e->sva)
		return 0;

	pthread_mutex_lock(&mmu->lock);
	pos = window_search(mmu->win, mmu->nb_win, iova);
	w = &mmu->win[pos];
	if (pos >= mmu->nb_win || w->iova > iova || w->iova + w->len < end) {
		ret = -ENOENT;
	} else if (w->iova < iova && w->iova + w->len > end &&
			mmu->nb_win == NETDMA_IOMMU_MAX_WINDOWS) {
		ret = -ENOSPC;
	} else {
		uint64_t w_end = w->iova + w->len;
		uintptr_t tail_va = w->va + (end - w->iova);

		writer_begin(mmu);
		if (w->iova < iova) {
			window_resize(mmu, pos, iova - w->iova); /* keep the head */
			pos++;
		} else {
			window_remove(mmu, pos);
		}
		if (w_end > end)
			window_insert(mmu, pos, end, w_end - end, tail_va);
		writer_end(mmu);
	}
	pthread_mutex_unlock(&mmu->lock);
	return ret;
}

/*
 * Translate [iova, iova + len) to a host pointer. The range lies in one
 * window or is refused: map() joins neighbours contiguous in both IOVA
 * and VA, and unmap() leaves a gap between the parts it splits, so no two
 * windows ever hold one host range between them.
 */
static void *
iommu_walk(const struct netdma_iommu *mmu, uint64_t iova, uint64_t len,
		struct netdma_iotlb *tlb)
{
	struct netdma_iommu_window w;
	unsigned int pos, n = win_count(mmu);

	pos = window_search(mmu->win, n, iova);
	if (pos >= n)
		return NULL;
	win_load(&mmu->win[pos], &w);
	/* the search found the first window ending after iova */
	if (w.iova > iova || len > w.len - (iova - w.iova))
		return NULL;
	tlb->iova = w.iova;
	tlb->len = w.len;
	tlb->va = w.va;
	return (void *)netdma_iotlb_va(tlb, iova);
}

void *
netdma_iommu_translate_slow(struct netdma_iommu *mmu, uint64_t iova,
		uint64_t len, struct netdma_iotlb *tlb)
{
	void *va;
	uint32_t seq;

	if (len == 0 || iova + len < iova)
		return NULL;
	do {
		seq = seq_read_begin(mmu);
		va = iommu_walk(mmu, iova, len, tlb);
	} while (seq_read_retry(mmu, seq));
	tlb->seq = va != NULL ? seq : UINT32_MAX;
	return va;
}
