// SPDX-License-Identifier: BSD-3-Clause
/* Records to user space, the way packet samplers (xdpdump) and flow
 * exporters send them: bpf_perf_event_output() of a small header plus
 * the first bytes of the frame (BPF_F_CTXLEN_MASK), and ring buffer
 * records written with bpf_ringbuf_output(), reserve + submit, reserve +
 * discard; bpf_ringbuf_query() and every helper result go to "results".
 * The frame's byte 14 picks how many packet bytes the sample carries. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

struct sample_hdr {
	__u16 cookie;
	__u16 pkt_len;
	__u32 ifindex;
};

struct flow {
	__u32 len;
	__u16 proto;
	__u8 first;
	__u8 pad;
};

static __always_inline void
record(__u32 slot, __s64 val)
{
	bpf_map_update_elem(&results, &slot, &val, BPF_ANY);
}

SEC("xdp")
int xdp_events(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct sample_hdr h = { .cookie = 0xdd01 };
	struct flow fl = { 0 }, *r;
	__u64 caplen, flags;
	__u8 *p = data;

	if (data + ETH_HLEN + 1 > data_end)
		return XDP_DROP;
	h.pkt_len = data_end - data;
	h.ifindex = ctx->ingress_ifindex;
	caplen = p[ETH_HLEN] & 0x3f;
	if (caplen > h.pkt_len)
		caplen = h.pkt_len;
	flags = BPF_F_CURRENT_CPU | (caplen << 32);
	record(0, bpf_perf_event_output(ctx, &samples, flags, &h, sizeof(h)));
	/* an index other than the current CPU: refused */
	record(1, bpf_perf_event_output(ctx, &samples, 1, &h, sizeof(h)));

	fl.len = h.pkt_len;
	fl.proto = p[12] << 8 | p[13];
	fl.first = p[ETH_HLEN];
	record(2, bpf_ringbuf_output(&flows, &fl, sizeof(fl), 0));
	r = bpf_ringbuf_reserve(&flows, sizeof(*r), 0);
	if (r) {
		r->len = fl.len + 1000;
		r->proto = fl.proto;
		r->first = 0xee;
		r->pad = 0;
		bpf_ringbuf_submit(r, 0);
	}
	r = bpf_ringbuf_reserve(&flows, sizeof(*r), 0);
	if (r)
		bpf_ringbuf_discard(r, 0);
	record(3, bpf_ringbuf_query(&flows, BPF_RB_AVAIL_DATA));
	record(4, bpf_ringbuf_query(&flows, BPF_RB_PROD_POS));
	record(5, bpf_ringbuf_query(&flows, BPF_RB_RING_SIZE));
	/* flags the helpers refuse */
	record(6, bpf_ringbuf_output(&flows, &fl, sizeof(fl), 8));
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
