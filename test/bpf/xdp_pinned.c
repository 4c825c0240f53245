// SPDX-License-Identifier: BSD-3-Clause
/* Maps pinned by name (libbpf's LIBBPF_PIN_BY_NAME), as xdp-tools and
 * XDP-Firewall declare them: --verify kernel must leave nothing pinned in
 * /sys/fs/bpf, so the same object loads again (a pinned devmap no longer
 * matches its definition: the kernel adds BPF_F_RDONLY_PROG to it).
 * Built with -DBAD_PINNED: the kernel refuses the program (an unchecked
 * packet read), and nothing may stay behind either. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 4);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xdpc_pin_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xdpc_pin_count SEC(".maps");

SEC("xdp")
int xdp_pinned(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&xdpc_pin_count, &zero);

#ifdef BAD_PINNED
	if (*(unsigned char *)(long)ctx->data == 0)
		return XDP_DROP;
#endif
	if (n != NULL)
		*n += 1;
	return bpf_redirect_map(&xdpc_pin_ports, 0, XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";
