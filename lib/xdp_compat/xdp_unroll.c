/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loops: rte_bpf has no backward jumps, the kernel's verifier accepts
 * loops it can prove bounded. A loop whose trip count is bounded by a
 * constant of its code is unrolled here, between the link and rewrite
 * phases; any other loop is refused with its instructions named.
 *
 * A loop is the region from a header H (the target of backward jumps,
 * its back edges) to its last back edge, entered at one instruction E
 * (H, or a point in its middle, as clang lays out rotated loops). Its
 * trip count is bounded when the region holds:
 *  - a counter X changed in it only by one "X += K" / "X -= K" (64- or
 *    32-bit), holding a constant where the loop is entered;
 *  - a test of X (or of a zero-extended copy of X made right before it,
 *    as -mcpu=v2 code compares a 32-bit counter) against a
 *    constant (an immediate, or a register set to a constant before the
 *    loop and unchanged in it) whose one side leaves the loop for good;
 * and both the update and the test are on every path from H to a back
 * edge. Running X's arithmetic and the test (with their 32-/64-bit
 * semantics) from the constant, for the at most two updates an entry
 * in the middle may add before the first test, bounds how many times
 * the test lets the loop go on, S; the back edges are then taken at
 * most S + 1 times. The region is copied S + 2 times: copy 0 where the
 * loop was (so the entry reaches it), each copy's back edges jumping to
 * the next copy's H, the last copy's to a trap returning XDP_ABORTED
 * that the bound makes unreachable. Code no copy reaches is removed.
 * Inner loops are unrolled first.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

#define MAX_TRIPS	(1u << 16)	/* iterations of one loop */
#define MAX_GROWTH	(1u << 19)	/* instructions one unrolling adds */

#define MAX_ENTRIES 16

struct loop {
	uint32_t head, end;		/* region [head, end] */
	uint32_t entry;			/* where it is entered */
	uint32_t nb_from;
	uint32_t from[MAX_ENTRIES];	/* where the entering paths leave
					 * from (a jump, or the head when it
					 * is fallen into) */
	uint32_t copies;
};

/* The same constant in a register on every path into the loop. */
static int
const_entering(const struct xvec *c, const struct loop *lp, int reg,
	int64_t *val);

static int
is_jump(uint8_t code)
{
	uint8_t cls = XB_CLASS(code), op = XB_OP(code);

	return (cls == XB_JMP || cls == XB_JMP32) && op != XB_CALL &&
		op != XB_EXIT;
}

static int
falls_through(const struct xinsn *i)
{
	uint8_t cls = XB_CLASS(i->code), op = XB_OP(i->code);

	return !((cls == XB_JMP || cls == XB_JMP32) &&
		(op == XB_JA || op == XB_EXIT));
}

/* Registers an instruction writes (a call: R0-R5). */
static uint16_t
defs(const struct xinsn *i)
{
	switch (XB_CLASS(i->code)) {
	case XB_ALU:
	case XB_ALU64:
	case XB_LDX:
		return 1u << i->dst_reg;
	case XB_LD:
		return i->code == XB_LD_IMM64 ? 1u << i->dst_reg : 0x3f;
	case XB_STX:
		if (XB_MODE(i->code) == XB_ATOMIC && (i->imm & 1))
			return 1u << (i->imm == 0xf1 ? 0 : i->src_reg);
		return 0;
	case XB_JMP:
	case XB_JMP32:
		return XB_OP(i->code) == XB_CALL ? 0x3f : 0;
	default:
		return 0;
	}
}

static int
is_target(const struct xvec *c, uint32_t k)
{
	uint32_t j;

	for (j = 0; j < c->n; j++)
		if (c->v[j].target == (int32_t)k)
			return 1;
	return 0;
}

/* Is k the second half of an LD_IMM64? */
static int
ld_second(const struct xvec *c, uint32_t k)
{
	return k > 0 && c->v[k - 1].i.code == XB_LD_IMM64;
}

/*
 * The constant a register holds at instruction at: its last definition
 * in the straight-line code before it. 0 and *val, or -1.
 */
static int
const_at(const struct xvec *c, uint32_t at, int reg, int64_t *val)
{
	uint32_t k = at;

	while (k-- > 0) {
		const struct xinsn *i;

		if (ld_second(c, k))
			k--;
		i = &c->v[k].i;
		if (is_jump(i->code) || XB_OP(i->code) == XB_EXIT)
			return -1;
		if (defs(i) & (1u << reg)) {
			if (i->code == (XB_ALU64 | XB_MOV | XB_K))
				*val = i->imm;
			else if (i->code == (XB_ALU | XB_MOV | XB_K))
				*val = (uint32_t)i->imm;
			else if (i->code == XB_LD_IMM64 && i->src_reg == 0 &&
				 k + 1 < c->n)
				*val = (int64_t)((uint64_t)(uint32_t)i->imm |
					(uint64_t)c->v[k + 1].i.imm << 32);
			else
				return -1;
			return 0;
		}
		if (is_target(c, k))
			return -1;	/* another path joins here */
	}
	return -1;
}

static int
const_entering(const struct xvec *c, const struct loop *lp, int reg,
	int64_t *val)
{
	int64_t v;
	uint32_t k;

	for (k = 0; k < lp->nb_from; k++) {
		if (const_at(c, lp->from[k], reg, &v) != 0 ||
		    (k > 0 && v != *val))
			return -1;
		*val = v;
	}
	return lp->nb_from != 0 ? 0 : -1;
}

/* The test of a conditional jump on v against k. */
static int
test(const struct xinsn *i, uint64_t v, uint64_t k)
{
	int64_t sv, sk;

	if (XB_CLASS(i->code) == XB_JMP32) {
		v = (uint32_t)v;
		k = (uint32_t)k;
		sv = (int32_t)v;
		sk = (int32_t)k;
	} else {
		sv = (int64_t)v;
		sk = (int64_t)k;
	}
	switch (XB_OP(i->code)) {
	case XB_JEQ: return v == k;
	case XB_JNE: return v != k;
	case XB_JGT: return v > k;
	case XB_JGE: return v >= k;
	case XB_JLT: return v < k;
	case XB_JLE: return v <= k;
	case XB_JSGT: return sv > sk;
	case XB_JSGE: return sv >= sk;
	case XB_JSLT: return sv < sk;
	case XB_JSLE: return sv <= sk;
	case XB_JSET: return (v & k) != 0;
	default: return -1;
	}
}

/*
 * Walk the region's flow from 'from' without crossing 'avoid' nor back
 * edges; 1 if some back edge's source is reached.
 */
static int
reaches_back_edge(const struct xvec *c, const struct loop *lp, uint32_t from,
	uint32_t avoid, uint8_t *seen)
{
	uint32_t stack[64], sp = 0, k;
	int hit = 0;

	memset(seen, 0, lp->end - lp->head + 1);
	if (from < lp->head || from > lp->end || from == avoid)
		return 0;
	stack[sp++] = from;
	seen[from - lp->head] = 1;
	while (sp != 0 && !hit) {
		const struct xins *x;

		k = stack[--sp];
		x = &c->v[k];
		if (is_jump(x->i.code) && x->target == (int32_t)lp->head) {
			hit = 1;
			break;
		}
		for (int e = 0; e < 2; e++) {
			int64_t nx = -1;

			if (e == 0 && falls_through(&x->i))
				nx = k + (x->i.code == XB_LD_IMM64 ? 2 : 1);
			if (e == 1 && is_jump(x->i.code))
				nx = x->target;
			if (nx < lp->head || nx > lp->end || nx == avoid ||
			    seen[nx - lp->head])
				continue;
			seen[nx - lp->head] = 1;
			if (sp == RTE_DIM(stack))
				return 1;	/* too branchy: assume so */
			stack[sp++] = nx;
		}
	}
	return hit;
}

#define LOOP_ERR(c, lp, fmt, ...) \
	xdpc_err(err, err_len, \
		"section %s insns %d-%d: loop " fmt ": rte_bpf has no backward jumps and only loops bounded by a constant are unrolled", \
		prog->section, (c)->v[(lp)->head].orig, \
		(c)->v[(lp)->end].orig, ##__VA_ARGS__)

/*
 * The register a loop tests may be a zero-extended copy of the counter
 * made right before the test (clang's -mcpu=v2 code for a 32-bit counter
 * compared in 64 bits): "R = X; R <<= 32; R >>= 32" or "wR = wX", no
 * jump landing in between. Then X is the counter, its value tested
 * zero-extended. Returns X, or -1.
 */
static int
zext_copy_of(const struct xvec *c, uint32_t test_at, int reg)
{
	const struct xinsn *i;

	if (test_at >= 1 && !is_target(c, test_at)) {
		i = &c->v[test_at - 1].i;
		if (i->code == (XB_ALU | XB_MOV | XB_X) && i->dst_reg == reg &&
		    i->src_reg != reg)
			return i->src_reg;
	}
	if (test_at < 3 || is_target(c, test_at) ||
	    is_target(c, test_at - 1) || is_target(c, test_at - 2))
		return -1;
	i = &c->v[test_at - 3].i;
	if (i->code == (XB_ALU64 | XB_MOV | XB_X) && i->dst_reg == reg &&
	    i->src_reg != reg &&
	    c->v[test_at - 2].i.code == (XB_ALU64 | XB_LSH | XB_K) &&
	    c->v[test_at - 2].i.dst_reg == reg &&
	    c->v[test_at - 2].i.imm == 32 &&
	    c->v[test_at - 1].i.code == (XB_ALU64 | XB_RSH | XB_K) &&
	    c->v[test_at - 1].i.dst_reg == reg &&
	    c->v[test_at - 1].i.imm == 32)
		return i->src_reg;
	return -1;
}

/* Entry point, counter, test, and the number of copies. */
static int
analyse(const struct rte_xdp_prog *prog, const struct xvec *c,
	struct loop *lp, char *err, size_t err_len)
{
	uint32_t len = lp->end - lp->head + 1, k, u = UINT32_MAX, best = 0;
	uint32_t t_idx = UINT32_MAX;
	int32_t entry = -1;
	uint8_t *seen, *inloop;
	int ret = -ENOTSUP;

	seen = malloc(len);
	inloop = malloc(len);
	if (seen == NULL || inloop == NULL) {
		free(seen);
		free(inloop);
		return -ENOMEM;
	}
	/* instructions on an iteration: a back edge is ahead of them (the
	 * others, in the region's range, are on the way out of it) */
	for (k = lp->head; k <= lp->end; k++)
		inloop[k - lp->head] = reaches_back_edge(c, lp, k, UINT32_MAX,
			seen);
	/* one entry point */
	lp->nb_from = 0;
	if (lp->head > 0 && falls_through(&c->v[lp->head - 1].i) &&
	    !ld_second(c, lp->head)) {
		entry = lp->head;
		lp->from[lp->nb_from++] = lp->head;
	}
	for (k = 0; k < c->n; k++) {
		int32_t t = c->v[k].target;

		if (t < (int32_t)lp->head || t > (int32_t)lp->end ||
		    (k >= lp->head && k <= lp->end) ||
		    !inloop[t - lp->head] || !is_jump(c->v[k].i.code))
			continue;
		if (entry >= 0 && entry != t) {
			LOOP_ERR(c, lp, "entered at two points (insns %d and %d)",
				c->v[entry].orig, c->v[t].orig);
			goto out;
		}
		if (lp->nb_from == MAX_ENTRIES) {
			LOOP_ERR(c, lp, "entered from too many places");
			goto out;
		}
		lp->from[lp->nb_from++] = k;
		entry = t;
	}
	if (entry < 0) {
		LOOP_ERR(c, lp, "never entered");
		goto out;
	}
	lp->entry = entry;
	/* a test of a counter against a constant, with a side that leaves */
	for (k = lp->head; k <= lp->end; k++) {
		const struct xins *x = &c->v[k];
		const struct xinsn *i = &x->i;
		uint32_t stay_is_taken, j, cnt = UINT32_MAX, nu = 0;
		int64_t init, bound, step;
		int reg = i->dst_reg, is32, p, zext = 0;
		uint64_t v;

		if (!is_jump(i->code) || XB_OP(i->code) == XB_JA ||
		    ld_second(c, k))
			continue;
		/* which side stays: the back edge, or the side from which a
		 * back edge is reachable (the other must never come back) */
		if (x->target == (int32_t)lp->head) {
			stay_is_taken = 1;
			if (reaches_back_edge(c, lp, k + 1, k, seen))
				continue;
		} else if (!reaches_back_edge(c, lp, x->target, k, seen)) {
			stay_is_taken = 0;
		} else if (!reaches_back_edge(c, lp, k + 1, k, seen)) {
			stay_is_taken = 1;
		} else {
			continue;
		}
		/* on every iteration: the test, and one update of the counter */
		if (reaches_back_edge(c, lp, lp->head, k, seen))
			continue;
		j = zext_copy_of(c, k, reg);
		if ((int)j >= 0) {
			reg = j;
			zext = 1;
		}
		for (j = lp->head; j <= lp->end; j++) {
			const struct xinsn *d = &c->v[j].i;

			/* the paths leaving the loop do not count */
			if (ld_second(c, j) || !(defs(d) & (1u << reg)) ||
			    !inloop[j - lp->head])
				continue;
			nu++;
			u = j;
		}
		if (nu != 1 || (c->v[u].i.code != (XB_ALU64 | XB_ADD | XB_K) &&
		    c->v[u].i.code != (XB_ALU64 | XB_SUB | XB_K) &&
		    c->v[u].i.code != (XB_ALU | XB_ADD | XB_K) &&
		    c->v[u].i.code != (XB_ALU | XB_SUB | XB_K)) ||
		    reaches_back_edge(c, lp, lp->head, u, seen))
			continue;
		if (XB_SRC(i->code) == XB_X) {
			for (j = lp->head; j <= lp->end; j++)
				if (!ld_second(c, j) &&
				    (defs(&c->v[j].i) & (1u << i->src_reg)))
					break;
			if (j <= lp->end ||
			    const_entering(c, lp, i->src_reg, &bound) != 0)
				continue;
		} else {
			bound = i->imm;
		}
		if (const_entering(c, lp, reg, &init) != 0)
			continue;
		is32 = XB_CLASS(c->v[u].i.code) == XB_ALU;
		step = c->v[u].i.imm;
		if (XB_OP(c->v[u].i.code) == XB_SUB)
			step = -step;
		/* the longest run of "stay" from the first value tested */
		for (p = 0; p <= 2; p++) {
			uint32_t run = 0;

			v = (uint64_t)init + (uint64_t)(p * step);
			if (is32)
				v = (uint32_t)v;
			while (run <= MAX_TRIPS) {
				int r = test(i, zext ? (uint32_t)v : v,
					(uint64_t)bound);

				if (r < 0 || (uint32_t)r != stay_is_taken)
					break;
				run++;
				v += (uint64_t)step;
				if (is32)
					v = (uint32_t)v;
			}
			if (cnt == UINT32_MAX || run > cnt)
				cnt = run;
		}
		if (cnt > MAX_TRIPS) {
			LOOP_ERR(c, lp, "running more than %u times (counter R%d)",
				MAX_TRIPS, reg);
			ret = -E2BIG;
			goto out;
		}
		if (t_idx == UINT32_MAX || cnt < best) {
			best = cnt;
			t_idx = k;
		}
	}
	if (t_idx == UINT32_MAX) {
		LOOP_ERR(c, lp, "whose trip count is not bounded by a constant (no counter changed by a constant each iteration and tested against a constant to leave it)");
		goto out;
	}
	lp->copies = best + 2;
	if ((uint64_t)lp->copies * (len + 1) > MAX_GROWTH ||
	    c->n + (uint64_t)lp->copies * (len + 1) > RTE_XDP_MAX_INSNS) {
		LOOP_ERR(c, lp, "running up to %u times over %u instructions: too large to unroll",
			best + 1, len);
		ret = -E2BIG;
		goto out;
	}
	ret = 0;
out:
	free(seen);
	free(inloop);
	return ret;
}

static int
push(struct xvec *out, const struct xins *x, int32_t target)
{
	struct xins y = *x;

	y.target = target;
	return xvec_push(out, &y);
}

/* Replace the region by its copies; the trap goes at the end. */
static int
unroll(struct xvec *c, const struct loop *lp)
{
	uint32_t len = lp->end - lp->head + 1, copy = len + 1;
	uint32_t grow = lp->copies * copy - len, after = lp->end + 1, k, j;
	uint32_t trap = c->n + grow;
	struct xvec out = { 0 };
	struct xins x;
	int ret = 0;

#define MOVED(t) ((t) >= (int32_t)after ? (t) + (int32_t)grow : (t))
	for (k = 0; k < lp->head && ret == 0; k++)
		ret = push(&out, &c->v[k], MOVED(c->v[k].target));
	for (j = 0; j < lp->copies && ret == 0; j++) {
		uint32_t base = lp->head + j * copy;

		for (k = lp->head; k <= lp->end && ret == 0; k++) {
			int32_t t = c->v[k].target;

			if (t == (int32_t)lp->head && is_jump(c->v[k].i.code))
				t = j + 1 < lp->copies ? (int32_t)(base + copy) :
					(int32_t)trap;
			else if (t > (int32_t)lp->head && t <= (int32_t)lp->end)
				t = base + (t - lp->head);
			else
				t = MOVED(t);
			ret = push(&out, &c->v[k], t);
		}
		/* the region's fall-through out of it */
		x = c->v[lp->end];
		x.orig = c->v[lp->end].orig;
		memset(&x.i, 0, sizeof(x.i));
		x.i.code = XB_JMP | XB_JA;
		x.map = NULL;
		if (ret == 0)
			ret = push(&out, &x, after + grow);
	}
	for (k = after; k < c->n && ret == 0; k++)
		ret = push(&out, &c->v[k], MOVED(c->v[k].target));
#undef MOVED
	/* the trap: r0 = XDP_ABORTED; exit */
	x = c->v[lp->end];
	memset(&x.i, 0, sizeof(x.i));
	x.map = NULL;
	x.i.code = XB_ALU64 | XB_MOV | XB_K;
	if (ret == 0)
		ret = push(&out, &x, -1);
	x.i.code = XB_JMP | XB_EXIT;
	if (ret == 0)
		ret = push(&out, &x, -1);
	if (ret != 0) {
		xvec_free(&out);
		return ret;
	}
	xvec_free(c);
	*c = out;
	return 0;
}

/* Remove what no path reaches (copies entered at their middle, unused
 * fall-throughs, an unused trap). */
static int
remove_dead(struct xvec *c)
{
	uint8_t *live = calloc(c->n + 1, 1);
	int32_t *map = calloc(c->n + 1, sizeof(*map));
	uint32_t *stack = calloc(c->n + 1, sizeof(*stack));
	uint32_t sp = 0, k, n = 0;

	if (live == NULL || map == NULL || stack == NULL) {
		free(live);
		free(map);
		free(stack);
		return -ENOMEM;
	}
	stack[sp++] = 0;
	live[0] = 1;
	while (sp != 0) {
		const struct xins *x;

		k = stack[--sp];
		x = &c->v[k];
		if (x->i.code == XB_LD_IMM64 && k + 1 < c->n)
			live[k + 1] = 1;
		if (falls_through(&x->i)) {
			uint32_t nx = k + (x->i.code == XB_LD_IMM64 ? 2 : 1);

			if (nx < c->n && !live[nx]) {
				live[nx] = 1;
				stack[sp++] = nx;
			}
		}
		if (is_jump(x->i.code) && x->target >= 0 &&
		    (uint32_t)x->target < c->n && !live[x->target]) {
			live[x->target] = 1;
			stack[sp++] = x->target;
		}
	}
	for (k = 0; k < c->n; k++) {
		map[k] = n;
		if (live[k])
			c->v[n++] = c->v[k];
	}
	for (k = 0; k < n; k++)
		if (c->v[k].target >= 0)
			c->v[k].target = map[c->v[k].target];
	c->n = n;
	free(live);
	free(map);
	free(stack);
	return 0;
}

/* Does the flow from 'from' reach 'to' (any edges)? */
static int
flows_to(const struct xvec *c, uint32_t from, uint32_t to)
{
	uint8_t *seen = calloc(c->n + 1, 1);
	uint32_t *stack = calloc(c->n + 1, sizeof(*stack)), sp = 0, k;
	int hit = 0;

	if (seen == NULL || stack == NULL) {
		free(seen);
		free(stack);
		return 1;
	}
	stack[sp++] = from;
	seen[from] = 1;
	while (sp != 0 && !hit) {
		const struct xins *x;
		int64_t nx[2] = { -1, -1 };
		int e;

		k = stack[--sp];
		if (k == to) {
			hit = 1;
			break;
		}
		x = &c->v[k];
		if (falls_through(&x->i))
			nx[0] = k + (x->i.code == XB_LD_IMM64 ? 2 : 1);
		if (is_jump(x->i.code))
			nx[1] = x->target;
		for (e = 0; e < 2; e++)
			if (nx[e] >= 0 && nx[e] < c->n && !seen[nx[e]]) {
				seen[nx[e]] = 1;
				stack[sp++] = nx[e];
			}
	}
	free(seen);
	free(stack);
	return hit;
}

/*
 * Backward jumps that close no loop (clang shares a return block placed
 * before its users): lay the blocks out again in an order where every
 * jump goes forward, as close to the original order as possible (a
 * topological order of the acyclic flow graph, taking the lowest
 * original index first), with jumps added where a block no longer falls
 * into its successor.
 */
static int
forward_layout(struct xvec *c)
{
	uint32_t n = c->n, i, k, nb = 0, *blk = NULL, *start = NULL;
	uint32_t *indeg = NULL, *order = NULL, *pos = NULL, nord = 0;
	uint8_t *leader = calloc(n + 1, 1), *done = NULL;
	struct xvec out = { 0 };
	int ret = -ENOMEM;

	blk = calloc(n + 1, sizeof(*blk));
	start = calloc(n + 1, sizeof(*start));
	indeg = calloc(n + 1, sizeof(*indeg));
	order = calloc(n + 1, sizeof(*order));
	pos = calloc(n + 1, sizeof(*pos));
	done = calloc(n + 1, 1);
	if (leader == NULL || blk == NULL || start == NULL || indeg == NULL ||
	    order == NULL || pos == NULL || done == NULL)
		goto out;
	leader[0] = 1;
	for (i = 0; i < n; i++) {
		const struct xins *x = &c->v[i];

		if (x->i.code == XB_LD_IMM64) {
			i++;
			continue;
		}
		if (is_jump(x->i.code) || XB_OP(x->i.code) == XB_EXIT) {
			if (is_jump(x->i.code) && x->target >= 0)
				leader[x->target] = 1;
			if (XB_CLASS(x->i.code) == XB_JMP ||
			    XB_CLASS(x->i.code) == XB_JMP32)
				leader[i + 1] = 1;
		}
	}
	for (i = 0; i < n; i++) {
		if (leader[i])
			start[nb++] = i;
		blk[i] = nb - 1;
	}
	start[nb] = n;
	/* in-degrees of the block graph */
	for (k = 0; k < nb; k++) {
		const struct xins *x = &c->v[start[k + 1] - 1];
		uint32_t last = start[k + 1] - 1;

		if (last > 0 && c->v[last - 1].i.code == XB_LD_IMM64)
			x = &c->v[last - 1];
		if (falls_through(&x->i) && start[k + 1] < n)
			indeg[k + 1]++;
		if (is_jump(x->i.code) && x->target >= 0)
			indeg[blk[x->target]]++;
	}
	/* Kahn's algorithm, lowest block first */
	for (;;) {
		uint32_t best = UINT32_MAX;

		for (k = 0; k < nb; k++)
			if (!done[k] && indeg[k] == 0) {
				best = k;
				break;
			}
		if (best == UINT32_MAX)
			break;
		done[best] = 1;
		order[nord++] = best;
		{
			uint32_t last = start[best + 1] - 1;
			const struct xins *x = &c->v[last];

			if (last > 0 && c->v[last - 1].i.code == XB_LD_IMM64)
				x = &c->v[last - 1];
			if (falls_through(&x->i) && best + 1 < nb)
				indeg[best + 1]--;
			if (is_jump(x->i.code) && x->target >= 0)
				indeg[blk[x->target]]--;
		}
	}
	/* positions: blocks in order, plus a jump where fall-through broke */
	for (k = 0, i = 0; k < nord; k++) {
		uint32_t b = order[k], last = start[b + 1] - 1;
		const struct xins *x = &c->v[last];

		if (last > 0 && c->v[last - 1].i.code == XB_LD_IMM64)
			x = &c->v[last - 1];
		pos[b] = i;
		i += start[b + 1] - start[b];
		if (falls_through(&x->i) && b + 1 < nb &&
		    (k + 1 == nord || order[k + 1] != b + 1))
			i++;
	}
	for (k = 0; k < nord && ret != -1; k++) {
		uint32_t b = order[k], last = start[b + 1] - 1;
		const struct xins *x = &c->v[last];

		for (i = start[b]; i < start[b + 1]; i++) {
			struct xins y = c->v[i];

			if (y.target >= 0)
				y.target = pos[blk[y.target]];
			if (xvec_push(&out, &y) != 0)
				goto out;
		}
		if (last > 0 && c->v[last - 1].i.code == XB_LD_IMM64)
			x = &c->v[last - 1];
		if (falls_through(&x->i) && b + 1 < nb &&
		    (k + 1 == nord || order[k + 1] != b + 1)) {
			struct xins y = c->v[last];

			memset(&y.i, 0, sizeof(y.i));
			y.i.code = XB_JMP | XB_JA;
			y.map = NULL;
			y.target = pos[b + 1];
			if (xvec_push(&out, &y) != 0)
				goto out;
		}
	}
	xvec_free(c);
	*c = out;
	out.v = NULL;
	ret = 0;
out:
	xvec_free(&out);
	free(leader);
	free(blk);
	free(start);
	free(indeg);
	free(order);
	free(pos);
	free(done);
	return ret;
}

int
xdpc_unroll(const struct rte_xdp_prog *prog, struct xvec *code, char *err,
	size_t err_len)
{
	struct loop lp;
	uint32_t k, j, last;
	int found, ret, backward;

	for (;;) {
		backward = 0;
		found = 0;
		/* an innermost loop: no back edge to another header in it */
		for (k = 0; k < code->n && !found; k++) {
			int32_t t = code->v[k].target;

			if (!is_jump(code->v[k].i.code) || t < 0 ||
			    (uint32_t)t > k || ld_second(code, k))
				continue;
			if (!flows_to(code, t, k)) {
				backward = 1;	/* no loop: laid out later */
				continue;
			}
			memset(&lp, 0, sizeof(lp));
			lp.head = t;
			lp.end = k;
			found = 1;
			for (j = lp.head; j <= lp.end && found; j++)
				if (is_jump(code->v[j].i.code) &&
				    code->v[j].target > t &&
				    (uint32_t)code->v[j].target <= j &&
				    flows_to(code, code->v[j].target, j))
					found = 0;
		}
		if (!found)
			return backward ? forward_layout(code) : 0;
		/* its first back edge alone (a loop nested in another that
		 * jumps back to the same head), else with all of them */
		last = lp.end;
		for (j = lp.end + 1; j < code->n; j++)
			if (is_jump(code->v[j].i.code) &&
			    code->v[j].target == (int32_t)lp.head)
				last = j;
		ret = analyse(prog, code, &lp, err, err_len);
		if (ret != 0 && last != lp.end) {
			lp.end = last;
			ret = analyse(prog, code, &lp, err, err_len);
		}
		if (ret == 0)
			ret = unroll(code, &lp);
		/* before the next loop: what no copy reaches must not count
		 * as a way into it */
		if (ret == 0)
			ret = remove_dead(code);
		if (ret != 0)
			return ret;
	}
}
