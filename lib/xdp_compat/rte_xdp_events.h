/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_EVENTS_H
#define RTE_XDP_EVENTS_H

/**
 * @file
 * Records XDP programs send to the application, as libbpf's consumers
 * receive them in the kernel's case:
 *  - BPF_MAP_TYPE_PERF_EVENT_ARRAY and bpf_perf_event_output(): one
 *    buffer per CPU (here: per CPU slot of rte_xdp_map_nb_cpus(), the
 *    lcore ids then one for threads without one),
 *    opened and read with rte_xdp_perf_buffer_new() and
 *    rte_xdp_perf_buffer_poll(), like libbpf's perf_buffer__new() and
 *    perf_buffer__poll(). A record is the program's bytes followed, with
 *    BPF_F_CTXLEN_MASK, by that many bytes of the frame (xdpdump's packet
 *    samples), padded as the kernel pads raw samples (size + 4 rounded up
 *    to 8). Without an open buffer on the program's CPU slot, the helper
 *    returns -ENOENT, as without a perf event in the kernel.
 *  - BPF_MAP_TYPE_RINGBUF and bpf_ringbuf_output/reserve/submit/discard/
 *    query(): one buffer shared by all lcores with the kernel's record
 *    layout and positions, read with rte_xdp_ring_buffer_new() and
 *    rte_xdp_ring_buffer_consume(), like libbpf's ring_buffer__new() and
 *    ring_buffer__consume().
 * Consumers run on any lcore or thread, while programs run.
 */

#include <stddef.h>
#include <stdint.h>

#include "rte_xdp_map.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A sample from the buffer of cpu (a CPU slot: an lcore id, or the last
 * slot, of threads without one). */
typedef void (*rte_xdp_perf_sample_fn)(void *arg, unsigned int cpu,
	const void *data, uint32_t size);
/** Records lost on cpu because its buffer was full. */
typedef void (*rte_xdp_perf_lost_fn)(void *arg, unsigned int cpu,
	uint64_t lost);

struct rte_xdp_perf_buffer;

/**
 * Open a buffer of page_cnt 4 KiB pages (a power of 2) for each CPU slot
 * (rte_xdp_map_nb_cpus()) that is a slot of the PERF_EVENT_ARRAY map,
 * and put it in that slot. Returns NULL with rte_errno set (EINVAL: not a perf event
 * array or bad page_cnt, EBUSY: a slot already has a buffer, ENOMEM).
 */
struct rte_xdp_perf_buffer *rte_xdp_perf_buffer_new(struct rte_xdp_map *map,
	uint32_t page_cnt, rte_xdp_perf_sample_fn sample,
	rte_xdp_perf_lost_fn lost, void *arg);

/**
 * Deliver the records waiting in every buffer (at most max, 0: all), in
 * order per CPU. Returns the number delivered.
 */
int rte_xdp_perf_buffer_poll(struct rte_xdp_perf_buffer *pb,
	unsigned int max);

/** Take the buffers out of the map's slots and free them. */
void rte_xdp_perf_buffer_free(struct rte_xdp_perf_buffer *pb);

/**
 * A record; returning non-zero stops rte_xdp_ring_buffer_consume(),
 * which returns that value, the record consumed.
 */
typedef int (*rte_xdp_ring_buffer_sample_fn)(void *arg, void *data,
	size_t size);

struct rte_xdp_ring_buffer;

/** A consumer of a RINGBUF map. NULL with rte_errno set (EINVAL). */
struct rte_xdp_ring_buffer *rte_xdp_ring_buffer_new(struct rte_xdp_map *map,
	rte_xdp_ring_buffer_sample_fn sample, void *arg);

/**
 * Deliver the submitted records (discarded ones are skipped, a record
 * still being written stops the walk). Returns the number delivered, or
 * what a callback returned.
 */
int rte_xdp_ring_buffer_consume(struct rte_xdp_ring_buffer *rb);

void rte_xdp_ring_buffer_free(struct rte_xdp_ring_buffer *rb);

#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_EVENTS_H */
