/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_log.h>

#include "xdp_compat_log.h"

RTE_LOG_REGISTER(xdp_compat_logtype, lib.xdp_compat, NOTICE);
