/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The two loops of a victim round (victim.h): the victim polling the TSC
 * on its lcore, the feeder trickling single copies on the calling one.
 */

#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_pause.h>

#include "victim.h"
#include "worker.h"

/*
 * Between the launch and the window: room for the victim to wake up and
 * read /proc/interrupts, and for an engine started just before the round
 * to fall idle, so that neither lands in the window.
 */
#define START_DELAY_US		5000
#define COPY_TIMEOUT_S		2

static int
victim_loop(void *arg)
{
	struct dp_victim_run *v = arg;
	const uint64_t end = v->t_end, thr = v->stall_cyc;
	uint64_t prev, now, gap, stalls = 0, stalled = 0, max_gap = 0;
	struct dp_irqs before, after;
	unsigned int k;

	v->irqs_ok = dp_irqs_read(v->cpu, &before) == 0;
	__atomic_store_n(&v->ready, 1, __ATOMIC_RELEASE);
	while (rte_rdtsc() < v->t_start)
		rte_pause();

	/* Nothing but the clock: a gap is time this core was not ours. */
	prev = rte_rdtsc();
	v->t_begin = prev;
	do {
		now = rte_rdtsc();
		gap = now - prev;
		if (unlikely(gap > thr)) {
			stalls++;
			stalled += gap;
			max_gap = RTE_MAX(max_gap, gap);
		}
		prev = now;
	} while (now < end);

	v->irqs_ok &= dp_irqs_read(v->cpu, &after) == 0;
	for (k = 0; k < DP_IRQ_KINDS; k++)
		v->irqs.n[k] = after.n[k] - before.n[k];
	v->stalls = stalls;
	v->stalled_cyc = stalled;
	v->max_gap = max_gap;
	return 0;
}

static int __rte_format_printf(2, 3)
feed_fail(struct dp_feeder *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->err, sizeof(f->err), fmt, ap);
	va_end(ap);
	f->ok = false;
	return -1;
}

/*
 * Copy the buffer at off through the device and wait for it. The wait yields: the
 * engine's thread may share this CPU, and must get it to do the copy.
 */
static int
feed_dma(struct dp_feeder *f, uint64_t off)
{
	const struct dp_bufset *b = f->b;
	const uint64_t deadline = rte_rdtsc() +
		COPY_TIMEOUT_S * rte_get_tsc_hz();
	uint16_t last;
	bool err = false;
	int ret;

	ret = rte_dma_copy(f->dev_id, 0, b->src_mz->iova + off,
		b->dst_mz->iova + off, b->buf_size, RTE_DMA_OP_FLAG_SUBMIT);
	if (ret < 0)
		return feed_fail(f, "copy %" PRIu64 ": rte_dma_copy failed: %d",
			f->copies, ret);
	while (rte_dma_completed(f->dev_id, 0, 1, &last, &err) == 0) {
		if (err)
			break;
		if (rte_rdtsc() > deadline)
			return feed_fail(f, "copy %" PRIu64 " not done after %d s",
				f->copies, COPY_TIMEOUT_S);
		sched_yield();
	}
	if (err)
		return feed_fail(f, "copy %" PRIu64 " completed with an error",
			f->copies);
	return 0;
}

/* One copy of the trickle, timed and checked; none for DP_FEED_NONE. */
static int
feed_one(struct dp_feeder *f, uint32_t idx)
{
	const struct dp_bufset *b = f->b;
	const uint64_t off = (uint64_t)idx * b->stride;
	const uint8_t *src = (const uint8_t *)b->src_mz->addr + off;
	uint8_t *dst = (uint8_t *)b->dst_mz->addr + off;
	uint64_t t0 = rte_rdtsc(), cyc;

	if (f->how == DP_FEED_NONE)
		return 0;
	if (f->how == DP_FEED_CPU)
		rte_memcpy(dst, src, b->buf_size);
	else if (feed_dma(f, off) < 0)
		return -1;
	cyc = rte_rdtsc() - t0;
	if (memcmp(dst, src, b->buf_size) != 0)
		return feed_fail(f, "copy %" PRIu64 " (buffer %" PRIu32 ") does not match its source",
			f->copies, idx);
	if (f->lat_nb < DP_FEED_LAT_CAP)
		f->lat[f->lat_nb++] = cyc > UINT32_MAX ? UINT32_MAX : cyc;
	f->copies++;
	return 0;
}

/*
 * The trickle, from the window's start or, if the victim was late to
 * read its counts, from then: no copy before the counts. Sleeps while it
 * waits: the engine may need this CPU.
 */
static int
feeder_loop(struct dp_feeder *f, const struct dp_victim_run *v)
{
	uint32_t idx = 0;

	while (!__atomic_load_n(&v->ready, __ATOMIC_ACQUIRE))
		rte_delay_us_sleep(100);
	while (rte_rdtsc() < f->t_start)
		rte_delay_us_sleep(100);
	/* At least one copy, even if this lcore lost its CPU past the end. */
	do {
		if (feed_one(f, idx) < 0)
			return -1;
		if (++idx == f->b->nr_buf)
			idx = 0;
		if (f->gap_us > 0)
			rte_delay_us_sleep(f->gap_us);
	} while (rte_rdtsc() < f->t_end);
	f->ok = true;
	return 0;
}

int
dp_feeder_init(struct dp_feeder *f)
{
	memset(f, 0, sizeof(*f));
	f->lat = rte_malloc(NULL, DP_FEED_LAT_CAP * sizeof(*f->lat), 0);
	if (f->lat == NULL) {
		printf("Error: out of memory\n");
		return -1;
	}
	return 0;
}

void
dp_feeder_free(struct dp_feeder *f)
{
	rte_free(f->lat);
	f->lat = NULL;
}

int
dp_victim_round(struct dp_victim_run *v, struct dp_feeder *f,
	unsigned int victim_lcore, uint32_t stall_us, uint64_t run_ms)
{
	const uint64_t hz = rte_get_tsc_hz();
	int ret = 0;

	memset(v, 0, sizeof(*v));
	v->cpu = dp_lcore_cpu(victim_lcore);
	v->stall_cyc = hz * stall_us / 1000000;
	v->t_start = rte_rdtsc() + hz * START_DELAY_US / 1000000;
	v->t_end = v->t_start + hz * run_ms / 1000;
	f->t_start = v->t_start;
	f->t_end = v->t_end;
	f->copies = 0;
	f->lat_nb = 0;
	f->ok = false;
	f->err[0] = '\0';

	if (rte_eal_remote_launch(victim_loop, v, victim_lcore) != 0) {
		printf("Error: cannot launch the victim on lcore %u\n",
			victim_lcore);
		return -1;
	}
	if (feeder_loop(f, v) < 0) {
		printf("Error: feeder: %s\n", f->err);
		ret = -1;
	}
	if (rte_eal_wait_lcore(victim_lcore) != 0)
		ret = -1;
	if (v->t_begin >= v->t_end) {
		printf("Error: the victim lcore %u did not run before the end of its window\n",
			victim_lcore);
		ret = -1;
	}
	if (!v->irqs_ok) {
		printf("Error: cannot read the interrupts of CPU %u from /proc/interrupts\n",
			v->cpu);
		ret = -1;
	}
	return ret;
}
