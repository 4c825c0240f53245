/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-xdpsock: the analogue of the kernel's samples/bpf xdpsock over the
 * runtime's application sockets (rte_xdp_xsk.h): an XDP program redirects
 * every frame of an RX queue through an XSKMAP to a socket bound to that
 * queue, and the application
 *   rxdrop  receives from the socket and frees the frames;
 *   txonly  sends generated frames through the socket;
 *   l2fwd   receives, swaps the MAC addresses and sends back out.
 * It prints frames per second, like xdpsock. The program runs natively on
 * net_mvneta_xdp ports and generically (rte_xdp_generic.h) on the others.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include <rte_pmd_mvneta_xdp.h>
#include <rte_xdp_generic.h>
#include <rte_xdp_map.h>
#include <rte_xdp_prog.h>
#include <rte_xdp_xsk.h>

#define EXIT_USAGE	2
#define EXIT_SETUP	3
#define RING		1024

enum bench { RXDROP, TXONLY, L2FWD };
static const char *const bench_names[] = { "rxdrop", "txonly", "l2fwd" };

static struct {
	enum bench bench;
	uint16_t port;
	uint16_t queue;
	uint16_t batch;
	uint16_t size;
	double interval;
	double duration;
	int mode;		/* 0 auto, 1 native (-N), 2 generic (-S) */
	const char *prog;
	bool quiet;
} opt = {
	.bench = RXDROP, .batch = 64, .size = 64, .interval = 1.0,
};

static volatile bool quit;

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: dpdk-xdpsock [EAL options] -- [options]\n"
"\n"
"An XDP program redirects the frames of one RX queue of a port to an\n"
"application socket through an XSKMAP (bpf_redirect_map(&xsks_map,\n"
"rx_queue_index, XDP_PASS)); frames per second are printed.\n"
"\n"
"Options:\n"
"  -r, --rxdrop         receive and drop (default)\n"
"  -t, --txonly         send generated UDP frames\n"
"  -l, --l2fwd          receive, swap MAC addresses, send back\n"
"  -i, --port N         port (default 0)\n"
"  -q, --queue N        RX queue (default 0)\n"
"  -b, --batch-size N   frames per burst (default 64)\n"
"  -s, --tx-pkt-size N  txonly frame size, 60 to 1514 (default 64)\n"
"  -n, --interval S     seconds between reports (default 1)\n"
"  -d, --duration S     stop after S seconds (default: at SIGINT)\n"
"  -N, --native         native XDP only (net_mvneta_xdp ports)\n"
"  -S, --generic        generic XDP even on net_mvneta_xdp ports\n"
"  -P, --prog FILE      XDP object (default: xdp_sock.o built with this program)\n"
"  -Q, --quiet          only the summary\n"
"  -h, --help           this text\n"
"\n"
"Examples:\n"
"  dpdk-xdpsock --no-huge --no-pci -m 512 --file-prefix xs \\\n"
"      --vdev net_mvneta_xdp0,backend=gen,flows=8 -- --rxdrop\n"
"  dpdk-xdpsock --no-huge --no-pci -m 512 --file-prefix xs \\\n"
"      --vdev net_af_packet0,iface=veth0 -- --l2fwd -S\n"
"\n"
"Exit status: 0 done, 2 bad command line, 3 set-up failed.\n");
}

static int
parse_uint(const char *s, unsigned long lo, unsigned long hi,
	unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return (*s == '\0' || *end != '\0' || errno != 0 || *v < lo ||
		*v > hi) ? -1 : 0;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "rxdrop", no_argument, NULL, 'r' },
		{ "txonly", no_argument, NULL, 't' },
		{ "l2fwd", no_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'i' },
		{ "queue", required_argument, NULL, 'q' },
		{ "batch-size", required_argument, NULL, 'b' },
		{ "tx-pkt-size", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "native", no_argument, NULL, 'N' },
		{ "generic", no_argument, NULL, 'S' },
		{ "prog", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "rtli:q:b:s:n:d:NSP:Qh", lo,
			NULL)) != -1) {
		switch (c) {
		case 'r':
			opt.bench = RXDROP;
			break;
		case 't':
			opt.bench = TXONLY;
			break;
		case 'l':
			opt.bench = L2FWD;
			break;
		case 'i':
			if (parse_uint(optarg, 0, RTE_MAX_ETHPORTS - 1, &v) != 0)
				goto bad;
			opt.port = v;
			break;
		case 'q':
			if (parse_uint(optarg, 0, 63, &v) != 0)
				goto bad;
			opt.queue = v;
			break;
		case 'b':
			if (parse_uint(optarg, 1, 512, &v) != 0)
				goto bad;
			opt.batch = v;
			break;
		case 's':
			if (parse_uint(optarg, 60, 1514, &v) != 0)
				goto bad;
			opt.size = v;
			break;
		case 'n':
			opt.interval = strtod(optarg, &end);
			if (*end != '\0' || opt.interval <= 0)
				goto bad;
			break;
		case 'd':
			opt.duration = strtod(optarg, &end);
			if (*end != '\0' || opt.duration < 0)
				goto bad;
			break;
		case 'N':
			opt.mode = 1;
			break;
		case 'S':
			opt.mode = 2;
			break;
		case 'P':
			opt.prog = optarg;
			break;
		case 'Q':
			opt.quiet = true;
			break;
		case 'h':
			return 1;
		default:
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "bad value '%s' for -%c\n", optarg, c);
	return -1;
}

static const char *
default_prog(void)
{
	static char path[PATH_MAX];
	static const char *const rel[] = {
		"xdpsock/xdp_sock.o", "xdp_sock.o", "../share/dpdk-xdpsock/xdp_sock.o",
	};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	unsigned int i;

	if (n > 0)
		for (i = 0; i < RTE_DIM(rel); i++) {
			exe[n] = '\0';
			snprintf(path, sizeof(path), "%s/%s", dirname(exe),
				rel[i]);
			if (access(path, R_OK) == 0)
				return path;
		}
	return XDPSOCK_PROG_INSTALLED;
}

static void
on_signal(int sig)
{
	quit = true;
}

/* A UDP frame, as xdpsock's txonly sends. */
static void
fill_frame(struct rte_mbuf *m, const struct rte_ether_addr *src,
	uint16_t len, uint32_t seq)
{
	uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, len);
	struct rte_ether_hdr *eh = (void *)p;
	struct rte_ipv4_hdr *ip = (void *)(eh + 1);
	struct rte_udp_hdr *uh = (void *)(ip + 1);

	if (p == NULL)
		return;
	memset(p, 0, len);
	memset(&eh->dst_addr, 0xff, sizeof(eh->dst_addr));
	eh->dst_addr.addr_bytes[0] = 0x3c;	/* xdpsock's default dst */
	eh->src_addr = *src;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(*eh));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 18, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 18, 0, 2));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uh->src_port = rte_cpu_to_be_16(0x1000 + (seq & 0xff));
	uh->dst_port = rte_cpu_to_be_16(0x1000);
	uh->dgram_len = rte_cpu_to_be_16(len - sizeof(*eh) - sizeof(*ip));
}

struct counts {
	uint64_t rx, tx;
};

static void
report(const struct counts *now, const struct counts *prev, double secs)
{
	printf("%-8s %14s %16s %8.2f\n", "", "pps", "pkts", secs);
	printf("%-8s %14.0f %16" PRIu64 "\n", "rx",
		(now->rx - prev->rx) / secs, now->rx);
	printf("%-8s %14.0f %16" PRIu64 "\n\n", "tx",
		(now->tx - prev->tx) / secs, now->tx);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct rte_xdp_obj_opts oo = { .socket_id = SOCKET_ID_ANY };
	struct rte_xdp_generic_conf gc = {
		.tx_queue = 0, .redirect_tx_queue = 1,
	};
	struct rte_xdp_xsk_conf xc = { .ring_size = 4096 };
	struct rte_eth_conf conf = { 0 };
	struct rte_mempool *pool, *umem;
	struct rte_xdp_obj *obj = NULL;
	struct rte_xdp_prog *prog;
	struct rte_xdp_xsk *xsk = NULL;
	struct rte_xdp_xsk_stats xs;
	struct rte_ether_addr mac;
	struct counts cnt = { 0 }, prev = { 0 };
	struct rte_mbuf *m[512];
	uint64_t hz, start, next, last, end;
	char err[512], name[RTE_ETH_NAME_MAX_LEN];
	bool native;
	uint32_t key, handle, seq = 0;
	uint16_t n, i, sent, nb_txq;
	int ret, status = EXIT_SETUP;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "cannot initialise EAL (see above)\n");
		return EXIT_SETUP;
	}
	ret = parse_args(argc - ret, argv + ret);
	if (ret != 0) {
		if (ret > 0)
			usage(stdout);
		else
			fprintf(stderr, "dpdk-xdpsock: see '-- --help' for usage\n");
		rte_eal_cleanup();
		return ret > 0 ? EXIT_SUCCESS : EXIT_USAGE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!rte_eth_dev_is_valid_port(opt.port)) {
		fprintf(stderr, "no port %u: give ports to EAL (--vdev ...)\n",
			opt.port);
		goto out;
	}
	rte_eth_dev_get_name_by_port(opt.port, name);
	native = rte_pmd_mvneta_xdp_is_port(opt.port) && opt.mode != 2;
	if (opt.mode == 1 && !native) {
		fprintf(stderr, "port %u (%s) has no native XDP: not net_mvneta_xdp (use -S)\n",
			opt.port, name);
		goto out;
	}
	pool = rte_pktmbuf_pool_create("xsk_rx", 8192, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, rte_socket_id());
	umem = rte_pktmbuf_pool_create("xsk_umem", 8192, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (pool == NULL || umem == NULL) {
		fprintf(stderr, "no memory for buffers: give EAL more (-m)\n");
		goto out;
	}
	nb_txq = native ? 1 : 2;
	ret = rte_eth_dev_configure(opt.port, opt.queue + 1, nb_txq, &conf);
	for (i = 0; ret == 0 && i <= opt.queue; i++)
		ret = rte_eth_rx_queue_setup(opt.port, i, RING,
			rte_eth_dev_socket_id(opt.port), NULL, pool);
	for (i = 0; ret == 0 && i < nb_txq; i++)
		ret = rte_eth_tx_queue_setup(opt.port, i, RING,
			rte_eth_dev_socket_id(opt.port), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(opt.port);
	if (ret != 0) {
		fprintf(stderr, "port %u (%s): set-up failed: %s\n", opt.port,
			name, strerror(-ret));
		goto out;
	}
	rte_eth_promiscuous_enable(opt.port);
	rte_eth_macaddr_get(opt.port, &mac);

	if (opt.prog == NULL)
		opt.prog = default_prog();
	obj = rte_xdp_obj_open(opt.prog, &oo, err, sizeof(err));
	if (obj == NULL || rte_xdp_obj_load(obj, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", opt.prog, err);
		goto out;
	}
	prog = rte_xdp_obj_prog(obj, 0);
	xc.port_id = opt.port;
	xc.queue_id = opt.queue;
	xc.umem = umem;
	xsk = rte_xdp_xsk_create(&xc);
	if (xsk == NULL) {
		fprintf(stderr, "cannot create the socket: %s\n",
			rte_strerror(rte_errno));
		goto out;
	}
	/* txonly: a socket without RX, as xdpsock makes it: no entry, the
	 * program passes what the port receives */
	key = opt.queue;
	handle = rte_xdp_xsk_handle(xsk);
	if (rte_xdp_obj_find_map(obj, "xsks_map") == NULL ||
	    (opt.bench != TXONLY &&
	     rte_xdp_map_update(rte_xdp_obj_find_map(obj, "xsks_map"), &key,
		    &handle, RTE_XDP_ANY) != 0)) {
		fprintf(stderr, "%s: no xsks_map XSKMAP to put the socket in\n",
			opt.prog);
		goto out;
	}
	ret = native ? rte_pmd_mvneta_xdp_prog_attach(opt.port, prog) :
		rte_xdp_generic_attach(opt.port, opt.queue, prog, &gc);
	if (ret != 0) {
		fprintf(stderr, "port %u (%s): cannot attach in %s mode: %s\n",
			opt.port, name, native ? "native" : "generic",
			strerror(-ret));
		goto out;
	}
	printf(" sock0@%s:%u %s %s xdp\n\n", name, opt.queue,
		bench_names[opt.bench], native ? "native" : "generic");
	fflush(stdout);

	hz = rte_get_timer_hz();
	start = last = rte_get_timer_cycles();
	next = start + opt.interval * hz;
	end = opt.duration > 0 ? start + opt.duration * hz : UINT64_MAX;
	while (!quit) {
		uint64_t now;

		/* The program runs here; what it passes is freed. */
		n = rte_eth_rx_burst(opt.port, opt.queue, m, opt.batch);
		rte_pktmbuf_free_bulk(m, n);
		switch (opt.bench) {
		case RXDROP:
			n = rte_xdp_xsk_rx_burst(xsk, m, opt.batch);
			cnt.rx += n;
			rte_pktmbuf_free_bulk(m, n);
			break;
		case TXONLY:
			if (rte_pktmbuf_alloc_bulk(umem, m, opt.batch) != 0)
				break;
			for (i = 0; i < opt.batch; i++)
				fill_frame(m[i], &mac, opt.size, seq++);
			sent = rte_xdp_xsk_tx_burst(xsk, m, opt.batch);
			cnt.tx += sent;
			rte_pktmbuf_free_bulk(m + sent, opt.batch - sent);
			break;
		case L2FWD:
			n = rte_xdp_xsk_rx_burst(xsk, m, opt.batch);
			cnt.rx += n;
			for (i = 0; i < n; i++) {
				struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m[i],
					struct rte_ether_hdr *);
				struct rte_ether_addr t = eh->dst_addr;

				eh->dst_addr = eh->src_addr;
				eh->src_addr = t;
			}
			sent = n != 0 ? rte_xdp_xsk_tx_burst(xsk, m, n) : 0;
			cnt.tx += sent;
			rte_pktmbuf_free_bulk(m + sent, n - sent);
			break;
		}
		now = rte_get_timer_cycles();
		if (now >= next) {
			if (!opt.quiet)
				report(&cnt, &prev, (double)(now - last) / hz);
			prev = cnt;
			last = now;
			next = now + opt.interval * hz;
		}
		if (now >= end)
			break;
	}
	rte_xdp_xsk_stats(xsk, &xs);
	printf("Summary after %.2f s: rx %" PRIu64 " (%.0f pps), tx %" PRIu64
		" (%.0f pps), socket rx_dropped %" PRIu64 "\n",
		(double)(rte_get_timer_cycles() - start) / hz, cnt.rx,
		cnt.rx / ((double)(rte_get_timer_cycles() - start) / hz),
		cnt.tx, cnt.tx / ((double)(rte_get_timer_cycles() - start) / hz),
		xs.rx_dropped);
	if (native)
		rte_pmd_mvneta_xdp_prog_attach(opt.port, NULL);
	else
		rte_xdp_generic_detach(opt.port, opt.queue);
	status = EXIT_SUCCESS;
out:
	rte_eth_dev_stop(opt.port);
	rte_xdp_xsk_destroy(xsk);
	rte_eth_dev_close(opt.port);
	rte_xdp_obj_close(obj);
	rte_eal_cleanup();
	return status;
}
