// SPDX-License-Identifier: BSD-3-Clause
/* Metadata: grows it with bpf_xdp_adjust_meta, writes it through
 * data_meta, reads it back, and stores what it saw in the frame. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct meta {
	__u32 mark;
	__u32 len;
};

SEC("xdp")
int xdp_meta(struct xdp_md *ctx)
{
	void *data, *data_end, *data_meta;
	struct meta *m;
	__u8 *p;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	data_meta = (void *)(long)ctx->data_meta;
	m = data_meta;
	if ((void *)(m + 1) > data)
		return XDP_DROP;
	m->mark = 0xcafe0000 | ctx->rx_queue_index;
	m->len = data_end - data;
	p = data;
	if (data + ETH_HLEN + 2 > data_end)
		return XDP_DROP;
	/* read back through data_meta, write into the frame */
	p[ETH_HLEN] = m->mark >> 8;
	p[ETH_HLEN + 1] = (__u8)(data - data_meta);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
