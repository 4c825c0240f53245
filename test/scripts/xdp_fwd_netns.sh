#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dpdk-xdp-fwd with real traffic. Two hosts in network namespaces, each on
# a veth pair whose router end lives in a third namespace where
# dpdk-xdp-fwd drives it (AF_PACKET); the router's addresses are on its
# TAP interfaces (the exception path). The topology is the guide's, made
# by its console block. First the guide's examples run as written there
# (doc/guides/sample_app_ug/xdp_fwd.rst): pings over IPv4 and IPv6 must
# all come back, none twice, with no warning, the fast path carrying
# them; the routes file's addresses must be on the TAPs while it runs and
# gone after. With IPv6 back on on the router's veth ends, the native
# example must warn and the hosts see duplicates. Then the hosts ping
# each other and exchange UDP and TCP, over IPv4 and IPv6, through:
#   1. net_mvneta_xdp ports (native XDP), routes from a file;
#   2. net_mvneta_xdp ports, routes from the kernel (neighbours learnt by
#      the kernel through the TAPs, read back every second);
#   3. net_af_packet ports (generic XDP), routes from the kernel;
#   4. net_af_packet ports, routes from a file.
# Frames captured on host B are checked: MACs from the FIB, TTL and hop
# limit decremented, checksums right; the forwarder's counters must show
# the fast path (XDP_REDIRECT) carried them. Then a pcap replay of mixed
# traffic through native ports (rx_pcap/tx_pcap backends) and generic
# ones (net_pcap) must give the expected output capture, frame for frame.
set -eu
here=$(dirname "$0")
. "$here/lib.sh"
. "$here/xdp_fwd_lib.sh"

need_root "network namespaces, veth pairs, AF_PACKET, TAP"
emulator_lacks "does not emulate the AF_PACKET socket options (SOL_PACKET) its ports set"
FWD=$BUILD/examples/dpdk-xdp-fwd
for t in ip ping python3 sysctl ethtool awk; do
	command -v $t >/dev/null || skip_privileged "$t not installed"
done
[ -x "$FWD" ] || skip_privileged "dpdk-xdp-fwd not built"
[ -r "$BUILD/examples/xdp-fwd/xdp_fwd.o" ] ||
	skip_privileged "BPF objects not built (clang?)"
[ -c /dev/net/tun ] ||
	skip_privileged "no /dev/net/tun for the TAP exception path"

tmp=$(mktemp -d)
id=$$
fwd_pid=
servers=
cleanup() {
	[ -n "$fwd_pid" ] && kill -INT "$fwd_pid" 2>/dev/null
	for p in $servers; do kill "$p" 2>/dev/null || true; done
	topo_down
	rm -rf "$tmp"
	eal_dirs_rm "xf$id-"
}
trap cleanup EXIT
pkt_tool "$tmp/pkt.py"
PKT="python3 $tmp/pkt.py"

topo_up $id || skip_privileged "cannot create network namespaces"
ip netns exec "$NS_B" $PKT udp-echo 7007 >/dev/null 2>&1 &
servers="$!"
ip netns exec "$NS_B" $PKT tcp-echo 7008 >/dev/null 2>&1 &
servers="$servers $!"

cat >"$tmp/routes.conf" <<EOF
# the router's own addresses (frames to them go to the kernel)
addr 10.1.0.1 dev xfwd0
addr 10.2.0.1 dev xfwd1
addr 2001:db8:1::1 dev xfwd0
addr 2001:db8:2::1 dev xfwd1
route 10.1.0.0/24 dev xfwd0
route 10.2.0.0/24 dev xfwd1
route 10.3.0.0/24 dev xfwd1 mtu 1000
route 2001:db8:1::/64 dev xfwd0
route 2001:db8:2::/64 dev xfwd1
neigh 10.1.0.2 lladdr $MAC_A dev xfwd0
neigh 10.2.0.2 lladdr $MAC_B dev xfwd1
neigh 2001:db8:1::2 lladdr $MAC_A dev xfwd0
neigh 2001:db8:2::2 lladdr $MAC_B dev xfwd1
EOF

# start_fwd NAME ARGS...: dpdk-xdp-fwd in the router namespace
start_fwd() {
	name=$1
	shift
	log=$tmp/$name.log
	ip netns exec "$NS_R" "$FWD" $(eal_mem_args "xf$id-$name") --no-pci \
		-l 0,1 --log-level=lib.eal:error "$@" >"$log" 2>&1 &
	fwd_pid=$!
	n=0
	until grep -q "^FIB:" "$log"; do
		if ! kill -0 $fwd_pid 2>/dev/null; then
			wait $fwd_pid || rc=$?
			fwd_pid=
			cat "$log"
			fail "$name: dpdk-xdp-fwd exited (${rc:-0}) before forwarding"
		fi
		n=$((n + 1))
		[ $n -lt 200 ] || { cat "$log"; fail "$name: no start in 20 s"; }
		sleep 0.1
	done
}

stop_fwd() {
	kill -INT "$fwd_pid"
	rc=0
	wait "$fwd_pid" || rc=$?
	fwd_pid=
	[ $rc -eq 0 ] || { cat "$log"; fail "$name: exit status $rc after SIGINT"; }
	grep -q "^Summary after" "$log" || { cat "$log"; fail "$name: no summary"; }
}

# counter PORT NAME: from the summary line of a port
counter() {
	awk -v p="$1" -v k="$2" '$1 == "port" && $2 == p {
		for (i = 3; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$log"
}

traffic() {
	name=$1
	port1_mac=$(ip netns exec "$NS_R" cat "/sys/class/net/$V_B/address")
	ip netns exec "$NS_A" ping -q -c 3 -i 0.2 -W 1 10.2.0.2 >/dev/null 2>&1 || true
	ip netns exec "$NS_A" ping -6 -q -c 3 -i 0.2 -W 1 2001:db8:2::2 >/dev/null 2>&1 || true
	sleep 1.5	# kernel routes: the neighbours the kernel learnt are read back
	rm -f "$tmp/cap.pcap.ready" "$tmp/cap.pcap.stop"
	ip netns exec "$NS_B" $PKT sniff "$H_B" "$tmp/cap.pcap" 60 &
	sniffer=$!
	until [ -e "$tmp/cap.pcap.ready" ]; do sleep 0.1; done
	for dst in 10.2.0.2 2001:db8:2::2; do
		ip netns exec "$NS_A" ping -q -c 20 -i 0.05 -W 1 -p 5846574443484b \
			"$dst" >"$tmp/ping" 2>&1 ||
			{ cat "$tmp/ping" "$log"; fail "$name: ping $dst"; }
		grep -q " 0% packet loss" "$tmp/ping" ||
			{ cat "$tmp/ping"; fail "$name: ping $dst lost frames"; }
		ip netns exec "$NS_A" $PKT udp "$dst" 7007 200 ||
			{ cat "$log"; fail "$name: UDP to $dst"; }
		ip netns exec "$NS_A" $PKT tcp "$dst" 7008 300000 ||
			{ cat "$log"; fail "$name: TCP to $dst"; }
	done
	touch "$tmp/cap.pcap.stop"
	wait $sniffer
	# ping -p XFWDCHK: the pattern in the payload marks our frames
	$PKT check "$tmp/cap.pcap" "$port1_mac" "$MAC_B" XFWDCHK 15 ||
		fail "$name: frames on host B"
	echo "/xdp/list" | timeout 10 dpdk-telemetry.py -f "xf$id-$name" \
		>"$tmp/tel" 2>&1 || true
}

# The fast path carried the traffic: redirects both ways.
check_counters() {
	name=$1
	stop_fwd
	r0=$(counter 0 redirect)
	r1=$(counter 1 redirect)
	[ "${r0:-0}" -ge 800 ] && [ "${r1:-0}" -ge 800 ] ||
		{ cat "$log"; fail "$name: XDP_REDIRECT counts $r0/$r1, expected the traffic (>= 800 each way)"; }
	echo "PASS: $name: $(grep 'xdp_fwd outcomes' "$log" | sed 's/^ *//')"
	grep "^  port" "$log"
}

# XFWD_CASES="native-file pcap-generic" runs only those; XFWD_KEEP_LOGS=DIR
# keeps the output of the guide's cases there (to refresh the guide).
want() {
	[ -z "${XFWD_CASES:-}" ] && return 0
	case " $XFWD_CASES " in *" $1 "*) return 0 ;; esac
	return 1
}

# run_case NAME file|kernel EAL-AND-APP-ARGS...: with routes from a file,
# dpdk-xdp-fwd gives the TAPs their addresses; from the kernel, we do.
run_case() {
	name=$1 routes=$2
	shift 2
	want "$name" || return 0
	start_fwd "$name" "$@"
	if [ "$routes" = kernel ]; then
		taps_up xfwd
	else
		taps_wait xfwd
	fi || { cat "$log"; fail "$name: TAP interfaces did not appear"; }
	traffic "$name"
	grep -q '"/xdp/list": \[0, 1\]' "$tmp/tel" ||
		{ cat "$tmp/tel"; fail "$name: telemetry /xdp/list"; }
	check_counters "$name"
}

# The guide's examples as pasted, from a copy of the repository's top.
# doc_case NAME BLOCK [HAZARD]: the block's output in $tmp/NAME.log; HAZARD
# set: IPv6 is on on the veth ends, warnings and duplicates expected.
doc_case() {
	name=$1 block=$2 hazard=${3:-}
	want "$name" || return 0
	log=$tmp/$name.log
	# on a failure, the application the block started goes too
	echo 'trap "[ \$? -eq 0 ] || { kill -INT \$! 2>/dev/null; wait; }" EXIT' \
		>"$tmp/$name.sh"
	doc_block "$block" >>"$tmp/$name.sh"
	(cd "$tmp/root" && bash -e "$tmp/$name.sh") >"$log" 2>&1 ||
		{ cat "$log"; fail "$name: the guide's commands failed"; }
	grep -q "^Summary after" "$log" || { cat "$log"; fail "$name: no summary"; }
	# a ping without all its replies failed the block
	n=$(grep -c "packets transmitted" "$log" || true)
	[ "$n" -eq 2 ] || { cat "$log"; fail "$name: $n of 2 pings ran"; }
	r0=$(counter 0 redirect)
	r1=$(counter 1 redirect)
	[ "${r0:-0}" -ge 1 ] && [ "${r1:-0}" -ge 1 ] ||
		{ cat "$log"; fail "$name: no XDP_REDIRECT ($r0/$r1): the fast path did not carry the pings"; }
	if [ -n "$hazard" ]; then
		grep -q "warning: port 0 .*IPv6 is enabled on it.*net.ipv6.conf.$V_A.disable_ipv6=1" "$log" ||
			{ cat "$log"; fail "$name: no warning about IPv6 on $V_A"; }
		grep -q "DUP!" "$log" ||
			{ cat "$log"; fail "$name: no duplicates with IPv6 on the veth ends: the check above would not see them"; }
	else
		! grep "warning:" "$log" || { cat "$log"; fail "$name: warnings"; }
		! grep "DUP!" "$log" || { cat "$log"; fail "$name: duplicate replies"; }
	fi
	! ip -n "$NS_R" link show xfwd0 >/dev/null 2>&1 ||
		fail "$name: TAP xfwd0 left behind"
	! ip -n "$NS_R" addr show | grep -E "10\.[12]\.0\.1/|2001:db8:[12]::1/" ||
		fail "$name: router addresses left behind"
	echo "PASS: $name: $(grep 'xdp_fwd outcomes' "$log" | sed 's/^ *//')"
	[ -z "${XFWD_KEEP_LOGS:-}" ] || cp "$log" "$XFWD_KEEP_LOGS/"
}

# the file's addresses on the TAPs, with their connected routes' prefixes
doc_case doc-generic generic
for a in "xfwd0 .*10.1.0.1/24 2001:db8:1::1/64" "xfwd1 .*10.2.0.1/24 2001:db8:2::1/64"; do
	! want doc-generic || grep -q "^$a" "$log" ||
		{ cat "$log"; fail "doc-generic: no '$a' while it ran"; }
done
doc_case doc-native native
if want doc-native-ipv6-on; then
	ip netns exec "$NS_R" sysctl -q -w "net.ipv6.conf.$V_A.disable_ipv6=0" \
		"net.ipv6.conf.$V_B.disable_ipv6=0"
	doc_case doc-native-ipv6-on native hazard
	ip netns exec "$NS_R" sysctl -q -w "net.ipv6.conf.$V_A.disable_ipv6=1" \
		"net.ipv6.conf.$V_B.disable_ipv6=1"
fi

run_case native-file file \
	--vdev "net_mvneta_xdp0,iface=$V_A" --vdev "net_mvneta_xdp1,iface=$V_B" \
	-- --routes "$tmp/routes.conf" --stats 0
run_case native-kernel kernel \
	--vdev "net_mvneta_xdp0,iface=$V_A" --vdev "net_mvneta_xdp1,iface=$V_B" \
	-- --routes-from-kernel --stats 0
run_case generic-kernel kernel \
	--vdev "net_af_packet0,iface=$V_A" --vdev "net_af_packet1,iface=$V_B" \
	-- --routes-from-kernel --stats 0
run_case generic-file file \
	--vdev "net_af_packet0,iface=$V_A" --vdev "net_af_packet1,iface=$V_B" \
	-- --routes "$tmp/routes.conf" --stats 0 --sec xdp_fwd_direct

# pcap replay: mixed traffic in, expected frames out of port 1
M0=02:00:00:00:01:00
M1=02:00:00:00:01:01
$PKT mkpcap "$tmp/in.pcap" "$tmp/expect.pcap" $M0 $M1 $MAC_B
python3 -c "import struct,sys; open(sys.argv[1],'wb').write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1))" "$tmp/empty.pcap"
outcomes="forwarded 32 not-forwarded 24 no-neighbour 8 frag-needed 8 not-ip 16 ttl-expired 8"

replay() {
	name=$1
	shift
	want "$name" || return 0
	rm -f "$tmp/out0.pcap" "$tmp/out1.pcap"
	start_fwd "$name" "$@"
	sleep 3
	stop_fwd
	# the MAC port 1 really has (net_pcap chooses its own)
	m1=$(awk '$1 == "port" && $2 == "1" { for (i = 3; i < NF; i++)
		if ($i == "mac") { sub(",", "", $(i + 1)); print $(i + 1) } }' "$log")
	$PKT mkpcap "$tmp/in2.pcap" "$tmp/expect.pcap" $M0 "$m1" $MAC_B >/dev/null
	$PKT cmp "$tmp/out1.pcap" "$tmp/expect.pcap" ||
		{ cat "$log"; fail "$name: output capture"; }
	grep -q "outcomes: $outcomes\$" "$log" ||
		{ grep outcomes "$log"; fail "$name: outcomes, expected $outcomes"; }
	echo "PASS: $name: $(grep 'xdp_fwd outcomes' "$log" | sed 's/^ *//')"
}
replay pcap-native \
	--vdev "net_mvneta_xdp0,rx_pcap=$tmp/in.pcap,tx_pcap=$tmp/out0.pcap,mac=$M0" \
	--vdev "net_mvneta_xdp1,rx_pcap=$tmp/empty.pcap,tx_pcap=$tmp/out1.pcap,mac=$M1" \
	-- --routes "$tmp/routes.conf" --no-tap --stats 0
replay pcap-generic \
	--vdev "net_pcap0,rx_pcap=$tmp/in.pcap,tx_pcap=$tmp/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$tmp/empty.pcap,tx_pcap=$tmp/out1.pcap" \
	-- --routes "$tmp/routes.conf" --no-tap --stats 0
echo "PASS: xdp_fwd_netns"
