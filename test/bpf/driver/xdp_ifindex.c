// SPDX-License-Identifier: BSD-3-Clause
/* Records the ingress_ifindex of the last frame in seen[0] and passes it:
 * which ifindex a port goes by, as its programs see it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} seen SEC(".maps");

SEC("xdp")
int xdp_ifindex(struct xdp_md *ctx)
{
	__u32 k = 0, v = ctx->ingress_ifindex;

	bpf_map_update_elem(&seen, &k, &v, BPF_ANY);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
