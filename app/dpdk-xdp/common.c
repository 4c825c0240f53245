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
struct rte_xdp_ctl *ctl;

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

int
ctl_fail(const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fail("%s%s%s", what, what[0] != '\0' ? ": " : "",
		rte_xdp_ctl_error(ctl));
}

/*
 * Load an object where the programs run: this process, or the primary.
 * Here, test runs may address 4 KiB past data (PKT_WINDOW), as the
 * kernel's test frames allow; there, the ports' frames decide (the
 * library's default window).
 */
const struct rte_xdp_ctl_obj *
load_obj_opts(const char *path, const struct load_opts *lo)
{
	struct rte_xdp_ctl_load_opts o = {
		.verify = verify, .force_xdp = lo->force_xdp, .sec = lo->sec,
		.pin = lo->pin, .pkt_window = live() ? 0 : PKT_WINDOW,
		.nb_sizes = lo->nb_sizes,
	};
	unsigned int i;
	int k;

	for (k = 0; k < nb_objs; k++)
		if (strcmp(objs[k].path, path) == 0)
			return &objs[k].obj;
	if (nb_objs == MAX_OBJS) {
		fail("too many objects loaded (%d)", MAX_OBJS);
		return NULL;
	}
	for (i = 0; i < lo->nb_sizes; i++) {
		o.size_map[i] = lo->size_map[i];
		o.size[i] = lo->size[i];
	}
	if (rte_xdp_ctl_obj_load(ctl, path, &o, &objs[nb_objs].obj) != 0) {
		fail("%s", rte_xdp_ctl_error(ctl));
		return NULL;
	}
	strlcpy(objs[nb_objs].path, path, sizeof(objs[0].path));
	forget_maps();
	return &objs[nb_objs++].obj;
}

const struct rte_xdp_ctl_obj *
load_obj(const char *path, const char *sec)
{
	struct load_opts lo = { .sec = sec };

	return load_obj_opts(path, &lo);
}

int
prog_list(struct rte_xdp_ctl_prog **progs)
{
	int n, got;

	*progs = NULL;
	for (;;) {
		n = rte_xdp_ctl_prog_list(ctl, NULL, 0);
		if (n <= 0)
			return n < 0 ? ctl_fail("cannot list programs") : 0;
		free(*progs);
		*progs = calloc(n, sizeof(**progs));
		if (*progs == NULL)
			return fail("out of memory");
		got = rte_xdp_ctl_prog_list(ctl, *progs, n);
		if (got < 0) {
			free(*progs);
			*progs = NULL;
			return ctl_fail("cannot list programs");
		}
		if (got <= n)	/* else some were loaded meanwhile */
			return got;
	}
}

int
map_list(struct rte_xdp_ctl_map **maps)
{
	int n, got;

	*maps = NULL;
	for (;;) {
		n = rte_xdp_ctl_map_list(ctl, NULL, 0);
		if (n <= 0)
			return n < 0 ? ctl_fail("cannot list maps") : 0;
		free(*maps);
		*maps = calloc(n, sizeof(**maps));
		if (*maps == NULL)
			return fail("out of memory");
		got = rte_xdp_ctl_map_list(ctl, *maps, n);
		if (got < 0) {
			free(*maps);
			*maps = NULL;
			return ctl_fail("cannot list maps");
		}
		if (got <= n)
			return got;
	}
}

/* A listed program kept past its list: info's strings follow it. */
static void
prog_keep(struct rte_xdp_ctl_prog *dst, const struct rte_xdp_ctl_prog *src)
{
	*dst = *src;
	dst->info.name = dst->name;
	dst->info.section = dst->section;
	dst->info.license = dst->license;
	if (src->info.jit != NULL)
		dst->info.jit = dst->jit;
}

/*
 * The program of "id ID", "name NAME" or "pinned PATH" (the first
 * program of the object pinned there, as bpftool's prog load pins its
 * first program). Two programs of that name: an error, as bpftool's.
 */
int
find_prog(const char *by, const char *what, struct rte_xdp_ctl_prog *prog)
{
	unsigned long want = 0;
	struct rte_xdp_ctl_prog *p;
	int n, k, found = -1;
	char *end;

	if (strcmp(by, "id") == 0) {
		want = strtoul(what, &end, 0);
		if (*end != '\0' || want == 0 || want > UINT32_MAX)
			return fail("can't parse %s as ID", what);
	}
	n = prog_list(&p);
	if (n < 0)
		return -1;
	for (k = 0; k < n; k++) {
		if (want != 0 ? p[k].info.id != want :
		    strcmp(by, "pinned") == 0 ? strcmp(p[k].pin, what) != 0 :
		    strcmp(p[k].name, what) != 0)
			continue;
		if (found >= 0 && strcmp(by, "name") == 0) {
			free(p);
			return fail("several programs match this handle");
		}
		if (found < 0)
			found = k;
	}
	if (found >= 0)
		prog_keep(prog, &p[found]);
	free(p);
	if (found < 0)
		return fail("can't find program %s %s", by, what);
	return 0;
}

/*
 * Maps seen by the last list: a batch of map commands looks them up
 * without asking again; a map not there (made since) refreshes it.
 */
static struct rte_xdp_ctl_map *seen_maps;
static int nb_seen_maps;

void
forget_maps(void)
{
	free(seen_maps);
	seen_maps = NULL;
	nb_seen_maps = 0;
}

static int
find_seen_map(unsigned long want, const char *what,
	struct rte_xdp_ctl_map *map)
{
	int k;

	for (k = 0; k < nb_seen_maps; k++)
		if (want != 0 ? seen_maps[k].id == want :
		    strcmp(seen_maps[k].name, what) == 0) {
			*map = seen_maps[k];
			return 0;
		}
	return -1;
}

int
find_map(const char *by, const char *what, struct rte_xdp_ctl_map *map)
{
	unsigned long want = 0;
	char *end;
	int n;

	if (strcmp(by, "id") == 0) {
		want = strtoul(what, &end, 0);
		if (*end != '\0' || want == 0 || want > UINT32_MAX)
			return fail("can't parse %s as ID", what);
	}
	if (find_seen_map(want, what, map) == 0)
		return 0;
	forget_maps();
	n = map_list(&seen_maps);
	if (n < 0)
		return -1;
	nb_seen_maps = n;
	if (find_seen_map(want, what, map) == 0)
		return 0;
	return fail("can't find map %s %s", by, what);
}

static bool
is_handle(const char *w)
{
	return strcmp(w, "id") == 0 || strcmp(w, "name") == 0 ||
		strcmp(w, "pinned") == 0;
}

/*
 * PROG := id ID | name NAME | pinned PATH | OBJ [sec NAME | name NAME]
 * Consumes the words it uses (*i). An OBJ is loaded if this run has not
 * loaded it yet.
 */
int
parse_prog(int argc, char **argv, int *i, struct rte_xdp_ctl_prog *prog)
{
	const struct rte_xdp_ctl_obj *obj;
	struct rte_xdp_ctl_prog *p;
	const char *want = NULL;
	unsigned int j;
	int n, k;

	if (*i + 1 < argc && is_handle(argv[*i])) {
		*i += 2;
		return find_prog(argv[*i - 2], argv[*i - 1], prog);
	}
	if (*i >= argc)
		return fail("expected PROG (id ID, name NAME, pinned PATH or OBJ)");
	obj = load_obj(argv[*i], NULL);
	if (obj == NULL)
		return -1;
	(*i)++;
	if (*i + 1 < argc && (strcmp(argv[*i], "sec") == 0 ||
	    strcmp(argv[*i], "name") == 0)) {
		want = argv[*i + 1];
		*i += 2;
	}
	n = prog_list(&p);
	if (n < 0)
		return -1;
	for (j = 0; j < obj->nb_progs; j++)
		for (k = 0; k < n; k++)
			if (p[k].info.id == obj->prog_ids[j] &&
			    (want == NULL || strcmp(p[k].name, want) == 0 ||
			     strcmp(p[k].section, want) == 0)) {
				prog_keep(prog, &p[k]);
				free(p);
				return 0;
			}
	free(p);
	return fail("%s: no program %s", argv[*i - (want != NULL ? 3 : 1)],
		want != NULL ? want : "loaded");
}

/* MAP := id ID | name NAME | OBJ name NAME */
int
parse_map(int argc, char **argv, int *i, struct rte_xdp_ctl_map *map)
{
	if (*i + 1 < argc && (strcmp(argv[*i], "id") == 0 ||
	    strcmp(argv[*i], "name") == 0)) {
		*i += 2;
		return find_map(argv[*i - 2], argv[*i - 1], map);
	}
	if (*i + 2 < argc && strcmp(argv[*i + 1], "name") == 0) {
		if (load_obj(argv[*i], NULL) == NULL)
			return -1;
		*i += 3;
		return find_map("name", argv[*i - 1], map);
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
