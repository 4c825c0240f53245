// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a packet access beyond any buffer window. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_bad_oob(struct xdp_md *ctx)
{
	unsigned char *p = (void *)(long)ctx->data;

	return p[3000] ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
