/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bpf_fib_lookup() on tables in DPDK memory (rte_xdp_fib.h): the lookup
 * with the kernel's semantics (net/core/filter.c, bpf_ipv4_fib_lookup and
 * bpf_ipv6_fib_lookup, step by step in the same order, so that the fields
 * a failed lookup leaves behind are the kernel's too), the tables
 * (interfaces, rte_rib/rte_rib6 routes per table, an rte_hash of
 * neighbours), a configuration file reader and a netlink reader of the
 * kernel's own tables.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_rib.h>
#include <rte_rib6.h>
#include <rte_malloc.h>

#include "rte_xdp_fib.h"
#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

/* Our mirror of the uapi struct must be the kernel's, field for field. */
#define SAME_FIELD(f) \
	_Static_assert(offsetof(struct rte_xdp_fib_lookup, f) == \
		offsetof(struct bpf_fib_lookup, f), "bpf_fib_lookup." #f)
_Static_assert(sizeof(struct rte_xdp_fib_lookup) ==
	sizeof(struct bpf_fib_lookup), "bpf_fib_lookup size");
SAME_FIELD(family);
SAME_FIELD(tot_len);
SAME_FIELD(ifindex);
SAME_FIELD(rt_metric);
SAME_FIELD(ipv4_src);
SAME_FIELD(ipv6_dst);
SAME_FIELD(tbid);
SAME_FIELD(smac);
SAME_FIELD(dmac);
_Static_assert(RTE_XDP_FIB_LOOKUP_SRC == (int)BPF_FIB_LOOKUP_SRC &&
	(int)RTE_XDP_FIB_LKUP_RET_NO_SRC_ADDR == (int)BPF_FIB_LKUP_RET_NO_SRC_ADDR,
	"flags and return codes");

#define FIB_FLAGS_MASK (RTE_XDP_FIB_LOOKUP_DIRECT | RTE_XDP_FIB_LOOKUP_OUTPUT | \
	RTE_XDP_FIB_LOOKUP_SKIP_NEIGH | RTE_XDP_FIB_LOOKUP_TBID | \
	RTE_XDP_FIB_LOOKUP_SRC)
#define DEFAULT_MAX	4096
#define NB_TABLES	2	/* 0: main, 1: local */
#define NO_ROUTE	UINT32_MAX
/* the kernel's NUD_VALID (include/net/neighbour.h) */
#define NUD_VALID_STATES (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | \
	NUD_PROBE | NUD_STALE | NUD_DELAY)

struct neigh_key {
	uint32_t ifindex;
	uint8_t family;
	uint8_t pad[3];
	uint8_t addr[16];
};

/*
 * Routes of one family: a RIB (longest prefix match tree) per table over
 * one array of routes. rte_rib rather than rte_lpm: an rte_lpm (or a
 * DIR24-8 rte_fib) costs 64 MB of tbl24 per table and family whatever the
 * routes, and a FIB is rebuilt next to the one in use on every change.
 */
struct fib_af {
	struct rte_rib *rib4[NB_TABLES];
	struct rte_rib6 *rib6[NB_TABLES];
	struct rte_xdp_fib_route *rt;
	uint32_t nb, max;
};

struct rte_xdp_fib {
	char name[24];
	int socket;
	struct rte_xdp_fib_if ifs[RTE_XDP_FIB_MAX_IFS];
	uint32_t nb_ifs;
	struct fib_af v4, v6;
	struct rte_hash *neigh;
	struct rte_ether_addr *neigh_mac;	/* by hash position */
	uint64_t digest;		/* of everything added, in order */
};

/* FNV-1a: tells two FIBs built from the same input apart from others. */
static void
digest_add(struct rte_xdp_fib *fib, const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t h = fib->digest;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	fib->digest = h;
}

uint64_t
rte_xdp_fib_digest(const struct rte_xdp_fib *fib)
{
	return fib != NULL ? fib->digest : 0;
}

static struct rte_xdp_fib *default_fib;

/* Tables, building. */

static int
table_idx(uint32_t table)
{
	if (table == 0 || table == RTE_XDP_FIB_TABLE_MAIN)
		return 0;
	if (table == RTE_XDP_FIB_TABLE_LOCAL)
		return 1;
	return -1;
}

struct rte_xdp_fib *
rte_xdp_fib_create(const char *name, const struct rte_xdp_fib_conf *conf)
{
	static unsigned int seq;
	uint32_t max_rt = conf != NULL && conf->max_routes ? conf->max_routes :
		DEFAULT_MAX;
	uint32_t max_nb = conf != NULL && conf->max_neighs ? conf->max_neighs :
		DEFAULT_MAX;
	int socket = conf != NULL ? conf->socket_id : SOCKET_ID_ANY;
	struct rte_hash_parameters hp = { 0 };
	struct rte_rib_conf rc = { .max_nodes = 2 * max_rt };
	struct rte_rib6_conf rc6 = { .max_nodes = 2 * max_rt };
	struct rte_xdp_fib *fib;
	char n[RTE_HASH_NAMESIZE];
	unsigned int u = __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED);
	int t;

	fib = rte_zmalloc_socket("xdp_fib", sizeof(*fib), 0, socket);
	if (fib == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(fib->name, sizeof(fib->name), "%s", name != NULL ? name : "fib");
	fib->socket = socket;
	fib->digest = 0xcbf29ce484222325ull;
	for (t = 0; t < NB_TABLES; t++) {
		snprintf(n, sizeof(n), "xfib%u_4_%d", u, t);
		fib->v4.rib4[t] = rte_rib_create(n, socket, &rc);
		snprintf(n, sizeof(n), "xfib%u_6_%d", u, t);
		fib->v6.rib6[t] = rte_rib6_create(n, socket, &rc6);
		if (fib->v4.rib4[t] == NULL || fib->v6.rib6[t] == NULL)
			goto fail;
	}
	fib->v4.rt = rte_zmalloc_socket("xdp_fib_rt4",
		sizeof(*fib->v4.rt) * max_rt, 0, socket);
	fib->v6.rt = rte_zmalloc_socket("xdp_fib_rt6",
		sizeof(*fib->v6.rt) * max_rt, 0, socket);
	fib->v4.max = fib->v6.max = max_rt;
	snprintf(n, sizeof(n), "xfib%u_nb", u);
	hp.name = n;
	hp.entries = max_nb;
	hp.key_len = sizeof(struct neigh_key);
	hp.hash_func = rte_jhash;
	hp.socket_id = socket;
	fib->neigh = rte_hash_create(&hp);
	fib->neigh_mac = rte_zmalloc_socket("xdp_fib_nb",
		sizeof(*fib->neigh_mac) * (max_nb + 1) * 2, 0, socket);
	if (fib->v4.rt == NULL || fib->v6.rt == NULL || fib->neigh == NULL ||
	    fib->neigh_mac == NULL)
		goto fail;
	return fib;
fail:
	rte_xdp_fib_free(fib);
	rte_errno = ENOMEM;
	return NULL;
}

void
rte_xdp_fib_free(struct rte_xdp_fib *fib)
{
	int t;

	if (fib == NULL)
		return;
	for (t = 0; t < NB_TABLES; t++) {
		rte_rib_free(fib->v4.rib4[t]);
		rte_rib6_free(fib->v6.rib6[t]);
	}
	rte_free(fib->v4.rt);
	rte_free(fib->v6.rt);
	rte_hash_free(fib->neigh);
	rte_free(fib->neigh_mac);
	rte_free(fib);
}

static struct rte_xdp_fib_if *
if_get(const struct rte_xdp_fib *fib, uint32_t ifindex)
{
	uint32_t i;

	for (i = 0; i < fib->nb_ifs; i++)
		if (fib->ifs[i].ifindex == ifindex)
			return (struct rte_xdp_fib_if *)(uintptr_t)&fib->ifs[i];
	return NULL;
}

const struct rte_xdp_fib_if *
rte_xdp_fib_if_get(const struct rte_xdp_fib *fib, uint32_t ifindex)
{
	return fib != NULL ? if_get(fib, ifindex) : NULL;
}

const struct rte_xdp_fib_if *
rte_xdp_fib_if_by_name(const struct rte_xdp_fib *fib, const char *name)
{
	char *end;
	unsigned long idx;
	uint32_t i;

	if (fib == NULL || name == NULL)
		return NULL;
	for (i = 0; i < fib->nb_ifs; i++)
		if (strcmp(fib->ifs[i].name, name) == 0)
			return &fib->ifs[i];
	idx = strtoul(name, &end, 10);
	if (*name != '\0' && *end == '\0')
		return if_get(fib, idx);
	return NULL;
}

static int route_add(struct rte_xdp_fib *fib, const struct rte_xdp_fib_route *r);

/* An interface's own address: a local route in the local table. */
static int
local_route(struct rte_xdp_fib *fib, uint8_t family, const uint8_t *addr,
	uint32_t ifindex)
{
	struct rte_xdp_fib_route r = {
		.family = family, .depth = family == AF_INET ? 32 : 128,
		.type = RTE_XDP_FIB_RT_LOCAL, .ifindex = ifindex,
		.table = RTE_XDP_FIB_TABLE_LOCAL,
	};

	memcpy(r.dst, addr, family == AF_INET ? 4 : 16);
	memcpy(r.prefsrc, addr, family == AF_INET ? 4 : 16);
	return route_add(fib, &r);
}

int
rte_xdp_fib_if_add(struct rte_xdp_fib *fib, const struct rte_xdp_fib_if *ifc)
{
	struct rte_xdp_fib_if *slot;
	unsigned int i;
	int ret;

	if (fib == NULL || ifc == NULL || ifc->ifindex == 0 ||
	    ifc->nb_addr4 > RTE_XDP_FIB_IF_ADDRS ||
	    ifc->nb_addr6 > RTE_XDP_FIB_IF_ADDRS)
		return -EINVAL;
	slot = if_get(fib, ifc->ifindex);
	if (slot == NULL) {
		if (fib->nb_ifs == RTE_XDP_FIB_MAX_IFS)
			return -ENOSPC;
		slot = &fib->ifs[fib->nb_ifs++];
	}
	*slot = *ifc;
	slot->name[RTE_XDP_FIB_IFNAMSIZ - 1] = '\0';
	if (slot->mtu == 0)
		slot->mtu = RTE_ETHER_MTU;
	digest_add(fib, slot, sizeof(*slot));
	for (i = 0; i < ifc->nb_addr4; i++) {
		ret = local_route(fib, AF_INET, ifc->addr4[i], ifc->ifindex);
		if (ret != 0)
			return ret;
	}
	for (i = 0; i < ifc->nb_addr6; i++) {
		ret = local_route(fib, AF_INET6, ifc->addr6[i], ifc->ifindex);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* The prefix of addr, depth bits kept. */
static void
mask_prefix(uint8_t *out, const uint8_t *addr, unsigned int len,
	unsigned int depth)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int bits = depth > 8 * i ? depth - 8 * i : 0;

		out[i] = bits >= 8 ? addr[i] :
			addr[i] & (uint8_t)(0xff00u >> bits);
	}
}

static int
route_add(struct rte_xdp_fib *fib, const struct rte_xdp_fib_route *r)
{
	struct fib_af *af = r->family == AF_INET ? &fib->v4 : &fib->v6;
	unsigned int alen = r->family == AF_INET ? 4 : 16;
	struct rte_xdp_fib_route nr = *r;
	int t = table_idx(r->table);
	uint32_t i, idx = NO_ROUTE;
	int ret;

	if ((r->family != AF_INET && r->family != AF_INET6) ||
	    r->depth > 8 * alen || t < 0)
		return -EINVAL;
	switch (r->type) {
	case RTE_XDP_FIB_RT_UNICAST:
		if (if_get(fib, r->ifindex) == NULL)
			return -ENODEV;
		break;
	case RTE_XDP_FIB_RT_LOCAL:
	case RTE_XDP_FIB_RT_BROADCAST:
	case RTE_XDP_FIB_RT_BLACKHOLE:
	case RTE_XDP_FIB_RT_UNREACHABLE:
	case RTE_XDP_FIB_RT_PROHIBIT:
		break;
	default:
		return -EINVAL;
	}
	nr.table = t == 0 ? RTE_XDP_FIB_TABLE_MAIN : RTE_XDP_FIB_TABLE_LOCAL;
	mask_prefix(nr.dst, r->dst, alen, r->depth);
	memset(nr.dst + alen, 0, sizeof(nr.dst) - alen);
	for (i = 0; i < af->nb; i++)
		if (af->rt[i].table == nr.table && af->rt[i].depth == nr.depth &&
		    memcmp(af->rt[i].dst, nr.dst, alen) == 0) {
			if (nr.metric > af->rt[i].metric)
				return 0;	/* the kernel would use the other */
			idx = i;
			break;
		}
	if (idx == NO_ROUTE) {
		if (af->nb == af->max)
			return -ENOSPC;
		idx = af->nb;
	}
	if (r->family == AF_INET) {
		struct rte_rib_node *node;
		uint32_t ip;

		memcpy(&ip, nr.dst, 4);
		node = rte_rib_lookup_exact(af->rib4[t], rte_be_to_cpu_32(ip),
			nr.depth);
		if (node == NULL)
			node = rte_rib_insert(af->rib4[t], rte_be_to_cpu_32(ip),
				nr.depth);
		ret = node != NULL ? rte_rib_set_nh(node, idx) : -ENOSPC;
	} else {
		struct rte_rib6_node *node;

		node = rte_rib6_lookup_exact(af->rib6[t], nr.dst, nr.depth);
		if (node == NULL)
			node = rte_rib6_insert(af->rib6[t], nr.dst, nr.depth);
		ret = node != NULL ? rte_rib6_set_nh(node, idx) : -ENOSPC;
	}
	if (ret != 0)
		return ret == -ENOSPC ? -ENOSPC : -EINVAL;
	af->rt[idx] = nr;
	if (idx == af->nb)
		af->nb++;
	digest_add(fib, &nr, sizeof(nr));
	return 0;
}

int
rte_xdp_fib_route_add(struct rte_xdp_fib *fib, const struct rte_xdp_fib_route *r)
{
	if (fib == NULL || r == NULL)
		return -EINVAL;
	return route_add(fib, r);
}

int
rte_xdp_fib_neigh_add(struct rte_xdp_fib *fib, uint8_t family,
	const void *addr, uint32_t ifindex, const struct rte_ether_addr *mac)
{
	struct neigh_key k;
	int32_t pos;

	if (fib == NULL || addr == NULL || mac == NULL ||
	    (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	k.ifindex = ifindex;
	k.family = family;
	memcpy(k.addr, addr, family == AF_INET ? 4 : 16);
	pos = rte_hash_add_key(fib->neigh, &k);
	if (pos < 0)
		return pos;
	fib->neigh_mac[pos] = *mac;
	digest_add(fib, &k, sizeof(k));
	digest_add(fib, mac, sizeof(*mac));
	return 0;
}

void
rte_xdp_fib_count(const struct rte_xdp_fib *fib, uint32_t *routes4,
	uint32_t *routes6, uint32_t *neighs)
{
	if (routes4 != NULL)
		*routes4 = fib != NULL ? fib->v4.nb : 0;
	if (routes6 != NULL)
		*routes6 = fib != NULL ? fib->v6.nb : 0;
	if (neighs != NULL)
		*neighs = fib != NULL ? (uint32_t)rte_hash_count(fib->neigh) : 0;
}

/* The lookup. */

static const struct rte_ether_addr *
neigh_lookup(const struct rte_xdp_fib *fib, uint8_t family, const void *addr,
	uint32_t ifindex)
{
	struct neigh_key k;
	int32_t pos;

	memset(&k, 0, sizeof(k));
	k.ifindex = ifindex;
	k.family = family;
	memcpy(k.addr, addr, family == AF_INET ? 4 : 16);
	pos = rte_hash_lookup(fib->neigh, &k);
	return pos >= 0 ? &fib->neigh_mac[pos] : NULL;
}

static bool
prefix_match(const struct rte_xdp_fib_route *r, const uint8_t *addr,
	unsigned int alen)
{
	uint8_t p[16];

	mask_prefix(p, addr, alen, r->depth);
	return memcmp(p, r->dst, alen) == 0;
}

static bool
is_error_type(uint8_t type)
{
	return type == RTE_XDP_FIB_RT_BLACKHOLE ||
		type == RTE_XDP_FIB_RT_UNREACHABLE ||
		type == RTE_XDP_FIB_RT_PROHIBIT;
}

/*
 * Longest match in one table. oif != 0 (BPF_FIB_LOOKUP_OUTPUT): routes
 * whose nexthop is another device are skipped and shorter prefixes tried,
 * as fib_table_lookup() does; error routes match whatever the device.
 */
static const struct rte_xdp_fib_route *
table_lookup(const struct fib_af *af, int t, uint8_t family,
	const uint8_t *addr, uint32_t oif)
{
	const struct rte_xdp_fib_route *best = NULL, *r;
	uint32_t table = t == 0 ? RTE_XDP_FIB_TABLE_MAIN :
		RTE_XDP_FIB_TABLE_LOCAL;
	unsigned int alen = family == AF_INET ? 4 : 16;
	uint64_t idx;
	uint32_t i;

	if (family == AF_INET) {
		struct rte_rib_node *node;
		uint32_t ip;

		memcpy(&ip, addr, 4);
		node = rte_rib_lookup(af->rib4[t], rte_be_to_cpu_32(ip));
		if (node == NULL || rte_rib_get_nh(node, &idx) != 0)
			return NULL;
	} else {
		struct rte_rib6_node *node;

		node = rte_rib6_lookup(af->rib6[t], addr);
		if (node == NULL || rte_rib6_get_nh(node, &idx) != 0)
			return NULL;
	}
	r = &af->rt[idx];
	if (oif == 0 || is_error_type(r->type) || r->ifindex == oif)
		return r;
	for (i = 0; i < af->nb; i++) {
		r = &af->rt[i];
		if (r->table != table || (!is_error_type(r->type) &&
		    r->ifindex != oif) || !prefix_match(r, addr, alen))
			continue;
		if (best == NULL || r->depth > best->depth)
			best = r;
	}
	return best;
}

/* fib_lookup(): with DIRECT one table, else local then main. */
static int
fib_route(const struct rte_xdp_fib *fib, struct rte_xdp_fib_lookup *p,
	uint32_t flags, uint8_t family, const uint8_t *dst, uint32_t oif,
	const struct rte_xdp_fib_route **res)
{
	const struct fib_af *af = family == AF_INET ? &fib->v4 : &fib->v6;
	int t = 0;

	if (flags & RTE_XDP_FIB_LOOKUP_DIRECT) {
		if (flags & RTE_XDP_FIB_LOOKUP_TBID) {
			t = table_idx(p->tbid);
			p->tbid = 0;	/* zero out for vlan output */
			if (t < 0)	/* no such table */
				return RTE_XDP_FIB_LKUP_RET_NOT_FWDED;
		}
		*res = table_lookup(af, t, family, dst, oif);
		return 0;
	}
	*res = table_lookup(af, 1, family, dst, oif);
	if (*res == NULL)
		*res = table_lookup(af, 0, family, dst, oif);
	return 0;
}

static uint32_t
route_mtu(const struct rte_xdp_fib_route *r, const struct rte_xdp_fib_if *ifc)
{
	return r->mtu != 0 ? r->mtu : (ifc != NULL ? ifc->mtu : RTE_ETHER_MTU);
}

static int
set_fwd_params(struct rte_xdp_fib_lookup *p, uint32_t mtu)
{
	p->h_vlan_TCI = 0;
	p->h_vlan_proto = 0;
	if (mtu != 0)
		p->mtu_result = mtu;
	return RTE_XDP_FIB_LKUP_RET_SUCCESS;
}

static int
ipv4_lookup(const struct rte_xdp_fib *fib, struct rte_xdp_fib_lookup *p,
	uint32_t flags)
{
	const struct rte_xdp_fib_route *r = NULL;
	const struct rte_xdp_fib_if *dev;
	const struct rte_ether_addr *ha;
	uint32_t mtu, oif;
	uint8_t dst[4];
	int ret;

	dev = if_get(fib, p->ifindex);
	if (dev == NULL)
		return -ENODEV;
	if (!dev->forwarding)
		return RTE_XDP_FIB_LKUP_RET_FWD_DISABLED;
	oif = (flags & RTE_XDP_FIB_LOOKUP_OUTPUT) ? p->ifindex : 0;
	memcpy(dst, &p->ipv4_dst, 4);
	ret = fib_route(fib, p, flags, AF_INET, dst, oif, &r);
	if (ret != 0)
		return ret;
	if (r == NULL)
		return RTE_XDP_FIB_LKUP_RET_NOT_FWDED;
	switch (r->type) {
	case RTE_XDP_FIB_RT_BLACKHOLE:
		return RTE_XDP_FIB_LKUP_RET_BLACKHOLE;
	case RTE_XDP_FIB_RT_UNREACHABLE:
		return RTE_XDP_FIB_LKUP_RET_UNREACHABLE;
	case RTE_XDP_FIB_RT_PROHIBIT:
		return RTE_XDP_FIB_LKUP_RET_PROHIBIT;
	case RTE_XDP_FIB_RT_UNICAST:
		break;
	default:
		return RTE_XDP_FIB_LKUP_RET_NOT_FWDED;
	}
	dev = if_get(fib, r->ifindex);
	mtu = route_mtu(r, dev);
	if (p->tot_len > mtu) {
		p->mtu_result = mtu;
		return RTE_XDP_FIB_LKUP_RET_FRAG_NEEDED;
	}
	p->rt_metric = r->metric;
	p->ifindex = r->ifindex;
	if (flags & RTE_XDP_FIB_LOOKUP_SRC) {
		uint32_t src = 0;

		if (memcmp(r->prefsrc, "\0\0\0", 4) != 0)
			memcpy(&src, r->prefsrc, 4);
		else if (dev != NULL && dev->nb_addr4 != 0)
			memcpy(&src, dev->addr4[0], 4);
		p->ipv4_src = src;
	}
	if (r->gw_family == AF_INET6) {
		p->family = AF_INET6;
		memcpy(p->ipv6_dst, r->gw, 16);
	} else if (r->gw_family == AF_INET) {
		memcpy(&p->ipv4_dst, r->gw, 4);
	}
	if (flags & RTE_XDP_FIB_LOOKUP_SKIP_NEIGH)
		return set_fwd_params(p, mtu);
	if (r->gw_family == AF_INET6)
		ha = neigh_lookup(fib, AF_INET6, p->ipv6_dst, r->ifindex);
	else
		ha = neigh_lookup(fib, AF_INET, &p->ipv4_dst, r->ifindex);
	if (ha == NULL)
		return RTE_XDP_FIB_LKUP_RET_NO_NEIGH;
	memcpy(p->dmac, ha, RTE_ETHER_ADDR_LEN);
	memcpy(p->smac, &dev->mac, RTE_ETHER_ADDR_LEN);
	return set_fwd_params(p, mtu);
}

/* rt6_need_strict(): multicast, link-local and loopback addresses. */
static bool
ipv6_need_strict(const uint32_t *a)
{
	const uint8_t *b = (const uint8_t *)a;
	static const uint8_t loopback[16] = { [15] = 1 };

	return b[0] == 0xff || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
		memcmp(b, loopback, 16) == 0;
}

static int
ipv6_lookup(const struct rte_xdp_fib *fib, struct rte_xdp_fib_lookup *p,
	uint32_t flags)
{
	const struct rte_xdp_fib_route *r = NULL;
	const struct rte_xdp_fib_if *dev;
	const struct rte_ether_addr *ha;
	uint32_t mtu, oif;
	int ret;

	/* link local addresses are never forwarded */
	if (ipv6_need_strict(p->ipv6_dst) || ipv6_need_strict(p->ipv6_src))
		return RTE_XDP_FIB_LKUP_RET_NOT_FWDED;
	dev = if_get(fib, p->ifindex);
	if (dev == NULL)
		return -ENODEV;
	if (!dev->forwarding6)
		return RTE_XDP_FIB_LKUP_RET_FWD_DISABLED;
	oif = (flags & RTE_XDP_FIB_LOOKUP_OUTPUT) ? p->ifindex : 0;
	ret = fib_route(fib, p, flags, AF_INET6, (const uint8_t *)p->ipv6_dst,
		oif, &r);
	if (ret != 0)
		return ret;
	if (r == NULL)
		return RTE_XDP_FIB_LKUP_RET_NOT_FWDED;
	switch (r->type) {
	case RTE_XDP_FIB_RT_UNICAST:
		break;
	case RTE_XDP_FIB_RT_BLACKHOLE:
		return RTE_XDP_FIB_LKUP_RET_BLACKHOLE;
	case RTE_XDP_FIB_RT_UNREACHABLE:
		return RTE_XDP_FIB_LKUP_RET_UNREACHABLE;
	case RTE_XDP_FIB_RT_PROHIBIT:
		return RTE_XDP_FIB_LKUP_RET_PROHIBIT;
	default:
		return RTE_XDP_FIB_LKUP_RET_NOT_FWDED;
	}
	dev = if_get(fib, r->ifindex);
	mtu = route_mtu(r, dev);
	if (p->tot_len > mtu) {
		p->mtu_result = mtu;
		return RTE_XDP_FIB_LKUP_RET_FRAG_NEEDED;
	}
	if (r->gw_family != 0)
		memcpy(p->ipv6_dst, r->gw, 16);
	p->rt_metric = r->metric;
	p->ifindex = r->ifindex;
	if (flags & RTE_XDP_FIB_LOOKUP_SRC) {
		static const uint8_t zero[16];

		if (memcmp(r->prefsrc, zero, 16) != 0)
			memcpy(p->ipv6_src, r->prefsrc, 16);
		else if (dev != NULL && dev->nb_addr6 != 0)
			memcpy(p->ipv6_src, dev->addr6[0], 16);
		else
			return RTE_XDP_FIB_LKUP_RET_NO_SRC_ADDR;
	}
	if (flags & RTE_XDP_FIB_LOOKUP_SKIP_NEIGH)
		return set_fwd_params(p, mtu);
	ha = neigh_lookup(fib, AF_INET6, p->ipv6_dst, r->ifindex);
	if (ha == NULL)
		return RTE_XDP_FIB_LKUP_RET_NO_NEIGH;
	memcpy(p->dmac, ha, RTE_ETHER_ADDR_LEN);
	memcpy(p->smac, &dev->mac, RTE_ETHER_ADDR_LEN);
	return set_fwd_params(p, mtu);
}

int
rte_xdp_fib_lookup(const struct rte_xdp_fib *fib,
	struct rte_xdp_fib_lookup *params, int plen, uint32_t flags)
{
	if (plen < (int)sizeof(*params))
		return -EINVAL;
	if (flags & ~FIB_FLAGS_MASK)
		return -EINVAL;
	switch (params->family) {
	case AF_INET:
		return fib != NULL ? ipv4_lookup(fib, params, flags) : -ENODEV;
	case AF_INET6:
		return fib != NULL ? ipv6_lookup(fib, params, flags) : -ENODEV;
	}
	return -EAFNOSUPPORT;
}

struct rte_xdp_fib *
rte_xdp_fib_set_default(struct rte_xdp_fib *fib)
{
	return __atomic_exchange_n(&default_fib, fib, __ATOMIC_ACQ_REL);
}

struct rte_xdp_fib *
rte_xdp_fib_get_default(void)
{
	return __atomic_load_n(&default_fib, __ATOMIC_ACQUIRE);
}

/*
 * The kernel's verifier lets a program pass its struct bpf_fib_lookup at
 * any byte offset of its stack or of a map value: the lookup works on an
 * aligned copy, and only the bytes it changed are stored back (the kernel
 * stores only the fields it sets; a map value may be shared).
 */
XDPC_HELPER_ATTR uint64_t
xdpc_helper_fib_lookup(uint64_t ctx, uint64_t params, uint64_t plen,
	uint64_t flags, uint64_t unused)
{
	const struct rte_xdp_fib *fib =
		__atomic_load_n(&default_fib, __ATOMIC_ACQUIRE);
	uint8_t *p = (uint8_t *)(uintptr_t)params;
	struct rte_xdp_fib_lookup was, now;
	const uint8_t *w = (const uint8_t *)&was, *n = (const uint8_t *)&now;
	size_t i;
	int ret;

	/* rte_bpf proved plen bytes at params, maybe fewer than a struct */
	if ((int)plen < (int)sizeof(now))
		return (uint64_t)-EINVAL;
	memcpy(&was, p, sizeof(was));
	now = was;
	ret = rte_xdp_fib_lookup(fib, &now, (int)plen, (uint32_t)flags);
	for (i = 0; i < sizeof(now); i++)
		if (n[i] != w[i])
			p[i] = n[i];
	return (uint64_t)(int64_t)ret;
}

/* Configuration file. */

static int
parse_addr(const char *s, uint8_t *family, uint8_t *out)
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

static int
parse_prefix(const char *s, struct rte_xdp_fib_route *r)
{
	char buf[64], *slash, *end;
	unsigned long len;

	if (strcmp(s, "default") == 0) {
		r->depth = 0;
		memset(r->dst, 0, sizeof(r->dst));
		if (r->family == 0)
			r->family = AF_INET;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (parse_addr(buf, &r->family, r->dst) != 0)
		return -EINVAL;
	if (slash == NULL) {
		r->depth = r->family == AF_INET ? 32 : 128;
		return 0;
	}
	len = strtoul(slash, &end, 10);
	if (*slash == '\0' || *end != '\0' ||
	    len > (r->family == AF_INET ? 32u : 128u))
		return -EINVAL;
	r->depth = len;
	return 0;
}

static int
parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long x;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	errno = 0;
	x = strtoul(s, &end, 0);
	if (*end != '\0' || errno != 0 || x > UINT32_MAX)
		return -EINVAL;
	*v = x;
	return 0;
}

#define MAX_WORDS 24

static int
cfg_iface(struct rte_xdp_fib *fib, char **w, int n, char *why, size_t wl)
{
	struct rte_xdp_fib_if ifc;
	uint8_t fam, a[16];
	uint32_t v;
	int i;

	memset(&ifc, 0, sizeof(ifc));
	ifc.forwarding = ifc.forwarding6 = 1;
	if (n < 2 || strlen(w[1]) >= RTE_XDP_FIB_IFNAMSIZ) {
		snprintf(why, wl, "iface needs a name of at most %d characters",
			RTE_XDP_FIB_IFNAMSIZ - 1);
		return -EINVAL;
	}
	snprintf(ifc.name, sizeof(ifc.name), "%s", w[1]);
	for (i = 2; i < n; i++) {
		const char *k = w[i], *val = i + 1 < n ? w[i + 1] : NULL;

		if (strcmp(k, "noforward") == 0) {
			ifc.forwarding = ifc.forwarding6 = 0;
			continue;
		}
		if (val == NULL) {
			snprintf(why, wl, "'%s' needs a value", k);
			return -EINVAL;
		}
		i++;
		if (strcmp(k, "ifindex") == 0 && parse_u32(val, &v) == 0 &&
		    v != 0) {
			ifc.ifindex = v;
		} else if (strcmp(k, "mac") == 0 &&
			   rte_ether_unformat_addr(val, &ifc.mac) == 0) {
			continue;
		} else if (strcmp(k, "mtu") == 0 && parse_u32(val, &v) == 0 &&
			   v >= 68 && v <= 65535) {
			ifc.mtu = v;
		} else if (strcmp(k, "addr") == 0 &&
			   parse_addr(val, &fam, a) == 0 && fam == AF_INET &&
			   ifc.nb_addr4 < RTE_XDP_FIB_IF_ADDRS) {
			memcpy(ifc.addr4[ifc.nb_addr4++], a, 4);
		} else if (strcmp(k, "addr6") == 0 &&
			   parse_addr(val, &fam, a) == 0 && fam == AF_INET6 &&
			   ifc.nb_addr6 < RTE_XDP_FIB_IF_ADDRS) {
			memcpy(ifc.addr6[ifc.nb_addr6++], a, 16);
		} else {
			snprintf(why, wl, "bad %s '%s'", k, val);
			return -EINVAL;
		}
	}
	if (ifc.ifindex == 0) {
		snprintf(why, wl, "iface %s: no ifindex", ifc.name);
		return -EINVAL;
	}
	return rte_xdp_fib_if_add(fib, &ifc);
}

static int
cfg_dev(const struct rte_xdp_fib *fib, const char *name, uint32_t *ifindex,
	char *why, size_t wl)
{
	const struct rte_xdp_fib_if *ifc = rte_xdp_fib_if_by_name(fib, name);

	if (ifc == NULL) {
		snprintf(why, wl, "no interface '%s' (declare it first)", name);
		return -ENODEV;
	}
	*ifindex = ifc->ifindex;
	return 0;
}

static int
cfg_route(struct rte_xdp_fib *fib, char **w, int n, char *why, size_t wl)
{
	struct rte_xdp_fib_route r;
	uint8_t fam;
	int i = 1, ret;

	memset(&r, 0, sizeof(r));
	r.type = RTE_XDP_FIB_RT_UNICAST;
	if (n > 1 && strcmp(w[1], "blackhole") == 0)
		r.type = RTE_XDP_FIB_RT_BLACKHOLE;
	else if (n > 1 && strcmp(w[1], "unreachable") == 0)
		r.type = RTE_XDP_FIB_RT_UNREACHABLE;
	else if (n > 1 && strcmp(w[1], "prohibit") == 0)
		r.type = RTE_XDP_FIB_RT_PROHIBIT;
	else if (n > 1 && strcmp(w[1], "local") == 0)
		r.type = RTE_XDP_FIB_RT_LOCAL;
	if (r.type != RTE_XDP_FIB_RT_UNICAST)
		i++;
	if (r.type == RTE_XDP_FIB_RT_LOCAL)
		r.table = RTE_XDP_FIB_TABLE_LOCAL;
	if (i >= n || parse_prefix(w[i], &r) != 0) {
		snprintf(why, wl, "route needs PREFIX/LEN, got '%s'",
			i < n ? w[i] : "");
		return -EINVAL;
	}
	for (i++; i < n; i += 2) {
		const char *k = w[i], *val = i + 1 < n ? w[i + 1] : NULL;

		if (val == NULL) {
			snprintf(why, wl, "'%s' needs a value", k);
			return -EINVAL;
		}
		if (strcmp(k, "via") == 0 &&
		    parse_addr(val, &r.gw_family, r.gw) == 0) {
			continue;
		} else if (strcmp(k, "dev") == 0) {
			ret = cfg_dev(fib, val, &r.ifindex, why, wl);
			if (ret != 0)
				return ret;
		} else if (strcmp(k, "metric") == 0 &&
			   parse_u32(val, &r.metric) == 0) {
			continue;
		} else if (strcmp(k, "mtu") == 0 &&
			   parse_u32(val, &r.mtu) == 0 && r.mtu >= 68) {
			continue;
		} else if (strcmp(k, "src") == 0 &&
			   parse_addr(val, &fam, r.prefsrc) == 0 &&
			   fam == r.family) {
			continue;
		} else if (strcmp(k, "table") == 0 &&
			   parse_u32(val, &r.table) == 0 &&
			   table_idx(r.table) >= 0) {
			continue;
		} else {
			snprintf(why, wl, "bad %s '%s'", k, val);
			return -EINVAL;
		}
	}
	if (r.type == RTE_XDP_FIB_RT_UNICAST && r.ifindex == 0) {
		snprintf(why, wl, "route %s: no 'dev'", w[1]);
		return -EINVAL;
	}
	if (r.gw_family == AF_INET6 && r.family == AF_INET6 &&
	    r.type != RTE_XDP_FIB_RT_UNICAST)
		r.gw_family = 0;
	if (r.gw_family == AF_INET && r.family == AF_INET6) {
		snprintf(why, wl, "an IPv6 route cannot have an IPv4 gateway");
		return -EINVAL;
	}
	ret = route_add(fib, &r);
	if (ret == -ENODEV)
		snprintf(why, wl, "unknown interface");
	return ret;
}

static int
cfg_neigh(struct rte_xdp_fib *fib, char **w, int n, char *why, size_t wl)
{
	struct rte_ether_addr mac;
	uint8_t fam, a[16];
	uint32_t ifindex = 0;
	bool have_mac = false;
	int i, ret;

	if (n < 2 || parse_addr(w[1], &fam, a) != 0) {
		snprintf(why, wl, "neigh needs an address, got '%s'",
			n > 1 ? w[1] : "");
		return -EINVAL;
	}
	for (i = 2; i < n; i += 2) {
		const char *k = w[i], *val = i + 1 < n ? w[i + 1] : NULL;

		if (val == NULL) {
			snprintf(why, wl, "'%s' needs a value", k);
			return -EINVAL;
		}
		if (strcmp(k, "lladdr") == 0 &&
		    rte_ether_unformat_addr(val, &mac) == 0) {
			have_mac = true;
		} else if (strcmp(k, "dev") == 0) {
			ret = cfg_dev(fib, val, &ifindex, why, wl);
			if (ret != 0)
				return ret;
		} else {
			snprintf(why, wl, "bad %s '%s'", k, val);
			return -EINVAL;
		}
	}
	if (!have_mac || ifindex == 0) {
		snprintf(why, wl, "neigh %s needs lladdr and dev", w[1]);
		return -EINVAL;
	}
	return rte_xdp_fib_neigh_add(fib, fam, a, ifindex, &mac);
}

/* addr ADDR dev NAME: one more address of an interface (a local route). */
static int
cfg_addr(struct rte_xdp_fib *fib, char **w, int n, char *why, size_t wl)
{
	struct rte_xdp_fib_if *ifc;
	uint32_t ifindex;
	uint8_t fam, a[16];
	int ret;

	if (n != 4 || parse_addr(w[1], &fam, a) != 0 ||
	    strcmp(w[2], "dev") != 0) {
		snprintf(why, wl, "addr needs ADDR dev NAME");
		return -EINVAL;
	}
	ret = cfg_dev(fib, w[3], &ifindex, why, wl);
	if (ret != 0)
		return ret;
	ifc = if_get(fib, ifindex);
	if ((fam == AF_INET ? ifc->nb_addr4 : ifc->nb_addr6) ==
	    RTE_XDP_FIB_IF_ADDRS) {
		snprintf(why, wl, "%s has %d addresses already", ifc->name,
			RTE_XDP_FIB_IF_ADDRS);
		return -ENOSPC;
	}
	if (fam == AF_INET)
		memcpy(ifc->addr4[ifc->nb_addr4++], a, 4);
	else
		memcpy(ifc->addr6[ifc->nb_addr6++], a, 16);
	return local_route(fib, fam, a, ifindex);
}

int
rte_xdp_fib_load_file(struct rte_xdp_fib *fib, const char *path, char *err,
	size_t err_len)
{
	char line[512], why[160], *w[MAX_WORDS], *save, *tok;
	unsigned int lineno = 0;
	int n, ret = 0, applied = 0;
	FILE *f;

	if (fib == NULL || path == NULL)
		return -EINVAL;
	f = fopen(path, "r");
	if (f == NULL) {
		ret = -errno;
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return ret;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "#\r\n")] = '\0';
		n = 0;
		for (tok = strtok_r(line, " \t", &save); tok != NULL && n < MAX_WORDS;
		     tok = strtok_r(NULL, " \t", &save))
			w[n++] = tok;
		if (n == 0)
			continue;
		why[0] = '\0';
		if (strcmp(w[0], "iface") == 0)
			ret = cfg_iface(fib, w, n, why, sizeof(why));
		else if (strcmp(w[0], "route") == 0)
			ret = cfg_route(fib, w, n, why, sizeof(why));
		else if (strcmp(w[0], "neigh") == 0)
			ret = cfg_neigh(fib, w, n, why, sizeof(why));
		else if (strcmp(w[0], "addr") == 0)
			ret = cfg_addr(fib, w, n, why, sizeof(why));
		else {
			snprintf(why, sizeof(why),
				"unknown statement '%s' (iface, addr, route, neigh)",
				w[0]);
			ret = -EINVAL;
		}
		if (ret != 0) {
			snprintf(err, err_len, "%s:%u: %s", path, lineno,
				why[0] != '\0' ? why : strerror(-ret));
			break;
		}
		applied++;
	}
	fclose(f);
	return ret != 0 ? ret : applied;
}

/* The kernel's tables, over netlink. */

struct nl_ctx {
	struct rte_xdp_fib *fib;
	uint32_t kidx[RTE_XDP_FIB_MAX_IFS];	/* kernel ifindex of ifs[i] */
	int keep;
	int count;
	int error;
};

typedef void (*nl_cb)(struct nl_ctx *c, struct nlmsghdr *h);

static int
nl_dump(int fd, uint16_t type, uint8_t family, nl_cb cb, struct nl_ctx *c)
{
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} req = {
		.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtgenmsg)),
		.h.nlmsg_type = type,
		.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.h.nlmsg_seq = type,
		.g.rtgen_family = family,
	};
	static char buf[1 << 16];
	struct nlmsghdr *h;
	ssize_t n;

	if (send(fd, &req, req.h.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			cb(c, h);
		}
	}
}

static int
fib_if_of_kernel(const struct nl_ctx *c, uint32_t kidx)
{
	uint32_t i;

	for (i = 0; i < c->fib->nb_ifs; i++)
		if (c->kidx[i] == kidx && kidx != 0)
			return i;
	return -1;
}

static void
nl_link(struct nl_ctx *c, struct nlmsghdr *h)
{
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = IFLA_PAYLOAD(h);
	struct rtattr *a;
	uint32_t i;

	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type != IFLA_IFNAME)
			continue;
		for (i = 0; i < c->fib->nb_ifs; i++)
			if (strcmp(c->fib->ifs[i].name, RTA_DATA(a)) == 0)
				c->kidx[i] = ifi->ifi_index;
	}
}

static void
nl_addr(struct nl_ctx *c, struct nlmsghdr *h)
{
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = IFA_PAYLOAD(h), i = fib_if_of_kernel(c, ifa->ifa_index);
	struct rte_xdp_fib_if *ifc;
	struct rtattr *a;

	if (i < 0 || c->keep)
		return;
	ifc = &c->fib->ifs[i];
	for (a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (ifa->ifa_family == AF_INET && a->rta_type == IFA_LOCAL &&
		    ifc->nb_addr4 < RTE_XDP_FIB_IF_ADDRS)
			memcpy(ifc->addr4[ifc->nb_addr4++], RTA_DATA(a), 4);
		else if (ifa->ifa_family == AF_INET6 &&
			 a->rta_type == IFA_ADDRESS &&
			 ifa->ifa_scope == RT_SCOPE_UNIVERSE &&
			 ifc->nb_addr6 < RTE_XDP_FIB_IF_ADDRS)
			memcpy(ifc->addr6[ifc->nb_addr6++], RTA_DATA(a), 16);
	}
}

static void
nl_route(struct nl_ctx *c, struct nlmsghdr *h)
{
	struct rtmsg *rtm = NLMSG_DATA(h);
	int len = RTM_PAYLOAD(h), fi, ret;
	struct rte_xdp_fib_route r;
	uint32_t table = rtm->rtm_table, koif = 0;
	struct rtattr *a;

	memset(&r, 0, sizeof(r));
	r.family = rtm->rtm_family;
	r.depth = rtm->rtm_dst_len;
	r.type = rtm->rtm_type;
	for (a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case RTA_TABLE:
			table = *(uint32_t *)RTA_DATA(a);
			break;
		case RTA_DST:
			memcpy(r.dst, RTA_DATA(a), r.family == AF_INET ? 4 : 16);
			break;
		case RTA_GATEWAY:
			r.gw_family = r.family;
			memcpy(r.gw, RTA_DATA(a), r.family == AF_INET ? 4 : 16);
			break;
		case RTA_VIA: {
			struct rtvia *v = RTA_DATA(a);

			if (v->rtvia_family == AF_INET6) {
				r.gw_family = AF_INET6;
				memcpy(r.gw, v->rtvia_addr, 16);
			}
			break;
		}
		case RTA_OIF:
			koif = *(uint32_t *)RTA_DATA(a);
			break;
		case RTA_PRIORITY:
			r.metric = *(uint32_t *)RTA_DATA(a);
			break;
		case RTA_PREFSRC:
			memcpy(r.prefsrc, RTA_DATA(a),
				r.family == AF_INET ? 4 : 16);
			break;
		case RTA_METRICS: {
			struct rtattr *m = RTA_DATA(a);
			int ml = RTA_PAYLOAD(a);

			for (; RTA_OK(m, ml); m = RTA_NEXT(m, ml))
				if (m->rta_type == RTAX_MTU)
					r.mtu = *(uint32_t *)RTA_DATA(m);
			break;
		}
		case RTA_MULTIPATH: {
			struct rtnexthop *nh = RTA_DATA(a);

			/* the first nexthop: no multipath here */
			if (RTA_PAYLOAD(a) >= (int)sizeof(*nh)) {
				struct rtattr *g = RTNH_DATA(nh);
				int gl = nh->rtnh_len - sizeof(*nh);

				koif = nh->rtnh_ifindex;
				for (; RTA_OK(g, gl); g = RTA_NEXT(g, gl))
					if (g->rta_type == RTA_GATEWAY) {
						r.gw_family = r.family;
						memcpy(r.gw, RTA_DATA(g),
							r.family == AF_INET ?
							4 : 16);
					}
			}
			break;
		}
		}
	}
	if (table != RT_TABLE_MAIN && table != RT_TABLE_LOCAL)
		return;
	r.table = table;
	fi = fib_if_of_kernel(c, koif);
	switch (r.type) {
	case RTN_UNICAST:
		if (fi < 0)
			return;	/* through a device we do not drive */
		break;
	case RTN_LOCAL:
	case RTN_BROADCAST:
	case RTN_BLACKHOLE:
	case RTN_UNREACHABLE:
	case RTN_PROHIBIT:
		break;
	default:
		return;		/* multicast, anycast, throw, nat: the stack */
	}
	r.ifindex = fi >= 0 ? c->fib->ifs[fi].ifindex : 0;
	ret = route_add(c->fib, &r);
	if (ret == 0)
		c->count++;
	else if (c->error == 0)
		c->error = ret;
}

static void
nl_neigh(struct nl_ctx *c, struct nlmsghdr *h)
{
	struct ndmsg *nd = NLMSG_DATA(h);
	int len = RTM_PAYLOAD(h), fi = fib_if_of_kernel(c, nd->ndm_ifindex);
	const void *dst = NULL, *ll = NULL;
	struct rtattr *a;

	if (fi < 0 || !(nd->ndm_state & NUD_VALID_STATES) ||
	    (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6))
		return;
	for (a = (struct rtattr *)((char *)nd + NLMSG_ALIGN(sizeof(*nd)));
	     RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_DST)
			dst = RTA_DATA(a);
		else if (a->rta_type == NDA_LLADDR &&
			 RTA_PAYLOAD(a) == RTE_ETHER_ADDR_LEN)
			ll = RTA_DATA(a);
	}
	if (dst == NULL || ll == NULL)
		return;
	if (rte_xdp_fib_neigh_add(c->fib, nd->ndm_family, dst,
			c->fib->ifs[fi].ifindex, ll) == 0)
		c->count++;
}

static int
read_sysctl(const char *fmt, const char *name)
{
	char path[128];
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path), fmt, name);
	f = fopen(path, "r");
	if (f != NULL) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

int
rte_xdp_fib_load_kernel(struct rte_xdp_fib *fib, int keep_settings,
	char *err, size_t err_len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nl_ctx c;
	uint32_t i;
	int fd, ret, v;

	if (fib == NULL)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	c.fib = fib;
	c.keep = keep_settings;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		ret = -errno;
		snprintf(err, err_len, "netlink socket: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	ret = nl_dump(fd, RTM_GETLINK, AF_UNSPEC, nl_link, &c);
	for (i = 0; ret == 0 && i < fib->nb_ifs; i++) {
		struct rte_xdp_fib_if *ifc = &fib->ifs[i];

		if (c.kidx[i] == 0)
			XDPC_LOG(WARNING, "fib: no kernel interface named %s: nothing read for it",
				ifc->name);
		else if (!keep_settings) {
			ifc->nb_addr4 = ifc->nb_addr6 = 0;
			v = read_sysctl("/proc/sys/net/ipv4/conf/%s/forwarding",
				ifc->name);
			ifc->forwarding = v > 0;
			v = read_sysctl("/proc/sys/net/ipv6/conf/%s/forwarding",
				ifc->name);
			ifc->forwarding6 = v > 0;
		}
	}
	if (ret == 0)
		ret = nl_dump(fd, RTM_GETADDR, AF_UNSPEC, nl_addr, &c);
	if (ret == 0)
		ret = nl_dump(fd, RTM_GETROUTE, AF_INET, nl_route, &c);
	if (ret == 0)
		ret = nl_dump(fd, RTM_GETROUTE, AF_INET6, nl_route, &c);
	if (ret == 0)
		ret = nl_dump(fd, RTM_GETNEIGH, AF_INET, nl_neigh, &c);
	if (ret == 0)
		ret = nl_dump(fd, RTM_GETNEIGH, AF_INET6, nl_neigh, &c);
	close(fd);
	if (ret != 0) {
		snprintf(err, err_len, "netlink dump: %s", strerror(-ret));
		return ret;
	}
	if (c.error != 0) {
		snprintf(err, err_len, "kernel route not taken: %s",
			strerror(-c.error));
		return c.error;
	}
	return c.count;
}
