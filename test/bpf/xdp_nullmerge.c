// SPDX-License-Identifier: BSD-3-Clause
/* "p = NULL; if (...) p = lookup(...); ...; if (p) use p": on one path
 * the pointer is the constant 0, on the other a map value that may be
 * NULL; the kernel's verifier follows each path and takes the check as
 * impossible on the first. Also checked through a copy, and kept across
 * other helper calls (in a callee-saved register or spilled to the
 * stack), as Katran's balancer keeps its real server.
 *
 * xdp-diff: map update name flows key 10 1 2 3 value 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 * xdp-diff: map update name flows key 192 168 0 1 value 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct flow {
	__u32 real;	/* index of the real server */
	__u32 pad;
	__u64 hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct flow);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __attribute__((noinline)) int
count(__u32 k)
{
	__u64 *c = bpf_map_lookup_elem(&stats, &k);

	if (c == NULL)
		return 0;
	*c += 1;
	return 1;
}

SEC("xdp")
int xdp_nullmerge(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct flow *f = NULL, *g;
	__u32 daddr = 0;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP) && ip->protocol == 17) {
		daddr = ip->daddr;
		f = bpf_map_lookup_elem(&flows, &daddr);
	}
	/* helper calls between the lookup and the check */
	count(0);
	if (daddr != 0)
		count(1);
	g = f;
	if (g == NULL) {
		count(2);
		return XDP_PASS;
	}
	f->hits++;
	count(3);
	eth->h_dest[0] = (__u8)f->real;
	return f->real == 2 ? XDP_DROP : XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
