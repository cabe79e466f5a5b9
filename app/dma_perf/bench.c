/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Benchmark engine: buffers, device setup, the worker loops (dmadev and
 * CPU), run orchestration for classic and compare cases, data
 * verification and the reduction of raw runs into dp_stats.
 *
 * Workers time themselves with the TSC instead of being stopped by the
 * main lcore: on a 2-core machine the main lcore shares its core with
 * the copy thread of software DMA devices, so it must sleep, not spin.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_memzone.h>
#include <rte_pause.h>
#include <rte_random.h>
#include <rte_string_fns.h>

#include "dma_perf.h"

#define WARMUP_US	10000	/* same settle time as dpdk-test-dma-perf */
#define START_DELAY_US	2000	/* lets all workers of a run start together */
#define DRAIN_TIMEOUT_S	2
#define MAX_CPL		256
#define PEND_SZ		4096	/* latency samples in flight, power of 2 */
#define LAT_CAP		16384	/* latency samples kept per run */
#define BUF_ALIGN	64
#define GUARD_BYTE	0x5a
#define GUARD_LEN	64
/*
 * CPU copies read the clock once per this many copies: kick_batch has no
 * meaning for memcpy, and at 64 B a clock read every 32 copies costs
 * the CPU contender ~20% of its throughput.
 */
#define CPU_BURST	256

enum phase {
	PH_WARMUP,
	PH_MEASURE,
	PH_TAIL,
};

struct pend_sample {
	uint64_t tsc;
	uint16_t idx;
};

/* Everything one worker lcore needs for one timed run. */
struct worker_ctx {
	/* inputs */
	int16_t dev_id;
	bool is_cpu;
	uint8_t *src;
	uint8_t *dst;
	rte_iova_t src_iova;
	rte_iova_t dst_iova;
	uint32_t nr_buf;
	uint32_t stride;
	uint32_t buf_size;
	uint16_t batch;
	uint64_t t_start;
	uint64_t warm_cyc;
	uint64_t run_cyc;
	uint64_t lat_mask;
	/* latency samples, in TSC cycles */
	uint32_t *lat;
	uint32_t lat_nb;
	struct pend_sample *pend;
	/* outputs */
	struct dp_run res;
	char err[192];
};

/* Memory of one scenario: src and dst areas, each nr_buf * stride. */
struct bufset {
	const struct rte_memzone *src_mz;
	const struct rte_memzone *dst_mz;
	uint32_t nr_buf;
	uint32_t stride;
	uint32_t buf_size;
};

/* Raw results of one contender/worker across the rounds of a scenario. */
struct series {
	double gbps[DP_MAX_VALUES];
	double mops[DP_MAX_VALUES];
	double appc[DP_MAX_VALUES];
	double cyc_op[DP_MAX_VALUES];
	uint32_t nb;
	uint32_t *lat;
	uint64_t lat_nb;
	uint64_t lat_cap;
	bool failed;
};

static uint64_t hz;

/* ------------------------------------------------------------------ */
/* latency sampling                                                    */

/*
 * Record one latency sample. When the buffer is full, keep every other
 * sample and halve the sampling rate: the kept samples stay spread over
 * the whole window instead of only covering its beginning.
 */
static inline void
lat_record(struct worker_ctx *w, uint64_t cycles)
{
	uint32_t i;

	if (unlikely(w->lat_nb == LAT_CAP)) {
		for (i = 0; i < LAT_CAP / 2; i++)
			w->lat[i] = w->lat[2 * i];
		w->lat_nb = LAT_CAP / 2;
		w->lat_mask = (w->lat_mask << 1) | 1;
	}
	w->lat[w->lat_nb++] = cycles > UINT32_MAX ? UINT32_MAX : (uint32_t)cycles;
}

/* ------------------------------------------------------------------ */
/* workers                                                             */

static int
worker_fail(struct worker_ctx *w, const char *what, int ret)
{
	snprintf(w->err, sizeof(w->err), "%s failed: %d (%s)", what, ret,
		ret < 0 ? strerror(-ret) : "error status");
	w->res.ok = false;
	return -1;
}

/*
 * Time windows are evaluated once per burst. Returns true when the run
 * is over: the measured window has passed and every buffer has been
 * copied at least once (so that the whole destination can be verified).
 */
static inline bool
advance_phase(struct worker_ctx *w, enum phase *ph, uint64_t now,
	uint64_t passes, uint64_t ops, uint64_t app, uint64_t *snap_t,
	uint64_t *snap_ops, uint64_t *snap_app)
{
	if (*ph == PH_WARMUP && now >= w->t_start + w->warm_cyc) {
		*ph = PH_MEASURE;
		*snap_t = now;
		*snap_ops = ops;
		*snap_app = app;
	} else if (*ph == PH_MEASURE &&
			now >= w->t_start + w->warm_cyc + w->run_cyc) {
		*ph = PH_TAIL;
		w->res.win_cycles = now - *snap_t;
		w->res.ops = ops - *snap_ops;
		w->res.app_cycles = app - *snap_app;
	}
	return *ph == PH_TAIL && passes > 0;
}

static int
worker_dma(void *arg)
{
	struct worker_ctx *w = arg;
	const int16_t dev = w->dev_id;
	const uint32_t nr_buf = w->nr_buf;
	const uint32_t len = w->buf_size;
	const uint16_t batch = w->batch;
	const uint64_t stride = w->stride;
	struct pend_sample *pend = w->pend;
	uint64_t enq = 0, done = 0, app = 0, passes = 0;
	uint64_t snap_t = 0, snap_ops = 0, snap_app = 0;
	uint32_t p_head = 0, p_tail = 0;
	uint64_t off = 0, deadline;
	enum phase ph = PH_WARMUP;
	uint32_t idx = 0;
	uint16_t last, cpl, n;
	bool err = false;
	int ret;

	while (rte_rdtsc() < w->t_start)
		rte_pause();

	for (;;) {
		uint64_t t0 = rte_rdtsc(), t1, t2;

		if (advance_phase(w, &ph, t0, passes, done, app, &snap_t,
				&snap_ops, &snap_app))
			break;

		for (n = 0; n < batch; n++) {
			ret = rte_dma_copy(dev, 0, w->src_iova + off,
				w->dst_iova + off, len, 0);
			if (unlikely(ret < 0)) {
				if (ret == -ENOSPC)
					break;
				return worker_fail(w, "rte_dma_copy", ret);
			}
			/* One timestamp per burst is enough: the burst is
			 * enqueued within a few hundred cycles.
			 */
			if (ph == PH_MEASURE && (enq & w->lat_mask) == 0 &&
					p_tail - p_head < PEND_SZ) {
				pend[p_tail & (PEND_SZ - 1)].idx = (uint16_t)ret;
				pend[p_tail & (PEND_SZ - 1)].tsc = t0;
				p_tail++;
			}
			enq++;
			off += stride;
			if (++idx == nr_buf) {
				idx = 0;
				off = 0;
				passes++;
			}
		}
		if (n > 0) {
			ret = rte_dma_submit(dev, 0);
			if (unlikely(ret < 0))
				return worker_fail(w, "rte_dma_submit", ret);
		}
		t1 = rte_rdtsc();
		/* A burst refused with -ENOSPC is idle polling of a full
		 * ring, not work: it is not charged.
		 */
		if (n > 0)
			app += t1 - t0;

		cpl = rte_dma_completed(dev, 0, MAX_CPL, &last, &err);
		if (unlikely(err))
			return worker_fail(w, "rte_dma_completed", 1);
		if (cpl == 0)
			continue;	/* empty polls are not charged: see README */
		t2 = rte_rdtsc();
		app += t2 - t1;
		done += cpl;
		/* Completions are in order: retire the sampled jobs whose
		 * ring index falls in (last - cpl, last].
		 */
		while (p_head != p_tail &&
				(uint16_t)(last - pend[p_head & (PEND_SZ - 1)].idx) < cpl) {
			lat_record(w, t2 - pend[p_head & (PEND_SZ - 1)].tsc);
			p_head++;
		}
	}

	/* Everything was submitted; wait for the device to finish so the
	 * destination can be verified.
	 */
	deadline = rte_rdtsc() + DRAIN_TIMEOUT_S * rte_get_tsc_hz();
	while (done < enq) {
		cpl = rte_dma_completed(dev, 0, MAX_CPL, &last, &err);
		if (unlikely(err))
			return worker_fail(w, "rte_dma_completed", 1);
		done += cpl;
		if (cpl == 0 && rte_rdtsc() > deadline) {
			snprintf(w->err, sizeof(w->err),
				"device stalled: %" PRIu64 " of %" PRIu64
				" copies never completed", enq - done, enq);
			return -1;
		}
	}
	w->res.ok = true;
	return 0;
}

static int
worker_cpu(void *arg)
{
	struct worker_ctx *w = arg;
	const uint32_t nr_buf = w->nr_buf;
	const uint32_t len = w->buf_size;
	const uint64_t stride = w->stride;
	uint64_t ops = 0, app = 0, passes = 0;
	uint64_t snap_t = 0, snap_ops = 0, snap_app = 0;
	enum phase ph = PH_WARMUP;
	uint64_t off = 0;
	uint32_t idx = 0;
	uint16_t n;

	while (rte_rdtsc() < w->t_start)
		rte_pause();

	for (;;) {
		uint64_t t0 = rte_rdtsc();

		if (advance_phase(w, &ph, t0, passes, ops, app, &snap_t,
				&snap_ops, &snap_app))
			break;

		for (n = 0; n < CPU_BURST; n++) {
			if (ph == PH_MEASURE && (ops & w->lat_mask) == 0) {
				uint64_t ts = rte_rdtsc();

				rte_memcpy(w->dst + off, w->src + off, len);
				lat_record(w, rte_rdtsc() - ts);
			} else {
				rte_memcpy(w->dst + off, w->src + off, len);
			}
			ops++;
			off += stride;
			if (++idx == nr_buf) {
				idx = 0;
				off = 0;
				passes++;
			}
		}
		app += rte_rdtsc() - t0;
	}
	w->res.ok = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* buffers                                                             */

static void
bufset_free(struct bufset *b)
{
	rte_memzone_free(b->src_mz);
	rte_memzone_free(b->dst_mz);
	memset(b, 0, sizeof(*b));
}

static int
bufset_alloc(struct bufset *b, const struct dp_case *c, uint32_t mem_mb,
	uint32_t buf_size, unsigned int nb_workers)
{
	uint64_t nr = ((uint64_t)mem_mb << 20) / ((uint64_t)buf_size * 2);
	uint64_t size;

	memset(b, 0, sizeof(*b));
	nr -= nr % nb_workers;
	b->nr_buf = (uint32_t)nr;
	b->buf_size = buf_size;
	b->stride = RTE_ALIGN_CEIL(buf_size, BUF_ALIGN);
	size = (uint64_t)b->nr_buf * b->stride + GUARD_LEN;

	if ((unsigned int)c->src_numa >= rte_socket_count() ||
			(unsigned int)c->dst_numa >= rte_socket_count()) {
		printf("Error: src_numa_node/dst_numa_node %d/%d but only %u NUMA node(s)\n",
			c->src_numa, c->dst_numa, rte_socket_count());
		return -1;
	}
	/* IOVA-contiguous, so a buffer's IOVA is base + offset. */
	b->src_mz = rte_memzone_reserve_aligned("dma_perf_src", size,
		rte_socket_id_by_idx(c->src_numa), RTE_MEMZONE_IOVA_CONTIG,
		RTE_CACHE_LINE_SIZE);
	b->dst_mz = rte_memzone_reserve_aligned("dma_perf_dst", size,
		rte_socket_id_by_idx(c->dst_numa), RTE_MEMZONE_IOVA_CONTIG,
		RTE_CACHE_LINE_SIZE);
	if (b->src_mz == NULL || b->dst_mz == NULL) {
		printf("Error: cannot reserve 2 x %" PRIu64
			" bytes of IOVA-contiguous memory (raise -m?)\n", size);
		bufset_free(b);
		return -1;
	}
	return 0;
}

static void
flush_area(const uint8_t *p, uint64_t len)
{
#ifdef RTE_ARCH_X86
	uint64_t off;

	for (off = 0; off < len; off += RTE_CACHE_LINE_SIZE)
		__builtin_ia32_clflush(p + off);
#else
	RTE_SET_USED(p);
	RTE_SET_USED(len);
#endif
}

/*
 * A fresh random source before every run: a contender that copies
 * nothing (or copies stale data) cannot pass verification on the bytes
 * the previous contender left behind.
 */
static void
bufset_prepare(struct bufset *b, bool cache_flush)
{
	uint64_t len = (uint64_t)b->nr_buf * b->stride;
	uint64_t *s = b->src_mz->addr;
	uint64_t x = rte_rand() | 1;
	uint64_t i;

	for (i = 0; i < len / 8; i++) {
		/* xorshift64: cheap and never repeats within the area */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s[i] = x;
	}
	memset(b->dst_mz->addr, GUARD_BYTE, len + GUARD_LEN);
	if (cache_flush) {
		flush_area(b->src_mz->addr, len);
		flush_area(b->dst_mz->addr, len + GUARD_LEN);
	}
	rte_mb();
}

static int
first_diff(const uint8_t *a, const uint8_t *b, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return (int)i;
	return -1;
}

/*
 * Check buffers [first, first + count): the copy, the padding up to the
 * stride and, for the last slice, the guard after the area.
 */
static int
bufset_verify(const struct bufset *b, uint32_t first, uint32_t count,
	const char *who, unsigned int case_id, unsigned int scenario)
{
	const uint8_t *src = b->src_mz->addr;
	const uint8_t *dst = b->dst_mz->addr;
	uint32_t i, k, end;
	int d;

	for (i = first; i < first + count; i++) {
		uint64_t off = (uint64_t)i * b->stride;

		d = first_diff(src + off, dst + off, b->buf_size);
		if (d >= 0) {
			fprintf(stderr, "\n*** %s: DATA VERIFICATION FAILED: case %u scenario %u %s: buffer %u/%u (%u B) byte %d: expected 0x%02x, got 0x%02x ***\n\n",
				DP_PROG_NAME, case_id, scenario, who, i,
				b->nr_buf, b->buf_size, d, src[off + d],
				dst[off + d]);
			return -1;
		}
		end = (i == b->nr_buf - 1) ? b->stride + GUARD_LEN : b->stride;
		for (k = b->buf_size; k < end; k++) {
			if (dst[off + k] != GUARD_BYTE) {
				fprintf(stderr, "\n*** %s: DATA VERIFICATION FAILED: case %u scenario %u %s: buffer %u/%u (%u B) overrun: byte %u past the end was written ***\n\n",
					DP_PROG_NAME, case_id, scenario, who,
					i, b->nr_buf, b->buf_size,
					k - b->buf_size);
				return -1;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* devices                                                             */

/*
 * Find a dmadev by name; a missing vdev (dma_skeleton0, dma_netdma0...)
 * is created on the fly so configs need not spell --vdev.
 */
static int
resolve_dev(const char *name, bool quiet)
{
	int id = rte_dma_get_dev_id_by_name(name);
	int ret;

	if (id >= 0)
		return id;
	ret = rte_vdev_init(name, NULL);
	id = rte_dma_get_dev_id_by_name(name);
	if (id < 0 && !quiet)
		printf("Error: DMA device '%s' not found and rte_vdev_init() failed (%d); is its driver loaded (-d librte_dma_<drv>.so)?\n",
			name, ret);
	return id;
}

/* vdevs="name[,devargs] name[,devargs] ..." */
static int
create_vdevs(const char *spec, bool skip_missing)
{
	char buf[DP_ARGS_LEN];
	char *tok[32];
	int n, i, ret;

	strlcpy(buf, spec, sizeof(buf));
	n = rte_strsplit(buf, strlen(buf), tok, RTE_DIM(tok), ' ');
	for (i = 0; i < n; i++) {
		char *args = strchr(tok[i], ',');

		if (*tok[i] == '\0')
			continue;
		if (args != NULL)
			*args++ = '\0';
		if (rte_dma_get_dev_id_by_name(tok[i]) >= 0)
			continue;
		ret = rte_vdev_init(tok[i], args);
		if (ret < 0 && skip_missing) {
			printf("Warning: vdevs: rte_vdev_init(%s, %s) failed: %d\n",
				tok[i], args != NULL ? args : "", ret);
		} else if (ret < 0) {
			printf("Error: vdevs: rte_vdev_init(%s, %s) failed: %d; is its driver loaded (-d librte_dma_<drv>.so)?\n",
				tok[i], args != NULL ? args : "", ret);
			return -1;
		}
	}
	return 0;
}

static int
dev_configure(int16_t dev_id, uint32_t ring_size)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = (uint16_t)ring_size,
	};
	struct rte_dma_info info;
	int ret;

	if (rte_dma_info_get(dev_id, &info) != 0)
		return -1;
	if (!(info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM)) {
		printf("Error: %s cannot do mem-to-mem copies\n", info.dev_name);
		return -1;
	}
	if (ring_size < info.min_desc || ring_size > info.max_desc) {
		printf("Error: dma_ring_size %" PRIu32 " outside [%u, %u] for %s\n",
			ring_size, info.min_desc, info.max_desc, info.dev_name);
		return -1;
	}
	ret = rte_dma_configure(dev_id, &conf);
	if (ret == 0)
		ret = rte_dma_vchan_setup(dev_id, 0, &qconf);
	if (ret != 0) {
		printf("Error: configuring %s (ring %" PRIu32 "): %d\n",
			info.dev_name, ring_size, ret);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* runs                                                                */

static int
ctx_init(struct worker_ctx *w, const struct dp_case *c)
{
	memset(w, 0, sizeof(*w));
	w->lat = rte_malloc(NULL, LAT_CAP * sizeof(*w->lat), 0);
	w->pend = rte_malloc(NULL, PEND_SZ * sizeof(*w->pend), 0);
	w->lat_mask = c->lat_sample - 1;
	w->dev_id = -1;
	if (w->lat == NULL || w->pend == NULL) {
		printf("Error: out of memory\n");
		return -1;
	}
	return 0;
}

static void
ctx_free(struct worker_ctx *w)
{
	rte_free(w->lat);
	rte_free(w->pend);
}

static void
ctx_set(struct worker_ctx *w, const struct dp_case *c, const struct bufset *b,
	uint32_t first, uint32_t count, uint32_t batch, uint64_t run_ms)
{
	w->src = (uint8_t *)b->src_mz->addr + (uint64_t)first * b->stride;
	w->dst = (uint8_t *)b->dst_mz->addr + (uint64_t)first * b->stride;
	w->src_iova = b->src_mz->iova + (uint64_t)first * b->stride;
	w->dst_iova = b->dst_mz->iova + (uint64_t)first * b->stride;
	w->nr_buf = count;
	w->stride = b->stride;
	w->buf_size = b->buf_size;
	w->batch = (uint16_t)batch;
	w->warm_cyc = hz * WARMUP_US / 1000000;
	w->run_cyc = hz * run_ms / 1000;
	w->lat_mask = c->lat_sample - 1;
	w->lat_nb = 0;
	memset(&w->res, 0, sizeof(w->res));
	w->err[0] = '\0';
}

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Launch workers with a common start time and wait without spinning. */
static int
run_workers(struct worker_ctx *w, const unsigned int *lcores, unsigned int n)
{
	uint64_t start = rte_rdtsc() + hz * START_DELAY_US / 1000000;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		w[i].t_start = start;
		if (rte_eal_remote_launch(w[i].is_cpu ? worker_cpu : worker_dma,
				&w[i], lcores[i]) != 0) {
			printf("Error: cannot launch on lcore %u\n", lcores[i]);
			ret = -1;
		}
	}
	for (i = 0; i < n; i++) {
		while (rte_eal_get_lcore_state(lcores[i]) == RUNNING)
			sleep_ms(1);
		if (rte_eal_wait_lcore(lcores[i]) != 0 || !w[i].res.ok) {
			printf("Error: lcore %u: %s\n", lcores[i],
				w[i].err[0] != '\0' ? w[i].err : "run failed");
			ret = -1;
		}
	}
	return ret;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static double
median(const double *v, uint32_t n)
{
	double tmp[DP_MAX_VALUES];

	if (n == 0)
		return 0;
	memcpy(tmp, v, n * sizeof(*v));
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	return (n & 1) ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static int
series_init(struct series *s, uint32_t rounds)
{
	memset(s, 0, sizeof(*s));
	s->lat_cap = (uint64_t)LAT_CAP * rounds;
	s->lat = malloc(s->lat_cap * sizeof(*s->lat));
	return s->lat == NULL ? -1 : 0;
}

static void
series_add(struct series *s, const struct worker_ctx *w, uint32_t buf_size)
{
	const struct dp_run *r = &w->res;
	double secs = (double)r->win_cycles / hz;
	uint32_t n;

	if (r->ops == 0 || secs <= 0) {
		printf("Error: no copy completed inside the measured window\n");
		s->failed = true;
		return;
	}
	if (s->nb == DP_MAX_VALUES)
		return;
	s->gbps[s->nb] = (double)r->ops * buf_size * 8 / secs / 1e9;
	s->mops[s->nb] = (double)r->ops / secs / 1e6;
	s->appc[s->nb] = (double)r->app_cycles / r->ops;
	s->cyc_op[s->nb] = (double)r->win_cycles / r->ops;
	s->nb++;
	n = RTE_MIN((uint64_t)w->lat_nb, s->lat_cap - s->lat_nb);
	memcpy(s->lat + s->lat_nb, w->lat, n * sizeof(*s->lat));
	s->lat_nb += n;
}

static void
series_stats(struct series *s, struct dp_stats *st)
{
	uint32_t i;

	st->ok = !s->failed && s->nb > 0;
	st->rounds = s->nb;
	if (s->nb == 0)
		return;
	st->gbps = median(s->gbps, s->nb);
	st->mops = median(s->mops, s->nb);
	st->app_cyc_per_op = median(s->appc, s->nb);
	st->avg_cycles = median(s->cyc_op, s->nb);
	st->gbps_min = st->gbps_max = s->gbps[0];
	for (i = 1; i < s->nb; i++) {
		st->gbps_min = RTE_MIN(st->gbps_min, s->gbps[i]);
		st->gbps_max = RTE_MAX(st->gbps_max, s->gbps[i]);
	}
	st->lat_samples = s->lat_nb;
	if (s->lat_nb > 0) {
		qsort(s->lat, s->lat_nb, sizeof(*s->lat), cmp_u32);
		st->lat_p50_ns = s->lat[(s->lat_nb - 1) * 50 / 100] * 1e9 / hz;
		st->lat_p99_ns = s->lat[(s->lat_nb - 1) * 99 / 100] * 1e9 / hz;
	}
}

static void
stats_common(struct dp_stats *st, const char *name, bool is_cpu,
	unsigned int lcore, const struct bufset *b, uint32_t nr_buf,
	uint32_t ring, uint32_t batch)
{
	strlcpy(st->name, name, sizeof(st->name));
	st->is_cpu = is_cpu;
	st->lcore = lcore;
	st->buf_size = b->buf_size;
	st->ring_size = ring;
	st->kick_batch = batch;
	st->nr_buf = nr_buf;
	st->memory_mb = (double)b->buf_size * nr_buf * 2 / (1024 * 1024);
}

/* ------------------------------------------------------------------ */
/* classic case: every worker at once, one run per scenario            */

static int
run_classic(struct dp_case *c)
{
	unsigned int lcores[DP_MAX_WORKERS];
	struct dp_stats st[DP_MAX_WORKERS];
	struct worker_ctx *w;
	struct series *s;
	bool is_cpu = c->type == DP_TYPE_CPU_MEM_COPY;
	unsigned int nb = c->nb_workers;
	unsigned int scen, i, nb_scen;
	uint32_t x[DP_MAX_VALUES];
	double y[DP_MAX_VALUES];
	unsigned int nb_pts = 0;
	char title[DP_ARGS_LEN];
	int16_t dev_ids[DP_MAX_WORKERS];
	int status = 0;

	w = calloc(nb, sizeof(*w));
	s = calloc(nb, sizeof(*s));
	if (w == NULL || s == NULL)
		goto nomem;
	for (i = 0; i < nb; i++) {
		lcores[i] = c->workers[i].lcore;
		if (ctx_init(&w[i], c) < 0 || series_init(&s[i], 1) < 0)
			goto nomem;
		w[i].is_cpu = is_cpu;
		dev_ids[i] = -1;
		if (!is_cpu) {
			dev_ids[i] = resolve_dev(c->workers[i].dev, false);
			if (dev_ids[i] < 0) {
				status = -1;
				goto out;
			}
		}
	}

	dp_output_header(c->id, is_cpu);
	nb_scen = RTE_MAX(RTE_MAX(c->mem_size.nb, c->buf_size.nb),
		RTE_MAX(c->ring_size.nb, c->kick_batch.nb));
	for (scen = 0; scen < nb_scen; scen++) {
		uint32_t mem = c->mem_size.val[RTE_MIN(scen, c->mem_size.nb - 1)];
		uint32_t buf = c->buf_size.val[RTE_MIN(scen, c->buf_size.nb - 1)];
		uint32_t ring = c->ring_size.val[RTE_MIN(scen, c->ring_size.nb - 1)];
		uint32_t batch = c->kick_batch.val[RTE_MIN(scen, c->kick_batch.nb - 1)];
		double sum_gbps = 0, sum_mops = 0, sum_cyc = 0;
		struct bufset b;
		bool ok = true;
		uint32_t per;

		if (is_cpu)
			printf("\nCase %u scenario %u: buf_size %" PRIu32
				" B, mem_size %" PRIu32 " MiB, %u s\n",
				c->id, scen + 1, buf, mem, c->test_secs);
		else
			printf("\nCase %u scenario %u: buf_size %" PRIu32
				" B, mem_size %" PRIu32 " MiB, ring %" PRIu32
				", batch %" PRIu32 ", %u s\n", c->id, scen + 1,
				buf, mem, ring, batch, c->test_secs);
		if (bufset_alloc(&b, c, mem, buf, nb) < 0) {
			status = -1;
			continue;
		}
		per = b.nr_buf / nb;
		for (i = 0; i < nb; i++) {
			ctx_set(&w[i], c, &b, i * per, per, batch,
				(uint64_t)c->test_secs * 1000);
			w[i].dev_id = dev_ids[i];
			s[i].nb = 0;
			s[i].lat_nb = 0;
			s[i].failed = false;
			if (!is_cpu && (dev_configure(dev_ids[i], ring) < 0 ||
					rte_dma_start(dev_ids[i]) != 0))
				ok = false;
		}
		if (ok) {
			bufset_prepare(&b, c->cache_flush);
			if (run_workers(w, lcores, nb) < 0)
				ok = false;
		}
		for (i = 0; i < nb; i++)
			if (!is_cpu)
				rte_dma_stop(dev_ids[i]);

		for (i = 0; ok && i < nb; i++) {
			const char *who = is_cpu ? DP_CPU_NAME : c->workers[i].dev;

			if (bufset_verify(&b, i * per, per, who, c->id, scen + 1) < 0) {
				ok = false;
				break;
			}
			series_add(&s[i], &w[i], buf);
			memset(&st[i], 0, sizeof(st[i]));
			stats_common(&st[i], who, is_cpu, lcores[i], &b, per,
				ring, batch);
			series_stats(&s[i], &st[i]);
			if (!st[i].ok) {
				ok = false;
				break;
			}
			sum_gbps += st[i].gbps;
			sum_mops += st[i].mops;
			sum_cyc += s[i].cyc_op[0];
		}
		if (ok) {
			for (i = 0; i < nb; i++) {
				dp_output_row(scen + 1, &st[i]);
				dp_output_extra(c, scen + 1, NULL, &st[i]);
			}
			dp_output_table(c, st, nb, NULL);
			dp_output_summary(scen + 1, b.nr_buf,
				(double)b.buf_size * b.nr_buf * 2 / (1024 * 1024),
				sum_cyc / nb, sum_gbps, sum_mops);
			x[nb_pts] = buf;
			y[nb_pts++] = sum_gbps;
		} else {
			status = -1;
		}
		bufset_free(&b);
	}

	/* Plot only when the x axis (buffer size) is what varies. */
	if (nb_pts > 0 && (c->var_name == NULL ||
			strcmp(c->var_name, "buf_size") == 0)) {
		snprintf(title, sizeof(title), "case%u %s%s", c->id,
			is_cpu ? DP_CPU_NAME : c->workers[0].dev,
			nb > 1 ? " (+ more workers)" : "");
		dp_output_plot_series(title, x, y, nb_pts);
	}
	goto out;
nomem:
	printf("Error: out of memory\n");
	status = -1;
out:
	for (i = 0; w != NULL && i < nb; i++)
		ctx_free(&w[i]);
	for (i = 0; s != NULL && i < nb; i++)
		free(s[i].lat);
	free(w);
	free(s);
	return status;
}

/* ------------------------------------------------------------------ */
/* compare case: contenders interleaved round by round on one lcore    */

static int
run_compare(struct dp_case *c, bool skip_missing)
{
	const unsigned int nc = c->nb_contenders;
	const unsigned int lcore = c->compare_lcore;
	struct dp_stats *all;		/* [scenario][contender] */
	struct series s[DP_MAX_CONTENDERS];
	struct worker_ctx w;
	unsigned int scen, nb_scen, r, k, i;
	const char *base = c->contenders[c->baseline].name;
	unsigned int blocks = 0;
	int status = 0;

	nb_scen = RTE_MAX(RTE_MAX(c->mem_size.nb, c->buf_size.nb),
		RTE_MAX(c->ring_size.nb, c->kick_batch.nb));
	all = calloc((size_t)nb_scen * nc, sizeof(*all));
	memset(s, 0, sizeof(s));
	if (all == NULL || ctx_init(&w, c) < 0) {
		free(all);
		printf("Error: out of memory\n");
		return -1;
	}
	for (i = 0; i < nc; i++) {
		struct dp_contender *ct = &c->contenders[i];

		if (series_init(&s[i], c->rounds) < 0) {
			status = -1;
			goto out;
		}
		if (ct->is_cpu)
			continue;
		ct->dev_id = resolve_dev(ct->name, skip_missing);
		if (ct->dev_id >= 0)
			continue;
		if (!skip_missing) {
			status = -1;
			goto out;
		}
		printf("Warning: contender '%s' not available, skipped (--skip-missing)\n",
			ct->name);
		ct->skipped = true;
	}
	if (c->contenders[c->baseline].skipped) {
		for (i = 0; i < nc && c->contenders[i].skipped; i++)
			;
		if (i == nc) {
			printf("Error: no contender available\n");
			status = -1;
			goto out;
		}
		c->baseline = i;
		base = c->contenders[i].name;
		printf("Warning: baseline missing, ratios are relative to '%s'\n",
			base);
	}

	for (scen = 0; scen < nb_scen; scen++) {
		uint32_t mem = c->mem_size.val[RTE_MIN(scen, c->mem_size.nb - 1)];
		uint32_t buf = c->buf_size.val[RTE_MIN(scen, c->buf_size.nb - 1)];
		uint32_t ring = c->ring_size.val[RTE_MIN(scen, c->ring_size.nb - 1)];
		uint32_t batch = c->kick_batch.val[RTE_MIN(scen, c->kick_batch.nb - 1)];
		struct dp_stats *row = &all[(size_t)scen * nc];
		struct bufset b;

		printf("\nCase %u scenario %u: buf_size %" PRIu32 " B, mem_size %"
			PRIu32 " MiB, ring %" PRIu32 ", batch %" PRIu32
			", %u rounds x %u ms\n", c->id, scen + 1, buf, mem, ring,
			batch, c->rounds, c->round_ms);
		if (bufset_alloc(&b, c, mem, buf, 1) < 0) {
			status = -1;
			continue;
		}
		for (i = 0; i < nc; i++) {
			struct dp_contender *ct = &c->contenders[i];

			s[i].nb = 0;
			s[i].lat_nb = 0;
			s[i].failed = false;
			if (!ct->is_cpu && !ct->skipped &&
					dev_configure(ct->dev_id, ring) < 0)
				s[i].failed = true;
		}

		/* Rotate who goes first so no contender always follows the
		 * same neighbour (cache and frequency after-effects).
		 */
		for (r = 0; r < c->rounds; r++) {
			for (k = 0; k < nc; k++) {
				struct dp_contender *ct;

				i = (r + k) % nc;
				ct = &c->contenders[i];
				if (ct->skipped || s[i].failed)
					continue;
				ctx_set(&w, c, &b, 0, b.nr_buf, batch, c->round_ms);
				w.is_cpu = ct->is_cpu;
				w.dev_id = ct->dev_id;
				bufset_prepare(&b, c->cache_flush);
				/* Only the contender under test runs: an idle
				 * engine thread of another software device
				 * would steal the core of this one.
				 */
				if (!ct->is_cpu && rte_dma_start(ct->dev_id) != 0) {
					printf("Error: cannot start %s\n", ct->name);
					s[i].failed = true;
					continue;
				}
				if (run_workers(&w, &lcore, 1) < 0)
					s[i].failed = true;
				if (!ct->is_cpu)
					rte_dma_stop(ct->dev_id);
				if (!s[i].failed && bufset_verify(&b, 0, b.nr_buf,
						ct->name, c->id, scen + 1) < 0)
					s[i].failed = true;
				if (!s[i].failed)
					series_add(&s[i], &w, buf);
				printf("  round %u %-16s %s\n", r + 1, ct->name,
					s[i].failed ? "FAILED" : "ok");
			}
		}

		for (i = 0; i < nc; i++) {
			if (c->contenders[i].skipped)
				continue;
			stats_common(&row[i], c->contenders[i].name,
				c->contenders[i].is_cpu, lcore, &b, b.nr_buf,
				ring, batch);
			series_stats(&s[i], &row[i]);
			if (!row[i].ok)
				status = -1;
		}
		for (i = 0; i < nc; i++) {
			const struct dp_stats *bs = &row[c->baseline];

			if (row[i].ok && bs->ok && bs->gbps > 0)
				row[i].ratio = row[i].gbps / bs->gbps;
			if (!c->contenders[i].skipped)
				dp_output_extra(c, scen + 1, base, &row[i]);
		}
		dp_output_table(c, row, nc, base);
		bufset_free(&b);
	}

	/*
	 * dpdk-test-dma-perf layout: one block per contender, as if each
	 * had been its own case, so existing CSV readers keep working.
	 */
	for (i = 0; i < nc; i++) {
		uint32_t x[DP_MAX_VALUES];
		double y[DP_MAX_VALUES];
		unsigned int nb_pts = 0;
		char title[DP_NAME_LEN + 16];

		if (c->contenders[i].skipped)
			continue;
		if (blocks++ > 0)
			dp_output_line(",,,,,,,,\n");
		dp_output_header(c->id, c->contenders[i].is_cpu);
		for (scen = 0; scen < nb_scen; scen++) {
			const struct dp_stats *st = &all[(size_t)scen * nc + i];

			if (!st->ok)
				continue;
			dp_output_row(scen + 1, st);
			dp_output_summary(scen + 1, st->nr_buf, st->memory_mb,
				st->avg_cycles, st->gbps, st->mops);
			x[nb_pts] = st->buf_size;
			y[nb_pts++] = st->gbps;
		}
		if (nb_pts > 0 && (c->var_name == NULL ||
				strcmp(c->var_name, "buf_size") == 0)) {
			snprintf(title, sizeof(title), "case%u %s", c->id,
				c->contenders[i].name);
			dp_output_plot_series(title, x, y, nb_pts);
		}
	}
out:
	for (i = 0; i < nc; i++)
		free(s[i].lat);
	ctx_free(&w);
	free(all);
	return status;
}

/* ------------------------------------------------------------------ */

static int
check_lcore(unsigned int lcore)
{
	if (lcore >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lcore) ||
			lcore == rte_get_main_lcore()) {
		printf("Error: lcore %u is not an EAL worker lcore (main is %u; check -l in eal_args)\n",
			lcore, rte_get_main_lcore());
		return -1;
	}
	return 0;
}

int
dp_run_case(struct dp_case *c, bool skip_missing)
{
	unsigned int i;

	hz = rte_get_tsc_hz();
	/* CPU-only cases need no device, even if [GLOBAL] lists some. */
	for (i = 0; i < c->nb_contenders && c->contenders[i].is_cpu; i++)
		;
	if (c->vdevs[0] != '\0' &&
			(c->compare ? i < c->nb_contenders :
			 c->type == DP_TYPE_DMA_MEM_COPY) &&
			create_vdevs(c->vdevs, skip_missing) < 0)
		return -1;
	if (c->compare) {
		if (check_lcore(c->compare_lcore) < 0)
			return -1;
		return run_compare(c, skip_missing);
	}
	for (i = 0; i < c->nb_workers; i++)
		if (check_lcore(c->workers[i].lcore) < 0)
			return -1;
	return run_classic(c);
}
