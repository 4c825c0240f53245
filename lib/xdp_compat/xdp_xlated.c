/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A loaded program as rte_bpf runs it, for bpftool's "prog dump xlated"
 * and "prog dump jited": the instructions given to rte_bpf_load(), where
 * each came from in the object (section, instruction), what the rewriter
 * did to make it (RTE_XDP_XLATED_*), and the JIT's code.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "xdp_prog_internal.h"

static const char *const note_names[RTE_XDP_XLATED_NB_NOTES] = {
	"struct xdp_md field read from the runtime context",
	"map address",
	"helper call through an rte_bpf external symbol",
	"bpf_tail_call(): return when taken, the runner runs the target",
	"bpf_loop() callback: its address, or its arguments",
	"JMP32 as a 64-bit jump",
	"JSET against a constant through a scratch register",
	"32-bit ARSH in 64 bits",
	"division by a register: the kernel's result for 0",
	"variable packet offset clamped",
	"pointer addition rte_bpf can type",
	"stack load split into byte loads",
	"scratch register kept in a reserved stack slot",
	"stack zeroed at entry",
	"one exit, at the end: others jump to it",
	"branch whose outcome is known: made a jump",
	"ja +0 in front: rte_bpf's JIT would lay the code out wrong",
	"inlined bpf-to-bpf call",
};

const char *
rte_xdp_xlated_note(uint32_t note)
{
	if (note == 0 || (note & (note - 1)) != 0 ||
	    note >= (1u << RTE_XDP_XLATED_NB_NOTES))
		return NULL;
	return note_names[rte_bsf32(note)];
}

/*
 * An object instruction the program's own function does not hold, or a
 * bpf-to-bpf call (the saves and restores around the inlined callee
 * carry its index), is there because a call was inlined.
 */
static int
inlined(const struct rte_xdp_obj *obj, uint16_t sec, int32_t insn,
	uint16_t fsec, uint32_t start, uint32_t len)
{
	const struct xdpc_sec *s = &obj->secs[sec];

	if (sec != fsec || insn < (int32_t)start ||
	    insn >= (int32_t)(start + len))
		return 1;
	return s->ins != NULL && (uint32_t)insn < s->nb_ins &&
		s->ins[insn].code == (XB_JMP | XB_CALL) &&
		s->ins[insn].src_reg == XB_PSEUDO_CALL;
}

int
xdpc_xlated_build(struct xdpc_xlated *xl, const struct rte_xdp_prog *prog,
	const struct xdpc_rewrite_out *rw, uint16_t sec, uint32_t start,
	uint32_t len, const void *jit, size_t jit_size)
{
	const struct rte_xdp_obj *obj = prog->obj;
	uint32_t nudges = rw->nb_ins - rw->nb_src, i;

	memset(xl, 0, sizeof(*xl));
	xl->ins = malloc(rw->nb_ins * sizeof(*xl->ins));
	xl->src = calloc(rw->nb_ins, sizeof(*xl->src));
	if (xl->ins == NULL || xl->src == NULL) {
		xdpc_xlated_free(xl);
		return -ENOMEM;
	}
	memcpy(xl->ins, rw->ins, rw->nb_ins * sizeof(*xl->ins));
	xl->nb = rw->nb_ins;
	xl->section = obj->secs[sec].name;
	xl->start = start;
	xl->jit = jit;
	xl->jit_size = jit_size;
	for (i = 0; i < rw->nb_ins; i++) {
		struct rte_xdp_xlated_src *d = &xl->src[i];
		const struct xdpc_insn_src *s;

		d->insn = rw->orig[i];
		if (i < nudges) {
			/* put in front by xdp_jit.c, after the rewrite */
			d->section = xl->section;
			d->notes = RTE_XDP_XLATED_JIT_NUDGE;
			continue;
		}
		s = &rw->src[i - nudges];
		d->section = obj->secs[s->sec].name;
		d->notes = s->notes;
		if (inlined(obj, s->sec, d->insn, sec, start, len))
			d->notes |= RTE_XDP_XLATED_INLINED;
		if (s->map != NULL) {
			d->map_id = rte_xdp_map_id(s->map);
			d->map_off = s->map_off;
			d->map_value = s->map_value;
		}
		if (rw->ins[i].code == (XB_JMP | XB_CALL) &&
		    (uint32_t)rw->ins[i].imm < rw->nb_calls) {
			d->helper = rw->calls[rw->ins[i].imm].helper;
			d->helper_name = xdpc_helper_name(d->helper);
		}
	}
	return 0;
}

void
xdpc_xlated_free(struct xdpc_xlated *xl)
{
	free(xl->ins);
	free(xl->src);
	memset(xl, 0, sizeof(*xl));
}

/* Function func of a program: 0 the program, then its callbacks. */
static const struct xdpc_xlated *
func_xlated(const struct rte_xdp_prog *prog, unsigned int func)
{
	const struct xdpc_callback *cb;
	unsigned int n = 0, k;

	if (func == 0)
		return &prog->xl;
	for (cb = prog->cbs; cb != NULL; cb = cb->next)
		n++;
	if (func > n)
		return NULL;
	/* compiling puts each callback in front: the first is last */
	for (cb = prog->cbs, k = n - func; k > 0; k--)
		cb = cb->next;
	return &cb->xl;
}

int
rte_xdp_prog_xlated(const struct rte_xdp_prog *prog, unsigned int func,
	struct rte_xdp_xlated *xlated)
{
	const struct xdpc_xlated *xl;

	if (prog == NULL || prog->bpf == NULL || prog->xl.ins == NULL)
		return -EINVAL;
	xl = func_xlated(prog, func);
	if (xl == NULL || xl->ins == NULL)
		return -ENOENT;
	xlated->insns = (const struct rte_xdp_insn *)xl->ins;
	xlated->src = xl->src;
	xlated->nb_insns = xl->nb;
	xlated->section = xl->section;
	xlated->start = xl->start;
	xlated->jit = xl->jit;
	xlated->jit_size = xl->jit_size;
	return 0;
}

int
rte_xdp_prog_jited(const struct rte_xdp_prog *prog, unsigned int func,
	const void **code, size_t *size)
{
	struct rte_xdp_xlated x;
	int ret = rte_xdp_prog_xlated(prog, func, &x);

	if (ret != 0)
		return ret;
	if (x.jit == NULL)
		return -ENOENT;
	*code = x.jit;
	*size = x.jit_size;
	return 0;
}
