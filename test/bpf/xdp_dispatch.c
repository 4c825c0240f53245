// SPDX-License-Identifier: BSD-3-Clause
/* The dispatcher pattern of libxdp's multi-program loading, written
 * anew: one root program runs several programs in turn, each a global
 * function verified on its own from its BTF, and goes on to the next
 * only while the verdict is one of the chain-call actions in its
 * configuration (read-only global data); otherwise that verdict is the
 * frame's. Here the slots hold a filter, a counter and a rewriter. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define MAX_SLOTS 4

struct dispatch_conf {
	__u8 nb_progs;
	__u8 pad[3];
	__u32 chain_actions[MAX_SLOTS];	/* bit per XDP action */
};

const volatile struct dispatch_conf conf = {
	.nb_progs = 3,
	.chain_actions = {
		1 << XDP_PASS,
		(1 << XDP_PASS) | (1 << XDP_DROP),
		1 << XDP_PASS,
		1 << XDP_PASS,
	},
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

__attribute__((noinline)) int
slot_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	return eth->h_proto == __builtin_bswap16(ETH_P_ARP) ? XDP_DROP :
		XDP_PASS;
}

__attribute__((noinline)) int
slot_count(struct xdp_md *ctx)
{
	__u32 k = (ctx->data_end - ctx->data) & 3;
	__u64 *v = bpf_map_lookup_elem(&counts, &k);

	if (v)
		*v += 1;
	return XDP_PASS;
}

__attribute__((noinline)) int
slot_rewrite(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;

	if (data + ETH_HLEN + 2 > data_end)
		return XDP_PASS;
	p[ETH_HLEN] ^= 0x5a;
	return p[ETH_HLEN + 1] == 0xff ? XDP_TX : XDP_PASS;
}

static __always_inline int
run_slot(struct xdp_md *ctx, int slot)
{
	switch (slot) {
	case 0: return slot_filter(ctx);
	case 1: return slot_count(ctx);
	default: return slot_rewrite(ctx);
	}
}

SEC("xdp")
int xdp_dispatcher(struct xdp_md *ctx)
{
	int ret = XDP_PASS, i;

#pragma unroll
	for (i = 0; i < MAX_SLOTS; i++) {
		if (i >= conf.nb_progs)
			break;
		ret = run_slot(ctx, i);
		if (!((1u << ret) & conf.chain_actions[i]))
			return ret;
	}
	return ret;
}

char _license[] SEC("license") = "GPL";
