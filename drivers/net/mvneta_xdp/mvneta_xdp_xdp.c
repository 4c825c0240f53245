/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native XDP in net_mvneta_xdp, after the kernel's mvneta: the verdict
 * switch (mvneta_run_xdp), the XDP_TX rings and the redirect-in ring
 * (mvneta_xdp_xmit_back, mvneta_xdp_xmit) and program set-up
 * (mvneta_xdp_setup): refuse a non-frags program when frames need more
 * than one buffer, restart only when program presence changes, swap
 * otherwise.
 */

#include <errno.h>

#include <rte_cycles.h>

#include "mvneta_xdp.h"
#include "mvneta_xdp_trace.h"
#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_native.h"
#include "rte_xdp_redirect.h"
#include "xdp_capture.h"

/*
 * trace_xdp_exception() and bpf_warn_invalid_xdp_action(): a trace event
 * per frame (one branch while the trace point is off) and a log line at
 * most once a second, its clock read once per burst that had any, so an
 * aborted frame costs what a dropped one does.
 */
static void
xdp_exception_log(const struct mvneta_xdp_rxq *rxq, uint16_t nb, uint32_t act)
{
	static uint64_t next_log;	/* shared by all queues: racy is fine */
	uint64_t now = rte_get_timer_cycles();

	if (now < __atomic_load_n(&next_log, __ATOMIC_RELAXED))
		return;
	__atomic_store_n(&next_log, now + rte_get_timer_hz(), __ATOMIC_RELAXED);
	MVNETA_LOG(WARNING, "%s: rxq %u: XDP %s (verdict %u): %u frame(s) dropped (one such line a second at most)",
		rxq->port->name, rxq->queue_id,
		act == RTE_XDP_ABORTED ? "aborted" : "invalid verdict", act,
		nb);
}

/*
 * Run the program over the frames of a burst and act on each verdict.
 * PASS frames are compacted at the front of pkts; returns their number.
 */
uint16_t
mvneta_xdp_run(struct mvneta_xdp_rxq *rxq, struct rte_xdp_prog *prog,
		struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t act[n];
	struct rte_xdp_redirect_info ri[n];
	struct rte_mbuf *drop[n], *tx[n];
	struct mvneta_xdp_rxq_stats *st = &rxq->stats;
	bool redirected = false;
	uint16_t i, pass = 0, nb_drop = 0, nb_tx = 0, nb_exception = 0;
	uint32_t exception = RTE_XDP_ABORTED;

	xdpc_capture_run_burst(prog, &rxq->xdp_rxq, pkts, n, act, ri);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		switch (act[i]) {
		case RTE_XDP_PASS:
			st->xdp_pass++;
			pkts[pass++] = m;
			continue;
		case RTE_XDP_TX:	/* onto the ring after the loop */
			tx[nb_tx++] = m;
			continue;
		case RTE_XDP_REDIRECT:
			if (likely(rte_xdp_do_redirect(m, &ri[i],
					&rxq->xdp_rxq) == 0)) {
				st->xdp_redirect++;
				redirected = true;
				continue;
			}
			st->xdp_redirect_err++;
			break;
		default:
			/* bpf_warn_invalid_xdp_action() */
			/* fallthrough */
		case RTE_XDP_ABORTED:
			st->xdp_aborted++;
			mvneta_xdp_trace_xdp_exception(rxq->port_id,
				rxq->queue_id, act[i]);
			exception = act[i];
			nb_exception++;
			/* fallthrough */
		case RTE_XDP_DROP:
			st->xdp_drop++;
			break;
		}
		/* page_pool_put_full_page(..., allow_direct): the
		 * one-buffer frames into the cache at once, after the loop */
		if (likely(m->nb_segs == 1))
			drop[nb_drop++] = m;
		else
			rte_xdp_return_frame(&rxq->xdp_rxq.mem, m, 1);
	}
	if (nb_tx != 0) {
		uint16_t sent = mvneta_xdp_txq_xmit_back(rxq->xdp_tx, tx, nb_tx,
			&rxq->xdp_rxq.mem, &st->xdp_tx_bytes);

		st->xdp_tx += sent;
		/* the ring full: dropped, back to the pool with the drops */
		for (i = 0; i < nb_tx - sent; i++) {
			st->xdp_tx_err++;
			if (likely(tx[i]->nb_segs == 1))
				drop[nb_drop++] = tx[i];
			else
				rte_xdp_return_frame(&rxq->xdp_rxq.mem, tx[i],
					1);
		}
		/* one doorbell for the burst */
		mvneta_xdp_txq_flush(rxq->xdp_tx);
	}
	if (nb_drop != 0)
		rte_xdp_page_pool_recycle_direct_bulk(rxq->pp, drop, nb_drop);
	if (unlikely(nb_exception != 0))
		xdp_exception_log(rxq, nb_exception, exception);
	/* Redirect flush: once per burst. */
	if (redirected)
		rte_xdp_do_flush();
	return pass;
}

/*
 * ndo_xdp_xmit: frames redirected to this port from any lcore go on its
 * redirect-in ring, doorbell rung once for the lot.
 */
static uint16_t
mvneta_xdp_xmit(void *ctx, struct rte_mbuf **frames,
		const struct rte_xdp_mem_info **mem, uint16_t n)
{
	struct mvneta_xdp_port *port = ctx;
	struct mvneta_xdp_txq *txq;
	uint64_t bytes = 0;
	uint16_t i = 0;

	txq = __atomic_load_n(&port->xdp.xmit_ring, __ATOMIC_ACQUIRE);
	if (unlikely(txq == NULL)) {	/* port stopped */
		__atomic_fetch_add(&port->xdp.xmit_stats.xmit_err, n,
			__ATOMIC_RELAXED);
		return 0;
	}
	rte_spinlock_lock(&txq->lock);
	if (likely(port->started &&
		   !__atomic_load_n(&port->paused, __ATOMIC_RELAXED)))
		i = mvneta_xdp_txq_xmit(txq, frames, n, mem, &bytes);
	mvneta_xdp_txq_flush(txq);
	port->xdp.xmit_stats.xmit += i;
	port->xdp.xmit_stats.xmit_err += n - i;
	port->xdp.xmit_stats.bytes += bytes;
	rte_spinlock_unlock(&txq->lock);
	return i;
}

static struct mvneta_xdp_txq *
xdp_ring_start(struct mvneta_xdp_port *port, uint16_t hwq, uint16_t size,
		int socket, bool direct)
{
	struct mvneta_xdp_txq *txq;

	txq = mvneta_xdp_txq_alloc(port, hwq, size, socket);
	if (txq == NULL)
		return NULL;
	txq->direct_return = direct;
	if (mvneta_xdp_txq_start(txq) != 0) {
		mvneta_xdp_txq_free(txq);
		return NULL;
	}
	return txq;
}

static void
xdp_ring_stop(struct mvneta_xdp_txq *txq)
{
	if (txq == NULL)
		return;
	mvneta_xdp_txq_stop(txq);
	mvneta_xdp_txq_free(txq);
}

/* TX queues: the application's first, then one XDP_TX ring per RX queue
 * while a program is attached; the last one takes frames redirected in. */
static int
xdp_tx_rings_fit(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = dev->data->dev_private;
	uint16_t need = dev->data->nb_tx_queues + dev->data->nb_rx_queues;

	if (need > MVNETA_XDP_XMIT_HWQ) {
		MVNETA_LOG(ERR, "%s: XDP needs a TX ring per RX queue: %u TX + %u RX queues exceed the %d rings",
			port->name, dev->data->nb_tx_queues,
			dev->data->nb_rx_queues, MVNETA_XDP_XMIT_HWQ);
		return -EBUSY;
	}
	return 0;
}

int
mvneta_xdp_rings_start(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = dev->data->dev_private;
	struct mvneta_xdp_xdp *x = &port->xdp;
	int socket = dev->device->numa_node;
	uint16_t q;

	for (q = 0; x->prog != NULL && q < dev->data->nb_rx_queues; q++) {
		struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[q];

		if (xdp_tx_rings_fit(dev) != 0)
			goto err;
		x->tx_ring[q] = xdp_ring_start(port,
			dev->data->nb_tx_queues + q,
			x->tx_ring_size != 0 ? x->tx_ring_size : rxq->size,
			rxq->socket, true);
		if (x->tx_ring[q] == NULL)
			goto err;
		rxq->xdp_tx = x->tx_ring[q];
	}
	if (dev->data->nb_tx_queues < MVNETA_XDP_XMIT_HWQ + 1) {
		struct mvneta_xdp_txq *r = xdp_ring_start(port,
			MVNETA_XDP_XMIT_HWQ, MVNETA_XDP_DEFAULT_RING, socket,
			false);

		if (r == NULL)
			goto err;
		__atomic_store_n(&x->xmit_ring, r, __ATOMIC_RELEASE);
	}
	return 0;
err:
	mvneta_xdp_rings_stop(dev);
	return -ENOMEM;
}

void
mvneta_xdp_rings_stop(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = dev->data->dev_private;
	struct mvneta_xdp_xdp *x = &port->xdp;
	struct mvneta_xdp_txq *r;
	uint16_t q;

	for (q = 0; q < NETA_MAX_QUEUES; q++) {
		xdp_ring_stop(x->tx_ring[q]);
		x->tx_ring[q] = NULL;
		if (q < dev->data->nb_rx_queues && dev->data->rx_queues[q])
			((struct mvneta_xdp_rxq *)dev->data->rx_queues[q])->xdp_tx =
				NULL;
	}
	r = x->xmit_ring;
	if (r != NULL) {
		/* Wait out a redirecting lcore, then take the ring away. */
		rte_spinlock_lock(&r->lock);
		__atomic_store_n(&x->xmit_ring, NULL, __ATOMIC_RELEASE);
		rte_spinlock_unlock(&r->lock);
		xdp_ring_stop(r);
	}
}

/* Wait until no lcore is inside a burst that started before now. */
static void
wait_bursts(const uint32_t *seq)
{
	uint32_t s = __atomic_load_n(seq, __ATOMIC_SEQ_CST);

	if (s & 1)
		while (__atomic_load_n(seq, __ATOMIC_ACQUIRE) == s)
			rte_pause();
}

void
mvneta_xdp_quiesce(struct rte_eth_dev *dev)
{
	uint16_t q;

	/* The store just made (program, paused) before the loads of the
	 * bursts' counts: pairs with the fence in burst_enter(). */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		if (dev->data->rx_queues[q] != NULL)
			wait_bursts(&((struct mvneta_xdp_rxq *)
				dev->data->rx_queues[q])->burst_seq);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		if (dev->data->tx_queues[q] != NULL)
			wait_bursts(&((struct mvneta_xdp_txq *)
				dev->data->tx_queues[q])->burst_seq);
}

int
mvneta_xdp_check_mtu(struct rte_eth_dev *dev, const struct rte_xdp_prog *prog,
		uint16_t mtu)
{
	struct mvneta_xdp_port *port = dev->data->dev_private;
	struct rte_xdp_prog_info info;
	uint32_t frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	uint16_t q;

	if (prog == NULL || rte_xdp_prog_info(prog, &info) != 0 || info.frags)
		return 0;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[q];

		if (rxq != NULL && frame > rxq->buf_size) {
			MVNETA_LOG(ERR, "%s: MTU %u needs %u-byte frames, more than one %u-byte buffer: the program %s is not frags-aware (SEC(\"xdp.frags\"))",
				port->name, mtu, frame, rxq->buf_size,
				info.name);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* dev_xdp_install(): programs of map entries never run on a device. */
static int
check_dev_attach(const struct mvneta_xdp_port *port,
		const struct rte_xdp_prog *prog)
{
	struct rte_xdp_prog_info info;
	char why[128];

	if (prog == NULL ||
	    rte_xdp_prog_check_dev_attach(prog, why, sizeof(why)) == 0)
		return 0;
	rte_xdp_prog_info(prog, &info);
	MVNETA_LOG(ERR, "%s: program %s (SEC(\"%s\")): %s", port->name,
		info.name, info.section, why);
	return -EINVAL;
}

/*
 * mvneta_xdp_setup(): a change of program presence restarts a started
 * port so its rings get the XDP layout and XDP_TX rings; a replacement is
 * an atomic swap, after which no lcore runs the old program.
 */
int
mvneta_xdp_setup(struct rte_eth_dev *dev, struct rte_xdp_prog *prog)
{
	struct mvneta_xdp_port *port = dev->data->dev_private;
	struct mvneta_xdp_xdp *x = &port->xdp;
	bool need_restart = port->started && (prog == NULL) != (x->prog == NULL);
	int ret;

	ret = check_dev_attach(port, prog);
	if (ret != 0)
		return ret;
	ret = mvneta_xdp_check_mtu(dev, prog, dev->data->mtu);
	if (ret != 0)
		return ret;
	if (prog != NULL && port->started && x->prog == NULL) {
		ret = xdp_tx_rings_fit(dev);
		if (ret != 0)
			return ret;
	}
	if (!need_restart) {
		__atomic_store_n(&x->prog, prog, __ATOMIC_SEQ_CST);
		mvneta_xdp_quiesce(dev);
		if (prog != NULL)
			x->swaps++;
		return 0;
	}

	/* Like the kernel's mvneta_stop()/mvneta_open() around the swap. */
	__atomic_store_n(&port->paused, true, __ATOMIC_SEQ_CST);
	mvneta_xdp_quiesce(dev);
	dev->dev_ops->dev_stop(dev);
	x->prog = prog;
	ret = dev->dev_ops->dev_start(dev);
	if (ret != 0)
		x->prog = NULL;
	/* Publishes the program and the rings of the restarted port. */
	__atomic_store_n(&port->paused, false, __ATOMIC_RELEASE);
	x->restarts++;
	if (ret != 0)
		MVNETA_LOG(ERR, "%s: restart for XDP failed: %s", port->name,
			rte_strerror(-ret));
	return ret;
}

int
mvneta_xdp_attach_devargs(struct rte_eth_dev *dev, const char *path,
		const char *sec, const char *verify)
{
	struct mvneta_xdp_port *port = dev->data->dev_private;
	struct rte_xdp_obj_opts opts = { .socket_id = dev->device->numa_node };
	struct rte_xdp_prog *prog = NULL;
	char err[256];

	if (verify == NULL || strcmp(verify, "auto") == 0) {
		opts.verify = RTE_XDP_VERIFY_AUTO;
	} else if (strcmp(verify, "kernel") == 0) {
		opts.verify = RTE_XDP_VERIFY_KERNEL;
	} else if (strcmp(verify, "builtin") == 0) {
		opts.verify = RTE_XDP_VERIFY_BUILTIN;
	} else {
		MVNETA_LOG(ERR, "%s: devarg xdp_verify=%s: expected kernel, builtin or auto",
			port->name, verify);
		return -EINVAL;
	}
	port->xdp.own_obj = rte_xdp_obj_open(path, &opts, err, sizeof(err));
	if (port->xdp.own_obj == NULL) {
		MVNETA_LOG(ERR, "%s: devarg xdp_prog=%s: %s", port->name, path,
			err);
		return -EINVAL;
	}
	if (rte_xdp_obj_load(port->xdp.own_obj, err, sizeof(err)) != 0) {
		MVNETA_LOG(ERR, "%s: devarg xdp_prog=%s: %s", port->name, path,
			err);
		goto err;
	}
	if (sec != NULL)
		prog = rte_xdp_obj_find_prog(port->xdp.own_obj, sec);
	else if (rte_xdp_obj_nb_progs(port->xdp.own_obj) != 0)
		prog = rte_xdp_obj_prog(port->xdp.own_obj, 0);
	if (prog == NULL) {
		MVNETA_LOG(ERR, "%s: devarg xdp_prog=%s: no program %s%s",
			port->name, path, sec != NULL ? "named " : "",
			sec != NULL ? sec : "in the object");
		goto err;
	}
	if (check_dev_attach(port, prog) != 0)
		goto err;
	port->xdp.prog = prog;
	return 0;
err:
	rte_xdp_obj_close(port->xdp.own_obj);
	port->xdp.own_obj = NULL;
	return -EINVAL;
}

void
mvneta_xdp_release(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = dev->data->dev_private;

	port->xdp.prog = NULL;
	rte_xdp_obj_close(port->xdp.own_obj);
	port->xdp.own_obj = NULL;
}

/* ndo_bpf, for the control plane (rte_xdp_native.h) */
static const struct rte_xdp_native_ops native_ops = {
	.setup = rte_pmd_mvneta_xdp_prog_attach,
	.get = rte_pmd_mvneta_xdp_prog_get,
};

/*
 * At configure (ethdev answers for the port only once probe returned): its
 * ifindex, the redirect target (ndo_xdp_xmit), the native XDP device
 * (ndo_bpf) that the control plane and telemetry ask for its program.
 */
int
mvneta_xdp_register(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = dev->data->dev_private;
	uint16_t port_id = dev->data->port_id;
	uint32_t registered;
	int ret;

	port->ifindex = rte_xdp_port_ifindex(port_id);
	/* a reconfiguration: redirecting lcores keep the registration */
	if (rte_xdp_dev_ifindex(port_id, &registered) == 0 &&
	    registered == port->ifindex)
		ret = 0;
	else
		ret = rte_xdp_dev_register(port_id, mvneta_xdp_xmit, port, 0);
	if (ret == 0)
		ret = rte_xdp_native_register(port_id, &native_ops);
	return ret;
}

/* Private API. */

static struct rte_eth_dev *
xdp_dev(uint16_t port_id)
{
	if (!rte_pmd_mvneta_xdp_is_port(port_id))
		return NULL;
	return &rte_eth_devices[port_id];
}

int
rte_pmd_mvneta_xdp_prog_attach(uint16_t port_id, struct rte_xdp_prog *prog)
{
	struct rte_eth_dev *dev = xdp_dev(port_id);
	struct mvneta_xdp_port *port;
	struct rte_xdp_obj *own;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	port = dev->data->dev_private;
	if (prog == port->xdp.prog)
		return 0;	/* already there: nothing to do */
	own = port->xdp.own_obj;
	ret = mvneta_xdp_setup(dev, prog);
	/* The program from devargs is gone once replaced. */
	if (ret == 0 && own != NULL) {
		rte_xdp_obj_close(own);
		port->xdp.own_obj = NULL;
	}
	return ret;
}

struct rte_xdp_prog *
rte_pmd_mvneta_xdp_prog_get(uint16_t port_id)
{
	struct rte_eth_dev *dev = xdp_dev(port_id);

	if (dev == NULL)
		return NULL;
	return ((struct mvneta_xdp_port *)dev->data->dev_private)->xdp.prog;
}

int
rte_pmd_mvneta_xdp_prog_query(uint16_t port_id,
		struct rte_pmd_mvneta_xdp_prog_state *st)
{
	struct rte_eth_dev *dev = xdp_dev(port_id);
	const struct mvneta_xdp_port *port;

	if (dev == NULL)
		return -ENODEV;
	if (st == NULL)
		return -EINVAL;
	port = dev->data->dev_private;
	st->prog = port->xdp.prog;
	st->restarts = port->xdp.restarts;
	st->swaps = port->xdp.swaps;
	st->ifindex = rte_xdp_port_ifindex(port_id);
	return 0;
}
