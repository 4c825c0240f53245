/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_COMPAT_TRACE_H
#define XDP_COMPAT_TRACE_H

/*
 * The library's trace points (registered in xdp_compat_trace_points.c).
 * Enable them with the EAL option --trace=lib.xdp_compat.*; while one is
 * off, emitting it costs a load and a branch.
 */

#include <rte_trace_point.h>

/* trace_xdp_exception in generic mode: a frame dropped on XDP_ABORTED or
 * an invalid verdict (act: the verdict). */
RTE_TRACE_POINT(
	xdpc_trace_xdp_exception,
	RTE_TRACE_POINT_ARGS(uint16_t port_id, uint16_t queue_id, uint32_t act),
	rte_trace_point_emit_u16(port_id);
	rte_trace_point_emit_u16(queue_id);
	rte_trace_point_emit_u32(act);
)

#endif
