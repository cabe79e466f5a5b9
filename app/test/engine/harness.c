/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The engine tests' harness: the runner, the engines and memory a test
 * holds, time, and the driver-side helpers every test file shares.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

CHECK_DEFINE_COUNTER;

/* ---------------------------------------------------------------- *
 * What the running test holds
 * ---------------------------------------------------------------- */

struct ptr_set {
	void **p;
	unsigned int n, cap;
};

/* Touched by the test's own thread only, never by its helper threads. */
static struct ptr_set live_engines, live_blocks;

/* Page mappings (xmmap), each a [base, base + len) still mapped. */
struct map_set {
	struct map { uint8_t *base; size_t len; } *m;
	unsigned int n, cap;
};

static struct map_set live_maps;

static void
map_add(uint8_t *base, size_t len)
{
	struct map_set *s = &live_maps;

	if (s->n == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 16;
		struct map *nm = realloc(s->m, cap * sizeof(*nm));

		if (nm == NULL) {
			perror("realloc");
			exit(2);
		}
		s->m = nm;
		s->cap = cap;
	}
	s->m[s->n++] = (struct map){ base, len };
}

static void
ptr_add(struct ptr_set *s, void *p)
{
	if (s->n == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 64;
		void **np = realloc(s->p, cap * sizeof(*np));

		if (np == NULL) {
			perror("realloc");
			exit(2);
		}
		s->p = np;
		s->cap = cap;
	}
	s->p[s->n++] = p;
}

static void
ptr_del(struct ptr_set *s, void *p)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->p[i] == p) {
			s->p[i] = s->p[--s->n];
			return;
		}
}

/* Release what the test left behind; the count of engines and blocks. */
static unsigned int
release_leftovers(void)
{
	unsigned int i, n = live_engines.n + live_blocks.n + live_maps.n;

	/* A worker held at a page first, or it cannot be stopped. */
	n += stall_leftovers();
	/* Engines next, so that no worker touches memory being freed. */
	for (i = 0; i < live_engines.n; i++)
		netdma_engine_destroy(live_engines.p[i]);
	for (i = 0; i < live_blocks.n; i++)
		free(live_blocks.p[i]);
	for (i = 0; i < live_maps.n; i++)
		munmap(live_maps.m[i].base, live_maps.m[i].len);
	live_engines.n = 0;
	live_blocks.n = 0;
	live_maps.n = 0;
	unpin_self();	/* a test that pinned and failed stays pinned */
	return n;
}

/* ---------------------------------------------------------------- *
 * Runner
 * ---------------------------------------------------------------- */

/* The CPUs the process was allowed at start, before any test pinned. */
static cpu_set_t start_cpus;
static int sel_argc;
static char **sel_argv;
static unsigned int nb_passed, nb_failed, nb_skipped;
static char skip_why[128];

int
test_skipped(const char *why)
{
	snprintf(skip_why, sizeof(skip_why), "%s", why);
	return TEST_SKIPPED;
}

static bool
selected(const char *name)
{
	int i;

	if (sel_argc < 2)
		return true;
	for (i = 1; i < sel_argc; i++)
		if (strstr(name, sel_argv[i]) != NULL)
			return true;
	return false;
}

static void
run(const char *name, int (*fn)(void), int (*fn_arg)(const void *),
		const void *arg)
{
	unsigned int failures = __atomic_load_n(&check_failures,
			__ATOMIC_RELAXED);
	uint64_t t0 = now_ns();
	bool ok, skipped;
	int ret;

	ret = fn != NULL ? fn() : fn_arg(arg);
	ok = __atomic_load_n(&check_failures, __ATOMIC_RELAXED) == failures;
	skipped = ok && ret == TEST_SKIPPED;
	ok = ok && (ret == 0 || skipped);
	if (release_leftovers() != 0 && ok) {
		fprintf(stderr, "  FAIL %s: passed, but left an engine or "
			"memory behind\n", name);
		ok = skipped = false;
	}
	if (skipped) {
		nb_skipped++;
		printf("skip %s (%s)\n", name, skip_why);
	} else {
		if (ok)
			nb_passed++;
		else
			nb_failed++;
		printf("%-4s %s (%" PRIu64 " ms)\n", ok ? "ok" : "FAIL",
			name, (uint64_t)((now_ns() - t0) / NS_PER_MS));
	}
	fflush(stdout);
}

void
test_skip(const char *name, const char *why)
{
	if (!selected(name))
		return;
	nb_skipped++;
	printf("skip %s (%s)\n", name, why);
	fflush(stdout);
}

void
test_run_list(const struct test *tests, unsigned int nb)
{
	unsigned int i;

	for (i = 0; i < nb; i++)
		if (selected(tests[i].name))
			run(tests[i].name, tests[i].fn, NULL, NULL);
}

void
test_run_case(const char *name, int (*fn)(const void *arg), const void *arg)
{
	if (selected(name))
		run(name, NULL, fn, arg);
}

int
main(int argc, char **argv)
{
	sel_argc = argc;
	sel_argv = argv;
	if (sched_getaffinity(0, sizeof(start_cpus), &start_cpus) != 0) {
		perror("sched_getaffinity");
		return 2;
	}
	registers_tests();
	completion_tests();
	interrupts_tests();
	commands_tests();
	errors_tests();
	iommu_tests();
	sg_tests();
	slices_tests();
	sva_tests();
	arbitration_tests();
	ordering_tests();
	numa_tests();
	readahead_tests();
	if (nb_skipped > 0)
		printf("%u passed, %u failed, %u skipped\n", nb_passed,
			nb_failed, nb_skipped);
	else
		printf("%u passed, %u failed\n", nb_passed, nb_failed);
	free(live_engines.p);
	free(live_blocks.p);
	free(live_maps.m);
	return nb_failed == 0 ? 0 : 1;
}

/* ---------------------------------------------------------------- *
 * Time
 * ---------------------------------------------------------------- */

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

void
sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = ns / NS_PER_S,
		.tv_nsec = ns % NS_PER_S,
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* ---------------------------------------------------------------- *
 * CPUs
 * ---------------------------------------------------------------- */

unsigned int
allowed_cpus(int *cpus, unsigned int max)
{
	unsigned int n = 0;
	int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE && n < max; cpu++)
		if (CPU_ISSET(cpu, &start_cpus))
			cpus[n++] = cpu;
	return n;
}

const cpu_set_t *
allowed_set(void)
{
	return &start_cpus;
}

void
pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

void
unpin_self(void)
{
	sched_setaffinity(0, sizeof(start_cpus), &start_cpus);
}

/* ---------------------------------------------------------------- *
 * Engines and memory
 * ---------------------------------------------------------------- */

struct netdma_engine *
engine_create(const struct netdma_engine_params *p)
{
	struct netdma_engine *e = netdma_engine_create(p);

	if (e != NULL)
		ptr_add(&live_engines, e);
	return e;
}

struct netdma_engine *
engine_new(unsigned int nb_chan, const char *name)
{
	struct netdma_engine_params p = {
		.nb_channels = nb_chan,
		.spin_us = SPIN_US,
		.name = name,
	};
	struct netdma_engine *e = engine_create(&p);

	if (e == NULL)
		fprintf(stderr, "netdma_engine_create: %s\n", strerror(errno));
	return e;
}

void
engine_destroy(struct netdma_engine *e)
{
	ptr_del(&live_engines, e);
	netdma_engine_destroy(e);
}

static void *
destroy_thread(void *e)
{
	netdma_engine_destroy(e);
	return NULL;
}

bool
engine_destroy_bounded(struct netdma_engine *e)
{
	struct timespec ts;
	pthread_t th;

	if (pthread_create(&th, NULL, destroy_thread, e) != 0)
		return false;
	/* The destroy thread owns it now, whether it finishes or not. */
	ptr_del(&live_engines, e);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += TIMEOUT_NS / NS_PER_S;
	if (pthread_timedjoin_np(th, NULL, &ts) == 0)
		return true;
	pthread_detach(th);
	/* Its workers may still write anywhere the test mapped. */
	live_blocks.n = 0;
	live_maps.n = 0;
	return false;
}

volatile void *
engine_bar(struct netdma_engine *e)
{
	return netdma_engine_bar(e);
}

int
engine_irq_fd(struct netdma_engine *e, unsigned int chan)
{
	return netdma_engine_irq_fd(e, chan);
}

int
iommu_map(struct netdma_engine *e, uint64_t iova, void *va, uint64_t len)
{
	return netdma_iommu_map(e, iova, va, len);
}

int
iommu_unmap(struct netdma_engine *e, uint64_t iova, uint64_t len)
{
	return netdma_iommu_unmap(e, iova, len);
}

uint64_t
engine_passes(struct netdma_engine *e, unsigned int chan)
{
	return netdma_engine_passes(e, chan);
}

bool
wait_passes(struct netdma_engine *e, unsigned int chan, uint64_t n)
{
	uint64_t dl = now_ns() + TIMEOUT_NS, start;

	/* The kick's read-modify-write is also a full barrier: what the
	 * caller wrote is visible before the count it starts from. */
	netdma_engine_kick(e, chan);
	start = netdma_engine_passes(e, chan);
	while (netdma_engine_passes(e, chan) - start < n) {
		if (now_ns() >= dl)
			return false;
		sleep_ns(10000);
		netdma_engine_kick(e, chan);
	}
	return true;
}

/* As the driver reads them: one access of the register's width. */
uint8_t
bar_read8(volatile void *bar, unsigned int off)
{
	return ((volatile uint8_t *)bar)[off];
}

uint32_t
bar_read32(volatile void *bar, unsigned int off)
{
	return *(volatile uint32_t *)((volatile uint8_t *)bar + off);
}

void *
xalloc(size_t len)
{
	void *p = aligned_alloc(64, (len + 63) & ~(size_t)63);

	if (p == NULL) {
		perror("aligned_alloc");
		exit(2);
	}
	ptr_add(&live_blocks, p);
	return p;
}

void
xfree(void *p)
{
	ptr_del(&live_blocks, p);
	free(p);
}

void *
xmmap(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	map_add(p, len);
	return p;
}

void
xmunmap(void *p, size_t len)
{
	uint8_t *lo = p, *hi = lo + len;
	unsigned int i = 0;
	bool found = false;

	while (i < live_maps.n) {
		struct map *m = &live_maps.m[i];
		uint8_t *end = m->base + m->len;
		uint8_t *a = lo > m->base ? lo : m->base;
		uint8_t *b = hi < end ? hi : end;

		if (a >= b) {
			i++;
			continue;
		}
		found = true;
		if (munmap(a, b - a) != 0) {
			perror("munmap");
			exit(2);
		}
		/* What is left of the block: [base, a) and [b, end). */
		if (a == m->base && b == end) {
			*m = live_maps.m[--live_maps.n];
			continue;
		}
		if (a == m->base) {
			m->base = b;
			m->len = end - b;
		} else {
			m->len = a - m->base;
			if (b < end)
				map_add(b, end - b);
		}
		i++;
	}
	if (!found) {
		fprintf(stderr, "xmunmap: %p+%zu holds no xmmap block\n", p,
			len);
		exit(2);
	}
}

void
pattern_fill(void *p, size_t len, uint64_t seed)
{
	uint8_t *b = p;
	size_t k, nw = len / 8;

	for (k = 0; k < nw; k++) {
		uint64_t x = k + seed, w = 0x50 | (seed & 0x0F);
		unsigned int j;

		for (j = 1; j < 8; j++)
			w |= ((x >> (7 * (j - 1))) & 0x7F) << (8 * j);
		memcpy(b + 8 * k, &w, 8);
	}
	for (k = 8 * nw; k < len; k++)
		b[k] = (uint8_t)((k * 13 + seed) & 0x7F);
}

pid_t
thread_find(const char *name)
{
	char path[300], comm[32];
	struct dirent *de;
	pid_t tid = -1;
	DIR *d = opendir("/proc/self/task");

	if (d == NULL)
		return -1;
	while (tid < 0 && (de = readdir(d)) != NULL) {
		FILE *fp;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			de->d_name);
		fp = fopen(path, "r");
		if (fp == NULL)
			continue;
		if (fgets(comm, sizeof(comm), fp) != NULL) {
			comm[strcspn(comm, "\n")] = '\0';
			if (strcmp(comm, name) == 0)
				tid = atoi(de->d_name);
		}
		fclose(fp);
	}
	closedir(d);
	return tid;
}

uint64_t
thread_cpu_ns(pid_t tid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", (int)tid);
	fp = fopen(path, "r");
	if (fp == NULL)
		return 0;
	if (fscanf(fp, "%llu", &ns) != 1)
		ns = 0;
	fclose(fp);
	return ns;
}

/* ---------------------------------------------------------------- *
 * Fixture
 * ---------------------------------------------------------------- */

static uint8_t
src_byte(unsigned int slot, unsigned int i)
{
	return (uint8_t)(slot * 37 + i * 7 + 1);
}

/* Reset src to its pattern, dst to the sentinel, the ring to a circle. */
static void
fx_reset_mem(struct fx *f)
{
	unsigned int s, i;

	for (s = 0; s < NB_SLOTS; s++)
		for (i = 0; i < SLOT_SZ; i++)
			src_slot(f, s)[i] = src_byte(s, i);
	memset(f->dst, DST_SENTINEL, BUF_LEN);
	memset(f->ring, 0, f->nb_desc * sizeof(f->ring[0]));
	for (i = 0; i < f->nb_desc; i++)
		f->ring[i].next = desc_iova(f, (i + 1) % f->nb_desc);
	__atomic_store_n(f->cmp, CMP_SENTINEL, __ATOMIC_RELEASE);
}

bool
fx_attach(struct fx *f, struct netdma_engine *e, unsigned int chan,
		unsigned int nb_desc)
{
	memset(f, 0, sizeof(*f));
	f->e = e;
	f->chan = chan;
	f->regs = netdma_chan_regs(engine_bar(e), chan);
	f->irq = engine_irq_fd(e, chan);
	f->nb_desc = nb_desc;
	f->ring = xalloc(nb_desc * sizeof(*f->ring));
	f->cmp = xalloc(64);
	f->src = xalloc(BUF_LEN);
	f->dst = xalloc(BUF_LEN);
	f->unmapped = xalloc(BUF_LEN);
	fx_reset_mem(f);
	if (iommu_map(e, iova_of(f->ring), f->ring,
			nb_desc * sizeof(*f->ring)) != 0 ||
			iommu_map(e, iova_of(f->cmp), f->cmp, 64) != 0 ||
			iommu_map(e, iova_of(f->src), f->src, BUF_LEN) != 0 ||
			iommu_map(e, iova_of(f->dst), f->dst, BUF_LEN) != 0) {
		fprintf(stderr, "fixture map failed\n");
		return false;
	}
	return chan_bringup(f);
}

bool
fx_open(struct fx *f, unsigned int nb_desc)
{
	struct netdma_engine_params p = {
		.nb_channels = 1,
		.spin_us = SPIN_US,
		.name = "tst",
	};

	return fx_open_params(f, &p, nb_desc);
}

bool
fx_open_params(struct fx *f, const struct netdma_engine_params *p,
		unsigned int nb_desc)
{
	struct netdma_engine *e = engine_create(p);

	if (e == NULL) {
		fprintf(stderr, "netdma_engine_create: %s\n", strerror(errno));
		return false;
	}
	if (!fx_attach(f, e, 0, nb_desc)) {
		engine_destroy(e);
		fx_free(f);
		return false;
	}
	f->own_engine = true;
	return true;
}

void
fx_free(struct fx *f)
{
	xfree(f->ring);
	xfree(f->cmp);
	xfree(f->src);
	xfree(f->dst);
	xfree(f->unmapped);
}

/* The engine goes first so that no worker touches memory being freed. */
void
fx_close(struct fx *f)
{
	if (f->own_engine) {
		engine_destroy(f->e);
	} else {
		iommu_unmap(f->e, iova_of(f->ring),
			f->nb_desc * sizeof(*f->ring));
		iommu_unmap(f->e, iova_of(f->cmp), 64);
		iommu_unmap(f->e, iova_of(f->src), BUF_LEN);
		iommu_unmap(f->e, iova_of(f->dst), BUF_LEN);
	}
	fx_free(f);
}

/* ---------------------------------------------------------------- *
 * Driver side
 * ---------------------------------------------------------------- */

void
fx_kick(struct fx *f)
{
	netdma_engine_kick(f->e, f->chan);
}

void
cmd_post(struct fx *f, uint8_t cmd)
{
	netdma_mmio_write(f->regs, chancmd, cmd);
	fx_kick(f);
}

bool
cmd_acked(struct fx *f)
{
	return SPIN_FOR(netdma_mmio_read(f->regs, chancmd) == 0);
}

bool
cmd_spin(struct fx *f, uint8_t cmd)
{
	cmd_post(f, cmd);
	return cmd_acked(f);
}

bool
chan_cmd(struct fx *f, uint8_t cmd)
{
	cmd_post(f, cmd);
	return WAIT_FOR(netdma_mmio_read(f->regs, chancmd) == 0);
}

bool
chan_bringup(struct fx *f)
{
	if (!chan_cmd(f, NETDMA_CMD_RESET))
		return false;
	f->dmacount = 0;
	netdma_mmio_write(f->regs, chainaddr, desc_iova(f, 0));
	netdma_mmio_write(f->regs, chancmp, iova_of(f->cmp));
	netdma_mmio_write(f->regs, chanctrl,
		(uint16_t)NETDMA_CTRL_ERR_COMPL_EN);
	return chansts(f) == NETDMA_STS_IDLE &&
		netdma_mmio_read(f->regs, completed) == 0;
}

void
doorbell_nokick(struct fx *f, unsigned int n)
{
	f->dmacount = (uint16_t)(f->dmacount + n);
	netdma_mmio_write(f->regs, doorbell, (uint32_t)f->dmacount);
}

void
doorbell(struct fx *f, unsigned int n)
{
	doorbell_nokick(f, n);
	fx_kick(f);
}

bool
wait_parked(struct fx *f)
{
	return WAIT_FOR(netdma_engine_parked(f->e, f->chan));
}

bool
wait_completed(struct fx *f, uint64_t n)
{
	return WAIT_FOR(netdma_mmio_read(f->regs, completed) == n &&
		chan_state(f) != NETDMA_STS_ACTIVE);
}

bool
wait_state(struct fx *f, unsigned int state)
{
	return WAIT_FOR(chan_state(f) == state);
}

bool
wait_seen(struct fx *f)
{
	return wait_passes(f->e, f->chan, 2);
}

bool
wait_seen_after(struct fx *f, uint64_t t)
{
	uint64_t now = now_ns();

	/* The engine's timers run on this clock: until t, not seeing an
	 * interrupt proves nothing. */
	if (now < t)
		sleep_ns(t - now);
	return wait_seen(f);
}

/*
 * CHANERR is documented RW1C, but the BAR is plain memory: the engine
 * cannot see a write, so storing the bits back leaves them set. Software
 * clears what it has handled with an atomic AND, as the PMD does.
 */
void
chanerr_clear(struct fx *f)
{
	netdma_mmio_clear(f->regs, chanerr,
		netdma_mmio_read(f->regs, chanerr));
}

void
desc_copy(struct fx *f, unsigned int i, unsigned int s, uint32_t size,
		uint32_t flags)
{
	struct netdma_desc *d = &f->ring[i];

	d->size = size;
	d->ctrl = flags | (NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT);
	d->src = iova_of(src_slot(f, s));
	d->dst = iova_of(dst_slot(f, s));
}

void
desc_fill(struct fx *f, unsigned int i, unsigned int s, uint64_t pattern,
		uint32_t size, uint32_t flags)
{
	struct netdma_desc *d = &f->ring[i];

	d->size = size;
	d->ctrl = flags | (NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT);
	d->src = pattern;
	d->dst = iova_of(dst_slot(f, s));
}

void
desc_copy_sg(struct fx *f, unsigned int i, uint32_t size,
		const struct netdma_sge *src, uint16_t nb_src,
		const struct netdma_sge *dst, uint16_t nb_dst, uint32_t flags)
{
	struct netdma_desc *d = &f->ring[i];

	d->size = size;
	d->ctrl = flags | (NETDMA_OP_COPY_SG << NETDMA_DESC_OP_SHIFT);
	d->src = iova_of(src);
	d->dst = iova_of(dst);
	d->src_sges = nb_src;
	d->dst_sges = nb_dst;
}

bool
slot_copied(struct fx *f, unsigned int s, uint32_t size)
{
	uint32_t i, end = size + 64 < SLOT_SZ ? size + 64 : SLOT_SZ;

	if (memcmp(dst_slot(f, s), src_slot(f, s), size) != 0)
		return false;
	for (i = size; i < end; i++)
		if (dst_slot(f, s)[i] != DST_SENTINEL)
			return false;
	return true;
}

bool
slot_untouched(struct fx *f, unsigned int s)
{
	unsigned int i;

	for (i = 0; i < SLOT_SZ; i++)
		if (dst_slot(f, s)[i] != DST_SENTINEL)
			return false;
	return true;
}

bool
src_intact(struct fx *f)
{
	unsigned int s, i;

	for (s = 0; s < NB_SLOTS; s++)
		for (i = 0; i < SLOT_SZ; i++)
			if (src_slot(f, s)[i] != src_byte(s, i))
				return false;
	return true;
}

uint64_t
irq_take(struct fx *f)
{
	uint64_t v;

	if (read(f->irq, &v, sizeof(v)) == (ssize_t)sizeof(v))
		return v;
	return 0;
}

uint64_t
irq_wait(struct fx *f)
{
	uint64_t v = 0;

	WAIT_FOR((v = irq_take(f)) != 0);
	return v;
}
