/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NETA_HW_H
#define NETA_HW_H

/*
 * The NETA controller as the driver sees it: descriptor rings in memory
 * and a register interface, expressed here as one function per register
 * access the driver makes (named after the kernel driver's accessors).
 *
 * The driver includes only this header and neta_desc.h. neta_model.c
 * implements it by playing the controller in software; a real-hardware
 * implementation (UIO register mapping, MUSDK) would implement the same
 * functions without touching the driver.
 *
 * DMA: a descriptor carries its buffer's bus address, the buffer's own
 * IO address (neta_desc.h). The controller's address decoding windows
 * (MVNETA_WIN_BASE/SIZE/REMAP) are platform set-up, not per-buffer
 * state: a real-hardware neta_hw_open() opens them over the SoC's DRAM
 * as the kernel's mvneta_conf_mbus_windows() does at probe (on Armada
 * 3700 one window over all 4 GiB), and the driver never sees them. The
 * model decodes any 64-bit bus address (neta_model_dma.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "neta_desc.h"

struct neta_hw;
struct rte_kvargs;

/* Controller life cycle: devargs select the model's backend. */
struct neta_hw *neta_hw_open(const char *name, struct rte_kvargs *kvargs,
		int socket);
void neta_hw_close(struct neta_hw *hw);
/* Whether neta_hw_open() takes this devargs key (backend=, backends'). */
bool neta_hw_devarg_known(const char *key);

/* Port. */
void neta_hw_port_enable(struct neta_hw *hw, bool enable);
bool neta_hw_link_is_up(struct neta_hw *hw);
void neta_hw_set_link_admin(struct neta_hw *hw, bool up);
uint32_t neta_hw_link_speed(const struct neta_hw *hw); /* Mbps */
void neta_hw_set_loopback(struct neta_hw *hw, bool enable);
void neta_hw_set_promisc(struct neta_hw *hw, bool enable);
void neta_hw_set_allmulti(struct neta_hw *hw, bool enable);
/* Unicast destination filter table entry (the port MAC is entry 0). */
int neta_hw_set_uc_filter(struct neta_hw *hw, unsigned int idx,
		const struct rte_ether_addr *mac, bool enable);
/* Report L3/L4 checksum status in RX descriptors. */
void neta_hw_set_rx_csum(struct neta_hw *hw, bool enable);
/* Largest frame accepted, without FCS (the MRU register). */
void neta_hw_set_max_rx_frame(struct neta_hw *hw, uint32_t len);
/* Spread flows over the first nb_rxq queues by a 5-tuple hash. */
void neta_hw_set_rss(struct neta_hw *hw, uint16_t nb_rxq);
/* Backend-given MAC address, if any (AF_PACKET interface). */
bool neta_hw_backend_mac(struct neta_hw *hw, struct rte_ether_addr *mac);
/* Linux ifindex of the backend's interface, 0 if none. */
uint32_t neta_hw_backend_ifindex(struct neta_hw *hw);

/* RX queue: ring of size descriptors, buffers of buf_size bytes from
 * each descriptor's address. */
int neta_hw_rxq_init(struct neta_hw *hw, uint16_t q,
		struct neta_rx_desc *ring, uint16_t size, uint32_t buf_size);
void neta_hw_rxq_deinit(struct neta_hw *hw, uint16_t q);
/* MVNETA_RXQ_STATUS_REG: descriptors the controller filled. */
uint32_t neta_hw_rxq_busy_desc_num_get(struct neta_hw *hw, uint16_t q);
/* MVNETA_RXQ_STATUS_UPDATE_REG: rx_done processed, rx_filled refilled. */
void neta_hw_rxq_desc_num_update(struct neta_hw *hw, uint16_t q,
		uint32_t rx_done, uint32_t rx_filled);

/* TX queue. */
int neta_hw_txq_init(struct neta_hw *hw, uint16_t q,
		struct neta_tx_desc *ring, uint16_t size);
void neta_hw_txq_deinit(struct neta_hw *hw, uint16_t q);
/* MVNETA_TXQ_UPDATE_REG: pend new descriptors for transmission. */
void neta_hw_txq_pend_desc_add(struct neta_hw *hw, uint16_t q,
		uint32_t pend_desc);
/* MVNETA_TXQ_STATUS_REG: descriptors sent since the last read (cleared). */
uint32_t neta_hw_txq_sent_desc_proc(struct neta_hw *hw, uint16_t q);

/* MIB counters (the MAC's, port-wide). */
struct neta_hw_mib {
	uint64_t rx_good_frames;
	uint64_t rx_good_octets;
	uint64_t rx_discard;	/* no RX descriptor posted */
	uint64_t rx_filtered;	/* destination address filter */
	uint64_t rx_oversize;	/* longer than the MRU, or no header */
	uint64_t rx_link_down;	/* arrived while the port was down */
	uint64_t tx_good_frames;
	uint64_t tx_good_octets;
	uint64_t tx_dropped;	/* backend could not send */
};
void neta_hw_mib_get(struct neta_hw *hw, struct neta_hw_mib *mib);

#endif /* NETA_HW_H */
