/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/* The dma_netdma devargs, parsed once at probe into one struct. */

#ifndef NETDMA_DEVARGS_H
#define NETDMA_DEVARGS_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netdma_engine.h"
#include "netdma_hw.h"

#define NETDMA_DEFAULT_SPIN_US		20
#define NETDMA_DEFAULT_STATUS_STRIDE	32

struct netdma_devargs {
	unsigned int channels;		/* dmadevs on the card */
	unsigned int workers;		/* engine threads serving them */
	/* Worker w runs on cpus[w % nb_cpus]; none: unpinned. */
	int cpus[NETDMA_MAX_CHANNELS];
	unsigned int nb_cpus;
	/* Arbitration weight of each channel, 1..255. */
	uint8_t weight[NETDMA_MAX_CHANNELS];
	unsigned int nb_weights;	/* as given: 0, 1 or channels */
	bool sva;			/* shared virtual addressing */
	unsigned int spin_us;		/* idle spin before the engine parks */
	/* STATUS_UPDATE on every status_stride-th op (a power of two);
	 * 0: on none, the engine's write when it catches up is the only
	 * one. */
	unsigned int status_stride;
	unsigned int intr_delay_us;	/* INTRDELAY, interrupt coalescing */
	bool direct_desc;		/* write descriptors with MOVDIR64B */
	enum netdma_readahead readahead;	/* the engine's (spec 5.8) */
};

/*
 * Fill *da from a vdev's devargs string (NULL or "" for the defaults).
 * Returns 0, or a negative errno after one log line that names the device,
 * the key, the bad value and what would be accepted.
 */
int netdma_devargs_parse(const char *name, const char *args,
		struct netdma_devargs *da);

/* The devargs as one line, for the probe log and rte_dma_dump(). */
void netdma_devargs_describe(const struct netdma_devargs *da, char *buf,
		size_t len);

/* The workers' CPUs as the probe line says them: "cpu 1", "cpu 0,2",
 * "unpinned". */
void netdma_devargs_cpus(const struct netdma_devargs *da, char *buf,
		size_t len);

/* The CPUs the process was allowed to run on when the driver was loaded,
 * which cpu= must name; NULL if they could not be read. */
const cpu_set_t *netdma_allowed_cpus(void);

#endif /* NETDMA_DEVARGS_H */
