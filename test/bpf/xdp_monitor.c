// SPDX-License-Identifier: BSD-3-Clause
/* An object as monitoring tools ship it: an XDP program and tracepoint
 * programs on the kernel's xdp tracepoints sharing a counter map. The
 * XDP program loads; the tracepoint programs are listed as kernel-only
 * and not loaded. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} events SEC(".maps");

static __always_inline void
bump(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&events, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int xdp_monitored(struct xdp_md *ctx)
{
	bump(0);
	return XDP_PASS;
}

SEC("tracepoint/xdp/xdp_redirect_err")
int trace_redirect_err(void *ctx)
{
	bump(1);
	return 0;
}

SEC("tracepoint/xdp/xdp_exception")
int trace_exception(void *ctx)
{
	bump(2);
	return 0;
}

char _license[] SEC("license") = "GPL";
