/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef MVNETA_XDP_TRACE_H
#define MVNETA_XDP_TRACE_H

/*
 * The driver's trace points (registered in mvneta_xdp_trace_points.c).
 * Enable them with the EAL option --trace=pmd.net.mvneta_xdp.*; while
 * one is off, emitting it costs a load and a branch.
 */

#include <rte_trace_point.h>

/* trace_xdp_exception: a frame dropped on XDP_ABORTED or an invalid
 * verdict (act: the verdict). */
RTE_TRACE_POINT(
	mvneta_xdp_trace_xdp_exception,
	RTE_TRACE_POINT_ARGS(uint16_t port_id, uint16_t queue_id, uint32_t act),
	rte_trace_point_emit_u16(port_id);
	rte_trace_point_emit_u16(queue_id);
	rte_trace_point_emit_u32(act);
)

#endif
