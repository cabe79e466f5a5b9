/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_string_fns.h>

#include "example_dmadev.h"

/* The CPUs this process may run on, read before main(): EAL then pins
 * each lcore's thread to the CPUs of its lcore alone. */
static cpu_set_t start_cpus;
static bool start_cpus_known;

RTE_INIT(example_start_cpus)
{
	start_cpus_known = sched_getaffinity(0, sizeof(start_cpus),
			&start_cpus) == 0;
}

/* The vdev called name, probed or not: EAL keeps a --vdev whose probe
 * failed on the bus, unprobed. The loop runs to its end, which is what
 * frees the iterator's strings. */
static struct rte_device *
vdev_find(const char *name)
{
	struct rte_device *dev, *found = NULL;
	struct rte_dev_iterator it;

	RTE_DEV_FOREACH(dev, "bus=vdev", &it)
		if (found == NULL && strcmp(rte_dev_name(dev), name) == 0)
			found = dev;
	return found;
}

/* The dmadevs of vdev name ("<name>-ch<i>" with channels=N), comma
 * separated; the number found. */
static unsigned int
dmadevs_of(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name), used = 0;
	unsigned int count = 0;
	int16_t id;

	buf[0] = '\0';
	RTE_DMA_FOREACH_DEV(id) {
		struct rte_dma_info info;
		int w;

		if (rte_dma_info_get(id, &info) != 0 ||
				strncmp(info.dev_name, name, n) != 0 ||
				info.dev_name[n] != '-')
			continue;
		w = snprintf(buf + used, len - used, "%s%s",
			count > 0 ? ", " : "", info.dev_name);
		if (w > 0 && (size_t)w < len - used)
			used += (size_t)w;
		count++;
	}
	return count;
}

/* Why a vdev that exists has no dmadev called name; 1 if it said so. */
static int
explain_existing(const char *name, const char *what)
{
	struct rte_device *dev = vdev_find(name);
	char names[256];

	if (dev == NULL)
		return 0;
	if (!rte_dev_is_probed(dev)) {
		fprintf(stderr, "%s %s: --vdev %s was given, but its probe failed: see the log above\n",
			what, name, name);
		return 1;
	}
	if (dmadevs_of(name, names, sizeof(names)) > 0)
		fprintf(stderr, "%s %s: the vdev already exists (errno %d: %s), but its dmadevs are called %s: use one of those names\n",
			what, name, EEXIST, strerror(EEXIST), names);
	else
		fprintf(stderr, "%s %s: the vdev already exists (errno %d: %s), but has no dmadev of that name\n",
			what, name, EEXIST, strerror(EEXIST));
	return 1;
}

void
example_dmadev_explain_missing(const char *name)
{
	if (explain_existing(name, "no dmadev"))
		return;
	fprintf(stderr, "no dmadev %s: no --vdev %s was given: add --vdev %s[,devargs] to the EAL arguments, with -d <path to librte_dma_netdma.so>\n",
		name, name, name);
}

int
example_dmadev_get(const char *name, const char *devargs,
		struct example_dmadev *d)
{
	int id, ret;

	memset(d, 0, sizeof(*d));
	d->id = -1;
	if (rte_strscpy(d->name, name, sizeof(d->name)) < 0) {
		fprintf(stderr, "device name %s: longer than %zu characters\n",
			name, sizeof(d->name) - 1);
		return -E2BIG;
	}
	id = rte_dma_get_dev_id_by_name(name);
	if (id >= 0) {
		d->id = (int16_t)id;
		printf("%s: using the device given to EAL (--vdev); this program's own devargs (%s) do not apply\n",
			name, devargs);
		return 0;
	}
	if (explain_existing(name, "cannot use"))
		return -ENODEV;

	ret = rte_vdev_init(name, devargs);
	if (ret == -EEXIST) {
		fprintf(stderr, "cannot create %s: it already exists (errno %d: %s)\n",
			name, EEXIST, strerror(EEXIST));
		return ret;
	}
	if (ret == -1) {
		/* The vdev bus says -1 when no driver's name prefixes the
		 * device name, and logs why if it is anything else. */
		fprintf(stderr, "cannot create %s: no driver took it (rte_vdev_init returned -1): netdma device names start with dma_netdma, and the PMD must be loaded with -d <path to librte_dma_netdma.so>\n",
			name);
		return -ENODEV;
	}
	if (ret != 0) {
		fprintf(stderr, "cannot create %s,%s: probe failed with errno %d (%s): see the log above\n",
			name, devargs, -ret, strerror(-ret));
		return ret;
	}
	id = rte_dma_get_dev_id_by_name(name);
	if (id < 0) {
		/* channels=N in devargs names the dmadevs <name>-ch<i>. */
		rte_vdev_uninit(name);
		fprintf(stderr, "created %s, but it has no dmadev of that name: give devargs for one channel\n",
			name);
		return -ENODEV;
	}
	d->id = (int16_t)id;
	d->created = true;
	printf("%s: created with devargs \"%s\"\n", name, devargs);
	return 0;
}

int
example_dmadev_start(const struct example_dmadev *d, uint16_t nb_desc)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = nb_desc,
	};
	const char *call;
	int ret;

	call = "rte_dma_configure";
	ret = rte_dma_configure(d->id, &conf);
	if (ret == 0) {
		call = "rte_dma_vchan_setup";
		ret = rte_dma_vchan_setup(d->id, 0, &qconf);
	}
	if (ret == 0) {
		call = "rte_dma_start";
		ret = rte_dma_start(d->id);
	}
	if (ret != 0)
		fprintf(stderr, "%s: %s failed with errno %d (%s)\n", d->name,
			call, -ret, strerror(-ret));
	return ret;
}

void
example_dmadev_release(struct example_dmadev *d)
{
	if (d->id < 0)
		return;
	rte_dma_stop(d->id);
	if (d->created)
		rte_vdev_uninit(d->name);
	d->id = -1;
}

int
example_engine_cpu(void)
{
	cpu_set_t own;
	int cpu, shared = -1;

	if (!start_cpus_known || sched_getaffinity(0, sizeof(own), &own) != 0)
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &start_cpus))
			continue;
		if (!CPU_ISSET(cpu, &own))
			return cpu;
		if (shared < 0)
			shared = cpu;
	}
	return shared;
}
