/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mvneta_xdp_autotest: the driver through the ethdev API against the NETA
 * model: ring fill/refill/recycle, wrap-around, multi-descriptor frames,
 * drops (no buffer, ring full, filters, link down), offloads, backends,
 * bad devargs (keys of another backend), a peer missing or wired
 * elsewhere, MIB counters across restarts, and buffer accounting after
 * each case.
 */

#include <errno.h>
#include <stdlib.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define NB_MBUF		4096
#define RING		64

static struct rte_mempool *mp;

static int
suite_setup(void)
{
	mp = rte_pktmbuf_pool_create(test_unique("mvx"), NB_MBUF, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	return mp != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
suite_teardown(void)
{
	close_leftover_ports();
	rte_mempool_free(mp);
}

static int
test_bad_devargs(void)
{
	static const char *const bad[] = {
		"bogus=1", "backend=nonsense", "backend=gen,frame_size=10",
		"backend=gen,flows=0", "backend=gen,rate=x", "mac=zz",
		"mac=01:00:5e:00:00:01", "peer=", "backend=gen,peer=x",
		"rx_pcap=/nonexistent/in.pcap", "iface=no_such_if0",
		"tx_pcap=/nonexistent/dir/out.pcap",
		/* keys of another backend than the port's */
		"frame_size=128", "backend=loopback,flows=4", "peer=x,rate=5",
		"backend=gen,rx_pcap=/dev/null", "iface=no_such_if0,flows=2",
		"backend=pcap,peer=x", "rx_pcap=/dev/null,iface=lo",
	};
	unsigned int i;
	uint16_t before;
	size_t heap;
	struct port p;

	/* ethdev reserves its shared data at the first port: do that first. */
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	port_destroy(&p);
	before = rte_eth_dev_count_avail();
	heap = heap_bytes();

	for (i = 0; i < RTE_DIM(bad); i++)
		TEST_ASSERT(port_create(&p, bad[i]) != 0,
			"devargs \"%s\" accepted", bad[i]);
	TEST_ASSERT_EQUAL(rte_eth_dev_count_avail(), before, "no port left");
	TEST_ASSERT_EQUAL(heap_bytes(), heap, "nothing leaked");
	return TEST_SUCCESS;
}

/* The refusal names the key, the backend it belongs to and the port's. */
static int
test_backend_keys(void)
{
	static const struct {
		const char *args;
		const char *says;
	} bad[] = {
		{ "frame_size=128", "devarg frame_size=128: a key of backend=gen, but this port's backend is loopback (the default)" },
		{ "peer=net_nothing,flows=2", "devarg flows=2: a key of backend=gen, but this port's backend is peer (chosen by peer=net_nothing)" },
		{ "backend=gen,iface=veth0", "devarg iface=veth0: a key of backend=iface, but this port's backend is gen (chosen by backend=gen)" },
		{ "tx_pcap=/dev/null,peer=p", "devarg peer=p: a key of backend=peer, but this port's backend is pcap (chosen by tx_pcap=/dev/null)" },
	};
	unsigned int i;
	struct port p;
	char *log;
	int ret;

	for (i = 0; i < RTE_DIM(bad); i++) {
		TEST_ASSERT_SUCCESS(log_capture_start(), "capture");
		ret = port_create(&p, bad[i].args);
		log = log_capture_stop();
		TEST_ASSERT(ret != 0, "\"%s\" accepted", bad[i].args);
		TEST_ASSERT(strstr(log, bad[i].says) != NULL,
			"\"%s\": no line \"%s\"", bad[i].args, bad[i].says);
		free(log);
	}
	/* Each backend's own keys still work. */
	TEST_ASSERT_SUCCESS(port_create(&p, "backend=gen,frame_size=128,flows=4,rate=0"),
		"gen keys with backend=gen");
	port_destroy(&p);
	return TEST_SUCCESS;
}

static int
test_loopback_contents_and_stats(void)
{
	struct rte_mbuf *tx[BURST], *rx[BURST];
	struct rte_eth_stats st;
	struct rte_ether_addr dst;
	struct port p;
	unsigned int i, got;
	uint16_t sent;

	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	dst = port_mac(p.id);
	for (i = 0; i < BURST; i++)
		tx[i] = make_frame(mp, 60 + i * 7, &dst, i);
	sent = rte_eth_tx_burst(p.id, 0, tx, BURST);
	TEST_ASSERT_EQUAL(sent, BURST, "all sent");
	got = rx_all(p.id, 0, rx, BURST);
	TEST_ASSERT_EQUAL(got, BURST, "all looped back");
	for (i = 0; i < got; i++) {
		const uint8_t *d = rte_pktmbuf_mtod(rx[i], const uint8_t *);

		TEST_ASSERT_EQUAL(rx[i]->pkt_len, 60 + i * 7, "length %u", i);
		TEST_ASSERT_EQUAL(rx[i]->data_off, 256, "XDP headroom");
		TEST_ASSERT_EQUAL(d[rx[i]->pkt_len - 1], i, "payload %u", i);
		TEST_ASSERT_EQUAL(rx[i]->port, p.id, "mbuf port");
		rte_pktmbuf_free(rx[i]);
	}
	rte_eth_stats_get(p.id, &st);
	TEST_ASSERT_EQUAL(st.ipackets, BURST, "ipackets");
	TEST_ASSERT_EQUAL(st.opackets, BURST, "opackets");
	TEST_ASSERT_EQUAL(st.q_ipackets[0], BURST, "q_ipackets");
	TEST_ASSERT_EQUAL(st.imissed, 0, "imissed");
	rte_eth_stats_reset(p.id);
	rte_eth_stats_get(p.id, &st);
	TEST_ASSERT_EQUAL(st.ipackets + st.opackets, 0, "reset");
	port_destroy(&p);
	return check_pool_full(mp, "after close");
}

static int
test_ring_wrap_and_refill(void)
{
	struct rte_mbuf *tx[BURST], *rx[BURST];
	struct rte_ether_addr dst;
	struct port p;
	uint32_t held_rx, held_tx;
	unsigned int round, i, total = 0;

	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, 32, NULL, mp), "start");
	dst = port_mac(p.id);
	/* Many times around 32-descriptor rings. */
	for (round = 0; round < 500; round++) {
		unsigned int n = 1 + round % 20, got;

		for (i = 0; i < n; i++)
			tx[i] = make_frame(mp, 64, &dst, (uint8_t)(round + i));
		TEST_ASSERT_EQUAL(rte_eth_tx_burst(p.id, 0, tx, n), n, "tx");
		got = rx_all(p.id, 0, rx, n);
		TEST_ASSERT_EQUAL(got, n, "round %u", round);
		for (i = 0; i < got; i++) {
			TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(rx[i], uint8_t *)[63],
				(uint8_t)(round + i), "order");
			rte_pktmbuf_free(rx[i]);
		}
		total += got;
	}
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_buffers_held(p.id, &held_rx,
		&held_tx), "held");
	TEST_ASSERT(held_rx >= 32, "RX ring posted");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp) + held_rx + held_tx,
		NB_MBUF, "running: pool + held by the port = all buffers");
	port_destroy(&p);
	return check_pool_full(mp, "after close");
}

static int
test_rx_ring_full_counts_imissed(void)
{
	struct rte_mbuf *tx[BURST], *rx[BURST];
	struct rte_eth_stats st;
	struct rte_ether_addr dst;
	struct port p;
	unsigned int i, k, got = 0, n;

	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, 32, NULL, mp), "start");
	dst = port_mac(p.id);
	/* 96 frames into a 32-descriptor RX ring nobody polls. */
	for (k = 0; k < 3; k++) {
		for (i = 0; i < BURST; i++)
			tx[i] = make_frame(mp, 64, &dst, i);
		TEST_ASSERT_EQUAL(rte_eth_tx_burst(p.id, 0, tx, BURST), BURST,
			"tx");
	}
	while ((n = rte_eth_rx_burst(p.id, 0, rx, BURST)) != 0) {
		got += n;
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(rx[i]);
	}
	rte_eth_stats_get(p.id, &st);
	TEST_ASSERT_EQUAL(got, 32, "a ring's worth received");
	TEST_ASSERT_EQUAL(st.imissed, 64, "the rest missed");
	port_destroy(&p);
	return check_pool_full(mp, "after close");
}

static int
test_nombuf(void)
{
	struct rte_mempool *small;
	struct rte_mbuf *tx[BURST], *rx[BURST];
	struct rte_eth_stats st;
	struct rte_ether_addr dst;
	struct port p;
	unsigned int i, n, got = 0;

	/* Exactly the ring's worth: no buffer to refill with. */
	small = rte_pktmbuf_pool_create(test_unique("small"), 32, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(small, "pool");
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, 32, NULL, small), "start");
	dst = port_mac(p.id);
	for (i = 0; i < 8; i++)
		tx[i] = make_frame(mp, 64, &dst, i);
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(p.id, 0, tx, 8), 8, "tx");
	while ((n = rte_eth_rx_burst(p.id, 0, rx, BURST)) != 0) {
		got += n;
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(rx[i]);
	}
	rte_eth_stats_get(p.id, &st);
	TEST_ASSERT_EQUAL(got, 0, "nothing delivered without buffers");
	TEST_ASSERT_EQUAL(st.rx_nombuf, 8, "rx_nombuf");
	port_destroy(&p);
	TEST_ASSERT_SUCCESS(check_pool_full(small, "after close"), "small");
	rte_mempool_free(small);
	return check_pool_full(mp, "after close");
}

static int
test_scatter_jumbo(void)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = RTE_ETH_RX_OFFLOAD_SCATTER },
		.txmode = { .offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS },
	};
	struct rte_mbuf *tx, *rx[4], *seg;
	struct rte_ether_addr dst;
	struct port p;
	unsigned int off = 0;

	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(p.id, 1, 1, &conf), "conf");
	TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(p.id, 0, RING, 0, NULL, mp),
		"rxq");
	TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(p.id, 0, RING, 0, NULL),
		"txq");
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(p.id, 9000), "mtu");
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(p.id), "start");
	dst = port_mac(p.id);

	/* 5000 bytes sent as two segments arrive over three buffers. */
	tx = make_frame(mp, 2000, &dst, 0x11);
	seg = rte_pktmbuf_alloc(mp);
	memset(rte_pktmbuf_append(seg, 1500), 0x22, 1500);
	TEST_ASSERT_SUCCESS(rte_pktmbuf_chain(tx, seg), "chain");
	seg = rte_pktmbuf_alloc(mp);
	memset(rte_pktmbuf_append(seg, 1500), 0x33, 1500);
	TEST_ASSERT_SUCCESS(rte_pktmbuf_chain(tx, seg), "chain");
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(p.id, 0, &tx, 1), 1, "tx");
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 1), 1, "rx");
	TEST_ASSERT_EQUAL(rx[0]->pkt_len, 5000, "length");
	TEST_ASSERT_EQUAL(rx[0]->nb_segs, 3, "three buffers of 1920 bytes");
	for (seg = rx[0]; seg != NULL; seg = seg->next) {
		const uint8_t *d = rte_pktmbuf_mtod(seg, const uint8_t *);
		unsigned int i;

		for (i = 0; i < seg->data_len; i++, off++)
			if (off >= 100)	/* past the headers */
				TEST_ASSERT_EQUAL(d[i], off < 2000 ? 0x11 :
					off < 3500 ? 0x22 : 0x33, "byte %u", off);
	}
	rte_pktmbuf_free(rx[0]);

	/* Without scatter the MTU no longer fits one buffer: refused. */
	port_destroy(&p);
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	TEST_ASSERT(rte_eth_dev_set_mtu(p.id, 9000) != 0, "MTU needs scatter");
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(p.id, 1500), "MTU 1500 fits");
	port_destroy(&p);
	return check_pool_full(mp, "after close");
}

static int
test_mac_filter_and_link(void)
{
	struct rte_ether_addr other = {{ 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 }};
	struct rte_ether_addr bcast = {{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }};
	struct rte_mbuf *tx, *rx[4];
	struct rte_eth_xstat_name *names;
	struct rte_eth_xstat *xs;
	struct port p;
	int n, i;
	uint64_t filtered = UINT64_MAX;

	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	TEST_ASSERT_SUCCESS(rte_eth_promiscuous_disable(p.id), "promisc off");

	tx = make_frame(mp, 64, &other, 1);
	rte_eth_tx_burst(p.id, 0, &tx, 1);
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 1), 0, "filtered");
	tx = make_frame(mp, 64, &bcast, 1);
	rte_eth_tx_burst(p.id, 0, &tx, 1);
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 1), 1, "broadcast passes");
	rte_pktmbuf_free(rx[0]);
	TEST_ASSERT_SUCCESS(rte_eth_dev_mac_addr_add(p.id, &other, 0), "add");
	tx = make_frame(mp, 64, &other, 1);
	rte_eth_tx_burst(p.id, 0, &tx, 1);
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 1), 1, "added address passes");
	rte_pktmbuf_free(rx[0]);

	n = rte_eth_xstats_get_names(p.id, NULL, 0);
	names = calloc(n, sizeof(*names));
	xs = calloc(n, sizeof(*xs));
	TEST_ASSERT_EQUAL(rte_eth_xstats_get_names(p.id, names, n), n, "names");
	TEST_ASSERT_EQUAL(rte_eth_xstats_get(p.id, xs, n), n, "values");
	for (i = 0; i < n; i++)
		if (strcmp(names[i].name, "rx_filtered") == 0)
			filtered = xs[xs[i].id].value;
	for (i = 0; i < n; i++)
		if (strcmp(names[i].name, "rx_xdp_pass") == 0)
			break;
	free(names);
	free(xs);
	TEST_ASSERT_EQUAL(filtered, 1, "rx_filtered xstat");
	TEST_ASSERT(i < n, "rx_xdp_pass xstat listed");

	/* Link down: nothing arrives. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_link_down(p.id), "link down");
	tx = make_frame(mp, 64, &bcast, 1);
	rte_eth_tx_burst(p.id, 0, &tx, 1);
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 1), 0, "link down");
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_link_up(p.id), "link up");
	port_destroy(&p);
	return check_pool_full(mp, "after close");
}

static int
test_checksum_offloads(void)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_RX_OFFLOAD_UDP_CKSUM },
		.txmode = { .offloads = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_TX_OFFLOAD_UDP_CKSUM },
	};
	struct rte_mbuf *tx, *rx[2];
	struct rte_ether_addr dst;
	struct rte_ipv4_hdr *ip;
	struct port p;

	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, &conf, mp), "start");
	dst = port_mac(p.id);
	tx = make_frame(mp, 100, &dst, 3);
	ip = rte_pktmbuf_mtod_offset(tx, struct rte_ipv4_hdr *,
		sizeof(struct rte_ether_hdr));
	ip->hdr_checksum = 0;	/* the MAC fills both in */
	tx->l2_len = sizeof(struct rte_ether_hdr);
	tx->l3_len = sizeof(*ip);
	tx->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
		RTE_MBUF_F_TX_UDP_CKSUM;
	rte_eth_tx_burst(p.id, 0, &tx, 1);
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 1), 1, "rx");
	TEST_ASSERT(rx[0]->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_GOOD, "IP good");
	TEST_ASSERT(rx[0]->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_GOOD, "UDP good");
	TEST_ASSERT(RTE_ETH_IS_IPV4_HDR(rx[0]->packet_type), "ptype IPv4");
	TEST_ASSERT_EQUAL(rx[0]->packet_type & RTE_PTYPE_L4_MASK,
		RTE_PTYPE_L4_UDP, "ptype UDP");
	rte_pktmbuf_free(rx[0]);

	/* A corrupted header checksum is reported bad. */
	tx = make_frame(mp, 100, &dst, 3);
	ip = rte_pktmbuf_mtod_offset(tx, struct rte_ipv4_hdr *,
		sizeof(struct rte_ether_hdr));
	ip->hdr_checksum ^= 0x5555;
	rte_eth_tx_burst(p.id, 0, &tx, 1);
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 1), 1, "rx");
	TEST_ASSERT(rx[0]->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_BAD, "IP bad");
	rte_pktmbuf_free(rx[0]);
	port_destroy(&p);
	return check_pool_full(mp, "after close");
}

static int
test_peer_wire(void)
{
	struct port a, b;
	char args[128];
	struct rte_mbuf *tx[4], *rx[4];
	struct rte_eth_link link;
	struct rte_ether_addr dst;
	unsigned int i;

	snprintf(a.name, sizeof(a.name), "net_mvneta_xdp_%s", test_unique("pa"));
	snprintf(b.name, sizeof(b.name), "net_mvneta_xdp_%s", test_unique("pb"));
	snprintf(args, sizeof(args), "peer=%s", b.name);
	TEST_ASSERT_SUCCESS(rte_vdev_init(a.name, args), "probe a");
	snprintf(args, sizeof(args), "peer=%s", a.name);
	TEST_ASSERT_SUCCESS(rte_vdev_init(b.name, args), "probe b");
	rte_eth_dev_get_port_by_name(a.name, &a.id);
	rte_eth_dev_get_port_by_name(b.name, &b.id);
	TEST_ASSERT_SUCCESS(port_setup(&a, 1, RING, NULL, mp), "start a");
	rte_eth_link_get_nowait(a.id, &link);
	TEST_ASSERT_EQUAL(link.link_status, 0, "no carrier until b is up");
	TEST_ASSERT_SUCCESS(port_setup(&b, 1, RING, NULL, mp), "start b");
	rte_eth_link_get_nowait(a.id, &link);
	TEST_ASSERT_EQUAL(link.link_status, 1, "carrier");
	TEST_ASSERT_EQUAL(link.link_speed, RTE_ETH_SPEED_NUM_1G, "1G");

	dst = port_mac(b.id);
	for (i = 0; i < 4; i++)
		tx[i] = make_frame(mp, 64, &dst, i);
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(a.id, 0, tx, 4), 4, "tx a");
	TEST_ASSERT_EQUAL(rx_all(a.id, 0, rx, 4), 0, "nothing back on a");
	TEST_ASSERT_EQUAL(rx_all(b.id, 0, rx, 4), 4, "all on b");
	for (i = 0; i < 4; i++)
		rte_pktmbuf_free(rx[i]);
	port_destroy(&b);
	rte_eth_link_get_nowait(a.id, &link);
	TEST_ASSERT_EQUAL(link.link_status, 0, "wire cut");
	tx[0] = make_frame(mp, 64, &dst, 0);
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(a.id, 0, tx, 1), 1, "tx into void");
	port_destroy(&a);
	return check_pool_full(mp, "after close");
}

/*
 * peer= naming a port not probed yet: accepted (it may come later), one
 * warning when the port starts, link down; the wire connects once the
 * peer is there. A port that exists but cannot be the far end is refused.
 */
static int
test_peer_missing(void)
{
	struct rte_eth_link link;
	struct port a, b, c;
	char args[128], want[256];
	unsigned int i;
	char *log;
	int ret;

	snprintf(a.name, sizeof(a.name), "net_mvneta_xdp_%s", test_unique("ma"));
	snprintf(b.name, sizeof(b.name), "net_mvneta_xdp_%s", test_unique("mb"));
	snprintf(c.name, sizeof(c.name), "net_mvneta_xdp_%s", test_unique("mc"));
	snprintf(args, sizeof(args), "peer=%s", b.name);
	TEST_ASSERT_SUCCESS(rte_vdev_init(a.name, args),
		"a peer probed later is not an error at probe");
	rte_eth_dev_get_port_by_name(a.name, &a.id);
	TEST_ASSERT_SUCCESS(log_capture_start(), "capture");
	ret = port_setup(&a, 1, RING, NULL, mp);
	for (i = 0; i < 3; i++)
		rte_eth_link_get_nowait(a.id, &link);
	log = log_capture_stop();
	TEST_ASSERT_SUCCESS(ret, "start a");
	snprintf(want, sizeof(want), "peer %s: no such net_mvneta_xdp port yet: the link stays down until it is probed with peer=%s",
		b.name, a.name);
	TEST_ASSERT_EQUAL(count_substr(log, want), 1,
		"one warning at start naming the missing peer");
	free(log);
	TEST_ASSERT_EQUAL(link.link_status, 0, "no carrier without a peer");

	snprintf(args, sizeof(args), "peer=%s", a.name);
	TEST_ASSERT_SUCCESS(rte_vdev_init(b.name, args), "probe b");
	rte_eth_dev_get_port_by_name(b.name, &b.id);
	TEST_ASSERT_SUCCESS(port_setup(&b, 1, RING, NULL, mp), "start b");
	rte_eth_link_get_nowait(a.id, &link);
	TEST_ASSERT_EQUAL(link.link_status, 1, "wired once b is there");

	/* c names a, which names b: refused at probe. */
	TEST_ASSERT_SUCCESS(log_capture_start(), "capture");
	ret = rte_vdev_init(c.name, args);
	log = log_capture_stop();
	TEST_ASSERT(ret != 0, "c wired to a port wired elsewhere accepted");
	snprintf(want, sizeof(want), "devarg peer=%s: that port cannot be wired to this one: it names another port as its peer",
		a.name);
	TEST_ASSERT(strstr(log, want) != NULL, "no line \"%s\"", want);
	free(log);

	/* A restart with the peer there: no warning. */
	TEST_ASSERT_SUCCESS(log_capture_start(), "capture");
	rte_eth_dev_stop(a.id);
	ret = rte_eth_dev_start(a.id);
	log = log_capture_stop();
	TEST_ASSERT_SUCCESS(ret, "restart a");
	TEST_ASSERT_EQUAL(count_substr(log, "no such net_mvneta_xdp port"), 0,
		"no warning with the peer there");
	free(log);
	port_destroy(&b);
	port_destroy(&a);
	return check_pool_full(mp, "after close");
}

/* The MAC's MIB, RX and TX alike: cumulative across restarts (XDP attach
 * and detach included), zeroed by xstats reset only. */
static int
test_mib_cumulative(void)
{
	static const char *const mib[] = {
		"good_frames_received", "good_frames_sent",
		"good_octets_received", "good_octets_sent",
	};
	struct rte_mbuf *rx[BURST];
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj;
	struct rte_ether_addr dst;
	struct port p;
	unsigned int i, step;
	uint64_t frames;

	obj = test_load_xdp("driver", "xdp_verdict", &prog);
	TEST_ASSERT_NOT_NULL(obj, "load xdp_verdict");
	TEST_ASSERT_SUCCESS(test_map_set_u32(obj, "cfg", 0, RTE_XDP_PASS),
		"every frame passes");
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	dst = port_mac(p.id);
	/* loop back 8 frames, then restart in each way, 4 more each time */
	for (step = 0, frames = 0; step < 5; step++) {
		unsigned int n = step == 0 ? 8 : 4;

		for (i = 0; i < n; i++)
			rx[i] = make_frame(mp, 64, &dst, i);
		TEST_ASSERT_EQUAL(rte_eth_tx_burst(p.id, 0, rx, n), n, "tx");
		TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, n), n, "looped back");
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(rx[i]);
		frames += n;
		switch (step) {
		case 0:
			rte_eth_dev_stop(p.id);
			TEST_ASSERT_SUCCESS(rte_eth_dev_start(p.id), "restart");
			break;
		case 1:
			TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id,
				prog), "attach: a restart");
			break;
		case 2:
			TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id,
				NULL), "detach: a restart");
			break;
		default:
			break;
		}
		for (i = 0; i < RTE_DIM(mib); i++)
			TEST_ASSERT_EQUAL(test_xstat(p.id, mib[i]),
				frames * (i < 2 ? 1 : 64),
				"step %u: %s", step, mib[i]);
	}
	TEST_ASSERT_SUCCESS(rte_eth_xstats_reset(p.id), "xstats reset");
	for (i = 0; i < RTE_DIM(mib); i++)
		TEST_ASSERT_EQUAL(test_xstat(p.id, mib[i]), 0, "reset: %s",
			mib[i]);
	rte_eth_dev_stop(p.id);
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(p.id), "restart");
	for (i = 0; i < RTE_DIM(mib); i++)
		TEST_ASSERT_EQUAL(test_xstat(p.id, mib[i]), 0,
			"reset, restart: %s", mib[i]);
	port_destroy(&p);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static int
test_gen_rss_and_lpbk_mode(void)
{
	struct rte_eth_conf conf = {
		.rxmode = { .mq_mode = RTE_ETH_MQ_RX_RSS },
		.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP,
	};
	struct rte_mbuf *rx[BURST];
	struct rte_ether_addr mac;
	struct port p;
	unsigned int q, i, n, per_q[2] = { 0, 0 };

	TEST_ASSERT_SUCCESS(port_create(&p, "backend=gen,frame_size=128,flows=64"),
		"probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 2, RING, &conf, mp), "start");
	mac = port_mac(p.id);
	for (q = 0; q < 2; q++) {
		n = rte_eth_rx_burst(p.id, q, rx, BURST);
		per_q[q] = n;
		for (i = 0; i < n; i++) {
			struct rte_ether_hdr *eh = rte_pktmbuf_mtod(rx[i],
				struct rte_ether_hdr *);

			TEST_ASSERT_EQUAL(rx[i]->pkt_len, 128, "frame_size");
			TEST_ASSERT(rte_is_same_ether_addr(&eh->dst_addr, &mac),
				"addressed to the port");
			rte_pktmbuf_free(rx[i]);
		}
	}
	TEST_ASSERT(per_q[0] > 0 && per_q[1] > 0,
		"64 flows spread over 2 queues (%u, %u)", per_q[0], per_q[1]);
	port_destroy(&p);

	/* lpbk_mode=1: the MAC loops TX back even with a generator wired. */
	memset(&conf, 0, sizeof(conf));
	conf.lpbk_mode = 1;
	TEST_ASSERT_SUCCESS(port_create(&p, "backend=gen,rate=1"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, &conf, mp), "start");
	rx[0] = make_frame(mp, 77, &mac, 9);
	mac = port_mac(p.id);
	rte_pktmbuf_mtod(rx[0], struct rte_ether_hdr *)->dst_addr = mac;
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(p.id, 0, rx, 1), 1, "tx");
	n = rx_all(p.id, 0, rx, 1);
	TEST_ASSERT(n == 1 && rx[0]->pkt_len == 77, "looped back");
	rte_pktmbuf_free(rx[0]);
	port_destroy(&p);
	return check_pool_full(mp, "after close");
}

static struct unit_test_suite mvneta_xdp_suite = {
	.suite_name = "net_mvneta_xdp driver and NETA model",
	.setup = suite_setup,
	.teardown = suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_bad_devargs),
		TEST_CASE(test_backend_keys),
		TEST_CASE(test_loopback_contents_and_stats),
		TEST_CASE(test_ring_wrap_and_refill),
		TEST_CASE(test_rx_ring_full_counts_imissed),
		TEST_CASE(test_nombuf),
		TEST_CASE(test_scatter_jumbo),
		TEST_CASE(test_mac_filter_and_link),
		TEST_CASE(test_checksum_offloads),
		TEST_CASE(test_peer_wire),
		TEST_CASE(test_peer_missing),
		TEST_CASE(test_mib_cumulative),
		TEST_CASE(test_gen_rss_and_lpbk_mode),
		TEST_CASES_END()
	},
};

static int
test_mvneta_xdp(void)
{
	return unit_test_suite_runner(&mvneta_xdp_suite);
}

REGISTER_TEST_COMMAND(mvneta_xdp_autotest, test_mvneta_xdp);
