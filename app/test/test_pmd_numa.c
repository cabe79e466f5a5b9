/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * NUMA: the node a dma_netdma device reports (rte_dma_info.numa_node, as
 * telemetry shows it) is that of its workers' CPUs; a cpu= list over
 * several nodes is refused; memory the node has no room for goes
 * elsewhere with one line, never a failed probe; and an application
 * lcore on another node is told at start.
 *
 * The machines these tests run on have one node, so most tests give the
 * driver a fake sysfs tree of two nodes through NETDMA_SYSFS_ROOT, built
 * here in a temporary directory: "node 1" is whichever CPUs a test puts
 * there, node 0 the others. One test takes the machine as it is.
 */

#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <sys/stat.h>

#include "test_common.h"

TEST_DEFINE_COUNTERS;

#define DEV	"dma_netdma7"
#define CROSS	"every descriptor crosses between nodes"

/* ---------------------------------------------------------------- *
 * A fake sysfs: <root>/devices/system/node/node{0,1}/cpulist
 * ---------------------------------------------------------------- */

struct fake_sysfs {
	char root[64];		/* "": none */
	char dir[128];		/* <root>/devices/system/node */
};

/* The tree of the running test, removed when it ends. */
static struct fake_sysfs tree;

static int
mkdirs(const char *root, char *dir, size_t len)
{
	static const char * const parts[] = { "devices", "system", "node" };
	unsigned int i;
	size_t off;

	off = (size_t)snprintf(dir, len, "%s", root);
	for (i = 0; i < RTE_DIM(parts); i++) {
		off += (size_t)snprintf(dir + off, len - off, "/%s", parts[i]);
		CHECK(off < len && mkdir(dir, 0700) == 0, "mkdir %s: %s",
			dir, strerror(errno));
	}
	return 0;
}

static int
node_write(const struct fake_sysfs *fs, unsigned int node,
		const cpu_set_t *cpus)
{
	char path[192], list[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/node%u", fs->dir, node);
	CHECK(mkdir(path, 0700) == 0, "mkdir %s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/node%u/cpulist", fs->dir, node);
	test_cpus_format(cpus, list, sizeof(list));
	f = fopen(path, "w");
	CHECK(f != NULL, "%s: %s", path, strerror(errno));
	fprintf(f, "%s\n", list);
	CHECK(fclose(f) == 0, "%s", path);
	return 0;
}

/* A tree where the CPUs of on1 are on node 1 and the other CPUs this
 * program may use are on node 0. */
static int
fake_sysfs_create(struct fake_sysfs *fs, const cpu_set_t *on1)
{
	cpu_set_t on0;
	int cpu;

	snprintf(fs->root, sizeof(fs->root), "/tmp/netdma-numa-XXXXXX");
	CHECK(mkdtemp(fs->root) != NULL, "mkdtemp: %s", strerror(errno));
	CHECK(mkdirs(fs->root, fs->dir, sizeof(fs->dir)) == 0);
	CPU_ZERO(&on0);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &test_cpus.allowed) && !CPU_ISSET(cpu, on1))
			CPU_SET(cpu, &on0);
	CHECK(node_write(fs, 0, &on0) == 0);
	CHECK(node_write(fs, 1, on1) == 0);
	return 0;
}

/* A tree with only node 1, on which lcore and engine both are. */
static int
fake_sysfs_all_on_1(struct fake_sysfs *fs)
{
	return fake_sysfs_create(fs, &test_cpus.allowed);
}

/* One CPU alone on node 1. */
static int
fake_sysfs_cpu_on_1(struct fake_sysfs *fs, int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return fake_sysfs_create(fs, &one);
}

static void
fake_sysfs_remove(struct fake_sysfs *fs)
{
	char path[192];
	unsigned int node;

	if (fs->root[0] == '\0')
		return;
	for (node = 0; node < 2; node++) {
		snprintf(path, sizeof(path), "%s/node%u/cpulist", fs->dir,
			node);
		unlink(path);
		snprintf(path, sizeof(path), "%s/node%u", fs->dir, node);
		rmdir(path);
	}
	rmdir(fs->dir);
	snprintf(path, sizeof(path), "%s/devices/system", fs->root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/devices", fs->root);
	rmdir(path);
	rmdir(fs->root);
	fs->root[0] = '\0';
}

/* ---------------------------------------------------------------- *
 * Probing and starting, with what the driver said
 * ---------------------------------------------------------------- */

/* Probe DEV with args, the driver reading sysfs under root (NULL: the
 * real one); its return, with the log lines in *log. */
static int
probe(const char *root, const char *args, struct test_log *log)
{
	int ret;

	if (root != NULL)
		setenv("NETDMA_SYSFS_ROOT", root, 1);
	test_log_begin(log);
	ret = rte_vdev_init(DEV, args);
	test_log_end(log);
	unsetenv("NETDMA_SYSFS_ROOT");
	return ret;
}

static int
numa_node_of(const char *name)
{
	struct rte_dma_info info;
	int id = rte_dma_get_dev_id_by_name(name);

	if (id < 0 || rte_dma_info_get(id, &info) != 0)
		return INT32_MIN;
	return info.numa_node;
}

/* Configure and start DEV; what rte_dma_start() logged, in *log. */
static int
start(struct test_log *log)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = 64,
	};
	int id = rte_dma_get_dev_id_by_name(DEV), ret;

	CHECK(id >= 0, "no " DEV);
	CHECK(rte_dma_configure(id, &conf) == 0, "configure");
	CHECK(rte_dma_vchan_setup(id, 0, &qconf) == 0, "vchan_setup");
	test_log_begin(log);
	ret = rte_dma_start(id);
	test_log_end(log);
	CHECK(ret == 0, "start: %d", ret);
	return 0;
}

/* How many times needle occurs in haystack. */
static unsigned int
occurrences(const char *haystack, const char *needle)
{
	unsigned int n = 0;

	while ((haystack = strstr(haystack, needle)) != NULL) {
		n++;
		haystack += strlen(needle);
	}
	return n;
}

/* One copy through DEV arrives intact: its memory works wherever it is. */
static int
copy_once(void)
{
	int id = rte_dma_get_dev_id_by_name(DEV);
	uint8_t *buf = rte_zmalloc(NULL, 8192, 64);
	uint16_t last;

	CHECK(buf != NULL, "alloc");
	memset(buf, 0x5a, 4096);
	CHECK(rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 4096), 4096,
		RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(test_collect(id, 1, &last) == 1, "the copy did not complete");
	CHECK(memcmp(buf, buf + 4096, 4096) == 0, "data");
	rte_free(buf);
	return 0;
}

/* ---------------------------------------------------------------- *
 * The machine as it is
 * ---------------------------------------------------------------- */

/* Whether libnuma can place memory on node of this machine. */
static bool
numa_node_placeable(int node)
{
	return numa_available() >= 0 &&
		numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned int)node);
}

/* The node of cpu as libnuma sees it: a source apart from the driver's. */
static int
real_node_of(int cpu)
{
	return numa_available() < 0 ? 0 : numa_node_of_cpu(cpu);
}

/* The address after key in the dump (IOVA as VA: the address itself). */
static void *
dump_addr(const char *dump, const char *key)
{
	const char *p = strstr(dump, key);
	unsigned long long a;

	if (p == NULL || sscanf(p + strlen(key), "%llx", &a) != 1)
		return NULL;
	return (void *)(uintptr_t)a;
}

static int
page_node(void *addr)
{
	int node = -1;

	if (get_mempolicy(&node, NULL, 0, addr, MPOL_F_NODE | MPOL_F_ADDR) != 0)
		return -1;
	return node;
}

/*
 * The device's node is its worker CPU's, as the kernel says; its ring
 * and status line are on it where DPDK has memory there. Without
 * hugepages (as here) DPDK's memory is ordinary pages wherever they were
 * first touched, so the pages are checked only on a machine of one node,
 * where nothing else is possible.
 */
static int
test_real_topology(void)
{
	int node = real_node_of(test_cpus.engine), dump_node = -2;
	int mem_socket = -2, id, ret, placed = 1;
	bool apart = real_node_of(test_cpus.lcore) != node;
	char args[32], want[64];
	struct test_log log;
	const char *at;
	char *dump;

	snprintf(args, sizeof(args), "cpu=%d", test_cpus.engine);
	ret = probe(NULL, args, &log);
	CHECK(ret == 0, "probe %s: %d: %s", args, ret, log.buf);
	snprintf(want, sizeof(want), "NUMA node %d\n", node);
	CHECK(strstr(log.buf, want) != NULL, "the probe line does not end with \"%s\": %s",
		want, log.buf);
	CHECK_EQ(numa_node_of(DEV), node, "numa_node of %s", args);
	CHECK(!numa_node_placeable(node) ||
		strstr(log.buf, "libnuma cannot place") == NULL,
		"the engine's memory is not on node %d: %s", node, log.buf);
	CHECK(start(&log) == 0);
	CHECK((strstr(log.buf, CROSS) != NULL) == apart,
		"lcore CPU %d and engine CPU %d on %s nodes, and %s at start: %s",
		test_cpus.lcore, test_cpus.engine, apart ? "different" : "one",
		apart ? "no warning" : "a warning", log.buf);
	CHECK(copy_once() == 0);
	id = rte_dma_get_dev_id_by_name(DEV);
	dump = test_dump(id);
	CHECK(dump != NULL, "dump");
	at = strstr(dump, "NUMA         node ");
	if (at != NULL)
		sscanf(at, "NUMA         node %d, memory on socket %d",
			&dump_node, &mem_socket);
	if (mem_socket == node && numa_num_configured_nodes() <= 1)
		placed = page_node(dump_addr(dump, "descriptors at iova 0x")) ==
			node && page_node(dump_addr(dump, "CHANCMP      0x")) ==
			node;
	free(dump);
	CHECK(placed, "the ring or status line is not on node %d", node);
	CHECK_EQ(dump_node, node, "the dump's node");
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");

	/* unpinned: the allowed CPUs' node, when they share one */
	ret = probe(NULL, NULL, &log);
	CHECK(ret == 0, "probe unpinned: %d", ret);
	if (numa_available() < 0 || numa_num_configured_nodes() <= 1)
		CHECK_EQ(numa_node_of(DEV), 0, "numa_node unpinned");
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");
	return 0;
}

/* ---------------------------------------------------------------- *
 * A fake machine of two nodes
 * ---------------------------------------------------------------- */

/*
 * cpu= on node 1: the device reports node 1. DPDK has no memory there
 * (--no-huge), nor, on a machine without a node 1, has libnuma: one
 * line says so, and the device works with its memory elsewhere.
 */
static int
test_pinned_node(void)
{
	char args[32], want[256];
	struct test_log log;
	int ret, node;

	CHECK(fake_sysfs_cpu_on_1(&tree, test_cpus.engine) == 0);
	snprintf(args, sizeof(args), "cpu=%d", test_cpus.engine);
	ret = probe(tree.root, args, &log);
	CHECK(ret == 0, "probe %s: %d: %s", args, ret, log.buf);
	node = numa_node_of(DEV);
	CHECK_EQ(node, 1, "numa_node of %s", args);
	snprintf(want, sizeof(want), "NUMA node 1, CPU topology from NETDMA_SYSFS_ROOT=%s\n",
		tree.root);
	CHECK(strstr(log.buf, want) != NULL, "the probe line does not end with \"%s\": %s",
		want, log.buf);
	CHECK_EQ(occurrences(log.buf, numa_node_placeable(1) ?
		DEV ": NUMA node 1: DPDK has no memory there (--no-huge keeps all of it on socket 0): the rings and status lines go on any node\n" :
		DEV ": NUMA node 1: DPDK has no memory there (--no-huge keeps all of it on socket 0), and libnuma cannot place the engine's there: the rings, status lines and engine go on any node\n"),
		1, "the fallback line: %s", log.buf);
	CHECK(start(&log) == 0);
	CHECK(copy_once() == 0);
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");
	return 0;
}

/* A cpu= list over nodes 0 and 1 is refused, naming each node's CPUs;
 * two CPUs of one node are not. */
static int
test_list_across_nodes(void)
{
	char args[64], want[256];
	struct test_log log;
	int ret;

	if (test_cpus.count < 2)
		return TEST_SKIP("one allowed CPU (%s): a list cannot span nodes",
			test_cpus.list);
	CHECK(fake_sysfs_cpu_on_1(&tree, test_cpus.engine) == 0);
	snprintf(args, sizeof(args), "channels=2,workers=2,cpu=[%d,%d]",
		test_cpus.lcore, test_cpus.engine);
	ret = probe(tree.root, args, &log);
	CHECK(ret != 0, "%s accepted", args);
	snprintf(want, sizeof(want), DEV ": devarg cpu: its CPUs are on 2 NUMA nodes (node 0: CPU %d; node 1: CPU %d); a card's workers must share one node",
		test_cpus.lcore, test_cpus.engine);
	CHECK_EQ(occurrences(log.buf, want), 1, "the refusal: %s", log.buf);
	CHECK(rte_dma_get_dev_id_by_name(DEV "-ch0") < 0,
		"device left behind after a failed probe");

	/* the same CPUs on one node */
	snprintf(args, sizeof(args), "channels=2,workers=2,cpu=[%d,%d]",
		test_cpus.engine, test_cpus.engine);
	ret = probe(tree.root, args, &log);
	CHECK(ret == 0, "%s refused: %s", args, log.buf);
	CHECK_EQ(numa_node_of(DEV "-ch0"), 1);
	CHECK_EQ(numa_node_of(DEV "-ch1"), 1);
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");
	return 0;
}

/* Unpinned: the node of the allowed CPUs when they share one, else
 * SOCKET_ID_ANY, said in the probe line; no warning at start then. */
static int
test_unpinned_node(void)
{
	struct test_log log;
	char want[512];
	int ret;

	CHECK(fake_sysfs_all_on_1(&tree) == 0);
	ret = probe(tree.root, NULL, &log);
	CHECK(ret == 0, "probe: %d", ret);
	CHECK_EQ(numa_node_of(DEV), 1, "unpinned, every allowed CPU on node 1");
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");

	if (test_cpus.count < 2)
		return TEST_SKIP("one allowed CPU (%s): the allowed set cannot span nodes",
			test_cpus.list);
	fake_sysfs_remove(&tree);
	CHECK(fake_sysfs_cpu_on_1(&tree, test_cpus.engine) == 0);
	ret = probe(tree.root, NULL, &log);
	CHECK(ret == 0, "probe: %d", ret);
	CHECK_EQ(numa_node_of(DEV), SOCKET_ID_ANY,
		"unpinned over nodes 0 and 1");
	snprintf(want, sizeof(want), "NUMA node any (unpinned, on CPUs %s of nodes 0-1), CPU topology from NETDMA_SYSFS_ROOT=%s\n",
		test_cpus.list, tree.root);
	CHECK(strstr(log.buf, want) != NULL, "the probe line does not say \"%s\": %s",
		want, log.buf);
	CHECK(start(&log) == 0);
	CHECK(strstr(log.buf, CROSS) == NULL, "warned at start: %s", log.buf);
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");
	return 0;
}

/* The start warning, exactly once per start, naming both nodes. */
static int
start_warns(const char *want)
{
	int id = rte_dma_get_dev_id_by_name(DEV);
	struct test_log log;
	int ret;

	CHECK(start(&log) == 0);
	CHECK_EQ(occurrences(log.buf, want), 1, "want \"%s\" once: %s", want,
		log.buf);
	CHECK_EQ(occurrences(log.buf, CROSS), 1, "%s", log.buf);
	CHECK(rte_dma_stop(id) == 0, "stop");
	test_log_begin(&log);
	ret = rte_dma_start(id);
	test_log_end(&log);
	CHECK(ret == 0, "second start");
	CHECK_EQ(occurrences(log.buf, want), 1,
		"the second start: want \"%s\" once: %s", want, log.buf);
	return 0;
}

/*
 * The application's lcore on one node, the engine on the other: the start
 * says so once, naming the lcore and both nodes, whichever way round (the
 * rings are named with the engine where DPDK's memory is on its node).
 */
static int
test_lcore_on_other_node(void)
{
	char args[32], want[256];
	struct test_log log;
	int ret;

	if (test_cpus.count < 2)
		return TEST_SKIP("one allowed CPU (%s): the lcore and the engine share it",
			test_cpus.list);
	snprintf(args, sizeof(args), "cpu=%d", test_cpus.engine);

	/* engine on node 0, where --no-huge puts DPDK's memory */
	CHECK(fake_sysfs_cpu_on_1(&tree, test_cpus.lcore) == 0);
	ret = probe(tree.root, args, &log);
	CHECK(ret == 0, "probe %s: %s", args, log.buf);
	snprintf(want, sizeof(want), DEV ": lcore %d runs on NUMA node 1, the engine (cpu %d) and its rings are on node 0: " CROSS,
		test_cpus.lcore, test_cpus.engine);
	CHECK(start_warns(want) == 0);
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");

	/* engine on node 1, its rings wherever DPDK has memory */
	fake_sysfs_remove(&tree);
	CHECK(fake_sysfs_cpu_on_1(&tree, test_cpus.engine) == 0);
	ret = probe(tree.root, args, &log);
	CHECK(ret == 0, "probe %s: %s", args, log.buf);
	snprintf(want, sizeof(want), DEV ": lcore %d runs on NUMA node 0, the engine (cpu %d) is on node 1: " CROSS,
		test_cpus.lcore, test_cpus.engine);
	CHECK(start_warns(want) == 0);
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");
	return 0;
}

/* The lcore on the engine's node: nothing said at start. */
static int
test_lcore_on_same_node(void)
{
	char args[32];
	struct test_log log;
	int ret;

	CHECK(fake_sysfs_all_on_1(&tree) == 0);
	snprintf(args, sizeof(args), "cpu=%d", test_cpus.engine);
	ret = probe(tree.root, args, &log);
	CHECK(ret == 0, "probe %s: %s", args, log.buf);
	CHECK_EQ(numa_node_of(DEV), 1);
	CHECK(start(&log) == 0);
	CHECK(strstr(log.buf, CROSS) == NULL, "warned at start: %s", log.buf);
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");
	return 0;
}

/* A topology that cannot be read: one line, every CPU on node 0, and the
 * probe goes on. */
static int
test_unreadable_topology(void)
{
	char path[192], want[256];
	struct test_log log;
	FILE *f;
	int ret;

	CHECK(fake_sysfs_all_on_1(&tree) == 0);
	snprintf(path, sizeof(path), "%s/node1/cpulist", tree.dir);
	f = fopen(path, "w");
	CHECK(f != NULL, "%s", path);
	fprintf(f, "0-x\n");
	fclose(f);
	ret = probe(tree.root, NULL, &log);
	CHECK(ret == 0, "probe: %d: %s", ret, log.buf);
	snprintf(want, sizeof(want), DEV ": cannot read the CPU topology under %s: Invalid argument; taking every CPU to be on NUMA node 0",
		tree.root);
	CHECK_EQ(occurrences(log.buf, want), 1, "%s", log.buf);
	CHECK_EQ(numa_node_of(DEV), 0);
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");
	return 0;
}

/* A hook that names no sysfs tree (a mistyped path) says so, rather than
 * passing for a machine without NUMA. */
static int
test_missing_topology(void)
{
	char root[192], want[320];
	struct test_log log;
	int ret;

	CHECK(fake_sysfs_all_on_1(&tree) == 0);
	snprintf(root, sizeof(root), "%s/no-such-tree", tree.root);
	ret = probe(root, NULL, &log);
	CHECK(ret == 0, "probe: %d: %s", ret, log.buf);
	snprintf(want, sizeof(want), DEV ": cannot read the CPU topology under %s: No such file or directory; taking every CPU to be on NUMA node 0",
		root);
	CHECK_EQ(occurrences(log.buf, want), 1, "%s", log.buf);
	CHECK_EQ(numa_node_of(DEV), 0);
	CHECK(rte_vdev_uninit(DEV) == 0, "uninit");
	return 0;
}

/* A test, then whatever it left: its tree, its device if a check
 * stopped it before the removal. */
static void
run(const char *name, int (*fn)(void))
{
	test_run(name, fn);
	fake_sysfs_remove(&tree);
	if (rte_dma_get_dev_id_by_name(DEV) >= 0 ||
			rte_dma_get_dev_id_by_name(DEV "-ch0") >= 0)
		rte_vdev_uninit(DEV);
}

#undef RUN
#define RUN(fn) run(#fn, fn)

int
main(int argc, char **argv)
{
	int ret;

	ret = test_start(argc, argv, "");
	if (ret != 0)
		return ret;
	RUN(test_real_topology);
	RUN(test_pinned_node);
	RUN(test_list_across_nodes);
	RUN(test_unpinned_node);
	RUN(test_lcore_on_other_node);
	RUN(test_lcore_on_same_node);
	RUN(test_unreadable_topology);
	RUN(test_missing_topology);
	rte_eal_cleanup();
	TEST_SUMMARY();
	return test_failed == 0 ? 0 : 1;
}
