/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The router's own addresses on its TAP interfaces. The kernel is the
 * router's slow path: it answers ARP and neighbour solicitations, pings
 * and errors for the addresses a routes file gives the ports ("addr ADDR
 * dev xfwd0"), but only once the TAP interfaces carry them. They get the
 * prefix length of the file's connected route through the same interface
 * (what "ip addr add ADDR/LEN" would give, and so the kernel's connected
 * route), are added with rtnetlink, and removed again at exit.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "tap_addr.h"

#define MAX_ADDRS	128	/* 16 ports, 4 addresses a family (the FIB's) */
#define MAX_ROUTES	256
#define MAX_WORDS	24

struct prefix {
	unsigned int tap;	/* index in the caller's ifs[] */
	int family;
	uint8_t addr[16];
	unsigned int len;
};

/* What we added, to remove at exit. */
static struct added {
	char ifname[IF_NAMESIZE];
	struct prefix p;
} added[MAX_ADDRS];
static unsigned int nb_added;

static unsigned int
host_len(int family)
{
	return family == AF_INET ? 32 : 128;
}

static int
parse_addr(const char *s, int *family, uint8_t *out)
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, s, out) == 1)
		*family = AF_INET6;
	else
		return -1;
	return 0;
}

static int
parse_prefix(const char *s, struct prefix *p)
{
	char buf[64], *slash, *end;
	unsigned long len;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (parse_addr(buf, &p->family, p->addr) != 0)
		return -1;
	p->len = host_len(p->family);
	if (slash == NULL)
		return 0;
	len = strtoul(slash, &end, 10);
	if (*slash == '\0' || *end != '\0' || len > p->len)
		return -1;
	p->len = len;
	return 0;
}

/* The TAP a "dev" word names: its name, or its port's ifindex. */
static int
tap_of(const char *dev, const struct tap_addr_if *ifs, unsigned int nb)
{
	unsigned long idx;
	unsigned int i;
	char *end;

	idx = strtoul(dev, &end, 10);
	for (i = 0; i < nb; i++)
		if (strcmp(dev, ifs[i].name) == 0 ||
		    (*end == '\0' && end != dev && idx == ifs[i].ifindex))
			return i;
	return -1;
}

static bool
prefix_holds(const struct prefix *net, int family, const uint8_t *a)
{
	unsigned int full = net->len / 8, rest = net->len % 8;

	if (net->family != family || memcmp(net->addr, a, full) != 0)
		return false;
	return rest == 0 ||
		((net->addr[full] ^ a[full]) & (0xff << (8 - rest))) == 0;
}

/*
 * "addr ADDR dev NAME" and connected "route PREFIX/LEN dev NAME" lines
 * about the TAPs; the FIB's parser has checked the file already, so
 * anything else is skipped.
 */
static int
scan_file(const char *path, const struct tap_addr_if *ifs, unsigned int nb,
	struct prefix *addrs, unsigned int *nb_addrs, struct prefix *routes,
	unsigned int *nb_routes)
{
	char line[512], *w[MAX_WORDS], *save, *tok;
	FILE *f = fopen(path, "r");
	int n, i, tap;

	if (f == NULL)
		return -errno;
	*nb_addrs = *nb_routes = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		bool via = false;
		const char *dev = NULL;

		line[strcspn(line, "#\r\n")] = '\0';
		n = 0;
		for (tok = strtok_r(line, " \t", &save); tok != NULL &&
		     n < MAX_WORDS; tok = strtok_r(NULL, " \t", &save))
			w[n++] = tok;
		for (i = 2; i + 1 < n; i++) {
			if (strcmp(w[i], "dev") == 0)
				dev = w[i + 1];
			via |= strcmp(w[i], "via") == 0;
		}
		if (n < 4 || dev == NULL || (tap = tap_of(dev, ifs, nb)) < 0)
			continue;
		if (strcmp(w[0], "addr") == 0 && *nb_addrs < MAX_ADDRS &&
		    parse_prefix(w[1], &addrs[*nb_addrs]) == 0) {
			addrs[*nb_addrs].len = host_len(addrs[*nb_addrs].family);
			addrs[(*nb_addrs)++].tap = tap;
		} else if (strcmp(w[0], "route") == 0 && !via &&
			   *nb_routes < MAX_ROUTES &&
			   parse_prefix(w[1], &routes[*nb_routes]) == 0) {
			routes[(*nb_routes)++].tap = tap;
		}
	}
	fclose(f);
	return 0;
}

/* A netlink request: header, ifaddrmsg, attributes. */
union nl_req {
	struct nlmsghdr h;
	char buf[NLMSG_SPACE(sizeof(struct ifaddrmsg)) + 3 * RTA_SPACE(16)];
};

static void
nl_attr(union nl_req *req, uint16_t type, const void *data, uint16_t len)
{
	uint32_t at = NLMSG_ALIGN(req->h.nlmsg_len);
	struct rtattr rta = { .rta_type = type, .rta_len = RTA_LENGTH(len) };

	memcpy(req->buf + at, &rta, sizeof(rta));
	memcpy(req->buf + at + RTA_LENGTH(0), data, len);
	req->h.nlmsg_len = at + RTA_ALIGN(rta.rta_len);
}

/* RTM_NEWADDR or RTM_DELADDR; the kernel's answer (0 or -errno). */
static int
nl_addr(uint16_t type, uint16_t flags, const char *ifname,
	const struct prefix *p)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	union nl_req req;
	struct ifaddrmsg *ifa = NLMSG_DATA(&req.h);
	char buf[4096];
	struct nlmsghdr *h;
	uint16_t alen = p->family == AF_INET ? 4 : 16;
	uint32_t ifa_flags = IFA_F_NODAD;
	unsigned int ifindex = if_nametoindex(ifname);
	ssize_t n;
	int fd, ret = -EIO;

	if (ifindex == 0)
		return -errno;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	req.h.nlmsg_seq = 1;
	ifa->ifa_family = p->family;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	nl_attr(&req, IFA_LOCAL, p->addr, alen);
	nl_attr(&req, IFA_ADDRESS, p->addr, alen);
	if (p->family == AF_INET6 && type == RTM_NEWADDR)
		nl_attr(&req, IFA_FLAGS, &ifa_flags, sizeof(ifa_flags));

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    send(fd, &req, req.h.nlmsg_len, 0) < 0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				goto out;
			}
		}
	}
out:
	close(fd);
	return ret;
}

static const char *
fmt_prefix(const struct prefix *p, char *b, size_t n)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->family, p->addr, a, sizeof(a));
	snprintf(b, n, "%s/%u", a, p->len);
	return b;
}

int
tap_addr_apply(const char *path, const struct tap_addr_if *ifs,
	unsigned int nb_ifs, char *err, size_t err_len)
{
	static struct prefix addrs[MAX_ADDRS], routes[MAX_ROUTES];
	unsigned int na, nr, i, r, count = 0;
	char pfx[INET6_ADDRSTRLEN + 8];
	int ret;

	ret = scan_file(path, ifs, nb_ifs, addrs, &na, routes, &nr);
	if (ret != 0) {
		snprintf(err, err_len, "%s: %s", path, strerror(-ret));
		return ret;
	}
	for (i = 0; i < na; i++) {
		struct prefix *a = &addrs[i];
		unsigned int len = 0;

		/* the longest connected route through the TAP that holds it */
		for (r = 0; r < nr; r++)
			if (routes[r].tap == a->tap && routes[r].len >= len &&
			    prefix_holds(&routes[r], a->family, a->addr))
				len = routes[r].len;
		if (len != 0)
			a->len = len;
		fmt_prefix(a, pfx, sizeof(pfx));
		ret = nl_addr(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
			ifs[a->tap].name, a);
		if (ret == -EEXIST)
			continue;	/* someone else's: theirs to remove */
		if (ret != 0) {
			snprintf(err, err_len, "%s: cannot add address %s: %s",
				ifs[a->tap].name, pfx, strerror(-ret));
			return ret;
		}
		snprintf(added[nb_added].ifname, IF_NAMESIZE, "%s",
			ifs[a->tap].name);
		added[nb_added++].p = *a;
		printf("tap %s: address %s (from %s)\n", ifs[a->tap].name,
			pfx, path);
		count++;
	}
	return count;
}

void
tap_addr_remove_all(void)
{
	char pfx[INET6_ADDRSTRLEN + 8];
	int ret;

	while (nb_added > 0) {
		struct added *a = &added[--nb_added];

		ret = nl_addr(RTM_DELADDR, 0, a->ifname, &a->p);
		/* gone with its interface, or by hand: nothing to undo */
		if (ret != 0 && ret != -ENODEV && ret != -EADDRNOTAVAIL &&
		    ret != -ENOENT)
			fprintf(stderr, "tap %s: cannot remove address %s: %s\n",
				a->ifname, fmt_prefix(&a->p, pfx, sizeof(pfx)),
				strerror(-ret));
	}
}
