// SPDX-License-Identifier: BSD-3-Clause
/* bpf_loop() with callbacks over a stack context and over none (global
 * data), its flag and size checks; bpf_spin_lock() around a shared
 * total in a map value; bpf_get_prandom_u32() picking a backend the way
 * load balancers do (the test only checks the pick is one of them). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct loop_ctx {
	__u64 sum;
	__u32 stop_at;
	__u32 calls;
};

struct total {
	struct bpf_spin_lock lock;
	__u32 runs;
	__u64 sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct total);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u32);
} backends SEC(".maps");

__u32 ticks;

static __always_inline void
record(__u32 slot, __s64 val)
{
	bpf_map_update_elem(&results, &slot, &val, BPF_ANY);
}

static long
step(__u32 index, void *data)
{
	struct loop_ctx *c = data;

	c->sum += index * 3 + 1;
	c->calls++;
	return index == c->stop_at;
}

static long
tick(__u32 index, void *data)
{
	ticks += index + 1;
	return 0;
}

SEC("xdp")
int xdp_loop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct loop_ctx lc = { 0 };
	__u32 zero = 0, pick;
	struct total *t;
	__u8 *p = data;

	if (data + ETH_HLEN + 1 > data_end)
		return XDP_DROP;
	lc.stop_at = p[ETH_HLEN] & 0x3f;
	record(0, bpf_loop(32, step, &lc, 0));
	record(1, lc.sum);
	record(2, lc.calls);
	record(3, bpf_loop(4, step, &lc, 1));		/* flags: -EINVAL */
	record(4, bpf_loop(1 << 24, step, &lc, 0));	/* -E2BIG */
	record(5, bpf_loop(p[13] & 7, tick, NULL, 0));

	t = bpf_map_lookup_elem(&totals, &zero);
	if (t) {
		bpf_spin_lock(&t->lock);
		t->runs++;
		t->sum += lc.sum;
		bpf_spin_unlock(&t->lock);
	}
	pick = bpf_get_prandom_u32() % 3;
	record(6, bpf_map_lookup_elem(&backends, &pick) != NULL);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
