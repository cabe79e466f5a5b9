/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * What moving one 64-byte line between two cores costs on this machine:
 * the floor under any descriptor-ring DMA engine, whose every descriptor
 * is such a line. Two measurements, CPUs given on the command line:
 *  - ping-pong: one line bounced back and forth; half a round trip is
 *    the latency of one transfer;
 *  - stream: a producer fills 64-byte slots of a 1024-slot ring, a
 *    consumer reads them (as an engine reads descriptors); lines per
 *    second is the throughput, ns per line its inverse.
 *
 * Usage: see usage() below, or run with --help.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS		2000000
#define RING		1024
#define LINES		(64u << 20)

struct line {
	volatile uint64_t seq;
	uint64_t pad[7];
} __attribute__((aligned(64)));

static struct line pingpong[2];
static struct line ring[RING];
static volatile uint64_t consumed __attribute__((aligned(64)));
static int cpu_a, cpu_b;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void
pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *
pong(void *arg)
{
	uint64_t i;

	(void)arg;
	pin(cpu_b);
	for (i = 1; i <= ROUNDS; i++) {
		while (pingpong[0].seq != i)
			__builtin_ia32_pause();
		pingpong[1].seq = i;
	}
	return NULL;
}

static void *
consumer(void *arg)
{
	uint64_t i, sum = 0;

	(void)arg;
	pin(cpu_b);
	for (i = 1; i <= LINES; i++) {
		struct line *l = &ring[i % RING];

		while (l->seq != i)
			__builtin_ia32_pause();
		sum += l->pad[0];
		if ((i & 63) == 0)
			consumed = i;	/* credit back every 64 lines */
	}
	consumed = i;
	return (void *)(uintptr_t)sum;
}

static void
usage(FILE *f)
{
	fprintf(f, "Usage: netdma-linecost [CPU_A CPU_B]\n"
		"\n"
		"What moving one 64-byte line between two cores costs: a ping-pong\n"
		"of one line (latency of a one-way transfer), then a stream of lines\n"
		"through a 1024-slot ring (throughput). No DPDK, no --vdev.\n"
		"\n"
		"  CPU_A CPU_B   the two CPUs, the first running the producer\n"
		"                (default 0 1)\n"
		"  -h, --help    print this help and exit\n");
}

static int
parse_cpu(const char *s, int *cpu)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 ||
			v >= CPU_SETSIZE) {
		fprintf(stderr, "netdma-linecost: error: '%s' is not a CPU number\n",
			s);
		return -1;
	}
	*cpu = (int)v;
	return 0;
}

int
main(int argc, char **argv)
{
	pthread_t t;
	uint64_t i, t0, t1;
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-h") == 0 ||
				strcmp(argv[a], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (argv[a][0] == '-' && argv[a][1] != '\0') {
			fprintf(stderr, "netdma-linecost: error: unknown option '%s'\n\n",
				argv[a]);
			usage(stderr);
			return 2;
		}
	}
	cpu_a = 0;
	cpu_b = 1;
	if (argc != 1 && argc != 3) {
		fprintf(stderr, "netdma-linecost: error: two CPUs or none\n\n");
		usage(stderr);
		return 2;
	}
	if (argc == 3 && (parse_cpu(argv[1], &cpu_a) != 0 ||
			parse_cpu(argv[2], &cpu_b) != 0))
		return 2;
	pin(cpu_a);

	pthread_create(&t, NULL, pong, NULL);
	t0 = now_ns();
	for (i = 1; i <= ROUNDS; i++) {
		pingpong[0].seq = i;
		while (pingpong[1].seq != i)
			__builtin_ia32_pause();
	}
	t1 = now_ns();
	pthread_join(t, NULL);
	printf("ping-pong cpu %d <-> cpu %d: %.1f ns per one-way line transfer\n",
		cpu_a, cpu_b, (double)(t1 - t0) / ROUNDS / 2);

	pthread_create(&t, NULL, consumer, NULL);
	t0 = now_ns();
	for (i = 1; i <= LINES; i++) {
		struct line *l = &ring[i % RING];

		while (i - consumed >= RING - 64)
			__builtin_ia32_pause();
		l->pad[0] = i;
		l->seq = i;
	}
	pthread_join(t, NULL);
	t1 = now_ns();
	printf("stream cpu %d -> cpu %d: %.2f ns per 64-byte line (%.1f M lines/s)\n",
		cpu_a, cpu_b, (double)(t1 - t0) / LINES,
		LINES * 1e3 / (t1 - t0));
	return 0;
}
