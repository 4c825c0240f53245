// SPDX-License-Identifier: BSD-3-Clause
/* One perf event record per frame on the current CPU's buffer, nothing
 * else: many threads running it at once exercise the buffers' producers
 * (xdp_map_mem_autotest). The record: a cookie and the frame length. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
} samples SEC(".maps");

SEC("xdp")
int xdp_perf_sample(struct xdp_md *ctx)
{
	__u32 rec[2] = { 0x5a5a0001, ctx->data_end - ctx->data };

	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, rec,
		sizeof(rec));
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
