// SPDX-License-Identifier: BSD-3-Clause
/* The shape of a firewall such as XDP-Firewall's xdp_prog_main: the IPv4
 * and IPv6 header pointers and the TCP, UDP and ICMP ones start NULL and
 * are set on the paths of their protocols; a block list (IPv4 and IPv6
 * sources, an expiry) is looked up, then a rule array (source,
 * destination, protocol, ports, action, block time); a drop by a rule
 * with a block time adds the source to the block list through the IPv4
 * header pointer or the IPv6 address. clang keeps "which header" as a
 * flag (in a register, or stored in 32 bits on the stack) set on the same
 * paths as the pointer, and tests the flag, not the pointer, before
 * using it: the kernel's verifier follows each path, where the flag is a
 * constant; the rewriter marks the joined pointer non-NULL where the
 * flag is (not) zero. The TCP header pointer, NULL or not on each
 * protocol's paths, is also kept on the stack and read again after its
 * check: the check holds for the copy.
 *
 * Rules: 0: TCP from 10.0.0.1 to ports 20-25, drop and block (until a
 * time long past); 1: UDP to 10.0.0.9 port 53, allow; 2: ICMP from
 * 2001:db8::66, drop; 3: TCP to ports 8000-8100, drop. 10.0.0.7 is
 * blocked for ever, 10.0.0.8 was (expired: removed when it sends).
 * xdp-diff: map update name fw_rules key 0 0 0 0 value 1 0 5 6 10 0 0 1 0 0 0 0 20 0 25 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 * xdp-diff: map update name fw_rules key 1 0 0 0 value 1 1 0 17 0 0 0 0 10 0 0 9 53 0 53 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 * xdp-diff: map update name fw_rules key 2 0 0 0 value 1 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 32 1 13 184 0 0 0 0 0 0 0 0 0 0 0 102
 * xdp-diff: map update name fw_rules key 3 0 0 0 value 1 0 0 6 0 0 0 0 0 0 0 0 64 31 164 31 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 * xdp-diff: map update name fw_block key 10 0 0 7 value 0 0 0 0 0 0 0 0
 * xdp-diff: map update name fw_block key 10 0 0 8 value 1 0 0 0 0 0 0 0
 *
 * Frames: TCP 10.0.0.1 -> :22 (rule 0: dropped, blocked), again -> :80
 * (block expired, no rule), TCP -> :8080 (rule 3), UDP -> 10.0.0.9:53
 * (rule 1: allowed), -> :54 (no rule), ICMP from 10.0.0.7 (blocked), from
 * 10.0.0.8 (expired, no rule), ICMPv6 from 2001:db8::66 (rule 2), IPv6
 * TCP -> :8050 (rule 3), IPv6 UDP (no rule), ARP and GRE (passed), TCP
 * and IPv6 UDP headers cut short (dropped).
 * xdp-diff: frame v4_tcp_block 001122334455667788990aab08004500002800010000400600000a0000010a00000204d2001600000000000000005002000000000000
 * xdp-diff: frame v4_tcp_again 001122334455667788990aab08004500002800010000400600000a0000010a00000204d2005000000000000000005002000000000000
 * xdp-diff: frame v4_tcp_8080 001122334455667788990aab08004500002800010000400600000a0000020a00000204d21f9000000000000000005002000000000000
 * xdp-diff: frame v4_udp_53 001122334455667788990aab08004500001c00010000401100000a0000030a0000093039003500080000
 * xdp-diff: frame v4_udp_54 001122334455667788990aab08004500001c00010000401100000a0000030a0000093039003600080000
 * xdp-diff: frame v4_icmp_blocked 001122334455667788990aab08004500001c00010000400100000a0000070a0000020800000000000000
 * xdp-diff: frame v4_icmp_expired 001122334455667788990aab08004500001c00010000400100000a0000080a0000020800000000000000
 * xdp-diff: frame v6_icmp_rule 001122334455667788990aab86dd6000000000083a4020010db800000000000000000000006620010db80000000000000000000000020800000000000000
 * xdp-diff: frame v6_tcp_8050 001122334455667788990aab86dd6000000000140640fe800000000000000000000000000001fe80000000000000000000000000000230391f7200000000000000005002000000000000
 * xdp-diff: frame v6_udp 001122334455667788990aab86dd6000000000081140fe800000000000000000000000000001fe8000000000000000000000000000023039003500080000
 * xdp-diff: frame arp 001122334455667788990aab0806000108000604000100112233445580808080000000000000c0a80063
 * xdp-diff: frame v4_gre 001122334455667788990aab08004500001800010000402f00000a0000010a00000200000000
 * xdp-diff: frame v4_tcp_cut 001122334455667788990aab08004500002800010000400600000a0000010a00000204d20016
 * xdp-diff: frame v6_udp_cut 001122334455667788990aab86dd6000000000081140fe800000000000000000000000000001fe80000000000000000000000000000200010002
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

#define NB_RULES 4

/* ICMP's and ICMPv6's common header (linux/icmp.h needs libc's) */
struct fw_icmp {
	__u8 type;
	__u8 code;
	__u16 csum;
	__u32 rest;
};

struct fw_rule {
	__u8 set;
	__u8 action;		/* 0: drop, 1: allow */
	__u8 block;		/* seconds the source stays blocked, 0: none */
	__u8 proto;
	__be32 src;		/* 0: any */
	__be32 dst;		/* 0: any */
	__u16 dport_min;	/* host order, 0: any */
	__u16 dport_max;
	__u32 pad;
	__u32 src6[4];		/* 0: any */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NB_RULES);
	__type(key, __u32);
	__type(value, struct fw_rule);
} fw_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);	/* 0: for ever, else the time it ends */
} fw_block SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32[4]);
	__type(value, __u64);
} fw_block6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} fw_stats SEC(".maps");

enum { ST_ALLOWED, ST_DROPPED, ST_PASSED };

static __always_inline void
count(__u32 what)
{
	__u64 *c = bpf_map_lookup_elem(&fw_stats, &what);

	if (c != NULL)
		*c += 1;
}

SEC("xdp")
int xdp_fwshape(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = NULL;
	struct ipv6hdr *iph6 = NULL;
	struct tcphdr *tcph = NULL;
	struct udphdr *udph = NULL;
	struct fw_icmp *icmph = NULL;
	__u32 src6[4] = { 0 };
	struct { struct tcphdr *volatile tcph; } hdr;
	__u64 *blocked, until;
	__u16 dport = 0;
	__u8 proto = 0;
	int matched = 0, action = 0, block = 0;
	__u32 i;

	if ((void *)(eth + 1) > data_end) {
		count(ST_DROPPED);
		return XDP_DROP;
	}
	if (eth->h_proto != bpf_htons(ETH_P_IP) &&
	    eth->h_proto != bpf_htons(ETH_P_IPV6)) {
		count(ST_PASSED);
		return XDP_PASS;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		iph = data + sizeof(*eth);
		if ((void *)(iph + 1) > data_end) {
			count(ST_DROPPED);
			return XDP_DROP;
		}
	} else {
		iph6 = data + sizeof(*eth);
		if ((void *)(iph6 + 1) > data_end) {
			count(ST_DROPPED);
			return XDP_DROP;
		}
		__builtin_memcpy(src6, iph6->saddr.in6_u.u6_addr32,
			sizeof(src6));
	}
	if ((iph && iph->protocol != IPPROTO_UDP &&
	     iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_ICMP) ||
	    (iph6 && iph6->nexthdr != IPPROTO_UDP &&
	     iph6->nexthdr != IPPROTO_TCP &&
	     iph6->nexthdr != IPPROTO_ICMPV6)) {
		count(ST_PASSED);
		return XDP_PASS;
	}

	if (iph)
		blocked = bpf_map_lookup_elem(&fw_block, &iph->saddr);
	else
		blocked = bpf_map_lookup_elem(&fw_block6, src6);
	if (blocked != NULL) {
		if (*blocked > 0 && bpf_ktime_get_ns() > *blocked) {
			if (iph)
				bpf_map_delete_elem(&fw_block, &iph->saddr);
			else
				bpf_map_delete_elem(&fw_block6, src6);
		} else {
			count(ST_DROPPED);
			return XDP_DROP;
		}
	}

	if (iph) {
		proto = iph->protocol;
		if (proto == IPPROTO_TCP)
			tcph = (void *)iph + iph->ihl * 4;
		else if (proto == IPPROTO_UDP)
			udph = (void *)iph + iph->ihl * 4;
		else
			icmph = (void *)iph + iph->ihl * 4;
	} else if (iph6) {
		proto = iph6->nexthdr;
		if (proto == IPPROTO_TCP)
			tcph = (void *)(iph6 + 1);
		else if (proto == IPPROTO_UDP)
			udph = (void *)(iph6 + 1);
		else
			icmph = (void *)(iph6 + 1);
		if (proto == IPPROTO_ICMPV6)
			proto = IPPROTO_ICMP;
	}
	/* kept on the stack and read again after its check, as clang
	 * does with XDP-Firewall's rule context when registers run out */
	hdr.tcph = tcph;
	if (hdr.tcph) {
		tcph = hdr.tcph;
		if ((void *)(tcph + 1) > data_end) {
			count(ST_DROPPED);
			return XDP_DROP;
		}
		dport = bpf_ntohs(tcph->dest);
	} else if (udph) {
		if ((void *)(udph + 1) > data_end) {
			count(ST_DROPPED);
			return XDP_DROP;
		}
		dport = bpf_ntohs(udph->dest);
	} else if (icmph && (void *)(icmph + 1) > data_end) {
		count(ST_DROPPED);
		return XDP_DROP;
	}

#pragma unroll
	for (i = 0; i < NB_RULES; i++) {
		__u32 k = i;
		struct fw_rule *r = bpf_map_lookup_elem(&fw_rules, &k);

		if (r == NULL || !r->set)
			break;
		if (r->proto != proto)
			continue;
		if (iph) {
			if (r->src6[0] != 0)
				continue;
			if (r->src && r->src != iph->saddr)
				continue;
			if (r->dst && r->dst != iph->daddr)
				continue;
		} else {
			if (r->src || r->dst)
				continue;
			if (r->src6[0] != 0 &&
			    (r->src6[0] != src6[0] || r->src6[1] != src6[1] ||
			     r->src6[2] != src6[2] || r->src6[3] != src6[3]))
				continue;
		}
		if (r->dport_min && dport < r->dport_min)
			continue;
		if (r->dport_max && dport > r->dport_max)
			continue;
		matched = 1;
		action = r->action;
		block = r->block;
		break;
	}
	if (!matched) {
		count(ST_PASSED);
		return XDP_PASS;
	}
	if (action == 0) {
		if (block > 0) {
			/* a time in the past: the next frame finds it expired */
			until = block;
			if (iph)
				bpf_map_update_elem(&fw_block, &iph->saddr,
					&until, BPF_ANY);
			else
				bpf_map_update_elem(&fw_block6, src6,
					&until, BPF_ANY);
		}
		count(ST_DROPPED);
		return XDP_DROP;
	}
	count(ST_ALLOWED);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
