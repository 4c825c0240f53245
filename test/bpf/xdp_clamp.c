// SPDX-License-Identifier: BSD-3-Clause
/* Variable packet offsets the kernel verifier bounds through data_end
 * checks only: an offset read from the frame (13 bits, big endian, right
 * after the Ethernet header) points at a byte that is copied to the
 * front; a second read goes through a pointer computed as offset + data
 * (scalar += pointer), tested against a bound above the clamp limit of a
 * 4 KiB window. rte_bpf cannot bound either: both are clamped. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_clamp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data, *q;
	__u16 off;

	if (data + ETH_HLEN + 4 > data_end)
		return XDP_DROP;
	off = bpf_ntohs(*(__u16 *)(p + ETH_HLEN)) & 0x1fff;
	q = data + off;
	if ((void *)(q + 2) > data_end)
		return XDP_PASS;
	p[0] = q[0];
	p[1] = q[1];
	off = bpf_ntohs(*(__u16 *)(p + ETH_HLEN + 2));
	if (off > 4000)
		return XDP_TX;
	q = (__u8 *)((long)off + (long)data);
	if ((void *)(q + 1) > data_end)
		return XDP_TX;
	p[2] = *q;
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
