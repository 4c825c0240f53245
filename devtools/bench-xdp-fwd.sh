#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Forwarding rate of dpdk-xdp-fwd (the xdp_fwd program: bpf_fib_lookup,
# TTL and checksum, MAC rewrite, devmap redirect) against dpdk-testpmd io
# forwarding on the same ports, one forwarding lcore each, all setups
# alternating within one run:
#   native   two net_mvneta_xdp ports whose wires are traffic generators
#            (backend=gen): port 0 receives 64-byte IPv4/UDP frames as
#            fast as its RX ring takes them, forwarded out of port 1
#            (whose generator only counts and discards);
#   generic  the same ports with --mode generic (rte_xdp_generic.h);
#   generic  net_pcap replaying a capture forever (infinite_rx) into a
#            net_null sink.
# Prints a Markdown table (medians of RUNS runs of SECONDS_PER_RUN) and
# writes it to doc/perf/xdp-fwd.md.
#
#   RUNS=5 SECONDS_PER_RUN=4 ./devtools/bench-xdp-fwd.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$("$top/devtools/build.sh")}
runs=${RUNS:-5}
secs=${SECONDS_PER_RUN:-4}
out=${OUT:-$top/doc/perf/xdp-fwd.md}
fwd=$build/examples/dpdk-xdp-fwd
pmd=$build/drivers/librte_net_mvneta_xdp.so
eal="--no-huge --no-pci -m 512 --no-shconf --log-level=lib.eal:error -l 0,1"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load=$(cut -d' ' -f1 /proc/loadavg)

# Routes for the generators' destinations (198.19.0.0/16), through a
# gateway on port 1.
cat >"$tmp/routes" <<EOF
route 198.20.0.0/24 dev xfwd1
route 198.19.0.0/16 via 198.20.0.1 dev xfwd1
neigh 198.20.0.1 lladdr 02:00:00:00:00:99 dev xfwd1
EOF
# 64 flows of 64-byte frames for net_pcap to replay.
python3 - "$tmp/in.pcap" <<'PY'
import socket, struct, sys
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(64):
        udp = struct.pack('!HHHH', 1000 + i, 9, 26, 0) + bytes(18)
        h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 46, 0, 0, 64, 17, 0,
                        socket.inet_aton('198.18.0.1'),
                        socket.inet_aton('198.19.0.%d' % i))
        fr = bytes.fromhex('020000000001020000000002') + b'\x08\x00' + \
            h[:10] + struct.pack('!H', csum(h)) + h[12:] + udp
        f.write(struct.pack('<IIII', 0, 0, len(fr), len(fr)) + fr)
PY

mv_ports="--vdev net_mvneta_xdp0,backend=gen,flows=64 --vdev net_mvneta_xdp1,backend=gen,rate=1"
pcap_ports="--vdev net_pcap0,rx_pcap=$tmp/in.pcap,infinite_rx=1 --vdev net_null0,no-rx=1"

# Frames per second forwarded by dpdk-xdp-fwd: port 0's XDP_REDIRECT rate,
# median of the 1-second reports after the first.
measure_fwd() {
	timeout -s INT $((secs + 2)) "$fwd" $eal --file-prefix bxf$$ "$@" \
		-- --routes "$tmp/routes" --no-tap ${FWD_ARGS:-} 2>/dev/null |
	awk '/ \| p0 / {
		for (i = 1; i <= NF; i++) if ($i == "redirect") { v = $(i + 1); break }
		m = 1
		if (v ~ /M$/) m = 1e6; else if (v ~ /k$/) m = 1e3
		sub(/[Mk]$/, "", v)
		if (++n > 1) print v * m
	}' | median
}

# dpdk-testpmd io: transmitted frames per second, all ports.
measure_testpmd() {
	{
		echo "start"
		sleep 1
		echo "show port stats all"
		sleep "$secs"
		echo "show port stats all"
		echo "stop"
		echo "quit"
	} | dpdk-testpmd $eal --file-prefix btp$$ -d "$pmd" "$@" \
		-- -i --total-num-mbufs=16384 --forward-mode=io --burst=32 \
		2>/dev/null |
	awk '/NIC statistics for port/ { if (++n > 2) s = 1 }
	     s && /Tx-pps/ { pps += $2 }
	     END { print pps + 0 }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0;
		else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

i=0
while [ $i -lt "$runs" ]; do
	FWD_ARGS=--mode=auto measure_fwd $mv_ports >>"$tmp/fwd-native"
	FWD_ARGS="--mode=auto --sec=xdp_fwd_direct" measure_fwd $mv_ports \
		>>"$tmp/fwd-native-direct"
	measure_testpmd $mv_ports >>"$tmp/tp-mv"
	FWD_ARGS=--mode=generic measure_fwd $mv_ports >>"$tmp/fwd-generic-mv"
	FWD_ARGS=--mode=auto measure_fwd $pcap_ports >>"$tmp/fwd-generic-pcap"
	measure_testpmd $pcap_ports >>"$tmp/tp-pcap"
	i=$((i + 1))
done
hz=$(dpdk-testpmd --no-huge --no-pci -m 256 --no-shconf --file-prefix hz$$ \
	--log-level=lib.eal:debug -- --help 2>&1 |
	awk '/TSC frequency is/ { gsub("~", ""); printf "%d", $5 * 1000 }')

row() {
	med=$(median <"$tmp/$2")
	printf '| %s | %.2f | %.0f | %s |\n' "$1" \
		"$(echo "$med / 1000000" | bc -l)" \
		"$(echo "$hz / ($med + 0.000001)" | bc -l)" \
		"$(tr '\n' ' ' <"$tmp/$2")"
}
ratio() {
	printf '%.2f' "$(echo "$(median <"$tmp/$1") / ($(median <"$tmp/$2") + 0.000001)" | bc -l)"
}

{
	echo "# dpdk-xdp-fwd against dpdk-testpmd io forwarding"
	echo
	echo "Command: \`RUNS=$runs SECONDS_PER_RUN=$secs ./devtools/bench-xdp-fwd.sh\`"
	echo "(one forwarding lcore, 32-frame bursts, 64-byte IPv4/UDP frames,"
	echo "all setups alternating within one run; medians)."
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date +%Y-%m-%d);"
	echo "load average $load when the run started (other work on the machine"
	echo "spreads the runs: compare rows of one run, not runs of two)."
	echo
	echo "| scenario | median Mpps forwarded | cycles/packet | runs (pps) |"
	echo "|---|---|---|---|"
	row "dpdk-xdp-fwd, native XDP, net_mvneta_xdp gen pair" fwd-native
	row "same, xdp_fwd_direct (BPF_FIB_LOOKUP_DIRECT)" fwd-native-direct
	row "dpdk-xdp-fwd, generic XDP, net_mvneta_xdp gen pair" fwd-generic-mv
	row "dpdk-testpmd io, net_mvneta_xdp gen pair" tp-mv
	row "dpdk-xdp-fwd, generic XDP, net_pcap (infinite_rx) to net_null" fwd-generic-pcap
	row "dpdk-testpmd io, net_pcap (infinite_rx) to net_null" tp-pcap
	echo
	echo "Ratios to testpmd io on the same ports: native $(ratio fwd-native tp-mv),"
	echo "generic $(ratio fwd-generic-mv tp-mv) (net_mvneta_xdp),"
	echo "generic $(ratio fwd-generic-pcap tp-pcap) (net_pcap); generic / native"
	echo "$(ratio fwd-generic-mv fwd-native)."
	echo
	echo "testpmd io moves mbuf pointers; dpdk-xdp-fwd runs xdp_fwd on every"
	echo "frame (a FIB lookup: the local then the main table in rte_rib and"
	echo "the neighbour in an rte_hash; a devmap_hash lookup and the"
	echo "redirect's own; the TTL and checksum update, the MAC rewrite) and"
	echo "redirects it through the per-lcore bulk queue. A perf profile of"
	echo "the native case (2026-11-29) puts about a fifth of the cycles in the"
	echo "devmap_hash lookups (jhash and key compare, twice a frame), a sixth"
	echo "in the FIB (two RIB walks, one neighbour hash), 6% in"
	echo "__tls_get_addr (per-lcore variables of a shared library) and the"
	echo "rest in the driver and its NETA model. xdp_fwd_direct skips the"
	echo "local table. Generic mode adds the RX callback and, for frames with"
	echo "the PMD's 128 bytes of headroom (net_pcap), the move to 256 bytes;"
	echo "net_mvneta_xdp buffers already have 256."
	echo
	echo "Why not peer-wired ports, as doc/perf/testpmd-io.md uses: with two"
	echo "net_mvneta_xdp ports wired to each other every forwarded frame"
	echo "comes back, and a router decrements its TTL at each pass, so the"
	echo "frames testpmd's tx_first would inject die after 63 hops. A"
	echo "generator on the wire keeps the load constant. net_ring ports have"
	echo "no generator either (net_ring pairs only loop what is sent), so"
	echo "generic mode is measured on net_pcap replaying a capture."
} | tee "$out"
