/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The software NetDMA engine: a "card" that implements lib/netdma_hw.h.
 * Its channels are served by a few worker threads, as silicon serves many
 * channels from one engine. This header is the platform side only:
 * plugging the card in and out, finding its BAR and interrupt eventfds, and
 * how the card's addresses are translated (an IOMMU, or the process's own
 * address space). Everything a driver does to the device itself goes
 * through the register block.
 */

#ifndef NETDMA_ENGINE_H
#define NETDMA_ENGINE_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netdma_hw.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NETDMA_MAX_WORKERS	NETDMA_MAX_CHANNELS

/*
 * A worker stops watching a channel that sat out this many of its busy
 * passes, passes that gave other channels turns (spec 12.2). Until then
 * a kick to the channel costs a fence and two loads.
 */
#define NETDMA_QUIET_PASSES	1024

struct netdma_engine;

enum netdma_readahead {
	NETDMA_READAHEAD_AUTO,
	NETDMA_READAHEAD_ON,
	NETDMA_READAHEAD_OFF,
};

struct netdma_engine_params {
	unsigned int nb_channels;	/* 1..NETDMA_MAX_CHANNELS */
	/* Worker threads serving the channels, 0 meaning 1; channel c is
	 * served by worker c % nb_workers. At most nb_channels. */
	unsigned int nb_workers;
	/* Worker w runs on cpus[w % nb_cpus]; no cpus: unpinned. */
	const int *cpus;
	unsigned int nb_cpus;
	/* The CPUs unpinned workers run on; NULL: those of the thread that
	 * creates the engine, as a new thread inherits them. */
	const cpu_set_t *unpinned_cpus;
	unsigned int spin_us;		/* idle spin before parking */
	/* Busy passes an idle channel stays watched (spec 12.2); 0:
	 * NETDMA_QUIET_PASSES. Fewer make a channel's drop come sooner,
	 * which a test of that race wants many of. */
	unsigned int quiet_passes;
	/*
	 * Shared virtual addressing: IOVAs are this process's virtual
	 * addresses, no IOMMU window applies, and an access that faults
	 * fails its descriptor with CHANERR_PAGE_FAULT. The engine catches
	 * such faults with SIGSEGV and SIGBUS handlers it installs for the
	 * card's lifetime; other faults go on to the handlers they replaced.
	 */
	bool sva;
	/*
	 * The NUMA node the engine's memory (its state, its channels and
	 * workers, the BAR) is placed on, that of the CPUs its workers run
	 * on; -1: any. Preferred, not bound: a node short of memory gives
	 * pages elsewhere. A node the process cannot allocate on, or a
	 * system without NUMA support, places it nowhere in particular:
	 * netdma_engine_numa_node() says which.
	 */
	int numa_node;
	/*
	 * Read-ahead (spec 5.8): whether a channel starts the reads of a
	 * descriptor further down its ring, and of that one's data, while
	 * it runs one. AUTO: each worker finds out by the clock whether
	 * that pays on its channels' load (spec 12.4); ON, OFF: always,
	 * never.
	 */
	enum netdma_readahead readahead;
	const char *name;		/* thread name prefix, may be NULL */
};

/* A read-ahead setting as devargs and tools spell it: "auto", "on",
 * "off"; NULL for a value that is none of them. */
const char *netdma_readahead_name(enum netdma_readahead ra);
/* The setting a word names: 0 and *ra set, or -EINVAL. */
int netdma_readahead_parse(const char *word, enum netdma_readahead *ra);

/* Plug in / unplug. NULL with errno set on failure. */
struct netdma_engine *netdma_engine_create(const struct netdma_engine_params *p);
void netdma_engine_destroy(struct netdma_engine *e);

/* The node the engine's memory was placed on, -1 if none. */
int netdma_engine_numa_node(const struct netdma_engine *e);

/* BAR0: NETDMA_BAR_SIZE bytes of registers. */
volatile void *netdma_engine_bar(struct netdma_engine *e);

/* The channel's interrupt, an eventfd (what VFIO hands out for MSI-X). */
int netdma_engine_irq_fd(struct netdma_engine *e, unsigned int chan);

/*
 * IOMMU: without SVA, the engine touches only IOVA ranges mapped here,
 * translating each to a host virtual address. Anything else, IOVA 0
 * included, is a channel error. A map may not overlap an existing one
 * (-EEXIST); maps contiguous in IOVA and VA merge. Unmap takes any range
 * lying inside one mapping, splitting it as needed (-ENOENT otherwise).
 * With SVA both succeed and change nothing: there is no IOMMU to program.
 */
int netdma_iommu_map(struct netdma_engine *e, uint64_t iova, void *va,
		uint64_t len);
int netdma_iommu_unmap(struct netdma_engine *e, uint64_t iova, uint64_t len);

/*
 * The doorbell snoop that silicon has for free: call it after every
 * DOORBELL or CHANCMD write to channel chan, from the thread that wrote.
 * It costs a fence and a load of a line that stays shared while the
 * channel's worker watches the channel (it is busy, or was recently);
 * otherwise it tells the worker, and wakes it if it is parked: the only
 * system call a driver makes (spec 12.2).
 */
void netdma_engine_kick(struct netdma_engine *e, unsigned int chan);

/*
 * For tests and monitoring: how many passes (spec 5.6) the worker serving
 * chan has completed, 0 for a channel that does not exist. A pass that
 * begins after a register write sees it, so once the count has grown by
 * two since the write, the worker has acted on it, which is how a test
 * knows the engine had its chance without sleeping. A parked worker makes
 * no passes until it is kicked.
 */
uint64_t netdma_engine_passes(struct netdma_engine *e, unsigned int chan);

/* Whether the worker serving chan is parked, and whether it watches chan
 * (spec 12.2): for tests and dumps. */
bool netdma_engine_parked(struct netdma_engine *e, unsigned int chan);
bool netdma_engine_watched(struct netdma_engine *e, unsigned int chan);

#ifdef __cplusplus
}
#endif

#endif /* NETDMA_ENGINE_H */
