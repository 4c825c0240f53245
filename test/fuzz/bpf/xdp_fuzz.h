/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_FUZZ_H
#define XDP_FUZZ_H

/* The control map's value shared by test/fuzz/bpf/xdp_fuzz.c and
 * fuzz_frame_path.c (fixed-size types only). */

#define FUZZ_STEPS	4

/* step ops of fuzz_adjust */
#define FUZZ_OP_NONE	0
#define FUZZ_OP_HEAD	1	/* bpf_xdp_adjust_head(delta) */
#define FUZZ_OP_TAIL	2	/* bpf_xdp_adjust_tail(delta) */
#define FUZZ_OP_META	3	/* bpf_xdp_adjust_meta(delta) */

struct fuzz_cfg {
	__s32 op[FUZZ_STEPS];
	__s32 delta[FUZZ_STEPS];
	__s32 ret[FUZZ_STEPS];	/* what each helper returned */
	__u32 verdict;		/* fuzz_adjust's verdict, any value */
	__s32 tx_budget;	/* XDP_TX verdicts left (a loopback port sees
				 * its XDP_TX frames again) */
};

#endif
