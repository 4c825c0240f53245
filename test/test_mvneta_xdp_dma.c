/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mvneta_xdp_dma_autotest: the NETA DMA windows with whatever IO address
 * layout the buffers have. Pools are built on external memory registered
 * with IO addresses of the test's choosing (rte_extmem_register), so each
 * case is the same under IOVA as PA, as VA and without hugepages:
 * descriptors carry the low 32 bits of each buffer's IO address, windows
 * 0-3 supply the high bits, a window is widened rather than doubled, and
 * memory the controller cannot reach is refused with an error.
 */

#include <errno.h>
#include <sys/mman.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_memory.h>

#include "test.h"
#include "test_ports.h"

#define EXT_CHUNK	(64 * 1024)	/* one IO address range per chunk */
#define EXT_LEN		(1 << 20)
#define EXT_CHUNKS	(EXT_LEN / EXT_CHUNK)
#define RING		64
/* Bus addresses no machine has memory at: nothing DPDK maps is there. */
#define FAR(region, low) ((uint64_t)(0x6000 + (region)) << 32 | (low))

struct ext_pool {
	void *raw;		/* the mapping, EXT_CHUNK more for alignment */
	void *va;
	struct rte_mempool *mp;
};

/*
 * A pktmbuf pool on EXT_LEN bytes of anonymous memory registered as
 * external memory; chunk i has the IO addresses base + ((i * stride) %
 * EXT_CHUNKS) * EXT_CHUNK: a stride other than 1 is a nonlinear layout.
 */
static struct rte_mempool *
ext_pool_create(struct ext_pool *e, uint64_t base, unsigned int stride)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = RTE_MBUF_DEFAULT_BUF_SIZE + 128,
	};
	uint32_t elt = sizeof(struct rte_mbuf) + priv.mbuf_data_room_size;
	rte_iova_t iova[EXT_CHUNKS];
	struct rte_mempool_objsz sz;
	unsigned int i, n;

	memset(e, 0, sizeof(*e));
	e->raw = mmap(NULL, EXT_LEN + EXT_CHUNK, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (e->raw == MAP_FAILED) {
		e->raw = NULL;
		return NULL;
	}
	e->va = RTE_PTR_ALIGN_CEIL(e->raw, EXT_CHUNK);
	for (i = 0; i < EXT_CHUNKS; i++)
		iova[i] = base + (uint64_t)((i * stride) % EXT_CHUNKS) *
			EXT_CHUNK;
	if (rte_extmem_register(e->va, EXT_LEN, iova, EXT_CHUNKS,
			EXT_CHUNK) != 0) {
		printf("rte_extmem_register: %s\n", rte_strerror(rte_errno));
		return NULL;
	}
	rte_mempool_calc_obj_size(elt, 0, &sz);
	n = EXT_CHUNKS * (EXT_CHUNK / sz.total_size);
	/* Objects do not cross pages: without hugepages (4 KiB pages)
	 * fewer fit; build again with the number that did. */
	while (n != 0) {
		e->mp = rte_mempool_create_empty(test_unique("ext"), n, elt, 0,
			sizeof(priv), SOCKET_ID_ANY, 0);
		if (e->mp == NULL || rte_mempool_set_ops_byname(e->mp,
				rte_mbuf_best_mempool_ops(), NULL) != 0)
			return NULL;
		rte_pktmbuf_pool_init(e->mp, &priv);
		for (i = 0; i < EXT_CHUNKS; i++) {
			int ret = rte_mempool_populate_iova(e->mp,
				RTE_PTR_ADD(e->va, i * EXT_CHUNK), iova[i],
				EXT_CHUNK, NULL, NULL);

			if (ret < 0) {
				printf("populate chunk %u: %s\n", i,
					rte_strerror(-ret));
				return NULL;
			}
		}
		if (e->mp->populated_size == n)
			break;
		n = e->mp->populated_size;
		rte_mempool_free(e->mp);
		e->mp = NULL;
	}
	if (e->mp == NULL)
		return NULL;
	rte_mempool_obj_iter(e->mp, rte_pktmbuf_init, NULL);
	return e->mp;
}

static void
ext_pool_free(struct ext_pool *e)
{
	rte_mempool_free(e->mp);
	if (e->va != NULL)
		rte_extmem_unregister(e->va, EXT_LEN);
	if (e->raw != NULL)
		munmap(e->raw, EXT_LEN + EXT_CHUNK);
	memset(e, 0, sizeof(*e));
}

/* n frames from pool through the looped-back port, contents checked. */
static int
loop_frames(const struct port *p, struct rte_mempool *pool, unsigned int n,
		uint8_t seq)
{
	struct rte_mbuf *tx[BURST], *rx[BURST];
	struct rte_ether_addr dst = port_mac(p->id);
	unsigned int i, got;

	n = RTE_MIN(n, (unsigned int)BURST);
	for (i = 0; i < n; i++) {
		tx[i] = make_frame(pool, 60 + i * 41, &dst, seq + i);
		TEST_ASSERT_NOT_NULL(tx[i], "frame from %s", pool->name);
	}
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(p->id, 0, tx, n), n, "tx");
	got = rx_all(p->id, 0, rx, n);
	for (i = 0; i < got; i++) {
		const uint8_t *d = rte_pktmbuf_mtod(rx[i], const uint8_t *);
		uint8_t want = seq + i;
		uint32_t len = rx[i]->pkt_len;

		rte_pktmbuf_free(rx[i]);
		TEST_ASSERT_EQUAL(len, 60 + i * 41, "length %u", i);
		TEST_ASSERT(d[len - 1] == want && d[42] == want,
			"payload %u from %s", i, pool->name);
	}
	TEST_ASSERT_EQUAL(got, n, "all looped back (from %s)", pool->name);
	return TEST_SUCCESS;
}

/* One frame from pool is refused: counted, freed, not received. */
static int
refused_frame(const struct port *p, struct rte_mempool *pool)
{
	struct rte_ether_addr dst = port_mac(p->id);
	struct rte_mbuf *m = make_frame(pool, 64, &dst, 1), *rx[1];
	uint64_t before = test_xstat(p->id, "tx_errors");

	TEST_ASSERT_NOT_NULL(m, "frame");
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(p->id, 0, &m, 1), 1,
		"taken, to be dropped");
	TEST_ASSERT_EQUAL(test_xstat(p->id, "tx_errors"), before + 1,
		"counted in oerrors");
	TEST_ASSERT_EQUAL(rx_all(p->id, 0, rx, 1), 0, "nothing sent");
	return check_pool_full(pool, "refused frame freed");
}

/* Buffers whose IO addresses jump around: the windows follow each chunk,
 * the model each chunk's memory. Failed before: "mempool ... has no
 * linear IO addresses", start -EINVAL. */
static int
test_nonlinear_pool(void)
{
	struct ext_pool e;
	struct port p;
	unsigned int round;
	int ret = TEST_FAILED;

	if (ext_pool_create(&e, FAR(0, 0x40000000), 5) == NULL) {
		printf("cannot build the pool\n");
		goto out;
	}
	if (port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, e.mp) != 0) {
		printf("start with a nonlinear pool failed\n");
		port_destroy(&p);
		goto out;
	}
	/* Several times around the ring: every chunk gets used. */
	for (round = 0; round < 20; round++)
		if (loop_frames(&p, e.mp, BURST, round) != TEST_SUCCESS) {
			port_destroy(&p);
			goto out;
		}
	port_destroy(&p);
	ret = check_pool_full(e.mp, "after close");
out:
	ext_pool_free(&e);
	return ret;
}

/* Memory of another 4 GiB region at the same low 32 bits as a window:
 * the controller cannot tell them apart. */
static int
test_window_collision(void)
{
	struct ext_pool a, b;
	struct rte_eth_conf conf = { 0 };
	size_t heap;
	struct port p;
	int ret = TEST_FAILED;

	memset(&b, 0, sizeof(b));
	if (ext_pool_create(&a, FAR(0, 0x40000000), 1) == NULL ||
	    ext_pool_create(&b, FAR(1, 0x40000000), 1) == NULL)
		goto out;
	if (port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, a.mp) != 0 ||
	    refused_frame(&p, b.mp) != TEST_SUCCESS ||
	    loop_frames(&p, a.mp, 8, 3) != TEST_SUCCESS) {
		port_destroy(&p);
		goto out;
	}
	port_destroy(&p);

	/* As RX pools of one port: start refused, nothing held. */
	heap = heap_bytes();
	if (port_create(&p, NULL) != 0)
		goto out;
	if (rte_eth_dev_configure(p.id, 2, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(p.id, 0, RING, 0, NULL, a.mp) != 0 ||
	    rte_eth_rx_queue_setup(p.id, 1, RING, 0, NULL, b.mp) != 0 ||
	    rte_eth_tx_queue_setup(p.id, 0, RING, 0, NULL) != 0) {
		port_destroy(&p);
		goto out;
	}
	if (rte_eth_dev_start(p.id) == 0) {
		printf("start with colliding RX pools succeeded\n");
		port_destroy(&p);
		goto out;
	}
	port_destroy(&p);
	if (heap_bytes() != heap) {
		printf("heap: %zu bytes before, %zu after\n", heap,
			heap_bytes());
		goto out;
	}
	if (check_pool_full(a.mp, "start refused") == TEST_SUCCESS &&
	    check_pool_full(b.mp, "start refused") == TEST_SUCCESS)
		ret = TEST_SUCCESS;
out:
	ext_pool_free(&a);
	ext_pool_free(&b);
	return ret;
}

/* Four windows have a high remap: a fifth region above 4 GiB is refused,
 * the first 4 GiB still has windows, and more memory of a region already
 * reached widens its window. */
static int
test_windows_exhausted(void)
{
	enum { RX, R1, R2, R3, R4, LOW, WIDEN, NB };
	static const uint64_t base[NB] = {
		[RX] = FAR(0, 0x40000000), [R1] = FAR(1, 0x50000000),
		[R2] = FAR(2, 0x60000000), [R3] = FAR(3, 0x70000000),
		[R4] = FAR(4, 0x80000000),
		[LOW] = 0xf0000000,	/* the PCI hole: never RAM */
		[WIDEN] = FAR(0, 0x48000000),
	};
	struct ext_pool e[NB];
	struct port p;
	unsigned int i;
	int ret = TEST_FAILED;

	memset(e, 0, sizeof(e));
	for (i = 0; i < NB; i++)
		if (ext_pool_create(&e[i], base[i], 1) == NULL)
			goto out;
	if (port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, e[RX].mp) != 0 ||
	    loop_frames(&p, e[R1].mp, 4, 1) != TEST_SUCCESS ||
	    loop_frames(&p, e[R2].mp, 4, 2) != TEST_SUCCESS ||
	    loop_frames(&p, e[R3].mp, 4, 3) != TEST_SUCCESS ||
	    refused_frame(&p, e[R4].mp) != TEST_SUCCESS ||
	    loop_frames(&p, e[LOW].mp, 4, 4) != TEST_SUCCESS ||
	    loop_frames(&p, e[WIDEN].mp, 4, 5) != TEST_SUCCESS ||
	    loop_frames(&p, e[R1].mp, 4, 6) != TEST_SUCCESS) {
		port_destroy(&p);
		goto out;
	}
	port_destroy(&p);
	ret = TEST_SUCCESS;
	for (i = 0; i < NB; i++)
		if (check_pool_full(e[i].mp, "after close") != TEST_SUCCESS)
			ret = TEST_FAILED;
out:
	for (i = 0; i < NB; i++)
		ext_pool_free(&e[i]);
	return ret;
}

static void
ext_buf_free(void *addr, void *opaque)
{
	RTE_SET_USED(addr);
	(*(unsigned int *)opaque)++;
}

/* A frame in an mbuf attached to an external buffer. */
static struct rte_mbuf *
extbuf_frame(struct rte_mempool *mp, void *buf, rte_iova_t iova,
		uint16_t len, const struct rte_ether_addr *dst,
		unsigned int *freed)
{
	struct rte_mbuf_ext_shared_info *shinfo;
	struct rte_mbuf *src = make_frame(mp, len, dst, 0x5a);
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint16_t buf_len = 4096;

	shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &buf_len,
		ext_buf_free, freed);
	if (src == NULL || m == NULL || shinfo == NULL) {
		rte_pktmbuf_free(src);
		rte_pktmbuf_free(m);
		return NULL;
	}
	rte_pktmbuf_attach_extbuf(m, buf, iova, buf_len, shinfo);
	rte_pktmbuf_reset_headroom(m);
	memcpy(rte_pktmbuf_append(m, len), rte_pktmbuf_mtod(src, void *), len);
	rte_pktmbuf_free(src);
	return m;
}

/* External buffers (rte_pktmbuf_attach_extbuf): reached by their own IO
 * address; one without any is refused. */
static int
test_extbuf(void)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m, *rx[1];
	struct rte_ether_addr dst;
	unsigned int freed = 0;
	struct port p;
	void *buf, *buf2;
	int ret = TEST_FAILED;

	mp = rte_pktmbuf_pool_create(test_unique("xb"), 256, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	buf = rte_malloc(NULL, 4096, 4096);
	buf2 = rte_malloc(NULL, 4096, 4096);
	if (mp == NULL || buf == NULL || buf2 == NULL ||
	    port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, mp) != 0)
		goto close;
	dst = port_mac(p.id);
	m = extbuf_frame(mp, buf, rte_malloc_virt2iova(buf), 300, &dst,
		&freed);
	if (m == NULL || rte_eth_tx_burst(p.id, 0, &m, 1) != 1 ||
	    rx_all(p.id, 0, rx, 1) != 1) {
		printf("external buffer not looped back\n");
		goto close;
	}
	if (rx[0]->pkt_len != 300 ||
	    rte_pktmbuf_mtod(rx[0], uint8_t *)[299] != 0x5a) {
		printf("external buffer: wrong frame\n");
		rte_pktmbuf_free(rx[0]);
		goto close;
	}
	rte_pktmbuf_free(rx[0]);
	m = extbuf_frame(mp, buf2, RTE_BAD_IOVA, 300, &dst, &freed);
	if (m == NULL || rte_eth_tx_burst(p.id, 0, &m, 1) != 1 ||
	    test_xstat(p.id, "tx_errors") != 1 || rx_all(p.id, 0, rx, 1) != 0) {
		printf("external buffer without IO address not refused\n");
		goto close;
	}
	ret = TEST_SUCCESS;
close:
	port_destroy(&p);
	if (freed != 2) {
		printf("external buffer freed %u times, 2 expected\n", freed);
		ret = TEST_FAILED;
	}
	if (ret == TEST_SUCCESS)
		ret = check_pool_full(mp, "after close");
out:
	rte_free(buf);
	rte_free(buf2);
	rte_mempool_free(mp);
	return ret;
}

static struct unit_test_suite dma_suite = {
	.suite_name = "net_mvneta_xdp DMA windows and IO addresses",
	.teardown = close_leftover_ports,
	.unit_test_cases = {
		TEST_CASE(test_nonlinear_pool),
		TEST_CASE(test_window_collision),
		TEST_CASE(test_windows_exhausted),
		TEST_CASE(test_extbuf),
		TEST_CASES_END()
	},
};

static int
test_mvneta_xdp_dma(void)
{
	return unit_test_suite_runner(&dma_suite);
}

REGISTER_TEST_COMMAND(mvneta_xdp_dma_autotest, test_mvneta_xdp_dma);
