/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XDP maps: creation, the type table and the bpf(2)-like control-plane
 * calls. The families live in xdp_map_array.c, xdp_map_hash.c,
 * xdp_map_lpm.c and xdp_map_redirect.c.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_string_fns.h>

#include "xdp_compat_log.h"
#include "xdp_map_internal.h"

uint32_t xdpc_nb_cpus;

/*
 * Per-CPU slots, as the kernel has one per possible CPU: one per lcore id
 * EAL gave (main, workers, service cores, threads registered so far) up
 * to the highest, then one for every other thread (control threads,
 * unregistered ones: xdpc_cpu()). Fixed by the first call after EAL
 * init, before any map exists: every per-CPU value is laid out by it.
 */
unsigned int
rte_xdp_map_nb_cpus(void)
{
	uint32_t n = __atomic_load_n(&xdpc_nb_cpus, __ATOMIC_ACQUIRE);
	uint32_t unset = 0;
	int id;

	if (n != 0)
		return n;
	for (id = RTE_MAX_LCORE - 1; id > 0; id--)
		if (rte_eal_lcore_role(id) != ROLE_OFF)
			break;
	n = id + 2;
	if (rte_lcore_count() == 0)	/* EAL not initialised: not fixed */
		return n;
	if (!__atomic_compare_exchange_n(&xdpc_nb_cpus, &unset, n, 0,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		n = unset;
	return n;
}

static TAILQ_HEAD(, rte_xdp_map) all_maps = TAILQ_HEAD_INITIALIZER(all_maps);
static rte_spinlock_t all_maps_lock = RTE_SPINLOCK_INITIALIZER;
static uint32_t next_map_id = 1;

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
	case RTE_XDP_MAP_PROG_ARRAY:
		return &xdpc_prog_array_ops;
	case RTE_XDP_MAP_ARRAY_OF_MAPS:
		return &xdpc_array_of_maps_ops;
	case RTE_XDP_MAP_HASH_OF_MAPS:
		return &xdpc_hash_of_maps_ops;
	case RTE_XDP_MAP_PERF_EVENT_ARRAY:
		return &xdpc_perf_array_ops;
	case RTE_XDP_MAP_RINGBUF:
		return &xdpc_ringbuf_ops;
	default:
		return NULL;
	}
}

static int
map_def_check(const struct rte_xdp_map_def *def)
{
	if (def->type == RTE_XDP_MAP_RINGBUF) {
		/* the kernel: no key or value, a power-of-2 number of pages */
		if (def->key_size != 0 || def->value_size != 0 ||
		    def->max_entries < 4096 ||
		    !rte_is_power_of_2(def->max_entries) ||
		    def->max_entries > (1u << 30))
			return -EINVAL;
		return 0;
	}
	if (def->max_entries == 0 || def->value_size == 0 ||
	    def->key_size == 0)
		return -EINVAL;
	if (def->value_size > XDPC_MAX_VALUE_SIZE)
		return -E2BIG;
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
	case RTE_XDP_MAP_PROG_ARRAY:
	case RTE_XDP_MAP_PERF_EVENT_ARRAY:
	case RTE_XDP_MAP_ARRAY_OF_MAPS:
		/* value: a file descriptor in the kernel, an id here */
		if (def->key_size != 4 || def->value_size != 4)
			return -EINVAL;
		break;
	case RTE_XDP_MAP_HASH_OF_MAPS:
		if (def->value_size != 4)
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

/* What a map's data is laid out by: its definition, slots, family. */
static void
map_layout(struct rte_xdp_map *map, const char *name,
	const struct rte_xdp_map_def *def, int socket_id,
	const struct xdpc_map_ops *ops)
{
	strlcpy(map->name, name, sizeof(map->name));
	map->def = *def;
	map->value_stride = RTE_ALIGN_CEIL(def->value_size, 8);
	map->percpu = def->type == RTE_XDP_MAP_PERCPU_ARRAY ||
		def->type == RTE_XDP_MAP_PERCPU_HASH ||
		def->type == RTE_XDP_MAP_LRU_PERCPU_HASH;
	map->nb_values = map->percpu ? rte_xdp_map_nb_cpus() : 1;
	map->socket_id = socket_id;
	map->ops = ops;
}

static size_t
map_mem_size(const struct rte_xdp_map *map)
{
	if (map->ops->mem_size != NULL)
		return map->ops->mem_size(map);
	return (size_t)map->def.max_entries *
		(RTE_ALIGN_CEIL(map->def.key_size, 8) + map->value_stride);
}

size_t
xdpc_map_mem_need(const struct rte_xdp_map_def *def)
{
	const struct xdpc_map_ops *ops = map_type_ops(def->type);
	struct rte_xdp_map m;

	if (ops == NULL || map_def_check(def) != 0)
		return 0;
	memset(&m, 0, sizeof(m));
	map_layout(&m, "", def, SOCKET_ID_ANY, ops);
	return map_mem_size(&m);
}

static size_t
heap_free(int socket_id)
{
	struct rte_malloc_socket_stats st;
	unsigned int i;
	size_t sum = 0;
	int s;

	for (i = 0; i < rte_socket_count(); i++) {
		s = rte_socket_id_by_idx(i);
		if ((socket_id == SOCKET_ID_ANY || s == socket_id) &&
		    rte_malloc_get_socket_stats(s, &st) == 0)
			sum += st.heap_freesz_bytes;
	}
	return sum;
}

#define MB(bytes)	(((bytes) + (1u << 20) - 1) >> 20)

void
xdpc_map_nomem_hint(size_t need, int socket_id, char *buf, size_t len)
{
	size_t avail = heap_free(socket_id);
	size_t used = rte_eal_get_physmem_size() - RTE_MIN(avail,
		(size_t)rte_eal_get_physmem_size());

	if (rte_eal_has_hugepages()) {
		snprintf(buf, len,
			"%zu MB free, and no more hugepages to grow it: reserve more (vm.nr_hugepages) or raise the EAL's -m, --socket-mem or --socket-limit",
			avail >> 20);
		return;
	}
	/* what is used, what is needed, and room for allocation headers */
	snprintf(buf, len,
		"%zu MB free: without hugepages the EAL's memory is fixed: give EAL -m %zu (with --no-huge), or use hugepages, where DPDK's memory grows as maps need it",
		avail >> 20,
		RTE_ALIGN_CEIL(MB(used) + MB(need) + MB(need) / 16 + 16,
			(size_t)64));
}

static struct rte_xdp_map *
map_create(const char *name, const struct rte_xdp_map_def *def,
	const struct rte_xdp_map_def *inner, int socket_id)
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
	if (ret == 0 && (def->type == RTE_XDP_MAP_ARRAY_OF_MAPS ||
	    def->type == RTE_XDP_MAP_HASH_OF_MAPS) &&
	    (inner == NULL || map_type_ops(inner->type) == NULL ||
	     inner->type == RTE_XDP_MAP_ARRAY_OF_MAPS ||
	     inner->type == RTE_XDP_MAP_HASH_OF_MAPS ||
	     inner->type == RTE_XDP_MAP_PROG_ARRAY ||
	     map_def_check(inner) != 0))
		ret = -EINVAL;	/* no template, or one the kernel refuses */
	if (ret != 0) {
		XDPC_LOG(ERR, "map %s: invalid definition (type %u key %u value %u max_entries %u%s)",
			name, def->type, def->key_size, def->value_size,
			def->max_entries, def->max_entries == 0 ?
			": max_entries must be set before load" : "");
		rte_errno = -ret;
		return NULL;
	}
	map = rte_zmalloc_socket("xdp_map", sizeof(*map), RTE_CACHE_LINE_SIZE,
		socket_id);
	if (map == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	map_layout(map, name, def, socket_id, ops);
	map->refcnt = 1;
	rte_spinlock_init(&map->lock);
	if (inner != NULL) {
		map->inner_def = *inner;
		map->inner_tmpl = rte_zmalloc_socket("xdp_map_tmpl",
			sizeof(*map), 0, socket_id);
		if (map->inner_tmpl == NULL) {
			rte_free(map);
			rte_errno = ENOMEM;
			return NULL;
		}
		snprintf(map->inner_tmpl->name, sizeof(map->name), "%.50s.inner",
			name);
		map->inner_tmpl->def = *inner;
		map->inner_tmpl->value_stride = RTE_ALIGN_CEIL(
			inner->value_size, 8);
		map->inner_tmpl->ops = map_type_ops(inner->type);
	}
	ret = ops->alloc(map);
	if (ret != 0) {
		if (ret == -ENOMEM) {
			size_t need = map_mem_size(map);
			char hint[256];

			xdpc_map_nomem_hint(need, socket_id, hint, sizeof(hint));
			XDPC_LOG(ERR, "map %s: %zu MB of DPDK memory needed, %s",
				name, MB(need), hint);
		}
		rte_free(map->inner_tmpl);
		rte_free(map);
		rte_errno = -ret;
		return NULL;
	}
	rte_spinlock_lock(&all_maps_lock);
	map->id = next_map_id++;
	TAILQ_INSERT_TAIL(&all_maps, map, next);
	rte_spinlock_unlock(&all_maps_lock);
	return map;
}

int
xdpc_map_index_next_key(struct rte_xdp_map *map, const void *key,
	void *next_key)
{
	uint32_t idx = UINT32_MAX, next;

	if (key != NULL)
		memcpy(&idx, key, sizeof(idx));
	if (idx >= map->def.max_entries) {
		next = 0;
	} else {
		if (idx == map->def.max_entries - 1)
			return -ENOENT;
		next = idx + 1;
	}
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

int
xdpc_map_slots_alloc(struct rte_xdp_map *map)
{
	map->priv = rte_zmalloc_socket("xdp_map_slots",
		sizeof(void *) * map->def.max_entries, RTE_CACHE_LINE_SIZE,
		map->socket_id);
	return map->priv == NULL ? -ENOMEM : 0;
}

void
xdpc_map_priv_free(struct rte_xdp_map *map)
{
	rte_free(map->priv);
}

void *
xdpc_map_no_lookup(struct rte_xdp_map *map, const void *key,
	unsigned int cpu)
{
	RTE_SET_USED(map);
	RTE_SET_USED(key);
	RTE_SET_USED(cpu);
	return NULL;
}

int
xdpc_map_no_update(struct rte_xdp_map *map, const void *key,
	const void *value, uint64_t flags, int cpu)
{
	RTE_SET_USED(map);
	RTE_SET_USED(key);
	RTE_SET_USED(value);
	RTE_SET_USED(flags);
	RTE_SET_USED(cpu);
	return -EINVAL;
}

struct rte_xdp_map *
rte_xdp_map_create(const char *name, const struct rte_xdp_map_def *def,
	int socket_id)
{
	return map_create(name, def, NULL, socket_id);
}

struct rte_xdp_map *
xdpc_map_create_outer(const char *name, const struct rte_xdp_map_def *def,
	const struct rte_xdp_map_def *inner, int socket_id)
{
	return map_create(name, def, inner, socket_id);
}

struct rte_xdp_map *
rte_xdp_map_create_of_maps(const char *name,
	const struct rte_xdp_map_def *def, const struct rte_xdp_map *inner,
	int socket_id)
{
	if (inner == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	return map_create(name, def, &inner->def, socket_id);
}

/* bpf_map_meta_equal(): what makes an inner map fit its outer map. */
int
xdpc_map_inner_compatible(const struct rte_xdp_map *outer,
	const struct rte_xdp_map *inner)
{
	const struct rte_xdp_map_def *t = &outer->inner_def;

	return inner->def.type == t->type &&
		inner->def.key_size == t->key_size &&
		inner->def.value_size == t->value_size &&
		inner->def.map_flags == t->map_flags &&
		((t->map_flags & RTE_XDP_F_INNER_MAP) ||
		 inner->def.max_entries == t->max_entries);
}

void
xdpc_map_get(struct rte_xdp_map *map)
{
	__atomic_fetch_add(&map->refcnt, 1, __ATOMIC_RELAXED);
}

void
rte_xdp_map_free(struct rte_xdp_map *map)
{
	if (map == NULL ||
	    __atomic_sub_fetch(&map->refcnt, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	rte_spinlock_lock(&all_maps_lock);
	TAILQ_REMOVE(&all_maps, map, next);
	rte_spinlock_unlock(&all_maps_lock);
	map->ops->free(map);
	rte_free(map->inner_tmpl);
	rte_free(map);
}

uint32_t
rte_xdp_map_id(const struct rte_xdp_map *map)
{
	return map->id;
}

int
rte_xdp_map_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	struct rte_xdp_map *m;
	uint32_t best = 0;

	rte_spinlock_lock(&all_maps_lock);
	TAILQ_FOREACH(m, &all_maps, next)
		if (m->id > start_id && (best == 0 || m->id < best))
			best = m->id;
	rte_spinlock_unlock(&all_maps_lock);
	if (best == 0)
		return -ENOENT;
	*next_id = best;
	return 0;
}

struct rte_xdp_map *
rte_xdp_map_by_id(uint32_t id)
{
	struct rte_xdp_map *m;

	rte_spinlock_lock(&all_maps_lock);
	TAILQ_FOREACH(m, &all_maps, next)
		if (m->id == id)
			break;
	rte_spinlock_unlock(&all_maps_lock);
	return m;
}

void
xdpc_map_forget_prog(const void *prog)
{
	struct rte_xdp_map *m;

	rte_spinlock_lock(&all_maps_lock);
	TAILQ_FOREACH(m, &all_maps, next)
		if (m->ops->forget != NULL)
			m->ops->forget(m, prog);
	rte_spinlock_unlock(&all_maps_lock);
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
		return (size_t)map->value_stride * map->nb_values;
	return map->def.value_size;
}

void
xdpc_map_store_value(const struct rte_xdp_map *map, void *dst,
	const void *value, int cpu)
{
	unsigned int c;

	if (!map->percpu && map->has_spin_lock) {
		/* the kernel's copy_map_value(): the lock word is the lock's
		 * own; written over, a holder or a waiter would spin on it */
		uint32_t end = map->spin_lock_off + XDPC_SPIN_LOCK_SIZE;

		memcpy(dst, value, map->spin_lock_off);
		memcpy(RTE_PTR_ADD(dst, end), RTE_PTR_ADD(value, end),
			map->def.value_size - end);
		return;
	}
	if (!map->percpu) {
		memcpy(dst, value, map->def.value_size);
		return;
	}
	if (cpu == XDPC_ALL_CPUS) {
		for (c = 0; c < map->nb_values; c++)
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

	if (map->ops->user_lookup != NULL)
		return map->ops->user_lookup(map, key, value);

	v = map->ops->lookup(map, key, 0);
	if (v == NULL) {
		ret = -ENOENT;
	} else if (!map->percpu) {
		memcpy(value, v, map->def.value_size);
		if (map->has_spin_lock)	/* as the kernel: not the lock's state */
			memset(RTE_PTR_ADD(value, map->spin_lock_off), 0,
				XDPC_SPIN_LOCK_SIZE);
	} else {
		/* slot 0's address: the slots follow at value_stride */
		for (c = 0; c < map->nb_values; c++) {
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
	if (map->ops->user_update != NULL)
		return map->ops->user_update(map, key, value, flags);
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
