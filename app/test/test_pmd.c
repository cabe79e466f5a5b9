/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Functional tests of the dma_netdma PMD through the public rte_dma API:
 * probing and devargs, configuration limits, the stopped-device guard,
 * copies and fills with exact data and job-id checks, ring-full, error
 * reporting and recovery, IOMMU-mapped external memory, dump, instances.
 */

#include <sys/mman.h>
#include <unistd.h>

#include <rte_cpuflags.h>
#include <rte_dev.h>
#include <rte_memory.h>
#include <rte_random.h>

#include "test_common.h"

TEST_DEFINE_COUNTERS;

#define DEV0 "dma_netdma0"

static int16_t dev0 = -1;

/* Probing with args fails, says must_say, and leaves no device. */
static int
devargs_refused(const char *args, const char *must_say)
{
	struct test_log log;
	const char *said;
	int ret;

	test_log_begin(&log);
	ret = rte_vdev_init("dma_netdma7", args);
	said = test_log_end(&log);
	CHECK(ret != 0, "devargs \"%s\" accepted", args);
	CHECK(strstr(said, must_say) != NULL,
		"devargs \"%s\": log does not say \"%s\": %s", args, must_say,
		said);
	CHECK(rte_dma_get_dev_id_by_name("dma_netdma7") < 0,
		"device left behind after failed probe");
	return 0;
}

static int
test_devargs_rejected(void)
{
	static const struct {
		const char *args;
		const char *must_say;
	} bad[] = {
		{ "bogus=1", "dma_netdma7: unknown devarg \"bogus\" (valid: channels, workers, cpu," },
		{ "channels=0", "dma_netdma7: devarg channels=0: need 1 to 31" },
		{ "channels=32", "dma_netdma7: devarg channels=32: need 1 to 31" },
		{ "channels=2,workers=3", "dma_netdma7: devarg workers=3: more workers than channels=2" },
		{ "channels=3,weight=[1,2]", "dma_netdma7: devarg weight: 2 values for channels=3" },
		{ "weight=0", "dma_netdma7: devarg weight=0: need 1 to 255" },
		{ "weight=[1,x]", "dma_netdma7: devarg weight=[1,x]: need 1 to 255" },
		{ "sva=2", "dma_netdma7: devarg sva=2: need 0 or 1" },
		{ "cpu=abc", "dma_netdma7: devarg cpu=abc: need a CPU this process may run on, or a list such as [0,2-3] for the workers (allowed: " },
		{ "cpu=-1", "dma_netdma7: devarg cpu=-1: need a CPU this process may run on" },
		{ "cpu=5000", "dma_netdma7: devarg cpu=5000: need a CPU this process may run on" },
		{ "cpu=[3-1]", "dma_netdma7: devarg cpu=[3-1]: need a CPU this process may run on" },
		{ "cpu", "dma_netdma7: devarg \"cpu\" needs a value" },
		{ "spin_us=5000000", "dma_netdma7: devarg spin_us=5000000: need 0 to 1000000" },
		{ "intr_delay_us=70000", "dma_netdma7: devarg intr_delay_us=70000: need 0 to 65535" },
		{ "direct_desc=2", "dma_netdma7: devarg direct_desc=2: need 0 or 1" },
		{ "status_stride=3", "dma_netdma7: devarg status_stride=3: need 0 or a power of two" },
		{ "readahead=1", "dma_netdma7: devarg readahead=1: need auto, on or off" },
		{ "readahead=On", "dma_netdma7: devarg readahead=On: need auto, on or off" },
	};
	char args[64], must_say[512];
	unsigned int i;
	int out;

	for (i = 0; i < RTE_DIM(bad); i++)
		CHECK(devargs_refused(bad[i].args, bad[i].must_say) == 0);

	/* CPUs outside the set this program may run on: the first one, and
	 * 1000, each alone and in a list after an allowed one */
	for (out = 0; CPU_ISSET(out, &test_cpus.allowed); out++)
		;
	for (i = 0; i < 4; i++) {
		int cpu = i < 2 ? out : 1000;

		if (i % 2)
			snprintf(args, sizeof(args), "cpu=[%d,%d]",
				test_cpus.lcore, cpu);
		else
			snprintf(args, sizeof(args), "cpu=%d", cpu);
		snprintf(must_say, sizeof(must_say), "dma_netdma7: devarg %s: CPU %d is not in this process's allowed set (%s)",
			args, cpu, test_cpus.list);
		CHECK(devargs_refused(args, must_say) == 0);
	}
	/* allowed values, where the rest is what is wrong */
	snprintf(args, sizeof(args), "cpu=%d,cpu=%d", test_cpus.lcore,
		test_cpus.lcore);
	CHECK(devargs_refused(args, "dma_netdma7: devarg \"cpu\" given twice") == 0);
	snprintf(args, sizeof(args), "cpu=%d,,=", test_cpus.lcore);
	CHECK(devargs_refused(args, "dma_netdma7: malformed devargs") == 0);
	return 0;
}

/*
 * Every devarg's range, as the driver's devargs table gives it: min and max
 * are accepted and take effect, min - 1 and max + 1 are refused with one
 * line naming the device, the key, the value and what the key accepts.
 * need is that last part; with, other devargs the values need; shows, how
 * an accepted value appears in rte_dma_dump() of the started device (a
 * format of the value, or the words shown for 0, 1, ...). cpu= takes a
 * CPU of the allowed set (test_cpus), so its range is checked twice: the
 * first and last allowed CPU, and the numbers the driver parses at all.
 */
#define RANGE_ALLOWED	(-2)	/* min and max: the allowed CPUs' */

static const struct devarg_range {
	const char *key;
	long min, max;
	const char *need;
	const char *with;
	const char *shows;
	const char *words[3];
} devarg_ranges[] = {
	{ "channels", 1, 31, "1 to 31", "", ", %ld channel", { NULL } },
	{ "workers", 1, 31, "1 to 31, at most channels", "channels=31,",
		", %ld worker", { NULL } },
	{ "cpu", RANGE_ALLOWED, RANGE_ALLOWED, NULL, "", "(cpu %ld)",
		{ NULL } },
	{ "cpu", 0, CPU_SETSIZE - 1, NULL, "", "(cpu %ld)", { NULL } },
	{ "weight", 1, 255,
		"1 to 255, or a list with one per channel such as [1,4]", "",
		"ARB          weight %ld,", { NULL } },
	{ "sva", 0, 1, "0 or 1", "", NULL,
		{ ", IOMMU,", ", shared virtual addressing," } },
	{ "spin_us", 0, 1000000, "0 to 1000000 (microseconds)", "",
		", spin %ld us,", { NULL } },
	{ "status_stride", 0, 32768, "0 or a power of two up to 32768", "",
		", status stride %ld", { NULL } },
	{ "intr_delay_us", 0, 65535, "0 to 65535 (microseconds)", "",
		"INTRDELAY %ld us", { NULL } },
	{ "direct_desc", 0, 1, "0 or 1", "", NULL,
		{ ", cached descriptor writes", ", direct descriptor writes" } },
};

/* What a refusal of key=v must say; false if v is to be accepted. */
static bool
devarg_refusal(const struct devarg_range *r, long v, char *buf, size_t len)
{
	if (strcmp(r->key, "cpu") == 0) {
		if (v < 0 || v >= CPU_SETSIZE)
			snprintf(buf, len, "dma_netdma7: devarg cpu=%ld: need a CPU this process may run on, or a list such as [0,2-3] for the workers (allowed: %s), or no cpu= for an unpinned engine",
				v, test_cpus.list);
		else if (!CPU_ISSET(v, &test_cpus.allowed))
			snprintf(buf, len, "dma_netdma7: devarg cpu=%ld: CPU %ld is not in this process's allowed set (%s)",
				v, v, test_cpus.list);
		else
			return false;
		return true;
	}
	if (strcmp(r->key, "direct_desc") == 0 && v == 1 &&
			rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) <= 0) {
		snprintf(buf, len, "dma_netdma7: devarg direct_desc=1: this CPU has no MOVDIR64B; use direct_desc=0");
		return true;
	}
	if (v >= r->min && v <= r->max)
		return false;
	snprintf(buf, len, "dma_netdma7: devarg %s=%ld: need %s", r->key, v,
		r->need);
	return true;
}

/* text has want, and no digit right after it (so "1" is not "10"). */
static bool
shows(const char *text, const char *want)
{
	const char *at = text;

	while ((at = strstr(at, want)) != NULL) {
		char next = at[strlen(want)];

		if (next < '0' || next > '9')
			return true;
		at++;
	}
	return false;
}

/* key=v accepted: the device probes, starts, and shows the value. */
static int
devarg_accepted(const struct devarg_range *r, long v, const char *args)
{
	/* a status stride needs a ring at least as large */
	uint16_t nb_desc = strcmp(r->key, "status_stride") == 0 && v > 64 ?
		(uint16_t)v : 64;
	char want[128], *dump;
	const char *ch0;
	int16_t id;

	CHECK(rte_vdev_init("dma_netdma7", args) == 0, "%s refused", args);
	ch0 = rte_dma_get_dev_id_by_name("dma_netdma7") >= 0 ?
		"dma_netdma7" : "dma_netdma7-ch0";
	id = (int16_t)test_dmadev_start(ch0, nb_desc);
	CHECK(id >= 0, "%s: %s does not start", args, ch0);
	dump = test_dump(id);
	CHECK(dump != NULL, "dump");
	if (r->shows != NULL)
		snprintf(want, sizeof(want), r->shows, v);
	else
		snprintf(want, sizeof(want), "%s", r->words[v]);
	CHECK(shows(dump, want), "%s: the dump does not show \"%s\":\n%s",
		args, want, dump);
	free(dump);
	if (strcmp(r->key, "channels") == 0) {
		snprintf(want, sizeof(want), "dma_netdma7-ch%ld", v - 1);
		CHECK(v == 1 || rte_dma_get_dev_id_by_name(want) >= 0,
			"%s: no %s", args, want);
		snprintf(want, sizeof(want), "dma_netdma7-ch%ld", v);
		CHECK(rte_dma_get_dev_id_by_name(want) < 0, "%s: a %s", args,
			want);
	} else if (strcmp(r->key, "workers") == 0) {
		snprintf(want, sizeof(want), "netdma7-w%ld", v - 1);
		CHECK(test_thread_find(want) > 0, "%s: no thread %s", args,
			want);
		snprintf(want, sizeof(want), "netdma7-w%ld", v);
		CHECK(test_thread_find(want) < 0, "%s: a thread %s", args,
			want);
	}
	CHECK(rte_vdev_uninit("dma_netdma7") == 0, "%s: uninit", args);
	return 0;
}

static int
devarg_bound(const struct devarg_range *r, long v)
{
	char args[128], must_say[512];
	struct test_log log;
	int ret;

	snprintf(args, sizeof(args), "%s%s=%ld", r->with, r->key, v);
	if (!devarg_refusal(r, v, must_say, sizeof(must_say)))
		return devarg_accepted(r, v, args);
	test_log_begin(&log);
	ret = rte_vdev_init("dma_netdma7", args);
	test_log_end(&log);
	CHECK(ret != 0, "%s accepted", args);
	CHECK(test_log_count(&log, RTE_LOG_ERR, must_say) == 1 &&
		test_log_count(&log, 0, "netdma: ") == 1,
		"%s: the driver does not say, in one line at ERR, \"%s\":\n%s",
		args, must_say, log.buf);
	CHECK(rte_dma_get_dev_id_by_name("dma_netdma7") < 0 &&
		rte_dma_get_dev_id_by_name("dma_netdma7-ch0") < 0 &&
		test_find_device("dma_netdma7") == NULL,
		"%s: a device left behind", args);
	return 0;
}

/* The values to try for a range: min - 1, min, max, max + 1. */
static unsigned int
range_edges(const struct devarg_range *r, long *edges)
{
	long min = r->min, max = r->max;
	unsigned int n = 0;

	if (min == RANGE_ALLOWED) {
		for (min = 0; !CPU_ISSET(min, &test_cpus.allowed); min++)
			;
		for (max = CPU_SETSIZE - 1; !CPU_ISSET(max, &test_cpus.allowed);
				max--)
			;
	}
	edges[n++] = min - 1;
	edges[n++] = min;
	if (max != min)
		edges[n++] = max;
	edges[n++] = max + 1;
	return n;
}

/* readahead= takes words: each probes, starts and shows in the dump. */
static int
test_devargs_readahead(void)
{
	static const struct devarg_range r = {
		"readahead", 0, 2, "auto, on or off", "", NULL,
		{ ", read-ahead auto", ", read-ahead on", ", read-ahead off" },
	};
	static const char *const words[] = { "auto", "on", "off" };
	char args[32];
	long v;

	for (v = 0; v < (long)RTE_DIM(words); v++) {
		snprintf(args, sizeof(args), "readahead=%s", words[v]);
		CHECK(devarg_accepted(&r, v, args) == 0);
	}
	return 0;
}

static int
test_devargs_boundaries(void)
{
	unsigned int i, j, n, cases = 0;
	long edges[4];

	for (i = 0; i < RTE_DIM(devarg_ranges); i++) {
		n = range_edges(&devarg_ranges[i], edges);
		for (j = 0; j < n; j++)
			CHECK(devarg_bound(&devarg_ranges[i], edges[j]) == 0);
		cases += n;
	}
	printf("    %u values at the edges of %zu ranges\n", cases,
		RTE_DIM(devarg_ranges));
	return 0;
}

/* The CPUs the thread named comm may run on are exactly want. */
static int
thread_runs_on(const char *comm, const cpu_set_t *want)
{
	pid_t tid = test_thread_find(comm);
	cpu_set_t got;
	char g[256], w[256];

	CHECK(tid > 0, "no thread %s", comm);
	CHECK(sched_getaffinity(tid, sizeof(got), &got) == 0, "affinity");
	test_cpus_format(&got, g, sizeof(g));
	test_cpus_format(want, w, sizeof(w));
	CHECK(CPU_EQUAL(&got, want), "%s runs on CPUs %s, expected %s",
		comm, g, w);
	return 0;
}

/* Allowed CPUs are accepted, and cpu= pins the worker there. */
static int
test_devargs_accepted(void)
{
	char args[128];
	cpu_set_t one;
	int id;

	snprintf(args, sizeof(args), "cpu=%d,spin_us=5,status_stride=0,intr_delay_us=10",
		test_cpus.engine);
	CHECK(rte_vdev_init("dma_netdma7", args) == 0,
		"valid devargs refused: %s", args);
	id = rte_dma_get_dev_id_by_name("dma_netdma7");
	CHECK(id >= 0, "device not found");
	CPU_ZERO(&one);
	CPU_SET(test_cpus.engine, &one);
	CHECK(thread_runs_on("netdma7-w0", &one) == 0);
	CHECK(rte_vdev_uninit("dma_netdma7") == 0, "uninit failed");
	CHECK(rte_dma_get_dev_id_by_name("dma_netdma7") < 0, "device survived uninit");

	snprintf(args, sizeof(args), "channels=2,workers=2,cpu=[%d,%d]",
		test_cpus.lcore, test_cpus.engine);
	CHECK(rte_vdev_init("dma_netdma7", args) == 0,
		"valid devargs refused: %s", args);
	CHECK(rte_vdev_uninit("dma_netdma7") == 0, "uninit failed");
	return 0;
}

/*
 * Workers without cpu= run on every CPU the program may run on, not only
 * on the CPU of the EAL lcore that probed them. Guards an unpinned engine
 * that shares the application's main lcore and nothing else.
 */
static int
test_unpinned_workers(void)
{
	if (test_cpus.count < 2)
		return TEST_SKIP("one allowed CPU (%s): the lcore's CPU and "
			"the allowed set are the same", test_cpus.list);
	CHECK(rte_vdev_init("dma_netdma7", "channels=2,workers=2") == 0,
		"probe");
	CHECK(thread_runs_on("netdma7-w0", &test_cpus.allowed) == 0);
	CHECK(thread_runs_on("netdma7-w1", &test_cpus.allowed) == 0);
	CHECK(rte_vdev_uninit("dma_netdma7") == 0, "uninit");
	return 0;
}

/* DPDK 25.11 turned rte_dma_conf.enable_silent into a flag in .flags. */
static void
conf_set_silent(struct rte_dma_conf *conf, bool silent)
{
#ifdef RTE_DMA_CFG_FLAG_SILENT
	if (silent)
		conf->flags |= RTE_DMA_CFG_FLAG_SILENT;
	else
		conf->flags &= ~RTE_DMA_CFG_FLAG_SILENT;
#else
	conf->enable_silent = silent;
#endif
}

static int
test_info_and_config_limits(void)
{
	struct rte_dma_info info;
	struct rte_dma_conf conf = { .nb_vchans = 2 };
	struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
	};
	static const uint16_t bad_sizes[] = { 0, 16, 31, 100, 1000, 33000 };
	unsigned int i;
	int id;

	CHECK(rte_vdev_init("dma_netdma6", NULL) == 0, "probe failed");
	id = rte_dma_get_dev_id_by_name("dma_netdma6");
	CHECK(rte_dma_info_get(id, &info) == 0, "info_get");
	CHECK(info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM, "no MEM_TO_MEM");
	CHECK(info.dev_capa & RTE_DMA_CAPA_OPS_COPY, "no COPY");
	CHECK(info.dev_capa & RTE_DMA_CAPA_OPS_FILL, "no FILL");
	CHECK(info.dev_capa & RTE_DMA_CAPA_HANDLES_ERRORS, "no HANDLES_ERRORS");
	CHECK(!(info.dev_capa & RTE_DMA_CAPA_SILENT), "claims SILENT");
	CHECK(info.max_vchans == 1, "max_vchans %u", info.max_vchans);
	CHECK(info.min_desc == 32 && info.max_desc == 32768,
		"desc range %u..%u", info.min_desc, info.max_desc);

	CHECK(rte_dma_configure(id, &conf) < 0, "2 vchans accepted");
	conf.nb_vchans = 1;
	conf_set_silent(&conf, true);
	CHECK(rte_dma_configure(id, &conf) < 0, "silent mode accepted");
	conf_set_silent(&conf, false);
	CHECK(rte_dma_configure(id, &conf) == 0, "configure");

	for (i = 0; i < RTE_DIM(bad_sizes); i++) {
		struct test_log log;
		const char *said;
		int ret;

		qconf.nb_desc = bad_sizes[i];
		test_log_begin(&log);
		ret = rte_dma_vchan_setup(id, 0, &qconf);
		said = test_log_end(&log);
		CHECK(ret < 0, "nb_desc %u accepted", bad_sizes[i]);
		/* dmadev itself rejects sizes outside info's range first */
		CHECK(strstr(said, "nb_desc") != NULL ||
			strstr(said, "descriptors invalid") != NULL,
			"nb_desc %u: no log naming it: %s", bad_sizes[i], said);
	}
	qconf.nb_desc = 64;
	qconf.direction = RTE_DMA_DIR_MEM_TO_DEV;
	CHECK(rte_dma_vchan_setup(id, 0, &qconf) < 0, "MEM_TO_DEV accepted");
	qconf.direction = RTE_DMA_DIR_MEM_TO_MEM;
	CHECK(rte_dma_vchan_setup(id, 0, &qconf) == 0, "valid setup refused");
	CHECK(rte_vdev_uninit("dma_netdma6") == 0, "uninit");
	return 0;
}

/* Every data-path call of a stopped device fails or reports nothing. */
static int
stopped_calls(int16_t id, uint8_t *buf)
{
	struct rte_dma_sge sge = { rte_mem_virt2iova(buf), 8 };
	enum rte_dma_status_code st[4];
	uint16_t last;
	bool err = false;

	CHECK(rte_dma_submit(id, 0) == -EIO, "submit");
	CHECK(rte_dma_fill(id, 0, 1, rte_mem_virt2iova(buf), 8, 0) == -EIO,
		"fill");
	CHECK(rte_dma_copy_sg(id, 0, &sge, &sge, 1, 1, 0) == -EIO, "copy_sg");
	CHECK(rte_dma_completed(id, 0, 4, &last, &err) == 0 && !err,
		"completed");
	CHECK(rte_dma_completed_status(id, 0, 4, &last, st) == 0,
		"completed_status");
	CHECK(rte_dma_burst_capacity(id, 0) == 0, "capacity");
	return 0;
}

static int
test_stopped_device(void)
{
	const struct rte_dma_conf conf = { .nb_vchans = 1 };
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM, .nb_desc = 64,
	};
	uint8_t *buf = rte_zmalloc(NULL, 128, 64);
	struct test_log log;
	uint16_t last;
	const char *said;
	int id, ret;

	CHECK(buf != NULL, "alloc");
	CHECK(rte_vdev_init("dma_netdma5", NULL) == 0, "probe");
	id = rte_dma_get_dev_id_by_name("dma_netdma5");
	CHECK(rte_dma_configure(id, &conf) == 0 &&
		rte_dma_vchan_setup(id, 0, &qconf) == 0, "setup");

	/* never started */
	test_log_begin(&log);
	ret = rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 64), 64, RTE_DMA_OP_FLAG_SUBMIT);
	said = test_log_end(&log);
	CHECK(ret < 0, "copy on a never-started device returned %d", ret);
	CHECK(strstr(said, "copy on a stopped device") != NULL, "log: %s", said);
	CHECK(stopped_calls(id, buf) == 0, "never started");

	/* started, used, stopped */
	CHECK(rte_dma_start(id) == 0, "start");
	ret = rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 64), 64, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(ret == 0, "first copy id %d", ret);
	CHECK(test_collect(id, 1, &last) == 1 && last == 0, "completion");
	CHECK(rte_dma_stop(id) == 0, "stop");
	CHECK(rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 64), 64, 0) < 0, "copy after stop");
	CHECK(stopped_calls(id, buf) == 0, "stopped");

	/* restart: ids start from zero again, as dmadev specifies */
	CHECK(rte_dma_start(id) == 0, "restart");
	ret = rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 64), 64, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(ret == 0, "id after restart %d", ret);
	CHECK(test_collect(id, 1, &last) == 1, "completion after restart");
	CHECK(rte_dma_stop(id) == 0, "stop");
	CHECK(rte_dma_close(id) == 0, "close");
	rte_vdev_uninit("dma_netdma5");
	rte_free(buf);
	return 0;
}

/* Copies of every size 1..300 and a few large ones, each checked byte
 * for byte along with the bytes around it. */
static int
test_copy_sizes(void)
{
	const uint32_t big[] = { 4096, 65536, 1 << 20 };
	const size_t cap = (1 << 20) + 128;
	uint8_t *src = rte_malloc(NULL, cap, 64);
	uint8_t *dst = rte_malloc(NULL, cap, 64);
	uint32_t len, i, n = 0;
	uint16_t last;

	CHECK(src != NULL && dst != NULL, "alloc");
	for (i = 0; i < cap; i++)
		src[i] = (uint8_t)rte_rand();

	for (len = 1; len <= 300 + RTE_DIM(big); len++) {
		uint32_t sz = len <= 300 ? len : big[len - 301];
		uint32_t off = len % 61;	/* odd alignments too */
		int ret;

		memset(dst, 0xA5, sz + off + 64);
		ret = rte_dma_copy(dev0, 0, rte_mem_virt2iova(src) + off,
			rte_mem_virt2iova(dst) + off, sz,
			RTE_DMA_OP_FLAG_SUBMIT);
		CHECK(ret >= 0, "copy %u: %d", sz, ret);
		n++;
		CHECK(test_collect(dev0, 1, &last) == 1, "no completion for %u", sz);
		CHECK(last == (uint16_t)ret, "last %u vs id %d", last, ret);
		CHECK(memcmp(dst + off, src + off, sz) == 0, "data %u", sz);
		for (i = 0; i < off; i++)
			CHECK(dst[i] == 0xA5, "underrun size %u", sz);
		for (i = sz + off; i < sz + off + 64; i++)
			CHECK(dst[i] == 0xA5, "overrun size %u at %u", sz, i);
	}
	CHECK(n > 300, "ran %u copies", n);
	rte_free(src);
	rte_free(dst);
	return 0;
}

/* Fill patterns: each length 1..200 at odd offsets, guard bytes intact. */
static int
test_fill_patterns(void)
{
	const uint64_t pattern = 0x0123456789abcdefull;
	uint8_t *dst = rte_malloc(NULL, 512, 64);
	uint32_t len, i;
	uint16_t last;

	CHECK(dst != NULL, "alloc");
	for (len = 1; len <= 200; len++) {
		uint32_t off = 8 + len % 13;

		memset(dst, 0x5A, 512);
		CHECK(rte_dma_fill(dev0, 0, pattern,
			rte_mem_virt2iova(dst) + off, len,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "fill %u", len);
		CHECK(test_collect(dev0, 1, &last) == 1, "fill %u no completion", len);
		for (i = 0; i < off; i++)
			CHECK(dst[i] == 0x5A, "fill %u wrote before dst", len);
		for (i = 0; i < len; i++)
			CHECK(dst[off + i] == ((const uint8_t *)&pattern)[i % 8],
				"fill %u byte %u = %02x", len, i, dst[off + i]);
		for (i = off + len; i < 512; i++)
			CHECK(dst[i] == 0x5A, "fill %u overran at %u", len, i - off);
	}
	rte_free(dst);
	return 0;
}

/* Job ids are uint16 and wrap; completions come strictly in order. */
static int
test_id_wrap_and_order(void)
{
	uint64_t *src = rte_malloc(NULL, 64 * 8, 64);
	uint64_t *dst = rte_malloc(NULL, 64 * 8, 64);
	uint16_t expect_next = 0, last;
	unsigned int round, i, total = 0;
	int first = -1;

	CHECK(src != NULL && dst != NULL, "alloc");
	for (round = 0; round < 4000; round++) {
		uint16_t n = 1 + round % 40;
		uint16_t got = 0;

		for (i = 0; i < n; i++) {
			int id;

			src[i] = ((uint64_t)round << 32) | i;
			dst[i] = 0;
			id = rte_dma_copy(dev0, 0, rte_mem_virt2iova(&src[i]),
				rte_mem_virt2iova(&dst[i]), 8, 0);
			CHECK(id >= 0, "enqueue");
			if (first < 0)
				first = id, expect_next = (uint16_t)id;
			CHECK((uint16_t)id == (uint16_t)(expect_next + i),
				"id %d, expected %u", id, expect_next + i);
		}
		CHECK(rte_dma_submit(dev0, 0) == 0, "submit");
		/* collect in uneven pieces to exercise partial reads */
		while (got < n) {
			bool err = false;
			uint16_t want = RTE_MIN((unsigned int)(n - got),
					1 + round % 7);
			uint16_t c = rte_dma_completed(dev0, 0, want, &last, &err);

			CHECK(!err, "error flagged");
			CHECK(c <= want, "completed %u > asked %u", c, want);
			if (c == 0)
				continue;
			got += c;
			CHECK(last == (uint16_t)(expect_next + got - 1),
				"last %u expected %u", last, expect_next + got - 1);
		}
		for (i = 0; i < n; i++)
			CHECK(dst[i] == src[i], "round %u op %u data", round, i);
		expect_next += n;
		total += n;
	}
	CHECK(total > 65536 + 1000, "only %u ops: ids did not wrap", total);
	rte_free(src);
	rte_free(dst);
	return 0;
}

static int
test_ring_full(void)
{
	uint8_t *buf = rte_zmalloc(NULL, 128, 64);
	uint16_t i, last;
	int id, ret;

	CHECK(buf != NULL, "alloc");
	id = test_dev_create("dma_netdma4", NULL, 32);
	CHECK(id >= 0, "create");
	CHECK(rte_dma_burst_capacity(id, 0) == 31, "capacity %u",
		rte_dma_burst_capacity(id, 0));
	for (i = 0; i < 31; i++) {
		ret = rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
			rte_mem_virt2iova(buf + 64), 64, 0);
		CHECK(ret == i, "id %d at %u", ret, i);
		CHECK(rte_dma_burst_capacity(id, 0) == 30 - i, "capacity");
	}
	CHECK(rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 64), 64, 0) == -ENOSPC,
		"ring full not -ENOSPC");
	CHECK(rte_dma_fill(id, 0, 0, rte_mem_virt2iova(buf), 8, 0) == -ENOSPC,
		"fill on full ring not -ENOSPC");
	CHECK(rte_dma_submit(id, 0) == 0, "submit");
	/* Completed but uncollected ops still hold their slots. */
	CHECK(test_await_vchan(id) == RTE_DMA_VCHAN_IDLE, "ops not done");
	CHECK(rte_dma_burst_capacity(id, 0) == 0, "capacity before collect");
	CHECK(test_collect(id, 31, &last) == 31 && last == 30, "collect");
	CHECK(rte_dma_burst_capacity(id, 0) == 31, "capacity after collect");
	test_dev_destroy("dma_netdma4");
	rte_free(buf);
	return 0;
}

/* Copy, fill and copy_sg on a full ring: -ENOSPC, and a copy_sg whose
 * list no engine takes is -EINVAL even then. */
static int
full_ring_refuses(int16_t id, uint8_t *buf)
{
	struct rte_dma_sge sge[17];
	unsigned int i;

	for (i = 0; i < RTE_DIM(sge); i++) {
		sge[i].addr = rte_mem_virt2iova(buf + 8 * i);
		sge[i].length = 8;
	}
	CHECK(rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 512), 8, 0) == -ENOSPC, "copy");
	CHECK(rte_dma_fill(id, 0, 0, rte_mem_virt2iova(buf + 512), 8, 0) ==
		-ENOSPC, "fill");
	CHECK(rte_dma_copy_sg(id, 0, sge, sge, 1, 1, 0) == -ENOSPC, "copy_sg");
	CHECK(rte_dma_copy_sg(id, 0, sge, sge, 17, 1, 0) == -EINVAL,
		"copy_sg of 17 entries");
	return 0;
}

/*
 * burst_capacity at every fill level of a 32-descriptor ring, wherever in
 * the ring the ops in flight begin (across its end too), and across the
 * 16-bit wrap of the job ids: always 31 minus the ops enqueued and not
 * yet collected, 0 with 31 of them, when every kind of op is refused.
 * Ops are enqueued up to a random fill level, submitted, and collected in
 * part. Guards a capacity figured from ring slots rather than ids, which
 * is wrong whenever the ops in flight wrap around the ring's end, and an
 * off-by-one at either end.
 */
static int
test_capacity_every_fill_level(void)
{
	uint8_t *buf = rte_zmalloc(NULL, 1024, 64);
	unsigned int fill = 0, levels = 0, wrapped_levels = 0, f;
	bool seen[32] = { false }, seen_wrapped[32] = { false };
	uint64_t seed = 0x853C49E6748FEA9Bull, ops = 0;
	uint16_t next_id = 0, last;
	int16_t id;
	int ret;

	CHECK(buf != NULL, "alloc");
	id = (int16_t)test_dev_create("dma_netdma4", NULL, 32);
	CHECK(id >= 0, "create");
	/* levels 2 to 31 can wrap around the ring's end */
	while (ops < 65536 + 64 || levels < 32 || wrapped_levels < 30) {
		unsigned int target, take;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		target = (unsigned int)(seed >> 33) % 32;
		take = (unsigned int)(seed >> 45) % 32;
		do {
			/* the ops in flight run from slot next_id - fill on */
			bool wraps = fill > 0 && ((next_id - fill) & 31) >
				((next_id - 1) & 31);

			CHECK(rte_dma_burst_capacity(id, 0) == 31 - fill,
				"%u ops in flight from id %u: capacity %u",
				fill, (uint16_t)(next_id - fill),
				rte_dma_burst_capacity(id, 0));
			levels += !seen[fill];
			seen[fill] = true;
			wrapped_levels += wraps && !seen_wrapped[fill];
			seen_wrapped[fill] |= wraps;
			if (fill == 31 || fill >= target)
				break;
			ret = rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
				rte_mem_virt2iova(buf + 512), 8, 0);
			CHECK(ret == next_id, "id %d, expected %u", ret,
				next_id);
			next_id++;
			fill++;
			ops++;
		} while (true);
		if (fill == 31)
			CHECK(full_ring_refuses(id, buf) == 0,
				"31 in flight from id %u",
				(uint16_t)(next_id - fill));
		CHECK(rte_dma_submit(id, 0) == 0, "submit");
		take = RTE_MIN(take, fill);
		CHECK(test_collect(id, (uint16_t)take, &last) == (int)take,
			"collect");
		CHECK(take == 0 || last == (uint16_t)(next_id - fill + take - 1),
			"last %u", last);
		fill -= take;
	}
	for (f = 2; f < 32; f++)
		CHECK(seen_wrapped[f], "level %u", f);
	test_dev_destroy("dma_netdma4");
	rte_free(buf);
	return 0;
}

/* Submit a batch where some ops are bad; each bad one is reported with
 * its own status code, and all the others succeed with data moved. */
static int
test_errors_and_recovery(void)
{
	enum {
		N = 12
	};
	uint8_t *src = rte_malloc(NULL, N * 64, 64);
	uint8_t *dst = rte_malloc(NULL, N * 64, 64);
	uint8_t *heap = malloc(4096);	/* not DPDK memory: not mapped */
	enum rte_dma_status_code st[N];
	enum rte_dma_status_code expect[N];
	struct rte_dma_stats stats;
	uint16_t got = 0, last;
	unsigned int i;

	CHECK(src && dst && heap, "alloc");
	rte_dma_stats_reset(dev0, 0);
	memset(dst, 0, N * 64);
	for (i = 0; i < N * 64; i++)
		src[i] = (uint8_t)(i * 7);
	for (i = 0; i < N; i++) {
		rte_iova_t s = rte_mem_virt2iova(src + i * 64);
		rte_iova_t d = rte_mem_virt2iova(dst + i * 64);
		uint32_t len = 64;

		expect[i] = RTE_DMA_STATUS_SUCCESSFUL;
		if (i == 0) {
			s = 0;
			expect[i] = RTE_DMA_STATUS_INVALID_SRC_ADDR;
		} else if (i == 3) {
			d = (uintptr_t)heap;
			expect[i] = RTE_DMA_STATUS_INVALID_DST_ADDR;
		} else if (i == 4) {
			len = 0;
			expect[i] = RTE_DMA_STATUS_INVALID_LENGTH;
		} else if (i == 9) {
			s = (uintptr_t)heap;
			expect[i] = RTE_DMA_STATUS_INVALID_SRC_ADDR;
		} else if (i == 11) {
			/* runs past the end of the DPDK buffer into nothing */
			len = 1u << 29;
			expect[i] = RTE_DMA_STATUS_INVALID_SRC_ADDR;
		}
		CHECK(rte_dma_copy(dev0, 0, s, d, len, 0) >= 0, "enqueue %u", i);
	}
	rte_dma_submit(dev0, 0);

	got = test_collect_status(dev0, N, &last, st);
	CHECK(got == N, "got %u of %u statuses", got, N);
	for (i = 0; i < N; i++) {
		CHECK(st[i] == expect[i], "op %u status %d, expected %d",
			i, st[i], expect[i]);
		if (expect[i] == RTE_DMA_STATUS_SUCCESSFUL)
			CHECK(memcmp(dst + i * 64, src + i * 64, 64) == 0,
				"op %u data not copied", i);
		else if (i != 3)
			CHECK(dst[i * 64] == 0, "failed op %u wrote data", i);
	}
	rte_dma_stats_get(dev0, 0, &stats);
	CHECK(stats.submitted == N && stats.completed == N && stats.errors == 5,
		"stats %" PRIu64 "/%" PRIu64 "/%" PRIu64,
		stats.submitted, stats.completed, stats.errors);

	/* and the channel keeps working */
	CHECK(rte_dma_copy(dev0, 0, rte_mem_virt2iova(src),
		rte_mem_virt2iova(dst), 64, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
		"copy after errors");
	CHECK(test_collect(dev0, 1, &last) == 1, "completion after errors");
	free(heap);
	rte_free(src);
	rte_free(dst);
	return 0;
}

/*
 * The transfer limits, each op failing alone in one batch between good
 * ones: a length of MAX_XFER (1 GiB) passes the length check, so a copy
 * that long from a small DPDK buffer fails on its addresses; MAX_XFER + 1
 * and UINT32_MAX, and 0, fail as lengths, for a copy and for a fill; an
 * overlapping copy and a non-canonical source fail as addresses. No failed
 * op writes a byte. Guards the length limit off by one at either end,
 * and statuses that do not say which limit an op broke.
 */
static int
test_transfer_limits(void)
{
	enum {
		N = 12
	};
	const uint32_t max = 1u << 30;
	uint8_t *src = rte_malloc(NULL, N * 256, 64);
	uint8_t *dst = rte_zmalloc(NULL, N * 256, 64);
	enum rte_dma_status_code st[N], expect[N];
	uint16_t last;
	unsigned int i;
	int16_t id;

	CHECK(src != NULL && dst != NULL, "alloc");
	for (i = 0; i < N * 256; i++)
		src[i] = (uint8_t)(i * 13 + 1);
	id = (int16_t)test_dev_create("dma_netdma4", NULL, 64);
	CHECK(id >= 0, "create");
	for (i = 0; i < N; i++) {
		uint64_t s = rte_mem_virt2iova(src + 256 * i);
		uint64_t d = rte_mem_virt2iova(dst + 256 * i);
		bool fill = false;
		uint32_t len = 64;

		expect[i] = RTE_DMA_STATUS_INVALID_LENGTH;
		switch (i) {
		case 1:
			len = max;
			expect[i] = RTE_DMA_STATUS_INVALID_SRC_ADDR;
			break;
		case 2:
			len = max + 1;
			break;
		case 3:
			len = UINT32_MAX;
			break;
		case 5:
			fill = true;
			len = max;
			expect[i] = RTE_DMA_STATUS_INVALID_DST_ADDR;
			break;
		case 6:
			fill = true;
			len = max + 1;
			break;
		case 7:
			fill = true;
			len = 0;
			break;
		case 8:		/* the destination is the source, 32 on */
			d = s + 32;
			expect[i] = RTE_DMA_STATUS_INVALID_ADDR;
			break;
		case 9:
			s = 0x8000000000000000ull;
			expect[i] = RTE_DMA_STATUS_INVALID_SRC_ADDR;
			break;
		default:
			expect[i] = RTE_DMA_STATUS_SUCCESSFUL;
			fill = i == 10;
			break;
		}
		CHECK((fill ? rte_dma_fill(id, 0, 0x5A5A5A5A5A5A5A5Aull, d, len,
			0) : rte_dma_copy(id, 0, s, d, len, 0)) == (int)i,
			"enqueue op %u", i);
	}
	CHECK(rte_dma_submit(id, 0) == 0, "submit");
	CHECK_EQ(test_collect_status(id, N, &last, st), N);
	for (i = 0; i < N; i++) {
		CHECK(st[i] == expect[i], "op %u: status %d, expected %d", i,
			st[i], expect[i]);
		if (i == 8)
			continue;	/* its destination is a source */
		if (expect[i] != RTE_DMA_STATUS_SUCCESSFUL)
			CHECK(dst[256 * i] == 0 && memcmp(dst + 256 * i,
				dst + 256 * i + 1, 255) == 0,
				"failed op %u wrote", i);
		else if (i == 10)
			CHECK(dst[256 * i] == 0x5A && dst[256 * i + 63] == 0x5A &&
				dst[256 * i + 64] == 0, "fill %u", i);
		else
			CHECK(memcmp(dst + 256 * i, src + 256 * i, 64) == 0 &&
				dst[256 * i + 64] == 0, "copy %u", i);
	}
	test_dev_destroy("dma_netdma4");
	rte_free(src);
	rte_free(dst);
	return 0;
}

/* completed() stops short of a failure and says so, without skipping it. */
static int
test_error_seen_by_completed(void)
{
	uint8_t *buf = rte_zmalloc(NULL, 256, 64);
	enum rte_dma_status_code st;
	enum rte_dma_vchan_status vs;
	uint16_t last, n;
	bool err = false;
	int first;

	CHECK(buf != NULL, "alloc");
	first = rte_dma_copy(dev0, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 64), 64, 0);
	rte_dma_copy(dev0, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 128), 64, 0);
	rte_dma_copy(dev0, 0, 0, rte_mem_virt2iova(buf + 192), 64, 0);
	rte_dma_copy(dev0, 0, rte_mem_virt2iova(buf),
		rte_mem_virt2iova(buf + 192), 64, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(first >= 0, "enqueue");

	vs = test_await_vchan(dev0);
	CHECK(vs == RTE_DMA_VCHAN_HALTED_ERROR, "vchan status %d", vs);

	n = rte_dma_completed(dev0, 0, 16, &last, &err);
	CHECK(n == 2 && err && last == (uint16_t)(first + 1),
		"n %u err %d last %u", n, err, last);
	err = false;
	CHECK(rte_dma_completed(dev0, 0, 16, &last, &err) == 0 && err,
		"repeat call");
	CHECK(rte_dma_completed_status(dev0, 0, 1, &last, &st) == 1 &&
		st == RTE_DMA_STATUS_INVALID_SRC_ADDR, "status %d", st);
	CHECK(test_collect(dev0, 1, &last) == 1 && last == (uint16_t)(first + 3),
		"op after the failure");
	vs = test_await_vchan(dev0);
	CHECK(vs == RTE_DMA_VCHAN_IDLE, "vchan status after recovery %d", vs);
	rte_free(buf);
	return 0;
}

static enum rte_dma_vchan_status
vchan_status(int16_t id)
{
	enum rte_dma_vchan_status st = (enum rte_dma_vchan_status)-1;

	rte_dma_vchan_status(id, 0, &st);
	return st;
}

/* n 64-byte copies within buf, the last with flags. */
static int
copies(int16_t id, uint8_t *buf, unsigned int n, uint64_t flags)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		CHECK(rte_dma_copy(id, 0, rte_mem_virt2iova(buf + 64 * i),
			rte_mem_virt2iova(buf + 1024 + 64 * i), 64,
			i + 1 == n ? flags : 0) >= 0, "enqueue");
	return 0;
}

/*
 * rte_dma_vchan_status() says what the engine has: ops enqueued but not
 * submitted are not the engine's yet (IDLE, and not counted as submitted);
 * submitted and not done, ACTIVE, which the test holds by freezing the
 * worker; done, IDLE, collected or not; a failed op, HALTED_ERROR until
 * it is collected. Guards a status taken from the ops enqueued rather than
 * submitted, which calls a channel busy for as long as the application
 * holds back its doorbell, and one that never says ACTIVE.
 */
static int
test_vchan_status_unsubmitted(void)
{
	uint8_t *buf = rte_zmalloc(NULL, 4096, 64);
	enum rte_dma_status_code st[4];
	enum rte_dma_vchan_status held;
	struct rte_dma_stats stats;
	uint16_t last;
	int16_t id;

	CHECK(buf != NULL, "alloc");
	id = (int16_t)test_dev_create("dma_netdma3", NULL, 64);
	CHECK(id >= 0, "create");
	CHECK_EQ(vchan_status(id), RTE_DMA_VCHAN_IDLE);

	CHECK(copies(id, buf, 3, 0) == 0);
	CHECK(vchan_status(id) == RTE_DMA_VCHAN_IDLE,
		"3 ops enqueued, none submitted: status %d, expected IDLE",
		vchan_status(id));
	CHECK(rte_dma_stats_get(id, 0, &stats) == 0 && stats.submitted == 0,
		"enqueued ops counted as submitted");

	CHECK(test_worker_freeze("netdma3-w0") == 0);
	rte_dma_submit(id, 0);
	CHECK(copies(id, buf, 2, 0) == 0);
	held = vchan_status(id);
	test_worker_thaw();
	CHECK(held == RTE_DMA_VCHAN_ACTIVE,
		"3 ops submitted, the engine held: status %d, expected ACTIVE",
		held);
	CHECK(test_await_vchan(id) == RTE_DMA_VCHAN_IDLE,
		"3 ops done, 2 more enqueued: status %d, expected IDLE",
		vchan_status(id));
	CHECK(rte_dma_stats_get(id, 0, &stats) == 0 && stats.submitted == 3,
		"submitted %" PRIu64 ", expected 3", stats.submitted);
	rte_dma_submit(id, 0);
	CHECK(test_collect(id, 5, &last) == 5 && last == 4, "collect");

	/* halted, with an op enqueued behind the failed one */
	CHECK(rte_dma_copy(id, 0, 0, rte_mem_virt2iova(buf), 64,
		RTE_DMA_OP_FLAG_SUBMIT) == 5, "bad copy");
	CHECK(copies(id, buf, 1, 0) == 0);
	CHECK(test_await_vchan(id) == RTE_DMA_VCHAN_HALTED_ERROR,
		"a failed op: status %d, expected HALTED_ERROR",
		vchan_status(id));
	CHECK(rte_dma_completed_status(id, 0, 4, &last, st) == 1 &&
		st[0] == RTE_DMA_STATUS_INVALID_SRC_ADDR, "the failed op");
	CHECK(test_await_vchan(id) == RTE_DMA_VCHAN_IDLE,
		"recovered, 1 op enqueued: status %d, expected IDLE",
		vchan_status(id));
	rte_dma_submit(id, 0);
	CHECK(test_collect(id, 1, &last) == 1 && last == 6, "collect");
	test_dev_destroy("dma_netdma3");
	rte_free(buf);
	return 0;
}

/*
 * One lap of a 32-descriptor ring whose first op fails with expect: the
 * failed op always takes slot 0, so every halt has the same status word.
 * rte_dma_completed() sees the halt first (has_error, twice), then
 * rte_dma_completed_status() collects it. If log is given, it must hold
 * the line said by then, before the halt is collected.
 */
static int
lap_with_failure(int16_t id, uint8_t *dpdk, uint64_t src, uint64_t dst,
		uint32_t len, enum rte_dma_status_code expect,
		const struct test_log *log, const char *said)
{
	enum rte_dma_status_code st;
	uint64_t end = test_deadline();
	uint16_t last;
	bool err = false;

	CHECK(rte_dma_copy(id, 0, src, dst, len, 0) >= 0, "enqueue");
	CHECK(copies(id, dpdk, 30, RTE_DMA_OP_FLAG_SUBMIT) == 0);
	while (!err && rte_get_timer_cycles() < end)
		CHECK(rte_dma_completed(id, 0, 32, &last, &err) == 0,
			"an op before the failed one");
	CHECK(err, "the failed op was never flagged");
	err = false;
	CHECK(rte_dma_completed(id, 0, 32, &last, &err) == 0 && err,
		"the failed op is no longer flagged");
	CHECK(log == NULL || test_log_count(log, RTE_LOG_WARNING, said) == 1,
		"rte_dma_completed() flagged the failure, but did not say "
		"\"%s\":\n%s", said, log->buf);
	CHECK(rte_dma_completed_status(id, 0, 1, &last, &st) == 1 &&
		st == expect, "status %d, expected %d", st, expect);
	CHECK(test_collect(id, 30, &last) == 30, "the ops after it");
	CHECK(copies(id, dpdk, 1, RTE_DMA_OP_FLAG_SUBMIT) == 0);
	CHECK(test_collect(id, 1, &last) == 1 && (last & 31) == 31, "lap");
	return 0;
}

static const char *
refused_line(char *buf, size_t len, const char *side, const void *addr,
		unsigned int count)
{
	snprintf(buf, len, "dma_netdma3: the engine refused %s address 0x%" PRIx64 ": it is not memory the device may use; use rte_malloc()/mempool memory or memory registered with rte_extmem_register() and rte_dev_dma_map(), or create the device with sva=1 (%u refused so far)",
		side, (uint64_t)(uintptr_t)addr, count);
	return buf;
}

/*
 * The first refusal of a fresh strict device (after a halt of another
 * kind, which says nothing of it), and a second one at once: one WARNING
 * line, for the first. *t0 is a time before the first; 1 if the second
 * came within the second the driver holds its next line back, 0 if this
 * machine was too slow to tell.
 */
static int
refusals_at_once(int16_t id, uint8_t *heap, uint8_t *dpdk,
		struct test_log *log, uint64_t *t0)
{
	uint64_t d = rte_mem_virt2iova(dpdk);
	char line[512];

	CHECK(lap_with_failure(id, dpdk, d, d + 2048, 0,
		RTE_DMA_STATUS_INVALID_LENGTH, NULL, NULL) == 0);
	CHECK(test_log_count(log, 0, "refused") == 0,
		"a length error logged as a refused address:\n%s", log->buf);
	*t0 = rte_get_timer_cycles();
	CHECK(lap_with_failure(id, dpdk, (uintptr_t)heap, d, 64,
		RTE_DMA_STATUS_INVALID_SRC_ADDR, log, refused_line(line,
		sizeof(line), "source", heap, 1)) == 0);
	CHECK(test_log_count(log, 0, "refused") == 1,
		"one refusal, more than one line:\n%s", log->buf);
	CHECK(lap_with_failure(id, dpdk, d, (uintptr_t)heap + 1024, 64,
		RTE_DMA_STATUS_INVALID_DST_ADDR, NULL, NULL) == 0);
	if (rte_get_timer_cycles() - *t0 >= rte_get_timer_hz())
		return 0;
	CHECK(test_log_count(log, 0, "refused") == 1,
		"two refusals within a second, two lines:\n%s", log->buf);
	return 1;
}

/*
 * A strict (IOMMU) channel that refuses memory the application never gave
 * it, plain malloc() memory here, says so in one WARNING line that names
 * the side and the address, and both fixes (DPDK or registered memory, or
 * sva=1): once per halt, though rte_dma_completed() and then
 * rte_dma_completed_status() both see it, and at most once a second per
 * channel, since a program that makes the mistake makes it on every op.
 * The next line, a second on, counts every refusal since; a halt with the
 * same status word as the last is a new one. A halt that is no refused
 * address says nothing of the kind. Guards a line per op or per call, a
 * silent refusal, and a line that omits what to do.
 */
static int
test_refused_address_logged(void)
{
	uint8_t *heap = malloc(4096), *dpdk = rte_zmalloc(NULL, 4096, 64);
	uint64_t end = test_deadline(), t0 = 0, t1;
	unsigned int refused = 2;
	struct test_log log;
	char line[512];
	int16_t id = -1;
	int in_time = 0, ret;

	CHECK(heap != NULL && dpdk != NULL, "alloc");
	/* a fresh device for each try, until one was fast enough */
	while (!in_time) {
		CHECK(rte_get_timer_cycles() < end,
			"two laps of a 32-op ring never took under a second");
		if (id >= 0)
			test_dev_destroy("dma_netdma3");
		id = (int16_t)test_dev_create("dma_netdma3", NULL, 32);
		CHECK(id >= 0, "create");
		test_log_begin(&log);
		in_time = refusals_at_once(id, heap, dpdk, &log, &t0);
		test_log_end(&log);
		CHECK(in_time >= 0);
	}
	/* the next line comes once its second is over */
	test_log_begin(&log);
	do {
		rte_delay_us_sleep(10000);
		refused++;
		ret = lap_with_failure(id, dpdk, rte_mem_virt2iova(dpdk),
			(uintptr_t)heap + 1024, 64,
			RTE_DMA_STATUS_INVALID_DST_ADDR, NULL, NULL);
	} while (ret == 0 && test_log_count(&log, 0, "refused") == 0 &&
		rte_get_timer_cycles() < end);
	t1 = rte_get_timer_cycles();
	test_log_end(&log);
	CHECK(ret == 0);
	CHECK(test_log_count(&log, RTE_LOG_WARNING, refused_line(line,
		sizeof(line), "destination", heap + 1024, refused)) == 1 &&
		test_log_count(&log, 0, "refused") == 1,
		"expected one WARNING line \"%s\":\n%s", line, log.buf);
	CHECK(t1 - t0 >= rte_get_timer_hz(),
		"a second line %" PRIu64 " ms after the first",
		(t1 - t0) * 1000 / rte_get_timer_hz());
	test_dev_destroy("dma_netdma3");
	free(heap);
	rte_free(dpdk);
	return 0;
}

/* Memory outside DPDK's allocator is refused until it is registered and
 * DMA-mapped for the device, and refused again once unmapped. */
static int
test_external_memory_map(void)
{
	const size_t pg = (size_t)sysconf(_SC_PAGESIZE), len = 16 * pg;
	uint8_t *src = rte_malloc(NULL, 256, 64);
	uint8_t *ext = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct rte_dma_info info;
	struct rte_device *rdev;
	enum rte_dma_status_code st;
	uint16_t last;

	CHECK(src != NULL && ext != MAP_FAILED, "alloc");
	memset(src, 0x3C, 256);
	rte_dma_info_get(dev0, &info);
	rdev = test_find_device(DEV0);
	CHECK(rdev != NULL, "vdev rte_device");

#define COPY_TO_EXT(off) rte_dma_copy(dev0, 0, rte_mem_virt2iova(src), \
		(uintptr_t)ext + (off), 256, RTE_DMA_OP_FLAG_SUBMIT)
#define ONE_STATUS() \
	CHECK(test_collect_status(dev0, 1, &last, &st) == 1, "no completion")

	CHECK(COPY_TO_EXT(0) >= 0, "enqueue");
	ONE_STATUS();
	CHECK(st == RTE_DMA_STATUS_INVALID_DST_ADDR, "unmapped: status %d", st);
	CHECK(ext[0] == 0, "engine wrote unmapped memory");

	CHECK(rte_extmem_register(ext, len, NULL, 0, pg) == 0, "extmem register");
	CHECK(rte_dev_dma_map(rdev, ext, (uintptr_t)ext, len) == 0, "dma_map");
	CHECK(COPY_TO_EXT(pg) >= 0, "enqueue");
	ONE_STATUS();
	CHECK(st == RTE_DMA_STATUS_SUCCESSFUL, "mapped: status %d", st);
	CHECK(memcmp(ext + pg, src, 256) == 0, "data");
	/* a copy that runs off the end of the mapping is still refused */
	CHECK(rte_dma_copy(dev0, 0, rte_mem_virt2iova(src),
		(uintptr_t)ext + len - 128, 256, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	ONE_STATUS();
	CHECK(st == RTE_DMA_STATUS_INVALID_DST_ADDR, "overrun: status %d", st);

	CHECK(rte_dev_dma_unmap(rdev, ext, (uintptr_t)ext, len) == 0, "unmap");
	memset(ext, 0, len);
	CHECK(COPY_TO_EXT(2 * pg) >= 0, "enqueue");
	ONE_STATUS();
	CHECK(st == RTE_DMA_STATUS_INVALID_DST_ADDR, "after unmap: status %d", st);
	CHECK(ext[2 * pg] == 0, "engine wrote after unmap");
#undef COPY_TO_EXT
#undef ONE_STATUS
	CHECK(rte_extmem_unregister(ext, len) == 0, "extmem unregister");
	munmap(ext, len);
	rte_free(src);
	return 0;
}

static int
test_dump_and_stats(void)
{
	char *text = NULL;
	size_t size = 0;
	struct rte_dma_stats stats;
	FILE *f = open_memstream(&text, &size);
	uint8_t *buf = rte_zmalloc(NULL, 128, 64);
	enum rte_dma_status_code st;
	uint16_t last;

	CHECK(f != NULL && buf != NULL, "alloc");
	/* leave the channel halted so dump has an error to decode */
	CHECK(rte_dma_copy(dev0, 0, rte_mem_virt2iova(buf), 0, 64,
		RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	CHECK(test_await_vchan(dev0) == RTE_DMA_VCHAN_HALTED_ERROR,
		"the channel did not halt");
	CHECK(rte_dma_dump(dev0, f) == 0, "dump");
	fclose(f);
	CHECK(strstr(text, "CHANSTS") && strstr(text, "HALTED"), "%s", text);
	CHECK(strstr(text, "invalid destination address"), "%s", text);
	CHECK(strstr(text, "next write"), "%s", text);
	free(text);

	CHECK(test_collect_status(dev0, 1, &last, &st) == 1, "no status");
	CHECK(st == RTE_DMA_STATUS_INVALID_DST_ADDR, "status %d", st);
	rte_dma_stats_get(dev0, 0, &stats);
	CHECK(stats.errors >= 1, "errors not counted");
	CHECK(rte_dma_stats_reset(dev0, 0) == 0, "reset");
	rte_dma_stats_get(dev0, 0, &stats);
	CHECK(stats.submitted == 0 && stats.completed == 0 && stats.errors == 0,
		"stats not reset");
	rte_free(buf);
	return 0;
}

/*
 * With spin_us=0 the engine parks after every batch, so each submit meets
 * a parked or parking engine and must kick it: an op whose kick is lost
 * never completes. (The store-load window the engine's membarrier closes
 * is a few nanoseconds wide; this is a regression test for the kick path,
 * not a proof of that fence.)
 */
static int
test_kick_race(void)
{
	uint8_t *buf = rte_zmalloc(NULL, 128, 64);
	unsigned int i, got;
	uint16_t last;
	int id;

	CHECK(buf != NULL, "alloc");
	id = test_dev_create("dma_netdma2", "spin_us=0", 64);
	CHECK(id >= 0, "create");
	for (i = 0; i < 200000; i++) {
		CHECK(rte_dma_copy(id, 0, rte_mem_virt2iova(buf),
			rte_mem_virt2iova(buf + 64), 8 + i % 56,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue %u", i);
		/* vary the gap so submits land all over the park sequence */
		if (i % 7 == 0)
			rte_delay_us_block(i % 5);
		got = test_collect(id, 1, &last);
		CHECK(got == 1, "op %u never completed: lost kick", i);
	}
	test_dev_destroy("dma_netdma2");
	rte_free(buf);
	return 0;
}

/* Two instances, each with its own engine, used in an interleaved way. */
static int
test_two_instances(void)
{
	uint8_t *a = rte_malloc(NULL, 8192, 64), *b = rte_malloc(NULL, 8192, 64);
	uint16_t last;
	unsigned int i;
	int id1;

	CHECK(a && b, "alloc");
	id1 = test_dev_create("dma_netdma1", "spin_us=0", 64);
	CHECK(id1 >= 0 && id1 != dev0, "second instance");
	CHECK(test_thread_find("netdma1-w0") > 0,
		"no engine thread for dma_netdma1");
	for (i = 0; i < 4096; i++)
		a[i] = (uint8_t)i, b[i] = (uint8_t)~i;
	for (i = 0; i < 16; i++) {
		CHECK(rte_dma_copy(dev0, 0, rte_mem_virt2iova(a + i * 256),
			rte_mem_virt2iova(a + 4096 + i * 256), 256,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy dev0");
		CHECK(rte_dma_copy(id1, 0, rte_mem_virt2iova(b + i * 256),
			rte_mem_virt2iova(b + 4096 + i * 256), 256,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy dev1");
	}
	CHECK(test_collect(dev0, 16, &last) == 16, "dev0");
	CHECK(test_collect(id1, 16, &last) == 16 && last == 15, "dev1");
	CHECK(memcmp(a, a + 4096, 4096) == 0 && memcmp(b, b + 4096, 4096) == 0,
		"data");
	/* unplugged while started: removal stops, closes, frees the engine */
	CHECK(rte_vdev_uninit("dma_netdma1") == 0, "uninit while started");
	CHECK(rte_dma_get_dev_id_by_name("dma_netdma1") < 0,
		"device survived removal");
	CHECK(test_find_device("dma_netdma1") == NULL, "vdev survived removal");
	CHECK(test_thread_find("netdma1-w0") < 0,
		"engine thread survived removal");
	rte_free(a);
	rte_free(b);
	return 0;
}

int
main(int argc, char **argv)
{
	int ret;

	ret = test_start(argc, argv, "[devargs for " DEV0 "]");
	if (ret != 0)
		return ret;
	RUN(test_devargs_rejected);
	RUN(test_devargs_accepted);
	RUN(test_devargs_boundaries);
	RUN(test_devargs_readahead);
	RUN(test_unpinned_workers);
	RUN(test_info_and_config_limits);
	RUN(test_stopped_device);

	dev0 = test_dev_create(DEV0, argc > 2 ? argv[2] : NULL, 256);
	if (dev0 < 0) {
		fprintf(stderr, "cannot create %s\n", DEV0);
		return 1;
	}
	RUN(test_copy_sizes);
	RUN(test_fill_patterns);
	RUN(test_id_wrap_and_order);
	RUN(test_ring_full);
	RUN(test_capacity_every_fill_level);
	RUN(test_errors_and_recovery);
	RUN(test_transfer_limits);
	RUN(test_error_seen_by_completed);
	RUN(test_vchan_status_unsubmitted);
	RUN(test_refused_address_logged);
	RUN(test_external_memory_map);
	RUN(test_dump_and_stats);
	RUN(test_two_instances);
	RUN(test_kick_race);
	test_dev_destroy(DEV0);

	rte_eal_cleanup();
	TEST_SUMMARY();
	return test_failed == 0 ? 0 : 1;
}
