/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPDK_XDP_BPF_DISASM_H
#define DPDK_XDP_BPF_DISASM_H

/*
 * One eBPF instruction as text, in the syntax of the kernel's verifier
 * log and of bpftool prog dump xlated: "(b7) r0 = 2",
 * "(85) call bpf_map_lookup_elem#1", "(18) r1 = map[id:3]".
 */

#include <stddef.h>

#include "rte_xdp_prog.h"

/*
 * Writes ins[0] (and ins[1], the second half of an LD_IMM64) into buf;
 * src, if not NULL, names the helper a call reaches and the map an
 * address is of. Returns the instructions it took (1 or 2).
 */
unsigned int bpf_insn_str(char *buf, size_t len,
	const struct rte_xdp_insn *ins, unsigned int nb,
	const struct rte_xdp_xlated_src *src);

#endif /* DPDK_XDP_BPF_DISASM_H */
