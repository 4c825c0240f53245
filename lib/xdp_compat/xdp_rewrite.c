/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rewrite phase: turn a linked, inlined program into code rte_bpf 22.11
 * accepts, keeping its meaning:
 *  - struct xdp_md loads (32-bit in the object) become loads from our
 *    runtime context (struct xdpc_ctx), found by tracking which registers
 *    and stack slots hold the context;
 *  - JMP32 (absent from rte_bpf) becomes a 64-bit jump, directly when the
 *    operands are known zero-extended, otherwise on sign/zero-extended
 *    copies in registers proven dead by a liveness analysis;
 *  - 32-bit ARSH becomes a 64-bit sequence;
 *  - map and global-data LD_IMM64 get their in-process addresses;
 *  - helper calls get one external-symbol slot per call site, so that
 *    rte_bpf sees exact argument and return types (map value sizes).
 * Anything without an equivalent is refused, naming the instruction.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

#define NREG 11

struct astate {
	uint8_t valid;
	uint16_t ctx_must, ctx_may;
	uint16_t zext;
	uint16_t cknown;
	uint64_t stk_must, stk_may;
	int64_t cval[NREG];
	struct rte_xdp_map *map[NREG];
};

static void
astate_merge(struct astate *a, const struct astate *b)
{
	int r;

	if (!a->valid) {
		*a = *b;
		return;
	}
	a->ctx_must &= b->ctx_must;
	a->ctx_may |= b->ctx_may;
	a->zext &= b->zext;
	a->stk_must &= b->stk_must;
	a->stk_may |= b->stk_may;
	for (r = 0; r < NREG; r++) {
		if ((a->cknown & (1u << r)) && (!(b->cknown & (1u << r)) ||
		    a->cval[r] != b->cval[r]))
			a->cknown &= ~(1u << r);
		if (a->map[r] != b->map[r])
			a->map[r] = NULL;
	}
}

static void
set_unknown(struct astate *s, int r)
{
	s->ctx_must &= ~(1u << r);
	s->ctx_may &= ~(1u << r);
	s->zext &= ~(1u << r);
	s->cknown &= ~(1u << r);
	s->map[r] = NULL;
}

/* Forward transfer of one instruction. */
static void
transfer(const struct xins *x, struct astate *s)
{
	const struct xinsn *i = &x->i;
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	uint16_t db = 1u << i->dst_reg, sb = 1u << i->src_reg;
	int d = i->dst_reg, r;
	int64_t slot;

	switch (cls) {
	case XB_ALU64:
		if (op == XB_MOV && XB_SRC(i->code) == XB_X) {
			s->ctx_must = (s->ctx_must & ~db) |
				((s->ctx_must & sb) ? db : 0);
			s->ctx_may = (s->ctx_may & ~db) |
				((s->ctx_may & sb) ? db : 0);
			s->zext = (s->zext & ~db) | ((s->zext & sb) ? db : 0);
			s->cknown = (s->cknown & ~db) |
				((s->cknown & sb) ? db : 0);
			s->cval[d] = s->cval[i->src_reg];
			s->map[d] = s->map[i->src_reg];
			break;
		}
		if (op == XB_MOV) {
			set_unknown(s, d);
			s->cknown |= db;
			s->cval[d] = i->imm;
			if (i->imm >= 0)
				s->zext |= db;
			break;
		}
		{
			int was_ctx = (s->ctx_may & db) != 0;
			int known = (s->cknown & db) &&
				(XB_SRC(i->code) == XB_K || (s->cknown & sb));
			int64_t a = s->cval[d], b = XB_SRC(i->code) == XB_K ?
				i->imm : s->cval[i->src_reg];

			set_unknown(s, d);
			if (was_ctx)
				s->ctx_may |= db; /* derived: not usable */
			if (known && (op == XB_ADD || op == XB_SUB ||
			    op == XB_AND || op == XB_OR || op == XB_MUL)) {
				s->cknown |= db;
				s->cval[d] = op == XB_ADD ? a + b :
					op == XB_SUB ? a - b :
					op == XB_AND ? (a & b) :
					op == XB_OR ? (a | b) : a * b;
			}
			if ((op == XB_AND && XB_SRC(i->code) == XB_K &&
			     i->imm >= 0) ||
			    (op == XB_RSH && XB_SRC(i->code) == XB_K &&
			     i->imm >= 32))
				s->zext |= db;
		}
		break;
	case XB_ALU:
		set_unknown(s, d);
		s->zext |= db;
		if (op == XB_MOV && XB_SRC(i->code) == XB_K) {
			s->cknown |= db;
			s->cval[d] = (uint32_t)i->imm;
		}
		break;
	case XB_LDX:
		r = (s->stk_must >> 0) != 0;
		slot = (int64_t)(-(int)i->off) / 8;
		if (i->src_reg == XB_REG_FP && XB_SIZE(i->code) == XB_DW &&
		    i->off < 0 && -i->off % 8 == 0 && slot > 0 && slot <= 64) {
			int must = (s->stk_must >> (slot - 1)) & 1;
			int may = (s->stk_may >> (slot - 1)) & 1;

			set_unknown(s, d);
			if (must)
				s->ctx_must |= db;
			if (may)
				s->ctx_may |= db;
		} else {
			set_unknown(s, d);
			if (XB_SIZE(i->code) != XB_DW)
				s->zext |= db;
		}
		(void)r;
		break;
	case XB_ST:
	case XB_STX:
		if (i->dst_reg == XB_REG_FP && i->off < 0) {
			int lo = (-(int)i->off - 1) / 8;  /* slot index - 1 */
			int hi = (-(int)i->off - (int)(XB_SIZE(i->code) ==
				XB_DW ? 8 : 1)) / 8;
			int k;

			for (k = hi; k <= lo && k < 64; k++) {
				s->stk_must &= ~(1ull << k);
				s->stk_may &= ~(1ull << k);
			}
			if (cls == XB_STX && XB_SIZE(i->code) == XB_DW &&
			    XB_MODE(i->code) == XB_MEM && -i->off % 8 == 0 &&
			    -i->off / 8 <= 64) {
				k = -i->off / 8 - 1;
				if (s->ctx_must & sb)
					s->stk_must |= 1ull << k;
				if (s->ctx_may & sb)
					s->stk_may |= 1ull << k;
			}
		}
		if (XB_MODE(i->code) == XB_ATOMIC && cls == XB_STX &&
		    (i->imm & 1))	/* BPF_FETCH */
			set_unknown(s, i->imm == 0xf1 ? 0 : i->src_reg);
		break;
	case XB_LD:
		if (i->code == XB_LD_IMM64) {
			set_unknown(s, d);
			s->map[d] = i->src_reg == XB_PSEUDO_MAP_FD ? x->map :
				NULL;
		} else {
			for (r = 0; r <= 5; r++)
				set_unknown(s, r);
		}
		break;
	case XB_JMP:
		if (op == XB_CALL)
			for (r = 0; r <= 5; r++)
				set_unknown(s, r);
		break;
	default:
		break;
	}
}

/* Registers read and written by an instruction (for liveness). */
static void
use_def(const struct xinsn *i, uint16_t *use, uint16_t *def)
{
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	uint16_t db = 1u << i->dst_reg, sb = 1u << i->src_reg;

	*use = 0;
	*def = 0;
	switch (cls) {
	case XB_ALU:
	case XB_ALU64:
		*def = db;
		if (op != XB_MOV)
			*use |= db;
		if (XB_SRC(i->code) == XB_X && op != XB_NEG && op != XB_END)
			*use |= sb;
		break;
	case XB_LDX:
		*use = sb;
		*def = db;
		break;
	case XB_ST:
		*use = db;
		break;
	case XB_STX:
		*use = db | sb;
		if (XB_MODE(i->code) == XB_ATOMIC && (i->imm & 1))
			*def = i->imm == 0xf1 ? 1 : sb;
		if (XB_MODE(i->code) == XB_ATOMIC && i->imm == 0xf1)
			*use |= 1;
		break;
	case XB_LD:
		if (i->code == XB_LD_IMM64)
			*def = db;
		else
			*def = 0x3f;
		break;
	case XB_JMP:
	case XB_JMP32:
		if (op == XB_CALL) {
			*use = 0x3e;
			*def = 0x3f;
		} else if (op == XB_EXIT) {
			*use = 1;
		} else if (op != XB_JA) {
			*use = db;
			if (XB_SRC(i->code) == XB_X)
				*use |= sb;
		}
		break;
	default:
		break;
	}
}

struct rw {
	const struct rte_xdp_prog *prog;
	struct xvec *code;
	struct astate *st;
	uint16_t *live_in;
	struct xvec out;
	struct xdpc_rewrite_out *res;
	char *err;
	size_t err_len;
	uint32_t cur;		/* instruction being rewritten */
};

#define RW_ERR(rw, fmt, ...) \
	xdpc_err((rw)->err, (rw)->err_len, "section %s insn %d: " fmt, \
		(rw)->prog->section, (rw)->code->v[(rw)->cur].orig, \
		##__VA_ARGS__)

static int
put(struct rw *rw, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
	int32_t imm)
{
	struct xins x = {
		.i = { .code = code, .dst_reg = dst, .src_reg = src,
			.off = off, .imm = imm },
		.orig = rw->code->v[rw->cur].orig,
		.target = -1,
	};

	return xvec_push(&rw->out, &x);
}

/* The final jump of a lowered sequence, carrying the original target. */
static int
put_jump(struct rw *rw, uint8_t code, uint8_t dst, uint8_t src, int32_t imm)
{
	int ret = put(rw, code, dst, src, 0, imm);

	if (ret == 0)
		rw->out.v[rw->out.n - 1].target = rw->code->v[rw->cur].target;
	return ret;
}

static uint16_t
live_out(const struct rw *rw, uint32_t i)
{
	const struct xins *x = &rw->code->v[i];
	uint16_t l = 0;

	if (i + 1 < rw->code->n)
		l |= rw->live_in[i + 1];
	if (x->target >= 0)
		l |= rw->live_in[x->target];
	return l;
}

static int
pick_temp(uint16_t busy)
{
	int r;

	for (r = 0; r <= 9; r++)
		if (!(busy & (1u << r)))
			return r;
	return -1;
}

static int
put_sext32(struct rw *rw, int t, int r)
{
	int ret;

	ret = put(rw, XB_ALU | XB_MOV | XB_X, t, r, 0, 0);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_LSH | XB_K, t, 0, 0, 32);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_ARSH | XB_K, t, 0, 0, 32);
	return ret;
}

static int
lower_jmp32(struct rw *rw, const struct xins *x, const struct astate *s)
{
	const struct xinsn *i = &x->i;
	uint8_t op = XB_OP(i->code), d = i->dst_reg, sr = i->src_reg;
	int is_x = XB_SRC(i->code) == XB_X;
	int zd = (s->zext >> d) & 1, zs = is_x && ((s->zext >> sr) & 1);
	int sign = op == XB_JSGT || op == XB_JSGE || op == XB_JSLT ||
		op == XB_JSLE;
	uint16_t busy = live_out(rw, rw->cur) | (1u << d) | (1u << 10);
	int t1, t2, ret;

	if (is_x)
		busy |= 1u << sr;
	if (!sign && !is_x && zd && (i->imm >= 0 || op == XB_JSET))
		return put_jump(rw, XB_JMP | op | XB_K, d, 0, i->imm);
	if (!sign && is_x && zd && zs)
		return put_jump(rw, XB_JMP | op | XB_X, d, sr, 0);
	t1 = pick_temp(busy);
	if (t1 < 0)
		goto no_reg;
	if (!is_x) {
		if (sign || ((op == XB_JEQ || op == XB_JNE) && i->imm < 0)) {
			ret = put_sext32(rw, t1, d);
			return ret ? ret :
				put_jump(rw, XB_JMP | op | XB_K, t1, 0, i->imm);
		}
		if (i->imm >= 0 || op == XB_JSET) {
			ret = put(rw, XB_ALU | XB_MOV | XB_X, t1, d, 0, 0);
			return ret ? ret :
				put_jump(rw, XB_JMP | op | XB_K, t1, 0, i->imm);
		}
		/* unsigned order against imm >= 2^31: flip the sign bits */
		ret = put(rw, XB_ALU | XB_MOV | XB_X, t1, d, 0, 0);
		if (ret == 0)
			ret = put(rw, XB_ALU | XB_XOR | XB_K, t1, 0, 0, INT32_MIN);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_LSH | XB_K, t1, 0, 0, 32);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_ARSH | XB_K, t1, 0, 0, 32);
		if (ret != 0)
			return ret;
		op = op == XB_JGT ? XB_JSGT : op == XB_JGE ? XB_JSGE :
			op == XB_JLT ? XB_JSLT : XB_JSLE;
		return put_jump(rw, XB_JMP | op | XB_K, t1, 0,
			(int32_t)((uint32_t)i->imm ^ 0x80000000u));
	}
	/* register operand */
	if (!sign && zd) {
		ret = put(rw, XB_ALU | XB_MOV | XB_X, t1, sr, 0, 0);
		return ret ? ret : put_jump(rw, XB_JMP | op | XB_X, d, t1, 0);
	}
	if (!sign && zs) {
		ret = put(rw, XB_ALU | XB_MOV | XB_X, t1, d, 0, 0);
		return ret ? ret : put_jump(rw, XB_JMP | op | XB_X, t1, sr, 0);
	}
	t2 = pick_temp(busy | (1u << t1));
	if (t2 < 0)
		goto no_reg;
	if (sign) {
		ret = put_sext32(rw, t1, d);
		if (ret == 0)
			ret = put_sext32(rw, t2, sr);
	} else {
		ret = put(rw, XB_ALU | XB_MOV | XB_X, t1, d, 0, 0);
		if (ret == 0)
			ret = put(rw, XB_ALU | XB_MOV | XB_X, t2, sr, 0, 0);
	}
	return ret ? ret : put_jump(rw, XB_JMP | op | XB_X, t1, t2, 0);
no_reg:
	RW_ERR(rw, "JMP32 needs a free register and none is dead here");
	return -ENOTSUP;
}

static int
lower_arsh32(struct rw *rw, const struct xinsn *i)
{
	int ret;

	ret = put(rw, XB_ALU64 | XB_LSH | XB_K, i->dst_reg, 0, 0, 32);
	if (ret != 0)
		return ret;
	if (XB_SRC(i->code) == XB_K) {
		ret = put(rw, XB_ALU64 | XB_ARSH | XB_K, i->dst_reg, 0, 0,
			32 + (i->imm & 31));
	} else {
		ret = put(rw, XB_ALU64 | XB_ARSH | XB_K, i->dst_reg, 0, 0, 32);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_ARSH | XB_X, i->dst_reg,
				i->src_reg, 0, 0);
	}
	if (ret == 0)
		ret = put(rw, XB_ALU | XB_MOV | XB_X, i->dst_reg, i->dst_reg,
			0, 0);
	return ret;
}

static int
rewrite_ctx_load(struct rw *rw, const struct xinsn *i)
{
	static const struct {
		int16_t off;
		uint8_t size;
		int16_t new_off;
	} map[] = {
		{ 0, XB_DW, XDPC_CTX_DATA },
		{ 4, XB_DW, XDPC_CTX_DATA_END },
		{ 8, XB_DW, XDPC_CTX_DATA_META },
		{ 12, XB_W, XDPC_CTX_INGRESS },
		{ 16, XB_W, XDPC_CTX_RXQ },
		{ 20, XB_W, XDPC_CTX_EGRESS },
	};
	unsigned int k;

	if (XB_SIZE(i->code) == XB_W)
		for (k = 0; k < RTE_DIM(map); k++)
			if (map[k].off == i->off)
				return put(rw, XB_LDX | XB_MEM | map[k].size,
					i->dst_reg, i->src_reg, map[k].new_off,
					0);
	RW_ERR(rw, "unsupported struct xdp_md access (offset %d, size code 0x%x)",
		i->off, XB_SIZE(i->code));
	return -ENOTSUP;
}

static int
add_var(struct rw *rw, void *addr, uint32_t size)
{
	struct xdpc_rewrite_out *res = rw->res;
	struct xdpc_var *nv;
	uint32_t k;

	for (k = 0; k < res->nb_vars; k++)
		if (res->vars[k].addr == addr)
			return 0;
	nv = realloc(res->vars, (res->nb_vars + 1) * sizeof(*nv));
	if (nv == NULL)
		return -ENOMEM;
	res->vars = nv;
	res->vars[res->nb_vars].addr = addr;
	res->vars[res->nb_vars].size = size;
	res->nb_vars++;
	return 0;
}

static int
rewrite_call(struct rw *rw, const struct xinsn *i, const struct astate *s)
{
	struct xdpc_rewrite_out *res = rw->res;
	struct xdpc_call_site *cs, *nc;
	int r;

	if (i->src_reg != 0) {
		RW_ERR(rw, "call kind %u (kfunc) not supported", i->src_reg);
		return -ENOTSUP;
	}
	if (i->imm == 12) {
		RW_ERR(rw, "bpf_tail_call cannot be expressed on rte_bpf");
		return -ENOTSUP;
	}
	if (!xdpc_helper_known(i->imm)) {
		RW_ERR(rw, "unknown or unsupported helper %d (%s)", i->imm,
			xdpc_helper_name(i->imm));
		return -ENOTSUP;
	}
	nc = realloc(res->calls, (res->nb_calls + 1) * sizeof(*nc));
	if (nc == NULL)
		return -ENOMEM;
	res->calls = nc;
	cs = &res->calls[res->nb_calls];
	memset(cs, 0, sizeof(*cs));
	cs->helper = i->imm;
	cs->orig = rw->code->v[rw->cur].orig;
	cs->map = s->map[1];
	for (r = 1; r <= XDPC_MAX_ARGS; r++)
		if (s->cknown & (1u << r)) {
			cs->known |= 1u << (r - 1);
			cs->val[r - 1] = s->cval[r];
		}
	res->nb_calls++;
	return put(rw, XB_JMP | XB_CALL, 0, 0, 0, res->nb_calls - 1);
}

static int
rewrite_one(struct rw *rw, const struct xins *x, const struct astate *s)
{
	const struct xinsn *i = &x->i;
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	uint16_t sb = 1u << i->src_reg, db = 1u << i->dst_reg;

	if (cls == XB_LDX) {
		if ((s->ctx_may & sb) && !(s->ctx_must & sb)) {
			RW_ERR(rw, "load through a pointer that may or may not be the context (or ctx arithmetic)");
			return -ENOTSUP;
		}
		if (s->ctx_must & sb)
			return rewrite_ctx_load(rw, i);
	}
	if ((cls == XB_ST || cls == XB_STX) && (s->ctx_may & db)) {
		RW_ERR(rw, "write to struct xdp_md");
		return -EACCES;
	}
	if (cls == XB_STX && XB_MODE(i->code) == XB_ATOMIC && i->imm != 0) {
		RW_ERR(rw, "atomic operation 0x%x not supported by rte_bpf (only add without fetch)",
			i->imm);
		return -ENOTSUP;
	}
	if (cls == XB_LD && i->code != XB_LD_IMM64) {
		RW_ERR(rw, "legacy LD_ABS/LD_IND not allowed in XDP");
		return -EINVAL;
	}
	if (i->code == XB_LD_IMM64 && x->map != NULL) {
		uint64_t v;
		int ret;

		if (i->src_reg == XB_PSEUDO_MAP_FD) {
			v = (uintptr_t)x->map;
		} else {
			void *base = xdpc_map_value0(x->map);

			if (base == NULL ||
			    x->map->def.type != RTE_XDP_MAP_ARRAY) {
				RW_ERR(rw, "direct value access to map %s needs an array map",
					x->map->name);
				return -EINVAL;
			}
			v = (uintptr_t)base + x->map_off;
			ret = add_var(rw, (void *)(uintptr_t)v,
				x->map->def.value_size - x->map_off);
			if (ret != 0)
				return ret;
		}
		ret = put(rw, XB_LD_IMM64, i->dst_reg, 0, 0, (int32_t)v);
		return ret ? ret : put(rw, 0, 0, 0, 0, (int32_t)(v >> 32));
	}
	if (cls == XB_JMP32) {
		if (op == XB_JA || op == XB_CALL || op == XB_EXIT) {
			RW_ERR(rw, "invalid JMP32 opcode 0x%x", i->code);
			return -EINVAL;
		}
		return lower_jmp32(rw, x, s);
	}
	if (cls == XB_JMP && op == XB_CALL)
		return rewrite_call(rw, i, s);
	if (cls == XB_ALU && op == XB_ARSH)
		return lower_arsh32(rw, i);
	if (cls == XB_JMP && op != XB_EXIT)
		return put_jump(rw, i->code, i->dst_reg, i->src_reg, i->imm);
	return put(rw, i->code, i->dst_reg, i->src_reg, i->off, i->imm);
}

static int
analyse(struct rw *rw)
{
	struct xvec *c = rw->code;
	uint32_t i, n = c->n;
	uint16_t use, def;

	rw->st = calloc(n + 1, sizeof(*rw->st));
	rw->live_in = calloc(n + 1, sizeof(*rw->live_in));
	if (rw->st == NULL || rw->live_in == NULL)
		return -ENOMEM;
	rw->st[0].valid = 1;
	rw->st[0].ctx_must = rw->st[0].ctx_may = 1u << 1;
	for (i = 0; i < n; i++) {
		struct astate s;
		const struct xins *x = &c->v[i];
		uint8_t op = XB_OP(x->i.code);
		uint32_t next = i + (x->i.code == XB_LD_IMM64 ? 2 : 1);

		if (!rw->st[i].valid)
			continue;
		if (x->target >= 0 && (uint32_t)x->target <= i) {
			rw->cur = i;
			RW_ERR(rw, "backward jump (loop) not supported by rte_bpf");
			return -ENOTSUP;
		}
		s = rw->st[i];
		transfer(x, &s);
		if (XB_CLASS(x->i.code) == XB_JMP && op == XB_EXIT)
			continue;
		if (x->target >= 0)
			astate_merge(&rw->st[x->target], &s);
		if ((XB_CLASS(x->i.code) == XB_JMP ||
		     XB_CLASS(x->i.code) == XB_JMP32) && op == XB_JA)
			continue;
		if (next < n) {
			astate_merge(&rw->st[next], &s);
		} else {
			rw->cur = i;
			RW_ERR(rw, "program falls off its end");
			return -EINVAL;
		}
	}
	for (i = n; i-- > 0;) {
		const struct xins *x = &c->v[i];
		uint16_t out = 0;
		uint8_t op = XB_OP(x->i.code), cls = XB_CLASS(x->i.code);

		if (x->i.code == 0 && i > 0 && c->v[i - 1].i.code == XB_LD_IMM64)
			continue;	/* second half of LD_IMM64 */
		if (!((cls == XB_JMP || cls == XB_JMP32) &&
		      (op == XB_EXIT || op == XB_JA))) {
			uint32_t next = i + (x->i.code == XB_LD_IMM64 ? 2 : 1);

			if (next < n)
				out |= rw->live_in[next];
		}
		if (x->target >= 0)
			out |= rw->live_in[x->target];
		use_def(&x->i, &use, &def);
		rw->live_in[i] = use | (out & ~def);
		if (x->i.code == XB_LD_IMM64 && i + 1 < n)
			rw->live_in[i + 1] = rw->live_in[i];
	}
	for (i = 0; i < n; i++)
		if (!rw->st[i].valid && !(i > 0 &&
		    c->v[i - 1].i.code == XB_LD_IMM64)) {
			rw->cur = i;
			RW_ERR(rw, "unreachable instruction (rte_bpf refuses dead code)");
			return -EINVAL;
		}
	return 0;
}

int
xdpc_rewrite(const struct rte_xdp_prog *prog, struct xvec *code,
	struct xdpc_rewrite_out *out, char *err, size_t err_len)
{
	struct rw rw = {
		.prog = prog, .code = code, .res = out, .err = err,
		.err_len = err_len,
	};
	uint32_t *start = NULL, i;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = analyse(&rw);
	if (ret != 0)
		goto done;
	start = calloc(code->n + 1, sizeof(*start));
	if (start == NULL) {
		ret = -ENOMEM;
		goto done;
	}
	for (i = 0; i < code->n && ret == 0; i++) {
		const struct xins *x = &code->v[i];

		start[i] = rw.out.n;
		rw.cur = i;
		ret = rewrite_one(&rw, x, &rw.st[i]);
		if (x->i.code == XB_LD_IMM64) {
			i++;
			start[i] = rw.out.n - 1;
			if (x->map == NULL && ret == 0) {
				rw.cur = i;
				ret = put(&rw, 0, 0, 0, 0, code->v[i].i.imm);
			}
		}
	}
	start[code->n] = rw.out.n;
	if (ret != 0)
		goto done;
	out->ins = calloc(rw.out.n + 1, sizeof(*out->ins));
	out->orig = calloc(rw.out.n + 1, sizeof(*out->orig));
	if (out->ins == NULL || out->orig == NULL) {
		ret = -ENOMEM;
		goto done;
	}
	for (i = 0; i < rw.out.n; i++) {
		struct xins *x = &rw.out.v[i];

		if (x->target >= 0) {
			int64_t off = (int64_t)start[x->target] - (i + 1);

			if (off < INT16_MIN || off > INT16_MAX) {
				xdpc_err(err, err_len,
					"section %s insn %d: jump too far after rewriting",
					prog->section, x->orig);
				ret = -E2BIG;
				goto done;
			}
			x->i.off = off;
		}
		out->ins[i] = x->i;
		out->orig[i] = x->orig;
	}
	out->nb_ins = rw.out.n;
done:
	free(start);
	free(rw.st);
	free(rw.live_in);
	xvec_free(&rw.out);
	if (ret != 0)
		xdpc_rewrite_out_free(out);
	return ret;
}

void
xdpc_rewrite_out_free(struct xdpc_rewrite_out *out)
{
	free(out->ins);
	free(out->orig);
	free(out->calls);
	free(out->vars);
	memset(out, 0, sizeof(*out));
}
