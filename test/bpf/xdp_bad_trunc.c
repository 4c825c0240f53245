// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a stack address cut to 32 bits passed as a map key
 * (the kernel: "R2 type=scalar expected=fp"); the helper would read
 * from the truncated address. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");

SEC("xdp")
int xdp_bad_trunc(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	__u64 val = 1;
	__u32 low = (__u32)(unsigned long)&key;

	bpf_map_update_elem(&h, (void *)(unsigned long)low, &val, BPF_ANY);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
