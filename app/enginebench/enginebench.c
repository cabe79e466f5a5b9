/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The software engine alone, driven through its registers as a driver
 * drives it, without DPDK: some channels of one card fed copies, the
 * others started and left idle. It reports the copies per second and the
 * worker's passes per copy, and is small and deterministic enough to run
 * under valgrind's cachegrind or callgrind, which then say what each
 * engine function costs per copy (its instructions, and the cache misses
 * of a simulated hierarchy). That is how the cost of idle channels to a
 * busy worker was found (doc/perf_notes.md).
 *
 * Usage: see usage() below, or run with --help.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netdma_engine.h"
#include "netdma_mmio.h"

#define RING		1024
#define STATUS_STRIDE	32

struct chan {
	volatile struct netdma_chan_regs *regs;
	struct netdma_desc *ring;
	uint64_t *status;
	uint16_t written;	/* descriptors made available */
	uint16_t done;		/* descriptors seen done */
	struct walk *walk;	/* where its copies go */
};

/* A walk over [base, base + span) of the source and destination areas. */
struct walk {
	uint64_t base, span, pos;
};

/* Where the copies go: one walk shared by the channels in the order they
 * are fed, a walk of its own share per channel (as applications with a
 * buffer per channel do), or anywhere at random (as copies into pools of
 * packet buffers go). */
enum pattern { PAT_SHARED, PAT_SPLIT, PAT_RANDOM };
static const char *const pattern_name[] = { "shared", "split", "random" };

static struct {
	unsigned int channels, busy, size, batch, depth;
	uint64_t ops, mem;
	enum pattern pattern;
	enum netdma_readahead readahead;
} opt = { 16, 1, 64, 32, RING - 1, 2000000, 16 << 20, PAT_SHARED,
	NETDMA_READAHEAD_AUTO };

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
usage(const char *prog)
{
	printf("usage: %s [--channels N] [--busy K] [--size BYTES] [--batch B]\n"
		"          [--depth D] [--ops N] [--mem MIB]\n"
		"          [--pattern shared|split|random]\n"
		"          [--readahead auto|on|off]\n"
		"  a card of N channels (default 16), K of them fed copies of\n"
		"  BYTES (64) in batches of B (32), at most D (%u) outstanding\n"
		"  per channel, N - K started and idle; OPS copies in all\n"
		"  (2000000), over MIB MiB of source and as much of destination\n"
		"  (16): one walk over them all that the channels share in the\n"
		"  order they are fed (shared), a walk of its own share per\n"
		"  channel (split), or copies anywhere (random); the engine's\n"
		"  read-ahead as it decides (auto), always or never. The worker\n"
		"  runs on the second CPU this process may use, this thread on\n"
		"  the first.\n", prog, RING - 1);
}

/* The index of value in names, or -1 with a message naming option. */
static int
name_index(const char *const *names, int n, const char *option,
		const char *value)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], value) == 0)
			return i;
	fprintf(stderr, "%s: unknown value '%s'\n", option, value);
	return -1;
}

static int
parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "channels", required_argument, NULL, 'c' },
		{ "busy", required_argument, NULL, 'k' },
		{ "size", required_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "depth", required_argument, NULL, 'd' },
		{ "ops", required_argument, NULL, 'n' },
		{ "pattern", required_argument, NULL, 'p' },
		{ "readahead", required_argument, NULL, 'r' },
		{ "mem", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, v;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'c': opt.channels = (unsigned int)atoi(optarg); break;
		case 'k': opt.busy = (unsigned int)atoi(optarg); break;
		case 's': opt.size = (unsigned int)atoi(optarg); break;
		case 'b': opt.batch = (unsigned int)atoi(optarg); break;
		case 'd': opt.depth = (unsigned int)atoi(optarg); break;
		case 'n': opt.ops = strtoull(optarg, NULL, 0); break;
		case 'p':
			v = name_index(pattern_name, 3, "--pattern", optarg);
			if (v < 0)
				return -1;
			opt.pattern = (enum pattern)v;
			break;
		case 'r':
			if (netdma_readahead_parse(optarg, &opt.readahead) != 0) {
				fprintf(stderr, "--readahead: unknown value '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'm': opt.mem = strtoull(optarg, NULL, 0) << 20; break;
		case 'h': usage(argv[0]); exit(0);
		default: usage(argv[0]); return -1;
		}
	}
	if (opt.channels < 1 || opt.channels > NETDMA_MAX_CHANNELS ||
			opt.busy < 1 || opt.busy > opt.channels ||
			opt.size < 1 || opt.batch < 1 || opt.batch >= RING ||
			opt.depth < opt.batch || opt.depth >= RING ||
			opt.mem < (uint64_t)opt.size * RING) {
		fprintf(stderr, "%s: bad arguments\n", argv[0]);
		usage(argv[0]);
		return -1;
	}
	return 0;
}

static void *
alloc_mapped(struct netdma_engine *e, size_t len)
{
	void *p = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);

	if (p == NULL || netdma_iommu_map(e, (uintptr_t)p, p, len) != 0) {
		fprintf(stderr, "cannot allocate and map %zu bytes\n", len);
		exit(1);
	}
	memset(p, 0, len);
	return p;
}

/* Reset and program channel c, as a driver's start does. */
static void
chan_start(struct netdma_engine *e, struct chan *ch, unsigned int c)
{
	unsigned int i;

	ch->regs = netdma_chan_regs(netdma_engine_bar(e), c);
	ch->ring = alloc_mapped(e, RING * sizeof(*ch->ring));
	ch->status = alloc_mapped(e, 64);
	for (i = 0; i < RING; i++)
		ch->ring[i].next = (uintptr_t)&ch->ring[(i + 1) % RING];
	netdma_mmio_write(ch->regs, chancmd, NETDMA_CMD_RESET);
	netdma_engine_kick(e, c);
	while (netdma_mmio_read(ch->regs, chancmd) != 0)
		sched_yield();
	*ch->status = (uintptr_t)&ch->ring[RING - 1] | NETDMA_STS_IDLE;
	netdma_mmio_write(ch->regs, chainaddr, (uintptr_t)ch->ring);
	netdma_mmio_write(ch->regs, chancmp, (uintptr_t)ch->status);
	netdma_mmio_write(ch->regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_STATUS_ON_IDLE));
	netdma_engine_kick(e, c);
}

/* Descriptors of ch done so far, from its status line. */
static uint16_t
chan_done(struct chan *ch)
{
	uint64_t sts = __atomic_load_n(ch->status, __ATOMIC_ACQUIRE);
	uint16_t slot = (uint16_t)((netdma_sts_addr(sts) -
		(uintptr_t)ch->ring) / sizeof(struct netdma_desc));

	if (netdma_sts_state(sts) == NETDMA_STS_HALTED) {
		fprintf(stderr, "channel halted\n");
		exit(1);
	}
	ch->done += (uint16_t)(slot + 1 - ch->done) % RING;
	return ch->done;
}

/* The offset of the next copy of a walk, into both areas. */
static uint64_t
walk_next(struct walk *w)
{
	static uint64_t rng = 0x9E3779B97F4A7C15ull;
	uint64_t stride = (opt.size + 63) & ~63ull, off;

	if (opt.pattern == PAT_RANDOM) {
		/* xorshift64: cheap next to a copy, and the same every run */
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		return w->base + rng % (w->span / stride) * stride;
	}
	off = w->pos;
	w->pos += stride;
	if (w->pos + opt.size > w->span)
		w->pos = 0;
	return w->base + off;
}

/* A batch of copies on ch if its ring has room. Returns the copies
 * enqueued. */
static unsigned int
chan_feed(struct netdma_engine *e, struct chan *ch, unsigned int c,
		uint8_t *src, uint8_t *dst)
{
	unsigned int i, n = opt.batch;

	if ((uint16_t)(ch->written - chan_done(ch)) + n > opt.depth)
		return 0;
	for (i = 0; i < n; i++) {
		struct netdma_desc *d = &ch->ring[ch->written % RING];
		uint64_t off = walk_next(ch->walk);

		d->size = opt.size;
		d->ctrl = (NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT) |
			((ch->written % STATUS_STRIDE) == STATUS_STRIDE - 1 ?
				NETDMA_DESC_STATUS_UPDATE : 0);
		d->src = (uintptr_t)(src + off);
		d->dst = (uintptr_t)(dst + off);
		ch->written++;
	}
	netdma_mmio_write(ch->regs, doorbell, ch->written);
	netdma_engine_kick(e, c);
	return n;
}

static int
two_cpus(int cpu[2])
{
	cpu_set_t set;
	int c, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 0;
	for (c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &set))
			cpu[n++] = c;
	return n;
}

int
main(int argc, char **argv)
{
	struct netdma_engine_params p = { .spin_us = 100, .name = "ebench" };
	uint64_t sent = 0, passes, t0, t;
	struct walk *walks;
	struct netdma_engine *e;
	struct chan *ch;
	uint8_t *src, *dst;
	int cpu[2];
	unsigned int c;

	if (parse(argc, argv) != 0)
		return 2;
	p.nb_channels = opt.channels;
	p.readahead = opt.readahead;
	if (two_cpus(cpu) == 2) {
		cpu_set_t self;

		p.cpus = &cpu[1];
		p.nb_cpus = 1;
		CPU_ZERO(&self);
		CPU_SET(cpu[0], &self);
		sched_setaffinity(0, sizeof(self), &self);
	}
	e = netdma_engine_create(&p);
	if (e == NULL) {
		perror("netdma_engine_create");
		return 1;
	}
	src = alloc_mapped(e, opt.mem);
	dst = alloc_mapped(e, opt.mem);
	memset(src, 0x5A, opt.mem);
	ch = calloc(opt.channels, sizeof(*ch));
	walks = calloc(opt.busy, sizeof(*walks));
	for (c = 0; c < opt.busy; c++) {
		walks[c].span = opt.pattern == PAT_SPLIT ?
			opt.mem / opt.busy & ~63ull : opt.mem;
		walks[c].base = opt.pattern == PAT_SPLIT ? c * walks[c].span : 0;
	}
	for (c = 0; c < opt.channels; c++) {
		chan_start(e, &ch[c], c);
		if (c < opt.busy)
			ch[c].walk = &walks[opt.pattern == PAT_SPLIT ? c : 0];
	}

	passes = netdma_engine_passes(e, 0);
	t0 = now_ns();
	/* A full ring yields the CPU: natively a cheap no-op on a CPU of
	 * its own, under valgrind, which runs one thread at a time, the
	 * worker's turn instead of a long spin. */
	while (sent < opt.ops) {
		uint64_t before = sent;

		for (c = 0; c < opt.busy; c++)
			sent += chan_feed(e, &ch[c], c, src, dst);
		if (sent == before)
			sched_yield();
	}
	for (c = 0; c < opt.busy; c++)
		while (chan_done(&ch[c]) != ch[c].written)
			sched_yield();
	t = now_ns() - t0;
	passes = netdma_engine_passes(e, 0) - passes;
	printf("channels %u (%u busy, %u idle), %u B copies, batch %u, "
		"%" PRIu64 " MiB %s, read-ahead %s: %.2f Mops/s, "
		"%.3f worker passes per copy\n",
		opt.channels, opt.busy, opt.channels - opt.busy, opt.size,
		opt.batch, opt.mem >> 20, pattern_name[opt.pattern],
		netdma_readahead_name(opt.readahead), sent * 1e3 / (double)t,
		(double)passes / (double)sent);
	free(walks);
	free(ch);
	netdma_engine_destroy(e);
	return 0;
}
