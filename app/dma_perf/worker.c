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
worker_fail(struct dp_worker *w, const char *what, int ret)
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
advance_phase(struct dp_worker *w, enum phase *ph, uint64_t now,
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
	struct dp_worker *w = arg;
	const int16_t dev = w->dev_id;
	const uint32_t nr_buf = w->nr_buf;
	const uint32_t len = w->buf_size;
	const uint16_t batch = w->batch;
	const uint64_t stride = w->stride;
	struct dp_pend_sample *pend = w->pend;
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
	struct dp_worker *w = arg;
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

/* The copy loop of a worker: the one place that picks it. */
static lcore_function_t *
worker_loop(const struct dp_worker *w)
{
	return w->is_cpu ? worker_cpu : worker_dma;
}

int
dp_worker_init(struct dp_worker *w, uint32_t lat_sample)
{
	memset(w, 0, sizeof(*w));
	w->lat = rte_malloc(NULL, DP_LAT_CAP * sizeof(*w->lat), 0);
	w->pend = rte_malloc(NULL, PEND_SZ * sizeof(*w->pend), 0);
	w->lat_sample = lat_sample;
	w->lat_mask = lat_sample - 1;
	w->dev_id = -1;
	if (w->lat == NULL || w->pend == NULL) {
		printf("Error: out of memory\n");
		return -1;
	}
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
