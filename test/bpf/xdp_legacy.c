// SPDX-License-Identifier: BSD-3-Clause
/* An object in the old style libbpf 1.x no longer opens: map definitions
 * as struct bpf_map_def in SEC("maps") and the program in a section
 * named the way samples/bpf named them. Built twice: as is (what
 * dpdk-xdp loads) and with -DBTF_TWIN (the same maps as BTF-defined maps,
 * what the kernel differential test gives bpftool, "type xdp"). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/*
 * xdp-diff: map update name rxcnt key 3 0 0 0 value 100 0 0 0 0 0 0 0
 */

#ifndef BTF_TWIN
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") rxcnt = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 8,
};

struct bpf_map_def SEC("maps") seen = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u16),
	.value_size = sizeof(__u32),
	.max_entries = 16,
};
#else
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u64));
	__uint(max_entries, 8);
} rxcnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, sizeof(__u16));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 16);
} seen SEC(".maps");
#endif

SEC("xdp1")
int xdp_prog1(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 key, one = 1, *n;
	__u16 proto;
	__u64 *v;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	proto = eth->h_proto;
	key = proto & 7;
	v = bpf_map_lookup_elem(&rxcnt, &key);
	if (v)
		*v += 1;
	n = bpf_map_lookup_elem(&seen, &proto);
	if (n)
		*n += 1;
	else
		bpf_map_update_elem(&seen, &proto, &one, BPF_NOEXIST);
	return key == 6 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
