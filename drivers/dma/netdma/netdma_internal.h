/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * PMD internals. Everything here is hardware-agnostic: a channel is a
 * register block, a ring, a completion line and an interrupt fd, handed
 * over by a backend (netdma_vdev.c for the software card) through
 * struct netdma_chan_hw. Only the backend knows what the card is.
 */

#ifndef NETDMA_INTERNAL_H
#define NETDMA_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_log.h>

#include "netdma_devargs.h"
#include "netdma_hw.h"
#include "netdma_regs.h"
#include "netdma_topology.h"

extern int netdma_logtype;

#define NETDMA_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, netdma_logtype, "netdma: %s(): " fmt "\n", \
		__func__, ## __VA_ARGS__)

#define NETDMA_DRIVER_NAME	"dma_netdma"

/* What a backend does for the common code. */
struct netdma_backend_ops {
	/*
	 * Doorbell snoop: called after every doorbell or command write, by
	 * the thread that wrote, when the card needs one (the software
	 * engine does). Silicon snoops its doorbell itself: NULL, and a
	 * submit is one posted write.
	 */
	void (*kick)(void *card, uint16_t chan);
};

/* One channel of a card, as its backend hands it over. */
struct netdma_chan_hw {
	volatile void *bar;		/* the card's register block */
	uint16_t chan;			/* channel index within the BAR */
	int irq_fd;			/* the channel's interrupt, an eventfd */
	/* The card's NUMA node (SOCKET_ID_ANY: none in particular), and
	 * the socket its DPDK memory is asked for on: the node, or
	 * SOCKET_ID_ANY where DPDK has no memory there
	 * (netdma_mem_socket()). */
	int numa_node;
	int mem_socket;
	/* Which node each CPU is on, for the lcores' check at start. */
	const struct netdma_topology *topology;
	const struct netdma_backend_ops *ops;
	void *card;			/* backend state, passed to ops */
};

/* Device-private data. The first cache line is all the fast path touches
 * when enqueueing; completion polling adds the status line. */
struct netdma_dev {
	struct netdma_desc *ring;
	netdma_regs_t *regs;
	volatile uint64_t *status;	/* completion status line */
	uint64_t ring_iova;
	uint16_t mask;			/* ring size - 1 */
	uint16_t next_write;		/* job id of the next descriptor */
	uint16_t next_read;		/* oldest id not yet reported */
	uint16_t next_submit;		/* first unsubmitted id, = DMACOUNT */
	/* An id gets STATUS_UPDATE when (id & mask) == match; a stride of
	 * 0 makes match unreachable. */
	uint16_t status_stride_mask;
	uint16_t status_stride_match;
	uint16_t intr_armed;		/* flag the batch tail for an irq */
	uint64_t submitted;
	uint64_t completed;
	uint64_t errors;
	/* the backend's doorbell snoop (hw.ops->kick), NULL for silicon */
	void (*kick)(void *card, uint16_t chan);
	void *kick_card;
	uint16_t kick_chan;
	/* COPY_SG lists: 2 * NETDMA_MAX_SGES entries per ring slot */
	struct netdma_sge *sg;
	uint64_t sg_iova;
#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
	struct rte_dma_op **ops;	/* enqueue_ops: the op of each slot */
#endif
	/* The last descriptor written with MOVDIR64B (direct_desc). */
	struct netdma_desc shadow __rte_cache_aligned;

	/* control path */
	struct netdma_chan_hw hw __rte_cache_aligned;
	struct netdma_devargs args;
	struct rte_dma_dev *dmadev;
	struct rte_intr_handle *intr;
	uint16_t nb_desc;
	uint16_t priority;		/* rte_dma_conf priority, ARB_PRIO */
	bool enq_deq;			/* configured for rte_dma_enqueue_ops */
	bool running;			/* between start and stop */
	bool sleeping;			/* a wait is (about to be) asleep */
	bool stopped_call_logged;	/* one log line per stop, not per call */
	/* Refused addresses (strict IOMMU): how many, when the next may be
	 * logged (TSC), and the halt last looked at. */
	uint64_t refused_addrs;
	uint64_t refused_log_tsc;
	uint64_t halt_seen;
	uint64_t waits, sleeps, wakeups, timeouts, spurious;
	char name[RTE_DEV_NAME_MAX_LEN];
};

static inline uint16_t
desc_slot(const struct netdma_dev *nd, uint64_t desc_iova)
{
	return (uint16_t)((desc_iova - nd->ring_iova) / NETDMA_DESC_ALIGN);
}

static inline uint64_t
slot_iova(const struct netdma_dev *nd, uint16_t slot)
{
	return nd->ring_iova + (uint64_t)(slot & nd->mask) * NETDMA_DESC_ALIGN;
}

/* The pair of COPY_SG segment lists of a ring slot: source, then dest. */
static __rte_always_inline struct netdma_sge *
sg_table(const struct netdma_dev *nd, uint16_t slot)
{
	return nd->sg + (size_t)slot * 2 * NETDMA_MAX_SGES;
}

static __rte_always_inline uint64_t
sg_table_iova(const struct netdma_dev *nd, uint16_t slot)
{
	return nd->sg_iova + (uint64_t)slot * 2 * NETDMA_MAX_SGES *
		sizeof(struct netdma_sge);
}

/* The completion status line: host memory that the engine writes with
 * one 64-bit store (sequentially consistent, so a release too), after the
 * data of the op it names. */
static __rte_always_inline uint64_t
status_line_read(const struct netdma_dev *nd)
{
	return __atomic_load_n(nd->status, __ATOMIC_ACQUIRE);
}

/* The load half of the arm-then-check handshake (spec 8.4), after the
 * arm's RMW: see the engine's chanctrl_after_status(). */
static __rte_always_inline uint64_t
status_line_read_sc(const struct netdma_dev *nd)
{
	return __atomic_load_n(nd->status, __ATOMIC_SEQ_CST);
}

/* Only while the engine writes none: before start, or halted. */
static inline void
status_line_write(struct netdma_dev *nd, uint64_t sts)
{
	__atomic_store_n(nd->status, sts, __ATOMIC_RELEASE);
}

/*
 * How many ops from next_read on are done. The status line names the last
 * processed descriptor; fewer than ring-size ops are ever outstanding, so
 * its ring slot alone is unambiguous. On a halt, *halted is set and the
 * count stops short of the failing op.
 */
static __rte_always_inline uint16_t
ops_done(const struct netdma_dev *nd, uint64_t sts, bool *halted)
{
	uint16_t slot = desc_slot(nd, netdma_sts_addr(sts));
	uint16_t from = nd->next_read & nd->mask;

	*halted = netdma_sts_state(sts) == NETDMA_STS_HALTED;
	if (unlikely(*halted))
		return (uint16_t)(slot - from) & nd->mask;
	return (uint16_t)(slot + 1 - from) & nd->mask;
}

/* The backend's doorbell snoop, after a doorbell or command write. */
static __rte_always_inline void
netdma_kick(const struct netdma_dev *nd)
{
	if (nd->kick != NULL)
		nd->kick(nd->kick_card, nd->kick_chan);
}

/* Common dmadev code, netdma_dmadev.c */
int netdma_dmadev_create(const char *name, struct rte_device *device,
		const struct netdma_chan_hw *hw,
		const struct netdma_devargs *args);
int netdma_dmadev_destroy(const char *name);
struct netdma_dev *netdma_dev_get(int16_t dev_id);
int netdma_mem_socket(int node, const char **why);
int netdma_chan_command(struct netdma_dev *nd, uint8_t cmd);

/* Fast path, netdma_fastpath.c */
void netdma_fp_install(struct rte_dma_dev *dmadev);
void netdma_fp_install_stopped(struct rte_dma_dev *dmadev);
void netdma_log_stopped_call(struct netdma_dev *nd, const char *call);

/* Interrupts, netdma_intr.c */
int netdma_intr_setup(struct netdma_dev *nd);
void netdma_intr_teardown(struct netdma_dev *nd);
void netdma_intr_quiesce(struct netdma_dev *nd);
void netdma_intr_reset(struct netdma_dev *nd);

#endif /* NETDMA_INTERNAL_H */
