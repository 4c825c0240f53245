#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The main job on the embedded default: a net_mvneta_xdp port whose NETA
# model is wired to the built-in traffic generator, with an XDP program
# attached natively (xdp1: count frames per IP protocol, drop them), run
# under the unmodified dpdk-testpmd for a few seconds; prints the receive
# rate and the XDP and page pool counters. DPDK runs on hugepages when
# they are free (devtools/eal-mem.sh), else on --no-huge; it says which.
# DURATION (seconds, default 5), GEN (gen devargs) and PROG (an XDP
# object, default the project's xdp1) override.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
duration=${DURATION:-5}
gen=${GEN:-frame_size=64,flows=256}
prog=${PROG:-$build/test/bpf/driver/xdp1.o}
. "$top/devtools/eal-mem.sh"
echo "EAL memory: $(eal_mem_kind 512)"
log=$(mktemp)
trap 'rm -f "$log"; eal_mem_cleanup demo$$' EXIT

{
	echo "start"
	sleep 1
	echo "show port stats 0"	# starts the rate window
	sleep "$duration"
	echo "show port stats 0"
	echo "stop"
	echo "show port xstats 0"
	echo "quit"
} | dpdk-testpmd $(eal_mem_args demo$$ 512) --no-pci \
	--log-level=lib.eal:error -l 0,1 \
	-d "$build/drivers/librte_net_mvneta_xdp.so" \
	--vdev "net_mvneta_xdp0,backend=gen,$gen,xdp_prog=$prog" \
	-- -i --total-num-mbufs=16384 --forward-mode=rxonly >"$log" 2>&1 || true
# No rate: testpmd did not run the port (EAL refuses a -d plugin under a
# world-writable directory such as /tmp, for one); its output says why.
awk -v prog="$(basename "$prog")" '
	/NIC statistics for port/ { shows++ }
	shows == 2 && /Rx-pps/ { rate = 1; printf "RX rate: %.2f Mpps (net_mvneta_xdp0: gen backend, native XDP %s, testpmd rxonly)\n", $2 / 1e6, prog }
	/NIC extended statistics/ { x = 1; print "Counters (xstats, non-zero):"; next }
	x && /^ *[a-z_0-9]+: [1-9]/ { print "  " $0 }
	x && /^testpmd>/ { x = 0 }
	END { exit !rate }
' "$log" || {
	echo "demo: dpdk-testpmd gave no rate; its output:" >&2
	cat "$log" >&2
	exit 1
}
