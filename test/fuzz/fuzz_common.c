/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL, guarded pools and accounting checks for the libFuzzer targets. */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "fuzz_common.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(a, s) ((void)(a), (void)(s))
#endif
/* The guard check reads poisoned bytes on purpose, and is run for every
 * input over every buffer: no ASan, no coverage callbacks. */
#ifdef __clang__
#define FUZZ_UNCHECKED __attribute__((no_sanitize("address", "coverage")))
#else
#define FUZZ_UNCHECKED __attribute__((no_sanitize_address))
#endif

/* Any sanitizer report ends the run: libFuzzer saves the input. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *
__asan_default_options(void)
{
	return "halt_on_error=1:abort_on_error=1:detect_leaks=1:"
		"allocator_may_return_null=1";
}

const char *
__ubsan_default_options(void)
{
	return "halt_on_error=1:abort_on_error=1:print_stacktrace=1";
}

void
fuzz_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FUZZ CHECK FAILED: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void
fuzz_eal_init(const char *argv0)
{
	static int done;
	char prefix[64], lcores[64], *argv[16];
	int argc = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (done)
		return;
	done = 1;
	/* JIT-ed code xdp_jit.c's replay does not match is a finding. */
	setenv("XDP_COMPAT_JIT_CHECK_ABORT", "1", 1);
	snprintf(prefix, sizeof(prefix), "--file-prefix=fuzz%d", (int)getpid());
	/* One lcore, free to run on any CPU (for -jobs/-fork runs). */
	snprintf(lcores, sizeof(lcores), "--lcores=0@(0-%ld)",
		ncpu > 1 ? ncpu - 1 : 0);
	argv[argc++] = (char *)(uintptr_t)(argv0 != NULL ? argv0 : "fuzz");
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"-m";
	argv[argc++] = (char *)(uintptr_t)"256";
	argv[argc++] = (char *)(uintptr_t)"--no-shconf";
	argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc++] = lcores;
	argv[argc++] = prefix;
	if (getenv("FUZZ_VERBOSE") == NULL)
		argv[argc++] = (char *)(uintptr_t)"--log-level=3";
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0)
		fuzz_die("rte_eal_init: %s", rte_strerror(rte_errno));
}

static void
guard_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct rte_mbuf *m = obj;
	uint16_t room = *(uint16_t *)arg;
	uint8_t *g = (uint8_t *)m->buf_addr + room;

	m->buf_len = room;
	memset(g, FUZZ_CANARY, FUZZ_GUARD);
	ASAN_POISON_MEMORY_REGION(g, FUZZ_GUARD);
	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
}

struct rte_mempool *
fuzz_guarded_pool(const char *name, unsigned int n, uint16_t data_room)
{
	struct rte_pktmbuf_pool_private *priv;
	struct rte_mempool *mp;

	mp = rte_pktmbuf_pool_create(name, n, 0, 0, data_room + FUZZ_GUARD,
		SOCKET_ID_ANY);
	if (mp == NULL)
		fuzz_die("pool %s: %s", name, rte_strerror(rte_errno));
	/* What drivers and the runtime read as the buffer size. */
	priv = rte_mempool_get_priv(mp);
	priv->mbuf_data_room_size = data_room;
	rte_mempool_obj_iter(mp, guard_init, &data_room);
	return mp;
}

struct guard_check {
	const char *when;
	uint16_t room;
};

static FUZZ_UNCHECKED void
guard_check(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	const struct guard_check *gc = arg;
	const struct rte_mbuf *m = obj;
	const volatile uint64_t *g = (const volatile uint64_t *)
		((const uint8_t *)m->buf_addr + gc->room);
	const uint64_t canary = 0x0101010101010101ULL * FUZZ_CANARY;
	uint64_t bad = 0;
	unsigned int i;

	for (i = 0; i < FUZZ_GUARD / 8; i++)
		bad |= g[i] ^ canary;
	if (bad != 0)
		for (i = 0; i < FUZZ_GUARD / 8; i++)
			if (g[i] != canary)
				fuzz_die("%s: pool %s, mbuf %u: bytes %u..%u past the end of its %u-byte buffer were written (0x%016" PRIx64 ")",
					gc->when, mp->name, idx, i * 8,
					i * 8 + 7, gc->room, g[i]);
	if (m->buf_len != gc->room)
		fuzz_die("%s: pool %s, mbuf %u: buf_len %u, expected %u",
			gc->when, mp->name, idx, m->buf_len, gc->room);
}

void
fuzz_check_guards(struct rte_mempool *mp, const char *when)
{
	struct guard_check gc = {
		.when = when,
		.room = rte_pktmbuf_data_room_size(mp),
	};

	rte_mempool_obj_iter(mp, guard_check, &gc);
}

void
fuzz_check_avail(struct rte_mempool *mp, unsigned int expected,
		const char *when)
{
	unsigned int avail = rte_mempool_avail_count(mp);

	if (avail != expected)
		fuzz_die("%s: pool %s has %u buffers available, expected %u",
			when, mp->name, avail, expected);
}

size_t
fuzz_heap_bytes(void)
{
	struct rte_malloc_socket_stats st;
	size_t sum = 0;
	unsigned int s;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (rte_malloc_get_socket_stats(s, &st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

const char *
fuzz_path(const char *rel)
{
	static char path[4][512];
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
	snprintf(p, sizeof(path[0]), "%s/%s", exe, rel);
	return p;
}
