/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Software NetDMA engine: one worker thread per channel executes the
 * descriptor chain exactly as doc/netdma_spec.md describes. The worker
 * trusts nothing it reads from host memory or registers: every address goes
 * through the IOMMU, every descriptor is snapshotted before it is checked.
 */

#include <errno.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "netdma_engine_priv.h"
#include "netdma_mmio.h"

/* How many descriptors the worker runs between looks at CHANCMD. */
#define CMD_POLL_INTERVAL	32
/* Longest park when the kernel offers no membarrier (see chan_park). */
#define PARK_FALLBACK_NS	1000000

static inline uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long
futex(volatile uint32_t *uaddr, int op, uint32_t val,
		const struct timespec *timeout)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, NULL, 0);
}

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

static void
intr_request(struct netdma_chan *ch)
{
	uint16_t delay_us;

	/* Order the status write before the CHANCTRL read, against a
	 * driver that arms and then re-checks the status line. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(netdma_mmio_read(ch->regs, chanctrl) & NETDMA_CTRL_INT_REARM))
		return;
	delay_us = netdma_mmio_read(ch->regs, intrdelay);
	if (delay_us == 0)
		intr_fire_if_armed(ch);
	else if (ch->intr_deadline_ns == 0)
		ch->intr_deadline_ns = now_ns() + delay_us * 1000ull;
}

static void
intr_check_deadline(struct netdma_chan *ch)
{
	if (ch->intr_deadline_ns != 0 && now_ns() >= ch->intr_deadline_ns)
		intr_fire_if_armed(ch);
}

static void
publish_status(struct netdma_chan *ch, uint64_t sts)
{
	netdma_mmio_write(ch->regs, completed, ch->completed);
	netdma_mmio_write(ch->regs, chansts, sts);
}

/* Write the status word to CHANCMP. Returns a CHANERR bit on failure. */
static uint32_t
write_completion(struct netdma_chan *ch, uint64_t sts)
{
	uint64_t cmp = netdma_mmio_read(ch->regs, chancmp);
	uint64_t *line;

	if (cmp & 7)
		return NETDMA_CHANERR_CMP_ADDR;
	line = netdma_iommu_translate(&ch->engine->mmu, cmp, sizeof(*line),
			&ch->tlb_cmp);
	if (line == NULL)
		return NETDMA_CHANERR_CMP_ADDR;
	__atomic_store_n(line, sts, __ATOMIC_RELEASE);
	return 0;
}

static uint64_t
err_summary(uint32_t chanerr)
{
	uint64_t bits = 0;

	if (chanerr & (NETDMA_CHANERR_SRC_ADDR | NETDMA_CHANERR_DST_ADDR |
			NETDMA_CHANERR_OVERLAP | NETDMA_CHANERR_CMP_ADDR))
		bits |= NETDMA_STS_ERR_ADDR;
	if (chanerr & NETDMA_CHANERR_LENGTH)
		bits |= NETDMA_STS_ERR_LEN;
	if (chanerr & (NETDMA_CHANERR_DESC_READ | NETDMA_CHANERR_DESC_OPCODE))
		bits |= NETDMA_STS_ERR_DESC;
	return bits;
}

static void
chan_halt(struct netdma_chan *ch, uint64_t desc, uint32_t err)
{
	volatile struct netdma_chan_regs *regs = ch->regs;
	uint16_t ctrl = netdma_mmio_read(regs, chanctrl);
	uint64_t sts;

	ch->state = NETDMA_STS_HALTED;
	ch->last_desc = desc;
	netdma_mmio_set(regs, chanerr, err);
	netdma_mmio_write(regs, errdesc, desc);
	/* Summarise this halt's cause only: CHANERR may also hold bits of
	 * earlier masked errors, which concern other descriptors. */
	sts = (desc & NETDMA_STS_ADDR_MASK) | NETDMA_STS_HALTED |
		err_summary(err);
	ch->skip_on_resume = true;
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
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (netdma_mmio_read(regs, chanctrl) & NETDMA_CTRL_ERR_INT_EN)
		irq_fire(ch);
}

static void
fill_pattern(uint8_t *dst, uint64_t pattern, uint32_t len)
{
	uint32_t i = 0;

	for (; i + 8 <= len; i += 8)
		memcpy(dst + i, &pattern, 8);
	if (i < len)
		memcpy(dst + i, &pattern, len - i);
}

static inline bool
ranges_overlap(const uint8_t *a, const uint8_t *b, uint32_t len)
{
	return a < b + len && b < a + len;
}

/* Execute one descriptor's operation; returns a CHANERR bit or 0. */
static uint32_t
desc_execute(struct netdma_chan *ch, uint32_t ctrl, uint32_t size,
		uint64_t src, uint64_t dst)
{
	const struct netdma_iommu *mmu = &ch->engine->mmu;
	uint32_t op = (ctrl & NETDMA_DESC_OP_MASK) >> NETDMA_DESC_OP_SHIFT;
	uint8_t *d;

	if (ctrl & ~(NETDMA_DESC_FLAGS_MASK | NETDMA_DESC_OP_MASK))
		return NETDMA_CHANERR_DESC_OPCODE;
	if (op != NETDMA_OP_COPY && op != NETDMA_OP_FILL)
		return NETDMA_CHANERR_DESC_OPCODE;
	if (ctrl & NETDMA_DESC_NULL)
		return 0;
	if (size == 0 || size > NETDMA_MAX_XFER)
		return NETDMA_CHANERR_LENGTH;

	if (op == NETDMA_OP_COPY) {
		const uint8_t *s = netdma_iommu_translate(mmu, src, size,
				&ch->tlb_src);

		if (s == NULL)
			return NETDMA_CHANERR_SRC_ADDR;
		d = netdma_iommu_translate(mmu, dst, size, &ch->tlb_dst);
		if (d == NULL)
			return NETDMA_CHANERR_DST_ADDR;
		if (ranges_overlap(s, d, size))
			return NETDMA_CHANERR_OVERLAP;
		memcpy(d, s, size);
		return 0;
	}

	d = netdma_iommu_translate(mmu, dst, size, &ch->tlb_dst);
	if (d == NULL)
		return NETDMA_CHANERR_DST_ADDR;
	fill_pattern(d, src, size);
	return 0;
}

/*
 * Fetch and run the next descriptor. db is the DMACOUNT the caller is
 * working towards, used only to say ACTIVE or IDLE in a status write.
 * Returns false when the channel halted.
 */
static bool
desc_process(struct netdma_chan *ch, uint16_t db)
{
	const struct netdma_iommu *mmu = &ch->engine->mmu;
	volatile const struct netdma_desc *dp;
	uint64_t addr, next, src, dst;
	uint32_t size, ctrl, err;

	addr = ch->have_cur ? ch->cur : netdma_mmio_read(ch->regs, chainaddr);
	dp = (addr & (NETDMA_DESC_ALIGN - 1)) ? NULL :
		netdma_iommu_translate(mmu, addr, sizeof(*dp), &ch->tlb_desc);
	if (dp == NULL) {
		ch->fail_unread = true;
		chan_halt(ch, addr, NETDMA_CHANERR_DESC_READ);
		return false;
	}

	/* Snapshot: the driver may rewrite the descriptor under us. */
	size = dp->size;
	ctrl = dp->ctrl;
	src = dp->src;
	dst = dp->dst;
	next = dp->next;

	err = desc_execute(ch, ctrl, size, src, dst);
	if (err != 0) {
		netdma_mmio_set(ch->regs, chanerr, err);
		if (!(err & netdma_mmio_read(ch->regs, chanerr_mask))) {
			ch->fail_unread = false;
			ch->fail_next = next;
			/* chanerr already has err; halt records the rest */
			chan_halt(ch, addr, err);
			return false;
		}
		/* masked: the descriptor is consumed without effect */
	}

	ch->count++;
	ch->completed++;
	ch->last_desc = addr;
	ch->cur = next;
	ch->have_cur = true;

	if (ctrl & NETDMA_DESC_STATUS_UPDATE) {
		uint64_t sts = addr | (ch->count == db ?
				NETDMA_STS_IDLE : NETDMA_STS_ACTIVE);

		err = write_completion(ch, sts);
		ch->reported = ch->completed;
		if (err != 0) {
			ch->fail_unread = false;
			ch->fail_next = next;
			ch->count--;
			ch->completed--;
			chan_halt(ch, addr, err);
			return false;
		}
	}
	if (ctrl & NETDMA_DESC_INT_ON_COMPL)
		intr_request(ch);
	return true;
}

static void
chan_reset(struct netdma_chan *ch)
{
	volatile struct netdma_chan_regs *regs = ch->regs;

	ch->state = NETDMA_STS_IDLE;
	ch->count = 0;
	ch->have_cur = false;
	ch->cur = 0;
	ch->last_desc = 0;
	ch->completed = 0;
	ch->reported = 0;
	ch->intr_deadline_ns = 0;
	netdma_mmio_write(regs, chanctrl, 0);
	netdma_mmio_write(regs, intrdelay, 0);
	netdma_mmio_write(regs, doorbell, 0);
	netdma_mmio_write(regs, chanerr, 0);
	netdma_mmio_write(regs, chanerr_mask, 0);
	netdma_mmio_write(regs, errdesc, 0);
	publish_status(ch, NETDMA_STS_IDLE);
}

static void
chan_command(struct netdma_chan *ch, uint8_t cmd)
{
	volatile struct netdma_chan_regs *regs = ch->regs;

	if (cmd & NETDMA_CMD_RESET) {
		chan_reset(ch);
	} else if (cmd & NETDMA_CMD_ABORT) {
		/* Everything made available so far is dropped unexecuted. */
		ch->count = netdma_mmio_read(regs, doorbell) & NETDMA_DMACOUNT_MASK;
		ch->have_cur = false;
		ch->state = NETDMA_STS_IDLE;
		netdma_mmio_write(regs, chanerr, 0);
		publish_status(ch, (ch->last_desc & NETDMA_STS_ADDR_MASK) |
				NETDMA_STS_IDLE);
	} else if (cmd & NETDMA_CMD_SUSPEND) {
		if (ch->state == NETDMA_STS_ACTIVE ||
				ch->state == NETDMA_STS_IDLE) {
			ch->state = NETDMA_STS_SUSPENDED;
			publish_status(ch, (ch->last_desc &
				NETDMA_STS_ADDR_MASK) | NETDMA_STS_SUSPENDED);
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
			publish_status(ch, (ch->last_desc &
				NETDMA_STS_ADDR_MASK) | NETDMA_STS_IDLE);
	}
	netdma_mmio_write(regs, chancmd, 0);
}

/* Run descriptors until DMACOUNT is reached, the channel halts, software
 * posts a command or the engine is being destroyed. */
static void
chan_run(struct netdma_chan *ch, uint16_t db)
{
	volatile struct netdma_chan_regs *regs = ch->regs;
	unsigned int n = 0;

	ch->state = NETDMA_STS_ACTIVE;
	publish_status(ch, (ch->last_desc & NETDMA_STS_ADDR_MASK) |
			NETDMA_STS_ACTIVE);
	while (ch->count != db) {
		if (!desc_process(ch, db))
			return;
		if (ch->count == db)
			db = netdma_mmio_read(regs, doorbell) & NETDMA_DMACOUNT_MASK;
		if (++n % CMD_POLL_INTERVAL == 0) {
			intr_check_deadline(ch);
			/* Still ACTIVE: the worker takes the command and
			 * comes back here, so this is no idle transition.
			 * A run that has caught up ends normally instead:
			 * the worker would not come back to publish IDLE. */
			if (ch->count != db && (netdma_mmio_read(regs, chancmd) != 0 ||
					ch->engine->stop))
				return;
		}
	}
	/* Catching up is a status write of its own when asked for, so a
	 * driver need not flag every batch tail to hear of its last op. */
	if ((netdma_mmio_read(regs, chanctrl) & NETDMA_CTRL_STATUS_ON_IDLE) &&
			ch->completed != ch->reported) {
		uint64_t sts = (ch->last_desc & NETDMA_STS_ADDR_MASK) |
			NETDMA_STS_IDLE;

		ch->reported = ch->completed;
		if (write_completion(ch, sts) != 0) {
			chan_halt(ch, ch->last_desc, NETDMA_CHANERR_CMP_ADDR);
			ch->skip_on_resume = false;
			return;
		}
	}
	ch->state = NETDMA_STS_IDLE;
	publish_status(ch, (ch->last_desc & NETDMA_STS_ADDR_MASK) |
			NETDMA_STS_IDLE);
	/* Going idle is an interrupt source of its own, so a driver that
	 * arms after submitting (its descriptors carry no INT flag) still
	 * hears of their completion. The fence pairs with the driver's
	 * arm-then-check: one of the two sides sees the other. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (netdma_mmio_read(regs, chanctrl) & NETDMA_CTRL_INT_ON_IDLE)
		intr_request(ch);
}

static bool
chan_has_work(struct netdma_chan *ch)
{
	if (ch->engine->stop || netdma_mmio_read(ch->regs, chancmd) != 0)
		return true;
	if (ch->state != NETDMA_STS_ACTIVE && ch->state != NETDMA_STS_IDLE)
		return false;
	return (netdma_mmio_read(ch->regs, doorbell) & NETDMA_DMACOUNT_MASK) !=
		ch->count;
}

/*
 * Stop snooping the doorbell and sleep on ENGSTS. Software clears PARKED
 * before its futex wake, so a kick between our re-check and the wait makes
 * the wait return at once instead of being lost.
 */
static void
chan_park(struct netdma_chan *ch)
{
	volatile uint32_t *engsts = &ch->regs->engsts;
	struct timespec ts, *tmo = NULL;

	__atomic_store_n(engsts, NETDMA_ENGSTS_PARKED, __ATOMIC_SEQ_CST);
	/*
	 * The driver writes DOORBELL with a plain store and reads ENGSTS
	 * with no fence in between, so that a submit costs no barrier. This
	 * side pays instead, once per park: membarrier runs a full barrier
	 * on every thread of the process, after which either the driver's
	 * DOORBELL store is visible below or its ENGSTS read sees PARKED.
	 * Without membarrier the sleep is bounded so a missed kick costs
	 * at most PARK_FALLBACK_NS.
	 */
	if (ch->engine->membarrier)
		syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
	if (!chan_has_work(ch)) {
		if (!ch->engine->membarrier) {
			ts.tv_sec = 0;
			ts.tv_nsec = PARK_FALLBACK_NS;
			tmo = &ts;
		}
		if (ch->intr_deadline_ns != 0) {
			uint64_t now = now_ns(), left;

			left = ch->intr_deadline_ns > now ?
				ch->intr_deadline_ns - now : 0;
			if (tmo == NULL || left < PARK_FALLBACK_NS) {
				ts.tv_sec = left / 1000000000ull;
				ts.tv_nsec = left % 1000000000ull;
				tmo = &ts;
			}
		}
		futex(engsts, FUTEX_WAIT, NETDMA_ENGSTS_PARKED, tmo);
	}
	__atomic_store_n(engsts, 0, __ATOMIC_SEQ_CST);
}

static void *
chan_worker(void *arg)
{
	struct netdma_chan *ch = arg;
	struct netdma_engine *e = ch->engine;
	uint64_t idle_since = now_ns();

	while (!e->stop) {
		uint8_t cmd = netdma_mmio_read(ch->regs, chancmd);

		if (cmd != 0) {
			chan_command(ch, cmd);
			continue;
		}
		if (ch->state == NETDMA_STS_ACTIVE ||
				ch->state == NETDMA_STS_IDLE) {
			uint16_t db = netdma_mmio_read(ch->regs, doorbell) &
				NETDMA_DMACOUNT_MASK;

			if (db != ch->count) {
				chan_run(ch, db);
				idle_since = now_ns();
				continue;
			}
		}
		intr_check_deadline(ch);
		if (now_ns() - idle_since < e->spin_ns) {
			__builtin_ia32_pause();
			continue;
		}
		chan_park(ch);
		intr_check_deadline(ch);
		idle_since = now_ns();
	}
	return NULL;
}

void
netdma_engine_kick(volatile struct netdma_chan_regs *regs)
{
	volatile uint32_t *engsts = &regs->engsts;

	if (__atomic_fetch_and(engsts, ~NETDMA_ENGSTS_PARKED,
			__ATOMIC_SEQ_CST) & NETDMA_ENGSTS_PARKED)
		futex(engsts, FUTEX_WAKE, 1, NULL);
}

static void
bar_init(struct netdma_engine *e)
{
	volatile uint8_t *bar = e->bar;

	memset(e->bar, 0, NETDMA_BAR_SIZE);
	bar[NETDMA_REG_CHANCNT] = (uint8_t)e->nb_chan;
	bar[NETDMA_REG_VERSION] = NETDMA_HW_VERSION;
	*(volatile uint32_t *)(bar + NETDMA_REG_CAP) = NETDMA_CAP_COPY |
		NETDMA_CAP_FILL | NETDMA_CAP_FENCE | NETDMA_CAP_INTR |
		NETDMA_CAP_INTR_DELAY | NETDMA_CAP_ERR_RECOVER;
	*(volatile uint32_t *)(bar + NETDMA_REG_MAX_XFER) = NETDMA_MAX_XFER;
	bar[NETDMA_REG_RING_LOG2] = NETDMA_MIN_RING_LOG2;
	bar[NETDMA_REG_RING_LOG2_MAX] = NETDMA_MAX_RING_LOG2;
}

static int
chan_start_thread(struct netdma_engine *e, struct netdma_chan *ch)
{
	char tname[16];
	int ret;

	ret = pthread_create(&ch->thread, NULL, chan_worker, ch);
	if (ret != 0)
		return -ret;
	ch->thread_started = true;
	snprintf(tname, sizeof(tname), "%.10s-c%u", e->name, ch->id);
	pthread_setname_np(ch->thread, tname);
	if (e->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(e->cpu, &set);
		ret = pthread_setaffinity_np(ch->thread, sizeof(set), &set);
		if (ret != 0)
			return -ret;
	}
	return 0;
}

struct netdma_engine *
netdma_engine_create(const struct netdma_engine_params *p)
{
	struct netdma_engine *e;
	unsigned int i;
	int ret;

	if (p == NULL || p->nb_channels == 0 ||
			p->nb_channels > NETDMA_MAX_CHANNELS ||
			(p->cpu >= 0 && p->cpu >= CPU_SETSIZE)) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e) + p->nb_channels * sizeof(e->chan[0]));
	if (e == NULL)
		return NULL;
	e->nb_chan = p->nb_channels;
	e->cpu = p->cpu;
	e->spin_ns = (uint64_t)p->spin_us * 1000;
	e->membarrier = syscall(SYS_membarrier,
		MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
	snprintf(e->name, sizeof(e->name), "%s", p->name ? p->name : "netdma");
	for (i = 0; i < e->nb_chan; i++)
		e->chan[i].irq_fd = -1;

	e->bar = aligned_alloc(NETDMA_BAR_SIZE, NETDMA_BAR_SIZE);
	ret = e->bar == NULL ? -ENOMEM : netdma_iommu_init(&e->mmu);
	if (ret != 0)
		goto fail;
	bar_init(e);

	for (i = 0; i < e->nb_chan; i++) {
		struct netdma_chan *ch = &e->chan[i];

		ch->engine = e;
		ch->id = i;
		ch->regs = netdma_chan_regs(e->bar, i);
		ch->irq_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (ch->irq_fd < 0) {
			ret = -errno;
			goto fail;
		}
		chan_reset(ch);
		ret = chan_start_thread(e, ch);
		if (ret != 0)
			goto fail;
	}
	return e;

fail:
	netdma_engine_destroy(e);
	errno = -ret;
	return NULL;
}

void
netdma_engine_destroy(struct netdma_engine *e)
{
	unsigned int i;

	if (e == NULL)
		return;
	e->stop = 1;
	for (i = 0; i < e->nb_chan; i++) {
		struct netdma_chan *ch = &e->chan[i];

		if (!ch->thread_started)
			continue;
		/* Kick until the worker leaves: it may park after our first
		 * look at ENGSTS but before it sees stop. */
		while (pthread_tryjoin_np(ch->thread, NULL) == EBUSY) {
			netdma_engine_kick(ch->regs);
			sched_yield();
		}
	}
	for (i = 0; i < e->nb_chan; i++)
		if (e->chan[i].irq_fd >= 0)
			close(e->chan[i].irq_fd);
	if (e->mmu.win != NULL)
		netdma_iommu_fini(&e->mmu);
	free(e->bar);
	free(e);
}

volatile void *
netdma_engine_bar(struct netdma_engine *e)
{
	return e->bar;
}

int
netdma_engine_irq_fd(struct netdma_engine *e, unsigned int chan)
{
	if (chan >= e->nb_chan)
		return -EINVAL;
	return e->chan[chan].irq_fd;
}
