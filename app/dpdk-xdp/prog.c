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

static void
show_prog(const struct rte_xdp_prog *prog, unsigned int id, int k)
{
	struct rte_xdp_obj *obj = objs[k].obj;
	struct rte_xdp_prog_info pi;
	unsigned int m;

	rte_xdp_prog_info(prog, &pi);
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", id);
		jsonw_string_field(json_wtr, "type", "xdp");
		jsonw_string_field(json_wtr, "name", pi.name);
		jsonw_string_field(json_wtr, "section", pi.section);
		jsonw_string_field(json_wtr, "attach_type",
			attach_name(pi.attach));
		jsonw_bool_field(json_wtr, "gpl_compatible",
			strstr(pi.license, "GPL") != NULL);
		jsonw_bool_field(json_wtr, "frags", pi.frags);
		jsonw_uint_field(json_wtr, "bytes_xlated", pi.nb_xlated * 8);
		jsonw_bool_field(json_wtr, "jited", pi.jited_size != 0);
		jsonw_uint_field(json_wtr, "bytes_jited", pi.jited_size);
		jsonw_name(json_wtr, "map_ids");
		jsonw_start_array(json_wtr);
		for (m = 0; m < rte_xdp_obj_nb_maps(obj); m++)
			jsonw_uint(json_wtr,
				rte_xdp_map_id(rte_xdp_obj_map(obj, m)));
		jsonw_end_array(json_wtr);
		jsonw_bool_field(json_wtr, "verified_by_kernel",
			pi.verified_by_kernel);
		jsonw_uint_field(json_wtr, "insns", pi.nb_insns);
		jsonw_uint_field(json_wtr, "clamps", pi.nb_clamps);
		jsonw_uint_field(json_wtr, "clamp_limit", pi.clamp_limit);
		jsonw_uint_field(json_wtr, "spills", pi.nb_spills);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("%u: xdp  name %s  section %s%s%s\n", id, pi.name, pi.section,
		strstr(pi.license, "GPL") ? "  gpl" : "",
		pi.frags ? "  frags" : "");
	printf("\txlated %uB  %s %zuB  insns %u", pi.nb_xlated * 8,
		pi.jited_size ? "jited" : "interpreted", pi.jited_size,
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
	struct rte_xdp_prog *prog;
	unsigned int id, i;
	int k, one = 0, i0 = 0;
	struct stat st;

	/* type xdp: programs of sections libbpf does not know are XDP */
	if (argc == 4 && strcmp(argv[0], "dir") == 0 &&
	    strcmp(argv[2], "type") == 0 && strcmp(argv[3], "xdp") == 0)
		return report_dir(argv[1], 1);
	if (argc == 2 && strcmp(argv[0], "dir") == 0)
		return report_dir(argv[1], 0);
	if (argc == 1 && stat(argv[0], &st) == 0 && S_ISDIR(st.st_mode))
		return report_dir(argv[0], 0);
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
		return fail("prog show [id ID | name NAME | OBJ | dir DIR [type xdp]]");
	}
	if (json_output && !one)
		jsonw_start_array(json_wtr);
	for (k = 0; k < nb_objs; k++) {
		if (argc == 1 && k != i0)
			continue;
		for (i = 0; i < rte_xdp_obj_nb_progs(objs[k].obj); i++) {
			struct rte_xdp_prog *p = rte_xdp_obj_prog(objs[k].obj, i);
			struct rte_xdp_prog_info pi;

			rte_xdp_prog_info(p, &pi);
			if (!pi.loaded || (one && p != prog))
				continue;
			show_prog(p, pi.id, k);
		}
	}
	if (json_output && !one)
		jsonw_end_array(json_wtr);
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

/*
 * What bpf_test_finish() copies to data_out after an XDP test run: the
 * frame (metadata, linear part, frags) is size bytes; at most size_out of
 * them are copied, and when that cuts the frame the kernel copies the
 * linear part shortened by the frags' whole length, then the frags, and
 * fails with ENOSPC (with nothing copied when even the frags do not fit).
 */
static int
test_finish(const struct rte_mbuf *m, uint8_t *out, uint32_t size_out,
	uint32_t *size)
{
	uint32_t meta = rte_xdp_mbuf_meta_len(m);
	uint32_t frags = m->pkt_len - m->data_len;
	uint32_t copy, off, n;
	const struct rte_mbuf *seg;
	int ret = 0;

	*size = meta + m->pkt_len;
	copy = *size;
	if (size_out != 0 && copy > size_out) {
		copy = size_out;
		ret = -ENOSPC;
	}
	if (copy < frags)
		return -ENOSPC;
	off = copy - frags;
	memcpy(out, rte_pktmbuf_mtod(m, const uint8_t *) - meta, off);
	for (seg = m->next; seg != NULL; seg = seg->next) {
		if (off >= copy) {
			ret = -ENOSPC;
			break;
		}
		n = RTE_MIN(copy - off, (uint32_t)seg->data_len);
		memcpy(out + off, rte_pktmbuf_mtod(seg, const uint8_t *), n);
		off += n;
	}
	return ret;
}

/* A test run's request, as bpftool makes it from its arguments. */
struct run_req {
	const char *data_in, *data_out, *ctx_in, *ctx_out;
	uint32_t data_size_out, ctx_size_out, repeat;
};

/* A test run's result, as bpf(BPF_PROG_TEST_RUN) returns it. */
struct run_res {
	uint8_t *data_out;
	uint32_t data_size_out;
	struct test_xdp_md ctx_out;
	uint32_t ctx_size_out;
	uint32_t retval;
	uint64_t duration;
};

/* A test run's failure: bpftool's message (and ours), the -errno. */
static int
run_fail(int err, const char *why, ...)
{
	char reason[512];
	va_list ap;

	if (why == NULL) {
		fail("failed to run program: %s", strerror(-err));
		return err;
	}
	va_start(ap, why);
	vsnprintf(reason, sizeof(reason), why, ap);
	va_end(ap);
	fail("failed to run program: %s (%s)", strerror(-err), reason);
	return err;
}

/*
 * bpf(BPF_PROG_TEST_RUN) of an XDP program, as Linux 6.18's
 * bpf_prog_test_run_xdp() makes it: the frame at XDP_PACKET_HEADROOM in
 * a 4 KiB frame, metadata (ctx_in's data bytes of data_in) right before
 * it, ingress_ifindex 1 (lo) and queue 0 unless ctx_in says otherwise;
 * the linear part is data_in, or ctx_in's data_end bytes of it (earlier
 * kernels want data_end to be all of data_in), at most what the 4 KiB
 * frame holds; the rest goes to frags; repeat runs on the same frame.
 * The kernel's checks, in its order, with its errors. 0 or -errno.
 */
static int
test_run(struct rte_xdp_prog *prog, const struct run_req *rq,
	struct run_res *res)
{
	struct rte_xdp_rxq_info rxq = {
		.ifindex = 1, .queue_index = 0, .frag_size = TEST_FRAME_SZ,
	};
	struct test_xdp_md md;
	struct rte_xdp_prog_info pi;
	uint8_t *buf = NULL, ctx_buf[TEST_FRAME_SZ + 1];
	struct rte_mbuf *m;
	uint32_t meta = 0, r, repeat = RTE_MAX(rq->repeat, 1u);
	size_t len, linear, mdlen, k;
	uint64_t t0;
	int ret;

	rte_xdp_prog_info(prog, &pi);
	if (!pi.loaded)
		return fail("program %s is not loaded", pi.name);
	if (pi.attach != RTE_XDP_ATTACH_RX)
		return run_fail(-EINVAL, "%s programs are not test-run, as in the kernel",
			attach_name(pi.attach));
	buf = malloc(TEST_MAX_IN + 1);
	if (buf == NULL)
		return fail("out of memory");
	ret = -1;
	if (read_file(rq->data_in, buf, TEST_MAX_IN + 1, &len) != 0)
		goto out;
	memset(&md, 0, sizeof(md));
	if (rq->ctx_in != NULL) {
		/* bpf_ctx_init(): a longer ctx_in must end in zeros, and
		 * fit in a page */
		if (read_file(rq->ctx_in, ctx_buf, sizeof(ctx_buf), &mdlen) != 0)
			goto out;
		for (k = sizeof(md); k < mdlen; k++)
			if (ctx_buf[k] != 0 || mdlen > TEST_FRAME_SZ) {
				ret = run_fail(-E2BIG, "ctx_in: %zu bytes, not zero past struct xdp_md",
					mdlen);
				goto out;
			}
		memcpy(&md, ctx_buf, RTE_MIN(mdlen, sizeof(md)));
		if (md.data_meta != 0 || md.data_end > len ||
		    md.data > md.data_end || (md.data & 3) != 0 ||
		    md.data > 32) {
			ret = run_fail(-EINVAL, "ctx_in: data %u, data_end %u, data_meta %u for %zu bytes of data_in",
				md.data, md.data_end, md.data_meta, len);
			goto out;
		}
		meta = md.data;
	}
	/* linear part: what fits in the 4 KiB frame, metadata included */
	linear = RTE_MIN(rq->ctx_in != NULL ? md.data_end : len,
		(size_t)TEST_MAX_DATA + meta);
	if (len - meta < ETH_HLEN) {
		ret = run_fail(-EINVAL, "data_in %zu bytes", len);
		goto out;
	}
	if (md.egress_ifindex != 0 ||
	    (md.ingress_ifindex == 0 && md.rx_queue_index != 0)) {
		ret = run_fail(-EINVAL, "ctx_in: egress_ifindex %u, ingress_ifindex %u, rx_queue_index %u",
			md.egress_ifindex, md.ingress_ifindex,
			md.rx_queue_index);
		goto out;
	}
	if (md.ingress_ifindex != 0) {
		rxq.ifindex = md.ingress_ifindex;
		rxq.queue_index = md.rx_queue_index;
	}
	if (len - linear > (size_t)TEST_MAX_FRAGS * TEST_FRAME_SZ) {
		ret = run_fail(-ENOMEM, "data_in %zu bytes: more than %u frags",
			len, TEST_MAX_FRAGS);
		goto out;
	}
	if (len > linear && !pi.frags) {
		ret = run_fail(-EINVAL, "data_in %zu bytes: more than one buffer, and %s is not frags-aware: SEC(\"xdp.frags\")",
			len, pi.name);
		goto out;
	}
	m = test_frame(buf, len, meta, linear - meta);
	if (m == NULL) {
		ret = run_fail(-errno, NULL);
		goto out;
	}
	t0 = rte_rdtsc_precise();
	for (r = 0; r < repeat; r++)
		rte_xdp_prog_run_burst(prog, &rxq, &m, 1, &res->retval, NULL);
	res->duration = (rte_rdtsc_precise() - t0) * 1000000000ull /
		rte_get_tsc_hz() / repeat;
	/* bpf_test_finish(), then bpf_ctx_finish() */
	ret = test_finish(m, res->data_out, rq->data_size_out,
		&res->data_size_out);
	if (ret == 0 && rq->ctx_in != NULL) {
		md.data = rte_xdp_mbuf_meta_len(m);
		md.data_end = md.data + m->data_len;
		res->ctx_out = md;
		res->ctx_size_out = sizeof(md);
		if (rq->ctx_size_out < sizeof(md))
			ret = -ENOSPC;
	}
	rte_pktmbuf_free(m);
	if (ret != 0)
		ret = run_fail(ret, NULL);
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
	struct run_res res = { 0 };
	struct rte_xdp_prog *prog;
	unsigned int id;
	int i = 0, ret;

	if (parse_prog(argc, argv, &i, &prog, &id) != 0)
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
	if (rq.data_size_out == 0)
		rq.data_size_out = RUN_DEFAULT_SIZE_OUT;
	if (rq.ctx_size_out == 0)
		rq.ctx_size_out = RUN_DEFAULT_SIZE_OUT;
	res.data_out = calloc(1, rq.data_size_out);
	if (res.data_out == NULL)
		return fail("failed to allocate memory for output data/ctx: %s",
			strerror(ENOMEM));
	ret = test_run(prog, &rq, &res);
	if (ret != 0)
		goto out;
	if (json_output)
		jsonw_start_object(json_wtr);
	/* as bpftool: the run is reported even when an output fails */
	ret = print_run_output(rq.data_out, res.data_out, res.data_size_out,
		"data_out");
	if (rq.ctx_in != NULL)
		ret += print_run_output(rq.ctx_out, &res.ctx_out,
			res.ctx_size_out, "ctx_out");
	if (json_output) {
		jsonw_uint_field(json_wtr, "retval", res.retval);
		jsonw_uint_field(json_wtr, "duration", res.duration);
		jsonw_end_object(json_wtr);
	} else {
		printf("Return value: %u, duration%s: %" PRIu64 "ns\n",
			res.retval, rq.repeat > 1 ? " (average)" : "",
			res.duration);
	}
	if (ret != 0)
		ret = -1;
out:
	free(res.data_out);
	return ret;
}

/* The object a loaded program comes from (its path). */
static const char *
prog_obj_path(const struct rte_xdp_prog *prog)
{
	unsigned int i;
	int k;

	for (k = 0; k < nb_objs; k++)
		for (i = 0; i < rte_xdp_obj_nb_progs(objs[k].obj); i++)
			if (rte_xdp_obj_prog(objs[k].obj, i) == prog)
				return objs[k].path;
	return NULL;
}

/* dump ... file FILE: the raw code of every function, one after another. */
static int
dump_to_file(const struct rte_xdp_prog *prog, bool jited, const char *path)
{
	struct rte_xdp_xlated x;
	unsigned int func;
	FILE *f = fopen(path, "wb");
	int ret = 0;

	if (f == NULL)
		return fail("can't open file %s: %s", path, strerror(errno));
	for (func = 0; ret == 0 && rte_xdp_prog_xlated(prog, func, &x) == 0;
	     func++) {
		const void *b = jited ? x.jit : (const void *)x.insns;
		size_t n = jited ? x.jit_size : x.nb_insns * sizeof(*x.insns);

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
dump_jited(const struct rte_xdp_prog *prog, bool opcodes)
{
	const char *dis = jit_disasm_name();
	struct rte_xdp_prog_info pi;
	struct rte_xdp_xlated x;
	unsigned int func;

	rte_xdp_prog_info(prog, &pi);
	if (json_output)
		jsonw_start_array(json_wtr);
	for (func = 0; rte_xdp_prog_xlated(prog, func, &x) == 0; func++) {
		char name[128];

		if (func == 0)
			snprintf(name, sizeof(name), "%s", pi.name);
		else
			snprintf(name, sizeof(name), "%s_callback%u", pi.name,
				func);
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
		if (x.jit == NULL) {
			/* a callback rte_bpf could not JIT */
			if (json_output)
				jsonw_null(json_wtr);
			else
				printf("; interpreted\n");
		} else {
			jit_disasm_print(x.jit, x.jit_size, opcodes);
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
 * what the rewriter did; the JIT's code.
 */
static int
do_dump(int argc, char **argv)
{
	bool jited, opcodes = false, linum = false;
	const char *file = NULL;
	struct rte_xdp_prog *prog;
	struct rte_xdp_prog_info pi;
	struct rte_xdp_xlated x;
	struct btf_lines *bl;
	unsigned int id, func;
	int i = 1;

	if (argc < 1)
		return fail("expected 'xlated' or 'jited'");
	if (is_prefix(argv[0], "jited"))
		jited = true;
	else if (is_prefix(argv[0], "xlated"))
		jited = false;
	else
		return fail("expected 'xlated' or 'jited', got: %s", argv[0]);
	if (parse_prog(argc, argv, &i, &prog, &id) != 0)
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
	rte_xdp_prog_info(prog, &pi);
	if (!pi.loaded || rte_xdp_prog_xlated(prog, 0, &x) != 0)
		return fail("program %s is not loaded", pi.name);
	if (jited && pi.jited_size == 0)
		return fail("no instructions returned: %s is interpreted (rte_bpf has no JIT code for it)",
			pi.name);
	if (file != NULL)
		return dump_to_file(prog, jited, file);
	if (jited)
		return dump_jited(prog, opcodes);
	bl = btf_lines_open(prog_obj_path(prog));
	if (json_output)
		jsonw_start_array(json_wtr);
	for (func = 0; rte_xdp_prog_xlated(prog, func, &x) == 0; func++) {
		if (func != 0 && !json_output)
			printf("\n");
		dump_xlated(bl, &x, func, opcodes, linum);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	btf_lines_close(bl);
	return 0;
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
		"       %1$s prog load OBJ [sec NAME] [type xdp] \\\n"
		"                         [map name NAME max_entries N]...\n"
		"       %1$s prog run PROG \\\n"
		"                         data_in FILE \\\n"
		"                         [data_out FILE [data_size_out L]] \\\n"
		"                         [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] \\\n"
		"                         [repeat N]\n"
		"       %1$s prog help\n"
		"\n"
		"       PROG := { id PROG_ID | name PROG_NAME | OBJ [{ sec NAME | name NAME }] }\n"
		"       " HELP_SPEC_OPTIONS " }\n",
		bin_name);
}

static const struct cmd cmds[] = {
	{ "show", do_show },
	{ "list", do_show },
	{ "help", do_help },
	{ "dump", do_dump },
	{ "load", do_load },
	{ "run", do_run },
	{ NULL, NULL },
};

int
do_prog(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
