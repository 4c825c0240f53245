/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPDK_XDP_XLATED_DUMPER_H
#define DPDK_XDP_XLATED_DUMPER_H

/*
 * prog dump xlated: a program as rte_bpf runs it, in bpftool's plain and
 * JSON shapes: each function's prototype and source lines from the
 * object's BTF (.BTF.ext line and function info) where it has them, and,
 * our own, what the rewriter did (comments, or "notes" in JSON).
 */

#include <stdbool.h>

#include "rte_xdp_prog.h"

/* What of the object's BTF the dump shows (NULL: none). */
struct btf_lines;

struct btf_lines *btf_lines_open(const char *obj_path);
void btf_lines_close(struct btf_lines *bl);

/* Dumps function func of a program (rte_xdp_prog_xlated()). */
void dump_xlated(const struct btf_lines *bl, const struct rte_xdp_xlated *x,
	unsigned int func, bool opcodes, bool linum);

#endif /* DPDK_XDP_XLATED_DUMPER_H */
