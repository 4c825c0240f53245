// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a store through data - data_meta, a scalar the kernel
 * refuses to dereference ("invalid mem access 'scalar'"); rte_bpf types
 * it as a packet pointer at offset 0 and would write to address 16.
 * With -DBAD_PTRCTX (xdp_bad_ptrctx): through data - ctx, which the
 * rewriter once took for a packet pointer at a variable offset. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifdef BAD_PTRCTX
#define PROG xdp_bad_ptrctx
#define SUBTRAHEND "%[ctx]"
#else
#define PROG xdp_bad_ptrsub
#define SUBTRAHEND "r3"
#endif

SEC("xdp")
int PROG(struct xdp_md *ctx)
{
	asm volatile(
		"r2 = *(u32 *)(%[ctx] + 0);"
		"r3 = *(u32 *)(%[ctx] + 8);"
		"r2 -= " SUBTRAHEND ";"
		"*(u8 *)(r2 + 16) = r3;"
		:: [ctx] "r"(ctx) : "r2", "r3");
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
