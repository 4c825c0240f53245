/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Maps of maps: BPF_MAP_TYPE_ARRAY_OF_MAPS and BPF_MAP_TYPE_HASH_OF_MAPS.
 * The value a program's bpf_map_lookup_elem() returns is the inner map
 * itself (or NULL), which the program then hands to the map helpers; the
 * rewriter types those calls with the outer map's inner template (every
 * inner map has its key and value sizes). From the control plane the
 * values are map ids. An outer map holds a reference on each inner map:
 * an inner map freed by its creator lives on until it leaves the last
 * outer map.
 *
 * Programs may only look up in them (the kernel's verifier refuses the
 * other helpers); the control plane may update and delete. Array slots
 * are updated with BPF_ANY only, as the kernel's fd arrays.
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "xdp_map_internal.h"

typedef struct rte_xdp_map *map_slot;

static void
put_inner(struct rte_xdp_map *inner)
{
	if (inner != NULL)
		rte_xdp_map_free(inner);
}

/* The inner map of a user value (a map id), with a reference. */
static int
get_inner(struct rte_xdp_map *outer, const void *value,
	struct rte_xdp_map **inner)
{
	struct rte_xdp_map *m;
	uint32_t id;

	memcpy(&id, value, sizeof(id));
	m = rte_xdp_map_by_id(id);
	if (m == NULL)
		return -EBADF;
	if (!xdpc_map_inner_compatible(outer, m))
		return -EINVAL;
	xdpc_map_get(m);
	*inner = m;
	return 0;
}

/* ---- ARRAY_OF_MAPS ---- */

static void
aom_free(struct rte_xdp_map *map)
{
	map_slot *slot = map->priv;
	uint32_t i;

	for (i = 0; i < map->def.max_entries; i++)
		put_inner(slot[i]);
	rte_free(map->priv);
}

static void *
aom_lookup(struct rte_xdp_map *map, const void *key, unsigned int cpu)
{
	map_slot *slot = map->priv;
	uint32_t idx;

	RTE_SET_USED(cpu);
	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->def.max_entries)
		return NULL;
	return __atomic_load_n(&slot[idx], __ATOMIC_ACQUIRE);
}

static int
aom_delete(struct rte_xdp_map *map, const void *key)
{
	map_slot *slot = map->priv;
	struct rte_xdp_map *old;
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->def.max_entries)
		return -EINVAL;
	old = __atomic_exchange_n(&slot[idx], NULL, __ATOMIC_ACQ_REL);
	if (old == NULL)
		return -ENOENT;
	put_inner(old);
	return 0;
}

static int
aom_user_lookup(struct rte_xdp_map *map, const void *key, void *value)
{
	struct rte_xdp_map *inner = aom_lookup(map, key, 0);

	if (inner == NULL)
		return -ENOENT;
	memcpy(value, &inner->id, sizeof(inner->id));
	return 0;
}

static int
aom_user_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags)
{
	map_slot *slot = map->priv;
	struct rte_xdp_map *inner, *old;
	uint32_t idx;
	int ret;

	memcpy(&idx, key, sizeof(idx));
	if (flags != RTE_XDP_ANY)
		return -EINVAL;
	if (idx >= map->def.max_entries)
		return -E2BIG;
	ret = get_inner(map, value, &inner);
	if (ret != 0)
		return ret;
	old = __atomic_exchange_n(&slot[idx], inner, __ATOMIC_ACQ_REL);
	put_inner(old);
	return 0;
}

const struct xdpc_map_ops xdpc_array_of_maps_ops = {
	.alloc = xdpc_map_slots_alloc,
	.free = aom_free,
	.lookup = aom_lookup,
	.update = xdpc_map_no_update,
	.delete = aom_delete,
	.get_next_key = xdpc_map_index_next_key,
	.user_lookup = aom_user_lookup,
	.user_update = aom_user_update,
};

/* ---- HASH_OF_MAPS: a hash of map pointers ---- */

static int
hom_alloc(struct rte_xdp_map *map)
{
	struct rte_xdp_map *h;
	int ret;

	h = rte_zmalloc_socket("xdp_hash_of_maps", sizeof(*h),
		RTE_CACHE_LINE_SIZE, map->socket_id);
	if (h == NULL)
		return -ENOMEM;
	h->def = map->def;
	h->def.type = RTE_XDP_MAP_HASH;
	h->def.value_size = sizeof(map_slot);
	h->value_stride = sizeof(map_slot);
	h->socket_id = map->socket_id;
	h->ops = &xdpc_hash_ops;
	rte_spinlock_init(&h->lock);
	ret = h->ops->alloc(h);
	if (ret != 0) {
		rte_free(h);
		return ret;
	}
	map->priv = h;
	return 0;
}

static void
hom_free(struct rte_xdp_map *map)
{
	struct rte_xdp_map *h = map->priv;
	uint8_t key[512], next[512];
	int have = 0;
	map_slot *v;

	while (h->ops->get_next_key(h, have ? key : NULL, next) == 0) {
		memcpy(key, next, h->def.key_size);
		have = 1;
		v = h->ops->lookup(h, key, 0);
		if (v != NULL)
			put_inner(*v);
	}
	h->ops->free(h);
	rte_free(h);
}

static void *
hom_lookup(struct rte_xdp_map *map, const void *key, unsigned int cpu)
{
	struct rte_xdp_map *h = map->priv;
	map_slot *v = h->ops->lookup(h, key, cpu);

	return v != NULL ? __atomic_load_n(v, __ATOMIC_ACQUIRE) : NULL;
}

static int
hom_delete(struct rte_xdp_map *map, const void *key)
{
	struct rte_xdp_map *h = map->priv, *old = NULL;
	map_slot *v;
	int ret;

	rte_spinlock_lock(&map->lock);
	v = h->ops->lookup(h, key, 0);
	if (v != NULL)
		old = *v;
	ret = h->ops->delete(h, key);
	rte_spinlock_unlock(&map->lock);
	if (ret == 0)
		put_inner(old);
	return ret;
}

static int
hom_get_next_key(struct rte_xdp_map *map, const void *key, void *next_key)
{
	struct rte_xdp_map *h = map->priv;

	return h->ops->get_next_key(h, key, next_key);
}

static int
hom_user_lookup(struct rte_xdp_map *map, const void *key, void *value)
{
	struct rte_xdp_map *inner = hom_lookup(map, key, 0);

	if (inner == NULL)
		return -ENOENT;
	memcpy(value, &inner->id, sizeof(inner->id));
	return 0;
}

static int
hom_user_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags)
{
	struct rte_xdp_map *h = map->priv, *inner, *old = NULL;
	map_slot *v;
	int ret;

	if (flags > RTE_XDP_EXIST)
		return -EINVAL;
	ret = get_inner(map, value, &inner);
	if (ret != 0)
		return ret;
	rte_spinlock_lock(&map->lock);
	v = h->ops->lookup(h, key, 0);
	if (v != NULL)
		old = *v;
	ret = h->ops->update(h, key, &inner, flags, XDPC_ALL_CPUS);
	rte_spinlock_unlock(&map->lock);
	if (ret != 0) {
		put_inner(inner);
		return ret;
	}
	put_inner(old);
	return 0;
}

const struct xdpc_map_ops xdpc_hash_of_maps_ops = {
	.alloc = hom_alloc,
	.free = hom_free,
	.lookup = hom_lookup,
	.update = xdpc_map_no_update,
	.delete = hom_delete,
	.get_next_key = hom_get_next_key,
	.user_lookup = hom_user_lookup,
	.user_update = hom_user_update,
};
