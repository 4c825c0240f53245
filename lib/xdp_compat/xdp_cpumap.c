/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cpumap: frames redirected to another lcore, like the kernel's cpumap
 * kthreads (kernel/bpf/cpumap.c). One worker per cpumap key, each with a
 * multi-producer ring of (frame, memory model, program, ingress port).
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "rte_xdp_cpumap.h"
#include "rte_xdp_redirect.h"
#include "xdp_compat_log.h"
#include "xdp_redirect_internal.h"

#define CPUMAP_MAX_KEYS	RTE_MAX_LCORE
#define CPUMAP_BATCH	32
#define XDP_CPUMAP_ENQ_MAX 32	/* frames per enqueue call (a bulk queue) */

/* One ring element. */
struct cpumap_frame {
	struct rte_mbuf *m;
	const struct rte_xdp_mem_info *mem;
	uint32_t prog;		/* handle of the entry's program, 0: none */
	uint32_t reserved;
};

struct cpumap_worker {
	struct rte_ring *ring;	/* non-NULL while serving */
	rte_xdp_cpumap_pass_t pass;
	void *arg;
	uint64_t enqueued;	/* atomic */
	uint64_t enqueue_drops;	/* atomic */
	uint64_t processed;	/* the worker's own */
	uint64_t pass_cnt;
	uint64_t drop;
	uint64_t redirect;
} __rte_cache_aligned;

static struct cpumap_worker workers[CPUMAP_MAX_KEYS];

/* The kernel's struct bpf_cpumap_val. */
struct cpumap_val {
	uint32_t qsize;
	uint32_t prog;
};

int
rte_xdp_cpumap_worker_start(uint32_t cpu, uint32_t ring_size,
	rte_xdp_cpumap_pass_t pass, void *arg)
{
	struct cpumap_worker *w;
	char name[RTE_RING_NAMESIZE];

	if (cpu >= CPUMAP_MAX_KEYS || pass == NULL || ring_size == 0)
		return -EINVAL;
	w = &workers[cpu];
	if (w->ring != NULL)
		return -EEXIST;
	snprintf(name, sizeof(name), "xdp_cpumap_%u", cpu);
	memset(w, 0, sizeof(*w));
	w->pass = pass;
	w->arg = arg;
	w->ring = rte_ring_create_elem(name, sizeof(struct cpumap_frame),
		rte_align32pow2(ring_size + 1), rte_socket_id(), RING_F_SC_DEQ);
	if (w->ring == NULL) {
		XDPC_LOG(ERR, "cpumap %u: ring of %u: %s", cpu, ring_size,
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

void
rte_xdp_cpumap_worker_stop(uint32_t cpu)
{
	struct cpumap_worker *w;
	struct cpumap_frame f;
	struct rte_ring *r;

	if (cpu >= CPUMAP_MAX_KEYS || workers[cpu].ring == NULL)
		return;
	w = &workers[cpu];
	r = w->ring;
	/* No RX lcore may still redirect here (see the header). */
	__atomic_store_n(&w->ring, NULL, __ATOMIC_SEQ_CST);
	while (rte_ring_dequeue_elem(r, &f, sizeof(f)) == 0)
		rte_xdp_return_frame(f.mem, f.m, 0);
	rte_ring_free(r);
}

uint16_t
xdpc_cpumap_enqueue(uint32_t cpu, const void *entry, struct rte_mbuf **frames,
	const struct rte_xdp_mem_info **mem, uint16_t n)
{
	struct cpumap_frame f[XDP_CPUMAP_ENQ_MAX];
	struct cpumap_val val;
	struct cpumap_worker *w;
	struct rte_ring *r;
	uint32_t room;
	uint16_t i, sent = 0, asked = n;

	if (cpu >= CPUMAP_MAX_KEYS)
		return 0;
	w = &workers[cpu];
	memcpy(&val, entry, sizeof(val));
	r = __atomic_load_n(&w->ring, __ATOMIC_ACQUIRE);
	if (r != NULL && val.qsize != 0) {
		/* The entry's qsize bounds its queue, as its ptr_ring does. */
		room = rte_ring_count(r) < val.qsize ?
			val.qsize - rte_ring_count(r) : 0;
		n = RTE_MIN(n, (uint16_t)RTE_MIN(room, (uint32_t)XDP_CPUMAP_ENQ_MAX));
		for (i = 0; i < n; i++) {
			f[i].m = frames[i];
			f[i].mem = mem[i];
			f[i].prog = val.prog;
			f[i].reserved = 0;
		}
		sent = rte_ring_mp_enqueue_burst_elem(r, f, sizeof(f[0]), n,
			NULL);
		__atomic_fetch_add(&w->enqueued, sent, __ATOMIC_RELAXED);
	}
	if (sent != asked)
		__atomic_fetch_add(&w->enqueue_drops, asked - sent,
			__ATOMIC_RELAXED);
	return sent;
}

/* Kernel cpu_map_bpf_prog_run_xdp(): the entry's program on a run of
 * frames from one ingress port and memory model. */
static uint16_t
run_prog(struct cpumap_worker *w, struct rte_xdp_prog *prog,
	const struct cpumap_frame *f, uint16_t n, struct rte_mbuf **pass)
{
	struct rte_xdp_redirect_info ri[CPUMAP_BATCH];
	struct rte_xdp_rxq_info rxq;
	struct rte_mbuf *m[CPUMAP_BATCH];
	uint32_t act[CPUMAP_BATCH];
	uint16_t i, npass = 0, port = f[0].m->port;
	uint32_t ifindex = 0;

	for (i = 0; i < n; i++)
		m[i] = f[i].m;
	rte_xdp_dev_ifindex(port, &ifindex);
	rte_xdp_rxq_info_reg(&rxq, port, ifindex, 0,
		rte_pktmbuf_data_room_size(m[0]->pool));
	rxq.mem = *f[0].mem;
	rte_xdp_prog_run_burst(prog, &rxq, m, n, act, ri);
	for (i = 0; i < n; i++) {
		switch (act[i]) {
		case RTE_XDP_PASS:
			pass[npass++] = m[i];
			continue;
		case RTE_XDP_REDIRECT:
			if (rte_xdp_do_redirect(m[i], &ri[i], &rxq) == 0) {
				w->redirect++;
				continue;
			}
			break;
		default:	/* XDP_TX included: invalid here */
			break;
		}
		w->drop++;
		rte_xdp_return_frame(f[i].mem, m[i], 0);
	}
	return npass;
}

uint16_t
rte_xdp_cpumap_worker_poll(uint32_t cpu, uint16_t max)
{
	struct cpumap_frame f[CPUMAP_BATCH];
	struct rte_mbuf *pass[CPUMAP_BATCH];
	struct cpumap_worker *w;
	struct rte_ring *r;
	const struct rte_xdp_mem_info *mem;
	uint16_t n, i, j, k, npass = 0;

	if (cpu >= CPUMAP_MAX_KEYS)
		return 0;
	w = &workers[cpu];
	r = __atomic_load_n(&w->ring, __ATOMIC_ACQUIRE);
	if (r == NULL)
		return 0;
	n = rte_ring_sc_dequeue_burst_elem(r, f, sizeof(f[0]),
		RTE_MIN(max, (uint16_t)CPUMAP_BATCH), NULL);
	if (n == 0)
		return 0;
	w->processed += n;
	for (i = 0; i < n; i = j) {
		struct rte_xdp_prog *prog = xdpc_prog_from_handle(f[i].prog);

		/* A run of frames sharing program, port and memory model. */
		for (j = i + 1; j < n && f[j].prog == f[i].prog &&
		     f[j].mem == f[i].mem && f[j].m->port == f[i].m->port; j++)
			;
		mem = f[i].mem;
		if (prog == NULL) {
			for (k = i; k < j; k++)
				pass[npass + k - i] = f[k].m;
			k = j - i;
		} else {
			k = run_prog(w, prog, &f[i], j - i, &pass[npass]);
		}
		/* PASS: the frames leave their memory model for the app. */
		for (; k != 0; k--)
			rte_xdp_frame_release(mem, pass[npass++]);
	}
	rte_xdp_do_flush();
	w->pass_cnt += npass;
	if (npass != 0)
		w->pass(pass, npass, w->arg);
	return n;
}

int
rte_xdp_cpumap_worker_stats(uint32_t cpu, struct rte_xdp_cpumap_stats *st)
{
	const struct cpumap_worker *w;

	if (cpu >= CPUMAP_MAX_KEYS || st == NULL)
		return -EINVAL;
	w = &workers[cpu];
	st->enqueued = __atomic_load_n(&w->enqueued, __ATOMIC_RELAXED);
	st->enqueue_drops = __atomic_load_n(&w->enqueue_drops,
		__ATOMIC_RELAXED);
	st->processed = w->processed;
	st->pass = w->pass_cnt;
	st->drop = w->drop;
	st->redirect = w->redirect;
	return 0;
}
