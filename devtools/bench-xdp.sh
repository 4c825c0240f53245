#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Native XDP in net_mvneta_xdp on one lcore (gen backend, 64 B): XDP_DROP,
# XDP_TX, devmap XDP_REDIRECT, XDP_PASS, no program, and XDP_ABORTED next
# to XDP_DROP from the same program, interleaved runs, medians; then the
# kernel's own XDP on this machine (veth XDP_DROP against tc drop) when
# devtools/bench-kernel-xdp.sh can run. Writes
# doc/perf/native-xdp.md. XDP_PERF_FRAME_SIZE sets the frame size,
# KERNEL_BENCH=0 skips the kernel part.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
out=${OUT:-$top/doc/perf/native-xdp.md}

table=$("$build/test/dpdk-xdp-test" mvneta_xdp_perf_autotest 2>/dev/null |
	sed -n '/^| scenario/,/^XDP_ABORTED \//p')
[ -n "$table" ] || { echo "bench-xdp: the perf autotest failed" >&2; exit 1; }

{
	echo "# Native XDP in net_mvneta_xdp"
	echo
	echo "Command: \`XDP_PERF_FRAME_SIZE=${XDP_PERF_FRAME_SIZE:-64} ./devtools/bench-xdp.sh\` (runs \`dpdk-xdp-test mvneta_xdp_perf_autotest\`,"
	echo "also \`meson test -C build --suite perf\`)."
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg) when it ran."
	echo
	echo "$table"
	echo
	echo "Frames come from the NETA model's generator, which writes each frame"
	echo "into its RX buffer (the DMA) inside rx_burst: that copy is part of"
	echo "every row. XDP_TX and XDP_REDIRECT frames are sent by the model to"
	echo "the gen backend, which discards them."
} >"$out"
cat "$out"

if [ "${KERNEL_BENCH:-1}" != 0 ] && [ -x "$top/devtools/bench-kernel-xdp.sh" ]; then
	BUILD_DIR=$build "$top/devtools/bench-kernel-xdp.sh" || true
fi
