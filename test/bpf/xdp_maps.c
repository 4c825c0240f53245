// SPDX-License-Identifier: BSD-3-Clause
/* Every map type of the runtime, used from a program: counts per key in
 * the hash family (deleting at 3), per slot in the arrays, inserts and
 * looks up prefixes in an LPM trie, and reads the redirect maps' entries
 * (set from the control plane, see the xdp-diff lines). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* xdp-diff: map update name tx_port key 0 0 0 0 value 1 0 0 0
 * xdp-diff: map update name tx_hash key 7 0 0 0 value 1 0 0 0
 * xdp-diff: map update name cpus key 0 0 0 0 value 192 0 0 0
 */

#define HASH(n, t)						\
	struct {						\
		__uint(type, t);				\
		__uint(max_entries, 8);				\
		__type(key, __u32);				\
		__type(value, __u64);				\
	} n SEC(".maps")

HASH(hash_m, BPF_MAP_TYPE_HASH);
HASH(pc_hash, BPF_MAP_TYPE_PERCPU_HASH);
HASH(lru_m, BPF_MAP_TYPE_LRU_HASH);
HASH(lru_pc, BPF_MAP_TYPE_LRU_PERCPU_HASH);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} pc_arr SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 8);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_key);
	__type(value, __u32);
} lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} tx_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

static __always_inline void
count(void *map, __u32 key, int del)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, &key);

	if (!v) {
		bpf_map_update_elem(map, &key, &one, BPF_NOEXIST);
		return;
	}
	*v += 1;
	if (del && *v >= 3)
		bpf_map_delete_elem(map, &key);
}

SEC("xdp")
int xdp_maps(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct lpm_key k = { 8, { 10, 0, 0, 0 } };
	__u32 key, val = 8, *u;
	__u64 *c;
	__u8 *p = data;

	if (data + ETH_HLEN + 20 > data_end)
		return XDP_DROP;
	key = p[13];
	count(&hash_m, key, 1);
	count(&pc_hash, key, 0);
	count(&lru_m, key, 0);
	count(&lru_pc, key, 1);
	key &= 7;
	c = bpf_map_lookup_elem(&arr, &key);
	if (c)
		*c += p[12];
	key &= 3;
	u = bpf_map_lookup_elem(&pc_arr, &key);
	if (u)
		*u += 1;
	bpf_map_update_elem(&lpm, &k, &val, BPF_ANY);
	k.prefixlen = 16;
	k.addr[1] = 1;
	val = 16;
	bpf_map_update_elem(&lpm, &k, &val, BPF_ANY);
	/* look up the IPv4 destination (or whatever is there) */
	k.prefixlen = 32;
	__builtin_memcpy(k.addr, p + ETH_HLEN + 16, 4);
	u = bpf_map_lookup_elem(&lpm, &k);
	key = 4;
	c = bpf_map_lookup_elem(&arr, &key);
	if (c)
		*c += u ? *u : 1000;
	/* redirect map entries as programs see them */
	key = 0;
	u = bpf_map_lookup_elem(&tx_port, &key);
	key = 5;
	c = bpf_map_lookup_elem(&arr, &key);
	if (c && u)
		*c += *u;
	key = 7;
	u = bpf_map_lookup_elem(&tx_hash, &key);
	key = 6;
	c = bpf_map_lookup_elem(&arr, &key);
	if (c && u)
		*c += *u + 10;
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
