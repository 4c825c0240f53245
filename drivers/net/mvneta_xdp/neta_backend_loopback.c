/* SPDX-License-Identifier: BSD-3-Clause */
/* Backend "loopback": a loopback plug; what the port sends, it receives. */

#include "neta_model.h"

static void
loopback_tx_burst(struct neta_model *nm, const struct neta_frame *f,
		uint32_t n)
{
	neta_model_rx_frames(nm, f, n);
}

const struct neta_backend_ops neta_backend_loopback = {
	.name = "loopback",
	.tx_burst = loopback_tx_burst,
};
