/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPDK_XDP_JIT_DISASM_H
#define DPDK_XDP_JIT_DISASM_H

/*
 * The JIT's code of a program, disassembled with capstone when dpdk-xdp
 * was built with it (meson finds libcapstone-dev), else as bytes, as
 * bpftool prints JIT code without a disassembler library.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "capstone X.Y", or NULL when built without a disassembler. */
const char *jit_disasm_name(void);

/* Prints code (plain or JSON, as bpftool); 0 or -1. */
int jit_disasm_print(const uint8_t *code, size_t len, bool opcodes);

#endif /* DPDK_XDP_JIT_DISASM_H */
