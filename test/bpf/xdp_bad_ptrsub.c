// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a store through data - data_meta, a scalar the kernel
 * refuses to dereference ("invalid mem access 'scalar'"); rte_bpf types
 * it as a packet pointer at offset 0 and would write to address 16.
 * With -DBAD_PTRCTX (xdp_bad_ptrctx): through data - ctx, which the
 * rewriter once took for a packet pointer at a variable offset. With
 * -DBAD_PTRADD (xdp_bad_ptradd): data + data_meta, refused as such. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#if defined(BAD_PTRCTX)
#define PROG xdp_bad_ptrctx
#define ARITH "r2 -= %[ctx];"
#elif defined(BAD_PTRADD)
#define PROG xdp_bad_ptradd
#define ARITH "r2 += r3;"
#else
#define PROG xdp_bad_ptrsub
#define ARITH "r2 -= r3;"
#endif

SEC("xdp")
int PROG(struct xdp_md *ctx)
{
	asm volatile(
		"r2 = *(u32 *)(%[ctx] + 0);"
		"r3 = *(u32 *)(%[ctx] + 8);"
		ARITH
		"*(u8 *)(r2 + 16) = r3;"
		:: [ctx] "r"(ctx) : "r2", "r3");
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
