/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_PROG_INTERNAL_H
#define XDP_PROG_INTERNAL_H

/*
 * The program pipeline's shared types: open (xdp_obj.c) → link and inline
 * (xdp_link.c) → rewrite (xdp_rewrite.c) → rte_bpf load (xdp_prog.c), with
 * the helpers in xdp_helpers.c. Kept free of <linux/bpf.h> and <rte_bpf.h>,
 * whose macro sets clash; the eBPF encoding constants are spelled here.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_config.h>
#include <rte_per_lcore.h>

#include <rte_mbuf_core.h>

#include "rte_xdp_prog.h"
#include "rte_xdp_rxq_info.h"
#include "xdp_map_internal.h"

/* eBPF encoding (instruction-set.rst) */
#define XB_CLASS(c)	((c) & 0x07)
#define XB_LD		0x00
#define XB_LDX		0x01
#define XB_ST		0x02
#define XB_STX		0x03
#define XB_ALU		0x04
#define XB_JMP		0x05
#define XB_JMP32	0x06
#define XB_ALU64	0x07
#define XB_SIZE(c)	((c) & 0x18)
#define XB_W		0x00
#define XB_H		0x08
#define XB_B		0x10
#define XB_DW		0x18
#define XB_MODE(c)	((c) & 0xe0)
#define XB_IMM		0x00
#define XB_ABS		0x20
#define XB_IND		0x40
#define XB_MEM		0x60
#define XB_ATOMIC	0xc0
#define XB_OP(c)	((c) & 0xf0)
#define XB_SRC(c)	((c) & 0x08)
#define XB_K		0x00
#define XB_X		0x08

/* Bytes a load or store instruction of this opcode moves. */
static inline unsigned int
xb_size_bytes(uint8_t code)
{
	switch (XB_SIZE(code)) {
	case XB_B:
		return 1;
	case XB_H:
		return 2;
	case XB_W:
		return 4;
	default:
		return 8;
	}
}
#define XB_ADD		0x00
#define XB_SUB		0x10
#define XB_MUL		0x20
#define XB_DIV		0x30
#define XB_OR		0x40
#define XB_AND		0x50
#define XB_LSH		0x60
#define XB_RSH		0x70
#define XB_NEG		0x80
#define XB_MOD		0x90
#define XB_XOR		0xa0
#define XB_MOV		0xb0
#define XB_ARSH		0xc0
#define XB_END		0xd0
#define XB_JA		0x00
#define XB_JEQ		0x10
#define XB_JGT		0x20
#define XB_JGE		0x30
#define XB_JSET		0x40
#define XB_JNE		0x50
#define XB_JSGT		0x60
#define XB_JSGE		0x70
#define XB_CALL		0x80
#define XB_EXIT		0x90
#define XB_JLT		0xa0
#define XB_JLE		0xb0
#define XB_JSLT		0xc0
#define XB_JSLE		0xd0
#define XB_LD_IMM64	(XB_LD | XB_IMM | XB_DW)
#define XB_PSEUDO_MAP_FD	1
#define XB_PSEUDO_MAP_VALUE	2
#define XB_PSEUDO_CALL		1
#define XB_PSEUDO_KFUNC_CALL	2
#define XB_PSEUDO_FUNC		4
#define XB_REG_FP	10
#define XB_STACK_SIZE	512

struct xinsn {
	uint8_t code;
	uint8_t dst_reg:4;
	uint8_t src_reg:4;
	int16_t off;
	int32_t imm;
};

/* An instruction in the pipeline, with where it came from. */
struct xins {
	struct xinsn i;
	int32_t orig;		/* index in its ELF section, -1 if inserted */
	int32_t target;		/* absolute jump target, -1 if none */
	uint16_t sec;		/* ELF section of orig */
	struct rte_xdp_map *map; /* LD_IMM64 of a map or of a map value */
	uint32_t map_off;	/* offset into the value (PSEUDO_MAP_VALUE) */
	uint8_t spill;		/* 1, 2: R10 access to a reserved spill slot */
	uint32_t notes;		/* RTE_XDP_XLATED_*: what the rewriter did */
	uint8_t map_value;	/* map: 1 for a map value's address */
	uint16_t cb_sec;	/* PSEUDO_FUNC LD_IMM64: the callback's */
	uint32_t cb_start;	/* section and first instruction */
};

struct xvec {
	struct xins *v;
	uint32_t n, cap;
};

int xvec_push(struct xvec *xv, const struct xins *x);
void xvec_free(struct xvec *xv);

/* A helper call site after rewriting: what the helper table needs to
 * build an rte_bpf external function with exact argument types. */
#define XDPC_MAX_ARGS 5
struct xdpc_call_site {
	uint32_t helper;		/* kernel helper id */
	int32_t orig;			/* object instruction index */
	struct rte_xdp_map *map;	/* map reaching R1, if known */
	uint8_t known;			/* bit i: R(i+1) constant */
	uint8_t pkt;			/* bit i: R(i+1) packet pointer */
	int64_t val[XDPC_MAX_ARGS];
	uint32_t cb_ctx_size;		/* bpf_loop: R3 stack bytes, 0: NULL */
	uint8_t direct;			/* XDPC_DIRECT_*: map type's own call */
};

/*
 * A bpf_map_lookup_elem() call site whose maps (every one that may reach
 * R1) are all arrays or all per-CPU arrays calls that type's lookup
 * directly: the index check and the address arithmetic, no dispatch
 * through the map's operations (the kernel's verifier goes further and
 * inlines them: array_map_gen_lookup()).
 */
enum {
	XDPC_DIRECT_NONE,
	XDPC_DIRECT_ARRAY,
	XDPC_DIRECT_PERCPU_ARRAY,
};

/* What the rewriter needs to know of a helper. */
struct xdpc_helper_info {
	uint8_t nb_args;
	uint8_t ret_value;	/* returns a map value pointer or NULL */
	uint8_t ptr_args;	/* bit i: R(i+1) is read as memory */
	uint8_t opt_args;	/* bit i: R(i+1) may be NULL */
	uint8_t ctx_args;	/* bit i: R(i+1) is the context */
	uint8_t lock_reg;	/* R number of a struct bpf_spin_lock, 0: none */
	uint8_t write_reg;	/* R number of memory it writes, 0: none */
	uint8_t write_size_reg;	/* R number holding that size, 0: unknown */
	uint8_t map_reg;	/* R number of its map argument, 0: none */
};

/*
 * A function as rte_bpf runs it (rte_xdp_prog_xlated()): the code given
 * to rte_bpf_load() with its sources (xdp_xlated.c), and its JIT code.
 */
struct xdpc_xlated {
	struct xinsn *ins;
	struct rte_xdp_xlated_src *src;
	uint32_t nb;
	const char *section;
	int32_t start;
	const void *jit;
	size_t jit_size;
};

/*
 * A bpf_loop() callback: a subprogram compiled as an rte_bpf program of
 * its own, whose argument (struct xdpc_cb_arg, passed as PTR_MBUF so
 * that the load at offset 0 is typed as a pointer to the callback
 * context) gives its R1 (the index) and R2 (the context).
 */
struct xdpc_callback {
	void *bpf;			/* struct rte_bpf * */
	uint64_t (*func)(void *);
	void *xsym;
	uint32_t nb_xsym;
	uint16_t sec;
	uint32_t start;			/* first instruction in the section */
	uint32_t ctx_size;		/* 0: NULL context */
	int32_t orig;			/* the bpf_loop call (for messages) */
	struct xdpc_xlated xl;		/* its code, as rte_bpf runs it */
	struct xdpc_callback *next;
};
void xdpc_callbacks_free(struct xdpc_callback *cb);

struct xdpc_cb_arg {
	void *cb_ctx;			/* 0: typed as ctx_size bytes */
	uint64_t index;			/* 8 */
};

/* A global-data or map-value address referenced by LD_IMM64. */
struct xdpc_var {
	void *addr;
	uint32_t size;
};

/*
 * Programs with more entry-to-exit paths are first validated by rte_bpf
 * in a child process with a limit of CPU time (and a longer one of wall
 * time): its validator walks paths and prunes little, a branchy program
 * could keep it for hours.
 */
#define XDPC_PATHS_CHECK (1ull << 20)
#define XDPC_VALIDATE_SECS 20
#define XDPC_VALIDATE_WALL_SECS 120

/* Ring buffer records a program may hold reserved at once. */
#define XDPC_MAX_RESV 8

/*
 * Runtime context: what a program's R1 points to. It is passed to rte_bpf
 * as an RTE_BPF_ARG_PTR_MBUF argument, so that its validator types a few
 * loads the way it types struct rte_mbuf fields:
 *  - offset 0 (buf_addr): a pointer to pkt_window bytes: ctx->data;
 *  - offset 64 (next): another "mbuf" whose offset 0 is loaded the same
 *    way: meta_view points at data_meta, so "load 64, then load 0" gives
 *    data_meta typed as a packet pointer too;
 *  - offset 16 (data_off) reads as a constant: left unused.
 * Every other load is a plain scalar.
 */
struct xdpc_ctx {
	void *data;			/* 0 */
	uint64_t data_end;		/* 8 */
	uint64_t rsvd;			/* 16 */
	uint64_t data_meta;		/* 24 */
	uint32_t ingress_ifindex;	/* 32 */
	uint32_t rx_queue_index;	/* 36 */
	uint32_t egress_ifindex;	/* 40 */
	uint32_t cpu;			/* 44: the run's per-CPU map slot */
	uint64_t rsvd2;			/* 48 */
	/* the frame: data_hard_start is mbuf->buf_addr, frame_sz is
	 * xdpc_frame_sz() (helpers compute them: runs need neither) */
	struct rte_mbuf *mbuf;		/* 56 */
	uint64_t *meta_view;		/* 64: &data_meta */
	uint32_t pkt_window;		/* 72 */
	uint32_t clamp_limit;		/* 76: max data_end - data_meta, 0: none */
	/* multi-buffer frames: the mbuf's further segments are the frags */
	uint32_t frags_len;		/* 80: bytes in the frags, 0: none */
	uint32_t nb_frags;		/* 84 */
	const struct rte_xdp_rxq_info *rxq; /* 88: frag_size, memory model */
	/* tail calls: set by bpf_tail_call(), run by the runner */
	const struct rte_xdp_prog *tc_next; /* 96 */
	uint32_t tc_cnt;		/* 104: tail calls taken */
	/* references the kernel's verifier makes a program release:
	 * ring buffer records reserved, a spin lock held */
	uint32_t nb_resv;		/* 108 */
	void *resv[XDPC_MAX_RESV];	/* 112 */
	void *lock_held;
};

/* Offset of the mbuf dynfield that holds the metadata length (-1: not
 * registered yet: no metadata anywhere). */
extern int xdpc_meta_len_off;

/* The xdp_buff's frame size: the queue's frag_size, else the buffer's. */
static inline uint32_t
xdpc_frame_sz(const struct xdpc_ctx *c)
{
	uint32_t fs = c->rxq != NULL ? c->rxq->frag_size : 0;

	return fs != 0 && fs <= c->mbuf->buf_len ? fs : c->mbuf->buf_len;
}

static inline uint8_t *
xdpc_hard_start(const struct xdpc_ctx *c)
{
	return c->mbuf->buf_addr;
}

/* The kernel's MAX_SKB_FRAGS: frames with more frags are ABORTED. */
#define XDPC_MAX_FRAGS		17

#define XDPC_CTX_DATA		0
#define XDPC_CTX_DATA_END	8
#define XDPC_CTX_DATA_META	24
#define XDPC_CTX_INGRESS	32
#define XDPC_CTX_RXQ		36
#define XDPC_CTX_EGRESS		40
#define XDPC_CTX_META_VIEW	64

/*
 * Clamped packet offsets: a variable offset added to a packet pointer
 * that the rewriter cannot bound is clamped to pkt_window - SLACK (room
 * left for constant offsets and the access size). Frames run by such a
 * program must keep data_end - data_meta <= that limit minus MARGIN, so
 * that any clamped pointer is still past data_end and the program's own
 * data_end checks take the same branch as without the clamp. Windows
 * under 2 * SLACK bytes get no clamping.
 */
#define XDPC_CLAMP_SLACK	256
#define XDPC_CLAMP_MARGIN	64

/* ELF view of the object, filled at open. */
struct xdpc_sec {
	char *name;
	const struct xinsn *ins;	/* NULL unless executable */
	uint32_t nb_ins;
	struct xdpc_rel *rel;
	uint32_t nb_rel;
	struct rte_xdp_map *data_map;	/* global-data section → its map */
	int data_map_idx;
	uint32_t sh_type;
	uint64_t sh_flags;
	uint64_t data_off, data_size;	/* in the file (SHT_NOBITS: size) */
};

struct xdpc_rel {
	uint32_t insn;		/* index in the section */
	uint32_t sym;
};

struct xdpc_sym {
	char *name;
	uint16_t shndx;
	uint8_t type;		/* STT_* */
	uint8_t bind;		/* STB_* */
	uint64_t value, size;
};

struct xdpc_map_slot {
	char name[64];
	struct rte_xdp_map_def def;
	int has_inner;		/* map of maps: inner_def is its template */
	struct rte_xdp_map_def inner_def;
	int values_off;		/* BTF .values member offset, -1: none */
	int spin_lock_off;	/* BTF struct bpf_spin_lock offset, -1: none */
	int internal;		/* global data */
	char sec_name[64];	/* ELF section for internal maps */
	void *init;		/* initial value (internal maps) */
	size_t init_size;
	struct rte_xdp_map *map;
};

/*
 * Run statistics (kernel.bpf_stats_enabled): a slot per lcore, and the
 * last one for threads that are not lcores.
 */
struct xdpc_prog_stats {
	uint64_t cnt;
	uint64_t cycles;
} __rte_cache_aligned;

#define XDPC_STATS_SLOTS	(RTE_MAX_LCORE + 1)

/*
 * What the runner must do around a program's runs, from the helpers it
 * (or a bpf_loop callback of it) calls: a program with none of these is
 * run by the runner's shortest loop.
 */
#define XDPC_RUN_REDIRECT	0x01	/* fills the redirect info */
#define XDPC_RUN_MOVES		0x02	/* moves data, data_end or data_meta */
#define XDPC_RUN_TAIL_CALL	0x04	/* bpf_tail_call() */
#define XDPC_RUN_REFS		0x08	/* may leave a record or lock held */
#define XDPC_RUN_CLAMP		0x10	/* clamped packet offsets */
#define XDPC_RUN_INTERPRET	0x20	/* no JIT code */

struct rte_xdp_prog {
	struct rte_xdp_obj *obj;
	char name[64];
	char section[64];
	uint16_t sec;
	uint32_t start, len;	/* instructions in the section */
	int frags;
	int verified_by_kernel;
	uint32_t nb_insns;
	uint32_t nb_xlated;
	void *bpf;		/* struct rte_bpf * */
	uint64_t (*func)(void *);
	size_t jited_size;
	void *xsym;		/* struct rte_bpf_xsym[] */
	uint32_t nb_xsym;
	uint32_t pkt_window;
	uint32_t clamp_limit;	/* 0: no clamped offset */
	uint32_t nb_clamps;
	uint32_t nb_spills;	/* sequences that needed a spill slot */
	int attach;		/* RTE_XDP_ATTACH_* */
	int autoload;
	int cb_kind;		/* compiling a callback: 1 ctx, 2 NULL ctx */
	int zero_stack;		/* rewrite with the stack zeroed at entry */
	int hint_ptr_adds;	/* rewrite telling rte_bpf packet offsets' bounds */
	/* narrowest store to each 8-byte stack slot (from R10 up): wider
	 * loads of it are split when the stack is zeroed */
	uint8_t stk_store_min[XB_STACK_SIZE / 8];
	struct xdpc_callback *cbs;	/* bpf_loop callbacks, compiled */
	struct xdpc_xlated xl;		/* its code, as rte_bpf runs it */
	uint32_t id;		/* from 1 once loaded, as the kernel's */
	uint32_t run_flags;	/* XDPC_RUN_*: what its runs must look after */
	struct xdpc_prog_stats *stats;	/* XDPC_STATS_SLOTS, once loaded */
	TAILQ_ENTRY(rte_xdp_prog) next;	/* loaded programs */
};

struct rte_xdp_obj {
	char path[256];
	struct rte_xdp_obj_opts opts;
	char license[128];
	struct xdpc_sec *secs;
	uint32_t nb_secs;
	struct xdpc_sym *syms;
	uint32_t nb_syms;
	int maps_shndx;
	struct xdpc_map_slot *maps;
	uint32_t nb_maps;
	struct xdpc_rel *map_rels;	/* .rel.maps: r_offset in bytes */
	uint32_t nb_map_rels;
	int legacy;		/* SEC("maps") definitions: libbpf cannot open */
	int *kfds;		/* legacy: kernel maps for its verification */
	char not_xdp[1024];	/* programs that are not XDP, and why */
	struct rte_xdp_prog *progs;
	uint32_t nb_progs;
	int loaded;
	void *elf_buf;		/* whole file */
	size_t elf_size;
};

/* Error reporting into a caller buffer. */
void xdpc_err(char *err, size_t len, const char *fmt, ...)
	__rte_format_printf(3, 4);

/* xdp_obj.c, xdp_legacy.c: open */
int xdpc_find_sec(const struct rte_xdp_obj *obj, const char *name);
int xdpc_obj_add_prog(struct rte_xdp_obj *obj, const char *name,
	const char *sname, int frags, char *err, size_t err_len);
void xdpc_obj_not_xdp(struct rte_xdp_obj *obj, const char *name,
	const char *sname);
int xdpc_collect_legacy(struct rte_xdp_obj *obj, char *err, size_t err_len);
int xdpc_kernel_verify_linked(struct rte_xdp_prog *prog,
	const struct xvec *code, char *err, size_t err_len);
void xdpc_kernel_maps_close(struct rte_xdp_obj *obj);
const char *xdpc_log_reason(char *log);
const char *xdpc_section_kind(const char *sname, int *known);

/* xdp_obj_check.c: what libbpf follows in the ELF, checked before it. */
struct Elf;
int xdpc_obj_check_elf(const struct rte_xdp_obj *obj, struct Elf *elf,
	char *err, size_t err_len);

/* xdp_link.c: cut the program, resolve relocations, inline subprograms. */
int xdpc_link(struct rte_xdp_obj *obj, struct rte_xdp_prog *prog,
	struct xvec *out, char *err, size_t err_len);
int xdpc_func_len(const struct rte_xdp_obj *obj, uint16_t sec,
	uint32_t start, uint32_t *len);

/* xdp_unroll.c: unroll loops bounded by a constant, refuse the others. */
int xdpc_unroll(const struct rte_xdp_prog *prog, struct xvec *code,
	char *err, size_t err_len);

/* Where an instruction of the rewritten code came from, and why. */
struct xdpc_insn_src {
	uint16_t sec;
	uint32_t notes;			/* RTE_XDP_XLATED_* */
	struct rte_xdp_map *map;	/* LD_IMM64 of a map or map value */
	uint32_t map_off;
	uint8_t map_value;		/* 1: a map value's address */
};

/* xdp_rewrite.c: rewrite for rte_bpf; emits final code and call sites. */
struct xdpc_rewrite_out {
	struct xinsn *ins;
	uint32_t nb_ins;
	int32_t *orig;			/* per output insn */
	/* per output insn, the first nb_src ones: the JIT's nudges
	 * (xdp_jit.c) put further instructions in front */
	struct xdpc_insn_src *src;
	uint32_t nb_src;
	struct xdpc_call_site *calls;
	uint32_t nb_calls;
	struct xdpc_var *vars;
	uint32_t nb_vars;
	uint32_t nb_clamps;
	uint32_t nb_spills;
	struct xdpc_callback *cbs;	/* bpf_loop callbacks to compile */
	uint8_t stk_store_min[XB_STACK_SIZE / 8];
	uint64_t nb_paths;		/* entry-to-exit paths (saturated) */
};
int xdpc_rewrite(const struct rte_xdp_prog *prog, struct xvec *code,
	struct xdpc_rewrite_out *out, char *err, size_t err_len);
void xdpc_rewrite_out_free(struct xdpc_rewrite_out *out);

/*
 * xdp_converge.c: registers and stack slots dead where paths join given
 * one value there, so that rte_bpf's validator prunes (the number of
 * instructions put in: nb_added).
 */
int xdpc_converge(struct xdpc_rewrite_out *rw, const void *xsym,
	uint32_t nb_xsym, uint32_t *nb_added);

/*
 * xdp_jit.c: rte_bpf's x86 JIT can lay a program out wrong. Before
 * rte_bpf_load(), change the program (jumps put in front) until it cannot;
 * after it, check the code (0) before running it.
 */
struct rte_bpf;
struct rte_bpf_jit;
int xdpc_jit_prepare(struct xdpc_rewrite_out *rw, const void *xsym,
	uint32_t nb_xsym, const char *section, char *err, size_t err_len);
int xdpc_jit_check(const struct rte_bpf *bpf, const struct rte_bpf_jit *jit);
/* The JIT that compiles programs here: "x86_64", "arm64". */
const char *xdpc_jit_name(void);
/*
 * Run JIT-ed code. rte_bpf's arm64 JIT can leave the frame pointer
 * changed (xdp_jit.c): there the call goes through a function that keeps
 * it; elsewhere it is a plain call.
 */
#ifdef RTE_ARCH_ARM64
uint64_t xdpc_jit_call(uint64_t (*func)(void *), void *arg);
#else
static inline uint64_t
xdpc_jit_call(uint64_t (*func)(void *), void *arg)
{
	return func(arg);
}
#endif

/*
 * What a helper called by JIT-ed code is declared with. DPDK 22.11's x86
 * JIT calls it on a stack that may be 8 bytes off a 16-byte boundary: it
 * realigns the stack. The arm64 JIT keeps sp 16-byte aligned (its frame
 * sizes are multiples of 16), as AArch64 requires of any sp used to
 * address memory: nothing to do.
 */
#ifdef RTE_ARCH_X86
#define XDPC_HELPER_ATTR __attribute__((force_align_arg_pointer))
#else
#define XDPC_HELPER_ATTR
#endif

/* xdp_xlated.c: keep the code as given to rte_bpf (and its JIT code). */
int xdpc_xlated_build(struct xdpc_xlated *xl, const struct rte_xdp_prog *prog,
	const struct xdpc_rewrite_out *rw, uint16_t sec, uint32_t start,
	uint32_t len, const void *jit, size_t jit_size);
void xdpc_xlated_free(struct xdpc_xlated *xl);

/* xdp_helpers.c */
int xdpc_helper_known(uint32_t id);
int xdpc_helper_info(uint32_t id, struct xdpc_helper_info *hi);
const char *xdpc_helper_name(uint32_t id);
/* XDPC_RUN_* flags a call to helper id gives its program. */
uint32_t xdpc_helper_run_flags(uint32_t id);
/* Fill xsyms (struct rte_bpf_xsym[]) for the calls then the vars. */
void *xdpc_build_xsyms(const struct rte_xdp_prog *prog,
	const struct xdpc_rewrite_out *rw, char *err, size_t err_len);

/*
 * The run's per-lcore state (xdp_helpers.c): where the program asked to
 * redirect (ri_set once a helper filled ri for the frame being run), the
 * context of the frame being run. Thread-local, in the initial-exec
 * model as every thread-local variable of the library (meson.build): an
 * access is a load from the thread pointer, not a call to
 * __tls_get_addr(). Kept small: a library loaded with dlopen() (a PMD's
 * dependency) takes its initial-exec variables from the few hundred
 * bytes of static TLS the C library keeps for that.
 */
struct xdpc_lcore {
	struct rte_xdp_redirect_info ri;
	uint32_t ri_set;
	struct xdpc_ctx *cur_ctx;
};
RTE_DECLARE_PER_LCORE(struct xdpc_lcore, xdpc_lcore);

/* xdp_frags.c: multi-buffer frames */
uint32_t xdpc_buff_len(const struct xdpc_ctx *c);
int xdpc_frags_copy(struct xdpc_ctx *c, uint32_t off, void *buf,
	uint32_t len, int store);
void xdpc_frags_read(const struct xdpc_ctx *c, uint32_t off, void *buf,
	uint32_t len);
int xdpc_frags_adjust_tail(struct xdpc_ctx *c, int32_t offset);

/* xdp_tailcall.c: prog arrays */
int xdpc_prog_array_owner(struct rte_xdp_map *map,
	const struct rte_xdp_prog *prog);
int xdpc_prog_array_set(struct rte_xdp_map *map, uint32_t idx,
	struct rte_xdp_prog *prog);
uint64_t xdpc_helper_tail_call(uint64_t ctx, uint64_t map, uint64_t index,
	uint64_t a4, uint64_t a5);

/* xdp_events.c: perf event arrays and ring buffers */
uint64_t xdpc_helper_perf_event_output(uint64_t ctx, uint64_t map,
	uint64_t flags, uint64_t data, uint64_t size);
uint64_t xdpc_helper_ringbuf_output(uint64_t map, uint64_t data,
	uint64_t size, uint64_t flags, uint64_t a5);
uint64_t xdpc_helper_ringbuf_reserve(uint64_t map, uint64_t size,
	uint64_t flags, uint64_t a4, uint64_t a5);
uint64_t xdpc_helper_ringbuf_submit(uint64_t rec, uint64_t flags,
	uint64_t a3, uint64_t a4, uint64_t a5);
uint64_t xdpc_helper_ringbuf_discard(uint64_t rec, uint64_t flags,
	uint64_t a3, uint64_t a4, uint64_t a5);
uint64_t xdpc_helper_ringbuf_query(uint64_t map, uint64_t flags,
	uint64_t a3, uint64_t a4, uint64_t a5);
void xdpc_ringbuf_release_all(struct xdpc_ctx *c);

/* Value address of an internal/array map's element 0. */
void *xdpc_map_value0(struct rte_xdp_map *map);

#endif /* XDP_PROG_INTERNAL_H */
