/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The smallest useful netdma program: get a dma_netdma device, copy
 * buffers of a few sizes through it in bursts, check every byte, and
 * print a table next to a plain CPU copy of the same buffers.
 *
 * Throughput is in Gbps and the buffers span the same 8 MiB at every
 * size, as in netdma-dma-perf's quick.ini: devtools/netdma demo runs the
 * two one after the other, and their figures compare.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>

#include "example_dmadev.h"
#include "example_eal.h"

#define PROG		"netdma-copy-demo"
#define DEFAULT_DEV	"dma_netdma0"
#define RING_SIZE	1024
#define BURST		32
#define MAX_MS		600000
#define MAX_SIZE	65536
/* Bytes a pass over the buffers touches, source and destination
 * together, whatever the copy size. */
#define WORKING_SET	(8u << 20)
#define AREA		(WORKING_SET / 2)	/* of each direction */

/* Without hugepages it needs only the PMD. */
static const struct example_eal_hint eal_hint = { .needs_pmd = true };

static void
usage(const char *prgname)
{
	printf("%s [EAL options] -- [--dma NAME] [MS]\n"
		"\n"
		"Copies buffers of 64 B to 64 KiB through a dma_netdma device for MS\n"
		"milliseconds per size (default 300), checks every byte, and prints\n"
		"the throughput in Gbps next to a CPU copy. At every size the copies\n"
		"go round a working set of %u MiB: %u MiB of source buffers and as\n"
		"much of destination buffers.\n"
		"\n"
		"--vdev: optional. With --vdev NAME[,devargs] in the EAL options the\n"
		"demo uses that device; without, it creates %s itself, its engine\n"
		"pinned to a CPU the process may run on other than the demo's own\n"
		"(the same one if it has no other). Either way the driver must be\n"
		"loaded: -d <path to librte_dma_netdma.so>.\n"
		"\n"
		"  --dma NAME   the dmadev to use or create (default %s)\n"
		"  MS           milliseconds per size and per copier, 1..%u\n"
		"  -h, --help   print this help and exit\n"
		"\n"
		"Exit status: 0 if every copy verified, 1 if a copy or the device\n"
		"failed, 2 if the command line is wrong.\n",
		prgname, WORKING_SET >> 20, AREA >> 20, DEFAULT_DEV,
		DEFAULT_DEV, MAX_MS);
}

struct options {
	const char *dma_name;
	uint64_t ms;
};

/* The application's arguments, those after "--"; -1 after printing what
 * is wrong. --help exits here, before EAL starts. */
static int
parse_args(int argc, char **argv, struct options *o)
{
	int i;

	o->dma_name = DEFAULT_DEV;
	o->ms = 300;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(PROG);
			exit(0);
		} else if (strcmp(a, "--dma") == 0 && i + 1 < argc) {
			o->dma_name = argv[++i];
		} else if (a[0] == '-') {
			fprintf(stderr, "%s: error: unknown option '%s' (or it needs a value); --help for usage\n",
				PROG, a);
			return -1;
		} else {
			errno = 0;
			o->ms = strtoull(a, &end, 10);
			if (errno != 0 || *end != '\0' || o->ms == 0 ||
					o->ms > MAX_MS) {
				fprintf(stderr, "%s: error: MS must be 1..%u, not '%s'\n",
					PROG, MAX_MS, a);
				return -1;
			}
		}
	}
	return 0;
}

struct result {
	uint64_t ops;
	double secs;
};

/* The source and destination areas cut into nb buffers of size bytes,
 * which the copies take in turn from buffer 0. */
struct bufs {
	uint8_t *src;
	uint8_t *dst;
	uint32_t size;
	uint32_t nb;
};

/* A source pattern that differs from buffer to buffer and from size to
 * size, and a zeroed destination. */
static void
bufs_fill(struct bufs *b, uint32_t size, unsigned int salt)
{
	uint32_t i;

	b->size = size;
	b->nb = AREA / size;
	for (i = 0; i < AREA; i++)
		b->src[i] = (uint8_t)(i / size * 131 + i % size * 7 + salt);
	memset(b->dst, 0, AREA);
}

/* Whether the first copies buffers (all, if more) match their source. */
static bool
bufs_verify(const struct bufs *b, uint64_t copies)
{
	return memcmp(b->src, b->dst,
		(size_t)RTE_MIN(copies, (uint64_t)b->nb) * b->size) == 0;
}

/* Keep the ring full: enqueue a burst when there is room, submit it,
 * collect whatever has completed. */
static int
dma_run(int16_t id, const struct bufs *b, uint64_t ms, struct result *r)
{
	uint64_t hz = rte_get_timer_hz(), start = rte_get_timer_cycles();
	uint64_t end = start + hz * ms / 1000, issued = 0, done = 0;
	bool error = false;

	while (rte_get_timer_cycles() < end || done < issued) {
		uint16_t i, n = 0;

		if (rte_get_timer_cycles() < end &&
				rte_dma_burst_capacity(id, 0) >= BURST) {
			for (i = 0; i < BURST; i++) {
				size_t off = (size_t)((issued + i) % b->nb) *
					b->size;

				if (rte_dma_copy(id, 0,
						rte_mem_virt2iova(b->src + off),
						rte_mem_virt2iova(b->dst + off),
						b->size, 0) < 0)
					break;
				n++;
			}
			issued += n;
			rte_dma_submit(id, 0);
		}
		done += rte_dma_completed(id, 0, BURST * 2, NULL, &error);
		if (error) {
			fprintf(stderr, "DMA error at size %u\n", b->size);
			return -1;
		}
	}
	r->ops = done;
	r->secs = (double)(rte_get_timer_cycles() - start) / hz;
	return 0;
}

static void
cpu_run(const struct bufs *b, uint64_t ms, struct result *r)
{
	uint64_t hz = rte_get_timer_hz(), start = rte_get_timer_cycles();
	uint64_t end = start + hz * ms / 1000, ops = 0;

	while (rte_get_timer_cycles() < end) {
		unsigned int i;

		for (i = 0; i < BURST; i++, ops++) {
			size_t off = (size_t)(ops % b->nb) * b->size;

			rte_memcpy(b->dst + off, b->src + off, b->size);
		}
	}
	r->ops = ops;
	r->secs = (double)(rte_get_timer_cycles() - start) / hz;
}

/* The arguments after "--", or none. */
static int
app_args(int argc, char **argv, char ***app_argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			*app_argv = &argv[i + 1];
			return argc - i - 1;
		}
	*app_argv = NULL;
	return 0;
}

int
main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 64, 1024, 4096, MAX_SIZE };
	struct example_dmadev dev;
	struct options opt;
	struct bufs b;
	unsigned int s, bad = 0;
	char **app_argv;
	char devargs[32] = "";
	int app_argc, ret, cpu;

	/* Application options first: --help and mistakes need no EAL. */
	app_argc = app_args(argc, argv, &app_argv);
	if (parse_args(app_argc, app_argv, &opt) != 0)
		return 2;
	rte_set_application_usage_hook(usage);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		example_eal_hint(argv[0], &eal_hint);
		return 1;
	}

	/* The engine apart from this lcore, when the process has a CPU
	 * to spare. */
	cpu = example_engine_cpu();
	if (cpu >= 0)
		snprintf(devargs, sizeof(devargs), "cpu=%d", cpu);
	if (example_dmadev_get(opt.dma_name, devargs, &dev) != 0 ||
			example_dmadev_start(&dev, RING_SIZE) != 0)
		return 1;
	/* Aligned to the largest copy, no buffer crosses a page: each
	 * one's IOVA range is contiguous, hugepages or not. */
	b.src = rte_malloc(NULL, AREA, MAX_SIZE);
	b.dst = rte_malloc(NULL, AREA, MAX_SIZE);
	if (b.src == NULL || b.dst == NULL) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}

	printf("\nnetdma copy demo: working set %u MiB per pass (source + destination), ring %u, burst %u, %" PRIu64 " ms per run\n\n",
		WORKING_SET >> 20, RING_SIZE, BURST, opt.ms);
	printf("%8s %7s | %12s %10s %9s | %10s %9s | %6s | %s\n", "size",
		"buffers", "dma ops", "Mops/s", "Gbps", "cpu Mops/s", "Gbps",
		"ratio", "verified");
	printf("-----------------+----------------------------------+----------------------+--------+---------\n");
	for (s = 0; s < RTE_DIM(sizes); s++) {
		struct result dma, cpu;
		double dma_gbps, cpu_gbps;
		bool ok;

		bufs_fill(&b, sizes[s], s);
		if (dma_run(dev.id, &b, opt.ms, &dma) != 0)
			return 1;
		/* No copy at all verifies nothing, and fails. */
		ok = dma.ops > 0 && bufs_verify(&b, dma.ops);
		bad += !ok;
		cpu_run(&b, opt.ms, &cpu);

		dma_gbps = dma.ops * (double)b.size * 8 / dma.secs / 1e9;
		cpu_gbps = cpu.ops * (double)b.size * 8 / cpu.secs / 1e9;
		printf("%7uB %7u | %12" PRIu64 " %10.2f %9.2f | %10.2f %9.2f | %5.2fx | %s\n",
			b.size, b.nb, dma.ops, dma.ops / dma.secs / 1e6,
			dma_gbps, cpu.ops / cpu.secs / 1e6, cpu_gbps,
			dma_gbps / cpu_gbps, ok ? "yes" : "NO");
	}
	printf("\nratio = DMA bandwidth / one-core rte_memcpy bandwidth\n");

	example_dmadev_release(&dev);
	rte_free(b.src);
	rte_free(b.dst);
	rte_eal_cleanup();
	return bad == 0 ? 0 : 1;
}
