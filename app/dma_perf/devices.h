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

/* One mem-to-mem vchan with a ring of sc->ring_size descriptors. */
int dp_dev_configure(int16_t dev_id, const struct dp_scenario *sc);
int dp_dev_start(int16_t dev_id);
void dp_dev_stop(int16_t dev_id);

#endif /* NETDMA_DMA_PERF_DEVICES_H */
