// SPDX-License-Identifier: BSD-3-Clause
/* Division and modulo by values from the frame, which may be zero: the
 * kernel defines x / 0 = 0 and x % 0 = x (32-bit: zero-extended), where
 * rte_bpf alone would end the program. Results go back into the frame.
 * clang turns a % b into a - a / b * b and its assembler has no modulo:
 * the MOD instructions, and 32-bit divisors with a non-zero upper half,
 * are spelled as raw instructions. A register divided by itself, with
 * R0 and R3 (RAX and RDX in DPDK's x86 JIT, which mishandles them),
 * too. A 32-bit division while R0 holds a map value pointer (DPDK's
 * JIT tests 32-bit divisors with a CMOV into RAX that clears its upper
 * half), its results stored through R0. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* r1 op= r2, by its encoding: ALU64 MOD X, ALU DIV X, ALU MOD X */
#define MOD64_R1_R2 ".byte 0x9f, 0x21, 0, 0, 0, 0, 0, 0;"
#define DIV32_R1_R2 ".byte 0x3c, 0x21, 0, 0, 0, 0, 0, 0;"
#define MOD32_R1_R2 ".byte 0x9c, 0x21, 0, 0, 0, 0, 0, 0;"
/* r0 /= r0, w0 /= w0, r3 %= r3, w3 %= w3, r3 /= r3 */
#define DIV64_R0_R0 ".byte 0x3f, 0x00, 0, 0, 0, 0, 0, 0;"
#define DIV32_R0_R0 ".byte 0x3c, 0x00, 0, 0, 0, 0, 0, 0;"
#define MOD64_R3_R3 ".byte 0x9f, 0x33, 0, 0, 0, 0, 0, 0;"
#define MOD32_R3_R3 ".byte 0x9c, 0x33, 0, 0, 0, 0, 0, 0;"
#define DIV64_R3_R3 ".byte 0x3f, 0x33, 0, 0, 0, 0, 0, 0;"
/* w3 /= w4, w3 %= w4 */
#define DIV32_R3_R4 ".byte 0x3c, 0x43, 0, 0, 0, 0, 0, 0;"
#define MOD32_R3_R4 ".byte 0x9c, 0x43, 0, 0, 0, 0, 0, 0;"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[2]);
} div_out SEC(".maps");

SEC("xdp")
int xdp_div(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 a, b, c, d, m64, d32, m32, s0, s1, s2, s3, s4, *q;
	__u32 x, y, k = 0;
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
	asm volatile(
		"r0 = %[a];" DIV64_R0_R0 "%[s0] = r0;"
		"r0 = %[a]; r0 <<= 32; r0 |= %[b];" DIV32_R0_R0 "%[s1] = r0;"
		"r3 = %[b];" MOD64_R3_R3 "%[s2] = r3;"
		"r3 = %[a];" MOD32_R3_R3 "%[s3] = r3;"
		"r3 = %[b];" DIV64_R3_R3 "%[s4] = r3;"
		: [s0] "=r"(s0), [s1] "=r"(s1), [s2] "=r"(s2),
		  [s3] "=r"(s3), [s4] "=r"(s4)
		: [a] "r"(a), [b] "r"(b)
		: "r0", "r3");
	/* within the 64 bytes checked: one word for the five results */
	q[5] = s0 | s1 << 8 | s2 << 16 | s3 << 24 | s4 << 32;
	q = bpf_map_lookup_elem(&div_out, &k);
	if (q == NULL)
		return XDP_ABORTED;
	asm volatile(
		"r0 = %[q]; r3 = %[a]; r4 = %[c];" DIV32_R3_R4
		"*(u64 *)(r0 + 0) = r3;"
		"r3 = %[a]; r4 = %[d];" MOD32_R3_R4
		"*(u64 *)(r0 + 8) = r3;"
		:: [q] "r"(q), [a] "r"(a), [c] "r"(c), [d] "r"(d)
		: "r0", "r3", "r4", "memory");
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
