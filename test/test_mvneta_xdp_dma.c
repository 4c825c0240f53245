/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mvneta_xdp_dma_autotest: DMA with whatever IO address layout the
 * buffers have. Pools are built on external memory registered with IO
 * addresses of the test's choosing (rte_extmem_register), so each case is
 * the same under IOVA as PA, as VA and without hugepages: memory spread
 * over many 4 GiB regions at the same low 32 bits, above the model's
 * table, at the top of the 64-bit space, in scattered small pages, and
 * buffers that straddle two 2 MB granules all make correct round trips;
 * IO addresses registered again for other memory reach the new memory;
 * buffers without an IO address are refused.
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

#define RING		64
#define MB		(1024 * 1024)
#define SMALL_PAGE	(64 * 1024)	/* scattered IO addresses */
#define BIG_PAGE	(2 * MB)	/* the model's granule */
#define DATA_ROOM	(RTE_MBUF_DEFAULT_BUF_SIZE + 128)
/* 4 GiB region r, low 32 bits lo: a bus address no machine has memory
 * at, so nothing DPDK maps is there. */
#define FAR(region, lo) ((uint64_t)(0x6000 + (region)) << 32 | (lo))
#define LOW32		0x40000000u	/* the same low 32 bits in all */
/* Above the model's table (2^52), and the last 4 GiB of the 64 bits. */
#define ABOVE_TABLE(lo)	(1ULL << 60 | (lo))
#define TOP_REGION(lo)	(0xffffffffULL << 32 | (lo))

/* Anonymous memory registered as external memory: page i (page bytes)
 * at IO address iova[i], or not registered at all (no IO address). */
struct ext_mem {
	void *raw;
	size_t raw_len;
	void *va;
	size_t len;
	bool registered;
};

struct ext_pool {
	struct ext_mem mem;
	struct rte_mempool *mp;
};

static int
ext_mem_create(struct ext_mem *m, size_t len, size_t page,
		const rte_iova_t *iova)
{
	memset(m, 0, sizeof(*m));
	m->raw_len = len + page;
	m->raw = mmap(NULL, m->raw_len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->raw == MAP_FAILED) {
		m->raw = NULL;
		return -1;
	}
	m->va = RTE_PTR_ALIGN_CEIL(m->raw, page);
	m->len = len;
	if (iova == NULL)
		return 0;
	if (rte_extmem_register(m->va, len, (rte_iova_t *)(uintptr_t)iova,
			len / page, page) != 0) {
		printf("rte_extmem_register: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	m->registered = true;
	return 0;
}

/* Unregister, keeping the mapping (a stale CPU address of it then
 * still points at memory the test can look at). */
static void
ext_mem_unregister(struct ext_mem *m)
{
	if (m->registered)
		rte_extmem_unregister(m->va, m->len);
	m->registered = false;
}

static void
ext_mem_free(struct ext_mem *m)
{
	ext_mem_unregister(m);
	if (m->raw != NULL)
		munmap(m->raw, m->raw_len);
	memset(m, 0, sizeof(*m));
}

/* A pktmbuf pool of n buffers over ext memory m (see ext_pool_on()). */
static struct rte_mempool *
ext_pool_populate(const struct ext_mem *m, unsigned int n, size_t page,
		const rte_iova_t *iova)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = DATA_ROOM,
	};
	unsigned int pages = m->len / page, i, run;
	struct rte_mempool *mp;

	mp = rte_mempool_create_empty(test_unique("ext"), n,
		sizeof(struct rte_mbuf) + DATA_ROOM, 0, sizeof(priv),
		SOCKET_ID_ANY, RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (mp == NULL || rte_mempool_set_ops_byname(mp,
			rte_mbuf_best_mempool_ops(), NULL) != 0) {
		rte_mempool_free(mp);
		return NULL;
	}
	rte_pktmbuf_pool_init(mp, &priv);
	for (i = 0; i < pages && mp->populated_size < n; i += run) {
		rte_iova_t start = iova == NULL ? RTE_BAD_IOVA : iova[i];
		int ret;

		run = 1;
		while (i + run < pages && (iova == NULL ||
		       iova[i + run] == start + run * page))
			run++;
		ret = rte_mempool_populate_iova(mp,
			RTE_PTR_ADD(m->va, i * page), start, run * page,
			NULL, NULL);
		if (ret < 0) {
			printf("populate pages %u-%u: %s\n", i, i + run - 1,
				rte_strerror(-ret));
			rte_mempool_free(mp);
			return NULL;
		}
	}
	return mp;
}

/*
 * A pktmbuf pool over all of ext memory e->mem, in pages of page bytes
 * at IO addresses iova[] (NULL: none), populated run by run of pages
 * contiguous in IO addresses. Objects may cross pages inside a run
 * (RTE_MEMPOOL_F_NO_IOVA_CONTIG: a run is contiguous anyway), not runs:
 * the pool is built again with the number that fit.
 */
static struct rte_mempool *
ext_pool_on(struct ext_pool *e, size_t page, const rte_iova_t *iova)
{
	struct rte_mempool_objsz sz;
	unsigned int n;

	rte_mempool_calc_obj_size(sizeof(struct rte_mbuf) + DATA_ROOM,
		RTE_MEMPOOL_F_NO_IOVA_CONTIG, &sz);
	n = e->mem.len / sz.total_size;
	e->mp = ext_pool_populate(&e->mem, n, page, iova);
	if (e->mp != NULL && e->mp->populated_size != n) {
		n = e->mp->populated_size;
		rte_mempool_free(e->mp);
		e->mp = ext_pool_populate(&e->mem, n, page, iova);
	}
	if (e->mp == NULL || e->mp->populated_size != e->mp->size) {
		printf("cannot populate a pool on external memory\n");
		return NULL;
	}
	rte_mempool_obj_iter(e->mp, rte_pktmbuf_init, NULL);
	return e->mp;
}

static struct rte_mempool *
ext_pool_create(struct ext_pool *e, size_t len, size_t page,
		const rte_iova_t *iova)
{
	memset(e, 0, sizeof(*e));
	if (ext_mem_create(&e->mem, len, page, iova) != 0)
		return NULL;
	return ext_pool_on(e, page, iova);
}

/* 1 MB in small pages at IO addresses base onwards, linear. */
static struct rte_mempool *
ext_pool_linear(struct ext_pool *e, uint64_t base)
{
	rte_iova_t iova[MB / SMALL_PAGE];
	unsigned int i;

	for (i = 0; i < RTE_DIM(iova); i++)
		iova[i] = base + (uint64_t)i * SMALL_PAGE;
	return ext_pool_create(e, MB, SMALL_PAGE, iova);
}

static void
ext_pool_free(struct ext_pool *e)
{
	rte_mempool_free(e->mp);
	ext_mem_free(&e->mem);
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

/* Enough rounds that every buffer of a ring goes around several times. */
static int
loop_rounds(const struct port *p, struct rte_mempool *pool,
		unsigned int rounds)
{
	unsigned int r;

	for (r = 0; r < rounds; r++)
		if (loop_frames(p, pool, BURST, r) != TEST_SUCCESS)
			return TEST_FAILED;
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
	TEST_ASSERT_EQUAL(rx_all(p->id, 0, rx, 1), 0, "nothing sent");
	rte_eth_tx_done_cleanup(p->id, 0, 0);
	TEST_ASSERT_EQUAL(test_xstat(p->id, "tx_errors"), before + 1,
		"counted in oerrors");
	return check_pool_full(pool, "refused frame freed");
}

/* One pool whose pages lie in 16 different 4 GiB regions, all at the
 * same low 32 bits, as RX and TX pool. Failed before: "IO addresses ...
 * are device addresses ... of DMA window 0", start -EADDRINUSE. */
static int
test_pool_over_regions(void)
{
	rte_iova_t iova[MB / SMALL_PAGE];
	struct ext_pool e;
	struct port p;
	unsigned int i;
	int ret = TEST_FAILED;

	for (i = 0; i < RTE_DIM(iova); i++)
		iova[i] = FAR(i * 7, LOW32);	/* regions out of order */
	if (ext_pool_create(&e, MB, SMALL_PAGE, iova) == NULL) {
		printf("cannot build the pool\n");
		goto out;
	}
	if (port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, e.mp) != 0) {
		printf("start with a pool over 16 regions failed\n");
		port_destroy(&p);
		goto out;
	}
	if (loop_rounds(&p, e.mp, 20) != TEST_SUCCESS) {
		port_destroy(&p);
		goto out;
	}
	port_destroy(&p);
	ret = check_pool_full(e.mp, "after close");
out:
	ext_pool_free(&e);
	return ret;
}

/*
 * Ten ports at once, each receiving into a pool of its own 4 GiB region
 * and sending from every pool: eight regions at the same low 32 bits,
 * one above the model's table, one at the top of the 64 bits. Failed
 * before: the second region at the same low 32 bits was refused
 * (-EADDRINUSE), a fifth region above 4 GiB found "all 4 with a high
 * remap (above 4 GiB) in use" (-ENOSPC).
 */
#define NB_REGIONS 10
static int
test_many_regions(void)
{
	struct ext_pool e[NB_REGIONS];
	struct port p[NB_REGIONS];
	unsigned int i, j, started = 0, round;
	int ret = TEST_FAILED;

	memset(e, 0, sizeof(e));
	for (i = 0; i < NB_REGIONS; i++) {
		uint64_t base = i == NB_REGIONS - 2 ? ABOVE_TABLE(LOW32) :
			i == NB_REGIONS - 1 ? TOP_REGION(LOW32) :
			FAR(3 * i + 1, LOW32);

		if (ext_pool_linear(&e[i], base) == NULL) {
			printf("cannot build pool %u\n", i);
			goto out;
		}
	}
	for (started = 0; started < NB_REGIONS; started++) {
		if (port_create(&p[started], NULL) != 0)
			goto close;
		if (port_setup(&p[started], 1, RING, NULL,
				e[started].mp) != 0) {
			printf("port %u (pool in region %u) did not start\n",
				started, started);
			port_destroy(&p[started]);
			goto close;
		}
	}
	for (round = 0; round < 2 * NB_REGIONS * NB_REGIONS; round++) {
		i = round % NB_REGIONS;
		j = (i + round / NB_REGIONS) % NB_REGIONS;
		if (loop_frames(&p[i], e[j].mp, BURST, round) != TEST_SUCCESS)
			goto close;
	}
	ret = TEST_SUCCESS;
close:
	while (started-- > 0)
		port_destroy(&p[started]);
	for (i = 0; ret == TEST_SUCCESS && i < NB_REGIONS; i++)
		ret = check_pool_full(e[i].mp, "after close");
out:
	for (i = 0; i < NB_REGIONS; i++)
		ext_pool_free(&e[i]);
	return ret;
}

/* Small pages whose IO addresses jump around inside one 2 MB granule:
 * no granule maps linearly, every DMA looks its buffer up. */
static int
test_scattered_pages(void)
{
	rte_iova_t iova[MB / SMALL_PAGE];
	struct ext_pool e;
	struct port p;
	unsigned int i;
	int ret = TEST_FAILED;

	for (i = 0; i < RTE_DIM(iova); i++)
		iova[i] = FAR(0, LOW32) +
			(uint64_t)((i * 5) % RTE_DIM(iova)) * SMALL_PAGE;
	if (ext_pool_create(&e, MB, SMALL_PAGE, iova) == NULL)
		goto out;
	if (port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, e.mp) != 0) {
		printf("start with a nonlinear pool failed\n");
		port_destroy(&p);
		goto out;
	}
	if (loop_rounds(&p, e.mp, 20) != TEST_SUCCESS) {
		port_destroy(&p);
		goto out;
	}
	port_destroy(&p);
	ret = check_pool_full(e.mp, "after close");
out:
	ext_pool_free(&e);
	return ret;
}

/* The frame in src copied into buffer m at data offset off. */
static void
frame_into(struct rte_mbuf *m, uint16_t off, const struct rte_mbuf *src)
{
	m->data_off = off;
	memcpy(rte_pktmbuf_append(m, src->data_len),
		rte_pktmbuf_mtod(src, const void *), src->data_len);
}

/*
 * A buffer across two 2 MB granules: two pages contiguous in IO and CPU
 * addresses, one run, objects packed across the boundary. A frame put
 * across it goes out and comes back whole.
 */
#define STRADDLE_LEN 1000
static int
test_granule_straddle(void)
{
	const rte_iova_t iova[2] = { FAR(2, 0), FAR(2, BIG_PAGE) };
	const rte_iova_t boundary = iova[1];
	struct rte_mbuf **all = NULL, *m = NULL, *src = NULL, *rx[1];
	struct rte_ether_addr dst;
	struct ext_pool e, rxp;
	unsigned int i, n = 0;
	struct port p;
	int ret = TEST_FAILED;

	memset(&rxp, 0, sizeof(rxp));
	if (ext_pool_create(&e, 2 * BIG_PAGE, BIG_PAGE, iova) == NULL ||
	    ext_pool_linear(&rxp, FAR(5, LOW32)) == NULL ||
	    port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, rxp.mp) != 0)
		goto close;
	/* The buffer the boundary falls in. */
	n = e.mp->size;
	all = calloc(n, sizeof(*all));
	if (all == NULL || rte_pktmbuf_alloc_bulk(e.mp, all, n) != 0) {
		n = 0;
		goto close;
	}
	for (i = 0; i < n; i++)
		if (all[i]->buf_iova < boundary &&
		    boundary < all[i]->buf_iova + all[i]->buf_len &&
		    all[i]->buf_len >= STRADDLE_LEN) {
			m = all[i];
			all[i] = all[--n];
			break;
		}
	rte_pktmbuf_free_bulk(all, n);
	if (m == NULL) {
		printf("the 2 MB boundary is in no buffer\n");
		goto close;
	}
	dst = port_mac(p.id);
	src = make_frame(rxp.mp, STRADDLE_LEN, &dst, 0x77);
	if (src == NULL)
		goto close;
	/* Half of the frame on each side, as far as the buffer allows. */
	frame_into(m, RTE_MIN(RTE_MAX(boundary - m->buf_iova,
		(uint64_t)STRADDLE_LEN / 2) - STRADDLE_LEN / 2,
		(uint64_t)m->buf_len - STRADDLE_LEN), src);
	rte_pktmbuf_free(src);
	if (rte_mbuf_data_iova(m) >= boundary ||
	    rte_mbuf_data_iova(m) + STRADDLE_LEN <= boundary) {
		printf("frame not across the boundary\n");
		rte_pktmbuf_free(m);
		goto close;
	}
	if (rte_eth_tx_burst(p.id, 0, &m, 1) != 1 ||
	    rx_all(p.id, 0, rx, 1) != 1) {
		printf("frame across the boundary not looped back\n");
		goto close;
	}
	if (rx[0]->pkt_len != STRADDLE_LEN ||
	    rte_pktmbuf_mtod(rx[0], uint8_t *)[STRADDLE_LEN - 1] != 0x77 ||
	    rte_pktmbuf_mtod(rx[0], uint8_t *)[42] != 0x77) {
		printf("frame across the boundary: wrong contents\n");
		rte_pktmbuf_free(rx[0]);
		goto close;
	}
	rte_pktmbuf_free(rx[0]);
	ret = TEST_SUCCESS;
close:
	port_destroy(&p);
	free(all);
	if (ret == TEST_SUCCESS &&
	    (check_pool_full(e.mp, "after close") != TEST_SUCCESS ||
	     check_pool_full(rxp.mp, "after close") != TEST_SUCCESS))
		ret = TEST_FAILED;
out:
	ext_pool_free(&e);
	ext_pool_free(&rxp);
	return ret;
}

/*
 * IO addresses registered again for other memory while a port runs:
 * DMA reaches the new memory, not what the model knew of the old (kept
 * mapped and zeroed here, so a stale translation sends zeros). The old
 * memory is a whole 2 MB granule, which the model keeps.
 */
static int
test_iova_reused(void)
{
	const rte_iova_t iova[1] = { FAR(9, 0) };
	struct ext_pool old, new, rxp;
	struct port p;
	int ret = TEST_FAILED;

	memset(&new, 0, sizeof(new));
	memset(&rxp, 0, sizeof(rxp));
	if (ext_pool_create(&old, BIG_PAGE, BIG_PAGE, iova) == NULL ||
	    ext_pool_linear(&rxp, FAR(10, LOW32)) == NULL ||
	    port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, rxp.mp) != 0 ||
	    loop_rounds(&p, old.mp, 4) != TEST_SUCCESS)
		goto close;
	rte_eth_tx_done_cleanup(p.id, 0, 0);
	if (check_pool_full(old.mp, "old pool") != TEST_SUCCESS)
		goto close;
	/* The application gives the memory back; its IO addresses go to
	 * other memory. */
	rte_mempool_free(old.mp);
	old.mp = NULL;
	ext_mem_unregister(&old.mem);
	memset(old.mem.va, 0, old.mem.len);
	if (ext_pool_create(&new, BIG_PAGE, BIG_PAGE, iova) == NULL)
		goto close;
	ret = loop_rounds(&p, new.mp, 4);
close:
	port_destroy(&p);
	if (ret == TEST_SUCCESS &&
	    (check_pool_full(new.mp, "new pool") != TEST_SUCCESS ||
	     check_pool_full(rxp.mp, "after close") != TEST_SUCCESS))
		ret = TEST_FAILED;
out:
	ext_pool_free(&old);
	ext_pool_free(&new);
	ext_pool_free(&rxp);
	return ret;
}

/*
 * Memory without IO addresses (a pool populated with RTE_BAD_IOVA): as
 * an RX pool, start is refused with nothing held; a frame from it to
 * send is dropped, counted and freed.
 */
static int
test_pool_without_iova(void)
{
	struct rte_eth_conf conf = { 0 };
	struct ext_pool none, ok;
	size_t heap;
	struct port p;
	int ret = TEST_FAILED;

	memset(&ok, 0, sizeof(ok));
	if (ext_pool_create(&none, MB, SMALL_PAGE, NULL) == NULL ||
	    ext_pool_linear(&ok, FAR(4, LOW32)) == NULL)
		goto out;
	heap = heap_bytes();
	if (port_create(&p, NULL) != 0)
		goto out;
	if (rte_eth_dev_configure(p.id, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(p.id, 0, RING, 0, NULL, none.mp) != 0 ||
	    rte_eth_tx_queue_setup(p.id, 0, RING, 0, NULL) != 0) {
		port_destroy(&p);
		goto out;
	}
	if (rte_eth_dev_start(p.id) != -EINVAL) {
		printf("RX pool without IO addresses: start not refused with EINVAL\n");
		port_destroy(&p);
		goto out;
	}
	port_destroy(&p);
	if (heap_bytes() != heap) {
		printf("heap: %zu bytes before, %zu after\n", heap,
			heap_bytes());
		goto out;
	}
	if (check_pool_full(none.mp, "start refused") != TEST_SUCCESS)
		goto out;

	if (port_create(&p, NULL) != 0)
		goto out;
	if (port_setup(&p, 1, RING, NULL, ok.mp) == 0 &&
	    refused_frame(&p, none.mp) == TEST_SUCCESS &&
	    loop_frames(&p, ok.mp, 8, 3) == TEST_SUCCESS)
		ret = TEST_SUCCESS;
	port_destroy(&p);
	if (ret == TEST_SUCCESS)
		ret = check_pool_full(ok.mp, "after close");
out:
	ext_pool_free(&none);
	ext_pool_free(&ok);
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
 * address; one without any (RTE_BAD_IOVA) is refused by the driver. */
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
		DATA_ROOM, SOCKET_ID_ANY);
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
	    test_xstat(p.id, "tx_errors") != 1 ||
	    rx_all(p.id, 0, rx, 1) != 0) {
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
	.suite_name = "net_mvneta_xdp DMA: any IO address layout",
	.teardown = close_leftover_ports,
	.unit_test_cases = {
		TEST_CASE(test_pool_over_regions),
		TEST_CASE(test_many_regions),
		TEST_CASE(test_scattered_pages),
		TEST_CASE(test_granule_straddle),
		TEST_CASE(test_iova_reused),
		TEST_CASE(test_pool_without_iova),
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
