// SPDX-License-Identifier: BSD-3-Clause
/*
 * xdp_fwd: IPv4 and IPv6 forwarding in XDP, after the kernel's
 * samples/bpf xdp_fwd. For each frame the FIB is asked (bpf_fib_lookup)
 * where the destination goes; when the answer is a neighbour on an egress
 * port that is in the xdp_tx_ports devmap, the TTL (hop limit) is
 * decremented, the IPv4 header checksum fixed incrementally (RFC 1624),
 * the MAC addresses rewritten from the lookup and the frame redirected
 * through the devmap. Everything else (ARP, TTL about to expire, no
 * route, no neighbour yet, a packet for the router itself, too big for
 * the egress MTU) is passed to the stack, which knows what to do with it.
 *
 * Two programs: xdp_fwd (full lookup: policy rules, local table) and
 * xdp_fwd_direct (BPF_FIB_LOOKUP_DIRECT: the main table only).
 * fwd_stats counts frames per outcome (enum below), per CPU.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifndef AF_INET
#define AF_INET		2
#endif
#ifndef AF_INET6
#define AF_INET6	10
#endif

#define IPV6_FLOWINFO_MASK	bpf_htonl(0x0fffffff)

/* Egress ports, keyed (and valued) by ifindex. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xdp_tx_ports SEC(".maps");

/* fwd_stats keys: 0..9 the BPF_FIB_LKUP_RET_* code of frames looked up
 * (0 = forwarded), then: */
enum {
	FWD_NOT_IP = 10,	/* not IPv4/IPv6: passed */
	FWD_TTL = 11,		/* TTL/hop limit <= 1: passed (ICMP by the stack) */
	FWD_NO_PORT = 12,	/* egress port not in xdp_tx_ports: passed */
	FWD_SHORT = 13,		/* truncated header: dropped */
	FWD_NB_STATS = 16,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FWD_NB_STATS);
	__type(key, __u32);
	__type(value, __u64);
} fwd_stats SEC(".maps");

static __always_inline void
count(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&fwd_stats, &what);

	if (v)
		*v += 1;
}

/* TTL - 1 and the checksum fixed for it: the TTL is the high byte of its
 * 16-bit word, so the sum grows by 0x0100 (ones' complement). */
static __always_inline void
ipv4_ttl_dec(struct iphdr *iph)
{
	__u32 sum = iph->check;

	sum += bpf_htons(0x0100);
	iph->check = (__u16)(sum + (sum >= 0xffff));
	iph->ttl--;
}

/* One exit, so that the compiler has no tail to share backwards (rte_bpf
 * takes forward jumps only). */
static __always_inline int
fwd(struct xdp_md *ctx, __u32 flags)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct bpf_fib_lookup fib;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h;
	struct iphdr *iph;
	int act = XDP_PASS, rc;
	__u32 what;
	__u16 proto;

	if ((void *)(eth + 1) > data_end) {
		what = FWD_SHORT;
		act = XDP_DROP;
		goto out;
	}
	__builtin_memset(&fib, 0, sizeof(fib));
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_IP)) {
		iph = (void *)(eth + 1);
		if ((void *)(iph + 1) > data_end) {
			what = FWD_SHORT;
			act = XDP_DROP;
			goto out;
		}
		if (iph->ttl <= 1) {
			what = FWD_TTL;
			goto out;
		}
		fib.family = AF_INET;
		fib.tos = iph->tos;
		fib.l4_protocol = iph->protocol;
		fib.tot_len = bpf_ntohs(iph->tot_len);
		fib.ipv4_src = iph->saddr;
		fib.ipv4_dst = iph->daddr;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		ip6h = (void *)(eth + 1);
		if ((void *)(ip6h + 1) > data_end) {
			what = FWD_SHORT;
			act = XDP_DROP;
			goto out;
		}
		if (ip6h->hop_limit <= 1) {
			what = FWD_TTL;
			goto out;
		}
		fib.family = AF_INET6;
		fib.flowinfo = *(__be32 *)ip6h & IPV6_FLOWINFO_MASK;
		fib.l4_protocol = ip6h->nexthdr;
		fib.tot_len = bpf_ntohs(ip6h->payload_len);
		__builtin_memcpy(fib.ipv6_src, &ip6h->saddr, 16);
		__builtin_memcpy(fib.ipv6_dst, &ip6h->daddr, 16);
	} else {
		what = FWD_NOT_IP;
		goto out;
	}
	fib.ifindex = ctx->ingress_ifindex;

	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), flags);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS) {
		/* the stack answers: ICMP errors, ARP/ND, local delivery */
		what = rc >= 0 && rc < 10 ? rc : FWD_NO_PORT;
		goto out;
	}
	/* Only ports we transmit on; the stack handles the others. */
	if (!bpf_map_lookup_elem(&xdp_tx_ports, &fib.ifindex)) {
		what = FWD_NO_PORT;
		goto out;
	}
	/* The headers again, not a pointer that may be NULL: rte_bpf's
	 * validator walks every path, even those a NULL check closes. */
	if (proto == bpf_htons(ETH_P_IP)) {
		iph = (void *)(eth + 1);
		if ((void *)(iph + 1) > data_end)
			goto out;
		ipv4_ttl_dec(iph);
	} else {
		ip6h = (void *)(eth + 1);
		if ((void *)(ip6h + 1) > data_end)
			goto out;
		ip6h->hop_limit--;
	}
	__builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
	what = BPF_FIB_LKUP_RET_SUCCESS;
	act = bpf_redirect_map(&xdp_tx_ports, fib.ifindex, 0);
out:
	count(what);
	return act;
}

SEC("xdp")
int xdp_fwd(struct xdp_md *ctx)
{
	return fwd(ctx, 0);
}

SEC("xdp")
int xdp_fwd_direct(struct xdp_md *ctx)
{
	return fwd(ctx, BPF_FIB_LOOKUP_DIRECT);
}

char _license[] SEC("license") = "GPL";
