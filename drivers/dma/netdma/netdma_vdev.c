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

struct netdma_card {
	TAILQ_ENTRY(netdma_card) next;
	struct netdma_engine *engine;
	struct netdma_devargs args;
	bool mem_cb_registered;
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

static void
card_free(struct netdma_card *card)
{
	card_mem_detach(card);
	netdma_engine_destroy(card->engine);
	free(card);
}

static int
card_create(const char *name, const struct netdma_devargs *args,
		struct netdma_card **out)
{
	struct netdma_engine_params params = {
		.nb_channels = args->channels,
		.nb_workers = args->workers,
		.cpus = args->cpus,
		.nb_cpus = args->nb_cpus,
		/* Not the probing thread's CPUs: it is an EAL lcore, likely
		 * pinned to one CPU, which unpinned workers would inherit. */
		.unpinned_cpus = netdma_allowed_cpus(),
		.spin_us = args->spin_us,
		.sva = args->sva,
		/* Thread names hold 15 characters: "netdma0-c0" rather than
		 * a truncated "dma_netdma-c0" that hides which instance. */
		.name = strncmp(name, "dma_", 4) == 0 ? name + 4 : name,
	};
	struct netdma_card *card;
	int ret;

	card = calloc(1, sizeof(*card));
	if (card == NULL)
		return -ENOMEM;
	rte_strscpy(card->name, name, sizeof(card->name));
	card->args = *args;
	card->engine = netdma_engine_create(&params);
	if (card->engine == NULL) {
		ret = -errno;
		NETDMA_LOG(ERR, "%s: cannot start the engine (%u worker%s%s): %s",
			name, args->workers, args->workers == 1 ? "" : "s",
			args->nb_cpus > 0 ? ", pinned by cpu=" : "",
			strerror(errno));
		free(card);
		return ret;
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
			.numa_node = rte_socket_id(),
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
	TAILQ_INSERT_TAIL(&netdma_cards, card, next);
	netdma_devargs_describe(&args, desc, sizeof(desc));
	NETDMA_LOG(INFO, "%s: probed, %s", name, desc);
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
	"direct_desc=<0|1>");
