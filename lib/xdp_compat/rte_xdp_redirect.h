/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_REDIRECT_H
#define RTE_XDP_REDIRECT_H

/**
 * @file
 * XDP_REDIRECT: where frames go once a program asked for a redirect, as in
 * the kernel's xdp_do_redirect() / xdp_do_flush(). Frames are queued per
 * lcore and target in bulk queues and transmitted when a queue fills or at
 * rte_xdp_do_flush(), which the RX loop calls once per burst.
 *
 * Targets:
 * - devmap, devmap_hash and bpf_redirect(ifindex): ethdev ports registered
 *   under their ifindex (rte_xdp_port_ifindex()). A port that
 *   registers an xmit function (the ndo_xdp_xmit analogue, e.g.
 *   net_mvneta_xdp) gets the frames with their memory model; any other
 *   port gets them through rte_eth_tx_burst() on the TX queue it
 *   registered, after the frames leave their memory model;
 * - cpumap: the rte_ring of a worker lcore (rte_xdp_cpumap.h);
 * - xskmap: an application socket bound to the frame's port and queue
 *   (rte_xdp_xsk.h).
 */

#include <stdint.h>

#include <rte_compat.h>

#include <rte_mbuf.h>

#include "rte_xdp_prog.h"
#include "rte_xdp_rxq_info.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Transmit n redirected frames (ndo_xdp_xmit). mem[i] is how frame i must
 * be given back once sent (rte_xdp_return_frame()). Returns how many were
 * taken; the caller gives back the others.
 */
typedef uint16_t (*rte_xdp_xmit_t)(void *ctx, struct rte_mbuf **frames,
	const struct rte_xdp_mem_info **mem, uint16_t n);

/** ifindex of a port that has no Linux interface: base + port id. */
#define RTE_XDP_IFINDEX_BASE	0x4e00u

/**
 * The ifindex a port goes by everywhere: in programs (ingress_ifindex,
 * egress_ifindex), for bpf_redirect() and devmap entries, in telemetry.
 * It is the port's Linux interface's (rte_eth_dev_info.if_index, e.g.
 * net_af_packet, net_tap, net_mvneta_xdp with iface=), else
 * RTE_XDP_IFINDEX_BASE + port id. Control path (asks the driver).
 *
 * @return the ifindex; 0 if there is no such port.
 */
__rte_experimental
uint32_t rte_xdp_port_ifindex(uint16_t port_id);

/**
 * The port that goes by ifindex (the inverse of rte_xdp_port_ifindex()).
 *
 * @return 0; -ENODEV if no port has it.
 */
int rte_xdp_ifindex_to_port(uint32_t ifindex, uint16_t *port_id);

/**
 * Make a port a redirect target under its ifindex
 * (rte_xdp_port_ifindex()). xmit NULL: frames go out with
 * rte_eth_tx_burst(port_id, tx_queue, ...) under a lock, so no other lcore
 * may use that TX queue.
 *
 * @return 0; -ENODEV: no such port; -EEXIST: another target has the
 *   ifindex.
 */
int rte_xdp_dev_register(uint16_t port_id, rte_xdp_xmit_t xmit, void *ctx,
	uint16_t tx_queue);

/** Stop redirecting to a port (frames to it then fail). */
void rte_xdp_dev_unregister(uint16_t port_id);

/**
 * ifindex of a registered redirect target (its rte_xdp_port_ifindex(),
 * read without asking the driver: any lcore); -ENODEV if not registered.
 */
int rte_xdp_dev_ifindex(uint16_t port_id, uint32_t *ifindex);

/** Frames a generic target could not send (freed), per port. */
uint64_t rte_xdp_dev_xmit_errors(uint16_t port_id);

/**
 * Queue a frame the program redirected (verdict REDIRECT, ri as filled by
 * rte_xdp_prog_run_burst()) on the queue rxq it was received on. On
 * success the frame belongs to the target; on error (-ENODEV: no such
 * target or entry, -EINVAL: an xsk bound elsewhere, -ENOSPC: target ring
 * full, -EOPNOTSUPP: map type not served) it is still the caller's.
 */
int rte_xdp_do_redirect(struct rte_mbuf *m,
	const struct rte_xdp_redirect_info *ri,
	const struct rte_xdp_rxq_info *rxq);

/**
 * The value that stands for a program in devmap and cpumap entries (where
 * the kernel takes a program fd): a small positive integer, stable until
 * released. Programs must be of the entry's kind (SEC("xdp/devmap"),
 * SEC("xdp/cpumap")).
 */
int rte_xdp_prog_handle(struct rte_xdp_prog *prog, uint32_t *handle);
void rte_xdp_prog_handle_release(uint32_t handle);

/** Transmit everything this lcore queued (end of an RX burst). */
void rte_xdp_do_flush(void);

/**
 * The frame leaves its memory model and becomes an ordinary mbuf of its
 * mempool (generic transmit, PASS from another lcore). Any lcore.
 */
void rte_xdp_frame_release(const struct rte_xdp_mem_info *mem,
	struct rte_mbuf *m);

#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_REDIRECT_H */
