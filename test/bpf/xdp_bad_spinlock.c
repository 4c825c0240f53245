// SPDX-License-Identifier: BSD-3-Clause
/* Negative tests: bpf_spin_lock() on a map value word that is not its
 * struct bpf_spin_lock (the kernel: "off 0 doesn't point to 'struct
 * bpf_spin_lock'"), the helper would spin on the counter; with
 * BAD_LOCKWORD, a plain store into the lock word before taking the lock
 * (the kernel: "bpf_spin_lock cannot be accessed directly by
 * load/store"), the helper would spin on the stored value; with
 * BAD_LOCKHELPER, bpf_xdp_load_bytes() into the whole value (the same
 * refusal). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	__u64 count;
	struct bpf_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} a SEC(".maps");

SEC("xdp")
int xdp_bad_spinlock(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct val *v = bpf_map_lookup_elem(&a, &k);

	if (v == NULL)
		return XDP_ABORTED;
#if defined(BAD_LOCKWORD) || defined(BAD_LOCKHELPER)
#ifdef BAD_LOCKWORD
	*(volatile __u32 *)&v->lock = 1;
#else
	if (bpf_xdp_load_bytes(ctx, 0, v, sizeof(*v)) != 0)
		return XDP_DROP;
#endif
	bpf_spin_lock(&v->lock);
	v->count++;
	bpf_spin_unlock(&v->lock);
#else
	bpf_spin_lock((struct bpf_spin_lock *)&v->count);
	v->count++;
	bpf_spin_unlock((struct bpf_spin_lock *)&v->count);
#endif
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
