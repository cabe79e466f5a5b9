/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * IOMMU programming with a model beside it. The model is a byte map of
 * each IOVA space; every map and unmap must return what the model
 * predicts, and what the program maps the arena lets the engine touch.
 *
 * Within a region, IOVA and host address move together, so mapped bytes
 * that touch form one window (the engine joins such neighbours). Regions
 * follow each other in IOVA but not in host memory, so windows never join
 * across a region boundary, and neither may a transfer.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

void
fz_iommu_init(struct fz_ctx *c)
{
	unsigned int s;

	for (s = 0; s < FZ_NB_SPACES; s++) {
		c->mapped[s] = calloc(1, c->arena.span);
		if (c->mapped[s] == NULL)
			fz_fail("out of memory");
	}
}

/* The region holding byte off of an IOVA space. */
static const struct fz_region *
region_at(const struct fz_arena *a, uint64_t off)
{
	unsigned int i;

	for (i = 0; i < a->nb_reg; i++)
		if (off - a->reg[i].iova_off < a->reg[i].len)
			return &a->reg[i];
	return NULL;
}

static uint64_t
space_base(unsigned int space)
{
	return space == 0 ? FZ_IOVA_PRIMARY : FZ_IOVA_ALIAS;
}

/* Map [off, off + len) of region reg, at the same offset of a space. */
void
fz_iommu_map(struct fz_ctx *c, unsigned int space, unsigned int reg,
		uint64_t off, uint64_t len)
{
	struct fz_arena *a = &c->arena;
	const struct fz_region *r = &a->reg[reg];
	uint8_t *m = c->mapped[space] + r->iova_off + off;
	int want = 0, got;

	if (a->sva) {
		got = netdma_iommu_map(c->e, fz_iova(a, 0, r, off),
			r->va + off, len);
		if (got != 0)
			fz_fail("SVA map returned %d, not 0", got);
		return;
	}
	if (memchr(m, 1, len) != NULL)
		want = -EEXIST;
	got = netdma_iommu_map(c->e, fz_iova(a, space, r, off), r->va + off,
		len);
	if (got != want)
		fz_fail("map of region %u [%#llx, +%#llx) in space %u returned "
			"%d, the model says %d", reg, (unsigned long long)off,
			(unsigned long long)len, space, got, want);
	if (got == 0) {
		memset(m, 1, len);
		fz_arena_allow(a, r->va + off, len);
	}
}

/* Whether [off, off + len) of a space lies inside one window. */
static bool
one_window(const struct fz_ctx *c, unsigned int space, uint64_t off,
		uint64_t len)
{
	const struct fz_region *r = region_at(&c->arena, off);

	if (r == NULL || off + len > r->iova_off + r->len)
		return false;
	return memchr(c->mapped[space] + off, 0, len) == NULL;
}

/* Unmap [off, off + len) of a space; the range may cross regions. */
void
fz_iommu_unmap(struct fz_ctx *c, unsigned int space, uint64_t off,
		uint64_t len)
{
	int want = one_window(c, space, off, len) ? 0 : -ENOENT, got;

	got = netdma_iommu_unmap(c->e, space_base(space) + off, len);
	if (c->arena.sva) {
		if (got != 0)
			fz_fail("SVA unmap returned %d, not 0", got);
		return;
	}
	if (got != want)
		fz_fail("unmap of [%#llx, +%#llx) in space %u returned %d, "
			"the model says %d", (unsigned long long)off,
			(unsigned long long)len, space, got, want);
	if (got == 0)
		memset(c->mapped[space] + off, 0, len);
}

/*
 * Unmap every window the program left, each in one call as the model
 * sees it; then the whole of each space must be free: a map of it
 * succeeds (and is undone).
 */
void
fz_iommu_clear(struct fz_ctx *c)
{
	const struct fz_arena *a = &c->arena;
	unsigned int s, i;
	int ret;

	if (a->sva)
		return;
	for (s = 0; s < FZ_NB_SPACES; s++) {
		for (i = 0; i < a->nb_reg; i++) {
			const struct fz_region *r = &a->reg[i];
			const uint8_t *m = c->mapped[s] + r->iova_off;
			uint64_t j = 0, k;

			while (j < r->len) {
				if (!m[j]) {
					j++;
					continue;
				}
				for (k = j; k < r->len && m[k]; k++)
					;
				fz_iommu_unmap(c, s, r->iova_off + j, k - j);
				j = k;
			}
		}
		ret = netdma_iommu_map(c->e, space_base(s), a->reg[0].va,
			a->span);
		if (ret != 0)
			fz_fail("space %u not empty after unmapping every "
				"window: map returned %d", s, ret);
		ret = netdma_iommu_unmap(c->e, space_base(s), a->span);
		if (ret != 0)
			fz_fail("space %u: unmap of the probe returned %d", s,
				ret);
	}
}
