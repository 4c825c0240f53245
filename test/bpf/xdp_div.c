// SPDX-License-Identifier: BSD-3-Clause
/* Division and modulo by values from the frame, which may be zero: the
 * kernel defines x / 0 = 0 and x % 0 = x (32-bit: zero-extended), where
 * rte_bpf alone would end the program. Results go back into the frame.
 * clang turns a % b into a - a / b * b and its assembler has no modulo:
 * the MOD instructions, and 32-bit divisors with a non-zero upper half,
 * are spelled as raw instructions. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* r1 op= r2, by its encoding: ALU64 MOD X, ALU DIV X, ALU MOD X */
#define MOD64_R1_R2 ".byte 0x9f, 0x21, 0, 0, 0, 0, 0, 0;"
#define DIV32_R1_R2 ".byte 0x3c, 0x21, 0, 0, 0, 0, 0, 0;"
#define MOD32_R1_R2 ".byte 0x9c, 0x21, 0, 0, 0, 0, 0, 0;"

SEC("xdp")
int xdp_div(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 a, b, c, d, m64, d32, m32, *q;
	__u32 x, y;
	__u8 *p = data;

	if (data + ETH_HLEN + 64 > data_end)
		return XDP_DROP;
	q = data + ETH_HLEN + 8;
	a = 0xfedcba9876543210ull ^ p[14];
	b = p[15];			/* 0 for most test frames */
	c = 0x87654321u ^ p[16];
	d = p[17] + (p[18] << 8);
	x = c;
	y = d;
	q[0] = a / b;
	q[1] = x / y;
	asm volatile(
		"r1 = %[a]; r2 = %[b];" MOD64_R1_R2 "%[m64] = r1;"
		"r1 = %[c]; r2 = %[a]; r2 <<= 32; r2 |= %[d];"
		DIV32_R1_R2 "%[d32] = r1;"
		"r1 = %[a]; r2 = %[c]; r2 <<= 32; r2 |= %[d];"
		MOD32_R1_R2 "%[m32] = r1;"
		: [m64] "=r"(m64), [d32] "=r"(d32), [m32] "=r"(m32)
		: [a] "r"(a), [b] "r"(b), [c] "r"(c), [d] "r"(d)
		: "r1", "r2");
	q[2] = m64;
	q[3] = d32;
	q[4] = m32;
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
