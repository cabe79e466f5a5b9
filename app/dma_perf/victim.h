/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_VICTIM_H
#define NETDMA_DMA_PERF_VICTIM_H

/*
 * A victim round (victim.c): what a device's idle transitions cost a
 * core that never touches it.
 *
 * The victim lcore busy-polls the TSC, as a polling application core
 * does, and counts the gaps between two reads longer than a threshold:
 * stalls, times its core was taken from it (an interrupt, the scheduler).
 * It reads its CPU's interrupt counts just before and just after.
 *
 * Meanwhile the feeder, the calling lcore, sends single copies: each is
 * submitted at once and polled to completion, then the feeder sleeps, so
 * that an engine that parks when idle parks between two copies. Each
 * copy is checked against its source as it completes.
 */

#include <stdbool.h>
#include <stdint.h>

#include "buffers.h"
#include "irqs.h"

enum dp_feed {
	DP_FEED_DMA,		/* rte_dma_copy with SUBMIT, polled */
	DP_FEED_CPU,		/* rte_memcpy */
	DP_FEED_NONE,		/* no copy: the feeder only sleeps */
};

/* The victim's side of a round. */
struct dp_victim_run {
	unsigned int cpu;		/* the victim lcore's CPU */
	uint64_t t_start;		/* the window, TSC */
	uint64_t t_end;
	uint64_t stall_cyc;		/* a longer gap is a stall */
	uint32_t ready;			/* its counts read: the feeder may go */
	/* results */
	uint64_t t_begin;		/* t_start, or later if the victim was */
	uint64_t stalls;
	uint64_t stalled_cyc;		/* the stalls' length, summed */
	uint64_t max_gap;		/* cycles */
	struct dp_irqs irqs;		/* taken during the round */
	bool irqs_ok;			/* /proc/interrupts was read */
};

/* The feeder's side of a round. */
struct dp_feeder {
	enum dp_feed how;
	int16_t dev_id;			/* DP_FEED_DMA */
	const struct dp_bufset *b;
	uint32_t gap_us;		/* sleep after each copy */
	uint64_t t_start;
	uint64_t t_end;
	/* results */
	uint64_t copies;		/* completed and verified */
	uint32_t *lat;			/* submit to completion, TSC cycles */
	uint32_t lat_nb;		/* of the first DP_FEED_LAT_CAP copies */
	bool ok;
	char err[192];
};

#define DP_FEED_LAT_CAP	16384

int dp_feeder_init(struct dp_feeder *f);
void dp_feeder_free(struct dp_feeder *f);

/*
 * One round of run_ms: the victim on victim_lcore, the feeder on the
 * calling lcore, from a common start. Fills the results of both; returns
 * 0 if both finished (the feeder's copies all correct).
 */
int dp_victim_round(struct dp_victim_run *v, struct dp_feeder *f,
		unsigned int victim_lcore, uint32_t stall_us, uint64_t run_ms);

#endif /* NETDMA_DMA_PERF_VICTIM_H */
