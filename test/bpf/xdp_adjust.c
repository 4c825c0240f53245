// SPDX-License-Identifier: BSD-3-Clause
/* Moves data, data_end and data_meta with the adjust helpers, through a
 * real bpf-to-bpf call (noinline static function), and writes a mark
 * into the metadata and the frame. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

static __attribute__((noinline)) int
record(__u32 slot, __s64 val)
{
	bpf_map_update_elem(&results, &slot, &val, BPF_ANY);
	return 0;
}

SEC("xdp")
int xdp_adjust(struct xdp_md *ctx)
{
	void *data, *data_end;
	__u8 *p;

	record(0, bpf_xdp_adjust_head(ctx, -4));
	record(1, bpf_xdp_adjust_tail(ctx, 8));
	record(2, bpf_xdp_get_buff_len(ctx));
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	p = data;
	if (data + ETH_HLEN + 4 > data_end)
		return XDP_DROP;
	p[0] = 0xde;
	p[1] = 0xad;
	p[2] = 0xbe;
	p[3] = 0xef;
	p[ETH_HLEN + 3] = 0x5a;
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
