/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Medians over rounds, latency percentiles, cycles per op and ratios.
 * Medians and not means: one round disturbed by a neighbour on a shared
 * machine moves a mean, not a median.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_string_fns.h>

#include "stats.h"

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

/* The smallest and largest of n values. */
static void
extremes(const double *v, uint32_t n, double *lo, double *hi)
{
	uint32_t i;

	*lo = *hi = v[0];
	for (i = 1; i < n; i++) {
		*lo = RTE_MIN(*lo, v[i]);
		*hi = RTE_MAX(*hi, v[i]);
	}
}

/* The pct-th percentile of n sorted samples, in nanoseconds. */
static double
percentile_ns(const uint32_t *sorted, uint64_t n, unsigned int pct,
	uint64_t hz)
{
	return sorted[(n - 1) * pct / 100] * 1e9 / hz;
}

int
dp_series_init(struct dp_series *s, uint32_t rounds)
{
	memset(s, 0, sizeof(*s));
	s->lat_cap = (uint64_t)DP_LAT_CAP * rounds;
	s->lat = malloc(s->lat_cap * sizeof(*s->lat));
	return s->lat == NULL ? -1 : 0;
}

void
dp_series_free(struct dp_series *s)
{
	free(s->lat);
	s->lat = NULL;
}

void
dp_series_reset(struct dp_series *s)
{
	s->nb = 0;
	s->lat_nb = 0;
	s->failed = false;
}

/*
 * Fairness of one run: the most completions of a fed dmadev over the
 * fewest, in the measured window; infinite if one completed nothing.
 */
static double
run_fairness(const struct dp_worker *w)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	unsigned int d;

	for (d = 0; d < w->nb_devs; d++) {
		lo = RTE_MIN(lo, w->res.dev_ops[d]);
		hi = RTE_MAX(hi, w->res.dev_ops[d]);
	}
	if (w->nb_devs == 0)
		return 0;
	return lo == 0 ? INFINITY : (double)hi / lo;
}

void
dp_series_add(struct dp_series *s, const struct dp_worker *w)
{
	const struct dp_run_result *r = &w->res;
	double secs = (double)r->win_cycles / rte_get_tsc_hz();
	uint32_t n;

	if (r->ops == 0 || secs <= 0) {
		printf("Error: no copy completed inside the measured window (%.1f ms)\n",
			secs * 1e3);
		s->failed = true;
		return;
	}
	if (s->nb == DP_MAX_VALUES)
		return;
	s->gbps[s->nb] = (double)r->ops * w->buf_size * 8 / secs / 1e9;
	s->mops[s->nb] = (double)r->ops / secs / 1e6;
	s->appc[s->nb] = (double)r->app_cycles / r->ops;
	s->cyc_op[s->nb] = (double)r->win_cycles / r->ops;
	s->fairness[s->nb] = run_fairness(w);
	s->nb++;
	n = RTE_MIN((uint64_t)w->lat_nb, s->lat_cap - s->lat_nb);
	memcpy(s->lat + s->lat_nb, w->lat, n * sizeof(*s->lat));
	s->lat_nb += n;
}

void
dp_stats_describe(struct dp_stats *st, const char *name, bool is_cpu,
	unsigned int lcore, unsigned int nb_devs, uint32_t nr_buf,
	const struct dp_scenario *sc)
{
	strlcpy(st->name, name, sizeof(st->name));
	st->is_cpu = is_cpu;
	st->lcore = lcore;
	st->nb_devs = nb_devs;
	st->buf_size = sc->buf_size;
	st->ring_size = sc->ring_size;
	st->kick_batch = sc->kick_batch;
	st->channels = sc->channels;
	st->src_sge = sc->src_sge;
	st->dst_sge = sc->dst_sge;
	st->nr_buf = nr_buf;
	st->memory_mb = dp_footprint_mb(sc->buf_size, nr_buf);
}

void
dp_stats_reduce(struct dp_stats *st, struct dp_series *s)
{
	const uint64_t hz = rte_get_tsc_hz();

	st->ok = !s->failed && s->nb > 0;
	st->rounds = s->nb;
	if (s->nb == 0)
		return;
	st->gbps = median(s->gbps, s->nb);
	st->mops = median(s->mops, s->nb);
	st->app_cyc_per_op = median(s->appc, s->nb);
	st->avg_cycles = median(s->cyc_op, s->nb);
	st->fairness = median(s->fairness, s->nb);
	extremes(s->gbps, s->nb, &st->gbps_min, &st->gbps_max);
	st->lat_samples = s->lat_nb;
	if (s->lat_nb > 0) {
		qsort(s->lat, s->lat_nb, sizeof(*s->lat), cmp_u32);
		st->lat_p50_ns = percentile_ns(s->lat, s->lat_nb, 50, hz);
		st->lat_p99_ns = percentile_ns(s->lat, s->lat_nb, 99, hz);
	}
}

/*
 * Each contender against the baseline: the median over rounds of its
 * rate over the baseline's in the same round. A round's contenders run
 * back to back, so a machine whose speed drifts (a VM on a busy host)
 * moves both sides of a round's ratio alike, while it moves medians taken
 * apart by whichever rounds it hit. Where either side lost rounds (a
 * failed run ends a series), median over median.
 */
void
dp_stats_ratios(struct dp_stats *st, const struct dp_series *s,
	unsigned int n, unsigned int baseline)
{
	const struct dp_series *bs = &s[baseline];
	double r[DP_MAX_VALUES];
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		if (!st[i].ok || !st[baseline].ok || st[baseline].gbps <= 0)
			continue;
		if (s[i].nb != bs->nb) {
			st[i].ratio = st[i].gbps / st[baseline].gbps;
			continue;
		}
		for (k = 0; k < bs->nb; k++)
			r[k] = s[i].gbps[k] / bs->gbps[k];
		st[i].ratio = median(r, bs->nb);
	}
}


/* ------------------------------------------------------------------ */
/* victim cases                                                        */

int
dp_victim_series_init(struct dp_victim_series *s, uint32_t rounds)
{
	memset(s, 0, sizeof(*s));
	s->lat_cap = (uint64_t)DP_FEED_LAT_CAP * rounds;
	s->lat = malloc(s->lat_cap * sizeof(*s->lat));
	return s->lat == NULL ? -1 : 0;
}

void
dp_victim_series_free(struct dp_victim_series *s)
{
	free(s->lat);
	s->lat = NULL;
}

void
dp_victim_series_reset(struct dp_victim_series *s)
{
	uint32_t *lat = s->lat;
	uint64_t cap = s->lat_cap;

	memset(s, 0, sizeof(*s));
	s->lat = lat;
	s->lat_cap = cap;
}

void
dp_victim_series_add(struct dp_victim_series *s, const struct dp_victim_run *v,
	const struct dp_feeder *f)
{
	const double hz = rte_get_tsc_hz();
	const double secs = (v->t_end - v->t_begin) / hz;
	unsigned int k;
	uint64_t n;

	if (s->nb == DP_MAX_VALUES)
		return;
	s->stalls_per_s[s->nb] = v->stalls / secs;
	s->stalled_pct[s->nb] = 100.0 * v->stalled_cyc / (v->t_end - v->t_begin);
	s->loc_per_s[s->nb] = v->irqs.n[DP_IRQ_LOC] / secs;
	s->nb++;
	s->max_gap = RTE_MAX(s->max_gap, v->max_gap);
	s->secs += secs;
	s->copies += f->copies;
	for (k = 0; k < DP_IRQ_KINDS; k++)
		s->irqs.n[k] += v->irqs.n[k];
	n = RTE_MIN((uint64_t)f->lat_nb, s->lat_cap - s->lat_nb);
	memcpy(s->lat + s->lat_nb, f->lat, n * sizeof(*s->lat));
	s->lat_nb += n;
}

void
dp_victim_stats_reduce(struct dp_victim_stats *st, struct dp_victim_series *s)
{
	const uint64_t hz = rte_get_tsc_hz();

	st->ok = !s->failed && s->nb > 0;
	st->rounds = s->nb;
	if (s->nb == 0)
		return;
	st->copies = s->copies;
	st->irqs = s->irqs;
	st->secs = s->secs;
	st->cal_per_copy = s->copies == 0 ? -1 :
		(double)s->irqs.n[DP_IRQ_CAL] / s->copies;
	st->ipi_per_copy = s->copies == 0 ? -1 :
		(double)dp_irqs_ipis(&s->irqs) / s->copies;
	st->ipi_per_s = dp_irqs_ipis(&s->irqs) / s->secs;
	st->stalls_per_s = median(s->stalls_per_s, s->nb);
	extremes(s->stalls_per_s, s->nb, &st->stalls_min, &st->stalls_max);
	st->stalled_pct = median(s->stalled_pct, s->nb);
	st->loc_per_s = median(s->loc_per_s, s->nb);
	st->max_stall_us = s->max_gap * 1e6 / hz;
	if (s->lat_nb > 0) {
		qsort(s->lat, s->lat_nb, sizeof(*s->lat), cmp_u32);
		st->lat_p50_us = percentile_ns(s->lat, s->lat_nb, 50, hz) / 1e3;
		st->lat_p99_us = percentile_ns(s->lat, s->lat_nb, 99, hz) / 1e3;
	}
}

void
dp_victim_stats_ratios(struct dp_victim_stats *st, unsigned int n,
	unsigned int baseline)
{
	const struct dp_victim_stats *bs = &st[baseline];
	unsigned int i;

	for (i = 0; i < n; i++)
		if (st[i].ok && bs->ok && bs->stalls_per_s > 0)
			st[i].ratio = st[i].stalls_per_s / bs->stalls_per_s;
}
