/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Records from programs to the application: BPF_MAP_TYPE_PERF_EVENT_ARRAY
 * with bpf_perf_event_output() (helper 25) and BPF_MAP_TYPE_RINGBUF with
 * bpf_ringbuf_output/reserve/submit/discard/query() (helpers 130-134),
 * with the kernel's checks, errno values and record layouts, and their
 * consumers (rte_xdp_events.h).
 *
 * A perf buffer is a byte ring per CPU slot (rte_xdp_map_nb_cpus(): the
 * lcores, then the slot of other threads) with one producer (the thread
 * of that slot: the kernel refuses output to another CPU's event; the
 * threads of the last slot take turns) and one consumer: records are a u32 size then the sample, padded like the
 * kernel's raw samples. A ring buffer's data area is mapped twice in a
 * row, as the kernel maps it, so that a record reserved across its end
 * is contiguous; producers serialise on a spin lock, records carry the
 * kernel's 8-byte header with its BUSY and DISCARD bits.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_per_lcore.h>
#include <rte_spinlock.h>

#include "rte_xdp_events.h"
#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"


#define PAGE_SZ 4096u
#define HELPER XDPC_HELPER_ATTR __attribute__((used)) uint64_t

/* ---- perf event arrays ---- */

struct perf_ring {
	unsigned int cpu;
	uint64_t size;			/* data bytes, a power of 2 */
	rte_spinlock_t producers;	/* the last slot's: threads share it */
	uint64_t head __rte_cache_aligned;	/* producer */
	uint64_t lost;
	uint64_t tail __rte_cache_aligned;	/* consumer */
	uint8_t *tmp;			/* a wrapped record, for the consumer */
	uint8_t data[] __rte_cache_aligned;
};

struct rte_xdp_perf_buffer {
	struct rte_xdp_map *map;
	rte_xdp_perf_sample_fn sample;
	rte_xdp_perf_lost_fn lost;
	void *arg;
	unsigned int nb;		/* CPU slots with a ring */
	struct perf_ring *rings[];
};

typedef struct perf_ring *perf_slot;

static int
perf_delete(struct rte_xdp_map *map, const void *key)
{
	perf_slot *slot = map->priv;
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->def.max_entries)
		return -EINVAL;
	return __atomic_exchange_n(&slot[idx], NULL, __ATOMIC_ACQ_REL) != NULL ?
		0 : -ENOENT;
}

/* The kernel gives no value back for a perf event array slot. */
static int
perf_user_lookup(struct rte_xdp_map *map, const void *key, void *value)
{
	RTE_SET_USED(map);
	RTE_SET_USED(key);
	RTE_SET_USED(value);
	return -EOPNOTSUPP;
}

static int
perf_user_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags)
{
	RTE_SET_USED(map);
	RTE_SET_USED(key);
	RTE_SET_USED(value);
	RTE_SET_USED(flags);
	/* a perf event fd in the kernel: rte_xdp_perf_buffer_new() here */
	return -EINVAL;
}

const struct xdpc_map_ops xdpc_perf_array_ops = {
	.alloc = xdpc_map_slots_alloc,
	.free = xdpc_map_priv_free,
	.lookup = xdpc_map_no_lookup,
	.update = xdpc_map_no_update,
	.delete = perf_delete,
	.get_next_key = xdpc_map_index_next_key,
	.user_lookup = perf_user_lookup,
	.user_update = perf_user_update,
};

static void
ring_put(struct perf_ring *r, uint64_t pos, const void *src, uint64_t n)
{
	uint64_t off = pos & (r->size - 1), first = RTE_MIN(n, r->size - off);

	memcpy(r->data + off, src, first);
	if (first < n)
		memcpy(r->data, (const uint8_t *)src + first, n - first);
}

static void
ring_get(const struct perf_ring *r, uint64_t pos, void *dst, uint64_t n)
{
	uint64_t off = pos & (r->size - 1), first = RTE_MIN(n, r->size - off);

	memcpy(dst, r->data + off, first);
	if (first < n)
		memcpy((uint8_t *)dst + first, r->data, n - first);
}

#define F_INDEX_MASK	0xffffffffull
#define F_CURRENT_CPU	F_INDEX_MASK
#define F_CTXLEN_MASK	(0xfffffull << 32)

/* bpf_perf_event_output(ctx, map, flags, data, size) for XDP */
HELPER
xdpc_helper_perf_event_output(uint64_t ctx, uint64_t map, uint64_t flags,
	uint64_t data, uint64_t size)
{
	struct xdpc_ctx *c = (struct xdpc_ctx *)ctx;
	struct rte_xdp_map *m = (struct rte_xdp_map *)map;
	perf_slot *slot = m->priv;
	uint64_t ctxlen = (flags & F_CTXLEN_MASK) >> 32, idx, raw, head, tail;
	unsigned int cpu = xdpc_cpu();
	struct perf_ring *r;
	uint8_t bounce[256], pad[8] = { 0 };
	uint32_t hdr, off;
	bool shared;

	if (flags & ~(F_CTXLEN_MASK | F_INDEX_MASK))
		return (uint64_t)-EINVAL;
	if (c == NULL || ctxlen > xdpc_buff_len(c))
		return (uint64_t)-EFAULT;
	idx = flags & F_INDEX_MASK;
	if (idx == F_CURRENT_CPU)
		idx = cpu;
	if (idx >= m->def.max_entries)
		return (uint64_t)-E2BIG;
	r = __atomic_load_n(&slot[idx], __ATOMIC_ACQUIRE);
	if (r == NULL)
		return (uint64_t)-ENOENT;
	if (r->cpu != cpu)
		return (uint64_t)-EOPNOTSUPP;
	/* a raw sample: u32 size, then size bytes with the u32 8-aligned */
	raw = RTE_ALIGN_CEIL(size + ctxlen + sizeof(uint32_t), 8) -
		sizeof(uint32_t);
	shared = cpu == rte_xdp_map_nb_cpus() - 1;
	if (shared)
		rte_spinlock_lock(&r->producers);
	head = r->head;
	tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
	if (raw > UINT16_MAX || head + sizeof(hdr) + raw - tail > r->size) {
		__atomic_fetch_add(&r->lost, 1, __ATOMIC_RELAXED);
		if (shared)
			rte_spinlock_unlock(&r->producers);
		return (uint64_t)-ENOSPC;
	}
	hdr = raw;
	ring_put(r, head, &hdr, sizeof(hdr));
	ring_put(r, head + sizeof(hdr), (const void *)data, size);
	for (off = 0; off < ctxlen; off += sizeof(bounce)) {
		uint32_t n = RTE_MIN((uint64_t)sizeof(bounce), ctxlen - off);

		xdpc_frags_read(c, off, bounce, n);
		ring_put(r, head + sizeof(hdr) + size + off, bounce, n);
	}
	ring_put(r, head + sizeof(hdr) + size + ctxlen, pad,
		raw - size - ctxlen);
	__atomic_store_n(&r->head, head + sizeof(hdr) + raw, __ATOMIC_RELEASE);
	if (shared)
		rte_spinlock_unlock(&r->producers);
	return 0;
}

struct rte_xdp_perf_buffer *
rte_xdp_perf_buffer_new(struct rte_xdp_map *map, uint32_t page_cnt,
	rte_xdp_perf_sample_fn sample, rte_xdp_perf_lost_fn lost, void *arg)
{
	struct rte_xdp_perf_buffer *pb;
	perf_slot *slot;
	unsigned int i, nb;
	size_t sz;

	if (map == NULL || map->def.type != RTE_XDP_MAP_PERF_EVENT_ARRAY ||
	    page_cnt == 0 || !rte_is_power_of_2(page_cnt) || sample == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	slot = map->priv;
	nb = RTE_MIN(map->def.max_entries, rte_xdp_map_nb_cpus());
	pb = rte_zmalloc("xdp_perf_buffer", sizeof(*pb) +
		nb * sizeof(pb->rings[0]), 0);
	if (pb == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	pb->nb = nb;
	pb->map = map;
	pb->sample = sample;
	pb->lost = lost;
	pb->arg = arg;
	sz = (size_t)page_cnt * PAGE_SZ;
	for (i = 0; i < nb; i++) {
		struct perf_ring *r;

		r = rte_zmalloc_socket("xdp_perf_ring", sizeof(*r) + sz,
			RTE_CACHE_LINE_SIZE, map->socket_id);
		if (r == NULL)
			goto nomem;
		r->tmp = rte_malloc("xdp_perf_tmp", sz, 0);
		if (r->tmp == NULL) {
			rte_free(r);
			goto nomem;
		}
		r->cpu = i;
		r->size = sz;
		rte_spinlock_init(&r->producers);
		pb->rings[i] = r;
	}
	for (i = 0; i < nb; i++) {
		perf_slot expected = NULL;

		if (pb->rings[i] != NULL &&
		    !__atomic_compare_exchange_n(&slot[i], &expected,
			    pb->rings[i], 0, __ATOMIC_ACQ_REL,
			    __ATOMIC_RELAXED)) {
			rte_xdp_perf_buffer_free(pb);
			rte_errno = EBUSY;
			return NULL;
		}
	}
	return pb;
nomem:
	rte_xdp_perf_buffer_free(pb);
	rte_errno = ENOMEM;
	return NULL;
}

int
rte_xdp_perf_buffer_poll(struct rte_xdp_perf_buffer *pb, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < pb->nb; i++) {
		struct perf_ring *r = pb->rings[i];
		uint64_t tail, head, lost;
		uint32_t size;

		if (r == NULL)
			continue;
		lost = __atomic_exchange_n(&r->lost, 0, __ATOMIC_RELAXED);
		if (lost != 0 && pb->lost != NULL)
			pb->lost(pb->arg, r->cpu, lost);
		tail = r->tail;
		head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		while (tail < head && (max == 0 || n < max)) {
			ring_get(r, tail, &size, sizeof(size));
			ring_get(r, tail + sizeof(size), r->tmp, size);
			pb->sample(pb->arg, r->cpu, r->tmp, size);
			tail += sizeof(size) + size;
			__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
			n++;
		}
	}
	return n;
}

void
rte_xdp_perf_buffer_free(struct rte_xdp_perf_buffer *pb)
{
	perf_slot *slot;
	unsigned int i;

	if (pb == NULL)
		return;
	slot = pb->map->priv;
	for (i = 0; i < pb->nb; i++) {
		perf_slot mine = pb->rings[i];

		if (mine == NULL)
			continue;
		__atomic_compare_exchange_n(&slot[i], &mine, NULL, 0,
			__ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
		rte_free(pb->rings[i]->tmp);
		rte_free(pb->rings[i]);
	}
	rte_free(pb);
}

/* ---- ring buffers ---- */

#define RB_BUSY_BIT	(1u << 31)
#define RB_DISCARD_BIT	(1u << 30)
#define RB_HDR_SZ	8
#define RB_NO_WAKEUP	1
#define RB_FORCE_WAKEUP	2

struct ringbuf {
	rte_spinlock_t lock;
	uint64_t mask;
	uint64_t consumer_pos __rte_cache_aligned;
	uint64_t producer_pos __rte_cache_aligned;
	uint8_t *data;		/* mask + 1 bytes, mapped twice in a row */
};

struct rb_hdr {
	uint32_t len;
	uint32_t pg_off;
};

static int
rb_alloc(struct rte_xdp_map *map)
{
	size_t sz = map->def.max_entries;
	struct ringbuf *rb;
	uint8_t *area;
	int fd;

	rb = rte_zmalloc_socket("xdp_ringbuf", sizeof(*rb),
		RTE_CACHE_LINE_SIZE, map->socket_id);
	if (rb == NULL)
		return -ENOMEM;
	fd = memfd_create("xdp_ringbuf", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, sz) != 0)
		goto fail;
	area = mmap(NULL, 2 * sz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		0);
	if (area == MAP_FAILED)
		goto fail;
	if (mmap(area, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
			0) == MAP_FAILED ||
	    mmap(area + sz, sz, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
		munmap(area, 2 * sz);
		goto fail;
	}
	close(fd);
	rte_spinlock_init(&rb->lock);
	rb->mask = sz - 1;
	rb->data = area;
	map->priv = rb;
	return 0;
fail:
	XDPC_LOG(ERR, "ringbuf %s: cannot map %zu bytes twice: %s", map->name,
		sz, strerror(errno));
	if (fd >= 0)
		close(fd);
	rte_free(rb);
	return -ENOMEM;
}

static void
rb_free(struct rte_xdp_map *map)
{
	struct ringbuf *rb = map->priv;

	munmap(rb->data, 2 * (rb->mask + 1));
	rte_free(rb);
}

static int
rb_no_delete(struct rte_xdp_map *map, const void *key)
{
	RTE_SET_USED(map);
	RTE_SET_USED(key);
	return -EINVAL;
}

static int
rb_get_next_key(struct rte_xdp_map *map, const void *key, void *next_key)
{
	RTE_SET_USED(map);
	RTE_SET_USED(key);
	RTE_SET_USED(next_key);
	return -EOPNOTSUPP;
}

static int
rb_user_lookup(struct rte_xdp_map *map, const void *key, void *value)
{
	RTE_SET_USED(map);
	RTE_SET_USED(key);
	RTE_SET_USED(value);
	return -EOPNOTSUPP;
}

static int
rb_user_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags)
{
	RTE_SET_USED(map);
	RTE_SET_USED(key);
	RTE_SET_USED(value);
	RTE_SET_USED(flags);
	return -EOPNOTSUPP;
}

const struct xdpc_map_ops xdpc_ringbuf_ops = {
	.alloc = rb_alloc,
	.free = rb_free,
	.lookup = xdpc_map_no_lookup,
	.update = xdpc_map_no_update,
	.delete = rb_no_delete,
	.get_next_key = rb_get_next_key,
	.user_lookup = rb_user_lookup,
	.user_update = rb_user_update,
};

static void *
rb_reserve(struct ringbuf *rb, uint64_t size)
{
	uint64_t cons, prod, len;
	struct rb_hdr *hdr;

	if (size > UINT32_MAX / 4)
		return NULL;
	len = RTE_ALIGN_CEIL(size + RB_HDR_SZ, 8);
	if (len > rb->mask + 1)
		return NULL;
	cons = __atomic_load_n(&rb->consumer_pos, __ATOMIC_ACQUIRE);
	rte_spinlock_lock(&rb->lock);
	prod = rb->producer_pos;
	if (prod + len - cons > rb->mask) {
		rte_spinlock_unlock(&rb->lock);
		return NULL;
	}
	hdr = (struct rb_hdr *)(rb->data + (prod & rb->mask));
	hdr->pg_off = 2 + ((prod & rb->mask) >> 12);
	__atomic_store_n(&hdr->len, (uint32_t)size | RB_BUSY_BIT,
		__ATOMIC_RELAXED);
	__atomic_store_n(&rb->producer_pos, prod + len, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&rb->lock);
	return hdr + 1;
}

static void
rb_commit(void *sample, int discard)
{
	struct rb_hdr *hdr = (struct rb_hdr *)sample - 1;
	uint32_t len = hdr->len ^ RB_BUSY_BIT;

	if (discard)
		len |= RB_DISCARD_BIT;
	__atomic_exchange_n(&hdr->len, len, __ATOMIC_ACQ_REL);
}

/*
 * Records reserved and not yet submitted or discarded in the running
 * program: submit and discard accept only those (the kernel's verifier
 * tracks them as references), and the runner discards what a program
 * that was not verified by the kernel left behind.
 */
static int
resv_take(struct xdpc_ctx *c, uint64_t rec)
{
	uint32_t i;

	if (c == NULL)
		return 0;
	for (i = 0; i < c->nb_resv; i++)
		if (c->resv[i] == (void *)(uintptr_t)rec) {
			c->resv[i] = c->resv[--c->nb_resv];
			return 1;
		}
	return 0;
}

void
xdpc_ringbuf_release_all(struct xdpc_ctx *c)
{
	while (c->nb_resv != 0)
		rb_commit(c->resv[--c->nb_resv], 1);
}

HELPER
xdpc_helper_ringbuf_output(uint64_t map, uint64_t data, uint64_t size,
	uint64_t flags, uint64_t a5)
{
	struct rte_xdp_map *m = (struct rte_xdp_map *)map;
	void *rec;

	RTE_SET_USED(a5);
	if (flags & ~(uint64_t)(RB_NO_WAKEUP | RB_FORCE_WAKEUP))
		return (uint64_t)-EINVAL;
	rec = rb_reserve(m->priv, size);
	if (rec == NULL)
		return (uint64_t)-EAGAIN;
	memcpy(rec, (const void *)data, size);
	rb_commit(rec, 0);
	return 0;
}

HELPER
xdpc_helper_ringbuf_reserve(uint64_t map, uint64_t size, uint64_t flags,
	uint64_t a4, uint64_t a5)
{
	struct xdpc_ctx *c = RTE_PER_LCORE(xdpc_lcore).cur_ctx;
	struct rte_xdp_map *m = (struct rte_xdp_map *)map;
	void *rec;

	RTE_SET_USED(a4);
	RTE_SET_USED(a5);
	if (flags != 0 || c == NULL || c->nb_resv == XDPC_MAX_RESV)
		return 0;
	rec = rb_reserve(m->priv, size);
	if (rec != NULL)
		c->resv[c->nb_resv++] = rec;
	return (uintptr_t)rec;
}

HELPER
xdpc_helper_ringbuf_submit(uint64_t rec, uint64_t flags, uint64_t a3,
	uint64_t a4, uint64_t a5)
{
	RTE_SET_USED(flags);
	RTE_SET_USED(a3);
	RTE_SET_USED(a4);
	RTE_SET_USED(a5);
	if (resv_take(RTE_PER_LCORE(xdpc_lcore).cur_ctx, rec))
		rb_commit((void *)(uintptr_t)rec, 0);
	return 0;
}

HELPER
xdpc_helper_ringbuf_discard(uint64_t rec, uint64_t flags, uint64_t a3,
	uint64_t a4, uint64_t a5)
{
	RTE_SET_USED(flags);
	RTE_SET_USED(a3);
	RTE_SET_USED(a4);
	RTE_SET_USED(a5);
	if (resv_take(RTE_PER_LCORE(xdpc_lcore).cur_ctx, rec))
		rb_commit((void *)(uintptr_t)rec, 1);
	return 0;
}

HELPER
xdpc_helper_ringbuf_query(uint64_t map, uint64_t flags, uint64_t a3,
	uint64_t a4, uint64_t a5)
{
	struct ringbuf *rb = ((struct rte_xdp_map *)map)->priv;
	uint64_t cons = __atomic_load_n(&rb->consumer_pos, __ATOMIC_ACQUIRE);
	uint64_t prod = __atomic_load_n(&rb->producer_pos, __ATOMIC_ACQUIRE);

	RTE_SET_USED(a3);
	RTE_SET_USED(a4);
	RTE_SET_USED(a5);
	switch (flags) {
	case 0:		/* BPF_RB_AVAIL_DATA */
		return prod - cons;
	case 1:		/* BPF_RB_RING_SIZE */
		return rb->mask + 1;
	case 2:		/* BPF_RB_CONS_POS */
		return cons;
	case 3:		/* BPF_RB_PROD_POS */
		return prod;
	default:
		return 0;
	}
}

struct rte_xdp_ring_buffer {
	struct rte_xdp_map *map;
	rte_xdp_ring_buffer_sample_fn sample;
	void *arg;
};

struct rte_xdp_ring_buffer *
rte_xdp_ring_buffer_new(struct rte_xdp_map *map,
	rte_xdp_ring_buffer_sample_fn sample, void *arg)
{
	struct rte_xdp_ring_buffer *r;

	if (map == NULL || map->def.type != RTE_XDP_MAP_RINGBUF ||
	    sample == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	r->map = map;
	r->sample = sample;
	r->arg = arg;
	return r;
}

int
rte_xdp_ring_buffer_consume(struct rte_xdp_ring_buffer *r)
{
	struct ringbuf *rb = r->map->priv;
	uint64_t cons, prod;
	int n = 0, ret, more;

	cons = __atomic_load_n(&rb->consumer_pos, __ATOMIC_ACQUIRE);
	do {
		more = 0;
		prod = __atomic_load_n(&rb->producer_pos, __ATOMIC_ACQUIRE);
		while (cons < prod) {
			struct rb_hdr *hdr = (struct rb_hdr *)(rb->data +
				(cons & rb->mask));
			uint32_t len = __atomic_load_n(&hdr->len,
				__ATOMIC_ACQUIRE);

			if (len & RB_BUSY_BIT)
				return n;
			more = 1;
			cons += RTE_ALIGN_CEIL((uint64_t)(len &
				~(RB_BUSY_BIT | RB_DISCARD_BIT)) + RB_HDR_SZ, 8);
			if (!(len & RB_DISCARD_BIT)) {
				ret = r->sample(r->arg, hdr + 1, len &
					~(RB_BUSY_BIT | RB_DISCARD_BIT));
				if (ret != 0) {
					__atomic_store_n(&rb->consumer_pos, cons,
						__ATOMIC_RELEASE);
					return ret;
				}
				n++;
			}
			__atomic_store_n(&rb->consumer_pos, cons,
				__ATOMIC_RELEASE);
		}
	} while (more);
	return n;
}

void
rte_xdp_ring_buffer_free(struct rte_xdp_ring_buffer *r)
{
	free(r);
}
