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
 * CPU time, the engine thread's, and the sleeps in each phase.
 *
 * --bench: the measurements, side by side in one run: CPU while
 * waiting on an idle channel, wake-up latency percentiles, and the
 * throughput a busy channel loses by running the adaptive loop.
 *
 * Options: see usage() below, or run with -- --help.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
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

#include "example_dmadev.h"
#include "example_eal.h"

#define PROG		"netdma-dma-intr"
#define DEV_NAME	"dma_netdma0"
#define DEV_SHARED	"dma_netdma1"	/* --bench: engine on our own core */
#define RING_SIZE	1024
#define BURST		32
#define COPY_SIZE	1024
#define TRICKLE_US	2000	/* one copy per 2 ms in the trickle phase */

/* It links the PMD: without hugepages it needs nothing more. */
static const struct example_eal_hint eal_hint = { .needs_pmd = false };

struct options {
	const char *dma_name;
	bool bench;
	unsigned int idle_s;
	unsigned int busy_ms;
	unsigned int empty_polls;	/* empty polls before sleeping... */
	unsigned int idle_us;		/* ...spanning at least this long */
	unsigned int wakeups;		/* latency samples in --bench */
	int spin_us;			/* engine idle spin, -1: default */
	int engine_cpu;			/* -1: unpinned, -2: another CPU */
};

static const struct options opt_default = {
	.dma_name = DEV_NAME,
	.idle_s = 2,
	.busy_ms = 1000,
	.empty_polls = 512,
	.idle_us = 50,
	.wakeups = 10000,
	.spin_us = -1,
	.engine_cpu = -2,
};

static struct options opt;

static int16_t dev_id;
static const char *engine_desc;	/* its devargs, or where it came from */
static uint8_t *src, *dst;
static clockid_t engine_clock;

/* ---- CPU time of this thread and of the engine's worker ---- */

static uint64_t
clock_ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Threads of this process whose name starts with prefix: how many; and
 * the CPU clock of the one named exactly want, if want is given. Linux
 * encodes a thread's CPU clock as ~tid << 3 | PERTHREAD | SCHED.
 */
static unsigned int
threads_named(const char *prefix, const char *want, clockid_t *clock)
{
	DIR *d = opendir("/proc/self/task");
	unsigned int count = 0;
	struct dirent *de;

	while (d != NULL && (de = readdir(d)) != NULL) {
		char path[300], name[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(name, sizeof(name), f) != NULL) {
			name[strcspn(name, "\n")] = '\0';
			if (strncmp(name, prefix, strlen(prefix)) == 0)
				count++;
			if (want != NULL && strcmp(name, want) == 0)
				*clock = (clockid_t)((~(unsigned int)atoi(
					de->d_name)) << 3 | 6);
		}
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return count;
}

/*
 * The CPU clock of the engine worker serving dmadev name, or
 * CLOCK_MONOTONIC if there is none to be found. The driver names its
 * workers "<card>-w<k>", the card being the vdev name without "dma_" cut
 * to 10 characters, and channel c (dmadev "<vdev>-ch<c>") is served by
 * worker c % workers.
 */
static clockid_t
engine_clock_of(const char *dmadev)
{
	const char *base = strncmp(dmadev, "dma_", 4) == 0 ? dmadev + 4 :
		dmadev;
	const char *ch = strstr(base, "-ch");
	size_t len = ch != NULL ? (size_t)(ch - base) : strlen(base);
	unsigned int chan = ch != NULL ? (unsigned int)atoi(ch + 3) : 0;
	clockid_t clock = CLOCK_MONOTONIC;
	char prefix[24], want[40];
	unsigned int workers;

	snprintf(prefix, sizeof(prefix), "%.*s-w", (int)RTE_MIN(len, 10u),
		base);
	workers = threads_named(prefix, NULL, NULL);
	if (workers == 0)
		return CLOCK_MONOTONIC;
	snprintf(want, sizeof(want), "%s%u", prefix, chan % workers);
	threads_named(prefix, want, &clock);
	return clock;
}

struct usage {
	uint64_t wall_ns, app_ns, engine_ns;
	struct rte_pmd_netdma_intr_stats intr;
	uint64_t submitted;
	uint64_t ops;			/* completed */
	/* trickle: how late each copy was submitted after it fell due */
	uint64_t late_sum_cyc, late_max_cyc;
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
		/* The next copy falls due a period after this one went,
		 * however late this one was: lateness is not caught up. */
		*next_trickle = now + rte_get_timer_hz() * TRICKLE_US / 1000000;
		n = 1;
	}
	return n;
}

/*
 * Run a workload for ms milliseconds. adaptive=false is pure polling.
 * The wait's timeout is bounded by when the workload next has something
 * to do: in a real application that is the next Rx interrupt or timer.
 * The phase ends only once every copy it submitted has completed.
 */
static void
run_phase(enum workload w, unsigned int ms, bool adaptive, struct usage *u)
{
	uint64_t hz = rte_get_timer_hz(), now = rte_get_timer_cycles();
	uint64_t end = now + hz * ms / 1000, next_trickle = now;
	uint64_t submitted = 0, done = 0;
	uint64_t idle_cycles = hz * opt.idle_us / 1000000, last_done = now;
	uint64_t late_sum = 0, late_max = 0;
	unsigned int empty = 0;
	struct usage start;

	usage_mark(&start);
	while ((now = rte_get_timer_cycles()) < end || done < submitted) {
		uint16_t n;

		if (now < end) {
			uint64_t due = next_trickle;
			unsigned int k = produce(w, now, &next_trickle,
					submitted);

			if (w == WORK_TRICKLE && k != 0) {
				late_sum += now - due;
				late_max = RTE_MAX(late_max, now - due);
			}
			submitted += k;
		}
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
	u->submitted = submitted;
	u->ops = done;
	u->late_sum_cyc = late_sum;
	u->late_max_cyc = late_max;
}

static void
print_usage_row(const char *mode, enum workload w, const struct usage *u)
{
	double secs = u->wall_ns / 1e9;
	char late[16] = "-";

	if (w == WORK_TRICKLE && u->submitted != 0)
		snprintf(late, sizeof(late), "%.0f", u->late_sum_cyc * 1e6 /
			rte_get_timer_hz() / u->submitted);
	printf("%-9s %-8s %7.2f s %9" PRIu64 " %8.2f %% %8.2f %% %7" PRIu64
		" %7" PRIu64 " %8" PRIu64 " %8s\n", mode, workload_name[w],
		secs, u->ops, 100.0 * u->app_ns / u->wall_ns,
		100.0 * u->engine_ns / u->wall_ns, u->intr.sleeps,
		u->intr.wakeups, u->intr.timeouts, late);
}

/*
 * Why the adaptive trickle phase does fewer copies than polling, in its
 * own numbers: each copy goes out when the loop notices it is due, and
 * the next falls due a period after that, so a late wake-up pushes back
 * every later copy. The phase count follows from the mean lateness alone,
 * and every copy submitted completes.
 */
static void
explain_trickle(const struct usage *poll, const struct usage *adapt)
{
	double hz = rte_get_timer_hz(), period_ms = TRICKLE_US / 1000.0;
	const struct usage *u[2] = { poll, adapt };
	const char *mode[2] = { "polling", "adaptive" };
	uint64_t lost = 0;
	unsigned int m;

	printf("\ntrickle: a copy falls due %.1f ms after the previous one went out, so one\n"
		"sent late delays all that follow.\n", period_ms);
	for (m = 0; m < 2; m++) {
		double late_ms = u[m]->submitted == 0 ? 0 :
			u[m]->late_sum_cyc * 1e3 / hz / u[m]->submitted;

		printf("  %-8s %" PRIu64 " submitted, %" PRIu64 " completed,"
			" sent %.3f ms late on average (max %.3f):"
			" %u ms / (%.1f + %.3f ms) = %.0f\n", mode[m],
			u[m]->submitted, u[m]->ops, late_ms,
			u[m]->late_max_cyc * 1e3 / hz, opt.busy_ms, period_ms,
			late_ms, opt.busy_ms / (period_ms + late_ms));
		lost += u[m]->submitted - u[m]->ops;
	}
	printf("  adaptive %" PRIu64 " sleeps: %" PRIu64 " ended by the interrupt,"
		" %" PRIu64 " by their timeout, which is when the next copy\n"
		"           falls due (the copy before has completed by then)\n",
		adapt->intr.sleeps, adapt->intr.wakeups, adapt->intr.timeouts);
	if (lost == 0)
		printf("  Every copy submitted completed: a mode with fewer copies sent them later,\n"
			"  it lost none.\n");
	else
		printf("  %" PRIu64 " copies submitted did not complete\n", lost);
}

static void
demo(void)
{
	static const enum workload phases[] = {
		WORK_BUSY, WORK_IDLE, WORK_TRICKLE,
	};
	struct usage trickle[2];
	unsigned int m, p;

	printf("\n%-9s %-8s %9s %9s %10s %10s %7s %7s %8s %8s\n", "mode",
		"phase", "time", "copies", "app CPU", "engine CPU", "sleeps",
		"wakeups", "timeouts", "late us");
	for (m = 0; m < 2; m++) {
		for (p = 0; p < RTE_DIM(phases); p++) {
			struct usage u;
			unsigned int ms = phases[p] == WORK_IDLE ?
				opt.idle_s * 1000 : opt.busy_ms;

			run_phase(phases[p], ms, m == 1, &u);
			print_usage_row(m == 1 ? "adaptive" : "polling",
				phases[p], &u);
			if (phases[p] == WORK_TRICKLE)
				trickle[m] = u;
		}
	}
	printf("\ncopies: completed in the phase; sleeps: times the adaptive loop slept in\n"
		"rte_pmd_netdma_wait(); wakeups: sleeps ended by the channel interrupt;\n"
		"timeouts: sleeps ended by their timeout; late us: mean delay of a trickle\n"
		"copy past the moment it fell due\n");
	explain_trickle(&trickle[0], &trickle[1]);
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

	printf("\n2. engine of %s (%s): ", opt.dma_name, engine_desc);
	bench_wake_latency();
	{
		/* The same, with the engine sharing this core and parking at
		 * once: no idle vCPU to wake, which on a VM is most of it.
		 * That needs a device of its own, made here. */
		int16_t main_dev = dev_id;
		clockid_t main_clock = engine_clock;
		struct example_dmadev shared;
		char args[32];

		snprintf(args, sizeof(args), "cpu=%d,spin_us=0", sched_getcpu());
		if (example_dmadev_get(DEV_SHARED, args, &shared) != 0) {
			printf("   no shared-core measurement: see above\n");
		} else if (!shared.created) {
			printf("   %s exists already: the shared-core measurement needs one made with %s; skipped\n",
				DEV_SHARED, args);
		} else {
			if (example_dmadev_start(&shared, RING_SIZE) == 0) {
				dev_id = shared.id;
				engine_clock = engine_clock_of(DEV_SHARED);
				printf("\n   engine sharing the application's core (%s, %s): ",
					DEV_SHARED, args);
				bench_wake_latency();
			}
			example_dmadev_release(&shared);
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

static void
usage(const char *prgname)
{
	printf("%s [EAL options] -- [options]\n"
		"\n"
		"Adaptive polling of a dma_netdma channel: poll while copies complete,\n"
		"sleep in rte_pmd_netdma_wait() when idle. The demo runs three phases\n"
		"(busy, idle, trickle) polling and then adaptively, and prints the CPU\n"
		"time, sleeps and wake-ups of each; --bench measures idle CPU, wake-up\n"
		"latency and the throughput cost of the adaptive loop.\n"
		"\n"
		"--vdev: optional. With --vdev NAME[,devargs] in the EAL options the\n"
		"program uses that device and --engine-cpu and --spin-us do not apply;\n"
		"without, it creates %s itself from those two options. The\n"
		"program links the driver, so -d is not needed.\n"
		"\n"
		"  --dma NAME         the dmadev to use or create (default %s)\n"
		"  --bench            the measurements instead of the demo\n"
		"  --busy-ms N        length of the busy and trickle phases, and of each\n"
		"                     --bench throughput round (default %u)\n"
		"  --idle-s N         length of the idle phase, 0 to skip it (default %u)\n"
		"  --empty-polls N    empty polls before the adaptive loop sleeps (default %u)\n"
		"  --idle-us N        ...and the least time they must span (default %u)\n"
		"  --wakeups N        wake-up latency samples in --bench (default %u)\n"
		"  --engine-cpu N     pin the created engine to CPU N; -1: unpinned\n"
		"                     (default: the first CPU the process may run on\n"
		"                     other than the application's, or the same one\n"
		"                     if it has no other)\n"
		"  --spin-us N        the created engine's idle spin before it parks\n"
		"                     (default: the driver's)\n"
		"  -h, --help         print this help and exit\n"
		"\n"
		"Exit status: 0 on success, 1 if the device or a copy failed, 2 if the\n"
		"command line is wrong.\n",
		prgname, DEV_NAME, DEV_NAME, opt_default.busy_ms,
		opt_default.idle_s, opt_default.empty_polls,
		opt_default.idle_us, opt_default.wakeups);
}

/* A whole decimal number in [min, max]; -1 after saying what is wrong. */
static int
parse_num(const char *name, const char *val, long min, long max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(val, &end, 10);
	if (errno != 0 || end == val || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "%s: error: %s wants a number in %ld..%ld, not '%s'\n",
			PROG, name, min, max, val);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* The application's arguments, those after "--"; --help exits here,
 * before EAL starts. */
static int
parse_args(int argc, char **argv)
{
	static const struct {
		const char *name;
		long min, max;
		void *val;
	} num[] = {
		{ "--idle-s", 0, 3600, &opt.idle_s },
		{ "--busy-ms", 1, 600000, &opt.busy_ms },
		{ "--empty-polls", 0, 1000000000, &opt.empty_polls },
		{ "--idle-us", 0, 1000000000, &opt.idle_us },
		{ "--wakeups", 1, 10000000, &opt.wakeups },
		{ "--spin-us", 0, 1000000, &opt.spin_us },
		{ "--engine-cpu", -1, 1023, &opt.engine_cpu },
	};
	unsigned int k;
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(PROG);
			exit(0);
		}
		if (strcmp(a, "--bench") == 0) {
			opt.bench = true;
			continue;
		}
		if (strcmp(a, "--dma") == 0 && i + 1 < argc) {
			opt.dma_name = argv[++i];
			continue;
		}
		for (k = 0; k < RTE_DIM(num); k++)
			if (strcmp(a, num[k].name) == 0)
				break;
		if (k == RTE_DIM(num) || i + 1 == argc) {
			fprintf(stderr, "%s: error: %s '%s'; --help for usage\n",
				PROG, k == RTE_DIM(num) ? "unknown option" :
				"no value for", a);
			return -1;
		}
		/* Every numeric option is an int or an unsigned int. */
		if (parse_num(a, argv[++i], num[k].min, num[k].max,
				(int *)num[k].val) != 0)
			return -1;
	}
	return 0;
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

/* Devargs for the device this program creates, from --engine-cpu and
 * --spin-us: by default the engine goes on a CPU the application does
 * not use, if the process may run on one. */
static void
engine_devargs(char *buf, size_t len)
{
	int cpu = opt.engine_cpu == -2 ? example_engine_cpu() : opt.engine_cpu;
	int n;

	if (cpu >= 0)
		n = snprintf(buf, len, "cpu=%d", cpu);
	else
		n = snprintf(buf, len, "spin_us=%d",
			opt.spin_us >= 0 ? opt.spin_us : 20);
	if (opt.spin_us >= 0 && cpu >= 0)
		snprintf(buf + n, len - n, ",spin_us=%d", opt.spin_us);
}

int
main(int argc, char **argv)
{
	struct example_dmadev dev;
	char devargs[64];
	char **app_argv;
	int app_argc, ret;

	/* Application options first: --help and mistakes need no EAL. */
	opt = opt_default;
	app_argc = app_args(argc, argv, &app_argv);
	if (parse_args(app_argc, app_argv) != 0)
		return 2;
	rte_set_application_usage_hook(usage);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		example_eal_hint(argv[0], &eal_hint);
		return 1;
	}

	engine_devargs(devargs, sizeof(devargs));
	if (example_dmadev_get(opt.dma_name, devargs, &dev) != 0 ||
			example_dmadev_start(&dev, RING_SIZE) != 0)
		return 1;
	if (!dev.created && (opt.engine_cpu != -2 || opt.spin_us >= 0))
		printf("%s: --engine-cpu and --spin-us apply only to a device this program creates: ignored\n",
			dev.name);
	dev_id = dev.id;
	engine_desc = dev.created ? devargs : "as given with --vdev";
	src = rte_zmalloc(NULL, 64 * COPY_SIZE, 64);
	dst = rte_zmalloc(NULL, 64 * COPY_SIZE, 64);
	if (src == NULL || dst == NULL) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	engine_clock = engine_clock_of(dev.name);
	if (engine_clock == CLOCK_MONOTONIC)
		printf("no engine thread found for %s: engine CPU shows 0\n",
			dev.name);
	printf("netdma adaptive polling: app on lcore %u, %s engine %s; sleeps after %u empty polls spanning %u us\n",
		rte_lcore_id(), dev.name, engine_desc, opt.empty_polls,
		opt.idle_us);

	if (opt.bench)
		bench();
	else
		demo();

	example_dmadev_release(&dev);
	rte_eal_cleanup();
	return 0;
}
