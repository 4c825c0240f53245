/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend "peer": a wire to another net_mvneta_xdp port of the process,
 * named by its vdev name. Both sides name each other; the wire is
 * connected when both exist and is cut when either is closed.
 */

#include <string.h>

#include <rte_kvargs.h>

#include "neta_model.h"

static int
peer_open(struct neta_model *nm, struct rte_kvargs *kv)
{
	const char *name = NULL;
	unsigned int i;

	for (i = 0; i < kv->count; i++)
		if (strcmp(kv->pairs[i].key, "peer") == 0)
			name = kv->pairs[i].value;
	if (name == NULL || name[0] == '\0') {
		NETA_LOG(ERR, nm, "devarg peer: needs the peer's vdev name");
		return -EINVAL;
	}
	if (strcmp(name, nm->name) == 0) {
		NETA_LOG(ERR, nm, "devarg peer=%s: a port cannot be its own peer (use backend=loopback)",
			name);
		return -EINVAL;
	}
	strlcpy(nm->peer_name, name, sizeof(nm->peer_name));
	return 0;
}

/* Connect the wire once the other end exists (control path). */
static struct neta_model *
peer_get(struct neta_model *nm)
{
	struct neta_model *p = __atomic_load_n(&nm->peer, __ATOMIC_ACQUIRE);

	if (likely(p != NULL))
		return p;
	p = neta_model_find(nm->peer_name);
	if (p == NULL)
		return NULL;
	if (strcmp(p->peer_name, nm->name) != 0) {
		NETA_LOG(WARNING, nm, "peer %s does not name %s as its peer",
			p->name, nm->name);
		return NULL;
	}
	__atomic_store_n(&p->peer, nm, __ATOMIC_RELEASE);
	__atomic_store_n(&nm->peer, p, __ATOMIC_RELEASE);
	return p;
}

static void
peer_tx_burst(struct neta_model *nm, const struct neta_frame *f, uint32_t n)
{
	struct neta_model *p = __atomic_load_n(&nm->peer, __ATOMIC_ACQUIRE);

	/* No far end: the frames are lost on the wire. */
	if (likely(p != NULL))
		neta_model_rx_frames(p, f, n);
}

static bool
peer_carrier(struct neta_model *nm)
{
	struct neta_model *p = peer_get(nm);

	return p != NULL && p->port_enabled && p->link_admin;
}

const struct neta_backend_ops neta_backend_peer = {
	.name = "peer",
	.open = peer_open,
	.tx_burst = peer_tx_burst,
	.carrier = peer_carrier,
};
