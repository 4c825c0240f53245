// SPDX-License-Identifier: BSD-3-Clause
/* Helpers given memory at odd stack addresses. The kernel's verifier
 * checks that a helper's memory argument lies in initialised stack, not
 * its alignment, so a program may pass a map key, a map value, a
 * bpf_fib_lookup, a csum_diff buffer, bpf_trace_vprintk's arguments, an
 * xdp_load/store_bytes buffer or a ring buffer/perf sample at any byte
 * offset. The program itself writes that memory a byte at a time (its
 * own stack accesses must be aligned). Every helper result goes to "res";
 * the lookup's parameters, as the helper left them, to "fibout".
 * cfg[0] is the ingress ifindex of the lookup and cfg[1] its destination
 * (0: a lookup that fails with -ENODEV, the same in every FIB). */
#include <stddef.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define AF_INET 2

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} res SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_fib_lookup);
} fibout SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
} samples SEC(".maps");

static __always_inline void
put(__u32 k, __u64 v)
{
	bpf_map_update_elem(&res, &k, &v, BPF_ANY);
}

static __always_inline __u32
cfg_get(__u32 k)
{
	__u32 *v = bpf_map_lookup_elem(&cfg, &k);

	return v ? *v : 0;
}

/* Byte stores: the destination is at an odd address. */
static __always_inline void
set32(__u8 *p, __u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static __always_inline void
set64(__u8 *p, __u64 v)
{
	set32(p, v);
	set32(p + 4, v >> 32);
}

static __always_inline __u64
get48(const __u8 *p)
{
	__u64 v = 0;
	int i;

	for (i = 5; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static const char fmt[] = "xdp_misaligned %d %x";

SEC("xdp")
int xdp_misaligned(struct xdp_md *ctx)
{
	__u8 buf[136] __attribute__((aligned(8)));
	__u8 *fib = buf + 1;		/* 64 bytes: 1..64 */
	__u8 *key = buf + 67;		/* 4: 67..70 */
	__u8 *val = buf + 73;		/* 8: 73..80 */
	__u8 *from = buf + 83;		/* 8: 83..90 */
	__u8 *to = buf + 93;		/* 4: 93..96 */
	__u8 *args = buf + 99;		/* 2 x 8: 99..114 */
	__u8 *mac = buf + 117;		/* 6: 117..122 */
	__u64 *v;
	__u32 zero = 0;
	int i;

	__builtin_memset(buf, 0, sizeof(buf));

	fib[offsetof(struct bpf_fib_lookup, family)] = AF_INET;
	set32(fib + offsetof(struct bpf_fib_lookup, ifindex), cfg_get(0));
	set32(fib + offsetof(struct bpf_fib_lookup, ipv4_dst), cfg_get(1));
	put(0, bpf_fib_lookup(ctx, (void *)fib, sizeof(struct bpf_fib_lookup), 0));
	put(1, bpf_map_update_elem(&fibout, &zero, fib, BPF_ANY));

	set32(key, 7);
	set64(val, 0x1122334455667788ull);
	put(2, bpf_map_update_elem(&h, key, val, BPF_NOEXIST));
	v = bpf_map_lookup_elem(&h, key);
	put(3, v ? *v : 99);
	v = bpf_map_lookup_elem(&res, key);	/* an array: res[7] */
	put(4, v != 0);
	put(5, bpf_map_delete_elem(&h, key));
	put(6, bpf_map_delete_elem(&h, key));

	for (i = 0; i < 8; i++)
		from[i] = i + 1;
	for (i = 0; i < 4; i++)
		to[i] = 0xf0 + i;
	put(8, (__u32)bpf_csum_diff((void *)from, 8, (void *)to, 4, 0x1234));

	set64(args, 42);
	set64(args + 8, 0x55);
	put(9, bpf_trace_vprintk(fmt, sizeof(fmt), args, 16));

	put(10, bpf_xdp_load_bytes(ctx, 0, mac, 6));
	put(11, get48(mac));
	put(12, bpf_xdp_store_bytes(ctx, 6, mac, 6));	/* source = dest */

	put(13, bpf_ringbuf_output(&rb, val, 8, 0));
	put(14, bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, val,
		8));
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
