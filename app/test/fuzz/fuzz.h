/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The engine fuzzer's shared definitions. One input is a small program run
 * against a software card created once per process: it writes descriptors
 * and segment lists into an arena, maps and unmaps IOMMU windows, and
 * writes registers and commands. After the program every channel must
 * settle, hold its invariants, and the engine must have touched no byte
 * its IOMMU never allowed. README.md describes the input format.
 */

#ifndef NETDMA_FUZZ_H
#define NETDMA_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netdma_engine.h"

#define FZ_NB_CHAN		2
#define FZ_MAX_REGIONS		5

/* The two IOVA spaces: every window is reachable at both, so two IOVAs
 * can alias one host byte (the engine checks overlap on host addresses). */
#define FZ_IOVA_PRIMARY		0x100000000ull
#define FZ_IOVA_ALIAS		0x200000000ull
#define FZ_NB_SPACES		2

/* A value with only reserved CHANCMD bits: acknowledged, no effect. */
#define FZ_CMD_NOOP		0x80u

/* What an address is for. In SVA mode each role has a zone of its own. */
enum fz_role {
	FZ_ROLE_DESC,		/* a descriptor: next, CHAINADDR */
	FZ_ROLE_LIST,		/* a COPY_SG segment list */
	FZ_ROLE_DATA,		/* data: source, destination, segment */
	FZ_ROLE_CMP,		/* the completion status word */
};

/*
 * A region of the arena: a window area the program may map (IOMMU mode)
 * or a zone (SVA mode), inside an accessible span that guard pages
 * (PROT_NONE) surround. In IOMMU mode the span has a canary page on each
 * side of the window area that is never mapped.
 */
struct fz_region {
	uint8_t *va;		/* window area or zone */
	uint64_t len;
	uint64_t iova_off;	/* IOMMU: its offset in each IOVA space */
	uint8_t *acc;		/* the accessible span */
	size_t acc_len;
	uint8_t *tmpl;		/* acc_len bytes: content at input start */
	uint8_t *expect;	/* IOMMU: what the span must hold... */
	uint8_t *touchable;	/* ...where this is 0: never mapped */
};

struct fz_arena {
	bool sva;
	uint8_t *base;
	size_t size;
	unsigned int nb_reg;
	struct fz_region reg[FZ_MAX_REGIONS];
	uint64_t span;		/* bytes of one IOVA space */
};

/* The driver side of one channel, and what it made available. */
struct fz_chan {
	struct netdma_engine *e;
	unsigned int id;
	volatile struct netdma_chan_regs *regs;
	int irq;
	uint16_t dmacount;	/* last DMACOUNT written */
	/* Descriptors made available since the last RESET was written:
	 * the sum of every DMACOUNT step, each taken forward mod 2^16. */
	uint64_t avail;
	bool err_cleared;	/* the program cleared CHANERR bits */
};

struct fz_ctx {
	bool sva;
	struct netdma_engine *e;
	struct fz_arena arena;
	struct fz_chan ch[FZ_NB_CHAN];
	uint8_t *mapped[FZ_NB_SPACES];	/* IOMMU model: a byte per IOVA */
};

/* The input, read as a byte stream that yields zeros once exhausted. */
struct fz_in {
	const uint8_t *p;
	size_t n, pos;
};

/* fuzz_main.c */
__attribute__((noreturn, format(printf, 1, 2)))
void fz_fail(const char *fmt, ...);
uint64_t fz_now_ns(void);

/* fuzz_arena.c */
void fz_arena_init(struct fz_arena *a, bool sva);
void fz_arena_reset(struct fz_arena *a);
void fz_arena_write(struct fz_arena *a, uint8_t *va, const void *src,
		size_t len);
void fz_arena_allow(struct fz_arena *a, uint8_t *va, uint64_t len);
void fz_arena_check(const struct fz_arena *a);
bool fz_arena_accessible(const struct fz_arena *a, uint64_t addr);
const struct fz_region *fz_zone(const struct fz_arena *a, enum fz_role r);
uint64_t fz_iova(const struct fz_arena *a, unsigned int space,
		const struct fz_region *r, uint64_t off);
uint64_t fz_aref(const struct fz_arena *a, struct fz_in *in,
		enum fz_role role);

/* fuzz_iommu.c */
void fz_iommu_init(struct fz_ctx *c);
void fz_iommu_map(struct fz_ctx *c, unsigned int space,
		unsigned int reg, uint64_t off, uint64_t len);
void fz_iommu_unmap(struct fz_ctx *c, unsigned int space, uint64_t off,
		uint64_t len);
void fz_iommu_clear(struct fz_ctx *c);

/* fuzz_chan.c */
void fz_chan_init(struct fz_chan *ch, struct netdma_engine *e,
		unsigned int id);
void fz_chan_begin(struct fz_ctx *c, struct fz_chan *ch);
void fz_kick(struct fz_chan *ch);
void fz_cmd(struct fz_chan *ch, uint8_t cmd, bool wait_ack);
void fz_doorbell(struct fz_chan *ch, uint32_t value);
void fz_irq_drain(struct fz_chan *ch);
bool fz_settle(struct fz_ctx *c, uint64_t budget_ns, bool *rest);
void fz_settle_or_fail(struct fz_ctx *c);
void fz_chan_check(struct fz_ctx *c, struct fz_chan *ch);
void fz_chan_end(struct fz_ctx *c);

/* fuzz_program.c */
uint8_t fz_u8(struct fz_in *in);
uint16_t fz_u16(struct fz_in *in);
uint32_t fz_u32(struct fz_in *in);
uint64_t fz_u64(struct fz_in *in);
void fz_program_run(struct fz_ctx *c, struct fz_in *in);

#endif /* NETDMA_FUZZ_H */
