// SPDX-License-Identifier: BSD-3-Clause
/* A header cursor advanced by lengths read from the frame, as parsers of
 * IPv6 extension headers do: up to six extension headers (hop-by-hop,
 * routing, destination options: (len + 1) * 8 bytes; authentication:
 * (len + 2) * 4 bytes), each bounded by a data_end check only, then the
 * transport header read through the cursor. rte_bpf cannot bound the
 * cursor's offset from data: it is clamped as a whole, however many
 * lengths were added to it. Verdict and a count by transport protocol
 * and destination port.
 *
 * Frames (hex: Ethernet, IPv6 header, extension headers, transport):
 * xdp-diff: frame v6_hbh_udp 001122334455667788990aab86dd600000000010004020010db800000000000000000000000120010db800000000000000000000000211000000000000003039000700080000
 * xdp-diff: frame v6_3ext_tcp 001122334455667788990aab86dd600000000050004020010db800000000000000000000000120010db80000000000000000000000022b0100000000000000000000000000003c000000000000003302000000000000000000000000000000000000000000000601000000000000000000000050003500000001000000005000020000000000
 * xdp-diff: frame v6_long_ext 001122334455667788990aab86dd6000000001083c4020010db800000000000000000000000120010db8000000000000000000000002111e00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000030390008000800000000000000000000
 * xdp-diff: frame v6_trunc_ext 001122334455667788990aab86dd6000000000083c4020010db800000000000000000000000120010db80000000000000000000000021108000000000000
 * xdp-diff: frame v6_huge_len 001122334455667788990aab86dd600000000020004020010db800000000000000000000000120010db80000000000000000000000023cff000000000000000000000000000000000000000000000000000000000000
 * xdp-diff: frame v6_seven_ext 001122334455667788990aab86dd6000000000403c4020010db800000000000000000000000120010db80000000000000000000000023c000000000000003c000000000000003c000000000000003c000000000000003c000000000000003c0000000000000011000000000000000001000200080000
 * xdp-diff: frame v6_ah_udp 001122334455667788990aab86dd600000000014334020010db800000000000000000000000120010db80000000000000000000000021101000000000000000000003039000900080000
 * xdp-diff: map update name drop_port key 7 0 value 1 0 0 0
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define MAX_EXT 6

/* transport protocol -> frames seen */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_cnt SEC(".maps");

/* destination port (host order) -> 1: drop */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);
	__type(value, __u32);
} drop_port SEC(".maps");

struct ext_hdr {
	__u8 nexthdr;
	__u8 len;
};

static __always_inline int
skip_ext(void **cursor, void *data_end, int next)
{
#pragma unroll
	for (int i = 0; i < MAX_EXT; i++) {
		struct ext_hdr *h = *cursor;

		if ((void *)(h + 1) > data_end)
			return -1;
		switch (next) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			*cursor = (char *)h + (h->len + 1) * 8;
			break;
		case IPPROTO_AH:
			*cursor = (char *)h + (h->len + 2) * 4;
			break;
		default:
			return next;
		}
		next = h->nexthdr;
	}
	return -1;
}

SEC("xdp")
int xdp_hdrcursor(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	void *cursor = data;
	struct ethhdr *eth = cursor;
	struct ipv6hdr *ip6;
	__u16 *ports, port;
	__u32 key, *drop;
	__u64 *cnt;
	int proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	if (eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	ip6 = (void *)(eth + 1);
	if ((void *)(ip6 + 1) > data_end)
		return XDP_DROP;
	cursor = ip6 + 1;
	proto = skip_ext(&cursor, data_end, ip6->nexthdr);
	if (proto < 0)
		return XDP_DROP;
	key = proto;
	cnt = bpf_map_lookup_elem(&proto_cnt, &key);
	if (cnt != NULL)
		*cnt += 1;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return XDP_PASS;
	ports = cursor;
	if ((void *)(ports + 2) > data_end)
		return XDP_DROP;
	port = bpf_ntohs(ports[1]);
	drop = bpf_map_lookup_elem(&drop_port, &port);
	if (drop != NULL && *drop != 0)
		return XDP_DROP;
	/* the transport header's first bytes, to the front of the frame */
	eth->h_dest[0] = ((__u8 *)ports)[0];
	eth->h_dest[1] = ((__u8 *)ports)[3];
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
