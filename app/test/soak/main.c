/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * netdma-soak <EAL args> -- [--duration S] [--seed N] [--verbose]
 *
 * Three cards: dma_netdma0 with four channels on DPDK memory,
 * dma_netdma1 with one channel on external memory mapped in windows, and
 * dma_netdma2 with two channels in SVA mode on plain malloc and mmap
 * memory. Each step draws a channel and an action from a generator seeded
 * by (seed, step), so a seed replays the same decisions.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>

#include "example_eal.h"
#include "soak.h"

struct soak_ctx soak;

/* SIGINT or SIGTERM: end the run as if its time were up, with the
 * closing checks and the summary. */
static volatile sig_atomic_t stop_requested;

static void
on_stop_signal(int sig __rte_unused)
{
	stop_requested = 1;
}

static const struct {
	const char *name;
	enum soak_dom dom;
	unsigned int channels;
} topology[SOAK_MAX_CARDS] = {
	{ "dma_netdma0", DOM_DPDK, 4 },
	{ "dma_netdma1", DOM_EXTMEM, 1 },
	{ "dma_netdma2", DOM_SVA, 2 },
};

/* It needs IOVA as VA, which --no-huge gives. */
static const struct example_eal_hint eal_hint = {
	.needs_pmd = true,
	.no_huge_only = true,
};

static void
usage(const char *prog)
{
	printf("usage: %s <EAL args> -- [options]\n"
		"  --duration SECONDS   how long to run (default 30)\n"
		"  --seed N             replay the decisions of seed N (default: random)\n"
		"  --progress SECONDS   print a progress line this often (default: off)\n"
		"  --hang SECONDS       fail when one step takes longer (default 60)\n"
		"  --verbose            print every action and DPDK log line\n"
		"SIGINT or SIGTERM ends the run early, with its closing checks and summary.\n"
		"The PMD comes from EAL's -d; IOVA as VA is needed (--no-huge gives it).\n"
		"Without -l, -c or --lcores the soak's one lcore is the first CPU it may\n"
		"run on.\n",
		prog);
}

/* An lcore option of EAL's, before "--". */
static bool
names_lcores(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], "-l", 2) == 0 ||
				strncmp(argv[i], "-c", 2) == 0 ||
				strncmp(argv[i], "--lcores", 8) == 0)
			return true;
	return false;
}

/*
 * argv, with "-l CPU" after the program's name when it names no lcores:
 * the soak runs on one lcore, the first CPU this process may run on,
 * where EAL's own default would make an lcore of every allowed CPU.
 * argv itself if it names lcores or the affinity cannot be read.
 */
static char **
with_lcore(int *argc, char **argv)
{
	static char opt_l[] = "-l";
	static char cpu_arg[16];
	cpu_set_t set;
	char **out;
	int cpu;

	if (names_lcores(*argc, argv) ||
			sched_getaffinity(0, sizeof(set), &set) != 0)
		return argv;
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	out = calloc(*argc + 3, sizeof(*out));
	if (cpu == CPU_SETSIZE || out == NULL) {
		free(out);
		return argv;
	}
	snprintf(cpu_arg, sizeof(cpu_arg), "%d", cpu);
	out[0] = argv[0];
	out[1] = opt_l;
	out[2] = cpu_arg;
	memcpy(&out[3], &argv[1], (*argc - 1) * sizeof(*out));
	*argc += 2;
	return out;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "progress", required_argument, NULL, 'p' },
		{ "hang", required_argument, NULL, 'H' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool seeded = false;
	char *end;
	int c;

	soak.duration_s = 30;
	soak.hang_s = 60;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			soak.duration_s = strtod(optarg, &end);
			if (*end != '\0' || soak.duration_s <= 0)
				return -1;
			break;
		case 's':
			errno = 0;
			soak.seed = strtoull(optarg, &end, 0);
			if (*end != '\0' || errno != 0)
				return -1;
			seeded = true;
			break;
		case 'p':
			soak.progress_s = (unsigned int)strtoul(optarg,
				&end, 0);
			if (*end != '\0')
				return -1;
			break;
		case 'H':
			soak.hang_s = (unsigned int)strtoul(optarg, &end, 0);
			if (*end != '\0' || soak.hang_s == 0)
				return -1;
			break;
		case 'v':
			soak.verbose = true;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind != argc)
		return -1;
	if (!seeded && getrandom(&soak.seed, sizeof(soak.seed), 0) !=
			sizeof(soak.seed))
		soak.seed = rte_get_timer_cycles();
	return 0;
}

/* Fails the run when the step counter stands still: a call that hangs. */
static void *
watchdog(void *arg __rte_unused)
{
	uint64_t seen = UINT64_MAX;
	unsigned int still = 0;

	for (;;) {
		uint64_t now = __atomic_load_n(&soak.step, __ATOMIC_RELAXED);

		sleep(1);
		if (now != seen) {
			seen = now;
			still = 0;
		} else if (++still >= soak.hang_s) {
			soak_hang();
		}
	}
	return NULL;
}

static int
setup(void)
{
	unsigned int i, j;

	for (i = 0; i < RTE_DIM(topology); i++) {
		struct soak_card *card = &soak.cards[i];

		card->name = topology[i].name;
		card->dom = topology[i].dom;
		card->channels = topology[i].channels;
		card->first_chan = soak.nb_chans;
		if (soak_mem_init(card, soak.seed + i) != 0)
			return -1;
		for (j = 0; j < card->channels; j++) {
			struct soak_chan *c = &soak.chans[soak.nb_chans++];

			c->card = card;
			c->index = j;
			if (card->channels == 1)
				snprintf(c->name, sizeof(c->name), "%s",
					card->name);
			else
				snprintf(c->name, sizeof(c->name), "%s-ch%u",
					card->name, j);
			c->dev_id = -1;
			c->state = CH_ABSENT;
			c->epfd = epoll_create1(EPOLL_CLOEXEC);
			if (c->epfd < 0)
				return -1;
			c->ops = calloc(SOAK_OPS_CAP, sizeof(*c->ops));
			c->dropped = calloc(SOAK_OPS_CAP,
				sizeof(*c->dropped));
			if (c->ops == NULL || c->dropped == NULL)
				return -1;
			soak_arena_reset(&c->arena, soak_mem_arena(card, j),
				SOAK_ARENA_LEN);
		}
		soak.nb_cards++;
	}
	return 0;
}

static uint16_t
rand_limit(struct soak_rng *r, const struct soak_chan *c)
{
	uint32_t p = rng_below(r, 100);

	if (p < 5)
		return 0;
	if (p < 55)
		return (uint16_t)rng_range(r, 1, 8);
	if (p < 85)
		return (uint16_t)rng_range(r, 9, 64);
	return (uint16_t)rng_range(r, 65, c->nb_desc);
}

static void
stats_reset(struct soak_chan *c)
{
	int ret = rte_dma_stats_reset(c->dev_id, 0);

	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_stats_reset: %d", ret);
	c->st_submitted = 0;
	c->st_completed = 0;
	c->st_errors = 0;
	soak.n.stats_resets++;
	soak_check_stats(c);
}

static void
dump(struct soak_chan *c)
{
	static FILE *devnull;
	int ret;

	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	ret = rte_dma_dump(c->dev_id, devnull);
	if (ret != 0)
		soak_violation(c, NULL, "rte_dma_dump: %d", ret);
	soak.n.dumps++;
}

/* One action on a started channel, by weight (per mille). */
static void
step_started(struct soak_chan *c, struct soak_rng *r)
{
	uint32_t p = rng_below(r, 1000);

	if (p < 300)
		soak_burst(c, r, rng_range(r, 1, 48), 1536u << 10, 120,
			rng_chance(r, 750));
	else if (p < 450)
		soak_completed(c, rand_limit(r, c));
	else if (p < 580)
		soak_completed_status(c, rand_limit(r, c));
	else if (p < 620)
		soak_submit(c);
	else if (p < 645)
		soak_pressure(c, r);
	else if (p < 680)
		soak_drain(c, r);
	else if (p < 720)
		soak_wait(c, r);
	else if (p < 745)
		soak_arm_poll(c, r, false);
	else if (p < 755)
		soak_arm_poll(c, r, true);
	else if (p < 765)
		soak_arm(c);
	else if (p < 790)
		soak_check_inflight(c);
	else if (p < 810)
		soak_check_vchan_status(c);
	else if (p < 830)
		soak_stop(c, r, true);
	else if (p < 845)
		soak_stop(c, r, false);
	else if (p < 855)
		soak_refusals(c);
	else if (p < 865)
		stats_reset(c);
	else if (p < 870)
		dump(c);
	else if (p < 875)
		soak_unplug(c->card, r);
	else if (p < 900)
		soak_completed_status(c, rand_limit(r, c));
	else
		/* a burst heavy with faults */
		soak_burst(c, r, rng_range(r, 1, 24), 64u << 10, 500,
			rng_chance(r, 750));
}

static void
step(struct soak_rng *r)
{
	struct soak_chan *c = &soak.chans[rng_below(r, soak.nb_chans)];
	uint32_t p = rng_below(r, 1000);

	switch (c->state) {
	case CH_ABSENT:
		if (p < 300)
			soak_probe(c->card, r);
		break;
	case CH_CLOSED:
		if (p < 300)
			soak_unplug(c->card, r);
		break;
	case CH_STOPPED:
		if (p < 350)
			soak_start(c);
		else if (p < 450)
			soak_reconfigure(c, r);
		else if (p < 470)
			soak_close(c);
		else if (p < 490)
			soak_unplug(c->card, r);
		else if (p < 510)
			soak_stop(c, r, false);
		else
			soak_stopped_calls(c, r);
		break;
	default:
		step_started(c, r);
		break;
	}
}

/* Collect everything, stop, unplug: the last ops are checked too. */
static void
teardown(void)
{
	struct soak_rng r;
	unsigned int i;

	rng_seed(&r, soak.seed, UINT64_MAX);
	for (i = 0; i < soak.nb_chans; i++)
		if (soak.chans[i].state == CH_STARTED)
			soak_stop(&soak.chans[i], &r, true);
	for (i = 0; i < soak.nb_cards; i++) {
		if (soak.cards[i].present)
			soak_unplug(&soak.cards[i], &r);
		soak_mem_check_sources(&soak.cards[i]);
	}
	for (i = 0; i < soak.nb_chans; i++)
		soak_check_dropped(&soak.chans[i]);
}

static void
progress(double secs)
{
	printf("netdma-soak: %.0f s, step %" PRIu64 ", %" PRIu64 " ops, %" PRIu64
		" stops, %" PRIu64 " unplugs, %" PRIu64 " waits\n", secs,
		soak.step, soak.n.ops[K_COPY] + soak.n.ops[K_FILL] +
		soak.n.ops[K_SG], soak.n.stops_drained + soak.n.stops_inflight,
		soak.n.unplugs, soak.n.waits);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	uint64_t hz, start, end, next_progress;
	pthread_t wd;
	unsigned int i;
	int ret;

	argv = with_lcore(&argc, argv);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		example_eal_hint(argv[0], &eal_hint);
		return 2;
	}
	argv[ret] = argv[0];
	if (parse_args(argc - ret, argv + ret) != 0) {
		usage(argv[0]);
		return 2;
	}
	if (rte_eal_iova_mode() != RTE_IOVA_VA) {
		fprintf(stderr, "netdma-soak: needs IOVA as VA (e.g. --no-huge)\n");
		return 2;
	}
	soak.have_movdir64b =
		rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) > 0;
	printf("netdma-soak: seed %" PRIu64 ", %.0f s\n", soak.seed,
		soak.duration_s);
	fflush(stdout);
	soak_log_capture();
	if (setup() != 0)
		return 2;
	if (pthread_create(&wd, NULL, watchdog, NULL) != 0)
		return 2;

	hz = rte_get_timer_hz();
	start = rte_get_timer_cycles();
	end = start + (uint64_t)(soak.duration_s * hz);
	next_progress = start + (uint64_t)soak.progress_s * hz;
	for (i = 0; i < soak.nb_cards; i++) {
		struct soak_rng r;

		rng_seed(&r, soak.seed, i);
		soak_probe(&soak.cards[i], &r);
	}
	signal(SIGINT, on_stop_signal);
	signal(SIGTERM, on_stop_signal);
	while (rte_get_timer_cycles() < end && !stop_requested) {
		struct soak_rng r;
		uint64_t now;

		__atomic_store_n(&soak.step, soak.step + 1, __ATOMIC_RELAXED);
		rng_seed(&r, soak.seed, soak.step);
		step(&r);
		if ((soak.step & 4095) == 0)
			for (i = 0; i < soak.nb_cards; i++)
				soak_mem_check_sources(&soak.cards[i]);
		now = rte_get_timer_cycles();
		if (soak.progress_s > 0 && now >= next_progress) {
			progress((double)(now - start) / hz);
			next_progress += (uint64_t)soak.progress_s * hz;
		}
	}
	soak.n.steps = soak.step;
	teardown();
	soak_summary((double)(rte_get_timer_cycles() - start) / hz);
	for (i = 0; i < soak.nb_cards; i++)
		soak_mem_fini(&soak.cards[i]);
	rte_eal_cleanup();
	return 0;
}
