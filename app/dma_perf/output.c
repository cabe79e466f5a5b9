/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Result files. Next to <name>.csv (dpdk-test-dma-perf layout, for
 * existing scripts) the tool writes:
 *   <name>_extra.csv  one row per contender/worker with the extras
 *                     (medians, ratio, app cycles/op, latency);
 *   <name>_plot.dat   gnuplot data, one block per series;
 *   <name>.png        throughput vs buffer size, if gnuplot is on PATH;
 *   <name>_<key>.png  throughput vs another scenario parameter, for
 *                     cases in which that one varies (channels...).
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
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_string_fns.h>

#include "dma_perf.h"
#include "output.h"

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

/* Each plot series: its x axis (a scenario parameter), then its title. */
#define X_TAG		"# x: "
#define TITLE_TAG	"# title: "

static FILE *csv_fp;
static FILE *extra_fp;
static FILE *plot_fp;

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

/* <dir/name>.csv -> <dir/name><suffix> */
static void
derived_path(const char *csv, const char *suffix, char *out, size_t len)
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
	derived_path(csv_path, "_extra.csv", path, sizeof(path));
	f = fopen(path, "w");
	if (f == NULL)
		goto err;
	fputs(EXTRA_HDR, f);
	fclose(f);
	derived_path(csv_path, "_plot.dat", path, sizeof(path));
	f = fopen(path, "w");
	if (f == NULL)
		goto err;
	fclose(f);
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

	csv_fp = fopen(csv_path, "a");
	derived_path(csv_path, "_extra.csv", path, sizeof(path));
	extra_fp = fopen(path, "a");
	derived_path(csv_path, "_plot.dat", path, sizeof(path));
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
	csv_fp = extra_fp = plot_fp = NULL;
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

void
dp_output_plot_series(const char *x_key, const char *title, const uint32_t *x,
	const double *y, unsigned int n)
{
	unsigned int i;

	if (plot_fp == NULL)
		return;
	fprintf(plot_fp, X_TAG "%s\n" TITLE_TAG "%s\n", x_key, title);
	for (i = 0; i < n; i++)
		fprintf(plot_fp, "%" PRIu32 " %.3f\n", x[i], y[i]);
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

/* ------------------------------------------------------------------ */
/* plot (parent process, no EAL)                                       */

static bool
have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char exe[PATH_MAX];
	const char *p, *end;
	int n;

	for (p = path; p != NULL && *p != '\0'; p = end + (*end != '\0')) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		n = (int)(end - p);
		if (n == 0)
			n = snprintf(exe, sizeof(exe), "./gnuplot");
		else
			n = snprintf(exe, sizeof(exe), "%.*s/gnuplot", n, p);
		if (n > 0 && (size_t)n < sizeof(exe) && access(exe, X_OK) == 0)
			return true;
	}
	return false;
}

/* gnuplot single-quoted string: a quote is written twice. */
static void
put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* A series of the plot data: its block index, x axis and title. */
struct plot_series {
	char key[32];
	char title[DP_NAME_LEN + 16];
};

/* The series of the plot data file, in block order; NULL if none. */
static struct plot_series *
plot_read(const char *dat, unsigned int *nb)
{
	struct plot_series *series = NULL;
	char line[512], key[32] = "buf_size";
	unsigned int cap = 0;
	FILE *f;

	*nb = 0;
	f = fopen(dat, "r");
	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, X_TAG, strlen(X_TAG)) == 0) {
			strlcpy(key, line + strlen(X_TAG), sizeof(key));
			continue;
		}
		if (strncmp(line, TITLE_TAG, strlen(TITLE_TAG)) != 0)
			continue;
		if (*nb == cap) {
			void *n;

			cap = cap ? cap * 2 : 16;
			n = realloc(series, cap * sizeof(*series));
			if (n == NULL)
				break;
			series = n;
		}
		strlcpy(series[*nb].key, key, sizeof(series[*nb].key));
		strlcpy(series[*nb].title, line + strlen(TITLE_TAG),
			sizeof(series[*nb].title));
		(*nb)++;
	}
	fclose(f);
	return series;
}

/* Whether the series with x axis key all come from one case. */
static bool
plot_one_case(const struct plot_series *series, unsigned int nb,
	const char *key)
{
	const char *first = NULL;
	unsigned int i;
	size_t n;

	for (i = 0; i < nb; i++) {
		if (strcmp(series[i].key, key) != 0)
			continue;
		n = strcspn(series[i].title, " ");
		if (first == NULL)
			first = series[i].title;
		else if (strncmp(first, series[i].title, n) != 0 ||
				first[n] != ' ')
			return false;
	}
	return true;
}

static const char *
axis_label(const char *key)
{
	if (strcmp(key, "buf_size") == 0)
		return "buffer size (bytes)";
	if (strcmp(key, "channels") == 0)
		return "channels (dmadevs one lcore feeds)";
	return key;
}

/* The PNG of the series whose x axis is key; 0 if drawn. */
static int
plot_draw(const char *dat, const char *png, const struct plot_series *series,
	unsigned int nb, const char *key)
{
	bool one_case = plot_one_case(series, nb, key);
	bool first = true;
	unsigned int i;
	FILE *gp;
	int status;

	fflush(stdout);
	gp = popen("gnuplot", "w");
	if (gp == NULL)
		return -1;
	fprintf(gp, "set terminal pngcairo size 1000,600 noenhanced\n");
	fprintf(gp, "set output ");
	put_quoted(gp, png);
	fprintf(gp, "\nset title 'netdma-dma-perf: copy throughput vs %s'\n"
		"set xlabel ", key);
	put_quoted(gp, axis_label(key));
	fprintf(gp, "\nset ylabel 'throughput (Gbps)'\n"
		"set logscale x 2\nset grid\nset key outside right top\n"
		"set yrange [0:*]\nplot ");
	for (i = 0; i < nb; i++) {
		const char *t = series[i].title;

		if (strcmp(series[i].key, key) != 0)
			continue;
		/* "caseN " only tells series apart across cases */
		if (one_case && strchr(t, ' ') != NULL)
			t = strchr(t, ' ') + 1;
		if (first)
			put_quoted(gp, dat);
		else
			fprintf(gp, ", ''");
		first = false;
		fprintf(gp, " index %u using 1:2 with linespoints lw 2 title ", i);
		put_quoted(gp, t);
	}
	fprintf(gp, "\n");
	status = pclose(gp);
	if (status != 0) {
		fprintf(stderr, "%s: warning: gnuplot failed (status %d), no plot\n",
			DP_PROG_NAME, status);
		return -1;
	}
	printf("Plot: %s\n", png);
	return 0;
}

/*
 * One PNG per x axis: <name>.png against buffer size, <name>_<key>.png
 * against any other scenario parameter that varies in a case.
 */
int
dp_output_plot(const char *csv_path)
{
	char dat[PATH_MAX], png[PATH_MAX], suffix[48];
	struct plot_series *series;
	unsigned int nb, i, j;
	int ret = 0;

	derived_path(csv_path, "_plot.dat", dat, sizeof(dat));
	series = plot_read(dat, &nb);
	if (nb == 0) {
		free(series);
		return 0;
	}
	if (!have_gnuplot()) {
		printf("gnuplot not found on PATH: no plot (data in %s)\n", dat);
		free(series);
		return 0;
	}
	for (i = 0; i < nb; i++) {
		/* the first series of each x axis draws that axis' plot */
		for (j = 0; j < i && strcmp(series[j].key, series[i].key) != 0; j++)
			;
		if (j < i)
			continue;
		if (strcmp(series[i].key, "buf_size") == 0)
			snprintf(suffix, sizeof(suffix), ".png");
		else
			snprintf(suffix, sizeof(suffix), "_%s.png", series[i].key);
		derived_path(csv_path, suffix, png, sizeof(png));
		if (plot_draw(dat, png, series, nb, series[i].key) < 0)
			ret = -1;
	}
	free(series);
	return ret;
}
