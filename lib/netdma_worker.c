/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * An engine worker: one thread serving a set of channels, as one DMA
 * engine serves many channels on silicon. Each pass takes the commands of
 * the channels it watches, then gives a turn to every busy one of the
 * best (lowest) priority present, round robin; a turn is bounded by the
 * channel's weight. A channel that has had nothing to do for a while is
 * no longer watched, so idle channels cost a busy worker nothing; a kick
 * after a doorbell or command brings it back. A worker with nothing to do
 * spins for a while, then parks until a kick.
 */

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "netdma_engine_priv.h"
#include "netdma_mmio.h"

/*
 * NETDMA_QUIET_PASSES, the busy passes (passes that gave some channel a
 * turn) that a watched channel may sit out before the worker stops
 * watching it: long enough that a channel fed in bursts stays watched
 * between them (its kicks then cost nothing but the fence), short enough
 * that a channel gone idle stops costing the others soon. Passes of an
 * idle worker do not count: there is nobody to cost.
 */

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
	w->ra.descs += netdma_chan_turn_sva(ch, w->ra.on);
	netdma_sva_guard_leave(&w->guard);
}

static inline void
worker_turn(struct netdma_worker *w, struct netdma_chan *ch)
{
	if (w->engine->sva)
		turn_sva(w, ch);
	else
		w->ra.descs += netdma_chan_turn_iommu(ch, w->ra.on);
}

static inline unsigned int
chan_prio(const struct netdma_chan *ch)
{
	unsigned int prio = netdma_mmio_read(ch->regs, arb_prio);

	return prio < NETDMA_ARB_PRIOS ? prio : NETDMA_ARB_PRIOS - 1;
}

static inline void
watch_publish(struct netdma_worker *w)
{
	__atomic_store_n(&w->snoop.watched, w->watch, __ATOMIC_RELAXED);
}

/*
 * Channels kicked while unwatched join the watched set, for at least
 * NETDMA_QUIET_PASSES busy passes. Reading the word first keeps its line
 * shared while nobody kicks: the exchange, which takes the line, runs
 * only when there is something to take.
 */
static inline void
watch_kicked(struct netdma_worker *w)
{
	uint32_t kicked, m;

	if (__atomic_load_n(&w->snoop.pending, __ATOMIC_RELAXED) == 0)
		return;
	kicked = __atomic_exchange_n(&w->snoop.pending, 0, __ATOMIC_ACQUIRE);
	for (m = kicked; m != 0; m &= m - 1)
		w->quiet[__builtin_ctz(m)] = 0;
	if ((kicked & ~w->watch) == 0)
		return;
	w->watch |= kicked;
	watch_publish(w);
}

/*
 * Stop watching channel i, unless something was posted to it: the
 * worker's half of the kick handshake (spec 12.2). Clear the bit, fence,
 * then look at the channel; a driver stores its doorbell, fences, then
 * reads the bit. Of two sides that each store and then load behind a
 * sequentially consistent fence, at least one sees the other's store:
 * either this look finds the doorbell, or the driver finds the bit clear
 * and kicks.
 */
static void
watch_drop(struct netdma_worker *w, unsigned int i)
{
	w->watch &= ~w->chan[i]->wbit;
	watch_publish(w);
	netdma_fence();
	if (netdma_chan_posted(w->chan[i])) {
		w->watch |= w->chan[i]->wbit;
		watch_publish(w);
	}
}

/*
 * A turn for each channel in serve, round robin from channel first on.
 * Returns the channel after the last one served, where the next pass
 * starts: so between two turns of a busy channel every other busy channel
 * has exactly one, and channels fed in turn are served in the order they
 * were fed, which keeps their data streams in order for the caches.
 */
static unsigned int
worker_turns(struct netdma_worker *w, uint32_t serve, unsigned int first)
{
	uint32_t from_first = serve & ~((1u << first) - 1);
	uint32_t wrapped = serve & ~from_first;
	unsigned int last;
	uint32_t m;

	for (m = from_first; m != 0; m &= m - 1)
		worker_turn(w, w->chan[__builtin_ctz(m)]);
	for (m = wrapped; m != 0; m &= m - 1)
		worker_turn(w, w->chan[__builtin_ctz(m)]);
	last = 31u - (unsigned int)__builtin_clz(wrapped != 0 ? wrapped :
			from_first);
	return last + 1 == w->nb_chan ? 0 : last + 1;
}

/*
 * One pass over the worker's watched channels. Returns true when any
 * channel had something done: a command, or a turn. Only watched
 * channels are looked at, and only busy ones visited for turns: the
 * channels the worker serves cost it nothing more per pass.
 */
static bool
worker_pass(struct netdma_worker *w)
{
	uint32_t m, quiet = 0, busy_at[NETDMA_ARB_PRIOS] = { 0 };
	unsigned int i, prio;
	bool progress = false;

	watch_kicked(w);
	for (m = w->watch; m != 0; m &= m - 1) {
		struct netdma_chan *ch;
		bool active = false;

		i = (unsigned int)__builtin_ctz(m);
		ch = w->chan[i];
		if (netdma_chan_take_command(ch))
			progress = active = true;
		netdma_chan_check_deadline(ch);
		if (netdma_chan_has_work(ch)) {
			busy_at[chan_prio(ch)] |= ch->wbit;
			active = true;
		}
		/* a coalesced interrupt still to come needs its timer run */
		if (active || netdma_chan_deadline(ch) != 0)
			w->quiet[i] = 0;
		else
			quiet |= ch->wbit;
	}
	for (prio = 0; prio < NETDMA_ARB_PRIOS && busy_at[prio] == 0; prio++)
		;
	if (prio == NETDMA_ARB_PRIOS)
		return progress;

	for (m = quiet; m != 0; m &= m - 1) {
		i = (unsigned int)__builtin_ctz(m);
		if (++w->quiet[i] >= w->engine->quiet_passes)
			watch_drop(w, i);
	}
	/* the best priority present is served, round robin */
	w->rr = worker_turns(w, busy_at[prio], w->rr);
	if (w->idle_due != 0)
		netdma_chan_idle_irqs(w);
	return true;
}

/*
 * Whether read-ahead pays depends on where the data is, and only the
 * clock tells: where the CPU's own prefetchers have the data already, its
 * instructions are pure cost (about 8% on one channel streaming 64 B
 * copies); where they cannot, it halves the time of a copy. So unless
 * told, the worker finds out: it counts the TSC cycles per descriptor of
 * epochs of NETDMA_READAHEAD_EPOCH_PASSES busy passes, runs one epoch in
 * NETDMA_READAHEAD_PROBE_EPOCHS the other way, and the rest the way that
 * cost less lately. Whole passes are timed, not turns: the loads a turn
 * left waiting are paid for after it. The first pass of an epoch is not
 * timed, so that the reads started before it are the epoch's own way;
 * an idle pass stops the clock. The clock is read twice an epoch.
 */
static void
readahead_clock(struct netdma_worker *w, bool busy)
{
	struct netdma_readahead_clock *r = &w->ra;
	uint64_t now, cost, *avg;

	if (w->engine->readahead != NETDMA_READAHEAD_AUTO)
		return;
	if (!busy) {
		r->passes = 0;
		return;
	}
	if (r->passes++ == 0) {
		r->t0 = __builtin_ia32_rdtsc();
		r->descs = 0;
		return;
	}
	if (r->passes <= NETDMA_READAHEAD_EPOCH_PASSES)
		return;
	now = __builtin_ia32_rdtsc();
	r->passes = 0;
	if (r->descs >= NETDMA_READAHEAD_EPOCH_DESCS) {
		/* An epoch the CPU was taken from (an interrupt, another
		 * thread) counts as no more than twice the average, so
		 * that it cannot decide alone. */
		cost = ((now - r->t0) << 4) / r->descs;
		avg = &r->cost[r->on];
		if (*avg == 0)
			*avg = cost;
		else
			*avg += (cost < 2 * *avg ? cost : 2 * *avg) / 4 -
				*avg / 4;
		if (r->cost[0] != 0 && r->cost[1] != 0)
			r->best = r->cost[1] < r->cost[0];
	}
	r->epoch++;
	/* the other way as soon as it has no cost yet, then now and then */
	r->on = (r->cost[!r->best] == 0 ||
		r->epoch % NETDMA_READAHEAD_PROBE_EPOCHS == 0) ?
		!r->best : r->best;
}

/* After parking's fence: anything that must keep the worker up. */
static bool
worker_has_work(struct netdma_worker *w)
{
	uint32_t m;

	if (netdma_engine_stopping(w->engine) ||
			__atomic_load_n(&w->snoop.pending, __ATOMIC_RELAXED))
		return true;
	for (m = w->watch; m != 0; m &= m - 1)
		if (netdma_chan_posted(w->chan[__builtin_ctz(m)]))
			return true;
	return false;
}

/* The earliest coalesced interrupt due on the worker's channels, or 0.
 * A channel with one due stays watched until it fires. */
static uint64_t
worker_deadline(const struct netdma_worker *w)
{
	uint64_t first = 0;
	uint32_t m;

	for (m = w->watch; m != 0; m &= m - 1) {
		uint64_t d = netdma_chan_deadline(w->chan[__builtin_ctz(m)]);

		if (d != 0 && (first == 0 || d < first))
			first = d;
	}
	return first;
}

/*
 * Sleep: the worker's half of the park handshake (spec 12.2). Publish
 * "sleeping", fence, then look once more at the channels it watches and
 * at the kicks; a kick fences after its doorbell, then reads the word
 * and wakes a sleeper. So either the look here finds the work, or the
 * kick finds the worker asleep (or about to be). The kick clears the
 * word before the wake, so a kick between the look and the wait makes
 * the wait return at once instead of being lost. The watched set stays
 * as it is: a parked worker makes no passes, so its channels cost
 * nothing, and a burst that wakes it finds them still watched.
 */
static void
worker_park(struct netdma_worker *w)
{
	struct timespec ts, *tmo = NULL;
	uint64_t deadline;

	__atomic_store_n(&w->snoop.sleeping, 1, __ATOMIC_RELAXED);
	netdma_fence();
	if (!worker_has_work(w)) {
		deadline = worker_deadline(w);
		if (deadline != 0) {
			uint64_t now = netdma_now_ns(), left;

			left = deadline > now ? deadline - now : 0;
			ts.tv_sec = left / 1000000000ull;
			ts.tv_nsec = left % 1000000000ull;
			tmo = &ts;
		}
		futex(&w->snoop.sleeping, FUTEX_WAIT_PRIVATE, 1, tmo);
	}
	__atomic_store_n(&w->snoop.sleeping, 0, __ATOMIC_RELAXED);
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

		readahead_clock(w, progress);
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
	if (__atomic_exchange_n(&w->snoop.sleeping, 0, __ATOMIC_SEQ_CST) != 0)
		futex(&w->snoop.sleeping, FUTEX_WAKE_PRIVATE, 1, NULL);
}

/*
 * The kick's side of the handshakes of watch_drop() and worker_park(),
 * after a doorbell or command store to the channel whose bit is given:
 * fence, then read the snoop line. A channel the worker watches needs
 * nothing more while the worker is up: the fence makes sure that a worker
 * dropping it now, or parking now, sees the store. Otherwise the bit goes
 * into pending, and a parked worker is woken.
 */
void
netdma_worker_kick(struct netdma_worker *w, uint32_t bit)
{
	netdma_fence();
	if (!(__atomic_load_n(&w->snoop.watched, __ATOMIC_RELAXED) & bit))
		__atomic_fetch_or(&w->snoop.pending, bit, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&w->snoop.sleeping, __ATOMIC_SEQ_CST) != 0)
		netdma_worker_wake(w);
}

/*
 * Start the worker on cpus (NULL: wherever its creator may run). The
 * affinity is the thread's from its first instruction, so that what it
 * touches first is placed from the right CPU.
 */
int
netdma_worker_start(struct netdma_worker *w, const cpu_set_t *cpus)
{
	pthread_attr_t attr;
	char tname[16];
	int ret;

	ret = pthread_attr_init(&attr);
	if (ret != 0)
		return -ret;
	if (cpus != NULL)
		ret = pthread_attr_setaffinity_np(&attr, sizeof(*cpus), cpus);
	if (ret == 0)
		ret = pthread_create(&w->thread, &attr, worker_main, w);
	pthread_attr_destroy(&attr);
	if (ret != 0)
		return -ret;
	w->thread_started = true;
	snprintf(tname, sizeof(tname), "%.10s-w%u", w->engine->name, w->id);
	pthread_setname_np(w->thread, tname);
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
