// SPDX-License-Identifier: BSD-3-Clause
/* Maps of maps: an ARRAY_OF_MAPS and a HASH_OF_MAPS whose inner maps come
 * from the BTF .values initialisers and from the control plane (see the
 * xdp-diff lines). The program picks an inner map by the low bits of the
 * EtherType, counts in it and records which inner maps were found; a
 * per-CPU hash inner template shows the helpers taking the inner map's
 * kind. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* xdp-diff: map update name by_slot key 1 0 0 0 value name counts_c
 * xdp-diff: map update name by_proto key 6 8 0 0 value name counts_b
 * xdp-diff: map update name by_proto key 221 134 0 0 value name counts_a
 */

struct counts {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct counts counts_a SEC(".maps"), counts_b SEC(".maps"),
	counts_c SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct counts);
} by_slot SEC(".maps") = {
	.values = { [0] = &counts_a, [2] = &counts_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct counts);
} by_proto SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} found SEC(".maps");

static __always_inline void
bump(void *inner, __u32 k)
{
	__u64 *v = bpf_map_lookup_elem(inner, &k);

	if (v)
		*v += 1;
}

SEC("xdp")
int xdp_mapinmap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	__u32 slot, proto, zero = 0, one = 1, two = 2, *f;
	__u64 seven = 7;
	void *inner;

	if (data + ETH_HLEN > data_end)
		return XDP_DROP;
	slot = p[13] & 3;
	proto = p[12] | (p[13] << 8);
	inner = bpf_map_lookup_elem(&by_slot, &slot);
	if (inner) {
		bump(inner, 0);
		bump(inner, slot);
		f = bpf_map_lookup_elem(&found, &zero);
		if (f)
			*f += 1;
	}
	inner = bpf_map_lookup_elem(&by_proto, &proto);
	if (!inner)
		return XDP_PASS;
	bump(inner, 3);
	bpf_map_update_elem(inner, &two, &seven, BPF_ANY);
	f = bpf_map_lookup_elem(&found, &one);
	if (f)
		*f += 1;
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
