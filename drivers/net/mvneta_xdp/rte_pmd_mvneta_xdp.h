/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_PMD_MVNETA_XDP_H
#define RTE_PMD_MVNETA_XDP_H

/**
 * @file
 * Private API of the net_mvneta_xdp poll-mode driver.
 */

#include <stdint.h>

#include <rte_xdp_prog.h>

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

/**
 * Attach, replace or (prog NULL) detach the port's XDP program, with the
 * semantics of the kernel's mvneta_xdp_setup(): when program presence
 * changes on a started port, the port is stopped and restarted (bursts
 * return nothing meanwhile); a replacement is an atomic swap, with no
 * stop and no frame lost. When the call returns no lcore runs the previous
 * program any more, so the caller may close its object.
 *
 * The caller keeps prog's object open while it is attached.
 *
 * @return 0; -EOPNOTSUPP if the MTU needs frames of more than one buffer
 *   and the program is not frags-aware (SEC("xdp.frags")); -EBUSY if the
 *   port has no TX ring left for XDP_TX; -ENODEV if not our port.
 */
int rte_pmd_mvneta_xdp_prog_attach(uint16_t port_id, struct rte_xdp_prog *prog);

/** The attached program, NULL if none. */
struct rte_xdp_prog *rte_pmd_mvneta_xdp_prog_get(uint16_t port_id);

struct rte_pmd_mvneta_xdp_prog_state {
	struct rte_xdp_prog *prog;	/**< attached program or NULL */
	uint32_t restarts;		/**< restarts for presence changes */
	uint32_t swaps;			/**< replacements without a stop */
	uint32_t ifindex;		/**< see rte_pmd_mvneta_xdp_ifindex() */
};

/** What is attached and how it got there. */
int rte_pmd_mvneta_xdp_prog_query(uint16_t port_id,
		struct rte_pmd_mvneta_xdp_prog_state *state);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_MVNETA_XDP_H */
