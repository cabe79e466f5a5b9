/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * dma_netdma devargs. Every key is parsed here, once, into struct
 * netdma_devargs; a bad one fails the probe with one line that names the
 * device, the key, the value and what the key accepts.
 */

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bitops.h>
#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_kvargs.h>

#include "netdma_devargs.h"
#include "netdma_internal.h"
#include "netdma_topology.h"

/*
 * The CPUs this process may run on, as it was started (taskset, a
 * container's cpuset), taken when the driver is loaded: EAL loads a plugin
 * before it pins its main thread to the main lcore, and a driver linked
 * into the program is loaded before main(). At probe time the probing
 * thread is an lcore, which may run on its own CPU only.
 */
static cpu_set_t allowed_cpus;
static bool allowed_cpus_known;

RTE_INIT(netdma_allowed_cpus_init)
{
	allowed_cpus_known = sched_getaffinity(0, sizeof(allowed_cpus),
			&allowed_cpus) == 0;
}

const cpu_set_t *
netdma_allowed_cpus(void)
{
	return allowed_cpus_known ? &allowed_cpus : NULL;
}

/* The allowed CPUs as a list such as "0-3,8", or "?" when unknown. */
static void
allowed_cpus_list(char *buf, size_t len)
{
	if (allowed_cpus_known)
		netdma_set_format(&allowed_cpus, buf, len);
	else
		snprintf(buf, len, "?");
}

struct devarg_key {
	const char *key;
	/* Store value into da; log and return -errno when it is bad. */
	int (*set)(const char *name, const struct devarg_key *k,
			const char *value, struct netdma_devargs *da);
	unsigned long min, max;
	const char *accepts;	/* for the error line */
	/* set_uint: the unsigned int in struct netdma_devargs it sets */
	size_t field;
};

/* A decimal or 0x number no larger than max? */
static bool
parse_number(const char *value, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(value, &end, 0);
	return errno == 0 && end != value && *end == '\0' &&
		value[0] != '-' && *out <= max;
}

/* A number in [k->min, k->max], or a log line naming what k accepts. */
static int
number(const char *name, const struct devarg_key *k, const char *value,
		unsigned long *out)
{
	if (!parse_number(value, k->max, out) || *out < k->min) {
		NETDMA_LOG(ERR, "%s: devarg %s=%s: need %s", name, k->key,
			value, k->accepts);
		return -EINVAL;
	}
	return 0;
}

/*
 * A value or a list: "3", or "[0,2-3]" as rte_kvargs passes a bracketed
 * list. Fills at most max_items numbers in [k->min, k->max] into out;
 * returns how many, or -1 when malformed, out of range or too many.
 */
static int
parse_list(const char *value, const struct devarg_key *k, unsigned long *out,
		unsigned int max_items)
{
	char buf[256], *tok, *save = NULL;
	size_t len = strlen(value);
	int n = 0;

	if (value[0] == '[') {
		if (len < 3 || value[len - 1] != ']' || len - 2 >= sizeof(buf))
			return -1;
		memcpy(buf, value + 1, len - 2);
		buf[len - 2] = '\0';
	} else if (len < sizeof(buf)) {
		memcpy(buf, value, len + 1);
	} else {
		return -1;
	}
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		unsigned long lo, hi, v;

		if (dash != NULL)
			*dash = '\0';
		if (!parse_number(tok, k->max, &lo) || lo < k->min)
			return -1;
		hi = lo;
		if (dash != NULL && (!parse_number(dash + 1, k->max, &hi) ||
				hi < lo))
			return -1;
		for (v = lo; v <= hi; v++) {
			if ((unsigned int)n == max_items)
				return -1;
			out[n++] = v;
		}
	}
	return n;
}

static int
set_cpu(const char *name, const struct devarg_key *k, const char *value,
		struct netdma_devargs *da)
{
	unsigned long v[NETDMA_MAX_CHANNELS];
	char allowed[256];
	int i, n;

	allowed_cpus_list(allowed, sizeof(allowed));
	n = parse_list(value, k, v, RTE_DIM(v));
	if (n <= 0) {
		NETDMA_LOG(ERR, "%s: devarg cpu=%s: need %s (allowed: %s), or no cpu= for an unpinned engine",
			name, value, k->accepts, allowed);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (allowed_cpus_known && !CPU_ISSET(v[i], &allowed_cpus)) {
			NETDMA_LOG(ERR, "%s: devarg cpu=%s: CPU %lu is not in this process's allowed set (%s)",
				name, value, v[i], allowed);
			return -EINVAL;
		}
		da->cpus[i] = (int)v[i];
	}
	da->nb_cpus = (unsigned int)n;
	return 0;
}

static int
set_weight(const char *name, const struct devarg_key *k, const char *value,
		struct netdma_devargs *da)
{
	unsigned long v[NETDMA_MAX_CHANNELS];
	int i, n;

	n = parse_list(value, k, v, RTE_DIM(v));
	if (n <= 0) {
		NETDMA_LOG(ERR, "%s: devarg weight=%s: need %s", name, value,
			k->accepts);
		return -EINVAL;
	}
	/* One value serves every channel; a list gives one per channel
	 * and must match channels= (checked once all keys are in). */
	for (i = 0; i < NETDMA_MAX_CHANNELS; i++)
		da->weight[i] = (uint8_t)v[n == 1 ? 0 : RTE_MIN(i, n - 1)];
	da->nb_weights = (unsigned int)n;
	return 0;
}

/* A plain number key: stored in the unsigned int at k->field. */
static int
set_uint(const char *name, const struct devarg_key *k, const char *value,
		struct netdma_devargs *da)
{
	unsigned long v;

	if (number(name, k, value, &v) != 0)
		return -EINVAL;
	*(unsigned int *)((char *)da + k->field) = (unsigned int)v;
	return 0;
}

static int
set_sva(const char *name, const struct devarg_key *k, const char *value,
		struct netdma_devargs *da)
{
	unsigned long v;

	if (number(name, k, value, &v) != 0)
		return -EINVAL;
	da->sva = v == 1;
	return 0;
}

static int
set_status_stride(const char *name, const struct devarg_key *k,
		const char *value, struct netdma_devargs *da)
{
	unsigned long v;

	if (number(name, k, value, &v) != 0)
		return -EINVAL;
	if (v != 0 && !rte_is_power_of_2((uint32_t)v)) {
		NETDMA_LOG(ERR, "%s: devarg %s=%s: need %s", name, k->key,
			value, k->accepts);
		return -EINVAL;
	}
	da->status_stride = (unsigned int)v;
	return 0;
}

static int
set_direct_desc(const char *name, const struct devarg_key *k,
		const char *value, struct netdma_devargs *da)
{
	unsigned long v;

	if (number(name, k, value, &v) != 0)
		return -EINVAL;
	if (v == 1 && rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) <= 0) {
		NETDMA_LOG(ERR, "%s: devarg direct_desc=1: this CPU has no MOVDIR64B; use direct_desc=0",
			name);
		return -ENOTSUP;
	}
	da->direct_desc = v == 1;
	return 0;
}

static int
set_readahead(const char *name, const struct devarg_key *k,
		const char *value, struct netdma_devargs *da)
{
	if (netdma_readahead_parse(value, &da->readahead) == 0)
		return 0;
	NETDMA_LOG(ERR, "%s: devarg %s=%s: need %s", name, k->key, value,
		k->accepts);
	return -EINVAL;
}

#define DEVARG_FIELD(f)	offsetof(struct netdma_devargs, f)

static const struct devarg_key devarg_keys[] = {
	{ "channels", set_uint, 1, NETDMA_MAX_CHANNELS, "1 to 31",
		DEVARG_FIELD(channels) },
	{ "workers", set_uint, 1, NETDMA_MAX_CHANNELS,
		"1 to 31, at most channels", DEVARG_FIELD(workers) },
	{ "cpu", set_cpu, 0, CPU_SETSIZE - 1,
		"a CPU this process may run on, or a list such as [0,2-3] for the workers",
		0 },
	{ "weight", set_weight, 1, UINT8_MAX,
		"1 to 255, or a list with one per channel such as [1,4]", 0 },
	{ "sva", set_sva, 0, 1, "0 or 1", 0 },
	{ "spin_us", set_uint, 0, 1000000, "0 to 1000000 (microseconds)",
		DEVARG_FIELD(spin_us) },
	{ "status_stride", set_status_stride, 0, 1u << NETDMA_MAX_RING_LOG2,
		"0 or a power of two up to 32768", 0 },
	{ "intr_delay_us", set_uint, 0, UINT16_MAX,
		"0 to 65535 (microseconds)", DEVARG_FIELD(intr_delay_us) },
	{ "direct_desc", set_direct_desc, 0, 1, "0 or 1", 0 },
	{ "readahead", set_readahead, 0, 0, "auto, on or off", 0 },
};

static const struct devarg_key *
devarg_key_find(const char *key)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(devarg_keys); i++)
		if (strcmp(devarg_keys[i].key, key) == 0)
			return &devarg_keys[i];
	return NULL;
}

static void
valid_keys(char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < RTE_DIM(devarg_keys) && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
			devarg_keys[i].key);
}

static void
devargs_default(struct netdma_devargs *da)
{
	unsigned int i;

	memset(da, 0, sizeof(*da));
	da->channels = 1;
	da->workers = 1;
	for (i = 0; i < NETDMA_MAX_CHANNELS; i++)
		da->weight[i] = 1;
	da->spin_us = NETDMA_DEFAULT_SPIN_US;
	da->status_stride = NETDMA_DEFAULT_STATUS_STRIDE;
	da->direct_desc = rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) > 0;
}

/* Rules between keys, once all are in. */
static int
devargs_check(const char *name, const struct netdma_devargs *da)
{
	if (da->workers > da->channels) {
		NETDMA_LOG(ERR, "%s: devarg workers=%u: more workers than channels=%u; need at most %u",
			name, da->workers, da->channels, da->channels);
		return -EINVAL;
	}
	if (da->nb_weights > 1 && da->nb_weights != da->channels) {
		NETDMA_LOG(ERR, "%s: devarg weight: %u values for channels=%u; give one value, or one per channel",
			name, da->nb_weights, da->channels);
		return -EINVAL;
	}
	return 0;
}

int
netdma_devargs_parse(const char *name, const char *args,
		struct netdma_devargs *da)
{
	struct rte_kvargs *kv;
	unsigned int i, j;
	int ret = 0;

	devargs_default(da);
	if (args == NULL || args[0] == '\0')
		return 0;

	/* Parsed unchecked, so that an unknown key can be named. */
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		NETDMA_LOG(ERR, "%s: malformed devargs \"%s\": need key=value[,key=value...]",
			name, args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count && ret == 0; i++) {
		const struct rte_kvargs_pair *p = &kv->pairs[i];
		const struct devarg_key *k = devarg_key_find(p->key);
		char keys[128];

		if (p->key[0] == '\0') {
			NETDMA_LOG(ERR, "%s: malformed devargs \"%s\": empty key",
				name, args);
			ret = -EINVAL;
		} else if (k == NULL) {
			valid_keys(keys, sizeof(keys));
			NETDMA_LOG(ERR, "%s: unknown devarg \"%s\" (valid: %s)",
				name, p->key, keys);
			ret = -EINVAL;
		} else if (p->value == NULL) {
			NETDMA_LOG(ERR, "%s: devarg \"%s\" needs a value: %s=<%s>",
				name, p->key, p->key, k->accepts);
			ret = -EINVAL;
		} else {
			for (j = 0; j < i; j++)
				if (strcmp(kv->pairs[j].key, p->key) == 0)
					break;
			if (j < i) {
				NETDMA_LOG(ERR, "%s: devarg \"%s\" given twice (%s=%s and %s=%s): give it once",
					name, p->key, p->key,
					kv->pairs[j].value, p->key, p->value);
				ret = -EINVAL;
			} else {
				ret = k->set(name, k, p->value, da);
			}
		}
	}
	rte_kvargs_free(kv);
	return ret != 0 ? ret : devargs_check(name, da);
}

void
netdma_devargs_cpus(const struct netdma_devargs *da, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	if (da->nb_cpus == 0)
		snprintf(buf, len, "unpinned");
	for (i = 0; i < da->nb_cpus && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%d",
			i == 0 ? "cpu " : ",", da->cpus[i]);
}

void
netdma_devargs_describe(const struct netdma_devargs *da, char *buf,
		size_t len)
{
	char cpus[128];

	netdma_devargs_cpus(da, cpus, sizeof(cpus));
	snprintf(buf, len, "%u channel%s, %u worker%s (%s), %s, spin %u us, status stride %u%s, interrupt delay %u us, %s descriptor writes, read-ahead %s",
		da->channels, da->channels == 1 ? "" : "s",
		da->workers, da->workers == 1 ? "" : "s", cpus,
		da->sva ? "shared virtual addressing" : "IOMMU",
		da->spin_us, da->status_stride,
		da->status_stride == 0 ? " (idle write only)" : "",
		da->intr_delay_us, da->direct_desc ? "direct" : "cached",
		netdma_readahead_name(da->readahead));
}
