/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_NATIVE_H
#define RTE_XDP_NATIVE_H

/**
 * @file
 * Native XDP: a driver that runs programs in its own RX burst registers
 * its ports here, as a kernel driver implements ndo_bpf, so that the
 * control plane (rte_xdp_ctl.h, telemetry) attaches, replaces, detaches
 * and queries their programs without knowing the driver.
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdint.h>

#include <rte_compat.h>

#include "rte_xdp_prog.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_xdp_native_ops {
	/**
	 * XDP_SETUP_PROG: attach, replace, or detach with prog NULL, with
	 * the kernel's rules (a swap loses no frame; a program that cannot
	 * take the port's frames is refused). 0 or a negative errno.
	 */
	int (*setup)(uint16_t port_id, struct rte_xdp_prog *prog);
	/** XDP_QUERY_PROG: the attached program, NULL if none. */
	struct rte_xdp_prog *(*get)(uint16_t port_id);
};

/** A port runs XDP natively through ops (which must outlive it). */
__rte_experimental
int rte_xdp_native_register(uint16_t port_id,
	const struct rte_xdp_native_ops *ops);

/** The port goes away. */
__rte_experimental
void rte_xdp_native_unregister(uint16_t port_id);

/** 1 when the port runs XDP natively. */
__rte_experimental
int rte_xdp_native_supported(uint16_t port_id);

/** Attach, replace or detach (NULL); -EOPNOTSUPP without native XDP. */
__rte_experimental
int rte_xdp_native_setup(uint16_t port_id, struct rte_xdp_prog *prog);

/** The native program of the port, NULL if none. */
__rte_experimental
struct rte_xdp_prog *rte_xdp_native_prog_get(uint16_t port_id);

#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_NATIVE_H */
