// SPDX-License-Identifier: BSD-3-Clause
/* Devmap entries with their own programs, and broadcast: xdp_to_entry
 * redirects to tx_ports[0]; xdp_broadcast sends a copy to every entry but
 * the ingress port; xdp_egress_mark, the entries' program, writes the
 * egress ifindex into the source MAC and drops odd UDP source ports. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} tx_ports SEC(".maps");

SEC("xdp")
int xdp_to_entry(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_ports, 0, XDP_DROP);
}

SEC("xdp")
int xdp_broadcast(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_ports, 0,
		BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
}

SEC("xdp/devmap")
int xdp_egress_mark(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u32 ifindex = ctx->egress_ifindex;

	if ((void *)(udp + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(&eth->h_source[2], &ifindex, 4);
	if (ip->protocol == IPPROTO_UDP && (bpf_ntohs(udp->source) & 1))
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
