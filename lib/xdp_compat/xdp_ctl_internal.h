/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_CTL_INTERNAL_H
#define XDP_CTL_INTERNAL_H

/*
 * The control plane inside the library: requests (an op and a body, see
 * xdp_ctl_wire.h), the server that carries them out in the process that
 * runs the programs (xdp_ctl_server.c), and the transport between a
 * secondary and that process (xdp_ctl_mp.c). A local handle calls the
 * server directly, with the same bodies, so that both paths are one.
 */

#include <stddef.h>
#include <stdint.h>

#include "xdp_ctl_wire.h"

#define XDPC_CTL_MP_NAME	"xdp_ctl"
#define XDPC_CTL_VERSION	1

enum xdpc_ctl_op {
	XDPC_CTL_HELLO = 1,	/* open a session (its liveness fd comes along) */
	XDPC_CTL_BYE,		/* close it */
	XDPC_CTL_PORT_LIST,
	XDPC_CTL_ATTACH,
	XDPC_CTL_DETACH,
	XDPC_CTL_OBJ_LOAD,
	XDPC_CTL_OBJ_UNPIN,
	XDPC_CTL_PROG_LIST,
	XDPC_CTL_PROG_RUN,
	XDPC_CTL_PROG_XLATED,
	XDPC_CTL_STATS,
	XDPC_CTL_MAP_LIST,
	XDPC_CTL_MAP_OP,	/* lookup, update (batch), delete, next key */
	XDPC_CTL_EVENTS_OPEN,
	XDPC_CTL_EVENTS_READ,
	XDPC_CTL_EVENTS_CLOSE,
	XDPC_CTL_NB_OPS
};

/* XDPC_CTL_MAP_OP's first field */
enum xdpc_ctl_map_cmd {
	XDPC_MAP_LOOKUP = 1,
	XDPC_MAP_UPDATE,
	XDPC_MAP_DELETE,
	XDPC_MAP_NEXT_KEY,
};

#define XDPC_CTL_ERR_LEN	1024

/*
 * Carry out one request for session sid (0: none yet, for HELLO) in this
 * process. The reply body goes to rep; on error the return is a negative
 * errno and err holds the message. fd is the session's liveness fd that
 * came with HELLO (-1 for a local session); the server owns it then.
 */
int xdpc_ctl_serve(uint32_t sid, uint16_t op, struct xdpc_rbuf *req,
	int fd, struct xdpc_wbuf *rep, char *err, size_t err_len);

/* Sessions whose liveness fd must be watched: fills fds and ids, up to
 * max; returns how many there are. */
unsigned int xdpc_ctl_session_fds(int *fds, uint32_t *sids,
	unsigned int max);

/* The peer of a session is gone: release what it held. */
void xdpc_ctl_session_end(uint32_t sid);

/* Transport (xdp_ctl_mp.c): send a request to the primary and wait. */
int xdpc_ctl_mp_call(uint32_t sid, uint16_t op, const struct xdpc_wbuf *req,
	int fd, void **rep, size_t *rep_len, char *err, size_t err_len);

#endif /* XDP_CTL_INTERNAL_H */
