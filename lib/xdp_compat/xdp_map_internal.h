/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_MAP_INTERNAL_H
#define XDP_MAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/queue.h>

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
	/* bytes alloc takes (NULL: about max_entries keys and values) */
	size_t (*mem_size)(const struct rte_xdp_map *map);
	int (*alloc)(struct rte_xdp_map *map);
	void (*free)(struct rte_xdp_map *map);
	void *(*lookup)(struct rte_xdp_map *map, const void *key,
		unsigned int cpu);
	int (*update)(struct rte_xdp_map *map, const void *key,
		const void *value, uint64_t flags, int cpu);
	int (*delete)(struct rte_xdp_map *map, const void *key);
	int (*get_next_key)(struct rte_xdp_map *map, const void *key,
		void *next_key);
	/* bpf(2) lookup and update, when they differ from the data path's
	 * (maps of programs or maps: ids in the user's value) */
	int (*user_lookup)(struct rte_xdp_map *map, const void *key,
		void *value);
	int (*user_update)(struct rte_xdp_map *map, const void *key,
		const void *value, uint64_t flags);
	/* a program is unloaded: drop every reference to it */
	void (*forget)(struct rte_xdp_map *map, const void *prog);
};

struct rte_xdp_map {
	char name[64];
	struct rte_xdp_map_def def;
	uint32_t value_stride;	/* value_size rounded up to 8 */
	bool percpu;
	uint32_t nb_values;	/* percpu: values per element, one per CPU */
	int socket_id;
	const struct xdpc_map_ops *ops;
	void *priv;
	rte_spinlock_t lock;	/* writers (and hash readers) */
	uint32_t id;		/* as the kernel's map id, from 1 */
	uint32_t refcnt;	/* its creator and the maps of maps holding it */
	/* maps of maps: what every inner map must look like */
	struct rte_xdp_map_def inner_def;
	struct rte_xdp_map *inner_tmpl;	/* a map with inner_def, no data */
	/* prog arrays: the kind of program that may go in (its owner) */
	int owner_set;
	int owner_frags;
	/* a struct bpf_spin_lock in each value (from the object's BTF) */
	uint8_t has_spin_lock;
	uint32_t spin_lock_off;
	TAILQ_ENTRY(rte_xdp_map) next;
};

/* sizeof(struct bpf_spin_lock): the lock word */
#define XDPC_SPIN_LOCK_SIZE	4

/*
 * Pieces several map types share: u32 index iteration (arrays and the
 * kinds of arrays), a zeroed array of max_entries pointers in map->priv
 * (perf event arrays, prog arrays, arrays of maps), freeing map->priv, and
 * the data-path lookup and update of maps programs may not use that way.
 */
int xdpc_map_index_next_key(struct rte_xdp_map *map, const void *key,
	void *next_key);
int xdpc_map_slots_alloc(struct rte_xdp_map *map);
void xdpc_map_priv_free(struct rte_xdp_map *map);
void *xdpc_map_no_lookup(struct rte_xdp_map *map, const void *key,
	unsigned int cpu);
int xdpc_map_no_update(struct rte_xdp_map *map, const void *key,
	const void *value, uint64_t flags, int cpu);

/* The kernel's limit for array and hash values (KMALLOC_MAX_SIZE). */
#define XDPC_MAX_VALUE_SIZE	(4u << 20)

/* DEVMAP, CPUMAP, XSKMAP (xdp_map_redirect.c): values, then a byte per
 * entry that says it is set. */
struct xdpc_redirect_array {
	uint8_t *present;
	uint8_t values[];
};

/* Their lookup, for bpf_redirect_map() without the dispatch. */
static inline void *
xdpc_redirect_array_lookup(const struct rte_xdp_map *map, uint32_t idx)
{
	struct xdpc_redirect_array *ra = map->priv;

	if (idx >= map->def.max_entries ||
	    !__atomic_load_n(&ra->present[idx], __ATOMIC_ACQUIRE))
		return NULL;
	return ra->values + (size_t)map->value_stride * idx;
}

/* Update from a program or from one lcore's slot: cpu = XDPC_ALL_CPUS
 * means a control-plane buffer with one value per CPU. */
#define XDPC_ALL_CPUS	(-1)

extern const struct xdpc_map_ops xdpc_array_ops;
extern const struct xdpc_map_ops xdpc_hash_ops;
extern const struct xdpc_map_ops xdpc_lpm_ops;
extern const struct xdpc_map_ops xdpc_redirect_array_ops;
extern const struct xdpc_map_ops xdpc_prog_array_ops;
extern const struct xdpc_map_ops xdpc_array_of_maps_ops;
extern const struct xdpc_map_ops xdpc_hash_of_maps_ops;
extern const struct xdpc_map_ops xdpc_perf_array_ops;
extern const struct xdpc_map_ops xdpc_ringbuf_ops;

/* Map of maps: a map with the same definition as the template, or NULL
 * with rte_errno set. */
struct rte_xdp_map *xdpc_map_create_outer(const char *name,
	const struct rte_xdp_map_def *def, const struct rte_xdp_map_def *inner,
	int socket_id);
int xdpc_map_inner_compatible(const struct rte_xdp_map *outer,
	const struct rte_xdp_map *inner);
void xdpc_map_get(struct rte_xdp_map *map);
/* rte_xdp_map_free() is the put: the last reference frees. */

/* A program is unloaded: no prog array may still hold it. */
void xdpc_map_forget_prog(const void *prog);

/* rte_xdp_map_nb_cpus() once fixed, else 0 */
extern uint32_t xdpc_nb_cpus;

/*
 * The per-CPU slot of the calling thread (bpf_get_smp_processor_id()):
 * its lcore id, or the last slot for a thread without one below it
 * (control threads; threads registered after the slots were fixed).
 */
static inline unsigned int
xdpc_cpu(void)
{
	unsigned int n = __atomic_load_n(&xdpc_nb_cpus, __ATOMIC_RELAXED);
	unsigned int id = rte_lcore_id();

	if (unlikely(n == 0))
		n = rte_xdp_map_nb_cpus();
	return id < n - 1 ? id : n - 1;
}

/* Data-path entry points used by the helpers. */
static inline void *
xdpc_map_lookup(struct rte_xdp_map *map, const void *key)
{
	return map->ops->lookup(map, key, xdpc_cpu());
}

/* Bytes of DPDK memory a map of that definition takes (0: invalid). */
size_t xdpc_map_mem_need(const struct rte_xdp_map_def *def);

/*
 * What to do when maps that need that many bytes could not be created:
 * the memory free, and the EAL option that gives more (a larger fixed -m
 * without hugepages, whose value it says; more hugepages with them).
 */
void xdpc_map_nomem_hint(size_t need, int socket_id, char *buf, size_t len);

/* Copy a value into slot(s) of a per-CPU or plain value area. */
void xdpc_map_store_value(const struct rte_xdp_map *map, void *dst,
	const void *value, int cpu);

#endif /* XDP_MAP_INTERNAL_H */
