/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_PROG_H
#define RTE_XDP_PROG_H

/**
 * @file
 * XDP programs on rte_bpf: open an unmodified XDP object (clang -target
 * bpf), load its programs (maps created in DPDK memory, map references and
 * helpers linked, the code rewritten for rte_bpf, validated and JIT-ed),
 * and run a program over a burst of mbufs seen as xdp_buffs.
 *
 *	obj = rte_xdp_obj_open("prog.o", NULL, err, sizeof(err));
 *	rte_xdp_obj_load(obj, err, sizeof(err));
 *	prog = rte_xdp_obj_find_prog(obj, "xdp_pass");
 *	rte_xdp_prog_run_burst(prog, rxq, pkts, n, verdicts, redirects);
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_compat.h>
#include <rte_mbuf.h>

#include "rte_xdp_map.h"
#include "rte_xdp_page_pool.h"	/* RTE_XDP_PACKET_HEADROOM */
#include "rte_xdp_rxq_info.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Verdicts: the kernel's enum xdp_action. */
#define RTE_XDP_ABORTED		0
#define RTE_XDP_DROP		1
#define RTE_XDP_PASS		2
#define RTE_XDP_TX		3
#define RTE_XDP_REDIRECT	4

/** Where a program runs, from its section (libbpf's expected attach type). */
enum rte_xdp_attach {
	RTE_XDP_ATTACH_RX = 0,	/**< SEC("xdp"), SEC("xdp.frags"): on receive */
	RTE_XDP_ATTACH_DEVMAP,	/**< SEC("xdp/devmap"): on a devmap entry */
	RTE_XDP_ATTACH_CPUMAP,	/**< SEC("xdp/cpumap"): on a cpumap entry */
};

/** Largest program loaded, in instructions (the kernel's limit too). */
#define RTE_XDP_MAX_INSNS	1000000

enum rte_xdp_verify_policy {
	RTE_XDP_VERIFY_AUTO = 0, /**< kernel verifier when bpf() works */
	RTE_XDP_VERIFY_KERNEL,	 /**< kernel verifier required */
	RTE_XDP_VERIFY_BUILTIN,	 /**< rte_bpf validator and our checks only */
};

struct rte_xdp_obj_opts {
	enum rte_xdp_verify_policy verify;
	/**
	 * Bytes from xdp->data a program may address (0: default 1024).
	 * Every packet run must have at least this much buffer from data
	 * to the end of its buffer; packets that do not are ABORTED.
	 * A program whose variable packet offsets had to be clamped also
	 * ABORTs frames longer than pkt_window - 320 bytes (metadata
	 * included), see rte_xdp_prog_info.clamp_limit.
	 */
	uint32_t pkt_window;
	int socket_id;		/**< for maps; SOCKET_ID_ANY by default */
	int interpret;		/**< 1: use the rte_bpf interpreter, no JIT */
	/**
	 * 1: programs in sections libbpf does not recognise are XDP
	 * programs (bpftool's "prog load OBJ PATH type xdp").
	 */
	int force_xdp;
};

struct rte_xdp_obj;
struct rte_xdp_prog;

/**
 * Where a program asked to redirect to (like the kernel's per-CPU
 * bpf_redirect_info): set by bpf_redirect() / bpf_redirect_map().
 */
struct rte_xdp_redirect_info {
	uint32_t ifindex;	/**< bpf_redirect() target, or the map key */
	/**
	 * 0, or the program's flags when they hold BPF_F_BROADCAST (bit 3,
	 * devmaps only; BPF_F_EXCLUDE_INGRESS is bit 4): every entry of map
	 * is then a target, as in the kernel.
	 */
	uint32_t flags;
	struct rte_xdp_map *map; /**< NULL for bpf_redirect() */
	uint32_t map_type;
	/**
	 * The map entry's value; for a broadcast without an entry at the
	 * key, a zeroed value (ifindex 0).
	 */
	const void *tgt_value;
};

/**
 * Open an object file: parse the ELF, its programs and maps. Nothing is
 * created yet, so map sizes can still be changed. On error NULL is
 * returned and err holds a message naming the cause.
 */
struct rte_xdp_obj *rte_xdp_obj_open(const char *path,
	const struct rte_xdp_obj_opts *opts, char *err, size_t err_len);

/**
 * Open an object from memory (libbpf's bpf_object__open_mem()): as
 * rte_xdp_obj_open(), with name standing for the path in names and
 * messages. The bytes are copied.
 */
__rte_experimental
struct rte_xdp_obj *rte_xdp_obj_open_mem(const char *name, const void *buf,
	size_t size, const struct rte_xdp_obj_opts *opts, char *err,
	size_t err_len);

/**
 * Choose whether rte_xdp_obj_load() loads a program (by program or
 * section name; all are loaded by default), like libbpf's
 * bpf_program__set_autoload(). A program not loaded has no code:
 * rte_xdp_obj_find_prog() still finds it, running it gives ABORTED.
 */
int rte_xdp_obj_set_autoload(struct rte_xdp_obj *obj, const char *name,
	int autoload);

/** Set max_entries of a map before rte_xdp_obj_load(). */
int rte_xdp_obj_set_max_entries(struct rte_xdp_obj *obj, const char *map,
	uint32_t max_entries);

/**
 * Create the maps and load every XDP program of the object. A program
 * that cannot be loaded makes the whole call fail with a message naming
 * section, instruction index and reason.
 */
int rte_xdp_obj_load(struct rte_xdp_obj *obj, char *err, size_t err_len);

/** Release programs and maps. NULL is ignored. */
void rte_xdp_obj_close(struct rte_xdp_obj *obj);

/**
 * The object's programs that are not XDP and why ("" if none), e.g.
 * "count (tracepoint/xdp/xdp_redirect): a tracepoint program
 * (kernel-only facility: tracepoints)". They are not loaded.
 */
const char *rte_xdp_obj_not_xdp(const struct rte_xdp_obj *obj);

unsigned int rte_xdp_obj_nb_progs(const struct rte_xdp_obj *obj);
struct rte_xdp_prog *rte_xdp_obj_prog(const struct rte_xdp_obj *obj,
	unsigned int i);
/** By program (function) name or by section name; NULL if none. */
struct rte_xdp_prog *rte_xdp_obj_find_prog(const struct rte_xdp_obj *obj,
	const char *name);
unsigned int rte_xdp_obj_nb_maps(const struct rte_xdp_obj *obj);
struct rte_xdp_map *rte_xdp_obj_map(const struct rte_xdp_obj *obj,
	unsigned int i);
struct rte_xdp_map *rte_xdp_obj_find_map(const struct rte_xdp_obj *obj,
	const char *name);

struct rte_xdp_prog_info {
	const char *name;
	const char *section;
	const char *license;
	uint32_t nb_insns;	/**< in the object, subprograms included */
	uint32_t nb_xlated;	/**< handed to rte_bpf */
	size_t jited_size;	/**< 0 when interpreted */
	int frags;		/**< SEC("xdp.frags") */
	int verified_by_kernel;
	enum rte_xdp_attach attach;
	int loaded;		/**< 0: not loaded (autoload off) */
	uint32_t nb_clamps;	/**< variable packet offsets clamped */
	/**
	 * With clamps: frames (metadata included) longer than this are
	 * ABORTED, and adjust helpers refuse to grow past it. 0: none.
	 */
	uint32_t clamp_limit;
	uint32_t nb_spills;	/**< lowered sequences using the spill slot */
	uint32_t pkt_window;
	uint32_t id;		/**< rte_xdp_prog_id(), 0 if not loaded */
	/** rte_bpf's JIT that compiled it ("x86_64", "arm64"); NULL: interpreted */
	const char *jit;
};

int rte_xdp_prog_info(const struct rte_xdp_prog *prog,
	struct rte_xdp_prog_info *info);

/**
 * Whether prog may be attached to a port, natively or generically, as the
 * kernel's dev_xdp_install() decides: SEC("xdp/devmap") and
 * SEC("xdp/cpumap") programs run on map entries, never on a device.
 *
 * @return 0; -EINVAL with the kernel's reason in err (e.g. "BPF_XDP_DEVMAP
 *   programs can not be attached to a device").
 */
__rte_experimental
int rte_xdp_prog_check_dev_attach(const struct rte_xdp_prog *prog,
	char *err, size_t err_len);

/**
 * A loaded program's id (from 1, unique in the process), as the kernel's
 * program id: the value that fills a PROG_ARRAY slot with
 * rte_xdp_map_update(). 0 for a program not loaded.
 */
uint32_t rte_xdp_prog_id(const struct rte_xdp_prog *prog);

/** The loaded program of that id, or NULL. */
struct rte_xdp_prog *rte_xdp_prog_by_id(uint32_t id);

/**
 * bpf(BPF_PROG_GET_NEXT_ID): the smallest id of a loaded program above
 * start_id; -ENOENT after the last.
 */
__rte_experimental
int rte_xdp_prog_get_next_id(uint32_t start_id, uint32_t *next_id);

/**
 * Turn run statistics on or off for all programs, as the kernel's sysctl
 * kernel.bpf_stats_enabled; returns the previous setting. Off (the
 * default), a run pays one test per burst.
 */
__rte_experimental
int rte_xdp_stats_enable(int enable);

/**
 * What bpftool shows as run_cnt and run_time_ns: frames run and time
 * spent in the program while statistics were on, since it was loaded.
 */
__rte_experimental
void rte_xdp_prog_stats(const struct rte_xdp_prog *prog, uint64_t *run_cnt,
	uint64_t *run_time_ns);

/**
 * Run a program over n mbufs. Each mbuf is an xdp_buff: data = mtod,
 * data_meta = data minus the metadata length kept in the mbuf's dynfield
 * (0 on input unless set), data_hard_start = buf_addr. Moves of data,
 * data_end and data_meta are applied back to the mbuf (data_off, data_len,
 * pkt_len, metadata length).
 *
 * A chained mbuf is a multi-buffer frame: the first segment is the linear
 * part (data .. data_end), the others are its frags (at most 17, the
 * kernel's MAX_SKB_FRAGS), each in a buffer of rxq->frag_size bytes. Only
 * frags-aware programs (SEC("xdp.frags")) run on it; others give ABORTED.
 * bpf_xdp_adjust_tail() may shrink the frags (a segment it empties is
 * unlinked and given back through rxq->mem at once, as the kernel does)
 * or grow the last one within its tailroom; nb_segs, pkt_len and each
 * data_len are updated.
 *
 * A program that tail-calls (bpf_tail_call() through a PROG_ARRAY) goes
 * on with the target program on the same frame, as in the kernel; the
 * verdict and the redirect are the last program's.
 *
 * @param verdicts   n verdicts (RTE_XDP_*)
 * @param redirects  NULL, or n entries filled for REDIRECT verdicts
 * @return number of packets run (n)
 */
uint16_t rte_xdp_prog_run_burst(const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, struct rte_mbuf **pkts, uint16_t n,
	uint32_t *verdicts, struct rte_xdp_redirect_info *redirects);

/**
 * rte_xdp_prog_run_burst() for a SEC("xdp/devmap") program run when a
 * frame is redirected through a devmap entry: egress_ifindex is the
 * target's ifindex, as the kernel sets it.
 */
uint16_t rte_xdp_prog_run_burst_egress(const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, uint32_t egress_ifindex,
	struct rte_mbuf **pkts, uint16_t n, uint32_t *verdicts,
	struct rte_xdp_redirect_info *redirects);

/** A test run, as bpf(BPF_PROG_TEST_RUN) takes and gives it. */
struct rte_xdp_test_run {
	const void *data_in;		/**< the frame, metadata first */
	uint32_t data_size_in;
	void *data_out;			/**< NULL: not copied */
	/** in: room in data_out; out: the frame's size after the run */
	uint32_t data_size_out;
	const void *ctx_in;		/**< struct xdp_md, NULL: none */
	uint32_t ctx_size_in;
	void *ctx_out;			/**< NULL: not copied */
	uint32_t ctx_size_out;		/**< in: room; out: its size */
	uint32_t repeat;		/**< runs on the same frame (0: 1) */
	uint32_t retval;		/**< out: the verdict */
	uint32_t duration;		/**< out: ns a run, on average */
};

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * bpf(BPF_PROG_TEST_RUN) of an XDP program, with the kernel's frame
 * (metadata from ctx_in's data, the linear part at XDP_PACKET_HEADROOM of
 * a 4 KiB frame, the rest of data_in in frags for frags-aware programs),
 * ingress_ifindex 1 and queue 0 unless ctx_in says otherwise, and the
 * kernel's errors: -EINVAL, -E2BIG, -ENOMEM on bad input (err says why),
 * -ENOSPC when the frame or context does not fit the room given (what
 * fits is copied, data_size_out tells the frame's size).
 */
__rte_experimental
int rte_xdp_prog_test_run(struct rte_xdp_prog *prog,
	struct rte_xdp_test_run *t, char *err, size_t err_len);

/** Metadata length (bytes before data) the last run left in an mbuf. */
uint32_t rte_xdp_mbuf_meta_len(const struct rte_mbuf *m);

/**
 * Give an mbuf len bytes of metadata right before its data (at most 32,
 * a multiple of 4, within its headroom), as a driver that receives
 * metadata would. Returns 0, or -EINVAL.
 */
int rte_xdp_mbuf_set_meta_len(struct rte_mbuf *m, uint32_t len);

/*
 * What the rewriter did to make an instruction rte_bpf runs (the bits of
 * rte_xdp_xlated_src.notes); 0: the object's instruction as it is.
 * rte_xdp_xlated_note() names each.
 */
#define RTE_XDP_XLATED_CTX_LOAD		(1u << 0)
#define RTE_XDP_XLATED_MAP_ADDR		(1u << 1)
#define RTE_XDP_XLATED_HELPER_CALL	(1u << 2)
#define RTE_XDP_XLATED_TAIL_CALL	(1u << 3)
#define RTE_XDP_XLATED_CALLBACK		(1u << 4)
#define RTE_XDP_XLATED_JMP32		(1u << 5)
#define RTE_XDP_XLATED_JSET_IMM		(1u << 6)
#define RTE_XDP_XLATED_ARSH32		(1u << 7)
#define RTE_XDP_XLATED_DIVMOD		(1u << 8)
#define RTE_XDP_XLATED_CLAMP		(1u << 9)
#define RTE_XDP_XLATED_PTR_ADD		(1u << 10)
#define RTE_XDP_XLATED_STACK_SPLIT	(1u << 11)
#define RTE_XDP_XLATED_SPILL		(1u << 12)
#define RTE_XDP_XLATED_STACK_ZERO	(1u << 13)
#define RTE_XDP_XLATED_ONE_EXIT		(1u << 14)
#define RTE_XDP_XLATED_CONST_JUMP	(1u << 15)
#define RTE_XDP_XLATED_JIT_NUDGE	(1u << 16)
#define RTE_XDP_XLATED_INLINED		(1u << 17)
#define RTE_XDP_XLATED_NB_NOTES		18

/** An eBPF instruction, laid out as rte_bpf's struct ebpf_insn. */
struct rte_xdp_insn {
	uint8_t code;
	uint8_t dst_reg:4;
	uint8_t src_reg:4;
	int16_t off;
	int32_t imm;
};

/** Where an instruction given to rte_bpf came from, and why it is there. */
struct rte_xdp_xlated_src {
	const char *section;	/**< ELF section of the object instruction */
	int32_t insn;		/**< its index in that section (-1: none) */
	uint32_t notes;		/**< RTE_XDP_XLATED_*: what the rewriter did */
	/** helper call: the kernel's helper id and name ("map_lookup_elem") */
	uint32_t helper;
	const char *helper_name;
	/** map or map value address: the map's id, offset in the value */
	uint32_t map_id;
	uint32_t map_off;
	int map_value;		/**< 1: a map value's address (else the map's) */
};

/** One function of a loaded program as rte_bpf runs it. */
struct rte_xdp_xlated {
	const struct rte_xdp_insn *insns;	/**< given to rte_bpf_load() */
	const struct rte_xdp_xlated_src *src;	/**< one per instruction */
	uint32_t nb_insns;
	const char *section;	/**< ELF section of the function */
	int32_t start;		/**< its first instruction in that section */
	const void *jit;	/**< rte_bpf's JIT code, NULL: interpreted */
	size_t jit_size;
};

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The code of a loaded program as rte_bpf runs it, bpftool's "xlated"
 * program: after linking, inlining and rewriting, with where each
 * instruction came from and what the rewriter did. Function 0 is the
 * program; 1, 2, ... are its bpf_loop() callbacks, each an rte_bpf
 * program of its own. Valid while the program stays loaded.
 *
 * @return 0; -ENOENT past the last function; -EINVAL for a program that
 *   is not loaded.
 */
__rte_experimental
int rte_xdp_prog_xlated(const struct rte_xdp_prog *prog, unsigned int func,
	struct rte_xdp_xlated *xlated);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * rte_bpf's JIT code of a loaded program's function (see
 * rte_xdp_prog_xlated()), bpftool's "jited" program.
 *
 * @return 0; -ENOENT past the last function, or when the function is
 *   interpreted (no JIT, or JIT code that failed its check); -EINVAL for
 *   a program that is not loaded.
 */
__rte_experimental
int rte_xdp_prog_jited(const struct rte_xdp_prog *prog, unsigned int func,
	const void **code, size_t *size);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * What an RTE_XDP_XLATED_* bit means, in a few words; NULL for a value
 * that is not one bit.
 */
__rte_experimental
const char *rte_xdp_xlated_note(uint32_t note);

#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_PROG_H */
