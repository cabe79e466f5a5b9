/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The card itself: its BAR, its channels and interrupt eventfds, the
 * workers that serve the channels, plugging in and out, and the doorbell
 * kick. What a channel does is netdma_chan.c; how a worker shares itself
 * among channels is netdma_worker.c.
 */

#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "netdma_engine_priv.h"
#include "netdma_mmio.h"

_Static_assert(NETDMA_BAR_SIZE <= 4096, "the BAR is one x86-64 page at most");

#define IOMMU_TABLE_SIZE \
	(NETDMA_IOMMU_MAX_WINDOWS * sizeof(struct netdma_iommu_window))

/* Nodes an mbind() mask covers: more than any machine has. */
#define NODEMASK_BITS	1024

/*
 * Whether memory can be placed on node: libnuma finds NUMA support, and
 * the node is one the process may allocate on (it exists, has memory,
 * and the process's cpuset allows it).
 */
static bool
numa_node_usable(int node)
{
	return node >= 0 && node < NODEMASK_BITS && numa_available() >= 0 &&
		numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned int)node);
}

/*
 * len bytes of zeroed pages, on node if it is not -1. The engine's
 * memory is what its workers touch on every pass, so it goes where they
 * run, as a card's registers sit on its socket. Preferred rather than
 * bound, so that a node short of memory costs distance, not the process.
 * *placed is cleared when the policy cannot be set. NULL on failure.
 */
static void *
engine_mem_alloc(size_t len, int node, bool *placed)
{
	const unsigned int bits = 8 * sizeof(unsigned long);
	unsigned long mask[NODEMASK_BITS / (8 * sizeof(unsigned long))] = { 0 };
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (node < 0)
		return p;
	/* Before anything touches it: a page is placed when it faults in. */
	mask[node / bits] = 1ul << (node % bits);
	if (mbind(p, len, MPOL_PREFERRED, mask, NODEMASK_BITS + 1, 0) != 0)
		*placed = false;
	return p;
}

static void
engine_mem_free(void *p, size_t len)
{
	if (p != NULL)
		munmap(p, len);
}

static void
bar_init(struct netdma_engine *e)
{
	volatile uint8_t *bar = e->bar;
	uint32_t cap = NETDMA_CAP_COPY | NETDMA_CAP_FILL | NETDMA_CAP_FENCE |
		NETDMA_CAP_INTR | NETDMA_CAP_INTR_DELAY |
		NETDMA_CAP_ERR_RECOVER | NETDMA_CAP_COPY_SG;

	if (e->sva)
		cap |= NETDMA_CAP_SVA;
	memset(e->bar, 0, NETDMA_BAR_SIZE);
	bar[NETDMA_REG_CHANCNT] = (uint8_t)e->nb_chan;
	bar[NETDMA_REG_VERSION] = NETDMA_HW_VERSION;
	*(volatile uint32_t *)(bar + NETDMA_REG_CAP) = cap;
	*(volatile uint32_t *)(bar + NETDMA_REG_MAX_XFER) = NETDMA_MAX_XFER;
	bar[NETDMA_REG_RING_LOG2] = NETDMA_MIN_RING_LOG2;
	bar[NETDMA_REG_RING_LOG2_MAX] = NETDMA_MAX_RING_LOG2;
	bar[NETDMA_REG_MAX_SGES] = NETDMA_MAX_SGES;
	bar[NETDMA_REG_ARB_PRIOS] = NETDMA_ARB_PRIOS;
}

static bool
params_valid(const struct netdma_engine_params *p)
{
	unsigned int i;

	if (p == NULL || p->nb_channels == 0 ||
			p->nb_channels > NETDMA_MAX_CHANNELS ||
			p->nb_workers > p->nb_channels ||
			p->quiet_passes > UINT16_MAX ||
			p->readahead > NETDMA_READAHEAD_OFF ||
			(p->nb_cpus > 0 && p->cpus == NULL) ||
			(p->unpinned_cpus != NULL &&
			 CPU_COUNT(p->unpinned_cpus) == 0))
		return false;
	for (i = 0; i < p->nb_cpus; i++)
		if (p->cpus[i] < 0 || p->cpus[i] >= CPU_SETSIZE)
			return false;
	return true;
}

static void
workers_init(struct netdma_engine *e, const struct netdma_engine_params *p)
{
	unsigned int i;

	for (i = 0; i < e->nb_workers; i++) {
		struct netdma_worker *w = &e->worker[i];

		w->engine = e;
		w->id = i;
		w->cpu = p->nb_cpus > 0 ? p->cpus[i % p->nb_cpus] : -1;
		w->ra.on = p->readahead == NETDMA_READAHEAD_ON;
	}
	for (i = 0; i < e->nb_chan; i++) {
		struct netdma_worker *w = &e->worker[i % e->nb_workers];

		e->chan[i].worker = w;
		e->chan[i].wbit = 1u << w->nb_chan;
		w->chan[w->nb_chan++] = &e->chan[i];
	}
}

/* A worker on its CPU from cpus=, or on the unpinned set. */
static int
worker_start(struct netdma_worker *w, const struct netdma_engine_params *p)
{
	cpu_set_t one;

	if (w->cpu < 0)
		return netdma_worker_start(w, p->unpinned_cpus);
	CPU_ZERO(&one);
	CPU_SET(w->cpu, &one);
	return netdma_worker_start(w, &one);
}

struct netdma_engine *
netdma_engine_create(const struct netdma_engine_params *p)
{
	struct netdma_iommu_window *win;
	struct netdma_engine *e;
	unsigned int i;
	size_t size;
	bool placed;
	int node;
	int ret;

	if (!params_valid(p)) {
		errno = EINVAL;
		return NULL;
	}
	node = numa_node_usable(p->numa_node) ? p->numa_node : -1;
	placed = node >= 0;
	size = sizeof(*e) + p->nb_channels * sizeof(e->chan[0]);
	e = engine_mem_alloc(size, node, &placed);
	if (e == NULL)
		return NULL;
	e->size = size;
	e->nb_chan = p->nb_channels;
	e->nb_workers = p->nb_workers == 0 ? 1 : p->nb_workers;
	e->spin_ns = (uint64_t)p->spin_us * 1000;
	e->quiet_passes = p->quiet_passes != 0 ? p->quiet_passes :
		NETDMA_QUIET_PASSES;
	e->readahead = p->readahead;
	e->sva = p->sva;
	snprintf(e->name, sizeof(e->name), "%s", p->name ? p->name : "netdma");
	for (i = 0; i < e->nb_chan; i++)
		e->chan[i].irq_fd = -1;

	/* A page is aligned to the BAR's size, as the BAR must be. */
	e->bar = engine_mem_alloc(NETDMA_BAR_SIZE, node, &placed);
	win = engine_mem_alloc(IOMMU_TABLE_SIZE, node, &placed);
	e->numa_node = placed ? node : -1;
	ret = e->bar == NULL || win == NULL ? -ENOMEM : 0;
	if (win != NULL)
		netdma_iommu_init(&e->mmu, win);
	if (ret == 0 && e->sva) {
		ret = netdma_sva_attach();
		if (ret != 0)
			e->sva = false;	/* nothing to detach */
	}
	if (ret != 0)
		goto fail;
	bar_init(e);
	workers_init(e, p);

	for (i = 0; i < e->nb_chan; i++) {
		struct netdma_chan *ch = &e->chan[i];

		ch->engine = e;
		ch->id = i;
		ch->regs = netdma_chan_regs(e->bar, i);
		ch->irq_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (ch->irq_fd < 0) {
			ret = -errno;
			goto fail;
		}
		netdma_chan_reset(ch);
	}
	for (i = 0; i < e->nb_workers; i++) {
		ret = worker_start(&e->worker[i], p);
		if (ret != 0)
			goto fail;
	}
	return e;

fail:
	netdma_engine_destroy(e);
	errno = -ret;
	return NULL;
}

void
netdma_engine_destroy(struct netdma_engine *e)
{
	struct netdma_iommu_window *win;
	unsigned int i;

	if (e == NULL)
		return;
	__atomic_store_n(&e->stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < e->nb_workers; i++)
		netdma_worker_join(&e->worker[i]);
	for (i = 0; i < e->nb_chan; i++)
		if (e->chan[i].irq_fd >= 0)
			close(e->chan[i].irq_fd);
	if (e->sva)
		netdma_sva_detach();
	if (e->mmu.win != NULL) {
		win = e->mmu.win;
		netdma_iommu_fini(&e->mmu);
		engine_mem_free(win, IOMMU_TABLE_SIZE);
	}
	engine_mem_free(e->bar, NETDMA_BAR_SIZE);
	engine_mem_free(e, e->size);
}

static const char *const readahead_names[] = {
	[NETDMA_READAHEAD_AUTO] = "auto",
	[NETDMA_READAHEAD_ON] = "on",
	[NETDMA_READAHEAD_OFF] = "off",
};
#define NB_READAHEAD	(sizeof(readahead_names) / sizeof(readahead_names[0]))

const char *
netdma_readahead_name(enum netdma_readahead ra)
{
	return (unsigned int)ra < NB_READAHEAD ? readahead_names[ra] : NULL;
}

int
netdma_readahead_parse(const char *word, enum netdma_readahead *ra)
{
	unsigned int i;

	for (i = 0; i < NB_READAHEAD; i++)
		if (strcmp(word, readahead_names[i]) == 0) {
			*ra = (enum netdma_readahead)i;
			return 0;
		}
	return -EINVAL;
}

int
netdma_engine_numa_node(const struct netdma_engine *e)
{
	return e->numa_node;
}

volatile void *
netdma_engine_bar(struct netdma_engine *e)
{
	return e->bar;
}

int
netdma_engine_irq_fd(struct netdma_engine *e, unsigned int chan)
{
	if (chan >= e->nb_chan)
		return -EINVAL;
	return e->chan[chan].irq_fd;
}

uint64_t
netdma_engine_passes(struct netdma_engine *e, unsigned int chan)
{
	if (chan >= e->nb_chan)
		return 0;
	return __atomic_load_n(&e->chan[chan].worker->passes,
		__ATOMIC_ACQUIRE);
}

void
netdma_engine_kick(struct netdma_engine *e, unsigned int chan)
{
	struct netdma_chan *ch;

	if (chan >= e->nb_chan)
		return;
	ch = &e->chan[chan];
	netdma_worker_kick(ch->worker, ch->wbit);
}

bool
netdma_engine_parked(struct netdma_engine *e, unsigned int chan)
{
	if (chan >= e->nb_chan)
		return false;
	return __atomic_load_n(&e->chan[chan].worker->snoop.sleeping,
		__ATOMIC_ACQUIRE) != 0;
}

bool
netdma_engine_watched(struct netdma_engine *e, unsigned int chan)
{
	if (chan >= e->nb_chan)
		return false;
	return (__atomic_load_n(&e->chan[chan].worker->snoop.watched,
		__ATOMIC_ACQUIRE) & e->chan[chan].wbit) != 0;
}
