/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XDP_REDIRECT to ports: the target registry (ifindex -> port, xmit
 * function) and the per-lcore bulk queues flushed once per RX burst, like
 * the kernel's devmap bulk queues and xdp_do_flush().
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_per_lcore.h>
#include <rte_spinlock.h>

#include "rte_xdp_map.h"
#include "rte_xdp_redirect.h"
#include "xdp_compat_log.h"
#include "xdp_map_internal.h"
#include "xdp_redirect_internal.h"

#define XDP_BULK_SIZE	16	/* the kernel's DEV_MAP_BULK_SIZE */
/* (cpumap's CPU_MAP_BULK_SIZE is 8: one size for both keeps it simple) */
#define XDP_BULK_QUEUES	8	/* distinct targets per lcore between flushes */

struct xdp_dev {
	bool registered;
	uint32_t ifindex;
	rte_xdp_xmit_t xmit;
	void *ctx;
	uint16_t tx_queue;
	rte_spinlock_t lock;	/* generic transmit */
	uint64_t xmit_errors;	/* generic transmit, atomic */
};

static struct xdp_dev xdp_devs[RTE_MAX_ETHPORTS];
static rte_spinlock_t xdp_devs_lock = RTE_SPINLOCK_INITIALIZER;

enum bulk_kind { BULK_DEV, BULK_CPU };

/* Frames for one target, sent when full or at the flush. */
struct bulk_queue {
	uint8_t kind;		/* enum bulk_kind */
	uint16_t count;
	uint32_t target;	/* port id, or cpu (the cpumap key) */
	uint32_t prog;		/* devmap: the entry's program handle */
	const void *entry;	/* cpumap: the entry value */
	struct rte_mbuf *frames[XDP_BULK_SIZE];
	const struct rte_xdp_mem_info *mem[XDP_BULK_SIZE];
};

struct flush_list {
	uint16_t nb_queues;
	/* the last redirect target found: the port of an ifindex */
	uint16_t last_port;
	uint32_t last_ifindex;
	struct bulk_queue q[XDP_BULK_QUEUES];
};

/* Memory model of broadcast copies: ordinary refcounted mbufs. */
static const struct rte_xdp_mem_info shared_mem = {
	.type = RTE_XDP_MEM_TYPE_PAGE_SHARED,
};

/* Programs named by handles in devmap/cpumap entries. */
#define XDP_PROG_HANDLES 256
static struct rte_xdp_prog *prog_handles[XDP_PROG_HANDLES];

/*
 * Each thread's flush list, allocated at its first redirect: the
 * thread-local variable is a pointer, small enough for the static TLS
 * block of the initial-exec model (meson.build); the list is freed when
 * the thread exits.
 */
static RTE_DEFINE_PER_LCORE(struct flush_list *, xdp_flush_list);
static pthread_key_t flush_key;
static pthread_once_t flush_key_once = PTHREAD_ONCE_INIT;

static void
flush_key_create(void)
{
	pthread_key_create(&flush_key, free);
}

static __rte_noinline struct flush_list *
flush_list_new(void)
{
	struct flush_list *fl = calloc(1, sizeof(*fl));

	if (fl == NULL)
		return NULL;
	pthread_once(&flush_key_once, flush_key_create);
	pthread_setspecific(flush_key, fl);
	RTE_PER_LCORE(xdp_flush_list) = fl;
	return fl;
}

/*
 * The one ifindex of a port, for programs (ingress_ifindex, egress_ifindex),
 * bpf_redirect(), devmaps, telemetry: its Linux interface's when it has
 * one (rte_eth_dev_info.if_index: net_af_packet, net_tap, net_mvneta_xdp
 * with iface=), else RTE_XDP_IFINDEX_BASE + port id.
 */
uint32_t
rte_xdp_port_ifindex(uint16_t port_id)
{
	struct rte_eth_dev_info info;

	if (!rte_eth_dev_is_valid_port(port_id) ||
	    rte_eth_dev_info_get(port_id, &info) != 0)
		return 0;
	return info.if_index != 0 ? info.if_index :
		RTE_XDP_IFINDEX_BASE + port_id;
}

/* Data path: the redirect target registered under ifindex. */
static int
target_port(uint32_t ifindex, uint16_t *port_id)
{
	uint16_t p;

	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (__atomic_load_n(&xdp_devs[p].registered, __ATOMIC_ACQUIRE) &&
		    xdp_devs[p].ifindex == ifindex) {
			*port_id = p;
			return 0;
		}
	return -ENODEV;
}

/* The same, the thread's last answer first: still right while that
 * port is registered under that ifindex. */
static inline int
target_port_cached(struct flush_list *fl, uint32_t ifindex,
	uint16_t *port_id)
{
	const struct xdp_dev *d = &xdp_devs[fl->last_port];

	if (likely(fl->last_ifindex == ifindex &&
		   __atomic_load_n(&d->registered, __ATOMIC_ACQUIRE) &&
		   d->ifindex == ifindex)) {
		*port_id = fl->last_port;
		return 0;
	}
	if (target_port(ifindex, port_id) != 0)
		return -ENODEV;
	fl->last_ifindex = ifindex;
	fl->last_port = *port_id;
	return 0;
}

int
rte_xdp_ifindex_to_port(uint32_t ifindex, uint16_t *port_id)
{
	uint16_t p;

	if (ifindex == 0)
		return -ENODEV;
	/* targets answer without a question to their driver */
	if (target_port(ifindex, port_id) == 0)
		return 0;
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (rte_xdp_port_ifindex(p) == ifindex) {
			*port_id = p;
			return 0;
		}
	return -ENODEV;
}

int
rte_xdp_dev_register(uint16_t port_id, rte_xdp_xmit_t xmit, void *ctx,
	uint16_t tx_queue)
{
	uint32_t ifindex = rte_xdp_port_ifindex(port_id);
	struct xdp_dev *d;
	uint16_t p;

	if (ifindex == 0)
		return -ENODEV;
	rte_spinlock_lock(&xdp_devs_lock);
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (p != port_id && xdp_devs[p].registered &&
		    xdp_devs[p].ifindex == ifindex) {
			rte_spinlock_unlock(&xdp_devs_lock);
			XDPC_LOG(ERR, "port %u: ifindex %u already belongs to port %u",
				port_id, ifindex, p);
			return -EEXIST;
		}
	d = &xdp_devs[port_id];
	rte_spinlock_init(&d->lock);
	d->ifindex = ifindex;
	d->xmit = xmit;
	d->ctx = ctx;
	d->tx_queue = tx_queue;
	d->xmit_errors = 0;
	__atomic_store_n(&d->registered, true, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&xdp_devs_lock);
	return 0;
}

void
rte_xdp_dev_unregister(uint16_t port_id)
{
	if (port_id >= RTE_MAX_ETHPORTS)
		return;
	rte_spinlock_lock(&xdp_devs_lock);
	__atomic_store_n(&xdp_devs[port_id].registered, false, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&xdp_devs_lock);
}

int
rte_xdp_dev_ifindex(uint16_t port_id, uint32_t *ifindex)
{
	if (port_id >= RTE_MAX_ETHPORTS ||
	    !__atomic_load_n(&xdp_devs[port_id].registered, __ATOMIC_ACQUIRE))
		return -ENODEV;
	*ifindex = xdp_devs[port_id].ifindex;
	return 0;
}

uint64_t
rte_xdp_dev_xmit_errors(uint16_t port_id)
{
	if (port_id >= RTE_MAX_ETHPORTS)
		return 0;
	return __atomic_load_n(&xdp_devs[port_id].xmit_errors, __ATOMIC_RELAXED);
}

void
rte_xdp_frame_release(const struct rte_xdp_mem_info *mem, struct rte_mbuf *m)
{
	if (mem->type != RTE_XDP_MEM_TYPE_PAGE_POOL)
		return;
	for (; m != NULL; m = m->next)
		rte_xdp_page_pool_release_page_mt(mem->page_pool, m);
}

/* A port that is not XDP-aware: ordinary mbufs through its TX queue. */
static uint16_t
generic_xmit(struct xdp_dev *d, uint16_t port_id, struct rte_mbuf **frames,
	const struct rte_xdp_mem_info **mem, uint16_t n)
{
	uint16_t i, sent;

	for (i = 0; i < n; i++)
		rte_xdp_frame_release(mem[i], frames[i]);
	rte_spinlock_lock(&d->lock);
	sent = rte_eth_tx_burst(port_id, d->tx_queue, frames, n);
	rte_spinlock_unlock(&d->lock);
	if (sent < n) {
		__atomic_fetch_add(&d->xmit_errors, n - sent, __ATOMIC_RELAXED);
		rte_pktmbuf_free_bulk(frames + sent, n - sent);
	}
	return n;	/* nothing left for the caller to give back */
}

int
rte_xdp_prog_handle(struct rte_xdp_prog *prog, uint32_t *handle)
{
	uint32_t i, free_slot = 0;

	if (prog == NULL || handle == NULL)
		return -EINVAL;
	rte_spinlock_lock(&xdp_devs_lock);
	for (i = 1; i < XDP_PROG_HANDLES; i++) {
		if (prog_handles[i] == prog) {
			rte_spinlock_unlock(&xdp_devs_lock);
			*handle = i;
			return 0;
		}
		if (free_slot == 0 && prog_handles[i] == NULL)
			free_slot = i;
	}
	if (free_slot != 0)
		__atomic_store_n(&prog_handles[free_slot], prog,
			__ATOMIC_RELEASE);
	rte_spinlock_unlock(&xdp_devs_lock);
	if (free_slot == 0)
		return -ENOSPC;
	*handle = free_slot;
	return 0;
}

void
rte_xdp_prog_handle_release(uint32_t handle)
{
	if (handle != 0 && handle < XDP_PROG_HANDLES)
		__atomic_store_n(&prog_handles[handle], NULL, __ATOMIC_RELEASE);
}

struct rte_xdp_prog *
xdpc_prog_from_handle(uint32_t handle)
{
	if (handle == 0 || handle >= XDP_PROG_HANDLES)
		return NULL;
	return __atomic_load_n(&prog_handles[handle], __ATOMIC_ACQUIRE);
}

/* ndo_xdp_xmit of a registered port, or the generic transmit. */
uint16_t
xdpc_dev_xmit(uint16_t port_id, struct rte_mbuf **frames,
	const struct rte_xdp_mem_info **mem, uint16_t n)
{
	struct xdp_dev *d = &xdp_devs[port_id];

	if (!__atomic_load_n(&d->registered, __ATOMIC_ACQUIRE))
		return 0;
	if (d->xmit != NULL)
		return d->xmit(d->ctx, frames, mem, n);
	return generic_xmit(d, port_id, frames, mem, n);
}

/*
 * A devmap entry's own program (SEC("xdp/devmap")) on frames bound for it,
 * as the kernel's dev_map_bpf_prog_run(): PASS frames stay, the others
 * are given back. Runs over groups of frames sharing a memory model.
 */
static void
devmap_egress(struct bulk_queue *bq, struct rte_xdp_prog *prog)
{
	uint32_t act[XDP_BULK_SIZE];
	struct rte_xdp_rxq_info rxq;
	uint32_t ifindex = 0, in_ifindex;
	uint16_t i, j, k, keep = 0;

	rte_xdp_dev_ifindex(bq->target, &ifindex);
	for (i = 0; i < bq->count; i = j) {
		for (j = i + 1; j < bq->count && bq->mem[j] == bq->mem[i] &&
		     bq->frames[j]->port == bq->frames[i]->port; j++)
			;
		in_ifindex = 0;
		rte_xdp_dev_ifindex(bq->frames[i]->port, &in_ifindex);
		rte_xdp_rxq_info_reg(&rxq, bq->frames[i]->port, in_ifindex, 0,
			bq->frames[i]->buf_len);
		rxq.mem = *bq->mem[i];
		rte_xdp_prog_run_burst_egress(prog, &rxq, ifindex,
			&bq->frames[i], j - i, &act[i], NULL);
		for (k = i; k < j; k++) {
			if (act[k] == RTE_XDP_PASS) {
				bq->frames[keep] = bq->frames[k];
				bq->mem[keep++] = bq->mem[k];
			} else {
				rte_xdp_return_frame(bq->mem[k], bq->frames[k], 0);
			}
		}
	}
	bq->count = keep;
}

static void
bulk_flush(struct bulk_queue *bq)
{
	struct rte_xdp_prog *prog;
	uint16_t sent, i;

	if (bq->kind == BULK_DEV && bq->prog != 0) {
		prog = xdpc_prog_from_handle(bq->prog);
		if (prog != NULL)
			devmap_egress(bq, prog);
	}
	if (bq->count == 0)
		return;
	if (bq->kind == BULK_CPU)
		sent = xdpc_cpumap_enqueue(bq->target, bq->entry, bq->frames,
			bq->mem, bq->count);
	else
		sent = xdpc_dev_xmit(bq->target, bq->frames, bq->mem,
			bq->count);
	/* What the target did not take goes back where it came from. */
	for (i = sent; i < bq->count; i++)
		rte_xdp_return_frame(bq->mem[i], bq->frames[i], 0);
	bq->count = 0;
}

void
rte_xdp_do_flush(void)
{
	struct flush_list *fl = RTE_PER_LCORE(xdp_flush_list);
	uint16_t i;

	if (fl == NULL)
		return;
	for (i = 0; i < fl->nb_queues; i++)
		bulk_flush(&fl->q[i]);
	fl->nb_queues = 0;
}

/* The thread's flush list, made at its first redirect. */
static inline struct flush_list *
flush_list_get(void)
{
	struct flush_list *fl = RTE_PER_LCORE(xdp_flush_list);

	return likely(fl != NULL) ? fl : flush_list_new();
}

/* bq_enqueue(): the frame onto its target's bulk queue, a few stores. */
static __rte_always_inline int
enqueue(struct flush_list *fl, enum bulk_kind kind, uint32_t target,
	uint32_t prog, const void *entry, struct rte_mbuf *m,
	const struct rte_xdp_mem_info *mem)
{
	struct bulk_queue *bq = NULL;
	uint16_t i;

	for (i = 0; i < fl->nb_queues; i++)
		if (fl->q[i].target == target && fl->q[i].kind == kind &&
		    fl->q[i].prog == prog) {
			bq = &fl->q[i];
			break;
		}
	if (bq == NULL) {
		if (fl->nb_queues == XDP_BULK_QUEUES)
			rte_xdp_do_flush();
		bq = &fl->q[fl->nb_queues++];
		bq->kind = kind;
		bq->target = target;
		bq->prog = prog;
		bq->count = 0;
	}
	bq->entry = entry;
	bq->frames[bq->count] = m;
	bq->mem[bq->count] = mem;
	if (++bq->count == XDP_BULK_SIZE)
		bulk_flush(bq);
	return 0;
}

#define XDP_F_BROADCAST		(1u << 3)	/* BPF_F_BROADCAST */
#define XDP_F_EXCLUDE_INGRESS	(1u << 4)	/* BPF_F_EXCLUDE_INGRESS */

/* The kernel's struct bpf_devmap_val; a 4-byte value is the ifindex only. */
struct devmap_val {
	uint32_t ifindex;
	uint32_t prog;
};

/* A devmap value's target port and program handle, read in place. */
static inline int
devmap_target(struct flush_list *fl, const struct rte_xdp_map *map,
	const void *value, uint16_t *port_id, uint32_t *prog)
{
	uint32_t ifindex;

	memcpy(&ifindex, value, sizeof(ifindex));
	*prog = 0;
	if (map->def.value_size >= sizeof(struct devmap_val))
		memcpy(prog, RTE_PTR_ADD(value,
			offsetof(struct devmap_val, prog)), sizeof(*prog));
	return target_port_cached(fl, ifindex, port_id);
}

/*
 * BPF_F_BROADCAST: a copy to every entry of the devmap (but the ingress
 * port with BPF_F_EXCLUDE_INGRESS), the last one gets the frame itself,
 * as dev_map_enqueue_multi() does.
 */
static __rte_noinline int
devmap_broadcast(struct flush_list *fl, struct rte_mbuf *m,
	const struct rte_xdp_redirect_info *ri,
	const struct rte_xdp_rxq_info *rxq)
{
	struct rte_xdp_map *map = ri->map;
	uint8_t key[64], next[64], val[64];
	uint16_t port, last_port = 0;
	uint32_t prog, last_prog = 0;
	const void *kp = NULL;
	bool have_last = false;
	struct rte_mbuf *copy;

	if (rte_xdp_map_def(map)->key_size > sizeof(key) ||
	    rte_xdp_map_def(map)->value_size > sizeof(val))
		return -EOPNOTSUPP;
	while (rte_xdp_map_get_next_key(map, kp, next) == 0) {
		memcpy(key, next, sizeof(key));
		kp = key;
		if (rte_xdp_map_lookup(map, key, val) != 0 ||
		    devmap_target(fl, map, val, &port, &prog) != 0)
			continue;
		if ((ri->flags & XDP_F_EXCLUDE_INGRESS) &&
		    port == rxq->port_id)
			continue;
		if (have_last) {
			/* The copy is an ordinary mbuf of the frame's pool. */
			copy = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
			if (copy != NULL)
				enqueue(fl, BULK_DEV, last_port, last_prog,
					NULL, copy, &shared_mem);
		}
		last_port = port;
		last_prog = prog;
		have_last = true;
	}
	if (!have_last)
		return -ENODEV;
	return enqueue(fl, BULK_DEV, last_port, last_prog, NULL, m,
		&rxq->mem);
}

int
rte_xdp_do_redirect(struct rte_mbuf *m, const struct rte_xdp_redirect_info *ri,
	const struct rte_xdp_rxq_info *rxq)
{
	struct flush_list *fl;
	uint32_t ifindex, prog;
	uint16_t port_id;

	if (ri->map_type == RTE_XDP_MAP_XSKMAP)
		return xdpc_xsk_rcv(ri->tgt_value, m, rxq);
	fl = flush_list_get();
	if (unlikely(fl == NULL))
		return -ENOMEM;
	switch (ri->map_type) {
	case RTE_XDP_MAP_DEVMAP:
	case RTE_XDP_MAP_DEVMAP_HASH:
		if (unlikely(ri->flags & XDP_F_BROADCAST))
			return devmap_broadcast(fl, m, ri, rxq);
		if (devmap_target(fl, ri->map, ri->tgt_value, &port_id,
				&prog) != 0)
			return -ENODEV;
		return enqueue(fl, BULK_DEV, port_id, prog, NULL, m,
			&rxq->mem);
	case RTE_XDP_MAP_CPUMAP:
		return enqueue(fl, BULK_CPU, ri->ifindex, 0, ri->tgt_value, m,
			&rxq->mem);
	case 0:			/* bpf_redirect(ifindex) */
		ifindex = ri->ifindex;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (target_port_cached(fl, ifindex, &port_id) != 0)
		return -ENODEV;
	return enqueue(fl, BULK_DEV, port_id, 0, NULL, m, &rxq->mem);
}
