// SPDX-License-Identifier: BSD-3-Clause
/*
 * A blocklist in front of a host, in the way of xdp-filter: IPv4 and IPv6
 * source addresses in the hash maps "blocklist" and "blocklist6" are
 * dropped, and each entry's value counts the frames it dropped; every
 * other frame passes. The control plane fills the maps while traffic
 * flows (doc/guides/nics/mvneta_xdp.rst, "Operating a running port"):
 *
 *   dpdk-xdp ... -- map update name blocklist key 192 0 2 1 value 0 0 0 0 0 0 0 0
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);		/* IPv4 source, network order */
	__type(value, __u64);		/* frames dropped */
} blocklist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct in6_addr);
	__type(value, __u64);
} blocklist6 SEC(".maps");

/* Drop and count when the entry exists; a map per family. */
static __always_inline int
verdict(__u64 *dropped)
{
	if (dropped == NULL)
		return XDP_PASS;
	__sync_fetch_and_add(dropped, 1);
	return XDP_DROP;
}

SEC("xdp")
int xdp_blocklist(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > data_end)
			return XDP_PASS;
		return verdict(bpf_map_lookup_elem(&blocklist, &ip->saddr));
	}
	if (eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	ip6 = (void *)(eth + 1);
	if ((void *)(ip6 + 1) > data_end)
		return XDP_PASS;
	return verdict(bpf_map_lookup_elem(&blocklist6, &ip6->saddr));
}

char _license[] SEC("license") = "Dual BSD/GPL";
