/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The dmadev control path of one NetDMA channel: creation from what a
 * backend hands over, and the dmadev ops. Hardware-agnostic: the channel
 * is reached only through its registers (netdma_regs.h), ring, status line
 * and interrupt fd.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_bitops.h>
#include <rte_cycles.h>
#include <rte_dmadev_pmd.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_string_fns.h>

#include "netdma_internal.h"

RTE_LOG_REGISTER_DEFAULT(netdma_logtype, INFO);

#define NETDMA_CMD_TIMEOUT_MS	1000

/* Every netdma dmadev, so that the driver API can tell its own devices
 * from others by what it created rather than by guesswork. */
struct netdma_dev_entry {
	TAILQ_ENTRY(netdma_dev_entry) next;
	int16_t dev_id;
	struct netdma_dev *nd;
};
static TAILQ_HEAD(, netdma_dev_entry) netdma_dev_list =
	TAILQ_HEAD_INITIALIZER(netdma_dev_list);

struct netdma_dev *
netdma_dev_get(int16_t dev_id)
{
	struct netdma_dev_entry *e;

	TAILQ_FOREACH(e, &netdma_dev_list, next)
		if (e->dev_id == dev_id)
			return e->nd;
	return NULL;
}

/*
 * The socket to ask DPDK for a device's memory on, for a device on node:
 * the node itself where DPDK has memory there, else SOCKET_ID_ANY with
 * *why saying why not, since a device must not fail for want of local
 * memory, only run slower. One small allocation tells, through the memory
 * segment it lands in: with --no-huge every request is served from
 * socket 0's memory whatever socket it names, and on a node without
 * hugepages the request fails.
 */
int
netdma_mem_socket(int node, const char **why)
{
	const struct rte_memseg_list *msl = NULL;
	void *p;

	*why = NULL;
	if (node == SOCKET_ID_ANY)
		return SOCKET_ID_ANY;
	p = rte_malloc_socket(NULL, RTE_CACHE_LINE_SIZE, RTE_CACHE_LINE_SIZE,
			node);
	if (p != NULL)
		msl = rte_mem_virt2memseg_list(p);
	rte_free(p);
	if (msl != NULL && msl->socket_id == node)
		return node;
	*why = rte_eal_has_hugepages() ? "no hugepages there" :
		"--no-huge keeps all of it on socket 0";
	return SOCKET_ID_ANY;
}

/*
 * Post a command and wait for the engine to clear CHANCMD. One that times
 * out is taken back: the caller reports the failure and goes on using the
 * channel as it was, so the engine must not act on it later (a late RESET
 * would empty the ring and zero DMACOUNT under a running driver).
 */
int
netdma_chan_command(struct netdma_dev *nd, uint8_t cmd)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * NETDMA_CMD_TIMEOUT_MS / 1000;

	netdma_chancmd_write(nd->regs, cmd);
	while (netdma_chancmd(nd->regs) != 0) {
		if (rte_get_timer_cycles() > deadline) {
			if (!netdma_chancmd_withdraw(nd->regs, cmd))
				return 0;	/* acknowledged just now */
			NETDMA_LOG(ERR, "%s: command 0x%x not acknowledged; withdrawn",
				nd->name, cmd);
			return -ETIMEDOUT;
		}
		netdma_kick(nd);
		rte_pause();
	}
	return 0;
}

static unsigned int
ring_min(const struct netdma_dev *nd)
{
	return 1u << netdma_bar_read8(nd->hw.bar, NETDMA_REG_RING_LOG2);
}

static unsigned int
ring_max(const struct netdma_dev *nd)
{
	return 1u << netdma_bar_read8(nd->hw.bar, NETDMA_REG_RING_LOG2_MAX);
}

static uint32_t
card_cap(const struct netdma_dev *nd)
{
	return netdma_bar_read32(nd->hw.bar, NETDMA_REG_CAP);
}

static int
netdma_info_get(const struct rte_dma_dev *dev, struct rte_dma_info *info,
		uint32_t info_sz __rte_unused)
{
	struct netdma_dev *nd = dev->data->dev_private;
	uint32_t cap = card_cap(nd);

	info->dev_capa = RTE_DMA_CAPA_MEM_TO_MEM | RTE_DMA_CAPA_OPS_COPY |
		RTE_DMA_CAPA_OPS_FILL | RTE_DMA_CAPA_HANDLES_ERRORS;
	if (cap & NETDMA_CAP_COPY_SG) {
		info->dev_capa |= RTE_DMA_CAPA_OPS_COPY_SG;
		info->max_sges = netdma_bar_read8(nd->hw.bar,
				NETDMA_REG_MAX_SGES);
	}
	if (cap & NETDMA_CAP_SVA)
		info->dev_capa |= RTE_DMA_CAPA_SVA;
#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
	info->dev_capa |= RTE_DMA_CAPA_OPS_ENQ_DEQ;
#endif
#ifdef RTE_DMA_CAPA_PRI_POLICY_SP
	/* Strict priority among the channels one engine worker serves. */
	info->dev_capa |= RTE_DMA_CAPA_PRI_POLICY_SP;
	info->nb_priorities = netdma_bar_read8(nd->hw.bar,
			NETDMA_REG_ARB_PRIOS);
#endif
	info->max_vchans = 1;
	info->min_desc = ring_min(nd);
	info->max_desc = ring_max(nd);
	info->nb_vchans = dev->data->dev_conf.nb_vchans;
	return 0;
}

/*
 * rte_dma_configure() has refused more vchans than max_vchans, and silent
 * mode, which the capabilities do not offer: what is left to take is what
 * newer DPDKs add (nothing, before 24.11).
 */
static int
netdma_configure(struct rte_dma_dev *dev,
		const struct rte_dma_conf *conf __rte_unused,
		uint32_t conf_sz __rte_unused)
{
	struct netdma_dev *nd __rte_unused = dev->data->dev_private;

#ifdef RTE_DMA_CAPA_PRI_POLICY_SP
	nd->priority = conf->priority;
#endif
#ifdef RTE_DMA_CFG_FLAG_ENQ_DEQ
	nd->enq_deq = (conf->flags & RTE_DMA_CFG_FLAG_ENQ_DEQ) != 0;
#endif
	return 0;
}

static void
ring_free(struct netdma_dev *nd)
{
	rte_free(nd->ring);
	nd->ring = NULL;
	rte_free(nd->sg);
	nd->sg = NULL;
#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
	rte_free(nd->ops);
	nd->ops = NULL;
#endif
}

/* The ring, each slot's pair of COPY_SG lists, and (25.11) each slot's
 * op for enqueue_ops; false, with none kept, if any allocation fails. */
static bool
ring_alloc(struct netdma_dev *nd, uint16_t nb_desc, int socket)
{
	nd->ring = rte_zmalloc_socket(nd->name,
			nb_desc * sizeof(struct netdma_desc),
			NETDMA_DESC_ALIGN, socket);
	nd->sg = rte_zmalloc_socket(nd->name, (size_t)nb_desc * 2 *
			NETDMA_MAX_SGES * sizeof(struct netdma_sge),
			RTE_CACHE_LINE_SIZE, socket);
	if (nd->ring == NULL || nd->sg == NULL)
		goto fail;
#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
	nd->ops = rte_zmalloc_socket(nd->name, nb_desc * sizeof(*nd->ops),
			RTE_CACHE_LINE_SIZE, socket);
	if (nd->ops == NULL)
		goto fail;
#endif
	return true;
fail:
	ring_free(nd);
	return false;
}

static int
netdma_vchan_setup(struct rte_dma_dev *dev, uint16_t vchan __rte_unused,
		const struct rte_dma_vchan_conf *conf,
		uint32_t conf_sz __rte_unused)
{
	struct netdma_dev *nd = dev->data->dev_private;
	unsigned int min_desc = ring_min(nd), max_desc = ring_max(nd);
	uint16_t nb_desc = conf->nb_desc;

	/* rte_dma_vchan_setup() has refused directions other than
	 * mem-to-mem (the only one in the capabilities) and a count outside
	 * [min_desc, max_desc]: what is left is the ring's power of two. */
	if (!rte_is_power_of_2(nb_desc)) {
		NETDMA_LOG(ERR, "%s: nb_desc %u invalid: need a power of two in [%u, %u]",
			nd->name, nb_desc, min_desc, max_desc);
		return -EINVAL;
	}
	if (nd->args.status_stride > nb_desc) {
		NETDMA_LOG(ERR, "%s: status_stride %u exceeds nb_desc %u",
			nd->name, nd->args.status_stride, nb_desc);
		return -EINVAL;
	}

	ring_free(nd);
	if (!ring_alloc(nd, nb_desc, nd->hw.mem_socket)) {
		NETDMA_LOG(ERR, "%s: cannot allocate %u descriptors and their segment lists",
			nd->name, nb_desc);
		return -ENOMEM;
	}
	nd->nb_desc = nb_desc;
	nd->mask = nb_desc - 1;
	nd->ring_iova = rte_malloc_virt2iova(nd->ring);
	nd->sg_iova = rte_malloc_virt2iova(nd->sg);
	return 0;
}

/* Chain the ring into a circle and point "last processed" at its final
 * slot, so slot 0 is the next the engine runs. */
static void
ring_reset(struct netdma_dev *nd)
{
	uint16_t i;

	for (i = 0; i < nd->nb_desc; i++) {
		struct netdma_desc *d = &nd->ring[i];

		memset(d, 0, sizeof(*d));
		d->next = slot_iova(nd, i + 1);
	}
	status_line_write(nd, slot_iova(nd, nd->mask) | NETDMA_STS_IDLE);
	nd->next_write = 0;
	nd->next_read = 0;
	nd->next_submit = 0;
	if (nd->args.status_stride != 0) {
		nd->status_stride_mask = (uint16_t)(nd->args.status_stride - 1);
		nd->status_stride_match = nd->status_stride_mask;
	} else {
		nd->status_stride_mask = 0;
		nd->status_stride_match = 1;
	}
}

/*
 * An application lcore on another node than the device writes the ring
 * and reads the status line across the interconnect on every descriptor:
 * said once per start, a cost the application may not know it pays.
 */
static void
numa_lcores_check(const struct netdma_dev *nd)
{
	int node = nd->dmadev->data->numa_node;
	char lcore_list[128], node_list[64], cpus[64];
	cpu_set_t lcores, nodes, on;
	unsigned int lcore;
	int nb_lcores;

	if (node == SOCKET_ID_ANY || nd->hw.topology == NULL)
		return;
	CPU_ZERO(&lcores);
	CPU_ZERO(&nodes);
	RTE_LCORE_FOREACH(lcore) {
		rte_cpuset_t set = rte_lcore_cpuset(lcore);

		netdma_topology_nodes(nd->hw.topology, &set, &on);
		CPU_CLR(node, &on);
		if (CPU_COUNT(&on) == 0)
			continue;
		CPU_SET(lcore, &lcores);
		CPU_OR(&nodes, &nodes, &on);
	}
	nb_lcores = CPU_COUNT(&lcores);
	if (nb_lcores == 0)
		return;
	netdma_set_format(&lcores, lcore_list, sizeof(lcore_list));
	netdma_set_format(&nodes, node_list, sizeof(node_list));
	netdma_devargs_cpus(&nd->args, cpus, sizeof(cpus));
	NETDMA_LOG(WARNING, "%s: lcore%s %s run%s on NUMA node%s %s, the engine (%s)%s on node %d: every descriptor crosses between nodes",
		nd->name, nb_lcores > 1 ? "s" : "", lcore_list,
		nb_lcores > 1 ? "" : "s", CPU_COUNT(&nodes) > 1 ? "s" : "",
		node_list, cpus,
		nd->hw.mem_socket == node ? " and its rings are" : " is",
		node);
}

static int
netdma_start(struct rte_dma_dev *dev)
{
	struct netdma_dev *nd = dev->data->dev_private;
	int ret;

	if (nd->ring == NULL) {
		NETDMA_LOG(ERR, "%s: start before vchan_setup", nd->name);
		return -EINVAL;
	}
	ret = netdma_chan_command(nd, NETDMA_CMD_RESET);
	if (ret != 0)
		return ret;

	ring_reset(nd);
	memset(&nd->shadow, 0, sizeof(nd->shadow));
	netdma_arb_write(nd->regs, nd->args.weight[nd->hw.chan],
			(uint8_t)nd->priority);
	netdma_chainaddr_write(nd->regs, nd->ring_iova);
	/* Coalescing: one interrupt for whatever completes in this window. */
	netdma_intrdelay_write(nd->regs, (uint16_t)nd->args.intr_delay_us);
	netdma_chancmp_write(nd->regs, rte_malloc_virt2iova(
			(const void *)(uintptr_t)nd->status));
	netdma_chanctrl_write(nd->regs, NETDMA_CTRL_ERR_COMPL_EN |
			NETDMA_CTRL_STATUS_ON_IDLE);

	netdma_intr_reset(nd);
	nd->halt_seen = 0;
	netdma_fp_install(dev);
	__atomic_store_n(&nd->running, true, __ATOMIC_SEQ_CST);
	numa_lcores_check(nd);
	return 0;
}

/*
 * RESET drops the work in flight, mid-descriptor if need be, within one
 * engine slice. Nothing changes here until the engine has taken it, so a
 * stop that fails leaves a started device that a retry can stop.
 */
static int
netdma_stop(struct rte_dma_dev *dev)
{
	struct netdma_dev *nd = dev->data->dev_private;
	int ret;

	ret = netdma_chan_command(nd, NETDMA_CMD_RESET);
	if (ret != 0) {
		NETDMA_LOG(ERR, "%s: cannot stop: the channel did not take RESET; the device is still started",
			nd->name);
		return ret;
	}
	netdma_fp_install_stopped(dev);
	/* The store half of the stop/sleep handshake (netdma_intr.c). */
	__atomic_store_n(&nd->running, false, __ATOMIC_SEQ_CST);
	netdma_intr_quiesce(nd);
	return 0;
}

static void
registry_remove(int16_t dev_id)
{
	struct netdma_dev_entry *e;

	TAILQ_FOREACH(e, &netdma_dev_list, next)
		if (e->dev_id == dev_id) {
			TAILQ_REMOVE(&netdma_dev_list, e, next);
			free(e);
			return;
		}
}

static int
netdma_close(struct rte_dma_dev *dev)
{
	struct netdma_dev *nd = dev->data->dev_private;

	registry_remove(dev->data->dev_id);
	netdma_intr_teardown(nd);
	rte_free((void *)(uintptr_t)nd->status);
	nd->status = NULL;
	ring_free(nd);
	return 0;
}

static int
netdma_stats_get(const struct rte_dma_dev *dev, uint16_t vchan __rte_unused,
		struct rte_dma_stats *stats, uint32_t stats_sz __rte_unused)
{
	const struct netdma_dev *nd = dev->data->dev_private;

	stats->submitted = nd->submitted;
	stats->completed = nd->completed;
	stats->errors = nd->errors;
	return 0;
}

static int
netdma_stats_reset(struct rte_dma_dev *dev, uint16_t vchan __rte_unused)
{
	struct netdma_dev *nd = dev->data->dev_private;

	nd->submitted = 0;
	nd->completed = 0;
	nd->errors = 0;
	return 0;
}

/*
 * ACTIVE while the engine owes us descriptors: its processed count lags
 * what we submitted, or a RESUME we posted is not yet taken. The status
 * line, as the driver last left it, decides HALTED: a halt we already
 * handled must not read as one.
 */
static int
netdma_vchan_status(const struct rte_dma_dev *dev, uint16_t vchan __rte_unused,
		enum rte_dma_vchan_status *status)
{
	const struct netdma_dev *nd = dev->data->dev_private;

	if (!dev->data->dev_started || nd->status == NULL) {
		*status = RTE_DMA_VCHAN_IDLE;
		return 0;
	}
	if (netdma_sts_state(status_line_read(nd)) == NETDMA_STS_HALTED) {
		*status = RTE_DMA_VCHAN_HALTED_ERROR;
		return 0;
	}
	if (netdma_chancmd(nd->regs) != 0) {
		*status = RTE_DMA_VCHAN_ACTIVE;
		return 0;
	}
	/* A halt that could not write the status line shows only here. */
	if (netdma_sts_state(netdma_chansts(nd->regs)) == NETDMA_STS_HALTED) {
		*status = RTE_DMA_VCHAN_HALTED_ERROR;
		return 0;
	}
	*status = (uint16_t)netdma_completed_count(nd->regs) !=
		nd->next_submit ? RTE_DMA_VCHAN_ACTIVE : RTE_DMA_VCHAN_IDLE;
	return 0;
}

static const char *
state_name(unsigned int state)
{
	static const char * const names[] = {
		[NETDMA_STS_ACTIVE] = "ACTIVE",
		[NETDMA_STS_IDLE] = "IDLE",
		[NETDMA_STS_SUSPENDED] = "SUSPENDED",
		[NETDMA_STS_HALTED] = "HALTED",
	};

	return state < RTE_DIM(names) && names[state] ? names[state] : "?";
}

static void
dump_chanerr(FILE *f, uint32_t chanerr)
{
	static const struct {
		uint32_t bit;
		const char *what;
	} errs[] = {
		{ NETDMA_CHANERR_SRC_ADDR, "invalid source address" },
		{ NETDMA_CHANERR_DST_ADDR, "invalid destination address" },
		{ NETDMA_CHANERR_LENGTH, "invalid length" },
		{ NETDMA_CHANERR_DESC_READ, "descriptor read error" },
		{ NETDMA_CHANERR_DESC_OPCODE, "invalid op code or flags" },
		{ NETDMA_CHANERR_CMP_ADDR, "completion address not writable" },
		{ NETDMA_CHANERR_OVERLAP, "source and destination overlap" },
		{ NETDMA_CHANERR_PAGE_FAULT, "page fault" },
	};
	unsigned int i;

	fprintf(f, "  CHANERR      0x%08x", chanerr);
	for (i = 0; i < RTE_DIM(errs); i++)
		if (chanerr & errs[i].bit)
			fprintf(f, " [%s]", errs[i].what);
	fprintf(f, "\n");
}

static void
dump_desc(FILE *f, const struct netdma_dev *nd, uint16_t id)
{
	static const char * const ops[] = {
		[NETDMA_OP_COPY] = "copy",
		[NETDMA_OP_FILL] = "fill",
		[NETDMA_OP_COPY_SG] = "copy_sg",
	};
	const struct netdma_desc *d = &nd->ring[id & nd->mask];
	uint32_t ctrl = d->ctrl;
	uint32_t op = ctrl >> NETDMA_DESC_OP_SHIFT;

	fprintf(f, "    id %5u: %-7s %10u bytes%s%s%s%s\n", id,
		op < RTE_DIM(ops) && ops[op] ? ops[op] : "?", d->size,
		(ctrl & NETDMA_DESC_FENCE) ? " FENCE" : "",
		(ctrl & NETDMA_DESC_STATUS_UPDATE) ? " STATUS_UPDATE" : "",
		(ctrl & NETDMA_DESC_INT_ON_COMPL) ? " INT_ON_COMPL" : "",
		(ctrl & NETDMA_DESC_NULL) ? " NULL" : "");
}

/* Descriptors written but not yet handed to the engine: the driver's
 * alone, so reading them races with nothing. */
static void
dump_unsubmitted(const struct netdma_dev *nd, FILE *f)
{
	uint16_t n = nd->next_write - nd->next_submit, i;

	if (n == 0)
		return;
	fprintf(f, "  unsubmitted descriptors:%s\n",
		n > 8 ? " (the last 8)" : "");
	for (i = n > 8 ? n - 8 : 0; i < n; i++)
		dump_desc(f, nd, nd->next_submit + i);
}

/* The device's node, and the socket its status line landed on. */
static void
dump_numa(FILE *f, const struct netdma_dev *nd, int node)
{
	const struct rte_memseg_list *msl = rte_mem_virt2memseg_list(
			(const void *)(uintptr_t)nd->status);

	fprintf(f, "  NUMA         node %d, memory on socket %d\n", node,
		msl != NULL ? msl->socket_id : SOCKET_ID_ANY);
}

static int
netdma_dump(const struct rte_dma_dev *dev, FILE *f)
{
	const struct netdma_dev *nd = dev->data->dev_private;
	netdma_regs_t *regs = nd->regs;
	uint64_t sts = netdma_chansts(regs);
	char args[256];

	netdma_devargs_describe(&nd->args, args, sizeof(args));
	fprintf(f, "netdma %s: channel %u, %s\n", nd->name, nd->hw.chan, args);
	dump_numa(f, nd, dev->data->numa_node);
	fprintf(f, "  CHANCTRL     0x%04x  INTRDELAY %u us\n",
		netdma_chanctrl(regs), netdma_intrdelay(regs));
	fprintf(f, "  DMACOUNT     %u\n", netdma_dmacount(regs));
	fprintf(f, "  CHANSTS      0x%016" PRIx64 " (%s, last desc 0x%" PRIx64 ")\n",
		sts, state_name(netdma_sts_state(sts)), netdma_sts_addr(sts));
	fprintf(f, "  CHAINADDR    0x%016" PRIx64 "\n", netdma_chainaddr(regs));
	fprintf(f, "  CHANCMP      0x%016" PRIx64 "\n", netdma_chancmp(regs));
	dump_chanerr(f, netdma_chanerr(regs));
	fprintf(f, "  ERRDESC      0x%016" PRIx64 "  ERRADDR 0x%016" PRIx64 "\n",
		netdma_errdesc(regs), netdma_erraddr(regs));
	fprintf(f, "  ARB          weight %u, priority %u\n",
		netdma_arb_weight(regs), netdma_arb_prio(regs));
	fprintf(f, "  COMPLETED    %" PRIu64 "\n",
		netdma_completed_count(regs));
	if (nd->ring == NULL) {
		fprintf(f, "  ring: not set up\n");
		return 0;
	}
	fprintf(f, "  ring: %u descriptors at iova 0x%" PRIx64 "\n",
		nd->nb_desc, nd->ring_iova);
	/* in flight as rte_pmd_netdma_inflight() counts: submitted ops */
	fprintf(f, "  ids: next write %u, next submit %u, next read %u, in flight %u, not submitted %u\n",
		nd->next_write, nd->next_submit, nd->next_read,
		(uint16_t)(nd->next_submit - nd->next_read),
		(uint16_t)(nd->next_write - nd->next_submit));
	if (nd->status != NULL)
		fprintf(f, "  status line  0x%016" PRIx64 "\n",
			status_line_read(nd));
	dump_unsubmitted(nd, f);
	fprintf(f, "  stats: submitted %" PRIu64 ", completed %" PRIu64
		", errors %" PRIu64 "\n", nd->submitted, nd->completed,
		nd->errors);
	return 0;
}

static const struct rte_dma_dev_ops netdma_ops = {
	.dev_info_get = netdma_info_get,
	.dev_configure = netdma_configure,
	.dev_start = netdma_start,
	.dev_stop = netdma_stop,
	.dev_close = netdma_close,
	.vchan_setup = netdma_vchan_setup,
	.stats_get = netdma_stats_get,
	.stats_reset = netdma_stats_reset,
	.vchan_status = netdma_vchan_status,
	.dev_dump = netdma_dump,
};

/* Release a dmadev that never made it into the registry. */
static void
dmadev_discard(struct rte_dma_dev *dev, const char *name)
{
	netdma_close(dev);
	rte_dma_pmd_release(name);
}

int
netdma_dmadev_create(const char *name, struct rte_device *device,
		const struct netdma_chan_hw *hw,
		const struct netdma_devargs *args)
{
	struct netdma_dev_entry *entry;
	struct rte_dma_dev *dev;
	struct netdma_dev *nd;
	int ret;

	/* The private data goes where the rest of its memory does; the
	 * node the device reports is the card's all the same. */
	dev = rte_dma_pmd_allocate(name, hw->mem_socket, sizeof(*nd));
	if (dev == NULL) {
		NETDMA_LOG(ERR, "%s: cannot allocate a dmadev (name taken, or more than RTE_DMADEV_DEFAULT_MAX devices?)",
			name);
		return -ENOMEM;
	}
	dev->data->numa_node = hw->numa_node;
	dev->device = device;
	dev->dev_ops = &netdma_ops;
	nd = dev->data->dev_private;
	nd->dmadev = dev;
	nd->hw = *hw;
	nd->kick = hw->ops->kick;
	nd->kick_card = hw->card;
	nd->kick_chan = hw->chan;
	nd->args = *args;
	nd->regs = netdma_chan_regs(hw->bar, hw->chan);
	rte_strscpy(nd->name, name, sizeof(nd->name));

	/* The status line gets a cache line of its own: only the engine
	 * writes it, and the poller should miss on nothing else. */
	nd->status = rte_zmalloc_socket(name, RTE_CACHE_LINE_SIZE,
			RTE_CACHE_LINE_SIZE, hw->mem_socket);
	entry = malloc(sizeof(*entry));
	if (nd->status == NULL || entry == NULL)
		ret = -ENOMEM;
	else
		ret = netdma_intr_setup(nd);
	if (ret != 0) {
		free(entry);
		dmadev_discard(dev, name);
		return ret;
	}
	entry->dev_id = dev->data->dev_id;
	entry->nd = nd;
	TAILQ_INSERT_TAIL(&netdma_dev_list, entry, next);

	netdma_fp_install_stopped(dev);
	dev->state = RTE_DMA_DEV_READY;
	return 0;
}

int
netdma_dmadev_destroy(const char *name)
{
	int id = rte_dma_get_dev_id_by_name(name);
	struct netdma_dev *nd = netdma_dev_get(id);
	int ret;

	if (nd == NULL)
		return 0;	/* the application closed it already */
	/* dmadev refuses to close a started device: stop it first. */
	if (nd->dmadev->data->dev_started) {
		ret = rte_dma_stop(id);
		if (ret != 0) {
			NETDMA_LOG(ERR, "%s: cannot stop for removal: %s",
				name, strerror(-ret));
			return ret;
		}
	}
	ret = rte_dma_pmd_release(name);
	if (ret != 0)
		NETDMA_LOG(ERR, "%s: cannot release: %s", name,
			strerror(-ret));
	return ret;
}
