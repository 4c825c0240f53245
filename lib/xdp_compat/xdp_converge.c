/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Make rte_bpf's validator prune, so that branchy programs load.
 *
 * DPDK 22.11's validator walks every path of a program. It stops walking
 * one only at a successor of a conditional jump, and only when the state
 * it carries there equals one it saved at that instruction: every
 * register, dead or alive (and parts of their old states: a load or a
 * call keeps a register's size field and bounds), and the whole 512-byte
 * stack, slot by slot, byte for byte; a scalar register may also be
 * within the bounds of the saved one. It saves at most 32 states per
 * instruction and twice as many as the program has conditional jumps in
 * all; when that room is gone it saves no more and prunes nowhere new. A
 * branchy program whose paths leave different values behind them
 * (xdp-filter's parsers, xdp-forward's) is walked path by path: 10^11
 * paths and more.
 *
 * So where paths join, and before each conditional jump, whatever may
 * differ between the paths that reach there and would reach a pruning
 * point as it is gets one state:
 *  - registers and 8-byte stack slots no path reads from there before
 *    writing them: zero ("mov32 rX, 0", "stxdw [r10 - k], rX");
 *  - live scalar registers whose bounds no check of the validator uses
 *    from there on (no pointer offset or divisor, directly or through
 *    other registers, the stack or comparisons): unbounded, through a
 *    dead register t, "mov32 t, 0; add t, x; be64 t; be64 t; mov x, t"
 *    (the value kept, the bounds forgotten, one size field);
 *  - live stack slots holding such scalars: the same, the slot read in
 *    pieces its narrowest store allows and stored back whole, its bytes
 *    kept (put_slot_widen()).
 * The program computes the same results: nothing read is written, no
 * value changes. rte_bpf still validates all of it, and loses no bound a
 * check needs. What still differs (packet pointers at different offsets,
 * slots whose bounds a check uses) is walked once per variant: the room
 * for saved states is made larger (boost()).
 *
 * Which states may differ is told by numbering the validator's states the
 * way it computes them (an instruction's result is a function of its
 * operands' states: equal numbers, equal states); a join gives a fresh
 * number to what arrives with different ones, and what is made from it
 * may differ too. Which stack bytes a path reads is told by following the
 * registers that hold r10 plus a constant, and the slots they are spilled
 * to whole; a stack pointer given to a helper reads the bytes rte_bpf
 * checked for it (all above it when it is not typed by size); when one
 * goes anywhere else (stored elsewhere, truncated, added to a register)
 * no slot is touched.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bpf.h>
#include <rte_common.h>

#include "xdp_prog_internal.h"

#define NREG		11
#define NSLOT		(XB_STACK_SIZE / 8)
#define ALL_REGS	((1u << NREG) - 1)
#define ALL_SLOTS	UINT64_MAX
#define FP_NONE		INT32_MIN	/* not a stack pointer */
#define FP_ANY		INT32_MAX	/* a stack pointer, offset unknown */

/* rte_bpf's types, as far as they matter here */
#define TY_UNDEF	0
#define TY_RAW		1
#define TY_PTR		2	/* packet, map value, global data */
#define TY_MBUF		3	/* the context (a PTR_MBUF argument) */
#define TY_STACK	4
#define TY_MIX		5	/* differs between paths */

/* offsets of struct rte_mbuf rte_bpf types loads from (buf_addr, next) */
#define MBUF_BUF_ADDR	0
#define MBUF_NEXT	64

/* What the walk knows before an instruction. */
struct cstate {
	int32_t fp[NREG];	/* r10 + fp[r], FP_NONE or FP_ANY */
	uint8_t ty[NREG];
	uint8_t sty[NSLOT];
	uint64_t vn[NREG];	/* number of the validator's register state */
	uint64_t svn[NSLOT];	/* ... of its slot states (slot k: bytes
				 * 8k..8k+7 of the stack, r10 - 512 + 8k) */
	uint16_t rdiff;		/* registers that joined different */
	uint64_t sdiff;		/* slots that joined different */
	uint16_t rtaint;	/* registers that may differ between the
				 * paths here: joined different, or made
				 * from such */
	uint64_t staint;	/* slots that may */
	int32_t sfp[NSLOT];	/* the stack pointer a slot holds (r10 +
				 * sfp[k]), FP_NONE or FP_ANY */
	uint8_t swid[NSLOT];	/* narrowest last store into the slot over
				 * the paths here (the validator's mask of
				 * it), 0: unknown or never stored */
};

/* Stack bytes (bit b: byte b of the stack, r10 - 512 + b). */
struct sbytes {
	uint64_t w[NSLOT / 8];
};

#define MAX_READS	5

/* What one instruction reads, writes and needs of the stack. */
struct sacc {
	uint8_t nb_reads;	/* byte ranges it reads, r10-relative */
	uint8_t read_all;
	int16_t rlo[MAX_READS], rhi[MAX_READS];
	int16_t klo, khi;	/* bytes it writes */
	uint64_t set;		/* slots whose validator state it sets */
	uint64_t ld;		/* slot its register load copies */
	uint64_t st;		/* slot its register store sets */
};

struct cv {
	const struct xinsn *ins;
	uint32_t n;
	const struct rte_bpf_xsym *xsym;
	uint32_t nb_xsym;
	struct cstate **pend;
	uint8_t *prune;		/* a conditional jump's successor */
	uint8_t *npred;		/* predecessors, saturated at 2 */
	struct sacc *sacc;
	uint8_t (*ty)[NREG];	/* register types before each instruction */
	uint16_t *live;		/* registers read before written */
	struct sbytes *slive;	/* bytes read before written */
	uint16_t *rflow;	/* register states reaching a pruning point */
	uint64_t *sflow;	/* slot states reaching one */
	uint16_t *need;		/* registers whose bounds a check may use */
	uint64_t *sneed;	/* slots whose bounds a check may use */
	uint16_t *canon;	/* registers to set to zero before i */
	uint64_t *scanon;	/* slots to set to zero before i */
	uint16_t *widen;	/* registers to make unbounded before i */
	uint16_t *rdiff1;	/* registers that join different (first
				 * walk): what jumps there should zero */
	uint64_t *sdiff1;
	uint64_t *swiden;	/* live slots to make unbounded before i */
	uint8_t (*swid)[NSLOT];	/* their narrowest store widths there */
	uint8_t *tmp;		/* a dead register, NO_TMP: none */
	uint8_t *tmp2;		/* a second one (slot widening) */
	int stack_escapes;	/* a stack pointer went where it cannot be
				 * followed: no slot is touched */
};

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 29);
}

static uint64_t
hash3(uint64_t a, uint64_t b, uint64_t c)
{
	return mix(mix(mix(0x1234567, a), b), c);
}

/* The numbers of states set whole by the value they are given. */
#define VN_INIT		1	/* never written: all zero */
#define VN_ARG		2
#define VN_FP		3
#define ZERO_CODE	(XB_ALU | XB_MOV | XB_K)
#define ZERO_VN		hash3(ZERO_CODE, 0, 0)
#define ZERO_STORE	(XB_STX | XB_MEM | XB_DW)
#define ZERO_SLOT_VN	hash3(ZERO_STORE, ZERO_VN, 0)
#define BSWAP_CODE	(XB_ALU | XB_END | 0x08)	/* to big endian */
#define WIDE_VN		hash3(BSWAP_CODE, 64, 0)
#define WIDE_SLOT_VN	hash3(ZERO_STORE, WIDE_VN, 0)
#define NO_TMP		0xff

/* Room for saved states added per conditional jump, at most. */
#define XDPC_BOOST	64
#define XDPC_BOOST_MAX	6144

static int
is_jcc(const struct xinsn *i)
{
	uint8_t op = XB_OP(i->code);

	return XB_CLASS(i->code) == XB_JMP && op != XB_JA &&
		op != XB_CALL && op != XB_EXIT;
}

static int
is_ptr(uint8_t ty)
{
	return ty == TY_PTR || ty == TY_MBUF || ty == TY_STACK ||
		ty == TY_MIX;
}

static uint32_t
insn_len(const struct xinsn *i)
{
	return i->code == XB_LD_IMM64 ? 2 : 1;
}

/* Successors (taken first): returns how many (0 to 2). */
static unsigned int
succs(const struct cv *c, uint32_t i, uint32_t s[2])
{
	const struct xinsn *x = &c->ins[i];
	uint8_t cls = XB_CLASS(x->code), op = XB_OP(x->code);
	unsigned int k = 0;

	if (cls == XB_JMP && op == XB_EXIT)
		return 0;
	if (cls == XB_JMP && op != XB_CALL)
		s[k++] = i + x->off + 1;
	if (!(cls == XB_JMP && op == XB_JA))
		s[k++] = i + insn_len(x);
	if (k == 2 && s[0] == s[1])
		k = 1;
	return k;
}

static int
slot_of(int64_t fp_off)
{
	int64_t b = XB_STACK_SIZE + fp_off;

	if (b < 0 || b >= XB_STACK_SIZE)
		return -1;
	return (int)(b / 8);
}

/* Slots holding bytes [fp_off, fp_off + len) */
static uint64_t
slots_of(int64_t fp_off, int64_t len)
{
	uint64_t m = 0;
	int64_t b;

	for (b = fp_off; b < fp_off + len; b++) {
		int k = slot_of(b);

		if (k >= 0)
			m |= 1ull << k;
	}
	return m;
}

static void
bytes_set(struct sbytes *b, int64_t fp_lo, int64_t fp_hi)
{
	int64_t k;

	for (k = RTE_MAX(fp_lo, -XB_STACK_SIZE); k < RTE_MIN(fp_hi, 0); k++)
		b->w[(k + XB_STACK_SIZE) / 64] |=
			1ull << ((k + XB_STACK_SIZE) % 64);
}

static void
bytes_clear(struct sbytes *b, int64_t fp_lo, int64_t fp_hi)
{
	int64_t k;

	for (k = RTE_MAX(fp_lo, -XB_STACK_SIZE); k < RTE_MIN(fp_hi, 0); k++)
		b->w[(k + XB_STACK_SIZE) / 64] &=
			~(1ull << ((k + XB_STACK_SIZE) % 64));
}

/* Slots with a byte in b. */
static uint64_t
bytes_slots(const struct sbytes *b)
{
	uint64_t m = 0;
	unsigned int k;

	for (k = 0; k < NSLOT; k++)
		if ((b->w[k / 8] >> (8 * (k % 8))) & 0xff)
			m |= 1ull << k;
	return m;
}

static void
add_read(struct sacc *a, int64_t fp_lo, int64_t fp_hi)
{
	if (a->nb_reads == MAX_READS) {
		a->read_all = 1;
		return;
	}
	a->rlo[a->nb_reads] = RTE_MAX(fp_lo, -XB_STACK_SIZE);
	a->rhi[a->nb_reads++] = RTE_MIN(RTE_MAX(fp_hi, -XB_STACK_SIZE), 0);
}

static const struct rte_bpf_xsym *
func_of(const struct cv *c, const struct xinsn *i)
{
	if ((uint32_t)i->imm >= c->nb_xsym ||
	    c->xsym[i->imm].type != RTE_BPF_XTYPE_FUNC)
		return NULL;
	return &c->xsym[i->imm];
}

static unsigned int
nb_args(const struct cv *c, const struct xinsn *i)
{
	const struct rte_bpf_xsym *f = func_of(c, i);

	return f != NULL ? f->func.nb_args : 5;
}

static uint8_t
ty_of_arg(const struct rte_bpf_arg *a)
{
	switch (a->type) {
	case RTE_BPF_ARG_RAW:
		return TY_RAW;
	case RTE_BPF_ARG_PTR:
		return TY_PTR;
	case RTE_BPF_ARG_PTR_MBUF:
		return TY_MBUF;
	default:
		return TY_MIX;
	}
}

static uint16_t
reg_use(const struct cv *c, const struct xinsn *i)
{
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	uint16_t u = 0;

	switch (cls) {
	case XB_ALU:
	case XB_ALU64:
		if (op != XB_MOV)
			u |= 1u << i->dst_reg;
		if (XB_SRC(i->code) == XB_X && op != XB_END && op != XB_NEG)
			u |= 1u << i->src_reg;
		break;
	case XB_LDX:
		u = 1u << i->src_reg;
		break;
	case XB_ST:
		u = 1u << i->dst_reg;
		break;
	case XB_STX:
		u = 1u << i->dst_reg | 1u << i->src_reg;
		break;
	case XB_JMP:
		if (op == XB_EXIT)
			u = 1;
		else if (op == XB_CALL)
			u = ((1u << nb_args(c, i)) - 1) << 1;
		else if (op != XB_JA) {
			u = 1u << i->dst_reg;
			if (XB_SRC(i->code) == XB_X)
				u |= 1u << i->src_reg;
		}
		break;
	case XB_LD:
		if (i->code != XB_LD_IMM64)
			u = ALL_REGS;	/* LD_ABS/IND: not made by us */
		break;
	default:
		u = ALL_REGS;
		break;
	}
	return u;
}

static uint16_t
reg_def(const struct xinsn *i)
{
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);

	if (cls == XB_ALU || cls == XB_ALU64 || cls == XB_LDX ||
	    i->code == XB_LD_IMM64)
		return 1u << i->dst_reg;
	if (cls == XB_JMP && op == XB_CALL)
		return 0x3f;
	return 0;
}

/* Registers a jump's edge narrows (taken: 0, fall-through: 1). */
static uint16_t
jcc_narrows(const struct xinsn *i, int edge)
{
	uint16_t both = 1u << i->dst_reg;

	if (XB_SRC(i->code) == XB_X)
		both |= 1u << i->src_reg;
	switch (XB_OP(i->code)) {
	case XB_JSET:
		return 0;
	case XB_JEQ:
		return edge == 0 ? both : 0;
	case XB_JNE:
		return edge == 1 ? both : 0;
	default:
		return 1u << i->dst_reg;
	}
}

/* r set whole: its old state no longer shows */
static void
set_reg(struct cstate *s, uint8_t r, uint8_t ty, uint64_t vn)
{
	s->ty[r] = ty;
	s->vn[r] = vn;
	s->fp[r] = FP_NONE;
	s->rtaint &= ~(1u << r);
}

static void
taint_reg(struct cstate *s, uint8_t r, int on)
{
	if (on)
		s->rtaint |= 1u << r;
}

/* A call: the validator's view of its arguments and results. */
static void
step_call(struct cv *c, uint32_t at, struct cstate *s, struct sacc *a)
{
	const struct xinsn *i = &c->ins[at];
	const struct rte_bpf_xsym *f = func_of(c, i);
	unsigned int k, j;

	for (k = 0; k < 5; k++) {
		int32_t p = s->fp[k + 1];
		uint64_t m;

		if (p == FP_NONE || (f != NULL && k >= f->func.nb_args))
			continue;	/* not an argument: the helper never
					 * sees it */
		if (p == FP_ANY) {
			a->read_all = 1;
			continue;
		}
		if (f == NULL || k >= f->func.nb_args ||
		    !RTE_BPF_ARG_PTR_TYPE(f->func.args[k].type)) {
			/* not typed by its size: it may read all above */
			add_read(a, p, 0);
			continue;
		}
		/* the helper (or a bpf_loop callback) reads what rte_bpf
		 * checked it may: the argument's size */
		add_read(a, p, (int64_t)p + f->func.args[k].size);
		/* rte_bpf marks the argument's whole slots written */
		m = slots_of(p, f->func.args[k].size -
			f->func.args[k].size % 8);
		for (j = 0; j < NSLOT; j++)
			if (m & (1ull << j)) {
				s->svn[j] = hash3(i->code, s->svn[j], 1);
				s->sty[j] = TY_RAW;
				s->swid[j] = 0;
				s->sfp[j] = FP_NONE;
			}
	}
	for (k = 1; k <= 5; k++) {
		s->vn[k] = hash3(i->code, s->vn[k], 2);
		s->ty[k] = TY_UNDEF;
		s->fp[k] = FP_NONE;
	}
	if (f != NULL)
		set_reg(s, 0, ty_of_arg(&f->func.ret),
			hash3(mix(i->code, f->func.ret.type),
			f->func.ret.size, f->func.ret.buf_size));
	else
		set_reg(s, 0, TY_MIX, hash3(i->code, at, 0));
}

static void
step_alu(struct cv *c, const struct xinsn *i, struct cstate *s)
{
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	uint8_t d = i->dst_reg, r = i->src_reg;
	int x = XB_SRC(i->code) == XB_X && op != XB_END && op != XB_NEG;
	int64_t v;

	if (op == XB_MOV && !x) {
		set_reg(s, d, TY_RAW, hash3(i->code, (uint32_t)i->imm, 0));
		return;
	}
	if (op == XB_MOV) {
		s->ty[d] = s->ty[r];
		s->vn[d] = hash3(i->code, s->vn[r], 0);
		s->rtaint &= ~(1u << d);
		taint_reg(s, d, (s->rtaint >> r) & 1);
		s->fp[d] = cls == XB_ALU64 ? s->fp[r] : FP_NONE;
		if (cls == XB_ALU && s->fp[r] != FP_NONE)
			c->stack_escapes = 1;
		return;
	}
	s->vn[d] = hash3(mix(i->code, (uint32_t)i->imm), s->vn[d],
		x ? s->vn[r] : 0);
	taint_reg(s, d, x && ((s->rtaint >> r) & 1));
	if (op == XB_XOR && x && d == r)
		s->ty[d] = TY_RAW;	/* rte_bpf's way to zero */
	if (x && s->fp[r] != FP_NONE)
		c->stack_escapes = 1;	/* r10 + pointer, etc. */
	if (s->fp[d] == FP_NONE || s->fp[d] == FP_ANY)
		return;
	if (cls == XB_ALU64 && !x && (op == XB_ADD || op == XB_SUB)) {
		v = s->fp[d] + (op == XB_ADD ? i->imm : -(int64_t)i->imm);
		s->fp[d] = v < -XB_STACK_SIZE || v > 0 ? FP_ANY : (int32_t)v;
	} else if (cls == XB_ALU64 && x && (op == XB_ADD || op == XB_SUB)) {
		s->fp[d] = FP_ANY;
	} else {
		c->stack_escapes = 1;	/* the pointer's bits used */
		s->fp[d] = FP_NONE;
	}
}

/*
 * One instruction's effect on the walk's state: stack pointers followed,
 * types and state numbers computed as the validator computes them; what
 * it does to the stack.
 */
static void
step(struct cv *c, uint32_t at, struct cstate *s, struct sacc *a)
{
	const struct xinsn *i = &c->ins[at];
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	uint8_t d = i->dst_reg, r = i->src_reg;
	uint32_t k;
	int32_t base;
	int sl, x;

	memset(a, 0, sizeof(*a));
	switch (cls) {
	case XB_ALU:
	case XB_ALU64:
		step_alu(c, i, s);
		break;
	case XB_LDX:
		base = s->fp[r];
		if (base == FP_ANY) {
			a->read_all = 1;
			set_reg(s, d, TY_MIX, hash3(i->code, at, s->vn[d]));
		} else if (base != FP_NONE) {
			add_read(a, (int64_t)base + i->off,
				(int64_t)base + i->off + xb_size_bytes(i->code));
			sl = slot_of((int64_t)base + i->off);
			if (sl >= 0) {
				int32_t p = s->sfp[sl];

				a->ld = 1ull << sl;
				set_reg(s, d, s->sty[sl], s->svn[sl]);
				taint_reg(s, d, (s->staint >> sl) & 1);
				/* a stack pointer filled whole is followed */
				if (p != FP_NONE && (XB_SIZE(i->code) != XB_DW ||
				    ((int64_t)base + i->off) % 8 != 0))
					c->stack_escapes = 1;
				else
					s->fp[d] = p;
			} else {
				set_reg(s, d, TY_MIX, hash3(at, 0, 0));
			}
		} else {
			uint8_t ty = TY_RAW;

			if (s->ty[r] == TY_MBUF && i->off == MBUF_BUF_ADDR)
				ty = TY_PTR;
			else if (s->ty[r] == TY_MBUF && i->off == MBUF_NEXT)
				ty = TY_MBUF;
			else if (s->ty[r] == TY_MIX)
				ty = TY_MIX;
			/* the validator keeps parts of the old state */
			x = ((s->rtaint >> r) | (s->rtaint >> d)) & 1;
			set_reg(s, d, ty, hash3(mix(i->code, i->off),
				s->vn[r], s->vn[d]));
			taint_reg(s, d, x);
		}
		break;
	case XB_ST:
	case XB_STX:
		base = s->fp[d];
		/* a stack pointer spilled whole to a slot is followed; stored
		 * anywhere else, it is lost */
		if (cls == XB_STX && s->fp[r] != FP_NONE &&
		    (base == FP_NONE || base == FP_ANY ||
		     XB_MODE(i->code) != XB_MEM || XB_SIZE(i->code) != XB_DW ||
		     ((int64_t)base + i->off) % 8 != 0 ||
		     slot_of((int64_t)base + i->off) < 0))
			c->stack_escapes = 1;
		if (base == FP_NONE)
			break;
		if (base == FP_ANY) {
			a->read_all = 1;
			for (k = 0; k < NSLOT; k++) {
				s->svn[k] = hash3(at, k, s->svn[k]);
				s->sty[k] = TY_MIX;
				s->swid[k] = 0;
				if (s->sfp[k] != FP_NONE)
					s->sfp[k] = FP_ANY;
			}
			s->staint = ALL_SLOTS;
			break;
		}
		sl = slot_of((int64_t)base + i->off);
		if (sl < 0)
			break;
		if (XB_MODE(i->code) == XB_ATOMIC) {
			add_read(a, (int64_t)base + i->off,
				(int64_t)base + i->off + xb_size_bytes(i->code));
			s->svn[sl] = hash3(i->code, s->svn[sl], i->imm);
			if (s->sfp[sl] != FP_NONE)
				s->sfp[sl] = FP_ANY;
			break;
		}
		a->klo = (int64_t)base + i->off;
		a->khi = a->klo + (int)xb_size_bytes(i->code);
		a->set = 1ull << sl;	/* a narrower store too, for rte_bpf */
		if (cls == XB_STX)
			a->st = 1ull << sl;
		s->svn[sl] = hash3(i->code, cls == XB_STX ? s->vn[r] :
			(uint64_t)(uint32_t)i->imm, cls == XB_ST);
		s->sty[sl] = cls == XB_STX ? s->ty[r] : TY_RAW;
		s->swid[sl] = xb_size_bytes(i->code);
		if (cls == XB_STX && s->fp[r] != FP_NONE)
			s->sfp[sl] = s->fp[r];
		else if (s->sfp[sl] != FP_NONE &&
			 (XB_SIZE(i->code) != XB_DW ||
			  ((int64_t)base + i->off) % 8 != 0))
			s->sfp[sl] = FP_ANY;	/* part of a pointer */
		else
			s->sfp[sl] = FP_NONE;
		s->staint &= ~(1ull << sl);
		if (cls == XB_STX && ((s->rtaint >> r) & 1))
			s->staint |= 1ull << sl;
		break;
	case XB_JMP:
		if (op == XB_CALL)
			step_call(c, at, s, a);
		break;
	case XB_LD:
		if (i->code == XB_LD_IMM64) {
			uint64_t v = (uint32_t)i->imm |
				(uint64_t)(uint32_t)i[1].imm << 32;
			uint8_t ty = TY_RAW;

			for (k = 0; k < c->nb_xsym; k++)
				if (c->xsym[k].type == RTE_BPF_XTYPE_VAR &&
				    (uintptr_t)c->xsym[k].var.val == v)
					ty = TY_PTR;
			set_reg(s, d, ty, hash3(i->code, v, 0));
		}
		break;
	default:
		break;
	}
}

/* Merge a state into the one waiting before instruction at. */
static int
merge(struct cv *c, uint32_t at, const struct cstate *s)
{
	struct cstate *p = c->pend[at];
	int k;

	if (p == NULL) {
		p = malloc(sizeof(*p));
		if (p == NULL)
			return -ENOMEM;
		*p = *s;
		p->rdiff = 0;
		p->sdiff = 0;
		c->pend[at] = p;
		return 0;
	}
	p->rtaint |= s->rtaint;
	p->staint |= s->staint;
	for (k = 0; k < NREG; k++) {
		if (p->fp[k] != s->fp[k])
			p->fp[k] = FP_ANY;
		if (p->ty[k] != s->ty[k])
			p->ty[k] = TY_MIX;
		if (p->vn[k] != s->vn[k]) {
			p->rdiff |= 1u << k;
			p->rtaint |= 1u << k;
			p->vn[k] = hash3(at, k, 0x70);
		}
	}
	for (k = 0; k < NSLOT; k++) {
		p->swid[k] = RTE_MIN(p->swid[k], s->swid[k]);
		if (p->sfp[k] != s->sfp[k])
			p->sfp[k] = FP_ANY;
		if (p->sty[k] != s->sty[k])
			p->sty[k] = TY_MIX;
		if (p->svn[k] != s->svn[k]) {
			p->sdiff |= 1ull << k;
			p->staint |= 1ull << k;
			p->svn[k] = hash3(at, k, 0x71);
		}
	}
	return 0;
}

/*
 * What to give one value before instruction i, a join or a conditional
 * jump (state s, updated): what differs between the paths joining there,
 * what may differ between the paths reaching the jump, what differs
 * between the paths joining where it jumps; of that, what reaches a
 * pruning point as it is:
 *  - dead registers and slots: zero;
 *  - live scalars whose bounds no check uses from there on: unbounded,
 *    with one type. rte_bpf keeps parts of a register's old state (its
 *    size field), so the value is carried through a dead register set
 *    first: "mov32 t, 0; add t, x; be64 t; be64 t; mov x, t" (bswap
 *    twice: the value back, its bounds forgotten).
 * Both need a dead register (t, zeroed last), which carries the zero to
 * the slots.
 */
static void
decide(struct cv *c, uint32_t i, struct cstate *s)
{
	uint16_t dead = ~c->live[i] & ((1u << XB_REG_FP) - 1);
	uint16_t cand = c->npred[i] > 1 ? s->rdiff : 0;
	uint64_t scand = c->npred[i] > 1 ? s->sdiff : 0;
	uint16_t r, w;
	uint64_t sl, sw;
	uint32_t sc[2];
	unsigned int ns, e;
	int k;

	c->tmp[i] = NO_TMP;
	c->tmp2[i] = NO_TMP;
	if (is_jcc(&c->ins[i])) {
		cand |= s->rtaint;
		scand |= s->staint;
		ns = succs(c, i, sc);
		for (e = 0; e < ns; e++) {
			cand |= c->rdiff1[sc[e]];
			scand |= c->sdiff1[sc[e]];
		}
	}
	r = cand & dead & c->rflow[i];
	w = cand & c->live[i] & c->rflow[i] & ~c->need[i] &
		((1u << XB_REG_FP) - 1);
	for (k = 0; k < XB_REG_FP; k++)
		if (s->ty[k] != TY_RAW)
			w &= ~(1u << k);
	sl = c->stack_escapes ? 0 :
		scand & ~bytes_slots(&c->slive[i]) & c->sflow[i];
	sw = c->stack_escapes ? 0 : scand & bytes_slots(&c->slive[i]) &
		c->sflow[i] & ~c->sneed[i];
	for (k = 0; k < NSLOT; k++)
		if (s->sty[k] != TY_RAW || s->swid[k] == 0 ||
		    (RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN && s->swid[k] < 8))
			sw &= ~(1ull << k);
	if (__builtin_popcount(dead) < 2)
		sw = 0;
	if (dead == 0) {
		w = 0;
		sl = 0;
	} else if (sl != 0 || w != 0 || sw != 0) {
		c->tmp[i] = __builtin_ctz(r != 0 ? r : dead);
		r |= 1u << c->tmp[i];
	}
	if (sw != 0) {
		c->tmp2[i] = __builtin_ctz(dead & ~(1u << c->tmp[i]));
		r |= 1u << c->tmp2[i];
		memcpy(c->swid[i], s->swid, sizeof(s->swid));
	}
	for (k = 0; k < XB_REG_FP; k++) {
		if (r & (1u << k))
			set_reg(s, k, TY_RAW, ZERO_VN);
		if (w & (1u << k))
			set_reg(s, k, TY_RAW, WIDE_VN);
	}
	for (k = 0; k < NSLOT; k++) {
		if (sl & (1ull << k)) {
			s->svn[k] = ZERO_SLOT_VN;
			s->swid[k] = 8;
		}
		if (sw & (1ull << k)) {
			s->svn[k] = WIDE_SLOT_VN;
			s->swid[k] = 8;
		}
		if ((sl | sw) & (1ull << k)) {
			s->sty[k] = TY_RAW;
			s->sfp[k] = FP_NONE;
			s->staint &= ~(1ull << k);
		}
	}
	c->canon[i] = r;
	c->scanon[i] = sl;
	c->widen[i] = w;
	c->swiden[i] = sw;
}

/*
 * Forward walk in instruction order (jumps only go forward). The first
 * records types and what each instruction does to the stack; the second
 * decides what to give one value at each join, knowing liveness.
 */
static int
walk(struct cv *c, int second)
{
	struct cstate s, t;
	uint32_t i, sc[2];
	unsigned int ns, e;
	int ret = 0, k;

	memset(&s, 0, sizeof(s));
	for (k = 0; k < NREG; k++) {
		s.fp[k] = FP_NONE;
		s.vn[k] = VN_INIT;
	}
	s.fp[XB_REG_FP] = 0;
	s.ty[XB_REG_FP] = TY_STACK;
	s.ty[1] = TY_MBUF;
	s.vn[1] = VN_ARG;
	s.vn[XB_REG_FP] = VN_FP;
	for (k = 0; k < NSLOT; k++) {
		s.svn[k] = VN_INIT;
		s.sfp[k] = FP_NONE;
	}
	ret = merge(c, 0, &s);
	for (i = 0; i < c->n && ret == 0; i += insn_len(&c->ins[i])) {
		struct cstate *in = c->pend[i];
		struct sacc a;

		if (in == NULL)
			continue;	/* the validator refuses this anyway */
		s = *in;
		free(in);
		c->pend[i] = NULL;
		if (!second) {
			c->rdiff1[i] = s.rdiff;
			c->sdiff1[i] = s.sdiff;
		}
		if (second && (c->npred[i] > 1 || is_jcc(&c->ins[i])))
			decide(c, i, &s);
		if (!second)
			memcpy(c->ty[i], s.ty, sizeof(s.ty));
		step(c, i, &s, &a);
		if (!second)
			c->sacc[i] = a;
		ns = succs(c, i, sc);
		for (e = 0; e < ns && ret == 0; e++) {
			t = s;
			if (is_jcc(&c->ins[i])) {
				uint16_t nr = jcc_narrows(&c->ins[i],
					ns == 2 ? e : 0);

				for (k = 0; k < NREG; k++)
					if (nr & (1u << k))
						t.vn[k] = hash3(i, e, t.vn[k]);
			}
			if (sc[e] < c->n)
				ret = merge(c, sc[e], &t);
		}
	}
	for (i = 0; i < c->n; i++) {
		free(c->pend[i]);
		c->pend[i] = NULL;
	}
	return ret;
}

/*
 * Registers and slots whose bounds a check of the validator may use from
 * before instruction i on, given what is needed after it (o, so).
 */
static void
need_of(const struct cv *c, uint32_t i, uint16_t o, uint64_t so,
	uint16_t *need, uint64_t *sneed)
{
	const struct xinsn *x = &c->ins[i];
	const uint8_t *ty = c->ty[i];
	const struct sacc *a = &c->sacc[i];
	uint8_t cls = XB_CLASS(x->code), op = XB_OP(x->code);
	uint16_t d = 1u << x->dst_reg, r = 1u << x->src_reg;
	int xs = XB_SRC(x->code) == XB_X;
	uint16_t n = o;
	uint64_t sn = so;
	unsigned int k;

	switch (cls) {
	case XB_ALU:
	case XB_ALU64:
		if (op == XB_END || op == XB_NEG)
			xs = 0;
		if (op == XB_MOV) {
			n &= ~d;
			if (xs && (o & d))
				n |= r;
		} else if (xs && (is_ptr(ty[x->dst_reg]) || (o & d) ||
			   op == XB_DIV || op == XB_MOD)) {
			n |= r;	/* an offset, a divisor, what makes the
				 * result */
		}
		break;
	case XB_LDX:
		n &= ~d;
		n |= r;
		if ((o & d) && a->ld)
			sn |= a->ld;	/* a bound kept on the stack */
		break;
	case XB_ST:
		n |= d;
		sn &= ~a->set;
		break;
	case XB_STX:
		n |= d;
		if (so & a->st)
			n |= r;
		if (XB_MODE(x->code) != XB_ATOMIC)
			sn &= ~a->set;
		break;
	case XB_JMP:
		if (op == XB_CALL) {
			n &= ~0x3fu;
			/* rte_bpf checks the arguments the helper takes */
			for (k = 1; k <= nb_args(c, x); k++)
				if (is_ptr(ty[k]))
					n |= 1u << k;
		} else if (op != XB_JA && op != XB_EXIT) {
			/* bounds pass between the operands */
			if (xs && ((o & (d | r)) || is_ptr(ty[x->dst_reg]) ||
				   is_ptr(ty[x->src_reg])))
				n |= d | r;
		}
		break;
	case XB_LD:
		if (x->code == XB_LD_IMM64)
			n &= ~d;
		else
			n = ALL_REGS;
		break;
	default:
		n = ALL_REGS;
		sn = ALL_SLOTS;
		break;
	}
	*need = n;
	*sneed = sn;
}

/*
 * Backward: liveness; where states still reach a pruning point (a join
 * zeroes what is dead there); which bounds a check may use.
 */
static void
backward(struct cv *c)
{
	uint32_t i, sc[2];
	unsigned int ns, e;

	for (i = c->n; i-- > 0;) {
		const struct xinsn *x = &c->ins[i];
		const struct sacc *a = &c->sacc[i];
		uint16_t lo = 0, fo = 0, no = 0, kill_r = 0;
		uint64_t sfo = 0, sno = 0;
		struct sbytes slo = { { 0 } };
		unsigned int k;

		if (i > 0 && c->ins[i - 1].code == XB_LD_IMM64)
			continue;
		ns = succs(c, i, sc);
		for (e = 0; e < ns; e++) {
			uint32_t t = sc[e];

			if (t >= c->n)
				continue;
			lo |= c->live[t];
			for (k = 0; k < RTE_DIM(slo.w); k++)
				slo.w[k] |= c->slive[t].w[k];
			no |= c->need[t];
			sno |= c->sneed[t];
			if (c->prune[t]) {
				/* the validator compares whole states */
				fo = ALL_REGS;
				sfo = ALL_SLOTS;
			} else if (c->npred[t] > 1) {
				/* what is dead there is zeroed there */
				fo |= c->rflow[t] & c->live[t];
				sfo |= c->sflow[t] & bytes_slots(&c->slive[t]);
			} else {
				fo |= c->rflow[t];
				sfo |= c->sflow[t];
			}
		}
		c->live[i] = reg_use(c, x) | (lo & ~reg_def(x));
		bytes_clear(&slo, a->klo, a->khi);
		if (a->read_all)
			memset(&slo, 0xff, sizeof(slo));
		for (k = 0; k < a->nb_reads; k++)
			bytes_set(&slo, a->rlo[k], a->rhi[k]);
		c->slive[i] = slo;
		/* states set whole by the instruction */
		if ((XB_CLASS(x->code) == XB_ALU ||
		     XB_CLASS(x->code) == XB_ALU64) && XB_OP(x->code) == XB_MOV)
			kill_r = 1u << x->dst_reg;
		if (x->code == XB_LD_IMM64)
			kill_r = 1u << x->dst_reg;
		if (x->code == (XB_JMP | XB_CALL))
			kill_r = 1;
		c->rflow[i] = fo & ~kill_r;
		c->sflow[i] = sfo & ~c->sacc[i].set;
		need_of(c, i, no, sno, &c->need[i], &c->sneed[i]);
	}
}

static int
count_preds(struct cv *c)
{
	uint32_t i, sc[2];
	unsigned int ns, e;

	for (i = 0; i < c->n; i += insn_len(&c->ins[i])) {
		ns = succs(c, i, sc);
		for (e = 0; e < ns; e++) {
			if (sc[e] >= c->n)
				return -EINVAL;
			if (c->npred[sc[e]] < 2)
				c->npred[sc[e]]++;
			if (is_jcc(&c->ins[i]))
				c->prune[sc[e]] = 1;
		}
	}
	return 0;
}

/* Instructions that make slot k unbounded from pieces of width w. */
static uint32_t
nb_slot_widen(unsigned int w)
{
	return 3 * (8 / w) + 3;
}

static uint32_t
nb_put(const struct cv *c, uint32_t i)
{
	uint32_t n = __builtin_popcount(c->canon[i]) +
		__builtin_popcountll(c->scanon[i]) +
		5 * __builtin_popcount(c->widen[i]);
	unsigned int k;

	for (k = 0; k < NSLOT; k++)
		if (c->swiden[i] & (1ull << k))
			n += nb_slot_widen(c->swid[i][k]);
	return n;
}

static void
ins_set(struct xinsn *x, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
	int32_t imm)
{
	x->code = code;
	x->dst_reg = dst;
	x->src_reg = src;
	x->off = off;
	x->imm = imm;
}

/*
 * Slot k made unbounded, its bytes kept: read in pieces no wider than
 * its narrowest store (the validator refuses wider reads), put together
 * in t, carried through u as a register is (its bounds forgotten) and
 * stored back whole: "ldx t, [k]; (ldx u, [k + j]; lsh u; or t, u)...;
 * mov32 u, 0; add u, t; be64 u; be64 u; stxdw [k], u".
 */
static uint32_t
put_slot_widen(const struct cv *c, uint32_t i, unsigned int k,
	struct xinsn *ins)
{
	static const uint8_t size_code[9] = {
		[1] = XB_B, [2] = XB_H, [4] = XB_W, [8] = XB_DW,
	};
	unsigned int w = c->swid[i][k], j;
	uint8_t t = c->tmp[i], u = c->tmp2[i];
	int16_t base = -(int16_t)(XB_STACK_SIZE - 8 * k);
	uint8_t ld = XB_LDX | XB_MEM | size_code[w];
	uint32_t at = 0;

	ins_set(&ins[at++], ld, t, XB_REG_FP, base, 0);
	for (j = 1; j < 8 / w; j++) {	/* little endian (decide()) */
		ins_set(&ins[at++], ld, u, XB_REG_FP, base + j * w, 0);
		ins_set(&ins[at++], XB_ALU64 | XB_LSH | XB_K, u, 0, 0,
			8 * j * w);
		ins_set(&ins[at++], XB_ALU64 | XB_OR | XB_X, t, u, 0, 0);
	}
	ins_set(&ins[at++], ZERO_CODE, u, 0, 0, 0);
	ins_set(&ins[at++], XB_ALU64 | XB_ADD | XB_X, u, t, 0, 0);
	ins_set(&ins[at++], BSWAP_CODE, u, 0, 0, 64);
	ins_set(&ins[at++], BSWAP_CODE, u, 0, 0, 64);
	ins_set(&ins[at++], ZERO_STORE, XB_REG_FP, u, base, 0);
	return at;
}

/* The instructions decided for before instruction i, into ins. */
static uint32_t
put(const struct cv *c, uint32_t i, struct xinsn *ins, int32_t *orig,
	int32_t o)
{
	uint8_t t = c->tmp[i];
	uint32_t at = 0;
	unsigned int k;

	for (k = 0; k < XB_REG_FP; k++) {
		if (!((c->widen[i] >> k) & 1))
			continue;
		ins_set(&ins[at++], ZERO_CODE, t, 0, 0, 0);
		ins_set(&ins[at++], XB_ALU64 | XB_ADD | XB_X, t, k, 0, 0);
		ins_set(&ins[at++], BSWAP_CODE, t, 0, 0, 64);
		ins_set(&ins[at++], BSWAP_CODE, t, 0, 0, 64);
		ins_set(&ins[at++], XB_ALU64 | XB_MOV | XB_X, k, t, 0, 0);
	}
	for (k = 0; k < NSLOT; k++)
		if (c->swiden[i] & (1ull << k))
			at += put_slot_widen(c, i, k, &ins[at]);
	for (k = 0; k < XB_REG_FP; k++)
		if (c->canon[i] & (1u << k))
			ins_set(&ins[at++], ZERO_CODE, k, 0, 0, 0);
	for (k = 0; k < NSLOT; k++)
		if (c->scanon[i] & (1ull << k))
			ins_set(&ins[at++], ZERO_STORE, XB_REG_FP, t,
				-(int16_t)(XB_STACK_SIZE - 8 * k), 0);
	for (k = 0; k < at; k++)
		orig[k] = o;
	return at;
}

/* Put the decided instructions in, moving jumps. */
static int
rebuild(struct cv *c, struct xdpc_rewrite_out *rw, uint32_t *nb_added)
{
	uint32_t i, n = c->n, add = 0, at;
	uint32_t *pos;
	struct xinsn *ins;
	int32_t *orig;

	for (i = 0; i < n; i++)
		add += nb_put(c, i);
	*nb_added = add;
	if (add == 0)
		return 0;
	pos = malloc((n + 1) * sizeof(*pos));
	ins = calloc(n + add + 1, sizeof(*ins));
	orig = calloc(n + add + 1, sizeof(*orig));
	if (pos == NULL || ins == NULL || orig == NULL) {
		free(pos);
		free(ins);
		free(orig);
		return -ENOMEM;
	}
	/* pos[i]: where what is put before instruction i starts */
	for (i = 0, at = 0; i < n; i++) {
		pos[i] = at;
		at += nb_put(c, i) + 1;
	}
	pos[n] = at;
	for (i = 0, at = 0; i < n; i++) {
		at += put(c, i, &ins[at], &orig[at], rw->orig[i]);
		ins[at] = c->ins[i];
		orig[at] = rw->orig[i];
		if (XB_CLASS(ins[at].code) == XB_JMP &&
		    XB_OP(ins[at].code) != XB_CALL &&
		    XB_OP(ins[at].code) != XB_EXIT) {
			int64_t off = (int64_t)pos[i + c->ins[i].off + 1] -
				(at + 1);

			if (off < INT16_MIN || off > INT16_MAX) {
				free(pos);
				free(ins);
				free(orig);
				return -E2BIG;
			}
			ins[at].off = off;
		}
		at++;
	}
	free(pos);
	free(rw->ins);
	free(rw->orig);
	rw->ins = ins;
	rw->orig = orig;
	rw->nb_ins = at;
	return 0;
}

/*
 * rte_bpf's validator has room for twice as many saved states as the
 * program has conditional jumps, and saves one wherever it cannot prune
 * until the room is gone: then it prunes nowhere new. Each conditional
 * jump to the next instruction that does not change the state ("jeq r0,
 * 0, +0" with r0 zero) adds room for two and takes one. They are put
 * where the program never goes, on the taken edge of a "jeq r10, 0" at
 * its entry (r10 is never 0), which the validator walks first, with the
 * entry state; after a "ja +0", as it never walks the second edge of a
 * jump at instruction 0 (and never a "jset" with a small immediate,
 * which rte_bpf's x86 JIT encodes wrong, see xdp_rewrite.c):
 *	ja +0; jeq r10, 0, BOOST; program...; [ja EXIT;]
 *	BOOST: mov32 r0, 0; jeq r0, 0, +0 (n times)
 *	EXIT: exit
 * The program's last instruction must be its only exit (one_exit()).
 */
static int
boost(struct xdpc_rewrite_out *rw, uint32_t nb, uint32_t *nb_added)
{
	uint32_t n = rw->nb_ins, i, at, ex, skip, blk;
	const struct xinsn *last;
	struct xinsn *ins;
	int32_t *orig;

	if (nb == 0 || n < 2 || rw->ins[n - 1].code != (XB_JMP | XB_EXIT) ||
	    (n >= 3 && rw->ins[n - 3].code == XB_LD_IMM64))
		return 0;
	last = &rw->ins[n - 2];
	/* does the instruction before the exit fall into it? */
	skip = !(last->code == (XB_JMP | XB_JA) ||
		last->code == (XB_JMP | XB_EXIT));
	ins = calloc(n + nb + skip + 4, sizeof(*ins));
	orig = calloc(n + nb + skip + 4, sizeof(*orig));
	if (ins == NULL || orig == NULL) {
		free(ins);
		free(orig);
		return -ENOMEM;
	}
	blk = 2 + (n - 1) + skip;	/* where the boost starts */
	ex = blk + nb + 1;		/* the exit */
	ins_set(&ins[0], XB_JMP | XB_JA, 0, 0, 0, 0);
	ins_set(&ins[1], XB_JMP | XB_JEQ | XB_K, XB_REG_FP, 0, blk - 2, 0);
	orig[0] = rw->orig[0];
	orig[1] = rw->orig[0];
	for (i = 0; i + 1 < n; i++) {
		struct xinsn *x = &ins[i + 2];

		*x = rw->ins[i];
		orig[i + 2] = rw->orig[i];
		if (XB_CLASS(x->code) == XB_JMP && XB_OP(x->code) != XB_CALL &&
		    XB_OP(x->code) != XB_EXIT) {
			uint32_t t = i + x->off + 1;
			int64_t off = (int64_t)(t == n - 1 ? ex : t + 2) -
				(i + 3);

			if (off > INT16_MAX)
				goto too_far;
			x->off = off;
		}
	}
	at = n + 1;
	if (skip) {
		ins_set(&ins[at], XB_JMP | XB_JA, 0, 0, ex - at - 1, 0);
		orig[at++] = rw->orig[n - 1];
	}
	ins_set(&ins[at], ZERO_CODE, 0, 0, 0, 0);
	orig[at++] = rw->orig[n - 1];
	for (i = 0; i < nb; i++) {
		ins_set(&ins[at], XB_JMP | XB_JEQ | XB_K, 0, 0, 0, 0);
		orig[at++] = rw->orig[n - 1];
	}
	ins[at] = rw->ins[n - 1];
	orig[at++] = rw->orig[n - 1];
	if (blk - 2 > INT16_MAX)
		goto too_far;
	free(rw->ins);
	free(rw->orig);
	rw->ins = ins;
	rw->orig = orig;
	rw->nb_ins = at;
	*nb_added += at - n;
	return 0;
too_far:
	free(ins);
	free(orig);
	return -E2BIG;
}

int
xdpc_converge(struct xdpc_rewrite_out *rw, const void *xsym, uint32_t nb_xsym,
	uint32_t *nb_added)
{
	struct cv c = {
		.ins = rw->ins, .n = rw->nb_ins, .xsym = xsym,
		.nb_xsym = nb_xsym,
	};
	uint32_t n = rw->nb_ins;
	int ret = -ENOMEM;

	*nb_added = 0;
	if (n == 0)
		return 0;
	c.pend = calloc(n + 1, sizeof(*c.pend));
	c.prune = calloc(n + 1, 1);
	c.npred = calloc(n + 1, 1);
	c.tmp = calloc(n + 1, 1);
	c.tmp2 = calloc(n + 1, 1);
	c.swiden = calloc(n + 1, sizeof(*c.swiden));
	c.swid = calloc(n + 1, sizeof(*c.swid));
	c.sacc = calloc(n + 1, sizeof(*c.sacc));
	c.ty = calloc(n + 1, sizeof(*c.ty));
	c.live = calloc(n + 1, sizeof(*c.live));
	c.slive = calloc(n + 1, sizeof(*c.slive));
	c.rflow = calloc(n + 1, sizeof(*c.rflow));
	c.sflow = calloc(n + 1, sizeof(*c.sflow));
	c.need = calloc(n + 1, sizeof(*c.need));
	c.sneed = calloc(n + 1, sizeof(*c.sneed));
	c.canon = calloc(n + 1, sizeof(*c.canon));
	c.scanon = calloc(n + 1, sizeof(*c.scanon));
	c.widen = calloc(n + 1, sizeof(*c.widen));
	c.rdiff1 = calloc(n + 1, sizeof(*c.rdiff1));
	c.sdiff1 = calloc(n + 1, sizeof(*c.sdiff1));
	if (c.pend == NULL || c.prune == NULL || c.npred == NULL ||
	    c.tmp == NULL || c.sacc == NULL || c.ty == NULL ||
	    c.live == NULL || c.slive == NULL || c.rflow == NULL ||
	    c.sflow == NULL || c.need == NULL || c.sneed == NULL ||
	    c.canon == NULL || c.scanon == NULL || c.widen == NULL ||
	    c.rdiff1 == NULL || c.sdiff1 == NULL || c.tmp2 == NULL ||
	    c.swiden == NULL || c.swid == NULL)
		goto out;
	ret = count_preds(&c);
	if (ret == 0)
		ret = walk(&c, 0);
	if (ret != 0)
		goto out;
	backward(&c);
	ret = walk(&c, 1);
	if (ret == 0)
		ret = rebuild(&c, rw, nb_added);
	if (ret == 0) {
		uint32_t njcc = 0, i;

		for (i = 0; i < rw->nb_ins; i += insn_len(&rw->ins[i]))
			njcc += is_jcc(&rw->ins[i]);
		ret = boost(rw, RTE_MIN(XDPC_BOOST * njcc,
			(uint32_t)XDPC_BOOST_MAX), nb_added);
	}
out:
	free(c.pend);
	free(c.prune);
	free(c.npred);
	free(c.tmp);
	free(c.tmp2);
	free(c.swiden);
	free(c.swid);
	free(c.sacc);
	free(c.ty);
	free(c.live);
	free(c.slive);
	free(c.rflow);
	free(c.sflow);
	free(c.need);
	free(c.sneed);
	free(c.canon);
	free(c.scanon);
	free(c.widen);
	free(c.rdiff1);
	free(c.sdiff1);
	return ret;
}
