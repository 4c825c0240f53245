/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend "loopback": a loopback plug; what the port sends, it receives. */

#include "neta_model.h"

static bool
loopback_tx(struct neta_model *nm, const struct neta_frame *f)
{
	neta_model_rx_frame(nm, f);
	return true;
}

const struct neta_backend_ops neta_backend_loopback = {
	.name = "loopback",
	.tx = loopback_tx,
};
