// SPDX-License-Identifier: BSD-3-Clause
/* Like the kernel's samples/bpf xdp2: swap the MAC addresses and send the
 * frame back out of the port it came in on (XDP_TX). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} txcnt SEC(".maps");

SEC("xdp")
int xdp_prog2(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char tmp[ETH_ALEN];
	__u32 key = 0;
	__u64 *value;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
	value = bpf_map_lookup_elem(&txcnt, &key);
	if (value)
		*value += 1;
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
