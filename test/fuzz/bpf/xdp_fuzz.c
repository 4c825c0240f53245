// SPDX-License-Identifier: BSD-3-Clause
/*
 * Programs for fuzz_frame_path: every verdict, and one that moves data,
 * data_end and data_meta with the adjust helpers by the amounts the
 * fuzzer put in the control map, to and past their limits, then writes
 * where the frame and the metadata now are.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#include "xdp_fuzz.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fuzz_cfg);
} cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

static __always_inline int
tx_or_drop(struct fuzz_cfg *c)
{
	if (c->tx_budget <= 0)
		return XDP_DROP;
	c->tx_budget--;
	return XDP_TX;
}

SEC("xdp")
int fuzz_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int fuzz_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

/* Like xdp2: swap the MACs and send the frame back. */
SEC("xdp")
int fuzz_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char tmp[ETH_ALEN];
	__u32 key = 0;
	struct fuzz_cfg *c = bpf_map_lookup_elem(&cfg, &key);

	if (!c)
		return XDP_ABORTED;
	if ((void *)(eth + 1) <= data_end) {
		__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
		__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
		__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
	}
	return tx_or_drop(c);
}

static __always_inline void
step(struct xdp_md *ctx, struct fuzz_cfg *c, int i)
{
	switch (c->op[i]) {
	case FUZZ_OP_HEAD:
		c->ret[i] = bpf_xdp_adjust_head(ctx, c->delta[i]);
		break;
	case FUZZ_OP_TAIL:
		c->ret[i] = bpf_xdp_adjust_tail(ctx, c->delta[i]);
		break;
	case FUZZ_OP_META:
		c->ret[i] = bpf_xdp_adjust_meta(ctx, c->delta[i]);
		break;
	default:
		c->ret[i] = 0;
		break;
	}
}

SEC("xdp")
int fuzz_adjust(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct fuzz_cfg *c = bpf_map_lookup_elem(&cfg, &key);
	void *data, *data_end, *meta;

	if (!c)
		return XDP_ABORTED;
	step(ctx, c, 0);
	step(ctx, c, 1);
	step(ctx, c, 2);
	step(ctx, c, 3);
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	meta = (void *)(long)ctx->data_meta;
	if (data + ETH_HLEN <= data_end) {
		((__u8 *)data)[0] = 0xfe;
		((__u8 *)data)[ETH_HLEN - 1] = 0xef;
	}
	if (meta + 4 <= data)
		*(__u32 *)meta = 0xfeedf00d;
	switch (c->verdict) {
	case XDP_TX:
		return tx_or_drop(c);
	case XDP_REDIRECT:
		return bpf_redirect_map(&tx_port, 0, XDP_DROP);
	default:
		return c->verdict;	/* any value, invalid ones too */
	}
}

char _license[] SEC("license") = "GPL";
