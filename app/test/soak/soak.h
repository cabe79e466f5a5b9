/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * netdma-soak: a chaos soak of dma_netdma through the public rte_dma API
 * and rte_pmd_netdma.h. One thread drives several cards and channels with
 * a seeded random mix of copies, fills, scatter-gather copies, bad
 * addresses, completion calls, ring-full pressure, stops, interrupt waits
 * and hot-unplugs, and keeps a model of every channel: which job ids are
 * in flight, what each must report, and what each leaves in memory. The
 * first disagreement between the model and the driver ends the run.
 */

#ifndef SOAK_H
#define SOAK_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_dev.h>
#include <rte_dmadev.h>

#include "soak_rand.h"

#define SOAK_MAX_CARDS		3
#define SOAK_MAX_CHANS		8
/* Slots of a channel's op table: at least the largest ring the soak sets
 * up, and a divisor of 65536 so that a job id indexes it directly. */
#define SOAK_OPS_CAP		1024
#define SOAK_MAX_SEGS		16
#define SOAK_SRC_LEN		(4u << 20)	/* per card */
#define SOAK_ARENA_LEN		(8u << 20)	/* per channel */
#define SOAK_NB_CLIFFS		8
#define SOAK_GUARD		64	/* bytes on each side of a dst */
#define SOAK_MAX_XFER		(1u << 30)	/* engine MAX_XFER */

/* Where a card's memory comes from, and what "bad address" means there. */
enum soak_dom {
	DOM_DPDK,	/* rte_malloc, mapped by the PMD at probe */
	DOM_EXTMEM,	/* rte_extmem_register + rte_dev_dma_map windows */
	DOM_SVA,	/* sva=1: malloc and mmap memory, no IOMMU */
};

enum soak_kind {
	K_COPY, K_FILL, K_SG,
	/* every card */
	K_LEN0_COPY, K_LEN0_FILL, K_HUGE_COPY, K_HUGE_FILL, K_OVERLAP,
	K_SG_LEN, K_SG_ZERO, K_SG_NB,
	K_SRC_NULL, K_DST_NULL, K_FILL_NULL,
	K_SRC_UNMAPPED, K_DST_UNMAPPED, K_FILL_UNMAPPED,
	K_SRC_STRADDLE, K_SG_SRC_BAD, K_SG_DST_BAD, K_SRC_NONCANON,
	/* extmem and SVA cards: a page followed by one the card cannot use */
	K_DST_STRADDLE,
	/* SVA cards */
	K_DST_RDONLY, K_SRC_SIGBUS, K_DST_SIGBUS,
	K_MAX
};
#define K_FIRST_BAD	K_LEN0_COPY

/* What an op may leave in its destination area. */
enum soak_expect_mem {
	MEM_NEW,	/* the op's bytes, nothing else changed */
	MEM_OLD,	/* nothing changed */
	MEM_OLD_OR_NEW,	/* each byte either: an op cut off part way */
};

struct soak_seg {
	uint8_t *ptr;
	uint32_t len;
	/* source: its bytes cannot be read (a fault stops the op there);
	 * destination: it lies outside the op's area, nothing to check */
	bool bad;
};

/* One op as the model knows it. */
struct soak_op {
	uint64_t area_seed;	/* the stream area is prefilled with */
	uint16_t id;
	uint8_t kind;
	bool submitted;
	bool is_fill;
	enum rte_dma_status_code expect;
	enum soak_expect_mem on_failure;
	uint32_t len;
	uint64_t pattern;
	/* Memory the op owns: prefilled, the destination inside it. */
	uint8_t *area;
	uint32_t area_len;
	bool in_arena;
	uint32_t arena_prev_head;	/* to give back an op never enqueued */
	uint32_t arena_end;
	int cliff;			/* exclusive cliff page, or -1 */
	/* Memory shared with other ops that this one aims at and must not
	 * change: bytes [from, to) of a region filled from a stream. */
	const uint8_t *shared;
	uint32_t shared_from, shared_to;
	uint64_t shared_seed;
	uint8_t nb_src, nb_dst;
	struct soak_seg src[SOAK_MAX_SEGS], dst[SOAK_MAX_SEGS];
};

/* A channel's destination memory, handed out and taken back in order. */
struct soak_arena {
	uint8_t *base;
	uint32_t cap, head, tail;
	uint32_t live;
};

struct soak_mem;

struct soak_card {
	const char *name;
	enum soak_dom dom;
	unsigned int channels;
	unsigned int first_chan;	/* index in soak.chans */
	bool present;
	unsigned int workers;
	char devargs[256];
	struct soak_mem *mem;
	uint64_t probes;
};

enum soak_chan_state {
	CH_ABSENT,	/* card unplugged */
	CH_CLOSED,	/* rte_dma_close()d; back after re-probe */
	CH_STOPPED,	/* configured, not started */
	CH_STARTED,
};

/* The area of a dropped op, and its bytes when it was dropped: after a
 * stop or unplug returns, the engine writes nothing more. */
struct soak_dropped {
	const uint8_t *area;
	uint32_t len;
	uint64_t hash;
};

struct soak_chan {
	struct soak_card *card;
	unsigned int index;		/* channel within the card */
	char name[RTE_DEV_NAME_MAX_LEN];
	int16_t dev_id;
	enum soak_chan_state state;
	uint16_t nb_desc;
	/* job ids: next to be returned, first not submitted, oldest not
	 * reported */
	uint16_t next_id, next_submit, next_report;
	bool error_seen;	/* completed() flagged the op at next_report */
	int epfd;		/* the channel's own epoll set */
	bool epoll_added;	/* its interrupt fd is in epfd */
	struct soak_op *ops;	/* SOAK_OPS_CAP slots, by id */
	struct soak_dropped *dropped;	/* SOAK_OPS_CAP, until next start */
	unsigned int nb_dropped;
	struct soak_arena arena;
	/* what rte_dma_stats_get and the wait counters must say */
	uint64_t st_submitted, st_completed, st_errors;
	uint64_t waits;
};

struct soak_counts {
	uint64_t steps;
	uint64_t ops[K_MAX];
	uint64_t status[RTE_DMA_STATUS_PAGE_FAULT + 1];
	uint64_t status_other;
	uint64_t completed_calls, completed_ops, has_error;
	uint64_t status_calls, status_ops;
	uint64_t submits, enospc, einval, eio;
	uint64_t drains;
	uint64_t stops_drained, stops_inflight, stops_noop, starts,
		starts_noop, reconfigs, closes, busy_refusals;
	uint64_t dropped, dropped_unsubmitted, dropped_rechecked;
	uint64_t unplugs, unplugs_started, unplugs_inflight, probes;
	uint64_t waits, waits_ready, waits_idle, slow_wakes, arm_polls,
		epolls, epoll_stop_checks, arms;
	uint64_t inflight_checks, vchan_status_checks, stats_checks,
		stats_resets, dumps;
	uint64_t bytes_verified;
	double stop_max_ms, unplug_max_ms;
	uint64_t stop_max_step, unplug_max_step;
	uint64_t cmd_retries;
};

struct soak_ctx {
	uint64_t seed;
	uint64_t step;
	double duration_s;
	unsigned int hang_s;
	unsigned int progress_s;
	bool verbose;
	bool have_movdir64b;
	struct soak_card cards[SOAK_MAX_CARDS];
	unsigned int nb_cards;
	struct soak_chan chans[SOAK_MAX_CHANS];
	unsigned int nb_chans;
	uint64_t op_serial;
	struct soak_counts n;
};

extern struct soak_ctx soak;

static inline uint16_t
chan_inflight(const struct soak_chan *c)
{
	return (uint16_t)(c->next_id - c->next_report);
}

/* Submitted and not yet reported: what the engine owes. */
static inline uint16_t
chan_owed(const struct soak_chan *c)
{
	return (uint16_t)(c->next_submit - c->next_report);
}

static inline struct soak_op *
chan_op(const struct soak_chan *c, uint16_t id)
{
	return &c->ops[id & (SOAK_OPS_CAP - 1)];
}

/* soak_report.c: the trace, the log, violations and the summary */
void soak_log_capture(void);
__attribute__((format(printf, 2, 3)))
void soak_trace(const struct soak_chan *c, const char *fmt, ...);
__attribute__((noreturn, format(printf, 3, 4)))
void soak_violation(const struct soak_chan *c, const struct soak_op *op,
		const char *fmt, ...);
__attribute__((noreturn))
void soak_hang(void);
void soak_summary(double secs);
const char *soak_kind_name(unsigned int kind);
const char *soak_status_name(enum rte_dma_status_code st);

/* soak_mem.c: the cards' memory */
int soak_mem_init(struct soak_card *card, uint64_t seed);
void soak_mem_fini(struct soak_card *card);
int soak_mem_map(struct soak_card *card);
uint8_t *soak_mem_arena(struct soak_card *card, unsigned int chan);
void soak_mem_check_sources(const struct soak_card *card);

/* soak_gen.c: ops and the calls that enqueue them */
struct soak_call {
	enum { CALL_COPY, CALL_FILL, CALL_SG } api;
	uint64_t src, dst;
	uint32_t len;
	struct rte_dma_sge s[SOAK_MAX_SEGS + 1], d[SOAK_MAX_SEGS + 1];
	uint16_t nb_src, nb_dst;
};
bool soak_gen_op(struct soak_chan *c, struct soak_rng *r,
		enum soak_kind kind, uint32_t max_len, struct soak_op *op,
		struct soak_call *call);
enum soak_kind soak_gen_kind(const struct soak_chan *c, struct soak_rng *r,
		unsigned int bad_per_mille);
void soak_arena_reset(struct soak_arena *a, uint8_t *base, uint32_t cap);
void soak_op_release(struct soak_chan *c, struct soak_op *op);
void soak_op_unwind(struct soak_chan *c, struct soak_op *op);

/* soak_verify.c: what memory and counters must say */
void soak_verify_op(const struct soak_chan *c, const struct soak_op *op,
		enum soak_expect_mem mode);
void soak_report_ops(struct soak_chan *c, uint16_t n,
		const enum rte_dma_status_code *st, const char *call);
void soak_drop_inflight(struct soak_chan *c, const char *why);
void soak_check_dropped(struct soak_chan *c);
void soak_check_stats(const struct soak_chan *c);

/* soak_enqueue.c: bursts, ring-full pressure, submit */
int soak_burst(struct soak_chan *c, struct soak_rng *r, unsigned int n,
		uint32_t max_len, unsigned int bad_per_mille, bool submit);
void soak_pressure(struct soak_chan *c, struct soak_rng *r);
void soak_submit(struct soak_chan *c);
void soak_model_submitted(struct soak_chan *c);
void soak_stopped_calls(struct soak_chan *c, struct soak_rng *r);

/* soak_collect.c: completion calls */
void soak_completed(struct soak_chan *c, uint16_t limit);
void soak_completed_status(struct soak_chan *c, uint16_t limit);
void soak_drain(struct soak_chan *c, struct soak_rng *r);
void soak_check_inflight(struct soak_chan *c);
void soak_check_vchan_status(struct soak_chan *c);

/* soak_ctl.c: the control path */
void soak_stop(struct soak_chan *c, struct soak_rng *r, bool drained);
void soak_start(struct soak_chan *c);
void soak_reconfigure(struct soak_chan *c, struct soak_rng *r);
void soak_close(struct soak_chan *c);
void soak_refusals(struct soak_chan *c);
void soak_unplug(struct soak_card *card, struct soak_rng *r);
void soak_probe(struct soak_card *card, struct soak_rng *r);

/* soak_intr.c: interrupt arm and wait */
void soak_wait(struct soak_chan *c, struct soak_rng *r);
void soak_arm_poll(struct soak_chan *c, struct soak_rng *r, bool epoll);
void soak_arm(struct soak_chan *c);
void soak_intr_after_stop(struct soak_chan *c);

#endif /* SOAK_H */
