/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_mvneta_xdp: control path. Probe and devargs, the eth_dev_ops table,
 * queue set-up, start/stop (which fill and drain the rings like the
 * kernel's mvneta_open()/mvneta_stop()), statistics and xstats.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_jhash.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>

#include "mvneta_xdp.h"
#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_native.h"
#include "rte_xdp_redirect.h"

#define ETH_MVNETA_XDP_MAC_ARG		"mac"
#define ETH_MVNETA_XDP_PROG_ARG		"xdp_prog"
#define ETH_MVNETA_XDP_SEC_ARG		"xdp_sec"
#define ETH_MVNETA_XDP_VERIFY_ARG	"xdp_verify"
#define ETH_MVNETA_XDP_TX_RING_ARG	"xdp_tx_ring"

static const char *const driver_args[] = {
	ETH_MVNETA_XDP_MAC_ARG, ETH_MVNETA_XDP_PROG_ARG, ETH_MVNETA_XDP_SEC_ARG,
	ETH_MVNETA_XDP_VERIFY_ARG, ETH_MVNETA_XDP_TX_RING_ARG, NULL,
};

static const char *
kv_get(const struct rte_kvargs *kv, const char *key)
{
	unsigned int i;

	for (i = 0; kv != NULL && i < kv->count; i++)
		if (strcmp(kv->pairs[i].key, key) == 0)
			return kv->pairs[i].value;
	return NULL;
}

RTE_LOG_REGISTER(mvneta_xdp_logtype, pmd.net.mvneta_xdp, NOTICE);

static inline struct mvneta_xdp_port *
port_of(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

/* Largest frame the port must take: MTU + Ethernet header + one VLAN. */
static uint32_t
max_frame(uint16_t mtu)
{
	return (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
}

static int
mvneta_xdp_dev_configure(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = port_of(dev);
	const struct rte_eth_conf *conf = &dev->data->dev_conf;
	int ret;

	if (conf->rxmode.mq_mode != RTE_ETH_MQ_RX_NONE &&
	    conf->rxmode.mq_mode != RTE_ETH_MQ_RX_RSS) {
		MVNETA_LOG(ERR, "%s: RX multi-queue mode %d not supported (none, RSS)",
			port->name, conf->rxmode.mq_mode);
		return -ENOTSUP;
	}
	if (conf->lpbk_mode > 1) {
		MVNETA_LOG(ERR, "%s: loopback mode %u not supported (0, 1)",
			port->name, conf->lpbk_mode);
		return -ENOTSUP;
	}
	/* ethdev answers for the port (its ifindex) once probe returned */
	ret = mvneta_xdp_register(dev);
	if (ret != 0) {
		MVNETA_LOG(ERR, "%s: cannot be an XDP redirect target: %s",
			port->name, rte_strerror(-ret));
		return ret;
	}
	neta_hw_set_rss(port->hw, conf->rxmode.mq_mode == RTE_ETH_MQ_RX_RSS ?
		dev->data->nb_rx_queues : 1);
	neta_hw_set_rx_csum(port->hw, (conf->rxmode.offloads &
		(RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
		 RTE_ETH_RX_OFFLOAD_TCP_CKSUM)) != 0);
	return 0;
}

static int
mvneta_xdp_dev_infos_get(struct rte_eth_dev *dev,
		struct rte_eth_dev_info *info)
{
	struct mvneta_xdp_port *port = port_of(dev);

	/* The Linux interface behind the port (iface=): its ifindex is the
	 * port's for XDP too (rte_xdp_port_ifindex()). */
	info->if_index = port->hw != NULL ?
		neta_hw_backend_ifindex(port->hw) : 0;
	info->max_rx_queues = NETA_MAX_QUEUES;
	/* The last TX ring takes frames redirected to the port. */
	info->max_tx_queues = MVNETA_XDP_XMIT_HWQ;
	info->max_mac_addrs = NETA_UC_FILTERS;
	info->min_rx_bufsize = MVNETA_XDP_RX_OFFSET + RTE_ETHER_MIN_LEN;
	info->max_rx_pktlen = NETA_MAX_FRAME;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = NETA_MAX_FRAME - RTE_ETHER_HDR_LEN - RTE_VLAN_HLEN;
	info->rx_desc_lim = (struct rte_eth_desc_lim){
		.nb_max = NETA_MAX_RING_SIZE, .nb_min = NETA_MIN_RING_SIZE,
		.nb_align = 8,
	};
	info->tx_desc_lim = (struct rte_eth_desc_lim){
		.nb_max = NETA_MAX_RING_SIZE, .nb_min = NETA_MIN_RING_SIZE,
		.nb_align = 8, .nb_seg_max = NETA_TX_MAX_SEGS,
		.nb_mtu_seg_max = NETA_TX_MAX_SEGS,
	};
	info->rx_offload_capa = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	/* Flows are spread by a hash of the 5-tuple (not Toeplitz). */
	info->flow_type_rss_offloads = RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP |
		RTE_ETH_RSS_TCP;
	info->speed_capa = RTE_ETH_LINK_SPEED_10M | RTE_ETH_LINK_SPEED_100M |
		RTE_ETH_LINK_SPEED_1G;
	info->default_rxportconf.ring_size = MVNETA_XDP_DEFAULT_RING;
	info->default_txportconf.ring_size = MVNETA_XDP_DEFAULT_RING;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->default_rxconf.rx_free_thresh = 32;
	info->default_txconf.tx_free_thresh = 32;
	return 0;
}

static int
mvneta_xdp_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct mvneta_xdp_port *port = port_of(dev);
	struct rte_eth_link link = {
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_AUTONEG,
	};

	RTE_SET_USED(wait_to_complete);
	link.link_status = neta_hw_link_is_up(port->hw) ?
		RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN;
	link.link_speed = link.link_status ? neta_hw_link_speed(port->hw) :
		RTE_ETH_SPEED_NUM_NONE;
	return rte_eth_linkstatus_set(dev, &link);
}

static void
program_filters(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = port_of(dev);
	unsigned int i;

	for (i = 0; i < NETA_UC_FILTERS; i++)
		neta_hw_set_uc_filter(port->hw, i, &dev->data->mac_addrs[i],
			!rte_is_zero_ether_addr(&dev->data->mac_addrs[i]));
	neta_hw_set_promisc(port->hw, dev->data->promiscuous);
	neta_hw_set_allmulti(port->hw, dev->data->all_multicast);
}

/* A frame longer than one buffer needs RX scatter. */
static int
check_rx_fit(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct mvneta_xdp_port *port = port_of(dev);
	uint16_t q;

	if (dev->data->dev_conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER)
		return 0;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[q];

		if (rxq != NULL && max_frame(mtu) > rxq->buf_size) {
			MVNETA_LOG(ERR, "%s: MTU %u needs %u-byte buffers, rxq %u has %u: enable RX scatter",
				port->name, mtu, max_frame(mtu), q,
				rxq->buf_size);
			return -EINVAL;
		}
	}
	return 0;
}

static int
mvneta_xdp_dev_stop(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = port_of(dev);
	uint16_t q;

	neta_hw_port_enable(port->hw, false);
	port->started = false;
	/* XDP frames on the TX rings go back to the RX page pools first. */
	mvneta_xdp_rings_stop(dev);
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		if (dev->data->rx_queues[q] != NULL)
			mvneta_xdp_rxq_stop(dev->data->rx_queues[q]);
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		if (dev->data->tx_queues[q] != NULL)
			mvneta_xdp_txq_stop(dev->data->tx_queues[q]);
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	}
	port->started = false;
	dev->data->dev_started = 0;
	mvneta_xdp_link_update(dev, 0);
	return 0;
}

static int
mvneta_xdp_dev_start(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = port_of(dev);
	uint16_t q;
	int ret;

	ret = check_rx_fit(dev, dev->data->mtu);
	if (ret != 0)
		return ret;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		ret = mvneta_xdp_rxq_start(dev->data->rx_queues[q]);
		if (ret != 0)
			goto err;
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		ret = mvneta_xdp_txq_start(dev->data->tx_queues[q]);
		if (ret != 0)
			goto err;
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
	}
	ret = mvneta_xdp_check_mtu(dev, port->xdp.prog, dev->data->mtu);
	if (ret == 0)
		ret = mvneta_xdp_rings_start(dev);
	if (ret != 0)
		goto err;
	program_filters(dev);
	neta_hw_set_max_rx_frame(port->hw, max_frame(dev->data->mtu));
	neta_hw_set_loopback(port->hw, dev->data->dev_conf.lpbk_mode == 1);
	neta_hw_port_enable(port->hw, true);
	port->started = true;
	dev->data->dev_started = 1;
	mvneta_xdp_link_update(dev, 0);
	return 0;
err:
	mvneta_xdp_dev_stop(dev);
	return ret;
}

static int
mvneta_xdp_dev_set_link_up(struct rte_eth_dev *dev)
{
	neta_hw_set_link_admin(port_of(dev)->hw, true);
	return mvneta_xdp_link_update(dev, 0) < 0 ? -EIO : 0;
}

static int
mvneta_xdp_dev_set_link_down(struct rte_eth_dev *dev)
{
	neta_hw_set_link_admin(port_of(dev)->hw, false);
	return mvneta_xdp_link_update(dev, 0) < 0 ? -EIO : 0;
}

static int
mvneta_xdp_promiscuous_enable(struct rte_eth_dev *dev)
{
	neta_hw_set_promisc(port_of(dev)->hw, true);
	return 0;
}

static int
mvneta_xdp_promiscuous_disable(struct rte_eth_dev *dev)
{
	neta_hw_set_promisc(port_of(dev)->hw, false);
	return 0;
}

static int
mvneta_xdp_allmulticast_enable(struct rte_eth_dev *dev)
{
	neta_hw_set_allmulti(port_of(dev)->hw, true);
	return 0;
}

static int
mvneta_xdp_allmulticast_disable(struct rte_eth_dev *dev)
{
	neta_hw_set_allmulti(port_of(dev)->hw, false);
	return 0;
}

static int
mvneta_xdp_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	return neta_hw_set_uc_filter(port_of(dev)->hw, 0, mac, true);
}

static int
mvneta_xdp_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		uint32_t index, uint32_t vmdq)
{
	RTE_SET_USED(vmdq);
	return neta_hw_set_uc_filter(port_of(dev)->hw, index, mac, true);
}

static void
mvneta_xdp_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	neta_hw_set_uc_filter(port_of(dev)->hw, index, NULL, false);
}

static int
mvneta_xdp_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	int ret = check_rx_fit(dev, mtu);

	if (ret != 0)
		return ret;
	/* The kernel: "Illegal MTU value for XDP mode". */
	if (mvneta_xdp_check_mtu(dev, port_of(dev)->xdp.prog, mtu) != 0)
		return -EINVAL;
	neta_hw_set_max_rx_frame(port_of(dev)->hw, max_frame(mtu));
	return 0;
}

/* Queues. */

static void
mvneta_xdp_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return;
	mvneta_xdp_rxq_stop(rxq);
	rte_free(rxq->bufs);
	rte_free(rxq->descs);
	rte_free(rxq);
	dev->data->rx_queues[qid] = NULL;
}

static void
mvneta_xdp_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct mvneta_xdp_txq *txq = dev->data->tx_queues[qid];

	if (txq == NULL)
		return;
	mvneta_xdp_txq_stop(txq);
	rte_free(txq->bufs);
	rte_free(txq->descs);
	rte_free(txq);
	dev->data->tx_queues[qid] = NULL;
}

static int
check_ring_size(const struct mvneta_xdp_port *port, const char *what,
		uint16_t nb_desc)
{
	if (nb_desc < NETA_MIN_RING_SIZE || nb_desc > NETA_MAX_RING_SIZE ||
	    nb_desc % 8 != 0) {
		MVNETA_LOG(ERR, "%s: %s ring of %u descriptors: need a multiple of 8 in [%d, %d]",
			port->name, what, nb_desc, NETA_MIN_RING_SIZE,
			NETA_MAX_RING_SIZE);
		return -EINVAL;
	}
	return 0;
}

static int
mvneta_xdp_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc, unsigned int socket,
		const struct rte_eth_rxconf *conf, struct rte_mempool *mp)
{
	struct mvneta_xdp_port *port = port_of(dev);
	struct mvneta_xdp_rxq *rxq;
	uint32_t room = rte_pktmbuf_data_room_size(mp);

	if (check_ring_size(port, "RX", nb_desc) != 0)
		return -EINVAL;
	if (room < MVNETA_XDP_RX_OFFSET + RTE_ETHER_MIN_LEN) {
		MVNETA_LOG(ERR, "%s: rxq %u: mempool %s buffers of %u bytes leave no room after the %d-byte XDP headroom",
			port->name, qid, mp->name, room, MVNETA_XDP_RX_OFFSET);
		return -EINVAL;
	}
	mvneta_xdp_rx_queue_release(dev, qid);

	rxq = rte_zmalloc_socket("mvneta_xdp_rxq", sizeof(*rxq),
		RTE_CACHE_LINE_SIZE, socket);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->descs = rte_zmalloc_socket("mvneta_xdp_rx_ring",
		sizeof(struct neta_rx_desc) * nb_desc, RTE_CACHE_LINE_SIZE,
		socket);
	rxq->bufs = rte_zmalloc_socket("mvneta_xdp_rx_bufs",
		sizeof(*rxq->bufs) * nb_desc, RTE_CACHE_LINE_SIZE, socket);
	if (rxq->descs == NULL || rxq->bufs == NULL) {
		rte_free(rxq->descs);
		rte_free(rxq->bufs);
		rte_free(rxq);
		return -ENOMEM;
	}
	rxq->hw = port->hw;
	rxq->port = port;
	rxq->mp = mp;
	rxq->size = nb_desc;
	rxq->queue_id = qid;
	rxq->port_id = dev->data->port_id;
	rxq->socket = socket;
	rxq->buf_size = room - MVNETA_XDP_RX_OFFSET;
	rxq->offloads = conf->offloads | dev->data->dev_conf.rxmode.offloads;
	rxq->csum = (rxq->offloads & (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM)) != 0;
	dev->data->rx_queues[qid] = rxq;
	return 0;
}

static int
mvneta_xdp_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc, unsigned int socket,
		const struct rte_eth_txconf *conf)
{
	struct mvneta_xdp_port *port = port_of(dev);
	struct mvneta_xdp_txq *txq;

	if (check_ring_size(port, "TX", nb_desc) != 0)
		return -EINVAL;
	mvneta_xdp_tx_queue_release(dev, qid);

	txq = rte_zmalloc_socket("mvneta_xdp_txq", sizeof(*txq),
		RTE_CACHE_LINE_SIZE, socket);
	if (txq == NULL)
		return -ENOMEM;
	txq->descs = rte_zmalloc_socket("mvneta_xdp_tx_ring",
		sizeof(struct neta_tx_desc) * nb_desc, RTE_CACHE_LINE_SIZE,
		socket);
	txq->bufs = rte_zmalloc_socket("mvneta_xdp_tx_bufs",
		sizeof(*txq->bufs) * nb_desc, RTE_CACHE_LINE_SIZE, socket);
	if (txq->descs == NULL || txq->bufs == NULL) {
		rte_free(txq->descs);
		rte_free(txq->bufs);
		rte_free(txq);
		return -ENOMEM;
	}
	txq->hw = port->hw;
	txq->port = port;
	txq->size = nb_desc;
	txq->queue_id = qid;
	txq->socket = socket;
	txq->free_thresh = conf->tx_free_thresh != 0 ?
		RTE_MIN(conf->tx_free_thresh, nb_desc) : 32;
	txq->offloads = conf->offloads | dev->data->dev_conf.txmode.offloads;
	dev->data->tx_queues[qid] = txq;
	return 0;
}

static void
mvneta_xdp_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
		struct rte_eth_rxq_info *qinfo)
{
	const struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[qid];

	qinfo->mp = rxq->mp;
	qinfo->nb_desc = rxq->size;
	qinfo->scattered_rx = !!(dev->data->dev_conf.rxmode.offloads &
		RTE_ETH_RX_OFFLOAD_SCATTER);
	qinfo->rx_buf_size = rxq->buf_size;
	qinfo->conf.offloads = rxq->offloads;
}

static void
mvneta_xdp_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
		struct rte_eth_txq_info *qinfo)
{
	const struct mvneta_xdp_txq *txq = dev->data->tx_queues[qid];

	qinfo->nb_desc = txq->size;
	qinfo->conf.tx_free_thresh = txq->free_thresh;
	qinfo->conf.offloads = txq->offloads;
}

/* Statistics. */

static void
mib_since_reset(struct mvneta_xdp_port *port, struct neta_hw_mib *mib)
{
	const uint64_t *base = (const uint64_t *)&port->mib_base;
	uint64_t *v = (uint64_t *)mib;
	unsigned int i;

	neta_hw_mib_get(port->hw, mib);
	for (i = 0; i < sizeof(*mib) / sizeof(uint64_t); i++)
		v[i] -= base[i];
}

static int
mvneta_xdp_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st)
{
	struct mvneta_xdp_port *port = port_of(dev);
	struct neta_hw_mib mib;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[q];

		if (rxq == NULL)
			continue;
		st->ipackets += rxq->stats.packets;
		st->ibytes += rxq->stats.bytes;
		st->ierrors += rxq->stats.errors;
		st->rx_nombuf += rxq->stats.nombuf;
		if (q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_ipackets[q] = rxq->stats.packets;
			st->q_ibytes[q] = rxq->stats.bytes;
			st->q_errors[q] = rxq->stats.errors;
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct mvneta_xdp_txq *txq = dev->data->tx_queues[q];

		if (txq == NULL)
			continue;
		st->opackets += txq->stats.packets;
		st->obytes += txq->stats.bytes;
		st->oerrors += txq->stats.errors;
		if (q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_opackets[q] = txq->stats.packets;
			st->q_obytes[q] = txq->stats.bytes;
		}
	}
	/* XDP_TX and redirected-in frames leave through the port too. */
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[q];

		if (rxq != NULL) {
			st->opackets += rxq->stats.xdp_tx;
			st->obytes += rxq->stats.xdp_tx_bytes;
		}
	}
	st->opackets += port->xdp.xmit_stats.xmit;
	st->obytes += port->xdp.xmit_stats.bytes;
	mib_since_reset(port, &mib);
	st->imissed = mib.rx_discard;
	st->ierrors += mib.rx_oversize;
	st->oerrors += mib.tx_dropped;
	return 0;
}

static int
mvneta_xdp_stats_reset(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = port_of(dev);
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[q];

		if (rxq != NULL)
			memset(&rxq->stats, 0, sizeof(rxq->stats));
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct mvneta_xdp_txq *txq = dev->data->tx_queues[q];

		if (txq != NULL)
			memset(&txq->stats, 0, sizeof(txq->stats));
	}
	memset(&port->xdp.xmit_stats, 0, sizeof(port->xdp.xmit_stats));
	neta_hw_mib_get(port->hw, &port->mib_base);
	return 0;
}

/* xstats: XDP verdicts (the kernel driver's ethtool -S names), the MAC's
 * MIB, and the page pools'. Port-wide, then per queue. */

struct xstat_desc {
	const char *name;
	size_t off;
};

static const struct xstat_desc rx_xstats[] = {
	{ "rx_xdp_redirect", offsetof(struct mvneta_xdp_rxq_stats, xdp_redirect) },
	{ "rx_xdp_pass", offsetof(struct mvneta_xdp_rxq_stats, xdp_pass) },
	{ "rx_xdp_drop", offsetof(struct mvneta_xdp_rxq_stats, xdp_drop) },
	{ "rx_xdp_tx", offsetof(struct mvneta_xdp_rxq_stats, xdp_tx) },
	{ "rx_xdp_tx_errors", offsetof(struct mvneta_xdp_rxq_stats, xdp_tx_err) },
	{ "rx_xdp_redirect_errors",
		offsetof(struct mvneta_xdp_rxq_stats, xdp_redirect_err) },
	{ "rx_xdp_aborted", offsetof(struct mvneta_xdp_rxq_stats, xdp_aborted) },
	{ "rx_nombuf", offsetof(struct mvneta_xdp_rxq_stats, nombuf) },
};

/* Frames redirected to the port (ndo_xdp_xmit). */
static const char *const xmit_xstats[] = {
	"tx_xdp_xmit", "tx_xdp_xmit_errors",
};

static const struct xstat_desc mib_xstats[] = {
	{ "good_frames_received", offsetof(struct neta_hw_mib, rx_good_frames) },
	{ "good_octets_received", offsetof(struct neta_hw_mib, rx_good_octets) },
	{ "rx_discard", offsetof(struct neta_hw_mib, rx_discard) },
	{ "rx_filtered", offsetof(struct neta_hw_mib, rx_filtered) },
	{ "oversize_received", offsetof(struct neta_hw_mib, rx_oversize) },
	{ "rx_link_down", offsetof(struct neta_hw_mib, rx_link_down) },
	{ "good_frames_sent", offsetof(struct neta_hw_mib, tx_good_frames) },
	{ "good_octets_sent", offsetof(struct neta_hw_mib, tx_good_octets) },
	{ "tx_dropped", offsetof(struct neta_hw_mib, tx_dropped) },
};

#define NB_RX_X RTE_DIM(rx_xstats)
#define NB_XMIT_X RTE_DIM(xmit_xstats)
#define NB_MIB_X RTE_DIM(mib_xstats)
#define NB_PP_X RTE_XDP_PAGE_POOL_NB_STATS
#define NB_PORT_X (NB_RX_X + NB_XMIT_X + NB_MIB_X + NB_PP_X)

/* Port-wide first, then rx_qN_* per RX queue. */
static unsigned int
xstats_count(const struct rte_eth_dev *dev)
{
	return NB_PORT_X + dev->data->nb_rx_queues * NB_RX_X;
}

static int
mvneta_xdp_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	unsigned int n = xstats_count(dev), i, k = 0;
	uint16_t q;

	if (names == NULL || size < n)
		return n;
	for (i = 0; i < NB_RX_X; i++)
		strlcpy(names[k++].name, rx_xstats[i].name, RTE_ETH_XSTATS_NAME_SIZE);
	for (i = 0; i < NB_XMIT_X; i++)
		strlcpy(names[k++].name, xmit_xstats[i], RTE_ETH_XSTATS_NAME_SIZE);
	for (i = 0; i < NB_MIB_X; i++)
		strlcpy(names[k++].name, mib_xstats[i].name, RTE_ETH_XSTATS_NAME_SIZE);
	for (i = 0; i < NB_PP_X; i++)
		strlcpy(names[k++].name, rte_xdp_page_pool_stat_names[i],
			RTE_ETH_XSTATS_NAME_SIZE);
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		for (i = 0; i < NB_RX_X; i++)
			snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE,
				"rx_q%u_%s", q, rx_xstats[i].name + 3);
	return n;
}

static inline uint64_t
field(const void *base, size_t off)
{
	return *(const uint64_t *)((const uint8_t *)base + off);
}

static int
mvneta_xdp_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		unsigned int size)
{
	struct mvneta_xdp_port *port = port_of(dev);
	unsigned int n = xstats_count(dev), i, k;
	struct rte_xdp_page_pool_stats pp = { 0 };
	struct neta_hw_mib mib;
	uint16_t q;

	if (xs == NULL || size < n)
		return n;
	for (i = 0; i < n; i++) {
		xs[i].id = i;
		xs[i].value = 0;
	}
	k = NB_PORT_X;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[q];

		for (i = 0; i < NB_RX_X; i++, k++) {
			uint64_t v = rxq != NULL ?
				field(&rxq->stats, rx_xstats[i].off) : 0;

			xs[k].value = v;
			xs[i].value += v;
		}
		if (rxq != NULL && rxq->pp != NULL)
			rte_xdp_page_pool_get_stats(rxq->pp, &pp);
	}
	k = NB_RX_X;
	xs[k++].value = port->xdp.xmit_stats.xmit;
	xs[k++].value = port->xdp.xmit_stats.xmit_err;
	mib_since_reset(port, &mib);
	for (i = 0; i < NB_MIB_X; i++)
		xs[k++].value = field(&mib, mib_xstats[i].off);
	for (i = 0; i < NB_PP_X; i++)
		xs[k++].value = ((const uint64_t *)&pp)[i];
	return n;
}

static int
mvneta_xdp_dev_close(struct rte_eth_dev *dev)
{
	struct mvneta_xdp_port *port = port_of(dev);
	uint16_t q;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (port->started)
		mvneta_xdp_dev_stop(dev);
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		mvneta_xdp_rx_queue_release(dev, q);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		mvneta_xdp_tx_queue_release(dev, q);
	rte_xdp_native_unregister(dev->data->port_id);
	rte_xdp_dev_unregister(dev->data->port_id);
	mvneta_xdp_release(dev);
	neta_hw_close(port->hw);
	port->hw = NULL;
	return 0;
}

static const uint32_t *
mvneta_xdp_ptypes_get(struct rte_eth_dev *dev)
{
	static const uint32_t ptypes[] = {
		RTE_PTYPE_L2_ETHER,
		RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
		RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
		RTE_PTYPE_L4_TCP,
		RTE_PTYPE_L4_UDP,
		RTE_PTYPE_UNKNOWN,
	};

	/* Reported with RX checksum offload, which makes the model parse. */
	if (!(dev->data->dev_conf.rxmode.offloads &
	      (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
	       RTE_ETH_RX_OFFLOAD_TCP_CKSUM)))
		return NULL;
	return ptypes;
}

static const struct eth_dev_ops mvneta_xdp_ops = {
	.dev_configure = mvneta_xdp_dev_configure,
	.dev_start = mvneta_xdp_dev_start,
	.dev_stop = mvneta_xdp_dev_stop,
	.dev_close = mvneta_xdp_dev_close,
	.dev_set_link_up = mvneta_xdp_dev_set_link_up,
	.dev_set_link_down = mvneta_xdp_dev_set_link_down,
	.dev_infos_get = mvneta_xdp_dev_infos_get,
	.dev_supported_ptypes_get = mvneta_xdp_ptypes_get,
	.link_update = mvneta_xdp_link_update,
	.promiscuous_enable = mvneta_xdp_promiscuous_enable,
	.promiscuous_disable = mvneta_xdp_promiscuous_disable,
	.allmulticast_enable = mvneta_xdp_allmulticast_enable,
	.allmulticast_disable = mvneta_xdp_allmulticast_disable,
	.mac_addr_set = mvneta_xdp_mac_addr_set,
	.mac_addr_add = mvneta_xdp_mac_addr_add,
	.mac_addr_remove = mvneta_xdp_mac_addr_remove,
	.mtu_set = mvneta_xdp_mtu_set,
	.rx_queue_setup = mvneta_xdp_rx_queue_setup,
	.tx_queue_setup = mvneta_xdp_tx_queue_setup,
	.rx_queue_release = mvneta_xdp_rx_queue_release,
	.tx_queue_release = mvneta_xdp_tx_queue_release,
	.rxq_info_get = mvneta_xdp_rxq_info_get,
	.txq_info_get = mvneta_xdp_txq_info_get,
	.tx_done_cleanup = mvneta_xdp_tx_done_cleanup,
	.stats_get = mvneta_xdp_stats_get,
	.stats_reset = mvneta_xdp_stats_reset,
	.xstats_get = mvneta_xdp_xstats_get,
	.xstats_get_names = mvneta_xdp_xstats_get_names,
	.xstats_reset = mvneta_xdp_stats_reset,
};

/* Probe. */

static int
check_devargs(const char *name, const struct rte_kvargs *kv)
{
	unsigned int i, j;

	for (i = 0; kv != NULL && i < kv->count; i++) {
		const char *k = kv->pairs[i].key;
		bool known = neta_hw_devarg_known(k);

		for (j = 0; driver_args[j] != NULL && !known; j++)
			known = strcmp(k, driver_args[j]) == 0;
		if (!known) {
			MVNETA_LOG(ERR, "%s: unknown devarg %s (see the driver's parameter string)",
				name, k);
			return -EINVAL;
		}
		if (kv->pairs[i].value == NULL || kv->pairs[i].value[0] == '\0') {
			MVNETA_LOG(ERR, "%s: devarg %s needs a value", name, k);
			return -EINVAL;
		}
	}
	return 0;
}

/* MAC: devarg, else the backend's, else a stable one from the name. */
static int
choose_mac(struct mvneta_xdp_port *port, const struct rte_kvargs *kv,
		struct rte_ether_addr *mac)
{
	unsigned int i;
	uint32_t h;

	for (i = 0; kv != NULL && i < kv->count; i++) {
		if (strcmp(kv->pairs[i].key, ETH_MVNETA_XDP_MAC_ARG) != 0)
			continue;
		if (rte_ether_unformat_addr(kv->pairs[i].value, mac) != 0 ||
		    !rte_is_valid_assigned_ether_addr(mac)) {
			MVNETA_LOG(ERR, "%s: devarg mac=%s: not a unicast MAC address",
				port->name, kv->pairs[i].value);
			return -EINVAL;
		}
		return 0;
	}
	if (neta_hw_backend_mac(port->hw, mac))
		return 0;
	h = rte_jhash(port->name, strlen(port->name), 0);
	*mac = (struct rte_ether_addr){ .addr_bytes = { 0x02, 0x4e, 0x45,
		(uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h } };
	return 0;
}

static int
mvneta_xdp_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *params = rte_vdev_device_args(vdev);
	struct rte_kvargs *kv = NULL;
	struct rte_eth_dev *dev;
	struct mvneta_xdp_port *port;
	int ret = -EINVAL;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		MVNETA_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	if (params != NULL && params[0] != '\0') {
		kv = rte_kvargs_parse(params, NULL);
		if (kv == NULL) {
			MVNETA_LOG(ERR, "%s: cannot parse devargs \"%s\"", name,
				params);
			return -EINVAL;
		}
	}
	if (check_devargs(name, kv) != 0)
		goto out;

	dev = rte_eth_vdev_allocate(vdev, sizeof(*port));
	if (dev == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	port = dev->data->dev_private;
	port->dev = dev;
	strlcpy(port->name, name, sizeof(port->name));
	port->hw = neta_hw_open(name, kv, vdev->device.numa_node);
	if (port->hw == NULL)
		goto release;

	dev->data->mac_addrs = rte_zmalloc_socket(name,
		sizeof(struct rte_ether_addr) * NETA_UC_FILTERS, 0,
		vdev->device.numa_node);
	if (dev->data->mac_addrs == NULL) {
		ret = -ENOMEM;
		goto close_hw;
	}
	ret = choose_mac(port, kv, &dev->data->mac_addrs[0]);
	if (ret != 0)
		goto close_hw;
	neta_hw_set_uc_filter(port->hw, 0, &dev->data->mac_addrs[0], true);
	if (kv_get(kv, ETH_MVNETA_XDP_PROG_ARG) == NULL &&
	    (kv_get(kv, ETH_MVNETA_XDP_SEC_ARG) != NULL ||
	     kv_get(kv, ETH_MVNETA_XDP_VERIFY_ARG) != NULL)) {
		MVNETA_LOG(ERR, "%s: devargs xdp_sec and xdp_verify need xdp_prog",
			name);
		ret = -EINVAL;
		goto close_hw;
	}
	if (kv_get(kv, ETH_MVNETA_XDP_PROG_ARG) != NULL) {
		ret = mvneta_xdp_attach_devargs(dev,
			kv_get(kv, ETH_MVNETA_XDP_PROG_ARG),
			kv_get(kv, ETH_MVNETA_XDP_SEC_ARG),
			kv_get(kv, ETH_MVNETA_XDP_VERIFY_ARG));
		if (ret != 0)
			goto close_hw;
	}
	if (kv_get(kv, ETH_MVNETA_XDP_TX_RING_ARG) != NULL) {
		const char *v = kv_get(kv, ETH_MVNETA_XDP_TX_RING_ARG);
		char *end;
		unsigned long n = strtoul(v, &end, 0);

		if (*end != '\0' || n < NETA_MIN_RING_SIZE ||
		    n > NETA_MAX_RING_SIZE || n % 8 != 0) {
			MVNETA_LOG(ERR, "%s: devarg xdp_tx_ring=%s: need a multiple of 8 in [%d, %d]",
				name, v, NETA_MIN_RING_SIZE, NETA_MAX_RING_SIZE);
			mvneta_xdp_release(dev);
			ret = -EINVAL;
			goto close_hw;
		}
		port->xdp.tx_ring_size = n;
	}

	dev->dev_ops = &mvneta_xdp_ops;
	dev->rx_pkt_burst = mvneta_xdp_rx_burst;
	dev->tx_pkt_burst = mvneta_xdp_tx_burst;
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	rte_eth_dev_probing_finish(dev);
	MVNETA_LOG(INFO, "%s: port %u, backend ready", name,
		dev->data->port_id);
	ret = 0;
	goto out;

close_hw:
	neta_hw_close(port->hw);
release:
	rte_eth_dev_release_port(dev);
out:
	rte_kvargs_free(kv);
	return ret;
}

static int
mvneta_xdp_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0;	/* already closed */
	mvneta_xdp_dev_close(dev);
	rte_eth_dev_release_port(dev);
	return 0;
}

/* Private API. */

static struct rte_eth_dev *
our_dev(uint16_t port_id)
{
	struct rte_eth_dev *dev;

	if (!rte_eth_dev_is_valid_port(port_id))
		return NULL;
	dev = &rte_eth_devices[port_id];
	if (dev->dev_ops != &mvneta_xdp_ops)
		return NULL;
	return dev;
}

int
rte_pmd_mvneta_xdp_is_port(uint16_t port_id)
{
	return our_dev(port_id) != NULL;
}

uint32_t
rte_pmd_mvneta_xdp_ifindex(uint16_t port_id)
{
	return our_dev(port_id) != NULL ? rte_xdp_port_ifindex(port_id) : 0;
}

int
rte_pmd_mvneta_xdp_buffers_held(uint16_t port_id, uint32_t *rx, uint32_t *tx)
{
	struct rte_eth_dev *dev = our_dev(port_id);
	uint32_t r = 0, t = 0;
	uint16_t q;

	if (dev == NULL)
		return -ENODEV;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct mvneta_xdp_rxq *rxq = dev->data->rx_queues[q];

		if (rxq != NULL && rxq->pp != NULL)
			r += rte_xdp_page_pool_held(rxq->pp);
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct mvneta_xdp_txq *txq = dev->data->tx_queues[q];

		if (txq != NULL)
			t += mvneta_xdp_txq_in_use(txq);
	}
	if (rx != NULL)
		*rx = r;
	if (tx != NULL)
		*tx = t;
	return 0;
}

static struct rte_vdev_driver pmd_mvneta_xdp_drv = {
	.probe = mvneta_xdp_probe,
	.remove = mvneta_xdp_remove,
};

RTE_PMD_REGISTER_VDEV(net_mvneta_xdp, pmd_mvneta_xdp_drv);
RTE_PMD_REGISTER_PARAM_STRING(net_mvneta_xdp,
	"backend=<loopback|gen|peer|pcap|iface> "
	"peer=<vdev name> "
	"rx_pcap=<file> tx_pcap=<file> "
	"iface=<linux interface> "
	"frame_size=<bytes> flows=<n> rate=<frames/s> "
	"mac=<xx:xx:xx:xx:xx:xx> "
	"xdp_prog=<object file> xdp_sec=<program or section> "
	"xdp_verify=<kernel|builtin|auto> xdp_tx_ring=<descriptors>");
