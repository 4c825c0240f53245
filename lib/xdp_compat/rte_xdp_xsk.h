/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_XSK_H
#define RTE_XDP_XSK_H

/**
 * @file
 * BPF_MAP_TYPE_XSKMAP targets: application sockets, the analogue of AF_XDP
 * sockets in copy mode. A socket is bound to one port and RX queue and
 * owns its buffers (a mempool: the UMEM). A frame redirected to it through
 * an XSKMAP entry (value: rte_xdp_xsk_handle()) from that port and queue
 * is copied into one of its buffers and put on its RX ring; from any other
 * queue the redirect fails, as in the kernel. Frames the application sends
 * with rte_xdp_xsk_tx_burst() go out through the bound port with memory
 * model MEM_TYPE_XSK_BUFF_POOL and come back to the socket's mempool.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_xdp_xsk;

struct rte_xdp_xsk_conf {
	uint16_t port_id;
	uint16_t queue_id;	/**< RX queue the socket is bound to */
	uint32_t ring_size;	/**< RX ring, frames */
	struct rte_mempool *umem; /**< the socket's buffers */
};

/** NULL with rte_errno set on bad configuration or no memory. */
struct rte_xdp_xsk *rte_xdp_xsk_create(const struct rte_xdp_xsk_conf *conf);

/** Frames still on the RX ring are freed. */
void rte_xdp_xsk_destroy(struct rte_xdp_xsk *xsk);

/** The value to put in an XSKMAP entry for this socket. */
uint32_t rte_xdp_xsk_handle(const struct rte_xdp_xsk *xsk);

/** Frames received (mbufs of the socket's mempool, the caller's). */
uint16_t rte_xdp_xsk_rx_burst(struct rte_xdp_xsk *xsk, struct rte_mbuf **pkts,
	uint16_t n);

/** Send frames of the socket's mempool through the bound port. */
uint16_t rte_xdp_xsk_tx_burst(struct rte_xdp_xsk *xsk, struct rte_mbuf **pkts,
	uint16_t n);

struct rte_xdp_xsk_stats {
	uint64_t rx;		/**< frames put on the RX ring */
	uint64_t rx_dropped;	/**< ring full or no buffer */
	uint64_t tx;
};

int rte_xdp_xsk_stats(const struct rte_xdp_xsk *xsk,
	struct rte_xdp_xsk_stats *st);

#ifdef __cplusplus
}
#endif

#endif
