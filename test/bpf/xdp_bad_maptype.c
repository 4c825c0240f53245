// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a map type the runtime does not have (a queue). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 16);
	__uint(value_size, sizeof(__u32));
} backlog SEC(".maps");

SEC("xdp")
int xdp_bad_maptype(struct xdp_md *ctx)
{
	__u32 v = ctx->ingress_ifindex;

	bpf_map_push_elem(&backlog, &v, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
