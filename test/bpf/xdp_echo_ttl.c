// SPDX-License-Identifier: BSD-3-Clause
/* What dpdk-xdp dump is tested with: ICMP echo requests get TTL 7
 * (checksum updated), and every other one is dropped; the rest passes. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define NEW_TTL 7
#define PROTO_ICMP 1
#define ICMP_ECHO_REQUEST 8

struct icmp_head {
	__u8 type;
	__u8 code;
	__u16 checksum;
};

__u64 echoes;

/* RFC 1624 incremental update of the header checksum. */
static __always_inline void
set_ttl(struct iphdr *ip, __u8 ttl)
{
	__u16 old = *(__u16 *)&ip->ttl, new;
	__u32 sum;

	ip->ttl = ttl;
	new = *(__u16 *)&ip->ttl;
	sum = (__u16)~ip->check + (__u16)~old + new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ip->check = ~sum;
}

SEC("xdp")
int xdp_echo_ttl(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct icmp_head *icmp = (void *)(ip + 1);

	if ((void *)(icmp + 1) > data_end ||
	    eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != PROTO_ICMP || icmp->type != ICMP_ECHO_REQUEST)
		return XDP_PASS;
	set_ttl(ip, NEW_TTL);
	return echoes++ & 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
