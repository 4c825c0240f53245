/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_MAP_H
#define RTE_XDP_MAP_H

/**
 * @file
 * XDP maps in DPDK memory, with the kernel's semantics: map types, update
 * flags and errno values (returned negated) are those of bpf(2).
 *
 * The control-plane calls (rte_xdp_map_lookup/update/delete/get_next_key)
 * behave like the bpf(2) commands: for per-CPU maps the value buffer holds
 * rte_xdp_map_nb_cpus() values, each rounded up to 8 bytes. They may be
 * called while programs run on other lcores.
 *
 * Where the kernel takes a file descriptor as a value and gives back an
 * id, these calls take and give ids: a u32 program id
 * (rte_xdp_prog_id()) in a PROG_ARRAY, a u32 map id (rte_xdp_map_id())
 * in an ARRAY_OF_MAPS or HASH_OF_MAPS. PERF_EVENT_ARRAY slots are filled
 * by rte_xdp_perf_buffer_new() and RINGBUF maps are read with
 * rte_xdp_ring_buffer_new() (rte_xdp_events.h).
 */

#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Map types: the kernel's enum bpf_map_type values. */
#define RTE_XDP_MAP_HASH		1
#define RTE_XDP_MAP_ARRAY		2
#define RTE_XDP_MAP_PROG_ARRAY		3
#define RTE_XDP_MAP_PERF_EVENT_ARRAY	4
#define RTE_XDP_MAP_PERCPU_HASH		5
#define RTE_XDP_MAP_PERCPU_ARRAY	6
#define RTE_XDP_MAP_LRU_HASH		9
#define RTE_XDP_MAP_LRU_PERCPU_HASH	10
#define RTE_XDP_MAP_LPM_TRIE		11
#define RTE_XDP_MAP_ARRAY_OF_MAPS	12
#define RTE_XDP_MAP_HASH_OF_MAPS	13
#define RTE_XDP_MAP_DEVMAP		14
#define RTE_XDP_MAP_CPUMAP		16
#define RTE_XDP_MAP_XSKMAP		17
#define RTE_XDP_MAP_DEVMAP_HASH		25
#define RTE_XDP_MAP_RINGBUF		27

/* map_flags: the kernel's BPF_F_INNER_MAP (inner maps may differ in
 * max_entries) and BPF_F_LOCK (update flag: values with a spin lock). */
#define RTE_XDP_F_INNER_MAP	(1u << 12)
#define RTE_XDP_F_LOCK		4

/* Update flags: the kernel's BPF_ANY, BPF_NOEXIST, BPF_EXIST. */
#define RTE_XDP_ANY	0
#define RTE_XDP_NOEXIST	1
#define RTE_XDP_EXIST	2

struct rte_xdp_map;

/** Map definition, as in a BTF-defined map or bpf(BPF_MAP_CREATE). */
struct rte_xdp_map_def {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
};

/**
 * Create a map. Returns NULL with rte_errno set (EINVAL for a definition
 * the kernel would refuse, ENOTSUP for an unsupported type, ENOMEM).
 */
struct rte_xdp_map *rte_xdp_map_create(const char *name,
	const struct rte_xdp_map_def *def, int socket_id);

/**
 * Create an ARRAY_OF_MAPS or HASH_OF_MAPS map (def->value_size 4) whose
 * inner maps must be like inner (the kernel's inner_map_fd): same type,
 * key and value sizes and flags, and max_entries unless inner has
 * RTE_XDP_F_INNER_MAP.
 */
struct rte_xdp_map *rte_xdp_map_create_of_maps(const char *name,
	const struct rte_xdp_map_def *def, const struct rte_xdp_map *inner,
	int socket_id);

/**
 * Free a map; no program may still reference it. A map still held by a
 * map of maps is freed when it leaves the last one. NULL is ignored.
 */
void rte_xdp_map_free(struct rte_xdp_map *map);

/** The map's id (from 1, unique in the process), as the kernel's. */
uint32_t rte_xdp_map_id(const struct rte_xdp_map *map);

/** The map of that id, or NULL. */
struct rte_xdp_map *rte_xdp_map_by_id(uint32_t id);

/**
 * bpf(BPF_MAP_GET_NEXT_ID): the smallest map id above start_id;
 * -ENOENT after the last.
 */
__rte_experimental
int rte_xdp_map_get_next_id(uint32_t start_id, uint32_t *next_id);

const char *rte_xdp_map_name(const struct rte_xdp_map *map);
const struct rte_xdp_map_def *rte_xdp_map_def(const struct rte_xdp_map *map);

/**
 * Number of per-CPU value slots, as the kernel's possible CPUs: the lcore
 * ids EAL gave (up to the highest: main, workers, service cores,
 * registered threads), then one slot shared by threads without such an
 * id (control threads). Fixed by the first call once EAL is initialised
 * (the first map creation at the latest).
 */
unsigned int rte_xdp_map_nb_cpus(void);

/** Size of the value buffer the control-plane calls use. */
size_t rte_xdp_map_user_value_size(const struct rte_xdp_map *map);

/** bpf(BPF_MAP_LOOKUP_ELEM): copy the value out; -ENOENT if absent. */
int rte_xdp_map_lookup(struct rte_xdp_map *map, const void *key, void *value);

/** bpf(BPF_MAP_UPDATE_ELEM) with RTE_XDP_ANY/NOEXIST/EXIST. */
int rte_xdp_map_update(struct rte_xdp_map *map, const void *key,
	const void *value, uint64_t flags);

/** bpf(BPF_MAP_DELETE_ELEM). */
int rte_xdp_map_delete(struct rte_xdp_map *map, const void *key);

/**
 * bpf(BPF_MAP_GET_NEXT_KEY): key NULL (or absent) gives the first key;
 * -ENOENT after the last.
 */
int rte_xdp_map_get_next_key(struct rte_xdp_map *map, const void *key,
	void *next_key);

#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_MAP_H */
