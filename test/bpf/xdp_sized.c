// SPDX-License-Identifier: BSD-3-Clause
/* A map whose size is left to the loader (max_entries 0 in the object,
 * as programs that size their tables at load time ship them): it loads
 * only once its size is set (rte_xdp_obj_set_max_entries(), dpdk-xdp
 * "prog load OBJ map name flows max_entries N"). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 0);		/* set by the loader */
	__type(key, __u32);
	__type(value, __u64);
} flows SEC(".maps");

SEC("xdp")
int xdp_sized(struct xdp_md *ctx)
{
	__u32 k = ctx->ingress_ifindex;
	__u64 one = 1, *v = bpf_map_lookup_elem(&flows, &k);

	if (v)
		*v += 1;
	else
		bpf_map_update_elem(&flows, &k, &one, BPF_ANY);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
