/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Shared virtual addressing (sva=1) on dma_netdma: copies between any of
 * the process's memory, page faults as per-op errors with the faulting
 * address in rte_dma_dump(), memory unmapped under queued copies, faults
 * that are not the engine's left to the application's handler, and strict
 * mode (the default) still refusing memory it was not given.
 */

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_random.h>

#include "test_common.h"

TEST_DEFINE_COUNTERS;

#define DEV0 "dma_netdma0"
#define GUARD 0xA5
#define NOT_COPIED 0xEE	/* neither a fill byte of the munmap test nor 0 */

static int16_t dev0 = -1;
static size_t pg;

static void *
map_pages(size_t n, int prot)
{
	void *p = mmap(NULL, n * pg, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Copy len bytes (addresses are the IOVAs in SVA mode) and return the
 * op's status, or -1 if it never completed. */
static int
copy_status(int16_t id, const void *src, void *dst, uint32_t len)
{
	enum rte_dma_status_code st;
	uint16_t last;

	if (rte_dma_copy(id, 0, (uintptr_t)src, (uintptr_t)dst, len,
			RTE_DMA_OP_FLAG_SUBMIT) < 0)
		return -1;
	if (test_collect_status(id, 1, &last, &st) != 1)
		return -1;
	return (int)st;
}

/* ERRADDR as rte_dma_dump() shows it; UINT64_MAX if it is not there. */
static uint64_t
dumped_erraddr(int16_t id, bool *says_page_fault)
{
	char *dump = test_dump(id);
	const char *at = dump != NULL ? strstr(dump, "ERRADDR ") : NULL;
	uint64_t addr = UINT64_MAX;

	if (at != NULL)
		addr = strtoull(at + strlen("ERRADDR "), NULL, 16);
	*says_page_fault = dump != NULL && strstr(dump, "[page fault]") != NULL;
	free(dump);
	return addr;
}

/* A good 4 KiB copy through dev0, checked: the channel works. */
static int
channel_works(const char *after)
{
	static uint8_t a[4096], b[4096];
	unsigned int i;

	for (i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)rte_rand();
	memset(b, 0, sizeof(b));
	CHECK(copy_status(dev0, a, b, sizeof(a)) == RTE_DMA_STATUS_SUCCESSFUL,
		"copy after %s failed", after);
	CHECK(memcmp(a, b, sizeof(a)) == 0, "data after %s", after);
	return 0;
}

/*
 * Faults that are not the engine's still reach the application. Its
 * handler, installed before the first SVA card, must see a fault of its
 * own while the card exists, must not see the engine's, and must be in
 * place again once the card is gone. Guards a handler that swallows or
 * crashes on foreign faults, or that is left installed.
 */
static sigjmp_buf app_env;
static volatile uintptr_t app_fault_addr;
static volatile unsigned int app_faults;

static void
app_segv(int sig __rte_unused, siginfo_t *info, void *uctx __rte_unused)
{
	app_fault_addr = (uintptr_t)info->si_addr;
	app_faults++;
	siglongjmp(app_env, 1);
}

static int
test_foreign_faults_chain(void)
{
	struct sigaction sa = { .sa_sigaction = app_segv,
		.sa_flags = SA_SIGINFO }, orig, now;
	volatile uint8_t *none = map_pages(1, PROT_NONE);
	volatile uint8_t sink = 0;
	uint8_t dst[64];
	int16_t id;

	CHECK(none != NULL, "mmap");
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGSEGV, &sa, &orig) == 0, "sigaction");
	id = test_dev_create("dma_netdma2", "sva=1", 64);
	CHECK(id >= 0, "create an SVA device");

	if (sigsetjmp(app_env, 1) == 0)
		sink = none[5];
	(void)sink;
	CHECK(app_faults == 1, "the application's handler saw %u faults",
		app_faults);
	CHECK(app_fault_addr == (uintptr_t)none + 5, "fault address %#lx",
		(unsigned long)app_fault_addr);

	CHECK(copy_status(id, NULL, dst, sizeof(dst)) ==
		RTE_DMA_STATUS_PAGE_FAULT, "engine fault");
	CHECK(app_faults == 1, "the engine's fault reached the application");

	CHECK(rte_dma_stop(id) == 0 && rte_vdev_uninit("dma_netdma2") == 0,
		"remove");
	CHECK(sigaction(SIGSEGV, &orig, &now) == 0, "sigaction");
	CHECK((now.sa_flags & SA_SIGINFO) && now.sa_sigaction == app_segv,
		"the application's handler was not given back");
	munmap((void *)(uintptr_t)none, pg);
	return 0;
}

/* sva=1 advertises RTE_DMA_CAPA_SVA, which applications look for before
 * handing over process memory: guards the capability not reaching dmadev. */
static int
test_sva_capability(void)
{
	struct rte_dma_info info;

	CHECK(rte_dma_info_get(dev0, &info) == 0, "info");
	CHECK(info.dev_capa & RTE_DMA_CAPA_SVA, "sva=1 without RTE_DMA_CAPA_SVA");
	return 0;
}

/* Kinds of process memory, 8 KiB of each with room for guard bytes. */
static const char * const kind_name[] = { "malloc", "stack", "mmap" };
#define SPAN 8192

/*
 * Copies between plain malloc, stack and mmap memory in every pairing:
 * none of it is DPDK memory, all of it is the process's. Byte-exact, with
 * guard bytes around the destination, at odd offsets. Guards an SVA device
 * that checks IOVAs against an IOMMU, or translates them.
 */
static int
test_copy_any_memory(void)
{
	uint8_t stack_mem[SPAN + 128];
	uint8_t *heap = malloc(SPAN + 128);
	uint8_t *mapped = map_pages(3, PROT_READ | PROT_WRITE);
	uint8_t *mem[3] = { heap, stack_mem, mapped };
	uint8_t *ref = malloc(SPAN);
	unsigned int s, d, i;

	CHECK(heap != NULL && mapped != NULL && ref != NULL, "alloc");
	for (s = 0; s < 3; s++) {
		for (d = 0; d < 3; d++) {
			uint32_t len = SPAN - 64 - (s * 3 + d) * 7;
			uint8_t *src = mem[s] + 1 + s, *dst = mem[d] + 3 + d;
			int st;

			if (s == d) {	/* same memory: copy within it */
				dst = mem[d] + 64 + d;
				len = 60 - d;
			}
			for (i = 0; i < len; i++)
				ref[i] = src[i] = (uint8_t)rte_rand();
			memset(dst - 1, GUARD, 1);
			memset(dst, 0, len);
			memset(dst + len, GUARD, 32);
			st = copy_status(dev0, src, dst, len);
			CHECK(st == RTE_DMA_STATUS_SUCCESSFUL,
				"%s -> %s: status %d", kind_name[s],
				kind_name[d], st);
			CHECK(memcmp(dst, ref, len) == 0, "%s -> %s: data",
				kind_name[s], kind_name[d]);
			CHECK(dst[-1] == GUARD, "%s -> %s: underrun",
				kind_name[s], kind_name[d]);
			for (i = 0; i < 32; i++)
				CHECK(dst[len + i] == GUARD,
					"%s -> %s: overrun at +%u",
					kind_name[s], kind_name[d], i);
		}
	}
	free(heap);
	free(ref);
	munmap(mapped, 3 * pg);
	return 0;
}

/*
 * Under ThreadSanitizer a SIGBUS in the engine's worker ends the process:
 * its runtime hands SIGSEGV to the engine's handler, SIGBUS not. The
 * SIGBUS cases run in the other builds.
 */
#if defined(__SANITIZE_THREAD__)
#define SIGBUS_CASES	false
#else
#define SIGBUS_CASES	true
#endif

/*
 * A page of a file past its end, where an access raises SIGBUS rather
 * than SIGSEGV: two pages of a file mapped, the file then cut to one.
 * Returns the second page (the whole mapping is 2 pages), or NULL.
 */
static uint8_t *
sigbus_page(void)
{
	int fd = memfd_create("netdma-pmd-sva-test", 0);
	uint8_t *p = MAP_FAILED;

	if (fd >= 0 && ftruncate(fd, 2 * pg) == 0)
		p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			0);
	if (p != MAP_FAILED && ftruncate(fd, pg) != 0) {
		munmap(p, 2 * pg);
		p = MAP_FAILED;
	}
	if (fd >= 0)
		close(fd);
	return p == MAP_FAILED ? NULL : p + pg;
}

/*
 * Each way an access can fault is that op's error: PAGE_FAULT, with the
 * channel halted on it, CHANERR decoded as a page fault and ERRADDR naming
 * an address inside the part that cannot be accessed (a non-canonical
 * address faults without one); the process goes on, and the next op
 * succeeds. Guards a fault that kills the process (SIGBUS as well as
 * SIGSEGV), a wrong status or address, and a channel left halted.
 */
static int
test_fault_cases(void)
{
	uint8_t *good = map_pages(4, PROT_READ | PROT_WRITE);
	uint8_t *gone = map_pages(2, PROT_READ | PROT_WRITE);
	uint8_t *ro = map_pages(1, PROT_READ);
	uint8_t *hole = map_pages(3, PROT_READ | PROT_WRITE);
	uint8_t *bus = sigbus_page();
	uint8_t *noncanon = (uint8_t *)(uintptr_t)0x8000000000001000ull;
	static const uint8_t rodata[4096] = { 1, 2, 3 };
	struct {
		const char *what;
		bool fill;
		const void *src;
		void *dst;
		uint32_t len;
		uintptr_t lo, hi;	/* where ERRADDR must point */
	} c[11];
	unsigned int i, n = 0;

	CHECK(good && gone && ro && hole && bus, "mmap");
	CHECK(munmap(gone + pg, pg) == 0 && munmap(hole + 2 * pg, pg) == 0,
		"munmap");
	memset(good, 0x3C, 4 * pg);

#define FAULT_CASE(w, f, s, d, l, from, to) do { \
	c[n].what = (w); c[n].fill = (f); c[n].src = (s); \
	c[n].dst = (void *)(uintptr_t)(d); \
	c[n].len = (l); c[n].lo = (uintptr_t)(from); c[n].hi = (uintptr_t)(to); \
	n++; \
} while (0)
	FAULT_CASE("source in an unmapped page", false, gone + pg, good, 256,
		gone + pg, gone + pg + 256);
	FAULT_CASE("read-only destination (mmap)", false, good, ro, 256,
		ro, ro + 256);
	FAULT_CASE("read-only destination (.rodata)", false, good, rodata, 512,
		rodata, rodata + 512);
	FAULT_CASE("NULL source", false, NULL, good, 64, 0, 64);
	FAULT_CASE("NULL destination", false, good, NULL, 64, 0, 64);
	FAULT_CASE("destination running into a hole", false, good, hole,
		(uint32_t)(2 * pg + pg / 2), hole + 2 * pg,
		hole + 2 * pg + pg / 2);
	FAULT_CASE("source running into a hole", false, hole + pg / 2,
		good, (uint32_t)(2 * pg), hole + 2 * pg,
		hole + 2 * pg + pg / 2);
	FAULT_CASE("fill of a read-only page", true, NULL, ro, 128, ro,
		ro + 128);
	if (SIGBUS_CASES) {
		FAULT_CASE("source past the end of its file (SIGBUS)", false,
			bus, good, 256, bus, bus + 256);
		FAULT_CASE("destination past the end of its file (SIGBUS)",
			false, good, bus, 256, bus, bus + 256);
	}
	FAULT_CASE("non-canonical source", false, noncanon, good, 64, 0,
		UINTPTR_MAX);
#undef FAULT_CASE

	for (i = 0; i < n; i++) {
		enum rte_dma_status_code st;
		bool page_fault;
		uint64_t erraddr;
		uint16_t last;
		int ret;

		if (c[i].fill)
			ret = rte_dma_fill(dev0, 0, 0x1122334455667788ull,
				(uintptr_t)c[i].dst, c[i].len,
				RTE_DMA_OP_FLAG_SUBMIT);
		else
			ret = rte_dma_copy(dev0, 0, (uintptr_t)c[i].src,
				(uintptr_t)c[i].dst, c[i].len,
				RTE_DMA_OP_FLAG_SUBMIT);
		CHECK(ret >= 0, "%s: enqueue %d", c[i].what, ret);
		CHECK(test_await_vchan(dev0) == RTE_DMA_VCHAN_HALTED_ERROR,
			"%s: the channel did not halt", c[i].what);
		erraddr = dumped_erraddr(dev0, &page_fault);
		CHECK(page_fault, "%s: dump does not say page fault", c[i].what);
		CHECK(erraddr >= c[i].lo && erraddr < c[i].hi,
			"%s: ERRADDR %#" PRIx64 " outside [%#lx, %#lx)",
			c[i].what, erraddr, (unsigned long)c[i].lo,
			(unsigned long)c[i].hi);
		CHECK(test_collect_status(dev0, 1, &last, &st) == 1,
			"%s: no status", c[i].what);
		CHECK(st == RTE_DMA_STATUS_PAGE_FAULT, "%s: status %d",
			c[i].what, st);
		CHECK(channel_works(c[i].what) == 0);
	}
	CHECK(rodata[0] == 1 && rodata[3] == 0, "read-only data changed");
	munmap(good, 4 * pg);
	munmap(gone, pg);
	munmap(ro, pg);
	munmap(hole, 2 * pg);
	munmap(bus - pg, 2 * pg);
	return 0;
}

/*
 * The same faults inside one batch, between good ops, and a
 * scatter-gather op with a NULL segment in the middle: every fault fails
 * its own op only, and every good op's bytes arrive.
 */
static int
test_faults_in_a_batch(void)
{
	enum {
		N = 9
	};
	uint8_t *src = malloc(N * 512), *dst = malloc(N * 512);
	uint8_t *ro = map_pages(1, PROT_READ);
	enum rte_dma_status_code st[N];
	struct rte_dma_sge ss[3], ds[2];
	uint16_t last;
	unsigned int i;

	CHECK(src && dst && ro, "alloc");
	for (i = 0; i < N * 512; i++)
		src[i] = (uint8_t)rte_rand();
	memset(dst, 0, N * 512);
	for (i = 0; i < N; i++) {
		const uint8_t *s = src + i * 512;
		uint8_t *d = dst + i * 512;
		int ret;

		if (i == 1)
			s = NULL;
		else if (i == 3)
			d = ro;
		if (i == 5) {	/* segment 1 of 3 is NULL */
			ss[0].addr = (uintptr_t)s;
			ss[0].length = 100;
			ss[1].addr = 0;
			ss[1].length = 100;
			ss[2].addr = (uintptr_t)s + 200;
			ss[2].length = 56;
			ds[0].addr = (uintptr_t)d;
			ds[0].length = 128;
			ds[1].addr = (uintptr_t)d + 128;
			ds[1].length = 128;
			ret = rte_dma_copy_sg(dev0, 0, ss, ds, 3, 2, 0);
		} else if (i == 7) {	/* a good scatter-gather op */
			ss[0].addr = (uintptr_t)s + 256;
			ss[0].length = 256;
			ss[1].addr = (uintptr_t)s;
			ss[1].length = 256;
			ds[0].addr = (uintptr_t)d;
			ds[0].length = 512;
			ret = rte_dma_copy_sg(dev0, 0, ss, ds, 2, 1, 0);
		} else {
			ret = rte_dma_copy(dev0, 0, (uintptr_t)s,
				(uintptr_t)d, 512, 0);
		}
		CHECK(ret >= 0, "enqueue %u: %d", i, ret);
	}
	CHECK(rte_dma_submit(dev0, 0) == 0, "submit");
	CHECK_EQ(test_collect_status(dev0, N, &last, st), N);
	for (i = 0; i < N; i++) {
		bool bad = i == 1 || i == 3 || i == 5;

		CHECK(st[i] == (bad ? RTE_DMA_STATUS_PAGE_FAULT :
			RTE_DMA_STATUS_SUCCESSFUL), "op %u: status %d", i, st[i]);
		if (i == 7)
			CHECK(memcmp(dst + i * 512, src + i * 512 + 256, 256) == 0 &&
				memcmp(dst + i * 512 + 256, src + i * 512, 256) == 0,
				"scatter-gather op %u: data", i);
		else if (!bad)
			CHECK(memcmp(dst + i * 512, src + i * 512, 512) == 0,
				"op %u: data", i);
	}
	free(src);
	free(dst);
	munmap(ro, pg);
	return channel_works("a batch of faults");
}

/*
 * Memory unmapped while copies into (or out of) it are queued: each op
 * succeeds or fails with PAGE_FAULT, never anything else, and the process
 * survives. An op that succeeded from unmapped source memory read all of
 * it first, so its bytes are checked: a copy never made leaves NOT_COPIED.
 * Nothing else in the process maps memory meanwhile (test_eal_init() runs
 * no telemetry, whose connections start threads, and a thread's new stack
 * in the hole would be read as the source), so the range stays a hole
 * while the engine runs. Over the rounds some ops must have faulted, or
 * the race was not run. Guards fault catching that depends on
 * timing (a fault outside the guarded section kills the process) and a
 * channel that a fault leaves unusable.
 */
static int
test_munmap_under_queued_copies(void)
{
	enum {
		OPS = 128,
		CHUNK = 32 * 1024,
		ROUNDS = 16,
	};
	const size_t region = (size_t)OPS * CHUNK;
	uint8_t *fixed = malloc(region);
	enum rte_dma_status_code st[OPS];
	unsigned int round, i, faults = 0, ok = 0;
	uint16_t last;

	CHECK(fixed != NULL, "alloc");
	memset(fixed, 0x77, CHUNK);
	for (round = 0; round < ROUNDS; round++) {
		bool unmap_src = round & 1;
		uint8_t *victim = mmap(NULL, region, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint16_t got;

		CHECK(victim != MAP_FAILED, "mmap");
		if (unmap_src) {
			for (i = 0; i < OPS; i++)
				memset(victim + (size_t)i * CHUNK,
					(uint8_t)(round + i + 1), CHUNK);
			memset(fixed, NOT_COPIED, region);
		}
		for (i = 0; i < OPS; i++) {
			uint8_t *v = victim + (size_t)i * CHUNK;
			uint8_t *f = unmap_src ? fixed + (size_t)i * CHUNK : fixed;

			CHECK(rte_dma_copy(dev0, 0,
				(uintptr_t)(unmap_src ? v : f),
				(uintptr_t)(unmap_src ? f : v), CHUNK, 0) >= 0,
				"enqueue");
		}
		CHECK(rte_dma_submit(dev0, 0) == 0, "submit");
		if (round >= 2)
			rte_delay_us_block((round - 2) * 40);
		CHECK(munmap(victim, region) == 0, "munmap");

		got = 0;
		while (got < OPS) {
			uint16_t n = test_collect_status(dev0, OPS - got, &last,
				st + got);

			CHECK(n > 0, "round %u: ops %u.. never completed",
				round, got);
			got += n;
		}
		for (i = 0; i < OPS; i++) {
			CHECK(st[i] == RTE_DMA_STATUS_SUCCESSFUL ||
				st[i] == RTE_DMA_STATUS_PAGE_FAULT,
				"round %u op %u: status %d", round, i, st[i]);
			if (st[i] == RTE_DMA_STATUS_PAGE_FAULT) {
				faults++;
				continue;
			}
			ok++;
			if (unmap_src) {
				const uint8_t *f = fixed + (size_t)i * CHUNK;
				uint8_t want = (uint8_t)(round + i + 1);

				size_t bad = 0, nbad = 0, b;

				for (b = 0; b < CHUNK; b++)
					if (f[b] != want && nbad++ == 0)
						bad = b;
				CHECK(nbad == 0,
					"round %u op %u: succeeded without its data: %zu bytes differ, the first at %zu (0x%02x, want 0x%02x); ops %u and %u: status %d, %d",
					round, i, nbad, bad, f[bad], want,
					i - 1, i + 1, i > 0 ? (int)st[i - 1] : -1,
					i + 1 < OPS ? (int)st[i + 1] : -1);
			}
		}
	}
	printf("    %u ops succeeded, %u failed with a page fault\n", ok, faults);
	CHECK(faults > 0, "no op faulted: the race was never run");
	free(fixed);
	return channel_works("unmapping under queued copies");
}

/*
 * Strict mode, the default, keeps the IOMMU contract: memory that is not
 * DPDK's and was not DMA-mapped is refused before a byte moves, with the
 * address errors of old, not a page fault, and no SVA capability. Guards
 * sva leaking into devices that did not ask for it.
 */
static int
test_strict_refuses_process_memory(void)
{
	uint8_t stack_mem[256];
	uint8_t *heap = malloc(256);
	uint8_t *mapped = map_pages(1, PROT_READ | PROT_WRITE);
	uint8_t *dpdk = rte_malloc(NULL, 256, 64);
	struct rte_dma_info info;
	int16_t id;

	CHECK(heap && mapped && dpdk, "alloc");
	id = test_dev_create("dma_netdma1", NULL, 64);
	CHECK(id >= 0, "create a strict device");
	CHECK(rte_dma_info_get(id, &info) == 0 &&
		!(info.dev_capa & RTE_DMA_CAPA_SVA), "strict device claims SVA");
	memset(dpdk, 0x42, 256);
	memset(heap, 0, 256);
	memset(stack_mem, 0, sizeof(stack_mem));
	memset(mapped, 0, 256);
	CHECK(copy_status(id, heap, dpdk, 64) ==
		RTE_DMA_STATUS_INVALID_SRC_ADDR, "malloc source");
	CHECK(copy_status(id, mapped, dpdk, 64) ==
		RTE_DMA_STATUS_INVALID_SRC_ADDR, "mmap source");
	CHECK(copy_status(id, NULL, dpdk, 64) ==
		RTE_DMA_STATUS_INVALID_SRC_ADDR, "NULL source");
	CHECK(copy_status(id, dpdk, heap, 64) ==
		RTE_DMA_STATUS_INVALID_DST_ADDR, "malloc destination");
	CHECK(copy_status(id, dpdk, stack_mem, 64) ==
		RTE_DMA_STATUS_INVALID_DST_ADDR, "stack destination");
	CHECK(copy_status(id, dpdk, mapped, 64) ==
		RTE_DMA_STATUS_INVALID_DST_ADDR, "mmap destination");
	CHECK(heap[0] == 0 && stack_mem[0] == 0 && mapped[0] == 0,
		"strict device wrote memory it was not given");
	CHECK(copy_status(id, dpdk, dpdk + 128, 64) ==
		RTE_DMA_STATUS_SUCCESSFUL, "DPDK memory");
	test_dev_destroy("dma_netdma1");
	free(heap);
	munmap(mapped, pg);
	rte_free(dpdk);
	return 0;
}

int
main(int argc, char **argv)
{
	int ret;

	ret = test_start(argc, argv, "");
	if (ret != 0)
		return ret;
	pg = (size_t)sysconf(_SC_PAGESIZE);
	/* first, while no SVA card has touched the signal handlers */
	RUN(test_foreign_faults_chain);

	dev0 = test_dev_create(DEV0, "sva=1", 256);
	if (dev0 < 0) {
		fprintf(stderr, "cannot create %s with sva=1\n", DEV0);
		return 1;
	}
	RUN(test_sva_capability);
	RUN(test_copy_any_memory);
	RUN(test_fault_cases);
	RUN(test_faults_in_a_batch);
	RUN(test_munmap_under_queued_copies);
	RUN(test_strict_refuses_process_memory);
	test_dev_destroy(DEV0);
	rte_eal_cleanup();
	TEST_SUMMARY();
	return test_failed == 0 ? 0 : 1;
}
