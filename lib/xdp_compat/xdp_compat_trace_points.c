/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The library's trace points, registered here and only here: under
 * rte_trace_point_register.h an emit function describes its fields to
 * the trace library instead of recording an event, so no file that emits
 * may include it (xdp_compat_trace.h is what the data path includes).
 */

#include <rte_trace_point_register.h>

#include "xdp_compat_trace.h"

RTE_TRACE_POINT_REGISTER(xdpc_trace_xdp_exception,
	lib.xdp_compat.xdp_exception)
