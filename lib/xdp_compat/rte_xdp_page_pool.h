/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_PAGE_POOL_H
#define RTE_XDP_PAGE_POOL_H

/**
 * @file
 * page_pool on rte_mempool: the kernel's RX buffer recycling model.
 *
 * A page pool serves one RX queue. Buffers (mbufs) come from a backing
 * rte_mempool, the "page allocator". The pool keeps a small alloc cache
 * used only by the queue's polling lcore (the kernel's NAPI context) and a
 * multi-producer ring for buffers returned from elsewhere; a buffer dropped
 * by the queue's own lcore goes straight back to the cache
 * (recycle_direct). A buffer that leaves the pool as a PASSed mbuf is
 * released: freeing it returns it to the backing mempool.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_compat.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTE_XDP_PACKET_HEADROOM 256

/* Kernel flag values, same meaning. */
#define RTE_XDP_PP_FLAG_DMA_MAP		(1u << 0)
#define RTE_XDP_PP_FLAG_DMA_SYNC_DEV	(1u << 1)
#define RTE_XDP_PP_FLAG_ALL \
	(RTE_XDP_PP_FLAG_DMA_MAP | RTE_XDP_PP_FLAG_DMA_SYNC_DEV)

#define RTE_XDP_PP_ALLOC_CACHE_SIZE	128
#define RTE_XDP_PP_ALLOC_CACHE_REFILL	64

#define RTE_XDP_NUMA_NO_NODE	(-1)

enum rte_xdp_dma_dir {
	RTE_XDP_DMA_BIDIRECTIONAL = 0,
	RTE_XDP_DMA_TO_DEVICE = 1,
	RTE_XDP_DMA_FROM_DEVICE = 2,
};

struct rte_xdp_page_pool_params {
	const char *name;	/**< unique; names the ring (and private pool) */
	unsigned int flags;	/**< RTE_XDP_PP_FLAG_* */
	unsigned int order;	/**< private pool: buffer of 4096 << order */
	unsigned int pool_size;	/**< ring capacity (the kernel's ptr_ring) */
	int nid;		/**< NUMA node (socket); RTE_XDP_NUMA_NO_NODE */
	enum rte_xdp_dma_dir dma_dir;
	unsigned int offset;	/**< where the device writes: data_off */
	unsigned int max_len;	/**< largest device write from offset */
	/**
	 * Backing "page allocator". NULL: the pool creates a private mempool
	 * of pool_size buffers of 4096 << order bytes and frees it on destroy.
	 */
	struct rte_mempool *mp;
};

/** The kernel's page_pool_stats, names as in ethtool -S (rx_pp_*). */
struct rte_xdp_page_pool_stats {
	uint64_t alloc_fast;		/**< from the alloc cache */
	uint64_t alloc_slow;		/**< from the backing mempool */
	uint64_t alloc_slow_high_order;	/**< slow path, order > 0 */
	uint64_t alloc_empty;		/**< ring empty, slow path forced */
	uint64_t alloc_refill;		/**< cache refilled from the ring */
	uint64_t alloc_waive;		/**< NUMA mismatch (never, kept for names) */
	uint64_t recycle_cached;	/**< recycled into the alloc cache */
	uint64_t recycle_cache_full;	/**< cache was full */
	uint64_t recycle_ring;		/**< recycled into the ring */
	uint64_t recycle_ring_full;	/**< ring full: back to the mempool */
	uint64_t recycle_released_refcnt; /**< shared mbuf: not recycled */
};

#define RTE_XDP_PAGE_POOL_NB_STATS \
	(sizeof(struct rte_xdp_page_pool_stats) / sizeof(uint64_t))

/** Names of the stats fields in order, for xstats. */
extern const char *const rte_xdp_page_pool_stat_names[RTE_XDP_PAGE_POOL_NB_STATS];

struct rte_xdp_page_pool;

/** Create a pool. Returns NULL with rte_errno set (EINVAL, ENOMEM, EEXIST). */
struct rte_xdp_page_pool *
rte_xdp_page_pool_create(const struct rte_xdp_page_pool_params *params);

/**
 * Destroy a pool: the cache and the ring go back to the backing mempool.
 * Returns the number of buffers still in flight (held by a device ring,
 * a TX queue or the application as unreleased pages); the caller must have
 * returned the ones it owns first. A private mempool is only freed when
 * nothing is in flight; otherwise it is kept and the count logged.
 */
int rte_xdp_page_pool_destroy(struct rte_xdp_page_pool *pp);

/** Allocate one buffer with data_off = offset. Owning lcore only. */
struct rte_mbuf *rte_xdp_page_pool_alloc(struct rte_xdp_page_pool *pp);

/** Return a buffer from the owning lcore (XDP_DROP in the RX loop). */
void rte_xdp_page_pool_recycle_direct(struct rte_xdp_page_pool *pp,
		struct rte_mbuf *m);

/**
 * Return n buffers from any lcore (page_pool_put_page_bulk() without
 * allow_direct): each reset as rte_xdp_page_pool_put_page() does, all
 * onto the pool's ring at once; a buffer still referenced elsewhere
 * leaves the pool, those the full ring has no room for go back to the
 * mempool, as they would one at a time. The array m is reused: its
 * order is not kept.
 */
__rte_experimental
void rte_xdp_page_pool_put_page_bulk(struct rte_xdp_page_pool *pp,
		struct rte_mbuf **m, unsigned int n);

/**
 * Return n buffers from the owning lcore, as frames its RX queue received
 * and its program dropped (XDP_DROP): one-buffer frames that nothing but
 * the RX path and the program touched since they left the pool. They
 * go straight to the cache (what the RX path does not rewrite is reset:
 * data_off, the offload flags, the packet type, the metadata length);
 * a buffer still referenced elsewhere, or one the full cache has no room
 * for, takes rte_xdp_page_pool_put_page()'s way.
 */
__rte_experimental
void rte_xdp_page_pool_recycle_direct_bulk(struct rte_xdp_page_pool *pp,
		struct rte_mbuf **m, unsigned int n);

/**
 * Return a buffer. allow_direct only from the owning lcore. dma_sync_size
 * is how much the device may have written (kept for the kernel's API; no
 * DMA mapping exists here).
 */
void rte_xdp_page_pool_put_page(struct rte_xdp_page_pool *pp,
		struct rte_mbuf *m, unsigned int dma_sync_size,
		bool allow_direct);

/**
 * The buffer leaves the pool (PASSed up as an mbuf): it stops counting as
 * in flight; freeing it returns it to the backing mempool. Owning lcore.
 */
void rte_xdp_page_pool_release_page(struct rte_xdp_page_pool *pp,
		struct rte_mbuf *m);

/** Same as rte_xdp_page_pool_release_page(), from any lcore. */
void rte_xdp_page_pool_release_page_mt(struct rte_xdp_page_pool *pp,
		struct rte_mbuf *m);

/** Buffers handed out and not yet returned or released. */
uint32_t rte_xdp_page_pool_inflight(const struct rte_xdp_page_pool *pp);

/** Buffers taken from the backing mempool and not given back (in flight,
 * in the cache or in the ring). */
uint32_t rte_xdp_page_pool_held(const struct rte_xdp_page_pool *pp);

/** Add this pool's counters to *stats (the kernel's semantics). */
void rte_xdp_page_pool_get_stats(const struct rte_xdp_page_pool *pp,
		struct rte_xdp_page_pool_stats *stats);

/** Backing mempool (where released buffers go when freed). */
struct rte_mempool *
rte_xdp_page_pool_mempool(const struct rte_xdp_page_pool *pp);

#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_PAGE_POOL_H */
