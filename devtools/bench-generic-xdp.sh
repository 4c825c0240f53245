#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Generic XDP (the RX-callback hook of lib/xdp_compat) on net_null and
# net_ring ports, one lcore: no program, XDP_PASS, XDP_DROP, XDP_TX,
# devmap XDP_REDIRECT to a second port, next to rxonly and io without a
# hook on the same PMDs, DPDK's own RX filter (rte_bpf_ethdev, JIT and
# interpreted) doing XDP_DROP's work on net_null, and native against
# generic XDP on net_mvneta_xdp; all interleaved in one run, medians.
# Writes doc/perf/generic-xdp.md.
#
#   XDP_PERF_FRAME_SIZE=64 XDP_PERF_RUNS=5 XDP_PERF_SECONDS=0.4 \
#       ./devtools/bench-generic-xdp.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
out=${OUT:-$top/doc/perf/generic-xdp.md}
size=${XDP_PERF_FRAME_SIZE:-64}
runs=${XDP_PERF_RUNS:-5}
secs=${XDP_PERF_SECONDS:-0.4}
export XDP_PERF_FRAME_SIZE=$size XDP_PERF_RUNS=$runs XDP_PERF_SECONDS=$secs

load=$(cut -d' ' -f1-3 /proc/loadavg)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$build/test/dpdk-xdp-test" xdp_generic_perf_autotest >"$log" 2>/dev/null || true
table=$(sed -n '/^| scenario/,/^TSC/p' "$log")
[ -n "$table" ] ||
	{ echo "bench-generic-xdp: the perf autotest failed" >&2; exit 1; }

{
	echo "# Generic XDP on net_null and net_ring"
	echo
	echo "Command: \`XDP_PERF_FRAME_SIZE=$size XDP_PERF_RUNS=$runs XDP_PERF_SECONDS=$secs ./devtools/bench-generic-xdp.sh\`"
	echo "(runs \`dpdk-xdp-test xdp_generic_perf_autotest\`, also"
	echo "\`meson test -C build --suite perf xdp_generic_perf_autotest\`)."
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d), load average $load when it started"
	echo "(other work on the machine spreads the runs: compare rows of one run, not"
	echo "runs of two)."
	echo "EAL memory: $(sed -n 's/^EAL memory: //p' "$log") (devtools/eal-mem.sh)."
	echo
	echo "One lcore polls one RX queue and frees what \`rte_eth_rx_burst()\`"
	echo "returns (io: sends it out of the second port). Generic XDP is"
	echo "\`rte_xdp_generic_attach()\` with its defaults (XDP_TX on the RX"
	echo "queue's TX queue, 256 bytes of headroom) unless the row says otherwise;"
	echo "the programs are those of the native benchmark ([native-xdp.md](native-xdp.md)):"
	echo "xdp_verdict (PASS), xdp1 (DROP), xdp2 (TX), xdp_redirect_map (REDIRECT)."
	echo "Cycles are TSC cycles of the polling loop per frame the port took in"
	echo "(ethdev ipackets, before the hook); \"extra cycles/frame\" is the"
	echo "difference to rxonly without a hook on the same PMD (net_mvneta_xdp:"
	echo "its port without a program)."
	echo
	echo "$table"
	echo
	echo "Where the frames come from:"
	echo
	echo "* net_null: \`rx_burst\` allocates the mbufs (devarg \`size=$size\`) and"
	echo "  writes nothing; every buffer of the pool holds an IPv4/UDP frame"
	echo "  written once before the runs. XDP_TX and the redirected frames are"
	echo "  freed by net_null's \`tx_burst\`. Frames arrive with 128 bytes of"
	echo "  headroom, so generic XDP moves each one to 256 (the kernel's"
	echo "  pskb_expand_head() for skbs with less than XDP_PACKET_HEADROOM); the"
	echo "  headroom=1 row is the same XDP_DROP without the move."
	echo "* rte_bpf_ethdev rows: DPDK's own BPF RX filter on a fourth net_null"
	echo "  port of the same pool, \`rte_bpf_eth_rx_elf_load()\` with"
	echo "  \`RTE_BPF_ETH_F_JIT\` (JIT) or without (interpreted) of"
	echo "  \`test/bpf/driver/rte_bpf_xdp1.c\`: xdp1's work (count the frame by IP"
	echo "  protocol, drop it) in rte_bpf's convention: its argument is the"
	echo "  frame's data (\`RTE_BPF_ARG_PTR\`, the frame's size: the verifier"
	echo "  bounds the reads, no data_end), it returns 0 to drop, its counters"
	echo "  are an array of the test given as an external variable (rte_bpf has"
	echo "  no maps). rte_bpf_ethdev frees the dropped mbufs itself and moves no"
	echo "  frame; compare it with the headroom=1 row as well. The test checks"
	echo "  that the program counted every frame the port took in. (Stock"
	echo "  testpmd's \`bpf-load\` gives a program only \`stdout\` and"
	echo "  \`rte_pktmbuf_dump\` as external symbols, no counters, and would run"
	echo "  in a process of its own: these rows run in the autotest, interleaved"
	echo "  with the generic ones.)"
	echo "* net_ring: three ports made with \`rte_eth_from_rings()\` on one ring,"
	echo "  each port's RX and TX queue being that ring: A has the hook, P never"
	echo "  has one (rxonly, io), B is the second port (io and redirect target)."
	echo "  What any of them sends comes back on the ring, so XDP_TX, XDP_REDIRECT"
	echo "  and io loop the same frames (mbuf pointers, no allocation), and"
	echo "  XDP_TX cannot starve the ring. Frames the program drops or the"
	echo "  application frees are replaced inside the timed loop by fresh mbufs"
	echo "  (the test keeps 512 frames on the ring), as net_null allocates inside"
	echo "  its \`rx_burst\`. A looping frame keeps the 256 bytes of headroom it got"
	echo "  on its first pass: the XDP_TX and XDP_REDIRECT rows do not pay the move"
	echo "  (the \"frames moved\" column). io on the loop only moves pointers"
	echo "  between ring and burst: its Mpps is not a port's rate."
	echo "* net_mvneta_xdp: the gen backend's generator writes each frame into"
	echo "  its RX buffer inside \`rx_burst\` (see native-xdp.md); its buffers have"
	echo "  256 bytes of headroom, so generic XDP runs in place there. Native and"
	echo "  generic use two ports of the same kind, so that a port without a"
	echo "  program is not slowed by the RX callback a generic detach leaves."
} >"$out"
cat "$out"
