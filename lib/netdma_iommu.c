/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The engine's IOMMU: a sorted table of IOVA windows. Workers read it on
 * every descriptor, mappings change rarely, so readers take no lock: a
 * sequence counter tells them to retry when a writer got in between.
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

static inline int
seq_read_retry(const struct netdma_iommu *mmu, uint32_t seq)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&mmu->seq, __ATOMIC_RELAXED) != seq;
}

int
netdma_iommu_init(struct netdma_iommu *mmu)
{
	memset(mmu, 0, sizeof(*mmu));
	pthread_mutex_init(&mmu->lock, NULL);
	mmu->win = calloc(NETDMA_IOMMU_MAX_WINDOWS, sizeof(*mmu->win));
	return mmu->win == NULL ? -ENOMEM : 0;
}

void
netdma_iommu_fini(struct netdma_iommu *mmu)
{
	free(mmu->win);
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

		if (win[mid].iova + win[mid].len <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
writer_begin(struct netdma_iommu *mmu)
{
	__atomic_store_n(&mmu->seq, mmu->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void
writer_end(struct netdma_iommu *mmu)
{
	__atomic_store_n(&mmu->seq, mmu->seq + 1, __ATOMIC_RELEASE);
}

static void
window_insert(struct netdma_iommu *mmu, unsigned int pos, uint64_t iova,
		uint64_t len, uintptr_t va)
{
	memmove(&mmu->win[pos + 1], &mmu->win[pos],
		(mmu->nb_win - pos) * sizeof(mmu->win[0]));
	mmu->win[pos].iova = iova;
	mmu->win[pos].len = len;
	mmu->win[pos].va = va;
	mmu->nb_win++;
}

static void
window_remove(struct netdma_iommu *mmu, unsigned int pos)
{
	memmove(&mmu->win[pos], &mmu->win[pos + 1],
		(mmu->nb_win - pos - 1) * sizeof(mmu->win[0]));
	mmu->nb_win--;
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
			mmu->win[pos].len += mmu->win[pos + 1].len;
			window_remove(mmu, pos + 1);
		}
		if (pos > 0 && windows_join(&mmu->win[pos - 1], &mmu->win[pos])) {
			mmu->win[pos - 1].len += mmu->win[pos].len;
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
			w->len = iova - w->iova;	/* keep the head */
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
 * Translate [iova, iova + len) to a host pointer. The range may cross
 * windows only where they are contiguous in both IOVA and VA, as memory
 * segments that DPDK maps one by one often are.
 */
static void *
iommu_walk(const struct netdma_iommu *mmu, uint64_t iova, uint64_t len,
		struct netdma_iotlb *tlb)
{
	const struct netdma_iommu_window *w;
	unsigned int pos, n = mmu->nb_win;
	uint64_t start_iova, end_iova, va;

	pos = window_search(mmu->win, n, iova);
	if (pos >= n || mmu->win[pos].iova > iova)
		return NULL;
	w = &mmu->win[pos];
	start_iova = w->iova;
	va = w->va + (iova - w->iova);
	end_iova = w->iova + w->len;
	while (end_iova < iova + len) {
		const struct netdma_iommu_window *nx;

		if (++pos >= n)
			return NULL;
		nx = &mmu->win[pos];
		if (nx->iova != end_iova ||
				nx->va != w->va + (end_iova - w->iova))
			return NULL;
		end_iova = nx->iova + nx->len;
		w = nx;
	}
	tlb->iova = start_iova;
	tlb->len = end_iova - start_iova;
	tlb->va = va - (iova - start_iova);
	return (void *)(uintptr_t)va;
}

void *
netdma_iommu_translate_slow(const struct netdma_iommu *mmu, uint64_t iova,
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
