// SPDX-License-Identifier: BSD-3-Clause
/* The smallest program: every frame dropped (two instructions), the
 * runtime's own cost per frame in the instruction counts. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
