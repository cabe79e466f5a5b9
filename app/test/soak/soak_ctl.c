/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The control path under load: stop (drained, or with work in flight),
 * start, reconfigure, close, the refusals of a started device, and the
 * card unplugged and probed again with other devargs.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_cycles.h>

#include "rte_pmd_netdma.h"
#include "soak.h"

static const struct rte_dma_conf dev_conf = { .nb_vchans = 1 };

/*
 * The driver gives the engine 1 s to take a command (stop, start and
 * unplug post RESET). On a loaded two-core machine its worker can go that
 * long without CPU; the driver then fails with -ETIMEDOUT and leaves a
 * state that a retry finishes, so the soak retries, as an application
 * would, for up to this many more seconds.
 */
#define CMD_RETRIES	30

static int
dma_stop(int16_t dev_id)
{
	unsigned int tries = 0;
	int ret;

	while ((ret = rte_dma_stop(dev_id)) == -ETIMEDOUT &&
			tries++ < CMD_RETRIES)
		soak.n.cmd_retries++;
	return ret;
}

static int
dma_start(int16_t dev_id)
{
	unsigned int tries = 0;
	int ret;

	while ((ret = rte_dma_start(dev_id)) == -ETIMEDOUT &&
			tries++ < CMD_RETRIES)
		soak.n.cmd_retries++;
	return ret;
}

static int
vdev_uninit(const char *name)
{
	unsigned int tries = 0;
	int ret;

	while ((ret = rte_vdev_uninit(name)) == -ETIMEDOUT &&
			tries++ < CMD_RETRIES)
		soak.n.cmd_retries++;
	return ret;
}

static uint16_t
rand_ring(struct soak_rng *r)
{
	static const uint16_t sizes[] = { 32, 32, 64, 64, 128, 128, 256,
		256, 512, 1024 };

	return sizes[rng_below(r, RTE_DIM(sizes))];
}

static void
chan_setup(struct soak_chan *c, uint16_t nb_desc)
{
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = nb_desc,
	};
	int ret = rte_dma_configure(c->dev_id, &dev_conf);

	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_configure: %d", ret);
	ret = rte_dma_vchan_setup(c->dev_id, 0, &qconf);
	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_vchan_setup(%u descriptors): %d",
			nb_desc, ret);
	c->nb_desc = nb_desc;
}

void
soak_stop(struct soak_chan *c, struct soak_rng *r, bool drained)
{
	uint16_t inflight, owed;
	uint64_t t0;
	double ms;
	int ret;

	if (c->state != CH_STARTED) {
		ret = dma_stop(c->dev_id);
		if (ret != 0)
			soak_violation(c, NULL, "rte_dma_stop on a stopped channel: %d",
				ret);
		soak.n.stops_noop++;
		return;
	}
	if (drained)
		soak_drain(c, r);
	else if (rng_chance(r, 500))
		/* big ops, so that the stop lands in the middle of one */
		soak_burst(c, r, rng_range(r, 2, 16), 1536u << 10, 100, true);
	inflight = chan_inflight(c);
	owed = chan_owed(c);
	t0 = rte_get_timer_cycles();
	ret = dma_stop(c->dev_id);
	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_stop with %u ops in flight (%u submitted) returned %d",
			inflight, owed, ret);
	ms = (double)(rte_get_timer_cycles() - t0) * 1e3 / rte_get_timer_hz();
	if (ms > soak.n.stop_max_ms) {
		soak.n.stop_max_ms = ms;
		soak.n.stop_max_step = soak.step;
	}
	c->state = CH_STOPPED;
	soak_trace(c, "stop with %u in flight (%u submitted): %.2f ms",
		inflight, owed, ms);
	soak_drop_inflight(c, "stop");
	soak_intr_after_stop(c);
	if (drained)
		soak.n.stops_drained++;
	else
		soak.n.stops_inflight++;
	if (rte_dma_burst_capacity(c->dev_id, 0) != 0)
		soak_violation(c, NULL, "burst capacity %u after stop",
			rte_dma_burst_capacity(c->dev_id, 0));
	soak_check_stats(c);
}

/* After a start, ids restart at 0 and nothing from before comes back. */
void
soak_start(struct soak_chan *c)
{
	bool was_started = c->state == CH_STARTED, err = false;
	uint16_t last = 0xdead, n;
	int ret = dma_start(c->dev_id);

	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_start: %d", ret);
	if (was_started) {
		soak.n.starts_noop++;
		return;
	}
	soak_check_dropped(c);
	c->state = CH_STARTED;
	c->next_id = 0;
	c->next_submit = 0;
	c->next_report = 0;
	c->error_seen = false;
	soak.n.starts++;
	if (rte_dma_burst_capacity(c->dev_id, 0) != c->nb_desc - 1)
		soak_violation(c, NULL, "burst capacity %u after start, expected %u",
			rte_dma_burst_capacity(c->dev_id, 0), c->nb_desc - 1);
	n = rte_dma_completed(c->dev_id, 0, 64, &last, &err);
	if (n != 0 || err || last != 0xffff)
		soak_violation(c, NULL, "ghost completions after start: %u ops, has_error %d, last_idx %u",
			n, err, last);
	soak_check_inflight(c);
	soak_trace(c, "started, ring %u", c->nb_desc);
}

void
soak_reconfigure(struct soak_chan *c, struct soak_rng *r)
{
	chan_setup(c, rand_ring(r));
	soak.n.reconfigs++;
	soak_trace(c, "reconfigured, ring %u", c->nb_desc);
}

void
soak_close(struct soak_chan *c)
{
	int ret = rte_dma_close(c->dev_id);

	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_close: %d", ret);
	if (rte_dma_get_dev_id_by_name(c->name) >= 0)
		soak_violation(c, NULL, "the dmadev is still there after close");
	c->state = CH_CLOSED;
	c->dev_id = -1;
	soak.n.closes++;
	soak_trace(c, "closed");
}

/* A started channel refuses reconfiguration and close; a second start
 * changes nothing (ids go on). */
void
soak_refusals(struct soak_chan *c)
{
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = c->nb_desc,
	};
	int ret;

	ret = rte_dma_configure(c->dev_id, &dev_conf);
	if (ret != -EBUSY)
		soak_violation(c, NULL, "configure while started: %d", ret);
	ret = rte_dma_vchan_setup(c->dev_id, 0, &qconf);
	if (ret != -EBUSY)
		soak_violation(c, NULL, "vchan_setup while started: %d", ret);
	ret = rte_dma_close(c->dev_id);
	if (ret != -EBUSY)
		soak_violation(c, NULL, "close while started: %d", ret);
	soak.n.busy_refusals++;
	soak_start(c);
	soak_check_inflight(c);
}

/*
 * The card's engine threads: "<name>-w<N>", the name without "dma_" (see
 * netdma_vdev.c). An unplug must leave none, a probe one per worker.
 */
static unsigned int
engine_threads(const struct soak_card *card)
{
	const char *name = strncmp(card->name, "dma_", 4) == 0 ?
		card->name + 4 : card->name;
	char prefix[32], path[300], comm[32];
	struct dirent *de;
	unsigned int n = 0;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "%.10s-w", name);
	d = opendir("/proc/self/task");
	while (d != NULL && (de = readdir(d)) != NULL) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL &&
				strncmp(comm, prefix, strlen(prefix)) == 0)
			n++;
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

void
soak_unplug(struct soak_card *card, struct soak_rng *r)
{
	struct soak_chan *c, *chans = &soak.chans[card->first_chan];
	bool started = false, inflight = false;
	unsigned int i;
	uint64_t t0;
	double ms;
	int ret;

	for (i = 0; i < card->channels; i++) {
		c = &chans[i];
		if (c->state != CH_STARTED)
			continue;
		if (rng_chance(r, 300))
			soak_burst(c, r, rng_range(r, 1, 16), 1536u << 10,
				100, rng_chance(r, 800));
		started = true;
		inflight |= chan_owed(c) > 0;
	}
	t0 = rte_get_timer_cycles();
	ret = vdev_uninit(card->name);
	if (ret != 0)
		soak_violation(NULL, NULL, "rte_vdev_uninit(%s): %d", card->name,
			ret);
	ms = (double)(rte_get_timer_cycles() - t0) * 1e3 / rte_get_timer_hz();
	if (ms > soak.n.unplug_max_ms) {
		soak.n.unplug_max_ms = ms;
		soak.n.unplug_max_step = soak.step;
	}
	for (i = 0; i < card->channels; i++) {
		c = &chans[i];
		if (rte_dma_get_dev_id_by_name(c->name) >= 0)
			soak_violation(c, NULL, "the dmadev is still there after unplug");
		if (c->state == CH_STARTED)
			soak_drop_inflight(c, "unplug");
		c->epoll_added = false;
		c->state = CH_ABSENT;
		c->dev_id = -1;
	}
	card->present = false;
	if (engine_threads(card) != 0)
		soak_violation(NULL, NULL, "%s: %u engine threads left after unplug",
			card->name, engine_threads(card));
	soak.n.unplugs++;
	soak.n.unplugs_started += started;
	soak.n.unplugs_inflight += inflight;
	soak_trace(NULL, "unplugged %s%s%s: %.2f ms", card->name,
		started ? ", channels started" : "",
		inflight ? ", work in flight" : "", ms);
	soak_mem_check_sources(card);
}

/* Devargs for the next probe: the card's shape stays, the rest varies. */
static void
rand_devargs(struct soak_card *card, struct soak_rng *r)
{
	static const unsigned int spin[] = { 0, 5, 20, 100 };
	static const unsigned int stride[] = { 0, 1, 4, 32 };
	static const unsigned int delay[] = { 0, 0, 0, 10, 100 };
	char *p = card->devargs;
	size_t left = sizeof(card->devargs);
	unsigned int i;
	int n;

	card->workers = rng_range(r, 1, card->channels);
	n = snprintf(p, left, "channels=%u,workers=%u,spin_us=%u,status_stride=%u,intr_delay_us=%u%s",
		card->channels, card->workers,
		spin[rng_below(r, RTE_DIM(spin))],
		stride[rng_below(r, RTE_DIM(stride))],
		delay[rng_below(r, RTE_DIM(delay))],
		card->dom == DOM_SVA ? ",sva=1" : "");
	p += n;
	left -= n;
	if (soak.have_movdir64b)
		n = snprintf(p, left, ",direct_desc=%u", rng_below(r, 2));
	else
		n = snprintf(p, left, "%s", rng_chance(r, 300) ?
			",direct_desc=0" : "");
	p += n;
	left -= n;
	if (card->channels > 1 && rng_chance(r, 500)) {
		n = snprintf(p, left, ",weight=[");
		for (i = 0; i < card->channels; i++)
			n += snprintf(p + n, left - n, "%s%u", i ? "," : "",
				rng_range(r, 1, 8));
		snprintf(p + n, left - n, "]");
	}
}

static void
check_info(const struct soak_chan *c)
{
	struct rte_dma_info info;
	uint64_t want = RTE_DMA_CAPA_MEM_TO_MEM | RTE_DMA_CAPA_OPS_COPY |
		RTE_DMA_CAPA_OPS_COPY_SG | RTE_DMA_CAPA_OPS_FILL |
		RTE_DMA_CAPA_HANDLES_ERRORS;
	bool sva;

	if (rte_dma_info_get(c->dev_id, &info) != 0)
		soak_violation(c, NULL, "rte_dma_info_get failed");
	sva = (info.dev_capa & RTE_DMA_CAPA_SVA) != 0;
	if ((info.dev_capa & want) != want ||
			sva != (c->card->dom == DOM_SVA))
		soak_violation(c, NULL, "capabilities 0x%" PRIx64,
			info.dev_capa);
	if (info.max_sges != SOAK_MAX_SEGS)
		soak_violation(c, NULL, "max_sges %u, the soak builds lists of up to %u",
			info.max_sges, SOAK_MAX_SEGS);
}

void
soak_probe(struct soak_card *card, struct soak_rng *r)
{
	struct soak_chan *c, *chans = &soak.chans[card->first_chan];
	unsigned int i;
	int ret;

	rand_devargs(card, r);
	ret = rte_vdev_init(card->name, card->devargs);
	if (ret != 0)
		soak_violation(NULL, NULL, "rte_vdev_init(%s, \"%s\"): %d",
			card->name, card->devargs, ret);
	if (soak_mem_map(card) != 0)
		soak_violation(NULL, NULL, "%s: rte_dev_dma_map of its windows failed",
			card->name);
	if (engine_threads(card) != card->workers)
		soak_violation(NULL, NULL, "%s: %u engine threads after probe with %u workers",
			card->name, engine_threads(card), card->workers);
	card->present = true;
	card->probes++;
	soak.n.probes++;
	soak_trace(NULL, "probed %s: %s", card->name, card->devargs);
	for (i = 0; i < card->channels; i++) {
		c = &chans[i];
		c->dev_id = (int16_t)rte_dma_get_dev_id_by_name(c->name);
		if (c->dev_id < 0)
			soak_violation(c, NULL, "no dmadev after probe");
		if (c->arena.live != 0)
			soak_violation(c, NULL, "%u ops still hold arena memory",
				c->arena.live);
		c->state = CH_STOPPED;
		c->st_submitted = 0;
		c->st_completed = 0;
		c->st_errors = 0;
		c->waits = 0;
		check_info(c);
		chan_setup(c, rand_ring(r));
		soak_check_stats(c);
		if (rng_chance(r, 850))
			soak_start(c);
	}
}
