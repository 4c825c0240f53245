/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link phase: cut one program out of its section, resolve its relocations
 * (maps from .maps, global data from .bss/.data/.rodata*), and inline the
 * bpf-to-bpf calls so that rte_bpf sees one straight-line program.
 *
 * An inlined callee gets its own stack frame below its caller's (its R10
 * accesses are shifted) and the caller's R6-R9, which the kernel preserves
 * across calls, are saved around the inlined body. Its exits become jumps
 * to the code after the call.
 */

#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

#define MAX_CALL_FRAMES 8	/* the kernel's limit */

int
xvec_push(struct xvec *xv, const struct xins *x)
{
	struct xins *nv;

	if (xv->n == xv->cap) {
		xv->cap = xv->cap ? xv->cap * 2 : 256;
		if (xv->cap > 1000000)
			return -E2BIG;
		nv = realloc(xv->v, xv->cap * sizeof(*nv));
		if (nv == NULL)
			return -ENOMEM;
		xv->v = nv;
	}
	xv->v[xv->n++] = *x;
	return 0;
}

void
xvec_free(struct xvec *xv)
{
	free(xv->v);
	xv->v = NULL;
	xv->n = xv->cap = 0;
}

struct link_ctx {
	struct rte_xdp_obj *obj;
	struct rte_xdp_prog *prog;
	struct xvec *out;
	char *err;
	size_t err_len;
};

static const struct xdpc_rel *
find_rel(const struct xdpc_sec *s, uint32_t insn)
{
	uint32_t i;

	for (i = 0; i < s->nb_rel; i++)
		if (s->rel[i].insn == insn)
			return &s->rel[i];
	return NULL;
}

/* Bytes of stack a function uses below its R10 (a conservative guess
 * from R10-based accesses and R10-derived pointers). */
static uint32_t
frame_size(const struct xinsn *ins, uint32_t len)
{
	int64_t d = 0;
	uint32_t k;

	for (k = 0; k < len; k++) {
		const struct xinsn *i = &ins[k];
		uint8_t cls = XB_CLASS(i->code);

		if ((cls == XB_LDX && i->src_reg == XB_REG_FP) ||
		    ((cls == XB_ST || cls == XB_STX) &&
		     i->dst_reg == XB_REG_FP))
			d = RTE_MAX(d, -(int64_t)i->off);
		if (i->code == (XB_ALU64 | XB_MOV | XB_X) &&
		    i->src_reg == XB_REG_FP && k + 1 < len &&
		    ins[k + 1].code == (XB_ALU64 | XB_ADD | XB_K) &&
		    ins[k + 1].dst_reg == i->dst_reg)
			d = RTE_MAX(d, -(int64_t)ins[k + 1].imm);
	}
	return RTE_ALIGN_CEIL((uint32_t)d, 8);
}

static int
is_jump(uint8_t code)
{
	uint8_t cls = XB_CLASS(code), op = XB_OP(code);

	return (cls == XB_JMP || cls == XB_JMP32) && op != XB_CALL &&
		op != XB_EXIT;
}

int
xdpc_func_len(const struct rte_xdp_obj *obj, uint16_t sec, uint32_t start,
	uint32_t *len)
{
	uint32_t i;

	for (i = 0; i < obj->nb_syms; i++) {
		const struct xdpc_sym *s = &obj->syms[i];

		if (s->shndx == sec && s->type == STT_FUNC &&
		    s->value == start * sizeof(struct xinsn) && s->size != 0) {
			*len = s->size / sizeof(struct xinsn);
			return 0;
		}
	}
	return -ENOENT;
}

static int emit_func(struct link_ctx *lc, uint16_t sec, uint32_t start,
	uint32_t len, uint32_t shift, int depth);

/*
 * Which of R6-R9 a function's own instructions write (calls it makes
 * are inlined with their own saves): the ones to save around it.
 */
static uint16_t
callee_saved_written(const struct xinsn *ins, uint32_t len)
{
	uint16_t w = 0;
	uint32_t k;

	for (k = 0; k < len; k++) {
		const struct xinsn *i = &ins[k];
		uint8_t cls = XB_CLASS(i->code);

		if (cls == XB_ALU || cls == XB_ALU64 || cls == XB_LDX ||
		    i->code == XB_LD_IMM64)
			w |= 1u << i->dst_reg;
		else if (cls == XB_STX && XB_MODE(i->code) == XB_ATOMIC &&
			 (i->imm & 1))	/* BPF_FETCH: src (cmpxchg: R0) */
			w |= 1u << (i->imm == 0xf1 ? 0 : i->src_reg);
		if (i->code == XB_LD_IMM64)
			k++;
	}
	return w & 0x3c0;
}

static int
emit(struct link_ctx *lc, const struct xinsn *i, int32_t orig, uint16_t sec)
{
	struct xins x = { .i = *i, .orig = orig, .target = -1, .sec = sec };

	return xvec_push(lc->out, &x);
}

static int
resolve_ld_imm64(struct link_ctx *lc, const struct xdpc_sec *s, uint16_t sec,
	uint32_t k, struct xins *x)
{
	const struct xdpc_rel *r = find_rel(s, k);
	const struct xdpc_sym *sym;
	const struct xdpc_sec *ts;
	uint64_t off;

	if (r == NULL) {
		if (x->i.src_reg != 0) {
			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: pseudo LD_IMM64 (src %u) without relocation",
				s->name, k, x->i.src_reg);
			return -EINVAL;
		}
		return 0;
	}
	sym = &lc->obj->syms[r->sym];
	if (sym->shndx == 0 || sym->shndx >= lc->obj->nb_secs) {
		xdpc_err(lc->err, lc->err_len,
			"section %s insn %u: relocation against undefined symbol %s (extern/kconfig/ksym not supported)",
			s->name, k, sym->name);
		return -ENOTSUP;
	}
	ts = &lc->obj->secs[sym->shndx];
	if ((int)sym->shndx == lc->obj->maps_shndx) {
		uint32_t m;

		for (m = 0; m < lc->obj->nb_maps; m++)
			if (!lc->obj->maps[m].internal &&
			    strcmp(lc->obj->maps[m].name, sym->name) == 0)
				break;
		if (m == lc->obj->nb_maps) {
			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: unknown map %s",
				s->name, k, sym->name);
			return -EINVAL;
		}
		x->map = lc->obj->maps[m].map;
		x->i.src_reg = XB_PSEUDO_MAP_FD;
		/* bpf_prog_map_compatible(): one kind of program per array */
		if (x->map->def.type == RTE_XDP_MAP_PROG_ARRAY &&
		    xdpc_prog_array_owner(x->map, lc->prog) != 0) {
			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: prog array %s holds programs that are%s frags-aware, %s is%s",
				s->name, k, sym->name,
				lc->prog->frags ? " not" : "", lc->prog->name,
				lc->prog->frags ? "" : " not");
			return -EINVAL;
		}
		return 0;
	}
	if (ts->data_map != NULL) {
		off = (uint64_t)(uint32_t)x->i.imm;
		if (sym->type != STT_SECTION)
			off += sym->value;
		if (off >= ts->data_map->def.value_size) {
			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: offset %" PRIu64 " outside %s",
				s->name, k, off, ts->name);
			return -EINVAL;
		}
		x->map = ts->data_map;
		x->map_off = off;
		x->i.src_reg = XB_PSEUDO_MAP_VALUE;
		return 0;
	}
	if (ts->ins != NULL) {
		/* the address of a subprogram: a bpf_loop() callback */
		off = sym->value + (uint64_t)(uint32_t)x->i.imm;
		if (off % sizeof(struct xinsn) != 0 ||
		    off / sizeof(struct xinsn) >= ts->nb_ins) {
			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: function address outside %s",
				s->name, k, ts->name);
			return -EINVAL;
		}
		x->i.src_reg = XB_PSEUDO_FUNC;
		x->i.imm = 0;
		x->cb_sec = sym->shndx;
		x->cb_start = off / sizeof(struct xinsn);
		return 0;
	}
	xdpc_err(lc->err, lc->err_len,
		"section %s insn %u: relocation against %s in section %s not supported",
		s->name, k, sym->name, ts->name);
	return -ENOTSUP;
}

static int
inline_call(struct link_ctx *lc, const struct xdpc_sec *s, uint16_t sec,
	uint32_t k, uint32_t shift, uint32_t caller_frame, int depth)
{
	const struct xinsn *ci = &s->ins[k];
	const struct xdpc_rel *r = find_rel(s, k);
	uint16_t tsec = sec, clob;
	int64_t tgt;
	uint32_t tlen, save, j, n, body;
	int ret;

	if (r != NULL) {
		const struct xdpc_sym *sym = &lc->obj->syms[r->sym];

		tsec = sym->shndx;
		if (tsec == 0) {	/* an extern function: __ksym */
			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: calls kfunc %s: a kernel function (kernel-only facility), not available outside the kernel",
				s->name, k, sym->name);
			return -ENOTSUP;
		}
		if (tsec >= lc->obj->nb_secs ||
		    lc->obj->secs[tsec].ins == NULL) {
			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: call to %s outside code",
				s->name, k, sym->name);
			return -EINVAL;
		}
		tgt = (int64_t)(sym->value / sizeof(struct xinsn)) + ci->imm + 1;
	} else {
		tgt = (int64_t)k + ci->imm + 1;
	}
	if (tgt < 0 || tgt >= lc->obj->secs[tsec].nb_ins ||
	    xdpc_func_len(lc->obj, tsec, tgt, &tlen) != 0) {
		xdpc_err(lc->err, lc->err_len,
			"section %s insn %u: bpf-to-bpf call to no function",
			s->name, k);
		return -EINVAL;
	}
	/* the kernel's MAX_CALL_FRAMES: 8 frames, the program's included */
	if (depth + 1 >= MAX_CALL_FRAMES) {
		xdpc_err(lc->err, lc->err_len,
			"section %s insn %u: the call stack of %d frames is too deep (limit %d, recursion?)",
			s->name, k, depth + 2, MAX_CALL_FRAMES);
		return -E2BIG;
	}
	/* Save the R6-R9 the callee writes below the caller's frame, the
	 * callee's frame below that. */
	save = shift + caller_frame;
	clob = callee_saved_written(&lc->obj->secs[tsec].ins[tgt], tlen);
	for (j = 0, n = 0; j < 4; j++) {
		struct xinsn st = {
			.code = XB_STX | XB_MEM | XB_DW, .dst_reg = XB_REG_FP,
			.src_reg = 6 + j, .off = -(int16_t)(save + 8 * (n + 1)),
		};
		if (!(clob & (1u << (6 + j))))
			continue;
		n++;
		ret = emit(lc, &st, k, sec);
		if (ret != 0)
			return ret;
	}
	body = lc->out->n;
	ret = emit_func(lc, tsec, tgt, tlen, save + 8 * n, depth + 1);
	if (ret != 0)
		return ret;
	/* The callee's exits jump here. */
	for (j = body; j < lc->out->n; j++)
		if (lc->out->v[j].target == -2)
			lc->out->v[j].target = lc->out->n;
	for (j = 0, n = 0; j < 4; j++) {
		struct xinsn ld = {
			.code = XB_LDX | XB_MEM | XB_DW, .dst_reg = 6 + j,
			.src_reg = XB_REG_FP,
			.off = -(int16_t)(save + 8 * (n + 1)),
		};
		if (!(clob & (1u << (6 + j))))
			continue;
		n++;
		ret = emit(lc, &ld, k, sec);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int
emit_func(struct link_ctx *lc, uint16_t sec, uint32_t start, uint32_t len,
	uint32_t shift, int depth)
{
	const struct xdpc_sec *s = &lc->obj->secs[sec];
	const struct xinsn *ins = s->ins + start;
	uint32_t frame = frame_size(ins, len), k, first = lc->out->n;
	int32_t *pos;
	uint8_t *half;	/* second halves of LD_IMM64, no jump lands there */
	int ret = 0;

	/* as the kernel: no function falls into the next one */
	if (len == 0 || (ins[len - 1].code != (XB_JMP | XB_EXIT) &&
	    ins[len - 1].code != (XB_JMP | XB_JA))) {
		xdpc_err(lc->err, lc->err_len,
			"section %s insn %u: last insn is not an exit or jmp",
			s->name, start + (len != 0 ? len - 1 : 0));
		return -EINVAL;
	}
	if (shift + frame > XB_STACK_SIZE) {
		xdpc_err(lc->err, lc->err_len,
			"section %s insn %u: combined stack of inlined calls exceeds %u bytes",
			s->name, start, XB_STACK_SIZE);
		return -E2BIG;
	}
	pos = calloc(len + 1, sizeof(*pos));
	half = calloc(len + 1, sizeof(*half));
	if (pos == NULL || half == NULL) {
		free(pos);
		free(half);
		return -ENOMEM;
	}
	for (k = 0; k < len && ret == 0; k++) {
		struct xins x = {
			.i = ins[k], .orig = start + k, .target = -1, .sec = sec,
		};
		uint8_t cls = XB_CLASS(x.i.code);
		uint32_t idx = start + k;

		pos[k] = lc->out->n;
		if (x.i.code == XB_LD_IMM64) {
			if (k + 1 >= len) {
				xdpc_err(lc->err, lc->err_len,
					"section %s insn %u: truncated LD_IMM64",
					s->name, idx);
				ret = -EINVAL;
				break;
			}
			ret = resolve_ld_imm64(lc, s, sec, idx, &x);
			if (ret == 0)
				ret = xvec_push(lc->out, &x);
			x.i = ins[k + 1];
			x.map = NULL;
			x.orig = idx + 1;
			k++;
			half[k] = 1;
			pos[k] = lc->out->n;
			if (ret == 0)
				ret = xvec_push(lc->out, &x);
			continue;
		}
		if (x.i.code == (XB_JMP | XB_CALL) &&
		    x.i.src_reg == XB_PSEUDO_CALL) {
			ret = inline_call(lc, s, sec, idx, shift, frame, depth);
			continue;
		}
		if (x.i.code == (XB_JMP | XB_CALL) &&
		    x.i.src_reg == XB_PSEUDO_KFUNC_CALL) {
			const struct xdpc_rel *r = find_rel(s, idx);

			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: calls kfunc %s: a kernel function (kernel-only facility), not available outside the kernel",
				s->name, idx, r != NULL ?
				lc->obj->syms[r->sym].name : "(unnamed)");
			ret = -ENOTSUP;
			break;
		}
		if (x.i.code == (XB_JMP | XB_CALL) && x.i.src_reg == 0 &&
		    x.i.imm == 12 && depth > 0) {
			xdpc_err(lc->err, lc->err_len,
				"section %s insn %u: bpf_tail_call in a subprogram: not supported (only in a program's own body)",
				s->name, idx);
			ret = -ENOTSUP;
			break;
		}
		if (x.i.code == (XB_JMP | XB_EXIT) && depth > 0) {
			x.i.code = XB_JMP | XB_JA;
			x.target = -2;
			ret = xvec_push(lc->out, &x);
			continue;
		}
		if (is_jump(x.i.code)) {
			int64_t t = (int64_t)k + x.i.off + 1;

			/* backward jumps (loops) go on to the unroller */
			if (t < 0 || t >= len) {
				xdpc_err(lc->err, lc->err_len,
					"section %s insn %u: jump out of function",
					s->name, idx);
				ret = -EINVAL;
				break;
			}
			x.target = -3 - (int32_t)t; /* local, fixed below */
		}
		if (shift != 0) {
			if ((cls == XB_LDX && x.i.src_reg == XB_REG_FP) ||
			    ((cls == XB_ST || cls == XB_STX) &&
			     x.i.dst_reg == XB_REG_FP)) {
				x.i.off -= shift;
			} else if (x.i.code == (XB_ALU64 | XB_MOV | XB_X) &&
				   x.i.src_reg == XB_REG_FP) {
				struct xins add = x;

				add.i.code = XB_ALU64 | XB_ADD | XB_K;
				add.i.src_reg = 0;
				add.i.imm = -(int32_t)shift;
				ret = xvec_push(lc->out, &x);
				if (ret == 0)
					ret = xvec_push(lc->out, &add);
				continue;
			} else if ((x.i.src_reg == XB_REG_FP &&
				    XB_SRC(x.i.code) == XB_X &&
				    (cls == XB_ALU || cls == XB_ALU64 ||
				     cls == XB_JMP || cls == XB_JMP32)) ||
				   x.i.dst_reg == XB_REG_FP) {
				xdpc_err(lc->err, lc->err_len,
					"section %s insn %u: unsupported use of R10 in an inlined function",
					s->name, idx);
				ret = -ENOTSUP;
				break;
			}
		}
		ret = xvec_push(lc->out, &x);
	}
	if (ret == 0) {
		for (k = first; k < lc->out->n; k++) {
			struct xins *x = &lc->out->v[k];

			if (x->target > -3 || x->sec != sec ||
			    x->orig < (int32_t)start ||
			    x->orig >= (int32_t)(start + len))
				continue;
			if (half[-3 - x->target]) {
				xdpc_err(lc->err, lc->err_len,
					"section %s insn %d: jump into the middle of an LD_IMM64",
					s->name, x->orig);
				ret = -EINVAL;
				break;
			}
			x->target = pos[-3 - x->target];
		}
	}
	free(half);
	free(pos);
	return ret;
}

int
xdpc_link(struct rte_xdp_obj *obj, struct rte_xdp_prog *prog,
	struct xvec *out, char *err, size_t err_len)
{
	struct link_ctx lc = {
		.obj = obj, .prog = prog, .out = out, .err = err,
		.err_len = err_len,
	};
	uint32_t k;
	int ret = 0;

	/* Inlined calls save R6-R9, which rte_bpf wants defined. */
	for (k = 0; k < prog->len; k++) {
		const struct xinsn *i = &obj->secs[prog->sec].ins[prog->start + k];

		if (i->code == (XB_JMP | XB_CALL) &&
		    i->src_reg == XB_PSEUDO_CALL)
			break;
	}
	if (k < prog->len) {
		for (k = 6; k <= 9 && ret == 0; k++) {
			struct xinsn z = {
				.code = XB_ALU64 | XB_MOV | XB_K, .dst_reg = k,
			};
			ret = emit(&lc, &z, prog->start, prog->sec);
		}
		if (ret != 0)
			return ret;
	}
	ret = emit_func(&lc, prog->sec, prog->start, prog->len, 0, 0);
	if (ret != 0)
		return ret;
	for (k = 0; k < out->n; k++)
		if (out->v[k].target < -1) {
			xdpc_err(err, err_len,
				"section %s insn %d: unresolved jump",
				prog->section, out->v[k].orig);
			return -EINVAL;
		}
	prog->nb_insns = out->n;
	return 0;
}
