// SPDX-License-Identifier: BSD-3-Clause
/* Calls every XDP helper not covered by xdp_adjust, xdp_meta, xdp_maps
 * and xdp_redirect, and stores what each returned (or a deterministic
 * fact about it, for clocks and random numbers) in the array "res". */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 20);
	__type(key, __u32);
	__type(value, __u64);
} res SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} pcpu SEC(".maps");

static __always_inline void
put(__u32 k, __u64 v)
{
	bpf_map_update_elem(&res, &k, &v, BPF_ANY);
}

SEC("xdp")
int xdp_helpers(struct xdp_md *ctx)
{
	__u32 from[4] = { 0x11223344, 0x55667788, 1, 2 };
	__u32 to[2] = { 0xdeadbeef, 0x01020304 };
	__u8 mac[8] = { 0x02, 0, 0, 0, 0, 0x01 };
	void *data, *data_end;
	__u64 t1, t2, buf = 0, *v;
	__u32 zero = 0, len;
	__u8 *p;

	t1 = bpf_ktime_get_ns();
	t2 = bpf_ktime_get_ns();
	put(0, t1 != 0 && t2 >= t1);
	put(1, bpf_ktime_get_boot_ns() != 0);
	put(2, bpf_ktime_get_coarse_ns() != 0);
	put(3, bpf_jiffies64() != 0);
	t1 = bpf_get_prandom_u32();
	put(4, t1 <= 0xffffffffu);
	put(5, bpf_get_smp_processor_id());
	put(6, bpf_printk("xdp_helpers %d", 42));
	put(7, bpf_printk("xdp_helpers %d %u %x %ld", 1, 2, 3, 4));
	put(8, (__u32)bpf_csum_diff(from, sizeof(from), to, sizeof(to),
		0x1234));
	put(10, bpf_xdp_get_buff_len(ctx));
	put(11, bpf_xdp_load_bytes(ctx, 6, &buf, sizeof(buf)));
	put(12, buf);
	put(13, bpf_xdp_store_bytes(ctx, 0, mac, 6));
	v = bpf_map_lookup_elem(&pcpu, &zero);
	if (v)
		*v += 5;
	v = bpf_map_lookup_percpu_elem(&pcpu, &zero, 0);
	put(14, v ? *v : 99);
	v = bpf_map_lookup_percpu_elem(&pcpu, &zero, 4096);
	put(15, v ? *v : 99);
	/* a variable length over the packet: the IPv4 header's */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + ETH_HLEN + 60 > data_end)
		return XDP_PASS;
	p = data;
	len = (p[ETH_HLEN] & 0xf) * 4;
	put(9, (__u32)bpf_csum_diff(0, 0, (void *)(p + ETH_HLEN), len, 0));
	put(16, len);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
