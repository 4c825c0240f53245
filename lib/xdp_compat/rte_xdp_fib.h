/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_FIB_H
#define RTE_XDP_FIB_H

/**
 * @file
 * The FIB behind bpf_fib_lookup() (helper 69): what the kernel's
 * net/core/filter.c bpf_ipv4_fib_lookup()/bpf_ipv6_fib_lookup() consult
 * in the kernel's tables, held here in DPDK memory:
 *  - interfaces: ifindex (the one programs and devmaps use) → own MAC,
 *    MTU, forwarding on/off, addresses (for BPF_FIB_LOOKUP_SRC);
 *  - routes: IPv4 and IPv6 longest prefix match (rte_rib, rte_rib6), of
 *    type unicast (connected or via a gateway), local, blackhole,
 *    unreachable, prohibit, with metric, MTU and preferred source;
 *  - neighbours: (ifindex, address) → MAC.
 * Filled from a configuration file, from the Linux kernel's own tables
 * over netlink (RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE, RTM_GETNEIGH), or
 * by the calls below.
 *
 * A FIB is built, then published with rte_xdp_fib_set_default(): programs
 * then look it up from any lcore. It is not changed once published; to
 * change routes while traffic runs, build a new one, publish it and free
 * the previous one once no lcore can still be in a lookup (e.g. after
 * rte_rcu_qsbr_synchronize(), or a stop of the RX loops).
 *
 * Semantics are the kernel's (6.1): flags BPF_FIB_LOOKUP_DIRECT (main
 * table only, no local table), BPF_FIB_LOOKUP_OUTPUT (ifindex is the
 * output device: routes through another device are skipped),
 * BPF_FIB_LOOKUP_SKIP_NEIGH, BPF_FIB_LOOKUP_TBID (with DIRECT: only the
 * main table, 254, exists here), BPF_FIB_LOOKUP_SRC; results
 * BPF_FIB_LKUP_RET_*, with ifindex, smac, dmac, rt_metric, mtu_result and,
 * for a gateway route, the gateway in ipv4_dst/ipv6_dst; -EINVAL,
 * -EAFNOSUPPORT and -ENODEV (unknown ifindex) as the kernel returns them.
 * Not modelled: policy routing rules, multipath, VRFs, lightweight
 * tunnels, VLAN results (h_vlan_* are always 0, as in the kernel).
 */

#include <stdint.h>

#include <rte_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

/** struct bpf_fib_lookup (uapi linux/bpf.h), same layout: 64 bytes. */
struct rte_xdp_fib_lookup {
	uint8_t family;		/**< AF_INET, AF_INET6; out: of the nexthop */
	uint8_t l4_protocol;
	uint16_t sport;		/**< network order */
	uint16_t dport;		/**< network order */
	union {
		uint16_t tot_len;	/**< in: L3 length (MTU check) */
		uint16_t mtu_result;	/**< out: MTU */
	} __rte_packed;
	uint32_t ifindex;	/**< in: ingress (or egress, OUTPUT); out: egress */
	union {
		uint8_t tos;		/**< in: AF_INET */
		uint32_t flowinfo;	/**< in: AF_INET6 */
		uint32_t rt_metric;	/**< out */
	};
	union {
		uint32_t ipv4_src;	/**< network order */
		uint32_t ipv6_src[4];
	};
	union {
		uint32_t ipv4_dst;	/**< in: destination; out: nexthop */
		uint32_t ipv6_dst[4];
	};
	union {
		struct {
			uint16_t h_vlan_proto;
			uint16_t h_vlan_TCI;
		};
		uint32_t tbid;		/**< in, with DIRECT|TBID */
	};
	uint8_t smac[6];
	uint8_t dmac[6];
};

/* Flags and results: the kernel's values. */
#define RTE_XDP_FIB_LOOKUP_DIRECT	(1u << 0)
#define RTE_XDP_FIB_LOOKUP_OUTPUT	(1u << 1)
#define RTE_XDP_FIB_LOOKUP_SKIP_NEIGH	(1u << 2)
#define RTE_XDP_FIB_LOOKUP_TBID		(1u << 3)
#define RTE_XDP_FIB_LOOKUP_SRC		(1u << 4)

enum {
	RTE_XDP_FIB_LKUP_RET_SUCCESS,
	RTE_XDP_FIB_LKUP_RET_BLACKHOLE,
	RTE_XDP_FIB_LKUP_RET_UNREACHABLE,
	RTE_XDP_FIB_LKUP_RET_PROHIBIT,
	RTE_XDP_FIB_LKUP_RET_NOT_FWDED,
	RTE_XDP_FIB_LKUP_RET_FWD_DISABLED,
	RTE_XDP_FIB_LKUP_RET_UNSUPP_LWT,
	RTE_XDP_FIB_LKUP_RET_NO_NEIGH,
	RTE_XDP_FIB_LKUP_RET_FRAG_NEEDED,
	RTE_XDP_FIB_LKUP_RET_NO_SRC_ADDR,
};

/** Route types: the kernel's RTN_* values. */
enum rte_xdp_fib_rt_type {
	RTE_XDP_FIB_RT_UNICAST = 1,
	RTE_XDP_FIB_RT_LOCAL = 2,
	RTE_XDP_FIB_RT_BROADCAST = 3,
	RTE_XDP_FIB_RT_BLACKHOLE = 6,
	RTE_XDP_FIB_RT_UNREACHABLE = 7,
	RTE_XDP_FIB_RT_PROHIBIT = 8,
};

#define RTE_XDP_FIB_TABLE_MAIN	254
#define RTE_XDP_FIB_TABLE_LOCAL	255

#define RTE_XDP_FIB_IFNAMSIZ	16
#define RTE_XDP_FIB_MAX_IFS	64
#define RTE_XDP_FIB_IF_ADDRS	4

struct rte_xdp_fib;

struct rte_xdp_fib_conf {
	uint32_t max_routes;	/**< per family; 0: 4096 */
	uint32_t max_neighs;	/**< 0: 4096 */
	int socket_id;
};

/** An interface. Addresses are in network order (IPv4 in addr[0..3]). */
struct rte_xdp_fib_if {
	char name[RTE_XDP_FIB_IFNAMSIZ];	/**< for files and the kernel */
	uint32_t ifindex;
	struct rte_ether_addr mac;
	uint16_t mtu;			/**< 0: 1500 */
	uint8_t forwarding;		/**< IPv4: 1 on, 0 off */
	uint8_t forwarding6;		/**< IPv6 */
	uint8_t nb_addr4, nb_addr6;
	uint8_t addr4[RTE_XDP_FIB_IF_ADDRS][4];
	uint8_t addr6[RTE_XDP_FIB_IF_ADDRS][16];
};

/** A route. Addresses in network order; IPv4 ones in the first 4 bytes. */
struct rte_xdp_fib_route {
	uint8_t family;		/**< AF_INET, AF_INET6 */
	uint8_t depth;		/**< prefix length */
	uint8_t type;		/**< enum rte_xdp_fib_rt_type */
	uint8_t gw_family;	/**< 0: on link; AF_INET, AF_INET6 */
	uint8_t dst[16];
	uint8_t gw[16];
	uint8_t prefsrc[16];	/**< all zero: none */
	uint32_t ifindex;	/**< output interface (unicast, local) */
	uint32_t metric;
	uint32_t mtu;		/**< 0: the interface's */
	uint32_t table;		/**< 0: main, or RTE_XDP_FIB_TABLE_LOCAL */
};

/** Create an empty FIB; NULL with rte_errno set. */
struct rte_xdp_fib *rte_xdp_fib_create(const char *name,
	const struct rte_xdp_fib_conf *conf);

/** Free a FIB that is not published (NULL is ignored). */
void rte_xdp_fib_free(struct rte_xdp_fib *fib);

/** Add or replace an interface (by ifindex). -ENOSPC past MAX_IFS. */
int rte_xdp_fib_if_add(struct rte_xdp_fib *fib,
	const struct rte_xdp_fib_if *ifc);

/** The interface with that name or ifindex; NULL if none. */
const struct rte_xdp_fib_if *rte_xdp_fib_if_by_name(
	const struct rte_xdp_fib *fib, const char *name);
const struct rte_xdp_fib_if *rte_xdp_fib_if_get(const struct rte_xdp_fib *fib,
	uint32_t ifindex);

/**
 * Add a route. A route to the same prefix in the same table replaces the
 * previous one when its metric is lower or equal (the kernel keeps both
 * and uses the lowest metric). -EINVAL: bad family, depth or type; -ENODEV:
 * unicast route through an unknown interface; -ENOSPC.
 */
int rte_xdp_fib_route_add(struct rte_xdp_fib *fib,
	const struct rte_xdp_fib_route *r);

/** Add or replace a neighbour: addr (4 or 16 bytes, network order). */
int rte_xdp_fib_neigh_add(struct rte_xdp_fib *fib, uint8_t family,
	const void *addr, uint32_t ifindex, const struct rte_ether_addr *mac);

/**
 * Read a configuration file (one statement a line, '#' comments):
 *
 *	iface NAME ifindex N mac XX:XX:XX:XX:XX:XX [mtu N] [noforward]
 *	      [addr A.B.C.D] [addr6 X::Y]
 *	addr ADDR dev NAME
 *	route PREFIX/LEN [via GW] dev NAME [metric N] [mtu N] [src ADDR]
 *	route blackhole|unreachable|prohibit|local PREFIX/LEN [dev NAME]
 *	neigh ADDR lladdr XX:XX:XX:XX:XX:XX dev NAME
 *
 * NAME is an interface's name (added before, by a line or a call) or its
 * ifindex; PREFIX, GW and ADDR are IPv4 or IPv6; "default" is 0.0.0.0/0
 * (::/0 for IPv6). An interface's own addresses (iface ... addr, addr
 * lines) also add local routes: frames to them are not forwarded. A route
 * to a prefix already there replaces it unless its metric is higher.
 * On error, err holds
 * "FILE:LINE: reason" and nothing of the line is applied.
 * @return number of statements applied, or a negative errno.
 */
int rte_xdp_fib_load_file(struct rte_xdp_fib *fib, const char *path,
	char *err, size_t err_len);

/**
 * Read the Linux kernel's tables of this process's network namespace
 * (netlink): for each interface of the FIB, the kernel interface with the
 * same name gives its addresses, forwarding settings (unless
 * keep_settings), and the routes (main and local tables), and neighbours
 * through it, with the kernel's ifindex translated to the FIB's. Routes
 * and neighbours of other kernel interfaces are ignored: their traffic
 * goes to the stack (XDP_PASS), which routes it. Local and broadcast
 * routes are kept whatever their interface.
 * @return number of routes and neighbours read, or a negative errno.
 */
int rte_xdp_fib_load_kernel(struct rte_xdp_fib *fib, int keep_settings,
	char *err, size_t err_len);

/**
 * A digest of everything added to the FIB, in order: two FIBs built from
 * the same input have the same digest (a refresh that changed nothing
 * need not be published).
 */
uint64_t rte_xdp_fib_digest(const struct rte_xdp_fib *fib);

/** Entries held: routes per family, neighbours. */
void rte_xdp_fib_count(const struct rte_xdp_fib *fib, uint32_t *routes4,
	uint32_t *routes6, uint32_t *neighs);

/**
 * bpf_fib_lookup() on this FIB. plen: size of *params (>= 64).
 * @return RTE_XDP_FIB_LKUP_RET_* (>= 0) or a negative errno, as the kernel.
 */
int rte_xdp_fib_lookup(const struct rte_xdp_fib *fib,
	struct rte_xdp_fib_lookup *params, int plen, uint32_t flags);

/**
 * Publish fib as the one bpf_fib_lookup() uses (NULL: none; lookups then
 * give -ENODEV). Returns the previously published one.
 */
struct rte_xdp_fib *rte_xdp_fib_set_default(struct rte_xdp_fib *fib);

/** The published FIB, NULL if none. */
struct rte_xdp_fib *rte_xdp_fib_get_default(void);

/**
 * The helper for the runtime's helper table: id 69, "fib_lookup", four
 * arguments (ctx, params, plen, flags) as in the kernel's
 * bpf_xdp_fib_lookup_proto; the fifth is not used. Looks up the published
 * FIB. Realigns the stack (rte_bpf's JIT calls helpers misaligned).
 */
uint64_t xdpc_helper_fib_lookup(uint64_t ctx, uint64_t params, uint64_t plen,
	uint64_t flags, uint64_t unused);

#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_FIB_H */
