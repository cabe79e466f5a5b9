/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#ifndef VHOST_DMA_H
#define VHOST_DMA_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#define RTE_LOGTYPE_VHOST_DMA RTE_LOGTYPE_USER1
#define VD_LOG(level, fmt, ...) \
	RTE_LOG(level, VHOST_DMA, fmt "\n", ## __VA_ARGS__)

/* Split virtqueue pair 0 as the vhost library numbers it: the guest's Rx
 * ring is where the backend enqueues, its Tx ring where it dequeues. */
#define VD_RXQ		0
#define VD_TXQ		1
#define VD_NB_Q		2

#define VD_MAX_BURST	64
#define VD_MAX_SIZES	16
#define VD_MAX_MAPS	64
#define VD_MIN_FRAME	64
#define VD_MAX_FRAME	1518

/* ------------------------------------------------------------------ */
/* Traffic: generated frames and their verification (traffic.c)        */

struct vd_size_range {
	uint16_t lo;
	uint16_t hi;
};

/* Ranges of sequence numbers the vhost library refused at enqueue. They
 * are needed to tell a legitimate gap in the returned stream from a
 * packet coming back that was never handed to the guest. */
#define VD_DROP_FIFO	4096

struct vd_drop_range {
	uint64_t first;
	uint64_t count;
};

struct vd_traffic {
	/* configuration */
	struct vd_size_range sizes[VD_MAX_SIZES];
	unsigned int nb_sizes;
	bool chain;

	/* generator */
	uint64_t next_seq;		/* = packets generated */
	uint64_t chains_gen;		/* multi-segment mbufs generated */

	/* verifier */
	uint64_t expect;		/* next sequence number in order */
	uint64_t received;		/* every mbuf dequeued */
	uint64_t good;
	uint64_t corrupted;
	uint64_t reordered;
	uint64_t ghosts;		/* refused at enqueue, yet returned */
	uint64_t gap_lost;		/* holes not explained by refusals */
	uint64_t gap_refused;		/* holes explained by refusals */
	uint64_t chains_ret;		/* multi-segment mbufs received */
	uint64_t bytes_ret;
	uint16_t min_len_ret;
	uint16_t max_len_ret;
	unsigned int corrupt_logged;

	struct vd_drop_range drops[VD_DROP_FIFO];
	unsigned int drop_head;		/* oldest */
	unsigned int drop_count;
	uint64_t drops_untracked;	/* ranges evicted from a full FIFO */

	uint8_t scratch[2][RTE_ALIGN_CEIL(VD_MAX_FRAME, 8) + 8]
		__rte_cache_aligned;
};

int vd_parse_sizes(struct vd_traffic *t, const char *arg);
uint16_t vd_frame_len(const struct vd_traffic *t, uint64_t seq);
/* Build n frames with consecutive sequence numbers; 0 on success. */
int vd_build(struct vd_traffic *t, struct rte_mempool *mp,
		struct rte_mbuf **pkts, unsigned int n);
void vd_note_refused(struct vd_traffic *t, uint64_t first, uint64_t count);
/* Check one returned frame, account for it and free it. */
void vd_check(struct vd_traffic *t, struct rte_mbuf *m);
/* Holes past the last frame received: refused vs lost. */
void vd_tail(const struct vd_traffic *t, uint64_t *refused, uint64_t *lost);
uint64_t vd_first_seq(struct rte_mbuf *m);

/* ------------------------------------------------------------------ */
/* The one vhost device and its data path (vdev.c, main.c)             */

/*
 * Who owns the device's data path. The data-path lcore drives READY; a
 * callback that must tear the device down asks it to step aside
 * (DETACH_REQ), and the data path answers PARKED and stays off the device
 * until it is NONE again.
 */
enum vd_dev_state {
	VD_DEV_NONE,
	VD_DEV_READY,
	VD_DEV_DETACH_REQ,
	VD_DEV_PARKED,
};

struct vd_map {
	void *va;
	size_t len;
	bool registered;	/* rte_extmem_register done */
	bool mapped;		/* rte_dev_dma_map done */
};

struct vd_session {
	unsigned int id;
	int vid;
	uint64_t accepted;
	uint64_t refused;
	uint64_t received;
	uint64_t start_tsc;
};

struct vd_stats {
	uint64_t tsc_enq;		/* submit / enqueue */
	uint64_t tsc_cpl;		/* poll enqueue completions */
	uint64_t tsc_deq;		/* dequeue */
	uint64_t work_tsc;		/* in calls that moved packets */
	uint64_t enq_cleared;		/* copies finished by a clear */
	uint64_t deq_cleared;
};

struct vd_app {
	/* options */
	char socket_path[PATH_MAX];
	/* The dmadev of each virtqueue: the same one for both, or one
	 * each (--dma RX,TX), such as two channels of one card. */
	char dma_name[VD_NB_Q][RTE_DEV_NAME_MAX_LEN];
	bool stock_vhost;		/* guest memory not mapped by us */
	bool cpu_copy;
	unsigned int burst;
	unsigned int window;		/* max packets in the loop, 0: none */
	uint64_t max_packets;		/* stop generating after, 0: never */
	double duration_s;		/* from first attach, 0: until signal */
	double stats_interval_s;
	unsigned int rx_data_room;	/* dequeue mbuf data room */
	unsigned int drain_idle_ms;
	unsigned int drain_max_ms;
	bool bench;
	bool idle_yield;

	/* resources */
	int16_t dma_id[VD_NB_Q];
	/* The cards behind them, once each: where guest memory is mapped. */
	struct rte_device *dma_rdev[VD_NB_Q];
	unsigned int nb_dma_rdev;
	bool dma_sva;			/* every dmadev reaches any address */
	bool dma_halted;		/* on a failed copy: see dp_dma_halted */
	struct rte_mempool *tx_pool;
	struct rte_mempool *rx_pool;
	struct rte_ring *orphans;	/* dequeues completed by a clear */
	pthread_t dp_thread;

	/* device ownership, see enum vd_dev_state */
	pthread_mutex_t lock;
	uint32_t state;
	uint32_t dp_exited;
	int vid;
	bool q_registered[VD_NB_Q];
	uint32_t q_enabled[VD_NB_Q];
	struct vd_map maps[VD_MAX_MAPS];
	unsigned int nb_maps;

	/* enqueue copies in flight; clears from callbacks add to cleared */
	uint64_t enq_async_accepted;
	uint64_t enq_async_completed;
	uint64_t enq_cleared;		/* atomic */
	int deq_inflight;

	struct vd_session sess;
	unsigned int nb_sessions;
	uint64_t sessions_lost;
	uint64_t tot_refused;

	struct vd_stats st;
	struct vd_traffic traffic;
};

extern struct vd_app vd;

/* Is virtqueue q's dmadev its own, rather than the Rx queue's too? Each
 * dmadev is set up, checked and closed once: where this holds. */
static inline bool
vd_dma_own(unsigned int q)
{
	return q == VD_RXQ || vd.dma_id[q] != vd.dma_id[VD_RXQ];
}

int vd_vhost_setup(void);
void vd_vhost_exit(void);
void vd_verify_burst(struct rte_mbuf **pkts, unsigned int n);
void vd_session_close(void);

#endif /* VHOST_DMA_H */
