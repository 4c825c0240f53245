// SPDX-License-Identifier: BSD-3-Clause
/* xdp1's work (count the frame by IP protocol, drop it) for DPDK's own
 * RX filter, rte_bpf_ethdev (rte_bpf_eth_rx_elf_load), the peer that
 * xdp_generic_perf_autotest measures generic XDP against. rte_bpf's
 * convention, not XDP's: the argument is the frame's data
 * (RTE_BPF_ARG_PTR, its size the frame's: the verifier bounds the reads,
 * there is no data_end), 0 drops the frame, the counters are an array of
 * the application given as the external variable rxcnt (rte_bpf has no
 * maps). One lcore polls the port: a plain increment, as xdp1's per-CPU
 * slot. Built for -mcpu=v1: rte_bpf of DPDK 22.11 has no 32-bit jumps. */
#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>

extern __u64 rxcnt[256];

__u64
rte_bpf_xdp1(void *data)
{
	struct ethhdr *eth = data;
	__u32 proto = 0;

	if (eth->h_proto == bpf_htons(ETH_P_IP))
		proto = ((struct iphdr *)(eth + 1))->protocol;
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		proto = ((struct ipv6hdr *)(eth + 1))->nexthdr;
	rxcnt[proto]++;
	return 0;
}
