/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port on a kernel interface through AF_PACKET does not take the frames
 * away from the kernel: the network namespace's stack sees every frame the
 * port receives. Where that stack also routes them or answers for the
 * router's addresses (which it holds, on the TAP interfaces), the hosts get
 * each forwarded frame or reply twice: IPv6 enabled on the interface (with
 * IPv6 forwarding on, every IPv6 frame), IPv4 forwarding on it, or IPv4
 * without a strict reverse-path filter (the router's replies). Say so once
 * for each, with the setting that turns it off.
 */

#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>

#include <rte_pmd_mvneta_xdp.h>

#include "wire_check.h"

int
wire_iface(uint16_t port_id, char *name, size_t len)
{
	const struct rte_devargs *da;
	struct rte_eth_dev_info info;
	struct rte_kvargs *kv;
	const char *v;
	int ret = -1;

	if (rte_eth_dev_info_get(port_id, &info) != 0 || info.device == NULL)
		return -1;
	if (strcmp(info.driver_name, "net_af_packet") != 0 &&
	    !rte_pmd_mvneta_xdp_is_port(port_id))
		return -1;
	da = rte_dev_devargs(info.device);
	if (da == NULL || da->args == NULL)
		return -1;
	kv = rte_kvargs_parse(da->args, NULL);
	if (kv == NULL)
		return -1;
	v = rte_kvargs_get(kv, "iface");
	if (v != NULL && *v != '\0' && strlen(v) < len) {
		snprintf(name, len, "%s", v);
		ret = 0;
	}
	rte_kvargs_free(kv);
	return ret;
}

/* A sysctl of this namespace; -1 when unreadable. */
static int
sysctl_read(const char *family, const char *iface, const char *key)
{
	char path[128];
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", family,
		iface, key);
	f = fopen(path, "r");
	if (f != NULL) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static unsigned int
hazards(const char *iface)
{
	unsigned int h = 0;
	int all, dev;

	if (sysctl_read("ipv6", iface, "disable_ipv6") == 0)
		h |= WIRE_IPV6_ON;
	if (sysctl_read("ipv4", iface, "forwarding") > 0)
		h |= WIRE_IPV4_FORWARDING;
	/* the kernel filters with the larger of "all" and the interface's */
	all = sysctl_read("ipv4", "all", "rp_filter");
	dev = sysctl_read("ipv4", iface, "rp_filter");
	if (dev >= 0 && (all > dev ? all : dev) != 1)
		h |= WIRE_IPV4_NO_RPF;
	return h;
}

void
wire_check(const char *port_name, const char *iface, unsigned int *warned)
{
	unsigned int h = hazards(iface) & ~*warned;

	if (h & WIRE_IPV6_ON)
		fprintf(stderr,
			"warning: %s: the kernel sees the frames of %s too, and IPv6 is enabled on it: the kernel answers for the router's IPv6 addresses there and, once IPv6 forwarding is on, forwards every IPv6 frame a second time (duplicates); turn IPv6 off on it: sysctl -w net.ipv6.conf.%s.disable_ipv6=1\n",
			port_name, iface, iface);
	if (h & WIRE_IPV4_FORWARDING)
		fprintf(stderr,
			"warning: %s: the kernel sees the frames of %s too, and IPv4 forwarding is on on it: the kernel forwards every IPv4 frame a second time (duplicates); turn it off: sysctl -w net.ipv4.conf.%s.forwarding=0\n",
			port_name, iface, iface);
	if (h & WIRE_IPV4_NO_RPF)
		fprintf(stderr,
			"warning: %s: the kernel sees the frames of %s too and answers for the router's IPv4 addresses there (duplicate replies); a strict reverse-path filter on it stops that: sysctl -w net.ipv4.conf.%s.rp_filter=1%s\n",
			port_name, iface, iface,
			sysctl_read("ipv4", "all", "rp_filter") > 1 ?
			" net.ipv4.conf.all.rp_filter=1" : "");
	*warned |= h;
}
