// SPDX-License-Identifier: BSD-3-Clause
/* Tail calls through a prog array filled from the control plane (see the
 * xdp-diff lines): a root program that dispatches on the low bits of the
 * EtherType (a missing slot falls through), a two-stage chain, a program
 * that tail-calls itself until the kernel's limit of 33 stops it, and one
 * whose failed attempts count towards that limit. Every program bumps
 * its counters in "hits". */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* xdp-diff: map update name jmp key 1 0 0 0 value name xdp_tc_stage1
 * xdp-diff: map update name jmp key 2 0 0 0 value name xdp_tc_stage2
 * xdp-diff: map update name jmp key 3 0 0 0 value name xdp_tc_loop
 * xdp-diff: map update name jmp key 6 0 0 0 value name xdp_tc_count
 */

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} jmp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void
hit(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &k);

	if (v)
		*v += 1;
}

SEC("xdp")
int xdp_tc_root(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;

	hit(0);
	bpf_tail_call(ctx, &jmp, 7);	/* empty: goes on */
	bpf_tail_call(ctx, &jmp, 100);	/* past max_entries: goes on */
	if (data + ETH_HLEN > data_end)
		return XDP_DROP;
	bpf_tail_call(ctx, &jmp, p[13] & 7);
	hit(1);
	return XDP_PASS;
}

SEC("xdp")
int xdp_tc_stage1(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;

	hit(2);
	if (data + ETH_HLEN > data_end)
		return XDP_DROP;
	p[0] ^= 0xff;
	bpf_xdp_adjust_head(ctx, 2);	/* the next program sees the move */
	bpf_tail_call(ctx, &jmp, 2);
	return XDP_ABORTED;
}

SEC("xdp")
int xdp_tc_stage2(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;

	hit(3);
	if (data + 4 > data_end)
		return XDP_DROP;
	p[3] = (__u8)(data_end - data);
	return XDP_TX;
}

SEC("xdp")
int xdp_tc_loop(struct xdp_md *ctx)
{
	hit(4);
	bpf_tail_call(ctx, &jmp, 3);	/* itself, until the limit */
	hit(5);
	return XDP_PASS;
}

SEC("xdp")
int xdp_tc_count(struct xdp_md *ctx)
{
	int i;

	hit(6);
#pragma unroll
	for (i = 0; i < 40; i++)
		bpf_tail_call(ctx, &jmp, 5);	/* empty */
	bpf_tail_call(ctx, &jmp, 2);
	hit(7);
	return XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
