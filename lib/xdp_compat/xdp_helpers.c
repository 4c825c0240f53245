/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XDP helpers with the kernel's ids and semantics, and the rte_bpf
 * external-symbol table built for each call site (exact argument count,
 * pointer sizes known from the map or constant lengths at that call).
 *
 * DPDK 22.11's x86 JIT calls external functions with a stack that is not
 * 16-byte aligned (it depends on the program's stack size and on the
 * registers it saves): every helper realigns it (force_align_arg_pointer).
 * csum_diff sums with SSE2 over a 16-byte aligned stack block, so a helper
 * entered on a misaligned stack without realignment faults; the loader
 * autotest runs it from programs of both stack parities.
 *
 * The kernel's verifier does not align a helper's memory arguments: a
 * program may pass a key, a value, a buffer or a structure at any byte
 * offset of its stack. Helpers (and the map operations they call) copy
 * such memory with memcpy() and never read it through a wider type;
 * xdp_helper_align_autotest passes each one odd addresses.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_bpf.h>
#include <rte_per_lcore.h>
#include <rte_random.h>
#include <rte_spinlock.h>
#ifdef RTE_ARCH_X86
#include <emmintrin.h>
#endif

#include "rte_xdp_fib.h"
#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

#define HELPER XDPC_HELPER_ATTR __attribute__((used)) static uint64_t
#define ETH_HLEN 14
#define XDP_FRAME_SZ 40		/* sizeof(struct xdp_frame) */
#define SHINFO_SZ 320		/* SKB_DATA_ALIGN(sizeof(skb_shared_info)) */

RTE_DEFINE_PER_LCORE(struct xdpc_lcore, xdpc_lcore);

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

HELPER
h_map_lookup_elem(uint64_t map, uint64_t key, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	return (uintptr_t)xdpc_map_lookup((struct rte_xdp_map *)map,
		(const void *)key);
}

/*
 * bpf_map_lookup_elem() at a call site that only arrays (per-CPU arrays)
 * reach: their lookup without the dispatch (xdp_map_array.c's layout:
 * elements of value_stride bytes, per CPU nb_values of them).
 */
HELPER
h_array_lookup(uint64_t map, uint64_t key, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	const struct rte_xdp_map *m = (const struct rte_xdp_map *)map;
	uint32_t idx;

	memcpy(&idx, (const void *)key, sizeof(idx));
	if (unlikely(idx >= m->def.max_entries))
		return 0;
	return (uintptr_t)m->priv + (uint64_t)m->value_stride * idx;
}

/* outside a run (no context): xdpc_cpu(), out of line */
static __rte_noinline uint64_t
percpu_array_lookup_cpu(const struct rte_xdp_map *m, uint32_t idx)
{
	return (uintptr_t)m->priv + (uint64_t)m->value_stride *
		((uint64_t)m->nb_values * idx + xdpc_cpu());
}

HELPER
h_percpu_array_lookup(uint64_t map, uint64_t key, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	const struct rte_xdp_map *m = (const struct rte_xdp_map *)map;
	const struct xdpc_ctx *c = RTE_PER_LCORE(xdpc_lcore).cur_ctx;
	uint32_t idx;

	memcpy(&idx, (const void *)key, sizeof(idx));
	if (unlikely(idx >= m->def.max_entries))
		return 0;
	if (unlikely(c == NULL))
		return percpu_array_lookup_cpu(m, idx);
	/* the run's CPU slot, found once per burst (xdpc_cpu()) */
	return (uintptr_t)m->priv + (uint64_t)m->value_stride *
		((uint64_t)m->nb_values * idx + c->cpu);
}

HELPER
h_map_update_elem(uint64_t map, uint64_t key, uint64_t value, uint64_t flags,
	uint64_t a5)
{
	struct rte_xdp_map *m = (struct rte_xdp_map *)map;

	if (flags > RTE_XDP_EXIST)
		return (uint64_t)-EINVAL;
	return (uint64_t)(int64_t)m->ops->update(m, (const void *)key,
		(const void *)value, flags, xdpc_cpu());
}

HELPER
h_map_delete_elem(uint64_t map, uint64_t key, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	struct rte_xdp_map *m = (struct rte_xdp_map *)map;

	return (uint64_t)(int64_t)m->ops->delete(m, (const void *)key);
}

HELPER
h_map_lookup_percpu_elem(uint64_t map, uint64_t key, uint64_t cpu,
	uint64_t a4, uint64_t a5)
{
	struct rte_xdp_map *m = (struct rte_xdp_map *)map;

	if (!m->percpu || cpu >= rte_xdp_map_nb_cpus())
		return 0;
	return (uintptr_t)m->ops->lookup(m, (const void *)key, cpu);
}

HELPER
h_ktime_get_ns(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	return clock_ns(CLOCK_MONOTONIC);
}

HELPER
h_ktime_get_boot_ns(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	return clock_ns(CLOCK_BOOTTIME);
}

HELPER
h_ktime_get_coarse_ns(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

HELPER
h_jiffies64(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	return clock_ns(CLOCK_MONOTONIC) / (1000000000ull / 250);
}

HELPER
h_get_prandom_u32(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	return (uint32_t)rte_rand();
}

HELPER
h_get_smp_processor_id(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	return xdpc_cpu();
}

/* A bounded printf for trace_printk: integer conversions only, like the
 * kernel's bpf_trace_printk (at most three arguments). */
static int
format_trace(char *out, size_t out_len, const char *fmt, uint32_t fmt_size,
	const uint64_t *args, unsigned int nb_args)
{
	size_t o = 0;
	uint32_t i;
	unsigned int a = 0;

	if (fmt_size == 0 || fmt[fmt_size - 1] != '\0')
		return -EINVAL;
	for (i = 0; fmt[i] != '\0' && o + 1 < out_len; i++) {
		char spec[8] = "%";
		int l = 0, n;

		if (fmt[i] != '%') {
			out[o++] = fmt[i];
			continue;
		}
		if (fmt[i + 1] == '%') {
			out[o++] = '%';
			i++;
			continue;
		}
		while (fmt[i + 1] == 'l' && l < 2) {
			l++;
			i++;
		}
		if (strchr("diuxXcp", fmt[i + 1]) == NULL || fmt[i + 1] == 0 ||
		    a >= nb_args)
			return -EINVAL;
		i++;
		if (fmt[i] == 'c') {
			out[o++] = (char)args[a++];
			continue;
		}
		if (fmt[i] == 'p') {
			n = snprintf(out + o, out_len - o, "0x%" PRIx64,
				args[a++]);
		} else {
			snprintf(spec, sizeof(spec), "%%ll%c", fmt[i]);
			if (l == 0 && strchr("di", fmt[i]) != NULL)
				n = snprintf(out + o, out_len - o, "%d",
					(int)args[a++]);
			else if (l == 0)
				n = snprintf(out + o, out_len - o, spec,
					(unsigned long long)(uint32_t)args[a++]);
			else
				n = snprintf(out + o, out_len - o, spec,
					(unsigned long long)args[a++]);
		}
		if (n < 0)
			return -EINVAL;
		o = RTE_MIN(o + n, out_len - 1);
	}
	out[o] = '\0';
	return o;
}

HELPER
h_trace_printk(uint64_t fmt, uint64_t fmt_size, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	uint64_t args[3] = { a3, a4, a5 };
	char buf[256];
	int n;

	n = format_trace(buf, sizeof(buf), (const char *)fmt, fmt_size, args, 3);
	if (n >= 0)
		XDPC_LOG(INFO, "bpf_trace_printk: %s", buf);
	return (uint64_t)(int64_t)n;
}

HELPER
h_trace_vprintk(uint64_t fmt, uint64_t fmt_size, uint64_t data,
	uint64_t data_len, uint64_t a5)
{
	uint64_t args[12];	/* MAX_BPRINTF_VARARGS */
	char buf[256];
	int n;

	if (data_len % 8 != 0 || data_len > sizeof(args) ||
	    (data == 0 && data_len != 0))
		return (uint64_t)-EINVAL;
	/* the program's array may sit at any byte offset */
	if (data_len != 0)
		memcpy(args, (const void *)data, data_len);
	n = format_trace(buf, sizeof(buf), (const char *)fmt, fmt_size,
		args, data_len / 8);
	if (n >= 0)
		XDPC_LOG(INFO, "bpf_trace_printk: %s", buf);
	return (uint64_t)(int64_t)n;
}

HELPER
h_redirect(uint64_t ifindex, uint64_t flags, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	struct xdpc_lcore *lc = &RTE_PER_LCORE(xdpc_lcore);
	struct rte_xdp_redirect_info *ri = &lc->ri;

	if (flags != 0)
		return RTE_XDP_ABORTED;
	lc->ri_set = 1;
	ri->ifindex = ifindex;
	ri->flags = 0;
	ri->map = NULL;
	ri->map_type = 0;
	ri->tgt_value = NULL;
	return RTE_XDP_REDIRECT;
}

#define XDP_F_ACTION_MASK	3ull	/* BPF_F_ACTION_MASK for XDP */
#define XDP_F_BROADCAST		(1ull << 3)
#define XDP_F_EXCLUDE_INGRESS	(1ull << 4)

static const uint64_t no_entry[4];

HELPER
h_redirect_map(uint64_t map, uint64_t key, uint64_t flags, uint64_t a4,
	uint64_t a5)
{
	struct xdpc_lcore *lc = &RTE_PER_LCORE(xdpc_lcore);
	struct rte_xdp_redirect_info *ri = &lc->ri;
	struct rte_xdp_map *m = (struct rte_xdp_map *)map;
	uint64_t allowed = XDP_F_ACTION_MASK;
	uint32_t k = key;
	void *v;

	/* as the kernel's __bpf_xdp_redirect_map(): broadcast only to
	 * devmaps, where it needs no entry at the key */
	if (m->def.type == RTE_XDP_MAP_DEVMAP ||
	    m->def.type == RTE_XDP_MAP_DEVMAP_HASH)
		allowed |= XDP_F_BROADCAST | XDP_F_EXCLUDE_INGRESS;
	if (flags & ~allowed)
		return RTE_XDP_ABORTED;
	/* the redirect maps' own lookup: no dispatch, no CPU slot */
	v = likely(m->ops == &xdpc_redirect_array_ops) ?
		xdpc_redirect_array_lookup(m, k) : xdpc_map_lookup(m, &k);
	lc->ri_set = 1;
	if (v == NULL && !(flags & XDP_F_BROADCAST)) {
		memset(ri, 0, sizeof(*ri));
		return flags & XDP_F_ACTION_MASK;
	}
	if (v == NULL)	/* broadcast: no entry at the key, ifindex 0 */
		v = (void *)(uintptr_t)no_entry;
	ri->ifindex = k;
	ri->flags = (flags & XDP_F_BROADCAST) ? flags : 0;
	ri->map = m;
	ri->map_type = m->def.type;
	ri->tgt_value = v;
	return RTE_XDP_REDIRECT;
}

#define CSUM_DIFF_MAX 512	/* the kernel's per-CPU scratch: 128 words */

/*
 * Ones' complement sum of 32-bit words and the seed, folded to 16 bits as
 * the kernel's csum_partial() returns it on x86-64 (a checksum the
 * program then csum_fold()s, congruent with the 32-bit sum). The words
 * are gathered in one 16-byte aligned block and added four at a time
 * with SSE2 (aligned loads: this is what needs a realigned stack).
 */
static uint32_t
csum_words(const uint32_t *w, uint32_t n, uint32_t seed)
{
	uint64_t sum = seed;
	uint32_t i = 0;
#ifdef RTE_ARCH_X86
	uint64_t lanes[2] __rte_aligned(16);
	__m128i acc = _mm_setzero_si128(), zero = _mm_setzero_si128();

	for (; i + 4 <= n; i += 4) {
		__m128i v = _mm_load_si128((const __m128i *)(w + i));

		acc = _mm_add_epi64(acc, _mm_unpacklo_epi32(v, zero));
		acc = _mm_add_epi64(acc, _mm_unpackhi_epi32(v, zero));
	}
	_mm_store_si128((__m128i *)lanes, acc);
	sum += lanes[0] + lanes[1];
#endif
	for (; i < n; i++)
		sum += w[i];
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)sum;
}

/* A variable-size range must lie in the frame being run. */
static int
in_frame(uint64_t p, uint64_t size)
{
	const struct xdpc_ctx *c = RTE_PER_LCORE(xdpc_lcore).cur_ctx;

	return size == 0 || (c != NULL && p >= c->data_meta &&
		p <= c->data_end && size <= c->data_end - p);
}

static uint64_t
csum_diff(uint64_t from, uint64_t from_size, uint64_t to, uint64_t to_size,
	uint64_t seed, unsigned int frame_args)
{
	uint32_t w[CSUM_DIFF_MAX / 4] __rte_aligned(16);
	uint32_t i, n = 0;

	if (from_size % 4 != 0 || to_size % 4 != 0 ||
	    from_size > CSUM_DIFF_MAX || to_size > CSUM_DIFF_MAX ||
	    from_size + to_size > CSUM_DIFF_MAX ||
	    (from == 0 && from_size != 0) || (to == 0 && to_size != 0))
		return (uint64_t)-EINVAL;
	if (((frame_args & 1) && !in_frame(from, from_size)) ||
	    ((frame_args & 2) && !in_frame(to, to_size)))
		return (uint64_t)-EINVAL;
	for (i = 0; i < from_size / 4; i++) {
		memcpy(&w[n], (const uint8_t *)from + 4 * i, 4);
		w[n] = ~w[n];
		n++;
	}
	memcpy(&w[n], (const void *)to, to_size);
	n += to_size / 4;
	return csum_words(w, n, (uint32_t)seed);
}

/* Sizes known at load: rte_bpf checked both ranges. */
HELPER
h_csum_diff(uint64_t from, uint64_t from_size, uint64_t to, uint64_t to_size,
	uint64_t seed)
{
	return csum_diff(from, from_size, to, to_size, seed, 0);
}

/* A variable size over a packet pointer: checked here against the frame. */
HELPER
h_csum_diff_pkt_from(uint64_t from, uint64_t from_size, uint64_t to,
	uint64_t to_size, uint64_t seed)
{
	return csum_diff(from, from_size, to, to_size, seed, 1);
}

HELPER
h_csum_diff_pkt_to(uint64_t from, uint64_t from_size, uint64_t to,
	uint64_t to_size, uint64_t seed)
{
	return csum_diff(from, from_size, to, to_size, seed, 2);
}

HELPER
h_csum_diff_pkt_both(uint64_t from, uint64_t from_size, uint64_t to,
	uint64_t to_size, uint64_t seed)
{
	return csum_diff(from, from_size, to, to_size, seed, 3);
}

static inline uint8_t *
ctx_end(const struct xdpc_ctx *c)
{
	return xdpc_hard_start(c) + xdpc_frame_sz(c);
}

/* A program with clamped offsets must not grow past its clamp limit. */
static inline int
over_clamp(const struct xdpc_ctx *c, uintptr_t meta, uintptr_t end)
{
	return c->clamp_limit != 0 && end - meta > c->clamp_limit;
}

HELPER
h_xdp_adjust_head(uint64_t ctx, uint64_t offset, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	struct xdpc_ctx *c = (struct xdpc_ctx *)ctx;
	uint8_t *data = c->data, *meta = (uint8_t *)c->data_meta;
	uint8_t *buf_end = xdpc_hard_start(c) + c->mbuf->buf_len;
	size_t metalen = data - meta;
	uint8_t *start = xdpc_hard_start(c) + XDP_FRAME_SZ + metalen;
	uint8_t *nd = data + (int32_t)offset;

	if (nd < start || nd > (uint8_t *)c->data_end - ETH_HLEN)
		return (uint64_t)-EINVAL;
	/* rte_bpf proved accesses within pkt_window bytes of data */
	if ((size_t)(buf_end - nd) < c->pkt_window ||
	    over_clamp(c, (uintptr_t)(meta + (int32_t)offset), c->data_end))
		return (uint64_t)-EINVAL;
	if (metalen != 0)
		memmove(meta + (int32_t)offset, meta, metalen);
	c->data_meta += (int32_t)offset;
	c->data = nd;
	return 0;
}

HELPER
h_xdp_adjust_meta(uint64_t ctx, uint64_t offset, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	struct xdpc_ctx *c = (struct xdpc_ctx *)ctx;
	uint8_t *meta = (uint8_t *)c->data_meta + (int32_t)offset;
	uint8_t *frame_end = xdpc_hard_start(c) + XDP_FRAME_SZ;
	size_t metalen;

	if (meta < frame_end || meta > (uint8_t *)c->data)
		return (uint64_t)-EINVAL;
	metalen = (uint8_t *)c->data - meta;
	if ((metalen & 3) != 0 || metalen > 32)
		return (uint64_t)-EACCES;
	if (over_clamp(c, (uintptr_t)meta, c->data_end))
		return (uint64_t)-EINVAL;
	c->data_meta = (uintptr_t)meta;
	return 0;
}

HELPER
h_xdp_adjust_tail(uint64_t ctx, uint64_t offset, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	struct xdpc_ctx *c = (struct xdpc_ctx *)ctx;
	uint8_t *hard_end = ctx_end(c) - SHINFO_SZ;
	uint8_t *end = (uint8_t *)c->data_end + (int32_t)offset;

	if (c->nb_frags != 0)
		return (uint64_t)(int64_t)xdpc_frags_adjust_tail(c,
			(int32_t)offset);
	if (end > hard_end || end < (uint8_t *)c->data + ETH_HLEN ||
	    over_clamp(c, c->data_meta, (uintptr_t)end))
		return (uint64_t)-EINVAL;
	if ((int32_t)offset > 0)
		memset((void *)(uintptr_t)c->data_end, 0, (int32_t)offset);
	c->data_end = (uintptr_t)end;
	return 0;
}

HELPER
h_xdp_get_buff_len(uint64_t ctx, uint64_t a2, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	return xdpc_buff_len((struct xdpc_ctx *)ctx);
}

HELPER
h_xdp_load_bytes(uint64_t ctx, uint64_t off, uint64_t buf, uint64_t len,
	uint64_t a5)
{
	return (uint64_t)(int64_t)xdpc_frags_copy((struct xdpc_ctx *)ctx,
		off, (void *)buf, len, 0);
}

HELPER
h_xdp_store_bytes(uint64_t ctx, uint64_t off, uint64_t buf, uint64_t len,
	uint64_t a5)
{
	return (uint64_t)(int64_t)xdpc_frags_copy((struct xdpc_ctx *)ctx,
		off, (void *)buf, len, 1);
}

/*
 * How long bpf_spin_lock() spins before it takes a lock over: far longer
 * than any program holds one (a run is bounded), so the lock word was
 * written by something the checks missed and would never be released.
 */
#define SPIN_LOCK_TRIES (1u << 20)

/* bpf_spin_lock(): one lock held at a time, released before exit (the
 * kernel's verifier proves it; the runner releases what an unverified
 * program left held). */
HELPER
h_spin_lock(uint64_t lock, uint64_t a2, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	struct xdpc_ctx *c = RTE_PER_LCORE(xdpc_lcore).cur_ctx;
	rte_spinlock_t *l = (rte_spinlock_t *)lock;
	unsigned int tries = 0;

	if (c == NULL || c->lock_held != NULL)
		return 0;
	while (!rte_spinlock_trylock(l) && ++tries < SPIN_LOCK_TRIES)
		rte_pause();
	if (tries == SPIN_LOCK_TRIES)
		l->locked = 1;	/* a corrupt lock word: taken over */
	c->lock_held = (void *)lock;
	return 0;
}

HELPER
h_spin_unlock(uint64_t lock, uint64_t a2, uint64_t a3, uint64_t a4,
	uint64_t a5)
{
	struct xdpc_ctx *c = RTE_PER_LCORE(xdpc_lcore).cur_ctx;

	if (c == NULL || c->lock_held != (void *)lock)
		return 0;
	c->lock_held = NULL;
	rte_spinlock_unlock((rte_spinlock_t *)lock);
	return 0;
}

#define LOOP_MAX (1u << 23)	/* BPF_MAX_LOOPS */

/* bpf_loop(nr_loops, callback, callback_ctx, flags): the callback is a
 * program of its own (struct xdpc_callback) run with {ctx, index}. */
HELPER
h_loop(uint64_t nr, uint64_t cb, uint64_t cb_ctx, uint64_t flags,
	uint64_t a5)
{
	const struct xdpc_callback *f = (const struct xdpc_callback *)cb;
	struct xdpc_cb_arg arg = { .cb_ctx = (void *)cb_ctx };
	uint32_t n = nr, i;
	uint64_t ret;

	if (flags != 0)
		return (uint64_t)-EINVAL;
	if (n > LOOP_MAX)
		return (uint64_t)-E2BIG;
	for (i = 0; i < n; i++) {
		arg.index = i;
		ret = f->func != NULL ? xdpc_jit_call(f->func, &arg) :
			rte_bpf_exec(f->bpf, &arg);
		if (ret != 0)
			return i + 1;
	}
	return i;
}

/*
 * bpf_loop() with flags known to be 0: the kernel's verifier inlines the
 * loop, whose -E2BIG is then a 32-bit move (zero-extended in R0).
 */
HELPER
h_loop_inlined(uint64_t nr, uint64_t cb, uint64_t cb_ctx, uint64_t flags,
	uint64_t a5)
{
	if ((uint32_t)nr > LOOP_MAX)
		return (uint32_t)-E2BIG;
	return h_loop(nr, cb, cb_ctx, flags, a5);
}

HELPER
xdpc_xdp_output(uint64_t ctx, uint64_t map, uint64_t flags, uint64_t data,
	uint64_t size)
{
	return xdpc_helper_perf_event_output(ctx, map, flags, data, size);
}

typedef uint64_t (*helper_fn)(uint64_t, uint64_t, uint64_t, uint64_t,
	uint64_t);

/* Argument kinds, to build exact rte_bpf types per call site. */
enum arg_kind {
	A_RAW, A_MAP, A_KEY, A_VALUE, A_CTX,
	A_MEM_R2,	/* pointer, size in R2 */
	A_MEM_R3,	/* pointer, size in R3 */
	A_MEM_R4,	/* pointer, size in R4 */
	A_MEM_OPT_R2, A_MEM_OPT_R4, /* may be NULL when the size is 0 */
	A_MEM_OPT_R5,
	A_LOCK,		/* struct bpf_spin_lock in a map value */
	A_REC,		/* a ring buffer record (checked at run time) */
	A_CB,		/* a callback subprogram (bpf_loop) */
	A_CB_CTX,	/* its context: a stack pointer or NULL */
};

/* Arguments the program must not pass when they may be NULL. */
static int
arg_is_ptr(uint8_t kind)
{
	return kind == A_KEY || kind == A_VALUE || kind == A_LOCK ||
		kind == A_REC || (kind >= A_MEM_R2 && kind <= A_MEM_OPT_R5);
}

/* What a helper returns, for the rewriter and rte_bpf. */
enum ret_kind {
	R_RAW,
	R_VALUE,	/* a map value or NULL (an inner map, for maps of maps) */
	R_REC,		/* a ring buffer record of R2 bytes or NULL */
};

/* The map types a helper requires in R1, 0: any map (but those below
 * that take no other helper). */
struct helper_def {
	uint32_t id;
	const char *name;
	helper_fn fn;
	uint8_t nb_args;
	uint8_t ret_kind;
	uint8_t args[XDPC_MAX_ARGS];
};

static const struct helper_def helpers[] = {
	{ 1, "map_lookup_elem", h_map_lookup_elem, 2, R_VALUE,
		{ A_MAP, A_KEY } },
	{ 2, "map_update_elem", h_map_update_elem, 4, 0,
		{ A_MAP, A_KEY, A_VALUE, A_RAW } },
	{ 3, "map_delete_elem", h_map_delete_elem, 2, 0, { A_MAP, A_KEY } },
	{ 5, "ktime_get_ns", h_ktime_get_ns, 0, 0, { 0 } },
	{ 6, "trace_printk", h_trace_printk, 2, 0, { A_MEM_R2, A_RAW } },
	{ 7, "get_prandom_u32", h_get_prandom_u32, 0, 0, { 0 } },
	{ 8, "get_smp_processor_id", h_get_smp_processor_id, 0, 0, { 0 } },
	{ 12, "tail_call", xdpc_helper_tail_call, 3, 0,
		{ A_CTX, A_MAP, A_RAW } },	/* xdp_tailcall.c */
	{ 23, "redirect", h_redirect, 2, 0, { A_RAW, A_RAW } },
	{ 25, "perf_event_output", xdpc_xdp_output, 5, 0,
		{ A_CTX, A_MAP, A_RAW, A_MEM_OPT_R5, A_RAW } },	/* xdp_events.c */
	{ 28, "csum_diff", h_csum_diff, 5, 0,
		{ A_MEM_OPT_R2, A_RAW, A_MEM_OPT_R4, A_RAW, A_RAW } },
	{ 44, "xdp_adjust_head", h_xdp_adjust_head, 2, 0, { A_CTX, A_RAW } },
	{ 51, "redirect_map", h_redirect_map, 3, 0, { A_MAP, A_RAW, A_RAW } },
	{ 54, "xdp_adjust_meta", h_xdp_adjust_meta, 2, 0, { A_CTX, A_RAW } },
	{ 65, "xdp_adjust_tail", h_xdp_adjust_tail, 2, 0, { A_CTX, A_RAW } },
	{ 69, "fib_lookup", xdpc_helper_fib_lookup, 4, 0,
		{ A_CTX, A_MEM_R3, A_RAW, A_RAW } },	/* xdp_fib.c */
	{ 93, "spin_lock", h_spin_lock, 1, 0, { A_LOCK } },
	{ 94, "spin_unlock", h_spin_unlock, 1, 0, { A_LOCK } },
	{ 118, "jiffies64", h_jiffies64, 0, 0, { 0 } },
	{ 125, "ktime_get_boot_ns", h_ktime_get_boot_ns, 0, 0, { 0 } },
	{ 130, "ringbuf_output", xdpc_helper_ringbuf_output, 4, 0,
		{ A_MAP, A_MEM_R3, A_RAW, A_RAW } },	/* xdp_events.c */
	{ 131, "ringbuf_reserve", xdpc_helper_ringbuf_reserve, 3, R_REC,
		{ A_MAP, A_RAW, A_RAW } },
	{ 132, "ringbuf_submit", xdpc_helper_ringbuf_submit, 2, 0,
		{ A_REC, A_RAW } },
	{ 133, "ringbuf_discard", xdpc_helper_ringbuf_discard, 2, 0,
		{ A_REC, A_RAW } },
	{ 134, "ringbuf_query", xdpc_helper_ringbuf_query, 2, 0,
		{ A_MAP, A_RAW } },
	{ 160, "ktime_get_coarse_ns", h_ktime_get_coarse_ns, 0, 0, { 0 } },
	{ 177, "trace_vprintk", h_trace_vprintk, 4, 0,
		{ A_MEM_R2, A_RAW, A_MEM_OPT_R4, A_RAW } },
	{ 181, "loop", h_loop, 4, 0, { A_RAW, A_CB, A_CB_CTX, A_RAW } },
	{ 188, "xdp_get_buff_len", h_xdp_get_buff_len, 1, 0, { A_CTX } },
	{ 189, "xdp_load_bytes", h_xdp_load_bytes, 4, 0,
		{ A_CTX, A_RAW, A_MEM_R4, A_RAW } },
	{ 190, "xdp_store_bytes", h_xdp_store_bytes, 4, 0,
		{ A_CTX, A_RAW, A_MEM_R4, A_RAW } },
	{ 195, "map_lookup_percpu_elem", h_map_lookup_percpu_elem, 3, R_VALUE,
		{ A_MAP, A_KEY, A_RAW } },
};

static const struct helper_def *
helper_find(uint32_t id)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(helpers); i++)
		if (helpers[i].id == id)
			return &helpers[i];
	return NULL;
}

int
xdpc_helper_known(uint32_t id)
{
	return helper_find(id) != NULL;
}

int
xdpc_helper_info(uint32_t id, struct xdpc_helper_info *hi)
{
	const struct helper_def *h = helper_find(id);
	unsigned int a;

	if (h == NULL)
		return -ENOENT;
	memset(hi, 0, sizeof(*hi));
	/* trace_printk is variadic: rte_bpf checks fmt and its size, the
	 * helper reads the three values after them */
	hi->nb_args = id == 6 ? 5 : h->nb_args;
	hi->ret_value = h->ret_kind != R_RAW;
	for (a = 0; a < h->nb_args; a++) {
		if (arg_is_ptr(h->args[a]))
			hi->ptr_args |= 1u << a;
		if (h->args[a] >= A_MEM_OPT_R2 && h->args[a] <= A_MEM_OPT_R5)
			hi->opt_args |= 1u << a;
		if (h->args[a] == A_CTX)
			hi->ctx_args |= 1u << a;
		if (h->args[a] == A_LOCK)
			hi->lock_reg = a + 1;
		if (h->args[a] == A_MAP)
			hi->map_reg = a + 1;
	}
	if (id == 189) {	/* xdp_load_bytes writes buf (R3), len R4 */
		hi->write_reg = 3;
		hi->write_size_reg = 4;
	} else if (id == 69) {	/* fib_lookup writes params (R2), plen R3 */
		hi->write_reg = 2;
		hi->write_size_reg = 3;
	} else if (id == 181) {	/* bpf_loop: the callback writes its ctx */
		hi->write_reg = 3;
	}
	return 0;
}

uint32_t
xdpc_helper_run_flags(uint32_t id)
{
	switch (id) {
	case 23:	/* redirect */
	case 51:	/* redirect_map */
		return XDPC_RUN_REDIRECT;
	case 44:	/* xdp_adjust_head */
	case 54:	/* xdp_adjust_meta */
	case 65:	/* xdp_adjust_tail */
		return XDPC_RUN_MOVES;
	case 12:	/* tail_call */
		return XDPC_RUN_TAIL_CALL;
	case 93:	/* spin_lock */
	case 131:	/* ringbuf_reserve */
		return XDPC_RUN_REFS;
	default:
		return 0;
	}
}

const char *
xdpc_helper_name(uint32_t id)
{
	const struct helper_def *h = helper_find(id);

	return h != NULL ? h->name : "not in the XDP helper set";
}

void *
xdpc_build_xsyms(const struct rte_xdp_prog *prog,
	const struct xdpc_rewrite_out *rw, char *err, size_t err_len)
{
	struct rte_bpf_xsym *xs;
	uint32_t i, a;

	xs = calloc(rw->nb_calls + rw->nb_vars + 1, sizeof(*xs));
	if (xs == NULL)
		return NULL;
	for (i = 0; i < rw->nb_calls; i++) {
		const struct xdpc_call_site *cs = &rw->calls[i];
		const struct helper_def *h = helper_find(cs->helper);
		struct rte_bpf_xsym *x = &xs[i];
		unsigned int pkt_var = 0;

		x->name = h->name;
		x->type = RTE_BPF_XTYPE_FUNC;
		x->func.val = h->fn;
		x->func.nb_args = h->nb_args;
		x->func.ret.type = RTE_BPF_ARG_RAW;
		x->func.ret.size = sizeof(uint64_t);
		for (a = 0; a < h->nb_args; a++) {
			struct rte_bpf_arg *ar = &x->func.args[a];
			int sz_reg = -1, opt = 0;

			ar->type = RTE_BPF_ARG_RAW;
			ar->size = sizeof(uint64_t);
			switch (h->args[a]) {
			case A_MAP:
				if (cs->map == NULL)
					goto unknown_map;
				break;
			case A_LOCK:
				ar->type = RTE_BPF_ARG_PTR;
				ar->size = 4;	/* struct bpf_spin_lock */
				continue;
			case A_CB_CTX:
				if (cs->cb_ctx_size != 0) {
					ar->type = RTE_BPF_ARG_PTR;
					ar->size = cs->cb_ctx_size;
				}
				continue;
			case A_MEM_OPT_R5:
				opt = 1;
				sz_reg = 4;
				break;
			case A_KEY:
			case A_VALUE:
				ar->type = RTE_BPF_ARG_PTR;
				ar->size = h->args[a] == A_KEY ?
					cs->map->def.key_size :
					cs->map->def.value_size;
				break;
			case A_CTX:
				ar->type = RTE_BPF_ARG_PTR_MBUF;
				ar->size = sizeof(struct xdpc_ctx);
				ar->buf_size = prog->pkt_window;
				break;
			case A_MEM_OPT_R2:
				opt = 1;
				/* fall through */
			case A_MEM_R2:
				sz_reg = 1;
				break;
			case A_MEM_R3:
				sz_reg = 2;
				break;
			case A_MEM_OPT_R4:
				opt = 1;
				/* fall through */
			case A_MEM_R4:
				sz_reg = 3;
				break;
			default:
				break;
			}
			if (sz_reg < 0)
				continue;
			if (cs->known & (1u << sz_reg)) {
				int64_t sz = cs->val[sz_reg];

				if (sz > 0 && sz <= UINT32_MAX) {
					ar->type = RTE_BPF_ARG_PTR;
					ar->size = sz;
					continue;
				}
				if (sz == 0 && opt)
					continue;	/* NULL allowed */
				xdpc_err(err, err_len,
					"section %s insn %d: %s: size argument R%d is %" PRId64 "",
					prog->section, cs->orig, h->name,
					sz_reg + 1, sz);
				goto fail;
			}
			/* A variable size: only over a packet pointer, for
			 * csum_diff, whose range the helper checks against
			 * the frame at run time. */
			if (cs->helper == 28 && (cs->pkt & (1u << a))) {
				ar->type = RTE_BPF_ARG_PTR;
				ar->size = 1;
				pkt_var |= a == 0 ? 1 : 2;
				continue;
			}
			xdpc_err(err, err_len,
				"section %s insn %d: %s: size argument R%d must be a constant%s",
				prog->section, cs->orig, h->name, sz_reg + 1,
				cs->helper == 28 ?
				" (or the pointer a packet pointer)" : "");
			goto fail;
		}
		if (cs->helper == 181 && (cs->known & 8) && cs->val[3] == 0)
			x->func.val = h_loop_inlined;
		if (cs->direct == XDPC_DIRECT_ARRAY) {
			x->name = "array_map_lookup_elem";
			x->func.val = h_array_lookup;
		} else if (cs->direct == XDPC_DIRECT_PERCPU_ARRAY) {
			x->name = "percpu_array_map_lookup_elem";
			x->func.val = h_percpu_array_lookup;
		}
		if (pkt_var == 1)
			x->func.val = h_csum_diff_pkt_from;
		else if (pkt_var == 2)
			x->func.val = h_csum_diff_pkt_to;
		else if (pkt_var == 3)
			x->func.val = h_csum_diff_pkt_both;
		if (h->ret_kind == R_VALUE && cs->map->inner_tmpl == NULL) {
			x->func.ret.type = RTE_BPF_ARG_PTR;
			x->func.ret.size = cs->map->def.value_size;
		} else if (h->ret_kind == R_REC) {
			/* the kernel: a constant size (ARG_CONST_ALLOC_SIZE) */
			if (!(cs->known & 2) || cs->val[1] <= 0 ||
			    cs->val[1] > UINT32_MAX / 4) {
				xdpc_err(err, err_len,
					"section %s insn %d: ringbuf_reserve: the size (R2) must be a positive constant",
					prog->section, cs->orig);
				goto fail;
			}
			x->func.ret.type = RTE_BPF_ARG_PTR;
			x->func.ret.size = cs->val[1];
		}
		/* a map of maps gives a map: a scalar to rte_bpf, which
		 * then refuses any access through it */
		continue;
unknown_map:
		xdpc_err(err, err_len,
			"section %s insn %d: %s: cannot tell which map reaches R%u",
			prog->section, cs->orig, h->name, a + 1);
		goto fail;
	}
	for (i = 0; i < rw->nb_vars; i++) {
		struct rte_bpf_xsym *x = &xs[rw->nb_calls + i];

		x->name = "global_data";
		x->type = RTE_BPF_XTYPE_VAR;
		x->var.val = rw->vars[i].addr;
		x->var.desc.type = RTE_BPF_ARG_PTR;
		x->var.desc.size = rw->vars[i].size;
	}
	return xs;
fail:
	free(xs);
	return NULL;
}
