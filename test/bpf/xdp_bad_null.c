// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a map lookup result used without a NULL check. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");

SEC("xdp")
int xdp_bad_null(struct xdp_md *ctx)
{
	__u32 k = ctx->rx_queue_index;
	__u64 *v = bpf_map_lookup_elem(&h, &k);

	return *v ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
