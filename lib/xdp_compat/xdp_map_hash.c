/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hash family: BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH,
 * LRU_PERCPU_HASH and DEVMAP_HASH. Elements are preallocated (max_entries
 * nodes on a free list, like the kernel's default prealloc), chained in a
 * power-of-two bucket array and protected by the map's spinlock. A full
 * LRU map evicts its least recently used element; the others return
 * -E2BIG.
 */

#include <errno.h>
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "xdp_map_internal.h"

#define HNIL UINT32_MAX

struct hnode {
	uint32_t next;
	uint32_t hash;
	uint64_t last_use;
	uint8_t in_use;
	uint8_t data[] __rte_aligned(8);	/* key, then value slot(s) */
};

struct htab {
	uint32_t nb_buckets;
	uint32_t free_head;
	uint32_t nb_elems;
	size_t node_size;
	size_t key_stride;
	uint64_t clock;
	uint8_t lru;
	uint32_t *buckets;
	uint8_t *nodes;
};

static inline struct hnode *
hnode(const struct htab *h, uint32_t i)
{
	return (struct hnode *)(h->nodes + h->node_size * i);
}

static inline void *
hnode_value(const struct htab *h, struct hnode *n)
{
	return n->data + h->key_stride;
}

/* A node: its header, the key, then the value (one per CPU slot). */
static size_t
hash_node_size(const struct rte_xdp_map *map)
{
	return sizeof(struct hnode) + RTE_ALIGN_CEIL(map->def.key_size, 8) +
		(map->percpu ? (size_t)map->value_stride * map->nb_values :
		 map->value_stride);
}

static size_t
hash_mem_size(const struct rte_xdp_map *map)
{
	return sizeof(struct htab) +
		sizeof(uint32_t) * rte_align32pow2(map->def.max_entries) +
		hash_node_size(map) * map->def.max_entries;
}

static int
hash_alloc(struct rte_xdp_map *map)
{
	uint32_t n = map->def.max_entries, i;
	struct htab *h;

	h = rte_zmalloc_socket("xdp_htab", sizeof(*h), 0, map->socket_id);
	if (h == NULL)
		return -ENOMEM;
	h->nb_buckets = rte_align32pow2(n);
	h->key_stride = RTE_ALIGN_CEIL(map->def.key_size, 8);
	h->node_size = hash_node_size(map);
	h->lru = map->def.type == RTE_XDP_MAP_LRU_HASH ||
		map->def.type == RTE_XDP_MAP_LRU_PERCPU_HASH;
	h->buckets = rte_malloc_socket("xdp_htab_b",
		sizeof(uint32_t) * h->nb_buckets, 0, map->socket_id);
	h->nodes = rte_zmalloc_socket("xdp_htab_n", h->node_size * n,
		RTE_CACHE_LINE_SIZE, map->socket_id);
	if (h->buckets == NULL || h->nodes == NULL) {
		rte_free(h->buckets);
		rte_free(h->nodes);
		rte_free(h);
		return -ENOMEM;
	}
	for (i = 0; i < h->nb_buckets; i++)
		h->buckets[i] = HNIL;
	for (i = 0; i < n; i++)
		hnode(h, i)->next = i + 1 < n ? i + 1 : HNIL;
	h->free_head = 0;
	map->priv = h;
	return 0;
}

static void
hash_free(struct rte_xdp_map *map)
{
	struct htab *h = map->priv;

	rte_free(h->buckets);
	rte_free(h->nodes);
	rte_free(h);
}

/* Find a key; *prevp gets the link that points at it. Lock held. */
static struct hnode *
hash_find(struct rte_xdp_map *map, const void *key, uint32_t hash,
	uint32_t **linkp)
{
	struct htab *h = map->priv;
	uint32_t *link = &h->buckets[hash & (h->nb_buckets - 1)];
	struct hnode *n;

	while (*link != HNIL) {
		n = hnode(h, *link);
		if (n->hash == hash &&
		    memcmp(n->data, key, map->def.key_size) == 0) {
			if (linkp != NULL)
				*linkp = link;
			return n;
		}
		link = &n->next;
	}
	return NULL;
}

static void *
hash_lookup(struct rte_xdp_map *map, const void *key, unsigned int cpu)
{
	struct htab *h = map->priv;
	uint32_t hash = rte_hash_crc(key, map->def.key_size, 0);
	struct hnode *n;
	void *v = NULL;

	rte_spinlock_lock(&map->lock);
	n = hash_find(map, key, hash, NULL);
	if (n != NULL) {
		n->last_use = ++h->clock;
		v = RTE_PTR_ADD(hnode_value(h, n),
			map->percpu ? (size_t)cpu * map->value_stride : 0);
	}
	rte_spinlock_unlock(&map->lock);
	return v;
}

static void
hash_unlink(struct htab *h, uint32_t *link)
{
	uint32_t idx = *link;
	struct hnode *n = hnode(h, idx);

	*link = n->next;
	n->in_use = 0;
	n->next = h->free_head;
	h->free_head = idx;
	h->nb_elems--;
}

/* Evict the least recently used element of a full LRU map. Lock held. */
static void
hash_evict(struct rte_xdp_map *map)
{
	struct htab *h = map->priv;
	uint32_t i, victim = HNIL, *link;
	uint64_t oldest = UINT64_MAX;
	struct hnode *n;

	for (i = 0; i < map->def.max_entries; i++) {
		n = hnode(h, i);
		if (n->in_use && n->last_use < oldest) {
			oldest = n->last_use;
			victim = i;
		}
	}
	if (victim == HNIL)
		return;
	n = hnode(h, victim);
	if (hash_find(map, n->data, n->hash, &link) != NULL)
		hash_unlink(h, link);
}

static int
hash_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags, int cpu)
{
	struct htab *h = map->priv;
	uint32_t hash = rte_hash_crc(key, map->def.key_size, 0), idx;
	struct hnode *n;
	int ret = 0;

	if (flags > RTE_XDP_EXIST)
		return -EINVAL;
	rte_spinlock_lock(&map->lock);
	n = hash_find(map, key, hash, NULL);
	if (n != NULL) {
		if (flags == RTE_XDP_NOEXIST) {
			ret = -EEXIST;
			goto out;
		}
		xdpc_map_store_value(map, hnode_value(h, n), value, cpu);
		n->last_use = ++h->clock;
		goto out;
	}
	if (flags == RTE_XDP_EXIST) {
		ret = -ENOENT;
		goto out;
	}
	if (h->free_head == HNIL && h->lru)
		hash_evict(map);
	if (h->free_head == HNIL) {
		ret = -E2BIG;
		goto out;
	}
	idx = h->free_head;
	n = hnode(h, idx);
	h->free_head = n->next;
	memset(n->data, 0, h->node_size - sizeof(*n));
	memcpy(n->data, key, map->def.key_size);
	xdpc_map_store_value(map, hnode_value(h, n), value, cpu);
	n->hash = hash;
	n->in_use = 1;
	n->last_use = ++h->clock;
	n->next = h->buckets[hash & (h->nb_buckets - 1)];
	h->buckets[hash & (h->nb_buckets - 1)] = idx;
	h->nb_elems++;
out:
	rte_spinlock_unlock(&map->lock);
	return ret;
}

static int
hash_delete(struct rte_xdp_map *map, const void *key)
{
	uint32_t hash = rte_hash_crc(key, map->def.key_size, 0), *link;
	int ret = -ENOENT;

	rte_spinlock_lock(&map->lock);
	if (hash_find(map, key, hash, &link) != NULL) {
		hash_unlink(map->priv, link);
		ret = 0;
	}
	rte_spinlock_unlock(&map->lock);
	return ret;
}

/* Bucket order, then chain order, like the kernel's htab. */
static int
hash_get_next_key(struct rte_xdp_map *map, const void *key, void *next_key)
{
	struct htab *h = map->priv;
	uint32_t b = 0, hash, idx;
	struct hnode *n = NULL;
	int ret = -ENOENT;

	rte_spinlock_lock(&map->lock);
	if (key != NULL) {
		hash = rte_hash_crc(key, map->def.key_size, 0);
		n = hash_find(map, key, hash, NULL);
	}
	if (n != NULL) {
		if (n->next != HNIL) {
			memcpy(next_key, hnode(h, n->next)->data,
				map->def.key_size);
			ret = 0;
			goto out;
		}
		b = (n->hash & (h->nb_buckets - 1)) + 1;
	}
	for (; b < h->nb_buckets; b++) {
		idx = h->buckets[b];
		if (idx != HNIL) {
			memcpy(next_key, hnode(h, idx)->data,
				map->def.key_size);
			ret = 0;
			break;
		}
	}
out:
	rte_spinlock_unlock(&map->lock);
	return ret;
}

const struct xdpc_map_ops xdpc_hash_ops = {
	.mem_size = hash_mem_size,
	.alloc = hash_alloc,
	.free = hash_free,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.get_next_key = hash_get_next_key,
};
