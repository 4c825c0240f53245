/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

/*
 * Shared by the libFuzzer targets: EAL once per process, mbuf pools whose
 * buffers end in a guard zone, accounting checks that abort (a crash for
 * libFuzzer) with a message naming what went wrong.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

/* Bytes at the end of every buffer of a guarded pool that nothing may
 * touch: ASan-poisoned (instrumented C code) and filled with a canary
 * checked after each input (JIT-ed BPF code, which ASan does not see). */
#define FUZZ_GUARD	256
#define FUZZ_CANARY	0xa5

/* rte_eal_init() with --no-huge --no-pci --no-shconf, a unique
 * --file-prefix, one lcore and logs at error level (FUZZ_VERBOSE=1: all). */
void fuzz_eal_init(const char *argv0);

/* A pktmbuf pool of n buffers of data_room bytes, of which the last
 * FUZZ_GUARD are a guard zone: the pool and each mbuf say data_room. */
struct rte_mempool *fuzz_guarded_pool(const char *name, unsigned int n,
	uint16_t data_room);

/* Abort unless every guard zone of the pool is intact. */
void fuzz_check_guards(struct rte_mempool *mp, const char *when);

/* Abort unless avail == expected. */
void fuzz_check_avail(struct rte_mempool *mp, unsigned int expected,
	const char *when);

/* Bytes allocated in the DPDK heap (rte_malloc, memzones), all sockets. */
size_t fuzz_heap_bytes(void);

/* Path of an object under the fuzzer's directory: <dir>/<rel>. */
const char *fuzz_path(const char *rel);

/* Print and abort: a libFuzzer crash. */
void fuzz_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
	noreturn));

#endif
