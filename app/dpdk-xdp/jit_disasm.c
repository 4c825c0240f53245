/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prog dump jited: rte_bpf's JIT code, as bpftool prints a JIT image.
 * With capstone (x86-64 in AT&T syntax as objdump and bpftool show it,
 * or arm64): one line an instruction, "pc: mnemonic operands", with
 * "opcodes" its bytes under it. Without capstone: the bytes, 16 a line.
 */

#include <stdio.h>
#include <string.h>

#include <rte_config.h>

#include "jit_disasm.h"
#include "main.h"

#define BYTES_PER_LINE 16

/* Bytes as bpftool prints opcodes: plain "\t55 48 89 e5 ", or JSON. */
static void
print_opcodes(const uint8_t *b, size_t n)
{
	size_t i;

	if (json_output) {
		jsonw_name(json_wtr, "opcodes");
		jsonw_start_array(json_wtr);
		for (i = 0; i < n; i++)
			jsonw_printf(json_wtr, "\"0x%02x\"", b[i]);
		jsonw_end_array(json_wtr);
		return;
	}
	printf("\n\t");
	for (i = 0; i < n; i++)
		printf("%02x ", b[i]);
}

/* Without a disassembler: the code's bytes, each line at its pc. */
static int
print_bytes_only(const uint8_t *code, size_t len)
{
	size_t pc, n;

	if (json_output)
		jsonw_start_array(json_wtr);
	for (pc = 0; pc < len; pc += n) {
		n = RTE_MIN(len - pc, (size_t)BYTES_PER_LINE);
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_name(json_wtr, "pc");
			jsonw_string_fmt(json_wtr, "0x%zx", pc);
			print_opcodes(code + pc, n);
			jsonw_end_object(json_wtr);
		} else {
			size_t k;

			printf("%4zx:\t", pc);
			for (k = 0; k < n; k++)
				printf("%s%02x", k ? " " : "", code[pc + k]);
			printf("\n");
		}
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	return 0;
}

#ifdef DPDK_XDP_CAPSTONE

#include <capstone/capstone.h>

#if defined(RTE_ARCH_X86_64)
#define JIT_CS_ARCH CS_ARCH_X86
#define JIT_CS_MODE CS_MODE_64
#elif defined(RTE_ARCH_ARM64)
#define JIT_CS_ARCH CS_ARCH_ARM64
#define JIT_CS_MODE CS_MODE_ARM
#endif

#endif

#ifdef JIT_CS_ARCH

const char *
jit_disasm_name(void)
{
	static char name[32];
	int major, minor;

	cs_version(&major, &minor);
	snprintf(name, sizeof(name), "capstone %d.%d", major, minor);
	return name;
}

/* JSON operands: the operand string cut at its top-level commas. */
static void
print_operands(const char *ops)
{
	char buf[sizeof(((cs_insn *)0)->op_str)];
	int depth = 0;
	size_t i, n = 0;

	jsonw_name(json_wtr, "operands");
	jsonw_start_array(json_wtr);
	if (ops[0] == '\0')
		jsonw_null(json_wtr);
	for (i = 0; ops[0] != '\0'; i++) {
		char c = ops[i];

		if (c == '(' || c == '[')
			depth++;
		else if (c == ')' || c == ']')
			depth--;
		if (c == '\0' || (c == ',' && depth == 0)) {
			buf[n] = '\0';
			jsonw_string(json_wtr, buf);
			n = 0;
			if (c == '\0')
				break;
			while (ops[i + 1] == ' ')
				i++;
			continue;
		}
		if (n + 1 < sizeof(buf))
			buf[n++] = c;
	}
	jsonw_end_array(json_wtr);
}

static void
print_insn(size_t pc, const char *mnemonic, const char *ops,
	const uint8_t *b, size_t n, bool opcodes)
{
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_name(json_wtr, "pc");
		jsonw_string_fmt(json_wtr, "0x%zx", pc);
		jsonw_string_field(json_wtr, "operation", mnemonic);
		print_operands(ops);
		if (opcodes)
			print_opcodes(b, n);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("%4zx:\t%-6s %s", pc, mnemonic, ops);
	if (opcodes)
		print_opcodes(b, n);
	printf("\n");
}

int
jit_disasm_print(const uint8_t *code, size_t len, bool opcodes)
{
	cs_insn *insn = NULL;
	size_t pc = 0, count, k;
	csh cs;

	if (cs_open(JIT_CS_ARCH, JIT_CS_MODE, &cs) != CS_ERR_OK)
		return print_bytes_only(code, len);
#if defined(RTE_ARCH_X86_64)
	cs_option(cs, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
#endif
	if (json_output)
		jsonw_start_array(json_wtr);
	while (pc < len) {
		count = cs_disasm(cs, code + pc, len - pc, pc, 0, &insn);
		for (k = 0; k < count; k++)
			print_insn(insn[k].address, insn[k].mnemonic,
				insn[k].op_str, insn[k].bytes, insn[k].size,
				opcodes);
		if (count > 0)
			pc = insn[count - 1].address + insn[count - 1].size;
		cs_free(insn, count);
		/* what capstone cannot decode: one byte, as objdump does */
		if (count == 0) {
			print_insn(pc, "(bad)", "", code + pc, 1, opcodes);
			pc++;
		}
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	cs_close(&cs);
	return 0;
}

#else /* no disassembler for this build or architecture */

const char *
jit_disasm_name(void)
{
	return NULL;
}

int
jit_disasm_print(const uint8_t *code, size_t len, bool opcodes)
{
	RTE_SET_USED(opcodes);
	return print_bytes_only(code, len);
}

#endif
