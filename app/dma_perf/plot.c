/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The plots, drawn by the parent process (no EAL) through a gnuplot pipe
 * once every case has run, from the plot data file the cases wrote.
 *
 * Only measured points are drawn, each with a bar from its slowest to its
 * fastest round: a line from one buffer size to the next would suggest
 * figures that nobody measured. The series of a plot are shifted a
 * little apart along x so that their bars do not hide one another, and
 * the y axis turns logarithmic when the figures span so much that the
 * smallest would lie flat on a linear one. The
 * title says what was measured and where: the config, each case's ring,
 * batch and memory, the machine and the date.
 */

#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_string_fns.h>

#include "dma_perf.h"
#include "output.h"
#include "plot.h"

#define MAX_TICKS		128	/* measured x values on one plot */
#define MAX_TITLE_CASES		4	/* cases the title describes */
/* The x range reaches this factor beyond the first and last points. */
#define X_MARGIN		1.6
/* The series of a plot lie this fraction of its width apart, and take
 * at most this fraction of the room between two measured values. */
#define SERIES_GAP		(1.0 / 60)
#define SERIES_SPREAD		0.45
/* Beyond this spread of throughputs, a linear y axis flattens the
 * smallest against zero: the axis goes log10. */
#define LOG_Y_SPREAD		20.0

/* A series of the plot data: its block index is its place in the file. */
struct plot_series {
	unsigned int case_id;
	char key[32];
	char title[DP_NAME_LEN + 32];
	uint32_t x[DP_MAX_VALUES];
	unsigned int nx;
	double lo, hi;			/* smallest min, largest max */
};

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

/* gnuplot double-quoted string, the only kind that can hold a newline. */
static void
put_dquoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A new series at the end of *series; NULL if out of memory. */
static struct plot_series *
series_add(struct plot_series **series, unsigned int *nb, unsigned int *cap)
{
	struct plot_series *s;

	if (*nb == *cap) {
		void *n;

		*cap = *cap ? *cap * 2 : 16;
		n = realloc(*series, *cap * sizeof(**series));
		if (n == NULL)
			return NULL;
		*series = n;
	}
	s = &(*series)[(*nb)++];
	memset(s, 0, sizeof(*s));
	return s;
}

/* A data line, "x median min max", into its series. */
static void
series_point(struct plot_series *s, const char *line)
{
	unsigned int x;
	double y, min, max;

	if (sscanf(line, "%u %lf %lf %lf", &x, &y, &min, &max) != 4)
		return;
	if (s->nx == 0 || min < s->lo)
		s->lo = min;
	if (s->nx == 0 || max > s->hi)
		s->hi = max;
	s->x[s->nx++] = x;
}

/* The series of the plot data file, in block order; NULL if none. */
static struct plot_series *
plot_read(const char *dat, unsigned int *nb)
{
	struct plot_series *series = NULL, *cur = NULL;
	char line[512], key[32] = "buf_size";
	unsigned int cap = 0, case_id = 0;
	FILE *f;

	*nb = 0;
	f = fopen(dat, "r");
	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, DP_PLOT_CASE_TAG, strlen(DP_PLOT_CASE_TAG)) == 0) {
			case_id = (unsigned int)strtoul(line +
				strlen(DP_PLOT_CASE_TAG), NULL, 10);
		} else if (strncmp(line, DP_PLOT_X_TAG, strlen(DP_PLOT_X_TAG)) == 0) {
			strlcpy(key, line + strlen(DP_PLOT_X_TAG), sizeof(key));
		} else if (strncmp(line, DP_PLOT_TITLE_TAG,
				strlen(DP_PLOT_TITLE_TAG)) == 0) {
			cur = series_add(&series, nb, &cap);
			if (cur == NULL)
				break;
			cur->case_id = case_id;
			strlcpy(cur->key, key, sizeof(cur->key));
			strlcpy(cur->title, line + strlen(DP_PLOT_TITLE_TAG),
				sizeof(cur->title));
		} else if (cur != NULL && line[0] >= '0' && line[0] <= '9' &&
				cur->nx < RTE_DIM(cur->x)) {
			series_point(cur, line);
		}
	}
	fclose(f);
	return series;
}

/* Whether the series with x axis key all come from one case. */
static bool
plot_one_case(const struct plot_series *series, unsigned int nb,
	const char *key)
{
	unsigned int i, first = 0;

	for (i = 0; i < nb; i++) {
		if (strcmp(series[i].key, key) != 0)
			continue;
		if (first == 0)
			first = series[i].case_id;
		else if (series[i].case_id != first)
			return false;
	}
	return true;
}

static const char *
axis_label(const char *key)
{
	if (strcmp(key, "buf_size") == 0)
		return "buffer size";
	if (strcmp(key, "channels") == 0)
		return "channels (dmadevs one lcore feeds)";
	return key;
}

/* A measured x value as its tick says it: sizes with their unit. */
static void
tick_text(const char *key, uint32_t x, char *buf, size_t len)
{
	if (strcmp(key, "mem_size") == 0)
		snprintf(buf, len, "%" PRIu32 " MiB", x);
	else if (strcmp(key, "buf_size") != 0)
		snprintf(buf, len, "%" PRIu32, x);
	else if (x >= 1u << 20 && x % (1u << 20) == 0)
		snprintf(buf, len, "%" PRIu32 " MiB", x >> 20);
	else if (x >= 1u << 10 && x % (1u << 10) == 0)
		snprintf(buf, len, "%" PRIu32 " KiB", x >> 10);
	else
		snprintf(buf, len, "%" PRIu32 " B", x);
}

/* The measured x values of the series with x axis key, ascending and
 * each once. */
static unsigned int
plot_ticks(const struct plot_series *series, unsigned int nb, const char *key,
	uint32_t *ticks)
{
	unsigned int i, j, k, n = 0;

	for (i = 0; i < nb; i++) {
		if (strcmp(series[i].key, key) != 0)
			continue;
		for (j = 0; j < series[i].nx; j++) {
			uint32_t x = series[i].x[j];

			for (k = n; k > 0 && ticks[k - 1] > x; k--)
				;
			if ((k > 0 && ticks[k - 1] == x) || n == MAX_TICKS)
				continue;
			memmove(&ticks[k + 1], &ticks[k],
				(n - k) * sizeof(ticks[0]));
			ticks[k] = x;
			n++;
		}
	}
	return n;
}

/* Octaves from lo to hi (0 < lo <= hi), near enough to space series. */
static double
octaves(double lo, double hi)
{
	double r = hi / lo, n = 0;

	while (r >= 2) {
		r /= 2;
		n++;
	}
	return n + (r - 1);
}

/* The x axis: log2, marked at the measured values only. Returns the
 * shift, in octaves, from one of its m series to the next. */
static double
plot_x_axis(FILE *gp, const struct plot_series *series, unsigned int nb,
	const char *key, unsigned int m)
{
	uint32_t ticks[MAX_TICKS];
	unsigned int i, n = plot_ticks(series, nb, key, ticks);
	double lo, hi, gap;
	char text[32];

	if (n == 0)
		return 0;
	lo = RTE_MAX(ticks[0], 1u) / X_MARGIN;
	hi = RTE_MAX(ticks[n - 1], 1u) * X_MARGIN;
	fprintf(gp, "set logscale x 2\nset xrange [%g:%g]\nset xtics (", lo, hi);
	for (i = 0; i < n; i++) {
		tick_text(key, ticks[i], text, sizeof(text));
		fprintf(gp, "%s", i > 0 ? ", " : "");
		put_quoted(gp, text);
		fprintf(gp, " %" PRIu32, ticks[i]);
	}
	fprintf(gp, ")\nset mxtics 1\n");
	gap = octaves(lo, hi) * SERIES_GAP;
	if (n > 1 && m > 1)
		gap = RTE_MIN(gap, octaves(lo * X_MARGIN, hi / X_MARGIN) / (n - 1) *
			SERIES_SPREAD / (m - 1));
	return gap;
}

static const struct dp_case *
config_case(const struct dp_config *cfg, unsigned int id)
{
	unsigned int i;

	for (i = 0; i < cfg->nb_cases; i++)
		if (cfg->cases[i].id == id)
			return &cfg->cases[i];
	return NULL;
}

/* "1024", or "64,256,1024" when the parameter varies. */
static void
param_text(const struct dp_param *p, char *buf, size_t len)
{
	size_t n = 0;
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < p->nb && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%" PRIu32, i > 0 ? "," : "",
			p->val[i]);
}

/* One line: how case c ran, with the parameters of its scenarios. */
static void
case_text(const struct dp_case *c, char *buf, size_t len)
{
	char ring[256], batch[256], mem[256];
	size_t n;

	param_text(&c->ring_size, ring, sizeof(ring));
	param_text(&c->kick_batch, batch, sizeof(batch));
	param_text(&c->mem_size, mem, sizeof(mem));
	if (c->compare)
		n = snprintf(buf, len, "case%u: compare on lcore %u, %u rounds of %u ms",
			c->id, c->compare_lcore, c->rounds, c->round_ms);
	else
		n = snprintf(buf, len, "case%u: %u %s worker%s, one %u s run",
			c->id, c->nb_workers,
			c->type == DP_TYPE_CPU_MEM_COPY ? "CPU" : "DMA",
			c->nb_workers > 1 ? "s" : "", c->test_secs);
	if (n < len && dp_case_uses_dmadev(c))
		n += snprintf(buf + n, len - n, ", ring %s, batch %s", ring,
			batch);
	if (n < len)
		n += snprintf(buf + n, len - n, ", mem_size %s MiB (src + dst)",
			mem);
	if (n < len && c->cache_flush)
		snprintf(buf + n, len - n, ", caches flushed");
}

/* One line: the CPU model, how many CPUs, the kernel and the date. */
static void
machine_text(char *buf, size_t len)
{
	char model[128] = "CPU model unknown", line[256], date[32];
	const time_t now = time(NULL);
	struct utsname u;
	struct tm tm;
	FILE *f = fopen("/proc/cpuinfo", "r");
	char *v;

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		v = strchr(line, ':');
		if (strncmp(line, "model name", 10) != 0 || v == NULL)
			continue;
		v += strspn(v + 1, " \t") + 1;
		v[strcspn(v, "\n")] = '\0';
		strlcpy(model, v, sizeof(model));
		break;
	}
	if (f != NULL)
		fclose(f);
	if (uname(&u) != 0)
		strlcpy(u.release, "?", sizeof(u.release));
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M %Z",
		localtime_r(&now, &tm));
	snprintf(buf, len, "%s, %ld CPUs, Linux %s, %s", model,
		sysconf(_SC_NPROCESSORS_ONLN), u.release, date);
}

/* A log10 y axis from lo to hi, marked at 1, 2 and 5 times a power of
 * ten, so that a figure can be read off it. */
static void
plot_log_y(FILE *gp, double lo, double hi)
{
	static const double steps[] = { 1, 2, 5 };
	const char *sep = "";
	double decade;
	unsigned int i;

	fprintf(gp, "set logscale y 10\nset yrange [%g:%g]\nset ytics (", lo,
		hi);
	for (decade = 1e-3; decade <= hi; decade *= 10)
		for (i = 0; i < RTE_DIM(steps); i++) {
			double v = steps[i] * decade;

			if (v < lo || v > hi)
				continue;
			fprintf(gp, "%s\"%g\" %g", sep, v, v);
			sep = ", ";
		}
	fprintf(gp, ")\nset ylabel 'throughput (Gbps, log scale): median, bar from min to max'\n");
}

/* The y axis: from 0, or log10 when the throughputs span more than
 * LOG_Y_SPREAD. */
static void
plot_y_axis(FILE *gp, const struct plot_series *series, unsigned int nb,
	const char *key)
{
	double lo = 0, hi = 0;
	bool first = true;
	unsigned int i;

	for (i = 0; i < nb; i++) {
		if (strcmp(series[i].key, key) != 0 || series[i].nx == 0)
			continue;
		lo = first ? series[i].lo : RTE_MIN(lo, series[i].lo);
		hi = first ? series[i].hi : RTE_MAX(hi, series[i].hi);
		first = false;
	}
	if (lo > 0 && hi / lo > LOG_Y_SPREAD)
		plot_log_y(gp, lo / 1.5, hi * 1.5);
	else
		fprintf(gp, "set yrange [0:*]\n"
			"set ylabel 'throughput (Gbps): median, bar from min to max'\n");
}

/* The title: what the plot shows and from which config, how each of its
 * cases ran, and on what machine. */
static void
plot_title(FILE *gp, const struct plot_series *series, unsigned int nb,
	const char *key, const struct dp_config *cfg)
{
	const char *config = strrchr(cfg->path, '/');
	char title[2048], line[512];
	unsigned int i, j, shown = 0, more = 0;
	size_t n;

	n = snprintf(title, sizeof(title),
		"netdma-dma-perf: copy throughput vs %s, %s",
		axis_label(key), config != NULL ? config + 1 : cfg->path);
	for (i = 0; i < nb; i++) {
		const struct dp_case *c = config_case(cfg, series[i].case_id);

		if (strcmp(series[i].key, key) != 0 || c == NULL)
			continue;
		for (j = 0; j < i && (strcmp(series[j].key, key) != 0 ||
				series[j].case_id != c->id); j++)
			;
		if (j < i)
			continue;	/* the case is on a line already */
		if (shown == MAX_TITLE_CASES) {
			more++;
			continue;
		}
		case_text(c, line, sizeof(line));
		if (n < sizeof(title))
			n += snprintf(title + n, sizeof(title) - n, "\n%s", line);
		shown++;
	}
	if (more > 0 && n < sizeof(title))
		n += snprintf(title + n, sizeof(title) - n,
			"\n(and %u more cases: see the CSV)", more);
	machine_text(line, sizeof(line));
	if (n < sizeof(title))
		snprintf(title + n, sizeof(title) - n, "\n%s", line);
	fprintf(gp, "set title ");
	put_dquoted(gp, title);
	fprintf(gp, "\n");
}

/* The PNG of the series whose x axis is key; 0 if drawn. */
static int
plot_draw(const char *dat, const char *png, const struct plot_series *series,
	unsigned int nb, const char *key, const struct dp_config *cfg)
{
	bool one_case = plot_one_case(series, nb, key);
	unsigned int i, m = 0, j = 0;
	double gap;
	FILE *gp;
	int status;

	for (i = 0; i < nb; i++)
		m += strcmp(series[i].key, key) == 0;
	fflush(stdout);
	gp = popen("gnuplot", "w");
	if (gp == NULL)
		return -1;
	fprintf(gp, "set terminal pngcairo size 1200,720 noenhanced\n"
		"set output ");
	put_quoted(gp, png);
	fprintf(gp, "\n");
	plot_title(gp, series, nb, key, cfg);
	fprintf(gp, "set xlabel ");
	put_quoted(gp, axis_label(key));
	fprintf(gp, "\nset grid\nset key outside right top\n");
	plot_y_axis(gp, series, nb, key);
	gap = plot_x_axis(gp, series, nb, key, m);
	fprintf(gp, "plot ");
	for (i = 0; i < nb; i++) {
		const char *t = series[i].title;

		if (strcmp(series[i].key, key) != 0)
			continue;
		/* "caseN " only tells series apart across cases */
		if (one_case && strchr(t, ' ') != NULL)
			t = strchr(t, ' ') + 1;
		if (j == 0)
			put_quoted(gp, dat);
		else
			fprintf(gp, ", ''");
		fprintf(gp, " index %u using ($1*2**(%.4f)):2:3:4 with yerrorbars pt 7 ps 1.3 lw 2 title ",
			i, (j - (m - 1) / 2.0) * gap);
		put_quoted(gp, t);
		j++;
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

int
dp_output_plot(const char *csv_path, const struct dp_config *cfg)
{
	char dat[PATH_MAX], png[PATH_MAX], suffix[48];
	struct plot_series *series;
	unsigned int nb, i, j;
	int ret = 0;

	dp_output_derived_path(csv_path, "_plot.dat", dat, sizeof(dat));
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
		dp_output_derived_path(csv_path, suffix, png, sizeof(png));
		if (plot_draw(dat, png, series, nb, series[i].key, cfg) < 0)
			ret = -1;
	}
	free(series);
	return ret;
}
