// SPDX-License-Identifier: BSD-3-Clause
/* JMP32 with every register live (built for v3 only: v2 has no JMP32).
 * R0-R9 all hold values read later, so lowering the signed 32-bit
 * compares needs scratch registers spilled to the stack. The sum of all
 * registers and the branches taken are written into the frame. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
__attribute__((naked)) int xdp_jmp32_spill(struct xdp_md *ctx)
{
	asm volatile (
	"r2 = *(u32 *)(r1 + 0);"	/* data */
	"r3 = *(u32 *)(r1 + 4);"	/* data_end */
	"r4 = r2;"
	"r4 += 24;"
	"if r4 > r3 goto 1f;"
	"r0 = *(u32 *)(r2 + 14);"	/* the values compared */
	"r4 = *(u32 *)(r2 + 18);"
	"r5 = *(u8 *)(r2 + 14);"
	"r6 = *(u8 *)(r2 + 15);"
	"r7 = *(u8 *)(r2 + 16);"
	"r8 = *(u8 *)(r2 + 17);"
	"r9 = *(u8 *)(r2 + 18);"
	"r1 = *(u8 *)(r2 + 19);"
	"r3 = 0x10000;"
	"if w0 s> w4 goto 2f;"		/* register form, signed */
	"r3 |= 1;"
	"2:"
	"if w0 s< -5 goto 3f;"		/* immediate form, signed */
	"r3 |= 2;"
	"3:"
	"r4 <<= 8;"
	"if w4 > w0 goto 4f;"		/* unsigned, r4 not zero-extended */
	"r3 |= 4;"
	"4:"
	"r3 += r0;"
	"r3 += r4;"
	"r3 += r5;"
	"r3 += r6;"
	"r3 += r7;"
	"r3 += r8;"
	"r3 += r9;"
	"r3 += r1;"
	"*(u32 *)(r2 + 20) = r3;"
	"r0 = 2;"
	"exit;"
	"1:"
	"r0 = 1;"
	"exit;"
	::: "memory");
}

char _license[] SEC("license") = "Dual BSD/GPL";
