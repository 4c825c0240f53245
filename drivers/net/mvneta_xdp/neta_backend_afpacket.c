/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend "iface": the wire is a Linux network interface (a veth end, a
 * NIC), reached through a raw AF_PACKET socket. The interface is put in
 * promiscuous mode because the NETA model does its own address
 * filtering; the port takes the interface's MAC address and follows its
 * carrier (IFF_UP and IFF_RUNNING).
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "neta_model.h"

#define AFP_RX_BURST		32	/* frames per recvmmsg() */
#define AFP_VLAN_HLEN		4
/* Room in front of each frame to put back a VLAN tag the kernel took. */
#define AFP_BUF_SIZE		(AFP_VLAN_HLEN + NETA_MAX_FRAME)
#define AFP_CARRIER_PER_SEC	10	/* carrier read every ~100 ms */
#define AFP_RCVBUF		(4 << 20)

struct afp_state {
	int fd;
	int ifindex;		/* Linux ifindex; survives a rename */
	char ifname[IFNAMSIZ];	/* as given, for messages */
	struct rte_ether_addr mac;

	/* Carrier cache; any lcore may read it, races are harmless. */
	uint64_t carrier_period;	/* TSC cycles */
	uint64_t carrier_next;
	bool carrier_up;

	/*
	 * Any RX queue's lcore may poll. One reader at a time takes the
	 * socket and these buffers (trylock: a poller never waits) and
	 * steers each frame to its RSS queue.
	 */
	rte_spinlock_t rx_lock;
	struct mmsghdr msg[AFP_RX_BURST];
	struct iovec iov[AFP_RX_BURST];
	struct sockaddr_ll from[AFP_RX_BURST];
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl[AFP_RX_BURST];
	uint8_t *bufs;		/* AFP_RX_BURST * AFP_BUF_SIZE */
};

static void
afp_close(struct neta_model *nm)
{
	struct afp_state *s = nm->backend_priv;

	if (s == NULL)
		return;
	/* Closing the socket also drops its promiscuous membership. */
	if (s->fd >= 0)
		close(s->fd);
	rte_free(s->bufs);
	rte_free(s);
	nm->backend_priv = NULL;
}

/* An ifreq naming the interface by its current name (it may be renamed). */
static int
afp_ifreq(const struct afp_state *s, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	ifr->ifr_ifindex = s->ifindex;
	return ioctl(s->fd, SIOCGIFNAME, ifr);
}

static int
afp_fail(struct neta_model *nm, const struct afp_state *s, const char *what)
{
	int err = errno;

	NETA_LOG(ERR, nm, "devarg %s=%s: %s: %s", NETA_ARG_IFACE, s->ifname,
		what, strerror(err));
	return -err;
}

static int
afp_parse(struct neta_model *nm, struct rte_kvargs *kv, struct afp_state *s)
{
	const char *name = NULL;
	unsigned int i;

	for (i = 0; kv != NULL && i < kv->count; i++) {
		if (strcmp(kv->pairs[i].key, NETA_ARG_IFACE) != 0)
			continue;
		if (name != NULL) {
			NETA_LOG(ERR, nm, "devarg %s=%s: given twice (one interface per port)",
				NETA_ARG_IFACE, kv->pairs[i].value);
			return -EINVAL;
		}
		name = kv->pairs[i].value;
	}
	if (name == NULL || name[0] == '\0') {
		NETA_LOG(ERR, nm, "devarg %s: needs a Linux interface name",
			NETA_ARG_IFACE);
		return -EINVAL;
	}
	if (strlen(name) >= IFNAMSIZ) {
		NETA_LOG(ERR, nm, "devarg %s=%s: longer than %d characters",
			NETA_ARG_IFACE, name, IFNAMSIZ - 1);
		return -EINVAL;
	}
	strlcpy(s->ifname, name, sizeof(s->ifname));
	return 0;
}

/* Resolve the interface: its index, and a MAC only Ethernet has. */
static int
afp_lookup(struct neta_model *nm, struct afp_state *s)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, s->ifname, sizeof(ifr.ifr_name));
	if (ioctl(s->fd, SIOCGIFINDEX, &ifr) != 0)
		return afp_fail(nm, s, "interface lookup");
	s->ifindex = ifr.ifr_ifindex;
	if (ioctl(s->fd, SIOCGIFHWADDR, &ifr) != 0)
		return afp_fail(nm, s, "SIOCGIFHWADDR");
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		NETA_LOG(ERR, nm, "devarg %s=%s: not an Ethernet interface (ARPHRD %u)",
			NETA_ARG_IFACE, s->ifname, ifr.ifr_hwaddr.sa_family);
		return -EINVAL;
	}
	memcpy(&s->mac, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
	return 0;
}

static int
afp_socket(struct neta_model *nm, struct afp_state *s)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = s->ifindex,
	};
	struct packet_mreq mr = {
		.mr_ifindex = s->ifindex,
		.mr_type = PACKET_MR_PROMISC,
	};
	int one = 1, rcvbuf = AFP_RCVBUF;

	/*
	 * Frames this socket sends must not come back to it. Where the
	 * kernel lacks the option (before 4.20), rx drops PACKET_OUTGOING.
	 */
	(void)setsockopt(s->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		sizeof(one));
	/* The kernel strips VLAN tags on receive: auxdata gives them back. */
	if (setsockopt(s->fd, SOL_PACKET, PACKET_AUXDATA, &one,
			sizeof(one)) != 0)
		NETA_LOG(WARNING, nm, "iface %s: no PACKET_AUXDATA, received VLAN tags are lost",
			s->ifname);
	/* Best effort: absorbs bursts between polls, capped by rmem_max. */
	(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		sizeof(rcvbuf));
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
		return afp_fail(nm, s, "bind");
	if (setsockopt(s->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
			sizeof(mr)) != 0)
		return afp_fail(nm, s, "promiscuous mode");
	return 0;
}

static bool afp_carrier(struct neta_model *nm);

static int
afp_open(struct neta_model *nm, struct rte_kvargs *kv)
{
	struct afp_state *s;
	unsigned int i;
	int ret;

	s = rte_zmalloc("neta_afp", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL)
		return -ENOMEM;
	s->fd = -1;
	nm->backend_priv = s;
	ret = afp_parse(nm, kv, s);
	if (ret != 0)
		goto err;
	/*
	 * Protocol 0 receives nothing: the socket starts hearing only once
	 * bound to the interface, never traffic of other interfaces.
	 */
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		ret = afp_fail(nm, s, "AF_PACKET socket (needs CAP_NET_RAW)");
		goto err;
	}
	ret = afp_lookup(nm, s);
	if (ret == 0)
		ret = afp_socket(nm, s);
	if (ret != 0)
		goto err;

	s->bufs = rte_malloc("neta_afp", (size_t)AFP_RX_BURST * AFP_BUF_SIZE,
		RTE_CACHE_LINE_SIZE);
	if (s->bufs == NULL) {
		ret = -ENOMEM;
		goto err;
	}
	for (i = 0; i < AFP_RX_BURST; i++) {
		s->iov[i].iov_base = s->bufs + (size_t)i * AFP_BUF_SIZE +
			AFP_VLAN_HLEN;
		s->iov[i].iov_len = NETA_MAX_FRAME;
		s->msg[i].msg_hdr.msg_iov = &s->iov[i];
		s->msg[i].msg_hdr.msg_iovlen = 1;
		s->msg[i].msg_hdr.msg_name = &s->from[i];
		s->msg[i].msg_hdr.msg_control = s->ctl[i].buf;
	}
	rte_spinlock_init(&s->rx_lock);
	s->carrier_period = rte_get_tsc_hz() / AFP_CARRIER_PER_SEC;
	afp_carrier(nm);
	return 0;
err:
	afp_close(nm);
	return ret;
}

/* Put back the 802.1Q/802.1ad tag the kernel moved to metadata. */
static uint8_t *
afp_vlan_restore(struct msghdr *mh, uint8_t *p, uint32_t *len)
{
	const struct tpacket_auxdata *aux = NULL;
	struct cmsghdr *c;
	rte_be16_t tag[2];

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_PACKET &&
		    c->cmsg_type == PACKET_AUXDATA &&
		    c->cmsg_len >= CMSG_LEN(sizeof(*aux)))
			aux = (const void *)CMSG_DATA(c);
	if (aux == NULL || !(aux->tp_status & TP_STATUS_VLAN_VALID) ||
	    *len < 2 * RTE_ETHER_ADDR_LEN)
		return p;
	tag[0] = rte_cpu_to_be_16((aux->tp_status & TP_STATUS_VLAN_TPID_VALID) ?
		aux->tp_vlan_tpid : RTE_ETHER_TYPE_VLAN);
	tag[1] = rte_cpu_to_be_16(aux->tp_vlan_tci);
	/* The buffer has AFP_VLAN_HLEN bytes of room in front of p. */
	memmove(p - AFP_VLAN_HLEN, p, 2 * RTE_ETHER_ADDR_LEN);
	p -= AFP_VLAN_HLEN;
	memcpy(p + 2 * RTE_ETHER_ADDR_LEN, tag, sizeof(tag));
	*len += AFP_VLAN_HLEN;
	return p;
}

static void
afp_rx_poll(struct neta_model *nm, uint16_t q, uint32_t budget)
{
	struct afp_state *s = nm->backend_priv;
	unsigned int n = RTE_MIN(budget, (uint32_t)AFP_RX_BURST), i;
	int got;

	RTE_SET_USED(q);	/* frames go to their RSS queue */
	if (!rte_spinlock_trylock(&s->rx_lock))
		return;
	for (i = 0; i < n; i++) {
		/* The kernel overwrote these with the last frame's sizes. */
		s->msg[i].msg_hdr.msg_namelen = sizeof(s->from[i]);
		s->msg[i].msg_hdr.msg_controllen = sizeof(s->ctl[i].buf);
	}
	/* MSG_TRUNC: msg_len is the frame's length even when cut. */
	got = recvmmsg(s->fd, s->msg, n, MSG_DONTWAIT | MSG_TRUNC, NULL);
	for (i = 0; got > 0 && i < (unsigned int)got; i++) {
		struct msghdr *mh = &s->msg[i].msg_hdr;
		uint32_t len = s->msg[i].msg_len;
		uint8_t *p = s->iov[i].iov_base;

		if (s->from[i].sll_pkttype == PACKET_OUTGOING)
			continue;
		if (len > NETA_MAX_FRAME || (mh->msg_flags & MSG_TRUNC)) {
			/* A GSO/GRO superframe or a giant: no MAC takes it. */
			NETA_MIB_ADD(nm, rx_oversize, 1);
			continue;
		}
		p = afp_vlan_restore(mh, p, &len);
		neta_model_rx_buf(nm, p, len);
	}
	/* Errors (EAGAIN, ENETDOWN while the interface is down) lose nothing. */
	rte_spinlock_unlock(&s->rx_lock);
}

static bool
afp_tx(struct neta_model *nm, const struct neta_frame *f)
{
	struct afp_state *s = nm->backend_priv;
	struct iovec iov[NETA_FRAME_MAX_SEGS];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = f->nb_segs };
	uint16_t i;

	/* The socket is bound: the kernel sends on that interface. */
	for (i = 0; i < f->nb_segs; i++) {
		iov[i].iov_base = (void *)(uintptr_t)f->seg[i].addr;
		iov[i].iov_len = f->seg[i].len;
	}
	return sendmsg(s->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) ==
		(ssize_t)f->len;
}

static bool
afp_carrier(struct neta_model *nm)
{
	struct afp_state *s = nm->backend_priv;
	uint64_t now = rte_rdtsc();
	struct ifreq ifr;
	bool up;

	if (now < __atomic_load_n(&s->carrier_next, __ATOMIC_RELAXED))
		return __atomic_load_n(&s->carrier_up, __ATOMIC_RELAXED);
	__atomic_store_n(&s->carrier_next, now + s->carrier_period,
		__ATOMIC_RELAXED);
	/* A deleted interface has no name any more: carrier lost. */
	up = afp_ifreq(s, &ifr) == 0 && ioctl(s->fd, SIOCGIFFLAGS, &ifr) == 0 &&
		(ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) ==
		(IFF_UP | IFF_RUNNING);
	__atomic_store_n(&s->carrier_up, up, __ATOMIC_RELAXED);
	return up;
}

static bool
afp_mac(struct neta_model *nm, struct rte_ether_addr *mac)
{
	struct afp_state *s = nm->backend_priv;
	struct ifreq ifr;

	/* Read it again: the address may have changed since open. */
	if (afp_ifreq(s, &ifr) == 0 && ioctl(s->fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(&s->mac, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
	*mac = s->mac;
	return true;
}

static uint32_t
afp_ifindex(struct neta_model *nm)
{
	const struct afp_state *s = nm->backend_priv;

	return (uint32_t)s->ifindex;
}

const struct neta_backend_ops neta_backend_afpacket = {
	.name = "iface",
	.open = afp_open,
	.close = afp_close,
	.rx_poll = afp_rx_poll,
	.tx = afp_tx,
	.carrier = afp_carrier,
	.mac = afp_mac,
	.ifindex = afp_ifindex,
};
