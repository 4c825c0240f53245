/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_fib_autotest: bpf_fib_lookup() semantics on rte_xdp_fib tables,
 * called directly (rte_xdp_fib_lookup, xdpc_helper_fib_lookup): IPv4 and
 * IPv6, connected and gateway routes, longest prefix and metrics, error
 * routes, local addresses, forwarding off, MTU, neighbours, every flag,
 * the fields a failed lookup leaves as the kernel does, bad input; the
 * configuration file and its errors; the kernel's tables read over
 * netlink in a network namespace of a child process (root only).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include <net/if.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "rte_xdp_fib.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define P0	10	/* ifindex of the interfaces */
#define P1	11
#define P2	12

static const struct rte_ether_addr mac0 = {{ 2, 0, 0, 0, 0, 0x10 }};
static const struct rte_ether_addr mac1 = {{ 2, 0, 0, 0, 0, 0x11 }};
static const struct rte_ether_addr hostb = {{ 2, 0, 0, 0, 0xbb, 0x07 }};
static const struct rte_ether_addr gwb = {{ 2, 0, 0, 0, 0xbb, 0xfe }};

static uint32_t
ip4(const char *s)
{
	uint32_t a = 0;

	inet_pton(AF_INET, s, &a);
	return a;
}

static void
ip6(const char *s, void *out)
{
	inet_pton(AF_INET6, s, out);
}

static struct rte_xdp_fib_route
route4(const char *pfx, unsigned int depth, uint32_t ifindex, const char *gw)
{
	struct rte_xdp_fib_route r = {
		.family = AF_INET, .depth = depth,
		.type = RTE_XDP_FIB_RT_UNICAST, .ifindex = ifindex,
	};
	uint32_t a = ip4(pfx), g;

	memcpy(r.dst, &a, 4);
	if (gw != NULL) {
		g = ip4(gw);
		r.gw_family = AF_INET;
		memcpy(r.gw, &g, 4);
	}
	return r;
}

static struct rte_xdp_fib_route
route6(const char *pfx, unsigned int depth, uint32_t ifindex, const char *gw)
{
	struct rte_xdp_fib_route r = {
		.family = AF_INET6, .depth = depth,
		.type = RTE_XDP_FIB_RT_UNICAST, .ifindex = ifindex,
	};

	ip6(pfx, r.dst);
	if (gw != NULL) {
		r.gw_family = AF_INET6;
		ip6(gw, r.gw);
	}
	return r;
}

/* Two forwarding ports and a third that does not forward. */
static struct rte_xdp_fib *
make_fib(void)
{
	struct rte_xdp_fib_if i0 = {
		.name = "p0", .ifindex = P0, .mac = mac0, .mtu = 1500,
		.forwarding = 1, .forwarding6 = 1, .nb_addr4 = 1,
		.nb_addr6 = 1,
	};
	struct rte_xdp_fib_if i1 = {
		.name = "p1", .ifindex = P1, .mac = mac1, .mtu = 9000,
		.forwarding = 1, .forwarding6 = 1,
	};
	struct rte_xdp_fib_if i2 = {
		.name = "p2", .ifindex = P2, .mac = mac1,
	};
	struct rte_xdp_fib *fib = rte_xdp_fib_create("t", NULL);
	struct rte_xdp_fib_route r;
	uint32_t a = ip4("10.1.0.1");
	uint8_t a6[16];

	if (fib == NULL)
		return NULL;
	memcpy(i0.addr4[0], &a, 4);
	ip6("2001:db8:1::1", i0.addr6[0]);
	if (rte_xdp_fib_if_add(fib, &i0) || rte_xdp_fib_if_add(fib, &i1) ||
	    rte_xdp_fib_if_add(fib, &i2))
		goto fail;
	r = route4("10.1.0.0", 24, P0, NULL);
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route4("10.2.0.0", 24, P1, NULL);
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route4("10.3.0.0", 16, P1, "10.2.0.254");
	r.metric = 5;
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route4("10.3.5.0", 24, P0, NULL);		/* more specific */
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route4("10.4.0.0", 16, P1, "10.2.0.254");
	r.mtu = 1400;
	a = ip4("10.2.0.1");
	memcpy(r.prefsrc, &a, 4);
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route4("10.9.0.0", 16, 0, NULL);
	r.type = RTE_XDP_FIB_RT_BLACKHOLE;
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route4("10.9.1.0", 24, 0, NULL);
	r.type = RTE_XDP_FIB_RT_UNREACHABLE;
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route4("10.9.2.0", 24, 0, NULL);
	r.type = RTE_XDP_FIB_RT_PROHIBIT;
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route4("10.5.0.0", 16, P1, NULL);		/* IPv6 gateway */
	r.gw_family = AF_INET6;
	ip6("fe80::fe", r.gw);
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route6("2001:db8:1::", 64, P0, NULL);
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route6("2001:db8:2::", 64, P1, NULL);
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	r = route6("2001:db8:3::", 48, P1, "fe80::fe");
	r.metric = 1024;
	if (rte_xdp_fib_route_add(fib, &r))
		goto fail;
	a = ip4("10.2.0.7");
	if (rte_xdp_fib_neigh_add(fib, AF_INET, &a, P1, &hostb))
		goto fail;
	a = ip4("10.2.0.254");
	if (rte_xdp_fib_neigh_add(fib, AF_INET, &a, P1, &gwb))
		goto fail;
	ip6("2001:db8:2::7", a6);
	if (rte_xdp_fib_neigh_add(fib, AF_INET6, a6, P1, &hostb))
		goto fail;
	ip6("fe80::fe", a6);
	if (rte_xdp_fib_neigh_add(fib, AF_INET6, a6, P1, &gwb))
		goto fail;
	return fib;
fail:
	rte_xdp_fib_free(fib);
	return NULL;
}

static struct rte_xdp_fib_lookup
q4(const char *dst, uint32_t ifindex, uint16_t tot_len)
{
	struct rte_xdp_fib_lookup p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	p.ipv4_src = ip4("10.1.0.2");
	p.ipv4_dst = ip4(dst);
	p.ifindex = ifindex;
	p.tot_len = tot_len;
	p.l4_protocol = IPPROTO_UDP;
	return p;
}

static struct rte_xdp_fib_lookup
q6(const char *dst, uint32_t ifindex, uint16_t tot_len)
{
	struct rte_xdp_fib_lookup p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET6;
	ip6("2001:db8:1::2", p.ipv6_src);
	ip6(dst, p.ipv6_dst);
	p.ifindex = ifindex;
	p.tot_len = tot_len;
	return p;
}

static int
test_ipv4(void)
{
	struct rte_xdp_fib *fib = make_fib();
	struct rte_xdp_fib_lookup p;
	uint8_t zero[6] = { 0 };
	uint8_t gw6[16];

	TEST_ASSERT_NOT_NULL(fib, "fib");
	/* connected, neighbour known */
	p = q4("10.2.0.7", P0, 100);
	p.h_vlan_TCI = 0x1234;
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "connected");
	TEST_ASSERT_EQUAL(p.ifindex, P1, "egress");
	TEST_ASSERT(memcmp(p.dmac, &hostb, 6) == 0, "dmac of the neighbour");
	TEST_ASSERT(memcmp(p.smac, &mac1, 6) == 0, "smac of the egress port");
	TEST_ASSERT_EQUAL(p.ipv4_dst, ip4("10.2.0.7"), "dst kept");
	TEST_ASSERT_EQUAL(p.mtu_result, 9000, "mtu_result: egress MTU");
	TEST_ASSERT_EQUAL(p.h_vlan_TCI, 0, "vlan fields zeroed");
	TEST_ASSERT_EQUAL(p.family, AF_INET, "family");
	/* gateway route: ipv4_dst becomes the gateway */
	p = q4("10.3.1.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "via gateway");
	TEST_ASSERT_EQUAL(p.ipv4_dst, ip4("10.2.0.254"), "nexthop");
	TEST_ASSERT(memcmp(p.dmac, &gwb, 6) == 0, "dmac of the gateway");
	TEST_ASSERT_EQUAL(p.rt_metric, 5, "rt_metric");
	/* longest prefix */
	p = q4("10.3.5.9", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NO_NEIGH, "/24 inside the /16");
	TEST_ASSERT_EQUAL(p.ifindex, P0, "NO_NEIGH leaves the egress set");
	TEST_ASSERT(memcmp(p.dmac, zero, 6) == 0, "no dmac");
	/* SKIP_NEIGH */
	p = q4("10.3.5.9", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_SKIP_NEIGH), RTE_XDP_FIB_LKUP_RET_SUCCESS,
		"SKIP_NEIGH");
	TEST_ASSERT(memcmp(p.smac, zero, 6) == 0, "no smac with SKIP_NEIGH");
	/* MTU: interface's, then the route's */
	p = q4("10.2.0.7", P1, 1600);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "1600 fits 9000");
	p = q4("10.1.0.9", P1, 1501);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_FRAG_NEEDED, "1501 > 1500");
	TEST_ASSERT_EQUAL(p.mtu_result, 1500, "mtu_result");
	TEST_ASSERT_EQUAL(p.ifindex, P1, "ifindex untouched before the MTU");
	p = q4("10.4.0.1", P0, 1401);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_FRAG_NEEDED, "route MTU 1400");
	TEST_ASSERT_EQUAL(p.mtu_result, 1400, "route mtu_result");
	/* SRC: the route's preferred source, else the egress address */
	p = q4("10.4.0.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_SRC), RTE_XDP_FIB_LKUP_RET_SUCCESS, "SRC");
	TEST_ASSERT_EQUAL(p.ipv4_src, ip4("10.2.0.1"), "prefsrc");
	p = q4("10.1.0.9", P1, 100);
	rte_xdp_fib_lookup(fib, &p, sizeof(p), RTE_XDP_FIB_LOOKUP_SRC);
	TEST_ASSERT_EQUAL(p.ipv4_src, ip4("10.1.0.1"), "egress address");
	/* error routes */
	p = q4("10.9.7.7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_BLACKHOLE, "blackhole");
	p = q4("10.9.1.7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_UNREACHABLE, "unreachable");
	p = q4("10.9.2.7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_PROHIBIT, "prohibit");
	p = q4("192.0.2.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED, "no route");
	/* the router's own address: local table, unless DIRECT */
	p = q4("10.1.0.1", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED, "local address");
	p = q4("10.1.0.1", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_DIRECT), RTE_XDP_FIB_LKUP_RET_NO_NEIGH,
		"DIRECT: main table only");
	/* TBID with DIRECT */
	p = q4("10.2.0.7", P0, 100);
	p.tbid = RTE_XDP_FIB_TABLE_MAIN;
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_DIRECT | RTE_XDP_FIB_LOOKUP_TBID),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "TBID main");
	p = q4("10.2.0.7", P0, 100);
	p.tbid = 100;
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_DIRECT | RTE_XDP_FIB_LOOKUP_TBID),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED, "TBID of no table");
	TEST_ASSERT_EQUAL(p.tbid, 0, "tbid zeroed");
	/* OUTPUT: ifindex is the output device */
	p = q4("10.3.5.9", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_OUTPUT), RTE_XDP_FIB_LKUP_RET_SUCCESS,
		"OUTPUT on p1: the /16 through p1, not the /24 through p0");
	TEST_ASSERT_EQUAL(p.ipv4_dst, ip4("10.2.0.254"), "its gateway");
	p = q4("10.2.0.7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_OUTPUT), RTE_XDP_FIB_LKUP_RET_NOT_FWDED,
		"OUTPUT on p0: no route through p0");
	/* IPv4 route through an IPv6 gateway (RFC 5549) */
	p = q4("10.5.0.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "v4 via v6");
	ip6("fe80::fe", gw6);
	TEST_ASSERT(p.family == AF_INET6 && memcmp(p.ipv6_dst, gw6, 16) == 0,
		"family and nexthop of the IPv6 gateway");
	TEST_ASSERT(memcmp(p.dmac, &gwb, 6) == 0, "its neighbour");
	/* forwarding off on the ingress, unknown ingress */
	p = q4("10.2.0.7", P2, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_FWD_DISABLED, "forwarding off");
	p = q4("10.2.0.7", 99, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0), -ENODEV,
		"unknown ifindex");
	/* bad input */
	p = q4("10.2.0.7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, 63, 0), -EINVAL, "plen");
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 1u << 5),
		-EINVAL, "unknown flag");
	p.family = 7;
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		-EAFNOSUPPORT, "family");
	rte_xdp_fib_free(fib);
	return TEST_SUCCESS;
}

static int
test_ipv6(void)
{
	struct rte_xdp_fib *fib = make_fib();
	struct rte_xdp_fib_lookup p;
	uint8_t want[16];

	TEST_ASSERT_NOT_NULL(fib, "fib");
	p = q6("2001:db8:2::7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "connected");
	TEST_ASSERT(p.ifindex == P1 && memcmp(p.dmac, &hostb, 6) == 0 &&
		memcmp(p.smac, &mac1, 6) == 0, "egress, MACs");
	p = q6("2001:db8:3:1::1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "via link-local gateway");
	ip6("fe80::fe", want);
	TEST_ASSERT(memcmp(p.ipv6_dst, want, 16) == 0, "nexthop");
	TEST_ASSERT_EQUAL(p.rt_metric, 1024, "metric");
	p = q6("fe80::7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED, "link-local never forwarded");
	p = q6("ff02::1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED, "multicast");
	p = q6("2001:db8:1::1", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED, "own address");
	p = q6("2001:db8:1::9", P1, 1501);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_FRAG_NEEDED, "MTU");
	TEST_ASSERT_EQUAL(p.mtu_result, 1500, "mtu_result");
	p = q6("2001:db8:2::7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_SRC), RTE_XDP_FIB_LKUP_RET_NO_SRC_ADDR,
		"SRC: p1 has no IPv6 address");
	p = q6("2001:db8:1::9", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_SRC | RTE_XDP_FIB_LOOKUP_SKIP_NEIGH),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "SRC on p0");
	ip6("2001:db8:1::1", want);
	TEST_ASSERT(memcmp(p.ipv6_src, want, 16) == 0, "p0's address");
	p = q6("2001:db8:9::1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED, "no route");
	p = q6("2001:db8:2::7", P2, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_FWD_DISABLED, "forwarding off");
	rte_xdp_fib_free(fib);
	return TEST_SUCCESS;
}

static int
test_helper(void)
{
	struct rte_xdp_fib *fib = make_fib();
	struct rte_xdp_fib_lookup p = q4("10.2.0.7", P0, 100);

	TEST_ASSERT_NOT_NULL(fib, "fib");
	TEST_ASSERT_NULL(rte_xdp_fib_set_default(NULL), "none published");
	TEST_ASSERT_EQUAL((int64_t)xdpc_helper_fib_lookup(0, (uintptr_t)&p,
		sizeof(p), 0, 0), -ENODEV, "no FIB published");
	TEST_ASSERT_NULL(rte_xdp_fib_set_default(fib), "publish");
	TEST_ASSERT(rte_xdp_fib_get_default() == fib, "published");
	TEST_ASSERT_EQUAL(xdpc_helper_fib_lookup(0, (uintptr_t)&p, sizeof(p),
		0, 0), RTE_XDP_FIB_LKUP_RET_SUCCESS, "helper");
	TEST_ASSERT_EQUAL(p.ifindex, P1, "egress");
	TEST_ASSERT(rte_xdp_fib_set_default(NULL) == fib, "unpublish");
	rte_xdp_fib_free(fib);
	return TEST_SUCCESS;
}

static int
write_file(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/xdp_fib_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int
load_text(const char *text, char *err, size_t len)
{
	struct rte_xdp_fib *fib = rte_xdp_fib_create("f", NULL);
	char path[64];
	int ret;

	if (fib == NULL || write_file(path, text) != 0)
		return -999;
	ret = rte_xdp_fib_load_file(fib, path, err, len);
	unlink(path);
	rte_xdp_fib_free(fib);
	return ret;
}

static int
test_config_file(void)
{
	static const char cfg[] =
		"# two ports\n"
		"iface p0 ifindex 10 mac 02:00:00:00:00:10 addr 10.1.0.1\n"
		"iface p1 ifindex 11 mac 02:00:00:00:00:11 mtu 9000 addr6 2001:db8:2::1\n"
		"iface p2 ifindex 12 mac 02:00:00:00:00:12 noforward\n"
		"route 10.1.0.0/24 dev p0\n"
		"route 10.2.0.0/24 dev 11   # by ifindex\n"
		"route default via 10.2.0.254 dev p1 metric 10\n"
		"route 10.4.0.0/16 via 10.2.0.254 dev p1 mtu 1400 src 10.2.0.1\n"
		"route blackhole 10.9.0.0/16\n"
		"route 2001:db8:2::/64 dev p1\n"
		"route ::/0 via fe80::fe dev p1\n"
		"neigh 10.2.0.254 lladdr 02:00:00:00:bb:fe dev p1\n"
		"neigh fe80::fe lladdr 02:00:00:00:bb:fe dev p1\n";
	struct rte_xdp_fib *fib = rte_xdp_fib_create("f", NULL);
	struct rte_xdp_fib_lookup p;
	uint32_t r4, r6, nb;
	char path[64], err[256];

	TEST_ASSERT_NOT_NULL(fib, "fib");
	TEST_ASSERT_SUCCESS(write_file(path, cfg), "temp file");
	TEST_ASSERT_EQUAL(rte_xdp_fib_load_file(fib, path, err, sizeof(err)),
		12, "statements applied: %s", err);
	unlink(path);
	rte_xdp_fib_count(fib, &r4, &r6, &nb);
	TEST_ASSERT_EQUAL(r4, 6, "IPv4 routes (5 + local 10.1.0.1)");
	TEST_ASSERT_EQUAL(r6, 3, "IPv6 routes (2 + local 2001:db8:2::1)");
	TEST_ASSERT_EQUAL(nb, 2, "neighbours");
	p = q4("198.51.100.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "default route");
	TEST_ASSERT(p.ifindex == P1 && memcmp(p.dmac, &gwb, 6) == 0 &&
		p.rt_metric == 10, "through the gateway");
	p = q4("10.9.0.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_BLACKHOLE, "blackhole");
	p = q4("10.2.0.9", P2, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_FWD_DISABLED, "noforward");
	p = q6("2001:db8:77::1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p),
		RTE_XDP_FIB_LOOKUP_SRC), RTE_XDP_FIB_LKUP_RET_SUCCESS,
		"IPv6 default route, SRC");
	TEST_ASSERT(rte_xdp_fib_if_by_name(fib, "p1") != NULL &&
		rte_xdp_fib_if_by_name(fib, "p1")->mtu == 9000, "iface mtu");
	rte_xdp_fib_free(fib);

	/* errors name file, line and cause */
	TEST_ASSERT(load_text("route 10.0.0.0/8 dev nope\n", err,
		sizeof(err)) < 0 && strstr(err, ":1: no interface 'nope'"),
		"unknown dev: %s", err);
	TEST_ASSERT(load_text("iface a ifindex 1 mac 02:00:00:00:00:01\n"
		"route 10.0.0.0/33 dev a\n", err, sizeof(err)) < 0 &&
		strstr(err, ":2: route needs PREFIX/LEN"), "bad prefix: %s", err);
	TEST_ASSERT(load_text("iface a ifindex 1 mac zz\n", err,
		sizeof(err)) < 0 && strstr(err, ":1: bad mac 'zz'"),
		"bad mac: %s", err);
	TEST_ASSERT(load_text("bogus 1 2\n", err, sizeof(err)) < 0 &&
		strstr(err, "unknown statement 'bogus'"), "statement: %s", err);
	TEST_ASSERT(load_text("iface a ifindex 1 mac 02:00:00:00:00:01\n"
		"neigh 10.0.0.1 dev a\n", err, sizeof(err)) < 0 &&
		strstr(err, "needs lladdr and dev"), "neigh: %s", err);
	fib = rte_xdp_fib_create("f", NULL);
	TEST_ASSERT_EQUAL(rte_xdp_fib_load_file(fib, "/nonexistent/routes",
		err, sizeof(err)), -ENOENT, "missing file");
	TEST_ASSERT(strstr(err, "/nonexistent/routes") != NULL, "%s", err);
	rte_xdp_fib_free(fib);
	return TEST_SUCCESS;
}

static int kernel_checks(struct rte_xdp_fib *fib);

/*
 * In a thread, in a network namespace of its own: veth interfaces
 * configured with ip(8), read back through netlink.
 */
static int
kernel_child(void)
{
	static const char *const cmds[] = {
		"ip link set lo up",
		"ip link add kx0 type veth peer name ky0",
		"ip link add kx1 type veth peer name ky1",
		"ip link add kx2 type veth peer name ky2",
		"ip link set ky0 up", "ip link set ky1 up", "ip link set ky2 up",
		"ip link set kx0 address 02:00:00:00:00:10 mtu 1500 up",
		"ip link set kx1 address 02:00:00:00:00:11 mtu 9000 up",
		"ip link set kx2 up",
		"ip addr add 10.1.0.1/24 dev kx0",
		"ip addr add 10.2.0.1/24 dev kx1",
		"ip addr add 10.7.0.1/24 dev kx2",
		"ip -6 addr add 2001:db8:2::1/64 dev kx1 nodad",
		"ip route add 10.3.0.0/16 via 10.2.0.254 metric 5",
		"ip route add 10.4.0.0/16 via 10.2.0.254 mtu 1400",
		"ip route add 10.8.0.0/16 via 10.7.0.254",
		"ip route add blackhole 10.9.0.0/16",
		"ip -6 route add 2001:db8:3::/48 via 2001:db8:2::fe",
		"ip neigh add 10.2.0.254 lladdr 02:00:00:00:bb:fe dev kx1",
		"ip neigh add 10.2.0.7 lladdr 02:00:00:00:bb:07 dev kx1",
		"ip neigh add 10.7.0.254 lladdr 02:00:00:00:cc:fe dev kx2",
		"ip -6 neigh add 2001:db8:2::fe lladdr 02:00:00:00:bb:fe dev kx1",
		"sysctl -q -w net.ipv4.conf.kx0.forwarding=1",
		"sysctl -q -w net.ipv4.conf.kx1.forwarding=1",
		"sysctl -q -w net.ipv6.conf.kx0.forwarding=1",
	};
	struct rte_xdp_fib *fib;
	unsigned int i;
	int ret;

	if (unshare(CLONE_NEWNET) != 0)
		return TEST_SKIPPED;
	for (i = 0; i < RTE_DIM(cmds); i++)
		if (system(cmds[i]) != 0) {
			printf("'%s' failed\n", cmds[i]);
			return TEST_SKIPPED;
		}
	fib = rte_xdp_fib_create("k", NULL);
	TEST_ASSERT_NOT_NULL(fib, "fib");
	ret = kernel_checks(fib);
	rte_xdp_fib_free(fib);
	return ret;
}

static int
kernel_checks(struct rte_xdp_fib *fib)
{
	struct rte_xdp_fib_if i0 = { .name = "kx0", .ifindex = P0, .mac = mac0,
		.mtu = 1500 };
	struct rte_xdp_fib_if i1 = { .name = "kx1", .ifindex = P1, .mac = mac1,
		.mtu = 9000 };
	struct rte_xdp_fib_lookup p;
	uint32_t r4, r6, nb;
	char err[256];
	int n;

	TEST_ASSERT_SUCCESS(rte_xdp_fib_if_add(fib, &i0), "kx0");
	TEST_ASSERT_SUCCESS(rte_xdp_fib_if_add(fib, &i1), "kx1");
	n = rte_xdp_fib_load_kernel(fib, 0, err, sizeof(err));
	TEST_ASSERT(n > 0, "read the kernel's tables: %d %s", n, err);
	rte_xdp_fib_count(fib, &r4, &r6, &nb);
	printf("kernel: %d entries, %u IPv4 routes, %u IPv6, %u neighbours\n",
		n, r4, r6, nb);
	/* 3 configured, and multicast entries IPv6 made (NOARP) */
	TEST_ASSERT(nb >= 3, "neighbours on kx0/kx1");
	TEST_ASSERT(rte_xdp_fib_if_get(fib, P0)->nb_addr4 == 1 &&
		rte_xdp_fib_if_get(fib, P1)->nb_addr6 == 1, "addresses");
	p = q4("10.2.0.7", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "connected from the kernel");
	TEST_ASSERT(p.ifindex == P1 && memcmp(p.dmac, &hostb, 6) == 0,
		"translated to our ifindex, kernel neighbour");
	p = q4("10.3.2.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "gateway route");
	TEST_ASSERT(p.rt_metric == 5 && p.ipv4_dst == ip4("10.2.0.254"),
		"metric, nexthop");
	p = q4("10.4.0.1", P0, 1401);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_FRAG_NEEDED, "route mtu");
	p = q4("10.8.0.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED,
		"through an interface we do not drive: the stack's");
	p = q4("10.9.0.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_BLACKHOLE, "blackhole");
	p = q4("10.7.0.1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_NOT_FWDED, "an address of the host");
	p = q4("10.2.0.7", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "kx1 forwards");
	p = q6("2001:db8:3::1", P0, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_SUCCESS, "IPv6 gateway route");
	p = q6("2001:db8:3::1", P1, 100);
	TEST_ASSERT_EQUAL(rte_xdp_fib_lookup(fib, &p, sizeof(p), 0),
		RTE_XDP_FIB_LKUP_RET_FWD_DISABLED, "kx1: IPv6 forwarding off");
	return TEST_SUCCESS;
}

static void *
kernel_thread(void *arg)
{
	*(int *)arg = kernel_child();
	return NULL;
}

/* The network namespace is a thread's: the test thread gets its own. */
static int
test_kernel_tables(void)
{
	pthread_t t;
	int ret = TEST_FAILED;

	if (!test_has_cap_net_admin())
		TEST_SKIP("needs root (network namespace, netlink)");
	if (getenv("XDP_TEST_EMULATOR") != NULL)
		TEST_SKIP("%s does not translate RTM_GETNEIGH netlink messages",
			getenv("XDP_TEST_EMULATOR"));
	if (system("command -v ip >/dev/null && command -v sysctl >/dev/null") != 0)
		TEST_SKIP("ip or sysctl not installed");
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, kernel_thread, &ret),
		"thread");
	pthread_join(t, NULL);
	if (ret == TEST_SKIPPED)
		TEST_SKIP("cannot make a network namespace with veth interfaces");
	return ret;
}

/* The kernel as the oracle. */

struct oracle {
	char dir[64];		/* bpffs pins */
	char tmp[64];		/* frame files */
	uint32_t if0, if1;
	struct rte_mempool *mp;
	struct rte_xdp_obj *obj;
	struct rte_xdp_prog *prog;
	struct rte_xdp_rxq_info rxq;
};

/* One frame from 10.1.0.2 (2001:db8:1::2) on kx0; len: frame bytes. */
static uint16_t
oracle_frame(uint8_t *f, int v6, const char *dst, uint8_t ttl, uint16_t len)
{
	struct rte_ether_hdr *eh = (void *)f;
	uint16_t l3 = len - sizeof(*eh);

	memset(f, 0x5a, len);
	eh->dst_addr = mac0;
	memset(&eh->src_addr, 0, sizeof(eh->src_addr));
	eh->src_addr.addr_bytes[0] = 2;
	eh->src_addr.addr_bytes[5] = 0x22;
	if (!v6) {
		struct rte_ipv4_hdr *ip = (void *)(eh + 1);

		eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = 0x10;
		ip->total_length = rte_cpu_to_be_16(l3);
		ip->time_to_live = ttl;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = ip4("10.1.0.2");
		ip->dst_addr = ip4(dst);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = (void *)(eh + 1);

		eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
		memset(ip, 0, sizeof(*ip));
		ip->vtc_flow = rte_cpu_to_be_32(0x60012345);
		ip->payload_len = rte_cpu_to_be_16(l3 - sizeof(*ip));
		ip->proto = IPPROTO_UDP;
		ip->hop_limits = ttl;
		ip6("2001:db8:1::2", ip->src_addr);
		ip6(dst, ip->dst_addr);
	}
	return len;
}

/* The kernel's verdict and output frame; -1 if bpftool failed. */
static int
kernel_run(struct oracle *o, const uint8_t *f, uint16_t len, uint8_t *out,
	uint16_t *out_len)
{
	uint32_t ctx[6] = { 0, len, 0, o->if0, 0, 0 };
	char cmd[512], path[96], line[256];
	FILE *fp;
	int ret = -1;
	long n;

	snprintf(path, sizeof(path), "%s/in", o->tmp);
	fp = fopen(path, "w");
	if (fp == NULL || fwrite(f, 1, len, fp) != len)
		return -1;
	fclose(fp);
	snprintf(path, sizeof(path), "%s/ctx", o->tmp);
	fp = fopen(path, "w");
	if (fp == NULL || fwrite(ctx, 1, sizeof(ctx), fp) != sizeof(ctx))
		return -1;
	fclose(fp);
	snprintf(cmd, sizeof(cmd),
		"bpftool prog run pinned %s/prog data_in %s/in data_out %s/out ctx_in %s/ctx 2>&1",
		o->dir, o->tmp, o->tmp, o->tmp);
	fp = popen(cmd, "r");
	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "Return value: %d", &ret) != 1 &&
		    strstr(line, "rror") != NULL)
			printf("bpftool: %s", line);
	pclose(fp);
	snprintf(path, sizeof(path), "%s/out", o->tmp);
	fp = fopen(path, "r");
	if (fp == NULL)
		return -1;
	n = fread(out, 1, 2048, fp);
	fclose(fp);
	*out_len = n;
	return ret;
}

static int
runtime_run(struct oracle *o, const uint8_t *f, uint16_t len, uint8_t *out,
	uint16_t *out_len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(o->mp);
	uint32_t verdict;

	if (m == NULL)
		return -1;
	m->data_off = RTE_XDP_PACKET_HEADROOM;
	memcpy(rte_pktmbuf_append(m, len), f, len);
	rte_xdp_prog_run_burst(o->prog, &o->rxq, &m, 1, &verdict, NULL);
	*out_len = rte_pktmbuf_pkt_len(m);
	memcpy(out, rte_pktmbuf_mtod(m, void *), *out_len);
	rte_pktmbuf_free(m);
	return verdict;
}

static int
oracle_setup(struct oracle *o)
{
	struct rte_xdp_obj_opts oo = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	char cmd[1024], err[256];
	const char *fwd = test_bpf_obj("fwd", "xdp_fwd");
	const char *pass = test_bpf_obj("", "xdp_pass_v3");
	struct rte_xdp_map *dm;
	uint32_t k;

	o->if0 = if_nametoindex("kx0");
	o->if1 = if_nametoindex("kx1");
	snprintf(o->dir, sizeof(o->dir), "/sys/fs/bpf/xfib_oracle%d", getpid());
	strcpy(o->tmp, "/tmp/xfib_oracleXXXXXX");
	if (o->if0 == 0 || o->if1 == 0 || mkdtemp(o->tmp) == NULL)
		return TEST_SKIPPED;
	/* veth registers its XDP RX queue info once a program is attached;
	 * the kernel's test run needs it for ingress_ifindex */
	snprintf(cmd, sizeof(cmd),
		"ip link set dev kx0 xdp obj %s sec xdp && mkdir -p %s && "
		"bpftool prog load %s %s/prog type xdp pinmaps %s/maps && "
		"bpftool map update pinned %s/maps/xdp_tx_ports key %u %u %u %u value %u %u %u %u && "
		"bpftool map update pinned %s/maps/xdp_tx_ports key %u %u %u %u value %u %u %u %u",
		pass, o->dir, fwd, o->dir, o->dir,
		o->dir, o->if0 & 255, o->if0 >> 8 & 255, 0, 0,
		o->if0 & 255, o->if0 >> 8 & 255, 0, 0,
		o->dir, o->if1 & 255, o->if1 >> 8 & 255, 0, 0,
		o->if1 & 255, o->if1 >> 8 & 255, 0, 0);
	if (system(cmd) != 0) {
		printf("kernel side not available: %s\n", cmd);
		return TEST_SKIPPED;
	}
	o->mp = rte_pktmbuf_pool_create(test_unique("orc"), 64, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	o->obj = rte_xdp_obj_open(fwd, &oo, err, sizeof(err));
	if (o->mp == NULL || o->obj == NULL ||
	    rte_xdp_obj_load(o->obj, err, sizeof(err)) != 0) {
		printf("runtime side: %s\n", err);
		return TEST_FAILED;
	}
	o->prog = rte_xdp_obj_find_prog(o->obj, "xdp_fwd");
	dm = rte_xdp_obj_find_map(o->obj, "xdp_tx_ports");
	k = o->if0;
	rte_xdp_map_update(dm, &k, &k, RTE_XDP_ANY);
	k = o->if1;
	rte_xdp_map_update(dm, &k, &k, RTE_XDP_ANY);
	rte_xdp_rxq_info_reg(&o->rxq, 0, o->if0, 0, 0);
	return TEST_SUCCESS;
}

static void
oracle_teardown(struct oracle *o)
{
	char cmd[256];

	rte_xdp_obj_close(o->obj);
	rte_mempool_free(o->mp);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", o->dir, o->tmp);
	if (system(cmd) != 0)
		printf("cannot remove %s\n", o->dir);
}

static int
oracle_cases(struct oracle *o)
{
	static const struct {
		int v6;
		const char *dst;
		uint8_t ttl;
		uint16_t len;
		const char *what;
	} c[] = {
		{ 0, "10.2.0.7", 64, 100, "connected, neighbour" },
		{ 0, "10.3.1.1", 64, 100, "via gateway" },
		{ 0, "10.2.0.9", 64, 100, "no neighbour" },
		{ 0, "10.2.0.7", 1, 100, "TTL 1" },
		{ 0, "10.2.0.7", 2, 100, "TTL 2" },
		{ 0, "10.1.0.1", 64, 100, "the router's address" },
		{ 0, "10.2.0.255", 64, 100, "subnet broadcast" },
		{ 0, "10.9.0.1", 64, 100, "blackhole" },
		{ 0, "10.9.1.1", 64, 100, "unreachable" },
		{ 0, "10.9.2.1", 64, 100, "prohibit" },
		{ 0, "192.0.2.1", 64, 100, "no route" },
		{ 0, "10.4.0.1", 64, 1300, "route MTU 1400, 1286 bytes" },
		{ 0, "10.4.0.1", 64, 1500, "route MTU 1400, 1486 bytes" },
		{ 0, "10.8.0.1", 64, 100, "gateway without neighbour" },
		{ 1, "2001:db8:2::7", 64, 100, "IPv6 connected" },
		{ 1, "2001:db8:3::1", 64, 100, "IPv6 via gateway" },
		{ 1, "2001:db8:2::9", 64, 100, "IPv6 no neighbour" },
		{ 1, "fe80::7", 64, 100, "IPv6 link-local" },
		{ 1, "2001:db8:9::1", 64, 100, "IPv6 no route" },
		{ 1, "2001:db8:2::7", 1, 100, "IPv6 hop limit 1" },
		{ 1, "2001:db8:1::1", 64, 100, "IPv6 the router's address" },
	};
	uint8_t f[2048], ko[2048], ro[2048];
	uint16_t len, kl, rl;
	unsigned int i, fwd = 0;
	int kv, rv;

	for (i = 0; i < RTE_DIM(c); i++) {
		len = oracle_frame(f, c[i].v6, c[i].dst, c[i].ttl, c[i].len);
		kv = kernel_run(o, f, len, ko, &kl);
		rv = runtime_run(o, f, len, ro, &rl);
		TEST_ASSERT(kv >= 0, "%s: kernel test run failed", c[i].what);
		TEST_ASSERT_EQUAL(rv, kv, "%s: verdict (ours, kernel)",
			c[i].what);
		TEST_ASSERT(kl == rl && memcmp(ko, ro, kl) == 0,
			"%s: output frames differ", c[i].what);
		fwd += kv == RTE_XDP_REDIRECT;
	}
	/* a frame too short for an IPv4 header */
	len = oracle_frame(f, 0, "10.2.0.7", 64, 100);
	kv = kernel_run(o, f, 24, ko, &kl);
	rv = runtime_run(o, f, 24, ro, &rl);
	TEST_ASSERT(kv == RTE_XDP_DROP && rv == kv, "truncated: %d, %d", rv, kv);
	printf("kernel oracle: %u frames, %u forwarded, same verdicts and frames\n",
		i + 1, fwd);
	TEST_ASSERT(fwd >= 6, "forwarding cases forwarded");
	return TEST_SUCCESS;
}

static int
oracle_child(void)
{
	static const char *const cmds[] = {
		"ip link set lo up",
		"ip link add kx0 type veth peer name ky0",
		"ip link add kx1 type veth peer name ky1",
		"ip link set ky0 up", "ip link set ky1 up",
		"ip link set kx0 address 02:00:00:00:00:10 up",
		"ip link set kx1 address 02:00:00:00:00:11 up",
		"ip addr add 10.1.0.1/24 dev kx0",
		"ip addr add 10.2.0.1/24 dev kx1",
		"ip -6 addr add 2001:db8:1::1/64 dev kx0 nodad",
		"ip -6 addr add 2001:db8:2::1/64 dev kx1 nodad",
		"ip route add 10.3.0.0/16 via 10.2.0.254 metric 5",
		"ip route add 10.4.0.0/16 via 10.2.0.254 mtu lock 1400",
		"ip route add 10.8.0.0/16 via 10.2.0.253",
		"ip route add blackhole 10.9.0.0/16",
		"ip route add unreachable 10.9.1.0/24",
		"ip route add prohibit 10.9.2.0/24",
		"ip -6 route add 2001:db8:3::/48 via 2001:db8:2::fe",
		"ip neigh add 10.2.0.254 lladdr 02:00:00:00:bb:fe dev kx1",
		"ip neigh add 10.2.0.7 lladdr 02:00:00:00:bb:07 dev kx1",
		"ip -6 neigh add 2001:db8:2::fe lladdr 02:00:00:00:bb:fe dev kx1",
		"ip -6 neigh add 2001:db8:2::7 lladdr 02:00:00:00:bb:07 dev kx1",
		"sysctl -q -w net.ipv4.conf.kx0.forwarding=1 net.ipv4.conf.kx1.forwarding=1",
		"sysctl -q -w net.ipv6.conf.all.forwarding=1",
	};
	struct rte_xdp_fib_if i0 = { .name = "kx0", .mac = mac0, .mtu = 1500 };
	struct rte_xdp_fib_if i1 = { .name = "kx1", .mac = mac1, .mtu = 1500 };
	struct rte_xdp_fib *fib, *prev;
	struct oracle o;
	char err[256];
	unsigned int i;
	int ret;

	memset(&o, 0, sizeof(o));
	if (unshare(CLONE_NEWNET) != 0)
		return TEST_SKIPPED;
	for (i = 0; i < RTE_DIM(cmds); i++)
		if (system(cmds[i]) != 0) {
			printf("'%s' failed\n", cmds[i]);
			return TEST_SKIPPED;
		}
	ret = oracle_setup(&o);
	if (ret != TEST_SUCCESS) {
		oracle_teardown(&o);
		return ret;
	}
	/* our FIB: the kernel's tables, the kernel's ifindexes */
	i0.ifindex = o.if0;
	i1.ifindex = o.if1;
	fib = rte_xdp_fib_create("oracle", NULL);
	if (fib == NULL || rte_xdp_fib_if_add(fib, &i0) != 0 ||
	    rte_xdp_fib_if_add(fib, &i1) != 0 ||
	    rte_xdp_fib_load_kernel(fib, 0, err, sizeof(err)) < 0) {
		printf("FIB from the kernel: %s\n", err);
		rte_xdp_fib_free(fib);
		oracle_teardown(&o);
		return TEST_FAILED;
	}
	prev = rte_xdp_fib_set_default(fib);
	ret = oracle_cases(&o);
	rte_xdp_fib_set_default(prev);
	rte_xdp_fib_free(fib);
	oracle_teardown(&o);
	return ret;
}

static void *
oracle_thread(void *arg)
{
	*(int *)arg = oracle_child();
	return NULL;
}

static int
test_kernel_oracle(void)
{
	pthread_t t;
	int ret = TEST_FAILED;

	if (!test_has_cap_net_admin())
		TEST_SKIP("needs root (bpf(), network namespace)");
	if (getenv("XDP_TEST_EMULATOR") != NULL)
		TEST_SKIP("%s does not translate RTM_GETNEIGH netlink messages",
			getenv("XDP_TEST_EMULATOR"));
	if (system("command -v bpftool >/dev/null && command -v ip >/dev/null && "
		   "[ -d /sys/fs/bpf ] && mount | grep -q ' /sys/fs/bpf '") != 0)
		TEST_SKIP("bpftool, ip or a mounted /sys/fs/bpf missing");
	if (access(test_bpf_obj("fwd", "xdp_fwd"), R_OK) != 0)
		TEST_SKIP("xdp_fwd.o not built");
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, oracle_thread, &ret),
		"thread");
	pthread_join(t, NULL);
	if (ret == TEST_SKIPPED)
		TEST_SKIP("kernel side not available (see above)");
	return ret;
}

static struct unit_test_suite xdp_fib_suite = {
	.suite_name = "bpf_fib_lookup tables",
	.unit_test_cases = {
		TEST_CASE(test_ipv4),
		TEST_CASE(test_ipv6),
		TEST_CASE(test_helper),
		TEST_CASE(test_config_file),
		TEST_CASE(test_kernel_tables),
		TEST_CASE(test_kernel_oracle),
		TEST_CASES_END(),
	},
};

static int
test_xdp_fib(void)
{
	return unit_test_suite_runner(&xdp_fib_suite);
}

REGISTER_TEST_COMMAND(xdp_fib_autotest, test_xdp_fib);
