/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_IRQS_H
#define NETDMA_DMA_PERF_IRQS_H

/*
 * The interrupts one CPU has taken, from /proc/interrupts (irqs.c): the
 * inter-processor kinds another core's work can send it, and its local
 * timer for scale.
 */

#include <stdint.h>

enum dp_irq_kind {
	DP_IRQ_CAL,	/* function call: membarrier, smp_call_function */
	DP_IRQ_RES,	/* rescheduling: a wake-up on this CPU */
	DP_IRQ_TLB,	/* TLB shootdown: an unmap elsewhere in the process */
	DP_IRQ_LOC,	/* local timer: the tick, not another core's doing */
	DP_IRQ_KINDS,
};

/* "CAL", "RES", "TLB", "LOC": the labels of /proc/interrupts. */
extern const char * const dp_irq_names[DP_IRQ_KINDS];

struct dp_irqs {
	uint64_t n[DP_IRQ_KINDS];
};

/*
 * The counts of cpu. Returns -1 if /proc/interrupts cannot be read or
 * has no column for cpu; a kind the file does not list reads as 0.
 * Allocates: call it outside a timed window.
 */
int dp_irqs_read(unsigned int cpu, struct dp_irqs *out);

/* The inter-processor interrupts of a difference: CAL + RES + TLB. */
static inline uint64_t
dp_irqs_ipis(const struct dp_irqs *d)
{
	return d->n[DP_IRQ_CAL] + d->n[DP_IRQ_RES] + d->n[DP_IRQ_TLB];
}

#endif /* NETDMA_DMA_PERF_IRQS_H */
