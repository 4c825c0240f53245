/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-xdp-fwd: an IPv4/IPv6 router in XDP on DPDK ports, after the
 * kernel's samples/bpf xdp_fwd. The xdp_fwd program looks each frame up
 * in the FIB (bpf_fib_lookup: routes and neighbours from a file or from
 * the kernel) and redirects it through a devmap to the egress port; what
 * it passes (ARP, ND, frames for the router, unresolved neighbours) goes
 * to the kernel through a TAP interface per port, and what the kernel
 * sends on that TAP goes out of the port: the exception path.
 *
 * On net_mvneta_xdp ports the program runs natively in the driver's RX
 * loop; on any other port it runs in generic mode (rte_xdp_generic.h).
 *
 *	lcore loop (per port it owns):
 *	   rx_burst(port)      program runs: REDIRECT/TX/DROP handled inside
 *	   → PASS frames       → tx_burst(tap)
 *	   rx_burst(tap)       → tx_burst(port)
 *	   quiescent state     (FIB updates are RCU)
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include <rte_pmd_mvneta_xdp.h>
#include <rte_xdp_fib.h>
#include <rte_xdp_generic.h>
#include <rte_xdp_map.h>
#include <rte_xdp_prog.h>

#include "tap_addr.h"
#include "wire_check.h"

#define EXIT_USAGE	2	/* bad command line */
#define EXIT_SETUP	3	/* ports, program or routes could not be set up */

#define MAX_PORTS	16
#define BURST		32
#define RX_RING		1024
#define TX_RING		1024
#define MBUF_PER_PORT	4096
#define MBUF_CACHE	256
#define NB_REASONS	16

enum mode { MODE_AUTO, MODE_NATIVE, MODE_GENERIC };

static struct {
	const char *prog;
	const char *sec;
	const char *routes;
	bool from_kernel;
	bool no_tap;
	const char *tap_prefix;
	enum mode mode;
	double stats_period;
	double refresh;
	enum rte_xdp_verify_policy verify;
	uint16_t headroom;
	bool quiet;
} opt = {
	.sec = "xdp_fwd",
	.tap_prefix = "xfwd",
	.stats_period = 1.0,
	.refresh = 1.0,
};

struct fwd_port {
	uint16_t id;
	uint16_t tap;		/* TAP port, or UINT16_MAX */
	bool native;
	uint32_t ifindex;
	char name[RTE_ETH_NAME_MAX_LEN];
	char tap_name[RTE_XDP_FIB_IFNAMSIZ];
	struct rte_ether_addr mac;
	uint16_t mtu;
	unsigned int lcore;
	bool started, tap_started, attached;
	char wire[IF_NAMESIZE];		/* kernel interface, or "" */
	unsigned int wire_warned;	/* enum wire_hazard bits said */
	/* exception path, written by the port's lcore */
	uint64_t to_kernel, to_kernel_drop;
	uint64_t from_kernel, from_kernel_drop;
	uint64_t last[8];	/* counters at the last report */
};

static struct fwd_port ports[MAX_PORTS];
static unsigned int nb_ports;
static struct rte_mempool *pool;
static struct rte_xdp_obj *obj;
static struct rte_xdp_prog *prog;
static struct rte_rcu_qsbr *rcu;
static volatile bool quit;

static void
usage(FILE *f, const char *prg)
{
	fprintf(f,
"Usage: %s [EAL options] -- [options]\n"
"\n"
"Forward IPv4 and IPv6 between the ports given to EAL (--vdev or devices)\n"
"with the xdp_fwd XDP program: bpf_fib_lookup() in routes and neighbours\n"
"from a file or from the kernel, then a devmap redirect to the egress port.\n"
"Programs run natively on net_mvneta_xdp ports, generically on the others.\n"
"Frames the program passes go to the kernel through a TAP interface per\n"
"port (PREFIX<port>, same MAC and MTU as the port); what the kernel sends\n"
"there goes out of the port.\n"
"\n"
"Options:\n"
"  --prog FILE            XDP object (default: xdp_fwd.o built with this program)\n"
"  --sec NAME             program in it (default xdp_fwd; xdp_fwd_direct)\n"
"  --routes FILE          interfaces' addresses, routes and neighbours (the\n"
"                         ports' addresses also go on their TAPs):\n"
"                           addr 10.1.0.1 dev xfwd0\n"
"                           route 10.2.0.0/24 dev xfwd1\n"
"                           route default via 10.2.0.254 dev xfwd1\n"
"                           neigh 10.2.0.254 lladdr 02:00:00:00:00:fe dev xfwd1\n"
"                         (dev: a TAP name or an ifindex)\n"
"  --routes-from-kernel   read addresses, routes and neighbours of the TAP\n"
"                         interfaces from the kernel, again every --refresh\n"
"                         seconds (default 1); with --routes, the file is read\n"
"                         after the kernel's tables\n"
"  --refresh SECONDS      period of --routes-from-kernel reads (default 1)\n"
"  --mode auto|native|generic  native needs net_mvneta_xdp ports (default auto)\n"
"  --tap-prefix NAME      TAP interface names, also the ports' names in\n"
"                         routes files (default xfwd: xfwd0, xfwd1, ...)\n"
"  --no-tap               no exception path: frames passed are dropped\n"
"  --headroom N           generic mode: copy frames with less headroom\n"
"                         (default 256, as the kernel; 1: never)\n"
"  --verify auto|kernel|builtin  program verification (default auto)\n"
"  --stats SECONDS        rates every SECONDS (default 1; 0: only at exit)\n"
"  -q, --quiet            no rate lines\n"
"  -h, --help             this text\n"
"\n"
"Examples: (doc/guides/sample_app_ug/xdp_fwd.rst sets up the namespaces)\n"
"  # generic XDP on two veth ends (AF_PACKET), the routes file's addresses\n"
"  # (put on the TAPs), routes and neighbours:\n"
"  %s --no-huge --no-pci -m 512 --file-prefix xfwd-r -l 0,1 \\\n"
"      --vdev net_af_packet0,iface=xfwd-va --vdev net_af_packet1,iface=xfwd-vb \\\n"
"      -- --routes examples/xdp-fwd/routes.conf\n"
"\n"
"  # native XDP, routes and neighbours from the kernel, which is given the\n"
"  # router's addresses and forwarding once the TAPs exist:\n"
"  %s --no-huge --no-pci -m 512 --file-prefix xfwd-r -l 0,1 \\\n"
"      --vdev net_mvneta_xdp0,iface=xfwd-va --vdev net_mvneta_xdp1,iface=xfwd-vb \\\n"
"      -- --routes-from-kernel\n"
"  ip addr add 10.1.0.1/24 dev xfwd0; ip addr add 10.2.0.1/24 dev xfwd1\n"
"  sysctl -w net.ipv4.conf.xfwd0.forwarding=1 net.ipv4.conf.xfwd1.forwarding=1\n"
"\n"
"  The kernel sees the frames of the veth ends too: keep it from forwarding\n"
"  or answering them a second time (the application warns otherwise):\n"
"  sysctl -w net.ipv6.conf.xfwd-va.disable_ipv6=1 net.ipv4.conf.xfwd-va.rp_filter=1\n"
"  (and the same for xfwd-vb)\n"
"\n"
"Telemetry: dpdk-telemetry.py -f PREFIX, then /xdp/list, /xdp/info,PORT.\n"
"Exit status: 0 after SIGINT/SIGTERM, 1 runtime error, 2 bad command line,\n"
"3 set-up failed (ports, program, routes, TAPs).\n",
		prg, prg, prg);
}

static int
parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "sec", required_argument, NULL, 's' },
		{ "routes", required_argument, NULL, 'r' },
		{ "routes-from-kernel", no_argument, NULL, 'k' },
		{ "refresh", required_argument, NULL, 'R' },
		{ "mode", required_argument, NULL, 'm' },
		{ "tap-prefix", required_argument, NULL, 't' },
		{ "no-tap", no_argument, NULL, 'n' },
		{ "headroom", required_argument, NULL, 'H' },
		{ "verify", required_argument, NULL, 'v' },
		{ "stats", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "qh", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			opt.prog = optarg;
			break;
		case 's':
			opt.sec = optarg;
			break;
		case 'r':
			opt.routes = optarg;
			break;
		case 'k':
			opt.from_kernel = true;
			break;
		case 'R':
			opt.refresh = strtod(optarg, &end);
			if (*end != '\0' || opt.refresh <= 0) {
				fprintf(stderr, "--refresh: a number of seconds > 0, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'm':
			if (strcmp(optarg, "auto") == 0)
				opt.mode = MODE_AUTO;
			else if (strcmp(optarg, "native") == 0)
				opt.mode = MODE_NATIVE;
			else if (strcmp(optarg, "generic") == 0)
				opt.mode = MODE_GENERIC;
			else {
				fprintf(stderr, "--mode: auto, native or generic, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 't':
			if (strlen(optarg) == 0 || strlen(optarg) > 10) {
				fprintf(stderr, "--tap-prefix: 1 to 10 characters\n");
				return -1;
			}
			opt.tap_prefix = optarg;
			break;
		case 'n':
			opt.no_tap = true;
			break;
		case 'H':
			v = strtol(optarg, &end, 0);
			if (*end != '\0' || v < 1 || v > 1024) {
				fprintf(stderr, "--headroom: 1 to 1024, not '%s'\n",
					optarg);
				return -1;
			}
			opt.headroom = v;
			break;
		case 'v':
			if (strcmp(optarg, "auto") == 0)
				opt.verify = RTE_XDP_VERIFY_AUTO;
			else if (strcmp(optarg, "kernel") == 0)
				opt.verify = RTE_XDP_VERIFY_KERNEL;
			else if (strcmp(optarg, "builtin") == 0)
				opt.verify = RTE_XDP_VERIFY_BUILTIN;
			else {
				fprintf(stderr, "--verify: auto, kernel or builtin, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'S':
			opt.stats_period = strtod(optarg, &end);
			if (*end != '\0' || opt.stats_period < 0) {
				fprintf(stderr, "--stats: a number of seconds, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'q':
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
	if (opt.from_kernel && opt.no_tap) {
		fprintf(stderr, "--routes-from-kernel reads the TAP interfaces' routes: it cannot go with --no-tap\n");
		return -1;
	}
	if (!opt.from_kernel && opt.routes == NULL) {
		fprintf(stderr, "no routes: give --routes FILE, --routes-from-kernel or both\n");
		return -1;
	}
	return 0;
}

/* The xdp_fwd object built with this program, or installed with it. */
static const char *
default_prog(void)
{
	static char path[PATH_MAX];
	static const char *const rel[] = {
		"xdp-fwd/xdp_fwd.o", "xdp_fwd.o", "../share/dpdk-xdp-fwd/xdp_fwd.o",
	};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	unsigned int i;

	if (n > 0) {
		exe[n] = '\0';
		for (i = 0; i < RTE_DIM(rel); i++) {
			snprintf(path, sizeof(path), "%s/%s", dirname(exe),
				rel[i]);
			if (access(path, R_OK) == 0)
				return path;
			exe[n] = '\0';
		}
	}
	return XDP_FWD_PROG_INSTALLED;
}

static void
on_signal(int sig)
{
	quit = true;
}

static int
load_prog(void)
{
	struct rte_xdp_obj_opts o = {
		.verify = opt.verify, .socket_id = SOCKET_ID_ANY,
	};
	char err[512];

	if (opt.prog == NULL)
		opt.prog = default_prog();
	obj = rte_xdp_obj_open(opt.prog, &o, err, sizeof(err));
	if (obj == NULL) {
		fprintf(stderr, "cannot open %s: %s\n", opt.prog, err);
		return -1;
	}
	if (rte_xdp_obj_load(obj, err, sizeof(err)) != 0) {
		fprintf(stderr, "cannot load %s: %s\n", opt.prog, err);
		if (strstr(err, "helper 69") != NULL)
			fprintf(stderr, "(bpf_fib_lookup is not in this runtime's helper table yet)\n");
		return -1;
	}
	prog = rte_xdp_obj_find_prog(obj, opt.sec);
	if (prog == NULL) {
		fprintf(stderr, "%s has no program or section '%s'\n", opt.prog,
			opt.sec);
		return -1;
	}
	return 0;
}

static int
port_init(uint16_t id, uint16_t nb_txq)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t q, nrx = RX_RING, ntx = TX_RING;
	int ret;

	ret = rte_eth_dev_info_get(id, &info);
	if (ret != 0)
		return ret;
	if (info.max_tx_queues < nb_txq)
		nb_txq = info.max_tx_queues;
	ret = rte_eth_dev_configure(id, 1, nb_txq, &conf);
	if (ret == 0)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(id, &nrx, &ntx);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(id, 0, nrx,
			rte_eth_dev_socket_id(id), NULL, pool);
	for (q = 0; ret == 0 && q < nb_txq; q++)
		ret = rte_eth_tx_queue_setup(id, q, ntx,
			rte_eth_dev_socket_id(id), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(id);
	/* a router's stack needs multicast: IPv6 neighbour discovery */
	if (ret == 0)
		rte_eth_allmulticast_enable(id);
	return ret;
}

/* The exception path: a TAP with the port's MAC and MTU. */
static int
tap_create(struct fwd_port *p, unsigned int idx)
{
	char name[64], args[128], mac[RTE_ETHER_ADDR_FMT_SIZE];
	int ret;

	snprintf(name, sizeof(name), "net_tap_xfwd%u", idx);
	rte_ether_format_addr(mac, sizeof(mac), &p->mac);
	snprintf(args, sizeof(args), "iface=%s,mac=%s", p->tap_name, mac);
	ret = rte_vdev_init(name, args);
	if (ret != 0) {
		fprintf(stderr, "port %u: cannot create TAP %s (%s): is another instance running, or no /dev/net/tun?\n",
			p->id, p->tap_name, strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_get_port_by_name(name, &p->tap);
	if (ret == 0)
		ret = port_init(p->tap, 1);
	p->tap_started = ret == 0;
	if (ret == 0 && p->mtu != RTE_ETHER_MTU)
		rte_eth_dev_set_mtu(p->tap, p->mtu);
	if (ret != 0)
		fprintf(stderr, "TAP %s: set-up failed (%s)\n", p->tap_name,
			strerror(-ret));
	return ret;
}

/* Interfaces of the FIB: one per port, named after its TAP. */
static struct rte_xdp_fib *
fib_build(char *err, size_t err_len)
{
	static unsigned int gen;
	struct rte_xdp_fib *fib;
	char name[24];
	unsigned int i;
	int ret;

	snprintf(name, sizeof(name), "xfwd%u", gen++);
	fib = rte_xdp_fib_create(name, NULL);
	if (fib == NULL) {
		snprintf(err, err_len, "no memory for the FIB");
		return NULL;
	}
	for (i = 0; i < nb_ports; i++) {
		struct rte_xdp_fib_if ifc = {
			.ifindex = ports[i].ifindex, .mac = ports[i].mac,
			.mtu = ports[i].mtu, .forwarding = 1, .forwarding6 = 1,
		};

		snprintf(ifc.name, sizeof(ifc.name), "%s", ports[i].tap_name);
		ret = rte_xdp_fib_if_add(fib, &ifc);
		if (ret != 0) {
			snprintf(err, err_len, "FIB interface %s: %s", ifc.name,
				strerror(-ret));
			goto fail;
		}
	}
	if (opt.from_kernel) {
		ret = rte_xdp_fib_load_kernel(fib, 0, err, err_len);
		if (ret < 0)
			goto fail;
	}
	if (opt.routes != NULL) {
		ret = rte_xdp_fib_load_file(fib, opt.routes, err, err_len);
		if (ret < 0)
			goto fail;
	}
	return fib;
fail:
	rte_xdp_fib_free(fib);
	return NULL;
}

/* Publish a new FIB; the old one is freed once every lcore moved on. */
static void
fib_publish(struct rte_xdp_fib *fib)
{
	struct rte_xdp_fib *old = rte_xdp_fib_set_default(fib);

	if (old == NULL)
		return;
	rte_rcu_qsbr_quiescent(rcu, rte_lcore_id());
	rte_rcu_qsbr_synchronize(rcu, rte_lcore_id());
	rte_xdp_fib_free(old);
}

static int
devmap_fill(void)
{
	struct rte_xdp_map *m = rte_xdp_obj_find_map(obj, "xdp_tx_ports");
	unsigned int i;
	int ret;

	if (m == NULL) {
		fprintf(stderr, "warning: %s has no xdp_tx_ports devmap: nothing to fill\n",
			opt.prog);
		return 0;
	}
	for (i = 0; i < nb_ports; i++) {
		ret = rte_xdp_map_update(m, &ports[i].ifindex,
			&ports[i].ifindex, RTE_XDP_ANY);
		if (ret != 0) {
			fprintf(stderr, "xdp_tx_ports[%u]: %s\n",
				ports[i].ifindex, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int
attach(struct fwd_port *p)
{
	struct rte_xdp_generic_conf conf = {
		.tx_queue = 0,			/* shared with the TAP path */
		.redirect_tx_queue = 1,
		.headroom = opt.headroom,
	};
	int ret;

	if (p->native) {
		ret = rte_pmd_mvneta_xdp_prog_attach(p->id, prog);
	} else {
		struct rte_eth_dev_info info;

		rte_eth_dev_info_get(p->id, &info);
		if (info.nb_tx_queues < 2)
			conf.redirect_tx_queue = 0;
		ret = rte_xdp_generic_attach(p->id, 0, prog, &conf);
	}
	p->attached = ret == 0;
	if (ret != 0)
		fprintf(stderr, "port %u (%s): cannot attach %s in %s mode: %s\n",
			p->id, p->name, opt.sec, p->native ? "native" : "generic",
			strerror(-ret));
	return ret;
}

static void
detach(struct fwd_port *p)
{
	if (!p->attached)
		return;
	p->attached = false;
	if (p->native)
		rte_pmd_mvneta_xdp_prog_attach(p->id, NULL);
	else
		rte_xdp_generic_detach(p->id, 0);
}

static int
setup_ports(void)
{
	uint16_t id, avail = 0;
	unsigned int i;
	int ret;

	RTE_ETH_FOREACH_DEV(id) {
		if (nb_ports == MAX_PORTS) {
			fprintf(stderr, "more than %d ports\n", MAX_PORTS);
			return -1;
		}
		ports[nb_ports].id = id;
		ports[nb_ports].tap = UINT16_MAX;
		nb_ports++;
	}
	if (nb_ports == 0) {
		fprintf(stderr, "no ports: give them to EAL, e.g. --vdev net_af_packet0,iface=eth0\n");
		return -1;
	}
	pool = rte_pktmbuf_pool_create("xfwd_pool",
		RTE_MAX(8192u, MBUF_PER_PORT * nb_ports * (opt.no_tap ? 1 : 2)),
		MBUF_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE + 128, rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "no memory for the mbuf pool (%s): give EAL more (-m)\n",
			rte_strerror(rte_errno));
		return -1;
	}
	for (i = 0; i < nb_ports; i++) {
		struct fwd_port *p = &ports[i];

		rte_eth_dev_get_name_by_port(p->id, p->name);
		p->native = rte_pmd_mvneta_xdp_is_port(p->id) &&
			opt.mode != MODE_GENERIC;
		if (opt.mode == MODE_NATIVE && !p->native) {
			fprintf(stderr, "port %u (%s) is not a net_mvneta_xdp port: no native mode (use --mode auto or generic)\n",
				p->id, p->name);
			return -1;
		}
		/* native: XDP_TX and redirects have rings of their own */
		ret = port_init(p->id, p->native ? 1 : 2);
		p->started = ret == 0;
		if (ret != 0) {
			fprintf(stderr, "port %u (%s): set-up failed: %s\n",
				p->id, p->name, strerror(-ret));
			return -1;
		}
		rte_eth_macaddr_get(p->id, &p->mac);
		if (rte_eth_dev_get_mtu(p->id, &p->mtu) != 0)
			p->mtu = RTE_ETHER_MTU;
		p->ifindex = p->native ? rte_pmd_mvneta_xdp_ifindex(p->id) :
			rte_xdp_generic_ifindex(p->id);
		/* the FIB and routes files name ports by their TAP's name,
		 * TAP or not */
		snprintf(p->tap_name, sizeof(p->tap_name), "%s%u",
			opt.tap_prefix, i);
		if (wire_iface(p->id, p->wire, sizeof(p->wire)) != 0)
			p->wire[0] = '\0';
		if (!opt.no_tap && tap_create(p, i) != 0)
			return -1;
		avail++;
	}
	return avail;
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, v = 0;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) == 0)
		rte_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

enum { C_RX, C_PASS, C_DROP, C_TX, C_REDIR, C_ERR, C_KIN, C_KOUT, C_NB };
static const char *const c_names[C_NB] = {
	"rx", "pass", "drop", "tx", "redirect", "errors", "to-kernel",
	"from-kernel",
};

static void
counters(const struct fwd_port *p, uint64_t c[C_NB])
{
	struct rte_eth_stats es;

	memset(c, 0, sizeof(uint64_t) * C_NB);
	if (rte_eth_stats_get(p->id, &es) == 0)
		c[C_RX] = es.ipackets;
	if (p->native) {
		c[C_PASS] = xstat(p->id, "rx_xdp_pass");
		c[C_DROP] = xstat(p->id, "rx_xdp_drop");
		c[C_TX] = xstat(p->id, "rx_xdp_tx");
		c[C_REDIR] = xstat(p->id, "rx_xdp_redirect");
		c[C_ERR] = xstat(p->id, "rx_xdp_tx_errors") +
			xstat(p->id, "rx_xdp_redirect_errors") +
			xstat(p->id, "tx_xdp_xmit_errors");
	} else {
		struct rte_xdp_generic_stats st;

		if (rte_xdp_generic_stats_get(p->id, RTE_XDP_GENERIC_ALL_QUEUES,
				&st) == 0) {
			c[C_PASS] = st.rx_xdp_pass;
			c[C_DROP] = st.rx_xdp_drop;
			c[C_TX] = st.rx_xdp_tx;
			c[C_REDIR] = st.rx_xdp_redirect;
			c[C_ERR] = st.rx_xdp_tx_errors +
				st.rx_xdp_redirect_errors +
				st.tx_xdp_xmit_errors;
		}
	}
	c[C_KIN] = __atomic_load_n(&p->to_kernel, __ATOMIC_RELAXED);
	c[C_KOUT] = __atomic_load_n(&p->from_kernel, __ATOMIC_RELAXED);
}

static void
fmt_rate(char *b, size_t n, double v)
{
	if (v >= 1e6)
		snprintf(b, n, "%.3fM", v / 1e6);
	else if (v >= 1e3)
		snprintf(b, n, "%.1fk", v / 1e3);
	else
		snprintf(b, n, "%.0f", v);
}

/* One line: per port, per verdict, frames per second. */
static void
print_rates(double secs, double elapsed)
{
	char line[2048], r[16];
	size_t o = 0;
	unsigned int i, k;

	o += snprintf(line + o, sizeof(line) - o, "%7.1fs", elapsed);
	for (i = 0; i < nb_ports; i++) {
		uint64_t c[C_NB];

		counters(&ports[i], c);
		o += snprintf(line + o, sizeof(line) - o, " | p%u", ports[i].id);
		for (k = 0; k < C_NB && o < sizeof(line); k++) {
			if (k == C_ERR && c[k] == ports[i].last[k])
				continue;
			fmt_rate(r, sizeof(r), (c[k] - ports[i].last[k]) / secs);
			o += snprintf(line + o, sizeof(line) - o, " %s %s",
				c_names[k], r);
			ports[i].last[k] = c[k];
		}
	}
	printf("%s pps\n", line);
	fflush(stdout);
}

static const char *const reason_names[NB_REASONS] = {
	"forwarded", "blackhole", "unreachable", "prohibit", "not-forwarded",
	"forwarding-off", "unsupp-lwt", "no-neighbour", "frag-needed",
	"no-src-addr", "not-ip", "ttl-expired", "no-egress-port", "truncated",
	NULL, NULL,
};

static void
print_summary(double elapsed)
{
	struct rte_xdp_map *m = rte_xdp_obj_find_map(obj, "fwd_stats");
	unsigned int i, k, ncpu = rte_xdp_map_nb_cpus();
	uint64_t *v = calloc(ncpu, sizeof(uint64_t));
	uint32_t r4, r6, nb;

	printf("\nSummary after %.1f s (%s):\n", elapsed, opt.sec);
	for (i = 0; i < nb_ports; i++) {
		uint64_t c[C_NB];

		counters(&ports[i], c);
		printf("  port %u %s (%s, ifindex %u%s%s):", ports[i].id,
			ports[i].name, ports[i].native ? "native" : "generic",
			ports[i].ifindex, ports[i].tap != UINT16_MAX ? ", tap " : "",
			ports[i].tap != UINT16_MAX ? ports[i].tap_name : "");
		for (k = 0; k < C_NB; k++)
			printf(" %s %" PRIu64, c_names[k], c[k]);
		if (ports[i].tap == UINT16_MAX)
			printf(" passed-and-dropped %" PRIu64,
				ports[i].to_kernel_drop);
		else if (ports[i].to_kernel_drop + ports[i].from_kernel_drop)
			printf(" tap-drops %" PRIu64,
				ports[i].to_kernel_drop + ports[i].from_kernel_drop);
		printf("\n");
	}
	if (m != NULL && v != NULL) {
		printf("  xdp_fwd outcomes:");
		for (k = 0; k < NB_REASONS; k++) {
			uint64_t sum = 0;
			uint32_t key = k;
			unsigned int c;

			if (reason_names[k] == NULL ||
			    rte_xdp_map_lookup(m, &key, v) != 0)
				continue;
			for (c = 0; c < ncpu; c++)
				sum += v[c];
			if (sum != 0)
				printf(" %s %" PRIu64, reason_names[k], sum);
		}
		printf("\n");
	}
	free(v);
	rte_xdp_fib_count(rte_xdp_fib_get_default(), &r4, &r6, &nb);
	printf("  FIB: %u IPv4 routes, %u IPv6 routes, %u neighbours\n",
		r4, r6, nb);
	fflush(stdout);
}

/* One pass over the ports an lcore serves. */
static void
fwd_poll(unsigned int lcore)
{
	struct rte_mbuf *m[BURST];
	unsigned int i;
	uint16_t n, sent;

	for (i = 0; i < nb_ports; i++) {
		struct fwd_port *p = &ports[i];

		if (p->lcore != lcore)
			continue;
		/* the program runs in here, natively or generically */
		n = rte_eth_rx_burst(p->id, 0, m, BURST);
		if (n != 0) {
			sent = p->tap != UINT16_MAX ?
				rte_eth_tx_burst(p->tap, 0, m, n) : 0;
			p->to_kernel += sent;
			if (sent < n) {
				p->to_kernel_drop += n - sent;
				rte_pktmbuf_free_bulk(m + sent, n - sent);
			}
		}
		if (p->tap == UINT16_MAX)
			continue;
		n = rte_eth_rx_burst(p->tap, 0, m, BURST);
		if (n != 0) {
			sent = rte_eth_tx_burst(p->id, 0, m, n);
			p->from_kernel += sent;
			if (sent < n) {
				p->from_kernel_drop += n - sent;
				rte_pktmbuf_free_bulk(m + sent, n - sent);
			}
		}
	}
}

static int
fwd_loop(void *arg)
{
	unsigned int lcore = rte_lcore_id();

	rte_rcu_qsbr_thread_register(rcu, lcore);
	rte_rcu_qsbr_thread_online(rcu, lcore);
	while (!quit) {
		fwd_poll(lcore);
		rte_rcu_qsbr_quiescent(rcu, lcore);
	}
	rte_rcu_qsbr_thread_offline(rcu, lcore);
	rte_rcu_qsbr_thread_unregister(rcu, lcore);
	return 0;
}

/* The routes file's addresses on the TAPs: the kernel answers for them. */
static int
apply_tap_addrs(void)
{
	struct tap_addr_if ifs[MAX_PORTS];
	char err[512];
	unsigned int i;
	int ret;

	if (opt.no_tap || opt.routes == NULL)
		return 0;
	for (i = 0; i < nb_ports; i++) {
		ifs[i].name = ports[i].tap_name;
		ifs[i].ifindex = ports[i].ifindex;
	}
	ret = tap_addr_apply(opt.routes, ifs, nb_ports, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "%s\n", err);
	return ret < 0 ? ret : 0;
}

/* What the kernel does with the frames of the ports' own interfaces. */
static void
check_wires(void)
{
	char what[RTE_ETH_NAME_MAX_LEN + 16];
	unsigned int i;

	for (i = 0; i < nb_ports; i++) {
		if (ports[i].wire[0] == '\0')
			continue;
		snprintf(what, sizeof(what), "port %u (%s)", ports[i].id,
			ports[i].name);
		wire_check(what, ports[i].wire, &ports[i].wire_warned);
	}
}

/*
 * Undo whatever the set-up did, on every way out: programs detached, the
 * kernel's addresses removed, ports and TAPs stopped then closed.
 */
static void
teardown(void)
{
	unsigned int i;

	for (i = 0; i < nb_ports; i++)
		detach(&ports[i]);
	tap_addr_remove_all();
	for (i = 0; i < nb_ports; i++) {
		struct fwd_port *p = &ports[i];

		if (p->started)
			rte_eth_dev_stop(p->id);
		rte_eth_dev_close(p->id);
		if (p->tap == UINT16_MAX)
			continue;
		if (p->tap_started)
			rte_eth_dev_stop(p->tap);
		rte_eth_dev_close(p->tap);
	}
	rte_xdp_fib_free(rte_xdp_fib_set_default(NULL));
	rte_xdp_obj_close(obj);
	rte_free(rcu);
	rte_eal_cleanup();
}

int
main(int argc, char **argv)
{
	struct rte_xdp_fib *fib;
	unsigned int i, lcore, nb_workers = 0;
	uint64_t hz, start, next_stats, next_refresh, next_check, last_stats;
	char err[512];
	size_t sz;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "cannot initialise EAL (see above); --help after -- for usage\n");
		return EXIT_SETUP;
	}
	argc -= ret;
	argv += ret;
	ret = parse_args(argc, argv);
	if (ret != 0) {
		if (ret > 0)
			usage(stdout, "dpdk-xdp-fwd");
		else
			fprintf(stderr, "dpdk-xdp-fwd: see '-- --help' for usage\n");
		rte_eal_cleanup();
		return ret > 0 ? EXIT_SUCCESS : EXIT_USAGE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	rcu = rte_zmalloc("xfwd_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (rcu == NULL || rte_rcu_qsbr_init(rcu, RTE_MAX_LCORE) != 0) {
		fprintf(stderr, "no memory for RCU\n");
		goto fail_setup;
	}
	if (load_prog() != 0 || setup_ports() < 0)
		goto fail_setup;
	fib = fib_build(err, sizeof(err));
	if (fib == NULL) {
		fprintf(stderr, "routes: %s\n", err);
		goto fail_setup;
	}
	rte_xdp_fib_set_default(fib);
	if (apply_tap_addrs() != 0 || devmap_fill() != 0)
		goto fail_setup;
	/* Ports to lcores: the workers in turn, or the main lcore alone. */
	RTE_LCORE_FOREACH_WORKER(lcore)
		nb_workers++;
	i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		unsigned int j;

		for (j = i; j < nb_ports; j += nb_workers)
			ports[j].lcore = lcore;
		i++;
	}
	for (i = 0; i < nb_ports; i++) {
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		if (nb_workers == 0)
			ports[i].lcore = rte_get_main_lcore();
		if (attach(&ports[i]) != 0)
			goto fail_setup;
		rte_ether_format_addr(mac, sizeof(mac), &ports[i].mac);
		printf("port %u %s: %s XDP %s, ifindex %u, mac %s, tap %s\n",
			ports[i].id, ports[i].name,
			ports[i].native ? "native" : "generic", opt.sec,
			ports[i].ifindex, mac,
			ports[i].tap != UINT16_MAX ? ports[i].tap_name : "none");
	}
	{
		uint32_t r4, r6, nb;

		rte_xdp_fib_count(fib, &r4, &r6, &nb);
		printf("FIB: %u IPv4 routes, %u IPv6 routes, %u neighbours%s\n",
			r4, r6, nb, opt.from_kernel ? " (kernel, refreshed)" : "");
	}
	fflush(stdout);
	check_wires();

	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_eal_remote_launch(fwd_loop, NULL, lcore);
	if (nb_workers == 0) {
		rte_rcu_qsbr_thread_register(rcu, rte_lcore_id());
		rte_rcu_qsbr_thread_online(rcu, rte_lcore_id());
	}
	hz = rte_get_timer_hz();
	start = last_stats = rte_get_timer_cycles();
	next_stats = opt.stats_period > 0 && !opt.quiet ?
		start + opt.stats_period * hz : UINT64_MAX;
	next_refresh = opt.from_kernel ? start + opt.refresh * hz : UINT64_MAX;
	next_check = start + hz;
	while (!quit) {
		uint64_t now;

		if (nb_workers == 0) {
			fwd_poll(rte_lcore_id());
			rte_rcu_qsbr_quiescent(rcu, rte_lcore_id());
		} else
			rte_delay_us_sleep(10000);
		now = rte_get_timer_cycles();
		if (now >= next_stats) {
			print_rates((double)(now - last_stats) / hz,
				(double)(now - start) / hz);
			last_stats = now;
			next_stats = now + opt.stats_period * hz;
		}
		/* sysctls change while we run (forwarding turned on) */
		if (now >= next_check) {
			check_wires();
			next_check = now + hz;
		}
		if (now >= next_refresh) {
			struct rte_xdp_fib *nf = fib_build(err, sizeof(err));

			if (nf != NULL && rte_xdp_fib_digest(nf) ==
			    rte_xdp_fib_digest(rte_xdp_fib_get_default()))
				rte_xdp_fib_free(nf);	/* nothing changed */
			else if (nf != NULL)
				fib_publish(nf);
			else
				fprintf(stderr, "routes refresh failed, keeping the previous ones: %s\n",
					err);
			next_refresh = rte_get_timer_cycles() + opt.refresh * hz;
		}
	}
	rte_eal_mp_wait_lcore();
	print_summary((double)(rte_get_timer_cycles() - start) / hz);
	teardown();
	return EXIT_SUCCESS;

fail_setup:
	teardown();
	return EXIT_SETUP;
}
