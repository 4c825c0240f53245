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
	echo
	echo "The two xdp_verdict rows run the same program (three map lookups"
	echo "and an atomic add, then the verdict its cfg map holds), so their"
	echo "ratio is the cost of the exception path alone: per frame a counter"
	echo "and the test of the xdp_exception trace point's enable bit, per"
	echo "burst the log line's clock. Up to dd341d2 the driver registered"
	echo "the trace point in the file that emits it, so each aborted frame"
	echo "ran DPDK's trace-point registration code: this benchmark gave"
	echo "XDP_ABORTED 0.00 Mpps, 1.6 million cycles per frame (about 1,300"
	echo "frames/s, the heap growing) next to 9.76 Mpps for XDP_DROP."
} >"$out"
cat "$out"

if [ "${KERNEL_BENCH:-1}" != 0 ] && [ -x "$top/devtools/bench-kernel-xdp.sh" ]; then
	BUILD_DIR=$build "$top/devtools/bench-kernel-xdp.sh" || true
fi
