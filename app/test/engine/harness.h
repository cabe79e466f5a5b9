/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Harness of the engine's register-level tests. The test plays the
 * driver: it writes descriptors into memory it maps through the engine's
 * IOMMU (IOVA == VA unless a test needs them apart), programs the channel
 * through the BAR with netdma_mmio.h and checks exact register values,
 * status words, irq eventfd counts and data bytes. No DPDK: a plain
 * pthread program.
 *
 * Every call into the engine's platform API (netdma_engine.h) goes through
 * this harness, so a change to that API changes the harness only. Every
 * wait is bounded (TIMEOUT_NS) so a broken engine fails, not hangs.
 *
 * Usage: netdma-test-engine [substring...] runs only the tests whose name
 * contains one of the substrings.
 */

#ifndef NETDMA_TEST_ENGINE_HARNESS_H
#define NETDMA_TEST_ENGINE_HARNESS_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "netdma_engine.h"
#include "netdma_mmio.h"
#include "test_check.h"

/* Only bounds a hang, so it is generous: no wait of a good engine may
 * reach it, even on a loaded machine under a sanitizer or valgrind, which
 * run the worker tens of times slower. */
#define TIMEOUT_NS		(20 * NS_PER_S)
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
 * Runner
 * ---------------------------------------------------------------- */

/* A test returns 0, or CHECK_FAILED from its first failed check. */
struct test {
	const char *name;
	int (*fn)(void);
};

#define TEST(n)		{ #n, test_##n }

/* Run each test the command line selects. */
void test_run_list(const struct test *tests, unsigned int nb);

/* Report a test that cannot run in this build, and why. */
void test_skip(const char *name, const char *why);

/* A test that finds it cannot run here (no NUMA, one CPU) returns
 * test_skipped(why): counted as skipped, with its reason, if no check
 * failed before. */
#define TEST_SKIPPED	77
int test_skipped(const char *why);

/* Run fn(arg) as a test called name, if the command line selects it. */
void test_run_case(const char *name, int (*fn)(const void *arg),
		const void *arg);

/* The test files, one concern each, run in this order. */
void registers_tests(void);
void completion_tests(void);
void interrupts_tests(void);
void commands_tests(void);
void errors_tests(void);
void iommu_tests(void);
void sg_tests(void);
void slices_tests(void);
void sva_tests(void);
void arbitration_tests(void);
void ordering_tests(void);
void numa_tests(void);
void readahead_tests(void);

/* ---------------------------------------------------------------- *
 * Time
 * ---------------------------------------------------------------- */

uint64_t now_ns(void);
void sleep_ns(uint64_t ns);

/* Evaluate cond until true or TIMEOUT_NS; the value is cond's last. */
#define WAIT_FOR(cond) ({						\
	uint64_t dl_ = now_ns() + TIMEOUT_NS;				\
	bool ok_;							\
	while (!(ok_ = (cond)) && now_ns() < dl_)			\
		sleep_ns(10000);					\
	ok_;								\
})

/* Until cond or TIMEOUT_NS, without sleeping: on a loaded machine a
 * sleeping poller may not run again until the worker is done. */
#define SPIN_FOR(cond) ({						\
	uint64_t dl_ = now_ns() + TIMEOUT_NS;				\
	bool ok_;							\
	while (!(ok_ = (cond)) && now_ns() < dl_)			\
		__builtin_ia32_pause();					\
	ok_;								\
})

/* ---------------------------------------------------------------- *
 * CPUs
 * ---------------------------------------------------------------- */

/*
 * Up to max CPUs of those the process was allowed at start, in order,
 * into cpus; how many. A test pins only to these, so that it also runs
 * in a container's cpuset or under taskset, where there may be one.
 */
unsigned int allowed_cpus(int *cpus, unsigned int max);
/* The same as a set. */
const cpu_set_t *allowed_set(void);
/* Pin the calling thread to cpu; unpin_self() gives it back the start
 * set. */
void pin_self(int cpu);
void unpin_self(void);

/* ---------------------------------------------------------------- *
 * Engines and memory. What a test creates here and has not released
 * when it ends, the runner releases (engines first), so a test that
 * stops at a failed check does not spill into the next one.
 * ---------------------------------------------------------------- */

/* NULL with errno set, as netdma_engine_create(). */
struct netdma_engine *engine_create(const struct netdma_engine_params *p);
/* nb_chan channels, SPIN_US, any CPU; NULL (reported) on failure. */
struct netdma_engine *engine_new(unsigned int nb_chan, const char *name);
void engine_destroy(struct netdma_engine *e);
/* Destroy, giving up after TIMEOUT_NS: false if it hangs, and then the
 * engine and this test's memory are leaked, not freed. */
bool engine_destroy_bounded(struct netdma_engine *e);
volatile void *engine_bar(struct netdma_engine *e);
int engine_irq_fd(struct netdma_engine *e, unsigned int chan);
int iommu_map(struct netdma_engine *e, uint64_t iova, void *va,
		uint64_t len);
int iommu_unmap(struct netdma_engine *e, uint64_t iova, uint64_t len);
/* Passes of the worker serving chan (netdma_engine_passes()). */
uint64_t engine_passes(struct netdma_engine *e, unsigned int chan);
/* Until that worker has completed n more passes than now, kicking it
 * whenever it parks: a parked worker makes none. */
bool wait_passes(struct netdma_engine *e, unsigned int chan, uint64_t n);

/* Global registers have no struct in netdma_hw.h: read by offset. */
uint8_t bar_read8(volatile void *bar, unsigned int off);
uint32_t bar_read32(volatile void *bar, unsigned int off);

/* 64-byte aligned; exits on failure. Release with xfree(). */
void *xalloc(size_t len);
void xfree(void *p);

/*
 * Whole pages of anonymous read-write memory, for tests that change what
 * is mapped: exits on failure. xmunmap() takes any page-aligned range:
 * what it covers of xmmap blocks is unmapped, the rest of them is kept
 * for later, holes punched earlier are skipped. So a test can punch holes
 * in a block and still release the whole block at the end.
 */
void *xmmap(size_t len);
void xmunmap(void *p, size_t len);

/*
 * A position-dependent pattern: each 8-byte word holds its index (plus
 * seed), seven bits in each of its upper bytes, so a byte moved to the
 * wrong place shows. No byte of it is ever DST_SENTINEL, so a byte not
 * moved shows too.
 */
void pattern_fill(void *p, size_t len, uint64_t seed);

/*
 * Holding the worker part-way through a descriptor (stall.c): arm a page
 * the descriptor will write, wait until the worker blocks on it, post
 * what must land part-way, release. The page keeps its bytes. The test
 * must not touch an armed page itself: it would block on it too.
 */
struct stall {
	int fd;			/* the userfaultfd */
	uint8_t *page;		/* armed, or NULL */
	char why[96];		/* why stall_open() failed */
	uint8_t saved[4096];	/* the armed page's bytes */
};

/* False, with s->why, where userfaultfd is not to be had. */
bool stall_open(struct stall *s);
void stall_close(struct stall *s);
/* Take the page holding at away: the next access blocks. */
bool stall_arm(struct stall *s, void *at);
/* Until a worker blocks on the armed page (TIMEOUT_NS). */
bool stall_wait(struct stall *s);
/* Give the page back, as it was: the worker runs on. */
bool stall_release(struct stall *s);
/* Close the stalls a test left open; how many. */
unsigned int stall_leftovers(void);

/* Thread id of this process's thread named name, or -1. */
pid_t thread_find(const char *name);
/* CPU time a thread of this process has run, in ns (schedstat). */
uint64_t thread_cpu_ns(pid_t tid);

static inline uint64_t
iova_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* ---------------------------------------------------------------- *
 * Fixture: one channel as a driver sees it, with the memory it owns.
 * ---------------------------------------------------------------- */

struct fx {
	struct netdma_engine *e;
	unsigned int chan;
	bool own_engine;
	volatile struct netdma_chan_regs *regs;
	int irq;
	struct netdma_desc *ring;	/* circular chain of nb_desc */
	unsigned int nb_desc;
	uint64_t *cmp;			/* completion word, own cache line */
	uint8_t *src, *dst;		/* NB_SLOTS * SLOT_SZ each, mapped */
	uint8_t *unmapped;		/* BUF_LEN, never mapped */
	uint16_t dmacount;		/* what software has made available */
};

/* A fixture on channel chan of engine e, brought up: src holds a known
 * pattern, dst DST_SENTINEL, *cmp CMP_SENTINEL, the ring is a circle. */
bool fx_attach(struct fx *f, struct netdma_engine *e, unsigned int chan,
		unsigned int nb_desc);
/* A fixture on a fresh single-channel engine of its own. */
bool fx_open(struct fx *f, unsigned int nb_desc);
/* The same on channel 0 of an engine made from p (SVA, say). */
bool fx_open_params(struct fx *f, const struct netdma_engine_params *p,
		unsigned int nb_desc);
/* Destroy its own engine, or unmap from the shared one; free memory. */
void fx_close(struct fx *f);
/* Free the memory only (its engine is already gone). */
void fx_free(struct fx *f);

static inline uint8_t *
src_slot(struct fx *f, unsigned int slot)
{
	return f->src + (size_t)slot * SLOT_SZ;
}

static inline uint8_t *
dst_slot(struct fx *f, unsigned int slot)
{
	return f->dst + (size_t)slot * SLOT_SZ;
}

static inline uint64_t
desc_iova(struct fx *f, unsigned int i)
{
	return iova_of(&f->ring[i]);
}

/* ---------------------------------------------------------------- *
 * Driver side: registers and descriptors
 * ---------------------------------------------------------------- */

static inline uint64_t
chansts(struct fx *f)
{
	return netdma_mmio_read(f->regs, chansts);
}

static inline unsigned int
chan_state(struct fx *f)
{
	return netdma_sts_state(chansts(f));
}

static inline uint64_t
cmp_word(struct fx *f)
{
	return __atomic_load_n(f->cmp, __ATOMIC_ACQUIRE);
}

/* Wake a parked channel after a doorbell or command write. */
void fx_kick(struct fx *f);
/* Post a command and kick, without waiting for it. */
void cmd_post(struct fx *f, uint8_t cmd);
/* Spin until the posted command is acknowledged: a sleeping poller on a
 * loaded machine learns late. cmd_spin() posts it first. */
bool cmd_acked(struct fx *f);
bool cmd_spin(struct fx *f, uint8_t cmd);
/* With the worker blocked on the armed page (stall_wait()): post cmd,
 * release the page, and wait for the command to be acknowledged. The
 * command is posted first, so it lands part-way. */
bool stall_cmd(struct stall *s, struct fx *f, uint8_t cmd);
/* Post a command and wait for the engine to acknowledge it (self-clear). */
bool chan_cmd(struct fx *f, uint8_t cmd);
/* Bring-up as the spec orders it: RESET, chain, completion, control. */
bool chan_bringup(struct fx *f);
/* Make n more descriptors available. */
void doorbell(struct fx *f, unsigned int n);
/* The same without the kick: a parked worker does not see them until
 * fx_kick(), so several channels can be started by one wake-up. */
void doorbell_nokick(struct fx *f, unsigned int n);
/* The channel's worker is parked (ENGSTS.PARKED). */
bool wait_parked(struct fx *f);
/* Batch done: the running count reached n and the channel left ACTIVE. */
bool wait_completed(struct fx *f, uint64_t n);
bool wait_state(struct fx *f, unsigned int state);
/*
 * The engine has acted on everything written before this call: whatever
 * it would do about it (run a descriptor, write a status word, raise an
 * interrupt) it has done. What a "nothing happened" check waits for:
 * two passes of the channel's worker, the first of which may have begun
 * before the writes.
 */
bool wait_seen(struct fx *f);
/* The same once now_ns() has reached t: a coalescing timer due by then
 * has fired, if it was going to. */
bool wait_seen_after(struct fx *f, uint64_t t);
/* Clear every CHANERR bit set now. */
void chanerr_clear(struct fx *f);

/* Descriptor i copies size bytes of src slot s to dst slot s. */
void desc_copy(struct fx *f, unsigned int i, unsigned int s, uint32_t size,
		uint32_t flags);
/* Descriptor i fills size bytes of dst slot s with pattern. */
void desc_fill(struct fx *f, unsigned int i, unsigned int s,
		uint64_t pattern, uint32_t size, uint32_t flags);

/* One COPY_SG list entry: len bytes at addr (IOVA == VA). */
static inline void
sge_set(struct netdma_sge *e, const void *addr, uint32_t len)
{
	e->addr = iova_of(addr);
	e->len = len;
	e->rsvd = 0;
}

/* Descriptor i copies size bytes from the nb_src segments of list src to
 * the nb_dst segments of list dst (lists at their VA: IOVA == VA). */
void desc_copy_sg(struct fx *f, unsigned int i, uint32_t size,
		const struct netdma_sge *src, uint16_t nb_src,
		const struct netdma_sge *dst, uint16_t nb_dst, uint32_t flags);

/* dst slot s holds exactly size bytes of src slot s, then the sentinel
 * (checked for 64 bytes: enough to catch an over-long copy). */
bool slot_copied(struct fx *f, unsigned int s, uint32_t size);
bool slot_untouched(struct fx *f, unsigned int s);
bool src_intact(struct fx *f);

/* Interrupts raised since the last call (eventfd counter), 0 if none. */
uint64_t irq_take(struct fx *f);
/* The same, waiting up to TIMEOUT_NS for one. */
uint64_t irq_wait(struct fx *f);

#endif /* NETDMA_TEST_ENGINE_HARNESS_H */
