// SPDX-License-Identifier: BSD-3-Clause
/*
 * bpf_spin_lock() around the fields of a map value whose lock word sits
 * between them. The kernel copies values around the lock word
 * (copy_map_value()), for program and control-plane updates alike, and
 * shows it as zero: xdp_lock_overwrite writes the whole value with
 * all-ones bytes and then takes the lock, as the control plane's update
 * below does before the first frame. A lock word written over would be
 * spun on.
 *
 * xdp-diff: map update name locked key 0 0 0 0 value 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255 255
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct locked_val {
	__u64 before;
	struct bpf_spin_lock lock;
	__u32 after;
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked_val);
} locked SEC(".maps");

static __always_inline int
count_locked(void)
{
	__u32 k = 0;
	struct locked_val *v = bpf_map_lookup_elem(&locked, &k);

	if (v == NULL)
		return XDP_ABORTED;
	bpf_spin_lock(&v->lock);
	v->before += 1;
	v->after = 0x5a5a5a5a;
	v->count += 1;
	bpf_spin_unlock(&v->lock);
	return XDP_PASS;
}

SEC("xdp")
int xdp_lock_count(struct xdp_md *ctx)
{
	return count_locked();
}

SEC("xdp")
int xdp_lock_overwrite(struct xdp_md *ctx)
{
	struct locked_val ones;
	__u32 k = 0;

	__builtin_memset(&ones, 0xff, sizeof(ones));
	if (bpf_map_update_elem(&locked, &k, &ones, BPF_ANY) != 0)
		return XDP_ABORTED;
	return count_locked();
}

char _license[] SEC("license") = "Dual BSD/GPL";
