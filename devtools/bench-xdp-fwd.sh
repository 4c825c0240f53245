#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Forwarding rate of xdp_fwd (test/bpf/fwd/xdp_fwd.c, the program of
# dpdk-xdp-fwd: bpf_fib_lookup, TTL and checksum, MAC rewrite, devmap
# redirect) against an io loop on the same ports and against the kernel
# running the same object between veths, all in one run, alternating:
#
#   xdp_fwd_perf_autotest   one forwarding lcore, a generator lcore on the
#       wires (test/test_xdp_fwd_perf.c): net_mvneta_xdp ports peer-wired
#       to generator/sink ports (native XDP, generic XDP, io loop), and
#       net_ring ports whose rings the generator fills and drains
#       (generic XDP, io loop);
#   kernel                  kernel_xdp_fwd_bench (test/bench/kernel): three
#       network namespaces created here, xdp_fwd native on the router's
#       veths, kernel routes and neighbours, live-frames generator;
#   dpdk-xdp-fwd, dpdk-testpmd   the shipped application and the real
#       testpmd io engine on a backend=gen pair (a generator inside the
#       port model: no second lcore);
#   l3fwd                DPDK's example (LPM lookup) on the same pair with
#       the same routes, built here from the sources of Debian's dpdk-doc
#       package (installed here as root when missing) against the
#       installed DPDK; its row is skipped, with the reason, when that
#       cannot be done.
#
# Prints a Markdown table (medians of RUNS runs of SECONDS_PER_RUN) and
# writes it to doc/perf/xdp-fwd.md (OUT). BUILD_DIR: build directory.
#
#   RUNS=5 SECONDS_PER_RUN=2 ./devtools/bench-xdp-fwd.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$("$top/devtools/build.sh")}
runs=${RUNS:-5}
secs=${SECONDS_PER_RUN:-2}
out=${OUT:-$top/doc/perf/xdp-fwd.md}
fwd=$build/examples/dpdk-xdp-fwd
pmd=$build/drivers/librte_net_mvneta_xdp.so
kbench=$build/test/bench/kernel/kernel_xdp_fwd_bench
fwd_obj=$build/test/bpf/fwd/xdp_fwd.o
. "$top/devtools/eal-mem.sh"
eal="--no-pci --log-level=lib.eal:error -l 0,1"
cmd="RUNS=$runs SECONDS_PER_RUN=$secs ./devtools/bench-xdp-fwd.sh"

tmp=$(mktemp -d)
ns=xfb$$
cleanup() {
	for n in g r s; do
		ip netns del "$ns$n" 2>/dev/null || true
	done
	# the EAL runtime directories of the three applications
	for p in bxf bl3 btp; do
		eal_mem_cleanup $p$$
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
load=$(cut -d' ' -f1-3 /proc/loadavg)

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0;
		else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# --- kernel: gen netns -veth- router netns -veth- sink netns -----------
# Sets kernel_skip to a reason when the kernel row cannot run.
kernel_skip=
kernel_setup() {
	if [ "$(id -u)" != 0 ]; then
		kernel_skip="not root (needs CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_BPF)"
		return
	fi
	if [ ! -x "$kbench" ] || [ ! -f "$fwd_obj" ]; then
		kernel_skip="kernel_xdp_fwd_bench or xdp_fwd.o not built (clang, libbpf, libelf)"
		return
	fi
	if ! ip netns add "${ns}g" 2>"$tmp/err"; then
		kernel_skip="cannot create a network namespace: $(head -1 "$tmp/err")"
		return
	fi
	ip netns add "${ns}r"
	ip netns add "${ns}s"
	ip link add ga netns "${ns}g" type veth peer name ri netns "${ns}r"
	ip link add ro netns "${ns}r" type veth peer name sb netns "${ns}s"
	ip -n "${ns}g" link set ga up
	ip -n "${ns}r" link set ri up
	ip -n "${ns}r" link set ro up
	ip -n "${ns}s" link set sb up
	# the router: same routes as the DPDK rows, the gateway is the sink
	ip netns exec "${ns}r" sysctl -qw net.ipv4.conf.all.forwarding=1
	ip -n "${ns}r" addr add 198.18.0.254/24 dev ri
	ip -n "${ns}r" addr add 198.20.0.254/24 dev ro
	ip -n "${ns}r" route add 198.19.0.0/16 via 198.20.0.1 dev ro
	ip -n "${ns}r" neigh replace 198.20.0.1 nud permanent dev ro \
		lladdr "$(ip -n "${ns}s" -br link show sb | awk '{ print $3 }')"
	krun="$kbench --gen-ns /run/netns/${ns}g --gen-if ga"
	krun="$krun --router-ns /run/netns/${ns}r --in-if ri --out-if ro"
	krun="$krun --sink-ns /run/netns/${ns}s --sink-if sb --fwd-obj $fwd_obj"
	rc=0
	$krun --probe >"$tmp/probe" 2>&1 || rc=$?
	if [ $rc = 77 ]; then
		kernel_skip=$(sed -n 's/^SKIP: //p' "$tmp/probe")
	elif [ $rc != 0 ]; then
		cat "$tmp/probe" >&2
		echo "$0: kernel forwarding probe failed" >&2
		exit 1
	fi
}

measure_kernel() {
	$krun --seconds "$secs" --cpu 0 | awk '$1 == "mode=fwd" {
		for (i = 2; i <= NF; i++) if ($i ~ /^mpps=/) {
			sub("mpps=", "", $i); print $i; ok = 1 } }
		END { exit !ok }'
}

# --- the autotest: one run of every DPDK scenario ----------------------
measure_autotest() {
	if ! XDP_FWD_PERF_RUNS=1 XDP_FWD_PERF_MS=$((secs * 1000)) \
		"$build/test/dpdk-xdp-test" xdp_fwd_perf_autotest \
		>"$tmp/at.log" 2>&1; then
		cat "$tmp/at.log" >&2
		echo "$0: xdp_fwd_perf_autotest failed" >&2
		exit 1
	fi
	awk '$1 == "RESULT" {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print v["mpps"], v["cpp"], v["offered"], v["gen_bound"] >> \
			(dir "/" $2) }
	     /TSC_HZ/ { for (i = 1; i <= NF; i++) if ($i == "(TSC_HZ") {
		h = $(i + 1); sub(/\)/, "", h); sub(/;/, "", h); print h > (dir "/hz") } }' \
		dir="$tmp" "$tmp/at.log"
}

# --- the shipped application and testpmd on a backend=gen pair ---------
cat >"$tmp/routes" <<EOF
route 198.20.0.0/24 dev xfwd1
route 198.19.0.0/16 via 198.20.0.1 dev xfwd1
neigh 198.20.0.1 lladdr 02:00:00:00:00:99 dev xfwd1
EOF
# l3fwd's LPM rules (--rule_ipv4: prefix, port) for the same routes; the
# next hop's MAC is per port (--eth-dest); it wants an IPv6 rule too
printf 'R198.20.0.0/24 1\nR198.19.0.0/16 1\n' >"$tmp/l3fwd-v4"
printf 'R2001:db8::/32 1\n' >"$tmp/l3fwd-v6"
gen_ports="--vdev net_mvneta_xdp0,backend=gen,flows=64 --vdev net_mvneta_xdp1,backend=gen,rate=1"

# dpdk-xdp-fwd: port 0's XDP_REDIRECT rate, median of its 1-second
# reports after the first (4 s more than secs: on a busy machine its
# start alone can take 2).
measure_fwd() {
	timeout -s INT $((secs + 4)) "$fwd" $(eal_mem_args bxf$$ 512) $eal $gen_ports \
		-- --routes "$tmp/routes" --no-tap --mode=native 2>/dev/null |
	awk '/ \| p0 / {
		for (i = 1; i <= NF; i++) if ($i == "redirect") { v = $(i + 1); break }
		m = 1
		if (v ~ /M$/) m = 1e6; else if (v ~ /k$/) m = 1e3
		sub(/[Mk]$/, "", v)
		if (++n > 1) print v * m / 1e6
	}' | median
}

# dpdk-testpmd io: frames per second transmitted, all ports.
measure_testpmd() {
	{
		echo "start"
		sleep 1
		echo "show port stats all"
		sleep "$secs"
		echo "show port stats all"
		echo "stop"
		echo "quit"
	} | dpdk-testpmd $(eal_mem_args btp$$ 512) $eal -d "$pmd" $gen_ports \
		-- -i --total-num-mbufs=16384 --forward-mode=io --burst=32 \
		2>/dev/null |
	awk '/NIC statistics for port/ { if (++n > 2) s = 1 }
	     s && /Tx-pps/ { pps += $2 }
	     END { print pps / 1e6 }'
}

# --- DPDK's l3fwd, built from dpdk-doc's sources ---------------------
# Sets l3fwd_skip to a reason when the row cannot run.
l3fwd_skip=
l3fwd=$tmp/examples/l3fwd/build/l3fwd
l3fwd_setup() {
	src=/usr/share/dpdk/examples
	want=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null) || want=
	have=$(dpkg-query -W -f='${Version}' dpdk-doc 2>/dev/null) || have=
	if [ -n "$want" ] && [ "$have" != "$want" ] && [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			"dpdk-doc=$want" >"$tmp/apt" 2>&1 || true
		have=$(dpkg-query -W -f='${Version}' dpdk-doc 2>/dev/null) ||
			have=
	fi
	if [ ! -f "$src/l3fwd/main.c" ] || [ ! -d "$src/common" ]; then
		l3fwd_skip="no l3fwd source in $src (Debian's dpdk-doc package: apt-get install dpdk-doc as root)"
		return
	fi
	if [ "$have" != "$want" ]; then
		l3fwd_skip="dpdk-doc ${have:-?} does not match libdpdk-dev ${want:-?}"
		return
	fi
	# l3fwd includes ../common: copy both, build against libdpdk.pc
	mkdir -p "$tmp/examples"
	cp -r "$src/l3fwd" "$src/common" "$tmp/examples/"
	if ! make -C "$tmp/examples/l3fwd" >"$tmp/make" 2>&1; then
		l3fwd_skip="l3fwd does not build against the installed DPDK: $(grep -m1 -i error "$tmp/make")"
		return
	fi
}

# l3fwd prints no rates: port 1's transmitted frames per second from its
# telemetry socket (ethdev stats), 1-second samples after the first
# second of forwarding, median.
measure_l3fwd() {
	prefix=bl3$$
	timeout -s INT $((secs + 15)) "$l3fwd" $(eal_mem_args $prefix 512) $eal \
		-d "$pmd" $gen_ports -- -p 0x3 --lookup=lpm \
		--config="(0,0,1),(1,0,1)" --rule_ipv4="$tmp/l3fwd-v4" \
		--rule_ipv6="$tmp/l3fwd-v6" --eth-dest=1,02:00:00:00:00:99 \
		>"$tmp/l3fwd.log" 2>&1 &
	pid=$!
	rc=0
	python3 - "/var/run/dpdk/$prefix/dpdk_telemetry.v2" "$secs" \
		>"$tmp/l3fwd.rates" <<'PY' || rc=$?
import json, socket, sys, time
path, secs = sys.argv[1], int(sys.argv[2])
sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
for _ in range(200):
    try:
        sock.connect(path)
        break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit("no telemetry socket " + path)
size = json.loads(sock.recv(1024))["max_output_len"]
def sent():
    sock.send(b"/ethdev/stats,1")
    stats = json.loads(sock.recv(size))["/ethdev/stats"]
    return stats["opackets"], time.monotonic()
deadline = time.monotonic() + 10
while sent()[0] == 0:
    if time.monotonic() > deadline:
        sys.exit("l3fwd forwards nothing")
    time.sleep(0.05)
time.sleep(1)
last = sent()
for _ in range(secs):
    time.sleep(1)
    now = sent()
    print((now[0] - last[0]) / (now[1] - last[1]) / 1e6)
    last = now
PY
	kill -INT $pid 2>/dev/null || true
	wait $pid || true
	if [ $rc != 0 ]; then
		cat "$tmp/l3fwd.log" >&2
		echo "$0: l3fwd measurement failed" >&2
		exit 1
	fi
	median <"$tmp/l3fwd.rates"
}

kernel_setup
l3fwd_setup
i=0
while [ $i -lt "$runs" ]; do
	measure_autotest
	if [ -z "$kernel_skip" ]; then
		measure_kernel >>"$tmp/kernel"
	fi
	measure_fwd >>"$tmp/app-fwd"
	measure_testpmd >>"$tmp/app-testpmd"
	if [ -z "$l3fwd_skip" ]; then
		measure_l3fwd >>"$tmp/app-l3fwd"
	fi
	i=$((i + 1))
done
hz=$(cat "$tmp/hz")

# Column 1 of a results file: median; min-max.
med() { cut -d' ' -f"${2:-1}" "$tmp/$1" | median; }
spread() {
	cut -d' ' -f1 "$tmp/$1" | sort -g |
		awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f–%.2f", lo, hi }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "—" }'; }
kmed=0
[ -z "$kernel_skip" ] && kmed=$(med kernel)

# | scenario | median Mpps | cycles/packet | spread | offered | vs io | vs kernel |
row() {	# name file io-file
	m=$(med "$2")
	c=$(med "$2" 2)
	o=$(med "$2" 3)
	b=$(cut -d' ' -f4 "$tmp/$2" | awk '{ s += $1 } END { print (s * 2 > NR) }')
	note=
	[ "$b" = 1 ] && note=" (generator-bound)"
	vio="—"
	[ -n "$3" ] && vio=$(ratio "$m" "$(med "$3")")
	printf '| %s | %.2f | %.0f | %s | %.2f%s | %s | %s |\n' "$1" "$m" "$c" \
		"$(spread "$2")" "$o" "$note" "$vio" "$(ratio "$m" "$kmed")"
}
hz_row() {	# name file io-file offered: cycles = TSC / rate
	m=$(med "$2")
	vio="—"
	[ -n "$3" ] && vio=$(ratio "$m" "$(med "$3")")
	printf '| %s | %.2f | %.0f | %s | %s | %s | %s |\n' "$1" "$m" \
		"$(awk -v h="$hz" -v m="$m" 'BEGIN { print (m > 0 ? h / (m * 1e6) : 0) }')" \
		"$(spread "$2")" "$4" "$vio" "$(ratio "$m" "$kmed")"
}

{
	echo "# xdp_fwd forwarding: native, generic, io loop, kernel"
	echo
	echo "Command: \`$cmd\`"
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo),"
	echo "kernel $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC'); load average"
	echo "$load when the run started (the machine is shared: compare rows of"
	echo "one run, not runs of two). $runs runs of $secs s per scenario, all"
	echo "scenarios alternating within each run; 64-byte IPv4/UDP frames to"
	echo "1024 destinations in 198.19.0.0/16, routed via a gateway; 32-frame"
	echo "bursts; TSC $(awk -v h="$hz" 'BEGIN { printf "%.0f", h / 1e6 }') MHz."
	echo "EAL memory (devtools/eal-mem.sh): autotest $(sed -n 's/^EAL memory: //p' "$tmp/at.log");"
	echo "dpdk-xdp-fwd, dpdk-testpmd and l3fwd $(eal_mem_kind 512)."
	echo
	echo "| scenario | median Mpps | cycles/packet | spread (Mpps) | offered Mpps | vs io loop, same ports | vs kernel |"
	echo "|---|---|---|---|---|---|---|"
	row "xdp_fwd native, net_mvneta_xdp peer-wired" native-mvneta io-mvneta
	row "xdp_fwd generic, net_mvneta_xdp peer-wired" generic-mvneta io-mvneta
	row "io loop (testpmd io engine), net_mvneta_xdp peer-wired" io-mvneta io-mvneta
	row "xdp_fwd generic, net_ring" generic-ring io-ring
	row "io loop (testpmd io engine), net_ring" io-ring io-ring
	[ -z "$kernel_skip" ] && hz_row "kernel: xdp_fwd native on veth, 3 netns (one CPU: generator, router, sink)" kernel "" "—"
	hz_row "dpdk-xdp-fwd (shipped application), native, backend=gen pair" app-fwd app-testpmd "gen backend"
	hz_row "dpdk-testpmd io, backend=gen pair" app-testpmd app-testpmd "gen backend"
	[ -z "$l3fwd_skip" ] && hz_row "DPDK l3fwd (LPM), backend=gen pair" app-l3fwd app-testpmd "gen backend"
	echo
	[ -n "$kernel_skip" ] && echo "Kernel row skipped: $kernel_skip." && echo
	if [ -n "$l3fwd_skip" ]; then
		echo "l3fwd row skipped: $l3fwd_skip."
	else
		echo "dpdk-xdp-fwd native / DPDK l3fwd (LPM), same ports, routes and"
		echo "traffic, same run: **$(ratio "$(med app-fwd)" "$(med app-l3fwd)")** (ratio of"
		echo "the medians; goal: at least 0.8); round by round:"
		echo "$(paste -d' ' "$tmp/app-fwd" "$tmp/app-l3fwd" |
			awk '{ printf "%s", (NR > 1 ? ", " : "")
			if ($1 > 0 && $2 > 0) printf "%.2f", $1 / $2
			else printf "— (no rate)" }')."
	fi
	echo
	cat <<'EOF'
How each row is measured:

* The first five rows are `xdp_fwd_perf_autotest`
  (`test/test_xdp_fwd_perf.c`, `meson test -C build --suite perf
  xdp_fwd_perf_autotest`). lcore 0 forwards, polling F0 and F1 like
  `dpdk-xdp-fwd --no-tap` (or, for the io loop, like testpmd's io engine:
  `rx_burst`, `tx_burst` to the other port, free what TX refused); lcore 1
  is the wire's far end: it offers frames to F0 as fast as it can and
  receives what F1 sends. Rate = frames the sink received per second;
  cycles/packet = TSC cycles of the forwarding lcore per frame forwarded.
  The test checks that the forwarder's XDP_REDIRECT (or sent) count equals
  what the sink received plus the frames counted lost on the way, and
  that every mbuf pool is full again at the end (no leak).
* net_mvneta_xdp peer-wired: F0 and F1 are wired (`peer=`) to generator
  ports G0 and G1. G0 sends 1024 prebuilt frames over and over (a
  reference taken per send); the wire copies each frame into F0's posted
  buffer at G0's TX doorbell, so that copy is on the generator's lcore,
  and F1's TX copies into G1's buffers on the forwarding lcore: the model
  plays the DMA with the CPU. The ports' ring locks are shared between
  the two lcores.
* net_ring: F0 and F1 come from `rte_eth_from_rings()`; the generator
  allocates fresh mbufs (written by the forwarder, they cannot be
  shared), copies a frame in with 256 bytes of headroom (what a PMD set
  up for XDP gives, so the generic hook runs in place, without the copy
  it makes for frames with less), and enqueues them on F0's RX ring; it
  drains F1's TX ring.
* "offered" is the rate the generator put frames on F0's wire; what F0
  could not take was lost there (F0's RX descriptors or ring full). When
  the sink got at least 95% of it the generator was the bottleneck
  ("generator-bound"): the forwarder had idle polls and its
  cycles/packet is an upper bound.
* kernel: `kernel_xdp_fwd_bench` (`test/bench/kernel/`). Three network
  namespaces, created and deleted by this script: a generator netns whose
  veth gets frames from a live-frames `BPF_PROG_TEST_RUN`
  (`BPF_F_TEST_XDP_LIVE_FRAMES`, `XDP_TX`; the program rewrites the
  headers of each recycled frame, with the next of 1024 destinations);
  the router netns, with the same `xdp_fwd.o` attached natively to both
  veths, the devmap filled with their ifindexes, forwarding on, and
  `ip route`/`ip neigh` for the same route and gateway; a sink netns
  whose veth runs `xdp_drop_count` (veth transmits XDP frames only to a
  peer with a program). Rate = the sink's count per second; it matches
  xdp_fwd's own count of redirected frames. The whole path runs in
  softirq on one CPU (the test run's): its cycles/packet (TSC / rate)
  include generating and sinking, which the DPDK rows do on the other
  lcore.
* The last two rows are the real binaries: `dpdk-xdp-fwd --mode=native
  --no-tap` and `dpdk-testpmd --forward-mode=io` on two net_mvneta_xdp
  ports with `backend=gen` (the generator is inside the port model: RX
  descriptors are filled as fast as they are posted, the generator's
  cost lands on the forwarding lcore; TX frames are discarded). The rate
  is dpdk-xdp-fwd's XDP_REDIRECT rate, testpmd's Tx-pps; cycles/packet is
  TSC / rate. They show the shipped application; the peer-wired rows
  above are the ones to compare with net_ring and the kernel.
* DPDK l3fwd: DPDK 22.11's example application, built by this script
  from the sources in Debian's `dpdk-doc` package
  (`/usr/share/dpdk/examples/l3fwd`, `make` against the installed
  `libdpdk`) and run on the same backend=gen pair, alternating with the
  rows above: `--lookup=lpm`, one lcore polling both ports
  (`--config="(0,0,1),(1,0,1)"`, as dpdk-xdp-fwd's worker), the routes
  of dpdk-xdp-fwd as LPM rules (`--rule_ipv4`: 198.20.0.0/24 and
  198.19.0.0/16 to port 1) and the gateway's MAC as port 1's next hop
  (`--eth-dest=1,02:00:00:00:00:99`). Per frame it takes the IPv4 packet
  type the PMD set, checks version, header length and total length,
  decrements the TTL, adjusts the checksum by one (no TTL expiry check:
  xdp_fwd does those, and its FIB lookup is `bpf_fib_lookup`'s) and
  rewrites both MACs. l3fwd prints no rates: its rate is port 1's
  transmitted frames per second read from its telemetry socket
  (`/ethdev/stats,1`), the median of 1-second samples after the first
  second of forwarding.
  Both applications forward on lcore 1; l3fwd's main lcore (0) spins in
  `rte_eal_wait_lcore()`, dpdk-xdp-fwd's sleeps between its reports: on
  a busy machine that, if anything, slows l3fwd.

Reading the numbers: on a loaded machine the rows with a generator lcore
suffer most. Forwarder and generator must both be on a CPU at once, and
they share the model's ring locks (the peer wire delivers into the other
port's RX ring under its lock): when the lcore holding a lock is
preempted, the other spins. The backend=gen rows need one lcore only.
Compare rows of one run, and prefer runs with a load average below the
number of cores.

Why a generator lcore: with two forwarding ports wired to each other,
every forwarded frame comes back and a router decrements its TTL at each
pass, so injected frames die after 63 hops; net_ring pairs have no
traffic source. Generator and sink on the wires keep the load constant.
EOF
} >"$tmp/md"
mkdir -p "$(dirname "$out")"
cp "$tmp/md" "$out"
cat "$out"
