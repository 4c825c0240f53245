/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_MAP_INTERNAL_H
#define XDP_MAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_spinlock.h>

#include "rte_xdp_map.h"

struct rte_xdp_map;

/*
 * One table per map family. The data-path entries (lookup, update, delete)
 * are what the helpers call: per-CPU types act on the calling lcore's
 * slot. The *_user entries implement the bpf(2) commands.
 */
struct xdpc_map_ops {
	int (*alloc)(struct rte_xdp_map *map);
	void (*free)(struct rte_xdp_map *map);
	void *(*lookup)(struct rte_xdp_map *map, const void *key,
		unsigned int cpu);
	int (*update)(struct rte_xdp_map *map, const void *key,
		const void *value, uint64_t flags, int cpu);
	int (*delete)(struct rte_xdp_map *map, const void *key);
	int (*get_next_key)(struct rte_xdp_map *map, const void *key,
		void *next_key);
};

struct rte_xdp_map {
	char name[64];
	struct rte_xdp_map_def def;
	uint32_t value_stride;	/* value_size rounded up to 8 */
	bool percpu;
	int socket_id;
	const struct xdpc_map_ops *ops;
	void *priv;
	rte_spinlock_t lock;	/* writers (and hash readers) */
};

/* Update from a program or from one lcore's slot: cpu = XDPC_ALL_CPUS
 * means a control-plane buffer with one value per CPU. */
#define XDPC_ALL_CPUS	(-1)

extern const struct xdpc_map_ops xdpc_array_ops;
extern const struct xdpc_map_ops xdpc_hash_ops;
extern const struct xdpc_map_ops xdpc_lpm_ops;
extern const struct xdpc_map_ops xdpc_redirect_array_ops;

static inline unsigned int
xdpc_cpu(void)
{
	unsigned int id = rte_lcore_id();

	return id < RTE_MAX_LCORE ? id : 0;
}

/* Data-path entry points used by the helpers. */
static inline void *
xdpc_map_lookup(struct rte_xdp_map *map, const void *key)
{
	return map->ops->lookup(map, key, xdpc_cpu());
}

/* Copy a value into slot(s) of a per-CPU or plain value area. */
void xdpc_map_store_value(const struct rte_xdp_map *map, void *dst,
	const void *value, int cpu);

#endif /* XDP_MAP_INTERNAL_H */
