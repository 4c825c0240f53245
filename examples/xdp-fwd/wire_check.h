/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_FWD_WIRE_CHECK_H
#define XDP_FWD_WIRE_CHECK_H

#include <stddef.h>
#include <stdint.h>

/*
 * The kernel interface a port reaches its wire through with AF_PACKET
 * (net_af_packet's or net_mvneta_xdp's iface=), into name.
 * @return 0, or -1 when the port has none (its frames are its own).
 */
int wire_iface(uint16_t port_id, char *name, size_t len);

/* What the namespace's stack would do with frames on that interface. */
enum wire_hazard {
	WIRE_IPV6_ON = 1 << 0,		/* IPv6 enabled on it */
	WIRE_IPV4_FORWARDING = 1 << 1,	/* IPv4 forwarding on it */
	WIRE_IPV4_NO_RPF = 1 << 2,	/* no strict reverse-path filter */
};

/*
 * Warn (stderr) about each hazard of iface not in *warned yet, with the
 * sysctl that removes it, and add it to *warned. port_name names the port
 * in the message.
 */
void wire_check(const char *port_name, const char *iface, unsigned int *warned);

#endif /* XDP_FWD_WIRE_CHECK_H */
