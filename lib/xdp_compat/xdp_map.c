/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XDP maps: creation, the type table and the bpf(2)-like control-plane
 * calls. The families live in xdp_map_array.c, xdp_map_hash.c,
 * xdp_map_lpm.c and xdp_map_redirect.c.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "xdp_compat_log.h"
#include "xdp_map_internal.h"

unsigned int
rte_xdp_map_nb_cpus(void)
{
	return RTE_MAX_LCORE;
}

static const struct xdpc_map_ops *
map_type_ops(uint32_t type)
{
	switch (type) {
	case RTE_XDP_MAP_ARRAY:
	case RTE_XDP_MAP_PERCPU_ARRAY:
		return &xdpc_array_ops;
	case RTE_XDP_MAP_HASH:
	case RTE_XDP_MAP_PERCPU_HASH:
	case RTE_XDP_MAP_LRU_HASH:
	case RTE_XDP_MAP_LRU_PERCPU_HASH:
	case RTE_XDP_MAP_DEVMAP_HASH:
		return &xdpc_hash_ops;
	case RTE_XDP_MAP_LPM_TRIE:
		return &xdpc_lpm_ops;
	case RTE_XDP_MAP_DEVMAP:
	case RTE_XDP_MAP_CPUMAP:
	case RTE_XDP_MAP_XSKMAP:
		return &xdpc_redirect_array_ops;
	default:
		return NULL;
	}
}

static int
map_def_check(const struct rte_xdp_map_def *def)
{
	if (def->max_entries == 0 || def->value_size == 0 ||
	    def->key_size == 0)
		return -EINVAL;
	switch (def->type) {
	case RTE_XDP_MAP_ARRAY:
	case RTE_XDP_MAP_PERCPU_ARRAY:
	case RTE_XDP_MAP_DEVMAP:
	case RTE_XDP_MAP_CPUMAP:
	case RTE_XDP_MAP_XSKMAP:
		if (def->key_size != 4)
			return -EINVAL;
		break;
	case RTE_XDP_MAP_DEVMAP_HASH:
		if (def->key_size != 4)
			return -EINVAL;
		break;
	case RTE_XDP_MAP_LPM_TRIE:
		/* struct bpf_lpm_trie_key: u32 prefixlen + 1..256 bytes */
		if (def->key_size < 5 || def->key_size > 4 + 256)
			return -EINVAL;
		break;
	default:
		break;
	}
	if (def->type == RTE_XDP_MAP_DEVMAP ||
	    def->type == RTE_XDP_MAP_DEVMAP_HASH ||
	    def->type == RTE_XDP_MAP_CPUMAP || def->type == RTE_XDP_MAP_XSKMAP)
		if (def->value_size != 4 && def->value_size != 8)
			return -EINVAL;
	if (def->value_size > (1u << 20) || def->key_size > 512)
		return -E2BIG;
	return 0;
}

struct rte_xdp_map *
rte_xdp_map_create(const char *name, const struct rte_xdp_map_def *def,
	int socket_id)
{
	const struct xdpc_map_ops *ops;
	struct rte_xdp_map *map;
	int ret;

	ops = map_type_ops(def->type);
	if (ops == NULL) {
		XDPC_LOG(ERR, "map %s: type %u not supported", name, def->type);
		rte_errno = ENOTSUP;
		return NULL;
	}
	ret = map_def_check(def);
	if (ret != 0) {
		XDPC_LOG(ERR, "map %s: invalid definition (type %u key %u value %u max_entries %u)",
			name, def->type, def->key_size, def->value_size,
			def->max_entries);
		rte_errno = -ret;
		return NULL;
	}
	map = rte_zmalloc_socket("xdp_map", sizeof(*map), RTE_CACHE_LINE_SIZE,
		socket_id);
	if (map == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	strlcpy(map->name, name, sizeof(map->name));
	map->def = *def;
	map->value_stride = RTE_ALIGN_CEIL(def->value_size, 8);
	map->percpu = def->type == RTE_XDP_MAP_PERCPU_ARRAY ||
		def->type == RTE_XDP_MAP_PERCPU_HASH ||
		def->type == RTE_XDP_MAP_LRU_PERCPU_HASH;
	map->socket_id = socket_id;
	map->ops = ops;
	rte_spinlock_init(&map->lock);
	ret = ops->alloc(map);
	if (ret != 0) {
		rte_free(map);
		rte_errno = -ret;
		return NULL;
	}
	return map;
}

void
rte_xdp_map_free(struct rte_xdp_map *map)
{
	if (map == NULL)
		return;
	map->ops->free(map);
	rte_free(map);
}

const char *
rte_xdp_map_name(const struct rte_xdp_map *map)
{
	return map->name;
}

const struct rte_xdp_map_def *
rte_xdp_map_def(const struct rte_xdp_map *map)
{
	return &map->def;
}

size_t
rte_xdp_map_user_value_size(const struct rte_xdp_map *map)
{
	if (map->percpu)
		return (size_t)map->value_stride * rte_xdp_map_nb_cpus();
	return map->def.value_size;
}

void
xdpc_map_store_value(const struct rte_xdp_map *map, void *dst,
	const void *value, int cpu)
{
	unsigned int c;

	if (!map->percpu) {
		memcpy(dst, value, map->def.value_size);
		return;
	}
	if (cpu == XDPC_ALL_CPUS) {
		for (c = 0; c < rte_xdp_map_nb_cpus(); c++)
			memcpy(RTE_PTR_ADD(dst, c * map->value_stride),
				RTE_PTR_ADD(value, c * map->value_stride),
				map->def.value_size);
		return;
	}
	/* Update from a program: its CPU's slot only. */
	memcpy(RTE_PTR_ADD(dst, (unsigned int)cpu * map->value_stride), value,
		map->def.value_size);
}

int
rte_xdp_map_lookup(struct rte_xdp_map *map, const void *key, void *value)
{
	unsigned int c;
	void *v;
	int ret = 0;

	v = map->ops->lookup(map, key, 0);
	if (v == NULL) {
		ret = -ENOENT;
	} else if (!map->percpu) {
		memcpy(value, v, map->def.value_size);
	} else {
		/* slot 0's address: the slots follow at value_stride */
		for (c = 0; c < rte_xdp_map_nb_cpus(); c++) {
			memset(RTE_PTR_ADD(value, c * map->value_stride), 0,
				map->value_stride);
			memcpy(RTE_PTR_ADD(value, c * map->value_stride),
				RTE_PTR_ADD(v, c * map->value_stride),
				map->def.value_size);
		}
	}
	return ret;
}

int
rte_xdp_map_update(struct rte_xdp_map *map, const void *key,
	const void *value, uint64_t flags)
{
	if ((flags & ~3ull) != 0 || flags == 3)
		return -EINVAL;
	return map->ops->update(map, key, value, flags, XDPC_ALL_CPUS);
}

int
rte_xdp_map_delete(struct rte_xdp_map *map, const void *key)
{
	return map->ops->delete(map, key);
}

int
rte_xdp_map_get_next_key(struct rte_xdp_map *map, const void *key,
	void *next_key)
{
	return map->ops->get_next_key(map, key, next_key);
}
