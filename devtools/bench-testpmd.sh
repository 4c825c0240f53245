#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The unmodified dpdk-testpmd on one forwarding lcore: io and macswap
# forwarding over two peer-wired net_mvneta_xdp ports against a pair of
# net_ring ports, and rxonly on a net_mvneta_xdp gen port against
# net_null, all alternating in the same run. Prints a Markdown table
# (medians of RUNS runs of SECONDS_PER_RUN each) and writes it to
# doc/perf/testpmd-io.md.
#
#   RUNS=5 SECONDS_PER_RUN=3 ./devtools/bench-testpmd.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
runs=${RUNS:-5}
secs=${SECONDS_PER_RUN:-3}
out=${OUT:-$top/doc/perf/testpmd-io.md}
. "$top/devtools/eal-mem.sh"

# One run: total packets received per second over a window of $secs.
# $1: forwarding mode; the rest: vdevs.
measure() {
	mode=$1
	shift
	first="start tx_first"
	[ "$mode" = rxonly ] && first="start"
	{
		echo "$first"
		sleep 1
		echo "show port stats all"
		sleep "$secs"
		echo "show port stats all"
		echo "stop"
		echo "quit"
	} | dpdk-testpmd $(eal_mem_args bench$$ 512) --no-pci \
		--log-level=lib.eal:error -l 0,1 \
		-d "$build/drivers/librte_net_mvneta_xdp.so" "$@" \
		-- -i --total-num-mbufs=16384 --forward-mode="$mode" \
		--burst=32 2>/dev/null |
	awk -v ports="$(echo "$@" | grep -o -- '--vdev' | wc -l)" \
	    '/NIC statistics for port/ { if (++n > ports) s = 1 }
	     s && /Rx-pps/ { pps += $2 }
	     END { print pps + 0 }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mvpair="--vdev net_mvneta_xdp0,peer=net_mvneta_xdp1 --vdev net_mvneta_xdp1,peer=net_mvneta_xdp0"
ringpair="--vdev net_ring0 --vdev net_ring1"
i=0
while [ $i -lt "$runs" ]; do
	for mode in io macswap; do
		measure $mode $mvpair >>"$tmp/mv-$mode"
		measure $mode $ringpair >>"$tmp/ring-$mode"
	done
	measure rxonly --vdev net_mvneta_xdp0,backend=gen >>"$tmp/mv-rxonly"
	measure rxonly --vdev net_null0 >>"$tmp/null-rxonly"
	i=$((i + 1))
done
# Cycles are TSC cycles, the clock rte_rdtsc() counts.
hz=$(dpdk-testpmd --no-huge --no-pci -m 256 --no-shconf --file-prefix hz$$ \
	--log-level=lib.eal:debug -- --help 2>&1 |
	awk '/TSC frequency is/ { gsub("~", ""); printf "%d", $5 * 1000 }')

row() {
	med=$(median <"$tmp/$2")
	printf '| %s | %.2f | %.0f | %s |\n' "$1" \
		"$(echo "$med / 1000000" | bc -l)" "$(echo "$hz / $med" | bc -l)" \
		"$(tr '\n' ' ' <"$tmp/$2")"
}
ratio() {
	printf '%.2f' "$(echo "$(median <"$tmp/$1") / $(median <"$tmp/$2")" | bc -l)"
}

{
	echo "# dpdk-testpmd on net_mvneta_xdp, net_ring and net_null"
	echo
	echo "Command: \`RUNS=$runs SECONDS_PER_RUN=$secs ./devtools/bench-testpmd.sh\`"
	echo "(one forwarding lcore, 32-frame bursts, 64-byte frames; io and"
	echo "macswap forward the \`--tx-first\` burst between two ports; all"
	echo "setups alternate within one run)."
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d)."
	echo "EAL memory: $(eal_mem_kind 512) (devtools/eal-mem.sh)."
	echo
	echo "| scenario | median Mpps (both directions) | cycles/packet | runs (pps) |"
	echo "|---|---|---|---|"
	row "io, net_mvneta_xdp peer pair" mv-io
	row "io, net_ring pair" ring-io
	row "macswap, net_mvneta_xdp peer pair" mv-macswap
	row "macswap, net_ring pair" ring-macswap
	row "rxonly, net_mvneta_xdp gen backend" mv-rxonly
	row "rxonly, net_null" null-rxonly
	echo
	echo "Ratios net_mvneta_xdp / reference: io $(ratio mv-io ring-io),"
	echo "macswap $(ratio mv-macswap ring-macswap), rxonly $(ratio mv-rxonly null-rxonly)."
	echo
	echo "net_mvneta_xdp's cost includes the NETA model playing the"
	echo "hardware: each frame is copied (DMA) from the TX buffer into the"
	echo "peer's RX buffer, and the generator writes each received frame;"
	echo "net_ring passes mbuf pointers, net_null hands out mbufs untouched."
} | tee "$out"
