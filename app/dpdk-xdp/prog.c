/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prog commands: load, show (and the report over a directory), run.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "main.h"

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

int
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
	if (json_output)
		jsonw_start_array(json_wtr);
	else
		printf("%-24s %-24s %-20s %s\n", "OBJECT", "PROGRAM", "SECTION",
			"RESULT");
	for (k = 0; k < nb; k++) {
		report_object(dir, names[k]);
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

int
do_prog_show(int argc, char **argv)
{
	struct rte_xdp_prog *prog;
	unsigned int id, i;
	int k, one = 0, i0 = 0;
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
int
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
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "retval", verdict);
		jsonw_uint_field(json_wtr, "duration", ns);
		jsonw_end_object(json_wtr);
	} else {
		printf("Return value: %u, duration%s: %" PRIu64 "ns\n", verdict,
			repeat > 1 ? " (average)" : "", ns);
	}
	ret = 0;
out:
	free(buf);
	return ret;
}
