/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Redirect targets indexed by a u32: BPF_MAP_TYPE_DEVMAP (value: ifindex,
 * or struct bpf_devmap_val), BPF_MAP_TYPE_CPUMAP (struct bpf_cpumap_val)
 * and BPF_MAP_TYPE_XSKMAP (an AF_XDP socket slot). For now they hold the
 * entries and serve lookups; an entry may be absent (deleted or never set).
 * BPF_MAP_TYPE_DEVMAP_HASH is served by the hash family.
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "xdp_map_internal.h"

static int
redir_alloc(struct rte_xdp_map *map)
{
	struct xdpc_redirect_array *ra;
	uint32_t n = map->def.max_entries;

	ra = rte_zmalloc_socket("xdp_redirect_map", sizeof(*ra) +
		(size_t)map->value_stride * n + n, RTE_CACHE_LINE_SIZE,
		map->socket_id);
	if (ra == NULL)
		return -ENOMEM;
	ra->present = ra->values + (size_t)map->value_stride * n;
	map->priv = ra;
	return 0;
}

static void *
redir_lookup(struct rte_xdp_map *map, const void *key, unsigned int cpu)
{
	uint32_t idx;

	RTE_SET_USED(cpu);
	memcpy(&idx, key, sizeof(idx));
	return xdpc_redirect_array_lookup(map, idx);
}

static int
redir_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags, int cpu)
{
	struct xdpc_redirect_array *ra = map->priv;
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (flags > RTE_XDP_EXIST)
		return -EINVAL;
	if (idx >= map->def.max_entries)
		return -E2BIG;
	if (flags == RTE_XDP_NOEXIST)
		return -EEXIST;
	rte_spinlock_lock(&map->lock);
	memcpy(ra->values + (size_t)map->value_stride * idx, value,
		map->def.value_size);
	__atomic_store_n(&ra->present[idx], 1, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&map->lock);
	return 0;
}

static int
redir_delete(struct rte_xdp_map *map, const void *key)
{
	struct xdpc_redirect_array *ra = map->priv;
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->def.max_entries)
		return -EINVAL;
	__atomic_store_n(&ra->present[idx], 0, __ATOMIC_RELEASE);
	return 0;
}

const struct xdpc_map_ops xdpc_redirect_array_ops = {
	.alloc = redir_alloc,
	.free = xdpc_map_priv_free,
	.lookup = redir_lookup,
	.update = redir_update,
	.delete = redir_delete,
	.get_next_key = xdpc_map_index_next_key,
};
