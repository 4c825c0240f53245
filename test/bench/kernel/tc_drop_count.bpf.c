/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tc sink for kernel_xdp_bench: a cls_bpf direct-action program on the
 * receiving veth's clsact ingress hook; counts every packet, then drops
 * it with TC_ACT_SHOT.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tc_drop_cnt SEC(".maps");

SEC("tc")
int tc_drop_count(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *cnt = bpf_map_lookup_elem(&tc_drop_cnt, &key);

	if (cnt)
		(*cnt)++;
	return TC_ACT_SHOT;
}

char _license[] SEC("license") = "Dual BSD/GPL";
