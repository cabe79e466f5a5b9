/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The memory the fuzzed engine may see, and where the program's addresses
 * point.
 *
 * IOMMU mode: a few window areas, each inside guard pages (PROT_NONE) with
 * a canary page on either side that is accessible but never mapped. The
 * program maps parts of the window areas; any byte that no map covered
 * during the input must still hold what the harness left there, so a stray
 * write anywhere in the arena is caught, and a stray access beyond it
 * faults on a guard page.
 *
 * SVA mode: every address is the engine's to use, so there is nothing to
 * map and no canary to keep. Zones with guards of at least one slice
 * (64 KiB) on either side make an access that runs off a zone fault before
 * it reaches anything else: the engine moves data in slices of at most
 * that size, in order. Addresses are confined to zones, their guards and
 * a few never-mapped low addresses; and only harness-written memory ever
 * holds an address the engine reads (descriptor and list zones are never
 * a destination), so no copy can forge a pointer into the process.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz.h"

#define PAGE		4096u
#define CANARY		PAGE
#define GUARD		PAGE
#define SVA_GUARD	(128u * 1024)	/* more than one 64 KiB slice */

/* Window areas (IOMMU): two descriptor-sized, then larger ones; the last
 * spans several slices, so one descriptor can run in more than one. */
static const uint64_t iommu_windows[] = {
	4096, 4096, 8192, 16384, 160 * 1024,
};

/* Zones (SVA), in enum fz_role order for DESC, LIST, DATA. */
static const uint64_t sva_zones[] = { 8192, 4096, 192 * 1024 };

static uint32_t
prng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		fz_fail("out of memory");
	return p;
}

static void
region_layout(struct fz_arena *a, const uint64_t *len, unsigned int nb,
		size_t pad, size_t guard)
{
	uint8_t *p;
	uint64_t iova_off = 0;
	unsigned int i;
	size_t size = guard;

	for (i = 0; i < nb; i++)
		size += pad + len[i] + pad + guard;
	a->base = mmap(NULL, size, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a->base == MAP_FAILED)
		fz_fail("arena mmap of %zu bytes failed", size);
	a->size = size;
	a->nb_reg = nb;
	p = a->base + guard;
	for (i = 0; i < nb; i++) {
		struct fz_region *r = &a->reg[i];

		r->acc = p;
		r->acc_len = pad + len[i] + pad;
		r->va = p + pad;
		r->len = len[i];
		r->iova_off = iova_off;
		iova_off += len[i];
		if (mprotect(r->acc, r->acc_len, PROT_READ | PROT_WRITE) != 0)
			fz_fail("arena mprotect failed");
		p += r->acc_len + guard;
	}
	a->span = iova_off;
}

void
fz_arena_init(struct fz_arena *a, bool sva)
{
	unsigned int i;
	size_t j;

	memset(a, 0, sizeof(*a));
	a->sva = sva;
	if (sva)
		region_layout(a, sva_zones, 3, 0, SVA_GUARD);
	else
		region_layout(a, iommu_windows, FZ_MAX_REGIONS, CANARY, GUARD);

	for (i = 0; i < a->nb_reg; i++) {
		struct fz_region *r = &a->reg[i];
		uint32_t s = 0x9E3779B9u * (i + 1) + (sva ? 7 : 0);

		r->tmpl = xmalloc(r->acc_len);
		for (j = 0; j < r->acc_len; j++)
			r->tmpl[j] = (uint8_t)prng(&s);
		/* SVA: any 8 bytes of a descriptor or list zone read as an
		 * address have bit 63 set, so they fault (non-canonical). */
		if (sva && i != FZ_ROLE_DATA)
			for (j = 0; j < r->acc_len; j++)
				r->tmpl[j] |= 0x80;
		if (!sva) {
			r->expect = xmalloc(r->acc_len);
			r->touchable = xmalloc(r->acc_len);
		}
	}
}

/* Every region back to its template; nothing touchable yet. */
void
fz_arena_reset(struct fz_arena *a)
{
	unsigned int i;

	for (i = 0; i < a->nb_reg; i++) {
		struct fz_region *r = &a->reg[i];

		memcpy(r->acc, r->tmpl, r->acc_len);
		if (!a->sva) {
			memcpy(r->expect, r->tmpl, r->acc_len);
			memset(r->touchable, 0, r->acc_len);
		}
	}
}

static struct fz_region *
region_of(struct fz_arena *a, const uint8_t *va, size_t len)
{
	unsigned int i;

	for (i = 0; i < a->nb_reg; i++) {
		struct fz_region *r = &a->reg[i];

		if (va >= r->acc && len <= r->acc_len &&
				(size_t)(va - r->acc) <= r->acc_len - len)
			return r;
	}
	fz_fail("harness bug: %p+%zu is outside the arena", va, len);
}

/* A harness store into the arena: what a driver writes is expected. */
void
fz_arena_write(struct fz_arena *a, uint8_t *va, const void *src, size_t len)
{
	struct fz_region *r = region_of(a, va, len);

	memcpy(va, src, len);
	if (!a->sva)
		memcpy(r->expect + (va - r->acc), src, len);
}

/* The IOMMU mapped these bytes: the engine may change them from now on. */
void
fz_arena_allow(struct fz_arena *a, uint8_t *va, uint64_t len)
{
	struct fz_region *r = region_of(a, va, len);

	memset(r->touchable + (va - r->acc), 1, len);
}

static void
report_stray(const struct fz_region *r, unsigned int reg, size_t first,
		size_t count)
{
	const char *where = "window";
	long off = (long)first - (long)(r->va - r->acc);

	if (r->acc + first < r->va)
		where = "canary below the window";
	else if (r->acc + first >= r->va + r->len)
		where = "canary above the window";
	fz_fail("engine wrote %zu byte(s) it was never allowed: region %u, "
		"%s, first at window offset %ld (held %#x, expected %#x)",
		count, reg, where, off, r->acc[first], r->expect[first]);
}

/* Every byte never mapped this input still holds what it should. */
void
fz_arena_check(const struct fz_arena *a)
{
	unsigned int i;
	size_t j, k;

	if (a->sva)
		return;
	for (i = 0; i < a->nb_reg; i++) {
		const struct fz_region *r = &a->reg[i];
		size_t first = 0, count = 0;

		for (j = 0; j < r->acc_len; j += 64) {
			size_t n = r->acc_len - j < 64 ? r->acc_len - j : 64;

			if (memcmp(r->acc + j, r->expect + j, n) == 0)
				continue;
			for (k = j; k < j + n; k++)
				if (!r->touchable[k] &&
						r->acc[k] != r->expect[k] &&
						count++ == 0)
					first = k;
		}
		if (count != 0)
			report_stray(r, i, first, count);
	}
}

/* Whether addr is memory the engine can reach without faulting. */
bool
fz_arena_accessible(const struct fz_arena *a, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < a->nb_reg; i++)
		if (addr >= (uintptr_t)a->reg[i].acc &&
				addr < (uintptr_t)a->reg[i].acc +
				a->reg[i].acc_len)
			return true;
	return false;
}

/* SVA: the zone of a role. IOMMU: the region a channel's defaults use. */
const struct fz_region *
fz_zone(const struct fz_arena *a, enum fz_role role)
{
	static const unsigned int sva_zone[] = { 0, 1, 2, 2 };
	static const unsigned int iommu_region[] = { 0, 1, 3, 1 };

	return &a->reg[a->sva ? sva_zone[role] : iommu_region[role]];
}

/* The address the engine uses for byte off of region r. */
uint64_t
fz_iova(const struct fz_arena *a, unsigned int space,
		const struct fz_region *r, uint64_t off)
{
	if (a->sva)
		return (uintptr_t)r->va + off;
	return (space == 0 ? FZ_IOVA_PRIMARY : FZ_IOVA_ALIAS) +
		r->iova_off + off;
}

/* IOMMU: edges of the IOVA spaces, the null page, the top of memory. */
static uint64_t
iommu_special(const struct fz_arena *a, uint16_t k)
{
	const uint64_t v[] = {
		0, 64, 4096,
		FZ_IOVA_PRIMARY - 64, FZ_IOVA_PRIMARY + a->span,
		FZ_IOVA_PRIMARY + a->span - 64, FZ_IOVA_ALIAS + a->span - 8,
		UINT64_MAX & ~63ull, UINT64_MAX - 7, 1ull << 63,
	};

	return v[k % (sizeof(v) / sizeof(v[0]))];
}

/* SVA: an address in the guard below or above the role's zone. */
static uint64_t
sva_guard(const struct fz_region *z, uint64_t raw, bool aligned)
{
	uint64_t room = SVA_GUARD / 2, k = (raw >> 1) % room;
	uintptr_t lo = (uintptr_t)z->va, hi = lo + z->len;

	if (aligned)
		k &= ~63ull;
	return raw & 1 ? hi + k : lo - 64 - k;
}

/*
 * An address operand: a type byte t, a 16-bit offset, and for t & 3 == 3
 * eight more bytes. t & 3: 0 the primary IOVA space, 1 the alias space
 * (region (t >> 2) & 7 plus the offset, times 64 when t & 0x20), 2 a
 * special value, 3 a raw 64-bit IOVA. SVA reads the same bytes but
 * confines the result: the zone of the role (offsets beyond it land in
 * its guard), a never-mapped low address, or a guard address.
 */
uint64_t
fz_aref(const struct fz_arena *a, struct fz_in *in, enum fz_role role)
{
	static const uint64_t sva_low[] = { 0, 64, 0x800, 0xFC0 };
	uint8_t t = fz_u8(in);
	uint16_t off = fz_u16(in);
	uint64_t raw = (t & 3) == 3 ? fz_u64(in) : 0;
	uint64_t scaled = t & 0x20 ? (uint64_t)off << 6 : off;
	const struct fz_region *z = fz_zone(a, role);

	if (a->sva) {
		switch (t & 3) {
		case 0:
		case 1:
			return (uintptr_t)z->va +
				scaled % (z->len + SVA_GUARD / 2);
		case 2:
			return sva_low[off % 4];
		default:
			return sva_guard(z, raw, t & 0x20);
		}
	}
	switch (t & 3) {
	case 0:
	case 1:
		return fz_iova(a, t & 1, &a->reg[((t >> 2) & 7) % a->nb_reg],
			scaled);
	case 2:
		return iommu_special(a, off);
	default:
		return raw;
	}
}
