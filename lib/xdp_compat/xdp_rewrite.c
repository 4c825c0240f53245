/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rewrite phase: turn a linked, inlined program into code rte_bpf 22.11
 * accepts, keeping its meaning:
 *  - struct xdp_md loads (32-bit in the object) become loads from our
 *    runtime context (struct xdpc_ctx), found by tracking which registers
 *    and stack slots hold the context; data and data_meta come out typed
 *    as packet pointers;
 *  - JMP32 (absent from rte_bpf) becomes a 64-bit jump, directly when the
 *    operands are known zero-extended, otherwise on sign/zero-extended
 *    copies in registers proven dead by a liveness analysis, or, when none
 *    is dead, in registers spilled to a stack slot reserved below the
 *    program's own stack;
 *  - 32-bit ARSH becomes a 64-bit sequence;
 *  - division and modulo by a register are guarded: rte_bpf ends the
 *    program (returning 0) on a zero divisor, the kernel gives x / 0 = 0
 *    and x % 0 = x;
 *  - a packet pointer plus a variable offset the analysis cannot bound is
 *    clamped (see XDPC_CLAMP_SLACK), and "scalar += pointer" is turned
 *    around so that rte_bpf keeps the result typed as a pointer;
 *  - map and global-data LD_IMM64 get their in-process addresses;
 *  - helper calls get one external-symbol slot per call site, so that
 *    rte_bpf sees exact argument and return types (map value sizes).
 * It also refuses what rte_bpf's validator cannot see: a map lookup result
 * used before being checked against NULL.
 *
 * Jumps only go forward (loops are refused), so one pass in instruction
 * order sees every predecessor of an instruction before the instruction:
 * the abstract state of a jump target waits in a pending slot until then.
 * Anything without an equivalent is refused, naming the instruction.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

#define NREG 11
#define NSLOT (XB_STACK_SIZE / 8)
/* reserved spill slots below the program's stack: 1 and 2 scratch
 * registers, 3 the context saved at entry */
#define CTX_SPILL_SLOT 3

/* What the analysis knows of a register or of an 8-byte stack slot. */
#define F_CTX_MUST	0x01	/* the context, on every path */
#define F_CTX_MAY	0x02	/* the context or derived from it, on a path */
#define F_ZEXT		0x04	/* upper 32 bits known zero */
#define F_CONST		0x08	/* cval is its value */
#define F_PKT		0x10	/* packet pointer (data or data_meta based) */
#define F_PTR		0x20	/* a pointer rte_bpf types (any kind) */
#define F_NUL		0x40	/* map lookup result, maybe NULL */
#define F_FP		0x80	/* R10 + cval */
#define F_CB		0x100	/* callback address: cval indexes rw->cbs */
#define F_VVAR		0x200	/* into a value of vmap, voff not known */
#define F_PDATA		0x400	/* packet pointer derived from data (umax:
				 * bound of its offset from data) */

#define F_LO32		0x800	/* stack slot: its low 4 bytes (a 32-bit
				 * store) hold the value, not the whole slot */

#define MSET_MAX 4
#define ZDEF_MAX 4

/* Locations a flag can be kept in: registers and 8-byte stack slots. */
struct gset {
	uint16_t r;		/* bit k: register k */
	uint64_t s;		/* bit k: stack slot k */
};

#define LOC_REG(r)	((r) + 1)
#define LOC_SLOT(k)	(NREG + 1 + (k))
#define LOC_NONE	0

struct rval {
	uint16_t f;
	uint32_t nid;		/* lookup that produced a F_NUL pointer */
	/* F_CONST 0: the movs that set it on the paths joined, plus 1
	 * (zdef[0] 0: not known) */
	uint32_t zdef[ZDEF_MAX];
	int64_t cval;
	uint64_t umax;
	struct rte_xdp_map *map; /* LD_IMM64 of a map (helper R1) */
	/* map NULL: one of these maps, chosen by a branch */
	struct rte_xdp_map *mset[MSET_MAX];
	struct rte_xdp_map *vmap; /* points into a value of this map, */
	int64_t voff;		/* at this offset (unless F_VVAR) */
	/* F_NUL: non-NULL where any location of gnz is not zero, or where
	 * any of gz is zero (see null_guard()) */
	struct gset gnz, gz;
	uint8_t zcopy;		/* zero where location zcopy is (LOC_*) */
	uint8_t lowz;		/* low bits known zero (after a shift left) */
};

struct astate {
	uint64_t slots;		/* bit k: slot at fp-8(k+1) holds s[k] */
	struct rval r[NREG];
	struct rval s[NSLOT];
};

struct rw {
	const struct rte_xdp_prog *prog;
	struct xvec *code;
	uint16_t *live_in;
	struct astate **pend;	/* per instruction, merged in-state */
	uint32_t *start;	/* per instruction, its first out index */
	struct xvec out;
	struct xdpc_rewrite_out *res;
	char *err;
	size_t err_len;
	uint32_t cur;		/* instruction being rewritten */
	uint32_t note;		/* RTE_XDP_XLATED_*: what its rewrite does */
	uint32_t clamp;		/* clamp limit for packet offsets, 0: none */
	uint32_t depth;		/* deepest R10 offset the program uses */
	int depth_unknown;	/* a stack pointer escaped the analysis */
	struct cb_ref *cbs;	/* PSEUDO_FUNC loads: callback addresses */
	uint32_t nb_cbs;
	/* per instruction: a "mov rX, 0" that flows into a pointer (NULL
	 * or a pointer, checked later): emitted as a pointer rte_bpf types
	 * whose value is 0 (see put_typed_null); wanted: found this pass */
	uint8_t *typed_null, *want_null;
	int ctx_slot;		/* the context saved at entry (spill slot 3) */
	int want_ctx_slot;
};

/* A callback address loaded by the program, and how bpf_loop uses it. */
struct cb_ref {
	uint32_t out;		/* its LD_IMM64 in the output */
	uint16_t sec;
	uint32_t start;
	int used;
	uint32_t ctx_size;	/* 0: NULL context */
	int32_t orig;		/* the bpf_loop call */
};

#define RW_ERR(rw, fmt, ...) \
	xdpc_err((rw)->err, (rw)->err_len, "section %s insn %d: " fmt, \
		(rw)->prog->section, (rw)->code->v[(rw)->cur].orig, \
		##__VA_ARGS__)

static const struct rval unknown_val = { .umax = UINT64_MAX };

static void use_def(const struct xinsn *i, uint16_t *use, uint16_t *def);

/*
 * NULL on one path, a pointer on the other ("p = NULL; if (...) p =
 * lookup(...);"): the kernel's verifier follows each path and takes the
 * check "p != NULL" as impossible on the first. rte_bpf walks that edge
 * too, so the zero is emitted as a pointer it types whose value is 0
 * (put_typed_null()); then the merge is a pointer that may be NULL, to
 * be checked before use. A zero not emitted so yet is asked for: the
 * program is rewritten again with it.
 */
static int
null_or_ptr(struct rw *rw, struct rval *a, const struct rval *b, uint32_t id)
{
	const struct rval *z, *p;
	int k;

	if ((a->f & F_PTR) && (b->f & F_CONST)) {
		z = b;
		p = a;
	} else if ((b->f & F_PTR) && (a->f & F_CONST)) {
		z = a;
		p = b;
	} else {
		return 0;
	}
	if (z->cval != 0 || z->zdef[0] == 0 || rw->prog->cb_kind != 0 ||
	    (p->f & (F_FP | F_CTX_MAY | F_CB)))
		return 0;
	/* every zero that flows here, from whichever path; those not emitted
	 * so yet are asked for, and taken as if they were, so that this pass
	 * finds the joins after this one too (it is then done again) */
	for (k = 0; k < ZDEF_MAX && z->zdef[k] != 0; k++)
		if (!rw->typed_null[z->zdef[k] - 1])
			rw->want_null[z->zdef[k] - 1] = 1;
	*a = *p;
	a->f |= F_NUL;
	if (a->nid == 0)
		a->nid = id;
	return 1;
}

/* a's map becomes the union of both sides' maps (none if too many) */
static void
mset_merge(struct rval *a, const struct rval *b)
{
	struct rte_xdp_map *u[2 * MSET_MAX] = { NULL };
	const struct rval *side[2] = { a, b };
	unsigned int n = 0, k, j, x;

	for (k = 0; k < 2; k++) {
		struct rte_xdp_map *const *ms = side[k]->map != NULL ?
			&side[k]->map : side[k]->mset;
		unsigned int nb = side[k]->map != NULL ? 1 : MSET_MAX;

		if (ms[0] == NULL)
			n = 2 * MSET_MAX + 1;	/* a side holds no map */
		for (j = 0; j < nb && ms[j] != NULL && n < 2 * MSET_MAX; j++) {
			for (x = 0; x < n && u[x] != ms[j]; x++)
				;
			if (x == n)
				u[n++] = ms[j];
		}
	}
	a->map = NULL;
	memset(a->mset, 0, sizeof(a->mset));
	if (n <= MSET_MAX)
		memcpy(a->mset, u, n * sizeof(u[0]));
}

/* zeros joined: a's movs become both sides' (none known if too many) */
static void
zdef_merge(struct rval *a, const struct rval *b)
{
	int j, k, n;

	for (n = 0; n < ZDEF_MAX && a->zdef[n] != 0; n++)
		;
	if (n == 0 || b->zdef[0] == 0) {
		memset(a->zdef, 0, sizeof(a->zdef));
		return;
	}
	for (j = 0; j < ZDEF_MAX && b->zdef[j] != 0; j++) {
		for (k = 0; k < n && a->zdef[k] != b->zdef[j]; k++)
			;
		if (k < n)
			continue;
		if (n == ZDEF_MAX) {
			memset(a->zdef, 0, sizeof(a->zdef));
			return;
		}
		a->zdef[n++] = b->zdef[j];
	}
}

static void
rval_merge(struct rw *rw, struct rval *a, const struct rval *b, uint32_t id)
{
	const uint16_t must = F_CTX_MUST | F_ZEXT | F_PKT | F_PTR | F_PDATA;
	const uint16_t may = F_CTX_MAY | F_NUL | F_VVAR;
	uint16_t f = (a->f & b->f & must) | ((a->f | b->f) & may);

	if (null_or_ptr(rw, a, b, id))
		return;
	if ((a->f & b->f & (F_CONST | F_FP | F_CB)) && a->cval == b->cval)
		f |= a->f & b->f & (F_CONST | F_FP | F_CB);
	zdef_merge(a, b);
	a->umax = RTE_MAX(a->umax, b->umax);
	/* pointers that may be NULL, from different lookups or joins: one
	 * value from here on, checked for all its copies at once */
	if (a->nid != b->nid)
		a->nid = ((a->f | b->f) & F_NUL) ? id : 0;
	a->lowz = RTE_MIN(a->lowz, b->lowz);
	if (a->map != b->map)
		mset_merge(a, b);
	if (a->vmap != b->vmap)
		a->vmap = NULL;
	else if (a->voff != b->voff)
		f |= F_VVAR;
	a->f = f;
}

/* Rewrite passes at most: the first, then one per thing it asked for. */
#define MAX_PASSES 4

/* The id of a pointer that may be NULL first at a merge (lookups' ids
 * are their instruction indexes plus 1). */
#define MERGE_NID(at, k)	((1u << 31) | ((uint32_t)(at) << 7) | (k))

/*
 * A pointer that is NULL on some of the joining paths and not on the
 * others, where a flag tells which: "ok = false; if (lookup and check)
 * { *p = v; ok = true; } ... if (ok) use *p" (a bpf-to-bpf callee
 * returning whether it wrote a pointer, as the kernel selftest
 * test_xdp_noinline's get_packet_dst()), or "iph = NULL; is_v6 = 1; if
 * (IPv4) { iph = data + 14; is_v6 = 0; } ... if (!is_v6) use iph" (a
 * header pointer left NULL for other protocols, used under a flag set on
 * the same paths, as XDP-Firewall's xdp_prog_main). The kernel's
 * verifier follows each path, where the flag is a constant; here the
 * merged value is marked non-NULL where a location (a register, or a
 * stack slot the flag was stored in, 32 or 64 bits) is not zero (gnz),
 * or where one is zero (gz): on each side the value is not NULL, or the
 * location holds the constant that makes the mark hold, or the value was
 * so marked already. A write of the location forgets the mark (a copy
 * left takes it over); a test of the location, or of a copy of it,
 * against 0 clears F_NUL on the edge where the mark holds.
 */
static int
maybe_null(const struct rval *v)
{
	return (v->f & F_NUL) || ((v->f & F_CONST) && v->cval == 0);
}

static const struct rval *
loc_val(const struct astate *st, int loc)
{
	int k = loc - LOC_SLOT(0);

	if (loc >= LOC_REG(0) && loc <= LOC_REG(XB_REG_FP - 1))
		return &st->r[loc - 1];
	if (loc >= LOC_SLOT(0) && k < NSLOT && (st->slots & (1ull << k)))
		return &st->s[k];
	return NULL;
}

static int
gset_has(const struct gset *g, int loc)
{
	if (loc >= LOC_REG(0) && loc < LOC_SLOT(0))
		return (g->r >> (loc - 1)) & 1;
	if (loc >= LOC_SLOT(0))
		return (g->s >> (loc - LOC_SLOT(0))) & 1;
	return 0;
}

static void
gset_put(struct gset *g, int loc, int on)
{
	if (loc >= LOC_REG(0) && loc < LOC_SLOT(0)) {
		g->r &= ~(1u << (loc - 1));
		g->r |= (uint16_t)(!!on << (loc - 1));
	} else if (loc >= LOC_SLOT(0)) {
		g->s &= ~(1ull << (loc - LOC_SLOT(0)));
		g->s |= (uint64_t)!!on << (loc - LOC_SLOT(0));
	}
}

/* Does "non-NULL where loc is not zero (zero: where it is zero)" hold
 * for v in state st? */
static int
guard_holds(const struct astate *st, const struct rval *v, int loc, int zero)
{
	const struct rval *g;

	if (!maybe_null(v) || gset_has(zero ? &v->gz : &v->gnz, loc))
		return 1;
	g = loc_val(st, loc);
	return g != NULL && (g->f & F_CONST) && (g->cval == 0) != zero;
}

/* The locations whose being non-zero (zero) make a merged value
 * non-NULL; self: the location of the value itself; slots: stack slots
 * may be such locations (no stack pointer escaped the analysis, so that
 * no store it does not see changes them). */
static void
null_guard(const struct astate *a, const struct rval *va,
	const struct astate *b, const struct rval *vb, int self,
	int slots, struct rval *m)
{
	int loc, zero;

	memset(&m->gnz, 0, sizeof(m->gnz));
	memset(&m->gz, 0, sizeof(m->gz));
	if (!(m->f & F_NUL))
		return;
	for (zero = 0; zero < 2; zero++)
		for (loc = LOC_REG(0); loc < LOC_SLOT(slots ? NSLOT : 0);
		     loc++) {
			if (loc == self || loc == LOC_REG(XB_REG_FP))
				continue;
			if (guard_holds(a, va, loc, zero) &&
			    guard_holds(b, vb, loc, zero))
				gset_put(zero ? &m->gz : &m->gnz, loc, 1);
		}
}

static void
guard_rename(struct rval *v, int from, int to)
{
	struct gset *g[2] = { &v->gnz, &v->gz };
	int j;

	for (j = 0; j < 2; j++)
		if (gset_has(g[j], from)) {
			gset_put(g[j], from, 0);
			gset_put(g[j], to, 1);
		}
	if (v->zcopy == from)
		v->zcopy = LOC_NONE;
}

/*
 * Location loc written (def: the registers the instruction writes):
 * values marked by it are NULL or not again, unless a copy of it ("return
 * ok;", the callee's register then restored; a flag stored in or loaded
 * from the stack) takes the mark over.
 */
static void
guard_forget(struct astate *s, int loc, uint16_t def)
{
	int k, h = LOC_NONE;

	for (k = 0; k < XB_REG_FP && h == LOC_NONE; k++)
		if (s->r[k].zcopy == loc && !(def & (1u << k)))
			h = LOC_REG(k);
	for (k = 0; k < NSLOT && h == LOC_NONE; k++)
		if ((s->slots & (1ull << k)) && s->s[k].zcopy == loc &&
		    LOC_SLOT(k) != loc)
			h = LOC_SLOT(k);
	for (k = 0; k < NREG; k++)
		guard_rename(&s->r[k], loc, h);
	for (k = 0; k < NSLOT; k++)
		guard_rename(&s->s[k], loc, h);
}

/*
 * A test of register t against 0, taken or not: where t is not zero
 * (nz), values marked by t or by what t is a copy of (gnz) are not NULL;
 * where it is zero, those marked so by gz (slots: through stack slots
 * too, as in null_guard()).
 */
static void
guard_test(struct astate *st, int t, int nz, int slots)
{
	int locs[4], n = 0, j, k;
	const struct rval *v;

	locs[n++] = LOC_REG(t);
	for (v = &st->r[t]; n < 4 && v != NULL && v->zcopy != LOC_NONE &&
	     (slots || v->zcopy < LOC_SLOT(0)); v = loc_val(st, v->zcopy))
		locs[n++] = v->zcopy;
	for (j = 0; j < n; j++) {
		for (k = 0; k < NREG; k++)
			if (gset_has(nz ? &st->r[k].gnz : &st->r[k].gz,
			    locs[j]))
				st->r[k].f &= ~F_NUL;
		for (k = 0; k < NSLOT; k++)
			if (gset_has(nz ? &st->s[k].gnz : &st->s[k].gz,
			    locs[j]))
				st->s[k].f &= ~F_NUL;
	}
}

static int
state_merge(struct rw *rw, uint32_t at, const struct astate *b)
{
	struct astate *a = rw->pend[at];
	uint64_t both;
	int k;

	if (a == NULL) {
		a = malloc(sizeof(*a));
		if (a == NULL)
			return -ENOMEM;
		*a = *b;
		rw->pend[at] = a;
		return 0;
	}
	struct astate *old = malloc(sizeof(*old));

	if (old == NULL)
		return -ENOMEM;
	*old = *a;
	for (k = 0; k < NREG; k++) {
		if ((a->r[k].f & F_FP) && (b->r[k].f & F_FP) &&
		    a->r[k].cval != b->r[k].cval)
			rw->depth_unknown = 1;
		rval_merge(rw, &a->r[k], &b->r[k], MERGE_NID(at, k));
		null_guard(old, &old->r[k], b, &b->r[k], LOC_REG(k),
			!rw->depth_unknown, &a->r[k]);
		if (old->r[k].zcopy != b->r[k].zcopy)
			a->r[k].zcopy = LOC_NONE;
	}
	both = a->slots & b->slots;
	for (k = 0; k < NSLOT; k++) {
		if (!(both & (1ull << k)))
			continue;
		/* a 32-bit store on one side only: the slot differs */
		if ((a->s[k].f ^ b->s[k].f) & F_LO32) {
			both &= ~(1ull << k);
			continue;
		}
		rval_merge(rw, &a->s[k], &b->s[k], MERGE_NID(at, NREG + k));
		a->s[k].f |= old->s[k].f & F_LO32;
		null_guard(old, &old->s[k], b, &b->s[k], LOC_SLOT(k),
			!rw->depth_unknown, &a->s[k]);
		if (old->s[k].zcopy != b->s[k].zcopy)
			a->s[k].zcopy = LOC_NONE;
	}
	a->slots = both;
	free(old);
	return 0;
}

static uint64_t
size_umax(uint8_t size)
{
	switch (size) {
	case XB_B:
		return UINT8_MAX;
	case XB_H:
		return UINT16_MAX;
	case XB_W:
		return UINT32_MAX;
	default:
		return UINT64_MAX;
	}
}


static void
note_depth(struct rw *rw, int64_t fp_off)
{
	if (fp_off < 0 && (uint64_t)-fp_off > rw->depth)
		rw->depth = -fp_off;
}

/* Forget stack slots overlapping [fp+off, fp+off+len). */
static void
stk_clobber(struct astate *s, int64_t off, int64_t len)
{
	int k;

	for (k = 0; k < NSLOT; k++) {
		int64_t lo = -8 * (k + 1);

		if (lo < off + len && off < lo + 8) {
			s->slots &= ~(1ull << k);
			guard_forget(s, LOC_SLOT(k), 0);
		}
	}
}

static int
slot_of(int64_t fp_off)
{
	if (fp_off >= 0 || -fp_off % 8 != 0 || -fp_off / 8 > NSLOT)
		return -1;
	return -fp_off / 8 - 1;
}

/* Saturating arithmetic on upper bounds. */
static uint64_t
umax_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static uint64_t
umax_mul(uint64_t a, uint64_t b)
{
	if (a != 0 && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

static uint64_t
umax_shl(uint64_t a, uint32_t k)
{
	if (k >= 64)
		return UINT64_MAX;
	if (a > (UINT64_MAX >> k))
		return UINT64_MAX;
	return a << k;
}

/* Upper bound of an ALU result (64 or 32 bits). */
static uint64_t
alu_umax(uint8_t op, int src_k, const struct rval *d, const struct rval *s,
	int32_t imm, int is32)
{
	uint64_t a = d->umax, b = src_k ? (uint64_t)(int64_t)imm : s->umax;
	uint64_t m = is32 ? UINT32_MAX : UINT64_MAX;
	uint64_t r;

	if (is32) {
		a = RTE_MIN(a, UINT32_MAX);
		if (src_k)
			b = (uint32_t)imm;
		else
			b = RTE_MIN(b, UINT32_MAX);
	}
	switch (op) {
	case XB_ADD:
		r = umax_add(a, b);
		break;
	case XB_MUL:
		r = umax_mul(a, b);
		break;
	case XB_AND:
		if (src_k && imm < 0 && !is32)
			r = a;
		else
			r = RTE_MIN(a, b);
		break;
	case XB_RSH:
		r = src_k ? a >> ((uint32_t)imm & (is32 ? 31 : 63)) : a;
		break;
	case XB_LSH:
		r = src_k ? umax_shl(a, (uint32_t)imm & (is32 ? 31 : 63)) :
			UINT64_MAX;
		break;
	case XB_DIV:
		r = a;
		break;
	case XB_MOD:
		r = src_k && imm > 0 ? (uint64_t)imm - 1 : a;
		break;
	case XB_OR:
	case XB_XOR:
		r = a | b;
		r = r == 0 ? 0 : (r >= (1ull << 63) ? UINT64_MAX :
			rte_align64pow2(r + 1) - 1);
		break;
	default:
		r = UINT64_MAX;
		break;
	}
	/* a 32-bit result wraps: only its mask is a bound then */
	return r > m ? m : r;
}

/* An ALU operation on constants, with its 32- or 64-bit semantics. */
static int
const_alu(uint8_t op, int is32, int64_t a, int64_t b, int64_t *r)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b, v;
	unsigned int sh = (unsigned int)ub & (is32 ? 31 : 63);

	if (is32) {
		ua = (uint32_t)ua;
		ub = (uint32_t)ub;
	}
	switch (op) {
	case XB_ADD: v = ua + ub; break;
	case XB_SUB: v = ua - ub; break;
	case XB_MUL: v = ua * ub; break;
	case XB_AND: v = ua & ub; break;
	case XB_OR: v = ua | ub; break;
	case XB_XOR: v = ua ^ ub; break;
	case XB_LSH: v = ua << sh; break;
	case XB_RSH: v = ua >> sh; break;
	default:
		return -1;
	}
	*r = is32 ? (int64_t)(uint32_t)v : (int64_t)v;
	return 0;
}

/*
 * The outcome of a conditional jump on known values: 1 taken, 0 not,
 * -1 unknown.
 */
static int
const_jump(const struct xinsn *i, const struct astate *s)
{
	const struct rval *d = &s->r[i->dst_reg], *sv = &s->r[i->src_reg];
	int is32 = XB_CLASS(i->code) == XB_JMP32;
	uint64_t a, b;
	int64_t sa, sb;

	if (XB_OP(i->code) == XB_JSET && XB_SRC(i->code) == XB_K && i->imm == 0)
		return 0;	/* x & 0: never taken, whatever x is */
	if (!(d->f & F_CONST) ||
	    (XB_SRC(i->code) == XB_X && !(sv->f & F_CONST)))
		return -1;
	a = d->cval;
	b = XB_SRC(i->code) == XB_X ? (uint64_t)sv->cval : (uint64_t)(int64_t)i->imm;
	if (is32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
		sa = (int32_t)a;
		sb = (int32_t)b;
	} else {
		sa = (int64_t)a;
		sb = (int64_t)b;
	}
	switch (XB_OP(i->code)) {
	case XB_JEQ: return a == b;
	case XB_JNE: return a != b;
	case XB_JGT: return a > b;
	case XB_JGE: return a >= b;
	case XB_JLT: return a < b;
	case XB_JLE: return a <= b;
	case XB_JSGT: return sa > sb;
	case XB_JSGE: return sa >= sb;
	case XB_JSLT: return sa < sb;
	case XB_JSLE: return sa <= sb;
	case XB_JSET: return (a & b) != 0;
	default: return -1;
	}
}

/*
 * How "packet pointer p + offset o" is emitted:
 *  PA_TOTAL: the sum's offset from data is clamped (p's offset from data
 *	plus o may pass the clamp limit: cursors advanced several times by
 *	lengths read from the packet, as parsers of IPv6 extension headers);
 *  PA_CLAMP: o alone is clamped (p not known to be data based);
 *  PA_HINT: o is bounded by the analysis, rte_bpf may not see it;
 *  PA_PLAIN: as it is.
 */
enum { PA_PLAIN, PA_HINT, PA_CLAMP, PA_TOTAL };

/* The bound rte_bpf is given for a hinted offset (put_ptr_add_hint). */
static uint64_t
hint_umax(uint64_t umax)
{
	return umax >= (1ull << 63) ? UINT64_MAX :
		rte_align64pow2(umax + 1) - 1;
}

static int
pkt_add_kind(const struct rw *rw, const struct rval *p, const struct rval *o)
{
	if (!(p->f & F_PKT))
		return PA_PLAIN;
	if (rw->clamp != 0 && (p->f & F_PDATA) && rw->prog->cb_kind == 0 &&
	    umax_add(p->umax, (o->f & F_CONST) ? o->umax :
	    hint_umax(o->umax)) > rw->clamp)
		return PA_TOTAL;
	if (rw->clamp != 0 && o->umax > rw->clamp)
		return PA_CLAMP;
	return (o->f & F_CONST) ? PA_PLAIN : PA_HINT;
}

/* The bound of the offset from data of p + o, emitted as kind says. */
static uint64_t
pkt_add_umax(const struct rw *rw, const struct rval *p, const struct rval *o,
	int kind)
{
	switch (kind) {
	case PA_TOTAL:
		return rw->clamp;
	case PA_CLAMP:
		return umax_add(p->umax, rw->clamp);
	case PA_HINT:
		return umax_add(p->umax, hint_umax(o->umax));
	default:
		return umax_add(p->umax, o->umax);
	}
}

/*
 * Narrow an unsigned bound on the edge where "x op K" (64 bits, or 32 on
 * a zero-extended x) holds, as the kernel's verifier does: a length read
 * from the packet and tested is then a bounded offset.
 */
static void
narrow_umax(struct rval *x, uint8_t op, uint64_t k, int holds)
{
	if (!holds)	/* the negation */
		op = op == XB_JGT ? XB_JLE : op == XB_JGE ? XB_JLT :
			op == XB_JLT ? XB_JGE : op == XB_JLE ? XB_JGT : 0;
	if (op == XB_JLE && k < x->umax)
		x->umax = k;
	else if (op == XB_JLT && k != 0 && k - 1 < x->umax)
		x->umax = k - 1;
	if (x->umax <= UINT32_MAX)
		x->f |= F_ZEXT;
}

/* A scalar tested against a constant: its bound on both edges. */
static void
jump_narrow(const struct xinsn *i, struct astate *fall, struct astate *taken)
{
	const struct rval *sv = &fall->r[i->src_reg];
	uint8_t op = XB_OP(i->code);
	int is32 = XB_CLASS(i->code) == XB_JMP32;
	struct rval *x = &fall->r[i->dst_reg];
	uint64_t k;

	if (x->f & (F_PTR | F_CTX_MAY | F_FP | F_CB | F_NUL | F_CONST) ||
	    (is32 && !(x->f & F_ZEXT)))
		return;
	if (XB_SRC(i->code) == XB_K)
		k = is32 ? (uint32_t)i->imm : (uint64_t)(int64_t)i->imm;
	else if (sv->f & F_CONST)
		k = is32 ? (uint32_t)sv->cval : (uint64_t)sv->cval;
	else
		return;
	if (op == XB_JEQ || op == XB_JNE) {
		struct rval *eq = &(op == XB_JEQ ? taken : fall)->r[i->dst_reg];

		if (k > eq->umax)
			return;	/* that edge is not taken */
		eq->f |= F_CONST | (k <= UINT32_MAX ? F_ZEXT : 0);
		eq->cval = (int64_t)k;
		eq->umax = k;
		memset(eq->zdef, 0, sizeof(eq->zdef));
		return;
	}
	if (op != XB_JGT && op != XB_JGE && op != XB_JLT && op != XB_JLE)
		return;
	narrow_umax(&taken->r[i->dst_reg], op, k, 1);
	narrow_umax(x, op, k, 0);
}

/*
 * Does the instruction leave its register zero exactly when it was (so
 * that values marked non-NULL by it stay so)? clang's zero-extension of
 * a returned flag ("r0 <<= 32; r0 >>= 32", "w0 = w0"), a mask that keeps
 * every bit the value may have.
 */
static int
zero_kept(const struct xinsn *i, const struct rval *v)
{
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	uint64_t bits;

	if (cls != XB_ALU && cls != XB_ALU64)
		return 0;
	bits = v->umax >= (1ull << 63) ? UINT64_MAX :
		rte_align64pow2(v->umax + 1) - 1;
	if (cls == XB_ALU && (!(v->f & F_ZEXT) || bits > UINT32_MAX))
		return 0;
	if (op == XB_MOV && XB_SRC(i->code) == XB_X)
		return i->src_reg == i->dst_reg;
	if (XB_SRC(i->code) != XB_K)
		return 0;
	switch (op) {
	case XB_LSH:
		return i->imm >= 0 && i->imm < 64 &&
			(cls == XB_ALU64 ? bits <= (UINT64_MAX >> i->imm) :
			 bits <= (UINT32_MAX >> i->imm));
	case XB_RSH:
		return i->imm >= 0 && v->lowz >= i->imm;
	case XB_AND:
		return (bits & ~(uint64_t)(int64_t)i->imm) == 0;
	default:
		return 0;
	}
}

/* What a 32-bit store of a register (or of imm) leaves in a slot's low
 * 4 bytes: a scalar, kept for a 32-bit load of it (a flag). */
static struct rval
lo32_val(int imm, const struct xinsn *i, const struct rval *sv)
{
	struct rval v = unknown_val;

	v.f = F_LO32 | F_ZEXT;
	v.umax = UINT32_MAX;
	if (imm || (sv->f & F_CONST)) {
		v.f |= F_CONST;
		v.cval = (uint32_t)(imm ? i->imm : sv->cval);
		v.umax = v.cval;
	} else if (!(sv->f & (F_PTR | F_CTX_MAY | F_FP | F_CB)) &&
		   (sv->f & F_ZEXT)) {
		v.umax = sv->umax;
		v.zcopy = LOC_REG(i->src_reg);
	}
	return v;
}

/*
 * Forward transfer of one instruction (its code as in the object, before
 * rewriting). taken: the state on the jump edge, for conditional jumps.
 */
static void
transfer(struct rw *rw, const struct xins *x, struct astate *s,
	struct astate *taken)
{
	const struct xinsn *i = &x->i;
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	struct rval *d = &s->r[i->dst_reg], sv = s->r[i->src_reg];
	const struct rval dv = *d;
	struct xdpc_helper_info hi;
	uint16_t use, def;
	int r, k;

	switch (cls) {
	case XB_ALU64:
	case XB_ALU: {
		int is32 = cls == XB_ALU, src_k = XB_SRC(i->code) == XB_K;
		struct rval nv = unknown_val;

		if (op == XB_MOV) {
			if (src_k) {
				nv.f = F_CONST;
				nv.cval = is32 ? (int64_t)(uint32_t)i->imm :
					(int64_t)i->imm;
				nv.umax = (uint64_t)nv.cval;
				if (nv.cval >= 0)
					nv.f |= F_ZEXT;
				if (nv.cval == 0)
					nv.zdef[0] = rw->cur + 1;
			} else if (!is32) {
				nv = sv;
				nv.zcopy = LOC_REG(i->src_reg);
			} else {
				nv.f = F_ZEXT;
				nv.umax = RTE_MIN(sv.umax, UINT32_MAX);
				if (sv.f & F_CONST) {
					nv.f |= F_CONST;
					nv.cval = (uint32_t)sv.cval;
				}
				if (sv.f & F_ZEXT)
					nv.zcopy = LOC_REG(i->src_reg);
			}
			*d = nv;
			break;
		}
		if (op == XB_END) {
			nv.umax = i->imm == 16 ? UINT16_MAX :
				i->imm == 32 ? UINT32_MAX : UINT64_MAX;
			if (nv.umax != UINT64_MAX)
				nv.f = F_ZEXT;
			*d = nv;
			break;
		}
		/*
		 * pointer arithmetic the rewriter keeps track of: with a
		 * scalar, not with another pointer nor the context (the
		 * difference of two pointers is a scalar)
		 */
		if (!is32 && (op == XB_ADD || op == XB_SUB) &&
		    (d->f & F_PTR) &&
		    (src_k || !(sv.f & (F_PTR | F_CTX_MAY)))) {
			nv = *d;
			nv.f &= ~(F_CTX_MUST | F_CONST | F_ZEXT);
			memset(nv.zdef, 0, sizeof(nv.zdef));
			if (src_k || (sv.f & F_CONST))
				nv.voff += (op == XB_ADD ? 1 : -1) *
					(src_k ? (int64_t)i->imm : sv.cval);
			else
				nv.f |= F_VVAR;
			if ((d->f & F_PKT) && op == XB_ADD && !src_k)
				nv.umax = pkt_add_umax(rw, d, &sv,
					pkt_add_kind(rw, d, &sv));
			else if ((d->f & F_PKT) && src_k &&
				 (op == XB_ADD) == (i->imm > 0))
				nv.umax = umax_add(d->umax, i->imm > 0 ?
					(uint64_t)i->imm : -(uint64_t)i->imm);
			if (d->f & F_FP) {
				if (src_k) {
					nv.cval += op == XB_ADD ? i->imm :
						-(int64_t)i->imm;
					note_depth(rw, nv.cval);
				} else {
					nv.f &= ~F_FP;
					rw->depth_unknown = 1;
				}
			}
			if (d->f & F_CTX_MAY)
				nv.f |= F_CTX_MAY;
			*d = nv;
			break;
		}
		if (!is32 && op == XB_ADD && !src_k && (sv.f & F_PTR) &&
		    !(d->f & F_PTR)) {
			/* scalar += pointer: rewritten as pointer + scalar */
			nv = sv;
			nv.f &= ~(F_CTX_MUST | F_CONST | F_ZEXT);
			if (sv.f & F_PKT)
				nv.umax = pkt_add_umax(rw, &sv, d,
					pkt_add_kind(rw, &sv, d));
			if (d->f & F_CONST)
				nv.voff += d->cval;
			else
				nv.f |= F_VVAR;
			if (sv.f & F_FP) {
				nv.f &= ~F_FP;
				rw->depth_unknown = 1;
			}
			*d = nv;
			break;
		}
		nv.umax = alu_umax(op, src_k, d, &sv, i->imm, is32);
		if (src_k && op == XB_LSH && !is32)
			nv.lowz = RTE_MIN(64u, d->lowz + ((uint32_t)i->imm & 63));
		else if (src_k && op == XB_RSH && !is32)
			nv.lowz = d->lowz > ((uint32_t)i->imm & 63) ?
				d->lowz - ((uint32_t)i->imm & 63) : 0;
		if (is32 || nv.umax <= UINT32_MAX)
			nv.f |= F_ZEXT;
		if ((d->f & F_CONST) && (src_k || (sv.f & F_CONST)) &&
		    const_alu(op, is32, d->cval, src_k ? i->imm : sv.cval,
			    &nv.cval) == 0) {
			nv.f |= F_CONST;
			nv.umax = (uint64_t)nv.cval;
			if (nv.cval < 0)
				nv.f &= ~F_ZEXT;
		}
		/* derived from the context: not usable as the context */
		if ((d->f & F_CTX_MAY) || (!src_k && (sv.f & F_CTX_MAY)))
			nv.f |= F_CTX_MAY;
		/* arithmetic on an unchecked lookup result stays unchecked */
		if ((d->f & F_NUL) || (!src_k && (sv.f & F_NUL))) {
			nv.f |= F_NUL;
			nv.nid = (d->f & F_NUL) ? d->nid : sv.nid;
		}
		if ((d->f & F_FP) || (!src_k && (sv.f & F_FP)))
			rw->depth_unknown = 1;
		*d = nv;
		break;
	}
	case XB_LDX: {
		struct rval nv = unknown_val;
		int64_t fp_off = sv.cval + i->off;

		if (sv.f & F_CTX_MUST) {
			/* rewritten to a context field load */
			if (i->off == 0 || i->off == 8) {
				nv.f = F_PKT | F_PTR | (i->off == 0 ? F_PDATA : 0);
				nv.umax = 0;
			} else if (i->off != 4) {
				nv.f = F_ZEXT;
				nv.umax = UINT32_MAX;
			}
			*d = nv;
			break;
		}
		if (sv.f & F_FP) {
			note_depth(rw, fp_off);
			k = slot_of(fp_off);
			if (XB_SIZE(i->code) == XB_DW && k >= 0 &&
			    (s->slots & (1ull << k)) &&
			    !(s->s[k].f & F_LO32)) {
				*d = s->s[k];
				d->zcopy = LOC_SLOT(k);
				break;
			}
			/* a flag stored in 32 bits, loaded back */
			if (XB_SIZE(i->code) == XB_W && k >= 0 &&
			    (s->slots & (1ull << k)) &&
			    (s->s[k].f & F_LO32)) {
				*d = s->s[k];
				d->f &= ~F_LO32;
				d->zcopy = LOC_SLOT(k);
				break;
			}
		}
		nv.umax = size_umax(XB_SIZE(i->code));
		if (XB_SIZE(i->code) != XB_DW)
			nv.f = F_ZEXT;
		*d = nv;
		break;
	}
	case XB_ST:
	case XB_STX:
		if (d->f & F_FP) {
			int64_t off = d->cval + i->off;
			int64_t sl = (XB_STACK_SIZE + off) / 8;

			if (sl >= 0 && sl < XB_STACK_SIZE / 8 &&
			    xb_size_bytes(i->code) <
			    rw->res->stk_store_min[sl])
				rw->res->stk_store_min[sl] =
					xb_size_bytes(i->code);
			note_depth(rw, off);
			stk_clobber(s, off, xb_size_bytes(i->code));
			k = slot_of(off);
			if (cls == XB_STX && XB_MODE(i->code) == XB_MEM &&
			    XB_SIZE(i->code) == XB_DW && k >= 0) {
				s->s[k] = sv;
				s->s[k].zcopy = i->src_reg < XB_REG_FP ?
					LOC_REG(i->src_reg) : LOC_NONE;
				s->slots |= 1ull << k;
			} else if (XB_MODE(i->code) == XB_MEM &&
				   XB_SIZE(i->code) == XB_W && k >= 0) {
				s->s[k] = lo32_val(cls == XB_ST, i, &sv);
				s->slots |= 1ull << k;
			}
		}
		if (cls == XB_STX && XB_MODE(i->code) == XB_ATOMIC &&
		    (i->imm & 1)) {	/* BPF_FETCH */
			r = i->imm == 0xf1 ? 0 : i->src_reg;
			s->r[r] = unknown_val;
			if (XB_SIZE(i->code) == XB_W)
				s->r[r].umax = UINT32_MAX;
		}
		break;
	case XB_LD:
		if (i->code == XB_LD_IMM64) {
			*d = unknown_val;
			if (i->src_reg == XB_PSEUDO_MAP_FD) {
				d->map = x->map;
			} else if (i->src_reg == XB_PSEUDO_MAP_VALUE) {
				d->f = F_PTR;
			} else if (i->src_reg == XB_PSEUDO_FUNC) {
				uint32_t c;

				for (c = 0; c < rw->nb_cbs; c++)
					if (rw->cbs[c].out == rw->start[rw->cur])
						break;
				d->f = F_CB;
				d->cval = c;
			} else {
				d->f = F_CONST;
				d->cval = (int64_t)((uint64_t)(uint32_t)i->imm |
					(uint64_t)rw->code->v[rw->cur + 1].i.imm
					<< 32);
				d->umax = d->cval;
			}
		} else {
			for (r = 0; r <= 5; r++)
				s->r[r] = unknown_val;
		}
		break;
	case XB_JMP:
	case XB_JMP32:
		if (op == XB_CALL) {
			int have = xdpc_helper_info(i->imm, &hi) == 0;

			struct rte_xdp_map *m1 = NULL;

			if (have && hi.map_reg != 0)
				m1 = s->r[hi.map_reg].map;

			if (have && hi.write_reg != 0 &&
			    (s->r[hi.write_reg].f & F_FP)) {
				const struct rval *sz = &s->r[hi.write_size_reg];

				stk_clobber(s, s->r[hi.write_reg].cval,
					hi.write_size_reg != 0 &&
					(sz->f & F_CONST) ? sz->cval :
					XB_STACK_SIZE);
			}
			for (r = 0; r <= 5; r++)
				s->r[r] = unknown_val;
			if (have && hi.ret_value) {
				s->r[0].f = F_PTR | F_NUL;
				s->r[0].nid = rw->cur + 1;
				/* a map of maps gives an inner map */
				if (m1 != NULL)
					s->r[0].map = m1->inner_tmpl;
				/* any other map one of its values */
				if (m1 != NULL && m1->inner_tmpl == NULL)
					s->r[0].vmap = m1;
			}
			break;
		}
		if (op == XB_EXIT || op == XB_JA)
			break;
		/* a NULL check of a lookup result: non-NULL on one edge */
		if ((op == XB_JEQ || op == XB_JNE) && (d->f & F_NUL) &&
		    ((XB_SRC(i->code) == XB_K && i->imm == 0) ||
		     (XB_SRC(i->code) == XB_X && (sv.f & F_CONST) &&
		      sv.cval == 0))) {
			struct astate *nn = op == XB_JEQ ? s : taken;
			uint32_t id = d->nid;

			nn->r[i->dst_reg].f &= ~F_NUL;
			for (r = 0; r < NREG && id != 0; r++)
				if (nn->r[r].nid == id)
					nn->r[r].f &= ~F_NUL;
			for (k = 0; k < NSLOT && id != 0; k++)
				if ((nn->slots & (1ull << k)) &&
				    nn->s[k].nid == id)
					nn->s[k].f &= ~F_NUL;
		}
		/* a flag that marks values non-NULL where it is (not) 0;
		 * a 32-bit test tells only of a zero-extended flag */
		if ((op == XB_JEQ || op == XB_JNE) && !(d->f & F_NUL) &&
		    i->dst_reg < XB_REG_FP &&
		    (cls == XB_JMP || (d->f & F_ZEXT)) &&
		    ((XB_SRC(i->code) == XB_K && i->imm == 0) ||
		     (XB_SRC(i->code) == XB_X && (sv.f & F_CONST) &&
		      sv.cval == 0))) {
			guard_test(op == XB_JEQ ? s : taken, i->dst_reg, 1,
				!rw->depth_unknown);
			guard_test(op == XB_JEQ ? taken : s, i->dst_reg, 0,
				!rw->depth_unknown);
		}
		jump_narrow(i, s, taken);
		break;
	default:
		break;
	}
	use_def(i, &use, &def);
	if (zero_kept(i, &dv))
		def &= ~(1u << i->dst_reg);
	for (r = 0; r < XB_REG_FP; r++)
		if (def & (1u << r))
			guard_forget(s, LOC_REG(r), def);
}

/* Registers read and written by an instruction (for liveness). */
static void
use_def(const struct xinsn *i, uint16_t *use, uint16_t *def)
{
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	uint16_t db = 1u << i->dst_reg, sb = 1u << i->src_reg;
	struct xdpc_helper_info hi;

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
			/* exactly the helper's arguments: R1-R5 past them
			 * are undefined for rte_bpf after any call */
			if (i->src_reg == 0 && xdpc_helper_info(i->imm, &hi) == 0)
				*use = ((1u << hi.nb_args) - 1) << 1;
			else
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

static int
put(struct rw *rw, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
	int32_t imm)
{
	struct xins x = {
		.i = { .code = code, .dst_reg = dst, .src_reg = src,
			.off = off, .imm = imm },
		.orig = rw->code->v[rw->cur].orig,
		.sec = rw->code->v[rw->cur].sec,
		.target = -1,
		.notes = rw->note,
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

/* Store or load a register to a reserved spill slot (offset patched once
 * the program's stack depth is known). */
static int
put_spill(struct rw *rw, int store, int reg, int slot)
{
	int ret;

	if (store)
		ret = put(rw, XB_STX | XB_MEM | XB_DW, XB_REG_FP, reg, 0, 0);
	else
		ret = put(rw, XB_LDX | XB_MEM | XB_DW, reg, XB_REG_FP, 0, 0);
	if (ret == 0) {
		rw->out.v[rw->out.n - 1].spill = slot;
		rw->out.v[rw->out.n - 1].notes |= RTE_XDP_XLATED_SPILL;
	}
	return ret;
}

static uint16_t
live_out(const struct rw *rw, uint32_t i)
{
	const struct xins *x = &rw->code->v[i];
	uint8_t cls = XB_CLASS(x->i.code), op = XB_OP(x->i.code);
	uint32_t next = i + (x->i.code == XB_LD_IMM64 ? 2 : 1);
	uint16_t l = 0;

	if (!((cls == XB_JMP || cls == XB_JMP32) &&
	      (op == XB_EXIT || op == XB_JA)) && next < rw->code->n)
		l |= rw->live_in[next];
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

/* A scratch register: a dead one, else one saved to spill slot 'slot'. */
struct tmp {
	int reg;
	int slot;	/* 0: not spilled */
};

static int
tmp_get(struct rw *rw, uint16_t avoid, uint16_t live, int slot,
	struct tmp *t)
{
	int r = pick_temp(avoid | live | (1u << XB_REG_FP));

	t->slot = 0;
	if (r >= 0) {
		t->reg = r;
		return 0;
	}
	r = pick_temp(avoid | (1u << XB_REG_FP));
	if (r < 0)
		return -ENOSPC;
	t->reg = r;
	t->slot = slot;
	rw->res->nb_spills++;
	return put_spill(rw, 1, r, slot);
}

static int
tmp_restore(struct rw *rw, const struct tmp *t)
{
	return t->slot != 0 ? put_spill(rw, 0, t->reg, t->slot) : 0;
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

/*
 * The final conditional jump of a JMP32 sequence. With spilled scratch
 * registers both edges restore them first:
 *	jcc  -> taken
 *	restore; ja next
 * taken:	restore; ja target
 * next:
 */
static int
put_jcc_restore(struct rw *rw, uint8_t code, uint8_t dst, uint8_t src,
	int32_t imm, const struct tmp *t, int nt)
{
	int n = 0, k, ret;

	for (k = 0; k < nt; k++)
		n += t[k].slot != 0;
	if (n == 0)
		return put_jump(rw, code, dst, src, imm);
	ret = put(rw, code, dst, src, n + 1, imm);
	for (k = 0; k < nt && ret == 0; k++)
		ret = tmp_restore(rw, &t[k]);
	if (ret == 0)
		ret = put(rw, XB_JMP | XB_JA, 0, 0, n + 1, 0);
	for (k = 0; k < nt && ret == 0; k++)
		ret = tmp_restore(rw, &t[k]);
	if (ret == 0)
		ret = put_jump(rw, XB_JMP | XB_JA, 0, 0, 0);
	return ret;
}

/*
 * if dst & imm goto (JMP, or JMP32 on the low halves). DPDK 22.11's x86
 * JIT encodes "test $imm, %reg" (0xF7 /0, a 4-byte immediate) with a
 * 1-byte immediate when imm fits in 8 bits: the next 3 bytes of code are
 * taken as the rest of it, and the program runs off into garbage. So:
 *	t = dst (32 bits for JMP32); t &= imm; if t != 0 goto
 */
static int
lower_jset_imm(struct rw *rw, uint8_t d, int32_t imm, int is32)
{
	struct tmp t;
	int ret;

	rw->note |= RTE_XDP_XLATED_JSET_IMM;
	ret = tmp_get(rw, 1u << d, live_out(rw, rw->cur), 1, &t);
	if (ret == -ENOSPC) {
		RW_ERR(rw, "a test against a constant (JSET) needs a scratch register and none can be used");
		return -ENOTSUP;
	}
	if (ret == 0)
		ret = put(rw, (is32 ? XB_ALU : XB_ALU64) | XB_MOV | XB_X,
			t.reg, d, 0, 0);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_AND | XB_K, t.reg, 0, 0, imm);
	return ret != 0 ? ret : put_jcc_restore(rw, XB_JMP | XB_JNE | XB_K,
		t.reg, 0, 0, &t, 1);
}

static int
lower_jmp32(struct rw *rw, const struct xins *x, const struct astate *s)
{
	const struct xinsn *i = &x->i;
	uint8_t op = XB_OP(i->code), d = i->dst_reg, sr = i->src_reg;
	int is_x = XB_SRC(i->code) == XB_X;
	int zd = (s->r[d].f & F_ZEXT) != 0;
	int zs = is_x && (s->r[sr].f & F_ZEXT);
	int sign = op == XB_JSGT || op == XB_JSGE || op == XB_JSLT ||
		op == XB_JSLE;
	uint16_t live = live_out(rw, rw->cur);
	uint16_t avoid = (1u << d) | (is_x ? 1u << sr : 0);
	struct tmp t[2];
	int ret;

	rw->note |= RTE_XDP_XLATED_JMP32;
	if (op == XB_JSET && !is_x)
		return lower_jset_imm(rw, d, i->imm, 1);
	if (!sign && !is_x && zd && i->imm >= 0)
		return put_jump(rw, XB_JMP | op | XB_K, d, 0, i->imm);
	if (!sign && is_x && zd && zs)
		return put_jump(rw, XB_JMP | op | XB_X, d, sr, 0);
	ret = tmp_get(rw, avoid, live, 1, &t[0]);
	if (ret == -ENOSPC)
		goto no_reg;
	if (ret != 0)
		return ret;
	if (!is_x) {
		if (sign || ((op == XB_JEQ || op == XB_JNE) && i->imm < 0)) {
			ret = put_sext32(rw, t[0].reg, d);
			return ret ? ret : put_jcc_restore(rw, XB_JMP | op | XB_K,
				t[0].reg, 0, i->imm, t, 1);
		}
		if (i->imm >= 0) {
			ret = put(rw, XB_ALU | XB_MOV | XB_X, t[0].reg, d, 0, 0);
			return ret ? ret : put_jcc_restore(rw, XB_JMP | op | XB_K,
				t[0].reg, 0, i->imm, t, 1);
		}
		/* unsigned order against imm >= 2^31: flip the sign bits */
		ret = put(rw, XB_ALU | XB_MOV | XB_X, t[0].reg, d, 0, 0);
		if (ret == 0)
			ret = put(rw, XB_ALU | XB_XOR | XB_K, t[0].reg, 0, 0,
				INT32_MIN);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_LSH | XB_K, t[0].reg, 0, 0,
				32);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_ARSH | XB_K, t[0].reg, 0, 0,
				32);
		if (ret != 0)
			return ret;
		op = op == XB_JGT ? XB_JSGT : op == XB_JGE ? XB_JSGE :
			op == XB_JLT ? XB_JSLT : XB_JSLE;
		return put_jcc_restore(rw, XB_JMP | op | XB_K, t[0].reg, 0,
			(int32_t)((uint32_t)i->imm ^ 0x80000000u), t, 1);
	}
	/* register operand */
	if (!sign && zd) {
		ret = put(rw, XB_ALU | XB_MOV | XB_X, t[0].reg, sr, 0, 0);
		return ret ? ret : put_jcc_restore(rw, XB_JMP | op | XB_X, d,
			t[0].reg, 0, t, 1);
	}
	if (!sign && zs) {
		ret = put(rw, XB_ALU | XB_MOV | XB_X, t[0].reg, d, 0, 0);
		return ret ? ret : put_jcc_restore(rw, XB_JMP | op | XB_X,
			t[0].reg, sr, 0, t, 1);
	}
	ret = tmp_get(rw, avoid | (1u << t[0].reg), live, 2, &t[1]);
	if (ret == -ENOSPC)
		goto no_reg;
	if (ret != 0)
		return ret;
	if (sign) {
		ret = put_sext32(rw, t[0].reg, d);
		if (ret == 0)
			ret = put_sext32(rw, t[1].reg, sr);
	} else {
		ret = put(rw, XB_ALU | XB_MOV | XB_X, t[0].reg, d, 0, 0);
		if (ret == 0)
			ret = put(rw, XB_ALU | XB_MOV | XB_X, t[1].reg, sr, 0, 0);
	}
	return ret ? ret : put_jcc_restore(rw, XB_JMP | op | XB_X, t[0].reg,
		t[1].reg, 0, t, 2);
no_reg:
	RW_ERR(rw, "JMP32 needs a scratch register and none can be used");
	return -ENOTSUP;
}

static int
lower_arsh32(struct rw *rw, const struct xinsn *i)
{
	int ret;

	rw->note |= RTE_XDP_XLATED_ARSH32;
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

/*
 * DIV or MOD by a register gets the kernel's result for a zero divisor
 * (x / 0 = 0, x % 0 = x, 32-bit results zero-extended) where rte_bpf
 * would end the program.
 *
 * DIV/MOD of a register by itself: x / x is 1 (0 for x = 0), x % x is 0.
 * DPDK 22.11's x86 JIT divides by a scratch register it never loaded
 * when both operands are the register it maps to RAX or RDX (SIGFPE).
 */
static int
lower_divmod_self(struct rw *rw, const struct xinsn *i)
{
	int ret = 0;

	if (XB_OP(i->code) == XB_MOD)
		return put(rw, XB_ALU64 | XB_MOV | XB_K, i->dst_reg, 0, 0, 0);
	if (XB_CLASS(i->code) == XB_ALU)
		ret = put(rw, XB_ALU | XB_MOV | XB_X, i->dst_reg, i->dst_reg,
			0, 0);
	if (ret == 0)
		ret = put(rw, XB_JMP | XB_JEQ | XB_K, i->dst_reg, 0, 1, 0);
	return ret ? ret : put(rw, XB_ALU64 | XB_MOV | XB_K, i->dst_reg, 0,
		0, 1);
}

/*
 * 32-bit DIV/MOD by a register, done in 64 bits on the zero-extended
 * operands (the quotient and the remainder fit in 32 bits): DPDK 22.11's
 * x86 JIT tests a 32-bit divisor with a 32-bit CMOV into RAX, which
 * clears R0's upper half even when the divisor is not zero (a map value
 * pointer in R0 becomes a 32-bit address).
 *	mov32 dst, dst
 *	[mov32 t, src]		src not known to be zero-extended
 *	jne t, 0, +n
 *	[restore t] [mov dst, 0 (div)]
 *	ja +m
 *	div64 dst, t
 *	[restore t]
 */
static int
lower_divmod32(struct rw *rw, const struct xinsn *i, const struct astate *s)
{
	int div = XB_OP(i->code) == XB_DIV, ret, z_len, nz_len;
	struct tmp t = { .reg = i->src_reg, .slot = 0 };

	ret = put(rw, XB_ALU | XB_MOV | XB_X, i->dst_reg, i->dst_reg, 0, 0);
	if (ret == 0 && !(s->r[i->src_reg].f & F_ZEXT)) {
		ret = tmp_get(rw, (1u << i->dst_reg) | (1u << i->src_reg),
			live_out(rw, rw->cur), 1, &t);
		if (ret == -ENOSPC) {
			RW_ERR(rw, "32-bit division needs a scratch register and none can be used");
			return -ENOTSUP;
		}
		if (ret == 0)
			ret = put(rw, XB_ALU | XB_MOV | XB_X, t.reg, i->src_reg,
				0, 0);
	}
	if (ret != 0)
		return ret;
	/* by zero: dst 0 (div) or dst zero-extended (mod, done above) */
	z_len = (t.slot != 0) + div;
	nz_len = 1 + (t.slot != 0);
	if (z_len == 0) {
		ret = put(rw, XB_JMP | XB_JEQ | XB_K, t.reg, 0, nz_len, 0);
	} else {
		ret = put(rw, XB_JMP | XB_JNE | XB_K, t.reg, 0, z_len + 1, 0);
		if (ret == 0)
			ret = tmp_restore(rw, &t);
		if (ret == 0 && div)
			ret = put(rw, XB_ALU64 | XB_MOV | XB_K, i->dst_reg, 0,
				0, 0);
		if (ret == 0)
			ret = put(rw, XB_JMP | XB_JA, 0, 0, nz_len, 0);
	}
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_OP(i->code) | XB_X, i->dst_reg,
			t.reg, 0, 0);
	return ret ? ret : tmp_restore(rw, &t);
}

/*
 * 64-bit DIV/MOD by another register:
 *	jne src, 0, +2
 *	[mov dst, 0 (div)]
 *	ja +1
 *	div dst, src
 */
static int
lower_divmod(struct rw *rw, const struct xinsn *i, const struct astate *s)
{
	int ret;

	rw->note |= RTE_XDP_XLATED_DIVMOD;
	if (i->src_reg == i->dst_reg)
		return lower_divmod_self(rw, i);
	if (XB_CLASS(i->code) == XB_ALU)
		return lower_divmod32(rw, i, s);
	if (XB_OP(i->code) == XB_MOD) {
		ret = put(rw, XB_JMP | XB_JEQ | XB_K, i->src_reg, 0, 1, 0);
	} else {
		ret = put(rw, XB_JMP | XB_JNE | XB_K, i->src_reg, 0, 2, 0);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_MOV | XB_K, i->dst_reg, 0,
				0, 0);
		if (ret == 0)
			ret = put(rw, XB_JMP | XB_JA, 0, 0, 1, 0);
	}
	return ret ? ret : put(rw, i->code, i->dst_reg, i->src_reg, 0, 0);
}

/*
 * dst = ptr + off where rte_bpf must see the result as a pointer with a
 * bounded offset. ptr_reg holds the pointer, off_reg the offset; res is
 * the register that gets the result (ptr_reg or another one). With
 * clamp, an offset above the clamp limit (or negative) is replaced by the
 * limit; the three tests narrow both the unsigned and the signed bounds
 * rte_bpf keeps, on the path that adds the register. That path is their
 * taken edges, which rte_bpf's validator walks first: the states it saves
 * after the sequence are the widest, the clamped path's are within them
 * and pruned (see xdp_converge.c):
 *	jle off, L, +1; ja CL; jsle off, L, +1; ja CL; jsge off, 0, IN
 *	CL: [res = ptr;] res += L; ja END
 *	IN: [res = ptr;] res += off
 */
static int
put_ptr_add_limit(struct rw *rw, int res, int ptr_reg, int off_reg, int clamp,
	uint32_t limit)
{
	int ret = 0, copy = res != ptr_reg;

	if (clamp) {
		ret = put(rw, XB_JMP | XB_JLE | XB_K, off_reg, 0, 1, limit);
		if (ret == 0)
			ret = put(rw, XB_JMP | XB_JA, 0, 0, 3, 0);
		if (ret == 0)
			ret = put(rw, XB_JMP | XB_JSLE | XB_K, off_reg, 0, 1,
				limit);
		if (ret == 0)
			ret = put(rw, XB_JMP | XB_JA, 0, 0, 1, 0);
		if (ret == 0)
			ret = put(rw, XB_JMP | XB_JSGE | XB_K, off_reg, 0,
				2 + copy, 0);
		if (ret == 0 && copy)
			ret = put(rw, XB_ALU64 | XB_MOV | XB_X, res, ptr_reg,
				0, 0);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_ADD | XB_K, res, 0, 0,
				limit);
		if (ret == 0)
			ret = put(rw, XB_JMP | XB_JA, 0, 0, 1 + copy, 0);
	}
	if (ret == 0 && copy)
		ret = put(rw, XB_ALU64 | XB_MOV | XB_X, res, ptr_reg, 0, 0);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_ADD | XB_X, res, off_reg, 0, 0);
	return ret;
}

static int
put_ptr_add(struct rw *rw, int res, int ptr_reg, int off_reg, int clamp)
{
	int ret;

	if (clamp)
		rw->note |= RTE_XDP_XLATED_CLAMP;
	ret = put_ptr_add_limit(rw, res, ptr_reg, off_reg, clamp, rw->clamp);
	if (ret == 0 && clamp)
		rw->res->nb_clamps++;
	return ret;
}

/*
 * A variable offset the analysis bounds (umax) but rte_bpf may not (its
 * 32-bit arithmetic loses signed bounds): the same tests with that bound
 * tell rte_bpf; the "clamp" path is never taken, so frames need no
 * clamp limit. Used when rte_bpf refused the program without them.
 */
static int
put_ptr_add_hint(struct rw *rw, int res, int ptr_reg, int off_reg,
	uint64_t umax)
{
	uint64_t mask;
	int ret;

	if (!rw->prog->hint_ptr_adds || umax > rw->prog->pkt_window ||
	    umax == 0)
		return put_ptr_add(rw, res, ptr_reg, off_reg, 0);
	rw->note |= RTE_XDP_XLATED_PTR_ADD;
	/* a mask the value is within: no branch for the validator to walk
	 * (the offset keeps its value, so its register may stay live) */
	mask = rte_align64pow2(umax + 1) - 1;
	if (mask + XDPC_CLAMP_SLACK <= rw->prog->pkt_window) {
		ret = put(rw, XB_ALU64 | XB_AND | XB_K, off_reg, 0, 0,
			(int32_t)mask);
		return ret ? ret : put_ptr_add(rw, res, ptr_reg, off_reg, 0);
	}
	return put_ptr_add_limit(rw, res, ptr_reg, off_reg, 1, umax);
}

/*
 * reg = data (the packet pointer at offset 0), loaded through a register
 * or a stack slot holding the context, or through the context saved at
 * entry (asked for when neither is there: the program is rewritten again).
 */
static int
put_load_data(struct rw *rw, const struct astate *s, int reg)
{
	int r, k, ret;

	for (r = 0; r < NREG; r++)
		if (s->r[r].f & F_CTX_MUST)
			return put(rw, XB_LDX | XB_MEM | XB_DW, reg, r,
				XDPC_CTX_DATA, 0);
	for (k = 0; k < NSLOT; k++)
		if ((s->slots & (1ull << k)) && (s->s[k].f & F_CTX_MUST))
			break;
	if (k < NSLOT)
		ret = put(rw, XB_LDX | XB_MEM | XB_DW, reg, XB_REG_FP,
			-8 * (k + 1), 0);
	else if (rw->ctx_slot)
		ret = put_spill(rw, 0, reg, CTX_SPILL_SLOT);
	else if (rw->prog->cb_kind != 0) {
		RW_ERR(rw, "a bpf_loop callback has no context to find the packet in");
		return -ENOTSUP;
	} else {
		rw->want_ctx_slot = 1;
		RW_ERR(rw, "no register holds the context: rewrite again");
		return -EAGAIN;
	}
	return ret ? ret : put(rw, XB_LDX | XB_MEM | XB_DW, reg, reg,
		XDPC_CTX_DATA, 0);
}

/*
 * res holds a packet pointer that data plus any offset: its offset from
 * data is clamped to the clamp limit (a negative one too), so that rte_bpf
 * sees it within the window however many offsets were added to it:
 *	[save t] t = data; res -= t
 *	jle res, L, +1; ja CL; jsle res, L, +1; ja CL; jsge res, 0, IN
 *	CL: res = L
 *	IN: t += res; res = t [restore t]
 * (the path in the window first, as in put_ptr_add_limit()).
 * The pointer a clamped offset gives is past data_end, as with PA_CLAMP.
 */
static int
put_pkt_clamp_total(struct rw *rw, const struct astate *s, int res)
{
	struct tmp t;
	int ret;

	rw->note |= RTE_XDP_XLATED_CLAMP;
	ret = tmp_get(rw, 1u << res, live_out(rw, rw->cur), 1, &t);
	if (ret == -ENOSPC) {
		RW_ERR(rw, "clamping a packet offset needs a scratch register and none can be used");
		return -ENOTSUP;
	}
	if (ret == 0)
		ret = put_load_data(rw, s, t.reg);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_SUB | XB_X, res, t.reg, 0, 0);
	if (ret == 0)
		ret = put(rw, XB_JMP | XB_JLE | XB_K, res, 0, 1, rw->clamp);
	if (ret == 0)
		ret = put(rw, XB_JMP | XB_JA, 0, 0, 3, 0);
	if (ret == 0)
		ret = put(rw, XB_JMP | XB_JSLE | XB_K, res, 0, 1, rw->clamp);
	if (ret == 0)
		ret = put(rw, XB_JMP | XB_JA, 0, 0, 1, 0);
	if (ret == 0)
		ret = put(rw, XB_JMP | XB_JSGE | XB_K, res, 0, 1, 0);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_MOV | XB_K, res, 0, 0, rw->clamp);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_ADD | XB_X, t.reg, res, 0, 0);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_MOV | XB_X, res, t.reg, 0, 0);
	if (ret == 0)
		ret = tmp_restore(rw, &t);
	if (ret == 0)
		rw->res->nb_clamps++;
	return ret;
}

/*
 * A map value pointer plus an offset the analysis bounds (such as
 * "(~x << 2) & 8", 0 or 8) that rte_bpf bounds by a power of two less 1:
 * on the rewrite that tells rte_bpf the bounds, the offset is tested
 * against the analysis' bound, a test never true when the program runs.
 */
static int
value_hint(const struct rw *rw, const struct rval *p, const struct rval *o)
{
	return rw->prog->hint_ptr_adds && p->vmap != NULL &&
		!(p->f & (F_PKT | F_FP)) && !(o->f & F_CONST) &&
		o->umax != 0 && o->umax < p->vmap->def.value_size;
}

/* ALU64 ADD X where one side is a pointer. */
static int
rewrite_ptr_add(struct rw *rw, const struct xinsn *i, const struct astate *s)
{
	const struct rval *d = &s->r[i->dst_reg], *sv = &s->r[i->src_reg];
	uint16_t live = live_out(rw, rw->cur);
	struct tmp t;
	int clamp, ret;

	if (((d->f & F_PTR) && pkt_add_kind(rw, d, sv) == PA_TOTAL) ||
	    (!(d->f & F_PTR) && pkt_add_kind(rw, sv, d) == PA_TOTAL)) {
		/* the sum is rebuilt from data: which side was the pointer
		 * does not matter to rte_bpf */
		ret = put(rw, i->code, i->dst_reg, i->src_reg, 0, 0);
		return ret ? ret : put_pkt_clamp_total(rw, s, i->dst_reg);
	}
	if (d->f & F_PTR) {
		clamp = rw->clamp != 0 && (d->f & F_PKT) &&
			sv->umax > rw->clamp;
		if (!clamp && (d->f & F_PKT) && !(sv->f & F_CONST))
			return put_ptr_add_hint(rw, i->dst_reg, i->dst_reg,
				i->src_reg, sv->umax);
		if (!clamp && value_hint(rw, d, sv))
			return put_ptr_add_limit(rw, i->dst_reg, i->dst_reg,
				i->src_reg, 1, sv->umax);
		if (!clamp)
			return put(rw, i->code, i->dst_reg, i->src_reg, 0, 0);
		return put_ptr_add(rw, i->dst_reg, i->dst_reg, i->src_reg, 1);
	}
	/* scalar += pointer: rte_bpf would type the sum as a scalar */
	clamp = rw->clamp != 0 && (sv->f & F_PKT) && d->umax > rw->clamp;
	if (i->dst_reg == i->src_reg)
		return put(rw, i->code, i->dst_reg, i->src_reg, 0, 0);
	rw->note |= RTE_XDP_XLATED_PTR_ADD;
	if (!(live & (1u << i->src_reg)) && !clamp) {
		/* the pointer register dies here: add into it */
		if ((sv->f & F_PKT) && !(d->f & F_CONST))
			ret = put_ptr_add_hint(rw, i->src_reg, i->src_reg,
				i->dst_reg, d->umax);
		else
			ret = put(rw, XB_ALU64 | XB_ADD | XB_X, i->src_reg,
				i->dst_reg, 0, 0);
		return ret ? ret : put(rw, XB_ALU64 | XB_MOV | XB_X,
			i->dst_reg, i->src_reg, 0, 0);
	}
	ret = tmp_get(rw, (1u << i->dst_reg) | (1u << i->src_reg), live, 1,
		&t);
	if (ret == -ENOSPC) {
		RW_ERR(rw, "scalar += pointer needs a scratch register and none can be used");
		return -ENOTSUP;
	}
	if (ret == 0 && !clamp && (sv->f & F_PKT) && !(d->f & F_CONST))
		ret = put_ptr_add_hint(rw, t.reg, i->src_reg, i->dst_reg,
			d->umax);
	else if (ret == 0)
		ret = put_ptr_add(rw, t.reg, i->src_reg, i->dst_reg, clamp);
	if (ret == 0)
		ret = put(rw, XB_ALU64 | XB_MOV | XB_X, i->dst_reg, t.reg, 0, 0);
	if (ret == 0)
		ret = tmp_restore(rw, &t);
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
		{ 12, XB_W, XDPC_CTX_INGRESS },
		{ 16, XB_W, XDPC_CTX_RXQ },
		{ 20, XB_W, XDPC_CTX_EGRESS },
	};
	unsigned int k;
	int ret;

	rw->note |= RTE_XDP_XLATED_CTX_LOAD;
	if (XB_SIZE(i->code) == XB_W && i->off == 8) {
		/* data_meta: through the meta view, typed as a packet
		 * pointer by rte_bpf (see struct xdpc_ctx) */
		ret = put(rw, XB_LDX | XB_MEM | XB_DW, i->dst_reg, i->src_reg,
			XDPC_CTX_META_VIEW, 0);
		return ret ? ret : put(rw, XB_LDX | XB_MEM | XB_DW, i->dst_reg,
			i->dst_reg, 0, 0);
	}
	if (XB_SIZE(i->code) == XB_W && i->off == 20 &&
	    rw->prog->attach != RTE_XDP_ATTACH_DEVMAP) {
		RW_ERR(rw, "egress_ifindex is only readable in SEC(\"xdp/devmap\") programs");
		return -EACCES;
	}
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

/*
 * The map types a helper may get (the kernel's
 * check_map_func_compatibility(), for the maps that only take their own
 * helpers and the helpers that only take one kind of map).
 */
static int
map_helper_ok(uint32_t type, int32_t helper)
{
	switch (type) {
	case RTE_XDP_MAP_PROG_ARRAY:
		return helper == 12;
	case RTE_XDP_MAP_PERF_EVENT_ARRAY:
		return helper == 25;
	case RTE_XDP_MAP_RINGBUF:
		return helper == 130 || helper == 131 || helper == 134;
	case RTE_XDP_MAP_ARRAY_OF_MAPS:
	case RTE_XDP_MAP_HASH_OF_MAPS:
		return helper == 1;
	default:
		break;
	}
	switch (helper) {
	case 12:
	case 25:
	case 130:
	case 131:
	case 134:
		return 0;	/* their map types are all above */
	case 51:
		return type == RTE_XDP_MAP_DEVMAP ||
			type == RTE_XDP_MAP_DEVMAP_HASH ||
			type == RTE_XDP_MAP_CPUMAP || type == RTE_XDP_MAP_XSKMAP;
	default:
		return 1;
	}
}

/*
 * bpf_loop(): R2 must be a callback address this program loaded, R3 a
 * pointer into its stack (the callback gets the bytes from there to the
 * top of the stack) or NULL. One address serves one context size.
 */
static int
loop_call(struct rw *rw, const struct astate *s, struct xdpc_call_site *cs)
{
	const struct rval *cb = &s->r[2], *ctx = &s->r[3];
	struct cb_ref *ref;
	uint32_t size;

	if (!(cb->f & F_CB) || (uint64_t)cb->cval >= rw->nb_cbs) {
		RW_ERR(rw, "bpf_loop: R2 is not a callback function of this program");
		return -EACCES;
	}
	if ((ctx->f & F_FP) && ctx->cval < 0 &&
	    ctx->cval >= -(int64_t)XB_STACK_SIZE) {
		size = -ctx->cval;
	} else if ((ctx->f & F_CONST) && ctx->cval == 0) {
		size = 0;
	} else {
		RW_ERR(rw, "bpf_loop: the callback context (R3) must be NULL or a pointer into the stack");
		return -ENOTSUP;
	}
	ref = &rw->cbs[cb->cval];
	if (ref->used && ref->ctx_size != size) {
		RW_ERR(rw, "bpf_loop: one callback used with two context sizes");
		return -ENOTSUP;
	}
	ref->used = 1;
	ref->ctx_size = size;
	ref->orig = rw->code->v[rw->cur].orig;
	cs->cb_ctx_size = size;
	/* cs->cb is set once the callbacks exist (xdpc_rewrite) */
	return 0;
}

/*
 * An access of size bytes (0: not known) at off from p that may touch the
 * struct bpf_spin_lock of a map value: the kernel refuses it, for loads,
 * stores and helpers alike ("bpf_spin_lock cannot be accessed directly by
 * load/store"); a lock word written so would be spun on.
 */
static int
lock_word_access(struct rw *rw, const struct rval *p, int64_t off,
	uint32_t size)
{
	const struct rte_xdp_map *m = p->vmap;
	int64_t lo = p->voff + off;

	if (m == NULL || !m->has_spin_lock)
		return 0;
	if (p->f & F_VVAR) {
		RW_ERR(rw, "variable offset access into a value of map %s, which holds a struct bpf_spin_lock",
			m->name);
		return 1;
	}
	if (size != 0 && (lo + size <= m->spin_lock_off ||
	    lo >= m->spin_lock_off + XDPC_SPIN_LOCK_SIZE))
		return 0;
	RW_ERR(rw, "bpf_spin_lock cannot be accessed directly by load/store (map %s, value offset %" PRId64 "%s)",
		m->name, lo, size != 0 ? "" : ", size not known");
	return 1;
}

/*
 * A call whose map argument depends on the branch taken (clang merged
 * two calls on different maps into one): the helper gets the map at run
 * time, as every helper does, and rte_bpf types the call site with one
 * map of the set whose sizes are safe for all: the largest key (read
 * from the key pointer), the smallest value for a lookup's result, the
 * largest for an update's value. NULL (error set) when no map is.
 */
static struct rte_xdp_map *
map_of_set(struct rw *rw, int32_t helper, const struct xdpc_helper_info *hi,
	struct rte_xdp_map *const *mset)
{
	struct rte_xdp_map *m, *best = NULL, *other = NULL;
	int keyed = helper == 1 || helper == 2 || helper == 3 || helper == 195;
	uint32_t k;

	for (k = 0; k < MSET_MAX && mset[k] != NULL; k++) {
		m = mset[k];
		if (!map_helper_ok(m->def.type, helper)) {
			RW_ERR(rw, "cannot pass map_type %u (map %s) into func bpf_%s#%d",
				m->def.type, m->name, xdpc_helper_name(helper),
				helper);
			return NULL;
		}
		if (m->inner_tmpl != NULL || m->has_spin_lock) {
			RW_ERR(rw, "%s: R%u is one of several maps, %s among them: a map of maps or a map with a struct bpf_spin_lock must reach its call alone",
				xdpc_helper_name(helper), hi->map_reg, m->name);
			return NULL;
		}
		if (best == NULL || (keyed &&
		    (m->def.key_size > best->def.key_size ||
		     (m->def.key_size == best->def.key_size &&
		      (hi->ret_value ? m->def.value_size < best->def.value_size :
		       m->def.value_size > best->def.value_size)))))
			best = m;
	}
	for (k = 0; k < MSET_MAX && mset[k] != NULL && best != NULL; k++) {
		m = mset[k];
		if (keyed && (hi->ret_value ?
		    m->def.value_size < best->def.value_size :
		    helper == 2 && m->def.value_size > best->def.value_size))
			other = m;
	}
	if (best == NULL || other != NULL) {
		RW_ERR(rw, "%s: R%u is map %s or map %s, which differ in key and value sizes: rte_bpf types a call site with one of each",
			xdpc_helper_name(helper), hi->map_reg,
			best != NULL ? best->name : "?",
			other != NULL ? other->name : "?");
		return NULL;
	}
	return best;
}

/* XDPC_DIRECT_*: the array kind all the maps that may reach r are of. */
static uint8_t
direct_lookup(const struct rval *r)
{
	const struct rte_xdp_map *one = r->map != NULL ? r->map : r->mset[0];
	uint32_t k;

	if (one == NULL)
		return XDPC_DIRECT_NONE;
	for (k = 0; r->map == NULL && k < MSET_MAX && r->mset[k] != NULL; k++)
		if (r->mset[k]->def.type != one->def.type)
			return XDPC_DIRECT_NONE;
	switch (one->def.type) {
	case RTE_XDP_MAP_ARRAY:
		return XDPC_DIRECT_ARRAY;
	case RTE_XDP_MAP_PERCPU_ARRAY:
		return XDPC_DIRECT_PERCPU_ARRAY;
	default:
		return XDPC_DIRECT_NONE;
	}
}

static int
rewrite_call(struct rw *rw, const struct xinsn *i, const struct astate *s)
{
	struct xdpc_rewrite_out *res = rw->res;
	struct xdpc_call_site *cs, *nc;
	struct xdpc_helper_info hi;
	int r, ret;

	if (i->src_reg != 0) {
		RW_ERR(rw, "call kind %u (kfunc) not supported", i->src_reg);
		return -ENOTSUP;
	}
	if (xdpc_helper_info(i->imm, &hi) != 0) {
		RW_ERR(rw, "unknown or unsupported helper %d (%s)", i->imm,
			xdpc_helper_name(i->imm));
		return -ENOTSUP;
	}
	for (r = 1; r <= hi.nb_args; r++) {
		const struct rval *a = &s->r[r];
		uint8_t bit = 1u << (r - 1);

		if ((hi.ptr_args & bit) && (a->f & F_NUL)) {
			RW_ERR(rw, "%s: R%d may be NULL (map lookup result not checked)",
				xdpc_helper_name(i->imm), r);
			return -EACCES;
		}
		/* what rte_bpf may type as a pointer but is not one here:
		 * a truncated (ALU32) or subtracted pointer */
		if ((hi.ptr_args & bit) && !(a->f & F_PTR) &&
		    !((hi.opt_args & bit) && (a->f & F_CONST) &&
		      a->cval == 0)) {
			RW_ERR(rw, "%s: R%d is not a pointer to memory",
				xdpc_helper_name(i->imm), r);
			return -EACCES;
		}
		if ((hi.ctx_args & bit) && !(a->f & F_CTX_MUST)) {
			RW_ERR(rw, "%s: R%d is not the context",
				xdpc_helper_name(i->imm), r);
			return -EACCES;
		}
	}
	if (hi.write_reg != 0) {
		const struct rval *sz = &s->r[hi.write_size_reg];

		if (lock_word_access(rw, &s->r[hi.write_reg], 0,
		    hi.write_size_reg != 0 && (sz->f & F_CONST) &&
		    sz->cval > 0 ? (uint32_t)sz->cval : 0))
			return -EACCES;
	}
	if (hi.lock_reg != 0) {
		const struct rval *l = &s->r[hi.lock_reg];

		/* the lock word of a map value, as the kernel's verifier
		 * proves it: anything else would be spun on or unlocked */
		if (l->vmap == NULL || !l->vmap->has_spin_lock ||
		    (l->f & F_VVAR) ||
		    l->voff != (int64_t)l->vmap->spin_lock_off) {
			RW_ERR(rw, "%s: R%u is not the struct bpf_spin_lock of a map value%s",
				xdpc_helper_name(i->imm), hi.lock_reg,
				l->vmap != NULL && !l->vmap->has_spin_lock ?
				" (its map's BTF value type has none)" : "");
			return -EACCES;
		}
	}
	if (hi.map_reg != 0) {
		const struct rte_xdp_map *m = s->r[hi.map_reg].map;

		if (m == NULL && s->r[hi.map_reg].mset[0] != NULL) {
			m = map_of_set(rw, i->imm, &hi, s->r[hi.map_reg].mset);
			if (m == NULL)
				return -EACCES;
		}

		if (s->r[hi.map_reg].f & F_NUL) {
			RW_ERR(rw, "%s: R%u may be NULL (inner map lookup result not checked)",
				xdpc_helper_name(i->imm), hi.map_reg);
			return -EACCES;
		}
		if (m != NULL && !map_helper_ok(m->def.type, i->imm)) {
			RW_ERR(rw, "cannot pass map_type %u (map %s) into func bpf_%s#%d",
				m->def.type, m->name, xdpc_helper_name(i->imm),
				i->imm);
			return -EACCES;
		}
	}
	nc = realloc(res->calls, (res->nb_calls + 1) * sizeof(*nc));
	if (nc == NULL)
		return -ENOMEM;
	res->calls = nc;
	cs = &res->calls[res->nb_calls];
	memset(cs, 0, sizeof(*cs));
	cs->helper = i->imm;
	cs->orig = rw->code->v[rw->cur].orig;
	cs->map = hi.map_reg != 0 ? s->r[hi.map_reg].map : NULL;
	if (cs->map == NULL && hi.map_reg != 0 &&
	    s->r[hi.map_reg].mset[0] != NULL)
		cs->map = map_of_set(rw, i->imm, &hi, s->r[hi.map_reg].mset);
	/* an inner map is of its template's type (map_meta_equal) */
	if (i->imm == 1)
		cs->direct = direct_lookup(&s->r[1]);
	for (r = 1; r <= XDPC_MAX_ARGS; r++) {
		if (s->r[r].f & F_CONST) {
			cs->known |= 1u << (r - 1);
			cs->val[r - 1] = s->r[r].cval;
		}
		if (s->r[r].f & F_PKT)
			cs->pkt |= 1u << (r - 1);
	}
	res->nb_calls++;
	if (i->imm == 181) {
		int ret = loop_call(rw, s, cs);

		if (ret != 0)
			return ret;
	}
	rw->note |= RTE_XDP_XLATED_HELPER_CALL;
	ret = put(rw, XB_JMP | XB_CALL, 0, 0, 0, res->nb_calls - 1);
	if (ret != 0 || i->imm != 12)
		return ret;
	/* bpf_tail_call: exit when it succeeded, the runner goes on with
	 * the target (xdp_tailcall.c) */
	rw->note = RTE_XDP_XLATED_TAIL_CALL;
	ret = put(rw, XB_JMP | XB_JEQ | XB_K, 0, 0, 1, 0);
	return ret ? ret : put(rw, XB_JMP | XB_EXIT, 0, 0, 0, 0);
}

/*
 * A load from a stack slot that also gets narrower stores, in a program
 * whose stack is zeroed at entry: rte_bpf keeps per slot the width of
 * its last store and refuses a wider load, so the load is made of byte
 * loads (each within any store's width), shifted and or-ed together.
 */
static int
split_stack_load(struct rw *rw, const struct xinsn *i)
{
	uint16_t live = live_out(rw, rw->cur);
	unsigned int n = xb_size_bytes(i->code), k;
	struct tmp t, acc = { .reg = i->dst_reg, .slot = 0 };
	int ret;

	rw->note |= RTE_XDP_XLATED_STACK_SPLIT;
	ret = tmp_get(rw, (1u << i->dst_reg) | (1u << i->src_reg), live, 1,
		&t);
	if (ret == 0 && i->dst_reg == i->src_reg)
		ret = tmp_get(rw, (1u << i->src_reg) | (1u << t.reg), live, 2,
			&acc);
	if (ret == -ENOSPC) {
		RW_ERR(rw, "a stack load split into bytes needs a scratch register and none can be used");
		return -ENOTSUP;
	}
	if (ret != 0)
		return ret;
	ret = put(rw, XB_LDX | XB_MEM | XB_B, acc.reg, i->src_reg, i->off, 0);
	for (k = 1; k < n && ret == 0; k++) {
		ret = put(rw, XB_LDX | XB_MEM | XB_B, t.reg, i->src_reg,
			i->off + k, 0);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_LSH | XB_K, t.reg, 0, 0,
				8 * k);
		if (ret == 0)
			ret = put(rw, XB_ALU64 | XB_OR | XB_X, acc.reg, t.reg,
				0, 0);
	}
	if (ret == 0 && acc.reg != i->dst_reg)
		ret = put(rw, XB_ALU64 | XB_MOV | XB_X, i->dst_reg, acc.reg,
			0, 0);
	/* restore in reverse order: acc may be the spilled second one */
	if (ret == 0 && acc.reg != i->dst_reg)
		ret = tmp_restore(rw, &acc);
	if (ret == 0)
		ret = tmp_restore(rw, &t);
	return ret;
}

static int
needs_split(const struct rw *rw, const struct xinsn *i, const struct astate *s)
{
	const struct rval *sv = &s->r[i->src_reg];
	int64_t off, sl;
	int k;

	if (!rw->prog->zero_stack || !(sv->f & F_FP) ||
	    XB_MODE(i->code) != XB_MEM || XB_SIZE(i->code) == XB_B)
		return 0;
	off = sv->cval + i->off;
	/* a register spilled there on every path: stored whole */
	k = slot_of(off);
	if (XB_SIZE(i->code) == XB_DW && k >= 0 && (s->slots & (1ull << k)))
		return 0;
	sl = (XB_STACK_SIZE + off) / 8;
	return off < 0 && sl >= 0 && sl < XB_STACK_SIZE / 8 &&
		rw->prog->stk_store_min[sl] < xb_size_bytes(i->code);
}

/*
 * What the kernel's verifier refuses of an atomic add and an AArch64 CPU
 * faults on (SIGBUS: an exclusive access must be aligned, and rte_bpf's
 * arm64 JIT makes one): one into the packet, one at an offset the
 * rewriter knows is not a multiple of its size (stack, map value).
 */
static int
atomic_refused(struct rw *rw, const struct xinsn *i, const struct rval *d)
{
	int64_t size = xb_size_bytes(i->code), off;

	if (d->f & F_PKT) {
		RW_ERR(rw, "atomic operation on packet memory");
		return 1;
	}
	if (d->f & F_FP)
		off = d->cval + i->off;
	else if (d->vmap != NULL && !(d->f & F_VVAR))
		off = d->voff + i->off;
	else
		return 0;
	if (off % size != 0) {
		RW_ERR(rw, "misaligned atomic operation: offset %" PRId64 " of a %" PRId64 "-byte access",
			off, size);
		return 1;
	}
	return 0;
}

static int
rewrite_one(struct rw *rw, const struct xins *x, const struct astate *s)
{
	const struct xinsn *i = &x->i;
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);
	const struct rval *d = &s->r[i->dst_reg], *sv = &s->r[i->src_reg];

	if (cls == XB_LDX) {
		if ((sv->f & F_CTX_MAY) && !(sv->f & F_CTX_MUST)) {
			RW_ERR(rw, "load through a pointer that may or may not be the context (or ctx arithmetic)");
			return -ENOTSUP;
		}
		if (sv->f & F_CTX_MUST)
			return rewrite_ctx_load(rw, i);
		if (sv->f & F_NUL) {
			RW_ERR(rw, "R%u may be NULL (map lookup result not checked against NULL)",
				i->src_reg);
			return -EACCES;
		}
		if (!(sv->f & (F_PTR | F_CTX_MUST))) {
			/* rte_bpf types pointer - pointer as a pointer */
			RW_ERR(rw, "R%u is not a pointer (invalid memory access)",
				i->src_reg);
			return -EACCES;
		}
		if (lock_word_access(rw, sv, i->off,
		    xb_size_bytes(i->code)))
			return -EACCES;
		if (needs_split(rw, i, s))
			return split_stack_load(rw, i);
	}
	if (cls == XB_ST || cls == XB_STX) {
		if (d->f & F_CTX_MUST) {
			RW_ERR(rw, "write to struct xdp_md");
			return -EACCES;
		}
		if (d->f & F_CTX_MAY) {
			RW_ERR(rw, "store through a pointer that may or may not be the context (or ctx arithmetic)");
			return -EACCES;
		}
		if (d->f & F_NUL) {
			RW_ERR(rw, "R%u may be NULL (map lookup result not checked against NULL)",
				i->dst_reg);
			return -EACCES;
		}
		if (!(d->f & F_PTR)) {
			RW_ERR(rw, "R%u is not a pointer (invalid memory access)",
				i->dst_reg);
			return -EACCES;
		}
		if (lock_word_access(rw, d, i->off,
		    xb_size_bytes(i->code)))
			return -EACCES;
	}
	if (cls == XB_STX && XB_MODE(i->code) == XB_ATOMIC && i->imm != 0) {
		RW_ERR(rw, "atomic operation 0x%x not supported by rte_bpf (only add without fetch)",
			i->imm);
		return -ENOTSUP;
	}
	if (cls == XB_STX && XB_MODE(i->code) == XB_ATOMIC &&
	    atomic_refused(rw, i, d))
		return -EACCES;
	if (cls == XB_LD && i->code != XB_LD_IMM64) {
		RW_ERR(rw, "legacy LD_ABS/LD_IND not allowed in XDP");
		return -EINVAL;
	}
	if (i->code == XB_LD_IMM64 && i->src_reg == XB_PSEUDO_FUNC) {
		struct cb_ref *nc = realloc(rw->cbs,
			(rw->nb_cbs + 1) * sizeof(*nc));
		int ret;

		if (nc == NULL)
			return -ENOMEM;
		rw->cbs = nc;
		memset(&nc[rw->nb_cbs], 0, sizeof(*nc));
		nc[rw->nb_cbs].out = rw->out.n;
		nc[rw->nb_cbs].sec = x->cb_sec;
		nc[rw->nb_cbs].start = x->cb_start;
		rw->nb_cbs++;
		/* the address of its struct xdpc_callback, patched later */
		rw->note |= RTE_XDP_XLATED_CALLBACK;
		ret = put(rw, XB_LD_IMM64, i->dst_reg, 0, 0, 0);
		return ret ? ret : put(rw, 0, 0, 0, 0, 0);
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
		rw->note |= RTE_XDP_XLATED_MAP_ADDR;
		ret = put(rw, XB_LD_IMM64, i->dst_reg, 0, 0, (int32_t)v);
		if (ret == 0) {
			struct xins *o = &rw->out.v[rw->out.n - 1];

			o->map = x->map;
			o->map_off = x->map_off;
			o->map_value = i->src_reg != XB_PSEUDO_MAP_FD;
		}
		return ret ? ret : put(rw, 0, 0, 0, 0, (int32_t)(v >> 32));
	}
	if ((cls == XB_ALU || cls == XB_ALU64) && op == XB_MOV &&
	    XB_SRC(i->code) == XB_K && i->imm == 0 && rw->typed_null[rw->cur]) {
		/* NULL as rte_bpf types a pointer: data - data, a packet
		 * pointer whose value is 0 (see null_or_ptr()); rte_bpf
		 * needs no initialised bytes behind it, unlike the stack */
		int ret = put_load_data(rw, s, i->dst_reg);

		return ret ? ret : put(rw, XB_ALU64 | XB_SUB | XB_X,
			i->dst_reg, i->dst_reg, 0, 0);
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
	if ((cls == XB_ALU || cls == XB_ALU64) && XB_SRC(i->code) == XB_X &&
	    (op == XB_DIV || op == XB_MOD))
		return lower_divmod(rw, i, s);
	if (i->code == (XB_ALU64 | XB_ADD | XB_X) &&
	    (d->f & (F_PTR | F_CTX_MUST)) && (sv->f & (F_PTR | F_CTX_MUST))) {
		RW_ERR(rw, "R%u pointer += pointer prohibited", i->dst_reg);
		return -EACCES;
	}
	if (i->code == (XB_ALU64 | XB_ADD | XB_X) &&
	    ((d->f & F_PTR) || (sv->f & F_PTR)) &&
	    !((d->f | sv->f) & F_CTX_MAY))
		return rewrite_ptr_add(rw, i, s);
	if (i->code == (XB_JMP | XB_JSET | XB_K))
		return lower_jset_imm(rw, i->dst_reg, i->imm, 0);
	if (cls == XB_JMP && op != XB_EXIT)
		return put_jump(rw, i->code, i->dst_reg, i->src_reg, i->imm);
#ifdef RTE_ARCH_ARM64
	/* be32: rte_bpf's arm64 JIT leaves the upper half swapped (xdp_jit.c) */
	if (i->code == (XB_ALU | XB_END | XB_X) && i->imm == 32) {
		int ret = put(rw, i->code, i->dst_reg, 0, 0, 32);

		return ret ? ret : put(rw, XB_ALU | XB_MOV | XB_X, i->dst_reg,
			i->dst_reg, 0, 0);
	}
#endif
	return put(rw, i->code, i->dst_reg, i->src_reg, i->off, i->imm);
}

/*
 * What the kernel's verifier refuses before anything else and what the
 * analysis (registers index its state) and DPDK 22.11's JIT (an imm8
 * shift emitted with a 4-byte immediate) must not see.
 */
static int
check_insns(struct rw *rw)
{
	const struct xvec *c = rw->code;
	uint32_t k;

	for (k = 0; k < c->n; k++) {
		const struct xinsn *i = &c->v[k].i;
		uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);

		rw->cur = k;
		if (i->dst_reg >= NREG || i->src_reg >= NREG) {
			RW_ERR(rw, "R%u is invalid",
				i->dst_reg >= NREG ? i->dst_reg : i->src_reg);
			return -EINVAL;
		}
		if ((cls == XB_ALU || cls == XB_ALU64) &&
		    XB_SRC(i->code) == XB_K &&
		    (op == XB_LSH || op == XB_RSH || op == XB_ARSH) &&
		    (uint32_t)i->imm >= (cls == XB_ALU64 ? 64u : 32u)) {
			RW_ERR(rw, "invalid shift %d", i->imm);
			return -EINVAL;
		}
	}
	return 0;
}

/* Backward liveness; also refuses loops. */
static int
liveness(struct rw *rw)
{
	struct xvec *c = rw->code;
	uint32_t i, n = c->n;
	uint16_t use, def;

	rw->live_in = calloc(n + 1, sizeof(*rw->live_in));
	if (rw->live_in == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (c->v[i].target >= 0 && (uint32_t)c->v[i].target <= i) {
			rw->cur = i;
			RW_ERR(rw, "backward jump (loop) not supported by rte_bpf");
			return -ENOTSUP;
		}
	for (i = n; i-- > 0;) {
		const struct xins *x = &c->v[i];

		if (x->i.code == 0 && i > 0 &&
		    c->v[i - 1].i.code == XB_LD_IMM64)
			continue;	/* second half of LD_IMM64 */
		use_def(&x->i, &use, &def);
		rw->live_in[i] = use | (live_out(rw, i) & ~def);
		if (x->i.code == XB_LD_IMM64 && i + 1 < n)
			rw->live_in[i + 1] = rw->live_in[i];
	}
	return 0;
}

/* One forward pass: analyse, rewrite, propagate to successors. */
static int
forward(struct rw *rw)
{
	struct xvec *c = rw->code;
	struct astate *in, s, taken;
	uint32_t i, n = c->n;
	int ret = 0, fold;

	rw->pend = calloc(n + 1, sizeof(*rw->pend));
	if (rw->pend == NULL)
		return -ENOMEM;
	memset(&s, 0, sizeof(s));
	for (i = 0; i < NREG; i++)
		s.r[i] = unknown_val;
	s.r[1].f = F_CTX_MUST | F_CTX_MAY;
	s.r[XB_REG_FP].f = F_FP | F_PTR;
	s.r[XB_REG_FP].cval = 0;
	if (rw->ctx_slot && rw->prog->cb_kind == 0) {
		rw->cur = 0;
		ret = put_spill(rw, 1, 1, CTX_SPILL_SLOT);
		if (ret != 0)
			return ret;
	}
	if (rw->prog->cb_kind != 0) {
		/* a bpf_loop() callback: R1 the index, R2 its context, from
		 * its struct xdpc_cb_arg (R2's load typed by rte_bpf) */
		rw->cur = 0;
		rw->note = RTE_XDP_XLATED_CALLBACK;
		if (rw->prog->cb_kind == 1)
			ret = put(rw, XB_LDX | XB_MEM | XB_DW, 2, 1, 0, 0);
		else
			ret = put(rw, XB_ALU64 | XB_MOV | XB_K, 2, 0, 0, 0);
		if (ret == 0)
			ret = put(rw, XB_LDX | XB_MEM | XB_DW, 1, 1, 8, 0);
		if (ret != 0)
			return ret;
		s.r[1].f = F_ZEXT;
		s.r[1].umax = UINT32_MAX;
		s.r[2] = unknown_val;
		if (rw->prog->cb_kind == 1) {
			s.r[2].f = F_PTR;
		} else {
			s.r[2].f = F_CONST | F_ZEXT;
			s.r[2].umax = 0;
		}
	}
	ret = state_merge(rw, 0, &s);
	for (i = 0; i < n && ret == 0; i++) {
		const struct xins *x = &c->v[i];
		uint8_t cls = XB_CLASS(x->i.code), op = XB_OP(x->i.code);
		uint32_t next = i + (x->i.code == XB_LD_IMM64 ? 2 : 1);

		rw->cur = i;
		rw->note = 0;
		rw->start[i] = rw->out.n;
		in = rw->pend[i];
		if (in == NULL) {
			/* dead code (the kernel's verifier removes it too):
			 * rte_bpf refuses it, nothing is emitted */
			if (x->i.code == XB_LD_IMM64 && i + 1 < n)
				rw->start[++i] = rw->out.n;
			continue;
		}
		fold = -1;
		if ((cls == XB_JMP || cls == XB_JMP32) && op != XB_JA &&
		    op != XB_CALL && op != XB_EXIT)
			fold = const_jump(&x->i, in);
		if (fold == 1) {	/* always taken: a plain jump */
			rw->note = RTE_XDP_XLATED_CONST_JUMP;
			ret = put_jump(rw, XB_JMP | XB_JA, 0, 0, 0);
		} else if (fold == 0) {	/* never taken: nothing */
			ret = 0;
		} else {
			ret = rewrite_one(rw, x, in);
		}
		if (ret == 0 && x->i.code == XB_LD_IMM64) {
			rw->start[i + 1] = rw->out.n - 1;
			if (i + 1 >= n) {
				RW_ERR(rw, "truncated LD_IMM64");
				ret = -EINVAL;
			} else if (x->map == NULL &&
				   x->i.src_reg != XB_PSEUDO_FUNC) {
				rw->cur = i + 1;
				ret = put(rw, 0, 0, 0, 0, c->v[i + 1].i.imm);
				rw->cur = i;
			}
		}
		if (ret != 0)
			break;
		s = *in;
		taken = s;
		transfer(rw, x, &s, &taken);
		if ((cls == XB_JMP || cls == XB_JMP32) && op == XB_EXIT)
			goto done;
		if (x->target >= 0 && fold != 0) {
			if ((cls == XB_JMP || cls == XB_JMP32) && op == XB_JA)
				taken = s;
			ret = state_merge(rw, x->target, &taken);
			if (ret != 0)
				break;
		}
		if (((cls == XB_JMP || cls == XB_JMP32) && op == XB_JA) ||
		    fold == 1)
			goto done;
		if (next >= n) {
			RW_ERR(rw, "program falls off its end");
			ret = -EINVAL;
			break;
		}
		ret = state_merge(rw, next, &s);
done:
		free(rw->pend[i]);
		rw->pend[i] = NULL;
		if (x->i.code == XB_LD_IMM64)
			i++;
	}
	for (i = 0; i <= n; i++)
		free(rw->pend[i]);
	free(rw->pend);
	rw->pend = NULL;
	return ret;
}

/*
 * One exit, at the end: the others jump to it. DPDK 22.11's x86 JIT
 * emits the epilogue at the first exit and later exits as jumps back to
 * it, and sizes a backward jump of 127 or 128 bytes as a short jump
 * whose displacement then overflows: the program jumps into the void.
 * With the epilogue last, every jump to it is a forward one.
 */
static void
one_exit(struct xdpc_rewrite_out *out)
{
	uint32_t i, n = out->nb_ins, nb_exits = 0;

	for (i = 0; i < n; i++) {
		if (out->ins[i].code == XB_LD_IMM64)
			i++;
		else if (out->ins[i].code == (XB_JMP | XB_EXIT))
			nb_exits++;
	}
	if (nb_exits == 0 || (nb_exits == 1 &&
	    out->ins[n - 1].code == (XB_JMP | XB_EXIT)) || n > INT16_MAX)
		return;
	for (i = 0; i < n; i++) {
		if (out->ins[i].code == XB_LD_IMM64) {
			i++;
		} else if (out->ins[i].code == (XB_JMP | XB_EXIT)) {
			out->ins[i].code = XB_JMP | XB_JA;
			out->ins[i].off = n - i - 1;
			out->src[i].notes |= RTE_XDP_XLATED_ONE_EXIT;
		}
	}
	memset(&out->ins[n], 0, sizeof(out->ins[n]));
	out->ins[n].code = XB_JMP | XB_EXIT;
	out->orig[n] = out->orig[n - 1];
	out->src[n] = out->src[n - 1];
	out->src[n].notes = RTE_XDP_XLATED_ONE_EXIT;
	out->src[n].map = NULL;
	out->nb_ins = n + 1;
}

/*
 * Paths from the entry to an exit of the final code (saturated): the
 * work rte_bpf's validator may do, as it walks each path and prunes
 * only states equal to ones already proven safe.
 */
#define PATHS_MAX	(1ull << 40)

static uint64_t
count_paths(const struct xinsn *ins, uint32_t n)
{
	uint64_t *p = calloc(n + 1, sizeof(*p)), r;
	uint32_t i;

	if (p == NULL)
		return PATHS_MAX;
	for (i = n; i-- > 0;) {
		uint8_t cls = XB_CLASS(ins[i].code), op = XB_OP(ins[i].code);
		uint64_t v = 0;

		if (i > 0 && ins[i - 1].code == XB_LD_IMM64)
			continue;
		if ((cls == XB_JMP || cls == XB_JMP32) && op == XB_EXIT) {
			v = 1;
		} else if ((cls == XB_JMP || cls == XB_JMP32) &&
			   op != XB_CALL) {
			int64_t t = (int64_t)i + ins[i].off + 1;

			if (t > i && t <= n)
				v = p[t];
			if (op != XB_JA && i + 1 <= n)
				v += p[i + 1];
		} else {
			v = p[i + (ins[i].code == XB_LD_IMM64 ? 2 : 1)];
		}
		p[i] = RTE_MIN(v, PATHS_MAX);
	}
	r = p[0];
	free(p);
	return r;
}

/*
 * The control flow rte_bpf is given must stay inside the program: its
 * validator (DPDK 22.11) accepts an edge to one past the last
 * instruction and then reads the node array beyond its end.
 */
static const char *
cfg_check(const struct xinsn *ins, uint32_t n, uint32_t *at)
{
	uint32_t i;

	*at = 0;
	if (n == 0)
		return "is empty";	/* rte_bpf's arrays would have no room */
	for (i = 0; i < n; i++) {
		uint8_t cls = XB_CLASS(ins[i].code), op = XB_OP(ins[i].code);

		*at = i;
		if (ins[i].code == XB_LD_IMM64) {
			if (++i >= n)
				return "ends in a truncated LD_IMM64";
			continue;
		}
		if (cls == XB_JMP && op == XB_EXIT)
			continue;
		if (cls == XB_JMP && op != XB_CALL) {
			int64_t t = (int64_t)i + ins[i].off + 1;

			if (t < 0 || t >= n)
				return "jumps outside the program";
			if (t > 0 && ins[t - 1].code == XB_LD_IMM64)
				return "jumps into the middle of an LD_IMM64";
			if (op == XB_JA)
				continue;
		}
		if (i + 1 >= n)
			return "falls off its end";
	}
	return NULL;
}

int
xdpc_rewrite(const struct rte_xdp_prog *prog, struct xvec *code,
	struct xdpc_rewrite_out *out, char *err, size_t err_len)
{
	struct rw rw = {
		.prog = prog, .code = code, .res = out, .err = err,
		.err_len = err_len,
	};
	uint32_t *start = NULL, i, k, pro;
	const char *cfg_err;
	int ret, pass;

	memset(out, 0, sizeof(*out));
	memset(out->stk_store_min, 8, sizeof(out->stk_store_min));
	/* no clamping in windows too small to leave a useful frame length */
	if (prog->pkt_window >= 2 * XDPC_CLAMP_SLACK)
		rw.clamp = prog->pkt_window - XDPC_CLAMP_SLACK;
	ret = check_insns(&rw);
	if (ret == 0)
		ret = liveness(&rw);
	if (ret != 0)
		goto done;
	start = calloc(code->n + 2, sizeof(*start));
	if (start == NULL) {
		ret = -ENOMEM;
		goto done;
	}
	rw.start = start;
	rw.typed_null = calloc(code->n + 1, 1);
	rw.want_null = calloc(code->n + 1, 1);
	if (rw.typed_null == NULL || rw.want_null == NULL) {
		ret = -ENOMEM;
		goto done;
	}
	/* again while a pass found what it needs emitted differently */
	for (pass = 0; ; pass++) {
		int again = 0;

		ret = forward(&rw);
		for (i = 0; i < code->n; i++)
			if (rw.want_null[i] && !rw.typed_null[i])
				again = rw.typed_null[i] = 1;
		if (rw.want_ctx_slot && !rw.ctx_slot)
			again = rw.ctx_slot = 1;
		if (!again)
			break;
		if (pass == MAX_PASSES) {
			/* its joins took zeros not emitted as pointers */
			if (ret == 0) {
				xdpc_err(err, err_len,
					"section %s: NULLs still to type after %d rewrite passes",
					prog->section, pass + 1);
				ret = -E2BIG;
			}
			break;
		}
		xvec_free(&rw.out);
		free(rw.cbs);
		rw.cbs = NULL;
		rw.nb_cbs = 0;
		rw.depth = 0;
		rw.depth_unknown = 0;
		xdpc_rewrite_out_free(out);
		memset(out->stk_store_min, 8, sizeof(out->stk_store_min));
	}
	if (ret != 0)
		goto done;
	start[code->n] = rw.out.n;
	if (out->nb_spills != 0 || rw.ctx_slot) {
		uint32_t depth = RTE_ALIGN_CEIL(rw.depth, 8);
		uint32_t reserve = 8 * (rw.ctx_slot ? CTX_SPILL_SLOT : 2);

		if (rw.depth_unknown || depth + reserve > XB_STACK_SIZE) {
			for (k = 0; k < rw.out.n && !rw.out.v[k].spill; k++)
				;
			xdpc_err(err, err_len,
				"section %s insn %d: a lowered JMP32 or pointer addition needs a scratch register or the context: none is in a register and %s",
				prog->section, rw.out.v[k].orig,
				rw.depth_unknown ?
				"the program's stack use cannot be bounded to reserve a spill slot" :
				"no stack is left below the program's 512 bytes for a spill slot");
			ret = -ENOTSUP;
			goto done;
		}
		for (k = 0; k < rw.out.n; k++)
			if (rw.out.v[k].spill)
				rw.out.v[k].i.off =
					-(int16_t)(depth + 8 * rw.out.v[k].spill);
	}
	/*
	 * rte_bpf refuses a stack read that some path it explores reaches
	 * before any write, even a path the program's own tests rule out
	 * (a callee that writes through a pointer only when it succeeds).
	 * Such programs get their stack zeroed first: stores that need no
	 * register, prepended (jumps are relative: none changes).
	 */
	pro = 0;
	if (prog->zero_stack)
		pro = (rw.depth_unknown ? XB_STACK_SIZE :
			RTE_ALIGN_CEIL(rw.depth, 8)) / 8;
	out->ins = calloc(pro + rw.out.n + 3, sizeof(*out->ins));
	out->orig = calloc(pro + rw.out.n + 3, sizeof(*out->orig));
	out->src = calloc(pro + rw.out.n + 3, sizeof(*out->src));
	if (out->ins == NULL || out->orig == NULL || out->src == NULL) {
		ret = -ENOMEM;
		goto done;
	}
	for (i = 0; i < pro; i++) {
		out->ins[i].code = XB_ST | XB_MEM | XB_DW;
		out->ins[i].dst_reg = XB_REG_FP;
		out->ins[i].off = -8 * (int32_t)(i + 1);
		out->orig[i] = rw.out.n != 0 ? rw.out.v[0].orig : 0;
		out->src[i].sec = rw.out.n != 0 ? rw.out.v[0].sec : prog->sec;
		out->src[i].notes = RTE_XDP_XLATED_STACK_ZERO;
	}
	/*
	 * rte_bpf's validator (DPDK 22.11) stops when it comes back to the
	 * first instruction: a conditional jump there would have its second
	 * edge never checked. A "ja +0" goes first then.
	 */
	if (pro == 0 && rw.out.n != 0 &&
	    XB_CLASS(rw.out.v[0].i.code) == XB_JMP &&
	    XB_OP(rw.out.v[0].i.code) != XB_JA &&
	    XB_OP(rw.out.v[0].i.code) != XB_CALL &&
	    XB_OP(rw.out.v[0].i.code) != XB_EXIT) {
		out->ins[0].code = XB_JMP | XB_JA;
		out->orig[0] = rw.out.v[0].orig;
		out->src[0].sec = rw.out.v[0].sec;
		pro = 1;
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
		out->ins[pro + i] = x->i;
		out->orig[pro + i] = x->orig;
		out->src[pro + i].sec = x->sec;
		out->src[pro + i].notes = x->notes;
		out->src[pro + i].map = x->map;
		out->src[pro + i].map_off = x->map_off;
		out->src[pro + i].map_value = x->map_value;
	}
	out->nb_ins = pro + rw.out.n;
	one_exit(out);
	out->nb_src = out->nb_ins;
	cfg_err = cfg_check(out->ins, out->nb_ins, &k);
	if (cfg_err != NULL) {
		xdpc_err(err, err_len,
			"section %s insn %d: the rewritten program %s (rewriter bug)",
			prog->section, out->orig[k], cfg_err);
		ret = -EINVAL;
		goto done;
	}
	out->nb_paths = count_paths(out->ins, out->nb_ins);
	/* the callbacks bpf_loop() calls: their descriptors' addresses */
	for (k = 0; k < rw.nb_cbs; k++) {
		struct xdpc_callback *cb;
		uint32_t at = pro + rw.cbs[k].out;
		uint64_t a;

		if (!rw.cbs[k].used)
			continue;
		cb = calloc(1, sizeof(*cb));
		if (cb == NULL) {
			ret = -ENOMEM;
			goto done;
		}
		cb->sec = rw.cbs[k].sec;
		cb->start = rw.cbs[k].start;
		cb->ctx_size = rw.cbs[k].ctx_size;
		cb->orig = rw.cbs[k].orig;
		cb->next = out->cbs;
		out->cbs = cb;
		a = (uintptr_t)cb;
		out->ins[at].imm = (int32_t)a;
		out->ins[at + 1].imm = (int32_t)(a >> 32);
	}


done:
	free(start);
	free(rw.typed_null);
	free(rw.want_null);
	free(rw.cbs);
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
	free(out->src);
	free(out->calls);
	free(out->vars);
	xdpc_callbacks_free(out->cbs);
	memset(out, 0, sizeof(*out));
}
