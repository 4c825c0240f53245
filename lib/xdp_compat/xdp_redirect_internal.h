/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_REDIRECT_INTERNAL_H
#define XDP_REDIRECT_INTERNAL_H

/* Shared by the redirect targets: ports, cpumap workers, xsk sockets. */

#include <stdint.h>

#include <rte_mbuf.h>

#include "rte_xdp_prog.h"
#include "rte_xdp_rxq_info.h"

/* Transmit through a registered port; returns how many it took. */
uint16_t xdpc_dev_xmit(uint16_t port_id, struct rte_mbuf **frames,
	const struct rte_xdp_mem_info **mem, uint16_t n);

/* Program behind a devmap/cpumap entry's handle; NULL if none. */
struct rte_xdp_prog *xdpc_prog_from_handle(uint32_t handle);

/* Frames for the worker serving cpumap key cpu, entry the map value
 * (struct bpf_cpumap_val). Returns how many it took. */
uint16_t xdpc_cpumap_enqueue(uint32_t cpu, const void *entry,
	struct rte_mbuf **frames, const struct rte_xdp_mem_info **mem,
	uint16_t n);

/* A frame for the xsk socket in an XSKMAP entry (value: its handle). The
 * frame is copied into the socket's buffers and given back on success. */
int xdpc_xsk_rcv(const void *entry, struct rte_mbuf *m,
	const struct rte_xdp_rxq_info *rxq);

#endif
