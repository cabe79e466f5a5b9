/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Adaptive polling for a DMA channel, the l3fwd-power pattern done for
 * dmadev: poll while completions flow; after a run of empty polls that
 * also lasted a while (so a full ring waiting on a busy engine does not
 * count as idle), sleep
 * in rte_pmd_netdma_wait() until the channel's interrupt says something
 * completed; then poll again.
 *
 * Demo (default): three phases on one channel - busy (ring kept full),
 * idle (nothing to do), trickle (one copy every 2 ms) - run once in
 * pure polling mode and once adaptively, printing the application thread's
 * CPU time, the engine thread's, and the wake-ups in each phase.
 *
 * --bench: the measurements, side by side in one run: CPU while
 * waiting on an idle channel, wake-up latency percentiles, and the
 * throughput a busy channel loses by running the adaptive loop.
 *
 *   netdma-dma-intr -d <librte_dma_netdma.so> --no-huge -m 512 -l 1 \
 *       -- [--bench] [--idle-s N] [--empty-polls N] [--idle-us N]
 *          [--wakeups N] [--engine-cpu N] [--spin-us N]
 */

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pmd_netdma.h>

#define DEV_NAME	"dma_netdma0"
#define ENGINE_THREAD	"netdma0-w0"
#define DEV_SHARED	"dma_netdma1"	/* --bench: engine on our own core */
#define ENGINE_SHARED	"netdma1-w0"
#define RING_SIZE	1024
#define BURST		32
#define COPY_SIZE	1024
#define TRICKLE_US	2000	/* one copy per 2 ms in the trickle phase */

struct options {
	bool bench;
	unsigned int idle_s;
	unsigned int busy_ms;
	unsigned int empty_polls;	/* empty polls before sleeping... */
	unsigned int idle_us;		/* ...spanning at least this long */
	unsigned int wakeups;		/* latency samples in --bench */
	int spin_us;			/* engine idle spin, -1: default */
	int engine_cpu;			/* -1: unpinned, -2: the other core */
};

static struct options opt = {
	.idle_s = 2,
	.busy_ms = 1000,
	.empty_polls = 512,
	.idle_us = 50,
	.wakeups = 10000,
	.spin_us = -1,
	.engine_cpu = -2,
};

static int16_t dev_id;
static uint8_t *src, *dst;
static clockid_t engine_clock;

static int16_t
device_create(const char *name, const char *devargs)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM, .nb_desc = RING_SIZE,
	};
	int id;

	if (rte_vdev_init(name, devargs) != 0) {
		fprintf(stderr, "cannot create %s: was the driver loaded with -d?\n",
			name);
		return -1;
	}
	id = rte_dma_get_dev_id_by_name(name);
	if (id < 0 || rte_dma_configure(id, &conf) != 0 ||
			rte_dma_vchan_setup(id, 0, &qconf) != 0 ||
			rte_dma_start(id) != 0) {
		fprintf(stderr, "%s: setup failed\n", name);
		return -1;
	}
	return id;
}

/* ---- CPU time of this thread and of the engine's worker ---- */

static uint64_t
clock_ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Linux encodes a thread's CPU clock as ~tid << 3 | PERTHREAD | SCHED. */
static clockid_t
thread_clock_by_name(const char *want)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/task");
	clockid_t found = CLOCK_MONOTONIC;

	while (d != NULL && (de = readdir(d)) != NULL) {
		char path[300], name[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(name, sizeof(name), f) != NULL &&
				strncmp(name, want, strlen(want)) == 0)
			found = (clockid_t)((~(unsigned int)atoi(de->d_name)) << 3 | 6);
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return found;
}

struct usage {
	uint64_t wall_ns, app_ns, engine_ns;
	struct rte_pmd_netdma_intr_stats intr;
	uint64_t ops;
};

static void
usage_mark(struct usage *u)
{
	u->wall_ns = clock_ns(CLOCK_MONOTONIC);
	u->app_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	u->engine_ns = engine_clock == CLOCK_MONOTONIC ? 0 :
		clock_ns(engine_clock);
	rte_pmd_netdma_intr_stats_get(dev_id, 0, &u->intr);
}

static void
usage_since(struct usage *u, const struct usage *start)
{
	struct usage now;

	usage_mark(&now);
	u->wall_ns = now.wall_ns - start->wall_ns;
	u->app_ns = now.app_ns - start->app_ns;
	u->engine_ns = now.engine_ns - start->engine_ns;
	u->intr.sleeps = now.intr.sleeps - start->intr.sleeps;
	u->intr.wakeups = now.intr.wakeups - start->intr.wakeups;
	u->intr.timeouts = now.intr.timeouts - start->intr.timeouts;
}

/* ---- the adaptive loop ---- */

enum workload {
	WORK_BUSY,	/* keep the ring full */
	WORK_IDLE,	/* submit nothing */
	WORK_TRICKLE,	/* one copy every TRICKLE_US */
};

static const char * const workload_name[] = {
	[WORK_BUSY] = "busy", [WORK_IDLE] = "idle", [WORK_TRICKLE] = "trickle",
};

/* Enqueue what the workload wants now; returns ops submitted. */
static unsigned int
produce(enum workload w, uint64_t now, uint64_t *next_trickle, uint64_t seq)
{
	unsigned int i, n = 0;

	if (w == WORK_BUSY) {
		if (rte_dma_burst_capacity(dev_id, 0) < BURST)
			return 0;
		for (i = 0; i < BURST; i++, n++) {
			unsigned int slot = (seq + i) % 64;

			rte_dma_copy(dev_id, 0,
				rte_mem_virt2iova(src + slot * COPY_SIZE),
				rte_mem_virt2iova(dst + slot * COPY_SIZE),
				COPY_SIZE, 0);
		}
		rte_dma_submit(dev_id, 0);
	} else if (w == WORK_TRICKLE && now >= *next_trickle) {
		rte_dma_copy(dev_id, 0, rte_mem_virt2iova(src),
			rte_mem_virt2iova(dst), COPY_SIZE,
			RTE_DMA_OP_FLAG_SUBMIT);
		*next_trickle = now + rte_get_timer_hz() * TRICKLE_US / 1000000;
		n = 1;
	}
	return n;
}

/*
 * Run a workload for ms milliseconds. adaptive=false is pure polling.
 * The wait's timeout is bounded by when the workload next has something
 * to do: in a real application that is the next Rx interrupt or timer.
 */
static void
run_phase(enum workload w, unsigned int ms, bool adaptive, struct usage *u)
{
	uint64_t hz = rte_get_timer_hz(), now = rte_get_timer_cycles();
	uint64_t end = now + hz * ms / 1000, next_trickle = now;
	uint64_t submitted = 0, done = 0;
	uint64_t idle_cycles = hz * opt.idle_us / 1000000, last_done = now;
	unsigned int empty = 0;
	struct usage start;

	usage_mark(&start);
	while ((now = rte_get_timer_cycles()) < end || done < submitted) {
		uint16_t n;

		if (now < end)
			submitted += produce(w, now, &next_trickle, submitted);
		n = rte_dma_completed(dev_id, 0, 2 * BURST, NULL, NULL);
		if (n != 0) {
			done += n;
			empty = 0;
			last_done = now;
			continue;
		}
		if (!adaptive || ++empty < opt.empty_polls ||
				now - last_done < idle_cycles)
			continue;
		/* Nothing for a while: sleep until the channel completes
		 * something, or until the workload has new work (in a real
		 * application: an Rx interrupt or a timer fd). */
		{
			uint64_t until = w == WORK_TRICKLE ?
				RTE_MIN(next_trickle, end) : end;
			int tmo = until > now ?
				(int)((until - now) * 1000 / hz) : 0;

			if (tmo > 0 || done < submitted)
				rte_pmd_netdma_wait(dev_id, 0, RTE_MAX(tmo, 1));
			else if (until > now)	/* idle, work due within 1 ms */
				rte_delay_us_sleep((until - now) * 1000000 / hz);
		}
		empty = 0;
		last_done = rte_get_timer_cycles();
	}
	usage_since(u, &start);
	u->ops = done;
}

static void
print_usage_row(const char *mode, enum workload w, const struct usage *u)
{
	double secs = u->wall_ns / 1e9;

	printf("%-9s %-8s %7.2f s %11" PRIu64 " %8.2f %% %8.2f %% %8" PRIu64
		" %8" PRIu64 "\n", mode, workload_name[w], secs, u->ops,
		100.0 * u->app_ns / u->wall_ns,
		100.0 * u->engine_ns / u->wall_ns,
		u->intr.sleeps, u->intr.wakeups);
}

static void
demo(void)
{
	static const enum workload phases[] = {
		WORK_BUSY, WORK_IDLE, WORK_TRICKLE,
	};
	unsigned int m, p;

	printf("\n%-9s %-8s %9s %11s %10s %10s %8s %8s\n", "mode", "phase",
		"time", "copies", "app CPU", "engine CPU", "sleeps",
		"wakeups");
	for (m = 0; m < 2; m++) {
		for (p = 0; p < RTE_DIM(phases); p++) {
			struct usage u;
			unsigned int ms = phases[p] == WORK_IDLE ?
				opt.idle_s * 1000 : opt.busy_ms;

			run_phase(phases[p], ms, m == 1, &u);
			print_usage_row(m == 1 ? "adaptive" : "polling",
				phases[p], &u);
		}
	}
	printf("\nsleeps: times the adaptive loop slept in rte_pmd_netdma_wait();"
		" wakeups: sleeps ended by the channel interrupt\n");
}

/* ---- --bench ---- */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Submit one op on an idle channel (engine parked), time until the
 * wait returns. */
static void
bench_wake_latency(void)
{
	uint64_t *lat = malloc(sizeof(*lat) * opt.wakeups);
	uint64_t *sub = malloc(sizeof(*sub) * opt.wakeups);
	uint64_t hz = rte_get_timer_hz();
	struct usage start, u;
	unsigned int i;

	usage_mark(&start);
	for (i = 0; i < opt.wakeups; i++) {
		uint64_t t0;

		/* past the engine's idle spin, so it is parked */
		rte_delay_us_sleep(200);
		t0 = rte_get_timer_cycles();
		rte_dma_copy(dev_id, 0, rte_mem_virt2iova(src),
			rte_mem_virt2iova(dst), 64, RTE_DMA_OP_FLAG_SUBMIT);
		sub[i] = rte_get_timer_cycles() - t0;
		if (rte_pmd_netdma_wait(dev_id, 0, 1000) != 1) {
			printf("wake-up %u: wait did not return 1\n", i);
			exit(1);
		}
		lat[i] = rte_get_timer_cycles() - t0;
		if (rte_dma_completed(dev_id, 0, 1, NULL, NULL) != 1) {
			printf("wake-up %u: no completion after wait\n", i);
			exit(1);
		}
	}
	usage_since(&u, &start);
	qsort(lat, opt.wakeups, sizeof(*lat), cmp_u64);
	qsort(sub, opt.wakeups, sizeof(*sub), cmp_u64);
	printf("wake-up latency, submit of one op on an idle channel to return from"
		" rte_pmd_netdma_wait(), %u samples (%" PRIu64 " slept, %" PRIu64
		" woken by the interrupt):\n", opt.wakeups, u.intr.sleeps,
		u.intr.wakeups);
	printf("  p50 %.1f us   p90 %.1f us   p99 %.1f us   max %.1f us\n",
		lat[opt.wakeups / 2] * 1e6 / hz,
		lat[opt.wakeups * 9 / 10] * 1e6 / hz,
		lat[opt.wakeups * 99 / 100] * 1e6 / hz,
		lat[opt.wakeups - 1] * 1e6 / hz);
	printf("  of which the submit call (doorbell + kick of the parked engine):"
		" p50 %.1f us   p99 %.1f us\n", sub[opt.wakeups / 2] * 1e6 / hz,
		sub[opt.wakeups * 99 / 100] * 1e6 / hz);
	free(lat);
	free(sub);
}

static void
bench(void)
{
	enum { ROUNDS = 5 };
	double poll_mops[ROUNDS], adapt_mops[ROUNDS], pm, am;
	struct usage poll_idle, adapt_idle;
	unsigned int r;

	printf("\n1. waiting on an idle channel for %u s\n", opt.idle_s);
	run_phase(WORK_IDLE, opt.idle_s * 1000, false, &poll_idle);
	run_phase(WORK_IDLE, opt.idle_s * 1000, true, &adapt_idle);
	printf("  %-30s app thread %6.2f %% of a core, engine %6.3f %%\n",
		"busy polling:", 100.0 * poll_idle.app_ns / poll_idle.wall_ns,
		100.0 * poll_idle.engine_ns / poll_idle.wall_ns);
	printf("  %-30s app thread %6.2f %% of a core, engine %6.3f %%"
		" (%" PRIu64 " sleeps)\n", "adaptive (sleeps in wait):",
		100.0 * adapt_idle.app_ns / adapt_idle.wall_ns,
		100.0 * adapt_idle.engine_ns / adapt_idle.wall_ns,
		adapt_idle.intr.sleeps);

	printf("\n2. engine on the other core (%s): ", DEV_NAME);
	bench_wake_latency();
	{
		/* The same, with the engine sharing this core and parking at
		 * once: no idle vCPU to wake, which on a VM is most of it. */
		int16_t main_dev = dev_id;
		clockid_t main_clock = engine_clock;
		char args[32];

		snprintf(args, sizeof(args), "cpu=%u,spin_us=0", rte_lcore_id());
		dev_id = device_create(DEV_SHARED, args);
		if (dev_id >= 0) {
			engine_clock = thread_clock_by_name(ENGINE_SHARED);
			printf("\n   engine sharing the application's core (%s, %s): ",
				DEV_SHARED, args);
			bench_wake_latency();
			rte_dma_stop(dev_id);
			rte_vdev_uninit(DEV_SHARED);
		}
		dev_id = main_dev;
		engine_clock = main_clock;
	}

	printf("\n3. busy channel, %u B copies, burst %u: pure polling vs the"
		" adaptive loop, %u interleaved rounds of %u ms\n", COPY_SIZE,
		BURST, ROUNDS, opt.busy_ms);
	for (r = 0; r < ROUNDS; r++) {
		struct usage u;
		bool adaptive_first = r & 1;

		run_phase(WORK_BUSY, opt.busy_ms, adaptive_first, &u);
		(adaptive_first ? adapt_mops : poll_mops)[r] =
			u.ops / (u.wall_ns / 1e3);
		run_phase(WORK_BUSY, opt.busy_ms, !adaptive_first, &u);
		(adaptive_first ? poll_mops : adapt_mops)[r] =
			u.ops / (u.wall_ns / 1e3);
	}
	pm = median(poll_mops, ROUNDS);
	am = median(adapt_mops, ROUNDS);
	printf("  polling %.3f Mops/s, adaptive %.3f Mops/s (medians):"
		" adaptive/polling = %.3f, throughput lost %.2f %%\n",
		pm, am, am / pm, 100.0 * (1 - am / pm));
}

static int
parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--bench") == 0)
			opt.bench = true;
		else if (strcmp(argv[i], "--idle-s") == 0 && i + 1 < argc)
			opt.idle_s = atoi(argv[++i]);
		else if (strcmp(argv[i], "--busy-ms") == 0 && i + 1 < argc)
			opt.busy_ms = atoi(argv[++i]);
		else if (strcmp(argv[i], "--empty-polls") == 0 && i + 1 < argc)
			opt.empty_polls = atoi(argv[++i]);
		else if (strcmp(argv[i], "--idle-us") == 0 && i + 1 < argc)
			opt.idle_us = atoi(argv[++i]);
		else if (strcmp(argv[i], "--wakeups") == 0 && i + 1 < argc)
			opt.wakeups = atoi(argv[++i]);
		else if (strcmp(argv[i], "--spin-us") == 0 && i + 1 < argc)
			opt.spin_us = atoi(argv[++i]);
		else if (strcmp(argv[i], "--engine-cpu") == 0 && i + 1 < argc)
			opt.engine_cpu = atoi(argv[++i]);
		else {
			fprintf(stderr, "unknown option %s\n", argv[i]);
			return -1;
		}
	}
	if (opt.wakeups == 0 || opt.busy_ms == 0) {
		fprintf(stderr, "--wakeups and --busy-ms must be positive\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char devargs[64];
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	argc -= ret;
	argv += ret;
	if (parse_args(argc, argv) != 0)
		return 2;

	/* The engine goes on the core the application does not use. */
	if (opt.engine_cpu == -2)
		ret = snprintf(devargs, sizeof(devargs), "cpu=%u",
			rte_lcore_id() == 0 ? 1 : 0);
	else if (opt.engine_cpu >= 0)
		ret = snprintf(devargs, sizeof(devargs), "cpu=%d",
			opt.engine_cpu);
	else
		ret = snprintf(devargs, sizeof(devargs), "spin_us=%d",
			opt.spin_us >= 0 ? opt.spin_us : 20);
	if (opt.spin_us >= 0 && opt.engine_cpu != -1)
		snprintf(devargs + ret, sizeof(devargs) - ret, ",spin_us=%d",
			opt.spin_us);
	dev_id = device_create(DEV_NAME, devargs);
	src = rte_zmalloc(NULL, 64 * COPY_SIZE, 64);
	dst = rte_zmalloc(NULL, 64 * COPY_SIZE, 64);
	if (dev_id < 0 || src == NULL || dst == NULL)
		return 1;
	engine_clock = thread_clock_by_name(ENGINE_THREAD);
	printf("netdma adaptive polling: app on lcore %u, engine %s; sleeps after %u empty polls spanning %u us\n",
		rte_lcore_id(), devargs, opt.empty_polls, opt.idle_us);

	if (opt.bench)
		bench();
	else
		demo();

	rte_dma_stop(dev_id);
	rte_vdev_uninit(DEV_NAME);
	rte_eal_cleanup();
	return 0;
}
