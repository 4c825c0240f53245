// SPDX-License-Identifier: BSD-3-Clause
/*
 * "if x & imm goto" (JSET) against small and large constants, 64- and
 * 32-bit: DPDK 22.11's JIT encodes "test $imm8, %reg" with a 1-byte
 * immediate where the instruction takes 4, and runs into garbage; the
 * rewriter tests through a scratch register instead. The verdict
 * and the map count the taken tests, as the kernel does.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} taken SEC(".maps");

SEC("xdp")
int xdp_jset(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 n = 0, *v;
	__u32 k = 0;

	if (data + 16 > data_end)
		return XDP_DROP;
	asm volatile(
		"r2 = *(u8 *)(%[d] + 14);"
		"r3 = *(u32 *)(%[d] + 10);"
		/* raw: the assembler has no syntax for JSET */
		".byte 0x45, 0x02, 1, 0, 0x04, 0, 0, 0;"	/* r2 & 4 */
		"%[n] += 1;"
		".byte 0x45, 0x02, 1, 0, 0x80, 0xff, 0xff, 0xff;" /* & -128 */
		"%[n] += 2;"
		".byte 0x45, 0x03, 1, 0, 0x45, 0x23, 0x01, 0;" /* r3 & 0x12345 */
		"%[n] += 4;"
		".byte 0x46, 0x03, 1, 0, 0x01, 0, 0, 0;"	/* w3 & 1 */
		"%[n] += 8;"
		".byte 0x46, 0x03, 1, 0, 0, 0, 0x01, 0;"	/* w3 & 0x10000 */
		"%[n] += 16;"
		: [n] "+r"(n)
		: [d] "r"(data)
		: "r2", "r3");
	v = bpf_map_lookup_elem(&taken, &k);
	if (v != NULL)
		*v += n;
	return n & 1 ? XDP_PASS : XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
