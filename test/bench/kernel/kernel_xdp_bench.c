/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kernel_xdp_bench - the seed's comparison on the running kernel: native
 * XDP_DROP on a veth against dropping the same traffic in tc (cls_bpf,
 * direct action, TC_ACT_SHOT), with traffic generated in the kernel.
 *
 *   kernel_xdp_bench --gen-if vethA --sink-if vethB --mode xdp|tc
 *                    [--seconds S] [--frame-size 64] [--netns PATH]
 *                    [--cpu N] [--repeat N] [--batch-size N]
 *                    [--obj-dir DIR] [--probe] [--no-xdp-pass] [-v]
 *
 * Both veth ends must be in the namespace the program runs in, or in the
 * one --netns names (a path such as /run/netns/NAME; we setns() into it
 * before touching anything).
 *
 * Generator.  This kernel has no pktgen, so xdp_live_gen.bpf.o (an XDP
 * program returning XDP_TX) is run with BPF_PROG_TEST_RUN and
 * BPF_F_TEST_XDP_LIVE_FRAMES, data_in = one Ethernet/IPv4/UDP frame and
 * ctx (struct xdp_md) .ingress_ifindex = the sender veth.  In live-frames
 * mode the kernel copies data_in into page_pool pages, runs the program on
 * each in batches of batch_size (default 64, max 256), and turns XDP_TX
 * into a redirect to the ingress device; for a veth that is
 * ndo_xdp_xmit, which puts the frame on the peer's receive ring and
 * schedules the peer's NAPI.  repeat = frames per syscall; data_out and
 * ctx_out must be absent.  The NAPI poll runs in softirq on the same CPU
 * when the batch re-enables bottom halves, so the whole path (generate,
 * xmit, receive, sink program) runs on the one CPU we pin to.
 *
 * Sink.  mode=xdp: xdp_drop_count (count, XDP_DROP) in native/driver mode
 * (XDP_FLAGS_DRV_MODE) on the sink veth.  mode=tc: tc_drop_count (count,
 * TC_ACT_SHOT) as a direct-action cls_bpf filter on the sink's clsact
 * ingress hook, plus xdp_sink_pass (XDP_PASS) in driver mode on the sink.
 *
 * Verified on 6.18 (see devtools/bench-kernel-xdp.sh): veth's
 * ndo_xdp_xmit only accepts frames when the *receiving* veth has its NAPI
 * rings, i.e. an XDP program attached (or GRO enabled); with neither, the
 * test run succeeds but every frame is dropped at xmit and the sink counts
 * 0 (try --mode tc --no-xdp-pass).  The sender veth needs no program: the
 * generator uses the device's generic rx queue info.  So mode=tc carries
 * an XDP_PASS program on the sink, which keeps the receive path identical
 * up to the XDP verdict (veth NAPI, then an skb and the stack's
 * ingress/tc for PASS).  Frames are counted at the sink, not at the
 * sender: a full veth ring drops frames before the sink sees them.
 *
 * Output, one line on stdout:
 *   mode=xdp frames=N seconds=S mpps=X
 * Exit status: 0 ok, 1 error, 77 (with "SKIP: reason" on stdout) when
 * bpf() is not permitted or live-frames test runs are unsupported,
 * 130 on SIGINT/SIGTERM.  Everything attached is detached on every exit.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* CPU_SET, setns */
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

#define EXIT_SKIP KBENCH_EXIT_SKIP
#define EXIT_SIG KBENCH_EXIT_SIG
#define FCS_LEN 4

enum mode { MODE_XDP, MODE_TC };

struct cfg {
	const char *gen_if;
	const char *sink_if;
	const char *netns;
	const char *obj_dir;
	enum mode mode;
	double seconds;
	unsigned int frame_size;	/* on the wire, FCS included */
	int cpu;
	int repeat;
	unsigned int batch_size;
	bool probe;
	bool xdp_pass;
	bool verbose;
};

struct state {
	int gen_ifindex;
	int sink_ifindex;
	struct bpf_object *gen_obj;
	struct bpf_object *xdp_obj;
	struct bpf_object *tc_obj;
	int gen_fd;
	int cnt_fd;		/* the counting sink's map */
	bool xdp_attached;
	bool tc_hook_created;
	bool tc_attached;
	struct bpf_tc_hook hook;
	struct bpf_tc_opts tc_opts;
};

static volatile sig_atomic_t stop;
static bool verbose;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	if (level == LIBBPF_DEBUG || (level == LIBBPF_INFO && !verbose))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kernel_xdp_bench --gen-if IF --sink-if IF --mode xdp|tc\n"
		"       [--seconds S (3)] [--frame-size BYTES (64, FCS included)]\n"
		"       [--netns PATH] [--cpu N (0)] [--repeat N (262144)]\n"
		"       [--batch-size N (64)] [--obj-dir DIR (the program's)]\n"
		"       [--probe] [--no-xdp-pass] [-v]\n");
}

/* Errors that mean "this machine cannot run the benchmark". */
static bool is_perm(int err)
{
	return err == EPERM || err == EACCES;
}

/* An Ethernet/IPv4/UDP frame of len bytes (FCS excluded), 127.0.0.1 ->
 * 127.0.0.2 (it never leaves the namespace), port 9 (discard), UDP
 * checksum 0 (none, legal for IPv4). */
static void build_frame(unsigned char *buf, size_t len,
			const unsigned char src[ETH_ALEN],
			const unsigned char dst[ETH_ALEN])
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	size_t l3 = len - sizeof(*eth);

	memset(buf, 0, len);
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, src, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(l3);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = htonl(0x7f000001);
	ip->daddr = htonl(0x7f000002);
	ip->check = kbench_ip_csum(ip, sizeof(*ip));
	udp->source = htons(9);
	udp->dest = htons(9);
	udp->len = htons(l3 - sizeof(*ip));
}

static struct bpf_object *load_obj(const struct cfg *c, const char *name,
				   int *err)
{
	char path[PATH_MAX];
	struct bpf_object *obj;

	snprintf(path, sizeof(path), "%s/%s", c->obj_dir, name);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		*err = errno;
		fprintf(stderr, "kernel_xdp_bench: open %s: %s\n", path,
			strerror(*err));
		return NULL;
	}
	*err = bpf_object__load(obj);
	if (*err) {
		*err = -*err;
		fprintf(stderr, "kernel_xdp_bench: load %s: %s\n", path,
			strerror(*err));
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static int prog_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	if (!p) {
		fprintf(stderr, "kernel_xdp_bench: no program %s\n", name);
		return -1;
	}
	return bpf_program__fd(p);
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (!m) {
		fprintf(stderr, "kernel_xdp_bench: no map %s\n", name);
		return -1;
	}
	return bpf_map__fd(m);
}

static int read_count(int fd, uint64_t *out)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *v, sum = 0;
	uint32_t key = 0;
	int i, ret;

	if (ncpu <= 0)
		return -1;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -1;
	ret = bpf_map_lookup_elem(fd, &key, v);
	if (!ret) {
		for (i = 0; i < ncpu; i++)
			sum += v[i];
		*out = sum;
	}
	free(v);
	return ret;
}

static void detach_all(struct state *s)
{
	if (s->tc_attached) {
		s->tc_opts.flags = 0;
		s->tc_opts.prog_fd = 0;
		s->tc_opts.prog_id = 0;
		if (bpf_tc_detach(&s->hook, &s->tc_opts))
			fprintf(stderr, "kernel_xdp_bench: tc detach failed\n");
		s->tc_attached = false;
	}
	if (s->tc_hook_created) {
		/* Destroying an ingress hook removes the clsact qdisc. */
		s->hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&s->hook);
		s->tc_hook_created = false;
	}
	if (s->xdp_attached) {
		if (bpf_xdp_detach(s->sink_ifindex, XDP_FLAGS_DRV_MODE, NULL))
			fprintf(stderr, "kernel_xdp_bench: xdp detach failed\n");
		s->xdp_attached = false;
	}
	bpf_object__close(s->tc_obj);
	bpf_object__close(s->xdp_obj);
	bpf_object__close(s->gen_obj);
	s->tc_obj = s->xdp_obj = s->gen_obj = NULL;
}

/* Returns 0, or an exit status. */
static int setup(const struct cfg *c, struct state *s)
{
	const char *xdp_name;
	int err, fd;

	s->gen_obj = load_obj(c, "xdp_live_gen.bpf.o", &err);
	if (!s->gen_obj) {
		if (is_perm(err)) {
			printf("SKIP: bpf() not permitted (%s)\n", strerror(err));
			return EXIT_SKIP;
		}
		return 1;
	}
	s->gen_fd = prog_fd(s->gen_obj, "xdp_live_gen");
	s->xdp_obj = load_obj(c, "xdp_drop_count.bpf.o", &err);
	if (s->gen_fd < 0 || !s->xdp_obj)
		return 1;

	xdp_name = NULL;
	if (c->mode == MODE_XDP) {
		xdp_name = "xdp_drop_count";
		s->cnt_fd = map_fd(s->xdp_obj, "xdp_drop_cnt");
	} else if (c->xdp_pass) {
		xdp_name = "xdp_sink_pass";
	}
	if (xdp_name) {
		fd = prog_fd(s->xdp_obj, xdp_name);
		if (fd < 0)
			return 1;
		err = bpf_xdp_attach(s->sink_ifindex, fd,
				     XDP_FLAGS_DRV_MODE |
				     XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
		if (err) {
			fprintf(stderr, "kernel_xdp_bench: native XDP attach on "
				"%s: %s\n", c->sink_if, strerror(-err));
			return 1;
		}
		s->xdp_attached = true;
	}

	if (c->mode == MODE_TC) {
		s->tc_obj = load_obj(c, "tc_drop_count.bpf.o", &err);
		if (!s->tc_obj)
			return 1;
		fd = prog_fd(s->tc_obj, "tc_drop_count");
		s->cnt_fd = map_fd(s->tc_obj, "tc_drop_cnt");
		if (fd < 0)
			return 1;
		s->hook.sz = sizeof(s->hook);
		s->hook.ifindex = s->sink_ifindex;
		s->hook.attach_point = BPF_TC_INGRESS;
		err = bpf_tc_hook_create(&s->hook);
		if (err && err != -EEXIST) {
			fprintf(stderr, "kernel_xdp_bench: clsact on %s: %s\n",
				c->sink_if, strerror(-err));
			return 1;
		}
		s->tc_hook_created = !err;
		s->tc_opts.sz = sizeof(s->tc_opts);
		s->tc_opts.handle = 1;
		s->tc_opts.priority = 1;
		s->tc_opts.prog_fd = fd;
		s->tc_opts.flags = 0;	/* fail if handle/prio is taken */
		/* libbpf always attaches cls_bpf in direct-action mode. */
		err = bpf_tc_attach(&s->hook, &s->tc_opts);
		if (err) {
			fprintf(stderr, "kernel_xdp_bench: tc attach on %s: %s\n",
				c->sink_if, strerror(-err));
			return 1;
		}
		s->tc_attached = true;
	}
	return s->cnt_fd < 0 ? 1 : 0;
}

static int parse_uint(const char *arg, const char *what, long lo, long hi,
		      long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno || *end || v < lo || v > hi) {
		fprintf(stderr, "kernel_xdp_bench: bad %s '%s' (%ld..%ld)\n",
			what, arg, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct cfg *c)
{
	static const struct option opts[] = {
		{ "gen-if", required_argument, NULL, 'g' },
		{ "sink-if", required_argument, NULL, 'k' },
		{ "mode", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "frame-size", required_argument, NULL, 'f' },
		{ "netns", required_argument, NULL, 'n' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "batch-size", required_argument, NULL, 'b' },
		{ "obj-dir", required_argument, NULL, 'o' },
		{ "probe", no_argument, NULL, 'p' },
		{ "no-xdp-pass", no_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char *end;
	long v;
	int o;

	while ((o = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (o) {
		case 'g': c->gen_if = optarg; break;
		case 'k': c->sink_if = optarg; break;
		case 'n': c->netns = optarg; break;
		case 'o': c->obj_dir = optarg; break;
		case 'p': c->probe = true; break;
		case 'P': c->xdp_pass = false; break;
		case 'v': c->verbose = true; break;
		case 'm':
			if (!strcmp(optarg, "xdp"))
				c->mode = MODE_XDP;
			else if (!strcmp(optarg, "tc"))
				c->mode = MODE_TC;
			else {
				fprintf(stderr, "kernel_xdp_bench: mode is xdp or tc\n");
				return -1;
			}
			break;
		case 's':
			errno = 0;
			c->seconds = strtod(optarg, &end);
			if (errno || *end || !(c->seconds > 0 && c->seconds <= 3600)) {
				fprintf(stderr, "kernel_xdp_bench: bad --seconds\n");
				return -1;
			}
			break;
		case 'f':
			/* 1518 = MTU 1500 + header + FCS: veth refuses
			 * XDP frames longer than its peer's MTU. */
			if (parse_uint(optarg, "--frame-size", 64, 1518, &v))
				return -1;
			c->frame_size = v;
			break;
		case 'c':
			if (parse_uint(optarg, "--cpu", 0, CPU_SETSIZE - 1, &v))
				return -1;
			c->cpu = v;
			break;
		case 'r':
			if (parse_uint(optarg, "--repeat", 1, INT_MAX, &v))
				return -1;
			c->repeat = v;
			break;
		case 'b':
			if (parse_uint(optarg, "--batch-size", 1, 256, &v))
				return -1;
			c->batch_size = v;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc || !c->gen_if || !c->sink_if) {
		usage(stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char exe_dir[PATH_MAX];
	struct cfg c = {
		.mode = MODE_XDP,
		.seconds = 3,
		.frame_size = 64,
		.cpu = 0,
		.repeat = 1 << 18,
		.batch_size = 64,
		.xdp_pass = true,
	};
	struct state s = { .gen_fd = -1, .cnt_fd = -1 };
	unsigned char frame[1518], gen_mac[ETH_ALEN], sink_mac[ETH_ALEN];
	struct xdp_md md;
	struct sigaction sa;
	uint64_t before, after, sent = 0;
	double t0, t1 = 0;
	cpu_set_t cpus;
	int ret = 1, err;

	if (parse_args(argc, argv, &c))
		return 1;
	verbose = c.verbose;
	libbpf_set_print(libbpf_log);

	if (!c.obj_dir) {
		ssize_t n = readlink("/proc/self/exe", exe_dir,
				     sizeof(exe_dir) - 1);
		char *slash;

		if (n <= 0) {
			perror("kernel_xdp_bench: /proc/self/exe");
			return 1;
		}
		exe_dir[n] = '\0';
		slash = strrchr(exe_dir, '/');
		if (slash)
			*slash = '\0';
		c.obj_dir = exe_dir;
	}

	if (c.netns) {
		int fd = open(c.netns, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || setns(fd, CLONE_NEWNET)) {
			fprintf(stderr, "kernel_xdp_bench: netns %s: %s\n",
				c.netns, strerror(errno));
			return is_perm(errno) ? (printf("SKIP: cannot enter "
				"netns (%s)\n", strerror(errno)), EXIT_SKIP) : 1;
		}
		close(fd);
	}

	s.gen_ifindex = if_nametoindex(c.gen_if);
	s.sink_ifindex = if_nametoindex(c.sink_if);
	if (!s.gen_ifindex || !s.sink_ifindex) {
		fprintf(stderr, "kernel_xdp_bench: no interface %s\n",
			s.gen_ifindex ? c.sink_if : c.gen_if);
		return 1;
	}
	if (kbench_get_mac(c.gen_if, gen_mac) ||
	    kbench_get_mac(c.sink_if, sink_mac)) {
		perror("kernel_xdp_bench: SIOCGIFHWADDR");
		return 1;
	}
	build_frame(frame, c.frame_size - FCS_LEN, gen_mac, sink_mac);

	/* One CPU: the test run does not migrate, and the sink's NAPI
	 * runs in softirq on the CPU that scheduled it. */
	CPU_ZERO(&cpus);
	CPU_SET(c.cpu, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus)) {
		perror("kernel_xdp_bench: sched_setaffinity");
		return 1;
	}

	/* No SA_RESTART: a signal ends the current test run with EINTR
	 * (the kernel checks signal_pending between batches). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	ret = setup(&c, &s);
	if (ret)
		goto out;

	memset(&md, 0, sizeof(md));
	md.data_end = c.frame_size - FCS_LEN;
	md.ingress_ifindex = s.gen_ifindex;
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = c.frame_size - FCS_LEN,
		.ctx_in = &md,
		.ctx_size_in = sizeof(md),
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		.batch_size = c.batch_size,
	);

	/* Probe and warm-up: a short run whose frames must reach the sink. */
	ret = 1;
	if (read_count(s.cnt_fd, &before))
		goto map_err;
	opts.repeat = c.probe ? 256 : 65536;
	err = bpf_prog_test_run_opts(s.gen_fd, &opts);
	if (err) {
		err = -err;
		if (err == EINTR && stop) {
			ret = EXIT_SIG;
		} else if (kbench_live_frames_unsupported(err)) {
			printf("SKIP: BPF_PROG_TEST_RUN with "
			       "BPF_F_TEST_XDP_LIVE_FRAMES unsupported (%s)\n",
			       strerror(err));
			ret = EXIT_SKIP;
		} else {
			fprintf(stderr, "kernel_xdp_bench: test run: %s\n",
				strerror(err));
		}
		goto out;
	}
	usleep(10000);
	if (read_count(s.cnt_fd, &after))
		goto map_err;
	if (after == before) {
		fprintf(stderr, "kernel_xdp_bench: %d frames sent out of %s, "
			"none reached the sink on %s\n", opts.repeat,
			c.gen_if, c.sink_if);
		goto out;
	}
	if (c.probe) {
		printf("probe ok: mode=%s frames=%llu of %d\n",
		       c.mode == MODE_XDP ? "xdp" : "tc",
		       (unsigned long long)(after - before), opts.repeat);
		ret = 0;
		goto out;
	}

	before = after;
	opts.repeat = c.repeat;
	t0 = kbench_now();
	do {
		err = bpf_prog_test_run_opts(s.gen_fd, &opts);
		if (err) {
			if (err == -EINTR && stop)
				break;
			fprintf(stderr, "kernel_xdp_bench: test run: %s\n",
				strerror(-err));
			goto out;
		}
		sent += c.repeat;
		t1 = kbench_now();
	} while (!stop && t1 - t0 < c.seconds);
	if (stop) {
		ret = EXIT_SIG;
		goto out;
	}
	/* Let a last scheduled NAPI poll finish before reading. */
	usleep(10000);
	if (read_count(s.cnt_fd, &after))
		goto map_err;

	printf("mode=%s frames=%llu seconds=%.3f mpps=%.3f\n",
	       c.mode == MODE_XDP ? "xdp" : "tc",
	       (unsigned long long)(after - before), t1 - t0,
	       (after - before) / (t1 - t0) / 1e6);
	if (c.verbose)
		fprintf(stderr, "kernel_xdp_bench: sent=%llu (%.3f Mpps), "
			"last run %u ns/frame\n", (unsigned long long)sent,
			sent / (t1 - t0) / 1e6, opts.duration);
	ret = 0;
	goto out;

map_err:
	fprintf(stderr, "kernel_xdp_bench: reading the counter: %s\n",
		strerror(errno));
out:
	detach_all(&s);
	return ret;
}
