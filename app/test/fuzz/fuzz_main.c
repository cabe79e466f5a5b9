/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * libFuzzer entry point for the software engine. The first input byte
 * picks the card: bit 0 clear, an IOMMU card; set, an SVA card. Each card
 * is created once, on the first input that wants it (creating a card
 * starts its worker, and an SVA card installs its fault handlers, which
 * must come after libFuzzer's own so that faults it does not own reach
 * libFuzzer). The rest of the input is a program (fuzz_program.c).
 *
 * Per input: the arena back to its template, each channel at its RESET
 * state with default CHAINADDR and CHANCMP; the program; then every
 * channel must come to rest and hold its invariants, RESET must restore
 * it, every window must unmap as the model says, and in IOMMU mode no
 * byte the program never mapped may have changed. Any failure prints one
 * line saying what broke and aborts, so libFuzzer keeps the input.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fuzz.h"



void
fz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "netdma fuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

uint64_t
fz_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct fz_ctx *
card(bool sva)
{
	static struct fz_ctx ctx[2];
	struct fz_ctx *c = &ctx[sva];
	struct netdma_engine_params p = {
		.nb_channels = FZ_NB_CHAN,
		.nb_workers = 1,	/* one worker arbitrates both */
		.spin_us = 0,
		.sva = sva,
		.name = sva ? "fuzzsva" : "fuzz",
	};
	unsigned int i;

	if (c->e != NULL)
		return c;
	c->sva = sva;
	fz_arena_init(&c->arena, sva);
	fz_iommu_init(c);
	c->e = netdma_engine_create(&p);
	if (c->e == NULL)
		fz_fail("netdma_engine_create failed");
	for (i = 0; i < FZ_NB_CHAN; i++)
		fz_chan_init(&c->ch[i], c->e, i);
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { .p = data, .n = size, .pos = 1 };
	struct fz_ctx *c;
	unsigned int i;

	if (size == 0)
		return 0;
	c = card(data[0] & 1);
	fz_arena_reset(&c->arena);
	for (i = 0; i < FZ_NB_CHAN; i++)
		fz_chan_begin(c, &c->ch[i]);

	fz_program_run(c, &in);

	fz_settle_or_fail(c);
	for (i = 0; i < FZ_NB_CHAN; i++)
		fz_chan_check(c, &c->ch[i]);
	fz_chan_end(c);
	fz_iommu_clear(c);
	fz_arena_check(&c->arena);
	return 0;
}
