// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a helper outside the XDP set (bpf_get_current_pid_tgid). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_bad_helper(struct xdp_md *ctx)
{
	return bpf_get_current_pid_tgid() & 1 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
