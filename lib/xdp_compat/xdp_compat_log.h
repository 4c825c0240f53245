/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_COMPAT_LOG_H
#define XDP_COMPAT_LOG_H

#include <rte_log.h>

extern int xdp_compat_logtype;

#define XDPC_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, xdp_compat_logtype, \
		"xdp_compat: " fmt "\n", ##__VA_ARGS__)

#endif
