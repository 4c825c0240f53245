/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_jit_autotest: what lib/xdp_compat/xdp_jit.c works around in
 * rte_bpf's JITs, on the machine's own JIT (x86_64 or arm64):
 *  - the frame pointer (rbp, x29) of the code that runs a JIT-ed program
 *    is the same after it: DPDK 22.11's arm64 JIT sets x29 in a program
 *    with a stack and no call and does not restore it;
 *  - be16/be32/be64/le16/le32 of a register with upper bits set give the
 *    kernel's results: its arm64 JIT leaves be32's upper half swapped;
 *  - prog info names the JIT that compiled the program;
 *  - atomic adds it would fault on (into the packet, misaligned) are
 *    refused, as the kernel refuses them.
 */

#include <alloca.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <rte_bpf.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "rte_xdp_prog.h"
#include "xdp_prog_internal.h"
#include "test.h"
#include "test_ports.h"

/* r1 = 7; *(u64 *)(r10 - 8) = r1; r0 = *(u64 *)(r10 - 8); exit */
static const struct ebpf_insn stack_no_call[] = {
	{ .code = EBPF_ALU64 | EBPF_MOV | BPF_K, .dst_reg = EBPF_REG_1,
	  .imm = 7 },
	{ .code = BPF_STX | BPF_MEM | EBPF_DW, .dst_reg = EBPF_REG_10,
	  .src_reg = EBPF_REG_1, .off = -8 },
	{ .code = BPF_LDX | BPF_MEM | EBPF_DW, .dst_reg = EBPF_REG_0,
	  .src_reg = EBPF_REG_10, .off = -8 },
	{ .code = BPF_JMP | EBPF_EXIT },
};

/*
 * Run JIT-ed code the way the runtime does, from a frame whose stack
 * pointer is below its frame pointer (alloca), and say whether the frame
 * pointer came back unchanged. With it changed, this function's own
 * epilogue (which restores sp from the frame pointer) would return
 * through the wrong frame.
 */
static __rte_noinline int
frame_pointer_kept(uint64_t (*func)(void *), size_t pad, uint64_t *ret)
{
	volatile uint8_t *room = alloca(pad);
	uintptr_t before = 0, after = 0;

	room[0] = 0x5a;
#if defined(RTE_ARCH_ARM64)
	__asm__ volatile("mov %0, x29" : "=r"(before));
	*ret = xdpc_jit_call(func, NULL);
	__asm__ volatile("mov %0, x29" : "=r"(after));
#elif defined(RTE_ARCH_X86_64)
	__asm__ volatile("mov %%rbp, %0" : "=r"(before));
	*ret = xdpc_jit_call(func, NULL);
	__asm__ volatile("mov %%rbp, %0" : "=r"(after));
#else
	*ret = xdpc_jit_call(func, NULL);
#endif
	return before == after && room[0] == 0x5a;
}

static int
test_jit_frame_pointer(void)
{
	struct rte_bpf_prm prm;
	struct rte_bpf_jit jit;
	struct rte_bpf *bpf;
	uint64_t ret = 0;
	int kept;

	memset(&prm, 0, sizeof(prm));
	prm.ins = stack_no_call;
	prm.nb_ins = RTE_DIM(stack_no_call);
	prm.prog_arg.type = RTE_BPF_ARG_RAW;
	prm.prog_arg.size = sizeof(uint64_t);
	bpf = rte_bpf_load(&prm);
	TEST_ASSERT_NOT_NULL(bpf, "rte_bpf_load: %d", rte_errno);
	if (rte_bpf_get_jit(bpf, &jit) != 0 || jit.func == NULL) {
		rte_bpf_destroy(bpf);
		TEST_SKIP("rte_bpf has no JIT here");
	}
	kept = frame_pointer_kept(jit.func, 64, &ret);
	rte_bpf_destroy(bpf);
	TEST_ASSERT(kept, "frame pointer changed by a JIT-ed program");
	TEST_ASSERT_EQUAL(ret, 7, "program result");
	return TEST_SUCCESS;
}

/* Open and load test/bpf's NAME_CPU.o under the builtin verification;
 * NULL with the reason in err. */
static struct rte_xdp_obj *
load_builtin(const char *name, const char *cpu, char *err, size_t len)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj;

	err[0] = '\0';
	obj = rte_xdp_obj_open(test_bpf_obj_cpu(name, cpu), &o, err, len);
	if (obj != NULL && rte_xdp_obj_load(obj, err, len) != 0) {
		rte_xdp_obj_close(obj);
		obj = NULL;
	}
	return obj;
}

/* What the kernel computes for xdp_bswap's value (test/bpf/xdp_bswap.c). */
static void
bswap_expected(uint64_t v, uint64_t out[5])
{
	out[0] = rte_bswap16((uint16_t)v);
	out[1] = rte_bswap32((uint32_t)v);
	out[2] = rte_bswap64(v);
	out[3] = (uint16_t)v;
	out[4] = (uint32_t)v;
}

static int
test_jit_bswap(void)
{
	static const char *const cpus[] = { "v1", "v2", "v3" };
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct rte_mempool *mp;
	unsigned int c, k;
	char err[1024];
	int ret = TEST_SUCCESS;

	if (access(test_bpf_obj_cpu("xdp_bswap", "v3"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	mp = rte_pktmbuf_pool_create(test_unique("jitb"), 15, 0, 0,
		2048 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(mp, "mempool");
	for (c = 0; c < RTE_DIM(cpus) && ret == TEST_SUCCESS; c++) {
		struct rte_xdp_obj *obj;
		struct rte_mbuf *m;
		uint64_t want[5], got[5], v;
		uint32_t verdict;
		uint8_t *d;

		obj = load_builtin("xdp_bswap", cpus[c], err, sizeof(err));
		if (obj == NULL) {
			printf("xdp_bswap_%s: %s\n", cpus[c], err);
			ret = TEST_FAILED;
			break;
		}
		m = rte_pktmbuf_alloc(mp);
		if (m == NULL) {
			rte_xdp_obj_close(obj);
			ret = TEST_FAILED;
			break;
		}
		m->data_off = RTE_XDP_PACKET_HEADROOM;
		d = rte_pktmbuf_mtod(m, uint8_t *);
		memset(d, 0, 64);
		d[14] = 0x5c;
		d[15] = 0xa3;
		m->data_len = m->pkt_len = 64;
		rte_xdp_prog_run_burst(rte_xdp_obj_prog(obj, 0), &rxq, &m, 1,
			&verdict, NULL);
		v = 0x0123456789abcdefull ^ 0x5c ^ (uint64_t)0xa3 << 40;
		bswap_expected(v, want);
		memcpy(got, d + 22, sizeof(got));
		for (k = 0; k < RTE_DIM(got); k++)
			if (got[k] != want[k]) {
				printf("xdp_bswap_%s: result %u is %#" PRIx64 ", the kernel's %#" PRIx64 "\n",
					cpus[c], k, got[k], want[k]);
				ret = TEST_FAILED;
			}
		if (verdict != RTE_XDP_TX) {
			printf("xdp_bswap_%s: be32 left the upper half set (verdict %u)\n",
				cpus[c], verdict);
			ret = TEST_FAILED;
		}
		rte_pktmbuf_free(m);
		rte_xdp_obj_close(obj);
	}
	rte_mempool_free(mp);
	return ret;
}

static int
test_jit_named(void)
{
	struct rte_xdp_prog_info pi;
	struct rte_xdp_obj *obj;
	char err[1024];
	const char *want = NULL;

#if defined(RTE_ARCH_X86_64)
	want = "x86_64";
#elif defined(RTE_ARCH_ARM64)
	want = "arm64";
#endif
	if (access(test_bpf_obj_cpu("xdp_pass", "v3"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	obj = load_builtin("xdp_pass", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	rte_xdp_prog_info(rte_xdp_obj_prog(obj, 0), &pi);
	rte_xdp_obj_close(obj);
	if (want == NULL)
		TEST_SKIP("no rte_bpf JIT on this architecture");
	TEST_ASSERT(pi.jited_size != 0, "JIT-ed");
	TEST_ASSERT(pi.jit != NULL && strcmp(pi.jit, want) == 0,
		"JIT named %s, not %s", pi.jit ? pi.jit : "(null)", want);
	return TEST_SUCCESS;
}

/*
 * Atomic adds into the packet or misaligned: refused by the builtin
 * verification as by the kernel. Run, they fault on AArch64 (SIGBUS: the
 * arm64 JIT makes an exclusive access, which must be aligned).
 */
static int
test_jit_atomic_refused(void)
{
	static const struct {
		const char *obj, *why;
	} bad[] = {
		{ "xdp_bad_atomicpkt", "atomic operation on packet memory" },
		{ "xdp_bad_atomicmis", "misaligned atomic operation" },
	};
	struct rte_xdp_obj *obj;
	char err[1024];
	unsigned int k;

	if (access(test_bpf_obj_cpu(bad[0].obj, "v3"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	for (k = 0; k < RTE_DIM(bad); k++) {
		obj = load_builtin(bad[k].obj, "v3", err, sizeof(err));
		rte_xdp_obj_close(obj);
		TEST_ASSERT(obj == NULL, "%s loaded", bad[k].obj);
		TEST_ASSERT(strstr(err, bad[k].why) != NULL,
			"%s: refused for \"%s\", not \"%s\"", bad[k].obj, err,
			bad[k].why);
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite jit_suite = {
	.suite_name = "rte_bpf JIT work-arounds",
	.unit_test_cases = {
		TEST_CASE(test_jit_frame_pointer),
		TEST_CASE(test_jit_bswap),
		TEST_CASE(test_jit_named),
		TEST_CASE(test_jit_atomic_refused),
		TEST_CASES_END(),
	},
};

static int
xdp_jit_autotest(void)
{
	return unit_test_suite_runner(&jit_suite);
}
REGISTER_TEST_COMMAND(xdp_jit_autotest, xdp_jit_autotest);
