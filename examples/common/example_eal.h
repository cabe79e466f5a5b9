/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef EXAMPLE_EAL_H
#define EXAMPLE_EAL_H

/*
 * What to tell a newcomer whose first run stops in rte_eal_init(): EAL
 * wants hugepages by default, and its own message ("Cannot get hugepage
 * information") says nothing about the way round them.
 */

#include <stdbool.h>

/* How a program runs without hugepages, besides --no-huge -m 512 --no-pci
 * (no PCI device is any use to it). */
struct example_eal_hint {
	/* The program dlopens the PMD (-d); false if it links it. */
	bool needs_pmd;
	/* EAL arguments it cannot run without (a --vdev), or NULL. */
	const char *eal_args;
	/* Its arguments after "--", or NULL. */
	const char *app_args;
	/* It runs only without hugepages: no advice on reserving them. */
	bool no_huge_only;
};

/*
 * Call after rte_eal_init() failed: lines to stderr, prefixed with the
 * program's name. Why EAL stopped, from rte_errno; the command line that
 * runs this program here without hugepages, with -d naming the PMD of
 * the build tree the program runs from (none when the PMD is installed
 * as a DPDK plugin); and, when EAL stopped for want of memory, how to
 * reserve hugepages instead, unless the program runs only without them. argv0 is the program as it was invoked.
 */
void example_eal_hint(const char *argv0, const struct example_eal_hint *h);

#endif /* EXAMPLE_EAL_H */
