// SPDX-License-Identifier: BSD-3-Clause
/* Negative tests as raw instructions (the assembler refuses them):
 * BAD_REG: r15 = 0 (the kernel: "R15 is invalid");
 * BAD_SHIFT: r4 <<= 0x2000020 (the kernel: "invalid shift"; DPDK 22.11's
 * JIT emits its 4-byte immediate after an imm8 shift opcode);
 * BAD_LDIMM: if r4 > 0 goto +1, onto the second half of the LD_IMM64
 * after it (the kernel: "jump into the middle of ldimm64"; DPDK 22.11's
 * validator then walks a node past the end of its array). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#if defined(BAD_REG)
#define INSN ".byte 0xb7, 0x0f, 0, 0, 0, 0, 0, 0;"
#elif defined(BAD_LDIMM)
#define INSN ".byte 0x25, 0x04, 1, 0, 0, 0, 0, 0;" \
	"r4 = 0x100000000 ll;"
#else
#define INSN ".byte 0x67, 0x04, 0, 0, 0x20, 0, 0, 0x02;"
#endif

SEC("xdp")
int xdp_bad_insn(struct xdp_md *ctx)
{
	asm volatile("r4 = 1;" INSN ::: "r4");
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
