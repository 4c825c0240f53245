// SPDX-License-Identifier: BSD-3-Clause
/* Byte swaps (BPF_END) of a register whose upper bits are set: the
 * kernel's be16/be32/le16/le32 keep the low 16/32 bits (swapped for be),
 * zero-extended; be64 swaps all 8 bytes. DPDK 22.11's arm64 JIT leaves
 * the upper half of a be32 result byte-swapped instead of zero
 * (lib/xdp_compat/xdp_jit.c). The value comes from the frame (bytes 14
 * and 15), the five results go back into it from byte 22, and the
 * verdict says whether be32 cleared the upper half (TX) or not (PASS). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_bswap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 v, b16, b32, b64, l16, l32, *q;
	__u8 *p = data;

	if (data + ETH_HLEN + 8 + 5 * 8 > data_end)
		return XDP_DROP;
	q = data + ETH_HLEN + 8;
	v = 0x0123456789abcdefull ^ p[14] ^ ((__u64)p[15] << 40);
	asm volatile(
		"%[b16] = %[v]; %[b16] = be16 %[b16];"
		"%[b32] = %[v]; %[b32] = be32 %[b32];"
		"%[b64] = %[v]; %[b64] = be64 %[b64];"
		"%[l16] = %[v]; %[l16] = le16 %[l16];"
		"%[l32] = %[v]; %[l32] = le32 %[l32];"
		: [b16] "=&r"(b16), [b32] "=&r"(b32), [b64] "=&r"(b64),
		  [l16] "=&r"(l16), [l32] "=&r"(l32)
		: [v] "r"(v));
	q[0] = b16;
	q[1] = b32;
	q[2] = b64;
	q[3] = l16;
	q[4] = l32;
	return b32 >> 32 == 0 ? XDP_TX : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
