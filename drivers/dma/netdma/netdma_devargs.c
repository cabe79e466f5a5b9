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

#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_kvargs.h>

#include "netdma_devargs.h"
#include "netdma_internal.h"

#define CPU_ONLINE_PATH	"/sys/devices/system/cpu/online"

/* The kernel's online CPU list ("0-3,8"), or "?" when unreadable. */
static void
cpus_online(char *buf, size_t len)
{
	FILE *f = fopen(CPU_ONLINE_PATH, "r");

	if (f == NULL || fgets(buf, (int)len, f) == NULL)
		snprintf(buf, len, "?");
	else
		buf[strcspn(buf, "\n")] = '\0';
	if (f != NULL)
		fclose(f);
}

/* Is cpu in a list such as "0-3,8"? An unreadable list admits any. */
static bool
cpu_is_online(unsigned long cpu)
{
	char list[256], *tok, *save = NULL;

	cpus_online(list, sizeof(list));
	if (strcmp(list, "?") == 0)
		return true;
	for (tok = strtok_r(list, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		unsigned long lo, hi;
		char *end;

		lo = strtoul(tok, &end, 10);
		hi = *end == '-' ? strtoul(end + 1, NULL, 10) : lo;
		if (cpu >= lo && cpu <= hi)
			return true;
	}
	return false;
}

struct devarg_key {
	const char *key;
	/* Store value into da; log and return -errno when it is bad. */
	int (*set)(const char *name, const struct devarg_key *k,
			const char *value, struct netdma_devargs *da);
	unsigned long max;
	const char *accepts;	/* for the error line */
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

static int
number(const char *name, const struct devarg_key *k, const char *value,
		unsigned long *out)
{
	if (!parse_number(value, k->max, out)) {
		NETDMA_LOG(ERR, "%s: devarg %s=%s: need %s", name, k->key,
			value, k->accepts);
		return -EINVAL;
	}
	return 0;
}

static int
set_cpu(const char *name, const struct devarg_key *k, const char *value,
		struct netdma_devargs *da)
{
	char online[256];
	unsigned long v;

	cpus_online(online, sizeof(online));
	if (!parse_number(value, k->max, &v) || !cpu_is_online(v)) {
		NETDMA_LOG(ERR, "%s: devarg cpu=%s: need %s (online: %s), or no cpu= for an unpinned engine",
			name, value, k->accepts, online);
		return -EINVAL;
	}
	da->cpu = (int)v;
	return 0;
}

static int
set_spin_us(const char *name, const struct devarg_key *k, const char *value,
		struct netdma_devargs *da)
{
	unsigned long v;

	if (number(name, k, value, &v) != 0)
		return -EINVAL;
	da->spin_us = (unsigned int)v;
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
set_intr_delay_us(const char *name, const struct devarg_key *k,
		const char *value, struct netdma_devargs *da)
{
	unsigned long v;

	if (number(name, k, value, &v) != 0)
		return -EINVAL;
	da->intr_delay_us = (unsigned int)v;
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

static const struct devarg_key devarg_keys[] = {
	{ "cpu", set_cpu, CPU_SETSIZE - 1, "an online CPU number" },
	{ "spin_us", set_spin_us, 1000000, "0 to 1000000 (microseconds)" },
	{ "status_stride", set_status_stride, 1u << NETDMA_MAX_RING_LOG2,
		"0 or a power of two up to 32768" },
	{ "intr_delay_us", set_intr_delay_us, UINT16_MAX,
		"0 to 65535 (microseconds)" },
	{ "direct_desc", set_direct_desc, 1, "0 or 1" },
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
	memset(da, 0, sizeof(*da));
	da->cpu = -1;
	da->spin_us = NETDMA_DEFAULT_SPIN_US;
	da->status_stride = NETDMA_DEFAULT_STATUS_STRIDE;
	da->direct_desc = rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) > 0;
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
	return ret;
}

void
netdma_devargs_describe(const struct netdma_devargs *da, char *buf,
		size_t len)
{
	char cpu[16];

	if (da->cpu < 0)
		snprintf(cpu, sizeof(cpu), "unpinned");
	else
		snprintf(cpu, sizeof(cpu), "cpu %d", da->cpu);
	snprintf(buf, len, "engine %s, spin %u us, status stride %u%s, interrupt delay %u us, %s descriptor writes",
		cpu, da->spin_us, da->status_stride,
		da->status_stride == 0 ? " (idle write only)" : "",
		da->intr_delay_us, da->direct_desc ? "direct" : "cached");
}
