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
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Map types: the kernel's enum bpf_map_type values. */
#define RTE_XDP_MAP_HASH		1
#define RTE_XDP_MAP_ARRAY		2
#define RTE_XDP_MAP_PERCPU_HASH		5
#define RTE_XDP_MAP_PERCPU_ARRAY	6
#define RTE_XDP_MAP_LRU_HASH		9
#define RTE_XDP_MAP_LRU_PERCPU_HASH	10
#define RTE_XDP_MAP_LPM_TRIE		11
#define RTE_XDP_MAP_DEVMAP		14
#define RTE_XDP_MAP_CPUMAP		16
#define RTE_XDP_MAP_XSKMAP		17
#define RTE_XDP_MAP_DEVMAP_HASH		25

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

/** Free a map; no program may still reference it. NULL is ignored. */
void rte_xdp_map_free(struct rte_xdp_map *map);

const char *rte_xdp_map_name(const struct rte_xdp_map *map);
const struct rte_xdp_map_def *rte_xdp_map_def(const struct rte_xdp_map *map);

/** Number of per-CPU value slots (one per possible lcore). */
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
