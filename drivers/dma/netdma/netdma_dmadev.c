/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/* Control path: vdev probe/remove, devargs, and the dmadev ops. */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_bitops.h>
#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_dmadev_pmd.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_kvargs.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "netdma_engine.h"
#include "netdma_internal.h"

RTE_LOG_REGISTER_DEFAULT(netdma_logtype, INFO);

#define NETDMA_ARG_CPU		"cpu"
#define NETDMA_ARG_SPIN_US	"spin_us"
#define NETDMA_ARG_STATUS_STRIDE "status_stride"
#define NETDMA_ARG_INTR_DELAY	"intr_delay_us"
#define NETDMA_ARG_DIRECT_DESC	"direct_desc"

static const char * const netdma_valid_args[] = {
	NETDMA_ARG_CPU,
	NETDMA_ARG_SPIN_US,
	NETDMA_ARG_STATUS_STRIDE,
	NETDMA_ARG_INTR_DELAY,
	NETDMA_ARG_DIRECT_DESC,
	NULL
};

#define NETDMA_CMD_TIMEOUT_MS	1000

static inline uint8_t
bar_read8(struct netdma_dev *nd, unsigned int off)
{
	return ((volatile uint8_t *)netdma_engine_bar(nd->engine))[off];
}

static inline uint32_t
bar_read32(struct netdma_dev *nd, unsigned int off)
{
	return *(volatile uint32_t *)((volatile uint8_t *)
			netdma_engine_bar(nd->engine) + off);
}

/* Post a command and wait for the engine to clear CHANCMD. */
int
netdma_chan_command(struct netdma_dev *nd, uint8_t cmd)
{
	volatile struct netdma_chan_regs *regs = nd->regs;
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * NETDMA_CMD_TIMEOUT_MS / 1000;

	__atomic_store_n(&regs->chancmd, cmd, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&regs->chancmd, __ATOMIC_ACQUIRE) != 0) {
		if (rte_get_timer_cycles() > deadline) {
			NETDMA_LOG(ERR, "%s: command 0x%x not acknowledged",
				nd->name, cmd);
			return -ETIMEDOUT;
		}
		netdma_engine_kick(regs);
		rte_pause();
	}
	return 0;
}

static int
netdma_info_get(const struct rte_dma_dev *dev, struct rte_dma_info *info,
		uint32_t info_sz __rte_unused)
{
	struct netdma_dev *nd = dev->data->dev_private;

	info->dev_capa = RTE_DMA_CAPA_MEM_TO_MEM | RTE_DMA_CAPA_OPS_COPY |
		RTE_DMA_CAPA_OPS_FILL | RTE_DMA_CAPA_HANDLES_ERRORS;
	info->max_vchans = 1;
	info->min_desc = 1u << bar_read8(nd, NETDMA_REG_RING_LOG2);
	info->max_desc = 1u << bar_read8(nd, NETDMA_REG_RING_LOG2_MAX);
	info->max_sges = 0;
	info->nb_vchans = dev->data->dev_conf.nb_vchans;
	return 0;
}

/* DPDK 25.11 turned rte_dma_conf.enable_silent into a flag in .flags. */
static bool
conf_silent(const struct rte_dma_conf *conf)
{
#ifdef RTE_DMA_CFG_FLAG_SILENT
	return (conf->flags & RTE_DMA_CFG_FLAG_SILENT) != 0;
#else
	return conf->enable_silent;
#endif
}

static int
netdma_configure(struct rte_dma_dev *dev, const struct rte_dma_conf *conf,
		uint32_t conf_sz __rte_unused)
{
	struct netdma_dev *nd = dev->data->dev_private;

	if (conf->nb_vchans != 1) {
		NETDMA_LOG(ERR, "%s: nb_vchans %u unsupported, the device has one",
			nd->name, conf->nb_vchans);
		return -EINVAL;
	}
	if (conf_silent(conf)) {
		NETDMA_LOG(ERR, "%s: silent mode is not supported", nd->name);
		return -ENOTSUP;
	}
	return 0;
}

static void
ring_free(struct netdma_dev *nd)
{
	rte_free(nd->ring);
	nd->ring = NULL;
}

static int
netdma_vchan_setup(struct rte_dma_dev *dev, uint16_t vchan __rte_unused,
		const struct rte_dma_vchan_conf *conf,
		uint32_t conf_sz __rte_unused)
{
	struct netdma_dev *nd = dev->data->dev_private;
	unsigned int min_desc = 1u << bar_read8(nd, NETDMA_REG_RING_LOG2);
	unsigned int max_desc = 1u << bar_read8(nd, NETDMA_REG_RING_LOG2_MAX);
	uint16_t nb_desc = conf->nb_desc;

	if (conf->direction != RTE_DMA_DIR_MEM_TO_MEM) {
		NETDMA_LOG(ERR, "%s: only mem-to-mem transfers are supported",
			nd->name);
		return -EINVAL;
	}
	if (!rte_is_power_of_2(nb_desc) || nb_desc < min_desc ||
			nb_desc > max_desc) {
		NETDMA_LOG(ERR, "%s: nb_desc %u invalid: need a power of two in [%u, %u]",
			nd->name, nb_desc, min_desc, max_desc);
		return -EINVAL;
	}
	if (nd->status_stride > nb_desc) {
		NETDMA_LOG(ERR, "%s: status_stride %u exceeds nb_desc %u",
			nd->name, nd->status_stride, nb_desc);
		return -EINVAL;
	}

	ring_free(nd);
	nd->ring = rte_zmalloc_socket(nd->name,
			nb_desc * sizeof(struct netdma_desc),
			NETDMA_DESC_ALIGN, dev->data->numa_node);
	if (nd->ring == NULL) {
		NETDMA_LOG(ERR, "%s: cannot allocate %u descriptors",
			nd->name, nb_desc);
		return -ENOMEM;
	}
	nd->nb_desc = nb_desc;
	nd->mask = nb_desc - 1;
	nd->ring_iova = rte_malloc_virt2iova(nd->ring);
	return 0;
}

static int
netdma_start(struct rte_dma_dev *dev)
{
	struct netdma_dev *nd = dev->data->dev_private;
	volatile struct netdma_chan_regs *regs = nd->regs;
	uint16_t i;
	int ret;

	if (nd->ring == NULL) {
		NETDMA_LOG(ERR, "%s: start before vchan_setup", nd->name);
		return -EINVAL;
	}
	ret = netdma_chan_command(nd, NETDMA_CMD_RESET);
	if (ret != 0)
		return ret;

	for (i = 0; i < nd->nb_desc; i++) {
		struct netdma_desc *d = &nd->ring[i];

		memset(d, 0, sizeof(*d));
		d->next = nd->ring_iova +
			(uint64_t)((i + 1) & nd->mask) * sizeof(*d);
	}
	/* "Last processed" starts at the final slot, so slot 0 is next. */
	*nd->status = (nd->ring_iova + (uint64_t)nd->mask * NETDMA_DESC_ALIGN) |
		NETDMA_STS_IDLE;
	nd->next_write = 0;
	nd->next_read = 0;
	nd->next_submit = 0;
	nd->status_stride_mask = nd->status_stride != 0 ?
		(uint16_t)(nd->status_stride - 1) : UINT16_MAX;

	regs->chainaddr = nd->ring_iova;
	/* Coalescing: one interrupt for whatever completes in this window. */
	regs->intrdelay = (uint16_t)nd->intr_delay_us;
	regs->chancmp = rte_malloc_virt2iova((const void *)(uintptr_t)nd->status);
	__atomic_store_n(&regs->chanctrl, NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_STATUS_ON_IDLE, __ATOMIC_SEQ_CST);

	netdma_fp_install(dev);
	nd->running = true;
	return 0;
}

static int
netdma_stop(struct rte_dma_dev *dev)
{
	struct netdma_dev *nd = dev->data->dev_private;

	netdma_fp_install_stopped(dev);
	nd->running = false;
	netdma_intr_quiesce(nd);
	/* RESET lets the descriptor in flight finish, drops the rest. */
	return netdma_chan_command(nd, NETDMA_CMD_RESET);
}

static int
netdma_close(struct rte_dma_dev *dev)
{
	struct netdma_dev *nd = dev->data->dev_private;

	netdma_intr_teardown(nd);
	netdma_mem_detach(nd);
	netdma_engine_destroy(nd->engine);
	nd->engine = NULL;
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
	volatile struct netdma_chan_regs *regs = nd->regs;
	uint64_t done;

	if (!dev->data->dev_started || nd->status == NULL) {
		*status = RTE_DMA_VCHAN_IDLE;
		return 0;
	}
	if (netdma_sts_state(__atomic_load_n(nd->status, __ATOMIC_ACQUIRE)) ==
			NETDMA_STS_HALTED) {
		*status = RTE_DMA_VCHAN_HALTED_ERROR;
		return 0;
	}
	if (__atomic_load_n(&regs->chancmd, __ATOMIC_ACQUIRE) != 0) {
		*status = RTE_DMA_VCHAN_ACTIVE;
		return 0;
	}
	/* A halt that could not write the status line shows only here. */
	if (netdma_sts_state(__atomic_load_n(&regs->chansts,
			__ATOMIC_ACQUIRE)) == NETDMA_STS_HALTED) {
		*status = RTE_DMA_VCHAN_HALTED_ERROR;
		return 0;
	}
	done = __atomic_load_n(&regs->completed, __ATOMIC_ACQUIRE);
	*status = (uint16_t)done != nd->next_submit ?
		RTE_DMA_VCHAN_ACTIVE : RTE_DMA_VCHAN_IDLE;
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
	};
	unsigned int i;

	fprintf(f, "  CHANERR      0x%08x", chanerr);
	for (i = 0; i < RTE_DIM(errs); i++)
		if (chanerr & errs[i].bit)
			fprintf(f, " [%s]", errs[i].what);
	fprintf(f, "\n");
}

static int
netdma_dump(const struct rte_dma_dev *dev, FILE *f)
{
	const struct netdma_dev *nd = dev->data->dev_private;
	volatile struct netdma_chan_regs *regs = nd->regs;
	uint64_t sts = regs->chansts;

	fprintf(f, "netdma %s: engine cpu %d, spin %u us, status stride %u\n",
		nd->name, nd->cpu, nd->spin_us, nd->status_stride);
	fprintf(f, "  CHANCTRL     0x%04x  INTRDELAY %u us\n",
		regs->chanctrl, regs->intrdelay);
	fprintf(f, "  DMACOUNT     %u\n",
		regs->doorbell & NETDMA_DMACOUNT_MASK);
	fprintf(f, "  CHANSTS      0x%016" PRIx64 " (%s, last desc 0x%" PRIx64 ")\n",
		sts, state_name(netdma_sts_state(sts)), netdma_sts_addr(sts));
	fprintf(f, "  CHAINADDR    0x%016" PRIx64 "\n", regs->chainaddr);
	fprintf(f, "  CHANCMP      0x%016" PRIx64 "\n", regs->chancmp);
	dump_chanerr(f, regs->chanerr);
	fprintf(f, "  ERRDESC      0x%016" PRIx64 "\n", regs->errdesc);
	fprintf(f, "  COMPLETED    %" PRIu64 "  ENGSTS 0x%x\n",
		regs->completed, regs->engsts);
	if (nd->ring == NULL) {
		fprintf(f, "  ring: not set up\n");
		return 0;
	}
	fprintf(f, "  ring: %u descriptors at iova 0x%" PRIx64 "\n",
		nd->nb_desc, nd->ring_iova);
	fprintf(f, "  ids: next write %u, next submit %u, next read %u, in flight %u\n",
		nd->next_write, nd->next_submit, nd->next_read,
		(uint16_t)(nd->next_write - nd->next_read));
	if (nd->status != NULL)
		fprintf(f, "  status line  0x%016" PRIx64 "\n", *nd->status);
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

static int
parse_uint(const char *key, const char *value, void *opaque)
{
	unsigned long *out = opaque;
	char *end;

	errno = 0;
	*out = strtoul(value, &end, 0);
	if (errno != 0 || end == value || *end != '\0' || value[0] == '-') {
		NETDMA_LOG(ERR, "devarg %s=%s: not a number", key, value);
		return -EINVAL;
	}
	return 0;
}

/*
 * A numeric devarg no larger than max: 1 when given (value in *v), 0 when
 * absent, -EINVAL with a log line naming it when malformed or too large.
 */
static int
devarg_uint(struct rte_kvargs *kv, const char *name, const char *key,
		unsigned long max, unsigned long *v)
{
	if (rte_kvargs_count(kv, key) == 0)
		return 0;
	if (rte_kvargs_process(kv, key, parse_uint, v) != 0)
		return -EINVAL;
	if (*v > max) {
		NETDMA_LOG(ERR, "%s: devarg %s=%lu above %lu", name, key, *v,
			max);
		return -EINVAL;
	}
	return 1;
}

static int
parse_devargs(const char *name, const char *args, struct netdma_dev *nd)
{
	struct rte_kvargs *kv;
	unsigned long v;
	unsigned int i;
	int ret = 0;

	nd->cpu = -1;
	nd->spin_us = NETDMA_DEFAULT_SPIN_US;
	nd->status_stride = NETDMA_DEFAULT_STATUS_STRIDE;
	nd->direct_desc = rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) > 0;
	if (args == NULL || args[0] == '\0')
		return 0;

	/* Parse unchecked first so an unknown key can be named. */
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		NETDMA_LOG(ERR, "%s: malformed devargs \"%s\"", name, args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count; i++) {
		const char * const *k;

		if (kv->pairs[i].key[0] == '\0') {
			NETDMA_LOG(ERR, "%s: malformed devargs \"%s\"", name,
				args);
			ret = -EINVAL;
			goto out;
		}
		for (k = netdma_valid_args; *k != NULL; k++)
			if (strcmp(*k, kv->pairs[i].key) == 0)
				break;
		if (*k == NULL) {
			NETDMA_LOG(ERR, "%s: unknown devarg \"%s\" (valid: cpu, spin_us, status_stride, intr_delay_us, direct_desc)",
				name, kv->pairs[i].key);
			ret = -EINVAL;
			goto out;
		}
		if (kv->pairs[i].value == NULL) {
			NETDMA_LOG(ERR, "%s: devarg \"%s\" needs a value",
				name, kv->pairs[i].key);
			ret = -EINVAL;
			goto out;
		}
	}

	ret = devarg_uint(kv, name, NETDMA_ARG_CPU, CPU_SETSIZE - 1, &v);
	if (ret < 0)
		goto out;
	if (ret > 0)
		nd->cpu = (int)v;

	ret = devarg_uint(kv, name, NETDMA_ARG_SPIN_US, 1000000, &v);
	if (ret < 0)
		goto out;
	if (ret > 0)
		nd->spin_us = (unsigned int)v;

	ret = devarg_uint(kv, name, NETDMA_ARG_STATUS_STRIDE, ULONG_MAX, &v);
	if (ret < 0)
		goto out;
	if (ret > 0) {
		if (v != 0 && (!rte_is_power_of_2(v) ||
				v > (1u << NETDMA_MAX_RING_LOG2))) {
			NETDMA_LOG(ERR, "%s: devarg status_stride=%lu: need 0 or a power of two up to %u",
				name, v, 1u << NETDMA_MAX_RING_LOG2);
			ret = -EINVAL;
			goto out;
		}
		nd->status_stride = (unsigned int)v;
	}

	ret = devarg_uint(kv, name, NETDMA_ARG_INTR_DELAY, UINT16_MAX, &v);
	if (ret < 0)
		goto out;
	if (ret > 0)
		nd->intr_delay_us = (unsigned int)v;

	ret = devarg_uint(kv, name, NETDMA_ARG_DIRECT_DESC, ULONG_MAX, &v);
	if (ret < 0)
		goto out;
	if (ret > 0) {
		if (v > 1) {
			NETDMA_LOG(ERR, "%s: devarg direct_desc=%lu: need 0 or 1",
				name, v);
			ret = -EINVAL;
			goto out;
		}
		if (v == 1 && !nd->direct_desc) {
			NETDMA_LOG(ERR, "%s: devarg direct_desc=1: this CPU has no MOVDIR64B",
				name);
			ret = -ENOTSUP;
			goto out;
		}
		nd->direct_desc = v == 1;
	}
out:
	rte_kvargs_free(kv);
	return ret < 0 ? ret : 0;
}

static int
netdma_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct netdma_engine_params params = { .nb_channels = 1 };
	struct netdma_dev cfg = { .cpu = -1 };
	struct rte_dma_dev *dev;
	struct netdma_dev *nd;
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
	ret = parse_devargs(name, rte_vdev_device_args(vdev), &cfg);
	if (ret != 0)
		return ret;

	dev = rte_dma_pmd_allocate(name, rte_socket_id(), sizeof(*nd));
	if (dev == NULL) {
		NETDMA_LOG(ERR, "%s: cannot allocate dmadev", name);
		return -ENOMEM;
	}
	dev->device = &vdev->device;
	dev->dev_ops = &netdma_ops;
	nd = dev->data->dev_private;
	nd->dmadev = dev;
	nd->cpu = cfg.cpu;
	nd->spin_us = cfg.spin_us;
	nd->status_stride = cfg.status_stride;
	nd->intr_delay_us = cfg.intr_delay_us;
	nd->direct_desc = cfg.direct_desc;
	rte_strscpy(nd->name, name, sizeof(nd->name));

	/* The status line gets a cache line of its own: only the engine
	 * writes it, and the poller should miss on nothing else. */
	nd->status = rte_zmalloc_socket(name, RTE_CACHE_LINE_SIZE,
			RTE_CACHE_LINE_SIZE, dev->data->numa_node);
	if (nd->status == NULL) {
		ret = -ENOMEM;
		goto fail;
	}

	params.cpu = nd->cpu;
	params.spin_us = nd->spin_us;
	/* Thread names hold 15 characters: "netdma0-c0" rather than a
	 * truncated "dma_netdma-c0" that would not tell instances apart. */
	params.name = strncmp(name, "dma_", 4) == 0 ? name + 4 : name;
	nd->engine = netdma_engine_create(&params);
	if (nd->engine == NULL) {
		ret = -errno;
		NETDMA_LOG(ERR, "%s: cannot start engine: %s", name,
			strerror(errno));
		goto fail;
	}
	nd->regs = netdma_chan_regs(netdma_engine_bar(nd->engine), 0);

	ret = netdma_mem_attach(nd);
	if (ret != 0)
		goto fail;
	ret = netdma_intr_setup(nd);
	if (ret != 0)
		goto fail;

	netdma_fp_install_stopped(dev);
	dev->state = RTE_DMA_DEV_READY;
	NETDMA_LOG(INFO, "%s: probed, engine cpu %d, spin %u us, status stride %u, interrupt delay %u us, %s descriptor writes",
		name, nd->cpu, nd->spin_us, nd->status_stride,
		nd->intr_delay_us, nd->direct_desc ? "direct" : "cached");
	return 0;

fail:
	netdma_close(dev);
	rte_dma_pmd_release(name);
	return ret;
}

static int
netdma_remove(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	int id = rte_dma_get_dev_id_by_name(name);
	struct netdma_dev *nd = netdma_dev_get(id);

	/* Unplugged while running: stop first, since dmadev refuses to
	 * close a started device and the engine would be left behind. */
	if (nd != NULL && nd->dmadev->data->dev_started &&
			rte_dma_stop(id) != 0)
		NETDMA_LOG(WARNING, "%s: could not stop before removal", name);
	/* Closes the device (and the engine) if the application did not. */
	rte_dma_pmd_release(name);
	return 0;
}

static struct netdma_dev *
vdev_to_netdma(struct rte_vdev_device *vdev)
{
	return netdma_dev_get(rte_dma_get_dev_id_by_name(
			rte_vdev_device_name(vdev)));
}

/* vdev dma_map/dma_unmap: external memory an application registered. */
static int
netdma_dma_map(struct rte_vdev_device *vdev, void *addr, uint64_t iova,
		size_t len)
{
	struct netdma_dev *nd = vdev_to_netdma(vdev);

	return nd == NULL ? -ENODEV :
		netdma_mem_window(nd, addr, iova, len, true);
}

static int
netdma_dma_unmap(struct rte_vdev_device *vdev, void *addr, uint64_t iova,
		size_t len)
{
	struct netdma_dev *nd = vdev_to_netdma(vdev);

	return nd == NULL ? -ENODEV :
		netdma_mem_window(nd, addr, iova, len, false);
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
	"cpu=<int> spin_us=<int> status_stride=<power of 2, 0 = idle write only> "
	"intr_delay_us=<0..65535> direct_desc=<0|1>");
