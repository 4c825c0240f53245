/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY: max_entries values,
 * preallocated and zeroed, indexed by a u32 key. Elements always exist:
 * NOEXIST updates fail with -EEXIST and deletes with -EINVAL.
 * Per-CPU arrays keep nb_values (rte_xdp_map_nb_cpus()) slots of
 * value_stride bytes per element.
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "xdp_map_internal.h"

static size_t
array_elem_size(const struct rte_xdp_map *map)
{
	return map->percpu ? (size_t)map->value_stride * map->nb_values :
		map->value_stride;
}

static size_t
array_mem_size(const struct rte_xdp_map *map)
{
	return array_elem_size(map) * map->def.max_entries;
}

static int
array_alloc(struct rte_xdp_map *map)
{
	map->priv = rte_zmalloc_socket("xdp_array", array_mem_size(map),
		RTE_CACHE_LINE_SIZE, map->socket_id);
	return map->priv == NULL ? -ENOMEM : 0;
}

static void *
array_lookup(struct rte_xdp_map *map, const void *key, unsigned int cpu)
{
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->def.max_entries)
		return NULL;
	return RTE_PTR_ADD(map->priv, array_elem_size(map) * idx +
		(map->percpu ? (size_t)cpu * map->value_stride : 0));
}

static int
array_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags, int cpu)
{
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (flags > RTE_XDP_EXIST)
		return -EINVAL;
	if (idx >= map->def.max_entries)
		return -E2BIG;
	if (flags == RTE_XDP_NOEXIST)
		return -EEXIST;
	xdpc_map_store_value(map,
		RTE_PTR_ADD(map->priv, array_elem_size(map) * idx), value, cpu);
	return 0;
}

static int
array_delete(struct rte_xdp_map *map, const void *key)
{
	return -EINVAL;
}

const struct xdpc_map_ops xdpc_array_ops = {
	.mem_size = array_mem_size,
	.alloc = array_alloc,
	.free = xdpc_map_priv_free,
	.lookup = array_lookup,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = xdpc_map_index_next_key,
};
