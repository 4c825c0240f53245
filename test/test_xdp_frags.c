/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_frags_autotest: multi-buffer frames (chained mbufs, 256 bytes of
 * headroom in every buffer, as the native driver gathers them) run by
 * the SEC("xdp.frags") program of test/bpf/xdp_frags.c with the kernel's
 * semantics: bpf_xdp_get_buff_len() counts the frags, load/store_bytes
 * cross segment boundaries, adjust_tail shrinks release whole segments
 * through the RX queue's memory model (page pool, or plain mbufs) and
 * grows extend the last one within its tailroom. Programs that are not
 * frags-aware get ABORTED. Every pool is back to full at the end.
 */

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define NB_BUFS 63
#define BUF_ROOM 2048	/* frag_size: a buffer, headroom included */

static struct rte_mempool *backing;

static int
frags_setup(void)
{
	if (access(test_bpf_obj_cpu("xdp_frags", "v3"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	backing = rte_pktmbuf_pool_create(test_unique("xdpfr"), NB_BUFS, 0, 0,
		BUF_ROOM, SOCKET_ID_ANY);
	return backing != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
frags_teardown(void)
{
	rte_mempool_free(backing);
	backing = NULL;
}

static struct rte_xdp_obj *
load(const char *name, const char *cpu, char *err, size_t len)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj = rte_xdp_obj_open(test_bpf_obj_cpu(name, cpu),
		&o, err, len);

	if (obj != NULL && rte_xdp_obj_load(obj, err, len) != 0) {
		rte_xdp_obj_close(obj);
		obj = NULL;
	}
	return obj;
}

/* Frame byte i (the frame is the concatenation of the segments). */
static uint8_t
pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + 3);
}

static struct rte_xdp_page_pool *pp;

static struct rte_mbuf *
buf_alloc(void)
{
	struct rte_mbuf *m;

	if (pp != NULL)
		return rte_xdp_page_pool_alloc(pp);
	m = rte_pktmbuf_alloc(backing);
	if (m != NULL)
		m->data_off = RTE_XDP_PACKET_HEADROOM;
	return m;
}

/* A frame of nb segments of the given lengths; bytes 14-15: delta. */
static struct rte_mbuf *
chain(const uint16_t *lens, unsigned int nb, int16_t delta)
{
	struct rte_mbuf *m = NULL, *last = NULL, *s;
	uint32_t off = 0, k, i;

	for (k = 0; k < nb; k++) {
		s = buf_alloc();
		if (s == NULL) {
			rte_pktmbuf_free(m);
			return NULL;
		}
		s->data_len = lens[k];
		for (i = 0; i < lens[k]; i++)
			rte_pktmbuf_mtod(s, uint8_t *)[i] = pattern(off + i);
		off += lens[k];
		if (m == NULL) {
			m = s;
			m->pkt_len = 0;
		} else {
			last->next = s;
			m->nb_segs++;
		}
		m->pkt_len += lens[k];
		last = s;
	}
	rte_pktmbuf_mtod(m, uint8_t *)[14] = (uint16_t)delta >> 8;
	rte_pktmbuf_mtod(m, uint8_t *)[15] = (uint16_t)delta & 0xff;
	return m;
}

/* Frame byte i after the run, wherever its segment is. */
static int
byte_at(const struct rte_mbuf *m, uint32_t i)
{
	for (; m != NULL; m = m->next) {
		if (i < m->data_len)
			return rte_pktmbuf_mtod(m, const uint8_t *)[i];
		i -= m->data_len;
	}
	return -1;
}

struct frags_case {
	const char *what;
	uint16_t lens[4];
	unsigned int nb;
	int16_t delta;
	uint32_t verdict;
	int64_t tail_ret;	/* results[4] */
	uint16_t out_lens[4];	/* data_len of each segment after the run */
	unsigned int out_nb;
};

static const struct frags_case cases[] = {
	{ "2 segs, shrink inside the frag", { 1000, 500 }, 2, -60,
	  RTE_XDP_PASS, 0, { 1000, 440 }, 2 },
	{ "2 segs, shrink releases the frag", { 1000, 500 }, 2, -500,
	  RTE_XDP_PASS, 0, { 1000 }, 1 },
	{ "3 segs, shrink releases one, cuts one", { 1000, 1500, 300 }, 3,
	  -400, RTE_XDP_PASS, 0, { 1000, 1400 }, 2 },
	{ "3 segs, shrink into the linear part", { 1000, 1500, 300 }, 3,
	  -2000, RTE_XDP_PASS, 0, { 800 }, 1 },
	{ "3 segs, grow within the tailroom", { 1000, 1500, 300 }, 3, 100,
	  RTE_XDP_PASS, 0, { 1000, 1500, 400 }, 3 },
	{ "3 segs, grow past the tailroom", { 1000, 1500, 300 }, 3, 1500,
	  RTE_XDP_DROP, -EINVAL, { 1000, 1500, 300 }, 3 },
	{ "3 segs, shrink below an Ethernet header", { 1000, 1500, 300 }, 3,
	  -2790, RTE_XDP_DROP, -EINVAL, { 1000, 1500, 300 }, 3 },
	{ "4 segs, shrink over three frags", { 600, 700, 800, 900 }, 4,
	  -2000, RTE_XDP_PASS, 0, { 600, 400 }, 2 },
};

static int
run_case(struct rte_xdp_prog *prog, struct rte_xdp_map *res,
	const struct rte_xdp_rxq_info *rxq, const struct frags_case *fc)
{
	uint32_t verdict, total = 0, lin = fc->lens[0], k, out_total = 0;
	struct rte_mbuf *m, *s;
	int64_t r[8];
	int i;

	for (k = 0; k < fc->nb; k++)
		total += fc->lens[k];
	for (k = 0; k < fc->out_nb; k++)
		out_total += fc->out_lens[k];
	m = chain(fc->lens, fc->nb, fc->delta);
	TEST_ASSERT_NOT_NULL(m, "%s: chain", fc->what);
	rte_xdp_prog_run_burst(prog, rxq, &m, 1, &verdict, NULL);
	for (k = 0; k < 8; k++)
		TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(res, &k, &r[k]),
			"result %u", k);
	TEST_ASSERT_EQUAL(verdict, fc->verdict, "%s: verdict", fc->what);
	TEST_ASSERT_EQUAL(r[0], total, "%s: get_buff_len", fc->what);
	TEST_ASSERT_EQUAL(r[1], lin, "%s: linear part", fc->what);
	TEST_ASSERT_EQUAL(r[2], 0, "%s: load_bytes across", fc->what);
	TEST_ASSERT_EQUAL(r[3], 0, "%s: store_bytes across", fc->what);
	TEST_ASSERT_EQUAL(r[4], fc->tail_ret, "%s: adjust_tail", fc->what);
	TEST_ASSERT_EQUAL(r[5], out_total, "%s: length after", fc->what);
	TEST_ASSERT_EQUAL(m->nb_segs, fc->out_nb, "%s: nb_segs", fc->what);
	TEST_ASSERT_EQUAL(m->pkt_len, out_total, "%s: pkt_len", fc->what);
	for (k = 0, s = m; s != NULL; s = s->next, k++) {
		TEST_ASSERT(k < fc->out_nb, "%s: extra segment", fc->what);
		TEST_ASSERT_EQUAL(s->data_len, fc->out_lens[k],
			"%s: segment %u", fc->what, k);
	}
	/* 16 bytes around the end of the linear part, inverted */
	for (i = -8; i < 8; i++) {
		uint32_t at = lin + i;

		if (at >= out_total - 4)	/* the mark is there */
			break;
		TEST_ASSERT_EQUAL(byte_at(m, at), (uint8_t)~pattern(at),
			"%s: byte %u inverted", fc->what, at);
	}
	if (lin + 8 < out_total - 4)
		TEST_ASSERT_EQUAL(byte_at(m, lin + 8), pattern(lin + 8),
			"%s: byte after the copy", fc->what);
	/* the mark in the last 4 bytes */
	TEST_ASSERT_EQUAL(byte_at(m, out_total - 4), 0xfa, "%s: mark",
		fc->what);
	TEST_ASSERT_EQUAL(byte_at(m, out_total - 1), 0x0c, "%s: mark end",
		fc->what);
	if (fc->delta > 0 && fc->tail_ret == 0)
		TEST_ASSERT_EQUAL(byte_at(m, total), 0,
			"%s: grown bytes zeroed", fc->what);
	rte_xdp_return_frame(&rxq->mem, m, 1);
	return TEST_SUCCESS;
}

static int
run_all(int page_pool)
{
	static const char *const cpus[] = { "v2", "v3" };
	struct rte_xdp_page_pool_params pp_params = {
		.name = test_unique("frq"),
		.pool_size = NB_BUFS,
		.nid = RTE_XDP_NUMA_NO_NODE,
		.dma_dir = RTE_XDP_DMA_FROM_DEVICE,
		.offset = RTE_XDP_PACKET_HEADROOM,
		.max_len = BUF_ROOM - RTE_XDP_PACKET_HEADROOM,
		.mp = backing,
	};
	struct rte_xdp_rxq_info rxq;
	unsigned int c, k, avail = rte_mempool_avail_count(backing);
	char err[1024];

	pp = NULL;
	TEST_ASSERT_SUCCESS(rte_xdp_rxq_info_reg(&rxq, 0, 1, 0, BUF_ROOM),
		"rxq");
	if (page_pool) {
		pp = rte_xdp_page_pool_create(&pp_params);
		TEST_ASSERT_NOT_NULL(pp, "page pool");
		TEST_ASSERT_SUCCESS(rte_xdp_rxq_info_reg_mem_model(&rxq,
			RTE_XDP_MEM_TYPE_PAGE_POOL, pp), "mem model");
	}
	for (c = 0; c < RTE_DIM(cpus); c++) {
		struct rte_xdp_obj *obj = load("xdp_frags", cpus[c], err,
			sizeof(err));
		struct rte_xdp_map *res;

		TEST_ASSERT_NOT_NULL(obj, "%s: %s", cpus[c], err);
		res = rte_xdp_obj_find_map(obj, "results");
		TEST_ASSERT_NOT_NULL(res, "results map");
		for (k = 0; k < RTE_DIM(cases); k++)
			if (run_case(rte_xdp_obj_prog(obj, 0), res, &rxq,
					&cases[k]) != TEST_SUCCESS) {
				rte_xdp_obj_close(obj);
				return TEST_FAILED;
			}
		rte_xdp_obj_close(obj);
	}
	if (pp != NULL) {
		TEST_ASSERT_EQUAL(rte_xdp_page_pool_inflight(pp), 0,
			"page pool: every buffer back");
		TEST_ASSERT_EQUAL(rte_xdp_page_pool_destroy(pp), 0,
			"page pool destroyed with nothing out");
		pp = NULL;
	}
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(backing), avail,
		"backing mempool full again");
	return TEST_SUCCESS;
}

static int
test_frags_page_pool(void)
{
	return run_all(1);
}

static int
test_frags_shared(void)
{
	return run_all(0);
}

/* Programs that are not frags-aware, and too many frags: ABORTED, the
 * chain untouched. */
static int
test_frags_refused(void)
{
	static const uint16_t two[] = { 200, 300 };
	uint16_t many[19];
	struct rte_xdp_rxq_info rxq;
	struct rte_xdp_obj *pass, *fr;
	struct rte_mbuf *m[2];
	uint32_t v[2], k, avail = rte_mempool_avail_count(backing);
	char err[1024];

	pp = NULL;
	rte_xdp_rxq_info_reg(&rxq, 0, 1, 0, BUF_ROOM);
	pass = load("xdp_pass", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(pass, "%s", err);
	fr = load("xdp_frags", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(fr, "%s", err);
	for (k = 0; k < RTE_DIM(many); k++)
		many[k] = 60;
	m[0] = chain(two, 2, -10);
	m[1] = chain(many, RTE_DIM(many), -10);
	TEST_ASSERT(m[0] != NULL && m[1] != NULL, "chains");
	rte_xdp_prog_run_burst(rte_xdp_obj_prog(pass, 0), &rxq, m, 1, v,
		NULL);
	TEST_ASSERT_EQUAL(v[0], RTE_XDP_ABORTED, "xdp_pass on 2 segments");
	TEST_ASSERT(m[0]->nb_segs == 2 && m[0]->pkt_len == 500,
		"chain untouched");
	rte_xdp_prog_run_burst(rte_xdp_obj_prog(fr, 0), &rxq, &m[1], 1, v,
		NULL);
	TEST_ASSERT_EQUAL(v[0], RTE_XDP_ABORTED, "18 frags");
	rte_xdp_prog_run_burst(rte_xdp_obj_prog(fr, 0), &rxq, m, 1, v, NULL);
	TEST_ASSERT_EQUAL(v[0], RTE_XDP_PASS, "xdp_frags on 2 segments");
	TEST_ASSERT_EQUAL(m[0]->pkt_len, 490, "shrunk by 10");
	rte_pktmbuf_free_bulk(m, 2);
	rte_xdp_obj_close(pass);
	rte_xdp_obj_close(fr);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(backing), avail,
		"mempool full again");
	return TEST_SUCCESS;
}

static struct unit_test_suite frags_suite = {
	.suite_name = "XDP multi-buffer frames",
	.setup = frags_setup,
	.teardown = frags_teardown,
	.unit_test_cases = {
		TEST_CASE(test_frags_page_pool),
		TEST_CASE(test_frags_shared),
		TEST_CASE(test_frags_refused),
		TEST_CASES_END(),
	},
};

static int
xdp_frags_autotest(void)
{
	return unit_test_suite_runner(&frags_suite);
}
REGISTER_TEST_COMMAND(xdp_frags_autotest, xdp_frags_autotest);
