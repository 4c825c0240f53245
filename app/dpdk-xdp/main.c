/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-xdp: bpftool's prog and map commands for XDP objects run on DPDK.
 * Programs and maps live in this process: load an object, then address
 * its programs and maps by id or name in the commands that follow (in one
 * batch file). Output and JSON (-j) follow bpftool's.
 *
 *   dpdk-xdp [EAL args --] [-j] [--verify auto|kernel|builtin] OBJECT VERB ...
 *
 *   prog load OBJ [sec NAME] [type xdp] [map name NAME max_entries N]...
 *   prog show [id ID | name NAME | OBJ | dir DIR]
 *   prog run PROG data_in FILE [data_out FILE] [ctx_in FILE] [ctx_out FILE]
 *                 [repeat N]
 *   map show [id ID | name NAME]
 *   map dump MAP
 *   map lookup MAP key BYTES
 *   map getnext MAP [key BYTES]
 *   map update MAP key BYTES value VALUE [any | exist | noexist]
 *   map delete MAP key BYTES
 *   map event_pipe MAP
 *   batch file FILE
 *
 *   PROG := id ID | name NAME | OBJ [sec NAME | name NAME]
 *   MAP := id ID | name NAME | OBJ name NAME
 *   VALUE := BYTES | id ID | name NAME (for a prog array a program, for a
 *            map of maps a map: its id goes in, as bpftool puts its fd)
 *   BYTES := [hex] BYTE...
 *
 * An OBJ in PROG or MAP loads the object first if it is not loaded yet.
 *
 * Example:
 *   dpdk-xdp prog run xdp_pass.o data_in frame.bin repeat 1000
 *   Return value: 2, duration (average): 12ns
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>

#include "rte_xdp_events.h"
#include "rte_xdp_prog.h"

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

static int json;
static int in_batch;
static enum rte_xdp_verify_policy verify = RTE_XDP_VERIFY_AUTO;
static struct rte_mempool *pool;

/* Loaded objects; program and map ids are given in load order. */
static struct {
	char path[256];
	struct rte_xdp_obj *obj;
} objs[MAX_OBJS];
static int nb_objs;

/* What the command being run printed (JSON), and its error. */
static char errmsg[4096];

static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if (*s == '\n')
			printf("\\n");
		else if (*s == '\t')
			printf("\\t");
		else if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	putchar('"');
}

static int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- objects, programs and maps ---- */

/* How prog load loads an object (its options), and map sizes to set. */
#define MAX_SIZES 16
struct load_opts {
	const char *sec;
	int force_xdp;
	unsigned int nb_sizes;
	const char *size_map[MAX_SIZES];
	uint32_t size[MAX_SIZES];
};

static struct rte_xdp_obj *
load_obj_opts(const char *path, const struct load_opts *lo)
{
	struct rte_xdp_obj_opts o = {
		.verify = verify, .socket_id = SOCKET_ID_ANY,
		.pkt_window = PKT_WINDOW, .force_xdp = lo->force_xdp,
	};
	const char *sec = lo->sec;
	struct rte_xdp_obj *obj;
	char err[2048];
	unsigned int i;
	int k;

	for (k = 0; k < nb_objs; k++)
		if (strcmp(objs[k].path, path) == 0)
			return objs[k].obj;
	if (nb_objs == MAX_OBJS) {
		fail("too many objects loaded (%d)", MAX_OBJS);
		return NULL;
	}
	obj = rte_xdp_obj_open(path, &o, err, sizeof(err));
	if (obj == NULL) {
		fail("%s", err);
		return NULL;
	}
	for (i = 0; i < lo->nb_sizes; i++) {
		int ret = rte_xdp_obj_set_max_entries(obj, lo->size_map[i],
			lo->size[i]);

		if (ret != 0) {
			fail("%s: map %s: cannot set max_entries: %s", path,
				lo->size_map[i], ret == -ENOENT ? "no such map" :
				strerror(-ret));
			rte_xdp_obj_close(obj);
			return NULL;
		}
	}
	if (sec != NULL) {
		if (rte_xdp_obj_find_prog(obj, sec) == NULL) {
			fail("%s: no program or section %s", path, sec);
			rte_xdp_obj_close(obj);
			return NULL;
		}
		for (i = 0; i < rte_xdp_obj_nb_progs(obj); i++) {
			struct rte_xdp_prog_info pi;

			rte_xdp_prog_info(rte_xdp_obj_prog(obj, i), &pi);
			rte_xdp_obj_set_autoload(obj, pi.name,
				strcmp(pi.name, sec) == 0 ||
				strcmp(pi.section, sec) == 0);
		}
	}
	if (rte_xdp_obj_load(obj, err, sizeof(err)) != 0) {
		fail("%s", err);
		rte_xdp_obj_close(obj);
		return NULL;
	}
	strlcpy(objs[nb_objs].path, path, sizeof(objs[0].path));
	objs[nb_objs].obj = obj;
	nb_objs++;
	return obj;
}

static struct rte_xdp_obj *
load_obj(const char *path, const char *sec)
{
	struct load_opts lo = { .sec = sec };

	return load_obj_opts(path, &lo);
}

/* Object of a loaded program or map, and its index in it. */
static int
find_prog(const char *by, const char *what, struct rte_xdp_prog **prog,
	unsigned int *id)
{
	unsigned long want = strcmp(by, "id") == 0 ?
		strtoul(what, NULL, 0) : 0;
	unsigned int i;
	int k;

	for (k = 0; k < nb_objs; k++)
		for (i = 0; i < rte_xdp_obj_nb_progs(objs[k].obj); i++) {
			struct rte_xdp_prog *p = rte_xdp_obj_prog(objs[k].obj, i);
			struct rte_xdp_prog_info pi;

			rte_xdp_prog_info(p, &pi);
			if (!pi.loaded)
				continue;
			if ((want != 0 && pi.id == want) ||
			    (want == 0 && strcmp(pi.name, what) == 0)) {
				*prog = p;
				*id = pi.id;
				return 0;
			}
		}
	return fail("can't find program %s %s", by, what);
}

static int
find_map(const char *by, const char *what, struct rte_xdp_map **map,
	unsigned int *id)
{
	unsigned long want = strcmp(by, "id") == 0 ?
		strtoul(what, NULL, 0) : 0;
	unsigned int i;
	int k;

	for (k = 0; k < nb_objs; k++)
		for (i = 0; i < rte_xdp_obj_nb_maps(objs[k].obj); i++) {
			struct rte_xdp_map *m = rte_xdp_obj_map(objs[k].obj, i);

			if ((want != 0 && rte_xdp_map_id(m) == want) ||
			    (want == 0 && strcmp(rte_xdp_map_name(m), what) == 0)) {
				*map = m;
				*id = rte_xdp_map_id(m);
				return 0;
			}
		}
	return fail("can't find map %s %s", by, what);
}

/*
 * PROG := id ID | name NAME | OBJ [sec NAME | name NAME]
 * Consumes the words it uses (*i).
 */
static int
parse_prog(int argc, char **argv, int *i, struct rte_xdp_prog **prog,
	unsigned int *id)
{
	struct rte_xdp_obj *obj;
	unsigned int n;
	int k;

	if (*i + 1 < argc && (strcmp(argv[*i], "id") == 0 ||
	    strcmp(argv[*i], "name") == 0)) {
		*i += 2;
		return find_prog(argv[*i - 2], argv[*i - 1], prog, id);
	}
	if (*i >= argc)
		return fail("expected PROG (id ID, name NAME or OBJ)");
	obj = load_obj(argv[*i], NULL);
	if (obj == NULL)
		return -1;
	for (k = 0; k < nb_objs && objs[k].obj != obj; k++)
		;
	(*i)++;
	if (*i + 1 < argc && (strcmp(argv[*i], "sec") == 0 ||
	    strcmp(argv[*i], "name") == 0)) {
		*prog = rte_xdp_obj_find_prog(obj, argv[*i + 1]);
		if (*prog == NULL)
			return fail("%s: no program %s", objs[k].path,
				argv[*i + 1]);
		*i += 2;
	} else {
		*prog = rte_xdp_obj_prog(obj, 0);
	}
	for (n = 0; rte_xdp_obj_prog(obj, n) != *prog; n++)
		;
	*id = rte_xdp_prog_id(*prog);
	return 0;
}

/* MAP := id ID | name NAME | OBJ name NAME */
static int
parse_map(int argc, char **argv, int *i, struct rte_xdp_map **map,
	unsigned int *id)
{
	if (*i + 1 < argc && (strcmp(argv[*i], "id") == 0 ||
	    strcmp(argv[*i], "name") == 0)) {
		*i += 2;
		return find_map(argv[*i - 2], argv[*i - 1], map, id);
	}
	if (*i + 2 < argc && strcmp(argv[*i + 1], "name") == 0) {
		if (load_obj(argv[*i], NULL) == NULL)
			return -1;
		*i += 3;
		return find_map("name", argv[*i - 1], map, id);
	}
	return fail("expected MAP (id ID, name NAME or OBJ name NAME)");
}

/* BYTES := [hex] BYTE... exactly n of them (bpftool's parse_bytes). */
static int
parse_bytes(int argc, char **argv, int *i, const char *what, uint8_t *out,
	size_t n)
{
	int hex = 0;
	size_t k;
	char *end;

	if (*i < argc && strcmp(argv[*i], "hex") == 0) {
		hex = 1;
		(*i)++;
	}
	for (k = 0; k < n; k++, (*i)++) {
		unsigned long v;

		if (*i >= argc)
			return fail("%s expected %zu bytes got %zu", what, n, k);
		v = strtoul(argv[*i], &end, hex ? 16 : 0);
		if (*end != '\0' || v > 0xff)
			return fail("can't parse byte %s of %s", argv[*i], what);
		out[k] = v;
	}
	return 0;
}

/* ---- output ---- */

static void
print_bytes(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (json)
			printf("%s\"0x%02x\"", i ? "," : "", b[i]);
		else
			printf("%s%02x", i ? " " : "", b[i]);
	}
}

static const char *
map_type_name(uint32_t type)
{
	switch (type) {
	case RTE_XDP_MAP_HASH: return "hash";
	case RTE_XDP_MAP_ARRAY: return "array";
	case RTE_XDP_MAP_PERCPU_HASH: return "percpu_hash";
	case RTE_XDP_MAP_PERCPU_ARRAY: return "percpu_array";
	case RTE_XDP_MAP_LRU_HASH: return "lru_hash";
	case RTE_XDP_MAP_LRU_PERCPU_HASH: return "lru_percpu_hash";
	case RTE_XDP_MAP_LPM_TRIE: return "lpm_trie";
	case RTE_XDP_MAP_DEVMAP: return "devmap";
	case RTE_XDP_MAP_CPUMAP: return "cpumap";
	case RTE_XDP_MAP_XSKMAP: return "xskmap";
	case RTE_XDP_MAP_DEVMAP_HASH: return "devmap_hash";
	case RTE_XDP_MAP_PROG_ARRAY: return "prog_array";
	case RTE_XDP_MAP_PERF_EVENT_ARRAY: return "perf_event_array";
	case RTE_XDP_MAP_ARRAY_OF_MAPS: return "array_of_maps";
	case RTE_XDP_MAP_HASH_OF_MAPS: return "hash_of_maps";
	case RTE_XDP_MAP_RINGBUF: return "ringbuf";
	default: return "unknown";
	}
}

/* Maps whose values are program or map ids (fds in the kernel). */
static int
map_holds_ids(uint32_t type)
{
	return type == RTE_XDP_MAP_PROG_ARRAY ||
		type == RTE_XDP_MAP_ARRAY_OF_MAPS ||
		type == RTE_XDP_MAP_HASH_OF_MAPS;
}

static int
map_percpu(const struct rte_xdp_map *map)
{
	return rte_xdp_map_user_value_size(map) !=
		rte_xdp_map_def(map)->value_size;
}

/*
 * A value as bpftool prints it. Per-CPU values: one per EAL lcore, as
 * bpftool shows one per possible CPU.
 */
static void
print_value(const struct rte_xdp_map *map, const uint8_t *val)
{
	const struct rte_xdp_map_def *def = rte_xdp_map_def(map);
	size_t stride = RTE_ALIGN_CEIL(def->value_size, 8);
	unsigned int c;
	int first = 1;

	if (!map_percpu(map)) {
		if (json) {
			printf("\"value\":[");
			print_bytes(val, def->value_size);
			printf("]");
		} else {
			printf("value: ");
			print_bytes(val, def->value_size);
		}
		return;
	}
	if (json)
		printf("\"values\":[");
	RTE_LCORE_FOREACH(c) {
		if (json) {
			printf("%s{\"cpu\":%u,\"value\":[", first ? "" : ",", c);
			print_bytes(val + c * stride, def->value_size);
			printf("]}");
		} else {
			printf("%svalue (CPU %02u): ", first ? "" : "\n", c);
			print_bytes(val + c * stride, def->value_size);
		}
		first = 0;
	}
	if (json)
		printf("]");
}

static void
print_entry(const struct rte_xdp_map *map, const uint8_t *key,
	const uint8_t *val)
{
	const struct rte_xdp_map_def *def = rte_xdp_map_def(map);

	if (json) {
		printf("{\"key\":[");
		print_bytes(key, def->key_size);
		printf("],");
		print_value(map, val);
		printf("}");
	} else if (map_percpu(map)) {
		printf("key:\n");
		print_bytes(key, def->key_size);
		printf("\n");
		print_value(map, val);
		printf("\n");
	} else {
		printf("key: ");
		print_bytes(key, def->key_size);
		printf("  ");
		print_value(map, val);
		printf("\n");
	}
}

/* ---- prog ---- */

static const char *
attach_name(enum rte_xdp_attach a)
{
	return a == RTE_XDP_ATTACH_DEVMAP ? "xdp_devmap" :
		a == RTE_XDP_ATTACH_CPUMAP ? "xdp_cpumap" : "xdp";
}

static void
show_prog(const struct rte_xdp_prog *prog, unsigned int id, int k)
{
	struct rte_xdp_obj *obj = objs[k].obj;
	struct rte_xdp_prog_info pi;
	unsigned int m;

	rte_xdp_prog_info(prog, &pi);
	if (json) {
		printf("{\"id\":%u,\"type\":\"xdp\",\"name\":", id);
		json_str(pi.name);
		printf(",\"section\":");
		json_str(pi.section);
		printf(",\"attach_type\":\"%s\",\"gpl_compatible\":%s,\"frags\":%s,\"bytes_xlated\":%u,\"jited\":%s,\"bytes_jited\":%zu,\"jit\":%s%s%s,\"map_ids\":[",
			attach_name(pi.attach),
			strstr(pi.license, "GPL") ? "true" : "false",
			pi.frags ? "true" : "false", pi.nb_xlated * 8,
			pi.jited_size ? "true" : "false", pi.jited_size,
			pi.jit ? "\"" : "", pi.jit ? pi.jit : "null",
			pi.jit ? "\"" : "");
		for (m = 0; m < rte_xdp_obj_nb_maps(obj); m++)
			printf("%s%u", m ? "," : "",
				rte_xdp_map_id(rte_xdp_obj_map(obj, m)));
		printf("],\"verified_by_kernel\":%s,\"insns\":%u,\"clamps\":%u,\"clamp_limit\":%u,\"spills\":%u}",
			pi.verified_by_kernel ? "true" : "false", pi.nb_insns,
			pi.nb_clamps, pi.clamp_limit, pi.nb_spills);
		return;
	}
	printf("%u: xdp  name %s  section %s%s%s\n", id, pi.name, pi.section,
		strstr(pi.license, "GPL") ? "  gpl" : "",
		pi.frags ? "  frags" : "");
	printf("\txlated %uB  %s %zuB%s%s%s  insns %u", pi.nb_xlated * 8,
		pi.jited_size ? "jited" : "interpreted", pi.jited_size,
		pi.jit ? " (" : "", pi.jit ? pi.jit : "", pi.jit ? ")" : "",
		pi.nb_insns);
	if (rte_xdp_obj_nb_maps(obj) != 0) {
		printf("  map_ids ");
		for (m = 0; m < rte_xdp_obj_nb_maps(obj); m++)
			printf("%s%u", m ? "," : "",
				rte_xdp_map_id(rte_xdp_obj_map(obj, m)));
	}
	printf("\n\tverified by %s", pi.verified_by_kernel ? "kernel" :
		"builtin");
	if (pi.attach != RTE_XDP_ATTACH_RX)
		printf("  attach %s", attach_name(pi.attach));
	if (pi.nb_clamps != 0)
		printf("  clamped offsets %u (frames up to %uB)", pi.nb_clamps,
			pi.clamp_limit);
	if (pi.nb_spills != 0)
		printf("  spills %u", pi.nb_spills);
	printf("\n");
}

static int
do_prog_load(int argc, char **argv)
{
	struct load_opts lo = { 0 };
	int i;

	if (argc < 1)
		goto usage;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "sec") == 0 && i + 1 < argc) {
			lo.sec = argv[++i];
		} else if (strcmp(argv[i], "type") == 0 && i + 1 < argc) {
			if (strcmp(argv[++i], "xdp") != 0)
				return fail("type %s: only xdp programs load here",
					argv[i]);
			lo.force_xdp = 1;
		} else if (strcmp(argv[i], "map") == 0 && i + 4 < argc &&
			   strcmp(argv[i + 1], "name") == 0 &&
			   strcmp(argv[i + 3], "max_entries") == 0 &&
			   lo.nb_sizes < MAX_SIZES) {
			lo.size_map[lo.nb_sizes] = argv[i + 2];
			lo.size[lo.nb_sizes++] = strtoul(argv[i + 4], NULL, 0);
			i += 4;
		} else {
			goto usage;
		}
	}
	if (load_obj_opts(argv[0], &lo) == NULL)
		return -1;
	if (json)
		printf("null");
	return 0;
usage:
	return fail("prog load OBJ [sec NAME] [type xdp] [map name NAME max_entries N]...");
}

/*
 * prog show dir DIR: which programs of the objects in a directory load,
 * and why the others do not. Each XDP program is loaded on its own
 * (the others' autoload off), under the --verify policy; programs that
 * are not XDP are listed with the reason. Nothing stays loaded.
 */
static int report_n, report_ok, report_refused, report_other;

/* loads: 1 loads, 0 refused, -1 not an XDP program */
static void
report_line(const char *obj, const char *prog, const char *sec, int loads,
	const char *why)
{
	if (json) {
		printf("%s{\"object\":", report_n++ ? "," : "");
		json_str(obj);
		printf(",\"program\":");
		json_str(prog);
		printf(",\"section\":");
		json_str(sec);
		printf(",\"loads\":%s,\"xdp\":%s,\"reason\":",
			loads > 0 ? "true" : "false", loads >= 0 ? "true" : "false");
		json_str(why);
		printf("}");
		return;
	}
	report_n++;
	printf("%-24s %-24s %-20s %s%s%s\n", obj, prog, sec,
		loads > 0 ? "loads" : loads == 0 ? "refused" : "not XDP",
		why[0] != '\0' ? ": " : "", why);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
report_object(const char *dir, const char *name)
{
	struct rte_xdp_obj_opts o = {
		.verify = verify, .socket_id = SOCKET_ID_ANY,
		.pkt_window = PKT_WINDOW,
	};
	char path[PATH_MAX], err[2048], *rest, *item, *save = NULL;
	struct rte_xdp_obj *obj;
	unsigned int i, nb;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	obj = rte_xdp_obj_open(path, &o, err, sizeof(err));
	if (obj == NULL) {
		err[strcspn(err, "\n")] = '\0';
		report_line(name, "-", "-", 0,
			strncmp(err, path, strlen(path)) == 0 &&
			err[strlen(path)] == ':' ? err + strlen(path) + 2 : err);
		report_refused++;
		return;
	}
	nb = rte_xdp_obj_nb_progs(obj);
	rest = strdup(rte_xdp_obj_not_xdp(obj));
	rte_xdp_obj_close(obj);
	for (i = 0; i < nb; i++) {
		struct rte_xdp_prog_info pi;
		char pname[64], psec[64], why[256];
		unsigned int k;

		obj = rte_xdp_obj_open(path, &o, err, sizeof(err));
		if (obj == NULL)
			break;
		rte_xdp_prog_info(rte_xdp_obj_prog(obj, i), &pi);
		snprintf(pname, sizeof(pname), "%s", pi.name);
		snprintf(psec, sizeof(psec), "%s", pi.section);
		for (k = 0; k < nb; k++) {
			struct rte_xdp_prog_info qi;

			rte_xdp_prog_info(rte_xdp_obj_prog(obj, k), &qi);
			rte_xdp_obj_set_autoload(obj, qi.name, k == i);
		}
		if (rte_xdp_obj_load(obj, err, sizeof(err)) == 0) {
			rte_xdp_prog_info(rte_xdp_obj_prog(obj, i), &pi);
			snprintf(why, sizeof(why), "%s, %u instructions for rte_bpf",
				pi.verified_by_kernel ? "verified by the kernel" :
				"builtin checks", pi.nb_xlated);
			report_line(name, pname, psec, 1, why);
			report_ok++;
		} else {
			/* the reason, past the object's path */
			char *r = strstr(err, ": ");

			err[strcspn(err, "\n")] = '\0';
			report_line(name, pname, psec, 0,
				r != NULL && strncmp(err, path, strlen(path)) == 0 ?
				r + 2 : err);
			report_refused++;
		}
		rte_xdp_obj_close(obj);
	}
	/* "name (section): why; ..." */
	for (item = rest != NULL ? strtok_r(rest, ";", &save) : NULL;
	     item != NULL; item = strtok_r(NULL, ";", &save)) {
		char pname[64] = "", psec[128] = "";
		const char *why = strstr(item, "): ");

		while (*item == ' ')
			item++;
		sscanf(item, "%63s (%127[^)])", pname, psec);
		report_line(name, pname, psec, -1, why != NULL ? why + 3 : "");
		report_other++;
	}
	free(rest);
}

static int
report_dir(const char *dir)
{
	struct dirent *de;
	char **names = NULL;
	size_t nb = 0, k;
	DIR *d = opendir(dir);

	if (d == NULL)
		return fail("%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		char **nn;

		if (l < 3 || strcmp(de->d_name + l - 2, ".o") != 0)
			continue;
		nn = realloc(names, (nb + 1) * sizeof(*names));
		if (nn == NULL)
			break;
		names = nn;
		names[nb++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nb, sizeof(*names), cmp_names);
	report_n = report_ok = report_refused = report_other = 0;
	if (json)
		printf("[");
	else
		printf("%-24s %-24s %-20s %s\n", "OBJECT", "PROGRAM", "SECTION",
			"RESULT");
	for (k = 0; k < nb; k++) {
		report_object(dir, names[k]);
		free(names[k]);
	}
	free(names);
	if (json)
		printf("]");
	else
		printf("%zu objects: %d programs load, %d refused, %d not XDP\n",
			nb, report_ok, report_refused, report_other);
	return 0;
}

static int
do_prog_show(int argc, char **argv)
{
	struct rte_xdp_prog *prog;
	unsigned int id, i;
	int k, n = 0, one = 0, i0 = 0;
	struct stat st;

	if (argc == 2 && strcmp(argv[0], "dir") == 0)
		return report_dir(argv[1]);
	if (argc == 1 && stat(argv[0], &st) == 0 && S_ISDIR(st.st_mode))
		return report_dir(argv[0]);
	if (argc == 2 && (strcmp(argv[0], "id") == 0 ||
	    strcmp(argv[0], "name") == 0)) {
		if (find_prog(argv[0], argv[1], &prog, &id) != 0)
			return -1;
		one = 1;
	} else if (argc == 1) {
		/* prog show OBJ: that object's programs */
		if (load_obj(argv[0], NULL) == NULL)
			return -1;
		for (i0 = 0; strcmp(objs[i0].path, argv[0]) != 0; i0++)
			;
	} else if (argc != 0) {
		return fail("prog show [id ID | name NAME | OBJ | dir DIR]");
	}
	if (json && !one)
		printf("[");
	for (k = 0; k < nb_objs; k++) {
		if (argc == 1 && k != i0)
			continue;
		for (i = 0; i < rte_xdp_obj_nb_progs(objs[k].obj); i++) {
			struct rte_xdp_prog *p = rte_xdp_obj_prog(objs[k].obj, i);
			struct rte_xdp_prog_info pi;

			rte_xdp_prog_info(p, &pi);
			if (!pi.loaded || (one && p != prog))
				continue;
			if (json && n++ > 0)
				printf(",");
			show_prog(p, pi.id, k);
		}
	}
	if (json && !one)
		printf("]");
	return 0;
}

static int
read_file(const char *path, uint8_t *buf, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");

	if (f == NULL)
		return fail("%s: %s", path, strerror(errno));
	*len = fread(buf, 1, max, f);
	if (f != stdin)
		fclose(f);
	return 0;
}

static int
write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");

	if (f == NULL)
		return fail("%s: %s", path, strerror(errno));
	if (fwrite(buf, 1, len, f) != len) {
		if (f != stdout)
			fclose(f);
		return fail("%s: cannot write", path);
	}
	if (f != stdout)
		fclose(f);
	return 0;
}

/* The kernel's MAX_SKB_FRAGS: frags a test-run frame may have. */
#define TEST_MAX_FRAGS 17
#define TEST_MAX_IN (TEST_MAX_DATA + 32 + TEST_MAX_FRAGS * TEST_FRAME_SZ)

/*
 * The frame of a test run as bpf_prog_test_run_xdp() builds it: meta
 * bytes then up to TEST_MAX_DATA bytes of linear part at
 * XDP_PACKET_HEADROOM in a 4 KiB frame, the rest of data_in in frags of
 * up to 4 KiB at the start of their own buffers (a multi-buffer frame:
 * chained mbufs). NULL with errno on failure.
 */
static struct rte_mbuf *
test_frame(const uint8_t *buf, size_t len, size_t meta, size_t linear)
{
	struct rte_mbuf *m, *seg, *last;
	size_t off;

	m = rte_pktmbuf_alloc(pool);
	if (m == NULL)
		goto nomem;
	m->data_off = RTE_XDP_PACKET_HEADROOM;
	memcpy(rte_pktmbuf_mtod(m, uint8_t *) - meta, buf, meta + linear);
	m->data_len = linear;
	m->pkt_len = linear;
	last = m;
	for (off = meta + linear; off < len; off += seg->data_len) {
		if (m->nb_segs > TEST_MAX_FRAGS)
			goto nomem;
		seg = rte_pktmbuf_alloc(pool);
		if (seg == NULL)
			goto nomem;
		seg->data_off = 0;
		seg->data_len = RTE_MIN(len - off, (size_t)TEST_FRAME_SZ);
		memcpy(rte_pktmbuf_mtod(seg, uint8_t *), buf + off,
			seg->data_len);
		last->next = seg;
		last = seg;
		m->nb_segs++;
		m->pkt_len += seg->data_len;
	}
	/* the metadata length goes in through a first run's output field */
	if (meta != 0)
		rte_xdp_mbuf_set_meta_len(m, meta);
	return m;
nomem:
	rte_pktmbuf_free(m);
	errno = ENOMEM;
	return NULL;
}

/* data_out: metadata, linear part, then the frags' bytes. */
static int
write_frame(const char *path, const struct rte_mbuf *m)
{
	uint32_t meta = rte_xdp_mbuf_meta_len(m);
	const struct rte_mbuf *seg;
	uint8_t *out, *p;
	int ret;

	out = malloc(meta + m->pkt_len + 1);
	if (out == NULL)
		return fail("out of memory");
	p = out;
	memcpy(p, rte_pktmbuf_mtod(m, const uint8_t *) - meta, meta);
	p += meta;
	for (seg = m; seg != NULL; seg = seg->next) {
		memcpy(p, rte_pktmbuf_mtod(seg, const uint8_t *),
			seg->data_len);
		p += seg->data_len;
	}
	ret = write_file(path, out, p - out);
	free(out);
	return ret;
}

/*
 * prog run: as bpf(BPF_PROG_TEST_RUN) runs an XDP program: the frame at
 * XDP_PACKET_HEADROOM in a 4 KiB frame, metadata (ctx_in's data bytes
 * of data_in) right before it, ingress_ifindex 1 (lo) and queue 0 unless
 * ctx_in says otherwise; what does not fit in the linear part goes to
 * frags (frags-aware programs only); repeat runs on the same frame.
 */
static int
do_prog_run(int argc, char **argv)
{
	const char *data_in = NULL, *data_out = NULL, *ctx_in = NULL;
	const char *ctx_out = NULL;
	struct rte_xdp_rxq_info rxq = {
		.ifindex = 1, .queue_index = 0, .frag_size = TEST_FRAME_SZ,
	};
	struct test_xdp_md md;
	struct rte_xdp_prog_info pi;
	unsigned long repeat = 1, r;
	struct rte_xdp_prog *prog;
	struct rte_mbuf *m;
	uint8_t *buf;
	uint32_t verdict = 0, meta = 0, id;
	uint64_t t0, ns;
	size_t len, frame_len, mdlen;
	int i = 0, ret = -1;

	if (parse_prog(argc, argv, &i, &prog, &id) != 0)
		return -1;
	for (; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "data_in") == 0)
			data_in = argv[i + 1];
		else if (strcmp(argv[i], "data_out") == 0)
			data_out = argv[i + 1];
		else if (strcmp(argv[i], "ctx_in") == 0)
			ctx_in = argv[i + 1];
		else if (strcmp(argv[i], "ctx_out") == 0)
			ctx_out = argv[i + 1];
		else if (strcmp(argv[i], "repeat") == 0)
			repeat = strtoul(argv[i + 1], NULL, 0);
		else
			break;
	}
	if (i != argc || data_in == NULL)
		return fail("prog run PROG data_in FILE [data_out FILE] [ctx_in FILE] [ctx_out FILE] [repeat N]");
	if (repeat == 0)
		repeat = 1;
	rte_xdp_prog_info(prog, &pi);
	if (!pi.loaded)
		return fail("program %s is not loaded", pi.name);
	if (pi.attach != RTE_XDP_ATTACH_RX)
		return fail("failed to run program: %s (%s programs are not test-run, as in the kernel)",
			strerror(EINVAL), attach_name(pi.attach));
	buf = malloc(TEST_MAX_IN + 1);
	if (buf == NULL)
		return fail("out of memory");
	if (read_file(data_in, buf, TEST_MAX_IN + 1, &len) != 0)
		goto out;
	memset(&md, 0, sizeof(md));
	md.data_end = len;
	if (ctx_in != NULL) {
		if (read_file(ctx_in, (uint8_t *)&md, sizeof(md), &mdlen) != 0)
			goto out;
		/* as bpf_prog_test_run_xdp() checks ctx_in */
		if (mdlen != sizeof(md) || md.data_meta != 0 ||
		    md.data_end > len || md.data > md.data_end ||
		    (md.data & 3) != 0 || md.data > 32 ||
		    md.egress_ifindex != 0 ||
		    (md.ingress_ifindex == 0 && md.rx_queue_index != 0)) {
			fail("failed to run program: %s (ctx_in)",
				strerror(EINVAL));
			goto out;
		}
		meta = md.data;
		if (md.ingress_ifindex != 0) {
			rxq.ifindex = md.ingress_ifindex;
			rxq.queue_index = md.rx_queue_index;
		}
	}
	frame_len = RTE_MIN((size_t)md.data_end, (size_t)TEST_MAX_DATA + meta) -
		meta;
	if (len < meta + ETH_HLEN || len > TEST_MAX_IN) {
		fail("failed to run program: %s (data_in %zu bytes)",
			strerror(EINVAL), len);
		goto out;
	}
	if (len > meta + frame_len && !pi.frags) {
		fail("failed to run program: %s (data_in %zu bytes: more than one buffer, and %s is not frags-aware: SEC(\"xdp.frags\"))",
			strerror(EINVAL), len, pi.name);
		goto out;
	}
	m = test_frame(buf, len, meta, frame_len);
	if (m == NULL) {
		fail("failed to run program: %s", strerror(errno));
		goto out;
	}
	t0 = rte_rdtsc_precise();
	for (r = 0; r < repeat; r++)
		rte_xdp_prog_run_burst(prog, &rxq, &m, 1, &verdict, NULL);
	ns = (rte_rdtsc_precise() - t0) * 1000000000ull / rte_get_tsc_hz() /
		repeat;
	meta = rte_xdp_mbuf_meta_len(m);
	if (data_out != NULL && write_frame(data_out, m) != 0) {
		rte_pktmbuf_free(m);
		goto out;
	}
	if (ctx_out != NULL) {
		md.data = meta;
		md.data_end = meta + m->data_len;
		md.data_meta = 0;
		if (write_file(ctx_out, &md, sizeof(md)) != 0) {
			rte_pktmbuf_free(m);
			goto out;
		}
	}
	rte_pktmbuf_free(m);
	if (json)
		printf("{\"retval\":%u,\"duration\":%" PRIu64 "}", verdict, ns);
	else
		printf("Return value: %u, duration%s: %" PRIu64 "ns\n", verdict,
			repeat > 1 ? " (average)" : "", ns);
	ret = 0;
out:
	free(buf);
	return ret;
}

/* ---- map ---- */

static void
show_map(const struct rte_xdp_map *map, unsigned int id)
{
	const struct rte_xdp_map_def *d = rte_xdp_map_def(map);

	if (json) {
		printf("{\"id\":%u,\"type\":\"%s\",\"name\":", id,
			map_type_name(d->type));
		json_str(rte_xdp_map_name(map));
		printf(",\"flags\":%u,\"bytes_key\":%u,\"bytes_value\":%u,\"max_entries\":%u}",
			d->map_flags, d->key_size, d->value_size,
			d->max_entries);
	} else {
		printf("%u: %s  name %s  flags 0x%x\n", id,
			map_type_name(d->type), rte_xdp_map_name(map),
			d->map_flags);
		printf("\tkey %uB  value %uB  max_entries %u\n", d->key_size,
			d->value_size, d->max_entries);
	}
}

static int
do_map_show(int argc, char **argv)
{
	struct rte_xdp_map *map;
	unsigned int id, i;
	int k, n = 0;

	if (argc == 2) {
		if (find_map(argv[0], argv[1], &map, &id) != 0)
			return -1;
		show_map(map, id);
		return 0;
	}
	if (argc != 0)
		return fail("map show [id ID | name NAME]");
	if (json)
		printf("[");
	for (k = 0; k < nb_objs; k++)
		for (i = 0; i < rte_xdp_obj_nb_maps(objs[k].obj); i++) {
			if (json && n++ > 0)
				printf(",");
			show_map(rte_xdp_obj_map(objs[k].obj, i),
				rte_xdp_map_id(rte_xdp_obj_map(objs[k].obj, i)));
		}
	if (json)
		printf("]");
	return 0;
}

static int
do_map_dump(int argc, char **argv)
{
	const struct rte_xdp_map_def *def;
	struct rte_xdp_map *map;
	uint8_t key[MAX_KEY], next[MAX_KEY], *val;
	unsigned int id;
	int ret, have_key = 0, n = 0, i = 0, first = 1;

	if (parse_map(argc, argv, &i, &map, &id) != 0)
		return -1;
	if (i != argc)
		return fail("map dump MAP");
	def = rte_xdp_map_def(map);
	val = malloc(rte_xdp_map_user_value_size(map));
	if (val == NULL)
		return fail("out of memory");
	if (json)
		printf("[");
	for (;;) {
		ret = rte_xdp_map_get_next_key(map, have_key ? key : NULL, next);
		if (ret != 0)
			break;
		memcpy(key, next, def->key_size);
		have_key = 1;
		if (json && !first)
			printf(",");
		first = 0;
		ret = rte_xdp_map_lookup(map, key, val);
		if (ret != 0) {
			/* as bpftool prints an entry it cannot read */
			if (json) {
				printf("{\"key\":[");
				print_bytes(key, def->key_size);
				printf("],\"value\":{\"error\":\"%s\"}}",
					strerror(-ret));
			} else {
				printf("key:\n");
				print_bytes(key, def->key_size);
				printf("\nvalue:\n%s\n", strerror(-ret));
			}
			continue;
		}
		n++;
		print_entry(map, key, val);
	}
	if (json)
		printf("]");
	else
		printf("Found %d element%s\n", n, n == 1 ? "" : "s");
	free(val);
	return 0;
}

static int
do_map_lookup(int argc, char **argv)
{
	const struct rte_xdp_map_def *def;
	struct rte_xdp_map *map;
	uint8_t key[MAX_KEY], *val;
	unsigned int id;
	int i = 0, ret;

	if (parse_map(argc, argv, &i, &map, &id) != 0)
		return -1;
	def = rte_xdp_map_def(map);
	if (i + 1 > argc || strcmp(argv[i], "key") != 0)
		return fail("map lookup MAP key BYTES");
	i++;
	if (parse_bytes(argc, argv, &i, "key", key, def->key_size) != 0)
		return -1;
	if (i != argc)
		return fail("map lookup MAP key BYTES");
	val = malloc(rte_xdp_map_user_value_size(map));
	if (val == NULL)
		return fail("out of memory");
	ret = rte_xdp_map_lookup(map, key, val);
	if (ret == -ENOENT) {
		/* bpftool: null (JSON) or "Not found", and a failure */
		if (!json) {
			printf("key:\n");
			print_bytes(key, def->key_size);
			printf("\n\nNot found\n");
		}
		free(val);
		errmsg[0] = '\0';
		return -1;
	}
	if (ret != 0) {
		free(val);
		return fail("lookup failed: %s", strerror(-ret));
	}
	print_entry(map, key, val);
	free(val);
	return 0;
}

static int
do_map_getnext(int argc, char **argv)
{
	const struct rte_xdp_map_def *def;
	struct rte_xdp_map *map;
	uint8_t key[MAX_KEY], next[MAX_KEY];
	unsigned int id;
	int i = 0, have_key = 0, ret;

	if (parse_map(argc, argv, &i, &map, &id) != 0)
		return -1;
	def = rte_xdp_map_def(map);
	if (i < argc) {
		if (strcmp(argv[i], "key") != 0)
			return fail("map getnext MAP [key BYTES]");
		i++;
		if (parse_bytes(argc, argv, &i, "key", key, def->key_size) != 0)
			return -1;
		have_key = 1;
	}
	if (i != argc)
		return fail("map getnext MAP [key BYTES]");
	ret = rte_xdp_map_get_next_key(map, have_key ? key : NULL, next);
	if (ret != 0)
		return fail("can't get next key: %s", strerror(-ret));
	if (json) {
		printf("{\"key\":");
		if (have_key) {
			printf("[");
			print_bytes(key, def->key_size);
			printf("]");
		} else {
			printf("null");
		}
		printf(",\"next_key\":[");
		print_bytes(next, def->key_size);
		printf("]}");
	} else {
		if (have_key) {
			printf("key:\n");
			print_bytes(key, def->key_size);
			printf("\n");
		} else {
			printf("key: None\n");
		}
		printf("next key:\n");
		print_bytes(next, def->key_size);
		printf("\n");
	}
	return 0;
}

static int
do_map_update(int argc, char **argv)
{
	const struct rte_xdp_map_def *def;
	struct rte_xdp_map *map;
	uint8_t key[MAX_KEY], *val;
	size_t stride, vsz;
	uint64_t flags = RTE_XDP_ANY;
	unsigned int id, c;
	int i = 0, ret;

	if (parse_map(argc, argv, &i, &map, &id) != 0)
		return -1;
	def = rte_xdp_map_def(map);
	if (i >= argc || strcmp(argv[i], "key") != 0)
		return fail("map update MAP key BYTES value VALUE [any | exist | noexist]");
	i++;
	if (parse_bytes(argc, argv, &i, "key", key, def->key_size) != 0)
		return -1;
	if (i >= argc || strcmp(argv[i], "value") != 0)
		return fail("map update MAP key BYTES value VALUE [any | exist | noexist]");
	i++;
	vsz = rte_xdp_map_user_value_size(map);
	stride = RTE_ALIGN_CEIL(def->value_size, 8);
	val = calloc(1, vsz);
	if (val == NULL)
		return fail("out of memory");
	if (i + 1 < argc && (strcmp(argv[i], "id") == 0 ||
	    strcmp(argv[i], "name") == 0) && map_holds_ids(def->type)) {
		/* bpftool's PROG or MAP value: its id goes in */
		uint32_t vid = 0;
		unsigned int oid;

		if (def->type == RTE_XDP_MAP_PROG_ARRAY) {
			struct rte_xdp_prog *vp;

			if (find_prog(argv[i], argv[i + 1], &vp, &oid) == 0)
				vid = rte_xdp_prog_id(vp);
		} else {
			struct rte_xdp_map *vm;

			if (find_map(argv[i], argv[i + 1], &vm, &oid) == 0)
				vid = rte_xdp_map_id(vm);
		}
		if (vid == 0) {
			free(val);
			return -1;
		}
		memcpy(val, &vid, sizeof(vid));
		i += 2;
	} else if (parse_bytes(argc, argv, &i, "value", val,
			def->value_size) != 0) {
		free(val);
		return -1;
	}
	/* a per-CPU map gets the value on every CPU, as with bpftool */
	if (map_percpu(map))
		for (c = 1; c < vsz / stride; c++)
			memcpy(val + c * stride, val, def->value_size);
	if (i < argc) {
		if (strcmp(argv[i], "any") == 0)
			flags = RTE_XDP_ANY;
		else if (strcmp(argv[i], "exist") == 0)
			flags = RTE_XDP_EXIST;
		else if (strcmp(argv[i], "noexist") == 0)
			flags = RTE_XDP_NOEXIST;
		else
			i = -1;
		i++;
	}
	if (i != argc) {
		free(val);
		return fail("map update MAP key BYTES value VALUE [any | exist | noexist]");
	}
	ret = rte_xdp_map_update(map, key, val, flags);
	free(val);
	if (ret != 0)
		return fail("update failed: %s", strerror(-ret));
	if (json)
		printf("null");
	return 0;
}

static int
do_map_delete(int argc, char **argv)
{
	struct rte_xdp_map *map;
	uint8_t key[MAX_KEY];
	unsigned int id;
	int i = 0, ret;

	if (parse_map(argc, argv, &i, &map, &id) != 0)
		return -1;
	if (i >= argc || strcmp(argv[i], "key") != 0)
		return fail("map delete MAP key BYTES");
	i++;
	if (parse_bytes(argc, argv, &i, "key", key,
			rte_xdp_map_def(map)->key_size) != 0)
		return -1;
	if (i != argc)
		return fail("map delete MAP key BYTES");
	ret = rte_xdp_map_delete(map, key);
	if (ret != 0)
		return fail("delete failed: %s", strerror(-ret));
	if (json)
		printf("null");
	return 0;
}

/*
 * map event_pipe MAP: the records programs sent through a perf event
 * array (bpftool map event_pipe) or a ring buffer. The first call on a
 * perf event array opens a buffer on every lcore (until then the
 * programs' bpf_perf_event_output() gets -ENOENT, as in the kernel
 * without a reader); every call prints the records waiting and returns,
 * so that a batch file reads them between runs.
 */
static struct {
	struct rte_xdp_map *map;
	struct rte_xdp_perf_buffer *pb;
} pipes[MAX_OBJS];
static int nb_pipes, nb_events;

static void
print_event(unsigned int cpu, const void *data, uint32_t size, int perf)
{
	uint32_t i;

	if (json) {
		printf("%s{", nb_events++ ? "," : "");
		if (perf)
			printf("\"type\":9,\"cpu\":%u,\"index\":%u,", cpu, cpu);
		printf("\"size\":%u,\"data\":[", size);
		for (i = 0; i < size; i++)
			printf("%s%u", i ? "," : "", ((const uint8_t *)data)[i]);
		printf("]}");
		return;
	}
	if (perf)
		printf("== CPU: %u index: %u =====\n", cpu, cpu);
	else
		printf("== record: %u bytes =====\n", size);
	for (i = 0; i < size; i++)
		printf("%02x%s", ((const uint8_t *)data)[i],
			(i + 1) % 16 == 0 || i + 1 == size ? "\n" :
			(i + 1) % 8 == 0 ? "  " : " ");
}

static void
perf_sample(void *arg, unsigned int cpu, const void *data, uint32_t size)
{
	RTE_SET_USED(arg);
	print_event(cpu, data, size, 1);
}

static void
perf_lost(void *arg, unsigned int cpu, uint64_t lost)
{
	RTE_SET_USED(arg);
	if (json)
		printf("%s{\"type\":2,\"cpu\":%u,\"index\":%u,\"lost\":{\"count\":%" PRIu64 "}}",
			nb_events++ ? "," : "", cpu, cpu, lost);
	else
		printf("== CPU: %u index: %u =====\nlost %" PRIu64 " events\n",
			cpu, cpu, lost);
}

static int
ring_sample(void *arg, void *data, size_t size)
{
	RTE_SET_USED(arg);
	print_event(0, data, size, 0);
	return 0;
}

static int
do_map_event_pipe(int argc, char **argv)
{
	struct rte_xdp_ring_buffer *rb;
	struct rte_xdp_map *map;
	unsigned int id;
	int i = 0, k;

	if (parse_map(argc, argv, &i, &map, &id) != 0)
		return -1;
	if (i != argc)
		return fail("map event_pipe MAP");
	nb_events = 0;
	if (rte_xdp_map_def(map)->type == RTE_XDP_MAP_RINGBUF) {
		rb = rte_xdp_ring_buffer_new(map, ring_sample, NULL);
		if (rb == NULL)
			return fail("ring buffer: %s", rte_strerror(rte_errno));
		if (json)
			printf("[");
		rte_xdp_ring_buffer_consume(rb);
		rte_xdp_ring_buffer_free(rb);
		if (json)
			printf("]");
		return 0;
	}
	if (rte_xdp_map_def(map)->type != RTE_XDP_MAP_PERF_EVENT_ARRAY)
		return fail("map %s is neither a perf event array nor a ring buffer",
			rte_xdp_map_name(map));
	for (k = 0; k < nb_pipes && pipes[k].map != map; k++)
		;
	if (k == nb_pipes) {
		if (nb_pipes == MAX_OBJS)
			return fail("too many event pipes");
		pipes[k].pb = rte_xdp_perf_buffer_new(map, 8, perf_sample,
			perf_lost, NULL);
		if (pipes[k].pb == NULL)
			return fail("failed to open perf buffers: %s",
				rte_strerror(rte_errno));
		pipes[k].map = map;
		nb_pipes++;
	}
	if (json)
		printf("[");
	rte_xdp_perf_buffer_poll(pipes[k].pb, 0);
	if (json)
		printf("]");
	return 0;
}

/* ---- dispatch ---- */

static const struct cmd {
	const char *object, *verb;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "prog", "load", do_prog_load },
	{ "prog", "show", do_prog_show },
	{ "prog", "list", do_prog_show },
	{ "prog", "run", do_prog_run },
	{ "map", "show", do_map_show },
	{ "map", "list", do_map_show },
	{ "map", "dump", do_map_dump },
	{ "map", "lookup", do_map_lookup },
	{ "map", "getnext", do_map_getnext },
	{ "map", "update", do_map_update },
	{ "map", "delete", do_map_delete },
	{ "map", "event_pipe", do_map_event_pipe },
};

static int run_command(int argc, char **argv);

/* Run a command; in JSON, its output is whatever it printed. */
static int
run_one(int argc, char **argv)
{
	unsigned int c;

	errmsg[0] = '\0';
	if (argc >= 2)
		for (c = 0; c < RTE_DIM(cmds); c++)
			if (strcmp(argv[0], cmds[c].object) == 0 &&
			    strcmp(argv[1], cmds[c].verb) == 0)
				return cmds[c].fn(argc - 2, argv + 2);
	return fail("unknown command (prog load|show|run, map show|dump|lookup|getnext|update|delete|event_pipe, batch file)");
}

/* A failed command's output: its error, or null (JSON) without one. */
static void
print_error(void)
{
	if (json && errmsg[0] == '\0')
		printf("null");
	if (errmsg[0] == '\0')
		return;
	if (json) {
		printf("{\"error\":");
		json_str(errmsg);
		printf("}");
	} else {
		fprintf(stderr, "Error: %s\n", errmsg);
	}
}

/*
 * batch file FILE: one command a line ('#' comments), state kept between
 * lines; stops at the first command that fails, as bpftool does. With -j
 * the output is [{"command":[...],"output":...},...].
 */
static int
do_batch(int argc, char **argv)
{
	char line[4096], *args[64], *p;
	int nargs, ret = 0, lineno = 0, n = 0, k;
	FILE *f;

	if (argc != 2 || strcmp(argv[0], "file") != 0)
		return fail("batch file FILE");
	f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	if (f == NULL)
		return fail("%s: %s", argv[1], strerror(errno));
	in_batch = 1;
	if (json)
		printf("[");
	while (ret == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		p = strchr(line, '#');
		if (p != NULL)
			*p = '\0';
		nargs = 0;
		for (p = strtok(line, " \t\r\n"); p != NULL && nargs < 63;
		     p = strtok(NULL, " \t\r\n"))
			args[nargs++] = p;
		if (nargs == 0)
			continue;
		if (json) {
			printf("%s{\"command\":[", n > 0 ? "," : "");
			for (k = 0; k < nargs; k++) {
				if (k > 0)
					printf(",");
				json_str(args[k]);
			}
			printf("],\"output\":");
		}
		n++;
		if (nargs >= 1 && strcmp(args[0], "batch") == 0)
			ret = fail("batch inside batch");
		else
			ret = run_one(nargs, args);
		if (ret != 0) {
			print_error();
			if (!json)
				fprintf(stderr, "Error: batch line %d failed\n",
					lineno);
		}
		if (json)
			printf("}");
		fflush(stdout);
	}
	if (json)
		printf("]\n");
	in_batch = 0;
	if (f != stdin)
		fclose(f);
	errmsg[0] = '\0';
	return ret;
}

static int
run_command(int argc, char **argv)
{
	int ret;

	if (argc >= 1 && strcmp(argv[0], "batch") == 0) {
		ret = do_batch(argc - 1, argv + 1);
		if (ret != 0 && errmsg[0] != '\0')
			print_error();
		return ret;
	}
	ret = run_one(argc, argv);
	if (ret != 0)
		print_error();
	if (json)
		printf("\n");
	return ret;
}

static void
usage(void)
{
	fprintf(stderr,
		"Usage: dpdk-xdp [EAL args --] [-j] [--verify auto|kernel|builtin] OBJECT VERB ...\n"
		"  prog load OBJ [sec NAME] [type xdp] [map name NAME max_entries N]...\n"
		"  prog show [id ID | name NAME | OBJ | dir DIR]\n"
		"  prog run PROG data_in FILE [data_out FILE] [ctx_in FILE] [ctx_out FILE] [repeat N]\n"
		"  map show [id ID | name NAME]\n"
		"  map dump MAP\n"
		"  map lookup MAP key BYTES\n"
		"  map getnext MAP [key BYTES]\n"
		"  map update MAP key BYTES value VALUE [any | exist | noexist]\n"
		"  map delete MAP key BYTES\n"
		"  map event_pipe MAP\n"
		"  batch file FILE\n"
		"  PROG := id ID | name NAME | OBJ [sec NAME | name NAME]\n"
		"  MAP := id ID | name NAME | OBJ name NAME\n"
		"  VALUE := BYTES | id ID | name NAME (a program for a prog_array, a map for a\n"
		"           map of maps)\n"
		"Example: dpdk-xdp prog run xdp_pass.o data_in frame.bin repeat 1000\n");
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *defaults[] = { argv[0], "--no-huge", "--no-pci", "-m", "256",
		"--no-shconf", "--no-telemetry", "--log-level=lib.eal:error",
		"--file-prefix", prefix, NULL };
	int i, sep = -1, ret, k;

	snprintf(prefix, sizeof(prefix), "dpdkxdp%d", (int)getpid());
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	if (sep > 0) {
		argv[sep] = argv[0];
		ret = rte_eal_init(sep, argv);
		argv += sep;
		argc -= sep;
	} else {
		ret = rte_eal_init(RTE_DIM(defaults) - 1, defaults);
	}
	if (ret < 0) {
		fprintf(stderr, "dpdk-xdp: cannot initialise EAL: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	for (k = 1; k < argc && argv[k][0] == '-'; k++) {
		if (strcmp(argv[k], "-j") == 0 ||
		    strcmp(argv[k], "--json") == 0 ||
		    strcmp(argv[k], "-p") == 0 ||
		    strcmp(argv[k], "--pretty") == 0) {
			json = 1;
		} else if (strcmp(argv[k], "--verify") == 0 && k + 1 < argc) {
			k++;
			if (strcmp(argv[k], "kernel") == 0)
				verify = RTE_XDP_VERIFY_KERNEL;
			else if (strcmp(argv[k], "builtin") == 0)
				verify = RTE_XDP_VERIFY_BUILTIN;
			else
				verify = RTE_XDP_VERIFY_AUTO;
		} else {
			usage();
			return 1;
		}
	}
	if (k >= argc) {
		usage();
		return 1;
	}
	pool = rte_pktmbuf_pool_create("dpdk_xdp_pool", 63, 0, 0,
		MBUF_ROOM + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "dpdk-xdp: cannot create mbuf pool\n");
		return 1;
	}
	ret = run_command(argc - k, argv + k);
	fflush(stdout);
	for (i = 0; i < nb_pipes; i++)
		rte_xdp_perf_buffer_free(pipes[i].pb);
	for (i = 0; i < nb_objs; i++)
		rte_xdp_obj_close(objs[i].obj);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret == 0 ? 0 : 255;
}
