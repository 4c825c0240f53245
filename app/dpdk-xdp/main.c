/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-xdp: bpftool's prog/map commands for XDP objects run on DPDK.
 *
 *   dpdk-xdp [EAL args --] [-j] [--verify auto|kernel|builtin] OBJECT VERB ...
 *   dpdk-xdp prog show OBJ
 *   dpdk-xdp prog run OBJ [sec NAME | name NAME] data_in FILE
 *                         [data_out FILE] [repeat N]
 *   dpdk-xdp map dump OBJ name MAP     (in batch: objects already run)
 *   dpdk-xdp batch file FILE
 *
 * Example:
 *   dpdk-xdp prog run xdp_pass.o data_in frame.bin repeat 1000
 *   Return value: 2, duration (average): 12ns
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>

#include "rte_xdp_prog.h"

#define MAX_OBJS 32
#define ETH_HLEN 14
#define TEST_FRAME_SZ 4096	/* kernel test run: PAGE_SIZE frames */
#define TEST_MAX_DATA (TEST_FRAME_SZ - RTE_XDP_PACKET_HEADROOM - 320)

static int json;
static int json_count;
static int in_batch;
static enum rte_xdp_verify_policy verify = RTE_XDP_VERIFY_AUTO;
static struct rte_mempool *pool;

static struct {
	char path[256];
	struct rte_xdp_obj *obj;
} objs[MAX_OBJS];
static int nb_objs;

static void
json_sep(void)
{
	if (in_batch && json_count++ > 0)
		printf(",\n");
}

static void
error_out(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (json) {
		char *p;

		json_sep();
		printf("{\"error\":\"");
		for (p = buf; *p; p++) {
			if (*p == '"' || *p == '\\')
				printf("\\%c", *p);
			else if (*p == '\n')
				printf("\\n");
			else if ((unsigned char)*p >= 0x20)
				putchar(*p);
		}
		printf("\"}%s", in_batch ? "" : "\n");
	} else {
		fprintf(stderr, "Error: %s\n", buf);
	}
}

static struct rte_xdp_obj *
get_obj(const char *path)
{
	struct rte_xdp_obj_opts o = {
		.verify = verify, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj;
	char err[2048];
	int i;

	for (i = 0; i < nb_objs; i++)
		if (strcmp(objs[i].path, path) == 0)
			return objs[i].obj;
	if (nb_objs == MAX_OBJS) {
		error_out("too many objects");
		return NULL;
	}
	obj = rte_xdp_obj_open(path, &o, err, sizeof(err));
	if (obj == NULL) {
		error_out("%s", err);
		return NULL;
	}
	if (rte_xdp_obj_load(obj, err, sizeof(err)) != 0) {
		error_out("%s", err);
		rte_xdp_obj_close(obj);
		return NULL;
	}
	strlcpy(objs[nb_objs].path, path, sizeof(objs[0].path));
	objs[nb_objs++].obj = obj;
	return obj;
}

static int
do_prog_show(int argc, char **argv)
{
	struct rte_xdp_obj *obj;
	struct rte_xdp_prog_info pi;
	unsigned int i;

	if (argc < 1) {
		error_out("prog show OBJ");
		return -1;
	}
	obj = get_obj(argv[0]);
	if (obj == NULL)
		return -1;
	if (json) {
		json_sep();
		printf("[");
	}
	for (i = 0; i < rte_xdp_obj_nb_progs(obj); i++) {
		rte_xdp_prog_info(rte_xdp_obj_prog(obj, i), &pi);
		if (json)
			printf("%s{\"id\":%u,\"type\":\"xdp\",\"name\":\"%s\",\"section\":\"%s\",\"gpl_compatible\":%s,\"bytes_xlated\":%u,\"jited\":%s,\"bytes_jited\":%zu,\"verified_by_kernel\":%s}",
				i ? "," : "", i + 1, pi.name, pi.section,
				strstr(pi.license, "GPL") ? "true" : "false",
				pi.nb_xlated * 8,
				pi.jited_size ? "true" : "false",
				pi.jited_size,
				pi.verified_by_kernel ? "true" : "false");
		else
			printf("%u: xdp  name %s  section %s%s\n\txlated %uB  jited %zuB  insns %u\n",
				i + 1, pi.name, pi.section,
				strstr(pi.license, "GPL") ? "  gpl" : "",
				pi.nb_xlated * 8, pi.jited_size, pi.nb_insns);
	}
	if (json)
		printf("]%s", in_batch ? "" : "\n");
	return 0;
}

static int
write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");

	if (f == NULL)
		return -errno;
	if (fwrite(buf, 1, len, f) != len) {
		if (f != stdout)
			fclose(f);
		return -EIO;
	}
	if (f != stdout)
		fclose(f);
	return 0;
}

static int
do_prog_run(int argc, char **argv)
{
	const char *data_in = NULL, *data_out = NULL, *name = NULL;
	struct rte_xdp_rxq_info rxq = {
		.ifindex = 1, .queue_index = 0, .frag_size = TEST_FRAME_SZ,
	};
	unsigned long repeat = 1, r;
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj;
	struct rte_mbuf *m;
	uint8_t buf[TEST_MAX_DATA + 1];
	uint32_t verdict = 0, meta;
	uint64_t t0, cycles;
	size_t len;
	FILE *f;
	int i;

	if (argc < 1) {
		error_out("prog run OBJ [sec NAME] data_in FILE [data_out FILE] [repeat N]");
		return -1;
	}
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "sec") == 0 || strcmp(argv[i], "name") == 0)
			name = argv[i + 1];
		else if (strcmp(argv[i], "data_in") == 0)
			data_in = argv[i + 1];
		else if (strcmp(argv[i], "data_out") == 0)
			data_out = argv[i + 1];
		else if (strcmp(argv[i], "repeat") == 0)
			repeat = strtoul(argv[i + 1], NULL, 0);
		else
			break;
	}
	if (i != argc || data_in == NULL) {
		error_out("prog run: expected data_in FILE (and optionally sec, data_out, repeat)");
		return -1;
	}
	if (repeat == 0)
		repeat = 1;
	obj = get_obj(argv[0]);
	if (obj == NULL)
		return -1;
	prog = name != NULL ? rte_xdp_obj_find_prog(obj, name) :
		rte_xdp_obj_prog(obj, 0);
	if (prog == NULL) {
		error_out("%s: no program %s", argv[0], name);
		return -1;
	}
	f = strcmp(data_in, "-") == 0 ? stdin : fopen(data_in, "rb");
	if (f == NULL) {
		error_out("%s: %s", data_in, strerror(errno));
		return -1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	if (f != stdin)
		fclose(f);
	if (len < ETH_HLEN || len > TEST_MAX_DATA) {
		error_out("failed to run program: %s (data_in %zu bytes)",
			strerror(EINVAL), len);
		return -1;
	}
	m = rte_pktmbuf_alloc(pool);
	if (m == NULL) {
		error_out("out of mbufs");
		return -1;
	}
	m->data_off = RTE_XDP_PACKET_HEADROOM;
	memcpy(rte_pktmbuf_mtod(m, void *), buf, len);
	m->data_len = len;
	m->pkt_len = len;
	t0 = rte_rdtsc_precise();
	for (r = 0; r < repeat; r++)
		rte_xdp_prog_run_burst(prog, &rxq, &m, 1, &verdict, NULL);
	cycles = rte_rdtsc_precise() - t0;
	meta = rte_xdp_mbuf_meta_len(m);
	if (data_out != NULL &&
	    write_file(data_out, rte_pktmbuf_mtod(m, uint8_t *) - meta,
		    m->data_len + meta) != 0) {
		error_out("%s: cannot write", data_out);
		rte_pktmbuf_free(m);
		return -1;
	}
	rte_pktmbuf_free(m);
	cycles = cycles * 1000000000ull / rte_get_tsc_hz() / repeat;
	if (json) {
		json_sep();
		printf("{\"retval\":%u,\"duration\":%" PRIu64 "}%s", verdict,
			cycles, in_batch ? "" : "\n");
	} else {
		printf("Return value: %u, duration%s: %" PRIu64 "ns\n", verdict,
			repeat > 1 ? " (average)" : "", cycles);
	}
	return 0;
}

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

static struct rte_xdp_map *
find_map(const char *obj_path, const char *name)
{
	struct rte_xdp_map *m;
	int i;

	if (obj_path != NULL && get_obj(obj_path) == NULL)
		return NULL;
	for (i = 0; i < nb_objs; i++) {
		m = rte_xdp_obj_find_map(objs[i].obj, name);
		if (m != NULL && (obj_path == NULL ||
		    strcmp(objs[i].path, obj_path) == 0))
			return m;
	}
	return NULL;
}

static int
do_map_dump(int argc, char **argv)
{
	const char *obj_path = NULL, *name = NULL;
	const struct rte_xdp_map_def *def;
	struct rte_xdp_map *map;
	uint8_t key[512], next[512], *val;
	size_t vsz;
	int first = 1, ret, have_key = 0, n = 0;
	unsigned int c;

	if (argc == 3 && strcmp(argv[1], "name") == 0) {
		obj_path = argv[0];
		name = argv[2];
	} else if (argc == 2 && strcmp(argv[0], "name") == 0) {
		name = argv[1];
	} else {
		error_out("map dump [OBJ] name MAP");
		return -1;
	}
	map = find_map(obj_path, name);
	if (map == NULL) {
		error_out("map %s not found", name);
		return -1;
	}
	def = rte_xdp_map_def(map);
	vsz = rte_xdp_map_user_value_size(map);
	val = malloc(vsz);
	if (val == NULL)
		return -1;
	if (json) {
		json_sep();
		printf("[");
	}
	for (;;) {
		ret = rte_xdp_map_get_next_key(map, have_key ? key : NULL, next);
		if (ret != 0)
			break;
		memcpy(key, next, def->key_size);
		have_key = 1;
		if (rte_xdp_map_lookup(map, key, val) != 0)
			continue;
		n++;
		if (json) {
			printf("%s{\"key\":[", first ? "" : ",");
			print_bytes(key, def->key_size);
			if (vsz == def->value_size) {
				printf("],\"value\":[");
				print_bytes(val, def->value_size);
				printf("]}");
			} else {
				printf("],\"values\":[");
				for (c = 0; c < rte_xdp_map_nb_cpus(); c++) {
					printf("%s{\"cpu\":%u,\"value\":[",
						c ? "," : "", c);
					print_bytes(val + c * RTE_ALIGN_CEIL(
						def->value_size, 8),
						def->value_size);
					printf("]}");
				}
				printf("]}");
			}
		} else {
			printf("key: ");
			print_bytes(key, def->key_size);
			printf("  value: ");
			print_bytes(val, def->value_size);
			printf("\n");
		}
		first = 0;
	}
	if (json)
		printf("]%s", in_batch ? "" : "\n");
	else
		printf("Found %d element%s\n", n, n == 1 ? "" : "s");
	free(val);
	return 0;
}

static int run_command(int argc, char **argv);

static int
do_batch(int argc, char **argv)
{
	char line[4096], *args[64], *p;
	int nargs, ret = 0, lineno = 0;
	FILE *f;

	if (argc != 2 || strcmp(argv[0], "file") != 0) {
		error_out("batch file FILE");
		return -1;
	}
	f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	if (f == NULL) {
		error_out("%s: %s", argv[1], strerror(errno));
		return -1;
	}
	in_batch = 1;
	if (json)
		printf("[");
	while (fgets(line, sizeof(line), f) != NULL) {
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
		if (run_command(nargs, args) != 0) {
			if (!json)
				fprintf(stderr, "Error: batch line %d failed\n",
					lineno);
			ret = -1;
		}
	}
	if (json)
		printf("]\n");
	in_batch = 0;
	if (f != stdin)
		fclose(f);
	return ret;
}

static int
run_command(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[0], "prog") == 0) {
		if (strcmp(argv[1], "show") == 0 || strcmp(argv[1], "list") == 0)
			return do_prog_show(argc - 2, argv + 2);
		if (strcmp(argv[1], "run") == 0)
			return do_prog_run(argc - 2, argv + 2);
	}
	if (argc >= 2 && strcmp(argv[0], "map") == 0 &&
	    strcmp(argv[1], "dump") == 0)
		return do_map_dump(argc - 2, argv + 2);
	if (argc >= 1 && strcmp(argv[0], "batch") == 0 && !in_batch)
		return do_batch(argc - 1, argv + 1);
	error_out("unknown command (see: prog show|run, map dump, batch file)");
	return -1;
}

static void
usage(void)
{
	fprintf(stderr,
		"Usage: dpdk-xdp [EAL args --] [-j] [--verify auto|kernel|builtin] OBJECT VERB ...\n"
		"  prog show OBJ\n"
		"  prog run OBJ [sec NAME] data_in FILE [data_out FILE] [repeat N]\n"
		"  map dump OBJ name MAP\n"
		"  batch file FILE\n"
		"Example: dpdk-xdp prog run xdp_pass.o data_in frame.bin repeat 1000\n");
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *defaults[] = { argv[0], "--no-huge", "--no-pci", "-m", "256",
		"--no-shconf", "--no-telemetry", "--log-level=lib.eal:error", "--file-prefix",
		prefix, NULL };
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
		if (strcmp(argv[k], "-j") == 0 || strcmp(argv[k], "--json") == 0 ||
		    strcmp(argv[k], "-p") == 0) {
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
		TEST_FRAME_SZ + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "dpdk-xdp: cannot create mbuf pool\n");
		return 1;
	}
	ret = run_command(argc - k, argv + k);
	for (i = 0; i < nb_objs; i++)
		rte_xdp_obj_close(objs[i].obj);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret == 0 ? 0 : 255;
}
