/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * CPU to NUMA node, from sysfs. The driver reads the kernel's files
 * rather than asking libnuma so that a test can hand it a machine of
 * several nodes on one that has a single node: the root is a parameter.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netdma_topology.h"

/* A kernel CPU list such as "0-3,8\n" into *set; "" or "\n": none. */
static int
cpulist_parse(const char *s, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (*s != '\0' && *s != '\n') {
		unsigned long lo, hi;
		char *end;

		lo = strtoul(s, &end, 10);
		if (end == s)
			return -EINVAL;
		hi = lo;
		if (*end == '-') {
			s = end + 1;
			hi = strtoul(s, &end, 10);
			if (end == s || hi < lo)
				return -EINVAL;
		}
		if (hi >= CPU_SETSIZE)
			return -ERANGE;
		for (; lo <= hi; lo++)
			CPU_SET(lo, set);
		s = end;
		if (*s == ',')
			s++;
		else if (*s != '\0' && *s != '\n')
			return -EINVAL;
	}
	return 0;
}

/* <dir>/node<node>/cpulist into t. */
static int
node_read(struct netdma_topology *t, const char *dir, unsigned int node)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	cpu_set_t cpus;
	FILE *f;
	int cpu, ret;

	ret = snprintf(path, sizeof(path), "%s/node%u/cpulist", dir, node);
	if (ret < 0 || (size_t)ret >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	ret = getline(&line, &cap, f) < 0 ? -EINVAL : cpulist_parse(line,
		&cpus);
	free(line);
	fclose(f);
	if (ret != 0)
		return ret;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &cpus))
			t->node[cpu] = (int16_t)node;
	return 0;
}

int
netdma_topology_read(struct netdma_topology *t, const char *root)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	memset(t, 0, sizeof(*t));
	ret = snprintf(dir, sizeof(dir), "%s/devices/system/node", root);
	if (ret < 0 || (size_t)ret >= sizeof(dir))
		return -ENAMETOOLONG;
	ret = 0;
	d = opendir(dir);
	if (d == NULL)
		return -errno;
	while (ret == 0 && (de = readdir(d)) != NULL) {
		unsigned int node;
		char extra;

		if (sscanf(de->d_name, "node%u%c", &node, &extra) == 1 &&
				node < CPU_SETSIZE)
			ret = node_read(t, dir, node);
	}
	closedir(d);
	return ret;
}

int
netdma_topology_nodes(const struct netdma_topology *t, const cpu_set_t *cpus,
		cpu_set_t *nodes)
{
	int cpu, node = -1;

	CPU_ZERO(nodes);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, cpus))
			continue;
		node = t->node[cpu];
		CPU_SET(node, nodes);
	}
	return CPU_COUNT(nodes) == 1 ? node : -1;
}

void
netdma_topology_cpus_on(const struct netdma_topology *t,
		const cpu_set_t *cpus, int node, cpu_set_t *on)
{
	int cpu;

	CPU_ZERO(on);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, cpus) && t->node[cpu] == node)
			CPU_SET(cpu, on);
}

void
netdma_set_format(const cpu_set_t *set, char *buf, size_t len)
{
	size_t off = 0;
	int lo, hi;

	buf[0] = '\0';
	for (lo = 0; lo < CPU_SETSIZE && off < len; lo = hi + 1) {
		hi = lo;
		if (!CPU_ISSET(lo, set))
			continue;
		while (hi + 1 < CPU_SETSIZE && CPU_ISSET(hi + 1, set))
			hi++;
		off += snprintf(buf + off, len - off, "%s%d", off ? "," : "",
			lo);
		if (hi > lo && off < len)
			off += snprintf(buf + off, len - off, "-%d", hi);
	}
}
