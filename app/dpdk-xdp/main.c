/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-xdp: bpftool's prog and map commands for XDP objects run on DPDK.
 * Programs and maps live in this process: load an object, then address
 * its programs and maps by id or name in the commands that follow (in one
 * batch file). Words, options, output, JSON (-j, -p) and exit statuses
 * follow bpftool's, so that a script written for bpftool runs unchanged.
 *
 *   dpdk-xdp [EAL args --] [OPTIONS] OBJECT { COMMAND | help }
 *
 * This file: options, dispatch (OBJECT VERB, by prefix), batch, usage.
 * common.c: the loaded objects, PROG/MAP/BYTES; prog.c, map.c: their
 * commands; xlated_dumper.c, bpf_disasm.c, jit_disasm.c: prog dump;
 * json_writer.c: the JSON every command prints.
 *
 * Example:
 *   dpdk-xdp prog run xdp_pass.o data_in frame.bin repeat 1000
 *   Return value: 2, duration (average): 12ns
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>
#include <rte_version.h>

#include "jit_disasm.h"
#include "main.h"

const char *bin_name = "dpdk-xdp";

/* ---- dispatch ---- */

bool
is_prefix(const char *pfx, const char *str)
{
	size_t n = strlen(pfx);

	return n <= strlen(str) && memcmp(str, pfx, n) == 0;
}

int
detect_common_prefix(const char *arg, ...)
{
	char msg[256];
	const char *ref;
	unsigned int n = 0;
	va_list ap;

	snprintf(msg, sizeof(msg), "ambiguous prefix: '%s' could be '", arg);
	va_start(ap, arg);
	while ((ref = va_arg(ap, const char *)) != NULL) {
		if (!is_prefix(arg, ref))
			continue;
		if (n++ > 0)
			strlcat(msg, "' or '", sizeof(msg));
		strlcat(msg, ref, sizeof(msg));
	}
	va_end(ap);
	if (n < 2)
		return 0;
	strlcat(msg, "'", sizeof(msg));
	return fail("%s", msg);
}

int
cmd_select(const struct cmd *cmds, int argc, char **argv,
	int (*help)(int argc, char **argv))
{
	unsigned int i;

	if (argc < 1)
		return cmds[0].func(argc, argv);
	for (i = 0; cmds[i].cmd != NULL; i++)
		if (is_prefix(argv[0], cmds[i].cmd))
			return cmds[i].func(argc - 1, argv + 1);
	/* the usage, and the error (JSON: the error only, one value) */
	if (!json_output)
		help(argc - 1, argv + 1);
	return fail("unknown command '%s'", argv[0]);
}

static int
do_help(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	return print_usage(
		"Usage: %s [EAL options --] [OPTIONS] OBJECT { COMMAND | help }\n"
		"       %s [EAL options --] [OPTIONS] batch file FILE\n"
		"       %s version\n"
		"\n"
		"       OBJECT := { prog | map }\n"
		"       " HELP_SPEC_OPTIONS " |\n"
		"                    {-V|--version} | {-h|--help} }\n"
		"Example: %s prog run xdp_pass.o data_in frame.bin repeat 1000\n",
		bin_name, bin_name, bin_name, bin_name);
}

/* As bpftool version: ours, the libraries', and what was built in. */
static int
do_version(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "version", DPDK_XDP_VERSION);
		jsonw_string_field(json_wtr, "dpdk_version", rte_version());
		jsonw_name(json_wtr, "libbpf_version");
		jsonw_string_fmt(json_wtr, "%u.%u", libbpf_major_version(),
			libbpf_minor_version());
		jsonw_name(json_wtr, "features");
		jsonw_start_object(json_wtr);
		jsonw_bool_field(json_wtr, "capstone",
			jit_disasm_name() != NULL);
		jsonw_end_object(json_wtr);
		jsonw_end_object(json_wtr);
		return 0;
	}
	printf("%s v%s\n", bin_name, DPDK_XDP_VERSION);
	printf("using %s, libbpf %s\n", rte_version(), libbpf_version_string());
	printf("features:%s\n", jit_disasm_name() != NULL ?
		" capstone (JIT disassembly)" : "");
	return 0;
}

static int do_batch(int argc, char **argv);

static const struct cmd cmds[] = {
	{ "help", do_help },
	{ "batch", do_batch },
	{ "prog", do_prog },
	{ "map", do_map },
	{ "version", do_version },
	{ NULL, NULL },
};

/* Whether the failure of the command being run was printed. */
static bool reported;

/* A failed command's output: its error, or null (JSON) without one. */
static void
print_error(void)
{
	reported = true;
	if (json_output && errmsg[0] == '\0')
		jsonw_null(json_wtr);
	if (errmsg[0] == '\0')
		return;
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "error", errmsg);
		jsonw_end_object(json_wtr);
	} else {
		fprintf(stderr, "Error: %s\n", errmsg);
	}
	errmsg[0] = '\0';
}

/*
 * Run one command. In JSON its output is whatever it wrote; a command
 * that fails writes nothing before its error (or null), so that the
 * output stays one value.
 */
static int
run_one(int argc, char **argv)
{
	unsigned int depth = json_output ? jsonw_depth(json_wtr) : 0;
	int ret;

	errmsg[0] = '\0';
	reported = false;
	ret = cmd_select(cmds, argc, argv, do_help);
	if (ret == 0)
		return 0;
	/* a command that failed half way: close what it opened */
	while (json_output && jsonw_depth(json_wtr) > depth)
		jsonw_end(json_wtr);
	/* (a batch reports the line that failed) */
	if (!reported)
		print_error();
	return ret;
}

/*
 * batch file FILE: one command a line ('#' comments), state kept between
 * lines; stops at the first command that fails, as bpftool does, with its
 * status. With -j the output is [{"command":[...],"output":...},...].
 */
static int
do_batch(int argc, char **argv)
{
	char line[4096], *args[64], *p;
	int nargs, ret = 0, lineno = 0, k;
	FILE *f;

	if (argc != 2 || !is_prefix(argv[0], "file"))
		return fail("batch file FILE");
	f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	if (f == NULL)
		return fail("%s: %s", argv[1], strerror(errno));
	if (json_output)
		jsonw_start_array(json_wtr);
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
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_name(json_wtr, "command");
			jsonw_start_array(json_wtr);
			for (k = 0; k < nargs; k++)
				jsonw_string(json_wtr, args[k]);
			jsonw_end_array(json_wtr);
			jsonw_name(json_wtr, "output");
		}
		if (is_prefix(args[0], "batch")) {
			ret = fail("batch inside batch");
			print_error();
		} else {
			ret = run_one(nargs, args);
		}
		if (ret != 0 && !json_output)
			fprintf(stderr, "Error: batch line %d failed\n", lineno);
		if (json_output)
			jsonw_end_object(json_wtr);
		fflush(stdout);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	if (f != stdin)
		fclose(f);
	return ret;
}

/*
 * Options, as bpftool takes them: anywhere among the command's words
 * (getopt permutes them), an unknown one an error with the usage.
 */
enum { OPT_VERIFY = 256 };

static int
parse_options(int argc, char **argv, bool *help, bool *version)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verify", required_argument, NULL, OPT_VERIFY },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":jphV", options, NULL)) >= 0) {
		switch (opt) {
		case 'p':
			pretty_output = true;
			/* fall through */
		case 'j':
			json_output = true;
			break;
		case 'h':
			*help = true;
			break;
		case 'V':
			*version = true;
			break;
		case OPT_VERIFY:
			if (strcmp(optarg, "auto") == 0)
				verify = RTE_XDP_VERIFY_AUTO;
			else if (strcmp(optarg, "kernel") == 0)
				verify = RTE_XDP_VERIFY_KERNEL;
			else if (strcmp(optarg, "builtin") == 0)
				verify = RTE_XDP_VERIFY_BUILTIN;
			else
				return fail("--verify: expected auto, kernel or builtin, got '%s'",
					optarg);
			break;
		case ':':
			return fail("option '%s' needs an argument",
				argv[optind - 1]);
		default:
			*help = !json_output;
			return fail("unrecognized option '%s'",
				argv[optind - 1]);
		}
	}
	return optind;
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *defaults[] = { argv[0], "--no-huge", "--no-pci", "-m", "512",
		"--no-shconf", "--no-telemetry", "--log-level=lib.eal:error",
		"--file-prefix", prefix, NULL };
	bool help = false, version = false;
	int i, sep = -1, ret, k;

	/* EAL options come first, ended by "--" */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	if (sep > 0)
		argv[sep] = argv[0];
	k = parse_options(sep > 0 ? argc - sep : argc,
		sep > 0 ? argv + sep : argv, &help, &version);
	if (json_output) {
		json_wtr = jsonw_new(stdout);
		if (json_wtr == NULL) {
			fprintf(stderr, "%s: out of memory\n", bin_name);
			return 255;
		}
		jsonw_pretty(json_wtr, pretty_output);
	}
	if (k < 0) {
		/* bpftool's status for a bad option, the usage with it */
		print_error();
		if (help)
			do_help(0, NULL);
		jsonw_destroy(&json_wtr);
		return 255;
	}
	if (help || version) {
		ret = help ? do_help(0, NULL) : do_version(0, NULL);
		jsonw_destroy(&json_wtr);
		return ret;
	}
	if (sep > 0) {
		ret = rte_eal_init(sep, argv);
		argv += sep;
		argc -= sep;
	} else {
		snprintf(prefix, sizeof(prefix), "dpdkxdp%d", (int)getpid());
		ret = rte_eal_init(RTE_DIM(defaults) - 1, defaults);
	}
	if (ret < 0) {
		fail("cannot initialise EAL: %s", rte_strerror(rte_errno));
		print_error();
		jsonw_destroy(&json_wtr);
		return 255;
	}
	pool = rte_pktmbuf_pool_create("dpdk_xdp_pool", 63, 0, 0,
		MBUF_ROOM + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	if (pool == NULL) {
		fail("cannot create mbuf pool: %s", rte_strerror(rte_errno));
		print_error();
		jsonw_destroy(&json_wtr);
		rte_eal_cleanup();
		return 255;
	}
	ret = run_one(argc - k, argv + k);
	jsonw_destroy(&json_wtr);
	fflush(stdout);
	map_cleanup();
	for (i = 0; i < nb_objs; i++)
		rte_xdp_obj_close(objs[i].obj);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	/* bpftool's status: 0, 255 (-1), or a test run's -errno */
	return ret;
}
