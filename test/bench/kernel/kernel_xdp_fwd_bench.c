/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kernel_xdp_fwd_bench - the kernel's xdp_fwd-style forwarding between
 * veths, the kernel row of devtools/bench-xdp-fwd.sh:
 *
 *   gen netns          router netns                      sink netns
 *   GEN ──veth──► IN [xdp_fwd] ─devmap─► OUT ──veth──► SINK [count, drop]
 *
 *   kernel_xdp_fwd_bench --gen-ns PATH --gen-if IF --router-ns PATH
 *       --in-if IF --out-if IF --sink-ns PATH --sink-if IF --fwd-obj FILE
 *       [--seconds S] [--cpu N] [--probe] [-v]
 *
 * The router runs the project's xdp_fwd object (test/bpf/fwd/xdp_fwd.c)
 * in native mode on IN and OUT, its devmap xdp_tx_ports holding both
 * ifindexes; routes and neighbours are the kernel's (the script sets them
 * with ip route / ip neigh and enables forwarding). Frames come from a
 * live-frames BPF_PROG_TEST_RUN of xdp_fwd_gen on GEN (XDP_TX, i.e.
 * veth's ndo_xdp_xmit to IN); SINK runs xdp_drop_count (veth only
 * transmits XDP frames to a peer that has a program). Everything runs in
 * softirq on the one CPU the test run is pinned to: generator, router
 * and sink.
 *
 * Output, one line on stdout:
 *   mode=fwd frames=N seconds=S mpps=X forwarded=F sent=G
 * (frames: counted by the sink; forwarded: xdp_fwd's own count of
 * redirected frames; sent: frames the generator produced).
 * Exit status: 0 ok, 1 error, 77 with "SKIP: reason" when bpf() or
 * live-frames test runs are not available, 130 on a signal.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kbench_util.h"

#define EXIT_SKIP	KBENCH_EXIT_SKIP
#define EXIT_SIG	KBENCH_EXIT_SIG
#define FRAME_LEN	64	/* without FCS, as the DPDK rows */
#define NB_NS		3

enum { NS_GEN, NS_ROUTER, NS_SINK };

struct gen_hdr {
	struct ethhdr eth;
	struct iphdr ip;
} __attribute__((packed));

static struct {
	const char *ns[NB_NS];
	const char *gen_if, *in_if, *out_if, *sink_if;
	const char *fwd_obj;
	double seconds;
	int cpu;
	bool probe;
	bool verbose;
} cfg = { .seconds = 3 };

static int ns_fd[NB_NS] = { -1, -1, -1 };
/* attached programs, detached at exit: ifindex and netns */
static struct { int ifindex, ns; } att[3];
static int nb_att;
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || (level == LIBBPF_INFO && !cfg.verbose))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int
enter(int ns)
{
	if (setns(ns_fd[ns], CLONE_NEWNET) != 0) {
		fprintf(stderr, "kernel_xdp_fwd_bench: setns %s: %s\n",
			cfg.ns[ns], strerror(errno));
		return -1;
	}
	return 0;
}

static struct bpf_object *
load(const char *path, int *err)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);

	*err = 0;
	if (obj == NULL) {
		*err = errno;
		fprintf(stderr, "kernel_xdp_fwd_bench: open %s: %s\n", path,
			strerror(*err));
		return NULL;
	}
	*err = -bpf_object__load(obj);
	if (*err != 0) {
		fprintf(stderr, "kernel_xdp_fwd_bench: load %s: %s\n", path,
			strerror(*err));
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static int
find_fd(struct bpf_object *obj, const char *prog, const char *map)
{
	if (prog != NULL) {
		struct bpf_program *p =
			bpf_object__find_program_by_name(obj, prog);

		return p != NULL ? bpf_program__fd(p) : -1;
	}
	struct bpf_map *m = bpf_object__find_map_by_name(obj, map);

	return m != NULL ? bpf_map__fd(m) : -1;
}

/* Native XDP on ifname of the current netns, remembered for detach. */
static int
attach(int ns, const char *ifname, int prog_fd)
{
	int ifindex = if_nametoindex(ifname), err;

	if (ifindex == 0 || prog_fd < 0) {
		fprintf(stderr, "kernel_xdp_fwd_bench: no interface %s or program\n",
			ifname);
		return -1;
	}
	err = bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_DRV_MODE |
		XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (err != 0) {
		fprintf(stderr, "kernel_xdp_fwd_bench: native XDP on %s: %s\n",
			ifname, strerror(-err));
		return -1;
	}
	att[nb_att].ifindex = ifindex;
	att[nb_att++].ns = ns;
	return ifindex;
}

static void
detach_all(void)
{
	while (nb_att > 0) {
		nb_att--;
		if (enter(att[nb_att].ns) == 0)
			bpf_xdp_detach(att[nb_att].ifindex, XDP_FLAGS_DRV_MODE,
				NULL);
	}
}

/* Sum of a per-CPU u64 array entry. */
static uint64_t
percpu_sum(int fd, uint32_t key)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	uint64_t v[ncpu > 0 ? ncpu : 1], sum = 0;

	if (ncpu <= 0 || bpf_map_lookup_elem(fd, &key, v) != 0)
		return 0;
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

/* 198.18.0.1 -> 198.19.0.0 (the generator adds 0..1023), UDP to 9. */
static void
build(unsigned char *frame, struct gen_hdr *h, const unsigned char *src,
		const unsigned char *dst)
{
	struct udphdr *udp = (void *)(frame + sizeof(*h));

	memset(frame, 0, FRAME_LEN);
	memset(h, 0, sizeof(*h));
	memcpy(h->eth.h_dest, dst, ETH_ALEN);
	memcpy(h->eth.h_source, src, ETH_ALEN);
	h->eth.h_proto = htons(ETH_P_IP);
	h->ip.version = 4;
	h->ip.ihl = 5;
	h->ip.tot_len = htons(FRAME_LEN - sizeof(struct ethhdr));
	h->ip.ttl = 64;
	h->ip.protocol = IPPROTO_UDP;
	h->ip.saddr = htonl(0xc6120001);
	h->ip.daddr = htonl(0xc6130000);
	h->ip.check = kbench_ip_csum(&h->ip, sizeof(h->ip));
	memcpy(frame, h, sizeof(*h));
	udp->source = htons(1000);
	udp->dest = htons(9);
	udp->len = htons(FRAME_LEN - sizeof(*h));
}

static int
parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "gen-ns", required_argument, NULL, 'G' },
		{ "router-ns", required_argument, NULL, 'R' },
		{ "sink-ns", required_argument, NULL, 'S' },
		{ "gen-if", required_argument, NULL, 'g' },
		{ "in-if", required_argument, NULL, 'i' },
		{ "out-if", required_argument, NULL, 'o' },
		{ "sink-if", required_argument, NULL, 'k' },
		{ "fwd-obj", required_argument, NULL, 'f' },
		{ "seconds", required_argument, NULL, 's' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "probe", no_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "v", lo, NULL)) != -1) {
		switch (o) {
		case 'G': cfg.ns[NS_GEN] = optarg; break;
		case 'R': cfg.ns[NS_ROUTER] = optarg; break;
		case 'S': cfg.ns[NS_SINK] = optarg; break;
		case 'g': cfg.gen_if = optarg; break;
		case 'i': cfg.in_if = optarg; break;
		case 'o': cfg.out_if = optarg; break;
		case 'k': cfg.sink_if = optarg; break;
		case 'f': cfg.fwd_obj = optarg; break;
		case 's': cfg.seconds = atof(optarg); break;
		case 'c': cfg.cpu = atoi(optarg); break;
		case 'p': cfg.probe = true; break;
		case 'v': cfg.verbose = true; break;
		default: return -1;
		}
	}
	if (optind != argc || !cfg.ns[0] || !cfg.ns[1] || !cfg.ns[2] ||
	    !cfg.gen_if || !cfg.in_if || !cfg.out_if || !cfg.sink_if ||
	    !cfg.fwd_obj || !(cfg.seconds > 0)) {
		fprintf(stderr, "usage: kernel_xdp_fwd_bench --gen-ns PATH --gen-if IF --router-ns PATH --in-if IF --out-if IF --sink-ns PATH --sink-if IF --fwd-obj FILE [--seconds S] [--cpu N] [--probe] [-v]\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct bpf_object *fwd = NULL, *sink = NULL, *gen = NULL;
	unsigned char frame[FRAME_LEN], gen_mac[ETH_ALEN], in_mac[ETH_ALEN];
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int gen_fd, cnt_fd, stats_fd, dev_fd, in_idx, out_idx, gen_idx;
	uint64_t c0, c1, f0, f1, sent = 0;
	struct gen_hdr hdr;
	struct xdp_md md;
	struct sigaction sa;
	cpu_set_t cpus;
	double t0, t1 = 0;
	uint32_t key = 0;
	int i, err, ret = 1;
	ssize_t n;

	if (parse(argc, argv) != 0)
		return 1;
	libbpf_set_print(libbpf_log);
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		return 1;
	dir[n] = '\0';
	*strrchr(dir, '/') = '\0';
	for (i = 0; i < NB_NS; i++) {
		ns_fd[i] = open(cfg.ns[i], O_RDONLY | O_CLOEXEC);
		if (ns_fd[i] < 0) {
			fprintf(stderr, "kernel_xdp_fwd_bench: %s: %s\n",
				cfg.ns[i], strerror(errno));
			return 1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* Router: xdp_fwd on both veths, the devmap filled with them. */
	if (enter(NS_ROUTER) != 0)
		goto out;
	fwd = load(cfg.fwd_obj, &err);
	if (fwd == NULL) {
		if (err == EPERM || err == EACCES) {
			printf("SKIP: bpf() not permitted (%s)\n", strerror(err));
			ret = EXIT_SKIP;
		}
		goto out;
	}
	dev_fd = find_fd(fwd, NULL, "xdp_tx_ports");
	stats_fd = find_fd(fwd, NULL, "fwd_stats");
	in_idx = attach(NS_ROUTER, cfg.in_if, find_fd(fwd, "xdp_fwd", NULL));
	out_idx = attach(NS_ROUTER, cfg.out_if, find_fd(fwd, "xdp_fwd", NULL));
	if (in_idx < 0 || out_idx < 0 || dev_fd < 0 || stats_fd < 0 ||
	    bpf_map_update_elem(dev_fd, &in_idx, &in_idx, 0) != 0 ||
	    bpf_map_update_elem(dev_fd, &out_idx, &out_idx, 0) != 0 ||
	    kbench_get_mac(cfg.in_if, in_mac) != 0) {
		fprintf(stderr, "kernel_xdp_fwd_bench: router set-up failed\n");
		goto out;
	}

	/* Sink: count and drop. */
	if (enter(NS_SINK) != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/xdp_drop_count.bpf.o", dir);
	sink = load(path, &err);
	if (sink == NULL || attach(NS_SINK, cfg.sink_if,
			find_fd(sink, "xdp_drop_count", NULL)) < 0)
		goto out;
	cnt_fd = find_fd(sink, NULL, "xdp_drop_cnt");

	/* Generator: headers towards IN's MAC. */
	if (enter(NS_GEN) != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/xdp_fwd_gen.bpf.o", dir);
	gen = load(path, &err);
	gen_idx = if_nametoindex(cfg.gen_if);
	if (gen == NULL || gen_idx == 0 || kbench_get_mac(cfg.gen_if, gen_mac) != 0)
		goto out;
	build(frame, &hdr, gen_mac, in_mac);
	gen_fd = find_fd(gen, "xdp_fwd_gen", NULL);
	if (gen_fd < 0 || bpf_map_update_elem(find_fd(gen, NULL, "gen_hdr"),
			&key, &hdr, 0) != 0)
		goto out;

	/* One CPU: the test run and every NAPI poll it schedules. */
	CPU_ZERO(&cpus);
	CPU_SET(cfg.cpu, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus) != 0) {
		perror("kernel_xdp_fwd_bench: sched_setaffinity");
		goto out;
	}
	memset(&md, 0, sizeof(md));
	md.data_end = FRAME_LEN;
	md.ingress_ifindex = gen_idx;
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame, .data_size_in = FRAME_LEN,
		.ctx_in = &md, .ctx_size_in = sizeof(md),
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = 64,
	);

	/* Probe and warm-up: frames must cross the router. */
	c0 = percpu_sum(cnt_fd, 0);
	opts.repeat = cfg.probe ? 256 : 65536;
	err = bpf_prog_test_run_opts(gen_fd, &opts);
	if (err != 0) {
		err = -err;
		if (kbench_live_frames_unsupported(err)) {
			printf("SKIP: BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES unsupported (%s)\n",
				strerror(err));
			ret = EXIT_SKIP;
		} else {
			fprintf(stderr, "kernel_xdp_fwd_bench: test run: %s\n",
				strerror(err));
		}
		goto out;
	}
	usleep(10000);
	c1 = percpu_sum(cnt_fd, 0);
	if (c1 == c0) {
		fprintf(stderr, "kernel_xdp_fwd_bench: %d frames sent, none forwarded to the sink (xdp_fwd forwarded %llu; routes, neighbour, forwarding sysctl?)\n",
			opts.repeat,
			(unsigned long long)percpu_sum(stats_fd, 0));
		goto out;
	}
	if (cfg.probe) {
		printf("probe ok: %llu of %d frames forwarded\n",
			(unsigned long long)(c1 - c0), opts.repeat);
		ret = 0;
		goto out;
	}

	c0 = c1;
	f0 = percpu_sum(stats_fd, 0);
	opts.repeat = 1 << 18;
	t0 = kbench_now();
	do {
		err = bpf_prog_test_run_opts(gen_fd, &opts);
		if (err != 0)
			break;
		sent += opts.repeat;
		t1 = kbench_now();
	} while (!stop && t1 - t0 < cfg.seconds);
	if (stop) {
		ret = EXIT_SIG;
		goto out;
	}
	if (err != 0) {
		fprintf(stderr, "kernel_xdp_fwd_bench: test run: %s\n",
			strerror(-err));
		goto out;
	}
	usleep(10000);
	c1 = percpu_sum(cnt_fd, 0);
	f1 = percpu_sum(stats_fd, 0);
	printf("mode=fwd frames=%llu seconds=%.3f mpps=%.4f forwarded=%llu sent=%llu\n",
		(unsigned long long)(c1 - c0), t1 - t0,
		(c1 - c0) / (t1 - t0) / 1e6, (unsigned long long)(f1 - f0),
		(unsigned long long)sent);
	ret = 0;
out:
	detach_all();
	bpf_object__close(gen);
	bpf_object__close(sink);
	bpf_object__close(fwd);
	for (i = 0; i < NB_NS; i++)
		if (ns_fd[i] >= 0)
			close(ns_fd[i]);
	return ret;
}
