/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * One card, many channels (channels=, workers=, weight=): each channel is
 * its own dmadev, and what happens on one (an error, a stop and start, a
 * close) leaves the others running and their data exact. Arbitration
 * weights and priorities reach the engine and shape its turns.
 */


#include <rte_random.h>

#include "test_common.h"

TEST_DEFINE_COUNTERS;

#define NB_CHAN 8
#define OPS 32			/* per channel and round */
#define SLOT (16u * 1024)	/* each op has a slot of its own */
#define GUARD 0xA5
#define BAD_CHAN 3

/* A channel's share of a round of traffic. */
struct chan_traffic {
	char name[64];
	int16_t id;
	bool in_use;		/* takes part in rounds */
	bool sva;		/* buffers from malloc rather than DPDK */
	uint8_t *src, *dst;	/* OPS slots each */
	uint32_t len[OPS];
	bool bad[OPS];
	int first;		/* job id of the round's first op */
	uint16_t got;
	enum rte_dma_status_code st[OPS];
};

static struct chan_traffic chans[NB_CHAN];

static int
chans_open(const char *vdev, unsigned int n, bool sva)
{
	unsigned int c;

	memset(chans, 0, sizeof(chans));
	for (c = 0; c < n; c++) {
		struct chan_traffic *t = &chans[c];

		snprintf(t->name, sizeof(t->name), "%s-ch%u", vdev, c);
		t->id = (int16_t)test_dmadev_start(t->name, 64);
		CHECK(t->id >= 0, "cannot start %s", t->name);
		t->sva = sva;
		t->in_use = true;
		if (sva) {
			t->src = malloc(OPS * SLOT);
			t->dst = malloc(OPS * SLOT);
		} else {
			t->src = rte_malloc(NULL, OPS * SLOT, 64);
			t->dst = rte_malloc(NULL, OPS * SLOT, 64);
		}
		CHECK(t->src != NULL && t->dst != NULL, "alloc");
	}
	return 0;
}

static void
chans_free(unsigned int n)
{
	unsigned int c;

	for (c = 0; c < n; c++) {
		if (chans[c].sva) {
			free(chans[c].src);
			free(chans[c].dst);
		} else {
			rte_free(chans[c].src);
			rte_free(chans[c].dst);
		}
	}
}

static void
round_prepare(struct chan_traffic *t, bool with_errors)
{
	uint64_t *s = (uint64_t *)t->src;
	unsigned int j;

	for (j = 0; j < OPS * SLOT / 8; j++)
		s[j] = rte_rand();
	memset(t->dst, GUARD, OPS * SLOT);
	for (j = 0; j < OPS; j++) {
		t->len[j] = 1 + (uint32_t)(rte_rand() % (SLOT - 64));
		t->bad[j] = with_errors && j % 5 == 2;
	}
	t->first = -1;
	t->got = 0;
}

/* Enqueue op j of a channel; a bad op reads from address 0, which no
 * IOMMU window holds and which faults under SVA. */
static int
round_enqueue(struct chan_traffic *t, unsigned int j, uint64_t flags)
{
	uint8_t *s = t->src + j * SLOT, *d = t->dst + j * SLOT;
	int id;

	id = rte_dma_copy(t->id, 0, t->bad[j] ? 0 :
		(t->sva ? (uintptr_t)s : rte_mem_virt2iova(s)),
		t->sva ? (uintptr_t)d : rte_mem_virt2iova(d), t->len[j], flags);
	CHECK(id >= 0, "%s: enqueue op %u: %d", t->name, j, id);
	if (t->first < 0)
		t->first = id;
	CHECK_EQ((uint16_t)id, (uint16_t)(t->first + j));
	return 0;
}

/* Poll every channel in use until each has all OPS statuses. */
static int
round_collect(void)
{
	uint64_t end = test_deadline();
	bool all;
	unsigned int c;

	do {
		all = true;
		for (c = 0; c < NB_CHAN; c++) {
			struct chan_traffic *t = &chans[c];
			uint16_t last;

			if (!t->in_use || t->got == OPS)
				continue;
			t->got += rte_dma_completed_status(t->id, 0,
				OPS - t->got, &last, t->st + t->got);
			all = all && t->got == OPS;
		}
	} while (!all && rte_get_timer_cycles() < end);
	for (c = 0; c < NB_CHAN; c++)
		CHECK(!chans[c].in_use || chans[c].got == OPS,
			"%s: %u of %u ops completed", chans[c].name,
			chans[c].got, OPS);
	return 0;
}

/* Statuses and bytes of a channel's round, guards included. */
static int
round_verify(const struct chan_traffic *t)
{
	enum rte_dma_status_code bad_status = t->sva ?
		RTE_DMA_STATUS_PAGE_FAULT : RTE_DMA_STATUS_INVALID_SRC_ADDR;
	unsigned int j, i;

	for (j = 0; j < OPS; j++) {
		const uint8_t *d = t->dst + j * SLOT, *s = t->src + j * SLOT;
		uint32_t moved = t->bad[j] ? 0 : t->len[j];

		CHECK(t->st[j] == (t->bad[j] ? bad_status :
			RTE_DMA_STATUS_SUCCESSFUL), "%s op %u: status %d",
			t->name, j, t->st[j]);
		CHECK(memcmp(d, s, moved) == 0, "%s op %u: data", t->name, j);
		for (i = moved; i < SLOT; i++)
			CHECK(d[i] == GUARD, "%s op %u: byte %u written (%u moved)",
				t->name, j, i, moved);
	}
	return 0;
}

/*
 * A round on every channel in use: ops enqueued interleaved across the
 * channels and submitted in pieces, so all channels are busy at once;
 * bad_chan's ops fail every so often. Then, if stop_chan is a channel,
 * that one is stopped at once with its ops in flight, restarted, and
 * given a round of its own, while the others' ops are still running.
 */
static int
traffic_round(int bad_chan, int stop_chan)
{
	unsigned int c, j;

	for (c = 0; c < NB_CHAN; c++)
		if (chans[c].in_use)
			round_prepare(&chans[c], (int)c == bad_chan);
	for (j = 0; j < OPS; j++)
		for (c = 0; c < NB_CHAN; c++)
			if (chans[c].in_use)
				CHECK(round_enqueue(&chans[c], j, j % 8 == 7 ?
					RTE_DMA_OP_FLAG_SUBMIT : 0) == 0);
	if (stop_chan >= 0) {
		struct chan_traffic *t = &chans[stop_chan];

		CHECK(rte_dma_stop(t->id) == 0, "%s: stop mid-traffic",
			t->name);
		CHECK(rte_dma_start(t->id) == 0, "%s: restart", t->name);
		round_prepare(t, false);
		for (j = 0; j < OPS; j++)
			CHECK(round_enqueue(t, j, j + 1 == OPS ?
				RTE_DMA_OP_FLAG_SUBMIT : 0) == 0);
		CHECK(t->first == 0, "%s: first id after restart %d",
			t->name, t->first);
	}
	CHECK(round_collect() == 0);
	for (c = 0; c < NB_CHAN; c++)
		if (chans[c].in_use)
			CHECK(round_verify(&chans[c]) == 0);
	return 0;
}

static int
thread_exists(const char *comm)
{
	return test_thread_find(comm) >= 0;
}

/* channels=8 gives eight dmadevs named <vdev>-ch0..7, none named after
 * the vdev itself, each dumping its own channel number, served by one
 * worker. Guards the documented names and channel-to-register mapping. */
static int
test_eight_dmadevs(void)
{
	unsigned int c;

	CHECK(rte_dma_get_dev_id_by_name("dma_netdma0") < 0,
		"a dmadev has the card's own name");
	CHECK(rte_dma_get_dev_id_by_name("dma_netdma0-ch8") < 0,
		"a ninth channel");
	for (c = 0; c < NB_CHAN; c++) {
		char *dump, want[32];

		CHECK(chans[c].id >= 0, "%s", chans[c].name);
		dump = test_dump(chans[c].id);
		snprintf(want, sizeof(want), ": channel %u,", c);
		CHECK(dump != NULL && strstr(dump, want) != NULL,
			"%s dump lacks \"%s\"", chans[c].name, want);
		free(dump);
	}
	CHECK(thread_exists("netdma0-w0") && !thread_exists("netdma0-w1"),
		"one worker thread expected by default");
	return 0;
}

/*
 * Errors on channel 3 while all eight run: only channel 3's bad ops fail,
 * with their own status, and every other op on every channel, 3 included,
 * completes byte-exact. Guards an error (and its recovery) on one channel
 * that halts, resets or misreports another.
 */
static int
test_error_on_one_channel(void)
{
	unsigned int r;

	for (r = 0; r < 10; r++)
		CHECK(traffic_round(BAD_CHAN, -1) == 0, "round %u", r);
	return 0;
}

/*
 * Channel 3 stopped and restarted with its ops in flight while the others
 * run: the others complete everything byte-exact, channel 3 starts again
 * at id 0 and works. Guards a RESET that reaches beyond its channel (the
 * worker, or a neighbour's state).
 */
static int
test_stop_start_one_channel(void)
{
	unsigned int r;

	for (r = 0; r < 10; r++)
		CHECK(traffic_round(-1, BAD_CHAN) == 0, "round %u", r);
	return 0;
}

/*
 * Closing one channel's dmadev leaves the others running; removing the
 * card then removes every channel and its worker. Guards a close that
 * takes the card (or its engine) down, and a removal that trips over the
 * channel the application already closed.
 */
static int
test_close_one_then_remove_card(void)
{
	struct chan_traffic *t = &chans[5];
	unsigned int c;

	CHECK(rte_dma_stop(t->id) == 0 && rte_dma_close(t->id) == 0,
		"close %s", t->name);
	t->in_use = false;
	CHECK(rte_dma_get_dev_id_by_name(t->name) < 0, "%s still there",
		t->name);
	CHECK(traffic_round(BAD_CHAN, -1) == 0, "traffic after a close");

	CHECK(rte_vdev_uninit("dma_netdma0") == 0, "remove the card");
	for (c = 0; c < NB_CHAN; c++)
		CHECK(rte_dma_get_dev_id_by_name(chans[c].name) < 0,
			"%s survived removal", chans[c].name);
	CHECK(!thread_exists("netdma0-w0"), "worker survived removal");
	return 0;
}

/*
 * The same error traffic on an SVA card: channel 3's faults are caught
 * on the worker that serves all eight channels, fail only channel 3's
 * ops, and leave the worker serving the rest. Guards a fault that unwinds
 * the worker out of another channel's turn, or charges it the fault.
 */
static int
test_sva_fault_on_one_channel(void)
{
	unsigned int r;

	CHECK(rte_vdev_init("dma_netdma2", "channels=8,sva=1") == 0, "probe");
	CHECK(chans_open("dma_netdma2", NB_CHAN, true) == 0);
	for (r = 0; r < 5; r++)
		CHECK(traffic_round(BAD_CHAN, -1) == 0, "round %u", r);
	CHECK(rte_vdev_uninit("dma_netdma2") == 0, "remove");
	chans_free(NB_CHAN);
	return 0;
}

/* workers=2: two named worker threads share four channels, and all four
 * channels work, through an error on one and a stop and start of
 * another. Guards a channel that no worker serves. */
static int
test_two_workers(void)
{
	unsigned int r;

	CHECK(rte_vdev_init("dma_netdma1", "channels=4,workers=2") == 0,
		"probe");
	CHECK(thread_exists("netdma1-w0") && thread_exists("netdma1-w1") &&
		!thread_exists("netdma1-w2"), "expected workers w0 and w1");
	CHECK(chans_open("dma_netdma1", 4, false) == 0);
	for (r = 0; r < 5; r++)
		CHECK(traffic_round(1, 2) == 0, "round %u", r);
	CHECK(rte_vdev_uninit("dma_netdma1") == 0, "remove");
	CHECK(!thread_exists("netdma1-w0") && !thread_exists("netdma1-w1"),
		"workers survived removal");
	chans_free(4);
	return 0;
}

static int
dump_says(int16_t id, const char *what)
{
	char *dump = test_dump(id);
	bool found = dump != NULL && strstr(dump, what) != NULL;

	CHECK(found, "dump does not say \"%s\":\n%s", what,
		dump != NULL ? dump : "(none)");
	free(dump);
	return 0;
}

/* Collect n ops of a channel. */
static int
collect_many(int16_t id, unsigned int n)
{
	uint64_t end = test_deadline();
	unsigned int done = 0;
	bool err = false;
	uint16_t last;

	while (done < n && !err && rte_get_timer_cycles() < end)
		done += rte_dma_completed(id, 0, RTE_MIN(n - done, 256u),
			&last, &err);
	CHECK(done == n && !err, "dmadev %d: %u of %u ops, error %d", id,
		done, n, err);
	return 0;
}

/*
 * How much of its work a busy background channel gets done while a
 * foreground channel does all of its own, both on one worker, as the
 * engine itself records it: bg has BG_UNITS copies of 1 MiB, each followed
 * by an 8-byte copy that sets its flag; fg has FG_UNITS such copies
 * between two ops that copy bg's flags. The flags that appear between
 * fg's first and last op are bg's share, in units, whatever the
 * application thread was doing meanwhile (on a loaded machine it may not
 * run for milliseconds). bg is submitted first and has work for far
 * longer than fg needs; -1 when it still ran out before fg was done.
 */
#define FG_UNITS 64
#define BG_UNITS 512
#define RACE_RING 2048

static int
race_once(int16_t fg, int16_t bg, int *bg_share)
{
	const size_t len = 1 << 20, flags_len = BG_UNITS * 8;
	uint8_t *mem = rte_zmalloc(NULL, 4 * len + 4 * flags_len, 64);
	uint8_t *ones, *flags, *before, *after;
	unsigned int i, at_start = 0, at_end = 0;

	CHECK(mem != NULL, "alloc");
	ones = mem + 4 * len;
	flags = ones + flags_len;
	before = flags + flags_len;
	after = before + flags_len;
	memset(ones, 1, flags_len);
	for (i = 0; i < BG_UNITS; i++) {
		CHECK(rte_dma_copy(bg, 0, rte_mem_virt2iova(mem + 2 * len),
			rte_mem_virt2iova(mem + 3 * len), len, 0) >= 0,
			"enqueue");
		CHECK(rte_dma_copy(bg, 0, rte_mem_virt2iova(ones + i * 8),
			rte_mem_virt2iova(flags + i * 8), 8, 0) >= 0,
			"enqueue");
	}
	CHECK(rte_dma_copy(fg, 0, rte_mem_virt2iova(flags),
		rte_mem_virt2iova(before), flags_len, 0) >= 0, "enqueue");
	for (i = 0; i < FG_UNITS; i++)
		CHECK(rte_dma_copy(fg, 0, rte_mem_virt2iova(mem),
			rte_mem_virt2iova(mem + len), len, 0) >= 0, "enqueue");
	CHECK(rte_dma_copy(fg, 0, rte_mem_virt2iova(flags),
		rte_mem_virt2iova(after), flags_len, 0) >= 0, "enqueue");
	rte_dma_submit(bg, 0);
	rte_dma_submit(fg, 0);
	CHECK(collect_many(fg, FG_UNITS + 2) == 0);
	CHECK(collect_many(bg, 2 * BG_UNITS) == 0);
	for (i = 0; i < BG_UNITS; i++) {
		CHECK(flags[i * 8] == 1, "flag %u not set at the end", i);
		at_start += before[i * 8];
		at_end += after[i * 8];
	}
	*bg_share = at_end < BG_UNITS ? (int)(at_end - at_start) : -1;
	rte_free(mem);
	return 0;
}

/*
 * race_once until bg was busy throughout, three tries. A racing card's
 * worker is pinned away from the application's CPU where the program may
 * run on two (test_engine_devargs), so that waking it for bg's submit does
 * not hold up fg's.
 */
static int
race_two_channels(int16_t fg, int16_t bg, int *bg_share)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		CHECK(race_once(fg, bg, bg_share) == 0);
		if (*bg_share >= 0)
			return 0;
	}
	CHECK(false, "the background channel never stayed busy for the race");
	return CHECK_FAILED;
}

/*
 * weight=[4,1]: ARB shows each channel's weight, and with both channels
 * busy on one worker, channel 0 gets four turns' worth for each of
 * channel 1's: while channel 0 does 64 copies of 1 MiB, channel 1 does
 * about 16. With equal weights it would be about 64; a channel that never
 * gets a turn would be at 0. Guards weights that do not reach the engine
 * or do not bound its turns. A single weight applies to every channel.
 */
static int
test_weights(void)
{
	char args[64];
	int share;
	int16_t a, b;

	CHECK(rte_vdev_init("dma_netdma3", test_engine_devargs("channels=2,weight=[4,1]",
		args, sizeof(args))) == 0, "probe");
	a = (int16_t)test_dmadev_start("dma_netdma3-ch0", RACE_RING);
	b = (int16_t)test_dmadev_start("dma_netdma3-ch1", RACE_RING);
	CHECK(a >= 0 && b >= 0, "start");
	CHECK(dump_says(a, "ARB          weight 4, priority 0") == 0);
	CHECK(dump_says(b, "ARB          weight 1, priority 0") == 0);
	CHECK(race_two_channels(a, b, &share) == 0);
	printf("    weight 4 vs 1: %d copies on the weight-1 channel while the weight-4 one did %d\n",
		share, FG_UNITS);
	CHECK(share >= FG_UNITS / 16 && share <= FG_UNITS / 2,
		"weight-1 channel did %d (expected about %d)", share,
		FG_UNITS / 4);
	CHECK(rte_vdev_uninit("dma_netdma3") == 0, "remove");

	CHECK(rte_vdev_init("dma_netdma3", "channels=2,weight=3") == 0,
		"probe");
	a = (int16_t)test_dmadev_start("dma_netdma3-ch0", 64);
	b = (int16_t)test_dmadev_start("dma_netdma3-ch1", 64);
	CHECK(a >= 0 && b >= 0, "start");
	CHECK(dump_says(a, "ARB          weight 3,") == 0);
	CHECK(dump_says(b, "ARB          weight 3,") == 0);
	CHECK(rte_vdev_uninit("dma_netdma3") == 0, "remove");
	return 0;
}

/*
 * rte_dma_conf.priority becomes the channel's ARB_PRIO, and priority is
 * strict: while the priority-0 channel has work, the priority-1 channel
 * gets no turn (one turn under way when channel 0's work arrives may
 * finish a copy), where equal priorities would give it about as many
 * copies as channel 0 does.
 */
static int
test_priority(void)
{
#ifdef RTE_DMA_CAPA_PRI_POLICY_SP
	const struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM, .nb_desc = RACE_RING,
	};
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_info info;
	char args[64];
	int share;
	int16_t a, b;

	CHECK(rte_vdev_init("dma_netdma4", test_engine_devargs("channels=2", args,
		sizeof(args))) == 0, "probe");
	a = (int16_t)rte_dma_get_dev_id_by_name("dma_netdma4-ch0");
	b = (int16_t)rte_dma_get_dev_id_by_name("dma_netdma4-ch1");
	CHECK(rte_dma_info_get(a, &info) == 0, "info");
	CHECK(info.dev_capa & RTE_DMA_CAPA_PRI_POLICY_SP, "no PRI_POLICY_SP");
	CHECK_EQ(info.nb_priorities, 4);
	conf.priority = 0;
	CHECK(rte_dma_configure(a, &conf) == 0 &&
		rte_dma_vchan_setup(a, 0, &qconf) == 0 && rte_dma_start(a) == 0,
		"start channel 0");
	conf.priority = 1;
	CHECK(rte_dma_configure(b, &conf) == 0 &&
		rte_dma_vchan_setup(b, 0, &qconf) == 0 && rte_dma_start(b) == 0,
		"start channel 1");
	CHECK(dump_says(a, "priority 0") == 0);
	CHECK(dump_says(b, "priority 1") == 0);
	CHECK(race_two_channels(a, b, &share) == 0);
	CHECK(share <= 1, "priority-1 channel did %d copies while priority 0 did %d",
		share, FG_UNITS);
	CHECK(rte_vdev_uninit("dma_netdma4") == 0, "remove");
	return 0;
#else
	return TEST_SKIP("this DPDK has no dmadev priorities (24.11 and later do)");
#endif
}

int
main(int argc, char **argv)
{
	int ret;

	ret = test_start(argc, argv, "");
	if (ret != 0)
		return ret;
	if (rte_vdev_init("dma_netdma0", "channels=8") != 0 ||
			chans_open("dma_netdma0", NB_CHAN, false) != 0) {
		fprintf(stderr, "cannot set up dma_netdma0 with 8 channels\n");
		return 1;
	}
	RUN(test_eight_dmadevs);
	RUN(test_error_on_one_channel);
	RUN(test_stop_start_one_channel);
	RUN(test_close_one_then_remove_card);
	chans_free(NB_CHAN);
	RUN(test_sva_fault_on_one_channel);
	RUN(test_two_workers);
	RUN(test_weights);
	RUN(test_priority);
	rte_eal_cleanup();
	TEST_SUMMARY();
	return test_failed == 0 ? 0 : 1;
}
