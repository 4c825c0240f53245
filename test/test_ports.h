/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TEST_PORTS_H
#define TEST_PORTS_H

#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#define BURST 32

struct port {
	char name[64];
	uint16_t id;
};

/* Bytes allocated from the DPDK heap of socket 0. */
size_t heap_bytes(void);

/* A net_mvneta_xdp vdev with a unique name and the given devargs. */
int port_create(struct port *p, const char *args);
/* nq RX and TX queues of `ring` descriptors, then start. */
int port_setup(const struct port *p, uint16_t nq, uint16_t ring,
	const struct rte_eth_conf *conf, struct rte_mempool *pool);
void port_destroy(const struct port *p);

/* An IPv4/UDP frame of len bytes to dst; payload bytes are seq. */
struct rte_mbuf *make_frame(struct rte_mempool *pool, uint16_t len,
	const struct rte_ether_addr *dst, uint8_t seq);
struct rte_ether_addr port_mac(uint16_t id);
/* Poll queue q until n frames arrived or about 1000 polls passed. */
unsigned int rx_all(uint16_t id, uint16_t q, struct rte_mbuf **out,
	unsigned int n);
/* TEST_SUCCESS when every buffer of pool is back. */
int check_pool_full(struct rte_mempool *pool, const char *when);

/* Close the net_mvneta_xdp ports a failed case left behind, before the
 * suite frees the pool they use. */
void close_leftover_ports(void);

/* Path of a BPF object built under build/test/bpf/<subdir>/ (subdir NULL:
 * build/test/bpf/); the last four paths stay valid. */
const char *test_bpf_obj(const char *subdir, const char *name);

/* build/test/bpf/<name>_<cpu>.o: the objects built for -mcpu=v1/v2/v3. */
const char *test_bpf_obj_cpu(const char *name, const char *cpu);

struct rte_xdp_obj;
struct rte_xdp_prog;

/* Open and load build/test/bpf/<subdir>/<name>.o (builtin policy); *prog
 * is its first program. NULL after printing the error. */
struct rte_xdp_obj *test_load_xdp(const char *subdir, const char *name,
	struct rte_xdp_prog **prog);
/* map[key] = val for a u32 -> u32 map of obj. */
int test_map_set_u32(struct rte_xdp_obj *obj, const char *map, uint32_t key,
	uint32_t val);
/* An xstat of port by name, UINT64_MAX if it has none. */
uint64_t test_xstat(uint16_t port, const char *name);

/* Capture DPDK's log lines from start to stop; stop returns them (malloc'ed:
 * free() it) after echoing them to stdout. */
int log_capture_start(void);
char *log_capture_stop(void);
/* Occurrences of what in s (0 if s is NULL). */
unsigned int count_substr(const char *s, const char *what);

/* Send cmd to this process's telemetry socket; out gets the reply. -1 if
 * there is no socket. */
int telemetry_query(const char *cmd, char *out, size_t len);

#endif
