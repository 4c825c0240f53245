// SPDX-License-Identifier: BSD-3-Clause
/* Array and per-CPU array lookups at an index from the frame (byte 14,
 * low 4 bits: half of them past max_entries): a NULL result drops the
 * frame, a value is counted. The lookups the runtime calls without the
 * map dispatch; the kernel inlines them. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} pc_arr SEC(".maps");

SEC("xdp")
int xdp_arrlookup(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	__u32 key;
	__u64 *a;
	__u32 *c;

	if (data + 16 > data_end)
		return XDP_ABORTED;
	key = p[14] & 15;
	a = bpf_map_lookup_elem(&arr, &key);
	c = bpf_map_lookup_elem(&pc_arr, &key);
	if (!a)
		return c ? XDP_ABORTED : XDP_DROP;
	*a += 1;
	if (c)
		*c += p[15];
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
