#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# DPDK's own pmd_perf_autotest (dpdk-test, unmodified) on a net_mvneta_xdp
# port: the test sets lpbk_mode=1 and expects its burst back.
set -eu
. "$(dirname "$0")/lib.sh"

command -v dpdk-test >/dev/null || skip "dpdk-test not installed"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
DPDK_TEST=pmd_perf_autotest timeout 120 dpdk-test $(eal_args tperf) -l 0,1 \
	--vdev net_mvneta_xdp0 >"$out" 2>&1 || true
cat "$out" | grep -vE '^EAL:' | tail -25
grep -q "^Test OK" "$out" || fail "pmd_perf_autotest did not pass"
echo "PASS: pmd_perf_autotest"
