/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * netdma-vhost-dma: a vhost-user backend whose packet copies run on a
 * dma_netdma device, in both directions.
 *
 * The backend is its own traffic source and sink, so that every packet
 * can be checked end to end: it generates frames (sequence number and a
 * payload derived from it), enqueues them to the guest's Rx ring through
 * the async (DMA) path, the guest loops them back, and the backend
 * dequeues them, again through DMA, and checks each byte and the order.
 * --cpu-copy runs the same thing with the synchronous vhost calls.
 */

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>
#include <rte_vhost.h>
#include <rte_vhost_async.h>

#include "example_eal.h"
#include "vhost_dma.h"

#define VD_TX_MBUFS	8192
#define VD_RX_MBUFS	16384
#define VD_POOL_CACHE	256
#define VD_ORPHANS	32768	/* largest virtqueue */
#define VD_STALL_MS	100
#define VD_WINDOW_AUTO	UINT32_MAX
#define VD_PROG		"netdma-vhost-dma"

/* Without hugepages: the PMD, its dmadev, and a socket for the guest
 * (README.md shows the guest's side). */
static const struct example_eal_hint eal_hint = {
	.needs_pmd = true,
	.eal_args = "--vdev dma_netdma0",
	.app_args = "--socket /tmp/vhost-dma.sock",
};

struct vd_app vd;

static volatile sig_atomic_t quit_signal;

static void
on_signal(int sig)
{
	quit_signal = sig;
}

static void
usage_to(FILE *f, const char *prog)
{
	fprintf(f, "%s [EAL options] -- --socket PATH [options]\n"
		"\n"
		"A vhost-user backend whose packet copies run on a dmadev, both ways.\n"
		"It generates numbered frames, the guest loops them back, and it\n"
		"checks every byte and the order, then prints VHOST_DMA RESULT with\n"
		"status=PASS or FAIL (no frame returned is a FAIL).\n"
		"\n"
		"--vdev: required, unless --cpu-copy. The backend does not create\n"
		"the dmadev: give it in the EAL options, with the driver, as\n"
		"  -d <path to librte_dma_netdma.so> --vdev dma_netdma0[,devargs]\n"
		"(--stock-vhost needs sva=1 in those devargs).\n"
		"\n"
		"  --socket PATH        vhost-user socket (the backend is the server)\n"
		"  --dma NAME[,NAME]    dmadev to use (default dma_netdma0); two names\n"
		"                       give the guest's Rx and Tx virtqueues one each,\n"
		"                       e.g. the channels of one card:\n"
		"                       --vdev dma_netdma0,channels=2\n"
		"                       --dma dma_netdma0-ch0,dma_netdma0-ch1\n"
		"  --stock-vhost        do only what a stock vhost-async application does:\n"
		"                       rte_vhost_async_dma_configure, ASYNC_COPY,\n"
		"                       rte_vhost_async_channel_register; guest memory\n"
		"                       is not mapped for the DMA device (needs sva=1)\n"
		"  --cpu-copy           synchronous vhost, copies on this core, no DMA\n"
		"  --duration SEC       stop SEC seconds after the first guest attached\n"
		"  --count N            stop after generating N packets\n"
		"  --sizes LIST         frame sizes, e.g. 64,512,1518 or 64-1518\n"
		"                       (default 64-1518)\n"
		"  --chain              generate multi-segment mbufs, and dequeue into\n"
		"                       small mbufs so the copies back are chained too\n"
		"  --rx-seg BYTES       data room of dequeue mbufs (default 2048,\n"
		"                       512 with --chain)\n"
		"  --burst N            packets per vhost call (default 32, max %u)\n"
		"  --window N           at most N packets in the guest loop, and a\n"
		"                       pause after each refusal by a full guest\n"
		"                       ring; 0: flood, the guest ring refuses the\n"
		"                       excess (default: the guest's ring size)\n"
		"  --drain-idle MS      at stop, wait until nothing came back for MS\n"
		"                       (default 100)\n"
		"  --stats SEC          print counters every SEC seconds\n"
		"  --bench              print packets/s and cycles/packet at exit\n"
		"  --yield              sched_yield() when an iteration moved nothing\n"
		"                       (for an engine thread sharing this core)\n"
		"  -h, --help           print this help and exit\n"
		"\n"
		"Exit status: 0 if the verdict is PASS, 1 if FAIL or the setup failed,\n"
		"2 if the command line is wrong.\n",
		prog, VD_MAX_BURST);
}

/* Also EAL's --help hook. */
static void
usage(const char *prog)
{
	usage_to(stdout, prog);
}

/* One line naming the option and the value that is wrong. */
static int
bad_arg(const char *opt, const char *val, const char *want)
{
	fprintf(stderr, "%s: error: %s '%s': %s; --help for usage\n", VD_PROG,
		opt, val, want);
	return -EINVAL;
}

static int
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
			*out > max)
		return -EINVAL;
	return 0;
}

/*
 * The application's arguments: argv[0] is the "--" before them. Runs
 * before EAL starts, so --help and mistakes need no EAL.
 */
/* "--dma NAME" for both virtqueues, or "--dma RXNAME,TXNAME". */
static int
parse_dma_names(const char *arg)
{
	const char *comma = strchr(arg, ',');
	size_t len = comma != NULL ? (size_t)(comma - arg) : strlen(arg);
	const char *tx = comma != NULL ? comma + 1 : arg;

	if (len == 0 || len >= sizeof(vd.dma_name[0]) || tx[0] == '\0' ||
			strchr(tx, ',') != NULL ||
			strlen(tx) >= sizeof(vd.dma_name[0]))
		return -1;
	memcpy(vd.dma_name[VD_RXQ], arg, len);
	vd.dma_name[VD_RXQ][len] = '\0';
	strcpy(vd.dma_name[VD_TXQ], tx);
	return 0;
}

static int
parse_args(int argc, char **argv)
{
	enum {
		OPT_SOCKET = 256, OPT_DMA, OPT_STOCK, OPT_CPU, OPT_DURATION,
		OPT_COUNT, OPT_SIZES, OPT_CHAIN, OPT_RXSEG, OPT_BURST,
		OPT_WINDOW, OPT_DRAIN, OPT_STATS, OPT_BENCH, OPT_YIELD,
	};
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "dma", required_argument, NULL, OPT_DMA },
		{ "stock-vhost", no_argument, NULL, OPT_STOCK },
		{ "cpu-copy", no_argument, NULL, OPT_CPU },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ "chain", no_argument, NULL, OPT_CHAIN },
		{ "rx-seg", required_argument, NULL, OPT_RXSEG },
		{ "burst", required_argument, NULL, OPT_BURST },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "drain-idle", required_argument, NULL, OPT_DRAIN },
		{ "stats", required_argument, NULL, OPT_STATS },
		{ "bench", no_argument, NULL, OPT_BENCH },
		{ "yield", no_argument, NULL, OPT_YIELD },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name;
	uint64_t v;
	char *end;
	int opt;

	rte_strscpy(vd.dma_name[VD_RXQ], "dma_netdma0", sizeof(vd.dma_name[0]));
	rte_strscpy(vd.dma_name[VD_TXQ], "dma_netdma0", sizeof(vd.dma_name[0]));
	vd.burst = 32;
	vd.window = VD_WINDOW_AUTO;
	vd.drain_idle_ms = 100;
	vd_parse_sizes(&vd.traffic, "64-1518");

	opterr = 0;	/* the messages below name option and value */
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		name = argv[optind - 1];
		switch (opt) {
		case 'h':
			usage(VD_PROG);
			exit(0);
		case ':':
			fprintf(stderr, "%s: error: %s needs a value; --help for usage\n",
				VD_PROG, name);
			return -EINVAL;
		case '?':
			fprintf(stderr, "%s: error: unknown option '%s'; --help for usage\n",
				VD_PROG, name);
			return -EINVAL;
		case OPT_SOCKET:
			if (rte_strscpy(vd.socket_path, optarg,
					sizeof(vd.socket_path)) < 0)
				return bad_arg("--socket", optarg, "too long");
			break;
		case OPT_DMA:
			if (parse_dma_names(optarg) != 0)
				return bad_arg("--dma", optarg,
					"need NAME or RXNAME,TXNAME, each shorter than 64 characters");
			break;
		case OPT_STOCK:
			vd.stock_vhost = true;
			break;
		case OPT_CPU:
			vd.cpu_copy = true;
			break;
		case OPT_DURATION:
		case OPT_STATS:
			errno = 0;
			{
				double d = strtod(optarg, &end);

				if (optarg[0] == '-' || errno != 0 ||
						end == optarg || *end != '\0')
					return bad_arg(opt == OPT_DURATION ?
						"--duration" : "--stats", optarg,
						"want seconds, >= 0");
				if (opt == OPT_DURATION)
					vd.duration_s = d;
				else
					vd.stats_interval_s = d;
			}
			break;
		case OPT_COUNT:
			if (parse_uint(optarg, UINT64_MAX, &vd.max_packets) != 0)
				return bad_arg("--count", optarg,
					"want a number of packets");
			break;
		case OPT_SIZES:
			if (vd_parse_sizes(&vd.traffic, optarg) != 0) {
				fprintf(stderr, "%s: error: --sizes '%s': want sizes or ranges in %u..%u, comma separated\n",
					VD_PROG, optarg, VD_MIN_FRAME,
					VD_MAX_FRAME);
				return -EINVAL;
			}
			break;
		case OPT_CHAIN:
			vd.traffic.chain = true;
			break;
		case OPT_RXSEG:
			if (parse_uint(optarg, 65535 - RTE_PKTMBUF_HEADROOM,
					&v) != 0 || v < 64)
				return bad_arg("--rx-seg", optarg,
					"want 64..65535 minus the mbuf headroom");
			vd.rx_data_room = (unsigned int)v;
			break;
		case OPT_BURST:
			if (parse_uint(optarg, VD_MAX_BURST, &v) != 0 || v == 0)
				return bad_arg("--burst", optarg, "want 1..64");
			vd.burst = (unsigned int)v;
			break;
		case OPT_WINDOW:
			if (parse_uint(optarg, UINT32_MAX - 1, &v) != 0)
				return bad_arg("--window", optarg,
					"want a number of packets, 0 to flood");
			vd.window = (unsigned int)v;
			break;
		case OPT_DRAIN:
			if (parse_uint(optarg, 60000, &v) != 0)
				return bad_arg("--drain-idle", optarg,
					"want 0..60000 ms");
			vd.drain_idle_ms = (unsigned int)v;
			break;
		case OPT_BENCH:
			vd.bench = true;
			break;
		case OPT_YIELD:
			vd.idle_yield = true;
			break;
		default:
			return -EINVAL;
		}
	}
	if (optind != argc)
		return bad_arg("argument", argv[optind],
			"unexpected (EAL options go before --)");
	if (vd.socket_path[0] == '\0') {
		fprintf(stderr, "%s: error: --socket PATH is required; --help for usage\n",
			VD_PROG);
		return -EINVAL;
	}
	if (vd.stock_vhost && vd.cpu_copy) {
		fprintf(stderr, "%s: error: --stock-vhost and --cpu-copy: one or the other\n",
			VD_PROG);
		return -EINVAL;
	}
	/* Bounded, in case copies never complete. */
	vd.drain_max_ms = vd.drain_idle_ms + 3000;
	if (vd.rx_data_room == 0)
		vd.rx_data_room = vd.traffic.chain ? 512 : 2048;
	/* EAL's own option parsing comes next. */
	optind = 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Verification and sessions                                            */

void
vd_verify_burst(struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		vd_check(&vd.traffic, pkts[i]);
	vd.sess.received += n;
}

/*
 * A guest went away. Whatever it accepted and did not return is lost:
 * dropped by the guest or still in its rings when it left. Only the
 * guest can tell those apart; the test compares with what it reports.
 */
void
vd_session_close(void)
{
	uint64_t lost = vd.sess.accepted - vd.sess.received;
	uint64_t now = rte_rdtsc();

	vd.sessions_lost += lost;
	vd.st.enq_cleared += __atomic_load_n(&vd.enq_cleared, __ATOMIC_ACQUIRE);
	printf("VHOST_DMA SESSION id=%u vid=%d accepted=%" PRIu64
		" refused=%" PRIu64 " returned=%" PRIu64 " lost=%" PRIu64
		" seconds=%.3f\n", vd.sess.id, vd.sess.vid, vd.sess.accepted,
		vd.sess.refused, vd.sess.received, lost,
		(double)(now - vd.sess.start_tsc) / (double)rte_get_tsc_hz());
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Data path                                                            */

struct vd_dp {
	uint64_t hz;
	bool stopping;
	bool draining;
	uint64_t drain_start;
	uint64_t drain_rx0;
	uint64_t last_rx;
	uint64_t window_base;		/* seqs below: no longer counted */
	uint64_t window;
	uint64_t backoff_rx;		/* refused when this many were back */
	bool backoff;
	bool progress;			/* this iteration moved packets */
	uint64_t first_attach;
	unsigned int sess_id;
	uint64_t next_stats;
	uint64_t next_dma_check;
	/* benchmark window: from first attach + warm-up to stop */
	uint64_t bench_t0, bench_t1;
	uint64_t bench_rx0, bench_rx1;
	uint64_t bench_tsc0, bench_tsc1;
	uint64_t bench_work0, bench_work1;
	uint64_t bench_bytes0, bench_bytes1;
	bool bench_started, bench_done;
};

static inline uint64_t
dp_tsc_total(void)
{
	return vd.st.tsc_enq + vd.st.tsc_cpl + vd.st.tsc_deq;
}

static inline uint32_t
q_enabled(uint16_t q)
{
	return __atomic_load_n(&vd.q_enabled[q], __ATOMIC_ACQUIRE);
}

static uint64_t
enq_inflight(void)
{
	if (vd.cpu_copy)
		return 0;
	return vd.enq_async_accepted - vd.enq_async_completed -
		__atomic_load_n(&vd.enq_cleared, __ATOMIC_ACQUIRE);
}

/* How many packets we may generate now. */
static unsigned int
gen_budget(struct vd_dp *dp, uint64_t now)
{
	struct vd_traffic *t = &vd.traffic;
	uint64_t outstanding;

	if (dp->stopping || !q_enabled(VD_RXQ))
		return 0;
	if (vd.max_packets != 0 && t->next_seq >= vd.max_packets)
		return 0;
	if (dp->window == 0)
		return vd.burst;
	/* In-order return means every seq below the next expected one is
	 * either back or gone: only those above are still in the loop. */
	outstanding = t->next_seq - RTE_MAX(t->expect, dp->window_base);
	if (outstanding >= dp->window ||
			(dp->backoff && t->received == dp->backoff_rx)) {
		/* Nothing back for a while with nothing in flight here: the
		 * guest dropped the rest, or its ring has no room yet. This
		 * only unblocks the window; the accounting is by sequence
		 * number. */
		if (now - dp->last_rx > dp->hz * VD_STALL_MS / 1000 &&
				enq_inflight() == 0) {
			dp->window_base = t->next_seq;
			dp->backoff = false;
			dp->last_rx = now;
		}
		return 0;
	}
	dp->backoff = false;
	return (unsigned int)RTE_MIN((uint64_t)vd.burst,
		dp->window - outstanding);
}

/* Window for a new guest: by default what its smaller ring holds, so the
 * guest can never be made to drop for lack of room. */
static void
window_reset(struct vd_dp *dp, int vid)
{
	struct rte_vhost_vring rx, tx;

	dp->window_base = vd.traffic.next_seq;
	dp->backoff = false;
	dp->window = vd.window;
	if (vd.window != VD_WINDOW_AUTO)
		return;
	dp->window = 256;
	if (rte_vhost_get_vhost_vring(vid, VD_RXQ, &rx) == 0 &&
			rte_vhost_get_vhost_vring(vid, VD_TXQ, &tx) == 0)
		dp->window = RTE_MIN(rx.size, tx.size);
}

static void
dp_enqueue(struct vd_dp *dp, int vid, uint64_t now)
{
	struct rte_mbuf *pkts[VD_MAX_BURST];
	unsigned int budget, n, acc;
	uint64_t first, t0, t1;

	if (!vd.cpu_copy) {
		/* Copies finished: the library writes them to the used ring
		 * only now, so call this often. */
		t0 = rte_rdtsc();
		n = rte_vhost_poll_enqueue_completed(vid, VD_RXQ, pkts,
				VD_MAX_BURST, vd.dma_id[VD_RXQ], 0);
		t1 = rte_rdtsc();
		vd.st.tsc_cpl += t1 - t0;
		if (n > 0) {
			vd.st.work_tsc += t1 - t0;
			rte_pktmbuf_free_bulk(pkts, n);
			vd.enq_async_completed += n;
			dp->progress = true;
		}
	}

	budget = gen_budget(dp, now);
	if (budget == 0)
		return;
	first = vd.traffic.next_seq;
	n = (unsigned int)vd_build(&vd.traffic, vd.tx_pool, pkts, budget);
	if (n == 0)
		return;
	t0 = rte_rdtsc();
	if (vd.cpu_copy)
		acc = rte_vhost_enqueue_burst(vid, VD_RXQ, pkts, (uint16_t)n);
	else
		acc = rte_vhost_submit_enqueue_burst(vid, VD_RXQ, pkts,
			(uint16_t)n, vd.dma_id[VD_RXQ], 0);
	t1 = rte_rdtsc();
	vd.st.tsc_enq += t1 - t0;
	if (acc > 0) {
		vd.st.work_tsc += t1 - t0;
		dp->progress = true;
	}

	if (vd.cpu_copy) {
		/* Copied already: the mbufs are still ours. */
		rte_pktmbuf_free_bulk(pkts, n);
	} else {
		/* Accepted ones belong to the library until completed. */
		rte_pktmbuf_free_bulk(&pkts[acc], n - acc);
		vd.enq_async_accepted += acc;
	}
	vd.sess.accepted += acc;
	vd.sess.refused += n - acc;
	vd.tot_refused += n - acc;
	vd_note_refused(&vd.traffic, first + acc, n - acc);
	if (acc < n) {
		/* Guest ring full: wait for it to return something rather
		 * than generate frames only to have them refused. */
		dp->backoff = true;
		dp->backoff_rx = vd.traffic.received;
	}
}

/* Verify two batches from two threads in stream order: each batch is in
 * order, but which came first is only known from the frames. */
static void
dp_verify_merged(struct rte_mbuf **pkts, unsigned int n)
{
	struct rte_mbuf *orph[VD_MAX_BURST];
	unsigned int k;
	bool orphans_first;

	if (rte_ring_empty(vd.orphans)) {
		vd_verify_burst(pkts, n);
		return;
	}
	k = rte_ring_dequeue_burst(vd.orphans, (void **)orph, VD_MAX_BURST,
			NULL);
	orphans_first = n == 0 || vd_first_seq(orph[0]) < vd_first_seq(pkts[0]);
	if (!orphans_first)
		vd_verify_burst(pkts, n);
	do {
		vd.st.deq_cleared += k;
		vd_verify_burst(orph, k);
		k = rte_ring_dequeue_burst(vd.orphans, (void **)orph,
				VD_MAX_BURST, NULL);
	} while (k > 0);
	if (orphans_first)
		vd_verify_burst(pkts, n);
}

static void
dp_dequeue(struct vd_dp *dp, int vid, uint64_t now)
{
	struct rte_mbuf *pkts[VD_MAX_BURST];
	uint64_t t0, t1;
	unsigned int n;
	int inflight;

	t0 = rte_rdtsc();
	if (vd.cpu_copy) {
		n = rte_vhost_dequeue_burst(vid, VD_TXQ, vd.rx_pool, pkts,
				(uint16_t)vd.burst);
	} else {
		n = rte_vhost_async_try_dequeue_burst(vid, VD_TXQ, vd.rx_pool,
				pkts, (uint16_t)vd.burst, &inflight,
				vd.dma_id[VD_TXQ], 0);
		if (inflight >= 0)
			vd.deq_inflight = inflight;
	}
	t1 = rte_rdtsc();
	vd.st.tsc_deq += t1 - t0;
	if (n > 0) {
		vd.st.work_tsc += t1 - t0;
		dp->last_rx = now;
		dp->progress = true;
	}
	dp_verify_merged(pkts, n);
}

/*
 * The vhost library collects DMA completions with rte_dma_completed()
 * and, on an error, logs one line and goes on: it never takes the failed
 * copy with rte_dma_completed_status(), so the channel stays halted and
 * every copy behind it waits for ever. Look for that while copies are in
 * flight, so the backend stops and says why instead of stalling.
 */
static bool
dp_dma_halted(struct vd_dp *dp, uint64_t now)
{
	enum rte_dma_vchan_status st;
	unsigned int q;

	if (vd.cpu_copy || now < dp->next_dma_check ||
			(enq_inflight() == 0 && vd.deq_inflight == 0))
		return false;
	dp->next_dma_check = now + dp->hz / 100;
	for (q = 0; q < VD_NB_Q; q++) {
		if (!vd_dma_own(q) ||
				rte_dma_vchan_status(vd.dma_id[q], 0, &st) != 0 ||
				st != RTE_DMA_VCHAN_HALTED_ERROR)
			continue;
		VD_LOG(ERR, "%s: the DMA channel halted on a failed copy, with %" PRIu64
			" copies to the guest and %d from it in flight; vhost only logs DMA errors, so these would never complete: stopping",
			vd.dma_name[q], enq_inflight(), vd.deq_inflight);
		if (vd.stock_vhost && !vd.dma_sva)
			VD_LOG(ERR, "%s: guest memory is not mapped for the DMA device: use sva=1 or map it (without --stock-vhost the backend maps it)",
				vd.dma_name[q]);
		VD_LOG(ERR, "%s: the device as it halted (ERRADDR: the address that failed):",
			vd.dma_name[q]);
		rte_dma_dump(vd.dma_id[q], stderr);
		return true;
	}
	return false;
}

static bool
drain_done(struct vd_dp *dp, uint64_t now)
{
	uint64_t ms = (now - dp->drain_start) * 1000 / dp->hz;
	bool inflight = enq_inflight() != 0 ||
		(q_enabled(VD_TXQ) && vd.deq_inflight != 0);

	if (vd.dma_halted)
		return true;	/* nothing more will come back */
	if (ms >= vd.drain_max_ms) {
		VD_LOG(WARNING, "drain: gave up after %" PRIu64 " ms", ms);
		return true;
	}
	if (inflight)
		return false;
	if (vd.sess.received == vd.sess.accepted)
		return true;	/* everything came back */
	return (now - dp->last_rx) * 1000 / dp->hz >= vd.drain_idle_ms;
}

static void
print_stats(struct vd_dp *dp, uint64_t now)
{
	const struct vd_traffic *t = &vd.traffic;

	printf("VHOST_DMA STATS t=%.1f generated=%" PRIu64 " returned=%" PRIu64
		" corrupted=%" PRIu64 " reordered=%" PRIu64 "\n",
		(double)(now - dp->first_attach) / (double)dp->hz,
		t->next_seq, t->received, t->corrupted, t->reordered);
	fflush(stdout);
}

static void
bench_mark(struct vd_dp *dp, uint64_t now, bool end)
{
	if (!end) {
		dp->bench_t0 = now;
		dp->bench_rx0 = vd.traffic.good;
		dp->bench_tsc0 = dp_tsc_total();
		dp->bench_work0 = vd.st.work_tsc;
		dp->bench_bytes0 = vd.traffic.bytes_ret;
		dp->bench_started = true;
	} else {
		dp->bench_t1 = now;
		dp->bench_rx1 = vd.traffic.good;
		dp->bench_tsc1 = dp_tsc_total();
		dp->bench_work1 = vd.st.work_tsc;
		dp->bench_bytes1 = vd.traffic.bytes_ret;
		dp->bench_done = true;
	}
}

static void
run(struct vd_dp *dp)
{
	for (;;) {
		uint32_t st = __atomic_load_n(&vd.state, __ATOMIC_ACQUIRE);
		uint64_t now = rte_rdtsc();
		int vid;

		if (!dp->stopping && (quit_signal != 0 || vd.dma_halted ||
				(vd.max_packets != 0 &&
				 vd.traffic.next_seq >= vd.max_packets) ||
				(vd.duration_s > 0 && dp->first_attach != 0 &&
				 now - dp->first_attach >=
				 (uint64_t)(vd.duration_s * (double)dp->hz)))) {
			dp->stopping = true;
			if (dp->bench_started)
				bench_mark(dp, now, true);
			printf("VHOST_DMA STOP reason=%s\n", vd.dma_halted ?
				"dma-error" : quit_signal != 0 ? "signal" :
				"limit");
			fflush(stdout);
		}
		if (st == VD_DEV_DETACH_REQ) {
			/* A callback tears the device down: hands off. */
			__atomic_store_n(&vd.state, VD_DEV_PARKED,
				__ATOMIC_RELEASE);
			continue;
		}
		if (st != VD_DEV_READY) {
			if (dp->stopping)
				break;
			/* Leave the core to the guest and the engine. */
			rte_delay_us_sleep(200);
			continue;
		}
		vid = vd.vid;
		if (dp->first_attach == 0) {
			dp->first_attach = now;
			dp->last_rx = now;
			dp->next_stats = now;
		}
		if (vd.sess.id != dp->sess_id) {
			/* New guest: what the last one kept is gone. */
			dp->sess_id = vd.sess.id;
			window_reset(dp, vid);
			dp->last_rx = now;
		}
		if (vd.bench && !dp->bench_started && !dp->stopping &&
				now - dp->first_attach >= dp->hz / 2)
			bench_mark(dp, now, false);
		if (dp->stopping && !dp->draining) {
			dp->draining = true;
			dp->drain_start = now;
			dp->drain_rx0 = vd.traffic.received;
			dp->last_rx = now;
		}

		dp->progress = false;
		dp_enqueue(dp, vid, now);
		dp_dequeue(dp, vid, now);
		if (!vd.dma_halted && dp_dma_halted(dp, now))
			__atomic_store_n(&vd.dma_halted, true, __ATOMIC_RELEASE);
		/* Nothing moved: the guest or the engine has the next step.
		 * Where the engine shares this core, let it have it. */
		if (vd.idle_yield && !dp->progress)
			sched_yield();

		if (dp->draining && drain_done(dp, now)) {
			printf("VHOST_DMA DRAINED ms=%" PRIu64 " returned=%"
				PRIu64 " outstanding=%" PRIu64 "\n",
				(rte_rdtsc() - dp->drain_start) * 1000 / dp->hz,
				vd.traffic.received - dp->drain_rx0,
				vd.sess.accepted - vd.sess.received);
			break;
		}
		if (vd.stats_interval_s > 0 && now >= dp->next_stats) {
			print_stats(dp, now);
			dp->next_stats = now +
				(uint64_t)(vd.stats_interval_s * (double)dp->hz);
		}
	}
}

/* ------------------------------------------------------------------ */

static const char *
mode_name(void)
{
	return vd.cpu_copy ? "cpu" : vd.stock_vhost ? "stock" : "dma";
}

/* Append name to the comma-separated list in buf if failed. */
static void
add_reason(char *buf, size_t len, bool failed, const char *name)
{
	size_t used = strlen(buf);

	if (failed)
		snprintf(buf + used, len - used, "%s%s", used ? "," : "", name);
}

static int
report(struct vd_dp *dp)
{
	const struct vd_traffic *t = &vd.traffic;
	struct rte_dma_stats ds = { 0 };
	uint64_t tail_refused, tail_lost, refused, accepted, lost_seq;
	bool ok, dma_ok = true, seq_ok;
	char why[128];
	unsigned int q;

	vd_tail(t, &tail_refused, &tail_lost);
	refused = vd.tot_refused;
	accepted = t->next_seq - refused;
	lost_seq = t->gap_lost + tail_lost;
	for (q = 0; !vd.cpu_copy && q < VD_NB_Q; q++) {
		struct rte_dma_stats qs;

		if (!vd_dma_own(q))
			continue;
		if (rte_dma_stats_get(vd.dma_id[q], 0, &qs) != 0) {
			dma_ok = false;
			continue;
		}
		ds.submitted += qs.submitted;
		ds.completed += qs.completed;
		ds.errors += qs.errors;
	}
	dma_ok = dma_ok && ds.submitted == ds.completed && ds.errors == 0;
	/* Holes in the returned sequence must be exactly the refused and
	 * the lost packets, unless the refusal log overflowed. */
	seq_ok = t->drops_untracked != 0 ||
		(lost_seq == accepted - t->received &&
		 t->gap_refused + tail_refused == refused);
	/* Every check above holds when nothing moved at all: a verdict on
	 * no traffic would prove nothing, so it is a failure of its own. */
	why[0] = '\0';
	add_reason(why, sizeof(why), t->good == 0, "no_traffic");
	add_reason(why, sizeof(why), t->corrupted != 0, "corrupted");
	add_reason(why, sizeof(why), t->reordered != 0, "reordered");
	add_reason(why, sizeof(why), t->ghosts != 0, "ghosts");
	add_reason(why, sizeof(why), !seq_ok, "sequence");
	add_reason(why, sizeof(why), vd.dma_halted, "dma_halted");
	add_reason(why, sizeof(why), !dma_ok && !vd.dma_halted, "dma");
	add_reason(why, sizeof(why),
		accepted - t->received != vd.sessions_lost, "sessions");
	ok = why[0] == '\0';
	if (t->good == 0)
		VD_LOG(ERR, "no frame came back from the guest (%u guest session%s): FAIL, as a check on no traffic proves nothing. A dpdk-testpmd guest quits at once when its standard input is at end of file, not only on Enter: keep it open",
			vd.nb_sessions, vd.nb_sessions == 1 ? "" : "s");

	printf("VHOST_DMA RESULT mode=%s generated=%" PRIu64
		" accepted=%" PRIu64 " refused=%" PRIu64 " returned=%" PRIu64
		" good=%" PRIu64 " corrupted=%" PRIu64 " reordered=%" PRIu64
		" ghosts=%" PRIu64 " lost=%" PRIu64 " lost_by_seq=%" PRIu64
		" sessions=%u chains_gen=%" PRIu64 " chains_ret=%" PRIu64
		" min_len=%u max_len=%u cleared_enq=%" PRIu64
		" cleared_deq=%" PRIu64
		" refusals_untracked=%" PRIu64
		" dma_submitted=%" PRIu64 " dma_completed=%" PRIu64
		" dma_errors=%" PRIu64 " status=%s failed=%s\n",
		mode_name(), t->next_seq, accepted, refused,
		t->received, t->good, t->corrupted, t->reordered, t->ghosts,
		accepted - t->received, lost_seq, vd.nb_sessions,
		t->chains_gen, t->chains_ret, t->min_len_ret, t->max_len_ret,
		vd.st.enq_cleared, vd.st.deq_cleared, t->drops_untracked,
		ds.submitted, ds.completed, ds.errors, ok ? "PASS" : "FAIL",
		ok ? "-" : why);

	if (vd.bench) {
		if (!dp->bench_done && dp->bench_started)
			bench_mark(dp, dp->bench_t0, true);
		if (dp->bench_done && dp->bench_rx1 > dp->bench_rx0 &&
				dp->bench_t1 > dp->bench_t0) {
			double s = (double)(dp->bench_t1 - dp->bench_t0) /
				(double)dp->hz;
			double pkts = (double)(dp->bench_rx1 - dp->bench_rx0);

			/* work: calls that moved packets, i.e. the cost of
			 * the vhost path; all: empty polls too, i.e. time
			 * spent waiting on the guest or the engine. */
			printf("VHOST_DMA BENCH mode=%s seconds=%.3f pps=%.0f"
				" gbps=%.3f cyc_per_pkt_work=%.1f"
				" cyc_per_pkt_all=%.1f tsc_hz=%" PRIu64 "\n",
				mode_name(), s, pkts / s,
				(double)(dp->bench_bytes1 - dp->bench_bytes0) *
					8.0 / s / 1e9,
				(double)(dp->bench_work1 - dp->bench_work0) /
					pkts,
				(double)(dp->bench_tsc1 - dp->bench_tsc0) / pkts,
				dp->hz);
		} else {
			printf("VHOST_DMA BENCH mode=%s no-data\n",
				mode_name());
		}
	}
	fflush(stdout);
	return ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct vd_dp dp = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	static char dashdash[] = "--";
	char *no_args[] = { dashdash, NULL };
	unsigned int q;
	int ret, dashes;

	/* Application options first: --help and mistakes need no EAL.
	 * Without "--", EAL may still be asked for --help. */
	for (dashes = 1; dashes < argc && strcmp(argv[dashes], "--") != 0;
			dashes++)
		;
	if (dashes < argc && parse_args(argc - dashes, argv + dashes) != 0)
		return 2;
	rte_set_application_usage_hook(usage);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		example_eal_hint(argv[0], &eal_hint);
		return EXIT_FAILURE;
	}
	if (dashes == argc && parse_args(RTE_DIM(no_args) - 1, no_args) != 0) {
		rte_eal_cleanup();
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	pthread_mutex_init(&vd.lock, NULL);
	vd.dp_thread = pthread_self();
	vd.tx_pool = rte_pktmbuf_pool_create("vd_tx", VD_TX_MBUFS,
		VD_POOL_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	vd.rx_pool = rte_pktmbuf_pool_create("vd_rx", VD_RX_MBUFS,
		VD_POOL_CACHE, 0,
		(uint16_t)(vd.rx_data_room + RTE_PKTMBUF_HEADROOM),
		rte_socket_id());
	vd.orphans = rte_ring_create("vd_orphans", VD_ORPHANS, rte_socket_id(),
		RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (vd.tx_pool == NULL || vd.rx_pool == NULL || vd.orphans == NULL)
		rte_exit(EXIT_FAILURE, "cannot allocate pools: %s\n",
			rte_strerror(rte_errno));

	if (vd_vhost_setup() != 0) {
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}

	dp.hz = rte_get_tsc_hz();
	run(&dp);

	/* Stop: generation ended and the loop is drained; now the library
	 * lets go of the guest (destroy_device clears what is left). */
	vd_vhost_exit();
	ret = report(&dp);
	for (q = 0; q < VD_NB_Q; q++) {
		if (vd.dma_id[q] < 0 || !vd_dma_own(q))
			continue;
		rte_dma_stop(vd.dma_id[q]);
		rte_dma_close(vd.dma_id[q]);
	}
	rte_eal_cleanup();
	return ret;
}
