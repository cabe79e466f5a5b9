/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/* Small harness shared by the PMD-level test programs. */

#ifndef NETDMA_TEST_COMMON_H
#define NETDMA_TEST_COMMON_H

#include <dirent.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "rte_pmd_netdma.h"
#include "test_check.h"

extern unsigned int test_passed, test_failed, test_skipped;
extern char test_skip_reason[256];

/* What a test returns when it cannot run here: see TEST_SKIP. */
#define TEST_SKIPPED	77

/*
 * End a test that cannot run where it is, with the reason the runner
 * prints: return TEST_SKIP("this CPU has no %s", "MOVDIR64B"). A skipped
 * test counts as neither passed nor failed; one that failed a check before
 * it still fails.
 */
#define TEST_SKIP(...) test_skip(__VA_ARGS__)

__attribute__((format(printf, 1, 2)))
static inline int
test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(test_skip_reason, sizeof(test_skip_reason), fmt, ap);
	va_end(ap);
	return TEST_SKIPPED;
}

/*
 * A test passes if it returns 0 and no check failed on the way, and is
 * skipped if it returns TEST_SKIP() with none failed.
 */
static inline void
test_run(const char *name, int (*fn)(void))
{
	unsigned int failures = __atomic_load_n(&check_failures,
		__ATOMIC_RELAXED);
	int ret;

	printf("--- %s\n", name);
	fflush(stdout);
	test_skip_reason[0] = '\0';
	ret = fn();
	if (__atomic_load_n(&check_failures, __ATOMIC_RELAXED) != failures ||
			(ret != 0 && ret != TEST_SKIPPED)) {
		test_failed++;
		printf("    FAILED\n");
	} else if (ret == TEST_SKIPPED) {
		test_skipped++;
		printf("    skipped: %s\n", test_skip_reason);
	} else {
		test_passed++;
		printf("    ok\n");
	}
	fflush(stdout);
}

#define RUN(fn) test_run(#fn, fn)

/* The closing line. Skips are counted apart and do not fail the program:
 * it exits non-zero on failures only. */
#define TEST_SUMMARY() do { \
	printf("%u passed, %u failed, %u skipped\n", test_passed, \
		test_failed, test_skipped); \
} while (0)

/*
 * The CPUs a test program uses, from those it was allowed to run on when
 * it started (taskset, a container's cpuset), so that it runs wherever
 * it is put: EAL's lcore is the first of them, and an engine that a test
 * pins goes to the second, or shares the first when there is one only.
 */
struct test_cpus {
	cpu_set_t allowed;
	unsigned int count;
	int lcore;
	int engine;
	char list[256];		/* "0-3,8", as the driver names the set */
};

extern struct test_cpus test_cpus;

#define TEST_DEFINE_COUNTERS \
	unsigned int test_passed, test_failed, test_skipped; \
	char test_skip_reason[256]; \
	struct test_cpus test_cpus; \
	CHECK_DEFINE_COUNTER

/*
 * How long a test waits for something that must happen before it calls it
 * a hang and fails. It bounds a wait, it never decides a verdict: no
 * machine comes near it, however loaded, under ThreadSanitizer, with the
 * engine and the test on one CPU.
 */
#define TEST_HANG_MS	10000

static inline uint64_t
test_deadline(void)
{
	return rte_get_timer_cycles() + rte_get_timer_hz() * TEST_HANG_MS /
		1000;
}

/* A CPU list such as "0-3,8". */
static inline void
test_cpus_format(const cpu_set_t *set, char *buf, size_t len)
{
	size_t off = 0;
	int lo, hi;

	buf[0] = '\0';
	for (lo = 0; lo < CPU_SETSIZE && off < len; lo = hi + 1) {
		if (!CPU_ISSET(lo, set)) {
			hi = lo;
			continue;
		}
		for (hi = lo; hi + 1 < CPU_SETSIZE && CPU_ISSET(hi + 1, set);
				hi++)
			;
		off += snprintf(buf + off, len - off, "%s%d", off ? "," : "",
			lo);
		if (hi > lo && off < len)
			off += snprintf(buf + off, len - off, "-%d", hi);
	}
}

/* test_cpus from this thread's affinity, before EAL pins it. */
static inline int
test_cpus_init(void)
{
	int cpu;

	if (sched_getaffinity(0, sizeof(test_cpus.allowed),
			&test_cpus.allowed) != 0)
		return -1;
	test_cpus.count = (unsigned int)CPU_COUNT(&test_cpus.allowed);
	test_cpus.lcore = -1;
	test_cpus.engine = -1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &test_cpus.allowed))
			continue;
		if (test_cpus.lcore < 0)
			test_cpus.lcore = cpu;
		else if (test_cpus.engine < 0)
			test_cpus.engine = cpu;
	}
	if (test_cpus.engine < 0)
		test_cpus.engine = test_cpus.lcore;
	test_cpus_format(&test_cpus.allowed, test_cpus.list,
		sizeof(test_cpus.list));
	return test_cpus.lcore < 0 ? -1 : 0;
}

/* Devargs base (may be "") with the engine pinned to test_cpus.engine. */
static inline const char *
test_engine_devargs(const char *base, char *buf, size_t len)
{
	snprintf(buf, len, "%s%scpu=%d", base, base[0] ? "," : "",
		test_cpus.engine);
	return buf;
}

/*
 * EAL for tests: the PMD loaded as a -d plugin, as applications load it;
 * no hugepages, nothing shared with other test processes. Telemetry's
 * socket would be shared: a test process starting up connects to the one
 * of a process already running, to see whether it is in use, and that
 * process starts a thread for the connection, whose stack may land in
 * memory a test has just unmapped under the engine (test_pmd_sva.c).
 */
static inline int
test_eal_init(const char *prog, const char *pmd_path, const char *lcores)
{
	char *argv[] = {
		(char *)(uintptr_t)prog,
		(char *)(uintptr_t)"-d", (char *)(uintptr_t)pmd_path,
		(char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m", (char *)(uintptr_t)"256",
		(char *)(uintptr_t)"--no-shconf",
		(char *)(uintptr_t)"--no-pci",
		(char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"-l", (char *)(uintptr_t)lcores,
		(char *)(uintptr_t)"--log-level=pmd.dma.netdma:info",
		NULL,
	};

	return rte_eal_init((int)RTE_DIM(argv) - 1, argv);
}

/* Configure and start an existing dmadev by name; returns its dev id. */
static inline int
test_dmadev_start(const char *name, uint16_t nb_desc)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = nb_desc,
	};
	int id = rte_dma_get_dev_id_by_name(name);

	if (id < 0 || rte_dma_configure(id, &conf) != 0 ||
			rte_dma_vchan_setup(id, 0, &qconf) != 0 ||
			rte_dma_start(id) != 0)
		return -1;
	return id;
}

static inline void
test_usage(FILE *f, const char *prog, const char *usage_args)
{
	fprintf(f, "usage: %s <librte_dma_netdma.so>%s%s\n"
		"Runs this program's tests of the dma_netdma PMD, loaded from the\n"
		"path given as EAL loads a plugin (-d); exits 0 when none failed.\n",
		prog, usage_args[0] ? " " : "", usage_args);
}

/*
 * A test program's start: the PMD's path as the first argument (usage
 * names the others), then EAL with it, its lcore the first CPU of
 * test_cpus. Returns 0, or the exit status to leave with. --help or -h
 * prints the usage and exits 0: it is no path to load.
 */
static inline int
test_start(int argc, char **argv, const char *usage_args)
{
	char lcore[16];

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
			strcmp(argv[1], "-h") == 0)) {
		test_usage(stdout, argv[0], usage_args);
		exit(0);
	}
	if (argc < 2) {
		test_usage(stderr, argv[0], usage_args);
		return 2;
	}
	if (test_cpus_init() != 0) {
		fprintf(stderr, "cannot read this process's CPU affinity\n");
		return 1;
	}
	snprintf(lcore, sizeof(lcore), "%d", test_cpus.lcore);
	if (test_eal_init(argv[0], argv[1], lcore) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	return 0;
}

/* Create, configure and start a netdma device; returns its dev id. */
static inline int
test_dev_create(const char *name, const char *args, uint16_t nb_desc)
{
	if (rte_vdev_init(name, args) != 0)
		return -1;
	return test_dmadev_start(name, nb_desc);
}

static inline void
test_dev_destroy(const char *name)
{
	int id = rte_dma_get_dev_id_by_name(name);

	if (id >= 0)
		rte_dma_stop(id);
	rte_vdev_uninit(name);
}

/* Poll completions until n arrive; fewer only on a hang. */
static inline int
test_collect(int16_t id, uint16_t n, uint16_t *last)
{
	uint64_t end = test_deadline();
	bool err = false;
	uint16_t got = 0;

	while (got < n && rte_get_timer_cycles() < end) {
		got += rte_dma_completed(id, 0, n - got, last, &err);
		if (err)
			return -1;
	}
	return got;
}

/*
 * Poll completed_status until n statuses arrive (fewer only on a hang);
 * returns how many arrived. st has room for n.
 */
static inline uint16_t
test_collect_status(int16_t id, uint16_t n, uint16_t *last,
		enum rte_dma_status_code *st)
{
	uint64_t end = test_deadline();
	uint16_t got = 0;

	while (got < n && rte_get_timer_cycles() < end)
		got += rte_dma_completed_status(id, 0, n - got, last, st + got);
	return got;
}

/* Wait for the vchan to leave ACTIVE (it stays so only on a hang); its
 * status then. */
static inline enum rte_dma_vchan_status
test_await_vchan(int16_t id)
{
	uint64_t end = test_deadline();
	enum rte_dma_vchan_status st = RTE_DMA_VCHAN_ACTIVE;

	do {
		if (rte_dma_vchan_status(id, 0, &st) != 0)
			break;
	} while (st == RTE_DMA_VCHAN_ACTIVE && rte_get_timer_cycles() < end);
	return st;
}

/*
 * Proof that the engine is done with everything submitted so far on
 * channel 0 of id, interrupts included, for a test that then checks that
 * something did not happen. The channel going idle is not enough: the
 * engine publishes that before it evaluates the idle interrupt. So one
 * more copy goes through, in a run of its own, which the engine starts
 * only once it is done with the last one. That copy is left to collect.
 */
static inline int
test_engine_caught_up(int16_t id)
{
	uint8_t *buf = rte_zmalloc(NULL, 128, 64);

	CHECK(buf != NULL, "alloc");
	CHECK(test_await_vchan(id) == RTE_DMA_VCHAN_IDLE,
		"the channel did not go idle");
	CHECK(rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 64), 8, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
		"the copy after the others");
	CHECK(test_await_vchan(id) == RTE_DMA_VCHAN_IDLE,
		"the copy after the others did not complete");
	rte_free(buf);
	return 0;
}

/* What rte_dma_dump() says about id, as a string to free(); NULL on
 * failure. */
static inline char *
test_dump(int16_t id)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		return NULL;
	if (rte_dma_dump(id, f) != 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	return text;
}

/* The thread id of this process's thread named comm, or -1. */
static inline pid_t
test_thread_find(const char *comm)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	pid_t tid = -1;

	while (d != NULL && tid < 0 && (de = readdir(d)) != NULL) {
		char path[300], name[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(name, sizeof(name), f) != NULL) {
			name[strcspn(name, "\n")] = '\0';
			if (strcmp(name, comm) == 0)
				tid = (pid_t)atoi(de->d_name);
		}
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return tid;
}

/*
 * An engine that does not answer, made so from outside the driver: a
 * SIGUSR1 handler that holds the engine's worker thread until released.
 * test_worker_freeze() returns once the worker is held, test_worker_thaw()
 * once it runs again (and puts SIGUSR1's handler back); a thaw with
 * nothing frozen does nothing.
 */
static int test_worker_frozen, test_worker_release;
static struct sigaction test_worker_old_sa;
static bool test_worker_sa_set;

static inline void
test_worker_hold(int sig __rte_unused)
{
	const struct timespec ms = { 0, 1000000 };

	__atomic_store_n(&test_worker_frozen, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&test_worker_release, __ATOMIC_SEQ_CST))
		nanosleep(&ms, NULL);
	__atomic_store_n(&test_worker_frozen, 0, __ATOMIC_SEQ_CST);
}

static inline int
test_worker_freeze(const char *worker)
{
	struct sigaction sa = { .sa_handler = test_worker_hold };
	pid_t tid = test_thread_find(worker);
	uint64_t end = test_deadline();

	CHECK(tid > 0, "no thread named %s", worker);
	sigemptyset(&sa.sa_mask);
	if (!test_worker_sa_set)
		CHECK(sigaction(SIGUSR1, &sa, &test_worker_old_sa) == 0,
			"sigaction");
	test_worker_sa_set = true;
	__atomic_store_n(&test_worker_release, 0, __ATOMIC_SEQ_CST);
	CHECK(syscall(SYS_tgkill, getpid(), tid, SIGUSR1) == 0, "tgkill");
	while (!__atomic_load_n(&test_worker_frozen, __ATOMIC_SEQ_CST) &&
			rte_get_timer_cycles() < end)
		rte_delay_us_sleep(100);
	CHECK(__atomic_load_n(&test_worker_frozen, __ATOMIC_SEQ_CST),
		"%s did not stop", worker);
	return 0;
}

static inline void
test_worker_thaw(void)
{
	uint64_t end = test_deadline();

	__atomic_store_n(&test_worker_release, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&test_worker_frozen, __ATOMIC_SEQ_CST) &&
			rte_get_timer_cycles() < end)
		rte_delay_us_sleep(100);
	if (test_worker_sa_set)
		sigaction(SIGUSR1, &test_worker_old_sa, NULL);
	test_worker_sa_set = false;
}

/* The rte_device behind a vdev name, for rte_dev_dma_map(). */
static inline struct rte_device *
test_find_device(const char *name)
{
	struct rte_dev_iterator it;
	struct rte_device *dev;

	RTE_DEV_FOREACH(dev, "bus=vdev", &it)
		if (strcmp(rte_dev_name(dev), name) == 0)
			return dev;
	return NULL;
}

/*
 * Capture the log into a buffer so tests can check what was said, and at
 * which level each line was logged. rte_log flushes every message, so
 * each write is one message, logged at rte_log_cur_msg_loglevel().
 */
#define TEST_LOG_LINES	64

struct test_log {
	char buf[8192];
	size_t len;
	unsigned int nb_lines;
	struct {
		size_t off;
		int level;
	} line[TEST_LOG_LINES];
	FILE *f;
};

static inline ssize_t
test_log_write(void *cookie, const char *data, size_t size)
{
	struct test_log *l = cookie;
	size_t i, n = RTE_MIN(size, sizeof(l->buf) - 1 - l->len);

	for (i = 0; i < n; i++) {
		bool starts = l->len + i == 0 || l->buf[l->len + i - 1] == '\n';

		if (starts && l->nb_lines < TEST_LOG_LINES) {
			l->line[l->nb_lines].off = l->len + i;
			l->line[l->nb_lines].level = rte_log_cur_msg_loglevel();
			l->nb_lines++;
		}
		l->buf[l->len + i] = data[i];
	}
	l->len += n;
	return (ssize_t)size;
}

static inline void
test_log_begin(struct test_log *l)
{
	cookie_io_functions_t io = { .write = test_log_write };

	memset(l->buf, 0, sizeof(l->buf));
	l->len = 0;
	l->nb_lines = 0;
	l->f = fopencookie(l, "w", io);
	if (l->f != NULL)
		setvbuf(l->f, NULL, _IOLBF, 0);
	rte_openlog_stream(l->f);
}

static inline const char *
test_log_end(struct test_log *l)
{
	rte_openlog_stream(NULL);
	if (l->f != NULL)
		fclose(l->f);
	l->f = NULL;
	return l->buf;
}

/* Lines of a captured log that contain what, logged at level (any level
 * when level is 0). */
static inline unsigned int
test_log_count(const struct test_log *l, uint32_t level, const char *what)
{
	unsigned int i, n = 0;

	for (i = 0; i < l->nb_lines; i++) {
		const char *at = l->buf + l->line[i].off;
		const char *end = strchr(at, '\n');
		const char *hit = strstr(at, what);

		if (hit != NULL && (end == NULL || hit < end) &&
				(level == 0 || l->line[i].level == (int)level))
			n++;
	}
	return n;
}

/* An interrupt fd has a count to read within timeout_ms. */
static inline bool
fd_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) == 1;
}

/* Whether thread tid of this process is blocked in poll() now. */
static inline bool
test_thread_in_poll(pid_t tid)
{
	char path[64];
	FILE *f;
	long nr = -1;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	f = fopen(path, "r");
	if (f == NULL)
		return false;
	if (fscanf(f, "%ld", &nr) != 1)	/* "running" when not in one */
		nr = -1;
	fclose(f);
#ifdef SYS_poll
	if (nr == SYS_poll)
		return true;
#endif
	return nr == SYS_ppoll;
}

struct test_sleeper {
	struct check_thread thread;
	int16_t dev_id;
	pid_t tid;		/* set by the sleeper when it starts */
};

static inline long
test_ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 +
		(b->tv_nsec - a->tv_nsec) / 1000000;
}

/* Sleeps in rte_pmd_netdma_wait() until a stop wakes it with -EIO: not a
 * completion, and not its timeout running out. */
static inline int
test_sleeper_body(void *arg)
{
	struct test_sleeper *s = arg;
	struct timespec t0, t1;
	int ret;

	__atomic_store_n(&s->tid, (pid_t)syscall(SYS_gettid),
		__ATOMIC_RELEASE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = rte_pmd_netdma_wait(s->dev_id, 0, TEST_HANG_MS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(ret == -EIO, "sleeper got %d, expected -EIO", ret);
	CHECK(test_ms_between(&t0, &t1) < TEST_HANG_MS,
		"the sleeper slept out its timeout: the stop did not wake it");
	return 0;
}

/*
 * Stop device id, started, while a thread sleeps in rte_pmd_netdma_wait()
 * on its channel 0. The stop comes once the thread is blocked in poll(),
 * past the wait's arm and re-check, whatever time that takes; it must
 * succeed and wake the thread with -EIO.
 */
static inline int
test_stop_sleeper(int16_t id)
{
	struct test_sleeper s = { .dev_id = id };
	uint64_t end = test_deadline();
	bool asleep;
	int stopped;

	CHECK(check_thread_start(&s.thread, test_sleeper_body, &s) == 0,
		"thread");
	while (!(asleep = test_thread_in_poll(__atomic_load_n(&s.tid,
			__ATOMIC_ACQUIRE))) && rte_get_timer_cycles() < end)
		rte_delay_us_sleep(100);
	stopped = rte_dma_stop(id);
	CHECK(check_thread_join(&s.thread) == 0, "sleeper");
	CHECK(asleep, "the sleeper never blocked in poll()");
	CHECK(stopped == 0, "stop with a thread asleep: %d", stopped);
	return 0;
}

#endif /* NETDMA_TEST_COMMON_H */
