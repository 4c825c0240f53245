// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a packet access beyond any buffer window (6000 bytes
 * past data: more than any frame, and than dpdk-xdp's 4 KiB window). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_bad_oob(struct xdp_md *ctx)
{
	unsigned char *p = (void *)(long)ctx->data;

	return p[6000] ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
