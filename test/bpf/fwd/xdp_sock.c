// SPDX-License-Identifier: BSD-3-Clause
/*
 * xdp_sock: every frame of an RX queue goes to the socket in xsks_map at
 * that queue's index (dpdk-xdpsock, like the kernel's samples/bpf
 * xdpsock); without a socket there, the frame is passed. Counts frames
 * per queue in rx_cnt.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} rx_cnt SEC(".maps");

SEC("xdp")
int xdp_sock_prog(struct xdp_md *ctx)
{
	__u32 q = ctx->rx_queue_index;
	__u64 *c = bpf_map_lookup_elem(&rx_cnt, &q);

	if (c)
		*c += 1;
	return bpf_redirect_map(&xsks_map, q, XDP_PASS);
}

char _license[] SEC("license") = "GPL";
