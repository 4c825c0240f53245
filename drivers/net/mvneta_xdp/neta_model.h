/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NETA_MODEL_H
#define NETA_MODEL_H

/*
 * Software model of the NETA controller: the hardware side of the rings.
 * Internal to the model and its backends; the driver sees neta_hw.h only.
 *
 * The model runs inline: reading an RX queue's status register first lets
 * the backend deliver frames (the DMA), and the TX doorbell transmits the
 * pended descriptors at once. Concurrency follows the hardware contract:
 * per queue, one driver lcore; frames from other lcores (loopback, a peer
 * port) enter an RX ring under that ring's lock.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_spinlock.h>

#include "neta_desc.h"
#include "neta_hw.h"

#define NETA_FRAME_MAX_SEGS (NETA_TX_MAX_SEGS + 1) /* + padding */

/* Devargs keys of the model and its backends (backend_keys[] in
 * neta_model.c says which backend each belongs to). */
#define NETA_ARG_BACKEND	"backend"
#define NETA_ARG_PEER		"peer"
#define NETA_ARG_RX_PCAP	"rx_pcap"
#define NETA_ARG_TX_PCAP	"tx_pcap"
#define NETA_ARG_IFACE		"iface"
#define NETA_ARG_FRAME_SIZE	"frame_size"
#define NETA_ARG_FLOWS		"flows"
#define NETA_ARG_RATE		"rate"
#define NETA_MODEL_BURST 32	/* frames moved per lock or backend call */

/* A frame as the MAC sends or receives it: scattered buffers. */
struct neta_frame {
	uint32_t len;
	uint16_t nb_segs;
	struct {
		const uint8_t *addr;
		uint32_t len;
	} seg[NETA_FRAME_MAX_SEGS];
};

struct neta_model;

struct neta_backend_ops {
	const char *name;
	/* Set up from devargs; log and return -errno on bad input. Only
	 * keys of this backend (and the driver's) are given. */
	int (*open)(struct neta_model *nm, struct rte_kvargs *kvargs);
	void (*close)(struct neta_model *nm);
	/* The driver enabled the port (device start). NULL: nothing to do. */
	void (*start)(struct neta_model *nm);
	/*
	 * The driver polls RX queue q, which has room for budget frames:
	 * deliver what arrived with neta_model_rx_frame(). NULL: frames
	 * only arrive from a transmitter (loopback, peer).
	 */
	void (*rx_poll)(struct neta_model *nm, uint16_t q, uint32_t budget);
	/* A frame leaves the port: returns false if it was dropped. */
	bool (*tx)(struct neta_model *nm, const struct neta_frame *f);
	/* Or, for a wire into receive rings: n frames at once. */
	void (*tx_burst)(struct neta_model *nm, const struct neta_frame *f,
		uint32_t n);
	/* Carrier from the backend's point of view. NULL: always up. */
	bool (*carrier)(struct neta_model *nm);
	/* MAC address the backend imposes (a Linux interface's). */
	bool (*mac)(struct neta_model *nm, struct rte_ether_addr *mac);
	/* Linux ifindex of the interface behind the port, if any. */
	uint32_t (*ifindex)(struct neta_model *nm);
};

/*
 * The bus the controllers DMA over: the CPU address of each 2 MB granule
 * of bus addresses (DPDK's IO addresses), looked up in DPDK's memory
 * segments the first time a controller touches the granule and kept
 * while DPDK keeps the memory there (neta_model_dma.c). One per process,
 * shared by every port. A two-level table covers bus addresses below
 * 2^52, as many bits as x86-64 and arm64 physical and user virtual
 * addresses have; a leaf holds 64 GiB of them and is made once one of
 * its granules is used. An entry is 0 until looked up, or when DPDK
 * does not map all of its granule with one CPU offset (an edge of
 * memory, external memory in small pages of scattered IO addresses):
 * such addresses, and those above the table, are looked up in the
 * memory segments each time.
 */
#define NETA_BUS_GRANULE_SHIFT	21
#define NETA_BUS_GRANULE	(1ULL << NETA_BUS_GRANULE_SHIFT)
#define NETA_BUS_LEAF_SHIFT	15	/* granules per leaf */
#define NETA_BUS_LEAF_SIZE	(1u << NETA_BUS_LEAF_SHIFT)
#define NETA_BUS_TABLE_BITS	52
#define NETA_BUS_LEAVES \
	(1u << (NETA_BUS_TABLE_BITS - NETA_BUS_GRANULE_SHIFT - \
		NETA_BUS_LEAF_SHIFT))

/* [NETA_BUS_LEAVES] leaves of [NETA_BUS_LEAF_SIZE] CPU addresses; an
 * unused 64 GiB has a shared leaf of zeros. */
extern uintptr_t *neta_bus_leaf[] __attribute__((visibility("hidden")));

struct neta_model_rxq {
	rte_spinlock_t lock;		/* producers of this ring */
	struct neta_rx_desc *ring;
	uint16_t size;
	uint16_t next;			/* next descriptor to fill */
	uint32_t buf_size;
	uint32_t non_occupied;		/* posted, not filled (atomic) */
	uint32_t occupied;		/* filled, not processed (atomic) */
	bool enabled;
	/* MIB share of this ring, under the lock. */
	uint64_t mib_good_frames;
	uint64_t mib_good_octets;
	uint64_t mib_discard;
} __rte_cache_aligned;

struct neta_model_txq {
	struct neta_tx_desc *ring;
	uint16_t size;
	uint16_t next;			/* next descriptor to send */
	uint32_t pending;		/* pended, not sent */
	uint32_t sent;			/* sent, not yet read (atomic) */
	bool enabled;
	/* MIB share of this ring, written by its lcore only. */
	uint64_t mib_good_frames;
	uint64_t mib_good_octets;
	uint64_t mib_dropped;
} __rte_cache_aligned;

struct neta_model {
	char name[64];
	const struct neta_backend_ops *backend;
	void *backend_priv;

	/* Registers. */
	bool port_enabled;
	bool link_admin;
	bool loopback;
	bool promisc;
	bool allmulti;
	bool rx_csum;
	uint32_t mru;
	uint16_t nb_rss_queues;
	uint32_t uc_filter_mask;
	struct rte_ether_addr uc_filter[NETA_UC_FILTERS];

	/* Peer port wiring (backend "peer"). */
	char peer_name[64];
	struct neta_model *peer;

	struct neta_model_rxq rxq[NETA_MAX_QUEUES];
	struct neta_model_txq txq[NETA_MAX_QUEUES];

	/* MIB counters of rare events, from any lcore (atomic); the per-ring
	 * counters are in rxq[] and txq[]. */
	struct neta_hw_mib mib;
};

/* Receive frames from the wire: filters, RSS, DMA into the RX rings. */
void neta_model_rx_frames(struct neta_model *nm, const struct neta_frame *f,
		uint32_t n);
/* Same, all into queue q (the backend already steered them). */
void neta_model_rx_frames_q(struct neta_model *nm, uint16_t q,
		const struct neta_frame *const *f, uint32_t n);
/* One frame. */
void neta_model_rx_frame(struct neta_model *nm, const struct neta_frame *f);
/* Same, into queue q (the backend already steered it). */
void neta_model_rx_frame_q(struct neta_model *nm, uint16_t q,
		const struct neta_frame *f);
/* RSS: which queue a frame goes to. */
uint16_t neta_model_rss_queue(const struct neta_model *nm, const uint8_t *l2,
		uint32_t len);
/* Deliver a single linear buffer (helper for backends). */
void neta_model_rx_buf(struct neta_model *nm, const void *data,
		uint32_t len);

/*
 * The controller's DMA: len bytes at bus address bus as CPU memory, NULL
 * if DPDK has no memory there (logged at debug level for nm). One table
 * walk when the granule is known and holds all len bytes.
 */
uint8_t *neta_model_dma_map_slow(const struct neta_model *nm, uint64_t bus,
		uint32_t len);

static inline uint8_t *
neta_model_dma_map(const struct neta_model *nm, uint64_t bus, uint32_t len)
{
	uint64_t g = bus >> NETA_BUS_GRANULE_SHIFT;
	uint64_t off = bus & (NETA_BUS_GRANULE - 1);
	const uintptr_t *leaf;
	uintptr_t va;

	if (likely(g >> NETA_BUS_LEAF_SHIFT < NETA_BUS_LEAVES)) {
		/* acquire: a leaf is zeroed before it is published */
		leaf = __atomic_load_n(&neta_bus_leaf[g >> NETA_BUS_LEAF_SHIFT],
			__ATOMIC_ACQUIRE);
		va = __atomic_load_n(&leaf[g & (NETA_BUS_LEAF_SIZE - 1)],
			__ATOMIC_RELAXED);
		if (likely(va != 0 && off + len <= NETA_BUS_GRANULE))
			return (uint8_t *)(va + off);
	}
	return neta_model_dma_map_slow(nm, bus, len);
}

/* The bus's life cycle and memory events, with the ports that use it
 * (neta_model_dma.c). */
int neta_model_dma_open(struct neta_model *nm);
void neta_model_dma_close(struct neta_model *nm);

/* Model registry: find a port by its vdev name (peer wiring). */
struct neta_model *neta_model_find(const char *name);

#define NETA_MIB_ADD(nm, field, v) \
	__atomic_fetch_add(&(nm)->mib.field, (v), __ATOMIC_RELAXED)

extern const struct neta_backend_ops neta_backend_loopback;
extern const struct neta_backend_ops neta_backend_peer;
extern const struct neta_backend_ops neta_backend_gen;
extern const struct neta_backend_ops neta_backend_pcap;
extern const struct neta_backend_ops neta_backend_afpacket;

extern int mvneta_xdp_logtype;
#define NETA_LOG(level, nm, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mvneta_xdp_logtype, \
		"mvneta_xdp: %s: " fmt "\n", (nm)->name, ##__VA_ARGS__)

#endif /* NETA_MODEL_H */
