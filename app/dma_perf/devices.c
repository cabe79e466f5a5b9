/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * dmadev lookup, vdev creation, the sets of dmadevs one lcore feeds,
 * configuration, start and stop. Every failure is reported here, on one
 * line, so callers only count it.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_dmadev.h>
#include <rte_string_fns.h>

#include "devices.h"

#define MAX_VDEVS	32

int
dp_dev_resolve(const char *name, bool quiet)
{
	int id = rte_dma_get_dev_id_by_name(name);
	int ret;

	if (id >= 0)
		return id;
	ret = rte_vdev_init(name, NULL);
	id = rte_dma_get_dev_id_by_name(name);
	if (id < 0 && !quiet)
		printf("Error: DMA device '%s' not found and rte_vdev_init() failed (%d); is its driver loaded (-d librte_dma_<drv>.so)?\n",
			name, ret);
	return id;
}

int
dp_dev_create_vdevs(const char *spec, bool skip_missing)
{
	char buf[DP_ARGS_LEN];
	char *tok[MAX_VDEVS];
	int n, i, ret;

	strlcpy(buf, spec, sizeof(buf));
	n = rte_strsplit(buf, strlen(buf), tok, RTE_DIM(tok), ' ');
	for (i = 0; i < n; i++) {
		char *args = strchr(tok[i], ',');

		if (*tok[i] == '\0')
			continue;
		if (args != NULL)
			*args++ = '\0';
		if (rte_dma_get_dev_id_by_name(tok[i]) >= 0)
			continue;
		ret = rte_vdev_init(tok[i], args);
		if (ret < 0 && skip_missing) {
			printf("Warning: vdevs: rte_vdev_init(%s, %s) failed: %d\n",
				tok[i], args != NULL ? args : "", ret);
		} else if (ret < 0) {
			printf("Error: vdevs: rte_vdev_init(%s, %s) failed: %d; is its driver loaded (-d librte_dma_<drv>.so)?\n",
				tok[i], args != NULL ? args : "", ret);
			return -1;
		}
	}
	return 0;
}

int
dp_dev_configure(int16_t dev_id, const struct dp_scenario *sc)
{
	const uint32_t ring_size = sc->ring_size;
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = (uint16_t)ring_size,
	};
	struct rte_dma_info info;
	int ret;

	if (rte_dma_info_get(dev_id, &info) != 0)
		return -1;
	if (!(info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM)) {
		printf("Error: %s cannot do mem-to-mem copies\n", info.dev_name);
		return -1;
	}
	if (ring_size < info.min_desc || ring_size > info.max_desc) {
		printf("Error: dma_ring_size %" PRIu32 " outside [%u, %u] for %s\n",
			ring_size, info.min_desc, info.max_desc, info.dev_name);
		return -1;
	}
	if (sc->src_sge > 0 && !(info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG)) {
		printf("Error: %s cannot do scatter-gather copies (dma_src_sge/dma_dst_sge)\n",
			info.dev_name);
		return -1;
	}
	if (RTE_MAX(sc->src_sge, sc->dst_sge) > info.max_sges) {
		printf("Error: dma_src_sge %" PRIu32 ", dma_dst_sge %" PRIu32
			": %s takes at most %u segments per list (max_sges)\n",
			sc->src_sge, sc->dst_sge, info.dev_name, info.max_sges);
		return -1;
	}
	ret = rte_dma_configure(dev_id, &conf);
	if (ret == 0)
		ret = rte_dma_vchan_setup(dev_id, 0, &qconf);
	if (ret != 0) {
		printf("Error: configuring %s (ring %" PRIu32 "): %d\n",
			info.dev_name, ring_size, ret);
		return -1;
	}
	return 0;
}

int
dp_dev_start(int16_t dev_id)
{
	struct rte_dma_info info;

	if (rte_dma_start(dev_id) == 0)
		return 0;
	if (rte_dma_info_get(dev_id, &info) == 0)
		printf("Error: cannot start %s\n", info.dev_name);
	else
		printf("Error: cannot start dmadev %d\n", dev_id);
	return -1;
}

void
dp_dev_stop(int16_t dev_id)
{
	rte_dma_stop(dev_id);
}

void
dp_devset_one(struct dp_devset *s, int16_t dev_id)
{
	memset(s, 0, sizeof(*s));
	s->nb = 1;
	s->ids[0] = dev_id;
}

void
dp_devset_destroy(struct dp_devset *s)
{
	int ret;

	while (s->nb_vdevs > 0) {
		const char *name = s->vdevs[--s->nb_vdevs];

		ret = rte_vdev_uninit(name);
		if (ret < 0)
			printf("Warning: rte_vdev_uninit(%s) failed: %d\n",
				name, ret);
	}
	s->nb = 0;
}

/* One bit per possible dmadev id (int16_t). */
struct dev_bitmap {
	uint64_t w[(INT16_MAX + 1) / 64];
};

static void
mark_valid(struct dev_bitmap *m)
{
	int16_t id;

	RTE_DMA_FOREACH_DEV(id)
		m->w[id / 64] |= UINT64_C(1) << (id % 64);
}

/* Add the dmadevs that are valid now and were not before. */
static int
collect_new(struct dp_devset *s, const struct dev_bitmap *before,
	const char *vdev)
{
	int16_t id;

	RTE_DMA_FOREACH_DEV(id) {
		if (before->w[id / 64] & (UINT64_C(1) << (id % 64)))
			continue;
		if (s->nb == RTE_DIM(s->ids)) {
			printf("Error: more than %u dmadevs in one set (at %s)\n",
				(unsigned int)RTE_DIM(s->ids), vdev);
			return -1;
		}
		s->ids[s->nb++] = id;
	}
	return 0;
}

int
dp_devset_create(struct dp_devset *s, const char *spec)
{
	char buf[DP_ARGS_LEN];
	char *tok[DP_MAX_CHANNELS + 1];
	struct dev_bitmap before;
	int n, i, ret;

	memset(s, 0, sizeof(*s));
	strlcpy(buf, spec, sizeof(buf));
	n = rte_strsplit(buf, strlen(buf), tok, RTE_DIM(tok), ' ');
	if (n > DP_MAX_CHANNELS) {
		printf("Error: more than %d vdevs in one set\n", DP_MAX_CHANNELS);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *args = strchr(tok[i], ',');

		if (args != NULL)
			*args++ = '\0';
		memset(&before, 0, sizeof(before));
		mark_valid(&before);
		ret = rte_vdev_init(tok[i], args);
		if (ret < 0) {
			printf("Error: rte_vdev_init(%s, %s) failed: %d; is its driver loaded (-d librte_dma_<drv>.so)?\n",
				tok[i], args != NULL ? args : "", ret);
			goto fail;
		}
		strlcpy(s->vdevs[s->nb_vdevs++], tok[i], DP_NAME_LEN);
		if (collect_new(s, &before, tok[i]) < 0)
			goto fail;
	}
	if (s->nb == 0) {
		printf("Error: the vdevs '%s' created no dmadev\n", spec);
		goto fail;
	}
	return 0;
fail:
	dp_devset_destroy(s);
	return -1;
}

int
dp_devset_configure(const struct dp_devset *s, const struct dp_scenario *sc)
{
	unsigned int i;

	for (i = 0; i < s->nb; i++)
		if (dp_dev_configure(s->ids[i], sc) < 0)
			return -1;
	return 0;
}

int
dp_devset_start(const struct dp_devset *s)
{
	unsigned int i;

	for (i = 0; i < s->nb; i++) {
		if (dp_dev_start(s->ids[i]) < 0) {
			while (i-- > 0)
				dp_dev_stop(s->ids[i]);
			return -1;
		}
	}
	return 0;
}

void
dp_devset_stop(const struct dp_devset *s)
{
	unsigned int i;

	for (i = 0; i < s->nb; i++)
		dp_dev_stop(s->ids[i]);
}
