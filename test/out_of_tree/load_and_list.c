/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An application outside the tree: built against the installed library
 * with pkg-config only (test/scripts/out_of_tree.sh). Loads an XDP object,
 * runs its program once on a frame, lists it through the control API.
 *
 *   load_and_list [EAL args] -- OBJECT
 */

#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include <rte_xdp_ctl.h>
#include <rte_xdp_prog.h>

int
main(int argc, char **argv)
{
	struct rte_xdp_ctl_prog progs[8];
	struct rte_xdp_ctl_obj obj;
	struct rte_xdp_ctl *ctl;
	struct rte_mempool *mp;
	struct rte_mbuf *m;
	uint32_t verdict = 0;
	char err[256];
	int n, ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0 || ret + 1 >= argc) {
		fprintf(stderr, "usage: %s EAL-ARGS -- OBJECT\n", argv[0]);
		return 1;
	}
	ctl = rte_xdp_ctl_open(err, sizeof(err));
	if (ctl == NULL) {
		fprintf(stderr, "rte_xdp_ctl_open: %s\n", err);
		return 1;
	}
	if (rte_xdp_ctl_obj_load(ctl, argv[ret + 1], NULL, &obj) != 0) {
		fprintf(stderr, "load: %s\n", rte_xdp_ctl_error(ctl));
		return 1;
	}
	mp = rte_pktmbuf_pool_create("ootp", 63, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	m = mp != NULL ? rte_pktmbuf_alloc(mp) : NULL;
	if (m == NULL || rte_pktmbuf_append(m, 64) == NULL) {
		fprintf(stderr, "no mbuf\n");
		return 1;
	}
	memset(rte_pktmbuf_mtod(m, void *), 0, 64);
	rte_xdp_prog_run_burst(rte_xdp_prog_by_id(obj.prog_ids[0]), NULL, &m,
		1, &verdict, NULL);
	rte_pktmbuf_free(m);
	n = rte_xdp_ctl_prog_list(ctl, progs, 8);
	printf("programs %d, first %s, verdict %u\n", n,
		n > 0 ? progs[0].name : "-", verdict);
	rte_xdp_ctl_close(ctl);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return n == 1 ? 0 : 1;
}
