/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/* Engine internals shared by its source files; drivers never see these. */

#ifndef NETDMA_ENGINE_PRIV_H
#define NETDMA_ENGINE_PRIV_H

#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "netdma_engine.h"

#define NETDMA_IOMMU_MAX_WINDOWS	4096

/*
 * How much data the engine moves between two looks at CHANCMD and at its
 * arbitration budget: a command takes effect, and another channel gets
 * its turn, within this many bytes even inside one large descriptor.
 * A multiple of 8, so that a fill pattern stays in phase across slices.
 */
#define NETDMA_SLICE_BYTES		(64u * 1024)
/* A turn is weight * these many descriptors or bytes, whichever first. */
#define NETDMA_ARB_QUANTUM_DESCS	32u
#define NETDMA_ARB_QUANTUM_BYTES	(256u * 1024)
/*
 * Read-ahead (netdma_xfer.h): how far down the ring a turn starts the
 * reads of a descriptor and its data, about one memory latency's worth
 * of small copies. When the engine decides whether that pays (spec 12.4),
 * a worker times epochs of this many busy passes, one epoch in
 * NETDMA_READAHEAD_PROBE_EPOCHS the other way; an epoch of fewer
 * descriptors than NETDMA_READAHEAD_EPOCH_DESCS says too little to count.
 */
#define NETDMA_READAHEAD_DESCS		8u
#define NETDMA_READAHEAD_PAGE_SHIFT	12	/* the smallest page, 4 KiB */
#define NETDMA_READAHEAD_EPOCH_PASSES	64u
#define NETDMA_READAHEAD_PROBE_EPOCHS	32u
#define NETDMA_READAHEAD_EPOCH_DESCS	256u

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

/* A one-entry translation cache, valid while seq is unchanged. */
struct netdma_iotlb {
	uint64_t iova;
	uint64_t len;
	uintptr_t va;
	uint32_t seq;
};

/* One resolved segment of a transfer: where, and how long. */
struct netdma_seg {
	uint8_t *va;
	uint64_t iova;
	uint32_t len;
};

/* What a channel is doing inside one descriptor (netdma_xfer.h). */
enum netdma_phase {
	NETDMA_PHASE_NONE,	/* between descriptors */
	NETDMA_PHASE_FETCH,	/* reading the descriptor */
	NETDMA_PHASE_LISTS,	/* reading COPY_SG segment lists */
	NETDMA_PHASE_DATA,	/* moving data */
};

/* The descriptor a channel is executing, resolved once, run in slices. */
struct netdma_xfer {
	bool active;
	uint32_t op;
	uint32_t ctrl;
	uint64_t addr;		/* IOVA of the descriptor */
	uint64_t next;		/* its next field */
	uint64_t size;		/* bytes in all */
	uint64_t done;		/* bytes moved so far */
	uint64_t pattern;	/* FILL */
	uint16_t nb_src, nb_dst;
	uint16_t si, di;	/* current segment on each side */
	uint32_t soff, doff;	/* offset into the current segments */
	struct netdma_seg src[NETDMA_MAX_SGES];
	struct netdma_seg dst[NETDMA_MAX_SGES];
};

struct netdma_worker;

struct netdma_chan {
	/* worker-private state, kept off the register lines */
	volatile struct netdma_chan_regs *regs;
	struct netdma_engine *engine;
	struct netdma_worker *worker;
	unsigned int id;
	uint32_t wbit;		/* the channel's bit in its worker's masks */
	int irq_fd;
	unsigned int state;	/* NETDMA_STS_ACTIVE/IDLE/SUSPENDED/HALTED */
	uint16_t count;		/* descriptors consumed since reset */
	uint16_t db;		/* DMACOUNT as last read */
	bool have_cur;		/* false: next fetch comes from CHAINADDR */
	uint64_t cur;		/* IOVA of the next descriptor */
	uint64_t last_desc;	/* IOVA of the last processed descriptor */
	uint64_t completed;	/* running count of processed descriptors */
	uint64_t reported;	/* completed as of the last status write */
	bool skip_on_resume;	/* RESUME steps past the halted descriptor */
	uint64_t fail_next;	/* next field of the failing descriptor */
	bool fail_unread;	/* halted on a descriptor it could not read */
	uint64_t intr_deadline_ns; /* coalesced interrupt due, 0: none */
	enum netdma_phase phase;
	struct netdma_xfer xfer;
	struct netdma_iotlb tlb_desc;
	struct netdma_iotlb tlb_list;	/* COPY_SG segment lists */
	struct netdma_iotlb tlb_src;
	struct netdma_iotlb tlb_dst;
	struct netdma_iotlb tlb_cmp;
} __attribute__((aligned(64)));

/* Where a fault in SVA mode lands (netdma_sva.c). */
struct netdma_fault_guard {
	sigjmp_buf env;
	uintptr_t addr;		/* the faulting address */
	struct netdma_fault_guard *outer;	/* the guard this one nests in */
};

/*
 * What the doorbell snoop of silicon is to the software engine: the one
 * line a driver's kick (netdma_engine_kick) and its worker share. Bits
 * are the worker's channels (netdma_chan.wbit). spec 12.2 has the
 * protocol; netdma_worker.c and netdma_engine.c implement its two sides.
 */
struct netdma_snoop {
	uint32_t watched;	/* polled on every pass: a kick does nothing */
	uint32_t pending;	/* kicked while not watched */
	uint32_t sleeping;	/* futex word: 1 while the worker parks */
} __attribute__((aligned(64)));

/* A worker's read-ahead, and what its epochs cost (netdma_worker.c). */
struct netdma_readahead_clock {
	bool on;		/* read ahead in this epoch */
	bool best;		/* the way that cost less lately */
	uint32_t epoch;		/* epochs so far */
	uint32_t passes;	/* busy passes into this epoch */
	uint64_t descs;		/* descriptors done since the clock started */
	uint64_t t0;		/* TSC when it started */
	uint64_t cost[2];	/* 1/16 cycles per descriptor, without, with */
};

struct netdma_worker {
	struct netdma_engine *engine;
	unsigned int id;
	int cpu;		/* -1: unpinned */
	unsigned int nb_chan;
	unsigned int rr;	/* round-robin start of the next pass */
	/* Passes completed, for netdma_engine_passes(). Beside rr, which
	 * a busy pass writes anyway: this line is the worker's alone (the
	 * kicks go to the snoop line). */
	uint64_t passes;
	uint32_t watch;		/* the worker's own copy of snoop.watched */
	/* channels whose runs ended this pass: INT_ON_IDLE to decide */
	uint32_t idle_due;
	/* passes each watched channel has had nothing to do */
	uint16_t quiet[NETDMA_MAX_CHANNELS];
	struct netdma_chan *chan[NETDMA_MAX_CHANNELS];
	struct netdma_fault_guard guard;	/* a turn, in SVA mode */
	struct netdma_fault_guard cmp_guard;	/* a status write, SVA */
	pthread_t thread;
	bool thread_started;
	struct netdma_readahead_clock ra;
	struct netdma_snoop snoop;
} __attribute__((aligned(64)));

struct netdma_engine {
	void *bar;
	size_t size;		/* of this struct with its channels */
	int numa_node;		/* its memory's, -1: none in particular */
	unsigned int nb_chan;
	unsigned int nb_workers;
	uint64_t spin_ns;
	unsigned int quiet_passes;
	enum netdma_readahead readahead;
	bool sva;
	bool stop;		/* being unplugged: workers leave */
	struct netdma_iommu mmu;
	char name[32];
	struct netdma_worker worker[NETDMA_MAX_WORKERS];
	struct netdma_chan chan[];
};

#if defined(__SANITIZE_THREAD__)
#define NETDMA_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NETDMA_TSAN 1
#endif
#endif

/*
 * A sequentially consistent fence: the engine's half of its store-then-
 * load handshakes with drivers (spec 8.4, 12.2). ThreadSanitizer does not
 * model fences, and gcc refuses them under it (-Wtsan); there a
 * sequentially consistent read-modify-write of a private word stands in,
 * which x86 executes as the same full barrier, a locked instruction.
 */
static inline void
netdma_fence(void)
{
#ifdef NETDMA_TSAN
	static uint32_t word;

	__atomic_fetch_add(&word, 0, __ATOMIC_SEQ_CST);
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

/* CLOCK_MONOTONIC in nanoseconds: coalescing timers and the idle spin. */
static inline uint64_t
netdma_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline bool
netdma_engine_stopping(const struct netdma_engine *e)
{
	return __atomic_load_n(&e->stop, __ATOMIC_ACQUIRE);
}

/* netdma_iommu.c */
/* The table is NETDMA_IOMMU_MAX_WINDOWS windows of the engine's memory,
 * zeroed, which the engine frees after netdma_iommu_fini(). */
void netdma_iommu_init(struct netdma_iommu *mmu,
		struct netdma_iommu_window *win);
void netdma_iommu_fini(struct netdma_iommu *mmu);
void *netdma_iommu_translate_slow(struct netdma_iommu *mmu,
		uint64_t iova, uint64_t len, struct netdma_iotlb *tlb);

static inline bool
netdma_iotlb_hit(const struct netdma_iotlb *tlb, uint64_t iova, uint64_t len)
{
	uint64_t off = iova - tlb->iova;

	return off < tlb->len && len <= tlb->len - off;
}

/* The host address of iova through the window tlb holds (a hit). */
static inline uintptr_t
netdma_iotlb_va(const struct netdma_iotlb *tlb, uint64_t iova)
{
	return tlb->va + (uintptr_t)(iova - tlb->iova);
}

/* Translate through the worker's cache first: one load and two compares. */
static inline void *
netdma_iommu_translate(struct netdma_iommu *mmu, uint64_t iova,
		uint64_t len, struct netdma_iotlb *tlb)
{
	if (__builtin_expect(netdma_iotlb_hit(tlb, iova, len), 1) &&
			__atomic_load_n(&mmu->seq, __ATOMIC_ACQUIRE) == tlb->seq)
		return (void *)netdma_iotlb_va(tlb, iova);
	return netdma_iommu_translate_slow(mmu, iova, len, tlb);
}

/* netdma_chan.c */
void netdma_chan_reset(struct netdma_chan *ch);
bool netdma_chan_take_command(struct netdma_chan *ch);
bool netdma_chan_has_work(struct netdma_chan *ch);
bool netdma_chan_posted(struct netdma_chan *ch);
unsigned int netdma_chan_turn_iommu(struct netdma_chan *ch, bool ra);
unsigned int netdma_chan_turn_sva(struct netdma_chan *ch, bool ra);
void netdma_chan_fault(struct netdma_chan *ch, uintptr_t addr);
uint64_t netdma_chan_deadline(const struct netdma_chan *ch);
void netdma_chan_check_deadline(struct netdma_chan *ch);
void netdma_chan_idle_irqs(struct netdma_worker *w);

/* netdma_worker.c */
int netdma_worker_start(struct netdma_worker *w, const cpu_set_t *cpus);
void netdma_worker_join(struct netdma_worker *w);
void netdma_worker_kick(struct netdma_worker *w, uint32_t bit);
void netdma_worker_wake(struct netdma_worker *w);

/* netdma_sva.c */
int netdma_sva_attach(void);
void netdma_sva_detach(void);
void netdma_sva_guard_enter(struct netdma_fault_guard *g);
void netdma_sva_guard_leave(struct netdma_fault_guard *g);

#endif /* NETDMA_ENGINE_PRIV_H */
