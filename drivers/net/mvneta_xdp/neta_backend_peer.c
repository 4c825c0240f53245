/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend "peer": a wire to another net_mvneta_xdp port of the process,
 * named by its vdev name. Both sides name each other; the wire is
 * connected when both exist and is cut when either is closed. The peer
 * may be probed after this port: a peer still missing when the port
 * starts is logged once per start, and looked for at every link check.
 */

#include <errno.h>
#include <string.h>

#include <rte_kvargs.h>

#include "neta_model.h"

/* Why other cannot be our far end, NULL if it can. */
static const char *
peer_mismatch(const struct neta_model *nm, const struct neta_model *other)
{
	if (other->backend != &neta_backend_peer)
		return "its backend is not peer";
	if (strcmp(other->peer_name, nm->name) != 0)
		return "it names another port as its peer";
	return NULL;
}

static int
peer_open(struct neta_model *nm, struct rte_kvargs *kv)
{
	const struct neta_model *other;
	const char *name = NULL, *why;
	unsigned int i;

	for (i = 0; i < kv->count; i++)
		if (strcmp(kv->pairs[i].key, NETA_ARG_PEER) == 0)
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
	/* A peer probed later is looked for at start; one already there
	 * must name this port. */
	other = neta_model_find(name);
	why = other != NULL ? peer_mismatch(nm, other) : NULL;
	if (why != NULL) {
		NETA_LOG(ERR, nm, "devarg peer=%s: that port cannot be wired to this one: %s",
			name, why);
		return -EINVAL;
	}
	strlcpy(nm->peer_name, name, sizeof(nm->peer_name));
	return 0;
}

/* Connect the wire once the other end exists (control path); with
 * report, say why it is not connected. */
static struct neta_model *
peer_get(struct neta_model *nm, bool report)
{
	struct neta_model *p = __atomic_load_n(&nm->peer, __ATOMIC_ACQUIRE);
	const char *why;

	if (likely(p != NULL))
		return p;
	p = neta_model_find(nm->peer_name);
	if (p == NULL) {
		if (report)
			NETA_LOG(WARNING, nm, "peer %s: no such net_mvneta_xdp port yet: the link stays down until it is probed with peer=%s",
				nm->peer_name, nm->name);
		return NULL;
	}
	why = peer_mismatch(nm, p);
	if (why != NULL) {
		if (report)
			NETA_LOG(WARNING, nm, "peer %s: %s: the link stays down",
				p->name, why);
		return NULL;
	}
	__atomic_store_n(&p->peer, nm, __ATOMIC_RELEASE);
	__atomic_store_n(&nm->peer, p, __ATOMIC_RELEASE);
	NETA_LOG(INFO, nm, "wired to peer %s", p->name);
	return p;
}

static void
peer_start(struct neta_model *nm)
{
	peer_get(nm, true);
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
	struct neta_model *p = peer_get(nm, false);

	return p != NULL && p->port_enabled && p->link_admin;
}

const struct neta_backend_ops neta_backend_peer = {
	.name = "peer",
	.open = peer_open,
	.start = peer_start,
	.tx_burst = peer_tx_burst,
	.carrier = peer_carrier,
};
