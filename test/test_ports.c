/* SPDX-License-Identifier: BSD-3-Clause */
/* Port and frame helpers shared by the driver autotests. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

size_t
heap_bytes(void)
{
	struct rte_malloc_socket_stats st;

	rte_malloc_get_socket_stats(0, &st);
	return st.heap_allocsz_bytes;
}

int
port_create(struct port *p, const char *args)
{
	snprintf(p->name, sizeof(p->name), "net_mvneta_xdp_%s",
		test_unique("t"));
	if (rte_vdev_init(p->name, args) != 0)
		return -1;
	return rte_eth_dev_get_port_by_name(p->name, &p->id);
}

int
port_setup(const struct port *p, uint16_t nq, uint16_t ring,
		const struct rte_eth_conf *conf, struct rte_mempool *pool)
{
	struct rte_eth_conf def = { 0 };
	uint16_t q;
	int ret;

	ret = rte_eth_dev_configure(p->id, nq, nq, conf ? conf : &def);
	if (ret != 0)
		return ret;
	for (q = 0; q < nq; q++) {
		ret = rte_eth_rx_queue_setup(p->id, q, ring, 0, NULL, pool);
		if (ret != 0)
			return ret;
		ret = rte_eth_tx_queue_setup(p->id, q, ring, 0, NULL);
		if (ret != 0)
			return ret;
	}
	return rte_eth_dev_start(p->id);
}

void
port_destroy(const struct port *p)
{
	rte_eth_dev_stop(p->id);
	rte_eth_dev_close(p->id);
	rte_vdev_uninit(p->name);
}

/* A UDP frame of len bytes to dst, payload bytes = seq. */
struct rte_mbuf *
make_frame(struct rte_mempool *pool, uint16_t len, const struct rte_ether_addr *dst,
		uint8_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	memset(p, seq, len);
	eh = (void *)p;
	ip = (void *)(eh + 1);
	uh = (void *)(ip + 1);
	eh->dst_addr = *dst;
	memset(&eh->src_addr, 0x02, sizeof(eh->src_addr));
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(*eh));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 2 + seq));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uh->src_port = rte_cpu_to_be_16(1000 + seq);
	uh->dst_port = rte_cpu_to_be_16(2000);
	uh->dgram_len = rte_cpu_to_be_16(len - sizeof(*eh) - sizeof(*ip));
	uh->dgram_cksum = 0;
	return m;
}

struct rte_ether_addr
port_mac(uint16_t id)
{
	struct rte_ether_addr a;

	rte_eth_macaddr_get(id, &a);
	return a;
}

/* Poll until n frames arrived or the tries run out. */
unsigned int
rx_all(uint16_t id, uint16_t q, struct rte_mbuf **out, unsigned int n)
{
	unsigned int got = 0, tries;

	for (tries = 0; tries < 1000 && got < n; tries++)
		got += rte_eth_rx_burst(id, q, out + got,
			RTE_MIN(n - got, (unsigned int)BURST));
	return got;
}

int
check_pool_full(struct rte_mempool *pool, const char *when)
{
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(pool), pool->size,
		"%s: every buffer back in %s", when, pool->name);
	return TEST_SUCCESS;
}

const char *
test_bpf_obj(const char *subdir, const char *name)
{
	static char path[4][1024];
	static unsigned int n;
	char *p = path[n++ % RTE_DIM(path)];
	char exe[400];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (len < 0)
		len = 0;
	exe[len] = '\0';
	slash = strrchr(exe, '/');
	if (slash != NULL)
		*slash = '\0';
	if (subdir != NULL)
		snprintf(p, sizeof(path[0]), "%s/bpf/%s/%s.o", exe, subdir,
			name);
	else
		snprintf(p, sizeof(path[0]), "%s/bpf/%s.o", exe, name);
	return p;
}

const char *
test_bpf_obj_cpu(const char *name, const char *cpu)
{
	char base[128];

	snprintf(base, sizeof(base), "%s_%s", name, cpu);
	return test_bpf_obj(NULL, base);
}

void
close_leftover_ports(void)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t id;

	RTE_ETH_FOREACH_DEV(id)
		if (rte_pmd_mvneta_xdp_is_port(id) &&
		    rte_eth_dev_get_name_by_port(id, name) == 0) {
			rte_eth_dev_stop(id);
			rte_eth_dev_close(id);
			rte_vdev_uninit(name);
		}
}

struct rte_xdp_obj *
test_load_xdp(const char *subdir, const char *name, struct rte_xdp_prog **prog)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj;
	char err[256];

	*prog = NULL;
	obj = rte_xdp_obj_open(test_bpf_obj(subdir, name), &o, err,
		sizeof(err));
	if (obj == NULL || rte_xdp_obj_load(obj, err, sizeof(err)) != 0) {
		printf("%s: %s\n", name, err);
		rte_xdp_obj_close(obj);
		return NULL;
	}
	*prog = rte_xdp_obj_prog(obj, 0);
	return obj;
}

int
test_map_set_u32(struct rte_xdp_obj *obj, const char *map, uint32_t key,
	uint32_t val)
{
	return rte_xdp_map_update(rte_xdp_obj_find_map(obj, map), &key, &val,
		RTE_XDP_ANY);
}

uint64_t
test_xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) == 0)
		rte_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

static FILE *log_file;
static char *log_buf;
static size_t log_len;

int
log_capture_start(void)
{
	log_file = open_memstream(&log_buf, &log_len);
	if (log_file == NULL)
		return -1;
	return rte_openlog_stream(log_file);
}

char *
log_capture_stop(void)
{
	rte_openlog_stream(NULL);
	if (log_file == NULL)
		return NULL;
	fclose(log_file);
	log_file = NULL;
	/* shown with the test's own output */
	fputs(log_buf, stdout);
	return log_buf;
}

unsigned int
count_substr(const char *s, const char *what)
{
	unsigned int n = 0;

	while (s != NULL && (s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* As dpdk-telemetry.py does: greeting, command, one reply. */
int
telemetry_query(const char *cmd, char *out, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char hello[1024];
	ssize_t n;
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	n = read(fd, hello, sizeof(hello));	/* the greeting */
	if (n <= 0 || write(fd, cmd, strlen(cmd)) < 0) {
		close(fd);
		return -1;
	}
	n = read(fd, out, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	out[n] = '\0';
	return 0;
}
