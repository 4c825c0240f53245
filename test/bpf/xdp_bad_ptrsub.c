// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a store through data - data_meta, a scalar the kernel
 * refuses to dereference ("invalid mem access 'scalar'"); rte_bpf types
 * it as a packet pointer at offset 0 and would write to address 16. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_bad_ptrsub(struct xdp_md *ctx)
{
	asm volatile(
		"r2 = *(u32 *)(%[ctx] + 0);"
		"r3 = *(u32 *)(%[ctx] + 8);"
		"r2 -= r3;"
		"*(u8 *)(r2 + 16) = r3;"
		:: [ctx] "r"(ctx) : "r2", "r3");
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
