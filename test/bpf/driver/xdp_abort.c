// SPDX-License-Identifier: BSD-3-Clause
/* Drops every frame as an exception: XDP_ABORTED, or the invalid verdict
 * 7 when the last byte of the IPv4 destination (frame byte 33) is odd.
 * Counts the frames it saw in seen[0] and the invalid verdicts it gave in
 * seen[1], so that tests can check the port's counters and trace. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define INVALID_VERDICT	7
#define DST_LAST_BYTE	33	/* 14 (Ethernet) + 16 + 3 */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int xdp_abort(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	__u32 k0 = 0, k1 = 1;
	__u64 *frames = bpf_map_lookup_elem(&seen, &k0);
	__u64 *invalid = bpf_map_lookup_elem(&seen, &k1);

	if (!frames || !invalid)
		return XDP_ABORTED;
	__sync_fetch_and_add(frames, 1);
	if (data + DST_LAST_BYTE + 1 <= data_end && (data[DST_LAST_BYTE] & 1)) {
		__sync_fetch_and_add(invalid, 1);
		return INVALID_VERDICT;
	}
	return XDP_ABORTED;
}

char _license[] SEC("license") = "GPL";
