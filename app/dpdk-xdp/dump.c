/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dump: xdp-tools' xdpdump for a port of the running primary. Frames are
 * captured by the primary at the entry and/or exit of the port's XDP
 * program (rte_xdp_ctl_capture_start()) and read here from the ring it
 * shares: written to pcapng with DPDK's rte_pcapng (-w FILE, -w - for
 * stdout), else one line each (with -x their bytes), as xdpdump prints
 * them. Each frame's pcapng comment says what xdpdump's does (id, queue,
 * action), with the program and the capture point, and for REDIRECT the
 * target. The capture ends after -c COUNT frames, on SIGINT/SIGTERM, or
 * when the primary goes; a tool killed outright has its capture ended
 * by the primary (the control session's liveness).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_pcapng.h>

#include <ethdev_driver.h>	/* a view of the primary's port */

#include "main.h"

#define DEFAULT_SNAPLEN		262144	/* xdpdump's */
#define CAPTURE_FRAMES		2048
#define READ_BURST		32
#define IDLE_US			1000
#define STATS_EVERY_NS		500000000ull

static volatile sig_atomic_t stop_dump;

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	stop_dump = 1;
}

struct dump {
	struct rte_xdp_ctl_port port;
	uint32_t points;
	uint32_t snaplen;
	uint64_t count;		/* 0: no end */
	bool hex;
	const char *file;
	rte_pcapng_t *pcapng;
	/* pcapng blocks: from the capture's pool, that the primary frees
	 * however this process ends */
	struct rte_mempool *mp;
	uint64_t written;
	uint64_t tsc_hz;
	int64_t epoch_ns;	/* realtime - TSC time */
	struct rte_xdp_ctl_prog *progs;
	int nb_progs;
};

static const char *
action_name(uint32_t verdict)
{
	switch (verdict) {
	case RTE_XDP_ABORTED: return "XDP_ABORTED";
	case RTE_XDP_DROP: return "XDP_DROP";
	case RTE_XDP_PASS: return "XDP_PASS";
	case RTE_XDP_TX: return "XDP_TX";
	case RTE_XDP_REDIRECT: return "XDP_REDIRECT";
	default: return "*unknown*";
	}
}

/* The name of a program of the primary (listed again when it is new). */
static const char *
prog_name(struct dump *d, uint32_t id)
{
	int i, again;

	for (again = 0; again < 2; again++) {
		for (i = 0; i < d->nb_progs; i++)
			if (d->progs[i].info.id == id)
				return d->progs[i].name;
		if (again == 0) {
			free(d->progs);
			d->nb_progs = prog_list(&d->progs);
			if (d->nb_progs < 0)
				d->nb_progs = 0;
		}
	}
	return "<unknown>";
}

/* What xdpdump puts in the comment, with our program, point and target. */
static void
frame_comment(struct dump *d, const struct rte_xdp_ctl_capture_meta *md,
	char *buf, size_t size)
{
	int n;

	n = snprintf(buf, size, "%s()@%s: id: %" PRIu64 ", queue: %u",
		prog_name(d, md->prog_id),
		md->point == RTE_XDP_CTL_CAPTURE_ENTRY ? "entry" : "exit",
		md->id, md->queue);
	if (md->point != RTE_XDP_CTL_CAPTURE_EXIT || n < 0 ||
	    (size_t)n >= size)
		return;
	n += snprintf(buf + n, size - n, ", action: %u[%s]", md->verdict,
		action_name(md->verdict));
	if (md->verdict != RTE_XDP_REDIRECT || (size_t)n >= size)
		return;
	if (md->redirect_map_id != 0)
		snprintf(buf + n, size - n, ", target: map %u key %u",
			md->redirect_map_id, md->redirect_ifindex);
	else
		snprintf(buf + n, size - n, ", target: ifindex %u",
			md->redirect_ifindex);
}

static uint64_t
tsc_to_ns(const struct dump *d, uint64_t tsc)
{
	return (uint64_t)((double)tsc * 1e9 / d->tsc_hz) + d->epoch_ns;
}

/*
 * DPDK 22.11's rte_pcapng_copy() has no comment and takes the original
 * length from the copy (which may be snapped): both go into its
 * Enhanced Packet Block here, the comment as an option before the
 * block's trailing length (DPDK 23.11's rte_pcapng_copy() takes both).
 */
struct epb_head {
	uint32_t block_type;
	uint32_t block_length;
	uint32_t interface_id;
	uint32_t timestamp_hi;
	uint32_t timestamp_lo;
	uint32_t capture_length;
	uint32_t original_length;
};

#define OPT_COMMENT	1

static int
epb_annotate(struct rte_mbuf *mc, uint32_t orig_len, const char *comment)
{
	struct epb_head *epb = rte_pktmbuf_mtod(mc, struct epb_head *);
	uint16_t len = strlen(comment);
	uint32_t room = 4 + RTE_ALIGN(len, 4);
	uint8_t *opt;

	if (rte_pktmbuf_trim(mc, sizeof(uint32_t)) != 0)
		return -1;
	opt = (uint8_t *)rte_pktmbuf_append(mc, room + sizeof(uint32_t));
	if (opt == NULL)
		return -1;
	memset(opt, 0, room);
	memcpy(opt, &(uint16_t){ OPT_COMMENT }, 2);
	memcpy(opt + 2, &len, 2);
	memcpy(opt + 4, comment, len);
	epb->original_length = orig_len;
	epb->block_length = rte_pktmbuf_pkt_len(mc);
	memcpy(opt + room, &epb->block_length, sizeof(uint32_t));
	return 0;
}

/* xdpdump's hex dump: offset, 16 bytes a line, their characters. */
static void
hex_dump(const struct rte_mbuf *m)
{
	uint8_t buf[16];
	const uint8_t *line;
	uint32_t off, len = rte_pktmbuf_pkt_len(m), k, i;

	for (off = 0; off < len; off += k) {
		k = RTE_MIN(len - off, 16u);
		line = rte_pktmbuf_read(m, off, k, buf);
		printf("  0x%04x:  ", off);
		for (i = 0; i < 16; i++)
			printf(i < k ? "%02x " : "   ", i < k ? line[i] : 0);
		printf(" ");
		for (i = 0; i < k; i++)
			putchar(line[i] >= 32 && line[i] < 127 ? line[i] : '.');
		printf("\n");
	}
}

static void
print_frame(struct dump *d, const struct rte_mbuf *m,
	const struct rte_xdp_ctl_capture_meta *md)
{
	uint64_t ns = tsc_to_ns(d, md->tsc);
	char verdict[32] = "";

	if (md->point == RTE_XDP_CTL_CAPTURE_EXIT)
		snprintf(verdict, sizeof(verdict), "[%s]",
			action_name(md->verdict));
	printf("%" PRIu64 ".%09" PRIu64 ": %s()@%s%s: packet size %u bytes, captured %u bytes on port %u (%s), rx queue %u, id %" PRIu64 "\n",
		ns / 1000000000, ns % 1000000000, prog_name(d, md->prog_id),
		md->point == RTE_XDP_CTL_CAPTURE_ENTRY ? "entry" : "exit",
		verdict, md->orig_len, rte_pktmbuf_pkt_len(m), md->port_id,
		d->port.name, md->queue, md->id);
	if (d->hex)
		hex_dump(m);
}

/* One frame to the file (pcapng) or the terminal; -1 when the file fails. */
static int
write_frame(struct dump *d, struct rte_mbuf *m)
{
	const struct rte_xdp_ctl_capture_meta *md = rte_xdp_ctl_capture_meta(m);
	char comment[256];
	struct rte_mbuf *mc;
	uint32_t len = RTE_MIN(rte_pktmbuf_pkt_len(m), d->snaplen);

	if (d->pcapng == NULL) {
		print_frame(d, m, md);
		return 0;
	}
	frame_comment(d, md, comment, sizeof(comment));
	mc = rte_pcapng_copy(md->port_id, md->queue, m, d->mp, len, md->tsc,
		RTE_PCAPNG_DIRECTION_IN);
	if (mc == NULL || epb_annotate(mc, md->orig_len, comment) != 0) {
		rte_pktmbuf_free(mc);
		return fail("no room for a pcapng block of %u bytes", len);
	}
	if (rte_pcapng_write_packets(d->pcapng, &mc, 1) < 0) {
		rte_pktmbuf_free(mc);
		return fail("cannot write %s: %s", d->file,
			strerror(rte_errno));
	}
	rte_pktmbuf_free(mc);
	return 0;
}

/* --list-interfaces, as xdpdump's: each port and its program. */
static int
list_interfaces(void)
{
	struct rte_xdp_ctl_port *ports;
	int n = port_list(&ports), i;

	if (n < 0)
		return -1;
	printf("%-8s  %-24s  %s\n", "port", "name", "XDP program entry function");
	printf("--------  ------------------------  --------------------------\n");
	for (i = 0; i < n; i++) {
		uint32_t id = ports[i].drv_prog_id != 0 ?
			ports[i].drv_prog_id : ports[i].generic_prog_id;
		struct rte_xdp_ctl_prog p;
		char idstr[16];

		snprintf(idstr, sizeof(idstr), "%u", id);
		printf("%-8u  %-24s  ", ports[i].port_id, ports[i].name);
		if (id == 0)
			printf("<No XDP program loaded!>\n");
		else if (find_prog("id", idstr, &p) == 0)
			printf("%s() (id %u, %s)\n", p.name, id,
				ports[i].drv_prog_id != 0 ? "native" :
				"generic");
		else
			printf("id %u\n", id);
	}
	free(ports);
	return 0;
}

static int
parse_points(const char *arg, uint32_t *points)
{
	if (strcmp(arg, "entry") == 0)
		*points = RTE_XDP_CTL_CAPTURE_ENTRY;
	else if (strcmp(arg, "exit") == 0)
		*points = RTE_XDP_CTL_CAPTURE_EXIT;
	else if (strcmp(arg, "entry,exit") == 0 ||
		 strcmp(arg, "exit,entry") == 0)
		*points = RTE_XDP_CTL_CAPTURE_ENTRY | RTE_XDP_CTL_CAPTURE_EXIT;
	else
		return fail("--rx-capture: entry, exit or entry,exit, not '%s'",
			arg);
	return 0;
}

static int
parse_u64(const char *opt, const char *arg, uint64_t min, uint64_t max,
	uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(arg, &end, 0);
	if (errno != 0 || *end != '\0' || end == arg || *v < min || *v > max)
		return fail("%s: a number from %" PRIu64 " to %" PRIu64
			", not '%s'", opt, min, max, arg);
	return 0;
}

static int
dump_usage(void)
{
	return print_usage(
		"Usage: %s [-P PREFIX] dump -i PORT [--rx-capture {entry|exit|entry,exit}]\n"
		"              [-w FILE] [-s SNAPLEN] [-c COUNT] [-x]\n"
		"       %s [-P PREFIX] dump --list-interfaces\n"
		"       PORT is a port of the primary, by name or id; -w - writes\n"
		"       pcapng to stdout\n",
		bin_name, bin_name);
}

static int
parse_dump(int argc, char **argv, struct dump *d, bool *list)
{
	enum { OPT_RX_CAPTURE = 256, OPT_LIST };
	static const struct option options[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "rx-capture", required_argument, NULL, OPT_RX_CAPTURE },
		{ "write", required_argument, NULL, 'w' },
		{ "snapshot-length", required_argument, NULL, 's' },
		{ "packet-count", required_argument, NULL, 'c' },
		{ "hex", no_argument, NULL, 'x' },
		{ "list-interfaces", no_argument, NULL, OPT_LIST },
		{ NULL, 0, NULL, 0 },
	};
	const char *port = NULL;
	uint64_t v;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":i:w:s:c:x", options,
			NULL)) >= 0) {
		switch (opt) {
		case 'i':
			port = optarg;
			break;
		case OPT_RX_CAPTURE:
			if (parse_points(optarg, &d->points) != 0)
				return -1;
			break;
		case 'w':
			d->file = optarg;
			break;
		case 's':
			if (parse_u64("-s", optarg, 1, DEFAULT_SNAPLEN, &v) != 0)
				return -1;
			d->snaplen = v;
			break;
		case 'c':
			if (parse_u64("-c", optarg, 1, UINT64_MAX, &v) != 0)
				return -1;
			d->count = v;
			break;
		case 'x':
			d->hex = true;
			break;
		case OPT_LIST:
			*list = true;
			break;
		case ':':
			return fail("option '%s' needs an argument",
				argv[optind - 1]);
		default:
			dump_usage();
			return fail("unrecognized option '%s'",
				argv[optind - 1]);
		}
	}
	if (optind != argc)
		return fail("dump: unexpected '%s'", argv[optind]);
	if (*list)
		return 0;
	if (port == NULL)
		return fail("dump: which port? -i PORT (dump --list-interfaces lists them)");
	return find_port(port, &d->port);
}

/*
 * rte_pcapng (22.11) describes the ports of the process that writes the
 * file, and dpdk-xdp has none of the primary's drivers: while the file's
 * interface blocks are written, the port is attached here as a view of
 * the primary's shared port data, with no operation but an empty
 * dev_infos_get (its interface is then "dpdk:PORT", its hardware
 * "vdev-NAME"). Released once they are written (only this process's
 * side of the port: the primary's stays as it is).
 */
static int
view_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(info);
	return 0;
}

static const struct eth_dev_ops view_ops = {
	.dev_infos_get = view_infos_get,
};
static const struct rte_driver view_driver = { .name = "dpdk-xdp" };
static struct rte_device view_device = { .driver = &view_driver };

static struct rte_eth_dev *
port_view(const struct rte_xdp_ctl_port *port)
{
	struct rte_eth_dev *dev;

	if (rte_eth_dev_is_valid_port(port->port_id))
		return NULL;	/* its driver runs here too */
	view_device.bus = rte_bus_find_by_name("vdev");
	if (view_device.bus == NULL)
		return NULL;
	dev = rte_eth_dev_attach_secondary(port->name);
	if (dev == NULL)
		return NULL;
	view_device.name = port->name;
	dev->device = &view_device;
	dev->dev_ops = &view_ops;
	dev->state = RTE_ETH_DEV_ATTACHED;
	return dev;
}

/* Opens -w FILE (before the capture starts: a bad file costs nothing). */
static int
open_output(struct dump *d)
{
	struct rte_eth_dev *view;
	int fd;

	if (d->file == NULL)
		return 0;
	if (strcmp(d->file, "-") == 0)
		fd = dup(STDOUT_FILENO);
	else
		fd = open(d->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0644);
	if (fd < 0)
		return fail("cannot write %s: %s", d->file, strerror(errno));
	view = port_view(&d->port);
	d->pcapng = rte_pcapng_fdopen(fd, NULL, NULL, "dpdk-xdp dump",
		NULL);
	if (view != NULL)
		rte_eth_dev_release_port(view);
	if (d->pcapng == NULL) {
		close(fd);
		return fail("cannot write %s: %s", d->file,
			rte_strerror(rte_errno));
	}
	return 0;
}

static void
close_output(struct dump *d)
{
	if (d->pcapng != NULL)
		rte_pcapng_close(d->pcapng);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Read the capture until -c, a signal, an error or the primary's end. */
static int
dump_loop(struct dump *d, struct rte_xdp_ctl_capture *cap)
{
	struct rte_mbuf *f[READ_BURST];
	uint64_t captured = 0, dropped = 0, next_stats = 0;
	unsigned int n, i;
	int ret = 0;

	while (!stop_dump && ret == 0 &&
	       (d->count == 0 || d->written < d->count)) {
		n = rte_xdp_ctl_capture_read(cap, f, READ_BURST);
		for (i = 0; i < n; i++) {
			if (ret == 0 && (d->count == 0 ||
					 d->written < d->count)) {
				ret = write_frame(d, f[i]);
				d->written += ret == 0;
			}
			rte_pktmbuf_free(f[i]);
		}
		if (n != 0)
			continue;
		/* idle: is the primary still there? */
		if (now_ns() >= next_stats) {
			if (rte_xdp_ctl_capture_stats(ctl, cap, &captured,
					&dropped) != 0) {
				fprintf(stderr, "capture ended: %s\n",
					rte_xdp_ctl_error(ctl));
				return 1;
			}
			next_stats = now_ns() + STATS_EVERY_NS;
		}
		usleep(IDLE_US);
	}
	if (ret == 0 && rte_xdp_ctl_capture_stats(ctl, cap, &captured,
			&dropped) == 0)
		fprintf(stderr, "\n%" PRIu64 " packets captured\n%" PRIu64
			" packets dropped by capture\n", d->written, dropped);
	return ret;
}

int
do_xdpdump(int argc, char **argv)
{
	struct dump d = {
		.points = RTE_XDP_CTL_CAPTURE_ENTRY,
		.snaplen = DEFAULT_SNAPLEN,
	};
	struct rte_xdp_ctl_capture_opts o = { 0 };
	struct rte_xdp_ctl_capture *cap;
	bool list = false;
	int ret;

	/* getopt wants the command's name first: "dump" is before argv */
	if (parse_dump(argc + 1, argv - 1, &d, &list) != 0)
		return -1;
	if (list)
		return list_interfaces();
	if (open_output(&d) != 0) {
		close_output(&d);
		return -1;
	}
	d.tsc_hz = rte_get_tsc_hz();
	d.epoch_ns = (int64_t)now_ns() -
		(int64_t)((double)rte_rdtsc() * 1e9 / d.tsc_hz);
	o.port_id = d.port.port_id;
	o.points = d.points;
	o.snaplen = d.snaplen;
	o.nb_frames = CAPTURE_FRAMES;
	if (rte_xdp_ctl_capture_start(ctl, &o, &cap) != 0) {
		close_output(&d);
		return ctl_fail("cannot capture on %s", d.port.name);
	}
	d.mp = rte_xdp_ctl_capture_pool(cap);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (d.pcapng == NULL || strcmp(d.file, "-") != 0)
		fprintf(stderr, "listening on %s, port %u, capture mode %s, snapshot length %u bytes\n",
			d.port.name, d.port.port_id,
			d.points == RTE_XDP_CTL_CAPTURE_ENTRY ? "entry" :
			d.points == RTE_XDP_CTL_CAPTURE_EXIT ? "exit" :
			"entry,exit", d.snaplen);
	fflush(stderr);
	ret = dump_loop(&d, cap);
	fflush(stdout);
	if (ret == 1) {
		ret = 0;	/* the primary's end: what was written stays */
	} else if (rte_xdp_ctl_capture_stop(ctl, cap) != 0 && ret == 0) {
		ret = ctl_fail("stopping the capture");
	}
	close_output(&d);
	free(d.progs);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return ret;
}
