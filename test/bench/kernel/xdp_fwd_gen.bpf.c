/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Traffic generator for kernel_xdp_fwd_bench: run with
 * BPF_F_TEST_XDP_LIVE_FRAMES on the sender veth, XDP_TX sends each frame
 * to the router's veth. Live frames are recycled pages that keep what the
 * router wrote into them (TTL, MACs), so every frame gets its Ethernet
 * and IPv4 headers again from gen_hdr, with the next of NB_DST
 * destinations and the checksum recomputed.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define NB_DST	1024	/* as test_xdp_fwd_perf.c */

struct gen_hdr {
	struct ethhdr eth;
	struct iphdr ip;	/* daddr: the first destination */
} __attribute__((packed));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gen_hdr);
} gen_hdr SEC(".maps");

__u32 seq;	/* one CPU runs the generator */

SEC("xdp")
int xdp_fwd_gen(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct gen_hdr *h = data, *t;
	__u16 *w = (__u16 *)(data + sizeof(struct ethhdr));
	__u32 key = 0, sum = 0;
	int i;

	t = bpf_map_lookup_elem(&gen_hdr, &key);
	if (!t || (void *)(h + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(h, t, sizeof(*h));
	h->ip.daddr = bpf_htonl(bpf_ntohl(t->ip.daddr) + (seq++ % NB_DST));
	h->ip.check = 0;
#pragma unroll
	for (i = 0; i < (int)sizeof(struct iphdr) / 2; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	h->ip.check = (__u16)~sum;
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
