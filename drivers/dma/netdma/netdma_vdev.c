/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The software-card backend: a dma_netdma vdev is a NetDMA card made of
 * lib/'s engine. This file alone knows that: it plugs the card in and out,
 * programs the card's IOMMU with the memory the engine may touch (what
 * VFIO does for silicon), and provides the doorbell kick a parked engine
 * needs. It hands each channel to the hardware-agnostic common code as a
 * register block, an interrupt fd and that kick.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <bus_vdev_driver.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_string_fns.h>

#include "netdma_engine.h"
#include "netdma_internal.h"
#include "netdma_topology.h"

struct netdma_card {
	TAILQ_ENTRY(netdma_card) next;
	struct netdma_engine *engine;
	struct netdma_devargs args;
	bool mem_cb_registered;
	/* The card's NUMA node, that of its workers (SOCKET_ID_ANY: none
	 * in particular), the socket its DPDK memory is asked for on, and
	 * the node as the probe line says it. */
	int numa_node;
	int mem_socket;
	char numa_desc[192];
	struct netdma_topology topology;
	char name[RTE_DEV_NAME_MAX_LEN];
};

/*
 * The dmadev of channel chan: the vdev's own name for a one-channel
 * card, so that "--vdev dma_netdma0" gives dmadev "dma_netdma0" as
 * applications expect; "<vdev>-ch<N>" for each channel of a larger one.
 */
static int
chan_dmadev_name(const struct netdma_card *card, unsigned int chan,
		char *buf, size_t len)
{
	int n;

	if (card->args.channels == 1)
		n = snprintf(buf, len, "%s", card->name);
	else
		n = snprintf(buf, len, "%s-ch%u", card->name, chan);
	if (n < 0 || (size_t)n >= len) {
		NETDMA_LOG(ERR, "%s: device name too long for channel %u's dmadev (at most %zu characters)",
			card->name, chan, len - 1);
		return -ENAMETOOLONG;
	}
	return 0;
}

static TAILQ_HEAD(, netdma_card) netdma_cards =
	TAILQ_HEAD_INITIALIZER(netdma_cards);

static struct netdma_card *
card_find(const char *name)
{
	struct netdma_card *card;

	TAILQ_FOREACH(card, &netdma_cards, next)
		if (strcmp(card->name, name) == 0)
			return card;
	return NULL;
}

static void
card_kick(void *card, uint16_t chan)
{
	struct netdma_card *c = card;

	netdma_engine_kick(c->engine, chan);
}

static const struct netdma_backend_ops card_ops = {
	.kick = card_kick,
};

/*
 * Map or unmap one window in the card's IOMMU. IOVA as VA: an unknown
 * IOVA (RTE_BAD_IOVA, as rte_extmem_register without IOVAs gives) is the
 * address itself. Returns 0, or -1 with rte_errno set, as the vdev dma_map
 * op wants.
 */
static int
card_window(struct netdma_card *card, void *addr, uint64_t iova, size_t len,
		bool map)
{
	int ret;

	if (iova == RTE_BAD_IOVA)
		iova = (uintptr_t)addr;
	ret = map ? netdma_iommu_map(card->engine, iova, addr, len) :
		netdma_iommu_unmap(card->engine, iova, len);
	if (ret != 0) {
		NETDMA_LOG(ERR, "%s: IOMMU %s of %zu bytes at 0x%" PRIx64 ": %s",
			card->name, map ? "map" : "unmap", len, iova,
			strerror(-ret));
		rte_errno = -ret;
		return -1;
	}
	return 0;
}

/* EAL maps all of its memory for a VFIO device; this does the same for
 * the card: every DPDK memory segment at probe, later allocations and
 * frees through this callback, external memory through dma_map. */
static void
mem_event(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	card_window(arg, (void *)(uintptr_t)addr, (uintptr_t)addr, len,
		type == RTE_MEM_EVENT_ALLOC);
}

static int
map_contig(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		size_t len, void *arg)
{
	struct netdma_card *card = arg;
	int ret;

	/* External memory is mapped by its owner through rte_dev_dma_map. */
	if (msl->external)
		return 0;
	ret = netdma_iommu_map(card->engine, ms->iova, ms->addr, len);
	if (ret != 0 && ret != -EEXIST) {
		NETDMA_LOG(ERR, "%s: cannot map %zu bytes at %p: %s",
			card->name, len, ms->addr, strerror(-ret));
		return -1;
	}
	return 0;
}

static void
card_mem_detach(struct netdma_card *card)
{
	if (card->mem_cb_registered)
		rte_mem_event_callback_unregister(card->name, card);
	card->mem_cb_registered = false;
}

static int
card_mem_attach(struct netdma_card *card)
{
	int ret;

	/* Shared virtual addressing: no IOMMU to program. */
	if (card->args.sva)
		return 0;

	/* The callback is registered first so nothing allocated between the
	 * walk and the registration is missed; -EEXIST covers the overlap. */
	ret = rte_mem_event_callback_register(card->name, mem_event, card);
	if (ret == 0)
		card->mem_cb_registered = true;
	else if (rte_errno != ENOTSUP)
		return -rte_errno;
	/* ENOTSUP: --legacy-mem or --no-huge, memory never changes. */

	if (rte_memseg_contig_walk(map_contig, card) != 0) {
		card_mem_detach(card);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Which node each CPU is on, from sysfs. NETDMA_SYSFS_ROOT, a test hook,
 * names another root: a fake tree that places CPUs on nodes a machine of
 * one node does not have. It is named in the probe line when used.
 */
static void
card_topology_read(struct netdma_card *card, const char **hook)
{
	const char *root = getenv(NETDMA_SYSFS_ROOT_ENV);
	int ret;

	*hook = root;
	ret = netdma_topology_read(&card->topology,
			root != NULL ? root : "/sys");
	/* A kernel without NUMA has no node directory; a hook without one
	 * is a mistyped path, and says so. */
	if (ret == -ENOENT && root == NULL)
		ret = 0;
	if (ret != 0)
		NETDMA_LOG(WARNING, "%s: cannot read the CPU topology under %s: %s; taking every CPU to be on NUMA node 0",
			card->name, root != NULL ? root : "/sys",
			strerror(-ret));
}

/* "node 0: CPUs 0-3; node 1: CPU 8": the CPUs of cpus on each node. */
static void
cpus_by_node(const struct netdma_topology *t, const cpu_set_t *cpus,
		const cpu_set_t *nodes, char *buf, size_t len)
{
	size_t off = 0;
	int node;

	buf[0] = '\0';
	for (node = 0; node < CPU_SETSIZE && off < len; node++) {
		char list[64];
		cpu_set_t on;

		if (!CPU_ISSET(node, nodes))
			continue;
		netdma_topology_cpus_on(t, cpus, node, &on);
		netdma_set_format(&on, list, sizeof(list));
		off += snprintf(buf + off, len - off, "%snode %d: CPU%s %s",
			off ? "; " : "", node, CPU_COUNT(&on) > 1 ? "s" : "",
			list);
	}
}

/*
 * The card's node: that of its workers' CPUs, the cpu= list or, for
 * unpinned workers, the allowed set. Unpinned workers that may run on
 * several nodes leave it SOCKET_ID_ANY, and the probe line says why. A
 * cpu= list over several nodes is refused: the card's memory is on one
 * node, and the workers on the others would reach it across the
 * interconnect on every descriptor.
 */
static int
card_numa_node(struct netdma_card *card)
{
	const struct netdma_devargs *da = &card->args;
	const cpu_set_t *allowed = netdma_allowed_cpus();
	char list[64], nodes_list[64], by_node[160];
	cpu_set_t cpus, nodes;
	unsigned int i;
	int node;

	card->numa_node = SOCKET_ID_ANY;
	if (da->nb_cpus == 0 && allowed == NULL) {
		snprintf(card->numa_desc, sizeof(card->numa_desc),
			"NUMA node any (the allowed CPUs are unknown)");
		return 0;
	}
	CPU_ZERO(&cpus);
	for (i = 0; i < da->nb_cpus; i++)
		CPU_SET(da->cpus[i], &cpus);
	node = netdma_topology_nodes(&card->topology,
			da->nb_cpus > 0 ? &cpus : allowed, &nodes);
	if (node >= 0) {
		card->numa_node = node;
		snprintf(card->numa_desc, sizeof(card->numa_desc),
			"NUMA node %d", node);
		return 0;
	}
	netdma_set_format(&nodes, nodes_list, sizeof(nodes_list));
	if (da->nb_cpus == 0) {
		netdma_set_format(allowed, list, sizeof(list));
		snprintf(card->numa_desc, sizeof(card->numa_desc),
			"NUMA node any (unpinned, on CPUs %s of nodes %s)",
			list, nodes_list);
		return 0;
	}
	cpus_by_node(&card->topology, &cpus, &nodes, by_node,
		sizeof(by_node));
	NETDMA_LOG(ERR, "%s: devarg cpu: its CPUs are on %d NUMA nodes (%s); a card's workers must share one node, as its memory does: give CPUs of one node, or make a card per node",
		card->name, CPU_COUNT(&nodes), by_node);
	return -EINVAL;
}

/*
 * One line for what of the card's memory is not on its node: DPDK's (the
 * rings, status lines and device data) when DPDK has none there, the
 * engine's when libnuma cannot place it there. Never a failure: the card
 * runs, only slower.
 */
static void
card_numa_fallback_log(const struct netdma_card *card, const char *dpdk_why)
{
	bool engine = card->numa_node != SOCKET_ID_ANY &&
		netdma_engine_numa_node(card->engine) != card->numa_node;

	if (dpdk_why != NULL && engine)
		NETDMA_LOG(WARNING, "%s: NUMA node %d: DPDK has no memory there (%s), and libnuma cannot place the engine's there: the rings, status lines and engine go on any node",
			card->name, card->numa_node, dpdk_why);
	else if (dpdk_why != NULL)
		NETDMA_LOG(WARNING, "%s: NUMA node %d: DPDK has no memory there (%s): the rings and status lines go on any node",
			card->name, card->numa_node, dpdk_why);
	else if (engine)
		NETDMA_LOG(WARNING, "%s: NUMA node %d: libnuma cannot place the engine's memory there: it goes on any node",
			card->name, card->numa_node);
}

static void
card_free(struct netdma_card *card)
{
	card_mem_detach(card);
	netdma_engine_destroy(card->engine);
	free(card);
}

static int
card_engine_create(struct netdma_card *card)
{
	const struct netdma_devargs *args = &card->args;
	const char *name = card->name;
	struct netdma_engine_params params = {
		.nb_channels = args->channels,
		.nb_workers = args->workers,
		.cpus = args->cpus,
		.nb_cpus = args->nb_cpus,
		/* Not the probing thread's CPUs: it is an EAL lcore, likely
		 * pinned to one CPU, which unpinned workers would inherit. */
		.unpinned_cpus = netdma_allowed_cpus(),
		.spin_us = args->spin_us,
		.readahead = args->readahead,
		.sva = args->sva,
		.numa_node = card->numa_node,
		/* Thread names hold 15 characters: "netdma0-c0" rather than
		 * a truncated "dma_netdma-c0" that hides which instance. */
		.name = strncmp(name, "dma_", 4) == 0 ? name + 4 : name,
	};

	int err;

	card->engine = netdma_engine_create(&params);
	if (card->engine == NULL) {
		err = errno;
		NETDMA_LOG(ERR, "%s: cannot start the engine (%u worker%s%s): %s",
			name, args->workers, args->workers == 1 ? "" : "s",
			args->nb_cpus > 0 ? ", pinned by cpu=" : "",
			strerror(err));
		return -err;
	}
	return 0;
}

static int
card_create(const char *name, const struct netdma_devargs *args,
		struct netdma_card **out)
{
	struct netdma_card *card;
	const char *dpdk_why;
	const char *hook;
	int ret;

	card = calloc(1, sizeof(*card));
	if (card == NULL)
		return -ENOMEM;
	rte_strscpy(card->name, name, sizeof(card->name));
	card->args = *args;
	card_topology_read(card, &hook);
	ret = card_numa_node(card);
	if (ret == 0)
		ret = card_engine_create(card);
	if (ret != 0) {
		free(card);
		return ret;
	}
	card->mem_socket = netdma_mem_socket(card->numa_node, &dpdk_why);
	card_numa_fallback_log(card, dpdk_why);
	if (hook != NULL) {
		size_t off = strlen(card->numa_desc);

		snprintf(card->numa_desc + off, sizeof(card->numa_desc) - off,
			", CPU topology from %s=%s", NETDMA_SYSFS_ROOT_ENV,
			hook);
	}
	ret = card_mem_attach(card);
	if (ret != 0) {
		card_free(card);
		return ret;
	}
	*out = card;
	return 0;
}

/* Remove the card's dmadevs, last first; stops at the first that fails,
 * so that removal can be tried again. */
static int
card_channels_destroy(struct netdma_card *card, unsigned int nb)
{
	char name[RTE_DEV_NAME_MAX_LEN];
	int ret;

	while (nb-- > 0) {
		ret = chan_dmadev_name(card, nb, name, sizeof(name));
		if (ret == 0)
			ret = netdma_dmadev_destroy(name);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int
card_channels_create(struct netdma_card *card, struct rte_device *device)
{
	char name[RTE_DEV_NAME_MAX_LEN];
	unsigned int c;
	int ret;

	for (c = 0; c < card->args.channels; c++) {
		const struct netdma_chan_hw hw = {
			.bar = netdma_engine_bar(card->engine),
			.chan = (uint16_t)c,
			.irq_fd = netdma_engine_irq_fd(card->engine, c),
			.numa_node = card->numa_node,
			.mem_socket = card->mem_socket,
			.topology = &card->topology,
			.ops = &card_ops,
			.card = card,
		};

		ret = chan_dmadev_name(card, c, name, sizeof(name));
		if (ret == 0)
			ret = netdma_dmadev_create(name, device, &hw,
					&card->args);
		if (ret != 0) {
			card_channels_destroy(card, c);
			return ret;
		}
	}
	return 0;
}

static int
netdma_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct netdma_card *card = NULL;
	struct netdma_devargs args;
	char desc[256];
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		NETDMA_LOG(ERR, "%s: secondary processes are not supported",
			name);
		return -ENOTSUP;
	}
	if (rte_eal_iova_mode() != RTE_IOVA_VA) {
		NETDMA_LOG(ERR, "%s: needs IOVA as VA mode (--iova-mode=va)",
			name);
		return -EINVAL;
	}
	ret = netdma_devargs_parse(name, rte_vdev_device_args(vdev), &args);
	if (ret != 0)
		return ret;
	ret = card_create(name, &args, &card);
	if (ret != 0)
		return ret;
	ret = card_channels_create(card, &vdev->device);
	if (ret != 0) {
		card_free(card);
		return ret;
	}
	/* rte_dma_info_get(), and so telemetry, report the rte_device's
	 * node, which the vdev bus leaves at SOCKET_ID_ANY. */
	vdev->device.numa_node = card->numa_node;
	TAILQ_INSERT_TAIL(&netdma_cards, card, next);
	netdma_devargs_describe(&args, desc, sizeof(desc));
	NETDMA_LOG(INFO, "%s: probed, %s, %s", name, desc, card->numa_desc);
	return 0;
}

static int
netdma_remove(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct netdma_card *card = card_find(name);
	int ret;

	if (card == NULL)
		return -ENODEV;
	/* Closes the dmadevs the application did not. A failure leaves
	 * the card plugged in, so that removal can be tried again. */
	ret = card_channels_destroy(card, card->args.channels);
	if (ret != 0)
		return ret;
	TAILQ_REMOVE(&netdma_cards, card, next);
	card_free(card);
	return 0;
}

/* vdev dma_map/dma_unmap: external memory an application registered. */
static int
vdev_window(struct rte_vdev_device *vdev, void *addr, uint64_t iova,
		size_t len, bool map)
{
	struct netdma_card *card = card_find(rte_vdev_device_name(vdev));

	if (card == NULL) {
		rte_errno = ENODEV;
		return -1;
	}
	return card_window(card, addr, iova, len, map);
}

static int
netdma_dma_map(struct rte_vdev_device *vdev, void *addr, uint64_t iova,
		size_t len)
{
	return vdev_window(vdev, addr, iova, len, true);
}

static int
netdma_dma_unmap(struct rte_vdev_device *vdev, void *addr, uint64_t iova,
		size_t len)
{
	return vdev_window(vdev, addr, iova, len, false);
}

static struct rte_vdev_driver netdma_vdev_drv = {
	.probe = netdma_probe,
	.remove = netdma_remove,
	.dma_map = netdma_dma_map,
	.dma_unmap = netdma_dma_unmap,
	.drv_flags = RTE_VDEV_DRV_NEED_IOVA_AS_VA,
};

RTE_PMD_REGISTER_VDEV(dma_netdma, netdma_vdev_drv);
RTE_PMD_REGISTER_PARAM_STRING(dma_netdma,
	"channels=<1..31> workers=<1..channels> cpu=<CPU or [list]> "
	"weight=<1..255 or [list]> sva=<0|1> spin_us=<0..1000000> "
	"status_stride=<0 or a power of 2> intr_delay_us=<0..65535> "
	"direct_desc=<0|1> readahead=<auto|on|off>");
