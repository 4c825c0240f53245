// SPDX-License-Identifier: BSD-3-Clause
/* Atomic adds the kernel's verifier refuses and an AArch64 CPU faults on
 * (SIGBUS: rte_bpf's arm64 JIT makes an exclusive access, which must be
 * aligned), built with -DBAD_ATOMICPKT (into the packet, at an odd
 * offset) or -DBAD_ATOMICMIS (a map value at an offset that is not a
 * multiple of 4). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[2]);
} counters SEC(".maps");

SEC("xdp")
int xdp_bad_atomic(struct xdp_md *ctx)
{
#ifdef BAD_ATOMICPKT
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + 16 > data_end)
		return XDP_DROP;
	asm volatile("r3 = 1; lock *(u32 *)(%[p] + 1) += r3;"
		: : [p] "r"(data) : "r3");
#else
	__u32 k = 0;
	char *v = bpf_map_lookup_elem(&counters, &k);

	if (v == NULL)
		return XDP_DROP;
	asm volatile("r3 = 1; lock *(u32 *)(%[p] + 3) += r3;"
		: : [p] "r"(v) : "r3");
#endif
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
