/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_GENERIC_H
#define RTE_XDP_GENERIC_H

/**
 * @file
 * Generic XDP: an XDP program on any ethdev port and RX queue, the
 * analogue of the kernel's generic (skb) mode, netif_receive_generic_xdp().
 *
 * The hook. By default rte_xdp_generic_attach() installs an ethdev RX
 * callback (rte_eth_add_rx_callback()): the program runs over every burst
 * that rte_eth_rx_burst() returns on that queue, before the application
 * sees it, and rte_eth_rx_burst() returns only the frames the program
 * passed. This is what the kernel's generic hook is: the application
 * (the stack) is unchanged and does not know a program runs. An
 * application that gets its frames some other way (a pipeline stage, a
 * ring from another lcore) attaches with RTE_XDP_GENERIC_F_EXPLICIT and
 * calls rte_xdp_generic_run() on each burst itself; both paths are the
 * same code. The callback stays installed (and costs one load per burst)
 * after a detach: an ethdev callback cannot be freed while an lcore may be
 * inside rte_eth_rx_burst(), so it is reused by the next attach and freed
 * when the port is released (RTE_ETH_EVENT_DESTROY).
 *
 * Verdicts, per burst, as in a driver's NAPI poll:
 *  - XDP_PASS: the frame goes on to the application (data_off, length and
 *    metadata as the program left them);
 *  - XDP_DROP, XDP_ABORTED, invalid verdicts: freed in bulk
 *    (rx_xdp_drop; the last two also rx_xdp_aborted);
 *  - XDP_TX: out through rte_eth_tx_burst() on the TX queue designated
 *    for the RX queue (rte_xdp_generic_conf.tx_queue), once per burst;
 *    what the queue does not take is freed (rx_xdp_tx_errors);
 *  - XDP_REDIRECT: rte_xdp_do_redirect() then rte_xdp_do_flush() at the
 *    end of the burst (rx_xdp_redirect, rx_xdp_redirect_errors).
 * Memory model: RTE_XDP_MEM_TYPE_PAGE_SHARED (ordinary refcounted mbufs).
 *
 * Headroom and the copy. The kernel's generic XDP gives every program a
 * private, linear frame with XDP_PACKET_HEADROOM (256) bytes before the
 * data: a frame whose skb is cloned, non-linear or has less headroom is
 * first reallocated (pskb_expand_head, skb_linearize) and dropped if that
 * fails. Here the same rule applies per mbuf: a frame is copied into a new
 * mbuf with RTE_XDP_PACKET_HEADROOM bytes of headroom when
 *  - it has less headroom than rte_xdp_generic_conf.headroom (default
 *    RTE_XDP_PACKET_HEADROOM; most PMDs give RTE_PKTMBUF_HEADROOM, 128),
 *  - it is indirect or shared (refcount > 1): the program may write it,
 *  - it has several segments (the copy is linear), or
 *  - its buffer holds less than the program's pkt_window bytes from the
 *    data on (rte_xdp_prog_run_burst() would ABORT it);
 * the original mbuf is freed. Copies come from rte_xdp_generic_conf.copy_pool
 * or from a pool the layer creates per port. A frame that does not fit a
 * copy buffer, or for which no buffer is left, is dropped
 * (rx_xdp_copy_errors), as the kernel drops it. The runtime itself never
 * lets a program touch bytes outside the mbuf's buffer
 * (bpf_xdp_adjust_head() stops 40 bytes after buf_addr plus the metadata):
 * the copy is only there to give programs the headroom the kernel
 * guarantees. An application whose programs never move the head can set
 * headroom to 1 to avoid copies (0 selects the default).
 *
 * Threading. An RX queue is polled by one lcore at a time (the ethdev
 * rule); the XDP_TX queue is used from that lcore, under tx_lock if one is
 * given (so the application may share the queue from other lcores under
 * the same lock). Frames other lcores redirect to this port go out on
 * redirect_tx_queue under the redirect layer's lock: give it a queue of
 * its own when programs on other lcores redirect here. Attach, replace and
 * detach may be called from any lcore while traffic runs: replacing is an
 * atomic swap, and when a call returns no lcore runs the previous program
 * any more, so its object may be closed.
 *
 * Counters carry the names of the native driver's (the kernel mvneta
 * driver's ethtool -S names); telemetry: /xdp/list, /xdp/info,<port>.
 */

#include <stdint.h>

#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "rte_xdp_prog.h"

#ifdef __cplusplus
extern "C" {
#endif

/** No RX callback: the application calls rte_xdp_generic_run(). */
#define RTE_XDP_GENERIC_F_EXPLICIT	(1u << 0)
/** Do not make the port a redirect target (rte_xdp_dev_register()). */
#define RTE_XDP_GENERIC_F_NO_TARGET	(1u << 1)

/** The default choice of tx_queue or redirect_tx_queue (see there). */
#define RTE_XDP_GENERIC_QUEUE_DEFAULT	UINT16_MAX

/**
 * Set-up of a queue's hook. A NULL conf means: tx_queue and
 * redirect_tx_queue DEFAULT, no lock, headroom 256, the port's own copy
 * pool. (A zeroed struct means TX queue 0 for both.) The port goes by its
 * ifindex, rte_xdp_port_ifindex() (rte_xdp_redirect.h).
 */
struct rte_xdp_generic_conf {
	uint32_t flags;		/**< RTE_XDP_GENERIC_F_* */
	/** XDP_TX queue (DEFAULT: the TX queue of the RX queue's index). */
	uint16_t tx_queue;
	/**
	 * TX queue for frames redirected to this port, used under the
	 * redirect layer's lock (DEFAULT: the port's last TX queue). Only
	 * used when the port is not a redirect target yet.
	 */
	uint16_t redirect_tx_queue;
	/** Taken around XDP_TX's rte_eth_tx_burst(); NULL: none. */
	rte_spinlock_t *tx_lock;
	/** Frames with less headroom are copied; 0: RTE_XDP_PACKET_HEADROOM. */
	uint16_t headroom;
	/** Buffers for the copies; NULL: one pool per port, made here. */
	struct rte_mempool *copy_pool;
};

/**
 * Attach a program to an RX queue of a configured port, or replace the
 * one attached (atomically, no frame lost). conf NULL: defaults (a
 * replacement keeps the queue's configuration). The caller keeps prog's
 * object open while it is attached.
 *
 * @return 0; -ENODEV: no such port; -EINVAL: no such RX or TX queue, or
 *   prog not an XDP receive program; -ENOMEM; or the error of
 *   rte_eth_add_rx_callback() / rte_xdp_dev_register() (-EEXIST: the
 *   ifindex belongs to another port).
 */
int rte_xdp_generic_attach(uint16_t port_id, uint16_t queue_id,
	struct rte_xdp_prog *prog, const struct rte_xdp_generic_conf *conf);

/**
 * Detach the queue's program. When it returns no lcore runs the program
 * any more. The last detach on a port unregisters it as a redirect target
 * if attach registered it.
 *
 * @return 0; -ENODEV: no such port; -ENOENT: no program attached.
 */
int rte_xdp_generic_detach(uint16_t port_id, uint16_t queue_id);

/** The program attached to a queue, NULL if none. */
struct rte_xdp_prog *rte_xdp_generic_prog_get(uint16_t port_id,
	uint16_t queue_id);

/**
 * Run the queue's program over a burst (RTE_XDP_GENERIC_F_EXPLICIT), with
 * the verdicts acted on as above. Frames the program passed are compacted
 * at the front of pkts (a frame may have been replaced by its copy);
 * returns their number. Without a program every frame passes.
 */
uint16_t rte_xdp_generic_run(uint16_t port_id, uint16_t queue_id,
	struct rte_mbuf **pkts, uint16_t n);

/** Counters of one queue, or of a port (summed over its queues). */
struct rte_xdp_generic_stats {
	uint64_t rx_xdp_packets;	/**< frames the hook took */
	uint64_t rx_xdp_bytes;
	uint64_t rx_xdp_pass;
	uint64_t rx_xdp_drop;		/**< DROP, ABORTED, invalid, copy errors */
	uint64_t rx_xdp_aborted;	/**< ABORTED and invalid verdicts */
	uint64_t rx_xdp_tx;
	uint64_t rx_xdp_tx_errors;
	uint64_t rx_xdp_redirect;
	uint64_t rx_xdp_redirect_errors;
	uint64_t rx_xdp_copy;		/**< frames copied for headroom */
	uint64_t rx_xdp_copy_errors;	/**< no copy buffer, or too long */
	uint64_t tx_xdp_xmit_errors;	/**< port: redirected here, not sent */
};

#define RTE_XDP_GENERIC_NB_STATS \
	(sizeof(struct rte_xdp_generic_stats) / sizeof(uint64_t))

/** Names of the fields of struct rte_xdp_generic_stats, in order. */
extern const char *const
rte_xdp_generic_stat_names[RTE_XDP_GENERIC_NB_STATS];

/** All queues of the port, for the stats calls. */
#define RTE_XDP_GENERIC_ALL_QUEUES	UINT16_MAX

/**
 * Read a queue's counters, or with RTE_XDP_GENERIC_ALL_QUEUES the port's
 * (including queues detached since the last reset). Any lcore, while
 * traffic runs. -ENODEV: port never had a program; -EINVAL: bad queue.
 */
int rte_xdp_generic_stats_get(uint16_t port_id, uint16_t queue_id,
	struct rte_xdp_generic_stats *stats);

/** Zero the counters of a queue or a port. */
int rte_xdp_generic_stats_reset(uint16_t port_id, uint16_t queue_id);

/** The port's ifindex: rte_xdp_port_ifindex(), under an older name. */
uint32_t rte_xdp_generic_ifindex(uint16_t port_id);


#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_GENERIC_H */
