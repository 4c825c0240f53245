/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prog commands: load, show (and the report over a directory), run.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "jit_disasm.h"
#include "main.h"
#include "xlated_dumper.h"

static const char *
attach_name(enum rte_xdp_attach a)
{
	return a == RTE_XDP_ATTACH_DEVMAP ? "xdp_devmap" :
		a == RTE_XDP_ATTACH_CPUMAP ? "xdp_cpumap" : "xdp";
}

/* A program as bpftool prog show shows it, with what the rewriter did. */
static void
show_prog(const struct rte_xdp_ctl_prog *p)
{
	const struct rte_xdp_prog_info *pi = &p->info;
	unsigned int m;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", pi->id);
		jsonw_string_field(json_wtr, "type", "xdp");
		jsonw_string_field(json_wtr, "name", p->name);
		jsonw_string_field(json_wtr, "section", p->section);
		jsonw_string_field(json_wtr, "attach_type",
			attach_name(pi->attach));
		jsonw_bool_field(json_wtr, "gpl_compatible",
			strstr(p->license, "GPL") != NULL);
		if (p->run_cnt != 0) {
			jsonw_uint_field(json_wtr, "run_time_ns",
				p->run_time_ns);
			jsonw_uint_field(json_wtr, "run_cnt", p->run_cnt);
		}
		jsonw_bool_field(json_wtr, "frags", pi->frags);
		jsonw_uint_field(json_wtr, "bytes_xlated", pi->nb_xlated * 8);
		jsonw_bool_field(json_wtr, "jited", pi->jited_size != 0);
		jsonw_uint_field(json_wtr, "bytes_jited", pi->jited_size);
		if (pi->jit != NULL)
			jsonw_string_field(json_wtr, "jit", pi->jit);
		else
			jsonw_null_field(json_wtr, "jit");
		jsonw_name(json_wtr, "map_ids");
		jsonw_start_array(json_wtr);
		for (m = 0; m < p->nb_maps; m++)
			jsonw_uint(json_wtr, p->map_ids[m]);
		jsonw_end_array(json_wtr);
		if (p->pin[0] != '\0') {
			jsonw_name(json_wtr, "pinned");
			jsonw_start_array(json_wtr);
			jsonw_string(json_wtr, p->pin);
			jsonw_end_array(json_wtr);
		}
		jsonw_bool_field(json_wtr, "verified_by_kernel",
			pi->verified_by_kernel);
		jsonw_uint_field(json_wtr, "insns", pi->nb_insns);
		jsonw_uint_field(json_wtr, "clamps", pi->nb_clamps);
		jsonw_uint_field(json_wtr, "clamp_limit", pi->clamp_limit);
		jsonw_uint_field(json_wtr, "spills", pi->nb_spills);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("%u: xdp  name %s  section %s%s%s", pi->id, p->name, p->section,
		strstr(p->license, "GPL") ? "  gpl" : "",
		pi->frags ? "  frags" : "");
	if (p->run_cnt != 0)
		printf("  run_time_ns %" PRIu64 " run_cnt %" PRIu64,
			p->run_time_ns, p->run_cnt);
	printf("\n\txlated %uB  %s %zuB%s%s%s  insns %u", pi->nb_xlated * 8,
		pi->jited_size ? "jited" : "interpreted", pi->jited_size,
		pi->jit ? " (" : "", pi->jit ? pi->jit : "", pi->jit ? ")" : "",
		pi->nb_insns);
	if (p->nb_maps != 0) {
		printf("  map_ids ");
		for (m = 0; m < p->nb_maps; m++)
			printf("%s%u", m ? "," : "", p->map_ids[m]);
	}
	printf("\n\tverified by %s", pi->verified_by_kernel ? "kernel" :
		"builtin");
	if (pi->attach != RTE_XDP_ATTACH_RX)
		printf("  attach %s", attach_name(pi->attach));
	if (pi->nb_clamps != 0)
		printf("  clamped offsets %u (frames up to %uB)", pi->nb_clamps,
			pi->clamp_limit);
	if (pi->nb_spills != 0)
		printf("  spills %u", pi->nb_spills);
	printf("\n");
	if (p->pin[0] != '\0')
		printf("\tpinned %s\n", p->pin);
}

/*
 * prog load OBJ [PATH] [sec NAME] [type xdp] [map name NAME max_entries N]...
 * PATH, bpftool's pin: the object stays loaded under it after this run
 * ends (live: in the primary), until prog unpin PATH.
 */
static int
do_load(int argc, char **argv)
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
		} else if (i == 1 && strcmp(argv[i], "pinned") != 0) {
			lo.pin = argv[i];
		} else if (i == 1 && i + 1 < argc) {
			lo.pin = argv[++i];
		} else {
			goto usage;
		}
	}
	if (load_obj_opts(argv[0], &lo) == NULL)
		return -1;
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
usage:
	return fail("prog load OBJ [PATH] [sec NAME] [type xdp] [map name NAME max_entries N]...");
}

/* prog unpin PATH: bpftool users rm the pin; the object may go then. */
static int
do_unpin(int argc, char **argv)
{
	if (argc != 1)
		return fail("prog unpin PATH");
	forget_maps();
	if (rte_xdp_ctl_obj_unpin(ctl, argv[0]) != 0)
		return fail("%s", rte_xdp_ctl_error(ctl));
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
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
	report_n++;
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "object", obj);
		jsonw_string_field(json_wtr, "program", prog);
		jsonw_string_field(json_wtr, "section", sec);
		jsonw_bool_field(json_wtr, "loads", loads > 0);
		jsonw_bool_field(json_wtr, "xdp", loads >= 0);
		jsonw_string_field(json_wtr, "reason", why);
		jsonw_end_object(json_wtr);
		return;
	}
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
report_object(const char *dir, const char *name, int force_xdp)
{
	struct rte_xdp_obj_opts o = {
		.verify = verify, .socket_id = SOCKET_ID_ANY,
		.pkt_window = PKT_WINDOW, .force_xdp = force_xdp,
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
report_dir(const char *dir, int force_xdp)
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
	if (json_output)
		jsonw_start_array(json_wtr);
	else
		printf("%-24s %-24s %-20s %s\n", "OBJECT", "PROGRAM", "SECTION",
			"RESULT");
	for (k = 0; k < nb; k++) {
		report_object(dir, names[k], force_xdp);
		free(names[k]);
	}
	free(names);
	if (json_output)
		jsonw_end_array(json_wtr);
	else
		printf("%zu objects: %d programs load, %d refused, %d not XDP\n",
			nb, report_ok, report_refused, report_other);
	return 0;
}

static int
do_show(int argc, char **argv)
{
	const struct rte_xdp_ctl_obj *obj = NULL;
	struct rte_xdp_ctl_prog *progs, one;
	struct stat st;
	unsigned int j;
	int n, k;

	/* type xdp: programs of sections libbpf does not know are XDP */
	if (argc >= 2 && strcmp(argv[0], "dir") == 0 && live())
		return fail("prog show dir loads each program in this process: run it without a primary");
	if (argc == 4 && strcmp(argv[0], "dir") == 0 &&
	    strcmp(argv[2], "type") == 0 && strcmp(argv[3], "xdp") == 0)
		return report_dir(argv[1], 1);
	if (argc == 2 && strcmp(argv[0], "dir") == 0)
		return report_dir(argv[1], 0);
	if (argc == 1 && !live() && stat(argv[0], &st) == 0 &&
	    S_ISDIR(st.st_mode))
		return report_dir(argv[0], 0);
	if (argc == 2 && (strcmp(argv[0], "id") == 0 ||
	    strcmp(argv[0], "name") == 0 || strcmp(argv[0], "pinned") == 0)) {
		if (find_prog(argv[0], argv[1], &one) != 0)
			return -1;
		show_prog(&one);
		return 0;
	}
	if (argc == 1) {
		/* prog show OBJ: that object's programs */
		obj = load_obj(argv[0], NULL);
		if (obj == NULL)
			return -1;
	} else if (argc != 0) {
		return fail("prog show [id ID | name NAME | pinned PATH | OBJ | dir DIR [type xdp]]");
	}
	n = prog_list(&progs);
	if (n < 0)
		return -1;
	if (json_output)
		jsonw_start_array(json_wtr);
	for (k = 0; k < n; k++) {
		for (j = 0; obj != NULL && j < obj->nb_progs &&
		     obj->prog_ids[j] != progs[k].info.id; j++)
			;
		if (obj == NULL || j < obj->nb_progs)
			show_prog(&progs[k]);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	free(progs);
	return 0;
}

/* Reads at most max bytes of a file ("-": standard input). */
static int
read_file(const char *path, uint8_t *buf, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");

	if (f == NULL)
		return fail("failed to open %s: %s", path, strerror(errno));
	*len = fread(buf, 1, max, f);
	if (f != stdin)
		fclose(f);
	return 0;
}

/* bpftool's hex dump: offset, 16 bytes in pairs, the printable ones. */
static void
hex_print(const uint8_t *data, size_t size)
{
	size_t i, j;

	for (i = 0; i < size; i += 16) {
		printf("%07zx\t", i);
		for (j = i; j < i + 16; j++) {
			if (j < size)
				printf("%02x", data[j]);
			else
				printf("  ");
			if (j % 2)
				printf(" ");
		}
		printf("| ");
		for (j = i; j < i + 16 && j < size; j++)
			printf("%c%s", data[j] >= ' ' && data[j] <= '~' ?
				data[j] : '.', j == i + 7 ? " " : "");
		printf("\n");
	}
}

/*
 * A test run's output as bpftool gives it: into a file, or for "-" on
 * standard output (a hex dump, or a JSON array named key).
 */
static int
print_run_output(const char *path, const void *buf, size_t len,
	const char *key)
{
	size_t i;
	FILE *f;

	if (path == NULL)
		return 0;
	if (strcmp(path, "-") == 0) {
		if (!json_output) {
			hex_print(buf, len);
			return 0;
		}
		jsonw_name(json_wtr, key);
		jsonw_start_array(json_wtr);
		for (i = 0; i < len; i++)
			jsonw_uint(json_wtr, ((const uint8_t *)buf)[i]);
		jsonw_end_array(json_wtr);
		return 0;
	}
	f = fopen(path, "wb");
	if (f == NULL)
		return fail("failed to open %s: %s", path, strerror(errno));
	if (fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return fail("failed to write output data/ctx: %s", path);
	}
	fclose(f);
	return 0;
}

/* The kernel's MAX_SKB_FRAGS: frags a test-run frame may have. */
#define TEST_MAX_FRAGS 17
#define TEST_MAX_IN (TEST_MAX_DATA + 32 + TEST_MAX_FRAGS * TEST_FRAME_SZ)
/* bpftool's output buffers when data_size_out/ctx_size_out are not given */
#define RUN_DEFAULT_SIZE_OUT (32 * 1024)

/* A test run's request, as bpftool makes it from its arguments. */
struct run_req {
	const char *data_in, *data_out, *ctx_in, *ctx_out;
	uint32_t data_size_out, ctx_size_out, repeat;
};

/* A test run's failure: bpftool's message (and ours), the -errno. */
static int
run_fail(int err, const char *why)
{
	if (why == NULL || why[0] == '\0')
		fail("failed to run program: %s", strerror(-err));
	else
		fail("failed to run program: %s (%s)", strerror(-err), why);
	return err;
}

/*
 * bpf(BPF_PROG_TEST_RUN) where the program runs (rte_xdp_prog_test_run():
 * the kernel's frame, checks and errors). 0 or -errno.
 */
static int
test_run(const struct rte_xdp_ctl_prog *prog, const struct run_req *rq,
	struct rte_xdp_test_run *t)
{
	uint8_t *buf, ctx_buf[TEST_FRAME_SZ + 1];
	size_t len, mdlen = 0;
	int ret = -1;

	if (prog->info.attach != RTE_XDP_ATTACH_RX)
		return run_fail(-EINVAL, prog->info.attach ==
			RTE_XDP_ATTACH_DEVMAP ?
			"xdp_devmap programs are not test-run, as in the kernel" :
			"xdp_cpumap programs are not test-run, as in the kernel");
	buf = malloc(TEST_MAX_IN + 1);
	if (buf == NULL)
		return fail("out of memory");
	if (read_file(rq->data_in, buf, TEST_MAX_IN + 1, &len) != 0 ||
	    (rq->ctx_in != NULL &&
	     read_file(rq->ctx_in, ctx_buf, sizeof(ctx_buf), &mdlen) != 0))
		goto out;
	t->data_in = buf;
	t->data_size_in = len;
	t->ctx_in = rq->ctx_in != NULL ? ctx_buf : NULL;
	t->ctx_size_in = mdlen;
	t->repeat = rq->repeat;
	ret = rte_xdp_ctl_prog_test_run(ctl, prog->info.id, t);
	if (ret != 0)
		ret = run_fail(ret, ret == -ENOSPC ? NULL :
			rte_xdp_ctl_error(ctl));
out:
	free(buf);
	return ret;
}

/* A size or count as bpftool reads it (strtoul), but only what fits. */
static int
parse_u32(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (s[0] == '\0' || s[strspn(s, " \t")] == '-')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (*end != '\0' || errno != 0 || n > UINT32_MAX)
		return -1;
	*v = n;
	return 0;
}

/*
 * prog run PROG data_in FILE [data_out FILE [data_size_out L]]
 *		 [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat N]
 * as bpftool prog run: keywords by prefix; the output buffers are 32 KiB
 * unless sized; the kernel's errors (a frame larger than data_size_out:
 * ENOSPC) end the command with its status (-errno), nothing written.
 */
static int
do_run(int argc, char **argv)
{
	struct run_req rq = { .repeat = 1 };
	struct rte_xdp_test_run t = { 0 };
	struct test_xdp_md ctx_out;
	struct rte_xdp_ctl_prog prog;
	int i = 0, ret;

	if (parse_prog(argc, argv, &i, &prog) != 0)
		return -1;
	while (i < argc) {
		const char *kw = argv[i];

		if (detect_common_prefix(kw, "data_in", "data_out",
			"data_size_out", NULL) != 0 ||
		    detect_common_prefix(kw, "ctx_in", "ctx_out",
			"ctx_size_out", NULL) != 0)
			return -1;
		if (!is_prefix(kw, "data_in") && !is_prefix(kw, "data_out") &&
		    !is_prefix(kw, "data_size_out") &&
		    !is_prefix(kw, "ctx_in") && !is_prefix(kw, "ctx_out") &&
		    !is_prefix(kw, "ctx_size_out") && !is_prefix(kw, "repeat"))
			return fail("expected no more arguments, 'data_in', 'data_out', 'data_size_out', 'ctx_in', 'ctx_out', 'ctx_size_out' or 'repeat', got: '%s'?",
				kw);
		if (i + 1 >= argc)
			return fail("'%s' needs at least 1 arguments, 0 found",
				kw);
		i += 2;
		if (is_prefix(kw, "data_in")) {
			rq.data_in = argv[i - 1];
		} else if (is_prefix(kw, "data_out")) {
			rq.data_out = argv[i - 1];
		} else if (is_prefix(kw, "ctx_in")) {
			rq.ctx_in = argv[i - 1];
		} else if (is_prefix(kw, "ctx_out")) {
			rq.ctx_out = argv[i - 1];
		} else if (is_prefix(kw, "data_size_out")) {
			if (parse_u32(argv[i - 1], &rq.data_size_out) != 0)
				return fail("can't parse %s as output data size",
					argv[i - 1]);
		} else if (is_prefix(kw, "ctx_size_out")) {
			if (parse_u32(argv[i - 1], &rq.ctx_size_out) != 0)
				return fail("can't parse %s as output context size",
					argv[i - 1]);
		} else if (parse_u32(argv[i - 1], &rq.repeat) != 0) {
			return fail("can't parse %s as repeat number",
				argv[i - 1]);
		}
	}
	if (rq.data_in != NULL && rq.ctx_in != NULL &&
	    strcmp(rq.data_in, "-") == 0 && strcmp(rq.ctx_in, "-") == 0)
		return fail("cannot use standard input for both data_in and ctx_in");
	if (rq.data_in == NULL)
		return run_fail(-EINVAL, "no data_in");
	/* bpftool always hands the kernel output buffers, of 32 KiB unless
	 * sized */
	t.data_size_out = rq.data_size_out != 0 ? rq.data_size_out :
		RUN_DEFAULT_SIZE_OUT;
	t.ctx_size_out = rq.ctx_size_out != 0 ? rq.ctx_size_out :
		RUN_DEFAULT_SIZE_OUT;
	t.ctx_size_out = RTE_MIN(t.ctx_size_out, (uint32_t)sizeof(ctx_out));
	if (rq.ctx_size_out != 0 && rq.ctx_size_out < sizeof(ctx_out))
		t.ctx_size_out = rq.ctx_size_out;
	t.data_out = calloc(1, t.data_size_out);
	t.ctx_out = &ctx_out;
	if (t.data_out == NULL)
		return fail("failed to allocate memory for output data/ctx: %s",
			strerror(ENOMEM));
	ret = test_run(&prog, &rq, &t);
	if (ret != 0)
		goto out;
	if (json_output)
		jsonw_start_object(json_wtr);
	/* as bpftool: the run is reported even when an output fails */
	ret = print_run_output(rq.data_out, t.data_out, t.data_size_out,
		"data_out");
	if (rq.ctx_in != NULL)
		ret += print_run_output(rq.ctx_out, &ctx_out, t.ctx_size_out,
			"ctx_out");
	if (json_output) {
		jsonw_uint_field(json_wtr, "retval", t.retval);
		jsonw_uint_field(json_wtr, "duration", t.duration);
		jsonw_end_object(json_wtr);
	} else {
		printf("Return value: %u, duration%s: %uns\n", t.retval,
			rq.repeat > 1 ? " (average)" : "", t.duration);
	}
	if (ret != 0)
		ret = -1;
out:
	free(t.data_out);
	return ret;
}

/* dump ... file FILE: the raw code of every function, one after another. */
static int
dump_to_file(const struct rte_xdp_ctl_xlated *xl, bool jited,
	const char *path)
{
	FILE *f = fopen(path, "wb");
	unsigned int func;
	int ret = 0;

	if (f == NULL)
		return fail("can't open file %s: %s", path, strerror(errno));
	for (func = 0; ret == 0 && func < xl->nb_funcs; func++) {
		const struct rte_xdp_xlated *x = &xl->funcs[func];
		const void *b = jited ? x->jit : (const void *)x->insns;
		size_t n = jited ? x->jit_size :
			x->nb_insns * sizeof(*x->insns);

		if (b != NULL && fwrite(b, 1, n, f) != n)
			ret = fail("error writing output file: %s",
				strerror(errno));
	}
	fclose(f);
	if (ret == 0 && json_output)
		jsonw_null(json_wtr);
	return ret;
}

/* The JIT code of each function, in bpftool's shape. */
static int
dump_jited(const struct rte_xdp_ctl_prog *prog,
	const struct rte_xdp_ctl_xlated *xl, bool opcodes)
{
	const char *dis = jit_disasm_name();
	unsigned int func;

	if (json_output)
		jsonw_start_array(json_wtr);
	for (func = 0; func < xl->nb_funcs; func++) {
		const struct rte_xdp_xlated *x = &xl->funcs[func];
		char name[128];

		if (func == 0)
			snprintf(name, sizeof(name), "%s", prog->name);
		else
			snprintf(name, sizeof(name), "%s_callback%u",
				prog->name, func);
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_string_field(json_wtr, "name", name);
			if (dis != NULL)
				jsonw_string_field(json_wtr, "disassembler",
					dis);
			else
				jsonw_null_field(json_wtr, "disassembler");
			jsonw_name(json_wtr, "insns");
		} else {
			printf("%s%s:\n", func != 0 ? "\n" : "", name);
			if (func == 0 && dis == NULL)
				printf("; no disassembler (dpdk-xdp was built without capstone): the code's bytes\n");
		}
		if (x->jit == NULL) {
			/* a callback rte_bpf could not JIT */
			if (json_output)
				jsonw_null(json_wtr);
			else
				printf("; interpreted\n");
		} else {
			jit_disasm_print(x->jit, x->jit_size, opcodes);
		}
		if (json_output)
			jsonw_end_object(json_wtr);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	return 0;
}

/*
 * prog dump xlated PROG [file FILE | opcodes | linum]...
 * prog dump jited PROG [file FILE | opcodes | linum]...
 * as bpftool: the program as rte_bpf runs it (after our rewrite), with
 * what the rewriter did; the JIT's code. Source lines come from the
 * object's BTF when its file can be read here.
 */
static int
do_dump(int argc, char **argv)
{
	bool jited, opcodes = false, linum = false;
	struct rte_xdp_ctl_xlated xl;
	struct rte_xdp_ctl_prog prog;
	const char *file = NULL;
	struct btf_lines *bl;
	unsigned int func;
	int i = 1, ret;

	if (argc < 1)
		return fail("expected 'xlated' or 'jited'");
	if (is_prefix(argv[0], "jited"))
		jited = true;
	else if (is_prefix(argv[0], "xlated"))
		jited = false;
	else
		return fail("expected 'xlated' or 'jited', got: %s", argv[0]);
	if (parse_prog(argc, argv, &i, &prog) != 0)
		return -1;
	for (; i < argc; i++) {
		if (is_prefix(argv[i], "file") && i + 1 < argc)
			file = argv[++i];
		else if (is_prefix(argv[i], "opcodes"))
			opcodes = true;
		else if (is_prefix(argv[i], "linum"))
			linum = true;
		else
			return fail("expected no more arguments, 'file', 'opcodes' or 'linum', got: '%s'?",
				argv[i]);
	}
	if (file != NULL && (opcodes || linum))
		return fail("'file' is not compatible with 'opcodes' or 'linum'");
	if (jited && linum)
		return fail("'linum' needs the JIT's line table, which rte_bpf does not keep");
	if (jited && prog.info.jited_size == 0)
		return fail("no instructions returned: %s is interpreted (rte_bpf has no JIT code for it)",
			prog.name);
	if (rte_xdp_ctl_prog_xlated(ctl, prog.info.id, &xl) != 0)
		return ctl_fail("program %s", prog.name);
	if (file != NULL) {
		ret = dump_to_file(&xl, jited, file);
	} else if (jited) {
		ret = dump_jited(&prog, &xl, opcodes);
	} else {
		bl = btf_lines_open(prog.path);
		if (json_output)
			jsonw_start_array(json_wtr);
		for (func = 0; func < xl.nb_funcs; func++) {
			if (func != 0 && !json_output)
				printf("\n");
			dump_xlated(bl, &xl.funcs[func], func, opcodes, linum);
		}
		if (json_output)
			jsonw_end_array(json_wtr);
		btf_lines_close(bl);
		ret = 0;
	}
	rte_xdp_ctl_xlated_free(&xl);
	return ret;
}

/*
 * sysctl kernel.bpf_stats_enabled[=0|1]: what the kernel's sysctl does,
 * for the programs of this process or of the primary: run_cnt and
 * run_time_ns in prog show (off by default; on, each burst is timed).
 */
static int
do_sysctl_stats(const char *arg)
{
	const char *name = "kernel.bpf_stats_enabled";
	size_t n = strlen(name);
	int on, was;

	if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
		return fail("unknown key %s (only %s)", arg, name);
	if (arg[n] == '=') {
		if (strcmp(arg + n + 1, "0") != 0 &&
		    strcmp(arg + n + 1, "1") != 0)
			return fail("%s: expected 0 or 1", arg);
		on = arg[n + 1] == '1';
	} else {
		/* a read: set it back to what it was */
		on = rte_xdp_ctl_stats_enable(ctl, 0);
		if (on < 0)
			return ctl_fail("%s", name);
	}
	was = rte_xdp_ctl_stats_enable(ctl, on);
	if (was < 0)
		return ctl_fail("%s", name);
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, name, on);
		jsonw_end_object(json_wtr);
	} else {
		printf("%s = %d\n", name, on);
	}
	return 0;
}

int
do_sysctl(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[0], "-w") == 0)
		return do_sysctl_stats(argv[1]);
	if (argc != 1)
		return fail("sysctl [-w] kernel.bpf_stats_enabled[=0|1]");
	return do_sysctl_stats(argv[0]);
}

static int
do_help(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	return print_usage(
		"Usage: %1$s prog { show | list } [PROG | OBJ | dir DIR [type xdp]]\n"
		"       %1$s prog dump xlated PROG [{ file FILE | opcodes | linum }]\n"
		"       %1$s prog dump jited  PROG [{ file FILE | opcodes }]\n"
		"       %1$s prog load OBJ [PATH] [sec NAME] [type xdp] \\\n"
		"                         [map name NAME max_entries N]...\n"
		"       %1$s prog run PROG \\\n"
		"                         data_in FILE \\\n"
		"                         [data_out FILE [data_size_out L]] \\\n"
		"                         [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] \\\n"
		"                         [repeat N]\n"
		"       %1$s prog help\n"
		"\n"
		"       %1$s prog unpin PATH\n"
		"\n"
		"       PROG := { id PROG_ID | name PROG_NAME | pinned PATH |\n"
		"                 OBJ [{ sec NAME | name NAME }] }\n"
		"       " HELP_SPEC_OPTIONS " }\n",
		bin_name);
}

static const struct cmd cmds[] = {
	{ "show", do_show },
	{ "list", do_show },
	{ "help", do_help },
	{ "dump", do_dump },
	{ "load", do_load },
	{ "unpin", do_unpin },
	{ "run", do_run },
	{ NULL, NULL },
};

int
do_prog(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
