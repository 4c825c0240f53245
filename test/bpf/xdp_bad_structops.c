// SPDX-License-Identifier: BSD-3-Clause
/* Negative test: an XDP program next to a struct_ops map, a kernel-only
 * facility. libbpf 1.1 cannot handle the object: bpf_object__load()
 * dereferences a kernel BTF it did not load (there is no struct_ops
 * program) and bpf_object__open() copies the variable from an offset it
 * checks with a 32-bit sum that wraps (xdp_obj_check_autotest). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct ops {
	int a;
	int b;
};

SEC(".struct_ops") struct ops my_ops = { .a = 1, .b = 2 };

SEC("xdp")
int xdp_bad_structops(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
