/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Keep rte_bpf's x86 JIT from running miscompiled code.
 *
 * DPDK 22.11's JIT sizes its code in dry passes, each placing forward jump
 * targets where the pass before put them, and stops at the first pass
 * whose total size equals the one before. Equal sizes do not mean equal
 * layouts:
 *  - the first pass emits the prologue before it has seen which
 *    callee-saved registers the program uses, so without saving them; the
 *    second saves them. When those bytes equal what the second pass saves
 *    on jumps it can now make short, the JIT stops there;
 *  - a forward jump sized from the previous pass can grow while another
 *    one shrinks as much.
 * The last pass, the one that writes the code, then lays it out anew but
 * aims jumps at the old places: into the middle of instructions. It can
 * also write past the end of the buffer it mapped for the code.
 *
 * DPDK's own emitters are built here from the source of the installed
 * version (fetched at set-up, see buildtools/dpdk-sdk-headers.sh) and the
 * JIT's passes replayed, writing nothing. Before rte_bpf_load() a program
 * whose last pass would not repeat the layout of the pass before gets a
 * `ja +0` in front, which changes the sizes of the first passes; after the
 * load the check is made again with the stack size the validator found,
 * and code that fails it is not run.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What bpf_jit_x86.c uses, declared before its hidden-visibility block. */
#include <sys/mman.h>

#include <rte_bpf.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_log.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

#ifdef XDPC_DPDK_JIT_SRC

/* Times a program is nudged before it is refused. */
#define JIT_NUDGES	16
/* Dry passes after which the JIT is taken never to settle. */
#define JIT_MAX_PASSES	256
#define UNKNOWN_OFF	(INT32_MAX / 2)
/* The stack sizes whose prologues differ (sub with an imm8 or an imm32). */
static const uint32_t stack_classes[] = { 0, 512 };

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
/*
 * DPDK's entry point is not used. The replay stays quiet (a log type
 * beyond the registered ones): rte_bpf_load() logs what the JIT refuses.
 */
#define bpf_jit_x86 xdpc_dpdk_bpf_jit_x86
#define rte_bpf_logtype xdpc_jit_replay_logtype
#pragma GCC visibility push(hidden)
#include "bpf_jit_x86.c"
#pragma GCC visibility pop
#undef rte_bpf_logtype
#undef bpf_jit_x86
#pragma GCC diagnostic pop

int xdpc_jit_replay_logtype = INT32_MAX;

/*
 * Replay rte_bpf's JIT on a program: its dry passes, then its last pass.
 * Returns 1 when the last pass lays the code out as the dry passes did
 * (*sz: the code's size), 0 when it does not, -errno when the JIT would
 * refuse the program (it is then interpreted: nothing to check).
 */
static int
jit_replay(const struct rte_bpf_prm *prm, uint32_t stack_sz, size_t *sz)
{
	struct rte_bpf bpf;
	struct bpf_jit_state st;
	int32_t *dry;
	size_t dry_sz;
	unsigned int pass;
	uint32_t i;
	int rc;

	memset(&bpf, 0, sizeof(bpf));
	bpf.prm = *prm;
	bpf.stack_sz = stack_sz;
	memset(&st, 0, sizeof(st));
	st.off = malloc(prm->nb_ins * sizeof(st.off[0]));
	dry = malloc(prm->nb_ins * sizeof(dry[0]));
	if (st.off == NULL || dry == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	/*
	 * Places not yet known: bpf_jit_x86() starts from INT32_MAX, and
	 * adds to it (signed overflow); any place this far sizes a jump as
	 * far as that does.
	 */
	st.exit.off = UNKNOWN_OFF;
	for (i = 0; i != prm->nb_ins; i++)
		st.off[i] = UNKNOWN_OFF;
	/* As bpf_jit_x86() does, with a bound it lacks. */
	pass = 0;
	do {
		dry_sz = st.sz;
		rc = emit(&st, &bpf);
	} while (rc == 0 && dry_sz != st.sz && ++pass < JIT_MAX_PASSES);
	if (rc != 0)
		goto out;
	if (pass == JIT_MAX_PASSES) {
		rc = 0;
		goto out;
	}
	memcpy(dry, st.off, prm->nb_ins * sizeof(dry[0]));
	rc = emit(&st, &bpf);
	if (rc != 0)
		goto out;
	*sz = st.sz;
	rc = st.sz == dry_sz &&
		memcmp(dry, st.off, prm->nb_ins * sizeof(dry[0])) == 0;
out:
	free(st.off);
	free(dry);
	return rc;
}

/* Can rte_bpf_load() JIT this program right, whatever its stack size? */
static int
jit_sound(const struct rte_bpf_prm *prm)
{
	const struct ebpf_insn *ins = prm->ins;
	unsigned int k;
	uint32_t i;
	size_t sz;
	int rc;

	/* The replay reads what the validator checks later. */
	for (i = 0; i != prm->nb_ins; i++) {
		if (ins[i].code == (BPF_JMP | EBPF_CALL) &&
		    (uint32_t)ins[i].imm >= prm->nb_xsym)
			return 1;
		if (ins[i].code == (BPF_LD | BPF_IMM | EBPF_DW) &&
		    ++i == prm->nb_ins)
			return 1;
	}
	for (k = 0; k != RTE_DIM(stack_classes); k++) {
		rc = jit_replay(prm, stack_classes[k], &sz);
		if (rc == -ENOMEM)
			return rc;
		if (rc == 0)
			return 0;
	}
	return 1;
}

/* Put `ja +0` in front of the program. */
static int
nudge(struct xdpc_rewrite_out *rw)
{
	struct xinsn *ins;
	int32_t *orig;

	ins = malloc((rw->nb_ins + 1) * sizeof(*ins));
	orig = malloc((rw->nb_ins + 1) * sizeof(*orig));
	if (ins == NULL || orig == NULL) {
		free(ins);
		free(orig);
		return -ENOMEM;
	}
	memset(&ins[0], 0, sizeof(ins[0]));
	ins[0].code = BPF_JMP | BPF_JA;
	memcpy(&ins[1], rw->ins, rw->nb_ins * sizeof(*ins));
	orig[0] = rw->orig[0];
	memcpy(&orig[1], rw->orig, rw->nb_ins * sizeof(*orig));
	free(rw->ins);
	free(rw->orig);
	rw->ins = ins;
	rw->orig = orig;
	rw->nb_ins++;
	return 0;
}

int
xdpc_jit_prepare(struct xdpc_rewrite_out *rw, const void *xsym,
	uint32_t nb_xsym, const char *section, char *err, size_t err_len)
{
	struct rte_bpf_prm prm;
	unsigned int n;
	int rc;

	for (n = 0; ; n++) {
		memset(&prm, 0, sizeof(prm));
		prm.ins = (const struct ebpf_insn *)rw->ins;
		prm.nb_ins = rw->nb_ins;
		prm.xsym = xsym;
		prm.nb_xsym = nb_xsym;
		rc = jit_sound(&prm);
		if (rc == 1)
			return 0;
		if (rc == 0 && n == JIT_NUDGES) {
			xdpc_err(err, err_len,
				"section %s: rte_bpf's JIT lays this program out wrong, also with %u jumps put in front",
				section, n);
			return -ENOTSUP;
		}
		if (rc == 0) {
			XDPC_LOG(DEBUG, "section %s: rte_bpf's JIT would lay it out wrong: ja +0 put in front",
				section);
			rc = nudge(rw);
		}
		if (rc != 0) {
			xdpc_err(err, err_len, "section %s: out of memory",
				section);
			return rc;
		}
	}
}

int
xdpc_jit_check(const struct rte_bpf *bpf, const struct rte_bpf_jit *jit)
{
	size_t sz = 0;
	int rc;

	rc = jit_replay(&bpf->prm, bpf->stack_sz, &sz);
	if (rc == 1 && sz == jit->sz)
		return 0;
	XDPC_LOG(ERR, "rte_bpf's JIT code (%zu bytes) fails the check (%d, %zu bytes): the program is interpreted",
		jit->sz, rc, sz);
	/* Tests and fuzzers: the replay must know every program. */
	if (getenv("XDP_COMPAT_JIT_CHECK_ABORT") != NULL)
		abort();
	return -EINVAL;
}

#else /* !XDPC_DPDK_JIT_SRC: nothing to replay */

int
xdpc_jit_prepare(struct xdpc_rewrite_out *rw, const void *xsym,
	uint32_t nb_xsym, const char *section, char *err, size_t err_len)
{
	RTE_SET_USED(rw);
	RTE_SET_USED(xsym);
	RTE_SET_USED(nb_xsym);
	RTE_SET_USED(section);
	RTE_SET_USED(err);
	RTE_SET_USED(err_len);
	return 0;
}

int
xdpc_jit_check(const struct rte_bpf *bpf, const struct rte_bpf_jit *jit)
{
	RTE_SET_USED(bpf);
	RTE_SET_USED(jit);
	return 0;
}

#endif

/*
 * rte_bpf's arm64 JIT (DPDK 22.11, lib/bpf/bpf_jit_arm64.c), read against
 * what the rewriter hands it:
 *  - layout: it sizes the code in one pass and writes it in a second.
 *    Each eBPF instruction becomes a number of A64 instructions that
 *    depends only on that instruction and on two facts about the whole
 *    program fixed before the first pass (whether it calls, its stack
 *    size); a branch is one instruction whatever its distance. The
 *    second pass repeats the first one's layout: the x86 JIT's layout
 *    bug cannot happen, there is nothing to replay. A branch out of
 *    range (+-1 MiB) or an immediate it cannot encode makes it fail as a
 *    whole, and the program is interpreted.
 *  - the frame pointer: a program with a stack and no call sets x29
 *    (callee-saved) to sp on entry and returns without restoring it.
 *    JIT-ed code is entered through xdpc_jit_call() below, which keeps it.
 *  - be32 (BPF_END, to big endian, 32 bits) is REV32 on the 64-bit
 *    register: the upper half comes out byte-swapped instead of zero. The
 *    rewriter zero-extends after it (xdp_rewrite.c).
 *  - DIV/MOD by a zero register end the program with 0, by a branch to
 *    an epilogue whose 16-bit offset is wrong after an earlier EXIT; the
 *    rewriter guards every DIV/MOD by a register with the kernel's
 *    semantics, so that branch is never taken. By a constant zero the
 *    kernel refuses the program.
 *  - calls: R1-R5 in x0-x4, R0 from x0, R6-R9 and R10 in callee-saved
 *    x19-x22, x25, sp 16-byte aligned at the call (its frame is a
 *    multiple of 16): as AAPCS64 wants, helpers need no realignment.
 *  - 32-bit ALU operations write W registers (upper half zero), shifts by
 *    a register take the count modulo the width (as x86 does), shifts by
 *    an immediate out of range fail the JIT (the verifier refuses them).
 *  - atomics: only BPF_ADD without fetch exists in rte_bpf (the rewriter
 *    refuses the others), W or DW, an LDXR/STXR loop (STADD with LSE),
 *    relaxed like the kernel's. An exclusive access to an unaligned
 *    address faults (SIGBUS) on AArch64. The kernel's verifier refuses
 *    atomics on packet memory and unaligned ones; the rewriter refuses
 *    them where it knows the memory or the offset (atomic_refused()).
 *    One at a variable offset into a map value that is not aligned at
 *    run time (the kernel proves alignment, the builtin checks do not)
 *    still faults there.
 */
#if defined(RTE_ARCH_ARM64)
__asm__(
	"	.text\n"
	"	.p2align 2\n"
	"	.global xdpc_jit_call\n"
	"	.type xdpc_jit_call, %function\n"
	"xdpc_jit_call:\n"
	"	stp x29, x30, [sp, #-16]!\n"
	"	mov x29, sp\n"
	"	mov x2, x0\n"
	"	mov x0, x1\n"
	"	blr x2\n"
	"	ldp x29, x30, [sp], #16\n"
	"	ret\n"
	"	.size xdpc_jit_call, .-xdpc_jit_call\n");
#endif

const char *
xdpc_jit_name(void)
{
#if defined(RTE_ARCH_X86_64)
	return "x86_64";
#elif defined(RTE_ARCH_ARM64)
	return "arm64";
#else
	return "rte_bpf";
#endif
}
