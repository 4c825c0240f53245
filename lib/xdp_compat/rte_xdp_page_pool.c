/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * page_pool on rte_mempool. Fast path: the alloc cache, owned by the RX
 * queue's lcore, no atomics. Slow path (kept apart below): the ring that
 * other lcores return buffers to, and the backing mempool.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_spinlock.h>
#include <sys/queue.h>

#include "rte_xdp_page_pool.h"
#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

struct rte_xdp_page_pool {
	/* Owner (RX lcore) only. */
	struct {
		uint32_t count;
		struct rte_mbuf *cache[RTE_XDP_PP_ALLOC_CACHE_SIZE];
	} alloc;
	uint64_t hold_cnt;		/* taken from the backing mempool */
	uint64_t release_direct_cnt;	/* released as PASSed mbufs */
	struct rte_xdp_page_pool_stats stats; /* alloc_* and direct recycles */

	/* Any lcore. */
	struct rte_ring *ring;
	uint64_t release_cnt;		/* given back to the mempool (atomic) */
	uint64_t recycle_ring;		/* atomic */
	uint64_t recycle_ring_full;	/* atomic */
	uint64_t recycle_released_refcnt; /* atomic */

	struct rte_xdp_page_pool_params p;
	struct rte_mempool *mp;
	bool own_mp;
	bool dying;			/* destroyed with buffers out (atomic) */
	TAILQ_ENTRY(rte_xdp_page_pool) next;	/* on the dying list */
	char name[RTE_RING_NAMESIZE];
};

/*
 * Pools destroyed while buffers were still out (a frame on another port's
 * TX ring): kept until those come back, like the kernel's deferred
 * page_pool release, and reaped on later create/destroy calls.
 */
static TAILQ_HEAD(, rte_xdp_page_pool) dying_pools =
	TAILQ_HEAD_INITIALIZER(dying_pools);
static rte_spinlock_t dying_lock = RTE_SPINLOCK_INITIALIZER;
static uint32_t pp_serial;

const char *const rte_xdp_page_pool_stat_names[RTE_XDP_PAGE_POOL_NB_STATS] = {
	"rx_pp_alloc_fast", "rx_pp_alloc_slow", "rx_pp_alloc_slow_ho",
	"rx_pp_alloc_empty", "rx_pp_alloc_refill", "rx_pp_alloc_waive",
	"rx_pp_recycle_cached", "rx_pp_recycle_cache_full",
	"rx_pp_recycle_ring", "rx_pp_recycle_ring_full",
	"rx_pp_recycle_released_ref",
};

#define PP_PAGE_SIZE 4096u

/* No metadata on a buffer back in the pool (rte_pktmbuf_reset() keeps
 * dynamic fields). */
static inline void
pp_meta_clear(struct rte_mbuf *m, int meta_off)
{
	if (meta_off >= 0)
		*RTE_MBUF_DYNFIELD(m, meta_off, uint32_t *) = 0;
}

static inline void
pp_reset(const struct rte_xdp_page_pool *pp, struct rte_mbuf *m)
{
	rte_pktmbuf_reset(m);
	m->data_off = pp->p.offset;
	pp_meta_clear(m, __atomic_load_n(&xdpc_meta_len_off,
		__ATOMIC_RELAXED));
}

static void pp_reap(void);

struct rte_xdp_page_pool *
rte_xdp_page_pool_create(const struct rte_xdp_page_pool_params *params)
{
	struct rte_xdp_page_pool *pp;
	int socket;
	unsigned int ring_size;

	if (params == NULL || params->name == NULL || params->pool_size == 0 ||
	    (params->flags & ~RTE_XDP_PP_FLAG_ALL) != 0 ||
	    params->order > 4 ||
	    params->dma_dir > RTE_XDP_DMA_FROM_DEVICE) {
		rte_errno = EINVAL;
		return NULL;
	}
	/* The kernel refuses DMA_SYNC_DEV without a max_len to sync. */
	if ((params->flags & RTE_XDP_PP_FLAG_DMA_SYNC_DEV) &&
	    params->max_len == 0) {
		XDPC_LOG(ERR, "page_pool %s: DMA_SYNC_DEV needs max_len",
			params->name);
		rte_errno = EINVAL;
		return NULL;
	}
	socket = params->nid == RTE_XDP_NUMA_NO_NODE ? SOCKET_ID_ANY :
		params->nid;
	pp_reap();

	pp = rte_zmalloc_socket("xdp_page_pool", sizeof(*pp),
		RTE_CACHE_LINE_SIZE, socket);
	if (pp == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	pp->p = *params;
	/* Unique: a pool of the same name may still be dying. */
	snprintf(pp->name, sizeof(pp->name), "pp%u_%s",
		__atomic_fetch_add(&pp_serial, 1, __ATOMIC_RELAXED),
		params->name);
	pp->p.name = pp->name;

	if (params->mp != NULL) {
		pp->mp = params->mp;
	} else {
		pp->mp = rte_pktmbuf_pool_create(pp->name, params->pool_size,
			0, 0, PP_PAGE_SIZE << params->order, socket);
		if (pp->mp == NULL)
			goto err;
		pp->own_mp = true;
	}
	if (rte_pktmbuf_data_room_size(pp->mp) <
	    params->offset + params->max_len) {
		XDPC_LOG(ERR,
			"page_pool %s: buffers of %u bytes cannot hold offset %u + max_len %u",
			params->name, rte_pktmbuf_data_room_size(pp->mp),
			params->offset, params->max_len);
		rte_errno = EINVAL;
		goto err;
	}

	ring_size = rte_align32pow2(params->pool_size + 1);
	pp->ring = rte_ring_create(pp->name, ring_size, socket, 0);
	if (pp->ring == NULL)
		goto err;
	return pp;
err:
	if (pp->own_mp)
		rte_mempool_free(pp->mp);
	rte_free(pp);
	return NULL;
}

/* Slow path: a buffer goes back to the backing mempool. */
static void
pp_return_to_mempool(struct rte_xdp_page_pool *pp, struct rte_mbuf **m,
		unsigned int n)
{
	if (n == 0)
		return;
	rte_mempool_put_bulk(pp->mp, (void **)m, n);
	__atomic_fetch_add(&pp->release_cnt, n, __ATOMIC_RELEASE);
}

uint32_t
rte_xdp_page_pool_inflight(const struct rte_xdp_page_pool *pp)
{
	return rte_xdp_page_pool_held(pp) - pp->alloc.count -
		rte_ring_count(pp->ring);
}

uint32_t
rte_xdp_page_pool_held(const struct rte_xdp_page_pool *pp)
{
	/* Acquire: a buffer's last access to *pp happens before its count
	 * (release), and before a dying pool is freed. */
	return (uint32_t)(pp->hold_cnt - pp->release_direct_cnt -
		__atomic_load_n(&pp->release_cnt, __ATOMIC_ACQUIRE));
}

static void
pp_free(struct rte_xdp_page_pool *pp)
{
	if (pp->own_mp)
		rte_mempool_free(pp->mp);
	rte_ring_free(pp->ring);
	rte_free(pp);
}

/* Give the ring's buffers back; true if nothing is out any more. */
static bool
pp_drain(struct rte_xdp_page_pool *pp)
{
	struct rte_mbuf *m[RTE_XDP_PP_ALLOC_CACHE_REFILL];
	unsigned int n;

	while ((n = rte_ring_dequeue_burst(pp->ring, (void **)m, RTE_DIM(m),
			NULL)) != 0)
		pp_return_to_mempool(pp, m, n);
	return rte_xdp_page_pool_held(pp) == 0;
}

static void
pp_reap(void)
{
	struct rte_xdp_page_pool *pp, *tmp;

	rte_spinlock_lock(&dying_lock);
	for (pp = TAILQ_FIRST(&dying_pools); pp != NULL; pp = tmp) {
		tmp = TAILQ_NEXT(pp, next);
		if (pp_drain(pp)) {
			TAILQ_REMOVE(&dying_pools, pp, next);
			pp_free(pp);
		}
	}
	rte_spinlock_unlock(&dying_lock);
}

int
rte_xdp_page_pool_destroy(struct rte_xdp_page_pool *pp)
{
	uint32_t inflight;

	if (pp == NULL)
		return 0;
	/* From now on returned buffers go straight to the mempool. */
	__atomic_store_n(&pp->dying, true, __ATOMIC_SEQ_CST);
	pp_return_to_mempool(pp, pp->alloc.cache, pp->alloc.count);
	pp->alloc.count = 0;
	if (pp_drain(pp)) {
		pp_free(pp);
	} else {
		inflight = rte_xdp_page_pool_held(pp);
		XDPC_LOG(INFO, "page_pool %s: %u buffers still out, freed when they return",
			pp->name, inflight);
		rte_spinlock_lock(&dying_lock);
		TAILQ_INSERT_TAIL(&dying_pools, pp, next);
		rte_spinlock_unlock(&dying_lock);
		pp_reap();
		return (int)inflight;
	}
	pp_reap();
	return 0;
}

/* Slow path: refill the cache from the ring, else from the mempool. */
static __rte_noinline struct rte_mbuf *
pp_alloc_slow(struct rte_xdp_page_pool *pp)
{
	struct rte_mbuf **cache = pp->alloc.cache;
	unsigned int n, i;

	n = rte_ring_mc_dequeue_burst(pp->ring, (void **)cache,
		RTE_XDP_PP_ALLOC_CACHE_REFILL, NULL);
	if (n != 0) {
		pp->stats.alloc_refill++;
	} else {
		pp->stats.alloc_empty++;
		n = RTE_XDP_PP_ALLOC_CACHE_REFILL;
		while (n != 0 && rte_mempool_get_bulk(pp->mp, (void **)cache,
				n) != 0)
			n /= 2;
		if (n == 0)
			return NULL;
		for (i = 0; i < n; i++) {
			rte_mbuf_refcnt_set(cache[i], 1);
			pp_reset(pp, cache[i]);
		}
		pp->hold_cnt += n;
		pp->stats.alloc_slow++;
		if (pp->p.order != 0)
			pp->stats.alloc_slow_high_order++;
	}
	pp->alloc.count = n - 1;
	return cache[n - 1];
}

struct rte_mbuf *
rte_xdp_page_pool_alloc(struct rte_xdp_page_pool *pp)
{
	if (likely(pp->alloc.count != 0)) {
		pp->stats.alloc_fast++;
		return pp->alloc.cache[--pp->alloc.count];
	}
	return pp_alloc_slow(pp);
}

/*
 * Slow path from any lcore. The last access to *pp is the one that makes
 * the buffer visible (ring enqueue, or the release count): after it a
 * dying pool may be freed.
 */
static __rte_noinline void
pp_recycle_ring(struct rte_xdp_page_pool *pp, struct rte_mbuf **m,
		unsigned int n)
{
	unsigned int queued;

	if (unlikely(__atomic_load_n(&pp->dying, __ATOMIC_ACQUIRE))) {
		pp_return_to_mempool(pp, m, n);
		return;
	}
	/* counted before the buffers are visible */
	__atomic_fetch_add(&pp->recycle_ring, n, __ATOMIC_RELAXED);
	queued = rte_ring_mp_enqueue_burst(pp->ring, (void **)m, n, NULL);
	if (unlikely(queued < n)) {
		__atomic_fetch_sub(&pp->recycle_ring, n - queued,
			__ATOMIC_RELAXED);
		__atomic_fetch_add(&pp->recycle_ring_full, n - queued,
			__ATOMIC_RELAXED);
		pp_return_to_mempool(pp, m + queued, n - queued);
	}
}

void
rte_xdp_page_pool_recycle_direct(struct rte_xdp_page_pool *pp,
		struct rte_mbuf *m)
{
	rte_xdp_page_pool_put_page(pp, m, UINT32_MAX, true);
}

void
rte_xdp_page_pool_put_page(struct rte_xdp_page_pool *pp, struct rte_mbuf *m,
		unsigned int dma_sync_size, bool allow_direct)
{
	RTE_SET_USED(dma_sync_size);

	/* Someone else still holds it: it leaves the pool. */
	if (unlikely(rte_mbuf_refcnt_read(m) != 1)) {
		__atomic_fetch_add(&pp->recycle_released_refcnt, 1,
			__ATOMIC_RELAXED);
		/* the last access to *pp: after the one above */
		__atomic_fetch_add(&pp->release_cnt, 1, __ATOMIC_RELEASE);
		rte_pktmbuf_free_seg(m);
		return;
	}
	pp_reset(pp, m);
	if (likely(allow_direct) && !__atomic_load_n(&pp->dying,
			__ATOMIC_RELAXED)) {
		if (likely(pp->alloc.count < RTE_XDP_PP_ALLOC_CACHE_SIZE)) {
			pp->alloc.cache[pp->alloc.count++] = m;
			pp->stats.recycle_cached++;
			return;
		}
		pp->stats.recycle_cache_full++;
	}
	pp_recycle_ring(pp, &m, 1);
}

void
rte_xdp_page_pool_recycle_direct_bulk(struct rte_xdp_page_pool *pp,
		struct rte_mbuf **m, unsigned int n)
{
	const int meta_off = __atomic_load_n(&xdpc_meta_len_off,
		__ATOMIC_RELAXED);
	uint32_t count = pp->alloc.count, cached = 0;
	unsigned int i;

	if (unlikely(__atomic_load_n(&pp->dying, __ATOMIC_RELAXED))) {
		for (i = 0; i < n; i++)
			rte_xdp_page_pool_put_page(pp, m[i], UINT32_MAX, false);
		return;
	}
	for (i = 0; i < n; i++) {
		struct rte_mbuf *b = m[i];

		if (unlikely(rte_mbuf_refcnt_read(b) != 1 ||
			     count == RTE_XDP_PP_ALLOC_CACHE_SIZE)) {
			pp->alloc.count = count;
			rte_xdp_page_pool_put_page(pp, b, UINT32_MAX, true);
			count = pp->alloc.count;
			continue;
		}
		/* the RX path rewrites data_len, pkt_len and port; next and
		 * nb_segs are those of a one-buffer frame */
		b->data_off = pp->p.offset;
		b->ol_flags &= RTE_MBUF_F_EXTERNAL;
		b->packet_type = 0;
		pp_meta_clear(b, meta_off);
		pp->alloc.cache[count++] = b;
		cached++;
	}
	pp->alloc.count = count;
	pp->stats.recycle_cached += cached;
}

void
rte_xdp_page_pool_put_page_bulk(struct rte_xdp_page_pool *pp,
		struct rte_mbuf **m, unsigned int n)
{
	unsigned int i, nb = 0;

	for (i = 0; i < n; i++) {
		if (unlikely(rte_mbuf_refcnt_read(m[i]) != 1)) {
			rte_xdp_page_pool_put_page(pp, m[i], UINT32_MAX, false);
			continue;
		}
		pp_reset(pp, m[i]);
		m[nb++] = m[i];
	}
	if (nb != 0)
		pp_recycle_ring(pp, m, nb);
}

void
rte_xdp_page_pool_release_page(struct rte_xdp_page_pool *pp,
		struct rte_mbuf *m)
{
	RTE_SET_USED(m);
	pp->release_direct_cnt++;
}

void
rte_xdp_page_pool_release_page_mt(struct rte_xdp_page_pool *pp,
		struct rte_mbuf *m)
{
	RTE_SET_USED(m);
	__atomic_fetch_add(&pp->release_cnt, 1, __ATOMIC_RELAXED);
}

void
rte_xdp_page_pool_get_stats(const struct rte_xdp_page_pool *pp,
		struct rte_xdp_page_pool_stats *s)
{
	const struct rte_xdp_page_pool_stats *a = &pp->stats;

	s->alloc_fast += a->alloc_fast;
	s->alloc_slow += a->alloc_slow;
	s->alloc_slow_high_order += a->alloc_slow_high_order;
	s->alloc_empty += a->alloc_empty;
	s->alloc_refill += a->alloc_refill;
	s->alloc_waive += a->alloc_waive;
	s->recycle_cached += a->recycle_cached;
	s->recycle_cache_full += a->recycle_cache_full;
	s->recycle_ring += __atomic_load_n(&pp->recycle_ring, __ATOMIC_RELAXED);
	s->recycle_ring_full += __atomic_load_n(&pp->recycle_ring_full,
		__ATOMIC_RELAXED);
	s->recycle_released_refcnt += __atomic_load_n(
		&pp->recycle_released_refcnt, __ATOMIC_RELAXED);
}

struct rte_mempool *
rte_xdp_page_pool_mempool(const struct rte_xdp_page_pool *pp)
{
	return pp->mp;
}
