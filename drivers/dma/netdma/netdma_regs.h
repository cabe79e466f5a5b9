/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The driver's view of a channel's registers: one small function per
 * thing it does to the device. Callers never see how a register is
 * touched (lib/netdma_mmio.h) nor the write-1-to-clear detail of CHANERR.
 */

#ifndef NETDMA_REGS_H
#define NETDMA_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "netdma_hw.h"
#include "netdma_mmio.h"

typedef volatile struct netdma_chan_regs netdma_regs_t;

/* Global registers, read once at setup. */
static inline uint8_t
netdma_bar_read8(volatile const void *bar, unsigned int off)
{
	return __atomic_load_n((volatile const uint8_t *)bar + off,
			__ATOMIC_ACQUIRE);
}

static inline uint32_t
netdma_bar_read32(volatile const void *bar, unsigned int off)
{
	return __atomic_load_n((volatile const uint32_t *)(const void *)
			((volatile const uint8_t *)bar + off), __ATOMIC_ACQUIRE);
}

static inline uint64_t
netdma_chansts(netdma_regs_t *r)
{
	return netdma_mmio_read(r, chansts);
}

static inline uint32_t
netdma_chanerr(netdma_regs_t *r)
{
	return netdma_mmio_read(r, chanerr);
}

/* CHANERR is write-1-to-clear: clear exactly the bits given. */
static inline void
netdma_chanerr_clear(netdma_regs_t *r, uint32_t bits)
{
	netdma_mmio_clear(r, chanerr, bits);
}

static inline uint64_t
netdma_errdesc(netdma_regs_t *r)
{
	return netdma_mmio_read(r, errdesc);
}

static inline uint64_t
netdma_erraddr(netdma_regs_t *r)
{
	return netdma_mmio_read(r, erraddr);
}

/* Arbitration among the channels one engine worker serves. */
static inline void
netdma_arb_write(netdma_regs_t *r, uint8_t weight, uint8_t prio)
{
	netdma_mmio_write(r, arb_weight, weight);
	netdma_mmio_write(r, arb_prio, prio);
}

static inline uint8_t
netdma_arb_weight(netdma_regs_t *r)
{
	return netdma_mmio_read(r, arb_weight);
}

static inline uint8_t
netdma_arb_prio(netdma_regs_t *r)
{
	return netdma_mmio_read(r, arb_prio);
}

static inline uint64_t
netdma_completed_count(netdma_regs_t *r)
{
	return netdma_mmio_read(r, completed);
}

static inline uint16_t
netdma_chanctrl(netdma_regs_t *r)
{
	return netdma_mmio_read(r, chanctrl);
}

static inline void
netdma_chanctrl_write(netdma_regs_t *r, uint16_t v)
{
	netdma_mmio_write(r, chanctrl, v);
}

/* Set or clear CHANCTRL bits; a full barrier either way, which the
 * interrupt arm-then-check protocol relies on. */
static inline void
netdma_chanctrl_set(netdma_regs_t *r, uint16_t bits)
{
	netdma_mmio_set(r, chanctrl, bits);
}

static inline void
netdma_chanctrl_clear(netdma_regs_t *r, uint16_t bits)
{
	netdma_mmio_clear(r, chanctrl, bits);
}

static inline void
netdma_intrdelay_write(netdma_regs_t *r, uint16_t us)
{
	netdma_mmio_write(r, intrdelay, us);
}

static inline void
netdma_chainaddr_write(netdma_regs_t *r, uint64_t iova)
{
	netdma_mmio_write(r, chainaddr, iova);
}

static inline uint64_t
netdma_chainaddr(netdma_regs_t *r)
{
	return netdma_mmio_read(r, chainaddr);
}

static inline void
netdma_chancmp_write(netdma_regs_t *r, uint64_t iova)
{
	netdma_mmio_write(r, chancmp, iova);
}

static inline uint64_t
netdma_chancmp(netdma_regs_t *r)
{
	return netdma_mmio_read(r, chancmp);
}

/* Post a command; the engine clears CHANCMD once it has acted. */
static inline void
netdma_chancmd_write(netdma_regs_t *r, uint8_t cmd)
{
	netdma_mmio_write(r, chancmd, cmd);
}

static inline uint8_t
netdma_chancmd(netdma_regs_t *r)
{
	return netdma_mmio_read(r, chancmd);
}

/*
 * Take back a posted command the engine has not acknowledged: true if it
 * was still there and is now gone, false if the engine acknowledged it
 * first. (An engine that read the command and then stalled for the whole
 * wait before acting on it still acts on it; the contract acknowledges a
 * command only once it took effect, and has no bit to claim one.)
 */
static inline bool
netdma_chancmd_withdraw(netdma_regs_t *r, uint8_t cmd)
{
	return __atomic_compare_exchange_n(&r->chancmd, &cmd, 0, false,
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static inline uint16_t
netdma_dmacount(netdma_regs_t *r)
{
	return (uint16_t)(netdma_mmio_read(r, doorbell) & NETDMA_DMACOUNT_MASK);
}

/* Hand descriptors up to count to the engine. Release: the descriptors
 * written before are visible to the engine before the count is. */
static inline void
netdma_doorbell_write(netdma_regs_t *r, uint16_t count)
{
	netdma_mmio_write(r, doorbell, count);
}

static inline uint16_t
netdma_intrdelay(netdma_regs_t *r)
{
	return netdma_mmio_read(r, intrdelay);
}

#endif /* NETDMA_REGS_H */
