/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Traffic generator for kernel_xdp_bench: test-run with
 * BPF_F_TEST_XDP_LIVE_FRAMES and ctx.ingress_ifindex = the sender veth,
 * XDP_TX makes the kernel transmit each frame out of that veth (it is
 * turned into a redirect to the same device, i.e. veth's ndo_xdp_xmit,
 * which queues it on the peer's receive ring).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_live_gen(struct xdp_md *ctx)
{
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
