/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eBPF instructions as text, in the syntax the kernel's verifier log and
 * bpftool's xlated dumps use, so that a program as rte_bpf runs it reads
 * like the kernel's translation of the same program.
 */

#include <stdio.h>

#include <linux/bpf.h>

#include "bpf_disasm.h"

static const char *const alu_op[16] = {
	[BPF_ADD >> 4] = "+=", [BPF_SUB >> 4] = "-=", [BPF_MUL >> 4] = "*=",
	[BPF_DIV >> 4] = "/=", [BPF_OR >> 4] = "|=", [BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=", [BPF_RSH >> 4] = ">>=", [BPF_MOD >> 4] = "%=",
	[BPF_XOR >> 4] = "^=", [BPF_MOV >> 4] = "=", [BPF_ARSH >> 4] = "s>>=",
};

static const char *const jmp_op[16] = {
	[BPF_JEQ >> 4] = "==", [BPF_JGT >> 4] = ">", [BPF_JGE >> 4] = ">=",
	[BPF_JSET >> 4] = "&", [BPF_JNE >> 4] = "!=", [BPF_JSGT >> 4] = "s>",
	[BPF_JSGE >> 4] = "s>=", [BPF_JLT >> 4] = "<", [BPF_JLE >> 4] = "<=",
	[BPF_JSLT >> 4] = "s<", [BPF_JSLE >> 4] = "s<=",
};

static const char *
size_name(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return "u8";
	case BPF_H: return "u16";
	case BPF_W: return "u32";
	default: return "u64";
	}
}

static void
alu_str(char *buf, size_t len, const struct rte_xdp_insn *i)
{
	char r = BPF_CLASS(i->code) == BPF_ALU64 ? 'r' : 'w';
	uint8_t op = BPF_OP(i->code);
	const char *s = alu_op[op >> 4];

	if (op == BPF_END) {
		snprintf(buf, len, "(%02x) r%u = %s%d r%u", i->code,
			i->dst_reg, BPF_CLASS(i->code) == BPF_ALU64 ? "bswap" :
			BPF_SRC(i->code) == BPF_TO_BE ? "be" : "le", i->imm,
			i->dst_reg);
	} else if (op == BPF_NEG) {
		snprintf(buf, len, "(%02x) %c%u = -%c%u", i->code, r,
			i->dst_reg, r, i->dst_reg);
	} else if (s == NULL) {
		snprintf(buf, len, "(%02x) unknown", i->code);
	} else if (BPF_SRC(i->code) == BPF_X) {
		snprintf(buf, len, "(%02x) %c%u %s %c%u", i->code, r,
			i->dst_reg, s, r, i->src_reg);
	} else {
		snprintf(buf, len, "(%02x) %c%u %s %d", i->code, r, i->dst_reg,
			s, i->imm);
	}
}

static void
atomic_str(char *buf, size_t len, const struct rte_xdp_insn *i)
{
	static const char *const fetch_op[16] = {
		[BPF_ADD >> 4] = "add", [BPF_AND >> 4] = "and",
		[BPF_OR >> 4] = "or", [BPF_XOR >> 4] = "xor",
	};
	const char *bits = BPF_SIZE(i->code) == BPF_DW ? "64" : "";
	const char *op = fetch_op[(i->imm & 0xf0) >> 4];

	if (op != NULL && !(i->imm & BPF_FETCH))
		snprintf(buf, len, "(%02x) lock *(%s *)(r%u %+d) %s r%u",
			i->code, size_name(i->code), i->dst_reg, i->off,
			alu_op[(i->imm & 0xf0) >> 4], i->src_reg);
	else if (op != NULL)
		snprintf(buf, len, "(%02x) r%u = atomic%s_fetch_%s((%s *)(r%u %+d), r%u)",
			i->code, i->src_reg, bits, op, size_name(i->code),
			i->dst_reg, i->off, i->src_reg);
	else if (i->imm == BPF_CMPXCHG)
		snprintf(buf, len, "(%02x) r0 = atomic%s_cmpxchg((%s *)(r%u %+d), r0, r%u)",
			i->code, bits, size_name(i->code), i->dst_reg, i->off,
			i->src_reg);
	else if (i->imm == BPF_XCHG)
		snprintf(buf, len, "(%02x) r%u = atomic%s_xchg((%s *)(r%u %+d), r%u)",
			i->code, i->src_reg, bits, size_name(i->code),
			i->dst_reg, i->off, i->src_reg);
	else
		snprintf(buf, len, "(%02x) unknown atomic 0x%x", i->code,
			i->imm);
}

static void
jmp_str(char *buf, size_t len, const struct rte_xdp_insn *i,
	const struct rte_xdp_xlated_src *src)
{
	char r = BPF_CLASS(i->code) == BPF_JMP ? 'r' : 'w';
	uint8_t op = BPF_OP(i->code);
	const char *s = jmp_op[op >> 4];

	if (op == BPF_EXIT) {
		snprintf(buf, len, "(%02x) exit", i->code);
	} else if (op == BPF_CALL) {
		if (src != NULL && src->helper_name != NULL)
			snprintf(buf, len, "(%02x) call bpf_%s#%u", i->code,
				src->helper_name, src->helper);
		else
			snprintf(buf, len, "(%02x) call xsym[%d]", i->code,
				i->imm);
	} else if (op == BPF_JA) {
		snprintf(buf, len, "(%02x) goto pc%+d", i->code, i->off);
	} else if (s == NULL) {
		snprintf(buf, len, "(%02x) unknown", i->code);
	} else if (BPF_SRC(i->code) == BPF_X) {
		snprintf(buf, len, "(%02x) if %c%u %s %c%u goto pc%+d", i->code,
			r, i->dst_reg, s, r, i->src_reg, i->off);
	} else {
		snprintf(buf, len, "(%02x) if %c%u %s 0x%x goto pc%+d", i->code,
			r, i->dst_reg, s, (uint32_t)i->imm, i->off);
	}
}

unsigned int
bpf_insn_str(char *buf, size_t len, const struct rte_xdp_insn *ins,
	unsigned int nb, const struct rte_xdp_xlated_src *src)
{
	const struct rte_xdp_insn *i = &ins[0];
	uint64_t imm64;

	switch (BPF_CLASS(i->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		alu_str(buf, len, i);
		return 1;
	case BPF_JMP:
	case BPF_JMP32:
		jmp_str(buf, len, i, src);
		return 1;
	case BPF_STX:
		if (BPF_MODE(i->code) == BPF_ATOMIC)
			atomic_str(buf, len, i);
		else
			snprintf(buf, len, "(%02x) *(%s *)(r%u %+d) = r%u",
				i->code, size_name(i->code), i->dst_reg, i->off,
				i->src_reg);
		return 1;
	case BPF_ST:
		snprintf(buf, len, "(%02x) *(%s *)(r%u %+d) = %d", i->code,
			size_name(i->code), i->dst_reg, i->off, i->imm);
		return 1;
	case BPF_LDX:
		snprintf(buf, len, "(%02x) r%u = *(%s *)(r%u %+d)", i->code,
			i->dst_reg, size_name(i->code), i->src_reg, i->off);
		return 1;
	default:	/* BPF_LD */
		break;
	}
	if (BPF_MODE(i->code) == BPF_ABS) {
		snprintf(buf, len, "(%02x) r0 = *(%s *)skb[%d]", i->code,
			size_name(i->code), i->imm);
		return 1;
	}
	if (BPF_MODE(i->code) == BPF_IND) {
		snprintf(buf, len, "(%02x) r0 = *(%s *)skb[r%u + %d]", i->code,
			size_name(i->code), i->src_reg, i->imm);
		return 1;
	}
	if (i->code != (BPF_LD | BPF_IMM | BPF_DW) || nb < 2) {
		snprintf(buf, len, "(%02x) unknown", i->code);
		return 1;
	}
	/* LD_IMM64: a map (or a map value) by its id, as the kernel shows
	 * the maps a program references */
	imm64 = (uint32_t)ins[0].imm | (uint64_t)(uint32_t)ins[1].imm << 32;
	if (src != NULL && src->map_id != 0 && src->map_value)
		snprintf(buf, len, "(%02x) r%u = map[id:%u][0]+%u", i->code,
			i->dst_reg, src->map_id, src->map_off);
	else if (src != NULL && src->map_id != 0)
		snprintf(buf, len, "(%02x) r%u = map[id:%u]", i->code,
			i->dst_reg, src->map_id);
	else
		snprintf(buf, len, "(%02x) r%u = 0x%llx", i->code, i->dst_reg,
			(unsigned long long)imm64);
	return 2;
}
