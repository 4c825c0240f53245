/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * map commands: show, dump, lookup, getnext, update, delete, event_pipe.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "main.h"

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
map_percpu(const struct rte_xdp_ctl_map *map)
{
	return map->def.type == RTE_XDP_MAP_PERCPU_ARRAY ||
		map->def.type == RTE_XDP_MAP_PERCPU_HASH ||
		map->def.type == RTE_XDP_MAP_LRU_PERCPU_HASH;
}

/*
 * A value as bpftool prints it. Per-CPU values: one per CPU slot (the
 * lcore ids, then the slot of other threads), as bpftool shows one per
 * possible CPU.
 */
static void
print_value(const struct rte_xdp_ctl_map *map, const uint8_t *val)
{
	const struct rte_xdp_map_def *def = &map->def;
	size_t stride = RTE_ALIGN_CEIL(def->value_size, 8);
	unsigned int c, nb = map->user_value_size / stride;
	int first = 1;

	if (!map_percpu(map)) {
		if (json_output)
			jsonw_name(json_wtr, "value");
		else
			printf("value: ");
		print_bytes(val, def->value_size);
		return;
	}
	if (json_output) {
		jsonw_name(json_wtr, "values");
		jsonw_start_array(json_wtr);
	}
	for (c = 0; c < nb; c++) {
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_uint_field(json_wtr, "cpu", c);
			jsonw_name(json_wtr, "value");
			print_bytes(val + c * stride, def->value_size);
			jsonw_end_object(json_wtr);
		} else {
			printf("%svalue (CPU %02u): ", first ? "" : "\n", c);
			print_bytes(val + c * stride, def->value_size);
		}
		first = 0;
	}
	if (json_output)
		jsonw_end_array(json_wtr);
}

static void
print_entry(const struct rte_xdp_ctl_map *map, const uint8_t *key,
	const uint8_t *val)
{
	const struct rte_xdp_map_def *def = &map->def;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_name(json_wtr, "key");
		print_bytes(key, def->key_size);
		print_value(map, val);
		jsonw_end_object(json_wtr);
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

static void
show_map(const struct rte_xdp_ctl_map *map)
{
	const struct rte_xdp_map_def *d = &map->def;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", map->id);
		jsonw_string_field(json_wtr, "type", map_type_name(d->type));
		jsonw_string_field(json_wtr, "name", map->name);
		jsonw_uint_field(json_wtr, "flags", d->map_flags);
		jsonw_uint_field(json_wtr, "bytes_key", d->key_size);
		jsonw_uint_field(json_wtr, "bytes_value", d->value_size);
		jsonw_uint_field(json_wtr, "max_entries", d->max_entries);
		jsonw_end_object(json_wtr);
	} else {
		printf("%u: %s  name %s  flags 0x%x\n", map->id,
			map_type_name(d->type), map->name, d->map_flags);
		printf("\tkey %uB  value %uB  max_entries %u\n", d->key_size,
			d->value_size, d->max_entries);
	}
}

static int
do_show(int argc, char **argv)
{
	struct rte_xdp_ctl_map *maps, one;
	int n, k;

	if (argc == 2) {
		if (find_map(argv[0], argv[1], &one) != 0)
			return -1;
		show_map(&one);
		return 0;
	}
	if (argc != 0)
		return fail("map show [id ID | name NAME]");
	n = map_list(&maps);
	if (n < 0)
		return -1;
	if (json_output)
		jsonw_start_array(json_wtr);
	for (k = 0; k < n; k++)
		show_map(&maps[k]);
	if (json_output)
		jsonw_end_array(json_wtr);
	free(maps);
	return 0;
}

static int
do_dump(int argc, char **argv)
{
	const struct rte_xdp_map_def *def;
	struct rte_xdp_ctl_map map;
	uint8_t key[MAX_KEY], next[MAX_KEY], *val;
	int ret, have_key = 0, n = 0, i = 0;

	if (parse_map(argc, argv, &i, &map) != 0)
		return -1;
	if (i != argc)
		return fail("map dump MAP");
	def = &map.def;
	val = malloc(map.user_value_size);
	if (val == NULL)
		return fail("out of memory");
	if (json_output)
		jsonw_start_array(json_wtr);
	for (;;) {
		ret = rte_xdp_ctl_map_get_next_key(ctl, map.id,
			have_key ? key : NULL, next);
		if (ret != 0)
			break;
		memcpy(key, next, def->key_size);
		have_key = 1;
		ret = rte_xdp_ctl_map_lookup(ctl, map.id, key, val);
		if (ret != 0) {
			/* as bpftool prints an entry it cannot read */
			if (json_output) {
				jsonw_start_object(json_wtr);
				jsonw_name(json_wtr, "key");
				print_bytes(key, def->key_size);
				jsonw_name(json_wtr, "value");
				jsonw_start_object(json_wtr);
				jsonw_string_field(json_wtr, "error",
					strerror(-ret));
				jsonw_end_object(json_wtr);
				jsonw_end_object(json_wtr);
			} else {
				printf("key:\n");
				print_bytes(key, def->key_size);
				printf("\nvalue:\n%s\n", strerror(-ret));
			}
			continue;
		}
		n++;
		print_entry(&map, key, val);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	else
		printf("Found %d element%s\n", n, n == 1 ? "" : "s");
	free(val);
	return 0;
}

static int
do_lookup(int argc, char **argv)
{
	const struct rte_xdp_map_def *def;
	struct rte_xdp_ctl_map map;
	uint8_t key[MAX_KEY], *val;
	int i = 0, ret;

	if (parse_map(argc, argv, &i, &map) != 0)
		return -1;
	def = &map.def;
	if (i + 1 > argc || strcmp(argv[i], "key") != 0)
		return fail("map lookup MAP key BYTES");
	i++;
	if (parse_bytes(argc, argv, &i, "key", key, def->key_size) != 0)
		return -1;
	if (i != argc)
		return fail("map lookup MAP key BYTES");
	val = malloc(map.user_value_size);
	if (val == NULL)
		return fail("out of memory");
	ret = rte_xdp_ctl_map_lookup(ctl, map.id, key, val);
	if (ret == -ENOENT) {
		/* bpftool: null (JSON) or "Not found", and a failure */
		if (!json_output) {
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
	print_entry(&map, key, val);
	free(val);
	return 0;
}

static int
do_getnext(int argc, char **argv)
{
	const struct rte_xdp_map_def *def;
	struct rte_xdp_ctl_map map;
	uint8_t key[MAX_KEY], next[MAX_KEY];
	int i = 0, have_key = 0, ret;

	if (parse_map(argc, argv, &i, &map) != 0)
		return -1;
	def = &map.def;
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
	ret = rte_xdp_ctl_map_get_next_key(ctl, map.id, have_key ? key : NULL,
		next);
	if (ret != 0)
		return fail("can't get next key: %s", strerror(-ret));
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_name(json_wtr, "key");
		if (have_key)
			print_bytes(key, def->key_size);
		else
			jsonw_null(json_wtr);
		jsonw_name(json_wtr, "next_key");
		print_bytes(next, def->key_size);
		jsonw_end_object(json_wtr);
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

/*
 * A batch's map updates against a primary go in one request while they
 * follow each other on one map with the same flags (bpf's
 * BPF_MAP_UPDATE_BATCH): each held back line is answered when the batch
 * is sent, before the next command of another kind runs. JSON output
 * and single commands send each at once.
 */
#define HELD_MAX 4096

static struct {
	struct rte_xdp_ctl_map map;
	uint64_t flags;
	uint32_t n;
	uint8_t *keys, *values;
	int lines[HELD_MAX];
} held;
static int batch_lineno;	/* the batch line being run, 0: none */

void
map_batch_line(int lineno)
{
	batch_lineno = lineno;
}

/* Send the held updates; on failure *lineno is the line that failed. */
int
map_flush(int *lineno)
{
	uint32_t n = held.n;
	int ret;

	if (n == 0)
		return 0;
	held.n = 0;
	ret = rte_xdp_ctl_map_update_batch(ctl, held.map.id, held.keys,
		held.values, &n, held.flags);
	if (ret == 0)
		return 0;
	if (lineno != NULL)
		*lineno = held.lines[n];
	return fail("update failed: %s", strerror(-ret));
}

static int
hold_update(const struct rte_xdp_ctl_map *map, const uint8_t *key,
	const uint8_t *val, uint64_t flags)
{
	size_t ks = map->def.key_size, vs = map->user_value_size;
	int ret;

	if (held.n != 0 && (held.map.id != map->id || held.flags != flags ||
	    held.n == HELD_MAX)) {
		ret = map_flush(NULL);
		if (ret != 0)
			return ret;
	}
	if (held.n == 0) {
		free(held.keys);
		free(held.values);
		held.keys = malloc(ks * HELD_MAX);
		held.values = malloc(vs * HELD_MAX);
		if (held.keys == NULL || held.values == NULL)
			return fail("out of memory");
		held.map = *map;
		held.flags = flags;
	}
	memcpy(held.keys + held.n * ks, key, ks);
	memcpy(held.values + held.n * vs, val, vs);
	held.lines[held.n++] = batch_lineno;
	return 0;
}

static int
do_update(int argc, char **argv)
{
	const struct rte_xdp_map_def *def;
	struct rte_xdp_ctl_map map;
	uint8_t key[MAX_KEY], *val;
	size_t stride, vsz;
	uint64_t flags = RTE_XDP_ANY;
	unsigned int c;
	int i = 0, ret;

	if (parse_map(argc, argv, &i, &map) != 0)
		return -1;
	def = &map.def;
	if (i >= argc || strcmp(argv[i], "key") != 0)
		return fail("map update MAP key BYTES value VALUE [any | exist | noexist]");
	i++;
	if (parse_bytes(argc, argv, &i, "key", key, def->key_size) != 0)
		return -1;
	if (i >= argc || strcmp(argv[i], "value") != 0)
		return fail("map update MAP key BYTES value VALUE [any | exist | noexist]");
	i++;
	vsz = map.user_value_size;
	stride = RTE_ALIGN_CEIL(def->value_size, 8);
	val = calloc(1, vsz);
	if (val == NULL)
		return fail("out of memory");
	if (i + 1 < argc && (strcmp(argv[i], "id") == 0 ||
	    strcmp(argv[i], "name") == 0 || strcmp(argv[i], "pinned") == 0) &&
	    map_holds_ids(def->type)) {
		/* bpftool's PROG or MAP value: its id goes in */
		uint32_t vid = 0;

		if (def->type == RTE_XDP_MAP_PROG_ARRAY) {
			struct rte_xdp_ctl_prog vp;

			if (find_prog(argv[i], argv[i + 1], &vp) == 0)
				vid = vp.info.id;
		} else {
			struct rte_xdp_ctl_map vm;

			if (find_map(argv[i], argv[i + 1], &vm) == 0)
				vid = vm.id;
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
	if (map_percpu(&map))
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
	if (live() && batch_lineno != 0 && !json_output)
		ret = hold_update(&map, key, val, flags);
	else if (rte_xdp_ctl_map_update(ctl, map.id, key, val, flags) != 0)
		ret = fail("update failed: %s", rte_xdp_ctl_error(ctl));
	else
		ret = 0;
	free(val);
	if (ret == 0 && json_output)
		jsonw_null(json_wtr);
	return ret;
}

static int
do_delete(int argc, char **argv)
{
	struct rte_xdp_ctl_map map;
	uint8_t key[MAX_KEY];
	int i = 0, ret;

	if (parse_map(argc, argv, &i, &map) != 0)
		return -1;
	if (i >= argc || strcmp(argv[i], "key") != 0)
		return fail("map delete MAP key BYTES");
	i++;
	if (parse_bytes(argc, argv, &i, "key", key, map.def.key_size) != 0)
		return -1;
	if (i != argc)
		return fail("map delete MAP key BYTES");
	ret = rte_xdp_ctl_map_delete(ctl, map.id, key);
	if (ret != 0)
		return fail("delete failed: %s", strerror(-ret));
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}

/*
 * map event_pipe MAP: the records programs sent through a perf event
 * array (bpftool map event_pipe) or a ring buffer. The first call on a
 * map opens a stream where the programs run (until then a program's
 * bpf_perf_event_output() gets -ENOENT, as in the kernel without a
 * reader). Against a primary, records stream until interrupted, as
 * bpftool's; in this process, each call prints the records waiting and
 * returns, so that a batch file reads them between runs.
 */
static struct {
	uint32_t map_id;
	int stream;
} pipes[MAX_OBJS];
static int nb_pipes;
static volatile sig_atomic_t stop_pipe;

static void
print_event(unsigned int cpu, const void *data, uint32_t size, int perf)
{
	uint32_t i;

	if (json_output) {
		jsonw_start_object(json_wtr);
		if (perf) {
			jsonw_uint_field(json_wtr, "type", 9);
			jsonw_uint_field(json_wtr, "cpu", cpu);
			jsonw_uint_field(json_wtr, "index", cpu);
		}
		jsonw_uint_field(json_wtr, "size", size);
		jsonw_name(json_wtr, "data");
		jsonw_start_array(json_wtr);
		for (i = 0; i < size; i++)
			jsonw_uint(json_wtr, ((const uint8_t *)data)[i]);
		jsonw_end_array(json_wtr);
		jsonw_end_object(json_wtr);
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
on_event(void *arg, unsigned int cpu, const void *data, uint32_t size,
	uint64_t lost)
{
	int perf = *(const int *)arg;

	if (data != NULL) {
		print_event(cpu, data, size, perf);
	} else if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "type", 2);
		jsonw_uint_field(json_wtr, "cpu", cpu);
		jsonw_uint_field(json_wtr, "index", cpu);
		jsonw_name(json_wtr, "lost");
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "count", lost);
		jsonw_end_object(json_wtr);
		jsonw_end_object(json_wtr);
	} else {
		printf("== CPU: %u index: %u =====\nlost %" PRIu64 " events\n",
			cpu, cpu, lost);
	}
}

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	stop_pipe = 1;
}

static int
do_event_pipe(int argc, char **argv)
{
	struct rte_xdp_ctl_map map;
	int i = 0, k, perf, n;

	if (parse_map(argc, argv, &i, &map) != 0)
		return -1;
	if (i != argc)
		return fail("map event_pipe MAP");
	if (map.def.type != RTE_XDP_MAP_RINGBUF &&
	    map.def.type != RTE_XDP_MAP_PERF_EVENT_ARRAY)
		return fail("map %s is neither a perf event array nor a ring buffer",
			map.name);
	perf = map.def.type == RTE_XDP_MAP_PERF_EVENT_ARRAY;
	for (k = 0; k < nb_pipes && pipes[k].map_id != map.id; k++)
		;
	if (k == nb_pipes) {
		if (nb_pipes == MAX_OBJS)
			return fail("too many event pipes");
		pipes[k].stream = rte_xdp_ctl_events_open(ctl, map.id);
		if (pipes[k].stream < 0)
			return ctl_fail("failed to open the event stream");
		pipes[k].map_id = map.id;
		nb_pipes++;
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	if (!live()) {
		n = rte_xdp_ctl_events_read(ctl, pipes[k].stream, on_event,
			&perf);
	} else {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		do {
			n = rte_xdp_ctl_events_read(ctl, pipes[k].stream,
				on_event, &perf);
			fflush(stdout);
			if (n == 0)
				usleep(10 * 1000);
		} while (n >= 0 && !stop_pipe);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	if (n < 0)
		return ctl_fail("event_pipe");
	return 0;
}

static int
do_help(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	return print_usage(
		"Usage: %1$s map { show | list } [MAP]\n"
		"       %1$s map dump MAP\n"
		"       %1$s map lookup MAP key BYTES\n"
		"       %1$s map getnext MAP [key BYTES]\n"
		"       %1$s map update MAP key BYTES value VALUE [UPDATE_FLAGS]\n"
		"       %1$s map delete MAP key BYTES\n"
		"       %1$s map event_pipe MAP\n"
		"       %1$s map help\n"
		"\n"
		"       MAP := { id MAP_ID | name MAP_NAME | OBJ name MAP_NAME }\n"
		"       PROG := { id PROG_ID | name PROG_NAME }\n"
		"       VALUE := { BYTES | MAP | PROG }\n"
		"       UPDATE_FLAGS := { any | exist | noexist }\n"
		"       BYTES := [hex] BYTE...\n"
		"       " HELP_SPEC_OPTIONS " }\n",
		bin_name);
}

static const struct cmd cmds[] = {
	{ "show", do_show },
	{ "list", do_show },
	{ "help", do_help },
	{ "dump", do_dump },
	{ "update", do_update },
	{ "lookup", do_lookup },
	{ "getnext", do_getnext },
	{ "delete", do_delete },
	{ "event_pipe", do_event_pipe },
	{ NULL, NULL },
};

int
do_map(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}

/* Close the event pipes opened by map event_pipe. */
void
map_cleanup(void)
{
	int i;

	for (i = 0; i < nb_pipes; i++)
		rte_xdp_ctl_events_close(ctl, pipes[i].stream);
	nb_pipes = 0;
	free(held.keys);
	free(held.values);
	held.keys = NULL;
	held.values = NULL;
}
