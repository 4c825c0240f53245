// SPDX-License-Identifier: BSD-3-Clause
/* A layer-4 load balancer in the style of the public ones (Katran's
 * balancer): parse, look the VIP up, find the flow's backend in an LRU
 * connection table or pick it on a consistent-hash ring, count, and
 * encapsulate in IPIP towards the backend (XDP_TX). Written as many
 * small functions, as those programs are: about thirty bpf-to-bpf calls
 * per packet, static ones and global ones (verified on their own by the
 * kernel, from their BTF), nested up to six frames deep, several with
 * stack frames of their own. Also the 30-call program of the
 * performance table (doc/perf/prog-run.md). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define NOINLINE __attribute__((noinline))
#define RING_SIZE 4
#define MAX_VIPS 4
#define MAX_REALS 16

/* xdp-diff: map update name vips key 10 1 2 3 0 80 17 0 value 0 0 0 0 1 0 0 0
 * xdp-diff: map update name vips key 10 1 2 3 0 53 17 0 value 1 0 0 0 2 0 0 0
 * xdp-diff: map update name reals key 1 0 0 0 value 192 168 10 1
 * xdp-diff: map update name reals key 2 0 0 0 value 192 168 10 2
 * xdp-diff: map update name reals key 3 0 0 0 value 192 168 10 3
 * xdp-diff: map update name ring key 4 0 0 0 value 1 0 0 0
 * xdp-diff: map update name ring key 5 0 0 0 value 2 0 0 0
 * xdp-diff: map update name ring key 6 0 0 0 value 3 0 0 0
 * xdp-diff: map update name ring key 7 0 0 0 value 2 0 0 0
 * xdp-diff: map update name ring key 8 0 0 0 value 3 0 0 0
 * xdp-diff: map update name ring key 10 0 0 0 value 1 0 0 0
 */

struct vip_key {
	__u32 addr;
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct vip_meta {
	__u32 flags;
	__u32 num;
};

struct flow {
	__u32 src;
	__u32 dst;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct lb_stats {
	__u64 pkts;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct vip_key);
	__type(value, struct vip_meta);
} vips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_REALS);
	__type(key, __u32);
	__type(value, __u32);
} reals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RING_SIZE * MAX_VIPS);
	__type(key, __u32);
	__type(value, __u32);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow);
	__type(value, __u32);
} conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct lb_stats);
} stats SEC(".maps");

/* ---- hashing ---- */

static NOINLINE __u32
rol32(__u32 w, __u32 s)
{
	return (w << (s & 31)) | (w >> ((32 - s) & 31));
}

static NOINLINE __u32
mix3(__u32 a, __u32 b, __u32 c)
{
	c ^= b;
	c -= rol32(b, 14);
	a ^= c;
	a -= rol32(c, 11);
	b ^= a;
	b -= rol32(a, 25);
	c ^= b;
	c -= rol32(b, 16);
	return c;
}

/* global: the kernel verifies it alone, from its BTF prototype */
NOINLINE __u32
lb_flow_hash(__u32 src, __u32 dst, __u32 ports, __u32 proto)
{
	__u32 h = mix3(src, dst, 0x9e3779b9 + proto);

	return mix3(h, ports, proto);
}

/* ---- parsing ---- */

static NOINLINE int
parse_eth(void *data, void *data_end, __u16 *proto)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return -1;
	*proto = eth->h_proto;
	return sizeof(*eth);
}

static NOINLINE int
ip_is_fragment(const struct iphdr *ip)
{
	return (ip->frag_off & bpf_htons(0x3fff)) != 0;
}

static NOINLINE int
parse_ports(void *data, void *data_end, __u32 off, struct flow *f)
{
	__u16 *ports = data + off;

	if (off > 60 + ETH_HLEN || (void *)(ports + 2) > data_end)
		return -1;
	f->sport = ports[0];
	f->dport = ports[1];
	return 0;
}

static NOINLINE int
parse_ipv4(void *data, void *data_end, struct flow *f)
{
	struct iphdr *ip = data + ETH_HLEN;
	__u32 ihl;

	if ((void *)(ip + 1) > data_end)
		return -1;
	ihl = ip->ihl * 4;
	if (ihl < sizeof(*ip) || ip_is_fragment(ip))
		return -1;
	f->src = ip->saddr;
	f->dst = ip->daddr;
	f->proto = ip->protocol;
	if (f->proto != IPPROTO_UDP && f->proto != IPPROTO_TCP)
		return -1;
	return parse_ports(data, data_end, ETH_HLEN + ihl, f);
}

/* ---- state ---- */

static NOINLINE struct vip_meta *
find_vip(const struct flow *f)
{
	struct vip_key k = {
		.addr = f->dst, .port = f->dport, .proto = f->proto,
	};

	return bpf_map_lookup_elem(&vips, &k);
}

static NOINLINE __u32
ring_slot(__u32 vip_num, __u32 hash)
{
	return vip_num * RING_SIZE + hash % RING_SIZE;
}

static NOINLINE int
ring_pick(__u32 vip_num, __u32 hash, __u32 *real)
{
	__u32 slot = ring_slot(vip_num, hash), *r;

	r = bpf_map_lookup_elem(&ring, &slot);
	if (!r || *r == 0)
		return -1;
	*real = *r;
	return 0;
}

static NOINLINE int
conn_find(const struct flow *f, __u32 *real)
{
	__u32 *r = bpf_map_lookup_elem(&conns, f);

	if (!r)
		return -1;
	*real = *r;
	return 0;
}

static NOINLINE void
conn_save(const struct flow *f, __u32 real)
{
	bpf_map_update_elem(&conns, f, &real, BPF_ANY);
}

static NOINLINE __u32
flow_hash(const struct flow *f)
{
	__u32 ports = ((__u32)f->sport << 16) | f->dport;

	return lb_flow_hash(f->src, f->dst, ports, f->proto);
}

static NOINLINE int
choose_real(const struct flow *f, const struct vip_meta *vip, __u32 *real)
{
	__u32 h;

	if (conn_find(f, real) == 0)
		return 1;
	h = flow_hash(f);
	/* probe the next slot if this one is empty, as rings do */
	if (ring_pick(vip->num, h, real) != 0 &&
	    ring_pick(vip->num, h + 1, real) != 0)
		return -1;
	conn_save(f, *real);
	return 0;
}

static NOINLINE void
count(__u32 idx, __u64 bytes)
{
	struct lb_stats *s = bpf_map_lookup_elem(&stats, &idx);

	if (s) {
		s->pkts += 1;
		s->bytes += bytes;
	}
}

/* global: a scalar-only prototype the kernel checks on its own */
NOINLINE int
lb_account(__u32 what, __u32 len)
{
	count(what, len);
	count(7, 1);
	return 0;
}

/* ---- encapsulation ---- */

static NOINLINE __u32
csum_add16(__u32 sum, __u16 v)
{
	return sum + v;
}

static NOINLINE __u16
csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static NOINLINE __u16
ipv4_csum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < 10; i++)
		sum = csum_add16(sum, w[i]);
	return csum_fold(sum);
}

static NOINLINE void
fill_outer_ip(struct iphdr *ip, __u32 src, __u32 dst, __u16 inner_len)
{
	struct iphdr h = {
		.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_IPIP,
	};

	h.tot_len = bpf_htons(inner_len + sizeof(h));
	h.saddr = src;
	h.daddr = dst;
	h.check = ipv4_csum(&h);
	__builtin_memcpy(ip, &h, sizeof(h));
}

static NOINLINE int
move_eth(struct ethhdr *new_eth, const struct ethhdr *old_eth)
{
	__u8 mac[ETH_ALEN];

	__builtin_memcpy(mac, old_eth->h_dest, ETH_ALEN);
	__builtin_memcpy(new_eth->h_dest, old_eth->h_source, ETH_ALEN);
	__builtin_memcpy(new_eth->h_source, mac, ETH_ALEN);
	new_eth->h_proto = bpf_htons(ETH_P_IP);
	return 0;
}

static NOINLINE int
encap_ipip(struct xdp_md *ctx, __u32 real_addr, __u32 vip_addr)
{
	void *data, *data_end;
	struct ethhdr *eth, *old;
	struct iphdr *ip;
	__u16 inner_len;

	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	old = data + sizeof(struct iphdr);
	ip = data + ETH_HLEN;
	if ((void *)(ip + 2) > data_end)
		return -1;
	inner_len = bpf_ntohs((ip + 1)->tot_len);
	move_eth(eth, old);
	fill_outer_ip(ip, vip_addr, real_addr, inner_len);
	return 0;
}

static NOINLINE int
real_addr(__u32 real, __u32 *addr)
{
	__u32 *a = bpf_map_lookup_elem(&reals, &real);

	if (!a)
		return -1;
	*addr = *a;
	return 0;
}

static NOINLINE int
balance(struct xdp_md *ctx, struct flow *f)
{
	struct vip_meta *vip;
	__u32 real, addr;
	int known;

	vip = find_vip(f);
	if (!vip)
		return XDP_PASS;
	known = choose_real(f, vip, &real);
	if (known < 0 || real_addr(real, &addr) != 0)
		return XDP_DROP;
	lb_account(known, ctx->data_end - ctx->data);
	lb_account(2 + vip->num, ctx->data_end - ctx->data);
	if (encap_ipip(ctx, addr, f->dst) != 0)
		return XDP_DROP;
	return XDP_TX;
}

SEC("xdp")
int xdp_lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct flow f = { 0 };
	__u16 proto;

	if (parse_eth(data, data_end, &proto) < 0)
		return XDP_DROP;
	if (proto != bpf_htons(ETH_P_IP) || parse_ipv4(data, data_end, &f))
		return XDP_PASS;
	return balance(ctx, &f);
}

/*
 * Where would this flow go? The same path without changing the frame or
 * the connection table (a dry run, as health checkers ask), outer header
 * built on the stack: about forty calls on every run, the program of the
 * performance table.
 */
SEC("xdp")
int xdp_lb_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct flow f = { 0 };
	struct vip_meta *vip;
	struct iphdr outer;
	__u32 real, addr;
	__u16 proto;

	if (parse_eth(data, data_end, &proto) < 0)
		return XDP_DROP;
	if (proto != bpf_htons(ETH_P_IP) || parse_ipv4(data, data_end, &f))
		return XDP_PASS;
	vip = find_vip(&f);
	if (!vip)
		return XDP_PASS;
	if (conn_find(&f, &real) != 0 &&
	    ring_pick(vip->num, flow_hash(&f), &real) != 0)
		return XDP_DROP;
	if (real_addr(real, &addr) != 0)
		return XDP_DROP;
	lb_account(6, ctx->data_end - ctx->data);
	lb_account(6, 0);
	fill_outer_ip(&outer, f.dst, addr, ctx->data_end - ctx->data);
	return outer.check & 1 ? XDP_TX : XDP_REDIRECT;
}

char _license[] SEC("license") = "Dual BSD/GPL";
