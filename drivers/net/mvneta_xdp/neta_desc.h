/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef NETA_DESC_H
#define NETA_DESC_H

/*
 * NETA descriptor formats (little-endian layout, 32 bytes each), as the
 * controller reads and writes them in software buffer management mode.
 *
 * A buffer's address is its bus address (DPDK's IO address). The NETA
 * format has 32 bits for it (buf_phys_addr); the model's one extension
 * of the format is the word after it, reserved on the hardware (RX
 * pnc_flow_id, TX hw_cmd), which carries bits 63:32, so that the two
 * make one little-endian 64-bit address (struct neta_buf_addr) and any
 * IO address layout works. On a real NETA, whose DRAM sits below 4 GiB
 * behind the address decoding windows the platform opens at probe, the
 * high word is 0 and the controller does not read it (on RX it may write
 * pnc_flow_id there at completion; the driver rewrites both words when
 * it posts the next buffer).
 */

#include <stdint.h>

#include <rte_bitops.h>

/* A buffer's bus address as descriptors hold it (see above). */
struct neta_buf_addr {
	uint32_t lo;	/* the NETA's buf_phys_addr */
	uint32_t hi;	/* bits 63:32: the model's, reserved on the NETA */
};

static inline void
neta_buf_addr_set(struct neta_buf_addr *a, uint64_t bus)
{
	a->lo = (uint32_t)bus;
	a->hi = (uint32_t)(bus >> 32);
}

static inline uint64_t
neta_buf_addr(const struct neta_buf_addr *a)
{
	return (uint64_t)a->hi << 32 | a->lo;
}

/* RX descriptor status. */
#define NETA_RXD_ERR_CRC		0x0
#define NETA_RXD_ERR_SUMMARY		RTE_BIT32(16)
#define NETA_RXD_ERR_OVERRUN		RTE_BIT32(17)
#define NETA_RXD_ERR_LEN		RTE_BIT32(18)
#define NETA_RXD_ERR_RESOURCE		(RTE_BIT32(17) | RTE_BIT32(18))
#define NETA_RXD_ERR_CODE_MASK		(RTE_BIT32(17) | RTE_BIT32(18))
#define NETA_RXD_L4_PROTO_SHIFT		21	/* 0 TCP, 1 UDP, 2 other */
#define NETA_RXD_L4_PROTO_MASK		(3u << NETA_RXD_L4_PROTO_SHIFT)
#define NETA_RXD_L4_TCP			(0u << NETA_RXD_L4_PROTO_SHIFT)
#define NETA_RXD_L4_UDP			(1u << NETA_RXD_L4_PROTO_SHIFT)
#define NETA_RXD_L4_OTHER		(2u << NETA_RXD_L4_PROTO_SHIFT)
#define NETA_RXD_L3_IP6			RTE_BIT32(24)
#define NETA_RXD_L3_IP4			RTE_BIT32(25)
#define NETA_RXD_LAST_DESC		RTE_BIT32(26)
#define NETA_RXD_FIRST_DESC		RTE_BIT32(27)
#define NETA_RXD_FIRST_LAST_DESC	(NETA_RXD_FIRST_DESC | NETA_RXD_LAST_DESC)
#define NETA_RXD_IP_HDR_OK		RTE_BIT32(29)
#define NETA_RXD_L4_CSUM_OK		RTE_BIT32(30)

struct neta_rx_desc {
	uint32_t status;	/* written by the controller */
	uint16_t reserved1;	/* pnc_info */
	uint16_t data_size;	/* bytes written into this buffer */
	/* written by the driver: where to DMA (hi: pnc_flow_id) */
	struct neta_buf_addr buf_phys_addr;
	uint32_t buf_cookie;	/* driver's own; the controller keeps it */
	uint16_t reserved3;
	uint16_t reserved4;
	uint32_t reserved5;
	uint32_t reserved6;
};

/* TX descriptor command. */
#define NETA_TX_L3_OFF_SHIFT		0
#define NETA_TX_IP_HLEN_SHIFT		8
#define NETA_TX_L4_UDP			RTE_BIT32(16)
#define NETA_TX_L3_IP6			RTE_BIT32(17)
#define NETA_TXD_IP_CSUM		RTE_BIT32(18)
#define NETA_TXD_Z_PAD			RTE_BIT32(19)
#define NETA_TXD_L_DESC			RTE_BIT32(20)
#define NETA_TXD_F_DESC			RTE_BIT32(21)
#define NETA_TXD_FLZ_DESC \
	(NETA_TXD_Z_PAD | NETA_TXD_L_DESC | NETA_TXD_F_DESC)
#define NETA_TX_L4_CSUM_FULL		RTE_BIT32(30)
#define NETA_TX_L4_CSUM_NOT		RTE_BIT32(31)

struct neta_tx_desc {
	uint32_t command;	/* written by the driver */
	uint16_t reserved1;	/* csum_l4 */
	uint16_t data_size;
	struct neta_buf_addr buf_phys_addr; /* hi: hw_cmd */
	uint32_t reserved3[4];
};

#define NETA_DESC_ALIGNED_SIZE	32
#define NETA_MAX_QUEUES		8
#define NETA_MAX_RING_SIZE	4096	/* descriptors per ring */
#define NETA_MIN_RING_SIZE	32
#define NETA_UC_FILTERS		16	/* unicast DA filter entries */
#define NETA_MAX_FRAME		9728	/* largest frame the MAC takes */
#define NETA_MIN_FRAME		60	/* shorter frames are padded */
#define NETA_TX_MAX_SEGS	31	/* descriptors one frame may take */

#endif /* NETA_DESC_H */
