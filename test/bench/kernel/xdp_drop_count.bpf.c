/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sink programs for kernel_xdp_bench, attached in native (driver) mode
 * to the receiving veth:
 *   xdp_drop_count - counts every frame, then XDP_DROP (mode=xdp);
 *   xdp_sink_pass  - XDP_PASS, only there so that in mode=tc the veth
 *                    receives through the same NAPI path as in mode=xdp.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} xdp_drop_cnt SEC(".maps");

SEC("xdp")
int xdp_drop_count(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *cnt = bpf_map_lookup_elem(&xdp_drop_cnt, &key);

	if (cnt)
		(*cnt)++;
	return XDP_DROP;
}

SEC("xdp")
int xdp_sink_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
