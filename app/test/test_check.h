/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The checks of every test program, engine and PMD alike (no DPDK here).
 *
 * A failed check prints file:line and the expression, with both values for
 * CHECK_EQ and the printf-style message if one is given, then returns
 * CHECK_FAILED from the function it is in. So a function that checks
 * returns int, 0 when every check held: a test ends at its first failed
 * check, and a helper that checks hands its failure to the caller, who
 * checks the helper's result in turn. Each failure is also counted in
 * check_failures, so a runner that compares the count before and after a
 * test fails it even if a helper's result was dropped.
 *
 *	CHECK(fx_open(&f, 32));
 *	CHECK(ret == 0, "copy %u: %d", size, ret);
 *	CHECK_EQ(netdma_mmio_read(f.regs, completed), 4);
 *
 * A helper thread checks the same way: its body is an int function run by
 * check_thread_start(), and check_thread_join() gives the test its result.
 * A test joins every thread it started before it checks anything else, so
 * that no thread outlives the test's stack.
 */

#ifndef NETDMA_TEST_CHECK_H
#define NETDMA_TEST_CHECK_H

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHECK_FAILED	(-1)

/* Failed checks so far, in any thread; one program defines it. */
extern unsigned int check_failures;
#define CHECK_DEFINE_COUNTER unsigned int check_failures

/*
 * fmt is ": " followed by the caller's message, if any: the macros glue
 * ": " to the message so that a check without one still passes a
 * non-empty literal format (the compiler checks it like printf's).
 */
__attribute__((cold, format(printf, 4, 0)))
static inline void
check_vreport(const char *file, int line, const char *what, const char *fmt,
		va_list ap)
{
	const char *base = strrchr(file, '/');

	__atomic_fetch_add(&check_failures, 1, __ATOMIC_RELAXED);
	flockfile(stderr);	/* one line even when threads fail together */
	fprintf(stderr, "  FAIL %s:%d: %s", base != NULL ? base + 1 : file,
		line, what);
	if (fmt[2] != '\0')
		vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

__attribute__((cold, format(printf, 4, 5)))
static inline void
check_report(const char *file, int line, const char *expr,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vreport(file, line, expr, fmt, ap);
	va_end(ap);
}

__attribute__((cold, format(printf, 7, 8)))
static inline void
check_report_eq(const char *file, int line, const char *a, const char *b,
		uint64_t va, uint64_t vb, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	/* Signed decimal reads well for counts and -errno, hex for bits
	 * and addresses: print both. */
	snprintf(what, sizeof(what), "%s == %s: %" PRId64 " != %" PRId64
		" (0x%" PRIx64 " != 0x%" PRIx64 ")", a, b, (int64_t)va,
		(int64_t)vb, va, vb);
	va_start(ap, fmt);
	check_vreport(file, line, what, fmt, ap);
	va_end(ap);
}

/* cond holds; else report and end the function. */
#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		check_report(__FILE__, __LINE__, #cond,			\
			": " __VA_ARGS__);				\
		return CHECK_FAILED;					\
	}								\
} while (0)

/* a == b as 64-bit unsigned values, each evaluated once; else report
 * both values and end the function. */
#define CHECK_EQ(a, b, ...) do {					\
	const uint64_t check_a_ = (uint64_t)(a);			\
	const uint64_t check_b_ = (uint64_t)(b);			\
	if (check_a_ != check_b_) {					\
		check_report_eq(__FILE__, __LINE__, #a, #b, check_a_,	\
			check_b_, ": " __VA_ARGS__);			\
		return CHECK_FAILED;					\
	}								\
} while (0)

/* A helper thread whose body checks: fn(arg) returns 0 or CHECK_FAILED. */
struct check_thread {
	pthread_t tid;
	int (*fn)(void *arg);
	void *arg;
	int ret;
};

static inline void *
check_thread_main(void *p)
{
	struct check_thread *t = p;

	t->ret = t->fn(t->arg);
	return NULL;
}

/* Start fn(arg) in a new thread: 0, or pthread_create's error. */
static inline int
check_thread_start(struct check_thread *t, int (*fn)(void *arg), void *arg)
{
	t->fn = fn;
	t->arg = arg;
	t->ret = CHECK_FAILED;
	return pthread_create(&t->tid, NULL, check_thread_main, t);
}

/* Wait for the thread; its body's result (0: every check held). */
static inline int
check_thread_join(struct check_thread *t)
{
	if (pthread_join(t->tid, NULL) != 0)
		return CHECK_FAILED;
	return t->ret;
}

#endif /* NETDMA_TEST_CHECK_H */
