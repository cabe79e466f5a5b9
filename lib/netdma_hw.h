/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * NetDMA hardware contract: register block, descriptor format, completion
 * status word and error codes. This is the only definition of the device;
 * the software engine (lib/) and the PMD (drivers/dma/netdma) both include
 * it and nothing else describes the hardware. doc/netdma_spec.md is the
 * prose version of this header and must agree with it.
 */

#ifndef NETDMA_HW_H
#define NETDMA_HW_H

#include <stdint.h>
#include <stddef.h>

#define NETDMA_HW_VERSION		0x10	/* spec 1.0 */

/* ---------------------------------------------------------------- *
 * Register block (BAR0). Little-endian, naturally aligned accesses.
 * ---------------------------------------------------------------- */

#define NETDMA_BAR_SIZE			4096
#define NETDMA_CHAN_REGS_OFFSET		0x80	/* channel 0 */
#define NETDMA_CHAN_REGS_STRIDE		0x80
#define NETDMA_MAX_CHANNELS		31

/* Global registers, offsets from BAR0. */
#define NETDMA_REG_CHANCNT		0x00	/* u8  RO number of channels */
#define NETDMA_REG_VERSION		0x01	/* u8  RO NETDMA_HW_VERSION */
#define NETDMA_REG_CAP			0x04	/* u32 RO NETDMA_CAP_* */
#define NETDMA_REG_MAX_XFER		0x08	/* u32 RO largest transfer, bytes */
#define NETDMA_REG_RING_LOG2		0x0C	/* u8 RO log2 fewest descriptors */
#define NETDMA_REG_RING_LOG2_MAX	0x0D	/* u8 RO log2 most descriptors */
#define NETDMA_REG_MAX_SGES		0x0E	/* u8 RO segments per COPY_SG list */
#define NETDMA_REG_ARB_PRIOS		0x0F	/* u8 RO arbitration priorities */

#define NETDMA_CAP_COPY			(1u << 0)
#define NETDMA_CAP_FILL			(1u << 1)
#define NETDMA_CAP_FENCE		(1u << 2)
#define NETDMA_CAP_INTR			(1u << 3)
#define NETDMA_CAP_INTR_DELAY		(1u << 4)
#define NETDMA_CAP_ERR_RECOVER		(1u << 5)
#define NETDMA_CAP_COPY_SG		(1u << 6)
/* Shared virtual addressing: the card is bound to the address space of
 * the process that drives it, so every IOVA is that process's virtual
 * address, and an access that faults is a per-descriptor error. */
#define NETDMA_CAP_SVA			(1u << 7)

/*
 * Per-channel registers, at NETDMA_CHAN_REGS_OFFSET +
 * channel * NETDMA_CHAN_REGS_STRIDE. Field offsets are part of the
 * contract and checked below. What software writes sits in the block's
 * first 64 bytes, what the engine publishes as it runs in the second, so
 * that a doorbell write and a status publication never contend for one
 * cache line.
 */
struct netdma_chan_regs {
	uint16_t chanctrl;	/* 0x00 RW NETDMA_CTRL_* */
	uint16_t intrdelay;	/* 0x02 RW interrupt coalescing delay, us */
	uint32_t doorbell;	/* 0x04 RW DMACOUNT in bits 15:0 */
	uint64_t chainaddr;	/* 0x08 RW where fetching (re)starts */
	uint64_t chancmp;	/* 0x10 RW completion status address */
	uint8_t chancmd;	/* 0x18 RW NETDMA_CMD_*, self-clearing */
	uint8_t arb_weight;	/* 0x19 RW descriptors per turn, in quanta */
	uint8_t arb_prio;	/* 0x1A RW 0 is served first */
	uint8_t rsvd0;
	uint32_t chanerr;	/* 0x1C RW1C NETDMA_CHANERR_* */
	uint32_t chanerr_mask;	/* 0x20 RW errors that do not halt */
	uint8_t rsvd1[0x1C];
	uint64_t chansts;	/* 0x40 RO completion status word */
	uint64_t completed;	/* 0x48 RO running count of processed descs */
	uint64_t errdesc;	/* 0x50 RO address of the failing descriptor */
	uint64_t erraddr;	/* 0x58 RO the address whose access failed */
	uint8_t rsvd2[0x20];
};

#define NETDMA_CHAN_REG_OFF(f)	offsetof(struct netdma_chan_regs, f)
_Static_assert(NETDMA_CHAN_REG_OFF(chanctrl) == 0x00, "chanctrl");
_Static_assert(NETDMA_CHAN_REG_OFF(intrdelay) == 0x02, "intrdelay");
_Static_assert(NETDMA_CHAN_REG_OFF(doorbell) == 0x04, "doorbell");
_Static_assert(NETDMA_CHAN_REG_OFF(chainaddr) == 0x08, "chainaddr");
_Static_assert(NETDMA_CHAN_REG_OFF(chancmp) == 0x10, "chancmp");
_Static_assert(NETDMA_CHAN_REG_OFF(chancmd) == 0x18, "chancmd");
_Static_assert(NETDMA_CHAN_REG_OFF(arb_weight) == 0x19, "arb_weight");
_Static_assert(NETDMA_CHAN_REG_OFF(arb_prio) == 0x1A, "arb_prio");
_Static_assert(NETDMA_CHAN_REG_OFF(chanerr) == 0x1C, "chanerr");
_Static_assert(NETDMA_CHAN_REG_OFF(chanerr_mask) == 0x20, "chanerr_mask");
_Static_assert(NETDMA_CHAN_REG_OFF(chansts) == 0x40, "chansts");
_Static_assert(NETDMA_CHAN_REG_OFF(completed) == 0x48, "completed");
_Static_assert(NETDMA_CHAN_REG_OFF(errdesc) == 0x50, "errdesc");
_Static_assert(NETDMA_CHAN_REG_OFF(erraddr) == 0x58, "erraddr");
_Static_assert(sizeof(struct netdma_chan_regs) == NETDMA_CHAN_REGS_STRIDE,
	"channel register stride");

/* Channel register block inside a BAR. */
static inline volatile struct netdma_chan_regs *
netdma_chan_regs(volatile void *bar, unsigned int chan)
{
	return (volatile struct netdma_chan_regs *)((volatile uint8_t *)bar +
		NETDMA_CHAN_REGS_OFFSET + chan * NETDMA_CHAN_REGS_STRIDE);
}

/* CHANCTRL */
#define NETDMA_CTRL_INT_REARM		(1u << 0) /* arm one interrupt */
#define NETDMA_CTRL_ERR_INT_EN		(1u << 1) /* interrupt on halt */
#define NETDMA_CTRL_ERR_COMPL_EN	(1u << 2) /* status write on halt */
#define NETDMA_CTRL_INT_ON_IDLE		(1u << 4) /* armed irq when idle */
#define NETDMA_CTRL_STATUS_ON_IDLE	(1u << 5) /* status write when idle */

/* CHANCMD, self-clearing: the engine writes 0 once it has acted. */
#define NETDMA_CMD_RESUME		0x01	/* leave SUSPENDED/HALTED */
#define NETDMA_CMD_SUSPEND		0x02	/* stop at a desc boundary */
#define NETDMA_CMD_ABORT		0x04	/* drop pending descs, IDLE */
#define NETDMA_CMD_RESET		0x20	/* power-on channel state */

/* DOORBELL: bits 15:0 are DMACOUNT, the running count of descriptors
 * software has made available since reset; it wraps at 2^16. */
#define NETDMA_DMACOUNT_MASK		0xFFFFu

/* ---------------------------------------------------------------- *
 * Completion status word: written to CHANCMP, mirrored in CHANSTS.
 * Bits 63:6 are the address of the most recently processed descriptor
 * (for HALTED: the failing one); bits 5:0 the state and error summary.
 * ---------------------------------------------------------------- */

#define NETDMA_STS_ADDR_MASK		(~(uint64_t)0x3F)
#define NETDMA_STS_STATE_MASK		0x7u
#define NETDMA_STS_ACTIVE		0x0u
#define NETDMA_STS_IDLE			0x1u
#define NETDMA_STS_SUSPENDED		0x2u
#define NETDMA_STS_HALTED		0x3u
#define NETDMA_STS_ERR_ADDR		(1u << 3) /* an address: src/dst/cmp */
#define NETDMA_STS_ERR_LEN		(1u << 4) /* transfer length */
#define NETDMA_STS_ERR_DESC		(1u << 5) /* descriptor fetch/format */
#define NETDMA_STS_ERR_MASK		0x38u

static inline uint64_t
netdma_sts_addr(uint64_t sts)
{
	return sts & NETDMA_STS_ADDR_MASK;
}

static inline unsigned int
netdma_sts_state(uint64_t sts)
{
	return (unsigned int)(sts & NETDMA_STS_STATE_MASK);
}

/* CHANERR: the detailed error cause, write 1 to clear. */
#define NETDMA_CHANERR_SRC_ADDR		(1u << 0) /* source not mapped */
#define NETDMA_CHANERR_DST_ADDR		(1u << 1) /* dest not mapped */
#define NETDMA_CHANERR_LENGTH		(1u << 2) /* 0 or > MAX_XFER */
#define NETDMA_CHANERR_DESC_READ	(1u << 3) /* next/chain unreadable */
#define NETDMA_CHANERR_DESC_OPCODE	(1u << 4) /* bad op or ctrl bits */
#define NETDMA_CHANERR_CMP_ADDR		(1u << 5) /* CHANCMP not writable */
#define NETDMA_CHANERR_OVERLAP		(1u << 6) /* src/dst ranges overlap */
#define NETDMA_CHANERR_PAGE_FAULT	(1u << 7) /* SVA: an access faulted */
#define NETDMA_CHANERR_ALL		0xFFu

/* ---------------------------------------------------------------- *
 * Descriptor: 64 bytes, 64-byte aligned, chained through next.
 * ---------------------------------------------------------------- */

struct netdma_desc {
	uint32_t size;		/* bytes to move or fill */
	uint32_t ctrl;		/* NETDMA_DESC_* flags | op << OP_SHIFT */
	uint64_t src;		/* source IOVA, fill pattern, or src list */
	uint64_t dst;		/* destination IOVA, or dst list */
	uint64_t next;		/* IOVA of the next descriptor */
	uint16_t src_sges;	/* COPY_SG: entries in the src list */
	uint16_t dst_sges;	/* COPY_SG: entries in the dst list */
	uint32_t rsvd0;		/* reserved: software writes 0 */
	uint64_t rsvd[3];	/* reserved: software writes 0 */
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct netdma_desc) == 64, "descriptor size");
_Static_assert(offsetof(struct netdma_desc, next) == 0x18, "desc next");
_Static_assert(offsetof(struct netdma_desc, src_sges) == 0x20, "src_sges");
_Static_assert(offsetof(struct netdma_desc, dst_sges) == 0x22, "dst_sges");

/* One entry of a COPY_SG segment list; lists are 16-byte aligned. */
struct netdma_sge {
	uint64_t addr;		/* IOVA of the segment */
	uint32_t len;		/* bytes, at least 1 */
	uint32_t rsvd;		/* reserved: software writes 0 */
};

_Static_assert(sizeof(struct netdma_sge) == 16, "segment entry size");

#define NETDMA_DESC_ALIGN		64
#define NETDMA_DESC_INT_ON_COMPL	(1u << 0)
#define NETDMA_DESC_STATUS_UPDATE	(1u << 3)
#define NETDMA_DESC_FENCE		(1u << 4)
#define NETDMA_DESC_NULL		(1u << 5)
#define NETDMA_DESC_CACHE_HINT		(1u << 6) /* keep dst in LLC */
#define NETDMA_DESC_FLAGS_MASK		0x79u
#define NETDMA_DESC_OP_SHIFT		24
#define NETDMA_DESC_OP_MASK		(0xFFu << NETDMA_DESC_OP_SHIFT)
#define NETDMA_OP_COPY			0x00u
#define NETDMA_OP_FILL			0x01u
#define NETDMA_OP_COPY_SG		0x02u

/* Limits the engine reports through MAX_XFER and the RING_LOG2 pair. The
 * ring bound keeps outstanding descriptors below the DMACOUNT wrap. */
#define NETDMA_MAX_XFER			(1u << 30)
#define NETDMA_MIN_RING_LOG2		5	/* 32 descriptors */
#define NETDMA_MAX_RING_LOG2		15	/* 32768 descriptors */
#define NETDMA_MAX_SGES			16	/* entries per COPY_SG list */
#define NETDMA_ARB_PRIOS		4	/* arb_prio values 0..3 */

#endif /* NETDMA_HW_H */
