// SPDX-License-Identifier: BSD-3-Clause
/* Claims 200 bytes of headroom (as an encapsulating program would) and
 * writes a mark into them: the kernel guarantees XDP_PACKET_HEADROOM
 * (256) bytes before the data in generic mode. Records the helper's
 * result in res[0] and the frame length seen in res[1]; passes the frame
 * either way. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __s64);
} res SEC(".maps");

SEC("xdp")
int xdp_headroom(struct xdp_md *ctx)
{
	__u32 k0 = 0, k1 = 1;
	__s64 r, len = ctx->data_end - ctx->data;
	void *data, *data_end;
	__u8 *p;

	bpf_map_update_elem(&res, &k1, &len, BPF_ANY);
	r = bpf_xdp_adjust_head(ctx, -200);
	bpf_map_update_elem(&res, &k0, &r, BPF_ANY);
	if (r != 0)
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	p = data;
	if (data + 200 > data_end)
		return XDP_DROP;
	__builtin_memset(p, 0xa5, 200);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
