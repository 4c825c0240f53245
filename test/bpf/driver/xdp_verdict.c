// SPDX-License-Identifier: BSD-3-Clause
/* Returns the verdict the control plane put in cfg[0]; for XDP_REDIRECT
 * it calls bpf_redirect(cfg[1]). Counts frames in cfg[2]. Lets one object
 * drive every verdict, invalid ones included. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u32);
} cfg SEC(".maps");

SEC("xdp")
int xdp_verdict(struct xdp_md *ctx)
{
	__u32 k0 = 0, k1 = 1, k2 = 2;
	__u32 *verdict = bpf_map_lookup_elem(&cfg, &k0);
	__u32 *ifindex = bpf_map_lookup_elem(&cfg, &k1);
	__u32 *seen = bpf_map_lookup_elem(&cfg, &k2);

	if (!verdict || !ifindex || !seen)
		return XDP_ABORTED;
	__sync_fetch_and_add(seen, 1);
	if (*verdict == XDP_REDIRECT)
		return bpf_redirect(*ifindex, 0);
	return *verdict;
}

char _license[] SEC("license") = "GPL";
