/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * One channel of the engine, as doc/netdma_spec.md describes it: commands,
 * the state machine, status writes, interrupts, halts, and a turn of
 * descriptor processing when its worker grants one. The channel trusts
 * nothing it reads from host memory or registers: every descriptor is
 * snapshotted before it is checked, every address is translated (or, with
 * SVA, guarded against faults) before it is used.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netdma_engine_priv.h"
#include "netdma_mmio.h"
#include "netdma_xfer.h"

static void
irq_fire(struct netdma_chan *ch)
{
	uint64_t one = 1;

	/* The eventfd counter saturates rather than blocks: a full counter
	 * still means "interrupt pending", which is all the driver needs. */
	if (write(ch->irq_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		fprintf(stderr, "netdma engine: irq write: %s\n",
			strerror(errno));
}

/* One-shot completion interrupt: firing consumes the INT_REARM bit. */
static void
intr_fire_if_armed(struct netdma_chan *ch)
{
	uint16_t old = netdma_mmio_clear(ch->regs, chanctrl,
			NETDMA_CTRL_INT_REARM);

	ch->intr_deadline_ns = 0;
	if (old & NETDMA_CTRL_INT_REARM)
		irq_fire(ch);
}

/*
 * CHANCTRL after a status write: the engine's half of the arm-then-check
 * handshake (spec 8.4). The driver arms with a sequentially consistent
 * RMW on CHANCTRL, then re-reads its status line with a sequentially
 * consistent load. A full fence between our status stores (release
 * stores, to the status line and to CHANSTS) and this load means that
 * either the driver's re-read sees the status, or this load sees its
 * arm: whichever of the fence and the RMW comes first in the single
 * order of sequentially consistent operations decides which.
 */
static inline uint16_t
chanctrl_after_status(const struct netdma_chan *ch)
{
	netdma_fence();
	return netdma_mmio_read(ch->regs, chanctrl);
}

/* An interrupt request, given CHANCTRL as read after the status. */
static void
intr_request_ctrl(struct netdma_chan *ch, uint16_t ctrl)
{
	uint16_t delay_us;

	if (!(ctrl & NETDMA_CTRL_INT_REARM))
		return;
	delay_us = netdma_mmio_read(ch->regs, intrdelay);
	if (delay_us == 0)
		intr_fire_if_armed(ch);
	else if (ch->intr_deadline_ns == 0)
		ch->intr_deadline_ns = netdma_now_ns() + delay_us * 1000ull;
}

static void
intr_request(struct netdma_chan *ch)
{
	intr_request_ctrl(ch, chanctrl_after_status(ch));
}

/*
 * The idle interrupts of the channels whose runs ended in this pass
 * (chan_go_idle()), once their turns are over: one fence covers all of
 * their status stores, where a fence per run would make each of N
 * channels fed in turn pay its own, with the run's data stores still
 * draining. An interrupt is late by the rest of a pass at most.
 */
void
netdma_chan_idle_irqs(struct netdma_worker *w)
{
	uint32_t m = w->idle_due;

	w->idle_due = 0;
	netdma_fence();
	for (; m != 0; m &= m - 1) {
		struct netdma_chan *ch = w->chan[__builtin_ctz(m)];
		uint16_t ctrl = netdma_mmio_read(ch->regs, chanctrl);

		if (ctrl & NETDMA_CTRL_INT_ON_IDLE)
			intr_request_ctrl(ch, ctrl);
	}
}

uint64_t
netdma_chan_deadline(const struct netdma_chan *ch)
{
	return ch->intr_deadline_ns;
}

void
netdma_chan_check_deadline(struct netdma_chan *ch)
{
	if (ch->intr_deadline_ns != 0 && netdma_now_ns() >= ch->intr_deadline_ns)
		intr_fire_if_armed(ch);
}

/*
 * Status words go out with release stores, which publish the data they
 * cover. Where CHANCTRL is read next, to decide an interrupt, the fence
 * of chanctrl_after_status() or netdma_chan_idle_irqs() orders them
 * before that read: it is paid there only, not by every STATUS_UPDATE of
 * a busy run, where it would wait for the run's data stores to drain.
 */
static void
publish_status(struct netdma_chan *ch, uint64_t sts)
{
	netdma_mmio_write(ch->regs, completed, ch->completed);
	netdma_mmio_write(ch->regs, chansts, sts);
}

/* The status word for state, naming the last processed descriptor. */
static inline uint64_t
last_sts(const struct netdma_chan *ch, unsigned int state)
{
	return (ch->last_desc & NETDMA_STS_ADDR_MASK) | state;
}

/* The status word as one 64-bit store: a reader sees all of it or none. */
static inline void
status_store(uint64_t *line, uint64_t sts)
{
	__atomic_store_n(line, sts, __ATOMIC_RELEASE);
}

/* In SVA mode the completion address can fault like any other. */
static uint32_t
status_store_guarded(struct netdma_chan *ch, uint64_t *line, uint64_t sts)
{
	struct netdma_fault_guard *g = &ch->worker->cmp_guard;

	if (sigsetjmp(g->env, 0) != 0) {
		netdma_mmio_write(ch->regs, erraddr, g->addr);
		return NETDMA_CHANERR_CMP_ADDR;
	}
	netdma_sva_guard_enter(g);
	status_store(line, sts);
	netdma_sva_guard_leave(g);
	return 0;
}

/* Write the status word to CHANCMP. Returns a CHANERR bit on failure. */
static uint32_t
write_completion(struct netdma_chan *ch, uint64_t sts)
{
	uint64_t cmp = netdma_mmio_read(ch->regs, chancmp);
	uint64_t *line;

	/* 0 is never mapped in a process: refused up front, because a C
	 * store through a null pointer is undefined, not a fault to catch. */
	if ((cmp & 7) || cmp == 0)
		return xfer_bad_addr(ch, cmp, NETDMA_CHANERR_CMP_ADDR);
	if (ch->engine->sva)
		return status_store_guarded(ch, (uint64_t *)(uintptr_t)cmp, sts);
	line = netdma_iommu_translate(&ch->engine->mmu, cmp, sizeof(*line),
			&ch->tlb_cmp);
	if (line == NULL)
		return xfer_bad_addr(ch, cmp, NETDMA_CHANERR_CMP_ADDR);
	status_store(line, sts);
	return 0;
}

static uint64_t
err_summary(uint32_t chanerr)
{
	uint64_t bits = 0;

	if (chanerr & (NETDMA_CHANERR_SRC_ADDR | NETDMA_CHANERR_DST_ADDR |
			NETDMA_CHANERR_OVERLAP | NETDMA_CHANERR_CMP_ADDR |
			NETDMA_CHANERR_PAGE_FAULT))
		bits |= NETDMA_STS_ERR_ADDR;
	if (chanerr & NETDMA_CHANERR_LENGTH)
		bits |= NETDMA_STS_ERR_LEN;
	if (chanerr & (NETDMA_CHANERR_DESC_READ | NETDMA_CHANERR_DESC_OPCODE))
		bits |= NETDMA_STS_ERR_DESC;
	return bits;
}

/*
 * Halt on desc with err. skip says what RESUME does: step past desc
 * (which counts as processed then), or go on from where the channel
 * stands, when the halt came between two descriptors.
 */
static void
chan_halt(struct netdma_chan *ch, uint64_t desc, uint32_t err, bool skip)
{
	volatile struct netdma_chan_regs *regs = ch->regs;
	uint16_t ctrl = netdma_mmio_read(regs, chanctrl);
	uint64_t sts;

	ch->state = NETDMA_STS_HALTED;
	ch->last_desc = desc;
	ch->xfer.active = false;
	ch->skip_on_resume = skip;
	netdma_mmio_set(regs, chanerr, err);
	netdma_mmio_write(regs, errdesc, desc);
	/* Summarise this halt's cause only: CHANERR may also hold bits of
	 * earlier masked errors, which concern other descriptors. */
	sts = (desc & NETDMA_STS_ADDR_MASK) | NETDMA_STS_HALTED |
		err_summary(err);
	if (ctrl & NETDMA_CTRL_ERR_COMPL_EN) {
		uint32_t cerr = write_completion(ch, sts);

		if (cerr != 0) {
			netdma_mmio_set(regs, chanerr, cerr);
			sts |= err_summary(cerr);
		}
	}
	publish_status(ch, sts);
	/* CHANCTRL again, after the status is out: a driver arming now
	 * either sees HALTED in its re-check or has set ERR_INT_EN here. */
	if (chanctrl_after_status(ch) & NETDMA_CTRL_ERR_INT_EN)
		irq_fire(ch);
}

/* A descriptor could not be read: there is no next field to resume at. */
static void
chan_halt_unread(struct netdma_chan *ch, uint64_t addr)
{
	ch->fail_unread = true;
	chan_halt(ch, addr, NETDMA_CHANERR_DESC_READ, true);
}

/* Halt on the descriptor being run: RESUME goes on at its next field. */
static void
chan_halt_desc(struct netdma_chan *ch, uint32_t err)
{
	ch->fail_unread = false;
	ch->fail_next = ch->xfer.next;
	chan_halt(ch, ch->xfer.addr, err, true);
}

/* desc_done()'s reporting: the status write, then the interrupt. */
static bool
desc_report(struct netdma_chan *ch, uint16_t db)
{
	struct netdma_xfer *x = &ch->xfer;

	if (x->ctrl & NETDMA_DESC_STATUS_UPDATE) {
		uint64_t sts = x->addr | (ch->count == db ?
				NETDMA_STS_IDLE : NETDMA_STS_ACTIVE);
		uint32_t err = write_completion(ch, sts);

		ch->reported = ch->completed;
		if (err != 0) {
			ch->count--;
			ch->completed--;
			chan_halt_desc(ch, err);
			return false;
		}
	}
	if (x->ctrl & NETDMA_DESC_INT_ON_COMPL)
		intr_request(ch);
	return true;
}

/*
 * The descriptor at addr, with next and ctrl as fetched, was processed:
 * count it, write the status word if it asks, then raise its interrupt
 * if it asks. db is the DMACOUNT the turn is working towards, used only
 * to say ACTIVE or IDLE in the status word. Returns false when the
 * status write failed and halted the channel.
 */
static inline __attribute__((always_inline)) bool
desc_done(struct netdma_chan *ch, uint64_t addr, uint64_t next,
		uint32_t ctrl, uint16_t db)
{
	ch->count++;
	ch->completed++;
	ch->last_desc = addr;
	ch->cur = next;
	ch->have_cur = true;
	if (__builtin_expect(ctrl & (NETDMA_DESC_STATUS_UPDATE |
			NETDMA_DESC_INT_ON_COMPL), 0))
		return desc_report(ch, db);
	return true;
}

/* The transfer in ch->xfer is over: desc_done() for it. */
static inline __attribute__((always_inline)) bool
desc_complete(struct netdma_chan *ch, uint16_t db)
{
	struct netdma_xfer *x = &ch->xfer;

	x->active = false;
	return desc_done(ch, x->addr, x->next, x->ctrl, db);
}

/*
 * The descriptor failed with err. A masked error consumes it without
 * effect; any other halts the channel on it. Returns false on a halt.
 */
static bool
desc_fail(struct netdma_chan *ch, uint32_t err, uint16_t db)
{
	if (!(err & netdma_mmio_read(ch->regs, chanerr_mask))) {
		chan_halt_desc(ch, err);
		return false;
	}
	/* masked: recorded, and the descriptor is consumed */
	netdma_mmio_set(ch->regs, chanerr, err);
	return desc_complete(ch, db);
}

/*
 * Snapshot the next descriptor: the driver may rewrite it under us. With
 * read-ahead (ra), the reads of one further down the ring start here too,
 * if the driver has posted that far (db): descriptors it has not are
 * still being written, and reading them would take their lines away
 * from the writer.
 */
static inline __attribute__((always_inline)) bool
desc_fetch(struct netdma_chan *ch, struct netdma_desc *d, uint16_t db,
		bool ra, const bool sva)
{
	const volatile struct netdma_desc *dp;
	uint64_t addr;

	addr = ch->have_cur ? ch->cur : netdma_mmio_read(ch->regs, chainaddr);
	ch->xfer.addr = addr;
	dp = (addr & (NETDMA_DESC_ALIGN - 1)) ? NULL :
		(const volatile struct netdma_desc *)xfer_addr(ch, addr,
			sizeof(*dp), &ch->tlb_desc, sva);
	if (dp == NULL) {
		netdma_mmio_write(ch->regs, erraddr, addr);
		chan_halt_unread(ch, addr);
		return false;
	}
	xfer_phase(ch, NETDMA_PHASE_FETCH, sva);
	d->size = dp->size;
	d->ctrl = dp->ctrl;
	d->src = dp->src;
	d->dst = dp->dst;
	d->next = dp->next;
	/* The whole snapshot is defined, whatever the op: the line is in
	 * hand already, and no later check may read a field never read. */
	d->src_sges = dp->src_sges;
	d->dst_sges = dp->dst_sges;
	if (ra && (uint16_t)(db - ch->count) > NETDMA_READAHEAD_DESCS)
		xfer_read_ahead(ch, (const void *)(uintptr_t)dp, addr, sva);
	xfer_phase(ch, NETDMA_PHASE_NONE, sva);
	ch->xfer.ctrl = d->ctrl;
	ch->xfer.next = d->next;
	return true;
}

/*
 * Fetch, check and resolve the next descriptor; a small COPY runs to
 * completion right here, anything else is left in ch->xfer to run in
 * slices. Adds the bytes moved to *bytes. False on a halt.
 */
static inline __attribute__((always_inline)) bool
desc_start(struct netdma_chan *ch, uint16_t db, uint64_t *bytes, bool ra,
		const bool sva)
{
	struct netdma_desc d;
	uint32_t err;

	if (!desc_fetch(ch, &d, db, ra, sva))
		return false;
	if (__builtin_expect(xfer_is_small_copy(&d), 1)) {
		err = xfer_small_copy(ch, &d, sva);
		if (__builtin_expect(err != 0, 0))
			return desc_fail(ch, err, db);
		/* from the snapshot: there is no transfer to end */
		*bytes += d.size;
		return desc_done(ch, ch->xfer.addr, d.next, d.ctrl, db);
	}
	err = xfer_begin(ch, &d, sva);
	if (err != 0)
		return desc_fail(ch, err, db);
	if (ch->xfer.size == 0)		/* NULL: nothing to move */
		return desc_complete(ch, db);
	ch->xfer.active = true;
	return true;
}

/*
 * A fault in SVA mode unwound the turn to the worker: fail the descriptor
 * that was being fetched or executed, with the faulting address.
 */
void
netdma_chan_fault(struct netdma_chan *ch, uintptr_t addr)
{
	enum netdma_phase phase = ch->phase;

	ch->phase = NETDMA_PHASE_NONE;
	netdma_mmio_write(ch->regs, erraddr, addr);
	if (phase == NETDMA_PHASE_FETCH) {
		ch->xfer.active = false;
		chan_halt_unread(ch, ch->xfer.addr);
		return;
	}
	desc_fail(ch, NETDMA_CHANERR_PAGE_FAULT,
		netdma_mmio_read(ch->regs, doorbell) & NETDMA_DMACOUNT_MASK);
}

/* The channel caught up with DMACOUNT. */
static void
chan_go_idle(struct netdma_chan *ch)
{
	volatile struct netdma_chan_regs *regs = ch->regs;

	/* Catching up is a status write of its own when asked for, so a
	 * driver need not flag every batch tail to hear of its last op. */
	if ((netdma_mmio_read(regs, chanctrl) & NETDMA_CTRL_STATUS_ON_IDLE) &&
			ch->completed != ch->reported) {
		uint32_t err = write_completion(ch,
				last_sts(ch, NETDMA_STS_IDLE));

		ch->reported = ch->completed;
		if (err != 0) {
			chan_halt(ch, ch->last_desc, err, false);
			return;
		}
	}
	ch->state = NETDMA_STS_IDLE;
	publish_status(ch, last_sts(ch, NETDMA_STS_IDLE));
	/* Going idle is an interrupt source of its own, so a driver that
	 * arms after submitting (its descriptors carry no INT flag) still
	 * hears of their completion: decided at the end of the pass, behind
	 * the fence of netdma_chan_idle_irqs(). */
	ch->worker->idle_due |= ch->wbit;
}

/*
 * DOORBELL, the one register the driver writes on every batch: reading it
 * moves its cache line from the driver's core. So the engine reads it only
 * when it has caught up with the value it read last (ch->db), as section
 * 5.5 of the spec says, not at every turn or pass.
 */
static inline uint16_t
dmacount(struct netdma_chan *ch)
{
	ch->db = netdma_mmio_read(ch->regs, doorbell) & NETDMA_DMACOUNT_MASK;
	return ch->db;
}

/*
 * One turn: run descriptors until the channel catches up with DMACOUNT,
 * halts, spends its arbitration budget, or software posts a command. A
 * turn that ends early leaves the channel ACTIVE, with a descriptor
 * perhaps half done: the next turn continues it. With read-ahead (ra) or
 * without. Returns the descriptors completed.
 */
static inline __attribute__((always_inline)) unsigned int
chan_turn(struct netdma_chan *ch, bool ra, const bool sva)
{
	volatile struct netdma_chan_regs *regs = ch->regs;
	unsigned int weight = netdma_mmio_read(regs, arb_weight);
	uint64_t budget_descs, budget_bytes, bytes = 0;
	unsigned int descs = 0;
	uint16_t db = ch->db;

	weight = weight == 0 ? 1 : weight;
	budget_descs = weight * NETDMA_ARB_QUANTUM_DESCS;
	budget_bytes = (uint64_t)weight * NETDMA_ARB_QUANTUM_BYTES;
	if (ch->state == NETDMA_STS_IDLE) {
		ch->state = NETDMA_STS_ACTIVE;
		publish_status(ch, last_sts(ch, NETDMA_STS_ACTIVE));
	}
	for (;;) {
		if (!ch->xfer.active) {
			if (ch->count == db) {
				db = dmacount(ch);
				if (ch->count == db) {
					chan_go_idle(ch);
					return descs;
				}
			}
			if (descs >= budget_descs || bytes >= budget_bytes)
				return descs;
			if (!desc_start(ch, db, &bytes, ra, sva))
				return descs;
			if (!ch->xfer.active) {
				descs++;	/* done already */
				continue;
			}
		}
		bytes += xfer_step(ch, sva);
		if (ch->xfer.done == ch->xfer.size) {
			descs++;
			if (!desc_complete(ch, db))
				return descs;
		} else if (bytes >= budget_bytes ||
				netdma_mmio_read(regs, chancmd) != 0 ||
				netdma_engine_stopping(ch->engine)) {
			return descs;
		}
	}
}

/* The turn, compiled once per addressing mode. */
unsigned int
netdma_chan_turn_iommu(struct netdma_chan *ch, bool ra)
{
	return chan_turn(ch, ra, false);
}

unsigned int
netdma_chan_turn_sva(struct netdma_chan *ch, bool ra)
{
	return chan_turn(ch, ra, true);
}

void
netdma_chan_reset(struct netdma_chan *ch)
{
	volatile struct netdma_chan_regs *regs = ch->regs;

	ch->state = NETDMA_STS_IDLE;
	ch->count = 0;
	ch->db = 0;
	ch->have_cur = false;
	ch->cur = 0;
	ch->last_desc = 0;
	ch->completed = 0;
	ch->reported = 0;
	ch->intr_deadline_ns = 0;
	ch->xfer.active = false;
	ch->phase = NETDMA_PHASE_NONE;
	netdma_mmio_write(regs, chanctrl, 0);
	netdma_mmio_write(regs, intrdelay, 0);
	netdma_mmio_write(regs, doorbell, 0);
	netdma_mmio_write(regs, chanerr, 0);
	netdma_mmio_write(regs, chanerr_mask, 0);
	netdma_mmio_write(regs, errdesc, 0);
	netdma_mmio_write(regs, erraddr, 0);
	netdma_mmio_write(regs, arb_weight, 1);
	netdma_mmio_write(regs, arb_prio, 0);
	publish_status(ch, NETDMA_STS_IDLE);
}

static void
chan_command(struct netdma_chan *ch, uint8_t cmd)
{
	volatile struct netdma_chan_regs *regs = ch->regs;

	if (cmd & NETDMA_CMD_RESET) {
		netdma_chan_reset(ch);
	} else if (cmd & NETDMA_CMD_ABORT) {
		/* Everything made available so far is dropped, the
		 * descriptor in progress with it. */
		ch->count = dmacount(ch);
		ch->have_cur = false;
		ch->xfer.active = false;
		ch->state = NETDMA_STS_IDLE;
		netdma_mmio_write(regs, chanerr, 0);
		publish_status(ch, last_sts(ch, NETDMA_STS_IDLE));
	} else if (cmd & NETDMA_CMD_SUSPEND) {
		/* A descriptor in progress pauses with the channel. */
		if (ch->state == NETDMA_STS_ACTIVE ||
				ch->state == NETDMA_STS_IDLE) {
			ch->state = NETDMA_STS_SUSPENDED;
			publish_status(ch,
				last_sts(ch, NETDMA_STS_SUSPENDED));
		}
	} else if (cmd & NETDMA_CMD_RESUME) {
		if (ch->state == NETDMA_STS_SUSPENDED) {
			ch->state = NETDMA_STS_IDLE;
		} else if (ch->state == NETDMA_STS_HALTED &&
				netdma_mmio_read(regs, chanerr) == 0) {
			/* Skip the failing descriptor: it counts as
			 * processed. One that could not be read has no next
			 * field: software names the next one in CHAINADDR.
			 * A failed idle status write halted between two
			 * descriptors: there is nothing to skip. */
			if (ch->skip_on_resume) {
				ch->count++;
				ch->completed++;
				ch->cur = ch->fail_next;
				ch->have_cur = !ch->fail_unread;
			}
			ch->state = NETDMA_STS_IDLE;
		}
		if (ch->state == NETDMA_STS_IDLE)
			publish_status(ch, last_sts(ch, NETDMA_STS_IDLE));
	}
	netdma_mmio_write(regs, chancmd, 0);
}

static inline bool
chan_runnable(const struct netdma_chan *ch)
{
	return ch->state == NETDMA_STS_ACTIVE || ch->state == NETDMA_STS_IDLE;
}

/* Descriptors to run, a half-done one, or an ACTIVE run to close. */
bool
netdma_chan_has_work(struct netdma_chan *ch)
{
	if (!chan_runnable(ch))
		return false;
	return ch->xfer.active || ch->state == NETDMA_STS_ACTIVE ||
		ch->db != ch->count || dmacount(ch) != ch->count;
}

/* A command, or work (netdma_chan_has_work): what a pass would take. */
bool
netdma_chan_posted(struct netdma_chan *ch)
{
	return netdma_mmio_read(ch->regs, chancmd) != 0 ||
		netdma_chan_has_work(ch);
}

/* Take a posted command, if any; true when there was one. */
bool
netdma_chan_take_command(struct netdma_chan *ch)
{
	uint8_t cmd = netdma_mmio_read(ch->regs, chancmd);

	if (cmd == 0)
		return false;
	chan_command(ch, cmd);
	return true;
}
