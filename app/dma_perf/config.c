/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Parser of the dpdk-test-dma-perf config.ini format (both the 23.x and
 * the 24.x dialects) plus the netdma extensions (compare mode, vdevs,
 * contenders made of vdev templates, channels).
 *
 * The whole file is validated before anything runs: a benchmark that
 * dies with a typo after ten minutes of measurements is worse than one
 * that refuses to start. Every problem is reported as exactly one line.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <strings.h>
#include <sys/stat.h>

#include <rte_bitops.h>
#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_log.h>
#include <rte_string_fns.h>

#include "config.h"

#define GLOBAL_SECTION		"GLOBAL"
#define MAX_SECTIONS		(DP_MAX_CASES + 1)
#define MAX_ENTRIES		64

#define DEFAULT_TEST_SECS	1
#define DEFAULT_ROUNDS		5
#define DEFAULT_LAT_SAMPLE	64
#define DEFAULT_CPU_BATCH	32
#define DEFAULT_COMPARE_LCORE	1
#define MIN_ROUND_MS		50
#define DEFAULT_VICTIM_GAP_US	300
#define DEFAULT_VICTIM_STALL_US	5
#define DEFAULT_VICTIM_RING	64

/* Keys a [caseN] section may hold; anything else is a typo. */
static const char * const case_keys[] = {
	"type", "mem_size", "buf_size", "dma_ring_size", "kick_batch",
	"src_numa_node", "dst_numa_node", "cache_flush", "test_seconds",
	"lcore_dma", "lcore", "eal_args", "skip", "direction",
	"use_enq_deq_ops", "dma_src_sge", "dma_dst_sge", "vchan_dev",
	/* netdma extensions */
	"compare", "baseline", "rounds", "round_ms", "lat_sample", "vdevs",
	"channels", "victim", "victim_gap_us", "victim_stall_us",
	/* and "<contender>.<field>": see contender_fields[] */
};

/* Fields of a compare contender, written "<contender>.<field>=". */
static const char * const contender_fields[] = {
	"vdev", "busy",
};

/*
 * The placeholders of a vdev template: the channel count, the index of a
 * repeated template, the EAL main lcore and its CPU (struct
 * dp_template_vars).
 */
#define TEMPLATE_N	"{n}"
#define TEMPLATE_I	"{i}"
#define TEMPLATE_MAIN_LCORE	"{main_lcore}"
#define TEMPLATE_MAIN_CPU	"{main_cpu}"

static const char * const template_placeholders[] = {
	TEMPLATE_N, TEMPLATE_I, TEMPLATE_MAIN_LCORE, TEMPLATE_MAIN_CPU,
};

static const char * const global_keys[] = {
	"eal_args", "cache_flush", "test_seconds", "vdevs",
};

struct parse_ctx {
	struct rte_cfgfile *file;
	const char *path;
	const char *section;
	char *err;
	size_t err_len;
	/* [GLOBAL] defaults */
	char g_eal_args[DP_ARGS_LEN];
	char g_vdevs[DP_ARGS_LEN];
	bool g_cache_flush;
	uint32_t g_test_secs;
};

static int __rte_format_printf(2, 3)
perr(struct parse_ctx *ctx, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctx->section != NULL)
		snprintf(ctx->err, ctx->err_len, "%s: [%s] %s",
			ctx->path, ctx->section, msg);
	else
		snprintf(ctx->err, ctx->err_len, "%s: %s", ctx->path, msg);
	return -1;
}

static const char *
get(struct parse_ctx *ctx, const char *key)
{
	return rte_cfgfile_get_entry(ctx->file, ctx->section, key);
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Strict unsigned parse: the whole string must be a number. */
static int
parse_u32_str(const char *s, uint32_t *out)
{
	unsigned long long v;
	char buf[64];
	char *p, *end;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	p = trim(buf);
	if (*p == '\0' || *p == '-' || *p == '+')
		return -1;
	errno = 0;
	v = strtoull(p, &end, 0);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
get_u32(struct parse_ctx *ctx, const char *key, uint32_t def,
	uint32_t min, uint32_t max, uint32_t *out)
{
	const char *v = get(ctx, key);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (parse_u32_str(v, out) < 0)
		return perr(ctx, "%s: '%s' is not a number", key, v);
	if (*out < min || *out > max)
		return perr(ctx, "%s: %" PRIu32 " out of range [%" PRIu32
			", %" PRIu32 "]", key, *out, min, max);
	return 0;
}

static int
get_bool(struct parse_ctx *ctx, const char *key, bool def, bool *out)
{
	uint32_t v;

	if (get_u32(ctx, key, def ? 1 : 0, 0, 1, &v) < 0)
		return -1;
	*out = v != 0;
	return 0;
}

/*
 * "N", "N1,N2,...,Nk" (netdma extension: an explicit list) or the
 * dpdk-test-dma-perf progression "first,last,step,ADD|MUL".
 */
static int
parse_param(struct parse_ctx *ctx, const char *key, const char *value,
	uint32_t min, uint32_t max, struct dp_param *p)
{
	char buf[CFG_VALUE_LEN];
	char *tok[DP_MAX_VALUES + 1];
	uint32_t first, last, step;
	uint64_t cur;
	int n, i;

	memset(p, 0, sizeof(*p));
	if (strlcpy(buf, value, sizeof(buf)) >= sizeof(buf))
		return perr(ctx, "%s: value too long", key);
	n = rte_strsplit(buf, strlen(buf), tok, RTE_DIM(tok), ',');
	if (n <= 0 || n > DP_MAX_VALUES)
		goto bad;
	for (i = 0; i < n; i++)
		tok[i] = trim(tok[i]);

	if (n == 4 && (strcmp(tok[3], "ADD") == 0 || strcmp(tok[3], "MUL") == 0)) {
		bool mul = strcmp(tok[3], "MUL") == 0;

		if (parse_u32_str(tok[0], &first) < 0 ||
				parse_u32_str(tok[1], &last) < 0 ||
				parse_u32_str(tok[2], &step) < 0)
			goto bad;
		if (first > last)
			return perr(ctx, "%s: first value %" PRIu32
				" is above last value %" PRIu32, key, first, last);
		if ((mul && (step < 2 || first == 0)) || (!mul && step == 0))
			return perr(ctx, "%s: step %" PRIu32
				" never reaches the last value", key, step);
		for (cur = first; cur <= last; cur = mul ? cur * step : cur + step) {
			if (p->nb == DP_MAX_VALUES)
				return perr(ctx, "%s: more than %d values",
					key, DP_MAX_VALUES);
			p->val[p->nb++] = (uint32_t)cur;
		}
	} else {
		for (i = 0; i < n; i++)
			if (parse_u32_str(tok[i], &p->val[i]) < 0)
				goto bad;
		p->nb = n;
	}

	for (i = 0; i < (int)p->nb; i++)
		if (p->val[i] < min || p->val[i] > max)
			return perr(ctx, "%s: %" PRIu32 " out of range [%" PRIu32
				", %" PRIu32 "]", key, p->val[i], min, max);
	return 0;
bad:
	return perr(ctx, "%s: bad value '%s' (expected N, N1,N2,... or "
		"first,last,step,ADD|MUL)", key, value);
}

static int
get_param(struct parse_ctx *ctx, const char *key, bool required,
	uint32_t def, uint32_t min, uint32_t max, struct dp_param *p)
{
	const char *v = get(ctx, key);

	if (v == NULL) {
		if (required)
			return perr(ctx, "missing required key '%s'", key);
		p->nb = 1;
		p->val[0] = def;
		return 0;
	}
	return parse_param(ctx, key, v, min, max, p);
}

static bool
key_known(const char *key, const char * const *keys, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* lcore_dma0, lcore_dma1, ... of the 24.x dialect. */
static bool
is_lcore_dma_n(const char *key)
{
	const char *p;

	if (strncmp(key, "lcore_dma", 9) != 0 || key[9] == '\0')
		return false;
	for (p = key + 9; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

static int
check_keys(struct parse_ctx *ctx, const char * const *keys, unsigned int n)
{
	struct rte_cfgfile_entry *ent;
	int nb, i, ret = 0;

	nb = rte_cfgfile_section_num_entries(ctx->file, ctx->section);
	if (nb <= 0)
		return 0;
	ent = calloc(nb, sizeof(*ent));
	if (ent == NULL)
		return perr(ctx, "out of memory");
	nb = rte_cfgfile_section_entries(ctx->file, ctx->section, ent, nb);
	for (i = 0; i < nb; i++) {
		if (key_known(ent[i].name, keys, n) ||
				(keys == case_keys && is_lcore_dma_n(ent[i].name)))
			continue;
		/* contender fields are checked against the contenders */
		if (keys == case_keys && strchr(ent[i].name, '.') != NULL)
			continue;
		ret = perr(ctx, "unknown key '%s'", ent[i].name);
		break;
	}
	free(ent);
	return ret;
}

static int
set_dev_name(struct parse_ctx *ctx, char *dst, const char *name)
{
	if (*name == '\0')
		return perr(ctx, "empty DMA device name");
	if (strlcpy(dst, name, DP_NAME_LEN) >= DP_NAME_LEN)
		return perr(ctx, "DMA device name '%s' too long", name);
	return 0;
}

static int
parse_lcore_id(struct parse_ctx *ctx, const char *what, const char *s,
	unsigned int *lcore)
{
	uint32_t v;

	if (parse_u32_str(s, &v) < 0 || v >= RTE_MAX_LCORE)
		return perr(ctx, "%s: bad lcore id '%s'", what, s);
	*lcore = v;
	return 0;
}

/* 23.x: lcore_dma=lcore10@0000:00:04.2, lcore11@0000:00:04.3 */
static int
parse_lcore_dma_23(struct parse_ctx *ctx, struct dp_case *c, const char *value)
{
	char buf[CFG_VALUE_LEN];
	char *tok[DP_MAX_WORKERS + 1];
	int n, i;

	strlcpy(buf, value, sizeof(buf));
	n = rte_strsplit(buf, strlen(buf), tok, RTE_DIM(tok), ',');
	if (n <= 0)
		return perr(ctx, "lcore_dma: empty value");
	if (n > DP_MAX_WORKERS)
		return perr(ctx, "lcore_dma: more than %d workers",
			DP_MAX_WORKERS);
	for (i = 0; i < n; i++) {
		char *t = trim(tok[i]);
		char *at = strchr(t, '@');

		if (strncmp(t, "lcore", 5) != 0 || at == NULL)
			return perr(ctx, "lcore_dma: bad entry '%s' (expected lcoreN@<dmadev>)",
				t);
		*at = '\0';
		if (parse_lcore_id(ctx, "lcore_dma", t + 5,
				&c->workers[i].lcore) < 0 ||
				set_dev_name(ctx, c->workers[i].dev, trim(at + 1)) < 0)
			return -1;
	}
	c->nb_workers = n;
	return 0;
}

/* 24.x: lcore_dma0=lcore=10,dev=0000:00:04.2,dir=mem2mem */
static int
parse_lcore_dma_24(struct parse_ctx *ctx, const char *key, const char *value,
	struct dp_worker_map *w)
{
	char buf[CFG_VALUE_LEN];
	char *tok[16];
	bool have_lcore = false, have_dev = false;
	int n, i;

	strlcpy(buf, value, sizeof(buf));
	n = rte_strsplit(buf, strlen(buf), tok, RTE_DIM(tok), ',');
	for (i = 0; i < n; i++) {
		char *k = trim(tok[i]);
		char *v = strchr(k, '=');

		if (v == NULL)
			return perr(ctx, "%s: '%s' is not key=value", key, k);
		*v++ = '\0';
		k = trim(k);
		v = trim(v);
		if (strcmp(k, "lcore") == 0) {
			if (parse_lcore_id(ctx, key, v, &w->lcore) < 0)
				return -1;
			have_lcore = true;
		} else if (strcmp(k, "dev") == 0) {
			if (set_dev_name(ctx, w->dev, v) < 0)
				return -1;
			have_dev = true;
		} else if (strcmp(k, "dir") == 0) {
			if (strcmp(v, "mem2mem") != 0)
				return perr(ctx, "%s: dir=%s not supported (only mem2mem)",
					key, v);
		} else if (strcmp(k, "raddr") == 0 || strcmp(k, "coreid") == 0 ||
				strcmp(k, "pfid") == 0 || strcmp(k, "vfid") == 0) {
			return perr(ctx, "%s: '%s' is for mem2dev/dev2mem, which is not supported",
				key, k);
		} else {
			return perr(ctx, "%s: unknown field '%s'", key, k);
		}
	}
	if (!have_lcore || !have_dev)
		return perr(ctx, "%s: needs both lcore= and dev=", key);
	return 0;
}

static int
parse_workers_dma(struct parse_ctx *ctx, struct dp_case *c)
{
	const char *v23 = get(ctx, "lcore_dma");
	char key[32];
	const char *v;
	unsigned int i;

	if (v23 != NULL && get(ctx, "lcore_dma0") != NULL)
		return perr(ctx, "use either lcore_dma or lcore_dma0.., not both");
	if (v23 != NULL)
		return parse_lcore_dma_23(ctx, c, v23);

	for (i = 0; ; i++) {
		snprintf(key, sizeof(key), "lcore_dma%u", i);
		v = get(ctx, key);
		if (v == NULL)
			break;
		if (i == DP_MAX_WORKERS)
			return perr(ctx, "more than %d workers", DP_MAX_WORKERS);
		if (parse_lcore_dma_24(ctx, key, v, &c->workers[i]) < 0)
			return -1;
	}
	if (i == 0)
		return perr(ctx, "DMA_MEM_COPY needs lcore_dma=lcoreN@<dmadev> or lcore_dma0=lcore=N,dev=<dmadev>");
	c->nb_workers = i;
	return 0;
}

/* lcore=10, 11 (CPU copies) */
static int
parse_workers_cpu(struct parse_ctx *ctx, struct dp_case *c)
{
	const char *value = get(ctx, "lcore");
	char buf[CFG_VALUE_LEN];
	char *tok[DP_MAX_WORKERS + 1];
	int n, i;

	if (value == NULL)
		return perr(ctx, "CPU_MEM_COPY needs lcore=N[,N...]");
	strlcpy(buf, value, sizeof(buf));
	n = rte_strsplit(buf, strlen(buf), tok, RTE_DIM(tok), ',');
	if (n <= 0 || n > DP_MAX_WORKERS)
		return perr(ctx, "lcore: expected 1..%d lcore ids", DP_MAX_WORKERS);
	for (i = 0; i < n; i++)
		if (parse_lcore_id(ctx, "lcore", trim(tok[i]),
				&c->workers[i].lcore) < 0)
			return -1;
	c->nb_workers = n;
	return 0;
}

/* The length of the placeholder t starts with, or 0 if it starts with none. */
static size_t
template_placeholder(const char *t)
{
	unsigned int k;
	size_t n;

	for (k = 0; k < RTE_DIM(template_placeholders); k++) {
		n = strlen(template_placeholders[k]);
		if (strncmp(t, template_placeholders[k], n) == 0)
			return n;
	}
	return 0;
}

/*
 * A vdev template: "name[,devargs]" without blanks (vdevs are
 * blank-separated), in which the placeholders are the only braces.
 */
static int
check_template(struct parse_ctx *ctx, const char *key, const char *t)
{
	const char *p;
	size_t n;

	if (*t == '\0' || *t == ',')
		return perr(ctx, "%s: no vdev name in '%s'", key, t);
	for (p = t; *p != '\0'; p++) {
		if (isspace((unsigned char)*p))
			return perr(ctx, "%s: blank in '%s' (one vdev; {i} repeats it)",
				key, t);
		n = *p == '{' ? template_placeholder(p) : 0;
		if (*p == '}' || (*p == '{' && n == 0))
			return perr(ctx, "%s: unknown placeholder in '%s' (only %s, the channel count, %s, 0 .. %s-1, %s and %s)",
				key, t, TEMPLATE_N, TEMPLATE_I, TEMPLATE_N,
				TEMPLATE_MAIN_LCORE, TEMPLATE_MAIN_CPU);
		if (n > 0)
			p += n - 1;
	}
	return 0;
}

/* "<contender>.vdev" and "<contender>.busy" of a dmadev contender. */
static int
parse_contender_fields(struct parse_ctx *ctx, struct dp_contender *ct)
{
	/* room for the longest contender name and a field */
	char key[CFG_NAME_LEN + sizeof(".vdev")];
	const char *v;

	snprintf(key, sizeof(key), "%s.vdev", ct->name);
	v = get(ctx, key);
	if (v != NULL) {
		if (check_template(ctx, key, v) < 0)
			return -1;
		if (strlcpy(ct->vdev, v, sizeof(ct->vdev)) >= sizeof(ct->vdev))
			return perr(ctx, "%s: too long", key);
	}
	snprintf(key, sizeof(key), "%s.busy", ct->name);
	if (get(ctx, key) != NULL && v == NULL)
		return perr(ctx, "%s: only a contender with a %s.vdev template has idle dmadevs",
			key, ct->name);
	return get_u32(ctx, key, 0, 1, DP_MAX_CHANNELS, &ct->busy);
}

/* Every "<contender>.<field>" key names a contender and a known field. */
static int
check_contender_keys(struct parse_ctx *ctx, const struct dp_case *c)
{
	struct rte_cfgfile_entry *ent;
	int nb, i, ret = 0;
	unsigned int k;

	nb = rte_cfgfile_section_num_entries(ctx->file, ctx->section);
	if (nb <= 0)
		return 0;
	ent = calloc(nb, sizeof(*ent));
	if (ent == NULL)
		return perr(ctx, "out of memory");
	nb = rte_cfgfile_section_entries(ctx->file, ctx->section, ent, nb);
	for (i = 0; i < nb && ret == 0; i++) {
		char *field = strrchr(ent[i].name, '.');

		if (field == NULL)
			continue;
		*field++ = '\0';
		for (k = 0; k < c->nb_contenders; k++)
			if (dp_contender_has_dev(&c->contenders[k]) &&
					strcmp(c->contenders[k].name, ent[i].name) == 0)
				break;
		if (k == c->nb_contenders)
			ret = perr(ctx, "unknown key '%s.%s' ('%s' is not a DMA contender in compare=)",
				ent[i].name, field, ent[i].name);
		else if (!key_known(field, contender_fields,
				RTE_DIM(contender_fields)))
			ret = perr(ctx, "unknown key '%s.%s' (a contender has %s.vdev and %s.busy)",
				ent[i].name, field, ent[i].name, ent[i].name);
	}
	free(ent);
	return ret;
}

static int
parse_compare(struct parse_ctx *ctx, struct dp_case *c, const char *value)
{
	char buf[CFG_VALUE_LEN];
	char *tok[DP_MAX_CONTENDERS + 1];
	const char *base;
	bool any_dma = false;
	unsigned int i, j;
	uint32_t v;
	int n;

	if (get(ctx, "lcore_dma") != NULL || get(ctx, "lcore_dma0") != NULL)
		return perr(ctx, "compare= runs every contender on one lcore: use lcore=N, not lcore_dma");

	strlcpy(buf, value, sizeof(buf));
	n = rte_strsplit(buf, strlen(buf), tok, RTE_DIM(tok), ',');
	if (n < 1 || n > DP_MAX_CONTENDERS)
		return perr(ctx, "compare: expected 1..%d contenders",
			DP_MAX_CONTENDERS);
	for (i = 0; i < (unsigned int)n; i++) {
		struct dp_contender *ct = &c->contenders[i];
		char *name = trim(tok[i]);

		if (set_dev_name(ctx, ct->name, name) < 0)
			return -1;
		ct->is_cpu = strcasecmp(name, DP_CPU_NAME) == 0;
		if (ct->is_cpu)
			strlcpy(ct->name, DP_CPU_NAME, sizeof(ct->name));
		ct->is_none = strcasecmp(name, DP_NONE_NAME) == 0;
		if (ct->is_none && !c->victim)
			return perr(ctx, "compare: '%s' copies nothing: it is the floor of a victim case (victim=1)",
				name);
		if (ct->is_none)
			strlcpy(ct->name, DP_NONE_NAME, sizeof(ct->name));
		any_dma |= dp_contender_has_dev(ct);
		ct->dev_id = -1;
		for (j = 0; j < i; j++)
			if (strcmp(c->contenders[j].name, ct->name) == 0)
				return perr(ctx, "compare: '%s' listed twice", name);
		if (dp_contender_has_dev(ct) &&
				parse_contender_fields(ctx, ct) < 0)
			return -1;
	}
	c->nb_contenders = n;
	c->compare = true;

	base = get(ctx, "baseline");
	c->baseline = 0;
	for (i = 0; i < c->nb_contenders; i++) {
		if ((base != NULL && strcasecmp(base, c->contenders[i].name) == 0) ||
				(base == NULL && c->contenders[i].is_cpu)) {
			c->baseline = i;
			break;
		}
	}
	if (base != NULL && i == c->nb_contenders)
		return perr(ctx, "baseline '%s' is not one of the compare contenders",
			base);

	if (get_u32(ctx, "lcore", c->victim ? DP_LCORE_AUTO :
			DEFAULT_COMPARE_LCORE, 0, RTE_MAX_LCORE - 1, &v) < 0)
		return -1;
	c->compare_lcore = v;
	if (get_u32(ctx, "rounds", DEFAULT_ROUNDS, 1, DP_MAX_VALUES,
			&c->rounds) < 0)
		return -1;
	/* By default every contender gets test_seconds of measured time in
	 * total, spread over the rounds.
	 */
	if (get_u32(ctx, "round_ms",
			RTE_MAX((uint32_t)MIN_ROUND_MS,
				c->test_secs * 1000 / c->rounds),
			10, 600000, &c->round_ms) < 0)
		return -1;

	/* A victim case's feeder makes single copies: no batch. */
	if (any_dma && !c->victim && (get(ctx, "dma_ring_size") == NULL ||
			get(ctx, "kick_batch") == NULL))
		return perr(ctx, "compare with a DMA contender needs dma_ring_size and kick_batch");
	return 0;
}

/*
 * victim=1: the compare lcore polls the TSC, never touching a device,
 * while the main lcore feeds each contender single copies victim_gap_us
 * apart; a TSC gap over victim_stall_us is a stall. Read before compare=,
 * which it changes: the lcore's default, "none", no batch needed.
 */
static int
parse_victim(struct parse_ctx *ctx, struct dp_case *c)
{
	if (get_bool(ctx, "victim", false, &c->victim) < 0)
		return -1;
	if (!c->victim) {
		if (get(ctx, "victim_gap_us") != NULL ||
				get(ctx, "victim_stall_us") != NULL)
			return perr(ctx, "victim_gap_us and victim_stall_us go with victim=1");
		return 0;
	}
	if (get(ctx, "compare") == NULL)
		return perr(ctx, "victim=1 needs compare=<contenders>");
	if (get(ctx, "dma_src_sge") != NULL)
		return perr(ctx, "victim=1: the feeder makes plain copies, not scatter-gather");
	if (get_u32(ctx, "victim_gap_us", DEFAULT_VICTIM_GAP_US, 0, 1000000,
			&c->victim_gap_us) < 0 ||
			get_u32(ctx, "victim_stall_us", DEFAULT_VICTIM_STALL_US,
				1, 1000000, &c->victim_stall_us) < 0)
		return -1;
	return 0;
}

static int
reject_unsupported(struct parse_ctx *ctx)
{
	const char *v;

	v = get(ctx, "direction");
	if (v != NULL && strcmp(v, "mem2mem") != 0)
		return perr(ctx, "direction=%s not supported (only mem2mem)", v);
	if (get(ctx, "vchan_dev") != NULL)
		return perr(ctx, "vchan_dev (mem2dev/dev2mem) not supported");
	v = get(ctx, "use_enq_deq_ops");
	if (v != NULL && strcmp(v, "0") != 0)
		return perr(ctx, "use_enq_deq_ops not supported");
	return 0;
}

/* ------------------------------------------------------------------ */
/* scenarios: one value of each scenario parameter                     */

/*
 * The parameters that make up a scenario, each with its config key, its
 * list of values in struct dp_case and its value in struct dp_scenario.
 * A new scenario parameter is one row here.
 */
#define SCENARIO_PARAM(key, list, value) \
	{ key, offsetof(struct dp_case, list), offsetof(struct dp_scenario, value) }

static const struct {
	const char *key;
	size_t list;
	size_t value;
} scenario_params[] = {
	SCENARIO_PARAM("mem_size", mem_size, mem_mb),
	SCENARIO_PARAM("buf_size", buf_size, buf_size),
	SCENARIO_PARAM("dma_ring_size", ring_size, ring_size),
	SCENARIO_PARAM("kick_batch", kick_batch, kick_batch),
	SCENARIO_PARAM("channels", channels, channels),
	SCENARIO_PARAM("dma_src_sge", src_sge, src_sge),
	SCENARIO_PARAM("dma_dst_sge", dst_sge, dst_sge),
};

static const struct dp_param *
scenario_param(const struct dp_case *c, unsigned int k)
{
	return (const struct dp_param *)((const char *)c +
		scenario_params[k].list);
}

unsigned int
dp_case_nb_scenarios(const struct dp_case *c)
{
	unsigned int k, nb = 1;

	for (k = 0; k < RTE_DIM(scenario_params); k++)
		nb = RTE_MAX(nb, scenario_param(c, k)->nb);
	return nb;
}

/* A parameter with fewer values than the case has scenarios keeps its
 * last value.
 */
void
dp_case_scenario(const struct dp_case *c, unsigned int num,
	struct dp_scenario *sc)
{
	unsigned int k;

	memset(sc, 0, sizeof(*sc));
	sc->num = num;
	for (k = 0; k < RTE_DIM(scenario_params); k++) {
		const struct dp_param *p = scenario_param(c, k);

		*(uint32_t *)((char *)sc + scenario_params[k].value) =
			p->val[RTE_MIN(num - 1, p->nb - 1)];
	}
}

/* "mem_size, buf_size, ...": the keys of all scenario parameters. */
static void
scenario_keys(char *out, size_t len)
{
	size_t n = 0;
	unsigned int k;

	out[0] = '\0';
	for (k = 0; k < RTE_DIM(scenario_params) && n < len; k++)
		n += snprintf(out + n, len - n, "%s%s", k > 0 ? ", " : "",
			scenario_params[k].key);
}

/* Key of the varying scenario parameter, and how many vary. */
static const char *
pick_var(const struct dp_case *c, int *nb_var)
{
	const char *name = NULL;
	unsigned int k;

	*nb_var = 0;
	for (k = 0; k < RTE_DIM(scenario_params); k++) {
		if (scenario_param(c, k)->nb > 1) {
			name = scenario_params[k].key;
			(*nb_var)++;
		}
	}
	return name;
}

bool
dp_case_uses_dmadev(const struct dp_case *c)
{
	unsigned int i;

	if (!c->compare)
		return c->type == DP_TYPE_DMA_MEM_COPY;
	for (i = 0; i < c->nb_contenders; i++)
		if (dp_contender_has_dev(&c->contenders[i]))
			return true;
	return false;
}

const char *
dp_case_plot_key(const struct dp_case *c)
{
	return c->var_name != NULL ? c->var_name : "buf_size";
}

uint32_t
dp_case_plot_x(const struct dp_case *c, const struct dp_scenario *sc)
{
	const char *key = dp_case_plot_key(c);
	unsigned int k;

	for (k = 0; k < RTE_DIM(scenario_params); k++)
		if (strcmp(scenario_params[k].key, key) == 0)
			break;
	return *(const uint32_t *)((const char *)sc + scenario_params[k].value);
}

/* ------------------------------------------------------------------ */
/* vdev templates of contenders                                        */

bool
dp_contender_repeats(const struct dp_contender *ct)
{
	return strstr(ct->vdev, TEMPLATE_I) != NULL;
}

/* The value of the placeholder of length len at t. */
static unsigned int
template_value(const char *t, size_t len, const struct dp_template_vars *v,
	uint32_t i)
{
	if (strncmp(t, TEMPLATE_N, len) == 0)
		return v->n;
	if (strncmp(t, TEMPLATE_I, len) == 0)
		return i;
	if (strncmp(t, TEMPLATE_MAIN_LCORE, len) == 0)
		return v->main_lcore;
	return v->main_cpu;
}

/* Append the template with its placeholders filled in; -1 if it does not
 * fit. */
static int
expand_template(const char *t, const struct dp_template_vars *v, uint32_t i,
	char *out, size_t len, size_t *pos)
{
	size_t n;
	int w;

	while (*t != '\0') {
		n = template_placeholder(t);
		if (n > 0) {
			w = snprintf(out + *pos, len - *pos, "%u",
				template_value(t, n, v, i));
			t += n;
		} else {
			w = snprintf(out + *pos, len - *pos, "%c", *t++);
		}
		if (w < 0 || (size_t)w >= len - *pos)
			return -1;
		*pos += w;
	}
	return 0;
}

int
dp_contender_vdevs(const struct dp_contender *ct,
	const struct dp_template_vars *v, char *out, size_t len)
{
	uint32_t i, reps = dp_contender_repeats(ct) ? v->n : 1;
	size_t pos = 0;

	out[0] = '\0';
	for (i = 0; i < reps; i++) {
		if (i > 0 && expand_template(" ", v, i, out, len, &pos) < 0)
			return -1;
		if (expand_template(ct->vdev, v, i, out, len, &pos) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */

/*
 * dma_src_sge and dma_dst_sge, as in dpdk-test-dma-perf: both or neither,
 * for DMA copies. A compare case's CPU contender copies the same segments
 * with memcpy. 0 (neither given) means plain copies.
 */
static int
parse_sge(struct parse_ctx *ctx, struct dp_case *c)
{
	bool src = get(ctx, "dma_src_sge") != NULL;
	bool dst = get(ctx, "dma_dst_sge") != NULL;

	if (src != dst)
		return perr(ctx, "dma_src_sge and dma_dst_sge go together (a scatter-gather copy has both)");
	if (src && !c->compare && c->type != DP_TYPE_DMA_MEM_COPY)
		return perr(ctx, "dma_src_sge/dma_dst_sge are for DMA_MEM_COPY");
	if (get_param(ctx, "dma_src_sge", false, 0, 1, DP_MAX_SGES,
			&c->src_sge) < 0 ||
			get_param(ctx, "dma_dst_sge", false, 0, 1, DP_MAX_SGES,
				&c->dst_sge) < 0)
		return -1;
	return 0;
}

/* channels= is the n of the contenders' vdev templates. */
static int
parse_channels(struct parse_ctx *ctx, struct dp_case *c)
{
	unsigned int i;

	if (get_param(ctx, "channels", false, 1, 1, DP_MAX_CHANNELS,
			&c->channels) < 0)
		return -1;
	if (get(ctx, "channels") == NULL)
		return 0;
	for (i = 0; i < c->nb_contenders; i++)
		if (strstr(c->contenders[i].vdev, TEMPLATE_N) != NULL ||
				dp_contender_repeats(&c->contenders[i]))
			return 0;
	return perr(ctx, "channels: no contender's <name>.vdev template uses %s or %s",
		TEMPLATE_N, TEMPLATE_I);
}

/*
 * Each scenario must give every worker a buffer, or, for scatter-gather,
 * the dma_src_sge x dma_dst_sge buffers its share is rounded down to
 * (buffers.h); each segment must have a byte; the vdev templates must fit.
 */
static int
check_scenarios(struct parse_ctx *ctx, const struct dp_case *c)
{
	unsigned int num, k, nb_workers = c->compare ? 1 : c->nb_workers;
	/* the widest lcore and CPU numbers there can be */
	struct dp_template_vars v = {
		.main_lcore = RTE_MAX_LCORE - 1, .main_cpu = CPU_SETSIZE - 1,
	};
	char vdevs[DP_ARGS_LEN];
	struct dp_scenario sc;

	for (num = 1; num <= dp_case_nb_scenarios(c); num++) {
		uint64_t nr, need = nb_workers;

		dp_case_scenario(c, num, &sc);
		nr = ((uint64_t)sc.mem_mb << 20) / ((uint64_t)sc.buf_size * 2);
		if (sc.src_sge > 0)
			need *= (uint64_t)sc.src_sge * sc.dst_sge;
		if (nr < need)
			return perr(ctx, "mem_size %" PRIu32 " MiB is too small for buf_size %" PRIu32
				": it holds %" PRIu64 " source buffers, %" PRIu64
				" are needed", sc.mem_mb, sc.buf_size, nr, need);
		if (sc.buf_size < RTE_MAX(sc.src_sge, sc.dst_sge))
			return perr(ctx, "buf_size %" PRIu32 " cannot be split into %" PRIu32
				" segments", sc.buf_size,
				RTE_MAX(sc.src_sge, sc.dst_sge));
		v.n = sc.channels;
		for (k = 0; k < c->nb_contenders; k++)
			if (c->contenders[k].vdev[0] != '\0' &&
					dp_contender_vdevs(&c->contenders[k],
						&v, vdevs, sizeof(vdevs)) < 0)
				return perr(ctx, "%s.vdev: too long for %" PRIu32 " channels",
					c->contenders[k].name, sc.channels);
	}
	return 0;
}

static int
parse_case(struct parse_ctx *ctx, struct dp_case *c, unsigned int id)
{
	const char *type, *compare, *v;
	bool dma_params;
	uint32_t i;
	int nb_var;

	memset(c, 0, sizeof(*c));
	c->id = id;

	if (check_keys(ctx, case_keys, RTE_DIM(case_keys)) < 0)
		return -1;
	if (get_bool(ctx, "skip", false, &c->skip) < 0)
		return -1;
	if (c->skip)
		return 0;
	if (reject_unsupported(ctx) < 0)
		return -1;

	type = get(ctx, "type");
	compare = get(ctx, "compare");
	if (type == NULL && compare == NULL)
		return perr(ctx, "missing required key 'type'");
	if (type == NULL || strcmp(type, "DMA_MEM_COPY") == 0)
		c->type = DP_TYPE_DMA_MEM_COPY;
	else if (strcmp(type, "CPU_MEM_COPY") == 0)
		c->type = DP_TYPE_CPU_MEM_COPY;
	else
		return perr(ctx, "type: '%s' is neither DMA_MEM_COPY nor CPU_MEM_COPY",
			type);

	if (get_u32(ctx, "src_numa_node", 0, 0, 255, &i) < 0)
		return -1;
	c->src_numa = i;
	if (get_u32(ctx, "dst_numa_node", 0, 0, 255, &i) < 0)
		return -1;
	c->dst_numa = i;
	if (get_bool(ctx, "cache_flush", ctx->g_cache_flush, &c->cache_flush) < 0)
		return -1;
	if (get_u32(ctx, "test_seconds", ctx->g_test_secs, 1, 3600,
			&c->test_secs) < 0)
		return -1;
	if (get_u32(ctx, "lat_sample", DEFAULT_LAT_SAMPLE, 1, 65536,
			&c->lat_sample) < 0)
		return -1;
	if (!rte_is_power_of_2(c->lat_sample))
		return perr(ctx, "lat_sample: %" PRIu32 " is not a power of two",
			c->lat_sample);

	v = get(ctx, "eal_args");
	strlcpy(c->eal_args, v != NULL ? v : ctx->g_eal_args, sizeof(c->eal_args));
	v = get(ctx, "vdevs");
	strlcpy(c->vdevs, v != NULL ? v : ctx->g_vdevs, sizeof(c->vdevs));

	if (get_param(ctx, "mem_size", true, 0, 1, 65536, &c->mem_size) < 0 ||
			get_param(ctx, "buf_size", true, 0, 1, 1U << 30,
				&c->buf_size) < 0)
		return -1;

	if (parse_victim(ctx, c) < 0)
		return -1;
	if (compare != NULL) {
		if (parse_compare(ctx, c, compare) < 0)
			return -1;
		dma_params = get(ctx, "dma_ring_size") != NULL;
	} else if (c->type == DP_TYPE_DMA_MEM_COPY) {
		if (parse_workers_dma(ctx, c) < 0)
			return -1;
		dma_params = true;
	} else {
		if (parse_workers_cpu(ctx, c) < 0)
			return -1;
		dma_params = false;
	}

	/* The CPU loop uses kick_batch only to pace its timestamps; a
	 * victim case's feeder makes single copies. */
	if (get_param(ctx, "dma_ring_size", dma_params,
			c->victim ? DEFAULT_VICTIM_RING : 0, 2, 65535,
			&c->ring_size) < 0 ||
			get_param(ctx, "kick_batch", dma_params && !c->victim,
				DEFAULT_CPU_BATCH, 1, 65535, &c->kick_batch) < 0)
		return -1;
	if (check_contender_keys(ctx, c) < 0 ||
			parse_sge(ctx, c) < 0 || parse_channels(ctx, c) < 0)
		return -1;

	c->var_name = pick_var(c, &nb_var);
	if (nb_var > 1) {
		char keys[160];

		scenario_keys(keys, sizeof(keys));
		return perr(ctx, "only one of %s may vary", keys);
	}
	return check_scenarios(ctx, c);
}

static int
parse_global(struct parse_ctx *ctx)
{
	const char *v;
	uint32_t secs;

	ctx->g_test_secs = DEFAULT_TEST_SECS;
	if (!rte_cfgfile_has_section(ctx->file, GLOBAL_SECTION))
		return 0;
	ctx->section = GLOBAL_SECTION;
	if (check_keys(ctx, global_keys, RTE_DIM(global_keys)) < 0)
		return -1;
	v = get(ctx, "eal_args");
	if (v != NULL)
		strlcpy(ctx->g_eal_args, v, sizeof(ctx->g_eal_args));
	v = get(ctx, "vdevs");
	if (v != NULL)
		strlcpy(ctx->g_vdevs, v, sizeof(ctx->g_vdevs));
	if (get_bool(ctx, "cache_flush", false, &ctx->g_cache_flush) < 0)
		return -1;
	if (get_u32(ctx, "test_seconds", DEFAULT_TEST_SECS, 1, 3600, &secs) < 0)
		return -1;
	ctx->g_test_secs = secs;
	ctx->section = NULL;
	return 0;
}

/*
 * rte_cfgfile reports syntax errors through rte_log; catch that text so
 * the user gets it as part of our single error line.
 */
static struct rte_cfgfile *
load_file(struct parse_ctx *ctx)
{
	struct rte_cfgfile *file;
	char *logbuf = NULL;
	size_t loglen = 0;
	FILE *prev = rte_log_get_stream();
	FILE *mem;
	FILE *probe;
	struct stat st;

	/* A directory opens, and reads as an empty file. */
	if (stat(ctx->path, &st) == 0 && S_ISDIR(st.st_mode)) {
		perr(ctx, "is a directory, not a config file");
		return NULL;
	}
	probe = fopen(ctx->path, "r");
	if (probe == NULL) {
		perr(ctx, "cannot open: %s", strerror(errno));
		return NULL;
	}
	fclose(probe);

	mem = open_memstream(&logbuf, &loglen);
	if (mem != NULL)
		rte_openlog_stream(mem);
	file = rte_cfgfile_load(ctx->path, 0);
	if (mem != NULL) {
		rte_openlog_stream(prev == stderr ? NULL : prev);
		fclose(mem);
	}
	if (file == NULL) {
		char *msg = logbuf != NULL ? trim(logbuf) : NULL;
		char *nl, *p;

		/* Keep the last line, without the "func(): " prefix. */
		if (msg != NULL) {
			while ((nl = strrchr(msg, '\n')) != NULL && nl[1] == '\0')
				*nl = '\0';
			nl = strrchr(msg, '\n');
			if (nl != NULL)
				msg = nl + 1;
			p = strstr(msg, "(): ");
			if (p != NULL)
				msg = trim(p + 4);
		}
		perr(ctx, "syntax error: %s", msg != NULL && *msg != '\0' ? msg :
			"key=value line outside of any [section]");
	}
	free(logbuf);
	return file;
}

int
dp_config_load(const char *path, struct dp_config *cfg, char *err,
		size_t err_len)
{
	struct parse_ctx ctx = {
		.path = path, .err = err, .err_len = err_len,
	};
	char *names[MAX_SECTIONS];
	char storage[MAX_SECTIONS][CFG_NAME_LEN];
	unsigned int i, j;
	int nb;
	int ret = -1;

	memset(cfg, 0, sizeof(*cfg));
	strlcpy(cfg->path, path, sizeof(cfg->path));
	ctx.file = load_file(&ctx);
	if (ctx.file == NULL)
		return -1;

	if (parse_global(&ctx) < 0)
		goto out;

	nb = rte_cfgfile_num_sections(ctx.file, NULL, 0);
	if (nb > MAX_SECTIONS) {
		perr(&ctx, "more than %d sections", MAX_SECTIONS);
		goto out;
	}
	for (i = 0; i < RTE_DIM(names); i++)
		names[i] = storage[i];
	nb = rte_cfgfile_sections(ctx.file, names, MAX_SECTIONS);

	for (i = 0; i < (unsigned int)nb; i++) {
		uint32_t id;

		if (strcmp(names[i], GLOBAL_SECTION) == 0)
			continue;
		ctx.section = names[i];
		if (strncmp(names[i], "case", 4) != 0 ||
				parse_u32_str(names[i] + 4, &id) < 0 || id == 0) {
			perr(&ctx, "unknown section (expected [GLOBAL] or [caseN])");
			goto out;
		}
		for (j = 0; j < cfg->nb_cases; j++) {
			if (cfg->cases[j].id == id) {
				perr(&ctx, "section appears twice");
				goto out;
			}
		}
		if (parse_case(&ctx, &cfg->cases[cfg->nb_cases], id) < 0)
			goto out;
		cfg->nb_cases++;
	}
	ctx.section = NULL;
	if (cfg->nb_cases == 0) {
		perr(&ctx, "no [caseN] section");
		goto out;
	}
	ret = 0;
out:
	rte_cfgfile_close(ctx.file);
	return ret;
}
