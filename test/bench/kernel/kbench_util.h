/* SPDX-License-Identifier: BSD-3-Clause */
/* What the kernel benchmarks (kernel_xdp_bench, kernel_xdp_fwd_bench)
 * share: time, interface MACs, the IPv4 header checksum, and which test
 * run errors mean "this kernel cannot run live frames". */
#ifndef KBENCH_UTIL_H
#define KBENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/if_ether.h>

#define KBENCH_EXIT_SKIP	77
#define KBENCH_EXIT_SIG		130

/* CLOCK_MONOTONIC in seconds. */
double kbench_now(void);

/* The MAC of ifname in the current network namespace; 0 or -errno. */
int kbench_get_mac(const char *ifname, unsigned char mac[ETH_ALEN]);

/* The Internet checksum of an IPv4 header (its check field zero). */
uint16_t kbench_ip_csum(const void *hdr, size_t len);

/* A BPF_PROG_TEST_RUN error (positive errno) that says live frames, or
 * bpf() itself, are not available here: the benchmark skips. */
bool kbench_live_frames_unsupported(int err);

#endif
