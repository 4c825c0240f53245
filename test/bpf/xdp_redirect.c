// SPDX-License-Identifier: BSD-3-Clause
/* bpf_redirect and bpf_redirect_map on every redirect map type, with
 * and without an entry at the key, with fallback actions and flags. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* xdp-diff: map update name tx_port key 0 0 0 0 value 1 0 0 0
 * xdp-diff: map update name tx_hash key 1 0 0 0 value 1 0 0 0
 * xdp-diff: map update name cpus key 0 0 0 0 value 192 0 0 0
 */

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} tx_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

/* The key and flags come from the frame: byte 12 (key), 13 (flags). */
#define FRAME_ARGS(ctx, key, flags)					\
	do {								\
		void *data = (void *)(long)(ctx)->data;			\
		void *data_end = (void *)(long)(ctx)->data_end;	\
		__u8 *p = data;						\
									\
		if (data + 14 > data_end)				\
			return XDP_DROP;				\
		key = p[12] & 3;					\
		flags = p[13] & 0x1b;					\
	} while (0)

SEC("xdp")
int xdp_redirect_ifindex(struct xdp_md *ctx)
{
	__u32 key, flags;

	FRAME_ARGS(ctx, key, flags);
	return bpf_redirect(key + 1, flags & 1);
}

SEC("xdp")
int xdp_redirect_devmap(struct xdp_md *ctx)
{
	__u32 key, flags;

	FRAME_ARGS(ctx, key, flags);
	return bpf_redirect_map(&tx_port, key, flags);
}

SEC("xdp")
int xdp_redirect_devmap_hash(struct xdp_md *ctx)
{
	__u32 key, flags;

	FRAME_ARGS(ctx, key, flags);
	return bpf_redirect_map(&tx_hash, key, flags);
}

SEC("xdp")
int xdp_redirect_cpumap(struct xdp_md *ctx)
{
	__u32 key, flags;

	FRAME_ARGS(ctx, key, flags);
	return bpf_redirect_map(&cpus, key, flags);
}

SEC("xdp")
int xdp_redirect_xskmap(struct xdp_md *ctx)
{
	__u32 key, flags;

	FRAME_ARGS(ctx, key, flags);
	return bpf_redirect_map(&xsks, key, flags);
}

char _license[] SEC("license") = "Dual BSD/GPL";
