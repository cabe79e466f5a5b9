/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * An engine worker: one thread serving a set of channels, as one DMA
 * engine serves many channels on silicon. Each pass takes the channels'
 * commands, then gives a turn to every busy channel of the best (lowest)
 * priority present, round robin; a turn is bounded by the channel's
 * weight. A worker with nothing to do spins for a while, then parks until
 * a driver kicks one of its channels.
 */

#include <errno.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "netdma_engine_priv.h"
#include "netdma_mmio.h"

/* Longest park when the kernel offers no membarrier (see worker_park). */
#define PARK_FALLBACK_NS	1000000

static long
futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *timeout)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, NULL, 0);
}

/*
 * A turn in SVA mode: a fault anywhere in it lands here, through the
 * guard, and fails the descriptor the channel was working on.
 */
static void
turn_sva(struct netdma_worker *w, struct netdma_chan *ch)
{
	if (sigsetjmp(w->guard.env, 0) != 0) {
		netdma_chan_fault(ch, w->guard.addr);
		return;
	}
	netdma_sva_guard_enter(&w->guard);
	netdma_chan_turn_sva(ch);
	netdma_sva_guard_leave(&w->guard);
}

static inline unsigned int
chan_prio(const struct netdma_chan *ch)
{
	unsigned int prio = netdma_mmio_read(ch->regs, arb_prio);

	return prio < NETDMA_ARB_PRIOS ? prio : NETDMA_ARB_PRIOS - 1;
}

/*
 * One pass over the worker's channels. Returns true when any channel had
 * something done: a command, or a turn.
 */
static bool
worker_pass(struct netdma_worker *w)
{
	struct netdma_engine *e = w->engine;
	unsigned int i, best = NETDMA_ARB_PRIOS;
	uint32_t busy = 0;
	bool progress = false;

	for (i = 0; i < w->nb_chan; i++) {
		struct netdma_chan *ch = w->chan[i];

		if (netdma_chan_take_command(ch))
			progress = true;
		netdma_chan_check_deadline(ch);
		if (netdma_chan_has_work(ch)) {
			unsigned int prio = chan_prio(ch);

			busy |= 1u << i;
			if (prio < best)
				best = prio;
		}
	}
	if (busy == 0)
		return progress;

	for (i = 0; i < w->nb_chan; i++) {
		unsigned int c = (w->rr + i) % w->nb_chan;
		struct netdma_chan *ch = w->chan[c];

		if (!(busy & (1u << c)) || chan_prio(ch) != best)
			continue;
		if (e->sva)
			turn_sva(w, ch);
		else
			netdma_chan_turn_iommu(ch);
	}
	w->rr = (w->rr + 1) % w->nb_chan;
	return true;
}

static bool
worker_has_work(const struct netdma_worker *w)
{
	unsigned int i;

	if (netdma_engine_stopping(w->engine))
		return true;
	for (i = 0; i < w->nb_chan; i++)
		if (netdma_mmio_read(w->chan[i]->regs, chancmd) != 0 ||
				netdma_chan_has_work(w->chan[i]))
			return true;
	return false;
}

/* The earliest coalesced interrupt due on the worker's channels, or 0. */
static uint64_t
worker_deadline(const struct netdma_worker *w)
{
	uint64_t first = 0;
	unsigned int i;

	for (i = 0; i < w->nb_chan; i++) {
		uint64_t d = netdma_chan_deadline(w->chan[i]);

		if (d != 0 && (first == 0 || d < first))
			first = d;
	}
	return first;
}

static void
engsts_write_all(struct netdma_worker *w, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < w->nb_chan; i++)
		netdma_mmio_write_sc(w->chan[i]->regs, engsts, v);
}

/*
 * Stop snooping the doorbells and sleep. PARKED in a channel's ENGSTS
 * tells its driver to kick after a doorbell or command write; the kick
 * clears the worker's futex word before waking it, so a kick between our
 * re-check and the wait makes the wait return at once instead of being
 * lost.
 */
static void
worker_park(struct netdma_worker *w)
{
	struct netdma_engine *e = w->engine;
	struct timespec ts, *tmo = NULL;
	uint64_t deadline;

	__atomic_store_n(&w->futex, 1, __ATOMIC_SEQ_CST);
	engsts_write_all(w, NETDMA_ENGSTS_PARKED);
	/*
	 * The driver writes DOORBELL with a plain store and reads ENGSTS
	 * with no fence in between, so that a submit costs no barrier. This
	 * side pays instead, once per park: membarrier runs a full barrier
	 * on every thread of the process, after which either the driver's
	 * DOORBELL store is visible below or its ENGSTS read sees PARKED.
	 * Without membarrier the sleep is bounded so a missed kick costs
	 * at most PARK_FALLBACK_NS.
	 */
	if (e->membarrier)
		syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
	if (!worker_has_work(w)) {
		if (!e->membarrier) {
			ts.tv_sec = 0;
			ts.tv_nsec = PARK_FALLBACK_NS;
			tmo = &ts;
		}
		deadline = worker_deadline(w);
		if (deadline != 0) {
			uint64_t now = netdma_now_ns(), left;

			left = deadline > now ? deadline - now : 0;
			if (tmo == NULL || left < PARK_FALLBACK_NS) {
				ts.tv_sec = left / 1000000000ull;
				ts.tv_nsec = left % 1000000000ull;
				tmo = &ts;
			}
		}
		futex(&w->futex, FUTEX_WAIT, 1, tmo);
	}
	__atomic_store_n(&w->futex, 0, __ATOMIC_SEQ_CST);
	engsts_write_all(w, 0);
}

static void *
worker_main(void *arg)
{
	struct netdma_worker *w = arg;
	struct netdma_engine *e = w->engine;
	uint64_t idle_since = 0;
	bool busy = true;

	/* The clock is read when the worker falls idle, not after every
	 * busy pass: a busy worker reads no clock at all. */
	while (!netdma_engine_stopping(e)) {
		bool progress = worker_pass(w);

		/* Only this thread writes the count, so a plain add will do;
		 * the release store publishes the pass's work with it and is
		 * a plain store on x86: an idle spin pays nothing for it. */
		__atomic_store_n(&w->passes, w->passes + 1, __ATOMIC_RELEASE);
		if (progress) {
			busy = true;
			continue;
		}
		if (busy) {
			busy = false;
			idle_since = netdma_now_ns();
			continue;
		}
		if (netdma_now_ns() - idle_since < e->spin_ns) {
			__builtin_ia32_pause();
			continue;
		}
		worker_park(w);
		busy = true;
	}
	return NULL;
}

/* Wake the worker if it is parked (or about to park). */
void
netdma_worker_wake(struct netdma_worker *w)
{
	if (__atomic_exchange_n(&w->futex, 0, __ATOMIC_SEQ_CST) != 0)
		futex(&w->futex, FUTEX_WAKE, 1, NULL);
}

int
netdma_worker_start(struct netdma_worker *w)
{
	char tname[16];
	int ret;

	ret = pthread_create(&w->thread, NULL, worker_main, w);
	if (ret != 0)
		return -ret;
	w->thread_started = true;
	snprintf(tname, sizeof(tname), "%.10s-w%u", w->engine->name, w->id);
	pthread_setname_np(w->thread, tname);
	if (w->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(w->cpu, &set);
		ret = pthread_setaffinity_np(w->thread, sizeof(set), &set);
		if (ret != 0)
			return -ret;
	}
	return 0;
}

/* The engine's stop flag is set: wait for the worker to leave. */
void
netdma_worker_join(struct netdma_worker *w)
{
	if (!w->thread_started)
		return;
	/* Wake until the worker leaves: it may park after our first look
	 * at its futex word but before it sees stop. */
	while (pthread_tryjoin_np(w->thread, NULL) == EBUSY) {
		netdma_worker_wake(w);
		sched_yield();
	}
	w->thread_started = false;
}
