/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_CPUMAP_H
#define RTE_XDP_CPUMAP_H

/**
 * @file
 * BPF_MAP_TYPE_CPUMAP targets: worker lcores, the analogue of the kernel's
 * cpumap kthreads. bpf_redirect_map(&cpu_map, key, 0) queues the frame on
 * the rte_ring of the worker started for `key` (an lcore id, or any number
 * the application chooses), flushed once per RX burst. The worker calls
 * rte_xdp_cpumap_worker_poll() in its loop: it dequeues in bulk, runs the
 * entry's program (SEC("xdp/cpumap"), named in the entry value
 * struct bpf_cpumap_val { qsize; bpf_prog } by rte_xdp_prog_handle()),
 * and hands PASS frames to the application as ordinary mbufs; REDIRECT is
 * served, DROP and invalid verdicts give the frame back, as in the kernel.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** PASS frames, ordinary mbufs the callee now owns. */
typedef void (*rte_xdp_cpumap_pass_t)(struct rte_mbuf **pkts, uint16_t n,
	void *arg);

/** Start serving cpumap key cpu with a ring of ring_size frames. */
int rte_xdp_cpumap_worker_start(uint32_t cpu, uint32_t ring_size,
	rte_xdp_cpumap_pass_t pass, void *arg);

/**
 * Stop serving: frames still queued are given back. No RX lcore may still
 * redirect to this key: delete the map entries or detach the programs
 * that name it, and let the RX lcores finish their bursts, first.
 */
void rte_xdp_cpumap_worker_stop(uint32_t cpu);

/**
 * Process up to max queued frames (call on the worker's lcore only).
 * Returns the number of frames dequeued.
 */
uint16_t rte_xdp_cpumap_worker_poll(uint32_t cpu, uint16_t max);

/** The kernel's xdp_cpumap_kthread/enqueue trace counters. */
struct rte_xdp_cpumap_stats {
	uint64_t enqueued;	/**< frames queued by RX lcores */
	uint64_t enqueue_drops;	/**< ring full, no worker or qsize 0 */
	uint64_t processed;	/**< frames the worker dequeued */
	uint64_t pass;
	uint64_t drop;
	uint64_t redirect;
};

int rte_xdp_cpumap_worker_stats(uint32_t cpu, struct rte_xdp_cpumap_stats *st);

#ifdef __cplusplus
}
#endif

#endif
