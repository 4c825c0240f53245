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

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "main.h"

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
	int nargs, ret = 0, lineno = 0, k;
	FILE *f;

	if (argc != 2 || strcmp(argv[0], "file") != 0)
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
		if (nargs >= 1 && strcmp(args[0], "batch") == 0)
			ret = fail("batch inside batch");
		else
			ret = run_one(nargs, args);
		if (ret != 0) {
			print_error();
			if (!json_output)
				fprintf(stderr, "Error: batch line %d failed\n",
					lineno);
		}
		if (json_output)
			jsonw_end_object(json_wtr);
		fflush(stdout);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
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
			json_output = true;
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
	if (json_output) {
		json_wtr = jsonw_new(stdout);
		if (json_wtr == NULL) {
			fprintf(stderr, "dpdk-xdp: out of memory\n");
			return 1;
		}
	}
	ret = run_command(argc - k, argv + k);
	jsonw_destroy(&json_wtr);
	fflush(stdout);
	map_cleanup();
	for (i = 0; i < nb_objs; i++)
		rte_xdp_obj_close(objs[i].obj);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret == 0 ? 0 : 255;
}
