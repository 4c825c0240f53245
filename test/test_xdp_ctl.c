/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_ctl_autotest: the control plane (rte_xdp_ctl.h) served in this
 * process, through the same requests a secondary sends: ports listed
 * with their programs; attach, replace and detach, native on a
 * net_mvneta_xdp port and generic on a net_null port, with the kernel's
 * errors; objects unloaded when no handle, pin or port holds them; map
 * commands and batches with the kernel's errno values; run statistics;
 * event streams; captures at entry and exit (one a port, frames that
 * do not fit dropped by the capture, ended with the session). Every pool back to its start. The same requests across
 * processes are tested by test/scripts/xdp_live.sh.
 */

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "rte_xdp_ctl.h"
#include "rte_xdp_generic.h"
#include "rte_xdp_prog.h"
#include "rte_xdp_redirect.h"
#include "test.h"
#include "test_ports.h"

#define NB_MBUF	4096
#define RING	64
#define MAX_PROGS 64

static struct rte_mempool *mp;

static int
suite_setup(void)
{
	if (access(test_bpf_obj("driver", "xdp1"), R_OK) != 0)
		TEST_SKIP("BPF test objects not built (clang missing?)");
	mp = rte_pktmbuf_pool_create(test_unique("ctl"), NB_MBUF, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	return mp != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
suite_teardown(void)
{
	close_leftover_ports();
	rte_mempool_free(mp);
}

static struct rte_xdp_ctl *
ctl_open(void)
{
	char err[256];
	struct rte_xdp_ctl *ctl = rte_xdp_ctl_open(err, sizeof(err));

	if (ctl == NULL)
		printf("rte_xdp_ctl_open: %s\n", err);
	return ctl;
}

/* Load build/test/bpf/<subdir>/<name>.o with the builtin verifier. */
static int
ctl_load(struct rte_xdp_ctl *ctl, const char *subdir, const char *name,
	const char *pin, struct rte_xdp_ctl_obj *obj)
{
	struct rte_xdp_ctl_load_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .pin = pin,
	};
	int ret = rte_xdp_ctl_obj_load(ctl, test_bpf_obj(subdir, name), &o,
		obj);

	if (ret != 0)
		printf("load %s: %s\n", name, rte_xdp_ctl_error(ctl));
	return ret;
}

static int
find_port(struct rte_xdp_ctl *ctl, uint16_t id, struct rte_xdp_ctl_port *out)
{
	struct rte_xdp_ctl_port ports[RTE_MAX_ETHPORTS];
	int n = rte_xdp_ctl_port_list(ctl, ports, RTE_MAX_ETHPORTS), i;

	for (i = 0; i < n && i < RTE_MAX_ETHPORTS; i++)
		if (ports[i].port_id == id) {
			*out = ports[i];
			return 0;
		}
	return -ENOENT;
}

/* Is a program of that id loaded? */
static int
prog_loaded(struct rte_xdp_ctl *ctl, uint32_t id)
{
	static struct rte_xdp_ctl_prog progs[MAX_PROGS];
	int n = rte_xdp_ctl_prog_list(ctl, progs, MAX_PROGS), i;

	for (i = 0; i < n && i < MAX_PROGS; i++)
		if (progs[i].info.id == id)
			return 1;
	return 0;
}

static int
null_port(struct port *p)
{
	struct rte_eth_conf conf = { 0 };

	snprintf(p->name, sizeof(p->name), "net_null_%s", test_unique("c"));
	if (rte_vdev_init(p->name, NULL) != 0 ||
	    rte_eth_dev_get_port_by_name(p->name, &p->id) != 0)
		return -1;
	if (rte_eth_dev_configure(p->id, 2, 2, &conf) != 0 ||
	    rte_eth_rx_queue_setup(p->id, 0, RING, 0, NULL, mp) != 0 ||
	    rte_eth_rx_queue_setup(p->id, 1, RING, 0, NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(p->id, 0, RING, 0, NULL) != 0 ||
	    rte_eth_tx_queue_setup(p->id, 1, RING, 0, NULL) != 0)
		return -1;
	return rte_eth_dev_start(p->id);
}

static void
poll_port(uint16_t port, unsigned int bursts)
{
	struct rte_mbuf *rx[BURST];
	unsigned int i, n;

	while (bursts-- > 0) {
		n = rte_eth_rx_burst(port, 0, rx, BURST);
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(rx[i]);
	}
}

static int
test_attach_detach(void)
{
	struct rte_xdp_ctl *ctl = ctl_open();
	struct rte_xdp_ctl_obj drop, pass;
	struct rte_xdp_ctl_port cp;
	enum rte_xdp_ctl_mode mode = RTE_XDP_CTL_MODE_AUTO;
	struct port nat, gen;

	TEST_ASSERT_NOT_NULL(ctl, "open");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_is_remote(ctl), 0, "local handle");
	TEST_ASSERT_SUCCESS(port_create(&nat, "backend=gen,flows=8"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&nat, 1, RING, NULL, mp), "start");
	if (null_port(&gen) != 0) {
		port_destroy(&nat);
		rte_xdp_ctl_close(ctl);
		TEST_SKIP("no net_null PMD");
	}
	TEST_ASSERT_SUCCESS(ctl_load(ctl, "driver", "xdp1", NULL, &drop),
		"load xdp1");
	TEST_ASSERT_SUCCESS(ctl_load(ctl, "driver", "xdp_verdict", NULL, &pass),
		"load xdp_verdict");
	TEST_ASSERT(drop.nb_progs == 1 && drop.nb_maps == 1, "xdp1's ids");

	TEST_ASSERT_SUCCESS(find_port(ctl, nat.id, &cp), "listed");
	TEST_ASSERT(cp.native && cp.drv_prog_id == 0 && cp.generic_prog_id == 0 &&
		strcmp(cp.name, nat.name) == 0 &&
		strcmp(cp.driver, "net_mvneta_xdp") == 0, "native port, no program");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(ctl, nat.id, drop.prog_ids[0],
		&mode, 0), "attach: %s", rte_xdp_ctl_error(ctl));
	TEST_ASSERT_EQUAL(mode, RTE_XDP_CTL_MODE_DRV, "native where it can");
	TEST_ASSERT_SUCCESS(find_port(ctl, nat.id, &cp), "listed");
	TEST_ASSERT_EQUAL(cp.drv_prog_id, drop.prog_ids[0], "native id shown");
	poll_port(nat.id, 50);
	TEST_ASSERT(test_xstat(nat.id, "rx_xdp_drop") > 0, "the program runs");

	TEST_ASSERT_EQUAL(rte_xdp_ctl_attach(ctl, nat.id, pass.prog_ids[0],
		NULL, 0), -EBUSY, "no replacement without the flag");
	TEST_ASSERT(strstr(rte_xdp_ctl_error(ctl), "already attached") != NULL,
		"the kernel's words: %s", rte_xdp_ctl_error(ctl));
	mode = RTE_XDP_CTL_MODE_GENERIC;
	TEST_ASSERT_EQUAL(rte_xdp_ctl_attach(ctl, nat.id, pass.prog_ids[0],
		&mode, RTE_XDP_CTL_F_REPLACE), -EEXIST,
		"native and generic at once");
	mode = RTE_XDP_CTL_MODE_DRV;
	TEST_ASSERT_EQUAL(rte_xdp_ctl_attach(ctl, gen.id, pass.prog_ids[0],
		&mode, 0), -EOPNOTSUPP, "no native XDP in net_null");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_attach(ctl, nat.id, 999999, NULL, 0),
		-ENOENT, "no such program");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_attach(ctl, RTE_MAX_ETHPORTS - 1,
		drop.prog_ids[0], NULL, 0), -ENODEV, "no such port");

	/* replacement: a swap */
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(ctl, nat.id, pass.prog_ids[0],
		NULL, RTE_XDP_CTL_F_REPLACE), "replace: %s",
		rte_xdp_ctl_error(ctl));
	TEST_ASSERT_SUCCESS(find_port(ctl, nat.id, &cp), "listed");
	TEST_ASSERT_EQUAL(cp.drv_prog_id, pass.prog_ids[0], "replaced");

	/* generic on another PMD, every RX queue */
	mode = RTE_XDP_CTL_MODE_AUTO;
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(ctl, gen.id, drop.prog_ids[0],
		&mode, 0), "generic attach: %s", rte_xdp_ctl_error(ctl));
	TEST_ASSERT_EQUAL(mode, RTE_XDP_CTL_MODE_GENERIC, "generic elsewhere");
	TEST_ASSERT_SUCCESS(find_port(ctl, gen.id, &cp), "listed");
	TEST_ASSERT(!cp.native && cp.generic_prog_id == drop.prog_ids[0] &&
		cp.nb_rx_queues == 2, "generic id shown");
	TEST_ASSERT(rte_xdp_generic_prog_get(gen.id, 1) != NULL,
		"on every queue");

	TEST_ASSERT_SUCCESS(rte_xdp_ctl_detach(ctl, nat.id,
		RTE_XDP_CTL_MODE_AUTO), "detach native");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_detach(ctl, gen.id,
		RTE_XDP_CTL_MODE_GENERIC), "detach generic");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_detach(ctl, gen.id,
		RTE_XDP_CTL_MODE_GENERIC), "nothing attached: not an error");
	TEST_ASSERT_SUCCESS(find_port(ctl, nat.id, &cp), "listed");
	TEST_ASSERT_EQUAL(cp.drv_prog_id, 0, "native detached");
	TEST_ASSERT_SUCCESS(find_port(ctl, gen.id, &cp), "listed");
	TEST_ASSERT_EQUAL(cp.generic_prog_id, 0, "generic detached");

	rte_xdp_ctl_close(ctl);
	port_destroy(&nat);
	port_destroy(&gen);
	return check_pool_full(mp, "after close");
}

static int
test_lifetime(void)
{
	struct rte_xdp_ctl *a = ctl_open(), *b = ctl_open(), *c;
	struct rte_xdp_ctl_obj oa, ob, oc;
	struct port nat;

	TEST_ASSERT(a != NULL && b != NULL, "open");
	TEST_ASSERT_SUCCESS(ctl_load(a, "driver", "xdp1", NULL, &oa), "load");
	TEST_ASSERT_SUCCESS(ctl_load(b, "driver", "xdp1", "keep", &ob), "pin");
	TEST_ASSERT_EQUAL(ctl_load(b, "driver", "xdp1", "keep", &oc), -EEXIST,
		"a pin name is taken once");
	TEST_ASSERT(prog_loaded(a, oa.prog_ids[0]) &&
		prog_loaded(a, ob.prog_ids[0]), "both loaded");
	rte_xdp_ctl_close(a);
	TEST_ASSERT(!prog_loaded(b, oa.prog_ids[0]),
		"unloaded with the handle that loaded it");
	rte_xdp_ctl_close(b);
	c = ctl_open();
	TEST_ASSERT_NOT_NULL(c, "open");
	TEST_ASSERT(prog_loaded(c, ob.prog_ids[0]), "a pin keeps it");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_obj_unpin(c, "keep"), "unpin");
	TEST_ASSERT(!prog_loaded(c, ob.prog_ids[0]), "unloaded with its pin");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_obj_unpin(c, "keep"), -ENOENT,
		"nothing pinned there");

	/* a port running it keeps it */
	TEST_ASSERT_SUCCESS(port_create(&nat, "backend=gen,flows=8"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&nat, 1, RING, NULL, mp), "start");
	TEST_ASSERT_SUCCESS(ctl_load(c, "driver", "xdp1", NULL, &oc), "load");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(c, nat.id, oc.prog_ids[0], NULL,
		0), "attach");
	rte_xdp_ctl_close(c);
	c = ctl_open();
	TEST_ASSERT(prog_loaded(c, oc.prog_ids[0]), "attached: still loaded");
	poll_port(nat.id, 20);
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_detach(c, nat.id,
		RTE_XDP_CTL_MODE_DRV), "detach");
	TEST_ASSERT(!prog_loaded(c, oc.prog_ids[0]), "unloaded at detach");
	rte_xdp_ctl_close(c);
	port_destroy(&nat);
	return check_pool_full(mp, "after close");
}

static int
map_id_by_name(struct rte_xdp_ctl *ctl, const struct rte_xdp_ctl_obj *obj,
	const char *suffix, struct rte_xdp_ctl_map *out)
{
	struct rte_xdp_ctl_map maps[256];
	int n = rte_xdp_ctl_map_list(ctl, maps, 256), i;
	unsigned int k;

	for (i = 0; i < n && i < 256; i++)
		for (k = 0; k < obj->nb_maps; k++)
			if (maps[i].id == obj->map_ids[k] &&
			    strstr(maps[i].name, suffix) != NULL) {
				*out = maps[i];
				return 0;
			}
	return -ENOENT;
}

static int
test_maps(void)
{
	struct rte_xdp_ctl *ctl = ctl_open();
	struct rte_xdp_ctl_obj obj;
	struct rte_xdp_ctl_map hm;
	uint16_t keys[65], k, next;
	uint64_t vals[65], v;
	uint32_t count;
	unsigned int i, seen;

	TEST_ASSERT_NOT_NULL(ctl, "open");
	TEST_ASSERT_SUCCESS(ctl_load(ctl, NULL, "xdp_count_v2", NULL, &obj),
		"load");
	TEST_ASSERT_SUCCESS(map_id_by_name(ctl, &obj, "proto_count", &hm),
		"the hash map is listed");
	TEST_ASSERT(hm.def.type == RTE_XDP_MAP_HASH && hm.def.key_size == 2 &&
		hm.user_value_size == 8 && hm.def.max_entries == 64,
		"its definition");
	for (i = 0; i < 65; i++) {
		keys[i] = 1000 + i;
		vals[i] = 7 * i;
	}
	count = 65;
	TEST_ASSERT_EQUAL(rte_xdp_ctl_map_update_batch(ctl, hm.id, keys, vals,
		&count, RTE_XDP_ANY), -E2BIG, "the 65th does not fit");
	TEST_ASSERT_EQUAL(count, 64, "64 went in");
	k = 1010;
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_map_lookup(ctl, hm.id, &k, &v),
		"lookup");
	TEST_ASSERT_EQUAL(v, 70, "value");
	v = 1;
	TEST_ASSERT_EQUAL(rte_xdp_ctl_map_update(ctl, hm.id, &k, &v,
		RTE_XDP_NOEXIST), -EEXIST, "NOEXIST on an existing key");
	k = 1;
	TEST_ASSERT_EQUAL(rte_xdp_ctl_map_update(ctl, hm.id, &k, &v,
		RTE_XDP_EXIST), -ENOENT, "EXIST on a missing key");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_map_lookup(ctl, hm.id, &k, &v), -ENOENT,
		"lookup of a missing key");
	seen = 0;
	if (rte_xdp_ctl_map_get_next_key(ctl, hm.id, NULL, &next) == 0) {
		do {
			seen++;
			k = next;
		} while (rte_xdp_ctl_map_get_next_key(ctl, hm.id, &k,
				&next) == 0 && seen < 100);
	}
	TEST_ASSERT_EQUAL(seen, 64, "every key walked");
	k = 1010;
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_map_delete(ctl, hm.id, &k), "delete");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_map_delete(ctl, hm.id, &k), -ENOENT,
		"delete twice");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_map_lookup(ctl, 999999, &k, &v), -ENOENT,
		"no such map");
	rte_xdp_ctl_close(ctl);
	return TEST_SUCCESS;
}

static int
test_stats(void)
{
	struct rte_xdp_ctl *ctl = ctl_open();
	static struct rte_xdp_ctl_prog progs[MAX_PROGS];
	struct rte_xdp_ctl_obj obj;
	uint64_t cnt = 0, ns = 0, drops;
	struct port nat;
	int n, i;

	TEST_ASSERT_NOT_NULL(ctl, "open");
	TEST_ASSERT_SUCCESS(port_create(&nat, "backend=gen,flows=8"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&nat, 1, RING, NULL, mp), "start");
	TEST_ASSERT_SUCCESS(ctl_load(ctl, "driver", "xdp1", NULL, &obj),
		"load");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(ctl, nat.id, obj.prog_ids[0],
		NULL, 0), "attach");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_stats_enable(ctl, 1), 0, "off before");
	poll_port(nat.id, 50);
	TEST_ASSERT_EQUAL(rte_xdp_ctl_stats_enable(ctl, 0), 1, "was on");
	drops = test_xstat(nat.id, "rx_xdp_drop");
	poll_port(nat.id, 50);
	n = rte_xdp_ctl_prog_list(ctl, progs, MAX_PROGS);
	for (i = 0; i < n && i < MAX_PROGS; i++)
		if (progs[i].info.id == obj.prog_ids[0]) {
			cnt = progs[i].run_cnt;
			ns = progs[i].run_time_ns;
			TEST_ASSERT(strcmp(progs[i].name, "xdp_prog1") == 0 &&
				progs[i].obj_id == obj.id &&
				progs[i].nb_maps == 1 &&
				progs[i].map_ids[0] == obj.map_ids[0],
				"the program as listed");
		}
	TEST_ASSERT(cnt > 0 && cnt == drops, "run_cnt %" PRIu64
		" counts the frames run while on (%" PRIu64 ")", cnt, drops);
	TEST_ASSERT(ns > 0, "run_time_ns");
	rte_xdp_ctl_close(ctl);
	port_destroy(&nat);
	return check_pool_full(mp, "after close");
}

struct events_seen {
	unsigned int samples;
	unsigned int bad;
	uint64_t lost;
};

static void
on_event(void *arg, unsigned int cpu, const void *data, uint32_t size,
	uint64_t lost)
{
	struct events_seen *e = arg;
	uint16_t cookie;

	RTE_SET_USED(cpu);
	e->lost += lost;
	if (data == NULL)
		return;
	memcpy(&cookie, data, sizeof(cookie));
	if (size >= 8 && cookie == 0xdd01)
		e->samples++;
	else
		e->bad++;
}

static int
test_events(void)
{
	struct rte_xdp_ctl *ctl = ctl_open();
	struct events_seen seen = { 0 };
	struct rte_xdp_ctl_obj obj;
	struct rte_xdp_ctl_map pm, arr;
	struct port nat;
	int s, n, tries;

	TEST_ASSERT_NOT_NULL(ctl, "open");
	TEST_ASSERT_SUCCESS(port_create(&nat, "backend=gen,flows=8"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&nat, 1, RING, NULL, mp), "start");
	TEST_ASSERT_SUCCESS(ctl_load(ctl, NULL, "xdp_events_v2", NULL, &obj),
		"load");
	TEST_ASSERT_SUCCESS(map_id_by_name(ctl, &obj, "samples", &pm), "map");
	TEST_ASSERT_SUCCESS(map_id_by_name(ctl, &obj, "results", &arr), "map");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_events_open(ctl, arr.id), -EINVAL,
		"an array has no events");
	s = rte_xdp_ctl_events_open(ctl, pm.id);
	TEST_ASSERT(s > 0, "open a stream: %s", rte_xdp_ctl_error(ctl));
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(ctl, nat.id, obj.prog_ids[0],
		NULL, 0), "attach");
	for (tries = 0; tries < 100 && seen.samples < 32; tries++) {
		poll_port(nat.id, 4);
		n = rte_xdp_ctl_events_read(ctl, s, on_event, &seen);
		TEST_ASSERT(n >= 0, "read: %s", rte_xdp_ctl_error(ctl));
	}
	TEST_ASSERT(seen.samples >= 32 && seen.bad == 0,
		"samples streamed (%u, %u bad)", seen.samples, seen.bad);
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_events_close(ctl, s), "close stream");
	TEST_ASSERT_EQUAL(rte_xdp_ctl_events_read(ctl, s, on_event, &seen),
		-ENOENT, "closed");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_detach(ctl, nat.id,
		RTE_XDP_CTL_MODE_AUTO), "detach");
	rte_xdp_ctl_close(ctl);
	port_destroy(&nat);
	return check_pool_full(mp, "after close");
}

/* The capture pools of this process: how many, and whether all are full. */
struct cap_pools {
	unsigned int nb;
	unsigned int not_full;
};

static void
count_cap_pool(struct rte_mempool *m, void *arg)
{
	struct cap_pools *cp = arg;

	if (strncmp(m->name, "xdpcap_", 7) != 0)
		return;
	cp->nb++;
	if (rte_mempool_avail_count(m) != m->size)
		cp->not_full++;
}

static struct cap_pools
cap_pools(void)
{
	struct cap_pools cp = { 0 };

	rte_mempool_walk(count_cap_pool, &cp);
	return cp;
}

/* Read the capture dry: checks each frame, counts entry and exit copies. */
static int
drain_capture(struct rte_xdp_ctl_capture *cap, uint32_t prog_id,
	uint16_t port, unsigned int *entry, unsigned int *exit_drop,
	unsigned int *bad)
{
	struct rte_mbuf *f[32];
	unsigned int n, i, total = 0;

	while ((n = rte_xdp_ctl_capture_read(cap, f, RTE_DIM(f))) != 0) {
		for (i = 0; i < n; i++) {
			const struct rte_xdp_ctl_capture_meta *md =
				rte_xdp_ctl_capture_meta(f[i]);

			if (md->prog_id != prog_id || md->port_id != port ||
			    md->orig_len < f[i]->pkt_len || f[i]->pkt_len == 0)
				(*bad)++;
			else if (md->point == RTE_XDP_CTL_CAPTURE_ENTRY)
				(*entry)++;
			else if (md->point == RTE_XDP_CTL_CAPTURE_EXIT &&
				 md->verdict == RTE_XDP_DROP)
				(*exit_drop)++;
			else
				(*bad)++;
		}
		rte_pktmbuf_free_bulk(f, n);
		total += n;
	}
	return total;
}

/* Capture at entry and exit of a native and a generic program. */
static int
test_capture(void)
{
	struct rte_xdp_ctl *ctl = ctl_open(), *other;
	struct rte_xdp_ctl_capture *cap, *cap2;
	struct rte_xdp_ctl_capture_opts o = {
		.points = RTE_XDP_CTL_CAPTURE_ENTRY | RTE_XDP_CTL_CAPTURE_EXIT,
		.snaplen = 40, .nb_frames = 128,
	};
	unsigned int entry = 0, exit_drop = 0, bad = 0, round;
	uint64_t captured, dropped, drops;
	struct rte_xdp_ctl_obj obj;
	struct port nat, gen;
	struct cap_pools cp;

	TEST_ASSERT_NOT_NULL(ctl, "open");
	TEST_ASSERT_SUCCESS(port_create(&nat, "backend=gen,flows=8"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&nat, 1, RING, NULL, mp), "start");
	if (null_port(&gen) != 0) {
		port_destroy(&nat);
		rte_xdp_ctl_close(ctl);
		TEST_SKIP("no net_null PMD");
	}
	TEST_ASSERT_SUCCESS(ctl_load(ctl, "driver", "xdp1", NULL, &obj),
		"load xdp1");

	o.port_id = nat.id;
	TEST_ASSERT_EQUAL(rte_xdp_ctl_capture_start(ctl, &o, &cap), -ENOENT,
		"no program, nothing to capture");
	TEST_ASSERT(strstr(rte_xdp_ctl_error(ctl), "no XDP program") != NULL,
		"said so: %s", rte_xdp_ctl_error(ctl));
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(ctl, nat.id, obj.prog_ids[0],
		NULL, 0), "attach");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_start(ctl, &o, &cap),
		"capture: %s", rte_xdp_ctl_error(ctl));
	TEST_ASSERT_EQUAL(rte_xdp_ctl_capture_start(ctl, &o, &cap2), -EBUSY,
		"one capture a port");
	TEST_ASSERT(strstr(rte_xdp_ctl_error(ctl), "already") != NULL,
		"said so: %s", rte_xdp_ctl_error(ctl));

	/* a few frames at a time: every one twice, the exit copy DROP */
	for (round = 0; round < 10; round++) {
		poll_port(nat.id, 1);
		drain_capture(cap, obj.prog_ids[0], nat.id, &entry,
			&exit_drop, &bad);
	}
	drops = test_xstat(nat.id, "rx_xdp_drop");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_stats(ctl, cap, &captured,
		&dropped), "stats");
	TEST_ASSERT(bad == 0 && entry > 0 && entry == exit_drop &&
		entry == drops && captured == 2 * drops && dropped == 0,
		"%" PRIu64 " frames: %u entry, %u exit DROP copies, %u bad, %"
		PRIu64 " captured, %" PRIu64 " dropped",
		drops, entry, exit_drop, bad, captured, dropped);
	cp = cap_pools();
	TEST_ASSERT(cp.nb == 1 && cp.not_full == 0,
		"the capture pool full once read (%u pools, %u not full)",
		cp.nb, cp.not_full);

	/* not read: the ring fills, copies are dropped, frames go on */
	poll_port(nat.id, 50);
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_stats(ctl, cap, &captured,
		&dropped), "stats");
	TEST_ASSERT(dropped > 0 && test_xstat(nat.id, "rx_xdp_drop") >
		drops + o.nb_frames, "dropped by capture: %" PRIu64, dropped);
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_stop(ctl, cap), "stop");
	TEST_ASSERT_EQUAL(cap_pools().nb, 0, "the capture pool freed");

	/* a session that ends takes its capture along */
	other = ctl_open();
	TEST_ASSERT_NOT_NULL(other, "open");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_start(other, &o, &cap2),
		"capture: %s", rte_xdp_ctl_error(other));
	poll_port(nat.id, 5);
	rte_xdp_ctl_close(other);
	TEST_ASSERT_EQUAL(cap_pools().nb, 0, "ended with its session");

	/* generic: the same on another PMD */
	entry = exit_drop = 0;
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(ctl, gen.id, obj.prog_ids[0],
		NULL, 0), "generic attach");
	o.port_id = gen.id;
	o.points = RTE_XDP_CTL_CAPTURE_EXIT;
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_start(ctl, &o, &cap),
		"capture: %s", rte_xdp_ctl_error(ctl));
	poll_port(gen.id, 1);
	drain_capture(cap, obj.prog_ids[0], gen.id, &entry, &exit_drop, &bad);
	TEST_ASSERT(bad == 0 && entry == 0 && exit_drop > 0,
		"generic: %u exit DROP copies only (%u entry, %u bad)",
		exit_drop, entry, bad);
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_stop(ctl, cap), "stop");

	TEST_ASSERT_SUCCESS(rte_xdp_ctl_detach(ctl, nat.id,
		RTE_XDP_CTL_MODE_AUTO), "detach");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_detach(ctl, gen.id,
		RTE_XDP_CTL_MODE_AUTO), "detach");
	rte_xdp_ctl_close(ctl);
	port_destroy(&nat);
	port_destroy(&gen);
	return check_pool_full(mp, "after close");
}

/*
 * A REDIRECT's exit copy names its target, as xdpdump's comment does:
 * through a devmap, the map's id and the key.
 */
static int
test_capture_redirect(void)
{
	struct rte_xdp_ctl *ctl = ctl_open();
	struct rte_xdp_ctl_capture *cap;
	struct rte_xdp_ctl_capture_opts o = {
		.points = RTE_XDP_CTL_CAPTURE_EXIT, .snaplen = 64,
		.nb_frames = 128,
	};
	struct rte_mbuf *f[32];
	unsigned int n, i, redirected = 0, bad = 0;
	struct rte_xdp_ctl_obj obj;
	uint32_t key = 0, ifindex;
	struct port nat;

	TEST_ASSERT_NOT_NULL(ctl, "open");
	TEST_ASSERT_SUCCESS(port_create(&nat, "backend=gen,flows=8"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&nat, 1, RING, NULL, mp), "start");
	TEST_ASSERT_SUCCESS(ctl_load(ctl, "driver", "xdp_redirect_map", NULL,
		&obj), "load xdp_redirect_map");
	TEST_ASSERT_EQUAL(obj.nb_maps, 1, "one map, tx_port");
	/* out of the port it came in on */
	ifindex = rte_xdp_port_ifindex(nat.id);
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_map_update(ctl, obj.map_ids[0], &key,
		&ifindex, 0), "tx_port[0]: %s", rte_xdp_ctl_error(ctl));
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_attach(ctl, nat.id, obj.prog_ids[0],
		NULL, 0), "attach: %s", rte_xdp_ctl_error(ctl));
	o.port_id = nat.id;
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_start(ctl, &o, &cap),
		"capture: %s", rte_xdp_ctl_error(ctl));
	poll_port(nat.id, 1);
	while ((n = rte_xdp_ctl_capture_read(cap, f, RTE_DIM(f))) != 0) {
		for (i = 0; i < n; i++) {
			const struct rte_xdp_ctl_capture_meta *md =
				rte_xdp_ctl_capture_meta(f[i]);

			if (md->point == RTE_XDP_CTL_CAPTURE_EXIT &&
			    md->verdict == RTE_XDP_REDIRECT &&
			    md->redirect_map_id == obj.map_ids[0] &&
			    md->redirect_ifindex == key)
				redirected++;
			else
				bad++;
		}
		rte_pktmbuf_free_bulk(f, n);
	}
	TEST_ASSERT(redirected > 0 && bad == 0,
		"%u exit copies naming map %u key %u, %u others",
		redirected, obj.map_ids[0], key, bad);
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_capture_stop(ctl, cap), "stop");
	TEST_ASSERT_SUCCESS(rte_xdp_ctl_detach(ctl, nat.id,
		RTE_XDP_CTL_MODE_AUTO), "detach");
	rte_xdp_ctl_close(ctl);
	port_destroy(&nat);
	return check_pool_full(mp, "after close");
}

/*
 * A load through the control plane reports an object's programs that are
 * not XDP as the library lists them, however long the list (xdp-bench's
 * objects were "malformed reply" past 255 bytes).
 */
static int
test_not_xdp_list(void)
{
	struct rte_xdp_obj_opts oo = { .socket_id = SOCKET_ID_ANY };
	struct rte_xdp_ctl *ctl = ctl_open();
	struct rte_xdp_ctl_obj o;
	struct rte_xdp_obj *obj;
	char err[256];
	int ret;

	TEST_ASSERT_NOT_NULL(ctl, "no control plane");
	obj = rte_xdp_obj_open(test_bpf_obj(NULL, "xdp_traced_v3"), &oo, err,
		sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	ret = ctl_load(ctl, NULL, "xdp_traced_v3", NULL, &o);
	TEST_ASSERT_EQUAL(ret, 0, "load through the control plane: %d", ret);
	TEST_ASSERT(strlen(rte_xdp_obj_not_xdp(obj)) > 255,
		"the list is %zu bytes: the test needs more than 255",
		strlen(rte_xdp_obj_not_xdp(obj)));
	TEST_ASSERT(strcmp(o.not_xdp, rte_xdp_obj_not_xdp(obj)) == 0,
		"control plane: '%s', library: '%s'", o.not_xdp,
		rte_xdp_obj_not_xdp(obj));
	TEST_ASSERT(strstr(o.not_xdp, "probe_redirect (kprobe/xdp_do_redirect)") != NULL,
		"%s", o.not_xdp);
	rte_xdp_obj_close(obj);
	rte_xdp_ctl_close(ctl);	/* unpinned: unloaded with the handle */
	return TEST_SUCCESS;
}

static struct unit_test_suite xdp_ctl_suite = {
	.suite_name = "XDP control plane",
	.setup = suite_setup,
	.teardown = suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_attach_detach),
		TEST_CASE(test_lifetime),
		TEST_CASE(test_maps),
		TEST_CASE(test_stats),
		TEST_CASE(test_events),
		TEST_CASE(test_capture),
		TEST_CASE(test_capture_redirect),
		TEST_CASE(test_not_xdp_list),
		TEST_CASES_END()
	}
};

static int
xdp_ctl_autotest(void)
{
	return unit_test_suite_runner(&xdp_ctl_suite);
}

REGISTER_TEST_COMMAND(xdp_ctl_autotest, xdp_ctl_autotest);
