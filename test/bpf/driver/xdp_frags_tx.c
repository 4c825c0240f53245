// SPDX-License-Identifier: BSD-3-Clause
/* Multi-buffer XDP_TX: a frags-aware program that records the whole
 * frame's length and its last byte (read across fragments), then sends
 * the frame back out with all its fragments. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp.frags")
int xdp_frags_tx(struct xdp_md *ctx)
{
	__u32 k0 = 0, k1 = 1;
	__u64 len = bpf_xdp_get_buff_len(ctx), last = 0;
	__u8 byte = 0;

	if (len > 0 && bpf_xdp_load_bytes(ctx, len - 1, &byte, 1) == 0)
		last = byte;
	bpf_map_update_elem(&seen, &k0, &len, BPF_ANY);
	bpf_map_update_elem(&seen, &k1, &last, BPF_ANY);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
