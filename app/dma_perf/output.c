/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Result files. Next to <name>.csv (dpdk-test-dma-perf layout, for
 * existing scripts) the tool writes:
 *   <name>_extra.csv  one row per contender/worker with the extras
 *                     (medians, ratio, app cycles/op, latency);
 *   <name>_plot.dat   gnuplot data, one block per series, which plot.c
 *                     draws into <name>.png and <name>_<key>.png.
 * Cases run in child processes, so every writer appends and flushes.
 *
 * Without --result they go to the current directory, except inside a
 * netdma source tree: there they go to the directory of the binary, the
 * build directory, so a run never leaves files in the sources.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_string_fns.h>

#include "dma_perf.h"
#include "output.h"
#include "plot.h"

/* dpdk-test-dma-perf's CSV lines, column for column. */
#define CSV_BLANK	",,,,,,,,"
#define CSV_HDR_FMT	"Case %u : %s,lcore,DMA,DMA ring size,kick batch size," \
			"buffer size(B),number of buffers,memory(MB),average cycle," \
			"bandwidth(Gbps),MOps\n"
#define CSV_DMA_FMT	"Scenario %u,%u,%s,%u,%u,%u,%u,%.2lf,%" PRIu64 ",%.3lf,%.3lf\n"
#define CSV_CPU_FMT	"Scenario %u,%u,NA,NA,NA,%u,%u,%.2lf,%" PRIu64 ",%.3lf,%.3lf\n"
#define CSV_SUM_FMT	"Scenario %u Summary, , , , , ,%u,%.2lf,%.1lf,%.3lf,%.3lf\n"

#define EXTRA_HDR	"case,scenario,mode,contender,lcore,buf_size,dma_ring_size," \
			"kick_batch,nr_buf,rounds,gbps_median,gbps_min,gbps_max," \
			"mops_median,ratio,baseline,app_cycles_per_op," \
			"avg_cycles_per_op,lat_p50_ns,lat_p99_ns,lat_samples,verify," \
			"dmadevs,channels,fairness_max_min,dma_src_sge,dma_dst_sge\n"

#define VICTIM_HDR	"case,scenario,contender,victim_lcore,victim_cpu," \
			"feeder_lcore,feeder_cpu,buf_size,gap_us,stall_us,rounds," \
			"seconds,copies,verify,cal,res,tlb,loc,cal_per_copy," \
			"ipi_per_copy,ipi_per_s,stalls_per_s_median," \
			"stalls_per_s_min,stalls_per_s_max,stall_ratio,baseline," \
			"stalled_pct,max_stall_us,loc_per_s,copy_p50_us,copy_p99_us\n"

static FILE *csv_fp;
static FILE *extra_fp;
static FILE *plot_fp;
static FILE *victim_fp;		/* opened by the first victim row */
static char csv_name[PATH_MAX];	/* the result CSV of this child */

/* A file that only a netdma source tree has, relative to its top. */
#define SOURCE_TREE_MARKER	"app/dma_perf/meson.build"

/* Whether dir (absolute) or a directory above it is a netdma source tree. */
static bool
in_source_tree(const char *dir)
{
	char path[PATH_MAX], probe[PATH_MAX];
	char *slash;
	int n;

	if (strlcpy(path, dir, sizeof(path)) >= sizeof(path))
		return false;
	for (;;) {
		n = snprintf(probe, sizeof(probe), "%s/%s", path,
			SOURCE_TREE_MARKER);
		if (n > 0 && (size_t)n < sizeof(probe) &&
				access(probe, F_OK) == 0)
			return true;
		slash = strrchr(path, '/');
		if (slash == NULL)
			return false;
		*slash = '\0';		/* "/a/b" -> "/a" -> "" (the root) */
	}
}

/* The directory of the running binary. */
static int
binary_dir(char *out, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", out, len - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= len - 1)
		return -1;
	out[n] = '\0';
	slash = strrchr(out, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	return 0;
}

/* The directory that takes the result files when --result is not given. */
static int
default_result_dir(char *out, size_t len)
{
	if (getcwd(out, len) == NULL) {
		fprintf(stderr, "%s: error: getcwd: %s\n", DP_PROG_NAME,
			strerror(errno));
		return -1;
	}
	if (!in_source_tree(out))
		return 0;
	if (binary_dir(out, len) < 0) {
		fprintf(stderr, "%s: error: cannot find the directory of the binary; give --result\n",
			DP_PROG_NAME);
		return -1;
	}
	return 0;
}

/* One line on what is wrong with --result; -1. */
static int __attribute__((format(printf, 2, 3)))
result_error(const char *result, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: --result %s: ", DP_PROG_NAME, result);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return -1;
}

/* The directory dir, where --result puts the files, exists and takes
 * new files. */
static int
check_result_dir(const char *result, const char *dir, bool named)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		if (errno == ENOENT && named)
			return result_error(result, "no such directory");
		if (errno == ENOENT)
			return result_error(result, "directory %s does not exist",
				dir);
		return result_error(result, "directory %s: %s", dir,
			strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return result_error(result, "%s is not a directory", dir);
	if (access(dir, W_OK | X_OK) != 0)
		return result_error(result, "cannot create files in %s: %s",
			dir, strerror(errno));
	return 0;
}

int
dp_output_check_result(const char *result)
{
	size_t n = strlen(result);
	char dir[PATH_MAX];
	struct stat st;
	char *slash;

	if (n == 0)
		return result_error(result, "empty: give a file or a directory");
	if (n >= sizeof(dir))
		return result_error(result, "path too long");
	/* An existing directory, or a name ending with '/', is a directory. */
	if (result[n - 1] == '/' || (stat(result, &st) == 0 &&
			S_ISDIR(st.st_mode)))
		return check_result_dir(result, result, true);
	strlcpy(dir, result, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strlcpy(dir, ".", sizeof(dir));
	else
		slash[slash == dir] = '\0';	/* "/x.csv" -> "/" */
	if (check_result_dir(result, dir, false) < 0)
		return -1;
	if (stat(result, &st) != 0)
		return 0;
	/* Its _extra.csv and _plot.dat would go next to a device or FIFO. */
	if (!S_ISREG(st.st_mode))
		return result_error(result, "exists and is neither a file nor a directory");
	if (access(result, W_OK) != 0)
		return result_error(result, "cannot be written: %s",
			strerror(errno));
	return 0;
}

int
dp_output_result_path(const char *config, const char *result, char *csv,
	size_t len)
{
	const char *base = strrchr(config, '/');
	char dir[PATH_MAX];
	struct stat st;
	size_t n;
	int ret;

	if (result != NULL && (stat(result, &st) != 0 || !S_ISDIR(st.st_mode))) {
		ret = snprintf(csv, len, "%s", result);
		goto out;
	}
	if (result != NULL)
		strlcpy(dir, result, sizeof(dir));
	else if (default_result_dir(dir, sizeof(dir)) < 0)
		return -1;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	/* As dpdk-test-dma-perf: <config basename up to the first dot>_result.csv */
	base = base != NULL ? base + 1 : config;
	n = strcspn(base, ".");
	ret = snprintf(csv, len, "%s/%.*s_result.csv", dir, (int)n, base);
out:
	if (ret < 0 || (size_t)ret >= len) {
		fprintf(stderr, "%s: error: result path too long\n", DP_PROG_NAME);
		return -1;
	}
	return 0;
}

void
dp_output_derived_path(const char *csv, const char *suffix, char *out,
	size_t len)
{
	size_t n = strlen(csv);

	if (n > 4 && strcmp(csv + n - 4, ".csv") == 0)
		n -= 4;
	snprintf(out, len, "%.*s%s", (int)n, csv, suffix);
}

int
dp_output_truncate(const char *csv_path, bool chosen)
{
	char path[PATH_MAX];
	FILE *f;

	strlcpy(path, csv_path, sizeof(path));
	f = fopen(path, "w");
	if (f == NULL)
		goto err;
	fclose(f);
	dp_output_derived_path(csv_path, "_extra.csv", path, sizeof(path));
	f = fopen(path, "w");
	if (f == NULL)
		goto err;
	fputs(EXTRA_HDR, f);
	fclose(f);
	dp_output_derived_path(csv_path, "_plot.dat", path, sizeof(path));
	f = fopen(path, "w");
	if (f == NULL)
		goto err;
	fclose(f);
	/* made by victim cases only: none left from an earlier run */
	dp_output_derived_path(csv_path, "_victim.csv", path, sizeof(path));
	if (unlink(path) != 0 && errno != ENOENT)
		goto err;
	return 0;
err:
	fprintf(stderr, "%s: error: cannot create %s: %s%s\n", DP_PROG_NAME,
		path, strerror(errno),
		chosen ? "" : " (choose another place with --result)");
	return -1;
}

int
dp_output_open(const char *csv_path)
{
	char path[PATH_MAX];

	strlcpy(csv_name, csv_path, sizeof(csv_name));
	csv_fp = fopen(csv_path, "a");
	dp_output_derived_path(csv_path, "_extra.csv", path, sizeof(path));
	extra_fp = fopen(path, "a");
	dp_output_derived_path(csv_path, "_plot.dat", path, sizeof(path));
	plot_fp = fopen(path, "a");
	if (csv_fp == NULL || extra_fp == NULL || plot_fp == NULL) {
		fprintf(stderr, "%s: error: cannot open result files: %s\n",
			DP_PROG_NAME, strerror(errno));
		dp_output_close();
		return -1;
	}
	return 0;
}

void
dp_output_close(void)
{
	if (csv_fp != NULL)
		fclose(csv_fp);
	if (extra_fp != NULL)
		fclose(extra_fp);
	if (plot_fp != NULL)
		fclose(plot_fp);
	if (victim_fp != NULL)
		fclose(victim_fp);
	csv_fp = extra_fp = plot_fp = victim_fp = NULL;
}

void
dp_output_line(const char *fmt, ...)
{
	va_list ap;

	if (csv_fp == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(csv_fp, fmt, ap);
	va_end(ap);
	fflush(csv_fp);
}

void
dp_output_env(void)
{
	dp_output_line("%s\n%s\n", CSV_BLANK, CSV_BLANK);
	dp_output_line("Test Environment:\nCPU frequency,%.3lf Ghz\n",
		rte_get_timer_hz() / 1e9);
	dp_output_line("%s\n", CSV_BLANK);
}

void
dp_output_header(unsigned int case_id, bool is_cpu)
{
	dp_output_line(CSV_HDR_FMT, case_id,
		is_cpu ? "CPU_MEM_COPY" : "DMA_MEM_COPY");
}

void
dp_output_row(unsigned int scenario, const struct dp_stats *s)
{
	uint64_t cyc = (uint64_t)(s->avg_cycles + 0.5);

	if (s->is_cpu)
		dp_output_line(CSV_CPU_FMT, scenario, s->lcore, s->buf_size,
			s->nr_buf, s->memory_mb, cyc, s->gbps, s->mops);
	else
		dp_output_line(CSV_DMA_FMT, scenario, s->lcore, s->name,
			s->ring_size, s->kick_batch, s->buf_size, s->nr_buf,
			s->memory_mb, cyc, s->gbps, s->mops);
}

void
dp_output_summary(unsigned int scenario, uint32_t nr_buf, double memory_mb,
	double avg_cycles, double gbps, double mops)
{
	dp_output_line(CSV_SUM_FMT, scenario, nr_buf, memory_mb, avg_cycles,
		gbps, mops);
}

void
dp_output_extra(const struct dp_case *c, unsigned int scenario,
	const char *baseline, const struct dp_stats *s)
{
	if (extra_fp == NULL)
		return;
	fprintf(extra_fp, "%u,%u,%s,%s,%u,%u,%u,%u,%u,%u,%.3f,%.3f,%.3f,%.3f,",
		c->id, scenario, c->compare ? "compare" : "classic", s->name,
		s->lcore, s->buf_size, s->is_cpu ? 0 : s->ring_size,
		s->is_cpu ? 0 : s->kick_batch, s->nr_buf, s->rounds, s->gbps, s->gbps_min,
		s->gbps_max, s->mops);
	if (s->ratio > 0)
		fprintf(extra_fp, "%.3f,%s,", s->ratio, baseline);
	else
		fprintf(extra_fp, ",,");
	fprintf(extra_fp, "%.1f,%.1f,%.0f,%.0f,%" PRIu64 ",%s,",
		s->app_cyc_per_op, s->avg_cycles, s->lat_p50_ns, s->lat_p99_ns,
		s->lat_samples, s->ok ? "ok" : "FAIL");
	fprintf(extra_fp, "%u,%" PRIu32 ",", s->nb_devs, s->channels);
	if (s->nb_devs > 0)
		fprintf(extra_fp, "%.3f,", s->fairness);
	else
		fprintf(extra_fp, ",");
	fprintf(extra_fp, "%" PRIu32 ",%" PRIu32 "\n", s->src_sge, s->dst_sge);
	fflush(extra_fp);
}

/* <name>_victim.csv, its header written by whoever finds it empty. */
static FILE *
victim_file(void)
{
	char path[PATH_MAX];

	if (victim_fp != NULL || csv_name[0] == '\0')
		return victim_fp;
	dp_output_derived_path(csv_name, "_victim.csv", path, sizeof(path));
	victim_fp = fopen(path, "a");
	if (victim_fp == NULL)
		fprintf(stderr, "%s: error: cannot open %s: %s\n", DP_PROG_NAME,
			path, strerror(errno));
	else if (ftell(victim_fp) == 0)
		fputs(VICTIM_HDR, victim_fp);
	return victim_fp;
}

void
dp_output_victim(const struct dp_case *c, unsigned int scenario,
	const char *baseline, const struct dp_victim_stats *s)
{
	FILE *f = victim_file();

	if (f == NULL)
		return;
	fprintf(f, "%u,%u,%s,%u,%u,%u,%u,%" PRIu32 ",%" PRIu32 ",%" PRIu32
		",%" PRIu32 ",%.3f,%" PRIu64 ",%s,",
		c->id, scenario, s->name, s->victim_lcore, s->victim_cpu,
		s->feeder_lcore, s->feeder_cpu, s->buf_size, s->gap_us,
		s->stall_us, s->rounds, s->secs, s->copies,
		s->ok ? "ok" : "FAIL");
	fprintf(f, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",",
		s->irqs.n[DP_IRQ_CAL], s->irqs.n[DP_IRQ_RES],
		s->irqs.n[DP_IRQ_TLB], s->irqs.n[DP_IRQ_LOC]);
	if (s->copies > 0)
		fprintf(f, "%.4f,%.4f,", s->cal_per_copy, s->ipi_per_copy);
	else
		fprintf(f, ",,");
	fprintf(f, "%.1f,%.1f,%.1f,%.1f,", s->ipi_per_s, s->stalls_per_s,
		s->stalls_min, s->stalls_max);
	if (s->ratio > 0)
		fprintf(f, "%.3f,%s,", s->ratio, baseline);
	else
		fprintf(f, ",,");
	fprintf(f, "%.4f,%.1f,%.1f,", s->stalled_pct, s->max_stall_us,
		s->loc_per_s);
	if (s->copies > 0)
		fprintf(f, "%.2f,%.2f\n", s->lat_p50_us, s->lat_p99_us);
	else
		fprintf(f, ",\n");
	fflush(f);
}

void
dp_output_plot_series(unsigned int case_id, const char *x_key,
	const char *title, const struct dp_plot_point *pt, unsigned int n)
{
	unsigned int i;

	if (plot_fp == NULL)
		return;
	fprintf(plot_fp, DP_PLOT_CASE_TAG "%u\n" DP_PLOT_X_TAG "%s\n"
		DP_PLOT_TITLE_TAG "%s\n# %s gbps_median gbps_min gbps_max\n",
		case_id, x_key, title, x_key);
	for (i = 0; i < n; i++)
		fprintf(plot_fp, "%" PRIu32 " %.3f %.3f %.3f\n", pt[i].x,
			pt[i].y, pt[i].min, pt[i].max);
	/* two blank lines end a gnuplot data block ("index") */
	fprintf(plot_fp, "\n\n");
	fflush(plot_fp);
}

/* Whether a contender of the case feeds a set of dmadevs from a template. */
static bool
case_has_sets(const struct dp_case *c)
{
	unsigned int i;

	for (i = 0; c->compare && i < c->nb_contenders; i++)
		if (c->contenders[i].vdev[0] != '\0')
			return true;
	return false;
}

void
dp_output_scenario(const struct dp_case *c, const struct dp_scenario *sc)
{
	if (c->victim) {
		printf("\nCase %u scenario %u: %" PRIu32 " B copies one at a time, %"
			PRIu32 " us apart; stalls: TSC gaps over %" PRIu32
			" us; %u rounds x %u ms\n", c->id, sc->num, sc->buf_size,
			c->victim_gap_us, c->victim_stall_us, c->rounds,
			c->round_ms);
		return;
	}
	printf("\nCase %u scenario %u: buf_size %" PRIu32 " B, working set %"
		PRIu32 " MiB per pass (mem_size: source + destination)", c->id,
		sc->num, sc->buf_size, sc->mem_mb);
	if (c->compare || c->type == DP_TYPE_DMA_MEM_COPY)
		printf(", ring %" PRIu32 ", batch %" PRIu32, sc->ring_size,
			sc->kick_batch);
	if (sc->src_sge > 0)
		printf(", %" PRIu32 " -> %" PRIu32 " segments", sc->src_sge,
			sc->dst_sge);
	if (case_has_sets(c))
		printf(", channels %" PRIu32, sc->channels);
	if (c->compare)
		printf(", %u rounds x %u ms\n", c->rounds, c->round_ms);
	else
		printf(", %u s\n", c->test_secs);
}

static void
table_classic(const struct dp_stats *s, unsigned int n)
{
	unsigned int i;

	printf("\n  %-9s %-5s %-16s %9s %9s %10s %9s %9s %s\n",
		"buf_size", "lcore", "device", "Gbps", "MOps",
		"app cyc/op", "p50 ns", "p99 ns", "verify");
	for (i = 0; i < n; i++)
		printf("  %-9u %-5u %-16s %9.3f %9.3f %10.1f %9.0f %9.0f %s\n",
			s[i].buf_size, s[i].lcore, s[i].name, s[i].gbps,
			s[i].mops, s[i].app_cyc_per_op, s[i].lat_p50_ns,
			s[i].lat_p99_ns, "ok");
}

/*
 * Compare: one row per contender. The first column is the scenario
 * parameter that varies; cases with dmadev sets also show how many
 * dmadevs a contender fed and their fairness (max/min completions).
 */
static void
table_compare(const struct dp_case *c, const struct dp_scenario *sc,
	const struct dp_stats *s, unsigned int n, const char *baseline)
{
	const bool sets = case_has_sets(c);
	const uint32_t x = dp_case_plot_x(c, sc);
	char ratio_hdr[32], ratio[16], range[40], fair[16], devs[8];
	int rw;
	unsigned int i;

	rw = snprintf(ratio_hdr, sizeof(ratio_hdr), "vs %.20s",
		baseline != NULL ? baseline : "-");
	rw = RTE_MAX(rw, 9);
	printf("\n  %-9s %-16s %9s %-21s %9s %*s", dp_case_plot_key(c),
		"contender", "Gbps", " (min..max)", "MOps", rw, ratio_hdr);
	if (sets)
		printf(" %7s %7s", "dmadevs", "max/min");
	printf(" %10s %9s %9s %s\n", "app cyc/op", "p50 ns", "p99 ns", "verify");
	for (i = 0; i < n; i++) {
		if (s[i].name[0] == '\0')
			continue;	/* skipped contender */
		if (!s[i].ok) {
			printf("  %-9u %-16s %9s %-21s %9s %*s", x, s[i].name,
				"-", "", "-", rw, "-");
			if (sets)
				printf(" %7s %7s", "-", "-");
			printf(" %10s %9s %9s %s\n", "-", "-", "-", "FAIL");
			continue;
		}
		if (s[i].ratio > 0)
			snprintf(ratio, sizeof(ratio), "%.2fx", s[i].ratio);
		else
			snprintf(ratio, sizeof(ratio), "-");
		snprintf(range, sizeof(range), " (%.3f..%.3f)", s[i].gbps_min,
			s[i].gbps_max);
		printf("  %-9u %-16s %9.3f %-21s %9.3f %*s", x, s[i].name,
			s[i].gbps, range, s[i].mops, rw, ratio);
		if (sets) {
			snprintf(devs, sizeof(devs), "%u", s[i].nb_devs);
			snprintf(fair, sizeof(fair), "%.2f", s[i].fairness);
			printf(" %7s %7s", s[i].is_cpu ? "-" : devs,
				s[i].is_cpu ? "-" : fair);
		}
		printf(" %10.1f %9.0f %9.0f %s\n", s[i].app_cyc_per_op,
			s[i].lat_p50_ns, s[i].lat_p99_ns, "ok");
	}
}

/* A table cell: the value, or "-" where there is none. */
static void
cell(char *buf, size_t len, const char *fmt, double v, bool have)
{
	if (have)
		snprintf(buf, len, fmt, v);
	else
		snprintf(buf, len, "-");
}

/*
 * A victim case: one row per contender. Interrupts are those the
 * victim's CPU took; per copy and per second over all rounds.
 */
void
dp_output_victim_table(const struct dp_victim_stats *s, unsigned int n,
	const char *baseline)
{
	char hdr[32], ratio[16], range[40], cal[16], ipi[16], p50[16], p99[16];
	unsigned int i;
	int rw;

	rw = snprintf(hdr, sizeof(hdr), "vs %.20s", baseline);
	rw = RTE_MAX(rw, 8);
	printf("\n  %-16s %7s %8s %8s %7s %9s %-19s %*s %8s %8s %6s %8s %8s %s\n",
		"contender", "copies", "CAL/copy", "IPI/copy", "IPI/s",
		"stalls/s", " (min..max)", rw, hdr, "stalled%", "max us",
		"LOC/s", "p50 us", "p99 us", "verify");
	for (i = 0; i < n; i++) {
		if (s[i].name[0] == '\0')
			continue;	/* skipped contender */
		if (!s[i].ok) {
			printf("  %-16s %7s %8s %8s %7s %9s %-19s %*s %8s %8s %6s %8s %8s %s\n",
				s[i].name, "-", "-", "-", "-", "-", "", rw, "-",
				"-", "-", "-", "-", "-", "FAIL");
			continue;
		}
		cell(ratio, sizeof(ratio), "%.2fx", s[i].ratio, s[i].ratio > 0);
		snprintf(range, sizeof(range), " (%.0f..%.0f)", s[i].stalls_min,
			s[i].stalls_max);
		cell(cal, sizeof(cal), "%.3f", s[i].cal_per_copy, s[i].copies > 0);
		cell(ipi, sizeof(ipi), "%.3f", s[i].ipi_per_copy, s[i].copies > 0);
		cell(p50, sizeof(p50), "%.1f", s[i].lat_p50_us, s[i].copies > 0);
		cell(p99, sizeof(p99), "%.1f", s[i].lat_p99_us, s[i].copies > 0);
		printf("  %-16s %7" PRIu64 " %8s %8s %7.1f %9.1f %-19s %*s %8.3f %8.1f %6.0f %8s %8s %s\n",
			s[i].name, s[i].copies, cal, ipi, s[i].ipi_per_s,
			s[i].stalls_per_s, range, rw, ratio, s[i].stalled_pct,
			s[i].max_stall_us, s[i].loc_per_s, p50, p99, "ok");
	}
	fflush(stdout);
}

void
dp_output_table(const struct dp_case *c, const struct dp_scenario *sc,
	const struct dp_stats *s, unsigned int n, const char *baseline)
{
	if (c->compare)
		table_compare(c, sc, s, n, baseline);
	else
		table_classic(s, n);
	fflush(stdout);
}
