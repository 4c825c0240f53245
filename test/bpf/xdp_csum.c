// SPDX-License-Identifier: BSD-3-Clause
/* bpf_csum_diff from programs of two stack sizes (24 and 32 bytes), so
 * that one of them calls it on a stack rte_bpf's JIT leaves misaligned:
 * the helper's SSE2 sum faults there unless it realigns its stack. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

static __always_inline int
sum(struct xdp_md *ctx, __u32 *w, int n)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__s64 c;

	c = bpf_csum_diff(0, 0, w, n * 4, 0);
	if (data + ETH_HLEN + 4 > data_end)
		return XDP_DROP;
	*(__u32 *)(data + ETH_HLEN) = c;
	return XDP_PASS;
}

SEC("xdp")
int xdp_csum24(struct xdp_md *ctx)
{
	volatile __u32 w[6] = { 1, 2, 3, 4, 5, 0xffffffff };

	return sum(ctx, (__u32 *)w, 6);
}

SEC("xdp")
int xdp_csum32(struct xdp_md *ctx)
{
	volatile __u32 w[8] = { 1, 2, 3, 4, 5, 6, 7, 0xfffffff0 };

	return sum(ctx, (__u32 *)w, 8);
}

char _license[] SEC("license") = "Dual BSD/GPL";
