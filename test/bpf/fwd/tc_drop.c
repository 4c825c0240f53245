// SPDX-License-Identifier: BSD-3-Clause
/* For the netns tests: dropped on a veth's tc ingress, a frame has already
 * been seen by AF_PACKET sockets (ptype_all taps run first) but never
 * reaches the namespace's IP stack, so the kernel of the router namespace
 * does not answer or forward what dpdk-xdp-fwd handles. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_drop(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

char _license[] SEC("license") = "GPL";
