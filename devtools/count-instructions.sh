#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Instructions per frame in the driver's rx_burst (model, driver, XDP
# runtime and program), counted by valgrind's callgrind over a fixed
# number of bursts: repeatable on a noisy machine, unlike timings.
#
#   ./devtools/count-instructions.sh [SCENARIO...]
#
# Scenarios of mvneta_xdp_perf_autotest: 0 no program, 1 XDP_PASS,
# 2 XDP_DROP, 3 XDP_TX, 4 XDP_REDIRECT devmap (default: 0 to 4). EAL
# memory as devtools/eal-mem.sh chooses it (EAL_MEM, EAL_IOVA_MODE).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null
bursts=2000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

[ $# -gt 0 ] || set -- 0 1 2 3 4
for s in "$@"; do
	XDP_PERF_ONLY=$s XDP_PERF_BURSTS=$bursts valgrind --tool=callgrind \
		--callgrind-out-file="$out/cg.$s" \
		--toggle-collect=mvneta_xdp_rx_burst \
		"$build/test/dpdk-xdp-test" mvneta_xdp_perf_autotest \
		>"$out/log.$s" 2>&1
	[ -n "${said:-}" ] || grep '^EAL memory' "$out/log.$s" || true
	said=1
	# 5 runs of a warm-up and a measurement, 32 frames a burst.
	awk -v s="$s" -v f=$((bursts * 10 * 32)) '/^summary:/ {
		printf "scenario %s: %.1f instructions per frame\n", s, $2 / f }' \
		"$out/cg.$s"
done
