/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver's trace points, registered here and only here: under
 * rte_trace_point_register.h an emit function describes its fields to
 * the trace library instead of recording an event, so no file that emits
 * may include it (mvneta_xdp_trace.h is what the data path includes).
 */

#include <rte_trace_point_register.h>

#include "mvneta_xdp_trace.h"

RTE_TRACE_POINT_REGISTER(mvneta_xdp_trace_xdp_exception,
	pmd.net.mvneta_xdp.xdp_exception)
