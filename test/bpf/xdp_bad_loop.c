// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a bounded loop the kernel accepts but rte_bpf cannot
 * express (backward jump). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_bad_loop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	__u32 sum = 0;
	int i;

	for (i = 0; i < 64; i++) {
		if (data + i + 1 > data_end)
			break;
		sum += p[i];
	}
	return sum & 1 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
