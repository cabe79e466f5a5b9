/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The engine's placement, which the registers do not show: where its
 * memory goes (netdma_engine_params.numa_node) and where its workers run
 * (cpus, unpinned_cpus). These tests ask the kernel about the engine's
 * pages (libnuma) and threads.
 */

#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define NODEMASK_BITS	1024

static struct netdma_engine *
engine_on(int numa_node, const char *name)
{
	struct netdma_engine_params p = {
		.nb_channels = 2,
		.spin_us = 10,
		.numa_node = numa_node,
		.name = name,
	};

	return netdma_engine_create(&p);
}

/* The memory policy of the mapping holding addr: its mode, and its
 * node when the policy names one node (-1 otherwise). */
static int
policy_of(const volatile void *addr, int *node)
{
	unsigned long mask[NODEMASK_BITS / (8 * sizeof(unsigned long))];
	int mode, n;

	*node = -1;
	if (get_mempolicy(&mode, mask, NODEMASK_BITS + 1,
			(void *)(uintptr_t)addr, MPOL_F_ADDR) != 0)
		return -1;
	for (n = 0; n < NODEMASK_BITS; n++) {
		if (!(mask[n / (8 * sizeof(mask[0]))] &
				(1ul << (n % (8 * sizeof(mask[0]))))))
			continue;
		if (*node >= 0) {
			*node = -1;
			break;
		}
		*node = n;
	}
	return mode;
}

/* The node the page holding addr is on (it must be present). */
static int
page_node(const volatile void *addr)
{
	int node = -1;

	if (get_mempolicy(&node, NULL, 0, (void *)(uintptr_t)addr,
			MPOL_F_NODE | MPOL_F_ADDR) != 0)
		return -1;
	return node;
}

/* A node this process may allocate on, or -1. */
static int
memory_node(void)
{
	int n;

	if (numa_available() < 0)
		return -1;
	for (n = 0; n <= numa_max_node(); n++)
		if (numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned int)n))
			return n;
	return -1;
}

/* The engine's state and BAR prefer node and are on it; it says so. */
static int
memory_on(struct netdma_engine *e, int node)
{
	int got;

	CHECK_EQ(netdma_engine_numa_node(e), node);
	CHECK_EQ(policy_of(netdma_engine_bar(e), &got), MPOL_PREFERRED,
		"the BAR's memory policy");
	CHECK_EQ(got, node, "the node the BAR prefers");
	CHECK_EQ(policy_of(e, &got), MPOL_PREFERRED,
		"the engine state's memory policy");
	CHECK_EQ(got, node, "the node the engine state prefers");
	/* Both were written at creation, so their pages are present. */
	CHECK_EQ(page_node(netdma_engine_bar(e)), node, "the BAR's page");
	CHECK_EQ(page_node(e), node, "the engine state's page");
	return 0;
}

/* Asked for a node it may use, the engine puts its memory there. */
static int
test_memory_on_node(void)
{
	int node = memory_node(), ret;
	struct netdma_engine *e;

	if (node < 0)
		return test_skipped("no NUMA support, or no node to allocate on");
	e = engine_on(node, "numa-on");
	CHECK(e != NULL, "create: %s", strerror(errno));
	ret = memory_on(e, node);
	netdma_engine_destroy(e);
	return ret;
}

/* -1 leaves the memory to the system's default policy. */
static int
test_memory_any_node(void)
{
	struct netdma_engine *e = engine_on(-1, "numa-any");
	int got, node, bar_mode, state_mode;

	CHECK(e != NULL, "create: %s", strerror(errno));
	node = netdma_engine_numa_node(e);
	bar_mode = policy_of(netdma_engine_bar(e), &got);
	state_mode = policy_of(e, &got);
	netdma_engine_destroy(e);
	CHECK_EQ(node, -1);
	CHECK_EQ(bar_mode, MPOL_DEFAULT, "the BAR's memory policy");
	CHECK_EQ(state_mode, MPOL_DEFAULT, "the engine state's memory policy");
	return 0;
}

/* A node the process cannot allocate on (none such on this machine, or
 * beyond any): the engine is created all the same and says it placed
 * its memory nowhere in particular. */
static int
test_memory_node_unusable(void)
{
	const int nodes[] = { numa_max_node() + 1, 5000 };
	unsigned int i;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		struct netdma_engine *e = engine_on(nodes[i], "numa-none");
		int got, node, mode;

		CHECK(e != NULL, "node %d: create: %s", nodes[i],
			strerror(errno));
		node = netdma_engine_numa_node(e);
		mode = policy_of(netdma_engine_bar(e), &got);
		netdma_engine_destroy(e);
		CHECK_EQ(node, -1, "node %d", nodes[i]);
		CHECK_EQ(mode, MPOL_DEFAULT,
			"node %d: the BAR's memory policy", nodes[i]);
	}
	return 0;
}

/* The CPUs the thread called comm may run on are exactly want. */
static int
thread_runs_on(const char *comm, const cpu_set_t *want)
{
	pid_t tid = thread_find(comm);
	cpu_set_t got;

	CHECK(tid > 0, "no thread %s", comm);
	CHECK(sched_getaffinity(tid, sizeof(got), &got) == 0, "affinity");
	CHECK(CPU_EQUAL(&got, want), "%s runs on %d CPUs, not the %d wanted",
		comm, CPU_COUNT(&got), CPU_COUNT(want));
	return 0;
}

/* The first CPU the process was allowed, alone. */
static void
first_cpu(cpu_set_t *one)
{
	int cpu;

	allowed_cpus(&cpu, 1);
	CPU_ZERO(one);
	CPU_SET(cpu, one);
}

/*
 * Unpinned workers run on unpinned_cpus, not on the CPU of the thread
 * that created them; pinned ones on their CPU whatever that set; and the
 * creator's affinity is left alone.
 */
static int
test_unpinned_cpus(void)
{
	struct netdma_engine_params p = {
		.nb_channels = 2,
		.nb_workers = 2,
		.spin_us = 10,
		.numa_node = -1,
		.unpinned_cpus = allowed_set(),
		.name = "numa-set",
	};
	struct netdma_engine *e;
	cpu_set_t one, self;
	int ret;

	if (CPU_COUNT(allowed_set()) < 2)
		return test_skipped("one allowed CPU: the set and the creator's CPU are the same");
	first_cpu(&one);
	CHECK(sched_setaffinity(0, sizeof(one), &one) == 0, "pin");
	e = netdma_engine_create(&p);
	CHECK(e != NULL, "create: %s", strerror(errno));
	ret = thread_runs_on("numa-set-w0", allowed_set()) |
		thread_runs_on("numa-set-w1", allowed_set());
	netdma_engine_destroy(e);
	CHECK(ret == 0);
	CHECK(sched_getaffinity(0, sizeof(self), &self) == 0 &&
		CPU_EQUAL(&self, &one), "the creator's affinity changed");
	return 0;
}

/* Without unpinned_cpus, a worker runs where its creator may. */
static int
test_unpinned_default(void)
{
	struct netdma_engine *e;
	cpu_set_t one;
	int ret;

	first_cpu(&one);
	CHECK(sched_setaffinity(0, sizeof(one), &one) == 0, "pin");
	e = engine_on(-1, "numa-dflt");
	CHECK(e != NULL, "create: %s", strerror(errno));
	ret = thread_runs_on("numa-dflt-w0", &one);
	netdma_engine_destroy(e);
	return ret;
}

/* cpus= wins over unpinned_cpus; an empty set is refused. */
static int
test_pinned_and_empty_set(void)
{
	cpu_set_t one, none;
	int cpu;
	struct netdma_engine_params p = {
		.nb_channels = 1,
		.spin_us = 10,
		.cpus = &cpu,
		.nb_cpus = 1,
		.numa_node = -1,
		.unpinned_cpus = allowed_set(),
		.name = "numa-pin",
	};
	struct netdma_engine *e;
	int ret;

	first_cpu(&one);
	for (cpu = 0; !CPU_ISSET(cpu, &one); cpu++)
		;
	e = netdma_engine_create(&p);
	CHECK(e != NULL, "create: %s", strerror(errno));
	ret = thread_runs_on("numa-pin-w0", &one);
	netdma_engine_destroy(e);
	CHECK(ret == 0);

	CPU_ZERO(&none);
	p.nb_cpus = 0;
	p.unpinned_cpus = &none;
	errno = 0;
	e = netdma_engine_create(&p);
	CHECK(e == NULL && errno == EINVAL, "an empty unpinned set: %s",
		e == NULL ? strerror(errno) : "accepted");
	return 0;
}

static const struct test tests[] = {
	TEST(memory_on_node),
	TEST(memory_any_node),
	TEST(memory_node_unusable),
	TEST(unpinned_cpus),
	TEST(unpinned_default),
	TEST(pinned_and_empty_set),
};

void
numa_tests(void)
{
	test_run_list(tests, sizeof(tests) / sizeof(tests[0]));
}
