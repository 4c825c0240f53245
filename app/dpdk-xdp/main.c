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
 * This file: options, dispatch (OBJECT VERB, by prefix), batch, usage,
 * and which process the commands act on: this one, or with EAL options
 * of a secondary (or -P PREFIX) the running primary, through the
 * library's control plane (rte_xdp_ctl.h).
 * common.c: the loaded objects, PROG/MAP/BYTES; prog.c, map.c, net.c:
 * their commands; xlated_dumper.c, bpf_disasm.c, jit_disasm.c: prog dump;
 * json_writer.c: the JSON every command prints.
 *
 * Example:
 *   dpdk-xdp prog run xdp_pass.o data_in frame.bin repeat 1000
 *   Return value: 2, duration (average): 12ns
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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
		"       OBJECT := { prog | map | net | sysctl }\n"
		"       " HELP_SPEC_OPTIONS " |\n"
		"                    {-P|--primary} PREFIX | {-V|--version} | {-h|--help} }\n"
		"       (-P PREFIX, or the EAL options --proc-type=secondary\n"
		"        --file-prefix PREFIX --: the commands act on the running\n"
		"        primary process of that file prefix)\n"
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
	{ "net", do_net },
	{ "sysctl", do_sysctl },
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
	int nargs, ret = 0, lineno = 0, failed = 0, k;
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
		failed = lineno;
		/* map updates held back go before any other command
		 * (their failure is that of the line that failed) */
		if (!(nargs >= 2 && is_prefix(args[0], "map") &&
		      is_prefix(args[1], "update")))
			ret = map_flush(&failed);
		if (ret != 0) {
			print_error();
		} else if (is_prefix(args[0], "batch")) {
			ret = fail("batch inside batch");
			print_error();
		} else {
			map_batch_line(lineno);
			ret = run_one(nargs, args);
		}
		if (ret != 0 && !json_output)
			fprintf(stderr, "Error: batch line %d failed\n", failed);
		if (json_output)
			jsonw_end_object(json_wtr);
		fflush(stdout);
	}
	if (ret == 0) {
		ret = map_flush(&failed);
		if (ret != 0) {
			print_error();
			if (!json_output)
				fprintf(stderr, "Error: batch line %d failed\n",
					failed);
		}
	}
	map_batch_line(0);
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

/* -P PREFIX: the primary to operate, for --proc-type=secondary ... */
static const char *primary;

static int
parse_options(int argc, char **argv, bool *help, bool *version)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verify", required_argument, NULL, OPT_VERIFY },
		{ "primary", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":jphVP:", options, NULL)) >= 0) {
		switch (opt) {
		case 'P':
			primary = optarg;
			break;
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

/* Where EAL keeps the runtime files of a file prefix (its own rule). */
static void
runtime_dir(const char *prefix, char *dir, size_t size)
{
	const char *base = getenv("XDG_RUNTIME_DIR");

	if (getuid() == 0)
		base = "/var/run";
	else if (base == NULL)
		base = "/tmp";
	snprintf(dir, size, "%s/dpdk/%s", base, prefix);
}

/*
 * Before attaching as a secondary: a clear word for each way it cannot
 * work (EAL's own messages name files, not the cause).
 */
static int
check_primary(const char *prefix)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char dir[PATH_MAX], cfg[PATH_MAX + 8];
	struct stat st;
	int fd;

	runtime_dir(prefix, dir, sizeof(dir));
	if (stat(dir, &st) != 0) {
		if (errno == EACCES)
			return fail("cannot operate the primary process with file prefix %s: %s: %s",
				prefix, dir, strerror(errno));
		if (getuid() != 0)
			return fail("no DPDK primary process with file prefix %s of this user (no %s); one run by root is operated by root only",
				prefix, dir);
		return fail("no DPDK primary process with file prefix %s (no %s)",
			prefix, dir);
	}
	snprintf(cfg, sizeof(cfg), "%s/config", dir);
	fd = open(cfg, O_RDONLY);
	if (fd < 0)
		return fail("cannot operate the primary process with file prefix %s: %s: %s",
			prefix, cfg, strerror(errno));
	/* a primary holds a write lock on its config while it runs */
	if (fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type == F_UNLCK) {
		close(fd);
		return fail("no primary process runs with file prefix %s (%s is left from one that exited)",
			prefix, dir);
	}
	close(fd);
	return 0;
}

/* EAL's arguments of a secondary: its --file-prefix, or NULL. */
static const char *
secondary_prefix(int argc, char **argv)
{
	const char *prefix = NULL;
	bool secondary = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--proc-type=secondary") == 0 ||
		    (strcmp(argv[i], "--proc-type") == 0 && i + 1 < argc &&
		     strcmp(argv[i + 1], "secondary") == 0))
			secondary = true;
		else if (strncmp(argv[i], "--file-prefix=", 14) == 0)
			prefix = argv[i] + 14;
		else if (strcmp(argv[i], "--file-prefix") == 0 && i + 1 < argc)
			prefix = argv[i + 1];
	}
	return secondary ? (prefix != NULL ? prefix : "rte") : NULL;
}

/* The runtime directory EAL made for a prefix of ours, and its files. */
static void
remove_runtime_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	char prefix[64], own_dir[PATH_MAX] = "", err[1024];
	char *defaults[] = { argv[0], "--no-huge", "--no-pci", "-m", "512",
		"--no-shconf", "--no-telemetry", "--log-level=lib.eal:error",
		"--file-prefix", prefix, NULL };
	/* a secondary: quiet about the primary's devices it has no driver
	 * for (it acts through the primary) */
	char *secondary[] = { argv[0], "--proc-type=secondary",
		"--file-prefix", prefix, "--no-pci", "--no-telemetry",
		"--log-level=lib.eal:critical", "--log-level=bus.vdev:critical",
		NULL };
	bool help = false, version = false;
	const char *live_prefix;
	int i, sep = -1, ret, k;

	/* EAL options come first, ended by "--" */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	live_prefix = sep > 0 ? secondary_prefix(sep, argv) : NULL;
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
	if (k >= 0 && primary != NULL && sep > 0)
		k = fail("-P PREFIX makes the EAL options: give one or the other");
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
	if (primary != NULL)
		live_prefix = primary;
	if (live_prefix != NULL && check_primary(live_prefix) != 0) {
		print_error();
		jsonw_destroy(&json_wtr);
		return 255;
	}
	if (sep > 0) {
		ret = rte_eal_init(sep, argv);
		argv += sep;
		argc -= sep;
	} else if (primary != NULL) {
		snprintf(prefix, sizeof(prefix), "%s", primary);
		ret = rte_eal_init(RTE_DIM(secondary) - 1, secondary);
	} else {
		snprintf(prefix, sizeof(prefix), "dpdkxdp%d", (int)getpid());
		ret = rte_eal_init(RTE_DIM(defaults) - 1, defaults);
		if (ret >= 0)
			snprintf(own_dir, sizeof(own_dir), "%s",
				rte_eal_get_runtime_dir());
	}
	if (ret < 0 && live_prefix != NULL && rte_errno == EFAULT) {
		/* a secondary needs the primary's shared tables of every
		 * library it links (tail queues): a primary without ours
		 * lacks some */
		fail("cannot attach to the primary process with file prefix %s: it runs without librte_xdp_compat (give it -d with the library or the net_mvneta_xdp PMD)",
			live_prefix);
		print_error();
		jsonw_destroy(&json_wtr);
		return 255;
	}
	if (ret < 0) {
		fail("cannot initialise EAL: %s", rte_strerror(rte_errno));
		print_error();
		jsonw_destroy(&json_wtr);
		return 255;
	}
	ctl = rte_xdp_ctl_open(err, sizeof(err));
	if (ctl == NULL) {
		fail("%s", err);
		print_error();
		jsonw_destroy(&json_wtr);
		rte_eal_cleanup();
		return 255;
	}
	ret = run_one(argc - k, argv + k);
	jsonw_destroy(&json_wtr);
	fflush(stdout);
	map_cleanup();
	/* what this run loaded and did not pin or attach goes with it */
	rte_xdp_ctl_close(ctl);
	rte_eal_cleanup();
	if (own_dir[0] != '\0')
		remove_runtime_dir(own_dir);
	/* bpftool's status: 0, 255 (-1), or a test run's -errno */
	return ret;
}
