// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a map type the runtime does not have (a ring buffer). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int xdp_bad_maptype(struct xdp_md *ctx)
{
	bpf_ringbuf_output(&events, &ctx, 0, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
