// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: a kernel function (kfunc), the conntrack lookup XDP
 * programs may call in the kernel: kernel-only, refused by name. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct nf_conn;
struct bpf_ct_opts___local {
	__s32 netns_id;
	__s32 error;
	__u8 l4proto;
	__u8 dir;
	__u8 reserved[2];
} __attribute__((preserve_access_index));

extern struct nf_conn *bpf_xdp_ct_lookup(struct xdp_md *, struct bpf_sock_tuple *,
	__u32, struct bpf_ct_opts___local *, __u32) __ksym;
extern void bpf_ct_release(struct nf_conn *) __ksym;

SEC("xdp")
int xdp_bad_kfunc(struct xdp_md *ctx)
{
	struct bpf_ct_opts___local opts = { .netns_id = -1, .l4proto = 17 };
	struct bpf_sock_tuple tup = { 0 };
	struct nf_conn *ct;

	ct = bpf_xdp_ct_lookup(ctx, &tup, sizeof(tup.ipv4), &opts,
		sizeof(opts));
	if (ct) {
		bpf_ct_release(ct);
		return XDP_DROP;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
