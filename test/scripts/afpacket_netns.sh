#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# AF_PACKET backend with real traffic: a veth pair whose far end lives in
# a network namespace this test creates (and removes). Pings from the
# namespace reach the port; testpmd (macswap) sends them back out, and
# they arrive in the namespace.
set -eu
. "$(dirname "$0")/lib.sh"

need_root "network namespaces and AF_PACKET"
emulator_lacks "does not emulate the AF_PACKET socket options (SOL_PACKET) the iface= backend sets"
command -v ip >/dev/null && command -v ping >/dev/null ||
	skip_privileged "iproute2 or ping not installed"

ns=mvx$$
host=mvxa$$
peer=mvxb$$
out=$(mktemp)
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	ip link del "$host" 2>/dev/null || true
	rm -f "$out"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
ip netns add "$ns" 2>/dev/null ||
	skip_privileged "cannot create a network namespace"
ip link add "$host" type veth peer name "$peer" netns "$ns"
ip link set "$host" up
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link set "$peer" up
ip netns exec "$ns" ip addr add 192.0.2.1/24 dev "$peer"
mac=$(cat "/sys/class/net/$host/address")
ip netns exec "$ns" ip neigh add 192.0.2.2 lladdr "$mac" dev "$peer"

rx_ns() {
	ip netns exec "$ns" cat "/sys/class/net/$peer/statistics/rx_packets"
}
before=$(rx_ns)

# Ping once testpmd forwards; count what made it through.
TESTPMD_OUT=$out
( n=0
  until grep -q "forwards packets on" "$out" || [ $n -ge 600 ]; do
	sleep 0.1
	n=$((n + 1))
  done
  ip netns exec "$ns" ping -q -c 60 -i 0.1 -W 1 192.0.2.2 \
	>/dev/null 2>&1 || true ) &
pinger=$!
printf '%s\n' "start" "await forwards packets on" "sleep 7" \
	"show port info 0" "show port stats 0" "stop" "quit" | testpmd_script |
	timeout 60 stdbuf -oL "$TESTPMD" $(eal_args tafp) -l 0,1 \
	--vdev "net_mvneta_xdp0,iface=$host" \
	-- -i --total-num-mbufs=16384 --forward-mode=macswap \
	--port-topology=loop >"$out" 2>&1 ||
	{ cat "$out"; fail "testpmd exited with an error"; }
wait "$pinger"
after=$(rx_ns)

rxp=$(awk '/NIC statistics for port 0/ {f=1} f && /RX-packets:/ {print $2; exit}' "$out")
grep -qi "MAC address: $mac" "$out" ||
	{ cat "$out"; fail "port did not take the interface's MAC $mac"; }
[ "${rxp:-0}" -ge 10 ] || { cat "$out"; fail "port received ${rxp:-0} of 60 pings"; }
[ $((after - before)) -ge 10 ] ||
	{ cat "$out"; fail "namespace received $((after - before)) frames back"; }
echo "PASS: port received $rxp frames from the namespace, $((after - before)) came back"
