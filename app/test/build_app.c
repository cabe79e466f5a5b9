/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * An out-of-tree program, built by build_app_test.sh exactly as the
 * driver guide's section 2 says: it copies through dma_netdma0 and
 * waits with rte_pmd_netdma_wait(), so it needs the driver linked.
 */
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_dmadev.h>
#include <rte_malloc.h>
#include <rte_pmd_netdma.h>

int
main(int argc, char **argv)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM, .nb_desc = 64,
	};
	uint8_t *src, *dst;
	uint16_t last;
	bool err = false;
	int id;

	if (rte_eal_init(argc, argv) < 0)
		return 1;
	id = rte_dma_get_dev_id_by_name("dma_netdma0");
	src = rte_malloc(NULL, 4096, 64);
	dst = rte_zmalloc(NULL, 4096, 64);
	if (id < 0 || src == NULL || dst == NULL ||
			rte_dma_configure(id, &conf) != 0 ||
			rte_dma_vchan_setup(id, 0, &qconf) != 0 ||
			rte_dma_start(id) != 0)
		return 1;
	memset(src, 0x5a, 4096);
	if (rte_dma_copy(id, 0, rte_malloc_virt2iova(src),
			rte_malloc_virt2iova(dst), 4096,
			RTE_DMA_OP_FLAG_SUBMIT) != 0 ||
			rte_pmd_netdma_wait(id, 0, 10000) != 1 ||
			rte_dma_completed(id, 0, 1, &last, &err) != 1 || err ||
			memcmp(src, dst, 4096) != 0)
		return 1;
	printf("app: copied through dma_netdma0 and rte_pmd_netdma_wait\n");
	rte_dma_stop(id);
	rte_dma_close(id);
	rte_eal_cleanup();
	return 0;
}
