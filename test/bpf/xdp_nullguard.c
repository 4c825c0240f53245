// SPDX-License-Identifier: BSD-3-Clause
/* A lookup result handed back through a pointer by a bpf-to-bpf callee
 * that returns whether it found one, as the kernel selftest
 * test_xdp_noinline's get_packet_dst(): the caller uses the result only
 * when the callee said so. The kernel's verifier follows each path; the
 * rewriter marks the merged result non-NULL where the returned flag is
 * not zero.
 *
 * Frames: the test's, a rule for 10.1.2.3 (the IPv4 frames' destination).
 * xdp-diff: map update name rules key 10 1 2 3 value 3 0 0 0 0 0 0 0
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
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
} rules SEC(".maps");

static __attribute__((noinline)) int
find_rule(struct rule **out, __u32 addr)
{
	struct rule *r = bpf_map_lookup_elem(&rules, &addr);

	*out = r;
	if (r == NULL)
		return 0;
	return 1;
}

SEC("xdp")
int xdp_nullguard(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct rule *r = NULL;

	if ((void *)(ip + 1) > data_end ||
	    eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (!find_rule(&r, ip->daddr))
		return XDP_PASS;
	r->hits++;
	return r->action;
}

char _license[] SEC("license") = "Dual BSD/GPL";
