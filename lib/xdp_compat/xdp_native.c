/* SPDX-License-Identifier: BSD-3-Clause */
/* Ports whose driver runs XDP natively (rte_xdp_native.h). */

#include <errno.h>

#include <rte_ethdev.h>

#include "rte_xdp_native.h"

static const struct rte_xdp_native_ops *native_ops[RTE_MAX_ETHPORTS];

int
rte_xdp_native_register(uint16_t port_id, const struct rte_xdp_native_ops *ops)
{
	if (port_id >= RTE_MAX_ETHPORTS || ops == NULL || ops->setup == NULL ||
	    ops->get == NULL)
		return -EINVAL;
	__atomic_store_n(&native_ops[port_id], ops, __ATOMIC_RELEASE);
	return 0;
}

void
rte_xdp_native_unregister(uint16_t port_id)
{
	if (port_id < RTE_MAX_ETHPORTS)
		__atomic_store_n(&native_ops[port_id], NULL, __ATOMIC_RELEASE);
}

static const struct rte_xdp_native_ops *
ops_of(uint16_t port_id)
{
	if (port_id >= RTE_MAX_ETHPORTS)
		return NULL;
	return __atomic_load_n(&native_ops[port_id], __ATOMIC_ACQUIRE);
}

int
rte_xdp_native_supported(uint16_t port_id)
{
	return ops_of(port_id) != NULL;
}

int
rte_xdp_native_setup(uint16_t port_id, struct rte_xdp_prog *prog)
{
	const struct rte_xdp_native_ops *ops = ops_of(port_id);

	if (ops == NULL)
		return rte_eth_dev_is_valid_port(port_id) ? -EOPNOTSUPP :
			-ENODEV;
	return ops->setup(port_id, prog);
}

struct rte_xdp_prog *
rte_xdp_native_prog_get(uint16_t port_id)
{
	const struct rte_xdp_native_ops *ops = ops_of(port_id);

	return ops != NULL ? ops->get(port_id) : NULL;
}
