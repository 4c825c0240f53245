#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# testpmd io forwarding on one lcore over two peer-wired net_mvneta_xdp
# ports against a pair of net_ring ports, alternating in the same run.
# Prints a Markdown table (medians of RUNS runs of SECONDS each) and
# writes it to doc/perf/testpmd-io.md.
#
#   RUNS=5 SECONDS_PER_RUN=3 ./devtools/bench-testpmd.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
runs=${RUNS:-5}
secs=${SECONDS_PER_RUN:-3}
out=${OUT:-$top/doc/perf/testpmd-io.md}

# One run: total forwarded packets per second over a window of $secs.
measure() {
	{
		echo "start tx_first"
		sleep 1
		echo "show port stats all"
		sleep "$secs"
		echo "show port stats all"
		echo "stop"
		echo "quit"
	} | dpdk-testpmd --no-huge --no-pci -m 512 --no-shconf \
		--file-prefix bench$$ --log-level=lib.eal:error -l 0,1 \
		-d "$build/drivers/librte_net_mvneta_xdp.so" "$@" \
		-- -i --total-num-mbufs=16384 --forward-mode=io \
		--burst=32 2>/dev/null |
	awk '/NIC statistics for port/ { if (++n > 2) s = 1 }
	     s && /Rx-pps/ { pps += $2 }
	     END { print pps + 0 }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

mv=$(mktemp)
ring=$(mktemp)
trap 'rm -f "$mv" "$ring"' EXIT
i=0
while [ $i -lt "$runs" ]; do
	measure --vdev net_mvneta_xdp0,peer=net_mvneta_xdp1 \
		--vdev net_mvneta_xdp1,peer=net_mvneta_xdp0 >>"$mv"
	measure --vdev net_ring0 --vdev net_ring1 >>"$ring"
	i=$((i + 1))
done
mv_med=$(median <"$mv")
ring_med=$(median <"$ring")
# Cycles are TSC cycles, the clock rte_rdtsc() counts.
hz=$(dpdk-testpmd --no-huge --no-pci -m 256 --no-shconf --file-prefix hz$$ \
	--log-level=lib.eal:debug -- --help 2>&1 |
	awk '/TSC frequency is/ { gsub("~", ""); printf "%d", $5 * 1000 }')

{
	echo "# testpmd io forwarding: net_mvneta_xdp peer pair vs net_ring pair"
	echo
	echo "Command: \`RUNS=$runs SECONDS_PER_RUN=$secs ./devtools/bench-testpmd.sh\`"
	echo "(one forwarding lcore, 32-frame bursts, 64-byte frames from"
	echo "\`--tx-first\`; the two setups alternate within one run)."
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d)."
	echo
	echo "| ports | median Mpps (both directions) | cycles/packet | runs (pps) |"
	echo "|---|---|---|---|"
	printf '| net_mvneta_xdp peer pair | %.2f | %.0f | %s |\n' \
		"$(echo "$mv_med / 1000000" | bc -l)" \
		"$(echo "$hz / $mv_med" | bc -l)" "$(tr '\n' ' ' <"$mv")"
	printf '| net_ring pair | %.2f | %.0f | %s |\n' \
		"$(echo "$ring_med / 1000000" | bc -l)" \
		"$(echo "$hz / $ring_med" | bc -l)" "$(tr '\n' ' ' <"$ring")"
	echo
	printf 'Ratio net_mvneta_xdp / net_ring: %.2f\n' \
		"$(echo "$mv_med / $ring_med" | bc -l)"
	echo
	echo "net_mvneta_xdp's cost includes the NETA model playing the"
	echo "hardware: each frame is copied (DMA) from the TX buffer into the"
	echo "peer's RX buffer; net_ring passes mbuf pointers."
} | tee "$out"
