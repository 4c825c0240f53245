// SPDX-License-Identifier: BSD-3-Clause
/* Bounded loops the kernel's verifier accepts and clang leaves as loops:
 * a sum over the first 64 bytes that stops at data_end, a count-down
 * loop with a 32-bit counter, and a loop nested in another; the runtime
 * unrolls them (rte_bpf has no backward jumps). The kernel's verifier
 * also accepts loops whose bound comes from the packet: those are
 * refused (xdp_bad_loop.c). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} sums SEC(".maps");

static __always_inline void
put(__u32 k, __u64 v)
{
	bpf_map_update_elem(&sums, &k, &v, BPF_ANY);
}

SEC("xdp")
int xdp_bounded(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	__u64 sum = 0;
	__u32 i, j, n;

#pragma clang loop unroll(disable)
	for (i = 0; i < 64; i++) {
		if (data + i + 1 > data_end)
			break;
		sum += p[i];
	}
	put(0, sum);
	n = 8;
#pragma clang loop unroll(disable)
	do {
		__u32 k = n & 3;
		__u64 *v = bpf_map_lookup_elem(&sums, &k);

		if (v)
			*v += n * 5;
	} while (--n != 0);
	sum = 0;
	if (data + 16 > data_end)
		return XDP_DROP;
#pragma clang loop unroll(disable)
	for (i = 0; i < 3; i++)
#pragma clang loop unroll(disable)
		for (j = 0; j < 5; j++)
			sum += p[(i * 5 + j) & 15] * (i + 1);
	put(3, sum);
	return sum & 1 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
