/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_RXQ_INFO_H
#define RTE_XDP_RXQ_INFO_H

/**
 * @file
 * xdp_rxq_info: what an RX queue tells its XDP programs and how a frame
 * received on it is given back (its memory model), as in the kernel.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "rte_xdp_page_pool.h"

#ifdef __cplusplus
extern "C" {
#endif

enum rte_xdp_mem_type {
	RTE_XDP_MEM_TYPE_PAGE_SHARED = 0, /**< refcounted mbufs (generic) */
	RTE_XDP_MEM_TYPE_PAGE_ORDER0,
	RTE_XDP_MEM_TYPE_PAGE_POOL,	   /**< native: rte_xdp_page_pool */
	RTE_XDP_MEM_TYPE_XSK_BUFF_POOL,	   /**< application-owned buffers */
	RTE_XDP_MEM_TYPE_MAX,
};

/** Returns an application-owned (XSK) buffer. */
typedef void (*rte_xdp_xsk_free_t)(struct rte_mbuf *m, void *arg);

struct rte_xdp_mem_info {
	enum rte_xdp_mem_type type;
	union {
		struct rte_xdp_page_pool *page_pool;
		struct {
			rte_xdp_xsk_free_t free;
			void *arg;
		} xsk;
	};
};

struct rte_xdp_rxq_info {
	uint32_t ifindex;	/**< ingress_ifindex seen by programs */
	uint16_t port_id;
	uint16_t queue_index;	/**< rx_queue_index seen by programs */
	uint32_t frag_size;	/**< frame_sz of one buffer */
	uint32_t reg_state;
	struct rte_xdp_mem_info mem;
};

/** Register a queue (memory model PAGE_SHARED until told otherwise). */
int rte_xdp_rxq_info_reg(struct rte_xdp_rxq_info *rxq, uint16_t port_id,
		uint32_t ifindex, uint16_t queue_index, uint32_t frag_size);

/** Set the memory model; allocator: page pool, or NULL for the others. */
int rte_xdp_rxq_info_reg_mem_model(struct rte_xdp_rxq_info *rxq,
		enum rte_xdp_mem_type type, void *allocator);

void rte_xdp_rxq_info_unreg(struct rte_xdp_rxq_info *rxq);

int rte_xdp_rxq_info_is_reg(const struct rte_xdp_rxq_info *rxq);

/**
 * Give a frame received under *mem back to its owner, all segments.
 * napi_direct: called on the RX queue's own lcore (page pool cache).
 */
void rte_xdp_return_frame(const struct rte_xdp_mem_info *mem,
		struct rte_mbuf *m, int napi_direct);

#ifdef __cplusplus
}
#endif

#endif
