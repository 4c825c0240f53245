// SPDX-License-Identifier: BSD-3-Clause
/* Counts frames per EtherType (hash), per verdict (array) and in global
 * data; swaps MACs of IPv4 frames and sends them back (XDP_TX), drops
 * IPv6, passes the rest. Exercises ctx loads, JMP32 (-mcpu=v3), maps,
 * .bss/.data/.rodata. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);
	__type(value, __u64);
} proto_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

__u64 nb_frames;
__u32 last_len = 1;
const volatile __u32 tx_proto = ETH_P_IP;

static __always_inline int
done(int verdict)
{
	__u32 k = verdict;
	__u64 *v = bpf_map_lookup_elem(&verdicts, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return verdict;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u64 one = 1, *c;
	__u16 proto;
	__u8 tmp[ETH_ALEN];

	nb_frames++;
	last_len = data_end - data;
	if (data + sizeof(*eth) > data_end)
		return done(XDP_ABORTED);
	proto = bpf_ntohs(eth->h_proto);
	c = bpf_map_lookup_elem(&proto_count, &proto);
	if (c)
		__sync_fetch_and_add(c, 1);
	else
		bpf_map_update_elem(&proto_count, &proto, &one, BPF_NOEXIST);
	if (proto == tx_proto) {
		__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
		__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
		__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
		return done(XDP_TX);
	}
	if (proto == ETH_P_IPV6)
		return done(XDP_DROP);
	if (ctx->ingress_ifindex > 100000 || ctx->rx_queue_index > 64)
		return done(XDP_ABORTED);
	return done(XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";
