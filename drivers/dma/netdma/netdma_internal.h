/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_INTERNAL_H
#define NETDMA_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_log.h>

#include "netdma_hw.h"

extern int netdma_logtype;

#define NETDMA_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, netdma_logtype, "netdma: %s(): " fmt "\n", \
		__func__, ## __VA_ARGS__)

#define NETDMA_DEFAULT_SPIN_US		20
#define NETDMA_DEFAULT_STATUS_STRIDE	32

struct netdma_engine;
struct rte_intr_handle;

/* Device-private data. The first cache line is all the fast path touches
 * when enqueueing; completion polling adds the status line. */
struct netdma_dev {
	struct netdma_desc *ring;
	volatile struct netdma_chan_regs *regs;
	volatile uint64_t *status;	/* completion status line */
	uint64_t ring_iova;
	uint16_t mask;			/* ring size - 1 */
	uint16_t next_write;		/* job id of the next descriptor */
	uint16_t next_read;		/* oldest id not yet reported */
	uint16_t next_submit;		/* first unsubmitted id, = DMACOUNT */
	uint16_t status_stride_mask;	/* mid-batch STATUS_UPDATE spacing */
	uint16_t intr_armed;		/* flag the batch tail for an irq */
	uint64_t submitted;
	uint64_t completed;
	uint64_t errors;

	/* control path */
	struct netdma_engine *engine __rte_cache_aligned;
	struct rte_dma_dev *dmadev;
	struct rte_intr_handle *intr;
	uint16_t nb_desc;
	volatile bool running;		/* between start and stop */
	int cpu;
	unsigned int spin_us;
	unsigned int status_stride;
	unsigned int intr_delay_us;
	bool direct_desc;		/* write descriptors with MOVDIR64B */
	bool mem_cb_registered;
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

/* Fast path, netdma_fastpath.c */
struct netdma_dev *netdma_dev_get(int16_t dev_id);
void netdma_fp_install(struct rte_dma_dev *dmadev);
void netdma_fp_install_stopped(struct rte_dma_dev *dmadev);

/* Engine memory window management, netdma_mem.c */
int netdma_mem_attach(struct netdma_dev *nd);
int netdma_mem_window(struct netdma_dev *nd, void *addr, uint64_t iova,
		size_t len, bool map);
void netdma_mem_detach(struct netdma_dev *nd);

/* Control path helpers, netdma_dmadev.c */
int netdma_chan_command(struct netdma_dev *nd, uint8_t cmd);

/* Interrupts, netdma_intr.c */
int netdma_intr_setup(struct netdma_dev *nd);
void netdma_intr_teardown(struct netdma_dev *nd);
void netdma_intr_quiesce(struct netdma_dev *nd);

#endif /* NETDMA_INTERNAL_H */
