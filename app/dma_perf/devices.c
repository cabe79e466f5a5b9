/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * dmadev lookup, vdev creation, configuration, start and stop. Every
 * failure is reported here, on one line, so callers only count it.
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
