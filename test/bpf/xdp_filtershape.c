// SPDX-License-Identifier: BSD-3-Clause
/* The shape of a packet filter such as xdp-tools' xdp-filter: Ethernet
 * with up to two VLAN tags, ARP, IPv4 (a header of variable length),
 * IPv6 with extension headers, then TCP or UDP; each address and port
 * looked up in a rule map whose value holds flags (which direction and
 * protocol match) and a hit counter; the verdict counted by action. Two
 * programs: allow (a matching rule drops) and deny (a matching rule
 * passes, anything else is dropped).
 *
 * Each parsing step leaves the header cursor, the protocol and the
 * lookups' results different on each path, and the paths join again and
 * again: well over 10^6 paths from entry to exit, which rte_bpf's
 * validator walks one by one unless the states it carries converge where
 * paths join (xdp_converge.c).
 *
 * Frames (hex): TCP to port 80 over IPv4 (options: a longer header), UDP
 * from port 53 behind a VLAN tag, TCP from a listed address behind two,
 * IPv6 with extension headers to a listed address, UDP from port 53 over
 * IPv6 and over two extension headers, an ARP request and reply naming a
 * listed address, a header cut short.
 * xdp-diff: frame v4_tcp80_opts 001122334455667788990aab0800470000300001000040060000c0a80001c0a8000201010101010101013039005000000000000000005002000000000000
 * xdp-diff: frame vlan_v4_udp53 001122334455667788990aab810000640800450000240001000040110000c0a80009c0a8000200353039001000000000000000000000
 * xdp-diff: frame qinq_v4_tcp 001122334455667788990aab88a80064810000c8080045000028000100004006000008080808c0a80002c350270f00000000000000005002000000000000
 * xdp-diff: frame v6_ext_tcp 001122334455667788990aab86dd60000000001c004020010db800000000000000000000000120010db80000000000000000000000020600000000000000c350001600000000000000005002000000000000
 * xdp-diff: frame v6_udp 001122334455667788990aab86dd600000000010114020010db80000000000000000000000aa20010db80000000000000000000000050035303900100000aabbccddeeff0011
 * xdp-diff: frame v6_2ext_udp 001122334455667788990aab86dd6000000000203c4020010db800000000000000000000000120010db80000000000000000000000072b010000000000000000000000000000110000000000000003e807d000080000
 * xdp-diff: frame arp_req 001122334455667788990aab0806000108000604000100112233445580808080000000000000c0a80063
 * xdp-diff: frame arp_reply 001122334455667788990aab080600010800060400020011223344550a0a0a0a000000000000c0a80002
 * xdp-diff: frame v4_cut 001122334455667788990aab0800450000280001
 *
 * Rules (key: address or port in network order; value: flags, then the
 * hit count): TCP to port 80 and UDP from port 53; 8.8.8.8 as a source,
 * 192.168.0.99 as a destination; 2001:db8::2 as a destination.
 * xdp-diff: map update name rules_port key 0 80 0 0 value 6 0 0 0 0 0 0 0
 * xdp-diff: map update name rules_port key 0 53 0 0 value 9 0 0 0 0 0 0 0
 * xdp-diff: map update name rules_v4 key 8 8 8 8 value 1 0 0 0 0 0 0 0
 * xdp-diff: map update name rules_v4 key 192 168 0 99 value 2 0 0 0 0 0 0 0
 * xdp-diff: map update name rules_v6 key 32 1 13 184 0 0 0 0 0 0 0 0 0 0 0 2 value 2 0 0 0 0 0 0 0
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define R_SRC	1
#define R_DST	2
#define R_TCP	4
#define R_UDP	8
#define HIT	(1 << 8)	/* the counter, above the flags */

#define MAX_VLAN	2
#define MAX_EXT		4

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
} rules_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} rules_v4 SEC(".maps");

struct mac {
	__u8 a[ETH_ALEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct mac);
	__type(value, __u64);
} rules_mac SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct in6_addr);
	__type(value, __u64);
} rules_v6 SEC(".maps");

/* verdict -> frames, bytes */
struct verdicts {
	__u64 frames;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, struct verdicts);
} verdict_cnt SEC(".maps");

/* frames by length class (up to 64, 128, 256, 512, 1024 bytes, longer),
 * TCP frames by flag (SYN, FIN, RST, ACK) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 10);
	__type(key, __u32);
	__type(value, __u64);
} class_cnt SEC(".maps");

static __always_inline void
count(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&class_cnt, &k);

	if (v != NULL)
		*v += 1;
}

struct vlan_tag {
	__be16 tci;
	__be16 proto;
};

#define ARP_REQUEST	1
#define ARP_REPLY	2

struct arp_ipv4 {
	__be16 hrd;
	__be16 pro;
	__u8 hln;
	__u8 pln;
	__be16 op;
	__u8 sha[ETH_ALEN];
	__be32 sip;
	__u8 tha[ETH_ALEN];
	__be32 tip;
} __attribute__((packed));

struct cursor {
	void *pos;
	void *end;
};

/* 1: the rule in map matches key for what flags says (counted) */
static __always_inline int
match(void *map, void *key, __u64 flags)
{
	__u64 *v = bpf_map_lookup_elem(map, key);

	if (v == NULL || (*v & flags) != flags)
		return 0;
	*v += HIT;
	return 1;
}

static __always_inline int
match_v4(__be32 src, __be32 dst, int have_src, int have_dst)
{
	__u32 k;

	if (have_dst) {
		k = dst;
		if (match(&rules_v4, &k, R_DST))
			return 1;
	}
	if (have_src) {
		k = src;
		if (match(&rules_v4, &k, R_SRC))
			return 1;
	}
	return 0;
}

static __always_inline int
match_v6(struct in6_addr *src, struct in6_addr *dst)
{
	struct in6_addr k;

	if (dst != NULL) {
		__builtin_memcpy(&k, dst, sizeof(k));
		if (match(&rules_v6, &k, R_DST))
			return 1;
	}
	if (src != NULL) {
		__builtin_memcpy(&k, src, sizeof(k));
		if (match(&rules_v6, &k, R_SRC))
			return 1;
	}
	return 0;
}

static __always_inline int
match_ports(__be16 sport, __be16 dport, __u64 proto)
{
	__u32 k = dport;

	if (match(&rules_port, &k, R_DST | proto))
		return 1;
	k = sport;
	return match(&rules_port, &k, R_SRC | proto);
}

static __always_inline int
match_mac(struct ethhdr *eth)
{
	struct mac k = {};

	__builtin_memcpy(&k, eth->h_dest, sizeof(k));
	if (match(&rules_mac, &k, R_DST))
		return 1;
	__builtin_memcpy(&k, eth->h_source, sizeof(k));
	return match(&rules_mac, &k, R_SRC);
}

/* The Ethernet type after the tags, the cursor past them; -1: cut */
static __always_inline int
eth_proto(struct cursor *c)
{
	struct ethhdr *eth = c->pos;
	struct vlan_tag *tag;
	int proto;

	if ((void *)(eth + 1) > c->end)
		return -1;
	proto = eth->h_proto;
	tag = (void *)(eth + 1);
#pragma unroll
	for (int i = 0; i < MAX_VLAN; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) &&
		    proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(tag + 1) > c->end)
			return -1;
		proto = tag->proto;
		tag++;
	}
	c->pos = tag;
	return proto;
}

/* IPv6 extension headers skipped: the transport protocol, -1: cut */
static __always_inline int
skip_ext(struct cursor *c, int next)
{
#pragma unroll
	for (int i = 0; i < MAX_EXT; i++) {
		__u8 *h = c->pos;

		if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING &&
		    next != IPPROTO_DSTOPTS)
			return next;
		if ((void *)(h + 2) > c->end)
			return -1;
		next = h[0];
		c->pos = h + (h[1] + 1) * 8;
	}
	return next;
}

static __always_inline int
filter(struct xdp_md *ctx, int hit, int miss)
{
	struct cursor c = {
		.pos = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	int proto, l4 = 0, action = miss;
	struct verdicts *cnt;
	__u32 key, len;

	proto = eth_proto(&c);
	if (proto < 0) {
		action = XDP_ABORTED;
		goto out;
	}
	if (match_mac((void *)(long)ctx->data))
		goto hit;
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = c.pos;

		if ((void *)(ip + 1) > c.end || ip->ihl < 5) {
			action = XDP_ABORTED;
			goto out;
		}
		c.pos = (char *)ip + ip->ihl * 4;
		if (c.pos > c.end) {
			action = XDP_ABORTED;
			goto out;
		}
		l4 = ip->protocol;
		if (match_v4(ip->saddr, ip->daddr, 1, 1))
			goto hit;
	} else if (proto == bpf_htons(ETH_P_ARP)) {
		struct arp_ipv4 *arp = c.pos;

		if ((void *)(arp + 1) > c.end) {
			action = XDP_ABORTED;
			goto out;
		}
		if (match_v4(arp->sip, 0, 1, 0))
			goto hit;
		if (arp->op == bpf_htons(ARP_REQUEST) &&
		    match_v4(0, arp->tip, 0, 1))
			goto hit;
		if (arp->op == bpf_htons(ARP_REPLY) &&
		    match_v4(arp->tip, 0, 1, 0))
			goto hit;
		goto out;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = c.pos;

		if ((void *)(ip6 + 1) > c.end) {
			action = XDP_ABORTED;
			goto out;
		}
		c.pos = ip6 + 1;
		l4 = skip_ext(&c, ip6->nexthdr);
		if (l4 < 0) {
			action = XDP_ABORTED;
			goto out;
		}
		if (match_v6(&ip6->saddr, &ip6->daddr))
			goto hit;
		if (l4 == IPPROTO_ICMPV6) {
			/* neighbour solicitation and advertisement: the
			 * target address after the 8-byte header */
			__u8 *icmp = c.pos;
			struct in6_addr *target = (void *)(icmp + 8);

			if ((void *)(target + 1) > c.end)
				goto out;
			if (icmp[0] == 135 && match_v6(NULL, target))
				goto hit;
			if (icmp[0] == 136 && match_v6(target, NULL))
				goto hit;
			goto out;
		}
	} else {
		goto out;
	}
	if (l4 == IPPROTO_TCP) {
		struct tcphdr *tcp = c.pos;

		if ((void *)(tcp + 1) > c.end) {
			action = XDP_ABORTED;
			goto out;
		}
		if (tcp->syn)
			count(6);
		if (tcp->fin)
			count(7);
		if (tcp->rst)
			count(8);
		if (tcp->ack)
			count(9);
		if (match_ports(tcp->source, tcp->dest, R_TCP))
			goto hit;
	} else if (l4 == IPPROTO_UDP) {
		struct udphdr *udp = c.pos;

		if ((void *)(udp + 1) > c.end) {
			action = XDP_ABORTED;
			goto out;
		}
		if (match_ports(udp->source, udp->dest, R_UDP))
			goto hit;
	}
	goto out;
hit:
	action = hit;
out:
	len = ctx->data_end - ctx->data;
	count(len <= 64 ? 0 : len <= 128 ? 1 : len <= 256 ? 2 :
		len <= 512 ? 3 : len <= 1024 ? 4 : 5);
	key = action;
	cnt = bpf_map_lookup_elem(&verdict_cnt, &key);
	if (cnt != NULL) {
		cnt->frames++;
		cnt->bytes += len;
	}
	return action;
}

SEC("xdp")
int xdp_filter_allow(struct xdp_md *ctx)
{
	return filter(ctx, XDP_DROP, XDP_PASS);
}

SEC("xdp")
int xdp_filter_deny(struct xdp_md *ctx)
{
	return filter(ctx, XDP_PASS, XDP_DROP);
}

char _license[] SEC("license") = "Dual BSD/GPL";
