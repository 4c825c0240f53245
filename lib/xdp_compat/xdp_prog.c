/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Load a program into rte_bpf (link → rewrite → rte_bpf_load → JIT) and
 * run it over bursts of mbufs seen as xdp_buffs.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_bpf.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_mbuf_dyn.h>
#include <rte_per_lcore.h>
#include <rte_spinlock.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"


int xdpc_meta_len_off = -1;

static int
meta_dynfield(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "xdp_compat_meta_len",
		.size = sizeof(uint32_t),
		.align = __alignof__(uint32_t),
	};

	if (xdpc_meta_len_off < 0)
		xdpc_meta_len_off = rte_mbuf_dynfield_register(&desc);
	return xdpc_meta_len_off;
}

uint32_t
rte_xdp_mbuf_meta_len(const struct rte_mbuf *m)
{
	if (xdpc_meta_len_off < 0)
		return 0;
	return *RTE_MBUF_DYNFIELD(m, xdpc_meta_len_off, const uint32_t *);
}

int
rte_xdp_mbuf_set_meta_len(struct rte_mbuf *m, uint32_t len)
{
	if (meta_dynfield() < 0 || len > 32 || (len & 3) != 0 ||
	    len > m->data_off)
		return -EINVAL;
	*RTE_MBUF_DYNFIELD(m, xdpc_meta_len_off, uint32_t *) = len;
	return 0;
}

/* Keep the last rte_bpf validator line, and the pc it names. */
static void
bpf_log_reason(const char *log, const struct xdpc_rewrite_out *rw,
	const struct rte_xdp_prog *prog, char *err, size_t err_len)
{
	const char *line = NULL, *p, *pc;
	char reason[256];
	long n;

	for (p = log; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strstr(p, "pc") != NULL || strstr(p, "error") != NULL)
			if (line == NULL || strncmp(p, "bpf_", 4) == 0 ||
			    strstr(p, "pc:") != NULL)
				line = p;
		if (*p == '\0')
			break;
	}
	if (line == NULL) {
		xdpc_err(err, err_len, "section %s: rte_bpf refused the program (%s)",
			prog->section, rte_strerror(rte_errno));
		return;
	}
	snprintf(reason, sizeof(reason), "%.*s", (int)strcspn(line, "\n"),
		line);
	pc = strstr(line, "pc:");
	n = pc != NULL ? strtol(pc + 3, NULL, 10) : -1;
	if (n >= 0 && (uint32_t)n < rw->nb_ins)
		xdpc_err(err, err_len, "section %s insn %d: rte_bpf: %s",
			prog->section, rw->orig[n], reason);
	else
		xdpc_err(err, err_len, "section %s: rte_bpf: %s",
			prog->section, reason);
}

int xdpc_prog_load(struct rte_xdp_prog *prog, char *err, size_t err_len);
void xdpc_prog_unload(struct rte_xdp_prog *prog);

/* Loaded programs, by id. */
static TAILQ_HEAD(, rte_xdp_prog) all_progs = TAILQ_HEAD_INITIALIZER(all_progs);
static rte_spinlock_t all_progs_lock = RTE_SPINLOCK_INITIALIZER;
static uint32_t next_prog_id = 1;

uint32_t
rte_xdp_prog_id(const struct rte_xdp_prog *prog)
{
	return prog->id;
}

int
rte_xdp_prog_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	struct rte_xdp_prog *p;
	uint32_t best = 0;

	rte_spinlock_lock(&all_progs_lock);
	TAILQ_FOREACH(p, &all_progs, next)
		if (p->id > start_id && (best == 0 || p->id < best))
			best = p->id;
	rte_spinlock_unlock(&all_progs_lock);
	if (best == 0)
		return -ENOENT;
	*next_id = best;
	return 0;
}

struct rte_xdp_prog *
rte_xdp_prog_by_id(uint32_t id)
{
	struct rte_xdp_prog *p;

	rte_spinlock_lock(&all_progs_lock);
	TAILQ_FOREACH(p, &all_progs, next)
		if (p->id == id)
			break;
	rte_spinlock_unlock(&all_progs_lock);
	return p;
}

/*
 * rte_bpf's validator walks the program's paths, pruning only states
 * equal to ones proven safe: on a very branchy program it may not end
 * for hours. Such programs (by their path count) are validated first in
 * a child process given XDPC_VALIDATE_SECS seconds of CPU time (a limit
 * the machine's load does not change, only its speed); -ETIMEDOUT if it
 * did not finish. The child touches no shared state: rte_bpf_load()
 * uses its own mmap and malloc, the child exits without DPDK cleanup.
 */
static void
validate_out_of_time(int sig __rte_unused)
{
	_exit(2);
}

static int
validate_in_child(const struct rte_bpf_prm *prm)
{
	struct rlimit cpu = {
		.rlim_cur = XDPC_VALIDATE_SECS,
		.rlim_max = XDPC_VALIDATE_SECS + 1,
	};
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	unsigned int waited;
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		FILE *null = fopen("/dev/null", "w");

		signal(SIGXCPU, validate_out_of_time);
		setrlimit(RLIMIT_CPU, &cpu);
		if (null != NULL)
			rte_openlog_stream(null);
		_exit(rte_bpf_load(prm) != NULL ? 0 : 1);
	}
	if (pid < 0)
		return 0;	/* cannot check: load as usual */
	/* Wall time too, for a child that gets no CPU at all. */
	for (waited = 0; waited < XDPC_VALIDATE_WALL_SECS * 100; waited++) {
		if (waitpid(pid, &status, WNOHANG) != pid)
			nanosleep(&nap, NULL);
		else if (WIFEXITED(status))
			return WEXITSTATUS(status) == 2 ? -ETIMEDOUT : 0;
		else	/* past the hard limit, or load as usual */
			return WTERMSIG(status) == SIGKILL ? -ETIMEDOUT : 0;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -ETIMEDOUT;
}

/* rte_bpf_load() with its log captured, to name a refused instruction. */
static struct rte_bpf *
bpf_load(const struct rte_bpf_prm *prm, const struct xdpc_rewrite_out *rw,
	const struct rte_xdp_prog *prog, char *err, size_t err_len)
{
	struct rte_bpf *bpf;
	FILE *saved, *mem;
	char *log = NULL;
	size_t log_len = 0;

	if (rw->nb_paths > XDPC_PATHS_CHECK &&
	    validate_in_child(prm) == -ETIMEDOUT) {
		xdpc_err(err, err_len,
			"section %s: rte_bpf's validator did not finish in %u s of CPU time: the program has %" PRIu64 " paths from entry to exit and it prunes few of them (too branchy for rte_bpf)",
			prog->section, XDPC_VALIDATE_SECS, rw->nb_paths);
		return NULL;
	}

	saved = rte_log_get_stream();
	mem = open_memstream(&log, &log_len);
	if (mem != NULL)
		rte_openlog_stream(mem);
	bpf = rte_bpf_load(prm);
	if (mem != NULL) {
		rte_openlog_stream(saved == stderr ? NULL : saved);
		fclose(mem);
	}
	if (bpf == NULL)
		bpf_log_reason(log, rw, prog, err, err_len);
	free(log);
	return bpf;
}

/*
 * A program with more paths than rte_bpf's validator can walk one by one
 * is given the code that lets it prune (xdp_converge.c).
 */
static int
converge(struct xdpc_rewrite_out *rw, const void *xsym, uint32_t nb_xsym,
	const struct rte_xdp_prog *prog, char *err, size_t err_len)
{
	uint32_t added;
	int ret;

	if (rw->nb_paths <= XDPC_PATHS_CHECK)
		return 0;
	ret = xdpc_converge(rw, xsym, nb_xsym, &added);
	if (ret == -E2BIG)
		xdpc_err(err, err_len,
			"section %s: jump too far after rewriting", prog->section);
	else if (ret != 0)
		xdpc_err(err, err_len, "section %s: out of memory",
			prog->section);
	else if (getenv("XDP_COMPAT_DUMP") != NULL)
		printf("; %s: %u instructions put in where paths join\n",
			prog->name, added);
	return ret;
}

/*
 * rte_bpf refused what the rewriter can express differently: a stack
 * read before any write on a path it explores (zero the stack first,
 * split wider reads of narrowly written slots), a packet offset whose
 * bounds its 32-bit arithmetic lost (tell it the analysis' bounds).
 * Returns 1 when the program is to be rewritten once more.
 */
static int
retry_with(struct rte_xdp_prog *prog, const struct xdpc_rewrite_out *rw,
	const char *err)
{
	if (!prog->zero_stack &&
	    strstr(err, "undefined value on the stack") != NULL) {
		prog->zero_stack = 1;
		memcpy(prog->stk_store_min, rw->stk_store_min,
			sizeof(prog->stk_store_min));
		return 1;
	}
	if (!prog->hint_ptr_adds &&
	    strstr(err, "memory boundary violation") != NULL) {
		prog->hint_ptr_adds = 1;
		return 1;
	}
	return 0;
}

void
xdpc_callbacks_free(struct xdpc_callback *cb)
{
	struct xdpc_callback *next;

	for (; cb != NULL; cb = next) {
		next = cb->next;
		if (cb->bpf != NULL)
			rte_bpf_destroy(cb->bpf);
		free(cb->xsym);
		xdpc_xlated_free(&cb->xl);
		free(cb);
	}
}

#define MAX_CALLBACK_NESTING 8

/* XDPC_RUN_* flags of the helpers a rewritten program calls. */
static uint32_t
calls_run_flags(const struct xdpc_rewrite_out *rw)
{
	uint32_t f = 0, i;

	for (i = 0; i < rw->nb_calls; i++)
		f |= xdpc_helper_run_flags(rw->calls[i].helper);
	return f;
}

/*
 * Compile the bpf_loop() callbacks of a rewritten program (and theirs):
 * each is linked and rewritten as a program of its own taking a struct
 * xdpc_cb_arg, then loaded into rte_bpf. They join prog->cbs.
 */
static int
compile_callbacks(struct rte_xdp_prog *prog, struct xdpc_callback *list,
	int nesting, char *err, size_t err_len)
{
	struct xdpc_callback *cb, *next;
	int ret = 0;

	for (cb = list; cb != NULL; cb = next) {
		struct rte_xdp_prog cp = *prog;
		struct xdpc_rewrite_out rw = { 0 };
		struct xvec code = { 0 };
		struct rte_bpf_prm prm;
		struct rte_bpf_jit jit;

		next = cb->next;
		cb->next = prog->cbs;
		prog->cbs = cb;
		if (ret != 0)
			continue;
		if (nesting >= MAX_CALLBACK_NESTING) {
			xdpc_err(err, err_len,
				"section %s insn %d: bpf_loop callbacks nested too deep",
				prog->section, cb->orig);
			ret = -E2BIG;
			continue;
		}
		cp.sec = cb->sec;
		cp.start = cb->start;
		cp.cb_kind = cb->ctx_size != 0 ? 1 : 2;
		cp.cbs = NULL;
		cp.zero_stack = 0;
		cp.hint_ptr_adds = 0;
		if (xdpc_func_len(prog->obj, cb->sec, cb->start, &cp.len) != 0) {
			xdpc_err(err, err_len,
				"section %s insn %d: bpf_loop callback is not a function",
				prog->section, cb->orig);
			ret = -EINVAL;
			continue;
		}
		ret = xdpc_link(prog->obj, &cp, &code, err, err_len);
		if (ret == 0)
			ret = xdpc_unroll(&cp, &code, err, err_len);
again:
		if (ret == 0)
			ret = xdpc_rewrite(&cp, &code, &rw, err, err_len);
		if (ret == 0) {
			cb->xsym = xdpc_build_xsyms(&cp, &rw, err, err_len);
			if (cb->xsym == NULL)
				ret = -EINVAL;
		}
		if (ret == 0) {
			cb->nb_xsym = rw.nb_calls + rw.nb_vars;
			ret = converge(&rw, cb->xsym, cb->nb_xsym, &cp, err,
				err_len);
		}
		if (ret == 0) {
			ret = xdpc_jit_prepare(&rw, cb->xsym, cb->nb_xsym,
				prog->section, err, err_len);
		}
		if (ret == 0) {
			memset(&prm, 0, sizeof(prm));
			prm.ins = (const struct ebpf_insn *)rw.ins;
			prm.nb_ins = rw.nb_ins;
			prm.xsym = cb->xsym;
			prm.nb_xsym = cb->nb_xsym;
			prm.prog_arg.type = RTE_BPF_ARG_PTR_MBUF;
			prm.prog_arg.size = sizeof(struct xdpc_cb_arg);
			prm.prog_arg.buf_size = cb->ctx_size != 0 ?
				cb->ctx_size : 1;
			cb->bpf = bpf_load(&prm, &rw, &cp, err, err_len);
			if (cb->bpf == NULL && retry_with(&cp, &rw, err)) {
				free(cb->xsym);
				cb->xsym = NULL;
				xdpc_rewrite_out_free(&rw);
				goto again;
			}
			if (cb->bpf == NULL)
				ret = -EACCES;
		}
		if (ret == 0) {
			if (!prog->obj->opts.interpret &&
			    rte_bpf_get_jit(cb->bpf, &jit) == 0 &&
			    jit.func != NULL &&
			    xdpc_jit_check(cb->bpf, &jit) == 0)
				cb->func = jit.func;
			ret = xdpc_xlated_build(&cb->xl, &cp, &rw, cb->sec,
				cb->start, cp.len, (const void *)cb->func,
				cb->func != NULL ? jit.sz : 0);
			if (ret != 0)
				xdpc_err(err, err_len,
					"section %s: out of memory",
					prog->section);
		}
		if (ret == 0) {
			prog->nb_xlated += rw.nb_ins;
			prog->run_flags |= calls_run_flags(&rw);
			ret = compile_callbacks(prog, rw.cbs, nesting + 1, err,
				err_len);
			rw.cbs = NULL;
		}
		xdpc_rewrite_out_free(&rw);
		xvec_free(&code);
	}
	return ret;
}

int
xdpc_prog_load(struct rte_xdp_prog *prog, char *err, size_t err_len)
{
	struct xvec code = { 0 };
	struct xdpc_rewrite_out rw = { 0 };
	struct rte_bpf_prm prm;
	struct rte_bpf_jit jit;
	struct rte_bpf *bpf;
	int ret;

	if (meta_dynfield() < 0) {
		xdpc_err(err, err_len, "cannot register mbuf metadata field");
		return -rte_errno;
	}
	prog->pkt_window = prog->obj->opts.pkt_window;
	prog->cb_kind = 0;
	prog->cbs = NULL;
	if (prog->len == 0) {
		/* rte_bpf's validator overruns its arrays on an empty program */
		xdpc_err(err, err_len, "section %s: program %s has no instructions",
			prog->section, prog->name);
		return -EINVAL;
	}
	if (prog->len > RTE_XDP_MAX_INSNS) {
		xdpc_err(err, err_len,
			"section %s: program too large: %u instructions (limit %u)",
			prog->section, prog->len, RTE_XDP_MAX_INSNS);
		return -E2BIG;
	}
	prog->verified_by_kernel = 0;
	ret = xdpc_link(prog->obj, prog, &code, err, err_len);
	if (ret == 0 && prog->obj->legacy) {
		ret = xdpc_kernel_verify_linked(prog, &code, err, err_len);
		if (ret > 0)
			prog->verified_by_kernel = 1;
		ret = ret < 0 ? ret : 0;
	}
	if (ret == 0)
		ret = xdpc_unroll(prog, &code, err, err_len);
	if (ret == 0 && code.n > RTE_XDP_MAX_INSNS) {
		xdpc_err(err, err_len,
			"section %s: program too large once its calls are inlined: %u instructions (limit %u)",
			prog->section, code.n, RTE_XDP_MAX_INSNS);
		ret = -E2BIG;
	}
	if (ret != 0)
		goto out;
	prog->zero_stack = 0;
	prog->hint_ptr_adds = 0;
again:
	ret = xdpc_rewrite(prog, &code, &rw, err, err_len);
	if (ret != 0)
		goto out;
	prog->xsym = xdpc_build_xsyms(prog, &rw, err, err_len);
	if (prog->xsym == NULL) {
		ret = -EINVAL;
		goto out;
	}
	prog->nb_xsym = rw.nb_calls + rw.nb_vars;
	ret = converge(&rw, prog->xsym, prog->nb_xsym, prog, err, err_len);
	if (ret != 0)
		goto out;
	ret = xdpc_jit_prepare(&rw, prog->xsym, prog->nb_xsym, prog->section,
		err, err_len);
	if (ret != 0)
		goto out;
	memset(&prm, 0, sizeof(prm));
	prm.ins = (const struct ebpf_insn *)rw.ins;
	prm.nb_ins = rw.nb_ins;
	prm.xsym = prog->xsym;
	prm.nb_xsym = prog->nb_xsym;
	prm.prog_arg.type = RTE_BPF_ARG_PTR_MBUF;
	prm.prog_arg.size = sizeof(struct xdpc_ctx);
	prm.prog_arg.buf_size = prog->pkt_window;
	if (getenv("XDP_COMPAT_DUMP") != NULL) {	/* debugging aid */
		printf("; %s: %u instructions for rte_bpf, %" PRIu64 " paths\n",
			prog->name, rw.nb_ins, rw.nb_paths);
		rte_bpf_dump(stdout, prm.ins, prm.nb_ins);
	}
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		bpf = bpf_load(&prm, &rw, prog, err, err_len);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (getenv("XDP_COMPAT_DUMP") != NULL)
			printf("; rte_bpf_load: %s in %.3f s\n",
				bpf != NULL ? "ok" : err,
				(t1.tv_sec - t0.tv_sec) +
				(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	if (bpf == NULL && retry_with(prog, &rw, err)) {
		free(prog->xsym);
		prog->xsym = NULL;
		xdpc_callbacks_free(rw.cbs);
		rw.cbs = NULL;
		xdpc_rewrite_out_free(&rw);
		goto again;
	}
	if (bpf == NULL) {
		ret = -EACCES;
		goto out;
	}
	prog->bpf = bpf;
	prog->nb_xlated = rw.nb_ins;
	prog->nb_clamps = rw.nb_clamps;
	prog->nb_spills = rw.nb_spills;
	prog->clamp_limit = rw.nb_clamps == 0 ? 0 : prog->pkt_window -
		XDPC_CLAMP_SLACK - XDPC_CLAMP_MARGIN;
	prog->func = NULL;
	prog->jited_size = 0;
	if (!prog->obj->opts.interpret && rte_bpf_get_jit(bpf, &jit) == 0 &&
	    jit.func != NULL && xdpc_jit_check(bpf, &jit) == 0) {
		prog->func = jit.func;
		prog->jited_size = jit.sz;
	}
	prog->run_flags = calls_run_flags(&rw) |
		(prog->clamp_limit != 0 ? XDPC_RUN_CLAMP : 0) |
		(prog->func == NULL ? XDPC_RUN_INTERPRET : 0);
	ret = xdpc_xlated_build(&prog->xl, prog, &rw, prog->sec, prog->start,
		prog->len, (const void *)prog->func, prog->jited_size);
	if (ret != 0) {
		xdpc_err(err, err_len, "section %s: out of memory",
			prog->section);
	} else {
		ret = compile_callbacks(prog, rw.cbs, 0, err, err_len);
		rw.cbs = NULL;
	}
	if (ret != 0) {
		rte_bpf_destroy(prog->bpf);
		prog->bpf = NULL;
		prog->func = NULL;
		goto out;
	}
	prog->stats = aligned_alloc(RTE_CACHE_LINE_SIZE,
		sizeof(*prog->stats) * XDPC_STATS_SLOTS);
	if (prog->stats == NULL) {
		xdpc_err(err, err_len, "section %s: out of memory",
			prog->section);
		rte_bpf_destroy(prog->bpf);
		prog->bpf = NULL;
		prog->func = NULL;
		ret = -ENOMEM;
		goto out;
	}
	memset(prog->stats, 0, sizeof(*prog->stats) * XDPC_STATS_SLOTS);
	rte_spinlock_lock(&all_progs_lock);
	prog->id = next_prog_id++;
	TAILQ_INSERT_TAIL(&all_progs, prog, next);
	rte_spinlock_unlock(&all_progs_lock);
	ret = 0;
out:
	if (ret != 0) {
		free(prog->xsym);
		prog->xsym = NULL;
		xdpc_callbacks_free(prog->cbs);
		prog->cbs = NULL;
		xdpc_xlated_free(&prog->xl);
	}
	xdpc_rewrite_out_free(&rw);
	xvec_free(&code);
	return ret;
}

void
xdpc_prog_unload(struct rte_xdp_prog *prog)
{
	if (prog->id != 0) {
		rte_spinlock_lock(&all_progs_lock);
		TAILQ_REMOVE(&all_progs, prog, next);
		rte_spinlock_unlock(&all_progs_lock);
		xdpc_map_forget_prog(prog);
		prog->id = 0;
	}
	if (prog->bpf != NULL)
		rte_bpf_destroy(prog->bpf);
	prog->bpf = NULL;
	prog->func = NULL;
	prog->run_flags = XDPC_RUN_INTERPRET;
	free(prog->xsym);
	prog->xsym = NULL;
	xdpc_callbacks_free(prog->cbs);
	prog->cbs = NULL;
	xdpc_xlated_free(&prog->xl);
	free(prog->stats);
	prog->stats = NULL;
}

/* Can this frame be given to this program (packet window, clamps)? */
static inline int
frame_fits(const struct rte_xdp_prog *prog, const struct xdpc_ctx *c,
	const uint8_t *buf_end)
{
	return (size_t)(buf_end - (const uint8_t *)c->data) >=
		prog->pkt_window && (prog->clamp_limit == 0 ||
		c->data_end - c->data_meta <= prog->clamp_limit);
}

static inline uint64_t
exec(const struct rte_xdp_prog *prog, struct xdpc_ctx *c)
{
	return prog->func != NULL ? xdpc_jit_call(prog->func, c) :
		rte_bpf_exec(prog->bpf, c);
}

/*
 * What a program not verified by the kernel may leave behind: ring
 * buffer records reserved and a spin lock held (the verifier refuses
 * programs that do). Discarded and released, as if the program had.
 */
static __rte_noinline void
release_refs(struct xdpc_ctx *c)
{
	xdpc_ringbuf_release_all(c);
	if (c->lock_held != NULL) {
		rte_spinlock_unlock(c->lock_held);
		c->lock_held = NULL;
	}
}

/*
 * Programs a run went on to with bpf_tail_call(): each starts afresh on
 * the same context; the last one's return is the verdict.
 */
static __rte_noinline uint64_t
run_tail_calls(struct xdpc_ctx *c, const uint8_t *buf_end)
{
	const struct rte_xdp_prog *next;
	uint64_t rc = RTE_XDP_ABORTED;

	while ((next = c->tc_next) != NULL) {
		c->tc_next = NULL;
		if (unlikely(c->nb_resv != 0 || c->lock_held != NULL))
			release_refs(c);
		c->pkt_window = next->pkt_window;
		c->clamp_limit = next->clamp_limit;
		if (next->bpf == NULL || !frame_fits(next, c, buf_end))
			return RTE_XDP_ABORTED;
		rc = exec(next, c);
	}
	return rc;
}

/* Total length of an mbuf's further segments: its frags. */
static uint32_t
frags_len(const struct rte_mbuf *m)
{
	uint32_t len = 0;

	for (m = m->next; m != NULL; m = m->next)
		len += m->data_len;
	return len;
}

/*
 * The redirect the frame just run asked for, into out (NULL: not kept):
 * the helper's if it called one, else none (a REDIRECT verdict without
 * a bpf_redirect*() call fails, as in the kernel).
 */
static __rte_always_inline void
take_redirect(struct xdpc_lcore *lc, uint64_t rc,
	struct rte_xdp_redirect_info *out)
{
	if (likely(!lc->ri_set)) {
		if (unlikely(rc == RTE_XDP_REDIRECT) && out != NULL)
			memset(out, 0, sizeof(*out));
		return;
	}
	if (rc == RTE_XDP_REDIRECT && out != NULL)
		*out = lc->ri;
	lc->ri_set = 0;
}

/* Apply the program's moves of data, data_end, data_meta to the mbuf. */
static __rte_always_inline void
write_back(const struct xdpc_ctx *c, struct rte_mbuf *m, uint32_t *meta)
{
	uint8_t *data = c->data;

	m->data_off = data - (uint8_t *)m->buf_addr;
	m->data_len = c->data_end - (uintptr_t)data;
	m->nb_segs = 1 + c->nb_frags;
	m->pkt_len = m->data_len + c->frags_len;
	*meta = (uintptr_t)data - c->data_meta;
}

/*
 * One frame, with everything a run may need: frags, tail calls, records
 * and locks left held, clamps, the interpreter. The per-burst fields of
 * the context are as run_burst() set them, and left so.
 */
static __rte_noinline void
run_one(const struct rte_xdp_prog *prog, struct xdpc_ctx *c,
	struct xdpc_lcore *lc, struct rte_mbuf *m, uint32_t *verdict,
	struct rte_xdp_redirect_info *ri_out)
{
	uint8_t *buf_end = (uint8_t *)m->buf_addr + m->buf_len;
	uint32_t *meta = RTE_MBUF_DYNFIELD(m, xdpc_meta_len_off, uint32_t *);
	uint64_t rc;

	c->pkt_window = prog->pkt_window;
	c->clamp_limit = prog->clamp_limit;
	c->data = rte_pktmbuf_mtod(m, void *);
	c->data_end = (uintptr_t)c->data + m->data_len;
	if (*meta > m->data_off)
		*meta = 0;
	c->data_meta = (uintptr_t)c->data - *meta;
	c->mbuf = m;
	c->nb_frags = m->nb_segs - 1;
	c->frags_len = 0;
	if (unlikely(c->nb_frags != 0)) {
		/* multi-buffer: frags-aware programs only */
		if (!prog->frags || c->nb_frags > XDPC_MAX_FRAGS)
			goto abort;
		c->frags_len = frags_len(m);
	}
	if (!frame_fits(prog, c, buf_end) || prog->bpf == NULL)
		goto abort;
	lc->ri_set = 0;
	rc = exec(prog, c);
	if (unlikely(c->tc_next != NULL))
		rc = run_tail_calls(c, buf_end);
	c->tc_cnt = 0;
	if (unlikely(c->nb_resv != 0 || c->lock_held != NULL))
		release_refs(c);
	*verdict = (uint32_t)rc;
	take_redirect(lc, rc, ri_out);
	write_back(c, m, meta);
	c->nb_frags = 0;
	c->frags_len = 0;
	c->pkt_window = prog->pkt_window;
	c->clamp_limit = prog->clamp_limit;
	return;
abort:
	*verdict = RTE_XDP_ABORTED;
	if (ri_out != NULL)
		memset(ri_out, 0, sizeof(*ri_out));
	c->nb_frags = 0;
	c->frags_len = 0;
}

/*
 * The shortest loop: a JIT-ed program that needs none of run_one()'s
 * cares, on one-buffer frames (others go to run_one()). Per frame only
 * what differs: data, data_end, data_meta, the mbuf. flags: what of
 * XDPC_RUN_REDIRECT and XDPC_RUN_MOVES the program does (a constant in
 * each copy of this loop, so that no copy tests what its program
 * cannot do).
 */
static __rte_always_inline void
run_fast(const struct rte_xdp_prog *prog, struct xdpc_ctx *c,
	struct xdpc_lcore *lc, struct rte_mbuf **pkts, uint16_t n,
	uint32_t *verdicts, struct rte_xdp_redirect_info *redirects,
	const uint32_t flags)
{
	uint64_t (*func)(void *) = prog->func;
	const int window = prog->pkt_window;
	const int off = xdpc_meta_len_off;
	uint16_t k;

	for (k = 0; k < n; k++) {
		struct rte_mbuf *m = pkts[k];
		uint32_t *meta = RTE_MBUF_DYNFIELD(m, off, uint32_t *);
		uint16_t doff = m->data_off;
		uint8_t *data = (uint8_t *)m->buf_addr + doff;
		uint32_t mlen;
		uint64_t rc;

		if (unlikely(m->nb_segs != 1 || m->buf_len - doff < window)) {
			run_one(prog, c, lc, m, &verdicts[k],
				redirects != NULL ? &redirects[k] : NULL);
			continue;
		}
		mlen = *meta;
		if (unlikely(mlen > doff))
			*meta = mlen = 0;
		c->data = data;
		c->data_end = (uintptr_t)data + m->data_len;
		c->data_meta = (uintptr_t)data - mlen;
		c->mbuf = m;
		rc = xdpc_jit_call(func, c);
		verdicts[k] = (uint32_t)rc;
		if (flags & XDPC_RUN_REDIRECT)
			take_redirect(lc, rc, redirects != NULL ?
				&redirects[k] : NULL);
		else if (unlikely(rc == RTE_XDP_REDIRECT) && redirects != NULL)
			memset(&redirects[k], 0, sizeof(redirects[k]));
		if (flags & XDPC_RUN_MOVES)
			write_back(c, m, meta);
	}
}

/* What sends a program's runs to run_one(), frame by frame. */
#define RUN_ONE_FLAGS (XDPC_RUN_TAIL_CALL | XDPC_RUN_REFS | XDPC_RUN_CLAMP | \
	XDPC_RUN_INTERPRET)

static inline uint16_t
run_burst(const struct rte_xdp_prog *prog, const struct rte_xdp_rxq_info *rxq,
	uint32_t egress_ifindex, struct rte_mbuf **pkts, uint16_t n,
	uint32_t *verdicts, struct rte_xdp_redirect_info *redirects)
{
	struct xdpc_lcore *lc = &RTE_PER_LCORE(xdpc_lcore);
	uint32_t flags = prog->run_flags;
	struct xdpc_ctx c;
	uint16_t k;

	/* once per burst: what no frame changes; field by field, the
	 * whole context (its reservation slots) is larger */
	c.rsvd = 0;
	c.ingress_ifindex = rxq != NULL ? rxq->ifindex : 0;
	c.rx_queue_index = rxq != NULL ? rxq->queue_index : 0;
	c.egress_ifindex = egress_ifindex;
	c.cpu = xdpc_cpu();
	c.rsvd2 = 0;
	c.meta_view = &c.data_meta;
	c.pkt_window = prog->pkt_window;
	c.clamp_limit = prog->clamp_limit;
	c.frags_len = 0;
	c.nb_frags = 0;
	c.rxq = rxq;
	c.tc_next = NULL;
	c.tc_cnt = 0;
	c.nb_resv = 0;
	c.lock_held = NULL;
	lc->cur_ctx = &c;
	lc->ri_set = 0;
	if (unlikely(prog->func == NULL || (flags & RUN_ONE_FLAGS) != 0)) {
		for (k = 0; k < n; k++)
			run_one(prog, &c, lc, pkts[k], &verdicts[k],
				redirects != NULL ? &redirects[k] : NULL);
	} else {
		switch (flags & (XDPC_RUN_REDIRECT | XDPC_RUN_MOVES)) {
		case 0:
			run_fast(prog, &c, lc, pkts, n, verdicts, redirects, 0);
			break;
		case XDPC_RUN_REDIRECT:
			run_fast(prog, &c, lc, pkts, n, verdicts, redirects,
				XDPC_RUN_REDIRECT);
			break;
		case XDPC_RUN_MOVES:
			run_fast(prog, &c, lc, pkts, n, verdicts, redirects,
				XDPC_RUN_MOVES);
			break;
		default:
			run_fast(prog, &c, lc, pkts, n, verdicts, redirects,
				XDPC_RUN_REDIRECT | XDPC_RUN_MOVES);
			break;
		}
	}
	lc->cur_ctx = NULL;
	return n;
}

/* kernel.bpf_stats_enabled */
static uint8_t stats_enabled;

int
rte_xdp_stats_enable(int enable)
{
	return __atomic_exchange_n(&stats_enabled, enable != 0,
		__ATOMIC_RELAXED);
}

/* A burst counted in the program's statistics: the slow path. */
static __rte_noinline uint16_t
run_burst_counted(const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, uint32_t egress_ifindex,
	struct rte_mbuf **pkts, uint16_t n, uint32_t *verdicts,
	struct rte_xdp_redirect_info *redirects)
{
	unsigned int slot = rte_lcore_id();
	struct xdpc_prog_stats *st;
	uint64_t t0 = rte_rdtsc();

	n = run_burst(prog, rxq, egress_ifindex, pkts, n, verdicts,
		redirects);
	if (prog->stats == NULL)
		return n;
	st = &prog->stats[slot < RTE_MAX_LCORE ? slot : RTE_MAX_LCORE];
	__atomic_fetch_add(&st->cnt, n, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st->cycles, rte_rdtsc() - t0, __ATOMIC_RELAXED);
	return n;
}

void
rte_xdp_prog_stats(const struct rte_xdp_prog *prog, uint64_t *run_cnt,
	uint64_t *run_time_ns)
{
	uint64_t cnt = 0, cycles = 0;
	unsigned int i;

	for (i = 0; prog->stats != NULL && i < XDPC_STATS_SLOTS; i++) {
		cnt += __atomic_load_n(&prog->stats[i].cnt, __ATOMIC_RELAXED);
		cycles += __atomic_load_n(&prog->stats[i].cycles,
			__ATOMIC_RELAXED);
	}
	*run_cnt = cnt;
	*run_time_ns = (uint64_t)((double)cycles * 1e9 / rte_get_tsc_hz());
}

uint16_t
rte_xdp_prog_run_burst(const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, struct rte_mbuf **pkts, uint16_t n,
	uint32_t *verdicts, struct rte_xdp_redirect_info *redirects)
{
	if (unlikely(__atomic_load_n(&stats_enabled, __ATOMIC_RELAXED)))
		return run_burst_counted(prog, rxq, 0, pkts, n, verdicts,
			redirects);
	return run_burst(prog, rxq, 0, pkts, n, verdicts, redirects);
}

uint16_t
rte_xdp_prog_run_burst_egress(const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, uint32_t egress_ifindex,
	struct rte_mbuf **pkts, uint16_t n, uint32_t *verdicts,
	struct rte_xdp_redirect_info *redirects)
{
	if (unlikely(__atomic_load_n(&stats_enabled, __ATOMIC_RELAXED)))
		return run_burst_counted(prog, rxq, egress_ifindex, pkts, n,
			verdicts, redirects);
	return run_burst(prog, rxq, egress_ifindex, pkts, n, verdicts,
		redirects);
}
