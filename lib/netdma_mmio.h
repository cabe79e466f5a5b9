/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * How every side touches a NetDMA register: the driver, the software
 * engine and the tests all use these and nothing else on the BAR.
 *
 * A register access is one load or store of the register's own width,
 * never split and never merged with a neighbour, as an uncached MMIO
 * access is on silicon. Reads are acquire and writes release, so a write
 * that hands memory to the other side (DOORBELL after descriptors, the
 * status word after data) publishes that memory, and a read that takes it
 * over (the status word, COMPLETED) sees it. The register block of the
 * software engine is ordinary memory shared between threads: these make
 * the sharing well defined (and visible to ThreadSanitizer) where a
 * volatile access would not.
 *
 * Read-modify-write helpers exist for the software engine's plain-memory
 * BAR, where a write-1-to-clear register (CHANERR) and the shared
 * CHANCTRL bits need an atomic RMW; on silicon they are single writes.
 * This header defines no hardware: netdma_hw.h alone does that.
 */

#ifndef NETDMA_MMIO_H
#define NETDMA_MMIO_H

/* Read register f of block r (a pointer to a register struct). */
#define netdma_mmio_read(r, f) \
	__atomic_load_n(&(r)->f, __ATOMIC_ACQUIRE)

/* Write v to register f. */
#define netdma_mmio_write(r, f, v) \
	__atomic_store_n(&(r)->f, (v), __ATOMIC_RELEASE)

/*
 * The two halves of a store-then-load handshake between the two sides,
 * such as arming an interrupt and then re-checking the status (spec 8.4):
 * sequentially consistent, so that of two sides that each store and then
 * load what the other stores, at least one sees the other's store.
 */
#define netdma_mmio_write_sc(r, f, v) \
	__atomic_store_n(&(r)->f, (v), __ATOMIC_SEQ_CST)
#define netdma_mmio_read_sc(r, f) \
	__atomic_load_n(&(r)->f, __ATOMIC_SEQ_CST)

/* Set bits in f, returning the old value (a full barrier). */
#define netdma_mmio_set(r, f, bits) \
	__atomic_fetch_or(&(r)->f, (bits), __ATOMIC_SEQ_CST)

/* Clear bits in f, returning the old value (a full barrier). */
#define netdma_mmio_clear(r, f, bits) \
	__atomic_fetch_and(&(r)->f, (__typeof__((r)->f))~(bits), \
		__ATOMIC_SEQ_CST)

#endif /* NETDMA_MMIO_H */
