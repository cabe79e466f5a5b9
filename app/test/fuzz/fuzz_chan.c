/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The driver side of a fuzzed channel: commands and the doorbell as a
 * driver issues them, settling, and the invariants a settled channel
 * holds. Every wait is bounded; one that runs out is a hang and fails.
 */

#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"
#include "netdma_mmio.h"

/* How long a command may stay untaken before the engine counts as hung:
 * far above the longest turn (255 quanta of 256 KiB or 32 descriptors). */
#define HARD_NS		(5ull * 1000 * 1000 * 1000)
/* How long a program's work may take to settle before it is aborted. */
#define NATURAL_NS	(200ull * 1000 * 1000)

void
fz_chan_init(struct fz_chan *ch, struct netdma_engine *e, unsigned int id)
{
	ch->e = e;
	ch->id = id;
	ch->regs = netdma_chan_regs(netdma_engine_bar(e), id);
	ch->irq = netdma_engine_irq_fd(e, id);
}

/* A reset channel, pointed at defaults the program may change. */
void
fz_chan_begin(struct fz_ctx *c, struct fz_chan *ch)
{
	const struct fz_arena *a = &c->arena;

	ch->dmacount = 0;
	ch->avail = 0;
	ch->err_cleared = false;
	netdma_mmio_write(ch->regs, chainaddr, fz_iova(a, 0,
		fz_zone(a, FZ_ROLE_DESC), ch->id * 32 * 64));
	netdma_mmio_write(ch->regs, chancmp, fz_iova(a, 0,
		fz_zone(a, FZ_ROLE_CMP), ch->id * 64));
}

void
fz_kick(struct fz_chan *ch)
{
	netdma_engine_kick(ch->e, ch->id);
}

static bool
cmd_taken(struct fz_chan *ch, uint64_t deadline)
{
	while (netdma_mmio_read(ch->regs, chancmd) != 0) {
		if (fz_now_ns() > deadline)
			return false;
		sched_yield();
	}
	return true;
}

/*
 * Post a command as a driver does: only once the previous one is taken,
 * so none is lost. The caller may go on before this one is taken.
 */
void
fz_cmd(struct fz_chan *ch, uint8_t cmd, bool wait_ack)
{
	uint8_t prev = netdma_mmio_read(ch->regs, chancmd);

	if (!cmd_taken(ch, fz_now_ns() + HARD_NS))
		fz_fail("channel %u: command %#x not taken in 5 s", ch->id,
			prev);
	netdma_mmio_write(ch->regs, chancmd, cmd);
	if (cmd & NETDMA_CMD_RESET) {
		ch->dmacount = 0;
		ch->avail = 0;
	}
	fz_kick(ch);
	if (wait_ack && !cmd_taken(ch, fz_now_ns() + HARD_NS))
		fz_fail("channel %u: command %#x not taken in 5 s", ch->id,
			cmd);
}

void
fz_doorbell(struct fz_chan *ch, uint32_t value)
{
	uint16_t count = value & NETDMA_DMACOUNT_MASK;

	ch->avail += (uint16_t)(count - ch->dmacount);
	ch->dmacount = count;
	netdma_mmio_write(ch->regs, doorbell, value);
	fz_kick(ch);
}

void
fz_irq_drain(struct fz_chan *ch)
{
	uint64_t v;

	if (read(ch->irq, &v, sizeof(v)) < 0)
		return;	/* nothing pending: EAGAIN */
}

/* The same command to every channel, each taken: one worker round trip. */
static void
cmd_all(struct fz_ctx *c, uint8_t cmd)
{
	unsigned int i;

	for (i = 0; i < FZ_NB_CHAN; i++)
		fz_cmd(&c->ch[i], cmd, false);
	for (i = 0; i < FZ_NB_CHAN; i++)
		if (!cmd_taken(&c->ch[i], fz_now_ns() + HARD_NS))
			fz_fail("channel %u: command %#x not taken in 5 s",
				i, cmd);
}

/*
 * Wait up to budget_ns for every channel to be at rest. A command is
 * taken at the start of a worker pass, before that pass's turns; so once
 * a second no-op command is taken, the turn of the pass between the two
 * has run and published its state. If that state is not ACTIVE, the
 * channel has caught up, halted or is suspended, and stays so until
 * software writes again. rest[] (may be NULL) says which channels were
 * at rest in the last look.
 */
bool
fz_settle(struct fz_ctx *c, uint64_t budget_ns, bool *rest)
{
	uint64_t deadline = fz_now_ns() + budget_ns;
	bool look[FZ_NB_CHAN], all;
	unsigned int i;

	if (rest == NULL)
		rest = look;
	do {
		cmd_all(c, FZ_CMD_NOOP);
		cmd_all(c, FZ_CMD_NOOP);
		all = true;
		for (i = 0; i < FZ_NB_CHAN; i++) {
			rest[i] = netdma_sts_state(netdma_mmio_read(
				c->ch[i].regs, chansts)) != NETDMA_STS_ACTIVE;
			all = all && rest[i];
		}
		if (all)
			return true;
		sched_yield();
	} while (fz_now_ns() < deadline);
	return false;
}

/*
 * Every program ends at rest. Its work is bounded (at most 65535
 * descriptors per doorbell value, each no larger than a window), but
 * waiting it out costs fuzzing time: past NATURAL_NS the channels still
 * running are aborted, and must then come to rest within HARD_NS.
 */
void
fz_settle_or_fail(struct fz_ctx *c)
{
	bool rest[FZ_NB_CHAN];
	unsigned int i;

	if (fz_settle(c, NATURAL_NS, rest))
		return;
	for (i = 0; i < FZ_NB_CHAN; i++)
		if (!rest[i])
			fz_cmd(&c->ch[i], NETDMA_CMD_ABORT, true);
	if (!fz_settle(c, HARD_NS, NULL))
		fz_fail("a channel is still ACTIVE 5 s after ABORT (CHANSTS "
			"%#" PRIx64 ", %#" PRIx64 ")",
			netdma_mmio_read(c->ch[0].regs, chansts),
			netdma_mmio_read(c->ch[1].regs, chansts));
}

/* The status-word summary a halt with these CHANERR bits may carry. */
static uint64_t
summary_of(uint32_t chanerr)
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

static void
check_halt(struct fz_ctx *c, struct fz_chan *ch, uint64_t sts)
{
	volatile struct netdma_chan_regs *regs = ch->regs;
	uint64_t errdesc = netdma_mmio_read(regs, errdesc);
	uint64_t erraddr = netdma_mmio_read(regs, erraddr);
	uint32_t chanerr = netdma_mmio_read(regs, chanerr);
	uint64_t summary = sts & NETDMA_STS_ERR_MASK;

	if (summary == 0)
		fz_fail("channel %u: HALTED status %#" PRIx64 " names no "
			"error", ch->id, sts);
	if ((errdesc & NETDMA_STS_ADDR_MASK) != netdma_sts_addr(sts))
		fz_fail("channel %u: HALTED at %#" PRIx64 " but ERRDESC is %#"
			PRIx64, ch->id, netdma_sts_addr(sts), errdesc);
	/* The program may have cleared CHANERR to recover; if it never
	 * did, the halt's cause is still there. */
	if (ch->err_cleared)
		return;
	if (chanerr == 0)
		fz_fail("channel %u: HALTED (%#" PRIx64 ") with CHANERR 0",
			ch->id, sts);
	if (summary & ~summary_of(chanerr))
		fz_fail("channel %u: HALTED summary %#" PRIx64 " not backed "
			"by CHANERR %#x", ch->id, summary, chanerr);
	if (!c->sva && chanerr == NETDMA_CHANERR_DESC_READ &&
			erraddr != errdesc)
		fz_fail("channel %u: DESC_READ of %#" PRIx64 " but ERRADDR "
			"%#" PRIx64, ch->id, errdesc, erraddr);
	if (c->sva && chanerr == NETDMA_CHANERR_PAGE_FAULT &&
			fz_arena_accessible(&c->arena, erraddr))
		fz_fail("channel %u: page fault reported at %#" PRIx64
			", which is accessible memory", ch->id, erraddr);
}

/* What a settled channel holds, whatever the program did. */
void
fz_chan_check(struct fz_ctx *c, struct fz_chan *ch)
{
	uint64_t sts = netdma_mmio_read(ch->regs, chansts);
	uint64_t completed = netdma_mmio_read(ch->regs, completed);
	unsigned int state = netdma_sts_state(sts);

	if (getenv("NETDMA_FUZZ_TRACE") != NULL)
		fprintf(stderr, "chan %u: CHANSTS %#" PRIx64 " COMPLETED %"
			PRIu64 " of %" PRIu64 " CHANERR %#x ERRDESC %#" PRIx64
			" ERRADDR %#" PRIx64 "\n", ch->id, sts, completed,
			ch->avail, netdma_mmio_read(ch->regs, chanerr),
			netdma_mmio_read(ch->regs, errdesc),
			netdma_mmio_read(ch->regs, erraddr));
	if (state > NETDMA_STS_HALTED)
		fz_fail("channel %u: CHANSTS %#" PRIx64 " has state %u", ch->id,
			sts, state);
	if (state != NETDMA_STS_HALTED && (sts & NETDMA_STS_ERR_MASK))
		fz_fail("channel %u: error summary in a %u status %#" PRIx64,
			ch->id, state, sts);
	if (completed > ch->avail)
		fz_fail("channel %u: COMPLETED %" PRIu64 " but only %" PRIu64
			" made available since RESET", ch->id, completed,
			ch->avail);
	if (state == NETDMA_STS_HALTED)
		check_halt(c, ch, sts);
}

/* RESET every channel, and check that it restored the power-on state. */
void
fz_chan_end(struct fz_ctx *c)
{
	unsigned int i;

	cmd_all(c, NETDMA_CMD_RESET);
	for (i = 0; i < FZ_NB_CHAN; i++) {
		struct fz_chan *ch = &c->ch[i];
		volatile struct netdma_chan_regs *regs = ch->regs;

		if (netdma_mmio_read(regs, chansts) != NETDMA_STS_IDLE ||
				netdma_mmio_read(regs, completed) != 0 ||
				netdma_mmio_read(regs, chanerr) != 0 ||
				netdma_mmio_read(regs, errdesc) != 0 ||
				netdma_mmio_read(regs, chanctrl) != 0 ||
				netdma_mmio_read(regs, doorbell) != 0)
			fz_fail("channel %u: RESET left CHANSTS %#" PRIx64
				" COMPLETED %" PRIu64 " CHANERR %#x ERRDESC %#"
				PRIx64 " CHANCTRL %#x DOORBELL %#x", i,
				netdma_mmio_read(regs, chansts),
				netdma_mmio_read(regs, completed),
				netdma_mmio_read(regs, chanerr),
				netdma_mmio_read(regs, errdesc),
				netdma_mmio_read(regs, chanctrl),
				netdma_mmio_read(regs, doorbell));
		fz_irq_drain(ch);
	}
}
