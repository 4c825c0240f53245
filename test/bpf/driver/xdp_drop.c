// SPDX-License-Identifier: BSD-3-Clause
/* Drops every frame, touching nothing: the cost of running a program at
 * all (mvneta_xdp_perf_autotest's constant XDP_DROP). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
