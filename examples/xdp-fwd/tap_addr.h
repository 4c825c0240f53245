/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_FWD_TAP_ADDR_H
#define XDP_FWD_TAP_ADDR_H

#include <stddef.h>
#include <stdint.h>

/* A port's TAP as the routes file names it: by name or by ifindex. */
struct tap_addr_if {
	const char *name;	/* the TAP's kernel name, e.g. xfwd0 */
	uint32_t ifindex;	/* the port's ifindex in the FIB */
};

/*
 * Put the routes file's "addr ADDR dev NAME" addresses of these TAPs on
 * them in the kernel (rtnetlink), each with the prefix of the file's
 * connected route that holds it ("route PREFIX/LEN dev NAME", no via),
 * or a host prefix. IPv6 ones skip duplicate address detection. An
 * address the interface already has is left alone (and not removed).
 * Prints one line per address added.
 * @return number added, or a negative errno with err set (the ones added
 * before stay recorded for tap_addr_remove_all()).
 */
int tap_addr_apply(const char *path, const struct tap_addr_if *ifs,
	unsigned int nb_ifs, char *err, size_t err_len);

/* Remove every address tap_addr_apply() added (at exit, on any path). */
void tap_addr_remove_all(void);

#endif /* XDP_FWD_TAP_ADDR_H */
