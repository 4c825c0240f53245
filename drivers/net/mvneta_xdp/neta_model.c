/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NETA controller model: registers, the RX and TX rings seen from the
 * hardware side, the MAC's filters and MIB counters. Frames come from and
 * go to a backend (neta_backend_*.c); the DMA is in neta_model_dma.c.
 */

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_jhash.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_spinlock.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "neta_model.h"

static const struct neta_backend_ops *const backends[] = {
	&neta_backend_loopback, &neta_backend_gen, &neta_backend_peer,
	&neta_backend_pcap, &neta_backend_afpacket,
};

/*
 * Which backend each backend key belongs to. Keys that say where the wire
 * goes select their backend when backend= is absent; tuning keys do not.
 * A key of another backend than the port's is refused.
 */
static const struct {
	const char *key;
	const struct neta_backend_ops *backend;
	bool selects;
} backend_keys[] = {
	{ NETA_ARG_PEER, &neta_backend_peer, true },
	{ NETA_ARG_RX_PCAP, &neta_backend_pcap, true },
	{ NETA_ARG_TX_PCAP, &neta_backend_pcap, true },
	{ NETA_ARG_IFACE, &neta_backend_afpacket, true },
	{ NETA_ARG_FRAME_SIZE, &neta_backend_gen, false },
	{ NETA_ARG_FLOWS, &neta_backend_gen, false },
	{ NETA_ARG_RATE, &neta_backend_gen, false },
};

static int
backend_key(const char *key)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(backend_keys); i++)
		if (strcmp(key, backend_keys[i].key) == 0)
			return i;
	return -1;
}

bool
neta_hw_devarg_known(const char *key)
{
	return strcmp(key, NETA_ARG_BACKEND) == 0 || backend_key(key) >= 0;
}

/* Registry of open controllers, for peer wiring. */
#define NETA_MAX_MODELS 64
static struct neta_model *models[NETA_MAX_MODELS];
static rte_spinlock_t models_lock = RTE_SPINLOCK_INITIALIZER;

struct neta_model *
neta_model_find(const char *name)
{
	struct neta_model *nm = NULL;
	unsigned int i;

	rte_spinlock_lock(&models_lock);
	for (i = 0; i < NETA_MAX_MODELS; i++)
		if (models[i] != NULL && strcmp(models[i]->name, name) == 0) {
			nm = models[i];
			break;
		}
	rte_spinlock_unlock(&models_lock);
	return nm;
}

static int
model_register(struct neta_model *nm)
{
	unsigned int i;
	int ret = -ENOSPC;

	rte_spinlock_lock(&models_lock);
	for (i = 0; i < NETA_MAX_MODELS; i++)
		if (models[i] == NULL) {
			models[i] = nm;
			ret = 0;
			break;
		}
	rte_spinlock_unlock(&models_lock);
	return ret;
}

static void
model_unregister(struct neta_model *nm)
{
	unsigned int i;

	rte_spinlock_lock(&models_lock);
	for (i = 0; i < NETA_MAX_MODELS; i++) {
		if (models[i] == nm)
			models[i] = NULL;
		else if (models[i] != NULL &&
			 __atomic_load_n(&models[i]->peer, __ATOMIC_RELAXED) == nm)
			__atomic_store_n(&models[i]->peer, NULL, __ATOMIC_RELEASE);
	}
	rte_spinlock_unlock(&models_lock);
}

/* The backend the devargs name or imply; refuse keys of other backends. */
static const struct neta_backend_ops *
select_backend(struct neta_model *nm, const struct rte_kvargs *kv)
{
	const struct neta_backend_ops *chosen = NULL;
	const struct rte_kvargs_pair *by = NULL;
	char why[128];
	unsigned int i;
	int k;

	for (i = 0; kv != NULL && i < kv->count && by == NULL; i++)
		if (strcmp(kv->pairs[i].key, NETA_ARG_BACKEND) == 0)
			by = &kv->pairs[i];
	if (by != NULL) {
		for (i = 0; i < RTE_DIM(backends) && chosen == NULL; i++)
			if (strcmp(backends[i]->name, by->value) == 0)
				chosen = backends[i];
		if (chosen == NULL) {
			NETA_LOG(ERR, nm,
				"devarg backend=%s: unknown backend (loopback, gen, peer, pcap, iface)",
				by->value);
			return NULL;
		}
	}
	for (i = 0; kv != NULL && i < kv->count && chosen == NULL; i++) {
		k = backend_key(kv->pairs[i].key);
		if (k >= 0 && backend_keys[k].selects) {
			chosen = backend_keys[k].backend;
			by = &kv->pairs[i];
		}
	}
	if (chosen == NULL)
		chosen = &neta_backend_loopback;
	for (i = 0; kv != NULL && i < kv->count; i++) {
		k = backend_key(kv->pairs[i].key);
		if (k < 0 || backend_keys[k].backend == chosen)
			continue;
		if (by != NULL)
			snprintf(why, sizeof(why), "chosen by %s=%s", by->key,
				by->value);
		NETA_LOG(ERR, nm,
			"devarg %s=%s: a key of backend=%s, but this port's backend is %s (%s)",
			kv->pairs[i].key, kv->pairs[i].value,
			backend_keys[k].backend->name, chosen->name,
			by != NULL ? why : "the default");
		return NULL;
	}
	return chosen;
}

struct neta_hw *
neta_hw_open(const char *name, struct rte_kvargs *kvargs, int socket)
{
	struct neta_model *nm;
	unsigned int i;

	nm = rte_zmalloc_socket("neta_model", sizeof(*nm), RTE_CACHE_LINE_SIZE,
		socket);
	if (nm == NULL)
		return NULL;
	strlcpy(nm->name, name, sizeof(nm->name));
	nm->mru = RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN;
	nm->nb_rss_queues = 1;
	nm->link_admin = true;
	for (i = 0; i < NETA_MAX_QUEUES; i++)
		rte_spinlock_init(&nm->rxq[i].lock);

	nm->backend = select_backend(nm, kvargs);
	if (nm->backend == NULL)
		goto err;
	if (nm->backend->open != NULL && nm->backend->open(nm, kvargs) != 0)
		goto err;
	if (neta_model_dma_open(nm) != 0) {
		if (nm->backend->close != NULL)
			nm->backend->close(nm);
		goto err;
	}
	if (model_register(nm) != 0) {
		NETA_LOG(ERR, nm, "too many ports");
		neta_model_dma_close(nm);
		if (nm->backend->close != NULL)
			nm->backend->close(nm);
		goto err;
	}
	return (struct neta_hw *)nm;
err:
	rte_free(nm);
	return NULL;
}

void
neta_hw_close(struct neta_hw *hw)
{
	struct neta_model *nm = (struct neta_model *)hw;

	if (nm == NULL)
		return;
	model_unregister(nm);
	if (nm->backend->close != NULL)
		nm->backend->close(nm);
	neta_model_dma_close(nm);
	rte_free(nm);
}

/* Port registers. */

void
neta_hw_port_enable(struct neta_hw *hw, bool enable)
{
	struct neta_model *nm = (struct neta_model *)hw;

	nm->port_enabled = enable;
	if (enable && nm->backend->start != NULL)
		nm->backend->start(nm);
}

void
neta_hw_set_link_admin(struct neta_hw *hw, bool up)
{
	((struct neta_model *)hw)->link_admin = up;
}

bool
neta_hw_link_is_up(struct neta_hw *hw)
{
	struct neta_model *nm = (struct neta_model *)hw;

	if (!nm->port_enabled || !nm->link_admin)
		return false;
	if (nm->loopback)
		return true;
	return nm->backend->carrier == NULL || nm->backend->carrier(nm);
}

uint32_t
neta_hw_link_speed(const struct neta_hw *hw)
{
	RTE_SET_USED(hw);
	return 1000;	/* NETA: 10/100/1000 Mbps (2500 on some SoCs) */
}

void
neta_hw_set_loopback(struct neta_hw *hw, bool enable)
{
	((struct neta_model *)hw)->loopback = enable;
}

void
neta_hw_set_promisc(struct neta_hw *hw, bool enable)
{
	((struct neta_model *)hw)->promisc = enable;
}

void
neta_hw_set_allmulti(struct neta_hw *hw, bool enable)
{
	((struct neta_model *)hw)->allmulti = enable;
}

int
neta_hw_set_uc_filter(struct neta_hw *hw, unsigned int idx,
		const struct rte_ether_addr *mac, bool enable)
{
	struct neta_model *nm = (struct neta_model *)hw;

	if (idx >= NETA_UC_FILTERS)
		return -ENOSPC;
	if (enable) {
		nm->uc_filter[idx] = *mac;
		nm->uc_filter_mask |= 1u << idx;
	} else {
		nm->uc_filter_mask &= ~(1u << idx);
	}
	return 0;
}

void
neta_hw_set_rx_csum(struct neta_hw *hw, bool enable)
{
	((struct neta_model *)hw)->rx_csum = enable;
}

void
neta_hw_set_max_rx_frame(struct neta_hw *hw, uint32_t len)
{
	((struct neta_model *)hw)->mru = RTE_MIN(len, (uint32_t)NETA_MAX_FRAME);
}

void
neta_hw_set_rss(struct neta_hw *hw, uint16_t nb_rxq)
{
	((struct neta_model *)hw)->nb_rss_queues =
		RTE_MAX(RTE_MIN(nb_rxq, (uint16_t)NETA_MAX_QUEUES), 1);
}

bool
neta_hw_backend_mac(struct neta_hw *hw, struct rte_ether_addr *mac)
{
	struct neta_model *nm = (struct neta_model *)hw;

	return nm->backend->mac != NULL && nm->backend->mac(nm, mac);
}

uint32_t
neta_hw_backend_ifindex(struct neta_hw *hw)
{
	struct neta_model *nm = (struct neta_model *)hw;

	return nm->backend->ifindex != NULL ? nm->backend->ifindex(nm) : 0;
}

/* RX side: the wire into the rings. */

static uint32_t
frame_copy(const struct neta_frame *f, uint32_t off, uint8_t *dst,
		uint32_t len)
{
	uint32_t done = 0;
	uint16_t i;

	for (i = 0; i < f->nb_segs && done < len; i++) {
		uint32_t sl = f->seg[i].len;

		if (off >= sl) {
			off -= sl;
			continue;
		}
		sl = RTE_MIN(sl - off, len - done);
		memcpy(dst + done, f->seg[i].addr + off, sl);
		done += sl;
		off = 0;
	}
	return done;
}

static bool
rx_filter_pass(const struct neta_model *nm, const uint8_t *dst)
{
	struct rte_ether_addr da;
	uint32_t mask;

	if (nm->promisc)
		return true;
	/* any alignment: an XDP program may have moved the frame's head
	 * by an odd amount before XDP_TX looped it back */
	memcpy(&da, dst, sizeof(da));
	if (rte_is_multicast_ether_addr(&da))
		return nm->allmulti || rte_is_broadcast_ether_addr(&da);
	for (mask = nm->uc_filter_mask; mask != 0; mask &= mask - 1)
		if (rte_is_same_ether_addr(&da,
				&nm->uc_filter[__builtin_ctz(mask)]))
			return true;
	return false;
}

uint16_t
neta_model_rss_queue(const struct neta_model *nm, const uint8_t *l2,
		uint32_t len)
{
	const struct rte_ether_hdr *eh = (const void *)l2;
	uint32_t words[10];
	uint32_t n = 0, l4off = 0;
	uint8_t proto = 0;

	if (nm->nb_rss_queues <= 1 || len < sizeof(*eh))
		return 0;
	if (eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) &&
	    len >= sizeof(*eh) + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const void *)(eh + 1);

		memcpy(&words[0], &ip->src_addr, 8);
		n = 2;
		proto = ip->next_proto_id;
		if (!(ip->fragment_offset &
		      rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG |
				       RTE_IPV4_HDR_OFFSET_MASK)))
			l4off = sizeof(*eh) + rte_ipv4_hdr_len(ip);
	} else if (eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) &&
		   len >= sizeof(*eh) + sizeof(struct rte_ipv6_hdr)) {
		const struct rte_ipv6_hdr *ip6 = (const void *)(eh + 1);

		memcpy(&words[0], ip6->src_addr, 32);
		n = 8;
		proto = ip6->proto;
		l4off = sizeof(*eh) + sizeof(*ip6);
	} else {
		return 0;
	}
	if ((proto == IPPROTO_UDP || proto == IPPROTO_TCP) && l4off != 0 &&
	    len >= l4off + 4) {
		memcpy(&words[n], l2 + l4off, 4);
		n++;
	}
	return rte_jhash_32b(words, n, 0x5eed) % nm->nb_rss_queues;
}

/* L3/L4 status the controller reports in the first descriptor. */
static uint32_t
rx_csum_status(const uint8_t *l2, uint32_t len)
{
	const struct rte_ether_hdr *eh = (const void *)l2;
	const struct rte_ipv4_hdr *ip;
	uint32_t st = NETA_RXD_L4_OTHER, hl;

	if (len < sizeof(*eh) + sizeof(*ip) ||
	    eh->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) ?
			NETA_RXD_L3_IP6 | NETA_RXD_L4_OTHER : st;
	ip = (const void *)(eh + 1);
	hl = rte_ipv4_hdr_len(ip);
	st |= NETA_RXD_L3_IP4;
	if (hl < sizeof(*ip) || len < sizeof(*eh) + hl ||
	    rte_raw_cksum(ip, hl) != 0xffff)
		return st;
	st |= NETA_RXD_IP_HDR_OK;
	if (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG |
						     RTE_IPV4_HDR_OFFSET_MASK))
		return st;
	if (rte_be_to_cpu_16(ip->total_length) < hl ||
	    len < sizeof(*eh) + rte_be_to_cpu_16(ip->total_length))
		return st;
	if (ip->next_proto_id == IPPROTO_UDP) {
		const struct rte_udp_hdr *uh = (const void *)((const uint8_t *)ip + hl);

		st = (st & ~NETA_RXD_L4_PROTO_MASK) | NETA_RXD_L4_UDP;
		if (uh->dgram_cksum == 0 ||
		    rte_ipv4_udptcp_cksum_verify(ip, uh) == 0)
			st |= NETA_RXD_L4_CSUM_OK;
	} else if (ip->next_proto_id == IPPROTO_TCP) {
		st = (st & ~NETA_RXD_L4_PROTO_MASK) | NETA_RXD_L4_TCP;
		if (rte_ipv4_udptcp_cksum_verify(ip,
				(const uint8_t *)ip + hl) == 0)
			st |= NETA_RXD_L4_CSUM_OK;
	}
	return st;
}

/* Link, length and destination filters; counts what it refuses. */
static inline bool
rx_accept(struct neta_model *nm, const struct neta_frame *f)
{
	uint8_t dst[RTE_ETHER_ADDR_LEN];
	const uint8_t *l2 = f->seg[0].addr;

	if (unlikely(!nm->port_enabled || !nm->link_admin)) {
		NETA_MIB_ADD(nm, rx_link_down, 1);
		return false;
	}
	if (unlikely(f->len < RTE_ETHER_HDR_LEN || f->len > nm->mru)) {
		NETA_MIB_ADD(nm, rx_oversize, 1);
		return false;
	}
	if (unlikely(f->seg[0].len < RTE_ETHER_ADDR_LEN)) {
		frame_copy(f, 0, dst, sizeof(dst));
		l2 = dst;
	}
	if (!rx_filter_pass(nm, l2)) {
		NETA_MIB_ADD(nm, rx_filtered, 1);
		return false;
	}
	return true;
}

/* DMA one frame into the ring at rxq->next; the caller holds the lock
 * and checked there are `need` descriptors. */
static void
rx_dma(struct neta_model *nm, struct neta_model_rxq *rxq,
		const struct neta_frame *f, uint32_t need)
{
	uint32_t i, off, first_status = 0;

	if (nm->rx_csum) {
		uint8_t hdr[128];
		const uint8_t *l2 = f->seg[0].addr;
		uint32_t l2len = f->seg[0].len;

		if (l2len < RTE_MIN(f->len, (uint32_t)sizeof(hdr))) {
			l2len = frame_copy(f, 0, hdr, sizeof(hdr));
			l2 = hdr;
		}
		first_status = rx_csum_status(l2, l2len);
	}
	for (i = 0, off = 0; i < need; i++) {
		struct neta_rx_desc *d = &rxq->ring[rxq->next];
		uint32_t chunk = RTE_MIN(f->len - off, rxq->buf_size);
		uint32_t status = 0;
		uint8_t *buf = neta_model_dma_map(nm,
			neta_buf_addr(&d->buf_phys_addr), rxq->buf_size);

		if (i == 0)
			status |= NETA_RXD_FIRST_DESC | first_status;
		if (i == need - 1)
			status |= NETA_RXD_LAST_DESC;
		if (likely(buf != NULL)) {
			if (likely(f->nb_segs == 1))
				rte_memcpy(buf, f->seg[0].addr + off, chunk);
			else
				frame_copy(f, off, buf, chunk);
		} else {
			/* The driver posted a bus address with no memory
			 * behind it. */
			status |= NETA_RXD_ERR_SUMMARY | NETA_RXD_ERR_RESOURCE;
			chunk = 0;
		}
		d->data_size = chunk;
		d->status = status;
		off += chunk;
		if (++rxq->next == rxq->size)
			rxq->next = 0;
	}
}

/* Frames accepted by the MAC, steered to queue q: into its ring under one
 * lock; a frame that does not find enough free descriptors is discarded. */
static void
rx_deliver_q(struct neta_model *nm, uint16_t q,
		const struct neta_frame *const *f, uint32_t n)
{
	struct neta_model_rxq *rxq = &nm->rxq[q];
	uint32_t i, need, avail, used = 0, octets = 0, good = 0;

	rte_spinlock_lock(&rxq->lock);
	if (unlikely(!rxq->enabled || rxq->buf_size == 0)) {
		rxq->mib_discard += n;
		rte_spinlock_unlock(&rxq->lock);
		return;
	}
	avail = __atomic_load_n(&rxq->non_occupied, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++) {
		need = likely(f[i]->len <= rxq->buf_size) ? 1 :
			(f[i]->len + rxq->buf_size - 1) / rxq->buf_size;
		if (unlikely(need > avail - used)) {
			rxq->mib_discard++;
			continue;
		}
		rx_dma(nm, rxq, f[i], need);
		used += need;
		octets += f[i]->len;
		good++;
	}
	if (used != 0) {
		__atomic_fetch_sub(&rxq->non_occupied, used, __ATOMIC_RELAXED);
		__atomic_fetch_add(&rxq->occupied, used, __ATOMIC_RELEASE);
	}
	rxq->mib_good_frames += good;
	rxq->mib_good_octets += octets;
	rte_spinlock_unlock(&rxq->lock);
}

void
neta_model_rx_frames_q(struct neta_model *nm, uint16_t q,
		const struct neta_frame *const *f, uint32_t n)
{
	const struct neta_frame *ok[NETA_MODEL_BURST];
	uint32_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (rx_accept(nm, f[i]))
			ok[k++] = f[i];
		if (k == NETA_MODEL_BURST || (i == n - 1 && k != 0)) {
			rx_deliver_q(nm, q, ok, k);
			k = 0;
		}
	}
}

void
neta_model_rx_frames(struct neta_model *nm, const struct neta_frame *f,
		uint32_t n)
{
	const struct neta_frame *byq[NETA_MAX_QUEUES][NETA_MODEL_BURST];
	uint32_t cnt[NETA_MAX_QUEUES] = { 0 };
	uint32_t i;
	uint16_t q;

	while (n != 0) {
		uint32_t burst = RTE_MIN(n, (uint32_t)NETA_MODEL_BURST);

		for (i = 0; i < burst; i++) {
			if (!rx_accept(nm, &f[i]))
				continue;
			q = nm->nb_rss_queues > 1 ? neta_model_rss_queue(nm,
				f[i].seg[0].addr, f[i].seg[0].len) : 0;
			byq[q][cnt[q]++] = &f[i];
		}
		for (q = 0; q < NETA_MAX_QUEUES; q++)
			if (cnt[q] != 0) {
				rx_deliver_q(nm, q, byq[q], cnt[q]);
				cnt[q] = 0;
			}
		f += burst;
		n -= burst;
	}
}

void
neta_model_rx_frame_q(struct neta_model *nm, uint16_t q,
		const struct neta_frame *f)
{
	neta_model_rx_frames_q(nm, q, &f, 1);
}

void
neta_model_rx_frame(struct neta_model *nm, const struct neta_frame *f)
{
	neta_model_rx_frames(nm, f, 1);
}

void
neta_model_rx_buf(struct neta_model *nm, const void *data, uint32_t len)
{
	struct neta_frame f = {
		.len = len, .nb_segs = 1,
		.seg[0] = { .addr = data, .len = len },
	};

	neta_model_rx_frames(nm, &f, 1);
}

/* RX queue registers. */

int
neta_hw_rxq_init(struct neta_hw *hw, uint16_t q, struct neta_rx_desc *ring,
		uint16_t size, uint32_t buf_size)
{
	struct neta_model *nm = (struct neta_model *)hw;
	struct neta_model_rxq *rxq;

	if (q >= NETA_MAX_QUEUES || ring == NULL || size < NETA_MIN_RING_SIZE ||
	    size > NETA_MAX_RING_SIZE || buf_size == 0)
		return -EINVAL;
	rxq = &nm->rxq[q];
	rte_spinlock_lock(&rxq->lock);
	rxq->ring = ring;
	rxq->size = size;
	rxq->next = 0;
	rxq->buf_size = buf_size;
	rxq->non_occupied = 0;
	rxq->occupied = 0;
	rxq->enabled = true;
	rte_spinlock_unlock(&rxq->lock);
	return 0;
}

void
neta_hw_rxq_deinit(struct neta_hw *hw, uint16_t q)
{
	struct neta_model *nm = (struct neta_model *)hw;
	struct neta_model_rxq *rxq = &nm->rxq[q];

	rte_spinlock_lock(&rxq->lock);
	rxq->enabled = false;
	rxq->ring = NULL;
	rxq->non_occupied = 0;
	rxq->occupied = 0;
	rte_spinlock_unlock(&rxq->lock);
}

uint32_t
neta_hw_rxq_busy_desc_num_get(struct neta_hw *hw, uint16_t q)
{
	struct neta_model *nm = (struct neta_model *)hw;
	struct neta_model_rxq *rxq = &nm->rxq[q];
	uint32_t room;

	if (nm->backend->rx_poll != NULL && nm->port_enabled) {
		room = __atomic_load_n(&rxq->non_occupied, __ATOMIC_RELAXED);
		if (room != 0)
			nm->backend->rx_poll(nm, q, room);
	}
	return __atomic_load_n(&rxq->occupied, __ATOMIC_ACQUIRE);
}

void
neta_hw_rxq_desc_num_update(struct neta_hw *hw, uint16_t q, uint32_t rx_done,
		uint32_t rx_filled)
{
	struct neta_model_rxq *rxq = &((struct neta_model *)hw)->rxq[q];

	if (rx_done != 0)
		__atomic_fetch_sub(&rxq->occupied, rx_done, __ATOMIC_RELAXED);
	if (rx_filled != 0)
		__atomic_fetch_add(&rxq->non_occupied, rx_filled,
			__ATOMIC_RELEASE);
}

/* TX side: the rings onto the wire. */

int
neta_hw_txq_init(struct neta_hw *hw, uint16_t q, struct neta_tx_desc *ring,
		uint16_t size)
{
	struct neta_model *nm = (struct neta_model *)hw;
	struct neta_model_txq *txq;

	if (q >= NETA_MAX_QUEUES || ring == NULL || size < NETA_MIN_RING_SIZE ||
	    size > NETA_MAX_RING_SIZE)
		return -EINVAL;
	txq = &nm->txq[q];
	txq->ring = ring;
	txq->size = size;
	txq->next = 0;
	txq->pending = 0;
	txq->sent = 0;
	txq->enabled = true;
	return 0;
}

void
neta_hw_txq_deinit(struct neta_hw *hw, uint16_t q)
{
	struct neta_model_txq *txq = &((struct neta_model *)hw)->txq[q];

	/* The ring goes; the MIB counts on, like the RX side's. */
	txq->enabled = false;
	txq->ring = NULL;
	txq->size = 0;
	txq->next = 0;
	txq->pending = 0;
	txq->sent = 0;
}

/* Checksums the TX command asks for, in a private copy of the frame. */
static void
tx_csum(uint8_t *l2, uint32_t len, uint32_t cmd)
{
	uint32_t l3off = (cmd >> NETA_TX_L3_OFF_SHIFT) & 0x7f;
	uint32_t hl = ((cmd >> NETA_TX_IP_HLEN_SHIFT) & 0x1f) * 4;
	struct rte_ipv4_hdr *ip = (void *)(l2 + l3off);
	uint8_t *l4 = l2 + l3off + hl;

	if (cmd & NETA_TX_L3_IP6)
		hl = sizeof(struct rte_ipv6_hdr);
	if (l3off + hl + sizeof(struct rte_udp_hdr) > len)
		return;
	if (!(cmd & NETA_TX_L3_IP6) && (cmd & NETA_TXD_IP_CSUM)) {
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if (cmd & NETA_TX_L4_CSUM_NOT)
		return;
	if (cmd & NETA_TX_L4_UDP) {
		struct rte_udp_hdr *uh = (void *)l4;

		uh->dgram_cksum = 0;
		uh->dgram_cksum = (cmd & NETA_TX_L3_IP6) ?
			rte_ipv6_udptcp_cksum((void *)ip, uh) :
			rte_ipv4_udptcp_cksum(ip, uh);
	} else if (l3off + hl + sizeof(struct rte_tcp_hdr) <= len) {
		struct rte_tcp_hdr *th = (void *)l4;

		th->cksum = 0;
		th->cksum = (cmd & NETA_TX_L3_IP6) ?
			rte_ipv6_udptcp_cksum((void *)ip, th) :
			rte_ipv4_udptcp_cksum(ip, th);
	}
}

/* Per-lcore copy for frames whose checksums the MAC fills in. */
static RTE_DEFINE_PER_LCORE(uint8_t, bounce[NETA_MAX_FRAME]);

/* The MAC's work on a frame before the wire: padding, checksums. Returns
 * false if the frame cannot be sent. */
static bool
tx_prepare(struct neta_frame *f, uint32_t cmd)
{
	static const uint8_t zero[NETA_MIN_FRAME];

	if (f->len < NETA_MIN_FRAME && (cmd & NETA_TXD_Z_PAD)) {
		f->seg[f->nb_segs].addr = zero;
		f->seg[f->nb_segs].len = NETA_MIN_FRAME - f->len;
		f->nb_segs++;
		f->len = NETA_MIN_FRAME;
	}
	if ((cmd & (NETA_TXD_IP_CSUM | NETA_TX_L4_CSUM_NOT)) !=
	    NETA_TX_L4_CSUM_NOT) {
		/* Inserted on the wire, not in memory: work on a copy. */
		if (f->len > NETA_MAX_FRAME)
			return false;
		frame_copy(f, 0, RTE_PER_LCORE(bounce), f->len);
		tx_csum(RTE_PER_LCORE(bounce), f->len, cmd);
		f->nb_segs = 1;
		f->seg[0].addr = RTE_PER_LCORE(bounce);
		f->seg[0].len = f->len;
	}
	return true;
}

/* Put gathered frames on the wire. */
static void
tx_wire(struct neta_model *nm, struct neta_model_txq *txq,
		struct neta_frame *f, uint32_t n)
{
	uint32_t i, sent = 0;
	uint64_t octets = 0;

	if (n == 0)
		return;
	if (unlikely(!nm->port_enabled || !nm->link_admin)) {
		txq->mib_dropped += n;
		return;
	}
	if (nm->loopback || nm->backend->tx_burst != NULL) {
		/* A wire into receive rings: the receiver counts drops. */
		if (nm->loopback)
			neta_model_rx_frames(nm, f, n);
		else
			nm->backend->tx_burst(nm, f, n);
		for (i = 0; i < n; i++)
			octets += f[i].len;
		sent = n;
	} else {
		for (i = 0; i < n; i++)
			if (nm->backend->tx(nm, &f[i])) {
				sent++;
				octets += f[i].len;
			}
	}
	txq->mib_good_frames += sent;
	txq->mib_good_octets += octets;
	txq->mib_dropped += n - sent;
}

void
neta_hw_txq_pend_desc_add(struct neta_hw *hw, uint16_t q, uint32_t pend_desc)
{
	struct neta_model *nm = (struct neta_model *)hw;
	struct neta_model_txq *txq = &nm->txq[q];
	struct neta_frame fr[NETA_MODEL_BURST];
	uint32_t done = 0, nfr = 0;

	txq->pending += pend_desc;
	while (txq->pending != 0) {
		struct neta_frame *f = &fr[nfr];
		uint32_t cmd = 0, ndesc = 0, idx = txq->next;
		const struct neta_tx_desc *d = &txq->ring[idx];
		bool ok = true, last = false;

		/* A frame in one descriptor, the common case. */
		if (likely((d->command & (NETA_TXD_F_DESC | NETA_TXD_L_DESC)) ==
			   (NETA_TXD_F_DESC | NETA_TXD_L_DESC) &&
			   (d->command & (NETA_TXD_IP_CSUM |
					  NETA_TX_L4_CSUM_NOT)) ==
			   NETA_TX_L4_CSUM_NOT && d->data_size >= NETA_MIN_FRAME)) {
			const uint8_t *buf = neta_model_dma_map(nm,
				neta_buf_addr(&d->buf_phys_addr), d->data_size);

			txq->next = idx + 1 == txq->size ? 0 : idx + 1;
			txq->pending--;
			done++;
			if (unlikely(buf == NULL)) {
				txq->mib_dropped++;
				continue;
			}
			f->len = d->data_size;
			f->nb_segs = 1;
			f->seg[0].addr = buf;
			f->seg[0].len = d->data_size;
			if (++nfr == NETA_MODEL_BURST) {
				tx_wire(nm, txq, fr, nfr);
				nfr = 0;
			}
			continue;
		}
		f->len = 0;
		f->nb_segs = 0;
		while (!last && ndesc < txq->pending) {
			const uint8_t *buf;

			d = &txq->ring[idx];
			buf = neta_model_dma_map(nm,
				neta_buf_addr(&d->buf_phys_addr), d->data_size);

			if (ndesc == 0) {
				cmd = d->command;
				ok = (cmd & NETA_TXD_F_DESC) != 0;
			}
			last = (d->command & NETA_TXD_L_DESC) != 0;
			if (buf == NULL || f->nb_segs == NETA_TX_MAX_SEGS) {
				ok = false;
			} else {
				f->seg[f->nb_segs].addr = buf;
				f->seg[f->nb_segs].len = d->data_size;
				f->nb_segs++;
				f->len += d->data_size;
			}
			ndesc++;
			if (++idx == txq->size)
				idx = 0;
		}
		if (!last)
			break;	/* the rest of the frame is not pended yet */
		txq->next = idx;
		txq->pending -= ndesc;
		done += ndesc;
		if (unlikely(!ok || f->len == 0 || !tx_prepare(f, cmd))) {
			txq->mib_dropped++;
			continue;
		}
		/* A copy in the bounce buffer goes out before the next. */
		if (++nfr == NETA_MODEL_BURST || f->seg[0].addr ==
				RTE_PER_LCORE(bounce)) {
			tx_wire(nm, txq, fr, nfr);
			nfr = 0;
		}
	}
	tx_wire(nm, txq, fr, nfr);
	if (done != 0)
		__atomic_fetch_add(&txq->sent, done, __ATOMIC_RELEASE);
}

uint32_t
neta_hw_txq_sent_desc_proc(struct neta_hw *hw, uint16_t q)
{
	struct neta_model_txq *txq = &((struct neta_model *)hw)->txq[q];

	return __atomic_exchange_n(&txq->sent, 0, __ATOMIC_ACQUIRE);
}

void
neta_hw_mib_get(struct neta_hw *hw, struct neta_hw_mib *mib)
{
	struct neta_model *nm = (struct neta_model *)hw;
	unsigned int i;

	mib->rx_filtered = __atomic_load_n(&nm->mib.rx_filtered, __ATOMIC_RELAXED);
	mib->rx_oversize = __atomic_load_n(&nm->mib.rx_oversize, __ATOMIC_RELAXED);
	mib->rx_link_down = __atomic_load_n(&nm->mib.rx_link_down,
		__ATOMIC_RELAXED);
	mib->rx_good_frames = 0;
	mib->rx_good_octets = 0;
	mib->rx_discard = 0;
	mib->tx_good_frames = 0;
	mib->tx_good_octets = 0;
	mib->tx_dropped = 0;
	for (i = 0; i < NETA_MAX_QUEUES; i++) {
		const struct neta_model_rxq *rxq = &nm->rxq[i];
		const struct neta_model_txq *txq = &nm->txq[i];

		mib->rx_good_frames += rxq->mib_good_frames;
		mib->rx_good_octets += rxq->mib_good_octets;
		mib->rx_discard += rxq->mib_discard;
		mib->tx_good_frames += txq->mib_good_frames;
		mib->tx_good_octets += txq->mib_good_octets;
		mib->tx_dropped += txq->mib_dropped;
	}
}
