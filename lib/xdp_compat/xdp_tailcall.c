/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tail calls: BPF_MAP_TYPE_PROG_ARRAY and bpf_tail_call() (helper 12).
 *
 * rte_bpf has no tail calls, so the runtime makes them: the rewriter
 * turns each bpf_tail_call() into a call to xdpc_helper_tail_call()
 * followed by "if r0 != 0 exit". The helper applies the kernel's checks
 * (index within max_entries, a program in the slot, at most
 * MAX_TAIL_CALL_CNT = 33 tail calls taken per run: attempts on an empty
 * slot do not count, as on the x86-64 kernels the differential test
 * runs), and on success records the target in the run's
 * context and returns 1: the program exits at once, and the runner
 * (xdp_prog.c) starts the target on the same context, with a fresh
 * stack, as the kernel's jump does. A failed tail call returns 0 and the
 * program goes on after it. The verdict is the last program's return.
 *
 * A prog array holds program pointers; from the control plane its values
 * are program ids (the kernel takes fds and gives ids). Programs must
 * agree with the array's owner (the first program loaded that uses it)
 * on being frags-aware, as bpf_prog_map_compatible() requires.
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

#define MAX_TAIL_CALL_CNT 33

/* map->priv: max_entries program pointers, NULL where empty */
typedef const struct rte_xdp_prog *prog_slot;

static int
pa_delete(struct rte_xdp_map *map, const void *key)
{
	prog_slot *slot = map->priv;
	const struct rte_xdp_prog *old;
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->def.max_entries)
		return -EINVAL;
	old = __atomic_exchange_n(&slot[idx], NULL, __ATOMIC_ACQ_REL);
	return old != NULL ? 0 : -ENOENT;
}

static int
pa_user_lookup(struct rte_xdp_map *map, const void *key, void *value)
{
	prog_slot *slot = map->priv;
	const struct rte_xdp_prog *p;
	uint32_t idx, id;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->def.max_entries)
		return -ENOENT;
	p = __atomic_load_n(&slot[idx], __ATOMIC_ACQUIRE);
	if (p == NULL)
		return -ENOENT;
	id = p->id;
	memcpy(value, &id, sizeof(id));
	return 0;
}

int
xdpc_prog_array_owner(struct rte_xdp_map *map,
	const struct rte_xdp_prog *prog)
{
	int ret = 0;

	rte_spinlock_lock(&map->lock);
	if (!map->owner_set) {
		map->owner_set = 1;
		map->owner_frags = prog->frags;
	} else if (map->owner_frags != prog->frags) {
		ret = -EINVAL;
	}
	rte_spinlock_unlock(&map->lock);
	return ret;
}

static int
pa_user_update(struct rte_xdp_map *map, const void *key, const void *value,
	uint64_t flags)
{
	prog_slot *slot = map->priv;
	struct rte_xdp_prog *p;
	uint32_t idx, id;

	memcpy(&idx, key, sizeof(idx));
	memcpy(&id, value, sizeof(id));
	if (flags != RTE_XDP_ANY)
		return -EINVAL;
	if (idx >= map->def.max_entries)
		return -E2BIG;
	p = rte_xdp_prog_by_id(id);
	if (p == NULL)
		return -EBADF;
	if (p->bpf == NULL || p->attach != RTE_XDP_ATTACH_RX ||
	    xdpc_prog_array_owner(map, p) != 0)
		return -EINVAL;
	__atomic_store_n(&slot[idx], p, __ATOMIC_RELEASE);
	return 0;
}

static void
pa_forget(struct rte_xdp_map *map, const void *prog)
{
	prog_slot *slot = map->priv;
	uint32_t i;

	for (i = 0; i < map->def.max_entries; i++)
		if (slot[i] == prog)
			__atomic_store_n(&slot[i], NULL, __ATOMIC_RELEASE);
}

/* Programs cannot look up, update or delete in a prog array: the
 * rewriter refuses it, as the kernel's verifier does. */
const struct xdpc_map_ops xdpc_prog_array_ops = {
	.alloc = xdpc_map_slots_alloc,
	.free = xdpc_map_priv_free,
	.lookup = xdpc_map_no_lookup,
	.update = xdpc_map_no_update,
	.delete = pa_delete,
	.get_next_key = xdpc_map_index_next_key,
	.user_lookup = pa_user_lookup,
	.user_update = pa_user_update,
	.forget = pa_forget,
};

int
xdpc_prog_array_set(struct rte_xdp_map *map, uint32_t idx,
	struct rte_xdp_prog *prog)
{
	uint32_t id = prog->id;

	return pa_user_update(map, &idx, &id, RTE_XDP_ANY);
}

/* bpf_tail_call(ctx, prog_array, index): 1 when the program must exit
 * for the target to run, 0 to go on (the call failed). */
XDPC_HELPER_ATTR uint64_t
xdpc_helper_tail_call(uint64_t ctx, uint64_t map, uint64_t index,
	uint64_t a4, uint64_t a5)
{
	struct xdpc_ctx *c = (struct xdpc_ctx *)ctx;
	struct rte_xdp_map *m = (struct rte_xdp_map *)map;
	prog_slot *slot = m->priv;
	const struct rte_xdp_prog *p;
	uint32_t idx = index;

	RTE_SET_USED(a4);
	RTE_SET_USED(a5);
	if (idx >= m->def.max_entries)
		return 0;
	p = __atomic_load_n(&slot[idx], __ATOMIC_ACQUIRE);
	if (p == NULL || c->tc_cnt >= MAX_TAIL_CALL_CNT)
		return 0;
	c->tc_cnt++;
	c->tc_next = p;
	return 1;
}
