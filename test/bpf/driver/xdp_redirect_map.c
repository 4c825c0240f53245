// SPDX-License-Identifier: BSD-3-Clause
/* Like the kernel's samples/bpf xdp_redirect_map: every frame goes to the
 * port in tx_port[0]; a missing entry drops it (XDP_DROP as the fallback
 * action in the flags). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

SEC("xdp")
int xdp_redirect_map_prog(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_port, 0, XDP_DROP);
}

char _license[] SEC("license") = "GPL";
