/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The smallest useful netdma program: create a dma_netdma device, copy
 * buffers of a few sizes through it in bursts, check every byte, and
 * print a table next to a plain CPU copy of the same buffers.
 *
 *   netdma-copy-demo -d <librte_dma_netdma.so> --no-huge -m 512 -- [ms]
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>

#define RING_SIZE	1024
#define BURST		32
#define NB_BUFS		256	/* per direction, reused round-robin */

struct result {
	uint64_t ops;
	double secs;
};

static int
setup_device(const char *name, const char *args)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = RING_SIZE,
	};
	int id;

	if (rte_vdev_init(name, args) != 0)
		return -1;
	id = rte_dma_get_dev_id_by_name(name);
	if (id < 0 || rte_dma_configure(id, &conf) != 0 ||
			rte_dma_vchan_setup(id, 0, &qconf) != 0 ||
			rte_dma_start(id) != 0)
		return -1;
	return id;
}

/* Keep the ring full: enqueue a burst when there is room, submit it,
 * collect whatever has completed. */
static int
dma_run(int16_t id, uint8_t **src, uint8_t **dst, uint32_t size,
		uint64_t ms, struct result *r)
{
	uint64_t hz = rte_get_timer_hz(), start = rte_get_timer_cycles();
	uint64_t end = start + hz * ms / 1000, issued = 0, done = 0;
	bool error = false;

	while (rte_get_timer_cycles() < end || done < issued) {
		uint16_t i, n = 0;

		if (rte_get_timer_cycles() < end &&
				rte_dma_burst_capacity(id, 0) >= BURST) {
			for (i = 0; i < BURST; i++) {
				unsigned int b = (issued + i) % NB_BUFS;

				if (rte_dma_copy(id, 0, rte_mem_virt2iova(src[b]),
						rte_mem_virt2iova(dst[b]), size,
						0) < 0)
					break;
				n++;
			}
			issued += n;
			rte_dma_submit(id, 0);
		}
		done += rte_dma_completed(id, 0, BURST * 2, NULL, &error);
		if (error) {
			fprintf(stderr, "DMA error at size %u\n", size);
			return -1;
		}
	}
	r->ops = done;
	r->secs = (double)(rte_get_timer_cycles() - start) / hz;
	return 0;
}

static void
cpu_run(uint8_t **src, uint8_t **dst, uint32_t size, uint64_t ms,
		struct result *r)
{
	uint64_t hz = rte_get_timer_hz(), start = rte_get_timer_cycles();
	uint64_t end = start + hz * ms / 1000, ops = 0;

	while (rte_get_timer_cycles() < end) {
		unsigned int i;

		for (i = 0; i < BURST; i++, ops++)
			rte_memcpy(dst[ops % NB_BUFS], src[ops % NB_BUFS], size);
	}
	r->ops = ops;
	r->secs = (double)(rte_get_timer_cycles() - start) / hz;
}

int
main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 64, 1024, 4096, 65536 };
	uint8_t *src[NB_BUFS], *dst[NB_BUFS];
	uint64_t ms = 300;
	unsigned int s, b, bad = 0;
	int ret, id;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	if (argc - ret > 1)
		ms = strtoull(argv[ret + 1], NULL, 0);

	/* Engine on the other core, when there is one. */
	id = setup_device("dma_netdma0",
		rte_lcore_count() > 1 || rte_get_main_lcore() == 0 ?
		"cpu=1" : "cpu=0");
	if (id < 0) {
		fprintf(stderr, "cannot set up dma_netdma0: was the driver loaded with -d?\n");
		return 1;
	}
	for (b = 0; b < NB_BUFS; b++) {
		src[b] = rte_malloc(NULL, sizes[RTE_DIM(sizes) - 1], 64);
		dst[b] = rte_malloc(NULL, sizes[RTE_DIM(sizes) - 1], 64);
		if (src[b] == NULL || dst[b] == NULL) {
			fprintf(stderr, "out of memory\n");
			return 1;
		}
	}

	printf("\nnetdma copy demo: ring %u, burst %u, %" PRIu64 " ms per run\n\n",
		RING_SIZE, BURST, ms);
	printf("%8s | %12s %10s %9s | %10s %9s | %6s | %s\n", "size",
		"dma ops", "Mops/s", "GB/s", "cpu Mops/s", "GB/s",
		"ratio", "verified");
	printf("---------+----------------------------------+----------------------+--------+---------\n");
	for (s = 0; s < RTE_DIM(sizes); s++) {
		struct result dma, cpu;
		double dma_gbs, cpu_gbs;
		uint32_t size = sizes[s];
		bool ok = true;

		for (b = 0; b < NB_BUFS; b++) {
			uint32_t i;

			for (i = 0; i < size; i++)
				src[b][i] = (uint8_t)(b * 131 + i * 7 + s);
			memset(dst[b], 0, size);
		}
		if (dma_run(id, src, dst, size, ms, &dma) != 0)
			return 1;
		for (b = 0; b < NB_BUFS; b++)
			ok &= memcmp(src[b], dst[b], size) == 0;
		bad += !ok;
		cpu_run(src, dst, size, ms, &cpu);

		dma_gbs = dma.ops * (double)size / dma.secs / 1e9;
		cpu_gbs = cpu.ops * (double)size / cpu.secs / 1e9;
		printf("%7uB | %12" PRIu64 " %10.2f %9.2f | %10.2f %9.2f | %5.2fx | %s\n",
			size, dma.ops, dma.ops / dma.secs / 1e6, dma_gbs,
			cpu.ops / cpu.secs / 1e6, cpu_gbs, dma_gbs / cpu_gbs,
			ok ? "yes" : "NO");
	}
	printf("\nratio = DMA bandwidth / one-core rte_memcpy bandwidth\n");

	rte_dma_stop(id);
	rte_vdev_uninit("dma_netdma0");
	rte_eal_cleanup();
	return bad == 0 ? 0 : 1;
}
