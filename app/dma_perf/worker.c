/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The per-lcore copy loops, dmadev and CPU, and their launch. Only the
 * worker lcore calls a device's fast-path functions.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_pause.h>

#include "worker.h"

#define WARMUP_US	10000	/* same settle time as dpdk-test-dma-perf */
#define START_DELAY_US	2000	/* lets all workers of a run start together */
#define DRAIN_TIMEOUT_S	2
#define MAX_CPL		256
#define PEND_SZ		4096	/* latency samples in flight, power of 2 */
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

/* An op whose latency is sampled: its ring index and enqueue time. */
struct dp_pend_sample {
	uint64_t tsc;
	uint16_t idx;
};

/*
 * Record one latency sample. When the buffer is full, keep every other
 * sample and halve the sampling rate: the kept samples stay spread over
 * the whole window instead of only covering its beginning.
 */
static inline void
lat_record(struct dp_worker *w, uint64_t cycles)
{
	uint32_t i;

	if (unlikely(w->lat_nb == DP_LAT_CAP)) {
		for (i = 0; i < DP_LAT_CAP / 2; i++)
			w->lat[i] = w->lat[2 * i];
		w->lat_nb = DP_LAT_CAP / 2;
		w->lat_mask = (w->lat_mask << 1) | 1;
	}
	w->lat[w->lat_nb++] = cycles > UINT32_MAX ? UINT32_MAX : (uint32_t)cycles;
}

static int
worker_fail(struct dp_worker *w, const char *what, int16_t dev, int ret)
{
	snprintf(w->err, sizeof(w->err), "%s on dmadev %d failed: %d (%s)",
		what, dev, ret, ret < 0 ? strerror(-ret) : "error status");
	w->res.ok = false;
	return -1;
}

/* Counters of a run; the window's figures are differences of two. */
struct run_counts {
	uint64_t ops;			/* completions, or CPU copies */
	uint64_t app;			/* cycles in the copy path */
	uint64_t passes;		/* passes over the whole slice */
};

/* One fed dmadev inside a run. */
struct dev_state {
	uint64_t enq;
	uint64_t done;
	uint64_t done_snap;		/* done when the window opened */
	uint32_t p_head;		/* latency samples in flight */
	uint32_t p_tail;
	struct dp_pend_sample *pend;
};

/*
 * Time windows are evaluated once per burst. The window lasts run_cyc
 * from the burst that opens it: a worker kept off its CPU past the end
 * of the warm-up still measures a whole window, not the sliver between
 * its next two bursts. Returns true when the run is over: the window has
 * passed and every buffer has been copied at least once (so that the
 * whole destination can be verified).
 */
static inline bool
advance_phase(struct dp_worker *w, enum phase *ph, uint64_t now,
	const struct run_counts *cur, struct run_counts *snap, uint64_t *snap_t,
	struct dev_state *dev, unsigned int nb_devs)
{
	unsigned int d;

	if (*ph == PH_WARMUP && now >= w->t_start + w->warm_cyc) {
		*ph = PH_MEASURE;
		*snap_t = now;
		*snap = *cur;
		for (d = 0; d < nb_devs; d++)
			dev[d].done_snap = dev[d].done;
	} else if (*ph == PH_MEASURE && now >= *snap_t + w->run_cyc) {
		*ph = PH_TAIL;
		w->res.win_cycles = now - *snap_t;
		w->res.ops = cur->ops - snap->ops;
		w->res.app_cycles = cur->app - snap->app;
		for (d = 0; d < nb_devs; d++)
			w->res.dev_ops[d] = dev[d].done - dev[d].done_snap;
	}
	return *ph == PH_TAIL && cur->passes > 0;
}

/*
 * What the enqueue loop needs of the worker, copied into a local: the
 * loop calls into the driver for every op, and the compiler keeps a
 * local's fields in registers across those calls, not a pointer's.
 */
struct copy_plan {
	rte_iova_t src_iova;
	rte_iova_t dst_iova;
	uint64_t stride;
	uint32_t len;
	uint16_t src_sge;
	uint16_t dst_sge;
	struct rte_dma_sge *src_list;
	struct rte_dma_sge *dst_list;
};

static inline struct copy_plan
copy_plan(const struct dp_worker *w)
{
	return (struct copy_plan){
		.src_iova = w->src_iova, .dst_iova = w->dst_iova,
		.stride = w->stride, .len = w->buf_size,
		.src_sge = w->src_sge, .dst_sge = w->dst_sge,
		.src_list = w->src_list, .dst_list = w->dst_list,
	};
}

/* Enqueue copy number idx of the slice (its buffer, or its segments). */
static __rte_always_inline int
enqueue_copy(const struct copy_plan *p, int16_t dev, uint32_t idx, bool sg)
{
	const uint64_t off = idx * p->stride;

	if (sg)
		return rte_dma_copy_sg(dev, 0,
			p->src_list + (size_t)idx * p->src_sge,
			p->dst_list + (size_t)idx * p->dst_sge,
			p->src_sge, p->dst_sge, 0);
	return rte_dma_copy(dev, 0, p->src_iova + off, p->dst_iova + off,
		p->len, 0);
}

/* Wait, bounded, until every dmadev has completed what it was given. */
static int
drain(struct dp_worker *w, struct dev_state *dev, unsigned int nb_devs)
{
	uint64_t deadline = rte_rdtsc() + DRAIN_TIMEOUT_S * rte_get_tsc_hz();
	unsigned int d;
	uint16_t last, cpl;
	bool err = false;

	for (d = 0; d < nb_devs; d++) {
		while (dev[d].done < dev[d].enq) {
			cpl = rte_dma_completed(w->dev_ids[d], 0, MAX_CPL,
				&last, &err);
			if (unlikely(err))
				return worker_fail(w, "rte_dma_completed",
					w->dev_ids[d], 1);
			dev[d].done += cpl;
			if (cpl == 0 && rte_rdtsc() > deadline) {
				snprintf(w->err, sizeof(w->err),
					"dmadev %d stalled: %" PRIu64 " of %" PRIu64
					" copies never completed", w->dev_ids[d],
					dev[d].enq - dev[d].done, dev[d].enq);
				return -1;
			}
		}
	}
	w->res.ok = true;
	return 0;
}

static __rte_always_inline int
worker_dma(struct dp_worker *w, const bool sg)
{
	const unsigned int nb_devs = w->nb_devs;
	const uint32_t nr_copy = w->nr_copy;
	const uint16_t batch = w->batch;
	const struct copy_plan plan = copy_plan(w);
	struct dev_state dev[DP_MAX_CHANNELS];
	struct run_counts cnt = { 0 }, snap = { 0 };
	uint64_t enq = 0, snap_t = 0;
	enum phase ph = PH_WARMUP;
	uint32_t idx = 0;
	unsigned int d;
	uint16_t last, cpl, n;
	bool err = false;
	int ret;

	memset(dev, 0, sizeof(dev[0]) * nb_devs);
	for (d = 0; d < nb_devs; d++)
		dev[d].pend = w->pend + (size_t)d * PEND_SZ;

	while (rte_rdtsc() < w->t_start)
		rte_pause();

	for (d = 0; ; d = d + 1 == nb_devs ? 0 : d + 1) {
		const int16_t id = w->dev_ids[d];
		struct dev_state *ds = &dev[d];
		uint64_t t0 = rte_rdtsc(), t1, t2;

		if (advance_phase(w, &ph, t0, &cnt, &snap, &snap_t, dev,
				nb_devs))
			break;

		for (n = 0; n < batch; n++) {
			ret = enqueue_copy(&plan, id, idx, sg);
			if (unlikely(ret < 0)) {
				if (ret == -ENOSPC)
					break;
				return worker_fail(w, sg ? "rte_dma_copy_sg" :
					"rte_dma_copy", id, ret);
			}
			/* One timestamp per burst is enough: the burst is
			 * enqueued within a few hundred cycles.
			 */
			if (ph == PH_MEASURE && (enq & w->lat_mask) == 0 &&
					ds->p_tail - ds->p_head < PEND_SZ) {
				ds->pend[ds->p_tail & (PEND_SZ - 1)].idx = (uint16_t)ret;
				ds->pend[ds->p_tail & (PEND_SZ - 1)].tsc = t0;
				ds->p_tail++;
			}
			enq++;
			if (++idx == nr_copy) {
				idx = 0;
				cnt.passes++;
			}
		}
		ds->enq += n;
		if (n > 0) {
			ret = rte_dma_submit(id, 0);
			if (unlikely(ret < 0))
				return worker_fail(w, "rte_dma_submit", id, ret);
		}
		t1 = rte_rdtsc();
		/* A burst refused with -ENOSPC is idle polling of a full
		 * ring, not work: it is not charged.
		 */
		if (n > 0)
			cnt.app += t1 - t0;

		cpl = rte_dma_completed(id, 0, MAX_CPL, &last, &err);
		if (unlikely(err))
			return worker_fail(w, "rte_dma_completed", id, 1);
		if (cpl == 0)
			continue;	/* empty polls are not charged: see README */
		t2 = rte_rdtsc();
		cnt.app += t2 - t1;
		cnt.ops += cpl;
		ds->done += cpl;
		/* Completions are in order: retire the sampled jobs whose
		 * ring index falls in (last - cpl, last].
		 */
		while (ds->p_head != ds->p_tail &&
				(uint16_t)(last - ds->pend[ds->p_head & (PEND_SZ - 1)].idx) < cpl) {
			lat_record(w, t2 - ds->pend[ds->p_head & (PEND_SZ - 1)].tsc);
			ds->p_head++;
		}
	}

	/* Everything was submitted; wait for the devices to finish so the
	 * destination can be verified.
	 */
	return drain(w, dev, nb_devs);
}

static int
worker_dma_plain(void *arg)
{
	return worker_dma(arg, false);
}

static int
worker_dma_sg(void *arg)
{
	return worker_dma(arg, true);
}

/*
 * The CPU's scatter-gather copy: the same segments as the DMA one, run
 * by run where a source and a destination segment both go on.
 */
static __rte_always_inline void
cpu_copy_sg(const struct dp_worker *w, uint32_t idx)
{
	const struct rte_dma_sge *s = w->src_list + (size_t)idx * w->src_sge;
	const struct rte_dma_sge *d = w->dst_list + (size_t)idx * w->dst_sge;
	uint32_t si = 0, di = 0, s_off = 0, d_off = 0;

	while (si < w->src_sge) {
		uint32_t n = RTE_MIN(s[si].length - s_off, d[di].length - d_off);

		rte_memcpy(w->dst + (d[di].addr - w->dst_iova) + d_off,
			w->src + (s[si].addr - w->src_iova) + s_off, n);
		s_off += n;
		d_off += n;
		if (s_off == s[si].length) {
			si++;
			s_off = 0;
		}
		if (d_off == d[di].length) {
			di++;
			d_off = 0;
		}
	}
}

static __rte_always_inline void
cpu_copy(const struct dp_worker *w, uint32_t idx, bool sg)
{
	const uint64_t off = (uint64_t)idx * w->stride;

	if (sg)
		cpu_copy_sg(w, idx);
	else
		rte_memcpy(w->dst + off, w->src + off, w->buf_size);
}

static __rte_always_inline int
worker_cpu(struct dp_worker *w, const bool sg)
{
	const uint32_t nr_copy = w->nr_copy;
	struct run_counts cnt = { 0 }, snap = { 0 };
	enum phase ph = PH_WARMUP;
	uint64_t snap_t = 0;
	uint32_t idx = 0;
	uint16_t n;

	while (rte_rdtsc() < w->t_start)
		rte_pause();

	for (;;) {
		uint64_t t0 = rte_rdtsc();

		if (advance_phase(w, &ph, t0, &cnt, &snap, &snap_t, NULL, 0))
			break;

		for (n = 0; n < CPU_BURST; n++) {
			if (ph == PH_MEASURE && (cnt.ops & w->lat_mask) == 0) {
				uint64_t ts = rte_rdtsc();

				cpu_copy(w, idx, sg);
				lat_record(w, rte_rdtsc() - ts);
			} else {
				cpu_copy(w, idx, sg);
			}
			cnt.ops++;
			if (++idx == nr_copy) {
				idx = 0;
				cnt.passes++;
			}
		}
		cnt.app += rte_rdtsc() - t0;
	}
	w->res.ok = true;
	return 0;
}

static int
worker_cpu_plain(void *arg)
{
	return worker_cpu(arg, false);
}

static int
worker_cpu_sg(void *arg)
{
	return worker_cpu(arg, true);
}

/* The copy loop of a worker: the one place that picks it. */
static lcore_function_t *
worker_loop(const struct dp_worker *w)
{
	if (w->is_cpu)
		return w->src_sge > 0 ? worker_cpu_sg : worker_cpu_plain;
	return w->src_sge > 0 ? worker_dma_sg : worker_dma_plain;
}

int
dp_worker_init(struct dp_worker *w, uint32_t lat_sample)
{
	memset(w, 0, sizeof(*w));
	w->lat = rte_malloc(NULL, DP_LAT_CAP * sizeof(*w->lat), 0);
	w->lat_sample = lat_sample;
	w->lat_mask = lat_sample - 1;
	if (w->lat == NULL) {
		printf("Error: out of memory\n");
		return -1;
	}
	return 0;
}

void
dp_worker_use_cpu(struct dp_worker *w)
{
	w->is_cpu = true;
	w->nb_devs = 0;
}

int
dp_worker_use_devs(struct dp_worker *w, const int16_t *ids, unsigned int nb)
{
	if (nb == 0 || nb > RTE_DIM(w->dev_ids)) {
		printf("Error: a worker feeds 1 to %u dmadevs, not %u\n",
			(unsigned int)RTE_DIM(w->dev_ids), nb);
		return -1;
	}
	if (nb > w->pend_devs) {
		rte_free(w->pend);
		w->pend = rte_malloc(NULL, (size_t)nb * PEND_SZ *
			sizeof(*w->pend), 0);
		w->pend_devs = w->pend != NULL ? nb : 0;
		if (w->pend == NULL) {
			printf("Error: out of memory\n");
			return -1;
		}
	}
	w->is_cpu = false;
	w->nb_devs = nb;
	memcpy(w->dev_ids, ids, nb * sizeof(*ids));
	return 0;
}

void
dp_worker_free(struct dp_worker *w)
{
	rte_free(w->lat);
	rte_free(w->pend);
}

void
dp_worker_set(struct dp_worker *w, const struct dp_bufset *b, uint32_t first,
	uint32_t count, uint32_t batch, uint64_t run_ms)
{
	const uint64_t off = (uint64_t)first * b->stride;
	const uint64_t hz = rte_get_tsc_hz();

	w->src = (uint8_t *)b->src_mz->addr + off;
	w->dst = (uint8_t *)b->dst_mz->addr + off;
	w->src_iova = b->src_mz->iova + off;
	w->dst_iova = b->dst_mz->iova + off;
	w->nr_buf = count;
	w->stride = b->stride;
	w->buf_size = b->buf_size;
	w->src_sge = (uint16_t)b->src_sge;
	w->dst_sge = (uint16_t)b->dst_sge;
	w->nr_copy = dp_bufset_copies(b, count);
	w->src_list = NULL;
	w->dst_list = NULL;
	if (b->src_sge > 0) {
		const size_t copy0 = first / dp_bufset_span(b);

		w->src_list = b->src_list + copy0 * b->src_sge;
		w->dst_list = b->dst_list + copy0 * b->dst_sge;
	}
	w->batch = (uint16_t)batch;
	w->warm_cyc = hz * WARMUP_US / 1000000;
	w->run_cyc = hz * run_ms / 1000;
	/* lat_record() widens the mask during a run */
	w->lat_mask = w->lat_sample - 1;
	w->lat_nb = 0;
	memset(&w->res, 0, sizeof(w->res));
	w->err[0] = '\0';
}

int
dp_worker_check_lcore(unsigned int lcore)
{
	if (lcore >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lcore) ||
			lcore == rte_get_main_lcore()) {
		printf("Error: lcore %u is not an EAL worker lcore (main is %u; check -l in eal_args)\n",
			lcore, rte_get_main_lcore());
		return -1;
	}
	return 0;
}

unsigned int
dp_lcore_cpu(unsigned int lcore)
{
	rte_cpuset_t set = rte_lcore_cpuset(lcore);
	unsigned int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return 0;
}

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

int
dp_workers_run(struct dp_worker *w, const unsigned int *lcores, unsigned int n)
{
	uint64_t start = rte_rdtsc() + rte_get_tsc_hz() * START_DELAY_US / 1000000;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		w[i].t_start = start;
		if (rte_eal_remote_launch(worker_loop(&w[i]), &w[i],
				lcores[i]) != 0) {
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
