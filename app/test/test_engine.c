/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Register-level tests of the software NetDMA engine. The test plays the
 * driver: it writes descriptors into memory it maps through the engine's
 * IOMMU (IOVA == VA unless a test needs them apart), programs the channel
 * through the BAR and checks exact register values, status words, irq
 * eventfd counts and data bytes. No DPDK: a plain pthread program.
 *
 * Every wait is bounded (TIMEOUT_NS) so a broken engine fails, not hangs.
 * Usage: test_engine [substring...] runs only the tests whose name matches.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "netdma_engine.h"

/* Generous: valgrind runs the worker tens of times slower. */
#define TIMEOUT_NS		(5 * NS_PER_S)
#define NS_PER_S		1000000000ull
#define NS_PER_MS		1000000ull

#define SPIN_US			10	/* park quickly: exercises kick */
#define NB_SLOTS		64	/* data slots per buffer */
#define SLOT_SZ			4096	/* bytes per slot */
#define BUF_LEN			(NB_SLOTS * SLOT_SZ)
#define DST_SENTINEL		0xEE
#define CMP_SENTINEL		UINT64_MAX /* never a valid status word */
/* Far above any user VA: IOVAs that cannot collide with IOVA == VA maps. */
#define FAR_IOVA		0x1000000000000000ull

/* ---------------------------------------------------------------- *
 * Harness
 * ---------------------------------------------------------------- */

static const char *test_name;
static unsigned int test_failures;	/* of the running test, atomic */

static void
check_fail(int line, const char *what)
{
	unsigned int n = __atomic_fetch_add(&test_failures, 1,
			__ATOMIC_RELAXED);

	/* A broken loop can fail thousands of times: keep the log short. */
	if (n < 20)
		fprintf(stderr, "  FAIL %s: line %d: %s\n", test_name, line, what);
}

static void
check_fail_eq(int line, const char *a, const char *b, uint64_t va,
		uint64_t vb)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s == %s (0x%" PRIx64 " != 0x%" PRIx64 ")",
		a, b, va, vb);
	check_fail(line, buf);
}

#define CHECK(cond) do {						\
	if (!(cond))							\
		check_fail(__LINE__, #cond);				\
} while (0)

#define CHECK_EQ(a, b) do {						\
	uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);		\
	if (a_ != b_)							\
		check_fail_eq(__LINE__, #a, #b, a_, b_);		\
} while (0)

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static void
sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = ns / NS_PER_S,
		.tv_nsec = ns % NS_PER_S,
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Evaluate cond until true or TIMEOUT_NS; the value is cond's last. */
#define WAIT_FOR(cond) ({						\
	uint64_t dl_ = now_ns() + TIMEOUT_NS;				\
	bool ok_;							\
	while (!(ok_ = (cond)) && now_ns() < dl_)			\
		sleep_ns(10000);					\
	ok_;								\
})

/* ---------------------------------------------------------------- *
 * Driver side: registers, descriptors, fixture
 * ---------------------------------------------------------------- */

#define REG_RD(r, f)		__atomic_load_n(&(r)->f, __ATOMIC_ACQUIRE)
#define REG_WR(r, f, v)		__atomic_store_n(&(r)->f, (v), __ATOMIC_RELEASE)

static inline uint64_t
iova_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* One channel as a driver sees it, with the memory it owns. */
struct fx {
	struct netdma_engine *e;
	bool own_engine;
	volatile struct netdma_chan_regs *regs;
	unsigned int chan;
	int irq;
	struct netdma_desc *ring;	/* circular chain of nb_desc */
	unsigned int nb_desc;
	uint64_t *cmp;			/* completion word, own cache line */
	uint8_t *src, *dst;		/* NB_SLOTS * SLOT_SZ each, mapped */
	uint8_t *unmapped;		/* BUF_LEN, never mapped */
	uint16_t dmacount;		/* what software has made available */
};

static struct netdma_engine *
engine_new(unsigned int nb_chan, const char *name)
{
	struct netdma_engine_params p = {
		.nb_channels = nb_chan,
		.spin_us = SPIN_US,
		.name = name,
	};
	struct netdma_engine *e = netdma_engine_create(&p);

	if (e == NULL)
		fprintf(stderr, "netdma_engine_create: %s\n", strerror(errno));
	return e;
}

static void *
xalloc(size_t len)
{
	void *p = aligned_alloc(64, (len + 63) & ~(size_t)63);

	if (p == NULL) {
		perror("aligned_alloc");
		exit(2);
	}
	return p;
}

static uint8_t
src_byte(unsigned int slot, unsigned int i)
{
	return (uint8_t)(slot * 37 + i * 7 + 1);
}

static uint8_t *
src_slot(struct fx *f, unsigned int slot)
{
	return f->src + (size_t)slot * SLOT_SZ;
}

static uint8_t *
dst_slot(struct fx *f, unsigned int slot)
{
	return f->dst + (size_t)slot * SLOT_SZ;
}

static uint64_t
desc_iova(struct fx *f, unsigned int i)
{
	return iova_of(&f->ring[i]);
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

static bool chan_bringup(struct fx *f);

/* Allocate and map the fixture's memory on channel chan of engine e. */
static bool
fx_attach(struct fx *f, struct netdma_engine *e, unsigned int chan,
		unsigned int nb_desc)
{
	memset(f, 0, sizeof(*f));
	f->e = e;
	f->chan = chan;
	f->regs = netdma_chan_regs(netdma_engine_bar(e), chan);
	f->irq = netdma_engine_irq_fd(e, chan);
	f->nb_desc = nb_desc;
	f->ring = xalloc(nb_desc * sizeof(*f->ring));
	f->cmp = xalloc(64);
	f->src = xalloc(BUF_LEN);
	f->dst = xalloc(BUF_LEN);
	f->unmapped = xalloc(BUF_LEN);
	fx_reset_mem(f);
	if (netdma_iommu_map(e, iova_of(f->ring), f->ring,
			nb_desc * sizeof(*f->ring)) != 0 ||
			netdma_iommu_map(e, iova_of(f->cmp), f->cmp, 64) != 0 ||
			netdma_iommu_map(e, iova_of(f->src), f->src, BUF_LEN) ||
			netdma_iommu_map(e, iova_of(f->dst), f->dst, BUF_LEN)) {
		fprintf(stderr, "fixture map failed\n");
		return false;
	}
	return chan_bringup(f);
}

/* A fixture on a fresh single-channel engine of its own. */
static bool
fx_open(struct fx *f, unsigned int nb_desc)
{
	struct netdma_engine *e = engine_new(1, "tst");

	if (e == NULL)
		return false;
	if (!fx_attach(f, e, 0, nb_desc)) {
		netdma_engine_destroy(e);
		return false;
	}
	f->own_engine = true;
	return true;
}

static void
fx_free(struct fx *f)
{
	free(f->ring);
	free(f->cmp);
	free(f->src);
	free(f->dst);
	free(f->unmapped);
}

/* The engine goes first so that no worker touches memory being freed. */
static void
fx_close(struct fx *f)
{
	if (f->own_engine) {
		netdma_engine_destroy(f->e);
	} else {
		netdma_iommu_unmap(f->e, iova_of(f->ring),
			f->nb_desc * sizeof(*f->ring));
		netdma_iommu_unmap(f->e, iova_of(f->cmp), 64);
		netdma_iommu_unmap(f->e, iova_of(f->src), BUF_LEN);
		netdma_iommu_unmap(f->e, iova_of(f->dst), BUF_LEN);
	}
	fx_free(f);
}

static uint64_t
chansts(struct fx *f)
{
	return REG_RD(f->regs, chansts);
}

static unsigned int
chan_state(struct fx *f)
{
	return netdma_sts_state(chansts(f));
}

static uint64_t
cmp_word(struct fx *f)
{
	return __atomic_load_n(f->cmp, __ATOMIC_ACQUIRE);
}

/* Post a command and wait for the engine to acknowledge it (self-clear). */
static bool
chan_cmd(struct fx *f, uint8_t cmd)
{
	REG_WR(f->regs, chancmd, cmd);
	netdma_engine_kick(f->e, f->chan);
	return WAIT_FOR(REG_RD(f->regs, chancmd) == 0);
}

/* Make n more descriptors available. */
static void
doorbell(struct fx *f, unsigned int n)
{
	f->dmacount = (uint16_t)(f->dmacount + n);
	REG_WR(f->regs, doorbell, (uint32_t)f->dmacount);
	netdma_engine_kick(f->e, f->chan);
}

/* Batch done: the running count reached n and the channel left ACTIVE. */
static bool
wait_completed(struct fx *f, uint64_t n)
{
	return WAIT_FOR(REG_RD(f->regs, completed) == n &&
		chan_state(f) != NETDMA_STS_ACTIVE);
}

static bool
wait_state(struct fx *f, unsigned int state)
{
	return WAIT_FOR(chan_state(f) == state);
}

/*
 * CHANERR is documented RW1C, but the BAR is plain memory: the engine
 * cannot see a write, so storing the bits back leaves them set. Software
 * clears what it has handled with an atomic AND, as the PMD does.
 */
static void
chanerr_clear(struct fx *f)
{
	uint32_t bits = REG_RD(f->regs, chanerr);

	__atomic_fetch_and(&f->regs->chanerr, ~bits, __ATOMIC_ACQ_REL);
}

/* Bring-up as the spec orders it: RESET, chain, completion, control. */
static bool
chan_bringup(struct fx *f)
{
	if (!chan_cmd(f, NETDMA_CMD_RESET))
		return false;
	f->dmacount = 0;
	REG_WR(f->regs, chainaddr, desc_iova(f, 0));
	REG_WR(f->regs, chancmp, iova_of(f->cmp));
	REG_WR(f->regs, chanctrl, (uint16_t)NETDMA_CTRL_ERR_COMPL_EN);
	return chansts(f) == NETDMA_STS_IDLE &&
		REG_RD(f->regs, completed) == 0;
}

/* Descriptor i copies size bytes of src slot s to dst slot s. */
static void
desc_copy(struct fx *f, unsigned int i, unsigned int s, uint32_t size,
		uint32_t flags)
{
	struct netdma_desc *d = &f->ring[i];

	d->size = size;
	d->ctrl = flags | (NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT);
	d->src = iova_of(src_slot(f, s));
	d->dst = iova_of(dst_slot(f, s));
}

static void
desc_fill(struct fx *f, unsigned int i, unsigned int s, uint64_t pattern,
		uint32_t size, uint32_t flags)
{
	struct netdma_desc *d = &f->ring[i];

	d->size = size;
	d->ctrl = flags | (NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT);
	d->src = pattern;
	d->dst = iova_of(dst_slot(f, s));
}

/* dst slot s holds exactly size bytes of src slot s, then the sentinel
 * (checked for 64 bytes: enough to catch an over-long copy). */
static bool
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

static bool
slot_untouched(struct fx *f, unsigned int s)
{
	unsigned int i;

	for (i = 0; i < SLOT_SZ; i++)
		if (dst_slot(f, s)[i] != DST_SENTINEL)
			return false;
	return true;
}

static bool
src_intact(struct fx *f)
{
	unsigned int s, i;

	for (s = 0; s < NB_SLOTS; s++)
		for (i = 0; i < SLOT_SZ; i++)
			if (src_slot(f, s)[i] != src_byte(s, i))
				return false;
	return true;
}

/* Interrupts raised since the last call (eventfd counter), 0 if none. */
static uint64_t
irq_take(struct fx *f)
{
	uint64_t v;

	if (read(f->irq, &v, sizeof(v)) == (ssize_t)sizeof(v))
		return v;
	return 0;
}

static uint64_t
irq_wait(struct fx *f)
{
	uint64_t v = 0;

	WAIT_FOR((v = irq_take(f)) != 0);
	return v;
}

/* ---------------------------------------------------------------- *
 * Platform and bring-up
 * ---------------------------------------------------------------- */

static void
test_bar_identity(void)
{
	struct netdma_engine_params bad = { .nb_channels = 0 };
	int bad_cpu = CPU_SETSIZE;
	struct netdma_engine *e = engine_new(3, "tbar");
	volatile uint8_t *bar;
	unsigned int c;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	bar = netdma_engine_bar(e);
	CHECK_EQ(bar[NETDMA_REG_CHANCNT], 3);
	CHECK_EQ(bar[NETDMA_REG_VERSION], NETDMA_HW_VERSION);
	CHECK_EQ(*(volatile uint32_t *)(bar + NETDMA_REG_CAP),
		NETDMA_CAP_COPY | NETDMA_CAP_FILL | NETDMA_CAP_FENCE |
		NETDMA_CAP_INTR | NETDMA_CAP_INTR_DELAY |
		NETDMA_CAP_ERR_RECOVER | NETDMA_CAP_COPY_SG);
	CHECK_EQ(bar[NETDMA_REG_MAX_SGES], NETDMA_MAX_SGES);
	CHECK_EQ(bar[NETDMA_REG_ARB_PRIOS], NETDMA_ARB_PRIOS);
	CHECK_EQ(*(volatile uint32_t *)(bar + NETDMA_REG_MAX_XFER),
		NETDMA_MAX_XFER);
	CHECK_EQ(bar[NETDMA_REG_RING_LOG2], NETDMA_MIN_RING_LOG2);
	CHECK_EQ(bar[NETDMA_REG_RING_LOG2_MAX], NETDMA_MAX_RING_LOG2);

	/* Power-on state of every channel, and one eventfd each. */
	for (c = 0; c < 3; c++) {
		volatile struct netdma_chan_regs *r = netdma_chan_regs(bar, c);

		CHECK_EQ(REG_RD(r, chansts), NETDMA_STS_IDLE);
		CHECK_EQ(REG_RD(r, completed), 0);
		CHECK_EQ(REG_RD(r, doorbell), 0);
		CHECK_EQ(REG_RD(r, chanerr), 0);
		CHECK_EQ(REG_RD(r, chanctrl), 0);
		CHECK_EQ(REG_RD(r, errdesc), 0);
		CHECK(netdma_engine_irq_fd(e, c) >= 0);
	}
	CHECK(netdma_engine_irq_fd(e, 0) != netdma_engine_irq_fd(e, 1));
	CHECK_EQ(netdma_engine_irq_fd(e, 3), (uint64_t)-EINVAL);
	netdma_engine_destroy(e);

	errno = 0;
	CHECK(netdma_engine_create(NULL) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(netdma_engine_create(&bad) == NULL && errno == EINVAL);
	bad.nb_channels = NETDMA_MAX_CHANNELS + 1;
	errno = 0;
	CHECK(netdma_engine_create(&bad) == NULL && errno == EINVAL);
	bad.nb_channels = 1;
	bad.nb_workers = 2;
	errno = 0;
	CHECK(netdma_engine_create(&bad) == NULL && errno == EINVAL);
	bad.nb_workers = 1;
	bad.cpus = &bad_cpu;
	bad.nb_cpus = 1;
	errno = 0;
	CHECK(netdma_engine_create(&bad) == NULL && errno == EINVAL);
	netdma_engine_destroy(NULL);
}

/* Thread id of this process's thread named name, or -1. */
static pid_t
find_thread(const char *name)
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

/* nb_workers threads, named <name:10>-w<n>, pinned when asked. */
static void
test_workers(void)
{
	struct netdma_engine_params p = {
		.nb_channels = 3, .nb_workers = 2, .spin_us = SPIN_US,
		.name = "tworkerslongname",
	};
	struct netdma_engine *e = netdma_engine_create(&p);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu = (int)(ncpu > 1 ? ncpu - 1 : 0);
	cpu_set_t set;
	pid_t tid;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	CHECK(find_thread("tworkersl-w0") < 0);
	CHECK(find_thread("tworkerslo-w0") > 0);
	CHECK(find_thread("tworkerslo-w1") > 0);
	CHECK(find_thread("tworkerslo-w2") < 0);
	netdma_engine_destroy(e);
	CHECK(find_thread("tworkerslo-w0") < 0);

	p.name = NULL;		/* default name */
	p.nb_channels = 2;
	p.nb_workers = 0;	/* one */
	p.cpus = &cpu;
	p.nb_cpus = 1;
	e = netdma_engine_create(&p);
	CHECK(e != NULL);
	if (e == NULL)
		return;
	CHECK(find_thread("netdma-w1") < 0);
	tid = find_thread("netdma-w0");
	CHECK(tid > 0);
	if (tid > 0 && sched_getaffinity(tid, sizeof(set), &set) == 0) {
		CHECK_EQ(CPU_COUNT(&set), 1);
		CHECK(CPU_ISSET(cpu, &set));
	}
	netdma_engine_destroy(e);
}

/* Copies of odd sizes; exact bytes, nothing past the end. */
static void
test_copy_basic(void)
{
	static const uint32_t sizes[] = { 1, 7, 64, 4095, SLOT_SZ };
	struct fx f;
	unsigned int i, n = sizeof(sizes) / sizeof(sizes[0]);

	CHECK(fx_open(&f, 32));
	for (i = 0; i < n; i++)
		desc_copy(&f, i, i, sizes[i], i == n - 1 ?
			NETDMA_DESC_STATUS_UPDATE : 0);
	doorbell(&f, n);
	CHECK(wait_completed(&f, n));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, n - 1) | NETDMA_STS_IDLE);
	CHECK_EQ(chansts(&f), desc_iova(&f, n - 1) | NETDMA_STS_IDLE);
	CHECK_EQ(REG_RD(f.regs, chanerr), 0);
	for (i = 0; i < n; i++)
		CHECK(slot_copied(&f, i, sizes[i]));
	CHECK(slot_untouched(&f, n));
	CHECK(src_intact(&f));
	CHECK_EQ(irq_take(&f), 0);
	fx_close(&f);
}

/* FILL: the 8-byte pattern little-endian, repeated, tail partial. */
static void
test_fill(void)
{
	static const uint32_t sizes[] = { 1, 8, 13, 100, SLOT_SZ - 3 };
	const uint64_t pat = 0x0807060504030201ull;
	struct fx f;
	unsigned int i, k, n = sizeof(sizes) / sizeof(sizes[0]);

	CHECK(fx_open(&f, 32));
	for (i = 0; i < n; i++)
		desc_fill(&f, i, i, pat ^ ((uint64_t)i << 56), sizes[i],
			i == n - 1 ? NETDMA_DESC_STATUS_UPDATE : 0);
	/* The spec's example, at an odd destination address. */
	desc_fill(&f, n, n, 0x8877665544332211ull, 11, 0);
	f.ring[n].dst += 3;
	doorbell(&f, n + 1);
	CHECK(wait_completed(&f, n + 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, n - 1) | NETDMA_STS_ACTIVE);
	CHECK(memcmp(dst_slot(&f, n), "\xEE\xEE\xEE\x11\x22\x33\x44\x55"
		"\x66\x77\x88\x11\x22\x33\xEE", 15) == 0);
	for (i = 0; i < n; i++) {
		uint64_t p = pat ^ ((uint64_t)i << 56);
		bool ok = true;

		for (k = 0; k < sizes[i]; k++)
			ok &= dst_slot(&f, i)[k] == (uint8_t)(p >> (8 * (k % 8)));
		for (; k < SLOT_SZ; k++)
			ok &= dst_slot(&f, i)[k] == DST_SENTINEL;
		CHECK(ok);
	}
	fx_close(&f);
}

/* NULL descriptors move nothing and skip every operand check; FENCE,
 * CACHE_HINT and nonzero reserved words are legal. */
static void
test_null_and_flags(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	f.ring[0].ctrl = NETDMA_DESC_NULL;	/* size, src, dst all 0 */
	desc_copy(&f, 1, 1, 100, NETDMA_DESC_FENCE);
	desc_copy(&f, 2, 2, 100, NETDMA_DESC_CACHE_HINT);
	desc_copy(&f, 3, 3, 100, 0);
	memset(f.ring[3].rsvd, 0xFF, sizeof(f.ring[3].rsvd));
	f.ring[4].ctrl = NETDMA_DESC_NULL | NETDMA_DESC_STATUS_UPDATE |
		(NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT);
	f.ring[4].dst = iova_of(f.unmapped);
	doorbell(&f, 5);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(REG_RD(f.regs, chanerr), 0);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);
	CHECK(slot_untouched(&f, 0));
	CHECK(slot_copied(&f, 1, 100));
	CHECK(slot_copied(&f, 2, 100));
	CHECK(slot_copied(&f, 3, 100));
	fx_close(&f);
}

/* DOORBELL bits 31:16 are not part of DMACOUNT. */
static void
test_doorbell_high_bits(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	desc_copy(&f, 2, 2, 64, 0);
	f.dmacount = 2;
	REG_WR(f.regs, doorbell, 0xA5A50000u | f.dmacount);
	netdma_engine_kick(f.e, f.chan);
	CHECK(wait_completed(&f, 2));
	sleep_ns(10 * NS_PER_MS);
	CHECK_EQ(REG_RD(f.regs, completed), 2);
	CHECK(slot_copied(&f, 1, 64));
	CHECK(slot_untouched(&f, 2));
	fx_close(&f);
}

/* ---------------------------------------------------------------- *
 * Completion flags
 * ---------------------------------------------------------------- */

/* STATUS_UPDATE on a descriptor that is not the last available: ACTIVE. */
static void
test_status_active(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 32, 0);
	desc_copy(&f, 1, 1, 32, NETDMA_DESC_STATUS_UPDATE);
	desc_copy(&f, 2, 2, 32, 0);
	desc_copy(&f, 3, 3, 32, 0);
	doorbell(&f, 4);
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_ACTIVE);
	/* CHANSTS follows every descriptor, the word only flagged ones. */
	CHECK_EQ(chansts(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 3, 32));
	fx_close(&f);
}

/*
 * STATUS_ON_IDLE: a run that catches up writes the status word itself,
 * once, if anything was processed since the last write; without the bit
 * an unflagged batch writes nothing.
 */
static void
test_status_on_idle(void)
{
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_STATUS_ON_IDLE;
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chanctrl, ctrl);
	desc_copy(&f, 0, 0, 40, 0);
	desc_copy(&f, 1, 1, 40, 0);
	desc_copy(&f, 2, 2, 40, 0);
	doorbell(&f, 3);
	CHECK(wait_completed(&f, 3));
	CHECK(WAIT_FOR(cmp_word(&f) == (desc_iova(&f, 2) | NETDMA_STS_IDLE)));
	CHECK(slot_copied(&f, 2, 40));

	/* A batch whose last descriptor already wrote the word gets no
	 * second (idle) write: the sentinel put back after it survives. */
	desc_copy(&f, 3, 3, 40, 0);
	desc_copy(&f, 4, 4, 40, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);
	__atomic_store_n(f.cmp, CMP_SENTINEL, __ATOMIC_RELEASE);
	usleep(2000);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	/* Without the bit, an unflagged batch leaves the word alone. */
	REG_WR(f.regs, chanctrl, (uint16_t)NETDMA_CTRL_ERR_COMPL_EN);
	desc_copy(&f, 5, 5, 40, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 6));
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	CHECK_EQ(chansts(&f), desc_iova(&f, 5) | NETDMA_STS_IDLE);
	fx_close(&f);
}

/*
 * A failed idle write halts between descriptors: CMP_ADDR, HALTED on the
 * last processed one, and RESUME skips nothing: the next op still runs.
 */
static void
test_status_on_idle_cmp_fails(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_STATUS_ON_IDLE));
	REG_WR(f.regs, chancmp, FAR_IOVA);
	desc_copy(&f, 0, 0, 40, 0);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK(REG_RD(f.regs, chanerr) & NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(netdma_sts_addr(chansts(&f)), desc_iova(&f, 0));
	CHECK(slot_copied(&f, 0, 40));

	REG_WR(f.regs, chancmp, iova_of(f.cmp));
	chanerr_clear(&f);
	desc_copy(&f, 1, 1, 40, 0);
	doorbell(&f, 1);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 2));
	CHECK(slot_copied(&f, 1, 40));
	CHECK(WAIT_FOR(cmp_word(&f) == (desc_iova(&f, 1) | NETDMA_STS_IDLE)));
	fx_close(&f);
}

/* INT_ON_COMPL alone: no status write; irq iff INT_REARM; one-shot. */
static void
test_int_only(void)
{
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN;
	struct fx f;

	CHECK(fx_open(&f, 32));

	/* Not armed: the descriptor completes silently. */
	desc_copy(&f, 0, 0, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(irq_take(&f), 0);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	CHECK(slot_copied(&f, 0, 32));

	/* Armed: exactly one interrupt, and firing consumes INT_REARM
	 * but leaves the other control bits alone. */
	REG_WR(f.regs, chanctrl, (uint16_t)(ctrl | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 1, 1, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(irq_take(&f), 1);
	CHECK_EQ(REG_RD(f.regs, chanctrl), ctrl);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	/* Not re-armed: the next one raises nothing. */
	desc_copy(&f, 2, 2, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(irq_take(&f), 0);

	/* Re-armed: two INT descriptors in one batch still give one. */
	REG_WR(f.regs, chanctrl, (uint16_t)(ctrl | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 3, 3, 32, NETDMA_DESC_INT_ON_COMPL);
	desc_copy(&f, 4, 4, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(irq_take(&f), 1);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	CHECK(slot_copied(&f, 4, 32));
	fx_close(&f);
}

static void
test_int_and_status(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 0, 0, 32, 0);
	desc_copy(&f, 1, 1, 32, NETDMA_DESC_INT_ON_COMPL |
		NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK_EQ(irq_take(&f), 1);
	CHECK_EQ(REG_RD(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN);
	fx_close(&f);
}

/* No flags: no status write, no irq (even armed), but CHANSTS and
 * completed advance; a later STATUS_UPDATE covers the silent ones. */
static void
test_no_flags(void)
{
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM;
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chanctrl, ctrl);
	desc_copy(&f, 0, 0, 48, 0);
	desc_copy(&f, 1, 1, 48, 0);
	desc_copy(&f, 2, 2, 48, 0);
	doorbell(&f, 3);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(chansts(&f), desc_iova(&f, 2) | NETDMA_STS_IDLE);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	CHECK_EQ(irq_take(&f), 0);
	CHECK_EQ(REG_RD(f.regs, chanctrl), ctrl);	/* still armed */
	CHECK(slot_copied(&f, 2, 48));

	desc_copy(&f, 3, 3, 48, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(chansts(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 3, 48));
	fx_close(&f);
}

/* INTRDELAY: INT completions close together give one interrupt, no
 * earlier than INTRDELAY after the first. */
static void
test_intr_coalescing(void)
{
	const uint64_t delay_ns = 40 * NS_PER_MS;
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM;
	uint64_t t0, t1, t2, v;
	struct fx f;
	unsigned int i;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, intrdelay, (uint16_t)(delay_ns / 1000));
	REG_WR(f.regs, chanctrl, ctrl);
	t0 = now_ns();
	for (i = 0; i < 3; i++) {
		desc_copy(&f, i, i, 32, NETDMA_DESC_INT_ON_COMPL);
		doorbell(&f, 1);
		CHECK(wait_completed(&f, i + 1));
	}
	t1 = now_ns();
	/* Only meaningful if we got here well before the deadline. */
	if (t1 - t0 < delay_ns / 2)
		CHECK_EQ(irq_take(&f), 0);
	v = irq_wait(&f);
	t2 = now_ns();
	CHECK_EQ(v, 1);
	CHECK(t2 - t0 >= delay_ns);
	CHECK_EQ(REG_RD(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN);
	sleep_ns(delay_ns + 20 * NS_PER_MS);
	CHECK_EQ(irq_take(&f), 0);	/* no second, late interrupt */

	/* Disarmed now: a further INT completion stays silent. */
	desc_copy(&f, 3, 3, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 4));
	sleep_ns(delay_ns + 20 * NS_PER_MS);
	CHECK_EQ(irq_take(&f), 0);

	/* Re-armed: the delay applies again, from the new completion. */
	REG_WR(f.regs, chanctrl, ctrl);
	t0 = now_ns();
	desc_copy(&f, 4, 4, 32, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(irq_wait(&f), 1);
	CHECK(now_ns() - t0 >= delay_ns);
	fx_close(&f);
}

/* The coalescing timer: cancelled by RESET, not by disarming (a re-arm
 * is then consumed by the old timer, spec 8.3). */
static void
test_intr_timer_lifetime(void)
{
	const uint64_t delay_ns = 30 * NS_PER_MS;
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_REARM;
	uint64_t t0;
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, intrdelay, (uint16_t)(delay_ns / 1000));
	REG_WR(f.regs, chanctrl, ctrl);
	t0 = now_ns();
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	__atomic_fetch_and(&f.regs->chanctrl,
		(uint16_t)~NETDMA_CTRL_INT_REARM, __ATOMIC_ACQ_REL);
	__atomic_fetch_or(&f.regs->chanctrl,
		(uint16_t)NETDMA_CTRL_INT_REARM, __ATOMIC_ACQ_REL);
	CHECK_EQ(irq_wait(&f), 1);
	CHECK(now_ns() - t0 >= delay_ns);
	CHECK_EQ(REG_RD(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN);

	/* Pending timer, then RESET: arming afterwards raises nothing. */
	REG_WR(f.regs, chanctrl, ctrl);
	desc_copy(&f, 1, 1, 64, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 2));
	CHECK(chan_bringup(&f));
	__atomic_fetch_or(&f.regs->chanctrl,
		(uint16_t)NETDMA_CTRL_INT_REARM, __ATOMIC_ACQ_REL);
	sleep_ns(delay_ns + 30 * NS_PER_MS);
	CHECK_EQ(irq_take(&f), 0);
	CHECK(REG_RD(f.regs, chanctrl) & NETDMA_CTRL_INT_REARM);
	fx_close(&f);
}

/* INT_ON_IDLE: going idle is an interrupt source, still one-shot
 * through INT_REARM, for descriptors that carry no INT flag. */
static void
test_int_on_idle(void)
{
	const uint16_t ctrl = NETDMA_CTRL_ERR_COMPL_EN | NETDMA_CTRL_INT_ON_IDLE;
	struct fx f;

	CHECK(fx_open(&f, 32));

	/* Not armed: idle raises nothing. */
	REG_WR(f.regs, chanctrl, ctrl);
	desc_copy(&f, 0, 0, 64, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	sleep_ns(10 * NS_PER_MS);
	CHECK_EQ(irq_take(&f), 0);

	/* Armed: one interrupt for a whole batch of flagless descriptors. */
	REG_WR(f.regs, chanctrl, (uint16_t)(ctrl | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 1, 1, 64, 0);
	desc_copy(&f, 2, 2, 64, 0);
	desc_copy(&f, 3, 3, 64, 0);
	doorbell(&f, 3);
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(irq_wait(&f), 1);
	CHECK_EQ(REG_RD(f.regs, chanctrl), ctrl);
	CHECK(slot_copied(&f, 3, 64));
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	/* An INT descriptor fires first and consumes the arm: one in all. */
	REG_WR(f.regs, chanctrl, (uint16_t)(ctrl | NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 4, 4, 64, NETDMA_DESC_INT_ON_COMPL);
	desc_copy(&f, 5, 5, 64, 0);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 6));
	CHECK_EQ(irq_wait(&f), 1);
	sleep_ns(10 * NS_PER_MS);
	CHECK_EQ(irq_take(&f), 0);

	/* Without INT_ON_IDLE, an armed channel going idle stays quiet. */
	REG_WR(f.regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 6, 6, 64, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 7));
	sleep_ns(10 * NS_PER_MS);
	CHECK_EQ(irq_take(&f), 0);
	fx_close(&f);
}

/*
 * The driver's sleep protocol: submit, then arm INT_ON_IDLE, then look
 * at the count. Either the look sees the batch done or an interrupt
 * comes; a lost wake-up shows as a timeout here.
 */
static void
test_int_on_idle_arm_race(void)
{
	const uint16_t armed = NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_ON_IDLE | NETDMA_CTRL_INT_REARM;
	unsigned int round, lost = 0, slept = 0;
	uint64_t total = 0;
	struct fx f;

	CHECK(fx_open(&f, 64));
	for (round = 0; round < 2000 && lost == 0; round++) {
		unsigned int k, n = 1 + round % 8;

		for (k = 0; k < n; k++) {
			unsigned int i = (total + k) % 64;

			desc_copy(&f, i, i, 64 + round % 512, 0);
		}
		REG_WR(f.regs, chanctrl, (uint16_t)NETDMA_CTRL_ERR_COMPL_EN);
		doorbell(&f, n);
		total += n;
		REG_WR(f.regs, chanctrl, armed);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (REG_RD(f.regs, completed) != total ||
				chan_state(&f) == NETDMA_STS_ACTIVE) {
			slept++;
			if (irq_wait(&f) == 0)
				lost++;
		}
		if (!wait_completed(&f, total))
			lost++;
		irq_take(&f);	/* both sides may have seen each other */
	}
	CHECK_EQ(lost, 0);
	CHECK_EQ(REG_RD(f.regs, completed), total);
	printf("     (%u of %u rounds waited for the interrupt)\n", slept,
		round);
	fx_close(&f);
}

/* ---------------------------------------------------------------- *
 * Channel state machine
 * ---------------------------------------------------------------- */

static void
test_suspend_resume(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND));
	CHECK_EQ(chansts(&f), NETDMA_STS_SUSPENDED);	/* address 0 */

	/* Doorbells while suspended run nothing. */
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	sleep_ns(20 * NS_PER_MS);
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);
	CHECK_EQ(REG_RD(f.regs, completed), 0);
	CHECK(slot_untouched(&f, 0));
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 0, 64));
	CHECK(slot_copied(&f, 1, 64));

	/* RESUME on an IDLE channel changes nothing. */
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK_EQ(REG_RD(f.regs, completed), 2);
	fx_close(&f);
}

#define LONG_SLOTS	4	/* slots per long copy */

/* Every ring entry a LONG_SLOTS-slot copy, together covering all slots:
 * a batch of n takes about n * 1 us, long enough to be caught running. */
static void
ring_long_copies(struct fx *f)
{
	unsigned int i;

	for (i = 0; i < f->nb_desc; i++)
		desc_copy(f, i, (i * LONG_SLOTS) % NB_SLOTS,
			LONG_SLOTS * SLOT_SZ, 0);
}

/* Until cond or TIMEOUT_NS, without sleeping: on a loaded machine a
 * sleeping poller may not run again until the worker is done. */
#define SPIN_FOR(cond) ({						\
	uint64_t dl_ = now_ns() + TIMEOUT_NS;				\
	bool ok_;							\
	while (!(ok_ = (cond)) && now_ns() < dl_)			\
		__builtin_ia32_pause();					\
	ok_;								\
})

/*
 * Make n long copies available and post cmd while the worker runs them.
 * On a loaded machine the worker can take this thread's CPU and finish a
 * whole batch before cmd is posted, so try a few times. Returns the
 * running count at which cmd landed (*end: the count the batch would
 * reach), or UINT64_MAX if no attempt caught a batch in flight.
 */
static uint64_t
cmd_midbatch(struct fx *f, uint8_t cmd, unsigned int n, uint64_t *end)
{
	unsigned int attempt;

	ring_long_copies(f);
	for (attempt = 0; attempt < 20; attempt++) {
		uint64_t base = REG_RD(f->regs, completed), c;

		*end = base + n;
		doorbell(f, n);
		if (!SPIN_FOR(chan_state(f) == NETDMA_STS_ACTIVE ||
				REG_RD(f->regs, completed) == *end) ||
				!chan_cmd(f, cmd))
			return UINT64_MAX;
		c = REG_RD(f->regs, completed);
		if (c < *end)
			return c;
		if (cmd == NETDMA_CMD_SUSPEND &&
				!chan_cmd(f, NETDMA_CMD_RESUME))
			return UINT64_MAX;
	}
	return UINT64_MAX;
}

/* SUSPEND lands mid-batch: the count freezes until RESUME. */
static void
test_suspend_midbatch(void)
{
	uint64_t c, end;
	struct fx f;
	unsigned int s;

	CHECK(fx_open(&f, 64));
	c = cmd_midbatch(&f, NETDMA_CMD_SUSPEND, 30000, &end);
	CHECK(c != UINT64_MAX);
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);
	sleep_ns(20 * NS_PER_MS);
	CHECK_EQ(REG_RD(f.regs, completed), c);
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);

	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, end));
	CHECK_EQ(chansts(&f), desc_iova(&f, (end - 1) % 64) | NETDMA_STS_IDLE);
	for (s = 0; s < NB_SLOTS; s++)
		CHECK(slot_copied(&f, s, SLOT_SZ));
	fx_close(&f);
}

/* ABORT drops what was made available, unexecuted; the next descriptor
 * is fetched from CHAINADDR again. */
static void
test_abort(void)
{
	struct fx f;
	unsigned int i;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));

	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND));
	for (i = 1; i <= 5; i++)
		desc_copy(&f, i, i, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 5);
	CHECK(chan_cmd(&f, NETDMA_CMD_ABORT));
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	sleep_ns(20 * NS_PER_MS);
	CHECK_EQ(REG_RD(f.regs, completed), 1);
	for (i = 1; i <= 5; i++)
		CHECK(slot_untouched(&f, i));
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);

	/* The channel goes on from a freshly programmed chain. */
	REG_WR(f.regs, chainaddr, desc_iova(&f, 6));
	desc_copy(&f, 6, 6, 64, 0);
	desc_copy(&f, 7, 7, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 7) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 6, 64));
	CHECK(slot_copied(&f, 7, 64));
	for (i = 1; i <= 5; i++)
		CHECK(slot_untouched(&f, i));
	fx_close(&f);
}

/* ABORT lands mid-batch: the rest is dropped, the count stays put. */
static void
test_abort_midbatch(void)
{
	uint64_t c, end;
	struct fx f;

	CHECK(fx_open(&f, 64));
	c = cmd_midbatch(&f, NETDMA_CMD_ABORT, 30000, &end);
	CHECK(c != UINT64_MAX);
	CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);
	sleep_ns(20 * NS_PER_MS);
	CHECK_EQ(REG_RD(f.regs, completed), c);
	CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);

	/* DMACOUNT carries on from the aborted value. */
	memset(f.dst, DST_SENTINEL, BUF_LEN);
	REG_WR(f.regs, chainaddr, desc_iova(&f, 0));
	desc_copy(&f, 0, 0, 100, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, c + 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 0, 100));
	CHECK(slot_untouched(&f, 1));
	fx_close(&f);
}

/* RESET, from HALTED with registers dirty, gives the reset values of
 * spec 9.2 (CHAINADDR and CHANCMP are kept) and writes no status word. */
static void
test_reset(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	f.ring[1].src = 0;
	REG_WR(f.regs, intrdelay, 100);
	REG_WR(f.regs, chanerr_mask, NETDMA_CHANERR_LENGTH);
	REG_WR(f.regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_REARM));
	doorbell(&f, 3);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);

	CHECK(chan_cmd(&f, NETDMA_CMD_RESET));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);	/* RESET writes no status word */
	CHECK_EQ(chansts(&f), NETDMA_STS_IDLE);
	CHECK_EQ(REG_RD(f.regs, chainaddr), desc_iova(&f, 0));	/* kept */
	CHECK_EQ(REG_RD(f.regs, chancmp), iova_of(f.cmp));	/* kept */
	CHECK_EQ(REG_RD(f.regs, completed), 0);
	CHECK_EQ(REG_RD(f.regs, doorbell), 0);
	CHECK_EQ(REG_RD(f.regs, chanerr), 0);
	CHECK_EQ(REG_RD(f.regs, errdesc), 0);
	CHECK_EQ(REG_RD(f.regs, chanctrl), 0);
	CHECK_EQ(REG_RD(f.regs, intrdelay), 0);
	CHECK_EQ(REG_RD(f.regs, chanerr_mask), 0);

	/* Counting restarts at 0 and the chain at CHAINADDR. */
	memset(f.dst, DST_SENTINEL, BUF_LEN);
	f.dmacount = 0;
	REG_WR(f.regs, chainaddr, desc_iova(&f, 10));
	REG_WR(f.regs, chancmp, iova_of(f.cmp));
	desc_copy(&f, 10, 10, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 10) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 10, 64));
	CHECK(slot_untouched(&f, 2));
	fx_close(&f);
}

/* Several command bits: only the highest-priority one acts (RESET,
 * ABORT, SUSPEND, RESUME); reserved bits alone are acknowledged. */
static void
test_cmd_priority(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));

	CHECK(chan_cmd(&f, 0x40));
	CHECK(chan_cmd(&f, 0x80));
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND | NETDMA_CMD_RESUME));
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);
	CHECK(chan_cmd(&f, NETDMA_CMD_ABORT | NETDMA_CMD_SUSPEND));
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK_EQ(REG_RD(f.regs, completed), 1);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESET | NETDMA_CMD_ABORT));
	CHECK_EQ(chansts(&f), NETDMA_STS_IDLE);
	CHECK_EQ(REG_RD(f.regs, completed), 0);
	fx_close(&f);
}

/* ABORT out of HALTED: pending work dropped, CHANERR cleared, ERRDESC
 * and COMPLETED kept, the failing descriptor still named in CHANSTS. */
static void
test_abort_from_halted(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	f.ring[1].size = 0;
	desc_copy(&f, 2, 2, 64, 0);
	desc_copy(&f, 3, 3, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 4);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK(chan_cmd(&f, NETDMA_CMD_ABORT));
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK_EQ(REG_RD(f.regs, chanerr), 0);
	CHECK_EQ(REG_RD(f.regs, errdesc), desc_iova(&f, 1));
	CHECK_EQ(REG_RD(f.regs, completed), 1);
	sleep_ns(10 * NS_PER_MS);
	CHECK(slot_untouched(&f, 2));
	CHECK(slot_untouched(&f, 3));

	REG_WR(f.regs, chainaddr, desc_iova(&f, 4));
	desc_copy(&f, 4, 4, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 4, 64));
	CHECK(slot_untouched(&f, 2));
	CHECK(slot_untouched(&f, 3));
	fx_close(&f);
}

/*
 * A command that the run notices at its 32-descriptor check just as it
 * catches up with DMACOUNT. The run is over, so the channel must still go
 * IDLE, publish COMPLETED and raise the idle interrupt; a no-op command
 * (RESUME on a running channel) must not leave it looking ACTIVE.
 */
static void
test_cmd_at_run_end(void)
{
	const uint16_t armed = NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_ON_IDLE | NETDMA_CTRL_INT_REARM;
	const size_t big = 4 << 20;
	uint8_t *big_src = xalloc(big), *big_dst = xalloc(big);
	unsigned int round, i, bad = 0;
	uint64_t total = 0;
	struct fx f;

	CHECK(fx_open(&f, 32));
	memset(big_src, 0x77, big);
	CHECK_EQ(netdma_iommu_map(f.e, iova_of(big_src), big_src, big), 0);
	CHECK_EQ(netdma_iommu_map(f.e, iova_of(big_dst), big_dst, big), 0);
	/* A slow first descriptor, so the command is surely pending by the
	 * 32nd, which is also the last. */
	f.ring[0].size = big;
	f.ring[0].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
	f.ring[0].src = iova_of(big_src);
	f.ring[0].dst = iova_of(big_dst);
	for (i = 1; i < 32; i++)
		desc_copy(&f, i, i, 64, 0);
	for (round = 0; round < 10 && bad == 0; round++) {
		irq_take(&f);
		REG_WR(f.regs, chanctrl, armed);
		doorbell(&f, 32);	/* one poll interval, exactly */
		total += 32;
		if (SPIN_FOR(chan_state(&f) == NETDMA_STS_ACTIVE ||
				REG_RD(f.regs, completed) == total) &&
				chan_state(&f) == NETDMA_STS_ACTIVE)
			/* ADDR does not move during a run (spec 6.3). */
			CHECK_EQ(chansts(&f), round == 0 ? NETDMA_STS_ACTIVE :
				desc_iova(&f, 31) | NETDMA_STS_ACTIVE);
		CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
		if (!wait_completed(&f, total)) {
			CHECK_EQ(REG_RD(f.regs, completed), total);
			CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);
			bad++;
		}
		if (irq_wait(&f) != 1) {
			CHECK(!"no idle interrupt");
			bad++;
		}
	}
	CHECK_EQ(big_dst[big - 1], 0x77);
	fx_close(&f);
	free(big_src);
	free(big_dst);
}

/* ---------------------------------------------------------------- *
 * Descriptor errors
 * ---------------------------------------------------------------- */

struct err_case {
	const char *name;
	void (*mangle)(struct fx *f, struct netdma_desc *d);
	uint32_t chanerr;
	uint64_t sts_err;
};

#define UNUSED __attribute__((unused))

static void
m_src_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->src = 0;
}

static void
m_src_unmapped(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(f->unmapped);
}

static void
m_src_cross_end(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(f->src) + BUF_LEN - 16;
	d->size = 32;
}

static void
m_src_before_start(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(f->src) - 16;
	d->size = 32;
}

static void
m_src_iova_wraps(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->src = UINT64_MAX - 63;
	d->size = 4096;
}

static void
m_src_huge(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = NETDMA_MAX_XFER;	/* a legal length the map cannot hold */
}

static void
m_dst_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->dst = 0;
}

static void
m_dst_unmapped(struct fx *f, struct netdma_desc *d)
{
	d->dst = iova_of(f->unmapped);
}

static void
m_dst_cross_end(struct fx *f, struct netdma_desc *d)
{
	d->dst = iova_of(f->dst) + BUF_LEN - 16;
	d->size = 32;
}

static void
m_fill_dst_unmapped(struct fx *f, struct netdma_desc *d)
{
	d->ctrl = NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT;
	d->dst = iova_of(f->unmapped);
}

static void
m_len_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = 0;
}

static void
m_len_over(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = NETDMA_MAX_XFER + 1;
}

static void
m_len_u32max(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = UINT32_MAX;
}

static void
m_fill_len_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = NETDMA_OP_FILL << NETDMA_DESC_OP_SHIFT;
	d->size = 0;
}

static void
m_op_2(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = 0x7Fu << NETDMA_DESC_OP_SHIFT;
}

static void
m_op_ff(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = 0xFFu << NETDMA_DESC_OP_SHIFT;
}

static void
m_ctrl_bit1(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl |= 1u << 1;
}

static void
m_ctrl_bit2(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl |= 1u << 2;
}

static void
m_ctrl_bit7(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl |= 1u << 7;
}

static void
m_ctrl_bit23(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl |= 1u << 23;
}

static void
m_overlap_partial(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(src_slot(f, 1));
	d->dst = d->src + 8;
	d->size = 64;
}

static void
m_overlap_same(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(src_slot(f, 1));
	d->dst = d->src;
}

/* Two IOVAs for the same memory: overlap is about what is touched. */
static void
m_overlap_alias(struct fx *f, struct netdma_desc *d)
{
	CHECK_EQ(netdma_iommu_map(f->e, FAR_IOVA, f->src, BUF_LEN), 0);
	d->src = iova_of(src_slot(f, 1));
	d->dst = FAR_IOVA + SLOT_SZ + 32;
	d->size = 64;
}

/* Check order (spec 5.2): ctrl bits, op, NULL, length, src, dst. */
static void
m_null_bad_op(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = NETDMA_DESC_NULL | (0x7Fu << NETDMA_DESC_OP_SHIFT);
}

static void
m_null_rsvd_bit(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = NETDMA_DESC_NULL | (1u << 1);
}

static void
m_op_bad_len_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->ctrl = 3u << NETDMA_DESC_OP_SHIFT;
	d->size = 0;
	d->src = 0;
}

static void
m_len_zero_src_zero(UNUSED struct fx *f, struct netdma_desc *d)
{
	d->size = 0;
	d->src = 0;
	d->dst = 0;
}

static void
m_src_and_dst_bad(struct fx *f, struct netdma_desc *d)
{
	d->src = iova_of(f->unmapped);
	d->dst = 0;
}

static const struct err_case err_cases[] = {
	{ "src_zero", m_src_zero, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "src_unmapped", m_src_unmapped, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "src_cross_end", m_src_cross_end, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "src_before_start", m_src_before_start, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "src_iova_wraps", m_src_iova_wraps, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "src_huge", m_src_huge, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "dst_zero", m_dst_zero, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "dst_unmapped", m_dst_unmapped, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "dst_cross_end", m_dst_cross_end, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "fill_dst_unmapped", m_fill_dst_unmapped, NETDMA_CHANERR_DST_ADDR,
		NETDMA_STS_ERR_ADDR },
	{ "len_zero", m_len_zero, NETDMA_CHANERR_LENGTH, NETDMA_STS_ERR_LEN },
	{ "len_over_max", m_len_over, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN },
	{ "len_u32max", m_len_u32max, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN },
	{ "fill_len_zero", m_fill_len_zero, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN },
	{ "op_2", m_op_2, NETDMA_CHANERR_DESC_OPCODE, NETDMA_STS_ERR_DESC },
	{ "op_ff", m_op_ff, NETDMA_CHANERR_DESC_OPCODE, NETDMA_STS_ERR_DESC },
	{ "ctrl_rsvd_bit1", m_ctrl_bit1, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC },
	{ "ctrl_rsvd_bit2", m_ctrl_bit2, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC },
	{ "ctrl_rsvd_bit7", m_ctrl_bit7, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC },
	{ "ctrl_rsvd_bit23", m_ctrl_bit23, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC },
	{ "overlap_partial", m_overlap_partial, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR },
	{ "overlap_same", m_overlap_same, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR },
	{ "overlap_alias", m_overlap_alias, NETDMA_CHANERR_OVERLAP,
		NETDMA_STS_ERR_ADDR },
	{ "null_bad_op", m_null_bad_op, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC },
	{ "null_rsvd_bit", m_null_rsvd_bit, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC },
	{ "op_bad_len_zero", m_op_bad_len_zero, NETDMA_CHANERR_DESC_OPCODE,
		NETDMA_STS_ERR_DESC },
	{ "len_zero_src_zero", m_len_zero_src_zero, NETDMA_CHANERR_LENGTH,
		NETDMA_STS_ERR_LEN },
	{ "src_and_dst_bad", m_src_and_dst_bad, NETDMA_CHANERR_SRC_ADDR,
		NETDMA_STS_ERR_ADDR },
};

#define NB_ERR_CASES	(sizeof(err_cases) / sizeof(err_cases[0]))

/*
 * d0 good, d1 mangled, d2 good with STATUS_UPDATE. The channel must halt
 * on d1 having moved d0 only, report d1 everywhere, refuse RESUME while
 * CHANERR is set, keep a doorbell rung while HALTED (d3) and, once CHANERR
 * is cleared, skip d1 and run d2 and d3.
 */
static void
test_error_case(const struct err_case *c)
{
	struct fx f;
	unsigned int s;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 128, 0);
	desc_copy(&f, 1, 1, 128, 0);
	desc_copy(&f, 2, 2, 128, NETDMA_DESC_STATUS_UPDATE);
	c->mangle(&f, &f.ring[1]);
	doorbell(&f, 3);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), c->chanerr);
	CHECK_EQ(REG_RD(f.regs, errdesc), desc_iova(&f, 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		c->sts_err);
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		c->sts_err);
	CHECK_EQ(REG_RD(f.regs, completed), 1);
	CHECK(slot_copied(&f, 0, 128));
	for (s = 1; s < NB_SLOTS; s++)
		CHECK(slot_untouched(&f, s));
	CHECK(src_intact(&f));

	/* CHANERR still set: RESUME is acknowledged but the channel stays
	 * HALTED and runs nothing. */
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	sleep_ns(5 * NS_PER_MS);
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);
	CHECK_EQ(REG_RD(f.regs, chanerr), c->chanerr);
	CHECK_EQ(REG_RD(f.regs, completed), 1);
	CHECK(slot_untouched(&f, 2));

	/* SUSPEND does not take a channel out of HALTED either. */
	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND));
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);

	/* A doorbell while HALTED is kept for later. */
	desc_copy(&f, 3, 3, 128, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	sleep_ns(5 * NS_PER_MS);
	CHECK(slot_untouched(&f, 3));

	chanerr_clear(&f);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(chansts(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(REG_RD(f.regs, chanerr), 0);
	CHECK_EQ(REG_RD(f.regs, errdesc), desc_iova(&f, 1));
	CHECK(slot_copied(&f, 2, 128));
	CHECK(slot_copied(&f, 3, 128));
	CHECK(slot_untouched(&f, 1));
	CHECK(src_intact(&f));
	fx_close(&f);
}

/*
 * Halt while fetching d0's successor (slot 1): it is unread and has no
 * next, so RESUME counts it as processed and refetches at CHAINADDR,
 * which software points at the slot after it (spec 9.4).
 */
static void
desc_read_case(uint64_t bad_next, struct fx *f)
{
	f->ring[0].next = bad_next;
	desc_copy(f, 0, 0, 64, 0);
	desc_copy(f, 1, 1, 64, 0);
	desc_copy(f, 2, 2, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(f, 3);
	CHECK(wait_state(f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f->regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(REG_RD(f->regs, errdesc), bad_next);
	CHECK_EQ(cmp_word(f), (bad_next & NETDMA_STS_ADDR_MASK) |
		NETDMA_STS_HALTED | NETDMA_STS_ERR_DESC);
	CHECK_EQ(chansts(f), (bad_next & NETDMA_STS_ADDR_MASK) |
		NETDMA_STS_HALTED | NETDMA_STS_ERR_DESC);
	CHECK_EQ(REG_RD(f->regs, completed), 1);
	CHECK(slot_copied(f, 0, 64));
	CHECK(slot_untouched(f, 1));

	chanerr_clear(f);
	REG_WR(f->regs, chainaddr, desc_iova(f, 2));
	CHECK(chan_cmd(f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(f, 3));
	CHECK_EQ(cmp_word(f), desc_iova(f, 2) | NETDMA_STS_IDLE);
	CHECK_EQ(chansts(f), desc_iova(f, 2) | NETDMA_STS_IDLE);
	CHECK(slot_untouched(f, 1));
	CHECK(slot_copied(f, 2, 64));
	CHECK(slot_untouched(f, 3));
}

static void
test_desc_read_misaligned(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_read_case(desc_iova(&f, 1) + 8, &f);
	fx_close(&f);
}

static void
test_desc_read_unmapped(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_read_case(iova_of(f.unmapped), &f);
	fx_close(&f);
}

static void
test_desc_read_zero(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_read_case(0, &f);
	fx_close(&f);
}

/* A descriptor straddling the end of its mapping is unreadable. */
static void
test_desc_read_cross_end(void)
{
	struct netdma_desc *two = xalloc(2 * sizeof(*two));
	struct fx f;

	CHECK(fx_open(&f, 32));
	memset(two, 0, 2 * sizeof(*two));
	CHECK_EQ(netdma_iommu_map(f.e, iova_of(two), two,
		sizeof(*two) + 32), 0);
	desc_read_case(iova_of(&two[1]), &f);
	fx_close(&f);
	free(two);
}

/* The very first fetch, at CHAINADDR, fails; so does an unaligned
 * CHAINADDR. Each failed fetch uses up its DMACOUNT slot. */
static void
test_chainaddr_bad(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chainaddr, 0);
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(REG_RD(f.regs, errdesc), 0);
	CHECK_EQ(cmp_word(&f), NETDMA_STS_HALTED | NETDMA_STS_ERR_DESC);
	CHECK_EQ(REG_RD(f.regs, completed), 0);

	/* Skipped: counted, nothing left to run. */
	chanerr_clear(&f);
	REG_WR(f.regs, chainaddr, desc_iova(&f, 0) + 32);	/* unaligned */
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);
	CHECK(slot_untouched(&f, 0));

	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(REG_RD(f.regs, errdesc), desc_iova(&f, 0) + 32);
	CHECK_EQ(REG_RD(f.regs, completed), 1);

	chanerr_clear(&f);
	REG_WR(f.regs, chainaddr, desc_iova(&f, 0));
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 2));
	CHECK(slot_untouched(&f, 0));
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 3));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 0, 64));
	fx_close(&f);
}

/*
 * CHANCMP not writable when a STATUS_UPDATE descriptor completes. The
 * operation itself has run (the status write comes after it), which is
 * why RESUME skips rather than repeats the descriptor.
 */
static void
cmp_addr_case(struct fx *f, uint64_t bad_cmp)
{
	REG_WR(f->regs, chancmp, bad_cmp);
	desc_copy(f, 0, 0, 64, 0);
	desc_copy(f, 1, 1, 64, NETDMA_DESC_STATUS_UPDATE);
	desc_copy(f, 2, 2, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(f, 3);
	CHECK(wait_state(f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f->regs, chanerr), NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(REG_RD(f->regs, errdesc), desc_iova(f, 1));
	CHECK_EQ(chansts(f), desc_iova(f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(REG_RD(f->regs, completed), 1);
	CHECK_EQ(cmp_word(f), CMP_SENTINEL);
	CHECK(slot_copied(f, 0, 64));
	CHECK(slot_untouched(f, 2));

	REG_WR(f->regs, chancmp, iova_of(f->cmp));
	chanerr_clear(f);
	CHECK(chan_cmd(f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(f, 3));
	CHECK_EQ(cmp_word(f), desc_iova(f, 2) | NETDMA_STS_IDLE);
	CHECK(slot_copied(f, 2, 64));
}

static void
test_cmp_unmapped(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	cmp_addr_case(&f, iova_of(f.unmapped));
	fx_close(&f);
}

static void
test_cmp_misaligned(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	cmp_addr_case(&f, iova_of(f.cmp) + 4);
	fx_close(&f);
}

static void
test_cmp_zero(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	cmp_addr_case(&f, 0);
	fx_close(&f);
}

/* A halt whose own status write fails adds CMP_ADDR to the cause. */
static void
test_halt_cmp_fails_too(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chancmp, iova_of(f.unmapped));
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].size = 0;
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_LENGTH |
		NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_LEN | NETDMA_STS_ERR_ADDR);
	fx_close(&f);
}

/* Without ERR_COMPL_EN a halt writes no status word, CHANSTS only. */
static void
test_halt_no_compl(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chanctrl, 0);
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].src = 0;
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(chansts(&f), desc_iova(&f, 0) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(cmp_word(&f), CMP_SENTINEL);
	fx_close(&f);
}

/* CHANERR is not write-1-to-clear in this engine (plain memory): a
 * driver that writes the bits back would never get out of HALTED. */
static void
test_chanerr_write_back(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].size = 0;
	desc_copy(&f, 1, 1, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 2);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_LENGTH);
	REG_WR(f.regs, chanerr, NETDMA_CHANERR_LENGTH);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_LENGTH);
	REG_WR(f.regs, chanerr, 0);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 2));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_IDLE);
	CHECK(slot_untouched(&f, 0));
	CHECK(slot_copied(&f, 1, 64));
	fx_close(&f);
}

/* Masked errors do not halt: the descriptor is consumed without effect,
 * its flags act normally, CHANERR records the bit, ERRDESC does not move. */
static void
test_masked_errors(void)
{
	const uint32_t mask = NETDMA_CHANERR_SRC_ADDR | NETDMA_CHANERR_LENGTH;
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chanerr_mask, mask);
	desc_copy(&f, 0, 0, 64, 0);
	desc_copy(&f, 1, 1, 64, 0);
	f.ring[1].src = 0;
	desc_copy(&f, 2, 2, 64, 0);
	f.ring[2].size = 0;
	desc_copy(&f, 3, 3, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 4);
	CHECK(wait_completed(&f, 4));
	CHECK_EQ(chan_state(&f), NETDMA_STS_IDLE);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 3) | NETDMA_STS_IDLE);
	CHECK_EQ(REG_RD(f.regs, chanerr), mask);
	CHECK_EQ(REG_RD(f.regs, errdesc), 0);
	CHECK(slot_copied(&f, 0, 64));
	CHECK(slot_untouched(&f, 1));
	CHECK(slot_untouched(&f, 2));
	CHECK(slot_copied(&f, 3, 64));

	/* The failing descriptor's own STATUS_UPDATE and INT_ON_COMPL: a
	 * clean status word, and the interrupt. */
	REG_WR(f.regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 4, 4, 64, NETDMA_DESC_STATUS_UPDATE |
		NETDMA_DESC_INT_ON_COMPL);
	f.ring[4].src = iova_of(f.unmapped);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 5));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 4) | NETDMA_STS_IDLE);
	CHECK_EQ(irq_take(&f), 1);
	CHECK(slot_untouched(&f, 4));
	fx_close(&f);
}

/* An unmasked error after a masked one: the halt's summary is its own
 * cause only, and RESUME needs every CHANERR bit cleared. */
static void
test_masked_then_unmasked(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chanerr_mask, NETDMA_CHANERR_LENGTH);
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].size = 0;			/* masked */
	desc_copy(&f, 1, 1, 64, 0);
	f.ring[1].src = 0;			/* not masked */
	desc_copy(&f, 2, 2, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 3);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, errdesc), desc_iova(&f, 1));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_SRC_ADDR |
		NETDMA_CHANERR_LENGTH);
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(chansts(&f), desc_iova(&f, 1) | NETDMA_STS_HALTED |
		NETDMA_STS_ERR_ADDR);
	CHECK_EQ(REG_RD(f.regs, completed), 1);

	/* Clearing only the halt's cause is not enough. */
	__atomic_fetch_and(&f.regs->chanerr, ~NETDMA_CHANERR_SRC_ADDR,
		__ATOMIC_ACQ_REL);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK_EQ(chan_state(&f), NETDMA_STS_HALTED);
	CHECK_EQ(REG_RD(f.regs, completed), 1);

	chanerr_clear(&f);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_completed(&f, 3));
	CHECK(slot_untouched(&f, 1));
	CHECK(slot_copied(&f, 2, 64));
	fx_close(&f);
}

/* DESC_READ and CMP_ADDR halt whatever CHANERR_MASK says. */
static void
test_mask_cannot_hide(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, chanerr_mask, 0xFFFFFFFFu);
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].next = iova_of(f.unmapped);
	doorbell(&f, 2);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(REG_RD(f.regs, errdesc), iova_of(f.unmapped));
	CHECK_EQ(REG_RD(f.regs, completed), 1);

	CHECK(chan_bringup(&f));
	REG_WR(f.regs, chanerr_mask, 0xFFFFFFFFu);
	REG_WR(f.regs, chancmp, iova_of(f.unmapped));
	f.ring[0].next = desc_iova(&f, 1);
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(REG_RD(f.regs, errdesc), desc_iova(&f, 0));
	CHECK_EQ(REG_RD(f.regs, completed), 0);
	fx_close(&f);
}

/* ERR_INT_EN: a halt interrupts whether or not INT_REARM is set. */
static void
test_err_int(void)
{
	struct fx f;

	CHECK(fx_open(&f, 32));

	/* Not enabled: no interrupt, even armed; REARM stays. */
	REG_WR(f.regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_REARM));
	desc_copy(&f, 0, 0, 64, 0);
	f.ring[0].src = 0;
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	sleep_ns(10 * NS_PER_MS);
	CHECK_EQ(irq_take(&f), 0);
	CHECK_EQ(REG_RD(f.regs, chanctrl), NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_INT_REARM);

	/* Enabled, not armed: one interrupt. */
	CHECK(chan_bringup(&f));
	REG_WR(f.regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_ERR_INT_EN));
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(irq_wait(&f), 1);
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_SRC_ADDR);
	fx_close(&f);
}

/* ---------------------------------------------------------------- *
 * Long runs
 * ---------------------------------------------------------------- */

static uint8_t
wrap_byte(uint32_t seq, unsigned int i)
{
	return (uint8_t)(seq * 131 + i * 3 + (seq >> 8));
}

/* More than 2^16 descriptors through a 64-entry ring in batches of 50:
 * DMACOUNT wraps; every copy and every status word is checked. */
static void
test_dmacount_wrap(void)
{
	const unsigned int ring = 64, batch = 50, total = 70000;
	unsigned int done = 0, bad = 0;
	struct fx f;

	CHECK(fx_open(&f, ring));
	while (done < total && bad == 0) {
		unsigned int k, n = total - done < batch ? total - done : batch;
		unsigned int last = (done + n - 1) % ring;

		for (k = 0; k < n; k++) {
			uint32_t seq = done + k;
			unsigned int i = seq % ring, b;
			uint32_t size = 16 + seq % 33;

			for (b = 0; b < size; b++)
				src_slot(&f, i)[b] = wrap_byte(seq, b);
			memset(dst_slot(&f, i), DST_SENTINEL, 128);
			desc_copy(&f, i, i, size, k == n - 1 ?
				NETDMA_DESC_STATUS_UPDATE : 0);
		}
		doorbell(&f, n);
		if (!wait_completed(&f, done + n)) {
			CHECK(!"batch timed out");
			bad++;
			break;
		}
		if (cmp_word(&f) != (desc_iova(&f, last) | NETDMA_STS_IDLE) ||
				chansts(&f) != (desc_iova(&f, last) |
				NETDMA_STS_IDLE)) {
			CHECK_EQ(cmp_word(&f), desc_iova(&f, last) |
				NETDMA_STS_IDLE);
			CHECK_EQ(chansts(&f), desc_iova(&f, last) |
				NETDMA_STS_IDLE);
			bad++;
		}
		for (k = 0; k < n; k++) {
			uint32_t seq = done + k;
			unsigned int i = seq % ring;

			if (!slot_copied(&f, i, 16 + seq % 33)) {
				fprintf(stderr, "  copy %u wrong\n", seq);
				CHECK(!"copy data");
				bad++;
				break;
			}
		}
		done += n;
	}
	CHECK_EQ(done, total);
	CHECK_EQ(REG_RD(f.regs, completed), total);
	CHECK_EQ(REG_RD(f.regs, doorbell) & NETDMA_DMACOUNT_MASK,
		total & NETDMA_DMACOUNT_MASK);
	CHECK_EQ(REG_RD(f.regs, chanerr), 0);
	fx_close(&f);
}

/* ---------------------------------------------------------------- *
 * IOMMU
 * ---------------------------------------------------------------- */

static void
test_iommu_api(void)
{
	struct netdma_engine *e = engine_new(1, "tmmu");
	uint8_t *buf = xalloc(16384);
	const uint64_t b = FAR_IOVA;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	CHECK_EQ(netdma_iommu_map(e, b, buf, 8192), 0);
	CHECK_EQ(netdma_iommu_map(e, b, buf, 8192), (uint64_t)-EEXIST);
	CHECK_EQ(netdma_iommu_map(e, b + 4096, buf, 8192), (uint64_t)-EEXIST);
	CHECK_EQ(netdma_iommu_map(e, b - 4096, buf, 8192), (uint64_t)-EEXIST);
	CHECK_EQ(netdma_iommu_map(e, b - 4096, buf, 16384),
		(uint64_t)-EEXIST);
	CHECK_EQ(netdma_iommu_map(e, b + 100, buf, 1), (uint64_t)-EEXIST);
	CHECK_EQ(netdma_iommu_map(e, b + 8191, buf, 1), (uint64_t)-EEXIST);
	CHECK_EQ(netdma_iommu_map(e, b - 1, buf, 2), (uint64_t)-EEXIST);
	/* Touching but not overlapping, on either side (VA elsewhere, so
	 * these stay separate windows). */
	CHECK_EQ(netdma_iommu_map(e, b - 4096, buf + 8192, 4096), 0);
	CHECK_EQ(netdma_iommu_map(e, b + 8192, buf, 4096), 0);

	CHECK_EQ(netdma_iommu_map(e, 0, buf, 64), (uint64_t)-EINVAL);
	CHECK_EQ(netdma_iommu_map(e, b + 65536, buf, 0), (uint64_t)-EINVAL);
	CHECK_EQ(netdma_iommu_map(e, b + 65536, NULL, 64), (uint64_t)-EINVAL);
	CHECK_EQ(netdma_iommu_map(e, UINT64_MAX - 63, buf, 128),
		(uint64_t)-EINVAL);
	CHECK_EQ(netdma_iommu_map(e, UINT64_MAX - 64, buf, 64), 0);

	/* Unmap takes a range inside one window, nothing else. */
	CHECK_EQ(netdma_iommu_unmap(e, b, 0), (uint64_t)-EINVAL);
	CHECK_EQ(netdma_iommu_unmap(e, b + 4096, UINT64_MAX), (uint64_t)-EINVAL);
	CHECK_EQ(netdma_iommu_unmap(e, b + 1, 8192), (uint64_t)-ENOENT);
	CHECK_EQ(netdma_iommu_unmap(e, b, 8193), (uint64_t)-ENOENT);
	CHECK_EQ(netdma_iommu_unmap(e, b - 4096, 8192), (uint64_t)-ENOENT);
	CHECK_EQ(netdma_iommu_unmap(e, 0x1000, 4096), (uint64_t)-ENOENT);
	CHECK_EQ(netdma_iommu_unmap(e, b + 65536, 64), (uint64_t)-ENOENT);
	/* Head, tail and middle pieces split the window... */
	CHECK_EQ(netdma_iommu_unmap(e, b, 1024), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b, 1024), (uint64_t)-ENOENT);
	CHECK_EQ(netdma_iommu_unmap(e, b + 8192 - 1024, 1024), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b + 4096, 1024), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b + 2048, 4096), (uint64_t)-ENOENT);
	/* ...and what is left is exactly two windows. */
	CHECK_EQ(netdma_iommu_unmap(e, b + 1024, 3072), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b + 5120, 2048), 0);
	CHECK_EQ(netdma_iommu_map(e, b, buf, 8192), 0);

	/* Maps contiguous in IOVA and VA merge: one unmap takes both. */
	CHECK_EQ(netdma_iommu_unmap(e, b, 8192), 0);
	CHECK_EQ(netdma_iommu_map(e, b + 4096, buf + 4096, 4096), 0);
	CHECK_EQ(netdma_iommu_map(e, b, buf, 4096), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b, 8192), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b, 4096), (uint64_t)-ENOENT);
	/* Not merged across a VA discontinuity. */
	CHECK_EQ(netdma_iommu_map(e, b, buf + 4096, 4096), 0);
	CHECK_EQ(netdma_iommu_map(e, b + 4096, buf, 4096), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b, 8192), (uint64_t)-ENOENT);
	CHECK_EQ(netdma_iommu_unmap(e, b, 4096), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b + 4096, 4096), 0);

	CHECK_EQ(netdma_iommu_unmap(e, b - 4096, 4096), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b + 8192, 4096), 0);
	CHECK_EQ(netdma_iommu_unmap(e, UINT64_MAX - 64, 64), 0);
	CHECK_EQ(netdma_iommu_unmap(e, b + 8192, 4096), (uint64_t)-ENOENT);
	netdma_engine_destroy(e);
	free(buf);
}

/* The window table is finite: it reports -ENOSPC and recovers. */
static void
test_iommu_full(void)
{
	struct netdma_engine *e = engine_new(1, "tmmu");
	uint8_t *buf = xalloc(64);
	unsigned int n = 0;
	int ret = 0;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	/* Descending IOVAs: each insert goes to the front of the table. */
	while (n < 1000000 && (ret = netdma_iommu_map(e,
			FAR_IOVA - (uint64_t)n * 64, buf, 64)) == 0)
		n++;
	CHECK_EQ(ret, (uint64_t)-ENOSPC);
	CHECK(n >= 256);
	/* Punching a hole needs one more entry: refused, window intact. */
	CHECK_EQ(netdma_iommu_unmap(e, FAR_IOVA - 64ull * (n / 2) + 16, 16),
		(uint64_t)-ENOSPC);
	CHECK_EQ(netdma_iommu_unmap(e, FAR_IOVA - 64ull * (n / 2), 64), 0);
	CHECK_EQ(netdma_iommu_map(e, FAR_IOVA + 64, buf, 64), 0);
	netdma_engine_destroy(e);
	free(buf);
}

/* Run one copy of size bytes from src to dst IOVA; returns CHANERR
 * (0 on success), recovering the channel from a halt. */
static uint32_t
copy_iova(struct fx *f, uint64_t src, uint64_t dst, uint32_t size)
{
	unsigned int i = f->dmacount % f->nb_desc;
	uint64_t c = REG_RD(f->regs, completed);
	uint32_t err;

	f->ring[i].size = size;
	f->ring[i].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
	f->ring[i].src = src;
	f->ring[i].dst = dst;
	doorbell(f, 1);
	if (!WAIT_FOR(chan_state(f) == NETDMA_STS_HALTED ||
			(REG_RD(f->regs, completed) == c + 1 &&
			chan_state(f) == NETDMA_STS_IDLE)))
		return UINT32_MAX;
	err = REG_RD(f->regs, chanerr);
	if (chan_state(f) == NETDMA_STS_HALTED) {
		chanerr_clear(f);
		if (!chan_cmd(f, NETDMA_CMD_RESUME) ||
				!wait_completed(f, c + 1))
			return UINT32_MAX;
	}
	return err;
}

/* Windows contiguous in IOVA and VA join; contiguous in IOVA only don't. */
static void
test_iommu_window_span(void)
{
	uint8_t *buf = xalloc(3 * 4096), *other = xalloc(4096);
	const uint64_t b = FAR_IOVA;
	struct fx f;
	unsigned int i;

	CHECK(fx_open(&f, 32));
	for (i = 0; i < 3 * 4096; i++)
		buf[i] = (uint8_t)(i * 11 + 5);
	memset(other, 0x5A, 4096);
	CHECK_EQ(netdma_iommu_map(f.e, b, buf, 4096), 0);
	CHECK_EQ(netdma_iommu_map(f.e, b + 4096, buf + 4096, 4096), 0);
	CHECK_EQ(netdma_iommu_map(f.e, b + 8192, other, 4096), 0);

	/* Read across the VA-contiguous boundary. */
	CHECK_EQ(copy_iova(&f, b + 4096 - 100, iova_of(dst_slot(&f, 0)), 200),
		0);
	CHECK(memcmp(dst_slot(&f, 0), buf + 4096 - 100, 200) == 0);
	/* Write across it. */
	CHECK_EQ(copy_iova(&f, iova_of(src_slot(&f, 1)), b + 4000, 200), 0);
	CHECK(memcmp(buf + 4000, src_slot(&f, 1), 200) == 0);
	/* All three windows' worth, first to last byte of the pair. */
	CHECK_EQ(copy_iova(&f, b, iova_of(dst_slot(&f, 2)), 4096), 0);
	CHECK_EQ(copy_iova(&f, b + 4096, iova_of(dst_slot(&f, 3)), 4096), 0);
	CHECK(memcmp(dst_slot(&f, 3), buf + 4096, 4096) == 0);

	/* IOVA-adjacent, VA elsewhere: refused, nothing moved. */
	memset(dst_slot(&f, 4), DST_SENTINEL, SLOT_SZ);
	CHECK_EQ(copy_iova(&f, b + 8192 - 100, iova_of(dst_slot(&f, 4)), 200),
		NETDMA_CHANERR_SRC_ADDR);
	CHECK(slot_untouched(&f, 4));
	CHECK_EQ(copy_iova(&f, iova_of(src_slot(&f, 5)), b + 8192 - 50, 100),
		NETDMA_CHANERR_DST_ADDR);
	CHECK_EQ(other[0], 0x5A);
	/* Past the last window. */
	CHECK_EQ(copy_iova(&f, b + 3 * 4096 - 10, iova_of(dst_slot(&f, 4)),
		20), NETDMA_CHANERR_SRC_ADDR);
	/* And the channel still works. */
	CHECK_EQ(copy_iova(&f, b + 8192, iova_of(dst_slot(&f, 6)), 64), 0);
	CHECK_EQ(dst_slot(&f, 6)[63], 0x5A);

	/* A hole punched in the middle: both sides keep their VAs, the hole
	 * and anything across it are refused, refilling it joins them. */
	CHECK_EQ(netdma_iommu_unmap(f.e, b + 4096, 256), 0);
	CHECK_EQ(copy_iova(&f, b + 4096 - 64, iova_of(dst_slot(&f, 7)), 64),
		0);
	CHECK(memcmp(dst_slot(&f, 7), buf + 4096 - 64, 64) == 0);
	CHECK_EQ(copy_iova(&f, b + 4096 + 256, iova_of(dst_slot(&f, 8)), 64),
		0);
	CHECK(memcmp(dst_slot(&f, 8), buf + 4096 + 256, 64) == 0);
	CHECK_EQ(copy_iova(&f, b + 4096 + 8, iova_of(dst_slot(&f, 9)), 8),
		NETDMA_CHANERR_SRC_ADDR);
	CHECK_EQ(copy_iova(&f, b + 4000, iova_of(dst_slot(&f, 9)), 1000),
		NETDMA_CHANERR_SRC_ADDR);
	CHECK(slot_untouched(&f, 9));
	CHECK_EQ(netdma_iommu_map(f.e, b + 4096, buf + 4096, 256), 0);
	CHECK_EQ(copy_iova(&f, b + 4000, iova_of(dst_slot(&f, 9)), 1000), 0);
	CHECK(memcmp(dst_slot(&f, 9), buf + 4000, 1000) == 0);
	CHECK_EQ(netdma_iommu_unmap(f.e, b, 8192), 0);
	fx_close(&f);
	free(buf);
	free(other);
}

/* Many small windows mapped in scrambled order still translate right. */
static void
test_iommu_many_windows(void)
{
	const unsigned int n = 256;
	struct fx f;
	unsigned int i, bad = 0;

	CHECK(fx_open(&f, 32));
	for (i = 0; i < n; i++) {
		unsigned int w = (i * 97) % n;	/* 97 coprime with 256 */

		CHECK_EQ(netdma_iommu_map(f.e, FAR_IOVA + (uint64_t)w * 65536,
			f.src + w * 256, 256), 0);
	}
	for (i = 0; i < n; i++) {
		unsigned int w = (i * 31) % n;
		uint8_t *d = dst_slot(&f, 0) + (i % 16) * 256;

		if (copy_iova(&f, FAR_IOVA + (uint64_t)w * 65536 + 16,
				iova_of(d), 240) != 0 ||
				memcmp(d, f.src + w * 256 + 16, 240) != 0)
			bad++;
	}
	CHECK_EQ(bad, 0);
	/* A window's neighbour in IOVA is not its neighbour in VA. */
	CHECK_EQ(copy_iova(&f, FAR_IOVA + 255, iova_of(dst_slot(&f, 1)), 2),
		NETDMA_CHANERR_SRC_ADDR);
	fx_close(&f);
}

/* Unmap and remap must reach the worker's cached translations. */
static void
test_iommu_invalidate(void)
{
	uint8_t *a = xalloc(4096), *b = xalloc(4096);
	struct fx f;

	CHECK(fx_open(&f, 32));
	memset(a, 'A', 4096);
	memset(b, 'B', 4096);
	CHECK_EQ(netdma_iommu_map(f.e, FAR_IOVA, a, 4096), 0);
	CHECK_EQ(copy_iova(&f, FAR_IOVA, iova_of(dst_slot(&f, 0)), 64), 0);
	CHECK_EQ(dst_slot(&f, 0)[0], 'A');

	/* Same IOVA, new memory: a stale cache would still read 'A'. */
	CHECK_EQ(netdma_iommu_unmap(f.e, FAR_IOVA, 4096), 0);
	CHECK_EQ(netdma_iommu_map(f.e, FAR_IOVA, b, 4096), 0);
	CHECK_EQ(copy_iova(&f, FAR_IOVA, iova_of(dst_slot(&f, 1)), 64), 0);
	CHECK_EQ(dst_slot(&f, 1)[0], 'B');

	/* Gone: refused. Same on the destination side. */
	CHECK_EQ(netdma_iommu_unmap(f.e, FAR_IOVA, 4096), 0);
	CHECK_EQ(copy_iova(&f, FAR_IOVA, iova_of(dst_slot(&f, 2)), 64),
		NETDMA_CHANERR_SRC_ADDR);
	CHECK(slot_untouched(&f, 2));
	CHECK_EQ(netdma_iommu_map(f.e, FAR_IOVA, a, 4096), 0);
	CHECK_EQ(copy_iova(&f, iova_of(src_slot(&f, 3)), FAR_IOVA, 64), 0);
	CHECK_EQ(netdma_iommu_unmap(f.e, FAR_IOVA, 4096), 0);
	memset(a, 'A', 4096);
	CHECK_EQ(copy_iova(&f, iova_of(src_slot(&f, 3)), FAR_IOVA, 64),
		NETDMA_CHANERR_DST_ADDR);
	CHECK_EQ(a[0], 'A');

	/* The completion word and the ring are translated too. */
	CHECK_EQ(netdma_iommu_unmap(f.e, iova_of(f.cmp), 64), 0);
	desc_copy(&f, f.dmacount % 32, 7, 64, NETDMA_DESC_STATUS_UPDATE);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_CMP_ADDR);
	CHECK_EQ(netdma_iommu_map(f.e, iova_of(f.cmp), f.cmp, 64), 0);
	chanerr_clear(&f);
	CHECK(chan_cmd(&f, NETDMA_CMD_RESUME));
	CHECK(wait_state(&f, NETDMA_STS_IDLE));

	CHECK_EQ(netdma_iommu_unmap(f.e, iova_of(f.ring), 32 * 64), 0);
	doorbell(&f, 1);
	CHECK(wait_state(&f, NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f.regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(netdma_iommu_map(f.e, iova_of(f.ring), f.ring, 32 * 64), 0);
	fx_close(&f);
	free(a);
	free(b);
}

struct remap_arg {
	struct netdma_engine *e;
	uint8_t *buf;
	volatile int stop;
	unsigned int rounds;
	int err;
};

/* Map and unmap windows below every real one, so that the table entries
 * the channel uses shift under it. */
static void *
remap_thread(void *p)
{
	struct remap_arg *a = p;
	unsigned int k;
	int ret;

	while (!a->stop) {
		for (k = 0; k < 64; k++)
			if ((ret = netdma_iommu_map(a->e, 0x10000 + k * 4096ull,
					a->buf, 4096)) != 0)
				a->err = ret;
		for (k = 0; k < 64; k++)
			if ((ret = netdma_iommu_unmap(a->e,
					0x10000 + k * 4096ull, 4096)) != 0)
				a->err = ret;
		a->rounds++;
	}
	return NULL;
}

/* Translations stay exact while another thread rewrites the table. */
static void
test_iommu_concurrent_remap(void)
{
	struct remap_arg a = { .buf = xalloc(4096) };
	unsigned int batch, k, bad = 0;
	pthread_t th;
	struct fx f;

	CHECK(fx_open(&f, 64));
	a.e = f.e;
	CHECK_EQ(pthread_create(&th, NULL, remap_thread, &a), 0);
	for (batch = 0; batch < 300 && bad == 0; batch++) {
		for (k = 0; k < 50; k++) {
			unsigned int i = (batch * 50 + k) % 64;

			memset(dst_slot(&f, i), DST_SENTINEL, 512);
			desc_copy(&f, i, i, 256 + batch % 128,
				k == 49 ? NETDMA_DESC_STATUS_UPDATE : 0);
		}
		doorbell(&f, 50);
		if (!wait_completed(&f, (batch + 1) * 50ull) ||
				REG_RD(f.regs, chanerr) != 0) {
			bad++;
			break;
		}
		for (k = 0; k < 50; k++)
			if (!slot_copied(&f, (batch * 50 + k) % 64,
					256 + batch % 128))
				bad++;
	}
	a.stop = 1;
	pthread_join(th, NULL);
	CHECK_EQ(bad, 0);
	CHECK_EQ(REG_RD(f.regs, chanerr), 0);
	CHECK_EQ(a.err, 0);
	CHECK(a.rounds > 0);
	fx_close(&f);
	free(a.buf);
}

/* ---------------------------------------------------------------- *
 * Parking
 * ---------------------------------------------------------------- */

static uint64_t
process_cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * NS_PER_S +
		(uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/* CPU the process burns in 200 ms while this thread sleeps. */
static uint64_t
idle_cpu_ns(void)
{
	uint64_t c0 = process_cpu_ns();

	sleep_ns(200 * NS_PER_MS);
	return process_cpu_ns() - c0;
}

static void
test_parking(void)
{
	struct netdma_engine_params p = {
		.nb_channels = 1, .spin_us = 2000000, .name = "tspin",
	};
	struct netdma_engine *spinner;
	uint64_t spin_cpu, park_cpu;
	struct fx f;

	/* Calibrate: a worker still in its spin budget does show up. */
	spinner = netdma_engine_create(&p);
	CHECK(spinner != NULL);
	if (spinner == NULL)
		return;
	spin_cpu = idle_cpu_ns();
	CHECK_EQ(REG_RD(netdma_chan_regs(netdma_engine_bar(spinner), 0),
		engsts), 0);
	netdma_engine_destroy(spinner);
	CHECK(spin_cpu >= 25 * NS_PER_MS);

	CHECK(fx_open(&f, 32));
	CHECK(WAIT_FOR(REG_RD(f.regs, engsts) == NETDMA_ENGSTS_PARKED));
	park_cpu = idle_cpu_ns();
	CHECK(park_cpu < 10 * NS_PER_MS);
	CHECK_EQ(REG_RD(f.regs, engsts), NETDMA_ENGSTS_PARKED);

	/* Parked, it no longer snoops the doorbell: the kick is needed. */
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_STATUS_UPDATE);
	f.dmacount = 1;
	REG_WR(f.regs, doorbell, 1u);
	sleep_ns(50 * NS_PER_MS);
	CHECK_EQ(REG_RD(f.regs, completed), 0);
	netdma_engine_kick(f.e, f.chan);
	CHECK(wait_completed(&f, 1));
	CHECK_EQ(cmp_word(&f), desc_iova(&f, 0) | NETDMA_STS_IDLE);
	CHECK(slot_copied(&f, 0, 64));

	/* Commands wake it the same way. */
	CHECK(WAIT_FOR(REG_RD(f.regs, engsts) == NETDMA_ENGSTS_PARKED));
	CHECK(chan_cmd(&f, NETDMA_CMD_SUSPEND));
	CHECK_EQ(chan_state(&f), NETDMA_STS_SUSPENDED);
	fx_close(&f);
}

/* ---------------------------------------------------------------- *
 * Several channels and engines
 * ---------------------------------------------------------------- */

struct chan_job {
	struct fx *f;
	unsigned int seed;
	unsigned int bad;
};

static void *
chan_job_run(void *p)
{
	struct chan_job *j = p;
	struct fx *f = j->f;
	unsigned int batch, k, s;

	for (batch = 0; batch < 200 && j->bad == 0; batch++) {
		for (k = 0; k < 16; k++) {
			unsigned int i = (batch * 16 + k) % f->nb_desc;

			s = i % NB_SLOTS;
			memset(dst_slot(f, s), DST_SENTINEL, 256);
			if ((k + j->seed) % 3 == 0)
				desc_fill(f, i, s, 0x0101010101010101ull *
					(j->seed + 1), 100, 0);
			else
				desc_copy(f, i, s, 100 + j->seed, 0);
		}
		f->ring[(batch * 16 + 15) % f->nb_desc].ctrl |=
			NETDMA_DESC_STATUS_UPDATE;
		doorbell(f, 16);
		if (!wait_completed(f, (batch + 1) * 16ull) ||
				cmp_word(f) != (desc_iova(f, (batch * 16 + 15) %
				f->nb_desc) | NETDMA_STS_IDLE)) {
			j->bad++;
			break;
		}
		for (k = 0; k < 16; k++) {
			unsigned int i = (batch * 16 + k) % f->nb_desc;
			bool ok;

			s = i % NB_SLOTS;
			if ((k + j->seed) % 3 == 0)
				ok = dst_slot(f, s)[99] == (uint8_t)(j->seed + 1)
					&& dst_slot(f, s)[100] == DST_SENTINEL;
			else
				ok = slot_copied(f, s, 100 + j->seed);
			j->bad += !ok;
		}
	}
	return NULL;
}

/* Three engines of two channels, all busy at once, then isolation:
 * one engine's IOMMU does not map another's memory, one channel's halt
 * and interrupts are its own. */
static void
test_multi_engine(void)
{
	struct netdma_engine *e[3];
	struct chan_job job[6];
	pthread_t th[6];
	struct fx f[6];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "tme%u", i);
		e[i] = engine_new(2, name);
		CHECK(e[i] != NULL);
		if (e[i] == NULL)
			return;
	}
	for (i = 0; i < 6; i++) {
		CHECK(fx_attach(&f[i], e[i / 2], i % 2, 32));
		job[i] = (struct chan_job){ .f = &f[i], .seed = i };
	}
	for (i = 0; i < 6; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, chan_job_run, &job[i]), 0);
	for (i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		CHECK_EQ(job[i].bad, 0);
	}

	/* Engine 0 channel 0 pointed at engine 1's ring: not mapped here. */
	CHECK(chan_bringup(&f[0]));
	REG_WR(f[0].regs, chainaddr, desc_iova(&f[2], 0));
	REG_WR(f[0].regs, chanctrl, (uint16_t)(NETDMA_CTRL_ERR_COMPL_EN |
		NETDMA_CTRL_ERR_INT_EN));
	doorbell(&f[0], 1);
	CHECK(wait_state(&f[0], NETDMA_STS_HALTED));
	CHECK_EQ(REG_RD(f[0].regs, chanerr), NETDMA_CHANERR_DESC_READ);
	CHECK_EQ(irq_wait(&f[0]), 1);

	/* Its sibling channel runs on, and its interrupt is its own. */
	CHECK(chan_bringup(&f[1]));
	memset(f[1].dst, DST_SENTINEL, BUF_LEN);
	REG_WR(f[1].regs, chanctrl, (uint16_t)NETDMA_CTRL_INT_REARM);
	desc_copy(&f[1], 0, 0, 64, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f[1], 1);
	CHECK(wait_completed(&f[1], 1));
	CHECK(slot_copied(&f[1], 0, 64));
	CHECK_EQ(irq_take(&f[1]), 1);
	CHECK_EQ(irq_take(&f[0]), 0);
	CHECK_EQ(chan_state(&f[0]), NETDMA_STS_HALTED);

	for (i = 0; i < 6; i++)
		fx_close(&f[i]);
	for (i = 0; i < 3; i++)
		netdma_engine_destroy(e[i]);
}

/* The largest engine: every channel's registers work, the last one
 * ending exactly at the end of the BAR. */
static void
test_max_channels(void)
{
	struct netdma_engine *e = engine_new(NETDMA_MAX_CHANNELS, "tmax");
	struct fx *f = calloc(NETDMA_MAX_CHANNELS, sizeof(*f));
	unsigned int c;

	CHECK(e != NULL && f != NULL);
	if (e == NULL || f == NULL)
		return;
	for (c = 0; c < NETDMA_MAX_CHANNELS; c++) {
		CHECK(fx_attach(&f[c], e, c, 32));
		desc_copy(&f[c], 0, c, 64 + c, NETDMA_DESC_STATUS_UPDATE);
		doorbell(&f[c], 1);
	}
	for (c = 0; c < NETDMA_MAX_CHANNELS; c++) {
		CHECK(wait_completed(&f[c], 1));
		CHECK_EQ(cmp_word(&f[c]), desc_iova(&f[c], 0) |
			NETDMA_STS_IDLE);
		CHECK(slot_copied(&f[c], c, 64 + c));
	}
	for (c = 0; c < NETDMA_MAX_CHANNELS; c++)
		fx_close(&f[c]);
	netdma_engine_destroy(e);
	free(f);
}

static void *
destroy_thread(void *e)
{
	netdma_engine_destroy(e);
	return NULL;
}

/* Destroy, giving up after TIMEOUT_NS: a hang fails instead of hanging
 * the test (the engine and its memory are then leaked, not freed). */
static bool
destroy_bounded(struct netdma_engine *e)
{
	struct timespec ts;
	pthread_t th;

	if (pthread_create(&th, NULL, destroy_thread, e) != 0)
		return false;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += TIMEOUT_NS / NS_PER_S;
	if (pthread_timedjoin_np(th, NULL, &ts) == 0)
		return true;
	pthread_detach(th);
	return false;
}

/* Unplugging a busy engine, or one parked on an interrupt deadline,
 * neither hangs nor touches memory afterwards (ASan, valgrind). */
static void
test_destroy_busy(void)
{
	const size_t BIG_SZ = 8 << 20;
	uint8_t *big_src, *big_dst;
	unsigned int i;
	struct fx f;
	bool ok;

	/* 512 GiB queued, a minute of copying: unplug must not wait. */
	CHECK(fx_open(&f, 64));
	big_src = xalloc(BIG_SZ);
	big_dst = xalloc(BIG_SZ);
	memset(big_src, 0x3C, BIG_SZ);
	CHECK_EQ(netdma_iommu_map(f.e, iova_of(big_src), big_src, BIG_SZ), 0);
	CHECK_EQ(netdma_iommu_map(f.e, iova_of(big_dst), big_dst, BIG_SZ), 0);
	for (i = 0; i < f.nb_desc; i++) {
		f.ring[i].size = BIG_SZ;
		f.ring[i].ctrl = NETDMA_OP_COPY << NETDMA_DESC_OP_SHIFT;
		f.ring[i].src = iova_of(big_src);
		f.ring[i].dst = iova_of(big_dst);
	}
	doorbell(&f, 65535);
	CHECK(SPIN_FOR(chan_state(&f) == NETDMA_STS_ACTIVE));
	CHECK(ok = destroy_bounded(f.e));
	if (ok) {
		fx_free(&f);
		free(big_src);
		free(big_dst);
	}

	CHECK(fx_open(&f, 32));
	REG_WR(f.regs, intrdelay, 60000);
	REG_WR(f.regs, chanctrl, (uint16_t)NETDMA_CTRL_INT_REARM);
	desc_copy(&f, 0, 0, 64, NETDMA_DESC_INT_ON_COMPL);
	doorbell(&f, 1);
	CHECK(wait_completed(&f, 1));
	CHECK(WAIT_FOR(REG_RD(f.regs, engsts) == NETDMA_ENGSTS_PARKED));
	CHECK(ok = destroy_bounded(f.e));
	if (ok)
		fx_free(&f);
}

/* ---------------------------------------------------------------- *
 * Runner
 * ---------------------------------------------------------------- */

struct test {
	const char *name;
	void (*fn)(void);
};

static const struct test tests[] = {
	{ "bar_identity", test_bar_identity },
	{ "workers", test_workers },
	{ "copy_basic", test_copy_basic },
	{ "fill", test_fill },
	{ "null_and_flags", test_null_and_flags },
	{ "doorbell_high_bits", test_doorbell_high_bits },
	{ "status_active", test_status_active },
	{ "int_only", test_int_only },
	{ "int_and_status", test_int_and_status },
	{ "no_flags", test_no_flags },
	{ "status_on_idle", test_status_on_idle },
	{ "status_on_idle_cmp_fails", test_status_on_idle_cmp_fails },
	{ "intr_coalescing", test_intr_coalescing },
	{ "intr_timer_lifetime", test_intr_timer_lifetime },
	{ "int_on_idle", test_int_on_idle },
	{ "int_on_idle_arm_race", test_int_on_idle_arm_race },
	{ "suspend_resume", test_suspend_resume },
	{ "suspend_midbatch", test_suspend_midbatch },
	{ "abort", test_abort },
	{ "abort_midbatch", test_abort_midbatch },
	{ "reset", test_reset },
	{ "cmd_priority", test_cmd_priority },
	{ "abort_from_halted", test_abort_from_halted },
	{ "cmd_at_run_end", test_cmd_at_run_end },
	{ "desc_read_misaligned", test_desc_read_misaligned },
	{ "desc_read_unmapped", test_desc_read_unmapped },
	{ "desc_read_zero", test_desc_read_zero },
	{ "desc_read_cross_end", test_desc_read_cross_end },
	{ "chainaddr_bad", test_chainaddr_bad },
	{ "cmp_unmapped", test_cmp_unmapped },
	{ "cmp_misaligned", test_cmp_misaligned },
	{ "cmp_zero", test_cmp_zero },
	{ "halt_cmp_fails_too", test_halt_cmp_fails_too },
	{ "halt_no_compl", test_halt_no_compl },
	{ "chanerr_write_back", test_chanerr_write_back },
	{ "masked_errors", test_masked_errors },
	{ "masked_then_unmasked", test_masked_then_unmasked },
	{ "mask_cannot_hide", test_mask_cannot_hide },
	{ "err_int", test_err_int },
	{ "dmacount_wrap", test_dmacount_wrap },
	{ "iommu_api", test_iommu_api },
	{ "iommu_full", test_iommu_full },
	{ "iommu_window_span", test_iommu_window_span },
	{ "iommu_many_windows", test_iommu_many_windows },
	{ "iommu_invalidate", test_iommu_invalidate },
	{ "iommu_concurrent_remap", test_iommu_concurrent_remap },
	{ "parking", test_parking },
	{ "multi_engine", test_multi_engine },
	{ "max_channels", test_max_channels },
	{ "destroy_busy", test_destroy_busy },
};

static bool
selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return true;
	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]) != NULL)
			return true;
	return false;
}

static void
run(const char *name, void (*fn)(void), const struct err_case *c,
		unsigned int *passed, unsigned int *failed)
{
	uint64_t t0 = now_ns();

	test_name = name;
	test_failures = 0;
	if (fn != NULL)
		fn();
	else
		test_error_case(c);
	if (test_failures == 0)
		(*passed)++;
	else
		(*failed)++;
	printf("%-4s %s (%" PRIu64 " ms)\n", test_failures ? "FAIL" : "ok",
		name, (uint64_t)((now_ns() - t0) / NS_PER_MS));
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0, i;
	char name[64];

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (selected(tests[i].name, argc, argv))
			run(tests[i].name, tests[i].fn, NULL, &passed, &failed);
	for (i = 0; i < NB_ERR_CASES; i++) {
		snprintf(name, sizeof(name), "error_%s", err_cases[i].name);
		if (selected(name, argc, argv))
			run(name, NULL, &err_cases[i], &passed, &failed);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
