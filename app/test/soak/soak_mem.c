/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Each card's memory, set up once and kept across unplugs (it is the
 * application's): a source buffer, one destination arena per channel, and
 * the places a bad address points at. Everything is filled from streams
 * of the seed, so any byte's expected value can be recomputed.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "soak_mem.h"

#define SOAK_HEAP_LEN	(256u << 10)
#define MAX_RUNS	64

struct runs {
	uintptr_t start[MAX_RUNS], end[MAX_RUNS];
	unsigned int n;
};

static int
collect_run(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		size_t len, void *arg)
{
	struct runs *r = arg;

	if (msl->external || r->n == MAX_RUNS)
		return 0;
	r->start[r->n] = (uintptr_t)ms->addr;
	r->end[r->n] = (uintptr_t)ms->addr + len;
	r->n++;
	return 0;
}

/*
 * The end of the IOMMU window that holds p: the PMD maps each contiguous
 * run of DPDK memory, and the IOMMU merges runs that touch, so follow
 * touching runs to the last one.
 */
static uint8_t *
mapped_run_end(const void *p)
{
	struct runs r = { .n = 0 };
	uintptr_t end = 0;
	bool grew = true;
	unsigned int i;

	rte_memseg_contig_walk(collect_run, &r);
	for (i = 0; i < r.n; i++)
		if ((uintptr_t)p >= r.start[i] && (uintptr_t)p < r.end[i])
			end = r.end[i];
	while (end != 0 && grew) {
		grew = false;
		for (i = 0; i < r.n; i++)
			if (r.start[i] == end) {
				end = r.end[i];
				grew = true;
			}
	}
	return (uint8_t *)end;
}

static uint8_t *
map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int
heap_init(struct soak_mem *m, uint64_t seed)
{
	m->heap_len = SOAK_HEAP_LEN;
	m->heap_seed = soak_mix(seed ^ 0x4ea9);
	m->heap = aligned_alloc(64, m->heap_len);
	if (m->heap == NULL)
		return -1;
	stream_fill(m->heap, m->heap_len, m->heap_seed);
	return 0;
}

static int
dpdk_init(struct soak_card *card, struct soak_mem *m)
{
	unsigned int i;

	m->src = rte_malloc("soak-src", SOAK_SRC_LEN, 64);
	if (m->src == NULL)
		return -1;
	for (i = 0; i < card->channels; i++) {
		m->arenas[i] = rte_malloc("soak-arena", SOAK_ARENA_LEN, 64);
		if (m->arenas[i] == NULL)
			return -1;
	}
	m->run_end = mapped_run_end(m->src);
	if (m->run_end == NULL) {
		fprintf(stderr, "soak: %s: cannot find the memory run of its source buffer\n",
			card->name);
		return -1;
	}
	return 0;
}

/* Cliff pages alternate with holes: cliff k at base + 2k pages. */
static void
cliffs_layout(struct soak_mem *m, uint8_t *base)
{
	unsigned int k;

	for (k = 0; k < SOAK_NB_CLIFFS; k++)
		m->cliff[k] = base + 2 * k * m->pg;
}

static int
extmem_init(struct soak_card *card, struct soak_mem *m)
{
	size_t data = SOAK_SRC_LEN + (size_t)card->channels * SOAK_ARENA_LEN;
	unsigned int i, k;

	m->ext_len = data + 2 * SOAK_NB_CLIFFS * m->pg;
	m->ext = map_anon(m->ext_len);
	if (m->ext == NULL)
		return -1;
	m->src = m->ext;
	for (i = 0; i < card->channels; i++)
		m->arenas[i] = m->ext + SOAK_SRC_LEN +
			(size_t)i * SOAK_ARENA_LEN;
	cliffs_layout(m, m->ext + data);
	for (k = 0; k < SOAK_NB_CLIFFS; k++) {
		stream_fill(m->cliff[k], m->pg, m->cliff_seed + k);
		stream_fill(mem_hole(m, k), m->pg,
			m->cliff_seed + SOAK_NB_CLIFFS + k);
	}
	if (rte_extmem_register(m->ext, m->ext_len, NULL, 0, m->pg) != 0) {
		fprintf(stderr, "soak: %s: rte_extmem_register: %s\n",
			card->name, rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static int
sva_init(struct soak_card *card, struct soak_mem *m)
{
	unsigned int i, k;

	/* Plain process memory: the card reaches it without any mapping. */
	m->src = aligned_alloc(64, SOAK_SRC_LEN);
	if (m->src == NULL)
		return -1;
	for (i = 0; i < card->channels; i++) {
		m->arenas[i] = map_anon(SOAK_ARENA_LEN);
		if (m->arenas[i] == NULL)
			return -1;
	}
	/* cliff/hole pairs, then the read-only page and a hole after it */
	m->special_len = (2 * SOAK_NB_CLIFFS + 2) * m->pg;
	m->special = map_anon(m->special_len);
	if (m->special == NULL)
		return -1;
	cliffs_layout(m, m->special);
	for (k = 0; k < SOAK_NB_CLIFFS; k++)
		if (mprotect(mem_hole(m, k), m->pg, PROT_NONE) != 0)
			return -1;
	m->ro = m->special + 2 * SOAK_NB_CLIFFS * m->pg;
	m->ro_seed = soak_mix(m->cliff_seed ^ 0x20);
	stream_fill(m->ro, m->pg, m->ro_seed);
	if (mprotect(m->ro, m->pg, PROT_READ) != 0 ||
			mprotect(m->ro + m->pg, m->pg, PROT_NONE) != 0)
		return -1;

	/* Two pages of a one-page file: the second raises SIGBUS. */
	m->memfd = memfd_create("netdma-soak-sigbus", 0);
	if (m->memfd < 0 || ftruncate(m->memfd, (off_t)m->pg) != 0)
		return -1;
	m->sigbus_map = mmap(NULL, 2 * m->pg, PROT_READ | PROT_WRITE,
			MAP_SHARED, m->memfd, 0);
	if (m->sigbus_map == MAP_FAILED)
		return -1;
	m->sigbus = m->sigbus_map + m->pg;
	return 0;
}

int
soak_mem_init(struct soak_card *card, uint64_t seed)
{
	struct soak_mem *m = calloc(1, sizeof(*m));
	int ret;

	if (m == NULL)
		return -1;
	card->mem = m;
	m->dom = card->dom;
	m->pg = (size_t)sysconf(_SC_PAGESIZE);
	m->memfd = -1;
	m->src_seed = soak_mix(seed ^ 0x5c);
	m->cliff_seed = soak_mix(seed ^ 0xc1);
	if (card->dom != DOM_SVA && heap_init(m, seed) != 0)
		return -1;
	switch (card->dom) {
	case DOM_DPDK:
		ret = dpdk_init(card, m);
		break;
	case DOM_EXTMEM:
		ret = extmem_init(card, m);
		break;
	default:
		ret = sva_init(card, m);
		break;
	}
	if (ret != 0) {
		fprintf(stderr, "soak: %s: cannot set up its memory: %s\n",
			card->name, strerror(errno));
		return -1;
	}
	stream_fill(m->src, SOAK_SRC_LEN, m->src_seed);
	return 0;
}

void
soak_mem_fini(struct soak_card *card)
{
	struct soak_mem *m = card->mem;
	unsigned int i;

	if (m == NULL)
		return;
	switch (m->dom) {
	case DOM_DPDK:
		for (i = 0; i < card->channels; i++)
			rte_free(m->arenas[i]);
		rte_free(m->src);
		break;
	case DOM_EXTMEM:
		rte_extmem_unregister(m->ext, m->ext_len);
		munmap(m->ext, m->ext_len);
		break;
	default:
		for (i = 0; i < card->channels; i++)
			munmap(m->arenas[i], SOAK_ARENA_LEN);
		munmap(m->special, m->special_len);
		munmap(m->sigbus_map, 2 * m->pg);
		close(m->memfd);
		free(m->src);
		break;
	}
	free(m->heap);
	free(m);
	card->mem = NULL;
}

static struct rte_device *
find_vdev(const char *name)
{
	struct rte_dev_iterator it;
	struct rte_device *dev;

	RTE_DEV_FOREACH(dev, "bus=vdev", &it)
		if (strcmp(rte_dev_name(dev), name) == 0)
			return dev;
	return NULL;
}

static int
dma_map(struct rte_device *dev, uint8_t *p, size_t len)
{
	return rte_dev_dma_map(dev, p, (uintptr_t)p, len);
}

/*
 * After a probe: an EXTMEM card's windows cover the source, the arenas
 * and the cliffs, and none of the holes between the cliffs.
 */
int
soak_mem_map(struct soak_card *card)
{
	struct soak_mem *m = card->mem;
	struct rte_device *dev;
	unsigned int k;

	if (m->dom != DOM_EXTMEM)
		return 0;
	dev = find_vdev(card->name);
	if (dev == NULL)
		return -1;
	if (dma_map(dev, m->ext, (size_t)(m->cliff[0] + m->pg - m->ext)) != 0)
		return -1;
	for (k = 1; k < SOAK_NB_CLIFFS; k++)
		if (dma_map(dev, m->cliff[k], m->pg) != 0)
			return -1;
	return 0;
}

uint8_t *
soak_mem_arena(struct soak_card *card, unsigned int chan)
{
	return card->mem->arenas[chan];
}

/* No op writes the sources, nor the shared pages a bad op aims at. */
void
soak_mem_check_sources(const struct soak_card *card)
{
	const struct soak_mem *m = card->mem;
	size_t at = stream_mismatch(m->src, 0, SOAK_SRC_LEN, m->src_seed);
	unsigned int k;

	if (at != SOAK_SRC_LEN)
		soak_violation(NULL, NULL, "%s: source buffer byte %zu changed: 0x%02x, expected 0x%02x",
			card->name, at, m->src[at],
			stream_byte(m->src_seed, at));
	if (m->heap != NULL) {
		at = stream_mismatch(m->heap, 0, m->heap_len, m->heap_seed);
		if (at != m->heap_len)
			soak_violation(NULL, NULL, "%s: unmapped heap buffer byte %zu changed",
				card->name, at);
	}
	if (m->dom != DOM_EXTMEM)
		return;
	for (k = 0; k < SOAK_NB_CLIFFS; k++) {
		if (stream_mismatch(m->cliff[k], 0, m->pg,
				m->cliff_seed + k) != m->pg)
			soak_violation(NULL, NULL, "%s: cliff page %u changed",
				card->name, k);
		if (stream_mismatch(mem_hole(m, k), 0, m->pg,
				m->cliff_seed + SOAK_NB_CLIFFS + k) != m->pg)
			soak_violation(NULL, NULL, "%s: unmapped hole page %u changed",
				card->name, k);
	}
}
