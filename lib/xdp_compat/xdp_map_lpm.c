/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BPF_MAP_TYPE_LPM_TRIE: keys are struct bpf_lpm_trie_key (u32 prefixlen
 * then the address bytes, most significant first); a lookup returns the
 * value of the longest stored prefix that matches the first prefixlen bits
 * of the key. This first version keeps the prefixes in a flat table and
 * scans it under the map lock; the semantics (including -ENOSPC when full)
 * are the kernel's.
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "xdp_map_internal.h"

struct lpm_slot {
	uint32_t in_use;
	uint32_t prefixlen;
	uint8_t data[] __rte_aligned(8);	/* address, then value */
};

struct lpm {
	size_t slot_size;
	size_t data_stride;
	uint32_t data_len;
	uint32_t nb_elems;
	uint8_t *slots;
};

static inline struct lpm_slot *
lpm_slot(const struct lpm *t, uint32_t i)
{
	return (struct lpm_slot *)(t->slots + t->slot_size * i);
}

static int
lpm_alloc(struct rte_xdp_map *map)
{
	struct lpm *t;

	t = rte_zmalloc_socket("xdp_lpm", sizeof(*t), 0, map->socket_id);
	if (t == NULL)
		return -ENOMEM;
	t->data_len = map->def.key_size - 4;
	t->data_stride = RTE_ALIGN_CEIL(t->data_len, 8);
	t->slot_size = sizeof(struct lpm_slot) + t->data_stride +
		map->value_stride;
	t->slots = rte_zmalloc_socket("xdp_lpm_s",
		t->slot_size * map->def.max_entries, 0, map->socket_id);
	if (t->slots == NULL) {
		rte_free(t);
		return -ENOMEM;
	}
	map->priv = t;
	return 0;
}

static void
lpm_free(struct rte_xdp_map *map)
{
	struct lpm *t = map->priv;

	rte_free(t->slots);
	rte_free(t);
}

/* Number of leading bits a and b share, up to max. */
static uint32_t
lpm_common_bits(const uint8_t *a, const uint8_t *b, uint32_t max)
{
	uint32_t bits = 0, i;
	uint8_t x;

	for (i = 0; bits < max; i++) {
		x = a[i] ^ b[i];
		if (x != 0) {
			bits += __builtin_clz((unsigned int)x) - 24;
			break;
		}
		bits += 8;
	}
	return RTE_MIN(bits, max);
}

static struct lpm_slot *
lpm_find_exact(struct rte_xdp_map *map, uint32_t plen, const uint8_t *data)
{
	struct lpm *t = map->priv;
	struct lpm_slot *s;
	uint32_t i;

	for (i = 0; i < map->def.max_entries; i++) {
		s = lpm_slot(t, i);
		if (s->in_use && s->prefixlen == plen &&
		    lpm_common_bits(s->data, data, plen) == plen)
			return s;
	}
	return NULL;
}

static void *
lpm_lookup(struct rte_xdp_map *map, const void *key, unsigned int cpu)
{
	struct lpm *t = map->priv;
	const uint8_t *data = RTE_PTR_ADD(key, 4);
	struct lpm_slot *s, *best = NULL;
	uint32_t plen, i;

	memcpy(&plen, key, sizeof(plen));
	plen = RTE_MIN(plen, t->data_len * 8);
	rte_spinlock_lock(&map->lock);
	for (i = 0; i < map->def.max_entries; i++) {
		s = lpm_slot(t, i);
		if (!s->in_use || s->prefixlen > plen)
			continue;
		if (best != NULL && s->prefixlen <= best->prefixlen)
			continue;
		if (lpm_common_bits(s->data, data, s->prefixlen) ==
		    s->prefixlen)
			best = s;
	}
	rte_spinlock_unlock(&map->lock);
	return best == NULL ? NULL : best->data + t->data_stride;
}

static int
lpm_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags, int cpu)
{
	struct lpm *t = map->priv;
	const uint8_t *data = RTE_PTR_ADD(key, 4);
	struct lpm_slot *s;
	uint32_t plen, i;
	int ret = 0;

	memcpy(&plen, key, sizeof(plen));
	if (flags > RTE_XDP_EXIST || plen > t->data_len * 8)
		return -EINVAL;
	rte_spinlock_lock(&map->lock);
	s = lpm_find_exact(map, plen, data);
	if (s != NULL) {
		if (flags == RTE_XDP_NOEXIST)
			ret = -EEXIST;
		else
			memcpy(s->data + t->data_stride, value,
				map->def.value_size);
		goto out;
	}
	if (flags == RTE_XDP_EXIST) {
		ret = -ENOENT;
		goto out;
	}
	if (t->nb_elems == map->def.max_entries) {
		ret = -ENOSPC;
		goto out;
	}
	for (i = 0; i < map->def.max_entries; i++) {
		s = lpm_slot(t, i);
		if (!s->in_use)
			break;
	}
	memset(s->data, 0, t->slot_size - sizeof(*s));
	memcpy(s->data, data, t->data_len);
	memcpy(s->data + t->data_stride, value, map->def.value_size);
	s->prefixlen = plen;
	s->in_use = 1;
	t->nb_elems++;
out:
	rte_spinlock_unlock(&map->lock);
	return ret;
}

static int
lpm_delete(struct rte_xdp_map *map, const void *key)
{
	struct lpm *t = map->priv;
	struct lpm_slot *s;
	uint32_t plen;
	int ret = -ENOENT;

	memcpy(&plen, key, sizeof(plen));
	if (plen > t->data_len * 8)
		return -EINVAL;
	rte_spinlock_lock(&map->lock);
	s = lpm_find_exact(map, plen, RTE_PTR_ADD(key, 4));
	if (s != NULL) {
		s->in_use = 0;
		t->nb_elems--;
		ret = 0;
	}
	rte_spinlock_unlock(&map->lock);
	return ret;
}

static int
lpm_get_next_key(struct rte_xdp_map *map, const void *key, void *next_key)
{
	struct lpm *t = map->priv;
	struct lpm_slot *s;
	uint32_t i = 0, plen;
	int ret = -ENOENT;

	rte_spinlock_lock(&map->lock);
	if (key != NULL) {
		memcpy(&plen, key, sizeof(plen));
		s = plen <= t->data_len * 8 ?
			lpm_find_exact(map, plen, RTE_PTR_ADD(key, 4)) : NULL;
		if (s != NULL)
			i = ((uint8_t *)s - t->slots) / t->slot_size + 1;
	}
	for (; i < map->def.max_entries; i++) {
		s = lpm_slot(t, i);
		if (!s->in_use)
			continue;
		memcpy(next_key, &s->prefixlen, 4);
		memcpy(RTE_PTR_ADD(next_key, 4), s->data, t->data_len);
		ret = 0;
		break;
	}
	rte_spinlock_unlock(&map->lock);
	return ret;
}

const struct xdpc_map_ops xdpc_lpm_ops = {
	.alloc = lpm_alloc,
	.free = lpm_free,
	.lookup = lpm_lookup,
	.update = lpm_update,
	.delete = lpm_delete,
	.get_next_key = lpm_get_next_key,
};
