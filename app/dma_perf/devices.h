/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef NETDMA_DMA_PERF_DEVICES_H
#define NETDMA_DMA_PERF_DEVICES_H

/*
 * The dmadevs under test (devices.c): found by name or created as vdevs,
 * configured for one scenario, started just before a run and stopped
 * right after it, so that an idle device's engine thread cannot steal
 * the core of the device under test.
 */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* vdevs="name[,devargs] name[,devargs] ...": create those not there yet. */
int dp_dev_create_vdevs(const char *spec, bool skip_missing);

/*
 * The id of dmadev name; a missing vdev (dma_skeleton0, dma_netdma0...)
 * is created without devargs so configs need not spell --vdev. Returns
 * a negative value if there is no such device; quiet: do not say so.
 */
int dp_dev_resolve(const char *name, bool quiet);

/*
 * One mem-to-mem vchan with a ring of sc->ring_size descriptors; for
 * scatter-gather scenarios, the device must do rte_dma_copy_sg with that
 * many segments.
 */
int dp_dev_configure(int16_t dev_id, const struct dp_scenario *sc);
int dp_dev_start(int16_t dev_id);
void dp_dev_stop(int16_t dev_id);

/*
 * The dmadevs one lcore feeds: one found by name, or all those a list
 * of vdevs creates. The dmadevs of a vdev are the ones that appear when
 * it is created, in the order of their ids (for dma_netdma, channel
 * order).
 */
struct dp_devset {
	unsigned int nb;
	int16_t ids[DP_MAX_CHANNELS];
	unsigned int nb_vdevs;		/* created here, removed by destroy */
	char vdevs[DP_MAX_CHANNELS][DP_NAME_LEN];
};

/* The set of one dmadev. */
void dp_devset_one(struct dp_devset *s, int16_t dev_id);
/*
 * Create the blank-separated "name[,devargs]" vdevs of spec and collect
 * their dmadevs. On failure, what was created is removed again.
 */
int dp_devset_create(struct dp_devset *s, const char *spec);
/* Remove the vdevs the set created (their dmadevs go with them). */
void dp_devset_destroy(struct dp_devset *s);
/* Configure every dmadev of the set; start them all, or none. */
int dp_devset_configure(const struct dp_devset *s, const struct dp_scenario *sc);
int dp_devset_start(const struct dp_devset *s);
void dp_devset_stop(const struct dp_devset *s);

#endif /* NETDMA_DMA_PERF_DEVICES_H */
