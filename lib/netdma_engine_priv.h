/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/* Engine internals shared by its source files; drivers never see these. */

#ifndef NETDMA_ENGINE_PRIV_H
#define NETDMA_ENGINE_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "netdma_engine.h"


#define NETDMA_IOMMU_MAX_WINDOWS	4096

struct netdma_iommu_window {
	uint64_t iova;
	uint64_t len;
	uintptr_t va;
};

struct netdma_iommu {
	uint32_t seq;		/* odd while a writer is changing win[] */
	unsigned int nb_win;
	struct netdma_iommu_window *win;
	pthread_mutex_t lock;	/* serialises writers */
};

/* A worker's one-entry translation cache, valid while seq is unchanged. */
struct netdma_iotlb {
	uint64_t iova;
	uint64_t len;
	uintptr_t va;
	uint32_t seq;
};

struct netdma_chan {
	/* worker-private state, kept off the register lines */
	volatile struct netdma_chan_regs *regs;
	struct netdma_engine *engine;
	unsigned int id;
	int irq_fd;
	unsigned int state;	/* NETDMA_STS_ACTIVE/IDLE/SUSPENDED/HALTED */
	uint16_t count;		/* descriptors consumed since reset */
	bool have_cur;		/* false: next fetch comes from CHAINADDR */
	uint64_t cur;		/* IOVA of the next descriptor */
	uint64_t last_desc;	/* IOVA of the last processed descriptor */
	uint64_t completed;	/* running count of processed descriptors */
	uint64_t reported;	/* completed as of the last status write */
	bool skip_on_resume;	/* RESUME steps past the halted descriptor */
	uint64_t fail_next;	/* next field of the failing descriptor */
	bool fail_unread;	/* halted on a descriptor it could not read */
	uint64_t intr_deadline_ns; /* coalesced interrupt due, 0: none */
	struct netdma_iotlb tlb_desc;
	struct netdma_iotlb tlb_src;
	struct netdma_iotlb tlb_dst;
	struct netdma_iotlb tlb_cmp;
	pthread_t thread;
	bool thread_started;
} __attribute__((aligned(64)));

struct netdma_engine {
	void *bar;
	unsigned int nb_chan;
	int cpu;
	uint64_t spin_ns;
	bool membarrier;	/* park can fence every thread (chan_park) */
	volatile int stop;
	struct netdma_iommu mmu;
	char name[32];
	struct netdma_chan chan[];
};

int netdma_iommu_init(struct netdma_iommu *mmu);
void netdma_iommu_fini(struct netdma_iommu *mmu);
void *netdma_iommu_translate_slow(const struct netdma_iommu *mmu,
		uint64_t iova, uint64_t len, struct netdma_iotlb *tlb);

static inline bool
netdma_iotlb_hit(const struct netdma_iotlb *tlb, uint64_t iova, uint64_t len)
{
	uint64_t off = iova - tlb->iova;

	return off < tlb->len && len <= tlb->len - off;
}

/* Translate through the worker's cache first: one load and two compares. */
static inline void *
netdma_iommu_translate(const struct netdma_iommu *mmu, uint64_t iova,
		uint64_t len, struct netdma_iotlb *tlb)
{
	if (__builtin_expect(netdma_iotlb_hit(tlb, iova, len), 1) &&
			__atomic_load_n(&mmu->seq, __ATOMIC_ACQUIRE) == tlb->seq)
		return (void *)(tlb->va + (uintptr_t)(iova - tlb->iova));
	return netdma_iommu_translate_slow(mmu, iova, len, tlb);
}

#endif /* NETDMA_ENGINE_PRIV_H */
