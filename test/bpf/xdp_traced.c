// SPDX-License-Identifier: BSD-3-Clause
/* An XDP program beside programs of other kinds, as in bpf-examples and
 * xdp-tools objects: an iterator the kernel loads, a tracepoint
 * program it refuses (a write to its read-only context) and a kprobe
 * (with the others, a list of programs not XDP longer than 255 bytes,
 * as xdp-bench's objects have).
 * --verify kernel gives the kernel the XDP program only: it loads, and
 * the others are reported as not XDP. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} traced_seen SEC(".maps");

SEC("xdp")
int xdp_traced(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&traced_seen, &zero);

	if (n != NULL)
		*n += 1;
	return XDP_PASS;
}

SEC("iter/bpf_map")
int iter_maps(void *ctx)
{
	return 0;
}

SEC("tracepoint/xdp/xdp_exception")
int trace_exception(void *ctx)
{
	*(volatile __u64 *)(ctx + 8) = 0;
	return 0;
}

SEC("kprobe/xdp_do_redirect")
int probe_redirect(void *ctx)
{
	return 0;
}

char _license[] SEC("license") = "Dual BSD/GPL";
