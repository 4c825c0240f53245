// SPDX-License-Identifier: BSD-3-Clause
/* One helper call site reached by two maps: clang merges the calls of
 * both branches (a lookup in an IPv4 map or in an IPv6 map, keys of 4
 * and 16 bytes; a redirect through one device map or another). The
 * helper gets the map the branch chose at run time.
 *
 * Frames: the test's IPv4 and IPv6 frames.
 * xdp-diff: map update name v4_rules key 10 1 2 3 value 3 0 0 0 5 0 0 0
 * xdp-diff: map update name v6_rules key 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 value 1 0 0 0 7 0 0 0
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct rule {
	__u32 action;	/* XDP verdict */
	__u32 hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct rule);
} v4_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct in6_addr);
	__type(value, struct rule);
} v6_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} tx_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} tx_b SEC(".maps");

SEC("xdp")
int xdp_mapsel(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct in6_addr k6;
	struct rule *r;
	__u32 k4;
	void *map, *key;
	int v6;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	v6 = eth->h_proto == bpf_htons(ETH_P_IPV6);
	if (v6) {
		/* the test's IPv6 frame has no real header: 16 bytes of it */
		if ((void *)eth + 14 + 24 > data_end)
			return XDP_DROP;
		__builtin_memcpy(&k6, (void *)eth + 14 + 8, sizeof(k6));
		map = &v6_rules;
		key = &k6;
	} else if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > data_end)
			return XDP_DROP;
		k4 = ip->daddr;
		map = &v4_rules;
		key = &k4;
	} else {
		/* no rule: redirected through a map chosen by the frame */
		return bpf_redirect_map(eth->h_dest[5] & 1 ? (void *)&tx_a :
			(void *)&tx_b, eth->h_dest[4] & 3, XDP_PASS);
	}
	r = bpf_map_lookup_elem(map, key);
	if (r == NULL)
		return bpf_redirect_map(v6 ? (void *)&tx_a : (void *)&tx_b, 0,
			XDP_DROP);
	r->hits++;
	return r->action;
}

char _license[] SEC("license") = "Dual BSD/GPL";
