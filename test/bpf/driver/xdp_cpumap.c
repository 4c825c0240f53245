// SPDX-License-Identifier: BSD-3-Clause
/* Like the kernel's samples/bpf xdp_redirect_cpu: every frame goes to the
 * cpumap entry in cfg[0]; the entry's own program (SEC("xdp/cpumap"))
 * passes UDP frames from even source ports and drops the others. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpu_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cfg SEC(".maps");

SEC("xdp")
int xdp_to_cpu(struct xdp_md *ctx)
{
	__u32 k = 0, *cpu = bpf_map_lookup_elem(&cfg, &k);

	if (!cpu)
		return XDP_ABORTED;
	return bpf_redirect_map(&cpu_map, *cpu, 0);
}

SEC("xdp/cpumap")
int xdp_cpu_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > data_end)
		return XDP_DROP;
	if (ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	return bpf_ntohs(udp->source) & 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
