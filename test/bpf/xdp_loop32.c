// SPDX-License-Identifier: BSD-3-Clause
/* A loop over the IPv4 header's 16-bit words with a 32-bit counter: for
 * -mcpu=v2, clang tests a zero-extended copy of the counter in 64 bits
 * ("r5 = r3; r5 <<= 32; r5 >>= 32; if r5 != 20 goto loop"), which the
 * kernel's verifier bounds and which is unrolled here too. The header
 * checksum is recomputed and written back, the frame sent back out. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_loop32(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u16 *w = (__u16 *)ip;
	__u32 csum = 0;
	int i;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip->check = 0;
	ip->ttl--;
#pragma nounroll
	for (i = 0; i < (int)sizeof(*ip) >> 1; i++)
		csum += *w++;
	csum = (csum & 0xffff) + (csum >> 16);
	ip->check = ~((csum & 0xffff) + (csum >> 16));
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
