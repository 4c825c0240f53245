// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: nine frames of bpf-to-bpf calls, one more than the
 * kernel's eight. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define LEVEL(n, m)						\
	static __attribute__((noinline)) int			\
	level##n(int x)						\
	{							\
		return level##m(x + n) ^ n;			\
	}

static __attribute__((noinline)) int
level8(int x)
{
	return x * 3;
}

LEVEL(7, 8)
LEVEL(6, 7)
LEVEL(5, 6)
LEVEL(4, 5)
LEVEL(3, 4)
LEVEL(2, 3)
LEVEL(1, 2)

SEC("xdp")
int xdp_bad_deep(struct xdp_md *ctx)
{
	return level1(ctx->ingress_ifindex) & 3;
}

char _license[] SEC("license") = "Dual BSD/GPL";
