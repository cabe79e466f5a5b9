/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The vhost side: socket registration, the device callbacks, the async
 * channels, and the guest memory windows of the DMA engine's IOMMU.
 *
 * Threads. The vhost library runs the callbacks on its event thread; the
 * data path runs on the main lcore. They share one device, handed over
 * with app.state (see enum vd_dev_state) so that at any time exactly one
 * of them drives the data path and its counters:
 *  - new_device sets everything up and publishes READY;
 *  - destroy_device asks the data path to step aside and waits for it, then
 *    tears down: drain in-flight copies, unregister the async channels,
 *    unmap guest memory, close the session;
 *  - vring_state_changed runs with the library holding the virtqueue locks
 *    and so must not wait for the data path (which may be spinning on one
 *    of those locks). It uses only the *_thread_unsafe calls the library
 *    provides for that context, and hands what it collects to the data
 *    path through a ring and an atomic counter.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_bitops.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_pause.h>
#include <rte_vhost.h>
#include <rte_vhost_async.h>

#include "example_dmadev.h"
#include "vhost_dma.h"

#define VD_CLEAR_TIMEOUT_MS	2000

static inline uint32_t
state_get(void)
{
	return __atomic_load_n(&vd.state, __ATOMIC_ACQUIRE);
}

static inline void
state_set(uint32_t s)
{
	__atomic_store_n(&vd.state, s, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------------ */
/* Guest memory in the engine's IOMMU                                   */

/* The page size backing a region: what EAL's external memory wants. */
static size_t
region_page_size(const struct rte_vhost_mem_region *r)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	struct stat st;

	if (r->fd >= 0 && fstat(r->fd, &st) == 0 &&
			rte_is_power_of_2(st.st_blksize) &&
			(size_t)st.st_blksize > pg &&
			((uintptr_t)r->mmap_addr % st.st_blksize) == 0 &&
			(r->mmap_size % st.st_blksize) == 0)
		pg = (size_t)st.st_blksize;	/* hugetlbfs */
	return pg;
}

/* Unmap from the first n cards. */
static void
map_unmap(struct vd_map *m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (rte_dev_dma_unmap(vd.dma_rdev[i], m->va, (uintptr_t)m->va,
				m->len) != 0)
			VD_LOG(ERR, "dma_unmap of guest memory %p+%zu: %s",
				m->va, m->len, rte_strerror(rte_errno));
}

static void
map_drop(struct vd_map *m)
{
	if (m->mapped)
		map_unmap(m, vd.nb_dma_rdev);
	if (m->registered && rte_extmem_unregister(m->va, m->len) != 0)
		VD_LOG(ERR, "extmem unregister %p+%zu: %s", m->va, m->len,
			rte_strerror(rte_errno));
	m->mapped = false;
	m->registered = false;
}

static int
map_add(void *va, size_t len, size_t pg)
{
	struct vd_map *m;
	unsigned int i;

	if (vd.nb_maps == VD_MAX_MAPS) {
		VD_LOG(ERR, "more than %u guest memory regions", VD_MAX_MAPS);
		return -ENOSPC;
	}
	m = &vd.maps[vd.nb_maps];
	*m = (struct vd_map){ .va = va, .len = len };
	/* rte_dev_dma_map insists the range be known to EAL as external
	 * memory; IOVA is the VA, as everywhere in this IOVA-as-VA process. */
	if (rte_extmem_register(va, len, NULL, 0, pg) != 0) {
		VD_LOG(ERR, "extmem register %p+%zu (page %zu): %s", va, len,
			pg, rte_strerror(rte_errno));
		return -rte_errno;
	}
	m->registered = true;
	/* Into the IOMMU of every card the virtqueues use: two channels of
	 * one card share it, and are mapped once. */
	for (i = 0; i < vd.nb_dma_rdev; i++) {
		if (rte_dev_dma_map(vd.dma_rdev[i], va, (uintptr_t)va,
				len) != 0) {
			int err = rte_errno;

			VD_LOG(ERR, "dma_map of guest memory %p+%zu: %s", va,
				len, rte_strerror(err));
			map_unmap(m, i);
			map_drop(m);
			return -err;
		}
	}
	m->mapped = true;
	vd.nb_maps++;
	VD_LOG(INFO, "guest memory %p+%zu (page %zu) mapped for %s%s%s", va,
		len, pg, vd.dma_name[VD_RXQ], vd_dma_own(VD_TXQ) ? " and " : "",
		vd_dma_own(VD_TXQ) ? vd.dma_name[VD_TXQ] : "");
	return 0;
}

static void
maps_clear(void)
{
	while (vd.nb_maps > 0)
		map_drop(&vd.maps[--vd.nb_maps]);
}

/*
 * Make the IOMMU windows match the guest's memory table: drop those for
 * regions that went away (a SET_MEM_TABLE replaced them while every ring
 * was disabled and drained), then add the new ones. Dropping first
 * matters: a new mmap may reuse the old addresses.
 */
static int
maps_sync(int vid)
{
	struct rte_vhost_memory *mem = NULL;
	unsigned int i, j;
	int ret = 0;

	if (rte_vhost_get_mem_table(vid, &mem) != 0) {
		VD_LOG(ERR, "vid %d: no memory table", vid);
		return -EINVAL;
	}
	for (i = 0; i < vd.nb_maps; ) {
		bool keep = false;

		for (j = 0; j < mem->nregions; j++)
			if (mem->regions[j].mmap_addr == vd.maps[i].va &&
					mem->regions[j].mmap_size == vd.maps[i].len)
				keep = true;
		if (keep) {
			i++;
			continue;
		}
		map_drop(&vd.maps[i]);
		vd.maps[i] = vd.maps[--vd.nb_maps];
	}
	for (j = 0; j < mem->nregions && ret == 0; j++) {
		const struct rte_vhost_mem_region *r = &mem->regions[j];
		bool have = false;

		if (r->mmap_addr == NULL)
			continue;
		for (i = 0; i < vd.nb_maps; i++)
			if (vd.maps[i].va == r->mmap_addr &&
					vd.maps[i].len == r->mmap_size)
				have = true;
		if (!have)
			ret = map_add(r->mmap_addr, r->mmap_size,
				region_page_size(r));
	}
	free(mem);
	return ret;
}

/*
 * What a stock vhost-async application does about guest memory: nothing.
 * Under VFIO the vhost library maps it for the device itself; here the
 * device must reach it on its own, as a shared-virtual-address engine
 * (sva=1) does. Otherwise the backend maps it.
 */
static int
guest_mem_sync(int vid)
{
	return vd.stock_vhost ? 0 : maps_sync(vid);
}

/* ------------------------------------------------------------------ */
/* Async channels                                                       */

/* Copies finished by a clear: enqueue side only needs freeing (the
 * library has already written them to the guest's used ring); dequeue
 * side are whole frames from the guest and go to the verifier. */
static void
cleared_enq(struct rte_mbuf **pkts, uint16_t n)
{
	rte_pktmbuf_free_bulk(pkts, n);
	__atomic_fetch_add(&vd.enq_cleared, n, __ATOMIC_RELEASE);
}

/*
 * Drain a queue's in-flight copies from a vring_state_changed callback:
 * the library holds the queue lock, hence the thread-unsafe calls, and the
 * data path may be running, hence the hand-over of dequeued frames through
 * the orphan ring rather than straight to the verifier.
 */
static void
clear_locked(int vid, uint16_t q)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * VD_CLEAR_TIMEOUT_MS / 1000;
	struct rte_mbuf *pkts[VD_MAX_BURST];
	int inflight;

	inflight = rte_vhost_async_get_inflight_thread_unsafe(vid, q);
	/* Copies behind a failed one never complete (see dp_dma_halted). */
	while (inflight > 0 &&
			!__atomic_load_n(&vd.dma_halted, __ATOMIC_ACQUIRE)) {
		uint16_t n = rte_vhost_clear_queue_thread_unsafe(vid, q, pkts,
				VD_MAX_BURST, vd.dma_id[q], 0);

		/* The call returns (uint16_t)-1 if the lock is not held. */
		if (n > VD_MAX_BURST) {
			VD_LOG(ERR, "vid %d q %u: clear refused", vid, q);
			return;
		}
		if (q == VD_RXQ) {
			cleared_enq(pkts, n);
		} else {
			unsigned int k = rte_ring_enqueue_burst(vd.orphans,
					(void **)pkts, n, NULL);

			/* Sized for a full virtqueue: cannot overflow. */
			RTE_VERIFY(k == n);
		}
		inflight = rte_vhost_async_get_inflight_thread_unsafe(vid, q);
		if (rte_get_timer_cycles() > deadline) {
			VD_LOG(ERR, "vid %d q %u: %d copies never completed",
				vid, q, inflight);
			return;
		}
	}
}

/*
 * Same with the data path parked (destroy_device, shutdown): the locking
 * calls, and dequeued frames go straight to the verifier, after those the
 * orphan ring still holds, which are older.
 */
static void
clear_parked(int vid, uint16_t q)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * VD_CLEAR_TIMEOUT_MS / 1000;
	struct rte_mbuf *pkts[VD_MAX_BURST];
	int inflight;

	if (q == VD_TXQ) {
		unsigned int n;

		while ((n = rte_ring_dequeue_burst(vd.orphans, (void **)pkts,
				VD_MAX_BURST, NULL)) > 0)
			vd_verify_burst(pkts, n);
	}
	do {
		uint16_t n = rte_vhost_clear_queue(vid, q, pkts, VD_MAX_BURST,
				vd.dma_id[q], 0);

		if (q == VD_RXQ) {
			cleared_enq(pkts, n);
		} else {
			vd.st.deq_cleared += n;
			vd_verify_burst(pkts, n);
		}
		inflight = rte_vhost_async_get_inflight(vid, q);
		if (rte_get_timer_cycles() > deadline) {
			VD_LOG(ERR, "vid %d q %u: %d copies never completed",
				vid, q, inflight);
			return;
		}
	} while (inflight != 0);	/* -1: lock busy, try again */
}

/* ------------------------------------------------------------------ */
/* Device callbacks                                                     */

/* Tear the device down; the data path is parked or gone. */
static void
teardown(int vid)
{
	uint16_t q;

	for (q = 0; q < VD_NB_Q; q++)
		__atomic_store_n(&vd.q_enabled[q], 0, __ATOMIC_RELEASE);
	if (!vd.cpu_copy && vd.dma_halted) {
		/* Nothing in flight can complete: clearing would wait in
		 * vain and unregistering would be refused. The library
		 * frees the channels with the device. */
		VD_LOG(WARNING, "vid %d: the DMA channel halted: its copies in flight stay with the vhost library, which drops them with the device",
			vid);
	} else if (!vd.cpu_copy) {
		for (q = 0; q < VD_NB_Q; q++) {
			if (!vd.q_registered[q])
				continue;
			clear_parked(vid, q);
			/* The in-flight count must be zero first, which the
			 * clear made sure of; unmapping waits until then too,
			 * so the engine never reads memory the guest took
			 * back. */
			if (rte_vhost_async_channel_unregister(vid, q) != 0)
				VD_LOG(ERR, "vid %d q %u: async unregister failed",
					vid, q);
			vd.q_registered[q] = false;
		}
	}
	if (!vd.cpu_copy) {
		for (q = 0; q < VD_NB_Q; q++)
			vd.q_registered[q] = false;
		maps_clear();
	}
	vd.deq_inflight = 0;
	vd_session_close();
	vd.vid = -1;
	state_set(VD_DEV_NONE);
}

static int
new_device(int vid)
{
	char ifname[PATH_MAX];
	uint16_t q;
	int ret = 0;

	rte_vhost_get_ifname(vid, ifname, sizeof(ifname));
	pthread_mutex_lock(&vd.lock);
	if (state_get() != VD_DEV_NONE ||
			__atomic_load_n(&vd.dp_exited, __ATOMIC_ACQUIRE)) {
		VD_LOG(ERR, "vid %d (%s): refused, one guest at a time",
			vid, ifname);
		ret = -1;
		goto out;
	}
	if (rte_vhost_get_vring_num(vid) < VD_NB_Q) {
		VD_LOG(ERR, "vid %d: fewer than two virtqueues", vid);
		ret = -1;
		goto out;
	}
	if (!vd.cpu_copy) {
		/* Memory first: the engine must be able to reach every
		 * buffer before the first copy is submitted. */
		ret = guest_mem_sync(vid);
		if (ret != 0)
			goto fail;
		for (q = 0; q < VD_NB_Q; q++) {
			if (rte_vhost_async_channel_register(vid, q) != 0) {
				VD_LOG(ERR, "vid %d q %u: async register failed",
					vid, q);
				ret = -1;
				goto fail;
			}
			vd.q_registered[q] = true;
		}
	}
	/* The backend polls: the guest need not kick it. */
	for (q = 0; q < VD_NB_Q; q++) {
		rte_vhost_enable_guest_notification(vid, q, 0);
		__atomic_store_n(&vd.q_enabled[q], 1, __ATOMIC_RELEASE);
	}
	vd.vid = vid;
	vd.enq_async_accepted = 0;
	vd.enq_async_completed = 0;
	__atomic_store_n(&vd.enq_cleared, 0, __ATOMIC_RELAXED);
	vd.deq_inflight = 0;
	vd.sess = (struct vd_session){
		.id = ++vd.nb_sessions,
		.vid = vid,
		.start_tsc = rte_rdtsc(),
	};
	printf("VHOST_DMA ATTACH session=%u vid=%d ifname=%s\n",
		vd.sess.id, vid, ifname);
	fflush(stdout);
	state_set(VD_DEV_READY);
	goto out;

fail:
	for (q = 0; q < VD_NB_Q; q++) {
		if (vd.q_registered[q])
			rte_vhost_async_channel_unregister(vid, q);
		vd.q_registered[q] = false;
	}
	maps_clear();
out:
	pthread_mutex_unlock(&vd.lock);
	return ret;
}

static void
destroy_device(int vid)
{
	bool inline_dp = pthread_equal(pthread_self(), vd.dp_thread);

	pthread_mutex_lock(&vd.lock);
	if (vd.vid != vid || state_get() == VD_DEV_NONE) {
		pthread_mutex_unlock(&vd.lock);
		return;
	}
	/* From the data-path thread itself (rte_vhost_driver_unregister at
	 * exit) there is nobody to wait for. */
	if (!inline_dp) {
		state_set(VD_DEV_DETACH_REQ);
		while (state_get() != VD_DEV_PARKED &&
				!__atomic_load_n(&vd.dp_exited, __ATOMIC_ACQUIRE))
			rte_delay_us_sleep(50);
	}
	teardown(vid);
	pthread_mutex_unlock(&vd.lock);
}

static int
vring_state_changed(int vid, uint16_t q, int enable)
{
	pthread_mutex_lock(&vd.lock);
	if (vd.vid != vid || state_get() == VD_DEV_NONE || q >= VD_NB_Q)
		goto out;
	VD_LOG(INFO, "vid %d q %u %s", vid, q, enable ? "enabled" : "disabled");
	if (!enable) {
		/* Stop generating first, then finish what is in flight:
		 * the library may be about to free the guest memory. */
		__atomic_store_n(&vd.q_enabled[q], 0, __ATOMIC_RELEASE);
		if (!vd.cpu_copy && vd.q_registered[q])
			clear_locked(vid, q);
		goto out;
	}
	if (!vd.cpu_copy) {
		/* A changed memory table reaches us as disable-all then
		 * enable-all, all under the queue locks: remap here. */
		if (guest_mem_sync(vid) != 0)
			goto out;
		if (!vd.q_registered[q]) {
			if (rte_vhost_async_channel_register_thread_unsafe(vid,
					q) != 0) {
				VD_LOG(ERR, "vid %d q %u: async register failed",
					vid, q);
				goto out;
			}
			vd.q_registered[q] = true;
		}
	}
	__atomic_store_n(&vd.q_enabled[q], 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&vd.lock);
	return 0;
}

static const struct rte_vhost_device_ops vd_ops = {
	.new_device = new_device,
	.destroy_device = destroy_device,
	.vring_state_changed = vring_state_changed,
};

/*
 * The rte_device behind a dmadev, for rte_dev_dma_map: the vdev of that
 * name, or for a channel of a larger card ("dma_netdma0-ch1") the vdev
 * its name begins with, followed by "-ch".
 */
static struct rte_device *
dma_rte_device(int16_t dma_id)
{
	struct rte_dma_info info;
	struct rte_dev_iterator it;
	struct rte_device *dev;

	if (rte_dma_info_get(dma_id, &info) != 0 || info.dev_name == NULL)
		return NULL;
	RTE_DEV_FOREACH(dev, "bus=vdev", &it) {
		const char *name = rte_dev_name(dev);
		size_t len = strlen(name);

		if (strcmp(name, info.dev_name) == 0 ||
				(strncmp(name, info.dev_name, len) == 0 &&
				strncmp(info.dev_name + len, "-ch", 3) == 0))
			return dev;
	}
	return NULL;
}

/* Set up virtqueue q's dmadev, or share the Rx queue's of that name. */
static int
dma_setup_queue(unsigned int q)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf qconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
	};
	const char *name = vd.dma_name[q];
	struct rte_device *rdev;
	struct rte_dma_info info;
	unsigned int i;
	int id;

	id = rte_dma_get_dev_id_by_name(name);
	if (id < 0) {
		/* EAL goes on after a failed --vdev probe: say which. */
		example_dmadev_explain_missing(name);
		return -ENODEV;
	}
	vd.dma_id[q] = (int16_t)id;
	if (!vd_dma_own(q))
		return 0;
	rdev = dma_rte_device(vd.dma_id[q]);
	if (rdev == NULL) {
		VD_LOG(ERR, "%s: no vdev behind the dmadev", name);
		return -ENODEV;
	}
	for (i = 0; i < vd.nb_dma_rdev && vd.dma_rdev[i] != rdev; i++)
		;
	if (i == vd.nb_dma_rdev)
		vd.dma_rdev[vd.nb_dma_rdev++] = rdev;
	if (rte_dma_info_get(vd.dma_id[q], &info) != 0 ||
			rte_dma_configure(vd.dma_id[q], &conf) != 0) {
		VD_LOG(ERR, "%s: cannot configure", name);
		return -EIO;
	}
	vd.dma_sva = (q == VD_RXQ || vd.dma_sva) &&
		(info.dev_capa & RTE_DMA_CAPA_SVA) != 0;
	/* Deep enough that the guest rings, not the DMA ring, are what
	 * limits the copies in flight. */
	qconf.nb_desc = (uint16_t)RTE_MIN(info.max_desc, 4096u);
	qconf.nb_desc = (uint16_t)RTE_MAX(qconf.nb_desc, info.min_desc);
	if (rte_dma_vchan_setup(vd.dma_id[q], 0, &qconf) != 0 ||
			rte_dma_start(vd.dma_id[q]) != 0) {
		VD_LOG(ERR, "%s: cannot set up and start", name);
		return -EIO;
	}
	/* The library must know the vchan before any socket with
	 * RTE_VHOST_USER_ASYNC_COPY is registered. */
	if (rte_vhost_async_dma_configure(vd.dma_id[q], 0) != 0) {
		VD_LOG(ERR, "%s: rte_vhost_async_dma_configure failed", name);
		return -EIO;
	}
	VD_LOG(INFO, "%s: dmadev %d for the guest's %s virtqueue%s, %u descriptors, %s",
		name, vd.dma_id[q], q == VD_RXQ ? "Rx" : "Tx",
		vd_dma_own(VD_TXQ) ? "" : " and Tx", qconf.nb_desc,
		(info.dev_capa & RTE_DMA_CAPA_SVA) ?
		"shared virtual addressing" : "maps only what it is given");
	if (vd.stock_vhost && !(info.dev_capa & RTE_DMA_CAPA_SVA))
		VD_LOG(WARNING, "%s: --stock-vhost maps no guest memory, and this device reaches only what is mapped for it: copies to and from the guest will fail (sva=1 in its devargs shares the address space)",
			name);
	return 0;
}

static int
dma_setup(void)
{
	unsigned int q;
	int ret;

	for (q = 0; q < VD_NB_Q; q++) {
		ret = dma_setup_queue(q);
		if (ret != 0)
			return ret;
	}
	return 0;
}

int
vd_vhost_setup(void)
{
	uint64_t flags = RTE_VHOST_USER_NET_COMPLIANT_OL_FLAGS;
	struct stat st;
	int ret;

	vd.vid = -1;
	vd.dma_id[VD_RXQ] = -1;
	vd.dma_id[VD_TXQ] = -1;
	if (!vd.cpu_copy) {
		ret = dma_setup();
		if (ret != 0)
			return ret;
		flags |= RTE_VHOST_USER_ASYNC_COPY;
	}
	/* A socket left by an earlier run would make the bind fail. */
	if (stat(vd.socket_path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(vd.socket_path);
	if (rte_vhost_driver_register(vd.socket_path, flags) != 0) {
		VD_LOG(ERR, "cannot register %s", vd.socket_path);
		return -EIO;
	}
	/* Plain frames, no offloads: what the guest returns must be byte
	 * for byte what was sent. */
	rte_vhost_driver_disable_features(vd.socket_path,
		(1ULL << VIRTIO_NET_F_HOST_TSO4) |
		(1ULL << VIRTIO_NET_F_HOST_TSO6) |
		(1ULL << VIRTIO_NET_F_CSUM) |
		(1ULL << VIRTIO_NET_F_GUEST_CSUM) |
		(1ULL << VIRTIO_NET_F_GUEST_TSO4) |
		(1ULL << VIRTIO_NET_F_GUEST_TSO6));
	if (rte_vhost_driver_callback_register(vd.socket_path, &vd_ops) != 0 ||
			rte_vhost_driver_start(vd.socket_path) != 0) {
		VD_LOG(ERR, "cannot start vhost driver on %s", vd.socket_path);
		rte_vhost_driver_unregister(vd.socket_path);
		return -EIO;
	}
	printf("VHOST_DMA READY socket=%s mode=%s\n", vd.socket_path,
		vd.cpu_copy ? "cpu" : vd.stock_vhost ? "stock" : "dma");
	fflush(stdout);
	return 0;
}

/* At exit, from the data-path thread, which no longer polls. */
void
vd_vhost_exit(void)
{
	unsigned int q;

	__atomic_store_n(&vd.dp_exited, 1, __ATOMIC_RELEASE);
	/* Tears down a connected guest through destroy_device, on this
	 * thread. */
	if (rte_vhost_driver_unregister(vd.socket_path) != 0)
		VD_LOG(ERR, "cannot unregister %s", vd.socket_path);
	for (q = 0; q < VD_NB_Q; q++) {
		if (vd.dma_id[q] < 0 || !vd_dma_own(q))
			continue;
		if (vd.dma_halted) {
			VD_LOG(WARNING, "%s: left configured for vhost: copies stuck on a halted channel keep it busy",
				vd.dma_name[q]);
		} else if (rte_vhost_async_dma_unconfigure(vd.dma_id[q], 0) != 0) {
			/* Present in 22.11; refuses while copies are in
			 * flight. */
			VD_LOG(ERR, "%s: rte_vhost_async_dma_unconfigure failed",
				vd.dma_name[q]);
		}
	}
}
