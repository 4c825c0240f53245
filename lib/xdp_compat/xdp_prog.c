/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Load a program into rte_bpf (link → rewrite → rte_bpf_load → JIT) and
 * run it over bursts of mbufs seen as xdp_buffs.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bpf.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_mbuf_dyn.h>
#include <rte_per_lcore.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

RTE_DECLARE_PER_LCORE(struct rte_xdp_redirect_info, xdpc_redirect_info);
RTE_DECLARE_PER_LCORE(struct xdpc_ctx *, xdpc_cur_ctx);

static int meta_len_off = -1;

static int
meta_dynfield(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "xdp_compat_meta_len",
		.size = sizeof(uint32_t),
		.align = __alignof__(uint32_t),
	};

	if (meta_len_off < 0)
		meta_len_off = rte_mbuf_dynfield_register(&desc);
	return meta_len_off;
}

uint32_t
rte_xdp_mbuf_meta_len(const struct rte_mbuf *m)
{
	if (meta_len_off < 0)
		return 0;
	return *RTE_MBUF_DYNFIELD(m, meta_len_off, const uint32_t *);
}

int
rte_xdp_mbuf_set_meta_len(struct rte_mbuf *m, uint32_t len)
{
	if (meta_dynfield() < 0 || len > 32 || (len & 3) != 0 ||
	    len > m->data_off)
		return -EINVAL;
	*RTE_MBUF_DYNFIELD(m, meta_len_off, uint32_t *) = len;
	return 0;
}

/* Keep the last rte_bpf validator line, and the pc it names. */
static void
bpf_log_reason(const char *log, const struct xdpc_rewrite_out *rw,
	const struct rte_xdp_prog *prog, char *err, size_t err_len)
{
	const char *line = NULL, *p, *pc;
	char reason[256];
	long n;

	for (p = log; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strstr(p, "pc") != NULL || strstr(p, "error") != NULL)
			if (line == NULL || strncmp(p, "bpf_", 4) == 0 ||
			    strstr(p, "pc:") != NULL)
				line = p;
		if (*p == '\0')
			break;
	}
	if (line == NULL) {
		xdpc_err(err, err_len, "section %s: rte_bpf refused the program (%s)",
			prog->section, rte_strerror(rte_errno));
		return;
	}
	snprintf(reason, sizeof(reason), "%.*s", (int)strcspn(line, "\n"),
		line);
	pc = strstr(line, "pc:");
	n = pc != NULL ? strtol(pc + 3, NULL, 10) : -1;
	if (n >= 0 && (uint32_t)n < rw->nb_ins)
		xdpc_err(err, err_len, "section %s insn %d: rte_bpf: %s",
			prog->section, rw->orig[n], reason);
	else
		xdpc_err(err, err_len, "section %s: rte_bpf: %s",
			prog->section, reason);
}

int xdpc_prog_load(struct rte_xdp_prog *prog, char *err, size_t err_len);
void xdpc_prog_unload(struct rte_xdp_prog *prog);

int
xdpc_prog_load(struct rte_xdp_prog *prog, char *err, size_t err_len)
{
	struct xvec code = { 0 };
	struct xdpc_rewrite_out rw = { 0 };
	struct rte_bpf_prm prm;
	struct rte_bpf_jit jit;
	struct rte_bpf *bpf;
	FILE *saved, *mem;
	char *log = NULL;
	size_t log_len = 0;
	int ret;

	if (meta_dynfield() < 0) {
		xdpc_err(err, err_len, "cannot register mbuf metadata field");
		return -rte_errno;
	}
	prog->pkt_window = prog->obj->opts.pkt_window;
	if (prog->len > RTE_XDP_MAX_INSNS) {
		xdpc_err(err, err_len,
			"section %s: program too large: %u instructions (limit %u)",
			prog->section, prog->len, RTE_XDP_MAX_INSNS);
		return -E2BIG;
	}
	ret = xdpc_link(prog->obj, prog, &code, err, err_len);
	if (ret == 0 && code.n > RTE_XDP_MAX_INSNS) {
		xdpc_err(err, err_len,
			"section %s: program too large once its calls are inlined: %u instructions (limit %u)",
			prog->section, code.n, RTE_XDP_MAX_INSNS);
		ret = -E2BIG;
	}
	if (ret != 0)
		goto out;
	ret = xdpc_rewrite(prog, &code, &rw, err, err_len);
	if (ret != 0)
		goto out;
	prog->xsym = xdpc_build_xsyms(prog, &rw, err, err_len);
	if (prog->xsym == NULL) {
		ret = -EINVAL;
		goto out;
	}
	prog->nb_xsym = rw.nb_calls + rw.nb_vars;
	memset(&prm, 0, sizeof(prm));
	prm.ins = (const struct ebpf_insn *)rw.ins;
	prm.nb_ins = rw.nb_ins;
	prm.xsym = prog->xsym;
	prm.nb_xsym = prog->nb_xsym;
	prm.prog_arg.type = RTE_BPF_ARG_PTR_MBUF;
	prm.prog_arg.size = sizeof(struct xdpc_ctx);
	prm.prog_arg.buf_size = prog->pkt_window;

	/* Capture the validator's log to name the refused instruction. */
	saved = rte_log_get_stream();
	mem = open_memstream(&log, &log_len);
	if (mem != NULL)
		rte_openlog_stream(mem);
	bpf = rte_bpf_load(&prm);
	if (mem != NULL) {
		rte_openlog_stream(saved == stderr ? NULL : saved);
		fclose(mem);
	}
	if (bpf == NULL) {
		bpf_log_reason(log, &rw, prog, err, err_len);
		ret = -EACCES;
		goto out;
	}
	prog->bpf = bpf;
	prog->nb_xlated = rw.nb_ins;
	prog->nb_clamps = rw.nb_clamps;
	prog->nb_spills = rw.nb_spills;
	prog->clamp_limit = rw.nb_clamps == 0 ? 0 : prog->pkt_window -
		XDPC_CLAMP_SLACK - XDPC_CLAMP_MARGIN;
	prog->func = NULL;
	prog->jited_size = 0;
	if (!prog->obj->opts.interpret && rte_bpf_get_jit(bpf, &jit) == 0 &&
	    jit.func != NULL) {
		prog->func = jit.func;
		prog->jited_size = jit.sz;
	}
	ret = 0;
out:
	free(log);
	if (ret != 0) {
		free(prog->xsym);
		prog->xsym = NULL;
	}
	xdpc_rewrite_out_free(&rw);
	xvec_free(&code);
	return ret;
}

void
xdpc_prog_unload(struct rte_xdp_prog *prog)
{
	if (prog->bpf != NULL)
		rte_bpf_destroy(prog->bpf);
	prog->bpf = NULL;
	prog->func = NULL;
	free(prog->xsym);
	prog->xsym = NULL;
}

static inline uint16_t
run_burst(const struct rte_xdp_prog *prog, const struct rte_xdp_rxq_info *rxq,
	uint32_t egress_ifindex, struct rte_mbuf **pkts, uint16_t n,
	uint32_t *verdicts, struct rte_xdp_redirect_info *redirects)
{
	struct rte_xdp_redirect_info *ri = &RTE_PER_LCORE(xdpc_redirect_info);
	struct xdpc_ctx c;
	uint16_t k;

	memset(&c, 0, sizeof(c));
	c.pkt_window = prog->pkt_window;
	c.clamp_limit = prog->clamp_limit;
	c.meta_view = &c.data_meta;
	c.egress_ifindex = egress_ifindex;
	if (rxq != NULL) {
		c.ingress_ifindex = rxq->ifindex;
		c.rx_queue_index = rxq->queue_index;
	}
	RTE_PER_LCORE(xdpc_cur_ctx) = &c;
	for (k = 0; k < n; k++) {
		struct rte_mbuf *m = pkts[k];
		uint8_t *buf_end = (uint8_t *)m->buf_addr + m->buf_len;
		uint32_t *meta = RTE_MBUF_DYNFIELD(m, meta_len_off, uint32_t *);
		uint8_t *data;
		uint64_t rc;

		c.data_hard_start = m->buf_addr;
		c.data = rte_pktmbuf_mtod(m, void *);
		c.data_end = (uintptr_t)c.data + m->data_len;
		if (*meta > m->data_off)
			*meta = 0;
		c.data_meta = (uintptr_t)c.data - *meta;
		c.frame_sz = rxq != NULL && rxq->frag_size != 0 &&
			rxq->frag_size <= m->buf_len ? rxq->frag_size :
			m->buf_len;
		c.mbuf = m;
		if ((size_t)(buf_end - (uint8_t *)c.data) < prog->pkt_window ||
		    m->nb_segs != 1 || prog->bpf == NULL ||
		    (c.clamp_limit != 0 &&
		     c.data_end - c.data_meta > c.clamp_limit)) {
			verdicts[k] = RTE_XDP_ABORTED;
			if (redirects != NULL)
				memset(&redirects[k], 0, sizeof(redirects[k]));
			continue;
		}
		memset(ri, 0, sizeof(*ri));
		rc = prog->func != NULL ? prog->func(&c) :
			rte_bpf_exec(prog->bpf, &c);
		verdicts[k] = (uint32_t)rc;
		if (redirects != NULL)
			redirects[k] = *ri;
		/* apply the program's moves back to the mbuf */
		data = c.data;
		m->data_off = data - (uint8_t *)m->buf_addr;
		m->pkt_len = m->pkt_len - m->data_len;
		m->data_len = c.data_end - (uintptr_t)data;
		m->pkt_len += m->data_len;
		*meta = (uintptr_t)data - c.data_meta;
	}
	RTE_PER_LCORE(xdpc_cur_ctx) = NULL;
	return n;
}

uint16_t
rte_xdp_prog_run_burst(const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, struct rte_mbuf **pkts, uint16_t n,
	uint32_t *verdicts, struct rte_xdp_redirect_info *redirects)
{
	return run_burst(prog, rxq, 0, pkts, n, verdicts, redirects);
}

uint16_t
rte_xdp_prog_run_burst_egress(const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, uint32_t egress_ifindex,
	struct rte_mbuf **pkts, uint16_t n, uint32_t *verdicts,
	struct rte_xdp_redirect_info *redirects)
{
	return run_burst(prog, rxq, egress_ifindex, pkts, n, verdicts,
		redirects);
}
