// SPDX-License-Identifier: BSD-3-Clause
/* Every struct xdp_md field a receive program may read (data, data_end,
 * data_meta, ingress_ifindex, rx_queue_index), written into the frame,
 * plus a global (non-static) function in .text called through a real
 * bpf-to-bpf call. The xdp/devmap and xdp/cpumap programs of this object
 * read egress_ifindex (devmap only) and are loaded but, as in the kernel,
 * not test-run; the xdp.frags program runs like a plain one. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

__u32 seen_ifindex, seen_queue, seen_len;

__attribute__((noinline)) int
fields_sum(__u32 a, __u32 b)
{
	return (a << 8) + b;
}

static __always_inline int
record(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	void *meta = (void *)(long)ctx->data_meta;
	__u8 *p = data;

	seen_ifindex = ctx->ingress_ifindex;
	seen_queue = ctx->rx_queue_index;
	seen_len = data_end - data;
	if (data + ETH_HLEN + 8 > data_end)
		return XDP_DROP;
	p[ETH_HLEN] = ctx->ingress_ifindex;
	p[ETH_HLEN + 1] = ctx->rx_queue_index;
	p[ETH_HLEN + 2] = data - meta;
	p[ETH_HLEN + 3] = fields_sum(ctx->ingress_ifindex,
		ctx->rx_queue_index);
	p[ETH_HLEN + 4] = (data_end - data) >> 8;
	p[ETH_HLEN + 5] = data_end - data;
	return XDP_PASS;
}

SEC("xdp")
int xdp_fields(struct xdp_md *ctx)
{
	return record(ctx);
}

SEC("xdp.frags")
int xdp_fields_frags(struct xdp_md *ctx)
{
	return record(ctx);
}

SEC("xdp/devmap")
int xdp_fields_devmap(struct xdp_md *ctx)
{
	return ctx->egress_ifindex == ctx->ingress_ifindex ? XDP_DROP :
		XDP_PASS;
}

SEC("xdp/cpumap")
int xdp_fields_cpumap(struct xdp_md *ctx)
{
	return ctx->rx_queue_index < 64 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
