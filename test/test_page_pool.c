/* SPDX-License-Identifier: BSD-3-Clause */
/* page_pool_autotest: the page_pool API on rte_mempool. */

#include <errno.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_xdp_page_pool.h"
#include "rte_xdp_prog.h"
#include "rte_xdp_rxq_info.h"
#include "test.h"

#define NB_MBUF 1024

static struct rte_mempool *mp;

static int
suite_setup(void)
{
	mp = rte_pktmbuf_pool_create(test_unique("pp"), NB_MBUF, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	return mp != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
suite_teardown(void)
{
	rte_mempool_free(mp);
	mp = NULL;
}

static struct rte_xdp_page_pool *
make_pool(unsigned int size, struct rte_mempool *backing)
{
	struct rte_xdp_page_pool_params p = {
		.name = test_unique("q"),
		.flags = RTE_XDP_PP_FLAG_DMA_MAP | RTE_XDP_PP_FLAG_DMA_SYNC_DEV,
		.pool_size = size,
		.nid = RTE_XDP_NUMA_NO_NODE,
		.dma_dir = RTE_XDP_DMA_FROM_DEVICE,
		.offset = RTE_XDP_PACKET_HEADROOM,
		.max_len = 1500,
		.mp = backing,
	};

	return rte_xdp_page_pool_create(&p);
}

static int
test_bad_params(void)
{
	struct rte_xdp_page_pool_params p = {
		.name = "bad", .pool_size = 64, .offset = 256,
		.flags = RTE_XDP_PP_FLAG_DMA_SYNC_DEV, .max_len = 0, .mp = mp,
	};

	TEST_ASSERT_NULL(rte_xdp_page_pool_create(NULL), "NULL params");
	TEST_ASSERT_NULL(rte_xdp_page_pool_create(&p), "SYNC_DEV without max_len");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno");
	p.flags = 1u << 7;
	p.max_len = 100;
	TEST_ASSERT_NULL(rte_xdp_page_pool_create(&p), "unknown flag");
	p.flags = 0;
	p.max_len = 4096;	/* more than the buffers hold */
	TEST_ASSERT_NULL(rte_xdp_page_pool_create(&p), "max_len too big");
	p.max_len = 100;
	p.pool_size = 0;
	TEST_ASSERT_NULL(rte_xdp_page_pool_create(&p), "empty pool");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF, "leak");
	return TEST_SUCCESS;
}

static int
test_alloc_layout_and_accounting(void)
{
	struct rte_xdp_page_pool *pp = make_pool(256, mp);
	struct rte_xdp_page_pool_stats st = { 0 };
	struct rte_mbuf *m[200];
	unsigned int i;

	TEST_ASSERT_NOT_NULL(pp, "create");
	for (i = 0; i < RTE_DIM(m); i++) {
		m[i] = rte_xdp_page_pool_alloc(pp);
		TEST_ASSERT_NOT_NULL(m[i], "alloc %u", i);
		TEST_ASSERT_EQUAL(m[i]->data_off, RTE_XDP_PACKET_HEADROOM,
			"data at +256");
		TEST_ASSERT_EQUAL(m[i]->nb_segs, 1, "one segment");
		TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(m[i]), 1, "refcnt");
	}
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_inflight(pp), RTE_DIM(m), "inflight");
	rte_xdp_page_pool_get_stats(pp, &st);
	/* The slow path fills the cache 64 at a time. */
	TEST_ASSERT_EQUAL(st.alloc_slow, 4, "slow refills");
	TEST_ASSERT_EQUAL(st.alloc_fast + st.alloc_slow, RTE_DIM(m), "allocs");

	/* Direct recycling fills the cache up to its size, then the ring. */
	for (i = 0; i < RTE_DIM(m); i++) {
		m[i]->data_off = 10;	/* moved by a program */
		rte_xdp_page_pool_recycle_direct(pp, m[i]);
	}
	memset(&st, 0, sizeof(st));
	rte_xdp_page_pool_get_stats(pp, &st);
	TEST_ASSERT_EQUAL(st.recycle_cached + st.recycle_ring, RTE_DIM(m),
		"every recycle counted");
	TEST_ASSERT(st.recycle_cache_full > 0, "cache overflowed into the ring");
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_inflight(pp), 0, "none in flight");

	/* Reused buffers come back reset. */
	m[0] = rte_xdp_page_pool_alloc(pp);
	TEST_ASSERT_EQUAL(m[0]->data_off, RTE_XDP_PACKET_HEADROOM, "reset");
	rte_xdp_page_pool_put_page(pp, m[0], 0, false);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 0, "destroy");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF,
		"every buffer back in the mempool");
	return TEST_SUCCESS;
}

/* A buffer back from the pool carries no metadata of its last frame: the
 * next program would see it in front of a new frame (the kernel starts
 * each frame with data_meta == data). */
static int
test_recycle_clears_meta(void)
{
	struct rte_xdp_page_pool *pp = make_pool(64, mp);
	struct rte_mbuf *m;

	TEST_ASSERT_NOT_NULL(pp, "create");
	m = rte_xdp_page_pool_alloc(pp);
	TEST_ASSERT_SUCCESS(rte_xdp_mbuf_set_meta_len(m, 8), "meta");
	rte_xdp_page_pool_recycle_direct(pp, m);
	m = rte_xdp_page_pool_alloc(pp);
	TEST_ASSERT_EQUAL(rte_xdp_mbuf_meta_len(m), 0, "stale metadata");
	rte_xdp_page_pool_recycle_direct(pp, m);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 0, "destroy");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF, "all back");
	return TEST_SUCCESS;
}

/* n buffers from the pool, as a frame's RX and program leave them. */
static int
alloc_frames(struct rte_xdp_page_pool *pp, struct rte_mbuf **m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		m[i] = rte_xdp_page_pool_alloc(pp);
		TEST_ASSERT_NOT_NULL(m[i], "alloc %u", i);
		m[i]->data_off = 10;
		m[i]->data_len = 60;
		m[i]->pkt_len = 60;
		m[i]->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		m[i]->packet_type = RTE_PTYPE_L2_ETHER;
		TEST_ASSERT_SUCCESS(rte_xdp_mbuf_set_meta_len(m[i], 8),
			"meta");
	}
	return TEST_SUCCESS;
}

/* XDP_DROP's bulk return: into the cache, reset; the cache's overflow to
 * the ring; a shared buffer out of the pool; every one accounted for. */
static int
test_recycle_direct_bulk(void)
{
	struct rte_xdp_page_pool *pp = make_pool(256, mp);
	struct rte_xdp_page_pool_stats st = { 0 };
	struct rte_mbuf *m[200], *shared;
	unsigned int i;

	TEST_ASSERT_NOT_NULL(pp, "create");
	TEST_ASSERT_SUCCESS(alloc_frames(pp, m, RTE_DIM(m)), "alloc");
	shared = m[7];
	rte_mbuf_refcnt_update(shared, 1);
	rte_xdp_page_pool_recycle_direct_bulk(pp, m, RTE_DIM(m));
	rte_xdp_page_pool_get_stats(pp, &st);
	TEST_ASSERT_EQUAL(st.recycle_released_refcnt, 1, "shared one out");
	TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(shared), 1, "one ref left");
	TEST_ASSERT_EQUAL(st.recycle_cached + st.recycle_ring,
		RTE_DIM(m) - 1, "every other one recycled");
	TEST_ASSERT(st.recycle_cache_full > 0, "cache overflowed into the ring");
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_inflight(pp), 0, "none in flight");
	rte_pktmbuf_free(shared);

	/* they come back as fresh ones, from the cache and the ring */
	for (i = 0; i < RTE_DIM(m); i++) {
		m[i] = rte_xdp_page_pool_alloc(pp);
		TEST_ASSERT_NOT_NULL(m[i], "realloc %u", i);
		TEST_ASSERT_EQUAL(m[i]->data_off, RTE_XDP_PACKET_HEADROOM,
			"data_off reset");
		TEST_ASSERT_EQUAL(m[i]->ol_flags, 0, "flags reset");
		TEST_ASSERT_EQUAL(m[i]->packet_type, 0, "ptype reset");
		TEST_ASSERT_EQUAL(rte_xdp_mbuf_meta_len(m[i]), 0,
			"metadata reset");
		TEST_ASSERT_EQUAL(m[i]->nb_segs, 1, "one segment");
		TEST_ASSERT_NULL(m[i]->next, "no next");
	}
	rte_xdp_page_pool_recycle_direct_bulk(pp, m, RTE_DIM(m));
	rte_xdp_page_pool_recycle_direct_bulk(pp, m, 0);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 0, "destroy");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF,
		"every buffer back in the mempool");
	return TEST_SUCCESS;
}

/* From a destroyed pool the bulk return takes the slow way: all back in
 * the mempool. */
static int
test_recycle_direct_bulk_dying(void)
{
	struct rte_xdp_page_pool *pp = make_pool(64, mp);
	struct rte_mbuf *m[4];
	unsigned int i;

	TEST_ASSERT_NOT_NULL(pp, "create");
	for (i = 0; i < RTE_DIM(m); i++)
		m[i] = rte_xdp_page_pool_alloc(pp);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), RTE_DIM(m),
		"buffers reported out");
	rte_xdp_page_pool_recycle_direct_bulk(pp, m, RTE_DIM(m));
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF, "all back");
	return TEST_SUCCESS;
}

/* Frames back from another port's TX ring, in bulk from any lcore: onto
 * the ring, reset; the full ring's overflow to the mempool; a shared
 * buffer out of the pool; a destroyed pool's to the mempool. */
static int
test_put_page_bulk(void)
{
	struct rte_xdp_page_pool *pp = make_pool(64, mp);
	struct rte_xdp_page_pool_stats st = { 0 };
	struct rte_mbuf *m[200], *shared;
	unsigned int i;

	TEST_ASSERT_NOT_NULL(pp, "create");
	TEST_ASSERT_SUCCESS(alloc_frames(pp, m, RTE_DIM(m)), "alloc");
	for (i = 0; i < RTE_DIM(m); i++)
		m[i]->vlan_tci = 7;	/* beyond what the RX path rewrites */
	shared = m[3];
	rte_mbuf_refcnt_update(shared, 1);
	rte_xdp_page_pool_put_page_bulk(pp, m, RTE_DIM(m));
	rte_xdp_page_pool_get_stats(pp, &st);
	TEST_ASSERT_EQUAL(st.recycle_released_refcnt, 1, "shared one out");
	TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(shared), 1, "one ref left");
	TEST_ASSERT_EQUAL(st.recycle_cached, 0, "not into the cache");
	/* a 128-slot ring holds 127 */
	TEST_ASSERT_EQUAL(st.recycle_ring, 127, "onto the ring");
	TEST_ASSERT_EQUAL(st.recycle_ring_full, RTE_DIM(m) - 1 - 127,
		"the rest to the mempool");
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_inflight(pp), 0, "none in flight");
	rte_pktmbuf_free(shared);
	for (i = 0; i < 127; i++) {
		m[i] = rte_xdp_page_pool_alloc(pp);
		TEST_ASSERT_NOT_NULL(m[i], "realloc %u", i);
		TEST_ASSERT(m[i]->data_off == RTE_XDP_PACKET_HEADROOM &&
			m[i]->ol_flags == 0 && m[i]->vlan_tci == 0 &&
			rte_xdp_mbuf_meta_len(m[i]) == 0, "reset %u", i);
	}
	rte_xdp_page_pool_get_stats(pp, &st);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 127,
		"buffers reported out");
	rte_xdp_page_pool_put_page_bulk(pp, m, 127);
	rte_xdp_page_pool_put_page_bulk(pp, m, 0);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF,
		"every buffer back in the mempool");
	return TEST_SUCCESS;
}

static int
test_release_and_shared(void)
{
	struct rte_xdp_page_pool *pp = make_pool(64, mp);
	struct rte_xdp_page_pool_stats st = { 0 };
	struct rte_mbuf *a, *b;

	TEST_ASSERT_NOT_NULL(pp, "create");
	/* PASS: the buffer leaves the pool, the app frees it to the mempool. */
	a = rte_xdp_page_pool_alloc(pp);
	rte_xdp_page_pool_release_page(pp, a);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_inflight(pp), 0, "released");
	rte_pktmbuf_free(a);

	/* A shared buffer is not recycled while someone holds it. */
	b = rte_xdp_page_pool_alloc(pp);
	rte_mbuf_refcnt_update(b, 1);
	rte_xdp_page_pool_put_page(pp, b, 0, true);
	rte_xdp_page_pool_get_stats(pp, &st);
	TEST_ASSERT_EQUAL(st.recycle_released_refcnt, 1, "released_refcnt");
	TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(b), 1, "one ref left");
	rte_pktmbuf_free(b);

	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 0, "destroy");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF, "all back");
	return TEST_SUCCESS;
}

static size_t
heap_bytes(void)
{
	struct rte_malloc_socket_stats st;

	rte_malloc_get_socket_stats(0, &st);
	return st.heap_allocsz_bytes;
}

/* Destroyed with a buffer still out (on another port's TX ring): the pool
 * lives on until it comes back, then goes away. */
static int
test_deferred_destroy(void)
{
	size_t heap = heap_bytes();
	struct rte_xdp_page_pool *pp = make_pool(64, mp), *other;
	struct rte_mbuf *a, *b;

	TEST_ASSERT_NOT_NULL(pp, "create");
	a = rte_xdp_page_pool_alloc(pp);
	b = rte_xdp_page_pool_alloc(pp);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 2,
		"two buffers reported out");
	/* Returned late, from elsewhere: straight to the mempool. */
	rte_xdp_page_pool_put_page(pp, a, 0, false);
	rte_xdp_page_pool_put_page(pp, b, 0, true);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF, "all back");
	/* The next pool operation reaps the dead one. */
	other = make_pool(64, mp);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(other), 0, "destroy");
	TEST_ASSERT_EQUAL(heap_bytes(), heap, "dead pool freed");
	return TEST_SUCCESS;
}

static int
test_private_pool(void)
{
	struct rte_xdp_page_pool *pp = make_pool(128, NULL);
	struct rte_mbuf *m;

	TEST_ASSERT_NOT_NULL(pp, "create with a private mempool");
	m = rte_xdp_page_pool_alloc(pp);
	TEST_ASSERT_NOT_NULL(m, "alloc");
	TEST_ASSERT_EQUAL(m->buf_len, 4096, "order 0: one 4 KiB page");
	rte_xdp_page_pool_recycle_direct(pp, m);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 0, "destroy");
	return TEST_SUCCESS;
}

static int
test_exhaustion(void)
{
	struct rte_xdp_page_pool *pp = make_pool(64, mp);
	struct rte_xdp_page_pool_stats st = { 0 };
	struct rte_mbuf **all;
	unsigned int n = 0, i;

	TEST_ASSERT_NOT_NULL(pp, "create");
	all = calloc(NB_MBUF + 1, sizeof(*all));
	while (n <= NB_MBUF && (all[n] = rte_xdp_page_pool_alloc(pp)) != NULL)
		n++;
	TEST_ASSERT_EQUAL(n, NB_MBUF, "the whole mempool, then NULL");
	rte_xdp_page_pool_get_stats(pp, &st);
	TEST_ASSERT(st.alloc_empty > 0, "empty counted");
	for (i = 0; i < n; i++)
		rte_xdp_page_pool_put_page(pp, all[i], 0, false);
	free(all);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 0, "destroy");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF, "all back");
	return TEST_SUCCESS;
}

static int
test_rxq_info_return_frame(void)
{
	struct rte_xdp_page_pool *pp = make_pool(64, mp);
	struct rte_xdp_rxq_info rxq;
	struct rte_mbuf *a, *b;

	TEST_ASSERT_NOT_NULL(pp, "create");
	TEST_ASSERT_SUCCESS(rte_xdp_rxq_info_reg(&rxq, 0, 7, 0, 2048), "reg");
	TEST_ASSERT_FAIL(rte_xdp_rxq_info_reg_mem_model(&rxq,
		RTE_XDP_MEM_TYPE_PAGE_POOL, NULL), "page pool needed");
	TEST_ASSERT_SUCCESS(rte_xdp_rxq_info_reg_mem_model(&rxq,
		RTE_XDP_MEM_TYPE_PAGE_POOL, pp), "mem model");
	/* A two-segment frame goes back segment by segment. */
	a = rte_xdp_page_pool_alloc(pp);
	b = rte_xdp_page_pool_alloc(pp);
	a->next = b;
	a->nb_segs = 2;
	rte_xdp_return_frame(&rxq.mem, a, 1);
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_inflight(pp), 0, "returned");
	rte_xdp_rxq_info_unreg(&rxq);
	TEST_ASSERT(!rte_xdp_rxq_info_is_reg(&rxq), "unregistered");
	TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 0, "destroy");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUF, "all back");
	return TEST_SUCCESS;
}

static struct unit_test_suite page_pool_suite = {
	.suite_name = "page_pool on rte_mempool",
	.setup = suite_setup,
	.teardown = suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_bad_params),
		TEST_CASE(test_alloc_layout_and_accounting),
		TEST_CASE(test_recycle_clears_meta),
		TEST_CASE(test_recycle_direct_bulk),
		TEST_CASE(test_recycle_direct_bulk_dying),
		TEST_CASE(test_put_page_bulk),
		TEST_CASE(test_release_and_shared),
		TEST_CASE(test_deferred_destroy),
		TEST_CASE(test_private_pool),
		TEST_CASE(test_exhaustion),
		TEST_CASE(test_rxq_info_return_frame),
		TEST_CASES_END()
	},
};

static int
test_page_pool(void)
{
	return unit_test_suite_runner(&page_pool_suite);
}

REGISTER_TEST_COMMAND(page_pool_autotest, test_page_pool);
