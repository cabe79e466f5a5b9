/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef EXAMPLE_DMADEV_H
#define EXAMPLE_DMADEV_H

/*
 * Finding the dmadev an example runs on, and saying plainly why there is
 * none. EAL goes on when a --vdev fails to probe (it only logs), so an
 * application that wants a device must look for it and explain its
 * absence itself.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_dev.h>

struct example_dmadev {
	int16_t id;
	bool created;		/* by this program: it removes it at exit */
	char name[RTE_DEV_NAME_MAX_LEN];
};

/*
 * Use the dmadev called name if there is one (made by --vdev name,...);
 * otherwise create the vdev name with devargs. Prints which of the two it
 * did, or, on failure, one line saying why: a --vdev whose probe failed,
 * a vdev without a dmadev of that name, no driver, or the probe's error
 * number. Returns 0 or a negative errno.
 */
int example_dmadev_get(const char *name, const char *devargs,
		struct example_dmadev *d);

/*
 * One line to stderr on why no dmadev is called name: a --vdev for it
 * was given and its probe failed (the log above says why); it was probed
 * but its dmadevs have other names (channels=N); or no --vdev was given.
 */
void example_dmadev_explain_missing(const char *name);

/* Configure one MEM_TO_MEM vchan of nb_desc descriptors and start it.
 * Prints the call that failed and its error. */
int example_dmadev_start(const struct example_dmadev *d, uint16_t nb_desc);

/* Stop the device; remove the vdev too if this program created it. */
void example_dmadev_release(struct example_dmadev *d);

/*
 * The CPU for the engine of a device this program creates: the first CPU
 * the process may run on (as it started, before EAL pinned its threads)
 * other than those of the calling thread, or the calling thread's own if
 * the process may run on no other. -1 if the kernel does not say.
 */
int example_engine_cpu(void);

#endif /* EXAMPLE_DMADEV_H */
