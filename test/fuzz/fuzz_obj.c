/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_obj_loader, fuzz_obj_mutate: an input is an XDP object file. It
 * goes through rte_xdp_obj_open() and rte_xdp_obj_load() (builtin
 * verification: the rte_bpf validator and our own checks, no kernel); a
 * load that succeeds runs every program once on a fixed UDP frame, in an
 * mbuf whose buffer ends in a guard zone. After every input: the object
 * closed, the pool full, the guard zones intact and the DPDK heap back to
 * its size (maps live in rte_malloc memory, which ASan does not see).
 *
 * Object bytes whose last byte is odd are run by the rte_bpf interpreter,
 * the others JIT-ed: both paths get fuzzed.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "rte_xdp_prog.h"
#include "fuzz_common.h"

#define NB_MBUF		63
#define DATA_ROOM	(RTE_XDP_PACKET_HEADROOM + 2048)

static struct rte_mempool *pool;
static char obj_path[64];
static int obj_fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_eal_init((*argv)[0]);
	pool = fuzz_guarded_pool("fuzz_obj", NB_MBUF, DATA_ROOM);
	/* The input is written to a memory file: no disk I/O per input. */
	obj_fd = memfd_create("fuzz_obj.o", 0);
	if (obj_fd < 0)
		fuzz_die("memfd_create: %s", strerror(errno));
	snprintf(obj_path, sizeof(obj_path), "/proc/self/fd/%d", obj_fd);
	RTE_SET_USED(argc);
	return 0;
}

/* The frame every program runs on: IPv4/UDP, 74 bytes. */
static struct rte_mbuf *
fixed_frame(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;
	const uint16_t len = 74;

	if (m == NULL)
		fuzz_die("pool empty before a run");
	m->data_off = RTE_XDP_PACKET_HEADROOM;
	eh = (struct rte_ether_hdr *)rte_pktmbuf_append(m, len);
	memset(eh, 0x5a, len);
	memset(&eh->dst_addr, 0x02, sizeof(eh->dst_addr));
	memset(&eh->src_addr, 0x04, sizeof(eh->src_addr));
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(*eh));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0x0a000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uh = (struct rte_udp_hdr *)(ip + 1);
	uh->src_port = rte_cpu_to_be_16(1000);
	uh->dst_port = rte_cpu_to_be_16(2000);
	uh->dgram_len = rte_cpu_to_be_16(len - sizeof(*eh) - sizeof(*ip));
	uh->dgram_cksum = 0;
	return m;
}

static void
run_all(struct rte_xdp_obj *obj)
{
	struct rte_xdp_rxq_info rxq = {
		.ifindex = 1, .frag_size = DATA_ROOM,
	};
	struct rte_xdp_redirect_info ri;
	unsigned int i;
	uint32_t v;

	for (i = 0; i < rte_xdp_obj_nb_progs(obj); i++) {
		struct rte_xdp_prog *prog = rte_xdp_obj_prog(obj, i);
		struct rte_mbuf *m = fixed_frame();

		rte_xdp_prog_run_burst(prog, &rxq, &m, 1, &v, &ri);
		if (m->data_off > m->buf_len ||
		    (uint32_t)m->data_off + m->data_len > m->buf_len)
			fuzz_die("program %u left data_off %u, data_len %u in a %u-byte buffer",
				i, m->data_off, m->data_len, m->buf_len);
		rte_pktmbuf_free(m);
	}
}

/* One input: open, load, run, close. */
static void
one_object(const uint8_t *data, size_t size)
{
	struct rte_xdp_obj_opts opts = {
		.verify = RTE_XDP_VERIFY_BUILTIN,
		.socket_id = SOCKET_ID_ANY,
		.interpret = size != 0 && (data[size - 1] & 1),
	};
	struct rte_xdp_obj *obj;
	char err[512];

	if (ftruncate(obj_fd, 0) != 0 ||
	    pwrite(obj_fd, data, size, 0) != (ssize_t)size)
		fuzz_die("cannot write the input to the memory file");
	obj = rte_xdp_obj_open(obj_path, &opts, err, sizeof(err));
	if (obj != NULL) {
		if (rte_xdp_obj_load(obj, err, sizeof(err)) == 0)
			run_all(obj);
		rte_xdp_obj_close(obj);
	}
	fuzz_check_avail(pool, NB_MBUF, "after the object closed");
	fuzz_check_guards(pool, "after the runs");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t heap = fuzz_heap_bytes(), after;

	one_object(data, size);
	after = fuzz_heap_bytes();
	if (after == heap)
		return 0;
	/* The heap may grow once for good (a first map of a type, mbuf
	 * dynamic fields): a second run of the same input must not. */
	one_object(data, size);
	if (fuzz_heap_bytes() != after)
		fuzz_die("DPDK heap leak: %zu bytes before the input, %zu after it, %zu after it again",
			heap, after, fuzz_heap_bytes());
	return 0;
}
