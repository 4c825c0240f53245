#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The main job on the embedded default: a net_mvneta_xdp port whose NETA
# model is wired to the built-in traffic generator, received by the
# unmodified dpdk-testpmd for a few seconds; prints rates and counters.
# DURATION (seconds, default 5) and GEN (extra gen devargs) override.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
duration=${DURATION:-5}
gen=${GEN:-frame_size=64,flows=256}

{
	echo "start"
	sleep 1
	echo "show port stats 0"	# starts the rate window
	sleep "$duration"
	echo "show port stats 0"
	echo "stop"
	echo "show port xstats 0"
	echo "quit"
} | dpdk-testpmd --no-huge --no-pci -m 512 --no-shconf \
	--file-prefix demo$$ --log-level=lib.eal:error -l 0,1 \
	-d "$build/drivers/librte_net_mvneta_xdp.so" \
	--vdev "net_mvneta_xdp0,backend=gen,$gen" \
	-- -i --total-num-mbufs=16384 --forward-mode=rxonly 2>&1 |
awk '
	/NIC statistics for port/ { shows++ }
	shows == 2 && /Rx-pps/ { printf "RX rate: %.2f Mpps (%s)\n", $2 / 1e6, "net_mvneta_xdp0, gen backend, testpmd rxonly" }
	/NIC extended statistics/ { x = 1; print "Counters (xstats, non-zero):"; next }
	x && /^ *[a-z_0-9]+: [1-9]/ { print "  " $0 }
	x && /^testpmd>/ { x = 0 }
'
