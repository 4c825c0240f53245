/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_CAPTURE_H
#define XDP_CAPTURE_H

/*
 * Capture at XDP entry and exit (dpdk-xdp dump, xdpdump's way of seeing
 * what a program did): the run loops call xdpc_capture_run_burst()
 * instead of rte_xdp_prog_run_burst(). With no capture on the port that
 * is one load and one predictable branch per burst; with one, the
 * burst goes through xdpc_capture_burst(), which copies frames before
 * and/or after the program into the capture's ring (xdp_capture.c).
 */

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "rte_xdp_prog.h"
#include "rte_xdp_rxq_info.h"

struct xdpc_capture;

/* The capture of each port, NULL when none (the data path's test). */
extern struct xdpc_capture *xdpc_capture_slot[RTE_MAX_ETHPORTS];

/* The burst with capture: copies, the program's run, copies. */
void xdpc_capture_burst(struct xdpc_capture *cap,
	const struct rte_xdp_prog *prog, const struct rte_xdp_rxq_info *rxq,
	struct rte_mbuf **pkts, uint16_t n, uint32_t *verdicts,
	struct rte_xdp_redirect_info *redirects);

/* rte_xdp_prog_run_burst() on a port's RX queue, captured when asked. */
static inline void
xdpc_capture_run_burst(const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, struct rte_mbuf **pkts,
	uint16_t n, uint32_t *verdicts, struct rte_xdp_redirect_info *redirects)
{
	struct xdpc_capture *cap = __atomic_load_n(
		&xdpc_capture_slot[rxq->port_id], __ATOMIC_RELAXED);

	if (likely(cap == NULL))
		rte_xdp_prog_run_burst(prog, rxq, pkts, n, verdicts, redirects);
	else
		xdpc_capture_burst(cap, prog, rxq, pkts, n, verdicts,
			redirects);
}

/* Control side (xdp_ctl_server.c), under its lock. */
struct xdpc_capture_req {
	uint16_t port_id;
	uint32_t points;	/* RTE_XDP_CTL_CAPTURE_ENTRY | _EXIT */
	uint32_t snaplen;
	uint32_t nb_frames;
};

/* Start a capture for session sid; its ring and pool names go to the
 * caller. Negative errno with a message in err. */
int xdpc_capture_start(uint32_t sid, const struct xdpc_capture_req *req,
	char *ring_name, char *pool_name, size_t name_len,
	char *err, size_t err_len);

/* Frames captured and dropped (ring full, pool empty) so far. */
int xdpc_capture_stats(uint32_t sid, uint16_t port_id, uint64_t *captured,
	uint64_t *dropped);

/* End the capture of port_id (any port: UINT16_MAX) that session sid
 * holds; 0, or -ENOENT when it holds none. */
int xdpc_capture_stop(uint32_t sid, uint16_t port_id);

#endif /* XDP_CAPTURE_H */
