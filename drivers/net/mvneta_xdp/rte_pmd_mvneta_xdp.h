/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_PMD_MVNETA_XDP_H
#define RTE_PMD_MVNETA_XDP_H

/**
 * @file
 * Private API of the net_mvneta_xdp poll-mode driver.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Whether port_id is a net_mvneta_xdp port. */
int rte_pmd_mvneta_xdp_is_port(uint16_t port_id);

/**
 * ifindex the port shows XDP programs and devmaps: the Linux ifindex of an
 * iface= backend, a stable synthetic one otherwise. 0 if not our port.
 */
uint32_t rte_pmd_mvneta_xdp_ifindex(uint16_t port_id);

/**
 * Buffers the port holds right now: posted on RX rings, waiting on TX
 * rings, or gathered as a partial frame. With the pools' available counts
 * this accounts for every buffer. -ENODEV if not our port.
 */
int rte_pmd_mvneta_xdp_buffers_held(uint16_t port_id, uint32_t *rx,
		uint32_t *tx);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_MVNETA_XDP_H */
