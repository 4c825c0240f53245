// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a loop the kernel accepts (its verifier walks every
 * trip count the packet can give) but whose trip count is no constant
 * of the code: it is neither unrollable nor expressible on rte_bpf. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} acc SEC(".maps");

SEC("xdp")
int xdp_bad_loop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	__u32 zero = 0, n, i;
	__u64 *v;

	if (data + 1 > data_end)
		return XDP_DROP;
	n = p[0] & 15;
#pragma clang loop unroll(disable)
	for (i = 0; i < n; i++) {
		v = bpf_map_lookup_elem(&acc, &zero);
		if (v)
			*v += i;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
