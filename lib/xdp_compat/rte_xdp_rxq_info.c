/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "rte_xdp_rxq_info.h"
#include "xdp_compat_log.h"

#define REG_STATE_REGISTERED 0x5844505au /* "XDPZ" */

int
rte_xdp_rxq_info_reg(struct rte_xdp_rxq_info *rxq, uint16_t port_id,
		uint32_t ifindex, uint16_t queue_index, uint32_t frag_size)
{
	if (rxq == NULL)
		return -EINVAL;
	memset(rxq, 0, sizeof(*rxq));
	rxq->port_id = port_id;
	rxq->ifindex = ifindex;
	rxq->queue_index = queue_index;
	rxq->frag_size = frag_size;
	rxq->mem.type = RTE_XDP_MEM_TYPE_PAGE_SHARED;
	rxq->reg_state = REG_STATE_REGISTERED;
	return 0;
}

int
rte_xdp_rxq_info_reg_mem_model(struct rte_xdp_rxq_info *rxq,
		enum rte_xdp_mem_type type, void *allocator)
{
	if (rxq == NULL || rxq->reg_state != REG_STATE_REGISTERED ||
	    type >= RTE_XDP_MEM_TYPE_MAX)
		return -EINVAL;
	if (type == RTE_XDP_MEM_TYPE_PAGE_POOL && allocator == NULL) {
		XDPC_LOG(ERR, "rxq %u/%u: MEM_TYPE_PAGE_POOL needs a page pool",
			rxq->port_id, rxq->queue_index);
		return -EINVAL;
	}
	rxq->mem.type = type;
	if (type == RTE_XDP_MEM_TYPE_PAGE_POOL)
		rxq->mem.page_pool = allocator;
	return 0;
}

void
rte_xdp_rxq_info_unreg(struct rte_xdp_rxq_info *rxq)
{
	if (rxq != NULL)
		memset(rxq, 0, sizeof(*rxq));
}

int
rte_xdp_rxq_info_is_reg(const struct rte_xdp_rxq_info *rxq)
{
	return rxq != NULL && rxq->reg_state == REG_STATE_REGISTERED;
}

void
rte_xdp_return_frame(const struct rte_xdp_mem_info *mem, struct rte_mbuf *m,
		int napi_direct)
{
	struct rte_mbuf *next;

	switch (mem->type) {
	case RTE_XDP_MEM_TYPE_PAGE_POOL:
		for (; m != NULL; m = next) {
			next = m->next;
			rte_xdp_page_pool_put_page(mem->page_pool, m, UINT32_MAX,
				napi_direct);
		}
		break;
	case RTE_XDP_MEM_TYPE_XSK_BUFF_POOL:
		mem->xsk.free(m, mem->xsk.arg);
		break;
	default:
		rte_pktmbuf_free(m);
		break;
	}
}
