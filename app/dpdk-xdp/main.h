/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPDK_XDP_MAIN_H
#define DPDK_XDP_MAIN_H

/*
 * dpdk-xdp's shared state and helpers (common.c), and the commands of
 * each object (prog.c, map.c) that main.c dispatches to.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rte_xdp_ctl.h"
#include "rte_xdp_prog.h"

#include "json_writer.h"

#define MAX_OBJS 32
#define MAX_KEY 512
#define ETH_HLEN 14
#define TEST_FRAME_SZ 4096	/* kernel test run: PAGE_SIZE frames */
#define TEST_TAILROOM 320	/* SKB_DATA_ALIGN(skb_shared_info) */
#define TEST_MAX_DATA (TEST_FRAME_SZ - RTE_XDP_PACKET_HEADROOM - TEST_TAILROOM)
#define XDP_FRAME_SZ 40		/* sizeof(struct xdp_frame) */
/* Programs may address 4 KiB from data; the mbufs have that much room
 * past the kernel's 4 KiB frame whatever adjust_head does. */
#define PKT_WINDOW 4096
#define MBUF_ROOM (2 * TEST_FRAME_SZ)

/* struct xdp_md of bpf(BPF_PROG_TEST_RUN)'s ctx_in and ctx_out */
struct test_xdp_md {
	uint32_t data;
	uint32_t data_end;
	uint32_t data_meta;
	uint32_t ingress_ifindex;
	uint32_t rx_queue_index;
	uint32_t egress_ifindex;
};

/* -j, -p: JSON output, through one writer (json_writer.h) */
extern bool json_output;
extern bool pretty_output;
extern json_writer_t *json_wtr;
extern const char *bin_name;

#define HELP_SPEC_OPTIONS \
	"OPTIONS := { {-j|--json} [{-p|--pretty}] | --verify {auto|kernel|builtin}"

/* Commands: OBJECT VERB..., matched by prefix as bpftool does. */
struct cmd {
	const char *cmd;
	int (*func)(int argc, char **argv);
};
/* Runs the command argv[0] names (cmds[0] without one), or help. */
int cmd_select(const struct cmd *cmds, int argc, char **argv,
	int (*help)(int argc, char **argv));
bool is_prefix(const char *pfx, const char *str);
/* An error (-1) when arg is a prefix of two of the NULL-ended words. */
int detect_common_prefix(const char *arg, ...);
extern enum rte_xdp_verify_policy verify;

/*
 * The programs and maps the commands act on: this process's (objects
 * loaded by this run), or, with EAL options that make this process a
 * secondary, the primary's (rte_xdp_ctl.h).
 */
extern struct rte_xdp_ctl *ctl;
/* The commands run against a primary process. */
static inline bool
live(void)
{
	return rte_xdp_ctl_is_remote(ctl) != 0;
}

/* Objects this run loaded, by the path that named them (OBJ). */
struct loaded_obj {
	char path[256];
	struct rte_xdp_ctl_obj obj;
};
extern struct loaded_obj objs[MAX_OBJS];
extern int nb_objs;

/* What the command being run printed (JSON), and its error. */
extern char errmsg[4096];

int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* fail() with what the last control call said */
int ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int print_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How prog load loads an object (its options), and map sizes to set. */
#define MAX_SIZES RTE_XDP_CTL_MAX_SIZES
struct load_opts {
	const char *sec;
	const char *pin;	/* bpftool's PATH: keep it loaded under it */
	int force_xdp;
	unsigned int nb_sizes;
	const char *size_map[MAX_SIZES];
	uint32_t size[MAX_SIZES];
};

const struct rte_xdp_ctl_obj *load_obj_opts(const char *path,
	const struct load_opts *lo);
const struct rte_xdp_ctl_obj *load_obj(const char *path, const char *sec);

/* Every program / map there is (NULL and 0 when there are none, or -1). */
int prog_list(struct rte_xdp_ctl_prog **progs);
int map_list(struct rte_xdp_ctl_map **maps);
int find_prog(const char *by, const char *what, struct rte_xdp_ctl_prog *prog);
int find_map(const char *by, const char *what, struct rte_xdp_ctl_map *map);
/* What may have unloaded maps (unpin, detach): look them up again. */
void forget_maps(void);
int parse_prog(int argc, char **argv, int *i, struct rte_xdp_ctl_prog *prog);
int parse_map(int argc, char **argv, int *i, struct rte_xdp_ctl_map *map);
int parse_bytes(int argc, char **argv, int *i, const char *what,
	uint8_t *out, size_t n);
void print_bytes(const uint8_t *b, size_t n);

/* The objects' commands: prog.c, map.c, net.c. */
int do_prog(int argc, char **argv);
int do_map(int argc, char **argv);
int do_net(int argc, char **argv);
int do_sysctl(int argc, char **argv);
/* Map updates a batch holds back to send together (live only). */
int map_flush(int *lineno);
void map_batch_line(int lineno);
void map_cleanup(void);

#endif /* DPDK_XDP_MAIN_H */
