/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every command shares: the loaded objects, finding a program or a
 * map by the words that name it (PROG, MAP), parsing bytes, errors.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_string_fns.h>

#include "main.h"

bool json_output;
bool pretty_output;
json_writer_t *json_wtr;
enum rte_xdp_verify_policy verify = RTE_XDP_VERIFY_AUTO;
struct rte_mempool *pool;

struct loaded_obj objs[MAX_OBJS];
int nb_objs;

char errmsg[4096];

int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	return -1;
}

struct rte_xdp_obj *
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

struct rte_xdp_obj *
load_obj(const char *path, const char *sec)
{
	struct load_opts lo = { .sec = sec };

	return load_obj_opts(path, &lo);
}

/* Object of a loaded program or map, and its index in it. */
int
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

int
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
int
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
int
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
int
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

/* help: the usage on standard error, or null in JSON, as bpftool. */
int
print_usage(const char *fmt, ...)
{
	va_list ap;

	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	return 0;
}

/* Bytes as bpftool prints keys and values: "01 02", or ["0x01","0x02"]. */
void
print_bytes(const uint8_t *b, size_t n)
{
	size_t i;

	if (json_output) {
		jsonw_start_array(json_wtr);
		for (i = 0; i < n; i++)
			jsonw_printf(json_wtr, "\"0x%02x\"", b[i]);
		jsonw_end_array(json_wtr);
		return;
	}
	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", b[i]);
}
