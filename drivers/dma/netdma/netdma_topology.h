/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Which NUMA node each CPU is on, as the kernel's sysfs says: read once
 * per probe from a sysfs root, "/sys" unless NETDMA_SYSFS_ROOT names
 * another (a test hook: a fake tree of node directories). No DPDK here.
 */

#ifndef NETDMA_TOPOLOGY_H
#define NETDMA_TOPOLOGY_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>

/* The environment variable that points the driver at another sysfs. */
#define NETDMA_SYSFS_ROOT_ENV	"NETDMA_SYSFS_ROOT"

struct netdma_topology {
	int16_t node[CPU_SETSIZE];	/* the node of each CPU */
};

/*
 * Read <root>/devices/system/node/node<N>/cpulist for every node N. A
 * CPU that no node lists is on node 0, as EAL counts it; without the
 * node directory (a kernel without NUMA), every CPU is, and the return
 * is -ENOENT. Returns 0, or -errno when the directory cannot be read or a
 * node's list cannot be read or parsed (t then has what could be read).
 */
int netdma_topology_read(struct netdma_topology *t, const char *root);

/*
 * The nodes of the CPUs in cpus, as a set of node numbers, into *nodes;
 * returns the node when there is one, -1 when there are several or none.
 */
int netdma_topology_nodes(const struct netdma_topology *t,
		const cpu_set_t *cpus, cpu_set_t *nodes);

/* The CPUs of cpus that are on node, into *on. */
void netdma_topology_cpus_on(const struct netdma_topology *t,
		const cpu_set_t *cpus, int node, cpu_set_t *on);

/* A set of small numbers (CPUs, nodes, lcores) as a list such as
 * "0-3,8", as the kernel writes CPU lists. */
void netdma_set_format(const cpu_set_t *set, char *buf, size_t len);

#endif /* NETDMA_TOPOLOGY_H */
