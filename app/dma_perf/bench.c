/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * One case inside the EAL: its devices created and its lcores checked,
 * then every scenario run in one of two ways.
 *
 * Classic (dpdk-test-dma-perf): all workers at once, each on its own
 * lcore with its own device and its own slice of the buffers, one run
 * per scenario.
 *
 * Compare: the contenders take turns on one lcore over the whole buffer
 * set, round by round; only the one under test has its devices started.
 * A contender is the CPU, one dmadev, or a set of dmadevs made from a
 * vdev template for each scenario, which the lcore feeds round-robin.
 *
 * Victim (compare with victim=1): the same rounds, but the main lcore
 * trickles single copies to each contender in turn while the compare
 * lcore, the victim, polls the clock and counts what takes its core.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_dmadev.h>
#include <rte_lcore.h>
#include <rte_string_fns.h>

#include "buffers.h"
#include "devices.h"
#include "dma_perf.h"
#include "output.h"
#include "stats.h"
#include "victim.h"
#include "worker.h"

/* Throughput against the scenario parameter that varies (or buf_size):
 * the median and the extremes over the rounds. */
struct plot_points {
	struct dp_plot_point pt[DP_MAX_VALUES];
	unsigned int n;
};

static void
plot_add(struct plot_points *p, const struct dp_case *c,
	const struct dp_scenario *sc, double gbps, double min, double max)
{
	struct dp_plot_point *pt = &p->pt[p->n++];

	pt->x = dp_case_plot_x(c, sc);
	pt->y = gbps;
	pt->min = min;
	pt->max = max;
}

static void
plot_emit(const struct dp_case *c, const char *title,
	const struct plot_points *p)
{
	if (p->n > 0)
		dp_output_plot_series(c->id, dp_case_plot_key(c), title, p->pt,
			p->n);
}

/* ------------------------------------------------------------------ */
/* classic case: every worker at once, one run per scenario            */

struct classic {
	const struct dp_case *c;
	bool is_cpu;
	unsigned int nb;		/* workers */
	unsigned int lcores[DP_MAX_WORKERS];
	int16_t dev_ids[DP_MAX_WORKERS];
	struct dp_worker *w;
	struct dp_series *s;
	struct dp_stats st[DP_MAX_WORKERS];
	struct plot_points plot;
};

static const char *
classic_who(const struct classic *cl, unsigned int i)
{
	return cl->is_cpu ? DP_CPU_NAME : cl->c->workers[i].dev;
}

static void
classic_free(struct classic *cl)
{
	unsigned int i;

	for (i = 0; cl->w != NULL && i < cl->nb; i++)
		dp_worker_free(&cl->w[i]);
	for (i = 0; cl->s != NULL && i < cl->nb; i++)
		dp_series_free(&cl->s[i]);
	free(cl->w);
	free(cl->s);
}

static int
classic_init(struct classic *cl, const struct dp_case *c)
{
	unsigned int i;

	memset(cl, 0, sizeof(*cl));
	cl->c = c;
	cl->is_cpu = c->type == DP_TYPE_CPU_MEM_COPY;
	cl->nb = c->nb_workers;
	cl->w = calloc(cl->nb, sizeof(*cl->w));
	cl->s = calloc(cl->nb, sizeof(*cl->s));
	if (cl->w == NULL || cl->s == NULL)
		goto nomem;
	for (i = 0; i < cl->nb; i++) {
		cl->lcores[i] = c->workers[i].lcore;
		if (dp_worker_init(&cl->w[i], c->lat_sample) < 0 ||
				dp_series_init(&cl->s[i], 1) < 0)
			goto nomem;
		cl->dev_ids[i] = -1;
		if (cl->is_cpu) {
			dp_worker_use_cpu(&cl->w[i]);
			continue;
		}
		cl->dev_ids[i] = dp_dev_resolve(c->workers[i].dev, false);
		if (cl->dev_ids[i] < 0 ||
				dp_worker_use_devs(&cl->w[i], &cl->dev_ids[i], 1) < 0)
			return -1;
	}
	return 0;
nomem:
	printf("Error: out of memory\n");
	return -1;
}

/* Configure and start every worker's device; all are tried. */
static bool
classic_start(struct classic *cl, const struct dp_scenario *sc)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; !cl->is_cpu && i < cl->nb; i++)
		if (dp_dev_configure(cl->dev_ids[i], sc) < 0 ||
				dp_dev_start(cl->dev_ids[i]) < 0)
			ok = false;
	return ok;
}

static void
classic_stop(struct classic *cl)
{
	unsigned int i;

	for (i = 0; !cl->is_cpu && i < cl->nb; i++)
		dp_dev_stop(cl->dev_ids[i]);
}

/* Verify each worker's slice and reduce its run into cl->st[]. */
static bool
classic_collect(struct classic *cl, const struct dp_bufset *b, uint32_t per,
	const struct dp_scenario *sc)
{
	unsigned int i;

	for (i = 0; i < cl->nb; i++) {
		struct dp_stats *st = &cl->st[i];

		if (dp_bufset_verify(b, i * per, per, classic_who(cl, i),
				cl->c->id, sc->num) < 0)
			return false;
		dp_series_add(&cl->s[i], &cl->w[i]);
		memset(st, 0, sizeof(*st));
		dp_stats_describe(st, classic_who(cl, i), cl->is_cpu,
			cl->lcores[i], cl->w[i].nb_devs, per, sc);
		dp_stats_reduce(st, &cl->s[i]);
		if (!st->ok)
			return false;
	}
	return true;
}

/* One row per worker, then the summary: the sums over the workers. */
static void
classic_report(struct classic *cl, const struct dp_bufset *b,
	const struct dp_scenario *sc)
{
	double gbps = 0, lo = 0, hi = 0, mops = 0, cycles = 0;
	unsigned int i;

	for (i = 0; i < cl->nb; i++) {
		dp_output_row(sc->num, &cl->st[i]);
		dp_output_extra(cl->c, sc->num, NULL, &cl->st[i]);
		gbps += cl->st[i].gbps;
		lo += cl->st[i].gbps_min;
		hi += cl->st[i].gbps_max;
		mops += cl->st[i].mops;
		cycles += cl->st[i].avg_cycles;
	}
	dp_output_table(cl->c, sc, cl->st, cl->nb, NULL);
	dp_output_summary(sc->num, b->nr_buf,
		dp_footprint_mb(b->buf_size, b->nr_buf), cycles / cl->nb,
		gbps, mops);
	plot_add(&cl->plot, cl->c, sc, gbps, lo, hi);
}

static int
classic_scenario(struct classic *cl, const struct dp_scenario *sc)
{
	const struct dp_case *c = cl->c;
	struct dp_bufset b;
	unsigned int i;
	uint32_t per;
	bool ok;

	dp_output_scenario(c, sc);
	if (dp_bufset_alloc(&b, c, sc, cl->nb) < 0)
		return -1;
	per = b.nr_buf / cl->nb;
	for (i = 0; i < cl->nb; i++) {
		dp_worker_set(&cl->w[i], &b, i * per, per, sc->kick_batch,
			(uint64_t)c->test_secs * 1000);
		dp_series_reset(&cl->s[i]);
	}
	ok = classic_start(cl, sc);
	if (ok) {
		dp_bufset_prepare(&b, c->cache_flush);
		ok = dp_workers_run(cl->w, cl->lcores, cl->nb) == 0;
	}
	classic_stop(cl);
	if (ok)
		ok = classic_collect(cl, &b, per, sc);
	if (ok)
		classic_report(cl, &b, sc);
	dp_bufset_free(&b);
	return ok ? 0 : -1;
}

static int
run_classic(const struct dp_case *c)
{
	unsigned int num, nb_scen = dp_case_nb_scenarios(c);
	char title[DP_ARGS_LEN];
	struct classic cl;
	int status = 0;

	if (classic_init(&cl, c) < 0) {
		classic_free(&cl);
		return -1;
	}
	dp_output_header(c->id, cl.is_cpu);
	for (num = 1; num <= nb_scen; num++) {
		struct dp_scenario sc;

		dp_case_scenario(c, num, &sc);
		if (classic_scenario(&cl, &sc) < 0)
			status = -1;
	}
	snprintf(title, sizeof(title), "case%u %s%s", c->id,
		classic_who(&cl, 0), cl.nb > 1 ? " (+ more workers)" : "");
	plot_emit(c, title, &cl.plot);
	classic_free(&cl);
	return status;
}

/* ------------------------------------------------------------------ */
/* compare case: contenders interleaved round by round on one lcore    */

struct compare {
	struct dp_case *c;
	unsigned int nc;		/* contenders */
	unsigned int lcore;		/* victim case: the victim's */
	struct dp_worker w;
	struct dp_series s[DP_MAX_CONTENDERS];
	struct dp_devset sets[DP_MAX_CONTENDERS]; /* dmadevs of each */
	unsigned int nb_scen;
	struct dp_stats *all;		/* [scenario][contender] */
	/* a victim case instead: the main lcore feeds */
	struct dp_feeder feeder;
	struct dp_victim_run vrun;
	struct dp_victim_series vs[DP_MAX_CONTENDERS];
};

/* Whether contender i has failed in this scenario, and make it so. */
static bool
compare_failed(const struct compare *cmp, unsigned int i)
{
	return cmp->c->victim ? cmp->vs[i].failed : cmp->s[i].failed;
}

static void
compare_fail(struct compare *cmp, unsigned int i)
{
	if (cmp->c->victim)
		cmp->vs[i].failed = true;
	else
		cmp->s[i].failed = true;
}

static const char *
compare_baseline(const struct compare *cmp)
{
	return cmp->c->contenders[cmp->c->baseline].name;
}

static void
compare_free(struct compare *cmp)
{
	unsigned int i;

	for (i = 0; i < cmp->nc; i++) {
		dp_series_free(&cmp->s[i]);
		dp_victim_series_free(&cmp->vs[i]);
		dp_devset_destroy(&cmp->sets[i]);
	}
	dp_worker_free(&cmp->w);
	dp_feeder_free(&cmp->feeder);
	free(cmp->all);
}

static int
compare_init(struct compare *cmp, struct dp_case *c)
{
	unsigned int i;

	memset(cmp, 0, sizeof(*cmp));
	cmp->c = c;
	cmp->nc = c->nb_contenders;
	cmp->lcore = c->compare_lcore;
	cmp->nb_scen = dp_case_nb_scenarios(c);
	if (c->victim) {
		if (dp_feeder_init(&cmp->feeder) < 0)
			goto nomem;
		for (i = 0; i < cmp->nc; i++)
			if (dp_victim_series_init(&cmp->vs[i], c->rounds) < 0)
				goto nomem;
		return 0;
	}
	cmp->all = calloc((size_t)cmp->nb_scen * cmp->nc, sizeof(*cmp->all));
	if (cmp->all == NULL || dp_worker_init(&cmp->w, c->lat_sample) < 0)
		goto nomem;
	for (i = 0; i < cmp->nc; i++)
		if (dp_series_init(&cmp->s[i], c->rounds) < 0)
			goto nomem;
	return 0;
nomem:
	printf("Error: out of memory\n");
	return -1;
}

/*
 * Find or create the device of every contender named by its dmadev (a
 * template contender makes its devices for each scenario). With
 * --skip-missing, one that is not there is left out, and a missing
 * baseline is replaced by the first contender that is there.
 */
static int
compare_resolve(struct compare *cmp, bool skip_missing)
{
	struct dp_case *c = cmp->c;
	unsigned int i;

	for (i = 0; i < cmp->nc; i++) {
		struct dp_contender *ct = &c->contenders[i];

		if (!dp_contender_has_dev(ct) || ct->vdev[0] != '\0')
			continue;
		ct->dev_id = dp_dev_resolve(ct->name, skip_missing);
		if (ct->dev_id >= 0) {
			dp_devset_one(&cmp->sets[i], ct->dev_id);
			continue;
		}
		if (!skip_missing)
			return -1;
		printf("Warning: contender '%s' not available, skipped (--skip-missing)\n",
			ct->name);
		ct->skipped = true;
	}
	if (!c->contenders[c->baseline].skipped)
		return 0;
	for (i = 0; i < cmp->nc && c->contenders[i].skipped; i++)
		;
	if (i == cmp->nc) {
		printf("Error: no contender available\n");
		return -1;
	}
	c->baseline = i;
	printf("Warning: baseline missing, ratios are relative to '%s'\n",
		compare_baseline(cmp));
	return 0;
}

/* The dmadevs contender i feeds: the first busy ones of its set, or all. */
static unsigned int
compare_nb_fed(const struct compare *cmp, unsigned int i)
{
	const struct dp_contender *ct = &cmp->c->contenders[i];

	if (!dp_contender_has_dev(ct))
		return 0;
	return ct->busy > 0 ? RTE_MIN(ct->busy, cmp->sets[i].nb) :
		cmp->sets[i].nb;
}

/* One timed run of contender i over the whole buffer set, verified. */
static void
compare_run_one(struct compare *cmp, struct dp_bufset *b,
	const struct dp_scenario *sc, unsigned int i)
{
	const struct dp_case *c = cmp->c;
	const struct dp_contender *ct = &c->contenders[i];
	const struct dp_devset *set = &cmp->sets[i];
	struct dp_series *s = &cmp->s[i];

	dp_worker_set(&cmp->w, b, 0, b->nr_buf, sc->kick_batch, c->round_ms);
	if (ct->is_cpu)
		dp_worker_use_cpu(&cmp->w);
	else if (dp_worker_use_devs(&cmp->w, set->ids,
			compare_nb_fed(cmp, i)) < 0) {
		s->failed = true;
		return;
	}
	dp_bufset_prepare(b, c->cache_flush);
	/* Only the contender under test runs: an idle engine thread of
	 * another software device would steal the core of this one. All
	 * dmadevs of its set run, the idle ones too.
	 */
	if (!ct->is_cpu && dp_devset_start(set) < 0) {
		s->failed = true;
		return;
	}
	if (dp_workers_run(&cmp->w, &cmp->lcore, 1) < 0)
		s->failed = true;
	if (!ct->is_cpu)
		dp_devset_stop(set);
	if (!s->failed && dp_bufset_verify(b, 0, b->nr_buf, ct->name, c->id,
			sc->num) < 0)
		s->failed = true;
	if (!s->failed)
		dp_series_add(s, &cmp->w);
}

/*
 * Make the dmadevs of template contender i for scenario sc, and, if say,
 * say which they are.
 */
static int
compare_make_set(struct compare *cmp, unsigned int i,
	const struct dp_scenario *sc, bool say)
{
	const struct dp_contender *ct = &cmp->c->contenders[i];
	struct dp_devset *set = &cmp->sets[i];
	const struct dp_template_vars v = {
		.n = sc->channels,
		.main_lcore = rte_get_main_lcore(),
		.main_cpu = dp_lcore_cpu(rte_get_main_lcore()),
	};
	char spec[DP_ARGS_LEN];
	struct rte_dma_info info;
	unsigned int d, fed;

	if (dp_contender_vdevs(ct, &v, spec, sizeof(spec)) < 0 ||
			dp_devset_create(set, spec) < 0)
		return -1;
	if (ct->busy > set->nb) {
		printf("Error: %s.busy=%u but its vdevs make %u dmadevs\n",
			ct->name, ct->busy, set->nb);
		return -1;
	}
	if (!say)
		return 0;
	/* "n_vdevs: dma_netdma{i},cpu=0 x 16 -> dma_netdma0 .. dma_netdma15" */
	printf("  %s: %s", ct->name, dp_contender_repeats(ct) ? ct->vdev : spec);
	if (dp_contender_repeats(ct))
		printf(" x %" PRIu32, sc->channels);
	for (d = 0; d < set->nb; d += RTE_MAX(set->nb - 1, 1u))
		printf(" %s %s", d == 0 ? "->" : "..",
			rte_dma_info_get(set->ids[d], &info) == 0 ?
			info.dev_name : "?");
	fed = compare_nb_fed(cmp, i);
	if (fed < set->nb)
		printf(" (the first %u fed, %u idle)", fed, set->nb - fed);
	printf("\n");
	return 0;
}

/*
 * One victim round of contender i: the main lcore feeds it single copies
 * (none for "none") while the victim lcore polls the clock. A set's
 * first dmadev is fed; only the contender's own devices run. A template
 * contender's vdevs live for its round only: an engine that spins long
 * after its last copy (spin_us=1000000) would take the feeder's CPU in
 * the next contender's round.
 */
static void
victim_run_one(struct compare *cmp, struct dp_bufset *b,
	const struct dp_scenario *sc, unsigned int i)
{
	const struct dp_case *c = cmp->c;
	const struct dp_contender *ct = &c->contenders[i];
	struct dp_devset *set = &cmp->sets[i];
	const bool dev = dp_contender_has_dev(ct);
	const bool per_round = dev && ct->vdev[0] != '\0';
	struct dp_victim_series *s = &cmp->vs[i];
	struct dp_feeder *f = &cmp->feeder;

	if (per_round && set->nb == 0 &&
			(compare_make_set(cmp, i, sc, false) < 0 ||
			dp_devset_configure(set, sc) < 0))
		s->failed = true;
	f->how = ct->is_none ? DP_FEED_NONE :
		ct->is_cpu ? DP_FEED_CPU : DP_FEED_DMA;
	f->dev_id = dev ? set->ids[0] : -1;
	f->b = b;
	f->gap_us = c->victim_gap_us;
	dp_bufset_prepare(b, false);
	if (!s->failed && dev && dp_devset_start(set) < 0)
		s->failed = true;
	if (!s->failed) {
		if (dp_victim_round(&cmp->vrun, f, cmp->lcore,
				c->victim_stall_us, c->round_ms) < 0)
			s->failed = true;
		if (dev)
			dp_devset_stop(set);
	}
	if (per_round)
		dp_devset_destroy(set);
	if (!s->failed)
		dp_victim_series_add(s, &cmp->vrun, f);
}

/*
 * Every round runs each contender once. Who goes first rotates so that
 * no contender always follows the same neighbour (cache and frequency
 * after-effects): ABC, BCA, CAB...
 */
static void
compare_rounds(struct compare *cmp, struct dp_bufset *b,
	const struct dp_scenario *sc)
{
	const struct dp_case *c = cmp->c;
	unsigned int r, k, i;

	for (r = 0; r < c->rounds; r++) {
		for (k = 0; k < cmp->nc; k++) {
			i = (r + k) % cmp->nc;
			if (c->contenders[i].skipped || compare_failed(cmp, i))
				continue;
			if (c->victim)
				victim_run_one(cmp, b, sc, i);
			else
				compare_run_one(cmp, b, sc, i);
			printf("  round %u %-16s ", r + 1,
				c->contenders[i].name);
			if (compare_failed(cmp, i))
				printf("FAILED\n");
			else if (c->victim)
				printf("ok\n");
			else
				printf("ok %10.3f Gbps\n",
					cmp->s[i].gbps[cmp->s[i].nb - 1]);
		}
	}
}

/* Every contender's dmadevs made and configured for scenario sc. */
static void
compare_setup(struct compare *cmp, const struct dp_scenario *sc)
{
	const struct dp_case *c = cmp->c;
	unsigned int i;

	for (i = 0; i < cmp->nc; i++) {
		const struct dp_contender *ct = &c->contenders[i];

		dp_series_reset(&cmp->s[i]);
		dp_victim_series_reset(&cmp->vs[i]);
		if (!dp_contender_has_dev(ct) || ct->skipped)
			continue;
		if ((ct->vdev[0] != '\0' && compare_make_set(cmp, i, sc, true) < 0) ||
				dp_devset_configure(&cmp->sets[i], sc) < 0)
			compare_fail(cmp, i);
	}
}

/* Template contenders' dmadevs go with their scenario. */
static void
compare_teardown(struct compare *cmp)
{
	unsigned int i;

	for (i = 0; i < cmp->nc; i++)
		if (cmp->c->contenders[i].vdev[0] != '\0')
			dp_devset_destroy(&cmp->sets[i]);
}

/* A victim case's figures for one scenario: table and CSV rows. */
static int
victim_report(struct compare *cmp, const struct dp_scenario *sc)
{
	const struct dp_case *c = cmp->c;
	const unsigned int main_lcore = rte_get_main_lcore();
	struct dp_victim_stats row[DP_MAX_CONTENDERS];
	unsigned int i;
	int status = 0;

	memset(row, 0, sizeof(row));
	for (i = 0; i < cmp->nc; i++) {
		struct dp_victim_stats *st = &row[i];

		if (c->contenders[i].skipped)
			continue;
		strlcpy(st->name, c->contenders[i].name, sizeof(st->name));
		st->victim_lcore = cmp->lcore;
		st->victim_cpu = dp_lcore_cpu(cmp->lcore);
		st->feeder_lcore = main_lcore;
		st->feeder_cpu = dp_lcore_cpu(main_lcore);
		st->buf_size = sc->buf_size;
		st->gap_us = c->victim_gap_us;
		st->stall_us = c->victim_stall_us;
		dp_victim_stats_reduce(st, &cmp->vs[i]);
		if (!st->ok)
			status = -1;
	}
	dp_victim_stats_ratios(row, cmp->nc, c->baseline);
	for (i = 0; i < cmp->nc; i++)
		if (!c->contenders[i].skipped)
			dp_output_victim(c, sc->num, compare_baseline(cmp),
				&row[i]);
	dp_output_victim_table(row, cmp->nc, compare_baseline(cmp));
	return status;
}

static int
compare_scenario(struct compare *cmp, const struct dp_scenario *sc)
{
	const struct dp_case *c = cmp->c;
	struct dp_stats *row;
	struct dp_bufset b;
	unsigned int i;
	int status = 0;

	dp_output_scenario(c, sc);
	if (dp_bufset_alloc(&b, c, sc, 1) < 0)
		return -1;
	compare_setup(cmp, sc);
	compare_rounds(cmp, &b, sc);
	if (c->victim) {
		status = victim_report(cmp, sc);
		goto out;
	}

	row = &cmp->all[(size_t)(sc->num - 1) * cmp->nc];

	for (i = 0; i < cmp->nc; i++) {
		const struct dp_contender *ct = &c->contenders[i];

		if (ct->skipped)
			continue;
		dp_stats_describe(&row[i], ct->name, ct->is_cpu, cmp->lcore,
			compare_nb_fed(cmp, i), b.nr_buf, sc);
		dp_stats_reduce(&row[i], &cmp->s[i]);
		if (!row[i].ok)
			status = -1;
	}
	dp_stats_ratios(row, cmp->s, cmp->nc, c->baseline);
	for (i = 0; i < cmp->nc; i++)
		if (!c->contenders[i].skipped)
			dp_output_extra(c, sc->num, compare_baseline(cmp), &row[i]);
	dp_output_table(c, sc, row, cmp->nc, compare_baseline(cmp));
out:
	compare_teardown(cmp);
	dp_bufset_free(&b);
	return status;
}

/*
 * The dpdk-test-dma-perf layout: one block per contender, as if each had
 * been its own case, so existing CSV readers keep working.
 */
static void
compare_blocks(const struct compare *cmp)
{
	const struct dp_case *c = cmp->c;
	unsigned int i, num, blocks = 0;

	for (i = 0; i < cmp->nc; i++) {
		const struct dp_contender *ct = &c->contenders[i];
		struct plot_points plot = { .n = 0 };
		char title[DP_NAME_LEN + 16];

		if (ct->skipped)
			continue;
		if (blocks++ > 0)
			dp_output_line(",,,,,,,,\n");
		dp_output_header(c->id, ct->is_cpu);
		for (num = 1; num <= cmp->nb_scen; num++) {
			const struct dp_stats *st =
				&cmp->all[(size_t)(num - 1) * cmp->nc + i];
			struct dp_scenario sc;

			if (!st->ok)
				continue;
			dp_case_scenario(c, num, &sc);
			dp_output_row(num, st);
			dp_output_summary(num, st->nr_buf, st->memory_mb,
				st->avg_cycles, st->gbps, st->mops);
			plot_add(&plot, c, &sc, st->gbps, st->gbps_min,
				st->gbps_max);
		}
		snprintf(title, sizeof(title), "case%u %s", c->id, ct->name);
		plot_emit(c, title, &plot);
	}
}

static int
run_compare(struct dp_case *c, bool skip_missing)
{
	struct compare cmp;
	unsigned int num;
	int status = 0;

	if (compare_init(&cmp, c) < 0 || compare_resolve(&cmp, skip_missing) < 0) {
		compare_free(&cmp);
		return -1;
	}
	for (num = 1; num <= cmp.nb_scen; num++) {
		struct dp_scenario sc;

		dp_case_scenario(c, num, &sc);
		if (compare_scenario(&cmp, &sc) < 0)
			status = -1;
	}
	/* a victim case has no throughput: its rows are in _victim.csv */
	if (!c->victim)
		compare_blocks(&cmp);
	compare_free(&cmp);
	return status;
}

/*
 * The victim lcore: the one given, or the first worker lcore, on a CPU
 * of its own; the feeder is the main lcore. Returns 1, or 0 after a line
 * saying why the case is skipped (the EAL has one lcore: the process may
 * run on one CPU), or -1.
 */
static int
victim_pick_lcore(struct dp_case *c)
{
	const unsigned int main_lcore = rte_get_main_lcore();
	unsigned int lc = c->compare_lcore;
	rte_cpuset_t set;

	if (lc == DP_LCORE_AUTO) {
		lc = rte_get_next_lcore(-1, 1, 0);
		if (lc >= RTE_MAX_LCORE) {
			printf("Case %u skipped: the victim needs a CPU of its own, and the EAL has one lcore (%u, on CPU %u): fewer than two CPUs allowed, or -l gave one\n",
				c->id, main_lcore, dp_lcore_cpu(main_lcore));
			dp_output_line(",,,,,,,,\nSkip the test-case %u (victim: one CPU)\n",
				c->id);
			return 0;
		}
		c->compare_lcore = lc;
	}
	if (dp_worker_check_lcore(lc) < 0)
		return -1;
	set = rte_lcore_cpuset(lc);
	if (CPU_COUNT(&set) != 1 || dp_lcore_cpu(lc) == dp_lcore_cpu(main_lcore)) {
		printf("Error: the victim lcore %u needs one CPU, not shared with the main lcore's CPU %u\n",
			lc, dp_lcore_cpu(main_lcore));
		return -1;
	}
	printf("Victim: lcore %u on CPU %u polls the TSC; feeder: main lcore %u on CPU %u\n",
		lc, dp_lcore_cpu(lc), main_lcore, dp_lcore_cpu(main_lcore));
	return 1;
}

/* ------------------------------------------------------------------ */

int
dp_run_case(struct dp_case *c, bool skip_missing)
{
	unsigned int i;

	/* CPU-only cases need no device, even if [GLOBAL] lists some. */
	if (c->vdevs[0] != '\0' && dp_case_uses_dmadev(c) &&
			dp_dev_create_vdevs(c->vdevs, skip_missing) < 0)
		return -1;
	if (c->victim) {
		int ret = victim_pick_lcore(c);

		return ret <= 0 ? ret : run_compare(c, skip_missing);
	}
	if (c->compare) {
		if (dp_worker_check_lcore(c->compare_lcore) < 0)
			return -1;
		return run_compare(c, skip_missing);
	}
	for (i = 0; i < c->nb_workers; i++)
		if (dp_worker_check_lcore(c->workers[i].lcore) < 0)
			return -1;
	return run_classic(c);
}
