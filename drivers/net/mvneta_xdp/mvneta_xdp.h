/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef MVNETA_XDP_H
#define MVNETA_XDP_H

#include <stdbool.h>
#include <stdint.h>

#include <ethdev_driver.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_spinlock.h>

#include "rte_xdp_page_pool.h"
#include "rte_xdp_prog.h"
#include "rte_xdp_rxq_info.h"
#include "neta_desc.h"
#include "neta_hw.h"

#define MVNETA_XDP_DRIVER_NAME	net_mvneta_xdp
#define MVNETA_XDP_RX_OFFSET	RTE_XDP_PACKET_HEADROOM
#define MVNETA_XDP_DEFAULT_RING	512

extern int mvneta_xdp_logtype;
#define MVNETA_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mvneta_xdp_logtype, \
		"mvneta_xdp: " fmt "\n", ##__VA_ARGS__)

/* Counters of one RX queue; the XDP ones carry the kernel's names. */
struct mvneta_xdp_rxq_stats {
	uint64_t packets;		/* frames received, XDP verdicts included */
	uint64_t bytes;
	uint64_t errors;	/* descriptors with the error summary bit */
	uint64_t nombuf;	/* refill failed: frame dropped */
	uint64_t xdp_redirect;
	uint64_t xdp_pass;
	uint64_t xdp_drop;
	uint64_t xdp_tx;
	uint64_t xdp_tx_bytes;
	uint64_t xdp_tx_err;
	uint64_t xdp_redirect_err;	/* target refused: buffer recycled */
	uint64_t xdp_aborted;		/* ABORTED or invalid verdicts */
};

struct mvneta_xdp_txq_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;	/* frames refused: no IO address, too many segs */
};

/*
 * A TX descriptor's buffer and how to give it back: mem NULL for mbufs
 * from tx_burst (rte_pktmbuf_free_seg), else an XDP frame returned by its
 * memory model (XDP_TX: the rxq's page pool; redirected in: the source's).
 */
struct mvneta_xdp_tx_buf {
	struct rte_mbuf *m;
	const struct rte_xdp_mem_info *mem;
};

struct mvneta_xdp_port;

struct mvneta_xdp_rxq {
	/* Data path. */
	struct neta_rx_desc *descs;
	struct rte_mbuf **bufs;		/* buffer posted at each descriptor */
	struct neta_hw *hw;
	struct rte_xdp_page_pool *pp;
	uint16_t size;
	uint16_t next_desc_to_proc;
	uint16_t queue_id;
	uint16_t port_id;
	bool csum;			/* L3/L4 status reported */
	struct rte_mbuf *pkt_first;	/* frame being gathered */
	struct rte_mbuf *pkt_last;
	struct mvneta_xdp_txq *xdp_tx;	/* this queue's XDP_TX ring */
	uint32_t burst_seq;		/* odd while in rx_burst */
	struct mvneta_xdp_rxq_stats stats;

	/* Control path. */
	struct mvneta_xdp_port *port;
	struct rte_mempool *mp;		/* the application's pool */
	uint32_t buf_size;		/* bytes per buffer after the offset */
	uint64_t offloads;
	struct rte_xdp_rxq_info xdp_rxq;
	int socket;
} __rte_cache_aligned;

struct mvneta_xdp_txq {
	struct neta_tx_desc *descs;
	struct mvneta_xdp_tx_buf *bufs;
	struct neta_hw *hw;
	uint16_t size;
	uint16_t put;		/* next descriptor to fill */
	uint16_t get;		/* oldest descriptor not yet reclaimed */
	uint16_t count;		/* descriptors in use */
	uint32_t burst_seq;	/* odd while in tx_burst */
	uint16_t queue_id;		/* hardware TX queue */
	uint16_t free_thresh;
	uint16_t pending;		/* XDP: filled, doorbell not rung */
	bool direct_return;		/* reclaimed on the owning RX lcore */
	bool no_iova_logged;		/* buffer without IO address refused */
	struct mvneta_xdp_txq_stats stats;

	struct mvneta_xdp_port *port;
	uint64_t offloads;
	int socket;
	rte_spinlock_t lock;		/* redirect-in ring: any lcore */
} __rte_cache_aligned;

/* Native XDP state of a port (mvneta_xdp_xdp.c). */
struct mvneta_xdp_xdp {
	struct rte_xdp_prog *prog;	/* read once per RX burst */
	struct rte_xdp_obj *own_obj;	/* opened from devargs */
	uint16_t tx_ring_size;		/* XDP_TX ring; 0: the RX ring's */
	uint32_t restarts;		/* program presence changes */
	uint32_t swaps;			/* replacements without a stop */
	/* One XDP_TX ring per RX queue, one ring for frames redirected in. */
	struct mvneta_xdp_txq *tx_ring[NETA_MAX_QUEUES];
	struct mvneta_xdp_txq *xmit_ring;
	/* Frames redirected to the port, under the xmit ring's lock. */
	struct {
		uint64_t xmit;
		uint64_t xmit_err;
		uint64_t bytes;
	} xmit_stats;
};

struct mvneta_xdp_port {
	struct neta_hw *hw;
	struct rte_eth_dev *dev;
	char name[RTE_DEV_NAME_MAX_LEN];
	uint32_t ifindex;		/* rte_xdp_port_ifindex(), for the rxqs */
	bool started;
	bool paused;			/* bursts return 0 (restart under way) */
	struct mvneta_xdp_xdp xdp;

	struct neta_hw_mib mib_base;	/* at the last stats reset */
};

/* rxtx.c */
struct mvneta_xdp_txq *mvneta_xdp_txq_alloc(struct mvneta_xdp_port *port,
		uint16_t hwq, uint16_t nb_desc, int socket);
void mvneta_xdp_txq_free(struct mvneta_xdp_txq *txq);
int mvneta_xdp_txq_put(struct mvneta_xdp_txq *txq, struct rte_mbuf *m,
		const struct rte_xdp_mem_info *mem);
uint16_t mvneta_xdp_txq_xmit_back(struct mvneta_xdp_txq *txq,
		struct rte_mbuf **frames, uint16_t n,
		const struct rte_xdp_mem_info *mem, uint64_t *bytes);
uint16_t mvneta_xdp_txq_xmit(struct mvneta_xdp_txq *txq,
		struct rte_mbuf **frames, uint16_t n,
		const struct rte_xdp_mem_info **mem, uint64_t *bytes);
void mvneta_xdp_txq_flush(struct mvneta_xdp_txq *txq);
uint16_t mvneta_xdp_rx_burst(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t mvneta_xdp_tx_burst(void *txq, struct rte_mbuf **pkts, uint16_t n);
int mvneta_xdp_rxq_start(struct mvneta_xdp_rxq *rxq);
void mvneta_xdp_rxq_stop(struct mvneta_xdp_rxq *rxq);
int mvneta_xdp_txq_start(struct mvneta_xdp_txq *txq);
void mvneta_xdp_txq_stop(struct mvneta_xdp_txq *txq);
int mvneta_xdp_tx_done_cleanup(void *txq, uint32_t free_cnt);
uint32_t mvneta_xdp_txq_in_use(const struct mvneta_xdp_txq *txq);

/* xdp.c: native XDP. */
#define MVNETA_XDP_XMIT_HWQ	(NETA_MAX_QUEUES - 1)	/* redirect-in ring */
uint16_t mvneta_xdp_run(struct mvneta_xdp_rxq *rxq, struct rte_xdp_prog *prog,
		struct rte_mbuf **pkts, uint16_t n);
int mvneta_xdp_rings_start(struct rte_eth_dev *dev);
void mvneta_xdp_rings_stop(struct rte_eth_dev *dev);
int mvneta_xdp_setup(struct rte_eth_dev *dev, struct rte_xdp_prog *prog);
int mvneta_xdp_attach_devargs(struct rte_eth_dev *dev, const char *path,
		const char *sec, const char *verify);
void mvneta_xdp_release(struct rte_eth_dev *dev);
int mvneta_xdp_check_mtu(struct rte_eth_dev *dev,
		const struct rte_xdp_prog *prog, uint16_t mtu);
void mvneta_xdp_quiesce(struct rte_eth_dev *dev);
int mvneta_xdp_register(struct rte_eth_dev *dev);

/*
 * dma.c: a descriptor takes its buffer's own IO address, all 64 bits;
 * what no address can reach is a buffer without one (RTE_BAD_IOVA).
 */
int mvneta_xdp_dma_check_pool(const struct mvneta_xdp_port *port,
		const struct rte_mempool *mp);
void mvneta_xdp_dma_refused(struct mvneta_xdp_txq *txq,
		const struct rte_mbuf *seg);

#endif /* MVNETA_XDP_H */
