/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef MVNETA_XDP_TRACE_H
#define MVNETA_XDP_TRACE_H

#include <rte_trace_point.h>

/* trace_xdp_exception: an ABORTED or invalid verdict. */
RTE_TRACE_POINT(
	mvneta_xdp_trace_xdp_exception,
	RTE_TRACE_POINT_ARGS(uint16_t port_id, uint16_t queue_id, uint32_t act),
	rte_trace_point_emit_u16(port_id);
	rte_trace_point_emit_u16(queue_id);
	rte_trace_point_emit_u32(act);
)

#endif
