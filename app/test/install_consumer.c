/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * An application of the installed driver, built by install_test.sh with
 * the flags of `pkg-config libdpdk-netdma` and run with no -d: EAL must
 * have loaded dma_netdma from its plugin directory, a copy through it
 * must arrive intact, and rte_pmd_netdma_inflight() - linked through the
 * installed library - must recognise the device, which it does only when
 * it is the same object EAL loaded.
 */

#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_pmd_netdma.h>

#define COPY_LEN	4096

static int
fail(const char *what)
{
	printf("install_consumer: FAIL: %s\n", what);
	rte_eal_cleanup();
	return 1;
}

int
main(int argc, char **argv)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = 64,
	};
	uint64_t deadline;
	uint16_t last_idx;
	uint8_t *src, *dst;
	bool error = false;
	int id, i, n = 0;

	if (rte_eal_init(argc, argv) < 0)
		return 1;
	id = rte_dma_get_dev_id_by_name("dma_netdma0");
	if (id < 0)
		return fail("no dma_netdma0: EAL did not load the installed plugin");
	if (rte_dma_configure(id, &conf) != 0 ||
			rte_dma_vchan_setup(id, 0, &qconf) != 0 ||
			rte_dma_start(id) != 0)
		return fail("dma_netdma0 does not start");

	src = rte_malloc(NULL, COPY_LEN, 64);
	dst = rte_zmalloc(NULL, COPY_LEN, 64);
	if (src == NULL || dst == NULL)
		return fail("no memory");
	for (i = 0; i < COPY_LEN; i++)
		src[i] = (uint8_t)(i * 7 + 3);

	if (rte_dma_copy(id, 0, rte_malloc_virt2iova(src),
			rte_malloc_virt2iova(dst), COPY_LEN,
			RTE_DMA_OP_FLAG_SUBMIT) < 0)
		return fail("rte_dma_copy refused the copy");
	/* Ten seconds only bound a hang: the copy takes microseconds. */
	deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	while (n == 0 && rte_get_timer_cycles() < deadline)
		n = rte_dma_completed(id, 0, 1, &last_idx, &error);
	if (n != 1 || error)
		return fail("the copy did not complete");
	if (memcmp(src, dst, COPY_LEN) != 0)
		return fail("the copy arrived corrupted");
	if (rte_pmd_netdma_inflight(id, 0, NULL) != 0)
		return fail("rte_pmd_netdma_inflight does not know dma_netdma0:"
			" the linked library is not the plugin EAL loaded");

	printf("install_consumer: dma_netdma0 loaded from the plugin directory,"
		" %d bytes copied intact, rte_pmd_netdma_inflight() = 0\n",
		COPY_LEN);
	rte_dma_stop(id);
	rte_free(src);
	rte_free(dst);
	rte_eal_cleanup();
	return 0;
}
