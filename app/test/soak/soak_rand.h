/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The soak's random numbers: splitmix64, so that one 64-bit seed replays
 * every decision, and a byte stream that can be recomputed at any offset,
 * so that memory filled from it can be checked without a saved copy.
 */

#ifndef SOAK_RAND_H
#define SOAK_RAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SOAK_GOLDEN	0x9e3779b97f4a7c15ull

static inline uint64_t
soak_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

struct soak_rng {
	uint64_t s;
};

static inline void
rng_seed(struct soak_rng *r, uint64_t a, uint64_t b)
{
	r->s = soak_mix(a ^ soak_mix(b + SOAK_GOLDEN));
}

static inline uint64_t
rng_u64(struct soak_rng *r)
{
	r->s += SOAK_GOLDEN;
	return soak_mix(r->s);
}

/* Uniform in [0, n), n > 0. */
static inline uint32_t
rng_below(struct soak_rng *r, uint32_t n)
{
	return (uint32_t)(((rng_u64(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline uint32_t
rng_range(struct soak_rng *r, uint32_t lo, uint32_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static inline bool
rng_chance(struct soak_rng *r, unsigned int per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

/* Word k of the stream named by seed. */
static inline uint64_t
stream_word(uint64_t seed, uint64_t k)
{
	return soak_mix(seed + k * SOAK_GOLDEN);
}

/* Byte off of the stream: little-endian bytes of its words. */
static inline uint8_t
stream_byte(uint64_t seed, uint64_t off)
{
	return (uint8_t)(stream_word(seed, off >> 3) >> ((off & 7) * 8));
}

/* Fill p (8-byte aligned, len a multiple of 8) with the stream. */
static inline void
stream_fill(uint8_t *p, size_t len, uint64_t seed)
{
	size_t k;

	for (k = 0; k < len / 8; k++) {
		uint64_t w = stream_word(seed, k);

		memcpy(p + k * 8, &w, 8);
	}
}

/* Offset of the first byte of p[from, to) that differs from the stream,
 * or to when none does. */
static inline size_t
stream_mismatch(const uint8_t *p, size_t from, size_t to, uint64_t seed)
{
	size_t i = from;

	while (i < to && (i & 7) != 0) {
		if (p[i] != stream_byte(seed, i))
			return i;
		i++;
	}
	for (; i + 8 <= to; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		if (w != stream_word(seed, i >> 3))
			break;
	}
	for (; i < to; i++)
		if (p[i] != stream_byte(seed, i))
			return i;
	return to;
}

#endif /* SOAK_RAND_H */
