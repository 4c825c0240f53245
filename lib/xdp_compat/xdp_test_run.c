/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bpf(BPF_PROG_TEST_RUN) of an XDP program (rte_xdp_prog_test_run()), as
 * the kernel's bpf_prog_test_run_xdp() and bpf_test_finish() make it, in
 * the process that runs the program: the frame built in mbufs of a small
 * pool of the library's own, the program run on it repeat times, the
 * frame and context copied back with the kernel's sizes and errors.
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "rte_xdp_prog.h"

#define TEST_FRAME_SZ	4096	/* the kernel's frames: a page */
#define TEST_TAILROOM	320	/* SKB_DATA_ALIGN(skb_shared_info) */
#define TEST_MAX_DATA	(TEST_FRAME_SZ - RTE_XDP_PACKET_HEADROOM - TEST_TAILROOM)
#define TEST_MAX_FRAGS	17	/* MAX_SKB_FRAGS */
#define TEST_MAX_META	32
#define ETH_HLEN	14
/* Programs may address pkt_window bytes past data (up to 4 KiB): the
 * mbufs have that much room past the kernel's frame. */
#define TEST_MBUF_ROOM	(2 * TEST_FRAME_SZ)
#define TEST_POOL_SIZE	63

/* struct xdp_md as ctx_in and ctx_out carry it */
struct test_xdp_md {
	uint32_t data;
	uint32_t data_end;
	uint32_t data_meta;
	uint32_t ingress_ifindex;
	uint32_t rx_queue_index;
	uint32_t egress_ifindex;
};

static struct rte_mempool *pool;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static struct rte_mempool *
test_pool(void)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	pthread_mutex_lock(&pool_lock);
	if (pool == NULL) {
		snprintf(name, sizeof(name), "xdpc_test_%d", (int)getpid());
		pool = rte_pktmbuf_pool_create(name, TEST_POOL_SIZE, 0, 0,
			TEST_MBUF_ROOM + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	}
	pthread_mutex_unlock(&pool_lock);
	return pool;
}

static int __rte_format_printf(4, 5)
run_err(char *err, size_t err_len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * The frame: meta bytes then the linear part at XDP_PACKET_HEADROOM of a
 * page, the rest in frags of up to a page at the start of their own
 * buffers (chained mbufs). NULL when the pool runs dry.
 */
static struct rte_mbuf *
test_frame(struct rte_mempool *mp, const uint8_t *buf, size_t len,
	size_t meta, size_t linear)
{
	struct rte_mbuf *m, *seg, *last;
	size_t off;

	m = rte_pktmbuf_alloc(mp);
	if (m == NULL)
		return NULL;
	m->data_off = RTE_XDP_PACKET_HEADROOM;
	memcpy(rte_pktmbuf_mtod(m, uint8_t *) - meta, buf, meta + linear);
	m->data_len = linear;
	m->pkt_len = linear;
	last = m;
	for (off = meta + linear; off < len; off += seg->data_len) {
		seg = rte_pktmbuf_alloc(mp);
		if (seg == NULL) {
			rte_pktmbuf_free(m);
			return NULL;
		}
		seg->data_off = 0;
		seg->data_len = RTE_MIN(len - off, (size_t)TEST_FRAME_SZ);
		memcpy(rte_pktmbuf_mtod(seg, uint8_t *), buf + off,
			seg->data_len);
		last->next = seg;
		last = seg;
		m->nb_segs++;
		m->pkt_len += seg->data_len;
	}
	if (meta != 0)
		rte_xdp_mbuf_set_meta_len(m, meta);
	return m;
}

/*
 * bpf_test_finish(): the frame (metadata, linear part, frags) is *size
 * bytes; at most size_out of them are copied; when that cuts the frame
 * the linear part is shortened by the frags' whole length, then the frags
 * follow, and the run fails with ENOSPC (nothing copied when even the
 * frags do not fit).
 */
static int
test_finish(const struct rte_mbuf *m, uint8_t *out, uint32_t size_out,
	uint32_t *size)
{
	uint32_t meta = rte_xdp_mbuf_meta_len(m);
	uint32_t frags = m->pkt_len - m->data_len;
	uint32_t copy, off, n;
	const struct rte_mbuf *seg;
	int ret = 0;

	*size = meta + m->pkt_len;
	copy = *size;
	if (out == NULL)
		return 0;
	if (copy > size_out) {
		copy = size_out;
		ret = -ENOSPC;
	}
	if (copy < frags)
		return -ENOSPC;
	off = copy - frags;
	memcpy(out, rte_pktmbuf_mtod(m, const uint8_t *) - meta, off);
	for (seg = m->next; seg != NULL; seg = seg->next) {
		if (off >= copy) {
			ret = -ENOSPC;
			break;
		}
		n = RTE_MIN(copy - off, (uint32_t)seg->data_len);
		memcpy(out + off, rte_pktmbuf_mtod(seg, const uint8_t *), n);
		off += n;
	}
	return ret;
}

/* bpf_ctx_init() and xdp_convert_md_to_buff()'s checks on ctx_in. */
static int
check_ctx(const struct rte_xdp_test_run *t, struct test_xdp_md *md,
	char *err, size_t err_len)
{
	const uint8_t *c = t->ctx_in;
	uint32_t k;

	memset(md, 0, sizeof(*md));
	if (c == NULL)
		return 0;
	if (t->ctx_size_in > TEST_FRAME_SZ)
		return run_err(err, err_len, -E2BIG,
			"ctx_in: %u bytes, more than a page", t->ctx_size_in);
	for (k = sizeof(*md); k < t->ctx_size_in; k++)
		if (c[k] != 0)
			return run_err(err, err_len, -E2BIG,
				"ctx_in: %u bytes, not zero past struct xdp_md",
				t->ctx_size_in);
	memcpy(md, c, RTE_MIN(t->ctx_size_in, (uint32_t)sizeof(*md)));
	if (md->data_meta != 0 || md->data_end > t->data_size_in ||
	    md->data > md->data_end || (md->data & 3) != 0 ||
	    md->data > TEST_MAX_META)
		return run_err(err, err_len, -EINVAL,
			"ctx_in: data %u, data_end %u, data_meta %u for %u bytes of data_in",
			md->data, md->data_end, md->data_meta, t->data_size_in);
	if (md->egress_ifindex != 0 ||
	    (md->ingress_ifindex == 0 && md->rx_queue_index != 0))
		return run_err(err, err_len, -EINVAL,
			"ctx_in: egress_ifindex %u, ingress_ifindex %u, rx_queue_index %u",
			md->egress_ifindex, md->ingress_ifindex,
			md->rx_queue_index);
	return 0;
}

int
rte_xdp_prog_test_run(struct rte_xdp_prog *prog, struct rte_xdp_test_run *t,
	char *err, size_t err_len)
{
	struct rte_xdp_rxq_info rxq = {
		.ifindex = 1, .queue_index = 0, .frag_size = TEST_FRAME_SZ,
	};
	uint32_t meta, r, repeat = RTE_MAX(t->repeat, 1u), len, linear;
	struct rte_xdp_prog_info pi;
	struct test_xdp_md md;
	struct rte_mempool *mp;
	struct rte_mbuf *m;
	uint64_t t0;
	int ret;

	err[0] = '\0';
	if (prog == NULL || rte_xdp_prog_info(prog, &pi) != 0 || !pi.loaded)
		return run_err(err, err_len, -EINVAL, "not a loaded program");
	if (pi.attach != RTE_XDP_ATTACH_RX)
		return run_err(err, err_len, -EINVAL,
			"%s programs are not test-run, as in the kernel",
			pi.attach == RTE_XDP_ATTACH_DEVMAP ? "xdp_devmap" :
			"xdp_cpumap");
	if (t->data_in == NULL)
		return run_err(err, err_len, -EINVAL, "no data_in");
	ret = check_ctx(t, &md, err, err_len);
	if (ret != 0)
		return ret;
	len = t->data_size_in;
	meta = md.data;
	/* linear part: what fits in the page, metadata included */
	linear = RTE_MIN(t->ctx_in != NULL ? md.data_end : len,
		(uint32_t)TEST_MAX_DATA + meta);
	if (len - meta < ETH_HLEN)
		return run_err(err, err_len, -EINVAL, "data_in %u bytes", len);
	if (md.ingress_ifindex != 0) {
		rxq.ifindex = md.ingress_ifindex;
		rxq.queue_index = md.rx_queue_index;
	}
	if (len - linear > (uint32_t)TEST_MAX_FRAGS * TEST_FRAME_SZ)
		return run_err(err, err_len, -ENOMEM,
			"data_in %u bytes: more than %u frags", len,
			TEST_MAX_FRAGS);
	if (len > linear && !pi.frags)
		return run_err(err, err_len, -EINVAL,
			"data_in %u bytes: more than one buffer, and %s is not frags-aware: SEC(\"xdp.frags\")",
			len, pi.name);
	mp = test_pool();
	if (mp == NULL)
		return run_err(err, err_len, -ENOMEM,
			"no pool for test frames: %s", rte_strerror(rte_errno));
	m = test_frame(mp, t->data_in, len, meta, linear - meta);
	if (m == NULL)
		return run_err(err, err_len, -ENOMEM, "no buffer for the frame");
	t0 = rte_rdtsc_precise();
	for (r = 0; r < repeat; r++)
		rte_xdp_prog_run_burst(prog, &rxq, &m, 1, &t->retval, NULL);
	t->duration = (rte_rdtsc_precise() - t0) * 1000000000ull /
		rte_get_tsc_hz() / repeat;
	ret = test_finish(m, t->data_out, t->data_size_out, &t->data_size_out);
	if (ret == 0 && t->ctx_in != NULL) {
		/* bpf_ctx_finish() */
		md.data = rte_xdp_mbuf_meta_len(m);
		md.data_end = md.data + m->data_len;
		if (t->ctx_out != NULL && t->ctx_size_out < sizeof(md))
			ret = -ENOSPC;
		else if (t->ctx_out != NULL)
			memcpy(t->ctx_out, &md, sizeof(md));
		t->ctx_size_out = sizeof(md);
	} else {
		t->ctx_size_out = 0;
	}
	rte_pktmbuf_free(m);
	return ret;
}
