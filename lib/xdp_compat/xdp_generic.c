/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generic XDP on any ethdev port (rte_xdp_generic.h): the hook on an RX
 * queue (an ethdev RX callback or the application's explicit call), the
 * headroom rule of the kernel's netif_receive_generic_xdp() (a frame the
 * program may not own or grow is moved or copied first), the verdict
 * switch, and the control plane: attach/replace/detach with a wait for
 * bursts in flight, counters, telemetry (/xdp/list, /xdp/info).
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_telemetry.h>

#include <ethdev_driver.h>	/* rte_eth_devices: unlink at port release */

#include "rte_xdp_generic.h"
#include "rte_xdp_native.h"
#include "rte_xdp_redirect.h"
#include "xdp_compat_log.h"
#include "xdp_compat_trace.h"
#include "xdp_prog_internal.h"	/* the program's object, for its maps */

#define CHUNK		64	/* frames run per rte_xdp_prog_run_burst() */
#define COPY_POOL_SIZE	2047
#define COPY_CACHE	128
#define COPY_MIN_ROOM	2048	/* bytes from the data in a copy buffer */

/* What a queue runs: swapped as one pointer, freed after a quiescence. */
struct xdpg_binding {
	struct rte_xdp_prog *prog;
	uint32_t window;	/* buffer bytes the program needs from data */
};

struct xdpg_rxq {
	struct xdpg_binding *bind;	/* NULL: no program */
	uint32_t burst_seq;		/* odd while a burst runs */
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t tx_queue;
	uint16_t headroom;
	uint32_t flags;
	rte_spinlock_t *tx_lock;
	struct rte_mempool *copy_pool;
	const struct rte_eth_rxtx_callback *cb;
	struct rte_xdp_rxq_info rxq;
	struct rte_xdp_generic_stats st;
} __rte_cache_aligned;

struct xdpg_port {
	struct xdpg_rxq *q[RTE_MAX_QUEUES_PER_PORT];
	uint32_t nb_attached;
	uint32_t ifindex;
	bool target;			/* we registered it for redirects */
	bool known;			/* has had a program */
	struct rte_mempool *own_pool;	/* default copy pool */
};

static struct xdpg_port *xports[RTE_MAX_ETHPORTS];
static pthread_mutex_t ctl_lock = PTHREAD_MUTEX_INITIALIZER;
static bool destroy_cb_set;
static int meta_off = -1;		/* the runtime's metadata length field */

const char *const rte_xdp_generic_stat_names[RTE_XDP_GENERIC_NB_STATS] = {
	"rx_xdp_packets", "rx_xdp_bytes", "rx_xdp_pass", "rx_xdp_drop",
	"rx_xdp_aborted", "rx_xdp_tx", "rx_xdp_tx_errors", "rx_xdp_redirect",
	"rx_xdp_redirect_errors", "rx_xdp_copy", "rx_xdp_copy_errors",
	"tx_xdp_xmit_errors",
};

/*
 * trace_xdp_exception() and bpf_warn_invalid_xdp_action(): a trace event
 * per frame (one branch while the trace point is off) and a log line at
 * most once a second, its clock read once per chunk that had any, so an
 * aborted frame costs what a dropped one does.
 */
static void
xdp_exception_log(const struct xdpg_rxq *q, uint16_t nb, uint32_t act)
{
	static uint64_t next_log;	/* shared by all queues: racy is fine */
	uint64_t now = rte_get_timer_cycles();

	if (now < __atomic_load_n(&next_log, __ATOMIC_RELAXED))
		return;
	__atomic_store_n(&next_log, now + rte_get_timer_hz(), __ATOMIC_RELAXED);
	XDPC_LOG(WARNING, "generic XDP: port %u rxq %u: %s (verdict %u): %u frame(s) dropped (one such line a second at most)",
		q->port_id, q->queue_id,
		act == RTE_XDP_ABORTED ? "aborted" : "invalid verdict", act,
		nb);
}

/* Whether the program may not run on the frame where it is. */
static inline bool
needs_own_buffer(const struct xdpg_rxq *q, const struct rte_mbuf *m,
	uint32_t window)
{
	return m->data_off < q->headroom || m->nb_segs != 1 ||
		!RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1 ||
		(uint32_t)(m->buf_len - m->data_off) < window;
}

/*
 * pskb_expand_head() + skb_linearize(): give the frame a private linear
 * buffer with RTE_XDP_PACKET_HEADROOM before the data. Moved within its
 * own buffer when that is enough, copied into a new mbuf otherwise.
 * Returns the frame to run, or NULL (the frame was freed).
 */
static struct rte_mbuf *
own_buffer(struct xdpg_rxq *q, struct rte_mbuf *m, uint32_t window)
{
	struct rte_mbuf *c, *s;
	uint32_t room;
	uint8_t *dst;

	if (m->nb_segs == 1 && RTE_MBUF_DIRECT(m) &&
	    rte_mbuf_refcnt_read(m) == 1 &&
	    m->buf_len >= RTE_XDP_PACKET_HEADROOM + RTE_MAX(window,
		(uint32_t)m->data_len)) {
		dst = (uint8_t *)m->buf_addr + RTE_XDP_PACKET_HEADROOM;
		memmove(dst, rte_pktmbuf_mtod(m, void *), m->data_len);
		m->data_off = RTE_XDP_PACKET_HEADROOM;
		q->st.rx_xdp_copy++;
		return m;
	}
	c = q->copy_pool != NULL ? rte_pktmbuf_alloc(q->copy_pool) : NULL;
	room = c != NULL ? c->buf_len - RTE_XDP_PACKET_HEADROOM : 0;
	if (c == NULL || m->pkt_len > room || room < window) {
		if (c != NULL)
			rte_pktmbuf_free(c);
		rte_pktmbuf_free(m);
		q->st.rx_xdp_copy_errors++;
		q->st.rx_xdp_drop++;
		return NULL;
	}
	c->data_off = RTE_XDP_PACKET_HEADROOM;
	dst = rte_pktmbuf_mtod(c, uint8_t *);
	for (s = m; s != NULL; s = s->next) {
		memcpy(dst, rte_pktmbuf_mtod(s, void *), s->data_len);
		dst += s->data_len;
	}
	c->data_len = m->pkt_len;
	c->pkt_len = m->pkt_len;
	c->port = m->port;
	c->packet_type = m->packet_type;
	c->ol_flags = m->ol_flags & ~(RTE_MBUF_F_EXTERNAL |
		RTE_MBUF_F_INDIRECT);
	c->hash = m->hash;
	c->vlan_tci = m->vlan_tci;
	c->vlan_tci_outer = m->vlan_tci_outer;
	rte_pktmbuf_free(m);
	q->st.rx_xdp_copy++;
	return c;
}

static void
xdp_tx_flush(struct xdpg_rxq *q, struct rte_mbuf **tx, uint16_t n)
{
	uint16_t sent;

	if (q->tx_lock != NULL)
		rte_spinlock_lock(q->tx_lock);
	sent = rte_eth_tx_burst(q->port_id, q->tx_queue, tx, n);
	if (q->tx_lock != NULL)
		rte_spinlock_unlock(q->tx_lock);
	q->st.rx_xdp_tx += sent;
	if (sent < n) {
		q->st.rx_xdp_tx_errors += n - sent;
		rte_pktmbuf_free_bulk(tx + sent, n - sent);
	}
}

/*
 * Run the program over up to CHUNK frames and act on each verdict (the
 * shape of the kernel's mvneta_run_xdp()). PASS frames are compacted at
 * the front of pkts; returns their number.
 */
static uint16_t
run_chunk(struct xdpg_rxq *q, const struct xdpg_binding *b,
	struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t act[CHUNK];
	struct rte_xdp_redirect_info ri[CHUNK];
	struct rte_mbuf *drop[CHUNK], *tx[CHUNK];
	struct rte_xdp_generic_stats *st = &q->st;
	uint16_t i, k = 0, pass = 0, nb_drop = 0, nb_tx = 0, nb_exception = 0;
	uint32_t exception = RTE_XDP_ABORTED;
	bool redirected = false;

	/* The frames the program may run on where they are, or their copy. */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		st->rx_xdp_packets++;
		st->rx_xdp_bytes += m->pkt_len;
		if (unlikely(needs_own_buffer(q, m, b->window))) {
			m = own_buffer(q, m, b->window);
			if (m == NULL)
				continue;
		}
		/* No metadata on receive, as in the kernel. */
		*RTE_MBUF_DYNFIELD(m, meta_off, uint32_t *) = 0;
		pkts[k++] = m;
	}
	n = k;
	rte_xdp_prog_run_burst(b->prog, &q->rxq, pkts, n, act, ri);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		switch (act[i]) {
		case RTE_XDP_PASS:
			st->rx_xdp_pass++;
			pkts[pass++] = m;
			continue;
		case RTE_XDP_TX:
			tx[nb_tx++] = m;
			continue;
		case RTE_XDP_REDIRECT:
			if (likely(rte_xdp_do_redirect(m, &ri[i], &q->rxq) == 0)) {
				st->rx_xdp_redirect++;
				redirected = true;
				continue;
			}
			st->rx_xdp_redirect_errors++;
			break;
		default:
			/* bpf_warn_invalid_xdp_action() */
			/* fallthrough */
		case RTE_XDP_ABORTED:
			st->rx_xdp_aborted++;
			xdpc_trace_xdp_exception(q->port_id, q->queue_id,
				act[i]);
			exception = act[i];
			nb_exception++;
			/* fallthrough */
		case RTE_XDP_DROP:
			st->rx_xdp_drop++;
			break;
		}
		drop[nb_drop++] = m;
	}
	if (unlikely(nb_exception != 0))
		xdp_exception_log(q, nb_exception, exception);
	/* Once per burst: the drops, the XDP_TX queue, the redirect queues. */
	if (nb_drop != 0)
		rte_pktmbuf_free_bulk(drop, nb_drop);
	if (nb_tx != 0)
		xdp_tx_flush(q, tx, nb_tx);
	if (redirected)
		rte_xdp_do_flush();
	return pass;
}

static uint16_t
run_burst(struct xdpg_rxq *q, struct rte_mbuf **pkts, uint16_t n)
{
	const struct xdpg_binding *b;
	uint32_t seq;
	uint16_t done, pass = 0, c, k;

	if (n == 0)
		return 0;
	/* Enter: odd sequence first, then the binding (see wait_bursts). */
	seq = q->burst_seq + 1;
	__atomic_store_n(&q->burst_seq, seq, __ATOMIC_RELAXED);
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	b = __atomic_load_n(&q->bind, __ATOMIC_ACQUIRE);
	if (b == NULL) {
		pass = n;
	} else {
		for (done = 0; done < n; done += c) {
			c = RTE_MIN(n - done, CHUNK);
			k = run_chunk(q, b, pkts + done, c);
			/* PASS frames of every chunk follow those before */
			if (pass != done)
				memmove(pkts + pass, pkts + done,
					k * sizeof(*pkts));
			pass += k;
		}
	}
	__atomic_store_n(&q->burst_seq, seq + 1, __ATOMIC_RELEASE);
	return pass;
}

static uint16_t
rx_callback(uint16_t port_id, uint16_t queue_id, struct rte_mbuf *pkts[],
	uint16_t nb_pkts, uint16_t max_pkts, void *arg)
{
	struct xdpg_rxq *q = arg;

	/* a queue re-attached in explicit mode keeps its old callback */
	if (unlikely(q->flags & RTE_XDP_GENERIC_F_EXPLICIT))
		return nb_pkts;
	return run_burst(q, pkts, nb_pkts);
}

uint16_t
rte_xdp_generic_run(uint16_t port_id, uint16_t queue_id,
	struct rte_mbuf **pkts, uint16_t n)
{
	struct xdpg_port *p;
	struct xdpg_rxq *q;

	if (unlikely(port_id >= RTE_MAX_ETHPORTS ||
		     queue_id >= RTE_MAX_QUEUES_PER_PORT))
		return n;
	p = xports[port_id];
	q = p != NULL ? p->q[queue_id] : NULL;
	if (q == NULL || !(q->flags & RTE_XDP_GENERIC_F_EXPLICIT))
		return n;
	return run_burst(q, pkts, n);
}

/* Wait until no lcore is inside a burst that started before now. */
static void
wait_bursts(const struct xdpg_rxq *q)
{
	uint32_t s;

	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	s = __atomic_load_n(&q->burst_seq, __ATOMIC_SEQ_CST);
	if (s & 1)
		while (__atomic_load_n(&q->burst_seq, __ATOMIC_ACQUIRE) == s)
			rte_pause();
}

uint32_t
rte_xdp_generic_ifindex(uint16_t port_id)
{
	return rte_xdp_port_ifindex(port_id);
}

static void release_port(uint16_t port_id);

static int
on_destroy(uint16_t port_id, enum rte_eth_event_type event, void *arg,
	void *ret_param)
{
	pthread_mutex_lock(&ctl_lock);
	release_port(port_id);
	pthread_mutex_unlock(&ctl_lock);
	return 0;
}

/* The port's default copy pool: buffers for the largest window seen. */
static struct rte_mempool *
own_copy_pool(struct xdpg_port *p, uint16_t port_id, uint32_t window)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	uint32_t room = RTE_MAX(window, (uint32_t)COPY_MIN_ROOM);

	if (p->own_pool != NULL)
		return p->own_pool;
	snprintf(name, sizeof(name), "xdpg_copy_%u", port_id);
	p->own_pool = rte_pktmbuf_pool_create(name, COPY_POOL_SIZE, COPY_CACHE,
		0, RTE_XDP_PACKET_HEADROOM + room, rte_eth_dev_socket_id(port_id));
	if (p->own_pool == NULL)
		XDPC_LOG(ERR, "generic XDP: port %u: no copy pool (%s)",
			port_id, rte_strerror(rte_errno));
	return p->own_pool;
}

static int
check_queues(uint16_t port_id, uint16_t queue_id, uint16_t tx_queue)
{
	struct rte_eth_dev_info info;
	int ret;

	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret != 0)
		return ret;
	if (queue_id >= info.nb_rx_queues) {
		XDPC_LOG(ERR, "generic XDP: port %u has %u RX queues, no queue %u (configure the port first)",
			port_id, info.nb_rx_queues, queue_id);
		return -EINVAL;
	}
	if (tx_queue >= info.nb_tx_queues) {
		XDPC_LOG(ERR, "generic XDP: port %u has %u TX queues, no TX queue %u for XDP_TX",
			port_id, info.nb_tx_queues, tx_queue);
		return -EINVAL;
	}
	return 0;
}

static int
register_target(struct xdpg_port *p, uint16_t port_id,
	const struct rte_xdp_generic_conf *conf)
{
	struct rte_eth_dev_info info;
	uint16_t txq = conf != NULL ? conf->redirect_tx_queue :
		RTE_XDP_GENERIC_QUEUE_DEFAULT;
	uint32_t ifindex;
	int ret;

	if (conf != NULL && (conf->flags & RTE_XDP_GENERIC_F_NO_TARGET))
		return 0;
	if (rte_xdp_dev_ifindex(port_id, &ifindex) == 0)
		return 0;	/* already a target (e.g. by its driver) */
	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret != 0)
		return ret;
	if (txq == RTE_XDP_GENERIC_QUEUE_DEFAULT)
		txq = info.nb_tx_queues - 1;
	if (txq >= info.nb_tx_queues) {
		XDPC_LOG(ERR, "generic XDP: port %u has %u TX queues, no TX queue %u for redirected frames",
			port_id, info.nb_tx_queues, txq);
		return -EINVAL;
	}
	ret = rte_xdp_dev_register(port_id, NULL, NULL, txq);
	if (ret != 0) {
		XDPC_LOG(ERR, "generic XDP: port %u: cannot be a redirect target under ifindex %u (%s)",
			port_id, p->ifindex, strerror(-ret));
		return ret;
	}
	p->target = true;
	return 0;
}

static struct xdpg_port *
get_port(uint16_t port_id)
{
	int ret;

	if (xports[port_id] != NULL)
		return xports[port_id];
	if (!destroy_cb_set) {
		ret = rte_eth_dev_callback_register(RTE_ETH_ALL,
			RTE_ETH_EVENT_DESTROY, on_destroy, NULL);
		if (ret != 0) {
			XDPC_LOG(ERR, "generic XDP: cannot watch port releases (%s)",
				strerror(-ret));
			return NULL;
		}
		destroy_cb_set = true;
	}
	xports[port_id] = calloc(1, sizeof(struct xdpg_port));
	return xports[port_id];
}

static int
attach_locked(uint16_t port_id, uint16_t queue_id, struct rte_xdp_prog *prog,
	const struct rte_xdp_generic_conf *conf)
{
	struct rte_xdp_prog_info info;
	struct xdpg_binding *b, *old;
	struct xdpg_port *p;
	struct xdpg_rxq *q;
	uint16_t tx_queue;
	char why[128];
	bool fresh;
	int ret;

	if (!rte_eth_dev_is_valid_port(port_id)) {
		XDPC_LOG(ERR, "generic XDP: no port %u", port_id);
		return -ENODEV;
	}
	if (prog == NULL || rte_xdp_prog_info(prog, &info) != 0 ||
	    !info.loaded) {
		XDPC_LOG(ERR, "generic XDP: port %u: not a loaded XDP program",
			port_id);
		return -EINVAL;
	}
	ret = rte_xdp_prog_check_dev_attach(prog, why, sizeof(why));
	if (ret != 0) {
		XDPC_LOG(ERR, "generic XDP: port %u rxq %u: program %s (SEC(\"%s\")): %s",
			port_id, queue_id, info.name, info.section, why);
		return ret;
	}
	if (queue_id >= RTE_MAX_QUEUES_PER_PORT)
		return -EINVAL;
	if (meta_off < 0)
		meta_off = rte_mbuf_dynfield_lookup("xdp_compat_meta_len", NULL);
	if (meta_off < 0)
		return -EINVAL;		/* no program was ever loaded */
	p = get_port(port_id);
	if (p == NULL)
		return -ENOMEM;
	q = p->q[queue_id];
	fresh = q == NULL || q->bind == NULL;
	if (!fresh && conf == NULL)
		tx_queue = q->tx_queue;	/* replacement: keep the set-up */
	else if (conf == NULL || conf->tx_queue == RTE_XDP_GENERIC_QUEUE_DEFAULT)
		tx_queue = queue_id;
	else
		tx_queue = conf->tx_queue;
	ret = check_queues(port_id, queue_id, tx_queue);
	if (ret != 0)
		return ret;

	b = rte_zmalloc("xdpg_binding", sizeof(*b), 0);
	if (b == NULL)
		return -ENOMEM;
	b->prog = prog;
	b->window = info.pkt_window;

	if (q == NULL) {
		q = rte_zmalloc_socket("xdpg_rxq", sizeof(*q),
			RTE_CACHE_LINE_SIZE, rte_eth_dev_socket_id(port_id));
		if (q == NULL) {
			rte_free(b);
			return -ENOMEM;
		}
		q->port_id = port_id;
		q->queue_id = queue_id;
		p->q[queue_id] = q;
	}
	if (p->nb_attached == 0) {
		p->ifindex = rte_xdp_port_ifindex(port_id);
		ret = register_target(p, port_id, conf);
		if (ret != 0)
			goto fail;
	}
	if (fresh || conf != NULL) {
		struct rte_mempool *pool = conf != NULL ? conf->copy_pool : NULL;

		if (pool == NULL && !fresh && q->copy_pool != p->own_pool)
			pool = q->copy_pool;
		if (pool == NULL)
			pool = own_copy_pool(p, port_id, b->window);
		if (pool == NULL) {
			ret = -ENOMEM;
			goto fail_target;
		}
		if (!fresh && q->bind != NULL)
			wait_bursts(q);	/* the fields below change */
		q->copy_pool = pool;
		q->tx_queue = tx_queue;
		q->tx_lock = conf != NULL ? conf->tx_lock : NULL;
		q->headroom = conf != NULL && conf->headroom != 0 ?
			conf->headroom : RTE_XDP_PACKET_HEADROOM;
		rte_xdp_rxq_info_reg(&q->rxq, port_id, p->ifindex, queue_id, 0);
		rte_xdp_rxq_info_reg_mem_model(&q->rxq,
			RTE_XDP_MEM_TYPE_PAGE_SHARED, NULL);
		q->flags = conf != NULL ? conf->flags : 0;
	}
	{
		struct rte_mbuf *probe = rte_pktmbuf_alloc(q->copy_pool);
		uint32_t room = probe != NULL ?
			probe->buf_len - RTE_XDP_PACKET_HEADROOM : 0;

		rte_pktmbuf_free(probe);
		if (probe != NULL && room < b->window) {
			XDPC_LOG(ERR, "generic XDP: port %u: copy buffers hold %u bytes after the headroom, program %s addresses %u: give a copy_pool with larger buffers",
				port_id, room, info.name, b->window);
			ret = -E2BIG;
			goto fail_target;
		}
	}
	if (!(q->flags & RTE_XDP_GENERIC_F_EXPLICIT) && q->cb == NULL) {
		q->cb = rte_eth_add_rx_callback(port_id, queue_id, rx_callback,
			q);
		if (q->cb == NULL) {
			ret = -rte_errno;
			XDPC_LOG(ERR, "generic XDP: port %u rxq %u: no RX callback (%s)",
				port_id, queue_id, rte_strerror(rte_errno));
			goto fail_target;
		}
	}
	old = q->bind;
	__atomic_store_n(&q->bind, b, __ATOMIC_SEQ_CST);
	if (old != NULL) {
		wait_bursts(q);
		rte_free(old);
	} else {
		p->nb_attached++;
	}
	p->known = true;
	XDPC_LOG(INFO, "generic XDP: port %u rxq %u: %s %s (ifindex %u, XDP_TX on txq %u)",
		port_id, queue_id, old != NULL ? "replaced by" : "attached",
		info.name, p->ifindex, q->tx_queue);
	return 0;
fail_target:
	if (p->nb_attached == 0 && p->target) {
		rte_xdp_dev_unregister(port_id);
		p->target = false;
	}
fail:
	rte_free(b);
	return ret;
}

int
rte_xdp_generic_attach(uint16_t port_id, uint16_t queue_id,
	struct rte_xdp_prog *prog, const struct rte_xdp_generic_conf *conf)
{
	int ret;

	pthread_mutex_lock(&ctl_lock);
	ret = attach_locked(port_id, queue_id, prog, conf);
	pthread_mutex_unlock(&ctl_lock);
	return ret;
}

int
rte_xdp_generic_detach(uint16_t port_id, uint16_t queue_id)
{
	struct xdpg_binding *old;
	struct xdpg_port *p;
	struct xdpg_rxq *q;
	int ret = 0;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (queue_id >= RTE_MAX_QUEUES_PER_PORT)
		return -ENOENT;
	pthread_mutex_lock(&ctl_lock);
	p = xports[port_id];
	q = p != NULL ? p->q[queue_id] : NULL;
	if (q == NULL || q->bind == NULL) {
		ret = -ENOENT;
		goto out;
	}
	old = q->bind;
	__atomic_store_n(&q->bind, NULL, __ATOMIC_SEQ_CST);
	wait_bursts(q);
	rte_free(old);
	/* The RX callback stays: see rte_xdp_generic.h. */
	if (--p->nb_attached == 0 && p->target) {
		rte_xdp_dev_unregister(port_id);
		p->target = false;
	}
out:
	pthread_mutex_unlock(&ctl_lock);
	return ret;
}

struct rte_xdp_prog *
rte_xdp_generic_prog_get(uint16_t port_id, uint16_t queue_id)
{
	struct rte_xdp_prog *prog = NULL;
	struct xdpg_port *p;

	if (port_id >= RTE_MAX_ETHPORTS || queue_id >= RTE_MAX_QUEUES_PER_PORT)
		return NULL;
	pthread_mutex_lock(&ctl_lock);
	p = xports[port_id];
	if (p != NULL && p->q[queue_id] != NULL && p->q[queue_id]->bind != NULL)
		prog = p->q[queue_id]->bind->prog;
	pthread_mutex_unlock(&ctl_lock);
	return prog;
}

/* Called on RTE_ETH_EVENT_DESTROY: no burst runs on the port any more. */
static void
release_port(uint16_t port_id)
{
	struct rte_eth_rxtx_callback **pp;
	struct xdpg_port *p;
	unsigned int i;

	if (port_id >= RTE_MAX_ETHPORTS || xports[port_id] == NULL)
		return;
	p = xports[port_id];
	for (i = 0; i < RTE_MAX_QUEUES_PER_PORT; i++) {
		struct xdpg_rxq *q = p->q[i];

		if (q == NULL)
			continue;
		if (q->cb != NULL &&
		    rte_eth_remove_rx_callback(port_id, i, q->cb) != 0) {
			/* Queues already released: unlink it ourselves. */
			for (pp = &rte_eth_devices[port_id].post_rx_burst_cbs[i];
			     *pp != NULL; pp = &(*pp)->next)
				if (*pp == q->cb) {
					*pp = q->cb->next;
					break;
				}
		}
		rte_free((void *)(uintptr_t)q->cb);
		rte_free(q->bind);
		rte_free(q);
	}
	if (p->target)
		rte_xdp_dev_unregister(port_id);
	if (p->own_pool != NULL) {
		if (rte_mempool_full(p->own_pool))
			rte_mempool_free(p->own_pool);
		else
			XDPC_LOG(WARNING, "generic XDP: port %u released with %u copy buffers still in use: their pool is kept",
				port_id, rte_mempool_in_use_count(p->own_pool));
	}
	free(p);
	xports[port_id] = NULL;
}

static void
stats_add(struct rte_xdp_generic_stats *sum,
	const struct rte_xdp_generic_stats *s)
{
	const uint64_t *a = (const uint64_t *)s;
	uint64_t *b = (uint64_t *)sum;
	unsigned int i;

	for (i = 0; i < RTE_XDP_GENERIC_NB_STATS; i++)
		b[i] += __atomic_load_n(&a[i], __ATOMIC_RELAXED);
}

int
rte_xdp_generic_stats_get(uint16_t port_id, uint16_t queue_id,
	struct rte_xdp_generic_stats *stats)
{
	struct xdpg_port *p;
	unsigned int i;
	int ret = 0;

	if (port_id >= RTE_MAX_ETHPORTS || stats == NULL)
		return -EINVAL;
	memset(stats, 0, sizeof(*stats));
	pthread_mutex_lock(&ctl_lock);
	p = xports[port_id];
	if (p == NULL || !p->known) {
		ret = -ENODEV;
	} else if (queue_id == RTE_XDP_GENERIC_ALL_QUEUES) {
		for (i = 0; i < RTE_MAX_QUEUES_PER_PORT; i++)
			if (p->q[i] != NULL)
				stats_add(stats, &p->q[i]->st);
		stats->tx_xdp_xmit_errors = rte_xdp_dev_xmit_errors(port_id);
	} else if (queue_id < RTE_MAX_QUEUES_PER_PORT &&
		   p->q[queue_id] != NULL) {
		stats_add(stats, &p->q[queue_id]->st);
	} else {
		ret = -EINVAL;
	}
	pthread_mutex_unlock(&ctl_lock);
	return ret;
}

int
rte_xdp_generic_stats_reset(uint16_t port_id, uint16_t queue_id)
{
	struct xdpg_port *p;
	unsigned int i;
	int ret = 0;

	if (port_id >= RTE_MAX_ETHPORTS)
		return -EINVAL;
	pthread_mutex_lock(&ctl_lock);
	p = xports[port_id];
	if (p == NULL || !p->known) {
		ret = -ENODEV;
	} else {
		for (i = 0; i < RTE_MAX_QUEUES_PER_PORT; i++)
			if (p->q[i] != NULL &&
			    (queue_id == RTE_XDP_GENERIC_ALL_QUEUES ||
			     queue_id == i))
				memset(&p->q[i]->st, 0, sizeof(p->q[i]->st));
	}
	pthread_mutex_unlock(&ctl_lock);
	return ret;
}

/* Telemetry: /xdp/list and /xdp/info,<port>. */

/* A generic program, or a native one (the driver's, rte_xdp_native.h). */
static bool
port_has_prog(uint16_t port)
{
	const struct xdpg_port *p = xports[port];

	return (p != NULL && p->nb_attached != 0) ||
		rte_xdp_native_prog_get(port) != NULL;
}

static int
tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int i;

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	pthread_mutex_lock(&ctl_lock);
	for (i = 0; i < RTE_MAX_ETHPORTS; i++)
		if (port_has_prog(i))
			rte_tel_data_add_array_int(d, i);
	pthread_mutex_unlock(&ctl_lock);
	return 0;
}

static const char *const map_type_names[] = {
	[RTE_XDP_MAP_HASH] = "hash",
	[RTE_XDP_MAP_ARRAY] = "array",
	[RTE_XDP_MAP_PERCPU_HASH] = "percpu_hash",
	[RTE_XDP_MAP_PERCPU_ARRAY] = "percpu_array",
	[RTE_XDP_MAP_LRU_HASH] = "lru_hash",
	[RTE_XDP_MAP_LRU_PERCPU_HASH] = "lru_percpu_hash",
	[RTE_XDP_MAP_LPM_TRIE] = "lpm_trie",
	[RTE_XDP_MAP_DEVMAP] = "devmap",
	[RTE_XDP_MAP_CPUMAP] = "cpumap",
	[RTE_XDP_MAP_XSKMAP] = "xskmap",
	[RTE_XDP_MAP_DEVMAP_HASH] = "devmap_hash",
};

static struct rte_tel_data *
tel_prog(const struct rte_xdp_prog *prog)
{
	struct rte_tel_data *d = rte_tel_data_alloc(), *maps;
	struct rte_xdp_prog_info info;
	unsigned int i;

	if (d == NULL)
		return NULL;
	rte_xdp_prog_info(prog, &info);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", info.name);
	rte_tel_data_add_dict_string(d, "section", info.section);
	rte_tel_data_add_dict_int(d, "insns", info.nb_insns);
	rte_tel_data_add_dict_int(d, "xlated_insns", info.nb_xlated);
	rte_tel_data_add_dict_u64(d, "jited_bytes", info.jited_size);
	rte_tel_data_add_dict_int(d, "verified_by_kernel",
		info.verified_by_kernel);
	maps = rte_tel_data_alloc();
	if (maps == NULL)
		return d;
	rte_tel_data_start_array(maps, RTE_TEL_STRING_VAL);
	for (i = 0; i < rte_xdp_obj_nb_maps(prog->obj); i++) {
		struct rte_xdp_map *m = rte_xdp_obj_map(prog->obj, i);
		const struct rte_xdp_map_def *def = rte_xdp_map_def(m);
		char s[RTE_TEL_MAX_STRING_LEN];

		snprintf(s, sizeof(s), "%s: %s key %u value %u max_entries %u",
			rte_xdp_map_name(m),
			def->type < RTE_DIM(map_type_names) &&
			map_type_names[def->type] != NULL ?
			map_type_names[def->type] : "other",
			def->key_size, def->value_size, def->max_entries);
		rte_tel_data_add_array_string(maps, s);
	}
	rte_tel_data_add_dict_container(d, "maps", maps, 0);
	return d;
}

static void
tel_native_counters(uint16_t port_id, struct rte_tel_data *c)
{
	static const char *const names[] = {
		"rx_xdp_redirect", "rx_xdp_pass", "rx_xdp_drop", "rx_xdp_tx",
		"rx_xdp_tx_errors", "tx_xdp_xmit", "tx_xdp_xmit_errors",
		"rx_xdp_aborted", "rx_xdp_redirect_errors",
	};
	unsigned int i;
	uint64_t id, v;

	for (i = 0; i < RTE_DIM(names); i++)
		if (rte_eth_xstats_get_id_by_name(port_id, names[i], &id) == 0 &&
		    rte_eth_xstats_get_by_id(port_id, &id, &v, 1) == 1)
			rte_tel_data_add_dict_u64(c, names[i], v);
}

static int
tel_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_xdp_generic_stats st;
	struct rte_tel_data *c, *queues;
	struct rte_xdp_prog *first = NULL;
	char name[RTE_ETH_NAME_MAX_LEN];
	struct xdpg_port *p;
	unsigned long port;
	char *end;
	unsigned int i;
	const uint64_t *v = (const uint64_t *)&st;

	if (params == NULL || *params == '\0')
		return -EINVAL;
	port = strtoul(params, &end, 0);
	if (*end != '\0' || port >= RTE_MAX_ETHPORTS ||
	    !rte_eth_dev_is_valid_port(port))
		return -EINVAL;
	pthread_mutex_lock(&ctl_lock);
	p = xports[port];
	if (!port_has_prog(port)) {
		pthread_mutex_unlock(&ctl_lock);
		return -EINVAL;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", port);
	if (rte_eth_dev_get_name_by_port(port, name) == 0)
		rte_tel_data_add_dict_string(d, "device", name);
	rte_tel_data_add_dict_string(d, "mode",
		p != NULL && p->nb_attached != 0 ? "generic" : "native");
	rte_tel_data_add_dict_u64(d, "ifindex", rte_xdp_port_ifindex(port));
	c = rte_tel_data_alloc();
	queues = rte_tel_data_alloc();
	if (c == NULL || queues == NULL) {
		rte_tel_data_free(c);
		rte_tel_data_free(queues);
		pthread_mutex_unlock(&ctl_lock);
		return -ENOMEM;
	}
	rte_tel_data_start_dict(c);
	rte_tel_data_start_array(queues, RTE_TEL_INT_VAL);
	if (p != NULL && p->nb_attached != 0) {
		memset(&st, 0, sizeof(st));
		for (i = 0; i < RTE_MAX_QUEUES_PER_PORT; i++)
			if (p->q[i] != NULL) {
				stats_add(&st, &p->q[i]->st);
				if (p->q[i]->bind != NULL) {
					rte_tel_data_add_array_int(queues, i);
					if (first == NULL)
						first = p->q[i]->bind->prog;
				}
			}
		st.tx_xdp_xmit_errors = rte_xdp_dev_xmit_errors(port);
		for (i = 0; i < RTE_XDP_GENERIC_NB_STATS; i++)
			rte_tel_data_add_dict_u64(c,
				rte_xdp_generic_stat_names[i], v[i]);
	} else {
		first = rte_xdp_native_prog_get(port);
		tel_native_counters(port, c);
	}
	rte_tel_data_add_dict_container(d, "queues", queues, 0);
	if (first != NULL) {
		struct rte_tel_data *pd = tel_prog(first);

		if (pd != NULL)
			rte_tel_data_add_dict_container(d, "prog", pd, 0);
	}
	rte_tel_data_add_dict_container(d, "counters", c, 0);
	pthread_mutex_unlock(&ctl_lock);
	return 0;
}

RTE_INIT(xdp_generic_telemetry)
{
	rte_telemetry_register_cmd("/xdp/list", tel_list,
		"Ports with an XDP program (generic or native). No parameters");
	rte_telemetry_register_cmd("/xdp/info", tel_info,
		"Program, maps and XDP counters of a port. Parameters: int port_id");
}
