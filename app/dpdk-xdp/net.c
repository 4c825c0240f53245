/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net commands, as bpftool's: show the ports and their programs, attach
 * and detach programs, natively (xdpdrv) where the driver runs XDP,
 * generically (xdpgeneric) on any port; the kernel's rules and errors.
 * A port is named as testpmd names it (net_mvneta_xdp0) or by its id.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "main.h"

static const char *
mode_name(const struct rte_xdp_ctl_port *p)
{
	return p->drv_prog_id != 0 ? "driver" : "generic";
}

static void
show_port(const struct rte_xdp_ctl_port *p)
{
	uint32_t id = p->drv_prog_id != 0 ? p->drv_prog_id :
		p->generic_prog_id;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "devname", p->name);
		jsonw_uint_field(json_wtr, "ifindex", p->ifindex);
		if (id != 0) {
			jsonw_string_field(json_wtr, "mode", mode_name(p));
			jsonw_uint_field(json_wtr, "id", id);
		}
		jsonw_uint_field(json_wtr, "port_id", p->port_id);
		jsonw_string_field(json_wtr, "driver", p->driver);
		jsonw_bool_field(json_wtr, "native", p->native);
		jsonw_end_object(json_wtr);
		return;
	}
	/* bpftool's line, then what a DPDK user also wants to know */
	printf("%s(%u)", p->name, p->ifindex);
	if (id != 0)
		printf(" %s id %u", mode_name(p), id);
	printf("  (port %u, %s%s)\n", p->port_id, p->driver,
		p->native ? ", native XDP" : "");
}

/* Every port (NULL and 0 when there are none, or -1). */
static int
port_list(struct rte_xdp_ctl_port **ports)
{
	int n, got;

	*ports = NULL;
	for (;;) {
		n = rte_xdp_ctl_port_list(ctl, NULL, 0);
		if (n <= 0)
			return n < 0 ? ctl_fail("cannot list ports") : 0;
		free(*ports);
		*ports = calloc(n, sizeof(**ports));
		if (*ports == NULL)
			return fail("out of memory");
		got = rte_xdp_ctl_port_list(ctl, *ports, n);
		if (got < 0) {
			free(*ports);
			*ports = NULL;
			return ctl_fail("cannot list ports");
		}
		if (got <= n)
			return got;
	}
}

/* A port by ethdev name or id: bpftool's "invalid devname" else. */
static int
find_port(const char *dev, struct rte_xdp_ctl_port *port)
{
	struct rte_xdp_ctl_port *ports;
	unsigned long id = ULONG_MAX;
	int n, k, ret = -EINVAL;
	char *end;

	n = port_list(&ports);
	if (n < 0)
		return -1;
	if (dev[0] >= '0' && dev[0] <= '9') {
		id = strtoul(dev, &end, 10);
		if (*end != '\0')
			id = ULONG_MAX;
	}
	for (k = 0; k < n; k++)
		if (strcmp(ports[k].name, dev) == 0 || ports[k].port_id == id) {
			*port = ports[k];
			ret = 0;
			break;
		}
	free(ports);
	if (ret != 0)
		fail("invalid devname %s", dev);
	return ret;
}

/* net show [dev PORT] */
static int
do_show(int argc, char **argv)
{
	struct rte_xdp_ctl_port *ports, one;
	int n, k;

	if (argc == 2 && strcmp(argv[0], "dev") == 0) {
		if (find_port(argv[1], &one) != 0)
			return -1;
		ports = &one;
		n = 1;
	} else if (argc == 0) {
		n = port_list(&ports);
		if (n < 0)
			return -1;
	} else {
		return fail("net show [dev PORT]");
	}
	if (json_output) {
		jsonw_start_array(json_wtr);
		jsonw_start_object(json_wtr);
		jsonw_name(json_wtr, "xdp");
		jsonw_start_array(json_wtr);
	} else {
		printf("xdp:\n");
	}
	for (k = 0; k < n; k++)
		show_port(&ports[k]);
	if (json_output) {
		jsonw_end_array(json_wtr);
		jsonw_name(json_wtr, "tc");
		jsonw_start_array(json_wtr);
		jsonw_end_array(json_wtr);
		jsonw_name(json_wtr, "flow_dissector");
		jsonw_start_array(json_wtr);
		jsonw_end_array(json_wtr);
		jsonw_end_object(json_wtr);
		jsonw_end_array(json_wtr);
	} else {
		printf("\ntc:\n\nflow_dissector:\n\n");
	}
	if (ports != &one)
		free(ports);
	return 0;
}

/* ATTACH_TYPE := xdp | xdpgeneric | xdpdrv | xdpoffload */
static int
parse_type(const char *w, enum rte_xdp_ctl_mode *mode)
{
	if (strcmp(w, "xdp") == 0)
		*mode = RTE_XDP_CTL_MODE_AUTO;
	else if (strcmp(w, "xdpgeneric") == 0)
		*mode = RTE_XDP_CTL_MODE_GENERIC;
	else if (strcmp(w, "xdpdrv") == 0)
		*mode = RTE_XDP_CTL_MODE_DRV;
	else if (strcmp(w, "xdpoffload") == 0)
		return fail("xdpoffload: no DPDK port offloads XDP programs");
	else
		return fail("invalid net attach/detach type: %s", w);
	return 0;
}

/* net attach ATTACH_TYPE PROG dev PORT [overwrite] */
static int
do_attach(int argc, char **argv)
{
	enum rte_xdp_ctl_mode mode = RTE_XDP_CTL_MODE_AUTO;
	struct rte_xdp_ctl_prog prog;
	struct rte_xdp_ctl_port port;
	uint32_t flags = 0;
	int i = 1, ret;

	if (argc < 1)
		return fail("net attach ATTACH_TYPE PROG dev PORT [overwrite]");
	if (parse_type(argv[0], &mode) != 0)
		return -1;
	if (parse_prog(argc, argv, &i, &prog) != 0)
		return -1;
	if (i + 1 >= argc || strcmp(argv[i], "dev") != 0)
		return fail("net attach ATTACH_TYPE PROG dev PORT [overwrite]");
	ret = find_port(argv[i + 1], &port);
	if (ret != 0)
		return ret;
	i += 2;
	if (i < argc && strcmp(argv[i], "overwrite") == 0) {
		flags |= RTE_XDP_CTL_F_REPLACE;
		i++;
	}
	if (i != argc)
		return fail("net attach ATTACH_TYPE PROG dev PORT [overwrite]");
	forget_maps();
	ret = rte_xdp_ctl_attach(ctl, port.port_id, prog.info.id, &mode,
		flags);
	if (ret != 0) {
		fail("interface %s attach failed: %s (%s)", argv[0],
			strerror(-ret), rte_xdp_ctl_error(ctl));
		return ret;
	}
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}

/* net detach ATTACH_TYPE dev PORT */
static int
do_detach(int argc, char **argv)
{
	enum rte_xdp_ctl_mode mode = RTE_XDP_CTL_MODE_AUTO;
	struct rte_xdp_ctl_port port;
	int ret;

	if (argc != 3 || strcmp(argv[1], "dev") != 0)
		return fail("net detach ATTACH_TYPE dev PORT");
	if (parse_type(argv[0], &mode) != 0)
		return -1;
	ret = find_port(argv[2], &port);
	if (ret != 0)
		return ret;
	forget_maps();
	ret = rte_xdp_ctl_detach(ctl, port.port_id, mode);
	if (ret != 0) {
		fail("interface %s detach failed: %s (%s)", argv[0],
			strerror(-ret), rte_xdp_ctl_error(ctl));
		return ret;
	}
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}

static int
do_help(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	return print_usage(
		"Usage: %1$s net { show | list } [dev PORT]\n"
		"       %1$s net attach ATTACH_TYPE PROG dev PORT [overwrite]\n"
		"       %1$s net detach ATTACH_TYPE dev PORT\n"
		"       %1$s net help\n"
		"\n"
		"       PROG := { id PROG_ID | name PROG_NAME | pinned PATH | OBJ }\n"
		"       ATTACH_TYPE := { xdp | xdpgeneric | xdpdrv }\n"
		"       PORT := { ETHDEV_NAME | PORT_ID }\n"
		"       " HELP_SPEC_OPTIONS " }\n",
		bin_name);
}

static const struct cmd cmds[] = {
	{ "show", do_show },
	{ "list", do_show },
	{ "help", do_help },
	{ "attach", do_attach },
	{ "detach", do_detach },
	{ NULL, NULL },
};

int
do_net(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
