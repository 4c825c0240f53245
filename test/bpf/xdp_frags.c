// SPDX-License-Identifier: BSD-3-Clause
/* Multi-buffer XDP: a SEC("xdp.frags") program that measures the frame
 * (bpf_xdp_get_buff_len against data_end - data), copies 16 bytes that
 * straddle the end of the linear part out and back (inverted) with
 * bpf_xdp_load_bytes/store_bytes, then moves the tail by the signed
 * 16-bit amount at frame bytes 14-15 (big endian) and writes a mark into
 * the new last 4 bytes. Every helper result goes to the results array. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

static __always_inline void
record(__u32 slot, __s64 val)
{
	bpf_map_update_elem(&results, &slot, &val, BPF_ANY);
}

SEC("xdp.frags")
int xdp_frags(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 lin = data_end - data, len, i;
	__u8 buf[16], mark[4] = { 0xfa, 0xce, 0xb0, 0x0c };
	__u8 *p = data;
	__s16 delta;
	long r;

	len = bpf_xdp_get_buff_len(ctx);
	record(0, len);
	record(1, lin);
	if (data + ETH_HLEN + 2 > data_end)
		return XDP_DROP;
	delta = (__s16)((p[ETH_HLEN] << 8) | p[ETH_HLEN + 1]);
	/* 16 bytes across the end of the linear part (or of a short
	 * frame: refused with -EINVAL, as in the kernel) */
	r = bpf_xdp_load_bytes(ctx, lin - 8, buf, sizeof(buf));
	record(2, r);
	if (r == 0) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = ~buf[i];
		record(3, bpf_xdp_store_bytes(ctx, lin - 8, buf,
			sizeof(buf)));
	}
	r = bpf_xdp_adjust_tail(ctx, delta);
	record(4, r);
	len = bpf_xdp_get_buff_len(ctx);
	record(5, len);
	record(6, (long)ctx->data_end - (long)ctx->data);
	if (len >= 4)
		record(7, bpf_xdp_store_bytes(ctx, len - 4, mark,
			sizeof(mark)));
	return r == 0 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
