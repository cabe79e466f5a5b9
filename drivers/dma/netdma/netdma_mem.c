/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * What the engine may touch. EAL maps all of its memory for a VFIO device;
 * this does the same for the engine's IOMMU: every DPDK memory segment at
 * attach, later allocations and frees through the memory event callback,
 * and external memory through the vdev dma_map op (netdma_dmadev.c).
 */

#include <inttypes.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memory.h>

#include "netdma_engine.h"
#include "netdma_internal.h"

static int
map_contig(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		size_t len, void *arg)
{
	struct netdma_dev *nd = arg;
	int ret;

	/* External memory is mapped by its owner through rte_dev_dma_map. */
	if (msl->external)
		return 0;
	ret = netdma_iommu_map(nd->engine, ms->iova, ms->addr, len);
	if (ret != 0 && ret != -EEXIST) {
		NETDMA_LOG(ERR, "%s: cannot map %zu bytes at %p: %s", nd->name,
			len, ms->addr, strerror(-ret));
		return -1;
	}
	return 0;
}

/*
 * Map or unmap one window. IOVA as VA: an unknown IOVA (RTE_BAD_IOVA, as
 * rte_extmem_register without IOVAs gives) is the address itself.
 * Returns 0, or -1 with rte_errno set, as the vdev dma_map op wants.
 */
int
netdma_mem_window(struct netdma_dev *nd, void *addr, uint64_t iova,
		size_t len, bool map)
{
	int ret;

	if (iova == RTE_BAD_IOVA)
		iova = (uintptr_t)addr;
	ret = map ? netdma_iommu_map(nd->engine, iova, addr, len) :
		netdma_iommu_unmap(nd->engine, iova, len);
	if (ret != 0) {
		NETDMA_LOG(ERR, "%s: IOMMU %s of %zu bytes at 0x%" PRIx64 ": %s",
			nd->name, map ? "map" : "unmap", len, iova,
			strerror(-ret));
		rte_errno = -ret;
		return -1;
	}
	return 0;
}

static void
mem_event(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	netdma_mem_window(arg, (void *)(uintptr_t)addr, (uintptr_t)addr, len,
		type == RTE_MEM_EVENT_ALLOC);
}

int
netdma_mem_attach(struct netdma_dev *nd)
{
	int ret;

	/* The callback is registered first so nothing allocated between the
	 * walk and the registration is missed; -EEXIST covers the overlap. */
	ret = rte_mem_event_callback_register(nd->name, mem_event, nd);
	if (ret == 0)
		nd->mem_cb_registered = true;
	else if (rte_errno != ENOTSUP)
		return -rte_errno;
	/* ENOTSUP: --legacy-mem or --no-huge, memory never changes. */

	if (rte_memseg_contig_walk(map_contig, nd) != 0) {
		netdma_mem_detach(nd);
		return -ENOMEM;
	}
	return 0;
}

void
netdma_mem_detach(struct netdma_dev *nd)
{
	if (nd->mem_cb_registered)
		rte_mem_event_callback_unregister(nd->name, nd);
	nd->mem_cb_registered = false;
}
